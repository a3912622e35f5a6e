#!/usr/bin/env bash
# `pip install --no-build-isolation --no-index .` of a copy of the source tree into a venv of
# Debian's python3 (whose python3-pip, python3-setuptools and python3-wheel the venv sees), then
# the package's tests in that venv. Exits 77 (ctest: skipped) without those Debian packages.
#
#   pip_install.sh SOURCE_DIR
set -euo pipefail
source=$1
python=/usr/bin/python3
if ! "$python" -c "import setuptools, wheel, pytest, venv, pip" 2> /dev/null; then
  echo "Debian's python3 lacks pip, setuptools, wheel, pytest or venv: skipped"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
quiet() { "$@" > "$work/log" 2>&1 || { cat "$work/log" >&2; return 1; }; }

# The tracked files only: a copy as a fresh clone would have them; from a source tarball (no
# .git), the tree without its build folders.
mkdir "$work/source"
if git -C "$source" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  git -C "$source" ls-files -z | (cd "$source" && xargs -0 cp --parents -t "$work/source")
else
  tar -C "$source" --exclude='./build*' --exclude=./out --exclude='__pycache__' -cf - . | tar -C "$work/source" -xf -
fi
"$python" -m venv --system-site-packages "$work/venv"
quiet "$work/venv/bin/python" -m pip install --no-build-isolation --no-index "$work/source"
cd "$work"
# The package installed in the venv, not a build tree: the tests import it from site-packages.
PYPREFIX_REFERENCE=$source/test/reference/prefixes.py PYTHONDONTWRITEBYTECODE=1 \
  "$work/venv/bin/python" -m pytest -q -p no:cacheprovider "$source/test/python/test_pyprefix.py"
location=$("$work/venv/bin/python" -c "import pyprefix; print(pyprefix.__file__)")
case "$location" in
  "$work/venv/"*) echo "pip installed pyprefix into the venv: $location" ;;
  *) echo "pyprefix was imported from $location, not the venv" >&2; exit 1 ;;
esac
