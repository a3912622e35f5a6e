#!/usr/bin/env bash
# The Rust example (examples/rust), built offline with cargo against pyprefix installed into a
# temporary prefix and found through pkg-config: with no arguments it must print what
# `pyprefix list` prints, and given paths, what `pyprefix trim` prints for them. Exits 77
# (ctest: skipped) where cargo is missing.
#
#   rust.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source=$1 build=$2
if ! command -v cargo > /dev/null; then
  echo "cargo is not installed: the Rust example is skipped"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
quiet() { "$@" > "$work/log" 2>&1 || { cat "$work/log" >&2; return 1; }; }

quiet cmake --install "$build" --prefix "$work/install"
# A copy, so that cargo writes its Cargo.lock (whose format depends on cargo's version) there.
cp -r "$source/examples/rust" "$work/rust"
PKG_CONFIG_PATH=$work/install/lib/pkgconfig CARGO_TARGET_DIR=$work/target \
  quiet cargo build --offline --quiet --manifest-path "$work/rust/Cargo.toml"
example=$work/target/debug/pyprefix-rust

cd "$work"
"$example" > rust.out
"$build/pyprefix" > cli.out
cmp -s rust.out cli.out || { diff rust.out cli.out >&2; echo "the Rust example's list differs from pyprefix list" >&2; exit 1; }
mapfile -t paths < <(sed 's|$|pkg/module.py|' cli.out; echo /nowhere/file.py; echo "<frozen os>")
"$example" "${paths[@]}" > rust-trim.out
printf '%s\n' "${paths[@]}" | "$build/pyprefix" trim > cli-trim.out
cmp -s rust-trim.out cli-trim.out || { echo "the Rust example trims differently from pyprefix trim" >&2; exit 1; }
echo "rust: $(cargo --version) built the example offline; it prints the $(wc -l < cli.out) prefixes of pyprefix list" \
  "and trims ${#paths[@]} paths as pyprefix trim does"
