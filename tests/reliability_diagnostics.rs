//! Issue 10, item 4: messages about bad TOML say what is really wrong and
//! point at the place the user has to change: the key's name in a
//! duplicate, the brackets of a list of tables, the opening of an unclosed
//! `"""`, control characters at their field, sections of the other kind,
//! CR-only line ends, huge numbers, and every parser message in Russian.

mod common;
use common::*;
use gostdoc::diagnostic::Diagnostic;
use std::path::Path;

/// A protocol that loads; cases below break one thing in it.
const GOOD: &str = r#"kind = "protocol"

[meeting]
title = "рабочего совещания"
date = 2021-06-24
chair = "Иванов И.И."

[[agenda]]
title = "О подготовке к учебному году"

[[decision]]
text = "Информацию принять к сведению."
"#;

/// Loads `text` as `протокол.toml` and returns its errors.
fn errors(text: &str) -> Vec<Diagnostic> {
    errors_bytes(text.as_bytes())
}

fn errors_bytes(bytes: &[u8]) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(dir.path(), "протокол.toml", bytes);
    match gostdoc::model::load(&path) {
        Ok(_) => panic!("expected an error for:\n{}", String::from_utf8_lossy(bytes)),
        Err(d) => d.0,
    }
}

/// The only error of `text`.
fn the_error(text: &str) -> Diagnostic {
    let mut all = errors(text);
    assert_eq!(all.len(), 1, "one error expected: {all:#?}");
    all.remove(0)
}

/// Asserts message, line, column and field of a diagnostic.
fn assert_diag(d: &Diagnostic, message: &str, line: usize, col: usize, field: &str) {
    assert_eq!(d.message, message, "{d}");
    assert_eq!(d.position, Some((line, col)), "{d}");
    assert_eq!(d.field.as_deref(), Some(field), "{d}");
}

/// Runs the CLI on a file with these bytes; returns exit code and stderr.
fn check_cli(bytes: &[u8]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    write_temp(dir.path(), "протокол.toml", bytes);
    let out = gostdoc(dir.path(), &["check", "протокол.toml"]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_nul_byte_is_named_at_its_place_not_an_unclosed_string() {
    let text = GOOD.replace("рабочего совещания", "рабочего\0 совещания");
    let d = the_error(&text);
    assert_diag(
        &d,
        "недопустимый управляющий символ U+0000",
        4,
        18,
        "meeting.title",
    );
    assert!(d.hint.unwrap().starts_with("удалите его"));
}

#[test]
fn a_key_with_no_value_says_so() {
    let d = the_error(&GOOD.replace("chair = \"Иванов И.И.\"", "chair ="));
    assert_diag(
        &d,
        "после = нет значения: напишите значение в кавычках",
        6,
        8,
        "meeting.chair",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("например: chair = \"…\"; дата и число пишутся без кавычек: date = 2021-06-24")
    );
}

#[test]
fn a_duplicate_key_is_named() {
    let d = the_error(&GOOD.replace(
        "date = 2021-06-24\n",
        "date = 2021-06-24\ntitle = \"совещания\"\n",
    ));
    assert_diag(&d, "поле «title» записано дважды", 6, 1, "meeting.title");
}

#[test]
fn a_duplicate_section_is_named() {
    let d = the_error(&format!("{GOOD}\n[meeting]\nnumber = \"5\"\n"));
    assert_diag(&d, "раздел [meeting] записан дважды", 14, 1, "meeting");
    assert_eq!(
        d.hint.as_deref(),
        Some("объедините поля в один раздел [meeting]")
    );
}

#[test]
fn single_brackets_for_a_list_of_tables_name_the_double_ones() {
    // Once: serde sees a table where a list is expected.
    let once = format!("{GOOD}\n[decision.point]\ntext = \"Подпункт.\"\n");
    let d = the_error(&once);
    assert_diag(
        &d,
        "вложенная таблица пишется [[decision.point]]",
        14,
        1,
        "decision.point",
    );
    // Twice: the parser sees the same table defined again.
    let twice = format!("{once}\n[decision.point]\ntext = \"Ещё.\"\n");
    let d = the_error(&twice);
    assert_diag(
        &d,
        "вложенная таблица пишется [[decision.point]]",
        17,
        1,
        "decision.point",
    );
    // A top-level list.
    let top = GOOD.replace("[[agenda]]", "[agenda]");
    let d = the_error(&top);
    assert_diag(&d, "раздел пишется [[agenda]]", 8, 1, "agenda");
}

#[test]
fn double_brackets_for_one_table_name_the_single_ones() {
    let d = the_error(&GOOD.replace("[meeting]", "[[meeting]]"));
    assert_diag(&d, "раздел пишется [meeting]", 3, 1, "meeting");
}

#[test]
fn an_unclosed_triple_quote_is_reported_where_it_opens() {
    let text = GOOD.replace(
        "text = \"Информацию принять к сведению.\"",
        "text = \"\"\"Информацию принять\nк сведению.",
    );
    let d = the_error(&text);
    assert_diag(
        &d,
        "многострочный текст, начатый \"\"\", не закрыт",
        12,
        8,
        "decision.text",
    );
}

#[test]
fn a_section_of_the_other_kind_is_named_with_its_kind() {
    let text = format!("{GOOD}\n[act]\ntitle = \"О бюджете\"\nnumber = \"12\"\n");
    let d = the_error(&text);
    assert_diag(
        &d,
        "раздел [act] не относится к документу вида «протокол»",
        14,
        1,
        "act",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "в протоколе дата, номер, время и место заседания пишутся в разделе [meeting]; если это постановление, напишите в начале файла kind = \"resolution\""
        )
    );
    let resolution = r#"kind = "resolution"

[act]
date = 2021-06-24
number = "12"
title = "О бюджете"

[[decision]]
text = "Утвердить."
"#;
    let d = the_error(resolution);
    assert_diag(
        &d,
        "раздел [[decision]] не относится к документу вида «постановление»",
        8,
        1,
        "decision",
    );
}

#[test]
fn cr_only_line_ends_give_the_right_line_and_frame() {
    let text = GOOD
        .replace("title = \"рабочего совещания\"", "title = 5")
        .replace('\n', "\r");
    let (code, err) = check_cli(text.as_bytes());
    assert_eq!(code, 1);
    assert!(
        err.contains("протокол.toml, строка 4, столбец 9: ошибка в поле «meeting.title»"),
        "{err}"
    );
    assert!(err.contains("\n4 | title = 5\n"), "{err}");
    assert!(!err.contains("kind = \"protocol\""), "{err}");
}

#[test]
fn a_control_character_in_text_is_blamed_on_its_field_not_the_template() {
    let text = GOOD.replace(
        "О подготовке к учебному году",
        "О подготовке\\u0007 к учебному году",
    );
    let d = the_error(&text);
    assert_diag(
        &d,
        "недопустимый управляющий символ U+0007 в тексте",
        9,
        22,
        "agenda[0].title",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("уберите из текста последовательность «\\u0007»: этот символ не печатается")
    );
    // Tab and newline are text; a form feed and a C1 character are not.
    let fine = GOOD.replace(
        "text = \"Информацию принять к сведению.\"",
        "text = \"\"\"Информацию\tпринять\nк сведению.\"\"\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(dir.path(), "a.toml", fine.as_bytes());
    gostdoc::model::load(&path).expect("tab and newline are fine");
    let d = the_error(&GOOD.replace("к сведению.", "к сведению.\\f"));
    assert_eq!(d.message, "недопустимый управляющий символ U+000C в тексте");
    let d = the_error(&GOOD.replace("к сведению.", "к сведению.\u{85}"));
    assert_eq!(d.message, "недопустимый управляющий символ U+0085 в тексте");
    assert_eq!(d.field.as_deref(), Some("decision[0].text"));
}

#[test]
fn a_build_with_a_control_character_names_the_toml_field() {
    let dir = tempfile::tempdir().unwrap();
    let text = GOOD.replace("к сведению.", "к сведению.\\u001b[31m");
    write_temp(dir.path(), "data/a.toml", text.as_bytes());
    let out = gostdoc(dir.path(), &["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a.toml, строка 12, столбец 39: ошибка в поле «decision[0].text»: недопустимый управляющий символ U+001B в тексте"),
        "{err}"
    );
    assert!(!err.contains("шаблон"), "{err}");
}

#[test]
fn huge_vote_counts_are_a_clear_error() {
    let text = format!("{GOOD}votes = {{ for = 100000000000000000000 }}\n");
    let d = the_error(&text);
    assert_diag(
        &d,
        "число 100000000000000000000 слишком большое",
        13,
        17,
        "decision.votes.for",
    );
    let text = format!("{GOOD}votes = {{ for = 4000000000, against = 4000000000 }}\n");
    let all = errors(&text);
    let messages: Vec<&str> = all.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "число голосов «за» 4000000000 больше допустимого (1000000)",
            "число голосов «против» 4000000000 больше допустимого (1000000)",
        ]
    );
    assert_eq!(all[0].field.as_deref(), Some("decision[0].votes.for"));
    assert_eq!(all[0].position, Some((13, 9)));
    let d = the_error(&format!("{GOOD}votes = {{ for = -1 }}\n"));
    assert_eq!(d.message, "число -1 меньше нуля");
}

/// A good protocol that ends inside `[meeting]`, so that a case can be
/// appended as the last line of the file.
const LAST_MEETING: &str = r#"kind = "protocol"

[[agenda]]
title = "О подготовке к учебному году"

[[decision]]
text = "Информацию принять к сведению."

[meeting]
title = "рабочего совещания"
date = 2021-06-24
"#;

/// Every message the TOML parser can give, each in Russian: input line
/// (appended to a good document, or replacing its first line) and the
/// expected message.
const PARSER_CASES: &[(&str, &str)] = &[
    ("[meeting", "заголовок раздела не закрыт: нет «]»"),
    ("[[decision]", "заголовок раздела не закрыт: нет «]]»"),
    ("[[decision", "заголовок раздела не закрыт: нет «]]»"),
    ("дата = 1", "недопустимое имя поля"),
    ("= 1", "нет имени поля перед «=»"),
    ("number", "после имени поля нет знака «=» и значения"),
    ("number == \"1\"", "лишний знак «=»"),
    (
        "number =",
        "после = нет значения: напишите значение в кавычках",
    ),
    ("number = пять", "текст нужно взять в кавычки"),
    ("number = [1,,2]", "лишняя запятая в списке"),
    ("number = [a = 1]", "знак «=» внутри списка [ … ]"),
    (
        "number = [1, 2\nx = 3",
        "между элементами списка нет запятой, или список не закрыт скобкой «]»",
    ),
    ("number = [1, 2", "список не закрыт: нет «]»"),
    ("number = {x=1,,y=2}", "лишняя запятая в таблице { … }"),
    (
        "number = {x 1}",
        "между именем поля и значением нет знака «=»",
    ),
    ("number = {= 1}", "нет имени поля перед «=»"),
    (
        "number = {x = 1\nb = 2",
        "между полями таблицы { … } нет запятой, или таблица не закрыта скобкой «}»",
    ),
    ("number = {x = 1", "таблица { … } не закрыта: нет «}»"),
    (
        "number = \"1\" date = 1",
        "после значения в строке ещё что-то написано",
    ),
    (
        "number = \"1\"\"",
        "после значения в строке ещё что-то написано",
    ),
    ("number = 07", "число не может начинаться с нуля"),
    ("number = +-1", "лишний знак «+» или «-» у числа"),
    ("number = -0x1", "число записано с ошибкой"),
    ("number = 0X1", "число записано с ошибкой"),
    ("number = 1__0", "число записано с ошибкой"),
    ("number = 1.", "число записано с ошибкой"),
    ("number = 1e", "число записано с ошибкой"),
    ("number = True", "логическое значение записано с ошибкой"),
    (
        "number = \"C:\\Users\"",
        "после «\\u» нужны четыре шестнадцатеричные цифры кода символа",
    ),
    (
        "number = \"C:\\Документы\"",
        "после обратной косой черты «\\» нет допустимого знака",
    ),
    ("number = \"\\uD800\"", "такого кода символа нет в Юникоде"),
    (
        "number = \"один",
        "текст не закрыт: нет закрывающей кавычки в конце строки",
    ),
    (
        "number = 'один",
        "текст не закрыт: нет закрывающей кавычки в конце строки",
    ),
    (
        "number = '''один",
        "многострочный текст, начатый ''', не закрыт",
    ),
    (
        "\"\"\"number\"\"\" = 1",
        "имя поля не может быть в тройных кавычках",
    ),
    (
        "number = 2021-13-01",
        "такой даты не бывает: месяц должен быть от 01 до 12",
    ),
    (
        "number = 2021-02-30",
        "такой даты не бывает: число месяца должно быть от 01 до 28",
    ),
    (
        "number = 25:00",
        "такого времени не бывает: часы должны быть от 00 до 23",
    ),
    (
        "number = 1\nnumber.x = 2",
        "поле «number» уже задано значением, к нему нельзя добавить поля через точку",
    ),
    ("number = 1\nnumber = 2", "поле «number» записано дважды"),
    (
        "number = 5",
        "неверный тип значения: целое число 5, а нужно: строка в кавычках",
    ),
    (
        "time = 14:30",
        "неверный тип значения: время 14:30, а нужно: строка в кавычках",
    ),
    (
        "number = 99999999999999999999",
        "неверный тип значения: целое число 99999999999999999999, а нужно: строка в кавычках",
    ),
    ("numbr = \"5\"", "неизвестное поле «numbr»"),
    (
        "chair = { name = \"Иванов И.И.\", name = \"Петров\" }",
        "поле «name» записано дважды",
    ),
    (
        "chair = 5",
        "неверный тип значения: целое число 5, а нужно: фамилия в кавычках или таблица { name = \"…\" }",
    ),
    ("chair = { nam = \"Иванов\" }", "неизвестное поле «nam»"),
    ("chair = {}", "не заполнено обязательное поле «name»"),
    (
        "number = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "слишком глубокая вложенность скобок",
    ),
];

/// Latin words left in a message once the quoted parts, which name keys
/// and sections the user wrote, are taken out.
fn english_words(message: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut depth = 0i32;
    for c in message.chars() {
        match c {
            '«' | '[' | '{' => depth += 1,
            '»' | ']' | '}' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_parser_message_is_in_russian() {
    let mut failures = Vec::new();
    for (line, expected) in PARSER_CASES {
        let text = format!("{LAST_MEETING}{line}\n");
        let all = errors(&text);
        let d = &all[0];
        if d.message != *expected {
            failures.push(format!(
                "{line:?}: got «{}», expected «{expected}»",
                d.message
            ));
        }
        let english = english_words(&d.message);
        if !english.is_empty() {
            failures.push(format!("{line:?}: English in «{}»: {english:?}", d.message));
        }
        let hint = d.hint.as_deref().unwrap_or("");
        if !hint.is_empty() && !hint.chars().any(|c| matches!(c, 'а'..='я')) {
            failures.push(format!("{line:?}: hint not in Russian: {hint}"));
        }
        if d.position.is_none() {
            failures.push(format!("{line:?}: no position"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_code_frame_never_echoes_a_file_that_is_not_toml() {
    let dir = tempfile::tempdir().unwrap();
    write_temp(dir.path(), "secret.txt", b"root:x:SECRET-LINE:0:0\n");
    let doc = format!("profile = \"secret.txt\"\n{GOOD}");
    let path = write_temp(dir.path(), "протокол.toml", doc.as_bytes());
    let err = gostdoc::model::load(&path).unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("SECRET"), "{text}");
    assert!(!text.contains("root"), "{text}");
    assert!(
        err.0
            .iter()
            .all(|d| d.line_text.is_none() || d.file == Path::new(&path)),
        "{err:#?}"
    );
}

#[test]
fn a_code_frame_is_printable_and_short() {
    // An escape sequence in the line would drive the terminal; a line of
    // a megabyte would be printed whole; a caret at column 100 010 was a
    // format width beyond `fmt`'s limit and the check panicked (exit 101).
    let long = "а".repeat(100_000);
    let text = GOOD.replace(
        "title = \"рабочего совещания\"",
        &format!("title = \"{long}\u{1b}[2J\""),
    );
    let (code, err) = check_cli(text.as_bytes());
    assert_eq!(code, 1);
    assert!(!err.contains('\u{1b}'), "raw ESC printed");
    assert!(err.contains("␛[2J"), "{}", &err[..err.len().min(2000)]);
    assert!(err.len() < 2000, "frame not cut: {} bytes", err.len());
}

/// The warnings of a document that loads, as (line, field, message start).
fn warnings(text: &str) -> Vec<(Option<usize>, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(dir.path(), "a.toml", text.as_bytes());
    let model = gostdoc::model::load(&path).unwrap_or_else(|e| panic!("{e}"));
    model
        .warnings
        .iter()
        .map(|d| {
            (
                d.position.map(|p| p.0),
                d.field.clone().unwrap_or_default(),
                d.message.clone(),
            )
        })
        .collect()
}

#[test]
fn warnings_about_nested_points_point_at_their_own_lines() {
    let text = r#"kind = "protocol"

[meeting]
title = "рабочего совещания"
date = 2021-06-24
chair = "Иванов И.И."

[[agenda]]
title = "О подготовке"

[[decision]]
to = "Отделу образования:"

[[decision.point]]
text = "Подготовить план."

[[decision]]
to = "Школам:"

[[decision.point]]
text = ""

[[decision.point]]
text = "3. Представить отчёт."
"#;
    assert_eq!(
        warnings(text),
        [
            (
                Some(21),
                "decision[1].point[0]".to_owned(),
                "пункт 2.1. пуст: у него нет ни текста, ни подпунктов".to_owned()
            ),
            (
                Some(24),
                "decision[1].point[1].text".to_owned(),
                "текст пункта 2.2. начинается с номера «3.»: gostdoc нумерует пункты сам, номер напечатается дважды".to_owned()
            ),
        ]
    );
}

#[test]
fn warnings_about_inline_entries_and_texts_point_at_the_field() {
    let text = r#"kind = "protocol"
agenda = [
  { title = "О бюджете" },
  { title = "2. О ремонте" },
]

[meeting]
title = "рабочего совещания"
date = 2021-06-24
chair = "Иванов И.И."

[[heard]]
speaker = "Петров П.П."

[[decision]]
text = "1. Принять к сведению."
"#;
    let all = warnings(text);
    let lines: Vec<(Option<usize>, &str)> = all.iter().map(|(l, f, _)| (*l, f.as_str())).collect();
    assert_eq!(
        lines,
        [
            (Some(4), "agenda[1].title"),
            (Some(12), "heard[0].text"),
            (Some(16), "decision[0].text"),
        ],
        "{all:#?}"
    );
}

#[test]
fn warnings_about_what_is_missing_have_no_line_1() {
    let text = r#"kind = "resolution"

[act]
date = 2021-06-24
number = "12"
title = "О бюджете"
"#;
    let all = warnings(text);
    assert_eq!(
        all,
        [
            (
                None,
                "point".to_owned(),
                "в постановлении нет ни одного пункта".to_owned()
            ),
            (
                None,
                "signature".to_owned(),
                "постановление некому подписать: нет [[signature]] ни в документе, ни в профиле"
                    .to_owned()
            ),
        ]
    );
    let protocol = "kind = \"protocol\"\n\n[meeting]\ntitle = \"совещания\"\ndate = 2021-06-24\n";
    let all = warnings(protocol);
    let lines: Vec<(Option<usize>, &str)> = all.iter().map(|(l, f, _)| (*l, f.as_str())).collect();
    assert_eq!(
        lines,
        [(None, "agenda"), (None, "decision"), (Some(3), "signature")],
        "{all:#?}"
    );
}
