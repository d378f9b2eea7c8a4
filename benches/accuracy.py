#!/usr/bin/env python3
"""Accuracy benchmark: stance vs scikit-learn and fastText on the shared splits.

For each dataset in ../shared/data (semeval2016 and newsmtsc: stance; babe: bias) this
trains stance with its default settings on train.csv, scores dev.csv, runs 5-fold
cross-validation on train.csv, and in the same run trains and scores the peers
(scikit-learn TF-IDF word 1-3 + char 2-5 with LinearSVC; fastText with word bigrams and
char 2-5 n-grams; fastText with bigrams only) through benches/peers.py. Prints one table.

A last row, "babe + marked words", trains stance on BABE's train split with the words its
annotators marked as biased (meta_train.csv) as a `loaded_words` column
(benches/babe_marked.py writes the copy into a temporary directory); it scores the same
dev split. The peers have no way to use the marks: their cells repeat the plain BABE row.

With --autotune SECONDS (default 300; 0: off), stance is also trained with
`stance-train --autotune` (SemEval with --autotune-metric f-avg, its measure; the others
macro-F1), which chooses its settings by 5-fold CV on train within that budget, and scored
on dev. Its CV column is the CV score of the settings it chose: the search picked them by
that very score, so it is optimistic, unlike the dev figure.

Run through benches/accuracy.sh (builds the binaries and the peers' virtualenv).
"""
import argparse
import os
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = (ROOT / ".." / "shared" / "data").resolve()
TRAIN_BIN = Path(os.environ.get("STANCE_TRAIN_BIN", ROOT / "target" / "release" / "stance-train"))
DATASETS = [
    ("semeval2016", "stance", "F_avg", "f_avg"),
    ("newsmtsc", "stance", "macro-F1", "macro_f1"),
    ("babe", "bias", "macro-F1", "macro_f1"),
]
PEERS = ["sklearn-svc", "fasttext-char", "fasttext-bigram"]


def autotune_run(ds, key, budget, tmp, train=None):
    train, dev = train or DATA / ds / "train.csv", DATA / ds / "dev.csv"
    metric = "f-avg" if key == "f_avg" else "macro-f1"
    t0 = time.perf_counter()
    out = subprocess.run([str(TRAIN_BIN), str(train), "-o", str(Path(tmp) / f"{ds}-at.stance"),
                          "--eval", str(dev), "--autotune", "--autotune-budget", str(budget),
                          "--autotune-metric", metric, "--format", "json", "--quiet"],
                         check=True, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    v = json.loads(out.stdout)
    at = v["autotune"]
    return {"dev": v[key], "seconds": secs, "cv": at["best_score"], "flags": at["flags"],
            "complete": at["complete"], "trials": len(at["trials"])}


def stance_run(ds, key, cv, tmp, train=None):
    train, dev = train or DATA / ds / "train.csv", DATA / ds / "dev.csv"
    model = Path(tmp) / f"{ds}.stance"
    t0 = time.perf_counter()
    out = subprocess.run([str(TRAIN_BIN), str(train), "-o", str(model), "--eval", str(dev),
                          "--format", "json", "--quiet"], check=True, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    v = json.loads(out.stdout)
    # Top-level metrics are the stance head's, or the bias head's when there is no stance.
    res = {"dev": v[key], "seconds": secs}
    if cv:
        out = subprocess.run([str(TRAIN_BIN), str(train), "-o", str(Path(tmp) / f"{ds}-cv.stance"),
                              "--cv", str(cv), "--format", "json", "--quiet"],
                             check=True, capture_output=True, text=True)
        folds = json.loads(out.stdout)["cv"]["bias" if ds == "babe" else "stance"]
        vals = [f[key] for f in folds]
        mean = sum(vals) / len(vals)
        sd = (sum((x - mean) ** 2 for x in vals) / len(vals)) ** 0.5
        res["cv"] = (mean, sd)
    return res


def peer_run(ds, task, peer, key):
    out = subprocess.run([sys.executable, str(ROOT / "benches" / "peers.py"), "--train",
                          str(DATA / ds / "train.csv"), "--dev", str(DATA / ds / "dev.csv"),
                          "--task", task, "--peer", peer, "--json", "--throughput-rows", "2000",
                          "--fasttext-threads", "1"],
                         check=True, capture_output=True, text=True)
    v = json.loads(out.stdout.strip().splitlines()[-1])
    return {"dev": v[key], "seconds": v["train_seconds"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cv", type=int, default=5, help="folds for stance's cross-validation (0: off)")
    ap.add_argument("--autotune", type=float, default=300,
                    help="time budget of stance --autotune per dataset in seconds (0: off)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    import tempfile
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for ds, task, metric, key in DATASETS:
            r = {"dataset": ds, "metric": metric, "stance": stance_run(ds, key, args.cv, tmp)}
            if args.autotune > 0:
                r["autotune"] = autotune_run(ds, key, args.autotune, tmp)
            for p in PEERS:
                r[p] = peer_run(ds, task, p, key)
            rows.append(r)
            print(f"done {ds}", file=sys.stderr)
        marked = Path(tmp) / "babe-marked-train.csv"
        subprocess.run([sys.executable, str(ROOT / "benches" / "babe_marked.py"), str(DATA / "babe"),
                        "train", str(marked)], check=True)
        r = {"dataset": "babe + marked words", "metric": "macro-F1",
             "stance": stance_run("babe", "macro_f1", args.cv, tmp, train=marked)}
        if args.autotune > 0:
            r["autotune"] = autotune_run("babe", "macro_f1", args.autotune, tmp, train=marked)
        for p in PEERS:
            r[p] = next(x for x in rows if x["dataset"] == "babe")[p]
        rows.append(r)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    tuned = args.autotune > 0
    hdr = ["dataset", "metric", "stance dev", f"stance {args.cv}-fold CV"]
    hdr += ["stance --autotune dev", "its CV (chosen on it)"] if tuned else []
    hdr += ["sklearn-svc", "fasttext-char", "fasttext-bigram", "train s: stance"]
    hdr += ["autotune"] if tuned else []
    hdr += ["sklearn", "ft-char", "ft-bigram"]
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for r in rows:
        cv = r["stance"].get("cv")
        cells = [r["dataset"], r["metric"], f'{100 * r["stance"]["dev"]:.2f}',
                 f"{100 * cv[0]:.2f} ± {100 * cv[1]:.2f}" if cv else "-"]
        at = r.get("autotune")
        if tuned:
            cells += [f'{100 * at["dev"]:.2f}', f'{100 * at["cv"]:.2f}']
        cells += [f'{100 * r[p]["dev"]:.2f}' for p in PEERS]
        cells += [f'{r["stance"]["seconds"]:.1f}']
        cells += [f'{at["seconds"]:.1f}'] if tuned else []
        cells += [f'{r[p]["seconds"]:.1f}' for p in PEERS]
        print("| " + " | ".join(cells) + " |")
    if tuned:
        print()
        for r in rows:
            at = r["autotune"]
            print(f'{r["dataset"]}: --autotune chose {" ".join(at["flags"]) or "the defaults"} '
                  f'({at["trials"]} trials{"" if at["complete"] else ", stopped by the budget"})')
    print("\nstance: default settings of stance-train (train -> dev; CV folds on train, sentences "
          "kept within a fold). Peers via benches/peers.py (fastText with 1 thread, seed 42). "
          "Training seconds are wall-clock on this machine, including feature extraction.")


if __name__ == "__main__":
    main()
