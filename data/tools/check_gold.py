#!/usr/bin/env python3
"""Validate the gold files of the example articles (data/articles/NN-slug.gold.toml).

Checks, for every gold file: register/summary/one_sided present; every [[actor]] has a
name, a kind in ACTOR_KINDS, a stance in STANCES, a boolean clear and at least one mention;
actor names are unique; every mention has an integer `at`, a `text` equal to the characters
of the .txt at that offset (Unicode code points, 0-based) and a kind in MENTION_KINDS;
pronoun mentions are pronouns; mentions are sorted by offset within an actor; no two
mentions in the file overlap; every person has at least one `name` mention.
Prints per-article counts (actors by kind, mentions by kind) and totals.
Exits 1 on any problem, naming the file and the actor.

Usage: python3 data/tools/check_gold.py [NN ...]
"""
import sys
import tomllib
from collections import Counter
from pathlib import Path

ART = Path(__file__).resolve().parent.parent / "articles"
ACTOR_KINDS = ["person", "organization", "party", "company", "state", "place", "other"]
MENTION_KINDS = ["name", "short", "title", "pronoun", "alias"]
STANCES = {"favor", "against", "neutral"}
REGISTERS = {"report", "analysis", "op-ed", "both-sides", "editorial", "explainer", "satire"}
PRONOUNS = {"he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their",
            "theirs", "himself", "herself", "itself", "themselves"}


def check(gold, problems):
    txt = gold.with_name(gold.name.replace(".gold.toml", ".txt"))
    name = gold.name
    if not txt.exists():
        problems.append(f"{name}: no article {txt.name}")
        return None
    text = txt.read_text(encoding="utf-8")
    try:
        g = tomllib.loads(gold.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        problems.append(f"{name}: TOML error: {e}")
        return None
    if g.get("register") not in REGISTERS:
        problems.append(f"{name}: bad register {g.get('register')!r}")
    if not isinstance(g.get("summary"), str):
        problems.append(f"{name}: no summary")
    if not isinstance(g.get("one_sided"), bool):
        problems.append(f"{name}: one_sided missing or not a boolean")
    actors = g.get("actor", [])
    if not actors:
        problems.append(f"{name}: no actors")
    akinds, mkinds = Counter(), Counter()
    spans, seen = [], set()
    for a in actors:
        an = a.get("name")
        where = f"{name}: actor {an!r}"
        if not isinstance(an, str) or not an:
            problems.append(f"{name}: actor without a name")
            continue
        if an in seen:
            problems.append(f"{where}: duplicate actor name")
        seen.add(an)
        if a.get("kind") not in ACTOR_KINDS:
            problems.append(f"{where}: kind {a.get('kind')!r} not in {ACTOR_KINDS}")
        if a.get("stance") not in STANCES:
            problems.append(f"{where}: stance {a.get('stance')!r} not in {sorted(STANCES)}")
        if not isinstance(a.get("clear"), bool):
            problems.append(f"{where}: clear missing or not a boolean")
        akinds[a.get("kind")] += 1
        ms = a.get("mentions")
        if not isinstance(ms, list) or not ms:
            problems.append(f"{where}: no mentions")
            continue
        last = -1
        for m in ms:
            at, s, k = m.get("at"), m.get("text"), m.get("kind")
            mw = f"{where}: mention {s!r} at {at}"
            if not isinstance(at, int) or isinstance(at, bool) or not isinstance(s, str) or not s:
                problems.append(f"{mw}: needs integer at and non-empty text")
                continue
            if k not in MENTION_KINDS:
                problems.append(f"{mw}: kind {k!r} not in {MENTION_KINDS}")
            if text[at:at + len(s)] != s:
                problems.append(f"{mw}: the article has {text[at:at + len(s)]!r} there")
            if k == "pronoun" and s.lower() not in PRONOUNS:
                problems.append(f"{mw}: not a pronoun")
            if at < last:
                problems.append(f"{mw}: mentions not sorted by offset")
            last = at
            mkinds[k] += 1
            spans.append((at, at + len(s), an, s))
        if a.get("kind") == "person" and not any(m.get("kind") == "name" for m in ms):
            problems.append(f"{where}: a person needs a name-kind mention")
    spans.sort()
    for (a1, b1, n1, s1), (a2, b2, n2, s2) in zip(spans, spans[1:]):
        if a2 < b1:
            problems.append(f"{name}: mention {s1!r} at {a1} ({n1}) overlaps {s2!r} at {a2} ({n2})")
    return akinds, mkinds


def fmt(c, kinds):
    return " ".join(f"{k}={c[k]}" for k in kinds if c[k])


def main():
    want = sys.argv[1:]
    files = sorted(p for p in ART.glob("*.gold.toml") if not want or p.name[:2] in want)
    problems = []
    tot_a, tot_m = Counter(), Counter()
    print(f"{'article':42} {'actors':>6} {'ment.':>5}  actors by kind | mentions by kind")
    for f in files:
        r = check(f, problems)
        if r is None:
            continue
        ak, mk = r
        tot_a += ak
        tot_m += mk
        print(f"{f.name.replace('.gold.toml', ''):42} {sum(ak.values()):6} {sum(mk.values()):5}  "
              f"{fmt(ak, ACTOR_KINDS)} | {fmt(mk, MENTION_KINDS)}")
    print(f"{'TOTAL (' + str(len(files)) + ' articles)':42} {sum(tot_a.values()):6} "
          f"{sum(tot_m.values()):5}  {fmt(tot_a, ACTOR_KINDS)} | {fmt(tot_m, MENTION_KINDS)}")
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
