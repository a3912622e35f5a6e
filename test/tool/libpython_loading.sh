#!/usr/bin/env bash
# The tool loads libpython only when it embeds: not for --python, --isolated, --pid or trim
# --prefixes, and through its plugin pyprefix-live.so when it does (the dynamic loader's own
# account, LD_DEBUG=libs, says what was loaded).
#
#   libpython_loading.sh CLI PYTHON
set -euo pipefail
cli=$1 python=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
# The libraries a command loaded, whether it succeeded or not.
loaded() { { LD_DEBUG=libs "$@" 2>&1 >/dev/null || true; } | grep -Eo 'calling init: [^ ]+' | sed 's/calling init: //'; }

if ldd "$cli" | grep -q libpython; then fail "the tool links libpython: $(ldd "$cli" | grep libpython)"; fi
work=$(mktemp -d)
"$python" -c "import time; time.sleep(120)" &
sleeper=$!
trap 'kill $sleeper; rm -rf "$work"' EXIT
echo /usr/lib/x.py > "$work/paths"
echo /usr/lib/ > "$work/saved"
for command in "--python $python" "--python $python --isolated" "--pid $sleeper" "trim --prefixes $work/saved $work/paths"; do
  # shellcheck disable=SC2086  # the words of the command
  libraries=$(loaded "$cli" $command)
  if grep -E 'libpython|pyprefix-live' <<< "$libraries"; then fail "'pyprefix $command' loaded the above"; fi
done
embedded=$(loaded "$cli")
grep -q 'pyprefix-live.so' <<< "$embedded" || fail "embedding did not load pyprefix-live.so: $embedded"
grep -q 'libpython' <<< "$embedded" || fail "embedding loaded no libpython: $embedded"
"$cli" --version | grep -q '^Python ' || fail "pyprefix --version names no Python"
echo "libpython and pyprefix-live.so are loaded when the tool embeds, and only then"
