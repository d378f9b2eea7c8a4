#!/usr/bin/env python3
"""Write a copy of a BABE split with the annotators' marked words as a `loaded_words` column.

BABE's `meta_<split>.csv` lists, per sentence id, the words its annotators marked as
biased (`biased_words`, a Python list literal). stance-train reads such marks from a
`loaded_words` column and trains its loaded-word detector on them. The copy goes where
the caller says (a temporary directory): the shared data is never copied into the
repository.

Usage: babe_marked.py DATA_DIR SPLIT OUT_CSV   (DATA_DIR: ../shared/data/babe)
"""
import csv
import sys
from pathlib import Path


def main():
    data, split, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    with open(data / f"meta_{split}.csv", newline="", encoding="utf-8") as f:
        marks = {r["id"]: r["biased_words"] for r in csv.DictReader(f)}
    with open(data / f"{split}.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    missing = [r["id"] for r in rows if r["id"] not in marks]
    if missing:
        sys.exit(f"{data}/meta_{split}.csv has no row for {len(missing)} ids, e.g. {missing[:3]}")
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) + ["loaded_words"])
        w.writeheader()
        for r in rows:
            w.writerow({**r, "loaded_words": marks[r["id"]]})


if __name__ == "__main__":
    main()
