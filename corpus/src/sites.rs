//! The fictional news sites a realistic corpus is scraped from, and how each one dresses its
//! pages: the case its headlines are written in, the label (if any) above its "latest" box,
//! the dateline or agency prefix that opens its ledes, its bylines and photo credits, and the
//! boilerplate lines a scraper picks up from its pages, each at the rate it appears.
//!
//! Real sites differ in exactly these ways, and a reader tuned on one typography misreads the
//! others: most write headlines in sentence case, some in Title Case, a few in capitals; wire
//! services open every lede with a dateline; broadcasters sprinkle photo credits and share
//! prompts. Everything here is data plus small pure functions, so the generator draws from it
//! and the tests check it directly.

use crate::calendar::MONTHS;
use chrono::NaiveDate;

/// How a site writes its headlines. Templates are written in sentence case with proper nouns
/// capitalised; the other cases are derived from that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// "Council approves harbour budget for Port Aldwick"
    Sentence,
    /// "Council Approves Harbour Budget for Port Aldwick"
    Title,
    /// "COUNCIL APPROVES HARBOUR BUDGET FOR PORT ALDWICK"
    Upper,
}

impl Case {
    /// `headline` (sentence case) as this case writes it.
    pub fn apply(self, headline: &str) -> String {
        match self {
            Case::Sentence => headline.to_string(),
            Case::Title => title_case(headline),
            Case::Upper => headline.to_uppercase(),
        }
    }
}

/// Words Title Case leaves in lower case inside a headline (AP style: articles, conjunctions
/// and prepositions of up to three letters).
const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "in", "nor", "of", "on", "or", "the", "to",
    "vs",
];

/// Title Case of a sentence-case headline: every word capitalised (each part of a hyphenated
/// one too) except small words inside the headline; the first word and the word after a colon
/// are always capitalised. Units such as `km/h` are left alone.
pub fn title_case(headline: &str) -> String {
    let mut out = String::with_capacity(headline.len());
    let mut opens = true;
    for (k, word) in headline.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        if (!opens && SMALL_WORDS.contains(&bare)) || word.contains('/') {
            out.push_str(word);
        } else {
            for (p, part) in word.split('-').enumerate() {
                if p > 0 {
                    out.push('-');
                }
                out.push_str(&capitalise_first_letter(part));
            }
        }
        opens = word.ends_with(':');
    }
    out
}

/// Upper-cases the first letter, skipping any opening quote or bracket.
fn capitalise_first_letter(s: &str) -> String {
    match s.char_indices().find(|(_, c)| c.is_alphanumeric()) {
        Some((i, c)) => {
            let mut out = String::with_capacity(s.len());
            out.push_str(&s[..i]);
            out.extend(c.to_uppercase());
            out.push_str(&s[i + c.len_utf8()..]);
            out
        }
        None => s.to_string(),
    }
}

/// How a lede opens. Each form is one that real wire services and broadcasters use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dateline {
    /// `LINDMARK, February 7. /NNA/ - ` (a news agency's dateline, with the day).
    Agency(&'static str),
    /// `LINDMARK (Coastline) - ` (a wire service's dateline).
    Wire(&'static str),
    /// `LINDMARK — `
    Dash,
    /// `(KBN)` glued to the lede's first word, as broadcasters' sites print it.
    Prefix(&'static str),
}

impl Dateline {
    /// The text that opens a lede about `city` published on `day`, trailing space included
    /// where the form has one.
    pub fn text(self, city: &str, day: NaiveDate) -> String {
        use chrono::Datelike;
        let place = city.to_uppercase();
        match self {
            Dateline::Agency(code) => {
                let month = MONTHS[day.month0() as usize];
                format!("{place}, {month} {}. /{code}/ - ", day.day())
            }
            Dateline::Wire(name) => format!("{place} ({name}) - "),
            Dateline::Dash => format!("{place} — "),
            Dateline::Prefix(code) => format!("({code})"),
        }
    }
}

/// How a site credits its reporters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Byline {
    /// "By Jane Doe" as the dump's first line.
    By,
    /// "By JANE DOE" as the dump's first line.
    ByUpper,
    /// "Reporting by Jane Doe; Editing by John Roe" after the last paragraph.
    Closing,
}

impl Byline {
    pub fn text(self, reporter: &str, editor: &str) -> String {
        match self {
            Byline::By => format!("By {reporter}"),
            Byline::ByUpper => format!("By {}", reporter.to_uppercase()),
            Byline::Closing => format!("Reporting by {reporter}; Editing by {editor}"),
        }
    }
}

/// Where in the body a boilerplate line sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Before the first paragraph (after the byline).
    Top,
    /// Between two paragraphs.
    Middle,
    /// After the last paragraph.
    End,
}

/// A line a scraper picks up from the page around the article: the same text on every page
/// of the site that has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boilerplate {
    pub text: &'static str,
    pub place: Place,
    /// How many dumps in a thousand carry it.
    pub per_mille: u32,
}

const fn bp(text: &'static str, place: Place, per_mille: u32) -> Boilerplate {
    Boilerplate {
        text,
        place,
        per_mille,
    }
}

/// One site's house style. Rates are per mille of the site's dumps.
#[derive(Debug, PartialEq, Eq)]
pub struct Site {
    /// The site's short name: its folder with `--site-folders` and its `source` in the truth file.
    pub slug: &'static str,
    pub name: &'static str,
    /// Weight of the site in the corpus (its share of the articles).
    pub weight: u32,
    pub case: Case,
    /// The line above the headline list, if the site prints one.
    pub label: Option<&'static str>,
    pub dateline: Option<(Dateline, u32)>,
    pub byline: Option<(Byline, u32)>,
    /// Photo credit lines ("Image copyright …"), one drawn per dump that has one.
    pub credits: &'static [&'static str],
    pub credit_per_mille: u32,
    pub boilerplate: &'static [Boilerplate],
    /// "Read more: <another article's headline>" lines between paragraphs.
    pub read_more_per_mille: u32,
    /// Reporters and editors named in bylines.
    pub staff: &'static [&'static str],
}

/// The realistic corpus's sites. Most write headlines in sentence case, as most real sites do;
/// one uses Title Case and one capitals.
pub const SITES: &[Site] = &[
    Site {
        slug: "harbour-courier",
        name: "The Harbour Courier",
        weight: 26,
        case: Case::Sentence,
        label: Some("More headlines"),
        dateline: Some((Dateline::Dash, 450)),
        byline: Some((Byline::By, 700)),
        credits: &["Photo: Harbour Courier", "Photo: Kestrian Press Agency"],
        credit_per_mille: 200,
        boilerplate: &[
            bp("Advertisement", Place::Middle, 500),
            bp("Share this article", Place::End, 600),
            bp(
                "Sign up to the Morning Courier newsletter for the day's top stories in your inbox",
                Place::End,
                300,
            ),
        ],
        read_more_per_mille: 0,
        staff: &["Jane Doe", "Pieter Hals", "Mira Oduya", "Tomas Bell"],
    },
    Site {
        slug: "kestria-today",
        name: "Kestria Today",
        weight: 20,
        case: Case::Title,
        label: Some("Read more"),
        dateline: None,
        byline: Some((Byline::By, 400)),
        credits: &[],
        credit_per_mille: 0,
        boilerplate: &[
            bp("Share on Facebook", Place::End, 400),
            bp("Share on Twitter", Place::End, 400),
            bp(
                "We use cookies to give you the best experience on our website. By continuing to browse you agree to our use of cookies.",
                Place::End,
                250,
            ),
        ],
        read_more_per_mille: 500,
        staff: &["Anna Lindqvist", "Rob Meyer", "Sofie Tan"],
    },
    Site {
        slug: "nna",
        name: "North News Agency",
        weight: 18,
        case: Case::Sentence,
        label: None,
        dateline: Some((Dateline::Agency("NNA"), 1000)),
        byline: None,
        credits: &[],
        credit_per_mille: 0,
        boilerplate: &[bp(
            "All rights reserved. Republication only with a link to North News Agency.",
            Place::End,
            150,
        )],
        read_more_per_mille: 0,
        staff: &[],
    },
    Site {
        slug: "coastline-wire",
        name: "Coastline Wire",
        weight: 14,
        case: Case::Sentence,
        label: Some("Latest"),
        dateline: Some((Dateline::Wire("Coastline"), 900)),
        byline: Some((Byline::Closing, 800)),
        credits: &[],
        credit_per_mille: 0,
        boilerplate: &[bp(
            "Our Standards: The Coastline Trust Principles.",
            Place::End,
            500,
        )],
        read_more_per_mille: 0,
        staff: &["Karin Welt", "Omar Feld", "Lise Brandt", "Joe Amsel"],
    },
    Site {
        slug: "kbn",
        name: "KBN News",
        weight: 12,
        case: Case::Sentence,
        label: Some("Most popular"),
        dateline: Some((Dateline::Prefix("KBN"), 700)),
        byline: None,
        credits: &[
            "Image copyright Kestrian Press Agency",
            "Image copyright KBN",
            "Image copyright Harbour Pictures",
        ],
        credit_per_mille: 600,
        boilerplate: &[
            bp(
                "Media playback is unsupported on your device",
                Place::Top,
                300,
            ),
            bp(
                "Share this with Email Facebook Messenger Twitter",
                Place::End,
                400,
            ),
        ],
        read_more_per_mille: 0,
        staff: &[],
    },
    Site {
        slug: "evening-beacon",
        name: "The Evening Beacon",
        weight: 10,
        case: Case::Upper,
        label: None,
        dateline: None,
        byline: Some((Byline::ByUpper, 500)),
        credits: &[],
        credit_per_mille: 0,
        boilerplate: &[
            bp("ADVERTISEMENT", Place::Middle, 600),
            bp(
                "Sign up for the Evening Beacon newsletter and get the day's news in your inbox",
                Place::End,
                400,
            ),
            bp("Comments are closed.", Place::End, 200),
        ],
        read_more_per_mille: 0,
        staff: &["Dana Ruiz", "Felix Oren"],
    },
];

/// The one site of a classic corpus: Title Case, clean ledes, no boilerplate.
pub const CLASSIC: Site = Site {
    slug: "kestria-news",
    name: "Kestria News",
    weight: 1,
    case: Case::Title,
    label: None,
    dateline: None,
    byline: None,
    credits: &[],
    credit_per_mille: 0,
    boilerplate: &[],
    read_more_per_mille: 0,
    staff: &[],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_keeps_small_words_units_and_quotes() {
        assert_eq!(
            title_case("Bank of Kestria holds rates at 3.25% as inflation stays stubborn"),
            "Bank of Kestria Holds Rates at 3.25% as Inflation Stays Stubborn"
        );
        assert_eq!(
            title_case("Storm Elske brings 120 km/h gusts to the coast"),
            "Storm Elske Brings 120 km/h Gusts to the Coast"
        );
        assert_eq!(
            title_case("Okafor signs new three-year contract with Kestria United"),
            "Okafor Signs New Three-Year Contract With Kestria United"
        );
        assert_eq!(
            title_case("Rail strike: what the commuters of Corwen need to know"),
            "Rail Strike: What the Commuters of Corwen Need to Know"
        );
        assert_eq!(
            title_case("‘We will not be distracted by games’, says Verhoek"),
            "‘We Will Not Be Distracted by Games’, Says Verhoek"
        );
        assert_eq!(title_case("a 12-day repair"), "A 12-Day Repair");
    }

    #[test]
    fn cases_apply() {
        let h = "Will the Bank of Kestria cut rates in March?";
        assert_eq!(Case::Sentence.apply(h), h);
        assert_eq!(
            Case::Title.apply(h),
            "Will the Bank of Kestria Cut Rates in March?"
        );
        assert_eq!(
            Case::Upper.apply(h),
            "WILL THE BANK OF KESTRIA CUT RATES IN MARCH?"
        );
    }

    #[test]
    fn datelines_in_their_real_forms() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 7).unwrap();
        assert_eq!(
            Dateline::Agency("NNA").text("Lindmark", day),
            "LINDMARK, February 7. /NNA/ - "
        );
        assert_eq!(
            Dateline::Wire("Coastline").text("Port Aldwick", day),
            "PORT ALDWICK (Coastline) - "
        );
        assert_eq!(Dateline::Dash.text("Corwen", day), "CORWEN — ");
        assert_eq!(Dateline::Prefix("KBN").text("Corwen", day), "(KBN)");
        assert_eq!(Byline::By.text("Jane Doe", "x"), "By Jane Doe");
        assert_eq!(Byline::ByUpper.text("Jane Doe", "x"), "By JANE DOE");
        assert_eq!(
            Byline::Closing.text("Jane Doe", "John Roe"),
            "Reporting by Jane Doe; Editing by John Roe"
        );
    }

    #[test]
    fn sites_differ_and_one_of_each_case_exists() {
        let slugs: std::collections::HashSet<_> = SITES.iter().map(|s| s.slug).collect();
        assert_eq!(slugs.len(), SITES.len());
        assert!(!slugs.contains(CLASSIC.slug));
        for case in [Case::Sentence, Case::Title, Case::Upper] {
            assert!(SITES.iter().any(|s| s.case == case), "{case:?}");
        }
        let sentence = SITES.iter().filter(|s| s.case == Case::Sentence).count();
        assert!(sentence * 2 > SITES.len(), "most sites write sentence case");
        for s in SITES {
            assert!(s.weight > 0);
            let bylined = s.byline.is_some_and(|(_, r)| r > 0);
            assert_eq!(
                bylined,
                !s.staff.is_empty(),
                "{}: bylines need staff",
                s.slug
            );
            assert_eq!(s.credits.is_empty(), s.credit_per_mille == 0, "{}", s.slug);
        }
    }
}
