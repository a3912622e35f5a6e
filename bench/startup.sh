#!/usr/bin/env bash
# Cold-start figures for the README, each a median over RUNS fresh processes (hyperfine):
#  1. `pyprefix` against a bare `python -c pass` of the interpreter it embeds: the floor, since
#     that does the same site processing. Goal: ratio <= 1.25.
#  2. `pyprefix --python /usr/bin/python3 --package torch` against torch's own _prefix_regex(),
#     which imports torch (Debian's python3-torch). Goal: at least 80x faster.
#
#   bench/startup.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=$(realpath "${1:-build}")
runs=${2:-100}
bash "$(dirname "$0")/../.ci/install-deps" hyperfine python3-torch
python=$(sed -n 's/^PYPREFIX_PYTHON_EXECUTABLE:FILEPATH=//p' "$build/CMakeCache.txt")
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
cd "$(mktemp -d)"  # the working directory is on the list: keep it neutral

# compare FILE LABEL: the medians of a two-command hyperfine JSON export, in ms, and their ratio.
compare() {
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
first, second = (r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"])
print(sys.argv[2].format(first=first, second=second, ratio=first / second, speedup=second / first))
PY
}

hyperfine -N --style basic --warmup 5 --runs "$runs" --export-json "$results/startup.json" \
  "$build/pyprefix" "$python -c pass" >&2
compare "$results/startup.json" \
  "embedded: pyprefix {first:.1f} ms, $python -c pass {second:.1f} ms, ratio {ratio:.2f} (goal <= 1.25)"

cat > "$results/torch_prefixes.py" <<'PY'
import sys
del sys.path[0]  # the '' that running a script adds
from torch.profiler.python_tracer import _prefix_regex
print("\n".join(_prefix_regex()))
PY
hyperfine -N --style basic --warmup 2 --runs "$(( runs / 5 > 3 ? runs / 5 : 3 ))" --export-json "$results/torch.json" \
  "$build/pyprefix --python /usr/bin/python3 --package torch" "/usr/bin/python3 $results/torch_prefixes.py" >&2
compare "$results/torch.json" \
  "torch: pyprefix --python /usr/bin/python3 --package torch {first:.1f} ms, _prefix_regex() {second:.0f} ms, {speedup:.0f}x faster (goal >= 80x)"
