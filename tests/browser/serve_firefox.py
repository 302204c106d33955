#!/usr/bin/env python3
"""`gostdoc serve` in Firefox: Debian's firefox-esr, headless, driven
through WebDriver by geckodriver (built from crates.io by scripts/test.sh)
and Selenium. Nothing is downloaded: both paths are given, so Selenium
Manager is never asked.

    python3 tests/browser/serve_firefox.py GOSTDOC_BINARY DATA_FOLDER

DATA_FOLDER is a copy of data/ the test may change. The script starts
`gostdoc serve DATA_FOLDER --port 0`, then, as a secretary would: opens
the list and a protocol, checks that Tab leaves the editor, types an
impossible date with the keyboard and sees the error under its line,
types the right date and sees the preview's text change, types a note in
Russian, saves with the button and finds both on disk, adds a decision
point with the form (its text typed into the form) and saves it with
Ctrl+S. Exit status 0 when all holds and the page's scripts threw
nothing; the last line says how long Firefox took.
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.firefox.options import Options
from selenium.webdriver.firefox.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from gostdoc_server import start_server

FIREFOX = "/usr/bin/firefox-esr"
SEED_PROTOCOL = "000_elnya_rabochee_soveshchanie.toml"
TIMEOUT_S = 20


def geckodriver():
    found = shutil.which("geckodriver") or str(Path.home() / ".cargo/bin/geckodriver")
    if not Path(found).is_file():
        raise SystemExit("geckodriver not found: scripts/test.sh installs it "
                         "(cargo install --locked geckodriver)")
    return found


def firefox(log):
    options = Options()
    options.binary_location = FIREFOX
    options.add_argument("-headless")
    service = Service(executable_path=geckodriver(), log_output=log)
    driver = webdriver.Firefox(options=options, service=service)
    # Both panes side by side, as on an office monitor.
    driver.set_window_size(1400, 1000)
    return driver


def page_errors(log, base):
    """Uncaught errors of our pages: Firefox writes each to its output,
    which geckodriver keeps in its log, with the script's address."""
    with open(log, encoding="utf-8", errors="replace") as lines:
        return [line.strip() for line in lines if line.startswith(f"JavaScript error: {base}")]


def wait_for(driver, script, what):
    """Waits until `script` (a JS expression) is true; `what` names it in the failure."""
    try:
        WebDriverWait(driver, TIMEOUT_S, poll_frequency=0.05).until(
            lambda d: d.execute_script(f"return !!({script});"))
    except Exception as error:
        raise AssertionError(f"Firefox: waited {TIMEOUT_S} s for {what}: {script}") from error


def cm(driver, script, *args):
    """Runs `script` with the CodeMirror instance as `cm` and the arguments as `args`."""
    return driver.execute_script(
        f"const cm = window.gostdocEditor.cm; const args = arguments; {script}", *args)


def keys(driver, *sequence):
    """Real key events to the focused element, as a keyboard sends them."""
    ActionChains(driver).send_keys(*sequence).perform()


def ctrl(driver, key):
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(key).key_up(Keys.CONTROL).perform()


def previews(driver):
    return driver.execute_script("return window.gostdocEditor.stats.previews;")


def svg_text(driver):
    """The text of the preview's SVG pages, without the spaces between runs."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#preview svg text'))"
        ".map(t => t.textContent).join('');").replace(" ", "")


def status(driver):
    return driver.find_element(By.ID, "status").text


def secretary(driver, base, data):
    # The list shows the documents; a click opens the editor.
    driver.get(base)
    driver.find_element(By.LINK_TEXT, SEED_PROTOCOL).click()
    wait_for(driver, "window.gostdocEditor && window.gostdocEditor.stats.previews >= 1",
             "the first preview")
    assert driver.find_elements(By.CSS_SELECTOR, "#preview svg.page"), "no SVG page in the preview"
    assert not driver.find_elements(By.CSS_SELECTOR, ".diagnostic-widget.error")

    # Tab leaves the editor for the next control; no tab character typed.
    cm(driver, "cm.focus(); cm.setCursor({line: 0, ch: 0});")
    before = cm(driver, "return cm.getValue();")
    keys(driver, Keys.TAB)
    assert cm(driver, "return cm.getValue();") == before, "Tab was typed into the text"
    assert not driver.execute_script("return !!document.activeElement.closest('.CodeMirror');"), \
        "Tab stayed in the editor"

    # An impossible date, typed key by key: the error at its line.
    date_line = cm(driver, """
        for (let i = 0; i <= cm.lastLine(); i++) if (cm.getLine(i).startsWith('date = ')) return i;
        return -1;""")
    assert date_line > 0
    start, end = len("date = "), len("date = 2021-06-24")
    cm(driver, "cm.focus(); cm.setSelection({line: args[0], ch: args[1]}, {line: args[0], ch: args[2]});",
       date_line, start, end)
    keys(driver, "2021-13-24")
    assert cm(driver, "return cm.getLine(args[0]);", date_line) == "date = 2021-13-24", \
        cm(driver, "return cm.getLine(args[0]);", date_line)
    widget = f".diagnostic-widget.error[data-line='{date_line + 1}']"
    wait_for(driver, f"document.querySelector(\"{widget}\")", "the error under the date's line")
    message = driver.find_element(By.CSS_SELECTOR, widget).text
    assert "Ошибка" in message, message
    assert cm(driver, "return (cm.lineInfo(args[0]).widgets || []).length;", date_line) == 1
    assert driver.find_elements(By.CSS_SELECTOR, "#preview.stale"), "the preview is not dimmed"
    before = svg_text(driver)
    assert "24.06.2021" in before or "24июня2021" in before, before[:300]
    assert status(driver) == "Есть несохранённые изменения", status(driver)

    # Fixed, again from the keyboard (Backspace over the month, then the
    # day): the error goes and the preview's SVG shows the new date.
    shown = previews(driver)
    cm(driver, "cm.focus(); cm.setCursor({line: args[0], ch: args[1]});", date_line, len("date = 2021-13"))
    keys(driver, Keys.BACKSPACE, Keys.BACKSPACE, "06", Keys.END, Keys.BACKSPACE, "5")
    assert cm(driver, "return cm.getLine(args[0]);", date_line) == "date = 2021-06-25", \
        cm(driver, "return cm.getLine(args[0]);", date_line)
    wait_for(driver, f"window.gostdocEditor.stats.previews > {shown}", "the new preview")
    assert not driver.find_elements(By.CSS_SELECTOR, ".diagnostic-widget.error")
    assert not driver.find_elements(By.CSS_SELECTOR, "#preview.stale")
    after = svg_text(driver)
    assert after != before
    assert "25.06.2021" in after or "25июня2021" in after, after[:300]

    # A note in Russian at the end, typed; «Сохранить»: the file on disk
    # has the new date and the note.
    cm(driver, "cm.focus(); cm.setCursor({line: cm.lastLine(), ch: 0});")
    keys(driver, "# Дата исправлена «по журналу»", Keys.ENTER)
    assert "\n# Дата исправлена «по журналу»\n" in cm(driver, "return cm.getValue();")
    driver.find_element(By.ID, "save").click()
    wait_for(driver, "document.getElementById('status').textContent.startsWith('Сохранено')",
             "«Сохранено» after the button")
    on_disk = (data / SEED_PROTOCOL).read_text(encoding="utf-8")
    assert "date = 2021-06-25" in on_disk
    assert on_disk.endswith("\n# Дата исправлена «по журналу»\n"), on_disk[-200:]

    # The form adds a decision point; its text typed into the form.
    shown = previews(driver)
    driver.find_element(By.XPATH, "//summary[.='Пункт решения (протокол)']").click()
    form = driver.find_element(By.CSS_SELECTOR, "form[data-form='decision_point']")
    form.find_element(By.NAME, "text").send_keys("Подготовить «сводный» отчёт")
    form.find_element(By.NAME, "deadline").send_keys("до 01.09.2025")
    form.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
    wait_for(driver, f"window.gostdocEditor.stats.previews > {shown} && "
             "document.getElementById('preview').textContent.includes('«сводный»')",
             "the decision point in the preview")
    text = cm(driver, "return cm.getValue();")
    assert '[[decision.point]]\ntext = "Подготовить «сводный» отчёт"' in text, text[-400:]
    assert "Добавлено в текст" in driver.find_element(By.ID, "form-status").text
    # Ctrl+S from the page, not Firefox's «Save page as».
    ctrl(driver, "s")
    wait_for(driver, "document.getElementById('status').textContent.startsWith('Сохранено')",
             "«Сохранено» after Ctrl+S")
    on_disk = (data / SEED_PROTOCOL).read_text(encoding="utf-8")
    assert "«сводный»" in on_disk and "до 01.09.2025" in on_disk, on_disk[-400:]
    assert driver.execute_script("return window.gostdocEditor.cm.getValue();") == on_disk.replace("\r\n", "\n")


def main():
    binary, data = sys.argv[1], Path(sys.argv[2])
    started = time.monotonic()
    server, base = start_server(binary, data)
    with tempfile.TemporaryDirectory() as scratch:
        log = os.path.join(scratch, "geckodriver.log")
        driver = None
        try:
            driver = firefox(log)
            launched = time.monotonic()
            version = driver.capabilities.get("browserVersion", "?")
            secretary(driver, base, data)
            done = time.monotonic()
        finally:
            if driver is not None:
                driver.quit()
            server.terminate()
            server.wait(timeout=10)
        # After quit: by then Firefox has written all it had to the log.
        errors = page_errors(log, base)
        assert not errors, "errors in the page's scripts:\n" + "\n".join(errors)
    print(f"firefox {version}: functional: ok")
    print(f"firefox: launch {launched - started:.1f} s, "
          f"secretary {done - launched:.1f} s, total {done - started:.1f} s")


if __name__ == "__main__":
    main()
