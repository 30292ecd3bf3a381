//! Bytes to text: BOM, line endings, trailing white space, invalid UTF-8 and binary files.

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
}

/// Decodes a file's bytes: drops a UTF-8 BOM, turns CRLF and CR into LF, drops trailing white
/// space on every line, and decodes invalid UTF-8 lossily (reporting where).
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
    Ok(Decoded {
        text: normalise_lines(&raw),
        invalid_utf8_at,
        invalid_sequences,
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
    fn nul_means_binary() {
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00").unwrap_err(),
            DecodeError::Binary { offset: 4 }
        );
    }
}
