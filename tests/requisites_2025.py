"""Reads the 2025 requisites back from a page image, for tests/requisites_2025.rs.

    python3 tests/requisites_2025.py PAGE.png DPI [X0 Y0 X1 Y1]

Prints JSON: the QR codes zxing-cpp decodes on the page, each with its
text and its corner points in mm from the page's top left corner; and,
when a box (mm) is given (the words of the electronic-signature mark), the
frame found around it: the dark lines nearest the box on each side, in mm,
or null for a side with none within 6 mm.
"""

import json
import sys

import zxingcpp
from PIL import Image


def mm(px, dpi):
    return px * 25.4 / dpi


def frame(image, dpi, box):
    """The nearest dark line outside `box` on each side (mm), or None."""
    gray = image.convert("L")
    w, h = gray.size
    px = gray.load()
    x0, y0, x1, y1 = (round(v * dpi / 25.4) for v in box)
    reach = round(6 * dpi / 25.4)

    def dark_row(y):
        if not 0 <= y < h:
            return False
        cols = range(max(x0, 0), min(x1, w))
        return sum(px[x, y] < 128 for x in cols) >= 0.9 * len(cols)

    def dark_col(x):
        if not 0 <= x < w:
            return False
        rows = range(max(y0, 0), min(y1, h))
        return sum(px[x, y] < 128 for y in rows) >= 0.9 * len(rows)

    def search(start, step, test):
        for i in range(reach):
            p = start + step * i
            if test(p):
                return mm(p, dpi)
        return None

    return {
        "top": search(y0 - 1, -1, dark_row),
        "bottom": search(y1 + 1, 1, dark_row),
        "left": search(x0 - 1, -1, dark_col),
        "right": search(x1 + 1, 1, dark_col),
    }


def main():
    path, dpi = sys.argv[1], float(sys.argv[2])
    image = Image.open(path)
    codes = []
    for b in zxingcpp.read_barcodes(image):
        p = b.position
        corners = [p.top_left, p.top_right, p.bottom_right, p.bottom_left]
        codes.append(
            {
                "text": b.text,
                "format": str(b.format),
                "corners_mm": [[mm(c.x, dpi), mm(c.y, dpi)] for c in corners],
            }
        )
    out = {"qr": codes}
    if len(sys.argv) == 7:
        out["frame"] = frame(image, dpi, [float(v) for v in sys.argv[3:7]])
    print(json.dumps(out, ensure_ascii=False))


main()
