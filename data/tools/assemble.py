#!/usr/bin/env python3
"""Assemble the project's corpus from the hand-written part files.

Reads data/corpus/parts/*.csv (columns text,target,actor,stance,bias,topic,register),
locates each target (first whole-word occurrence; offsets are Python str indices, i.e.
Unicode scalar values, end exclusive), gives every row an id, splits the sentences into
train and dev (a sentence goes to dev when a seeded SHA-256 hash of its text falls in the
lowest 15%, so adding parts never moves an existing sentence; all rows of a sentence are
in the same split) and writes data/corpus/train.csv and
data/corpus/dev.csv. Deterministic: the same parts give byte-identical files.

Usage: python3 data/tools/assemble.py
"""
import csv
import hashlib
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ROOT / "corpus" / "parts"
OUT = ROOT / "corpus"
DEV_SHARE = 0.15
SEED = "stance-corpus-2026"
FIELDS = ["id", "text", "target", "actor", "stance", "mention_start", "mention_end",
          "bias", "topic", "register", "split"]


def locate(text, target):
    for m in re.finditer(re.escape(target), text):
        s, e = m.start(), m.end()
        before = text[s - 1] if s > 0 else " "
        after = text[e] if e < len(text) else " "
        if (not target[0].isalnum() or not before.isalnum()) and (
                not target[-1].isalnum() or not after.isalnum()):
            return s, e
    return None


def main():
    rows = []
    errors = []
    for part in sorted(PARTS.glob("*.csv")):
        with part.open(newline="", encoding="utf-8") as f:
            r = csv.DictReader(f)
            for i, row in enumerate(r, start=2):
                span = locate(row["text"], row["target"])
                if span is None:
                    errors.append(f"{part.name}:{i}: target {row['target']!r} not found as a whole word")
                    continue
                row = {k: (v or "").strip() if k != "text" else v for k, v in row.items()}
                row["mention_start"], row["mention_end"] = span
                row["part"] = part.stem
                rows.append(row)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    # Group rows by sentence, in order of first appearance.
    groups = defaultdict(list)
    order = []
    for row in rows:
        key = row["text"]
        if key not in groups:
            order.append(key)
        groups[key].append(row)
    def is_dev(text):
        h = hashlib.sha256((SEED + "\n" + text).encode("utf-8")).digest()
        return int.from_bytes(h[:8], "big") % 10000 < DEV_SHARE * 10000

    dev = {key for key in order if is_dev(key)}
    out = {"train": [], "dev": []}
    for n, key in enumerate(order):
        split = "dev" if key in dev else "train"
        for j, row in enumerate(groups[key]):
            rec = {k: row.get(k, "") for k in FIELDS}
            rec["id"] = f"stance-{n:05d}-{j}"
            rec["split"] = split
            out[split].append(rec)
    for split, recs in out.items():
        path = OUT / f"{split}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
            w.writeheader()
            w.writerows(recs)
        print(f"{path.relative_to(ROOT.parent)}: {len(recs)} rows, "
              f"{len({r['text'] for r in recs})} sentences")


if __name__ == "__main__":
    main()
