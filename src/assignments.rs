//! The register of assignments (`gostdoc assignments`): every point of a
//! protocol's decision or an act that carries a deadline or an addressee,
//! and every row of a deadline column in a table (a «дорожная карта»),
//! with its status on a date. This module collects, types and filters;
//! the command line prints.
//!
//! A point with sub-points is listed through its sub-points: they inherit
//! its addressee (`to`) and its shared deadline (`group_deadline`), as the
//! printed document reads.

use crate::diagnostic::Diagnostics;
use crate::model::date::{self, Deadline};
use crate::model::table::{Table, TableCell, TableRow};
use crate::model::text::TextBlock;
use crate::model::{Body, Model, Point};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Text longer than this many characters is cut, with «…».
pub const TEXT_CHARS: usize = 200;

/// One assignment: what, to whom, by when, and from which document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// The document's file.
    pub file: PathBuf,
    /// The document's kind: «протокол», «постановление», «план мероприятий»…
    pub kind: String,
    /// The document's number, when it has one.
    pub number: Option<String>,
    /// The document's date, when it has one.
    pub date: Option<NaiveDate>,
    /// The point: «2.3.» in a protocol or an act, «прил. 1, стр. 5» in a
    /// table.
    pub point: String,
    /// The text, plain, cut at [`TEXT_CHARS`] characters.
    pub text: String,
    /// The addressee, as written («Отделу образования …»).
    pub to: Option<String>,
    /// Responsible persons or bodies, as written.
    pub responsible: Vec<String>,
    /// The deadline as printed, or empty.
    pub deadline_text: String,
    /// The typed deadline.
    pub deadline: Option<Deadline>,
    /// The kind of term.
    pub term: TermKind,
    /// The last day to do it by the document, for a dated deadline.
    pub last_day: Option<NaiveDate>,
    /// The last day moved by the control file (перенос срока): it then
    /// counts for the status and the filters; `last_day` stays as signed.
    pub new_deadline: Option<NaiveDate>,
    /// Why the deadline moved, from the control file.
    pub reason: Option<String>,
    /// Done on this date, from the control file.
    pub done: Option<NaiveDate>,
    /// A note from the control file.
    pub note: Option<String>,
    /// Its status on the date asked.
    pub status: Status,
}

impl Assignment {
    /// The last day that counts: the moved one, else the document's.
    pub fn due_day(&self) -> Option<NaiveDate> {
        self.new_deadline.or(self.last_day)
    }

    /// Merges one mark of the control file; later marks of the same point
    /// override what earlier ones said. The status is recomputed.
    pub fn apply(&mut self, mark: &crate::control::Mark, clock: &Clock) {
        self.done = mark.done.or(self.done);
        self.note = mark.note.clone().or(self.note.take());
        if mark.new_deadline.is_some() {
            self.new_deadline = mark.new_deadline;
            self.reason = mark.reason.clone();
        }
        self.status = clock.status_of(self);
    }

    /// The status with the words of the control file: «исполнено
    /// 30.08.2021; примечание: …», «срок через 5 дней; срок перенесён на
    /// 01.12.2021 (по письму министерства)».
    pub fn state_words(&self) -> String {
        let mut s = self.status.words();
        if let Some(new) = self.new_deadline {
            s.push_str(&format!("; срок перенесён на {}", date::numeric(new)));
            if let Some(old) = self.last_day {
                s.push_str(&format!(" с {}", date::numeric(old)));
            }
            if let Some(reason) = &self.reason {
                s.push_str(&format!(" ({reason})"));
            }
        }
        if let Some(note) = &self.note {
            s.push_str(&format!("; примечание: {note}"));
        }
        s
    }
}

/// The kind of a deadline, for a person and a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    /// On a date.
    On,
    /// «до» a date.
    Before,
    /// A month or months.
    Months,
    /// A span of days.
    Range,
    /// «постоянно», «ежегодно».
    Periodic,
    /// Several deadlines.
    Several,
    /// Free words.
    Words,
    /// No deadline.
    None,
}

impl TermKind {
    /// Russian words for the table and CSV.
    pub fn words(self) -> &'static str {
        match self {
            TermKind::On => "дата",
            TermKind::Before => "до даты",
            TermKind::Months => "месяц",
            TermKind::Range => "период",
            TermKind::Periodic => "периодически",
            TermKind::Several => "несколько сроков",
            TermKind::Words => "словами",
            TermKind::None => "нет срока",
        }
    }

    fn of(deadline: Option<&Deadline>) -> TermKind {
        match deadline {
            None => TermKind::None,
            Some(Deadline::On { .. }) => TermKind::On,
            Some(Deadline::Before { .. }) => TermKind::Before,
            Some(Deadline::Months { .. }) => TermKind::Months,
            Some(Deadline::Range { .. }) => TermKind::Range,
            Some(Deadline::Term { .. }) => TermKind::Periodic,
            Some(Deadline::Several { .. }) => TermKind::Several,
            Some(Deadline::Words { .. }) => TermKind::Words,
        }
    }
}

/// Where an assignment stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Status {
    /// The last day has passed this many days ago.
    Overdue {
        /// Days since the last day.
        days: i64,
    },
    /// The last day is within the window: today (0) or in this many days.
    Due {
        /// Days left.
        days: i64,
    },
    /// The last day is further than the window.
    Later {
        /// Days left.
        days: i64,
    },
    /// A recurring or open term («постоянно», «ежегодно»).
    Periodic,
    /// No deadline, or one in words that gives no date.
    None,
    /// Done (the control file says so) on or before the date asked.
    Done {
        /// The day it was done.
        on: NaiveDate,
        /// Days after the last day that counts (0 when in time).
        late: i64,
    },
}

/// The statuses a filter names (`--status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    /// Overdue.
    Overdue,
    /// Due within the window.
    Due,
    /// Later.
    Later,
    /// Periodic.
    Periodic,
    /// No deadline.
    None,
    /// Done.
    Done,
}

impl Status {
    /// Which kind of status.
    pub fn kind(self) -> StatusKind {
        match self {
            Status::Overdue { .. } => StatusKind::Overdue,
            Status::Due { .. } => StatusKind::Due,
            Status::Later { .. } => StatusKind::Later,
            Status::Periodic => StatusKind::Periodic,
            Status::None => StatusKind::None,
            Status::Done { .. } => StatusKind::Done,
        }
    }

    /// Days overdue or left, for a dated deadline not done.
    pub fn days(self) -> Option<i64> {
        match self {
            Status::Overdue { days } | Status::Due { days } | Status::Later { days } => Some(days),
            Status::Periodic | Status::None | Status::Done { .. } => None,
        }
    }

    /// Russian words: «просрочено на 3 дня», «срок через 5 дней».
    pub fn words(self) -> String {
        let days = |n: i64| {
            format!(
                "{n} {}",
                crate::russian::numbers::plural(n, ["день", "дня", "дней"])
            )
        };
        match self {
            Status::Overdue { days: n } => format!("просрочено на {}", days(n)),
            Status::Due { days: 0 } => "срок сегодня".to_owned(),
            Status::Due { days: n } => format!("срок через {}", days(n)),
            Status::Later { days: n } => format!("позже: через {}", days(n)),
            Status::Periodic => "периодически".to_owned(),
            Status::None => "без срока".to_owned(),
            Status::Done { on, late: 0 } => format!("исполнено {}", date::numeric(on)),
            Status::Done { on, late } => format!(
                "исполнено {}, позже срока на {}",
                date::numeric(on),
                days(late)
            ),
        }
    }
}

/// The date and window statuses are computed for.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// «On» this date (`--as-of`).
    pub as_of: NaiveDate,
    /// «Due» when the last day is at most this many days ahead (`--due-within`).
    pub due_within: i64,
}

impl Clock {
    /// The status of an assignment with this deadline and last day.
    pub fn status(&self, deadline: Option<&Deadline>, last_day: Option<NaiveDate>) -> Status {
        match (deadline, last_day) {
            (_, Some(last)) => {
                let left = (last - self.as_of).num_days();
                if left < 0 {
                    Status::Overdue { days: -left }
                } else if left <= self.due_within {
                    Status::Due { days: left }
                } else {
                    Status::Later { days: left }
                }
            }
            (Some(d), None) if is_periodic(d) => Status::Periodic,
            _ => Status::None,
        }
    }

    /// The status of an assignment with the control file's marks merged:
    /// done when done on or before the date asked (a mark dated later
    /// does not count yet), else by the last day that counts.
    pub fn status_of(&self, a: &Assignment) -> Status {
        match a.done {
            Some(on) if on <= self.as_of => Status::Done {
                on,
                late: a.due_day().map_or(0, |d| (on - d).num_days().max(0)),
            },
            _ => self.status(a.deadline.as_ref(), a.due_day()),
        }
    }
}

fn is_periodic(d: &Deadline) -> bool {
    match d {
        Deadline::Term { .. } => true,
        Deadline::Several { items } => items.iter().any(is_periodic),
        _ => false,
    }
}

/// The last day a deadline allows: the date itself («до 01.09.2021» is
/// read as «by 01.09.2021», the day included), the month's last day, the
/// span's last day; of several, the latest. `None` for a term or words.
pub fn last_day(d: &Deadline) -> Option<NaiveDate> {
    match d {
        Deadline::On { date, .. } | Deadline::Before { date, .. } => Some(*date),
        Deadline::Range { to, .. } => Some(*to),
        Deadline::Months { to, year, .. } => {
            let (y, m) = if *to >= 12 {
                (year.checked_add(1)?, 1)
            } else {
                (*year, to + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
        }
        Deadline::Several { items } => items.iter().filter_map(last_day).max(),
        Deadline::Term { .. } | Deadline::Words { .. } => None,
    }
}

/// What to keep (the command's filters); the default keeps everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A body named in the addressee or among the responsible, in any case
    /// («Отдел образования» finds «Отделу образования …»).
    pub to: Option<String>,
    /// Only these statuses (empty: all).
    pub status: Vec<StatusKind>,
    /// Last day (moved, if the control file moved it) on or after this date.
    pub from: Option<NaiveDate>,
    /// Last day (moved, if the control file moved it) on or before this date.
    pub until: Option<NaiveDate>,
}

impl Filter {
    /// Whether the assignment passes every filter. With `from` or `until`
    /// an assignment without a last day does not.
    pub fn keeps(&self, a: &Assignment) -> bool {
        if let Some(body) = &self.to {
            let named =
                a.to.iter()
                    .chain(&a.responsible)
                    .any(|who| crate::extract::names_body(who, body));
            if !named {
                return false;
            }
        }
        if !self.status.is_empty() && !self.status.contains(&a.status.kind()) {
            return false;
        }
        if let Some(from) = self.from
            && a.due_day().is_none_or(|d| d < from)
        {
            return false;
        }
        if let Some(until) = self.until
            && a.due_day().is_none_or(|d| d > until)
        {
            return false;
        }
        true
    }
}

/// Every assignment of one document, in the document's order.
pub fn collect(model: &Model, clock: &Clock) -> Vec<Assignment> {
    let doc = DocumentInfo::of(model);
    let mut out = Vec::new();
    match &model.body {
        Body::Protocol(p) => points(&p.decisions, &Inherited::default(), &doc, clock, &mut out),
        Body::Act(a) => {
            points(&a.points, &Inherited::default(), &doc, clock, &mut out);
            for appendix in &a.appendices {
                for table in appendix.tables() {
                    table_rows(table, appendix.number, &doc, clock, &mut out);
                }
            }
        }
    }
    out
}

/// The document a point belongs to.
struct DocumentInfo {
    file: PathBuf,
    kind: String,
    number: Option<String>,
    date: Option<NaiveDate>,
}

impl DocumentInfo {
    fn of(model: &Model) -> DocumentInfo {
        let (number, date) = model.number_and_date();
        DocumentInfo {
            file: model.source.clone(),
            kind: model.kind.info().nominative.to_owned(),
            number,
            date,
        }
    }

    fn assignment(
        &self,
        point: String,
        text: String,
        to: Option<String>,
        responsible: Vec<String>,
        deadline: Option<Deadline>,
        clock: &Clock,
    ) -> Assignment {
        let last = deadline.as_ref().and_then(last_day);
        Assignment {
            file: self.file.clone(),
            kind: self.kind.clone(),
            number: self.number.clone(),
            date: self.date,
            point,
            text: cut(&text),
            to,
            responsible,
            deadline_text: deadline.as_ref().map(plain_deadline).unwrap_or_default(),
            term: TermKind::of(deadline.as_ref()),
            last_day: last,
            new_deadline: None,
            reason: None,
            done: None,
            note: None,
            status: clock.status(deadline.as_ref(), last),
            deadline,
        }
    }
}

/// What a sub-point takes from the points above it.
#[derive(Default, Clone)]
struct Inherited {
    to: Option<String>,
    responsible: Vec<String>,
    deadline: Option<Deadline>,
}

fn points(
    list: &[Point],
    above: &Inherited,
    doc: &DocumentInfo,
    clock: &Clock,
    out: &mut Vec<Assignment>,
) {
    for p in list {
        let here = Inherited {
            to: p
                .to
                .as_deref()
                .map(|t| t.trim().trim_end_matches(':').to_owned())
                .or_else(|| above.to.clone()),
            responsible: if p.responsible.is_empty() {
                above.responsible.clone()
            } else {
                p.responsible.clone()
            },
            deadline: p
                .deadline
                .clone()
                .or_else(|| p.group_deadline.clone())
                .or_else(|| above.deadline.clone()),
        };
        if p.points.is_empty() || p.deadline.is_some() {
            let bears =
                here.deadline.is_some() || here.to.is_some() || !here.responsible.is_empty();
            if bears {
                out.push(doc.assignment(
                    p.number.clone(),
                    plain(&p.text),
                    here.to.clone(),
                    here.responsible.clone(),
                    here.deadline.clone(),
                    clock,
                ));
            }
        }
        points(&p.points, &here, doc, clock, out);
    }
}

/// The rows of a table with a deadline column: one assignment each, its
/// text from the first column that is neither numbered nor the deadline
/// nor the responsible, its responsible from a column titled
/// «Ответственн…» or «Исполнител…». A cell spanning rows counts for each.
fn table_rows(
    table: &Table,
    appendix: usize,
    doc: &DocumentInfo,
    clock: &Clock,
    out: &mut Vec<Assignment>,
) {
    // A column marked `deadline = true`; else one titled «Срок…», as
    // roadmaps written before the mark name it (its cells then are read
    // here, paragraph by paragraph, as the model reads a marked one).
    let marked = table.columns.iter().position(|c| c.deadline);
    let Some(deadline_column) = marked.or_else(|| {
        table
            .columns
            .iter()
            .position(|c| c.title.trim().to_lowercase().starts_with("срок"))
    }) else {
        return;
    };
    let responsible_column = table.columns.iter().position(|c| {
        let t = c.title.to_lowercase();
        t.starts_with("ответствен") || t.starts_with("исполнител")
    });
    let text_column = (0..table.columns.len()).find(|&i| {
        !(table.numbered && i == 0) && i != deadline_column && Some(i) != responsible_column
    });
    // Per column: the cell above that still covers rows, and how many.
    let mut spanning: Vec<Option<(&TableCell, usize)>> = vec![None; table.columns.len()];
    for (index, row) in table.rows.iter().enumerate() {
        let TableRow::Cells { number, cells } = row else {
            continue;
        };
        let mut current: Vec<Option<&TableCell>> = vec![None; table.columns.len()];
        for (column, slot) in spanning.iter_mut().enumerate() {
            if let Some((cell, left)) = slot {
                current[column] = Some(cell);
                *left -= 1;
                if *left == 0 {
                    *slot = None;
                }
            }
        }
        for cell in cells {
            if let Some(place) = current.get_mut(cell.column) {
                *place = Some(cell);
                if cell.rows > 1 {
                    spanning[cell.column] = Some((cell, cell.rows - 1));
                }
            }
        }
        let Some(deadline_cell) = current[deadline_column] else {
            continue;
        };
        let read;
        let deadlines = if marked.is_some() {
            deadline_cell.deadlines.as_slice()
        } else {
            read = lines(&deadline_cell.blocks)
                .iter()
                .map(|l| Deadline::parse(l).unwrap_or_else(|_| Deadline::Words { text: l.clone() }))
                .collect::<Vec<_>>();
            read.as_slice()
        };
        let deadline = match deadlines {
            [] => None,
            [one] => Some(one.clone()),
            many => Some(Deadline::Several {
                items: many.to_vec(),
            }),
        };
        if deadline.is_none() {
            continue;
        }
        let text_of = |c: Option<usize>| {
            c.and_then(|c| current.get(c).copied().flatten())
                .map(|cell| plain(&cell.blocks))
                .unwrap_or_default()
        };
        let responsible: Vec<String> = responsible_column
            .and_then(|c| current[c])
            .map(|cell| lines(&cell.blocks))
            .unwrap_or_default();
        let row_number = number.unwrap_or(index + 1);
        out.push(doc.assignment(
            format!("прил. {appendix}, стр. {row_number}"),
            text_of(text_column),
            None,
            responsible,
            deadline,
            clock,
        ));
    }
}

/// Paragraphs and list items as one line of text.
fn plain(blocks: &[TextBlock]) -> String {
    lines(blocks).join(" ")
}

/// Paragraphs and list items, one each, with single spaces.
fn lines(blocks: &[TextBlock]) -> Vec<String> {
    blocks
        .iter()
        .flat_map(|b| match b {
            TextBlock::Paragraph(p) => vec![p.clone()],
            TextBlock::Bullets(items) => items.clone(),
        })
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The first [`TEXT_CHARS`] characters, with «…» when cut.
fn cut(text: &str) -> String {
    cut_to(text, TEXT_CHARS)
}

/// The deadline as printed, with ordinary spaces and several on one line.
fn plain_deadline(d: &Deadline) -> String {
    d.display()
        .replace('\u{a0}', " ")
        .lines()
        .collect::<Vec<_>>()
        .join("; ")
}

/// The register of every document among the inputs (files and folders,
/// searched as `build` does), and the documents that could not be read,
/// with why.
pub struct Register {
    /// The assignments, document by document in file order.
    pub assignments: Vec<Assignment>,
    /// Documents that could not be read, and control files that could not.
    pub failed: Vec<(PathBuf, Diagnostics)>,
    /// Marks of a control file that name a missing document or point.
    pub warnings: Vec<(PathBuf, Diagnostics)>,
}

/// Reads every document among `inputs` (only the model: nothing is
/// rendered), merges the marks of their control files
/// ([`crate::control`]) and collects the assignments that pass `filter`.
pub fn register(inputs: &[PathBuf], clock: &Clock, filter: &Filter) -> Register {
    let options = crate::build::BuildOptions::new(inputs.to_vec(), "output");
    let access = options.access();
    let plan = crate::build::plan(inputs, Path::new("output"));
    let mut register = Register {
        assignments: Vec::new(),
        failed: plan.rejected,
        warnings: Vec::new(),
    };
    let mut controls = Vec::new();
    for path in crate::control::find(inputs) {
        match crate::control::load(&path) {
            Ok(control) => controls.push(control),
            Err(d) => register.failed.push((path, d)),
        }
    }
    // The points of each document read, by canonical path, to tell a mark
    // for a missing point without reading the document again.
    let mut points_of: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for job in plan.jobs {
        match crate::model::load_with(&job.input, &access) {
            Ok(model) => {
                let mut list = collect(&model, clock);
                for control in &controls {
                    for mark in control.marks_of(&job.input) {
                        for a in list.iter_mut().filter(|a| mark.names_point(&a.point)) {
                            a.apply(mark, clock);
                        }
                    }
                }
                if let Ok(canonical) = std::fs::canonicalize(&job.input) {
                    points_of.push((canonical, list.iter().map(|a| a.point.clone()).collect()));
                }
                register
                    .assignments
                    .extend(list.into_iter().filter(|a| filter.keeps(a)));
            }
            Err(d) => register.failed.push((job.input, d)),
        }
    }
    for control in &controls {
        let warnings = control.verify(|doc| {
            let Ok(canonical) = std::fs::canonicalize(doc) else {
                return crate::control::Known::Missing;
            };
            if let Some((_, points)) = points_of.iter().find(|(p, _)| *p == canonical) {
                return crate::control::Known::Points(points.clone());
            }
            // A document outside the inputs (one file of the folder
            // given): read for its points only.
            match crate::model::load_with(doc, &access) {
                Ok(model) => crate::control::Known::Points(
                    collect(&model, clock)
                        .into_iter()
                        .map(|a| a.point)
                        .collect(),
                ),
                Err(_) if doc.is_file() => crate::control::Known::Unreadable,
                Err(_) => crate::control::Known::Missing,
            }
        });
        if !warnings.is_empty() {
            register
                .warnings
                .push((control.path.clone(), Diagnostics(warnings)));
        }
    }
    register
}

/// «протокол № 5 от 24.06.2021», «постановление от 24.06.2021».
pub fn document_words(a: &Assignment) -> String {
    let mut s = a.kind.clone();
    if let Some(n) = &a.number {
        s.push_str(&format!(" № {n}"));
    }
    if let Some(d) = a.date {
        s.push_str(&format!(" от {}", date::numeric(d)));
    }
    s
}

/// Addressee and responsible, one text.
pub fn whom(a: &Assignment) -> String {
    a.to.iter()
        .chain(&a.responsible)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ")
}

/// The columns of the CSV file, in order.
pub const CSV_HEADER: [&str; 14] = [
    "файл",
    "вид",
    "номер",
    "дата",
    "пункт",
    "текст",
    "кому",
    "ответственные",
    "срок",
    "вид срока",
    "последний день",
    "статус",
    "дней",
    "состояние",
];

/// The register as CSV (comma-separated, UTF-8, a header row), dates as
/// 01.09.2021. «последний день» is the one that counts (moved by the
/// control file, if it was); «срок» is as signed, and «состояние» says
/// when it moved and what the control file notes.
pub fn to_csv(list: &[Assignment]) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let error = |e: csv::Error| format!("не удалось записать CSV: {e}");
    w.write_record(CSV_HEADER).map_err(error)?;
    for a in list {
        let date_text = |d: Option<NaiveDate>| d.map(date::numeric).unwrap_or_default();
        w.write_record([
            a.file.display().to_string(),
            a.kind.clone(),
            a.number.clone().unwrap_or_default(),
            date_text(a.date),
            a.point.clone(),
            a.text.clone(),
            a.to.clone().unwrap_or_default(),
            a.responsible.join("; "),
            a.deadline_text.clone(),
            a.term.words().to_owned(),
            date_text(a.due_day()),
            status_key(a.status).to_owned(),
            a.status.days().map(|d| d.to_string()).unwrap_or_default(),
            a.state_words(),
        ])
        .map_err(error)?;
    }
    w.into_inner()
        .map_err(|e| format!("не удалось записать CSV: {}", e.error()))
}

/// The status's name in `--status` and the CSV: overdue, due, later,
/// periodic, none, done.
pub fn status_key(s: Status) -> &'static str {
    match s.kind() {
        StatusKind::Overdue => "overdue",
        StatusKind::Due => "due",
        StatusKind::Later => "later",
        StatusKind::Periodic => "periodic",
        StatusKind::None => "none",
        StatusKind::Done => "done",
    }
}

/// The register as one JSON array.
pub fn to_json(list: &[Assignment]) -> String {
    serde_json::to_string_pretty(list).unwrap_or_else(|_| "[]".to_owned())
}

/// Text in the terminal table is cut to this many characters.
const TABLE_TEXT_CHARS: usize = 60;

/// The register as a table for the terminal: aligned columns, overdue
/// rows marked with `overdue` (a style, or none for plain text).
pub fn to_table(list: &[Assignment], overdue: anstyle::Style) -> String {
    let header = ["Документ", "Пункт", "Срок", "До", "Статус", "Кому", "Текст"];
    let rows: Vec<[String; 7]> = list
        .iter()
        .map(|a| {
            [
                document_words(a),
                a.point.clone(),
                a.deadline_text.clone(),
                a.due_day().map(date::numeric).unwrap_or_default(),
                a.state_words(),
                cut_to(&whom(a), TABLE_TEXT_CHARS),
                cut_to(&a.text, TABLE_TEXT_CHARS),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            s.push_str(cell);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        s
    };
    let mut out = line(&header.map(str::to_owned));
    out.push('\n');
    for (row, a) in rows.iter().zip(list) {
        let text = line(row);
        if a.status.kind() == StatusKind::Overdue {
            out.push_str(&format!("{overdue}{text}{overdue:#}"));
        } else {
            out.push_str(&text);
        }
        out.push('\n');
    }
    out
}

/// The first `chars` characters, with «…» when cut.
pub(crate) fn cut_to(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(chars - 1).collect();
    short.push('…');
    short
}

/// «Найдено поручений: 25; просрочено: 10.»
pub fn summary(list: &[Assignment]) -> String {
    let overdue = list
        .iter()
        .filter(|a| a.status.kind() == StatusKind::Overdue)
        .count();
    format!("поручений: {}; просрочено: {overdue}", list.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn last_day_of_months_and_spans() {
        let months = Deadline::parse("январь–март 2021 г.").unwrap();
        assert_eq!(last_day(&months), Some(d("2021-03-31")));
        let december = Deadline::parse("декабрь 2021 г.").unwrap();
        assert_eq!(last_day(&december), Some(d("2021-12-31")));
        let range = Deadline::parse("02.11.–06.11.2021 г.").unwrap();
        assert_eq!(last_day(&range), Some(d("2021-11-06")));
        assert_eq!(last_day(&Deadline::parse("постоянно").unwrap()), None);
    }

    #[test]
    fn status_on_a_date() {
        let clock = Clock {
            as_of: d("2021-09-02"),
            due_within: 14,
        };
        let status = |s: &str| {
            let dl = Deadline::parse(s).unwrap();
            clock.status(Some(&dl), last_day(&dl))
        };
        assert_eq!(status("до 01.09.2021"), Status::Overdue { days: 1 });
        assert_eq!(status("02.09.2021"), Status::Due { days: 0 });
        assert_eq!(status("16.09.2021"), Status::Due { days: 14 });
        assert_eq!(status("17.09.2021"), Status::Later { days: 15 });
        assert_eq!(status("ежегодно"), Status::Periodic);
        assert_eq!(status("по мере необходимости"), Status::None);
        assert_eq!(Status::Overdue { days: 3 }.words(), "просрочено на 3 дня");
    }
}
