#!/usr/bin/env bash
# Runs the whole test suite. The integration tests read our DOCX and PDF
# files with the tools users have: LibreOffice (conversion to PDF), poppler
# (pdftotext, pdffonts, pdfinfo), qpdf, and the OOXML schema validator
# openxml-audit (PyPI). This script installs whichever of them is missing,
# then runs `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need_apt+=(qpdf)
# Liberation Serif is metric-compatible with Times New Roman, so LibreOffice
# breaks lines and pages as Word does.
fc-list 2>/dev/null | grep -q "Liberation Serif" || need_apt+=(fonts-liberation2 fontconfig)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# The tests run it as `python3 -m openxml_audit`, so it only has to be
# importable by the same python3.
if ! python3 -c "import openxml_audit" >/dev/null 2>&1; then
  echo "installing: openxml-audit"
  python3 -m pip install --quiet openxml-audit
fi

cargo test --all-targets
