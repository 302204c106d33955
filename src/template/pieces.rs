//! A long table rendered and parsed a slice of rows at a time.
//!
//! A 7000-row roadmap rendered whole holds its Tera context (about 4.6 KB
//! a row), then its markup (8 MB) and the markup's XML tree at once, and
//! they made most of the build's peak memory. With the built-in
//! templates in force, the rows of a long table are taken out of the view
//! before the render; the document is rendered and parsed without them,
//! and each slice of rows is then rendered by the built-in `table`
//! component alone, parsed, and its rows appended to the table parsed
//! before: the context, the markup and the tree of one slice are alive at
//! a time, and each slice's rows of the view are freed once rendered.
//!
//! The document is the same as a whole render's: the rows' markup is what
//! the same component prints for them (a row's markup depends on that row
//! and the table's widths only), and a slice never ends inside a cell's
//! `rowspan`, so each row parses as it would in the whole table. Anything
//! unexpected (a template error, a markup error, a warning a whole parse
//! would not give, the limits on the output's size or elements) gives
//! [`InPieces::Again`]: the caller renders the document whole, as before,
//! and reports what that render says, with the same words and lines.

use super::{COMPONENTS, Limits, Source, Templates, Thread, bounded_render, parse};
use crate::document::{Block, Document, Row, Table};
use crate::markup::{MAX_ELEMENTS, MarkupError};
use crate::view::{BlockView, TableRowView, View};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// A table with at least this many rows is rendered in slices.
const LONG: usize = 512;

/// Rows in a slice (more when a `rowspan` would cross its end).
const SLICE: usize = 256;

/// The template that renders a slice of rows: the built-in `table`
/// component in a section of the table's orientation.
const ROWS_TEMPLATE: &str = "rows.xml";
const ROWS_SOURCE: &str = "<document><section orientation=\"{{ orientation }}\">{{ <table t={t}/> }}</section></document>";

/// What [`Templates::render_in_pieces`] did.
pub enum InPieces {
    /// Nothing: no table is long, or a template is the user's. The view,
    /// to render whole.
    Whole(Box<View>),
    /// The document, parsed.
    Document(Document),
    /// A render or parse in pieces failed, or went past a limit: the
    /// document is to be read again and rendered whole, which reports it.
    Again,
}

/// A long table's rows, taken out of the view.
struct Held {
    rows: Vec<TableRowView>,
    widths: Vec<f64>,
    numbered: bool,
    orientation: &'static str,
}

/// The built-in components with [`ROWS_TEMPLATE`], parsed once a process
/// needs them.
static ROWS: OnceLock<Option<Arc<tera::Tera>>> = OnceLock::new();

fn rows_tera() -> Option<Arc<tera::Tera>> {
    ROWS.get_or_init(|| {
        let builtin = |name: &str, text: &str| Source {
            name: name.to_owned(),
            text: text.to_owned(),
            file: None,
        };
        let components = super::BUILTIN.iter().find(|(n, _)| *n == COMPONENTS)?;
        let sources = [
            builtin(components.0, components.1),
            builtin(ROWS_TEMPLATE, ROWS_SOURCE),
        ];
        parse(&sources.iter().collect::<Vec<_>>())
            .ok()
            .map(Arc::new)
    })
    .clone()
}

impl Templates {
    /// Renders a view and parses its markup with `parse`, the rows of its
    /// long tables a slice at a time (see the module's note); `parse` is
    /// what the caller would call on the whole markup.
    pub fn render_in_pieces(
        &self,
        mut view: View,
        parse: &dyn Fn(&str) -> Result<Document, MarkupError>,
    ) -> InPieces {
        let long = tables(&mut view).any(|(t, _)| t.rows.len() >= LONG);
        if !long || self.thread() != Thread::Calling {
            return InPieces::Whole(Box::new(view));
        }
        // The time limit bounds the template's renders, as for a whole
        // render: the slices' renders are added up, their parsing is not.
        let mut rendering = self.limits.time;
        // Every table in the order the templates print them (a protocol's
        // appendices, then an act's), the long ones' rows taken out.
        let held: Vec<Option<Held>> = tables(&mut view)
            .map(|(t, orientation)| {
                (t.rows.len() >= LONG).then(|| Held {
                    rows: std::mem::take(&mut t.rows),
                    widths: t.widths.clone(),
                    numbered: t.numbered,
                    orientation,
                })
            })
            .collect();
        let people = view.people.clone();
        let started = Instant::now();
        let Ok(markup) = self.render_view(view) else {
            return InPieces::Again;
        };
        rendering = rendering.saturating_sub(started.elapsed());
        let mut bytes = markup.len();
        let mut elements = elements_in(&markup);
        let Ok(mut document) = parse(&markup) else {
            return InPieces::Again;
        };
        drop(markup);
        let Some(tera) = rows_tera() else {
            return InPieces::Again;
        };
        let mut parsed: Vec<&mut Table> = (document.sections.iter_mut())
            .flat_map(|s| s.blocks.iter_mut())
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        if parsed.len() != held.len() {
            return InPieces::Again;
        }
        let said = document.warnings.clone();
        let mut extra_warnings = false;
        for (table, held) in parsed.iter_mut().zip(held) {
            let Some(mut held) = held else { continue };
            // Parsed without its rows: only its header rows.
            if table.columns_mm.len() != held.widths.len() || !table.rows.iter().all(|r| r.header) {
                return InPieces::Again;
            }
            table.rows.reserve(held.rows.len());
            while !held.rows.is_empty() {
                let end = slice_end(&held.rows);
                let rest = held.rows.split_off(end);
                let slice = std::mem::replace(&mut held.rows, rest);
                let Ok(context) = super::context::slice_context(
                    held.orientation,
                    &held.widths,
                    held.numbered,
                    &slice,
                ) else {
                    return InPieces::Again;
                };
                drop(slice);
                let limits = Limits {
                    output_bytes: self.limits.output_bytes,
                    time: rendering,
                };
                let started = Instant::now();
                let Ok(markup) = bounded_render(
                    tera.clone(),
                    ROWS_TEMPLATE,
                    context,
                    people.clone(),
                    limits,
                    Thread::Calling,
                ) else {
                    return InPieces::Again;
                };
                rendering = rendering.saturating_sub(started.elapsed());
                let Some(rows_bytes) = rows_bytes(&markup) else {
                    return InPieces::Again;
                };
                bytes += rows_bytes;
                // The slice's own <document>, <section> and <table>.
                elements += elements_in(&markup).saturating_sub(3);
                if bytes > self.limits.output_bytes || elements > MAX_ELEMENTS {
                    return InPieces::Again;
                }
                let Ok(piece) = parse(&markup) else {
                    return InPieces::Again;
                };
                drop(markup);
                // A table too wide is narrowed with a warning, which the
                // whole parse said already; any other one is unexpected.
                extra_warnings |= piece.warnings.iter().any(|w| !said.contains(w));
                let Some(rows) = rows_of(piece) else {
                    return InPieces::Again;
                };
                table.rows.extend(rows);
            }
        }
        drop(parsed);
        if extra_warnings {
            return InPieces::Again;
        }
        InPieces::Document(document)
    }
}

/// The tables of a view's appendices, each with its appendix's
/// orientation, in the order the templates print them.
fn tables(view: &mut View) -> impl Iterator<Item = (&mut crate::view::TableView, &'static str)> {
    let appendices = (view.protocol.iter_mut()).flat_map(|p| p.appendices.iter_mut());
    let appendices = appendices.chain(view.act.iter_mut().flat_map(|a| a.appendices.iter_mut()));
    appendices.flat_map(|appendix| {
        let orientation = appendix.orientation;
        appendix
            .body
            .iter_mut()
            .filter_map(move |block| match block {
                BlockView::Table(t) => Some((t, orientation)),
                _ => None,
            })
    })
}

/// Where the first slice of `rows` ends: after [`SLICE`] rows, or later,
/// past the last row a cell of the slice spans to.
fn slice_end(rows: &[TableRowView]) -> usize {
    let mut covered_to = 0;
    for (i, row) in rows.iter().enumerate() {
        if i >= SLICE && i >= covered_to {
            return i;
        }
        for cell in &row.cells {
            covered_to = covered_to.max(i + cell.rows.max(1));
        }
    }
    rows.len()
}

/// The elements of markup the built-in templates print (no comments, no
/// processing instructions, every `<` of the text escaped): its start
/// tags.
fn elements_in(markup: &str) -> usize {
    let bytes = markup.as_bytes();
    memchr::memchr_iter(b'<', bytes)
        .filter(|&at| bytes.get(at + 1) != Some(&b'/'))
        .count()
}

/// Bytes of a slice's markup that a whole render prints too: its rows,
/// from the end of the `<table …>` tag to the line of `</table>`.
fn rows_bytes(markup: &str) -> Option<usize> {
    let table = markup.find("<table")?;
    let start = table + markup[table..].find('>')? + 1;
    let end = markup.rfind("\n</table>")?;
    end.checked_sub(start)
}

/// The rows a slice's document holds: its one section's one table's.
fn rows_of(piece: Document) -> Option<Vec<Row>> {
    let mut sections = piece.sections.into_iter();
    let section = sections.next()?;
    if sections.next().is_some() || section.blocks.len() != 1 {
        return None;
    }
    match section.blocks.into_iter().next()? {
        Block::Table(t) if t.rows.iter().all(|r| !r.header) => Some(t.rows),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Access;
    use std::path::Path;

    /// The plan starter with its table's rows repeated `copies` times
    /// after `lead` plain rows, and a second long table, in a landscape
    /// appendix, with lists in its cells.
    fn long_plan(copies: usize, lead: usize) -> String {
        let starter = include_str!("../starters/plan.toml");
        let at = starter.find("[[appendix.table.row]]").unwrap();
        let (head, rows) = starter.split_at(at);
        let plain =
            "[[appendix.table.row]]\ncells = [\"Работа\", \"май 2025 г.\", \"Иванов И.И.\"]\n";
        let mut text = head.to_owned();
        text.push_str(&plain.repeat(lead));
        text.push_str(&rows.repeat(copies));
        text.push_str(
            "\n[[appendix]]\ntitle = \"Второй план\"\norientation = \"landscape\"\n\
             [appendix.table]\ncolumns = [{ title = \"№\", width = 15, numbered = true }, \
             { title = \"Что\", width = 200 }, { title = \"Когда\", width = 100 }]\n",
        );
        let row = "[[appendix.table.row]]\ncells = [\"Сделать - и «проверить»:\\n- раз;\\n- два\", \
                   [\"Один\", \"Два\"]]\n";
        text.push_str(&row.repeat(600));
        text
    }

    fn whole_and_in_pieces(text: &str) -> (Document, InPieces) {
        let templates = Templates::load_for_documents(None).unwrap();
        let model = crate::model::load_text(Path::new("plan.toml"), text, &Access::new(None))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let no_files = |_: &str| Err(std::io::Error::other("no files"));
        let markup = templates.render_view(crate::view::build(&model)).unwrap();
        let whole = crate::markup::parse(&markup, &no_files).unwrap();
        let parse = |m: &str| crate::markup::parse(m, &no_files);
        let pieces = templates.render_in_pieces(crate::view::build(&model), &parse);
        (whole, pieces)
    }

    /// Rendered and parsed a slice of rows at a time, a long table gives
    /// the document a whole render gives: section rows, numbers, cells
    /// merged down across where a slice would end, lists in cells, a
    /// second table narrowed with its warning.
    #[test]
    fn a_long_table_in_pieces_is_the_whole_one() {
        for lead in 0..3 {
            let (whole, pieces) = whole_and_in_pieces(&long_plan(300, lead));
            let InPieces::Document(pieces) = pieces else {
                panic!("not rendered in pieces");
            };
            assert!(whole == pieces, "lead {lead}: the documents differ");
            let tree = format!("{whole:?}");
            assert!(tree.contains("rowspan: 2") && tree.contains("List(List"));
        }
    }

    /// Past the limit on the output's size, counted over all the slices,
    /// the render in pieces gives up: the whole render reports it.
    #[test]
    fn past_a_limit_the_document_is_rendered_whole_again() {
        let limits = Limits {
            output_bytes: 256 << 10,
            time: std::time::Duration::from_secs(10),
        };
        let templates = Templates::load_for_documents(None)
            .unwrap()
            .with_limits(limits);
        let text = long_plan(300, 0);
        let model = crate::model::load_text(Path::new("plan.toml"), &text, &Access::new(None))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let no_files = |_: &str| Err(std::io::Error::other("no files"));
        let parse = |m: &str| crate::markup::parse(m, &no_files);
        let pieces = templates.render_in_pieces(crate::view::build(&model), &parse);
        assert!(matches!(pieces, InPieces::Again));
        let whole = templates.render_view(crate::view::build(&model));
        assert!(whole.unwrap_err().message.contains("вывод превысил"));
    }

    /// A short table is rendered whole.
    #[test]
    fn a_short_table_is_rendered_whole() {
        let (_, pieces) = whole_and_in_pieces(include_str!("../starters/plan.toml"));
        assert!(matches!(pieces, InPieces::Whole(_)));
    }

    /// A slice ends after [`SLICE`] rows, or past the rows a cell of it
    /// spans to.
    #[test]
    fn a_slice_ends_where_no_cell_spans_across() {
        use crate::view::CellView;
        let row = |span: usize| TableRowView {
            section: None,
            cells: vec![CellView {
                blocks: Vec::new(),
                rows: span,
                center: false,
            }],
        };
        let mut rows: Vec<TableRowView> = (0..600).map(|_| row(1)).collect();
        assert_eq!(slice_end(&rows), SLICE);
        rows[SLICE - 1] = row(3);
        assert_eq!(slice_end(&rows), SLICE + 2);
        assert_eq!(slice_end(&rows[..10]), 10);
    }
}
