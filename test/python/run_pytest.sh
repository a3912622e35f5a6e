#!/usr/bin/env bash
# Runs test_pyprefix.py with PYTHON against the package built in BUILD_DIR/python, using
# Debian's pytest (python3-pytest). Interpreters that cannot import it by themselves (pyenv's)
# get a folder holding only pytest and its dependencies from /usr/lib/python3/dist-packages.
#
#   run_pytest.sh PYTHON BUILD_DIR REFERENCE
set -euo pipefail
python=$1 build=$2 reference=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pythonpath=$build/python
if ! "$python" -c "import pytest" 2> /dev/null; then
  mkdir "$work/pytest"
  for name in pytest _pytest pluggy iniconfig packaging py py.py attr exceptiongroup tomli; do
    [ -e "/usr/lib/python3/dist-packages/$name" ] && ln -s "/usr/lib/python3/dist-packages/$name" "$work/pytest/$name"
  done
  pythonpath=$pythonpath:$work/pytest
fi
cd "$work"
PYTHONPATH=$pythonpath PYPREFIX_REFERENCE=$reference PYTHONDONTWRITEBYTECODE=1 \
  "$python" -m pytest -q -p no:cacheprovider "$here/test_pyprefix.py"
