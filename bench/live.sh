#!/usr/bin/env bash
# The live call's cost against torch's own in-process _prefix_regex() (bench/live_vs_torch.cpp),
# with Debian's python3 and python3-torch, in a Release build made in BUILD_DIR.
#
#   bench/live.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath -m "${1:-$here/../build-bench-live}")
bash "$here/../.ci/install-deps" libbenchmark-dev python3-torch
cmake -S "$here/.." -B "$build" -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=/usr/bin/python3 \
  -DPYPREFIX_BUILD_BENCHMARKS=ON -DPYPREFIX_BUILD_TESTS=OFF -DPYPREFIX_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j 2 --target live_vs_torch >/dev/null
"$build/bench/live_vs_torch"
