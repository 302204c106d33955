//! Files for other programs: a spreadsheet ([`xlsx`]) and a calendar
//! ([`ics`]). Each writer returns bytes; the command line writes them.
//! The same data always gives the same bytes: no clock, no random UID.

pub mod ics;
pub mod xlsx;

use crate::assignments::{self, Assignment, StatusKind};
use xlsx::{Cell, Sheet};

/// The register of assignments as a sheet: the CSV's columns and titles
/// (`assignments::CSV_HEADER`), dates as dates, days as numbers, overdue
/// rows marked.
pub fn assignments_sheet(list: &[Assignment]) -> Sheet {
    // Widths in characters, for the columns of CSV_HEADER in order.
    const WIDTHS: [f64; 14] = [
        34.0, 16.0, 8.0, 11.0, 14.0, 60.0, 36.0, 30.0, 24.0, 14.0, 11.0, 10.0, 6.0, 24.0,
    ];
    let text = |s: &str| Cell::Text(s.to_owned());
    let date = |d: Option<chrono::NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
    let rows = list
        .iter()
        .map(|a| {
            let cells = vec![
                Cell::Text(a.file.display().to_string()),
                text(&a.kind),
                text(a.number.as_deref().unwrap_or_default()),
                date(a.date),
                text(&a.point),
                text(&a.text),
                text(a.to.as_deref().unwrap_or_default()),
                Cell::Text(a.responsible.join("; ")),
                text(&a.deadline_text),
                text(a.term.words()),
                date(a.last_day),
                text(assignments::status_key(a.status)),
                a.status.days().map_or(Cell::Empty, Cell::Number),
                Cell::Text(a.status.words()),
            ];
            (cells, a.status.kind() == StatusKind::Overdue)
        })
        .collect();
    Sheet {
        name: "Поручения".to_owned(),
        header: assignments::CSV_HEADER
            .iter()
            .map(|h| (*h).to_owned())
            .collect(),
        widths: WIDTHS.to_vec(),
        rows,
    }
}
