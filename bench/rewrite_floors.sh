#!/usr/bin/env bash
# The floors of `pyprefix rewrite` (issue 28), each measured side by side in one hyperfine run,
# every command's output into a pipe, the files in the page cache:
#  A. `perf script` of `perf record` (samples alone) of pyenv's CPython 3.13 with -X perf,
#  B. `perf script` of `perf record --call-graph dwarf` of pyenv's 3.12 with -X perf (every
#     frame line holds a DSO path),
#  C. one absolute path a line (every file under the list's prefixes), where `trim` runs too:
#     each repeated to 512 MiB, against `cat` (goal: at most 1.5x);
#  D. a pprof profile laid out as google/pprof writes it (bench/pprof_profile.py: 2,000
#     functions, 400,000 samples), gzip at zlib's default level, against zlib inflating and
#     deflating the same data at the same level (Python's zlib module; goal: at most 1.2x).
#
#   bench/rewrite_floors.sh [BUILD_DIR]      (a Release build is made there)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath -m "${1:-$here/../build-bench}")
bash "$here/../.ci/install-deps" hyperfine linux-perf
cmake -S "$here/.." -B "$build" -DCMAKE_BUILD_TYPE=Release -DPYPREFIX_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" -j 2 --target pyprefix_cli > /dev/null
pyprefix=$build/pyprefix
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
size=$((512 << 20))

# repeat SAMPLE OUT: SAMPLE repeated to `size` bytes.
repeat() {
  /usr/bin/python3 -c '
import sys
sample, size = open(sys.argv[1], "rb").read(), int(sys.argv[3])
with open(sys.argv[2], "wb") as out:
    for _ in range(size // len(sample) + 1):
        out.write(sample)' "$1" "$2" "$size"
  cat "$2" > /dev/null
}

program='
import json
def work():
    for i in range(200000):
        json.dumps({"a": [i, str(i)]})
work()'
record() {  # record PYTHON OUT PERF-RECORD-OPTIONS...
  local python=$1 out=$2
  shift 2
  perf record -q -F 999 "$@" -o "$work/perf.data" -- "$python" -X perf -c "$program" > /dev/null 2>&1
  perf script -i "$work/perf.data" > "$out" 2> /dev/null
  rm -f /tmp/perf-*.map
}
newest() { ls -d "$HOME"/.pyenv/versions/$1.*/bin/python3 2> /dev/null | sort -V | tail -n 1; }
py313=$(newest 3.13)
py312=$(newest 3.12)

# compare NAME FILE LIST [EXTRA hyperfine arguments...]: cat against rewrite.
compare() {
  local name=$1 file=$2 list=$3
  shift 3
  hyperfine -N --warmup 1 --runs 5 --export-json "$work/$name.json" \
    -n cat "bash -c 'cat $file | cat > /dev/null'" \
    -n rewrite "bash -c '$pyprefix rewrite --prefixes $list $file | cat > /dev/null'" "$@" > /dev/null
  /usr/bin/python3 - "$work/$name.json" "$name" << 'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
cat = results["cat"]
line = "%s: cat %.3f s (min %.3f, max %.3f)" % (sys.argv[2], cat["mean"], cat["min"], cat["max"])
for name, r in results.items():
    if name != "cat":
        line += "; %s %.3f s (min %.3f, max %.3f) = %.2fx cat" % (name, r["mean"], r["min"], r["max"], r["mean"] / cat["mean"])
print(line)
PY
}

"$pyprefix" list --python "$py313" > "$work/list313.txt"
record "$py313" "$work/a.sample"
repeat "$work/a.sample" "$work/a.txt"
compare "A (perf script, samples, 3.13)" "$work/a.txt" "$work/list313.txt"

"$pyprefix" list --python "$py312" > "$work/list312.txt"
record "$py312" "$work/b.sample" --call-graph dwarf
repeat "$work/b.sample" "$work/b.txt"
compare "B (perf script --call-graph dwarf, 3.12)" "$work/b.txt" "$work/list312.txt"

# Every file under the list's prefixes, one absolute path a line.
while read -r prefix; do find "$prefix" -type f 2> /dev/null || true; done < "$work/list313.txt" > "$work/c.sample"
repeat "$work/c.sample" "$work/c.txt"
compare "C (one path a line)" "$work/c.txt" "$work/list313.txt" \
  -n trim "bash -c '$pyprefix trim --prefixes $work/list313.txt < $work/c.txt | cat > /dev/null'"

# D. pprof, gzip at zlib's default level (its header's XFL byte is 0: pyprefix writes level 6).
/usr/bin/python3 "$here/pprof_profile.py" "$work/list313.txt" "$work/d.pb" 400000
/usr/bin/python3 -c '
import sys, zlib
c = zlib.compressobj(6, zlib.DEFLATED, 31)
open(sys.argv[2], "wb").write(c.compress(open(sys.argv[1], "rb").read()) + c.flush())' "$work/d.pb" "$work/d.pprof"
cat > "$work/zlib.py" << 'PY'
import sys, zlib
data = zlib.decompress(open(sys.argv[1], "rb").read(), 31)
c = zlib.compressobj(6, zlib.DEFLATED, 31)
sys.stdout.buffer.write(c.compress(data) + c.flush())
PY
echo "D: $(($(stat -c %s "$work/d.pb") >> 20)) MiB of pprof, $(($(stat -c %s "$work/d.pprof") >> 20)) MiB gzip" >&2
hyperfine -N --warmup 1 --runs 5 --export-json "$work/d.json" \
  -n zlib "bash -c '/usr/bin/python3 $work/zlib.py $work/d.pprof | cat > /dev/null'" \
  -n rewrite "bash -c '$pyprefix rewrite --prefixes $work/list313.txt $work/d.pprof | cat > /dev/null'" > /dev/null
/usr/bin/python3 - "$work/d.json" << 'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print("D (pprof, gzip 6): zlib inflate+deflate %.3f s (min %.3f, max %.3f); rewrite %.3f s (min %.3f, max %.3f) = %.2fx"
      % (r["zlib"]["mean"], r["zlib"]["min"], r["zlib"]["max"], r["rewrite"]["mean"], r["rewrite"]["min"],
         r["rewrite"]["max"], r["rewrite"]["mean"] / r["zlib"]["mean"]))
PY
