//! Precompression: `.gz` (flate2) and `.br` (brotli) twins of text files, for hosts that
//! serve a precompressed file when the browser accepts it (nginx `gzip_static`/`brotli_static`,
//! Caddy `precompressed`, Netlify, object storage with `Content-Encoding`).
//!
//! Output is reproducible: the gzip header carries no file name and a zero time stamp, and
//! both encoders are deterministic for the same input and settings, so the same page always
//! gives the same `.gz` and `.br` bytes.

use std::io::Write;

/// Files smaller than this are not worth compressing (the HTTP overhead dominates).
pub const MIN_BYTES: usize = 1024;

/// Extensions that get compressed twins: the text formats a site serves.
pub const EXTENSIONS: &[&str] = &["html", "xml", "json", "css", "js"];

/// Brotli quality 10: measured on generated digest pages, quality 11 is 2–3 times slower for
/// output only 3 % smaller, and qualities 5–9 are slower still here (their hash tables cost
/// megabytes of fresh memory per file) while compressing worse. Unchanged files are carried
/// over without recompressing, so the cost is paid once per changed file.
const BROTLI_QUALITY: i32 = 10;
/// 4 MiB window: large enough for any page, small enough for every decoder.
const BROTLI_LGWIN: i32 = 22;

/// The two encodings, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gzip,
    Brotli,
}

impl Encoding {
    pub const ALL: [Encoding; 2] = [Encoding::Gzip, Encoding::Brotli];

    /// The suffix added to the file name: `.gz` or `.br`.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Gzip => ".gz",
            Encoding::Brotli => ".br",
        }
    }

    pub fn compress(self, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Encoding::Gzip => gzip(bytes),
            Encoding::Brotli => brotli(bytes),
        }
    }
}

/// Whether a file at `path` with `len` bytes gets compressed twins.
pub fn eligible(path: &str, len: usize) -> bool {
    len >= MIN_BYTES
        && path
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.ends_with('/') && EXTENSIONS.contains(&ext))
}

/// gzip at the best level, with no file name, time stamp 0 and the OS byte "unknown".
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(
            Vec::with_capacity(bytes.len() / 3),
            flate2::Compression::best(),
        );
    enc.write_all(bytes)?;
    enc.finish()
}

pub fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_LGWIN,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(bytes.len() / 4);
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// Decompresses a twin, for `check` to prove it matches its original.
pub fn decompress(enc: Encoding, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    match enc {
        Encoding::Gzip => {
            flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
        }
        Encoding::Brotli => {
            brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out)?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Vec<u8> {
        "<!DOCTYPE html><p>The harbour reopened on Tuesday.</p>\n"
            .repeat(60)
            .into_bytes()
    }

    #[test]
    fn round_trips_and_is_reproducible() {
        let p = page();
        for enc in Encoding::ALL {
            let a = enc.compress(&p).unwrap();
            let b = enc.compress(&p).unwrap();
            assert_eq!(a, b, "{enc:?} is deterministic");
            assert!(a.len() < p.len() / 4, "{enc:?} compresses");
            assert_eq!(decompress(enc, &a).unwrap(), p);
        }
    }

    #[test]
    fn gzip_header_has_no_name_or_time() {
        let gz = gzip(&page()).unwrap();
        assert_eq!(
            &gz[..4],
            &[0x1f, 0x8b, 8, 0],
            "no FNAME/FEXTRA/FCOMMENT flags"
        );
        assert_eq!(&gz[4..8], &[0, 0, 0, 0], "MTIME is zero");
        assert_eq!(gz[9], 255, "OS unknown");
    }

    #[test]
    fn only_text_files_over_the_threshold() {
        assert!(eligible("index.html", 5000));
        assert!(eligible("static/style.css", 5000));
        assert!(eligible("feed.xml", 5000));
        assert!(eligible("search-index.json", 5000));
        assert!(eligible("static/app.js", 5000));
        assert!(!eligible("index.html", 100));
        assert!(!eligible("2026/02/05/x/index.md", 5000));
        assert!(!eligible("static/logo.png", 5000));
        assert!(!eligible("index.html.gz", 5000));
        assert!(!eligible("static/.html", 5000));
        assert!(!eligible("html", 5000));
    }
}
