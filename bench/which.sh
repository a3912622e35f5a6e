#!/usr/bin/env bash
# The distribution index (bench/which_benchmark.cpp) for Debian's python3 with python3-torch:
# build time, heap, lookup time, in a Release build made in BUILD_DIR.
#
#   bench/which.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath -m "${1:-$here/../build-bench-live}")
bash "$here/debian_build.sh" "$build" which_benchmark
"$build/bench/which_benchmark" /usr/bin/python3
