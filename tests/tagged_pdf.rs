//! The tagged structure of the PDF/A (`--pdfa`): for every document of
//! `data/`, tests/pdfa/struct_text.py walks the structure tree in order,
//! reads the text of every paragraph, heading, list item, table header
//! and cell from the marked content (by MCID), and finds the same texts
//! in the same order as the DOCX's paragraphs and cells; the page numbers
//! are artifacts. The same walk given the wrong DOCX fails, so the
//! comparison can fail.

mod common;
use common::*;
use gostdoc::build::{self, Format};
use gostdoc::pdf::PdfOptions;
use std::path::{Path, PathBuf};
use std::process::Command;

fn documents() -> Vec<PathBuf> {
    example_documents()
}

/// The DOCX and the tagged PDF of a document, written to `dir`.
fn build_both(input: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let opts = PdfOptions {
        pdfa: true,
        ..PdfOptions::default()
    };
    let r = build::render_formats(input, &templates(), &[Format::Docx, Format::Pdf], &opts)
        .unwrap_or_else(|d| panic!("{d}"));
    let name = input.file_stem().unwrap().to_string_lossy().into_owned();
    let mut files = r.files.into_iter();
    let docx = write_temp(dir, &format!("{name}.docx"), &files.next().unwrap().1);
    let pdf = write_temp(dir, &format!("{name}.pdf"), &files.next().unwrap().1);
    (pdf, docx)
}

/// Runs the comparison: (passed, its report).
fn struct_text(args: &[&std::ffi::OsStr]) -> (bool, String) {
    let out = Command::new("python3")
        .arg(root().join("tests/pdfa/struct_text.py"))
        .args(args)
        .output()
        .expect("python3 runs (scripts/test.sh installs it and pikepdf)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("Traceback"),
        "struct_text.py crashed:\n{stderr}"
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn every_paragraph_item_and_cell_is_in_the_structure_in_reading_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut roles = std::collections::BTreeSet::new();
    for input in documents() {
        let (pdf, docx) = build_both(&input, dir.path());
        let (ok, report) = struct_text(&[pdf.as_os_str(), docx.as_os_str()]);
        if !ok {
            failures.push(format!("{}: {report}", input.display()));
        }
        let json: serde_json::Value = serde_json::from_str(report.trim()).unwrap();
        for role in json["roles"].as_array().unwrap() {
            roles.insert(role.as_str().unwrap().to_string());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // data/ has headings, points, tables with header rows: each kind of
    // element is met at least once, or the walk saw less than it claims.
    for role in ["/H1", "/P", "/LI", "/TH", "/TD"] {
        assert!(roles.contains(role), "no {role} in any document: {roles:?}");
    }
}

/// A wrong expectation is caught: the PDF of one document against the
/// DOCX of another, and the script's own cases (order, a missing block).
#[test]
fn the_comparison_fails_on_a_wrong_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, _) = build_both(&seed_input("000"), dir.path());
    let (_, other_docx) = build_both(&seed_input("001"), dir.path());
    let (ok, report) = struct_text(&[pdf.as_os_str(), other_docx.as_os_str()]);
    assert!(!ok, "the PDF of 000 matched the DOCX of 001: {report}");
    assert!(report.contains("but DOCX «"), "{report}");
    let (ok, report) = struct_text(&["--self-test".as_ref()]);
    assert!(ok, "{report}");
}
