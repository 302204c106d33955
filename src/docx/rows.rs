//! The rows of a long text-only table, written straight in their final
//! form: the XML docx-rs would build for the row, as [`super::normalize`]
//! leaves it (properties in schema order, no paragraph ids, no space
//! before `/>`, `w:tblHeader` on header rows).
//!
//! A 1000-page roadmap is 7000 such rows: building each as docx-rs
//! elements, writing them and reading them back to reorder the properties
//! took two thirds of the DOCX's time. Only what these rows hold is
//! written here (paragraphs and lists of styled text); a row with
//! anything else (a rule, a merged header's height, a box) is left to
//! docx-rs, and the tests compare both ways on every feature written here.

use crate::document::{Align, Block, Inline, Paragraph, Row, RunStyle, Slot, Table};

use super::{
    Ctx, SPACED_TWIPS, Shell, WORD_JOINER_FONT, half_points, long_words, mm_to_twips, package,
    pt_to_twips,
};

/// Writes `row`, row `r` of `table` (its cells in `slots`), to `out` as the
/// normaliser would leave it, or returns `false`, having written nothing,
/// when the row holds something only docx-rs writes.
pub(super) fn write_row(
    table: &Table,
    row: &Row,
    shell: &Shell,
    r: usize,
    slots: &[Slot],
    table_pt: f32,
    out: &mut Vec<u8>,
) -> bool {
    if shell.header_heights.iter().any(|(k, _)| *k == r) || !simple_row(row, r, slots) {
        return false;
    }
    let start = out.len();
    let size = half_points(table_pt);
    let keep = row.keeps_with_next();
    out.extend_from_slice(b"<w:tr><w:trPr><w:cantSplit/>");
    if row.header {
        out.extend_from_slice(b"<w:tblHeader/>");
    }
    out.extend_from_slice(b"</w:trPr>");
    for slot in slots {
        let span = slot.colspan;
        let width: usize = shell.grid[slot.column..slot.column + span].iter().sum();
        out.extend_from_slice(b"<w:tc><w:tcPr><w:tcW w:w=\"");
        push_int(out, width as i64);
        out.extend_from_slice(b"\" w:type=\"dxa\"/>");
        if span > 1 {
            out.extend_from_slice(b"<w:gridSpan w:val=\"");
            push_int(out, span as i64);
            out.extend_from_slice(b"\"/>");
        }
        if slot.continued {
            out.extend_from_slice(b"<w:vMerge w:val=\"continue\"/></w:tcPr>");
            empty_paragraph(out, keep, size);
            out.extend_from_slice(b"</w:tc>");
            continue;
        }
        if !slot.last {
            out.extend_from_slice(b"<w:vMerge w:val=\"restart\"/>");
        }
        out.extend_from_slice(b"</w:tcPr>");
        let to = (slot.column + span).min(table.columns_mm.len());
        let ctx = Ctx {
            size_pt: table_pt,
            width: width as i32 - 2 * shell.padding,
            cell_mm: Some(
                table.columns_mm[slot.column.min(to)..to]
                    .iter()
                    .map(|w| w.max(0.0))
                    .sum(),
            ),
        };
        let blocks = &row.cells[slot.cell].blocks;
        let paragraphs_at = out.len();
        for block in blocks {
            let written = match block {
                Block::Paragraph(p) => paragraph(p, ctx, None, out),
                Block::List(list) => list.items.iter().all(|item| {
                    item.paragraphs.iter().enumerate().all(|(i, p)| {
                        let label = (i == 0).then_some(item.label.as_str());
                        paragraph(p, ctx, label, out)
                    })
                }),
                _ => false,
            };
            if !written {
                out.truncate(start);
                return false;
            }
        }
        // A cell must end with a paragraph (Word refuses it otherwise).
        if out.len() == paragraphs_at {
            empty_paragraph(out, keep, size);
        }
        out.extend_from_slice(b"</w:tc>");
    }
    out.extend_from_slice(b"</w:tr>");
    true
}

/// The row's cells hold only paragraphs and lists whose paragraphs have
/// no rule below (the only paragraph property not written here).
fn simple_row(row: &Row, r: usize, slots: &[Slot]) -> bool {
    slots.iter().filter(|s| !s.continued).all(|s| {
        s.row == r
            && row.cells.get(s.cell).is_some_and(|cell| {
                cell.blocks.iter().all(|b| match b {
                    Block::Paragraph(p) => !p.rule_below,
                    Block::List(l) => l
                        .items
                        .iter()
                        .flat_map(|i| &i.paragraphs)
                        .all(|p| !p.rule_below),
                    _ => false,
                })
            })
    })
}

/// An empty paragraph of the table's size (a cell's continuation).
fn empty_paragraph(out: &mut Vec<u8>, keep: bool, size: usize) {
    out.extend_from_slice(b"<w:p><w:pPr>");
    if keep {
        out.extend_from_slice(b"<w:keepNext/>");
    }
    size_properties(out, size);
    out.extend_from_slice(b"</w:pPr></w:p>");
}

/// `<w:rPr>` with the size alone.
fn size_properties(out: &mut Vec<u8>, size: usize) {
    out.extend_from_slice(b"<w:rPr>");
    size_elements(out, size);
    out.extend_from_slice(b"</w:rPr>");
}

fn size_elements(out: &mut Vec<u8>, size: usize) {
    out.extend_from_slice(b"<w:sz w:val=\"");
    push_int(out, size as i64);
    out.extend_from_slice(b"\"/><w:szCs w:val=\"");
    push_int(out, size as i64);
    out.extend_from_slice(b"\"/>");
}

/// A paragraph as [`super::paragraph`] builds it (with no shift); `false`,
/// having written nothing, when it has a rule below or the PDF breaks a
/// word of it at soft hyphens (left to docx-rs, as are the marks that go
/// with them).
pub(super) fn paragraph(p: &Paragraph, ctx: Ctx, label: Option<&str>, out: &mut Vec<u8>) -> bool {
    // The rule below is docx-rs's to write.
    if p.rule_below {
        return false;
    }
    let size_pt = p.size_pt.unwrap_or(ctx.size_pt);
    let size = half_points(size_pt);
    if let Some(cell_mm) = ctx.cell_mm.filter(|_| !p.hyphenated()) {
        let soft = p.runs.iter().any(|r| match r {
            Inline::Text { text, style } if !style.nohyphen => {
                crate::pdf::soft_hyphens(text, *style, size_pt, cell_mm, p).is_some()
            }
            _ => false,
        });
        if soft {
            return false;
        }
    }
    out.extend_from_slice(b"<w:p><w:pPr>");
    if !p.hyphenated() {
        out.extend_from_slice(b"<w:pStyle w:val=\"");
        out.extend_from_slice(package::REQUISITE_STYLE.as_bytes());
        out.extend_from_slice(b"\"/>");
    }
    if p.keep_with_next {
        out.extend_from_slice(b"<w:keepNext/>");
    }
    out.extend_from_slice(b"<w:spacing w:before=\"");
    push_int(out, pt_to_twips(p.space_before_pt) as i64);
    out.extend_from_slice(b"\" w:after=\"");
    push_int(out, pt_to_twips(p.space_after_pt) as i64);
    out.extend_from_slice(b"\" w:line=\"240\" w:lineRule=\"auto\"/>");
    let first = mm_to_twips(p.first_line_mm);
    let left = mm_to_twips(p.left_mm);
    let right = p
        .width_mm
        .map_or(0, |w| (ctx.width - left - mm_to_twips(w)).max(0));
    if left != 0 || first != 0 || right != 0 {
        out.extend_from_slice(b"<w:ind w:left=\"");
        push_int(out, left as i64);
        out.extend_from_slice(b"\" w:right=\"");
        push_int(out, right as i64);
        if first > 0 {
            out.extend_from_slice(b"\" w:firstLine=\"");
            push_int(out, first as i64);
        } else if first < 0 {
            out.extend_from_slice(b"\" w:hanging=\"");
            push_int(out, -(first as i64));
        }
        out.extend_from_slice(b"\"/>");
    }
    out.extend_from_slice(match p.align {
        Align::Left => b"<w:jc w:val=\"left\"/>".as_slice(),
        Align::Center => b"<w:jc w:val=\"center\"/>",
        Align::Right => b"<w:jc w:val=\"right\"/>",
        Align::Justify => b"<w:jc w:val=\"both\"/>",
    });
    size_properties(out, size);
    out.extend_from_slice(b"</w:pPr>");
    if let Some(label) = label {
        out.extend_from_slice(b"<w:r>");
        size_properties(out, size);
        text(out, &format!("{label} "));
        out.extend_from_slice(b"</w:r>");
    }
    for run in &p.runs {
        match run {
            Inline::Text { text: t, style } => {
                for (piece, long) in long_words(t) {
                    styled_run(out, piece, *style, long || style.nohyphen, size);
                }
            }
            Inline::LineBreak => {
                out.extend_from_slice(b"<w:r>");
                size_properties(out, size);
                out.extend_from_slice(b"<w:br w:type=\"textWrapping\"/></w:r>");
            }
        }
    }
    out.extend_from_slice(b"</w:p>");
    true
}

/// A run of one style, as [`super::styled_run`] builds it.
fn styled_run(out: &mut Vec<u8>, piece: &str, style: RunStyle, whole: bool, size: usize) {
    out.extend_from_slice(b"<w:r><w:rPr>");
    if whole {
        out.extend_from_slice(b"<w:rStyle w:val=\"");
        out.extend_from_slice(package::LONG_WORD_STYLE.as_bytes());
        out.extend_from_slice(b"\"/>");
    }
    if style.bold {
        out.extend_from_slice(b"<w:b/><w:bCs/>");
    }
    if style.italic {
        out.extend_from_slice(b"<w:i/><w:iCs/>");
    }
    if style.spaced {
        out.extend_from_slice(b"<w:spacing w:val=\"");
        push_int(out, SPACED_TWIPS as i64);
        out.extend_from_slice(b"\"/>");
    }
    size_elements(out, size);
    if style.underline {
        out.extend_from_slice(b"<w:u w:val=\"single\"/>");
    }
    out.extend_from_slice(b"</w:rPr>");
    text(out, piece);
    out.extend_from_slice(b"</w:r>");
}

/// A run's text as [`super::add_text`] splits it: a word joiner after a
/// bound dash, `w:br` and `w:tab` for line breaks and tabs, other
/// control characters dropped.
fn text(out: &mut Vec<u8>, text: &str) {
    if plain(text) {
        out.extend_from_slice(b"<w:t xml:space=\"preserve\">");
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(b"</w:t>");
        return;
    }
    if !text.chars().any(char::is_control) && !text.contains(['–', '-']) {
        text_element(out, text);
        return;
    }
    let mut piece = String::new();
    let mut chars = text.chars().peekable();
    let mut prev = None;
    while let Some(c) = chars.next() {
        let bound = prev.is_some_and(|p| crate::document::bound_dash(p, c, chars.peek().copied()));
        prev = Some(c);
        if bound {
            piece.push(c);
            text_element(out, &piece);
            piece.clear();
            out.extend_from_slice(b"<w:sym w:font=\"");
            out.extend_from_slice(WORD_JOINER_FONT.as_bytes());
            out.extend_from_slice(b"\" w:char=\"2060\"/>");
            continue;
        }
        match c {
            '\n' | '\t' => {
                if !piece.is_empty() {
                    text_element(out, &piece);
                    piece.clear();
                }
                out.extend_from_slice(if c == '\n' {
                    b"<w:br w:type=\"textWrapping\"/>".as_slice()
                } else {
                    b"<w:tab/>"
                });
            }
            c if c.is_control() => {}
            c => piece.push(c),
        }
    }
    if !piece.is_empty() {
        text_element(out, &piece);
    }
}

/// The text has no control character, no dash and no character XML
/// escapes: it is written as it is. Looked at byte by byte: a C1 control
/// (U+0080–U+009F) is 0xC2 followed by 0x80–0x9F, the en dash 0xE2 0x80
/// 0x93.
fn plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| match b {
        0..0x20 | 0x7F | b'&' | b'<' | b'>' | b'"' | b'\'' | b'-' => false,
        0xC2 => bytes.get(i + 1).is_some_and(|&n| n >= 0xA0),
        0xE2 => bytes.get(i + 1..i + 3) != Some(&[0x80, 0x93]),
        _ => true,
    })
}

/// `<w:t>`, its text escaped as docx-rs escapes it.
fn text_element(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(b"<w:t xml:space=\"preserve\">");
    let bytes = text.as_bytes();
    let mut done = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&apos;",
            _ => continue,
        };
        out.extend_from_slice(&bytes[done..i]);
        out.extend_from_slice(escaped);
        done = i + 1;
    }
    out.extend_from_slice(&bytes[done..]);
    out.extend_from_slice(b"</w:t>");
}

/// A decimal integer (itoa: `write!` costs more than the row around it).
fn push_int(out: &mut Vec<u8>, n: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::plain;

    /// `plain` is the character by character test, byte by byte.
    #[test]
    fn plain_text_is_told_by_its_bytes() {
        let chars = (0u32..0x300)
            .chain(0x400..0x460)
            .chain(0x2000..0x2130)
            .filter_map(char::from_u32);
        for c in chars {
            for text in [c.to_string(), format!("а{c}б"), format!("{c}{c}")] {
                let slow = !text.chars().any(char::is_control)
                    && !text.contains(['–', '-', '&', '<', '>', '"', '\'']);
                assert_eq!(plain(&text), slow, "U+{:04X}", c as u32);
            }
        }
    }
}
