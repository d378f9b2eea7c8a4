//! Linear models over sparse rows: the rows, the multinomial logistic regression and its
//! solvers.

pub mod classifier;
pub mod sparse;
pub mod threads;
