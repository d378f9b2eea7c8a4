#!/usr/bin/env python3
"""Print the composition tables of the project's corpus as Markdown.

Reads data/corpus/train.csv and data/corpus/dev.csv (as written by
data/tools/assemble.py) and prints:

  - rows and sentences per split
  - rows and share per stance label
  - sentences and share per bias label (bias is a sentence-level label)
  - rows per topic
  - sentences per register (with the share of them labeled biased)
  - the 40 actors with the most rows, and the number of distinct actors
  - share of sentences naming two or more actors, and the share of those in
    which the actors get different stances
  - near-duplicate rate: sentences whose word-set Jaccard similarity with some
    other sentence exceeds 0.6 (within the whole corpus, and across splits)
  - mean, min and max sentence length in words

A "sentence" is a distinct `text` value; every row of a sentence is one
(sentence, actor mention) pair. Output is deterministic: ties are broken by
name, numbers are formatted with fixed precision.

Standard library only. Usage (from the repository root):

    python3 data/tools/datasheet.py [--corpus DIR]

The tables in data/README.md are this script's output; regenerate them after
the part files change and data/tools/assemble.py has been re-run.
"""
import argparse
import csv
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ["train", "dev"]
STANCES = ["favor", "against", "neutral"]
BIASES = ["biased", "unbiased"]
TOP_ACTORS = 40
JACCARD = 0.6
WORD = re.compile(r"[0-9a-z]+(?:['\u2019][0-9a-z]+)*")


def load(corpus):
    """Return {split: [row, ...]} and {split: {text: [row, ...]}} (sentences in file order)."""
    rows, sents = {}, {}
    for split in SPLITS:
        path = corpus / f"{split}.csv"
        if not path.exists():
            sys.exit(f"datasheet: {path} not found (run python3 data/tools/assemble.py first)")
        with path.open(newline="", encoding="utf-8") as f:
            rows[split] = list(csv.DictReader(f))
        groups = defaultdict(list)
        for row in rows[split]:
            groups[row["text"]].append(row)
        sents[split] = dict(groups)
    return rows, sents


def pct(n, d):
    return f"{100.0 * n / d:.1f}%" if d else "-"


def table(header, body, align=None):
    align = align or ["l"] + ["r"] * (len(header) - 1)
    sep = ["---:" if a == "r" else "---" for a in align]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in body]
    return "\n".join(out)


def ordered(counter, known=None):
    """Known labels first in their given order, then the rest by count desc, name asc."""
    keys = [k for k in (known or []) if k in counter]
    rest = sorted((k for k in counter if k not in keys), key=lambda k: (-counter[k], k))
    return keys + rest


def words(text):
    return text.split()


def word_set(text):
    return frozenset(WORD.findall(text.lower()))


def near_duplicates(texts):
    """Indices of texts whose word-set Jaccard with another text exceeds JACCARD,
    and the sorted list of such index pairs. Exact; candidates come from a prefix
    filter (words ordered rarest first: two sets with Jaccard >= t must share a word
    among the first |A| - ceil(t*|A|) + 1 words of each)."""
    sets = [word_set(t) for t in texts]
    df = Counter(w for s in sets for w in s)
    rank = {w: n for n, w in enumerate(sorted(df, key=lambda w: (df[w], w)))}
    index = defaultdict(list)
    flagged, pairs = set(), set()
    for i, si in enumerate(sets):
        toks = sorted(si, key=rank.__getitem__)
        prefix = toks[: len(toks) - math.ceil(JACCARD * len(toks)) + 1]
        cands = set()
        for w in prefix:
            cands.update(index[w])
            index[w].append(i)
        for j in cands:
            sj = sets[j]
            inter = len(si & sj)
            if inter / (len(si) + len(sj) - inter) > JACCARD:
                flagged.update((i, j))
                pairs.add((min(i, j), max(i, j)))
    return flagged, sorted(pairs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus",
                    help="directory holding train.csv and dev.csv (default: data/corpus)")
    args = ap.parse_args()
    rows, sents = load(args.corpus)
    all_rows = rows["train"] + rows["dev"]
    all_sents = {**sents["train"], **sents["dev"]}
    cols = SPLITS + ["all"]
    R = {"train": rows["train"], "dev": rows["dev"], "all": all_rows}
    S = {"train": sents["train"], "dev": sents["dev"], "all": all_sents}

    print("### Size\n")
    print(table(["split", "rows", "sentences", "rows per sentence"],
                [[c, len(R[c]), len(S[c]), f"{len(R[c]) / len(S[c]):.2f}" if S[c] else "-"]
                 for c in cols]))

    print("\n### Stance (rows)\n")
    cnt = {c: Counter(r["stance"] for r in R[c]) for c in cols}
    body = [[k] + sum(([cnt[c][k], pct(cnt[c][k], len(R[c]))] for c in cols), [])
            for k in ordered(cnt["all"], STANCES)]
    print(table(["stance"] + sum(([f"{c} rows", f"{c} share"] for c in cols), []), body))

    print("\n### Bias (sentences)\n")
    cnt = {c: Counter(rs[0]["bias"] for rs in S[c].values()) for c in cols}
    body = [[k] + sum(([cnt[c][k], pct(cnt[c][k], len(S[c]))] for c in cols), [])
            for k in ordered(cnt["all"], BIASES)]
    print(table(["bias"] + sum(([f"{c} sentences", f"{c} share"] for c in cols), []), body))

    print("\n### Loaded words (biased sentences)\n")
    body = []
    for c in cols:
        marks = [[w for w in rs[0].get("loaded_words", "").split(";") if w and w != "[]"]
                 for rs in S[c].values() if rs[0]["bias"] == "biased"]
        n = sum(len(m) for m in marks)
        empty = sum(1 for m in marks if not m)
        body.append([c, len(marks), n, f"{n / len(marks):.2f}" if marks else "-", empty])
    print(table(["split", "biased sentences", "marked words", "per sentence", "none marked"],
                body))
    top = Counter(w.lower() for rs in all_sents.values() if rs[0]["bias"] == "biased"
                  for w in rs[0].get("loaded_words", "").split(";") if w and w != "[]")
    print(f"\nMost often marked: {', '.join(f'{w} ({k})' for w, k in top.most_common(20))}; "
          f"{len(top)} distinct words.")

    print("\n### Topic (rows)\n")
    cnt = {c: Counter(r["topic"] for r in R[c]) for c in cols}
    body = [[k] + [cnt[c][k] for c in cols] + [pct(cnt["all"][k], len(all_rows))]
            for k in ordered(cnt["all"])]
    print(table(["topic"] + [f"{c} rows" for c in cols] + ["all share"], body))

    print("\n### Register (sentences)\n")
    cnt = {c: Counter(rs[0]["register"] for rs in S[c].values()) for c in cols}
    biased = Counter(rs[0]["register"] for rs in all_sents.values() if rs[0]["bias"] == "biased")
    body = [[k] + [cnt[c][k] for c in cols] + [pct(cnt["all"][k], len(all_sents)),
                                                 pct(biased[k], cnt["all"][k])]
            for k in ordered(cnt["all"])]
    print(table(["register"] + [f"{c} sentences" for c in cols] + ["all share", "biased (all)"],
                body))

    print(f"\n### Actors (top {TOP_ACTORS} by rows)\n")
    cnt = {c: Counter(r["actor"] for r in R[c]) for c in cols}
    stance_by_actor = defaultdict(Counter)
    for r in all_rows:
        stance_by_actor[r["actor"]][r["stance"]] += 1
    top = ordered(cnt["all"])[:TOP_ACTORS]
    body = [[n, k] + [cnt[c][k] for c in cols]
            + ["/".join(str(stance_by_actor[k][s]) for s in STANCES)] for n, k in enumerate(top, 1)]
    print(table(["#", "actor"] + [f"{c} rows" for c in cols] + ["favor/against/neutral"], body,
                ["r", "l"] + ["r"] * (len(cols) + 1)))
    print()
    print(table(["", "train", "dev", "all"],
                [["distinct actors"] + [len(cnt[c]) for c in cols],
                 ["actors with 1 row"] + [sum(1 for v in cnt[c].values() if v == 1) for c in cols],
                 ["dev actors unseen in train", "-",
                  len(set(cnt["dev"]) - set(cnt["train"])), "-"]]))

    print("\n### Sentences naming several actors\n")
    body = []
    for c in cols:
        multi = [rs for rs in S[c].values() if len({r["actor"] for r in rs}) >= 2]
        diff = [rs for rs in multi if len({r["stance"] for r in rs}) >= 2]
        body.append([c, len(S[c]), len(multi), pct(len(multi), len(S[c])),
                     len(diff), pct(len(diff), len(multi))])
    print(table(["split", "sentences", "2+ actors", "share", "of those: stances differ",
                 "share of 2+"], body))

    print(f"\n### Near-duplicates (word-set Jaccard > {JACCARD})\n")
    texts = list(all_sents)
    split_of = {t: ("train" if t in sents["train"] else "dev") for t in texts}
    flagged, pairs = near_duplicates(texts)
    cross = [p for p in pairs if split_of[texts[p[0]]] != split_of[texts[p[1]]]]
    body = []
    for c in cols:
        n = sum(1 for i in flagged if c == "all" or split_of[texts[i]] == c)
        body.append([c, len(S[c]), n, pct(n, len(S[c]))])
    print(table(["split", "sentences", "with a near-duplicate", "rate"], body))
    print(f"\nNear-duplicate pairs: {len(pairs)} in all, {len(cross)} across train/dev.")

    print("\n### Sentence length (words)\n")
    body = []
    for c in cols:
        lens = [len(words(t)) for t in S[c]]
        body.append([c, f"{sum(lens) / len(lens):.1f}" if lens else "-",
                     min(lens, default="-"), max(lens, default="-")])
    print(table(["split", "mean", "min", "max"], body))


if __name__ == "__main__":
    main()
