//! Tables of appendices and plans: columns with their widths checked
//! against the page, rows with cells that span rows, section rows, and
//! deadline columns read like any deadline.

use super::Validator;
use super::date::Deadline;
use super::long_table::RowFeed;
use super::raw::{RawCell, RawColumn, RawTable};
use super::text::{TextBlock, parse_blocks, parse_blocks_owned};
use crate::document::{MAX_COLUMN_MM, MIN_COLUMN_MM, Orientation};
use crate::russian::numbers::plural;
use serde::Serialize;
use toml::Spanned;

/// Table text size, pt (LAYOUT.md §6): what header words are measured in.
const TABLE_TEXT_PT: f32 = 12.0;

/// Left plus right padding of a cell, mm (Word's default 0.19 cm a side,
/// which both backends use).
const CELL_PADDINGS_MM: f32 = 2.0 * 1.905;

/// A table row.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TableRow {
    /// Ordinary row.
    Cells {
        /// Automatic number, when the first column is numbered.
        number: Option<usize>,
        /// Cells, without those a cell above covers.
        cells: Vec<TableCell>,
    },
    /// Section row spanning all columns.
    Section {
        /// Its text.
        text: String,
    },
}

/// A cell of an ordinary row.
#[derive(Debug, Clone, Serialize)]
pub struct TableCell {
    /// Its column, 0-based among all columns (the numbered one included).
    pub column: usize,
    /// Paragraphs and lists.
    pub blocks: Vec<TextBlock>,
    /// Rows it spans (1 for an ordinary cell).
    pub rows: usize,
    /// In a deadline column: the deadlines read from its paragraphs.
    pub deadlines: Vec<Deadline>,
}

/// A column.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// Title in the header row.
    pub title: String,
    /// Width, mm (narrowed in proportion when the table is wider than the
    /// text).
    pub width: f32,
    /// Centred cells: row numbers, dates, quantities.
    pub centered: bool,
    /// A deadline column.
    pub deadline: bool,
}

/// A table.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// Whether the first column holds automatic row numbers.
    pub numbered: bool,
    /// Columns, the numbered one included.
    pub columns: Vec<Column>,
    /// Header rows.
    pub header: Vec<Vec<String>>,
    /// Rows.
    pub rows: Vec<TableRow>,
}

impl Table {
    /// Column widths, mm.
    pub fn widths(&self) -> Vec<f32> {
        self.columns.iter().map(|c| c.width).collect()
    }
}

impl Validator {
    /// Validates a table set on a page of `orientation`; `field` is its
    /// dotted path for messages.
    /// The table's rows are taken out of `t` as they are read: a long
    /// roadmap's text is then held once, not as raw rows and validated
    /// rows at the same time.
    pub(super) fn table(
        &mut self,
        t: &mut Spanned<RawTable>,
        field: &str,
        orientation: Orientation,
    ) -> Table {
        let raw = t.get_ref();
        let widths = self.column_widths(t, field, orientation);
        let numbered = raw.columns.get_ref().first().is_some_and(|c| c.numbered);
        let mut columns: Vec<Column> = raw
            .columns
            .get_ref()
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(j, (c, width))| Column {
                title: c.title.clone(),
                width,
                centered: (j == 0 && numbered) || self.column_centered(c, field, j),
                deadline: c.deadline,
            })
            .collect();
        if columns.is_empty() {
            columns.push(Column {
                title: String::new(),
                width: 170.0,
                centered: false,
                deadline: false,
            });
        }
        let header = match &raw.header {
            Some(header) => self.header_rows(header, field, columns.len()),
            None => vec![columns.iter().map(|c| c.title.clone()).collect()],
        };
        self.narrow_columns(t, field, &columns, &header);
        let rows = self.rows(t.get_mut(), field, &columns, numbered);
        if numbered {
            let last = rows.iter().rev().find_map(|row| match row {
                TableRow::Cells { number, .. } => *number,
                TableRow::Section { .. } => None,
            });
            if let Some(last) = last {
                self.numbers_fit(t, field, &columns[0], last);
            }
        }
        Table {
            numbered,
            columns,
            header,
            rows,
        }
    }

    fn column_centered(&mut self, c: &RawColumn, field: &str, j: usize) -> bool {
        self.choice(
            &c.align,
            &format!("{field}.columns[{j}].align"),
            &[("left", false), ("center", true)],
            false,
        )
    }

    fn rows(
        &mut self,
        raw: &mut RawTable,
        field: &str,
        columns: &[Column],
        numbered: bool,
    ) -> Vec<TableRow> {
        let first = usize::from(numbered);
        // Rows still covered by a cell above, per column.
        let mut covered = vec![0usize; columns.len()];
        let mut n = 0;
        let later = raw.later.take();
        let total = raw.row.len() + later.as_ref().map_or(0, |l| l.count);
        // Sized once: a 35,000-row roadmap's rows grown by doubling left
        // up to half their room unused, 9 MB while the document is read.
        let mut out = Vec::with_capacity(total);
        let mut feed = RowFeed::new(std::mem::take(&mut raw.row), later);
        let mut i = 0;
        while let Some(mut raw_row) = feed.next(&self.source) {
            let f = format!("{field}.row[{i}]");
            i += 1;
            // The rows below a cell that spans some, counted before this
            // row is taken apart (only for such a cell: it is a walk down
            // the table), as far as its widest cell reaches: a count
            // that falls short is exact, and the message says it.
            let reach = raw_row.get_ref().cells.as_ref().and_then(|c| {
                c.get_ref()
                    .iter()
                    .filter_map(|c| match c {
                        RawCell::Spanning(s) => {
                            Some(usize::try_from(s.rows.saturating_sub(1)).unwrap_or(0))
                        }
                        _ => None,
                    })
                    .max()
            });
            let rows_below = reach.map_or(0, |reach| feed.cells_ahead(reach, &self.source));
            let row_span = raw_row.span();
            let row = raw_row.get_mut();
            match (&mut row.cells, &mut row.section) {
                (Some(cells), None) => {
                    let cells_span = cells.span();
                    let cells = cells.get_mut();
                    let free: Vec<usize> = (first..columns.len())
                        .filter(|&j| covered[j] == 0)
                        .collect();
                    if cells.len() != free.len() {
                        let spanned = free.len() + first < columns.len();
                        self.error(
                            cells_span.clone(),
                            &format!("{f}.cells"),
                            format!(
                                "в строке {} ячеек, а нужно {}",
                                cells.len(),
                                free.len()
                            ),
                            Some(if spanned {
                                "ячейку, которую закрывает объединённая ячейка строки выше (rows = …), не пишут"
                            } else if numbered {
                                "номер строки ставится сам: не пишите его в cells"
                            } else {
                                "число ячеек должно совпадать с числом столбцов"
                            }),
                        );
                    }
                    for c in covered.iter_mut() {
                        *c = c.saturating_sub(1);
                    }
                    n += 1;
                    let mut row_cells = Vec::with_capacity(free.len());
                    for (k, (cell, &column)) in cells.iter_mut().zip(&free).enumerate() {
                        let cf = format!("{f}.cells[{k}]");
                        let (blocks, rows) = match cell {
                            RawCell::Text(t) => (parse_blocks_owned(std::mem::take(t)), 1),
                            RawCell::Lines(lines) => (lines_blocks(lines), 1),
                            RawCell::Spanning(s) => {
                                let rows = if (1..=rows_below as i64 + 1).contains(&s.rows) {
                                    s.rows as usize
                                } else {
                                    self.error(
                                        cells_span.clone(),
                                        &format!("{cf}.rows"),
                                        format!(
                                            "ячейка объединяет {} {} (rows = {}), а до конца таблицы или строки-раздела {} {}, считая её собственную",
                                            s.rows,
                                            plural(s.rows, ["строку", "строки", "строк"]),
                                            s.rows,
                                            plural(rows_below as i64 + 1, ["остаётся", "остаются", "остаются"]),
                                            rows_below + 1,
                                        ),
                                        Some("rows — число строк, которые занимает ячейка, считая её собственную; строка-раздел прерывает объединение"),
                                    );
                                    1
                                };
                                let blocks = match s.text.0.as_slice() {
                                    [one] => parse_blocks(one),
                                    lines => lines_blocks(lines),
                                };
                                (blocks, rows)
                            }
                        };
                        covered[column] = rows - 1;
                        let deadlines = if columns[column].deadline {
                            self.cell_deadlines(&blocks, cells_span.clone(), &cf, &columns[column])
                        } else {
                            Vec::new()
                        };
                        row_cells.push(TableCell {
                            column,
                            blocks,
                            rows,
                            deadlines,
                        });
                    }
                    out.push(TableRow::Cells {
                        number: numbered.then_some(n),
                        cells: row_cells,
                    });
                }
                (None, Some(s)) => {
                    covered.iter_mut().for_each(|c| *c = 0);
                    out.push(TableRow::Section {
                        text: std::mem::take(s),
                    });
                }
                _ => self.error(
                    row_span,
                    &f,
                    "строка таблицы должна содержать либо cells (ячейки), либо section (заголовок раздела)".into(),
                    None,
                ),
            }
        }
        // The rest must be read from the whole file's parse.
        self.sliced_rows_failed |= feed.failed;
        debug_assert!(out.len() <= total);
        out
    }

    /// Every paragraph of a deadline cell is a deadline.
    fn cell_deadlines(
        &mut self,
        blocks: &[TextBlock],
        span: std::ops::Range<usize>,
        field: &str,
        column: &Column,
    ) -> Vec<Deadline> {
        let mut out = Vec::new();
        for b in blocks {
            let texts: Vec<&String> = match b {
                TextBlock::Paragraph(p) => vec![p],
                TextBlock::Bullets(items) => items.iter().collect(),
            };
            for t in texts {
                match Deadline::parse(t) {
                    Ok(d) => {
                        if let (Some(last), Some(act)) = (super::lint::last_day(&d), self.act_date)
                            && last < act
                        {
                            let w = self.source.diagnostic(
                                &self.file,
                                span.clone(),
                                format!(
                                    "срок «{t}» в столбце «{}» раньше даты акта {}",
                                    column.title,
                                    act.format("%d.%m.%Y")
                                ),
                            )
                            .with_field(field)
                            .with_hint("проверьте год и месяц срока")
                            .warning();
                            self.diagnostics.push(w);
                        }
                        out.push(d)
                    }
                    Err(why) => self.error(
                        span.clone(),
                        field,
                        format!("в столбце сроков «{}»: «{t}» — {why}", column.title),
                        Some("срок пишется датой («01.09.2021», «до 01.09.2021», «март 2021 г.», «02.11.–06.11.2021 г.») или словами («постоянно», «ежегодно»); несколько сроков — через пустую строку"),
                    ),
                }
            }
        }
        out
    }

    /// Column widths are checked here, at the user's own line: each within
    /// its range, and all together within the text. A table wider than the
    /// text is narrowed in proportion, with a warning that gives the widths.
    fn column_widths(
        &mut self,
        t: &Spanned<RawTable>,
        field: &str,
        orientation: Orientation,
    ) -> Vec<f32> {
        let columns = &t.get_ref().columns;
        if columns.get_ref().is_empty() {
            self.error(
                columns.span(),
                &format!("{field}.columns"),
                "у таблицы нет столбцов".into(),
                Some("перечислите столбцы: columns = [{ title = \"Мероприятие\", width = 80 }, …]"),
            );
            return Vec::new();
        }
        let mut widths = Vec::new();
        for (j, column) in columns.get_ref().iter().enumerate() {
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
                widths.push(MIN_COLUMN_MM);
            } else {
                widths.push(width);
            }
        }
        let (page_w, _) = orientation.page_mm();
        let margins = match orientation {
            Orientation::Portrait => crate::document::Margins::PORTRAIT,
            Orientation::Landscape => crate::document::Margins::LANDSCAPE,
        };
        let available = page_w - margins.left - margins.right;
        let total: f32 = widths.iter().sum();
        // Half a millimetre of slack: widths written to one decimal.
        if total > available + 0.5 {
            let scaled = narrowed(&widths, available);
            let page = match orientation {
                Orientation::Portrait => "книжной",
                Orientation::Landscape => "альбомной",
            };
            let d = self.source.diagnostic(
                &self.file,
                columns.span(),
                format!(
                    "столбцы таблицы шире текста: {} = {} мм, а ширина текста на {page} странице {} мм; столбцы сужены пропорционально (но не уже {MIN_COLUMN_MM} мм): {} мм",
                    join_mm(&widths, " + "),
                    mm(total),
                    mm(available),
                    join_mm(&scaled, ", "),
                ),
            )
            .with_field(format!("{field}.columns"))
            .with_hint(match orientation {
                Orientation::Portrait => "уменьшите ширины так, чтобы их сумма была не больше 170 мм, или сделайте страницу альбомной: orientation = \"landscape\"",
                Orientation::Landscape => "уменьшите ширины так, чтобы их сумма была не больше 257 мм",
            })
            .warning();
            self.layout.push(d);
            return scaled;
        }
        widths
    }

    /// The automatic numbers of a long table outgrow a column set for
    /// fewer rows: a 12 mm «№ п/п» holds «999», but «1000» breaks inside
    /// the number, «100» over «0». Said at the table's columns, with the
    /// width that fits its last number; the widths stay the user's.
    fn numbers_fit(&mut self, t: &Spanned<RawTable>, field: &str, column: &Column, last: usize) {
        let number = last.to_string();
        let room = column.width - CELL_PADDINGS_MM;
        let need = crate::pdf::text_width_mm(&number, TABLE_TEXT_PT, false);
        if need <= room + 0.05 {
            return;
        }
        let d = self.source.diagnostic(
            &self.file,
            t.get_ref().columns.span(),
            format!(
                "номер строки {number} шире столбца 1 («{}»): ему нужно {} мм, а в столбце шириной {} мм для текста есть {} мм, и номер разорвётся на две строки",
                column.title,
                mm(need),
                mm(column.width),
                mm(room)
            ),
        )
        .with_field(format!("{field}.columns[0]"))
        .with_hint(format!(
            "расширьте столбец до {} мм (width = {}), взяв эти миллиметры у самого широкого столбца",
            mm((need + CELL_PADDINGS_MM).ceil()),
            (need + CELL_PADDINGS_MM).ceil()
        ))
        .warning();
        self.layout.push(d);
    }

    /// The header rows as written, each of one cell a column: a row of
    /// other length is said at the `header` line (the markup would refuse
    /// it at the built-in template's line) and printed with its cells cut
    /// or filled with empty ones, so that the rest of the table is
    /// checked too.
    fn header_rows(
        &mut self,
        header: &Spanned<Vec<Vec<String>>>,
        field: &str,
        columns: usize,
    ) -> Vec<Vec<String>> {
        let mut rows = header.get_ref().clone();
        for (i, row) in rows.iter_mut().enumerate() {
            if row.len() != columns {
                self.error(
                    header.span(),
                    &format!("{field}.header"),
                    format!(
                        "в строке {} шапки {} {}, а столбцов {columns}",
                        i + 1,
                        row.len(),
                        crate::russian::numbers::plural(
                            row.len() as i64,
                            ["название", "названия", "названий"]
                        ),
                    ),
                    Some("в каждой строке шапки столько названий, сколько столбцов в columns, по порядку: header = [[\"№\", \"Что делаем\", \"Когда\"]]"),
                );
                row.resize(columns, String::new());
            }
        }
        rows
    }

    /// A header word wider than its column breaks inside the word; say
    /// which word and how wide the column must be.
    fn narrow_columns(
        &mut self,
        t: &Spanned<RawTable>,
        field: &str,
        columns: &[Column],
        header: &[Vec<String>],
    ) {
        let span = t.get_ref().columns.span();
        for row in header {
            for (j, (title, column)) in row.iter().zip(columns).enumerate() {
                let room = column.width - CELL_PADDINGS_MM;
                for word in title.split_whitespace() {
                    let need = crate::pdf::text_width_mm(word, TABLE_TEXT_PT, true);
                    if need > room + 0.05 {
                        let d = self.source.diagnostic(
                            &self.file,
                            span.clone(),
                            format!(
                                "слово «{word}» в заголовке столбца {} («{title}») шире столбца: ему нужно {} мм, а в столбце шириной {} мм для текста есть {} мм",
                                j + 1,
                                mm(need),
                                mm(column.width),
                                mm(room)
                            ),
                        )
                        .with_field(format!("{field}.columns[{j}]"))
                        .with_hint(format!(
                            "расширьте столбец до {} мм или сократите слово («Ед. изм.»)",
                            mm((need + CELL_PADDINGS_MM).ceil())
                        ))
                        .warning();
                        self.layout.push(d);
                    }
                }
            }
        }
    }
}

/// Widths narrowed in proportion to fit `available`, none below the
/// narrowest column: a column that would get less keeps that minimum and
/// the others share what is left. Rounded down to 0.1 mm.
fn narrowed(widths: &[f32], available: f32) -> Vec<f32> {
    let mut at_minimum = vec![false; widths.len()];
    loop {
        let kept = MIN_COLUMN_MM * at_minimum.iter().filter(|m| **m).count() as f32;
        let rest: f32 = widths
            .iter()
            .zip(&at_minimum)
            .filter(|(_, m)| !**m)
            .map(|(w, _)| w)
            .sum();
        let scale = ((available - kept) / rest).max(0.0);
        let mut changed = false;
        for (w, m) in widths.iter().zip(at_minimum.iter_mut()) {
            if !*m && w * scale < MIN_COLUMN_MM {
                *m = true;
                changed = true;
            }
        }
        if !changed || at_minimum.iter().all(|m| *m) {
            let mut out: Vec<f32> = widths
                .iter()
                .zip(&at_minimum)
                .map(|(w, m)| {
                    if *m {
                        MIN_COLUMN_MM
                    } else {
                        (w * scale * 10.0).floor() / 10.0
                    }
                })
                .collect();
            // What rounding down left over goes to the widest column, so
            // that the table is exactly as wide as the text.
            let left = ((available - out.iter().sum::<f32>()) * 10.0).round() / 10.0;
            if left > 0.0
                && let Some(widest) = out.iter_mut().max_by(|a, b| a.total_cmp(b))
            {
                *widest = ((*widest + left) * 10.0).round() / 10.0;
            }
            return out;
        }
    }
}

/// Lines written as an array: one paragraph each.
fn lines_blocks(lines: &[String]) -> Vec<TextBlock> {
    lines
        .iter()
        .map(|l| TextBlock::Paragraph(l.trim().to_owned()))
        .collect()
}

/// «12,5» — millimetres as a Russian reads them: one decimal at most,
/// with a decimal comma.
fn mm(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}").replace('.', ",")
    }
}

fn join_mm(widths: &[f32], sep: &str) -> String {
    widths.iter().map(|w| mm(*w)).collect::<Vec<_>>().join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_keeps_every_column_at_least_the_minimum() {
        let got = narrowed(&[12.0, 5000.0, 35.0, 43.0], 170.0);
        assert_eq!(got, [5.0, 155.0, 5.0, 5.0]);
        let got = narrowed(&[12.0, 80.0, 35.0, 63.0], 170.0);
        assert_eq!(got, [10.7, 71.7, 31.3, 56.3]);
        assert!((got.iter().sum::<f32>() - 170.0).abs() < 0.01);
    }
}
