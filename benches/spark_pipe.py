#!/usr/bin/env python3
"""Run `stance-classify` as a Spark `RDD.pipe` step (the Hadoop Streaming pattern).

`stance-classify -m MODEL --format jsonl -` reads JSON Lines `{"id": ..., "text": ...}`
on standard input and writes exactly one JSON line (the article's stance report) per
input line, so it can be dropped into a Spark or Hadoop Streaming job unchanged. This
script shows it: Spark in local mode (`local[2]`) reads INPUT with
`sc.textFile(INPUT, N)`, pipes every partition through

    <repo>/target/release/stance-classify -m MODEL --format jsonl -

(as one shell-quoted string, which PySpark splits with shlex; `checkCode=True`, so a
failing classifier fails the job instead of silently dropping lines), saves the result with `saveAsTextFile(OUTPUT_DIR)`, then reads the saved
`part-*` files back and checks:
  - output line count == input line count,
  - every output line parses as a JSON object,
  - the multiset of output `id`s equals the multiset of input ids (a non-string input
    id is compared as its JSON text: the classifier writes ids as strings).
It prints the counts and checks and exits 1 when any check fails (2 on a usage or
setup error). Nothing is written into the repository.

Install (outside the repository; pyspark needs Java 17+ on PATH or in JAVA_HOME):

    cargo build --release                      # target/release/stance-classify
    python3 -m venv /tmp/sparkvenv
    . /tmp/sparkvenv/bin/activate
    pip install pyspark==4.3.0

Run:

    . /tmp/sparkvenv/bin/activate
    python benches/spark_pipe.py INPUT.jsonl OUTPUT_DIR [--model PATH] [--partitions N]

    INPUT.jsonl   one {"id": ..., "text": ...} object per line (no blank lines: the
                  classifier rejects them)
    OUTPUT_DIR    must not exist yet (Spark's saveAsTextFile refuses to overwrite)
    --model       default: /work/main/models/default.stance
    --partitions  minimum number of input partitions (default 4)

A test input from the project's example articles, each repeated 50 times with distinct
ids (14 articles -> 700 lines):

    python3 - <<'EOF'
    import glob, json, os
    with open("/tmp/articles.jsonl", "w") as f:
        for p in sorted(glob.glob("data/articles/*.txt")):
            stem = os.path.splitext(os.path.basename(p))[0]
            text = open(p, encoding="utf-8").read()
            for i in range(50):
                f.write(json.dumps({"id": f"{stem}#{i:02d}", "text": text}) + "\\n")
    EOF
    python benches/spark_pipe.py /tmp/articles.jsonl /tmp/stance-spark-out --partitions 4
"""

import argparse
import collections
import glob
import json
import os
import shlex
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(REPO, "target", "release", "stance-classify")
DEFAULT_MODEL = "/work/main/models/default.stance"


def die(message):
    """A usage or setup error: message on stderr, exit 2."""
    print(message, file=sys.stderr)
    sys.exit(2)


def id_key(value):
    """The id as the classifier writes it: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def read_lines(path):
    """Lines of a text file the way Spark's textFile splits them (no trailing newline)."""
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def preflight(model, first_line):
    """Classify one input line outside Spark, so a bad binary or model fails clearly."""
    proc = subprocess.run(
        [BINARY, "-m", model, "--format", "jsonl", "-"],
        input=(first_line + "\n").encode("utf-8"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    if proc.returncode != 0:
        die(
            f"error: preflight of {BINARY} on the first input line failed "
            f"(exit {proc.returncode}): {proc.stderr.decode('utf-8', 'replace').strip()}"
        )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", metavar="INPUT.jsonl")
    ap.add_argument("output", metavar="OUTPUT_DIR")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--partitions", type=int, default=4)
    args = ap.parse_args()

    input_path = os.path.abspath(args.input)
    output_dir = os.path.abspath(args.output)
    model = os.path.abspath(args.model)
    if not os.access(BINARY, os.X_OK):
        die(f"error: {BINARY} not found: run `cargo build --release` in {REPO}")
    if not os.path.isfile(model):
        die(f"error: model {model} not found")
    if not os.path.isfile(input_path):
        die(f"error: input {input_path} not found")
    if os.path.exists(output_dir):
        die(f"error: {output_dir} exists: remove it or choose another OUTPUT_DIR")
    if args.partitions < 1:
        die("error: --partitions must be at least 1")

    in_lines = read_lines(input_path)
    in_ids = []
    for n, line in enumerate(in_lines, 1):
        try:
            obj = json.loads(line)
            in_ids.append(id_key(obj["id"]))
        except (ValueError, KeyError, TypeError) as e:
            die(f"error: {input_path}:{n}: not a JSON object with an id: {e}")
    if not in_lines:
        die(f"error: {input_path} is empty")
    preflight(model, in_lines[0])

    # The Python workers must be this interpreter (the venv's); Spark binds to loopback.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    import pyspark
    from pyspark import SparkConf, SparkContext

    conf = (
        SparkConf()
        .setMaster("local[2]")
        .setAppName("stance-classify pipe")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
    )
    t_start = time.perf_counter()
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    t_ready = time.perf_counter()
    # PySpark's pipe takes one string and splits it with shlex: quote every argument.
    command = shlex.join([BINARY, "-m", model, "--format", "jsonl", "-"])
    job_error = None
    try:
        lines = sc.textFile(input_path, args.partitions)
        n_partitions = lines.getNumPartitions()
        lines.pipe(command, checkCode=True).saveAsTextFile(output_dir)
    except Exception as e:  # py4j's Py4JJavaError: a task or the job failed
        job_error = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
    finally:
        t_job = time.perf_counter()
        sc.stop()
    if job_error is not None:
        print(f"Spark job failed (see the executor errors above): {job_error}")
        print("FAILED")
        return 1

    parts = sorted(glob.glob(os.path.join(output_dir, "part-*")))
    out_lines = []
    for part in parts:
        out_lines.extend(read_lines(part))

    out_ids = []
    bad_json = []
    for n, line in enumerate(out_lines, 1):
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            out_ids.append(id_key(obj.get("id")))
        except ValueError as e:
            bad_json.append((n, str(e)))
    in_count = collections.Counter(in_ids)
    out_count = collections.Counter(out_ids)

    ok_count = len(in_lines) == len(out_lines)
    ok_json = not bad_json
    ok_ids = in_count == out_count

    print(f"pyspark {pyspark.__version__}, master local[2], "
          f"{n_partitions} input partitions (asked for {args.partitions})")
    print(f"command: {command}")
    print(f"input:  {input_path}")
    print(f"output: {output_dir} ({len(parts)} part files)")
    print(f"input lines:  {len(in_lines)}")
    print(f"output lines: {len(out_lines)}")
    print(f"line counts equal: {'yes' if ok_count else 'NO'}")
    print(f"output lines that parse as JSON objects: {len(out_lines) - len(bad_json)}"
          f"/{len(out_lines)}")
    for n, err in bad_json[:5]:
        print(f"  output line {n}: {err}")
    print(f"distinct input ids: {len(in_count)}, distinct output ids: {len(out_count)}")
    print(f"id multisets equal: {'yes' if ok_ids else 'NO'}")
    if not ok_ids:
        missing = in_count - out_count
        extra = out_count - in_count
        print(f"  missing from output: {sum(missing.values())} "
              f"(e.g. {list(missing.elements())[:5]})")
        print(f"  extra in output: {sum(extra.values())} (e.g. {list(extra.elements())[:5]})")
    print(f"input order kept: {'yes' if in_ids == out_ids else 'no'}")
    print(f"wall: SparkContext start {t_ready - t_start:.1f} s, "
          f"pipe + save {t_job - t_ready:.1f} s")

    if ok_count and ok_json and ok_ids:
        print("OK")
        return 0
    print("FAILED")
    return 1


if __name__ == "__main__":
    sys.exit(main())
