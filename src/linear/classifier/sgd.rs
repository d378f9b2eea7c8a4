//! AdaGrad SGD, on one thread or on two in lock step. All the crate's unsafe code for
//! the solver is here: the two threads share the weight table through raw pointers under
//! the protocol of [`SgdState`]'s two-thread run.

use super::objective::Objective;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

/// How many entries ahead the SGD forward pass prefetches a slot.
const SGD_PREFETCH_AHEAD: usize = 24;

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
    bias: Vec<f32>,
    bias_acc: f32,
    rate: f32,
    z: Vec<f32>,
    g: Vec<f32>,
    /// Sleeps within a window that make the two-thread solver go on alone.
    pub(super) fallback_sleeps: usize,
}

/// Partial logits `sum v * w` over one share of a row's entries.
///
/// # Safety
/// Every column other than `u32::MAX` must have a slot in `slots` (`col * stride + K` at
/// most its length), and no thread may write those slots during the call.
#[inline(always)]
unsafe fn forward_share<const K: usize>(
    slots: *const f32,
    stride: usize,
    cols: &[u32],
    vals: &[f32],
) -> [f32; K] {
    let mut z = [0f32; K];
    for (e, (&col, &v)) in cols.iter().zip(vals).enumerate() {
        // The slots are scattered over megabytes: ask for one a few entries ahead.
        if let Some(&c) = cols.get(e + SGD_PREFETCH_AHEAD) {
            if c != u32::MAX {
                crate::mem::prefetch_ptr(slots.add(c as usize * stride));
            }
        }
        if col == u32::MAX {
            continue;
        }
        let w = slots.add(col as usize * stride);
        for (cl, zc) in z.iter_mut().enumerate() {
            *zc += v * *w.add(cl);
        }
    }
    z
}

/// The AdaGrad update of one share of a row's columns, given the residuals `z`.
///
/// # Safety
/// As [`forward_share`], and no other thread may read or write these slots during the
/// call (a row's columns are distinct, so two shares of one row never overlap).
#[inline(always)]
unsafe fn backward_share<const K: usize>(
    slots: *mut f32,
    stride: usize,
    cols: &[u32],
    vals: &[f32],
    z: &[f32; K],
    rate: f32,
) {
    for (&col, &v) in cols.iter().zip(vals) {
        if col == u32::MAX {
            continue;
        }
        let slot = slots.add(col as usize * stride);
        let (acc, r) = (slot.add(K), *slot.add(K + 1));
        let mut g = [0f32; K];
        let mut sq = 0.0;
        for cl in 0..K {
            g[cl] = v * z[cl] + r * *slot.add(cl);
            sq += g[cl] * g[cl];
        }
        *acc += sq / K as f32;
        let step = rate / (*acc).sqrt();
        for (cl, gc) in g.iter().enumerate() {
            *slot.add(cl) -= step * gc;
        }
    }
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

impl SgdRows<'_> {
    /// Row `i`: its columns, values, class and sample weight.
    fn row(&self, i: u32) -> (&[u32], &[f32], usize, f32) {
        let i = i as usize;
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (
            &self.cols[a..b],
            &self.vals[a..b],
            self.y[i],
            self.s[i] as f32,
        )
    }
}

/// Where a row's second share starts.
#[inline]
fn share_split(len: usize) -> usize {
    len / 2
}

/// A 64-byte line written by one thread of the two-thread solver: its progress counter,
/// the logits it hands over, and whether the other thread sleeps waiting on it.
#[repr(align(64))]
#[derive(Default)]
struct Handoff {
    progress: AtomicUsize,
    z: [AtomicU32; 4],
    sleeping: AtomicBool,
}

/// How long a solver thread spins for the other before it sleeps (on an idle machine
/// the other thread arrives within a few microseconds).
const SPIN_LIMIT: std::time::Duration = std::time::Duration::from_micros(50);

impl Handoff {
    fn put<const K: usize>(&self, z: &[f32; K]) {
        for (a, v) in self.z.iter().zip(z) {
            a.store(v.to_bits(), Ordering::Relaxed);
        }
    }

    fn get<const K: usize>(&self) -> [f32; K] {
        let mut z = [0f32; K];
        for (v, a) in z.iter_mut().zip(&self.z) {
            *v = f32::from_bits(a.load(Ordering::Relaxed));
        }
        z
    }

    /// Report progress, waking `waiter` if it sleeps on this line.
    fn publish(&self, progress: usize, waiter: &std::thread::Thread) {
        self.progress.store(progress, Ordering::SeqCst);
        if self.sleeping.load(Ordering::SeqCst) {
            waiter.unpark();
        }
    }

    /// Wait until this line's progress reaches `at`: spin for up to [`SPIN_LIMIT`], then
    /// sleep until woken (the other thread may have lost its core to another program).
    /// Returns whether it slept.
    fn wait(&self, at: usize) -> bool {
        let mut spins = 0u32;
        let mut since: Option<std::time::Instant> = None;
        let mut slept = false;
        while self.progress.load(Ordering::Acquire) < at {
            spins += 1;
            if spins % 64 == 0 {
                let t0 = *since.get_or_insert_with(std::time::Instant::now);
                if t0.elapsed() > SPIN_LIMIT {
                    // Announce the sleep, then check again: either the publisher sees the
                    // flag and wakes this thread, or this thread sees its progress.
                    self.sleeping.store(true, Ordering::SeqCst);
                    if self.progress.load(Ordering::SeqCst) < at {
                        std::thread::park();
                        slept = true;
                    }
                    self.sleeping.store(false, Ordering::SeqCst);
                    continue;
                }
            }
            std::hint::spin_loop();
        }
        slept
    }
}

/// The two-thread solver falls back to one thread when, within one window of this many
/// rows, its threads slept more than [`SLEEPS_PER_WINDOW`] times waiting for each other:
/// the machine is busy, and the hand-overs would cost more than the second core gives.
const SLEEP_WINDOW: usize = 256;
const SLEEPS_PER_WINDOW: usize = 8;

/// The slot table shared by the two solver threads.
#[derive(Clone, Copy)]
struct SharedSlots(*mut f32);
// SAFETY: the two threads touch the table only under the protocol of
// `SgdState::two_threads`, which orders every write before any other access to the
// same slot.
unsafe impl Send for SharedSlots {}
// SAFETY: as for `Send`: every access to a slot is ordered by the protocol.
unsafe impl Sync for SharedSlots {}

impl SgdState {
    /// `col_nnz[c]`: rows containing kept column c (its L2 penalty is spread over them);
    /// `c`: inverse L2 strength.
    pub fn new(k: usize, col_nnz: &[u32], c: f64, rate: f64) -> SgdState {
        let stride = (k + 2).next_power_of_two();
        let mut slots = crate::mem::zeroed_table(col_nnz.len() * stride);
        for (slot, &nnz) in slots.chunks_exact_mut(stride).zip(col_nnz) {
            slot[k] = 1e-6;
            slot[k + 1] = (1.0 / c / nnz.max(1) as f64) as f32;
        }
        SgdState {
            k,
            stride,
            slots,
            bias: vec![0.0; k],
            bias_acc: 1e-6,
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

    /// Panic unless every column is `u32::MAX` or has a slot: the unsafe shares rely on it.
    fn check_columns(&self, cols: &[u32]) {
        let n = self.columns();
        assert!(
            cols.iter().all(|&c| c == u32::MAX || (c as usize) < n),
            "SGD: a column index is outside the kept columns"
        );
    }

    /// One update on a row given as kept columns (`u32::MAX`: skipped) and their values,
    /// already checked against the table, with class `y` and sample weight `s`. Returns
    /// the row's weighted loss before the update.
    fn step_checked(&mut self, cols: &[u32], vals: &[f32], y: usize, s: f32) -> f32 {
        // The class count is a constant in the inner loops for the common cases, so they
        // unroll and keep the per-class values in registers; the arithmetic (and so the
        // model) is the same for every path.
        match self.k {
            2 => self.step_k::<2>(cols, vals, y, s),
            3 => self.step_k::<3>(cols, vals, y, s),
            4 => self.step_k::<4>(cols, vals, y, s),
            _ => self.step_dyn(cols, vals, y, s),
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

    fn update_bias(&mut self, z: &[f32]) {
        let k = self.k;
        let mut sq = 0.0;
        for &zc in z {
            sq += zc * zc;
        }
        self.bias_acc += sq / k as f32;
        let step = self.rate / self.bias_acc.sqrt();
        for (b, &zc) in self.bias.iter_mut().zip(z) {
            *b -= step * zc;
        }
    }

    /// The logits from the two shares' partial sums.
    fn logits<const K: usize>(&self, first: &[f32; K], second: &[f32; K]) -> [f32; K] {
        let mut z = [0f32; K];
        for cl in 0..K {
            z[cl] = self.bias[cl] + first[cl] + second[cl];
        }
        z
    }

    fn step_k<const K: usize>(&mut self, cols: &[u32], vals: &[f32], y: usize, s: f32) -> f32 {
        debug_assert!(K == self.k && self.stride >= K + 2);
        let (stride, rate) = (self.stride, self.rate);
        let m = share_split(cols.len());
        let p = self.slots.as_mut_ptr();
        // SAFETY: the columns were checked against the table (`step`), and this thread
        // holds the only reference to it.
        let (first, second) = unsafe {
            (
                forward_share::<K>(p, stride, &cols[..m], &vals[..m]),
                forward_share::<K>(p, stride, &cols[m..], &vals[m..]),
            )
        };
        let mut z = self.logits(&first, &second);
        let loss = Self::residuals(&mut z, y, s);
        // SAFETY: as above.
        unsafe { backward_share::<K>(p, stride, cols, vals, &z, rate) };
        self.update_bias(&z);
        loss
    }

    #[allow(clippy::needless_range_loop)]
    fn step_dyn(&mut self, cols: &[u32], vals: &[f32], y: usize, s: f32) -> f32 {
        let (k, stride) = (self.k, self.stride);
        let (acc_at, reg_at) = (k, k + 1);
        let m = share_split(cols.len());
        let mut z = std::mem::take(&mut self.z);
        let mut second = std::mem::take(&mut self.g);
        // The two shares' partial sums, as `forward_share` gives them.
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
            z[cl] = self.bias[cl] + z[cl] + second[cl];
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
        self.update_bias(&z);
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
        self.check_columns(cols);
        match self.k {
            2 if two_threads => self.two_threads::<2>(rows, order, loss_from),
            3 if two_threads => self.two_threads::<3>(rows, order, loss_from),
            4 if two_threads => self.two_threads::<4>(rows, order, loss_from),
            _ => {
                let mut loss = 0.0;
                for (t, &i) in order.iter().enumerate() {
                    let (c, v, y, s) = rows.row(i);
                    let l = self.step_checked(c, v, y, s);
                    if t >= loss_from {
                        loss += l as f64;
                    }
                }
                loss
            }
        }
    }

    /// [`SgdState::run`] on two threads for `K` classes.
    ///
    /// Protocol, for the row at step t (each thread's progress counter only grows):
    /// 1. each thread waits until the other finished updating row t-1 (progress 2t);
    /// 2. both sum their share's partial logits; the helper hands its sum over (2t+1);
    /// 3. this thread forms the logits and residuals and hands them over (2t+1);
    /// 4. both update their share's columns (distinct columns) and report it (2t+2).
    ///
    /// So a slot written for row t is read again only after both threads passed step 4
    /// of row t, and the two threads never write the same slot. When the threads keep
    /// waiting for each other (a busy machine), this thread finishes the rows alone.
    fn two_threads<const K: usize>(
        &mut self,
        rows: &SgdRows,
        order: &[u32],
        loss_from: usize,
    ) -> f64 {
        let (stride, rate) = (self.stride, self.rate);
        let shared = SharedSlots(self.slots.as_mut_ptr());
        let (mine, theirs) = (Handoff::default(), Handoff::default());
        // Sleeps of either thread, and the step from which this thread goes on alone.
        let sleeps = AtomicUsize::new(0);
        let alone_from = AtomicUsize::new(usize::MAX);
        let row = |i: u32| {
            let (c, v, y, s) = rows.row(i);
            (c, v, share_split(c.len()), y, s)
        };
        let me = std::thread::current();
        let mut loss = 0.0;
        let mut next = order.len();
        std::thread::scope(|scope| {
            let (mine, theirs, sleeps, alone_from) = (&mine, &theirs, &sleeps, &alone_from);
            let helper = scope.spawn(move || {
                let slots = shared;
                for (t, &i) in order.iter().enumerate() {
                    let (c, v, m, _, _) = row(i);
                    if mine.wait(2 * t) {
                        sleeps.fetch_add(1, Ordering::Relaxed);
                    }
                    if alone_from.load(Ordering::SeqCst) <= t {
                        return;
                    }
                    // SAFETY: columns checked above; no thread writes during step 2.
                    let part = unsafe { forward_share::<K>(slots.0, stride, &c[m..], &v[m..]) };
                    theirs.put(&part);
                    theirs.publish(2 * t + 1, &me);
                    if mine.wait(2 * t + 1) {
                        sleeps.fetch_add(1, Ordering::Relaxed);
                    }
                    let z = mine.get::<K>();
                    // SAFETY: this thread alone touches the second share's slots now.
                    unsafe { backward_share::<K>(slots.0, stride, &c[m..], &v[m..], &z, rate) };
                    theirs.publish(2 * t + 2, &me);
                }
            });
            let other = helper.thread().clone();
            let mut window_sleeps = 0;
            for (t, &i) in order.iter().enumerate() {
                let (c, v, m, y, s) = row(i);
                let mut slept = theirs.wait(2 * t);
                // SAFETY: as in the helper.
                let first = unsafe { forward_share::<K>(shared.0, stride, &c[..m], &v[..m]) };
                slept |= theirs.wait(2 * t + 1);
                if slept {
                    sleeps.fetch_add(1, Ordering::Relaxed);
                }
                let second = theirs.get::<K>();
                let mut z = self.logits(&first, &second);
                let l = Self::residuals(&mut z, y, s);
                mine.put(&z);
                mine.publish(2 * t + 1, &other);
                // SAFETY: this thread alone touches the first share's slots now.
                unsafe { backward_share::<K>(shared.0, stride, &c[..m], &v[..m], &z, rate) };
                self.update_bias(&z);
                if t >= loss_from {
                    loss += l as f64;
                }
                // At the end of a window, give up the helper if the threads kept sleeping:
                // it stops before row t + 1 (it reads the flag after this progress).
                if (t + 1) % SLEEP_WINDOW == 0 && t + 1 < order.len() {
                    let total = sleeps.load(Ordering::Relaxed);
                    if total - window_sleeps >= self.fallback_sleeps {
                        alone_from.store(t + 1, Ordering::SeqCst);
                        next = t + 1;
                    }
                    window_sleeps = total;
                }
                mine.publish(2 * t + 2, &other);
                if next == t + 1 {
                    break;
                }
            }
        });
        // Rows left after a fall-back to one thread: the same arithmetic on this thread
        // (the helper finished its share of the last row before the scope ended).
        for (t, &i) in order.iter().enumerate().skip(next) {
            let (c, v, _, y, s) = row(i);
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
        w.extend(self.bias.iter().map(|&v| v as f64));
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
