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
use crate::document::{Block, Document, Row, StoredRows, Table};
use crate::markup::{MAX_ELEMENTS, MarkupError};
use crate::view::{TableRowView, View, view_tables};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// A table with at least this many rows is rendered in slices.
const LONG: usize = 512;

/// Rows in a slice (more when a `rowspan` would cross its end).
const SLICE: usize = 256;

/// A table with at least this many rows has its body rows stored
/// compressed ([`StoredRows`]) rather than kept as a tree.
pub(super) use crate::document::STORED_FROM;

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
    /// what the caller would call on the whole markup, `parse_rows` the
    /// same for the slices' markup, which names no picture. While a core
    /// is idle, each slice is parsed on a second thread while the next
    /// one is rendered here: the 7000-row roadmap's 245 M instructions of
    /// parsing leave the thread that lays it out.
    pub fn render_in_pieces(
        &self,
        mut view: View,
        parse: &dyn Fn(&str) -> Result<Document, MarkupError>,
        parse_rows: &(dyn Fn(&str) -> Result<Document, MarkupError> + Sync),
    ) -> InPieces {
        let long = view_tables(&mut view).any(|(t, _)| t.rows.len() >= LONG);
        if !long || self.thread() != Thread::Calling {
            return InPieces::Whole(Box::new(view));
        }
        // The time limit bounds the template's renders, as for a whole
        // render: the slices' renders are added up, their parsing is not.
        let mut rendering = self.limits.time;
        // Every table in the order the templates print them (a protocol's
        // appendices, then an act's), the long ones' rows taken out.
        let held: Vec<Option<Held>> = view_tables(&mut view)
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
        // The model the view was built from is gone (`build::read_model`).
        crate::memory::long_document_stage_done();
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
        let rendered = std::thread::scope(|scope| {
            let mut parser = SliceParser::start(scope, parse_rows);
            for (table, held) in parsed.iter_mut().zip(held) {
                let Some(mut held) = held else { continue };
                // Parsed without its rows: only its header rows.
                if table.columns_mm.len() != held.widths.len()
                    || !table.rows.iter().all(|r| r.header)
                {
                    return None;
                }
                // The rows are stored compressed as they come, while they
                // all hold text ([`StoredRows`]); a slice that does not
                // puts the table's rows back in the tree.
                let mut storing =
                    held.rows.len() >= self.stored_from && StoredRows::holds(&table.rows);
                if !storing {
                    table.rows.reserve(held.rows.len());
                }
                let mut append = |piece: Result<Document, MarkupError>| -> Option<()> {
                    let piece = piece.ok()?;
                    // A table too wide is narrowed with a warning, which the
                    // whole parse said already; any other one is unexpected.
                    extra_warnings |= piece.warnings.iter().any(|w| !said.contains(w));
                    let rows = rows_of(piece)?;
                    storing &= StoredRows::holds(&rows);
                    if storing {
                        table
                            .stored
                            .get_or_insert_with(Default::default)
                            .push(&rows);
                    } else {
                        table.restore_rows();
                        table.rows.extend(rows);
                    }
                    Some(())
                };
                let mut given_back = crate::memory::RowsGivenBack::for_table(held.rows.len());
                // Taken a slice at a time from the front, the rest never
                // moved.
                let mut rows = std::mem::take(&mut held.rows).into_iter();
                while !rows.as_slice().is_empty() {
                    let end = slice_end(rows.as_slice());
                    let slice: Vec<TableRowView> = rows.by_ref().take(end).collect();
                    let context = super::context::slice_context(
                        held.orientation,
                        &held.widths,
                        held.numbered,
                        &slice,
                    )
                    .ok()?;
                    drop(slice);
                    if let Some(given_back) = &mut given_back {
                        given_back.converted(end);
                    }
                    let limits = Limits {
                        output_bytes: self.limits.output_bytes,
                        time: rendering,
                    };
                    let started = Instant::now();
                    let markup = bounded_render(
                        tera.clone(),
                        ROWS_TEMPLATE,
                        context,
                        people.clone(),
                        limits,
                        Thread::Calling,
                    )
                    .ok()?;
                    rendering = rendering.saturating_sub(started.elapsed());
                    bytes += rows_bytes(&markup)?;
                    // The slice's own <document>, <section> and <table>.
                    elements += elements_in(&markup).saturating_sub(3);
                    if bytes > self.limits.output_bytes || elements > MAX_ELEMENTS {
                        return None;
                    }
                    match &mut parser {
                        Some(parser) => {
                            parser.send(markup)?;
                            if parser.waiting >= SLICES_AHEAD {
                                append(parser.next_parsed()?)?;
                            }
                        }
                        None => append(parse_rows(&markup))?,
                    }
                }
                if let Some(parser) = &mut parser {
                    while parser.waiting > 0 {
                        append(parser.next_parsed()?)?;
                    }
                }
            }
            Some(())
        });
        if rendered.is_none() {
            return InPieces::Again;
        }
        drop(parsed);
        if extra_warnings {
            return InPieces::Again;
        }
        InPieces::Document(document)
    }
}

/// What parses a slice's markup: [`crate::markup::parse_for`] with no
/// pictures to read. Shared with the thread that parses the slices.
type RowsParser<'a> = dyn Fn(&str) -> Result<Document, MarkupError> + Sync + 'a;

/// Parses slices on a second thread, in the order they are sent, while
/// the next one is rendered; at most [`SLICES_AHEAD`] slices wait.
struct SliceParser {
    to_parser: std::sync::mpsc::SyncSender<String>,
    parsed: std::sync::mpsc::Receiver<Result<Document, MarkupError>>,
    /// Slices sent and not yet taken back.
    waiting: usize,
}

/// Slices rendered and not yet taken back parsed.
const SLICES_AHEAD: usize = 2;

impl SliceParser {
    /// The parsing thread, when a core is idle and a thread can be had.
    fn start<'scope, 'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        parse_rows: &'env RowsParser<'env>,
    ) -> Option<SliceParser> {
        if !crate::threads::core_idle() {
            return None;
        }
        let (to_parser, markups) = std::sync::mpsc::sync_channel::<String>(SLICES_AHEAD);
        let (to_main, parsed) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("markup-slices".into())
            .spawn_scoped(scope, move || {
                let _busy = crate::threads::Busy::enter();
                for markup in markups {
                    if to_main.send(parse_rows(&markup)).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(SliceParser {
            to_parser,
            parsed,
            waiting: 0,
        })
    }

    /// Sends a slice's markup to be parsed; `None` when the thread has
    /// stopped.
    fn send(&mut self, markup: String) -> Option<()> {
        self.to_parser.send(markup).ok()?;
        self.waiting += 1;
        Some(())
    }

    /// The oldest slice waiting, once parsed; `None` when the thread has
    /// stopped.
    fn next_parsed(&mut self) -> Option<Result<Document, MarkupError>> {
        let piece = self.parsed.recv().ok()?;
        self.waiting -= 1;
        Some(piece)
    }
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

    /// `text` rendered whole, and in pieces with the rows of tables of
    /// `stored_from` rows and more stored (then put back in the tree).
    fn whole_and_in_pieces(text: &str, stored_from: usize) -> (Document, InPieces) {
        let templates = Templates::load_for_documents(None)
            .unwrap()
            .storing_rows_from(stored_from);
        let model = crate::model::load_text(Path::new("plan.toml"), text, &Access::new(None))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let no_files = |_: &str| Err(std::io::Error::other("no files"));
        let markup = templates.render_view(crate::view::build(&model)).unwrap();
        let whole = crate::markup::parse(&markup, &no_files).unwrap();
        let parse = |m: &str| crate::markup::parse(m, &no_files);
        let pieces = match templates.render_in_pieces(crate::view::build(&model), &parse, &parse) {
            InPieces::Document(mut document) => {
                let stored = restore_rows(&mut document);
                assert_eq!(stored, stored_from < usize::MAX, "rows stored");
                InPieces::Document(document)
            }
            other => other,
        };
        (whole, pieces)
    }

    /// `document` with its tables' stored rows back in the tree; true
    /// when a table had stored rows.
    fn restore_rows(document: &mut Document) -> bool {
        let mut stored = false;
        for block in document.sections.iter_mut().flat_map(|s| &mut s.blocks) {
            if let Block::Table(t) = block {
                stored |= t.stored.is_some();
                t.restore_rows();
            }
        }
        stored
    }

    /// Rendered and parsed a slice of rows at a time, a long table gives
    /// the document a whole render gives: section rows, numbers, cells
    /// merged down across where a slice would end, lists in cells, a
    /// second table narrowed with its warning.
    #[test]
    fn a_long_table_in_pieces_is_the_whole_one() {
        for (lead, stored_from) in [(0, usize::MAX), (1, usize::MAX), (2, usize::MAX), (1, 1)] {
            let (whole, pieces) = whole_and_in_pieces(&long_plan(300, lead), stored_from);
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
        let pieces = templates.render_in_pieces(crate::view::build(&model), &parse, &parse);
        assert!(matches!(pieces, InPieces::Again));
        let whole = templates.render_view(crate::view::build(&model));
        assert!(whole.unwrap_err().message.contains("вывод превысил"));
    }

    /// A short table is rendered whole.
    #[test]
    fn a_short_table_is_rendered_whole() {
        let (_, pieces) = whole_and_in_pieces(include_str!("../starters/plan.toml"), usize::MAX);
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
