//! A long table's body rows held compressed, a slice at a time.
//!
//! The layout and the DOCX read a table's rows after the whole document
//! is parsed, so a 35,000-row roadmap's rows were alive as a tree for the
//! whole render: about 46 MB (21 MB of text, and around each cell its
//! paragraph, its runs and their vectors), more than anything else the
//! build held. A long table rendered in pieces ([`crate::template`]) has
//! its body rows encoded here instead, a slice at a time as they are
//! parsed (postcard, then raw deflate at level 1), and every reader of
//! the rows decodes one slice at a time as it goes
//! ([`super::Table::row_slices`]). A decoded slice is the slice that was
//! parsed, so every backend writes the bytes it wrote from the tree.
//!
//! The one thing written into rows after the parse, the layout's marks
//! of words never to hyphenate ([`super::KeepWhole`]), is kept beside the
//! slices by where the paragraph stands (its row, and its place among the
//! row's paragraphs) and set on each decoded row.

use std::ops::Range;

use super::charset::CharSet;
use super::{Block, Row};

/// A table with at least this many rows is a long table's: its body rows
/// are stored ([`StoredRows`], by `template::pieces`) and its conversions
/// give memory back as they go ([`crate::memory::RowsGivenBack`]). Below
/// it the tree costs less time than the store and little memory: a
/// 1000-page roadmap (7000 rows) peaks at 37 MB with its tree, and storing
/// its rows (encoding them, then decoding them for the layout and again
/// for the DOCX) costs 7 % more instructions; at 35,000 rows the tree
/// alone was 46 MB.
pub const STORED_FROM: usize = 8192;

/// Raw deflate level of the slices: the fastest. The rows are text for
/// the most part, and are decoded twice or three times (layout, DOCX, a
/// check of the characters), so the compression that costs least both
/// ways is the one worth having.
const LEVEL: u32 = 1;

/// Body rows of a table, compressed a slice at a time, with what the
/// readers that need no rows ask of them: their text, the characters
/// each face draws, how their cells span.
#[derive(Clone, Default, PartialEq)]
pub struct StoredRows {
    slices: Vec<Slice>,
    /// Rows in all the slices.
    rows: usize,
    /// The characters of the rows' text by face (regular, bold, italic,
    /// bold italic), as [`super::Document::styled_text`] gives them.
    faces: [CharSet; 4],
    /// A cell spans rows.
    spans_rows: bool,
    /// The most columns a row's cells take.
    widest: usize,
    /// Words never to hyphenate, by paragraph, in the order the layout
    /// found them: (the row in the table, the paragraph's place among
    /// the row's paragraphs, its characters as [`super::KeepWhole`]
    /// counts them).
    marks: Vec<(usize, usize, Range<usize>)>,
}

/// One slice: its rows encoded and compressed, and its text.
#[derive(Clone, PartialEq)]
struct Slice {
    rows: usize,
    /// Bytes of the encoding before compression.
    encoded: usize,
    compressed: Vec<u8>,
    /// The rows' text as [`super::Document::text_pieces`] gives it,
    /// compressed, and its length.
    text: Vec<u8>,
    text_len: usize,
}

impl std::fmt::Debug for StoredRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredRows")
            .field("rows", &self.rows)
            .field("slices", &self.slices.len())
            .field("marks", &self.marks)
            .finish()
    }
}

impl StoredRows {
    /// True when rows can be stored: their cells hold paragraphs and
    /// lists only, all a text-only table holds in the DOCX, which builds
    /// stored rows a slice at a time with a builder of their own.
    pub fn holds(rows: &[Row]) -> bool {
        rows.iter().flat_map(|r| &r.cells).all(|c| {
            c.blocks
                .iter()
                .all(|b| matches!(b, Block::Paragraph(_) | Block::List(_)))
        })
    }

    /// Appends `rows`, encoded and compressed.
    pub fn push(&mut self, rows: &[Row]) {
        if rows.is_empty() {
            return;
        }
        // Encoding the crate's own types into a Vec cannot fail.
        let encoded = postcard::to_allocvec(rows).unwrap_or_default();
        let mut text = String::new();
        for row in rows {
            debug_assert!(!row.header, "stored rows are body rows");
            self.spans_rows |= row.cells.iter().any(|c| c.rowspan > 1);
            let columns = row.cells.iter().map(|c| c.colspan.max(1)).sum();
            self.widest = self.widest.max(columns);
            for cell in &row.cells {
                super::blocks_text(&cell.blocks, &mut |piece| text.push_str(piece));
                super::blocks_styled(&cell.blocks, &mut |piece, bold, italic| {
                    let face = usize::from(bold) | usize::from(italic) << 1;
                    piece.chars().for_each(|c| self.faces[face].insert(c));
                });
            }
        }
        self.slices.push(Slice {
            rows: rows.len(),
            encoded: encoded.len(),
            compressed: crate::deflate::raw_held(&encoded, LEVEL),
            text_len: text.len(),
            text: crate::deflate::raw_held(text.as_bytes(), LEVEL),
        });
        self.rows += rows.len();
    }

    /// Feeds the rows' text to `out`, as [`super::Document::text_pieces`]
    /// would from the rows, a slice at a time.
    pub(super) fn text_pieces(&self, out: &mut impl FnMut(&str)) {
        for slice in &self.slices {
            let text = crate::deflate::inflate_raw(&slice.text, slice.text_len);
            // This module's own UTF-8, from a String.
            out(std::str::from_utf8(&text).unwrap_or_default());
        }
    }

    /// Feeds the characters of the rows' text to `out` by face, each
    /// once, for [`super::Document::styled_text`].
    pub(super) fn styled_chars(&self, out: &mut impl FnMut(&str, bool, bool)) {
        for (face, chars) in self.faces.iter().enumerate() {
            let chars: String = chars.iter().collect();
            if !chars.is_empty() {
                out(&chars, face & 1 != 0, face & 2 != 0);
            }
        }
    }

    /// True when a cell of the rows spans rows.
    pub fn spans_rows(&self) -> bool {
        self.spans_rows
    }

    /// The most grid columns a row's cells take.
    pub fn widest(&self) -> usize {
        self.widest
    }

    /// Rows held.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True when no row is held.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Each slice decoded, with the index of its first row in the table
    /// (the stored rows come after `first` rows of the table's own), the
    /// marks set on its paragraphs.
    pub(super) fn slices(&self, first: usize) -> impl Iterator<Item = (usize, Vec<Row>)> + '_ {
        let mut at = first;
        let mut marks = self.marks.iter().peekable();
        self.slices.iter().map(move |slice| {
            let mut rows = slice.decode();
            let start = at;
            at += slice.rows;
            while let Some((row, index, chars)) = marks.next_if(|m| m.0 < at) {
                if let Some(row) = row.checked_sub(start).and_then(|r| rows.get_mut(r)) {
                    row.keep_whole_at(*index, chars.clone());
                }
            }
            (start, rows)
        })
    }

    /// Marks the characters `chars` of paragraph `index` of row `row` (in
    /// the table) as never hyphenated. Marks come in the order of the
    /// rows, as the layout finds them.
    pub(super) fn mark(&mut self, row: usize, index: usize, chars: Range<usize>) {
        self.marks.push((row, index, chars));
        // The layout goes through the rows in order; kept sorted anyway,
        // stably, for a caller that does not.
        if self
            .marks
            .windows(2)
            .last()
            .is_some_and(|w| w[0].0 > w[1].0)
        {
            self.marks.sort_by_key(|m| m.0);
        }
    }
}

impl Slice {
    /// The slice's rows. The bytes are this module's own encoding, made
    /// by [`StoredRows::push`] in this process: they always decode.
    fn decode(&self) -> Vec<Row> {
        let encoded = crate::deflate::inflate_raw(&self.compressed, self.encoded);
        match postcard::from_bytes(&encoded) {
            Ok(rows) => rows,
            Err(e) => panic!("a stored slice of table rows does not decode: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{
        Block, Cell, Inline, KeepWhole, List, ListItem, ListKind, Paragraph, RunStyle, Table,
    };

    fn text_cell(text: &str) -> Cell {
        Cell::from_text(text)
    }

    /// Rows of every kind a stored table holds: plain text, bold and
    /// italic runs, a list, a cell spanning two rows and two columns.
    fn rows(n: usize) -> Vec<Row> {
        (0..n)
            .map(|i| {
                let bold = Paragraph {
                    runs: vec![
                        Inline::Text {
                            text: format!("Пункт {i}: "),
                            style: RunStyle {
                                bold: true,
                                ..RunStyle::default()
                            },
                        },
                        Inline::LineBreak,
                        Inline::Text {
                            text: "ε-курсив".into(),
                            style: RunStyle {
                                italic: true,
                                ..RunStyle::default()
                            },
                        },
                    ],
                    ..Paragraph::plain()
                };
                let list = List {
                    kind: ListKind::Bullet,
                    items: vec![ListItem {
                        label: "–".into(),
                        paragraphs: vec![
                            Paragraph::from_text("первый"),
                            Paragraph::from_text("второй"),
                        ],
                    }],
                };
                let mut cells = vec![
                    Cell {
                        colspan: 1,
                        rowspan: 1,
                        blocks: vec![Block::Paragraph(bold), Block::List(list)],
                    },
                    text_cell(&format!("до {i}.09.2027")),
                ];
                if i % 2 == 0 {
                    cells.push(Cell {
                        colspan: 2,
                        rowspan: 2,
                        ..text_cell("Отдел 😀")
                    });
                }
                Row {
                    header: false,
                    cells,
                }
            })
            .collect()
    }

    fn stored(rows: &[Row], slice: usize) -> StoredRows {
        let mut stored = StoredRows::default();
        for chunk in rows.chunks(slice) {
            stored.push(chunk);
        }
        stored
    }

    /// The slices decode to the rows pushed, each with the index of its
    /// first row in the table.
    #[test]
    fn stored_rows_decode_as_pushed() {
        let rows = rows(25);
        let stored = stored(&rows, 10);
        assert_eq!(stored.len(), 25);
        let slices: Vec<(usize, Vec<Row>)> = stored.slices(3).collect();
        assert_eq!(
            slices
                .iter()
                .map(|(first, r)| (*first, r.len()))
                .collect::<Vec<_>>(),
            [(3, 10), (13, 10), (23, 5)]
        );
        let decoded: Vec<Row> = slices.into_iter().flat_map(|(_, r)| r).collect();
        assert!(decoded == rows);
        assert!(stored.spans_rows());
        assert_eq!(stored.widest(), 4);
        assert!(!StoredRows::holds(&[Row {
            header: false,
            cells: vec![Cell {
                colspan: 1,
                rowspan: 1,
                blocks: vec![Block::PageBreak],
            }],
        }]));
    }

    /// The text and the characters by face that the readers ask of the
    /// rows without decoding them are those of the rows.
    #[test]
    fn stored_rows_give_the_text_and_characters_of_the_rows() {
        let rows = rows(30);
        let stored = stored(&rows, 7);
        let mut expected = String::new();
        let mut faces: [std::collections::BTreeSet<char>; 4] = Default::default();
        for cell in rows.iter().flat_map(|r| &r.cells) {
            crate::document::blocks_text(&cell.blocks, &mut |p| expected.push_str(p));
            crate::document::blocks_styled(&cell.blocks, &mut |p, bold, italic| {
                faces[usize::from(bold) | usize::from(italic) << 1].extend(p.chars());
            });
        }
        let mut text = String::new();
        stored.text_pieces(&mut |p| text.push_str(p));
        assert_eq!(text, expected);
        let mut given: [String; 4] = Default::default();
        stored.styled_chars(&mut |chars, bold, italic| {
            given[usize::from(bold) | usize::from(italic) << 1] = chars.to_owned();
        });
        for face in 0..4 {
            assert_eq!(
                given[face],
                faces[face].iter().collect::<String>(),
                "face {face}"
            );
        }
        assert!(given[1].contains('П') && given[2].contains('ε') && given[0].contains('😀'));
    }

    /// A mark set on a stored row's paragraph is on it each time the row
    /// is decoded, and on no other; through the table, by its address.
    #[test]
    fn marks_on_stored_rows_are_set_as_they_are_decoded() {
        let rows = rows(12);
        let mut table = Table::new(vec![30.0, 30.0, 30.0, 30.0], vec![rows[0].clone()]);
        table.stored = Some(Box::new(stored(&rows[1..], 5)));
        let mut doc = crate::document::Document::single_section(
            Default::default(),
            crate::document::Orientation::Portrait,
            vec![Block::Table(table)],
        );
        let Block::Table(table) = &doc.sections[0].blocks[0] else {
            unreachable!()
        };
        // Row 8 of the table: its list's second paragraph («второй»).
        let mark = KeepWhole {
            paragraph: crate::document::ParagraphAt::Stored {
                table: KeepWhole::table_key(table),
                row: 8,
                index: 2,
            },
            chars: 0..3,
        };
        doc.keep_whole(&[mark]);
        for _ in 0..2 {
            let Block::Table(table) = &doc.sections[0].blocks[0] else {
                unreachable!()
            };
            let all: Vec<Row> = table
                .row_slices()
                .flat_map(|(_, r)| r.into_owned())
                .collect();
            for (r, row) in all.iter().enumerate() {
                let Block::List(list) = &row.cells[0].blocks[1] else {
                    unreachable!()
                };
                let runs = &list.items[0].paragraphs[1].runs;
                let kept = runs.iter().any(|run| {
                    matches!(run, Inline::Text { text, style } if style.nohyphen && text == "вто")
                });
                assert_eq!(kept, r == 8, "row {r}: {runs:?}");
            }
        }
    }
}
