//! The editor's forms: «Добавить пункт решения» and the like append the
//! TOML a secretary would otherwise type, brackets, quotes and escapes
//! included, at the place the document's structure needs.
//!
//! An entry of an array of tables goes after the last entry of its family
//! (`[[people]]` after the last person, `[[decision.point]]` at the end of
//! the last decision), or at the end of the file when there is none. The
//! result is parsed before it is offered: a form never turns a valid
//! document into an invalid one.

use super::http::ApiError;
use std::fmt::Write;

/// A form of the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// `[[people]]`: name, position.
    Person,
    /// `[[present]]`: a name.
    Present,
    /// `[[agenda]]`: title, speaker.
    Agenda,
    /// `[[decision.point]]` of the last decision: text, deadline, responsible.
    DecisionPoint,
    /// `[[point]]` of an act: text, deadline, responsible.
    ActPoint,
    /// `[[appendix.table.row]]` of the last appendix: cells, one a line.
    TableRow,
}

impl Form {
    /// The form named in a request.
    pub(crate) fn from_name(name: &str) -> Option<Form> {
        Some(match name {
            "person" => Form::Person,
            "present" => Form::Present,
            "agenda" => Form::Agenda,
            "decision_point" => Form::DecisionPoint,
            "act_point" => Form::ActPoint,
            "table_row" => Form::TableRow,
            _ => return None,
        })
    }

    /// The array the entry is added to.
    fn header(self) -> &'static str {
        match self {
            Form::Person => "people",
            Form::Present => "present",
            Form::Agenda => "agenda",
            Form::DecisionPoint => "decision.point",
            Form::ActPoint => "point",
            Form::TableRow => "appendix.table.row",
        }
    }

    /// The table whose last entry the new one must follow: the entry
    /// belongs to it in TOML (`[[decision.point]]` to the last
    /// `[[decision]]`), or simply sits best after it.
    fn family(self) -> &'static str {
        match self {
            Form::DecisionPoint => "decision",
            Form::TableRow => "appendix",
            other => other.header(),
        }
    }

    /// Said when the entry needs a table the document lacks.
    fn missing_parent(self) -> Option<&'static str> {
        match self {
            Form::DecisionPoint => Some(
                "в документе нет ни одного решения ([[decision]]): пункт решения добавляется к последнему решению; сначала добавьте решение",
            ),
            Form::TableRow => Some(
                "в документе нет приложения с таблицей ([appendix.table]): строка добавляется в таблицу последнего приложения",
            ),
            _ => None,
        }
    }
}

/// Where to insert and what: `line`, `ch` are 0-based, in the editor's
/// lines (LF-separated).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Insertion {
    pub(crate) line: usize,
    pub(crate) ch: usize,
    pub(crate) text: String,
    /// The line where the new entry's header stands, after insertion.
    pub(crate) header_line: usize,
}

/// The fields of a form, from the request's JSON.
pub(crate) type Fields = serde_json::Map<String, serde_json::Value>;

/// The entry for a form's fields, and where it goes in `text`.
pub(crate) fn insertion(form: Form, text: &str, fields: &Fields) -> Result<Insertion, ApiError> {
    let entry = entry(form, fields)?;
    let lines: Vec<&str> = text.split('\n').collect();
    let headers = headers(&lines);
    let family = form.family();
    let in_family = |key: &str| key == family || key.starts_with(&format!("{family}."));
    let last = headers.iter().rposition(|(_, key)| in_family(key));
    if form == Form::TableRow {
        // The row goes to the table of the last appendix, which must have one.
        let last_appendix = headers.iter().rposition(|(_, key)| key == "appendix");
        let has_table = last_appendix
            .is_some_and(|a| headers[a..].iter().any(|(_, key)| key == "appendix.table"));
        if !has_table {
            return Err(ApiError::bad_request(form.missing_parent().unwrap_or("")));
        }
    }
    let next_header = match last {
        Some(i) => headers[i + 1..]
            .iter()
            .find(|(_, key)| !in_family(key))
            .map(|(line, _)| *line),
        None => match form.missing_parent() {
            Some(why) => return Err(ApiError::bad_request(why)),
            None => None,
        },
    };
    let insertion = match next_header {
        Some(at) => {
            // Before the next table, after the family's last line with
            // text: comments and blank lines above the next table stay
            // with it.
            let mut end = at;
            while end > 0 && {
                let l = lines[end - 1].trim();
                l.is_empty() || l.starts_with('#')
            } {
                end -= 1;
            }
            if end < lines.len() && end > 0 {
                Insertion {
                    line: end - 1,
                    ch: lines[end - 1].chars().count(),
                    text: format!("\n{entry}"),
                    header_line: end,
                }
            } else {
                Insertion {
                    line: at,
                    ch: 0,
                    text: format!("{entry}\n"),
                    header_line: at,
                }
            }
        }
        None => {
            // At the end, after a blank line.
            let last_line = lines.len() - 1;
            let ch = lines[last_line].chars().count();
            let mut prefix = String::new();
            if ch > 0 {
                prefix.push('\n');
            }
            let blank_before = ch == 0 && last_line > 0 && lines[last_line - 1].trim().is_empty();
            if !text.trim().is_empty() && !blank_before {
                prefix.push('\n');
            }
            let header_line = last_line + prefix.matches('\n').count();
            Insertion {
                line: last_line,
                ch,
                text: format!("{prefix}{entry}\n"),
                header_line,
            }
        }
    };
    // Never make a valid file invalid: if the result does not parse while
    // the text did, the form is refused.
    if text.parse::<toml::Table>().is_ok() {
        let result = apply(text, &insertion);
        if let Err(e) = result.parse::<toml::Table>() {
            return Err(ApiError::bad_request(format!(
                "после добавления документ перестал бы читаться ({}); добавьте запись вручную",
                e.message()
            )));
        }
    }
    Ok(insertion)
}

/// `text` with the insertion made, as the editor will make it.
pub(crate) fn apply(text: &str, insertion: &Insertion) -> String {
    let mut offset = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i == insertion.line {
            let at = offset
                + line
                    .char_indices()
                    .nth(insertion.ch)
                    .map_or(line.len(), |(b, _)| b);
            return format!("{}{}{}", &text[..at], insertion.text, &text[at..]);
        }
        offset += line.len() + 1;
    }
    format!("{text}{}", insertion.text)
}

/// The table headers of a TOML text: (line, dotted key without spaces),
/// skipping lines inside multi-line strings.
fn headers(lines: &[&str]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut open: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        if open.is_none() {
            let t = line.trim_start();
            if t.starts_with('[') {
                let inner = t.trim_start_matches('[');
                if let Some(end) = inner.find(']') {
                    let key: String = inner[..end]
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect();
                    found.push((i, key.trim_matches('"').to_string()));
                }
                continue;
            }
        }
        // Multi-line strings open and close with """ or '''; one that
        // opens and closes on the same line changes nothing.
        for delimiter in ["\"\"\"", "'''"] {
            let count = line.matches(delimiter).count();
            if count % 2 == 1 {
                open = match open {
                    None => Some(delimiter),
                    Some(d) if d == delimiter => None,
                    other => other,
                };
            }
        }
    }
    found
}

/// The TOML of one entry.
fn entry(form: Form, fields: &Fields) -> Result<String, ApiError> {
    let mut out = format!("[[{}]]\n", form.header());
    match form {
        Form::Person => {
            key(&mut out, "name", required(fields, "name", "ФИО")?);
            if let Some(position) = optional(fields, "position") {
                key(&mut out, "position", position);
            }
        }
        Form::Present => key(
            &mut out,
            "name",
            required(fields, "name", "ФИО или фамилия")?,
        ),
        Form::Agenda => {
            key(&mut out, "title", required(fields, "title", "Вопрос")?);
            if let Some(speaker) = optional(fields, "speaker") {
                key(&mut out, "speaker", speaker);
            }
        }
        Form::DecisionPoint | Form::ActPoint => {
            key(&mut out, "text", required(fields, "text", "Текст пункта")?);
            if let Some(responsible) = optional(fields, "responsible") {
                let names: Vec<String> = responsible
                    .split([',', ';', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(quoted)
                    .collect();
                let _ = writeln!(out, "responsible = [{}]", names.join(", "));
            }
            if let Some(deadline) = optional(fields, "deadline") {
                key(&mut out, "deadline", deadline);
            }
        }
        Form::TableRow => {
            let cells = required(fields, "cells", "Ячейки")?;
            let cells: Vec<String> = cells.lines().map(|c| quoted(c.trim())).collect();
            let _ = writeln!(out, "cells = [{}]", cells.join(", "));
        }
    }
    Ok(out.trim_end().to_string())
}

fn key(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(out, "{name} = {}", string_value(value));
}

fn required<'a>(fields: &'a Fields, name: &str, label: &str) -> Result<&'a str, ApiError> {
    optional(fields, name).ok_or_else(|| ApiError::bad_request(format!("заполните поле «{label}»")))
}

fn optional<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .get(name)
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A TOML string: on one line in quotes, or, when it has line breaks
/// (paragraphs, «- » lists), in triple quotes as the starters write it.
fn string_value(value: &str) -> String {
    let value = value.replace("\r\n", "\n").replace('\r', "\n");
    if !value.contains('\n') {
        return quoted(&value);
    }
    let mut out = String::from("\"\"\"\n");
    for c in value.chars() {
        match c {
            '\n' => out.push('\n'),
            '"' => out.push_str("\\\""),
            other => escape_char(&mut out, other),
        }
    }
    out.push_str("\"\"\"");
    out
}

/// A one-line TOML basic string.
fn quoted(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            other => escape_char(&mut out, other),
        }
    }
    out.push('"');
    out
}

fn escape_char(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\t' => out.push_str("\\t"),
        c if c.is_control() => {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
            .collect()
    }

    fn add(form: Form, text: &str, pairs: &[(&str, &str)]) -> String {
        let ins = insertion(form, text, &fields(pairs)).unwrap();
        apply(text, &ins)
    }

    #[test]
    fn a_decision_point_joins_the_last_decision_escaped() {
        let text = "[[decision]]\nto = \"Отделу\"\n[[decision.point]]\ntext = \"Первый.\"\n\n# Подписи\n[[signature]]\nposition = [\"Глава\"]\nname = \"Иванов И.И.\"\n";
        let out = add(
            Form::DecisionPoint,
            text,
            &[
                ("text", "Рассмотреть «вопрос» \"срочно\" \\ до\tконца"),
                ("deadline", "до 01.09.2021"),
            ],
        );
        let parsed: toml::Table = out.parse().unwrap();
        let points = parsed["decision"][0]["point"].as_array().unwrap();
        assert_eq!(points.len(), 2);
        assert_eq!(
            points[1]["text"].as_str().unwrap(),
            "Рассмотреть «вопрос» \"срочно\" \\ до\tконца"
        );
        assert_eq!(points[1]["deadline"].as_str().unwrap(), "до 01.09.2021");
        // Before the comment that belongs to the signature.
        assert!(out.find("до 01.09.2021").unwrap() < out.find("# Подписи").unwrap());
    }

    #[test]
    fn people_go_after_the_last_person_and_multiline_text_keeps_its_lines() {
        let text = "kind = \"protocol\"\n[[people]]\nname = \"А Б В\"\n[meeting]\ntitle = \"\"\"\n[[people]]\n\"\"\"\n";
        let out = add(
            Form::Person,
            text,
            &[("name", "Петров Пётр Петрович"), ("position", "директор")],
        );
        let parsed: toml::Table = out.parse().unwrap();
        assert_eq!(parsed["people"].as_array().unwrap().len(), 2);
        assert!(out.find("Петров").unwrap() < out.find("[meeting]").unwrap());
        let out = add(
            Form::ActPoint,
            "kind = \"prikaz\"",
            &[("text", "Абзац один.\n\nАбзац два.")],
        );
        let parsed: toml::Table = out.parse().unwrap();
        assert_eq!(
            parsed["point"][0]["text"].as_str().unwrap(),
            "Абзац один.\n\nАбзац два."
        );
    }

    #[test]
    fn rows_agenda_items_and_attendees_join_their_tables() {
        let text = "kind = \"prikaz\"\n[[appendix]]\ntitle = \"А\"\n[appendix.table]\ncolumns = [{ title = \"x\", width = 50 }, { title = \"y\", width = 50 }]\n[[appendix.table.row]]\ncells = [\"1\", \"2\"]\n\n[[signature]]\nposition = [\"Директор\"]\nname = \"Иванов И.И.\"\n";
        let out = add(Form::TableRow, text, &[("cells", "3\n«четыре» \"4\"")]);
        let parsed: toml::Table = out.parse().unwrap();
        let rows = parsed["appendix"][0]["table"]["row"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1]["cells"][1].as_str().unwrap(), "«четыре» \"4\"");
        assert!(out.find("«четыре»").unwrap() < out.find("[[signature]]").unwrap());
        // No table in the last appendix: refused, with the reason.
        let err = insertion(
            Form::TableRow,
            "[[appendix]]\ntitle = \"Б\"\n",
            &fields(&[("cells", "1")]),
        )
        .unwrap_err();
        assert!(
            err.message.contains("нет приложения с таблицей"),
            "{}",
            err.message
        );

        let protocol = "[meeting]\ntitle = \"совещания\"\n[[present]]\nname = \"Иванов\"\n[[agenda]]\ntitle = \"Первый\"\n[[heard]]\nspeaker = \"Иванов\"\n";
        let out = add(
            Form::Agenda,
            protocol,
            &[("title", "Второй"), ("speaker", "Петров")],
        );
        let out = add(Form::Present, &out, &[("name", "Петров")]);
        let parsed: toml::Table = out.parse().unwrap();
        assert_eq!(parsed["agenda"][1]["title"].as_str().unwrap(), "Второй");
        assert_eq!(parsed["agenda"][1]["speaker"].as_str().unwrap(), "Петров");
        assert_eq!(parsed["present"][1]["name"].as_str().unwrap(), "Петров");
        assert!(out.find("Второй").unwrap() < out.find("[[heard]]").unwrap());
        assert!(out.find("name = \"Петров\"").unwrap() < out.find("[[agenda]]").unwrap());
    }

    #[test]
    fn a_point_without_a_decision_is_refused_with_a_reason() {
        let err = insertion(
            Form::DecisionPoint,
            "kind = \"protocol\"\n",
            &fields(&[("text", "x")]),
        )
        .unwrap_err();
        assert!(
            err.message.contains("нет ни одного решения"),
            "{}",
            err.message
        );
        let err = insertion(Form::Agenda, "", &fields(&[("title", " ")])).unwrap_err();
        assert!(err.message.contains("«Вопрос»"), "{}", err.message);
    }
}
