//! The one place that knows the YAML library. Front matter and `site.yaml` go through here so
//! that swapping `serde_yaml` for another crate touches a single file.

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};
use std::cell::Cell;

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

/// The most a document's values may add up to with every alias expanded: each scalar counts
/// its length plus one, each sequence and mapping one. An alias (`*a`) repeats its anchor's
/// whole value, so 8,000 aliases of one 100 KB string in 131 KB of YAML would become 800 MB
/// of strings; serde_yaml's own limit (100 replayed events per event of the document) bounds
/// the replays but not their size.
pub const MAX_EXPANDED_SIZE: usize = 256 * 1024;

/// Parses `text` into `T`. Unknown keys are rejected when `T` says `deny_unknown_fields`.
/// A document whose aliases would expand past [`MAX_EXPANDED_SIZE`] is refused before
/// anything is built from it.
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
    // Only aliases make the values larger than the text, and every alias holds a `*`.
    if text.contains('*') {
        let budget = Cell::new(MAX_EXPANDED_SIZE);
        Budget(&budget)
            .deserialize(serde_yaml::Deserializer::from_str(&text))
            .map_err(yaml_error)?;
    }
    serde_yaml::from_str(&text).map_err(yaml_error)
}

fn yaml_error(e: serde_yaml::Error) -> YamlError {
    let line = e.location().map(|l| l.line());
    // serde_yaml appends " at line N column M" to its message; we report the line ourselves.
    let mut message = e.to_string();
    if let Some(pos) = message.find(" at line ") {
        message.truncate(pos);
    }
    YamlError { line, message }
}

/// Walks a document as the deserializer delivers it (aliases expanded) without keeping any of
/// it, spending the budget as it goes: the first value past it stops the walk with an error.
struct Budget<'a>(&'a Cell<usize>);

impl Budget<'_> {
    fn spend<E: de::Error>(&self, n: usize) -> Result<(), E> {
        match self.0.get().checked_sub(n) {
            Some(left) => {
                self.0.set(left);
                Ok(())
            }
            None => Err(E::custom(format!(
                "values add up to more than {MAX_EXPANDED_SIZE} bytes with their aliases \
                 (`*name`) expanded; refused, as an alias bomb would exhaust memory (write \
                 the values out instead of repeating them with aliases)"
            ))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Budget<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Budget<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.spend(v.len() + 1)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.spend(1)?;
        self.deserialize(d)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.spend(1)?;
        while seq.next_element_seed(Budget(self.0))?.is_some() {}
        Ok(())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.spend(1)?;
        while map.next_key_seed(Budget(self.0))?.is_some() {
            map.next_value_seed(Budget(self.0))?;
        }
        Ok(())
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`): the tag, then the value.
        self.spend(1)?;
        let ((), value) = data.variant_seed(Budget(self.0))?;
        de::VariantAccess::newtype_variant_seed(value, Budget(self.0))
    }
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

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Tags {
        tags: Vec<String>,
    }

    /// 100 KB anchored once and aliased 8,000 times: 800 MB if expanded.
    fn bomb(aliases: usize) -> String {
        format!(
            "a: &x \"{}\"\ntags: [{}]\n",
            "y".repeat(100_000),
            vec!["*x"; aliases].join(", ")
        )
    }

    #[test]
    fn alias_bombs_are_refused_without_expanding() {
        let e = from_str::<Tags>(&bomb(8_000)).unwrap_err();
        assert!(e.message.contains("aliases"), "{}", e.message);
        assert!(
            e.message.contains(&MAX_EXPANDED_SIZE.to_string()),
            "{}",
            e.message
        );
        // Nested anchors (a "billion laughs") are refused the same way.
        let mut laughs = "l0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n".to_string();
        for i in 1..20 {
            let prev = format!("*l{}", i - 1);
            laughs += &format!("l{i}: &l{i} [{}]\n", [prev.as_str(); 8].join(", "));
        }
        let e = from_str::<serde_yaml::Value>(&laughs).unwrap_err();
        assert!(
            e.message.contains("aliases") || e.message.contains("repetition limit"),
            "{}",
            e.message
        );
        // A few aliases within the budget are fine, and a `*` in text is not an alias.
        let t: Tags = from_str("a: &x one\ntags: [*x, *x, \"2 * 3\", a*b]\n").unwrap();
        assert_eq!(t.tags, ["one", "one", "2 * 3", "a*b"]);
    }

    #[test]
    fn unknown_key_is_named_with_line() {
        let e = from_str::<T>("a: 1\nzzz: 2\n").unwrap_err();
        assert!(e.message.contains("zzz"), "{}", e.message);
        assert_eq!(e.line, Some(2));
    }
}
