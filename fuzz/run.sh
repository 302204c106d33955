#!/usr/bin/env bash
# Runs the fuzz targets with the settings the project uses (fuzz/README.md).
#
#   fuzz/run.sh TARGET [SECONDS]   fuzz one target (default 300 s)
#   fuzz/run.sh all SECONDS        each target in turn, SECONDS each
#   fuzz/run.sh cmin TARGET        add to fuzz/corpus/TARGET the small inputs
#                                  of fuzz/work/TARGET (what the fuzzer
#                                  found) that reach new code
#   fuzz/run.sh list               the targets
#
# New inputs go to fuzz/work/TARGET (ignored by git); the committed corpus,
# fuzz/corpus/TARGET, is only read, so that the replay test in CI stays
# small. Crashes, timeouts and out-of-memory inputs go to
# fuzz/artifacts/TARGET/. One job at a time: the machine has 2 cores.
#
# Environment: FUZZ_FLAGS adds libFuzzer flags (e.g. "-fork=1
# -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1" to keep going past
# a known crash).
set -euo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")"

# The targets, as tests/fuzz_replay/targets.rs lists them.
mapfile -t TARGETS < <(sed -n 's/^ *name: "\(.*\)",$/\1/p' ../tests/fuzz_replay/targets.rs)
# Rust is memory-safe: AddressSanitizer would only halve the speed. Debug
# assertions and overflow checks stay on (cargo fuzz's default).
BUILD=(-s none --codegen-units 16)

dict_of() {
  # The dictionary a target's entry in targets.rs names, so the fuzzer and
  # the replay test use the same one.
  local d
  d=$(grep -A4 "name: \"$1\"" ../tests/fuzz_replay/targets.rs | sed -n 's/.*dict: "\(.*\)".*/\1/p')
  if [ -z "$d" ]; then
    echo "fuzz/run.sh: no target «$1» in tests/fuzz_replay/targets.rs" >&2
    exit 2
  fi
  echo "dict/$d"
}

run() {
  local target=$1 seconds=$2 dict
  dict=$(dict_of "$target")
  mkdir -p "work/$target" "artifacts/$target"
  # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
  cargo +nightly fuzz run "${BUILD[@]}" "$target" "work/$target" "corpus/$target" -- \
    -dict="$dict" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -max_total_time="$seconds" -print_final_stats=1 ${FUZZ_FLAGS:-}
}

case ${1:-} in
list) printf '%s\n' "${TARGETS[@]}" ;;
all)
  for t in "${TARGETS[@]}"; do run "$t" "${2:?seconds per target}"; done
  ;;
cmin)
  target=${2:?target}
  dict_of "$target" >/dev/null
  cargo +nightly fuzz build "${BUILD[@]}" "$target"
  # The committed corpus stays as it is; of what the fuzzer found, only
  # inputs of at most 2 KB that reach new code are added (set cover over
  # edges, hit counts ignored), so the corpus grows by tens of small files
  # rather than thousands and CI's replay stays short.
  small=$(mktemp -d)
  find "work/$target" -type f -size -2049c -exec cp {} "$small/" \;
  "target/x86_64-unknown-linux-gnu/release/$target" -set_cover_merge=1 -use_counters=0 \
    -timeout=10 -rss_limit_mb=2048 "corpus/$target" "$small"
  rm -rf "$small"
  echo "corpus/$target: $(find "corpus/$target" -type f | wc -l) files, $(cat "corpus/$target"/* | wc -c) bytes"
  ;;
"" | -h | --help) sed -n '2,/^set /p' "$self" | grep '^#' ;;
*) run "$1" "${2:-300}" ;;
esac
