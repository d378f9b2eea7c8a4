//! Mentions grouped into actors: the names a tagger found in an article, their short
//! forms and titles, and the third-person pronouns that refer back to them.
//!
//! News names a person in full once ("Senator Mitch McConnell"), then by surname
//! ("McConnell", "Mr. McConnell"), by title alone ("the senator") or by pronoun ("he").
//! [`group`] walks an article's names in order and builds its actors:
//!
//! - **Names.** A person's name is split into its title words (President, Sen., Mr. ...;
//!   [`TITLES`]) and the name proper. A full name joins the actor with the same name
//!   proper, or an earlier actor whose name it extends ("Biden" then "Joe Biden"); a
//!   single word joins the most recent actor whose surname or first name it is (kind
//!   `short`), else it starts an actor. Organizations and places join by their text; an
//!   acronym joins the organization whose initials it spells ("SEC" for "Securities and
//!   Exchange Commission", kind `alias`).
//! - **Titles standing alone** ("the senator", "the president", "the company"): the
//!   actor that holds the title in this article, when exactly one does (kind `title`).
//! - **Pronouns** (he, him, his, himself; she, her, hers, herself): the nearest person
//!   of compatible gender, looking first at the persons named earlier in the same
//!   sentence (the first one named, most often the subject), then sentence by sentence
//!   back, at most [`PRONOUN_REACH`] sentences, taking each sentence's first-named
//!   compatible person. Gender comes from titles (Mr., Mrs., Ms., King, Queen ...) and,
//!   for a person without one, from the first pronoun resolved to them. `it`/`its` and
//!   `they`/`their`/`them` go to an organization named in the same or the previous
//!   sentence when exactly one is (kind `pronoun`).
//!
//! Offsets are characters of the article, end exclusive.

use crate::text::segment::Sentence;

/// What kind of thing a name names (the tagger's types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    Person,
    Org,
    Place,
    Other,
}

/// A name found in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name {
    pub start: usize,
    pub end: usize,
    pub kind: NameKind,
}

/// How a mention refers to its actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MentionKind {
    /// The full name ("Mitch McConnell", "President Joe Biden").
    Name,
    /// A shorter form of it: the surname or the first name, with or without a title
    /// ("McConnell", "Mr. McConnell").
    Short,
    /// A title standing alone ("the senator").
    Title,
    /// A third-person pronoun ("he", "her", "its").
    Pronoun,
    /// Another name of the same actor (an acronym, a lexicon alias).
    Alias,
}

impl MentionKind {
    /// The kind's name in reports: `name`, `short`, `title`, `pronoun`, `alias`.
    pub fn name(self) -> &'static str {
        match self {
            MentionKind::Name => "name",
            MentionKind::Short => "short",
            MentionKind::Title => "title",
            MentionKind::Pronoun => "pronoun",
            MentionKind::Alias => "alias",
        }
    }
}

/// A person's gender as the text shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// One mention of an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: MentionKind,
}

/// An actor of the article with all its mentions, in text order.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// The longest name proper the article gives it ("Mitch McConnell").
    pub name: String,
    pub kind: NameKind,
    pub gender: Option<Gender>,
    /// Title words the article gives it, lowercased and without a final period
    /// ("senator", "sen").
    pub titles: Vec<String>,
    pub mentions: Vec<Mention>,
}

/// How many sentences back a pronoun looks for its person.
pub const PRONOUN_REACH: usize = 2;

/// Title words before a person's name, lowercased, without a final period; with the
/// gender they show, if any.
pub const TITLES: &[(&str, Option<Gender>)] = &[
    ("mr", Some(Gender::Male)),
    ("mrs", Some(Gender::Female)),
    ("ms", Some(Gender::Female)),
    ("miss", Some(Gender::Female)),
    ("sir", Some(Gender::Male)),
    ("dame", Some(Gender::Female)),
    ("lord", Some(Gender::Male)),
    ("lady", Some(Gender::Female)),
    ("king", Some(Gender::Male)),
    ("queen", Some(Gender::Female)),
    ("prince", Some(Gender::Male)),
    ("princess", Some(Gender::Female)),
    ("president", None),
    ("vice", None),
    ("prime", None),
    ("minister", None),
    ("secretary", None),
    ("chancellor", None),
    ("senator", None),
    ("sen", None),
    ("representative", None),
    ("rep", None),
    ("congressman", Some(Gender::Male)),
    ("congresswoman", Some(Gender::Female)),
    ("governor", None),
    ("gov", None),
    ("mayor", None),
    ("speaker", None),
    ("leader", None),
    ("general", None),
    ("gen", None),
    ("colonel", None),
    ("col", None),
    ("judge", None),
    ("justice", None),
    ("dr", None),
    ("professor", None),
    ("prof", None),
    ("ambassador", None),
    ("envoy", None),
    ("spokesman", Some(Gender::Male)),
    ("spokeswoman", Some(Gender::Female)),
    ("chairman", None),
    ("chairwoman", Some(Gender::Female)),
    ("chief", None),
    ("executive", None),
    ("ceo", None),
    ("foreign", None),
    ("defense", None),
    ("defence", None),
    ("finance", None),
    ("attorney", None),
    ("former", None),
    ("pope", Some(Gender::Male)),
    ("sheikh", Some(Gender::Male)),
    ("ayatollah", Some(Gender::Male)),
];

/// Words that head an organization's role noun phrase ("the company"), by organization.
const ORG_TITLES: &[&str] = &[
    "company",
    "firm",
    "group",
    "agency",
    "party",
    "ministry",
    "department",
    "commission",
    "bank",
    "union",
    "organization",
    "organisation",
];

/// The title information of a word: whether it is a title and the gender it shows.
fn title_of(word: &str) -> Option<Option<Gender>> {
    let w = word.trim_end_matches('.').to_lowercase();
    TITLES.iter().find(|(t, _)| *t == w).map(|&(_, g)| g)
}

/// Words of a text with their character offsets (letters, digits, apostrophes, hyphens
/// and periods inside a word).
fn words(text: &str, offset: usize) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, c) in text.chars().enumerate() {
        let part = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-' || c == '.';
        match (&mut cur, part) {
            (Some((_, w)), true) => w.push(c),
            (None, true) if c.is_alphanumeric() => cur = Some((i, c.to_string())),
            (Some(_), false) => {
                let (s, w) = cur.take().expect("a word");
                push_word(&mut out, offset + s, w);
            }
            _ => {}
        }
    }
    if let Some((s, w)) = cur {
        push_word(&mut out, offset + s, w);
    }
    out
}

/// Push a word without trailing periods, hyphens and apostrophes (kept on title
/// abbreviations such as "Sen.", where the period is part of the title).
fn push_word(out: &mut Vec<(usize, usize, String)>, start: usize, w: String) {
    let keep_period = title_of(&w).is_some() && w.ends_with('.');
    let trimmed = if keep_period {
        w.as_str()
    } else {
        w.trim_end_matches(['.', '-', '\'', '’'])
    };
    let n = trimmed.chars().count();
    if n > 0 {
        out.push((start, start + n, trimmed.to_string()));
    }
}

/// A person's name split into title words and name proper; the possessive "'s" dropped.
struct PersonName {
    titles: Vec<String>,
    gender: Option<Gender>,
    proper: Vec<String>,
}

fn person_name(text: &str) -> PersonName {
    let mut titles = Vec::new();
    let mut gender = None;
    let mut proper = Vec::new();
    for (_, _, w) in words(text, 0) {
        let w = w
            .strip_suffix("'s")
            .or_else(|| w.strip_suffix("’s"))
            .unwrap_or(&w)
            .to_string();
        match title_of(&w) {
            Some(g) if proper.is_empty() => {
                titles.push(w.trim_end_matches('.').to_lowercase());
                gender = gender.or(g);
            }
            _ => {
                if !matches!(w.as_str(), "Jr" | "Jr." | "Sr" | "Sr." | "II" | "III") {
                    proper.push(w);
                }
            }
        }
    }
    PersonName {
        titles,
        gender,
        proper,
    }
}

/// The capital initials of a multi-word name ("Securities and Exchange Commission" ->
/// "SEC").
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// The pronouns resolved to persons (with the gender they show) and to organizations.
fn pronoun(word: &str) -> Option<(NameKind, Option<Gender>)> {
    Some(match word.to_lowercase().as_str() {
        "he" | "him" | "his" | "himself" => (NameKind::Person, Some(Gender::Male)),
        "she" | "her" | "hers" | "herself" => (NameKind::Person, Some(Gender::Female)),
        "it" | "its" | "itself" | "they" | "them" | "their" | "themselves" => (NameKind::Org, None),
        _ => return None,
    })
}

/// Group the names of an article (`names`, in any order; overlapping ones are dropped
/// after the first) into actors, adding titles standing alone and pronouns. `sentences`
/// are the article's sentences (see [`crate::text::segment`]).
pub fn group(text: &str, sentences: &[Sentence], names: &[Name]) -> Vec<Actor> {
    let mut names: Vec<Name> = names.to_vec();
    names.sort_by_key(|n| (n.start, std::cmp::Reverse(n.end)));
    let mut last_end = 0;
    names.retain(|n| {
        let keep = n.start >= last_end && n.end > n.start;
        if keep {
            last_end = n.end;
        }
        keep
    });
    let chars: Vec<char> = text.chars().collect();
    let slice = |s: usize, e: usize| -> String { chars[s..e.min(chars.len())].iter().collect() };
    let mut g = Grouping::default();
    for n in &names {
        g.name(n, &slice(n.start, n.end));
    }
    // Titles standing alone and pronouns, sentence by sentence, after the names.
    for (si, s) in sentences.iter().enumerate() {
        let in_names = |a: usize, b: usize| names.iter().any(|n| a < n.end && n.start < b);
        let ws = words(&slice(s.start, s.end), s.start);
        for (k, (a, b, w)) in ws.iter().enumerate() {
            if in_names(*a, *b) {
                continue;
            }
            let after_the = k > 0 && ws[k - 1].2.eq_ignore_ascii_case("the");
            if after_the {
                g.title(*a, *b, w);
            }
            if let Some((kind, gender)) = pronoun(w) {
                g.pronoun(*a, *b, kind, gender, si, sentences);
            }
        }
    }
    for a in &mut g.actors {
        a.mentions.sort_by_key(|m| m.start);
    }
    g.actors
}

#[derive(Default)]
struct Grouping {
    actors: Vec<Actor>,
}

impl Grouping {
    fn add(&mut self, actor: usize, start: usize, end: usize, kind: MentionKind) {
        self.actors[actor]
            .mentions
            .push(Mention { start, end, kind });
    }

    fn new_actor(&mut self, name: String, kind: NameKind) -> usize {
        self.actors.push(Actor {
            name,
            kind,
            gender: None,
            titles: Vec::new(),
            mentions: Vec::new(),
        });
        self.actors.len() - 1
    }

    /// The most recently mentioned actor of `kind` that `pick` accepts.
    fn latest(&self, kind: NameKind, pick: impl Fn(&Actor) -> bool) -> Option<usize> {
        (0..self.actors.len())
            .filter(|&i| self.actors[i].kind == kind && pick(&self.actors[i]))
            .max_by_key(|&i| self.actors[i].mentions.iter().map(|m| m.start).max())
    }

    fn name(&mut self, n: &Name, text: &str) {
        match n.kind {
            NameKind::Person => self.person(n, text),
            kind => {
                let key = text.trim().to_string();
                let found = self
                    .latest(kind, |a| a.name == key)
                    .map(|i| (i, MentionKind::Name))
                    .or_else(|| {
                        // An acronym of an organization named before, or a name whose
                        // acronym was.
                        let is_acronym = key.len() >= 2 && key.chars().all(|c| c.is_uppercase());
                        self.latest(kind, |a| {
                            (is_acronym && initials(&a.name) == key)
                                || (a.name.chars().all(|c| c.is_uppercase())
                                    && initials(&key) == a.name)
                        })
                        .map(|i| (i, MentionKind::Alias))
                    });
                match found {
                    Some((i, kind)) => self.add(i, n.start, n.end, kind),
                    None => {
                        let i = self.new_actor(key, kind);
                        self.add(i, n.start, n.end, MentionKind::Name);
                    }
                }
            }
        }
    }

    fn person(&mut self, n: &Name, text: &str) {
        let p = person_name(text);
        if p.proper.is_empty() {
            // A bare title ("Prime Minister"): resolved like a title standing alone.
            if let Some(t) = p.titles.last() {
                if let Some(i) = self.holder(t) {
                    self.add(i, n.start, n.end, MentionKind::Title);
                }
            }
            return;
        }
        let proper = p.proper.join(" ");
        let surname = p.proper.last().expect("a word").clone();
        let first = p.proper.first().expect("a word").clone();
        let full = p.proper.len() >= 2;
        let found = if full {
            // The same name, or an actor named so far by a part of this one.
            self.latest(NameKind::Person, |a| a.name == proper)
                .or_else(|| {
                    self.latest(NameKind::Person, |a| {
                        !a.name.contains(' ') && (a.name == surname || a.name == first)
                    })
                })
        } else {
            self.latest(NameKind::Person, |a| {
                let parts: Vec<&str> = a.name.split(' ').collect();
                parts.last() == Some(&surname.as_str()) || parts.first() == Some(&first.as_str())
            })
        };
        let i = match found {
            Some(i) => {
                if full && !self.actors[i].name.contains(' ') {
                    self.actors[i].name = proper.clone();
                }
                i
            }
            None => self.new_actor(proper.clone(), NameKind::Person),
        };
        let kind = if full || self.actors[i].name == proper {
            MentionKind::Name
        } else {
            MentionKind::Short
        };
        let a = &mut self.actors[i];
        a.gender = a.gender.or(p.gender);
        for t in p.titles {
            if !a.titles.contains(&t) {
                a.titles.push(t);
            }
        }
        self.add(i, n.start, n.end, kind);
    }

    /// The one actor of the article holding title word `t` (a person's title, or an
    /// organization's role noun), if exactly one does.
    fn holder(&self, t: &str) -> Option<usize> {
        let t = t.trim_end_matches('.').to_lowercase();
        fn abbreviation(a: &str) -> &str {
            match a {
                "sen" => "senator",
                "rep" => "representative",
                "gov" => "governor",
                "gen" => "general",
                "col" => "colonel",
                "prof" => "professor",
                other => other,
            }
        }
        let holders: Vec<usize> = if ORG_TITLES.contains(&t.as_str()) {
            let word = t.clone();
            (0..self.actors.len())
                .filter(|&i| {
                    let a = &self.actors[i];
                    a.kind == NameKind::Org && a.name.to_lowercase().split(' ').any(|w| w == word)
                })
                .collect()
        } else {
            (0..self.actors.len())
                .filter(|&i| {
                    self.actors[i]
                        .titles
                        .iter()
                        .any(|x| abbreviation(x) == abbreviation(&t))
                })
                .collect()
        };
        match holders[..] {
            [i] => Some(i),
            _ => None,
        }
    }

    fn title(&mut self, start: usize, end: usize, word: &str) {
        let is_title =
            title_of(word).is_some() || ORG_TITLES.contains(&word.to_lowercase().as_str());
        if !is_title || word.chars().next().is_some_and(char::is_uppercase) {
            // Capitalized titles belong to names the tagger saw (or did not).
            return;
        }
        if let Some(i) = self.holder(word) {
            self.add(i, start, end, MentionKind::Title);
        }
    }

    fn pronoun(
        &mut self,
        start: usize,
        end: usize,
        kind: NameKind,
        gender: Option<Gender>,
        si: usize,
        sentences: &[Sentence],
    ) {
        // The first-named compatible actor of each sentence from this one back; in this
        // sentence only the actors named before the pronoun.
        let lo = si.saturating_sub(if kind == NameKind::Org {
            1
        } else {
            PRONOUN_REACH
        });
        for back in (lo..=si).rev() {
            // Mentions that overlap the sentence (a name may straddle a wrong split).
            let (s0, s1) = (sentences[back].start, sentences[back].end.min(start));
            let mut named: Vec<(usize, usize)> = Vec::new(); // (first mention start, actor)
            for (i, a) in self.actors.iter().enumerate() {
                if a.kind != kind {
                    continue;
                }
                let compatible = match (gender, a.gender) {
                    (Some(g), Some(h)) => g == h,
                    _ => true,
                };
                let first = a
                    .mentions
                    .iter()
                    .filter(|m| m.kind != MentionKind::Pronoun && m.start < s1 && m.end > s0)
                    .map(|m| m.start)
                    .min();
                if let (true, Some(f)) = (compatible, first) {
                    named.push((f, i));
                }
            }
            named.sort_unstable();
            let pick = match kind {
                // An organization only when exactly one is named there.
                NameKind::Org if named.len() != 1 => None,
                _ => named.first().map(|&(_, i)| i),
            };
            if let Some(i) = pick {
                let a = &mut self.actors[i];
                a.gender = a.gender.or(gender);
                self.add(i, start, end, MentionKind::Pronoun);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment;

    /// Names given by their text (the n-th occurrence of each, in order) and kind.
    fn names(text: &str, spans: &[(&str, NameKind)]) -> Vec<Name> {
        let mut from = 0;
        spans
            .iter()
            .map(|(s, kind)| {
                let byte = from + text[from..].find(s).expect("the name is in the text");
                from = byte + s.len();
                let start = text[..byte].chars().count();
                Name {
                    start,
                    end: start + s.chars().count(),
                    kind: *kind,
                }
            })
            .collect()
    }

    fn mentions_of<'a>(text: &str, a: &'a Actor) -> Vec<(String, &'a str)> {
        let chars: Vec<char> = text.chars().collect();
        a.mentions
            .iter()
            .map(|m| (chars[m.start..m.end].iter().collect(), m.kind.name()))
            .collect()
    }

    #[test]
    fn full_names_surnames_titles_and_pronouns_join_one_actor() {
        use NameKind::*;
        let text = "Senator Mitch McConnell blocked the bill on Tuesday. McConnell said \
                    the White House was lying. The senator later said he would not \
                    yield. President Joe Biden called his move shameful, and Ms. Harris \
                    agreed with her boss.";
        let sentences = segment::sentences(text);
        let ns = names(
            text,
            &[
                ("Senator Mitch McConnell", Person),
                ("McConnell", Person),
                ("White House", Org),
                ("President Joe Biden", Person),
                ("Ms. Harris", Person),
            ],
        );
        let actors = group(text, &sentences, &ns);
        let names: Vec<&str> = actors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            ["Mitch McConnell", "White House", "Joe Biden", "Harris"]
        );
        assert_eq!(
            mentions_of(text, &actors[0]),
            [
                ("Senator Mitch McConnell".into(), "name"),
                ("McConnell".into(), "short"),
                ("senator".into(), "title"),
                ("he".into(), "pronoun"),
            ]
        );
        // "his" goes to the sentence's first-named person (Biden), "her" to the only
        // woman.
        assert_eq!(
            mentions_of(text, &actors[2]),
            [
                ("President Joe Biden".into(), "name"),
                ("his".into(), "pronoun"),
            ]
        );
        assert_eq!(
            mentions_of(text, &actors[3]),
            [("Ms. Harris".into(), "name"), ("her".into(), "pronoun")]
        );
        assert_eq!(actors[3].gender, Some(Gender::Female));
        assert_eq!(actors[0].gender, Some(Gender::Male));
    }

    #[test]
    fn acronyms_organization_pronouns_and_ambiguous_titles() {
        use NameKind::*;
        let text = "The Securities and Exchange Commission sued Tesla. The SEC said its \
                    case was strong. Senator Ann Lee and Senator Bob Ray spoke. The \
                    senator left.";
        let sentences = segment::sentences(text);
        let ns = names(
            text,
            &[
                ("Securities and Exchange Commission", Org),
                ("Tesla", Org),
                ("SEC", Org),
                ("Senator Ann Lee", Person),
                ("Senator Bob Ray", Person),
            ],
        );
        let actors = group(text, &sentences, &ns);
        let sec = &actors[0];
        assert_eq!(
            mentions_of(text, sec),
            [
                ("Securities and Exchange Commission".into(), "name"),
                ("SEC".into(), "alias"),
                ("its".into(), "pronoun"),
            ]
        );
        // Two senators: "the senator" is not resolved.
        assert!(actors
            .iter()
            .all(|a| a.mentions.iter().all(|m| m.kind != MentionKind::Title)));
    }

    #[test]
    fn a_pronoun_without_a_person_nearby_is_left_alone() {
        use NameKind::*;
        let text = "Putin spoke. Rain fell. Snow fell. Then he left.";
        let sentences = segment::sentences(text);
        let actors = group(text, &sentences, &names(text, &[("Putin", Person)]));
        assert_eq!(
            actors[0].mentions.len(),
            1,
            "beyond {PRONOUN_REACH} sentences"
        );
        let text = "Putin spoke. Then he left.";
        let sentences = segment::sentences(text);
        let actors = group(text, &sentences, &names(text, &[("Putin", Person)]));
        assert_eq!(actors[0].mentions.len(), 2);
        assert_eq!(
            actors[0].gender,
            Some(Gender::Male),
            "learned from the pronoun"
        );
    }
}
