//! PDF backend: typesets a [`Document`] on A4 pages and writes it with
//! printpdf (issue 3).
//!
//! The layout engine is our own and follows the DOCX backend's settings
//! (sizes, indents, spacing, cell padding, header position), so that the
//! PDF breaks lines and pages where LibreOffice breaks our DOCX:
//! [`fonts`] measures, [`linebreak`] breaks lines, [`layout`] stacks blocks
//! and cuts pages, [`tables`] lays out rows, [`images`] embeds pictures,
//! [`content`] encodes each page's drawing operators, [`write`] has
//! printpdf build the file around them (images, metadata; [`pages`] makes
//! the page objects),
//! [`embed`] adds the font subsets ([`sfnt`] slims them), [`compact`]
//! trims it and [`save`] writes its bytes. [`svg`] draws the same pages as SVG for the
//! preview of `gostdoc serve`.

mod compact;
mod content;
mod embed;
mod fonts;
mod images;
mod layout;
mod linebreak;
mod pages;
mod pdfa;
pub mod requisites;
mod save;
mod sfnt;
pub mod svg;
mod tables;
mod tags;
mod write;

use std::fmt;

use crate::document::*;

pub use fonts::FontSet;

use layout::{Ctx, Flow, Geometry, Item, Kind};

/// Options of the PDF backend.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// The typeface to embed; Liberation Serif by default.
    pub fonts: FontSet,
    /// Write PDF/A-2u with a PDF/UA-1 structure (`--pdfa`): XMP metadata,
    /// an sRGB output intent, text that extracts as it reads, and a
    /// tagged structure (docs/PDFA.md). Off, the file is as before.
    pub pdfa: bool,
}

/// A rendered PDF and what went wrong on the way without stopping it.
#[derive(Debug, Clone)]
pub struct PdfOutput {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Warnings in Russian, e.g. a character missing from the font.
    pub warnings: Vec<String>,
}

/// Why a document could not be written as PDF.
#[derive(Debug)]
pub enum PdfError {
    /// The document has no sections.
    NoSections,
    /// A font file could not be parsed; the field names it.
    Font(String),
    /// A font file could not be read: its path and the reason.
    FontFile(String, String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::NoSections => write!(
                f,
                "в документе нет ни одного раздела: добавьте в шаблон хотя бы один абзац"
            ),
            PdfError::Font(name) => write!(
                f,
                "шрифт «{name}» не удалось разобрать: укажите файл TrueType (.ttf)"
            ),
            PdfError::FontFile(path, why) => {
                write!(f, "не удалось прочитать шрифт «{path}»: {why}")
            }
        }
    }
}

impl std::error::Error for PdfError {}

/// The pages of a document before they are written: for tests and checks.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The pages in order.
    pub pages: Vec<PageLayout>,
    /// The pictures the pages draw, in document order.
    pub(crate) images: Vec<Image>,
    /// Words the line breaker kept whole to keep to the limit of
    /// hyphenated lines in a row: the DOCX must keep them whole too
    /// ([`Document::keep_whole`]).
    pub keep_whole: Vec<KeepWhole>,
}

/// One laid-out page.
#[derive(Debug, Clone)]
pub struct PageLayout {
    /// Page width, mm.
    pub width_mm: f32,
    /// Page height, mm.
    pub height_mm: f32,
    /// Every line of text on the page, page numbers included.
    pub lines: Vec<PlacedLine>,
    /// Every table cell on the page.
    pub cells: Vec<PlacedCell>,
    /// What the writer draws.
    pub(crate) draws: Vec<layout::Draw>,
}

/// A line of text where it was set.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLine {
    /// The characters, with a trailing hyphen when the line was hyphenated.
    pub text: String,
    /// Left edge of the text, mm from the page's left edge.
    pub x_mm: f32,
    /// Baseline, mm from the page's top edge.
    pub y_mm: f32,
    /// Natural width of the text, mm.
    pub width_mm: f32,
    /// Width available to the line from `x_mm`, mm.
    pub measure_mm: f32,
    /// The line is in a table header row.
    pub in_header_row: bool,
}

/// A table cell where it was set.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedCell {
    /// Index of the row in `table.rows`.
    pub row: usize,
    /// The row is a header row.
    pub header: bool,
    /// Left edge, mm from the page's left edge.
    pub x_mm: f32,
    /// Top edge, mm from the page's top edge.
    pub y_mm: f32,
    /// Width, mm.
    pub width_mm: f32,
    /// Height, mm.
    pub height_mm: f32,
}

impl Layout {
    /// Lines wider than their measure (with 0.01 mm tolerance).
    pub fn overfull_lines(&self) -> Vec<&PlacedLine> {
        self.pages
            .iter()
            .flat_map(|p| &p.lines)
            .filter(|l| l.width_mm > l.measure_mm + 0.01)
            .collect()
    }
}

/// Lays the document out on pages and writes the PDF.
pub fn render(doc: &Document, opts: &PdfOptions) -> Result<PdfOutput, PdfError> {
    Ok(prepare(doc, opts)?.write())
}

/// A document laid out and ready to be written. It holds everything the
/// writer needs, so the caller can drop the document tree first: for a
/// 1000-page roadmap that is 17 MB less at the writer's peak.
pub struct Prepared {
    meta: Meta,
    id: String,
    layout: Layout,
    fonts: FontSet,
    warnings: Vec<String>,
    /// The structure tree of a PDF/A file, `None` for a plain PDF.
    tags: Option<tags::StructTree>,
    /// A long document's pages, encoded as they were laid out (`layout`
    /// then has no pages).
    streamed: Option<Box<write::Streamed>>,
}

/// Lays the document out for [`Prepared::write`]. A long document that
/// can be ([`streamable`]) has its pages encoded and compressed as soon
/// as the layout closes them, so its lines are never held all at once.
pub fn prepare(doc: &Document, opts: &PdfOptions) -> Result<Prepared, PdfError> {
    let (layout, warnings, tags, streamed) = lay_out(doc, opts, false, streamable(doc, opts))?;
    Ok(Prepared {
        meta: doc.meta.clone(),
        id: write::document_id(doc),
        layout,
        fonts: opts.fonts.clone(),
        warnings,
        tags,
        streamed,
    })
}

impl Prepared {
    /// The words to keep whole in the other formats of the same tree (see
    /// [`Layout::keep_whole`]).
    pub fn keep_whole(&self) -> &[KeepWhole] {
        &self.layout.keep_whole
    }

    /// True when the pages are already encoded (a long document).
    pub fn is_streamed(&self) -> bool {
        self.streamed.is_some()
    }

    /// Writes the PDF with the fonts it was laid out with.
    pub fn write(self) -> PdfOutput {
        let mut warnings = self.warnings;
        let bytes = write::write(
            &self.meta,
            self.id,
            self.layout,
            self.streamed,
            &self.fonts,
            self.tags,
            &mut warnings,
        );
        PdfOutput { bytes, warnings }
    }
}

/// Lays the document out on pages without writing it.
pub fn layout(doc: &Document, opts: &PdfOptions) -> Result<Layout, PdfError> {
    lay_out(doc, opts, true, false).map(|(layout, ..)| layout)
}

/// Whether the pages may be handed to the writer as they are laid out:
/// not in a tagged file (its structure tree is written with the pages),
/// nor with a picture (named by the writer), a QR code (drawn on its
/// section's first page once the section is laid out) or a cell merged
/// across rows (its text is spread over the pages of its rows at the
/// end). Those documents are laid out whole, as before.
fn streamable(doc: &Document, opts: &PdfOptions) -> bool {
    fn blocks_ok(blocks: &[Block]) -> bool {
        blocks.iter().all(|b| match b {
            Block::Image(_) | Block::Qr(_) => false,
            Block::Table(t) => {
                // Stored rows hold text only.
                t.stored.as_ref().is_none_or(|s| !s.spans_rows())
                    && (t.rows.iter())
                        .flat_map(|r| &r.cells)
                        .all(|c| c.rowspan <= 1 && blocks_ok(&c.blocks))
            }
            _ => true,
        })
    }
    !opts.pdfa && doc.sections.iter().all(|s| blocks_ok(&s.blocks))
}

/// The layout, its warnings and structure tree, and, when `stream` and
/// the document is long, its pages already encoded (the layout then has
/// none); `record_lines` keeps [`PageLayout::lines`] filled.
type LaidOut = (
    Layout,
    Vec<String>,
    Option<tags::StructTree>,
    Option<Box<write::Streamed>>,
);

/// Lays the document out; `record_lines` keeps [`PageLayout::lines`] filled.
fn lay_out(
    doc: &Document,
    opts: &PdfOptions,
    record_lines: bool,
    stream: bool,
) -> Result<LaidOut, PdfError> {
    if doc.sections.is_empty() {
        return Err(PdfError::NoSections);
    }
    let fonts = &opts.fonts;
    let numbered = doc.page_numbers == PageNumbers::TopCenterFromSecond;
    let tagged = opts.pdfa;
    let mut pager = layout::Pager::new(numbered, fonts, doc.style.body_pt, tagged);
    if stream {
        pager.sink = Some(write::Streamer::new(doc, fonts, numbered));
    }
    let mut flow = Flow {
        fonts,
        missing: Vec::new(),
        tables: 0,
        images: Vec::new(),
        headers: Vec::new(),
        merged: Vec::new(),
        growing: Vec::new(),
        grown_headers: Vec::new(),
        table_pt: doc.style.table_pt,
        hyphens: Default::default(),
        record_lines,
        keep_whole: Vec::new(),
        tags: tagged.then(tags::StructTree::default),
        pager: Some(pager),
    };
    let mut items: Vec<Item> = Vec::new();
    for (s, section) in doc.sections.iter().enumerate() {
        let geo = Geometry::of(section);
        if let Some(pager) = &mut flow.pager {
            pager.geometries.push(geo);
        }
        items.push(Item {
            gap: 0.0,
            height: 0.0,
            keep_prev: false,
            kind: Kind::Section(s),
            content: layout::Content::default(),
        });
        let ctx = Ctx {
            size: doc.style.body_pt,
            width: geo.text_width(),
            page_height: geo.text_height(),
            top_margin: geo.margins.top,
            in_cell: false,
            header: false,
        };
        flow.blocks(&section.blocks, ctx, &mut items);
    }
    let Some(pager) = flow.pager.take() else {
        return Err(PdfError::NoSections);
    };
    let (mut layout, sink) = pager.finish(items, &flow.headers, &mut flow.merged, &flow.growing);
    let streamed = match sink.map(write::Streamer::finish) {
        // Laid out whole: too short to stream.
        None | Some(write::Finished::Short) => None,
        Some(write::Finished::Streamed(streamed)) => Some(streamed),
        // A page drew a character the guess from the tree missed, so its
        // stream lacks the glyph: laid out again whole.
        Some(write::Finished::Missed) => return lay_out(doc, opts, record_lines, false),
    };
    // Once per character: the secretary fixes the text or the font, not
    // each occurrence. A PDF/A file with such a sign is not PDF/A (the
    // standard forbids showing the empty glyph): the warning says so.
    let archival = flow.tags.is_some();
    let warnings = flow
        .missing
        .iter()
        .map(|&(c, face)| {
            let mut w = missing_warning(c, fonts.face(face).label());
            if archival {
                w.push_str(", иначе файл не соответствует PDF/A");
            }
            w
        })
        .collect();
    layout.images = flow.images;
    layout.keep_whole = flow.keep_whole;
    Ok((layout, warnings, flow.tags, streamed))
}

/// The header rows of `table` where a cell merged across header rows
/// ends, with their height in the PDF, mm (their rule included): the DOCX
/// gives them that height as a minimum, or LibreOffice, which lays the
/// first copy of the header out as the PDF does, clips the merged text on
/// every later page, where it repeats the rows at their own height.
pub(crate) fn merged_header_heights(table: &Table, table_pt: f32) -> Vec<(usize, f32)> {
    let header = Table::new(
        table.columns_mm.clone(),
        table
            .rows
            .iter()
            .take_while(|r| r.header)
            .cloned()
            .collect(),
    );
    let fonts = FontSet::liberation();
    let mut flow = Flow {
        fonts: &fonts,
        missing: Vec::new(),
        tables: 0,
        images: Vec::new(),
        headers: Vec::new(),
        merged: Vec::new(),
        growing: Vec::new(),
        grown_headers: Vec::new(),
        table_pt,
        hyphens: Default::default(),
        record_lines: false,
        keep_whole: Vec::new(),
        tags: None,
        pager: None,
    };
    let ctx = Ctx {
        size: table_pt,
        width: header.columns_mm.iter().sum(),
        page_height: f32::MAX,
        top_margin: 0.0,
        in_cell: false,
        header: false,
    };
    let mut items = Vec::new();
    tables::table(&mut flow, &header, 0, ctx, (0.0, false), &mut items);
    flow.grown_headers
}

/// Width of `text` set on one line in Liberation Serif, mm, exactly as the
/// PDF measures it (advances summed, no kerning; a character the font
/// lacks counts one em): the model warns with it about a word wider than
/// its table column, or a line wider than its box. Line breaks and tabs
/// count as spaces.
pub fn text_width_mm(text: &str, size_pt: f32, bold: bool) -> f32 {
    let face = FontSet::liberation();
    let face = face.face(fonts::face_index(bold, false));
    let ems: f32 = text
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .map(|c| face.advance(c).unwrap_or(fonts::NOTDEF_ADVANCE_EM))
        .sum();
    ems * size_pt * linebreak::PT
}

/// Width of one line of styled text in Liberation Serif, mm, as the PDF
/// sets it (bold, italic and letter-spaced runs included; line breaks
/// count nothing): the markup warns with it about a line of a box that
/// does not fit the box.
pub fn runs_width_mm(runs: &[Inline], size_pt: f32) -> f32 {
    let fonts = FontSet::liberation();
    let mut chars = Vec::new();
    let mut missing = Vec::new();
    for run in runs {
        if let Inline::Text { text, style } = run {
            let mut s = fonts::face_index(style.bold, style.italic);
            if style.spaced {
                s |= linebreak::SPACED;
            }
            let text = text.replace(['\n', '\t'], " ");
            linebreak::measure_chars(&fonts, &text, s, size_pt, &mut chars, &mut missing);
        }
    }
    chars.iter().map(|c| c.w).sum()
}

/// `text` with a soft hyphen (U+00AD) at each point where the PDF
/// breaks a word too wide for its line in a paragraph that is not
/// hyphenated (a centred header in a table cell `cell_mm` wide, within
/// the paragraph `p`'s indents); `None` when no word is that wide. The
/// DOCX writes them, so that LibreOffice and Word break such a word
/// where the PDF does instead of cutting it («измерени/я»).
pub(crate) fn soft_hyphens(
    text: &str,
    style: RunStyle,
    size_pt: f32,
    cell_mm: f32,
    p: &Paragraph,
) -> Option<String> {
    let inner = (cell_mm.max(0.0) - 2.0 * tables::CELL_PADDING_MM).max(1.0);
    let rest = inner - p.left_mm - p.right_mm(inner);
    let fonts = FontSet::liberation();
    let mut out: Option<String> = None;
    let mut done = 0;
    for (at, token) in text.split([' ', '\t', '\n']).scan(0, |pos, t| {
        let at = *pos;
        *pos += t.len() + 1;
        Some((at, t))
    }) {
        let core = token.trim_matches(|c: char| !c.is_alphabetic());
        let letters = core.chars().count();
        if !(4..=HYPHENATE_MAX_LETTERS).contains(&letters) || !core.chars().all(char::is_alphabetic)
        {
            continue;
        }
        if word_width_mm(&fonts, core, style, size_pt) <= rest + 0.001 {
            continue;
        }
        let points = linebreak::wide_word_points(core);
        if points.is_empty() {
            continue;
        }
        let out = out.get_or_insert_with(String::new);
        let core_at = at + token.find(core).unwrap_or(0);
        out.push_str(&text[done..core_at]);
        for (k, c) in core.chars().enumerate() {
            if points.contains(&k) {
                out.push('\u{ad}');
            }
            out.push(c);
        }
        done = core_at + core.len();
    }
    out.map(|mut o| {
        o.push_str(&text[done..]);
        o
    })
}

/// Width of a word in one style, mm, as [`runs_width_mm`] measures it,
/// without building the characters: the DOCX asks this of every long
/// word in a centred cell.
fn word_width_mm(fonts: &FontSet, word: &str, style: RunStyle, size_pt: f32) -> f32 {
    let face = fonts.face(fonts::face_index(style.bold, style.italic));
    let extra = if style.spaced {
        linebreak::SPACED_PT
    } else {
        0.0
    };
    word.chars()
        .map(|c| face.advance(c).unwrap_or(fonts::NOTDEF_ADVANCE_EM) * size_pt + extra)
        .sum::<f32>()
        * linebreak::PT
}

/// The warning for a character a face lacks.
fn missing_warning(c: char, face: &str) -> String {
    format!(
        "символ «{c}» (U+{:04X}) отсутствует в шрифте {face}: в PDF на его месте \
         пустой знак; замените символ или выберите шрифт, в котором он есть (--fonts)",
        c as u32
    )
}

/// Why a picture cannot be drawn, in Russian: neither PNG nor JPEG (an
/// SVG, a text file renamed), or damaged. The build and `check` ask this
/// when they read a picture, so a broken coat of arms is an error at once,
/// not a blank space on the printed page.
pub fn check_image(data: &[u8]) -> Result<(), String> {
    if crate::document::ImageFormat::sniff(data).is_none() {
        return Err("это не PNG и не JPEG: сохраните изображение в одном из этих форматов".into());
    }
    images::xobject(data, false)
        .map(|_| ())
        // The decoder's own words are English: not shown.
        .map_err(|_| {
            "файл повреждён, прочитать его не удалось: сохраните изображение заново".to_owned()
        })
}

/// The warnings [`render`] would give for characters missing from the
/// fonts, without laying anything out (`gostdoc check`). Every character
/// is looked up in the regular face: the four faces of a typeface cover
/// the same characters.
pub fn missing_characters(doc: &Document, opts: &PdfOptions) -> Vec<String> {
    let face = opts.fonts.face(0);
    let mut missing: Vec<char> = Vec::new();
    // Latin, Cyrillic and the common marks are looked up once each: a
    // document repeats a few dozen characters thousands of times.
    let mut seen = [false; 0x800];
    doc.text_pieces(&mut |piece| {
        for c in piece.chars() {
            if let Some(seen) = seen.get_mut(c as usize) {
                if *seen {
                    continue;
                }
                *seen = true;
            }
            if !c.is_control() && face.advance(c).is_none() && !missing.contains(&c) {
                missing.push(c);
            }
        }
    });
    missing
        .into_iter()
        .map(|c| missing_warning(c, face.label()))
        .collect()
}

#[cfg(test)]
mod tests;
