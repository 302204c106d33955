//! `gostdoc register`: the journal of documents on data/, as a secretary
//! checks it against the signed documents and the output folder.

mod common;
use common::*;

#[test]
fn csv_has_the_header_and_a_row_per_document() {
    let out = gostdoc(&root(), &["register", "data", "--format", "csv"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "файл,вид,номер,дата,заголовок,подписал,файлы");
    assert_eq!(
        lines[1],
        "data/000_elnya_rabochee_soveshchanie.toml,протокол,,24.06.2021,рабочего совещания,\
         Е.П. Николаенкова,output/000_elnya_rabochee_soveshchanie.docx; \
         output/000_elnya_rabochee_soveshchanie.pdf"
    );
    let seeds = std::fs::read_dir(root().join("data"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .count();
    assert_eq!(lines.len(), seeds + 1, "{text}");
}

#[test]
fn xlsx_needs_an_output_file() {
    let out = gostdoc(&root(), &["register", "data", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output"));
}
