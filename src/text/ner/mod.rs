//! A learned, linear named-entity tagger: an averaged perceptron (Collins 2002) over
//! hashed features, decoding greedily left to right with BIO or BILOU tags over four
//! types ([`EntityKind`]). Every decision is a sum of the weights of named features, so
//! any span can be explained ([`NerTagger::explain`]).
//!
//! Self-contained: its own word tokenizer ([`tokens`]) with character offsets, its own
//! reader for the GMB extract ([`read_gmb_csv`]) and its own file format
//! ([`NerTagger::to_bytes`]).
//!
//! How a token is scored: each feature is a template number mixed with hashes of the
//! token and its neighbours ([`features`]); the mix picks one row of a flat
//! `buckets x tags` table of i16 weights, and the token's score per tag is the sum of
//! its rows (plus rows for the previous two tags). The features that depend on one word
//! only (its form, lower case, shapes, affixes, word classes, training statistics, and
//! the same seen from the neighbouring positions) are summed once per word and cached
//! in [`NerScratch`]; the rest are prefetched for the whole sentence before decoding.
//!
//! Per word, training also leaves statistics in the tagger (computed leave-one-sentence-out
//! while training): how often it is capitalized mid-sentence, its span-type and tag-part
//! (B/I/L/U) shares, and, given a [`WordClusters`] table, its GloVe cluster ids at three
//! granularities; the tagger file keeps them, so a stored tagger needs nothing else.
//!
//! Settings were chosen on the last tenth of the GMB training file (BILOU over BIO,
//! 3 epochs out of 1 to 12, pruning below 1.5; again 3 epochs out of 1 to 10 and pruning
//! 1.5 over 1.0 and 2.5 with the cluster and share features); the example `ner_gmb`
//! reports the figures, and `models/train-tagger.sh` trains the shipped tagger. The training data is the Groningen Meaning Bank (Bos, Basile, Evang,
//! Venhuizen, Bjerva, "The Groningen Meaning Bank", Handbook of Linguistic Annotation,
//! 2017), whose labels are partly silver.
//!
//! ```
//! use stance::{EntityKind, EntitySpan, NerParams, NerSentence};
//! let s = |text: &str, start: usize, end: usize| NerSentence {
//!     text: text.into(),
//!     entities: vec![EntitySpan { start, end, kind: EntityKind::Person }],
//! };
//! let train = vec![s("Yesterday Alice Smith spoke.", 10, 21), s("Later Bob Jones spoke.", 6, 15)];
//! let tagger = NerParams::default().epochs(5).buckets(1 << 12).prune(0.0).fit(&train)?;
//! assert_eq!(tagger.tag("Yesterday Alice Smith spoke."), train[0].entities);
//! # Ok::<(), stance::NerError>(())
//! ```

pub mod data;
pub mod eval;
pub mod features;
pub mod perceptron;
pub mod tokens;

pub use data::read_gmb_csv;
pub use eval::{evaluate, NerScores, SpanCounts};

use features::{HashMap, InfoScratch, TokInfo, WordLists, WordStat};
use perceptron::{best_valid, row_of, Trainer};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use std::fmt;
use xxhash_rust::xxh3::xxh3_64;

/// Entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    /// People, with their titles ("President Bush").
    Person,
    /// Organizations.
    Org,
    /// Countries, cities, regions and natural places.
    GpeOrLoc,
    /// Anything else named: mostly nationality words ("Iraqi"); times, artifacts, events.
    Other,
}

impl EntityKind {
    /// Number of kinds.
    pub const COUNT: usize = 4;
    /// All kinds in index order.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Org,
        EntityKind::GpeOrLoc,
        EntityKind::Other,
    ];
    /// Position in [`EntityKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
    /// The name used in the data ("PERSON", "ORG", "GPE_OR_LOC", "OTHER").
    pub fn name(self) -> &'static str {
        ["PERSON", "ORG", "GPE_OR_LOC", "OTHER"][self as usize]
    }
    /// The kind named `name` (as in [`EntityKind::name`]).
    pub fn parse(name: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A typed span of a sentence, in characters (code points), end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntitySpan {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Type.
    pub kind: EntityKind,
}

/// A sentence and its gold spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NerSentence {
    /// The text.
    pub text: String,
    /// Its entities, in order, not overlapping.
    pub entities: Vec<EntitySpan>,
}

/// How spans become one tag per token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagScheme {
    /// Begin, Inside, Outside (9 tags).
    Bio,
    /// Begin, Inside, Last, Unit, Outside (17 tags).
    Bilou,
}

impl TagScheme {
    fn parts(self) -> usize {
        match self {
            TagScheme::Bio => 2,
            TagScheme::Bilou => 4,
        }
    }
    /// Number of tags (O included).
    pub fn n_tags(self) -> usize {
        1 + EntityKind::COUNT * self.parts()
    }
    /// (kind, part) of a tag other than O; part 0 B, 1 I, 2 L, 3 U.
    pub(crate) fn split(self, tag: u8) -> Option<(usize, usize)> {
        (tag > 0).then(|| {
            (
                (tag as usize - 1) / self.parts(),
                (tag as usize - 1) % self.parts(),
            )
        })
    }
    fn tag(self, kind: EntityKind, part: usize) -> u8 {
        (1 + kind.index() * self.parts() + part) as u8
    }
    /// Tag name, "O" or e.g. "B-ORG".
    pub fn tag_name(self, tag: u8) -> String {
        match self.split(tag) {
            None => "O".into(),
            Some((k, p)) => format!("{}-{}", ["B", "I", "L", "U"][p], EntityKind::ALL[k].name()),
        }
    }
    /// Whether `tag` may follow `prev`; `last` is true at the sentence's last token.
    #[inline(always)]
    pub fn allowed(self, prev: u8, tag: u8, last: bool) -> bool {
        let p = self.split(prev);
        let t = self.split(tag);
        match self {
            TagScheme::Bio => match t {
                Some((k, 1)) => matches!(p, Some((pk, _)) if pk == k),
                _ => true,
            },
            TagScheme::Bilou => {
                let open = matches!(p, Some((_, 0 | 1)));
                match (open, t) {
                    (true, Some((k, part))) => {
                        p.map(|x| x.0) == Some(k) && (part == 2 || (part == 1 && !last))
                    }
                    (true, None) => false,
                    (false, None) => true,
                    (false, Some((_, part))) => part == 3 || (part == 0 && !last),
                }
            }
        }
    }
    /// Writes one span's tags.
    pub fn write_span(self, tags: &mut [u8], kind: EntityKind) {
        let n = tags.len();
        for (i, t) in tags.iter_mut().enumerate() {
            let part = match self {
                TagScheme::Bio => (i > 0) as usize,
                TagScheme::Bilou => {
                    if n == 1 {
                        3
                    } else if i == 0 {
                        0
                    } else if i + 1 == n {
                        2
                    } else {
                        1
                    }
                }
            };
            *t = self.tag(kind, part);
        }
    }
    /// Spans (token index ranges and kinds) from a tag sequence; tolerant of invalid
    /// sequences (an I without a B starts a span).
    pub fn spans(self, tags: &[u8], mut f: impl FnMut(usize, usize, EntityKind)) {
        let mut open: Option<(usize, usize)> = None; // (start token, kind)
        for (i, &t) in tags.iter().enumerate() {
            match self.split(t) {
                None => {
                    if let Some((s, k)) = open.take() {
                        f(s, i, EntityKind::ALL[k]);
                    }
                }
                Some((k, part)) => {
                    let continues =
                        part != 0 && part != 3 && matches!(open, Some((_, ok)) if ok == k);
                    if !continues {
                        if let Some((s, ok)) = open.take() {
                            f(s, i, EntityKind::ALL[ok]);
                        }
                        open = Some((i, k));
                    }
                    if part >= 2 && self == TagScheme::Bilou {
                        let (s, k) = open.take().unwrap_or((i, k));
                        f(s, i + 1, EntityKind::ALL[k]);
                    }
                }
            }
        }
        if let Some((s, k)) = open {
            f(s, tags.len(), EntityKind::ALL[k]);
        }
    }
}

/// Everything that can go wrong reading data, checking settings, training or loading.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// The CSV itself is unreadable at a line (bad quoting, wrong number of fields, I/O).
    #[error("{file}, line {line}: {message}")]
    Csv {
        /// The file's name.
        file: String,
        /// The line of the record (1-based).
        line: u64,
        /// What the reader reported.
        message: String,
    },
    /// A needed column is missing from the header.
    #[error("{file}: no column named '{column}' in the header")]
    MissingColumn {
        /// The file's name.
        file: String,
        /// The column's name.
        column: String,
    },
    /// The entities cell is not a JSON list of [start, end, TYPE].
    #[error("{file}, line {line}: entities are not a JSON list of [start, end, TYPE]: {message}")]
    EntitiesJson {
        /// The file's name.
        file: String,
        /// The line of the record (1-based).
        line: u64,
        /// What the reader reported.
        message: String,
    },
    /// A span type other than PERSON, ORG, GPE_OR_LOC, OTHER.
    #[error("{file}, line {line}: unknown entity type '{kind}' (expected PERSON, ORG, GPE_OR_LOC or OTHER)")]
    UnknownType {
        /// The file's name.
        file: String,
        /// The line of the record (1-based).
        line: u64,
        /// The type as written.
        kind: String,
    },
    /// A span offset beyond the text (or negative).
    #[error("{file}, line {line}: span {start}..{end} lies outside the text of {len} characters")]
    OffsetOutOfRange {
        /// The file's name.
        file: String,
        /// The line of the record (1-based).
        line: u64,
        /// The span's start (characters).
        start: usize,
        /// The span's end (characters, exclusive).
        end: usize,
        /// The text's length in characters.
        len: usize,
    },
    /// A span whose end is not after its start.
    #[error("{file}, line {line}: span {start}..{end} is empty or reversed")]
    EmptyOrReversedSpan {
        /// The file's name.
        file: String,
        /// The line of the record (1-based).
        line: u64,
        /// The span's start (characters).
        start: usize,
        /// The span's end (characters, exclusive).
        end: usize,
    },
    /// A span offset between two letters or digits of one word.
    #[error("{file}, line {line}: span offset {offset} cuts a word in two")]
    SplitsWord {
        /// The file's name.
        file: String,
        /// The line of the record (1-based).
        line: u64,
        /// The offset (characters).
        offset: usize,
    },
    /// Two spans share characters.
    #[error("{file}, line {line}: spans {first:?} and {second:?} overlap")]
    OverlappingSpans {
        /// The file's name.
        file: String,
        /// The line of the record (1-based).
        line: u64,
        /// The first span, as (start, end).
        first: (usize, usize),
        /// The second span, as (start, end).
        second: (usize, usize),
    },
    /// Settings: zero epochs.
    #[error("epochs must be at least 1")]
    ZeroEpochs,
    /// Settings: a weight table size out of range.
    #[error("buckets must be between {min} and {max}, not {buckets}")]
    BucketsOutOfRange {
        /// The size given.
        buckets: usize,
        /// The smallest size allowed.
        min: usize,
        /// The largest size allowed.
        max: usize,
    },
    /// Settings: quantization too coarse or too fine for i16.
    #[error("quantization levels must be between 15 and 32767, not {0}")]
    QuantizationLevels(u16),
    /// Settings: a prune threshold that is negative or not a number.
    #[error("prune threshold must be a finite number >= 0, not {0}")]
    PruneThreshold(f32),
    /// A word-cluster table line that is not `word<TAB>c64<TAB>c256<TAB>c1024`.
    #[error("word clusters, line {line}: {message}")]
    Clusters {
        /// The line of the record (1-based).
        line: usize,
        /// What the reader reported.
        message: String,
    },
    /// Training on no sentences.
    #[error("no training sentences")]
    EmptyTrainingSet,
    /// Bytes that do not start with the tagger file magic.
    #[error("not a stance NER tagger file (bad magic)")]
    NotATaggerFile,
    /// A tagger file written by a newer format version.
    #[error("tagger file format version {found} is newer than this build reads ({supported})")]
    NewerFormat {
        /// The file's version.
        found: u16,
        /// The newest version this build reads.
        supported: u16,
    },
    /// A tagger file that is truncated or inconsistent.
    #[error("corrupt tagger file: {0}")]
    CorruptFile(String),
}

/// Training settings (unchecked); see [`NerParams::check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NerParams {
    epochs: usize,
    seed: u64,
    buckets: usize,
    scheme: TagScheme,
    gate: bool,
    quant_levels: u16,
    prune: f32,
}

impl fmt::Display for NerParams {
    /// `averaged perceptron, BILOU tags, 3 epochs, 2^20 buckets, seed 42`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.scheme {
            TagScheme::Bio => "BIO",
            TagScheme::Bilou => "BILOU",
        };
        let buckets = match self.buckets.is_power_of_two() {
            true => format!("2^{}", self.buckets.trailing_zeros()),
            false => self.buckets.to_string(),
        };
        write!(
            f,
            "averaged perceptron, {scheme} tags, {} epochs, {buckets} buckets, seed {}",
            self.epochs, self.seed
        )
    }
}

/// Checked training settings, ready to [`ValidNerParams::fit`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidNerParams(NerParams);

impl Default for NerParams {
    fn default() -> Self {
        NerParams {
            epochs: 3,
            seed: 42,
            buckets: 1 << 20,
            scheme: TagScheme::Bilou,
            gate: false,
            quant_levels: 32767,
            prune: 1.5,
        }
    }
}

impl NerParams {
    /// Passes over the training data (default 3: best on a held-out tenth of the GMB
    /// training file, trying 1 to 12).
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }
    /// Seed of the per-epoch shuffle (default 42).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Rows of the hashed weight table (default 2^20 = 1,048,576).
    pub fn buckets(mut self, buckets: usize) -> Self {
        self.buckets = buckets;
        self
    }
    /// Tag scheme (default [`TagScheme::Bilou`], which beat BIO on held-out data).
    pub fn scheme(mut self, scheme: TagScheme) -> Self {
        self.scheme = scheme;
        self
    }
    /// Tag O without scoring a token that has no capital letter or digit, follows an O,
    /// is not on a short list of words that often begin spans ("two", "today", "past",
    /// ...) and has no capitalized word or number among the next two tokens (default
    /// false).
    pub fn gate(mut self, gate: bool) -> Self {
        self.gate = gate;
        self
    }
    /// Weights are stored as integers in -levels..=levels times a scale (default 32767;
    /// 2047 lost 0.002 micro F1 on held-out data).
    pub fn quant_levels(mut self, levels: u16) -> Self {
        self.quant_levels = levels;
        self
    }
    /// Weights (relative to O's) with absolute value below this are dropped (default
    /// 1.5: on a held-out tenth of the GMB training file, micro F1 0.8135 with a 3.35 MB
    /// file, against 0.8126 and 5.64 MB unpruned). The threshold is absolute: on a tiny
    /// training set, whose weights stay small, use 0.
    pub fn prune(mut self, threshold: f32) -> Self {
        self.prune = threshold;
        self
    }
    /// Whether gating is on.
    pub fn gate_enabled(&self) -> bool {
        self.gate
    }
    /// Checks the settings.
    pub fn check(&self) -> Result<ValidNerParams, NerError> {
        const MIN: usize = 1 << 10;
        const MAX: usize = 1 << 23;
        if self.epochs == 0 {
            return Err(NerError::ZeroEpochs);
        }
        if !(MIN..=MAX).contains(&self.buckets) {
            return Err(NerError::BucketsOutOfRange {
                buckets: self.buckets,
                min: MIN,
                max: MAX,
            });
        }
        if !(15..=32767).contains(&self.quant_levels) {
            return Err(NerError::QuantizationLevels(self.quant_levels));
        }
        if !(self.prune.is_finite() && self.prune >= 0.0) {
            return Err(NerError::PruneThreshold(self.prune));
        }
        Ok(ValidNerParams(self.clone()))
    }
    /// Checks the settings and trains.
    pub fn fit(&self, train: &[NerSentence]) -> Result<NerTagger, NerError> {
        self.check()?.fit(train)
    }
}

/// Word clusters for the tagger's cluster features: per lower-case word, nested cluster
/// ids at three granularities (64, 256 and 1024 clusters, as in the project's
/// `data/resources/glove-clusters.tsv`). A tagger trained with them keeps a copy in its
/// file.
#[derive(Debug, Clone, Default)]
pub struct WordClusters {
    /// Lower-case word hash to (c64, c256, c1024) ids plus one, and the word's row (its
    /// index among the table's word lines, which is its vector's index in
    /// `data/resources/glove-50d-q8.bin`).
    map: HashMap<u64, ([u16; 3], u32)>,
}

impl WordClusters {
    /// Reads `word<TAB>c64<TAB>c256<TAB>c1024` lines (`#` lines are comments); the ids of
    /// a finer level must nest in the coarser ones.
    pub fn parse(text: &str) -> Result<WordClusters, NerError> {
        // (sized once: the table has a word per line, less the comments)
        let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
        let mut map: HashMap<u64, ([u16; 3], u32)> =
            HashMap::with_capacity_and_hasher(lines, Default::default());
        let mut rows = 0u32;
        // Per finest cluster id plus one: its coarser ids plus one ((0, 0): not seen yet).
        let mut parent = vec![(0u16, 0u16); 1025];
        // (lines and columns cut with byte scans: `lines` and `split` searched for each
        // separator anew, and that was most of the cost of a table read at every start)
        let bytes = text.as_bytes();
        let (mut at, mut k) = (0usize, 0usize);
        while at < bytes.len() {
            let end = bytes[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| at + p);
            let line = &text[at..end];
            // (as `str::lines`: a line feed's carriage return is no part of the line)
            let line = match end < bytes.len() {
                true => line.strip_suffix('\r').unwrap_or(line),
                false => line,
            };
            (at, k) = (end + 1, k + 1);
            let bad = |message: String| NerError::Clusters { line: k, message };
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let (mut cols, mut n, mut from) = ([""; 4], 0usize, 0usize);
            for (i, &b) in line.as_bytes().iter().enumerate() {
                if b == b'\t' {
                    if n < 4 {
                        cols[n] = &line[from..i];
                    }
                    (n, from) = (n + 1, i + 1);
                }
            }
            if n < 4 {
                cols[n] = &line[from..];
            }
            n += 1;
            if n != 4 {
                return Err(bad(format!("{n} columns, not 4")));
            }
            let [word, c64, c256, c1024] = cols;
            let mut ids = [0u16; 3];
            for (g, (col, max)) in [c64, c256, c1024].iter().zip([64u16, 256, 1024]).enumerate() {
                let id: u16 = col
                    .parse()
                    .map_err(|_| bad(format!("cluster id {col:?} is not a number")))?;
                if id >= max {
                    return Err(bad(format!("cluster id {id} is not below {max}")));
                }
                ids[g] = id + 1;
            }
            let p = &mut parent[ids[2] as usize];
            if *p == (0, 0) {
                *p = (ids[0], ids[1]);
            } else if *p != (ids[0], ids[1]) {
                return Err(bad(format!("cluster {} is not nested", ids[2] - 1)));
            }
            // (a word without upper-case or non-ASCII letters is its own lower case)
            let hash = if word.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                xxh3_64(word.to_lowercase().as_bytes())
            } else {
                xxh3_64(word.as_bytes())
            };
            map.insert(hash, (ids, rows));
            rows += 1;
        }
        Ok(WordClusters { map })
    }
    /// The cluster ids plus one (c64, c256, c1024) and the row of a lower-case word.
    #[inline]
    pub fn lookup(&self, lower: &str) -> Option<([u16; 3], u32)> {
        self.lookup_hash(xxh3_64(lower.as_bytes()))
    }
    /// [`WordClusters::lookup`] by the word's xxh3-64 hash (words are keyed by it).
    #[inline]
    pub fn lookup_hash(&self, hash: u64) -> Option<([u16; 3], u32)> {
        self.map.get(&hash).copied()
    }
    /// Number of words.
    pub fn len(&self) -> usize {
        self.map.len()
    }
    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// One training sentence prepared for the perceptron.
struct Prepared {
    infos: Vec<TokInfo>,
    tags: Vec<u8>,
}

/// The training sentences as token summaries whose word statistics (capitalization,
/// span types and tag parts) leave out the sentence itself, so that training sees them
/// as the tagger will on new text; and the statistics over all sentences, which the
/// tagger keeps (with the cluster of every word of `clusters`).
fn training_sentences(
    p: &NerParams,
    train: &[NerSentence],
    clusters: &WordClusters,
    lists: &WordLists,
) -> (Vec<Prepared>, HashMap<u64, WordStat>) {
    let cluster_of = |w: &u64| clusters.map.get(w).map(|e| e.0).unwrap_or_default();
    // (during training only the clusters come from the word table)
    let empty: HashMap<u64, WordStat> = clusters
        .map
        .iter()
        .map(|(&w, &(cluster, _))| {
            let stat = WordStat {
                cluster,
                ..WordStat::default()
            };
            (w, stat)
        })
        .collect();
    let mut scratch = InfoScratch::default();
    // pass 1: tokens, tags, and per word the capitalization and span-type counts
    let mut tokenized = Vec::with_capacity(train.len());
    let mut counts: HashMap<u64, (u32, u32)> = HashMap::default();
    // per word: counts of O and each span type, then of O and each tag part (B I L U)
    let mut kinds: HashMap<u64, [u32; 10]> = HashMap::default();
    let mut infos = Vec::new();
    let count_tag = |c: &mut [u32; 10], tag: u8| {
        let (k, part) = p
            .scheme
            .split(tag)
            .map_or((0, 0), |(k, part)| (k + 1, part + 1));
        c[k] += 1;
        c[5 + part] += 1;
    };
    let split = |c: [u32; 10]| -> ([u32; 5], [u32; 5]) {
        let mut a = [0u32; 5];
        let mut b = [0u32; 5];
        a.copy_from_slice(&c[..5]);
        b.copy_from_slice(&c[5..]);
        (a, b)
    };
    for s in train {
        let (toks, tags) = data::tokens_and_tags(s, p.scheme);
        features::sentence_info(&s.text, &toks, lists, &empty, &mut scratch, &mut infos);
        features::count_capitalization(&infos, &mut counts);
        for (t, &tag) in infos.iter().zip(&tags) {
            count_tag(kinds.entry(t.lower).or_default(), tag);
        }
        tokenized.push((toks, tags));
    }
    // pass 2: token summaries with the statistics computed without the sentence itself
    let mut prepared = Vec::with_capacity(train.len());
    let mut own: HashMap<u64, (u32, u32)> = HashMap::default();
    let mut own_kinds: HashMap<u64, [u32; 10]> = HashMap::default();
    for (s, (toks, tags)) in train.iter().zip(tokenized) {
        features::sentence_info(&s.text, &toks, lists, &empty, &mut scratch, &mut infos);
        own.clear();
        features::count_capitalization(&infos, &mut own);
        own_kinds.clear();
        for (t, &tag) in infos.iter().zip(&tags) {
            count_tag(own_kinds.entry(t.lower).or_default(), tag);
        }
        for t in infos.iter_mut() {
            let (c, n) = counts.get(&t.lower).copied().unwrap_or((0, 0));
            let (oc, on) = own.get(&t.lower).copied().unwrap_or((0, 0));
            t.capstat = features::capstat::bucket(c - oc, n - on);
            let mut k = kinds[&t.lower];
            for (x, o) in k.iter_mut().zip(own_kinds[&t.lower]) {
                *x -= o;
            }
            let (k, parts) = split(k);
            t.kindstat = features::kindstat::bucket(k);
            t.kinddist = features::kindstat::dist(k);
            t.partdist = features::kindstat::dist(parts);
        }
        prepared.push(Prepared {
            infos: infos.clone(),
            tags,
        });
    }
    let mut capstats: HashMap<u64, WordStat> = kinds
        .iter()
        .map(|(&w, &k)| {
            let (k, parts) = split(k);
            let (c, n) = counts.get(&w).copied().unwrap_or((0, 0));
            let stat = WordStat {
                cap: features::capstat::bucket(c, n),
                kind: features::kindstat::bucket(k),
                cluster: cluster_of(&w),
                dist: features::kindstat::dist(k) as u32
                    | (features::kindstat::dist(parts) as u32) << 16,
            };
            (w, stat)
        })
        .collect();
    for (w, stat) in empty {
        capstats.entry(w).or_insert(stat);
    }
    (prepared, capstats)
}

impl ValidNerParams {
    /// The settings.
    pub fn params(&self) -> &NerParams {
        &self.0
    }

    /// Trains a tagger.
    pub fn fit(&self, train: &[NerSentence]) -> Result<NerTagger, NerError> {
        self.fit_with(train, |_, _, _| {})
    }

    /// Trains a tagger, calling `on_epoch(epoch, wrong_tokens, averaged_tagger)` after
    /// each epoch (epochs count from 1; the tagger is not quantized).
    pub fn fit_with(
        &self,
        train: &[NerSentence],
        on_epoch: impl FnMut(usize, usize, &NerTagger),
    ) -> Result<NerTagger, NerError> {
        self.fit_with_clusters(train, &WordClusters::default(), on_epoch)
    }

    /// [`ValidNerParams::fit_with`] with word-cluster features from `clusters` (an empty
    /// table: none).
    pub fn fit_with_clusters(
        &self,
        train: &[NerSentence],
        clusters: &WordClusters,
        mut on_epoch: impl FnMut(usize, usize, &NerTagger),
    ) -> Result<NerTagger, NerError> {
        let p = &self.0;
        if train.is_empty() {
            return Err(NerError::EmptyTrainingSet);
        }
        let lists = WordLists::default();
        let (prepared, capstats) = training_sentences(p, train, clusters, &lists);
        let mut trainer = Trainer::new(p.buckets, p.scheme.n_tags());
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(p.seed);
        let mut order: Vec<usize> = (0..prepared.len()).collect();
        let mut rows = Vec::with_capacity(64);
        let make = |weights: Vec<f32>| {
            // scores relative to O: the same decisions, one column fewer
            let n_tags = p.scheme.n_tags();
            let relative: Vec<f32> = weights
                .chunks_exact(n_tags)
                .flat_map(|row| row[1..].iter().map(move |w| w - row[0]))
                .collect();
            let (scale, q) = quantize(&relative, p.quant_levels, p.prune);
            let (base, weights) = aligned_table(p.buckets * (n_tags - 1));
            let mut weights = weights;
            weights[base..base + q.len()].copy_from_slice(&q);
            NerTagger {
                id: next_id(),
                scheme: p.scheme,
                buckets: p.buckets,
                n_tags,
                base,
                gate: p.gate,
                scale,
                weights,
                capstats: capstats.clone(),
                lists: lists.clone(),
                params: p.clone(),
                scores: None,
            }
        };
        for epoch in 1..=p.epochs {
            order.shuffle(&mut rng);
            let mut wrong = 0;
            for &k in &order {
                let s = &prepared[k];
                wrong += trainer.train_sentence(p.scheme, &s.infos, &s.tags, &mut rows);
            }
            if epoch < p.epochs {
                on_epoch(epoch, wrong, &make(trainer.averaged()));
            } else {
                let tagger = make(trainer.averaged());
                on_epoch(epoch, wrong, &tagger);
                return Ok(tagger);
            }
        }
        unreachable!("epochs >= 1 is checked")
    }
}

/// Reused buffers for tagging (one per thread), and a cache of per-word weight sums
/// (the features that depend on one word only), bounded in size.
#[derive(Debug, Default)]
pub struct NerScratch {
    cache: WordCache,
    entries: Vec<u32>,
    rows: Vec<u32>,
    row_start: Vec<u32>,
    tokens: Vec<tokens::Token>,
    infos: Vec<TokInfo>,
    info: InfoScratch,
    tags: Vec<u8>,
    scores: Vec<i32>,
}

/// Sums of the single-token feature groups ([`features::word_features`]) per word, for
/// each of the five positions, cached by word hash for one tagger.
#[derive(Debug, Default)]
struct WordCache {
    tagger: u64,
    n_tags: usize,
    index: HashMap<u64, u32>,
    infos: Vec<TokInfo>,
    sums: Vec<i32>,
}

/// Words cached before the cache starts over.
const CACHE_WORDS: usize = 1 << 15;

impl WordCache {
    fn reset(&mut self, tagger: u64, n_tags: usize) {
        self.tagger = tagger;
        self.n_tags = n_tags;
        self.index.clear();
        self.infos.clear();
        self.sums.clear();
    }

    /// The entry of the word with hash `word`, made with `info` if new.
    #[inline(always)]
    fn entry(
        &mut self,
        word: u64,
        tagger: &NerTagger,
        scratch: &mut InfoScratch,
        info: impl FnOnce(&NerTagger, &mut InfoScratch) -> TokInfo,
    ) -> u32 {
        if let Some(&e) = self.index.get(&word) {
            return e;
        }
        let t = &info(tagger, scratch);
        let e = self.index.len() as u32;
        let n_tags = self.n_tags;
        let start = self.sums.len();
        self.sums
            .resize(start + features::OFFSETS.len() * n_tags, 0);
        for slot in 0..features::OFFSETS.len() {
            let v = &mut self.sums[start + slot * n_tags..start + (slot + 1) * n_tags];
            features::word_features(t, slot, &mut |tmpl, val| {
                let r = tagger.row(features::feature_hash(tmpl, val));
                for (x, &w) in v.iter_mut().zip(&tagger.weights[r..r + n_tags]) {
                    *x += w as i32;
                }
            });
        }
        self.index.insert(word, e);
        self.infos.push(*t);
        e
    }

    #[inline(always)]
    fn vector(&self, entry: u32, slot: usize) -> &[i32] {
        let n = self.n_tags;
        let start = (entry as usize * features::OFFSETS.len() + slot) * n;
        &self.sums[start..start + n]
    }
}

/// `scores[c] += row[c]` for every tag, with the row widths of the BILOU and BIO schemes
/// (16 and 8 tags after O) unrolled at a fixed width, which the compiler turns into vector
/// adds (a width known only at run time was added one tag at a time). Integer sums: the
/// same in any order.
#[inline(always)]
fn add_sums<T: Copy + Into<i32>>(scores: &mut [i32], row: &[T]) {
    match (scores.len(), row.len()) {
        (16, 16) => add_fixed::<16, T>(scores, row),
        (8, 8) => add_fixed::<8, T>(scores, row),
        _ => {
            for (x, &w) in scores.iter_mut().zip(row) {
                *x += w.into();
            }
        }
    }
}

/// [`add_sums`] of `N` tags.
#[inline(always)]
fn add_fixed<const N: usize, T: Copy + Into<i32>>(scores: &mut [i32], row: &[T]) {
    let scores: &mut [i32; N] = scores.try_into().expect("N scores");
    let row: &[T; N] = row.try_into().expect("N weights");
    for (x, &w) in scores.iter_mut().zip(row) {
        *x += w.into();
    }
}

/// Asks the CPU to start loading a weight row into the cache.
#[inline(always)]
fn prefetch(row: &[i16]) {
    if let (Some(first), Some(last)) = (row.first(), row.last()) {
        crate::sys::mem::prefetch(first);
        crate::sys::mem::prefetch(last);
    }
}

static NEXT_TAGGER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_TAGGER_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A trained tagger.
#[derive(Debug, Clone)]
pub struct NerTagger {
    /// Identifies the weights, for [`NerScratch`]'s cache.
    id: u64,
    scheme: TagScheme,
    buckets: usize,
    n_tags: usize,
    gate: bool,
    /// Weight of a stored integer weight.
    scale: f32,
    /// Where the table starts in `weights` (for 64-byte alignment).
    base: usize,
    /// `buckets x (n_tags - 1)` weights, in units of `scale`, from `base` on: each tag's
    /// weight minus the weight of O (whose scores are thus always 0).
    weights: Vec<i16>,
    capstats: HashMap<u64, WordStat>,
    lists: WordLists,
    params: NerParams,
    scores: Option<TaggerScores>,
}

/// A zeroed weight table of `len` entries, and the index in it where a 64-byte
/// aligned stretch of `len` entries starts.
fn aligned_table(len: usize) -> (usize, Vec<i16>) {
    let v = crate::sys::mem::zeroed_table_i16(len + 32);
    let misalign = (v.as_ptr() as usize / 2) % 32;
    ((32 - misalign) % 32, v)
}

/// Rounds weights to integers in -levels..=levels times a common scale (the largest
/// weight maps to `levels`); weights below `prune` in absolute value become 0.
fn quantize(weights: &[f32], levels: u16, prune: f32) -> (f32, Vec<i16>) {
    let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
    let levels = levels as f32;
    let scale = if max > 0.0 { max / levels } else { 1.0 };
    let q = weights
        .iter()
        .map(|&w| {
            if w.abs() < prune {
                0
            } else {
                (w / scale).round().clamp(-levels, levels) as i16
            }
        })
        .collect();
    (scale, q)
}

/// Why one span was tagged: per token, its tag, the runner-up and the features that
/// separate them most.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The span explained.
    pub span: EntitySpan,
    /// One entry per token of the span.
    pub tokens: Vec<TokenExplanation>,
}

/// One token's decision.
#[derive(Debug, Clone)]
pub struct TokenExplanation {
    /// The token's text.
    pub text: String,
    /// The chosen tag and its score.
    pub tag: String,
    /// Score of the chosen tag.
    pub score: f32,
    /// The best other allowed tag and its score (None if the token was gated).
    pub runner_up: Option<(String, f32)>,
    /// Features by decreasing |weight(tag) - weight(runner-up)|: name, weight for the
    /// chosen tag, weight for the runner-up.
    pub features: Vec<(String, f32, f32)>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {}..{}",
            self.span.kind.name(),
            self.span.start,
            self.span.end
        )?;
        for t in &self.tokens {
            match &t.runner_up {
                Some((r, rs)) => writeln!(
                    f,
                    "  {:?}: {} {:.3} (vs {} {:.3})",
                    t.text, t.tag, t.score, r, rs
                )?,
                None => writeln!(f, "  {:?}: {} (gated)", t.text, t.tag)?,
            }
            for (name, w, rw) in &t.features {
                writeln!(f, "    {:+8.3} {:+8.3}  {}", w, rw, name)?;
            }
        }
        Ok(())
    }
}

const MAGIC: &[u8; 8] = b"STNCNER\x1a";
/// Version 2 added word clusters to the per-word statistics; version 3 the scores the
/// tagger was measured at ([`TaggerScores`]).
const FORMAT_VERSION: u16 = 3;

/// Exact-span scores a tagger was measured at when it was trained, stored in its file
/// (`stance-classify --describe` prints them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaggerScores {
    /// The labeled file the tagger was scored on, as given to the training command.
    pub data: String,
    /// Its sentences.
    pub sentences: usize,
    /// Span counts by entity type.
    pub scores: NerScores,
}

/// The version 3 layout: version 2's, then the stored scores.
#[derive(Serialize, Deserialize)]
struct StoredV3 {
    stored: Stored,
    scores: Option<TaggerScores>,
}

/// The version 1 layout (no word clusters).
#[derive(Serialize, Deserialize)]
struct StoredV1 {
    params: NerParams,
    scheme: TagScheme,
    buckets: u32,
    n_tags: u8,
    scale: f32,
    row_gaps: Vec<u32>,
    weights: Vec<i16>,
    capstats: Vec<(u64, u8, u8)>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    params: NerParams,
    scheme: TagScheme,
    buckets: u32,
    n_tags: u8,
    scale: f32,
    /// Gaps between the stored rows (first: the row index itself).
    row_gaps: Vec<u32>,
    /// `n_tags - 1` quantized weights per stored row (each tag's minus O's).
    weights: Vec<i16>,
    /// Per lower-case word, sorted by hash: the gap from the previous word's hash (the
    /// first: the hash), capitalization bucket, span-type bucket, finest cluster id plus
    /// one (0: none).
    capstats: Vec<(u64, u8, u8, u16, u32)>,
    /// For each finest cluster: its (64-cluster, 256-cluster) ids plus one.
    cluster_parents: Vec<(u16, u16)>,
}

impl NerTagger {
    /// Where the weight row of a feature hash starts.
    #[inline(always)]
    fn row(&self, hash: u64) -> usize {
        self.base + row_of(hash, self.buckets, self.n_tags - 1)
    }

    /// A weight (relative to O's), for explanations.
    fn weight(&self, row: usize, tag: u8) -> f32 {
        if tag == 0 {
            0.0
        } else {
            self.weights[row + tag as usize - 1] as f32 * self.scale
        }
    }

    /// The settings the tagger was trained with.
    pub fn params(&self) -> &NerParams {
        &self.params
    }
    /// The tag scheme.
    pub fn scheme(&self) -> TagScheme {
        self.scheme
    }
    /// Turns gating (see [`NerParams::gate`]) on or off for tagging.
    pub fn set_gate(&mut self, gate: bool) {
        self.gate = gate;
    }

    /// How the tagger's training data typed the word `word` (any case): per type (O,
    /// PERSON, ORG, GPE_OR_LOC, OTHER) the bucket of its share of the word's training
    /// occurrences (0: none, 1: under 20%, 2: 20-80%, 3: 80% or more); `None` for a word
    /// the training data does not hold.
    pub fn training_shares(&self, word: &str) -> Option<[u8; 5]> {
        let d = self
            .capstats
            .get(&xxh3_64(word.to_lowercase().as_bytes()))?
            .dist as u16;
        (d != 0).then(|| std::array::from_fn(|k| ((d >> (2 * k)) & 3) as u8))
    }

    /// The name inside a PERSON span of `text`: the span without its leading title words
    /// ("President", "Prime Minister", "Mr.", "Foreign"; the hand-written title list),
    /// since GMB's PERSON spans include titles. None for a span of title words only
    /// ("Prime"); other kinds are returned unchanged.
    pub fn name_span(&self, text: &str, span: &EntitySpan) -> Option<EntitySpan> {
        if span.kind != EntityKind::Person {
            return Some(*span);
        }
        let toks = tokens::tokenize(text);
        let start = toks
            .iter()
            .filter(|t| t.start >= span.start && t.end <= span.end)
            .find(|t| !self.lists.is_title(t.text(text)))?
            .start;
        Some(EntitySpan { start, ..*span })
    }

    /// The spans of one text (character offsets).
    pub fn tag(&self, text: &str) -> Vec<EntitySpan> {
        let mut out = Vec::new();
        self.tag_into(text, &mut NerScratch::default(), &mut out);
        out
    }

    /// [`NerTagger::tag`] with reused buffers; `out` is cleared first.
    pub fn tag_into(&self, text: &str, scratch: &mut NerScratch, out: &mut Vec<EntitySpan>) {
        out.clear();
        self.decode(text, scratch);
        let toks = &scratch.tokens;
        self.scheme.spans(&scratch.tags, |a, b, kind| {
            out.push(EntitySpan {
                start: toks[a].start,
                end: toks[b - 1].end,
                kind,
            })
        });
    }

    /// Whether gating skips token `i` when the tag before it is O.
    #[inline(always)]
    fn gate_candidate(&self, infos: &[TokInfo], i: usize) -> bool {
        use features::Caps;
        let plain = |t: &TokInfo| t.caps == Caps::Lower as u8 || t.caps == Caps::Punct as u8;
        self.gate
            && !infos[i].gate_exempt
            && plain(&infos[i])
            && infos[i + 1..].iter().take(2).all(plain)
    }

    #[inline(always)]
    fn gated(&self, infos: &[TokInfo], i: usize, p1: u8) -> bool {
        p1 == 0 && self.gate_candidate(infos, i)
    }

    fn decode(&self, text: &str, s: &mut NerScratch) {
        tokens::tokenize_into(text, &mut s.tokens);
        // (the cache and the rows hold the n_tags - 1 tags after O; O scores 0)
        let (n_tags, w) = (self.n_tags - 1, &self.weights[..]);
        let cache = &mut s.cache;
        let n = s.tokens.len();
        // (never start over in the middle of a sentence: its entries must stay valid)
        if cache.tagger != self.id
            || cache.n_tags != n_tags
            || cache.index.len() + n + 4 > CACHE_WORDS
        {
            cache.reset(self.id, n_tags);
        }
        // per word: its summary and single-token feature sums, cached; padding included
        s.entries.clear();
        s.infos.clear();
        let [start, end] = &features::PADS;
        for pad in [start, start] {
            s.entries
                .push(cache.entry(pad.word, self, &mut s.info, |_, _| *pad));
        }
        for t in &s.tokens {
            let word = t.text(text);
            let hash = xxh3_64(word.as_bytes());
            let e = cache.entry(hash, self, &mut s.info, |tagger, scratch| {
                features::token_info_hashed(word, hash, &tagger.lists, &tagger.capstats, scratch)
            });
            s.entries.push(e);
            s.infos.push(cache.infos[e as usize]);
        }
        for pad in [end, end] {
            s.entries
                .push(cache.entry(pad.word, self, &mut s.info, |_, _| *pad));
        }
        features::mark_sentence(&mut s.infos);
        let infos = &s.infos;
        // rows of the context features of every token that may be scored, prefetched
        // ahead of decoding (a token that gating may skip gets its rows when needed)
        s.rows.clear();
        s.row_start.clear();
        for i in 0..n {
            if self.gate_candidate(infos, i) {
                s.row_start.push(u32::MAX);
                continue;
            }
            s.row_start.push(s.rows.len() as u32);
            features::context_features(infos, i, &mut |t, v| {
                let r = self.row(features::feature_hash(t, v));
                prefetch(&w[r..r + n_tags]);
                s.rows.push(r as u32);
            });
            // and its history rows as they are after an O tag, the usual case
            features::history_features(&infos[i], 0, 0, |t, v| {
                let r = self.row(features::feature_hash(t, v));
                prefetch(&w[r..r + n_tags]);
            });
        }
        s.tags.clear();
        s.scores.resize(n_tags + 1, 0);
        let (mut p1, mut p2) = (0u8, 0u8);
        for i in 0..n {
            let tag = if p1 == 0 && self.gate_candidate(infos, i) {
                0
            } else {
                // (the history rows first, fetched while the others are added; integer
                // sums, so the order does not change them)
                let mut history = [0usize; features::N_HISTORY];
                let mut h = 0;
                features::history_features(&infos[i], p1, p2, |t, v| {
                    let r = self.row(features::feature_hash(t, v));
                    prefetch(&w[r..r + n_tags]);
                    history[h] = r;
                    h += 1;
                });
                s.scores[0] = 0;
                let scores = &mut s.scores[1..n_tags + 1];
                scores.copy_from_slice(cache.vector(s.entries[i + 2], 0));
                for (slot, &k) in features::OFFSETS.iter().enumerate().skip(1) {
                    let v = cache.vector(s.entries[(i as isize + 2 + k) as usize], slot);
                    add_sums(scores, v);
                }
                let mut add_row = |r: usize| add_sums(scores, &w[r..r + n_tags]);
                if s.row_start[i] == u32::MAX {
                    features::context_features(infos, i, &mut |t, v| {
                        add_row(self.row(features::feature_hash(t, v)))
                    });
                } else {
                    let a = s.row_start[i] as usize;
                    for &r in &s.rows[a..a + features::N_CONTEXT] {
                        add_row(r as usize);
                    }
                }
                for &r in &history[..h] {
                    add_row(r);
                }
                best_valid(self.scheme, &s.scores[..n_tags + 1], p1, i + 1 == n)
            };
            s.tags.push(tag);
            p2 = p1;
            p1 = tag;
        }
    }

    /// Explains a span that [`NerTagger::tag`] returns for `text`: for each of its
    /// tokens, the `top` features that most separate the chosen tag from the runner-up.
    /// None if the tagger does not produce this span.
    pub fn explain(&self, text: &str, span: &EntitySpan, top: usize) -> Option<Explanation> {
        let mut s = NerScratch::default();
        self.decode(text, &mut s);
        let first = s.tokens.iter().position(|t| t.start == span.start)?;
        let last = s.tokens.iter().position(|t| t.end == span.end)?;
        let mut found = false;
        self.scheme.spans(&s.tags, |a, b, k| {
            found |= a == first && b == last + 1 && k == span.kind
        });
        if !found {
            return None;
        }
        let words: Vec<&str> = s.tokens.iter().map(|t| t.text(text)).collect();
        let n_tags = self.n_tags;
        let mut tokens_out = Vec::new();
        let mut rows = Vec::new();
        for i in first..=last {
            let p1 = if i > 0 { s.tags[i - 1] } else { 0 };
            let p2 = if i > 1 { s.tags[i - 2] } else { 0 };
            let tag = s.tags[i];
            let tag_name = self.scheme.tag_name(tag);
            if self.gated(&s.infos, i, p1) {
                tokens_out.push(TokenExplanation {
                    text: words[i].into(),
                    tag: tag_name,
                    score: 0.0,
                    runner_up: None,
                    features: vec![],
                });
                continue;
            }
            let mut feats: Vec<(u8, u64)> = Vec::new();
            features::static_features(&s.infos, i, |t, v| feats.push((t, v)));
            features::history_features(&s.infos[i], p1, p2, |t, v| feats.push((t, v)));
            rows.clear();
            rows.extend(
                feats
                    .iter()
                    .map(|&(t, v)| self.row(features::feature_hash(t, v))),
            );
            let mut scores = vec![0f32; n_tags];
            for &r in &rows {
                for (tag, x) in scores.iter_mut().enumerate() {
                    *x += self.weight(r, tag as u8);
                }
            }
            let runner = (0..n_tags as u8)
                .filter(|&t| t != tag && self.scheme.allowed(p1, t, i + 1 == s.tags.len()))
                .max_by(|a, b| scores[*a as usize].total_cmp(&scores[*b as usize]));
            let tags_name = |t: u8| self.scheme.tag_name(t);
            let mut named: Vec<(String, f32, f32)> = feats
                .iter()
                .zip(&rows)
                .map(|(&(t, v), &r)| {
                    let w = self.weight(r, tag);
                    let rw = runner.map(|x| self.weight(r, x)).unwrap_or(0.0);
                    (
                        features::describe(t, v, &words, &s.infos, i, (p1, p2), &tags_name),
                        w,
                        rw,
                    )
                })
                .collect();
            named.sort_by(|a, b| (b.1 - b.2).abs().total_cmp(&(a.1 - a.2).abs()));
            named.truncate(top);
            tokens_out.push(TokenExplanation {
                text: words[i].into(),
                tag: tag_name,
                score: scores[tag as usize],
                runner_up: runner.map(|r| (self.scheme.tag_name(r), scores[r as usize])),
                features: named,
            });
        }
        Some(Explanation {
            span: *span,
            tokens: tokens_out,
        })
    }

    /// The tagger as bytes: magic, format version, then the postcard-encoded weights
    /// (quantized; only rows with a non-zero weight) and statistics.
    pub fn to_bytes(&self) -> Vec<u8> {
        let (scale, width) = (self.scale, self.n_tags - 1);
        let q = &self.weights[self.base..self.base + self.buckets * width];
        let n_tags = self.n_tags;
        let mut row_gaps = Vec::new();
        let mut weights = Vec::new();
        let mut prev = 0usize;
        for (r, row) in q.chunks_exact(width).enumerate() {
            if row.iter().any(|&x| x != 0) {
                row_gaps.push((r - prev) as u32);
                prev = r;
                weights.extend_from_slice(row);
            }
        }
        let mut capstats: Vec<(u64, u8, u8, u16, u32)> = self
            .capstats
            .iter()
            .map(|(&k, v)| (k, v.cap, v.kind, v.cluster[2], v.dist))
            .collect();
        capstats.sort_unstable();
        let mut prev = 0u64;
        for c in capstats.iter_mut() {
            (c.0, prev) = (c.0 - prev, c.0);
        }
        let mut cluster_parents = vec![(0u16, 0u16); 1024];
        for v in self.capstats.values() {
            if v.cluster[2] > 0 {
                cluster_parents[v.cluster[2] as usize - 1] = (v.cluster[0], v.cluster[1]);
            }
        }
        if self.capstats.values().all(|v| v.cluster[2] == 0) {
            cluster_parents.clear();
        }
        let stored = Stored {
            params: self.params.clone(),
            scheme: self.scheme,
            buckets: self.buckets as u32,
            n_tags: n_tags as u8,
            scale,
            row_gaps,
            weights,
            capstats,
            cluster_parents,
        };
        let stored = StoredV3 {
            stored,
            scores: self.scores.clone(),
        };
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend(postcard::to_stdvec(&stored).expect("serializing to memory cannot fail"));
        out
    }

    /// Reads [`NerTagger::to_bytes`] output.
    pub fn from_bytes(bytes: &[u8]) -> Result<NerTagger, NerError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(NerError::NotATaggerFile);
        }
        let rest = &bytes[MAGIC.len()..];
        if rest.len() < 2 {
            return Err(NerError::CorruptFile("no format version".into()));
        }
        let version = u16::from_le_bytes([rest[0], rest[1]]);
        if version > FORMAT_VERSION {
            return Err(NerError::NewerFormat {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        if version == 0 {
            return Err(NerError::CorruptFile("format version 0".into()));
        }
        let (stored, left, scores): (Stored, &[u8], Option<TaggerScores>) = if version == 1 {
            let (v1, left): (StoredV1, &[u8]) = postcard::take_from_bytes(&rest[2..])
                .map_err(|e| NerError::CorruptFile(e.to_string()))?;
            let mut prev = 0u64;
            let capstats = v1
                .capstats
                .into_iter()
                .map(|(w, cap, kind)| {
                    let gap = w.wrapping_sub(prev);
                    prev = w;
                    (gap, cap, kind, 0, 0)
                })
                .collect();
            let stored = Stored {
                params: v1.params,
                scheme: v1.scheme,
                buckets: v1.buckets,
                n_tags: v1.n_tags,
                scale: v1.scale,
                row_gaps: v1.row_gaps,
                weights: v1.weights,
                capstats,
                cluster_parents: Vec::new(),
            };
            (stored, left, None)
        } else if version == 2 {
            let (stored, left) = postcard::take_from_bytes(&rest[2..])
                .map_err(|e| NerError::CorruptFile(e.to_string()))?;
            (stored, left, None)
        } else {
            let (v3, left): (StoredV3, &[u8]) = postcard::take_from_bytes(&rest[2..])
                .map_err(|e| NerError::CorruptFile(e.to_string()))?;
            (v3.stored, left, v3.scores)
        };
        if !left.is_empty() {
            return Err(NerError::CorruptFile(format!(
                "{} trailing bytes",
                left.len()
            )));
        }
        let corrupt = |m: &str| NerError::CorruptFile(m.to_string());
        let params = stored
            .params
            .check()
            .map_err(|e| NerError::CorruptFile(e.to_string()))?;
        let n_tags = stored.n_tags as usize;
        let buckets = stored.buckets as usize;
        if n_tags != stored.scheme.n_tags() {
            return Err(corrupt("tag count does not match the scheme"));
        }
        if buckets != params.0.buckets {
            return Err(corrupt("bucket count does not match the settings"));
        }
        if !(stored.scale.is_finite() && stored.scale > 0.0) {
            return Err(corrupt("bad weight scale"));
        }
        let width = n_tags - 1;
        if stored.weights.len() != stored.row_gaps.len() * width {
            return Err(corrupt("weight count does not match the row count"));
        }
        let (base, mut weights) = aligned_table(buckets * width);
        let mut r = 0usize;
        for (k, &gap) in stored.row_gaps.iter().enumerate() {
            r = r
                .checked_add(gap as usize)
                .ok_or_else(|| corrupt("row index overflow"))?;
            if r >= buckets || (k > 0 && gap == 0) {
                return Err(corrupt("row index out of range or repeated"));
            }
            let row = &stored.weights[k * width..(k + 1) * width];
            weights[base + r * width..base + (r + 1) * width].copy_from_slice(row);
        }
        // (sized once: growing it insert by insert rehashed it a dozen times at load)
        let mut capstats: HashMap<u64, WordStat> =
            HashMap::with_capacity_and_hasher(stored.capstats.len(), Default::default());
        let mut w = 0u64;
        for (k, &(gap, cap, kind, c, dist)) in stored.capstats.iter().enumerate() {
            w = w
                .checked_add(gap)
                .ok_or_else(|| corrupt("word hash overflow"))?;
            if k > 0 && gap == 0 {
                return Err(corrupt("repeated word hash"));
            }
            let cluster = match c {
                0 => [0; 3],
                _ => {
                    let &(c64, c256) = stored
                        .cluster_parents
                        .get(c as usize - 1)
                        .ok_or_else(|| corrupt("cluster id out of range"))?;
                    [c64, c256, c]
                }
            };
            capstats.insert(
                w,
                WordStat {
                    cap,
                    kind,
                    cluster,
                    dist,
                },
            );
        }
        Ok(NerTagger {
            id: next_id(),
            scheme: stored.scheme,
            buckets,
            n_tags,
            base,
            gate: params.0.gate,
            scale: stored.scale,
            weights,
            capstats,
            lists: WordLists::default(),
            params: params.0,
            scores,
        })
    }

    /// The scores stored with the tagger when it was trained, if any.
    pub fn scores(&self) -> Option<&TaggerScores> {
        self.scores.as_ref()
    }

    /// The tagger with `scores` stored (written by [`NerTagger::to_bytes`]).
    pub fn with_scores(mut self, scores: TaggerScores) -> Self {
        self.scores = Some(scores);
        self
    }
}

#[cfg(test)]
mod tests;
