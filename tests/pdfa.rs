//! PDF/A-2u with a PDF/UA-1 structure (`--pdfa`): every document of
//! `data/` built with the option passes the checks veraPDF would make that
//! can be made here (veraPDF itself is on none of the registries this
//! project reaches): `qpdf --check`, tests/pdfa/check_pdfa.py with pikepdf
//! (XMP against Info, the output intent and its ICC profile, embedded fonts
//! with CIDSet and widths, no .notdef, no transparency, the catalog's
//! tagged-PDF entries), poppler's `pdfinfo` (tagged, PDF/A and PDF/UA
//! claims seen) and `pdftotext` (letter-spaced words and hyphenated words
//! extract whole). The plain PDF, checked the same way, must fail: the
//! checks can see a file that is not PDF/A.

mod common;
use common::*;
use gostdoc::build::{self, Format};
use gostdoc::pdf::PdfOptions;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every example document, `data/*.toml`.
fn documents() -> Vec<PathBuf> {
    example_documents()
}

fn pdfa_options() -> PdfOptions {
    PdfOptions {
        pdfa: true,
        ..PdfOptions::default()
    }
}

/// The PDF of `input` with the given options.
fn pdf(input: &Path, opts: &PdfOptions) -> Vec<u8> {
    let r = build::render_formats(input, &templates(), &[Format::Pdf], opts)
        .unwrap_or_else(|d| panic!("{d}"));
    r.files.into_iter().next().unwrap().1
}

/// Runs the checker; its failures, one a line (empty when it passes).
fn check_pdfa(file: &Path) -> String {
    let out = Command::new("python3")
        .arg(root().join("tests/pdfa/check_pdfa.py"))
        .arg(file)
        .output()
        .expect("python3 runs (scripts/test.sh installs it and pikepdf)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("Traceback"),
        "check_pdfa.py crashed on {}:\n{stderr}",
        file.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn run(cmd: &str, args: &[&std::ffi::OsStr]) -> (bool, String) {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{cmd}` is not installed ({e}): run scripts/test.sh"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn every_document_built_with_pdfa_passes_the_checks() {
    // Kept after the run, to be opened in a viewer or a validator.
    let dir = root().join("target/pdfa-test");
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for input in documents() {
        let name = input.file_stem().unwrap().to_string_lossy().into_owned();
        let bytes = pdf(&input, &pdfa_options());
        let file = write_temp(&dir, &format!("{name}.pdf"), &bytes);
        let problems = check_pdfa(&file);
        if !problems.is_empty() {
            failures.push(format!("{name}:\n{problems}"));
        }
        let (ok, qpdf) = run("qpdf", &["--check".as_ref(), file.as_os_str()]);
        if !ok || !qpdf.contains("No syntax or stream encoding errors") {
            failures.push(format!("{name}: qpdf --check:\n{qpdf}"));
        }
        let (_, info) = run("pdfinfo", &[file.as_os_str()]);
        let tagged = info
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Tagged:", "yes"]);
        if !tagged {
            failures.push(format!("{name}: pdfinfo does not see it tagged:\n{info}"));
        }
        // poppler reads the claims from the XMP.
        let (_, meta) = run("pdfinfo", &["-meta".as_ref(), file.as_os_str()]);
        if !meta.contains("<pdfaid:part>2</pdfaid:part>") {
            failures.push(format!("{name}: pdfinfo -meta shows no PDF/A-2 claim"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The checker is no rubber stamp: the plain PDF has no XMP, no output
/// intent, no tags, and it says so.
#[test]
fn the_plain_pdf_fails_the_checks() {
    let dir = tempfile::tempdir().unwrap();
    let input = seed_input("000");
    let file = write_temp(
        dir.path(),
        "plain.pdf",
        &pdf(&input, &PdfOptions::default()),
    );
    let problems = check_pdfa(&file);
    for want in [
        "no /Metadata",
        "GTS_PDFA1 output intents",
        "/MarkInfo",
        "no /StructTreeRoot",
        "no /CIDSet",
        "text outside marked content",
    ] {
        assert!(
            problems.contains(want),
            "the plain PDF should fail with «{want}»:\n{problems}"
        );
    }
}

/// The text extracts as it reads: the letter-spaced «п о с т а н о в л
/// я е т» (and «П О С Т А Н О В Л Е Н И Е») are words, and a word the
/// line breaker hyphenated ends its line in a soft hyphen (U+00AD, through
/// /ActualText), which a reader joins, instead of a hyphen-minus; the plain
/// PDF gives letters and hyphen-minuses.
#[test]
fn spaced_and_hyphenated_words_extract_whole() {
    let dir = tempfile::tempdir().unwrap();
    let input = seed_input("004");
    // `-raw`: the content's own order and characters, without poppler's
    // joining of lines that end in a hyphen-minus.
    let text = |opts: &PdfOptions, name: &str| {
        let file = write_temp(dir.path(), name, &pdf(&input, opts));
        let (ok, text) = run(
            "pdftotext",
            &["-raw".as_ref(), file.as_os_str(), "-".as_ref()],
        );
        assert!(ok, "{text}");
        text
    };
    let plain = text(&PdfOptions::default(), "plain.pdf");
    let pdfa = text(&pdfa_options(), "pdfa.pdf");
    assert!(
        !plain.contains("постановляет"),
        "the plain PDF already extracts the spaced word: the test proves nothing"
    );
    assert!(pdfa.contains("постановляет"), "{pdfa}");
    assert!(pdfa.contains("ПОСТАНОВЛЕНИЕ"), "{pdfa}");
    let ending = |t: &str, end: char| {
        t.lines()
            .filter(|l| {
                let mut c = l.trim_end_matches(' ').chars().rev();
                c.next() == Some(end) && c.next().is_some_and(char::is_alphabetic)
            })
            .count()
    };
    let (hyphens, soft) = (ending(&plain, '-'), ending(&pdfa, '\u{ad}'));
    assert!(soft > 0, "no soft hyphen at a line's end:\n{pdfa}");
    // Lines that break at a compound's own hyphen («санитарно-») keep it.
    assert_eq!(ending(&pdfa, '-') + soft, hyphens, "{pdfa}");
}

/// The default PDF is not touched by the option's code: built twice it is
/// the same, and its catalog has none of the PDF/A entries.
#[test]
fn without_the_option_the_pdf_has_no_pdfa_entries() {
    let input = seed_input("000");
    let plain = pdf(&input, &PdfOptions::default());
    assert_eq!(plain, pdf(&input, &PdfOptions::default()));
    let pdfa = pdf(&input, &pdfa_options());
    assert_eq!(pdfa, pdf(&input, &pdfa_options()), "PDF/A is deterministic");
    let catalog_keys = |bytes: &[u8]| {
        let doc = lopdf::Document::load_mem(bytes).unwrap();
        let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
        let catalog = doc.get_dictionary(root).unwrap();
        catalog
            .iter()
            .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
            .collect::<Vec<_>>()
    };
    let keys = catalog_keys(&plain);
    let tagged = catalog_keys(&pdfa);
    for key in ["StructTreeRoot", "OutputIntents", "MarkInfo", "Metadata"] {
        assert!(!keys.iter().any(|k| k == key), "{key} in the plain PDF");
        assert!(tagged.iter().any(|k| k == key), "{key} not in the PDF/A");
    }
}
