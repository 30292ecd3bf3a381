//! The one place that knows the YAML library. Front matter and `site.yaml` go through here so
//! that swapping `serde_yaml` for another crate touches a single file.

use serde::de::DeserializeOwned;

/// A YAML error with the 1-based line it points at, when the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: Option<usize>,
    pub message: String,
}

/// The most `[` and `{` a document may hold. libyaml's parser takes time quadratic in the
/// nesting depth of flow collections (200 KB of `[[[[…` takes half a minute), and no real
/// front matter or `site.yaml` comes near this many.
pub const MAX_FLOW_BRACKETS: usize = 1024;

/// Parses `text` into `T`. Unknown keys are rejected when `T` says `deny_unknown_fields`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if let Some(at) = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'[' | b'{'))
        .nth(MAX_FLOW_BRACKETS)
        .map(|(i, _)| i)
    {
        return Err(YamlError {
            line: Some(text[..at].matches('\n').count() + 1),
            message: format!(
                "more than {MAX_FLOW_BRACKETS} `[` or `{{`; nesting that deep is refused \
                 (it would take minutes to parse)"
            ),
        });
    }
    // libyaml follows YAML 1.1, where NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR end a line:
    // a scraped title holding one would fail to parse and shift every line number after it.
    // YAML 1.2 (and every editor) treats them as text; here they read as spaces.
    let text = if text.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        std::borrow::Cow::Owned(text.replace(['\u{85}', '\u{2028}', '\u{2029}'], " "))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    serde_yaml::from_str(&text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        // serde_yaml appends " at line N column M" to its message; we report the line ourselves.
        let mut message = e.to_string();
        if let Some(pos) = message.find(" at line ") {
            message.truncate(pos);
        }
        YamlError { line, message }
    })
}

/// Serialises `value` as YAML. Used for the front matter of generated Markdown; our own
/// structs always serialise, so a failure yields an empty document rather than a panic.
pub fn to_string<T: serde::Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        a: u32,
    }

    #[test]
    fn deep_flow_nesting_is_refused_quickly() {
        let deep = format!("a: {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
        let e = from_str::<T>(&deep).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("1024"), "{}", e.message);
        // Ordinary flow collections are fine.
        assert!(from_str::<T>("a: [1]\n").is_err_and(|e| e.message.contains("sequence")));
    }

    #[test]
    fn unknown_key_is_named_with_line() {
        let e = from_str::<T>("a: 1\nzzz: 2\n").unwrap_err();
        assert!(e.message.contains("zzz"), "{}", e.message);
        assert_eq!(e.line, Some(2));
    }
}
