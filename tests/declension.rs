//! Names and positions are declined by the templates, and a form the
//! rules get wrong is fixed in the TOML, without code.

mod common;
use common::*;

/// A protocol where Кулик (a surname that declines for a man only) and
/// Рябченко (never declined) are heard.
fn protocol(person_extra: &str) -> String {
    format!(
        r#"kind = "protocol"

[options]
names = "surname_first"

[[people]]
name = "Кулик А.В."
position = "директор школы-интерната"
{person_extra}

[[people]]
name = "Рябченко Галина Николаевна"
position = "заместитель начальника управления"

[meeting]
title = "совещания"
date = 2021-06-24

[[agenda]]
title = "О работе."

[[heard]]
speaker = "Кулик"
text = "о работе школы."

[[heard]]
speaker = "Рябченко"
text = "о плане."

[[signature]]
position = "Секретарь"
person = "Рябченко"
"#
    )
}

fn text_of(toml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let input = write_temp(dir.path(), "p.toml", toml.as_bytes());
    docx_text(&render(&input)).replace('\u{a0}', " ")
}

#[test]
fn the_rules_decline_names_and_positions_after_heard() {
    let text = text_of(&protocol(r#"gender = "м""#));
    assert!(
        text.contains("1. Кулика А.В., директора школы-интерната, о работе школы."),
        "{text}"
    );
    assert!(
        text.contains("2. Рябченко Г.Н., заместителя начальника управления, о плане."),
        "{text}"
    );
    assert!(text.contains("Г.Н. Рябченко"), "{text}");
}

#[test]
fn an_override_in_the_toml_wins_over_the_rules() {
    let text = text_of(&protocol(
        r#"gender = "м"
cases = { accusative = "Кулик А.В." }
position_cases = { accusative = "директора школы-интерната № 1" }"#,
    ));
    assert!(
        text.contains("1. Кулик А.В., директора школы-интерната № 1, о работе школы."),
        "{text}"
    );
    // Only the case given is overridden; the nominative stays as written.
    assert!(!text.contains("Кулика"), "{text}");
}

#[test]
fn a_womans_consonant_surname_is_not_declined() {
    let text = text_of(&protocol(r#"gender = "ж""#));
    assert!(text.contains("1. Кулик А.В., директора"), "{text}");
    // Nor when nothing tells the gender: declining would be a guess.
    let text = text_of(&protocol(""));
    assert!(text.contains("1. Кулик А.В., директора"), "{text}");
}

#[test]
fn a_bad_override_is_reported_with_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let toml = protocol(r#"cases = { accusative = "кулик а.в." }"#);
    let input = write_temp(dir.path(), "p.toml", toml.as_bytes());
    let out = gostdoc(dir.path(), &["check", input.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr) + String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(stderr.contains("people[0].cases.accusative"), "{stderr}");
    assert!(stderr.contains("заглавной буквы"), "{stderr}");
}
