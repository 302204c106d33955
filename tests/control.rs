//! The control file `_контроль.toml`: execution marks outside the signed
//! text, merged by `gostdoc assignments` and checked by `gostdoc check`.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const SEED_000: &str = "000_elnya_rabochee_soveshchanie.toml";
const SEED_001: &str = "001_zhukov_rukovoditeli_ou.toml";

/// A folder with seeds 000 and 001 and this control file.
fn folder(control: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (id, name) in [("000", SEED_000), ("001", SEED_001)] {
        std::fs::copy(seed_input(id), dir.path().join(name)).unwrap();
    }
    // 000 names its profile.
    std::fs::create_dir(dir.path().join("profiles")).unwrap();
    std::fs::copy(
        root().join("data/profiles/elnya.toml"),
        dir.path().join("profiles/elnya.toml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("_контроль.toml"), control).unwrap();
    dir
}

/// `gostdoc assignments . --as-of 2021-09-02 --format json` in `dir`.
fn register(dir: &Path, extra: &[&str]) -> (Vec<Value>, String, Option<i32>) {
    let mut args = vec![
        "assignments",
        ".",
        "--as-of",
        "2021-09-02",
        "--format",
        "json",
    ];
    args.extend(extra);
    let out = gostdoc(dir, &args);
    let list: Value = serde_json::from_slice(&out.stdout).expect("one JSON array");
    (
        list.as_array().unwrap().clone(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

fn point<'a>(list: &'a [Value], file: &str, number: &str) -> &'a Value {
    list.iter()
        .find(|a| a["file"].as_str().unwrap().ends_with(file) && a["point"] == number)
        .unwrap_or_else(|| panic!("no point {number} of {file}"))
}

const MARKS: &str = r#"[[mark]]
document = "000_elnya_rabochee_soveshchanie.toml"
point = "2.3"
done = 2021-08-30
note = "протокол направлен"

[[mark]]
document = "000_elnya_rabochee_soveshchanie.toml"
point = "2.4."
done = "02.09.2021"

[[mark]]
document = "001_zhukov_rukovoditeli_ou.toml"
point = "1.3"
new_deadline = 2021-10-01
reason = "по письму министерства"

[[mark]]
document = "001_zhukov_rukovoditeli_ou.toml"
point = "1.4"
new_deadline = 2021-09-01
"#;

#[test]
fn done_and_rescheduled_points_change_the_status() {
    let dir = folder(MARKS);
    let (list, stderr, _) = register(dir.path(), &[]);
    assert!(stderr.is_empty(), "{stderr}");

    // Overdue by a day without the mark; done in time with it.
    let a = point(&list, SEED_000, "2.3.");
    assert_eq!(a["status"]["status"], "done");
    assert_eq!(a["status"]["on"], "2021-08-30");
    assert_eq!(a["status"]["late"], 0);
    assert_eq!(a["done"], "2021-08-30");
    assert_eq!(a["note"], "протокол направлен");
    // Done a day after «до 01.09.2021»: said so.
    let a = point(&list, SEED_000, "2.4.");
    assert_eq!(a["status"]["status"], "done");
    assert_eq!(a["status"]["late"], 1);
    // Unmarked: still overdue.
    let a = point(&list, SEED_000, "2.5.");
    assert_eq!(a["status"]["status"], "overdue");

    // 15.09.2021 (due in 13 days) moved to 01.10.2021: later, 29 days; the
    // signed deadline stays.
    let a = point(&list, SEED_001, "1.3.");
    assert_eq!(a["deadline_text"], "15.09.2021");
    assert_eq!(a["last_day"], "2021-09-15");
    assert_eq!(a["new_deadline"], "2021-10-01");
    assert_eq!(a["reason"], "по письму министерства");
    assert_eq!(a["status"]["status"], "later");
    assert_eq!(a["status"]["days"], 29);
    // «постоянно» given a date that has passed: overdue by one day.
    let a = point(&list, SEED_001, "1.4.");
    assert_eq!(a["status"]["status"], "overdue");
    assert_eq!(a["status"]["days"], 1);

    // The filter and the words of the CSV.
    let (done, _, _) = register(dir.path(), &["--status", "done"]);
    let points: Vec<&str> = done.iter().map(|a| a["point"].as_str().unwrap()).collect();
    assert_eq!(points, ["2.3.", "2.4."]);
    let out = gostdoc(
        dir.path(),
        &[
            "assignments",
            SEED_001,
            "--as-of",
            "2021-09-02",
            "--format",
            "csv",
        ],
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let row = csv
        .lines()
        .find(|l| l.contains(",1.3.,"))
        .expect("point 1.3.");
    assert!(
        row.ends_with(
            ",15.09.2021,дата,01.10.2021,later,29,позже: через 29 дней; \
             срок перенесён на 01.10.2021 с 15.09.2021 (по письму министерства)"
        ),
        "{row}"
    );
    let out = gostdoc(
        dir.path(),
        &[
            "assignments",
            SEED_000,
            "--as-of",
            "2021-09-02",
            "--status",
            "done",
            "--format",
            "csv",
        ],
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .ends_with(",done,,исполнено 30.08.2021; примечание: протокол направлен"),
        "{csv}"
    );
    assert!(
        csv.lines()
            .nth(2)
            .unwrap()
            .ends_with(",done,,\"исполнено 02.09.2021, позже срока на 1 день\""),
        "{csv}"
    );
}

#[test]
fn a_mark_done_after_the_date_asked_does_not_count_yet() {
    let dir = folder(MARKS);
    let out = gostdoc(
        dir.path(),
        &[
            "assignments",
            SEED_000,
            "--as-of",
            "2021-08-29",
            "--format",
            "json",
        ],
    );
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = point(list.as_array().unwrap(), SEED_000, "2.3.");
    assert_eq!(a["status"]["status"], "due");
    assert_eq!(a["done"], "2021-08-30");
}

const BAD_MARKS: &str = r#"[[mark]]
document = "000_elnya_rabochee_soveshchanie.toml"
point = "2.9"
done = 2021-08-30

[[mark]]
document = "002_net_takogo.toml"
point = "1"
note = "x"

[[mark]]
document = "000_elnya_rabochee_soveshchanie.toml"
point = "2.3"
done = 2021-08-30
"#;

const MISSING_POINT: &str = "_контроль.toml, строка 3, столбец 9: предупреждение в поле «mark.point»: \
в документе «000_elnya_rabochee_soveshchanie.toml» нет пункта 2.9; \
пункты с поручениями: 2.1., 2.2., 2.3., 2.4., 2.5., 3.1., 3.2., 3.3.";
const MISSING_DOCUMENT: &str = "_контроль.toml, строка 7, столбец 12: предупреждение в поле «mark.document»: \
документа «002_net_takogo.toml» нет";

#[test]
fn a_mark_for_a_missing_point_or_document_is_reported_by_check_and_assignments() {
    let dir = folder(BAD_MARKS);
    let out = gostdoc(dir.path(), &["check", "."]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&format!("./{MISSING_POINT}")), "{err}");
    assert!(err.contains(&format!("./{MISSING_DOCUMENT}")), "{err}");
    assert_eq!(out.status.code(), Some(0), "warnings do not fail: {err}");

    let (list, err, code) = register(dir.path(), &[]);
    assert!(err.contains(&format!("./{MISSING_POINT}")), "{err}");
    assert!(err.contains(&format!("./{MISSING_DOCUMENT}")), "{err}");
    // The rest is listed, the good mark applied.
    assert_eq!(list.len(), 27);
    assert_eq!(point(&list, SEED_000, "2.3.")["status"]["status"], "done");
    assert_eq!(code, Some(3));
}

#[test]
fn the_control_file_is_never_built_as_a_document() {
    let dir = folder(MARKS);
    let out = gostdoc(dir.path(), &["build", ".", "-o", "out"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut built: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".docx"))
        .collect();
    built.sort();
    assert_eq!(
        built,
        [
            "000_elnya_rabochee_soveshchanie.docx",
            "001_zhukov_rukovoditeli_ou.docx"
        ]
    );
    // Named on the command line: refused with why, nothing written.
    let out = gostdoc(dir.path(), &["build", "_контроль.toml", "-o", "out2"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "_контроль.toml: ошибка: это файл контроля исполнения, а не документ: он не собирается"
        ),
        "{err}"
    );
    assert!(!dir.path().join("out2/_контроль.docx").exists());
    // data/ has no file the folder search would skip as not a document.
    for entry in std::fs::read_dir(root().join("data")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('_'), "{name}");
    }
}

#[test]
fn a_malformed_control_file_is_an_error_with_its_line() {
    let cases = [
        (
            "[[mark]]\ndocument = \"000_elnya_rabochee_soveshchanie.toml\"\npoint = \"2.3\"\ndone = 2021-08-30\ndate = 2021-08-30\n",
            "_контроль.toml, строка 5, столбец 1: ошибка: неизвестное поле «date»",
        ),
        (
            "[[mark]]\ndocument = \"000_elnya_rabochee_soveshchanie.toml\"\ndone = 2021-08-30\n",
            "_контроль.toml, строка 1, столбец 1: ошибка: в отметке нет поля «point»",
        ),
        (
            "[[mark]]\ndocument = \"000_elnya_rabochee_soveshchanie.toml\"\npoint = \"2.3\"\ndone = \"31.09.2021\"\n",
            "_контроль.toml, строка 4, столбец 8: ошибка в поле «mark.done»: такой даты нет",
        ),
        (
            "[[mark]\ndocument = \"x.toml\"\n",
            "_контроль.toml, строка 1, столбец 8: ошибка: заголовок раздела не закрыт: нет «]]»",
        ),
    ];
    for (text, expected) in cases {
        let dir = folder(text);
        let out = gostdoc(dir.path(), &["check", "."]);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{text}\n{err}");
        assert!(err.contains(&format!("./{expected}")), "{text}\n{err}");
        let (list, err, code) = register(dir.path(), &[]);
        assert_eq!(code, Some(1), "the register misses the marks: {err}");
        assert!(err.contains(&format!("./{expected}")), "{err}");
        assert_eq!(list.len(), 27, "the documents are still listed");
    }
}

/// A protocol laid out by question prints its decisions numbered within
/// each item («1.2.1.»): the register of assignments lists the same
/// numbers, and a mark written from the paper finds its point (the
/// register said «2.1.», and the mark «1.2.1» was refused).
#[test]
fn points_of_a_protocol_by_question_are_named_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    gostdoc_ok(d, &["new", "protocol", "p.toml"]);
    gostdoc_ok(d, &["build", "p.toml", "--format", "pdf", "-o", "out"]);
    let printed = std::process::Command::new("pdftotext")
        .args(["-layout", "out/p.pdf", "-"])
        .current_dir(d)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&printed.stdout);
    for number in ["1.2.1. Провести проверку", "1.2.2. Обновить паспорта"]
    {
        assert!(printed.contains(number), "{printed}");
    }
    std::fs::write(
        d.join("_контроль.toml"),
        "[[mark]]\ndocument = \"p.toml\"\npoint = \"1.2.1\"\ndone = 2021-09-10\n",
    )
    .unwrap();
    let out = gostdoc(
        d,
        &[
            "assignments",
            ".",
            "--as-of",
            "2021-10-01",
            "--format",
            "json",
        ],
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let points: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["point"].as_str().unwrap())
        .collect();
    assert_eq!(points, ["1.2.1.", "1.2.2."]);
    assert_eq!(list[0]["status"]["status"], "done");
    assert_eq!(list[0]["done"], "2021-09-10");
}
