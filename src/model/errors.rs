//! Turns toml/serde errors into Russian diagnostics with a field path and,
//! for a misspelt key, a «возможно, имелось в виду …» suggestion.

use crate::diagnostic::Diagnostic;
use std::path::Path;

/// Translates a toml deserialisation error into a diagnostic.
pub(super) fn from_toml_error(file: &Path, source: &str, err: &toml::de::Error) -> Diagnostic {
    let raw = err.message().trim().to_owned();
    let mut field = field_path(err);
    if field.is_empty()
        && let Some(span) = err.span()
    {
        field = field_at(source, span.start);
    }
    let (message, hint) = translate(&raw);
    let mut d = Diagnostic::error(file, message).with_field(field.clone());
    if let Some(span) = err.span() {
        d.set_span(source, span);
    }
    if let Some(hint) = hint {
        d = d.with_hint(hint);
    }
    d
}

/// The dotted key path serde reported («meeting.date»). toml only prints
/// it when it has no input to quote, so ask for exactly that.
fn field_path(err: &toml::de::Error) -> String {
    let mut bare = err.clone();
    bare.set_input(None);
    let text = bare.to_string();
    text.lines()
        .rev()
        .find_map(|l| l.strip_prefix("in `").and_then(|l| l.strip_suffix('`')))
        .unwrap_or_default()
        .to_owned()
}

/// The dotted key at a byte offset, read from the text itself: the key
/// of that line under the nearest `[table]` header above it. Used for
/// syntax errors, where serde has no field to report.
fn field_at(source: &str, offset: usize) -> String {
    let before = &source[..offset.min(source.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = source[line_start..].lines().next().unwrap_or_default();
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim())
        .unwrap_or_default();
    let table = before[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(['[', ']']).trim())
        .unwrap_or_default();
    match (table, key) {
        (_, "") => String::new(),
        ("", k) => k.to_owned(),
        (t, k) => format!("{t}.{k}"),
    }
}

/// Russian message and hint for a serde or TOML syntax message.
fn translate(raw: &str) -> (String, Option<String>) {
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return (
            format!("не заполнено обязательное поле «{name}»"),
            Some(format!("добавьте строку `{name} = …` в эту таблицу")),
        );
    }
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let expected: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .map(|e| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let hint = match suggest(name, &expected) {
            Some(s) => format!("возможно, имелось в виду «{s}»"),
            None if !expected.is_empty() => format!("допустимые поля: {}", expected.join(", ")),
            None => "уберите это поле".to_owned(),
        };
        return (format!("неизвестное поле «{name}»"), Some(hint));
    }
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            format!(
                "неверный тип значения: {}, а нужно: {}",
                russian_found(found),
                russian_expected(expected)
            ),
            None,
        );
    }
    if let Some(rest) = raw.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            format!(
                "недопустимое значение {}, а нужно: {}",
                russian_found(found),
                russian_expected(expected)
            ),
            None,
        );
    }
    if raw.starts_with("duplicate key") {
        let name = raw.split('`').nth(1).unwrap_or("");
        return (
            format!("поле «{name}» записано дважды"),
            Some("оставьте одно из них".into()),
        );
    }
    if raw.contains("date") || raw.contains("day") || raw.contains("month") {
        return (
            "такой даты не бывает".into(),
            Some("проверьте число и месяц; дата пишется так: 2021-06-24".into()),
        );
    }
    if raw.contains("unterminated") || raw.contains("string") {
        return (
            "строка не закрыта или записана с ошибкой".into(),
            Some("текст пишется в кавычках: \"…\", длинный — в тройных: \"\"\"…\"\"\"".into()),
        );
    }
    (
        "ошибка в записи TOML".into(),
        Some(format!(
            "проверьте кавычки, знак «=» и скобки в этой строке (подробности: {})",
            raw.replace('\n', "; ")
        )),
    )
}

fn russian_found(found: &str) -> String {
    let found = found.trim();
    if let Some(v) = found.strip_prefix("string ") {
        return format!("строка {v}");
    }
    for (en, ru) in [
        ("integer", "целое число"),
        ("floating point", "дробное число"),
        ("boolean", "логическое значение"),
        ("sequence", "список [ … ]"),
        ("map", "таблица"),
        ("datetime", "дата"),
    ] {
        if let Some(v) = found.strip_prefix(en) {
            return format!("{ru}{v}").replace('`', "");
        }
    }
    found.replace('`', "")
}

fn russian_expected(expected: &str) -> String {
    let e = expected.trim();
    match e {
        "a string" => "строка в кавычках".into(),
        "a boolean" => "true или false".into(),
        "u32" | "i64" | "u64" | "usize" | "i32" => "целое число".into(),
        "f32" | "f64" => "число".into(),
        "a sequence" => "список [ … ]".into(),
        "a date" => "дата, например 2021-06-24".into(),
        "a string or an array of strings" => "строка или список строк [\"…\", \"…\"]".into(),
        "a string or a table" => "фамилия в кавычках или таблица { name = \"…\" }".into(),
        _ if e.starts_with("struct") => "таблица".into(),
        _ => e.replace('`', ""),
    }
}

/// The closest known key, if it is close enough to be a likely typo.
pub(super) fn suggest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_gets_a_suggestion() {
        let (msg, hint) =
            translate("unknown field `daet`, expected one of `title`, `date`, `time`");
        assert_eq!(msg, "неизвестное поле «daet»");
        assert_eq!(hint.as_deref(), Some("возможно, имелось в виду «date»"));
    }

    #[test]
    fn wrong_type_is_in_russian() {
        let (msg, _) = translate("invalid type: integer `5`, expected a string");
        assert_eq!(
            msg,
            "неверный тип значения: целое число 5, а нужно: строка в кавычках"
        );
    }

    #[test]
    fn syntax_errors_name_the_key_of_their_line() {
        let src = "kind = 1\n[meeting]\ndate = 2021-02-30\n";
        assert_eq!(field_at(src, src.find("2021").unwrap()), "meeting.date");
        assert_eq!(field_at(src, 3), "kind");
    }

    #[test]
    fn missing_field_names_it() {
        let (msg, hint) = translate("missing field `date`");
        assert_eq!(msg, "не заполнено обязательное поле «date»");
        assert!(hint.unwrap().contains("date = "));
    }
}
