#!/usr/bin/env bash
# The live call's cost against torch's own in-process _prefix_regex() (bench/live_vs_torch.cpp),
# with Debian's python3 and python3-torch, in a Release build made in BUILD_DIR.
#
#   bench/live.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath -m "${1:-$here/../build-bench-live}")
bash "$here/debian_build.sh" "$build" live_vs_torch
"$build/bench/live_vs_torch"
