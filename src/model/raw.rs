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
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use toml::Spanned;
use toml::value::Datetime;

/// Top level of a document file. Both kinds share one struct so that the
/// unknown-key check knows every key; validation checks which keys belong to
/// which kind.
#[derive(Debug, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Документ: протокол, постановление, распоряжение, приказ, решение или утверждаемый документ (план)."
)]
pub struct RawDocument {
    /// The document kind: a key or alias of [`super::kind::KINDS`].
    #[schemars(description = "Вид документа: ключ или русское название.", with = "Option<crate::schema::KindName>", example = &"protocol", example = &"постановление")]
    pub kind: Option<Spanned<String>>,
    /// Path of an organisation profile, relative to this file.
    #[schemars(description = "Путь к профилю организации от этого файла.", with = "Option<String>", example = &"profiles/org.toml")]
    pub profile: Option<Spanned<String>>,
    /// The organisation (overrides the profile).
    #[schemars(description = "Организация (переопределяет профиль).")]
    pub organization: Option<RawOrganization>,
    /// Layout and wording options.
    #[schemars(description = "Настройки оформления и формулировок.")]
    pub options: Option<RawOptions>,
    /// The words used as headings.
    #[schemars(description = "Слова заголовков («Председатель», «СЛУШАЛИ» …).")]
    pub labels: Option<RawLabels>,
    /// People written once and referred to by surname.
    #[serde(default)]
    #[schemars(
        description = "Люди: записываются один раз, дальше на них ссылаются по фамилии.",
        with = "Vec<RawPerson>"
    )]
    pub people: Vec<Spanned<RawPerson>>,

    // --- protocol ---
    /// What met, when and where.
    #[schemars(
        description = "Протокол: что заседало, когда и где.",
        with = "Option<RawMeeting>"
    )]
    pub meeting: Option<Spanned<RawMeeting>>,
    /// Present.
    #[serde(default)]
    #[schemars(description = "Протокол: присутствовали.", with = "Vec<RawAttendee>")]
    pub present: Vec<Spanned<RawAttendee>>,
    /// Absent.
    #[schemars(
        description = "Протокол: отсутствовали.",
        with = "Option<Vec<RawAttendee>>"
    )]
    pub absent: Option<Vec<Spanned<RawAttendee>>>,
    /// Invited.
    #[serde(default)]
    #[schemars(description = "Протокол: приглашенные.", with = "Vec<RawAttendee>")]
    pub invited: Vec<Spanned<RawAttendee>>,
    /// The agenda.
    #[serde(default)]
    #[schemars(
        description = "Протокол: повестка дня, вопросы по порядку.",
        with = "Vec<RawAgendaItem>"
    )]
    pub agenda: Vec<Spanned<RawAgendaItem>>,
    /// СЛУШАЛИ.
    #[serde(default)]
    #[schemars(description = "Протокол: СЛУШАЛИ.", with = "Vec<RawSpeech>")]
    pub heard: Vec<Spanned<RawSpeech>>,
    /// ВЫСТУПИЛИ.
    #[serde(default)]
    #[schemars(description = "Протокол: ВЫСТУПИЛИ.", with = "Vec<RawSpeech>")]
    pub spoke: Vec<Spanned<RawSpeech>>,
    /// РЕШИЛИ.
    #[serde(default)]
    #[schemars(
        description = "Протокол: РЕШИЛИ (номера 1.1, 1.2 … ставятся сами).",
        with = "Vec<RawPoint>"
    )]
    pub decision: Vec<Spanned<RawPoint>>,
    /// Signatures at the end.
    #[serde(default)]
    #[schemars(description = "Подписи в конце документа.")]
    pub signature: Vec<RawSignature>,

    // --- resolution ---
    /// Kind word, date, number, place, title, preamble.
    #[schemars(
        description = "Акт: вид, дата, номер, место, заголовок, преамбула.",
        with = "Option<RawAct>"
    )]
    pub act: Option<Spanned<RawAct>>,
    /// The numbered points.
    #[serde(default)]
    #[schemars(description = "Акт: пункты по порядку.", with = "Vec<RawPoint>")]
    pub point: Vec<Spanned<RawPoint>>,
    /// Appendices.
    #[serde(default)]
    #[schemars(
        description = "Приложения (у плана — его страницы).",
        with = "Vec<RawAppendix>"
    )]
    pub appendix: Vec<Spanned<RawAppendix>>,
    /// The act an approved document (`kind = "plan"`) belongs to, for its
    /// grifs: «УТВЕРЖДЕН постановлением … от … № …».
    #[schemars(
        description = "План: акт, которым он утверждён (для грифа «УТВЕРЖДЕН …»).",
        with = "Option<RawBasis>"
    )]
    pub basis: Option<Spanned<RawBasis>>,
    /// «СОГЛАСОВАНО» blocks after the signature.
    #[serde(default)]
    #[schemars(
        description = "Акт: грифы «СОГЛАСОВАНО» после подписи.",
        with = "Vec<RawAgreed>"
    )]
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
        "signature.electronic",
        "act",
        "point.votes",
        "appendix.table",
        "appendix.approver",
        "appendix.approver.person",
        "appendix.body.table",
        "appendix.body.signature",
        "appendix.body.signature.person",
        "appendix.body.signature.electronic",
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
        "signature.electronic",
    ];
}

/// An organisation profile file: what many documents share.
#[derive(Debug, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Профиль организации: общее для многих документов (шапка, люди, подпись, настройки)."
)]
pub struct RawProfile {
    /// The organisation.
    #[schemars(description = "Организация.")]
    pub organization: Option<RawOrganization>,
    /// People of the organisation (the head, the usual secretary).
    #[serde(default)]
    #[schemars(
        description = "Люди организации (глава, постоянный секретарь).",
        with = "Vec<RawPerson>"
    )]
    pub people: Vec<Spanned<RawPerson>>,
    /// Default signature of acts.
    #[schemars(description = "Подпись актов по умолчанию.")]
    pub signature: Option<RawSignature>,
    /// Options shared by the documents (each document may override them).
    #[schemars(description = "Общие настройки документов (документ может переопределить каждую).")]
    pub options: Option<RawOptions>,
}

/// The organisation that issues the document.
#[derive(Debug, Deserialize, JsonSchema, Default, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Организация, издающая документ (дополняет и переопределяет профиль).")]
pub struct RawOrganization {
    /// Name for the document properties («Администрация МО …»).
    #[schemars(description = "Название для свойств файла (не печатается).", example = &"Администрация Заречного муниципального округа")]
    pub name: Option<String>,
    /// Header lines at the top of the first page, one per level.
    #[schemars(description = "Шапка: строки по центру, жирным, по одной на уровень.")]
    pub header: Option<Lines>,
    /// Place of compilation («г. Славск»).
    #[schemars(description = "Место составления.", example = &"г. Заречный")]
    pub city: Option<String>,
    /// The issuer in the appendix label («администрации МО «…»»).
    #[schemars(description = "Кто издал акт, в родительном падеже, для грифа приложения: «… к постановлению администрации …».", example = &"администрации Заречного муниципального округа")]
    pub issuer_genitive: Option<String>,
    /// The coat of arms (PNG or JPEG), relative to the file that names it;
    /// printed centred 10 mm from the top edge of the first page.
    #[schemars(description = "Герб: картинка PNG или JPEG, путь от файла, который её называет.", with = "Option<String>", example = &"profiles/gerb.png")]
    pub emblem: Option<Spanned<String>>,
    /// The emblem's height, mm (17 by default).
    #[schemars(
        description = "Высота герба, мм (5–60; по умолчанию 17).",
        with = "Option<f32>"
    )]
    pub emblem_height: Option<Spanned<f32>>,
    /// The parent body (вышестоящий орган) above the name on the бланк,
    /// one line each («Управление образования администрации …»).
    #[schemars(description = "Вышестоящий орган над названием на бланке, по строке.")]
    pub parent: Option<Lines>,
    /// The бланк's reference data (справочные данные): the postal address,
    /// printed under the name, above a rule.
    #[schemars(description = "Почтовый адрес на бланке (справочные данные).")]
    pub address: Option<String>,
    /// The telephone, on the reference line («тел. …»).
    #[schemars(description = "Телефон на бланке («тел. …»).")]
    pub phone: Option<String>,
    /// The e-mail address, on the reference line («e-mail: …»).
    #[schemars(description = "Адрес электронной почты на бланке («e-mail: …»).")]
    pub email: Option<String>,
}

/// Layout and wording options.
#[derive(Debug, Deserialize, JsonSchema, Default, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Настройки оформления и формулировок; каждая имеет значение по умолчанию."
)]
pub struct RawOptions {
    /// `full` (СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ) or `short` (agenda and decisions).
    #[schemars(
        description = "Форма протокола: полная (СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ) или краткая.",
        with = "Option<crate::schema::Form>"
    )]
    pub form: Option<Spanned<String>>,
    /// `by_question` or `together`.
    #[schemars(
        description = "Ход заседания: по вопросам или одним разделом.",
        with = "Option<crate::schema::Course>"
    )]
    pub course: Option<Spanned<String>>,
    /// `once` or `each`: print «СЛУШАЛИ:» once or before every speaker.
    #[schemars(
        description = "«СЛУШАЛИ:» один раз или перед каждым выступающим.",
        with = "Option<crate::schema::HeardLabel>"
    )]
    pub heard_label: Option<Spanned<String>>,
    /// How names print in running text and lists: `initials_first`
    /// («О.Н. Климова») or `surname_first` («Климова О.Н.»).
    #[schemars(
        description = "Как печатать имена: «О.Н. Климова» или «Климова О.Н.».",
        with = "Option<crate::schema::Names>"
    )]
    pub names: Option<Spanned<String>>,
    /// `lines`, `numbered` or `bulleted`.
    #[schemars(
        description = "Список присутствующих: строками, с номерами или с тире.",
        with = "Option<crate::schema::ListStyle>"
    )]
    pub present_list: Option<Spanned<String>>,
    /// `numbered` or `lines`.
    #[schemars(
        description = "Повестка: с номерами или строками.",
        with = "Option<crate::schema::ListStyle>"
    )]
    pub agenda_list: Option<Spanned<String>>,
    /// `numeric` (24.06.2021), `words` (24 июня 2021 г.) or `quoted`
    /// («« 5 » марта 2024 г.»).
    #[schemars(
        description = "Вид даты: 24.06.2021, 24 июня 2021 г. или « 5 » марта 2024 г.",
        with = "Option<crate::schema::DateStyle>"
    )]
    pub date_style: Option<Spanned<String>>,
    /// The date-and-number line of an act: `from` («от 10.02.2021 № 227»,
    /// centred), `plain` («10.02.2021 № 227», centred) or `split` (the date
    /// at the left margin, the number flush right).
    #[schemars(
        description = "Строка даты и номера акта.",
        with = "Option<crate::schema::DateLine>"
    )]
    pub date_line: Option<Spanned<String>>,
    /// With `date_line = "split"`: the place of compilation `below` the
    /// date line (centred) or `between` the date and the number.
    #[schemars(
        description = "При date_line = \"split\": место составления под строкой даты или между датой и номером.",
        with = "Option<crate::schema::Place>"
    )]
    pub place: Option<Spanned<String>>,
    /// How a vote prints: `counts` («ГОЛОСОВАЛИ: «за» — 17, «против» — 0,
    /// «воздержались» — 1.») or `unanimous` («Решение принято
    /// единогласно.» when nobody was against or abstained, else counts).
    #[schemars(
        description = "Как печатать голосование: числами или «Решение принято единогласно.».",
        with = "Option<crate::schema::Votes>"
    )]
    pub votes: Option<Spanned<String>>,
    /// The order of those present, absent and invited: `as_written`
    /// (default) or `alphabetical` (by surname).
    #[schemars(
        description = "Порядок присутствующих, отсутствующих и приглашенных.",
        with = "Option<crate::schema::PresentOrder>"
    )]
    pub present_order: Option<Spanned<String>>,
    /// The protocol's keywords (СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ, ГОЛОСОВАЛИ,
    /// ПОВЕСТКА ДНЯ): `capitals` (default, LAYOUT.md §5) or `sentence`
    /// («Слушали»). Words written in `[labels]` are printed as written.
    #[schemars(
        description = "Ключевые слова протокола прописными (СЛУШАЛИ) или как в предложении (Слушали).",
        with = "Option<crate::schema::Keywords>"
    )]
    pub keywords: Option<Spanned<String>>,
    /// A protocol without header lines prints the organisation's name
    /// above ПРОТОКОЛ, as ГОСТ Р 7.0.97 requires (default true).
    #[schemars(
        description = "Название организации над словом ПРОТОКОЛ, когда нет шапки (по умолчанию true)."
    )]
    pub organization_line: Option<bool>,
    /// Above this many people present, the protocol prints their count
    /// with «(список прилагается)» and lists them in an appendix «Список
    /// присутствующих» (LAYOUT.md §5: 15); 0 never moves the list.
    #[schemars(
        description = "Больше стольких присутствующих — их число и «(список прилагается)», список в приложении (по умолчанию 15; 0 — никогда).",
        with = "Option<u32>"
    )]
    pub present_threshold: Option<Spanned<u32>>,
    /// `check` warns about a decision with no vote (on it or on its
    /// agenda item): for bodies whose every decision is voted.
    #[schemars(description = "Проверка предупреждает о решении без голосования.")]
    pub votes_required: Option<bool>,
    /// The enacting formula: `inline` (at the end of the preamble), `line`
    /// (on its own line, centred) or `none`.
    #[schemars(
        description = "Где печатать распорядительное слово («постановляет:»).",
        with = "Option<crate::schema::EnactingForm>"
    )]
    pub enacting_form: Option<Spanned<String>>,
    /// The act's title: `center` or `left` (the angular бланк).
    #[schemars(
        description = "Заголовок акта: по центру или у левого поля.",
        with = "Option<crate::schema::TitleAlign>"
    )]
    pub title_align: Option<Spanned<String>>,
    /// How an act's point prints its responsible persons and deadline:
    /// `inline` («… (И.И. Иванова) — срок 01.09.2021.») or `line`
    /// («Отв.: … Срок — 31.01.2024.» on its own line).
    #[schemars(
        description = "Как печатать ответственных и срок пункта.",
        with = "Option<crate::schema::ControlForm>"
    )]
    pub control_form: Option<Spanned<String>>,
    /// Width of the grif and label box, mm: 75 by default, up to 90.
    #[schemars(
        description = "Ширина грифа и отметки о приложении, мм (50–90; по умолчанию 75).",
        with = "Option<f32>"
    )]
    pub grif_width: Option<Spanned<f32>>,
    /// «Приложение № 1» also when an act has one appendix (default true);
    /// `false` prints «Приложение» alone then.
    #[schemars(description = "«Приложение № 1» и при одном приложении (по умолчанию true).")]
    pub number_single_appendix: Option<bool>,
    /// Write «года» instead of «г.» in verbal dates.
    #[schemars(description = "«года» вместо «г.» в датах словами.")]
    pub year_word: Option<bool>,
    /// Letter-space the enacting word («п о с т а н о в л я е т:»).
    #[schemars(description = "Распорядительное слово вразрядку («п о с т а н о в л я е т:»).")]
    pub spaced_enacting: Option<bool>,
    /// Page numbers from page 2 on (default true).
    #[schemars(description = "Номера страниц со второй (по умолчанию true).")]
    pub page_numbers: Option<bool>,
    /// The typographic pass over user text (quotes, dashes, no-break
    /// spaces); on unless `false`.
    #[schemars(
        description = "Типографика текста: кавычки «ёлочки», тире, неразрывные пробелы (по умолчанию true)."
    )]
    pub typography: Option<bool>,
    /// The edition of ГОСТ Р 7.0.97 whose defaults apply: 2016 (default)
    /// or 2025 (grif box 8 cm, the QR-code requisite).
    #[schemars(
        description = "Редакция ГОСТ Р 7.0.97: 2016 (по умолчанию) или 2025 (гриф шириной 8 см, реквизит «QR-код»).",
        with = "Option<crate::schema::Edition>"
    )]
    pub edition: Option<Spanned<i64>>,
    /// Also write a web page of the document (with the folder's
    /// `index.html`) when `gostdoc build` is given no `--format`.
    #[schemars(
        description = "Также веб-страница документа и оглавление папки index.html, когда gostdoc build запущен без --format (по умолчанию false)."
    )]
    pub html: Option<bool>,
    /// Write the PDF as PDF/A-2u with a tagged structure, as `--pdfa`
    /// does for every document.
    #[schemars(
        description = "PDF для архива: PDF/A-2u со структурой PDF/UA, как ключ --pdfa (по умолчанию false)."
    )]
    pub pdfa: Option<bool>,
}

/// The words used as headings; each has a house default.
#[derive(Debug, Deserialize, JsonSchema, Default, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Слова заголовков; у каждого есть значение по умолчанию.")]
pub struct RawLabels {
    /// «ПРОТОКОЛ».
    #[schemars(description = "Слово вида документа вместо «ПРОТОКОЛ».", example = &"ПРОТОКОЛ")]
    pub kind: Option<String>,
    /// «Председатель» or «Председательствовал».
    #[schemars(description = "Слово «Председатель» в документе.", example = &"Председательствовал")]
    pub chair: Option<String>,
    /// «Секретарь».
    #[schemars(description = "Слово «Секретарь» в документе.", example = &"Секретарь")]
    pub secretary: Option<String>,
    /// «Присутствовали» or «Принимали участие».
    #[schemars(description = "Слово «Присутствовали» в документе.", example = &"Принимали участие")]
    pub present: Option<String>,
    /// «Отсутствовали».
    #[schemars(description = "Слово «Отсутствовали» в документе.", example = &"Отсутствовали")]
    pub absent: Option<String>,
    /// «Приглашенные».
    #[schemars(description = "Слово «Приглашенные» в документе.", example = &"Приглашенные")]
    pub invited: Option<String>,
    /// «ПОВЕСТКА ДНЯ», «Тема», «Повестка совещания».
    #[schemars(description = "Слово «ПОВЕСТКА ДНЯ» в документе.", example = &"Повестка совещания")]
    pub agenda: Option<String>,
    /// «СЛУШАЛИ».
    #[schemars(description = "Слово «СЛУШАЛИ» в документе.", example = &"СЛУШАЛИ")]
    pub heard: Option<String>,
    /// «ВЫСТУПИЛИ».
    #[schemars(description = "Слово «ВЫСТУПИЛИ» в документе.", example = &"ВЫСТУПИЛИ")]
    pub spoke: Option<String>,
    /// «РЕШИЛИ» or «ПОСТАНОВИЛИ».
    #[schemars(description = "Слово «РЕШИЛИ» в документе.", example = &"ПОСТАНОВИЛИ")]
    pub decided: Option<String>,
    /// «ГОЛОСОВАЛИ».
    #[schemars(description = "Слово «ГОЛОСОВАЛИ» в документе.", example = &"ГОЛОСОВАЛИ")]
    pub voted: Option<String>,
    /// «Срок».
    #[schemars(description = "Слово «Срок» в документе.", example = &"Срок исполнения")]
    pub deadline: Option<String>,
    /// «Время проведения».
    #[schemars(description = "Слово «Время проведения» в документе.", example = &"Время")]
    pub time: Option<String>,
    /// «Место проведения».
    #[schemars(description = "Слово «Место проведения» в документе.", example = &"Место")]
    pub venue: Option<String>,
    /// «Форма проведения».
    #[schemars(description = "Слово «Форма проведения» в документе.", example = &"Форма")]
    pub format: Option<String>,
    /// «Дата проведения»: when set, the date gets its own labelled line.
    #[schemars(description = "«Дата проведения»: если задано, дата печатается отдельной строкой с этим словом.", example = &"Дата проведения")]
    pub date: Option<String>,
}

/// A person written once: «Фамилия Имя Отчество» or «Фамилия И.О.».
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Человек, записанный один раз: «Фамилия Имя Отчество» или «Фамилия И.О.», в именительном падеже."
)]
pub struct RawPerson {
    /// The name, nominative.
    #[schemars(description = "Фамилия Имя Отчество или Фамилия И.О., в именительном падеже.", example = &"Климова Ольга Николаевна")]
    pub name: String,
    /// The position, nominative.
    #[schemars(description = "Должность в именительном падеже.", example = &"начальник отдела образования")]
    pub position: Option<String>,
    /// `м` or `ж`, when the patronymic does not tell.
    #[schemars(
        description = "Пол, если отчество его не подсказывает: «м» или «ж».",
        with = "Option<crate::schema::Gender>"
    )]
    pub gender: Option<String>,
    /// The name in cases where the rules get it wrong, as it must print:
    /// `cases = { accusative = "Климову О.Н." }`.
    #[schemars(
        description = "Имя в падежах, где правила ошибаются: { accusative = \"Климову О.Н.\" }."
    )]
    pub cases: Option<RawCases>,
    /// The position in cases where the rules get it wrong:
    /// `position_cases = { accusative = "директора школы-интерната" }`.
    #[schemars(description = "Должность в падежах, где правила ошибаются.")]
    pub position_cases: Option<RawCases>,
}

/// Explicit forms in the oblique cases; each overrides the rules.
#[derive(Debug, Deserialize, JsonSchema, Clone, Default)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Формы в косвенных падежах, как они должны печататься; каждая заменяет правила склонения."
)]
pub struct RawCases {
    /// Родительный.
    #[schemars(description = "Родительный падеж (кого? чего?).")]
    pub genitive: Option<String>,
    /// Дательный.
    #[schemars(description = "Дательный падеж (кому? чему?).")]
    pub dative: Option<String>,
    /// Винительный.
    #[schemars(description = "Винительный падеж (кого? что?).")]
    pub accusative: Option<String>,
    /// Творительный.
    #[schemars(description = "Творительный падеж (кем? чем?).")]
    pub instrumental: Option<String>,
    /// Предложный.
    #[schemars(description = "Предложный падеж (о ком? о чём?).")]
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
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Что заседало, когда и где.")]
pub struct RawMeeting {
    /// What met, in the genitive: «рабочего совещания».
    #[schemars(description = "Что заседало, в родительном падеже.", example = &"рабочего совещания")]
    pub title: String,
    /// The protocol number; `"auto"`: the next of its series
    /// ([`crate::numbering`]).
    #[schemars(
        description = "Номер протокола; \"auto\" — следующий номер серии (вид, организация, год), его даёт gostdoc build и хранит в _номера.toml.",
        with = "Option<String>",
        example = &"1"
    )]
    pub number: Option<Spanned<String>>,
    /// Date of the meeting.
    #[schemars(
        description = "Дата заседания: 2021-06-24 без кавычек.",
        with = "RawDate"
    )]
    pub date: Spanned<RawDate>,
    /// «14:30».
    #[schemars(description = "Время.", example = &"14:30")]
    pub time: Option<String>,
    /// Venue: «Администрация муниципального образования …».
    #[schemars(description = "Место проведения.")]
    pub venue: Option<String>,
    /// Place of compilation: «г. Жуков».
    #[schemars(description = "Место составления.", example = &"г. Жуков")]
    pub city: Option<String>,
    /// Form: «в режиме ВКС на цифровой платформе «Сферум»».
    #[schemars(description = "Форма проведения.", example = &"в режиме ВКС")]
    pub format: Option<String>,
    /// The chair: a surname from `[[people]]`, a name, or a table.
    #[schemars(
        description = "Председатель: фамилия из [[people]], имя или таблица.",
        with = "Option<RawPersonRef>"
    )]
    pub chair: Option<Spanned<RawPersonRef>>,
    /// The secretary.
    #[schemars(description = "Секретарь.", with = "Option<RawPersonRef>")]
    pub secretary: Option<Spanned<RawPersonRef>>,
    /// How many were present, when they are not listed by name
    /// («Присутствовали: 46 человек»).
    #[schemars(
        description = "Сколько присутствовало, когда они не перечислены («Присутствовали: 46 человек»).",
        with = "Option<u32>"
    )]
    pub present_count: Option<Spanned<u32>>,
    /// How many were absent («Отсутствовали: 13 человек»).
    #[schemars(
        description = "Сколько отсутствовало («Отсутствовали: 13 человек»).",
        with = "Option<u32>"
    )]
    pub absent_count: Option<Spanned<u32>>,
    /// The QR-code requisite (ГОСТ Р 7.0.97-2025): a link, or `true` for
    /// the registration data.
    #[schemars(
        description = "QR-код (ГОСТ Р 7.0.97-2025): ссылка или true — регистрационные данные (вид, организация, номер, дата).",
        with = "Option<crate::schema::Qr>"
    )]
    pub qr: Option<Spanned<RawQr>>,
}

/// An entry of «Присутствовали»: a person, a group or a line of text.
#[derive(Debug, Deserialize, JsonSchema, Clone, Default)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Строка списка: человек (name), группа (group) или текст (text).")]
pub struct RawAttendee {
    /// A person (surname from `[[people]]`, or a name).
    #[schemars(description = "Человек: фамилия из [[people]] или имя.", with = "Option<String>", example = &"Климова")]
    pub name: Option<Spanned<String>>,
    /// Position, when not in `[[people]]`.
    #[schemars(description = "Должность, если человека нет в [[people]].")]
    pub position: Option<String>,
    /// Role in the meeting: «зам. председателя», «секретарь».
    #[schemars(description = "Роль на заседании: «зам. председателя».")]
    pub role: Option<String>,
    /// Note in brackets: «по приглашению».
    #[schemars(description = "Примечание в скобках: «по приглашению».")]
    pub note: Option<String>,
    /// A group: an organisation or a category of participants.
    #[schemars(description = "Группа: организация или категория участников.")]
    pub group: Option<String>,
    /// People of the group.
    #[serde(default)]
    #[schemars(description = "Люди группы.", with = "Vec<RawPersonRef>")]
    pub members: Vec<Spanned<RawPersonRef>>,
    /// Participants given as counts: «15 директоров».
    #[serde(default)]
    #[schemars(description = "Участники числом: «15 директоров».")]
    pub counts: Vec<RawCount>,
    /// Free text.
    #[schemars(description = "Произвольный текст.")]
    pub text: Option<String>,
}

/// «15 директоров …».
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Участники числом: «15 директоров …».")]
pub struct RawCount {
    /// How many.
    #[schemars(description = "Сколько.", with = "u32")]
    pub count: Spanned<u32>,
    /// Who, agreeing with the number: «директоров общеобразовательных организаций».
    #[schemars(description = "Кто, в согласии с числом.", example = &"директоров общеобразовательных организаций")]
    pub who: String,
}

/// An agenda item.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Вопрос повестки дня.")]
pub struct RawAgendaItem {
    /// «О результатах …».
    #[schemars(description = "Вопрос.", with = "String", example = &"О результатах мониторинга")]
    pub title: Spanned<String>,
    /// The speaker.
    #[schemars(description = "Докладчик.", with = "Option<RawPersonRef>")]
    pub speaker: Option<Spanned<RawPersonRef>>,
    /// The vote on the item as a whole, printed after its decisions.
    #[schemars(
        description = "Голосование по вопросу в целом, печатается после решений.",
        with = "Option<RawVotes>"
    )]
    pub votes: Option<Spanned<RawVotes>>,
}

/// A speech under СЛУШАЛИ or ВЫСТУПИЛИ.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Выступление в разделе СЛУШАЛИ или ВЫСТУПИЛИ.")]
pub struct RawSpeech {
    /// The agenda item it belongs to (1-based).
    #[schemars(description = "Номер вопроса повестки (с 1).", with = "Option<i64>")]
    pub question: Option<Spanned<i64>>,
    /// Who spoke.
    #[schemars(description = "Кто выступал.", with = "RawPersonRef")]
    pub speaker: Spanned<RawPersonRef>,
    /// The speaker's role here, after the position: «члена рабочей группы …».
    #[schemars(description = "Роль выступающего после должности, в родительном падеже.")]
    pub role: Option<String>,
    /// What was said: paragraphs separated by blank lines, «- » list items.
    #[schemars(
        description = "Что сказано: абзацы через пустую строку, «- » — пункты списка.",
        with = "Option<String>"
    )]
    pub text: Option<Spanned<String>>,
}

/// A numbered point of a decision or an act, possibly with sub-points.
#[derive(Debug, Deserialize, JsonSchema, Clone, Default)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Пункт решения или акта, возможно с подпунктами.")]
pub struct RawPoint {
    /// The agenda item it belongs to (1-based), for protocols by question.
    #[schemars(
        description = "Номер вопроса повестки (с 1), для протоколов по вопросам.",
        with = "Option<i64>"
    )]
    pub question: Option<Spanned<i64>>,
    /// Addressee: «Отделу образования …».
    #[schemars(description = "Кому: «Отделу образования …».")]
    pub to: Option<String>,
    /// The text.
    #[schemars(description = "Текст пункта.", with = "Option<String>")]
    pub text: Option<Spanned<String>>,
    /// Responsible person or body.
    #[schemars(description = "Ответственные: строка или список.")]
    pub responsible: Option<Lines>,
    /// Deadline of this point.
    #[schemars(
        description = "Срок пункта: дата, «до» дата, месяц или слова («постоянно»).",
        with = "Option<crate::schema::Deadline>"
    )]
    pub deadline: Option<Spanned<RawDeadline>>,
    /// Deadline shared by all sub-points, printed after them.
    #[schemars(
        description = "Общий срок подпунктов, печатается после них.",
        with = "Option<crate::schema::Deadline>"
    )]
    pub group_deadline: Option<Spanned<RawDeadline>>,
    /// Voting counts.
    #[schemars(
        description = "Голосование: { for = 7, against = 0, abstained = 1 }.",
        with = "Option<RawVotes>"
    )]
    pub votes: Option<Spanned<RawVotes>>,
    /// Sub-points.
    #[serde(default)]
    #[schemars(description = "Подпункты.", with = "Vec<RawPoint>")]
    pub point: Vec<Spanned<RawPoint>>,
}

/// «Голосовали: «за» — 7, «против» — 0, «воздержались» — 1».
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Итоги голосования: «за», «против», «воздержались».")]
pub struct RawVotes {
    /// For.
    #[serde(rename = "for")]
    #[schemars(description = "«За».")]
    pub yes: u32,
    /// Against.
    #[serde(default)]
    #[schemars(description = "«Против» (по умолчанию 0).")]
    pub against: u32,
    /// Abstained.
    #[serde(default)]
    #[schemars(description = "«Воздержались» (по умолчанию 0).")]
    pub abstained: u32,
}

/// A signature row.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Подпись: должность слева, имя справа.")]
pub struct RawSignature {
    /// Role or position lines at the left.
    #[schemars(description = "Должность или роль слева, по строке.")]
    pub position: Option<Lines>,
    /// Who signs.
    #[schemars(description = "Кто подписывает.", with = "RawPersonRef")]
    pub person: Spanned<RawPersonRef>,
    /// Signed electronically: the mark instead of the handwritten signature.
    #[schemars(
        description = "Подписано электронной подписью: вместо места для подписи — отметка «ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ».",
        with = "Option<RawElectronic>"
    )]
    pub electronic: Option<Spanned<RawElectronic>>,
}

/// The certificate of an electronic signature, for its mark.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Сертификат электронной подписи — для отметки (ГОСТ Р 7.0.97-2025, 5.23)."
)]
pub struct RawElectronic {
    /// The certificate's serial number, hexadecimal.
    #[schemars(description = "Номер (серийный) сертификата, шестнадцатеричные цифры.", with = "String", example = &"01D7A3B2C4E5F60718293A4B5C6D7E8F")]
    pub certificate: Spanned<String>,
    /// The owner as the certificate names him; the signer's full name by default.
    #[schemars(description = "Владелец сертификата; по умолчанию — ФИО подписывающего.", example = &"Белов Андрей Викторович")]
    pub owner: Option<String>,
    /// The first day of the certificate's term.
    #[schemars(
        description = "Сертификат действителен с: 2024-01-15 без кавычек.",
        with = "RawDate"
    )]
    pub valid_from: Spanned<RawDate>,
    /// The last day of the certificate's term.
    #[schemars(
        description = "Сертификат действителен по: 2025-04-15 без кавычек.",
        with = "RawDate"
    )]
    pub valid_to: Spanned<RawDate>,
}

/// `qr = "https://…"` or `qr = true`.
#[derive(Debug, Clone)]
pub enum RawQr {
    /// What to encode, as written: a link.
    Text(String),
    /// `true`: the registration data; `false`: no code.
    Registration(bool),
}

impl<'de> Deserialize<'de> for RawQr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawQr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or true")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(RawQr::Text(s.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
                Ok(RawQr::Registration(b))
            }
        }
        d.deserialize_any(V)
    }
}

/// The act's own requisites (постановление).
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Реквизиты акта: вид, дата, номер, место, заголовок, преамбула.")]
pub struct RawAct {
    /// «ПОСТАНОВЛЕНИЕ»: the kind word, when not the kind's own.
    #[schemars(description = "Слово вида акта, если оно не своё для вида документа.", example = &"ПОСТАНОВЛЕНИЕ")]
    pub kind: Option<String>,
    /// Date of the act; left out in a draft («от ________»).
    #[schemars(
        description = "Дата акта; в проекте не указывается («от ________»).",
        with = "Option<RawDate>"
    )]
    pub date: Option<Spanned<RawDate>>,
    /// Registration number; left out in a draft («№ ______»); `"auto"`:
    /// the next of its series ([`crate::numbering`]).
    #[schemars(
        description = "Регистрационный номер; в проекте не указывается; \"auto\" — следующий номер серии (вид, организация, год), его даёт gostdoc build и хранит в _номера.toml.",
        with = "Option<String>",
        example = &"45-р"
    )]
    pub number: Option<Spanned<String>>,
    /// Place of compilation.
    #[schemars(description = "Место составления.")]
    pub city: Option<String>,
    /// «Об утверждении …»; its line breaks are kept.
    #[schemars(
        description = "Заголовок «Об утверждении …»; переносы строк сохраняются.",
        with = "String"
    )]
    pub title: Spanned<String>,
    /// Print only the appendices (an appendix published on its own).
    #[serde(default)]
    #[schemars(description = "Печатать только приложения.")]
    pub appendices_only: bool,
    /// Legal grounds, up to the enacting word.
    #[schemars(description = "Основания, до распорядительного слова.")]
    pub preamble: Option<String>,
    /// «постановляет:».
    #[schemars(description = "Распорядительное слово: «постановляет:».", example = &"постановляет:")]
    pub enacting: Option<String>,
    /// The QR-code requisite (ГОСТ Р 7.0.97-2025): a link, or `true` for
    /// the registration data.
    #[schemars(
        description = "QR-код (ГОСТ Р 7.0.97-2025): ссылка или true — регистрационные данные (вид, организация, номер, дата).",
        with = "Option<crate::schema::Qr>"
    )]
    pub qr: Option<Spanned<RawQr>>,
}

/// An appendix, or a page of an approved document.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Приложение или страница утверждаемого документа.")]
pub struct RawAppendix {
    /// The grif: `appendix` («Приложение № 1 к …»), `approved`
    /// («УТВЕРЖДЕН постановлением …»), `approve` («УТВЕРЖДАЮ»), `none`.
    #[schemars(
        description = "Гриф: appendix («Приложение № 1 к …»), approved («УТВЕРЖДЕН …»), approve («УТВЕРЖДАЮ»), none.",
        with = "Option<crate::schema::Grif>"
    )]
    pub grif: Option<Spanned<String>>,
    /// Grif lines as written, instead of the built ones.
    #[schemars(description = "Строки грифа как написаны, вместо построенных.")]
    pub label: Option<Lines>,
    /// The number in «Приложение № N» (its place in the list by default).
    #[schemars(
        description = "Номер в «Приложение № N» (по умолчанию — место в списке).",
        with = "Option<i64>"
    )]
    pub number: Option<Spanned<i64>>,
    /// «УТВЕРЖДЕН» agreed with the document's noun: «УТВЕРЖДЕНА».
    #[schemars(description = "«УТВЕРЖДЕН» в согласии с названием документа: «УТВЕРЖДЕНА».", example = &"УТВЕРЖДЕНА")]
    pub approved: Option<String>,
    /// Who signs «УТВЕРЖДАЮ».
    #[schemars(description = "Кто утверждает («УТВЕРЖДАЮ»).")]
    pub approver: Option<RawApprover>,
    /// «СОГЛАСОВАНО» blocks at the end.
    #[serde(default)]
    #[schemars(description = "Грифы «СОГЛАСОВАНО» в конце.", with = "Vec<RawAgreed>")]
    pub agreed: Vec<Spanned<RawAgreed>>,
    /// Title; its line breaks are kept.
    #[schemars(description = "Заголовок; переносы строк сохраняются.")]
    pub title: Option<String>,
    /// `portrait` or `landscape`.
    #[schemars(
        description = "Ориентация страницы.",
        with = "Option<crate::schema::Orientation>"
    )]
    pub orientation: Option<Spanned<String>>,
    /// Paragraphs before the table.
    #[schemars(description = "Абзацы перед таблицей.", with = "Option<String>")]
    pub text: Option<Spanned<String>>,
    /// The table.
    #[schemars(description = "Таблица.", with = "Option<RawTable>")]
    pub table: Option<Spanned<RawTable>>,
    /// Further content in order: headings, text, lists, tables, signatures.
    #[serde(default)]
    #[schemars(
        description = "Дальнейшее содержание по порядку: заголовки, текст, списки, таблицы, подписи.",
        with = "Vec<RawBlock>"
    )]
    pub body: Vec<Spanned<RawBlock>>,
}

/// «УТВЕРЖДАЮ / должность / ______ И.О. Фамилия / «__» ______ 20__ г.».
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Гриф «УТВЕРЖДАЮ»: должность, подпись, дата.")]
pub struct RawApprover {
    /// Position lines.
    #[schemars(description = "Должность, по строке.")]
    pub position: Option<Lines>,
    /// Who approves.
    #[schemars(description = "Кто подписывает.", with = "RawPersonRef")]
    pub person: Spanned<RawPersonRef>,
    /// The date; blank lines for it when absent.
    #[schemars(
        description = "Дата; без неё — пустые места для даты.",
        with = "Option<RawDate>"
    )]
    pub date: Option<Spanned<RawDate>>,
}

/// «СОГЛАСОВАНО / должность / ______ И.О. Фамилия / дата».
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Гриф «СОГЛАСОВАНО»: должность, подпись, дата.")]
pub struct RawAgreed {
    /// Position lines.
    #[schemars(description = "Должность, по строке.")]
    pub position: Option<Lines>,
    /// Who agreed.
    #[schemars(description = "Кто подписывает.", with = "RawPersonRef")]
    pub person: Spanned<RawPersonRef>,
    /// The date; blank lines for it when absent.
    #[schemars(
        description = "Дата; без неё — пустые места для даты.",
        with = "Option<RawDate>"
    )]
    pub date: Option<Spanned<RawDate>>,
}

/// The act an approved document belongs to.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Акт, которым утверждён документ (для грифа «УТВЕРЖДЕН постановлением … от … № …»)."
)]
pub struct RawBasis {
    /// Its kind: `постановление`, `распоряжение`, `приказ`, `решение`.
    #[schemars(description = "Вид акта.", with = "crate::schema::ActKindName")]
    pub kind: Spanned<String>,
    /// Who issued it, genitive: «администрации МО «…»» (the
    /// organisation's `issuer_genitive` by default).
    #[schemars(
        description = "Кто издал, в родительном падеже (по умолчанию issuer_genitive организации)."
    )]
    pub issuer: Option<String>,
    /// Its date.
    #[schemars(description = "Дата акта.", with = "Option<RawDate>")]
    pub date: Option<Spanned<RawDate>>,
    /// Its number.
    #[schemars(description = "Номер акта.")]
    pub number: Option<String>,
}

/// One block of an appendix's body: exactly one of the content keys.
#[derive(Debug, Deserialize, JsonSchema, Clone, Default)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Блок содержания приложения: ровно один из ключей heading, text, items, table, signature."
)]
pub struct RawBlock {
    /// A heading, bold and centred.
    #[schemars(description = "Заголовок, жирным по центру.")]
    pub heading: Option<String>,
    /// Paragraphs (an empty line starts a new one; «- » lines are bullets).
    #[schemars(description = "Абзацы (пустая строка — новый абзац, «- » — пункт списка).")]
    pub text: Option<String>,
    /// A list, one entry per item.
    #[schemars(description = "Список, по элементу на пункт.")]
    pub items: Option<Vec<String>>,
    /// With `items`: numbered «1.», «2.» (default) or bulleted «–».
    #[schemars(description = "Со списком items: с номерами «1.» (по умолчанию) или с тире.")]
    pub numbered: Option<bool>,
    /// A table.
    #[schemars(description = "Таблица.", with = "Option<RawTable>")]
    pub table: Option<Spanned<RawTable>>,
    /// A signature row.
    #[schemars(description = "Подпись.")]
    pub signature: Option<RawSignature>,
}

/// A table.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Таблица.")]
pub struct RawTable {
    /// Columns.
    #[schemars(description = "Столбцы.", with = "Vec<RawColumn>")]
    pub columns: Spanned<Vec<RawColumn>>,
    /// Header rows; one row of the column titles when absent.
    #[schemars(
        description = "Строки шапки; по умолчанию одна строка из названий столбцов.",
        with = "Option<Vec<Vec<String>>>"
    )]
    pub header: Option<Spanned<Vec<Vec<String>>>>,
    /// Rows.
    #[serde(default)]
    #[schemars(description = "Строки.", with = "Vec<RawRow>")]
    pub row: Vec<Spanned<RawRow>>,
    /// The rows after `row` in a long file, not parsed yet: the model
    /// parses them a slice at a time ([`super::long_table`]).
    #[serde(skip)]
    #[schemars(skip)]
    pub later: Option<super::long_table::LaterRows>,
}

/// A table column.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Столбец таблицы.")]
pub struct RawColumn {
    /// Title in the header row.
    #[schemars(description = "Название в шапке.")]
    pub title: String,
    /// Width, mm.
    #[schemars(description = "Ширина, мм.", with = "f32")]
    pub width: Spanned<f32>,
    /// Numbered automatically (1, 2, 3 …): rows leave this cell out.
    #[serde(default)]
    #[schemars(description = "Номера 1, 2, 3 … ставятся сами; строки эту ячейку пропускают.")]
    pub numbered: bool,
    /// Cells are deadlines, read and checked like a point's `deadline`.
    #[serde(default)]
    #[schemars(description = "Ячейки — сроки, читаются и проверяются как deadline пункта.")]
    pub deadline: bool,
    /// `left` (default) or `center` (numbers, dates).
    #[schemars(
        description = "Выравнивание: по левому краю (по умолчанию) или по центру.",
        with = "Option<crate::schema::Align>"
    )]
    pub align: Option<Spanned<String>>,
}

/// A table row.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Строка таблицы: ячейки (cells) или строка-раздел (section).")]
pub struct RawRow {
    /// Cells, left to right (without the numbered column, and without
    /// the cells a cell above covers with `rows`).
    #[schemars(
        description = "Ячейки слева направо (без столбца с номерами и без ячеек, закрытых ячейкой сверху).",
        with = "Option<Vec<RawCell>>"
    )]
    pub cells: Option<Spanned<Vec<RawCell>>>,
    /// A section row spanning all columns.
    #[schemars(description = "Строка-раздел во всю ширину.")]
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
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Ячейка на несколько строк таблицы.")]
pub struct RawSpanningCell {
    /// Its text (a string, or a list of lines).
    #[schemars(description = "Текст: строка или список строк.")]
    pub text: Lines,
    /// How many rows it spans (this one and the ones below).
    #[serde(default = "one")]
    #[schemars(description = "На сколько строк (эта и ниже).")]
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
