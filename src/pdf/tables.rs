//! Tables: each row becomes one vertical item, so a row moves to the next
//! page whole; header rows are remembered so pagination can repeat them.
//!
//! A row taller than a page (below the repeated header rows) cannot move
//! whole anywhere: it becomes several items, each cut between the lines of
//! its cells and each as tall as a page allows, so pagination starts it on
//! a new page and continues it on the following ones under the header.

use crate::document::*;

use super::PlacedCell;
use super::layout::{Content, Ctx, Draw, Flow, Item, Kind, RULE_PT};
use super::linebreak::PT;

/// Left and right cell padding, mm (the DOCX's 108 twips).
pub(crate) const CELL_PADDING_MM: f32 = 108.0 / 1440.0 * 25.4;

/// One cell of a row, laid out but not yet stacked.
struct CellItems {
    /// Left edge within the table, mm.
    x: f32,
    /// Width, mm.
    width: f32,
    /// The cell's lines and other items, top to bottom.
    items: Vec<Item>,
}

/// Lays a table out as rows appended to `out`.
pub(crate) fn table<'a>(
    flow: &mut Flow<'a>,
    t: &'a Table,
    id: usize,
    ctx: Ctx,
    out: &mut Vec<Item>,
) {
    let columns: Vec<f32> = t.columns_mm.iter().map(|w| w.max(0.0)).collect();
    let total: f32 = columns.iter().sum();
    let rule_mm = RULE_PT * PT;
    let mut headers = Vec::new();
    let mut header_height = 0.0;
    let mut first_body = true;
    for (r, row) in t.rows.iter().enumerate() {
        let mut col = 0;
        let mut cells = Vec::with_capacity(row.cells.len());
        for cell in &row.cells {
            let span = cell.colspan.max(1);
            let from = col.min(columns.len());
            let to = (col + span).min(columns.len());
            let x: f32 = columns[..from].iter().sum();
            let width: f32 = columns[from..to].iter().sum();
            col += span;
            let inner = Ctx {
                size: flow.table_pt,
                width: (width - 2.0 * CELL_PADDING_MM).max(1.0),
                in_cell: true,
                header: row.header,
                ..ctx
            };
            let mut items = Vec::new();
            flow.blocks(&cell.blocks, inner, &mut items);
            cells.push(CellItems { x, width, items });
        }
        // What a page holds below the header rows repeated on it; never
        // less than half a page, so that a table whose header alone fills
        // the page still makes progress.
        let limit = if row.header {
            f32::INFINITY
        } else {
            (ctx.page_height - header_height).max(ctx.page_height / 2.0) - rule_mm
        };
        let mut cursors = vec![0; cells.len()];
        let mut part = 0;
        loop {
            let (mut content, height) = slice(&mut cells, &mut cursors, limit);
            let height = height + rule_mm;
            frame(&mut content, &cells, r, row.header, total, height);
            if row.header {
                headers.push(out.len());
                header_height += height;
            }
            // The first body row stays with the header rows above it; the
            // parts of a split row are separated by page breaks.
            let keep_prev = part == 0
                && ((!row.header && first_body && !headers.is_empty()) || (row.header && r > 0));
            out.push(Item {
                gap: 0.0,
                height,
                keep_prev,
                kind: Kind::Row {
                    table: id,
                    header: row.header,
                },
                content,
            });
            part += 1;
            if cursors.iter().zip(&cells).all(|(&k, c)| k >= c.items.len()) {
                break;
            }
        }
        if !row.header {
            first_body = false;
        }
    }
    if flow.headers.len() <= id {
        flow.headers.resize(id + 1, Vec::new());
    }
    flow.headers[id] = headers;
}

/// Stacks, from each cell, the items after its cursor that fit in `limit`
/// (at least one, so a line taller than the page still moves on), and
/// advances the cursors. Returns the content and the tallest cell's height.
fn slice(cells: &mut [CellItems], cursors: &mut [usize], limit: f32) -> (Content, f32) {
    let mut content = Content::default();
    let mut height: f32 = 0.0;
    for (cell, cursor) in cells.iter_mut().zip(cursors.iter_mut()) {
        let start = *cursor;
        let mut y = 0.0;
        for item in &mut cell.items[start..] {
            // Space above a line that continues a cell on a new page is
            // dropped, as at the top of a page.
            let gap = if *cursor == start && start > 0 {
                0.0
            } else {
                item.gap
            };
            if *cursor > start && y + gap + item.height > limit {
                if item.height == 0.0 {
                    // Trailing space after the cell's last paragraph: it
                    // would only make an empty part.
                    *cursor += 1;
                    continue;
                }
                break;
            }
            // Each item is stacked once: its content moves.
            let moved = std::mem::take(&mut item.content);
            content.append_owned(moved, cell.x + CELL_PADDING_MM, y + gap);
            y += gap + item.height;
            *cursor += 1;
        }
        height = height.max(y);
    }
    (content, height)
}

/// Adds the cells' boxes and borders of a row part `height` tall.
fn frame(
    content: &mut Content,
    cells: &[CellItems],
    row: usize,
    header: bool,
    total: f32,
    height: f32,
) {
    for cell in cells {
        content.cells.push(PlacedCell {
            row,
            header,
            x_mm: cell.x,
            y_mm: 0.0,
            width_mm: cell.width,
            height_mm: height,
        });
        content.draws.push(rule(cell.x, 0.0, cell.x, height));
    }
    content.draws.push(rule(total, 0.0, total, height));
    content.draws.push(rule(0.0, 0.0, total, 0.0));
    content.draws.push(rule(0.0, height, total, height));
}

fn rule(x1: f32, y1: f32, x2: f32, y2: f32) -> Draw {
    Draw::Rule {
        x1,
        y1,
        x2,
        y2,
        width_pt: RULE_PT,
    }
}
