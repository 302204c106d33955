//! The `Document` tree: what every backend lays out.
//!
//! It is produced by [`crate::markup::parse`] from the markup a template
//! renders, and consumed by the backends ([`crate::docx`], later PDF and
//! HTML). It holds no layout decisions a backend could disagree on: sizes
//! are in points and millimetres, alignment and indents are explicit, and
//! numbering labels are already computed, so that every backend breaks lines
//! and pages from the same facts.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

pub(crate) mod charset;
mod stored;
pub use stored::{STORED_FROM, StoredRows};

/// Longest word, in letters, that is hyphenated. Russian words stay far
/// below it; a longer run of letters (a pasted hash, a key held down) is
/// cut at the margin instead. The PDF's line breaker stops there (looking
/// the rest of a huge word up at every line made it cubic), and the DOCX
/// marks such a word so that LibreOffice and Word cut it too.
pub const HYPHENATE_MAX_LETTERS: usize = 64;

/// Month names as dates in words write them («27 декабря»): never
/// hyphenated, in either backend (a secretary would not split a date).
const MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// True for a word both backends never hyphenate although it is short: a
/// month of a date in words («де-/кабря» is refused). `word` is its
/// letters only.
pub fn never_hyphenated(word: &str) -> bool {
    // Months are 3–8 letters of two bytes each: a cheap test first.
    (6..=16).contains(&word.len())
        && MONTHS_GENITIVE
            .iter()
            .any(|m| m.len() == word.len() && word.to_lowercase() == *m)
}

/// Characters of one paragraph that no line may hyphenate, found by the
/// PDF's layout: the word a third hyphenated line in a row would have
/// broken ([`HYPHENATED_LINES_IN_A_ROW`]). The PDF's line breaker keeps the
/// limit by itself; the DOCX gets the word as a run never hyphenated
/// ([`Document::keep_whole`]), since LibreOffice reads no such limit.
#[derive(Debug, Clone, PartialEq)]
pub struct KeepWhole {
    /// The paragraph.
    pub paragraph: ParagraphAt,
    /// Its characters, counted as the layout counts them: every character
    /// of its text runs except control characters other than a line break
    /// or a tab, and one for each `<br/>`.
    pub chars: std::ops::Range<usize>,
}

/// Where a paragraph marked by [`KeepWhole`] stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphAt {
    /// Its address in the tree the layout was made from.
    Address(usize),
    /// In the stored rows of a table ([`StoredRows`]), which each reader
    /// decodes anew.
    Stored {
        /// The table's address ([`KeepWhole::table_key`]).
        table: usize,
        /// The row's index in the table.
        row: usize,
        /// The paragraph's place among the row's paragraphs
        /// ([`Row::keep_whole_at`]).
        index: usize,
    },
}

impl KeepWhole {
    /// The key of `p` in [`KeepWhole::paragraph`].
    pub fn key(p: &Paragraph) -> ParagraphAt {
        ParagraphAt::Address(std::ptr::from_ref(p) as usize)
    }

    /// The key of `table` in [`ParagraphAt::Stored`].
    pub fn table_key(table: &Table) -> usize {
        std::ptr::from_ref(table) as usize
    }

    /// Marks of `found` on paragraphs of `rows`, decoded from `table`'s
    /// stored rows, the first of them row `first` of the table, keyed
    /// anew by where the paragraph stands: the rows are dropped once
    /// laid out, and their addresses would mean nothing to the DOCX,
    /// which decodes them again.
    pub fn locate_stored(found: &mut [KeepWhole], table: &Table, first: usize, rows: &mut [Row]) {
        let table = KeepWhole::table_key(table);
        for (r, row) in rows.iter_mut().enumerate() {
            let mut index = 0;
            row.each_paragraph(&mut |p| {
                let at = KeepWhole::key(p);
                for mark in found.iter_mut().filter(|m| m.paragraph == at) {
                    mark.paragraph = ParagraphAt::Stored {
                        table,
                        row: first + r,
                        index,
                    };
                }
                index += 1;
            });
        }
    }
}

/// At most this many hyphenated lines in a row (LAYOUT.md §7): the DOCX's
/// `w:consecutiveHyphenLimit`, which Word honours, and the rule of the
/// PDF's line breaker. LibreOffice 7.4 reads no such limit from a DOCX.
pub const HYPHENATED_LINES_IN_A_ROW: usize = 2;

/// Is the dash `c` between `prev` and `next` one no line may break at?
/// The en dash of a number range («2020–2021») and a hyphen with a digit
/// on one side and a letter or digit on the other («273-ФЗ», «ГИА-9»,
/// «3-12-45»). The PDF's line breaker asks here, and the DOCX puts a word
/// joiner after such a dash, which LibreOffice and Word honour.
pub fn bound_dash(prev: char, c: char, next: Option<char>) -> bool {
    let Some(next) = next else { return false };
    match c {
        '–' => prev.is_ascii_digit() && next.is_ascii_digit(),
        '-' => {
            (prev.is_ascii_digit() && next.is_alphanumeric())
                || (next.is_ascii_digit() && prev.is_alphanumeric())
        }
        _ => false,
    }
}

/// Narrowest column a table may ask for, mm: the cell's padding (2 × 1.9
/// mm) leaves about one letter. The model checks the user's widths
/// against it, the markup a template's.
pub const MIN_COLUMN_MM: f32 = 5.0;

/// Widest column a table may ask for, mm. Far beyond any page (a wider
/// table is narrowed to the text, with a warning), yet small enough that
/// the sum of the widths stays a finite number.
pub const MAX_COLUMN_MM: f32 = 10_000.0;

/// Widest a requisite box (the appendix label, a grif) may be, mm:
/// regional instructions allow 9 cm.
pub const BOX_MAX_MM: f32 = 90.0;

/// A whole document: its metadata, page style and sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Title, author and subject, written into the file's properties.
    pub meta: Meta,
    /// Typeface and sizes shared by the whole document.
    pub style: TextStyle,
    /// Page-number placement.
    pub page_numbers: PageNumbers,
    /// The sections, each with its own orientation and margins.
    pub sections: Vec<Section>,
    /// What the markup asked for and was adjusted to fit, in Russian (a
    /// table wider than the text, narrowed): the build shows them as
    /// warnings.
    pub warnings: Vec<String>,
}

/// The document's properties (core.xml in DOCX, the Info dictionary in PDF).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Meta {
    /// «Протокол № 4 заседания рабочей группы …».
    pub title: String,
    /// The organisation that issues the document.
    pub author: String,
    /// What the document is about.
    pub subject: String,
    /// The document's own date (the meeting, the act), `YYYY-MM-DD`; empty
    /// when unknown. Files carry this date, never the clock's.
    pub date: String,
    /// BCP 47 language tag; always `ru-RU` for now.
    pub language: String,
}

/// Typeface and sizes (LAYOUT.md §2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextStyle {
    /// Font family name the DOCX asks for («Times New Roman»).
    pub font: String,
    /// Body text size, points.
    pub body_pt: f32,
    /// Table text size, points.
    pub table_pt: f32,
}

impl Default for TextStyle {
    fn default() -> Self {
        TextStyle {
            font: "Times New Roman".into(),
            body_pt: 14.0,
            table_pt: 12.0,
        }
    }
}

/// Where page numbers go (LAYOUT.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageNumbers {
    /// No page numbers.
    None,
    /// Centred in the top margin from page 2 on (the ГОСТ rule).
    TopCenterFromSecond,
}

/// Page orientation of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Orientation {
    /// A4 upright, 210 × 297 mm.
    Portrait,
    /// A4 turned, 297 × 210 mm, for wide appendix tables.
    Landscape,
}

impl Orientation {
    /// Page width and height, mm: A4 upright or turned.
    pub fn page_mm(self) -> (f32, f32) {
        match self {
            Orientation::Portrait => (210.0, 297.0),
            Orientation::Landscape => (297.0, 210.0),
        }
    }
}

/// Distance from the page's top edge to the page-number header, mm
/// (LAYOUT.md §3: at least 10 mm): the DOCX's header distance, the PDF's
/// page-number baseline area.
pub const HEADER_DISTANCE_MM: f32 = 12.0;

/// Extra advance after each character of a letter-spaced run, points:
/// «п о с т а н о в л я е т» (the DOCX's 60 twips, the PDF's advance, the
/// HTML's `letter-spacing`).
pub const LETTER_SPACING_PT: f32 = 3.0;

/// Left and right padding of a table cell, mm: Word's default of 108
/// twips (0.19 cm), which LibreOffice reads and the PDF sets.
pub const CELL_PADDING_MM: f32 = 108.0 / 1440.0 * 25.4;

/// Width of a table's rules, points (the DOCX's 4 eighths of a point).
pub const TABLE_RULE_PT: f32 = 0.5;

/// The hyphenation zone, mm: a word that starts closer than this to the
/// end of the line is not hyphenated. The DOCX's `w:hyphenationZone` (357
/// twips, Word's default), which LibreOffice applies to justified text
/// too, and the PDF's line breaker.
pub const HYPHENATION_ZONE_MM: f32 = 357.0 / 1440.0 * 25.4;

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Margins {
    /// Top margin, mm.
    pub top: f32,
    /// Right margin, mm.
    pub right: f32,
    /// Bottom margin, mm.
    pub bottom: f32,
    /// Left margin, mm.
    pub left: f32,
}

impl Margins {
    /// House default for portrait pages: 20/10/20/30 mm (LAYOUT.md §1).
    pub const PORTRAIT: Margins = Margins {
        top: 20.0,
        right: 10.0,
        bottom: 20.0,
        left: 30.0,
    };
    /// House default for landscape pages: 30/20/20/20 mm (LAYOUT.md §1).
    pub const LANDSCAPE: Margins = Margins {
        top: 30.0,
        right: 20.0,
        bottom: 20.0,
        left: 20.0,
    };
}

/// A run of pages with one orientation and margins. A new section starts on
/// a new page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Portrait or landscape.
    pub orientation: Orientation,
    /// Margins of every page of the section.
    pub margins: Margins,
    /// The content.
    pub blocks: Vec<Block>,
}

impl Section {
    /// Width between the margins, mm: the widest a table may be (170 mm
    /// upright and 257 mm turned, with the house margins). Both backends
    /// and the markup's width checks measure from here.
    pub fn text_width_mm(&self) -> f32 {
        self.orientation.page_mm().0 - self.margins.left - self.margins.right
    }
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Block {
    /// A paragraph of text.
    Paragraph(Paragraph),
    /// A bulleted or numbered list.
    List(List),
    /// A table.
    Table(Table),
    /// A signature row: position at the left, name flush right.
    Signature(Signature),
    /// One line in up to three parts: at the left margin, centred, flush
    /// right (an act's date, place and number).
    Spread(Spread),
    /// A box at the top right: the appendix label or «УТВЕРЖДАЮ».
    RequisiteBox(RequisiteBox),
    /// A forced page break.
    PageBreak,
    /// A picture, such as a coat of arms.
    Image(Image),
    /// The QR-code requisite (ГОСТ Р 7.0.97-2025): drawn at a corner of
    /// its section's first page, outside the flow of the text.
    Qr(QrCode),
}

/// The QR-code requisite of ГОСТ Р 7.0.97-2025 (the 31st requisite,
/// «Штрих-код (QR-код) документа»): bottom right of the first page, or top
/// right when the text leaves no room there. Both backends ask
/// [`crate::pdf::requisites`] where it goes, so it lands on the same spot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QrCode {
    /// What the symbol encodes: a link, or the registration data.
    pub text: String,
    /// The side of the square with its quiet zone, mm.
    pub size_mm: f32,
    /// Which corner.
    pub place: QrPlace,
}

/// Where the QR code goes on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QrPlace {
    /// Bottom right when nothing of the page is there, else top right.
    Auto,
    /// Bottom right of the text area.
    BottomRight,
    /// Top right of the text area.
    TopRight,
}

/// The mark of an electronic signature (ГОСТ Р 7.0.97-2025, 5.23; Правила
/// делопроизводства, приказ Росархива № 199, п. 20): a framed block in
/// the place of the handwritten signature, between the position and the
/// name, in small type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElectronicMark {
    /// Bold centred lines: «ДОКУМЕНТ ПОДПИСАН», «ЭЛЕКТРОННОЙ ПОДПИСЬЮ».
    pub heading: Vec<String>,
    /// Regular lines at the left: certificate, owner, validity.
    pub lines: Vec<String>,
}

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Align {
    /// Flush left, ragged right.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified on both sides (body text).
    Justify,
}

/// A paragraph: alignment, indents, spacing and inline runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Alignment.
    pub align: Align,
    /// First-line indent in mm (1.25 cm = 12.5 mm for body text); negative
    /// for a hanging first line.
    pub first_line_mm: f32,
    /// Left indent of the whole paragraph, mm.
    pub left_mm: f32,
    /// Space before, points.
    pub space_before_pt: f32,
    /// Space after, points.
    pub space_after_pt: f32,
    /// Font size in points; `None` means the size of the context (body or
    /// table).
    pub size_pt: Option<f32>,
    /// Keep on the same page as the next block (headings, labels).
    pub keep_with_next: bool,
    /// Automatic hyphenation allowed (the markup's `hyphenate="no"` turns
    /// it off: titles). Centred and right-aligned paragraphs are never
    /// hyphenated whatever this says; see [`Paragraph::hyphenated`].
    pub hyphenate: bool,
    /// Lines at most this wide from the paragraph's left edge (its `left`
    /// indent), mm: the title block of the angular бланк. `None`: the
    /// whole width.
    pub width_mm: Option<f32>,
    /// A rule under the paragraph, from its left to its right indent (the
    /// markup's `rule="below"`): the line that closes a бланк. It is set
    /// [`RULE_GAP_PT`] below the last line and [`RULE_WIDTH_PT`] thick, and
    /// the paragraph is taller by both, as LibreOffice makes it.
    pub rule_below: bool,
    /// What the paragraph is in the document's structure (a heading, a
    /// numbered point): the HTML and the tagged PDF keep it; the layout of
    /// both page backends does not depend on it.
    pub role: Role,
    /// The text.
    pub runs: Vec<Inline>,
}

/// A paragraph's place in the document's structure (the markup's
/// `heading` and `point` attributes), for the backends that publish
/// structure: HTML headings and lists, a tagged PDF's `H1` and `LI`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Role {
    /// Running text or a requisite.
    #[default]
    Text,
    /// A heading of this level: 1 for the kind of document and its title
    /// («ПОСТАНОВЛЕНИЕ», «Об утверждении …»), 2 for an appendix's title
    /// and the headings inside a document.
    Heading(u8),
    /// A numbered point: its runs begin with `label` («1.1.») and one
    /// space, as printed.
    Point {
        /// The number as printed, «1.», «2.3.».
        label: String,
    },
}

/// The distance from a paragraph's last line to its rule, points (the
/// DOCX's `w:space="1"`).
pub const RULE_GAP_PT: f32 = 1.0;
/// A paragraph rule's thickness, points (the DOCX's `w:sz="6"`, eighths
/// of a point).
pub const RULE_WIDTH_PT: f32 = 0.75;

/// Calls `f` on every paragraph of `blocks`, in lists, tables and boxes.
fn for_each_paragraph(blocks: &mut [Block], f: &mut impl FnMut(&mut Paragraph)) {
    for block in blocks {
        match block {
            Block::Paragraph(p) => f(p),
            Block::List(l) => l
                .items
                .iter_mut()
                .flat_map(|i| &mut i.paragraphs)
                .for_each(&mut *f),
            Block::Table(t) => {
                for cell in t.rows.iter_mut().flat_map(|r| &mut r.cells) {
                    for_each_paragraph(&mut cell.blocks, f);
                }
            }
            Block::RequisiteBox(b) => b.paragraphs.iter_mut().for_each(&mut *f),
            Block::Signature(_)
            | Block::Spread(_)
            | Block::PageBreak
            | Block::Image(_)
            | Block::Qr(_) => {}
        }
    }
}

impl Paragraph {
    /// Marks the characters `range` (counted as [`KeepWhole::chars`]) as
    /// never hyphenated.
    fn keep_whole(&mut self, range: std::ops::Range<usize>) {
        let counted = |c: &char| *c == '\n' || *c == '\t' || !c.is_control();
        let mut at = 0;
        let mut out = Vec::with_capacity(self.runs.len() + 2);
        for run in std::mem::take(&mut self.runs) {
            let Inline::Text { text, style } = run else {
                at += 1;
                out.push(run);
                continue;
            };
            let len = text.chars().filter(counted).count();
            let (from, to) = (range.start.max(at), range.end.min(at + len));
            if style.nohyphen || from >= to {
                at += len;
                out.push(Inline::Text { text, style });
                continue;
            }
            // Byte offsets of the run's counted characters `from - at`
            // and `to - at`.
            let byte_of = |k: usize| {
                text.char_indices()
                    .filter(|(_, c)| counted(c))
                    .nth(k)
                    .map_or(text.len(), |(i, _)| i)
            };
            let (a, b) = (byte_of(from - at), byte_of(to - at));
            for (piece, nohyphen) in [
                (&text[..a], false),
                (&text[a..b], true),
                (&text[b..], false),
            ] {
                if !piece.is_empty() {
                    out.push(Inline::Text {
                        text: piece.to_owned(),
                        style: RunStyle { nohyphen, ..style },
                    });
                }
            }
            at += len;
        }
        self.runs = out;
    }

    /// An empty left-aligned paragraph with no indent or spacing.
    pub fn plain() -> Self {
        Paragraph {
            align: Align::Left,
            first_line_mm: 0.0,
            left_mm: 0.0,
            space_before_pt: 0.0,
            space_after_pt: 0.0,
            size_pt: None,
            keep_with_next: false,
            hyphenate: true,
            width_mm: None,
            rule_below: false,
            role: Role::Text,
            runs: Vec::new(),
        }
    }

    /// Whether words of this paragraph may be hyphenated automatically.
    /// Requisites and headings (centred, right-aligned) never are, nor a
    /// paragraph marked `hyphenate="no"`; both backends ask here, so the
    /// DOCX suppresses hyphenation exactly where the PDF does not hyphenate.
    pub fn hyphenated(&self) -> bool {
        self.hyphenate && !matches!(self.align, Align::Center | Align::Right)
    }

    /// How much narrower than `measure_mm` (the width the paragraph sits in,
    /// its own left indent included) the `width` attribute makes its lines,
    /// mm: the DOCX's right indent. Never negative.
    pub fn right_mm(&self, measure_mm: f32) -> f32 {
        self.width_mm
            .map_or(0.0, |w| (measure_mm - self.left_mm - w).max(0.0))
    }

    /// A left-aligned paragraph of plain text (for documents built in code).
    pub fn from_text(text: &str) -> Self {
        Paragraph {
            runs: vec![Inline::Text {
                text: text.into(),
                style: RunStyle::default(),
            }],
            ..Paragraph::plain()
        }
    }

    /// The paragraph's text, without formatting; line breaks become `\n`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for run in &self.runs {
            match run {
                Inline::Text { text, .. } => out.push_str(text),
                Inline::LineBreak => out.push('\n'),
            }
        }
        out
    }
}

/// Character formatting of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RunStyle {
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Letter-spaced («п о с т а н о в л я е т»), done by character spacing
    /// rather than by inserting spaces, so the text stays searchable.
    pub spaced: bool,
    /// Underlined.
    pub underline: bool,
    /// Never hyphenated (the markup's `<nh>`: a person's name, initials,
    /// a date in words, an abbreviation in capitals); it may still break
    /// at its spaces. The DOCX gives it no language, which LibreOffice
    /// honours (compared in `tests/typo_hyphenation.rs`).
    pub nohyphen: bool,
}

/// An inline element of a paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Inline {
    /// Text with one style.
    Text {
        /// The characters, with no-break spaces kept as U+00A0.
        text: String,
        /// Bold, italic, letter-spaced.
        style: RunStyle,
    },
    /// A line break inside the paragraph.
    LineBreak,
}

/// Bulleted or numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListKind {
    /// «– text»: the label is a dash.
    Bullet,
    /// «1.1. text»: each item carries its computed label.
    Numbered,
}

/// A list. Labels are computed by the template, so «2.1.» and «1.10.» come
/// out as the document's author numbered them, in every backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct List {
    /// Bulleted or numbered.
    pub kind: ListKind,
    /// The items.
    pub items: Vec<ListItem>,
}

/// One list item: its label and its paragraphs. The first paragraph starts
/// with the label; the backends set label and text with the paragraph's own
/// indent settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListItem {
    /// «1.», «2.1.», «–».
    pub label: String,
    /// The item's content; the first paragraph carries the label.
    pub paragraphs: Vec<Paragraph>,
}

/// A table with fixed column widths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Column widths, mm.
    pub columns_mm: Vec<f32>,
    /// The rows; header rows come first.
    pub rows: Vec<Row>,
    /// A long table's body rows, after `rows`, held compressed until a
    /// backend reads them ([`StoredRows`]); read every row through
    /// [`Table::row_slices`]. Only a table whose rows all hold text is
    /// stored ([`StoredRows::holds`]); a stored row never holds a table,
    /// so no encoding of a row meets a store.
    #[serde(skip)]
    pub stored: Option<Box<StoredRows>>,
}

/// A table row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// A header row, repeated at the top of every page the table spans.
    pub header: bool,
    /// The cells. A row with a single cell spanning all columns is a
    /// section row.
    pub cells: Vec<Cell>,
}

impl Row {
    /// Calls `f` on each paragraph of the row's cells, in order.
    fn each_paragraph(&mut self, f: &mut impl FnMut(&mut Paragraph)) {
        for cell in &mut self.cells {
            for_each_paragraph(&mut cell.blocks, f);
        }
    }

    /// Marks the characters `chars` of the row's paragraph `index` (in
    /// the order of [`Row::each_paragraph`]) as never hyphenated.
    fn keep_whole_at(&mut self, index: usize, chars: std::ops::Range<usize>) {
        let mut k = 0;
        let mut chars = Some(chars);
        self.each_paragraph(&mut |p| {
            if k == index
                && let Some(chars) = chars.take()
            {
                p.keep_whole(chars);
            }
            k += 1;
        });
    }

    /// The row never ends a page: every paragraph in it keeps with the
    /// next block (the markup's `<row keep="next">`, Word's way of
    /// keeping a row with the next one, which LibreOffice honours too).
    pub fn keeps_with_next(&self) -> bool {
        let mut any = false;
        let all = self.cells.iter().all(|c| {
            c.blocks.iter().all(|b| match b {
                Block::Paragraph(p) => {
                    any = true;
                    p.keep_with_next
                }
                Block::List(l) => l.items.iter().flat_map(|i| &i.paragraphs).all(|p| {
                    any = true;
                    p.keep_with_next
                }),
                _ => true,
            })
        });
        any && all
    }
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// How many columns the cell spans.
    pub colspan: usize,
    /// How many rows the cell spans (one responsible for a group of
    /// measures); the rows below omit the cell, as in HTML.
    pub rowspan: usize,
    /// Paragraphs and lists.
    pub blocks: Vec<Block>,
}

impl Cell {
    /// A one-column cell holding one paragraph of plain text.
    pub fn from_text(text: &str) -> Self {
        Cell {
            colspan: 1,
            rowspan: 1,
            blocks: vec![Block::Paragraph(Paragraph::from_text(text))],
        }
    }
}

/// What occupies a place in a row of a table's grid: a cell of the row,
/// or a cell of a row above that spans down into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// First grid column.
    pub column: usize,
    /// Grid columns taken.
    pub colspan: usize,
    /// Row of the cell (this row, or the row above where a merged cell starts).
    pub row: usize,
    /// Index of the cell in that row's `cells`.
    pub cell: usize,
    /// The slot continues a cell that starts in a row above.
    pub continued: bool,
    /// The cell's last row is this one.
    pub last: bool,
}

/// A merged cell covering a grid column: its row, its index in the row,
/// its first column, its span and its last row.
type Cover = (usize, usize, usize, usize, usize);

impl Table {
    /// A table of `rows`, none of them stored.
    pub fn new(columns_mm: Vec<f32>, rows: Vec<Row>) -> Table {
        Table {
            columns_mm,
            rows,
            stored: None,
        }
    }

    /// Rows in the table, stored ones included.
    pub fn row_count(&self) -> usize {
        self.rows.len() + self.stored.as_ref().map_or(0, |s| s.len())
    }

    /// Every row of the table in order, a slice at a time, each with the
    /// index of its first row: the table's own rows, borrowed, then each
    /// slice of its stored rows, decoded (owned).
    pub fn row_slices(&self) -> impl Iterator<Item = (usize, Cow<'_, [Row]>)> + '_ {
        let own = (!self.rows.is_empty()).then_some((0, Cow::Borrowed(self.rows.as_slice())));
        let stored = self.stored.iter().flat_map(|stored| {
            stored
                .slices(self.rows.len())
                .map(|(first, rows)| (first, Cow::Owned(rows)))
        });
        own.into_iter().chain(stored)
    }

    /// Decodes the stored rows into [`Table::rows`].
    pub fn restore_rows(&mut self) {
        if let Some(stored) = self.stored.take() {
            let own = self.rows.len();
            for (_, rows) in stored.slices(own) {
                self.rows.extend(rows);
            }
        }
    }

    /// Marks the characters `chars` of paragraph `index` of stored row
    /// `row` as never hyphenated ([`ParagraphAt::Stored`]).
    fn mark_stored(&mut self, row: usize, index: usize, chars: std::ops::Range<usize>) {
        if let Some(stored) = &mut self.stored {
            stored.mark(row, index, chars);
        }
    }

    /// Each row's slots ([`SlotPlacer`]), all at once.
    pub fn slots(&self) -> Vec<Vec<Slot>> {
        let mut placer = self.slot_placer();
        let mut out = Vec::with_capacity(self.row_count());
        for (first, rows) in self.row_slices() {
            for (i, row) in rows.iter().enumerate() {
                out.push(placer.place(first + i, row));
            }
        }
        out
    }

    /// Places the rows' cells on the grid, a row at a time, in order.
    pub fn slot_placer(&self) -> SlotPlacer {
        let columns = self.columns_mm.len();
        SlotPlacer {
            columns,
            rows: self.row_count(),
            covered: vec![None; columns],
        }
    }
}

/// Each row's slots from left to right: its own cells and the merged
/// cells from above that cover it, placed on the grid the way both
/// backends read it. Cells past the last column are cut off, and a span
/// past the last row ends at it, so a tree built in code that the markup
/// would refuse still lays out. Rows are placed in order, a row at a
/// time, so that a table's rows need not be alive together.
pub struct SlotPlacer {
    columns: usize,
    /// Rows in the table.
    rows: usize,
    /// For each grid column: the merged cell covering it from above, as
    /// (its row, its index, its first column, its span, its last row).
    covered: Vec<Option<Cover>>,
}

impl SlotPlacer {
    /// The slots of row `r`, the row after the last one placed.
    pub fn place(&mut self, r: usize, row: &Row) -> Vec<Slot> {
        let columns = self.columns;
        let covered = &mut self.covered;
        let active = |c: &Option<(usize, usize, usize, usize, usize)>| c.is_some_and(|c| c.4 >= r);
        let mut slots = Vec::with_capacity(row.cells.len());
        let mut col = 0;
        let mut cells = row.cells.iter().enumerate();
        while col < columns {
            if let Some((from, cell, first, span, last)) = covered[col].filter(|c| c.4 >= r) {
                // `first < col` only when a cell of this row was cut
                // short against it; its columns are counted once.
                let span = span - (col - first);
                slots.push(Slot {
                    column: col,
                    colspan: span,
                    row: from,
                    cell,
                    continued: true,
                    last: last == r,
                });
                col += span;
                continue;
            }
            let Some((k, cell)) = cells.next() else { break };
            // Never over a column a merged cell from above covers.
            let free = (col..columns).take_while(|&c| !active(&covered[c])).count();
            let span = cell.colspan.max(1).min(free);
            let last = r
                .saturating_add(cell.rowspan.max(1) - 1)
                .min(self.rows.saturating_sub(1));
            if last > r {
                for c in &mut covered[col..col + span] {
                    *c = Some((r, k, col, span, last));
                }
            }
            slots.push(Slot {
                column: col,
                colspan: span,
                row: r,
                cell: k,
                continued: false,
                last: last == r,
            });
            col += span;
        }
        slots
    }
}

/// A signature row (LAYOUT.md §4 «подпись»).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// The position, one entry per line, at the left margin.
    pub position: Vec<Vec<Inline>>,
    /// «И.О. Фамилия», flush right on the level of the position's last line.
    pub name: String,
    /// Space before the row, points (two blank lines before the first
    /// signature of a document).
    pub space_before_pt: f32,
    /// Keep on the same page as the next block (another signature).
    pub keep_with_next: bool,
    /// Signed electronically: the mark in the place of the handwritten
    /// signature.
    pub electronic: Option<ElectronicMark>,
}

/// One line in up to three parts (ГОСТ Р 7.0.97, LAYOUT.md §6: the date
/// at the left, the number at the right, the place of compilation centred
/// between them). Never hyphenated, single spacing. The DOCX sets it as
/// one paragraph with a centre and a right tab stop; parts too wide to
/// stand apart are a warning ([`Spread::overlap`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// At the left margin («05.03.2024»); empty when absent.
    pub left: Vec<Inline>,
    /// Centred on the text area («г. Заречный»); empty when absent.
    pub center: Vec<Inline>,
    /// Flush with the right margin («№ 45-р»); empty when absent.
    pub right: Vec<Inline>,
    /// Space before, points.
    pub space_before_pt: f32,
    /// Space after, points.
    pub space_after_pt: f32,
}

/// Which parts of a [`Spread`] run into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpreadOverlap {
    /// The left part reaches past where the centred one starts.
    LeftCenter,
    /// The centred part reaches past where the right one starts.
    CenterRight,
    /// The left part reaches past where the right one starts.
    LeftRight,
}

/// One line of a [`Spread`] as both backends set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpreadRow {
    /// Parts that fit on one line, each at its tab stop: the left part
    /// at the margin, the centre one centred, the right one flush right.
    Tabbed {
        /// The left part is on this line.
        left: bool,
        /// The centre part is on this line.
        center: bool,
        /// The right part is on this line.
        right: bool,
    },
    /// One part in a paragraph of its own, aligned as its place says
    /// (0 left, 1 centre, 2 right); it wraps at spaces if wider than the line.
    Alone(usize),
}

/// Space kept between two parts of a [`Spread`], mm: parts closer than
/// this read as one.
pub const SPREAD_GAP_MM: f32 = 2.0;

impl Spread {
    /// The parts: left, centre, right.
    pub fn parts(&self) -> [&[Inline]; 3] {
        [&self.left, &self.center, &self.right]
    }

    /// Which present parts, of the given widths (mm) on a line `width` mm
    /// wide, come closer than [`SPREAD_GAP_MM`]: the first such pair, or
    /// `None` when they all stand apart. A width of 0 is an absent part.
    pub fn overlap(widths: [f32; 3], width: f32) -> Option<SpreadOverlap> {
        let [l, c, r] = widths;
        let center_from = (width - c) / 2.0;
        let center_to = (width + c) / 2.0;
        if c > 0.0 {
            if l > 0.0 && l + SPREAD_GAP_MM > center_from {
                return Some(SpreadOverlap::LeftCenter);
            }
            if r > 0.0 && center_to + SPREAD_GAP_MM > width - r {
                return Some(SpreadOverlap::CenterRight);
            }
        }
        if l > 0.0 && r > 0.0 && l + SPREAD_GAP_MM > width - r {
            return Some(SpreadOverlap::LeftRight);
        }
        None
    }

    /// The lines the parts, `widths` mm wide, take on a line `width` mm
    /// wide. All on one when they stand apart. Otherwise the place (the
    /// centre part) goes on the next line, centred, and the left and
    /// right parts stay on the first if they stand apart, or each take a
    /// line of their own: parts set over each other by tab stops would
    /// be laid out differently by LibreOffice and Word (a tab past its
    /// stop jumps to the next one, or wraps), so the backends never ask
    /// tab stops for what does not fit.
    pub fn rows(&self, widths: [f32; 3], width: f32) -> Vec<SpreadRow> {
        let present = self.parts().map(|p| !p.is_empty());
        let widths: [f32; 3] = std::array::from_fn(|k| {
            if present[k] {
                widths[k].max(0.001)
            } else {
                0.0
            }
        });
        let count = present.iter().filter(|&&p| p).count();
        let fits =
            |w: [f32; 3]| Spread::overlap(w, width).is_none() && w.iter().all(|&x| x <= width);
        if count >= 2 && fits(widths) {
            return vec![SpreadRow::Tabbed {
                left: present[0],
                center: present[1],
                right: present[2],
            }];
        }
        let mut rows = Vec::new();
        if present[0] && present[2] && fits([widths[0], 0.0, widths[2]]) {
            rows.push(SpreadRow::Tabbed {
                left: true,
                center: false,
                right: true,
            });
        } else {
            rows.extend(
                [0, 2]
                    .into_iter()
                    .filter(|&k| present[k])
                    .map(SpreadRow::Alone),
            );
        }
        if present[1] {
            rows.push(SpreadRow::Alone(1));
        }
        rows
    }

    /// The paragraph a part set alone makes (see [`SpreadRow::Alone`]):
    /// aligned as its place says, never hyphenated, no indent.
    pub fn alone(
        &self,
        part: usize,
        before_pt: f32,
        after_pt: f32,
        keep_with_next: bool,
    ) -> Paragraph {
        let runs = self.parts()[part.min(2)].to_vec();
        Paragraph {
            align: [Align::Left, Align::Center, Align::Right][part.min(2)],
            space_before_pt: before_pt,
            space_after_pt: after_pt,
            keep_with_next,
            hyphenate: false,
            runs,
            ..Paragraph::plain()
        }
    }
}

/// A box at the top right of a page, text left-aligned inside, flush with
/// the right margin, never hyphenated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequisiteBox {
    /// Box width, mm (7.5 cm by default, up to [`BOX_MAX_MM`] by the
    /// regional instructions).
    pub width_mm: f32,
    /// The box's paragraphs.
    pub paragraphs: Vec<Paragraph>,
}

/// The picture formats both backends embed: the DOCX names the file by
/// it, the PDF draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
}

impl ImageFormat {
    /// The format of a file, by its first bytes; `None` for anything
    /// else (SVG, GIF, a text file renamed).
    pub fn sniff(data: &[u8]) -> Option<Self> {
        if data.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
            Some(ImageFormat::Png)
        } else if data.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(ImageFormat::Jpeg)
        } else {
            None
        }
    }
}

/// A PNG or JPEG picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// The image file's bytes.
    #[serde(skip)]
    pub data: Vec<u8>,
    /// Where it came from, for messages and snapshots.
    pub source: String,
    /// Width on the page, mm.
    pub width_mm: f32,
    /// Height on the page, mm.
    pub height_mm: f32,
    /// Horizontal alignment.
    pub align: Align,
    /// In the text, or at a fixed place at the top of the page.
    pub placement: ImagePlacement,
}

/// Where a picture goes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ImagePlacement {
    /// In a paragraph of its own, on the text's baseline.
    Inline,
    /// The coat of arms (LAYOUT.md §4): centred on the text area, its top
    /// edge `top_mm` below the page's top edge, on the first page of its
    /// section; the text starts `gap_mm` below it (or at the top margin,
    /// if that is lower). The DOCX anchors it to the page, so Word and
    /// LibreOffice put it where the PDF does.
    PageTop {
        /// From the page's top edge to the picture's, mm (10 by LAYOUT.md).
        top_mm: f32,
        /// From the picture's bottom edge to the text below, mm.
        gap_mm: f32,
    },
}

impl Document {
    /// Marks the characters the layout found (see [`KeepWhole`]) as never
    /// hyphenated, splitting their runs. `marks` must come from a layout
    /// of this very tree, unchanged since.
    pub fn keep_whole(&mut self, marks: &[KeepWhole]) {
        if marks.is_empty() {
            return;
        }
        for section in &mut self.sections {
            for_each_paragraph(&mut section.blocks, &mut |p| {
                let key = KeepWhole::key(p);
                for m in marks.iter().filter(|m| m.paragraph == key) {
                    p.keep_whole(m.chars.clone());
                }
            });
            // The marks on stored rows go with them, set as each reader
            // decodes them. Only a section's own tables are stored.
            for block in &mut section.blocks {
                let Block::Table(t) = block else { continue };
                let key = KeepWhole::table_key(t);
                for m in marks {
                    if let ParagraphAt::Stored { table, row, index } = m.paragraph
                        && table == key
                    {
                        t.mark_stored(row, index, m.chars.clone());
                    }
                }
            }
        }
    }

    /// A document of one section with the house margins of its
    /// orientation and page numbers from page 2 (for documents built in code).
    pub fn single_section(meta: Meta, orientation: Orientation, blocks: Vec<Block>) -> Self {
        Document {
            meta,
            style: TextStyle::default(),
            page_numbers: PageNumbers::TopCenterFromSecond,
            sections: vec![Section {
                orientation,
                margins: match orientation {
                    Orientation::Portrait => Margins::PORTRAIT,
                    Orientation::Landscape => Margins::LANDSCAPE,
                },
                blocks,
            }],
            warnings: Vec::new(),
        }
    }

    /// All text of the document in reading order, one paragraph a line.
    /// Tests compare it with the seed documents.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        self.text_pieces(&mut |s| out.push_str(s));
        out
    }

    /// The text of [`Document::plain_text`], piece by piece, without
    /// building it: the PDF hashes a 1000-page roadmap's text for its ID,
    /// which as one string would be 5 MB at the layout's peak.
    pub fn text_pieces(&self, out: &mut impl FnMut(&str)) {
        for section in &self.sections {
            blocks_text(&section.blocks, out);
        }
    }
}

impl Document {
    /// Feeds every run of text with its face (bold, italic) to `out`; a
    /// list's label and a signature's name, which carry no style of their
    /// own, come as plain text; a table's stored rows come as the
    /// characters they use, once each per face. The PDF guesses from it
    /// the characters each embedded face needs before a long document is
    /// laid out.
    pub fn styled_text(&self, out: &mut impl FnMut(&str, bool, bool)) {
        for section in &self.sections {
            blocks_styled(&section.blocks, out);
        }
    }
}

fn runs_styled(runs: &[Inline], out: &mut impl FnMut(&str, bool, bool)) {
    for run in runs {
        if let Inline::Text { text, style } = run {
            out(text, style.bold, style.italic);
        }
    }
}

fn blocks_styled(blocks: &[Block], out: &mut impl FnMut(&str, bool, bool)) {
    for block in blocks {
        match block {
            Block::Paragraph(p) => runs_styled(&p.runs, out),
            Block::List(list) => {
                for item in &list.items {
                    out(&item.label, false, false);
                    out(" ", false, false);
                    for p in &item.paragraphs {
                        runs_styled(&p.runs, out);
                    }
                }
            }
            Block::Table(t) => {
                for cell in t.rows.iter().flat_map(|r| &r.cells) {
                    blocks_styled(&cell.blocks, out);
                }
                if let Some(stored) = &t.stored {
                    stored.styled_chars(out);
                }
            }
            Block::Signature(s) => {
                for line in &s.position {
                    runs_styled(line, out);
                }
                out(&s.name, false, false);
            }
            Block::RequisiteBox(b) => {
                for p in &b.paragraphs {
                    runs_styled(&p.runs, out);
                }
            }
            Block::Spread(s) => {
                for part in [&s.left, &s.center, &s.right] {
                    runs_styled(part, out);
                }
            }
            Block::PageBreak | Block::Image(_) | Block::Qr(_) => {}
        }
    }
}

/// [`Paragraph::text`] of `runs`, a run at a time, without building it.
fn runs_text(runs: &[Inline], out: &mut impl FnMut(&str)) {
    for run in runs {
        match run {
            Inline::Text { text, .. } => out(text),
            Inline::LineBreak => out("\n"),
        }
    }
}

fn blocks_text(blocks: &[Block], out: &mut impl FnMut(&str)) {
    for block in blocks {
        match block {
            Block::Paragraph(p) => {
                runs_text(&p.runs, out);
                out("\n");
            }
            Block::List(list) => {
                for item in &list.items {
                    for (i, p) in item.paragraphs.iter().enumerate() {
                        if i == 0 {
                            out(&item.label);
                            out(" ");
                        }
                        runs_text(&p.runs, out);
                        out("\n");
                    }
                }
            }
            Block::Table(t) => {
                for cell in t.rows.iter().flat_map(|r| &r.cells) {
                    blocks_text(&cell.blocks, out);
                }
                if let Some(stored) = &t.stored {
                    stored.text_pieces(out);
                }
            }
            Block::Signature(s) => {
                for line in &s.position {
                    runs_text(line, out);
                    out("\n");
                }
                out(&s.name);
                out("\n");
            }
            Block::RequisiteBox(b) => {
                for p in &b.paragraphs {
                    runs_text(&p.runs, out);
                    out("\n");
                }
            }
            Block::Spread(s) => {
                let part = |runs: &[Inline]| {
                    Paragraph {
                        runs: runs.to_vec(),
                        ..Paragraph::plain()
                    }
                    .text()
                };
                let parts: Vec<String> = [&s.left, &s.center, &s.right]
                    .into_iter()
                    .map(|r| part(r))
                    .filter(|t| !t.is_empty())
                    .collect();
                out(&parts.join(" "));
                out("\n");
            }
            Block::PageBreak | Block::Image(_) | Block::Qr(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(parts: [&str; 3]) -> Spread {
        let runs = |t: &str| {
            if t.is_empty() {
                Vec::new()
            } else {
                Paragraph::from_text(t).runs
            }
        };
        Spread {
            left: runs(parts[0]),
            center: runs(parts[1]),
            right: runs(parts[2]),
            space_before_pt: 0.0,
            space_after_pt: 0.0,
        }
    }

    #[test]
    fn spread_rows_move_the_place_down_first_then_part_the_sides() {
        let all = spread(["д", "м", "н"]);
        let tabbed = |left, center, right| SpreadRow::Tabbed {
            left,
            center,
            right,
        };
        // Apart on 170 mm: one line.
        assert_eq!(
            all.rows([20.0, 30.0, 15.0], 170.0),
            [tabbed(true, true, true)]
        );
        // 2 mm between the left part and the centred one is enough; less is not.
        assert_eq!(all.rows([68.0, 30.0, 15.0], 170.0).len(), 1);
        assert_eq!(
            all.rows([68.1, 30.0, 15.0], 170.0),
            [tabbed(true, false, true), SpreadRow::Alone(1)]
        );
        // The centre part running into the right one.
        assert_eq!(
            all.rows([20.0, 30.0, 68.1], 170.0),
            [tabbed(true, false, true), SpreadRow::Alone(1)]
        );
        // The sides running into each other: each alone, the place last.
        assert_eq!(
            all.rows([100.0, 30.0, 69.0], 170.0),
            [
                SpreadRow::Alone(0),
                SpreadRow::Alone(2),
                SpreadRow::Alone(1)
            ]
        );
        // One part is a paragraph aligned as its place says.
        let place = spread(["", "м", ""]);
        assert_eq!(place.rows([0.0, 30.0, 0.0], 170.0), [SpreadRow::Alone(1)]);
        assert_eq!(place.alone(1, 0.0, 0.0, false).align, Align::Center);
        assert!(!place.alone(1, 0.0, 0.0, false).hyphenated());
        // Nothing: no line.
        assert!(spread(["", "", ""]).rows([0.0; 3], 170.0).is_empty());
    }
}
