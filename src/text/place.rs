//! Whether a name says where something happens rather than who acts: "talks in Geneva",
//! "bases in Poland and Germany", "a factory in northern Mexico", "waters off Denmark
//! and Finland". Discovery does not make such a name an actor (issue 18: "places that do
//! not act" are not actors), unless the article also names it otherwise.

/// Words before a place that say where something is, not who acts.
pub(crate) const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "across",
    "inside",
    "outside",
    "throughout",
    "into",
    "around",
    "within",
    "to",
    "toward",
    "towards",
    "through",
];

/// Prepositions of position only: a state after one of them is where something is
/// ("bases in Poland"). Left out: "to" and the other words of motion (who receives or is
/// owed: "credit is due to Poland", "aid to Ukraine"), and "at" and "off", which end
/// verbs that aim at someone ("aimed at Russia", "shakes off Russian ...").
const POSITION: &[&str] = &[
    "in",
    "near",
    "across",
    "inside",
    "outside",
    "throughout",
    "around",
    "within",
];

/// Compass adjectives that may stand between a preposition and a place ("in northern
/// Mexico").
const COMPASS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
];

/// How many words back the search for the governing word goes at most (a bound on the
/// work per name, whatever the text).
const MAX_WORDS_BACK: usize = 24;

/// One word or punctuation character before character `at`, skipping whitespace: its
/// start and text. `None` at the start of the sentence.
fn token_before(chars: &[char], at: usize) -> Option<(usize, String)> {
    let mut e = at;
    while e > 0 && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    if e == 0 {
        return None;
    }
    let word_char = |c: char| c.is_alphanumeric() || c == '\'' || c == '-' || c == '.';
    if !word_char(chars[e - 1]) {
        return Some((e - 1, chars[e - 1].to_string()));
    }
    let mut s = e;
    while s > 0 && word_char(chars[s - 1]) {
        s -= 1;
    }
    Some((s, chars[s..e].iter().collect()))
}

/// Whether a word is capitalized (an earlier name of a list: "Poland" in "in Poland and
/// Germany").
fn capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The word that governs a name starting at character `start` of a sentence, lowercased:
/// the word before it, looking past compass adjectives and, in a list of names joined by
/// commas, "and" or "or", past the earlier names ("in" for "Germany" in "in Poland and
/// Germany"). `None` when punctuation other than a list's comma, or the sentence start,
/// comes first.
pub(crate) fn governing_word(chars: &[char], start: usize) -> Option<String> {
    governing(chars, start).map(|(_, w)| w)
}

/// [`governing_word`] and the character where it starts.
fn governing(chars: &[char], start: usize) -> Option<(usize, String)> {
    let mut at = start;
    // Whether the last token seen joins this name to an earlier one of a list, and
    // whether the search is inside that earlier name ("United States" in "in the United
    // States and Canada").
    let (mut joined, mut in_name) = (false, false);
    for _ in 0..MAX_WORDS_BACK {
        let (s, tok) = token_before(chars, at)?;
        let lower = tok.to_lowercase();
        at = s;
        if tok == "," || lower == "and" || lower == "or" {
            (joined, in_name) = (true, false);
            continue;
        }
        if COMPASS.contains(&lower.as_str()) || lower == "the" {
            continue;
        }
        if (joined || in_name) && (capitalized(&tok) || (in_name && lower == "of")) {
            // An earlier name of the list: its own governing word decides; skip it.
            (joined, in_name) = (false, true);
            continue;
        }
        if joined || !tok.chars().next().is_some_and(char::is_alphabetic) {
            return None;
        }
        return Some((at, lower));
    }
    None
}

/// Nouns of a border or a shore: after one of them, "with" and "off" say where something
/// is ("the border with Chad", "waters off Denmark", "the coast off Libya"), not who is
/// dealt with or what is shaken off.
const EDGES: &[&str] = &[
    "border", "borders", "frontier", "coast", "coasts", "shore", "shores", "waters",
    "island", "islands",
];

/// Lowercase words that may follow a place named where something is, unlike the noun
/// after a demonym ("in Russian hands"): conjunctions of a list, prepositions, relative
/// words and forms of "be" and "have" ("bases in Poland with", "in Poland, where", "in
/// Poland are").
const AFTER_PLACE: &[&str] = &[
    "and", "or", "nor", "with", "for", "to", "from", "by", "on", "at", "of", "after",
    "before", "since", "until", "during", "where", "which", "that", "who", "is", "are",
    "was", "were", "has", "have", "had", "last", "this", "next",
];

/// Whether a lowercase word not of [`AFTER_PLACE`] comes right after a name,
/// looking past the later names of a list ("Russian and Belarusian hands"); punctuation
/// or the end of the text ends the search, which is bounded like [`governing_word`]'s.
fn noun_follows(after: &[char]) -> bool {
    let mut rest = after;
    for _ in 0..MAX_WORDS_BACK {
        let skip = rest.iter().take_while(|c| **c == ' ').count();
        rest = &rest[skip..];
        let len = rest.iter().take_while(|c| c.is_alphabetic()).count();
        if len == 0 {
            return false;
        }
        let word: String = rest[..len].iter().collect();
        rest = &rest[len..];
        if word.starts_with(char::is_lowercase) && !matches!(word.as_str(), "and" | "or" | "nor") {
            return !AFTER_PLACE.contains(&word.as_str());
        }
    }
    false
}

/// Whether a name at characters `start..end` is where something is: its governing word
/// ([`governing_word`]) is a preposition of position ("in", "near", ...) or "with" or
/// "off" after a noun of a border or shore ([`EDGES`]), and no noun follows it ([`noun_follows`]: a
/// demonym before its noun, "in Russian hands", is not a place; "in Italy or Germany" is
/// a list of places).
pub(crate) fn is_position(chars: &[char], start: usize, end: usize) -> bool {
    if noun_follows(&chars[end.min(chars.len())..]) {
        return false;
    }
    let Some((at, word)) = governing(chars, start) else {
        return false;
    };
    if POSITION.contains(&word.as_str()) {
        return true;
    }
    matches!(word.as_str(), "with" | "off")
        && token_before(chars, at).is_some_and(|(_, w)| EDGES.contains(&w.to_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, name: &str) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        let byte = text.rfind(name).unwrap();
        governing_word(&chars, text[..byte].chars().count())
    }

    #[test]
    fn lists_and_compass_words_are_looked_past() {
        assert_eq!(at("crews at bases in Poland and Germany.", "Germany"), Some("in".into()));
        assert_eq!(at("crews at bases in Poland and Germany.", "Poland"), Some("in".into()));
        assert_eq!(at("a new factory in northern Mexico.", "Mexico"), Some("in".into()));
        assert_eq!(
            at("waters off Denmark and Finland with little oversight", "Finland"),
            Some("off".into())
        );
        assert_eq!(
            at("most of them from Sudan, Eritrea, and Bangladesh.", "Bangladesh"),
            Some("from".into())
        );
        assert_eq!(at("not in Italy or Germany", "Germany"), Some("in".into()));
    }

    #[test]
    fn acting_names_are_not_places() {
        assert_eq!(at("Russia and China vetoed it.", "China"), None);
        assert_eq!(at("Iran praised Oman.", "Oman"), Some("praised".into()));
        assert_eq!(
            at("talks between Iran and the United States", "United"),
            Some("between".into())
        );
        assert_eq!(
            at("bases in the United States and Canada", "Canada"),
            Some("in".into())
        );
        assert_eq!(at("in the Netherlands", "Netherlands"), Some("in".into()));
        assert_eq!(at("The Netherlands said", "Netherlands"), None);
        assert_eq!(at("Moscow denied it.", "Moscow"), None);
        assert_eq!(at("He said: \"Germany will pay.\"", "Germany"), None);
        let position = |text: &str, name: &str| {
            let chars: Vec<char> = text.chars().collect();
            let start = text[..text.rfind(name).unwrap()].chars().count();
            is_position(&chars, start, start + name.chars().count())
        };
        assert!(position("talks in Moscow", "Moscow"));
        assert!(position("bases in Poland and Germany.", "Germany"));
        assert!(position("voters in Israel.", "Israel"));
        assert!(!position("kept in Russian hands", "Russian"));
        assert!(!position("shakes off Russian meeting controversy", "Russian"));
        assert!(!position("sanctions aimed at Russia.", "Russia"));
        assert_eq!(at("Sanctions on Russia and Iran", "Iran"), Some("on".into()));
        assert!(!position("Credit is due in particular to Poland", "Poland"));
        // A list after the preposition goes on with "or" or "and".
        assert!(position("a future here, not in Italy or Germany", "Italy"));
        assert!(!position("kept in Russian and Belarusian hands", "Russian"));
        // "with" and "off" after a border or a shore.
        assert!(position("the town near the border with Chad.", "Chad"));
        assert!(position("narrow waters off Denmark and Finland with little oversight", "Finland"));
        assert!(position("bases in Poland, Romania and Latvia are ready", "Romania"));
        assert!(!position("talks with Chad.", "Chad"));
        assert!(!position("he shook off Denmark's objections", "Denmark"));
    }

    #[test]
    fn the_search_back_is_bounded() {
        // A list longer than the bound: no governing word, not a place.
        let text = format!("in {}Germany", "Poland, ".repeat(100));
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(governing_word(&chars, chars.len() - "Germany".len()), None);
    }
}
