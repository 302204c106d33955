//! A long document's table rows read a slice at a time.
//!
//! The toml crate lexes a whole file into tokens and events before it
//! builds its tree: for a 35,000-row roadmap (21 MB) that is over 100 MB
//! at once, for rows that are only kept as [`RawRow`]s. When a long file
//! ends with a run of `[[appendix.table.row]]` (or
//! `[[appendix.body.table.row]]`) tables, the text before them is parsed
//! as a document, and the run is cut into slices of ROWS_PER_SLICE rows
//! ([`LaterRows`]) that the model parses one at a time as it takes the
//! rows ([`RowFeed`]), each row's spans moved to where it stands in the
//! file: the raw rows of the whole table never exist at once (23 MB of
//! the 35,000-row roadmap's, beside the validated rows).
//!
//! Only a file both ways read the same is read so: anything this reading
//! does not expect (an error, a warning of the tree's check, another
//! header among the rows, a table the rows could not be added to) makes
//! [`parse`] give up, and a slice that does not read as expected makes
//! the model give up ([`RowFeed::failed`]); the whole file is then parsed
//! as before, which says what is wrong at the same file, line and column
//! as it always did.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::errors;
use super::raw::{RawDocument, RawRow, RawTable};
use super::source::Source;

/// The header of each row table, the path of the table the rows go to
/// in the document before them, and the header that table must have been
/// opened with (an inline or dotted table cannot take row tables: the
/// whole file's parse says so).
const RUNS: [(&str, Target); 2] = [
    ("[[appendix.table.row]]", Target::AppendixTable),
    ("[[appendix.body.table.row]]", Target::BodyTable),
];

#[derive(Debug, Clone, Copy)]
enum Target {
    /// The last `[[appendix]]`'s `[appendix.table]`.
    AppendixTable,
    /// The last `[[appendix.body]]`'s `[appendix.body.table]`.
    BodyTable,
}

/// Row tables parsed at once: a slice of a roadmap is ~160 KB of text.
const ROWS_PER_SLICE: usize = 256;

/// Files from which this reading is tried: the long documents of
/// [`crate::format::LONG_DOCUMENT_BYTES`].
const LONG_FILE: usize = crate::format::LONG_DOCUMENT_BYTES as usize;

/// The document with its long run of rows, or `None` when the file is not
/// long, has no such run, or anything about it is not as expected (the
/// caller then parses it whole).
pub(super) fn parse(path: &Path, text: &str) -> Option<RawDocument> {
    if text.len() < LONG_FILE
        || errors::raw_control_char(path, text).is_some()
        // The check of the strings' control characters walks the whole
        // tree: left to the whole parse.
        || errors::may_hide_control_characters(text)
    {
        return None;
    }
    let (start, header, target, count) = run_of_rows(text)?;
    let head = &text[..start];
    let tree = DeTable::parse(head).ok()?;
    if !errors::check_tree::<RawDocument>(path, head, &tree).is_empty()
        || !takes_rows(head, tree.get_ref(), target)
    {
        return None;
    }
    let mut raw = RawDocument::deserialize(toml::de::Deserializer::from(tree)).ok()?;
    let table = table_of(&mut raw, target)?;
    let mut slices = Vec::new();
    let mut rest = start;
    while rest < text.len() {
        let end = slice_end(text, rest, header);
        slices.push(rest..end);
        rest = end;
    }
    table.later = Some(LaterRows {
        slices,
        target,
        count,
    });
    Some(raw)
}

/// A long table's rows not parsed yet: where in the file each slice of
/// them is written.
#[derive(Debug, Clone)]
pub struct LaterRows {
    slices: Vec<Range<usize>>,
    target: Target,
    /// How many rows the slices hold.
    pub count: usize,
}

impl LaterRows {
    /// The rows of slice `k` of the file, at their places in the file;
    /// `None` when the slice does not read as expected.
    fn slice(&self, source: &Source, k: usize) -> Option<Vec<Spanned<RawRow>>> {
        let range = self.slices.get(k)?.clone();
        let rows = source.with_text(range.clone(), |text| rows_of(text, self.target))??;
        Some(
            rows.into_iter()
                .map(|row| moved(row, range.start))
                .collect(),
        )
    }
}

/// Where the slices of the rows left for later are in the file, for a
/// table of `from` rows or more ([`crate::document::STORED_FROM`] in a
/// build), whose text is worth keeping compressed
/// ([`super::source::Source`]). Below it the compression costs more than
/// it saves: 2 % more instructions for the 7000-row roadmap, whose peak is
/// in the DOCX, not in the reading.
pub(super) fn slices_to_compress(raw: &RawDocument, from: usize) -> Option<&[Range<usize>]> {
    let appendix = raw.appendix.last()?.get_ref();
    let table = appendix
        .table
        .as_ref()
        .or_else(|| appendix.body.last()?.get_ref().table.as_ref())?;
    let later = table.get_ref().later.as_ref()?;
    (later.count >= from).then_some(&later.slices[..])
}

/// A table's rows one at a time: those parsed with the document, then
/// each slice of the [`LaterRows`] as it is reached.
pub(super) struct RowFeed {
    ready: std::collections::VecDeque<Spanned<RawRow>>,
    later: Option<LaterRows>,
    /// The next slice to parse.
    next: usize,
    /// A slice did not read as expected: the rows stop there, and the
    /// file must be parsed whole to say why.
    pub failed: bool,
}

impl RowFeed {
    pub(super) fn new(rows: Vec<Spanned<RawRow>>, later: Option<LaterRows>) -> RowFeed {
        RowFeed {
            ready: rows.into(),
            later,
            next: 0,
            failed: false,
        }
    }

    /// The next row of the file `source`.
    pub(super) fn next(&mut self, source: &Source) -> Option<Spanned<RawRow>> {
        loop {
            if let Some(row) = self.ready.pop_front() {
                return Some(row);
            }
            if !self.parse_slice(source) {
                return None;
            }
        }
    }

    /// How many of the rows after the one taken last have cells before a
    /// row that has none (a section), counting at most `most`: the rows a
    /// cell of that row may span.
    pub(super) fn cells_ahead(&mut self, most: usize, source: &Source) -> usize {
        let mut n = 0;
        loop {
            while n < most && n < self.ready.len() {
                if self.ready[n].get_ref().cells.is_none() {
                    return n;
                }
                n += 1;
            }
            if n == most || !self.parse_slice(source) {
                return n;
            }
        }
    }

    /// Adds the next slice's rows; false when there is none or it failed.
    fn parse_slice(&mut self, source: &Source) -> bool {
        let Some(later) = &self.later else {
            return false;
        };
        if self.failed || self.next >= later.slices.len() {
            return false;
        }
        match later.slice(source, self.next) {
            Some(rows) => {
                self.ready.extend(rows);
                self.next += 1;
                true
            }
            None => {
                self.failed = true;
                false
            }
        }
    }
}

/// Where the file's final run of row tables starts (at least two slices
/// of them: a short table is not worth it), with their header and how
/// many they are. From
/// there on every line that opens a table is that header, written alone
/// on its line; no other line starts with `[`, even after blanks (an
/// indented header, an array's continuation line: left to the whole
/// parse).
fn run_of_rows(text: &str) -> Option<(usize, &'static str, Target, usize)> {
    let bytes = text.as_bytes();
    // Lines that open a table, from the end: the last one names the run.
    let mut headers = memchr::memmem::rfind_iter(bytes, b"\n[")
        .map(|i| i + 1)
        .chain(bytes.first().is_some_and(|&b| b == b'[').then_some(0));
    let last = headers.next()?;
    let &(header, target) = RUNS.iter().find(|(h, _)| is_line(text, last, h))?;
    let mut start = last;
    for at in headers {
        if !is_line(text, at, header) {
            break;
        }
        start = at;
    }
    let mut count = 0;
    for line in text[start..].split('\n') {
        match line.trim_start_matches([' ', '\t']).as_bytes().first() {
            Some(b'[') if line == header => count += 1,
            Some(b'[') => return None,
            _ => {}
        }
    }
    (count >= 2 * ROWS_PER_SLICE).then_some((start, header, target, count))
}

/// True when the line at `at` is `line` and nothing else.
fn is_line(text: &str, at: usize, line: &str) -> bool {
    text[at..].starts_with(line)
        && matches!(text.as_bytes().get(at + line.len()), None | Some(b'\n'))
}

/// The end of the slice that starts at `from`: before its
/// ROWS_PER_SLICE + 1st row header, or the end of the file.
fn slice_end(text: &str, from: usize, header: &str) -> usize {
    let needle = format!("\n{header}");
    memchr::memmem::find_iter(&text.as_bytes()[from..], needle.as_bytes())
        .map(|i| from + i + 1)
        .filter(|&at| is_line(text, at, header))
        .nth(ROWS_PER_SLICE - 1)
        .unwrap_or(text.len())
}

/// True when the document before the run has the table the rows go to,
/// opened by its own header and without rows yet: then the whole file
/// reads as the document with these rows added.
fn takes_rows(head: &str, root: &DeTable, target: Target) -> bool {
    let Some(appendix) = last_of(head, root, "appendix", "[[appendix]]") else {
        return false;
    };
    let table = match target {
        Target::AppendixTable => own(head, appendix, "table", "[appendix.table]"),
        Target::BodyTable => last_of(head, appendix, "body", "[[appendix.body]]")
            .and_then(|body| own(head, body, "table", "[appendix.body.table]")),
    };
    table.is_some_and(|t| entry(t, "row").is_none())
}

/// The last table of the array of tables under `key`, when it was opened
/// by `header`.
fn last_of<'a, 'i>(
    head: &str,
    parent: &'a DeTable<'i>,
    key: &str,
    header: &str,
) -> Option<&'a DeTable<'i>> {
    let last = entry(parent, key)?.get_ref().as_array()?.last()?;
    opened_by(head, last, header)
}

/// The table under `key`, when it was opened by `header`.
fn own<'a, 'i>(
    head: &str,
    parent: &'a DeTable<'i>,
    key: &str,
    header: &str,
) -> Option<&'a DeTable<'i>> {
    opened_by(head, entry(parent, key)?, header)
}

/// A table's value, when its span is `header`: the span of an inline
/// table is its braces, of a dotted or implied one its key.
fn opened_by<'a, 'i>(
    head: &str,
    value: &'a Spanned<DeValue<'i>>,
    header: &str,
) -> Option<&'a DeTable<'i>> {
    if head.get(value.span()) != Some(header) {
        return None;
    }
    value.get_ref().as_table()
}

fn entry<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

/// The raw table the rows go to.
fn table_of(raw: &mut RawDocument, target: Target) -> Option<&mut RawTable> {
    let appendix = raw.appendix.last_mut()?.get_mut();
    let table = match target {
        Target::AppendixTable => appendix.table.as_mut()?,
        Target::BodyTable => appendix.body.last_mut()?.get_mut().table.as_mut()?,
    };
    Some(table.get_mut())
}

/// A slice of row tables as a file of its own: `appendix` and its `body`
/// are then tables rather than arrays of them. Nothing else may be there.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Slice {
    appendix: SliceAppendix,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SliceAppendix {
    table: Option<SliceTable>,
    body: Option<SliceBody>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SliceBody {
    table: SliceTable,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SliceTable {
    row: Vec<Spanned<RawRow>>,
}

/// The rows of one slice, their spans in the slice.
fn rows_of(slice: &str, target: Target) -> Option<Vec<Spanned<RawRow>>> {
    let tree = DeTable::parse(slice).ok()?;
    let parsed = Slice::deserialize(toml::de::Deserializer::from(tree)).ok()?;
    match (target, parsed.appendix) {
        (
            Target::AppendixTable,
            SliceAppendix {
                table: Some(t),
                body: None,
            },
        ) => Some(t.row),
        (
            Target::BodyTable,
            SliceAppendix {
                table: None,
                body: Some(b),
            },
        ) => Some(b.table.row),
        _ => None,
    }
}

/// A row with its spans moved by `by` bytes: where it is in the file.
fn moved(row: Spanned<RawRow>, by: usize) -> Spanned<RawRow> {
    let span = shifted(row.span(), by);
    let mut row = row.into_inner();
    row.cells = row
        .cells
        .map(|cells| Spanned::new(shifted(cells.span(), by), cells.into_inner()));
    Spanned::new(span, row)
}

fn shifted(span: Range<usize>, by: usize) -> Range<usize> {
    span.start + by..span.end + by
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_toml;

    const HEAD: &str = "kind = \"resolution\"\n\n[organization]\nheader = [\"АДМИНИСТРАЦИЯ\"]\n\n\
        [act]\ndate = 2021-02-10\nnumber = \"1\"\ntitle = \"Об утверждении плана\"\n\n\
        [[point]]\ntext = \"Утвердить план.\"\n\n[[signature]]\nposition = \"Глава\"\nperson = \"Иванов И.И.\"\n\n\
        [[appendix]]\ntitle = \"План\"\n";

    const COLUMNS: &str = "columns = [\n  { title = \"№ п/п\", width = 12, numbered = true },\n  \
        { title = \"Мероприятия\", width = 100 },\n  { title = \"Срок\", width = 58 },\n]\n";

    /// Rows long enough for a file of over a megabyte: plain cells, lines,
    /// a cell spanning rows, section rows.
    fn row(header: &str, i: usize) -> String {
        let filler = "подготовка рекомендаций и обсуждение ".repeat(24);
        match i % 97 {
            0 => format!("\n{header}\nsection = \"Раздел {i}\"\n"),
            5 => format!(
                "\n{header}\ncells = [\"Мероприятие № {i}: {filler}\", {{ text = \"в течение года\", rows = 2 }}]\n"
            ),
            6 => format!("\n{header}\ncells = [[\"строка {i}\", \"вторая\"]]\n"),
            _ => format!("\n{header}\ncells = [\"Мероприятие № {i}: {filler}\", \"до 1 марта\"]\n"),
        }
    }

    fn appendix_table(rows: usize) -> String {
        let mut text = format!("{HEAD}\n[appendix.table]\n{COLUMNS}");
        for i in 0..rows {
            text.push_str(&row("[[appendix.table.row]]", i));
        }
        text
    }

    fn body_table(rows: usize) -> String {
        let mut text = format!("{HEAD}\n[[appendix.body]]\n\n[appendix.body.table]\n{COLUMNS}");
        for i in 0..rows {
            text.push_str(&row("[[appendix.body.table.row]]", i));
        }
        text
    }

    fn path() -> &'static Path {
        Path::new("план.toml")
    }

    /// The document with every slice of its rows parsed, as the model
    /// takes them; `None` when [`parse`] or a slice gives up.
    fn parse_all(text: &str) -> Option<RawDocument> {
        let mut raw = parse(path(), text)?;
        let appendix = raw.appendix.last_mut()?.get_mut();
        let table = match (&mut appendix.table, appendix.body.last_mut()) {
            (Some(t), _) => t.get_mut(),
            (None, Some(b)) => b.get_mut().table.as_mut()?.get_mut(),
            (None, None) => return None,
        };
        let later = table.later.take()?;
        let count = later.count;
        let mut feed = RowFeed::new(std::mem::take(&mut table.row), Some(later));
        let source = Source::whole(text.to_owned());
        while let Some(row) = feed.next(&source) {
            table.row.push(row);
        }
        assert!(feed.failed || table.row.len() == count);
        (!feed.failed).then_some(raw)
    }

    /// Read in slices, as the whole parse reads it: the same rows with
    /// the same spans.
    fn same_as_whole(text: &str) {
        assert!(text.len() >= LONG_FILE, "{} bytes", text.len());
        let sliced = parse_all(text).expect("read in slices");
        let whole: RawDocument = parse_toml(path(), text).expect("valid");
        assert_eq!(format!("{sliced:?}"), format!("{whole:?}"));
    }

    #[test]
    fn rows_read_in_slices_are_the_rows_of_the_whole_parse() {
        same_as_whole(&appendix_table(1300));
        same_as_whole(&body_table(1300));
        // A run whose length is a multiple of the slice, and a comment
        // and blank lines among the rows.
        let mut text = appendix_table(2 * ROWS_PER_SLICE + 700);
        text.push_str("\n# конец\n\n");
        same_as_whole(&text);
    }

    /// Anything the slices do not expect leaves the file to the whole
    /// parse, which reports it as before.
    #[test]
    fn anything_unexpected_is_left_to_the_whole_parse() {
        let long = appendix_table(1300);
        let at_row = |n: usize| {
            let mut from = 0;
            for _ in 0..n {
                from += long[from..].find("\n[[appendix.table.row]]").unwrap() + 1;
            }
            from
        };
        let with = |at: usize, insert: &str| format!("{}{insert}{}", &long[..at], &long[at..]);
        let cases = [
            // A field rows do not have, and a syntax error, in a late slice.
            with(at_row(900), "[[appendix.table.row]]\nbogus = 1\n"),
            with(at_row(900), "[[appendix.table.row]]\ncells = [\"a\"\n"),
            // A header that is not the rows' own among them, even indented.
            with(at_row(600), "  [appendix.table]\n"),
            with(at_row(600), "[appendix.table.row.cells]\n"),
            // Something after the rows.
            format!("{long}\n[[appendix]]\ntitle = \"Второе\"\n"),
            // Rows already in the table before the run.
            long.replacen("[appendix.table]\n", "[appendix.table]\nrow = []\n", 1),
            // A table written inline or with dotted keys cannot take row tables.
            long.replacen(
                &format!("\n[appendix.table]\n{COLUMNS}"),
                &format!("\ntable = {{ {} }}\n", COLUMNS.replace('\n', " ")),
                1,
            ),
            long.replacen(
                &format!("\n[appendix.table]\n{COLUMNS}"),
                "\ntable.columns = []\n",
                1,
            ),
            // An escape in a string: the strings' check walks the whole tree.
            long.replacen("до 1 марта", "до 1\\tмарта", 1),
        ];
        for text in cases {
            assert!(parse_all(&text).is_none());
        }
        // A table too short to be worth it.
        let mut short = appendix_table(400);
        short.push_str(&format!("\n# {}\n", "ы".repeat(LONG_FILE)));
        assert!(parse(path(), &short).is_none());
    }

    /// What reading `text` gives as `load_text` reads it, with the text of
    /// any long table kept compressed (a build does so from 8192 rows on).
    fn read_sliced(text: &str) -> Result<crate::model::Model, crate::diagnostic::Diagnostics> {
        let access = crate::input::Access::for_document(path());
        let text = super::super::decode_source(path(), text.as_bytes().to_vec())?;
        super::super::validate_text_compressing(path(), text, &access, 0)
    }

    /// What reading `text` gives when the whole file is parsed: as
    /// `load_text` reads it (its line ends made LF first), without the
    /// slices.
    fn read_whole(text: &str) -> Result<crate::model::Model, crate::diagnostic::Diagnostics> {
        let access = crate::input::Access::for_document(path());
        let text = super::super::decode_source(path(), text.as_bytes().to_vec())?;
        let raw = parse_toml(path(), &text)?;
        match super::super::validate_raw(path(), text, raw, &access, usize::MAX) {
            super::super::Validated::Read(read) => read,
            super::super::Validated::ParseWhole(_) => panic!("no rows for later"),
        }
    }

    /// The model of a long file read in slices, or what is wrong with it,
    /// is what the whole parse gives: for a cell spanning rows across two
    /// slices, one spanning past a section in the next slice (the message
    /// counts the rows to the section), a late slice that does not parse.
    #[test]
    fn a_model_read_in_slices_is_that_of_the_whole_parse() {
        let header = "[[appendix.table.row]]";
        let table = |rows: usize, changed: &dyn Fn(usize) -> Option<&'static str>| {
            let mut text = format!("{HEAD}\n[appendix.table]\n{COLUMNS}");
            for i in 0..rows {
                match changed(i) {
                    Some(cells) => text.push_str(&format!("\n{header}\ncells = {cells}\n")),
                    None => text.push_str(&row(header, i)),
                }
            }
            text
        };
        // Rows 255, 256 and 257 straddle the first two slices; 291 is a
        // section.
        let across = table(1300, &|i| match i {
            255 => Some("[\"до конца слоя\", { text = \"весь год\", rows = 3 }]"),
            256 | 257 => Some("[\"ниже\"]"),
            _ => None,
        });
        let past_section = table(1300, &|i| match i {
            254 => Some("[\"до раздела\", { text = \"весь год\", rows = 50 }]"),
            _ => None,
        });
        let late_error = table(1300, &|i| (i == 1000).then_some("[\"не закрыта\""));
        for text in [appendix_table(1300), across, past_section, late_error] {
            assert!(parse(path(), &text).is_some(), "read in slices");
            let sliced = read_sliced(&text);
            let whole = read_whole(&text);
            assert_eq!(format!("{sliced:?}"), format!("{whole:?}"));
        }
    }

    /// Whatever a secretary may slip into the rows, the file read in
    /// slices says what the whole parse says: eight files, each with one
    /// of the slips below put before a row of a late slice (chosen by a
    /// fixed sequence, so a failure repeats): an unclosed string, a
    /// bracket, a cell spanning past the table's end, a section, a blank
    /// row table, a lone CR, a comment, a header written twice.
    #[test]
    fn any_slip_in_a_late_row_reads_as_in_the_whole_parse() {
        let long = appendix_table(1300);
        let rows: Vec<usize> = long
            .match_indices("\n[[appendix.table.row]]")
            .map(|(i, _)| i + 1)
            .collect();
        let slips = [
            "[[appendix.table.row]]\ncells = [\"не закрыта, \"до 1 марта\"]\n",
            "[[appendix.table.row]]\ncells = [\"а\", \"б\"\n",
            "[[appendix.table.row]]\ncells = [\"а\", { text = \"весь год\", rows = 4000 }]\n",
            "[[appendix.table.row]]\nsection = \"Раздел среди строк\"\n",
            "[[appendix.table.row]]\n",
            "[[appendix.table.row]]\rcells = [\"а\", \"б\"]\n",
            "# замечание секретаря\n",
            "[[appendix.table.row]]\n[[appendix.table.row]]\ncells = [\"а\", \"б\"]\n",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for (k, slip) in slips.iter().enumerate() {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            // A row past the first slice.
            let at = rows[ROWS_PER_SLICE + (state >> 33) as usize % (rows.len() - ROWS_PER_SLICE)];
            let text = format!("{}{slip}{}", &long[..at], &long[at..]);
            let sliced = read_sliced(&text);
            let whole = read_whole(&text);
            assert_eq!(
                format!("{sliced:?}"),
                format!("{whole:?}"),
                "slip {k} at byte {at}"
            );
        }
    }

    /// A problem the model finds in a row of a late slice is said at the
    /// row's line, as when the file is parsed whole.
    #[test]
    fn a_late_row_is_found_at_its_line() {
        let mut text = appendix_table(1300);
        let late = text.rfind("\n[[appendix.table.row]]").unwrap();
        text.insert_str(
            late,
            "\n[[appendix.table.row]]\ncells = [\"одна ячейка из двух\"]\n",
        );
        let line = text[..late].matches('\n').count() + 3;
        let errors =
            crate::model::load_text(path(), &text, &crate::input::Access::for_document(path()))
                .expect_err("a row with one cell of two");
        let d = &errors.0[0];
        assert_eq!(d.position.map(|p| p.0), Some(line), "{d:?}");
    }
}
