//! The fitted model: dense weights and intercepts, the probabilities of a row, and the
//! sparse serialization of the weights.

use crate::linear::sparse::CsrMatrix;
use linfa::traits::PredictInplace;
use ndarray::Array1;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A fitted model: dense weights over all columns, class-minor. Serialized sparsely
/// (only columns with a non-zero weight), and validated when deserialized.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "SparseLr")]
pub struct LogisticRegression {
    pub n_features: usize,
    pub n_classes: usize,
    /// `weights[j * n_classes + k]`: weight of column j for class k.
    pub weights: Vec<f32>,
    pub intercept: Vec<f32>,
    /// L-BFGS iterations run and final objective value; for SGD, epochs run and the
    /// mean weighted loss of the last epoch's rows, each taken before its update.
    pub iterations: u64,
    pub final_loss: f64,
}

/// Largest number of columns a model may declare (2^26, the largest hash space).
pub const MAX_FEATURES: usize = 1 << 26;
/// Largest number of classes a model may declare.
pub const MAX_CLASSES: usize = 1024;

/// Elements a deserialized vector reserves at most before it starts growing.
const RESERVE_CAP: usize = 1 << 24;

/// Deserialize a `Vec` reserving the length the format announces (postcard gives it
/// exactly), up to `RESERVE_CAP` elements: serde's own `Vec` reserves at most about 1 MB
/// and then grows by doubling, so a model's weights were copied and faulted in several
/// times while loading. A corrupt length reserves at most the cap (never touched) and
/// fails at the end of the input.
pub(crate) fn vec_reserved<'de, D, T>(d: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a sequence")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Vec<T>, A::Error> {
            let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(RESERVE_CAP));
            while let Some(x) = seq.next_element()? {
                v.push(x);
            }
            Ok(v)
        }
    }
    d.deserialize_seq(V(std::marker::PhantomData))
}

/// On-disk form of `LogisticRegression` (written by its `Serialize`, as `SparseLrRef`).
#[derive(Deserialize)]
struct SparseLr {
    n_features: u64,
    n_classes: u32,
    #[serde(deserialize_with = "vec_reserved")]
    cols: Vec<u32>,
    #[serde(deserialize_with = "vec_reserved")]
    weights: Vec<f32>,
    intercept: Vec<f32>,
    iterations: u64,
    final_loss: f64,
}

/// `SparseLr` as written: the same fields, borrowing what it can.
#[derive(Serialize)]
struct SparseLrRef<'a> {
    n_features: u64,
    n_classes: u32,
    cols: Vec<u32>,
    weights: Vec<f32>,
    intercept: &'a [f32],
    iterations: u64,
    final_loss: f64,
}

impl Serialize for LogisticRegression {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let k = self.n_classes;
        let mut cols = Vec::new();
        let mut weights = Vec::new();
        for (j, w) in self.weights.chunks_exact(k.max(1)).enumerate() {
            if w.iter().any(|&v| v != 0.0) {
                cols.push(j as u32);
                weights.extend_from_slice(w);
            }
        }
        SparseLrRef {
            n_features: self.n_features as u64,
            n_classes: k as u32,
            cols,
            weights,
            intercept: &self.intercept,
            iterations: self.iterations,
            final_loss: self.final_loss,
        }
        .serialize(serializer)
    }
}

impl TryFrom<SparseLr> for LogisticRegression {
    type Error = String;
    fn try_from(d: SparseLr) -> std::result::Result<Self, String> {
        let n = d.n_features as usize;
        let k = d.n_classes as usize;
        if n == 0 || n > MAX_FEATURES || !(2..=MAX_CLASSES).contains(&k) {
            return Err(format!("implausible classifier shape {n} x {k}"));
        }
        if d.weights.len() != d.cols.len() * k || d.intercept.len() != k {
            return Err("classifier arrays do not match its shape".into());
        }
        if d.cols.windows(2).any(|w| w[0] >= w[1])
            || d.cols.last().is_some_and(|&c| c as usize >= n)
        {
            return Err("classifier columns are not sorted or out of range".into());
        }
        let mut weights = vec![0f32; n * k];
        for (i, &c) in d.cols.iter().enumerate() {
            weights[c as usize * k..(c as usize + 1) * k]
                .copy_from_slice(&d.weights[i * k..(i + 1) * k]);
        }
        Ok(LogisticRegression {
            n_features: n,
            n_classes: k,
            weights,
            intercept: d.intercept,
            iterations: d.iterations,
            final_loss: d.final_loss,
        })
    }
}

impl LogisticRegression {
    /// Logits of one sparse row.
    pub fn logits(&self, indices: &[u32], values: &[f32]) -> Vec<f32> {
        let k = self.n_classes;
        let mut z = self.intercept.clone();
        for (&j, &x) in indices.iter().zip(values) {
            let j = j as usize;
            if j < self.n_features {
                let w = &self.weights[j * k..(j + 1) * k];
                for c in 0..k {
                    z[c] += x * w[c];
                }
            }
        }
        z
    }

    /// Class probabilities of one sparse row.
    pub fn proba_row(&self, indices: &[u32], values: &[f32]) -> Vec<f32> {
        let mut z = self.logits(indices, values);
        softmax_in_place(&mut z);
        z
    }

    /// Class probabilities of every row.
    pub fn predict_proba(&self, x: &CsrMatrix) -> Vec<Vec<f32>> {
        (0..x.nrows())
            .into_par_iter()
            .map(|i| {
                let (ix, v) = x.row(i);
                self.proba_row(ix, v)
            })
            .collect()
    }
}

pub(crate) fn softmax_in_place(z: &mut [f32]) {
    let m = z.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let mut s = 0.0;
    for v in z.iter_mut() {
        *v = (*v - m).exp();
        s += *v;
    }
    for v in z.iter_mut() {
        *v /= s;
    }
}

/// Index of the largest value (first on ties).
pub fn argmax(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

impl PredictInplace<CsrMatrix, Array1<usize>> for LogisticRegression {
    fn predict_inplace(&self, x: &CsrMatrix, y: &mut Array1<usize>) {
        assert_eq!(x.nrows(), y.len(), "one target per row");
        for (i, p) in self.predict_proba(x).into_iter().enumerate() {
            y[i] = argmax(&p);
        }
    }
    fn default_target(&self, x: &CsrMatrix) -> Array1<usize> {
        Array1::zeros(x.nrows())
    }
}
