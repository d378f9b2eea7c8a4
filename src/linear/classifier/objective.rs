//! The penalized cross-entropy over the kept columns, its value and gradient, computed
//! in a fixed order on all threads.

use super::fit::kept_columns;
use crate::linear::sparse::CsrMatrix;
use rayon::prelude::*;

/// The objective over the kept columns. Rows are read in CSR order for the forward pass
/// (logits, loss, residuals) and columns in CSC order for the gradient, so both passes
/// run in parallel without write conflicts and sum in a fixed order: the result is the
/// same whatever the number of threads.
pub(super) struct Objective<'a> {
    pub(super) x: &'a CsrMatrix,
    /// Kept column of each stored entry of `x` (u32::MAX: dropped).
    pub(super) cols: Vec<u32>,
    /// Stored entries per kept column.
    pub(super) col_nnz: Vec<u32>,
    /// CSC copy over kept columns, built on the first gradient (the SGD solver never
    /// needs it): entries of column c are `col_ptr[c]..col_ptr[c+1]`.
    csc: Option<Csc>,
    pub(super) y: &'a [usize],
    pub(super) s: Vec<f64>,
    pub(super) k: usize,
    pub(super) ncols: usize,
    pub(super) lambda: f64,
    /// Residuals `s_i (p_i - onehot(y_i)) / n`, row-major n x k; per-row loss.
    pub(super) resid: Vec<f64>,
    pub(super) loss: Vec<f64>,
    pub(super) evals: usize,
}

struct Csc {
    col_ptr: Vec<usize>,
    col_rows: Vec<u32>,
    col_vals: Vec<f32>,
}

const ROW_BLOCK: usize = 256;

#[allow(clippy::needless_range_loop)]
impl<'a> Objective<'a> {
    pub(super) fn new(
        x: &'a CsrMatrix,
        y: &'a [usize],
        s: Vec<f64>,
        k: usize,
        min_df: u32,
        lambda: f64,
    ) -> (Self, Vec<u32>) {
        // Stored entries per column (a row holds a column at most once), counted on every
        // core over a share of the entries.
        let share = x
            .indices
            .len()
            .div_ceil(rayon::current_num_threads())
            .max(1);
        let df = x
            .indices
            .par_chunks(share)
            .map(|part| {
                let mut df = vec![0u32; x.ncols];
                for &j in part {
                    df[j as usize] += 1;
                }
                df
            })
            .reduce_with(|mut a, b| {
                a.iter_mut().zip(&b).for_each(|(a, b)| *a += b);
                a
            })
            .unwrap_or_else(|| vec![0u32; x.ncols]);
        let (used, map) = kept_columns(&df, min_df);
        let col_nnz: Vec<u32> = used.iter().map(|&j| df[j as usize]).collect();
        drop(df);
        let cols: Vec<u32> = x.indices.par_iter().map(|&j| map[j as usize]).collect();
        drop(map);
        let ncols = used.len();
        let n = x.nrows();
        (
            Objective {
                x,
                cols,
                col_nnz,
                csc: None,
                y,
                s,
                k,
                ncols,
                lambda,
                resid: vec![0.0; n * k],
                loss: vec![0.0; n],
                evals: 0,
            },
            used,
        )
    }

    pub(super) fn dim(&self) -> usize {
        self.ncols * self.k + self.k
    }

    /// Build the CSC copy of the kept columns.
    fn csc(&self) -> Csc {
        let x = self.x;
        let ncols = self.ncols;
        let mut col_ptr = vec![0usize; ncols + 1];
        for c in 0..ncols {
            col_ptr[c + 1] = col_ptr[c] + self.col_nnz[c] as usize;
        }
        let nnz = col_ptr[ncols];
        let mut col_rows = vec![0u32; nnz];
        let mut col_vals = vec![0f32; nnz];
        let mut fill = col_ptr.clone();
        for i in 0..x.nrows() {
            for e in x.indptr[i]..x.indptr[i + 1] {
                let c = self.cols[e];
                if c != u32::MAX {
                    let at = fill[c as usize];
                    col_rows[at] = i as u32;
                    col_vals[at] = x.values[e];
                    fill[c as usize] += 1;
                }
            }
        }
        Csc {
            col_ptr,
            col_rows,
            col_vals,
        }
    }

    pub(super) fn data_and_penalty(&self, w: &[f64]) -> f64 {
        let inv_n = 1.0 / self.x.nrows() as f64;
        let data: f64 = self.loss.iter().sum::<f64>() * inv_n;
        let reg: f64 =
            w[..self.ncols * self.k].iter().map(|v| v * v).sum::<f64>() * 0.5 * self.lambda;
        data + reg
    }

    /// Objective value at `w`; writes the gradient into `g`.
    pub(super) fn eval(&mut self, w: &[f64], g: &mut [f64]) -> f64 {
        self.evals += 1;
        if self.csc.is_none() {
            self.csc = Some(self.csc());
        }
        self.forward(w);
        let k = self.k;
        let n = self.x.nrows();
        let bias_at = self.ncols * k;
        let csc = self.csc.as_ref().expect("built above");
        let (col_ptr, col_rows, col_vals, resid, lambda) = (
            &csc.col_ptr,
            &csc.col_rows,
            &csc.col_vals,
            &self.resid,
            self.lambda,
        );
        let (gw, gb) = g.split_at_mut(bias_at);
        gw.par_chunks_mut(k).enumerate().for_each(|(c, gc)| {
            for (gv, wv) in gc.iter_mut().zip(&w[c * k..c * k + k]) {
                *gv = lambda * wv;
            }
            for e in col_ptr[c]..col_ptr[c + 1] {
                let i = col_rows[e] as usize;
                let v = col_vals[e] as f64;
                for (gv, rv) in gc.iter_mut().zip(&resid[i * k..i * k + k]) {
                    *gv += v * rv;
                }
            }
        });
        gb.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..n {
            for c in 0..k {
                gb[c] += resid[i * k + c];
            }
        }
        self.data_and_penalty(w)
    }

    /// Per-row losses and residuals at `w`.
    pub(super) fn forward(&mut self, w: &[f64]) {
        let k = self.k;
        let n = self.x.nrows();
        let inv_n = 1.0 / n as f64;
        let bias_at = self.ncols * k;
        let (x, cols, y, s) = (self.x, &self.cols, self.y, &self.s);
        self.resid
            .par_chunks_mut(ROW_BLOCK * k)
            .zip(self.loss.par_chunks_mut(ROW_BLOCK))
            .enumerate()
            .for_each(|(blk, (r, l))| {
                let mut z = vec![0.0f64; k];
                for (off, li) in l.iter_mut().enumerate() {
                    let i = blk * ROW_BLOCK + off;
                    z.copy_from_slice(&w[bias_at..bias_at + k]);
                    for e in x.indptr[i]..x.indptr[i + 1] {
                        let c = cols[e];
                        if c == u32::MAX {
                            continue;
                        }
                        let v = x.values[e] as f64;
                        let wc = &w[c as usize * k..c as usize * k + k];
                        for (zc, wv) in z.iter_mut().zip(wc) {
                            *zc += v * wv;
                        }
                    }
                    let m = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                    let mut sum = 0.0;
                    for zc in z.iter_mut() {
                        *zc = (*zc - m).exp();
                        sum += *zc;
                    }
                    *li = s[i] * (sum.ln() - z[y[i]].ln());
                    let ri = &mut r[off * k..off * k + k];
                    for c in 0..k {
                        let t = if c == y[i] { 1.0 } else { 0.0 };
                        ri[c] = s[i] * (z[c] / sum - t) * inv_n;
                    }
                }
            });
    }
}
