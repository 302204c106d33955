//! Tables: each row becomes one vertical item, so a row moves to the next
//! page whole; header rows are remembered so pagination can repeat them.

use crate::document::*;

use super::PlacedCell;
use super::layout::{Content, Ctx, Draw, Flow, Item, Kind, RULE_PT};

/// Left and right cell padding, mm (the DOCX's 108 twips).
pub(crate) const CELL_PADDING_MM: f32 = 108.0 / 1440.0 * 25.4;

/// Lays a table out as rows appended to `out`.
pub(crate) fn table<'a>(
    flow: &mut Flow<'a>,
    t: &'a Table,
    id: usize,
    _ctx: Ctx,
    out: &mut Vec<Item>,
) {
    let columns: Vec<f32> = t.columns_mm.iter().map(|w| w.max(0.0)).collect();
    let total: f32 = columns.iter().sum();
    let mut headers = Vec::new();
    let mut first_body = true;
    for (r, row) in t.rows.iter().enumerate() {
        let mut content = Content::default();
        let mut col = 0;
        let mut height: f32 = 0.0;
        let mut spans = Vec::with_capacity(row.cells.len());
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
            };
            let mut items = Vec::new();
            flow.blocks(&cell.blocks, inner, &mut items);
            // Stack the cell's items; keep rules do not apply inside a row.
            let mut y = 0.0;
            for item in &items {
                y += item.gap;
                content.append(&item.content, x + CELL_PADDING_MM, y);
                y += item.height;
            }
            height = height.max(y);
            spans.push((x, width));
        }
        let height = height + RULE_PT * 25.4 / 72.0;
        for &(x, width) in &spans {
            content.cells.push(PlacedCell {
                row: r,
                header: row.header,
                x_mm: x,
                y_mm: 0.0,
                width_mm: width,
                height_mm: height,
            });
            content.draws.push(rule(x, 0.0, x, height));
        }
        content.draws.push(rule(total, 0.0, total, height));
        content.draws.push(rule(0.0, 0.0, total, 0.0));
        content.draws.push(rule(0.0, height, total, height));
        if row.header {
            headers.push(out.len());
        }
        // The first body row stays with the header rows above it.
        let keep_prev = !row.header && first_body && !headers.is_empty();
        if !row.header {
            first_body = false;
        }
        out.push(Item {
            gap: 0.0,
            height,
            keep_prev: keep_prev || (row.header && r > 0),
            kind: Kind::Row {
                table: id,
                header: row.header,
            },
            content,
        });
    }
    if flow.headers.len() <= id {
        flow.headers.resize(id + 1, Vec::new());
    }
    flow.headers[id] = headers;
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
