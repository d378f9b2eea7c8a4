//! AdaGrad SGD, on one thread or on two in lock step. The weight table is read and
//! written through the kernels and the two-thread protocol of `crate::sys::lockstep`
//! (the crate's unsafe code); the arithmetic that decides the model is here.

use super::objective::Objective;
use crate::sys::lockstep::{self, share_split, CheckedCols, SLEEPS_PER_WINDOW};

/// The state of AdaGrad SGD on the multinomial logistic loss with L2 (see
/// [`super::Solver::Sgd`]), in `f32` with one accumulator per column (shared by its classes).
/// A column's weights, accumulator and penalty share one slot (`stride` floats, a power
/// of two), so an update touches one cache line. Used by the in-memory fit and by the
/// streaming trainer (`crate::train::stream`), which feed it rows in different orders.
///
/// A row's logits are summed in two shares (the first half of its entries, then the
/// second), whether one thread steps the row or two ([`SgdState::run`]):
/// the arithmetic, and so the model, does not depend on the thread count.
pub struct SgdState {
    k: usize,
    stride: usize,
    slots: Vec<f32>,
    bias: Intercepts,
    rate: f32,
    z: Vec<f32>,
    g: Vec<f32>,
    /// Sleeps within a window that make the two-thread solver go on alone.
    pub(super) fallback_sleeps: usize,
}

/// Rows for [`SgdState::run`]: a CSR matrix over kept columns (`u32::MAX`: dropped) with
/// each row's class and sample weight.
#[derive(Clone, Copy)]
pub struct SgdRows<'a> {
    pub indptr: &'a [usize],
    pub cols: &'a [u32],
    pub vals: &'a [f32],
    pub y: &'a [usize],
    pub s: &'a [f64],
}

impl<'a> SgdRows<'a> {
    /// Row `i`: its columns (of `cols`, these rows' columns checked), values, class and
    /// sample weight.
    fn row(&self, cols: CheckedCols<'a>, i: u32) -> (CheckedCols<'a>, &'a [f32], usize, f32) {
        let i = i as usize;
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (
            cols.slice(a, b),
            &self.vals[a..b],
            self.y[i],
            self.s[i] as f32,
        )
    }
}

/// The intercepts and their AdaGrad accumulator (one for all classes).
struct Intercepts {
    values: Vec<f32>,
    acc: f32,
}

impl Intercepts {
    /// The logits from the two shares' partial sums.
    fn logits<const K: usize>(&self, first: &[f32; K], second: &[f32; K]) -> [f32; K] {
        let mut z = [0f32; K];
        for cl in 0..K {
            z[cl] = self.values[cl] + first[cl] + second[cl];
        }
        z
    }

    /// The AdaGrad update with the residuals `z` (one per class).
    fn update(&mut self, z: &[f32], rate: f32) {
        let k = z.len();
        let mut sq = 0.0;
        for &zc in z {
            sq += zc * zc;
        }
        self.acc += sq / k as f32;
        let step = rate / self.acc.sqrt();
        for (b, &zc) in self.values.iter_mut().zip(z) {
            *b -= step * zc;
        }
    }
}

impl SgdState {
    /// `col_nnz[c]`: rows containing kept column c (its L2 penalty is spread over them);
    /// `c`: inverse L2 strength.
    pub fn new(k: usize, col_nnz: &[u32], c: f64, rate: f64) -> SgdState {
        let stride = (k + 2).next_power_of_two();
        let mut slots = crate::sys::mem::zeroed_table(col_nnz.len() * stride);
        for (slot, &nnz) in slots.chunks_exact_mut(stride).zip(col_nnz) {
            slot[k] = 1e-6;
            slot[k + 1] = (1.0 / c / nnz.max(1) as f64) as f32;
        }
        SgdState {
            k,
            stride,
            slots,
            bias: Intercepts {
                values: vec![0.0; k],
                acc: 1e-6,
            },
            rate: rate as f32,
            z: vec![0.0; k],
            g: vec![0.0; k],
            fallback_sleeps: SLEEPS_PER_WINDOW + 1,
        }
    }

    /// Kept columns this state has slots for.
    fn columns(&self) -> usize {
        self.slots.len() / self.stride
    }

    /// `cols` checked against the table; panics unless every column is `u32::MAX` or
    /// has a slot.
    fn check_columns<'c>(&self, cols: &'c [u32]) -> CheckedCols<'c> {
        CheckedCols::new(cols, self.columns())
            .expect("SGD: a column index is outside the kept columns")
    }

    /// One update on a row given as kept columns (`u32::MAX`: skipped) and their values,
    /// already checked against the table, with class `y` and sample weight `s`. Returns
    /// the row's weighted loss before the update.
    fn step_checked(&mut self, cols: CheckedCols, vals: &[f32], y: usize, s: f32) -> f32 {
        // The class count is a constant in the inner loops for the common cases, so they
        // unroll and keep the per-class values in registers; the arithmetic (and so the
        // model) is the same for every path.
        match self.k {
            2 => self.step_k::<2>(cols, vals, y, s),
            3 => self.step_k::<3>(cols, vals, y, s),
            4 => self.step_k::<4>(cols, vals, y, s),
            _ => self.step_dyn(cols.cols(), vals, y, s),
        }
    }

    /// Softmax residuals `s (p - onehot(y))` in `z` (holding the logits) and the loss.
    fn residuals(z: &mut [f32], y: usize, s: f32) -> f32 {
        let m = z.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0.0;
        for zc in z.iter_mut() {
            *zc = (*zc - m).exp();
            sum += *zc;
        }
        let loss = s * (sum.ln() - z[y].ln());
        for (cl, zc) in z.iter_mut().enumerate() {
            *zc = s * (*zc / sum - if cl == y { 1.0 } else { 0.0 });
        }
        loss
    }

    fn step_k<const K: usize>(
        &mut self,
        cols: CheckedCols,
        vals: &[f32],
        y: usize,
        s: f32,
    ) -> f32 {
        debug_assert!(K == self.k);
        let bias = &self.bias;
        let mut loss = 0.0;
        let z = lockstep::step::<K>(
            &mut self.slots,
            self.stride,
            self.rate,
            cols,
            vals,
            |first, second| {
                let mut z = bias.logits(first, second);
                loss = Self::residuals(&mut z, y, s);
                z
            },
        );
        self.bias.update(&z, self.rate);
        loss
    }

    #[allow(clippy::needless_range_loop)]
    fn step_dyn(&mut self, cols: &[u32], vals: &[f32], y: usize, s: f32) -> f32 {
        let (k, stride) = (self.k, self.stride);
        let (acc_at, reg_at) = (k, k + 1);
        let m = share_split(cols.len());
        let mut z = std::mem::take(&mut self.z);
        let mut second = std::mem::take(&mut self.g);
        // The two shares' partial sums, as `lockstep::step` forms them.
        let share = |z: &mut [f32], cols: &[u32], vals: &[f32]| {
            z.fill(0.0);
            for (&col, &v) in cols.iter().zip(vals) {
                if col == u32::MAX {
                    continue;
                }
                let base = col as usize * stride;
                for (zc, wv) in z.iter_mut().zip(&self.slots[base..base + k]) {
                    *zc += v * wv;
                }
            }
        };
        share(&mut z, &cols[..m], &vals[..m]);
        share(&mut second, &cols[m..], &vals[m..]);
        for cl in 0..k {
            z[cl] = self.bias.values[cl] + z[cl] + second[cl];
        }
        let loss = Self::residuals(&mut z, y, s);
        let g = &mut second;
        for (&col, &v) in cols.iter().zip(vals) {
            if col == u32::MAX {
                continue;
            }
            let slot = &mut self.slots[col as usize * stride..(col as usize + 1) * stride];
            let r = slot[reg_at];
            let mut sq = 0.0;
            for cl in 0..k {
                g[cl] = v * z[cl] + r * slot[cl];
                sq += g[cl] * g[cl];
            }
            slot[acc_at] += sq / k as f32;
            let step = self.rate / slot[acc_at].sqrt();
            for cl in 0..k {
                slot[cl] -= step * g[cl];
            }
        }
        self.bias.update(&z, self.rate);
        self.z = z;
        self.g = second;
        loss
    }

    /// Step the rows `order` of `rows`, in that order; with `two_threads`, each row's two
    /// shares on two threads (this one and a scoped helper) when there are 2 to 4
    /// classes. The weights are the same either way. Returns the summed loss of the steps
    /// from `loss_from` on.
    pub fn run(
        &mut self,
        rows: &SgdRows,
        order: &[u32],
        loss_from: usize,
        two_threads: bool,
    ) -> f64 {
        let SgdRows {
            indptr,
            cols,
            vals,
            y,
            s,
        } = *rows;
        assert!(cols.len() == vals.len() && indptr.last().is_some_and(|&e| e <= cols.len()));
        assert!(order
            .iter()
            .all(|&i| (i as usize) + 1 < indptr.len() && (i as usize) < y.len().min(s.len())));
        // Every column once here; the steps below need not check them again.
        let checked = self.check_columns(cols);
        match self.k {
            2 if two_threads => self.two_threads::<2>(rows, checked, order, loss_from),
            3 if two_threads => self.two_threads::<3>(rows, checked, order, loss_from),
            4 if two_threads => self.two_threads::<4>(rows, checked, order, loss_from),
            _ => {
                let mut loss = 0.0;
                for (t, &i) in order.iter().enumerate() {
                    let (c, v, y, s) = rows.row(checked, i);
                    let l = self.step_checked(c, v, y, s);
                    if t >= loss_from {
                        loss += l as f64;
                    }
                }
                loss
            }
        }
    }

    /// [`SgdState::run`] on two threads for `K` classes (`lockstep::two_threads`: each
    /// thread takes one share of every row); when the threads keep waiting for each
    /// other (a busy machine), this thread finishes the rows alone.
    fn two_threads<'a, const K: usize>(
        &mut self,
        rows: &SgdRows<'a>,
        checked: CheckedCols<'a>,
        order: &[u32],
        loss_from: usize,
    ) -> f64 {
        let mut loss = 0.0;
        let (bias, rate) = (&mut self.bias, self.rate);
        let next = lockstep::two_threads::<K>(
            &mut self.slots,
            self.stride,
            rate,
            order.len(),
            |t| {
                let (c, v, _, _) = rows.row(checked, order[t]);
                (c, v)
            },
            self.fallback_sleeps,
            |t, first, second| {
                let (_, _, y, s) = rows.row(checked, order[t]);
                let mut z = bias.logits(first, second);
                let l = Self::residuals(&mut z, y, s);
                bias.update(&z, rate);
                if t >= loss_from {
                    loss += l as f64;
                }
                z
            },
        );
        // Rows left after a fall-back to one thread: the same arithmetic on this thread
        // (the helper finished its share of the last row before the scope ended).
        for (t, &i) in order.iter().enumerate().skip(next) {
            let (c, v, y, s) = rows.row(checked, i);
            let l = self.step_k::<K>(c, v, y, s);
            if t >= loss_from {
                loss += l as f64;
            }
        }
        if next < order.len() && std::env::var_os("STANCE_DEBUG").is_some() {
            eprintln!(
                "fit: SGD went on with one thread from step {next} of {} (the threads kept waiting for each other)",
                order.len()
            );
        }
        loss
    }

    /// The weights over kept columns (`[col * k + class]`) followed by the intercepts.
    pub fn weights(&self) -> Vec<f64> {
        let k = self.k;
        let mut w: Vec<f64> = Vec::with_capacity(self.slots.len() / self.stride * k + k);
        for slot in self.slots.chunks_exact(self.stride) {
            w.extend(slot[..k].iter().map(|&v| v as f64));
        }
        w.extend(self.bias.values.iter().map(|&v| v as f64));
        w
    }
}

/// Whether the SGD solver may take two threads: the pool has two or more and this
/// thread is not one of its workers (which would leave a core to another task).
pub fn two_threads_free() -> bool {
    rayon::current_num_threads() >= 2 && rayon::current_thread_index().is_none()
}

/// AdaGrad SGD on the objective's rows, each epoch in a new seeded random order, on two
/// threads when the pool has them and this thread is not one of its workers (the
/// weights are the same either way). Returns the mean weighted loss of the last epoch's
/// rows, each taken before its update.
pub(super) fn sgd(
    obj: &Objective,
    w64: &mut [f64],
    epochs: u32,
    rate: f64,
    c: f64,
    seed: u64,
) -> f64 {
    use rand::seq::SliceRandom;
    use rand::SeedableRng;
    let x = obj.x;
    let n = x.nrows();
    let mut state = SgdState::new(obj.k, &obj.col_nnz, c, rate);
    // Every epoch shuffles the rows from their file order (as the streaming trainer does
    // within a chunk, so the two agree when one chunk holds every row).
    let mut order: Vec<u32> = Vec::with_capacity(n * epochs as usize);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    for _ in 0..epochs {
        let at = order.len();
        order.extend(0..n as u32);
        order[at..].shuffle(&mut rng);
    }
    let loss_from = n * epochs.saturating_sub(1) as usize;
    let rows = SgdRows {
        indptr: &x.indptr,
        cols: &obj.cols,
        vals: &x.values,
        y: obj.y,
        s: &obj.s,
    };
    let loss = state.run(&rows, &order, loss_from, two_threads_free());
    w64.copy_from_slice(&state.weights());
    loss / n.max(1) as f64
}
