//! The validated model: what a document says, with typed dates, parsed
//! people, typed deadlines and computed numbering.
//!
//! [`load`] is the only function of the crate that parses input files
//! (the build only hashes them, to know what changed). It reads a document
//! (and its profile), deserialises the raw serde source ([`raw`]), and
//! validates it into a [`Model`], collecting every problem it finds as a
//! Russian [`Diagnostic`] that points at the file, line and field. The
//! `lint` submodule adds warnings about valid content that looks wrong
//! ([`Model::warnings`], shown by `gostdoc check`).

pub mod act;
pub mod date;
mod errors;
pub mod kind;
mod lint;
mod long_table;
pub mod options;
pub mod person;
pub mod protocol;
pub mod raw;
mod requisites;
mod source;
pub mod table;
pub mod text;

pub use act::*;
pub use kind::{DocKind, Family};
pub use options::*;
pub use protocol::*;
pub use requisites::{Electronic, registration_text};
pub use table::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::{self, Access, FileKind};
use chrono::NaiveDate;
use date::{DateStyle, Deadline};
use person::{Gender, PersonName};
use raw::*;
use serde::Serialize;
use source::Source;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use text::{TextBlock, parse_blocks};
use toml::Spanned;
/// A validated document of either kind.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// The input file.
    pub source: PathBuf,
    /// The document kind.
    pub kind: DocKind,
    /// Files this document was read from: itself and its profile.
    pub inputs: Vec<PathBuf>,
    /// The organisation.
    pub organization: Organization,
    /// Layout and wording options.
    pub options: Options,
    /// Heading words.
    pub labels: Labels,
    /// The document's own content.
    pub body: Body,
    /// Content that is valid but looks wrong (shown by `gostdoc check`).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
    /// What the model changed or could not lay out as written (a table
    /// narrowed to the page, a header word wider than its column): shown
    /// by `build` too, since the output differs from what was written.
    #[serde(skip)]
    pub layout_warnings: Vec<Diagnostic>,
    /// How the number was written, for the numbering of a folder
    /// ([`crate::numbering`]).
    #[serde(skip)]
    pub number_written: NumberWritten,
}

/// How a document's number (`[meeting] number`, `[act] number`) was written.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum NumberWritten {
    /// Not written (a draft, a protocol without a number, a plan).
    #[default]
    None,
    /// Written as it prints; where it is in the file.
    Given(Range<usize>),
    /// `number = "auto"`: the number comes from the folder's
    /// `_номера.toml` (none yet before the first build); where it is.
    Auto(Range<usize>),
}

impl Model {
    /// The document's registration number and date, as they print: a
    /// protocol's from `[meeting]`, an act's from `[act]` (an approved
    /// document without an act has neither). The registers of assignments
    /// and of documents both list them.
    pub fn number_and_date(&self) -> (Option<String>, Option<NaiveDate>) {
        match &self.body {
            Body::Protocol(p) => (p.meeting.number.clone(), Some(p.meeting.date)),
            Body::Act(a) => a
                .act
                .as_ref()
                .map_or((None, None), |act| (act.number.clone(), act.date)),
        }
    }
}

/// The document's content, by family of kinds.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "family", rename_all = "lowercase")]
pub enum Body {
    /// Протокол.
    Protocol(Box<Protocol>),
    /// An act or an approved document.
    Act(Box<ActDocument>),
}

/// The organisation issuing the document.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Organization {
    /// Name for the document properties.
    pub name: String,
    /// Header lines.
    pub header: Vec<String>,
    /// Place of compilation.
    pub city: Option<String>,
    /// «администрации МО «…»», for the appendix label.
    pub issuer_genitive: Option<String>,
    /// The coat of arms: its path relative to the document's folder.
    pub emblem: Option<String>,
    /// Where [`Organization::emblem`] is written (the document's line, or
    /// its profile's): an error without a message yet, for what is found
    /// only when the picture is read (no such file, not a PNG or JPEG),
    /// which is said there rather than at the template that draws it.
    #[serde(skip)]
    pub emblem_named_at: Option<Box<Diagnostic>>,
    /// The emblem's height, mm.
    pub emblem_height: f32,
    /// The parent body above the name on the бланк, one line each.
    pub parent: Vec<String>,
    /// The бланк's reference lines (address; telephone and e-mail), printed
    /// smaller under the name and closed by a rule. Empty: no rule.
    pub contacts: Vec<String>,
}

/// A person with the forms templates print.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Person {
    /// The parsed name.
    pub name: PersonName,
    /// Position, nominative.
    pub position: Option<String>,
    /// Gender.
    pub gender: Gender,
    /// The name in oblique cases, as written in the TOML where the rules
    /// are wrong: case name («accusative») → text.
    pub name_cases: BTreeMap<&'static str, String>,
    /// The position in oblique cases, as written in the TOML.
    pub position_cases: BTreeMap<&'static str, String>,
}

/// A numbered point.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// «2.1.».
    pub number: String,
    /// Agenda item, 1-based.
    pub question: Option<usize>,
    /// Addressee.
    pub to: Option<String>,
    /// Text.
    pub text: Vec<TextBlock>,
    /// Responsible persons or bodies, as written.
    pub responsible: Vec<String>,
    /// Deadline.
    pub deadline: Option<Deadline>,
    /// Deadline shared by the sub-points.
    pub group_deadline: Option<Deadline>,
    /// Votes: for, against, abstained.
    pub votes: Option<(u32, u32, u32)>,
    /// Sub-points.
    pub points: Vec<Point>,
}

/// A signature row.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    /// Position lines.
    pub position: Vec<String>,
    /// Who signs.
    pub person: Person,
    /// Signed electronically: the certificate, for the mark printed in the
    /// place of the handwritten signature.
    pub electronic: Option<Electronic>,
}

/// Page orientation of an appendix.
pub use crate::document::Orientation;

/// Reads and validates one document file; its profile may lie in the
/// document's folder tree or the current folder.
pub fn load(path: &Path) -> Result<Model, Diagnostics> {
    load_with(path, &Access::for_document(path))
}

/// Reads and validates one document file, reading its profile only from
/// the folders `access` allows.
pub fn load_with(path: &Path, access: &Access) -> Result<Model, Diagnostics> {
    let text = read_source(path, FileKind::Document, access)?;
    validate_text(path, text, access)
}

/// Validates a text not saved yet (the editor of `gostdoc serve`) as if
/// it were the content of `path`: its profile is read relative to `path`
/// and the diagnostics name `path`. Nothing is read from `path` itself.
pub fn load_text(path: &Path, text: &str, access: &Access) -> Result<Model, Diagnostics> {
    let text = decode_source(path, text.as_bytes().to_vec())?;
    validate_text(path, text, access)
}

fn validate_text(path: &Path, text: String, access: &Access) -> Result<Model, Diagnostics> {
    validate_text_compressing(path, text, access, crate::document::STORED_FROM)
}

/// [`validate_text`], the text of a long table of `compress_from` rows or
/// more kept compressed while the model reads it
/// ([`long_table::slices_to_compress`]); the tests give it short tables.
fn validate_text_compressing(
    path: &Path,
    text: String,
    access: &Access,
    compress_from: usize,
) -> Result<Model, Diagnostics> {
    // A long table's rows a slice at a time; the whole parse otherwise,
    // and for whatever that reading does not expect, found here or when
    // the rows are read.
    let mut raw: RawDocument = match long_table::parse(path, &text) {
        Some(raw) => raw,
        None => parse_toml(path, &text)?,
    };
    let mut text = text;
    loop {
        match validate_raw(path, text, raw, access, compress_from) {
            Validated::Read(read) => return read,
            // A whole parse leaves no rows for later: this is once at most.
            Validated::ParseWhole(back) => {
                text = back;
                raw = parse_toml(path, &text)?;
            }
        }
    }
}

/// What [`validate_raw`] made of a parsed document. Returned once a
/// document and never stored, so the model is not boxed.
#[allow(clippy::large_enum_variant)]
enum Validated {
    /// The model, or what is wrong with the document.
    Read(Result<Model, Diagnostics>),
    /// A long table's slice did not read as expected: the file's text,
    /// to be parsed whole, which says why.
    ParseWhole(String),
}

/// [`validate_text_compressing`] of a parsed document.
fn validate_raw(
    path: &Path,
    text: String,
    raw: RawDocument,
    access: &Access,
    compress_from: usize,
) -> Validated {
    let long = text.len() as u64 >= crate::format::LONG_DOCUMENT_BYTES;
    // A long table's slices compressed until the model reads them.
    let source = match long_table::slices_to_compress(&raw, compress_from) {
        Some(slices) => Source::sliced(text, slices),
        None => Source::whole(text),
    };
    let mut v = Validator::new(path, source);
    let mut inputs = vec![path.to_path_buf()];
    let profile = match &raw.profile {
        Some(p) => {
            let profile_path = path.parent().unwrap_or(Path::new(".")).join(p.get_ref());
            // The emblem a profile names is relative to the profile; the
            // build reads pictures relative to the document's folder.
            let relative_profile = PathBuf::from(p.get_ref());
            // Not readable: said at the document's `profile` line. Not
            // UTF-8: said about the profile itself, at its bad byte.
            match input::read(&profile_path, FileKind::Profile, access)
                .map(|bytes| decode_source(&profile_path, bytes))
            {
                Err(e) => {
                    v.error(p.span(), "profile", e.message, Some(e.hint));
                    None
                }
                Ok(Err(mut not_utf8)) => {
                    v.diagnostics.append(&mut not_utf8.0);
                    None
                }
                Ok(Ok(ptext)) => {
                    let profile = match read_profile(&profile_path, ptext) {
                        Ok(profile) => profile,
                        Err(unreadable) => return Validated::Read(Err(unreadable)),
                    };
                    v.diagnostics.extend(profile.diagnostics.iter().cloned());
                    v.people.extend(profile.people.iter().cloned());
                    v.profile_source =
                        Some((profile_path.clone(), Source::whole(profile.text.clone())));
                    inputs.push(profile_path.clone());
                    Some((profile, relative_profile))
                }
            }
        }
        None => None,
    };
    v.collect_people(&raw.people);
    let profile = profile.as_ref().map(|(p, path)| (&p.raw, path.clone()));
    let mut model = v.validate(raw, profile, inputs);
    if v.sliced_rows_failed {
        let source = std::mem::replace(&mut v.source, Source::whole(String::new()));
        return Validated::ParseWhole(source.into_text());
    }
    if let NumberWritten::Auto(_) = model.number_written {
        // A new number there rebuilds the document.
        model.inputs.push(crate::numbering::file_for(path));
    }
    let diags = Diagnostics(std::mem::take(&mut v.diagnostics));
    let read = if diags.has_errors() {
        Err(diags)
    } else {
        model.warnings = diags.0;
        model.layout_warnings = std::mem::take(&mut v.layout);
        // In the order of the file, as the secretary reads it.
        model.warnings.sort_by_key(|d| d.position);
        Ok(model)
    };
    // The text and what the TOML parse made of it: a third of the
    // 35,000-row roadmap's memory, free from here on.
    drop(v);
    if long {
        crate::memory::long_document_stage_done();
    }
    Validated::Read(read)
}

/// A profile parsed, with what reading its `[[people]]` said and found.
struct ReadProfile {
    /// Its text, as read.
    text: String,
    raw: RawProfile,
    /// The problems of its `[[people]]`, said at the profile's lines.
    diagnostics: Vec<Diagnostic>,
    people: Vec<Person>,
}

/// The profile at `path` whose text is `text`, parsed and its people read;
/// the same one as for the last document that named this file with this
/// text (a folder of documents shares one profile, which was parsed again
/// for each of them). Keyed by the path and the whole text, so a profile
/// changed while `watch` or `serve` runs is read again; what fails to
/// parse is not kept, and says its error each time.
fn read_profile(path: &Path, text: String) -> Result<Arc<ReadProfile>, Diagnostics> {
    type Profiles = HashMap<PathBuf, Arc<ReadProfile>>;
    static PROFILES: Mutex<Option<Profiles>> = Mutex::new(None);
    let kept = |profiles: &mut Option<Profiles>| {
        (profiles.get_or_insert_with(HashMap::new).get(path))
            .filter(|p| p.text == text)
            .cloned()
    };
    if let Some(found) = kept(&mut PROFILES.lock().unwrap_or_else(|e| e.into_inner())) {
        return Ok(found);
    }
    let raw: RawProfile = parse_toml(path, &text)?;
    let mut pv = Validator::new(path, Source::whole(text));
    pv.collect_people(&raw.people);
    let read = Arc::new(ReadProfile {
        text: pv.source.into_text(),
        raw,
        diagnostics: pv.diagnostics,
        people: pv.people,
    });
    let mut profiles = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let profiles = profiles.get_or_insert_with(HashMap::new);
    // Bounded: a process that sees many profiles keeps only the latest.
    if profiles.len() >= 64 && !profiles.contains_key(path) {
        profiles.clear();
    }
    profiles.insert(path.to_path_buf(), Arc::clone(&read));
    Ok(read)
}

/// Reads a TOML file (a regular file of a bounded size) as text.
fn read_source(path: &Path, kind: FileKind, access: &Access) -> Result<String, Diagnostics> {
    let bytes = input::read(path, kind, access)
        .map_err(|e| Diagnostic::error(path, e.message).with_hint(e.hint))?;
    decode_source(path, bytes)
}

/// Decodes a file as UTF-8, dropping a byte-order mark and turning CRLF
/// (Windows Notepad) and lone CR (old Mac editors) line ends into LF, so
/// that lines in messages are the lines the user sees.
fn decode_source(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostics> {
    let text = text::string_from_utf8(bytes).map_err(|e| {
        let mut d = Diagnostic::error(path, "файл не в кодировке UTF-8");
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = String::from_utf8_lossy(valid).into_owned();
        d.set_span(&valid, valid.len()..valid.len());
        Diagnostics::from(d.with_hint(
            "сохраните файл в кодировке UTF-8 (в Блокноте: «Сохранить как» → Кодировка UTF-8)",
        ))
    })?;
    let has_bom = text.starts_with('\u{feff}');
    let has_cr = memchr::memchr(b'\r', text.as_bytes()).is_some();
    if !has_bom && !has_cr {
        // Most files: the text as read, not copied.
        return Ok(text);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if !has_cr {
        return Ok(text.to_owned());
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Parses a TOML file into its raw type. The text is parsed once into
/// toml's spanned tree, checked for what serde would misreport (control
/// characters, sections of the other document kind), then deserialised.
fn parse_toml<T: serde::de::DeserializeOwned + Schema>(
    path: &Path,
    text: &str,
) -> Result<T, Diagnostics> {
    if let Some(d) = errors::raw_control_char(path, text) {
        return Err(d.into());
    }
    let tree =
        toml::de::DeTable::parse(text).map_err(|e| errors::from_toml_error::<T>(path, text, &e))?;
    let problems = errors::check_tree::<T>(path, text, &tree);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    T::deserialize(toml::de::Deserializer::from(tree))
        .map_err(|e| errors::from_toml_error::<T>(path, text, &e).into())
}

/// A TOML error in another file of gostdoc's (the numbers file) in
/// Russian, at its line, as the documents' own are said.
pub(crate) fn toml_error<S: raw::Schema>(
    file: &Path,
    source: &str,
    err: &toml::de::Error,
) -> Diagnostic {
    errors::from_toml_error::<S>(file, source, err)
}

/// The largest count of people (votes, participants) a document may give:
/// larger than any meeting, small enough that sums cannot overflow.
const MAX_PEOPLE: u32 = 1_000_000;

struct Validator {
    file: PathBuf,
    source: Source,
    diagnostics: Vec<Diagnostic>,
    /// Warnings about the layout (see [`Model::layout_warnings`]).
    layout: Vec<Diagnostic>,
    /// The date of the act whose tables are being read: a deadline in a
    /// deadline column before it is a warning, like a point's.
    act_date: Option<NaiveDate>,
    /// `[[people]]` of the profile and of the document.
    people: Vec<Person>,
    /// How the document's number was written.
    number_written: NumberWritten,
    /// The document's date, once known: an electronic signature's
    /// certificate must be valid on it.
    signed_on: Option<NaiveDate>,
    /// The profile's path and text, for what the document takes from it
    /// whole (its `[signature]`): a problem there is said at the
    /// profile's line.
    profile_source: Option<(PathBuf, Source)>,
    /// A long table's slice did not read as expected
    /// ([`long_table::RowFeed`]): the file is to be parsed whole and
    /// read again.
    sliced_rows_failed: bool,
    /// While the options are read: the names of those the document takes
    /// from its profile (`date_line`), whose problems are said at the
    /// profile's line ([`Validator::error`]).
    options_from_profile: Vec<&'static str>,
}

impl Validator {
    /// A validator of the file at `path` whose text is `source`, with
    /// nothing found yet.
    fn new(path: &Path, source: Source) -> Validator {
        Validator {
            file: path.to_path_buf(),
            source,
            diagnostics: Vec::new(),
            layout: Vec::new(),
            act_date: None,
            people: Vec::new(),
            number_written: NumberWritten::None,
            signed_on: None,
            profile_source: None,
            sliced_rows_failed: false,
            options_from_profile: Vec::new(),
        }
    }

    /// An error at `span` of the file being read; for an option the
    /// document takes from its profile, at the profile's line, where the
    /// value is written.
    fn error(&mut self, span: Range<usize>, field: &str, message: String, hint: Option<&str>) {
        let from_profile = field
            .strip_prefix("options.")
            .is_some_and(|name| self.options_from_profile.contains(&name));
        if from_profile && self.profile_source.is_some() {
            self.in_profile(|v| v.error_here(span, field, message, hint));
        } else {
            self.error_here(span, field, message, hint);
        }
    }

    fn error_here(&mut self, span: Range<usize>, field: &str, message: String, hint: Option<&str>) {
        let mut d = self
            .source
            .diagnostic(&self.file, span, message)
            .with_field(field);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.diagnostics.push(d);
    }

    fn collect_people(&mut self, people: &[Spanned<RawPerson>]) {
        for (i, p) in people.iter().enumerate() {
            if let Some(person) = self.person(p.get_ref(), p.span(), &format!("people[{i}]")) {
                self.people.push(person);
            }
        }
    }

    fn person(&mut self, raw: &RawPerson, span: Range<usize>, field: &str) -> Option<Person> {
        let name = match PersonName::parse(&raw.name) {
            Ok(n) => n,
            Err(e) => {
                self.error(span, &format!("{field}.name"), e.0, None);
                return None;
            }
        };
        let gender = match raw.gender.as_deref() {
            Some("м") | Some("m") => Gender::Male,
            Some("ж") | Some("f") => Gender::Female,
            Some(other) => {
                self.error(
                    span.clone(),
                    &format!("{field}.gender"),
                    format!("пол «{other}» не распознан"),
                    Some("пишите gender = \"м\" или gender = \"ж\""),
                );
                Gender::Unknown
            }
            None => name.gender_from_patronymic(),
        };
        let mut name_cases = BTreeMap::new();
        for (case, text) in raw.cases.iter().flat_map(|c| c.entries()) {
            match PersonName::parse(text) {
                Ok(_) => {
                    name_cases.insert(case, text.to_owned());
                }
                Err(e) => self.error(span.clone(), &format!("{field}.cases.{case}"), e.0, None),
            }
        }
        let position_cases = raw
            .position_cases
            .iter()
            .flat_map(|c| c.entries())
            .map(|(case, text)| (case, text.to_owned()))
            .collect();
        Some(Person {
            name,
            position: raw.position.clone(),
            gender,
            name_cases,
            position_cases,
        })
    }

    /// Resolves a reference: a surname or name from `[[people]]`, an inline
    /// name, or an inline table.
    fn person_ref(&mut self, r: &Spanned<RawPersonRef>, field: &str) -> Option<Person> {
        match r.get_ref() {
            RawPersonRef::Inline(p) => self.person(p, r.span(), field),
            RawPersonRef::Name(name) => self.person_named(name, r.span(), field),
        }
    }

    /// A name that matches nobody in `[[people]]` prints with no position:
    /// usually a typo in the surname, so the closest name is suggested.
    /// Documents with no `[[people]]` at all write every name in place.
    fn unknown_name(&mut self, name: &str, wanted: &PersonName, span: Range<usize>, field: &str) {
        if self.people.is_empty() {
            return;
        }
        // Plain spaces: the user copies the suggestion into the TOML.
        let full: Vec<String> = self
            .people
            .iter()
            .map(|p| p.name.surname_first().replace('\u{a0}', " "))
            .collect();
        let surnames: Vec<&str> = self
            .people
            .iter()
            .map(|p| p.name.surname.as_str())
            .collect();
        let suggestion = if wanted.initials.is_empty() {
            errors::suggest(&wanted.surname, &surnames).map(str::to_owned)
        } else {
            let full: Vec<&str> = full.iter().map(String::as_str).collect();
            errors::suggest(&wanted.surname_first().replace('\u{a0}', " "), &full)
                .map(str::to_owned)
        };
        let hint = match suggestion {
            Some(s) => format!("возможно, имелось в виду «{s}»; если это другой человек, добавьте его в [[people]] с должностью"),
            None => "добавьте этого человека в [[people]] с должностью (name, position) или проверьте написание фамилии".to_owned(),
        };
        let d = self
            .source
            .diagnostic(
                &self.file,
                span,
                format!("«{name}» нет среди [[people]]: напечатается без должности"),
            )
            .with_field(field)
            .with_hint(hint)
            .warning();
        self.diagnostics.push(d);
    }

    fn person_named(&mut self, name: &str, span: Range<usize>, field: &str) -> Option<Person> {
        let wanted = PersonName::parse(name);
        let matches: Vec<&Person> = self
            .people
            .iter()
            .filter(|p| match &wanted {
                Ok(w) if w.initials.is_empty() => p.name.surname == w.surname,
                Ok(w) => p.name.surname == w.surname && p.name.initials == w.initials,
                Err(_) => false,
            })
            .collect();
        match (matches.len(), wanted) {
            (1, _) => Some(matches[0].clone()),
            (0, Ok(n)) => {
                self.unknown_name(name, &n, span, field);
                Some(Person {
                    gender: n.gender_from_patronymic(),
                    name: n,
                    position: None,
                    name_cases: BTreeMap::new(),
                    position_cases: BTreeMap::new(),
                })
            }
            (0, Err(e)) => {
                self.error(span, field, e.0, None);
                None
            }
            _ => {
                self.error(
                    span,
                    field,
                    format!("«{name}» подходит к нескольким людям из [[people]]"),
                    Some("укажите инициалы: «Фамилия И.О.»"),
                );
                None
            }
        }
    }

    fn date(&mut self, raw: &Spanned<RawDate>, field: &str) -> Option<NaiveDate> {
        match raw.get_ref() {
            RawDate::Toml(dt) => match (dt.date, dt.time) {
                (Some(d), None) => {
                    // Bounded like every written date: 1900–2200.
                    match date::from_ymd(i64::from(d.year), u32::from(d.month), u32::from(d.day)) {
                        Ok(got) => Some(got),
                        Err(why) => {
                            self.error(raw.span(), field, why, None);
                            None
                        }
                    }
                }
                _ => {
                    self.error(
                        raw.span(),
                        field,
                        "нужна дата без времени".into(),
                        Some("пишите так: 2021-06-24"),
                    );
                    None
                }
            },
            RawDate::Text(t) => match date::parse(t) {
                Ok(Some((d, _))) => Some(d),
                Ok(None) => {
                    self.error(
                        raw.span(),
                        field,
                        format!("«{t}» не похоже на дату"),
                        Some("пишите дату так: 2021-06-24 (без кавычек)"),
                    );
                    None
                }
                Err(msg) => {
                    self.error(raw.span(), field, msg, None);
                    None
                }
            },
        }
    }

    fn deadline(&mut self, raw: &Option<Spanned<RawDeadline>>, field: &str) -> Option<Deadline> {
        let raw = raw.as_ref()?;
        match raw.get_ref() {
            RawDate::Toml(_) => self.date(raw, field).map(|date| Deadline::On {
                date,
                style: DateStyle::Numeric,
            }),
            RawDate::Text(t) => match Deadline::parse(t) {
                Ok(d) => Some(d),
                Err(msg) => {
                    self.error(
                        raw.span(),
                        field,
                        msg,
                        Some("срок пишется датой («01.09.2021», «до 01.09.2021», «март 2021 г.») или словами («постоянно»)"),
                    );
                    None
                }
            },
        }
    }

    fn choice<T: Copy>(
        &mut self,
        raw: &Option<Spanned<String>>,
        field: &str,
        choices: &[(&str, T)],
        default: T,
    ) -> T {
        let Some(raw) = raw else { return default };
        match choices.iter().find(|(k, _)| *k == raw.get_ref()) {
            Some((_, v)) => *v,
            None => {
                let names: Vec<&str> = choices.iter().map(|(k, _)| *k).collect();
                let hint = match errors::suggest(raw.get_ref(), &names) {
                    Some(s) => format!("возможно, имелось в виду «{s}»"),
                    None => format!("допустимые значения: {}", names.join(", ")),
                };
                self.error(
                    raw.span(),
                    field,
                    format!("недопустимое значение «{}»", raw.get_ref()),
                    Some(&hint),
                );
                default
            }
        }
    }

    fn validate(
        &mut self,
        mut raw: RawDocument,
        profile: Option<(&RawProfile, PathBuf)>,
        inputs: Vec<PathBuf>,
    ) -> Model {
        let kind = match &raw.kind {
            Some(k) => match DocKind::from_name(k.get_ref()) {
                Some(kind) => kind,
                None => {
                    let hint = match errors::suggest(k.get_ref(), &DocKind::names()) {
                        Some(s) => format!("возможно, имелось в виду «{s}»"),
                        None => format!("допустимые значения: {}", DocKind::listing()),
                    };
                    self.error(
                        k.span(),
                        "kind",
                        format!("неизвестный вид документа «{}»", k.get_ref()),
                        Some(&hint),
                    );
                    DocKind::Protocol
                }
            },
            None => {
                self.diagnostics.push(
                    self.source.diagnostic(&self.file, 0..0, "не указан вид документа")
                        .with_field("kind")
                        .with_hint(format!(
                            "добавьте первой строкой kind = \"…\", например kind = \"protocol\"; виды: {}",
                            DocKind::listing()
                        )),
                );
                DocKind::Protocol
            }
        };
        let none = RawProfile::default();
        let (profile, profile_path) = match profile {
            Some((p, path)) => (p, Some(path)),
            None => (&none, None),
        };
        let organization = self.organization(profile, profile_path.as_deref(), &raw);
        let by_question = raw
            .heard
            .iter()
            .chain(&raw.spoke)
            .any(|s| s.get_ref().question.is_some())
            || raw.decision.iter().any(|d| d.get_ref().question.is_some());
        let (o, from_profile) =
            options::merge_options(profile.options.clone(), raw.options.clone());
        self.options_from_profile = from_profile;
        let enacting_written = raw.act.as_ref().is_some_and(|a| {
            a.get_ref()
                .enacting
                .as_deref()
                .is_some_and(|e| !e.trim().is_empty())
        });
        let options = self.options(&o, kind, by_question, enacting_written);
        self.options_from_profile.clear();
        let labels = self.labels(
            raw.labels.clone().unwrap_or_default(),
            kind,
            options.sentence_keywords,
        );
        let body = match kind.info().family {
            Family::Protocol => {
                Body::Protocol(Box::new(self.protocol(&mut raw, &organization, &options)))
            }
            Family::Act | Family::Approved => Body::Act(Box::new(self.act_document(
                &mut raw,
                profile,
                &organization,
                (&options, &labels),
                kind,
            ))),
        };
        // Sections of another kind (`[act]` in a protocol) were refused
        // by `parse_toml`, before serde could misreport them.
        self.lint(&raw, &body, kind, &options);
        Model {
            source: self.file.clone(),
            kind,
            inputs,
            organization,
            options,
            labels,
            body,
            warnings: Vec::new(),
            layout_warnings: Vec::new(),
            number_written: std::mem::take(&mut self.number_written),
        }
    }

    /// The document's number as it prints: as written, or for `"auto"`
    /// the number `gostdoc build` assigned in the folder's numbers file
    /// (none before the first build: blanks, like a draft).
    fn number(&mut self, written: Option<&Spanned<String>>) -> Option<String> {
        let written = written?;
        let text = written.get_ref().trim();
        if text.is_empty() {
            return None;
        }
        if text != crate::numbering::AUTO {
            self.number_written = NumberWritten::Given(written.span());
            return Some(text.to_owned());
        }
        self.number_written = NumberWritten::Auto(written.span());
        match crate::numbering::assigned(&self.file) {
            Ok(found) => found.map(|n| n.to_string()),
            Err(e) => {
                // Said at the numbers file's line, which is what to mend.
                self.diagnostics.push(*e);
                None
            }
        }
    }

    /// The organisation: the profile's, overridden key by key by the
    /// document's. The emblem's path is made relative to the document's
    /// folder, wherever the file that names it lies.
    fn organization(
        &mut self,
        profile: &RawProfile,
        profile_path: Option<&Path>,
        raw: &RawDocument,
    ) -> Organization {
        let from_document = raw.organization.as_ref().and_then(|o| o.emblem.as_ref());
        let named_at = |v: &Validator, e: &Spanned<String>| {
            let at = v.source.diagnostic(&v.file, e.span(), String::new());
            Box::new(at.with_field("organization.emblem"))
        };
        let (emblem, emblem_named_at) = match (from_document, &profile.organization) {
            (Some(e), _) => (Some(e.get_ref().clone()), Some(named_at(self, e))),
            (None, Some(o)) => match o.emblem.as_ref() {
                Some(e) => {
                    let dir = profile_path
                        .and_then(Path::parent)
                        .filter(|d| !d.as_os_str().is_empty());
                    let path = match dir {
                        Some(d) => d.join(e.get_ref()).to_string_lossy().replace('\\', "/"),
                        None => e.get_ref().clone(),
                    };
                    (Some(path), Some(self.in_profile(|v| named_at(v, e))))
                }
                None => (None, None),
            },
            _ => (None, None),
        };
        let org = merge_org(profile.organization.clone(), raw.organization.clone());
        let emblem_height = match &org.emblem_height {
            Some(h) if (5.0..=60.0).contains(h.get_ref()) => *h.get_ref(),
            Some(h) => {
                // Said in the file that wrote it: the document, or its profile.
                let in_document = raw
                    .organization
                    .as_ref()
                    .is_some_and(|o| o.emblem_height.is_some());
                let say = |v: &mut Validator| {
                    v.error(
                        h.span(),
                        "organization.emblem_height",
                        format!("высота герба {} мм вне пределов 5–60 мм", h.get_ref()),
                        Some("обычно герб высотой 17 мм"),
                    )
                };
                if in_document {
                    say(self);
                } else {
                    self.in_profile(say);
                }
                17.0
            }
            None => 17.0,
        };
        Organization {
            name: org.name.clone().unwrap_or_default(),
            header: org.header.clone().map(|l| l.0).unwrap_or_default(),
            city: org.city.clone(),
            issuer_genitive: org.issuer_genitive.clone(),
            emblem,
            emblem_named_at,
            emblem_height,
            parent: org.parent.clone().map(|l| l.0).unwrap_or_default(),
            contacts: contact_lines(&org),
        }
    }

    fn signature(&mut self, s: &RawSignature, field: &str) -> Option<Signature> {
        let person = self.person_ref(&s.person, &format!("{field}.person"))?;
        let position = match &s.position {
            Some(l) => l.0.clone(),
            None => person
                .position
                .clone()
                .map(|p| vec![capitalize(&p)])
                .unwrap_or_default(),
        };
        let electronic = s.electronic.as_ref().and_then(|e| {
            self.electronic(e, &format!("{field}.electronic"), &person, self.signed_on)
        });
        Some(Signature {
            position,
            person,
            electronic,
        })
    }

    fn points(
        &mut self,
        list: &[Spanned<RawPoint>],
        prefix: &str,
        field: &str,
        agenda_len: usize,
    ) -> Vec<Point> {
        list.iter()
            .enumerate()
            .map(|(i, entry)| {
                let p = entry.get_ref();
                // The field's path is formatted only for what the point
                // has: most have no deadline, no question, no subpoints.
                let f = || format!("{field}[{i}]");
                let number = format!("{prefix}{}.", i + 1);
                let points = if p.point.is_empty() {
                    Vec::new()
                } else {
                    self.points(&p.point, &number, &format!("{}.point", f()), agenda_len)
                };
                if p.text.is_none() && p.to.is_none() {
                    self.error(
                        entry.span(),
                        &f(),
                        "у пункта нет текста".into(),
                        Some("добавьте text = \"…\" (или to = \"…\" с подпунктами)"),
                    );
                }
                let question = match &p.question {
                    Some(_) => self.question(&p.question, &format!("{}.question", f()), agenda_len),
                    None => None,
                };
                let deadline = match &p.deadline {
                    Some(_) => self.deadline(&p.deadline, &format!("{}.deadline", f())),
                    None => None,
                };
                let group_deadline = match &p.group_deadline {
                    Some(_) => self.deadline(&p.group_deadline, &format!("{}.group_deadline", f())),
                    None => None,
                };
                Point {
                    number,
                    question,
                    to: p.to.clone(),
                    text: p
                        .text
                        .as_ref()
                        .map(|t| parse_blocks(t.get_ref()))
                        .unwrap_or_default(),
                    responsible: p.responsible.clone().map(|l| l.0).unwrap_or_default(),
                    deadline,
                    group_deadline,
                    votes: p
                        .votes
                        .as_ref()
                        .map(|v| self.votes(v, &format!("{}.votes", f()))),
                    points,
                }
            })
            .collect()
    }

    /// «за», «против», «воздержались», each a sane count of people.
    pub(super) fn votes(&mut self, v: &Spanned<RawVotes>, field: &str) -> (u32, u32, u32) {
        let span = v.span();
        let v = v.get_ref();
        (
            self.count(
                v.yes,
                span.clone(),
                || format!("{field}.for"),
                "голосов «за»",
            ),
            self.count(
                v.against,
                span.clone(),
                || format!("{field}.against"),
                "голосов «против»",
            ),
            self.count(
                v.abstained,
                span,
                || format!("{field}.abstained"),
                "воздержавшихся",
            ),
        )
    }

    /// A count of people: a typo of a few extra digits is an error, not a
    /// number printed in the protocol (and summed by the checks).
    fn count(
        &mut self,
        n: u32,
        span: Range<usize>,
        field: impl FnOnce() -> String,
        what: &str,
    ) -> u32 {
        if n > MAX_PEOPLE {
            self.error(
                span,
                &field(),
                format!("число {what} {n} больше допустимого ({MAX_PEOPLE})"),
                Some("проверьте, не лишние ли здесь цифры"),
            );
            // Zero, so that the checks of sums do not add a second message.
            return 0;
        }
        n
    }
}

fn merge_org(base: Option<RawOrganization>, over: Option<RawOrganization>) -> RawOrganization {
    let base = base.unwrap_or_default();
    let Some(over) = over else { return base };
    RawOrganization {
        name: over.name.or(base.name),
        header: over.header.or(base.header),
        city: over.city.or(base.city),
        issuer_genitive: over.issuer_genitive.or(base.issuer_genitive),
        emblem: over.emblem.or(base.emblem),
        emblem_height: over.emblem_height.or(base.emblem_height),
        parent: over.parent.or(base.parent),
        address: over.address.or(base.address),
        phone: over.phone.or(base.phone),
        email: over.email.or(base.email),
    }
}

/// The бланк's reference data as it prints (ГОСТ Р 7.0.97, 5.6): the
/// address on a line of its own, the telephone and the e-mail together on
/// the next («тел. 8 (34377) 3-12-45, e-mail: school3@zar.ru»).
fn contact_lines(org: &RawOrganization) -> Vec<String> {
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut lines: Vec<String> = clean(&org.address).into_iter().collect();
    let reach: Vec<String> = [
        clean(&org.phone).map(|p| format!("тел. {p}")),
        clean(&org.email).map(|e| format!("e-mail: {e}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !reach.is_empty() {
        lines.push(reach.join(", "));
    }
    lines
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
