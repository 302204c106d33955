//! One sheet as an XLSX workbook (through `rust_xlsxwriter`): a bold,
//! frozen header row, column widths, dates as date cells shown as
//! 01.09.2021, marked rows filled. The workbook's creation date is given,
//! not read from the clock, and the archive's file times are fixed by the
//! crate, so the same sheet gives the same bytes.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook};

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text, written as text even when it looks like a number («5», «12-р»).
    Text(String),
    /// A whole number.
    Number(i64),
    /// A date: a date cell, shown as 01.09.2021.
    Date(NaiveDate),
}

/// A table for a workbook.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet's tab name (at most 31 characters, no `[]:*?/\`).
    pub name: String,
    /// Column titles.
    pub header: Vec<String>,
    /// Column widths, in characters; missing ones keep the default.
    pub widths: Vec<f64>,
    /// Rows, each with whether it is marked (filled, for overdue).
    pub rows: Vec<(Vec<Cell>, bool)>,
}

/// The date format of date cells: as in the CSV and the documents.
const DATE_FORMAT: &str = "dd.mm.yyyy";
/// The fill of marked rows: a light red, readable in print.
const MARK_FILL: u32 = 0xF8CBAD;

/// The workbook's bytes. `created` goes to the document properties in
/// place of the current time.
pub fn to_xlsx(sheet: &Sheet, created: NaiveDate) -> Result<Vec<u8>, String> {
    let error = |e: rust_xlsxwriter::XlsxError| format!("не удалось записать XLSX: {e}");
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&excel_date(created).map_err(error)?)
            .set_author("gostdoc"),
    );
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin);
    let plain = Format::new().set_text_wrap();
    let date = Format::new().set_num_format(DATE_FORMAT);
    let fill = |f: &Format| f.clone().set_background_color(Color::RGB(MARK_FILL));
    let (plain_marked, date_marked) = (fill(&plain), fill(&date));

    let ws = book.add_worksheet();
    ws.set_name(&sheet.name).map_err(error)?;
    for (col, title) in sheet.header.iter().enumerate() {
        let col = column(col)?;
        ws.write_string_with_format(0, col, title, &header)
            .map_err(error)?;
    }
    for (col, width) in sheet.widths.iter().enumerate() {
        ws.set_column_width(column(col)?, *width).map_err(error)?;
    }
    ws.set_freeze_panes(1, 0).map_err(error)?;
    for (index, (cells, marked)) in sheet.rows.iter().enumerate() {
        let row = u32::try_from(index + 1).map_err(|_| too_many())?;
        let (text_format, date_format) = if *marked {
            (&plain_marked, &date_marked)
        } else {
            (&plain, &date)
        };
        for (col, cell) in cells.iter().enumerate() {
            let col = column(col)?;
            match cell {
                Cell::Empty if *marked => {
                    ws.write_blank(row, col, text_format).map_err(error)?;
                }
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string_with_format(row, col, s, text_format)
                        .map_err(error)?;
                }
                // Days and counts: far below 2^53, exact as f64.
                Cell::Number(n) => {
                    ws.write_number_with_format(row, col, *n as f64, text_format)
                        .map_err(error)?;
                }
                Cell::Date(d) => {
                    ws.write_date_with_format(
                        row,
                        col,
                        &excel_date(*d).map_err(error)?,
                        date_format,
                    )
                    .map_err(error)?;
                }
            }
        }
    }
    if !sheet.header.is_empty() {
        let last_col = column(sheet.header.len() - 1)?;
        let last_row = u32::try_from(sheet.rows.len()).map_err(|_| too_many())?;
        ws.autofilter(0, 0, last_row, last_col).map_err(error)?;
    }
    book.save_to_buffer().map_err(error)
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, rust_xlsxwriter::XlsxError> {
    // Excel's dates start in 1900; a year outside u16 is refused by the
    // crate's own check as well.
    let year = u16::try_from(d.year()).unwrap_or(0);
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

fn column(index: usize) -> Result<u16, String> {
    u16::try_from(index).map_err(|_| too_many())
}

fn too_many() -> String {
    "не удалось записать XLSX: слишком много строк или столбцов для листа".to_owned()
}
