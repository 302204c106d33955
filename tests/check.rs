//! `gostdoc check` (issue 5): the same errors as a build, nothing written,
//! and warnings about content that looks wrong, each with its line.

mod common;
use common::*;

/// A protocol with one of each suspicious thing, line numbers in comments.
const SUSPICIOUS: &str = r#"kind = "protocol"

[options]
course = "by_question"

[meeting]
title = "рабочего совещания"
date = 2021-06-24

[[present]]
name = "Иванова Анна Петровна"

[[present]]
name = "Петров Иван Сергеевич"

[[agenda]]
title = "1. О подготовке к учебному году"

[[agenda]]
title = "О ремонте"

[[decision]]
question = 1
text = "Подготовить план."
deadline = "01.06.2021"
votes = { for = 3, against = 1 }

[[decision]]
question = 1
to = "Отделу образования:"
"#;

fn check_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = gostdoc(dir, &all);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn suspicious_content_gets_warnings_with_lines_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write_temp(dir.path(), "протокол.toml", SUSPICIOUS.as_bytes());
    let (code, stdout, stderr) = check_in(dir.path(), &["протокол.toml"]);
    assert_eq!(code, 0, "warnings do not fail a check: {stderr}");
    assert!(stdout.contains("проверено: 1, с ошибками: 0"), "{stdout}");
    for expected in [
        // deadline before the meeting, at the deadline's line
        "протокол.toml, строка 25, столбец 12: предупреждение в поле «decision[0].deadline»: срок 01.06.2021 раньше даты заседания 24.06.2021",
        // 4 votes, 2 present
        "строка 26, столбец 9: предупреждение в поле «decision[0].votes»: голосов 4, а присутствовало 2",
        // a typed number
        "строка 17, столбец 9: предупреждение в поле «agenda[0].title»: название вопроса начинается с номера «1.»",
        // question 2 skipped
        "строка 19, столбец 1: предупреждение в поле «agenda[1]»: по вопросу № 2 повестки нет решения",
        // an empty point, named as printed (by question: 1.2.)
        "строка 28, столбец 1: предупреждение в поле «decision[1]»: пункт 1.2. пуст",
        // nobody signs: at [meeting], where chair and secretary go
        "строка 6, столбец 1: предупреждение в поле «signature»: протокол некому подписать",
    ] {
        assert!(
            stderr.contains(expected),
            "missing «{expected}» in:\n{stderr}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "check writes nothing"
    );
}

#[test]
fn the_seeds_pass_without_warnings() {
    let data = root().join("data");
    let (code, stdout, stderr) = check_in(&root(), &[data.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let documents = std::fs::read_dir(&data)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .count();
    assert!(documents >= 9, "the bundled examples are in data/");
    assert!(
        stdout.contains(&format!("проверено: {documents}, с ошибками: 0")),
        "{stdout}"
    );
    assert!(!stderr.contains("предупреждение"), "{stderr}");
}

#[test]
fn check_reports_the_same_errors_as_build() {
    let dir = tempfile::tempdir().unwrap();
    let bad = SUSPICIOUS.replace("date = 2021-06-24", "date = 2021-06-31");
    write_temp(dir.path(), "data/плохой.toml", bad.as_bytes());
    write_temp(dir.path(), "data/хороший.toml", SUSPICIOUS.as_bytes());
    let (code, _, check_err) = check_in(dir.path(), &[]);
    let build = gostdoc(dir.path(), &["build"]);
    let build_err = String::from_utf8_lossy(&build.stderr);
    assert_eq!(code, 1);
    assert_eq!(build.status.code(), Some(1));
    let error_lines = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains(": ошибка"))
            .map(String::from)
            .collect()
    };
    assert!(!error_lines(&check_err).is_empty(), "{check_err}");
    assert_eq!(error_lines(&check_err), error_lines(&build_err));
    assert!(dir.path().join("output/хороший.pdf").exists());
}
