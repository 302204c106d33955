#!/usr/bin/env python3
"""`gostdoc serve` in a real browser: Debian's Chromium, headless, driven
by Playwright (no browser download: executable_path=/usr/bin/chromium).

    python3 tests/browser/serve_test.py GOSTDOC_BINARY DATA_FOLDER

DATA_FOLDER is a copy of data/ the test may change. The script starts
`gostdoc serve DATA_FOLDER --port 0`, then, as a secretary would:
opens the list and a protocol, types an error and sees it at its line,
fixes it and sees the preview change, saves with Ctrl+S and finds the
text on disk, meets a conflict when the file changed on disk, adds a
decision point with the form; and measures the preview's latency (from
the last keystroke to the new pages in the page) on seeds 000 and 004,
20 edits each, printing the medians. Exit status 0 when all holds.
"""

import json
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from gostdoc_server import start_server

CHROMIUM = "/usr/bin/chromium"
SEED_PROTOCOL = "000_elnya_rabochee_soveshchanie.toml"
LATENCY_SEEDS = [SEED_PROTOCOL, "004_slavsk_postanovlenie_227.toml"]
EDITS = 20
TIMEOUT_MS = 15000


def editor_of(page, base, name):
    page.goto(f"{base}edit?doc={name}")
    page.wait_for_function("window.gostdocEditor && window.gostdocEditor.stats.previews >= 1",
                           timeout=TIMEOUT_MS)


def cm(page, script, *args):
    """Runs `script` with the CodeMirror instance as `cm`."""
    return page.evaluate(f"(args) => {{ const cm = window.gostdocEditor.cm; {script} }}", list(args))


def line_of(page, prefix, but_not=None):
    """The first line starting with `prefix` (and not with `but_not`)."""
    return cm(page, """
        for (let i = 0; i <= cm.lastLine(); i++) {
            const line = cm.getLine(i);
            if (line.startsWith(args[0]) && !(args[1] && line.startsWith(args[1]))) return i;
        }
        return -1;""", prefix, but_not)


def select(page, line, start, end):
    cm(page, "cm.focus(); cm.setSelection({line: args[0], ch: args[1]}, {line: args[0], ch: args[2]});",
       line, start, end)


def preview_text(page):
    return page.evaluate("document.getElementById('preview').textContent").replace(" ", "")


def functional(page, base, data):
    # The list shows the documents; a click opens the editor.
    page.goto(base)
    # One folder: no folder to choose when creating a document.
    assert not page.get_by_label("Папка").is_visible()
    page.get_by_role("link", name=SEED_PROTOCOL).click()
    page.wait_for_function("window.gostdocEditor && window.gostdocEditor.stats.previews >= 1",
                           timeout=TIMEOUT_MS)
    assert "Ошибок и предупреждений нет" in page.inner_text("#problems") or \
        page.locator("#problems li.error").count() == 0

    # Keyboard: Tab leaves the editor for the next control; it is not
    # swallowed as a tab character.
    cm(page, "cm.focus(); cm.setCursor({line: 0, ch: 0});")
    before_tab = cm(page, "return cm.getValue();")
    page.keyboard.press("Tab")
    assert cm(page, "return cm.getValue();") == before_tab
    assert not page.evaluate("!!document.activeElement.closest('.CodeMirror')")

    # An impossible date: the error at its line, in Russian.
    date_line = line_of(page, "date = ")
    assert date_line > 0
    select(page, date_line, len("date = "), len("date = 2021-06-24"))
    page.keyboard.type("2021-13-24")
    widget = page.locator(f".diagnostic-widget.error[data-line='{date_line + 1}']")
    widget.wait_for(timeout=TIMEOUT_MS)
    message = widget.inner_text()
    assert "Ошибка" in message, message
    # The widget sits under that line of the editor.
    assert cm(page, "return (cm.lineInfo(args[0]).widgets || []).length;", date_line) == 1
    assert page.locator("#preview.stale").count() == 1
    before = preview_text(page)
    assert "24.06.2021" in before or "24июня2021" in before, before[:300]

    # Fixed: the error goes, the preview shows the new date.
    previews = page.evaluate("window.gostdocEditor.stats.previews")
    select(page, date_line, len("date = "), len("date = 2021-13-24"))
    page.keyboard.type("2021-06-25")
    page.wait_for_function(f"window.gostdocEditor.stats.previews > {previews}", timeout=TIMEOUT_MS)
    assert page.locator(".diagnostic-widget.error").count() == 0
    after = preview_text(page)
    assert "25.06.2021" in after or "25июня2021" in after, after[:300]
    assert page.locator("#preview.stale").count() == 0

    # Ctrl+S saves; the file on disk has the new date.
    page.keyboard.press("Control+s")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Сохранено')",
                           timeout=TIMEOUT_MS)
    on_disk = (data / SEED_PROTOCOL).read_text(encoding="utf-8")
    assert "date = 2021-06-25" in on_disk

    # Changed on disk meanwhile: the save is refused, nothing is lost.
    (data / SEED_PROTOCOL).write_text(on_disk + "# правка в Блокноте\n", encoding="utf-8")
    cm(page, "cm.focus(); cm.setCursor({line: cm.lastLine(), ch: 0});")
    page.keyboard.type("# моя правка\n")
    page.get_by_role("button", name="Сохранить").click()
    page.locator("#conflict").wait_for(state="visible", timeout=TIMEOUT_MS)
    assert "изменён на диске" in page.inner_text("#conflict-text")
    assert (data / SEED_PROTOCOL).read_text(encoding="utf-8").endswith("# правка в Блокноте\n")
    page.get_by_role("button", name="Загрузить версию с диска").click()
    page.wait_for_function("window.gostdocEditor.cm.getValue().includes('правка в Блокноте')",
                           timeout=TIMEOUT_MS)
    assert "# моя правка" in page.input_value("#conflict-mine-text")

    # The form adds a decision point without typing TOML.
    previews = page.evaluate("window.gostdocEditor.stats.previews")
    page.get_by_text("Пункт решения (протокол)").click()
    page.get_by_label("Текст пункта").first.fill("Подготовить «сводный» отчёт")
    page.get_by_role("button", name="Добавить пункт решения").click()
    page.wait_for_function(
        f"window.gostdocEditor.stats.previews > {previews} && "
        "document.getElementById('preview').textContent.includes('«сводный»')",
        timeout=TIMEOUT_MS)
    text = cm(page, "return cm.getValue();")
    assert '[[decision.point]]\ntext = "Подготовить «сводный» отчёт"' in text, text[-400:]
    page.keyboard.press("Control+s")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Сохранено')",
                           timeout=TIMEOUT_MS)
    assert "«сводный»" in (data / SEED_PROTOCOL).read_text(encoding="utf-8")
    print("functional: ok")


def latency(page, base, name):
    """Milliseconds from the last keystroke to the new pages, EDITS times."""
    editor_of(page, base, name)
    # A one-line string: a character typed in it keeps the file valid.
    line = line_of(page, 'text = "', 'text = """')
    assert line >= 0, name
    spot = len('text = "')
    times = []
    for i in range(EDITS):
        previews = page.evaluate("window.gostdocEditor.stats.previews")
        cm(page, "cm.focus(); cm.setCursor({line: args[0], ch: args[1]});", line, spot + (i % 2))
        if i % 2 == 0:
            page.keyboard.type("Ы")
        else:
            page.keyboard.press("Backspace")
        page.wait_for_function(f"window.gostdocEditor.stats.previews > {previews}",
                               timeout=TIMEOUT_MS)
        times.append(page.evaluate("window.gostdocEditor.stats.lastLatency"))
        # A pause between edits, as between a secretary's words.
        time.sleep(0.05)
    return times


def main():
    binary, data = sys.argv[1], Path(sys.argv[2])
    server, base = start_server(binary, data)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
            page = browser.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            functional(page, base, data)
            results = {}
            for name in LATENCY_SEEDS:
                times = latency(page, base, name)
                results[name] = {
                    "median_ms": round(statistics.median(times), 1),
                    "max_ms": round(max(times), 1),
                    "all_ms": [round(t, 1) for t in times],
                }
                print(f"latency {name}: median {statistics.median(times):.1f} ms, "
                      f"max {max(times):.1f} ms over {len(times)} edits")
            print("latency: " + json.dumps(results, ensure_ascii=False))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
