//! The bound on `--threads`: work here is CPU-bound, so threads beyond the cores only
//! cost memory (each worker keeps its own buffers and allocator heap: 1,000 threads took
//! 1.7 GB on a 28-row training file).

use crate::error::{Error, Result};

/// Most worker threads accepted: four per core, and at least 8.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_mul(4).max(8)
}

/// Check a `--threads` value: at least 1, at most four per core (and at least 8).
pub fn check_threads(n: usize) -> Result<usize> {
    let max = max_threads();
    if n == 0 || n > max {
        return Err(Error::InvalidParameter(format!(
            "--threads {n}: give 1 to {max} (four per core of this machine, at least 8; \
             more threads than cores do not run faster)"
        )));
    }
    Ok(n)
}
