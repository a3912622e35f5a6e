#!/usr/bin/env bash
# Rewriting figures for docs/performance.md, each measured side by side in one run (hyperfine):
#  1. `pyprefix rewrite` of a 1 GiB `perf script` text against `cat` of the same file, both
#     into a pipe;
#  2. the same on 128 MiB of it against `sed -E` and Python's `re.sub` with the same prefixes as
#     an alternation and the same boundary class (what users write today);
#  3. the peak memory of rewriting a 512 MiB single-line JSON trace (GNU time).
# The text is real: `perf record --call-graph dwarf` of pyenv's CPython 3.12 (or 3.13) with
# -X perf running json.dumps in a loop, `perf script` of it, repeated to size. Without perf or
# such a Python, the lines are made in perf script's form from the list's own paths.
#
#   bench/rewrite.sh [BUILD_DIR]      (a Release build is made there)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath -m "${1:-$here/../build-bench}")
bash "$here/../.ci/install-deps" hyperfine time linux-perf
cmake -S "$here/.." -B "$build" -DCMAKE_BUILD_TYPE=Release -DPYPREFIX_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" -j 2 --target pyprefix_cli > /dev/null
pyprefix=$build/pyprefix
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python=$(ls -d "$HOME"/.pyenv/versions/3.1[23].*/bin/python3 2> /dev/null | sort -V | tail -n 1 || true)
python=${python:-/usr/bin/python3}
"$pyprefix" list --python "$python" --json > "$work/list.json"
"$pyprefix" list --python "$python" > "$work/list.txt"
sample=$work/sample.txt
if command -v perf > /dev/null && "$python" -X perf -c pass 2> /dev/null; then
  pid=$(perf record -q -F 499 --call-graph dwarf -o "$work/perf.data" -- "$python" -X perf -c '
import json, os
def work():
    for i in range(300000):
        json.dumps({"a": [i, str(i)]})
work()
print(os.getpid())' 2> /dev/null)
  perf script -i "$work/perf.data" > "$sample" 2> /dev/null
  rm -f "/tmp/perf-$pid.map"
  echo "text: perf script of $python -X perf" >&2
else
  sed 's|$|json/__init__.py+0x5 (/tmp/perf-1.map)|; s|^|\t    7f143b0b6fd5 py::dumps:|' "$work/list.txt" > "$sample"
  echo "text: perf script's form, made from the list (no perf or no CPython 3.12+ here)" >&2
fi
# Repeat the sample to 1 GiB, and take 128 MiB of it for the slow comparisons.
/usr/bin/python3 - "$sample" "$work/perf-script.txt" "$work/perf-script-128.txt" << 'PY'
import sys
sample = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as out:
    for _ in range((1 << 30) // len(sample) + 1):
        out.write(sample)
with open(sys.argv[3], "wb") as out:
    for _ in range((128 << 20) // len(sample) + 1):
        out.write(sample)
PY
cat "$work/perf-script.txt" > /dev/null  # in the page cache for every contender

# The prefixes as an alternation (regex-escaped), after the same boundary class.
alternation=$(/usr/bin/python3 -c '
import re, sys
print("|".join(re.escape(line) for line in open(sys.argv[1]).read().split("\n") if line))' "$work/list.txt")
/usr/bin/python3 - "$work/list.txt" "$work/rewrite.sed" << 'PY'
import sys
lines = [l for l in open(sys.argv[1]).read().split("\n") if l]
escaped = "|".join("".join("\\" + c if c in ".[]()*+?{}|^$\\#" else c for c in l) for l in lines)
open(sys.argv[2], "w").write("s#(^|[[:space:]\"'([{<,;:=|@])(%s)#\\1#g\n" % escaped)
PY
cat > "$work/resub.py" << PY
import re, sys
pattern = re.compile(rb"(^|[\s\"'([{<,;:=|@])(?:$alternation)", re.M)
sys.stdout.buffer.write(pattern.sub(rb"\\1", open(sys.argv[1], "rb").read()))
PY
size=$(stat -c %s "$work/perf-script.txt")
echo "1 GiB: $((size >> 20)) MiB of perf script text; prefixes: $(wc -l < "$work/list.txt")" >&2

hyperfine -N --warmup 1 --runs 5 --export-json "$work/cat.json" \
  -n cat "bash -c 'cat $work/perf-script.txt | cat > /dev/null'" \
  -n rewrite "bash -c '$pyprefix rewrite --prefixes $work/list.json $work/perf-script.txt | cat > /dev/null'"
hyperfine -N --warmup 1 --runs 3 --export-json "$work/slow.json" \
  -n rewrite "bash -c '$pyprefix rewrite --prefixes $work/list.json $work/perf-script-128.txt | cat > /dev/null'" \
  -n sed "bash -c 'sed -E -f $work/rewrite.sed $work/perf-script-128.txt | cat > /dev/null'" \
  -n re.sub "bash -c '/usr/bin/python3 $work/resub.py $work/perf-script-128.txt | cat > /dev/null'"

# The three agree on the 128 MiB (the comparison is of one rule).
"$pyprefix" rewrite --prefixes "$work/list.json" "$work/perf-script-128.txt" | md5sum > "$work/ours.md5"
/usr/bin/python3 "$work/resub.py" "$work/perf-script-128.txt" | md5sum > "$work/resub.md5"
sed -E -f "$work/rewrite.sed" "$work/perf-script-128.txt" | md5sum > "$work/sed.md5"
for other in resub sed; do
  cmp -s "$work/ours.md5" "$work/$other.md5" && echo "rewrite and $other agree on the 128 MiB" >&2 ||
    echo "rewrite and $other DIFFER on the 128 MiB" >&2
done

# 512 MiB of JSON on one line through rewrite: its peak resident memory.
/usr/bin/python3 - "$work/list.txt" "$work/trace.json" << 'PY'
import json, sys
prefixes = [l for l in open(sys.argv[1]).read().split("\n") if l]
events = ",".join(json.dumps({"name": "%sjson/decoder.py(337): decode" % p, "ph": "X", "ts": i, "dur": 1})
                  for i, p in enumerate(prefixes * 50))
with open(sys.argv[2], "w") as out:
    out.write('{"traceEvents": [')
    written = 0
    while written < (512 << 20):
        out.write(events + ",")
        written += len(events) + 1
    out.write('{"name": "end"}]}')
PY
/usr/bin/time -f "%e s, peak RSS %M KiB" "$pyprefix" rewrite --prefixes "$work/list.json" "$work/trace.json" \
  2> "$work/time.txt" > /dev/null
echo "512 MiB single-line JSON: $(tail -n 1 "$work/time.txt")" >&2

/usr/bin/python3 - "$work/cat.json" "$work/slow.json" << 'PY'
import json, sys
def means(path):
    return {r["command"]: r["mean"] for r in json.load(open(path))["results"]}
fast, slow = means(sys.argv[1]), means(sys.argv[2])
print("1 GiB perf script: cat %.2f s, rewrite %.2f s: %.2fx cat (goal <= 1.5x)"
      % (fast["cat"], fast["rewrite"], fast["rewrite"] / fast["cat"]))
print("128 MiB: rewrite %.3f s, sed -E %.2f s (%.0fx slower), re.sub %.2f s (%.0fx slower) (goal >= 20x)"
      % (slow["rewrite"], slow["sed"], slow["sed"] / slow["rewrite"], slow["re.sub"], slow["re.sub"] / slow["rewrite"]))
PY
