//! What users' tools make of our DOCX files: LibreOffice converts every
//! document in `data/` without error, hyphenates its Russian words, repeats
//! the header row of seed 004 on the table's second page, and the OOXML
//! schema validator (`openxml-audit`, from PyPI) finds no error. The
//! documents are found, not listed, so a new example is checked as soon as
//! it is added. `scripts/test.sh` installs the tools; without them these
//! tests fail rather than pass silently.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every example document, `data/*.toml`: its name (the file's stem) and
/// path, in name order.
fn documents() -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    found.sort();
    // The five seeds and the four examples of issue 11 at least: a broken
    // discovery must not pass by checking nothing.
    assert!(found.len() >= 9, "data/: {found:?}");
    found
}

/// The DOCX of every document, `{name}.docx` in `dir`.
fn build_all(dir: &Path) -> Vec<PathBuf> {
    documents()
        .iter()
        .map(|(name, input)| write_temp(dir, &format!("{name}.docx"), &render(input)))
        .collect()
}

fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{name}` is not installed: run scripts/test.sh, which installs it"
    );
    Command::new(name)
}

#[test]
fn openxml_audit_finds_no_schema_errors() {
    let dir = tempfile::tempdir().unwrap();
    for file in build_all(dir.path()) {
        let out = Command::new("python3")
            .args(["-m", "openxml_audit"])
            .arg(&file)
            .output()
            .expect("python3 runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("Errors: 0"),
            "{} is not schema-valid (is openxml-audit installed? scripts/test.sh installs it):\n{stdout}{}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Text of each page of a PDF, via pdftotext.
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let out = tool("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .map(str::to_owned)
        .collect()
}

/// Converts DOCX files to PDF with LibreOffice, into `dir`.
fn libreoffice_to_pdf(dir: &Path, files: &[PathBuf]) {
    let profile = dir.join("lo-profile");
    let out = tool("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn libreoffice_converts_every_document_and_repeats_the_header_row() {
    let dir = tempfile::tempdir().unwrap();
    let files = build_all(dir.path());
    libreoffice_to_pdf(dir.path(), &files);
    for (name, _) in documents() {
        let pdf = dir.path().join(format!("{name}.pdf"));
        assert!(pdf.is_file(), "LibreOffice did not convert {name}");
        let pages = pdf_pages(&pdf);
        let printed: Vec<&String> = pages.iter().filter(|p| !p.trim().is_empty()).collect();
        assert!(!printed.is_empty(), "{name}: no page");
        if SEEDS.iter().any(|id| name.starts_with(&format!("{id}_"))) {
            assert!(
                printed.len() >= 2,
                "{name}: the seeds are longer than a page"
            );
        }
        // Page 1 has no number; page 2 starts with «2» in the top margin.
        assert!(
            !pages[0]
                .split_whitespace()
                .next()
                .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit())),
            "{name}: a number on page 1:\n{}",
            pages[0]
        );
        if printed.len() >= 2 {
            assert_eq!(
                pages[1].split_whitespace().next(),
                Some("2"),
                "{name}: page 2 number"
            );
        }
    }
    // Seed 004: the appendix (from the page with its label on) spans two
    // pages or more, and its header row is printed at the top of each.
    let seed = seed_input("004");
    let pages = pdf_pages(
        &dir.path()
            .join(seed.with_extension("pdf").file_name().unwrap()),
    );
    let first = pages
        .iter()
        .position(|p| p.contains("Приложение"))
        .expect("appendix label");
    let appendix: Vec<&String> = pages[first..]
        .iter()
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(
        appendix.len() >= 2,
        "the roadmap table should span two pages or more"
    );
    for page in appendix {
        assert!(
            page.contains("Мероприятия") && page.contains("Ответственные"),
            "header row missing on:\n{page}"
        );
    }
}

/// A word as the DOCX holds it: letters, digits and hyphens, nothing around.
fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
}

#[test]
fn libreoffice_hyphenates_the_russian_words_of_our_docx() {
    // Our DOCX asks for automatic hyphenation and names no break point, so
    // LibreOffice hyphenates only when it has a Russian dictionary (Debian
    // `hyphen-ru`). Without one, every line that our PDF ends with a
    // hyphenated word ends elsewhere in LibreOffice's PDF, and tests/pdf.rs
    // `pages_and_lines_equal_libreoffices_pdf_of_our_docx` fails on a
    // difference that says nothing of its cause; this test names it.
    let dir = tempfile::tempdir().unwrap();
    let files = build_all(dir.path());
    libreoffice_to_pdf(dir.path(), &files);
    let mut hyphenated = Vec::new();
    for (id, _) in documents() {
        let docx = std::fs::read(dir.path().join(format!("{id}.docx"))).unwrap();
        let text = docx_text(&docx);
        let words: std::collections::HashSet<&str> = text.split_whitespace().map(bare).collect();
        let pages = pdf_pages(&dir.path().join(format!("{id}.pdf")));
        let lines: Vec<&str> = pages
            .iter()
            .flat_map(|p| p.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        // A line ending in «пред-» followed by one starting with «ставить»
        // where the DOCX has «представить» (and no «пред-ставить»): a break
        // LibreOffice made inside a word.
        for pair in lines.windows(2) {
            let (Some(head), Some(tail)) = (
                pair[0].split_whitespace().next_back(),
                pair[1].split_whitespace().next(),
            ) else {
                continue;
            };
            let Some(head) = head.strip_suffix('-') else {
                continue;
            };
            let (head, tail) = (bare(head), bare(tail));
            let joined = format!("{head}{tail}");
            if head.chars().next_back().is_some_and(|c| c.is_alphabetic())
                && tail.chars().next().is_some_and(|c| c.is_lowercase())
                && words.contains(joined.as_str())
                && !words.contains(format!("{head}-{tail}").as_str())
            {
                hyphenated.push(format!("{id}: {head}-/{tail}"));
            }
        }
    }
    assert!(
        !hyphenated.is_empty(),
        "LibreOffice hyphenated no word of the documents in data/: it has no Russian \
         hyphenation dictionary. Install Debian's hyphen-ru (scripts/test.sh does)."
    );
}
