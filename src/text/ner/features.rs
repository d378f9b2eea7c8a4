//! Hashed features of one token in context.
//!
//! Every token is summarized once per sentence ([`TokInfo`]: hashes of its form, lower
//! case, shapes and affixes, its capitalization pattern, hand-written word classes and
//! statistics); a feature is then a template number combined with one or more of these
//! hashes by a cheap integer mix, so no feature builds a string. The same templates can
//! be described in words for [`crate::text::ner::NerTagger::explain`].

use super::tokens::Token;
use crate::text::calendar::DAY_AND_MONTH_NAMES;
use xxhash_rust::xxh3::xxh3_64;

/// A hasher for keys that are already hashes (one [`mix`] per written integer).
#[derive(Debug, Default, Clone, Copy)]
pub struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, b as u64);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = mix(self.0, v);
    }
}

/// A hash map keyed by hashes.
pub type HashMap<K, V> = hashbrown::HashMap<K, V, std::hash::BuildHasherDefault<PreHashed>>;

/// Golden-ratio odd constant.
const K1: u64 = 0x9E37_79B9_7F4A_7C15;

/// Combines a running feature hash with one more value (splitmix64 finalizer).
#[inline(always)]
pub fn mix(h: u64, v: u64) -> u64 {
    let mut x = h.wrapping_mul(K1) ^ v;
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Capitalization pattern of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Caps {
    /// Letters, all lower case.
    Lower = 0,
    /// First letter upper case, the rest lower ("Bush", "McCain" is `Mixed`).
    Title = 1,
    /// Two or more letters, all upper case ("NATO", "U.S.").
    Upper = 2,
    /// Upper and lower case mixed otherwise.
    Mixed = 3,
    /// Digits and no letters.
    Number = 4,
    /// Neither letters nor digits.
    Punct = 5,
}

impl Caps {
    fn name(self) -> &'static str {
        ["lower", "Title", "UPPER", "MiXed", "number", "punct"][self as usize]
    }
}

/// Word classes from hand-written lists (bits of [`TokInfo::class`]).
pub mod class {
    /// A title or honorific ("President", "Sen.", "Mr.", "Minister").
    pub const TITLE: u16 = 1;
    /// A company suffix ("Inc", "Corp", "Group", "Bank").
    pub const COMPANY: u16 = 2;
    /// An organization head word ("Party", "Ministry", "Council").
    pub const ORG_HEAD: u16 = 4;
    /// A word found inside names ("of", "the", "and", "de", "al", "bin").
    pub const CONNECTOR: u16 = 8;
    /// A place head word or compass word ("River", "Island", "North").
    pub const GEO: u16 = 16;
    /// A day or month name.
    pub const TIME: u16 = 32;
    /// The names of the classes, bit by bit.
    pub const NAMES: [&str; 6] = ["title", "company", "org-head", "connector", "geo", "time"];
}

const TITLES: &[&str] = &[
    "president",
    "senator",
    "sen.",
    "sens.",
    "rep.",
    "reps.",
    "gov.",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "prime",
    "minister",
    "king",
    "queen",
    "prince",
    "princess",
    "general",
    "gen.",
    "lt.",
    "col.",
    "sgt.",
    "capt.",
    "maj.",
    "adm.",
    "pope",
    "secretary",
    "chancellor",
    "premier",
    "ambassador",
    "envoy",
    "governor",
    "mayor",
    "chairman",
    "chairwoman",
    "chief",
    "commander",
    "spokesman",
    "spokeswoman",
    "judge",
    "justice",
    "bishop",
    "cardinal",
    "archbishop",
    "sheikh",
    "ayatollah",
    "cleric",
    "colonel",
    "lieutenant",
    "sergeant",
    "captain",
    "major",
    "admiral",
    "vice",
    "deputy",
    "representative",
    "congressman",
    "congresswoman",
    "sir",
    "lord",
    "lady",
    "prof.",
    "professor",
    "rev.",
    "reverend",
    "imam",
    "mullah",
    "emir",
    "sultan",
    "crown",
    "director",
    "attorney",
    "speaker",
    "dalai",
    "lama",
    "pres.",
    "cmdr.",
    "brig.",
    "field",
    "marshal",
    "monsignor",
    "father",
    "rabbi",
    "mufti",
    "senior",
    "minister-president",
    "secretary-general",
    "undersecretary",
    "coach",
    "striker",
    "mrs",
    "mr",
    "ms",
    "dr",
    "gen",
    "sen",
    "rep",
    "gov",
    "foreign",
];

const COMPANY: &[&str] = &[
    "inc",
    "inc.",
    "corp",
    "corp.",
    "ltd",
    "ltd.",
    "co",
    "co.",
    "llc",
    "plc",
    "group",
    "bank",
    "holdings",
    "company",
    "corporation",
    "airlines",
    "airways",
    "motors",
    "industries",
    "limited",
    "ag",
    "sa",
    "gmbh",
    "telecom",
    "petroleum",
    "oil",
    "systems",
    "technologies",
    "international",
    "enterprises",
    "partners",
    "communications",
    "airline",
    "motor",
    "electric",
    "pharmaceuticals",
    "exchange",
    "energy",
    "media",
    "broadcasting",
];

const ORG_HEADS: &[&str] = &[
    "party",
    "ministry",
    "council",
    "agency",
    "commission",
    "army",
    "court",
    "committee",
    "department",
    "organization",
    "organisation",
    "union",
    "front",
    "movement",
    "association",
    "institute",
    "university",
    "fund",
    "forces",
    "force",
    "congress",
    "parliament",
    "assembly",
    "senate",
    "office",
    "bureau",
    "police",
    "navy",
    "service",
    "federation",
    "league",
    "alliance",
    "brigade",
    "brigades",
    "government",
    "authority",
    "board",
    "cabinet",
    "foundation",
    "society",
    "news",
    "times",
    "post",
    "press",
    "network",
    "program",
    "programme",
    "coalition",
    "tribunal",
    "church",
    "corps",
    "guard",
    "house",
    "nations",
    "security",
    "watch",
    "team",
    "club",
    "school",
    "college",
    "center",
    "centre",
    "conference",
    "administration",
    "reserve",
    "commission",
    "journal",
    "organization",
    "tigers",
    "rebels",
    "militia",
    "group",
];

const CONNECTORS: &[&str] = &[
    "of", "the", "and", "de", "al", "bin", "ben", "el", "van", "von", "der", "la", "du", "da",
    "for", "abu", "ibn", "&", "del", "dos", "das", "le", "di", "y", "on",
];

const GEO: &[&str] = &[
    "lake",
    "river",
    "mount",
    "mountains",
    "island",
    "islands",
    "city",
    "province",
    "state",
    "region",
    "valley",
    "sea",
    "ocean",
    "gulf",
    "strait",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "republic",
    "kingdom",
    "bay",
    "peninsula",
    "desert",
    "coast",
    "county",
    "district",
    "square",
    "street",
    "airport",
    "strip",
    "bank",
    "hills",
    "canal",
    "basin",
    "territory",
    "territories",
    "capital",
];

/// Month abbreviations; the full day and month names are `text::calendar`'s (both are
/// the TIME word class).
const TIME: &[&str] = &[
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "aug.",
    "sept.",
    "sep.",
    "oct.",
    "nov.",
    "dec.",
];

/// Lower-case words that often begin a span of their own (numbers, times, some titles):
/// gating (see `NerParams::gate`) never skips them.
const GATE_EXEMPT: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "dozen",
    "hundred",
    "thousand",
    "million",
    "billion",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "past",
    "later",
    "recent",
    "end",
    "several",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "decades",
    "century",
    "time",
    "summer",
    "winter",
    "spring",
    "autumn",
    "weekend",
    "night",
    "morning",
    "afternoon",
    "evening",
    "season",
    "overnight",
    "midnight",
    "earlier",
    "previous",
    "few",
    "each",
    "another",
    "since",
    "within",
    "prime",
    "vice",
    "mid",
    "almost",
    "new",
    "last",
    "next",
    "fiscal",
    "president",
    "navy",
    "army",
    "south",
    "north",
    "east",
    "west",
    "southern",
    "northern",
    "eastern",
    "western",
    "central",
    "minister",
];

/// The hand-written word lists, by hash of the lower-case form.
#[derive(Debug, Clone)]
pub struct WordLists {
    classes: HashMap<u64, u16>,
    gate_exempt: HashMap<u64, ()>,
}

impl Default for WordLists {
    fn default() -> Self {
        let mut classes: HashMap<u64, u16> = HashMap::default();
        let lists: [(&[&str], u16); 7] = [
            (TITLES, class::TITLE),
            (COMPANY, class::COMPANY),
            (ORG_HEADS, class::ORG_HEAD),
            (CONNECTORS, class::CONNECTOR),
            (GEO, class::GEO),
            (DAY_AND_MONTH_NAMES, class::TIME),
            (TIME, class::TIME),
        ];
        for (words, bit) in lists {
            for w in words {
                *classes.entry(xxh3_64(w.as_bytes())).or_default() |= bit;
            }
        }
        let gate_exempt = GATE_EXEMPT
            .iter()
            .map(|w| (xxh3_64(w.as_bytes()), ()))
            .collect();
        WordLists {
            classes,
            gate_exempt,
        }
    }
}

impl WordLists {
    /// Whether a word (any case) is on the list of titles and honorifics.
    pub fn is_title(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        self.classes
            .get(&xxh3_64(lower.as_bytes()))
            .is_some_and(|c| c & class::TITLE != 0)
    }
}

/// Buckets of the "seen capitalized in the middle of a training sentence" statistic.
pub mod capstat {
    /// The word never occurs mid-sentence in training.
    pub const UNSEEN: u8 = 0;
    /// Names of the buckets, for explanations.
    pub const NAMES: [&str; 9] = [
        "unseen",
        "rare:<10%",
        "rare:10-50%",
        "rare:50-90%",
        "rare:>=90%",
        "<10%",
        "10-50%",
        "50-90%",
        ">=90%",
    ];
    /// The bucket of `capitalized` out of `total` mid-sentence occurrences.
    pub fn bucket(capitalized: u32, total: u32) -> u8 {
        if total == 0 {
            return UNSEEN;
        }
        let f = capitalized as f32 / total as f32;
        let b = if f < 0.1 {
            1
        } else if f < 0.5 {
            2
        } else if f < 0.9 {
            3
        } else {
            4
        };
        if total < 5 {
            b
        } else {
            b + 4
        }
    }
}

/// What training taught about one word (by lower-case form).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordStat {
    /// Bucket of the capitalization statistic ([`capstat`]).
    pub cap: u8,
    /// Bucket of the span-type statistic ([`kindstat`]).
    pub kind: u8,
    /// Word cluster ids plus one at three granularities (64, 256, 1024 clusters; 0:
    /// not in the cluster table), from GloVe vectors ([`super::WordClusters`]).
    pub cluster: [u16; 3],
    /// Per span type (O included) the bucket of its share of the word's training
    /// occurrences ([`kindstat::dist`]), and from bit 16 on the same for the tag parts
    /// (O, B, I, L, U).
    pub dist: u32,
}

/// Buckets of the "which span type does this word occur in" statistic: for the most
/// frequent type (O included), how often (<50%, 50-90%, >=90%) out of how many training
/// occurrences (<5, >=5).
pub mod kindstat {
    /// Names of the types in the counts: O, then the entity kinds.
    pub const KINDS: [&str; 5] = ["O", "PERSON", "ORG", "GPE_OR_LOC", "OTHER"];
    /// The bucket of per-type counts (0: never seen).
    pub fn bucket(counts: [u32; 5]) -> u8 {
        let n: u32 = counts.iter().sum();
        if n == 0 {
            return 0;
        }
        let (k, &top) = counts
            .iter()
            .enumerate()
            .max_by_key(|(k, &c)| (c, std::cmp::Reverse(*k)))
            .unwrap();
        let f = top as f32 / n as f32;
        let fb = if f < 0.5 {
            0
        } else if f < 0.9 {
            1
        } else {
            2
        };
        1 + (k as u8) * 6 + fb * 2 + (n >= 5) as u8
    }
    /// Per type (O, PERSON, ORG, GPE_OR_LOC, OTHER; two bits each from the lowest) the
    /// bucket of its share (0: none, 1: < 20%, 2: 20-80%, 3: >= 80%); bit 10 set when the
    /// word occurs 5 times or more; 0 for an unseen word.
    pub fn dist(counts: [u32; 5]) -> u16 {
        let n: u32 = counts.iter().sum();
        if n == 0 {
            return 0;
        }
        let mut out = ((n >= 5) as u16) << 10;
        for (k, &c) in counts.iter().enumerate() {
            let f = c as f32 / n as f32;
            let b = if c == 0 {
                0
            } else if f < 0.2 {
                1
            } else if f < 0.8 {
                2
            } else {
                3
            };
            out |= b << (2 * k);
        }
        out
    }
    /// Describes a [`dist`] value.
    pub fn dist_name(d: u16) -> String {
        if d == 0 {
            return "unseen".into();
        }
        if d >= 0xff00 {
            return "pad".into();
        }
        let mut out = String::new();
        for (k, name) in KINDS.iter().enumerate() {
            let b = (d >> (2 * k)) & 3;
            if b > 0 {
                out.push_str(&format!(
                    "{name}:{} ",
                    ["", "<20%", "20-80%", ">=80%"][b as usize]
                ));
            }
        }
        out.push_str(if d >> 10 != 0 { "n>=5" } else { "n<5" });
        out
    }
    /// Describes a bucket.
    pub fn name(b: u8) -> String {
        if b == 0 {
            return "unseen".into();
        }
        let b = b - 1;
        let (k, fb, nb) = (b / 6, (b % 6) / 2, b % 2);
        format!(
            "mostly-{}:{}:{}",
            KINDS[k as usize],
            ["<50%", "50-90%", ">=90%"][fb as usize],
            ["n<5", "n>=5"][nb as usize]
        )
    }
}

/// Everything the templates need to know about one token.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokInfo {
    /// Hash of the exact form.
    pub word: u64,
    /// Hash of the lower-case form.
    pub lower: u64,
    /// Hash of the shape ("Xxxxx", "XX.", "dddd"; runs capped at 4).
    pub shape: u64,
    /// Hash of the short shape (runs collapsed: "Xx", "X.X.", "d").
    pub sshape: u64,
    /// Hashes of the lower-case prefixes of 1..=4 characters.
    pub pre: [u64; 4],
    /// Hashes of the lower-case suffixes of 1..=4 characters.
    pub suf: [u64; 4],
    /// Capitalization pattern.
    pub caps: u8,
    /// Word class bits ([`class`]).
    pub class: u16,
    /// Bucket of the mid-sentence capitalization statistic ([`capstat`]).
    pub capstat: u8,
    /// Bucket of the span-type statistic ([`kindstat`]).
    pub kindstat: u8,
    /// Word cluster ids plus one (64, 256, 1024 clusters; 0: unknown word).
    pub cluster: [u16; 3],
    /// Span-type shares of the word in training ([`kindstat::dist`]).
    pub kinddist: u16,
    /// Tag-part shares (O, B, I, L, U) of the word in training ([`kindstat::dist`]).
    pub partdist: u16,
    /// 1 if the same word (lower-cased) occurs capitalized elsewhere in the sentence,
    /// not as its first word; 2 if it occurs elsewhere but never so; 0 if not elsewhere.
    pub elsewhere: u8,
    /// True for the first word of the sentence (after leading punctuation).
    pub initial: bool,
    /// True for a word that gating never skips (not a feature).
    pub gate_exempt: bool,
    /// For a token in a run of capitalized words (inner "of", "the", "and", "de", "al",
    /// "-" allowed): the lower-case hash of the run's last word, else 0.
    pub run_last: u64,
    /// Likewise the run's first word.
    pub run_first: u64,
    /// Position in the run (capped at 3) and words left after it (capped at 3), as
    /// `1 + pos * 4 + left`; 0 outside runs.
    pub run_pos: u8,
}

/// Reused buffers for summarizing a sentence.
#[derive(Debug, Default)]
pub struct InfoScratch {
    lower: String,
    bounds: Vec<usize>,
    shape: Vec<u8>,
}

/// Character classes used in shapes.
fn shape_char(c: char) -> u8 {
    if c.is_uppercase() {
        b'X'
    } else if c.is_lowercase() || c.is_alphabetic() {
        b'x'
    } else if c.is_numeric() {
        b'd'
    } else if c.is_ascii() {
        c as u8
    } else {
        b'?'
    }
}

/// Summarizes one token.
pub fn token_info(
    word: &str,
    lists: &WordLists,
    capstats: &HashMap<u64, WordStat>,
    scratch: &mut InfoScratch,
) -> TokInfo {
    token_info_hashed(word, xxh3_64(word.as_bytes()), lists, capstats, scratch)
}

/// [`token_info`] for a word whose hash (`xxh3_64` of its bytes) is known.
pub fn token_info_hashed(
    word: &str,
    word_hash: u64,
    lists: &WordLists,
    capstats: &HashMap<u64, WordStat>,
    scratch: &mut InfoScratch,
) -> TokInfo {
    let mut info = TokInfo {
        word: word_hash,
        ..TokInfo::default()
    };
    // lower case and shapes in one pass
    let lower = &mut scratch.lower;
    lower.clear();
    let shape = &mut scratch.shape;
    shape.clear();
    let (mut n_upper, mut n_lower, mut n_digit, mut first_upper) = (0u32, 0u32, 0u32, false);
    let mut run = 0u8;
    let mut last = 0u8;
    for (k, c) in word.chars().enumerate() {
        if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
        } else {
            lower.extend(c.to_lowercase());
        }
        let s = shape_char(c);
        match s {
            b'X' => {
                n_upper += 1;
                first_upper |= k == 0;
            }
            b'x' => n_lower += 1,
            b'd' => n_digit += 1,
            _ => {}
        }
        if s == last {
            run += 1;
        } else {
            run = 1;
            last = s;
        }
        if run <= 4 && shape.len() < 24 {
            shape.push(s);
        }
    }
    info.shape = xxh3_64(shape);
    shape.dedup();
    info.sshape = mix(7, xxh3_64(shape));
    info.lower = xxh3_64(lower.as_bytes());
    let bounds = &mut scratch.bounds;
    bounds.clear();
    bounds.extend(lower.char_indices().map(|(b, _)| b));
    let n = bounds.len();
    for k in 0..4 {
        if k < n {
            info.pre[k] =
                xxh3_64(&lower.as_bytes()[..bounds.get(k + 1).copied().unwrap_or(lower.len())]);
            info.suf[k] = xxh3_64(&lower.as_bytes()[bounds[n - 1 - k]..]);
        } else {
            info.pre[k] = info.lower;
            info.suf[k] = info.lower;
        }
    }
    let letters = n_upper + n_lower;
    info.caps = (if letters == 0 {
        if n_digit > 0 {
            Caps::Number
        } else {
            Caps::Punct
        }
    } else if n_upper == 0 {
        Caps::Lower
    } else if n_lower == 0 {
        if n_upper >= 2 {
            Caps::Upper
        } else {
            Caps::Title
        }
    } else if first_upper && n_upper == 1 {
        Caps::Title
    } else {
        Caps::Mixed
    }) as u8;
    info.class = lists.classes.get(&info.lower).copied().unwrap_or(0);
    info.gate_exempt = lists.gate_exempt.contains_key(&info.lower);
    let stat = capstats.get(&info.lower).copied().unwrap_or_default();
    info.capstat = stat.cap;
    info.kindstat = stat.kind;
    info.cluster = stat.cluster;
    info.kinddist = stat.dist as u16;
    info.partdist = (stat.dist >> 16) as u16;
    info
}

/// Summarizes every token of a sentence into `out` (cleared first).
pub fn sentence_info(
    text: &str,
    tokens: &[Token],
    lists: &WordLists,
    capstats: &HashMap<u64, WordStat>,
    scratch: &mut InfoScratch,
    out: &mut Vec<TokInfo>,
) {
    out.clear();
    for t in tokens {
        out.push(token_info(t.text(text), lists, capstats, scratch));
    }
    mark_sentence(out);
}

/// Sets the fields that depend on the whole sentence ([`TokInfo::initial`],
/// [`TokInfo::elsewhere`]) of token summaries made one word at a time.
pub fn mark_sentence(out: &mut [TokInfo]) {
    let mut initial_done = false;
    for info in out.iter_mut() {
        info.initial = false;
        if !initial_done && info.caps != Caps::Punct as u8 {
            info.initial = true;
            initial_done = true;
        }
    }
    // Whether another token has the same word, and whether one of those is capitalized
    // other than first: the tokens sorted by word, one pass over each run of equals.
    let mut words: Vec<(u64, u32)> = (0..out.len() as u32).map(|i| (out[i as usize].lower, i)).collect();
    words.sort_unstable();
    let mut a = 0;
    while a < words.len() {
        let lower = words[a].0;
        let b = a + words[a..].iter().take_while(|w| w.0 == lower).count();
        let run = &words[a..b];
        // Capitalized other than first in the sentence.
        let capitalized = |o: &TokInfo| !o.initial && is_cap(o.caps);
        let caps = run.iter().filter(|w| capitalized(&out[w.1 as usize])).count();
        for &(_, i) in run {
            let o = &mut out[i as usize];
            if o.caps == Caps::Punct as u8 || o.caps == Caps::Number as u8 {
                continue;
            }
            let own = usize::from(capitalized(o));
            o.elsewhere = if caps > own {
                1
            } else if run.len() > 1 {
                2
            } else {
                0
            };
        }
        a = b;
    }
    mark_runs(out);
}

/// Finds the runs of capitalized words (see [`TokInfo::run_last`]).
fn mark_runs(out: &mut [TokInfo]) {
    let n = out.len();
    let joiner = |t: &TokInfo| {
        t.caps == Caps::Lower as u8 && t.class & class::CONNECTOR != 0 || t.word == *HYPHEN
    };
    let mut i = 0;
    while i < n {
        out[i].run_last = 0;
        out[i].run_first = 0;
        out[i].run_pos = 0;
        if !is_cap(out[i].caps) {
            i += 1;
            continue;
        }
        // extend: capitalized words, or joiners followed by a capitalized word
        let mut j = i + 1;
        let mut end = i + 1;
        while j < n {
            if is_cap(out[j].caps) {
                j += 1;
                end = j;
            } else if joiner(&out[j]) && j + 1 < n {
                j += 1;
            } else {
                break;
            }
        }
        let (first, last) = (out[i].lower, out[end - 1].lower);
        for (k, t) in out[i..end].iter_mut().enumerate() {
            t.run_first = first;
            t.run_last = last;
            let left = end - i - 1 - k;
            t.run_pos = 1 + (k.min(3) * 4 + left.min(3)) as u8;
        }
        i = end;
    }
}

/// `xxh3_64("-")`.
static HYPHEN: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| xxh3_64(b"-"));

fn is_cap(caps: u8) -> bool {
    matches!(caps, 1..=3)
}

/// Counts, for the capitalization statistic, one training sentence's words (by lower-case
/// hash: mid-sentence occurrences, capitalized ones).
pub fn count_capitalization(infos: &[TokInfo], counts: &mut HashMap<u64, (u32, u32)>) {
    for (i, t) in infos.iter().enumerate() {
        if t.initial || t.caps >= Caps::Number as u8 {
            continue;
        }
        // a word after an opening quote or colon may be capitalized for that reason
        if i > 0 && infos[i - 1].caps == Caps::Punct as u8 {
            continue;
        }
        let e = counts.entry(t.lower).or_default();
        e.0 += is_cap(t.caps) as u32;
        e.1 += 1;
    }
}

const fn pad(v: u64, caps: u8) -> TokInfo {
    TokInfo {
        word: v,
        lower: v,
        shape: v,
        sshape: v,
        pre: [v; 4],
        suf: [v; 4],
        caps,
        class: 0,
        capstat: 0,
        kindstat: 0,
        cluster: [0xff00 | caps as u16; 3],
        kinddist: 0xff00 | caps as u16,
        partdist: 0xff00 | caps as u16,
        elsewhere: 0,
        initial: false,
        gate_exempt: false,
        run_last: 0,
        run_first: 0,
        run_pos: 0,
    }
}

/// Padding before the sentence start.
const START: TokInfo = pad(0x5157_a27f_00d1_e5e1, 7);
/// Padding after the sentence end.
const END: TokInfo = pad(0xe2d0_f5e2_7a11_0c3b, 6);

#[inline(always)]
fn at(infos: &[TokInfo], i: usize, k: isize) -> &TokInfo {
    let j = i as isize + k;
    if j < 0 {
        &START
    } else if j as usize >= infos.len() {
        &END
    } else {
        &infos[j as usize]
    }
}

/// Positions of the single-token feature groups: the token itself, the one before,
/// the one after, two before, two after.
pub const OFFSETS: [isize; 5] = [0, -1, 1, -2, 2];

/// The features that depend on one token only, in the group for its position relative to
/// the token being tagged (`slot` indexes [`OFFSETS`]); slot 0 holds the bias too.
#[inline(always)]
pub fn word_features(t: &TokInfo, slot: usize, f: &mut impl FnMut(u8, u64)) {
    let class_template = 26 + slot as u8;
    match slot {
        0 => {
            f(0, 0);
            f(1, t.word);
            f(2, t.lower);
            f(3, t.shape);
            f(4, t.sshape);
            for k in 0..4 {
                f(5 + k as u8, t.pre[k]);
                f(9 + k as u8, t.suf[k]);
            }
            f(47, t.kindstat as u64);
            f(48, ((t.kindstat as u64) << 8) | t.caps as u64);
            f(54, t.cluster[0] as u64);
            f(55, t.cluster[1] as u64);
            f(56, t.cluster[2] as u64);
            f(57, ((t.cluster[2] as u64) << 8) | t.caps as u64);
            f(62, t.kinddist as u64);
            f(63, ((t.kinddist as u64) << 8) | t.caps as u64);
            f(77, t.partdist as u64);
        }
        1 => {
            f(13, t.lower);
            f(17, t.shape);
            f(24, t.suf[2]);
            f(49, t.kindstat as u64);
            f(58, t.cluster[1] as u64);
            f(64, t.kinddist as u64);
            f(78, t.partdist as u64);
        }
        2 => {
            f(15, t.lower);
            f(18, t.shape);
            f(25, t.suf[2]);
            f(50, t.kindstat as u64);
            f(59, t.cluster[1] as u64);
            f(65, t.kinddist as u64);
            f(79, t.partdist as u64);
        }
        3 => {
            f(14, t.lower);
            f(19, t.sshape);
            f(60, t.cluster[0] as u64);
        }
        _ => {
            f(16, t.lower);
            f(20, t.sshape);
            f(61, t.cluster[0] as u64);
        }
    }
    // class bits: one feature per bit
    let mut bits = t.class;
    while bits != 0 {
        f(class_template, bits.trailing_zeros() as u64);
        bits &= bits - 1;
    }
}

/// Number of features [`context_features`] gives for a token.
pub const N_CONTEXT: usize = 20;

/// The features of token `i` that combine it with its neighbours or its place in the
/// sentence ([`N_CONTEXT`] of them).
#[inline(always)]
pub fn context_features(infos: &[TokInfo], i: usize, f: &mut impl FnMut(u8, u64)) {
    let t = &infos[i];
    let (m2, m1, p1, p2) = (
        at(infos, i, -2),
        at(infos, i, -1),
        at(infos, i, 1),
        at(infos, i, 2),
    );
    let t_flags = ((t.caps as u64) << 2) | ((t.initial as u64) << 1);
    f(21, mix(mix(m1.sshape, t.sshape), p1.sshape));
    f(22, mix(m1.lower, t.lower));
    f(23, mix(t.lower, p1.lower));
    f(31, t_flags);
    f(32, mix(t_flags, t.capstat as u64));
    f(33, mix(t_flags, t.elsewhere as u64));
    f(
        34,
        ((m1.caps as u64) << 8) | ((t.caps as u64) << 4) | p1.caps as u64,
    );
    f(35, mix(m1.lower, t.sshape));
    f(36, mix(t.sshape, p1.lower));
    f(
        37,
        mix(t.capstat as u64, ((m1.caps as u64) << 4) | p1.caps as u64),
    );
    f(38, mix(t.lower, p2.lower));
    f(39, mix(m2.lower, m1.lower));
    f(40, mix(m1.lower, p1.lower));
    f(51, mix(t.run_last, t.run_pos as u64));
    f(52, mix(t.run_first, t.run_pos as u64));
    f(53, mix(t.run_last, t.lower));
    f(66, mix(m1.lower, t.cluster[2] as u64));
    f(67, mix(t.cluster[2] as u64, p1.lower));
    f(70, mix(m1.lower, t.kinddist as u64));
    f(71, mix(t.kinddist as u64, p1.lower));
}

/// Padding before the sentence start and after its end.
pub const PADS: [TokInfo; 2] = [START, END];

/// The static (tag-independent) features of token `i`: `f(template, value)` for each.
#[inline(always)]
pub fn static_features(infos: &[TokInfo], i: usize, mut f: impl FnMut(u8, u64)) {
    for (slot, &k) in OFFSETS.iter().enumerate() {
        word_features(at(infos, i, k), slot, &mut f);
    }
    context_features(infos, i, &mut f);
}

/// The number of [`history_features`].
pub const N_HISTORY: usize = 6;

/// The tag-history features of a token: previous tag `p1`, the one before `p2`.
#[inline(always)]
pub fn history_features(t: &TokInfo, p1: u8, p2: u8, mut f: impl FnMut(u8, u64)) {
    f(41, p1 as u64);
    f(42, ((p2 as u64) << 8) | p1 as u64);
    f(43, mix(p1 as u64, t.lower));
    f(44, mix(p1 as u64, t.sshape));
    f(45, mix(p1 as u64, t.class as u64));
    f(46, mix(((p2 as u64) << 8) | p1 as u64, t.sshape));
}

/// The hash of one feature, from its template and value.
#[inline(always)]
pub fn feature_hash(template: u8, value: u64) -> u64 {
    mix(template as u64 + 1, value)
}

/// Describes one feature of token `i` in words, given its template and (for templates
/// with several values) the value hash; `tags` names tag ids.
// Longer than 100 lines on purpose: one match arm per feature template, each naming its
// template in words; split, the arms would be read apart from the templates they mirror.
pub fn describe(
    template: u8,
    value: u64,
    words: &[&str],
    infos: &[TokInfo],
    i: usize,
    history: (u8, u8),
    tags: &dyn Fn(u8) -> String,
) -> String {
    let (p1, p2) = history;
    let w = |k: isize| -> String {
        let j = i as isize + k;
        if j < 0 {
            "<s>".into()
        } else if j as usize >= words.len() {
            "</s>".into()
        } else {
            words[j as usize].to_string()
        }
    };
    let lw = |k: isize| w(k).to_lowercase();
    let shape = |k: isize, short: bool| -> String {
        let s = w(k);
        if s.starts_with('<') && s.ends_with('>') {
            return s;
        }
        let mut out: Vec<u8> = Vec::new();
        let (mut last, mut run) = (0u8, 0);
        for c in s.chars() {
            let x = shape_char(c);
            if x == last {
                run += 1
            } else {
                run = 1;
                last = x
            }
            if (short && run == 1) || (!short && run <= 4) {
                out.push(x);
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    let chars_of = |k: isize| -> Vec<char> { lw(k).chars().collect() };
    let caps = |k: isize| caps_name(at(infos, i, k).caps);
    let t = &infos[i];
    match template {
        0 => "bias".into(),
        1 => format!("word={}", w(0)),
        2 => format!("lower={}", lw(0)),
        3 => format!("shape={}", shape(0, false)),
        4 => format!("short-shape={}", shape(0, true)),
        5..=8 => {
            let c = chars_of(0);
            let n = (template - 4) as usize;
            format!(
                "prefix{}={}",
                n,
                c[..n.min(c.len())].iter().collect::<String>()
            )
        }
        9..=12 => {
            let c = chars_of(0);
            let n = (template - 8) as usize;
            format!(
                "suffix{}={}",
                n,
                c[c.len().saturating_sub(n)..].iter().collect::<String>()
            )
        }
        13 => format!("lower[-1]={}", lw(-1)),
        14 => format!("lower[-2]={}", lw(-2)),
        15 => format!("lower[+1]={}", lw(1)),
        16 => format!("lower[+2]={}", lw(2)),
        17 => format!("shape[-1]={}", shape(-1, false)),
        18 => format!("shape[+1]={}", shape(1, false)),
        19 => format!("short-shape[-2]={}", shape(-2, true)),
        20 => format!("short-shape[+2]={}", shape(2, true)),
        21 => format!(
            "short-shapes[-1,0,+1]={} {} {}",
            shape(-1, true),
            shape(0, true),
            shape(1, true)
        ),
        22 => format!("bigram[-1,0]={} {}", lw(-1), lw(0)),
        23 => format!("bigram[0,+1]={} {}", lw(0), lw(1)),
        24 => {
            let c = chars_of(-1);
            format!(
                "suffix3[-1]={}",
                c[c.len().saturating_sub(3)..].iter().collect::<String>()
            )
        }
        25 => {
            let c = chars_of(1);
            format!(
                "suffix3[+1]={}",
                c[c.len().saturating_sub(3)..].iter().collect::<String>()
            )
        }
        26..=30 => {
            let pos = ["0", "-1", "+1", "-2", "+2"][(template - 26) as usize];
            format!(
                "class[{}]={}",
                pos,
                class::NAMES.get(value as usize).unwrap_or(&"?")
            )
        }
        31 => format!("caps={} initial={}", caps(0), t.initial),
        32 => format!(
            "caps={} initial={} seen-capitalized={}",
            caps(0),
            t.initial,
            capstat::NAMES.get(t.capstat as usize).unwrap_or(&"?")
        ),
        33 => format!(
            "caps={} initial={} elsewhere={}",
            caps(0),
            t.initial,
            ["no", "capitalized", "not-capitalized"][t.elsewhere.min(2) as usize]
        ),
        34 => format!("caps[-1,0,+1]={} {} {}", caps(-1), caps(0), caps(1)),
        35 => format!("lower[-1]={} short-shape={}", lw(-1), shape(0, true)),
        36 => format!("short-shape={} lower[+1]={}", shape(0, true), lw(1)),
        37 => format!(
            "seen-capitalized={} caps[-1,+1]={} {}",
            capstat::NAMES.get(t.capstat as usize).unwrap_or(&"?"),
            caps(-1),
            caps(1)
        ),
        38 => format!("lower[0,+2]={} {}", lw(0), lw(2)),
        39 => format!("bigram[-2,-1]={} {}", lw(-2), lw(-1)),
        40 => format!("lower[-1,+1]={} {}", lw(-1), lw(1)),
        41 => format!("tag[-1]={}", tags(p1)),
        42 => format!("tags[-2,-1]={} {}", tags(p2), tags(p1)),
        43 => format!("tag[-1]={} lower={}", tags(p1), lw(0)),
        44 => format!("tag[-1]={} short-shape={}", tags(p1), shape(0, true)),
        45 => format!("tag[-1]={} classes={:#x}", tags(p1), t.class),
        46 => format!(
            "tags[-2,-1]={} {} short-shape={}",
            tags(p2),
            tags(p1),
            shape(0, true)
        ),
        47 => format!("span-type-stat={}", kindstat::name(t.kindstat)),
        48 => format!(
            "span-type-stat={} caps={}",
            kindstat::name(t.kindstat),
            caps(0)
        ),
        49 => format!(
            "span-type-stat[-1]={}",
            kindstat::name(at(infos, i, -1).kindstat)
        ),
        50 => format!(
            "span-type-stat[+1]={}",
            kindstat::name(at(infos, i, 1).kindstat)
        ),
        51..=53 => {
            let (first, last) = run_words(words, infos, i);
            match template {
                51 => format!("run-last-word={last} run-pos={}", t.run_pos),
                52 => format!("run-first-word={first} run-pos={}", t.run_pos),
                _ => format!("run-last-word={last} lower={}", lw(0)),
            }
        }
        54..=61 => {
            let (k, g) = match template {
                54 => (0, 0),
                55 => (0, 1),
                56 | 57 => (0, 2),
                58 => (-1, 1),
                59 => (1, 1),
                60 => (-2, 0),
                _ => (2, 0),
            };
            let c = at(infos, i, k).cluster[g];
            let id = match c {
                0 => "none".to_string(),
                0xff00.. => "pad".to_string(),
                _ => (c - 1).to_string(),
            };
            let n = [64, 256, 1024][g];
            if template == 57 {
                format!("cluster{n}={id} caps={}", caps(0))
            } else if k == 0 {
                format!("cluster{n}={id}")
            } else {
                format!("cluster{n}[{k:+}]={id}")
            }
        }
        62 => format!("span-type-shares={}", kindstat::dist_name(t.kinddist)),
        63 => format!(
            "span-type-shares={} caps={}",
            kindstat::dist_name(t.kinddist),
            caps(0)
        ),
        64 | 65 => {
            let k = if template == 64 { -1 } else { 1 };
            format!(
                "span-type-shares[{k:+}]={}",
                kindstat::dist_name(at(infos, i, k).kinddist)
            )
        }
        66 => format!(
            "lower[-1]={} cluster1024={}",
            lw(-1),
            t.cluster[2] as i32 - 1
        ),
        67 => format!(
            "cluster1024={} lower[+1]={}",
            t.cluster[2] as i32 - 1,
            lw(1)
        ),
        70 => format!(
            "lower[-1]={} span-type-shares={}",
            lw(-1),
            kindstat::dist_name(t.kinddist)
        ),
        71 => format!(
            "span-type-shares={} lower[+1]={}",
            kindstat::dist_name(t.kinddist),
            lw(1)
        ),
        77..=79 => {
            let k = [0, -1, 1][(template - 77) as usize];
            let d = at(infos, i, k).partdist;
            let mut out = String::new();
            if d >= 0xff00 {
                out.push_str("pad ");
            }
            for (b, name) in ["O", "B", "I", "L", "U"].iter().enumerate() {
                let x = (d >> (2 * b)) & 3;
                if d != 0 && d < 0xff00 && x > 0 {
                    out.push_str(&format!(
                        "{name}:{} ",
                        ["", "<20%", "20-80%", ">=80%"][x as usize]
                    ));
                }
            }
            out.push_str(match d {
                0 => "unseen",
                0xff00.. => "",
                _ if d >> 10 != 0 => "n>=5",
                _ => "n<5",
            });
            if k == 0 {
                format!("tag-part-shares={out}")
            } else {
                format!("tag-part-shares[{k:+}]={out}")
            }
        }
        _ => format!("template{template}"),
    }
}

/// The lower-case first and last words of token `i`'s capitalized run ("-" outside one;
/// runs never touch, so the run is the stretch of tokens with a position around `i`).
fn run_words(words: &[&str], infos: &[TokInfo], i: usize) -> (String, String) {
    if infos[i].run_pos == 0 {
        return ("-".into(), "-".into());
    }
    let mut a = i;
    while a > 0 && infos[a - 1].run_pos != 0 {
        a -= 1;
    }
    let mut b = i;
    while b + 1 < infos.len() && infos[b + 1].run_pos != 0 {
        b += 1;
    }
    (words[a].to_lowercase(), words[b].to_lowercase())
}

fn caps_name(caps: u8) -> &'static str {
    match caps {
        0..=5 => [
            Caps::Lower,
            Caps::Title,
            Caps::Upper,
            Caps::Mixed,
            Caps::Number,
            Caps::Punct,
        ][caps as usize]
            .name(),
        _ => "pad",
    }
}
