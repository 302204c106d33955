#!/usr/bin/env bash
# Runs the whole test suite on a machine that has only Rust. The integration
# tests read our DOCX and PDF files with the tools users have: LibreOffice
# (conversion to PDF, with Russian hyphenation and the fonts Word would use),
# poppler (pdftotext, pdffonts, pdfinfo), qpdf, and the OOXML schema
# validator openxml-audit (PyPI). This script installs whichever of them is
# missing (Debian/Ubuntu: apt-get, pip), then runs every test binary to the
# end, so one failure never hides the results of the others.
#
# When everything is present it prints nothing but cargo's output, so it is
# cheap to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Everything the tests use from outside Rust, one `need` line each:
#   need cmd  PROGRAM DEB-PACKAGE    a program the tests run (found by `command -v`)
#   need file PATH    DEB-PACKAGE    a file a program the tests run reads
#   need font FAMILY  DEB-PACKAGE    a font family fontconfig must know
#   need py   MODULE  PYPI-PACKAGE   a module the tests run as `python3 -m MODULE`
#   need cmd  PROGRAM npm:PACKAGE    a program from the npm registry (npm install -g)
#   need cmd  PROGRAM cargo:CRATE@VERSION  a program built from crates.io (cargo install)
# tests/test_script.rs fails when a test runs a program or a Python module
# that has no line here, so a new tool is added here or the suite is red.
# Lines are checked in order: a `font` line needs fc-list, a `py` line
# python3, so their providers come first.
requirements() {
  need cmd sh dash # `sh -c "command -v X"` in tests/external_tools.rs
  need cmd python3 python3
  need py openxml_audit openxml-audit # OOXML schema validation of our DOCX
  need py icalendar icalendar # tests/assignments_export.rs parses our ICS
  # pikepdf reads our PDF/A: XMP against Info, output intent, fonts, the
  # structure tree and its marked content (tests/pdfa.rs, tests/tagged_pdf.rs
  # run tests/pdfa/*.py).
  need py pikepdf pikepdf
  # tests/requisites_2025.rs reads the QR code back from a page image
  # (pdftoppm, then tests/requisites_2025.py with zxing-cpp and Pillow).
  need py zxingcpp zxing-cpp
  need py PIL pillow
  need cmd pdftoppm poppler-utils
  need cmd soffice libreoffice-writer-nogui # our DOCX as users see it
  # `soffice` comes with libreoffice-common, which cannot open a DOCX:
  # Writer's DOCX import filter is in the Writer package.
  need file /usr/lib/libreoffice/program/libwriterfilterlo.so libreoffice-writer-nogui
  # Calc opens the XLSX of `gostdoc assignments --format xlsx`
  # (tests/assignments_export.rs converts it to CSV).
  need file /usr/lib/libreoffice/program/libsclo.so libreoffice-calc-nogui
  # LibreOffice hyphenates Russian only with this dictionary; without it no
  # word is hyphenated and its lines differ from those of our PDF
  # (tests/pdf.rs pages_and_lines_equal_libreoffices_pdf_of_our_docx).
  need file /usr/share/hyphen/hyph_ru_RU.dic hyphen-ru
  need cmd fc-list fontconfig
  # Metric-compatible with the Times New Roman our DOCX names, so LibreOffice
  # breaks lines and pages as Word does.
  need font "Liberation Serif" fonts-liberation2
  need cmd pdftotext poppler-utils
  need cmd pdffonts poppler-utils
  need cmd pdfinfo poppler-utils
  need cmd qpdf qpdf
  # The Windows build, checked here (scripts/windows_check.sh): mingw-w64
  # links it (and compiles mimalloc's C for it, as the system's cc does
  # for Linux), wine runs it on data/, and its files must equal ours.
  need cmd x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
  need cmd wine wine
  need file /usr/lib/wine/wine64 wine64
  # The static Linux build (scripts/linux_static_check.sh) links glibc's
  # archives in; they come with libc6-dev, which any Rust build on Debian
  # needs already (crt1.o).
  need file /usr/lib/x86_64-linux-gnu/libc.a libc6-dev
  # The editor of `gostdoc serve` in a real browser (tests/serve_browser.rs
  # runs tests/browser/serve_test.py): Debian's Chromium, driven headless by
  # Playwright, which uses it as it is (no browser download).
  need cmd chromium chromium
  need py playwright playwright
  # The same editor in Firefox (tests/browser/serve_firefox.py): Debian's
  # Firefox ESR driven headless through WebDriver by Mozilla's geckodriver,
  # built from crates.io (about 2.5 minutes on 2 cores, once), and Selenium,
  # given both paths so that it downloads nothing.
  need cmd firefox-esr firefox-esr
  need py selenium selenium
  need cmd geckodriver cargo:geckodriver@0.36.0
  # Taplo, the engine of VS Code's Even Better TOML, checks our files
  # against gostdoc's JSON Schema as the editor does (tests/schema.rs);
  # from npm (a WASM build, nothing to compile), so npm comes first.
  need cmd npm npm
  need cmd taplo npm:@taplo/cli@0.7.0
  # axe-core checks our HTML pages and the folder's index against WCAG 2.1
  # AA in the Chromium above (tests/html.rs runs tests/browser/axe_pages.py,
  # which injects this file; the test finds it with `npm root --global`).
  need file /usr/lib/node_modules/axe-core/axe.min.js npm:axe-core@4.14.1
}

# No pipes in the checks: under `pipefail`, `fc-list | grep -q` fails now and
# then with 141 when grep exits before fc-list has written everything.
present() {
  case $1 in
  cmd) command -v "$2" >/dev/null 2>&1 ;;
  file) [ -f "$2" ] ;;
  font) command -v fc-list >/dev/null 2>&1 && fc-list -q "$2" ;;
  py) command -v python3 >/dev/null 2>&1 && python3 -c "import $2" >/dev/null 2>&1 ;;
  *)
    echo "scripts/test.sh: unknown kind «$1» in a need line" >&2
    exit 2
    ;;
  esac
}

declare -A deb=() pypi=() npmpkg=() cratepkg=()
missing=()
need() {
  present "$1" "$2" && return 0
  missing+=("$1 $2 ($3)")
  case $1:$3 in
  py:*) pypi[$3]=1 ;;
  *:npm:*) npmpkg[${3#npm:}]=1 ;;
  *:cargo:*) cratepkg[${3#cargo:}]=1 ;;
  *) deb[$3]=1 ;;
  esac
}

SUDO=()
[ "$(id -u)" -ne 0 ] && SUDO=(sudo)
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "scripts/test.sh: no apt-get here; install these by hand: $*" >&2
    exit 1
  fi
  echo "installing: $*"
  if [ -z "${apt_updated:-}" ]; then
    "${SUDO[@]}" apt-get update -qq
    apt_updated=1
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq "$@" >/dev/null
}

pip_install() {
  echo "installing (pip): $*"
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  local log
  # A Debian python3 refuses system-wide pip installs (PEP 668); the tests
  # only need the module importable, so it goes to the user's site folder.
  if ! log=$(python3 -m pip install --quiet --disable-pip-version-check "$@" 2>&1); then
    case $log in
    *externally-managed-environment*)
      python3 -m pip install --quiet --disable-pip-version-check \
        --user --break-system-packages "$@"
      ;;
    *)
      echo "$log" >&2
      exit 1
      ;;
    esac
  fi
}

# Into /usr whatever npm's own prefix (Debian's npm says /usr/local,
# Node's packages /usr): the `need file` lines name /usr/lib/node_modules.
npm_install() {
  echo "installing (npm): $*"
  "${SUDO[@]}" npm install --global --prefix /usr --no-audit --no-fund --loglevel=error "$@" >/dev/null
}

# Into cargo's own bin folder (~/.cargo/bin), which rustup puts on PATH.
cargo_install() {
  local crate
  for crate in "$@"; do
    echo "installing (cargo): $crate"
    cargo install --quiet --locked --version "${crate#*@}" "${crate%@*}"
  done
}

requirements
if [ ${#deb[@]} -gt 0 ]; then apt_install "${!deb[@]}"; fi
if [ ${#pypi[@]} -gt 0 ]; then pip_install "${!pypi[@]}"; fi
# After apt: npm itself may have just been installed.
if [ ${#npmpkg[@]} -gt 0 ]; then npm_install "${!npmpkg[@]}"; fi
if [ ${#cratepkg[@]} -gt 0 ]; then cargo_install "${!cratepkg[@]}"; fi
if [ ${#missing[@]} -gt 0 ]; then
  # Check again: a wrong package name or path in a `need` line shows here,
  # not as a puzzling test failure.
  missing=()
  deb=() pypi=() npmpkg=() cratepkg=()
  requirements
  if [ ${#missing[@]} -gt 0 ]; then
    printf 'scripts/test.sh: still missing after installing: %s\n' "${missing[@]}" >&2
    exit 1
  fi
fi

status=0
cargo test --all-targets --no-fail-fast || status=$?
# After the tests, so that a broken Windows build never hides their results.
scripts/windows_check.sh || status=1
# The static Linux build of `cargo install-linux` (.cargo/config.toml).
scripts/linux_static_check.sh || status=1
exit $status
