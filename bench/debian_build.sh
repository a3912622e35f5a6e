#!/usr/bin/env bash
# Builds TARGETs of a Release build for Debian's python3 (with python3-torch, which the
# benchmarks compare with) in BUILD_DIR; sourced by live.sh, python.sh and which.sh.
#
#   debian_build.sh BUILD_DIR TARGET...
set -euo pipefail
build=$1
shift
bash "$(dirname "${BASH_SOURCE[0]}")/../.ci/install-deps" libbenchmark-dev python3-torch
cmake -S "$(dirname "${BASH_SOURCE[0]}")/.." -B "$build" -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=/usr/bin/python3 \
  -DPYPREFIX_BUILD_BENCHMARKS=ON -DPYPREFIX_BUILD_TESTS=OFF -DPYPREFIX_BUILD_EXAMPLES=OFF >/dev/null
for target in "$@"; do cmake --build "$build" -j 2 --target "$target" >/dev/null; done
