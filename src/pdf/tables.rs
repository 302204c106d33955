//! Tables: each row becomes one vertical item, so a row moves to the next
//! page whole; header rows are remembered so pagination can repeat them.
//!
//! A row taller than a page (below the repeated header rows) cannot move
//! whole anywhere: it becomes several items, each cut between the lines of
//! its cells and each as tall as a page allows, so pagination starts it on
//! a new page and continues it on the following ones under the header.

use crate::document::*;
use std::borrow::Cow;

use super::PlacedCell;
use super::layout::{Content, Ctx, Draw, Flow, Item, Kind, RULE_PT};
use super::linebreak::PT;
use super::tags::Role;

/// Left and right cell padding, mm (the DOCX's 108 twips).
pub(crate) use crate::document::CELL_PADDING_MM;

/// One cell of a row, laid out but not yet stacked.
struct CellItems {
    /// Left edge within the table, mm.
    x: f32,
    /// The cell's lines and other items, top to bottom.
    items: Vec<Item>,
}

/// Where a cell's borders go: its left edge, width, and whether the rules
/// above and below it are drawn (not inside a cell merged across rows).
#[derive(Clone, Copy, Debug)]
pub(crate) struct FrameCell {
    pub(crate) x: f32,
    pub(crate) width: f32,
    /// The rule above: not where the cell continues one from the row above.
    pub(crate) top: bool,
    /// The rule below: not where the cell goes on into the row below.
    pub(crate) bottom: bool,
    /// A cell of this row (a [`PlacedCell`]); a merged cell's parts are
    /// placed when the pages are known.
    pub(crate) own: bool,
}

/// A cell merged across rows: laid out apart from its rows, since its
/// text runs beside all of them and, when a page ends inside the group,
/// goes on beside the rows on the next page, as in LibreOffice.
#[derive(Debug)]
pub(crate) struct Merged {
    /// Item of the group's first row (its first part).
    pub(crate) first: usize,
    /// Item of the group's last row (its last part).
    pub(crate) last: usize,
    /// Left edge within the table and width, mm.
    pub(crate) x: f32,
    pub(crate) width: f32,
    /// Index of the row it starts in (for [`PlacedCell::row`]).
    pub(crate) row: usize,
    /// In the header rows: drawn whole with every copy of them.
    pub(crate) header: bool,
    /// The cell's lines, relative to its text's top left corner.
    pub(crate) items: Vec<Item>,
    /// For each row item beside the cell: where, in the item's draws and
    /// lines, the cell's text goes (its place among the row's cells).
    pub(crate) anchors: Vec<(usize, (usize, usize))>,
}

/// The last row of merged cells in the body: its height, and so its
/// borders, are known only once the pages are (the row grows when the
/// merged text needs more room than the group's rows give it).
#[derive(Debug)]
pub(crate) struct GrowingRow {
    /// The row's (last) item.
    pub(crate) item: usize,
    /// Its height without the merged cells, rule included, mm.
    pub(crate) natural: f32,
    /// Index of the row in the table.
    pub(crate) row: usize,
    /// Table width, mm.
    pub(crate) total: f32,
    pub(crate) cells: Vec<FrameCell>,
}

/// Lays a table out as rows appended to `out`; `lead` is the space above
/// the table and whether it keeps with the block before (its first row's
/// gap and keep). A table of the page's flow has its rows paginated as
/// they come ([`Flow::flush`]).
pub(crate) fn table(
    flow: &mut Flow<'_>,
    t: &Table,
    id: usize,
    ctx: Ctx,
    lead: (f32, bool),
    out: &mut Vec<Item>,
) {
    let start = out.len();
    let columns: Vec<f32> = t.columns_mm.iter().map(|w| w.max(0.0)).collect();
    let total: f32 = columns.iter().sum();
    let rule_mm = RULE_PT * PT;
    // The header rows' items, in `flow.headers` as they come: the pager
    // repeats them on the pages it closes before the table ends.
    if flow.headers.len() <= id {
        flow.headers.resize(id + 1, Vec::new());
    }
    flow.headers[id] = Vec::new();
    let mut header_height = 0.0;
    let mut first_body = true;
    // Item indices are the page's only in the section's own list: a table
    // nested in a cell (which the markup never writes) sets a merged cell
    // in its first row instead.
    let merging = !ctx.in_cell;
    // The merged cells still open, by (row, cell): index in `flow.merged`.
    let mut open: Vec<((usize, usize), usize)> = Vec::new();
    // The row above keeps with this one (a section row): no page ends
    // between them.
    let mut kept = false;
    flow.tag_open(Role::Table);
    let mut placer = t.slot_placer();
    for (first, mut rows) in t.row_slices() {
        let marks_before = flow.keep_whole.len();
        for (i, row) in rows.iter().enumerate() {
            let r = first + i;
            let slots = placer.place(r, row);
            let first_item = out.len();
            flow.tag_open(Role::TR);
            let mut cells = Vec::with_capacity(slots.len());
            let mut frames = Vec::with_capacity(slots.len());
            // The merged cell each slot starts or continues.
            let mut merged_ids: Vec<Option<usize>> = Vec::with_capacity(slots.len());
            // Merged cells this row ends.
            let mut ending = Vec::new();
            for slot in &slots {
                let to = (slot.column + slot.colspan).min(columns.len());
                let x: f32 = columns[..slot.column.min(columns.len())].iter().sum();
                let width: f32 = columns[slot.column.min(columns.len())..to].iter().sum();
                let merged_here = merging && !slot.last;
                frames.push(FrameCell {
                    x,
                    width,
                    top: !(merging && slot.continued),
                    bottom: !merged_here,
                    own: !(merging && (slot.continued || !slot.last)),
                });
                if slot.continued {
                    let m = merging
                        .then(|| open.iter().find(|(k, _)| *k == (slot.row, slot.cell)))
                        .flatten()
                        .map(|&(_, m)| m);
                    if let (Some(m), true) = (m, slot.last) {
                        ending.push(m);
                    }
                    merged_ids.push(m);
                    // The row keeps the cell's place, with nothing in it.
                    cells.push(CellItems {
                        x,
                        items: Vec::new(),
                    });
                    continue;
                }
                let cell = &row.cells[slot.cell];
                let inner = Ctx {
                    size: flow.table_pt,
                    width: (width - 2.0 * CELL_PADDING_MM).max(1.0),
                    in_cell: true,
                    header: row.header,
                    ..ctx
                };
                let mut items = Vec::new();
                flow.tag_cell(row.header, cell.rowspan.max(1), cell.colspan.max(1));
                flow.blocks(&cell.blocks, inner, &mut items);
                flow.tag_close();
                merged_ids.push(merged_here.then_some(flow.merged.len()));
                if merged_here {
                    open.push(((r, slot.cell), flow.merged.len()));
                    flow.merged.push(Merged {
                        first: first_item,
                        last: first_item,
                        x,
                        width,
                        row: r,
                        header: row.header,
                        items,
                        anchors: Vec::new(),
                    });
                    items = Vec::new();
                }
                cells.push(CellItems { x, items });
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
                let (mut content, height, at) = slice(&mut cells, &mut cursors, limit);
                // Where the merged cells beside this part go in its content,
                // so that the text stays in reading order.
                for (&m, &at) in merged_ids.iter().zip(&at) {
                    if let Some(m) = m {
                        flow.merged[m].anchors.push((out.len(), at));
                    }
                }
                let mut height = height + rule_mm;
                let done = cursors.iter().zip(&cells).all(|(&k, c)| k >= c.items.len());
                let mut growing = false;
                let natural = height;
                if done && !ending.is_empty() {
                    // The row grows when a merged cell it ends needs more room
                    // than the rows beside it give (on one page; the layout
                    // of the pages may grow it again).
                    for &m in &ending {
                        let above: f32 = out[flow.merged[m].first..].iter().map(|i| i.height).sum();
                        let need = stack_height(&flow.merged[m].items) + rule_mm;
                        height = height.max(need - above);
                    }
                    growing = !row.header;
                }
                if row.header && height > natural {
                    flow.grown_headers.push((r, height));
                }
                if growing {
                    flow.growing.push(GrowingRow {
                        item: out.len(),
                        natural,
                        row: r,
                        total,
                        cells: frames.clone(),
                    });
                } else {
                    frame(&mut content, &frames, r, row.header, total, height);
                }
                if !flow.record_lines {
                    // The writer reads no cell boxes (a 1000-page roadmap
                    // holds every row until its page is known), and the
                    // draws are kept at their own length.
                    content.cells = Vec::new();
                }
                content.draws.shrink_to_fit();
                if row.header {
                    flow.headers[id].push(out.len());
                    header_height += height;
                }
                // The first body row stays with the header rows above it; the
                // parts of a split row are separated by page breaks.
                let keep_prev = part == 0
                    && ((!row.header && (kept || (first_body && !flow.headers[id].is_empty())))
                        || (row.header && r > 0));
                let (gap, keep_prev) = if out.len() == start {
                    (lead.0, keep_prev || lead.1)
                } else {
                    (0.0, keep_prev)
                };
                out.push(Item {
                    gap,
                    height,
                    keep_prev,
                    kind: Kind::Row {
                        table: id,
                        header: row.header,
                    },
                    content,
                });
                if !ctx.in_cell {
                    flow.flush(out);
                }
                part += 1;
                if done {
                    break;
                }
            }
            flow.tag_close();
            for &m in &ending {
                flow.merged[m].last = out.len() - 1;
            }
            if !row.header {
                first_body = false;
                kept = row.keeps_with_next();
            }
        }
        // Marks on stored rows, which go once laid out, keyed by where
        // their paragraphs stand instead.
        if let Cow::Owned(rows) = &mut rows
            && flow.keep_whole.len() > marks_before
        {
            KeepWhole::locate_stored(&mut flow.keep_whole[marks_before..], t, first, rows);
        }
    }
    flow.tag_close();
}

/// Height of a cell's items stacked, mm.
pub(crate) fn stack_height(items: &[Item]) -> f32 {
    items.iter().map(|i| i.gap + i.height).sum()
}

/// Stacks, from each cell, the items after its cursor that fit in `limit`
/// (at least one, so a line taller than the page still moves on), and
/// advances the cursors. Returns the content and the tallest cell's height.
/// Also returns where each cell's text starts in the content (its draws
/// and lines so far): a merged cell's text is put there later.
fn slice(
    cells: &mut [CellItems],
    cursors: &mut [usize],
    limit: f32,
) -> (Content, f32, Vec<(usize, usize)>) {
    let mut content = Content::default();
    let mut height: f32 = 0.0;
    let mut at = Vec::with_capacity(cells.len());
    for (cell, cursor) in cells.iter_mut().zip(cursors.iter_mut()) {
        at.push((content.draws.len(), content.lines.len()));
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
    (content, height, at)
}

/// Adds the cells' boxes and borders of a row part `height` tall.
pub(crate) fn frame(
    content: &mut Content,
    cells: &[FrameCell],
    row: usize,
    header: bool,
    total: f32,
    height: f32,
) {
    for cell in cells {
        if cell.own {
            content.cells.push(PlacedCell {
                row,
                header,
                x_mm: cell.x,
                y_mm: 0.0,
                width_mm: cell.width,
                height_mm: height,
            });
        }
        content.draws.push(rule(cell.x, 0.0, cell.x, height));
    }
    content.draws.push(rule(total, 0.0, total, height));
    // One rule across the table unless a merged cell interrupts it: the
    // seeds' rows keep their two draws.
    if cells.iter().all(|c| c.top) {
        content.draws.push(rule(0.0, 0.0, total, 0.0));
    } else {
        for c in cells.iter().filter(|c| c.top) {
            content.draws.push(rule(c.x, 0.0, c.x + c.width, 0.0));
        }
    }
    if cells.iter().all(|c| c.bottom) {
        content.draws.push(rule(0.0, height, total, height));
    } else {
        for c in cells.iter().filter(|c| c.bottom) {
            content.draws.push(rule(c.x, height, c.x + c.width, height));
        }
    }
}

/// Where a merged cell's lines go: for each of its items, the part
/// (an index into `parts`, the (top, bottom) of the group's rows on one
/// page) and its top within that part. The lines fill each part in turn;
/// the last part takes all that is left. Returns the placements and the
/// bottom of the last line in the last part, from the part's top.
pub(crate) fn fill(items: &[Item], parts: &[(f32, f32)], rule_mm: f32) -> (Vec<(usize, f32)>, f32) {
    let mut placed = Vec::with_capacity(items.len());
    let mut part = 0;
    let mut y = 0.0;
    let mut started = false;
    for item in items {
        loop {
            // Space above a line that continues the cell is dropped.
            let gap = if started || part == 0 { item.gap } else { 0.0 };
            let room = parts
                .get(part)
                .map_or(f32::INFINITY, |(top, bottom)| bottom - top - rule_mm);
            if part + 1 >= parts.len() || y + gap + item.height <= room + 0.01 {
                placed.push((part, y + gap));
                y += gap + item.height;
                started = true;
                break;
            }
            part += 1;
            y = 0.0;
            started = false;
        }
    }
    (placed, y)
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
