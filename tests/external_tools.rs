//! What users' tools make of our DOCX files: LibreOffice converts each seed
//! without error, hyphenates its Russian words, repeats the header row of
//! seed 004 on the table's second page, and the OOXML schema validator
//! (`openxml-audit`, from PyPI) finds no error. `scripts/test.sh` installs
//! them all; without them these tests fail rather than pass silently.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

fn build_all(dir: &Path) -> Vec<std::path::PathBuf> {
    SEEDS
        .iter()
        .map(|id| write_temp(dir, &format!("{id}.docx"), &render(&seed_input(id))))
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
fn libreoffice_to_pdf(dir: &Path, files: &[std::path::PathBuf]) {
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
fn libreoffice_converts_every_seed_and_repeats_the_header_row() {
    let dir = tempfile::tempdir().unwrap();
    let files = build_all(dir.path());
    libreoffice_to_pdf(dir.path(), &files);
    for id in SEEDS {
        let pdf = dir.path().join(format!("{id}.pdf"));
        assert!(pdf.is_file(), "LibreOffice did not convert seed {id}");
        let pages = pdf_pages(&pdf);
        assert!(
            pages.iter().filter(|p| !p.trim().is_empty()).count() >= 2,
            "seed {id}"
        );
        // Page 1 has no number; page 2 starts with «2» in the top margin.
        assert_eq!(
            pages[1].split_whitespace().next(),
            Some("2"),
            "seed {id}: page 2 number"
        );
    }
    // Seed 004: the appendix (from the page with its label on) spans two
    // pages or more, and its header row is printed at the top of each.
    let pages = pdf_pages(&dir.path().join("004.pdf"));
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
    for id in SEEDS {
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
                hyphenated.push(format!("seed {id}: {head}-/{tail}"));
            }
        }
    }
    assert!(
        !hyphenated.is_empty(),
        "LibreOffice hyphenated no word of the five seeds: it has no Russian \
         hyphenation dictionary. Install Debian's hyphen-ru (scripts/test.sh does)."
    );
}
