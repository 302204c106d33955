#!/usr/bin/env python3
"""Which words our PDFs hyphenate that a secretary would not: names from the
document's [[people]], verbal dates («27 де-/кабря») and words in capitals.

Usage: python3 scripts/hyphen_audit.py OUTPUT_DIR [OUTPUT_DIR/lo]
(a folder of PDFs built from data/, and optionally LibreOffice's PDFs of the
DOCX files, named alike). Needs pdftotext. Prints one line per suspect break.
"""
import glob, os, re, subprocess, sys, tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()


def lines(pdf):
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    return [l.strip() for l in text.splitlines() if l.strip()]


def surnames(stem):
    try:
        with open(os.path.join(ROOT, "data", stem + ".toml"), "rb") as f:
            doc = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return set()
    return {p["name"].split()[0].lower() for p in doc.get("people", [])}


found = 0
for folder in sys.argv[1:]:
    for pdf in sorted(glob.glob(os.path.join(folder, "*.pdf"))):
        names = surnames(os.path.basename(pdf)[:-4])
        ls = lines(pdf)
        for a, b in zip(ls, ls[1:]):
            m = re.search(r"(\S+)-$", a)
            if not m or not b.split():
                continue
            word = re.sub(r"[«»(),.:;]", "", m.group(1) + b.split()[0])
            why = []
            if word.lower() in names:
                why.append("фамилия")
            if any(word.lower() == mo for mo in MONTHS):
                why.append("дата словами")
            if sum(c.isupper() for c in word) >= 2:
                why.append("прописные")
            if why:
                found += 1
                print(f"{pdf}: {m.group(1)}-/{b.split()[0]} ({', '.join(why)})")
print(f"всего: {found}")
