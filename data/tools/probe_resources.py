#!/usr/bin/env python3
"""Throwaway probe: what could each resource in data/resources/ add to a linear model?

A rough guide for which features to build in Rust, not a result about stance's own
models. Reads NewsMTSC (target-dependent sentiment) and BABE (sentence bias) from
/work/shared/data (nothing of them is written anywhere) and prints dev macro-F1 and
5-fold CV macro-F1 on train of a TF-IDF uni+bigram logistic regression, alone and with
each resource's features added.

Run in the venv of derive_resources.py with scikit-learn added:
    /tmp/stance-resources-venv/bin/pip install scikit-learn==1.5.2 scipy==1.14.1 \
        joblib==1.4.2 threadpoolctl==3.5.0
    OPENBLAS_NUM_THREADS=1 /tmp/stance-resources-venv/bin/python data/tools/probe_resources.py [--more | --pool]
"""
import csv
import re
import struct
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler

REPO = Path(__file__).resolve().parents[2]
RES = REPO / "data" / "resources"
DATA = Path("/work/shared/data")
WINDOW = 4
C = 1.0

TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*|n't|'s", re.UNICODE)


def tokens(text):
    return TOKEN.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


def comments_off(path):
    return [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8") if not l.startswith("#")]


def load_resources():
    rows = comments_off(RES / "glove-clusters.tsv")
    words = [r[0] for r in rows]
    clusters = {r[0]: (r[1], r[2], r[3]) for r in rows}
    raw = (RES / "glove-50d-q8.bin").read_bytes()
    assert raw[:8] == b"GLOVEQ8\0"
    version, n, dim, _ = struct.unpack("<4I", raw[8:24])
    assert version == 1 and n == len(words)
    scale = np.frombuffer(raw, dtype="<f4", count=n, offset=24)
    q = np.frombuffer(raw, dtype=np.int8, count=n * dim, offset=24 + 4 * n).reshape(n, dim)
    vecs = q.astype(np.float32) * scale[:, None]
    vindex = {w: i for i, w in enumerate(words)}
    pattern = {r[0]: (float(r[1]), float(r[2])) for r in comments_off(RES / "pattern-subjectivity.tsv")}
    empath_rows = comments_off(RES / "empath-categories.tsv")
    cats = [r[0] for r in empath_rows]
    empath = {}
    for ci, r in enumerate(empath_rows):
        for w in r[1:]:
            empath.setdefault(w, []).append(ci)
    return clusters, vecs, vindex, pattern, cats, empath


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def split_context(row):
    """Tokens left of the mention, of the mention, right of it (whole sentence if no span)."""
    t = row["text"]
    if row.get("mention_start"):
        s, e = int(row["mention_start"]), int(row["mention_end"])
        return tokens(t[:s]), tokens(t[s:e]), tokens(t[e:])
    return tokens(t), [], []


class Features:
    def __init__(self, res):
        self.clusters, self.vecs, self.vindex, self.pattern, self.cats, self.empath = res

    def cluster_doc(self, toks, prefix, levels=(0, 1, 2)):
        out = []
        for w in toks:
            c = self.clusters.get(w)
            if c:
                out += [f"{prefix}{(64, 256, 1024)[l]}_{c[l]}" for l in levels]
        return out

    def mean_vec(self, toks):
        idx = [self.vindex[w] for w in toks if w in self.vindex]
        if not idx:
            return np.zeros(self.vecs.shape[1], dtype=np.float32)
        return self.vecs[idx].mean(0)

    def pattern_feats(self, toks):
        hits = [self.pattern[w] for w in toks if w in self.pattern]
        if not hits:
            return [0.0] * 8
        pol = np.array([h[0] for h in hits])
        sub = np.array([h[1] for h in hits])
        return [len(hits) / max(len(toks), 1), sub.sum(), sub.max(), sub.mean(),
                pol.sum(), pol.max(), pol.min(), pol.mean()]

    def empath_feats(self, toks):
        v = np.zeros(len(self.cats))
        for w in toks:
            for c in self.empath.get(w, ()):
                v[c] += 1
        return v / max(len(toks), 1)


def build(rows, feats, targeted):
    docs, win_words, cl_sent, cl_win, glove, pat, emp = [], [], [], [], [], [], []
    extra = {k: [] for k in ("clwin64", "clwin256", "clwin1024", "g_lr", "g_win", "g_sent")}
    for r in rows:
        left, mention, right = split_context(r)
        allt = left + mention + right
        docs.append(r["text"])
        win = left[-WINDOW:] + right[:WINDOW]
        win_words.append([f"L_{w}" for w in left[-WINDOW:]] + [f"R_{w}" for w in right[:WINDOW]])
        cl_sent.append(feats.cluster_doc(allt, "c"))
        cl_win.append(feats.cluster_doc(left[-WINDOW:], "wl") + feats.cluster_doc(right[:WINDOW], "wr"))
        for lvl in range(3):
            extra[f"clwin{(64, 256, 1024)[lvl]}"].append(
                feats.cluster_doc(left[-WINDOW:], "wl", (lvl,)) + feats.cluster_doc(right[:WINDOW], "wr", (lvl,)))
        extra["g_lr"].append(np.concatenate([feats.mean_vec(left), feats.mean_vec(right)]))
        extra["g_win"].append(feats.mean_vec(win))
        extra["g_sent"].append(feats.mean_vec(allt))
        if targeted:
            glove.append(np.concatenate([feats.mean_vec(left), feats.mean_vec(right),
                                         feats.mean_vec(win), feats.mean_vec(allt)]))
            pat.append(feats.pattern_feats(allt) + feats.pattern_feats(win))
        else:
            glove.append(feats.mean_vec(allt))
            pat.append(feats.pattern_feats(allt))
        emp.append(feats.empath_feats(allt))
    out = dict(text=docs, win=win_words, cl=cl_sent, clwin=cl_win,
               glove=np.array(glove), pattern=np.array(pat), empath=np.array(emp))
    for k, v in extra.items():
        out[k] = v if k.startswith("cl") else np.array(v)
    return out


def ident(x):
    return x


class Blocks:
    """Fit the vectorisers/scalers of the chosen blocks on train, apply to others."""

    def __init__(self, names):
        self.names = names

    def fit_transform(self, B):
        self.fitted = {}
        out = []
        for n in self.names:
            if n == "text":
                v = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                    token_pattern=None, tokenizer=tokens, lowercase=False)
                out.append(v.fit_transform(B[n]))
            elif n in ("win", "cl") or n.startswith("clwin"):
                v = TfidfVectorizer(analyzer=ident, min_df=2, sublinear_tf=True)
                out.append(v.fit_transform(B[n]))
            else:
                v = StandardScaler()
                # dense blocks get a total weight comparable to one tf-idf row (norm 1)
                X = v.fit_transform(B[n]) / np.sqrt(B[n].shape[1])
                out.append(sp.csr_matrix(X))
            self.fitted[n] = v
        return sp.hstack(out).tocsr()

    def transform(self, B):
        out = []
        for n in self.names:
            v = self.fitted[n]
            if isinstance(v, StandardScaler):
                out.append(sp.csr_matrix(v.transform(B[n]) / np.sqrt(B[n].shape[1])))
            else:
                out.append(v.transform(B[n]))
        return sp.hstack(out).tocsr()


def take(B, idx):
    return {k: ([v[i] for i in idx] if isinstance(v, list) else v[idx]) for k, v in B.items()}


def score(names, Btr, ytr, Bdv, ydv, groups, folds=5, c=None):
    c = C if c is None else c
    blk = Blocks(names)
    Xtr = blk.fit_transform(Btr)
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(Xtr, ytr)
    dev = f1_score(ydv, clf.predict(blk.transform(Bdv)), average="macro")
    cv = []
    if folds:
        splitter = (GroupKFold(folds).split(ytr, ytr, groups) if groups is not None
                    else StratifiedKFold(folds, shuffle=True, random_state=0).split(ytr, ytr))
        for tr, te in splitter:
            b = Blocks(names)
            Xa = b.fit_transform(take(Btr, tr))
            m = LogisticRegression(C=c, max_iter=3000).fit(Xa, ytr[tr])
            cv.append(f1_score(ytr[te], m.predict(b.transform(take(Btr, te))), average="macro"))
    return dev, (float(np.mean(cv)) if cv else float("nan")), (float(np.std(cv)) if cv else 0.0)


def run(name, label, targeted, feats, variants):
    tr, dv = read(DATA / name / "train.csv"), read(DATA / name / "dev.csv")
    ytr = np.array([r[label] for r in tr])
    ydv = np.array([r[label] for r in dv])
    Btr, Bdv = build(tr, feats, targeted), build(dv, feats, targeted)
    groups = np.array([r["text"] for r in tr]) if targeted else None
    cov = np.mean([any(w in feats.vindex for w in tokens(r["text"])) for r in tr])
    print(f"\n## {name}: train {len(tr)}, dev {len(dv)} (rows with a GloVe word: {cov:.3f})")
    print("| features | dev macro-F1 | 5-fold CV macro-F1 on train (mean ± sd) |")
    print("| --- | --- | --- |")
    for v in variants:
        title, names = v[0], v[1]
        dev, cv, sd = score(names, Btr, ytr, Bdv, ydv, groups, c=v[2] if len(v) > 2 else None)
        print(f"| {title} | {dev:.4f} | {cv:.4f} ± {sd:.4f} |", flush=True)


def main():
    feats = Features(load_resources())
    base = ["text"]
    if "--more" in sys.argv:
        more(feats, base)
        return
    if "--pool" in sys.argv:
        pool_round(feats)
        return
    run("newsmtsc", "stance", True, feats, [
        ("TF-IDF uni+bigrams (baseline)", base),
        ("+ window words ±4 (no resource; reference)", base + ["win"]),
        ("+ cluster ids of sentence words", base + ["cl"]),
        ("+ cluster ids in ±4 window", base + ["clwin"]),
        ("+ cluster ids, sentence and window", base + ["cl", "clwin"]),
        ("+ mean GloVe (left, right, window, sentence)", base + ["glove"]),
        ("+ Pattern subjectivity/polarity (sentence, window)", base + ["pattern"]),
        ("+ Empath category counts", base + ["empath"]),
        ("+ window words + all resources", base + ["win", "cl", "clwin", "glove", "pattern", "empath"]),
    ])
    run("babe", "bias", False, feats, [
        ("TF-IDF uni+bigrams (baseline)", base),
        ("+ cluster ids of sentence words", base + ["cl"]),
        ("+ mean GloVe of the sentence", base + ["glove"]),
        ("+ Pattern subjectivity/polarity", base + ["pattern"]),
        ("+ Empath category counts", base + ["empath"]),
        ("+ all resources", base + ["cl", "glove", "pattern", "empath"]),
    ])


def more(feats, base):
    """Second round: the regularisation of the baseline, which GloVe block matters, which
    cluster granularity matters in the window."""
    run("newsmtsc", "stance", True, feats, [
        ("baseline, C=0.3", base, 0.3), ("baseline, C=3", base, 3.0), ("baseline, C=10", base, 10.0),
        ("+ window words, C=3", base + ["win"], 3.0),
        ("+ mean GloVe of left and right context only", base + ["g_lr"]),
        ("+ mean GloVe of the ±4 window only", base + ["g_win"]),
        ("+ mean GloVe of the sentence only", base + ["g_sent"]),
        ("+ window words + mean GloVe (all four)", base + ["win", "glove"]),
        ("+ window words + window cluster ids", base + ["win", "clwin"]),
        ("+ window cluster ids, c64 only", base + ["clwin64"]),
        ("+ window cluster ids, c256 only", base + ["clwin256"]),
        ("+ window cluster ids, c1024 only", base + ["clwin1024"]),
        ("+ window words + mean GloVe + window cluster ids", base + ["win", "glove", "clwin"]),
    ])
    run("babe", "bias", False, feats, [
        ("baseline, C=0.3", base, 0.3), ("baseline, C=3", base, 3.0), ("baseline, C=10", base, 10.0),
        ("+ cluster ids + mean GloVe", base + ["cl", "glove"]),
        ("+ cluster ids + mean GloVe + Pattern", base + ["cl", "glove", "pattern"]),
    ])


def pooled(feats, toks, how):
    """Element-wise pooling ("min", "max") of the GloVe vectors of `toks`, concatenated."""
    idx = [feats.vindex[w] for w in toks if w in feats.vindex]
    if not idx:
        return np.zeros(feats.vecs.shape[1] * len(how), dtype=np.float32)
    v = feats.vecs[idx]
    return np.concatenate([getattr(v, h)(0) for h in how])


def weighted_mean(feats, toks, from_end):
    """Mean GloVe vector of `toks` weighted 1/(d+1) by distance d from the mention."""
    seq = toks[::-1] if from_end else toks
    num, den = np.zeros(feats.vecs.shape[1], dtype=np.float32), 0.0
    for d, w in enumerate(seq):
        if w in feats.vindex:
            num += feats.vecs[feats.vindex[w]] / (d + 1)
            den += 1 / (d + 1)
    return num / den if den else num


def pool_round(feats):
    """Third round (issue 19): min/max pooling of the vectors (Vo and Zhang 2015, target-
    dependent sentiment) and distance-weighted context means, on top of the mean GloVe
    blocks and window words."""
    global build
    plain = build

    def with_pooling(rows, f, targeted):
        out = plain(rows, f, targeted)
        lr, sent, wm = [], [], []
        for r in rows:
            left, mention, right = split_context(r)
            lr.append(np.concatenate([pooled(f, left, ("min", "max")), pooled(f, right, ("min", "max"))]))
            sent.append(pooled(f, left + mention + right, ("min", "max")))
            wm.append(np.concatenate([weighted_mean(f, left, True), weighted_mean(f, right, False)]))
        out["mm_lr"], out["mm_s"], out["wm"] = np.array(lr), np.array(sent), np.array(wm)
        return out

    build = with_pooling
    base = ["text", "win", "glove"]
    run("newsmtsc", "stance", True, feats, [
        ("TF-IDF + window words + mean GloVe (all four)", base),
        ("+ min/max pooling, left and right", base + ["mm_lr"]),
        ("+ min/max pooling, sentence", base + ["mm_s"]),
        ("+ distance-weighted means, left and right", base + ["wm"]),
        ("+ all three", base + ["mm_lr", "mm_s", "wm"]),
    ])
    run("babe", "bias", False, feats, [
        ("TF-IDF + mean GloVe of the sentence", ["text", "glove"]),
        ("+ min/max pooling, sentence", ["text", "glove", "mm_s"]),
    ])


if __name__ == "__main__":
    main()
