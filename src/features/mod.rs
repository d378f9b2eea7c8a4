//! Target-aware sparse features: hashed word and character n-grams of the tokenized
//! sentence with the scored actor's mention replaced by a placeholder.
//!
//! Data flow: text + mention spans -> tokens (`tokenize`) -> masked token sequence
//! (`<t>` for the target, `<o>` for other actors) -> named features in groups (words,
//! characters, context around the target, target-conjoined copies) -> hashed buckets ->
//! sublinear TF x IDF, L2-normalized per group -> one sparse row.
//!
//! Feature names are readable (`w|talks with <t>`, `c|ruth`, `l|condemned`), so any
//! bucket a sentence uses can be explained by recomputing that sentence's names.

mod mask;

pub use mask::{mask, SpanCursor};

use crate::error::Result;
use crate::text::tokenize::{Token, TokenPipeline};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Receives (group, bucket, feature name, character span) for each feature occurrence.
type Sink<'s> = dyn FnMut(u8, u32, &str, (usize, usize)) + 's;

/// Placeholder for the scored actor's mention.
pub const TARGET: &str = "<t>";
/// Placeholder for other actors' mentions.
pub const OTHER: &str = "<o>";

/// When to add target-conjoined copies of every feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Conjoin {
    /// Never.
    Never,
    /// Only for rows whose target is a topic not located in the text (no mention span):
    /// there, the target string is the only way to know what the stance is about.
    Topics,
    /// For every row.
    Always,
    /// Every feature for topic rows (as `Topics`); for rows with a located target, only
    /// the target-dependent features (context, window, clause, lexicon), conjoined with
    /// the actor: how words around an actor read can depend on the actor, while the
    /// whole-sentence n-grams stay shared.
    Context,
}

impl Conjoin {
    /// The value's name, as `stance-train --conjoin` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Conjoin::Never => "never",
            Conjoin::Topics => "topics",
            Conjoin::Context => "context",
            Conjoin::Always => "always",
        }
    }
}

/// Settings of the feature stage; stored in the model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// log2 of the number of hash buckets (default 20).
    pub hash_bits: u8,
    /// Word n-grams of length 1..=word_ngrams (default 3; 0 disables).
    pub word_ngrams: u8,
    /// Character n-grams of length char_min..=char_max inside word boundaries
    /// (default 3..=5; char_max 0 disables).
    pub char_min: u8,
    pub char_max: u8,
    /// Left/right-context unigrams and bigrams of the target mention (default off).
    pub context: bool,
    /// Unigrams and bigrams within this many tokens of the mention, by side (default 4;
    /// 0 disables).
    pub window: u8,
    /// Target-conjoined feature copies (default `Context`).
    pub conjoin: Conjoin,
    /// Use 1 + ln(count) instead of the count (default on).
    pub sublinear_tf: bool,
    /// Multiply by inverse document frequency learned in training (default on).
    pub idf: bool,
    /// Prior-polarity features from the VADER sentiment lexicon: polarity (flipped
    /// under negation) and strength of sentiment words, by side of and distance to the
    /// target and whether they share its clause (default on).
    pub lexicon: bool,
    /// Unigrams and bigrams of the target's clause (between punctuation and contrast
    /// conjunctions such as "but", "while") (default on).
    pub clause: bool,
    /// Weight of the target-independent groups (word and character n-grams of the whole
    /// sentence) relative to the target-dependent ones (context, window, clause,
    /// lexicon), each group being L2-normalized first (default 0.5).
    pub global_weight: f32,
    /// Factor of the lexicon group (and its conjoined copy) after its L2 normalization
    /// (training default 0.25). With a smaller factor the L2 penalty holds the lexicon's
    /// weights closer to the direction most rows agree on (positive words for favor),
    /// so sarcasm and faint praise in the training data teach less distrust of them;
    /// 0.25 won in cross-validation on SemEval and NewsMTSC (README, "Accuracy"). Not
    /// part of the serialized settings: stored with the optional feature families as
    /// `lexicon-weight=W` when it is not 1 (models written before it have 1).
    #[serde(skip, default = "one")]
    pub lexicon_weight: f32,
    /// Optional feature families (training default: cue words on). Not part of the serialized
    /// settings: the model file stores them after the rest of its payload, and only when
    /// one is on, so models without them keep the version-2 layout (see `model`).
    #[serde(skip)]
    pub extras: FeatureExtras,
}

fn one() -> f32 {
    1.0
}

/// Prefix of the stored lexicon weight among the feature family names.
const LEXICON_WEIGHT: &str = "lexicon-weight=";

/// Optional feature families, each behind a switch (`Default`: all off, as in a model
/// file that stores none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureExtras {
    /// Cue words of subjective or attributed language (hedges, factive, assertive and
    /// reporting verbs, boosters, loaded words) in a group of their own (`G_CUE`, with
    /// the global weight): `b|hedge`, `b|hedge|allegedly`, and for a located target the
    /// cue's side, nearness and whether it shares the target's clause. Not used for rows
    /// whose target is a topic not named in the text.
    pub cues: bool,
    /// Surface shape of the sentence in a group of its own (`G_SHAPE`, with the global
    /// weight): bucketed counts of `!`, `?` and ALL-CAPS words, scare quotes around one
    /// or two words, other quotation marks, and first- and second-person pronouns.
    pub shape: bool,
    /// How word n-grams are hashed: from the hashes of their tokens (on), or from their
    /// names (off: models written before this switch). The buckets differ, the
    /// features do not; conjoined copies are hashed from the feature's hash and the
    /// target key's. Composing token hashes saves building and hashing a string per
    /// n-gram.
    pub token_hash: bool,
    /// Character n-grams counted once per word (a word's distinct buckets), with linear
    /// TF and the group's norm taken as the square root of `sum(count x idf^2)` over its
    /// buckets: the group's vector is then a sum of per-word vectors whose dot products
    /// and squared norms add up, so a classifier can cache them per word (see
    /// `score`). Off: sublinear TF of every occurrence, L2 norm (models written before).
    pub char_words: bool,
}

impl FeatureExtras {
    /// The switches as (name, value) pairs; the model file stores the names of those on.
    pub fn switches(&mut self) -> [(&'static str, &mut bool); 4] {
        [
            ("cues", &mut self.cues),
            ("shape", &mut self.shape),
            ("token-hash", &mut self.token_hash),
            ("char-words", &mut self.char_words),
        ]
    }

    /// Names of the switches that are on.
    pub fn names_on(&self) -> Vec<String> {
        let mut copy = *self;
        copy.switches()
            .into_iter()
            .filter(|(_, on)| **on)
            .map(|(n, _)| n.to_string())
            .collect()
    }

    /// Switches from the names of those on; an unknown name is an error.
    pub fn from_names(names: &[String]) -> std::result::Result<Self, String> {
        let mut extras = FeatureExtras::default();
        for name in names {
            match extras.switches().into_iter().find(|(n, _)| n == name) {
                Some((_, on)) => *on = true,
                None => return Err(format!("unknown feature family {name:?}")),
            }
        }
        Ok(extras)
    }
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            hash_bits: 20,
            word_ngrams: 3,
            char_min: 3,
            char_max: 5,
            context: false,
            window: 4,
            conjoin: Conjoin::Context,
            sublinear_tf: true,
            idf: true,
            lexicon: true,
            clause: true,
            global_weight: 0.5,
            lexicon_weight: 0.25,
            // Cue words are on for training (they won in cross-validation on the news
            // sets and leave topic rows alone); a model file without the extras has none.
            extras: FeatureExtras {
                cues: true,
                token_hash: true,
                char_words: true,
                ..FeatureExtras::default()
            },
        }
    }
}

impl FeatureConfig {
    /// What the model file stores after its payload: the names of the optional feature
    /// families that are on, and `lexicon-weight=W` when the lexicon weight is not 1.
    /// Empty for a model with neither (a version-2 file).
    pub fn family_names(&self) -> Vec<String> {
        let mut names = self.extras.names_on();
        if self.lexicon_weight != 1.0 {
            names.push(format!("{LEXICON_WEIGHT}{}", self.lexicon_weight));
        }
        names
    }

    /// Set the optional families and the lexicon weight from stored names (what is not
    /// named is off, or 1); an unknown name (from a newer build) or a bad weight is an
    /// error, worded for the user.
    pub fn set_family_names(&mut self, names: &[String]) -> std::result::Result<(), String> {
        let mut switches = Vec::with_capacity(names.len());
        self.lexicon_weight = 1.0;
        for name in names {
            match name.strip_prefix(LEXICON_WEIGHT) {
                Some(w) => {
                    self.lexicon_weight = w
                        .parse::<f32>()
                        .ok()
                        .filter(|w| w.is_finite() && *w >= 0.0)
                        .ok_or_else(|| {
                            format!("bad stored lexicon weight {w:?} (a corrupt or foreign file)")
                        })?
                }
                None => switches.push(name.clone()),
            }
        }
        self.extras = FeatureExtras::from_names(&switches)
            .map_err(|e| format!("{e}: written by a newer build; upgrade stance to read it"))?;
        Ok(())
    }

    /// Number of hash buckets (columns).
    pub fn buckets(&self) -> usize {
        1usize << self.hash_bits
    }

    /// Check ranges.
    pub fn check(&self) -> Result<()> {
        let bad = |m: &str| Err(crate::Error::InvalidParameter(m.to_string()));
        if !(8..=26).contains(&self.hash_bits) {
            return bad("hash bits must be in 8..=26");
        }
        if self.char_max > 0 && (self.char_min == 0 || self.char_min > self.char_max) {
            return bad("character n-grams need 1 <= char_min <= char_max");
        }
        if !(self.global_weight.is_finite() && self.global_weight >= 0.0) {
            return bad("the global weight must be >= 0");
        }
        if !(self.lexicon_weight.is_finite() && self.lexicon_weight >= 0.0) {
            return bad("the lexicon weight must be >= 0");
        }
        if self.word_ngrams == 0 && self.char_max == 0 {
            return bad("at least one of word or character n-grams must be enabled");
        }
        Ok(())
    }
}

/// What to extract features for: a text and, for a stance row, the mention spans.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub text: &'a str,
    /// Character spans of the scored actor's mentions (empty: no located target).
    pub target_spans: &'a [(usize, usize)],
    /// Character spans of other actors' mentions.
    pub other_spans: &'a [(usize, usize)],
    /// Target key for conjoined copies (the topic or actor name), if any.
    pub target_key: Option<&'a str>,
}

impl<'a> Input<'a> {
    /// The input of a bias row: the sentence alone, with no target and no other actor.
    pub fn sentence(text: &'a str) -> Input<'a> {
        Input {
            text,
            target_spans: &[],
            other_spans: &[],
            target_key: None,
        }
    }
}

pub use crate::linear::sparse::SparseRow;

/// Feature hits of one input before weighting: (group, bucket, count), sorted by bucket
/// then group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawRow {
    pub entries: Vec<(u8, u32, u32)>,
}

impl RawRow {
    /// Count hits given as `bucket << 8 | group`.
    fn from_hits(mut hits: Vec<u64>) -> RawRow {
        hits.sort_unstable();
        let mut entries: Vec<(u8, u32, u32)> = Vec::with_capacity(hits.len() / 2);
        let mut last = u64::MAX;
        for h in hits {
            if h == last {
                entries.last_mut().expect("a previous entry").2 += 1;
            } else {
                entries.push(((h & 0xff) as u8, (h >> 8) as u32, 1));
                last = h;
            }
        }
        RawRow { entries }
    }
}

/// A hit as [`RawRow::from_hits`] takes it.
#[inline]
fn hit_key(g: u8, idx: u32) -> u64 {
    (idx as u64) << 8 | g as u64
}

/// Document frequency of every bucket over rows added one at a time.
#[derive(Debug, Clone)]
pub struct DfCounter {
    /// Rows containing each bucket.
    pub df: Vec<u32>,
    /// Rows added.
    pub rows: u64,
}

impl DfCounter {
    pub fn new(buckets: usize) -> DfCounter {
        DfCounter {
            df: vec![0; buckets],
            rows: 0,
        }
    }

    /// Add another counter's counts (of other rows).
    pub fn merge(&mut self, other: &DfCounter) {
        for (d, o) in self.df.iter_mut().zip(&other.df) {
            *d += o;
        }
        self.rows += other.rows;
    }

    /// Count the buckets of one row (a bucket in several groups of the row counts once:
    /// its entries are adjacent).
    pub fn add(&mut self, r: &RawRow) {
        let mut last = u32::MAX;
        for e in &r.entries {
            if e.1 != last {
                self.df[e.1 as usize] += 1;
                last = e.1;
            }
        }
        self.rows += 1;
    }
}

/// A bucket of a row with the readable names that landed in it.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedBucket {
    pub index: u32,
    pub value: f32,
    /// Distinct feature names hashed to this bucket (more than one only on a collision).
    pub names: Vec<String>,
    /// Character spans of the text each occurrence was built from.
    pub spans: Vec<(usize, usize)>,
}

pub const GROUPS: usize = 16;
/// Feature groups; a group's conjoined copies are group + `G_CONJOINED`.
pub const G_WORD: u8 = 0;
pub const G_CHAR: u8 = 1;
pub const G_CONTEXT: u8 = 2;
pub const G_LEXICON: u8 = 3;
pub const G_CONJOINED: u8 = 4;
/// Cue words (the `cues` extra), normalized on their own; conjoined copies in
/// `G_CUE + G_CONJOINED`.
pub const G_CUE: u8 = 8;
/// Surface shape of the sentence (the `shape` extra); conjoined copies in
/// `G_SHAPE + G_CONJOINED`.
pub const G_SHAPE: u8 = 9;

/// Which groups [`Extractor::hits_from_tokens`] emits: a bit per group (`1 << G_WORD`, ...),
/// conjoined copies going with their group.
pub type Blocks = u16;
/// Every group.
pub const ALL_BLOCKS: Blocks = 0xffff;
/// Only the character n-grams: for a stance row they depend on the set of all mentions
/// but not on which actor is the target, so one sentence's actors can share them.
pub const CHAR_BLOCK: Blocks = 1 << G_CHAR;

/// Words that flip the polarity of the sentiment words after them (up to 3 tokens).
const NEGATORS: &[&str] = &[
    "not", "no", "never", "without", "nor", "neither", "hardly", "barely", "scarcely", "nothing",
    "none", "nobody", "cannot", "lack", "lacks", "lacked", "rarely", "seldom",
];

/// Class of a cue word of subjective or attributed language, for the `cues` extra.
/// Hand-written for this project: single lowercase tokens as the tokenizer gives them
/// ("so-called" is matched as the three tokens `so - called` in the extractor).
pub(crate) fn cue_class(t: &str) -> Option<&'static str> {
    Some(match t {
        // Hedges: the writer holds back from the claim.
        "may" | "might" | "could" | "perhaps" | "maybe" | "possibly" | "probably" | "likely"
        | "unlikely" | "apparently" | "reportedly" | "allegedly" | "seemingly" | "supposedly"
        | "purportedly" | "presumably" | "arguably" | "seems" | "seem" | "seemed" | "appears"
        | "appeared" | "suggests" | "suggested" | "suggesting" | "somewhat" | "roughly"
        | "estimated" | "believed" | "rumored" | "unclear" | "uncertain" | "unconfirmed"
        | "unproven" | "potentially" | "possible" | "partly" | "largely" | "tends"
        | "indicates" | "suspected" | "speculation" => "hedge",
        // Factive verbs: what follows is presented as true.
        "realize" | "realized" | "realizes" | "reveal" | "revealed" | "reveals" | "revealing"
        | "admit" | "admitted" | "admits" | "acknowledge" | "acknowledged" | "acknowledges"
        | "knew" | "discovered" | "learned" | "noticed" | "recognized" | "regret" | "regrets"
        | "regretted" | "confirmed" | "confirms" | "proved" | "proven" | "exposed" | "exposes"
        | "uncovered" | "demonstrated" | "conceded" | "concedes" => "factive",
        // Assertive verbs: what follows is one side's claim.
        "claim" | "claimed" | "claims" | "claiming" | "insist" | "insisted" | "insists"
        | "contend" | "contended" | "contends" | "allege" | "alleged" | "alleges" | "assert"
        | "asserted" | "asserts" | "argue" | "argued" | "argues" | "arguing" | "maintained"
        | "maintains" | "accused" | "accuses" | "accusing" | "declared" | "declares" | "swore"
        | "vowed" | "vows" | "boasted" | "boasts" | "denied" | "denies" | "disputed" | "touted"
        | "touts" | "trumpeted" | "professed" => "assertive",
        // Reporting and attribution.
        "said" | "says" | "say" | "saying" | "told" | "tells" | "according" | "stated"
        | "statement" | "announced" | "announces" | "added" | "noted" | "notes" | "explained"
        | "reported" | "wrote" | "writes" | "commented" | "remarked" | "spokesman"
        | "spokeswoman" | "spokesperson" | "interview" | "quoted" | "responded" | "replied"
        | "testified" | "described" => "report",
        // Boosters and intensifiers.
        "very" | "extremely" | "utterly" | "totally" | "completely" | "absolutely" | "entirely"
        | "highly" | "incredibly" | "really" | "truly" | "deeply" | "clearly" | "obviously"
        | "definitely" | "certainly" | "undoubtedly" | "surely" | "indeed" | "hugely"
        | "massively" | "enormously" | "wildly" | "literally" | "seriously" | "vastly"
        | "remarkably" | "exceptionally" | "particularly" | "greatly" | "tremendously"
        | "overwhelmingly" | "unprecedented" | "ever" => "booster",
        // Loaded words common in partisan news writing.
        "regime" | "radical" | "radicals" | "extremist" | "extremists" | "slammed" | "slams"
        | "blasted" | "blasts" | "lashed" | "ripped" | "rips" | "bashed" | "bashing" | "thug"
        | "thugs" | "mob" | "hysteria" | "hysterical" | "scheme" | "propaganda" | "elites"
        | "leftist" | "leftists" | "socialist" | "fascist" | "racist" | "bigot" | "bigoted"
        | "aliens" | "invasion" | "crusade" | "agenda" | "rant" | "ranted" | "tirade"
        | "meltdown" | "draconian" | "lavish" | "notorious" | "infamous" | "embattled"
        | "disgraced" | "bogus" | "sham" | "hoax" | "woke" | "rhetoric" | "spewed" | "caved"
        | "hardline" | "zealots" | "zealot" | "onslaught" | "brazen" | "unhinged"
        | "radicalized" => "loaded",
        _ => return None,
    })
}

/// Tokens that end a clause.
fn is_clause_break(t: &str) -> bool {
    matches!(
        t,
        "," | ";"
            | ":"
            | "."
            | "!"
            | "?"
            | "("
            | ")"
            | "\""
            | "—"
            | "–"
            | "but"
            | "while"
            | "whereas"
            | "although"
            | "though"
            | "however"
            | "yet"
            | "meanwhile"
    )
}

/// VADER valence of a normalized token, if it is a sentiment word.
///
/// `vader_sentiment::LEXICON` is keyed case-insensitively and hashed with SipHash; this
/// copy is keyed by the lowercased word in a [`crate::text::strtable::StrTable`] (tokens are
/// usually lowercase already), which made lookups several times cheaper. Same answers
/// (tested).
pub(crate) fn valence(t: &str) -> Option<f64> {
    static TABLE: std::sync::OnceLock<crate::text::strtable::StrTable<f64>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = crate::text::strtable::StrTable::default();
        for (k, &v) in vader_sentiment::LEXICON.iter() {
            table.get_or_insert_with(&k.to_lowercase(), || v);
        }
        table
    });
    let find = |t: &str| table.get(t.as_bytes()).copied();
    if t.chars().any(char::is_uppercase) {
        find(&t.to_lowercase())
    } else {
        find(t)
    }
}

/// Extracts feature rows. Cheap to clone; thread-safe.
#[derive(Debug, Clone)]
pub struct Extractor {
    pub config: FeatureConfig,
    pub pipeline: TokenPipeline,
    /// IDF weight per bucket (empty when IDF is off or not fitted yet).
    pub idf: Vec<f32>,
}

impl Extractor {
    pub fn new(config: FeatureConfig, pipeline: TokenPipeline) -> Self {
        Extractor {
            config,
            pipeline,
            idf: Vec::new(),
        }
    }

    /// Tokens of a text.
    pub fn tokens(&self, text: &str) -> Result<Vec<Token>> {
        self.pipeline.tokenize(text)
    }

    /// Learn IDF weights from raw rows: `idf = ln((1+n)/(1+df)) + 1` per bucket.
    pub fn fit_idf<'a>(&mut self, rows: impl Iterator<Item = &'a RawRow>) {
        use rayon::prelude::*;
        // One counter per core over a contiguous share of the rows, then summed.
        let rows: Vec<&RawRow> = rows.collect();
        let buckets = self.config.buckets();
        let share = rows.len().div_ceil(rayon::current_num_threads()).max(1);
        let counter = rows
            .par_chunks(share)
            .map(|part| {
                let mut c = DfCounter::new(buckets);
                for r in part {
                    c.add(r);
                }
                c
            })
            .reduce_with(|mut a, b| {
                a.merge(&b);
                a
            })
            .unwrap_or_else(|| DfCounter::new(buckets));
        self.set_idf(&counter);
    }

    /// Set IDF weights from document frequencies (cleared when IDF is off).
    pub fn set_idf(&mut self, counter: &DfCounter) {
        if !self.config.idf {
            self.idf.clear();
            return;
        }
        let n = counter.rows;
        self.idf = counter
            .df
            .iter()
            .map(|&d| (((1 + n) as f64 / (1 + d as u64) as f64).ln() + 1.0) as f32)
            .collect();
    }

    /// Counted (group, bucket) hits of an input, before weighting.
    pub fn raw(&self, input: &Input) -> Result<RawRow> {
        let mut hits: Vec<u64> = Vec::with_capacity(1024);
        self.visit(input, false, &mut |g, idx, _, _| hits.push(hit_key(g, idx)))?;
        Ok(RawRow::from_hits(hits))
    }

    /// The weighted, normalized sparse row of an input.
    pub fn row(&self, input: &Input) -> Result<SparseRow> {
        Ok(self.weigh(&self.raw(input)?))
    }

    /// The row and, for each bucket, the readable feature names that produced it.
    pub fn row_named(&self, input: &Input) -> Result<(SparseRow, Vec<NamedBucket>)> {
        let tokens = self.pipeline.tokenize(input.text)?;
        Ok(self.row_named_from_tokens(&tokens, input))
    }

    /// [`Extractor::row_named`] for a text already tokenized with this pipeline.
    pub fn row_named_from_tokens(
        &self,
        tokens: &[Token],
        input: &Input,
    ) -> (SparseRow, Vec<NamedBucket>) {
        let mut hits: Vec<u64> = Vec::new();
        let mut names: Vec<(u32, String, (usize, usize))> = Vec::new();
        self.visit_tokens(
            tokens,
            input,
            ALL_BLOCKS,
            true,
            &mut |g, idx, name, span| {
                hits.push(hit_key(g, idx));
                names.push((idx, name.to_string(), span));
            },
        );
        let row = self.weigh(&RawRow::from_hits(hits));
        names.sort();
        let named = row
            .indices
            .iter()
            .zip(&row.values)
            .map(|(&index, &value)| {
                let at = names.partition_point(|(i, _, _)| *i < index);
                let mut b = NamedBucket {
                    index,
                    value,
                    names: Vec::new(),
                    spans: Vec::new(),
                };
                for (_, n, span) in names[at..].iter().take_while(|(i, _, _)| *i == index) {
                    if b.names.last() != Some(n) && !b.names.contains(n) {
                        b.names.push(n.clone());
                    }
                    b.spans.push(*span);
                }
                b
            })
            .collect();
        (row, named)
    }

    /// Sublinear TF x IDF per (group, bucket), L2 per group, then merge groups.
    pub fn weigh(&self, raw: &RawRow) -> SparseRow {
        let mut norms = [0f32; GROUPS];
        let mut values: Vec<f32> = Vec::with_capacity(raw.entries.len());
        for &(g, idx, count) in &raw.entries {
            let (v, sq) = self.value_sq(g, self.idf_of(idx), count);
            norms[g as usize] += sq;
            values.push(v);
        }
        let mut scale = [0f32; GROUPS];
        for (g, s) in scale.iter_mut().enumerate() {
            let n = norms[g].sqrt();
            *s = if n > 0.0 {
                self.group_weight(g as u8) / n
            } else {
                0.0
            };
        }
        let mut row = SparseRow {
            indices: Vec::with_capacity(values.len()),
            values: Vec::with_capacity(values.len()),
        };
        // The entries are sorted by bucket: the groups of one bucket are adjacent.
        for (&(g, idx, _), v) in raw.entries.iter().zip(values) {
            let v = v * scale[g as usize];
            if row.indices.last() == Some(&idx) {
                *row.values.last_mut().expect("a value per index") += v;
            } else {
                row.indices.push(idx);
                row.values.push(v);
            }
        }
        row
    }

    /// Call `sink(group, bucket, name, span)` for every feature occurrence of the input;
    /// `span` is the character range of the tokens the feature was built from.
    /// Without `named`, names are not given to the sink (it gets "").
    fn visit(&self, input: &Input, named: bool, sink: &mut Sink) -> Result<()> {
        let tokens = self.pipeline.tokenize(input.text)?;
        self.visit_tokens(&tokens, input, ALL_BLOCKS, named, sink);
        Ok(())
    }

    /// Push the hits of the selected groups of an input (tokenized with this extractor's
    /// pipeline) onto `hits`, unsorted and uncounted, each as `group << 32 | bucket`.
    pub fn hits_from_tokens(
        &self,
        tokens: &[Token],
        input: &Input,
        blocks: Blocks,
        hits: &mut Vec<u64>,
    ) {
        self.visit_tokens(tokens, input, blocks, false, &mut |g, idx, _, _| {
            hits.push((g as u64) << 32 | idx as u64)
        });
    }

    /// The character n-gram hits of every token (as [`Extractor::hits_from_tokens`] gives
    /// them for an input without mentions or target), each or-ed with `mark` when its
    /// token overlaps one of `spans`.
    pub fn char_hits_marked(
        &self,
        tokens: &[Token],
        spans: &[(usize, usize)],
        mark: u64,
        hits: &mut Vec<u64>,
    ) {
        let cfg = &self.config;
        if cfg.char_max == 0 {
            return;
        }
        let (mut name, mut conj_name) = (String::new(), String::new());
        let mut in_span = SpanCursor::new(spans);
        CHAR_CACHE.with_borrow_mut(|cache| {
            for t in tokens
                .iter()
                .filter(|t| t.text != TARGET && t.text != OTHER)
            {
                let (off, len) = cache.lookup(cfg, &t.text, None, &mut name, &mut conj_name);
                let m = if in_span.find(t).is_some() { mark } else { 0 };
                hits.extend(cache.arena[off..off + len].iter().map(|&h| h | m));
            }
        });
    }

    /// Call `f` with the character n-gram hits (`group << 32 | bucket`, no conjoined
    /// copies) of one word, as [`Extractor::char_hits_marked`] gives them for it.
    pub fn word_char_hits<R>(&self, word: &str, f: impl FnOnce(&[u64]) -> R) -> R {
        let (mut name, mut conj_name) = (String::new(), String::new());
        CHAR_CACHE.with_borrow_mut(|cache| {
            let (off, len) = cache.lookup(&self.config, word, None, &mut name, &mut conj_name);
            f(&cache.arena[off..off + len])
        })
    }

    /// Whether character n-grams are counted once per word (the `char-words` extra), so
    /// that a row's character group is a sum of per-word vectors.
    pub fn counts_char_words(&self) -> bool {
        self.config.extras.char_words && self.config.char_max > 0
    }

    /// Whether rows of located targets (with mention spans) get conjoined copies of their
    /// character n-grams (then those differ between the actors of a sentence).
    pub fn conjoins_located_targets(&self) -> bool {
        self.config.conjoin == Conjoin::Always
    }

    /// The value of a hit of group `g` counted `count` times in a row (TF x IDF, before
    /// the per-group normalization) and its share of the group's squared norm: the
    /// value's square, or for character n-grams counted per word (the `char-words`
    /// extra) `count x idf^2`, which adds up over the words.
    #[inline(always)]
    pub fn value_sq(&self, g: u8, idf: f32, count: u32) -> (f32, f32) {
        if self.config.extras.char_words && g % G_CONJOINED == G_CHAR && g < G_CUE {
            let v = count as f32 * idf;
            (v, v * idf)
        } else {
            let v = self.tf(count) * idf;
            (v, v * v)
        }
    }

    /// The IDF of a bucket (1 when IDF is off).
    #[inline]
    pub fn idf_of(&self, idx: u32) -> f32 {
        idf_at(&self.idf, idx)
    }

    #[inline]
    pub fn tf(&self, count: u32) -> f32 {
        if count == 1 {
            // Most hits occur once; 1 + ln 1 = 1 either way.
            return 1.0;
        }
        let count = count as f32;
        if self.config.sublinear_tf {
            1.0 + count.ln()
        } else {
            count
        }
    }

    /// The factor applied to a group after its L2 normalization.
    #[inline]
    pub fn group_weight(&self, g: u8) -> f32 {
        // Whole-sentence word and character n-grams, and cue words (sentence-level cues
        // like the n-grams: weighted as those measured best), get the global weight.
        let base = if g >= G_CUE {
            G_CUE + (g - G_CUE) % G_CONJOINED
        } else {
            g % G_CONJOINED
        };
        if base <= G_CHAR || base == G_CUE || base == G_SHAPE {
            self.config.global_weight
        } else if base == G_LEXICON {
            self.config.lexicon_weight
        } else {
            1.0
        }
    }

    /// [`Extractor::row`] for a text already tokenized with this extractor's pipeline
    /// (several actors of one sentence share one tokenization).
    pub fn row_from_tokens(&self, tokens: &[Token], input: &Input) -> SparseRow {
        let mut hits: Vec<u64> = Vec::with_capacity(1024);
        self.visit_tokens(tokens, input, ALL_BLOCKS, false, &mut |g, idx, _, _| {
            hits.push(hit_key(g, idx))
        });
        self.weigh(&RawRow::from_hits(hits))
    }

    /// Call `sink(group, bucket, name, span)` for every feature occurrence of the selected
    /// groups of a tokenized input. Without `named`, the sink gets "" for a name, and the
    /// character n-gram buckets of a word come from a per-thread cache.
    fn visit_tokens(
        &self,
        tokens: &[Token],
        input: &Input,
        blocks: Blocks,
        named: bool,
        sink: &mut Sink,
    ) {
        let cfg = &self.config;
        let on = |g: u8| blocks & (1 << g) != 0;
        let (masked, spans) = mask(tokens, input.target_spans, input.other_spans);
        let mask_bits = (1u64 << cfg.hash_bits) - 1;
        let conj = match (cfg.conjoin, input.target_key) {
            (Conjoin::Always | Conjoin::Context, Some(k)) => Some(k),
            (Conjoin::Topics, Some(k)) if input.target_spans.is_empty() => Some(k),
            _ => None,
        };
        // Lowest group that gets conjoined copies.
        let conj_from = if cfg.conjoin == Conjoin::Context && !input.target_spans.is_empty() {
            G_CONTEXT
        } else {
            G_WORD
        };
        // Character n-grams inside word boundaries (" word "), from the per-thread cache
        // when names are not needed (first, so the cache and the sink are not borrowed by
        // `emit` below).
        let char_on = cfg.char_max > 0 && on(G_CHAR);
        if char_on && !named {
            let words = masked
                .iter()
                .enumerate()
                .filter(|(_, t)| **t != TARGET && **t != OTHER);
            let mut name = String::with_capacity(64);
            let mut conj_name = String::with_capacity(96);
            // A word's n-grams, and so its buckets, depend only on the word, the
            // n-gram settings and the conjoined key: a cache keyed by those replaces
            // building and hashing the names of every word seen before.
            let conj_key = conj.filter(|_| G_CHAR >= conj_from);
            CHAR_CACHE.with_borrow_mut(|cache| {
                for (i, t) in words {
                    let (off, len) = cache.lookup(cfg, t, conj_key, &mut name, &mut conj_name);
                    let span = spans[i];
                    for &h in &cache.arena[off..off + len] {
                        sink((h >> 32) as u8, h as u32, "", span);
                    }
                }
            });
        }
        // The same with their names, as `CharCache::lookup` hashes them.
        if char_on && named {
            let (lo, hi) = (cfg.char_min as usize, cfg.char_max as usize);
            let words = masked
                .iter()
                .enumerate()
                .filter(|(_, t)| **t != TARGET && **t != OTHER);
            let conj_key = conj
                .filter(|_| G_CHAR >= conj_from)
                .map(|k| (k, xxh3_64(k.as_bytes())));
            let (mut name, mut conj_name) = (String::new(), String::new());
            // The word's hits so far (`group << 32 | bucket`), with `char-words`.
            let mut seen: Vec<u64> = Vec::new();
            for (i, t) in words {
                let span = spans[i];
                seen.clear();
                let mut once = |g: u8, idx: u32, name: &str| {
                    let h = (g as u64) << 32 | idx as u64;
                    if !cfg.extras.char_words || !seen.contains(&h) {
                        seen.push(h);
                        sink(g, idx, name, span);
                    }
                };
                char_grams(t, lo, hi, &mut name, &mut |gram| {
                    let h = name_hash(gram, G_CHAR);
                    once(G_CHAR, (h & mask_bits) as u32, gram);
                    if let Some(key) = conj_key {
                        let g2 = G_CHAR + G_CONJOINED;
                        let h = conjoined(cfg, h, gram, key, g2, true, &mut conj_name);
                        once(g2, (h & mask_bits) as u32, &conj_name);
                    }
                });
            }
        }
        let token_hash = cfg.extras.token_hash;
        // Names are built when the sink wants them or when they are what is hashed.
        let need_names = named || !token_hash;
        let token_hashes: Vec<u64> = if token_hash {
            masked.iter().map(|t| xxh3_64(t.as_bytes())).collect()
        } else {
            Vec::new()
        };
        let key_hash = conj.map_or(0, |k| xxh3_64(k.as_bytes()));
        let mut conj_name = String::with_capacity(96);
        // Emit feature `name` of group `g`, hashed to `pre` (its bucket before masking),
        // built from masked tokens a..b. `name` is "" when names are not needed.
        let mut emit = |g: u8, pre: u64, name: &str, a: usize, b: usize| {
            let span = (spans[a].0, spans[b - 1].1);
            sink(g, (pre & mask_bits) as u32, name, span);
            if let Some(k) = conj.filter(|_| g >= conj_from) {
                let g2 = g + G_CONJOINED;
                let h = conjoined(
                    cfg,
                    pre,
                    name,
                    (k, key_hash),
                    g2,
                    need_names,
                    &mut conj_name,
                );
                sink(g2, (h & mask_bits) as u32, &conj_name, span);
            }
        };
        let mut name = String::with_capacity(64);
        let grams = |name: &mut String,
                     g: u8,
                     prefix: &str,
                     a: usize,
                     b: usize,
                     max_n: usize,
                     emit: &mut dyn FnMut(u8, u64, &str, usize, usize)| {
            // The n-grams starting at one token are prefixes of each other: grow one
            // name, or one composed hash.
            let seed = if token_hash { name_hash(prefix, g) } else { 0 };
            name.clear();
            for s in a..b {
                let mut state = seed;
                if need_names {
                    name.clear();
                    name.push_str(prefix);
                }
                for e in s..(s + max_n).min(b) {
                    if need_names {
                        if e > s {
                            name.push(' ');
                        }
                        name.push_str(masked[e]);
                    }
                    let pre = if token_hash {
                        state = compose_step(state, token_hashes[e]);
                        finish_hash(state)
                    } else {
                        name_hash(name, g)
                    };
                    emit(g, pre, name, s, e + 1);
                }
            }
        };
        // Word n-grams.
        if on(G_WORD) {
            grams(
                &mut name,
                G_WORD,
                "w|",
                0,
                masked.len(),
                cfg.word_ngrams as usize,
                &mut emit,
            );
        }
        let target_pos = masked.iter().position(|t| *t == TARGET);
        // Clause of the target: between the nearest clause breaks around it.
        let clause = target_pos.map(|p| {
            let a = masked[..p]
                .iter()
                .rposition(|t| is_clause_break(t))
                .map_or(0, |i| i + 1);
            let b = masked[p + 1..]
                .iter()
                .position(|t| is_clause_break(t))
                .map_or(masked.len(), |i| p + 1 + i);
            (a, b)
        });
        if let Some(p) = target_pos.filter(|_| on(G_CONTEXT)) {
            let n = masked.len();
            if cfg.context {
                grams(&mut name, G_CONTEXT, "l|", 0, p, 2, &mut emit);
                grams(&mut name, G_CONTEXT, "r|", p + 1, n, 2, &mut emit);
            }
            if cfg.window > 0 {
                let w = cfg.window as usize;
                grams(
                    &mut name,
                    G_CONTEXT,
                    "nl|",
                    p.saturating_sub(w),
                    p,
                    2,
                    &mut emit,
                );
                grams(
                    &mut name,
                    G_CONTEXT,
                    "nr|",
                    p + 1,
                    (p + 1 + w).min(n),
                    2,
                    &mut emit,
                );
            }
            if cfg.clause {
                if let Some((a, b)) = clause {
                    grams(&mut name, G_CONTEXT, "k|", a, b, 2, &mut emit);
                }
            }
        }
        if cfg.lexicon && on(G_LEXICON) {
            let mut negated_until = 0usize;
            for (i, t) in masked.iter().enumerate() {
                if NEGATORS.contains(t) || (*t == "t" && i > 0 && masked[i - 1] == "'") {
                    negated_until = i + 4;
                    continue;
                }
                let Some(v) = valence(t) else { continue };
                let flipped = i < negated_until;
                let positive = (v > 0.0) != flipped;
                let pol = if positive { "pos" } else { "neg" };
                let strength = if v.abs() >= 2.0 { "strong" } else { "weak" };
                let mut lex = |parts: &[&str]| {
                    name.clear();
                    name.push_str("x|");
                    for (j, part) in parts.iter().enumerate() {
                        if j > 0 {
                            name.push('|');
                        }
                        name.push_str(part);
                    }
                    emit(G_LEXICON, name_hash(&name, G_LEXICON), &name, i, i + 1);
                };
                lex(&[pol]);
                lex(&[pol, strength]);
                if flipped {
                    lex(&["negated", t]);
                }
                if let Some(p) = target_pos {
                    let side = if i < p { "l" } else { "r" };
                    let d = i.abs_diff(p);
                    let dist = if d <= 3 {
                        "near"
                    } else if d <= 8 {
                        "mid"
                    } else {
                        "far"
                    };
                    lex(&[pol, side]);
                    lex(&[pol, dist]);
                    lex(&[pol, side, dist]);
                    if clause.is_some_and(|(a, b)| a <= i && i < b) {
                        lex(&[pol, "clause", strength]);
                    }
                }
            }
        }
        if cfg.extras.shape && on(G_SHAPE) && !masked.is_empty() {
            let bucket = |n: usize| match n {
                0 => None,
                1 => Some("1"),
                2 | 3 => Some("2"),
                _ => Some("4"),
            };
            let mut shape = |feature: &str, i: usize| {
                emit(G_SHAPE, name_hash(feature, G_SHAPE), feature, i, i + 1);
            };
            let count = |f: &dyn Fn(&str) -> bool| masked.iter().filter(|t| f(t)).count();
            let last = masked.len() - 1;
            if let Some(b) = bucket(count(&|t| t == "!")) {
                shape(&format!("s|excl|{b}"), last);
            }
            if let Some(b) = bucket(count(&|t| t == "?")) {
                shape(&format!("s|quest|{b}"), last);
            }
            // ALL-CAPS words of three letters or more, in the original text.
            let mut caps = 0;
            let mut first_caps = 0;
            for (i, t) in masked.iter().enumerate() {
                if [TARGET, OTHER].contains(t)
                    || t.chars().filter(|c| c.is_alphabetic()).count() < 3
                {
                    continue;
                }
                let (a, b) = spans[i];
                let original: String = input.text.chars().skip(a).take(b - a).collect();
                if original
                    .chars()
                    .all(|c| !c.is_alphabetic() || c.is_uppercase())
                {
                    if caps == 0 {
                        first_caps = i;
                    }
                    caps += 1;
                }
            }
            if let Some(b) = bucket(caps) {
                shape(&format!("s|caps|{b}"), first_caps);
            }
            // Quotation marks: one or two words between an opening and a closing mark are
            // scare quotes; an ASCII apostrophe opens only after a space (not "isn't").
            let is_quote = |t: &str| matches!(t, "\"" | "“" | "”" | "‘" | "’" | "'" | "«" | "»");
            let mut scare_marks = vec![false; masked.len()];
            for (q, t) in masked.iter().enumerate() {
                if !is_quote(t) || scare_marks[q] {
                    continue;
                }
                if *t == "'" && q > 0 && spans[q - 1].1 == spans[q].0 {
                    continue;
                }
                let close = (q + 2..(q + 4).min(masked.len())).find(|&c| is_quote(masked[c]));
                if let Some(c) = close {
                    let words = &masked[q + 1..c];
                    if words.iter().all(|w| w.chars().any(char::is_alphanumeric)) {
                        scare_marks[q] = true;
                        scare_marks[c] = true;
                        shape("s|scare", q + 1);
                    }
                }
            }
            if let Some(q) = (0..masked.len())
                .find(|&q| !scare_marks[q] && matches!(masked[q], "\"" | "“" | "”" | "«" | "»"))
            {
                shape("s|quote", q);
            }
            for (i, t) in masked.iter().enumerate() {
                let person = match *t {
                    "i" | "me" | "my" | "mine" | "myself" => "s|p1sg",
                    "we" | "us" | "our" | "ours" | "ourselves" => "s|p1pl",
                    "you" | "your" | "yours" | "yourself" | "yourselves" => "s|p2",
                    _ => continue,
                };
                shape(person, i);
            }
        }
        // Cue words read how a sentence attributes and colours what it says about a named
        // actor, or the sentence itself (the bias head); for a topic that is not named
        // in the text they are not used.
        let topic_row = input.target_key.is_some() && input.target_spans.is_empty();
        if cfg.extras.cues && on(G_CUE) && !topic_row {
            for (i, t) in masked.iter().enumerate() {
                let so_called =
                    *t == "called" && i >= 2 && masked[i - 1] == "-" && masked[i - 2] == "so";
                let Some(class) = (if so_called {
                    Some("loaded")
                } else {
                    cue_class(t)
                }) else {
                    continue;
                };
                let mut cue = |parts: &[&str]| {
                    name.clear();
                    name.push_str("b|");
                    name.push_str(class);
                    for part in parts {
                        name.push('|');
                        name.push_str(part);
                    }
                    emit(G_CUE, name_hash(&name, G_CUE), &name, i, i + 1);
                };
                cue(&[]);
                cue(&[if so_called { "so-called" } else { t }]);
                if let Some(p) = target_pos {
                    let side = if i < p { "l" } else { "r" };
                    cue(&[side]);
                    if i.abs_diff(p) <= 3 {
                        cue(&[side, "near"]);
                    }
                    if clause.is_some_and(|(a, b)| a <= i && i < b) {
                        cue(&["clause"]);
                    }
                }
            }
        }
    }
}

/// The hash of a feature name in group `g` (its bucket is the low bits).
#[inline]
pub fn name_hash(name: &str, g: u8) -> u64 {
    xxh3_64_with_seed(name.as_bytes(), g as u64)
}

/// Fold the hash of the next token into the state of an n-gram's hash (order matters).
#[inline]
fn compose_step(state: u64, token: u64) -> u64 {
    (state ^ token)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .rotate_left(29)
}

/// The hash of an n-gram from its composed state: MurmurHash3's 64-bit finalizer, so that
/// every bit of the state reaches the low bits that pick the bucket.
#[inline]
fn finish_hash(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// The IDF of bucket `idx` in `idf` (1 when IDF is off, `idf` empty).
#[inline]
pub fn idf_at(idf: &[f32], idx: u32) -> f32 {
    idf.get(idx as usize).copied().unwrap_or(1.0)
}

/// The hash of the conjoined copy (group `g2`) of feature `name`, hashed to `pre`, for the
/// target key `key` (with its hash). With the `token-hash` extra it is composed from the
/// two hashes; without, it is the hash of the name `key#name`. That name is left in
/// `conj_name` when it is hashed or `want_name` (otherwise `conj_name` is untouched).
#[inline]
fn conjoined(
    cfg: &FeatureConfig,
    pre: u64,
    name: &str,
    (key, key_hash): (&str, u64),
    g2: u8,
    want_name: bool,
    conj_name: &mut String,
) -> u64 {
    if want_name || !cfg.extras.token_hash {
        conj_name.clear();
        conj_name.push_str(key);
        conj_name.push('#');
        conj_name.push_str(name);
    }
    if cfg.extras.token_hash {
        finish_hash(compose_step(
            compose_step(pre, key_hash),
            0x5851_f42d_4c95_7f2d ^ g2 as u64,
        ))
    } else {
        name_hash(conj_name, g2)
    }
}

/// Call `f` with the name (`c|` + n-gram) of every character n-gram of length lo..=hi of
/// `" word "`, using `name` as the buffer. The n-grams starting at one character are
/// prefixes of each other, so one name grows through them.
fn char_grams(word: &str, lo: usize, hi: usize, name: &mut String, f: &mut dyn FnMut(&str)) {
    let padded = format!(" {word} ");
    // bounds[j]: byte offset of character j of " word "; bounds.len() - 1 characters.
    let mut bounds: Vec<usize> = padded.char_indices().map(|(o, _)| o).collect();
    bounds.push(padded.len());
    let n_chars = bounds.len() - 1;
    for start in 0..n_chars {
        let last = hi.min(n_chars - start);
        if lo > last {
            continue;
        }
        name.clear();
        name.push_str("c|");
        name.push_str(&padded[bounds[start]..bounds[start + lo - 1]]);
        for n in lo..=last {
            name.push_str(&padded[bounds[start + n - 1]..bounds[start + n]]);
            f(name);
        }
    }
}

/// Arena entries (buckets) the per-thread character n-gram cache holds before it starts
/// over: 8 MB per thread.
const CHAR_CACHE_MAX: usize = 1 << 20;

/// Per-thread cache of the character n-gram buckets of words (see `visit_tokens`).
#[derive(Default)]
struct CharCache {
    /// Key (settings, conjoined key, word) -> range of `arena`.
    map: std::collections::HashMap<Box<[u8]>, (u32, u32), xxhash_rust::xxh3::Xxh3Builder>,
    /// `group << 32 | bucket` of each n-gram, in emission order.
    arena: Vec<u64>,
    /// Reused key buffer.
    key: Vec<u8>,
}

impl CharCache {
    /// The range of `arena` holding the character n-gram hits (`group << 32 | bucket`) of
    /// `word` under `cfg`, with conjoined copies for `conj_key`; computed on first sight.
    fn lookup(
        &mut self,
        cfg: &FeatureConfig,
        word: &str,
        conj_key: Option<&str>,
        name: &mut String,
        conj_name: &mut String,
    ) -> (usize, usize) {
        let key = &mut self.key;
        key.clear();
        key.extend_from_slice(&[
            cfg.hash_bits,
            cfg.char_min,
            cfg.char_max,
            cfg.extras.token_hash as u8 | (cfg.extras.char_words as u8) << 1,
        ]);
        if let Some(k) = conj_key {
            key.push(1);
            key.extend_from_slice(k.as_bytes());
            key.push(0);
        } else {
            key.push(0);
        }
        key.extend_from_slice(word.as_bytes());
        if let Some(&(off, len)) = self.map.get(&self.key[..]) {
            return (off as usize, len as usize);
        }
        if self.arena.len() >= CHAR_CACHE_MAX {
            self.map.clear();
            self.arena.clear();
        }
        let mask_bits = (1u64 << cfg.hash_bits) - 1;
        let off = self.arena.len();
        let arena = &mut self.arena;
        let (lo, hi) = (cfg.char_min as usize, cfg.char_max as usize);
        let key_hash = conj_key.map_or(0, |k| xxh3_64(k.as_bytes()));
        char_grams(word, lo, hi, name, &mut |gram| {
            let h = name_hash(gram, G_CHAR);
            arena.push((G_CHAR as u64) << 32 | (h & mask_bits));
            if let Some(k) = conj_key {
                let g2 = G_CHAR + G_CONJOINED;
                let h = conjoined(cfg, h, gram, (k, key_hash), g2, false, conj_name);
                arena.push((g2 as u64) << 32 | (h & mask_bits));
            }
        });
        if cfg.extras.char_words {
            // Each distinct bucket once per word.
            let mut word = arena.split_off(off);
            word.sort_unstable();
            word.dedup();
            arena.append(&mut word);
        }
        let len = arena.len() - off;
        self.map
            .insert(self.key.as_slice().into(), (off as u32, len as u32));
        (off, len)
    }
}

thread_local! {
    static CHAR_CACHE: std::cell::RefCell<CharCache> = std::cell::RefCell::new(CharCache::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valence_agrees_with_the_vader_lexicon() {
        let old = |t: &str| {
            vader_sentiment::LEXICON
                .get(&unicase::UniCase::new(t))
                .copied()
        };
        let mut n = 0;
        for k in vader_sentiment::LEXICON.keys() {
            for t in [k.to_string(), k.to_lowercase(), k.to_uppercase()] {
                assert_eq!(valence(&t), old(&t), "{t:?}");
                n += 1;
            }
        }
        for t in ["talks", "the", "", "<t>", "Détente", "ÉCHEC"] {
            assert_eq!(valence(t), old(t), "{t:?}");
        }
        assert!(n > 20_000, "{n}");
    }

    fn ex() -> Extractor {
        Extractor::new(FeatureConfig::default(), TokenPipeline::default())
    }

    /// The cached character n-grams (rows without names) give the rows built with names,
    /// for located targets, topics (conjoined copies) and other n-gram settings, on
    /// first sight of the words and on later ones.
    #[test]
    fn character_ngrams_count_once_per_word_with_char_words() {
        // " banana " has "ana" and "anan"... twice; the text has the word twice.
        let input = Input {
            text: "banana banana",
            target_spans: &[],
            other_spans: &[],
            target_key: None,
        };
        let char_counts = |char_words: bool| {
            let mut config = FeatureConfig {
                word_ngrams: 0,
                idf: false,
                ..FeatureConfig::default()
            };
            config.extras.char_words = char_words;
            let e = Extractor::new(config, TokenPipeline::default());
            let raw = e.raw(&input).unwrap();
            // (bucket, count) of each character n-gram bucket.
            let chars: Vec<(u32, u32)> = raw
                .entries
                .iter()
                .filter(|&&(g, _, _)| g == G_CHAR)
                .map(|&(_, i, c)| (i, c))
                .collect();
            (e, raw, chars)
        };
        let (_, _, per_occurrence) = char_counts(false);
        assert!(
            per_occurrence.iter().any(|&(_, c)| c == 4),
            "{per_occurrence:?}"
        );
        let (e, raw, per_word) = char_counts(true);
        assert!(per_word.iter().all(|&(_, c)| c == 2), "{per_word:?}");
        assert_eq!(per_word.len(), per_occurrence.len());
        // Linear TF, and the norm is sqrt(sum(count)) without IDF: each of the n buckets
        // gets global_weight x 2 / sqrt(2n).
        let row = e.weigh(&raw);
        let n = per_word.len() as f32;
        let want = e.config.global_weight * 2.0 / (2.0 * n).sqrt();
        for (i, v) in row.indices.iter().zip(&row.values) {
            if per_word.iter().any(|&(b, _)| b == *i) {
                assert!((v - want).abs() < 1e-6, "{v} vs {want}");
            }
        }
    }

    #[test]
    fn cached_character_ngrams_give_the_named_rows() {
        let text = "Oman's envoy praised the talks; Iran's minister called them a banana sham.";
        let spans = [(0usize, 4usize)];
        let others = [(31usize, 35usize)];
        let inputs = [
            Input {
                text,
                target_spans: &spans,
                other_spans: &others,
                target_key: Some("oman"),
            },
            Input {
                text,
                target_spans: &[],
                other_spans: &[],
                target_key: Some("talks"),
            },
            Input {
                text,
                target_spans: &[],
                other_spans: &[],
                target_key: None,
            },
        ];
        let narrow = FeatureConfig {
            char_min: 3,
            char_max: 4,
            conjoin: Conjoin::Always,
            ..FeatureConfig::default()
        };
        let mut occurrences = narrow.clone();
        occurrences.extras.char_words = false;
        for config in [FeatureConfig::default(), narrow, occurrences] {
            let e = Extractor::new(config, TokenPipeline::default());
            for _ in 0..2 {
                for input in &inputs {
                    let (named, _) = e.row_named(input).unwrap();
                    assert_eq!(e.row(input).unwrap(), named);
                }
            }
        }
    }

    #[test]
    fn masks_mentions_and_names_features() {
        let e = Extractor::new(
            FeatureConfig {
                context: true,
                ..FeatureConfig::default()
            },
            TokenPipeline::default(),
        );
        let text = "Oman praised the United States, not Iran.";
        let input = Input {
            text,
            target_spans: &[(17, 30)],
            other_spans: &[(0, 4), (36, 40)],
            target_key: None,
        };
        let toks = e.tokens(text).unwrap();
        let (m, spans) = mask(&toks, input.target_spans, input.other_spans);
        assert_eq!(m, ["<o>", "praised", "the", "<t>", ",", "not", "<o>", "."]);
        assert_eq!(spans[3], (17, 30));
        let (row, named) = e.row_named(&input).unwrap();
        let all: Vec<&str> = named
            .iter()
            .flat_map(|b| b.names.iter().map(|s| s.as_str()))
            .collect();
        for f in [
            "w|praised the <t>",
            "c|rai",
            "l|praised",
            "nr|not",
            "r|, not",
        ] {
            assert!(all.contains(&f), "missing {f}: {all:?}");
        }
        assert!(!all
            .iter()
            .any(|f| f.contains("united") || f.contains("oman")));
        // Rows are sorted and unique; each group is unit-norm, then the two global groups
        // (words, characters) are scaled by 0.5 and the lexicon by 0.25: 0.25 + 0.25 +
        // context 1 + lexicon 0.0625 ("praised" is a VADER word). Collisions could move
        // it slightly.
        assert!(row.indices.windows(2).all(|w| w[0] < w[1]));
        let sq: f32 = row.values.iter().map(|v| v * v).sum();
        assert!((sq - 1.5625).abs() < 0.05, "{sq}");
    }

    fn names(e: &Extractor, input: &Input) -> Vec<String> {
        let (_, named) = e.row_named(input).unwrap();
        named.into_iter().flat_map(|b| b.names).collect()
    }

    #[test]
    fn surface_shape_features() {
        let text =
            "WE will NOT accept these \"experts\" and their 'plan'! Isn't it? \"No,\" he said!!";
        let input = Input {
            text,
            target_spans: &[],
            other_spans: &[],
            target_key: None,
        };
        assert!(!names(&ex(), &input).iter().any(|n| n.starts_with("s|")));
        let mut config = FeatureConfig::default();
        config.extras.shape = true;
        let e = Extractor::new(config, TokenPipeline::default());
        let mut all: Vec<String> = names(&e, &input)
            .into_iter()
            .filter(|n| n.starts_with("s|"))
            .collect();
        all.sort();
        assert_eq!(
            all,
            [
                "s|caps|1",
                "s|excl|2",
                "s|p1pl",
                "s|quest|1",
                "s|quote",
                "s|scare"
            ],
            "{text}"
        );
        assert_eq!(
            e.group_weight(G_SHAPE + G_CONJOINED),
            e.config.global_weight
        );
    }

    #[test]
    fn cue_words_by_class_word_side_and_clause() {
        let text = "Oman said the so-called deal allegedly failed.";
        let input = Input {
            text,
            target_spans: &[(0, 4)],
            other_spans: &[],
            target_key: Some("oman"),
        };
        // On by default; off when switched off, and for a topic not named in the text.
        let mut off = FeatureConfig::default();
        off.extras.cues = false;
        let off = Extractor::new(off, TokenPipeline::default());
        assert!(!names(&off, &input).iter().any(|n| n.starts_with("b|")));
        let e = ex();
        let topic = Input {
            target_spans: &[],
            target_key: Some("trade deals"),
            ..input
        };
        assert!(!names(&e, &topic).iter().any(|n| n.contains("b|")));
        let sentence = Input {
            target_spans: &[],
            target_key: None,
            ..input
        };
        assert!(names(&e, &sentence)
            .iter()
            .any(|n| n == "b|hedge|allegedly"));
        let all = names(&e, &input);
        for f in [
            "b|report",
            "b|report|said",
            "b|report|r",
            "b|report|r|near",
            "b|loaded|so-called",
            "b|hedge|allegedly",
            "b|hedge|r",
            "oman#b|hedge|clause",
        ] {
            assert!(all.iter().any(|n| n == f), "missing {f}: {all:?}");
        }
        assert!(!all.iter().any(|n| n == "b|hedge|r|near"), "{all:?}");
        // Its own group, weighted as the whole-sentence n-grams.
        assert_eq!(e.group_weight(G_CUE), e.config.global_weight);
        assert_eq!(e.group_weight(G_CUE + G_CONJOINED), e.config.global_weight);
        assert_eq!(e.group_weight(G_LEXICON), 0.25);
        assert_eq!(e.group_weight(G_LEXICON + G_CONJOINED), 0.25);
    }

    /// The lexicon weight is stored with the feature family names when it is not 1, read
    /// back exactly, and 1 when absent (models written before it); a bad stored value or
    /// an unknown name is an error.
    #[test]
    fn lexicon_weight_is_stored_with_the_family_names() {
        let mut cfg = FeatureConfig {
            lexicon_weight: 0.1,
            ..FeatureConfig::default()
        };
        let names = cfg.family_names();
        assert!(
            names.contains(&"lexicon-weight=0.1".to_string()),
            "{names:?}"
        );
        let mut back = FeatureConfig {
            lexicon_weight: 7.0,
            extras: FeatureExtras::default(),
            ..cfg.clone()
        };
        back.set_family_names(&names).unwrap();
        assert_eq!(back, cfg);
        assert_eq!(back.extras, cfg.extras);
        cfg.lexicon_weight = 1.0;
        cfg.extras = FeatureExtras::default();
        assert!(cfg.family_names().is_empty());
        back.set_family_names(&["cues".to_string()]).unwrap();
        assert_eq!(back.lexicon_weight, 1.0);
        assert!(back.extras.cues && !back.extras.token_hash);
        for (bad, why) in [
            ("lexicon-weight=-1", "corrupt or foreign"),
            ("lexicon-weight=x", "corrupt or foreign"),
            ("lexicon-weight=NaN", "corrupt or foreign"),
            ("wide", "newer build"),
        ] {
            let e = back.set_family_names(&[bad.to_string()]).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn topics_are_conjoined_and_idf_downweights_common_buckets() {
        let mut e = ex();
        let a = Input {
            text: "God is great",
            target_spans: &[],
            other_spans: &[],
            target_key: Some("atheism"),
        };
        let (_, named) = e.row_named(&a).unwrap();
        assert!(named
            .iter()
            .any(|b| b.names.iter().any(|n| n == "atheism#w|god is")));
        let bucket = |name: &str| {
            named
                .iter()
                .find(|b| b.names.iter().any(|n| n == name))
                .unwrap_or_else(|| panic!("no bucket for {name}"))
                .index
        };
        let (is, god) = (bucket("w|is"), bucket("w|god"));
        let b = Input { text: "is it", ..a };
        let ra = e.raw(&a).unwrap();
        let rb = e.raw(&b).unwrap();
        e.fit_idf([&ra, &rb].into_iter());
        assert!(e.idf[is as usize] < e.idf[god as usize]);
    }

    /// The buckets of every named feature of a row, by name.
    fn buckets_by_name(e: &Extractor, input: &Input) -> std::collections::HashMap<String, u32> {
        let (_, named) = e.row_named(input).unwrap();
        let mut out = std::collections::HashMap::new();
        for b in named {
            for n in b.names {
                out.insert(n, b.index);
            }
        }
        out
    }

    /// Without the `token-hash` extra (models written before it), every bucket is still
    /// the hash of the feature's name, so those models keep reading the same features.
    #[test]
    fn models_without_token_hashing_hash_names() {
        let mut config = FeatureConfig {
            conjoin: Conjoin::Always,
            context: true,
            ..FeatureConfig::default()
        };
        config.extras.token_hash = false;
        let e = Extractor::new(config, TokenPipeline::default());
        let text = "Oman's envoy praised the talks; Iran's minister called them a sham.";
        let input = Input {
            text,
            target_spans: &[(0, 4)],
            other_spans: &[(31, 35)],
            target_key: Some("oman"),
        };
        let by_name = buckets_by_name(&e, &input);
        let mask = (1u64 << 20) - 1;
        let groups = [
            ("oman#", G_CONJOINED),
            ("w|", G_WORD),
            ("c|", G_CHAR),
            ("l|", G_CONTEXT),
            ("r|", G_CONTEXT),
            ("nl|", G_CONTEXT),
            ("nr|", G_CONTEXT),
            ("k|", G_CONTEXT),
            ("x|", G_LEXICON),
            ("b|", G_CUE),
        ];
        let mut checked = 0;
        for (name, &bucket) in &by_name {
            let (prefix, g) = groups.iter().find(|(p, _)| name.starts_with(p)).unwrap();
            let g = if *prefix == "oman#" {
                let base = &name[5..];
                let (_, g0) = groups[1..]
                    .iter()
                    .find(|(p, _)| base.starts_with(p))
                    .unwrap();
                g0 + g
            } else {
                *g
            };
            assert_eq!(bucket as u64, name_hash(name, g) & mask, "{name}");
            checked += 1;
        }
        assert!(checked > 200, "{checked}");
    }

    /// With the `token-hash` extra, an n-gram's bucket depends on its tokens in order and
    /// on its kind, not on where it stands; conjoined copies depend on the key.
    #[test]
    fn token_hashed_ngrams_are_positionless_and_ordered() {
        let e = Extractor::new(
            FeatureConfig {
                conjoin: Conjoin::Always,
                context: true,
                char_min: 2,
                ..FeatureConfig::default()
            },
            TokenPipeline::default(),
        );
        assert!(e.config.extras.token_hash);
        let row = |text, key| {
            buckets_by_name(
                &e,
                &Input {
                    text,
                    target_spans: &[(0, 4)],
                    other_spans: &[],
                    target_key: Some(key),
                },
            )
        };
        let a = row("Oman said peace talks resumed", "oman");
        let b = row(
            "Iran said talks peace resumed and peace talks stalled",
            "iran",
        );
        assert_eq!(a["w|peace talks"], b["w|peace talks"]);
        assert_eq!(a["w|<t> said"], b["w|<t> said"]);
        assert_ne!(b["w|peace talks"], b["w|talks peace"]);
        assert_ne!(a["w|peace talks"], a["r|peace talks"]);
        assert_ne!(a["r|peace talks"], a["k|peace talks"]);
        assert_ne!(a["oman#w|peace talks"], b["iran#w|peace talks"]);
        assert_ne!(a["oman#w|peace talks"], a["w|peace talks"]);
        assert_eq!(a["c| pea"], b["c| pea"]);
        assert_ne!(a["oman#c| pea"], b["iran#c| pea"]);
        // Distinct features rarely share a bucket: hashing stays spread.
        let distinct: std::collections::HashSet<u32> = b.values().copied().collect();
        assert!(
            distinct.len() + 2 >= b.len(),
            "{} of {}",
            distinct.len(),
            b.len()
        );
    }
}
