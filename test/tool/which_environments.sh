#!/usr/bin/env bash
# `pyprefix which` and `trim --json` in environments built here, offline, checked against
# Python itself (test/reference/which_oracle.py: importlib.metadata and find_spec) and against
# what each project was built to be:
#   - wheels of small local projects (built once with Debian's pip and setuptools, pure, so that
#     they install into a venv of any interpreter): a package with a top-level tests/ folder, and
#     a namespace package split over two distributions;
#   - a folder put on sys.path by a plain .pth, and a zip on sys.path;
#   - broken metadata: a RECORD that is not CSV, a METADATA without a version, a .dist-info that
#     is a file, a RECORD that cannot be read;
#   - with Debian's python3 (whose setuptools supports PEP 660): editable installs of a src-layout
#     project (a .pth of paths), of a flat one (a finder's MAPPING), and a legacy `setup.py
#     develop` (.egg-link), and a wheel holding an extension module.
#
#   which_environments.sh PYPREFIX PYTHON REFERENCE_DIR
set -euo pipefail
cli=$1 python=$2 reference=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
quiet() { "$@" > "$work/log" 2>&1 || { cat "$work/log" >&2; return 1; }; }
fail() { echo "environments: $*" >&2; exit 1; }
debian=/usr/bin/python3
"$debian" -c "import setuptools, wheel, pip" 2> /dev/null || { echo "Debian's pip, setuptools and wheel are missing: skipped"; exit 77; }

# The projects.
project() {  # project NAME VERSION PACKAGES...: a setuptools project with pyproject.toml
  local name=$1 version=$2
  shift 2
  mkdir -p "$work/src/$name"
  printf '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "%s"\nversion = "%s"\n[tool.setuptools]\npackages = [%s]\n' \
    "$name" "$version" "$(printf '"%s", ' "$@" | sed 's/, $//')" > "$work/src/$name/pyproject.toml"
}
project alpha 1.2 alpha alpha.sub tests
mkdir -p "$work/src/alpha/alpha/sub" "$work/src/alpha/tests"
echo "VALUE = 1" > "$work/src/alpha/alpha/__init__.py"
echo "def f(): return 1" > "$work/src/alpha/alpha/core.py"
echo "" > "$work/src/alpha/alpha/sub/__init__.py"
echo "" > "$work/src/alpha/alpha/sub/leaf.py"
echo "" > "$work/src/alpha/tests/__init__.py"
echo "def test_f(): pass" > "$work/src/alpha/tests/test_core.py"
project nsa 0.1 nsroot.cloud.storage
project nsb 0.2 nsroot.cloud.bigquery
mkdir -p "$work/src/nsa/nsroot/cloud/storage" "$work/src/nsb/nsroot/cloud/bigquery"
echo "" > "$work/src/nsa/nsroot/cloud/storage/__init__.py"
echo "" > "$work/src/nsa/nsroot/cloud/storage/blob.py"
echo "" > "$work/src/nsb/nsroot/cloud/bigquery/__init__.py"
echo "" > "$work/src/nsb/nsroot/cloud/bigquery/table.py"
quiet "$debian" -m pip wheel --no-build-isolation --no-index --no-deps -w "$work/wheels" \
  "$work/src/alpha" "$work/src/nsa" "$work/src/nsb"

# A venv of PYTHON with the wheels, a plain .pth folder, a zip and broken metadata. Debian's
# python3 gets one that sees its setuptools, for the editable installs below.
is_debian=false
[ "$(readlink -f "$python")" = "$(readlink -f "$debian")" ] && is_debian=true
if $is_debian; then
  quiet "$python" -m venv --system-site-packages "$work/venv"
else
  quiet "$python" -m venv "$work/venv"
fi
venv_python=$work/venv/bin/python
site=$("$venv_python" -c "import sysconfig; print(sysconfig.get_path('purelib'))")
quiet "$venv_python" -m pip install --no-index --no-deps "$work"/wheels/*.whl
mkdir -p "$work/extra/extra_pkg" "$work/zipped/zpkg"
echo "" > "$work/extra/extra_pkg/__init__.py"
echo "" > "$work/extra/extra_pkg/thing.py"
echo "$work/extra" > "$site/extra.pth"
echo "" > "$work/zipped/zpkg/__init__.py"
echo "" > "$work/zipped/zpkg/mod.py"
(cd "$work/zipped" && "$debian" -m zipfile -c "$work/lib.zip" zpkg)
mkdir -p "$site/broken-1.0.dist-info" "$site/noversion-1.0.dist-info" "$site/unreadable-1.0.dist-info/RECORD"
printf 'Metadata-Version: 2.1\nName: broken\nVersion: 1.0\n\n' > "$site/broken-1.0.dist-info/METADATA"
printf 'broken_mod.py,sha256=x,1\n"unterminated,sha256=y,2\nbroken-1.0.dist-info/METADATA,,\n' > "$site/broken-1.0.dist-info/RECORD"
echo "" > "$site/broken_mod.py"
printf 'Metadata-Version: 2.1\nName: noversion\n\n' > "$site/noversion-1.0.dist-info/METADATA"
printf 'noversion_mod.py,,\n' > "$site/noversion-1.0.dist-info/RECORD"
echo "" > "$site/noversion_mod.py"
printf 'Metadata-Version: 2.1\nName: unreadable\nVersion: 3\n\n' > "$site/unreadable-1.0.dist-info/METADATA"
echo "not a folder" > "$site/isafile-1.0.dist-info"

expect=("$site/alpha/core.py=alpha.core=alpha=1.2" "$site/alpha/sub/leaf.py=alpha.sub.leaf=alpha=1.2"
        "$site/tests/test_core.py=tests.test_core=alpha=1.2"
        "$site/nsroot/cloud/storage/blob.py=nsroot.cloud.storage.blob=nsa=0.1"
        "$site/nsroot/cloud/bigquery/table.py=nsroot.cloud.bigquery.table=nsb=0.2"
        "$site/nsroot/cloud/new_file.py=nsroot.cloud.new_file=-=-"
        "$work/extra/extra_pkg/thing.py=extra_pkg.thing=-=-" "$work/lib.zip/zpkg/mod.py=zpkg.mod=-=-"
        "$site/broken_mod.py=broken_mod=broken=1.0" "$site/noversion_mod.py=noversion_mod=noversion=-"
        "$work/src/alpha/setup-helper.py=-=-=-")

if $is_debian; then
  # Debian's python3: editable installs, and an extension module.
  project gamma 0.3
  mkdir -p "$work/src/gamma/src/gamma"
  sed -i '/^\[tool.setuptools\]/,$d' "$work/src/gamma/pyproject.toml"
  echo "" > "$work/src/gamma/src/gamma/__init__.py"
  echo "" > "$work/src/gamma/src/gamma/mod.py"
  project fin 1.5 finpkg
  mkdir -p "$work/src/fin/finpkg"
  echo "" > "$work/src/fin/finpkg/__init__.py"
  echo "" > "$work/src/fin/finpkg/core.py"
  mkdir -p "$work/src/solo"  # a single-module project: a finder MAPPING of a path without its suffix
  printf '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "solo"\nversion = "0.9"\n[tool.setuptools]\npy-modules = ["solo"]\n' \
    > "$work/src/solo/pyproject.toml"
  echo "" > "$work/src/solo/solo.py"
  mkdir -p "$work/src/flat/flatpkg"
  printf 'from setuptools import setup\nsetup(name="flat", version="2.0", packages=["flatpkg"])\n' > "$work/src/flat/setup.py"
  echo "" > "$work/src/flat/flatpkg/__init__.py"
  echo "" > "$work/src/flat/flatpkg/util.py"
  mkdir -p "$work/src/native"
  printf '#include <Python.h>\nstatic struct PyModuleDef m = {PyModuleDef_HEAD_INIT, "native_ext", 0, -1, 0};\nPyMODINIT_FUNC PyInit_native_ext(void) { return PyModule_Create(&m); }\n' > "$work/src/native/native_ext.c"
  printf 'from setuptools import setup, Extension\nsetup(name="native", version="4.0", ext_modules=[Extension("native_ext", ["native_ext.c"])])\n' > "$work/src/native/setup.py"
  for editable in gamma fin solo flat; do quiet "$venv_python" -m pip install --no-build-isolation --no-index -e "$work/src/$editable"; done
  quiet "$venv_python" -m pip install --no-build-isolation --no-index "$work/src/native"
  native=$(ls "$site"/native_ext*.so)
  expect+=("$work/src/gamma/src/gamma/mod.py=gamma.mod=gamma=0.3" "$work/src/fin/finpkg/core.py=finpkg.core=fin=1.5"
           "$work/src/flat/flatpkg/util.py=flatpkg.util=flat=2.0" "$native=native_ext=native=4.0"
           "$work/src/solo/solo.py=solo=solo=0.9")
fi

# Python's own answers for everything the venv's metadata lists, 0 mismatches.
cd "$work"
PYTHONPATH=$work/lib.zip "$venv_python" "$reference/which_oracle.py" "$cli" --imports > oracle.json
"$venv_python" - oracle.json <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
counts = result["counts"]
print("oracle:", counts)
bad = counts["distribution mismatches"] + counts["module mismatches"] + counts["modules missed"]
if bad or counts["owned"] == 0 or counts["named"] == 0:
    sys.exit("mismatches against importlib: %s" % result["mismatches"])
PY

# What each project was built to be.
paths=()
for item in "${expect[@]}"; do paths+=("${item%%=*}"); done
PYTHONPATH=$work/lib.zip "$cli" which --json --python "$venv_python" "${paths[@]}" > which.json 2> which.err
for item in "${expect[@]}"; do
  IFS='=' read -r path module distribution version <<< "$item"
  line=$(grep -F "\"path\": \"$path\"" which.json) || fail "no answer for $path"
  want_module=$([ "$module" = "-" ] && echo null || echo "\"$module\"")
  want_distribution=$([ "$distribution" = "-" ] && echo null || echo "\"$distribution\"")
  want_version=$([ "$version" = "-" ] && echo null || echo "\"$version\"")
  case "$line" in
    *"\"module\": $want_module, \"distribution\": $want_distribution, \"version\": $want_version}"*) ;;
    *) fail "$path: expected $module, $distribution $version; got $line" ;;
  esac
done
for warning in "RECORD line 2 skipped: it is not CSV" "noversion-1.0.dist-info has no Version" \
               "isafile-1.0.dist-info skipped: it is not a folder" "unreadable-1.0.dist-info/RECORD cannot be read"; do
  grep -qF "$warning" which.err || fail "no warning '$warning' in: $(cat which.err)"
done
"$cli" list --distributions --json --python "$venv_python" > distributions.json 2> /dev/null
grep -q '"name": "alpha", "version": "1.2"' distributions.json || fail "list --distributions lacks alpha: $(cat distributions.json)"
echo "environments: ${#expect[@]} built-to-be checks and Python's own answers agree ($("$venv_python" -V 2>&1))"
