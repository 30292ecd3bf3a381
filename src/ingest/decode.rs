//! Bytes to text: BOM, line endings, trailing white space, invalid UTF-8, characters XML
//! forbids, and binary files.

/// Why a file's bytes cannot be treated as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A NUL byte at this offset: the file is binary.
    Binary { offset: usize },
}

/// Text ready for parsing, plus what had to be repaired to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Byte offset (in the file) of the first invalid UTF-8 sequence, when there was one.
    pub invalid_utf8_at: Option<usize>,
    /// How many invalid sequences were replaced with U+FFFD.
    pub invalid_sequences: usize,
    /// Byte offset (in the file) of the first character XML 1.0 forbids (C0 controls other
    /// than tab, LF and CR; U+FFFE, U+FFFF), when there was one.
    pub forbidden_at: Option<usize>,
    /// How many such characters were replaced with U+FFFD.
    pub forbidden_chars: usize,
}

/// Decodes a file's bytes: drops a UTF-8 BOM, turns CRLF and CR into LF, drops trailing white
/// space on every line, decodes invalid UTF-8 lossily (reporting where), and replaces the
/// characters XML forbids with U+FFFD (reporting where), so that no feed or sitemap built from
/// the text can be malformed.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    let bom = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let body = &bytes[bom..];
    let (raw, invalid_utf8_at, invalid_sequences) = match std::str::from_utf8(body) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), None, 0),
        Err(e) => {
            let lossy = String::from_utf8_lossy(body);
            let count = count_invalid(body);
            (lossy, Some(bom + e.valid_up_to()), count)
        }
    };
    let (clean, forbidden_chars) = crate::safety::replace_xml_forbidden(&raw);
    Ok(Decoded {
        text: normalise_lines(&clean),
        invalid_utf8_at,
        invalid_sequences,
        forbidden_at: first_forbidden(body).map(|i| bom + i),
        forbidden_chars,
    })
}

/// Offset of the first character XML forbids, found in the bytes so that the offset is the
/// file's even when invalid UTF-8 precedes it. Such a C0 control is one byte that cannot occur
/// inside a multi-byte sequence, and U+FFFE/U+FFFF are `EF BF BE`/`EF BF BF`.
fn first_forbidden(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().position(|(i, &b)| {
        matches!(b, 0x01..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F)
            || (b == 0xEF && matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])))
    })
}

fn count_invalid(mut bytes: &[u8]) -> usize {
    let mut n = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(_) => return n,
            Err(e) => {
                n += 1;
                let skip = e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
                bytes = &bytes[skip..];
            }
        }
    }
}

/// LF line endings, no trailing white space on any line. Linear in the input.
pub fn normalise_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let (line, next) = match rest.find(['\r', '\n']) {
            Some(i) => {
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                (&rest[..i], Some(&rest[i + skip..]))
            }
            None => (rest, None),
        };
        out.push_str(line.trim_end());
        match next {
            Some(n) => {
                out.push('\n');
                rest = n;
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_dropped() {
        let d = decode(b"\xEF\xBB\xBFHello\n").unwrap();
        assert_eq!(d.text, "Hello\n");
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        assert_eq!(decode(b"a\r\nb\rc\n").unwrap().text, "a\nb\nc\n");
    }

    #[test]
    fn trailing_white_space_is_dropped() {
        assert_eq!(decode(b"a  \t\nb \r\n  c").unwrap().text, "a\nb\n  c");
    }

    #[test]
    fn invalid_utf8_is_lossy_with_offset() {
        let d = decode(b"ok \xFF\xFE then \xC3").unwrap();
        assert_eq!(d.invalid_utf8_at, Some(3));
        assert!(d.text.starts_with("ok \u{FFFD}"));
        assert!(d.text.contains("then"));
        assert_eq!(d.invalid_sequences, 3);
    }

    #[test]
    fn invalid_utf8_offset_counts_the_bom() {
        let d = decode(b"\xEF\xBB\xBFab\xFF").unwrap();
        assert_eq!(d.invalid_utf8_at, Some(5));
    }

    #[test]
    fn xml_forbidden_characters_are_replaced_with_their_offset() {
        let d = decode("\u{FEFF}ok\u{1}a\u{C}b\u{1F}c\u{FFFE}d\u{FFFF}\ttab\n".as_bytes()).unwrap();
        assert_eq!(
            d.text,
            "ok\u{FFFD}a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}\ttab\n"
        );
        // The BOM is 3 bytes, "ok" 2.
        assert_eq!(d.forbidden_at, Some(5));
        assert_eq!(d.forbidden_chars, 5);
        // After invalid UTF-8 the offset is still the file's.
        let d = decode(b"\xFF\xFEab\xEF\xBF\xBF").unwrap();
        assert_eq!((d.forbidden_at, d.forbidden_chars), (Some(4), 1));
        assert_eq!(d.invalid_utf8_at, Some(0));
        // Every forbidden character alone.
        for c in (1u32..0x20)
            .chain([0xFFFE, 0xFFFF])
            .filter_map(char::from_u32)
        {
            let text = format!("x{c}y\n");
            let d = decode(text.as_bytes()).unwrap();
            let forbidden = crate::safety::is_xml_forbidden(c);
            assert_eq!(d.forbidden_at.is_some(), forbidden, "{:x}", u32::from(c));
            assert!(!d.text.chars().any(crate::safety::is_xml_forbidden));
        }
        let d = decode("U+FFFD \u{FFFD} and \u{EFBF} are fine".as_bytes()).unwrap();
        assert_eq!((d.forbidden_at, d.forbidden_chars), (None, 0));
    }

    #[test]
    fn nul_means_binary() {
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00").unwrap_err(),
            DecodeError::Binary { offset: 4 }
        );
    }
}
