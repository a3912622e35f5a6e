#!/usr/bin/env bash
# pyprefix.Trimmer from Python against the loops Python tools use (bench/python_trim.py), with
# Debian's python3 and python3-torch, in a Release build made in BUILD_DIR.
#
#   bench/python.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath -m "${1:-$here/../build-bench-live}")
bash "$here/../.ci/install-deps" python3-torch
cmake -S "$here/.." -B "$build" -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=/usr/bin/python3 \
  -DPYPREFIX_BUILD_BENCHMARKS=ON -DPYPREFIX_BUILD_TESTS=OFF -DPYPREFIX_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j 2 --target pyprefix_python >/dev/null
PYTHONPATH=$build/python /usr/bin/python3 "$here/python_trim.py"
