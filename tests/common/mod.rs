//! The test harness: builds fixtures through the library and reads the
//! DOCX back the way a user's tools would (mdBook's `BookTest`).
#![allow(dead_code)]

pub mod lo;

use gostdoc::build;
use gostdoc::template::Templates;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The five seed ids.
pub const SEEDS: [&str; 5] = ["000", "001", "002", "003", "004"];

/// `data/NNN_*.toml` of a seed.
pub fn seed_input(id: &str) -> PathBuf {
    find_prefixed(&root().join("data"), id, "toml")
}

/// The seed's original text, `tests/fixtures/seeds/NNN_*.txt`.
pub fn seed_text(id: &str) -> String {
    std::fs::read_to_string(find_prefixed(
        &root().join("tests/fixtures/seeds"),
        id,
        "txt",
    ))
    .unwrap()
}

fn find_prefixed(dir: &Path, id: &str, ext: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == ext)
                && p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&format!("{id}_"))
        })
        .collect();
    found.sort();
    assert_eq!(
        found.len(),
        1,
        "expected one {id}_*.{ext} in {}",
        dir.display()
    );
    found.remove(0)
}

/// The built-in templates.
pub fn templates() -> Templates {
    Templates::load(None).expect("built-in templates load")
}

/// Renders one input to DOCX bytes, panicking with the diagnostics.
pub fn render(input: &Path) -> Vec<u8> {
    match build::render(input, &templates()) {
        Ok((_, bytes)) => bytes,
        Err(d) => panic!("{} did not build:\n{d}", input.display()),
    }
}

/// A part of a DOCX package as text.
pub fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

/// The text of `word/document.xml`, one paragraph a line; tabs become
/// spaces. This is what Word shows, read back from the file itself.
pub fn docx_text(docx: &[u8]) -> String {
    let xml = part(docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let mut out = String::new();
    for p in doc.descendants().filter(|n| n.has_tag_name("p")) {
        // A text box's paragraphs (the electronic-signature mark) are
        // paragraphs of their own, after the one that anchors them.
        let own =
            |n: &roxmltree::Node| n.ancestors().skip(1).find(|a| a.has_tag_name("p")) == Some(p);
        for n in p.descendants().filter(own) {
            match n.tag_name().name() {
                "t" => out.push_str(n.text().unwrap_or_default()),
                "tab" if n.parent().is_some_and(|p| p.has_tag_name("r")) => out.push(' '),
                "br" => out.push(' '),
                _ => {}
            }
        }
        out.push('\n');
    }
    out
}

/// Writes bytes to a fresh temporary folder and returns the file path.
pub fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Every example document, `data/*.toml`, in name order; at least the
/// five seeds and the examples of later issues, so that a broken
/// discovery never passes by checking nothing.
pub fn example_documents() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    found.sort();
    assert!(found.len() >= 9, "data/: {found:?}");
    found
}

/// Copies the example profiles (and their pictures) into `dir/profiles`,
/// for a document written to `dir` or `dir/data` that names them.
pub fn copy_example_profiles(dir: &Path) {
    for entry in std::fs::read_dir(root().join("data/profiles")).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        write_temp(&dir.join("profiles"), &name, &std::fs::read(&p).unwrap());
    }
}

/// Runs the `gostdoc` binary with arguments in a folder.
pub fn gostdoc(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gostdoc"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Runs the `gostdoc` binary in a folder and asserts that it succeeded,
/// showing its messages when it did not.
pub fn gostdoc_ok(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = gostdoc(dir, args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
