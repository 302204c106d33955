//! The bytes of every example's outputs, as one line per file: size and
//! XXH3-64. Speed work must keep the files byte-identical, or change this
//! snapshot in the same commit and say why (issue 16): a change of bytes
//! is then visible in review instead of passing unnoticed. The DOCX, the
//! PDF, the PDF/A PDF and the web page of each document of `data/`.

mod common;
use common::*;

/// One line per output file of `data/` built with `args`.
fn digests(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for doc in example_documents() {
        write_temp(
            &data,
            doc.file_name().unwrap().to_str().unwrap(),
            &std::fs::read(&doc).unwrap(),
        );
    }
    copy_example_profiles(&data);
    let mut all = vec!["build", "--force", "data", "--output", "out"];
    all.extend_from_slice(args);
    gostdoc_ok(dir.path(), &all);
    let mut files: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "docx" || e == "pdf" || e == "html")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 13, "{files:?}");
    files
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            format!(
                "{:<48} {:>7} {:016x}",
                p.file_name().unwrap().to_string_lossy(),
                bytes.len(),
                xxhash_rust::xxh3::xxh3_64(&bytes)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn docx_pdf_and_html_bytes_of_the_examples() {
    insta::assert_snapshot!(digests(&["--format", "docx,pdf,html"]));
}

#[test]
fn pdfa_bytes_of_the_examples() {
    insta::assert_snapshot!(digests(&["--format", "pdf", "--pdfa"]));
}
