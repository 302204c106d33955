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

pub mod date;
mod errors;
mod lint;
pub mod person;
pub mod raw;
pub mod text;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::document::{MAX_COLUMN_MM, MIN_COLUMN_MM};
use crate::input::{self, Access, FileKind};
use chrono::NaiveDate;
use date::{DateStyle, Deadline};
use person::{Gender, PersonName};
use raw::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use text::{TextBlock, parse_blocks};
use toml::Spanned;

/// A validated document of either kind.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// The input file.
    pub source: PathBuf,
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
}

/// The document kind with its content.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Body {
    /// Протокол.
    Protocol(Box<Protocol>),
    /// Постановление.
    Resolution(Box<Resolution>),
}

impl Body {
    /// The template name for this kind.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Body::Protocol(_) => "protocol",
            Body::Resolution(_) => "resolution",
        }
    }
}

/// The organisation issuing the document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Organization {
    /// Name for the document properties.
    pub name: String,
    /// Header lines.
    pub header: Vec<String>,
    /// Place of compilation.
    pub city: Option<String>,
    /// «администрации МО «…»», for the appendix label.
    pub issuer_genitive: Option<String>,
}

/// Full or short protocol (LAYOUT.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProtocolForm {
    /// СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ.
    Full,
    /// Agenda items and decisions only.
    Short,
}

/// How the course of the meeting is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Course {
    /// Per agenda item: «1. СЛУШАЛИ: … ВЫСТУПИЛИ: … РЕШИЛИ: 1.1. …».
    ByQuestion,
    /// One СЛУШАЛИ section, then one РЕШИЛИ section.
    Together,
}

/// Where a heading word is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelPlacement {
    /// Once, above the list.
    Once,
    /// Before every entry.
    Each,
}

/// Name order in running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameOrder {
    /// «О.Н. Климова».
    InitialsFirst,
    /// «Климова О.Н.».
    SurnameFirst,
}

/// How a list of people or items prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListStyle {
    /// One per line.
    Lines,
    /// «1. …;».
    Numbered,
    /// «– …;».
    Bulleted,
}

/// Options, with the house defaults of LAYOUT.md.
#[derive(Debug, Clone, Serialize)]
pub struct Options {
    /// Full or short.
    pub form: ProtocolForm,
    /// By question or together.
    pub course: Course,
    /// «СЛУШАЛИ:» once or before every speaker.
    pub heard_label: LabelPlacement,
    /// Name order.
    pub names: NameOrder,
    /// Attendee list style.
    pub present_list: ListStyle,
    /// Agenda list style.
    pub agenda_list: ListStyle,
    /// Date style of the date line.
    pub date_style: DateStyle,
    /// «года» instead of «г.».
    pub year_word: bool,
    /// Letter-spaced enacting word.
    pub spaced_enacting: bool,
    /// Page numbers from page 2.
    pub page_numbers: bool,
    /// Apply the typographic pass to user text.
    pub typography: bool,
}

/// Heading words (see `RawLabels` for each).
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct Labels {
    pub kind: String,
    pub chair: String,
    pub secretary: String,
    pub present: String,
    pub absent: String,
    pub invited: String,
    pub agenda: String,
    pub heard: String,
    pub spoke: String,
    pub decided: String,
    pub deadline: String,
    pub time: String,
    pub venue: String,
    pub format: String,
    pub date: Option<String>,
}

/// A person with the forms templates print.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// What met, when and where.
#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    /// What met, genitive.
    pub title: String,
    /// Number.
    pub number: Option<String>,
    /// Date.
    pub date: NaiveDate,
    /// Time.
    pub time: Option<String>,
    /// Venue.
    pub venue: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Form (ВКС).
    pub format: Option<String>,
}

/// An attendee entry.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Attendee {
    /// A person.
    Person {
        /// Who.
        person: Box<Person>,
        /// Role in the meeting.
        role: Option<String>,
        /// Note in brackets.
        note: Option<String>,
    },
    /// A group with members or counts.
    Group {
        /// The group's name.
        title: String,
        /// Members.
        members: Vec<Person>,
        /// Counts.
        counts: Vec<(u32, String)>,
    },
    /// Free text.
    Text {
        /// The text.
        text: String,
    },
}

/// An agenda item.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    /// Number, 1-based.
    pub number: usize,
    /// Title.
    pub title: String,
    /// Speaker.
    pub speaker: Option<Person>,
}

/// A speech.
#[derive(Debug, Clone, Serialize)]
pub struct Speech {
    /// Agenda item, 1-based.
    pub question: Option<usize>,
    /// Who.
    pub speaker: Person,
    /// Role here.
    pub role: Option<String>,
    /// What was said.
    pub text: Vec<TextBlock>,
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
    /// Responsible.
    pub responsible: Option<String>,
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
}

/// A protocol.
#[derive(Debug, Clone, Serialize)]
pub struct Protocol {
    /// Meeting.
    pub meeting: Meeting,
    /// Chair.
    pub chair: Option<Person>,
    /// Secretary.
    pub secretary: Option<Person>,
    /// Present.
    pub present: Vec<Attendee>,
    /// Absent; `Some(empty)` prints the heading with nothing after it.
    pub absent: Option<Vec<Attendee>>,
    /// Invited.
    pub invited: Vec<Attendee>,
    /// Agenda.
    pub agenda: Vec<AgendaItem>,
    /// СЛУШАЛИ.
    pub heard: Vec<Speech>,
    /// ВЫСТУПИЛИ.
    pub spoke: Vec<Speech>,
    /// РЕШИЛИ.
    pub decisions: Vec<Point>,
    /// Signatures.
    pub signatures: Vec<Signature>,
}

/// The act's requisites.
#[derive(Debug, Clone, Serialize)]
pub struct Act {
    /// «ПОСТАНОВЛЕНИЕ».
    pub kind: String,
    /// Date.
    pub date: NaiveDate,
    /// Number.
    pub number: String,
    /// City.
    pub city: Option<String>,
    /// Title.
    pub title: String,
    /// Preamble paragraphs.
    pub preamble: Vec<TextBlock>,
    /// Enacting word.
    pub enacting: String,
}

/// Page orientation of an appendix.
pub use crate::document::Orientation;

/// A table row of an appendix.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TableRow {
    /// Ordinary row.
    Cells {
        /// Automatic number, when the first column is numbered.
        number: Option<usize>,
        /// Cells.
        cells: Vec<Vec<TextBlock>>,
    },
    /// Section row spanning all columns.
    Section {
        /// Its text.
        text: String,
    },
}

/// A table.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// Whether the first column holds automatic row numbers.
    pub numbered: bool,
    /// Column widths, mm.
    pub widths: Vec<f32>,
    /// Header rows.
    pub header: Vec<Vec<String>>,
    /// Rows.
    pub rows: Vec<TableRow>,
}

/// An appendix.
#[derive(Debug, Clone, Serialize)]
pub struct Appendix {
    /// Number, 1-based.
    pub number: usize,
    /// Label lines.
    pub label: Vec<String>,
    /// Title.
    pub title: Option<String>,
    /// Orientation.
    pub orientation: Orientation,
    /// Table.
    pub table: Option<Table>,
}

/// A постановление.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    /// Requisites.
    pub act: Act,
    /// Points.
    pub points: Vec<Point>,
    /// Signature.
    pub signature: Option<Signature>,
    /// Appendices.
    pub appendices: Vec<Appendix>,
}

/// Reads and validates one document file; its profile may lie in the
/// document's folder tree or the current folder.
pub fn load(path: &Path) -> Result<Model, Diagnostics> {
    load_with(path, &Access::for_document(path))
}

/// Reads and validates one document file, reading its profile only from
/// the folders `access` allows.
pub fn load_with(path: &Path, access: &Access) -> Result<Model, Diagnostics> {
    let text = read_source(path, FileKind::Document, access)?;
    let raw: RawDocument = parse_toml(path, &text)?;
    let mut v = Validator {
        file: path.to_path_buf(),
        source: text,
        diagnostics: Vec::new(),
        people: Vec::new(),
    };
    let mut inputs = vec![path.to_path_buf()];
    let profile = match &raw.profile {
        Some(p) => {
            let profile_path = path.parent().unwrap_or(Path::new(".")).join(p.get_ref());
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
                    let profile: RawProfile = parse_toml(&profile_path, &ptext)?;
                    let mut pv = Validator {
                        file: profile_path.clone(),
                        source: ptext,
                        diagnostics: Vec::new(),
                        people: Vec::new(),
                    };
                    pv.collect_people(&profile.people);
                    v.diagnostics.append(&mut pv.diagnostics);
                    v.people.extend(pv.people);
                    inputs.push(profile_path);
                    Some(profile)
                }
            }
        }
        None => None,
    };
    v.collect_people(&raw.people);
    let mut model = v.validate(raw, profile, inputs);
    let diags = Diagnostics(std::mem::take(&mut v.diagnostics));
    if diags.has_errors() {
        Err(diags)
    } else {
        model.warnings = diags.0;
        // In the order of the file, as the secretary reads it.
        model.warnings.sort_by_key(|d| d.position);
        Ok(model)
    }
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
    let text = String::from_utf8(bytes).map_err(|e| {
        let mut d = Diagnostic::error(path, "файл не в кодировке UTF-8");
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = String::from_utf8_lossy(valid).into_owned();
        d.set_span(&valid, valid.len()..valid.len());
        Diagnostics::from(d.with_hint(
            "сохраните файл в кодировке UTF-8 (в Блокноте: «Сохранить как» → Кодировка UTF-8)",
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if !text.contains('\r') {
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

/// The largest count of people (votes, participants) a document may give:
/// larger than any meeting, small enough that sums cannot overflow.
const MAX_PEOPLE: u32 = 1_000_000;

struct Validator {
    file: PathBuf,
    source: String,
    diagnostics: Vec<Diagnostic>,
    /// `[[people]]` of the profile and of the document.
    people: Vec<Person>,
}

impl Validator {
    fn error(&mut self, span: Range<usize>, field: &str, message: String, hint: Option<&str>) {
        let mut d = Diagnostic::at(&self.file, &self.source, span, message).with_field(field);
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
            (0, Ok(n)) => Some(Person {
                gender: n.gender_from_patronymic(),
                name: n,
                position: None,
                name_cases: BTreeMap::new(),
                position_cases: BTreeMap::new(),
            }),
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
        raw: RawDocument,
        profile: Option<RawProfile>,
        inputs: Vec<PathBuf>,
    ) -> Model {
        let kind = match &raw.kind {
            Some(k) if k.get_ref() == "protocol" || k.get_ref() == "resolution" => {
                k.get_ref().clone()
            }
            Some(k) => {
                let hint = match errors::suggest(k.get_ref(), &["protocol", "resolution"]) {
                    Some(s) => format!("возможно, имелось в виду «{s}»"),
                    None => "допустимые значения: protocol (протокол), resolution (постановление)"
                        .into(),
                };
                self.error(
                    k.span(),
                    "kind",
                    format!("неизвестный вид документа «{}»", k.get_ref()),
                    Some(&hint),
                );
                "protocol".into()
            }
            None => {
                self.diagnostics.push(
                    Diagnostic::at(&self.file, &self.source, 0..0, "не указан вид документа")
                        .with_field("kind")
                        .with_hint(
                            "добавьте первой строкой kind = \"protocol\" или kind = \"resolution\"",
                        ),
                );
                "protocol".into()
            }
        };
        let profile = profile.unwrap_or_default();
        let org_raw = merge_org(profile.organization.clone(), raw.organization.clone());
        let organization = Organization {
            name: org_raw.name.clone().unwrap_or_default(),
            header: org_raw.header.clone().map(|l| l.0).unwrap_or_default(),
            city: org_raw.city.clone(),
            issuer_genitive: org_raw.issuer_genitive.clone(),
        };
        let o = raw.options.clone().unwrap_or_default();
        let options = Options {
            form: self.choice(
                &o.form,
                "options.form",
                &[("full", ProtocolForm::Full), ("short", ProtocolForm::Short)],
                ProtocolForm::Full,
            ),
            course: self.choice(
                &o.course,
                "options.course",
                &[
                    ("by_question", Course::ByQuestion),
                    ("together", Course::Together),
                ],
                // By question when the document ties anything to a
                // question; otherwise nothing could be placed under one.
                if raw
                    .heard
                    .iter()
                    .chain(&raw.spoke)
                    .any(|s| s.get_ref().question.is_some())
                    || raw.decision.iter().any(|d| d.get_ref().question.is_some())
                {
                    Course::ByQuestion
                } else {
                    Course::Together
                },
            ),
            heard_label: self.choice(
                &o.heard_label,
                "options.heard_label",
                &[
                    ("once", LabelPlacement::Once),
                    ("each", LabelPlacement::Each),
                ],
                LabelPlacement::Once,
            ),
            names: self.choice(
                &o.names,
                "options.names",
                &[
                    ("initials_first", NameOrder::InitialsFirst),
                    ("surname_first", NameOrder::SurnameFirst),
                ],
                NameOrder::SurnameFirst,
            ),
            present_list: self.choice(
                &o.present_list,
                "options.present_list",
                &[
                    ("lines", ListStyle::Lines),
                    ("numbered", ListStyle::Numbered),
                    ("bulleted", ListStyle::Bulleted),
                ],
                ListStyle::Lines,
            ),
            agenda_list: self.choice(
                &o.agenda_list,
                "options.agenda_list",
                &[
                    ("lines", ListStyle::Lines),
                    ("numbered", ListStyle::Numbered),
                    ("bulleted", ListStyle::Bulleted),
                ],
                ListStyle::Numbered,
            ),
            date_style: self.choice(
                &o.date_style,
                "options.date_style",
                &[("numeric", DateStyle::Numeric), ("words", DateStyle::Words)],
                if kind == "resolution" {
                    DateStyle::Words
                } else {
                    DateStyle::Numeric
                },
            ),
            year_word: o.year_word.unwrap_or(false),
            spaced_enacting: o.spaced_enacting.unwrap_or(true),
            page_numbers: o.page_numbers.unwrap_or(true),
            typography: o.typography.unwrap_or(true),
        };
        let l = raw.labels.clone().unwrap_or_default();
        let labels = Labels {
            kind: l.kind.unwrap_or_else(|| {
                if kind == "resolution" {
                    "ПОСТАНОВЛЕНИЕ".into()
                } else {
                    "ПРОТОКОЛ".into()
                }
            }),
            chair: l.chair.unwrap_or_else(|| "Председатель".into()),
            secretary: l.secretary.unwrap_or_else(|| "Секретарь".into()),
            present: l.present.unwrap_or_else(|| "Присутствовали".into()),
            absent: l.absent.unwrap_or_else(|| "Отсутствовали".into()),
            invited: l.invited.unwrap_or_else(|| "Приглашенные".into()),
            agenda: l.agenda.unwrap_or_else(|| "ПОВЕСТКА ДНЯ".into()),
            heard: l.heard.unwrap_or_else(|| "СЛУШАЛИ".into()),
            spoke: l.spoke.unwrap_or_else(|| "ВЫСТУПИЛИ".into()),
            decided: l.decided.unwrap_or_else(|| "РЕШИЛИ".into()),
            deadline: l.deadline.unwrap_or_else(|| "Срок".into()),
            time: l.time.unwrap_or_else(|| "Время проведения".into()),
            venue: l.venue.unwrap_or_else(|| "Место проведения".into()),
            format: l.format.unwrap_or_else(|| "Форма проведения".into()),
            date: l.date,
        };
        let body = if kind == "resolution" {
            Body::Resolution(Box::new(self.resolution(&raw, &profile, &organization)))
        } else {
            Body::Protocol(Box::new(self.protocol(&raw, &organization)))
        };
        // Sections of the other kind (`[act]` in a protocol) were refused
        // by `parse_toml`, before serde could misreport them.
        self.lint(&raw, &body, options.course);
        Model {
            source: self.file.clone(),
            inputs,
            organization,
            options,
            labels,
            body,
            warnings: Vec::new(),
        }
    }

    fn protocol(&mut self, raw: &RawDocument, org: &Organization) -> Protocol {
        let meeting = match raw.meeting.as_ref().map(Spanned::get_ref) {
            Some(m) => {
                let date = self.date(&m.date, "meeting.date").unwrap_or_default();
                Meeting {
                    title: m.title.clone(),
                    number: m.number.clone(),
                    date,
                    time: m.time.clone(),
                    venue: m.venue.clone(),
                    city: m.city.clone().or_else(|| org.city.clone()),
                    format: m.format.clone(),
                }
            }
            None => {
                self.diagnostics.push(
                    Diagnostic::at(
                        &self.file,
                        &self.source,
                        0..0,
                        "не заполнен раздел [meeting]: что заседало, дата, время, место",
                    )
                    .with_field("meeting")
                    .with_hint("добавьте раздел [meeting] с полями title и date"),
                );
                Meeting {
                    title: String::new(),
                    number: None,
                    date: NaiveDate::default(),
                    time: None,
                    venue: None,
                    city: None,
                    format: None,
                }
            }
        };
        let meeting_raw = raw.meeting.as_ref().map(Spanned::get_ref);
        let chair = meeting_raw
            .and_then(|m| m.chair.as_ref())
            .and_then(|c| self.person_ref(c, "meeting.chair"));
        let secretary = meeting_raw
            .and_then(|m| m.secretary.as_ref())
            .and_then(|c| self.person_ref(c, "meeting.secretary"));
        let present = self.attendees(&raw.present, "present");
        let absent = raw.absent.as_ref().map(|a| self.attendees(a, "absent"));
        let invited = self.attendees(&raw.invited, "invited");
        let agenda: Vec<AgendaItem> = raw
            .agenda
            .iter()
            .enumerate()
            .map(|(i, a)| AgendaItem {
                number: i + 1,
                title: a.get_ref().title.get_ref().clone(),
                speaker: a
                    .get_ref()
                    .speaker
                    .as_ref()
                    .and_then(|s| self.person_ref(s, &format!("agenda[{i}].speaker"))),
            })
            .collect();
        let heard = self.speeches(&raw.heard, "heard", agenda.len());
        let spoke = self.speeches(&raw.spoke, "spoke", agenda.len());
        let decisions = self.points(&raw.decision, "", "decision", agenda.len());
        let mut signatures: Vec<Signature> = raw
            .signature
            .iter()
            .enumerate()
            .filter_map(|(i, s)| self.signature(s, &format!("signature[{i}]")))
            .collect();
        if raw.signature.is_empty() {
            // House default: the chair and the secretary sign (LAYOUT.md §5).
            if let Some(c) = &chair {
                signatures.push(Signature {
                    position: vec!["Председатель".into()],
                    person: c.clone(),
                });
            }
            if let Some(s) = &secretary {
                signatures.push(Signature {
                    position: vec!["Секретарь".into()],
                    person: s.clone(),
                });
            }
        }
        Protocol {
            meeting,
            chair,
            secretary,
            present,
            absent,
            invited,
            agenda,
            heard,
            spoke,
            decisions,
            signatures,
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
        Some(Signature { position, person })
    }

    fn attendees(&mut self, list: &[Spanned<RawAttendee>], field: &str) -> Vec<Attendee> {
        let mut out = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let a = entry.get_ref();
            let f = format!("{field}[{i}]");
            let kinds = [a.name.is_some(), a.group.is_some(), a.text.is_some()]
                .iter()
                .filter(|b| **b)
                .count();
            if kinds != 1 {
                self.error(entry.span(), &f, "запись должна содержать ровно одно из полей: name (человек), group (группа) или text (текст)".into(), None);
                continue;
            }
            if let Some(name) = &a.name {
                let Some(mut person) =
                    self.person_named(name.get_ref(), name.span(), &format!("{f}.name"))
                else {
                    continue;
                };
                if a.position.is_some() {
                    person.position = a.position.clone();
                }
                out.push(Attendee::Person {
                    person: Box::new(person),
                    role: a.role.clone(),
                    note: a.note.clone(),
                });
            } else if let Some(group) = &a.group {
                let members = a
                    .members
                    .iter()
                    .enumerate()
                    .filter_map(|(j, m)| self.person_ref(m, &format!("{f}.members[{j}]")))
                    .collect();
                let counts = a
                    .counts
                    .iter()
                    .enumerate()
                    .map(|(j, c)| {
                        let field = format!("{f}.counts[{j}].count");
                        let n = *c.count.get_ref();
                        (
                            self.count(n, c.count.span(), &field, "участников"),
                            c.who.clone(),
                        )
                    })
                    .collect();
                out.push(Attendee::Group {
                    title: group.clone(),
                    members,
                    counts,
                });
            } else if let Some(text) = &a.text {
                out.push(Attendee::Text { text: text.clone() });
            }
        }
        out
    }

    fn question(
        &mut self,
        q: &Option<Spanned<i64>>,
        field: &str,
        agenda_len: usize,
    ) -> Option<usize> {
        let q = q.as_ref()?;
        let n = *q.get_ref();
        if n < 1 || n as usize > agenda_len {
            self.error(
                q.span(),
                field,
                format!("в повестке нет вопроса № {n}"),
                Some(&format!(
                    "номер вопроса — от 1 до {agenda_len}, по порядку [[agenda]]"
                )),
            );
            return None;
        }
        Some(n as usize)
    }

    fn speeches(
        &mut self,
        list: &[Spanned<RawSpeech>],
        field: &str,
        agenda_len: usize,
    ) -> Vec<Speech> {
        list.iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let s = s.get_ref();
                let f = format!("{field}[{i}]");
                let question = self.question(&s.question, &format!("{f}.question"), agenda_len);
                let speaker = self.person_ref(&s.speaker, &format!("{f}.speaker"))?;
                Some(Speech {
                    question,
                    speaker,
                    role: s.role.clone(),
                    text: s
                        .text
                        .as_ref()
                        .map(|t| parse_blocks(t.get_ref()))
                        .unwrap_or_default(),
                })
            })
            .collect()
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
                let f = format!("{field}[{i}]");
                let number = format!("{prefix}{}.", i + 1);
                let points = self.points(&p.point, &number, &format!("{f}.point"), agenda_len);
                if p.text.is_none() && p.to.is_none() {
                    self.error(
                        entry.span(),
                        &f,
                        "у пункта нет текста".into(),
                        Some("добавьте text = \"…\" (или to = \"…\" с подпунктами)"),
                    );
                }
                Point {
                    number,
                    question: self.question(&p.question, &format!("{f}.question"), agenda_len),
                    to: p.to.clone(),
                    text: p
                        .text
                        .as_ref()
                        .map(|t| parse_blocks(t.get_ref()))
                        .unwrap_or_default(),
                    responsible: p.responsible.clone(),
                    deadline: self.deadline(&p.deadline, &format!("{f}.deadline")),
                    group_deadline: self
                        .deadline(&p.group_deadline, &format!("{f}.group_deadline")),
                    votes: p
                        .votes
                        .as_ref()
                        .map(|v| self.votes(v, &format!("{f}.votes"))),
                    points,
                }
            })
            .collect()
    }

    /// «за», «против», «воздержались», each a sane count of people.
    fn votes(&mut self, v: &Spanned<RawVotes>, field: &str) -> (u32, u32, u32) {
        let span = v.span();
        let v = v.get_ref();
        (
            self.count(v.yes, span.clone(), &format!("{field}.for"), "голосов «за»"),
            self.count(
                v.against,
                span.clone(),
                &format!("{field}.against"),
                "голосов «против»",
            ),
            self.count(
                v.abstained,
                span,
                &format!("{field}.abstained"),
                "воздержавшихся",
            ),
        )
    }

    /// A count of people: a typo of a few extra digits is an error, not a
    /// number printed in the protocol (and summed by the checks).
    fn count(&mut self, n: u32, span: Range<usize>, field: &str, what: &str) -> u32 {
        if n > MAX_PEOPLE {
            self.error(
                span,
                field,
                format!("число {what} {n} больше допустимого ({MAX_PEOPLE})"),
                Some("проверьте, не лишние ли здесь цифры"),
            );
            // Zero, so that the checks of sums do not add a second message.
            return 0;
        }
        n
    }

    fn resolution(
        &mut self,
        raw: &RawDocument,
        profile: &RawProfile,
        org: &Organization,
    ) -> Resolution {
        let act = match &raw.act {
            Some(a) => Act {
                kind: a.kind.clone().unwrap_or_else(|| "ПОСТАНОВЛЕНИЕ".into()),
                date: self.date(&a.date, "act.date").unwrap_or_default(),
                number: a.number.clone(),
                city: a.city.clone().or_else(|| org.city.clone()),
                title: a.title.clone(),
                preamble: a.preamble.as_deref().map(parse_blocks).unwrap_or_default(),
                enacting: a.enacting.clone().unwrap_or_else(|| "постановляет:".into()),
            },
            None => {
                self.diagnostics.push(
                    Diagnostic::at(
                        &self.file,
                        &self.source,
                        0..0,
                        "не заполнен раздел [act]: дата, номер и заголовок постановления",
                    )
                    .with_field("act")
                    .with_hint("добавьте раздел [act] с полями date, number и title"),
                );
                Act {
                    kind: String::new(),
                    date: NaiveDate::default(),
                    number: String::new(),
                    city: None,
                    title: String::new(),
                    preamble: Vec::new(),
                    enacting: String::new(),
                }
            }
        };
        let points = self.points(&raw.point, "", "point", 0);
        let signature = match raw.signature.first().or(profile.signature.as_ref()) {
            Some(s) => self.signature(s, "signature"),
            None => None,
        };
        let issuer = org
            .issuer_genitive
            .clone()
            .unwrap_or_else(|| "администрации".into());
        let appendices = raw
            .appendix
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let a = a.get_ref();
                let f = format!("appendix[{i}]");
                let orientation = self.choice(
                    &a.orientation,
                    &format!("{f}.orientation"),
                    &[
                        ("portrait", Orientation::Portrait),
                        ("landscape", Orientation::Landscape),
                    ],
                    Orientation::Portrait,
                );
                let label = a.label.clone().map(|l| l.0).unwrap_or_else(|| {
                    vec![
                        format!("Приложение №\u{a0}{}", i + 1),
                        format!("к постановлению {issuer}"),
                        format!("от {} №\u{a0}{}", date::numeric(act.date), act.number),
                    ]
                });
                let table = a
                    .table
                    .as_ref()
                    .map(|t| self.table(t.get_ref(), &format!("{f}.table")));
                Appendix {
                    number: i + 1,
                    label,
                    title: a.title.clone(),
                    orientation,
                    table,
                }
            })
            .collect();
        Resolution {
            act,
            points,
            signature,
            appendices,
        }
    }

    fn table(&mut self, t: &RawTable, field: &str) -> Table {
        self.column_widths(t, field);
        let numbered = t.columns.first().is_some_and(|c| c.numbered);
        let expected = t.columns.len() - usize::from(numbered);
        let mut n = 0;
        let rows = t
            .row
            .iter()
            .enumerate()
            .filter_map(|(i, row)| match (&row.get_ref().cells, &row.get_ref().section) {
                (Some(cells), None) => {
                    if cells.get_ref().len() != expected {
                        self.error(
                            cells.span(),
                            &format!("{field}.row[{i}].cells"),
                            format!("в строке {} ячеек, а столбцов {expected}", cells.get_ref().len()),
                            Some(if numbered { "номер строки ставится сам: не пишите его в cells" } else { "число ячеек должно совпадать с числом столбцов" }),
                        );
                    }
                    n += 1;
                    Some(TableRow::Cells {
                        number: numbered.then_some(n),
                        cells: cells.get_ref().iter().map(|c| parse_blocks(c)).collect(),
                    })
                }
                (None, Some(s)) => Some(TableRow::Section { text: s.clone() }),
                _ => {
                    self.error(row.span(), &format!("{field}.row[{i}]"), "строка таблицы должна содержать либо cells (ячейки), либо section (заголовок раздела)".into(), None);
                    None
                }
            })
            .collect();
        Table {
            numbered,
            widths: t.columns.iter().map(|c| *c.width.get_ref()).collect(),
            header: t
                .header
                .clone()
                .unwrap_or_else(|| vec![t.columns.iter().map(|c| c.title.clone()).collect()]),
            rows,
        }
    }
}

impl Validator {
    /// Column widths are checked here, at the user's own line: the markup
    /// would check them too, but would blame the template. A table wider
    /// than the text is narrowed by the markup, with a warning.
    fn column_widths(&mut self, t: &RawTable, field: &str) {
        if t.columns.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(&self.file, "у таблицы нет столбцов")
                    .with_field(format!("{field}.columns"))
                    .with_hint("перечислите столбцы: columns = [{ title = \"Мероприятие\", width = 80 }, …]"),
            );
        }
        for (j, column) in t.columns.iter().enumerate() {
            let width = *column.width.get_ref();
            if !(MIN_COLUMN_MM..=MAX_COLUMN_MM).contains(&width) {
                self.error(
                    column.width.span(),
                    &format!("{field}.columns[{j}].width"),
                    format!(
                        "ширина столбца {} («{}») должна быть числом миллиметров от {MIN_COLUMN_MM} до {MAX_COLUMN_MM}, а записано {width}",
                        j + 1,
                        column.title
                    ),
                    Some("ширина текста — 170 мм на книжной странице и 257 мм на альбомной; сумма ширин столбцов не должна её превышать"),
                );
            }
        }
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
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
