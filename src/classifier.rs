//! Multinomial logistic regression with L2 penalty over sparse rows, behind linfa's
//! `Fit` / `PredictInplace` traits.
//!
//! Minimizes `(1/n) sum_i s_i * CE(softmax(x_i W + b), y_i) + |W|^2 / (2 C n)` (the same
//! optimum as scikit-learn's `LogisticRegression(C)`, with sample weights `s_i`; the
//! intercept is not penalized) with L-BFGS from `argmin`. Only the columns that occur in
//! the training rows are optimized. Gradients are summed over a fixed number of row
//! chunks in a fixed order, so the result is identical whatever the number of threads.

use crate::error::{Error, Result};
use crate::sparse::CsrMatrix;
use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::dataset::DatasetBase;
use linfa::traits::{Fit, PredictInplace};
use ndarray::Array1;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// How to weight classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClassWeight {
    /// Every row counts once (times its dataset weight).
    Uniform,
    /// Rows of class c count `n / (k * n_c)`, as scikit-learn's "balanced".
    Balanced,
}

/// Unchecked hyperparameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticRegressionParams {
    /// Inverse L2 strength (default 10).
    pub c: f64,
    /// L-BFGS iterations at most (default 300).
    pub max_iter: u64,
    /// Stop when the gradient norm falls below this (default 1e-5).
    pub tol: f64,
    /// L-BFGS history length (default 7).
    pub history: usize,
    /// Class weighting (default `Balanced`).
    pub class_weight: ClassWeight,
    /// Number of classes; `None` = largest label + 1.
    pub n_classes: Option<usize>,
    /// Columns stored in fewer training rows than this get no weight (default 2): a
    /// feature seen once cannot generalize, and dropping them shrinks the problem.
    pub min_df: usize,
}

impl Default for LogisticRegressionParams {
    fn default() -> Self {
        LogisticRegressionParams {
            c: 10.0,
            max_iter: 300,
            tol: 1e-5,
            history: 7,
            class_weight: ClassWeight::Balanced,
            n_classes: None,
            min_df: 2,
        }
    }
}

/// Checked hyperparameters; the only type that can fit.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticRegressionValidParams(LogisticRegressionParams);

impl LogisticRegressionParams {
    pub fn c(mut self, c: f64) -> Self {
        self.c = c;
        self
    }
    pub fn max_iter(mut self, n: u64) -> Self {
        self.max_iter = n;
        self
    }
    pub fn class_weight(mut self, w: ClassWeight) -> Self {
        self.class_weight = w;
        self
    }
    pub fn tol(mut self, t: f64) -> Self {
        self.tol = t;
        self
    }
    pub fn min_df(mut self, m: usize) -> Self {
        self.min_df = m;
        self
    }
    pub fn n_classes(mut self, k: usize) -> Self {
        self.n_classes = Some(k);
        self
    }
    /// Validate the parameters.
    pub fn check(self) -> Result<LogisticRegressionValidParams> {
        if !(self.c.is_finite() && self.c > 0.0) {
            return Err(Error::InvalidParameter(format!(
                "C must be > 0, got {}",
                self.c
            )));
        }
        if self.max_iter == 0 || self.history == 0 {
            return Err(Error::InvalidParameter(
                "max_iter and history must be at least 1".into(),
            ));
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(Error::InvalidParameter("tol must be >= 0".into()));
        }
        Ok(LogisticRegressionValidParams(self))
    }
}

impl LogisticRegressionValidParams {
    pub fn params(&self) -> &LogisticRegressionParams {
        &self.0
    }
}

/// A fitted model: dense weights over all columns, class-minor. Serialized sparsely
/// (only columns with a non-zero weight), and validated when deserialized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "SparseLr", try_from = "SparseLr")]
pub struct LogisticRegression {
    pub n_features: usize,
    pub n_classes: usize,
    /// `weights[j * n_classes + k]`: weight of column j for class k.
    pub weights: Vec<f32>,
    pub intercept: Vec<f32>,
    /// L-BFGS iterations run and final objective value.
    pub iterations: u64,
    pub final_loss: f64,
}

/// Largest number of columns a model may declare (2^26, the largest hash space).
pub const MAX_FEATURES: usize = 1 << 26;
/// Largest number of classes a model may declare.
pub const MAX_CLASSES: usize = 1024;

/// On-disk form of `LogisticRegression`.
#[derive(Serialize, Deserialize)]
struct SparseLr {
    n_features: u64,
    n_classes: u32,
    cols: Vec<u32>,
    weights: Vec<f32>,
    intercept: Vec<f32>,
    iterations: u64,
    final_loss: f64,
}

impl From<LogisticRegression> for SparseLr {
    fn from(m: LogisticRegression) -> SparseLr {
        let k = m.n_classes;
        let mut cols = Vec::new();
        let mut weights = Vec::new();
        for j in 0..m.n_features {
            let w = &m.weights[j * k..(j + 1) * k];
            if w.iter().any(|&v| v != 0.0) {
                cols.push(j as u32);
                weights.extend_from_slice(w);
            }
        }
        SparseLr {
            n_features: m.n_features as u64,
            n_classes: k as u32,
            cols,
            weights,
            intercept: m.intercept,
            iterations: m.iterations,
            final_loss: m.final_loss,
        }
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

/// A point with its objective value and gradient.
type Evaluated = (Vec<f64>, f64, Vec<f64>);

/// The objective over compacted columns.
struct Problem<'a> {
    x: &'a CsrMatrix,
    /// Compacted column of each stored entry of `x`.
    cols: Vec<u32>,
    y: &'a [usize],
    s: Vec<f64>,
    k: usize,
    ncols: usize,
    lambda: f64,
    cache: Mutex<Option<Evaluated>>,
}

const CHUNKS: usize = 4;

impl Problem<'_> {
    fn eval(&self, p: &[f64]) -> (f64, Vec<f64>) {
        if let Some((q, f, g)) = self.cache.lock().unwrap().as_ref() {
            if q.as_slice() == p {
                return (*f, g.clone());
            }
        }
        let n = self.x.nrows();
        let k = self.k;
        let dim = p.len();
        let bias_at = self.ncols * k;
        let chunk = n.div_ceil(CHUNKS).max(1);
        let parts: Vec<(f64, Vec<f64>)> = (0..CHUNKS)
            .into_par_iter()
            .map(|c| {
                let mut g = vec![0.0f64; dim];
                let mut loss = 0.0;
                let mut z = vec![0.0f64; k];
                for i in (c * chunk)..((c + 1) * chunk).min(n) {
                    let (a, b) = (self.x.indptr[i], self.x.indptr[i + 1]);
                    z.copy_from_slice(&p[bias_at..bias_at + k]);
                    for e in a..b {
                        if self.cols[e] == u32::MAX {
                            continue;
                        }
                        let j = self.cols[e] as usize * k;
                        let v = self.x.values[e] as f64;
                        for (c2, zc) in z.iter_mut().enumerate() {
                            *zc += v * p[j + c2];
                        }
                    }
                    let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                    let mut sum = 0.0;
                    for zc in z.iter_mut() {
                        *zc = (*zc - m).exp();
                        sum += *zc;
                    }
                    let yi = self.y[i];
                    let si = self.s[i];
                    loss += si * (sum.ln() - (z[yi].ln()));
                    for (c2, zc) in z.iter_mut().enumerate() {
                        *zc = si * (*zc / sum - if c2 == yi { 1.0 } else { 0.0 });
                    }
                    for e in a..b {
                        if self.cols[e] == u32::MAX {
                            continue;
                        }
                        let j = self.cols[e] as usize * k;
                        let v = self.x.values[e] as f64;
                        for c2 in 0..k {
                            g[j + c2] += v * z[c2];
                        }
                    }
                    for c2 in 0..k {
                        g[bias_at + c2] += z[c2];
                    }
                }
                (loss, g)
            })
            .collect();
        let inv_n = 1.0 / n as f64;
        let mut loss = 0.0;
        let mut grad = vec![0.0f64; dim];
        for (l, g) in parts {
            loss += l;
            for (a, b) in grad.iter_mut().zip(g) {
                *a += b;
            }
        }
        loss *= inv_n;
        for v in grad.iter_mut() {
            *v *= inv_n;
        }
        for (j, w) in p[..bias_at].iter().enumerate() {
            loss += 0.5 * self.lambda * w * w;
            grad[j] += self.lambda * w;
        }
        *self.cache.lock().unwrap() = Some((p.to_vec(), loss, grad.clone()));
        (loss, grad)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.eval(p).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> std::result::Result<Vec<f64>, argmin::core::Error> {
        Ok(self.eval(p).1)
    }
}

impl Fit<CsrMatrix, Array1<usize>, Error> for LogisticRegressionValidParams {
    type Object = LogisticRegression;

    fn fit(&self, ds: &DatasetBase<CsrMatrix, Array1<usize>>) -> Result<LogisticRegression> {
        let p = &self.0;
        let x = &ds.records;
        let y = ds.targets.as_slice().expect("contiguous targets");
        let n = x.nrows();
        if n != y.len() {
            return Err(Error::MismatchedShapes(n, y.len()));
        }
        if n == 0 {
            return Err(Error::Training("no training rows".into()));
        }
        let k = p
            .n_classes
            .unwrap_or_else(|| y.iter().max().map_or(0, |m| m + 1));
        if k < 2 {
            return Err(Error::Training(format!(
                "need at least two classes, the data has {k}"
            )));
        }
        if let Some(bad) = y.iter().find(|&&c| c >= k) {
            return Err(Error::Training(format!("label index {bad} >= {k} classes")));
        }
        // Sample weights: dataset weights times class weights.
        let mut s: Vec<f64> = match ds.weights() {
            Some(w) if w.len() == n => w.iter().map(|&v| v as f64).collect(),
            _ => vec![1.0; n],
        };
        if p.class_weight == ClassWeight::Balanced {
            let mut counts = vec![0usize; k];
            for &c in y {
                counts[c] += 1;
            }
            let present = counts.iter().filter(|&&c| c > 0).count();
            for (si, &c) in s.iter_mut().zip(y) {
                *si *= n as f64 / (present as f64 * counts[c] as f64);
            }
        }
        // Compact the columns stored in at least `min_df` rows; the others get no weight.
        let mut df = vec![0u32; x.ncols];
        for &j in &x.indices {
            df[j as usize] += 1;
        }
        let min_df = p.min_df.max(1) as u32;
        let used: Vec<u32> = (0..x.ncols as u32)
            .filter(|&j| df[j as usize] >= min_df)
            .collect();
        drop(df);
        let mut map = vec![u32::MAX; x.ncols];
        for (ci, &j) in used.iter().enumerate() {
            map[j as usize] = ci as u32;
        }
        let cols: Vec<u32> = x.indices.iter().map(|&j| map[j as usize]).collect();
        let ncols = used.len();
        if std::env::var_os("STANCE_DEBUG").is_some() {
            eprintln!(
                "fit: {n} rows, {} stored entries, {ncols} used columns, {k} classes",
                x.indices.len()
            );
        }
        let problem = Problem {
            x,
            cols,
            y,
            s,
            k,
            ncols,
            lambda: 1.0 / (p.c * n as f64),
            cache: Mutex::new(None),
        };
        let init = vec![0.0f64; ncols * k + k];
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), p.history)
            .with_tolerance_grad(p.tol)
            .and_then(|s| s.with_tolerance_cost(1e-12))
            .map_err(|e| Error::Training(e.to_string()))?;
        let res = Executor::new(problem, solver)
            .configure(|st| st.param(init).max_iters(p.max_iter))
            .run()
            .map_err(|e| Error::Training(format!("L-BFGS failed: {e}")))?;
        let state = res.state();
        let best = state
            .get_best_param()
            .or_else(|| state.get_param())
            .ok_or_else(|| Error::Training("L-BFGS returned no parameters".into()))?;
        let mut weights = vec![0f32; x.ncols * k];
        for (ci, &j) in used.iter().enumerate() {
            for c in 0..k {
                weights[j as usize * k + c] = best[ci * k + c] as f32;
            }
        }
        let intercept = best[ncols * k..].iter().map(|&v| v as f32).collect();
        Ok(LogisticRegression {
            n_features: x.ncols,
            n_classes: k,
            weights,
            intercept,
            iterations: state.get_iter(),
            final_loss: state.get_best_cost(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::SparseRow;
    use linfa::traits::Predict;

    fn toy() -> (CsrMatrix, Array1<usize>) {
        // Three separable-ish classes on 4 columns, sparse.
        let rows = vec![
            (vec![0u32, 3], vec![1.0f32, 0.2]),
            (vec![0], vec![0.8]),
            (vec![0, 1], vec![0.9, 0.1]),
            (vec![1], vec![1.0]),
            (vec![1, 3], vec![0.7, 0.3]),
            (vec![1, 2], vec![0.9, 0.2]),
            (vec![2], vec![1.0]),
            (vec![2, 3], vec![0.6, 0.5]),
            (vec![0, 2], vec![0.2, 0.9]),
        ];
        let x = CsrMatrix::from_rows(
            rows.into_iter()
                .map(|(indices, values)| SparseRow { indices, values }),
            4,
        );
        (x, Array1::from(vec![0, 0, 0, 1, 1, 1, 2, 2, 2]))
    }

    #[test]
    fn fits_and_predicts_through_linfa_traits() {
        let (x, y) = toy();
        let ds = DatasetBase::new(x.clone(), y.clone());
        let m = LogisticRegressionParams::default()
            .c(100.0)
            .check()
            .unwrap()
            .fit(&ds)
            .unwrap();
        let pred: Array1<usize> = m.predict(&ds);
        assert_eq!(pred, y);
        for p in m.predict_proba(&x) {
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        }
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn matches_the_optimum_of_a_dense_reference() {
        // At the optimum the gradient of the (unweighted) objective vanishes:
        // sum_i (p_i - y_i) x_i / n + lambda w = 0. Check it on the dense copy.
        let (x, y) = toy();
        let c = 2.0;
        let m = LogisticRegressionParams::default()
            .c(c)
            .tol(1e-9)
            .class_weight(ClassWeight::Uniform)
            .check()
            .unwrap()
            .fit(&DatasetBase::new(x.clone(), y.clone()))
            .unwrap();
        let dense = x.to_dense();
        let n = x.nrows() as f64;
        let probs = m.predict_proba(&x);
        for j in 0..4 {
            for k in 0..3 {
                let mut g = 0.0;
                for i in 0..x.nrows() {
                    let t = if y[i] == k { 1.0 } else { 0.0 };
                    g += (probs[i][k] as f64 - t) * dense[[i, j]] / n;
                }
                g += m.weights[j * 3 + k] as f64 / (c * n);
                assert!(g.abs() < 1e-4, "gradient {g} at ({j},{k})");
            }
        }
    }

    #[test]
    fn agrees_with_linfa_logistic_on_binary_dense_data() {
        // linfa-logistic is not a dependency; compare against an independent
        // closed check instead: two classes, one feature, symmetric data gives w
        // of equal magnitude and opposite sign for the two classes.
        let x = CsrMatrix::from_rows(
            vec![
                SparseRow {
                    indices: vec![0],
                    values: vec![1.0],
                },
                SparseRow {
                    indices: vec![0],
                    values: vec![-1.0],
                },
            ],
            1,
        );
        let y = Array1::from(vec![0, 1]);
        let m = LogisticRegressionParams::default()
            .c(1.0)
            .check()
            .unwrap()
            .fit(&DatasetBase::new(x, y))
            .unwrap();
        assert!((m.weights[0] + m.weights[1]).abs() < 1e-4);
        assert!(m.weights[0] > 0.1);
        assert!(m.intercept[0].abs() < 1e-4);
    }

    #[test]
    fn bad_parameters_and_single_class_fail() {
        assert!(LogisticRegressionParams::default().c(0.0).check().is_err());
        let (x, _) = toy();
        let y = Array1::from(vec![0; 9]);
        let e = LogisticRegressionParams::default()
            .check()
            .unwrap()
            .fit(&DatasetBase::new(x, y))
            .unwrap_err();
        assert!(e.to_string().contains("two classes"));
    }
}
