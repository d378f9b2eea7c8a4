//! Actors and their aliases, and finding their mentions in text.
//!
//! A lexicon maps each actor (a state, organization, company, person...) to the strings
//! that name it: names, abbreviations, demonyms, capitals used as metonyms. The shipped
//! lexicon is `data/actors.toml`; users add or override entries with their own file, and
//! targets seen in training become actors too.
//!
//! Matching rules: whole words only (the characters around a match must not be letters or
//! digits, so possessives such as "Iran's" match "Iran"); the longest match wins where
//! matches overlap; short all-capital aliases ("US", "UN", "EU", "WHO": at most 5
//! characters once dots are removed) match case-sensitively, so "us" and "who" are not
//! actors; other aliases match regardless of ASCII case, except that an alias written
//! with a capital first letter only matches text that starts with a capital ("Turkey",
//! not "turkey"; "Chad", not "chad").

use crate::error::{Error, Result};
use crate::text::strtable::StrTable;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The lexicon shipped with the crate (`data/actors.toml`).
pub const DEFAULT_LEXICON_TOML: &str = include_str!("../../data/actors.toml");

/// The kinds an actor may have (`kind` may also be left out).
pub const KINDS: &[&str] = &[
    "state",
    "organization",
    "bloc",
    "institution",
    "person",
    "company",
    "party",
    "media",
    "group",
    "place",
    "topic",
    "target",
    "other",
];

/// One actor and the strings that name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Canonical display name; unique in a lexicon.
    pub name: String,
    /// One of [`KINDS`] (state, organization, bloc, institution, person, company,
    /// target...), or empty.
    #[serde(default)]
    pub kind: String,
    /// Strings that name the actor in text (the name itself is not implied).
    pub aliases: Vec<String>,
}

/// A set of actors with unique names and unique aliases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lexicon {
    #[serde(rename = "actor", default)]
    /// The actors, in order.
    pub actors: Vec<Actor>,
}

impl Lexicon {
    /// The shipped lexicon.
    pub fn builtin() -> Lexicon {
        Lexicon::from_toml(DEFAULT_LEXICON_TOML, "data/actors.toml (built in)")
            .expect("the shipped data/actors.toml is valid (checked by tests)")
    }

    /// Parse and validate a lexicon file's text. `source_name` is used in errors.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Lexicon> {
        let err = |reason: String| Error::InvalidLexicon {
            source_name: source_name.to_string(),
            reason,
        };
        let lex: Lexicon = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let mut names = BTreeMap::new();
        let mut aliases: BTreeMap<String, &str> = BTreeMap::new();
        for a in &lex.actors {
            if a.name.trim().is_empty() {
                return Err(err("an actor has an empty name".into()));
            }
            if names.insert(a.name.as_str(), ()).is_some() {
                return Err(err(format!("actor {:?} is defined twice", a.name)));
            }
            if a.aliases.is_empty() {
                return Err(err(format!("actor {:?} has no aliases", a.name)));
            }
            if !a.kind.is_empty() && !KINDS.contains(&a.kind.as_str()) {
                return Err(err(format!(
                    "actor {:?} has an unknown kind {:?} (known: {})",
                    a.name,
                    a.kind,
                    KINDS.join(", ")
                )));
            }
            for al in &a.aliases {
                if al.trim().is_empty() || al.trim() != al {
                    return Err(err(format!(
                        "actor {:?} has an empty alias or one with surrounding spaces: {al:?}",
                        a.name
                    )));
                }
                if let Some(other) = aliases.insert(alias_key(al), &a.name) {
                    if other != a.name {
                        return Err(err(format!(
                            "alias {al:?} belongs to both {other:?} and {:?}",
                            a.name
                        )));
                    }
                }
            }
        }
        Ok(lex)
    }

    /// Add or override entries from `other`: an actor with the same name takes the new
    /// aliases (added to its old ones), and an alias claimed by `other` moves to it (to
    /// the last actor of `other` that names it). Linear in the number of aliases: a list
    /// of 100,000 actors merges in well under a second.
    pub fn merge(&mut self, other: &Lexicon) {
        use std::collections::HashMap;
        // Each alias key claimed by `other`, with the index of the last actor naming it.
        let mut claimed: HashMap<String, usize> = HashMap::new();
        for (i, a) in other.actors.iter().enumerate() {
            for al in &a.aliases {
                claimed.insert(alias_key(al), i);
            }
        }
        for a in &mut self.actors {
            a.aliases.retain(|x| !claimed.contains_key(&alias_key(x)));
        }
        let mut by_name: HashMap<String, usize> = self
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.name.clone(), i))
            .collect();
        for (i, a) in other.actors.iter().enumerate() {
            let mine = a
                .aliases
                .iter()
                .filter(|al| claimed.get(&alias_key(al)) == Some(&i))
                .cloned();
            match by_name.get(&a.name) {
                Some(&x) => {
                    let x = &mut self.actors[x];
                    x.aliases.extend(mine);
                    if !a.kind.is_empty() {
                        x.kind = a.kind.clone();
                    }
                }
                None => {
                    by_name.insert(a.name.clone(), self.actors.len());
                    self.actors.push(Actor {
                        name: a.name.clone(),
                        kind: a.kind.clone(),
                        aliases: mine.collect(),
                    });
                }
            }
        }
        self.actors.retain(|a| !a.aliases.is_empty());
    }

    /// Actor that owns `alias`, if any (a linear scan; the crate indexes the aliases for
    /// many look-ups).
    pub fn owner_of(&self, alias: &str) -> Option<&str> {
        let k = alias_key(alias);
        self.actors
            .iter()
            .find(|a| a.aliases.iter().any(|x| alias_key(x) == k))
            .map(|a| a.name.as_str())
    }

    /// Map from alias (compared as the matcher compares them) to the owning actor's name.
    pub(crate) fn index(&self) -> AliasIndex {
        let mut m = std::collections::HashMap::new();
        for a in &self.actors {
            for al in &a.aliases {
                m.entry(alias_key(al)).or_insert_with(|| a.name.clone());
            }
        }
        AliasIndex(m)
    }

    /// Add many (actor, kind, alias) triples, skipping aliases already taken.
    pub fn add_aliases<'a>(
        &mut self,
        items: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) {
        let mut idx = self.index();
        // The first actor of each name (names are unique in a valid lexicon).
        let mut by_name: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for (i, a) in self.actors.iter().enumerate() {
            by_name.entry(a.name.clone()).or_insert(i);
        }
        for (actor, kind, alias) in items {
            let key = alias_key(alias);
            if idx.0.contains_key(&key) {
                continue;
            }
            idx.0.insert(key, actor.to_string());
            match by_name.get(actor) {
                Some(&x) => self.actors[x].aliases.push(alias.to_string()),
                None => {
                    by_name.insert(actor.to_string(), self.actors.len());
                    self.actors.push(Actor {
                        name: actor.to_string(),
                        kind: kind.to_string(),
                        aliases: vec![alias.to_string()],
                    })
                }
            }
        }
    }

    /// Add `alias` to `actor` (created with `kind` if new) unless the alias is taken.
    pub fn add_alias(&mut self, actor: &str, kind: &str, alias: &str) -> bool {
        if self.owner_of(alias).is_some() {
            return false;
        }
        self.add_aliases([(actor, kind, alias)]);
        true
    }
}

/// Alias -> actor name look-up built by [`Lexicon::index`].
#[derive(Debug, Clone, Default)]
pub struct AliasIndex(std::collections::HashMap<String, String>);

impl AliasIndex {
    /// Actor that owns `alias`, if any.
    pub fn owner_of(&self, alias: &str) -> Option<&str> {
        self.0.get(&alias_key(alias)).map(String::as_str)
    }
}

/// Aliases compare case-sensitively when short all-caps, otherwise case-insensitively.
fn alias_key(alias: &str) -> String {
    if is_short_caps(alias) {
        alias.to_string()
    } else {
        alias.to_lowercase()
    }
}

/// "US", "U.S.", "NATO", "IAEA", "WHO": at most 5 characters once dots are removed, and
/// no lowercase letters.
pub fn is_short_caps(alias: &str) -> bool {
    let core: Vec<char> = alias.chars().filter(|c| *c != '.').collect();
    core.len() <= 5
        && core.iter().any(|c| c.is_alphabetic())
        && !core.iter().any(|c| c.is_lowercase())
}

/// Whether a mention's text is its actor's own name rather than another alias: the same
/// in any ASCII case, a possessive "'s" and the name's parenthesized disambiguation
/// ("Conservative Party (UK)") aside.
pub fn is_own_name(mention: &str, name: &str) -> bool {
    without_possessive(mention).eq_ignore_ascii_case(name.split(" (").next().unwrap_or(name))
}

/// A name without a final possessive "'s" ("Iran's" -> "Iran").
pub fn without_possessive(name: &str) -> &str {
    name.strip_suffix("'s")
        .or_else(|| name.strip_suffix("’s"))
        .unwrap_or(name)
}

/// A mention of an actor in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Index of the actor in the lexicon the matcher was built from.
    pub actor: usize,
    /// Character offset of the mention's start in the searched text.
    pub start: usize,
    /// Character offset of the mention's end in the searched text (exclusive).
    pub end: usize,
    /// Byte offset of the mention's start in the searched text.
    pub start_byte: usize,
    /// Byte offset of the mention's end in the searched text (exclusive).
    pub end_byte: usize,
}

/// Finds actor mentions; built once from a lexicon.
///
/// A match of an alias that starts with a letter or digit must start a word of the text
/// (see `is_word_bounded`), and the text's word there is then the alias's first word
/// (up to its first other character), in any ASCII case. So the matcher looks up each
/// word of the text, ASCII-lowercased, in an index of the aliases by first word, and
/// compares the few aliases found there with the text: a lookup per word instead of an
/// automaton step per byte. The rare aliases starting with another character go
/// through an Aho-Corasick automaton. The mentions are the same as an automaton over
/// all aliases gives (tested against one).
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Aliases that start with a letter or digit, by their ASCII-lowercased first word
    /// (indices into `aliases`).
    by_first_word: StrTable<Vec<u32>>,
    /// The longest first word, in bytes.
    longest_first_word: usize,
    /// The other aliases (indices into `aliases` by pattern).
    others: Option<(AhoCorasick, Vec<u32>)>,
    aliases: Vec<Alias>,
    names: Vec<String>,
    kinds: Vec<String>,
    /// Each actor's name and aliases, joined by spaces.
    all_names: Vec<String>,
}

/// An alias as the matcher compares it.
#[derive(Debug, Clone)]
struct Alias {
    text: Box<str>,
    actor: usize,
    /// Short all-caps alias: matches only in exactly this case.
    exact: bool,
    /// Starts with an uppercase letter: so must its match.
    upper: bool,
}

impl Alias {
    /// Whether the alias occurs in `text` at byte `s` (case rules applied; word
    /// boundaries not checked). Returns the end of the match.
    #[inline]
    fn at(&self, text: &str, s: usize) -> Option<usize> {
        let e = s + self.text.len();
        let found = text.as_bytes().get(s..e)?;
        let same = if self.exact {
            found == self.text.as_bytes()
        } else {
            found.eq_ignore_ascii_case(self.text.as_bytes())
                && (!self.upper || text[s..].starts_with(char::is_uppercase))
        };
        same.then_some(e)
    }
}

/// The first word of an alias: its leading letters and digits.
fn first_word(alias: &str) -> &str {
    let end = alias
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(alias.len(), |(i, _)| i);
    &alias[..end]
}

impl Matcher {
    /// Build the index (and the automaton, if needed) for a lexicon.
    pub fn new(lexicon: &Lexicon) -> Result<Matcher> {
        let mut aliases = Vec::new();
        let mut by_first_word: StrTable<Vec<u32>> = StrTable::default();
        let (mut other_pats, mut other_ids) = (Vec::new(), Vec::new());
        let mut longest_first_word = 0;
        for (i, a) in lexicon.actors.iter().enumerate() {
            for al in &a.aliases {
                let id = aliases.len() as u32;
                aliases.push(Alias {
                    text: al.as_str().into(),
                    actor: i,
                    exact: is_short_caps(al),
                    upper: al.chars().next().is_some_and(char::is_uppercase),
                });
                let first = first_word(al).to_ascii_lowercase();
                if first.is_empty() {
                    other_pats.push(al.as_str());
                    other_ids.push(id);
                    continue;
                }
                longest_first_word = longest_first_word.max(first.len());
                by_first_word.get_or_insert_with(&first, Vec::new).push(id);
            }
        }
        let others = if other_pats.is_empty() {
            None
        } else {
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(&other_pats)
                .map_err(|e| Error::InvalidLexicon {
                    source_name: "matcher".into(),
                    reason: e.to_string(),
                })?;
            Some((ac, other_ids))
        };
        Ok(Matcher {
            by_first_word,
            longest_first_word,
            others,
            aliases,
            names: lexicon.actors.iter().map(|a| a.name.clone()).collect(),
            kinds: lexicon.actors.iter().map(|a| a.kind.clone()).collect(),
            all_names: lexicon
                .actors
                .iter()
                .map(|a| {
                    let mut all = a.name.clone();
                    for al in &a.aliases {
                        all.push(' ');
                        all.push_str(al);
                    }
                    all
                })
                .collect(),
        })
    }

    /// Name of actor `i`.
    pub fn actor_name(&self, i: usize) -> &str {
        &self.names[i]
    }

    /// Kind of actor `i` ("state", "organization", "person", ...).
    pub fn actor_kind(&self, i: usize) -> &str {
        &self.kinds[i]
    }

    /// The name and aliases of actor `i`, joined by spaces.
    pub fn actor_names(&self, i: usize) -> &str {
        &self.all_names[i]
    }

    /// Number of actors.
    pub fn actor_count(&self) -> usize {
        self.names.len()
    }

    /// All non-overlapping whole-word mentions in `text`, in order of position.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        // (start_byte, end_byte, actor)
        let mut cands: Vec<(usize, usize, usize)> = Vec::new();
        let mut push = |alias: &Alias, s: usize| {
            if let Some(e) = alias.at(text, s) {
                if is_word_bounded(text, s, e) {
                    cands.push((s, e, alias.actor));
                }
            }
        };
        if !self.by_first_word.is_empty() {
            // Each word of the text (a maximal run of letters and digits), lowercased.
            let mut lower: Vec<u8> = vec![0; self.longest_first_word];
            let mut word_start: Option<usize> = None;
            let mut lookup = |s: usize, e: usize, lower: &mut Vec<u8>| {
                let Some(lower) = lower.get_mut(..e - s) else {
                    return; // longer than any alias's first word
                };
                for (l, b) in lower.iter_mut().zip(&text.as_bytes()[s..e]) {
                    *l = b.to_ascii_lowercase();
                }
                if let Some(ids) = self.by_first_word.get(lower) {
                    for &id in ids {
                        push(&self.aliases[id as usize], s);
                    }
                }
            };
            for (i, c) in text.char_indices() {
                match (c.is_alphanumeric(), word_start) {
                    (true, None) => word_start = Some(i),
                    (false, Some(s)) => {
                        lookup(s, i, &mut lower);
                        word_start = None;
                    }
                    _ => {}
                }
            }
            if let Some(s) = word_start {
                lookup(s, text.len(), &mut lower);
            }
        }
        if let Some((ac, ids)) = &self.others {
            for m in ac.find_overlapping_iter(text) {
                push(
                    &self.aliases[ids[m.pattern().as_usize()] as usize],
                    m.start(),
                );
            }
        }
        // Longest first at each start, then leftmost; greedy non-overlapping selection.
        cands.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut out = Vec::new();
        let mut taken_until = 0usize;
        let mut char_pos = 0usize;
        let mut byte_pos = 0usize;
        for (s, e, actor) in cands {
            if s < taken_until {
                // Overlaps a previous, earlier-starting match; a longer later match that
                // overlaps would also have started later, so leftmost wins.
                continue;
            }
            char_pos += text[byte_pos..s].chars().count();
            let start = char_pos;
            let end = start + text[s..e].chars().count();
            char_pos = end;
            byte_pos = e;
            taken_until = e;
            out.push(Mention {
                actor,
                start,
                end,
                start_byte: s,
                end_byte: e,
            });
        }
        out
    }
}

fn is_word_bounded(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    let first = text[s..e].chars().next();
    let last = text[s..e].chars().next_back();
    let wordy = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    // A boundary is needed only where the alias itself begins/ends with a word character
    // ("U.S." ends with '.', so "U.S.-led" still matches).
    !(wordy(first) && wordy(before) || wordy(last) && wordy(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        Lexicon::from_toml(
            r#"
[[actor]]
name = "United States"
aliases = ["United States", "U.S.", "US", "America", "American", "Americans", "Washington", "White House"]
[[actor]]
name = "Iran"
aliases = ["Iran", "Iranian", "Tehran"]
[[actor]]
name = "Turkey"
aliases = ["Turkey"]
[[actor]]
name = "WHO"
aliases = ["WHO", "World Health Organization"]
"#,
            "test",
        )
        .unwrap()
    }

    fn found(text: &str) -> Vec<(String, &str)> {
        let l = lex();
        let m = Matcher::new(&l).unwrap();
        m.find(text)
            .into_iter()
            .map(|x| {
                (
                    m.actor_name(x.actor).to_string(),
                    &text[x.start_byte..x.end_byte],
                )
            })
            .collect()
    }

    /// The mentions an Aho-Corasick automaton over every alias finds (case-sensitive for
    /// the short all-caps aliases), filtered by the same rules: what the matcher did
    /// before it looked words up.
    fn automaton_mentions(lexicon: &Lexicon, text: &str) -> Vec<(usize, usize, usize)> {
        let (mut sens, mut sens_info, mut ins, mut ins_info) = (vec![], vec![], vec![], vec![]);
        for (i, a) in lexicon.actors.iter().enumerate() {
            for al in &a.aliases {
                if is_short_caps(al) {
                    sens.push(al.clone());
                    sens_info.push(i);
                } else {
                    ins.push(al.clone());
                    ins_info.push((i, al.chars().next().is_some_and(char::is_uppercase)));
                }
            }
        }
        let build = |pats: &[String], ci: bool| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(ci)
                .build(pats)
                .unwrap()
        };
        let mut cands = Vec::new();
        for m in build(&sens, false).find_overlapping_iter(text) {
            if is_word_bounded(text, m.start(), m.end()) {
                cands.push((m.start(), m.end(), sens_info[m.pattern().as_usize()]));
            }
        }
        for m in build(&ins, true).find_overlapping_iter(text) {
            let (actor, upper) = ins_info[m.pattern().as_usize()];
            if upper && !text[m.start()..].starts_with(char::is_uppercase) {
                continue;
            }
            if is_word_bounded(text, m.start(), m.end()) {
                cands.push((m.start(), m.end(), actor));
            }
        }
        cands.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut out = Vec::new();
        let mut taken_until = 0;
        for (s, e, actor) in cands {
            if s >= taken_until {
                out.push((s, e, actor));
                taken_until = e;
            }
        }
        out
    }

    #[test]
    fn word_lookups_find_what_an_automaton_over_all_aliases_finds() {
        let mut lexicon = Lexicon::from_toml(DEFAULT_LEXICON_TOML, "actors.toml").unwrap();
        // Aliases that do not start with a letter or digit, with inner punctuation,
        // non-ASCII capitals, and first words shared with other aliases.
        lexicon.merge(
            &Lexicon::from_toml(
                r##"
[[actor]]
name = "Hashtag"
aliases = ["#MeToo", "'Squad'", "Ãrbitro Union", "Al-Shabaab", "al Shabaab fighters"]
"##,
                "test",
            )
            .unwrap(),
        );
        let m = Matcher::new(&lexicon).unwrap();
        assert!(m.others.is_some());
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut texts: Vec<String> = Vec::new();
        for dir in ["articles", "corpus"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = e.unwrap().path();
                if path.extension().is_some_and(|x| x == "txt" || x == "csv") {
                    texts.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        // Aliases glued, cased and cut in every way, with seeded random separators.
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        };
        let all: Vec<&str> = lexicon
            .actors
            .iter()
            .flat_map(|a| a.aliases.iter().map(String::as_str))
            .collect();
        let seps = [" ", "", "-", "'s ", ".", "é", "x", "\n", "(", "9"];
        for _ in 0..200 {
            let mut t = String::new();
            for _ in 0..40 {
                let a = all[next(all.len())];
                match next(4) {
                    0 => t.push_str(&a.to_lowercase()),
                    1 => t.push_str(&a.to_uppercase()),
                    2 => {
                        t.push_str(&a[..a.len() / 2 * usize::from(a.is_char_boundary(a.len() / 2))])
                    }
                    _ => t.push_str(a),
                }
                t.push_str(seps[next(seps.len())]);
            }
            texts.push(t);
        }
        let mut mentions = 0;
        for text in &texts {
            let got: Vec<(usize, usize, usize)> = m
                .find(text)
                .iter()
                .map(|x| (x.start_byte, x.end_byte, x.actor))
                .collect();
            assert_eq!(got, automaton_mentions(&lexicon, text));
            mentions += got.len();
        }
        assert!(mentions > 20_000, "{mentions}");
    }

    #[test]
    fn whole_words_longest_first_case_rules() {
        assert_eq!(
            found("Iran's envoy told us the United States and the WHO, who knows, met in Tehran."),
            [
                ("Iran".to_string(), "Iran"),
                ("United States".to_string(), "United States"),
                ("WHO".to_string(), "WHO"),
                ("Iran".to_string(), "Tehran"),
            ]
        );
        assert!(found("Iranians? No: Iranianism, turkey and us.").is_empty());
        assert_eq!(found("the U.S.-led talks")[0].1, "U.S.");
        assert_eq!(found("AMERICAN voters")[0].1, "AMERICAN");
    }

    #[test]
    fn char_offsets_after_multibyte_text() {
        let l = lex();
        let m = Matcher::new(&l).unwrap();
        let t = "Élysée and Café: Iran.";
        let x = m.find(t);
        assert_eq!((x[0].start, x[0].end), (17, 21));
    }

    #[test]
    fn duplicate_aliases_are_rejected_and_merge_overrides() {
        let err = Lexicon::from_toml(
            "[[actor]]\nname=\"A\"\naliases=[\"X\"]\n[[actor]]\nname=\"B\"\naliases=[\"X\"]\n",
            "u.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("u.toml") && err.contains("\"X\""), "{err}");
        let mut l = lex();
        let user = Lexicon::from_toml(
            "[[actor]]\nname=\"Washington State\"\naliases=[\"Washington\"]\n",
            "u",
        )
        .unwrap();
        l.merge(&user);
        assert_eq!(l.owner_of("Washington"), Some("Washington State"));
        assert_eq!(l.owner_of("US"), Some("United States"));
    }

    /// Merging is linear (100,000 actors in well under the two seconds the quadratic
    /// merge took for 5,000) and keeps the rules: an alias moves to the last actor that
    /// claims it, a known actor gains aliases and its new kind.
    #[test]
    fn merge_is_linear_and_moves_aliases() {
        let mut l = Lexicon::builtin();
        let mut toml = String::new();
        for i in 0..100_000 {
            toml.push_str(&format!(
                "[[actor]]\nname = \"P{i}\"\nkind = \"person\"\naliases = [\"Person {i}\"]\n"
            ));
        }
        toml.push_str("[[actor]]\nname = \"Iran\"\nkind = \"other\"\naliases = [\"Persia\"]\n");
        toml.push_str("[[actor]]\nname = \"Gulf\"\naliases = [\"Muscat\", \"Oman\"]\n");
        let user = Lexicon::from_toml(&toml, "u").unwrap();
        let t0 = std::time::Instant::now();
        l.merge(&user);
        assert!(t0.elapsed().as_secs_f64() < 5.0, "{:?}", t0.elapsed());
        assert_eq!(l.owner_of("Person 99999"), Some("P99999"));
        assert_eq!(l.owner_of("Persia"), Some("Iran"));
        assert_eq!(l.owner_of("Tehran"), Some("Iran"));
        assert_eq!(l.owner_of("Muscat"), Some("Gulf"));
        assert_eq!(l.owner_of("Oman"), Some("Gulf"));
        let iran = l.actors.iter().find(|a| a.name == "Iran").unwrap();
        assert_eq!(iran.kind, "other");
        assert_eq!(l.owner_of("Omani"), Some("Oman"));
        let err = Lexicon::from_toml(
            "[[actor]]\nname=\"X\"\nkind=\"planet\"\naliases=[\"X\"]\n",
            "k.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("k.toml") && err.contains("unknown kind \"planet\""),
            "{err}"
        );
    }

    #[test]
    fn builtin_lexicon_is_valid() {
        let l = Lexicon::builtin();
        assert!(l.actors.len() >= 193, "{}", l.actors.len());
        assert_eq!(l.owner_of("Tehran"), Some("Iran"));
        assert_eq!(l.owner_of("Muscat"), Some("Oman"));
        assert_eq!(l.owner_of("White House"), Some("United States"));
    }
}
