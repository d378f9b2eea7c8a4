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
//! - **Titles standing alone** ("the senator", "the majority leader", "the federal
//!   government", "the company"): "the", at most [`TITLE_MODIFIERS`] lowercase words and
//!   the title words (a possessive "the company's" counts); the actor that holds every
//!   title word in this article, and when several do, the one named last before it
//!   (kind `title`). Persons hold the title words before their names; organizations
//!   the role nouns in their names; lexicon actors the role nouns of their kind
//!   ("government" for a state). "The company" and "the firm" are held by a name
//!   ending in a company's head noun ([`COMPANY_HEADS`]: "Kessler Appliance", whatever
//!   the tagger took it for) and by a name followed in the possessive by what only a
//!   company has ([`COMPANY_CUES`]: "Nuvora's chief executive"); an organization whose
//!   name holds no role noun holds them too, but only when no actor shown to be a
//!   company does. A title phrase in apposition to a person's name ("Julian Faircloth,
//!   the shadow chancellor,", "the business secretary, Owen Pritchard", "its chief
//!   executive, Douglas Marchetti") is that person's, who then holds it; a qualifier
//!   ([`QUALIFIERS`]: shadow, deputy, acting ...) stays part of the title held and
//!   looked up ("the shadow chancellor" is not "the new chancellor"). A name that is
//!   not a person's, in the possessive before a role noun (right after "'s" or after one
//!   lowercase modifier), holds it: "Sudan's army" ... "the army", "Italy's interior
//!   ministry" ... "the ministry", "Russia's permanent mission" ... "the mission"
//!   (`possessed_role`). An organization
//!   whose name has an agency's head noun ([`AGENCY_HEADS`]: Programme, Office,
//!   Administration ...) holds "the agency". A state's role ([`STATE_ROLES`]) before
//!   any holder is named goes to the only state holding it in the article. In an
//!   article whose dateline names a state ("CHISINAU, Moldova -", "LONDON -", the
//!   capital standing for its state as the lexicon says), a state's role ("the
//!   government", "the authorities") is that state's, the host government being what
//!   news means by the word unqualified, unless another state holding it is the
//!   subject of the sentence ("Kaldor said the government would respond"); that state
//!   also holds the organs news names by their role noun alone ([`HOME_ROLES`]: "the
//!   army", "the ministry"; a state's organs count as the state). A bloc
//!   holds "the bloc", "the alliance" and "the group" by its kind ([`BLOC_ROLES`]:
//!   "OPEC ... the group's production cuts").
//! - **Collective nouns standing alone** ("the group", "the militia", "the
//!   organization"; [`COLLECTIVE_NOUNS`]) that no actor holds: resolved as a
//!   definite description by salience, as `it` is (recency, then grammatical role):
//!   the organization that is not a state named earlier in the same sentence when
//!   exactly one is, else that sentence's subject if it is one, then the same in each
//!   of the [`PRONOUN_REACH`] sentences before. A name inside quotation marks is
//!   another speaker's word and counts only for a title inside quotes too ("\"We
//!   welcome the World Food Programme,\" the statement said. The group said ..." is
//!   not the WFP); an indefinite phrase that brings in an unnamed group ("a volunteer
//!   network"; [`GROUP_HEADS`]) is what a later "the group" may mean, so nothing
//!   before it counts; and the noun right before a name is its modifier, no mention
//!   ("the paramilitary Rapid Support Forces").
//! - **Pronouns** (he, him, his, himself; she, her, hers, herself): the nearest person
//!   of compatible gender, looking first at the persons named earlier in the same
//!   sentence (the first one named, most often the subject), then sentence by sentence
//!   back, at most [`PRONOUN_REACH`] sentences, taking each sentence's first-named
//!   compatible person. Gender comes from titles (Mr., Mrs., Ms., King, Queen ...), else
//!   from a first name of the US Census lists ([`names`]) at least four times as
//!   frequent among one sex when the name's last word is a Census surname ("Theresa
//!   May"; not "Kim Jong Un", family name first), else from the first pronoun resolved
//!   to them. `its`, and `it`
//!   as the subject of a verb other than "be" or a modal ("it said", not "it is"), go
//!   to an organization (or a lexicon state) named in the same or the previous sentence
//!   when exactly one is, else to that sentence's **subject** if it is one (kind
//!   `pronoun`); an actor shown to be a company (above) counts as an organization
//!   there, and not as a person, whatever the tagger took it for; so does a person's
//!   name of one word after "the" ("at the Treasury") or after "the" and a role noun
//!   ("the charity Mare Aperto", which then holds "the charity"). Refinements, all
//!   standard in rule-based resolution (Hobbs 1978; Lappin and Leass 1994; centering):
//!   - *A resolved pronoun is a mention like a name* for the pronouns after it: "Oman
//!     ... It hosted ... It has brokered ..." carries the actor from sentence to
//!     sentence (the center continues), within the same reach.
//!   - *Subject*: the actor a sentence opens with (`subject`: its first mention with
//!     at most "the" and a lowercase noun before it, not in the possessive: "The
//!     European Union's package ... It" is the package).
//!   - *Reported speech*: right after a verb of saying ([`REPORTING_VERBS`]: "said it",
//!     "announced on Monday that it", "said ... and that it"), `it` before "be" or a
//!     modal is the speaker too ("The IAEA said it was not in a position ..."), unless
//!     an expletive pattern follows (it is/was [`PLEONASTIC`]: "said it was likely
//!     to"). "It is building" (be and a word in -ing) is a subject too. `it` right after
//!     a preposition ("every euro of it") or a verb of "make it harder"
//!     ([`BEFORE_EXPLETIVE_IT`]) is none.
//!   - *Object control*: after a verb of asking or giving and its object before "to"
//!     ([`CONTROL_VERBS`]: "asked Nuvora to show its work", "told Mr. Hale to explain
//!     his vote"), a pronoun later in the sentence goes to that object when compatible,
//!     up to a coordinator ("and", "but", "or") that ends the infinitive.
//!   - *Quotations*: a sentence all inside quotation marks is the speaker's words; a
//!     pronoun outside quotes looks past such sentences without counting them in its
//!     reach ("Mr. Colley ... \"Prices rose. Wages fell.\" He has said ...").
//! - **Plural pronouns**: `they`, `them`, `their`, `theirs` and `themselves` go to the
//!   actor of the nearest **plural mention** before them in the same sentence, else the
//!   last one of the previous sentence: a name in the plural that is not the actor's own
//!   name ("Ukrainians", "Democrats") or names its members ("Liberal Democrats",
//!   "Republicans"), or a name followed by a group noun ("Chinese trade officials",
//!   "IAEA experts"; [`GROUP_NOUNS`]), or a title in the plural ("the authorities";
//!   [`PLURAL_TITLES`]). Without one they are left alone (news uses them
//!   mostly for people: "the negotiators ... they").
//!
//! Measured on the example articles' gold with `benches/discovery.py`.
//!
//! Offsets are characters of the article, end exclusive.

use crate::text::names;
use crate::text::segment::Sentence;
use crate::text::strtable::StrTable;
use std::collections::HashMap;

/// What kind of thing a name names (the tagger's types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    Person,
    Org,
    Place,
}

/// A name found in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name {
    pub start: usize,
    pub end: usize,
    pub kind: NameKind,
    /// An identity known beforehand (a lexicon actor): names with the same key are one
    /// actor whatever their text, and a keyed name joins no unkeyed actor by its text.
    pub key: Option<u32>,
    /// Role nouns the actor holds, as a bit set over [`ROLE_NOUNS`] ("government",
    /// "agency"): "the agency" then refers to it.
    pub roles: u64,
}

/// How a mention refers to its actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
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
    /// The key of its keyed names (see [`Name::key`]).
    pub key: Option<u32>,
    pub gender: Option<Gender>,
    /// Title words the article gives it, lowercased and without a final period
    /// ("senator", "sen").
    pub titles: Vec<String>,
    pub mentions: Vec<Mention>,
}

/// Plural nouns that, right after an actor's name (at most one word between), make a
/// group that stands for it ("Saudi officials", "Chinese trade officials"): a later
/// "they" may mean them.
pub const GROUP_NOUNS: &[&str] = &[
    "officials",
    "experts",
    "leaders",
    "negotiators",
    "diplomats",
    "lawmakers",
    "legislators",
    "ministers",
    "authorities",
    "representatives",
    "delegates",
    "envoys",
    "executives",
    "investigators",
    "inspectors",
    "prosecutors",
    "regulators",
    "spokesmen",
    "spokespeople",
    "members",
    "troops",
    "forces",
    "soldiers",
    "commanders",
    "generals",
    "senators",
    "mps",
    "staff",
    "monitors",
];

/// `word` lowercased, borrowed when it is ASCII without capitals (most words of a
/// sentence): the per-word lookups below ran `to_lowercase`, an allocation each, on
/// every word of every article. Same answer as `to_lowercase` (non-ASCII words take it).
fn lower(word: &str) -> std::borrow::Cow<'_, str> {
    if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(word)
    } else {
        std::borrow::Cow::Owned(word.to_lowercase())
    }
}

/// A word of a title phrase lowercased, without a possessive ending ("company's" ->
/// "company"): "the company's response" is a title standing alone like "the company".
fn role_word(word: &str) -> std::borrow::Cow<'_, str> {
    let w = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word);
    lower(w)
}

/// Whether a word ends in a possessive "'s".
fn is_possessive(word: &str) -> bool {
    word.ends_with("'s") || word.ends_with("’s")
}

/// Last words of company names ("Acme Holdings Inc.", "Kessler Appliance"), lowercased
/// and without a final period: a name ending in one holds "the company" and "the firm"
/// whatever the tagger took it for (a person, a place).
pub const COMPANY_HEADS: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "llc",
    "plc",
    "group",
    "holdings",
    "industries",
    "motors",
    "airlines",
    "airways",
    "bank",
    "technologies",
    "systems",
    "ag",
    "sa",
    "gmbh",
    "appliance",
    "appliances",
    "electronics",
    "pharmaceuticals",
    "foods",
    "brands",
    "labs",
    "enterprises",
];

/// Whether a name ends in one of [`COMPANY_HEADS`] (two words at least; "Co." alone is
/// no name).
pub fn company_head(name: &str) -> bool {
    let mut ws = name.split_whitespace();
    let last = ws.next_back().map(|w| role_word(w.trim_end_matches('.')).into_owned());
    ws.next().is_some() && last.is_some_and(|l| COMPANY_HEADS.contains(&l.as_str()))
}

/// What follows a name in the possessive that only a company has ("Nuvora's chief
/// executive", "Acme's shareholders"): the name holds "the company" and "the firm".
const COMPANY_CUES: &[&str] = &[
    "chief executive",
    "ceo",
    "chief financial officer",
    "cfo",
    "shareholders",
    "share price",
    "stock price",
    "founder",
    "subsidiary",
    "subsidiaries",
    "executives",
    "customers",
    "products",
    "profits",
];

/// Whether `after`, the text right after a name, opens with a possessive "'s" (unless
/// the name held it: `possessive`) and one of [`COMPANY_CUES`].
fn company_cue(possessive: bool, after: &str) -> bool {
    let Some(rest) = after_possessive(possessive, after) else {
        return false;
    };
    let rest = rest.to_lowercase();
    COMPANY_CUES.iter().any(|c| {
        rest.strip_prefix(c)
            .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
    })
}

/// The role noun ([`ROLE_NOUNS`]) that `after`, the text right after a name, gives it
/// in the possessive, right after "'s" or after one lowercase modifier: "Sudan's army",
/// "Italy's interior ministry", "Russia's permanent mission" (`possessive`: the name
/// held the "'s").
fn possessed_role(possessive: bool, after: &str) -> Option<&'static str> {
    let rest = after_possessive(possessive, after)?;
    let mut words = rest.split(' ');
    let role = |w: &str| role_noun(w.trim_end_matches(|c: char| !c.is_alphanumeric()));
    let first = words.next()?;
    if !first.starts_with(char::is_lowercase) {
        return None;
    }
    role(first).or_else(|| {
        let modifier = first.chars().all(|c| c.is_lowercase() || c == '-');
        modifier.then(|| words.next().and_then(role)).flatten()
    })
}

/// The text after a name in the possessive and one space: `after` is what follows the
/// name, which ends in "'s" itself when `possessive`; `None` when no possessive comes.
fn after_possessive(possessive: bool, after: &str) -> Option<&str> {
    let rest = if possessive {
        after
    } else {
        after
            .strip_prefix("'s")
            .or_else(|| after.strip_prefix("’s"))?
    };
    rest.strip_prefix(' ')
}

/// Whether a word is a third-person plural pronoun.
fn is_plural_pronoun(word: &str) -> bool {
    matches!(
        &*lower(word),
        "they" | "them" | "their" | "theirs" | "themselves"
    )
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

/// Role nouns that stand for an organization or a state ("the company", "the agency",
/// "the government"). An organization holds those in its name; a lexicon actor those
/// its kind implies ([`Name::roles`] is a bit set over this list).
pub const ROLE_NOUNS: &[&str] = &[
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
    "court",
    "council",
    "bloc",
    "alliance",
    "government",
    "country",
    "nation",
    "administration",
    "office",
    "programme",
    "program",
    "fund",
    "board",
    "committee",
    "chamber",
    "senate",
    "assembly",
    "parliament",
    "army",
    "military",
    "police",
    "service",
    "bureau",
    "authority",
    "institute",
    "foundation",
    "coalition",
    "movement",
    "campaign",
    "charity",
    "kingdom",
    "sultanate",
    "emirate",
    "mission",
    "militia",
    "paramilitary",
    "authorities",
];

/// The role nouns a state holds by its kind ("the government", "the country").
pub const STATE_ROLES: &[&str] = &[
    "country",
    "government",
    "administration",
    "nation",
    "authorities",
];

/// The role nouns a bloc holds by its kind: a grouping of states is "the bloc", "the
/// alliance" and "the group" ("OPEC ... the group's production cuts").
pub const BLOC_ROLES: &[&str] = &["bloc", "alliance", "group"];

/// Collective head nouns that any organization not a state may be called by ("the
/// group", "the organization", "the militia"): one standing alone that no actor holds
/// goes to an organization named nearby (see the module documentation).
pub const COLLECTIVE_NOUNS: &[&str] = &[
    "group",
    "organization",
    "organisation",
    "movement",
    "militia",
    "paramilitary",
];

/// Head nouns of an indefinite noun phrase that brings in an unnamed group ("a
/// volunteer network", "an alliance of opposition parties"): a collective noun after it
/// may mean that group, so none refers back past it.
pub const GROUP_HEADS: &[&str] = &[
    "group",
    "groups",
    "organization",
    "organisation",
    "movement",
    "militia",
    "network",
    "coalition",
    "alliance",
    "association",
    "charity",
    "union",
    "faction",
];

/// Organs of a state named by their role noun alone ("the army said", "the ministry
/// did not respond"): the state a dateline names holds them (see [`group`]).
pub const HOME_ROLES: &[&str] = &["army", "military", "ministry", "police"];

/// Role nouns in the plural: a title ending in one ("the authorities") is a plural
/// mention of its actor, for "they" and "their" after it.
pub const PLURAL_TITLES: &[&str] = &["authorities"];

/// Head nouns of names that news calls "the agency" ("World Food Programme",
/// "Congressional Budget Office", "Social Security Administration").
const AGENCY_HEADS: &[&str] = &[
    "agency",
    "programme",
    "program",
    "office",
    "fund",
    "organization",
    "organisation",
    "administration",
    "bureau",
    "service",
];

/// The bit of "agency" if one of the `words` of an organization's name is one of
/// [`AGENCY_HEADS`] (0 otherwise).
pub fn agency_bit<'a>(words: impl IntoIterator<Item = &'a str>) -> u64 {
    let agency = words
        .into_iter()
        .any(|w| AGENCY_HEADS.contains(&&*role_word(w)));
    if agency {
        role_bits(["agency"])
    } else {
        0
    }
}

/// The bit set of the role nouns among `words` (see [`ROLE_NOUNS`]).
pub fn role_bits<'a>(words: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut bits = 0;
    for w in words {
        if let Some(&i) = role_index().get(lower(w).as_bytes()) {
            bits |= 1 << i;
        }
    }
    bits
}

/// The index in [`ROLE_NOUNS`] of each role noun (its first), looked up in one probe.
fn role_index() -> &'static StrTable<u32> {
    static TABLE: std::sync::OnceLock<StrTable<u32>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = StrTable::default();
        for (i, r) in ROLE_NOUNS.iter().enumerate() {
            t.get_or_insert_with(r, || i as u32);
        }
        t
    })
}

/// The role noun of [`ROLE_NOUNS`] a word is (exactly, lowercase), in one probe.
fn role_noun(word: &str) -> Option<&'static str> {
    role_index()
        .get(word.as_bytes())
        .map(|&i| ROLE_NOUNS[i as usize])
}

/// Role nouns for an organization whose name holds none ("Nuvora"): "the company" and
/// "the firm" may mean it.
const PLAIN_ORG_ROLES: &[&str] = &["company", "firm"];

/// Whether a word is one of [`TITLES`] (any case, with or without a final period).
pub fn is_title(word: &str) -> bool {
    title_of(word).is_some()
}

/// The title information of a word: whether it is a title and the gender it shows.
fn title_of(word: &str) -> Option<Option<Gender>> {
    static TABLE: std::sync::OnceLock<StrTable<Option<Gender>>> = std::sync::OnceLock::new();
    // (TITLES in one probe; the first entry of a title, as a scan would find it)
    let table = TABLE.get_or_init(|| {
        let mut t = StrTable::default();
        for &(title, g) in TITLES {
            t.get_or_insert_with(title, || g);
        }
        t
    });
    table
        .get(lower(word.trim_end_matches('.')).as_bytes())
        .copied()
}

/// Words of a text with their character offsets (letters, digits, apostrophes, hyphens
/// and periods inside a word).
fn words(text: &str, offset: usize) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    // The current word: its first character's index and byte offset (a word is a run
    // of characters, so it is a slice of the text; no string is built per character).
    let mut cur: Option<(usize, usize)> = None;
    for (i, (at, c)) in text.char_indices().enumerate() {
        let part = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-' || c == '.';
        match (cur, part) {
            (Some(_), true) => {}
            (None, true) if c.is_alphanumeric() => cur = Some((i, at)),
            (Some((s, from)), false) => {
                cur = None;
                push_word(&mut out, offset + s, &text[from..at]);
            }
            _ => {}
        }
    }
    if let Some((s, from)) = cur {
        push_word(&mut out, offset + s, &text[from..]);
    }
    out
}

/// Push a word without trailing periods, hyphens and apostrophes (kept on title
/// abbreviations such as "Sen.", where the period is part of the title).
fn push_word(out: &mut Vec<(usize, usize, String)>, start: usize, w: &str) {
    let keep_period = w.ends_with('.') && title_of(w).is_some();
    let trimmed = if keep_period {
        w
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
    let ws: Vec<String> = words(text, 0)
        .into_iter()
        .map(|(_, _, w)| {
            w.strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .unwrap_or(&w)
                .to_string()
        })
        .filter(|w| !matches!(w.as_str(), "Jr" | "Jr." | "Sr" | "Sr." | "II" | "III"))
        .collect();
    // The title run ends at the last title word that a name word follows ("Senate
    // Majority Leader Thomas Garrity": senate, majority, leader); a name of titles only
    // ("Prime Minister") is all title.
    let is_title = |w: &String| title_of(w).is_some();
    let n_titles = if ws.iter().all(is_title) {
        ws.len()
    } else {
        (0..ws.len().saturating_sub(1))
            .rev()
            .find(|&t| is_title(&ws[t]) && !is_title(&ws[t + 1]))
            .map_or(0, |t| t + 1)
    };
    let mut gender = None;
    let mut titles = Vec::new();
    for w in &ws[..n_titles] {
        gender = gender.or(title_of(w).flatten());
        titles.push(w.trim_end_matches('.').to_lowercase());
    }
    // Without a title that shows it, a first name of the US Census lists that is at
    // least four times as frequent among one sex does, when the last word is a Census
    // surname ("Theresa May", "Mitch McConnell"; not "Moon Jae-in" or "Kim Jong Un",
    // whose first word is the family name); a name of one word says nothing.
    let last = ws.last().map_or("", String::as_str);
    if gender.is_none() && ws.len() - n_titles >= 2 && names::is_surname(last) {
        gender = match names::first_name(&ws[n_titles]) {
            Some(names::FirstName::Male) => Some(Gender::Male),
            Some(names::FirstName::Female) => Some(Gender::Female),
            _ => None,
        };
    }
    PersonName {
        titles,
        gender,
        proper: ws[n_titles..].to_vec(),
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
///
/// "It" counts only as the subject of a verb other than a form of "be" or a modal
/// (`next`, the word after it, lowercase: "it said", "it has", not "it is", "it
/// would", "found it."), since "it" is otherwise most often a thing or an expletive;
/// "they", "them" and "their" are not resolved (in news they mostly mean people: "the
/// negotiators ... they").
fn pronoun(word: &str, ctx: ItContext) -> Option<(NameKind, Option<Gender>)> {
    Some(match &*lower(word) {
        "he" | "him" | "his" | "himself" => (NameKind::Person, Some(Gender::Male)),
        "she" | "her" | "hers" | "herself" => (NameKind::Person, Some(Gender::Female)),
        "its" | "itself" => (NameKind::Org, None),
        "it" => {
            let next = ctx.next?;
            if ctx.after_expletive_verb
                || ctx.after_preposition
                || !next.chars().all(|c| c.is_lowercase())
            {
                return None;
            }
            let verb = !NOT_AFTER_IT.contains(&next);
            // "The agency said it would report", "announced that it will raise": after a
            // verb of saying, "it" before "be" or a modal is the speaker too, unless the
            // clause is an expletive one ("said it was important to").
            let reported = ctx.reported
                && (BE_OR_MODAL.contains(&next) || !NOT_AFTER_IT.contains(&next))
                && !ctx.pleonastic;
            // "It is building", "it is not entitled": a form of "be" before a participle
            // is a verb of its own (not "it is expected").
            let progressive = ctx.participle && !ctx.pleonastic;
            if !verb && !reported && !progressive {
                return None;
            }
            (NameKind::Org, None)
        }
        _ => return None,
    })
}

/// What the words around an "it" show (see [`pronoun`]).
#[derive(Debug, Clone, Copy, Default)]
struct ItContext<'a> {
    /// The word after it, if it follows directly (a space between).
    next: Option<&'a str>,
    /// It opens the clause a verb of saying reports ([`REPORTING_VERBS`]): "said it",
    /// "said on Monday that it", "said ... and that it".
    reported: bool,
    /// A verb of the expletive pattern "make it harder" comes before it
    /// ([`BEFORE_EXPLETIVE_IT`]).
    after_expletive_verb: bool,
    /// A preposition comes right before it ([`PREPOSITIONS`]: "of it is").
    after_preposition: bool,
    /// "Is" or "was", maybe "not", and a word in -ing follow ("it is building").
    participle: bool,
    /// An expletive pattern follows: a form of "be", maybe "not", and a modal adjective
    /// or a cognitive verb ([`PLEONASTIC`]: "it is likely", "it was not expected").
    pleonastic: bool,
}

/// Verbs of saying whose reported clause an "it" may open as the speaker ("The IAEA
/// said it was ...").
pub const REPORTING_VERBS: &[&str] = &[
    "said", "says", "say", "announced", "announces", "added", "stated", "states", "warned",
    "warns", "insisted", "insists", "argued", "argues", "maintained", "maintains",
    "confirmed", "confirms", "denied", "denies", "claimed", "claims", "reported",
    "reports", "told", "tells", "acknowledged", "acknowledges", "admitted", "admits",
    "declared", "declares", "promised", "promises", "pledged", "pledges", "vowed", "vows",
    "signalled", "signaled", "indicated", "indicates", "explained", "explains",
    "countered", "replied", "responded", "noted", "notes",
];

/// Forms of "be" and modals: after a verb of saying, "it" before them is the speaker.
const BE_OR_MODAL: &[&str] = &[
    "is", "was", "would", "will", "be", "could", "might", "may", "can", "should", "must",
    "had", "has",
];

/// Modal adjectives and cognitive verbs of the expletive pattern "it is/was (not) X
/// (that/to)" (after Lappin and Leass 1994: "it is necessary", "it was expected"), and
/// the like: "it" there is no actor.
pub const PLEONASTIC: &[&str] = &[
    "necessary", "possible", "impossible", "certain", "uncertain", "likely", "unlikely",
    "important", "good", "useful", "advisable", "convenient", "sufficient", "easy",
    "desirable", "difficult", "hard", "legal", "illegal", "clear", "unclear", "vital",
    "crucial", "essential", "time", "too", "premature", "true", "false", "right", "wrong",
    "worth", "unacceptable", "acceptable", "expected", "believed", "thought", "known",
    "assumed", "recommended", "anticipated", "hoped", "feared", "understood", "reported",
    "said", "estimated",
];

/// Words after "it" that make it a thing or an expletive more often than an actor.
const NOT_AFTER_IT: &[&str] = &[
    "is", "was", "would", "will", "be", "could", "might", "may", "can", "seems", "seemed",
    "appears", "appeared", "means", "meant", "takes", "took", "makes", "made", "remains", "in",
    "with", "as", "so", "that", "to", "for", "on", "at", "from", "by", "into", "and", "or", "but",
    "up", "out", "off", "down", "back", "again", "all", "without", "about", "over", "under",
    "through", "until", "before", "after", "because", "if", "when", "while", "unless", "than",
    "since", "against", "toward", "towards", "across", "behind", "beyond", "within", "during",
];

/// Verbs of the expletive pattern "make it harder to", "found it difficult to": an "it"
/// right after them is no actor.
pub const BEFORE_EXPLETIVE_IT: &[&str] = &[
    "make", "makes", "made", "making", "find", "finds", "found", "finding", "consider",
    "considers", "considered", "keep", "keeps", "kept", "take", "takes", "took",
];

/// Group the names of an article (`names`, in any order; overlapping ones are dropped
/// after the first) into actors, adding titles standing alone and pronouns. `sentences`
/// are the article's sentences (see [`crate::text::segment`]), in order.
///
/// Time is linear in the article: names are looked up in hash indexes, and a pronoun
/// considers at most [`CANDIDATES`] mentions of each sentence it looks at.
///
/// `home` is the key (see [`Name::key`]) of the state the article's dateline names, if
/// it names one: the state "the government" and "the authorities" mean there.
pub fn group(
    text: &str,
    sentences: &[Sentence],
    names: &[Name],
    home: Option<u32>,
) -> Vec<Actor> {
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
    // The names' texts in one pass over the article (they are sorted and do not
    // overlap), without a copy of it.
    let mut g = Grouping::default();
    let mut chars = text.chars();
    let mut at = 0;
    // Names in the plural that are not their actor's own name ("Ukrainians").
    let mut plural_name: HashMap<usize, bool> = HashMap::new();
    // Persons by one word named once right after "the" ("at the Treasury").
    let mut after_the: Vec<usize> = Vec::new();
    for n in &names {
        // The last word before the name and the space after it.
        // The last two words before the name and whether a space follows the last.
        let (mut prev, mut prev2) = (String::new(), String::new());
        let mut spaced = false;
        for c in chars.by_ref().take(n.start.saturating_sub(at)) {
            if c.is_alphabetic() {
                if spaced {
                    prev2 = std::mem::take(&mut prev);
                    spaced = false;
                }
                prev.push(c);
            } else {
                spaced = true;
                if !c.is_whitespace() {
                    prev2.clear(); // "Labour, the party": not one phrase
                }
            }
        }
        let name: String = chars.by_ref().take(n.end - n.start).collect();
        at = n.end;
        g.name(n, &name);
        if n.kind == NameKind::Person && n.key.is_none() && spaced {
            if let Some(&i) = g.of_name.get(&n.start) {
                if prev.eq_ignore_ascii_case("the") {
                    after_the.push(i);
                } else if prev2.eq_ignore_ascii_case("the") && role_noun(&prev).is_some() {
                    // "The charity Mare Aperto": an organization, and "the charity".
                    g.not_persons.insert(i);
                    g.hold(prev.clone(), i);
                }
            }
        }
        // The text after the name, for the possessive cues below.
        let after: String = if n.key.is_none() || n.kind != NameKind::Person {
            chars.clone().take(40).collect()
        } else {
            String::new()
        };
        if n.key.is_none() {
            // "Nuvora's chief executive": Nuvora is a company.
            if company_cue(is_possessive(&name), &after) {
                if let Some(&i) = g.of_name.get(&n.start) {
                    g.hold_company(i);
                }
            }
        }
        if n.kind != NameKind::Person {
            // "Sudan's army", "Italy's interior ministry": it holds "the army".
            if let Some(role) = possessed_role(is_possessive(&name), &after) {
                if let Some(&i) = g.of_name.get(&n.start) {
                    g.hold(role.to_string(), i);
                }
            }
        }
        if n.kind != NameKind::Person && name.ends_with('s') && name.chars().count() > 3 {
            // Not the actor's own name ("Ukrainians" for Ukraine), or an own name that
            // names its members ("Liberal Democrats", "Republicans", "Greens").
            let own = g
                .of_name
                .get(&n.start)
                .map(|&i| g.actors[i].name == name.trim());
            let members = ["ats", "ans", "ists", "ives", "ens"]
                .iter()
                .any(|e| name.ends_with(e));
            plural_name.insert(
                n.start,
                own == Some(false) || (own == Some(true) && members),
            );
        }
    }
    for i in after_the {
        if !g.actors[i].name.contains(' ') {
            g.not_persons.insert(i);
        }
    }
    g.home = home.and_then(|k| g.by_key.get(&k).copied());
    if let Some(h) = g.home {
        for r in HOME_ROLES {
            g.hold(r.to_string(), h);
        }
    }
    // Titles standing alone and pronouns, sentence by sentence, after the names; each
    // sentence's mentions so far are the candidates of its pronouns.
    let mut next_name = 0;
    let mut last_name: Option<(usize, usize)> = None;
    let mut done: Vec<Vec<(usize, usize)>> = Vec::with_capacity(sentences.len());
    // The actor each sentence opens with, its subject (see [`subject`]).
    let mut subjects: Vec<Option<usize>> = Vec::with_capacity(sentences.len());
    let (quoted, opens_quoted) = quoted_sentences(text, sentences);
    // The actor of the last plural mention of the previous sentence, for "they".
    let mut plural_before: Option<usize> = None;
    // Where an indefinite phrase last brought in an unnamed group ([`GROUP_HEADS`]).
    let mut unnamed_group = 0;
    for s in sentences {
        let mut here: Vec<(usize, usize)> = Vec::new(); // (start, actor), in text order
        let mut plural_here: Option<usize> = None;
        // The last name's actor and the index of the first word after it.
        let mut after_name: Option<(usize, usize)> = None;
        let ws = words(s.text(text), s.start);
        let mut title_end = 0;
        // The object of a verb of asking before "to" ("asked Nuvora to show its work").
        let mut controller: Option<usize> = None;
        for (k, (a, b, w)) in ws.iter().enumerate() {
            // The names up to this word join the sentence's candidates.
            while next_name < names.len() && names[next_name].start < *b {
                let n = names[next_name];
                if let Some(&actor) = g.of_name.get(&n.start) {
                    if n.end > s.start {
                        here.push((n.start, actor));
                        if g.actors[actor].kind != NameKind::Person {
                            after_name = Some((actor, k));
                            if plural_name.get(&n.start) == Some(&true) {
                                plural_here = Some(actor);
                            }
                        }
                    }
                }
                last_name = Some((n.start, n.end));
                next_name += 1;
            }
            if last_name.is_some_and(|(ns, ne)| ns < *b && *a < ne) {
                after_name = after_name.map(|(actor, _)| (actor, k + 1));
                continue; // inside a name
            }
            if matches!(w.as_str(), "a" | "an")
                && ws[k + 1..ws.len().min(k + 2 + TITLE_MODIFIERS)]
                    .iter()
                    .any(|w| GROUP_HEADS.contains(&w.2.as_str()))
            {
                // "a volunteer network": a later "the group" may be it.
                unnamed_group = *a;
            }
            if let Some((actor, first)) = after_name {
                if k <= first + 1 && GROUP_NOUNS.contains(&&*lower(w)) {
                    plural_here = Some(actor);
                }
            }
            if is_plural_pronoun(w) {
                if let Some(actor) = plural_here.or(plural_before) {
                    g.add(actor, *a, *b, MentionKind::Pronoun);
                    here.push((*a, actor));
                }
                continue;
            }
            if k < title_end {
                continue; // inside a title phrase resolved already
            }
            if let Some((the, last)) = title_phrase(&ws, k, |w| g.is_role(w)) {
                // "the shadow chancellor" is held as such, not as "chancellor".
                let qualifier = ws[the + 1..k]
                    .iter()
                    .find(|w| QUALIFIERS.contains(&w.2.as_str()))
                    .map(|w| w.2.as_str());
                let run: Vec<String> = ws[k..=last]
                    .iter()
                    .map(|w| {
                        let r = role_word(w.2.trim_end_matches('.'));
                        let r = unabbreviated(&r);
                        qualifier.map_or_else(|| r.to_string(), |q| format!("{q} {r}"))
                    })
                    .collect();
                let run: Vec<&str> = run.iter().map(String::as_str).collect();
                let the_opens = ws[the].2.eq_ignore_ascii_case("the");
                let to = ws[last].1;
                // A possessive opener is a mention of its own ("its"): the title starts
                // after it.
                let from = if the_opens { ws[the].0 } else { ws[the + 1].0 };
                // "Giulia Ferraro, the group's head": the title is the group's.
                let appos = (!is_possessive(&ws[last].2))
                    .then(|| appositive(text, s, &names, &g, from, to))
                    .flatten();
                let actor = match appos {
                    Some(i) => {
                        // "Julian Faircloth, the shadow chancellor,": he holds it.
                        for r in &run {
                            g.hold(r.to_string(), i);
                        }
                        Some(i)
                    }
                    None if the_opens => g.role_holder(&run, from, subject(&ws, &here)).or_else(|| {
                        // "The group said", not "the paramilitary Rapid Support Forces"
                        // (a modifier of the name after it).
                        let collective = matches!(run[..], [w] if COLLECTIVE_NOUNS.contains(&w))
                            && names
                                .get(names.partition_point(|n| n.start < to))
                                .is_none_or(|n| n.start > to + 1);
                        let si = done.len();
                        let inside = |j: usize, pos: usize| {
                            in_quotes(text, &sentences[j], opens_quoted[j], pos)
                        };
                        collective
                            .then(|| {
                                g.collective(
                                    (&here, subject(&ws, &here)),
                                    (&done, &subjects),
                                    &quoted,
                                    inside(si, from),
                                    inside,
                                    unnamed_group,
                                )
                            })
                            .flatten()
                    }),
                    None => None,
                };
                if let Some(actor) = actor {
                    g.add(actor, from, to, MentionKind::Title);
                    here.push((from, actor));
                    if PLURAL_TITLES.contains(&role_word(&ws[last].2).as_ref()) {
                        // "the authorities ... their findings"
                        plural_here = Some(actor);
                    }
                }
                title_end = last + 1;
                continue;
            }
            if w == "to" {
                controller = controller.or_else(|| object_controller(&ws, k, &here));
            } else if matches!(w.as_str(), "and" | "but" | "or") {
                // "ask Oman to build trust ... and then go out of its way": the
                // infinitive ends at a coordinator.
                controller = None;
            }
            // Only "it" reads its context (which looks along the sentence): computed
            // for every word, it made the scan quadratic in a sentence's length.
            let ctx = if w.eq_ignore_ascii_case("it") {
                it_context(&ws, k, *b)
            } else {
                ItContext::default()
            };
            if let Some((kind, gender)) = pronoun(w, ctx) {
                let subjects = (subject(&ws, &here), &subjects[..]);
                let prefer = controller.filter(|&c| g.compatible(c, kind, gender));
                let found = match prefer {
                    Some(c) => {
                        g.add(c, *a, *b, MentionKind::Pronoun);
                        Some(c)
                    }
                    None => g.pronoun(*a, *b, kind, gender, &here, &done, subjects, &quoted),
                };
                if let Some(i) = found {
                    // A pronoun continues its actor: a later pronoun may refer back to
                    // it as to a name ("It hosted ... It has brokered ...").
                    here.push((*a, i));
                }
            }
        }
        subjects.push(subject(&ws, &here));
        done.push(here);
        plural_before = plural_here;
    }
    for a in &mut g.actors {
        a.mentions.sort_by_key(|m| m.start);
    }
    g.actors
}

/// The actor a sentence opens with (its first mention, with at most "the" before it),
/// taken for its grammatical subject: "The IAEA said ... it", "Venezuela's foreign
/// ministry said it". `ws` are the sentence's words, `here` its mentions so far.
fn subject(ws: &[(usize, usize, String)], here: &[(usize, usize)]) -> Option<usize> {
    let &(start, actor) = here.first()?;
    let before = ws.iter().take_while(|w| w.0 < start).count();
    // "The X", "The charity X" (a lowercase noun before the name).
    let opens = before == 0
        || (before <= 2
            && ws[0].2.eq_ignore_ascii_case("the")
            && ws[1..before].iter().all(|w| w.2.starts_with(char::is_lowercase)));
    // A name in the possessive is not the subject ("The European Union's newest package
    // ... It adds"): the capitalized words from the mention on, up to the first other.
    let possessive = ws[before..]
        .iter()
        .take_while(|w| w.2.starts_with(char::is_uppercase))
        .any(|w| is_possessive(&w.2));
    (opens && !possessive).then_some(actor)
}

/// Whether each sentence lies all inside a quotation: every letter of it between an
/// opening and a closing quotation mark (straight quotes alternate).
/// Also whether each sentence opens inside one (for [`in_quotes`]).
fn quoted_sentences(text: &str, sentences: &[Sentence]) -> (Vec<bool>, Vec<bool>) {
    let mut out = Vec::with_capacity(sentences.len());
    let mut opens = Vec::with_capacity(sentences.len());
    let mut inside = false;
    let mut chars = text.chars();
    let mut at = 0;
    for s in sentences {
        // (text between sentences is only spaces: the state carries over)
        opens.push(inside);
        let mut all = true;
        let mut letters = false;
        for c in chars.by_ref().take(s.end.saturating_sub(at)) {
            match c {
                '"' => inside = !inside,
                '“' => inside = true,
                '”' | '\n' => inside = false, // a stray quotation mark ends with its paragraph
                c if c.is_alphanumeric() => {
                    letters = true;
                    all &= inside;
                }
                _ => {}
            }
        }
        at = at.max(s.end);
        out.push(letters && all);
    }
    (out, opens)
}

/// Whether character `pos` of sentence `s` lies inside a quotation, the sentence
/// opening inside one or not (`opens`; see [`quoted_sentences`]).
fn in_quotes(text: &str, s: &Sentence, opens: bool, pos: usize) -> bool {
    let mut inside = opens;
    for c in s.text(text).chars().take(pos.saturating_sub(s.start)) {
        match c {
            '"' => inside = !inside,
            '“' => inside = true,
            '”' | '\n' => inside = false,
            _ => {}
        }
    }
    inside
}

/// Verbs whose object is the subject of the infinitive after it (object control: "asked
/// Nuvora to show its work", "gave Nuvora ninety days to fix its system").
pub const CONTROL_VERBS: &[&str] = &[
    "asked", "asks", "ask", "told", "tells", "tell", "urged", "urges", "urge", "ordered",
    "orders", "order", "forced", "forces", "force", "allowed", "allows", "allow", "given",
    "gave", "gives", "give", "pressed", "presses", "press", "required", "requires",
    "require", "invited", "invites", "invite", "persuaded", "persuade", "encouraged",
    "encourage", "instructed", "instruct", "compelled", "compel", "obliged", "oblige",
    "permitted", "permit", "warned",
];

/// The actor of the mention before the "to" at word `k` when a verb of
/// [`CONTROL_VERBS`] comes right before that mention (maybe "the" between) and at most two words lie between
/// its first word and the "to" besides its own ("asked Nuvora to", "given Nuvora ninety
/// days to"): a pronoun after it in the sentence goes to that actor when it can.
fn object_controller(
    ws: &[(usize, usize, String)],
    k: usize,
    here: &[(usize, usize)],
) -> Option<usize> {
    let &(start, actor) = here.last()?;
    let m = ws.iter().position(|w| w.0 >= start)?;
    // The verb, maybe "the" between ("asked the Tarvel Agency to").
    let v = match m.checked_sub(1) {
        Some(j) if ws[j].2.eq_ignore_ascii_case("the") => j.checked_sub(1),
        j => j,
    };
    let verb = v.is_some_and(|v| CONTROL_VERBS.contains(&&*lower(&ws[v].2)));
    (verb && m < k && k - m <= 4).then_some(actor)
}

/// The words around the `k`-th word of `ws` (ending at `end`), for an "it".
fn it_context(ws: &[(usize, usize, String)], k: usize, end: usize) -> ItContext<'_> {
    let next = ws.get(k + 1).filter(|n| n.0 <= end + 1).map(|n| n.2.as_str());
    let is_verb = |j: usize| REPORTING_VERBS.contains(&&*lower(&ws[j].2));
    // "said it", or "said (at most three words) that it".
    // "said A and that it B": a second clause of the same verb of saying.
    let coordinated = k > 1 && matches!(ws[k - 2].2.as_str(), "and" | "but") && (0..k - 2).any(is_verb);
    let reported = k > 0
        && (is_verb(k - 1)
            || (ws[k - 1].2 == "that"
                && ((k.saturating_sub(5)..k - 1).any(is_verb) || coordinated)));
    let be = next.is_some_and(|n| matches!(n, "is" | "was" | "be" | "would" | "will"));
    // The word after "be", past "not" and the like.
    let after_be = ws
        .iter()
        .skip(k + 2)
        .map(|w| lower(&w.2))
        .find(|w| !matches!(&**w, "not" | "also" | "still" | "now" | "n't"));
    let pleonastic = be && after_be.as_ref().is_some_and(|w| PLEONASTIC.contains(&&**w));
    let participle = matches!(next, Some("is" | "was"))
        && after_be.as_ref().is_some_and(|w| w.len() > 4 && w.ends_with("ing") && !w.ends_with("thing"));
    let after_preposition = k > 0 && PREPOSITIONS.contains(&&*lower(&ws[k - 1].2));
    let after_expletive_verb = k > 0 && BEFORE_EXPLETIVE_IT.contains(&&*lower(&ws[k - 1].2));
    ItContext {
        next,
        reported,
        after_expletive_verb,
        after_preposition,
        participle,
        pleonastic,
    }
}

/// Most lowercase words between "the" and the title it opens ("the federal
/// government", "the new prime minister").
pub const TITLE_MODIFIERS: usize = 2;

/// Modifiers that make another office of a title ("the shadow chancellor" is not "the
/// chancellor"): a title phrase with one is held and looked up with it.
pub const QUALIFIERS: &[&str] = &[
    "shadow", "deputy", "acting", "interim", "assistant", "junior", "ex",
];

/// Possessive determiners that open a title phrase only in apposition to a person's
/// name ("its chief executive, Douglas Marchetti,"), as a word in the possessive does
/// ("Nuvora's chief executive, Adrian Kell"): "her chancellor" alone may be anyone.
const APPOSITIVE_OPENERS: &[&str] = &["its", "his", "her", "their"];

/// The person whose name stands in apposition to the title phrase from character
/// `from` to `to` of sentence `s`: named right before it and a comma ("Julian
/// Faircloth, the shadow chancellor"), else right after a comma ("the business
/// secretary, Owen Pritchard").
fn appositive(
    text: &str,
    s: &Sentence,
    names: &[Name],
    g: &Grouping,
    from: usize,
    to: usize,
) -> Option<usize> {
    let comma = |a: usize, b: usize| {
        b > a
            && b - a <= 3
            && a >= s.start
            && s.text(text)
                .chars()
                .skip(a - s.start)
                .take(b - a)
                .enumerate()
                .all(|(i, c)| if i == 0 { c == ',' } else { c.is_whitespace() })
    };
    let person = |n: &Name| {
        g.of_name
            .get(&n.start)
            .copied()
            .filter(|&i| g.actors[i].kind == NameKind::Person)
    };
    let before = names.partition_point(|n| n.end <= from);
    let after = names.partition_point(|n| n.start < to);
    let by_before = before
        .checked_sub(1)
        .map(|k| &names[k])
        .filter(|n| comma(n.end, from))
        .and_then(person);
    by_before.or_else(|| {
        names
            .get(after)
            .filter(|n| comma(to, n.start))
            .and_then(person)
    })
}

/// A title phrase starting at word `k`: "the" (or one of [`APPOSITIVE_OPENERS`], or a
/// word in the possessive), at
/// most [`TITLE_MODIFIERS`] lowercase words, then `k` and the title words right after
/// it. Returns the index of the opener and of the phrase's last word.
fn title_phrase(
    ws: &[(usize, usize, String)],
    k: usize,
    is_role: impl Fn(&str) -> bool,
) -> Option<(usize, usize)> {
    if !is_role(&ws[k].2) {
        return None;
    }
    let mut the = None;
    for j in (k.saturating_sub(TITLE_MODIFIERS + 1)..k).rev() {
        let w = &ws[j].2;
        if w.eq_ignore_ascii_case("the")
            || APPOSITIVE_OPENERS.contains(&&*lower(w))
            || is_possessive(w)
        {
            the = Some(j);
            break;
        }
        // Lowercase words, or a hyphenated word that opens in lowercase ("pro-European").
        let modifier = w.starts_with(char::is_lowercase)
            && w.chars()
                .all(|c| c.is_lowercase() || c == '-' || (w.contains('-') && c.is_alphabetic()))
            && !is_role(w)
            && !FUNCTION_WORDS.contains(&w.as_str());
        if !modifier {
            return None;
        }
    }
    let the = the?;
    let mut last = k;
    // The phrase ends at a possessive ("the company's board" is the company).
    while last + 1 < ws.len() && !is_possessive(&ws[last].2) && is_role(&ws[last + 1].2) {
        last += 1;
    }
    Some((the, last))
}

/// Words that join phrases rather than modify a title ("the activities of charity
/// ships" is no title phrase).
const FUNCTION_WORDS: &[&str] = &[
    "of", "and", "or", "to", "in", "for", "on", "with", "at", "by", "from", "as", "than",
];

/// Prepositions: an "it" right after one is no subject ("every euro of it").
pub(crate) const PREPOSITIONS: &[&str] = &[
    "of", "to", "in", "for", "on", "with", "at", "by", "from", "about", "into", "against",
    "without", "over", "under", "toward", "towards", "through", "like",
];

/// The earlier sentences' mentions (start, actor) and their subjects.
type Earlier<'a> = (&'a [Vec<(usize, usize)>], &'a [Option<usize>]);

/// How many mentions of one sentence a pronoun considers.
pub const CANDIDATES: usize = 32;

#[derive(Default)]
struct Grouping {
    actors: Vec<Actor>,
    /// The actor of each name, by the name's start.
    of_name: HashMap<usize, usize>,
    /// Actors by kind and exact name.
    by_name: HashMap<(NameKind, String), usize>,
    /// Persons by each word of their name proper (the last actor to use the word).
    by_part: HashMap<String, usize>,
    /// Persons named so far by one word only.
    single: HashMap<String, usize>,
    /// Organizations (and other non-persons) by the initials of a multi-word name, and
    /// by an all-capitals name.
    by_initials: HashMap<(NameKind, String), usize>,
    acronyms: HashMap<(NameKind, String), usize>,
    /// Actors by the key of their keyed names.
    by_key: HashMap<u32, usize>,
    /// Organizations by the last word of a multi-word name (the last to use it).
    org_heads: HashMap<String, usize>,
    /// The starts of each actor's names, in text order.
    name_starts: Vec<Vec<usize>>,
    /// The actors holding each title word (persons) or role noun (organizations).
    holders: HashMap<String, Vec<usize>>,
    /// Role nouns held by default only ([`PLAIN_ORG_ROLES`]): a title goes to one of
    /// them only when no actor of `holders` holds it.
    weak_holders: HashMap<String, Vec<usize>>,
    /// Actors shown to be companies: organizations for pronouns, whatever their kind.
    companies: std::collections::HashSet<usize>,
    /// Persons named by one word only, once after "the" ("at the Treasury"): not
    /// persons for pronouns.
    not_persons: std::collections::HashSet<usize>,
    /// The state the dateline names, if it is an actor of the article.
    home: Option<usize>,
}

/// The full form of an abbreviated title word.
fn unabbreviated(a: &str) -> &str {
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

impl Grouping {
    fn add(&mut self, actor: usize, start: usize, end: usize, kind: MentionKind) {
        if matches!(
            kind,
            MentionKind::Name | MentionKind::Short | MentionKind::Alias
        ) {
            self.name_starts[actor].push(start);
        }
        self.actors[actor]
            .mentions
            .push(Mention { start, end, kind });
    }

    fn new_actor(&mut self, name: String, kind: NameKind) -> usize {
        self.actors.push(Actor {
            name,
            kind,
            key: None,
            gender: None,
            titles: Vec::new(),
            mentions: Vec::new(),
        });
        self.name_starts.push(Vec::new());
        self.actors.len() - 1
    }

    fn hold_roles(&mut self, bits: u64, actor: usize) {
        for (k, r) in ROLE_NOUNS.iter().enumerate() {
            if bits & (1 << k) != 0 {
                self.hold(r.to_string(), actor);
            }
        }
    }

    fn hold(&mut self, word: String, actor: usize) {
        let v = self.holders.entry(word).or_default();
        if !v.contains(&actor) {
            v.push(actor);
        }
    }

    /// The actor is shown to be a company (see [`COMPANY_HEADS`], [`COMPANY_CUES`]).
    fn hold_company(&mut self, actor: usize) {
        self.companies.insert(actor);
        for r in PLAIN_ORG_ROLES {
            self.hold(r.to_string(), actor);
        }
    }

    fn name(&mut self, n: &Name, text: &str) {
        if let Some(key) = n.key {
            return self.keyed(n, key, text);
        }
        if n.kind == NameKind::Person {
            return self.person(n, text);
        }
        let key = text.trim().to_string();
        let is_acronym = key.chars().count() >= 2 && key.chars().all(|c| c.is_uppercase());
        let found = self
            .by_name
            .get(&(n.kind, key.clone()))
            .map(|&i| (i, MentionKind::Name))
            .or_else(|| {
                // An acronym of an organization named before, or a name whose acronym was.
                let hit = if is_acronym {
                    self.by_initials.get(&(n.kind, key.clone()))
                } else {
                    self.acronyms.get(&(n.kind, initials(&key)))
                };
                hit.map(|&i| (i, MentionKind::Alias))
            })
            .or_else(|| {
                // The head word of an organization named before ("Senate" after "U.S.
                // Senate", "Commission" after "European Commission").
                let head = (n.kind == NameKind::Org && !key.contains(' '))
                    .then(|| self.org_heads.get(&key))
                    .flatten();
                head.map(|&i| (i, MentionKind::Short))
            });
        let (i, kind) = match found {
            Some(f) => f,
            None => {
                let i = self.new_actor(key.clone(), n.kind);
                self.by_name.insert((n.kind, key.clone()), i);
                (i, MentionKind::Name)
            }
        };
        if is_acronym {
            self.acronyms.insert((n.kind, key.clone()), i);
        } else if key.contains(' ') {
            self.by_initials.insert((n.kind, initials(&key)), i);
            if n.kind == NameKind::Org {
                let last = key.rsplit(' ').next().unwrap_or_default();
                if last.starts_with(char::is_uppercase) {
                    self.org_heads.insert(last.to_string(), i);
                }
            }
        }
        if company_head(&key) {
            self.hold_company(i);
        }
        if n.kind == NameKind::Org {
            let bits = role_bits(key.split(' ')) | agency_bit(key.split(' '));
            self.hold_roles(bits, i);
            if bits == 0 {
                for r in PLAIN_ORG_ROLES {
                    let v = self.weak_holders.entry(r.to_string()).or_default();
                    if !v.contains(&i) {
                        v.push(i);
                    }
                }
            }
        }
        self.of_name.insert(n.start, i);
        self.add(i, n.start, n.end, kind);
    }

    fn person(&mut self, n: &Name, text: &str) {
        let p = person_name(text);
        if p.proper.is_empty() {
            // A bare title ("Prime Minister"): resolved like a title standing alone.
            let run: Vec<&str> = p.titles.iter().map(String::as_str).collect();
            if let Some(i) = self.role_holder(&run, n.start, None) {
                self.of_name.insert(n.start, i);
                self.add(i, n.start, n.end, MentionKind::Title);
            }
            return;
        }
        let proper = p.proper.join(" ");
        let surname = p.proper.last().expect("a word").clone();
        let first = p.proper.first().expect("a word").clone();
        let full = p.proper.len() >= 2;
        let key = (NameKind::Person, proper.clone());
        let found = if full {
            // The same name, or an actor named so far by a part of this one.
            self.by_name.get(&key).copied().or_else(|| {
                let a = self.single.get(&surname).copied();
                let b = self.single.get(&first).copied();
                a.into_iter().chain(b).max_by_key(|&i| self.last_seen(i))
            })
        } else {
            self.by_part.get(&surname).copied()
        };
        let i = match found {
            Some(i) => {
                if full && !self.actors[i].name.contains(' ') {
                    self.single.remove(&self.actors[i].name.clone());
                    self.actors[i].name = proper.clone();
                    self.by_name.insert(key, i);
                }
                i
            }
            None => {
                let i = self.new_actor(proper.clone(), NameKind::Person);
                self.by_name.insert(key, i);
                if !full {
                    self.single.insert(proper.clone(), i);
                }
                i
            }
        };
        for w in &p.proper {
            self.by_part.insert(w.clone(), i);
        }
        let kind = if full || self.actors[i].name == proper {
            MentionKind::Name
        } else {
            MentionKind::Short
        };
        let a = &mut self.actors[i];
        a.gender = a.gender.or(p.gender);
        let mut new_titles = Vec::new();
        for t in p.titles {
            if !a.titles.contains(&t) {
                a.titles.push(t.clone());
                new_titles.push(t);
            }
        }
        for t in new_titles {
            self.hold(unabbreviated(&t).to_string(), i);
        }
        if full && company_head(&proper) {
            self.hold_company(i); // "Kessler Appliance" tagged as a person
        }
        self.of_name.insert(n.start, i);
        self.add(i, n.start, n.end, kind);
    }

    /// A name whose identity is known (a lexicon actor's alias): one actor per key.
    fn keyed(&mut self, n: &Name, key: u32, text: &str) {
        let i = match self.by_key.get(&key) {
            Some(&i) => i,
            None => {
                let i = self.new_actor(text.trim().to_string(), n.kind);
                self.actors[i].key = Some(key);
                self.by_key.insert(key, i);
                self.hold_roles(n.roles, i);
                i
            }
        };
        self.of_name.insert(n.start, i);
        self.add(i, n.start, n.end, MentionKind::Name);
    }

    /// Where an actor was last mentioned.
    fn last_seen(&self, i: usize) -> usize {
        self.actors[i].mentions.last().map_or(0, |m| m.start)
    }

    /// Whether a lowercase word is a title or a role noun some actor may hold.
    fn is_role(&self, word: &str) -> bool {
        if word.chars().next().is_none_or(char::is_uppercase) {
            // Capitalized titles belong to names the tagger saw (or did not).
            return false;
        }
        let w = role_word(word);
        title_of(&w).is_some()
            || role_index().get(w.as_bytes()).is_some()
            || self.holders.contains_key(&*w)
            || self.weak_holders.contains_key(&*w)
    }

    /// The one actor holding every word of a title phrase ("prime minister": a person
    /// titled both prime and minister), the one named last before `at` when several
    /// do; holders by default ([`Grouping::weak_holders`]) only when no other holds it.
    /// A state's role ([`STATE_ROLES`]: "the government") before any holder is named
    /// goes to the only one the article names, if one does ("fund the federal
    /// government ... the United States").
    ///
    /// In an article whose dateline names a state ([`Grouping::home`]), a state's role
    /// is that state's ("CAPITAL, Country - ... the government says"), the host
    /// government being what news means by it unqualified, unless another state
    /// holding it is the subject of its sentence (`subject`, see [`subject`]: "Vesta
    /// said the government would ...").
    fn role_holder(&self, run: &[&str], at: usize, subject: Option<usize>) -> Option<usize> {
        self.holder_in(run, at, subject, false)
            .or_else(|| self.holder_in(run, at, subject, true))
    }

    fn holder_in(
        &self,
        run: &[&str],
        at: usize,
        subject: Option<usize>,
        weak: bool,
    ) -> Option<usize> {
        let mut found: Option<Vec<usize>> = None;
        for w in run {
            let w = role_word(w.trim_end_matches('.'));
            let w = unabbreviated(&w);
            let strong = self.holders.get(w);
            let extra = weak.then(|| self.weak_holders.get(w)).flatten();
            if strong.is_none() && extra.is_none() {
                return None;
            }
            let holders: Vec<usize> = strong.into_iter().chain(extra).flatten().copied().collect();
            found = Some(match found {
                None => holders,
                Some(f) => f.into_iter().filter(|i| holders.contains(i)).collect(),
            });
        }
        let found = found?;
        // Each holder's last name before the title and how many it has there.
        let before: Vec<(usize, usize, usize)> = found
            .iter()
            .filter_map(|&i| {
                let starts = &self.name_starts[i];
                let k = starts.partition_point(|&s| s < at);
                (k > 0).then(|| (starts[k - 1], k, i))
            })
            .collect();
        let state_role = matches!(run, [w] if STATE_ROLES.contains(&&*role_word(w)));
        let home_role = matches!(run, [w] if HOME_ROLES.contains(&&*role_word(w)));
        if let Some(h) = self
            .home
            .filter(|h| (state_role || home_role) && found.contains(h))
        {
            if !subject.is_some_and(|i| i != h && found.contains(&i)) {
                return Some(h);
            }
        }
        if state_role && before.is_empty() {
            return match found[..] {
                [only] => Some(only),
                _ => None,
            };
        }
        // Several holders: the one named last before the title ("Sen. Voss ... Sen.
        // Dunleavy said ... the senator" is Dunleavy).
        before.iter().max().map(|&(_, _, i)| i)
    }

    /// Resolve a pronoun (see the module documentation): `here` holds this sentence's
    /// mentions before it, `before` the earlier sentences'; `subjects` this sentence's
    /// subject so far and the earlier sentences' (see [`subject`]). The actor chosen.
    #[allow(clippy::too_many_arguments)]
    fn pronoun(
        &mut self,
        start: usize,
        end: usize,
        kind: NameKind,
        gender: Option<Gender>,
        here: &[(usize, usize)],
        before: &[Vec<(usize, usize)>],
        subjects: (Option<usize>, &[Option<usize>]),
        quoted: &[bool],
    ) -> Option<usize> {
        let si = before.len();
        let reach = if kind == NameKind::Org {
            1
        } else {
            PRONOUN_REACH
        };
        // Sentences all inside a quotation are the speaker's words: a pronoun outside
        // them looks past them, without counting them in its reach.
        let outside = !quoted[si];
        let lists = std::iter::once((here, subjects.0)).chain(
            (0..si)
                .rev()
                .filter(move |&j| !(outside && quoted[j]))
                .take(reach)
                .map(|j| (&before[j][..], subjects.1[j])),
        );
        for (list, subject) in lists {
            let mut seen: Vec<usize> = Vec::new();
            for &(_, i) in list.iter().take(CANDIDATES) {
                if self.compatible(i, kind, gender) && !seen.contains(&i) {
                    seen.push(i);
                }
            }
            let pick = match kind {
                // An organization when exactly one is named there, else the one the
                // sentence opens with, its subject.
                NameKind::Org if seen.len() != 1 => {
                    subject.filter(|&i| self.compatible(i, kind, gender))
                }
                _ => seen.first().copied(),
            };
            if let Some(i) = pick {
                let a = &mut self.actors[i];
                a.gender = a.gender.or(gender);
                self.add(i, start, end, MentionKind::Pronoun);
                return Some(i);
            }
        }
        None
    }

    /// The actor of a collective noun standing alone that no actor holds ("the group",
    /// "the militia"; [`COLLECTIVE_NOUNS`]): among the organizations that are not
    /// states, the one named in the sentence before it (`here`, with its subject) when
    /// exactly one is, else that sentence's subject if it is one; then the same in each
    /// of the [`PRONOUN_REACH`] sentences before (`before`, `subjects`), passing over
    /// sentences all in quotes as a pronoun does. A name inside quotation marks is
    /// another speaker's word and counts only for a title inside quotes too (`quoted`
    /// says whether the title is; `inside(j, pos)` whether position `pos` of sentence
    /// `j` is). Nothing before `floor` counts: an indefinite phrase there brought in an
    /// unnamed group the title may mean ("a volunteer network ... the group's
    /// kitchens"; [`GROUP_HEADS`]).
    fn collective(
        &self,
        here: (&[(usize, usize)], Option<usize>),
        before: Earlier<'_>,
        all_quoted: &[bool],
        quoted: bool,
        inside: impl Fn(usize, usize) -> bool,
        floor: usize,
    ) -> Option<usize> {
        let si = before.0.len();
        let org = |i: usize| {
            self.compatible(i, NameKind::Org, None)
                && !self.holders.get("country").is_some_and(|v| v.contains(&i))
        };
        let lists = std::iter::once((si, here.0, here.1)).chain(
            (0..si)
                .rev()
                .filter(|&j| quoted || !all_quoted[j])
                .take(PRONOUN_REACH)
                .map(|j| (j, &before.0[j][..], before.1[j])),
        );
        for (j, list, subject) in lists {
            let mut seen: Vec<usize> = Vec::new();
            for &(at, i) in list.iter().take(CANDIDATES) {
                if at >= floor && org(i) && !seen.contains(&i) && (quoted || !inside(j, at)) {
                    seen.push(i);
                }
            }
            let opens_after = list.first().is_some_and(|&(at, _)| at >= floor);
            let pick = match seen[..] {
                [only] => Some(only),
                _ => subject.filter(|&i| opens_after && org(i)),
            };
            if pick.is_some() {
                return pick;
            }
        }
        None
    }

    /// Whether actor `i` may be referred to by a pronoun of `kind` and `gender`.
    fn compatible(&self, i: usize, kind: NameKind, gender: Option<Gender>) -> bool {
        let a = &self.actors[i];
        // An actor shown to be a company is "it", not "he", whatever the tagger took it
        // for ("Kessler Appliance" as a person); so is a one-word person name after
        // "the" ("at the Treasury").
        let a_kind = if self.companies.contains(&i) || self.not_persons.contains(&i) {
            NameKind::Org
        } else {
            a.kind
        };
        a_kind == kind
            && match (gender, a.gender) {
                (Some(g), Some(h)) => g == h,
                _ => true,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment;

    /// [`super::group`] for an article without a dateline.
    fn group(text: &str, sentences: &[Sentence], names: &[Name]) -> Vec<Actor> {
        super::group(text, sentences, names, None)
    }

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
                    key: None,
                    roles: 0,
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
                ("The senator".into(), "title"),
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
    fn a_census_first_name_shows_gender_when_the_last_word_is_a_census_surname() {
        use NameKind::*;
        // Without it "She" would go to the sentence's first-named person.
        let text = "Mark Ellison met Theresa Vance. She said the talks went well.";
        let sentences = segment::sentences(text);
        let ns = names(text, &[("Mark Ellison", Person), ("Theresa Vance", Person)]);
        let actors = group(text, &sentences, &ns);
        assert_eq!(actors[0].gender, Some(Gender::Male));
        assert_eq!(actors[1].gender, Some(Gender::Female));
        assert_eq!(
            mentions_of(text, &actors[1]),
            [("Theresa Vance".into(), "name"), ("She".into(), "pronoun")]
        );
        // A family name first ("Kim" is also a Census first name): no gender.
        let text = "Kim Jong Un spoke.";
        let ns = names(text, &[("Kim Jong Un", Person)]);
        let actors = group(text, &segment::sentences(text), &ns);
        assert_eq!(actors[0].gender, None);
    }

    #[test]
    fn acronyms_organization_pronouns_and_ambiguous_titles() {
        use NameKind::*;
        let text = "The Securities and Exchange Commission sued Tesla. The SEC said its \
                    case was strong. Senator Ann Lee and Senator Bob Ray spoke. The \
                    senator left. The senate majority leader stayed.";
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
        // Two senators: "the senator" is the one named last; no one holds "majority
        // leader".
        let titles: Vec<(String, &str)> = actors
            .iter()
            .flat_map(|a| {
                a.mentions
                    .iter()
                    .filter(|m| m.kind == MentionKind::Title)
                    .map(|m| (text[m.start..m.end].to_string(), a.name.as_str()))
            })
            .collect();
        assert_eq!(titles, [("The senator".to_string(), "Bob Ray")]);
    }

    #[test]
    fn they_goes_to_the_actor_of_a_plural_mention_nearby() {
        use NameKind::*;
        let text = "Chinese trade officials said they would wait. Tokyo disagreed. \
                    Analysts said they expected more.";
        let sentences = segment::sentences(text);
        let actors = group(
            text,
            &sentences,
            &names(text, &[("Chinese", Org), ("Tokyo", Org)]),
        );
        // A name followed by a group noun ("Chinese trade officials"); the "they" two
        // sentences on has no plural mention nearby and is left alone.
        assert_eq!(
            mentions_of(text, &actors[0]),
            [
                ("Chinese".to_string(), "name"),
                ("they".to_string(), "pronoun")
            ]
        );
        assert_eq!(mentions_of(text, &actors[1]).len(), 1);
        // A plural name that names its members, into the next sentence.
        let text = "The Liberal Democrats picked a headteacher. Their leader said they can win.";
        let sentences = segment::sentences(text);
        let actors = group(
            text,
            &sentences,
            &names(text, &[("Liberal Democrats", Org)]),
        );
        assert_eq!(
            mentions_of(text, &actors[0])
                .iter()
                .filter(|m| m.1 == "pronoun")
                .count(),
            2
        );
        // No plural mention: people, not the organization.
        let text = "Nuvora issued a statement. The negotiators said they would meet.";
        let sentences = segment::sentences(text);
        let actors = group(text, &sentences, &names(text, &[("Nuvora", Org)]));
        assert_eq!(mentions_of(text, &actors[0]).len(), 1);
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

    /// The mentions of one kind of all actors in text order, as (mention text, actor
    /// name).
    fn mentions_of_kind(text: &str, actors: &[Actor], kind: MentionKind) -> Vec<(String, String)> {
        let chars: Vec<char> = text.chars().collect();
        let mut out: Vec<(usize, String, String)> = actors
            .iter()
            .flat_map(|a| {
                a.mentions
                    .iter()
                    .filter(|m| m.kind == kind)
                    .map(|m| (m.start, chars[m.start..m.end].iter().collect(), a.name.clone()))
            })
            .collect();
        out.sort();
        out.into_iter().map(|(_, t, a)| (t, a)).collect()
    }

    /// The title mentions of each actor, as (title text, actor name).
    fn titles_of(text: &str, actors: &[Actor]) -> Vec<(String, String)> {
        mentions_of_kind(text, actors, MentionKind::Title)
    }

    #[test]
    fn the_company_is_the_actor_shown_to_be_one() {
        use NameKind::*;
        // The tagger took the company for a person and another for a place; a law is an
        // organization without a role noun in its name. The company's head noun
        // ("Appliance") and "Nuvora's chief executive" say which is the company; the
        // possessive "the company's" is a title like "the company".
        let text = "Kessler Appliance will close its plant. Kessler said the Fair Work Act \
                    was to blame. The company's workers were angry.";
        let sentences = segment::sentences(text);
        let ns = names(
            text,
            &[
                ("Kessler Appliance", Person),
                ("Kessler", Person),
                ("Fair Work Act", Org),
            ],
        );
        let actors = group(text, &sentences, &ns);
        assert_eq!(
            titles_of(text, &actors),
            [("The company's".into(), "Kessler Appliance".into())]
        );
        let text = "The Digital Services Act fined Nuvora. The company appealed. \
                    Nuvora's chief executive, Adrian Kell, was angry.";
        let sentences = segment::sentences(text);
        let ns = names(
            text,
            &[
                ("Digital Services Act", Org),
                ("Nuvora", Place),
                ("Nuvora", Place),
                ("Adrian Kell", Person),
            ],
        );
        let actors = group(text, &sentences, &ns);
        assert_eq!(
            titles_of(text, &actors),
            [
                ("The company".into(), "Nuvora".into()),
                ("chief executive".into(), "Adrian Kell".into()),
            ]
        );
        // Without a company shown, an organization whose name holds no role noun may
        // still be "the company".
        let text = "Nuvora was fined. The company appealed.";
        let sentences = segment::sentences(text);
        let actors = group(text, &sentences, &names(text, &[("Nuvora", Org)]));
        assert_eq!(titles_of(text, &actors).len(), 1);
        assert!(company_head("Acme Holdings Inc."));
        assert!(!company_head("Inc."));
    }

    #[test]
    fn a_title_in_apposition_belongs_to_the_name_beside_it() {
        use NameKind::*;
        let text = "Prime Minister Rachel Denholm promoted the business secretary, Owen \
                    Pritchard. Julian Faircloth, the shadow chancellor, said he was wrong. \
                    The new chancellor said nothing. The shadow chancellor left. Giulia \
                    Ferraro, the group's head, stayed. The secretary agreed.";
        let sentences = segment::sentences(text);
        let ns = names(
            text,
            &[
                ("Prime Minister Rachel Denholm", Person),
                ("Owen Pritchard", Person),
                ("Julian Faircloth", Person),
                ("Giulia Ferraro", Person),
            ],
        );
        let actors = group(text, &sentences, &ns);
        // "the new chancellor" is no one here: Faircloth holds "shadow chancellor"
        // only; "the group's head" is the group's.
        assert_eq!(
            titles_of(text, &actors),
            [
                ("the business secretary".into(), "Owen Pritchard".into()),
                ("the shadow chancellor".into(), "Julian Faircloth".into()),
                ("The shadow chancellor".into(), "Julian Faircloth".into()),
                ("The secretary".into(), "Owen Pritchard".into()),
            ]
        );
    }

    #[test]
    fn agencies_by_their_head_noun_and_a_lone_state_named_later() {
        use NameKind::*;
        let text = "The Congressional Budget Office released its figures. The agency said \
                    the deficit would grow. Lawmakers must fund the federal government. \
                    The United States is late.";
        let sentences = segment::sentences(text);
        let mut ns = names(
            text,
            &[
                ("Congressional Budget Office", Org),
                ("United States", Org),
            ],
        );
        // The United States as the lexicon gives it: a state holding "government".
        ns[1].key = Some(7);
        ns[1].roles = role_bits(STATE_ROLES.iter().copied());
        let actors = group(text, &sentences, &ns);
        assert_eq!(
            titles_of(text, &actors),
            [
                ("The agency".into(), "Congressional Budget Office".into()),
                ("the federal government".into(), "United States".into()),
            ]
        );
        // Two states named after it: no one.
        let text = "They fund the government. France and Spain agree.";
        let sentences = segment::sentences(text);
        let mut ns = names(text, &[("France", Org), ("Spain", Org)]);
        for (k, n) in ns.iter_mut().enumerate() {
            n.key = Some(k as u32);
            n.roles = role_bits(STATE_ROLES.iter().copied());
        }
        assert!(titles_of(text, &group(text, &sentences, &ns)).is_empty());
    }

    #[test]
    fn a_company_the_tagger_took_for_a_person_is_it_not_he() {
        use NameKind::*;
        let text = "Kessler Appliance said it closed its plant. Douglas Marchetti \
                    said he approved.";
        let sentences = segment::sentences(text);
        let ns = names(
            text,
            &[("Kessler Appliance", Person), ("Douglas Marchetti", Person)],
        );
        let actors = group(text, &sentences, &ns);
        assert_eq!(
            mentions_of(text, &actors[0]),
            [
                ("Kessler Appliance".into(), "name"),
                ("it".into(), "pronoun"),
                ("its".into(), "pronoun"),
            ]
        );
        assert_eq!(
            mentions_of(text, &actors[1]),
            [
                ("Douglas Marchetti".into(), "name"),
                ("he".into(), "pronoun"),
            ]
        );
    }

    /// The pronoun mentions of all actors in text order, as (pronoun, actor name).
    fn pronouns_in(text: &str, spans: &[(&str, NameKind)]) -> Vec<(String, String)> {
        let sentences = segment::sentences(text);
        let actors = group(text, &sentences, &names(text, spans));
        mentions_of_kind(text, &actors, MentionKind::Pronoun)
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn a_resolved_pronoun_carries_its_actor_to_the_next_sentence() {
        use NameKind::*;
        let text = "Borland Holdings opened a plant in Ohio. It hired 200 workers. It has \
                    since doubled its staff.";
        assert_eq!(
            pronouns_in(text, &[("Borland Holdings", Org)]),
            pairs(&[
                ("It", "Borland Holdings"),
                ("It", "Borland Holdings"),
                ("its", "Borland Holdings"),
            ])
        );
        let text = "Mr. Tate spoke. Rain fell. His rivals laughed. He says they lied.";
        assert_eq!(
            pronouns_in(text, &[("Mr. Tate", Person)]),
            pairs(&[("His", "Tate"), ("He", "Tate")])
        );
    }

    #[test]
    fn an_organization_pronoun_prefers_the_subject_among_several() {
        use NameKind::*;
        let spans = [("Tarvel Agency", Org), ("Morrow Fund", Org)];
        let text = "The Tarvel Agency said the Morrow Fund had approved its budget.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[("its", "Tarvel Agency")]));
        // The previous sentence's subject for a sentence that names none.
        let text = "The Tarvel Agency met the Morrow Fund. It left early.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[("It", "Tarvel Agency")]));
        // No subject: a name in the possessive, or a name deeper in the sentence.
        let text = "The Tarvel Agency's package names the Morrow Fund. It adds tankers.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[]));
        let text = "In May, the Tarvel Agency met the Morrow Fund. It left early.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[]));
    }

    #[test]
    fn it_after_a_verb_of_saying_is_the_speaker_unless_expletive() {
        use NameKind::*;
        let spans = [("Tarvel Agency", Org)];
        let text = "The Tarvel Agency said it would appeal.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[("it", "Tarvel Agency")]));
        let text = "The Tarvel Agency announced on Monday that it will appeal.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[("it", "Tarvel Agency")]));
        let text = "The Tarvel Agency said its staff would stay and that it would appeal.";
        assert_eq!(
            pronouns_in(text, &spans),
            pairs(&[("its", "Tarvel Agency"), ("it", "Tarvel Agency")])
        );
        let text = "The Tarvel Agency said it was likely to rain.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[]));
        // Not a subject: after "make" or a preposition; "is" before a word in -ing is.
        let text = "The Tarvel Agency made it harder to build. Every euro of it is spent.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[]));
        let text = "The Tarvel Agency grew. It is building a plant.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[("It", "Tarvel Agency")]));
        let text = "The Tarvel Agency grew. It is nothing new.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[]));
    }

    #[test]
    fn the_object_of_a_verb_of_asking_is_the_subject_of_the_infinitive() {
        use NameKind::*;
        let spans = [("Morrow Fund", Org), ("Tarvel Agency", Org)];
        let text = "The Morrow Fund asked the Tarvel Agency to publish its accounts.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[("its", "Tarvel Agency")]));
        let text = "The Morrow Fund gave Tarvel Agency ninety days to fix its system.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[("its", "Tarvel Agency")]));
        // The infinitive ends at a coordinator.
        let text = "The Morrow Fund asked Tarvel Agency to wait and then lost its case.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[("its", "Morrow Fund")]));
        let spans = [("Mr. Reyes", Person), ("Mr. Hale", Person)];
        let text = "Mr. Reyes told Mr. Hale to explain his vote.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[("his", "Hale")]));
    }

    #[test]
    fn a_one_word_name_after_the_or_a_role_noun_is_no_person() {
        use NameKind::*;
        // "the Treasury" taken for a person's name is not "he".
        let spans = [("Treasury", Person), ("Mr. Hale", Person)];
        let text = "Officials at the Treasury met Mr. Hale. He declined to comment.";
        assert_eq!(pronouns_in(text, &spans), pairs(&[("He", "Hale")]));
        // "The charity Lumen Sea": an organization, "its", and "the charity".
        let text = "The charity Lumen Sea said its crew was ready. The charity sailed.";
        let sentences = segment::sentences(text);
        let actors = group(text, &sentences, &names(text, &[("Lumen Sea", Person)]));
        assert_eq!(
            mentions_of(text, &actors[0]),
            [
                ("Lumen Sea".into(), "name"),
                ("its".into(), "pronoun"),
                ("The charity".into(), "title"),
            ]
        );
    }

    #[test]
    fn a_name_in_the_possessive_holds_the_role_noun_after_it() {
        use NameKind::*;
        let text = "Norland's interior ministry denied it. Vesta's army advanced. The \
                    ministry said nothing.";
        let sentences = segment::sentences(text);
        let ns = names(text, &[("Norland", Place), ("Vesta", Place)]);
        let actors = group(text, &sentences, &ns);
        assert_eq!(
            titles_of(text, &actors),
            [("The ministry".to_string(), "Norland".to_string())]
        );
    }

    #[test]
    fn a_collective_noun_goes_to_the_organization_named_nearby() {
        use NameKind::*;
        // The agency is named only inside the quotation, the speaker's words: "the
        // group" looks past it to the brigade, the subject two sentences back; its "it"
        // follows; "the militia" finds the brigade again (the group's mention counts).
        let text = "The Tarn Brigade said in a statement that it had opened the road. \"We \
                    welcome the Halden Relief Agency,\" the statement said. The group said \
                    it would keep the road open. Mr. Osei called the militia a danger.";
        let sentences = segment::sentences(text);
        let ns = names(
            text,
            &[
                ("Tarn Brigade", Org),
                ("Halden Relief Agency", Org),
                ("Mr. Osei", Person),
            ],
        );
        let actors = group(text, &sentences, &ns);
        assert_eq!(
            titles_of(text, &actors),
            pairs(&[("The group", "Tarn Brigade"), ("the militia", "Tarn Brigade")])
        );
        assert_eq!(
            pronouns_in(text, &[("Tarn Brigade", Org), ("Halden Relief Agency", Org)])[1],
            ("it".to_string(), "Tarn Brigade".to_string())
        );
        // A state is no group; an indefinite phrase brings in an unnamed group that
        // "the group" may mean; "the paramilitary" before a name is its modifier.
        let text = "Velmora accused the paramilitary Tarn Brigade of looting. A spokeswoman \
                    for a local aid network said the group had lost two trucks.";
        let sentences = segment::sentences(text);
        let mut ns = names(text, &[("Velmora", Org), ("Tarn Brigade", Org)]);
        ns[0].key = Some(3);
        ns[0].roles = role_bits(STATE_ROLES.iter().copied());
        assert!(titles_of(text, &group(text, &sentences, &ns)).is_empty());
        let text = "Velmora signed the accord. The group said it would comply.";
        let sentences = segment::sentences(text);
        let mut ns = names(text, &[("Velmora", Org)]);
        ns[0].key = Some(3);
        ns[0].roles = role_bits(STATE_ROLES.iter().copied());
        assert!(titles_of(text, &group(text, &sentences, &ns)).is_empty());
    }

    #[test]
    fn the_government_of_a_datelined_article_is_the_dateline_s_state() {
        use NameKind::*;
        let text = "Norland votes on Sunday. Kaldor has warned of meddling. The government \
                    says the campaign failed. Kaldor said the government would respond. \
                    Officials said the authorities had shared their findings. The army \
                    declined to comment.";
        let sentences = segment::sentences(text);
        let mut ns = names(
            text,
            &[("Norland", Org), ("Kaldor", Org), ("Kaldor", Org)],
        );
        for n in &mut ns {
            n.key = Some(if n.start == 0 { 1 } else { 2 });
            n.roles = role_bits(STATE_ROLES.iter().copied());
        }
        // Datelined "VESTRA, Norland -": the government is Norland's unless another
        // state is the subject of the sentence; "the authorities" is a plural mention.
        let actors = super::group(text, &sentences, &ns, Some(1));
        assert_eq!(
            titles_of(text, &actors),
            pairs(&[
                ("The government", "Norland"),
                ("the government", "Kaldor"),
                ("the authorities", "Norland"),
                ("The army", "Norland"),
            ])
        );
        assert_eq!(
            mentions_of_kind(text, &actors, MentionKind::Pronoun),
            pairs(&[("their", "Norland")])
        );
        // Without a dateline: the state named last.
        let actors = group(text, &sentences, &ns);
        assert_eq!(titles_of(text, &actors)[0], ("The government".into(), "Kaldor".into()));
    }

    #[test]
    fn a_bloc_is_the_alliance_and_the_group() {
        use NameKind::*;
        let text = "The Andean Compact met in Lima. The group agreed to cut tariffs, and \
                    the alliance will meet again in May.";
        let sentences = segment::sentences(text);
        let mut ns = names(text, &[("Andean Compact", Org)]);
        // A bloc as the lexicon gives it (see discover's roles).
        ns[0].key = Some(5);
        ns[0].roles = role_bits(BLOC_ROLES.iter().copied());
        assert_eq!(
            titles_of(text, &group(text, &sentences, &ns)),
            pairs(&[("The group", "Andean Compact"), ("the alliance", "Andean Compact")])
        );
    }

    #[test]
    fn sentences_all_in_quotes_do_not_count_in_the_reach() {
        use NameKind::*;
        let text = "Mr. Colley spoke at a market. \"Prices rose. Wages fell. Buses \
                    stopped.\" He has said he would vote no.";
        assert_eq!(
            pronouns_in(text, &[("Mr. Colley", Person)]),
            pairs(&[("He", "Colley"), ("he", "Colley")])
        );
    }
}
