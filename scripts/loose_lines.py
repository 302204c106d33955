#!/usr/bin/env python3
"""Loose justified lines: usage `python3 scripts/loose_lines.py FILE.pdf …`.

Prints, per file and in total, how many justified lines (two words or more,
ending at the right margin) have a word gap wider than twice a normal space
(issue 12: typography a secretary would not correct). Needs pdftotext."""
# Share of justified lines (lines of 2+ words ending at the right margin,
# 200 mm on a portrait page, 277 mm on a landscape one) whose widest word
# gap exceeds twice a normal space (0.25 em of Liberation Serif / Times).
import subprocess, sys, re, html
MM = 72 / 25.4
def lines(pdf):
    x = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True).stdout
    for page in x.split("<page ")[1:]:
        w = float(re.search(r'width="([\d.]+)"', page).group(1))
        right = (200 if w < 600 else 277) * MM
        ws = [(float(m.group(2)), float(m.group(1)), float(m.group(3)), float(m.group(4)))
              for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">', page)]
        ws.sort()
        ls = []
        for y, x0, x1, y1 in ws:
            if ls and y - ls[-1][0] < 2.8: ls[-1][1].append((x0, x1, y1 - y))
            else: ls.append([y, [(x0, x1, y1 - y)]])
        for _, l in ls:
            l.sort()
            if len(l) >= 2 and abs(l[-1][1] - right) < 0.6 * MM and l[0][0] < 45 * MM:
                yield l
total = loose = 0
for f in sys.argv[1:]:
    t = lo = 0
    for l in lines(f):
        size = max(h for _, _, h in l) / 1.107
        space = 0.25 * size
        gaps = [b[0] - a[1] for a, b in zip(l, l[1:])]
        t += 1
        if max(gaps) > 2 * space: lo += 1
    total += t; loose += lo
    print(f"{f.split('/')[-1]}: {lo}/{t}")
print(f"all: {loose}/{total} = {100*loose/max(total,1):.1f} %")
