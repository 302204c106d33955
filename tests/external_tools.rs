//! What users' tools make of our DOCX files: LibreOffice converts each seed
//! without error, the header row of seed 004 repeats on the table's second
//! page, and the OOXML schema validator (`openxml-audit`, from PyPI) finds
//! no error. `.ci/run` installs both tools; without them these tests fail
//! rather than pass silently.

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
        "`{name}` is not installed: run .ci/run, or install it as it does"
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

#[test]
fn libreoffice_converts_every_seed_and_repeats_the_header_row() {
    let dir = tempfile::tempdir().unwrap();
    let files = build_all(dir.path());
    let profile = dir.path().join("lo-profile");
    let out = tool("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
