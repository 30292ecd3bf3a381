//! The generator's dumps read by newsdigest's own parser: the generator (`newsdigest-corpus`)
//! cannot depend on newsdigest, so what the parser sees of its output is tested here.

use chrono::NaiveDate;
use newsdigest::ingest::{decode, dump};
use newsdigest_corpus::{HEADLINES_PER_DUMP, Spec, Style, generate};

/// Classic dumps parse back as real dumps: no title line, the true paragraphs as the body,
/// and the sixteen listed headlines of other articles as the list.
#[test]
fn classic_dumps_parse_back_as_real_dumps() {
    let c = generate(&Spec {
        count: 300,
        seed: 7,
        days: 5,
        start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        style: Style::Classic,
        layout: Default::default(),
    });
    assert_eq!(c.articles.len(), 300);
    for (i, a) in c.articles.iter().enumerate() {
        let text = c.dump(i);
        let decoded = decode::decode(text.as_bytes()).unwrap().text;
        let parts = dump::split(&decoded);
        assert_eq!(parts.title_line, None, "no title line, as in real dumps");
        assert_eq!(parts.paragraphs, a.paragraphs);
        assert_eq!(parts.headlines.len(), HEADLINES_PER_DUMP);
        for (h, &r) in parts.headlines.iter().zip(&a.related) {
            assert_eq!(h, &c.articles[r].headline);
            assert_ne!(r, i);
        }
    }
}
