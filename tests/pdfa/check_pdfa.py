"""Checks a PDF against the parts of PDF/A-2u and PDF/UA-1 that can be
read with pikepdf (veraPDF, the reference validator, is not packaged on
PyPI, npm or Debian). Prints one line per failure and exits 1 when there is
any; exits 0 and prints nothing when the file passes.

    python3 check_pdfa.py FILE.pdf

What it checks:
- header %PDF-1.x followed by a binary comment; a trailer /ID of two
  strings; no /Encrypt;
- the XMP metadata parses, claims pdfaid:part 2, conformance U and
  pdfuaid:part 1 (with its extension schema), and says what the Info
  dictionary says (title, author, subject, creator tool, producer,
  creation and modification dates with their time zone);
- one output intent /GTS_PDFA1 whose profile is an ICC RGB profile with
  /N 3 and the length its header states;
- every font is embedded (FontFile2), Type0 with Identity-H, has a
  /ToUnicode map, /CIDToGIDMap and a /CIDSet naming exactly the glyphs of
  its program; its /W widths of the glyphs shown equal the program's
  advances;
- no code shown is glyph 0 (.notdef) or lacks a Unicode value (PDF/A-2u);
- no transparency: no /SMask, no transparency group, no constant alpha
  below 1, no blend mode but Normal;
- tagged: /MarkInfo /Marked true, /Lang, /ViewerPreferences
  /DisplayDocTitle true, a /StructTreeRoot with a /ParentTree, /Tabs /S
  and /StructParents on every page, and every MCID of every page found in
  the parent tree.
"""

import re
import sys
import xml.etree.ElementTree as ET
from datetime import datetime

import pikepdf

sys.path.insert(0, __import__("os").path.dirname(__file__))
import marked_text  # noqa: E402

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}


def info_date_to_xmp(value):
    """D:20240305000000+00'00' -> 2024-03-05T00:00:00+00:00."""
    m = re.fullmatch(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+-])(\d{2})'(\d{2})'?", value)
    if not m:
        return None
    y, mo, d, h, mi, s, sign, tzh, tzm = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{sign}{tzh}:{tzm}"


def xmp_values(xml_bytes):
    root = ET.fromstring(xml_bytes)
    values = {}
    for desc in root.iter(f"{{{NS['rdf']}}}Description"):
        for child in desc:
            tag = child.tag
            lis = child.findall(f".//{{{NS['rdf']}}}li")
            if tag.endswith("}schemas"):
                values["schemas"] = [
                    e.text for e in child.iter(f"{{{NS['pdfaSchema']}}}namespaceURI")
                ]
            elif lis:
                values[tag] = lis[0].text or ""
            else:
                values[tag] = child.text or ""
    return values


def check(path):
    failures = []
    fail = failures.append
    raw = open(path, "rb").read()
    if not re.match(rb"%PDF-1\.[4-7]\r?\n%[\x80-\xff]{4}", raw):
        fail("header: %PDF-1.x must be followed by a comment of four bytes above 127")
    pdf = pikepdf.open(path)
    trailer = pdf.trailer
    if "/ID" not in trailer or len(trailer.ID) != 2:
        fail("trailer: no /ID of two strings")
    if "/Encrypt" in trailer:
        fail("trailer: encrypted")
    root = pdf.Root
    info = pdf.docinfo

    # XMP and Info.
    if "/Metadata" not in root:
        fail("catalog: no /Metadata (XMP)")
    else:
        meta = root.Metadata
        if "/Filter" in meta:
            fail("XMP: compressed; left plain so that any tool reads it")
        try:
            values = xmp_values(meta.read_bytes())
        except ET.ParseError as e:
            fail(f"XMP: does not parse: {e}")
            values = {}
        q = lambda ns, name: values.get(f"{{{NS[ns]}}}{name}")  # noqa: E731
        if q("pdfaid", "part") != "2":
            fail(f"XMP: pdfaid:part is {q('pdfaid', 'part')!r}, not 2")
        if q("pdfaid", "conformance") != "U":
            fail(f"XMP: pdfaid:conformance is {q('pdfaid', 'conformance')!r}, not U")
        if q("pdfuaid", "part") != "1":
            fail(f"XMP: pdfuaid:part is {q('pdfuaid', 'part')!r}, not 1")
        if NS["pdfuaid"] not in values.get("schemas", []):
            fail("XMP: pdfuaid used without a PDF/A extension schema")
        pairs = [
            ("/Title", q("dc", "title"), "dc:title"),
            ("/Author", q("dc", "creator"), "dc:creator"),
            ("/Subject", q("dc", "description"), "dc:description"),
            ("/Creator", q("xmp", "CreatorTool"), "xmp:CreatorTool"),
            ("/Producer", q("pdf", "Producer"), "pdf:Producer"),
        ]
        for key, xmp_value, name in pairs:
            info_value = str(info[key]) if key in info else None
            if info_value != xmp_value:
                fail(f"Info {key} {info_value!r} differs from XMP {name} {xmp_value!r}")
        for key, name in [("/CreationDate", "CreateDate"), ("/ModDate", "ModifyDate")]:
            info_value = info_date_to_xmp(str(info[key])) if key in info else None
            if info_value != q("xmp", name):
                fail(f"Info {key} {info_value!r} differs from XMP xmp:{name} {q('xmp', name)!r}")
        if "/Title" not in info or not str(info.Title).strip():
            fail("Info: no title (PDF/UA shows it)")
        for key in info.keys():
            if key not in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator",
                           "/Producer", "/CreationDate", "/ModDate"):
                fail(f"Info: {key} has no XMP counterpart")

    # Output intent.
    intents = root.get("/OutputIntents", [])
    pdfa = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    if len(pdfa) != 1:
        fail(f"catalog: {len(pdfa)} GTS_PDFA1 output intents, want 1")
    else:
        profile = pdfa[0].get("/DestOutputProfile")
        if profile is None:
            fail("output intent: no /DestOutputProfile")
        else:
            icc = profile.read_bytes()
            if int(profile.get("/N", 0)) != 3:
                fail(f"output intent: /N is {profile.get('/N')}, not 3")
            if icc[36:40] != b"acsp" or icc[16:20] != b"RGB " or int.from_bytes(icc[:4], "big") != len(icc):
                fail("output intent: the profile is no complete ICC RGB profile")
            if icc[12:16] not in (b"mntr", b"prtr"):
                fail(f"output intent: device class {icc[12:16]!r}, want mntr or prtr")

    # Fonts, transparency, tags, per page.
    if root.get("/MarkInfo", {}).get("/Marked") is not True:
        fail("catalog: /MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")):
        fail("catalog: no /Lang")
    if root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        fail("catalog: /ViewerPreferences /DisplayDocTitle is not true")
    struct_root = root.get("/StructTreeRoot")
    parent_tree = {}
    if struct_root is None or "/ParentTree" not in struct_root:
        fail("catalog: no /StructTreeRoot with a /ParentTree")
    else:
        nums = struct_root.ParentTree.get("/Nums", [])
        for i in range(0, len(nums), 2):
            parent_tree[int(nums[i])] = nums[i + 1]
    fonts = {}  # objgen -> (resource name, font, codes shown)
    for n, page in enumerate(pdf.pages, 1):
        if page.obj.get("/Tabs") != "/S":
            fail(f"page {n}: /Tabs is not /S")
        if "/Group" in page.obj and page.obj.Group.get("/S") == "/Transparency":
            fail(f"page {n}: transparency group")
        resources = page.obj.get("/Resources", {})
        names = {}
        for name, font in resources.get("/Font", {}).items():
            fonts.setdefault(font.objgen, (name, font, set()))
            names[name] = font.objgen
        for name, xobject in resources.get("/XObject", {}).items():
            if "/SMask" in xobject:
                fail(f"image {name}: has an /SMask (transparency)")
            if xobject.get("/Group", {}).get("/S") == "/Transparency":
                fail(f"form {name}: transparency group")
        for name, gs in resources.get("/ExtGState", {}).items():
            if gs.get("/SMask", "/None") != "/None":
                fail(f"graphics state {name}: soft mask")
            for alpha in ("/CA", "/ca"):
                if float(gs.get(alpha, 1)) < 1:
                    fail(f"graphics state {name}: {alpha} below 1")
            if gs.get("/BM", "/Normal") not in ("/Normal", "/Compatible"):
                fail(f"graphics state {name}: blend mode {gs.BM}")
        try:
            text = marked_text.read_page(page)
        except ValueError as e:
            fail(f"page {n}: {e}")
            continue
        if text.unmarked:
            fail(f"page {n}: text outside marked content: {text.unmarked[:3]}")
        cmaps = {
            name: marked_text.to_unicode_map(font)
            for name, font in resources.get("/Font", {}).items()
        }
        for font_name, code in text.shown_codes:
            if font_name in names:
                fonts[names[font_name]][2].add(code)
            if code == 0:
                fail(f"page {n}: glyph 0 (.notdef) shown in {font_name}")
            value = cmaps.get(font_name, {}).get(code)
            if not value or value in ("\x00", "\ufeff", "\ufffe"):
                fail(f"page {n}: code {code:04X} of {font_name} has no Unicode value")
        if struct_root is not None:
            index = page.obj.get("/StructParents")
            if index is None:
                fail(f"page {n}: no /StructParents")
            elif text.mcid:
                refs = parent_tree.get(int(index))
                if refs is None or len(refs) < max(text.mcid) + 1:
                    fail(f"page {n}: MCIDs missing from the parent tree")
    for name, font, shown in fonts.values():
        failures.extend(check_font(name, font, shown))
    return failures


def check_font(name, font, shown):
    failures = []
    fail = failures.append
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        fail(f"font {name}: not Type0 with Identity-H")
        return failures
    if "/ToUnicode" not in font:
        fail(f"font {name}: no /ToUnicode")
    cid = font.DescendantFonts[0]
    desc = cid.FontDescriptor
    if "/FontFile2" not in desc:
        fail(f"font {name}: not embedded (no /FontFile2)")
        return failures
    program = desc.FontFile2.read_bytes()
    if cid.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in cid:
        fail(f"font {name}: no /CIDToGIDMap")
    tables = font_tables(program)
    glyphs = int.from_bytes(tables["maxp"][4:6], "big")
    if "/CIDSet" not in desc:
        fail(f"font {name}: no /CIDSet")
    else:
        bits = desc.CIDSet.read_bytes()
        present = {i for i in range(len(bits) * 8) if bits[i // 8] & (0x80 >> (i % 8))}
        if present != set(range(glyphs)):
            fail(f"font {name}: /CIDSet names {len(present)} glyphs, the program has {glyphs}")
    # Widths: /W against hmtx, in thousandths of an em.
    upem = int.from_bytes(tables["head"][18:20], "big")
    metrics = int.from_bytes(tables["hhea"][34:36], "big")
    hmtx = tables["hmtx"]

    def advance(gid):
        i = min(gid, metrics - 1)
        return int.from_bytes(hmtx[4 * i : 4 * i + 2], "big")

    widths = cid.get("/W", [])
    i = 0
    default = float(cid.get("/DW", 1000))
    declared = {}
    while i < len(widths):
        first = int(widths[i])
        if isinstance(widths[i + 1], pikepdf.Array):
            for k, w in enumerate(widths[i + 1]):
                declared[first + k] = float(w)
            i += 2
        else:
            last = int(widths[i + 1])
            for g in range(first, last + 1):
                declared[g] = float(widths[i + 2])
            i += 3
    # The glyphs shown (CID = glyph id, /CIDToGIDMap /Identity); glyphs
    # only composites use are never measured by a viewer.
    for gid in sorted(shown):
        want = advance(gid) * 1000.0 / upem
        got = declared.get(gid, default)
        if abs(got - want) > 1.0:
            fail(f"font {name}: glyph {gid} is {got} wide in /W, {want:.1f} in the program")
            break
    return failures


def font_tables(font):
    count = int.from_bytes(font[4:6], "big")
    out = {}
    for i in range(count):
        rec = font[12 + 16 * i : 28 + 16 * i]
        tag = rec[:4].decode("latin-1")
        off = int.from_bytes(rec[8:12], "big")
        length = int.from_bytes(rec[12:16], "big")
        out[tag] = font[off : off + length]
    return out


if __name__ == "__main__":
    problems = check(sys.argv[1])
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)
