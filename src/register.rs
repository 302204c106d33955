//! The register of documents (журнал регистрации, `gostdoc register`):
//! for each document among the inputs, its kind, number, date, title,
//! signer and the files `build` writes for it. Only the model is read:
//! nothing is rendered or written.

use crate::build::{BuildOptions, Format};
use crate::diagnostic::Diagnostics;
use crate::export::xlsx::{Cell, Sheet};
use crate::model::date;
use crate::model::{Body, Model};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One document of the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The document's file.
    pub file: PathBuf,
    /// The kind: «протокол», «постановление»…
    pub kind: String,
    /// The number, when it has one (a draft has none).
    pub number: Option<String>,
    /// The date, when it has one.
    pub date: Option<NaiveDate>,
    /// The title, its lines joined by spaces.
    pub title: String,
    /// Who signs («О.Н. Климова»): the act's signer, the protocol's first
    /// signature (the chair).
    pub signer: Option<String>,
    /// The files `build` writes for it, DOCX then PDF.
    pub outputs: Vec<PathBuf>,
}

/// The register and the documents that could not be read, with why.
pub struct Journal {
    /// The documents, in file order (as `build` finds them).
    pub entries: Vec<Entry>,
    /// Documents that could not be read.
    pub failed: Vec<(PathBuf, Diagnostics)>,
}

/// Reads every document among `inputs` (files and folders, found as
/// `build` finds them) and names the outputs `build -o output_dir` writes.
pub fn journal(inputs: &[PathBuf], output_dir: &Path) -> Journal {
    let options = BuildOptions::new(inputs.to_vec(), output_dir);
    let access = options.access();
    let plan = crate::build::plan(inputs, output_dir);
    let mut journal = Journal {
        entries: Vec::new(),
        failed: plan.rejected,
    };
    for job in plan.jobs {
        match crate::model::load_with(&job.input, &access) {
            Ok(model) => {
                let outputs = options
                    .formats
                    .iter()
                    .map(|f: &Format| job.output_for(*f))
                    .collect();
                journal.entries.push(entry(&model, outputs));
            }
            Err(d) => journal.failed.push((job.input, d)),
        }
    }
    journal
}

fn entry(model: &Model, outputs: Vec<PathBuf>) -> Entry {
    let join = |lines: &[String]| {
        lines
            .iter()
            .flat_map(|l| l.split_whitespace())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (number, date) = model.number_and_date();
    let (title, signer) = match &model.body {
        Body::Protocol(p) => (
            join(std::slice::from_ref(&p.meeting.title)),
            p.signatures.first().map(|s| s.person.name.initials_first()),
        ),
        Body::Act(a) => {
            let title = match &a.act {
                Some(act) if !act.title.is_empty() => join(&act.title),
                // An approved document: the title of its first page.
                _ => a
                    .appendices
                    .first()
                    .map(|ap| join(&ap.title))
                    .unwrap_or_default(),
            };
            (
                title,
                a.signature.as_ref().map(|s| s.person.name.initials_first()),
            )
        }
    };
    Entry {
        file: model.source.clone(),
        kind: model.kind.info().nominative.to_owned(),
        number,
        date,
        title,
        // No-break spaces of the printed name, as ordinary ones for a table.
        signer: signer.map(|s| s.replace('\u{a0}', " ")),
        outputs,
    }
}

/// The columns of the CSV file and the sheet, in order.
pub const CSV_HEADER: [&str; 7] = [
    "файл",
    "вид",
    "номер",
    "дата",
    "заголовок",
    "подписал",
    "файлы",
];

fn outputs_text(e: &Entry) -> String {
    e.outputs
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The register as CSV (UTF-8, a header row), dates as 24.06.2021, output
/// files separated by «; ».
pub fn to_csv(entries: &[Entry]) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let error = |e: csv::Error| format!("не удалось записать CSV: {e}");
    w.write_record(CSV_HEADER).map_err(error)?;
    for e in entries {
        w.write_record([
            e.file.display().to_string(),
            e.kind.clone(),
            e.number.clone().unwrap_or_default(),
            e.date.map(date::numeric).unwrap_or_default(),
            e.title.clone(),
            e.signer.clone().unwrap_or_default(),
            outputs_text(e),
        ])
        .map_err(error)?;
    }
    w.into_inner()
        .map_err(|e| format!("не удалось записать CSV: {}", e.error()))
}

/// The register as one JSON array.
pub fn to_json(entries: &[Entry]) -> String {
    serde_json::to_string_pretty(entries).unwrap_or_else(|_| "[]".to_owned())
}

/// The register as a sheet, dates as dates.
pub fn to_sheet(entries: &[Entry]) -> Sheet {
    let text = |s: &str| Cell::Text(s.to_owned());
    Sheet {
        name: "Журнал".to_owned(),
        header: CSV_HEADER.iter().map(|h| (*h).to_owned()).collect(),
        widths: vec![40.0, 24.0, 8.0, 11.0, 70.0, 18.0, 60.0],
        rows: entries
            .iter()
            .map(|e| {
                let cells = vec![
                    Cell::Text(e.file.display().to_string()),
                    text(&e.kind),
                    text(e.number.as_deref().unwrap_or_default()),
                    e.date.map_or(Cell::Empty, Cell::Date),
                    text(&e.title),
                    text(e.signer.as_deref().unwrap_or_default()),
                    Cell::Text(outputs_text(e)),
                ];
                (cells, false)
            })
            .collect(),
    }
}

/// The date the workbook records as its creation: the latest document's,
/// so that the same documents give the same bytes.
pub fn latest_date(entries: &[Entry]) -> Option<NaiveDate> {
    entries.iter().filter_map(|e| e.date).max()
}

/// Titles in the terminal table are cut to this many characters.
const TABLE_TITLE_CHARS: usize = 70;

/// The register as a table for the terminal: aligned columns.
pub fn to_table(entries: &[Entry]) -> String {
    let header = ["Вид", "Номер", "Дата", "Заголовок", "Подписал", "Файлы"];
    let rows: Vec<[String; 6]> = entries
        .iter()
        .map(|e| {
            [
                e.kind.clone(),
                e.number.clone().unwrap_or_default(),
                e.date.map(date::numeric).unwrap_or_default(),
                crate::assignments::cut_to(&e.title, TABLE_TITLE_CHARS),
                e.signer.clone().unwrap_or_default(),
                outputs_text(e),
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
        s.push('\n');
        s
    };
    let mut out = line(&header.map(str::to_owned));
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}
