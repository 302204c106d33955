//! The command line at home (issue 13): its own words in Russian, colours
//! only when asked or on a terminal, quiet and JSON messages for programs,
//! shell completions and a man page, and `watch` that says a path is
//! missing instead of waiting for ever.

mod common;
use common::*;
use std::path::Path;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_and_errors_speak_russian() {
    let dir = tempfile::tempdir().unwrap();
    let help = gostdoc(dir.path(), &["--help"]);
    assert!(help.status.success());
    let text = stdout(&help);
    for word in [
        "Использование: gostdoc [ПАРАМЕТРЫ] <КОМАНДА>",
        "Команды:",
        "Параметры:",
        "Показать справку",
        "Показать версию",
    ] {
        assert!(text.contains(word), "no «{word}» in {text}");
    }
    for english in ["Usage", "Commands:", "Options:", "Print help", "[default"] {
        assert!(!text.contains(english), "«{english}» in {text}");
    }
    let build_help = stdout(&gostdoc(dir.path(), &["build", "--help"]));
    assert!(
        build_help.contains("Использование: gostdoc build [ПАРАМЕТРЫ] [ПУТИ]...")
            && build_help.contains("Аргументы:")
            && build_help.contains("[по умолчанию: output]"),
        "{build_help}"
    );

    let wrong = gostdoc(dir.path(), &["build", "--forse"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert_eq!(
        stderr(&wrong),
        "ошибка: неизвестный параметр «--forse»\n  \
         подсказка: возможно, имелось в виду «--force»\n\n\
         Использование: gostdoc build --force [ПУТИ]...\n\n\
         Справка: gostdoc --help\n"
    );
    let wrong = gostdoc(dir.path(), &["build", "--format", "odt"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        stderr(&wrong).starts_with(
            "ошибка: недопустимое значение «odt» у «--format <ФОРМАТЫ>»\n  \
             подсказка: возможные значения: docx, pdf, html\n"
        ),
        "{}",
        stderr(&wrong)
    );
    let wrong = gostdoc(dir.path(), &["new", "указ", "x.toml"]);
    assert!(
        stderr(&wrong).starts_with(
            "ошибка: недопустимое значение «указ» у «<ВИД>»: неизвестный вид документа «указ»"
        ),
        "{}",
        stderr(&wrong)
    );
}

/// A document with an error, and one with a warning (a draft without
/// date and number).
fn two_documents(dir: &Path) {
    write_temp(
        dir,
        "data/bad.toml",
        "kind = \"protocol\"\n\n[meeting]\ntitle = \"совещания\"\ndate = 2024-02-31\n".as_bytes(),
    );
    write_temp(
        dir,
        "data/draft.toml",
        "kind = \"prikaz\"\n\n[act]\ntitle = \"О дежурстве\"\n\n[[point]]\ntext = \"Назначить дежурных.\"\n\n[[signature]]\nposition = \"Директор\"\nperson = \"Лебедева А.С.\"\n"
            .as_bytes(),
    );
}

#[test]
fn json_messages_are_one_object_per_line_then_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    two_documents(dir.path());
    let out = gostdoc(dir.path(), &["check", "--message-format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "", "nothing for a person");
    let text = stdout(&out);
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
    insta::assert_snapshot!("check_json", text);
}

#[test]
fn colours_only_when_asked_and_quiet_prints_only_problems() {
    let dir = tempfile::tempdir().unwrap();
    two_documents(dir.path());
    let always = gostdoc(dir.path(), &["check", "--color", "always"]);
    assert!(
        stderr(&always).contains("\u{1b}[1m\u{1b}[31mошибка\u{1b}[0m"),
        "{:?}",
        stderr(&always)
    );
    assert!(stderr(&always).contains("\u{1b}[33mпредупреждение"));
    // Not a terminal: no colours, the same words.
    let auto = gostdoc(dir.path(), &["check"]);
    assert!(!stderr(&auto).contains('\u{1b}'), "{:?}", stderr(&auto));
    assert!(stderr(&auto).contains(": ошибка"));
    let never = gostdoc(dir.path(), &["check", "--color", "never"]);
    assert_eq!(stderr(&never), stderr(&auto));

    let quiet = gostdoc(dir.path(), &["build", "-q"]);
    assert_eq!(stdout(&quiet), "", "no list of files, no summary");
    assert!(stderr(&quiet).contains(": ошибка"), "problems still shown");
    let loud = gostdoc(dir.path(), &["build", "--force"]);
    assert!(
        stdout(&loud).contains("собрано: 1, с ошибками: 1"),
        "{}",
        stdout(&loud)
    );
}

#[test]
fn completions_for_each_shell_and_a_man_page() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, mark) in [
        ("bash", "_gostdoc()"),
        ("zsh", "#compdef gostdoc"),
        ("fish", "complete -c gostdoc"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = gostdoc(dir.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = stdout(&out);
        assert!(script.contains(mark), "{shell}: {script}");
        for command in ["build", "check", "extract", "serve", "init"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let man = gostdoc(dir.path(), &["man"]);
    let page = stdout(&man);
    assert!(page.contains(".TH gostdoc 1"), "{page}");
    assert!(page.contains("Протоколы и постановления"), "{page}");
    assert!(
        page.contains("gostdoc\\-build(1)") || page.contains("build"),
        "{page}"
    );
}

#[test]
fn watch_says_a_path_is_missing_instead_of_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let out = gostdoc(dir.path(), &["watch", "dta"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("не найдено: «dta»; проверьте имя папки или файла"),
        "{}",
        stderr(&out)
    );
}

/// `watch` shows a standing error once: saving another document rebuilds
/// it and counts the error in the summary, but does not print it again.
#[test]
fn watch_shows_a_standing_error_once() {
    use std::process::Command;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    two_documents(dir.path());
    let (out_log, err_log) = (dir.path().join("out.log"), dir.path().join("err.log"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gostdoc"))
        .args(["watch", "data"])
        .current_dir(dir.path())
        .stdout(std::fs::File::create(&out_log).unwrap())
        .stderr(std::fs::File::create(&err_log).unwrap())
        .spawn()
        .unwrap();
    let summaries = || {
        std::fs::read_to_string(&out_log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("собрано:"))
            .count()
    };
    let wait_for = |n: usize| {
        let started = Instant::now();
        while summaries() < n && started.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(20));
        }
        summaries() >= n
    };
    let first = wait_for(1);
    std::thread::sleep(Duration::from_millis(500));
    let draft = dir.path().join("data/draft.toml");
    let text = std::fs::read_to_string(&draft).unwrap();
    std::fs::write(&draft, text.replace("О дежурстве", "О дежурстве в декабре")).unwrap();
    let second = wait_for(2);
    child.kill().unwrap();
    child.wait().unwrap();
    let out = std::fs::read_to_string(&out_log).unwrap();
    let err = std::fs::read_to_string(&err_log).unwrap();
    assert!(first && second, "two builds expected:\n{out}\n{err}");
    assert_eq!(
        err.matches("такой даты не бывает").count(),
        1,
        "the standing error printed again:\n{err}"
    );
    assert!(
        out.lines().filter(|l| l.contains("с ошибками: 1")).count() == 2,
        "the summary still counts it:\n{out}"
    );
}
