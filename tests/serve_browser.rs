//! `gostdoc serve` in a real browser: tests/browser/serve_test.py drives
//! Debian's Chromium headless with Playwright against the binary, on a copy
//! of `data/`. It types an error and finds it at its line, fixes it and sees
//! the preview change, saves with Ctrl+S and finds the file on disk, meets
//! a conflict, adds a decision point with the form, and prints the
//! preview's latency on seeds 000 and 004 (median of 20 edits).

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

#[test]
fn the_editor_works_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&common::root().join("data"), &data);
    let script = common::root().join("tests/browser/serve_test.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_gostdoc"))
        .arg(&data)
        .output()
        .expect("python3 runs (scripts/test.sh installs it, with playwright and chromium)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the browser test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("functional: ok"), "{stdout}");
    assert!(stdout.contains("latency 004_"), "{stdout}");
}
