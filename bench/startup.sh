#!/usr/bin/env bash
# Cold-start figures for the README, each a median over RUNS fresh processes, each pair measured
# side by side in one run (bench/interleaved.py: one run of each in turn, so that the machine's
# drift falls on both alike; torch's slow import with hyperfine):
#  1. `pyprefix --python EXE` and `--python EXE --package json` against `EXE -c pass`, the floor
#     (the child must start EXE and run its site processing), for Debian's python3 and pyenv's
#     3.8 and 3.13 where present. Goal: ratio <= 1.10. The reader's compiled form is cached
#     (PYPREFIX_CACHE_DIR) by a warm-up run first, as it is after a machine's first use.
#  2. `pyprefix` (embedding the interpreter it was built for) against that `python -c pass`.
#     Goal: ratio <= 1.10.
#  3. `pyprefix --python /usr/bin/python3 --package torch` against torch's own _prefix_regex(),
#     which imports torch (Debian's python3-torch). Goal: at least 80x faster.
#
#   bench/startup.sh [BUILD_DIR] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-build}")
runs=${2:-100}
bash "$(dirname "$0")/../.ci/install-deps" hyperfine python3-torch
python=$(sed -n 's/^PYPREFIX_PYTHON_EXECUTABLE:FILEPATH=//p' "$build/CMakeCache.txt")
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
export PYPREFIX_CACHE_DIR=$results/cache
cd "$(mktemp -d)"  # the working directory is on the list: keep it neutral

# compare FILE LABEL: the medians of a two-command hyperfine JSON export, in ms, and their ratio.
compare() {
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
first, second = (r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"])
print(sys.argv[2].format(first=first, second=second, ratio=first / second, speedup=second / first))
PY
}

pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
interpreters=(/usr/bin/python3)
for minor in 8 13; do
  found=$(ls -d "$pyenv_root"/versions/3.$minor.*/bin/python3 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ]; then interpreters+=("$found"); else echo "no pyenv 3.$minor: skipped"; fi
done
for exe in "${interpreters[@]}"; do
  for package in "" "--package json"; do
    "$build/pyprefix" --python "$exe" $package > /dev/null  # compiles and caches the reader
    echo "== --python $exe $package (goal: ratio <= 1.10)"
    /usr/bin/python3 "$here/interleaved.py" "$runs" 10 "$build/pyprefix --python $exe $package" "$exe -c pass"
  done
done

"$build/pyprefix" > /dev/null
echo "== embedded, $python (goal: ratio <= 1.10)"
/usr/bin/python3 "$here/interleaved.py" "$runs" 10 "$build/pyprefix" "$python -c pass"

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
