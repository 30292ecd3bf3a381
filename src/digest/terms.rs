//! Terms: the words that headline matching, related coverage and duplicate detection compare.
//! Text is split into words (hyphens split, `U.S.` and `3.25` kept whole, possessive `'s`
//! dropped), lowercased, stop words removed and stemmed with the Snowball English stemmer, so
//! that a headline's "Holds Rates" meets a lead's "held ... rate". Each term also says whether
//! it was capitalised in the middle of a sentence: that is how proper nouns are recognised in
//! leads (headlines capitalise every word, so they cannot tell).

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::LazyLock;
use xxhash_rust::xxh3::xxh3_64;

/// A term: the 64-bit hash of its stem. Comparing and indexing hashes instead of strings keeps
/// reading a corpus cheap; a collision among the few hundred thousand distinct stems of a
/// corpus has a probability around 10⁻⁹.
pub type TermId = u64;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
static LEMMA_MAP: LazyLock<FxHashMap<&'static str, &'static str>> =
    LazyLock::new(|| LEMMAS.iter().copied().collect());
/// Stems already computed on this thread: news text repeats its words, and the stemmer is
/// the costliest step of reading a corpus. Bounded so a hostile corpus cannot grow it forever.
const MEMO_MAX: usize = 500_000;

static STOP_SET: LazyLock<rustc_hash::FxHashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.iter().copied().collect());

thread_local! {
    /// Hash of a lowercase word → its term, or `None` for a stop word.
    static MEMO: RefCell<FxHashMap<u64, Option<TermId>>> = RefCell::new(FxHashMap::default());
}

/// Function words that say nothing about what a story is about.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "amid",
    "among",
    "via",
    "per",
    "says",
    "said",
    "say",
    "new",
    "mr",
    "mrs",
    "ms",
    "dr",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Irregular forms headlines and leads use for the same event ("Two Dead" / "have died",
/// "Sweeps" / "swept"), and numbers written as words, mapped to one form before stemming; the
/// stemmer handles the regular forms.
const LEMMAS: &[(&str, &str)] = &[
    ("dead", "die"),
    ("died", "die"),
    ("dies", "die"),
    ("dying", "die"),
    ("death", "die"),
    ("deaths", "die"),
    ("began", "begin"),
    ("begun", "begin"),
    ("swept", "sweep"),
    ("held", "hold"),
    ("rose", "rise"),
    ("risen", "rise"),
    ("fell", "fall"),
    ("fallen", "fall"),
    ("won", "win"),
    ("lost", "lose"),
    ("left", "leave"),
    ("struck", "strike"),
    ("sold", "sell"),
    ("told", "tell"),
    ("took", "take"),
    ("taken", "take"),
    ("made", "make"),
    ("gave", "give"),
    ("given", "give"),
    ("went", "go"),
    ("gone", "go"),
    ("came", "come"),
    ("saw", "see"),
    ("seen", "see"),
    ("found", "find"),
    ("brought", "bring"),
    ("bought", "buy"),
    ("kept", "keep"),
    ("met", "meet"),
    ("ran", "run"),
    ("led", "lead"),
    ("paid", "pay"),
    ("sent", "send"),
    ("spent", "spend"),
    ("built", "build"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("drew", "draw"),
    ("drawn", "draw"),
    ("drove", "drive"),
    ("driven", "drive"),
    ("fought", "fight"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("knew", "know"),
    ("known", "know"),
    ("laid", "lay"),
    ("meant", "mean"),
    ("sank", "sink"),
    ("sunk", "sink"),
    ("shook", "shake"),
    ("shaken", "shake"),
    ("shot", "shoot"),
    ("sought", "seek"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("stood", "stand"),
    ("stole", "steal"),
    ("stolen", "steal"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("wrote", "write"),
    ("written", "write"),
    ("withdrew", "withdraw"),
    ("withdrawn", "withdraw"),
    ("hid", "hide"),
    ("hidden", "hide"),
    ("broke", "break"),
    ("broken", "break"),
    ("caught", "catch"),
    ("taught", "teach"),
    ("thought", "think"),
    ("felt", "feel"),
    ("flew", "fly"),
    ("flown", "fly"),
    ("forgave", "forgive"),
    ("overtook", "overtake"),
    ("upheld", "uphold"),
    ("underwent", "undergo"),
    ("wed", "marry"),
    ("married", "marry"),
    ("killed", "kill"),
    ("slain", "kill"),
    ("slew", "kill"),
    ("children", "child"),
    ("men", "man"),
    ("women", "woman"),
    ("people", "person"),
    ("became", "become"),
    ("arose", "arise"),
    ("arisen", "arise"),
    ("fled", "flee"),
    ("hung", "hang"),
    ("rang", "ring"),
    ("sang", "sing"),
    ("sung", "sing"),
    ("slid", "slide"),
    ("spun", "spin"),
    ("swam", "swim"),
    ("tore", "tear"),
    ("torn", "tear"),
    ("woke", "wake"),
    ("wore", "wear"),
    ("worn", "wear"),
    // Numbers as words meet numbers as digits ("Forty towns" / "40 Towns").
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("thirteen", "13"),
    ("fourteen", "14"),
    ("fifteen", "15"),
    ("sixteen", "16"),
    ("seventeen", "17"),
    ("eighteen", "18"),
    ("nineteen", "19"),
    ("twenty", "20"),
    ("thirty", "30"),
    ("forty", "40"),
    ("fifty", "50"),
    ("sixty", "60"),
    ("seventy", "70"),
    ("eighty", "80"),
    ("ninety", "90"),
    ("hundred", "100"),
];

/// One term of a text: its id ([`term_id`], 63 bits) and, in the top bit, whether it was
/// capitalised away from the start of a sentence. Packed into one word because a corpus
/// holds a few hundred of these per article (8 bytes each rather than 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Term(u64);

const CAPITALISED: u64 = 1 << 63;

impl Term {
    pub fn new(id: TermId, capitalised_mid_sentence: bool) -> Term {
        Term(
            (id & !CAPITALISED)
                | if capitalised_mid_sentence {
                    CAPITALISED
                } else {
                    0
                },
        )
    }

    /// The lowercased, stemmed form, hashed ([`term_id`]).
    pub fn id(&self) -> TermId {
        self.0 & !CAPITALISED
    }

    /// Capitalised but not the first word of a sentence: a proper-noun sighting.
    pub fn capitalised_mid_sentence(&self) -> bool {
        self.0 & CAPITALISED != 0
    }
}

pub fn is_stop_word(word: &str) -> bool {
    STOP_SET.contains(word)
}

/// The raw words of `text`, lowercased, with sentence-start information:
/// `(word, capitalised, starts_sentence)`. Hyphens and other punctuation split words;
/// periods and apostrophes inside a word are dropped (`U.S.` → `us`, `3.25` → `325`), and a
/// trailing possessive `'s` is removed.
pub fn words(text: &str) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    each_word(text, |w, cap, start| out.push((w.to_string(), cap, start)));
    out
}

/// [`words`] without allocating: calls `f` with each word, from a reused buffer.
pub fn each_word(text: &str, mut f: impl FnMut(&str, bool, bool)) {
    let mut word = String::new();
    let mut clean = String::new();
    let mut capitalised = false;
    let mut sentence_start = true;
    let mut starts_sentence = true;
    let mut flush = |word: &mut String, capitalised: bool, starts: bool| {
        if word.is_empty() {
            return;
        }
        let w = word
            .strip_suffix("'s")
            .filter(|w| !w.is_empty())
            .unwrap_or(word.as_str());
        clean.clear();
        clean.extend(w.chars().filter(|c| *c != '\'' && *c != '.'));
        if !clean.is_empty() {
            f(&clean, capitalised, starts);
        }
        word.clear();
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let inner = matches!(c, '\'' | '\u{2019}' | '.');
        if c.is_alphanumeric() {
            if word.is_empty() {
                capitalised = c.is_uppercase();
                starts_sentence = sentence_start;
            }
            sentence_start = false;
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        } else if inner && !word.is_empty() && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            // "U.S", "3.25", "Vance's": keep the word together.
            word.push(if c == '.' { '.' } else { '\'' });
        } else {
            let ends_sentence = matches!(c, '.' | '!' | '?' | ':');
            // "U.S. President": a period right after a one-letter-per-dot abbreviation does
            // not end the sentence.
            let abbreviation = c == '.' && word.contains('.');
            flush(&mut word, capitalised, starts_sentence);
            if ends_sentence && !abbreviation {
                sentence_start = true;
            }
        }
    }
    flush(&mut word, capitalised, starts_sentence);
}

/// The terms of `text`: stop words removed, stemmed, hashed.
pub fn terms(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    each_word(text, |w, cap, start| {
        if let Some(id) = word_term(w) {
            out.push(Term::new(id, cap && !start));
        }
    });
    out
}

/// The term ids of `text`, in order.
pub fn ids(text: &str) -> Vec<TermId> {
    terms(text).into_iter().map(|t| t.id()).collect()
}

/// The term of a lowercase word, or `None` for a stop word. Remembered per thread.
fn word_term(word: &str) -> Option<TermId> {
    let key = xxh3_64(word.as_bytes());
    MEMO.with(|memo| {
        if let Some(&t) = memo.borrow().get(&key) {
            return t;
        }
        let t = (!is_stop_word(word)).then(|| term_id(&stem(word)));
        let mut memo = memo.borrow_mut();
        if memo.len() < MEMO_MAX {
            memo.insert(key, t);
        }
        t
    })
}

/// The id of a stem.
pub fn term_id(stem: &str) -> TermId {
    // 63 bits: a [`Term`] keeps a flag in the top one.
    xxh3_64(stem.as_bytes()) & !CAPITALISED
}

/// The stem of one lowercase word, irregular forms folded first.
pub fn stem(word: &str) -> String {
    let w = LEMMA_MAP.get(word).copied().unwrap_or(word);
    STEMMER.stem(w).into_owned()
}

/// The stems of `text`'s terms, as strings (for tests and explanations).
pub fn stems(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|(w, _, _)| !is_stop_word(w))
        .map(|(w, _, _)| stem(&w))
        .collect()
}

/// An article read once for every comparison the digest makes: the terms of its first
/// [`ANALYSIS_WORDS`] words, in order, and where its lead and its lede end.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Analysis {
    pub terms: Vec<Term>,
    /// `terms[..lead]` come from the first [`LEAD_WORDS`] words (whole sentences).
    pub lead: usize,
    /// `terms[..lede]` come from the lede: the first sentence, and the next ones until
    /// [`LEDE_MIN_WORDS`] words are reached.
    pub lede: usize,
}

/// Words of each article that are read at all.
pub const ANALYSIS_WORDS: usize = 400;
/// Words of the lead, which headlines are matched against.
pub const LEAD_WORDS: usize = 150;
/// The lede is at least this many words (the first sentence, or two when it is short).
pub const LEDE_MIN_WORDS: usize = 15;

/// Reads an article's paragraphs once, sentence by sentence.
pub fn analyze<S: AsRef<str>>(paragraphs: &[S]) -> Analysis {
    let mut a = Analysis::default();
    let mut words = 0;
    'paragraphs: for p in paragraphs {
        let mut rest = p.as_ref().trim_start();
        while !rest.is_empty() {
            if words >= ANALYSIS_WORDS {
                break 'paragraphs;
            }
            let sentence = super::text::first_sentence(rest);
            let in_lede = words < LEDE_MIN_WORDS;
            let in_lead = words < LEAD_WORDS;
            a.terms.extend(terms(sentence));
            words += sentence.split_whitespace().count();
            if in_lede {
                a.lede = a.terms.len();
            }
            if in_lead {
                a.lead = a.terms.len();
            }
            rest = rest[sentence.len()..].trim_start();
        }
    }
    // Held for every article until the signatures are made.
    a.terms = crate::held::at_length(a.terms);
    a
}

/// Numbers terms densely (0, 1, 2, …), so weights and postings can live in vectors.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: FxHashMap<TermId, u32>,
}

impl Vocabulary {
    pub fn id(&mut self, term: TermId) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(term).or_insert(next)
    }

    pub fn get(&self, term: TermId) -> Option<u32> {
        self.ids.get(&term).copied()
    }

    pub fn entries(&self) -> impl Iterator<Item = (&TermId, &u32)> {
        self.ids.iter()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// BM25's inverse document frequency: rare terms weigh more, and it never goes negative.
pub fn idf(docs: usize, df: usize) -> f64 {
    let (n, df) = (docs as f64, df as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_abbreviations_and_numbers_whole() {
        let w: Vec<_> = words("U.S. rates rose 3.25% in Vance's budget, a state-run plan.")
            .into_iter()
            .map(|(w, _, _)| w)
            .collect();
        assert_eq!(
            w,
            [
                "us", "rates", "rose", "325", "in", "vance", "budget", "a", "state", "run", "plan"
            ]
        );
    }

    #[test]
    fn proper_nouns_are_capitalised_mid_sentence() {
        let t = terms("Police said Storm Elske hit. Police then left for Port Aubrey.");
        let proper: Vec<_> = t
            .iter()
            .filter(|t| t.capitalised_mid_sentence())
            .map(|t| t.id())
            .collect();
        // "Police" starts both sentences, so it is not a proper-noun sighting.
        let want: Vec<TermId> = ["storm", "elsk", "port", "aubrey"].map(term_id).into();
        assert_eq!(proper, want);
    }

    #[test]
    fn stems_meet_across_tenses_and_numbers() {
        assert_eq!(stems("Holds Rates"), stems("hold rate"));
        assert_eq!(stems("Warns of shortages"), stems("warned shortage"));
        assert_eq!(
            stems("Two Dead as Storm Sweeps Inland"),
            stems("two died storm swept inland")
        );
        assert!(stems("The and of a").is_empty());
        assert_eq!(ids("Holds Rates"), ["hold", "rate"].map(term_id));
    }

    #[test]
    fn analysis_marks_lede_and_lead() {
        let a = analyze(&[
            "Storm Elske hit Port Aubrey. Trees fell.".to_string(),
            "Ferries stopped.".to_string(),
        ]);
        let ids: Vec<_> = a.terms.iter().map(|t| t.id()).collect();
        let want: Vec<TermId> = [
            "storm", "elsk", "hit", "port", "aubrey", "tree", "fall", "ferri", "stop",
        ]
        .map(term_id)
        .into();
        assert_eq!(ids, want);
        // The first sentence has 5 words, under the lede minimum: the lede runs on.
        assert_eq!(a.lede, 9);
        assert_eq!(a.lead, 9);
        let long = "word ".repeat(20) + "end. Next sentence here.";
        let a = analyze(&[long]);
        assert_eq!(a.lede, 21);
        assert_eq!(a.terms.len(), 23, "\"here\" is a stop word");
        // Held for every article until the signatures: at its length.
        assert_eq!(a.terms.capacity(), a.terms.len());
    }

    #[test]
    fn idf_prefers_rare_terms_and_stays_positive() {
        assert!(idf(100, 1) > idf(100, 50));
        assert!(idf(100, 100) > 0.0);
    }
}
