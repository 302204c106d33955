//! Bad input gets a Russian message naming the file, line, column and
//! field, and a non-zero exit code; nothing is written.

mod common;
use common::*;

const GOOD: &str = r#"kind = "protocol"

[meeting]
title = "рабочего совещания"
date = 2021-06-24

[[decision]]
text = "Информацию принять к сведению."
"#;

/// Runs `gostdoc check` on a file with the given text; returns the exit
/// code and stderr.
fn check(text: &str) -> (i32, String) {
    check_bytes(text.as_bytes())
}

fn check_bytes(bytes: &[u8]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    write_temp(dir.path(), "протокол.toml", bytes);
    let out = gostdoc(dir.path(), &["check", "протокол.toml"]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_good_file_passes() {
    let (code, err) = check(GOOD);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn toml_syntax_error() {
    let (code, err) = check(&GOOD.replace(
        r#"title = "рабочего совещания""#,
        r#"title = "рабочего совещания"#,
    ));
    assert_eq!(code, 1);
    assert!(
        err.contains("протокол.toml, строка 4, столбец 28: ошибка в поле «meeting.title»: текст не закрыт: нет закрывающей кавычки в конце строки"),
        "{err}"
    );
}

#[test]
fn missing_required_field() {
    let (code, err) = check(&GOOD.replace("date = 2021-06-24\n", ""));
    assert_eq!(code, 1);
    assert!(err.contains("протокол.toml, строка 3, столбец 1"), "{err}");
    assert!(err.contains("в поле «meeting»"), "{err}");
    assert!(
        err.contains("не заполнено обязательное поле «date»"),
        "{err}"
    );
    assert!(
        err.contains("подсказка: добавьте строку `date = …`"),
        "{err}"
    );
}

#[test]
fn wrong_type() {
    let (code, err) = check(&GOOD.replace(r#"title = "рабочего совещания""#, "title = 5"));
    assert_eq!(code, 1);
    assert!(err.contains("протокол.toml, строка 4, столбец 9"), "{err}");
    assert!(err.contains("в поле «meeting.title»"), "{err}");
    assert!(
        err.contains("неверный тип значения: целое число 5, а нужно: строка в кавычках"),
        "{err}"
    );
}

#[test]
fn unknown_key_with_suggestion() {
    let (code, err) =
        check(&GOOD.replace("date = 2021-06-24", "daet = 2021-06-24\ndate = 2021-06-24"));
    assert_eq!(code, 1);
    assert!(err.contains("протокол.toml, строка 5, столбец 1"), "{err}");
    assert!(err.contains("неизвестное поле «daet»"), "{err}");
    assert!(err.contains("возможно, имелось в виду «date»"), "{err}");
}

#[test]
fn impossible_date() {
    let (code, err) = check(&GOOD.replace("2021-06-24", "2021-02-30"));
    assert_eq!(code, 1);
    assert!(err.contains("протокол.toml, строка 5, столбец 8"), "{err}");
    assert!(err.contains("в поле «meeting.date»"), "{err}");
    assert!(err.contains("такой даты не бывает"), "{err}");
}

#[test]
fn impossible_date_in_a_deadline() {
    let (code, err) = check(&format!("{GOOD}deadline = \"до 31.04.2021\"\n"));
    assert_eq!(code, 1);
    assert!(err.contains("протокол.toml, строка 9, столбец 12"), "{err}");
    assert!(err.contains("в поле «decision[0].deadline»"), "{err}");
    assert!(
        err.contains("в месяце «апрель» 2021 года нет 31-го числа"),
        "{err}"
    );
}

#[test]
fn bom_and_crlf_simply_work() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(GOOD.replace('\n', "\r\n").as_bytes());
    let (code, err) = check_bytes(&bytes);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn crlf_errors_still_point_at_the_right_line() {
    let text = GOOD
        .replace("title = \"рабочего совещания\"", "title = 5")
        .replace('\n', "\r\n");
    let (code, err) = check(&text);
    assert_eq!(code, 1);
    assert!(err.contains("строка 4, столбец 9"), "{err}");
}

#[test]
fn a_bad_file_does_not_stop_the_others_and_writes_nothing_for_itself() {
    let dir = tempfile::tempdir().unwrap();
    write_temp(dir.path(), "data/a_good.toml", GOOD.as_bytes());
    write_temp(
        dir.path(),
        "data/b_bad.toml",
        GOOD.replace("2021-06-24", "2021-02-30").as_bytes(),
    );
    let out = gostdoc(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(dir.path().join("output/a_good.docx").is_file());
    assert!(!dir.path().join("output/b_bad.docx").exists());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("b_bad.toml, строка 5"), "{stderr}");
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    write_temp(dir.path(), "data/a.toml", GOOD.as_bytes());
    assert!(gostdoc(dir.path(), &["build"]).status.success());
    let docx = std::fs::read(dir.path().join("output/a.docx")).unwrap();
    let pdf = std::fs::read(dir.path().join("output/a.pdf")).unwrap();
    write_temp(
        dir.path(),
        "data/a.toml",
        GOOD.replace("date = ", "daet = ").as_bytes(),
    );
    assert_eq!(gostdoc(dir.path(), &["build"]).status.code(), Some(1));
    assert_eq!(
        std::fs::read(dir.path().join("output/a.docx")).unwrap(),
        docx
    );
    assert_eq!(std::fs::read(dir.path().join("output/a.pdf")).unwrap(), pdf);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [".gostdoc-manifest", "a.docx", "a.pdf"],
        "no temporary files are left behind"
    );
}

#[test]
fn unknown_person_reference_is_reported() {
    let (code, err) = check(&format!(
        "{GOOD}\n[[signature]]\nposition = \"Секретарь\"\nperson = \"климова\"\n"
    ));
    assert_eq!(code, 1);
    assert!(err.contains("в поле «signature[0].person»"), "{err}");
    assert!(err.contains("должно начинаться с заглавной буквы"), "{err}");
}

/// A decision tied to an agenda item that does not exist: the advice fits
/// the agenda there is (none, one item, several), never «от 1 до 0».
#[test]
fn a_question_beyond_the_agenda_gets_advice_for_the_agenda_there_is() {
    let tied = GOOD.replace("[[decision]]\n", "[[decision]]\nquestion = 2\n");
    let (code, err) = check(&tied);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "строка 8, столбец 12: ошибка в поле «decision[0].question»: в повестке нет вопроса № 2"
        ),
        "{err}"
    );
    assert!(
        err.contains("подсказка: повестки нет: добавьте вопросы разделами [[agenda]] с title = \"…\" или уберите question"),
        "{err}"
    );
    let one = tied.replace(
        "[[decision]]\n",
        "[[agenda]]\ntitle = \"О ремонте\"\n\n[[decision]]\n",
    );
    let (_, err) = check(&one);
    assert!(
        err.contains("подсказка: в повестке один вопрос: question = 1"),
        "{err}"
    );
}
