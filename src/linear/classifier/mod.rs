//! Multinomial logistic regression with L2 penalty over sparse rows, behind linfa's
//! `Fit` / `PredictInplace` traits.
//!
//! Minimizes `(1/n) sum_i s_i * CE(softmax(x_i W + b), y_i) + |W|^2 / (2 C n)` (the same
//! optimum as scikit-learn's `LogisticRegression(C)`, with sample weights `s_i`; the
//! intercept is not penalized) with L-BFGS, or approximately with AdaGrad SGD. Only the
//! columns stored in at least `min_df` training rows are optimized. Every sum runs in a
//! fixed order, so the fitted weights are identical whatever the number of threads.

mod fit;
mod lbfgs;
mod logistic;
mod objective;
mod params;
mod sgd;

pub use fit::{balanced_scale, kept_columns, model_from_kept};
pub(crate) use logistic::softmax_in_place;
pub(crate) use logistic::vec_reserved;
pub use logistic::{argmax, LogisticRegression};
pub use params::{ClassWeight, LogisticRegressionParams, LogisticRegressionValidParams, Solver};
pub use sgd::{two_threads_free, SgdRows, SgdState};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linear::sparse::CsrMatrix;
    use crate::linear::sparse::SparseRow;
    use linfa::dataset::DatasetBase;
    use linfa::traits::Fit;
    use linfa::traits::Predict;
    use ndarray::Array1;

    fn toy() -> (CsrMatrix, Array1<usize>) {
        // Three separable-ish classes on 4 columns, sparse.
        let rows = vec![
            (vec![0u32, 3], vec![1.0f32, 0.2]),
            (vec![0], vec![0.8]),
            (vec![0, 1], vec![0.9, 0.1]),
            (vec![1], vec![1.0]),
            (vec![1, 3], vec![0.7, 0.3]),
            (vec![1, 2], vec![0.9, 0.2]),
            (vec![2], vec![1.0]),
            (vec![2, 3], vec![0.6, 0.5]),
            (vec![0, 2], vec![0.2, 0.9]),
        ];
        let x = CsrMatrix::from_rows(
            rows.into_iter()
                .map(|(indices, values)| SparseRow { indices, values }),
            4,
        );
        (x, Array1::from(vec![0, 0, 0, 1, 1, 1, 2, 2, 2]))
    }

    /// A CSR problem with classes and sample weights: (indptr, cols, vals, y, s).
    type Problem = (Vec<usize>, Vec<u32>, Vec<f32>, Vec<usize>, Vec<f64>);

    /// A random sparse problem: `n` rows over `cols` kept columns (some entries dropped
    /// as `u32::MAX`), `k` classes.
    fn random_rows(n: usize, cols: u32, k: usize, seed: u64) -> Problem {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let (mut indptr, mut c, mut v) = (vec![0usize], Vec::new(), Vec::new());
        for _ in 0..n {
            let len = rng.gen_range(0..40);
            let mut row: Vec<u32> = (0..len).map(|_| rng.gen_range(0..cols)).collect();
            row.sort_unstable();
            row.dedup();
            for j in row {
                c.push(if rng.gen_bool(0.1) { u32::MAX } else { j });
                v.push(rng.gen_range(-1.0f32..1.0));
            }
            indptr.push(c.len());
        }
        let y = (0..n).map(|_| rng.gen_range(0..k)).collect();
        let s = (0..n).map(|_| rng.gen_range(0.5..2.0)).collect();
        (indptr, c, v, y, s)
    }

    #[test]
    fn two_solver_threads_give_the_weights_of_one() {
        for k in [2usize, 3, 4, 5] {
            let (indptr, cols, vals, y, s) = random_rows(300, 50, k, k as u64);
            let rows = SgdRows {
                indptr: &indptr,
                cols: &cols,
                vals: &vals,
                y: &y,
                s: &s,
            };
            let col_nnz = vec![7u32; 50];
            let order: Vec<u32> = (0..300u32).chain((0..300).rev()).collect();
            let mut one = SgdState::new(k, &col_nnz, 1.0, 0.1);
            let loss_one = one.run(&rows, &order, 300, false);
            let mut two = SgdState::new(k, &col_nnz, 1.0, 0.1);
            let loss_two = two.run(&rows, &order, 300, true);
            // The fall-back to one thread after the first window of rows.
            let mut alone = SgdState::new(k, &col_nnz, 1.0, 0.1);
            alone.fallback_sleeps = 0;
            let loss_alone = alone.run(&rows, &order, 300, true);
            let (w1, w2) = (one.weights(), two.weights());
            assert!(w1.iter().any(|&w| w != 0.0), "k={k}: nothing learned");
            assert_eq!(w1, w2, "k={k}");
            assert_eq!(w1, alone.weights(), "k={k}");
            assert_eq!(loss_one, loss_two, "k={k}");
            assert_eq!(loss_one, loss_alone, "k={k}");
            assert!(loss_one > 0.0);
        }
    }

    #[test]
    fn kept_columns_are_ordered_by_frequency_then_index() {
        let df = [3u32, 0, 5, 3, 1, 5, 2, 0, 3];
        let (used, map) = kept_columns(&df, 2);
        assert_eq!(used, vec![2, 5, 0, 3, 8, 6]);
        for (j, &m) in map.iter().enumerate() {
            match used.iter().position(|&u| u as usize == j) {
                Some(p) => assert_eq!(m as usize, p),
                None => assert_eq!(m, u32::MAX),
            }
        }
    }

    #[test]
    fn fits_and_predicts_through_linfa_traits() {
        let (x, y) = toy();
        let ds = DatasetBase::new(x.clone(), y.clone());
        let m = LogisticRegressionParams::default()
            .c(100.0)
            .check()
            .unwrap()
            .fit(&ds)
            .unwrap();
        let pred: Array1<usize> = m.predict(&ds);
        assert_eq!(pred, y);
        for p in m.predict_proba(&x) {
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        }
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn matches_the_optimum_of_a_dense_reference() {
        // At the optimum the gradient of the (unweighted) objective vanishes:
        // sum_i (p_i - y_i) x_i / n + lambda w = 0. Check it on the dense copy.
        let (x, y) = toy();
        let c = 2.0;
        let m = LogisticRegressionParams::default()
            .c(c)
            .tol(1e-9)
            .solver(Solver::Lbfgs)
            .class_weight(ClassWeight::Uniform)
            .check()
            .unwrap()
            .fit(&DatasetBase::new(x.clone(), y.clone()))
            .unwrap();
        let dense = x.to_dense();
        let n = x.nrows() as f64;
        let probs = m.predict_proba(&x);
        for j in 0..4 {
            for k in 0..3 {
                let mut g = 0.0;
                for i in 0..x.nrows() {
                    let t = if y[i] == k { 1.0 } else { 0.0 };
                    g += (probs[i][k] as f64 - t) * dense[[i, j]] / n;
                }
                g += m.weights[j * 3 + k] as f64 / (c * n);
                assert!(g.abs() < 1e-4, "gradient {g} at ({j},{k})");
            }
        }
    }

    #[test]
    fn agrees_with_linfa_logistic_on_small_dense_data() {
        // linfa-logistic (dense, argmin L-BFGS) minimizes sum CE + alpha/2 |W|^2 with an
        // unpenalized intercept: the same optimum as ours with alpha = 1/C and uniform
        // class weights.
        let (n, d, k) = (40, 5, 3);
        let mut rows = Vec::new();
        let mut y = Vec::new();
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as f64 / (1u64 << 31) as f64) as f32
        };
        for i in 0..n {
            let class = i % k;
            let mut indices = Vec::new();
            let mut values = Vec::new();
            for j in 0..d {
                let v = next() + if j % k == class { 0.8 } else { 0.0 };
                if v > 0.3 {
                    indices.push(j as u32);
                    values.push(v);
                }
            }
            rows.push(SparseRow { indices, values });
            y.push(if i % 7 == 0 { (class + 1) % k } else { class });
        }
        let x = CsrMatrix::from_rows(rows, d);
        let y = Array1::from(y);
        let c = 2.0;
        let ours = LogisticRegressionParams::default()
            .c(c)
            .tol(1e-10)
            .solver(Solver::Lbfgs)
            .max_iter(2000)
            .class_weight(ClassWeight::Uniform)
            .min_df(1)
            .check()
            .unwrap()
            .fit(&DatasetBase::new(x.clone(), y.clone()))
            .unwrap();
        let dense = x.to_dense();
        let theirs = linfa_logistic::MultiLogisticRegression::default()
            .alpha(1.0 / c)
            .max_iterations(2000)
            .gradient_tolerance(1e-10)
            .fit(&DatasetBase::new(dense.clone(), y))
            .unwrap();
        let p_theirs = theirs.predict_probabilities(&dense);
        let p_ours = ours.predict_proba(&x);
        for i in 0..n {
            for c in 0..k {
                let diff = (p_ours[i][c] as f64 - p_theirs[[i, c]]).abs();
                assert!(
                    diff < 2e-3,
                    "row {i} class {c}: {} vs {}",
                    p_ours[i][c],
                    p_theirs[[i, c]]
                );
            }
        }
    }

    #[test]
    fn bad_parameters_and_single_class_fail() {
        assert!(LogisticRegressionParams::default().c(0.0).check().is_err());
        let (x, _) = toy();
        let y = Array1::from(vec![0; 9]);
        let e = LogisticRegressionParams::default()
            .check()
            .unwrap()
            .fit(&DatasetBase::new(x, y))
            .unwrap_err();
        assert!(e.to_string().contains("two classes"));
    }
}
