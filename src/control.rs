//! Execution marks kept outside the signed text: the control file
//! `_контроль.toml` of a folder of documents. A signed protocol is never
//! edited to say that point 2.3 was done; the secretary writes it here,
//! and `gostdoc assignments` merges it into the register.
//!
//! ```toml
//! [[mark]]
//! document = "000_elnya_rabochee_soveshchanie.toml"  # relative to this file
//! point = "2.3"
//! done = 2021-08-30
//! note = "протокол направлен"
//!
//! [[mark]]
//! document = "001_zhukov_rukovoditeli_ou.toml"
//! point = "1.4"
//! new_deadline = 2021-12-01
//! reason = "по письму министерства"
//! ```
//!
//! The file is found in each folder given and in the folder of each file
//! given; its name starts with `_`, so a folder search (build, check,
//! serve) never takes it for a document. A mark naming a document or a
//! point that does not exist is a warning, not an error: the documents
//! themselves are sound and still build, and the rest of the marks still
//! apply; the warning says where the mark is and which points there are.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::{self, Access, FileKind};
use crate::model::date;
use crate::model::raw::RawDate;
use chrono::NaiveDate;
use serde::Deserialize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The name of the control file in a folder of documents.
pub const FILE_NAME: &str = "_контроль.toml";

/// One control file, read and typed.
#[derive(Debug, Clone)]
pub struct ControlFile {
    /// Its path, as found.
    pub path: PathBuf,
    /// Its text, for the positions of messages.
    source: String,
    /// The marks, in file order.
    pub marks: Vec<Mark>,
}

/// What is recorded of one point of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The document as written in the control file.
    pub document: String,
    /// The document's path: the control file's folder joined with it.
    pub path: PathBuf,
    /// The point as written («2.3», «прил. 1, стр. 5»).
    pub point: String,
    /// Done on this date.
    pub done: Option<NaiveDate>,
    /// A note.
    pub note: Option<String>,
    /// The deadline moved to this date (перенос срока).
    pub new_deadline: Option<NaiveDate>,
    /// Why the deadline moved.
    pub reason: Option<String>,
    document_span: Range<usize>,
    point_span: Range<usize>,
}

impl Mark {
    /// Whether this mark is about `point` (an assignment's point, «2.3.»):
    /// compared without the final dot, case and extra spaces.
    pub fn names_point(&self, point: &str) -> bool {
        point_key(&self.point) == point_key(point)
    }
}

/// «2.3.» and «2.3», «прил. 1,  стр. 5» and «Прил. 1, стр. 5» are one point.
fn point_key(point: &str) -> String {
    point
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches('.')
        .to_lowercase()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawControl {
    #[serde(default)]
    mark: Vec<Spanned<RawMark>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMark {
    document: Spanned<String>,
    point: Spanned<String>,
    done: Option<Spanned<RawDate>>,
    note: Option<String>,
    new_deadline: Option<Spanned<RawDate>>,
    reason: Option<String>,
}

/// The fields a mark may have, for a message.
const MARK_FIELDS: &str = "document, point, done, note, new_deadline, reason";

/// The control files of the inputs: `_контроль.toml` in each folder given
/// and in the folder of each file given, each once, in input order.
pub fn find(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut found: Vec<(PathBuf, PathBuf)> = Vec::new();
    for input in inputs {
        let folder = if input.is_dir() {
            input.clone()
        } else {
            match input.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        };
        let file = folder.join(FILE_NAME);
        if !file.exists() {
            continue;
        }
        let canonical = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
        if !found.iter().any(|(_, c)| *c == canonical) {
            found.push((file, canonical));
        }
    }
    found.into_iter().map(|(f, _)| f).collect()
}

/// Whether `path` is a control file (by its name).
pub fn is_control_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == FILE_NAME)
}

/// Reads and types one control file. Errors name the file, the line and
/// the column.
pub fn load(path: &Path) -> Result<ControlFile, Diagnostics> {
    let bytes = input::read(path, FileKind::Document, &Access::default())
        .map_err(|e| Diagnostic::error(path, e.message).with_hint(e.hint))?;
    let source = String::from_utf8(bytes)
        .map_err(|_| {
            Diagnostic::error(path, "файл не в кодировке UTF-8")
                .with_hint("сохраните файл в кодировке UTF-8")
        })?
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n");
    parse(path, source)
}

/// Types the text of a control file.
pub fn parse(path: &Path, source: String) -> Result<ControlFile, Diagnostics> {
    let tree = match toml::de::DeTable::parse(&source) {
        Ok(tree) => tree,
        Err(e) => return Err(syntax_error(path, &source, &e)),
    };
    let raw = RawControl::deserialize(toml::de::Deserializer::from(tree))
        .map_err(|e| Diagnostics::from(field_error(path, &source, &e)))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut errors = Vec::new();
    let mut marks = Vec::new();
    for spanned in raw.mark {
        let mark_span = spanned.span();
        let m = spanned.into_inner();
        let mut at = |span: Range<usize>, field: &str, message: String, hint: &str| {
            errors.push(
                Diagnostic::at(path, &source, span, message)
                    .with_field(format!("mark.{field}"))
                    .with_hint(hint),
            );
        };
        let document = m.document.get_ref().trim().to_owned();
        if document.is_empty() || !input::is_plain_relative(Path::new(&document)) {
            at(
                m.document.span(),
                "document",
                format!("«{document}» — не путь к документу внутри этой папки"),
                "укажите файл документа относительно файла контроля, без «..», например \"000_протокол.toml\"",
            );
            continue;
        }
        let mut date_of = |d: &Option<Spanned<RawDate>>, field: &str| {
            let d = d.as_ref()?;
            match typed_date(d.get_ref()) {
                Ok(date) => Some(date),
                Err(why) => {
                    at(
                        d.span(),
                        field,
                        why,
                        "пишите дату без кавычек: 2021-08-30, или в кавычках: \"30.08.2021\"",
                    );
                    None
                }
            }
        };
        let done = date_of(&m.done, "done");
        let new_deadline = date_of(&m.new_deadline, "new_deadline");
        if m.done.is_none() && m.new_deadline.is_none() && m.note.is_none() {
            at(
                mark_span,
                "",
                "отметка ничего не отмечает".to_owned(),
                "добавьте done = дата исполнения, new_deadline = новый срок или note = \"примечание\"",
            );
            continue;
        }
        marks.push(Mark {
            path: folder.join(&document),
            document,
            point: m.point.get_ref().trim().to_owned(),
            done,
            note: m.note,
            new_deadline,
            reason: m.reason,
            document_span: m.document.span(),
            point_span: m.point.span(),
        });
    }
    if errors.is_empty() {
        Ok(ControlFile {
            path: path.to_path_buf(),
            source,
            marks,
        })
    } else {
        Err(Diagnostics(errors))
    }
}

/// A TOML date without a time, or a string such as «30.08.2021».
fn typed_date(raw: &RawDate) -> Result<NaiveDate, String> {
    match raw {
        RawDate::Toml(dt) => match (dt.date, dt.time) {
            (Some(d), None) => {
                date::from_ymd(i64::from(d.year), u32::from(d.month), u32::from(d.day))
            }
            _ => Err(format!("«{dt}» — не дата: нужна дата без времени")),
        },
        RawDate::Text(text) => match date::parse(text)? {
            Some((d, _)) => Ok(d),
            None => Err(format!("«{text}» — не дата")),
        },
    }
}

/// A syntax error in Russian, as a document's would be told: the control
/// file is TOML like a document, and the model's reader knows every
/// message of the TOML parser. Its parse fails at the same place, before
/// anything about documents is looked at.
fn syntax_error(path: &Path, source: &str, e: &toml::de::Error) -> Diagnostics {
    match crate::model::load_text(path, source, &Access::default()) {
        Err(d) if d.has_errors() => d,
        _ => {
            let mut d = Diagnostic::error(path, format!("ошибка записи TOML ({})", e.message()));
            if let Some(span) = e.span() {
                d.set_span(source, span);
            }
            d.into()
        }
    }
}

/// A field the control file may not have, or lacks, or of a wrong type.
fn field_error(path: &Path, source: &str, e: &toml::de::Error) -> Diagnostic {
    let raw = e.message();
    let quoted = raw.split('`').nth(1).unwrap_or_default();
    let (message, hint) = if raw.starts_with("unknown field") {
        (
            format!("неизвестное поле «{quoted}»"),
            format!("в файле контроля есть только списки [[mark]], в отметке поля: {MARK_FIELDS}"),
        )
    } else if raw.starts_with("missing field") {
        (
            format!("в отметке нет поля «{quoted}»"),
            "у каждой отметки [[mark]] должны быть document = \"файл документа\" и point = \"номер пункта\"".to_owned(),
        )
    } else if raw.starts_with("invalid type") {
        (
            format!("значение не того типа ({raw})"),
            "document, point, note и reason пишутся в кавычках, даты — без кавычек: 2021-08-30; отметки — [[mark]]".to_owned(),
        )
    } else {
        (
            format!("файл контроля не прочитан ({raw})"),
            format!("отметки пишутся так: [[mark]] с полями {MARK_FIELDS}"),
        )
    };
    let mut d = Diagnostic::error(path, message).with_hint(hint);
    if let Some(span) = e.span() {
        d.set_span(source, span);
    }
    d
}

/// What `check` and `assignments` know of a marked document.
pub enum Known {
    /// The document has these assignment points.
    Points(Vec<String>),
    /// The document is there but cannot be read: its own errors say why.
    Unreadable,
    /// There is no such file.
    Missing,
}

impl ControlFile {
    /// The marks of the document at `document` (compared by canonical
    /// path, so `data/x.toml` and `./data/x.toml` are one).
    pub fn marks_of<'a>(&'a self, document: &'a Path) -> impl Iterator<Item = &'a Mark> + 'a {
        let canonical = std::fs::canonicalize(document).ok();
        self.marks.iter().filter(move |m| {
            canonical.is_some() && std::fs::canonicalize(&m.path).ok() == canonical
        })
    }

    /// Warnings for marks that name a missing document or point. `known`
    /// tells about a marked document's path.
    pub fn verify(&self, mut known: impl FnMut(&Path) -> Known) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for m in &self.marks {
            match known(&m.path) {
                Known::Unreadable => {}
                Known::Missing => out.push(
                    Diagnostic::at(
                        &self.path,
                        &self.source,
                        m.document_span.clone(),
                        format!("документа «{}» нет", m.document),
                    )
                    .with_field("mark.document")
                    .with_hint(
                        "проверьте имя файла: путь пишется относительно файла контроля; если документ переименован, исправьте отметку",
                    )
                    .warning(),
                ),
                Known::Points(points) if !points.iter().any(|p| m.names_point(p)) => {
                    let list = if points.is_empty() {
                        "поручений в нём нет".to_owned()
                    } else {
                        format!("пункты с поручениями: {}", points.join(", "))
                    };
                    out.push(
                        Diagnostic::at(
                            &self.path,
                            &self.source,
                            m.point_span.clone(),
                            format!(
                                "в документе «{}» нет пункта {}; {list}",
                                m.document, m.point
                            ),
                        )
                        .with_field("mark.point")
                        .with_hint("исправьте номер пункта в отметке: отметка не учтена")
                        .warning(),
                    );
                }
                Known::Points(_) => {}
            }
        }
        out
    }
}

/// What `check` says about the control files of the inputs: a file that
/// cannot be read is an error; a mark for a missing document or point, a
/// warning. Marked documents are read for their points (not rendered).
pub fn check(inputs: &[PathBuf]) -> Vec<(PathBuf, Diagnostics)> {
    let access = Access::for_inputs(inputs, &[]);
    let clock = crate::assignments::Clock {
        as_of: NaiveDate::default(),
        due_within: 0,
    };
    let mut out = Vec::new();
    for path in find(inputs) {
        match load(&path) {
            Err(d) => out.push((path, d)),
            Ok(control) => {
                let warnings = control.verify(|doc| {
                    if !doc.is_file() {
                        return Known::Missing;
                    }
                    match crate::model::load_with(doc, &access) {
                        Ok(model) => Known::Points(
                            crate::assignments::collect(&model, &clock)
                                .into_iter()
                                .map(|a| a.point)
                                .collect(),
                        ),
                        Err(_) => Known::Unreadable,
                    }
                });
                if !warnings.is_empty() {
                    out.push((path, Diagnostics(warnings)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_compare_without_the_final_dot_and_spaces() {
        assert_eq!(point_key("2.3."), point_key("2.3"));
        assert_eq!(point_key("Прил. 1,  стр. 5"), point_key("прил. 1, стр. 5"));
        assert_ne!(point_key("2.3"), point_key("2.30"));
    }

    #[test]
    fn dates_as_toml_or_text() {
        let text = "[[mark]]\ndocument = \"a.toml\"\npoint = \"1\"\ndone = 2021-08-30\nnew_deadline = \"01.10.2021\"\n";
        let c = parse(Path::new("d/_контроль.toml"), text.to_owned()).unwrap();
        assert_eq!(c.marks[0].done, NaiveDate::from_ymd_opt(2021, 8, 30));
        assert_eq!(
            c.marks[0].new_deadline,
            NaiveDate::from_ymd_opt(2021, 10, 1)
        );
        assert_eq!(c.marks[0].path, PathBuf::from("d/a.toml"));
    }
}
