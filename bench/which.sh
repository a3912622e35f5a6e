#!/usr/bin/env bash
# The distribution index (bench/which_benchmark.cpp) for Debian's python3 with python3-torch:
# build time, heap, lookup time. A Release build is made in BUILD_DIR.
#
#   bench/which.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath -m "${1:-$here/../build-bench-live}")
bash "$here/../.ci/install-deps" libbenchmark-dev python3-torch
cmake -S "$here/.." -B "$build" -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=/usr/bin/python3 \
  -DPYPREFIX_BUILD_BENCHMARKS=ON -DPYPREFIX_BUILD_TESTS=OFF -DPYPREFIX_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j 2 --target which_benchmark >/dev/null
"$build/bench/which_benchmark" /usr/bin/python3
