#!/usr/bin/env bash
# --attach figures for docs/performance.md: the time `pyprefix --pid PID --attach` takes for a
# running Python 3.14+ process (the reader run inside it, at its main thread's next safe point)
# against `pyprefix --pid PID` (its Python run again in a child, as it started), side by side
# in one hyperfine run; then the same with --classify --package email, and `manifest`. The
# target runs Python code all the time (a loop of short sleeps), as a busy program does; one
# blocked in a C call answers when the call returns. Run it where a 3.14+ is, as root (the sid
# chroot: .ci/debian-chroot sid DIR bash bench/attach.sh).
#
#   bench/attach.sh [PYTHON] [BUILD_DIR]      (a Release build is made there)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=${1:-python3}
build=$(realpath -m "${2:-$here/../build-bench-attach}")
bash "$here/../.ci/install-deps" hyperfine
cmake -S "$here/.." -B "$build" -DCMAKE_BUILD_TYPE=Release -DPYPREFIX_BUILD_TESTS=OFF \
  -DPython3_EXECUTABLE="$(command -v "$python")" > /dev/null
cmake --build "$build" -j 2 --target pyprefix_cli > /dev/null
pyprefix=$build/pyprefix
"$python" -c 'import sys; sys.path.append("/opt/plugins")
import time
while True: time.sleep(0.001)' &
target=$!
trap 'kill $target' EXIT
sleep 0.5
"$python" -V
"$pyprefix" --pid $target --attach | grep -q /opt/plugins/
hyperfine -N --warmup 5 --runs 200 "$pyprefix --pid $target" "$pyprefix --pid $target --attach"
hyperfine -N --warmup 5 --runs 100 "$pyprefix --pid $target --classify --package email" \
  "$pyprefix --pid $target --attach --classify --package email"
hyperfine -N --warmup 3 --runs 50 "$pyprefix manifest --pid $target" "$pyprefix manifest --pid $target --attach"
