#!/usr/bin/env bash
# Create benches/.venv with the pinned peer libraries (scikit-learn, fastText)
# used by benches/peers.py. Idempotent: reinstalls only when the pins change.
# Needs python3 (3.11) and PyPI; all pins below are binary wheels for
# CPython 3.11 / manylinux x86_64, so no compiler is needed.
#
# fastText choice: the official `fasttext==0.9.3` has no wheel (sdist only,
# ~1.5 min C++ build, needs g++ and `numpy<2` because its predict() uses
# np.array(copy=False)). `fasttext-numpy2-wheel==0.9.2` is a prebuilt wheel of
# the same fastText C++ core patched for numpy 2; it imports as `fasttext`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
py="${PYTHON:-python3}"

pins=(
  "numpy==2.4.6"
  "scipy==1.17.1"
  "scikit-learn==1.9.1"
  "joblib==1.6.0"
  "threadpoolctl==3.8.0"
  "narwhals==2.29.0"
  "cloudpickle==3.1.3"
  "fasttext-numpy2-wheel==0.9.2"
  "pybind11==3.1.0"
)
stamp="$venv/.peers-pins"
want="$(printf '%s\n' "${pins[@]}")"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "peers venv ready (cached): $venv"
  exit 0
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! {
  [[ -x "$venv/bin/python" ]] || "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --only-binary=:all: "${pins[@]}"
  "$venv/bin/python" - <<'PY'
import os, tempfile
import numpy, scipy, sklearn, fasttext
from sklearn.svm import LinearSVC
fd, p = tempfile.mkstemp(suffix=".txt")
with os.fdopen(fd, "w") as f:
    for i in range(50):
        f.write("__label__a red red red\n__label__b blue blue blue\n")
# The settings of benches/peers.py. With dim=10 this wheel stops with "Encountered
# NaN." on most runs of this tiny file (measured: 37 of 40), with these on none of 40.
m = fasttext.train_supervised(input=p, epoch=25, lr=0.5, wordNgrams=2, dim=100,
                              thread=1, seed=1, verbose=0)
os.remove(p)
labels, _ = m.predict(["red red", "blue blue"])
assert [l[0] for l in labels] == ["__label__a", "__label__b"], labels
PY
} >"$log" 2>&1; then
  cat "$log" >&2
  echo "peers venv setup FAILED: $venv" >&2
  exit 1
fi
printf '%s\n' "$want" >"$stamp"
echo "peers venv ready: $venv ($("$venv/bin/python" -c 'import numpy,sklearn,scipy;print(f"numpy {numpy.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}",end="")'), fasttext-numpy2-wheel 0.9.2)"
