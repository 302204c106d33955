//! Publishing from the command line: `--format html` writes a page per
//! document and the folder's `index.html`; `--pdfa` writes archival PDFs.
//! (The pages' accessibility and escaping are tests/html.rs', PDF/A's
//! checks tests/pdfa.rs'.)

mod common;
use common::*;

use std::path::Path;

/// Every data/ document's file stem.
fn stems() -> Vec<String> {
    example_documents()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn build(dir: &Path, extra: &[&str]) -> String {
    let data = root().join("data");
    let mut args = vec!["build", data.to_str().unwrap(), "-o", "out"];
    args.extend_from_slice(extra);
    let out = gostdoc(dir, &args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    text
}

#[test]
fn the_site_lists_every_document_and_links_only_files_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), &["--format", "html"]);
    let out = dir.path().join("out");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let stems = stems();
    assert!(stems.len() >= 12, "{stems:?}");
    for stem in &stems {
        assert!(out.join(format!("{stem}.html")).is_file(), "{stem}");
        assert!(index.contains(&format!("href=\"{stem}.html\"")), "{stem}");
        // Only HTML was built: no link to a PDF or DOCX that is not there.
        assert!(!index.contains(&format!("href=\"{stem}.pdf\"")), "{stem}");
    }
    // The titles and the years, newest first.
    assert!(index.contains("О проведении субботника"), "{index}");
    let (y2024, y2021) = (
        index.find("id=\"y2024\"").unwrap(),
        index.find("id=\"y2021\"").unwrap(),
    );
    assert!(y2024 < y2021);

    // Adding PDF links the PDFs; a no-op rebuild leaves the index alone.
    build(dir.path(), &["--format", "html,pdf"]);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for stem in &stems {
        assert!(index.contains(&format!("href=\"{stem}.pdf\"")), "{stem}");
    }
    let before = std::fs::metadata(out.join("index.html"))
        .unwrap()
        .modified()
        .unwrap();
    let said = build(dir.path(), &["--format", "html,pdf"]);
    assert!(said.contains("собрано: 0"), "{said}");
    let after = std::fs::metadata(out.join("index.html"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after, "an unchanged index is not rewritten");
}

#[test]
fn pdfa_is_asked_for_by_a_flag_and_rebuilds_what_was_plain() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("out/004_slavsk_postanovlenie_227.pdf");
    build(dir.path(), &["--format", "pdf"]);
    let plain = std::fs::read(&pdf).unwrap();
    assert!(!contains(&plain, b"pdfaid:part"));
    // The option is part of what the outputs were built with: switching
    // it on rebuilds every document, and off again too.
    let said = build(dir.path(), &["--format", "pdf", "--pdfa"]);
    assert!(
        said.contains(&format!("собрано: {}", stems().len())),
        "{said}"
    );
    let archival = std::fs::read(&pdf).unwrap();
    assert!(contains(&archival, b"pdfaid:part"));
    assert!(tagged(&pdf));
    build(dir.path(), &["--format", "pdf"]);
    assert_eq!(std::fs::read(&pdf).unwrap(), plain);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_document_asks_for_its_web_page_and_pdfa_in_its_options() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let source = std::fs::read_to_string(root().join("data/005_zarechny_rasporyazhenie_45r.toml"))
        .unwrap()
        .replace("profile = \"profiles/", "profile = \"../profiles/");
    copy_example_profiles(dir.path());
    assert!(source.contains("[options]\n"));
    write_temp(&data, "plain.toml", source.as_bytes());
    write_temp(
        &data,
        "published.toml",
        source
            .replacen("[options]\n", "[options]\nhtml = true\npdfa = true\n", 1)
            .as_bytes(),
    );
    let run = |args: &[&str]| {
        let mut all = vec!["build", "data", "-o", "out"];
        all.extend_from_slice(args);
        gostdoc_ok(dir.path(), &all);
    };
    run(&[]);
    let out = dir.path().join("out");
    assert!(out.join("published.html").is_file());
    assert!(!out.join("plain.html").exists());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("href=\"published.html\""), "{index}");
    assert!(index.contains("href=\"plain.pdf\""), "{index}");
    assert!(contains(
        &std::fs::read(out.join("published.pdf")).unwrap(),
        b"pdfaid:part"
    ));
    assert!(!contains(
        &std::fs::read(out.join("plain.pdf")).unwrap(),
        b"pdfaid:part"
    ));
    // --format decides alone: no web page for anyone.
    let empty = tempfile::tempdir().unwrap();
    let mut all = vec!["build", "data", "-o"];
    let target = empty.path().join("o");
    all.push(target.to_str().unwrap());
    all.extend_from_slice(&["--format", "docx"]);
    assert!(gostdoc(dir.path(), &all).status.success());
    assert!(!target.join("published.html").exists());
    assert!(!target.join("index.html").exists());
}

fn tagged(pdf: &Path) -> bool {
    let info = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .unwrap();
    String::from_utf8_lossy(&info.stdout)
        .lines()
        .any(|l| l.starts_with("Tagged:") && l.trim_end().ends_with("yes"))
}

#[test]
fn an_extract_is_pdfa_by_the_flag_or_by_its_protocols_options() {
    let dir = tempfile::tempdir().unwrap();
    let source =
        std::fs::read_to_string(root().join("data/000_elnya_rabochee_soveshchanie.toml")).unwrap();
    assert!(source.contains("[options]\n"));
    copy_example_profiles(dir.path());
    let plain = write_temp(dir.path(), "plain.toml", source.as_bytes());
    let archived = write_temp(
        dir.path(),
        "archived.toml",
        source
            .replacen("[options]\n", "[options]\npdfa = true\n", 1)
            .as_bytes(),
    );
    let extract = |file: &Path, out: &str, extra: &[&str]| {
        let mut args = vec![
            "extract",
            file.to_str().unwrap(),
            "--item",
            "1",
            "-o",
            out,
            "--format",
            "pdf",
        ];
        args.extend_from_slice(extra);
        gostdoc_ok(dir.path(), &args);
    };
    extract(&plain, "a", &[]);
    extract(&plain, "b", &["--pdfa"]);
    extract(&archived, "c", &[]);
    let pdf = |out: &str, stem: &str| dir.path().join(out).join(format!("{stem}_vypiska_1.pdf"));
    assert!(!tagged(&pdf("a", "plain")));
    assert!(tagged(&pdf("b", "plain")));
    assert!(tagged(&pdf("c", "archived")));
}

/// A 16×16 PNG whose left half is transparent.
fn half_transparent_png() -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, 16, 16);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..16 * 16)
        .flat_map(|i| [30, 60, 200, if i % 16 < 8 { 0 } else { 255 }])
        .collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    bytes
}

/// The PDF's objects, uncompressed (`qpdf --qdf`), as text.
fn uncompressed(pdf: &Path) -> String {
    let out = std::process::Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_transparent_coat_of_arms_is_laid_on_white_in_pdfa() {
    let dir = tempfile::tempdir().unwrap();
    copy_example_profiles(dir.path());
    write_temp(
        &dir.path().join("profiles"),
        "zarechny_gerb.png",
        &half_transparent_png(),
    );
    let source = std::fs::read_to_string(root().join("data/005_zarechny_rasporyazhenie_45r.toml"))
        .unwrap()
        .replace("profile = \"profiles/", "profile = \"../profiles/");
    write_temp(&dir.path().join("data"), "act.toml", source.as_bytes());
    for (out, extra) in [("plain", None), ("archival", Some("--pdfa"))] {
        let mut args = vec!["build", "data", "-o", out, "--format", "pdf"];
        args.extend(extra);
        gostdoc_ok(dir.path(), &args);
    }
    let plain = uncompressed(&dir.path().join("plain/act.pdf"));
    let archival = uncompressed(&dir.path().join("archival/act.pdf"));
    assert!(
        plain.contains("/SMask"),
        "the plain PDF keeps the transparency"
    );
    assert!(!archival.contains("/SMask"), "PDF/A has no soft mask");
    assert!(archival.contains("/Subtype /Image"));
}

#[test]
fn a_sign_missing_from_the_font_is_said_to_break_pdfa() {
    let dir = tempfile::tempdir().unwrap();
    copy_example_profiles(dir.path());
    let source = std::fs::read_to_string(root().join("data/000_elnya_rabochee_soveshchanie.toml"))
        .unwrap()
        .replacen("Утвердить отчет", "Утвердить \u{2603} отчет", 1);
    assert!(source.contains('\u{2603}'));
    write_temp(dir.path(), "doc.toml", source.as_bytes());
    let said = |extra: &[&str]| {
        let mut args = vec![
            "build", "doc.toml", "-o", "out", "--format", "pdf", "--force",
        ];
        args.extend_from_slice(extra);
        let run = gostdoc_ok(dir.path(), &args);
        String::from_utf8_lossy(&run.stderr).into_owned()
    };
    let plain = said(&[]);
    assert!(
        plain.contains("символ «☃» (U+2603) отсутствует в шрифте"),
        "{plain}"
    );
    assert!(!plain.contains("PDF/A"), "{plain}");
    let archival = said(&["--pdfa"]);
    assert!(
        archival.contains("иначе файл не соответствует PDF/A"),
        "{archival}"
    );
}
