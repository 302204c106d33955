# Sourced by scripts/windows_check.sh and scripts/linux_static_check.sh:
# compares the documents two builds of gostdoc wrote.
#
#   same_outputs EXPECTED ACTUAL WHAT
#
# Every .docx, .pdf and .html file under the folder EXPECTED must be byte
# for byte the one at the same path under ACTUAL; each that is not is
# named on stderr as differing from WHAT. Sets `compared` to the number
# of files compared; returns 1 when one differs or EXPECTED holds none.
same_outputs() {
  local expected=$1 actual=$2 what=$3 file rel differ=0
  compared=0
  while IFS= read -r -d '' file; do
    rel=${file#"$expected/"}
    compared=$((compared + 1))
    if ! cmp -s "$file" "$actual/$rel"; then
      echo "differs from $what: $rel" >&2
      differ=1
    fi
  done < <(find "$expected" -type f \( -name '*.docx' -o -name '*.pdf' -o -name '*.html' \) -print0)
  if [ "$compared" -eq 0 ]; then
    echo "$what wrote nothing" >&2
    return 1
  fi
  return $differ
}
