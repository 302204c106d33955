//! Issue 10, the template boundary: a template (a user's override) can hand
//! any value to any filter, and a document can hold any year; neither may
//! crash the program or print nonsense. Every failure is a Russian message
//! that names the template's line (or the document's field and line), and
//! the exit code is 1, never 101.

mod common;
use common::*;
use std::path::Path;

/// A project with the starter protocol in `data/p.toml`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        gostdoc(dir.path(), &["new", "protocol", "p.toml"])
            .status
            .success()
    );
    let starter = std::fs::read(dir.path().join("p.toml")).unwrap();
    write_temp(dir.path(), "data/p.toml", &starter);
    std::fs::remove_file(dir.path().join("p.toml")).unwrap();
    dir
}

/// A protocol template whose line 4 prints `expression`.
fn template_printing(expression: &str) -> String {
    format!(
        "{{#- A hostile template. -#}}\n\
         <document title=\"t\" author=\"a\" subject=\"s\" date=\"2021-01-01\" page-numbers=\"none\">\n\
         <section orientation=\"portrait\">\n\
         <p>{{{{ {expression} }}}}</p>\n\
         </section>\n\
         </document>\n"
    )
}

/// Builds the project with `templates/protocol.xml` printing `expression`:
/// exit code, stderr, and the document's text when it built.
fn build_with(dir: &Path, expression: &str) -> (Option<i32>, String, Option<String>) {
    write_temp(
        dir,
        "templates/protocol.xml",
        template_printing(expression).as_bytes(),
    );
    let _ = std::fs::remove_file(dir.join("output/p.docx"));
    let out = gostdoc(dir, &["build", "--format", "docx"]);
    let text = std::fs::read(dir.join("output/p.docx"))
        .ok()
        .map(|d| docx_text(&d));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        text,
    )
}

/// Hostile values for every filter, and what the error must say. Before
/// typed filters, the first one overflowed in `model/date.rs` (exit 101),
/// `school_year` of `i32::MAX` overflowed in `russian/dates.rs` (exit 101),
/// and the misspelt or mistyped arguments printed a wrong document
/// silently or failed in English.
const HOSTILE: &[(&str, &str)] = &[
    (
        r#"{"kind": "Months", "from": 0, "to": 0, "year": 1} | deadline"#,
        "фильтру deadline нужен срок из данных шаблона (pt.deadline) или текст срока («до 01.09.2021»), а получено: таблица",
    ),
    (
        r#"[1, 2] | deadline"#,
        "фильтру deadline нужен срок из данных шаблона",
    ),
    (
        r#""до 01.09.99999" | deadline"#,
        "фильтр deadline: год 99999 вне допустимого диапазона 1900–2200",
    ),
    (
        "2147483647 | school_year",
        "фильтр school_year: год 2147483647 вне допустимого диапазона 1900–2200",
    ),
    (
        "-5 | years(to=2022)",
        "фильтр years: год -5 вне допустимого диапазона 1900–2200",
    ),
    (
        r#"2021 | years(to="завтра")"#,
        "фильтру years нужно целое число, а получено: строка «завтра»",
    ),
    (
        "2022 | years(to=2021)",
        "фильтр years: конечный год 2021 раньше начального 2022; пишите {{ 2021 | years(to=2022) }}",
    ),
    (
        r#""2021-02-30" | date"#,
        "фильтру date нужна дата ГГГГ-ММ-ДД, а получено «2021-02-30»: такой даты нет",
    ),
    (
        r#""99999-01-01" | date(form="words")"#,
        "год 99999 вне допустимого диапазона 1900–2200",
    ),
    (
        r#""2021-06-24" | date(form=5)"#,
        "параметр form фильтра date должен быть строкой, а получено: целое число «5»",
    ),
    (
        r#""2021-06-24" | date(frm="words")"#,
        "у фильтра date нет параметра «frm»: допустимы: form",
    ),
    (
        r#"{"surname": "Ё"} | name(case="genitive")"#,
        "фильтру name нужен человек из данных шаблона (например, s.speaker) или имя текстом, а получено: таблица",
    ),
    (
        // A handle no person of the view has.
        r#"{"id": 99999} | name(case="genitive")"#,
        "фильтру name нужен человек из данных шаблона (например, s.speaker) или имя текстом, а получено: таблица «{\"id\": 99999}»",
    ),
    (
        r#"{"id": -1} | position"#,
        "фильтру position нужен человек из данных шаблона",
    ),
    (
        "none | name",
        "фильтру name нужен человек из данных шаблона (например, s.speaker) или имя текстом, а получено: none",
    ),
    (
        r#""-" | name(case="genitive")"#,
        "фильтр name: «-» должно начинаться с заглавной буквы",
    ),
    (
        r#""Климова О.Н." | name(cse="genitive")"#,
        "у фильтра name нет параметра «cse»: допустимы: case, form",
    ),
    (
        r#""Климова О.Н." | name(form="short")"#,
        "неизвестная форма имени «short»",
    ),
    (
        "3.5 | position",
        "фильтру position нужен человек из данных шаблона (например, s.speaker) или имя текстом, а получено: дробное число «3.5»",
    ),
    (
        r#""директор" | position(case=true)"#,
        "параметр case фильтра position должен быть строкой, а получено: логическое значение «true»",
    ),
    (
        r#"2.5 | plural(one="лист", few="листа", many="листов")"#,
        "фильтру plural нужно целое число, а получено: дробное число «2.5»",
    ),
    (
        r#"5 | plural(one="лист")"#,
        "фильтру plural нужен параметр few=\"…\"",
    ),
    (
        r#"5 | plural(one="лист", few="листа", many="листов", bare=5)"#,
        "параметр bare фильтра plural должен быть true или false",
    ),
    (
        r#"{"a": 1} | number_words"#,
        "фильтру number_words нужно целое число, а получено: таблица",
    ),
    (
        r#"3 | number_words(gender="x")"#,
        "неизвестный род «x»: m, f или n",
    ),
    (
        "5 | typo",
        "фильтру typo нужна строка, а получено: целое число «5»",
    ),
    (
        "[1] | spaced",
        "фильтру spaced нужна строка, а получено: список",
    ),
    ("none | caps", "фильтру caps нужна строка, а получено: none"),
];

#[test]
fn a_template_passing_hostile_values_to_filters_gets_a_russian_error_at_its_line() {
    let dir = project();
    for (expression, message) in HOSTILE {
        let (code, err, _) = build_with(dir.path(), expression);
        assert_eq!(code, Some(1), "{expression}: exit code\n{err}");
        assert!(!err.contains("panicked"), "{expression}: {err}");
        assert!(
            err.contains(message),
            "{expression}: want «{message}» in\n{err}"
        );
        // The template's file and its line 4, where the expression is.
        assert!(
            err.contains("templates/protocol.xml") && err.contains("protocol.xml:4:"),
            "{expression}: the template's line in\n{err}"
        );
    }
}

#[test]
fn huge_numbers_print_in_figures_and_agree() {
    // Tera computes in i128: 10²⁰ reaches the filters. It used to be
    // refused as «не целое число»; it is an integer, and the word agrees
    // with its last digits.
    let dir = project();
    let (code, err, text) = build_with(
        dir.path(),
        r#"(10000000000 * 10000000000) | plural(one="голос", few="голоса", many="голосов")"#,
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(text.unwrap().contains("100000000000000000000\u{a0}голосов"),);
    let (code, err, text) =
        build_with(dir.path(), "(10000000000 * 10000000000 + 1) | number_words");
    assert_eq!(code, Some(0), "{err}");
    assert!(text.unwrap().contains("100000000000000000001"));
}

/// Every filter, every kind of value, every argument shape: each call
/// prints or fails with a Russian message; none panics. Through Tera
/// directly, as `tests/russian.rs` does, so that thousands of calls take
/// a moment.
#[test]
fn no_value_makes_a_filter_panic() {
    let mut tera = tera::Tera::new();
    gostdoc::filters::register(&mut tera);
    let big: i128 = 10i128.pow(20);
    let person = serde_json::json!({"id": 0, "surname": "Климова"});
    let values: Vec<(&str, serde_json::Value)> = vec![
        ("empty", serde_json::json!("")),
        ("space", serde_json::json!(" ")),
        ("dash", serde_json::json!("-")),
        ("yo", serde_json::json!("Ё")),
        ("apostrophe", serde_json::json!("'")),
        ("dashes", serde_json::json!("А--Б")),
        ("ija", serde_json::json!("Ия")),
        ("initials", serde_json::json!("А.Б.")),
        ("dots", serde_json::json!("...")),
        ("nul", serde_json::json!("\u{0}")),
        ("quotes", serde_json::json!("\"\"\"''")),
        ("long", serde_json::json!("Я".repeat(5000))),
        ("date", serde_json::json!("2021-06-24")),
        ("year0", serde_json::json!("0000-01-01")),
        ("months", serde_json::json!("декабрь–январь 2021 г.")),
        ("range", serde_json::json!("31.12.–01.01.2021")),
        ("zero", serde_json::json!(0)),
        ("minus", serde_json::json!(-1)),
        ("i64max", serde_json::json!(i64::MAX)),
        ("i64min", serde_json::json!(i64::MIN)),
        ("u64max", serde_json::json!(u64::MAX)),
        ("float", serde_json::json!(2.5)),
        ("true", serde_json::json!(true)),
        ("null", serde_json::Value::Null),
        ("array", serde_json::json!([1, "a", null])),
        (
            "map",
            serde_json::json!({"kind": "Months", "from": 0, "to": 99, "year": i32::MAX}),
        ),
        ("text_map", serde_json::json!({"text": 5, "cases": 7})),
        ("person", person),
        ("bad_person", serde_json::json!({"id": u64::MAX})),
    ];
    let filters = [
        "date",
        "date(form=\"quarter\")",
        "date(form=none)",
        "school_year",
        "years(to=v)",
        "deadline",
        "name",
        "name(case=\"genitive\", form=\"full\")",
        "name(case=v)",
        "position(case=\"instrumental\")",
        "plural(one=\"a\", few=\"b\", many=\"c\")",
        "plural(one=v, few=v, many=v, bare=v)",
        "number_words(case=\"instrumental\", gender=\"f\")",
        "number_words(gender=v)",
        "typo",
        "spaced",
        "caps",
    ];
    let mut calls = 0;
    for (label, value) in &values {
        let mut context = tera::Context::new();
        context.insert("v", value);
        context.insert("big", &big);
        context.insert("nan", &f64::NAN);
        context.insert("inf", &f64::INFINITY);
        for subject in ["v", "big", "nan", "inf", "-big"] {
            for filter in filters {
                let template = format!("{{{{ {subject} | {filter} }}}}");
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    tera.render_str(&template, &context, true)
                }));
                calls += 1;
                match outcome {
                    Err(_) => panic!("{template} with v = {label} panicked"),
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => {
                        let message = format!("{e}");
                        assert!(
                            message.chars().any(|c| ('а'..='я').contains(&c)),
                            "{template} with v = {label}: not Russian: {message}"
                        );
                    }
                }
            }
        }
    }
    assert!(calls > 2000, "{calls} calls");
}

/// A protocol with one decision; its deadline on line 9.
const PROTOCOL: &str = r#"kind = "protocol"

[meeting]
title = "рабочего совещания"
date = "24.06.2021"

[[decision]]
text = "Провести семинар."
deadline = "до 01.09.2021"
"#;

/// `gostdoc check` on a protocol: exit code and stderr.
fn check_protocol(text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    write_temp(dir.path(), "протокол.toml", text.as_bytes());
    let out = gostdoc(dir.path(), &["check", "протокол.toml"]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const YEAR_99999: &str =
    "год 99999 вне допустимого диапазона 1900–2200: проверьте год (четыре цифры, например 2021)";

#[test]
fn a_deadline_year_outside_1900_2200_is_an_error_at_its_line() {
    // Each of these built and printed «+99999» (or «январь 99999 г.»).
    for deadline in [
        "до 01.09.99999",
        "01.09.99999",
        "99999-09-01",
        "январь 99999 г.",
        "январь–март 99999 г.",
        "01.11.–02.11.99999",
        "1 сентября 99999 г.",
    ] {
        let (code, err) = check_protocol(&PROTOCOL.replace("до 01.09.2021", deadline));
        assert_eq!(code, Some(1), "{deadline}: {err}");
        assert!(
            err.contains(&format!(
                "протокол.toml, строка 9, столбец 12: ошибка в поле «decision[0].deadline»: {YEAR_99999}"
            )),
            "{deadline}: {err}"
        );
    }
    // The edges of the range are fine.
    for deadline in ["до 01.01.1900", "до 31.12.2200", "декабрь 2200 г."] {
        let (code, err) = check_protocol(&PROTOCOL.replace("до 01.09.2021", deadline));
        assert_eq!(code, Some(0), "{deadline}: {err}");
    }
}

#[test]
fn a_date_year_outside_1900_2200_is_an_error_at_its_line() {
    let (code, err) = check_protocol(&PROTOCOL.replace("\"24.06.2021\"", "\"24.06.99999\""));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "протокол.toml, строка 5, столбец 8: ошибка в поле «meeting.date»: {YEAR_99999}"
        )),
        "{err}"
    );
    let (code, err) = check_protocol(&PROTOCOL.replace("\"24.06.2021\"", "\"24.06.1812\""));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("ошибка в поле «meeting.date»: год 1812 вне допустимого диапазона 1900–2200"),
        "{err}"
    );
}

#[test]
fn a_toml_date_year_outside_1900_2200_is_an_error_at_its_line() {
    let (code, err) = check_protocol(&PROTOCOL.replace("\"24.06.2021\"", "9999-06-24"));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(
            "протокол.toml, строка 5, столбец 8: ошибка в поле «meeting.date»: год 9999 вне допустимого диапазона 1900–2200"
        ),
        "{err}"
    );
}

/// A protocol template with `body` as its line 3.
fn template_with_body(body: &str) -> String {
    format!(
        "<document title=\"t\" author=\"a\" subject=\"s\" date=\"2021-01-01\" page-numbers=\"none\">\n\
         <section orientation=\"portrait\">\n\
         {body}\n\
         </section>\n\
         </document>\n"
    )
}

#[test]
fn a_template_printing_without_end_stops_at_16_mb_naming_the_template() {
    // 10¹⁰ paragraphs of a kilobyte: the process used to grow until the
    // allocator aborted it. (Long paragraphs reach the limit in a moment,
    // far from the time limit, even on a loaded machine.)
    let dir = project();
    let paragraph = format!(
        "<p>абзац {{{{ a }}}}.{{{{ b }}}} {}</p>\n",
        "текст ".repeat(90)
    );
    write_temp(
        dir.path(),
        "templates/protocol.xml",
        template_with_body(&format!(
            "{{% for a in range(end=100000) %}}{{% for b in range(end=100000) %}}{paragraph}{{% endfor %}}{{% endfor %}}"
        ))
        .as_bytes(),
    );
    let start = std::time::Instant::now();
    let out = gostdoc(dir.path(), &["build", "--format", "docx"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "ошибка в шаблоне templates/protocol.xml: вывод превысил 32 МБ и остановлен: шаблон, \
             вероятно, повторяет текст в цикле без конца; проверьте циклы {% for %} и range(end=…)"
        ),
        "{err}"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn nested_loops_printing_nothing_stop_at_10_s_with_the_templates_line() {
    // 10¹⁰ empty iterations: the build used to hang for hours.
    let dir = project();
    write_temp(
        dir.path(),
        "templates/protocol.xml",
        template_with_body(
            "{%- for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}",
        )
        .as_bytes(),
    );
    let start = std::time::Instant::now();
    let out = gostdoc(dir.path(), &["build", "--format", "docx"]);
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "ошибка в шаблоне templates/protocol.xml: error: шаблон выполняется дольше 10 с и \
             остановлен: вероятно, в нём слишком большой или бесконечный цикл; проверьте \
             вложенные {% for %} и range(end=…)"
        ),
        "{err}"
    );
    assert!(
        err.contains("--> protocol.xml:3:"),
        "the loop's line: {err}"
    );
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
}

/// Renders the starter protocol with `templates/protocol.xml` replaced by
/// the built-in one edited by `edit`, parses the markup, and maps the
/// markup error back to the template (what `build` does with a markup
/// error; see `Templates::locate`).
fn markup_error_in_template(
    edit: impl Fn(&str) -> String,
) -> (
    gostdoc::markup::MarkupError,
    Option<gostdoc::template::TemplateLine>,
) {
    let dir = project();
    let builtin = gostdoc::template::BUILTIN
        .iter()
        .find(|(n, _)| *n == "protocol.xml")
        .unwrap()
        .1;
    write_temp(
        dir.path(),
        "templates/protocol.xml",
        edit(builtin).as_bytes(),
    );
    let templates =
        gostdoc::template::Templates::load(Some(&dir.path().join("templates"))).unwrap();
    let model = gostdoc::model::load(&dir.path().join("data/p.toml")).unwrap();
    let view = gostdoc::view::build(&model);
    let markup = templates.render(&view).unwrap();
    let no_files = |name: &str| -> std::io::Result<Vec<u8>> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("нет файла {name}"),
        ))
    };
    let error = match gostdoc::markup::parse(&markup, &no_files) {
        Err(e) => e,
        Ok(_) => panic!("the markup parsed"),
    };
    let at = templates.locate(&view, &markup, error.line, error.column);
    (error, at)
}

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> u32 {
    let at = text.find(needle).unwrap();
    text[..at].matches('\n').count() as u32 + 1
}

#[test]
fn a_markup_error_maps_back_to_the_templates_own_line_and_column() {
    // An unknown element in the chair's line. The markup error names a
    // line of the generated markup (dozens of lines away from the
    // template's); `locate` names the template's.
    let anchor = "<p indent=\"0\" before=\"16\">{{ labels.chair }}";
    let (error, at) = markup_error_in_template(|t| t.replace(anchor, &format!("<para/>{anchor}")));
    assert!(error.message.contains("<para>"), "{}", error.message);
    let at = at.expect("a template line");
    let builtin = gostdoc::template::BUILTIN[1].1;
    let want_line = line_of(builtin, anchor);
    assert_ne!(error.line, want_line, "the markup line differs");
    assert_eq!(at.name, "protocol.xml");
    assert!(
        at.origin.ends_with("templates/protocol.xml"),
        "{}",
        at.origin
    );
    assert_eq!(at.line, want_line);
    assert_eq!(at.column, Some(1));
    assert!(at.text.starts_with("<para/><p indent"), "{}", at.text);
    assert_eq!(
        at.to_string(),
        format!("{}, строка {want_line}, столбец 1", at.origin)
    );
    let frame = at.frame();
    assert!(
        frame.contains(&format!("--> protocol.xml:{want_line}:1\n")),
        "{frame}"
    );
    assert!(
        frame.contains(&format!("{want_line} | <para/><p indent")),
        "{frame}"
    );
}

#[test]
fn a_missing_image_maps_back_to_the_templates_line_after_printed_values() {
    // After values printed on the same line: the column is found from the
    // template's own text that follows them.
    let anchor = "{{ p.chair.position }}{% endif %}</p>";
    let (error, at) = markup_error_in_template(|t| {
        t.replace(
            anchor,
            &format!("{anchor}<image src=\"нет.png\" width=\"15\" height=\"17\"/>"),
        )
    });
    assert!(error.message.contains("нет.png"), "{}", error.message);
    let at = at.expect("a template line");
    let builtin = gostdoc::template::BUILTIN[1].1;
    assert_eq!(at.line, line_of(builtin, anchor));
    let column = at
        .text
        .find("<image")
        .map(|i| at.text[..i].chars().count() as u32 + 1);
    assert_eq!(at.column, column, "{}", at.text);
}

#[test]
fn a_markup_error_inside_a_shared_component_maps_to_components_xml() {
    // The error comes from components.xml, called from protocol.xml.
    let dir = project();
    let components = gostdoc::template::BUILTIN[0].1;
    let anchor = "<p>{{ b.content }}</p>";
    write_temp(
        dir.path(),
        "templates/components.xml",
        components
            .replacen(anchor, "<para>{{ b.content }}</para>", 1)
            .as_bytes(),
    );
    let templates =
        gostdoc::template::Templates::load(Some(&dir.path().join("templates"))).unwrap();
    let model = gostdoc::model::load(&dir.path().join("data/p.toml")).unwrap();
    let view = gostdoc::view::build(&model);
    let markup = templates.render(&view).unwrap();
    let error = gostdoc::markup::parse(&markup, &|_: &str| Ok(Vec::new())).unwrap_err();
    let at = templates
        .locate(&view, &markup, error.line, error.column)
        .expect("a template line");
    assert_eq!(at.name, "components.xml");
    assert_eq!(at.line, line_of(components, anchor));
}
