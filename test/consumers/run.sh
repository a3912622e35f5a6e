#!/usr/bin/env bash
# One consumer project, end to end: build it against pyprefix the way its name says, run it,
# and check that it prints exactly what the pyprefix tool prints.
#
#   run.sh find-package|add-subdirectory|fetch-content|pkg-config SOURCE_DIR BUILD_DIR PYTHON CXX
set -euo pipefail
mode=$1 source=$2 build=$3 python=$4 cxx=$5
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
quiet() { "$@" > "$work/log" 2>&1 || { cat "$work/log" >&2; return 1; }; }

case "$mode" in
  find-package|pkg-config)
    quiet cmake --install "$build" --prefix "$work/install" ;;
esac
case "$mode" in
  find-package)
    quiet cmake -S "$here/find-package" -B "$work/build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$work/install"
    quiet cmake --build "$work/build" -j 2
    consumer=$work/build/consumer ;;
  add-subdirectory|fetch-content)
    quiet cmake -S "$here/$mode" -B "$work/build" -DCMAKE_CXX_COMPILER="$cxx" -DPYPREFIX_SOURCE_DIR="$source" \
      -DPython3_EXECUTABLE="$python"
    quiet cmake --build "$work/build" -j 2
    if [ -e "$work/build/pyprefix/test" ] || [ -e "$work/build/_deps/pyprefix-build/test" ]; then
      echo "the subproject configured its tests" >&2; exit 1
    fi
    if grep -q "pyprefix" "$work/build/cmake_install.cmake" 2>/dev/null && grep -rq "pyprefixTargets" "$work/build" --include=cmake_install.cmake; then
      echo "the subproject added install rules" >&2; exit 1
    fi
    consumer=$work/build/consumer ;;
  pkg-config)
    export PKG_CONFIG_PATH=$work/install/lib/pkgconfig
    flags=$(pkg-config --cflags --libs pyprefix)
    # shellcheck disable=SC2086 # the flags are words
    quiet "$cxx" "$here/print_prefixes.cpp" $flags -o "$work/consumer"
    consumer=$work/consumer ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac

cd "$work"
"$consumer" > consumer.out
"$build/pyprefix" > cli.out
if ! cmp -s consumer.out cli.out; then
  diff consumer.out cli.out >&2 || true
  echo "$mode: the consumer's list differs from pyprefix list" >&2
  exit 1
fi
echo "$mode: the consumer prints the same $(wc -l < cli.out) prefixes as pyprefix list"
