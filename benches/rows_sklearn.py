#!/usr/bin/env python3
"""Fit scikit-learn learners on the exact feature rows stance-train fits.

Solver-or-features diagnostic: `examples/dump_rows.rs` writes the rows of the default
settings (svmlight, plus the CV folds and per-fold IDF); this fits LinearSVC and/or
LogisticRegression on them and prints dev and K-fold CV scores (same folds as
`stance-train --cv K`; columns kept as the classifier keeps them: document frequency
>= 2 in the training part). Compare with `stance-train --eval DEV --cv 5` and
`--solver lbfgs` (LogisticRegression at the same C and balanced weights is the same
optimum as `--solver lbfgs`).

    cargo run --release --features internals --example dump_rows -- ../shared/data/newsmtsc/train.csv \\
        ../shared/data/newsmtsc/dev.csv /tmp/rows/newsmtsc
    OMP_NUM_THREADS=1 benches/.venv/bin/python benches/rows_sklearn.py /tmp/rows/newsmtsc \\
        --head stance --metric macro_f1 --model svc --c 0.3,1,3

--metric f_avg is SemEval's mean F1 of favor and against.
"""
import argparse
import itertools
import time

import numpy as np
from sklearn.datasets import load_svmlight_file
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.svm import LinearSVC


def load(path, n_features):
    x, y = load_svmlight_file(path, n_features=n_features, zero_based=True, dtype=np.float64)
    return x.tocsr(), y.astype(int)


def kept(x, min_df=2):
    return np.flatnonzero(np.bincount(x.indices, minlength=x.shape[1]) >= min_df)


def make(kind, c, cw):
    if kind == "svc":  # L2-regularized squared hinge, one-vs-rest (liblinear)
        return LinearSVC(C=c, class_weight=cw, max_iter=5000)
    return LogisticRegression(C=c, class_weight=cw, max_iter=2000, tol=1e-5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--head", default="stance")
    ap.add_argument("--metric", choices=["macro_f1", "f_avg"], default="macro_f1")
    ap.add_argument("--model", default="svc", help="comma list of svc, lr")
    ap.add_argument("--c", default="0.1,0.3,1")
    ap.add_argument("--class-weight", default="balanced", help="comma list of balanced, none")
    ap.add_argument("--hash-bits", type=int, default=20)
    a = ap.parse_args()
    nf = 1 << a.hash_bits
    d, h = a.dir, a.head
    labels = open(f"{d}/{h}_labels.txt").read().split()

    def score(y, p):
        if a.metric == "f_avg":
            ids = [labels.index("favor"), labels.index("against")]
            return f1_score(y, p, labels=ids, average="macro")
        return f1_score(y, p, average="macro")

    xtr, ytr = load(f"{d}/{h}_train.svm", nf)
    xdv, ydv = load(f"{d}/{h}_dev.svm", nf)
    folds = np.loadtxt(f"{d}/{h}_folds.txt", dtype=int)
    k = folds.max() + 1
    cv_x = [load(f"{d}/{h}_cv{f}.svm", nf)[0] for f in range(k)]
    cols = kept(xtr)
    for kind, c, cw in itertools.product(a.model.split(","), map(float, a.c.split(",")),
                                         a.class_weight.split(",")):
        cw = None if cw == "none" else cw
        t0 = time.time()
        dev = score(ydv, make(kind, c, cw).fit(xtr[:, cols], ytr).predict(xdv[:, cols]))
        cvs = []
        for f in range(k):
            tr, te = folds != f, folds == f
            x = cv_x[f]
            cf = kept(x[tr])
            m = make(kind, c, cw).fit(x[tr][:, cf], ytr[tr])
            cvs.append(score(ytr[te], m.predict(x[te][:, cf])))
        cvs = np.array(cvs)
        print(f"{kind} C={c} class_weight={cw}: dev {100 * dev:.2f}  {k}-fold CV "
              f"{100 * cvs.mean():.2f} ± {100 * cvs.std():.2f}  ({time.time() - t0:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
