#!/usr/bin/env bash
# pyprefix::core needs neither Python nor Boost: with both hidden, pyprefix configures and
# builds with PYPREFIX_CORE_ONLY, as a subproject and installed, and the consumer trims a saved
# list as the tool does. As root, Python's and Boost's headers and CMake packages are hidden by
# empty mounts in a mount namespace of the test's own; otherwise CMake is told not to find them.
#
#   core_only.sh SOURCE_DIR TOOL CXX
set -euo pipefail
source=$1 tool=$2 cxx=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "$(id -u)" = 0 ] && [ -z "${PYPREFIX_CORE_ONLY_HIDDEN:-}" ]; then
  exec unshare --mount --propagation private env PYPREFIX_CORE_ONLY_HIDDEN=1 bash "$0" "$@"
fi
if [ -n "${PYPREFIX_CORE_ONLY_HIDDEN:-}" ]; then
  hidden=()
  for path in /usr/include/boost /usr/include/python3* /usr/local/include/python3* \
              /usr/lib/*/cmake/Boost* /usr/lib/*/cmake/boost_* /usr/lib/cmake/Boost*; do
    [ -d "$path" ] && mount -t tmpfs -o ro,size=4k none "$path" && hidden+=("$path")
  done
  [ -e /usr/include/boost/version.hpp ] && { echo "Boost is still visible" >&2; exit 1; }
  echo "hidden: ${hidden[*]}"
else
  hide=(-DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON -DCMAKE_DISABLE_FIND_PACKAGE_Python3=ON)
fi
quiet() { "$@" > "$work/log" 2>&1 || { cat "$work/log" >&2; return 1; }; }

# The input and the expected output, from the tool built with everything.
printf '/usr/lib/python3.11/json/decoder.py\n/srv/app/main.py\n/usr/lib/python3/dist-packages/x.py\n' > "$work/paths"
printf '/usr/lib/python3.11/\n/usr/lib/python3/dist-packages/\n' > "$work/list"
"$tool" trim --prefixes "$work/list" < "$work/paths" > "$work/expected"

check() {  # check NAME BUILD_DIR
  "$2/trim_saved" "$work/list" < "$work/paths" > "$work/$1.out"
  cmp "$work/expected" "$work/$1.out" || { echo "$1: trim_saved differs from pyprefix trim" >&2; exit 1; }
  echo "$1: configured, built and trimmed as the tool does"
}

quiet cmake -S "$here/core_only" -B "$work/subdirectory" -DCMAKE_CXX_COMPILER="$cxx" \
  -DPYPREFIX_CONSUMER_MODE=add-subdirectory -DPYPREFIX_SOURCE_DIR="$source" ${hide[@]+"${hide[@]}"}
quiet cmake --build "$work/subdirectory" -j 2
check add-subdirectory "$work/subdirectory"

quiet cmake -S "$source" -B "$work/pyprefix" -DCMAKE_CXX_COMPILER="$cxx" -DPYPREFIX_CORE_ONLY=ON ${hide[@]+"${hide[@]}"}
quiet cmake --build "$work/pyprefix" -j 2
quiet cmake --install "$work/pyprefix" --prefix "$work/install"
[ -e "$work/install/lib/libpyprefix-core.a" ] || [ -e "$work/install/lib64/libpyprefix-core.a" ] || { echo "no libpyprefix-core.a installed" >&2; exit 1; }
if ls "$work"/install/lib*/libpyprefix.a "$work"/install/bin/pyprefix > /dev/null 2>&1; then
  echo "a core-only install holds more than the core" >&2; exit 1
fi
# Every installed header builds by itself against the core-only install (C headers as C99 too),
# none needs Python, and the umbrella header links with the core alone.
include=$(ls -d "$work"/install/include)
for header in "$include"/pyprefix/*; do
  name=$(basename "$header")
  printf '#include <pyprefix/%s>\nint main(void) { return 0; }\n' "$name" > "$work/alone.cpp"
  quiet "$cxx" -std=c++17 -Wall -Wextra -Werror -I "$include" -c "$work/alone.cpp" -o "$work/alone.o"
  if [ "${name##*.}" = h ]; then
    cp "$work/alone.cpp" "$work/alone.c"
    quiet cc -std=c99 -Wall -Wextra -Werror -I "$include" -c "$work/alone.c" -o "$work/alone.o"
  fi
done
[ ! -e "$include/pyprefix/prefixes.hpp" ] || { echo "a core-only install ships prefixes.hpp" >&2; exit 1; }
printf '#include <pyprefix/pyprefix.hpp>\nint main() { return pyprefix::Trimmer({"/usr/lib/"}).trim("/usr/lib/x.py") == "x.py" ? 0 : 1; }\n' \
  > "$work/umbrella.cpp"
quiet "$cxx" -std=c++17 -I "$include" "$work/umbrella.cpp" -o "$work/umbrella" "$(ls "$work"/install/lib*/libpyprefix-core.a)"
"$work/umbrella" || { echo "the core-only umbrella header's program trims wrong" >&2; exit 1; }
echo "installed headers: $(ls "$include/pyprefix" | wc -l), each built by itself; the umbrella links with the core alone"

quiet cmake -S "$here/core_only" -B "$work/package" -DCMAKE_CXX_COMPILER="$cxx" \
  -DPYPREFIX_CONSUMER_MODE=find-package -DCMAKE_PREFIX_PATH="$work/install" ${hide[@]+"${hide[@]}"}
quiet cmake --build "$work/package" -j 2
check find-package "$work/package"
