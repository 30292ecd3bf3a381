//! The one place that knows the YAML library. Front matter and `site.yaml` go through here so
//! that swapping `serde_yaml` for another crate touches a single file.

use serde::de::DeserializeOwned;

/// A YAML error with the 1-based line it points at, when the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: Option<usize>,
    pub message: String,
}

/// Parses `text` into `T`. Unknown keys are rejected when `T` says `deny_unknown_fields`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
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
    fn unknown_key_is_named_with_line() {
        let e = from_str::<T>("a: 1\nzzz: 2\n").unwrap_err();
        assert!(e.message.contains("zzz"), "{}", e.message);
        assert_eq!(e.line, Some(2));
    }
}
