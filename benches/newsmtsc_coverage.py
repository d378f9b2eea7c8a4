#!/usr/bin/env python3
"""How many NewsMTSC targets stance-classify finds: each unique sentence of the split is
classified as an article of its own (`--format jsonl`, the shipped default model unless
the extra flags say otherwise), and a row counts as found when a mention of some actor
overlaps its target span (mention_start..mention_end). Rows whose target is a pronoun
are counted apart (discovery resolves pronouns only to a name in the same article, and
here the article is one sentence).

    python3 benches/newsmtsc_coverage.py [--bin target/release/stance-classify]
        [--csv ../shared/data/newsmtsc/dev.csv] [--misses N] [-- EXTRA FLAGS]
"""

import argparse
import csv
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRONOUNS = {
    "he", "him", "his", "himself", "she", "her", "hers", "herself", "they", "them",
    "their", "theirs", "themselves", "it", "its", "itself", "i", "me", "my", "we", "us",
    "our", "you", "your",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/stance-classify"))
    ap.add_argument("--csv", default=os.path.join(ROOT, "../shared/data/newsmtsc/dev.csv"))
    ap.add_argument("--misses", type=int, default=0, help="print this many missed targets")
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    with open(args.csv, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    texts = sorted({r["text"] for r in rows})
    index = {t: i for i, t in enumerate(texts)}
    jsonl = "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts))
    out = subprocess.run(
        [args.bin, "--format", "jsonl", *args.extra, "-"],
        input=jsonl, check=True, capture_output=True, text=True,
    ).stdout
    spans = {}
    for line in out.splitlines():
        rep = json.loads(line)
        spans[int(rep["id"])] = [
            (m["start"], m["end"])
            for s in rep["sentences"] for a in s["actors"] for m in a["mentions"]
        ]
    counts = {"name": [0, 0], "pronoun": [0, 0]}
    misses = []
    for r in rows:
        a, b = int(r["mention_start"]), int(r["mention_end"])
        kind = "pronoun" if r["target"].strip().lower() in PRONOUNS else "name"
        found = any(s < b and a < e for s, e in spans[index[r["text"]]])
        counts[kind][0] += found
        counts[kind][1] += 1
        if not found and kind == "name":
            misses.append(r["target"])
    for kind, (ok, n) in counts.items():
        print(f"{kind} targets found: {ok / max(n, 1):.4f} ({ok}/{n})")
    for m in misses[: args.misses]:
        print("  missed:", m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
