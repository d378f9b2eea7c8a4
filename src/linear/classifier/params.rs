//! The hyperparameters of a fit, unchecked and checked (linfa's params -> checked
//! params).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

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
    /// Optimizer (default SGD, 5 epochs, rate 0.05: chosen by 5-fold cross-validation
    /// on the SemEval, NewsMTSC and BABE training splits, where it beat L-BFGS to the
    /// optimum on all three and trained 10-30x faster).
    pub solver: Solver,
    /// Seed of the example order (SGD only).
    pub seed: u64,
}

/// How the objective is minimized.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Solver {
    /// Full-batch L-BFGS to the optimum (`max_iter`, `tol`).
    Lbfgs,
    /// AdaGrad stochastic gradient descent: `epochs` passes over the rows in a seeded
    /// order with learning rate `rate`; the L2 penalty is applied to the weights a row
    /// touches, scaled so one epoch applies it once. Much faster on large data; stops
    /// near, not at, the optimum. Deterministic: with two threads free, they share every
    /// row's work and give the weights of one.
    Sgd {
        /// Passes over the rows.
        epochs: u32,
        /// AdaGrad's base learning rate.
        rate: f64,
    },
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
            solver: Solver::Sgd {
                epochs: 5,
                rate: 0.05,
            },
            seed: 42,
        }
    }
}

/// Checked hyperparameters; the only type that can fit.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticRegressionValidParams(pub(super) LogisticRegressionParams);

impl LogisticRegressionParams {
    /// Inverse L2 regularization strength (default 10).
    pub fn c(mut self, c: f64) -> Self {
        self.c = c;
        self
    }
    /// Most L-BFGS iterations (default 300).
    pub fn max_iter(mut self, n: u64) -> Self {
        self.max_iter = n;
        self
    }
    /// Class weighting (default [`ClassWeight::Balanced`]).
    pub fn class_weight(mut self, w: ClassWeight) -> Self {
        self.class_weight = w;
        self
    }
    /// L-BFGS stops when the gradient norm falls below this (default 1e-5).
    pub fn tol(mut self, t: f64) -> Self {
        self.tol = t;
        self
    }
    /// The optimizer (default SGD, 5 epochs at rate 0.05).
    pub fn solver(mut self, s: Solver) -> Self {
        self.solver = s;
        self
    }
    /// Seed of the SGD row order (default 42).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Columns seen in fewer training rows than this are dropped (default 2).
    pub fn min_df(mut self, m: usize) -> Self {
        self.min_df = m;
        self
    }
    /// Number of classes; set by training from the label set.
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
        if let Solver::Sgd { epochs, rate } = self.solver {
            if epochs == 0 || !(rate.is_finite() && rate > 0.0) {
                return Err(Error::InvalidParameter(
                    "SGD needs at least one epoch and a positive rate".into(),
                ));
            }
        }
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(Error::InvalidParameter("tol must be >= 0".into()));
        }
        Ok(LogisticRegressionValidParams(self))
    }
}

impl LogisticRegressionValidParams {
    /// The checked parameters.
    pub fn params(&self) -> &LogisticRegressionParams {
        &self.0
    }
}
