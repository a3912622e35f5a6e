#!/usr/bin/env bash
# One consumer of all three targets, end to end: build it against pyprefix the way MODE says,
# run it, and check each part against the pyprefix tool or the reference:
#   print_prefixes (pyprefix::pyprefix)   prints what `pyprefix list` prints
#   trim_saved (pyprefix::core)            trims like `pyprefix trim --prefixes`, with no libpython or Boost
#   pyprefix_consumer (pyprefix::module)   an extension module: the reference's list, in PYTHON
#   c_consumer (the C API, C99, ASan)       prints and trims as the tool does
#
#   run.sh find-package|add-subdirectory|fetch-content|pkg-config SOURCE_DIR BUILD_DIR PYTHON CXX
set -euo pipefail
mode=$1 source=$2 build=$3 python=$4 cxx=$5
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
quiet() { "$@" > "$work/log" 2>&1 || { cat "$work/log" >&2; return 1; }; }
fail() { echo "$mode: $*" >&2; exit 1; }

case "$mode" in
  find-package|pkg-config)
    quiet cmake --install "$build" --prefix "$work/install" ;;
esac
case "$mode" in
  find-package|add-subdirectory|fetch-content)
    quiet cmake -S "$here/project" -B "$work/build" -DPYPREFIX_CONSUMER_MODE="$mode" -DCMAKE_CXX_COMPILER="$cxx" \
      -DCMAKE_PREFIX_PATH="$work/install" -DPYPREFIX_SOURCE_DIR="$source" -DPython3_EXECUTABLE="$python"
    quiet cmake --build "$work/build" -j 2
    if [ -e "$work/build/pyprefix/test" ] || [ -e "$work/build/_deps/pyprefix-build/test" ]; then
      fail "the subproject configured its tests"
    fi
    if grep -rq "pyprefixTargets" "$work/build" --include=cmake_install.cmake 2>/dev/null; then
      fail "the subproject added install rules"
    fi
    bin=$work/build ;;
  pkg-config)
    export PKG_CONFIG_PATH=$work/install/lib/pkgconfig
    bin=$work/bin
    mkdir -p "$bin"
    # The language standard is the consumer's to choose (C++17 or newer for the C++ headers):
    # --cflags carries none, so that C programs take the same flags.
    # shellcheck disable=SC2046 # the flags are words
    quiet "$cxx" -std=c++17 "$here/project/print_prefixes.cpp" $(pkg-config --cflags --libs pyprefix) -o "$bin/print_prefixes"
    # shellcheck disable=SC2046
    quiet "$cxx" -std=c++17 "$here/project/trim_saved.cpp" $(pkg-config --cflags --libs pyprefix-core) -o "$bin/trim_saved"
    # shellcheck disable=SC2046
    case "$cxx" in *clang++) cc=${cxx%++} ;; *g++) cc=${cxx%g++}gcc ;; *) cc=cc ;; esac
    quiet "$cc" -x c -std=c99 -Wall -Wextra -Werror -fsanitize=address "$here/project/c_consumer.c" -x none \
      $(pkg-config --cflags pyprefix) $(pkg-config --libs pyprefix) -lstdc++ -o "$bin/c_consumer"
    suffix=$("$python" -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
    # shellcheck disable=SC2046
    quiet "$cxx" -std=c++17 -shared -fPIC "$here/project/extension_module.cpp" $(pkg-config --cflags --libs pyprefix-module) \
      -o "$bin/pyprefix_consumer$suffix" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac

cd "$work"
"$bin/print_prefixes" > consumer.out
"$build/pyprefix" > cli.out
# The installed tool finds its embedding plugin in <prefix>/lib*/pyprefix/.
if [ -x "$work/install/bin/pyprefix" ]; then
  "$work/install/bin/pyprefix" > installed-cli.out || fail "the installed pyprefix failed"
  cmp -s installed-cli.out cli.out || fail "the installed pyprefix lists differently from the build tree's"
fi
if ! cmp -s consumer.out cli.out; then
  diff consumer.out cli.out >&2 || true
  fail "print_prefixes (pyprefix::pyprefix) differs from pyprefix list"
fi

"$build/pyprefix" list --json > saved.json
{ sed 's|$|pkg/module.py|' cli.out; echo /nowhere/file.py; echo "<frozen os>"; } > paths
"$bin/trim_saved" saved.json < paths > core.out
"$build/pyprefix" trim --prefixes saved.json paths > cli-trim.out
cmp -s core.out cli-trim.out || fail "trim_saved (pyprefix::core) trims differently from pyprefix trim"
if ldd "$bin/trim_saved" | grep -Eq "libpython|libboost"; then
  fail "trim_saved (pyprefix::core) loads $(ldd "$bin/trim_saved" | grep -Eo 'lib(python|boost)[^ ]*' | tr '\n' ' ')"
fi

# The C consumer runs under ASan; CPython's own allocations at exit are not ours to report.
export LSAN_OPTIONS=suppressions=$here/../sanitizers/lsan.supp
"$bin/c_consumer" > c.out || fail "c_consumer failed"
cmp -s c.out cli.out || fail "c_consumer (the C API) prints a list that differs from pyprefix list"
"$bin/c_consumer" --trim saved.json < paths > c-trim.out || fail "c_consumer --trim failed"
cmp -s c-trim.out cli-trim.out || fail "c_consumer (the C API) trims differently from pyprefix trim"
"$build/pyprefix" manifest > manifest.json
"$bin/c_consumer" --trim manifest.json < paths > c-trim-manifest.out || fail "c_consumer --trim (a manifest) failed"
# Rewriting through the C API, in 7-byte chunks: text and JSON, short paths and module names.
{ sed 's|^|  File "|; s|$|pkg/module.py", line 3|' cli.out; sed 's|^|[{"name": "|; s|$|x.py(1): f"}]|' cli.out; } > profile
"$bin/c_consumer" --rewrite saved.json < profile > c-rewrite.out || fail "c_consumer --rewrite failed"
"$build/pyprefix" rewrite --prefixes saved.json profile > cli-rewrite.out
cmp -s c-rewrite.out cli-rewrite.out || fail "c_consumer (the C API) rewrites differently from pyprefix rewrite"
cmp -s c-rewrite.out profile && fail "c_consumer --rewrite rewrote nothing"
"$bin/c_consumer" --rewrite-to-module manifest.json < profile > c-rewrite-module.out || fail "c_consumer --rewrite-to-module failed"
"$build/pyprefix" rewrite --to module --prefixes manifest.json profile > cli-rewrite-module.out
cmp -s c-rewrite-module.out cli-rewrite-module.out || fail "c_consumer (the C API) names modules differently from pyprefix rewrite --to module"
cmp -s c-trim-manifest.out cli-trim.out || fail "c_consumer (the C API) trims by a manifest differently from pyprefix trim"
# A running Python, asked through the C API and by the tool.
"$python" -c "import time; time.sleep(300)" &
sleeper=$!
while [ "$(readlink "/proc/$sleeper/exe")" = "$(readlink /proc/$$/exe)" ]; do sleep 0.01; done  # until it runs Python
"$bin/c_consumer" --pid "$sleeper" > c-pid.out || fail "c_consumer --pid failed"
"$build/pyprefix" --pid "$sleeper" > cli-pid.out
"$bin/c_consumer" --manifest "$sleeper" > c-pid-manifest.json 2> /dev/null || fail "c_consumer --manifest PID failed"
"$build/pyprefix" manifest --pid "$sleeper" > cli-pid-manifest.json 2> /dev/null
"$bin/c_consumer" --index-of-pid-report "$sleeper" > c-pid-index.out ||
  fail "c_consumer: the index of process $sleeper's report was not refused: $(cat c-pid-index.out)"
grep -q "has no index of its own" c-pid-index.out || fail "c_consumer: another refusal: $(cat c-pid-index.out)"
kill "$sleeper"
cmp -s c-pid.out cli-pid.out || fail "c_consumer (the C API) lists process $sleeper differently from pyprefix --pid"
cmp -s c-pid-manifest.json cli-pid-manifest.json || fail "c_consumer (the C API) writes another manifest of process $sleeper than pyprefix manifest --pid"
mkdir -p program/app && echo "pass" > program/app/main.py
"$bin/c_consumer" --cwd program -- "$python" app/main.py --an argument > c-program.out || fail "c_consumer --cwd DIR -- PROGRAM failed"
"$build/pyprefix" --cwd program -- "$python" app/main.py --an argument > cli-program.out
cmp -s c-program.out cli-program.out || fail "c_consumer (the C API) lists a program differently from pyprefix -- PROGRAM"
grep -q "/program/app/$" c-program.out || fail "c_consumer's program list has no script folder"
"$bin/c_consumer" --names > c-names.out || fail "c_consumer --names failed"
"$python" -c "import importlib.machinery, sys; print(sys.implementation.cache_tag); print(*importlib.machinery.EXTENSION_SUFFIXES, sep='\n')" > names.out
cmp -s c-names.out names.out || fail "c_consumer (the C API) gives another cache tag or extension suffixes than Python"
"$bin/c_consumer" --manifest > c-manifest.json 2> /dev/null || fail "c_consumer --manifest failed"
cmp -s c-manifest.json manifest.json || fail "c_consumer (the C API) writes another manifest than pyprefix manifest"
"$python" -c "import json, sys; print(json.__file__); print(sys.modules['encodings'].__file__)" >> paths
"$bin/c_consumer" --which < paths > c-which.out || fail "c_consumer --which failed"
mapfile -t which_paths < paths
"$build/pyprefix" which "${which_paths[@]}" > cli-which.out 2> /dev/null
cmp -s c-which.out cli-which.out || { diff c-which.out cli-which.out >&2; fail "c_consumer (the C API) names differently from pyprefix which"; }
"$bin/c_consumer" --which manifest.json < paths > c-which-manifest.out || fail "c_consumer --which MANIFEST failed"
"$build/pyprefix" which --prefixes manifest.json "${which_paths[@]}" > cli-which-manifest.out 2> /dev/null
cmp -s c-which-manifest.out cli-which-manifest.out || fail "c_consumer (the C API) names by a manifest differently from pyprefix which --prefixes"
unset LSAN_OPTIONS

module=$(ls "$bin"/pyprefix_consumer*.so)
if ldd "$module" | grep -q "libpython"; then
  fail "the extension module (pyprefix::module) links libpython: $(ldd "$module" | grep libpython)"
fi
PYTHONPATH=$bin "$python" "$here/check_module.py" "$here/../reference/prefixes.py" > module.out || fail "check_module.py failed"

echo "$mode: print_prefixes and c_consumer (C99, ASan) print the $(wc -l < cli.out) prefixes of pyprefix list;" \
  "trim_saved and c_consumer trim as pyprefix trim, trim_saved without libpython or Boost; $(cat module.out)"
