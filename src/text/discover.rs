//! Actor discovery: the actors an article is about, found in its text.
//!
//! Each sentence is tagged by the named-entity tagger ([`crate::text::ner`]) and
//! searched by the lexicon matcher ([`crate::text::actors`]). The names of both are
//! grouped into actors with their later mentions (surnames, titles, pronouns) by
//! [`crate::text::coref`]:
//!
//! - A lexicon mention is the lexicon's actor (one actor per lexicon entry, whatever the
//!   alias), unless a longer person or organization name the tagger found contains it
//!   and the rest of that name is capitalized words ("Bank of England" is not England).
//! - The tagger's names of people and organizations become actors; so do places not in
//!   the lexicon, if the article names them at least once other than after a
//!   preposition of place ("in Millbrook" is where something happens, "Millbrook voted"
//!   is an actor). `OTHER` names (nationalities, events, dates) are not actors.
//! - A lexicon alias that is not the actor's name, after a preposition of place, is the
//!   place and not the actor ("talks in Geneva" do not mention the WHO).
//! - The dateline ("WASHINGTON -") names no actor, and dates ("Jan. 5", "Tuesday") are
//!   not actors. In a headline in title case, whose capitals say little, only the
//!   tagger's names of people are kept.
//!
//! Offsets of mentions are characters and bytes of their sentence, end exclusive.

use crate::text::actors::{is_own_name, without_possessive, Matcher, Mention};
use crate::text::calendar;
use crate::text::coref::{self, MentionKind, Name, NameKind};
use crate::text::dateline::dateline;
use crate::text::names;
use crate::text::ner::{EntityKind, EntitySpan, NerError, NerScratch, NerTagger};
use crate::text::segment::Sentence;
use crate::text::place;
use rayon::prelude::*;
use std::collections::HashMap;

/// The tagger shipped with the library (`models/tagger.ner`, trained on GMB by
/// `models/train-tagger.sh`; see the models README).
pub static BUILTIN_TAGGER: &[u8] = include_bytes!("../../models/tagger.ner");

/// The shipped tagger, loaded.
pub fn builtin_tagger() -> Result<NerTagger, NerError> {
    NerTagger::from_bytes(BUILTIN_TAGGER)
}

/// A tagger set up as discovery runs it, wherever discovery runs (articles, and training
/// rows without offsets): with its gate on (see `NerParams::gate`).
pub fn for_discovery(mut tagger: NerTagger) -> NerTagger {
    tagger.set_gate(true);
    tagger
}

/// An actor found in an article.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundActor {
    /// Its name: the lexicon's name, or the longest name proper the article gives it.
    pub name: String,
    /// `person`, `organization`, `company`, `party`, `place`, or a lexicon kind.
    pub kind: String,
    /// Its index in the matcher's lexicon, if it is a lexicon actor.
    pub lexicon: Option<usize>,
}

/// A mention of a found actor, in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundMention {
    /// Index into [`Discovered::actors`].
    pub actor: usize,
    /// Character offsets in the sentence, end exclusive.
    pub start: usize,
    pub end: usize,
    /// Byte offsets in the sentence, end exclusive.
    pub start_byte: usize,
    pub end_byte: usize,
    pub kind: MentionKind,
}

/// The actors of an article and their mentions sentence by sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discovered {
    pub actors: Vec<FoundActor>,
    /// One list per sentence, in text order.
    pub sentences: Vec<Vec<FoundMention>>,
}

/// Lowercase words a person's name may open with ("de Blasio", "van Rompuy", "al Assad").
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "di", "du", "del", "della", "van", "von", "der", "den", "la", "le", "al",
    "el", "bin", "ibn", "ter",
];

/// Words that may sit inside a proper name in lowercase ("Bank of England").
const NAME_FUNCTION_WORDS: &[&str] = &["of", "and", "the", "for", "de", "la", "du", "von", "van"];

/// Role nouns a lexicon actor holds (a bit set over [`coref::ROLE_NOUNS`]): those of
/// its kind ("the government" of a state) and those in its name ("the agency" of the
/// International Atomic Energy Agency).
fn roles(kind: &str, name: &str) -> u64 {
    let of_kind: &[&str] = match kind {
        "state" => coref::STATE_ROLES,
        "company" => &["company", "firm"],
        "party" => &["party"],
        "bloc" => coref::BLOC_ROLES,
        _ => &[],
    };
    let style = (kind == "state")
        .then(|| MONARCHIES.iter().find(|(n, _)| *n == name))
        .flatten()
        .map(|&(_, style)| style);
    let agency = if kind == "state" {
        0
    } else {
        coref::agency_bit(name.split(' '))
    };
    coref::role_bits(of_kind.iter().copied().chain(style).chain(name.split(' '))) | agency
}

/// States that news calls "the kingdom", "the sultanate" or "the emirate" (the
/// monarchies among the built-in states; "United Kingdom" holds "kingdom" by its name).
const MONARCHIES: &[(&str, &str)] = &[
    ("Saudi Arabia", "kingdom"),
    ("Jordan", "kingdom"),
    ("Morocco", "kingdom"),
    ("Bahrain", "kingdom"),
    ("Spain", "kingdom"),
    ("Netherlands", "kingdom"),
    ("Belgium", "kingdom"),
    ("Sweden", "kingdom"),
    ("Norway", "kingdom"),
    ("Denmark", "kingdom"),
    ("Thailand", "kingdom"),
    ("Cambodia", "kingdom"),
    ("Bhutan", "kingdom"),
    ("Lesotho", "kingdom"),
    ("Eswatini", "kingdom"),
    ("Tonga", "kingdom"),
    ("Oman", "sultanate"),
    ("Brunei", "sultanate"),
    ("Qatar", "emirate"),
    ("Kuwait", "emirate"),
];

/// A name that is a date ("Jan. 5", "Tuesday", "2024", "March 3rd"): day or month
/// names and numbers only.
fn is_date(name: &str) -> bool {
    name.split_whitespace().all(|w| {
        let w = w.trim_end_matches(['.', ',']).to_lowercase();
        let number = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        calendar::is_day_or_month(&w)
            || (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
    })
}

/// Whether `word` is the last of two or three capitalized words of `name` ("Marchbank"
/// of "Hollis Marchbank").
fn is_surname_of(word: &str, name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    (2..=3).contains(&words.len())
        && words.iter().all(|w| w.starts_with(char::is_uppercase))
        && words.last() == Some(&word)
        && !word.chars().all(char::is_uppercase)
}

/// Whether an alias other than `name` is one capitalized role noun ("Senate",
/// "Parliament", "Army").
fn is_role_word(alias: &str, name: &str) -> bool {
    !alias.contains(' ')
        && !alias.eq_ignore_ascii_case(name)
        && coref::ROLE_NOUNS.contains(&alias.to_lowercase().as_str())
}

/// Lexicon kinds that may name a person (a training target may be one).
fn person_like(kind: &str) -> bool {
    matches!(kind, "person" | "target" | "")
}

/// The coreference kind of a lexicon kind.
fn name_kind(kind: &str) -> NameKind {
    match kind {
        "person" => NameKind::Person,
        "state" | "bloc" => NameKind::Org,
        _ => NameKind::Org,
    }
}

/// The kind a tagged actor is reported with.
/// A name ending in a company's head noun is a company whatever the tagger took it for
/// ("Kessler Appliance" tagged as a person; [`coref::COMPANY_HEADS`]).
fn tagged_kind(kind: NameKind, name: &str) -> &'static str {
    if coref::company_head(name) {
        return "company";
    }
    match kind {
        NameKind::Person => "person",
        NameKind::Place => "place",
        NameKind::Org => {
            if name.split(' ').any(|w| w == "Party") {
                "party"
            } else {
                "organization"
            }
        }
    }
}

/// A name with what discovery needs to know about it beyond [`Name`].
#[derive(Debug, Clone)]
struct Candidate {
    name: Name,
    /// The name's text.
    text: String,
    /// After a preposition of place.
    locative: bool,
    /// Where something is, in a list of places or not ("bases in Poland and Germany";
    /// see [`place::is_position`]).
    position: bool,
    /// A lexicon alias other than the actor's own name.
    alias: bool,
    /// After "the".
    after_the: bool,
    /// After "of" or "from" ("the people of Millbrook"; but "pressure from Moscow" is
    /// Russia's government, so a lexicon alias there still counts).
    of_from: bool,
    /// A place the tagger typed from shape and context alone: its words are absent from
    /// the tagger's training data ([`unseen_words`]).
    guessed: bool,
    /// After "to" ("pointed over to Doocy"; people receive as often as places do).
    after_to: bool,
    /// After "at" or "of" ("swung at Rubio", "the prosecution of Lerner").
    after_at_of: bool,
    /// A place or other name the sentence shows to be a person's
    /// ([`SentenceNames::person_cue`]).
    person_cue: bool,
    /// A lexicon actor's own name that the tagger read as a person's.
    tagged_person: bool,
}

impl Candidate {
    /// A person's name found outside the tagger's spans (article character offsets),
    /// with none of the context marks.
    fn person(start: usize, end: usize, text: String) -> Self {
        Candidate {
            name: Name {
                start,
                end,
                kind: NameKind::Person,
                key: None,
                roles: 0,
            },
            text,
            locative: false,
            position: false,
            alias: false,
            after_the: false,
            of_from: false,
            guessed: false,
            after_to: false,
            after_at_of: false,
            person_cue: false,
            tagged_person: false,
        }
    }
}

thread_local! {
    /// The tagger's buffers and word cache, one per thread and kept from article to
    /// article: a scratch made per rayon job (`map_init`) started with an empty cache
    /// for every few sentences, so most words had their feature sums recomputed (the
    /// cache holds exact integer sums and checks the tagger's id, so reuse changes no
    /// tag).
    static TAG_SCRATCH: std::cell::RefCell<NerScratch> = std::cell::RefCell::new(NerScratch::default());
}

/// How many times a place outside the lexicon must be named other than after a
/// preposition of place, "of", "from" or "the" to be an actor.
pub const MIN_PLACE_MENTIONS: usize = 2;

/// Capitalized words the tagger takes for names that name no actor.
const NOT_NAMES: &[&str] = &[
    "East", "West", "North", "South", "Western", "Eastern", "Northern", "Southern",
];

/// Last words of names that name a document ("the Digital Services Act", "the Paris
/// Agreement") or a feature of the land or sea ("the Black Sea", "the Rhine River"),
/// whatever the tagger typed them: neither acts. Names of the lexicon are not checked
/// ("Ivory Coast" is a state).
const NO_ACTOR_HEADS: &[&str] = &[
    "Act", "Acts", "Treaty", "Directive", "Regulation", "Amendment", "Protocol",
    "Accord", "Accords", "Agreement", "Charter", "Declaration", "Sea", "Ocean", "Gulf",
    "River", "Bay", "Strait", "Straits", "Lake", "Mountains", "Peninsula", "Canal",
    "Desert",
];

/// Whether a name outside the lexicon ends in one of [`NO_ACTOR_HEADS`] (a possessive
/// ending dropped).
fn names_no_actor(name: &str) -> bool {
    let bare = without_possessive(name);
    bare.contains(' ') && bare.rsplit(' ').next().is_some_and(|w| NO_ACTOR_HEADS.contains(&w))
}

/// Whether the tagger's training data holds a word as an organization's more than as a
/// person's ([`NerTagger::training_shares`]): in under a fifth of its occurrences in a
/// person's span (titles included: "Treasury Secretary Paulson") and in at least a fifth
/// in an organization's.
fn institution_shares(shares: &[u8; 5]) -> bool {
    shares[1] <= 1 && shares[2] >= 2
}

/// A person's span of a title-case headline cut before its first word that is one of
/// [`HEADLINE_STOP`] or has fewer than two letters; false when nothing is left.
fn headline_name(chars: &[char], sp: &mut EntitySpan) -> bool {
    let mut end = sp.start;
    let mut at = sp.start;
    while at < sp.end {
        if chars[at].is_whitespace() {
            at += 1;
            continue;
        }
        let w_end = (at..sp.end).find(|&k| chars[k].is_whitespace()).unwrap_or(sp.end);
        let w: String = chars[at..w_end].iter().collect();
        let name_word = !HEADLINE_STOP.contains(&w.to_lowercase().as_str())
            && w.chars().filter(|c| c.is_alphabetic()).count() > 1;
        if !name_word {
            break;
        }
        end = w_end;
        at = w_end;
    }
    sp.end = end;
    end > sp.start
}

/// Find the actors of `text` (whose `sentences` are given) and their mentions.
pub fn discover(
    text: &str,
    sentences: &[Sentence],
    tagger: &NerTagger,
    matcher: &Matcher,
) -> Discovered {
    let dateline = dateline(text);
    let headline = title_case_headline(text, sentences);
    let mut candidates: Vec<Candidate> = sentences
        .par_iter()
        .enumerate()
        .map_init(Vec::new, |spans, (i, s)| {
                let st = s.text(text);
                // The dateline is no part of the sentence's grammar: the text after it is
                // tagged alone ("NEW YORK - President Obama and" gave one place span
                // "NEW YORK - President" and left "Obama" out).
                let cut = dateline
                    .filter(|&(ds, _)| ds >= s.start && ds < s.start + st.chars().count())
                    .map_or(0, |(_, de)| de - s.start);
                let byte = st.char_indices().nth(cut).map_or(st.len(), |(b, _)| b);
                TAG_SCRATCH.with_borrow_mut(|scratch| tagger.tag_into(&st[byte..], scratch, spans));
                if cut > 0 {
                    for sp in spans.iter_mut() {
                        sp.start += cut;
                        sp.end += cut;
                    }
                }
                if i < headline {
                    // Capitals say little in a title-case headline: only people's names
                    // are trusted there, cut before the first word that cannot be part of
                    // one ("[Donald Trump] A 'Black Soul'").
                    let chars: Vec<char> = st.chars().collect();
                    spans.retain_mut(|sp| sp.kind == EntityKind::Person && headline_name(&chars, sp));
                }
                sentence_names(st, s.start, spans, matcher, tagger, dateline)
            })
        .flatten()
        .collect();
    // A place the tagger guessed from the shape and context of words it never saw in
    // training ("Manafort and Kilimnik were charged", "swung at Rubio") is a person when
    // the article never names it after a preposition of place other than "to", "of",
    // "from" or "the": news names people by surname far more often than places unknown
    // to the tagger, and names such places where something is ("in Zuwara", "the town
    // of Zuwara"); "to" is as often a person's ("pointed over to Doocy").
    // "at" and "of" do not make a place of a one-word name that is a surname of the US
    // Census lists ([`names`]): "swung at Rubio", "the prosecution of Lerner".
    let placed: std::collections::HashSet<&str> = candidates
        .iter()
        .filter(|c| {
            let surname = || {
                let bare = without_possessive(&c.text);
                !bare.contains(' ') && names::is_surname(bare)
            };
            ((c.locative && !c.after_to) || c.of_from) && !(c.after_at_of && surname())
                || c.after_the
        })
        .map(|c| c.text.as_str())
        .collect();
    // So is a place or other name that some sentence shows to be a person's, wherever
    // the article names it ([`SentenceNames::person_cue`]: "Carson, who", "De Blasio
    // said", "Mattis or Kelly").
    let cued: std::collections::HashSet<&str> = candidates
        .iter()
        .filter(|c| c.person_cue)
        .map(|c| without_possessive(&c.text))
        .collect();
    let people: Vec<usize> = (0..candidates.len())
        .filter(|&i| {
            let c = &candidates[i];
            (c.guessed && !placed.contains(c.text.as_str()))
                || (c.name.key.is_none() && cued.contains(without_possessive(&c.text)))
        })
        .collect();
    for i in people {
        candidates[i].name.kind = NameKind::Person;
    }
    // A training target of one word that is the surname of a person the article names
    // in full ("McConnell" beside "Mitch McConnell", "Trump" beside a training target
    // "Donald Trump" the tagger read as a person's) is a plain person's name, and so is
    // that full name when it is a training target: coreference then groups the full
    // name and the surname as one person, where they had been two actors.
    let is_target = |c: &Candidate| {
        c.name
            .key
            .is_some_and(|k| matcher.actor_kind(k as usize) == "target")
    };
    let last_word = |c: &Candidate| {
        untitled(without_possessive(&c.text))
            .rsplit_once(' ')
            .map(|(_, w)| w.to_string())
    };
    let full_person_surnames: std::collections::HashSet<String> = candidates
        .iter()
        .filter(|c| {
            (c.name.key.is_none() && c.name.kind == NameKind::Person)
                || (is_target(c) && c.tagged_person)
        })
        .filter_map(last_word)
        .collect();
    let surname_targets: std::collections::HashSet<String> = candidates
        .iter()
        .filter(|c| is_target(c))
        .map(|c| without_possessive(&c.text))
        .filter(|bare| !bare.contains(' ') && full_person_surnames.contains(*bare))
        .map(str::to_string)
        .collect();
    if !surname_targets.is_empty() {
        for c in candidates.iter_mut() {
            let one = without_possessive(&c.text);
            let convert = is_target(c)
                && (surname_targets.contains(one)
                    || (c.tagged_person
                        && last_word(c).is_some_and(|w| surname_targets.contains(&w))));
            if convert {
                c.name.key = None;
                c.name.kind = NameKind::Person;
                c.name.roles = 0;
                c.alias = false;
                c.locative = false;
                c.after_the = false;
                c.position = false;
            }
        }
    }
    // One kind per tagged name: the one the tagger gave it most often in the article
    // (ties: person, organization, place).
    let mut votes: HashMap<String, [usize; 3]> = HashMap::new();
    for c in candidates.iter().filter(|c| c.name.key.is_none()) {
        let k = match c.name.kind {
            NameKind::Person => 0,
            NameKind::Org => 1,
            _ => 2,
        };
        votes.entry(untitled(&c.text)).or_default()[k] += 1;
    }
    // A one-word name the article puts after "the" at least once, which the tagger's
    // training data holds as an organization's word ([`institution_shares`]), is an
    // institution ("the Treasury said", "Treasury officials"),
    // whatever the tagger made of it here; "the Obama administration" keeps its person
    // (GMB holds "Obama" as a name).
    let after_the: std::collections::HashSet<&str> = candidates
        .iter()
        .filter(|c| c.name.key.is_none() && c.after_the && !c.text.contains(' '))
        .map(|c| without_possessive(&c.text))
        .collect();
    for (w, v) in votes.iter_mut() {
        let institution = after_the.contains(w.as_str())
            && tagger
                .training_shares(w)
                .is_some_and(|shares| institution_shares(&shares));
        if institution {
            *v = [0, 1, 0];
        }
    }
    // A single word that is the last word of a person's name is that person's surname
    // whatever the tagger made of it ("Hamish Tate ... Tate said").
    let surnames: std::collections::HashSet<String> = votes
        .iter()
        .filter(|(w, v)| w.contains(' ') && v[0] >= v[1] && v[0] >= v[2])
        .filter_map(|(w, _)| w.rsplit(' ').next().map(str::to_string))
        .collect();
    for (w, v) in votes.iter_mut() {
        if surnames.contains(w) {
            *v = [1, 0, 0];
        }
    }
    // The tagger misses some later mentions of a surname it found in a full name
    // ("Flynn is ..." at the start of a sentence): every capitalized word of the article
    // that is such a surname and no name yet is one.
    // So are one-word names before a hyphen ("the Sanders-backed candidate",
    // "Nuvora-owned") when the article names them alone.
    let one_word: std::collections::HashSet<&str> = votes
        .keys()
        .map(String::as_str)
        .filter(|w| !w.contains(' '))
        .collect();
    if !surnames.is_empty() || !one_word.is_empty() {
        let missed = missed_surnames(text, sentences, &candidates, &surnames, &one_word);
        for c in &missed {
            votes.entry(c.text.clone()).or_insert([1, 0, 0]);
        }
        candidates.extend(missed);
        candidates.sort_by_key(|c| c.name.start);
    }
    // A capitalized word standing alone that the tagger left untagged and its training
    // data never holds is a name, most often a person's ("Smollett also declared",
    // "he credited Corden with"): the training data holds the common words that open a
    // sentence ("Asked", "Unable").
    let unseen = unseen_names(text, &sentences[headline..], &candidates, tagger, dateline);
    if !unseen.is_empty() {
        for c in &unseen {
            votes.entry(c.text.clone()).or_insert([1, 0, 0]);
        }
        candidates.extend(unseen);
        candidates.sort_by_key(|c| c.name.start);
    }
    // Places outside the lexicon are actors when the article names them at least
    // twice other than after a preposition of place, "of", "from" or "the" ("Millbrook voted", not
    // "in Millbrook", "the Mediterranean").
    let mut acting: HashMap<String, usize> = HashMap::new();
    for c in &candidates {
        if c.name.key.is_none() && !c.locative && !c.after_the && !c.of_from {
            *acting.entry(c.text.clone()).or_default() += 1;
        }
    }
    // A state the article names only as where something happens ("bases in Poland and
    // Germany") is not an actor.
    let mut acts: HashMap<u32, bool> = HashMap::new();
    for c in &candidates {
        if let Some(k) = c.name.key {
            *acts.entry(k).or_default() |= !c.position;
        }
    }
    let place_only_state = |k: u32| {
        matcher.actor_kind(k as usize) == "state" && !acts.get(&k).copied().unwrap_or(true)
    };
    let names: Vec<Name> = candidates
        .iter()
        .filter_map(|c| {
            let mut n = c.name;
            if n.key.is_none() {
                let w = &c.text;
                let v = votes[&untitled(w)];
                n.kind = if v[0] >= v[1] && v[0] >= v[2] {
                    NameKind::Person
                } else if v[1] >= v[2] {
                    NameKind::Org
                } else {
                    NameKind::Place
                };
                let place_only = n.kind == NameKind::Place
                    && acting.get(w).copied().unwrap_or(0) < MIN_PLACE_MENTIONS;
                let group = w.ends_with(" MP") || w.ends_with(" MPs"); // "Labour MPs"
                if place_only
                    || group
                    || NOT_NAMES.contains(&w.as_str())
                    || is_date(w)
                    || names_no_actor(w)
                {
                    return None;
                }
            } else if (c.alias && c.locative) || c.name.key.is_some_and(place_only_state) {
                return None; // "talks in Geneva", "plants in Hungary and Spain"
            }
            Some(n)
        })
        .collect();
    // Lexicon mentions by another alias than the actor's name ("Tehran" for Iran).
    let aliases: std::collections::HashSet<usize> = candidates
        .iter()
        .filter(|c| c.alias)
        .map(|c| c.name.start)
        .collect();
    // The state the dateline names ("CHISINAU, Moldova -", "LONDON -"): the one "the
    // government" means in the article.
    let home = dateline.and_then(|(ds, de)| {
        let line: String = text.chars().skip(ds).take(de - ds).collect();
        let found = matcher.find(&line);
        found
            .iter()
            .rev()
            .find(|m| matcher.actor_kind(m.actor) == "state")
            .map(|m| m.actor as u32)
    });
    let actors = coref::group(text, sentences, &names, home);
    assemble(text, sentences, matcher, actors, &aliases)
}

/// The capitalized words of the article that are one of `surnames`, and the capitalized
/// first parts of hyphenated words that are one of `surnames` or `one_word` names, that
/// overlap no candidate name, as names (a person's unless the name's kind says
/// otherwise).
fn missed_surnames(
    text: &str,
    sentences: &[Sentence],
    candidates: &[Candidate],
    surnames: &std::collections::HashSet<String>,
    one_word: &std::collections::HashSet<&str>,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for s in sentences {
        let mut word = String::new();
        let mut start = 0;
        let chars = s.text(text).chars().chain(std::iter::once(' '));
        for (i, c) in chars.enumerate() {
            if c.is_alphabetic() || (c == '-' && !word.is_empty()) {
                if word.is_empty() {
                    start = s.start + i;
                }
                word.push(c);
                continue;
            }
            let end = start + word.chars().count();
            if word.starts_with(char::is_uppercase)
                && surnames.contains(&word)
                && !covered(candidates, start, end)
            {
                out.push(Candidate::person(start, end, std::mem::take(&mut word)));
            } else if let Some((first, _)) = word.split_once('-') {
                let end = start + first.chars().count();
                if first.starts_with(char::is_uppercase)
                    && (surnames.contains(first) || one_word.contains(first))
                    && !covered(candidates, start, end)
                {
                    out.push(Candidate::person(start, end, first.to_string()));
                }
            }
            word.clear();
        }
    }
    out
}

/// The capitalized words of `sentences` that no candidate covers, stand alone (no
/// capitalized word right before or after them), are absent from the tagger's training
/// data ([`NerTagger::training_shares`]) and follow no preposition of place or "the", as
/// person names.
fn unseen_names(
    text: &str,
    sentences: &[Sentence],
    candidates: &[Candidate],
    tagger: &NerTagger,
    dateline: Option<(usize, usize)>,
) -> Vec<Candidate> {
    // Sentence by sentence on all cores (each sentence's words are its own), in order.
    sentences
        .par_iter()
        .flat_map_iter(|s| unseen_in_sentence(text, s, candidates, tagger, dateline))
        .collect()
}

/// [`unseen_names`] of one sentence.
fn unseen_in_sentence(
    text: &str,
    s: &Sentence,
    candidates: &[Candidate],
    tagger: &NerTagger,
    dateline: Option<(usize, usize)>,
) -> Vec<Candidate> {
        let mut out = Vec::new();
        // (start, text) of the sentence's words, article character offsets; a word is a
        // run of letters, digits, "-", "'" and ".".
        let st = s.text(text);
        let mut words: Vec<(usize, &str)> = Vec::new();
        let mut start: Option<(usize, usize)> = None; // (character, byte)
        let ends = st.char_indices().map(Some).chain(std::iter::once(None));
        for (i, ci) in ends.enumerate() {
            let word_char = ci.is_some_and(|(_, c)| {
                c.is_alphanumeric() || (start.is_some() && matches!(c, '-' | '\'' | '’' | '.'))
            });
            match (word_char, start) {
                (true, None) => start = ci.map(|(b, _)| (i, b)),
                (false, Some((c0, b0))) => {
                    let b1 = ci.map_or(st.len(), |(b, _)| b);
                    words.push((s.start + c0, &st[b0..b1]));
                    start = None;
                }
                _ => {}
            }
        }
        // A capitalized word, other than one that opens the sentence and is no name
        // ("But Nassar").
        let capitalized = |k: usize| {
            words[k].1.starts_with(char::is_uppercase)
                && !(k == 0 && LEADING_NOT_NAME.contains(&words[k].1.to_lowercase().as_str()))
        };
        let mut chars: Vec<char> = Vec::new();
        for k in 0..words.len() {
            let (a, w) = &words[k];
            let bare = without_possessive(w.trim_end_matches('.'));
            let mut letters = bare.chars();
            let title_case = letters.next().is_some_and(char::is_uppercase)
                && bare.chars().count() >= 3
                && letters.all(char::is_lowercase);
            let alone = (k == 0 || !capitalized(k - 1)) && (k + 1 == words.len() || !capitalized(k + 1));
            let end = a + bare.chars().count();
            if title_case
                && alone
                && (k == 0 || words[k - 1].1 != "the")
                && !dateline.is_some_and(|(ds, de)| *a >= ds && *a < de)
                && !LEADING_NOT_NAME.contains(&bare.to_lowercase().as_str())
                && !NOT_NAMES.contains(&bare)
                && !is_date(bare)
                && tagger.training_shares(bare).is_none()
                && !inflection_seen(tagger, bare)
                && !covered(candidates, *a, end)
                && !{
                    if chars.is_empty() {
                        chars.extend(st.chars());
                    }
                    place::governing_word(&chars, a - s.start)
                        .is_some_and(|b| place::LOCATIVE.contains(&b.as_str()))
                }
            {
                out.push(Candidate::person(*a, end, bare.to_string()));
            }
        }
        out
}

/// Whether one of the four candidates that start last before character `b` (of
/// `candidates`, sorted by start) overlaps characters `a..b`.
fn covered(candidates: &[Candidate], a: usize, b: usize) -> bool {
    let k = candidates.partition_point(|c| c.name.start < b);
    candidates[..k].iter().rev().take(4).any(|c| c.name.end > a)
}

/// Whether `word` is an inflection of a common word of the tagger's training data: without
/// "s", "es", "ed", "d", "ing" or "ly" (and with "e" put back after "ed" and "ing"), it is
/// there, outside names at least a fifth of the time ("Shutdowns", "Copying"; not
/// "Yates", whose "Yat" is a name).
fn inflection_seen(tagger: &NerTagger, word: &str) -> bool {
    let lower = word.to_lowercase();
    ["s", "es", "ed", "d", "ing", "ly"].iter().any(|suffix| {
        lower.strip_suffix(suffix).is_some_and(|stem| {
            let common = |w: &str| tagger.training_shares(w).is_some_and(|s| s[0] >= 2);
            stem.chars().count() >= 3
                && (common(stem)
                    || (matches!(*suffix, "ed" | "ing") && common(&format!("{stem}e"))))
        })
    })
}

/// How many sentences open the article as a headline in title case: a first paragraph
/// of one line, without final punctuation, most of its words (of four letters or more)
/// capitalized. 0 if there is none.
fn title_case_headline(text: &str, sentences: &[Sentence]) -> usize {
    let para_end = text.find("\n\n").unwrap_or(text.len());
    let para = text[..para_end].trim();
    if para.contains('\n') || para.ends_with(['.', '!', '?', '"', '”']) {
        return 0;
    }
    let long: Vec<&str> = para
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let caps = long
        .iter()
        .filter(|w| w.starts_with(char::is_uppercase))
        .count();
    if long.len() < 2 || caps * 3 < long.len() * 2 {
        return 0;
    }
    sentences.partition_point(|s| s.start_byte < para_end)
}

/// The names of one sentence (`st`, starting at character `offset` of the article):
/// the tagger's `spans` and the lexicon's mentions, merged.
fn sentence_names(
    st: &str,
    offset: usize,
    spans: &[EntitySpan],
    matcher: &Matcher,
    tagger: &NerTagger,
    dateline: Option<(usize, usize)>,
) -> Vec<Candidate> {
    let s = SentenceNames {
        chars: st.chars().collect(),
        offset,
        matcher,
        tagger,
        dateline,
    };
    let lexicon = matcher.find(st);
    let mut out: Vec<Candidate> = Vec::new();
    // Tagged names first; a lexicon mention inside one that wins is dropped below.
    let joined = joined_titles(&s.chars, spans);
    for (i, &sp) in joined.iter().enumerate() {
        // A place coordinated with a person ("Mattis or Kelly") is a person.
        let coordinated = sp.kind == EntityKind::GpeOrLoc
            && [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|j| joined.get(j))
                .any(|o| o.kind == EntityKind::Person && s.coordinated(sp, *o));
        if let Some(c) = s
            .clip_dateline(sp)
            .and_then(|sp| s.tagged(sp, &lexicon, coordinated))
        {
            out.push(c);
        }
    }
    let won: Vec<(usize, usize)> = out
        .iter()
        .map(|c| (c.name.start - offset, c.name.end - offset))
        .collect();
    for m in &lexicon {
        if !s.in_dateline(m.start) && !won.iter().any(|&(a, b)| m.start < b && a < m.end) {
            out.push(s.lexicon(m));
        }
    }
    out.sort_by_key(|c| c.name.start);
    out
}

/// One sentence's text and what its names are checked against.
struct SentenceNames<'a> {
    chars: Vec<char>,
    /// The sentence's first character in the article.
    offset: usize,
    matcher: &'a Matcher,
    tagger: &'a NerTagger,
    dateline: Option<(usize, usize)>,
}

impl SentenceNames<'_> {
    fn slice(&self, a: usize, b: usize) -> String {
        self.chars[a..b].iter().collect()
    }

    fn in_dateline(&self, a: usize) -> bool {
        let at = self.offset + a;
        self.dateline.is_some_and(|(s, e)| at >= s && at < e)
    }

    /// A name at character `start` of the sentence.
    fn candidate(&self, start: usize, end: usize, kind: NameKind, key: Option<u32>) -> Candidate {
        // A word before a possessive governs the noun after it, not the name: "in
        // Dimon's view", "the nature of Spicer's job".
        let text = self.slice(start, end);
        let after: String = self.chars[end..].iter().take(3).collect();
        let possessive = without_possessive(&text).len() < text.len()
            || ((after.starts_with("'s") || after.starts_with("’s"))
                && !after.chars().nth(2).is_some_and(char::is_alphanumeric));
        let before = previous_word(&self.chars, start)
            .map(|w| w.to_lowercase())
            .filter(|_| !possessive);
        let roles = key.map_or(0, |k| {
            let k = k as usize;
            roles(self.matcher.actor_kind(k), self.matcher.actor_names(k))
        });
        Candidate {
            text,
            name: Name {
                start: self.offset + start,
                end: self.offset + end,
                kind,
                key,
                roles,
            },
            locative: before.as_deref().is_some_and(|w| place::LOCATIVE.contains(&w)),
            position: !possessive && place::is_position(&self.chars, start, end),
            alias: false,
            after_the: before.as_deref() == Some("the"),
            of_from: matches!(before.as_deref(), Some("of" | "from")),
            guessed: false,
            after_to: before.as_deref() == Some("to"),
            after_at_of: matches!(before.as_deref(), Some("at" | "of")),
            person_cue: false,
            tagged_person: false,
        }
    }

    /// Whether a capitalized title of [`PERSONAL_TITLES`] ("Mrs", "Sen.") ends right
    /// before character `at`, one space between.
    fn after_personal_title(&self, at: usize) -> bool {
        title_before(&self.chars, at).is_some_and(|t| {
            let word: String = self.chars[t..at - 1].iter().collect();
            PERSONAL_TITLES.contains(&word.trim_end_matches('.').to_lowercase().as_str())
        })
    }

    /// A tagged span that starts in the dateline, cut to start after it ("LONDON - Prime
    /// Minister Rachel Denholm"); `None` if nothing of a name is left ("ROME - At least").
    fn clip_dateline(&self, mut sp: EntitySpan) -> Option<EntitySpan> {
        let Some((_, dl_end)) = self.dateline.filter(|_| self.in_dateline(sp.start)) else {
            return Some(sp);
        };
        sp.start = (dl_end - self.offset.min(dl_end)).max(sp.start);
        while sp.start < sp.end && self.chars[sp.start].is_whitespace() {
            sp.start += 1;
        }
        if sp.start >= sp.end {
            return None;
        }
        let first: String = self.chars[sp.start..sp.end]
            .iter()
            .take_while(|c| c.is_alphabetic())
            .collect();
        (!HEADLINE_STOP.contains(&first.to_lowercase().as_str())).then_some(sp)
    }

    /// The name a tagged span gives, unless it is not an actor's or a lexicon mention in
    /// it wins.
    fn tagged(
        &self,
        mut sp: EntitySpan,
        lexicon: &[Mention],
        coordinated: bool,
    ) -> Option<Candidate> {
        // A name before a hyphen ends before it ("[Trump-]era").
        while sp.end > sp.start && matches!(self.chars[sp.end - 1], '-' | '‐' | '–') {
            sp.end -= 1;
        }
        if sp.end == sp.start {
            return None;
        }
        let ampersand = self.chars[sp.start..sp.end].contains(&'&');
        if !ampersand && self.after_personal_title(sp.start) {
            // Only a person's name follows "Mrs" or "Sen." ("Mrs May's" is no month).
            sp.kind = EntityKind::Person;
        }
        let inside: Vec<&Mention> = lexicon
            .iter()
            .filter(|m| m.start < sp.end && sp.start < m.end)
            .collect();
        let text = self.slice(sp.start, sp.end);
        let person_cue = !ampersand
            && inside.is_empty()
            && matches!(sp.kind, EntityKind::GpeOrLoc | EntityKind::Other)
            && self.person_cue(sp, &text, coordinated);
        if person_cue {
            sp.kind = EntityKind::Person;
        }
        if sp.kind == EntityKind::Other || (sp.kind == EntityKind::Person && ampersand) {
            return None; // a person's name has no "&" ("Q&A")
        }
        let mut kind = match sp.kind {
            EntityKind::Person => NameKind::Person,
            EntityKind::Org => NameKind::Org,
            _ => NameKind::Place,
        };
        if kind != NameKind::Person && titled_person(&text) {
            kind = NameKind::Person;
        }
        let guessed = kind == NameKind::Place && inside.is_empty() && unseen_words(self.tagger, &text);
        // A tagged name that is a lexicon actor's name ("Republican Party" around the
        // alias "Republican"; "Conservative Party" for "Conservative Party (UK)"; "House
        // of Commons" around the aliases "House" and "Commons" of two actors) is that
        // actor.
        let own = inside
            .iter()
            .find(|m| is_own_name(&text, self.matcher.actor_name(m.actor)));
        if own.is_none() && !inside.is_empty() && !self.tagged_wins(sp, kind, &inside) {
            return None;
        }
        Some(match own {
            Some(m) => {
                let k = name_kind(self.matcher.actor_kind(m.actor));
                Candidate {
                    tagged_person: sp.kind == EntityKind::Person,
                    ..self.candidate(sp.start, sp.end, k, Some(m.actor as u32))
                }
            }
            None => Candidate {
                guessed,
                person_cue,
                ..self.candidate(sp.start, sp.end, kind, None)
            },
        })
    }

    /// Whether the words around a place or other name the tagger found (`text`, the
    /// span `sp`) show it to be a person's. Never after "the" ("the Gutierrez Puerto
    /// Rican company"). Otherwise: it has two words or more and its first word is one
    /// the tagger's training data holds as a person's at least four times in five ("Roy
    /// Moore"), or a first name of the US Census lists ([`names`]) that the training data
    /// holds, if at all, outside names less than four times in five and in other kinds
    /// of names less than once in five ("Theresa May", which the tagger took for a date;
    /// not "Virginia Beach"); or a possessive and a noun only people have follow
    /// ("through Worley's statement"); or, unless a preposition of place comes before it,
    /// it is `coordinated` with a person's name ("the resignation of Mattis or Kelly")
    /// or, not after "of" or "from" either, followed by a comma and "who" ("the
    /// endorsement by Carson, who"; not "Senator Sanders of Vermont, who"; without the
    /// comma "who" most often opens a clause about an earlier noun: "a judge from
    /// Kentucky who"); or, unless any preposition comes before it, it is followed by a
    /// verb of saying or thinking ("De Blasio said", "Todd knows"), or a verb and "his"
    /// or "her" ("Kennedy launched his campaign").
    fn person_cue(&self, sp: EntitySpan, text: &str, coordinated: bool) -> bool {
        let bare = without_possessive(text);
        let words: Vec<&str> = bare.split(' ').collect();
        let capitalized = words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) && w.chars().all(|c| c.is_alphabetic() || c == '-'));
        if !capitalized {
            return false;
        }
        let before = previous_word(&self.chars, sp.start).map(|w| w.to_lowercase());
        if before.as_deref() == Some("the") {
            return false;
        }
        let shares = self.tagger.training_shares(words[0]);
        let first_name = words.len() > 1
            && !coref::is_title(words[0])
            && (shares.is_some_and(|s| s[1] == 3)
                || (names::first_name(words[0]).is_some()
                    && shares.is_none_or(|s| s[0] < 3 && s[2] < 2 && s[3] < 2 && s[4] < 2)));
        if first_name {
            return true;
        }
        // After a preposition the name is no subject ("a judge from Kentucky who").
        let object = before
            .as_deref()
            .is_some_and(|w| coref::PREPOSITIONS.contains(&w));
        let locative = before
            .as_deref()
            .is_some_and(|w| place::LOCATIVE.contains(&w));
        let of_from = matches!(before.as_deref(), Some("of" | "from"));
        if coordinated && !locative && sp.kind == EntityKind::GpeOrLoc {
            return true;
        }
        let rest: String = self.chars[sp.end..].iter().take(48).collect();
        let mut possessive = bare.len() < text.len();
        let mut rest = rest.as_str();
        if !possessive {
            if let Some(r) = rest.strip_prefix("'s").or_else(|| rest.strip_prefix("’s")) {
                if !r.starts_with(char::is_alphanumeric) {
                    possessive = true;
                    rest = r;
                }
            }
        }
        let comma = rest.trim_start().starts_with(',');
        if comma {
            rest = rest.trim_start()[1..].trim_start();
        }
        let next: Vec<String> = rest
            .split_whitespace()
            .take(2)
            .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_string())
            .collect();
        let w0 = next.first().map_or("", String::as_str);
        let w1 = next.get(1).map_or("", String::as_str);
        if possessive {
            return !comma && PERSON_POSSESSIONS.contains(&w0);
        }
        if sp.kind != EntityKind::GpeOrLoc {
            return false;
        }
        (comma && w0 == "who" && !locative && !of_from)
            || (!comma
                && !object
                && w0.starts_with(char::is_lowercase)
                && (PERSON_VERBS.contains(&w0)
                    || ((w0.ends_with("ed") || w0.ends_with('s'))
                        && matches!(w1, "his" | "her" | "himself" | "herself"))))
    }

    /// Whether two tagged spans are joined by "and" or "or" alone ("Mattis or Kelly").
    fn coordinated(&self, a: EntitySpan, b: EntitySpan) -> bool {
        let (a, b) = if a.end <= b.start { (a, b) } else { (b, a) };
        if a.end > b.start {
            return false;
        }
        let between: String = self.chars[a.end..b.start].iter().collect();
        matches!(between.as_str(), " and " | " or ")
    }

    /// Whether a tagged name wins over the lexicon mentions `inside` it: it contains them
    /// and is a person's name (longer, or around a person-like lexicon name without an
    /// organization's role noun: "Sophie Marchbank" and "Marchbank" are grouped by
    /// coreference), or an organization's
    /// longer name whose other words are proper.
    fn tagged_wins(&self, sp: EntitySpan, kind: NameKind, inside: &[&Mention]) -> bool {
        let contained = inside
            .iter()
            .all(|m| m.start >= sp.start && m.end <= sp.end);
        let longer = inside.iter().all(|m| m.end - m.start < sp.end - sp.start);
        match kind {
            NameKind::Person => {
                contained
                    && (longer
                        || inside.iter().all(|m| {
                            // A training target named by an organization's role noun
                            // ("Labour Party") is no person, whatever the tagger says
                            // of its alias ("Labour").
                            person_like(self.matcher.actor_kind(m.actor))
                                && coref::role_bits(self.matcher.actor_name(m.actor).split(' '))
                                    == 0
                        }))
            }
            NameKind::Org => contained && longer && self.rest_proper(sp, inside),
            // A place named after a state or its people, the state's name first: "Panama
            // City", "the Indian Ocean", "British Guiana" are places, not the state.
            NameKind::Place => {
                contained
                    && longer
                    && inside.iter().all(|m| m.end < sp.end)
                    && self.rest_proper(sp, inside)
            }
        }
    }

    /// Whether the words of a span outside the lexicon mentions in it include a
    /// capitalized one and no lowercase one but "of", "and" ... ("Bank of England", not
    /// "Denmark and Finland").
    fn rest_proper(&self, sp: EntitySpan, inside: &[&Mention]) -> bool {
        let mut rest = self.chars[sp.start..sp.end].to_vec();
        for m in inside {
            for c in &mut rest[m.start - sp.start..m.end - sp.start] {
                *c = ' ';
            }
        }
        let rest: String = rest.into_iter().collect();
        let words: Vec<&str> = rest
            .split(|c: char| !c.is_alphanumeric() && c != '.')
            .filter(|w| !w.is_empty())
            .collect();
        words.iter().any(|w| w.starts_with(char::is_uppercase))
            && words
                .iter()
                .all(|w| w.starts_with(char::is_uppercase) || NAME_FUNCTION_WORDS.contains(w))
    }

    /// The name a lexicon mention gives.
    fn lexicon(&self, m: &Mention) -> Candidate {
        let kind = self.matcher.actor_kind(m.actor);
        let name = self.matcher.actor_name(m.actor);
        let mut c = self.candidate(m.start, m.end, name_kind(kind), Some(m.actor as u32));
        let bare = without_possessive(&c.text);
        let institution = || {
            is_surname_of(bare, name)
                && self
                    .tagger
                    .training_shares(bare)
                    .is_some_and(|shares| institution_shares(&shares))
        };
        if person_like(kind) && (is_role_word(bare, name) || institution()) {
            // A training target's one-word alias that names an institution in any
            // country ("Senate" for "Australian Senate"; "Treasury" for "US Treasury",
            // which the tagger's training data holds as an organization's word, not as
            // a surname) says nothing of which.
            c.name.kind = NameKind::Org;
            c.name.key = None;
            c.name.roles = 0;
        } else if person_like(kind) && is_surname_of(bare, name) {
            // The surname of a person the lexicon knows ("Marchbank" for a training
            // target "Hollis Marchbank") may be anyone of that name here: coreference
            // decides.
            c.name.kind = NameKind::Person;
            c.name.key = None;
            c.name.roles = 0;
            c.locative = false;
            c.after_the = false;
        } else {
            c.alias = !is_own_name(&c.text, name);
        }
        c
    }
}

/// Whether every word of `name` (without a possessive ending) is capitalized and absent
/// from the tagger's training data ([`NerTagger::training_shares`]): the tagger typed it
/// from its shape and context alone.
fn unseen_words(tagger: &NerTagger, name: &str) -> bool {
    let name = without_possessive(name);
    !name.is_empty()
        && name.split(' ').all(|w| {
            w.starts_with(char::is_uppercase)
                && w.chars().all(char::is_alphabetic)
                && tagger.training_shares(w).is_none()
        })
}

/// The tagger's spans, with a person span of title words only ("Senator") joined to
/// the capitalized words right after it ("Senator Mitch McConnell"), whatever the
/// tagger made of those.
fn joined_titles(chars: &[char], spans: &[EntitySpan]) -> Vec<EntitySpan> {
    let mut out: Vec<EntitySpan> = Vec::with_capacity(spans.len());
    let mut skip_to = 0;
    for sp in spans {
        if sp.start < skip_to {
            continue;
        }
        let mut sp = *sp;
        // A leading article or conjunction is not part of a name ("The International
        // Atomic Energy Agency", "Yet Kessler").
        while let Some(space) = (sp.start..sp.end).find(|&i| chars[i] == ' ') {
            let first: String = chars[sp.start..space].iter().collect();
            if LEADING_NOT_NAME.contains(&first.to_lowercase().as_str()) {
                sp.start = space + 1;
            } else {
                break;
            }
        }
        // Nor is a leading word of lowercase letters only, but a name particle ("defends
        // Roy Moore", "through Worley's"; "de Blasio" keeps its "de", "al-Qaida" its
        // first word).
        while let Some(space) = (sp.start..sp.end).find(|&i| chars[i] == ' ') {
            let first: String = chars[sp.start..space].iter().collect();
            if first.chars().all(char::is_lowercase) && !NAME_PARTICLES.contains(&first.as_str()) {
                sp.start = space + 1;
            } else {
                break;
            }
        }
        // Trailing lowercase words are not part of a name ("Black Sea and"), after an
        // opening quotation mark too ("Davies \u{201c}verbally").
        while let Some(space) = (sp.start..sp.end).rev().find(|&i| chars[i] == ' ') {
            let first = chars[space + 1..sp.end]
                .iter()
                .find(|c| !matches!(c, '"' | '\'' | '\u{201c}' | '\u{2018}'));
            if first.is_some_and(|c| c.is_lowercase()) {
                sp.end = space;
            } else {
                break;
            }
        }
        if sp.kind == EntityKind::Person {
            // A person's name ends before a number or a date ("Jessica Elgot Thu 30 Jun").
            let mut s0 = sp.start;
            for w in chars[sp.start..sp.end].split(|c| *c == ' ') {
                let word: String = w.iter().collect();
                if s0 > sp.start && (is_date(&word) || word.chars().any(|c| c.is_ascii_digit())) {
                    sp.end = s0 - 1;
                    break;
                }
                s0 += w.len() + 1;
            }
        }
        let text: String = chars[sp.start..sp.end].iter().collect();
        let bare_title =
            sp.kind == EntityKind::Person && text.split_whitespace().all(coref::is_title);
        if bare_title {
            // Up to three capitalized words after one space each.
            let mut end = sp.end;
            for _ in 0..3 {
                if chars.get(end) != Some(&' ')
                    || !chars.get(end + 1).is_some_and(|c| c.is_uppercase())
                {
                    break;
                }
                let mut e = end + 1;
                while e < chars.len()
                    && (chars[e].is_alphabetic() || matches!(chars[e], '.' | '-' | '\''))
                {
                    e += 1;
                }
                end = e;
            }
            if end > sp.end {
                sp.end = end;
                skip_to = end;
            }
        }
        // A person's name takes the title right before it ("Ms." + "Denholm"), and a
        // bare title span there is dropped.
        if sp.kind == EntityKind::Person {
            if let Some(t) = title_before(chars, sp.start) {
                if out.last().is_some_and(|p| p.end > t) {
                    out.pop();
                }
                sp.start = t;
            }
        }
        out.push(sp);
    }
    out
}

/// The start of a capitalized title word ("Ms.", "Senator") right before character
/// `at` (one space between), if there is one.
fn title_before(chars: &[char], at: usize) -> Option<usize> {
    if at < 2 || chars[at - 1] != ' ' {
        return None;
    }
    let e = at - 1;
    let mut s = e;
    while s > 0 && (chars[s - 1].is_alphabetic() || chars[s - 1] == '.') {
        s -= 1;
    }
    let word: String = chars[s..e].iter().collect();
    let title = word.starts_with(char::is_uppercase) && coref::is_title(&word);
    title.then_some(s)
}

/// A name without the title words that open it ("Prime Minister Rachel Denholm" ->
/// "Rachel Denholm").
fn untitled(name: &str) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let n = words.iter().take_while(|w| coref::is_title(w)).count();
    if n == 0 || n == words.len() {
        name.to_string()
    } else {
        words[n..].join(" ")
    }
}

/// Capitalized words that open a sentence, not a name ("The", "Yet", "But").
const LEADING_NOT_NAME: &[&str] = &[
    "the",
    "a",
    "an",
    "yet",
    "but",
    "and",
    "so",
    "still",
    "however",
    "then",
    "when",
    "if",
    "while",
    "although",
    "though",
    "because",
    "since",
    "after",
    "before",
    "meanwhile",
    "instead",
    "as",
    "for",
    "or",
    "nor",
    "now",
    "even",
    "only",
    "why",
    "how",
    "what",
];

/// Words that a title-case headline capitalizes and that no person's name holds.
const HEADLINE_STOP: &[&str] = &[
    "is", "are", "was", "were", "be", "at", "about", "a", "an", "the", "of", "to", "in", "on",
    "for", "with", "by", "and", "or", "as", "q", "vs", "after", "over", "into", "from", "says",
    "said", "right", "wrong", "how", "why", "what", "who", "will", "can",
];

/// The word before character `at` of `chars` (letters only), if any.
fn previous_word(chars: &[char], at: usize) -> Option<String> {
    let mut e = at;
    while e > 0 && !chars[e - 1].is_alphabetic() {
        if !chars[e - 1].is_whitespace() {
            return None; // punctuation between: not a preposition before the name
        }
        e -= 1;
    }
    let mut s = e;
    while s > 0 && chars[s - 1].is_alphabetic() {
        s -= 1;
    }
    (s < e).then(|| chars[s..e].iter().collect())
}

/// Verbs of saying and thinking that, right after a name, show a person's ("Todd knows
/// it", "De Blasio said").
const PERSON_VERBS: &[&str] = &[
    "said", "says", "told", "tells", "knows", "knew", "thinks", "thought", "believes",
    "believed", "wrote", "writes", "tweeted", "testified", "recalled", "admitted",
    "insisted", "argued", "replied", "joked", "recounted",
];

/// Nouns that, after a name in the possessive, show a person's ("Worley's statement",
/// "Levin's rebuttal").
const PERSON_POSSESSIONS: &[&str] = &[
    "wife", "husband", "son", "daughter", "mother", "father", "brother", "sister",
    "lawyer", "lawyers", "attorney", "attorneys", "spokesman", "spokeswoman",
    "spokesperson", "remarks", "comments", "rebuttal", "testimony", "speech", "tweet",
    "tweets", "resignation", "nomination", "memoir", "career", "statement", "campaign",
];

/// Titles that only ever open a person's name.
const PERSONAL_TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "senator",
    "rep",
    "gov",
    "president",
    "sir",
    "dame",
];

/// An organization or place name that ends with a person's title and one to three
/// capitalized words ("Senator Elaine Voss", "Senate Majority Leader Thomas Garrity"
/// tagged as an organization).
fn titled_person(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let is_title = |w: &str| {
        let lower = w.trim_end_matches('.').to_lowercase();
        PERSONAL_TITLES.contains(&lower.as_str()) || coref::is_title(w)
    };
    (1..words.len()).rev().take(3).any(|t| {
        is_title(words[t - 1])
            && words[t..]
                .iter()
                .all(|w| w.starts_with(char::is_uppercase) && !is_title(w))
    })
}

/// The found actors and their mentions by sentence, from coreference's actors.
fn assemble(
    text: &str,
    sentences: &[Sentence],
    matcher: &Matcher,
    actors: Vec<coref::Actor>,
    aliases: &std::collections::HashSet<usize>,
) -> Discovered {
    let mut found = Vec::with_capacity(actors.len());
    // (sentence, start, end, actor, kind), article character offsets.
    let mut mentions: Vec<(usize, usize, usize, usize, MentionKind)> = Vec::new();
    let starts: Vec<usize> = sentences.iter().map(|s| s.start).collect();
    for (i, a) in actors.into_iter().enumerate() {
        let (name, kind) = match a.key {
            Some(k) => (
                matcher.actor_name(k as usize).to_string(),
                matcher.actor_kind(k as usize).to_string(),
            ),
            None => (a.name.clone(), tagged_kind(a.kind, &a.name).to_string()),
        };
        for m in &a.mentions {
            let si = starts.partition_point(|&s| s <= m.start).saturating_sub(1);
            let kind = match m.kind {
                MentionKind::Name if aliases.contains(&m.start) => MentionKind::Alias,
                k => k,
            };
            mentions.push((si, m.start, m.end, i, kind));
        }
        // Two actors of one name (a person and a country called Jordan) stay apart.
        let name = if found.iter().any(|f: &FoundActor| f.name == name) {
            format!("{name} ({kind})")
        } else {
            name
        };
        found.push(FoundActor {
            name,
            kind,
            lexicon: a.key.map(|k| k as usize),
        });
    }
    mentions.sort_unstable_by_key(|&(si, s, ..)| (si, s));
    let mut out = vec![Vec::new(); sentences.len()];
    let mut next = 0;
    for (si, s) in sentences.iter().enumerate() {
        let here = mentions[next..].partition_point(|m| m.0 == si);
        let ms = &mentions[next..next + here];
        next += here;
        if ms.is_empty() {
            continue;
        }
        // Character offsets to bytes, in one pass over the sentence.
        let st = s.text(text);
        let mut bytes = Vec::with_capacity(ms.len() * 2);
        let mut want: Vec<usize> = ms
            .iter()
            .flat_map(|m| [m.1 - s.start, m.2 - s.start])
            .collect();
        want.sort_unstable();
        let mut it = st
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(st.len()));
        let mut ci = 0;
        let mut cur = it.next().unwrap_or(st.len());
        for w in want {
            while ci < w {
                cur = it.next().unwrap_or(st.len());
                ci += 1;
            }
            bytes.push((w, cur));
        }
        let byte = |c: usize| bytes[bytes.partition_point(|&(w, _)| w < c)].1;
        out[si] = ms
            .iter()
            .map(|&(_, a, b, actor, kind)| FoundMention {
                actor,
                start: a - s.start,
                end: b - s.start,
                start_byte: byte(a - s.start),
                end_byte: byte(b - s.start),
                kind,
            })
            .collect();
    }
    Discovered {
        actors: found,
        sentences: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::actors::Lexicon;
    use crate::text::segment;

    fn run(text: &str) -> (Discovered, Vec<Sentence>) {
        let tagger = builtin_tagger().expect("the shipped tagger loads");
        let matcher = Matcher::new(&Lexicon::builtin()).expect("matcher");
        let sentences = segment::sentences(text);
        (discover(text, &sentences, &tagger, &matcher), sentences)
    }

    /// The built-in lexicon's matcher with the targets of a model's training rows
    /// (actor, alias) added.
    fn with_targets(targets: &[(&str, &str)]) -> Matcher {
        let mut lexicon = Lexicon::builtin();
        for (actor, alias) in targets {
            lexicon.add_alias(actor, "target", alias);
        }
        Matcher::new(&lexicon).expect("matcher")
    }

    fn names(d: &Discovered) -> Vec<(&str, &str)> {
        d.actors
            .iter()
            .map(|a| (a.name.as_str(), a.kind.as_str()))
            .collect()
    }

    #[test]
    fn people_companies_and_agencies_are_found_beside_the_lexicon() {
        let text = "President Biden blasted Senator Mitch McConnell on Tuesday, calling his \
                    obstruction shameful. McConnell said the White House was lying. \
                    Netanyahu praised Trump for his courage, while Putin warned NATO.";
        let (d, _) = run(text);
        let found = names(&d);
        for who in ["Biden", "Mitch McConnell", "Netanyahu", "Trump", "Putin"] {
            assert!(
                found.contains(&(who, "person")),
                "{who} not found as a person in {found:?}"
            );
        }
        assert!(found.iter().any(|(n, _)| *n == "NATO"), "{found:?}");
        // McConnell's two sentences: the full name, then the surname.
        let mc = d
            .actors
            .iter()
            .position(|a| a.name == "Mitch McConnell")
            .expect("McConnell");
        let kinds: Vec<MentionKind> = d
            .sentences
            .iter()
            .flatten()
            .filter(|m| m.actor == mc)
            .map(|m| m.kind)
            .collect();
        assert_eq!(kinds[..2], [MentionKind::Name, MentionKind::Short]);
    }

    #[test]
    fn mention_offsets_are_characters_and_bytes_of_the_sentence() {
        let text =
            "Café owners cheered. Then Chancellor Olaf Scholz met Emmanuel Macron in Berlin.";
        let (d, sentences) = run(text);
        for (si, ms) in d.sentences.iter().enumerate() {
            let st = sentences[si].text(text);
            for m in ms {
                let by_chars: String = st.chars().skip(m.start).take(m.end - m.start).collect();
                assert_eq!(by_chars, &st[m.start_byte..m.end_byte]);
            }
        }
        assert!(d.sentences[1].len() >= 2, "{:?}", d);
    }

    #[test]
    fn datelines_and_locations_are_not_actors() {
        let text = "Talks resume\n\nGENEVA - Officials met in Millbrook on Monday. \
                    The meeting was calm.";
        let (d, _) = run(text);
        let found = names(&d);
        assert!(
            found
                .iter()
                .all(|(n, _)| *n != "Millbrook" && *n != "GENEVA"),
            "{found:?}"
        );
    }

    #[test]
    fn states_named_only_as_places_are_not_actors() {
        let text = "NATO will train Ukrainian crews at bases in Poland and Germany. \
                    Credit is due to Poland, which gave the most. Jobs moved to a plant \
                    in northern Mexico.";
        let (d, _) = run(text);
        let found = names(&d);
        // Poland is also owed credit; Germany and Mexico are only where things happen.
        assert!(found.iter().any(|(n, _)| *n == "Poland"), "{found:?}");
        assert!(found.iter().any(|(n, _)| *n == "Ukraine"), "{found:?}");
        for place in ["Germany", "Mexico"] {
            assert!(found.iter().all(|(n, _)| *n != place), "{place}: {found:?}");
        }
    }

    #[test]
    fn places_named_after_states_laws_and_seas_are_not_actors() {
        let text = "The summit that ended in Panama City produced a weak deal. Storms \
                    battered islands of the Indian Ocean. The Digital Services Act was \
                    debated for two years, and the Black Sea Fleet sailed while tankers \
                    crossed the Black Sea. Brussels fined the company, and Oman praised \
                    India.";
        let (d, _) = run(text);
        let found = names(&d);
        for gone in ["Panama", "Digital Services Act", "Black Sea"] {
            assert!(found.iter().all(|(n, _)| *n != gone), "{gone}: {found:?}");
        }
        // India is still named when the text names it, and an organization named after
        // a sea is not a sea.
        for kept in ["India", "Oman", "Black Sea Fleet"] {
            assert!(found.iter().any(|(n, _)| *n == kept), "{kept}: {found:?}");
        }
        let india = d.actors.iter().position(|a| a.name == "India").unwrap();
        let india_mentions = d.sentences.iter().flatten().filter(|m| m.actor == india).count();
        assert_eq!(india_mentions, 1, "only 'India' itself, not 'the Indian Ocean'");
    }

    #[test]
    fn a_training_target_s_full_name_and_a_party_s_alias_win_over_the_tagger() {
        let tagger = builtin_tagger().expect("the shipped tagger loads");
        let matcher = with_targets(&[
            ("U.S. House of Representatives", "House"),
            ("House of Commons", "Commons"),
            ("Labour Party", "Labour"),
            ("Sophie Marchbank", "Marchbank"),
        ]);
        let text = "The Conservatives called for a statement to the House of Commons on \
                    Monday. Labour disagreed, and Marchbank said the cuts were wrong.";
        let sentences = segment::sentences(text);
        let d = discover(text, &sentences, &tagger, &matcher);
        let found = names(&d);
        assert!(found.iter().any(|(n, _)| *n == "House of Commons"), "{found:?}");
        assert!(found.iter().all(|(n, _)| *n != "U.S. House of Representatives"), "{found:?}");
        assert!(found.iter().any(|(n, _)| *n == "Labour Party"), "{found:?}");
        assert!(found.iter().all(|(n, _)| *n != "Labour"), "{found:?}");
        assert!(found.iter().any(|(n, _)| *n == "Sophie Marchbank" || *n == "Marchbank"), "{found:?}");
    }

    #[test]
    fn a_one_word_training_target_that_is_a_named_person_s_surname_is_that_person() {
        let tagger = builtin_tagger().expect("the shipped tagger loads");
        // Training targets, each its own actor: a surname alone, and a full name.
        let matcher = with_targets(&[
            ("Halvorsen", "Halvorsen"),
            ("Ingrid Halvorsen", "Ingrid Halvorsen"),
            ("Okafor", "Okafor"),
        ]);
        for (text, person) in [
            // The full name is a target too.
            ("Ingrid Halvorsen spoke on Monday. Halvorsen said the deal was dead.", "Ingrid Halvorsen"),
            // The full name is the tagger's alone.
            ("Senator Daniel Okafor spoke on Monday. Okafor said the deal was dead.", "Daniel Okafor"),
        ] {
            let sentences = segment::sentences(text);
            let d = discover(text, &sentences, &tagger, &matcher);
            assert_eq!(names(&d), [(person, "person")], "{text}");
            assert_eq!(d.sentences.iter().flatten().count(), 2, "{text}");
        }
        // Alone, the surname stays the target it is.
        let text = "Okafor said the deal was dead.";
        let d = discover(text, &segment::sentences(text), &tagger, &matcher);
        assert_eq!(names(&d), [("Okafor", "target")]);
    }

    #[test]
    fn a_word_the_tagger_never_saw_as_a_person_is_no_person_after_the() {
        let tagger = builtin_tagger().expect("the shipped tagger loads");
        let shares = |w: &str| tagger.training_shares(w);
        // The rule reads the tagger's training statistics: "Treasury" is seldom in a
        // person's span there and often in an organization's; "Obama" is a name.
        assert!(shares("Treasury").is_some_and(|s| s[1] <= 1 && s[2] >= 2), "{:?}", shares("Treasury"));
        assert!(shares("Obama").is_some_and(|s| s[1] >= 2), "{:?}", shares("Obama"));
        let text = "Graham Tulloch will meet Treasury officials on Monday. Treasury \
                    officials briefed reporters. Markets do not mind a new face at the \
                    Treasury, an economist said. The Obama administration had warned \
                    about it.";
        let (d, _) = run(text);
        let found = names(&d);
        assert!(found.iter().all(|(n, k)| *n != "Treasury" || *k != "person"), "{found:?}");
        assert!(found.contains(&("Obama", "person")), "{found:?}");
        // Nor is it the surname of a training target named after it.
        let mut lexicon = Lexicon::builtin();
        lexicon.add_alias("US Treasury", "target", "Treasury");
        let matcher = Matcher::new(&lexicon).expect("matcher");
        let sentences = segment::sentences(text);
        let d = discover(text, &sentences, &tagger, &matcher);
        let found = names(&d);
        assert!(found.iter().all(|(n, k)| !n.contains("Treasury") || *k != "person"), "{found:?}");
    }

    #[test]
    fn names_right_after_a_dateline_and_before_a_headline_s_stop_word_are_found() {
        let (d, _) = run("NEW YORK –  President Obama and Mitt Romney squeezed a comedy \
                          break in between debates.");
        let found = names(&d);
        assert!(found.contains(&("Obama", "person")), "{found:?}");
        assert!(found.iter().all(|(n, _)| !n.contains("YORK")), "{found:?}");
        let (d, _) = run("Khizr Khan, Father Of Slain War Hero, Calls Donald Trump A 'Black Soul'\n\n\
                          The father of a fallen soldier spoke on Sunday.");
        let found = names(&d);
        assert!(found.contains(&("Donald Trump", "person")), "{found:?}");
    }

    #[test]
    fn names_before_a_hyphen_are_mentions() {
        let (d, _) = run("The Trump-era rules were dropped by Biden. Senator Bernie Sanders \
                          spoke. Trump said the Sanders-backed plan failed.");
        let found = names(&d);
        assert!(found.iter().all(|(n, _)| !n.ends_with('-')), "{found:?}");
        let trump = d.actors.iter().position(|a| a.name == "Trump").expect("Trump");
        assert_eq!(d.sentences[0].iter().filter(|m| m.actor == trump).count(), 1);
        let sanders = d.actors.iter().position(|a| a.name.contains("Sanders")).expect("Sanders");
        assert_eq!(d.sentences[2].iter().filter(|m| m.actor == sanders).count(), 1, "{:?}", d.sentences[2]);
    }

    #[test]
    fn the_kingdom_is_the_monarchy_the_article_names() {
        let text = "Saudi Arabia will raise its output in May. The kingdom said prices \
                    were stable.";
        let (d, sentences) = run(text);
        let saudi = d
            .actors
            .iter()
            .position(|a| a.name == "Saudi Arabia")
            .expect("Saudi Arabia");
        let titles: Vec<String> = d.sentences[1]
            .iter()
            .filter(|m| m.actor == saudi && m.kind == MentionKind::Title)
            .map(|m| sentences[1].text(text)[m.start_byte..m.end_byte].to_string())
            .collect();
        assert_eq!(titles, ["The kingdom"], "{d:?}");
    }

    #[test]
    fn places_guessed_from_unseen_words_are_people_unless_named_as_places() {
        // The tagger types these surnames, absent from its training data, as places.
        let tagger = builtin_tagger().unwrap();
        assert!(unseen_words(&tagger, "Kilimnik's") && !unseen_words(&tagger, "Ohio"));
        let (d, _) = run("The reporter turned to Doocy and asked again.");
        assert_eq!(names(&d), [("Doocy", "person")]);
        let (d, _) = run("Prosecutors say Manafort and Kilimnik tried to reach two witnesses.");
        let found = names(&d);
        assert!(found.contains(&("Manafort", "person")), "{found:?}");
        assert!(found.contains(&("Kilimnik", "person")), "{found:?}");
        // Named after "in" once: a place, whatever the article does with it elsewhere.
        let (d, _) = run("Lawmakers in Harrisburg met on Monday. Harrisburg has a deficit.");
        assert!(!names(&d).iter().any(|(n, _)| *n == "Harrisburg"), "{:?}", names(&d));
    }

    #[test]
    fn places_and_other_names_the_sentence_shows_to_be_people_are_people() {
        // The tagger types each of these names as a place (or "Worley's statement" as
        // another name; "defends Roy Moore" as a person with the verb).
        for (text, name) in [
            ("The endorsement by Carson, who left the race last week, surprised no one.", "Carson"),
            ("This is a lie and Todd knows it.", "Todd"),
            ("The departure of Mattis or Kelly would shake the cabinet.", "Mattis"),
            ("Reporters left midway through Worley's statement.", "Worley"),
            ("An auditor defends Roy Moore against the charges.", "Roy Moore"),
        ] {
            let (d, _) = run(text);
            assert!(names(&d).contains(&(name, "person")), "{text}: {:?}", names(&d));
        }
        // A first name of the Census lists the tagger's training data never holds
        // (the tagger took "May" for a date here).
        let (d, _) = run("But with so much pressure from the courts, Theresa May can ill afford a fight.");
        assert_eq!(names(&d), [("Theresa May", "person")]);
        // Census surnames the tagger never saw are not placed by "at" or "of".
        for (text, name) in [
            ("While candidates repeatedly swung at Rubio, they largely ignored the governor.", "Rubio"),
            ("The committee voted to seek the prosecution of Lerner for contempt.", "Lerner"),
        ] {
            let (d, _) = run(text);
            assert_eq!(names(&d), [(name, "person")], "{text}");
        }
        // "who" without a comma after a preposition's object is about an earlier noun;
        // with one after "of" or a preposition of place, it may be about the noun
        // before or the people there. A place's first word that the training data holds
        // as a place's is no first name.
        for text in [
            "A federal judge from Kentucky who knows the senator was named.",
            "Voters in Ohio, who backed him twice, are split.",
            "The people of Ohio, who backed him twice, are split.",
            "Hotels near Virginia Beach were full.",
        ] {
            let (d, _) = run(text);
            assert!(!names(&d).iter().any(|(_, k)| *k == "person"), "{text}: {:?}", names(&d));
        }
    }

    #[test]
    fn standing_alone_words_unseen_in_training_are_names() {
        // Untagged by the tagger; absent from its training data.
        let (d, _) = run("Smollett also declared himself innocent on Tuesday.");
        assert_eq!(names(&d), [("Smollett", "person")]);
        let (d, _) = run("However, the mayor credited Corden with the deal.");
        assert_eq!(names(&d), [("Corden", "person")]);
        let (d, _) = run("But Nassar, or his lawyers, could not question him.");
        assert_eq!(names(&d), [("Nassar", "person")]);
        // Inflections of known words, and a place after "in" (across a list), are not.
        let tagger = builtin_tagger().unwrap();
        assert!(inflection_seen(&tagger, "Copying") && inflection_seen(&tagger, "Shutdowns"));
        assert!(!inflection_seen(&tagger, "Smollett") && !inflection_seen(&tagger, "Yates"));
        let (d, _) = run("Copying the rules is easy.");
        assert!(d.actors.is_empty(), "{:?}", names(&d));
        let (d, _) = run("Aid reached the people in Bucha and Izium.");
        assert!(d.actors.is_empty(), "{:?}", names(&d));
    }

    #[test]
    fn a_preposition_before_a_possessive_governs_the_noun_after_it() {
        // "in" and "of" govern "view" and "job": the names are not where something is.
        let (d, _) = run("In Dimon's view, there is plenty of blame to share.");
        assert_eq!(names(&d), [("Dimon", "person")]);
        let (d, _) = run("Reporters asked about the nature of Spicer's new job.");
        assert_eq!(names(&d), [("Spicer", "person")]);
    }

    #[test]
    fn a_name_after_a_personal_title_is_a_person() {
        // The tagger takes "May's" for a date (OTHER) here.
        let (d, _) = run("A number of Mrs May's ministers have resigned.");
        assert_eq!(names(&d), [("May", "person")]);
    }

    #[test]
    fn later_surnames_the_tagger_missed_are_found() {
        let text = "Michael Flynn spoke. Flynn left, and Flynn-style talk, FLYNN and flynn too.";
        let sentences = segment::sentences(text);
        let full = Candidate::person(0, 13, "Michael Flynn".into());
        let surnames = ["Flynn".to_string()].into_iter().collect();
        let found = missed_surnames(text, &sentences, &[full], &surnames, &Default::default());
        let at: Vec<(usize, &str)> = found
            .iter()
            .map(|c| (c.name.start, c.text.as_str()))
            .collect();
        // Not the one inside the full name, nor "FLYNN" or "flynn"; the first part of
        // "Flynn-style" names him.
        assert_eq!(at, [(21, "Flynn"), (37, "Flynn")]);
    }

    #[test]
    fn spans_lose_leading_and_trailing_lowercase_words() {
        let text = "He said Davies \u{201c}verbally abused him, and defends Roy Moore.";
        let chars: Vec<char> = text.chars().collect();
        let at = |w: &str| text[..text.find(w).unwrap()].chars().count();
        let span = |a: usize, b: usize| EntitySpan { start: a, end: b, kind: EntityKind::Person };
        let spans = [
            span(at("Davies"), at(" abused")),
            span(at("defends"), at(".")),
        ];
        let got: Vec<String> = joined_titles(&chars, &spans)
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect();
        assert_eq!(got, ["Davies", "Roy Moore"]);
    }

    #[test]
    fn previous_word_and_company_kinds() {
        let chars: Vec<char> = "talks in  Geneva, then".chars().collect();
        assert_eq!(previous_word(&chars, 10).as_deref(), Some("in"));
        let chars: Vec<char> = "talks in, Geneva".chars().collect();
        assert_eq!(previous_word(&chars, 10), None);
        assert_eq!(tagged_kind(NameKind::Org, "Acme Holdings Inc."), "company");
        assert_eq!(
            tagged_kind(NameKind::Person, "Kessler Appliance"),
            "company"
        );
        assert_eq!(tagged_kind(NameKind::Org, "Labour Party"), "party");
        assert_eq!(
            tagged_kind(NameKind::Org, "Federal Reserve"),
            "organization"
        );
        assert!(is_date("Jan. 5") && is_date("Tuesday") && is_date("2024"));
        assert!(!is_date("Theresa May") && !is_date("Jordan") && !is_date("G20"));
        assert!(titled_person("Senator Elaine Voss"));
        assert!(titled_person("Senate Majority Leader Thomas Garrity"));
        assert!(!titled_person("Senate Budget Committee"));
        assert!(!titled_person("Ministry of Defense"));
    }
}
