//! The reader-facing words of a site in its `language`: the theme's strings (a built-in table
//! in English, German, French and Spanish, any of which `site.yaml` `strings:` overrides) and
//! the names of days and months (chrono's locale data, so any language chrono knows gets
//! localised dates). Resolved once per build, at configuration time; rendering only looks
//! values up, so it stays as fast as the hand-written English day formatter it replaces.

use crate::model::{Day, MONTHS, WEEKDAYS};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// A language of the built-in table. Others get English strings (and chrono's day and month
/// names when chrono knows the language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    En,
    De,
    Fr,
    Es,
}

impl Builtin {
    /// The table for a BCP 47 tag (`de`, `de-AT`, `fr_CA`), by its primary subtag.
    pub fn for_language(tag: &str) -> Builtin {
        match primary_subtag(tag).as_str() {
            "de" => Builtin::De,
            "fr" => Builtin::Fr,
            "es" => Builtin::Es,
            _ => Builtin::En,
        }
    }
}

fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Declares every string once, with its four built-in translations: the `Strings` table that
/// templates receive as `strings`, the `StringOverrides` that `site.yaml` `strings:` parses
/// into (an unknown key is an error naming it, as everywhere in `site.yaml`), and `KEYS`.
macro_rules! strings {
    ($( $(#[doc = $doc:literal])* $key:ident: $en:literal, $de:literal, $fr:literal, $es:literal; )*) => {
        /// Every reader-facing string of the theme, in the site's language. Placeholders in
        /// braces (`{n}`, `{site}`, `{day}` …) are filled by the template or by render.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        pub struct Strings {
            $( $(#[doc = $doc])* pub $key: String, )*
        }

        /// `site.yaml` `strings:`: any string of [`Strings`] replaced for this site.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct StringOverrides {
            $( pub $key: Option<String>, )*
        }

        impl Strings {
            pub fn builtin(lang: Builtin) -> Strings {
                match lang {
                    Builtin::En => Strings { $( $key: $en.into(), )* },
                    Builtin::De => Strings { $( $key: $de.into(), )* },
                    Builtin::Fr => Strings { $( $key: $fr.into(), )* },
                    Builtin::Es => Strings { $( $key: $es.into(), )* },
                }
            }

            fn apply(&mut self, o: &StringOverrides) {
                $( if let Some(v) = &o.$key { self.$key = v.clone(); } )*
            }
        }

        /// The name of every string, in table order (for documentation and tests).
        pub const KEYS: &[&str] = &[ $( stringify!($key), )* ];
    };
}

strings! {
    /// Date patterns: `{weekday}`, `{day}`, `{month}`, `{mon}` (short month), `{year}`,
    /// `{dd}` and `{mm}` (two digits).
    date_long: "{weekday} {day} {month} {year}", "{weekday}, {day}. {month} {year}", "{weekday} {day} {month} {year}", "{weekday}, {day} de {month} de {year}";
    date_short: "{day} {mon} {year}", "{day}. {mon} {year}", "{day} {mon} {year}", "{day} {mon} {year}";
    date_month: "{month} {year}", "{month} {year}", "{month} {year}", "{month} de {year}";
    skip_to_content: "Skip to main content", "Zum Inhalt springen", "Aller au contenu", "Saltar al contenido";
    nav_site: "Site", "Website", "Site", "Sitio";
    nav_footer: "Footer", "Fußzeile", "Pied de page", "Pie de página";
    front_page: "Front page", "Titelseite", "Accueil", "Portada";
    archive: "Archive", "Archiv", "Archives", "Archivo";
    headlines: "Headlines", "Schlagzeilen", "Titres", "Titulares";
    topics: "Topics", "Themen", "Sujets", "Temas";
    sources: "Sources", "Quellen", "Sources", "Fuentes";
    search: "Search", "Suche", "Recherche", "Buscar";
    built_with: "Built with {generator}", "Erstellt mit {generator}", "Créé avec {generator}", "Creado con {generator}";
    story: "story", "Meldung", "article", "noticia";
    stories: "stories", "Meldungen", "articles", "noticias";
    article: "article", "Artikel", "article", "artículo";
    articles: "articles", "Artikel", "articles", "artículos";
    word: "word", "Wort", "mot", "palabra";
    words: "words", "Wörter", "mots", "palabras";
    topic: "topic", "Thema", "sujet", "tema";
    topics_lower: "topics", "Themen", "sujets", "temas";
    headline: "headline", "Schlagzeile", "titre", "titular";
    headlines_lower: "headlines", "Schlagzeilen", "titres", "titulares";
    mention: "mention", "Nennung", "mention", "mención";
    mentions: "mentions", "Nennungen", "mentions", "menciones";
    daily_digest: "daily digest", "Tagesausgabe", "édition quotidienne", "edición diaria";
    daily_digests: "daily digests", "Tagesausgaben", "éditions quotidiennes", "ediciones diarias";
    page_n: "page {n}", "Seite {n}", "page {n}", "página {n}";
    page_n_of: "Page {n} of {total}", "Seite {n} von {total}", "Page {n} sur {total}", "Página {n} de {total}";
    pages: "Pages", "Seiten", "Pages", "Páginas";
    page: "Page", "Seite", "Page", "Página";
    previous: "Previous", "Zurück", "Précédent", "Anterior";
    next: "Next", "Weiter", "Suivant", "Siguiente";
    number: "Number", "Nummer", "Numéro", "Número";
    top_stories: "Top stories", "Top-Meldungen", "À la une", "Lo más destacado";
    lead_story: "Lead story", "Aufmacher", "Article principal", "Noticia principal";
    /// How many front pages (the headline lists of other articles' sources) carried a story.
    on_front_page: "on {n} front page", "auf {n} Titelseite", "en une de {n} site", "en {n} portada";
    on_front_pages: "on {n} front pages", "auf {n} Titelseiten", "en une de {n} sites", "en {n} portadas";
    more_stories: "More stories", "Weitere Meldungen", "Autres articles", "Más noticias";
    more_stories_day: "More stories from this day", "Weitere Meldungen dieses Tages", "Autres articles du jour", "Más noticias de este día";
    no_stories: "This digest has no stories.", "Diese Ausgabe enthält keine Meldungen.", "Cette édition ne contient aucun article.", "Esta edición no tiene noticias.";
    more_from_digest: "More from the digest", "Mehr aus dieser Ausgabe", "Plus dans cette édition", "Más de esta edición";
    new_today: "New today", "Neu heute", "Nouveau aujourd'hui", "Nuevo hoy";
    new_this_day: "New this day", "Neu an diesem Tag", "Nouveau ce jour-là", "Nuevo ese día";
    more_in_index: "{n} more in the headline index", "{n} weitere im Schlagzeilenverzeichnis", "{n} de plus dans l'index des titres", "{n} más en el índice de titulares";
    earlier_digests: "Earlier digests", "Frühere Ausgaben", "Éditions précédentes", "Ediciones anteriores";
    full_archive: "Full archive", "Gesamtes Archiv", "Toutes les archives", "Archivo completo";
    no_stories_yet: "No stories yet", "Noch keine Meldungen", "Pas encore d'articles", "Todavía no hay noticias";
    nothing_published_site: "{site} has not published any digests. Check back soon.", "{site} hat noch keine Ausgaben veröffentlicht. Schauen Sie bald wieder vorbei.", "{site} n'a encore publié aucune édition. Revenez bientôt.", "{site} todavía no ha publicado ninguna edición. Vuelva pronto.";
    daily_digest_kicker: "Daily digest", "Tagesausgabe", "Édition du jour", "Edición diaria";
    minutes_of_reading: "{n} min of reading", "{n} Min. Lesezeit", "{n} min de lecture", "{n} min de lectura";
    min_read: "{n} min read", "{n} Min. Lesezeit", "{n} min de lecture", "{n} min de lectura";
    older: "Older", "Älter", "Plus ancienne", "Anterior";
    newer: "Newer", "Neuer", "Plus récente", "Siguiente";
    older_digest: "Older digest", "Ältere Ausgabe", "Édition précédente", "Edición anterior";
    newer_digest: "Newer digest", "Neuere Ausgabe", "Édition suivante", "Edición siguiente";
    neighbouring_days: "Neighbouring days", "Benachbarte Tage", "Jours voisins", "Días cercanos";
    previous_and_next_day: "Previous and next day", "Vorheriger und nächster Tag", "Jour précédent et suivant", "Día anterior y siguiente";
    digest_of: "Digest of", "Ausgabe vom", "Édition du", "Edición del";
    rank_of: "No. {n} of {total}", "Nr. {n} von {total}", "N° {n} sur {total}", "N.º {n} de {total}";
    by_author: "By {author}", "Von {author}", "Par {author}", "Por {author}";
    tags: "Tags", "Schlagwörter", "Mots-clés", "Etiquetas";
    read_original: "Read the original", "Zum Original", "Lire l'original", "Leer el original";
    read_original_at: "Read the original at {source}", "Original bei {source} lesen", "Lire l'original sur {source}", "Leer el original en {source}";
    markdown_source: "Markdown source", "Markdown-Quelle", "Source Markdown", "Fuente en Markdown";
    title_derived: "The headline of this article was derived automatically from its text.", "Die Überschrift dieses Artikels wurde automatisch aus seinem Text gebildet.", "Le titre de cet article a été tiré automatiquement de son texte.", "El titular de este artículo se extrajo automáticamente de su texto.";
    title_from_headlines: "The headline of this article was found in the source site's other headline lists.", "Die Überschrift dieses Artikels stammt aus den Schlagzeilenlisten der Quelle.", "Le titre de cet article provient des listes de titres du site source.", "El titular de este artículo procede de las listas de titulares del sitio de origen.";
    title_first_line: "The headline of this article is its first line.", "Die Überschrift dieses Artikels ist seine erste Zeile.", "Le titre de cet article est sa première ligne.", "El titular de este artículo es su primera línea.";
    also_received_as: "Also received as", "Auch erhalten als", "Également reçu sous", "También recibido como";
    identical_text: "identical text", "identischer Text", "texte identique", "texto idéntico";
    similar_text: "{n}% the same text", "{n} % gleicher Text", "{n} % de texte identique", "{n} % del texto igual";
    marked_copy: "marked as a copy", "als Kopie markiert", "marqué comme copie", "marcado como copia";
    related_coverage: "Related coverage", "Mehr zum Thema", "Sur le même sujet", "Cobertura relacionada";
    /// Why a related article is listed.
    why_same_story: "same story", "dieselbe Meldung", "même événement", "misma noticia";
    why_storyline: "same developing story", "dieselbe laufende Geschichte", "même sujet en développement", "misma noticia en desarrollo";
    why_topic: "also about {topic}", "auch zu {topic}", "aussi sur {topic}", "también sobre {topic}";
    why_text: "close in text", "ähnlicher Text", "texte proche", "texto parecido";
    also_covered_by: "Also covered by", "Auch berichtet von", "Également couvert par", "También cubierto por";
    covered_by_sites: "covered by {n} sites", "von {n} Quellen berichtet", "couvert par {n} sites", "cubierto por {n} sitios";
    story_coverage: "Coverage of this story", "Berichte zu dieser Meldung", "Couverture de cet événement", "Cobertura de esta noticia";
    developing_story: "Developing story", "Laufende Geschichte", "Sujet en développement", "Noticia en desarrollo";
    developing_stories: "Developing stories", "Laufende Geschichten", "Sujets en développement", "Noticias en desarrollo";
    follow_storyline: "Follow this story", "Dieser Geschichte folgen", "Suivre ce sujet en développement", "Seguir esta noticia";
    storylines_lede: "{stories} that went on over several days, newest first.", "{stories}, die über mehrere Tage weitergingen, neueste zuerst.", "{stories} qui se sont poursuivis sur plusieurs jours, les plus récents d'abord.", "{stories} que continuaron varios días, las más recientes primero.";
    no_storylines: "No developing stories yet. A story gets its page once its coverage goes on over several days.", "Noch keine laufenden Geschichten. Eine Geschichte bekommt ihre Seite, sobald über mehrere Tage berichtet wird.", "Pas encore de sujets en développement. Un sujet a sa page dès que sa couverture dure plusieurs jours.", "Todavía no hay noticias en desarrollo. Una noticia tiene su página cuando su cobertura dura varios días.";
    storyline_description: "{articles} on “{story}”, day by day.", "{articles} zu „{story}“, Tag für Tag.", "{articles} sur « {story} », jour après jour.", "{articles} sobre «{story}», día a día.";
    storylines_description: "The stories {site} followed over several days.", "Die Geschichten, denen {site} über mehrere Tage folgte.", "Les sujets que {site} a suivis sur plusieurs jours.", "Las noticias que {site} siguió durante varios días.";
    previous_story: "Previous story", "Vorherige Meldung", "Article précédent", "Noticia anterior";
    next_story: "Next story", "Nächste Meldung", "Article suivant", "Noticia siguiente";
    neighbouring_stories: "Previous and next story", "Vorherige und nächste Meldung", "Article précédent et suivant", "Noticia anterior y siguiente";
    more_headlines: "More headlines", "Weitere Schlagzeilen", "Autres titres", "Más titulares";
    back_issues: "Back issues", "Alle Ausgaben", "Anciens numéros", "Números anteriores";
    archive_lede: "{articles} in {days}.", "{articles} in {days}.", "{articles} dans {days}.", "{articles} en {days}.";
    nothing_published: "Nothing has been published yet.", "Noch nichts veröffentlicht.", "Rien n'a encore été publié.", "Todavía no se ha publicado nada.";
    headline_index: "Headline index", "Schlagzeilenverzeichnis", "Index des titres", "Índice de titulares";
    a_z_index: "A–Z index", "Register A–Z", "Index A–Z", "Índice A–Z";
    headlines_lede: "{headlines}, {linked} with a full article. Sorted alphabetically.", "{headlines}, {linked} mit vollständigem Artikel. Alphabetisch sortiert.", "{headlines}, dont {linked} avec l'article complet. Par ordre alphabétique.", "{headlines}, {linked} con el artículo completo. En orden alfabético.";
    no_headlines: "No headlines yet.", "Noch keine Schlagzeilen.", "Pas encore de titres.", "Todavía no hay titulares.";
    follow_the_story: "Follow the story", "Dranbleiben", "Suivre l'actualité", "Seguir la noticia";
    topics_lede: "{topics} across {articles}: the people, places and organisations the news keeps returning to, and the tags our editors gave.", "{topics} in {articles}: die Menschen, Orte und Organisationen, um die es in den Nachrichten immer wieder geht, und die Schlagwörter der Redaktion.", "{topics} dans {articles} : les personnes, lieux et organisations qui reviennent dans l'actualité, et les mots-clés de la rédaction.", "{topics} en {articles}: las personas, lugares y organizaciones a los que vuelve la actualidad, y las etiquetas de la redacción.";
    no_topics: "No topics yet. Topics appear once a name recurs across articles, or when articles carry tags.", "Noch keine Themen. Themen entstehen, sobald ein Name in mehreren Artikeln vorkommt oder Artikel Schlagwörter tragen.", "Pas encore de sujets. Un sujet apparaît dès qu'un nom revient dans plusieurs articles, ou quand des articles portent des mots-clés.", "Todavía no hay temas. Un tema aparece cuando un nombre se repite en varios artículos o cuando los artículos llevan etiquetas.";
    topic_kicker: "Topic", "Thema", "Sujet", "Tema";
    newest_first: "newest first", "neueste zuerst", "les plus récents d'abord", "los más recientes primero";
    follow_topic: "Follow this topic", "Diesem Thema folgen", "Suivre ce sujet", "Seguir este tema";
    no_articles_page: "No articles on this page.", "Keine Artikel auf dieser Seite.", "Aucun article sur cette page.", "No hay artículos en esta página.";
    search_title: "Search the digest", "Die Ausgaben durchsuchen", "Rechercher dans le digest", "Buscar en el resumen";
    search_label: "Search {n} articles", "{n} Artikel durchsuchen", "Rechercher dans {n} articles", "Buscar en {n} artículos";
    search_placeholder: "Search {n} articles by title, summary or topic", "{n} Artikel nach Titel, Zusammenfassung oder Thema durchsuchen", "Rechercher dans {n} articles par titre, résumé ou sujet", "Buscar en {n} artículos por título, resumen o tema";
    search_prompt: "Type a name, place or word: results appear as you type.", "Geben Sie einen Namen, Ort oder ein Wort ein: Die Ergebnisse erscheinen beim Tippen.", "Tapez un nom, un lieu ou un mot : les résultats s'affichent au fil de la frappe.", "Escriba un nombre, lugar o palabra: los resultados aparecen mientras escribe.";
    search_loading: "Loading the search index…", "Suchindex wird geladen …", "Chargement de l'index de recherche…", "Cargando el índice de búsqueda…";
    search_none: "No articles match “{q}”.", "Keine Artikel zu „{q}“.", "Aucun article ne correspond à « {q} ».", "Ningún artículo coincide con «{q}».";
    search_one: "1 article matches “{q}”.", "1 Artikel zu „{q}“.", "1 article correspond à « {q} ».", "1 artículo coincide con «{q}».";
    search_many: "{n} articles match “{q}”.", "{n} Artikel zu „{q}“.", "{n} articles correspondent à « {q} ».", "{n} artículos coinciden con «{q}».";
    search_best: "{n} articles match “{q}”; showing the best {max}.", "{n} Artikel zu „{q}“; die besten {max} werden gezeigt.", "{n} articles correspondent à « {q} » ; voici les {max} meilleurs.", "{n} artículos coinciden con «{q}»; se muestran los {max} mejores.";
    search_unavailable: "Search is unavailable: the index could not be loaded ({error}).", "Die Suche ist nicht verfügbar: Der Index konnte nicht geladen werden ({error}).", "La recherche est indisponible : l'index n'a pas pu être chargé ({error}).", "La búsqueda no está disponible: no se pudo cargar el índice ({error}).";
    search_noscript: "Search runs in your browser and needs JavaScript. You can browse the topics, the archive or every headline instead.", "Die Suche läuft im Browser und braucht JavaScript. Stattdessen können Sie die Themen, das Archiv oder alle Schlagzeilen durchsehen.", "La recherche fonctionne dans le navigateur et nécessite JavaScript. Vous pouvez parcourir les sujets, les archives ou tous les titres.", "La búsqueda funciona en el navegador y necesita JavaScript. Puede consultar los temas, el archivo o todos los titulares.";
    error_404: "Error 404", "Fehler 404", "Erreur 404", "Error 404";
    page_not_found: "Page not found", "Seite nicht gefunden", "Page introuvable", "Página no encontrada";
    not_found_text: "Sorry, there is nothing at this address. The story may have moved, or the link may be mistyped.", "Unter dieser Adresse gibt es leider nichts. Die Meldung ist vielleicht umgezogen, oder der Link ist falsch geschrieben.", "Désolé, il n'y a rien à cette adresse. L'article a peut-être été déplacé, ou le lien est mal saisi.", "Lo sentimos, no hay nada en esta dirección. Puede que la noticia se haya movido o que el enlace esté mal escrito.";
    go_front_page: "Go to the front page", "Zur Titelseite", "Aller à l'accueil", "Ir a la portada";
    browse_archive: "Browse the archive", "Im Archiv blättern", "Parcourir les archives", "Consultar el archivo";
    see_headlines: "See every headline", "Alle Schlagzeilen ansehen", "Voir tous les titres", "Ver todos los titulares";
    lead_headlines: "Lead stories", "Aufmacher", "Principaux articles", "Noticias principales";
    day_description: "The news digest for {day}: {articles}.", "Der Nachrichtenüberblick vom {day}: {articles}.", "Le digest de l'actualité du {day} : {articles}.", "El resumen de noticias del {day}: {articles}.";
    day_feed_description: "The {site} digest of {day}.", "Die Ausgabe von {site} vom {day}.", "L'édition de {site} du {day}.", "La edición de {site} del {day}.";
    archive_description: "Every day of {site}.", "Alle Tage von {site}.", "Tous les jours de {site}.", "Todos los días de {site}.";
    headlines_description: "Every headline the digest has seen.", "Alle Schlagzeilen, die die Ausgaben erwähnt haben.", "Tous les titres vus par le digest.", "Todos los titulares que ha visto el resumen.";
    topics_description: "The people, places and subjects {site} covers.", "Die Menschen, Orte und Themen, über die {site} berichtet.", "Les personnes, lieux et sujets que couvre {site}.", "Las personas, lugares y temas que cubre {site}.";
    topic_description: "{articles} about {topic}, newest first.", "{articles} über {topic}, neueste zuerst.", "{articles} sur {topic}, les plus récents d'abord.", "{articles} sobre {topic}, los más recientes primero.";
    search_description: "Search every article of {site}.", "Alle Artikel von {site} durchsuchen.", "Rechercher dans tous les articles de {site}.", "Buscar en todos los artículos de {site}.";
    not_found_description: "This page does not exist.", "Diese Seite gibt es nicht.", "Cette page n'existe pas.", "Esta página no existe.";
}

/// Fills `{name}` placeholders of `pattern` from `values`; unknown placeholders stay as written,
/// so a typo in an overridden string shows on the page instead of vanishing.
pub fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Day and month names in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateNames {
    weekdays: [String; 7],
    months: [String; 12],
    months_short: [String; 12],
}

impl DateNames {
    pub fn english() -> DateNames {
        DateNames {
            weekdays: WEEKDAYS.map(String::from),
            months: MONTHS.map(String::from),
            months_short: MONTHS.map(|m| m[..3].to_string()),
        }
    }

    /// chrono's names for `tag` (`de`, `pt-BR`, `fr_CA`), English when chrono has no locale
    /// for it.
    pub fn for_language(tag: &str) -> DateNames {
        if primary_subtag(tag) == "en" {
            return DateNames::english();
        }
        match chrono_locale(tag) {
            Some(locale) => {
                // 2024-01-01 is a Monday: day i of that week is weekday i, Monday first.
                let name = |m: u32, d: u32, f: &str| {
                    chrono::NaiveDate::from_ymd_opt(2024, m, d)
                        .map(|date| date.format_localized(f, locale).to_string())
                        .unwrap_or_default()
                };
                DateNames {
                    weekdays: std::array::from_fn(|i| name(1, i as u32 + 1, "%A")),
                    months: std::array::from_fn(|i| name(i as u32 + 1, 1, "%B")),
                    months_short: std::array::from_fn(|i| name(i as u32 + 1, 1, "%b")),
                }
            }
            None => DateNames::english(),
        }
    }
}

/// chrono's locale for a BCP 47 tag: `pt-BR` is `pt_BR`; a bare language is tried as its
/// usual country (`de` as `de_DE`, then a few whose country code differs).
fn chrono_locale(tag: &str) -> Option<chrono::Locale> {
    let mut parts = tag.split(['-', '_']);
    let lang = parts.next()?.to_ascii_lowercase();
    let region = parts.next().map(str::to_ascii_uppercase);
    let usual = match lang.as_str() {
        "cs" => "CZ",
        "da" => "DK",
        "el" => "GR",
        "ja" => "JP",
        "ko" => "KR",
        "nb" | "nn" => "NO",
        "sv" => "SE",
        "uk" => "UA",
        "zh" => "CN",
        "he" => "IL",
        "ar" => "SA",
        "hi" => "IN",
        "sl" => "SI",
        "et" => "EE",
        "ca" => "ES",
        _ => "",
    };
    let mut candidates = Vec::new();
    if let Some(r) = region {
        candidates.push(format!("{lang}_{r}"));
    }
    if !usual.is_empty() {
        candidates.push(format!("{lang}_{usual}"));
    }
    candidates.push(format!("{lang}_{}", lang.to_ascii_uppercase()));
    candidates
        .iter()
        .find_map(|c| chrono::Locale::try_from(c.as_str()).ok())
}

/// A site's language, resolved: its strings and its date names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    pub strings: Strings,
    names: DateNames,
}

impl Locale {
    pub fn new(language: &str, overrides: &StringOverrides) -> Locale {
        let mut strings = Strings::builtin(Builtin::for_language(language));
        strings.apply(overrides);
        Locale {
            strings,
            names: DateNames::for_language(language),
        }
    }

    pub fn english() -> Locale {
        Locale::new("en", &StringOverrides::default())
    }

    /// `day` written by `pattern` (see [`Strings::date_long`] for the placeholders). Written
    /// directly, not through chrono's format strings (parsed anew on every call), and only the
    /// placeholders the pattern uses are computed: every page names dozens of days.
    pub fn format(&self, day: Day, pattern: &str) -> String {
        use std::fmt::Write;
        let date = day.date();
        let mut out = String::with_capacity(pattern.len() + 16);
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let m0 = date.month0() as usize;
            // Writing to a String cannot fail.
            let _ = match &after[..close] {
                "weekday" => out.write_str(
                    &self.names.weekdays[date.weekday().num_days_from_monday() as usize],
                ),
                "day" => write!(out, "{}", date.day()),
                "month" => out.write_str(&self.names.months[m0]),
                "mon" => out.write_str(&self.names.months_short[m0]),
                "year" => write!(out, "{}", date.year()),
                "dd" => write!(out, "{:02}", date.day()),
                "mm" => write!(out, "{:02}", date.month()),
                _ => out.write_str(&rest[open..open + close + 2]),
            };
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// `Thursday 5 February 2026` (English); `Donnerstag, 5. Februar 2026` (German).
    pub fn human(&self, day: Day) -> String {
        self.format(day, &self.strings.date_long)
    }

    /// `5 Feb 2026`
    pub fn short(&self, day: Day) -> String {
        self.format(day, &self.strings.date_short)
    }

    /// `February 2026`
    pub fn month_label(&self, day: Day) -> String {
        self.format(day, &self.strings.date_month)
    }

    /// A date for the `date` template filter: `format` is `long` (the default), `short`,
    /// `month`, `iso`, or a pattern with placeholders. `value` is an ISO date or an RFC 3339
    /// time (its date part is used, as written).
    pub fn format_value(&self, value: &str, format: &str) -> Result<String, String> {
        let day = value
            .get(..10)
            .and_then(Day::parse_iso)
            .filter(|_| value.len() == 10 || value.as_bytes()[10] == b'T')
            .ok_or_else(|| {
                format!("date filter: expected an ISO date (2026-02-05) or an RFC 3339 time, got {value:?}")
            })?;
        Ok(match format {
            "long" => self.human(day),
            "short" => self.short(day),
            "month" => self.month_label(day),
            "iso" => day.iso(),
            pattern => self.format(day, pattern),
        })
    }

    /// `n` followed by the singular or plural noun: `1 article`, `3 Artikel`.
    pub fn count(&self, n: usize, one: &str, many: &str) -> String {
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Day {
        Day::from_ymd(2026, 2, 5).unwrap()
    }

    #[test]
    fn english_dates_match_the_model_formatter() {
        let en = Locale::english();
        assert_eq!(en.human(day()), day().human());
        assert_eq!(en.short(day()), day().short());
        assert_eq!(en.month_label(day()), day().month_label());
    }

    #[test]
    fn german_french_and_spanish_dates() {
        let none = StringOverrides::default();
        let de = Locale::new("de", &none);
        assert_eq!(de.human(day()), "Donnerstag, 5. Februar 2026");
        assert_eq!(de.month_label(day()), "Februar 2026");
        assert_eq!(
            Locale::new("fr-FR", &none).human(day()),
            "jeudi 5 février 2026"
        );
        assert_eq!(
            Locale::new("es", &none).human(day()),
            "jueves, 5 de febrero de 2026"
        );
        // A language without a built-in table still gets chrono's names.
        let pt = Locale::new("pt-BR", &none);
        assert_eq!(pt.strings.top_stories, "Top stories");
        assert!(pt.human(day()).contains("fevereiro"), "{}", pt.human(day()));
        // An unknown language falls back to English.
        assert_eq!(
            Locale::new("xx", &none).human(day()),
            "Thursday 5 February 2026"
        );
    }

    #[test]
    fn site_overrides_replace_single_strings() {
        let o = StringOverrides {
            top_stories: Some("Heute wichtig".into()),
            date_short: Some("{dd}.{mm}.{year}".into()),
            ..Default::default()
        };
        let de = Locale::new("de", &o);
        assert_eq!(de.strings.top_stories, "Heute wichtig");
        assert_eq!(de.strings.more_stories, "Weitere Meldungen");
        assert_eq!(de.short(day()), "05.02.2026");
        assert_eq!(de.format(day(), "{mon} {oops} {year"), "Feb {oops} {year");
    }

    #[test]
    fn every_table_translates_every_key() {
        let en = Strings::builtin(Builtin::En);
        for lang in [Builtin::De, Builtin::Fr, Builtin::Es] {
            let t = serde_json::to_value(Strings::builtin(lang)).unwrap();
            let e = serde_json::to_value(&en).unwrap();
            for key in KEYS {
                let (v, english) = (&t[key], &e[key]);
                assert!(v.as_str().is_some_and(|s| !s.is_empty()), "{lang:?} {key}");
                // Placeholders must survive translation.
                let holes = |s: &str| {
                    let mut h: Vec<String> = s
                        .split('{')
                        .skip(1)
                        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                        .collect();
                    h.sort();
                    h
                };
                let (a, b) = (v.as_str().unwrap_or_default(), english.as_str().unwrap());
                if !key.starts_with("date_") {
                    assert_eq!(holes(a), holes(b), "{lang:?} {key}");
                }
            }
        }
    }

    #[test]
    fn fill_keeps_unknown_placeholders_and_stray_braces() {
        assert_eq!(fill("{n} of {total}", &[("n", "3")]), "3 of {total}");
        assert_eq!(fill("a { b", &[("b", "x")]), "a { b");
        assert_eq!(fill("", &[]), "");
    }

    #[test]
    fn the_date_filter_reads_iso_dates_and_times() {
        let de = Locale::new("de", &StringOverrides::default());
        assert_eq!(
            de.format_value("2026-02-05", "long").unwrap(),
            "Donnerstag, 5. Februar 2026"
        );
        assert_eq!(
            de.format_value("2026-02-05T11:59:00+01:00", "short")
                .unwrap(),
            "5. Feb 2026"
        );
        assert_eq!(
            de.format_value("2026-02-05", "{weekday}").unwrap(),
            "Donnerstag"
        );
        assert!(de.format_value("5 Feb", "long").is_err());
        assert!(de.format_value("2026-02-30", "long").is_err());
        assert!(de.format_value("2026-02-05x", "long").is_err());
    }
}
