#!/usr/bin/env bash
# pyprefix.Trimmer from Python against the loops Python tools use (bench/python_trim.py), with
# Debian's python3 and python3-torch, in a Release build made in BUILD_DIR.
#
#   bench/python.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath -m "${1:-$here/../build-bench-live}")
bash "$here/debian_build.sh" "$build" pyprefix_python
PYTHONPATH=$build/python /usr/bin/python3 "$here/python_trim.py"
