#!/usr/bin/env python3
"""Score stance-classify's actor discovery against the discovery gold of the example
articles (data/articles/*.gold.toml; format in data/articles/README.md).

    python3 benches/discovery.py [--bin target/release/stance-classify] [--verbose]
        [-- EXTRA FLAGS FOR stance-classify]

Each article is classified with `--format json` (the shipped default model unless the
extra flags say otherwise; data/articles/actors.toml is NOT passed, so its invented
people have to be found in the text). Found and gold actors are paired one to one,
greedily, by the number of gold mentions they share (a found mention overlapping a gold
mention); a pair needs at least one shared mention. Printed:

- actors: precision (paired found / found) and recall (paired gold / gold);
- mentions attached: the share of gold mentions overlapped by a mention of the found
  actor paired with their gold actor, overall and by gold mention kind;
- found mentions on the right actor: the share of found mentions that overlap a gold
  mention of the gold actor paired with theirs (a precision; mentions of actors the
  gold does not list count as wrong), by found mention kind;
- mentions found in datelines (should be 0).
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def found_actors(report):
    """Found actor name -> list of (start, end, kind) mentions, and name -> kind."""
    mentions, kinds = {}, {}
    for a in report["actors"]:
        kinds[a["actor"]] = a.get("kind", "")
    for s in report["sentences"]:
        for a in s["actors"]:
            for m in a["mentions"]:
                mentions.setdefault(a["actor"], []).append((m["start"], m["end"], m["kind"]))
    return mentions, kinds


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def score_article(gold, mentions):
    gold_actors = [
        (g["name"], [(m["at"], m["at"] + len(m["text"]), m["kind"]) for m in g.get("mentions", [])])
        for g in gold.get("actor", [])
    ]
    pairs = []
    for gi, (_, gms) in enumerate(gold_actors):
        for name, fms in mentions.items():
            shared = sum(1 for gm in gms if any(overlaps(gm, fm) for fm in fms))
            if shared:
                pairs.append((shared, gi, name))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    g_of, f_of = {}, {}
    for shared, gi, name in pairs:
        if gi not in g_of and name not in f_of:
            g_of[gi] = name
            f_of[name] = gi
    by_kind = {}
    for gi, (_, gms) in enumerate(gold_actors):
        fms = mentions.get(g_of.get(gi), [])
        for gm in gms:
            ok = any(overlaps(gm, fm) for fm in fms)
            t = by_kind.setdefault(gm[2], [0, 0])
            t[0] += ok
            t[1] += 1
    # Found mentions that overlap a gold mention of the gold actor paired with theirs.
    right = {}
    for name, fms in mentions.items():
        gms = gold_actors[f_of[name]][1] if name in f_of else []
        for fm in fms:
            t = right.setdefault(fm[2], [0, 0])
            t[0] += any(overlaps(fm, gm) for gm in gms)
            t[1] += 1
    return gold_actors, g_of, f_of, by_kind, right


def dateline(text):
    """The character span of a dateline like 'WASHINGTON - ' at the body's start."""
    head, _, rest = text.partition("\n\n")
    start = len(head) + 2
    dash = rest.find(" - ")
    if 0 < dash < 60 and rest[:dash].replace(",", "").replace(" ", "").replace(".", "").isalpha() \
            and rest[:dash].split(",")[0].isupper():
        return (start, start + dash + 2)
    return None


def print_shares(title, by_kind):
    """The share of (right, all) counts overall, then by mention kind."""
    ok = sum(v[0] for v in by_kind.values())
    n = sum(v[1] for v in by_kind.values())
    print(f"{title}: {ok / max(n, 1):.4f} ({ok}/{n})")
    for k in sorted(by_kind):
        v = by_kind[k]
        print(f"  {k:8} {v[0] / max(v[1], 1):.4f} ({v[0]}/{v[1]})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/stance-classify"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    totals = {"found": 0, "paired": 0, "gold": 0, "dateline": 0}
    kinds, found_kinds = {}, {}
    for gold_path in sorted(glob.glob(os.path.join(ROOT, "data/articles/*.gold.toml"))):
        txt = gold_path.replace(".gold.toml", ".txt")
        with open(gold_path, "rb") as f:
            gold = tomllib.load(f)
        with open(txt, encoding="utf-8") as f:
            text = f.read()
        out = subprocess.run(
            [args.bin, "--format", "json", *args.extra, txt],
            check=True, capture_output=True, text=True,
        ).stdout
        report = json.loads(out)
        if isinstance(report, list):
            report = report[0]
        mentions, fkinds = found_actors(report)
        gold_actors, g_of, f_of, by_kind, right = score_article(gold, mentions)
        for k, (ok, n) in right.items():
            t = found_kinds.setdefault(k, [0, 0])
            t[0] += ok
            t[1] += n
        totals["found"] += len(mentions)
        totals["paired"] += len(f_of)
        totals["gold"] += len(gold_actors)
        dl = dateline(text)
        if dl:
            totals["dateline"] += sum(
                1 for ms in mentions.values() for m in ms if overlaps(m, dl)
            )
        for k, (ok, n) in by_kind.items():
            t = kinds.setdefault(k, [0, 0])
            t[0] += ok
            t[1] += n
        if args.verbose:
            name = os.path.basename(txt)
            missed = [gold_actors[i][0] for i in range(len(gold_actors)) if i not in g_of]
            extra = [f"{n} [{fkinds.get(n, '')}]" for n in mentions if n not in f_of]
            print(f"{name}: found {len(mentions)}, gold {len(gold_actors)}, paired {len(f_of)}")
            if missed:
                print("  gold, not found:", "; ".join(missed))
            if extra:
                print("  found, not gold:", "; ".join(extra))
    p = totals["paired"] / max(totals["found"], 1)
    r = totals["paired"] / max(totals["gold"], 1)
    print(f"actors: precision {p:.4f} ({totals['paired']}/{totals['found']}), "
          f"recall {r:.4f} ({totals['paired']}/{totals['gold']})")
    print_shares("mentions attached", kinds)
    print_shares("found mentions on the right actor (precision)", found_kinds)
    print(f"mentions in datelines: {totals['dateline']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
