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

mod chars;
mod clusters;
mod config;
mod cues;
mod group;
mod hash;
mod lexicon;
mod mask;
mod resources;
mod row;
mod shape;
mod subjectivity;
mod valued;
mod vectors;
mod visit;
mod words;

pub use crate::linear::sparse::SparseRow;
pub use config::{Conjoin, Family, FeatureConfig, FeatureExtras};
pub(crate) use cues::cue_class;
pub use group::{hit, hit_parts, Blocks, Group, ALL_BLOCKS, CHAR_BLOCK, GROUPS};
pub use hash::{idf_at, name_hash};
pub(crate) use lexicon::valence;
pub use mask::{mask, SpanCursor};
pub use row::{DfCounter, Input, NamedBucket, RawRow};
pub use vectors::VectorShare;
pub use visit::TokenShare;

/// What the stance rows of one sentence's actors share (see [`TokenShare`] and
/// [`VectorShare`]), kept by the caller across them.
#[derive(Default)]
pub struct RowShare {
    /// The masked words' hashes, valences and cue classes.
    pub tokens: TokenShare,
    /// Their word vectors and running sums.
    pub vectors: VectorShare,
}

use crate::error::Result;
use crate::text::tokenize::{Token, TokenPipeline};
use chars::CHAR_CACHE;
use row::row_key;
use visit::{Sink, Visit};

/// Placeholder for the scored actor's mention.
pub const TARGET: &str = "<t>";
/// Placeholder for other actors' mentions.
pub const OTHER: &str = "<o>";

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
        let tokens = self.pipeline.tokenize(input.text)?;
        Ok(self.raw_from_tokens(&tokens, input))
    }

    /// [`Extractor::raw`] for a text already tokenized with this extractor's pipeline.
    fn raw_from_tokens(&self, tokens: &[Token], input: &Input) -> RawRow {
        let mut hits: Vec<u64> = Vec::with_capacity(1024);
        self.visit_tokens(tokens, input, ALL_BLOCKS, false, &mut |g, idx, _, _| {
            hits.push(row_key(g, idx))
        });
        let mut raw = RawRow::from_hits(hits);
        self.valued_into(tokens, input, &mut raw.valued);
        raw
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
                hits.push(row_key(g, idx));
                names.push((idx, name.to_string(), span));
            },
        );
        let mut raw = RawRow::from_hits(hits);
        for b in self.valued(tokens, input, true) {
            raw.valued.push((b.index, b.value));
            for (name, span) in b.names.into_iter().zip(b.spans) {
                names.push((b.index, name, span));
            }
        }
        let row = self.weigh(&raw);
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
            norms[g.index()] += sq;
            values.push(v);
        }
        let mut scale = [0f32; GROUPS];
        for (g, s) in scale.iter_mut().enumerate() {
            let n = norms[g].sqrt();
            *s = if n > 0.0 {
                self.group_weight(Group::from_index(g)) / n
            } else {
                0.0
            };
        }
        let mut row = SparseRow {
            indices: Vec::with_capacity(values.len()),
            values: Vec::with_capacity(values.len()),
        };
        // The entries are sorted by bucket: the groups of one bucket are adjacent. The
        // valued features, sorted too, are merged in (summed into a bucket the counted
        // ones have).
        let mut valued = raw.valued.clone();
        valued.sort_by_key(|&(idx, _)| idx);
        let mut next = valued.into_iter().peekable();
        let push = |row: &mut SparseRow, idx: u32, v: f32| {
            if row.indices.last() == Some(&idx) {
                *row.values.last_mut().expect("a value per index") += v;
            } else {
                row.indices.push(idx);
                row.values.push(v);
            }
        };
        for (&(g, idx, _), v) in raw.entries.iter().zip(values) {
            while let Some((j, w)) = next.next_if(|&(j, _)| j < idx) {
                push(&mut row, j, w);
            }
            push(&mut row, idx, v * scale[g.index()]);
        }
        for (j, w) in next {
            push(&mut row, j, w);
        }
        row
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
            hits.push(hit(g, idx))
        });
    }

    /// [`Extractor::hits_from_tokens`] for one of several stance rows of a sentence, with
    /// `share` kept across them (see [`TokenShare`]): the same hits, with fewer lookups
    /// per row.
    pub fn hits_from_tokens_shared(
        &self,
        tokens: &[Token],
        input: &Input,
        blocks: Blocks,
        share: &mut TokenShare,
        hits: &mut Vec<u64>,
    ) {
        Visit::new(&self.config, tokens, *input, false, &mut |g, idx, _, _| hits.push(hit(g, idx)), Some(share))
            .run(blocks);
    }

    /// [`Extractor::hits_from_tokens`] and [`Extractor::valued_into`] (onto `valued`) of
    /// one of several stance rows of a sentence, with `share` kept across them (see
    /// [`RowShare`]): the same hits and features, from one masking of the row and with
    /// fewer lookups.
    pub fn stance_row_shared(
        &self,
        tokens: &[Token],
        input: &Input,
        blocks: Blocks,
        share: &mut RowShare,
        hits: &mut Vec<u64>,
        valued: &mut Vec<(u32, f32)>,
    ) {
        let masked = mask(tokens, input.target_spans, input.other_spans);
        let mut sink = |g, idx, _: &str, _| hits.push(hit(g, idx));
        let mut v = Visit::masked(&self.config, masked, *input, false, &mut sink, Some(&mut share.tokens));
        v.run(blocks);
        let masked = v.into_mask();
        self.valued_masked(masked, input, &mut share.vectors, valued);
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
    pub fn value_sq(&self, g: Group, idf: f32, count: u32) -> (f32, f32) {
        if self.config.extras.char_words && g.base() == Group::CHAR {
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
    pub fn group_weight(&self, g: Group) -> f32 {
        // Whole-sentence word and character n-grams, and cue words (sentence-level cues
        // like the n-grams: weighted as those measured best), get the global weight.
        let base = g.base();
        if base <= Group::CHAR
            || base == Group::CUE
            || base == Group::SHAPE
            || base == Group::CLUSTER
        {
            self.config.global_weight
        } else if base == Group::LEXICON {
            self.config.lexicon_weight
        } else {
            1.0
        }
    }

    /// [`Extractor::row`] for a text already tokenized with this extractor's pipeline
    /// (several actors of one sentence share one tokenization).
    pub fn row_from_tokens(&self, tokens: &[Token], input: &Input) -> SparseRow {
        self.weigh(&self.raw_from_tokens(tokens, input))
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
        Visit::new(&self.config, tokens, *input, named, sink, None).run(blocks);
    }
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
                .filter(|&&(g, _, _)| g == Group::CHAR)
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
        let mut config = FeatureConfig {
            context: true,
            ..FeatureConfig::default()
        };
        // Without the word vectors (valued features, outside the groups' norms below).
        config.extras.vectors = false;
        let e = Extractor::new(config, TokenPipeline::default());
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
            e.group_weight(Group::SHAPE.conjoined()),
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
        assert_eq!(e.group_weight(Group::CUE), e.config.global_weight);
        assert_eq!(
            e.group_weight(Group::CUE.conjoined()),
            e.config.global_weight
        );
        assert_eq!(e.group_weight(Group::LEXICON), 0.25);
        assert_eq!(e.group_weight(Group::LEXICON.conjoined()), 0.25);
    }

    /// The families that are on, as a typed list, give back the same switches.
    #[test]
    fn families_round_trip() {
        let extras = FeatureConfig::default().extras;
        let on = extras.families();
        assert_eq!(
            on,
            [
                Family::Cues,
                Family::TokenHash,
                Family::CharWords,
                Family::Vectors
            ]
        );
        assert_eq!(FeatureExtras::from_families(&on), extras);
        assert_eq!(
            extras.names_on(),
            ["cues", "token-hash", "char-words", "vectors"]
        );
        for f in Family::ALL {
            assert_eq!(Family::from_name(f.name()), Some(f));
        }
        assert_eq!(Family::from_name("wide"), None);
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
        // The word vectors' buckets follow from a block's base, not from each name.
        config.extras.vectors = false;
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
            ("oman#", Group::WORD),
            ("w|", Group::WORD),
            ("c|", Group::CHAR),
            ("l|", Group::CONTEXT),
            ("r|", Group::CONTEXT),
            ("nl|", Group::CONTEXT),
            ("nr|", Group::CONTEXT),
            ("k|", Group::CONTEXT),
            ("x|", Group::LEXICON),
            ("b|", Group::CUE),
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
                g0.conjoined()
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
