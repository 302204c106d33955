//! `gostdoc serve` in a real browser: tests/browser/serve_test.py drives
//! Debian's Chromium headless with Playwright against the binary, on a copy
//! of `data/`. It types an error and finds it at its line, fixes it and sees
//! the preview change, saves with Ctrl+S and finds the file on disk, meets
//! a conflict, adds a decision point with the form, and prints the
//! preview's latency on seeds 000 and 004 (median of 20 edits).
//! tests/browser/serve_firefox.py does the secretary's part in Debian's
//! Firefox ESR, headless, through geckodriver and Selenium, typing with
//! real key events and failing on any error the page's scripts throw.

mod common;

use std::path::Path;
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs a script of tests/browser/ with the binary and a fresh copy of
/// `data/`, and returns what it printed; fails when the script does.
fn browser_test(script: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&common::root().join("data"), &data);
    let script = common::root().join("tests/browser").join(script);
    let output = Command::new("python3")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_gostdoc"))
        .arg(&data)
        // The scripts import tests/browser/gostdoc_server.py: no
        // __pycache__ left in the work tree.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs (scripts/test.sh installs it and the browsers)");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the browser test {} failed:\n{stdout}\n{stderr}",
        script.display()
    );
    stdout
}

#[test]
fn the_editor_works_in_chromium() {
    let stdout = browser_test("serve_test.py");
    assert!(stdout.contains("functional: ok"), "{stdout}");
    assert!(stdout.contains("latency 004_"), "{stdout}");
}

#[test]
fn the_editor_works_in_firefox() {
    let stdout = browser_test("serve_firefox.py");
    assert!(stdout.contains("functional: ok"), "{stdout}");
}
