//! Linear models over sparse rows: the rows, the multinomial logistic regression, its
//! solvers, and the memory helpers they share.

pub mod classifier;
#[allow(unsafe_code)]
pub mod mem;
pub mod sparse;
pub mod threads;
