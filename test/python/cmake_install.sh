#!/usr/bin/env bash
# `cmake --install BUILD_DIR --component python --prefix VENV` into a fresh venv of PYTHON (which
# needs neither pip's build tools nor an index), then `python -m pyprefix` there must print what
# `pyprefix --python VENV/bin/python` prints.
#
#   cmake_install.sh BUILD_DIR PYTHON
set -euo pipefail
build=$1 python=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv --without-pip "$work/venv"
cmake --install "$build" --component python --prefix "$work/venv" > /dev/null
cd "$work"
location=$("$work/venv/bin/python" -c "import pyprefix; print(pyprefix.__file__)")
case "$location" in
  "$work/venv/"*) ;;
  *) echo "pyprefix was imported from $location, not the venv" >&2; exit 1 ;;
esac
"$work/venv/bin/python" -m pyprefix --json > module.out
"$build/pyprefix" --python "$work/venv/bin/python" --json > cli.out
cmp -s module.out cli.out || { diff module.out cli.out >&2; echo "python -m pyprefix differs from pyprefix --python" >&2; exit 1; }
echo "cmake --install put pyprefix into a venv of $("$python" -V 2>&1); python -m pyprefix there lists the $(grep -c prefix cli.out) prefixes pyprefix --python gives"
