#!/usr/bin/env bash
# Trimming figures for the README:
#  1. ns per path for pyprefix::Trimmer, torch's algorithm and one strlen pass as the prefix list
#     grows (bench/trim_benchmark.cpp, Google Benchmark), plotted to bench/trim-scaling.png;
#  2. `pyprefix trim` over a file of 5 million real paths against `cat` of the same file.
#
#   bench/trim.sh [BUILD_DIR]      (a Release build with -DPYPREFIX_BUILD_BENCHMARKS=ON is made there)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath -m "${1:-$here/../build-bench}")
bash "$here/../.ci/install-deps" libbenchmark-dev gnuplot-nox hyperfine
cmake -S "$here/.." -B "$build" -DCMAKE_BUILD_TYPE=Release -DPYPREFIX_BUILD_BENCHMARKS=ON -DPYPREFIX_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j 2 >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/bench/trim_benchmark" --benchmark_format=json --benchmark_out="$work/trim.json" --benchmark_out_format=json \
  --benchmark_format=console >&2
/usr/bin/python3 - "$work/trim.json" "$work" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
def series(prefix):
    return {int(r["prefixes"]): r["ns_per_path"] for r in runs if r["name"].startswith(prefix)}
strlen = [r["ns_per_path"] for r in runs if r["name"] == "strlen_pass"][0]
for family in ("packages", "conda"):
    ours, torch = series("pyprefix_trimmer/" + family), series("torch_algorithm/" + family)
    with open(f"{sys.argv[2]}/{family}.dat", "w") as out:
        for n in sorted(ours):
            out.write(f"{n} {ours[n]:.2f} {torch[n]:.2f} {strlen:.2f}\n")
    real = min(ours)
    print(f"{family}: real list ({real} prefixes): pyprefix {ours[real]:.1f} ns, torch {torch[real]:.1f} ns, "
          f"{torch[real] / ours[real]:.1f}x faster (goal >= 5x); ~250 prefixes: pyprefix {ours[250]:.1f} ns "
          f"({ours[250] / strlen:.1f}x strlen, goal <= 3x), torch {torch[250]:.1f} ns, {torch[250] / ours[250]:.0f}x")
print(f"strlen pass {strlen:.1f} ns per path; pyprefix at the real list is {min(series('pyprefix_trimmer/packages').items())[1] / strlen:.1f}x that (goal <= 2x)")
PY
gnuplot -e "data_dir='$work'; output_file='$here/trim-scaling.png'" "$here/trim-scaling.gp"
echo "plot: $here/trim-scaling.png"

# 5 million real paths (the same corpus, repeated) through `pyprefix trim` and through `cat`.
/usr/bin/python3 - "$work/paths.txt" <<'PY'
import os, sys, sysconfig
paths = []
for root in {sysconfig.get_path("stdlib"), sysconfig.get_path("purelib"), "/usr/lib/python3/dist-packages"}:
    for directory, _, files in os.walk(root):
        paths += [os.fsencode(os.path.join(directory, f)) for f in files if f.endswith(".py")]
with open(sys.argv[1], "wb") as out:
    block = b"\n".join(paths) + b"\n"
    for _ in range(5_000_000 // len(paths)):
        out.write(block)
    out.write(b"\n".join(paths[:5_000_000 % len(paths)]) + b"\n")
PY
"$build/pyprefix" --python /usr/bin/python3 > "$work/list.txt"
hyperfine -N --style basic --warmup 1 --runs 5 --export-json "$work/cat.json" \
  "cat $work/paths.txt" "$build/pyprefix trim --prefixes $work/list.txt $work/paths.txt" --output=pipe >&2
/usr/bin/python3 - "$work/cat.json" "$work/paths.txt" <<'PY'
import json, os, sys
cat, trim = (r["median"] for r in json.load(open(sys.argv[1]))["results"])
size = os.path.getsize(sys.argv[2]) / 2**20
print(f"5,000,000 paths ({size:.0f} MiB): cat {cat * 1000:.0f} ms, pyprefix trim {trim * 1000:.0f} ms, ratio {trim / cat:.2f} (goal <= 1.5)")
PY
