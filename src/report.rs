//! How the command line shows diagnostics: for a person (in Russian, with
//! the source line and a caret; errors red, warnings yellow, the place
//! bold, when the terminal shows colours) or for a program
//! (`--message-format json`: one JSON object per line, for editors and
//! CI). The styles are ANSI codes; the stream they are written to
//! (`anstream`) strips them when colours are off (`--color never`,
//! `NO_COLOR`, not a terminal) and translates them on old Windows consoles.

use crate::diagnostic::{Diagnostic, Severity};
use anstyle::{AnsiColor, Style};
use serde_json::json;
use std::path::Path;

/// The style of «ошибка».
const ERROR: Style = AnsiColor::Red.on_default().bold();
/// The style of «предупреждение».
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// The style of the place: file, line and column.
const PLACE: Style = Style::new().bold();
/// The style of «подсказка».
const HINT: Style = AnsiColor::Cyan.on_default();

/// A diagnostic for a person: the text of its `Display`, with the kind
/// coloured and the place in bold.
pub fn styled(d: &Diagnostic) -> String {
    let plain = d.to_string();
    let (word, style) = match d.severity {
        Severity::Error => ("ошибка", ERROR),
        Severity::Warning => ("предупреждение", WARNING),
    };
    // The Display text starts with the place, then «: ошибка» or
    // «: предупреждение»; the first occurrence after the place is the kind.
    let place_end = plain.find(&format!(": {word}")).unwrap_or(0);
    let (place, rest) = plain.split_at(place_end);
    let rest = rest.replacen(word, &format!("{style}{word}{style:#}"), 1);
    let rest = rest.replace("подсказка:", &format!("{HINT}подсказка:{HINT:#}"));
    if place.is_empty() {
        rest
    } else {
        format!("{PLACE}{place}{PLACE:#}{rest}")
    }
}

/// The header of a file's group of diagnostics: «── data/x.toml», bold.
pub fn file_header(file: &Path) -> String {
    format!("{PLACE}── {}{PLACE:#}", file.display())
}

/// A diagnostic as one line of JSON: `{"type":"diagnostic","level":…,
/// "file":…,"line":…,"column":…,"field":…,"message":…,"hint":…}`; absent
/// parts are `null`, so a reader sees every key on every line.
pub fn json_line(d: &Diagnostic) -> String {
    json!({
        "type": "diagnostic",
        "level": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "file": d.file.to_string_lossy(),
        "line": d.position.map(|p| p.0),
        "column": d.position.map(|p| p.1),
        "field": d.field,
        "message": d.message,
        "hint": d.hint,
    })
    .to_string()
}

/// What a run did, as the last line of JSON: the command's word
/// («build», «check»), the documents done, up to date and failed, and the
/// files written.
pub fn json_summary(
    command: &str,
    done: usize,
    up_to_date: usize,
    failed: usize,
    outputs: &[&Path],
) -> String {
    json!({
        "type": "summary",
        "command": command,
        "done": done,
        "up_to_date": up_to_date,
        "failed": failed,
        "outputs": outputs.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>(),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn sample() -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: PathBuf::from("data/p.toml"),
            position: Some((3, 8)),
            field: Some("meeting.date".into()),
            message: "дата «31.02.2024» не существует".into(),
            hint: Some("проверьте число и месяц".into()),
            line_text: None,
        }
    }

    #[test]
    fn the_kind_is_red_and_the_place_bold_and_nothing_else_changes() {
        let d = sample();
        let s = styled(&d);
        assert!(s.starts_with("\u{1b}[1mdata/p.toml, строка 3, столбец 8\u{1b}[0m: "));
        assert!(s.contains("\u{1b}[1m\u{1b}[31mошибка\u{1b}[0m"), "{s:?}");
        // Without the styles it is the plain text.
        let mut stripped = Vec::new();
        let mut w = anstream::StripStream::new(&mut stripped);
        std::io::Write::write_all(&mut w, s.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(stripped).unwrap(), d.to_string());
    }

    #[test]
    fn json_has_every_key_and_null_for_what_is_unknown() {
        let mut d = sample();
        assert_eq!(
            json_line(&d),
            r#"{"column":8,"field":"meeting.date","file":"data/p.toml","hint":"проверьте число и месяц","level":"error","line":3,"message":"дата «31.02.2024» не существует","type":"diagnostic"}"#
        );
        d.position = None;
        d.field = None;
        d.hint = None;
        d.severity = Severity::Warning;
        assert_eq!(
            json_line(&d),
            r#"{"column":null,"field":null,"file":"data/p.toml","hint":null,"level":"warning","line":null,"message":"дата «31.02.2024» не существует","type":"diagnostic"}"#
        );
    }
}
