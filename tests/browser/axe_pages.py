#!/usr/bin/env python3
"""gostdoc's HTML pages in a real browser: Debian's Chromium, headless,
driven by Playwright (no browser download: executable_path=/usr/bin/chromium),
checked with axe-core against WCAG 2.1 A and AA.

    python3 tests/browser/axe_pages.py AXE_MIN_JS FOLDER [--pdf PAGE OUT.pdf]
                                       [--shot PAGE OUT.png ...]

Opens every FOLDER/*.html from file:// (as a reader of the folder would),
injects axe.min.js, runs axe.run with the tags wcag2a, wcag2aa, wcag21a,
wcag21aa in a window 1280 px wide and again 320 px wide, and prints one
JSON object a line per page: {"page", "violations": [{"id", "width",
"impact", "nodes", "targets"}], "passes", "overflow_320", "scripts",
"handlers", "text", "text_unmarked", "h1", "links_broken"}, where `scripts`
counts <script> elements, `handlers` attributes named on*, `text` is the
textContent of <main> (`text_unmarked` without the electronic-signature
marks and QR codes), `overflow_320` how many pixels the page is wider than
a 320 px window. `links_broken` lists the relative links whose file is missing.
--pdf prints PAGE as Chromium prints it (the page's own @page sizes);
--shot takes a screenshot of PAGE, 1000 px wide, at most 1400 px long.
The Rust test (tests/html.rs) decides what passes; the script fails only
when the browser or axe cannot run.
"""

import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
MAX_SHOT_HEIGHT = 1400
# A desktop window, then a phone's narrowest (WCAG 1.4.10 measures at 320).
WIDTHS = [1280, 320]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Everything but axe's own findings, read from the DOM the browser built.
FACTS = """() => {
    const all = Array.from(document.querySelectorAll('*'));
    const handlers = all.flatMap(e => Array.from(e.attributes)
        .filter(a => a.name.toLowerCase().startsWith('on'))
        .map(a => e.tagName + ' ' + a.name));
    const main = document.querySelector('main');
    const links = Array.from(document.querySelectorAll('a[href]'))
        .map(a => a.href).filter(h => h.startsWith('file:'));
    // The text without the electronic-signature mark and the QR code's
    // link, which the document's plain text leaves out.
    let unmarked = null;
    if (main) {
        const copy = main.cloneNode(true);
        copy.querySelectorAll('.esign, .qr').forEach(e => e.remove());
        unmarked = copy.textContent;
    }
    return {
        scripts: document.querySelectorAll('script').length,
        text_unmarked: unmarked,
        handlers: handlers,
        text: main ? main.textContent : null,
        h1: Array.from(document.querySelectorAll('h1')).map(h => h.textContent),
        links: links,
    };
}"""


def check(page, axe_js, path):
    page.goto(path.resolve().as_uri())
    facts = page.evaluate(FACTS)
    # Injected after the facts are read: axe is our script, not the page's.
    page.add_script_tag(content=axe_js)
    violations = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        result = page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
        violations += [{
            "id": v["id"],
            "width": width,
            "impact": v["impact"],
            "nodes": len(v["nodes"]),
            "targets": [n["target"] for n in v["nodes"]][:5],
        } for v in result["violations"]]
    # WCAG 1.4.10, reflow: at 320 px (the last width) nothing but a
    # table's own scrolling region is wider than the window.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    broken = [h for h in facts.pop("links")
              if not Path(unquote(urlparse(h).path)).exists()]
    return {
        "page": path.name,
        "violations": violations,
        "passes": len(result["passes"]),
        "overflow_320": overflow,
        "links_broken": broken,
        **facts,
    }


def main():
    axe_js = Path(sys.argv[1]).read_text(encoding="utf-8")
    folder = Path(sys.argv[2])
    args = sys.argv[3:]
    pdfs, shots = [], []
    while args:
        flag, name, out = args[:3]
        args = args[3:]
        (pdfs if flag == "--pdf" else shots).append((folder / name, Path(out)))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for path in sorted(folder.glob("*.html")):
            print(json.dumps(check(page, axe_js, path), ensure_ascii=False), flush=True)
        for path, out in pdfs:
            page.goto(path.resolve().as_uri())
            page.pdf(path=str(out), prefer_css_page_size=True, print_background=False)
        shot = browser.new_page(viewport={"width": 1000, "height": 700})
        for path, out in shots:
            shot.goto(path.resolve().as_uri())
            # Trimmed: the top of the page, as much as a README shows.
            height = min(shot.evaluate("document.documentElement.scrollHeight"), MAX_SHOT_HEIGHT)
            shot.screenshot(path=str(out), full_page=True,
                            clip={"x": 0, "y": 0, "width": 1000, "height": height})
        browser.close()


if __name__ == "__main__":
    main()
