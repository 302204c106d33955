"""Compares the structure of a tagged PDF with the DOCX of the same
document.

    python3 struct_text.py FILE.pdf FILE.docx

The PDF's structure tree is walked in order; every P and heading gives
one block of text, every LI, TH and TD one block (all the text below it),
read from the marked content by MCID (with /ActualText). The DOCX gives
one block per body paragraph and one per table cell, in order. Both are
normalised (runs of spaces, tabs and line breaks are one space; soft
hyphens go) and empty blocks are left out. The two lists must be equal.
Page numbers must be artifacts: on a document of several pages, each
page's number is found among the page's artifacts and in no block.

Prints the first difference and exits 1 when there is one.
With --self-test, checks that a wrong expectation is caught.
"""

import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

import pikepdf

sys.path.insert(0, __import__("os").path.dirname(__file__))
import marked_text  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BLOCKS = {"/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}
WHOLE = {"/LI", "/TH", "/TD"}


def normalise(text):
    text = text.replace("\u00ad", "")
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def pdf_blocks(path):
    pdf = pikepdf.open(path)
    pages = marked_text.read_pages(pdf)
    page_index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    blocks = []

    def content(elem, page):
        """Text of an element's own content and of everything below it."""
        out = ""
        if "/Pg" in elem:
            page = page_index.get(elem.Pg.objgen, page)
        kids = elem.get("/K")
        if kids is None:
            return out
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, int):
                out += pages[page].mcid.get(kid, "")
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                p = page_index.get(kid.Pg.objgen, page) if "/Pg" in kid else page
                out += pages[p].mcid.get(int(kid.MCID), "")
            elif isinstance(kid, pikepdf.Dictionary):
                # Paragraphs of one cell or item: apart, as in the DOCX.
                out += " " + content(kid, page) + " "
        return out

    def walk(elem, page, roles):
        role = str(elem.get("/S", ""))
        if "/Pg" in elem:
            page = page_index.get(elem.Pg.objgen, page)
        if role in WHOLE or role in BLOCKS:
            blocks.append((role, normalise(content(elem, page))))
            return
        kids = elem.get("/K")
        if kids is None:
            return
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                walk(kid, page, roles + [role])

    root = pdf.Root.StructTreeRoot
    top = root.K
    for elem in top if isinstance(top, pikepdf.Array) else [top]:
        walk(elem, 0, [])
    return [b for b in blocks if b[1]], pages


def docx_blocks(path):
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml")
    body = ET.fromstring(xml).find(f"{W}body")
    blocks = []

    def text(node):
        out = ""
        for n in node.iter():
            if n.tag == f"{W}t":
                out += n.text or ""
            elif n.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                out += " "
        return out

    def paragraph_text(p):
        return "".join(text(r) for r in p if r.tag in (f"{W}r", f"{W}hyperlink", f"{W}ins"))

    for child in body:
        if child.tag == f"{W}p":
            blocks.append(("p", normalise(paragraph_text(child))))
        elif child.tag == f"{W}tbl":
            for tr in child.findall(f"{W}tr"):
                for tc in tr.findall(f"{W}tc"):
                    parts = [paragraph_text(p) for p in tc.iter(f"{W}p")]
                    blocks.append(("cell", normalise(" ".join(parts))))
    return [b for b in blocks if b[1]]


def compare(pdf_list, docx_list):
    """The first difference of the two lists of texts, or None."""
    for i, (a, b) in enumerate(zip(pdf_list, docx_list)):
        if a != b:
            return f"block {i + 1}: PDF «{a}» but DOCX «{b}»"
    if len(pdf_list) != len(docx_list):
        shorter = "PDF" if len(pdf_list) < len(docx_list) else "DOCX"
        rest = (docx_list if shorter == "PDF" else pdf_list)[min(len(pdf_list), len(docx_list)):]
        return f"{shorter} has {abs(len(pdf_list) - len(docx_list))} blocks fewer; next: {rest[:2]}"
    return None


def page_numbers(pages, blocks):
    """Problems with page numbers: each page after the first carries its
    number as an artifact (when the document is numbered at all)."""
    numbered = any(str(i + 1) in [a.strip() for a in p.artifacts] for i, p in enumerate(pages) if i)
    problems = []
    if not numbered:
        return problems
    for i, page in enumerate(pages[1:], 2):
        # A number in a structure element would also show as a block the
        # DOCX does not have.
        if str(i) not in [a.strip() for a in page.artifacts]:
            problems.append(f"page {i}: its number is not an artifact")
    return problems


def main():
    if sys.argv[1] == "--self-test":
        docx = ["Протокол № 1", "1. Первый пункт", "Глава"]
        assert compare(docx, docx) is None
        assert compare(docx[::-1], docx) is not None, "order not checked"
        assert compare(docx[:-1], docx) is not None, "a missing block not caught"
        assert compare(["Протокол № 1", "1. Первый", "Глава"], docx) is not None
        assert normalise("сло\u00adво \t и\nещё ") == "слово и ещё"
        print("self-test passed")
        return 0
    pdf_path, docx_path = sys.argv[1], sys.argv[2]
    blocks, pages = pdf_blocks(pdf_path)
    expected = docx_blocks(docx_path)
    problems = []
    diff = compare([b[1] for b in blocks], [b[1] for b in expected])
    if diff:
        problems.append(diff)
    problems += page_numbers(pages, blocks)
    print(json.dumps({"blocks": len(blocks), "roles": sorted({r for r, _ in blocks}),
                      "problems": problems}, ensure_ascii=False))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
