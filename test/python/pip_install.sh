#!/usr/bin/env bash
# The Python package as pip builds it with scikit-build-core from pyproject.toml alone, from a
# copy of the tracked files, into venvs of Debian's python3, each followed by the package's tests
# in that venv:
#  1. `pip install --no-build-isolation --no-index`: the scikit-build-core the venv already has
#     (Debian's python3-scikit-build-core where the release ships it, as sid does; else the pinned
#     one from PyPI, put in the venv first);
#  2. `pip install` with build isolation: pip fetches scikit-build-core (pinned) from PyPI.
# Exits 77 (ctest: skipped), saying why, without pip, venv or pytest, or when PyPI is needed and
# cannot be reached.
#
#   pip_install.sh offline|isolated SOURCE_DIR
set -euo pipefail
mode=$1 source=$2
python=/usr/bin/python3
scikit_build_core="scikit-build-core==1.1.2"
if ! "$python" -c "import pytest, venv, pip" 2> /dev/null; then
  echo "SUITE SKIPPED: Debian's python3 lacks pip, pytest or venv"
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
echo "$scikit_build_core" > "$work/constraints.txt"

# tested VENV: the package's tests in VENV, against the package pip installed there.
tested() {
  (cd "$work" && PYPREFIX_REFERENCE=$source/test/reference/prefixes.py PYTHONDONTWRITEBYTECODE=1 \
    "$1/bin/python" -m pytest -q -p no:cacheprovider "$source/test/python/test_pyprefix.py")
  local location
  location=$("$1/bin/python" -c "import pyprefix; print(pyprefix.__file__)")
  case "$location" in
    "$1/"*) echo "pip installed pyprefix into the venv: $location" ;;
    *) echo "pyprefix was imported from $location, not the venv" >&2; exit 1 ;;
  esac
}

if [ "$mode" = offline ]; then
# 1. No build isolation, no index.
"$python" -m venv --system-site-packages "$work/offline"
if ! "$work/offline/bin/python" -c "import scikit_build_core" 2> /dev/null; then
  if ! "$work/offline/bin/python" -m pip install -q "$scikit_build_core" > "$work/log" 2>&1; then
    echo "SUITE SKIPPED: no scikit-build-core here and PyPI's $scikit_build_core could not be installed: $(tail -n 1 "$work/log")"
    exit 77
  fi
fi
echo "scikit-build-core $("$work/offline/bin/python" -c "import scikit_build_core; print(scikit_build_core.__version__)")"
quiet "$work/offline/bin/python" -m pip install --no-build-isolation --no-index "$work/source"
tested "$work/offline"
exit 0
fi

# 2. Build isolation: scikit-build-core from PyPI, pinned.
"$python" -m venv --system-site-packages "$work/isolated"  # pytest from Debian; the build is isolated all the same
if ! PIP_CONSTRAINT=$work/constraints.txt "$work/isolated/bin/python" -m pip install "$work/source" > "$work/log" 2>&1; then
  if grep -qiE "could not find a version|connection|resolve|network" "$work/log"; then
    echo "SUITE SKIPPED: PyPI cannot be reached for $scikit_build_core: $(tail -n 1 "$work/log")"
    exit 77
  fi
  cat "$work/log" >&2
  exit 1
fi
tested "$work/isolated"
