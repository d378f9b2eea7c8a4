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

use crate::classifier::{softmax_in_place, LogisticRegression};
use crate::features::Extractor;
use crate::model::Model;

/// Which head to score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Stance,
    Bias,
}

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
}

impl Scorer {
    pub fn new(model: &Model) -> Scorer {
        let extractor = model.extractor();
        let buckets = model.features.buckets();
        let ks = model.stance.as_ref().map_or(0, |h| h.classifier.n_classes);
        let kb = model.bias.as_ref().map_or(0, |h| h.classifier.n_classes);
        let stride = (1 + ks + kb).next_power_of_two();
        let mut table = vec![0f32; buckets * stride + 16];
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
            slots[j * stride] = extractor.idf_of(j as u32);
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
        }
    }

    /// The intercepts of a head: the start of its logits.
    pub fn intercept(&self, which: Which) -> &[f32] {
        match which {
            Which::Stance => &self.stance_intercept,
            Which::Bias => &self.bias_intercept,
        }
    }

    /// Add to `z` (the logits of head `which`) the contribution of `hits` (each
    /// `group << 32 | bucket`, as `Extractor::hits_from_tokens` gives them), which must
    /// hold every hit of each group it contains. Sorts `hits`.
    pub fn add(&self, extractor: &Extractor, which: Which, hits: &mut [u64], z: &mut [f32]) {
        let (at, k) = match which {
            Which::Stance => self.stance,
            Which::Bias => self.bias,
        };
        debug_assert_eq!(z.len(), k);
        hits.sort_unstable();
        let mut small = [0f32; 16];
        let mut large = Vec::new();
        let dot: &mut [f32] = if k <= small.len() {
            &mut small[..k]
        } else {
            large.resize(k, 0.0);
            &mut large
        };
        let slot_of = |h: u64| self.base + (h & 0xffff_ffff) as usize * self.stride;
        let mut sq = 0f32;
        let mut i = 0;
        while i < hits.len() {
            let h = hits[i];
            // The slots are scattered over tens of megabytes: ask for one a few hits ahead.
            if let Some(&ahead) = hits.get(i + PREFETCH_AHEAD) {
                prefetch(&self.table[slot_of(ahead)]);
            }
            let mut j = i + 1;
            while j < hits.len() && hits[j] == h {
                j += 1;
            }
            let slot = &self.table[slot_of(h)..slot_of(h) + self.stride];
            let v = extractor.tf((j - i) as u32) * slot[0];
            sq += v * v;
            for (d, w) in dot.iter_mut().zip(&slot[at..at + k]) {
                *d += v * w;
            }
            i = j;
            // End of the group: normalize and add.
            let g = (h >> 32) as u8;
            if i == hits.len() || (hits[i] >> 32) as u8 != g {
                if sq > 0.0 {
                    let f = extractor.group_weight(g) / sq.sqrt();
                    for (zc, d) in z.iter_mut().zip(dot.iter()) {
                        *zc += f * d;
                    }
                }
                sq = 0.0;
                dot.iter_mut().for_each(|d| *d = 0.0);
            }
        }
    }

    /// Probabilities from logits, in place.
    pub fn probabilities(z: &mut [f32]) {
        softmax_in_place(z);
    }
}

/// How many hits ahead `Scorer::add` prefetches.
const PREFETCH_AHEAD: usize = 16;

/// Hint the CPU to load the cache line holding `x`.
#[inline(always)]
fn prefetch(x: &f32) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint with no architectural effect; `x` is a valid reference.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((x as *const f32).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

#[cfg(test)]
mod tests {
    use crate::analyze::Analyzer;
    use crate::model::{Model, TrainingInfo};
    use crate::{data, train};

    /// A small model with both heads, trained on the project corpus's dev split.
    fn model() -> Model {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(root.join("data/corpus/dev.csv")).unwrap();
        let rows = data::read_csv(&bytes[..], "dev.csv", &data::Columns::default(), false)
            .unwrap()
            .rows;
        let cfg = train::TrainConfig::default();
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

    /// The scorer's group-by-group logits give the probabilities of the full rows (the
    /// path explanations and training use) on every sentence of the example articles.
    #[test]
    fn scorer_matches_full_rows_on_the_example_articles() {
        let m = model();
        let fast = Analyzer::new(m.clone()).unwrap();
        let rows = Analyzer::new(m).unwrap().with_explanations(1);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
        let (mut pairs, mut biased) = (0, 0);
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
                let (bx, by) = (x.bias.unwrap(), y.bias.unwrap());
                assert!((bx - by).abs() < 1e-5, "{}: {bx} vs {by}", x.text);
                biased += usize::from(bx >= 0.5);
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
        // The comparison covered many actor rows and both bias outcomes.
        assert!(pairs > 200, "{pairs}");
        assert!(biased > 10, "{biased}");
    }
}
