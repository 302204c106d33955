#!/usr/bin/env bash
# The static Linux build (`cargo build-linux`, `cargo install-linux`:
# .cargo/config.toml), checked: builds gostdoc with that alias, checks that
# the executable is static and at a fixed address (no program interpreter,
# no dynamic section, ELF type EXEC), and that it writes byte for byte the
# files of `cargo build`'s binary for every document in data/.
#
# Usage: scripts/linux_static_check.sh   (scripts/test.sh runs it; on
# anything but x86-64 Linux it says so and checks nothing.) Prints what
# differs and exits 1 when anything does.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/same_outputs.sh
. scripts/same_outputs.sh

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "linux static: not x86-64 Linux, nothing checked"
  exit 0
fi
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
# The alias exactly as users run it, in the dev profile: the link is the
# same as a release build's, in a fraction of the time.
cargo build-linux --quiet --bin gostdoc
cargo build --quiet --bin gostdoc
static="$target/x86_64-unknown-linux-gnu/debug/gostdoc"
dynamic="$target/debug/gostdoc"

# The program headers, read with Python (no binutils needed): PT_INTERP (3)
# or PT_DYNAMIC (2) would mean the loader and shared libraries; e_type 2
# is a fixed-address executable (3 would be a PIE).
python3 - "$static" <<'PY'
import struct, sys
with open(sys.argv[1], "rb") as f:
    elf = f.read()
if elf[:4] != b"\x7fELF" or elf[4] != 2:
    sys.exit(f"{sys.argv[1]}: not a 64-bit ELF file")
e_type = struct.unpack_from("<H", elf, 16)[0]
phoff = struct.unpack_from("<Q", elf, 32)[0]
phentsize, phnum = struct.unpack_from("<HH", elf, 54)
kinds = {struct.unpack_from("<I", elf, phoff + i * phentsize)[0] for i in range(phnum)}
problems = []
if 3 in kinds:
    problems.append("it names a program interpreter (the dynamic loader)")
if 2 in kinds:
    problems.append("it has a dynamic section (shared libraries)")
if e_type != 2:
    problems.append(f"ELF type {e_type}, not 2 (a fixed-address executable)")
if problems:
    sys.exit("the static build is not static: " + "; ".join(problems))
PY

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$dynamic" build -q --force --format docx,pdf,html data --output "$work/dynamic"
"$static" build -q --force --format docx,pdf,html data --output "$work/static"
status=0
same_outputs "$work/dynamic" "$work/static" "the dynamic build" || status=1
[ "$compared" -gt 0 ] || exit 1
echo "linux static: $compared files compared with the dynamic build"
exit $status
