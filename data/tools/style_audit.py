#!/usr/bin/env python3
"""Style audit: does the corpus read like one authoring process or like real news?

Measures, over the distinct sentences of data/corpus/{train,dev}.csv and, when they
are present, over two real-news data sets kept outside the repository
(../shared/data/newsmtsc/{train,dev}.csv and ../shared/data/babe/{train,dev}.csv,
read at run time; none of their text is written anywhere):

  - sentence length in whitespace-separated words: mean and standard deviation
    (population sd), and the 5th and 95th percentiles; also the sd counting word
    tokens (\w+ with an optional 's-style ending) instead, which gives slightly larger
    figures;
  - the share of sentences containing a dash (an em dash, an en dash, a spaced
    hyphen " - " or a double hyphen "--") and the share containing a parenthesis;
  - the share of sentences containing each of a few stock opinion words
    ("deserve*", "quietly", "credit" as a whole word, "credit*" with any ending);
  - for the corpus: the same shares in each of the nine parts, and the stance labels
    of the rows whose sentence contains the word "deserves".

A "sentence" is a distinct `text` value (NewsMTSC and the corpus have one row per
mention). Standard library only. Usage (from the repository root):

    python3 data/tools/style_audit.py [--shared ../shared/data]
"""
import argparse
import csv
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPO = ROOT.parent

WORD = re.compile(r"\w+(?:'\w+)?")
DASH = re.compile(r"[\u2014\u2013]| - |--")
PAREN = re.compile(r"[()]")
STOCK = [
    ("deserve*", re.compile(r"\bdeserv\w*", re.I)),
    ("quietly", re.compile(r"\bquietly\b", re.I)),
    ("credit", re.compile(r"\bcredit\b", re.I)),
    ("credit*", re.compile(r"\bcredit\w*", re.I)),
]


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def sentences(rows):
    seen = {}
    for r in rows:
        seen.setdefault(r["text"], r)
    return list(seen)


def pct(n, d):
    return f"{100 * n / d:.2f}%" if d else "-"


def quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def profile(texts):
    lens = [len(t.split()) for t in texts]
    n = len(texts)
    out = {
        "sentences": n,
        "mean words": f"{statistics.mean(lens):.1f}",
        "sd words": f"{statistics.pstdev(lens):.1f}",
        "sd (\\w+ tokens)": f"{statistics.pstdev([len(WORD.findall(t)) for t in texts]):.1f}",
        "p5-p95 words": f"{quantile(lens, 0.05)}-{quantile(lens, 0.95)}",
        "dash": pct(sum(bool(DASH.search(t)) for t in texts), n),
        "parenthesis": pct(sum(bool(PAREN.search(t)) for t in texts), n),
    }
    for name, rx in STOCK:
        out[name] = pct(sum(bool(rx.search(t)) for t in texts), n)
    return out


def table(header, body):
    lines = ["| " + " | ".join(header) + " |",
             "| --- | " + " | ".join("---:" for _ in header[1:]) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(REPO.parent / "shared" / "data"),
                    help="folder holding newsmtsc/ and babe/ (default ../shared/data)")
    args = ap.parse_args()

    corpus_rows = read(ROOT / "corpus" / "train.csv") + read(ROOT / "corpus" / "dev.csv")
    sets = [("corpus (all parts)", sentences(corpus_rows))]
    for name in ["newsmtsc", "babe"]:
        d = Path(args.shared) / name
        if (d / "train.csv").exists():
            rows = read(d / "train.csv") + read(d / "dev.csv")
            sets.append((f"{name} (train+dev)", sentences(rows)))
        else:
            print(f"(skipped {name}: {d} not found)")

    keys = list(profile(["a b"]).keys())
    print("### Style against real news (share of distinct sentences)\n")
    print(table(["data set"] + keys, [[n] + [profile(t)[k] for k in keys] for n, t in sets]))

    # Per part: the same stock words, to see whether they are one writer's habit.
    by_part = defaultdict(list)
    for part in sorted((ROOT / "corpus" / "parts").glob("*.csv")):
        by_part[part.stem.split("-")[0]] = sentences(read(part))
    print("\n### The same measures per part\n")
    print(table(["part"] + keys, [[p] + [profile(t)[k] for k in keys] for p, t in by_part.items()]))

    # Stance of the rows whose sentence contains "deserves".
    rx = re.compile(r"\bdeserves\b", re.I)
    hit = [r for r in corpus_rows if rx.search(r["text"])]
    c = Counter(r["stance"] for r in hit)
    sent = {r["text"] for r in hit}
    biased = sum(1 for t in sent if next(r for r in hit if r["text"] == t)["bias"] == "biased")
    print(f"\nRows whose sentence contains \"deserves\": {len(hit)} ({len(sent)} sentences, "
          f"{biased} of them biased); favor {c['favor']}, against {c['against']}, "
          f"neutral {c['neutral']}.")


if __name__ == "__main__":
    main()
