#!/usr/bin/env bash
# The Windows build, checked on Linux: cross-compiles gostdoc for
# x86_64-pc-windows-gnu (Debian's mingw-w64 links it), runs gostdoc.exe
# under wine on every document in data/, from a folder with a Cyrillic
# name and with backslashes in the paths, and compares every file with the
# Linux build's: they must be byte-identical. Also checks that the Windows
# binary prints Russian help.
#
# Usage: scripts/windows_check.sh   (scripts/test.sh runs it; it needs the
# Rust target, gcc-mingw-w64-x86-64 and wine, which scripts/test.sh
# installs.) Prints what differs and exits 1 when anything does.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# shellcheck source=scripts/same_outputs.sh
. scripts/same_outputs.sh

rustup target list --installed | grep -qx x86_64-pc-windows-gnu ||
  rustup target add x86_64-pc-windows-gnu
# The usual target folder: the Windows build goes to its own triple's
# folder in it, and the Linux binary is the one the tests just built.
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
cargo build --quiet --target x86_64-pc-windows-gnu --bin gostdoc
cargo build --quiet --bin gostdoc
linux="$target/debug/gostdoc"

work=$(mktemp -d)
# wine's server may still be writing in its prefix: stop it first, and
# never let the clean-up decide the exit code (set -e holds in a trap).
cleanup() {
  WINEPREFIX="$work/wine" wineserver -k >/dev/null 2>&1 || true
  WINEPREFIX="$work/wine" wineserver -w >/dev/null 2>&1 || true
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT
# The program in a folder of its own, with the stand-in for the
# bcryptprimitives.dll that Debian 12's wine 8 lacks (see the C file).
mkdir "$work/bin"
exe="$work/bin/gostdoc.exe"
cp "$target/x86_64-pc-windows-gnu/debug/gostdoc.exe" "$exe"
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bin/bcryptprimitives.dll" \
  scripts/windows/bcryptprimitives.c -ladvapi32
# A folder named as a secretary would name it.
folder="$work/Документы школы"
mkdir -p "$folder"
cp -r data "$folder/data"

(cd "$folder" && "$linux" build --force data --output out-linux >/dev/null)

export WINEPREFIX="$work/wine" WINEDEBUG=-all
# The first start of wine sets up its prefix: quietly, once.
wine wineboot --init >/dev/null 2>&1 || true
(cd "$folder" && wine "$exe" build --force 'data\' --output 'out-windows' >"$work/wine.log" 2>&1) || {
  echo "gostdoc.exe failed under wine:" >&2
  cat "$work/wine.log" >&2
  exit 1
}

status=0
same_outputs "$folder/out-linux" "$folder/out-windows" "the Linux build" || status=1
[ "$compared" -gt 0 ] || exit 1

help=$(cd "$folder" && wine "$exe" --help 2>&1 | tr -d '\r')
case $help in
*"Использование: gostdoc"*) ;;
*)
  echo "gostdoc.exe --help is not Russian:" >&2
  echo "$help" >&2
  status=1
  ;;
esac
echo "windows: $compared files compared with the Linux build"
exit $status
