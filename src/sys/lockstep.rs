//! The SGD solver's access to its weight table (`crate::linear::classifier`'s
//! `SgdState`): the kernels that sum and update a share of a row's slots through raw
//! pointers, and the two-thread lock-step under which two threads share the table.
//!
//! The safe functions here hold the kernels' preconditions: [`step`] has the table to
//! itself (`&mut`), [`two_threads`] runs the protocol that keeps the two threads off
//! each other's slots, and both take only [`CheckedCols`], column indices checked once
//! against the table. The arithmetic is the caller's: it turns the two shares' partial
//! logits into the residuals, and so decides the model.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

/// How many entries ahead the SGD forward pass prefetches a slot.
const SGD_PREFETCH_AHEAD: usize = 24;

/// Column indices of a row (or of many rows) checked against a table of `columns` slots:
/// each is `u32::MAX` (a dropped column, skipped) or below `columns`.
#[derive(Clone, Copy)]
pub(crate) struct CheckedCols<'a> {
    cols: &'a [u32],
    columns: usize,
}

impl<'a> CheckedCols<'a> {
    /// `cols`, if every index is `u32::MAX` or below `columns`.
    pub(crate) fn new(cols: &'a [u32], columns: usize) -> Option<Self> {
        cols.iter()
            .all(|&c| c == u32::MAX || (c as usize) < columns)
            .then_some(CheckedCols { cols, columns })
    }

    /// The indices `a..b`.
    pub(crate) fn slice(self, a: usize, b: usize) -> Self {
        CheckedCols {
            cols: &self.cols[a..b],
            columns: self.columns,
        }
    }

    /// The indices.
    pub(crate) fn cols(self) -> &'a [u32] {
        self.cols
    }

    /// Panic unless the indices fit a table of `len` floats in slots of `stride`, with
    /// room for `k` weights, an accumulator and a penalty per slot.
    fn check_table(self, len: usize, stride: usize, k: usize) {
        assert!(
            k + 2 <= stride && self.columns.saturating_mul(stride) <= len,
            "SGD: the columns were checked against another table"
        );
    }
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
                super::mem::prefetch_ptr(slots.add(c as usize * stride));
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

/// Where a row's second share starts.
#[inline]
pub(crate) fn share_split(len: usize) -> usize {
    len / 2
}

/// One AdaGrad step of a row on this thread: the partial logits of its two shares
/// (`cols[..m]`, then `cols[m..]`, with `m` = [`share_split`]), `residuals(first,
/// second)` (the caller's arithmetic: `z`), then the update of every column of the row
/// with `z`, at learning rate `rate`. Returns `z`.
#[inline(always)]
pub(crate) fn step<const K: usize>(
    slots: &mut [f32],
    stride: usize,
    rate: f32,
    cols: CheckedCols,
    vals: &[f32],
    residuals: impl FnOnce(&[f32; K], &[f32; K]) -> [f32; K],
) -> [f32; K] {
    cols.check_table(slots.len(), stride, K);
    let (c, m) = (cols.cols, share_split(cols.cols.len()));
    let p = slots.as_mut_ptr();
    // SAFETY: every column was checked against this table (`CheckedCols`,
    // `check_table`), and `slots` is borrowed mutably: no other thread touches it.
    let (first, second) = unsafe {
        (
            forward_share::<K>(p, stride, &c[..m], &vals[..m]),
            forward_share::<K>(p, stride, &c[m..], &vals[m..]),
        )
    };
    let z = residuals(&first, &second);
    // SAFETY: as above.
    unsafe { backward_share::<K>(p, stride, c, vals, &z, rate) };
    z
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
pub(crate) const SLEEPS_PER_WINDOW: usize = 8;

/// The slot table shared by the two solver threads.
#[derive(Clone, Copy)]
struct SharedSlots(*mut f32);
// SAFETY: the two threads touch the table only under the protocol of
// [`two_threads`], which orders every write before any other access to the
// same slot.
unsafe impl Send for SharedSlots {}
// SAFETY: as for `Send`: every access to a slot is ordered by the protocol.
unsafe impl Sync for SharedSlots {}

/// Steps `0..steps` on two threads in lock step: this thread and a scoped helper each
/// take one share of the row of every step (`row(t)`: its checked columns and values),
/// this thread turns the shares' partial logits into `z` with `residuals(t, first,
/// second)` and both update their share's columns with it, at learning rate `rate`. The
/// weights are those of [`step`] on the same rows in the same order.
///
/// Protocol, for the row at step t (each thread's progress counter only grows):
/// 1. each thread waits until the other finished updating row t-1 (progress 2t);
/// 2. both sum their share's partial logits; the helper hands its sum over (2t+1);
/// 3. this thread forms the residuals and hands them over (2t+1);
/// 4. both update their share's columns (distinct columns) and report it (2t+2).
///
/// So a slot written for row t is read again only after both threads passed step 4
/// of row t, and the two threads never write the same slot. When the threads keep
/// waiting for each other (more than `fallback_sleeps` sleeps within a window of
/// [`SLEEP_WINDOW`] steps: a busy machine), the run stops early. Returns the first step
/// not taken (`steps` when all were), for the caller to finish on one thread.
pub(crate) fn two_threads<'a, const K: usize>(
    slots: &mut [f32],
    stride: usize,
    rate: f32,
    steps: usize,
    row: impl Fn(usize) -> (CheckedCols<'a>, &'a [f32]) + Sync,
    fallback_sleeps: usize,
    mut residuals: impl FnMut(usize, &[f32; K], &[f32; K]) -> [f32; K],
) -> usize {
    let len = slots.len();
    let checked_row = |t: usize| {
        let (c, v) = row(t);
        c.check_table(len, stride, K);
        (c.cols, v, share_split(c.cols.len()))
    };
    let shared = SharedSlots(slots.as_mut_ptr());
    let (mine, theirs) = (Handoff::default(), Handoff::default());
    // Sleeps of either thread, and the step from which this thread goes on alone.
    let sleeps = AtomicUsize::new(0);
    let alone_from = AtomicUsize::new(usize::MAX);
    let me = std::thread::current();
    let mut next = steps;
    std::thread::scope(|scope| {
        let (mine, theirs, sleeps, alone_from) = (&mine, &theirs, &sleeps, &alone_from);
        let checked_row = &checked_row;
        let helper = scope.spawn(move || {
            let slots = shared;
            for t in 0..steps {
                let (c, v, m) = checked_row(t);
                if mine.wait(2 * t) {
                    sleeps.fetch_add(1, Ordering::Relaxed);
                }
                if alone_from.load(Ordering::SeqCst) <= t {
                    return;
                }
                // SAFETY: columns checked against the table; no thread writes during
                // step 2.
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
        for t in 0..steps {
            let (c, v, m) = checked_row(t);
            let mut slept = theirs.wait(2 * t);
            // SAFETY: as in the helper.
            let first = unsafe { forward_share::<K>(shared.0, stride, &c[..m], &v[..m]) };
            slept |= theirs.wait(2 * t + 1);
            if slept {
                sleeps.fetch_add(1, Ordering::Relaxed);
            }
            let second = theirs.get::<K>();
            let z = residuals(t, &first, &second);
            mine.put(&z);
            mine.publish(2 * t + 1, &other);
            // SAFETY: this thread alone touches the first share's slots now.
            unsafe { backward_share::<K>(shared.0, stride, &c[..m], &v[..m], &z, rate) };
            // At the end of a window, give up the helper if the threads kept sleeping:
            // it stops before row t + 1 (it reads the flag after this progress).
            if (t + 1) % SLEEP_WINDOW == 0 && t + 1 < steps {
                let total = sleeps.load(Ordering::Relaxed);
                if total - window_sleeps >= fallback_sleeps {
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
    next
}
