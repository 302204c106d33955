//! The serde source: the TOML file exactly as the user wrote it.
//!
//! Every table denies unknown keys, so a misspelt key is an error with a
//! suggestion instead of being silently ignored. Values that need checks
//! beyond their TOML type (people, deadlines), entries of lists and texts
//! that the checks look at are kept `Spanned`, so that an error or a
//! warning points at the line of the field (a table's span is its header
//! `[[decision]]`, or its `{ … }` when written inline). Field names are the TOML keys; the format
//! is documented in `docs/FORMAT.md`.

use super::kind::Family;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use toml::Spanned;
use toml::value::Datetime;

/// Top level of a document file. Both kinds share one struct so that the
/// unknown-key check knows every key; validation checks which keys belong to
/// which kind.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawDocument {
    /// The document kind: a key or alias of [`super::kind::KINDS`].
    pub kind: Option<Spanned<String>>,
    /// Path of an organisation profile, relative to this file.
    pub profile: Option<Spanned<String>>,
    /// The organisation (overrides the profile).
    pub organization: Option<RawOrganization>,
    /// Layout and wording options.
    pub options: Option<RawOptions>,
    /// The words used as headings.
    pub labels: Option<RawLabels>,
    /// People written once and referred to by surname.
    #[serde(default)]
    pub people: Vec<Spanned<RawPerson>>,

    // --- protocol ---
    /// What met, when and where.
    pub meeting: Option<Spanned<RawMeeting>>,
    /// Present.
    #[serde(default)]
    pub present: Vec<Spanned<RawAttendee>>,
    /// Absent.
    pub absent: Option<Vec<Spanned<RawAttendee>>>,
    /// Invited.
    #[serde(default)]
    pub invited: Vec<Spanned<RawAttendee>>,
    /// The agenda.
    #[serde(default)]
    pub agenda: Vec<Spanned<RawAgendaItem>>,
    /// СЛУШАЛИ.
    #[serde(default)]
    pub heard: Vec<Spanned<RawSpeech>>,
    /// ВЫСТУПИЛИ.
    #[serde(default)]
    pub spoke: Vec<Spanned<RawSpeech>>,
    /// РЕШИЛИ.
    #[serde(default)]
    pub decision: Vec<Spanned<RawPoint>>,
    /// Signatures at the end.
    #[serde(default)]
    pub signature: Vec<RawSignature>,

    // --- resolution ---
    /// Kind word, date, number, place, title, preamble.
    pub act: Option<Spanned<RawAct>>,
    /// The numbered points.
    #[serde(default)]
    pub point: Vec<Spanned<RawPoint>>,
    /// Appendices.
    #[serde(default)]
    pub appendix: Vec<Spanned<RawAppendix>>,
    /// The act an approved document (`kind = "plan"`) belongs to, for its
    /// grifs: «УТВЕРЖДЕН постановлением … от … № …».
    pub basis: Option<Spanned<RawBasis>>,
    /// «СОГЛАСОВАНО» blocks after the signature.
    #[serde(default)]
    pub agreed: Vec<Spanned<RawAgreed>>,
}

/// The shape of a TOML file, for messages about its structure: which
/// sections are lists of tables (`[[…]]`), which are one table (`[…]`),
/// and which belong to one document kind only. serde knows the same from
/// the types, but only says «expected a sequence»; these lists let the
/// message name the brackets the user should have written.
pub trait Schema {
    /// Dotted paths (no indices; repeated `point` levels collapsed) whose
    /// value is a list of tables, written `[[path]]`.
    const TABLE_ARRAYS: &'static [&'static str];
    /// Dotted paths whose value is one table, written `[path]`.
    const TABLES: &'static [&'static str];
    /// Top-level sections of some document kinds only: (section, the
    /// families of kinds that have it).
    const KIND_SECTIONS: &'static [(&'static str, &'static [Family])] = &[];

    /// True when `path` (dotted, with or without `[i]` indices) is a list
    /// of tables in this schema.
    fn is_table_array(path: &str) -> bool {
        Self::TABLE_ARRAYS.contains(&schema_path(path).as_str())
    }

    /// True when `path` is one table in this schema.
    fn is_table(path: &str) -> bool {
        Self::TABLES.contains(&schema_path(path).as_str())
    }
}

/// `decision[1].point[0].point` → `decision.point`: indices dropped and
/// nested points (which repeat to any depth) collapsed to one level, so
/// that the schema lists stay finite.
pub fn schema_path(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('.') {
        let seg = seg.split('[').next().unwrap_or(seg).trim();
        if seg == "point" && out.last() == Some(&"point") {
            continue;
        }
        out.push(seg);
    }
    out.join(".")
}

impl Schema for RawDocument {
    const TABLE_ARRAYS: &'static [&'static str] = &[
        "people",
        "present",
        "present.counts",
        "present.members",
        "absent",
        "absent.counts",
        "absent.members",
        "invited",
        "invited.counts",
        "invited.members",
        "agenda",
        "heard",
        "spoke",
        "decision",
        "decision.point",
        "signature",
        "point",
        "appendix",
        "appendix.table.columns",
        "appendix.table.row",
        "appendix.body",
        "appendix.body.table.columns",
        "appendix.body.table.row",
        "appendix.agreed",
        "agreed",
    ];
    const TABLES: &'static [&'static str] = &[
        "organization",
        "options",
        "labels",
        "people.cases",
        "people.position_cases",
        "meeting",
        "meeting.chair",
        "meeting.secretary",
        "agenda.speaker",
        "agenda.votes",
        "heard.speaker",
        "spoke.speaker",
        "decision.votes",
        "decision.point.votes",
        "signature.person",
        "act",
        "point.votes",
        "appendix.table",
        "appendix.approver",
        "appendix.approver.person",
        "appendix.body.table",
        "appendix.body.signature",
        "appendix.body.signature.person",
        "basis",
    ];
    const KIND_SECTIONS: &'static [(&'static str, &'static [Family])] = &[
        ("meeting", &[Family::Protocol]),
        ("present", &[Family::Protocol]),
        ("absent", &[Family::Protocol]),
        ("invited", &[Family::Protocol]),
        ("agenda", &[Family::Protocol]),
        ("heard", &[Family::Protocol]),
        ("spoke", &[Family::Protocol]),
        ("decision", &[Family::Protocol]),
        ("act", &[Family::Act]),
        ("point", &[Family::Act]),
        (
            "appendix",
            &[Family::Act, Family::Approved, Family::Protocol],
        ),
        ("basis", &[Family::Approved]),
        ("agreed", &[Family::Act]),
        ("signature", &[Family::Protocol, Family::Act]),
    ];
}

impl Schema for RawProfile {
    const TABLE_ARRAYS: &'static [&'static str] = &["people"];
    const TABLES: &'static [&'static str] = &[
        "organization",
        "options",
        "people.cases",
        "people.position_cases",
        "signature",
        "signature.person",
    ];
}

/// An organisation profile file: what many documents share.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    /// The organisation.
    pub organization: Option<RawOrganization>,
    /// People of the organisation (the head, the usual secretary).
    #[serde(default)]
    pub people: Vec<Spanned<RawPerson>>,
    /// Default signature of acts.
    pub signature: Option<RawSignature>,
    /// Options shared by the documents (each document may override them).
    pub options: Option<RawOptions>,
}

/// The organisation that issues the document.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawOrganization {
    /// Name for the document properties («Администрация МО …»).
    pub name: Option<String>,
    /// Header lines at the top of the first page, one per level.
    pub header: Option<Lines>,
    /// Place of compilation («г. Славск»).
    pub city: Option<String>,
    /// The issuer in the appendix label («администрации МО «…»»).
    pub issuer_genitive: Option<String>,
    /// The coat of arms (PNG or JPEG), relative to the file that names it;
    /// printed centred 10 mm from the top edge of the first page.
    pub emblem: Option<Spanned<String>>,
    /// The emblem's height, mm (17 by default).
    pub emblem_height: Option<Spanned<f32>>,
    /// The parent body (вышестоящий орган) above the name on the бланк,
    /// one line each («Управление образования администрации …»).
    pub parent: Option<Lines>,
    /// The бланк's reference data (справочные данные): the postal address,
    /// printed under the name, above a rule.
    pub address: Option<String>,
    /// The telephone, on the reference line («тел. …»).
    pub phone: Option<String>,
    /// The e-mail address, on the reference line («e-mail: …»).
    pub email: Option<String>,
}

/// Layout and wording options.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawOptions {
    /// `full` (СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ) or `short` (agenda and decisions).
    pub form: Option<Spanned<String>>,
    /// `by_question` or `together`.
    pub course: Option<Spanned<String>>,
    /// `once` or `each`: print «СЛУШАЛИ:» once or before every speaker.
    pub heard_label: Option<Spanned<String>>,
    /// How names print in running text and lists: `initials_first`
    /// («О.Н. Климова») or `surname_first` («Климова О.Н.»).
    pub names: Option<Spanned<String>>,
    /// `lines`, `numbered` or `bulleted`.
    pub present_list: Option<Spanned<String>>,
    /// `numbered` or `lines`.
    pub agenda_list: Option<Spanned<String>>,
    /// `numeric` (24.06.2021), `words` (24 июня 2021 г.) or `quoted`
    /// («« 5 » марта 2024 г.»).
    pub date_style: Option<Spanned<String>>,
    /// The date-and-number line of an act: `from` («от 10.02.2021 № 227»,
    /// centred), `plain` («10.02.2021 № 227», centred) or `split` (the date
    /// at the left margin, the number flush right).
    pub date_line: Option<Spanned<String>>,
    /// With `date_line = "split"`: the place of compilation `below` the
    /// date line (centred) or `between` the date and the number.
    pub place: Option<Spanned<String>>,
    /// How a vote prints: `counts` («ГОЛОСОВАЛИ: «за» — 17, «против» — 0,
    /// «воздержались» — 1.») or `unanimous` («Решение принято
    /// единогласно.» when nobody was against or abstained, else counts).
    pub votes: Option<Spanned<String>>,
    /// The order of those present, absent and invited: `as_written`
    /// (default) or `alphabetical` (by surname).
    pub present_order: Option<Spanned<String>>,
    /// The protocol's keywords (СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ, ГОЛОСОВАЛИ,
    /// ПОВЕСТКА ДНЯ): `capitals` (default, LAYOUT.md §5) or `sentence`
    /// («Слушали»). Words written in `[labels]` are printed as written.
    pub keywords: Option<Spanned<String>>,
    /// A protocol without header lines prints the organisation's name
    /// above ПРОТОКОЛ, as ГОСТ Р 7.0.97 requires (default true).
    pub organization_line: Option<bool>,
    /// Above this many people present, the protocol prints their count
    /// with «(список прилагается)» and lists them in an appendix «Список
    /// присутствующих» (LAYOUT.md §5: 15); 0 never moves the list.
    pub present_threshold: Option<Spanned<u32>>,
    /// `check` warns about a decision with no vote (on it or on its
    /// agenda item): for bodies whose every decision is voted.
    pub votes_required: Option<bool>,
    /// The enacting formula: `inline` (at the end of the preamble), `line`
    /// (on its own line, centred) or `none`.
    pub enacting_form: Option<Spanned<String>>,
    /// The act's title: `center` or `left` (the angular бланк).
    pub title_align: Option<Spanned<String>>,
    /// How an act's point prints its responsible persons and deadline:
    /// `inline` («… (И.И. Иванова) — срок 01.09.2021.») or `line`
    /// («Отв.: … Срок — 31.01.2024.» on its own line).
    pub control_form: Option<Spanned<String>>,
    /// Width of the grif and label box, mm: 75 by default, up to 90.
    pub grif_width: Option<Spanned<f32>>,
    /// «Приложение № 1» also when an act has one appendix (default true);
    /// `false` prints «Приложение» alone then.
    pub number_single_appendix: Option<bool>,
    /// Write «года» instead of «г.» in verbal dates.
    pub year_word: Option<bool>,
    /// Letter-space the enacting word («п о с т а н о в л я е т:»).
    pub spaced_enacting: Option<bool>,
    /// Page numbers from page 2 on (default true).
    pub page_numbers: Option<bool>,
    /// The typographic pass over user text (quotes, dashes, no-break
    /// spaces); on unless `false`.
    pub typography: Option<bool>,
}

/// The words used as headings; each has a house default.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawLabels {
    /// «ПРОТОКОЛ».
    pub kind: Option<String>,
    /// «Председатель» or «Председательствовал».
    pub chair: Option<String>,
    /// «Секретарь».
    pub secretary: Option<String>,
    /// «Присутствовали» or «Принимали участие».
    pub present: Option<String>,
    /// «Отсутствовали».
    pub absent: Option<String>,
    /// «Приглашенные».
    pub invited: Option<String>,
    /// «ПОВЕСТКА ДНЯ», «Тема», «Повестка совещания».
    pub agenda: Option<String>,
    /// «СЛУШАЛИ».
    pub heard: Option<String>,
    /// «ВЫСТУПИЛИ».
    pub spoke: Option<String>,
    /// «РЕШИЛИ» or «ПОСТАНОВИЛИ».
    pub decided: Option<String>,
    /// «ГОЛОСОВАЛИ».
    pub voted: Option<String>,
    /// «Срок».
    pub deadline: Option<String>,
    /// «Время проведения».
    pub time: Option<String>,
    /// «Место проведения».
    pub venue: Option<String>,
    /// «Форма проведения».
    pub format: Option<String>,
    /// «Дата проведения»: when set, the date gets its own labelled line.
    pub date: Option<String>,
}

/// A person written once: «Фамилия Имя Отчество» or «Фамилия И.О.».
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    /// The name, nominative.
    pub name: String,
    /// The position, nominative.
    pub position: Option<String>,
    /// `м` or `ж`, when the patronymic does not tell.
    pub gender: Option<String>,
    /// The name in cases where the rules get it wrong, as it must print:
    /// `cases = { accusative = "Климову О.Н." }`.
    pub cases: Option<RawCases>,
    /// The position in cases where the rules get it wrong:
    /// `position_cases = { accusative = "директора школы-интерната" }`.
    pub position_cases: Option<RawCases>,
}

/// Explicit forms in the oblique cases; each overrides the rules.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct RawCases {
    /// Родительный.
    pub genitive: Option<String>,
    /// Дательный.
    pub dative: Option<String>,
    /// Винительный.
    pub accusative: Option<String>,
    /// Творительный.
    pub instrumental: Option<String>,
    /// Предложный.
    pub prepositional: Option<String>,
}

impl RawCases {
    /// The forms given, by English case name.
    pub fn entries(&self) -> Vec<(&'static str, &str)> {
        [
            ("genitive", &self.genitive),
            ("dative", &self.dative),
            ("accusative", &self.accusative),
            ("instrumental", &self.instrumental),
            ("prepositional", &self.prepositional),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

/// A reference to a person: a surname or name from `[[people]]`, a name
/// written inline, or an inline table.
#[derive(Debug, Clone)]
pub enum RawPersonRef {
    /// A string: a surname from `[[people]]` or a name.
    Name(String),
    /// An inline table.
    Inline(Box<RawPerson>),
}

impl<'de> Deserialize<'de> for RawPersonRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A string or a table, keeping serde's own messages for the table's
        // fields, instead of `untagged`'s «did not match any variant».
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPersonRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a table")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(RawPersonRef::Name(s.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let p = RawPerson::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawPersonRef::Inline(Box::new(p)))
            }
        }
        d.deserialize_any(V)
    }
}

/// One line or several: `"a"` or `["a", "b"]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines(pub Vec<String>);

impl<'de> Deserialize<'de> for Lines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Lines;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Lines, E> {
                Ok(Lines(s.lines().map(str::to_owned).collect()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lines, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(Lines(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A date: a TOML date (`2021-06-24`) or a string («24.06.2021»).
#[derive(Debug, Clone)]
pub enum RawDate {
    /// A TOML date.
    Toml(Datetime),
    /// A string to parse.
    Text(String),
}

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // toml hands a datetime over as a one-key map; Datetime knows how to
        // read it, and a string stays a string for the model to parse.
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(RawDate::Text(s.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let dt = Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawDate::Toml(dt))
            }
        }
        d.deserialize_any(V)
    }
}

/// A deadline: a date, or a string such as «до 01.09.2021» or «постоянно».
pub type RawDeadline = RawDate;

/// What met, when and where.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawMeeting {
    /// What met, in the genitive: «рабочего совещания».
    pub title: String,
    /// The protocol number.
    pub number: Option<String>,
    /// Date of the meeting.
    pub date: Spanned<RawDate>,
    /// «14:30».
    pub time: Option<String>,
    /// Venue: «Администрация муниципального образования …».
    pub venue: Option<String>,
    /// Place of compilation: «г. Жуков».
    pub city: Option<String>,
    /// Form: «в режиме ВКС на цифровой платформе «Сферум»».
    pub format: Option<String>,
    /// The chair: a surname from `[[people]]`, a name, or a table.
    pub chair: Option<Spanned<RawPersonRef>>,
    /// The secretary.
    pub secretary: Option<Spanned<RawPersonRef>>,
    /// How many were present, when they are not listed by name
    /// («Присутствовали: 46 человек»).
    pub present_count: Option<Spanned<u32>>,
    /// How many were absent («Отсутствовали: 13 человек»).
    pub absent_count: Option<Spanned<u32>>,
}

/// An entry of «Присутствовали»: a person, a group or a line of text.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct RawAttendee {
    /// A person (surname from `[[people]]`, or a name).
    pub name: Option<Spanned<String>>,
    /// Position, when not in `[[people]]`.
    pub position: Option<String>,
    /// Role in the meeting: «зам. председателя», «секретарь».
    pub role: Option<String>,
    /// Note in brackets: «по приглашению».
    pub note: Option<String>,
    /// A group: an organisation or a category of participants.
    pub group: Option<String>,
    /// People of the group.
    #[serde(default)]
    pub members: Vec<Spanned<RawPersonRef>>,
    /// Participants given as counts: «15 директоров».
    #[serde(default)]
    pub counts: Vec<RawCount>,
    /// Free text.
    pub text: Option<String>,
}

/// «15 директоров …».
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawCount {
    /// How many.
    pub count: Spanned<u32>,
    /// Who, agreeing with the number: «директоров общеобразовательных организаций».
    pub who: String,
}

/// An agenda item.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawAgendaItem {
    /// «О результатах …».
    pub title: Spanned<String>,
    /// The speaker.
    pub speaker: Option<Spanned<RawPersonRef>>,
    /// The vote on the item as a whole, printed after its decisions.
    pub votes: Option<Spanned<RawVotes>>,
}

/// A speech under СЛУШАЛИ or ВЫСТУПИЛИ.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawSpeech {
    /// The agenda item it belongs to (1-based).
    pub question: Option<Spanned<i64>>,
    /// Who spoke.
    pub speaker: Spanned<RawPersonRef>,
    /// The speaker's role here, after the position: «члена рабочей группы …».
    pub role: Option<String>,
    /// What was said: paragraphs separated by blank lines, «- » list items.
    pub text: Option<Spanned<String>>,
}

/// A numbered point of a decision or an act, possibly with sub-points.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPoint {
    /// The agenda item it belongs to (1-based), for protocols by question.
    pub question: Option<Spanned<i64>>,
    /// Addressee: «Отделу образования …».
    pub to: Option<String>,
    /// The text.
    pub text: Option<Spanned<String>>,
    /// Responsible person or body.
    pub responsible: Option<Lines>,
    /// Deadline of this point.
    pub deadline: Option<Spanned<RawDeadline>>,
    /// Deadline shared by all sub-points, printed after them.
    pub group_deadline: Option<Spanned<RawDeadline>>,
    /// Voting counts.
    pub votes: Option<Spanned<RawVotes>>,
    /// Sub-points.
    #[serde(default)]
    pub point: Vec<Spanned<RawPoint>>,
}

/// «Голосовали: «за» — 7, «против» — 0, «воздержались» — 1».
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawVotes {
    /// For.
    #[serde(rename = "for")]
    pub yes: u32,
    /// Against.
    #[serde(default)]
    pub against: u32,
    /// Abstained.
    #[serde(default)]
    pub abstained: u32,
}

/// A signature row.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawSignature {
    /// Role or position lines at the left.
    pub position: Option<Lines>,
    /// Who signs.
    pub person: Spanned<RawPersonRef>,
}

/// The act's own requisites (постановление).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawAct {
    /// «ПОСТАНОВЛЕНИЕ»: the kind word, when not the kind's own.
    pub kind: Option<String>,
    /// Date of the act; left out in a draft («от ________»).
    pub date: Option<Spanned<RawDate>>,
    /// Registration number; left out in a draft («№ ______»).
    pub number: Option<String>,
    /// Place of compilation.
    pub city: Option<String>,
    /// «Об утверждении …»; its line breaks are kept.
    pub title: Spanned<String>,
    /// Print only the appendices (an appendix published on its own).
    #[serde(default)]
    pub appendices_only: bool,
    /// Legal grounds, up to the enacting word.
    pub preamble: Option<String>,
    /// «постановляет:».
    pub enacting: Option<String>,
}

/// An appendix, or a page of an approved document.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawAppendix {
    /// The grif: `appendix` («Приложение № 1 к …»), `approved`
    /// («УТВЕРЖДЕН постановлением …»), `approve` («УТВЕРЖДАЮ»), `none`.
    pub grif: Option<Spanned<String>>,
    /// Grif lines as written, instead of the built ones.
    pub label: Option<Lines>,
    /// The number in «Приложение № N» (its place in the list by default).
    pub number: Option<Spanned<i64>>,
    /// «УТВЕРЖДЕН» agreed with the document's noun: «УТВЕРЖДЕНА».
    pub approved: Option<String>,
    /// Who signs «УТВЕРЖДАЮ».
    pub approver: Option<RawApprover>,
    /// «СОГЛАСОВАНО» blocks at the end.
    #[serde(default)]
    pub agreed: Vec<Spanned<RawAgreed>>,
    /// Title; its line breaks are kept.
    pub title: Option<String>,
    /// `portrait` or `landscape`.
    pub orientation: Option<Spanned<String>>,
    /// Paragraphs before the table.
    pub text: Option<Spanned<String>>,
    /// The table.
    pub table: Option<Spanned<RawTable>>,
    /// Further content in order: headings, text, lists, tables, signatures.
    #[serde(default)]
    pub body: Vec<Spanned<RawBlock>>,
}

/// «УТВЕРЖДАЮ / должность / ______ И.О. Фамилия / «__» ______ 20__ г.».
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawApprover {
    /// Position lines.
    pub position: Option<Lines>,
    /// Who approves.
    pub person: Spanned<RawPersonRef>,
    /// The date; blank lines for it when absent.
    pub date: Option<Spanned<RawDate>>,
}

/// «СОГЛАСОВАНО / должность / ______ И.О. Фамилия / дата».
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawAgreed {
    /// Position lines.
    pub position: Option<Lines>,
    /// Who agreed.
    pub person: Spanned<RawPersonRef>,
    /// The date; blank lines for it when absent.
    pub date: Option<Spanned<RawDate>>,
}

/// The act an approved document belongs to.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawBasis {
    /// Its kind: `постановление`, `распоряжение`, `приказ`, `решение`.
    pub kind: Spanned<String>,
    /// Who issued it, genitive: «администрации МО «…»» (the
    /// organisation's `issuer_genitive` by default).
    pub issuer: Option<String>,
    /// Its date.
    pub date: Option<Spanned<RawDate>>,
    /// Its number.
    pub number: Option<String>,
}

/// One block of an appendix's body: exactly one of the content keys.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct RawBlock {
    /// A heading, bold and centred.
    pub heading: Option<String>,
    /// Paragraphs (an empty line starts a new one; «- » lines are bullets).
    pub text: Option<String>,
    /// A list, one entry per item.
    pub items: Option<Vec<String>>,
    /// With `items`: numbered «1.», «2.» (default) or bulleted «–».
    pub numbered: Option<bool>,
    /// A table.
    pub table: Option<Spanned<RawTable>>,
    /// A signature row.
    pub signature: Option<RawSignature>,
}

/// A table.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawTable {
    /// Columns.
    pub columns: Spanned<Vec<RawColumn>>,
    /// Header rows; one row of the column titles when absent.
    pub header: Option<Vec<Vec<String>>>,
    /// Rows.
    #[serde(default)]
    pub row: Vec<Spanned<RawRow>>,
}

/// A table column.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawColumn {
    /// Title in the header row.
    pub title: String,
    /// Width, mm.
    pub width: Spanned<f32>,
    /// Numbered automatically (1, 2, 3 …): rows leave this cell out.
    #[serde(default)]
    pub numbered: bool,
    /// Cells are deadlines, read and checked like a point's `deadline`.
    #[serde(default)]
    pub deadline: bool,
    /// `left` (default) or `center` (numbers, dates).
    pub align: Option<Spanned<String>>,
}

/// A table row.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawRow {
    /// Cells, left to right (without the numbered column, and without
    /// the cells a cell above covers with `rows`).
    pub cells: Option<Spanned<Vec<RawCell>>>,
    /// A section row spanning all columns.
    pub section: Option<String>,
}

/// A table cell: a text, a list of lines (several persons, one per line),
/// or a table `{ text = "…", rows = 3 }` spanning several rows.
#[derive(Debug, Clone)]
pub enum RawCell {
    /// Text (paragraphs and «- » bullets).
    Text(String),
    /// Lines, one paragraph each.
    Lines(Vec<String>),
    /// Text or lines, spanning rows.
    Spanning(RawSpanningCell),
}

/// A cell written as a table.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawSpanningCell {
    /// Its text (a string, or a list of lines).
    pub text: Lines,
    /// How many rows it spans (this one and the ones below).
    #[serde(default = "one")]
    pub rows: i64,
}

fn one() -> i64 {
    1
}

impl<'de> Deserialize<'de> for RawCell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCell;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, an array of strings or a table { text, rows }")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RawCell, E> {
                Ok(RawCell::Text(s.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawCell, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(RawCell::Lines(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawCell, A::Error> {
                RawSpanningCell::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawCell::Spanning)
            }
        }
        d.deserialize_any(V)
    }
}
