//! Numbering across a year: documents that write `number = "auto"` get
//! the next number of their series, and `check` finds two documents with
//! one number and gaps in a series.
//!
//! A series is the documents of one folder of one kind and one
//! organisation, and by default of one year of their dates
//! (`numbering = "continuous"` in the numbers file: across years). The
//! numbers assigned are kept in the folder's `_номера.toml`, a file that is
//! committed with the documents (not in the output folder): a number once
//! assigned never changes, so adding a document dated earlier gives it the
//! next free number instead of renumbering the ones already signed.
//!
//! ```text
//! # Номера документов с number = "auto", присвоенные gostdoc build.
//! numbering = "yearly"
//!
//! [document."2024-03-01_совещание.toml"]
//! series = "protocol, Администрация Заречного муниципального округа, 2024"
//! number = 1
//! ```
//!
//! `gostdoc build` assigns the missing numbers before rendering (a pass
//! over the folders of the run) and writes the file only when it changed;
//! the model reads a document's number from it as if it were written.

use crate::build::write_atomically;
use crate::diagnostic::system::{reason, write_hint};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::{self, Access, FileKind};
use crate::model::{self, Body, Model, NumberWritten};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The numbers file of a folder of documents.
pub const FILE_NAME: &str = "_номера.toml";

/// `number = "auto"`.
pub const AUTO: &str = "auto";

/// How a series runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheme {
    /// From 1 each calendar year of the documents' dates (the default).
    #[default]
    Yearly,
    /// On and on, across years.
    Continuous,
}

/// A folder's numbers file, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Numbers {
    /// How the series run.
    pub scheme: Scheme,
    /// Document file name (relative to the folder) → its series and number.
    pub documents: BTreeMap<String, Assigned>,
}

/// The number assigned to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    /// The series key (kind, organisation, year).
    pub series: String,
    /// The number.
    pub number: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNumbers {
    numbering: Option<toml::Spanned<String>>,
    #[serde(default)]
    document: BTreeMap<String, RawAssigned>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssigned {
    series: String,
    number: u32,
}

/// The numbers file of the folder `document` lies in.
pub fn file_for(document: &Path) -> PathBuf {
    folder_of(document).join(FILE_NAME)
}

fn folder_of(document: &Path) -> PathBuf {
    match document.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn name_of(document: &Path) -> String {
    document
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The shape of the numbers file, for the messages about it.
impl model::raw::Schema for RawNumbers {
    const TABLE_ARRAYS: &'static [&'static str] = &[];
    const TABLES: &'static [&'static str] = &["document"];
}

/// What to do about a numbers file that cannot be read: mend it, not
/// delete it, since deleting it renumbers the documents.
const MEND_IT: &str = "исправьте файл номеров в указанном месте; не удаляйте его: в нём номера, уже присвоенные документам, и без него они будут присвоены заново и могут измениться";

/// The number assigned to `document` in its folder's numbers file: none
/// when the file or the document's entry is not there yet; an error (in
/// Russian, at the numbers file's line) when the file cannot be read.
pub fn assigned(document: &Path) -> Result<Option<u32>, Box<Diagnostic>> {
    let numbers = read(&folder_of(document))?;
    Ok(numbers.documents.get(&name_of(document)).map(|a| a.number))
}

/// Reads a folder's numbers file; a missing one is empty. What is wrong
/// with it is said at its line, in Russian.
pub fn read(folder: &Path) -> Result<Numbers, Box<Diagnostic>> {
    let path = folder.join(FILE_NAME);
    if !path.exists() {
        return Ok(Numbers::default());
    }
    let bytes = input::read(&path, FileKind::Document, &Access::default()).map_err(|e| {
        Box::new(Diagnostic::error(&path, format!("файл номеров: {}", e.message)).with_hint(e.hint))
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Box::new(Diagnostic::error(&path, "файл номеров не в кодировке UTF-8").with_hint(MEND_IT))
    })?;
    let raw: RawNumbers = toml::from_str(&text).map_err(|e| {
        let d = model::toml_error::<RawNumbers>(&path, &text, &e);
        Box::new(d.with_hint(MEND_IT))
    })?;
    let scheme = match raw
        .numbering
        .as_ref()
        .map(|n| (n.get_ref().as_str(), n.span()))
    {
        None | Some(("yearly", _)) => Scheme::Yearly,
        Some(("continuous", _)) => Scheme::Continuous,
        Some((other, span)) => {
            return Err(Box::new(
                Diagnostic::at(
                    &path,
                    &text,
                    span,
                    format!("numbering = «{other}» не распознано"),
                )
                .with_field("numbering")
                .with_hint("пишите numbering = \"yearly\" (с начала года) или numbering = \"continuous\" (сквозная)"),
            ));
        }
    };
    Ok(Numbers {
        scheme,
        documents: raw
            .document
            .into_iter()
            .map(|(file, a)| {
                let assigned = Assigned {
                    series: a.series,
                    number: a.number,
                };
                (file, assigned)
            })
            .collect(),
    })
}

impl Numbers {
    /// The file's text: deterministic, so that an unchanged assignment is
    /// byte-identical and not rewritten.
    pub fn to_bytes(&self) -> Vec<u8> {
        let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let mut out = String::from(
            "# Номера документов с number = \"auto\", присвоенные gostdoc build.\n\
             # Храните файл вместе с документами: присвоенный номер не меняется.\n",
        );
        out.push_str(match self.scheme {
            Scheme::Yearly => "numbering = \"yearly\"\n",
            Scheme::Continuous => "numbering = \"continuous\"\n",
        });
        for (file, a) in &self.documents {
            out.push_str(&format!(
                "\n[document.{}]\nseries = {}\nnumber = {}\n",
                quote(file),
                quote(&a.series),
                a.number
            ));
        }
        out.into_bytes()
    }
}

/// One document of a folder, as numbering sees it.
#[derive(Debug, Clone)]
pub struct Member {
    /// The file name in its folder.
    pub file: String,
    /// The series key.
    pub series: String,
    /// The document's date.
    pub date: NaiveDate,
    /// The number as written, or `None` for `"auto"`.
    pub written: Option<String>,
    /// Where the number is in the file.
    pub span: Range<usize>,
    /// Its key: `meeting.number` or `act.number`.
    pub field: &'static str,
}

/// The series of a document: its kind, its organisation and (yearly) the
/// year of its date.
pub fn series_key(kind: &str, organization: &str, date: NaiveDate, scheme: Scheme) -> String {
    let organization = if organization.trim().is_empty() {
        "без организации"
    } else {
        organization.trim()
    };
    match scheme {
        Scheme::Yearly => format!("{kind}, {organization}, {}", date.year()),
        Scheme::Continuous => format!("{kind}, {organization}"),
    }
}

/// What numbering needs of one document: its series without the scheme
/// (which the folder's numbers file decides), its date and its number as
/// written. `gostdoc check` takes it from the model it reads anyway, so
/// that the numbering pass does not read every document a second time.
#[derive(Debug, Clone)]
pub struct Numbered {
    file: String,
    kind: &'static str,
    organization: String,
    date: NaiveDate,
    written: Option<String>,
    span: Range<usize>,
    field: &'static str,
}

impl Numbered {
    /// The document's date and number as written, when it has both.
    pub fn of(model: &Model) -> Option<Numbered> {
        let (date, number, field) = match &model.body {
            Body::Protocol(p) => (
                Some(p.meeting.date),
                p.meeting.number.clone(),
                "meeting.number",
            ),
            Body::Act(a) => {
                let act = a.act.as_ref()?;
                (act.date, act.number.clone(), "act.number")
            }
        };
        let date = date?;
        let (written, span) = match &model.number_written {
            NumberWritten::None => return None,
            NumberWritten::Given(span) => (Some(number?), span.clone()),
            NumberWritten::Auto(span) => (None, span.clone()),
        };
        Some(Numbered {
            file: name_of(&model.source),
            kind: model.kind.info().key,
            organization: model.organization.name.clone(),
            date,
            written,
            span,
            field,
        })
    }

    fn member(&self, scheme: Scheme) -> Member {
        Member {
            file: self.file.clone(),
            series: series_key(self.kind, &self.organization, self.date, scheme),
            date: self.date,
            written: self.written.clone(),
            span: self.span.clone(),
            field: self.field,
        }
    }
}

/// What `check` already read of each document, by its path: `Err` when
/// its model could not be read, `Ok(None)` when it has no number to
/// count.
pub type Known = std::collections::HashMap<PathBuf, Result<Option<Numbered>, ()>>;

/// The numbers after assigning the missing ones: an `"auto"` document
/// keeps its number while its series is the same; the others get, in
/// date order, the next number after the largest of their series
/// (written or assigned). Entries of documents no longer `"auto"` are
/// dropped; those of `unreadable` files (which could not be read now) kept.
pub fn assign(old: &Numbers, members: &[Member], unreadable: &BTreeSet<String>) -> Numbers {
    let mut used: BTreeMap<&str, u32> = BTreeMap::new();
    let mut documents = BTreeMap::new();
    for (file, a) in &old.documents {
        if unreadable.contains(file) {
            // Its number stays taken until the file is read again.
            note(&mut used, &a.series, a.number);
            documents.insert(file.clone(), a.clone());
        }
    }
    for m in members {
        if let Some(n) = m.written.as_deref().and_then(|w| w.parse::<u32>().ok()) {
            note(&mut used, &m.series, n);
        }
    }
    // Kept numbers first, so that a new document never takes one.
    let mut fresh: Vec<&Member> = Vec::new();
    for m in members.iter().filter(|m| m.written.is_none()) {
        match old.documents.get(&m.file) {
            Some(a) if a.series == m.series => {
                note(&mut used, &m.series, a.number);
                documents.insert(m.file.clone(), a.clone());
            }
            _ => fresh.push(m),
        }
    }
    fresh.sort_by(|a, b| (a.date, &a.file).cmp(&(b.date, &b.file)));
    for m in fresh {
        let number = used.get(m.series.as_str()).copied().unwrap_or(0) + 1;
        note(&mut used, &m.series, number);
        documents.insert(
            m.file.clone(),
            Assigned {
                series: m.series.clone(),
                number,
            },
        );
    }
    Numbers {
        scheme: old.scheme,
        documents,
    }
}

/// Records `n` as taken in `series`.
fn note<'a>(used: &mut BTreeMap<&'a str, u32>, series: &'a str, n: u32) {
    let top = used.entry(series).or_insert(0);
    *top = (*top).max(n);
}

/// The folders of the inputs (each folder given; the folder of each file
/// given), each once, in input order.
pub fn folders(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut add = |f: PathBuf| {
        if !out.contains(&f) {
            out.push(f);
        }
    };
    for input in inputs {
        if input.is_dir() {
            for job in crate::build::plan(std::slice::from_ref(input), Path::new("")).jobs {
                add(folder_of(&job.input));
            }
        } else {
            add(folder_of(input));
        }
    }
    out
}

/// [`folders`] of a single folder given, from the jobs the build found in
/// it (the same documents in the same order), without searching it again.
pub fn folders_of_jobs(jobs: &[crate::build::Job]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for job in jobs {
        let folder = folder_of(&job.input);
        if !out.contains(&folder) {
            out.push(folder);
        }
    }
    out
}

/// The document files of one folder (not its subfolders): `.toml` files
/// whose names do not start with `_` or `.`.
fn documents_in(folder: &Path) -> Vec<PathBuf> {
    let mut found: Vec<(std::ffi::OsString, PathBuf)> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            // The same documents as the search finds, told from the name.
            let name = e.file_name();
            if !crate::build::is_document_name(&name) {
                return None;
            }
            let p = folder.join(&name);
            // The entry's own type, unless it is a link (followed then):
            // asking the system about every file was most of this pass.
            let is_file = match e.file_type() {
                Ok(t) if !t.is_symlink() => t.is_file(),
                _ => p.is_file(),
            };
            is_file.then_some((name, p))
        })
        .collect();
    // One folder: sorted by name, which is sorting the paths.
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.into_iter().map(|(_, p)| p).collect()
}

/// A folder's documents as numbering sees them, the numbers file, and
/// the files that could not be read (they fail the build on their own).
struct Folder {
    numbers: Numbers,
    members: Vec<(Member, PathBuf)>,
    unreadable: BTreeSet<String>,
}

/// Reads a folder for numbering; `None` when no document of it writes
/// `"auto"` and it has no numbers file (nothing to assign; the check of
/// written numbers still runs when `always`).
fn read_folder(
    folder: &Path,
    access: &Access,
    always: bool,
    known: &Known,
    mentions_auto: &dyn Fn(&Path) -> Option<bool>,
) -> Result<Option<Folder>, Box<Diagnostic>> {
    let files = documents_in(folder);
    // Searched as bytes: «auto» is ASCII, and a file not in UTF-8 fails
    // on its own when it is read as a document.
    let any_auto = || {
        files.iter().any(|f| {
            mentions_auto(f).unwrap_or_else(|| {
                std::fs::read(f).is_ok_and(|t| crate::build::manifest::mentions_auto(&t))
            })
        })
    };
    if !always && !folder.join(FILE_NAME).exists() && !any_auto() {
        return Ok(None);
    }
    let numbers = read(folder)?;
    let mut members = Vec::new();
    let mut unreadable = BTreeSet::new();
    for file in files {
        let numbered = match known.get(&file) {
            Some(read) => read.clone(),
            None => model::load_with(&file, access)
                .map(|m| Numbered::of(&m))
                .map_err(|_| ()),
        };
        match numbered {
            Ok(Some(n)) => members.push((n.member(numbers.scheme), file)),
            Ok(None) => {}
            Err(()) => {
                unreadable.insert(name_of(&file));
            }
        }
    }
    Ok(Some(Folder {
        numbers,
        members,
        unreadable,
    }))
}

/// The pass of `gostdoc build` before rendering: in each folder of the
/// inputs, assigns the numbers missing and writes the numbers file when
/// it changed. What could not be done, by file.
pub fn prepare(inputs: &[PathBuf], access: &Access) -> Vec<(PathBuf, Diagnostics)> {
    prepare_in(folders(inputs), access, &|_| None)
}

/// [`prepare`] over `folders` (what [`folders`] gives for the inputs);
/// `mentions_auto` tells, when it knows without reading the file (the
/// build's manifest), whether a document mentions `"auto"`.
pub fn prepare_in(
    folders: Vec<PathBuf>,
    access: &Access,
    mentions_auto: &dyn Fn(&Path) -> Option<bool>,
) -> Vec<(PathBuf, Diagnostics)> {
    let mut failed = Vec::new();
    for folder in folders {
        let path = folder.join(FILE_NAME);
        let found = match read_folder(&folder, access, false, &Known::new(), mentions_auto) {
            Ok(Some(found)) => found,
            Ok(None) => continue,
            Err(e) => {
                failed.push((path.clone(), (*e).into()));
                continue;
            }
        };
        let members: Vec<Member> = found.members.into_iter().map(|(m, _)| m).collect();
        let numbers = assign(&found.numbers, &members, &found.unreadable);
        if numbers.documents.is_empty() && !path.exists() {
            continue;
        }
        let bytes = numbers.to_bytes();
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            continue;
        }
        if let Err(e) = write_atomically(&path, &bytes) {
            failed.push((
                path.clone(),
                Diagnostic::error(
                    &path,
                    format!("не удалось записать файл номеров: {}", reason(&e)),
                )
                .with_hint(write_hint(&e).unwrap_or("проверьте права на папку с документами"))
                .into(),
            ));
        }
    }
    failed
}

/// What `gostdoc check` says of the numbers of the inputs' folders: two
/// documents with one number in a series, and gaps in a series, as
/// warnings at the `number` line of the later document, with the numbers
/// `build` would assign (the numbers file is not written). A numbers file
/// that cannot be read is an error.
pub fn check(inputs: &[PathBuf], access: &Access) -> Vec<(PathBuf, Diagnostics)> {
    check_known(folders(inputs), access, &Known::new())
}

/// [`check`] of `folders` (what [`folders`] gives for the inputs), taking
/// what `known` holds of a document instead of reading it again.
pub fn check_known(
    folders: Vec<PathBuf>,
    access: &Access,
    known: &Known,
) -> Vec<(PathBuf, Diagnostics)> {
    let mut out = Vec::new();
    for folder in folders {
        let found = match read_folder(&folder, access, true, known, &|_| None) {
            Ok(Some(found)) => found,
            Ok(None) => continue,
            Err(e) => {
                out.push((folder.join(FILE_NAME), (*e).into()));
                continue;
            }
        };
        let members: Vec<Member> = found.members.iter().map(|(m, _)| m.clone()).collect();
        let numbers = assign(&found.numbers, &members, &found.unreadable);
        // (series, number as printed) → documents, in date order.
        let mut numbered: Vec<(&Member, &PathBuf, String)> = found
            .members
            .iter()
            .filter_map(|(m, path)| {
                let number = match &m.written {
                    Some(w) => w.clone(),
                    None => numbers.documents.get(&m.file)?.number.to_string(),
                };
                Some((m, path, number))
            })
            .collect();
        numbered.sort_by(|a, b| (a.0.date, &a.0.file).cmp(&(b.0.date, &b.0.file)));
        for (file, diagnostics) in warnings(&numbered) {
            out.push((file, Diagnostics(diagnostics)));
        }
    }
    out
}

/// The text of `path` up to the end of the line holding byte `end`: all
/// a message at a span ending there shows (its line and column, and that
/// line). The number is near the top of a document, so most of a long
/// file is neither decoded nor scanned (`check` of a folder of copies says
/// a warning at each of them). `None` when the file is shorter than `end`
/// or that part of it is not UTF-8 (changed since it was read).
fn source_through(path: &Path, end: usize) -> Option<String> {
    let mut bytes = std::fs::read(path).ok()?;
    if end > bytes.len() {
        return None;
    }
    let line_end = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i);
    bytes.truncate(line_end);
    String::from_utf8(bytes).ok()
}

/// The duplicate and gap warnings of numbered documents (in date order),
/// grouped by the file they are said at.
fn warnings(numbered: &[(&Member, &PathBuf, String)]) -> Vec<(PathBuf, Vec<Diagnostic>)> {
    let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    let mut say = |member: &Member, path: &PathBuf, message: String| {
        let d = match source_through(path, member.span.end) {
            Some(source) => Diagnostic::at(path, &source, member.span.clone(), message),
            None => Diagnostic::error(path, message),
        };
        by_file
            .entry(path.clone())
            .or_default()
            .push(d.with_field(member.field).warning());
    };
    let series: BTreeSet<&str> = numbered.iter().map(|(m, ..)| m.series.as_str()).collect();
    for s in series {
        let of_series: Vec<&(&Member, &PathBuf, String)> =
            numbered.iter().filter(|(m, ..)| m.series == s).collect();
        // Two documents with one number: said at the later one.
        let mut first: BTreeMap<&str, &Member> = BTreeMap::new();
        for (m, path, number) in &of_series {
            match first.get(number.as_str()) {
                Some(earlier) => say(
                    m,
                    path,
                    format!(
                        "номер {number} уже у документа {} (серия «{s}»): у двух документов одной серии один номер",
                        earlier.file
                    ),
                ),
                None => {
                    first.insert(number.as_str(), m);
                }
            }
        }
        // A gap between two numbers that are plain integers.
        let mut whole: Vec<(u32, &Member, &PathBuf)> = of_series
            .iter()
            .filter_map(|(m, path, n)| n.parse::<u32>().ok().map(|n| (n, *m, *path)))
            .collect();
        whole.sort_by_key(|(n, m, _)| (*n, m.date, m.file.clone()));
        whole.dedup_by_key(|(n, ..)| *n);
        for pair in whole.windows(2) {
            let ((a, before, _), (b, after, path)) = (pair[0], pair[1]);
            if b > a + 1 {
                let missing = if b == a + 2 {
                    format!("пропущен номер {}", a + 1)
                } else {
                    format!("пропущены номера {}–{}", a + 1, b - 1)
                };
                say(
                    after,
                    path,
                    format!(
                        "{missing} в серии «{s}»: после № {a} ({}) идёт № {b} ({})",
                        before.file, after.file
                    ),
                );
            }
        }
    }
    by_file.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(file: &str, date: &str) -> Member {
        Member {
            file: file.into(),
            series: "protocol, О, 2024".into(),
            date: date.parse().unwrap(),
            written: None,
            span: 0..0,
            field: "act.number",
        }
    }

    #[test]
    fn an_earlier_document_added_later_gets_the_next_number() {
        let first = assign(
            &Numbers::default(),
            &[auto("b.toml", "2024-03-01"), auto("a.toml", "2024-02-01")],
            &BTreeSet::new(),
        );
        assert_eq!(first.documents["a.toml"].number, 1);
        assert_eq!(first.documents["b.toml"].number, 2);
        let second = assign(
            &first,
            &[
                auto("b.toml", "2024-03-01"),
                auto("a.toml", "2024-02-01"),
                auto("c.toml", "2024-01-01"),
            ],
            &BTreeSet::new(),
        );
        assert_eq!(second.documents["a.toml"].number, 1);
        assert_eq!(second.documents["b.toml"].number, 2);
        assert_eq!(second.documents["c.toml"].number, 3);
    }
}
