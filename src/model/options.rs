//! Options and heading words: what the document and its profile set, with
//! the house defaults of LAYOUT.md and the defaults of the document kind.

use super::Validator;
use super::date::DateStyle;
use super::kind::{DocKind, EnactingForm};
use super::raw::{RawLabels, RawOptions};
use serde::Serialize;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
#[derive(Debug, Clone, Serialize, PartialEq)]
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
    /// `gostdoc build` without `--format` writes a web page too.
    pub html: bool,
    /// The PDF is PDF/A-2u with a tagged structure.
    pub pdfa: bool,
    /// The date-and-number line of an act.
    pub date_line: DateLine,
    /// Where the place prints with a split date line.
    pub place: PlacePosition,
    /// How a vote prints.
    pub votes: VotesForm,
    /// Every decision must have a vote.
    pub votes_required: bool,
    /// The organisation's name above ПРОТОКОЛ when there are no header
    /// lines.
    pub organization_line: bool,
    /// Those present, absent and invited in alphabetical order.
    pub alphabetical: bool,
    /// Keywords in sentence case («Слушали») rather than capitals.
    pub sentence_keywords: bool,
    /// Above this many present, the list goes to an appendix (0: never).
    pub present_threshold: u32,
    /// Where the enacting formula prints.
    pub enacting_form: EnactingForm,
    /// The act's title alignment.
    pub title_align: TitleAlign,
    /// How a point's responsible persons and deadline print.
    pub control_form: ControlForm,
    /// Width of the grif and label box, mm.
    pub grif_width: f32,
    /// «Приложение № 1» when there is one appendix.
    pub number_single_appendix: bool,
    /// The edition of ГОСТ Р 7.0.97 whose defaults apply.
    pub edition: Edition,
}

/// The edition of ГОСТ Р 7.0.97 (`options.edition`): what changed in 2025
/// that gostdoc follows is the corner requisites' width (8 cm instead of
/// 7.5 cm: the grif box's default) and the QR-code requisite, which the
/// 2016 edition does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Edition {
    /// ГОСТ Р 7.0.97-2016: today's defaults (the default).
    #[serde(rename = "2016")]
    Gost2016,
    /// ГОСТ Р 7.0.97-2025, in force since 18.08.2025.
    #[serde(rename = "2025")]
    Gost2025,
}

impl Edition {
    /// The grif box's width when `grif_width` is not written, mm: the
    /// longest line of a corner requisite, 7.5 cm in 2016, 8 cm in 2025
    /// (LAYOUT-SOURCES.md, [KLK]).
    pub fn grif_width_mm(self) -> f32 {
        match self {
            Edition::Gost2016 => 75.0,
            Edition::Gost2025 => 80.0,
        }
    }
}

/// The date-and-number line of an act (LAYOUT.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateLine {
    /// «от 10.02.2021 № 227», centred.
    From,
    /// «10 февраля 2021 г. № 227», centred.
    Plain,
    /// The date at the left margin, the number flush right.
    Split,
}

/// How a vote prints (LAYOUT.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VotesForm {
    /// «ГОЛОСОВАЛИ: «за» — 17, «против» — 0, «воздержались» — 1.»
    Counts,
    /// «Решение принято единогласно.» when all voted for, else counts.
    Unanimous,
}

/// Where the place of compilation prints with a split date line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacePosition {
    /// Centred on the line below the date line.
    Below,
    /// On the date line, centred between the date and the number.
    Between,
}

/// Alignment of an act's title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleAlign {
    /// Centred (постановления).
    Center,
    /// At the left margin (the angular бланк).
    Left,
}

/// How a point's responsible persons and deadline print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlForm {
    /// After the text: «(И.И. Иванова)» and «— срок 01.09.2021.».
    Inline,
    /// On a line of their own: «Отв.: … Срок — 31.01.2024.».
    Line,
}

/// The narrowest and the widest grif box, mm: 7.5 cm is the house width,
/// and regional instructions allow up to 9 cm.
pub const GRIF_WIDTH_MM: std::ops::RangeInclusive<f32> = 50.0..=90.0;

/// Options of the profile, overridden key by key by the document's own;
/// and the names of those taken from the profile, whose values a problem
/// is said about at the profile's line.
pub(super) fn merge_options(
    base: Option<RawOptions>,
    over: Option<RawOptions>,
) -> (RawOptions, Vec<&'static str>) {
    let base = base.unwrap_or_default();
    let over = over.unwrap_or_default();
    let mut from_base = Vec::new();
    macro_rules! merged {
        ($($f:ident),*) => {{
            $(if over.$f.is_none() && base.$f.is_some() {
                from_base.push(stringify!($f));
            })*
            (RawOptions { $($f: over.$f.or(base.$f)),* }, from_base)
        }};
    }
    merged!(
        form,
        course,
        heard_label,
        names,
        present_list,
        agenda_list,
        date_style,
        date_line,
        place,
        votes,
        votes_required,
        present_threshold,
        organization_line,
        present_order,
        keywords,
        enacting_form,
        title_align,
        control_form,
        grif_width,
        number_single_appendix,
        year_word,
        spaced_enacting,
        page_numbers,
        typography,
        edition,
        html,
        pdfa
    )
}

impl Validator {
    /// The options of a document of `kind`: its own, its profile's, and
    /// the defaults of the kind. `by_question` tells whether anything in
    /// the document names an agenda question.
    pub(super) fn options(
        &mut self,
        o: &RawOptions,
        kind: DocKind,
        by_question: bool,
        enacting_written: bool,
    ) -> Options {
        let info = kind.info();
        // A formula the user wrote prints, even in a kind that has none
        // by default («обязывает:» in a распоряжение): at the end of the
        // preamble, unless the options say where.
        let default_form = if enacting_written && info.enacting_form == EnactingForm::None {
            EnactingForm::Inline
        } else {
            info.enacting_form
        };
        let enacting_form = self.choice(
            &o.enacting_form,
            "options.enacting_form",
            &[
                ("inline", EnactingForm::Inline),
                ("line", EnactingForm::Line),
                ("none", EnactingForm::None),
            ],
            default_form,
        );
        let edition = match &o.edition {
            None => Edition::Gost2016,
            Some(e) if *e.get_ref() == 2016 => Edition::Gost2016,
            Some(e) if *e.get_ref() == 2025 => Edition::Gost2025,
            Some(e) => {
                self.error(
                    e.span(),
                    "options.edition",
                    format!("редакции ГОСТ Р 7.0.97 «{}» нет", e.get_ref()),
                    Some("пишите edition = 2016 или edition = 2025 (без кавычек)"),
                );
                Edition::Gost2016
            }
        };
        let grif_width = match &o.grif_width {
            Some(w) if !GRIF_WIDTH_MM.contains(w.get_ref()) => {
                self.error(
                    w.span(),
                    "options.grif_width",
                    format!(
                        "ширина отметки и грифа {} мм вне допустимых пределов",
                        w.get_ref()
                    ),
                    Some("пишите число миллиметров от 50 до 90; обычно 75 (7,5 см)"),
                );
                edition.grif_width_mm()
            }
            Some(w) => *w.get_ref(),
            None => edition.grif_width_mm(),
        };
        let lists = [
            ("lines", ListStyle::Lines),
            ("numbered", ListStyle::Numbered),
            ("bulleted", ListStyle::Bulleted),
        ];
        Options {
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
                if by_question {
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
                &lists,
                ListStyle::Lines,
            ),
            agenda_list: self.choice(
                &o.agenda_list,
                "options.agenda_list",
                &lists,
                ListStyle::Numbered,
            ),
            date_style: self.choice(
                &o.date_style,
                "options.date_style",
                &[
                    ("numeric", DateStyle::Numeric),
                    ("words", DateStyle::Words),
                    ("quoted", DateStyle::Quoted),
                ],
                info.date_style,
            ),
            date_line: self.choice(
                &o.date_line,
                "options.date_line",
                &[
                    ("from", DateLine::From),
                    ("plain", DateLine::Plain),
                    ("split", DateLine::Split),
                ],
                DateLine::From,
            ),
            place: self.choice(
                &o.place,
                "options.place",
                &[
                    ("below", PlacePosition::Below),
                    ("between", PlacePosition::Between),
                ],
                PlacePosition::Below,
            ),
            votes: self.choice(
                &o.votes,
                "options.votes",
                &[
                    ("counts", VotesForm::Counts),
                    ("unanimous", VotesForm::Unanimous),
                ],
                VotesForm::Counts,
            ),
            votes_required: o.votes_required.unwrap_or(false),
            organization_line: o.organization_line.unwrap_or(true),
            alphabetical: self.choice(
                &o.present_order,
                "options.present_order",
                &[("as_written", false), ("alphabetical", true)],
                false,
            ),
            sentence_keywords: self.choice(
                &o.keywords,
                "options.keywords",
                &[("capitals", false), ("sentence", true)],
                false,
            ),
            present_threshold: o.present_threshold.as_ref().map_or(15, |t| *t.get_ref()),
            title_align: self.choice(
                &o.title_align,
                "options.title_align",
                &[("center", TitleAlign::Center), ("left", TitleAlign::Left)],
                TitleAlign::Center,
            ),
            control_form: self.choice(
                &o.control_form,
                "options.control_form",
                &[("inline", ControlForm::Inline), ("line", ControlForm::Line)],
                ControlForm::Inline,
            ),
            enacting_form,
            grif_width,
            edition,
            number_single_appendix: o.number_single_appendix.unwrap_or(true),
            year_word: o.year_word.unwrap_or(false),
            // Letter-spaced at the end of a preamble («п о с т а н о в л я е т:»);
            // a formula on its own line is written in capitals instead.
            spaced_enacting: o
                .spaced_enacting
                .unwrap_or(enacting_form == EnactingForm::Inline),
            page_numbers: o.page_numbers.unwrap_or(true),
            typography: o.typography.unwrap_or(true),
            html: o.html.unwrap_or(false),
            pdfa: o.pdfa.unwrap_or(false),
        }
    }

    /// Heading words: the document's own, or the house defaults.
    pub(super) fn labels(&mut self, l: RawLabels, kind: DocKind, sentence: bool) -> Labels {
        // «СЛУШАЛИ» or «Слушали»: only the house defaults change case.
        let key = |word: &str| {
            if sentence {
                let lower = word.to_lowercase();
                let mut c = lower.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                word.to_owned()
            }
        };
        Labels {
            kind: l.kind.unwrap_or_else(|| kind.info().word.into()),
            chair: l.chair.unwrap_or_else(|| "Председатель".into()),
            secretary: l.secretary.unwrap_or_else(|| "Секретарь".into()),
            present: l.present.unwrap_or_else(|| "Присутствовали".into()),
            absent: l.absent.unwrap_or_else(|| "Отсутствовали".into()),
            invited: l.invited.unwrap_or_else(|| "Приглашенные".into()),
            agenda: l.agenda.unwrap_or_else(|| key("ПОВЕСТКА ДНЯ")),
            heard: l.heard.unwrap_or_else(|| key("СЛУШАЛИ")),
            spoke: l.spoke.unwrap_or_else(|| key("ВЫСТУПИЛИ")),
            decided: l.decided.unwrap_or_else(|| key("РЕШИЛИ")),
            voted: l.voted.unwrap_or_else(|| key("ГОЛОСОВАЛИ")),
            deadline: l.deadline.unwrap_or_else(|| "Срок".into()),
            time: l.time.unwrap_or_else(|| "Время проведения".into()),
            venue: l.venue.unwrap_or_else(|| "Место проведения".into()),
            format: l.format.unwrap_or_else(|| "Форма проведения".into()),
            date: l.date,
        }
    }
}

/// Heading words (see `RawLabels` for each).
#[derive(Debug, Clone, Serialize, PartialEq)]
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
    pub voted: String,
    pub deadline: String,
    pub time: String,
    pub venue: String,
    pub format: String,
    pub date: Option<String>,
}
