//! Hashed weight table and averaged-perceptron training (Collins 2002), greedy
//! left-to-right with the predicted tag history.

use super::features::{feature_hash, history_features, static_features, TokInfo};
use super::TagScheme;

/// Maps a feature hash to the first weight of its row in a `buckets x n_tags` table.
#[inline(always)]
pub fn row_of(hash: u64, buckets: usize, n_tags: usize) -> usize {
    (((hash as u128) * (buckets as u128)) >> 64) as usize * n_tags
}

/// Collects the weight-row offsets of token `i`'s features (static and history).
#[inline(always)]
pub fn feature_rows(
    infos: &[TokInfo],
    i: usize,
    history: (u8, u8),
    buckets: usize,
    n_tags: usize,
    rows: &mut Vec<usize>,
) {
    rows.clear();
    static_features(infos, i, |t, v| {
        rows.push(row_of(feature_hash(t, v), buckets, n_tags))
    });
    history_features(&infos[i], history.0, history.1, |t, v| {
        rows.push(row_of(feature_hash(t, v), buckets, n_tags))
    });
}

/// The best tag allowed after `prev` (and, at the last token, one that closes every span).
#[inline(always)]
pub fn best_valid<T: PartialOrd + Copy>(
    scheme: TagScheme,
    scores: &[T],
    prev: u8,
    last: bool,
) -> u8 {
    let mut best: Option<(u8, T)> = None;
    for (t, &s) in scores.iter().enumerate() {
        if best.is_none_or(|(_, b)| s > b) && scheme.allowed(prev, t as u8, last) {
            best = Some((t as u8, s));
        }
    }
    best.map_or(0, |(t, _)| t)
}

/// Weights, accumulated totals and time stamps for the averaged perceptron.
pub struct Trainer {
    pub(crate) n_tags: usize,
    pub(crate) buckets: usize,
    pub(crate) w: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u32>,
    step: u32,
}

impl Trainer {
    pub fn new(buckets: usize, n_tags: usize) -> Self {
        let n = buckets * n_tags;
        Trainer {
            n_tags,
            buckets,
            w: vec![0.0; n],
            total: vec![0.0; n],
            stamp: vec![0; n],
            step: 0,
        }
    }

    #[inline(always)]
    fn bump(&mut self, idx: usize, delta: f32) {
        let elapsed = self.step - self.stamp[idx];
        self.total[idx] += elapsed as f64 * self.w[idx] as f64;
        self.stamp[idx] = self.step;
        self.w[idx] += delta;
    }

    /// Trains on one sentence (token summaries and gold tags); returns the number of
    /// tokens tagged wrongly.
    pub fn train_sentence(
        &mut self,
        scheme: TagScheme,
        infos: &[TokInfo],
        gold: &[u8],
        rows: &mut Vec<usize>,
    ) -> usize {
        let n_tags = self.n_tags;
        let mut scores = vec![0f32; n_tags];
        let (mut p1, mut p2) = (0u8, 0u8);
        let mut wrong = 0;
        for (i, &truth) in gold.iter().enumerate().take(infos.len()) {
            self.step += 1;
            feature_rows(infos, i, (p1, p2), self.buckets, n_tags, rows);
            scores.iter_mut().for_each(|s| *s = 0.0);
            for &r in rows.iter() {
                for (s, w) in scores.iter_mut().zip(&self.w[r..r + n_tags]) {
                    *s += w;
                }
            }
            let guess = best_valid(scheme, &scores, p1, i + 1 == infos.len());
            if guess != truth {
                wrong += 1;
                for &r in rows.iter() {
                    self.bump(r + truth as usize, 1.0);
                    self.bump(r + guess as usize, -1.0);
                }
            }
            p2 = p1;
            p1 = guess;
        }
        wrong
    }

    /// The averaged weights so far.
    pub fn averaged(&self) -> Vec<f32> {
        let step = self.step.max(1) as f64;
        (0..self.w.len())
            .map(|k| {
                let total = self.total[k] + (self.step - self.stamp[k]) as f64 * self.w[k] as f64;
                (total / step) as f32
            })
            .collect()
    }
}
