#!/usr/bin/env python3
"""Peer baselines (scikit-learn, fastText) for the stance benchmark.

Trains each peer on TRAIN.csv, scores it on DEV.csv and reports quality,
timing, throughput and peak RSS, so the Rust `stance` tool can be compared
in the same run.

    benches/setup_peers.sh
    benches/.venv/bin/python benches/peers.py --train T.csv --dev D.csv \
        --task stance|bias [--peer sklearn-svc|sklearn-lr|fasttext-char|fasttext-bigram|all] \
        [--throughput-rows N] [--json]

With --peer all, every peer runs sequentially in its own fresh child process,
so `peak_rss_mb` (resource.getrusage ru_maxrss) is that peer's own peak
(interpreter + imports + data + model), not a running maximum.

Input text (identical for all peers):
  stance: text with the mention wrapped as  text[:s] + " [T] " + text[s:e] + " [/T] " + text[e:]
          when offsets are present, then prefixed with "target: " + target + " | "
  bias:   text alone
scikit-learn lowercases inside its vectorizers; fastText gets the text
lowercased with all whitespace runs (incl. line breaks) collapsed to one
space. That normalisation is inside the timed predict/throughput calls.

Timing: train_seconds = vectorizer fit + model fit (sklearn `Pipeline.fit`),
or fastText training file write + train_supervised. predict_seconds = one
batch predict over the dev texts. rows_per_second = dev texts repeated to
--throughput-rows rows, predicted in one batch call (sklearn incl. vectorizing).

Determinism: LinearSVC/LogisticRegression get random_state=SEED; fastText gets
seed=SEED but trains with thread=2 (Hogwild), so its scores can vary slightly
between runs (see --fasttext-threads 1 for a reproducible run).
"""

import argparse
import csv
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time

PEERS = ["sklearn-svc", "sklearn-lr", "fasttext-char", "fasttext-bigram"]
FASTTEXT_THREADS = 2


# ---------------------------------------------------------------- data

def load_rows(path, task):
    """Return (inputs, labels) for the task; rows with an empty label skipped."""
    label_col = "stance" if task == "stance" else "bias"
    inputs, labels = [], []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            label = (row.get(label_col) or "").strip()
            if not label:
                continue
            inputs.append(build_input(row, task))
            labels.append(label)
    return inputs, labels


def build_input(row, task):
    text = row["text"]
    if task == "bias":
        return text
    s, e = (row.get("mention_start") or "").strip(), (row.get("mention_end") or "").strip()
    if s and e:
        s, e = int(s), int(e)
        text = text[:s] + " [T] " + text[s:e] + " [/T] " + text[e:]
    return "target: " + (row.get("target") or "") + " | " + text


def repeat_to(texts, n):
    if not texts or n <= 0:
        return []
    return (texts * math.ceil(n / len(texts)))[:n]


# ---------------------------------------------------------------- metrics

def score(gold, pred, task):
    labels = sorted(set(gold) | set(pred))
    per_class = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        n_pred = sum(1 for p in pred if p == lab)
        n_gold = sum(1 for g in gold if g == lab)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[lab] = {"precision": prec, "recall": rec, "f1": f1, "support": n_gold}
    accuracy = sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0
    macro_f1 = sum(c["f1"] for c in per_class.values()) / len(per_class) if per_class else 0.0
    f_avg = None
    if task == "stance":
        f_avg = (per_class.get("favor", {}).get("f1", 0.0)
                 + per_class.get("against", {}).get("f1", 0.0)) / 2
    return accuracy, macro_f1, f_avg, per_class


# ---------------------------------------------------------------- peers

class SklearnPeer:
    def __init__(self, kind, seed):
        self.kind, self.seed = kind, seed
        import sklearn
        self.library = "scikit-learn " + sklearn.__version__
        self.threads = 1  # liblinear / lbfgs (BLAS threads not pinned)

    def train(self, texts, labels):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, Pipeline
        from sklearn.svm import LinearSVC

        features = FeatureUnion([
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 3),
                                     sublinear_tf=True, min_df=1)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
                                     sublinear_tf=True, min_df=1)),
        ])
        if self.kind == "sklearn-svc":
            clf = LinearSVC(C=1.0, random_state=self.seed)
        else:
            clf = LogisticRegression(C=10, max_iter=2000, random_state=self.seed)
        self.model = Pipeline([("features", features), ("clf", clf)])
        self.model.fit(texts, labels)

    def predict(self, texts):
        return list(self.model.predict(texts))


class FastTextPeer:
    def __init__(self, kind, seed):
        self.kind, self.seed = kind, seed
        import fasttext  # noqa: F401  (fasttext-numpy2-wheel imports as fasttext)
        try:
            from importlib.metadata import version
            self.library = "fasttext-numpy2-wheel " + version("fasttext-numpy2-wheel")
        except Exception:
            self.library = "fasttext"
        self.threads = FASTTEXT_THREADS

    @staticmethod
    def norm(text):
        return " ".join(text.lower().split())

    def train(self, texts, labels):
        import fasttext
        params = dict(epoch=25, lr=0.5, wordNgrams=2, dim=100,
                      thread=FASTTEXT_THREADS, seed=self.seed, verbose=0)
        if self.kind == "fasttext-char":
            params.update(minn=2, maxn=5)
        else:
            params.update(minn=0, maxn=0)  # no char n-grams (library default for supervised)
        fd, path = tempfile.mkstemp(prefix="peers-ft-", suffix=".txt")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                for text, label in zip(texts, labels):
                    f.write("__label__" + label + " " + self.norm(text) + "\n")
            try:
                self.model = fasttext.train_supervised(input=path, **params)
            except TypeError:  # a build without the seed parameter
                params.pop("seed")
                self.model = fasttext.train_supervised(input=path, **params)
        finally:
            os.remove(path)

    def predict(self, texts):
        out, _ = self.model.predict([self.norm(t) for t in texts], k=1)
        return [labs[0][len("__label__"):] if labs else "" for labs in out]


def make_peer(name, seed):
    return SklearnPeer(name, seed) if name.startswith("sklearn") else FastTextPeer(name, seed)


def run_peer(name, args):
    train_x, train_y = load_rows(args.train, args.task)
    dev_x, dev_y = load_rows(args.dev, args.task)
    bulk = repeat_to(dev_x, args.throughput_rows)
    peer = make_peer(name, args.seed)

    t0 = time.perf_counter()
    peer.train(train_x, train_y)
    train_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    pred = peer.predict(dev_x)
    predict_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    peer.predict(bulk)
    bulk_seconds = time.perf_counter() - t0

    accuracy, macro_f1, f_avg, per_class = score(dev_y, pred, args.task)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux
    return {
        "peer": name,
        "task": args.task,
        "train": args.train,
        "dev": args.dev,
        "n_train": len(train_x),
        "n_dev": len(dev_x),
        "accuracy": accuracy,
        "macro_f1": macro_f1,
        "f_avg": f_avg,
        "per_class": per_class,
        "train_seconds": train_seconds,
        "predict_seconds": predict_seconds,
        "rows_per_second": len(bulk) / bulk_seconds if bulk_seconds > 0 else None,
        "throughput_rows": len(bulk),
        "peak_rss_mb": peak_rss_mb,
        "seed": args.seed,
        "threads": peer.threads,
        "library": peer.library,
    }


def run_in_child(name, args):
    """Run one peer in a fresh interpreter so its peak RSS is its own."""
    cmd = [sys.executable, os.path.abspath(__file__),
           "--train", args.train, "--dev", args.dev, "--task", args.task,
           "--peer", name, "--throughput-rows", str(args.throughput_rows),
           "--seed", str(args.seed), "--fasttext-threads", str(args.fasttext_threads),
           "--json"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"peers.py: peer {name} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- output

def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def print_table(results):
    head = ["peer", "task", "n_train", "n_dev", "acc", "macroF1", "F_avg",
            "train_s", "pred_s", "rows/s", "rss_mb"]
    rows = []
    for r in results:
        rows.append([r["peer"], r["task"], str(r["n_train"]), str(r["n_dev"]),
                     fmt(r["accuracy"], ".4f"), fmt(r["macro_f1"], ".4f"),
                     fmt(r["f_avg"], ".4f"), fmt(r["train_seconds"], ".2f"),
                     fmt(r["predict_seconds"], ".3f"), fmt(r["rows_per_second"], ",.0f"),
                     fmt(r["peak_rss_mb"], ".0f")])
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    line = lambda cells: "  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    if results:
        print(f"train: {results[0]['train']}   dev: {results[0]['dev']}")
    print(line(head))
    print(line(["-" * w for w in widths]))
    for cells in rows:
        print(line(cells))
    print()
    for r in results:
        parts = [f"{lab}={c['f1']:.4f} (n={c['support']})" for lab, c in r["per_class"].items()]
        print(f"{r['peer']:<16} per-class F1: " + ", ".join(parts))
    if results:
        r = results[0]
        print(f"throughput over {r['throughput_rows']} rows; seed {r['seed']}; "
              f"fastText threads {FASTTEXT_THREADS}")


def set_fasttext_threads(n):
    global FASTTEXT_THREADS
    FASTTEXT_THREADS = n


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev", required=True)
    ap.add_argument("--task", required=True, choices=["stance", "bias"])
    ap.add_argument("--peer", default="all", choices=PEERS + ["all"])
    ap.add_argument("--throughput-rows", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--fasttext-threads", type=int, default=FASTTEXT_THREADS,
                    help="fastText training threads (default 2; 1 = reproducible)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    set_fasttext_threads(args.fasttext_threads)

    if args.peer == "all":
        results = []
        for name in PEERS:
            r = run_in_child(name, args)
            results.append(r)
            if args.json:
                print(json.dumps(r), flush=True)
    else:
        results = [run_peer(args.peer, args)]
        if args.json:
            print(json.dumps(results[0]), flush=True)
    if not args.json:
        print_table(results)


if __name__ == "__main__":
    main()
