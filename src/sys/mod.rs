//! All the crate's unsafe code, each block with its SAFETY comment, behind safe
//! functions that hold the blocks' preconditions (the crate denies unsafe code
//! elsewhere):
//!
//! - [`lockstep`]: the SGD solver's weight-table kernels (raw pointers into the table)
//!   and the two-thread lock-step that lets two threads share the table;
//! - [`mem`]: memory and CPU hints (huge pages for large tables, prefetches, the
//!   allocator's purge delay and an early purge);
//! - [`cleanup`]: the signal handler that removes a half-written file on an interrupt.

pub(crate) mod cleanup;
pub(crate) mod lockstep;
pub mod mem;
