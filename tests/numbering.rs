//! Numbering across a year (issue 14, item 3): `number = "auto"` gets the
//! next number of its series in date order, kept in `data/_номера.toml`
//! next to the documents; `check` warns of two documents with one number
//! and of a gap in a series.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const SERIES_2024: &str =
    "rasporyazhenie, Администрация муниципального образования «Городской округ», 2024";

/// The распоряжение starter with this date and number, as `data/NAME`.
fn document(dir: &Path, name: &str, date: &str, number: &str) {
    let starter = std::fs::read_to_string(root().join("src/starters/rasporyazhenie.toml")).unwrap();
    let text = starter
        .replacen("date = 2024-03-05", &format!("date = {date}"), 1)
        .replacen("number = \"45-р\"", &format!("number = \"{number}\""), 1);
    assert_ne!(text, starter);
    write_temp(dir, &format!("data/{name}"), text.as_bytes());
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = gostdoc(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn build(dir: &Path) {
    run(dir, &["build", "data", "--format", "docx"]);
}

/// The numbers file as written.
fn numbers_file(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("data/_номера.toml")).expect("data/_номера.toml written")
}

/// File name → number, as `gostdoc register` reads them from the documents.
fn registered(dir: &Path) -> BTreeMap<String, String> {
    let out = run(dir, &["register", "data", "--format", "json"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let file = Path::new(e["file"].as_str().unwrap());
            (
                file.file_name().unwrap().to_string_lossy().into_owned(),
                e["number"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn numbers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(f, n)| (f.to_string(), n.to_string()))
        .collect()
}

#[test]
fn auto_numbers_follow_the_date_and_an_earlier_document_added_later_gets_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    document(d, "b.toml", "2024-03-05", "auto");
    document(d, "a.toml", "2024-02-01", "auto");
    document(d, "c.toml", "2024-04-10", "auto");
    document(d, "y.toml", "2025-01-15", "auto");
    build(d);
    assert_eq!(
        registered(d),
        numbers(&[
            ("a.toml", "1"),
            ("b.toml", "2"),
            ("c.toml", "3"),
            ("y.toml", "1")
        ])
    );
    // Printed as if written: «от … № 1» in the DOCX of a.toml.
    let text = docx_text(&std::fs::read(d.join("output/a.docx")).unwrap()).replace('\u{a0}', " ");
    assert!(text.contains("№ 1\n"), "{text}");
    let file = numbers_file(d);
    assert!(
        file.contains(&format!(
            "[document.\"a.toml\"]\nseries = \"{SERIES_2024}\"\nnumber = 1\n"
        )),
        "{file}"
    );
    assert!(!d.join("output/_номера.toml").exists());

    // Rebuilt: the same bytes.
    run(d, &["build", "data", "--format", "docx", "--force"]);
    assert_eq!(numbers_file(d), file);

    // Added later, dated earlier: the next number; the others keep theirs.
    document(d, "early.toml", "2024-01-10", "auto");
    build(d);
    assert_eq!(
        registered(d),
        numbers(&[
            ("a.toml", "1"),
            ("b.toml", "2"),
            ("c.toml", "3"),
            ("early.toml", "4"),
            ("y.toml", "1"),
        ])
    );
    let text =
        docx_text(&std::fs::read(d.join("output/early.docx")).unwrap()).replace('\u{a0}', " ");
    assert!(text.contains("№ 4\n"), "{text}");
}

#[test]
fn a_written_number_is_followed_by_the_auto_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    document(d, "a.toml", "2024-02-01", "7");
    document(d, "b.toml", "2024-01-01", "auto");
    build(d);
    assert_eq!(registered(d), numbers(&[("a.toml", "7"), ("b.toml", "8")]));
}

/// The warnings `check --message-format json` prints: (file name, line,
/// message).
fn check_warnings(dir: &Path) -> Vec<(String, Option<u64>, String)> {
    let out = gostdoc(dir, &["check", "data", "--message-format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "diagnostic" && v["level"] == "warning")
        .filter(|v| v["field"] == "act.number")
        .map(|v| {
            let file = Path::new(v["file"].as_str().unwrap());
            (
                file.file_name().unwrap().to_string_lossy().into_owned(),
                v["line"].as_u64(),
                v["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn check_warns_of_one_number_twice_and_of_a_gap_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    document(d, "a.toml", "2024-01-10", "1");
    document(d, "b.toml", "2024-02-10", "2");
    document(d, "c.toml", "2024-03-10", "2");
    document(d, "d.toml", "2024-04-10", "5");
    // `number` is on line 23 of the starter.
    let mut warnings = check_warnings(d);
    warnings.sort();
    assert_eq!(
        warnings,
        vec![
            (
                "c.toml".to_owned(),
                Some(23),
                format!(
                    "номер 2 уже у документа b.toml (серия «{SERIES_2024}»): у двух документов одной серии один номер"
                )
            ),
            (
                "d.toml".to_owned(),
                Some(23),
                format!(
                    "пропущены номера 3–4 в серии «{SERIES_2024}»: после № 2 (b.toml) идёт № 5 (d.toml)"
                )
            ),
        ]
    );
    // One missing number is said in the singular.
    document(d, "d.toml", "2024-04-10", "4");
    assert_eq!(
        check_warnings(d),
        vec![
            (
                "c.toml".to_owned(),
                Some(23),
                format!(
                    "номер 2 уже у документа b.toml (серия «{SERIES_2024}»): у двух документов одной серии один номер"
                )
            ),
            (
                "d.toml".to_owned(),
                Some(23),
                format!(
                    "пропущен номер 3 в серии «{SERIES_2024}»: после № 2 (b.toml) идёт № 4 (d.toml)"
                )
            ),
        ]
    );
}

#[test]
fn check_counts_auto_numbers_as_build_would_and_does_not_write_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    document(d, "a.toml", "2024-01-10", "1");
    document(d, "b.toml", "2024-02-10", "auto");
    document(d, "c.toml", "2024-03-10", "3");
    // b.toml would get 4: 2 is missing between a.toml and c.toml.
    assert_eq!(
        check_warnings(d),
        vec![(
            "c.toml".to_owned(),
            Some(23),
            format!(
                "пропущен номер 2 в серии «{SERIES_2024}»: после № 1 (a.toml) идёт № 3 (c.toml)"
            )
        ),]
    );
    assert!(!d.join("data/_номера.toml").exists());
    // Numbered by a build, then the same number written by hand elsewhere.
    build(d);
    assert_eq!(registered(d)["b.toml"], "4");
    document(d, "e.toml", "2024-05-10", "4");
    let warnings = check_warnings(d);
    assert!(
        warnings.contains(&(
            "e.toml".to_owned(),
            Some(23),
            format!(
                "номер 4 уже у документа b.toml (серия «{SERIES_2024}»): у двух документов одной серии один номер"
            )
        )),
        "{warnings:?}"
    );
}

/// A numbers file mended by hand and got wrong is said at its own line,
/// in Russian, with advice to mend it and not to delete it (deleting it
/// renumbers the documents); nothing is built from it and it is not
/// rewritten.
#[test]
fn a_damaged_numbers_file_is_said_at_its_line_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    document(d, "a.toml", "2024-03-05", "auto");
    // Before the first build the number is not the user's to write in.
    let out = run(d, &["check", "data"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "предупреждение в поле «act»: номер ещё не присвоен: распоряжение печатается как проект"
        ),
        "{err}"
    );
    assert!(
        err.contains("подсказка: номер (number = \"auto\") присвоит gostdoc build"),
        "{err}"
    );
    build(d);
    let written = numbers_file(d);
    let damaged = written.replacen("number = 1", "number = \"два\"", 1);
    assert_ne!(damaged, written);
    write_temp(d, "data/_номера.toml", damaged.as_bytes());
    let line = damaged
        .lines()
        .position(|l| l.starts_with("number = "))
        .unwrap()
        + 1;
    for args in [
        &["check", "data"][..],
        &["build", "data", "--format", "docx"],
    ] {
        let out = gostdoc(d, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "data/_номера.toml, строка {line}, столбец 10: ошибка в поле «document.a.toml.number»: неверный тип значения: строка \"два\", а нужно: целое число"
            )),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("подсказка: исправьте файл номеров в указанном месте; не удаляйте его"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("invalid type"), "{args:?}: {err}");
        assert!(!err.contains("впишите date и number"), "{args:?}: {err}");
    }
    assert_eq!(
        numbers_file(d),
        damaged,
        "the numbers file is kept as it was"
    );
}
