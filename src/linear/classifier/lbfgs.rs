//! The L-BFGS solver.

use super::objective::Objective;

/// Limited-memory BFGS with a backtracking (Armijo) line search on preallocated
/// buffers. `argmin`'s L-BFGS over `Vec<f64>` allocates a new vector for every vector
/// operation; on this problem that overhead exceeded the objective's own cost, so the
/// loop is written out here: the textbook algorithm (Nocedal and Wright, Algorithm 7.5),
/// with the direction in [`direction`]. Returns (iterations, final objective).
pub(super) fn lbfgs(
    obj: &mut Objective,
    w: &mut [f64],
    m: usize,
    max_iter: u64,
    tol: f64,
) -> (u64, f64) {
    let dim = w.len();
    let mut g = vec![0.0; dim];
    let mut f = obj.eval(w, &mut g);
    let mut s_hist: Vec<Vec<f64>> = Vec::with_capacity(m);
    let mut y_hist: Vec<Vec<f64>> = Vec::with_capacity(m);
    let mut rho: Vec<f64> = Vec::with_capacity(m);
    let mut alpha = vec![0.0; m];
    let mut d = vec![0.0; dim];
    let mut w_new = vec![0.0; dim];
    let mut g_new = vec![0.0; dim];
    let mut iters = 0;
    while iters < max_iter {
        let gnorm = g.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        if gnorm <= tol {
            break;
        }
        iters += 1;
        direction(&g, &s_hist, &y_hist, &rho, &mut alpha, &mut d);
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            rho.clear();
            d.iter_mut().zip(&g).for_each(|(dv, gv)| *dv = -gv);
            slope = dot(&g, &d);
        }
        let mut t = 1.0;
        let mut f_new;
        let mut tries = 0;
        loop {
            for ((wn, wv), dv) in w_new.iter_mut().zip(w.iter()).zip(&d) {
                *wn = wv + t * dv;
            }
            f_new = obj.eval(&w_new, &mut g_new);
            if f_new <= f + 1e-4 * t * slope || tries >= 30 {
                break;
            }
            t *= 0.5;
            tries += 1;
        }
        if f_new > f {
            break; // no progress possible at machine precision
        }
        // Store the pair (reusing the oldest buffers when full).
        let (mut sv, mut yv) = if s_hist.len() == m {
            rho.remove(0);
            (s_hist.remove(0), y_hist.remove(0))
        } else {
            (vec![0.0; dim], vec![0.0; dim])
        };
        for i in 0..dim {
            sv[i] = w_new[i] - w[i];
            yv[i] = g_new[i] - g[i];
        }
        let sy = dot(&sv, &yv);
        w.copy_from_slice(&w_new);
        std::mem::swap(&mut g, &mut g_new);
        let rel = (f - f_new).abs() / f.abs().max(1e-12);
        f = f_new;
        if sy > 1e-12 {
            s_hist.push(sv);
            y_hist.push(yv);
            rho.push(1.0 / sy);
        }
        if rel < 1e-10 {
            break;
        }
    }
    if std::env::var_os("STANCE_DEBUG").is_some() {
        eprintln!(
            "lbfgs: {iters} iterations, {} evaluations, dim {dim}",
            obj.evals
        );
    }
    (iters, f)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The search direction `d = -H g` by the two-loop recursion over the stored pairs
/// (`s_hist`, `y_hist`, `rho` = 1 / (s . y), oldest first); without pairs, the steepest
/// descent scaled to unit length. `alpha` is scratch, one entry per pair at least.
fn direction(
    g: &[f64],
    s_hist: &[Vec<f64>],
    y_hist: &[Vec<f64>],
    rho: &[f64],
    alpha: &mut [f64],
    d: &mut [f64],
) {
    d.copy_from_slice(g);
    let h = s_hist.len();
    for j in (0..h).rev() {
        alpha[j] = rho[j] * dot(&s_hist[j], d);
        for (dv, yv) in d.iter_mut().zip(&y_hist[j]) {
            *dv -= alpha[j] * yv;
        }
    }
    if h > 0 {
        let gamma = dot(&s_hist[h - 1], &y_hist[h - 1]) / dot(&y_hist[h - 1], &y_hist[h - 1]);
        d.iter_mut().for_each(|v| *v *= gamma);
    } else {
        let n2 = dot(g, g).sqrt();
        d.iter_mut().for_each(|v| *v /= n2.max(1e-12));
    }
    for j in 0..h {
        let beta = rho[j] * dot(&y_hist[j], d);
        for (dv, sv) in d.iter_mut().zip(&s_hist[j]) {
            *dv += sv * (alpha[j] - beta);
        }
    }
    d.iter_mut().for_each(|v| *v = -*v);
}
