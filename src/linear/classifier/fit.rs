//! Fitting: the column selection, class weights, and linfa's `Fit` over the solvers.

use super::lbfgs::lbfgs;
use super::objective::Objective;
use super::params::{ClassWeight, LogisticRegressionValidParams, Solver};
use super::sgd::sgd;
use super::LogisticRegression;
use crate::error::{Error, Result};
use crate::linear::sparse::CsrMatrix;
use linfa::dataset::DatasetBase;
use linfa::traits::Fit;
use ndarray::Array1;

/// Columns kept for fitting (document frequency >= `min_df`), most frequent first so
/// that the hot weights share cache lines, and the map from column to kept index
/// (`u32::MAX`: dropped).
pub fn kept_columns(df: &[u32], min_df: u32) -> (Vec<u32>, Vec<u32>) {
    // A counting sort by document frequency, descending; columns of equal frequency in
    // index order.
    let max = df.iter().copied().max().unwrap_or(0) as usize;
    let mut start = vec![0usize; max + 2];
    for &d in df {
        if d >= min_df {
            start[max - d as usize + 1] += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut used = vec![0u32; start[max + 1]];
    let mut map = vec![u32::MAX; df.len()];
    for (j, &d) in df.iter().enumerate() {
        if d >= min_df {
            let at = &mut start[max - d as usize];
            used[*at] = j as u32;
            map[j] = *at as u32;
            *at += 1;
        }
    }
    (used, map)
}

/// Balanced class weights from class counts: `n / (classes present x count)`.
pub fn balanced_scale(counts: &[usize]) -> Vec<f64> {
    let n: usize = counts.iter().sum();
    let present = counts.iter().filter(|&&c| c > 0).count();
    counts
        .iter()
        .map(|&c| {
            if c == 0 {
                0.0
            } else {
                n as f64 / (present as f64 * c as f64)
            }
        })
        .collect()
}

/// A fitted model over all `n_features` columns from weights over the kept columns
/// `used` followed by the intercepts (as [`super::SgdState::weights`] gives them).
pub fn model_from_kept(
    n_features: usize,
    k: usize,
    used: &[u32],
    w: &[f64],
    iterations: u64,
    final_loss: f64,
) -> LogisticRegression {
    let mut weights = vec![0f32; n_features * k];
    for (ci, &j) in used.iter().enumerate() {
        for c in 0..k {
            weights[j as usize * k + c] = w[ci * k + c] as f32;
        }
    }
    LogisticRegression {
        n_features,
        n_classes: k,
        weights,
        intercept: w[used.len() * k..].iter().map(|&v| v as f32).collect(),
        iterations,
        final_loss,
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
            let scale = balanced_scale(&counts);
            for (si, &c) in s.iter_mut().zip(y) {
                *si *= scale[c];
            }
        }
        let lambda = 1.0 / (p.c * n as f64);
        let t0 = std::time::Instant::now();
        let (mut obj, used) = Objective::new(x, y, s, k, p.min_df.max(1) as u32, lambda);
        let debug = std::env::var_os("STANCE_DEBUG").is_some();
        if debug {
            eprintln!(
                "fit: objective set up in {:.2}s ({} rows, {} stored entries, {} kept columns)",
                t0.elapsed().as_secs_f64(),
                n,
                x.indices.len(),
                obj.ncols
            );
        }
        let t0 = std::time::Instant::now();
        let mut w = vec![0.0f64; obj.dim()];
        let (iterations, final_loss) = match p.solver {
            Solver::Lbfgs => lbfgs(&mut obj, &mut w, p.history, p.max_iter, p.tol),
            Solver::Sgd { epochs, rate } => {
                let loss = sgd(&obj, &mut w, epochs, rate, p.c, p.seed);
                (epochs as u64, loss)
            }
        };
        if debug {
            eprintln!("fit: solver {:.2}s", t0.elapsed().as_secs_f64());
        }
        Ok(model_from_kept(
            x.ncols, k, &used, &w, iterations, final_loss,
        ))
    }
}
