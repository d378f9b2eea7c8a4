//! Fast scoring of a sentence's rows without building them.
//!
//! A head's logits are linear in the row, and the row is a sum of per-group blocks, each
//! L2-normalized on its own (see `features`). So the logits can be summed group by group,
//! straight from the hashed hits, without merging the groups into one sorted row. That
//! lets the actors of one sentence share their character n-gram group (it depends on
//! where the mentions are, not on which of them is the target) and lets every lookup of
//! a bucket fetch its IDF and the weights of both heads from one place: [`Scorer`] keeps
//! them interleaved, one cache line per bucket instead of three.
//!
//! The result equals `Extractor::row_from_tokens` followed by
//! `LogisticRegression::proba_row` up to float rounding (tested below); training and
//! explanations use those rows.

use crate::features::{self, Extractor};
use crate::linear::classifier::{softmax_in_place, LogisticRegression};
use crate::sys::mem::prefetch;
use crate::model::{Head, Model};
use crate::text::strtable::StrTable;
use crate::text::tokenize::Token;

/// IDF and both heads' weights per bucket, interleaved.
#[derive(Debug, Clone)]
pub struct Scorer {
    /// Floats per bucket: a power of two, so that with `base` aligned to 64 bytes a
    /// bucket's slot (up to 16 floats) lies in one cache line.
    stride: usize,
    /// Index of bucket 0's slot in `table` (aligns it to 64 bytes).
    base: usize,
    /// Offset of each head's weights in a bucket's slot, and its class count.
    stance: (usize, usize),
    bias: (usize, usize),
    table: Vec<f32>,
    stance_intercept: Vec<f32>,
    bias_intercept: Vec<f32>,
    /// Tells this scorer's per-thread word cache ([`WordDots`]) from another's.
    id: u64,
}

/// Source of [`Scorer`] ids.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Scorer {
    pub fn new(model: &Model) -> Scorer {
        let buckets = model.features.buckets();
        let ks = model.stance.as_ref().map_or(0, |h| h.classifier.n_classes);
        let kb = model.bias.as_ref().map_or(0, |h| h.classifier.n_classes);
        let stride = (1 + ks + kb).next_power_of_two();
        let mut table = crate::sys::mem::zeroed_table(buckets * stride + 16);
        let base = table.as_ptr().align_offset(64).min(15);
        let slots = &mut table[base..];
        let copy = |slots: &mut [f32], m: &LogisticRegression, at: usize| {
            let k = m.n_classes;
            for j in 0..m.n_features.min(buckets) {
                slots[j * stride + at..j * stride + at + k]
                    .copy_from_slice(&m.weights[j * k..(j + 1) * k]);
            }
        };
        for j in 0..buckets {
            slots[j * stride] = crate::features::idf_at(&model.idf, j as u32);
        }
        if let Some(h) = &model.stance {
            copy(slots, &h.classifier, 1);
        }
        if let Some(h) = &model.bias {
            copy(slots, &h.classifier, 1 + ks);
        }
        Scorer {
            stride,
            base,
            stance: (1, ks),
            bias: (1 + ks, kb),
            table,
            stance_intercept: model
                .stance
                .as_ref()
                .map_or(Vec::new(), |h| h.classifier.intercept.clone()),
            bias_intercept: model
                .bias
                .as_ref()
                .map_or(Vec::new(), |h| h.classifier.intercept.clone()),
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// This scorer's unique id (for per-thread caches of what depends on its model).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The intercepts of a head: the start of its logits.
    pub fn intercept(&self, which: Head) -> &[f32] {
        match which {
            Head::Stance => &self.stance_intercept,
            Head::Bias => &self.bias_intercept,
        }
    }

    /// Add to `z` (the logits of head `which`) the contribution of `hits` (each
    /// `group << 32 | bucket`, as `Extractor::hits_from_tokens` gives them), which must
    /// hold every hit of each group it contains.
    pub fn add(&self, extractor: &Extractor, which: Head, hits: &[u64], z: &mut [f32]) {
        let (at, k) = match which {
            Head::Stance => self.stance,
            Head::Bias => self.bias,
        };
        debug_assert_eq!(z.len(), k);
        if hits.is_empty() {
            return;
        }
        // The class count as a constant for the usual heads: the per-hit loop unrolls.
        match k {
            2 => self.add_k::<2>(extractor, at, hits, z),
            3 => self.add_k::<3>(extractor, at, hits, z),
            4 => self.add_k::<4>(extractor, at, hits, z),
            _ => self.add_any(extractor, at, k, hits, z),
        }
    }

    /// [`Scorer::add`] for `K` classes at offset `at` of a slot.
    fn add_k<const K: usize>(&self, extractor: &Extractor, at: usize, hits: &[u64], z: &mut [f32]) {
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch { counts: c, sq, .. } = scratch;
            c.count_marked(hits, 0, |h| prefetch(&self.table[self.slot_of(h)]));
            let mut dot = [[0f32; K]; GROUPS];
            sq.fill(0.0);
            for (h, count, _) in c.distinct() {
                let (g, v, v_sq, slot) = self.weigh(extractor, h, count);
                sq[g] += v_sq;
                let w: &[f32; K] = slot[at..at + K].try_into().expect("K weights");
                for c in 0..K {
                    dot[g][c] += v * w[c];
                }
            }
            Self::normalize_into(extractor, sq, |g| &dot[g], z);
        });
    }

    /// A hit's group, its TF x IDF value for `count` occurrences, its share of the
    /// group's squared norm, and its bucket's slot.
    #[inline(always)]
    fn weigh(&self, extractor: &Extractor, h: u64, count: u32) -> (usize, f32, f32, &[f32]) {
        let (g, _) = crate::features::hit_parts(h);
        let at0 = self.slot_of(h);
        let slot = &self.table[at0..at0 + self.stride];
        let (v, sq) = extractor.value_sq(g, slot[0], count);
        (g.index(), v, sq, slot)
    }

    /// Add to `z` each group's dot products (`dot(g)`), L2-normalized by the group's sum
    /// of squares and weighted.
    #[inline(always)]
    fn normalize_into<'d>(
        extractor: &Extractor,
        sq: &[f32; GROUPS],
        dot: impl Fn(usize) -> &'d [f32],
        z: &mut [f32],
    ) {
        for (g, &sq) in sq.iter().enumerate() {
            if sq > 0.0 {
                let f = extractor.group_weight(crate::features::Group::from_index(g)) / sq.sqrt();
                for (zc, d) in z.iter_mut().zip(dot(g)) {
                    *zc += f * d;
                }
            }
        }
    }

    /// [`Scorer::add`] for any number of classes.
    fn add_any(&self, extractor: &Extractor, at: usize, k: usize, hits: &[u64], z: &mut [f32]) {
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch { counts: c, dot, sq } = scratch;
            c.count_marked(hits, 0, |h| prefetch(&self.table[self.slot_of(h)]));
            dot.clear();
            dot.resize(GROUPS * k, 0.0);
            sq.fill(0.0);
            for (h, count, _) in c.distinct() {
                let (g, v, v_sq, slot) = self.weigh(extractor, h, count);
                sq[g] += v_sq;
                for (d, w) in dot[g * k..(g + 1) * k].iter_mut().zip(&slot[at..at + k]) {
                    *d += v * w;
                }
            }
            let dot = &*dot;
            Self::normalize_into(extractor, sq, |g| &dot[g * k..(g + 1) * k], z);
        });
    }

    /// For a model with both heads: add the character n-gram group to the bias logits
    /// `zb` from all of `hits`, and to the stance logits `zs` from the hits without
    /// `mark` (the words outside every mention), in one pass over the distinct hits and
    /// one lookup of each bucket. `hits` must hold every character n-gram hit of the
    /// sentence, as [`Extractor::char_hits_marked`] gives them.
    pub fn add_chars_both(
        &self,
        extractor: &Extractor,
        hits: &[u64],
        mark: u64,
        zb: &mut [f32],
        zs: &mut [f32],
    ) {
        let ((at_s, ks), (at_b, kb)) = (self.stance, self.bias);
        debug_assert!(zs.len() == ks && zb.len() == kb);
        if hits.is_empty() {
            return;
        }
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch { counts: c, dot, .. } = &mut *scratch;
            c.count_marked(hits, mark, |h| prefetch(&self.table[self.slot_of(h)]));
            dot.clear();
            dot.resize(ks + kb, 0.0);
            let (ds, db) = dot.split_at_mut(ks);
            let (mut sq_s, mut sq_b) = (0f32, 0f32);
            for (h, count, outside) in c.distinct() {
                let (_, v, v_sq, slot) = self.weigh(extractor, h, count);
                sq_b += v_sq;
                for (d, w) in db.iter_mut().zip(&slot[at_b..at_b + kb]) {
                    *d += v * w;
                }
                if outside > 0 {
                    let (v, v_sq) =
                        extractor.value_sq(crate::features::Group::CHAR, slot[0], outside);
                    sq_s += v_sq;
                    for (d, w) in ds.iter_mut().zip(&slot[at_s..at_s + ks]) {
                        *d += v * w;
                    }
                }
            }
            let f = |sq: f32| extractor.group_weight(crate::features::Group::CHAR) / sq.sqrt();
            if sq_b > 0.0 {
                let f = f(sq_b);
                zb.iter_mut().zip(db.iter()).for_each(|(z, d)| *z += f * d);
            }
            if sq_s > 0.0 {
                let f = f(sq_s);
                zs.iter_mut().zip(ds.iter()).for_each(|(z, d)| *z += f * d);
            }
        });
    }

    /// For a model whose character n-grams are counted per word
    /// ([`Extractor::counts_char_words`]): add the character n-gram group to the bias
    /// logits `zb` from every word of `tokens`, and to the stance logits `zs` from the
    /// words outside `spans` (the mentions), where `zb` or `zs` is empty when the model
    /// has no such head. The group is a sum of per-word vectors, so each distinct word's
    /// dot products with both heads and its squared norm are computed once per thread and
    /// kept (up to `WORD_DOTS_MAX` words, then the cache starts over): a sentence
    /// costs a lookup per word instead of one per n-gram.
    pub fn add_char_words(
        &self,
        extractor: &Extractor,
        tokens: &[Token],
        spans: &[(usize, usize)],
        zb: &mut [f32],
        zs: &mut [f32],
    ) {
        debug_assert!(extractor.counts_char_words());
        let ((at_s, ks), (at_b, kb)) = (self.stance, self.bias);
        let (ks, kb) = (ks.min(zs.len()), kb.min(zb.len()));
        let width = 1 + ks + kb;
        WORD_DOTS.with_borrow_mut(|cache| {
            if cache.owner != self.id || cache.width != width || cache.full() {
                cache.reset(self.id, width);
            }
            // Per head: the squared norm, then the dot products.
            let mut sum_s = std::mem::take(&mut cache.sum_s);
            let mut sum_b = std::mem::take(&mut cache.sum_b);
            sum_s.clear();
            sum_s.resize(1 + ks, 0.0);
            sum_b.clear();
            sum_b.resize(1 + kb, 0.0);
            let mut in_span = features::SpanCursor::new(spans);
            for t in tokens {
                if t.text == features::TARGET || t.text == features::OTHER {
                    continue;
                }
                let e = cache.entry(&t.text, |vals| {
                    extractor.word_char_hits(&t.text, |hits| {
                        for &h in hits {
                            let slot = &self.table[self.slot_of(h)..][..self.stride];
                            let idf = slot[0];
                            vals[0] += idf * idf;
                            for c in 0..ks {
                                vals[1 + c] += idf * slot[at_s + c];
                            }
                            for c in 0..kb {
                                vals[1 + ks + c] += idf * slot[at_b + c];
                            }
                        }
                    })
                });
                sum_b[0] += e[0];
                for c in 0..kb {
                    sum_b[1 + c] += e[1 + ks + c];
                }
                if ks > 0 && in_span.find(t).is_none() {
                    for c in 0..=ks {
                        sum_s[c] += e[c];
                    }
                }
            }
            let gw = extractor.group_weight(features::Group::CHAR);
            for (z, sum) in [(&mut *zs, &sum_s), (&mut *zb, &sum_b)] {
                if sum.len() > 1 && sum[0] > 0.0 {
                    let f = gw / sum[0].sqrt();
                    z.iter_mut().zip(&sum[1..]).for_each(|(z, d)| *z += f * d);
                }
            }
            cache.sum_s = sum_s;
            cache.sum_b = sum_b;
        });
    }

    #[inline]
    fn slot_of(&self, h: u64) -> usize {
        self.base + (h & 0xffff_ffff) as usize * self.stride
    }

    /// Add to `z` (the logits of head `which`) the contribution of entries given with
    /// their final values (`(bucket, value)`: no IDF, no group norm), as the loaded-word
    /// features of the bias row.
    pub fn add_values(&self, which: Head, entries: &[(u32, f32)], z: &mut [f32]) {
        let (at, k) = match which {
            Head::Stance => self.stance,
            Head::Bias => self.bias,
        };
        for &(j, v) in entries {
            let slot = self.slot_of(j as u64);
            for (zc, w) in z.iter_mut().zip(&self.table[slot + at..slot + at + k]) {
                *zc += v * w;
            }
        }
    }

    /// Add to `z` (the logits of head `which`) the contribution of a sparse row (its
    /// buckets and final values, as `Extractor::row_named_from_tokens` builds it): the
    /// same sum, in the same order, as `LogisticRegression::logits` with the head's own
    /// weights.
    pub fn add_row(&self, which: Head, indices: &[u32], values: &[f32], z: &mut [f32]) {
        let (at, k) = self.head_slot(which);
        for (&j, &v) in indices.iter().zip(values) {
            let slot = self.slot_of(j as u64);
            for (zc, w) in z.iter_mut().zip(&self.table[slot + at..slot + at + k]) {
                *zc += v * w;
            }
        }
    }

    /// The weight of head `which` for `class` at `bucket` (0 for a class the head does
    /// not have).
    pub fn weight(&self, which: Head, bucket: u32, class: usize) -> f32 {
        let (at, k) = self.head_slot(which);
        if class < k {
            self.table[self.slot_of(bucket as u64) + at + class]
        } else {
            0.0
        }
    }

    /// Offset of head `which`'s weights in a bucket's slot, and its class count.
    fn head_slot(&self, which: Head) -> (usize, usize) {
        match which {
            Head::Stance => self.stance,
            Head::Bias => self.bias,
        }
    }

    /// Probabilities from logits, in place.
    pub fn probabilities(z: &mut [f32]) {
        softmax_in_place(z);
    }
}

/// Words [`Scorer::add_char_words`] keeps per thread before it starts over, and the
/// bytes of their text: with three stance and two bias classes, per thread, values 3 MB
/// and index 3 MB, plus the words themselves (4 MB and their allocations).
const WORD_DOTS_MAX: usize = 1 << 17;
const WORD_DOTS_MAX_BYTES: usize = 1 << 22;

/// Per-thread cache of [`Scorer::add_char_words`]: for each word seen, its character
/// n-gram vector's squared norm and dot products with both heads (`width` floats).
#[derive(Default)]
struct WordDots {
    /// The [`Scorer`] the values are for.
    owner: u64,
    width: usize,
    /// Each word's entry.
    index: StrTable<u32>,
    /// Bytes of the words in `index`.
    text_bytes: usize,
    /// `width` floats per entry.
    vals: Vec<f32>,
    /// Reused sums of the current sentence.
    sum_s: Vec<f32>,
    sum_b: Vec<f32>,
}

impl WordDots {
    fn full(&self) -> bool {
        self.index.len() >= WORD_DOTS_MAX || self.text_bytes >= WORD_DOTS_MAX_BYTES
    }

    fn reset(&mut self, owner: u64, width: usize) {
        self.owner = owner;
        self.width = width;
        self.index.clear();
        self.text_bytes = 0;
        self.vals.clear();
    }

    /// The values of `word`, filled in by `fill` (given zeroes) on first sight.
    fn entry(&mut self, word: &str, fill: impl FnOnce(&mut [f32])) -> &[f32] {
        let w = self.width;
        let i = match self.index.get(word.as_bytes()) {
            Some(&i) => i as usize,
            None => {
                let i = self.vals.len() / w;
                self.vals.resize((i + 1) * w, 0.0);
                fill(&mut self.vals[i * w..]);
                self.index.get_or_insert_with(word, || i as u32);
                self.text_bytes += word.len();
                i
            }
        };
        &self.vals[i * w..(i + 1) * w]
    }
}

thread_local! {
    static WORD_DOTS: std::cell::RefCell<WordDots> = std::cell::RefCell::new(WordDots::default());
}

/// Feature groups a hit can belong to (`features::G_*`, conjoined copies included).
const GROUPS: usize = crate::features::GROUPS;

/// Per-thread buffers of [`Scorer::add`].
struct Scratch {
    counts: HitCounts,
    /// Per group: the dot products with the head's weights (`k` each) and the sum of
    /// squared weights (for the L2 normalization).
    dot: Vec<f32>,
    sq: [f32; GROUPS],
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch {
        counts: HitCounts::default(),
        dot: Vec::new(),
        sq: [0.0; GROUPS],
    });
}

/// Counts of distinct hits in first-seen order, through an open-addressing table that is
/// reused between calls (a generation stamp marks the live entries, so it is never
/// cleared): linear in the hits, where sorting them was not. An entry holds its stamp and
/// its hit in one word, so a probe reads one place.
#[derive(Default)]
struct HitCounts {
    /// Per entry: `stamp << HIT_BITS | hit`, live when its stamp is the current one.
    table: Vec<u64>,
    /// Per entry: its count, and its count without the mark (see
    /// [`HitCounts::count_marked`]).
    counts: Vec<(u32, u32)>,
    stamp: u64,
    /// The entries of the distinct hits, in first-seen order.
    order: Vec<u32>,
}

/// Bits of a hit (`group << 32 | bucket`, groups below 16): the stamp sits above them.
const HIT_BITS: u32 = 36;
const HIT_MASK: u64 = (1 << HIT_BITS) - 1;

impl HitCounts {
    /// Count `hits` with the bits of `mark` cleared, and apart the hits without those bits
    /// set; `first` is called on each (cleared) hit when it is first seen.
    fn count_marked(&mut self, hits: &[u64], mark: u64, mut first: impl FnMut(u64)) {
        let size = (2 * hits.len()).next_power_of_two().max(1024);
        if self.table.len() < size {
            self.table = vec![0; size];
            self.counts = vec![(0, 0); size];
            self.stamp = 0;
        }
        self.stamp += 1;
        if self.stamp >> (64 - HIT_BITS) != 0 {
            self.table.fill(0);
            self.stamp = 1;
        }
        let live = self.stamp << HIT_BITS;
        let mask = self.table.len() - 1;
        let shift = 64 - mask.count_ones();
        self.order.clear();
        for &marked in hits {
            let h = marked & !mark;
            debug_assert!(h <= HIT_MASK, "hit {h:#x} has bits above {HIT_BITS}");
            let unmarked = u32::from(marked == h);
            let mut i = (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize;
            loop {
                let e = self.table[i];
                if e == live | h {
                    let c = &mut self.counts[i];
                    c.0 += 1;
                    c.1 += unmarked;
                    break;
                }
                if e & !HIT_MASK != live {
                    self.table[i] = live | h;
                    self.counts[i] = (1, unmarked);
                    self.order.push(i as u32);
                    first(h);
                    break;
                }
                i = (i + 1) & mask;
            }
        }
    }

    /// The distinct hits of the last count with their counts (all, and without the mark).
    fn distinct(&self) -> impl Iterator<Item = (u64, u32, u32)> + '_ {
        self.order.iter().map(|&i| {
            let (n, unmarked) = self.counts[i as usize];
            (self.table[i as usize] & HIT_MASK, n, unmarked)
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze::Analyzer;
    use crate::model::{Model, TrainingInfo};
    use crate::{io::data, train};

    /// A small model with both heads, trained on the project corpus's dev split.
    /// ... with character n-grams counted per word (the default) or at every occurrence,
    /// and with a loaded-word detector when `marks` (trained on the sentiment-lexicon
    /// words of biased sentences, marked here for the test).
    fn model(char_words: bool, marks: bool) -> Model {
        model_with(char_words, marks, &[])
    }

    /// [`model`] with the feature families `families` on as well.
    fn model_with(char_words: bool, marks: bool, families: &[crate::features::Family]) -> Model {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(root.join("data/corpus/dev.csv")).unwrap();
        let mut rows = data::read_csv(&bytes[..], "dev.csv", &data::Columns::default(), false)
            .unwrap()
            .rows;
        if marks {
            for r in rows.iter_mut().filter(|r| r.bias.is_some()) {
                let biased = r.bias.as_deref() == Some("biased");
                r.loaded_words = Some(
                    r.text
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| biased && crate::features::valence(&w.to_lowercase()).is_some())
                        .map(str::to_string)
                        .collect(),
                );
            }
        }
        let mut cfg = train::TrainConfig::default();
        assert!(cfg.features.extras.char_words);
        cfg.features.extras.char_words = char_words;
        for &f in families {
            *cfg.features.extras.switch(f) = true;
        }
        let (lexicon, s, b) = train::prepare(&cfg, &rows).unwrap();
        let (s, b) = (s.unwrap(), b.unwrap());
        let ex = train::extractor(&cfg.features).unwrap();
        let rs = train::raw_rows(&ex, &s.examples, &|| {}).unwrap();
        let rb = train::raw_rows(&ex, &b.examples, &|| {}).unwrap();
        let info = TrainingInfo {
            train_file: "dev.csv".into(),
            train_fingerprint: String::new(),
            eval_file: None,
            crate_version: "test".into(),
            seed: 42,
            params: cfg.params.clone(),
            bias_params: cfg.bias_params.clone(),
            skipped: vec![],
        };
        train::train_model(&cfg, Some((&s, &rs)), Some((&b, &rb)), lexicon, info).unwrap()
    }

    /// The analyzer's scorer, which drops the model's own dense weights and IDF, scores
    /// and explains exactly (bit for bit) as a scorer of the whole model.
    #[test]
    fn owning_scorer_scores_and_explains_as_the_whole_model() {
        use crate::model::sentence::{SentenceScorer, Target};
        let m = model(true, true);
        let text = "The mayor praised Iran and criticized the United States for the sanctions.";
        let at = |name: &str| {
            let s = text.find(name).unwrap();
            (s, s + name.len())
        };
        let (iran, us) = ([at("Iran")], [at("United States")]);
        let mentions = [iran[0], us[0]];
        let targets = [
            Target {
                spans: &iran,
                others: &us,
                key: Some("iran"),
            },
            Target {
                spans: &us,
                others: &iran,
                key: Some("united states"),
            },
        ];
        for top in [0, 5] {
            let whole = SentenceScorer::new(&m).with_explanations(top);
            let owning = SentenceScorer::owning(m.clone()).with_explanations(top);
            assert!(owning.model().idf.is_empty());
            assert!(owning.model().stance.as_ref().unwrap().classifier.weights.is_empty());
            assert!(owning.model().bias.as_ref().unwrap().classifier.weights.is_empty());
            let a = whole.score(text, &mentions, &targets, true, 3).unwrap();
            let b = owning.score(text, &mentions, &targets, true, 3).unwrap();
            assert_eq!(a.bias, b.bias);
            assert_eq!(a.stance, b.stance);
            assert_eq!(a.stance.len(), 2);
            assert_eq!(a.stance[0].explanation.is_some(), top > 0);
        }
    }

    /// A row's logits from the scorer's table equal, bit for bit, those of the head's own
    /// weights (the sum explanations used before the model's copy was dropped).
    #[test]
    fn scorer_rows_give_the_heads_logits_exactly() {
        let m = model(true, false);
        let scorer = super::Scorer::new(&m);
        let buckets = m.features.buckets() as u64;
        let indices: Vec<u32> = (0..4000u64)
            .map(|i| ((i * 0x9e37_79b9_7f4a_7c15) >> 7) % buckets)
            .collect::<std::collections::BTreeSet<u64>>()
            .into_iter()
            .map(|j| j as u32)
            .collect();
        let values: Vec<f32> = (0..indices.len()).map(|i| (i % 17) as f32 * 0.013 - 0.1).collect();
        for which in crate::model::Head::ALL {
            let c = &m.head(which).unwrap().classifier;
            let mut z = scorer.intercept(which).to_vec();
            scorer.add_row(which, &indices, &values, &mut z);
            assert_eq!(z, c.logits(&indices, &values));
            for &j in indices.iter().take(50) {
                for k in 0..c.n_classes {
                    assert_eq!(scorer.weight(which, j, k), c.weights[j as usize * c.n_classes + k]);
                }
            }
        }
    }

    /// A model file gives back every setting of the feature stage, including the ones
    /// stored after the payload (the optional families and the lexicon weight, typed
    /// fields of format version 5, written as 6 with the word vectors on), and the same heads and detector.
    #[test]
    fn model_files_keep_the_feature_settings() {
        let path = std::path::Path::new("m.stance");
        let mut m = model(true, true);
        assert_eq!(m.features.lexicon_weight, 0.25);
        for w in [0.25, 1.0, 0.1] {
            m.features.lexicon_weight = w;
            let bytes = m.to_bytes();
            // Version 6: the word vectors are on by default.
            assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 6);
            let back = Model::from_bytes(&bytes, path).unwrap();
            assert_eq!(back.features, m.features);
            assert_eq!(back.features.extras, m.features.extras);
            assert_eq!(back.stance, m.stance);
            assert_eq!(back.bias, m.bias);
            assert_eq!(back.loaded, m.loaded);
            assert_eq!(back.to_bytes(), bytes);
        }
    }

    /// The feature families that read outside resources.
    const RESOURCES: [crate::features::Family; 3] = [
        crate::features::Family::Vectors,
        crate::features::Family::Clusters,
        crate::features::Family::Subjectivity,
    ];

    /// A model with the families of outside resources is written as format version 6,
    /// reads back with the same settings, and scores articles as before it was written;
    /// one without them is still written as version 5.
    #[test]
    fn models_with_resource_families_save_load_and_score_the_same() {
        let path = std::path::Path::new("m.stance");
        let m = model_with(true, true, &RESOURCES);
        let on = m.features.extras.families();
        for f in RESOURCES {
            assert!(on.contains(&f), "{on:?}");
        }
        let bytes = m.to_bytes();
        assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 6);
        let back = Model::from_bytes(&bytes, path).unwrap();
        assert_eq!(back.features, m.features);
        assert_eq!(back.features.extras, m.features.extras);
        assert_eq!(back.to_bytes(), bytes);
        let text = "Oman praised the talks with Iran. Iran's reckless threats wrecked them, \
                    critics said, in a terrible blow to the amazing progress.";
        let a = Analyzer::new(m).unwrap().with_explanations(100_000);
        let b = Analyzer::new(back).unwrap().with_explanations(100_000);
        let (ra, rb) = (a.article("a", text).unwrap(), b.article("a", text).unwrap());
        assert_eq!(
            serde_json::to_string(&ra).unwrap(),
            serde_json::to_string(&rb).unwrap()
        );
        // The explanations name the new families' features.
        let json = serde_json::to_string(&ra).unwrap();
        for prefix in ["\"v|", "\"g|"] {
            assert!(json.contains(prefix), "no {prefix} feature: {json}");
        }
        // Word vectors are explained by block, never by dimension.
        assert!(!json.contains("\"v|s|"), "{json}");
        let mut plain = model(true, false);
        assert!(plain.features.extras.vectors, "on by default");
        plain.features.extras.vectors = false;
        let plain = plain.to_bytes();
        assert_eq!(u32::from_le_bytes(plain[8..12].try_into().unwrap()), 5);
    }

    /// The scorer's group-by-group logits give the probabilities of the full rows (the
    /// path explanations and training use) on every sentence of the example articles.
    #[test]
    fn scorer_matches_full_rows_on_the_example_articles() {
        let (mut pairs, mut biased, mut flagged) = (0, 0, 0);
        let marked = model(true, true);
        assert!(marked.loaded.is_some());
        let models = [
            model(true, false),
            model(false, false),
            marked,
            model_with(true, true, &RESOURCES),
        ]
        .into_iter()
        .flat_map(|both| {
            let mut stance_only = both.clone();
            stance_only.bias = None;
            stance_only.loaded = None;
            [both, stance_only]
        });
        for m in models {
            let has_bias = m.bias.is_some();
            let fast = Analyzer::new(m.clone()).unwrap();
            let rows = Analyzer::new(m).unwrap().with_explanations(1);
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
            for e in std::fs::read_dir(dir).unwrap() {
                let path = e.unwrap().path();
                if path.extension().is_none_or(|x| x != "txt") || path.ends_with("README.md") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let a = fast.article("a", &text).unwrap();
                let b = rows.article("a", &text).unwrap();
                assert_eq!(a.sentences.len(), b.sentences.len());
                for (x, y) in a.sentences.iter().zip(&b.sentences) {
                    assert_eq!(x.bias.is_some(), has_bias);
                    assert_eq!(y.bias.is_some(), has_bias);
                    if let (Some(bx), Some(by)) = (x.bias, y.bias) {
                        assert!((bx - by).abs() < 1e-5, "{}: {bx} vs {by}", x.text);
                        biased += usize::from(bx >= 0.5);
                    }
                    assert_eq!(x.loaded_words, y.loaded_words);
                    flagged += x.loaded_words.len();
                    assert_eq!(x.actors.len(), y.actors.len());
                    for (u, v) in x.actors.iter().zip(&y.actors) {
                        assert_eq!(u.actor, v.actor);
                        for ((cu, pu), (cv, pv)) in u.probabilities.iter().zip(&v.probabilities) {
                            assert_eq!(cu, cv);
                            assert!(
                                (pu - pv).abs() < 1e-5,
                                "{} / {}: {pu} vs {pv}",
                                x.text,
                                u.actor
                            );
                        }
                        pairs += 1;
                    }
                }
            }
        }
        // The comparison covered many actor rows and both bias outcomes.
        assert!(pairs > 800, "{pairs}");
        assert!(biased > 20, "{biased}");
        assert!(flagged > 20, "{flagged}");
    }
}
