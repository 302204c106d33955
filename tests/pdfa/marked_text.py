"""The text of a PDF's marked content, read with pikepdf.

Each page's content stream is interpreted as far as text goes: the font
set by Tf and its /ToUnicode map turn the two-byte codes of Tj/TJ into
characters; a span with /ActualText gives its text instead of the glyphs
inside it; a sequence with an MCID collects into that MCID, an /Artifact
sequence into the page's artifacts. Shared by check_pdfa.py and
struct_text.py.
"""

import re

import pikepdf


def to_unicode_map(font):
    """code -> text of a Type0 font's /ToUnicode CMap (bfchar and bfrange)."""
    out = {}
    if "/ToUnicode" not in font:
        return out
    data = font.ToUnicode.read_bytes().decode("latin-1")

    def text(hexstr):
        b = bytes.fromhex(hexstr)
        return b.decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = text(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, target in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(target, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(start + i)
    return out


def codes(string_bytes):
    """Two-byte codes of an Identity-H string."""
    b = bytes(string_bytes)
    return [int.from_bytes(b[i : i + 2], "big") for i in range(0, len(b) - 1, 2)]


def decode_actual_text(value):
    b = bytes(value)
    if b.startswith(b"\xfe\xff"):
        return b[2:].decode("utf-16-be")
    return b.decode("latin-1")


class PageText:
    """Text of one page: per MCID, the artifacts, and every code shown."""

    def __init__(self):
        self.mcid = {}
        self.artifacts = []
        self.unmarked = []
        self.shown_codes = []  # (font name, code)


def read_page(page):
    fonts = {}
    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    font_dict = resources.get("/Font", pikepdf.Dictionary())
    for name, font in font_dict.items():
        fonts[name] = to_unicode_map(font)
    result = PageText()
    # Stack of open marked-content sequences: (kind, value) where kind is
    # "mcid", "artifact", "actual" or "other".
    stack = []
    current_font = None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            tag = str(operands[0])
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            if isinstance(props, pikepdf.Dictionary) and "/ActualText" in props:
                stack.append(["actual", decode_actual_text(props.ActualText), ""])
            elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                stack.append(["mcid", int(props.MCID), None])
                result.mcid.setdefault(int(props.MCID), "")
            elif tag == "/Artifact":
                stack.append(["artifact", None, None])
            else:
                stack.append(["other", None, None])
        elif op == "EMC":
            if not stack:
                raise ValueError("EMC without BDC/BMC")
            kind, value, _ = stack.pop()
            if kind == "actual":
                emit(result, stack, value)
        elif op == "Tf":
            current_font = str(operands[0])
        elif op in ("Tj", "TJ", "'", '"'):
            strings = []
            if op == "TJ":
                strings = [x for x in operands[0] if isinstance(x, pikepdf.String)]
            else:
                strings = [operands[-1]]
            text = ""
            cmap = fonts.get(current_font, {})
            for s in strings:
                for code in codes(s):
                    result.shown_codes.append((current_font, code))
                    text += cmap.get(code, "\ufffd")
            if any(k == "actual" for k, _, _ in stack):
                continue
            emit(result, stack, text)
    if stack:
        raise ValueError("marked content left open at the end of the page")
    return result


def emit(result, stack, text):
    """Adds text to the innermost MCID or artifact sequence that holds it."""
    for kind, value, _ in reversed(stack):
        if kind == "actual":
            # Inside an outer ActualText: the outer one speaks for it.
            return
        if kind == "mcid":
            result.mcid[value] += text
            return
        if kind == "artifact":
            result.artifacts.append(text)
            return
    result.unmarked.append(text)


def read_pages(pdf):
    return [read_page(p) for p in pdf.pages]
