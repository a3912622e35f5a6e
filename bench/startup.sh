#!/usr/bin/env bash
# Cold start of `pyprefix` against a bare `python -c pass` of the interpreter it embeds: the
# floor, since that does the same site processing. Prints the median of each and their ratio.
#
#   bench/startup.sh [BUILD_DIR] [RUNS]     (hyperfine from Debian: apt-get install hyperfine)
set -euo pipefail
build=$(realpath "${1:-build}")
runs=${2:-100}
bash "$(dirname "$0")/../.ci/install-deps" hyperfine
python=$(sed -n 's/^PYPREFIX_PYTHON_EXECUTABLE:FILEPATH=//p' "$build/CMakeCache.txt")
results=$(mktemp)
trap 'rm -f "$results"' EXIT
cd "$(mktemp -d)"  # the working directory is on the list: keep it neutral
hyperfine -N --style basic --warmup 5 --runs "$runs" --export-json "$results" \
  "$build/pyprefix" "$python -c pass" >&2
"$python" - "$results" <<'PY'
import json, sys
pyprefix, python = (r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"])
print(f"pyprefix median {pyprefix:.1f} ms, python -c pass median {python:.1f} ms, ratio {pyprefix / python:.2f} (goal <= 1.25)")
PY
