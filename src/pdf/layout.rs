//! Block layout: turns the document's blocks into vertical items (text
//! lines and table rows), then cuts them into pages.
//!
//! Every item knows whether a page may end before it; keep-with-next,
//! widow and orphan control and the signature rule are all expressed that
//! way, so pagination itself is one greedy loop that backs up to the last
//! allowed break when an item does not fit.

use crate::document::*;

use super::fonts::{FontSet, face_index};
use super::linebreak::{self, Ch, Measure, NO_HYPHEN, PT, SPACED, UNDERLINE};
use super::tables;
use super::{Layout, PageLayout, PlacedCell, PlacedLine};

/// Table rule width, points.
pub(crate) use crate::document::TABLE_RULE_PT as RULE_PT;

/// Something to draw, in mm, relative to the box that holds it until the
/// page is known; then relative to the page's top left corner.
#[derive(Clone, Debug)]
pub(crate) enum Draw {
    /// A run of text in one face and size, starting at `x` on baseline `y`.
    Text {
        x: f32,
        y: f32,
        style: u8,
        size: f32,
        text: Run,
    },
    /// A straight rule.
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width_pt: f32,
    },
    /// An image: index into [`Layout::images`](super::Layout), and its box
    /// (`x`, `y` its top left corner).
    Image {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// Tagged PDF only: what the draws after it belong to
    /// ([`super::tags`]); nothing is drawn.
    Mark(super::tags::Mark),
}

/// Part of a text draw, as the writers read it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Piece<'a> {
    /// Characters set one after another.
    Str(&'a str),
    /// Extra horizontal space, mm (justification).
    Gap(f32),
}

/// The characters of a text draw, in one string: a justified line adds
/// the same extra space after each of its spaces, so one width says where
/// every gap goes. A 1000-page roadmap held a string per word before (a
/// million small blocks, more in the allocator's headers than in text).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Run {
    text: Box<str>,
    /// Extra space after each space of `text[..gapped]`, mm; 0 for none.
    gap: f32,
    /// Bytes of `text` whose spaces are widened: what the line breaker set,
    /// not a space the tagged PDF appends after it.
    gapped: u32,
}

impl Run {
    /// `text`, each of its spaces widened by `gap` mm when `gap` > 0. The
    /// string becomes the run's without a copy when its capacity is its
    /// length.
    pub(crate) fn new(text: String, gap: f32) -> Run {
        let gapped = u32::try_from(text.len()).unwrap_or(u32::MAX);
        Run {
            text: text.into_boxed_str(),
            gap: if gap > 0.0 { gap } else { 0.0 },
            gapped,
        }
    }

    /// All the characters.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The characters and gaps in order: a string up to and including each
    /// widened space, then its gap; never an empty string.
    pub(crate) fn pieces(&self) -> Pieces<'_> {
        Pieces {
            text: &self.text,
            gapped: if self.gap > 0.0 {
                (self.gapped as usize).min(self.text.len())
            } else {
                0
            },
            gap: self.gap,
            at: 0,
            gap_next: false,
        }
    }

    /// Appends a character after the widened part (a space the tagged PDF
    /// reads after a line's last word, drawn where nothing shows it).
    pub(crate) fn push(&mut self, c: char) {
        let mut text = std::mem::take(&mut self.text).into_string();
        text.push(c);
        self.text = text.into_boxed_str();
    }

    /// Removes the last character when it is `c`; true when it was.
    pub(crate) fn pop_if(&mut self, c: char) -> bool {
        if !self.text.ends_with(c) {
            return false;
        }
        let mut text = std::mem::take(&mut self.text).into_string();
        text.pop();
        self.gapped = self
            .gapped
            .min(u32::try_from(text.len()).unwrap_or(u32::MAX));
        self.text = text.into_boxed_str();
        true
    }

    /// Takes the first `n` characters off, at most the first piece.
    pub(crate) fn split_head(&mut self, n: usize) -> String {
        let first = match self.pieces().next() {
            Some(Piece::Str(s)) => s,
            _ => return String::new(),
        };
        let at = first.char_indices().nth(n).map_or(first.len(), |(i, _)| i);
        let head = self.text[..at].to_owned();
        self.text = self.text[at..].into();
        self.gapped = self
            .gapped
            .saturating_sub(u32::try_from(at).unwrap_or(u32::MAX));
        head
    }
}

/// The pieces of a [`Run`].
pub(crate) struct Pieces<'a> {
    text: &'a str,
    /// Spaces before this byte are followed by a gap.
    gapped: usize,
    gap: f32,
    at: usize,
    gap_next: bool,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        if std::mem::take(&mut self.gap_next) {
            return Some(Piece::Gap(self.gap));
        }
        let rest = self.text.get(self.at..).filter(|r| !r.is_empty())?;
        let end = match self.text[self.at..self.gapped.max(self.at)].find(' ') {
            Some(i) => {
                self.gap_next = true;
                i + 1
            }
            None => rest.len(),
        };
        self.at += end;
        Some(Piece::Str(&rest[..end]))
    }
}

impl Draw {
    fn shift(&mut self, dx: f32, dy: f32) {
        match self {
            Draw::Text { x, y, .. } | Draw::Image { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Draw::Rule { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
            Draw::Mark(_) => {}
        }
    }
}

/// Content of a vertical item, positioned relative to its top left corner
/// (the left margin and the top of the item).
#[derive(Clone, Debug, Default)]
pub(crate) struct Content {
    pub(crate) draws: Vec<Draw>,
    pub(crate) lines: Vec<PlacedLine>,
    pub(crate) cells: Vec<PlacedCell>,
}

impl Content {
    /// Appends `other`, taking its contents, moved down by `dy` and right
    /// by `dx`: no copy of the text.
    pub(crate) fn append_owned(&mut self, other: Content, dx: f32, dy: f32) {
        self.draws.extend(other.draws.into_iter().map(|mut d| {
            d.shift(dx, dy);
            d
        }));
        self.lines.extend(other.lines.into_iter().map(|mut l| {
            l.x_mm += dx;
            l.y_mm += dy;
            l
        }));
        self.cells.extend(other.cells.into_iter().map(|mut c| {
            c.x_mm += dx;
            c.y_mm += dy;
            c
        }));
    }

    /// Moves everything right by `dx`.
    pub(crate) fn shift_all(&mut self, dx: f32) {
        for d in &mut self.draws {
            d.shift(dx, 0.0);
        }
        for l in &mut self.lines {
            l.x_mm += dx;
        }
        for c in &mut self.cells {
            c.x_mm += dx;
        }
    }

    /// Inserts `other` with its draws and lines at the given places
    /// (clamped to the ends), its cells at the end.
    pub(crate) fn insert(&mut self, other: Content, at: (usize, usize)) {
        let d = at.0.min(self.draws.len());
        self.draws.splice(d..d, other.draws);
        let l = at.1.min(self.lines.len());
        self.lines.splice(l..l, other.lines);
        self.cells.extend(other.cells);
    }

    /// Appends a copy of `other` moved down by `dy` and right by `dx`.
    pub(crate) fn append(&mut self, other: &Content, dx: f32, dy: f32) {
        for d in &other.draws {
            let mut d = d.clone();
            d.shift(dx, dy);
            self.draws.push(d);
        }
        for l in &other.lines {
            self.lines.push(PlacedLine {
                x_mm: l.x_mm + dx,
                y_mm: l.y_mm + dy,
                ..l.clone()
            });
        }
        for c in &other.cells {
            self.cells.push(PlacedCell {
                x_mm: c.x_mm + dx,
                y_mm: c.y_mm + dy,
                ..c.clone()
            });
        }
    }
}

/// What a vertical item is, for pagination.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Kind {
    /// A line of text or an image.
    Line,
    /// A table row; `header` rows of table `table` repeat on every page.
    Row { table: usize, header: bool },
    /// A forced page break.
    PageBreak,
    /// A new section: a new page with the section's geometry.
    Section(usize),
    /// The QR code: outside the flow, drawn at a corner of the page it
    /// falls on once the page is full ([`super::requisites::qr_origin`]).
    Qr { size_mm: f32, place: QrPlace },
}

/// One vertical item.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// Space above, mm (the previous block's space after plus this one's before).
    pub(crate) gap: f32,
    /// Height, mm.
    pub(crate) height: f32,
    /// A page may not end just before this item.
    pub(crate) keep_prev: bool,
    pub(crate) kind: Kind,
    pub(crate) content: Content,
}

/// Page geometry of a section.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Geometry {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) margins: Margins,
}

impl Geometry {
    pub(crate) fn of(section: &Section) -> Geometry {
        let (width, height) = section.orientation.page_mm();
        Geometry {
            width,
            height,
            margins: section.margins,
        }
    }

    /// Width between the left and right margins, mm.
    pub(crate) fn text_width(&self) -> f32 {
        self.width - self.margins.left - self.margins.right
    }

    /// Height between the top and bottom margins, mm.
    pub(crate) fn text_height(&self) -> f32 {
        self.height - self.margins.top - self.margins.bottom
    }
}

/// Line height of single spacing, mm: the font's ascender, descender and
/// line gap, rounded to twips as LibreOffice does.
pub(crate) fn line_height(fonts: &FontSet, size_pt: f32) -> f32 {
    (fonts.face(0).line * size_pt * 20.0).round() / 20.0 * PT
}

/// Baseline below the top of a line, mm.
pub(crate) fn ascent(fonts: &FontSet, size_pt: f32) -> f32 {
    // LibreOffice sets the baseline 0.195 pt (at 14 pt) above the hhea
    // ascender, measured on its PDF of our DOCX.
    (fonts.face(0).ascent * size_pt - 0.195 / 14.0 * size_pt) * PT
}

/// Lays blocks out; collects missing characters on the way.
pub(crate) struct Flow<'a> {
    pub(crate) fonts: &'a FontSet,
    /// Characters the fonts lack, each once, with the face (index) that
    /// lacked it first.
    pub(crate) missing: Vec<(char, u8)>,
    pub(crate) tables: usize,
    pub(crate) images: Vec<Image>,
    /// Item indices of each table's header rows.
    pub(crate) headers: Vec<Vec<usize>>,
    /// Cells merged across rows, laid out apart from their rows.
    pub(crate) merged: Vec<tables::Merged>,
    /// The last rows of merged cells in table bodies, in item order.
    pub(crate) growing: Vec<tables::GrowingRow>,
    /// Header rows that end a merged cell: their index and height, mm.
    pub(crate) grown_headers: Vec<(usize, f32)>,
    /// Table text size, pt.
    pub(crate) table_pt: f32,
    /// Hyphenation points found so far.
    pub(crate) hyphens: linebreak::Hyphens,
    /// Keep each line's text and measures ([`PlacedLine`]) for inspection.
    /// Writing a PDF does not need them, and a 1000-page document would
    /// hold its whole text a second time.
    pub(crate) record_lines: bool,
    /// Words refused a third hyphenated line in a row, for the DOCX.
    pub(crate) keep_whole: Vec<KeepWhole>,
    /// The structure tree of a tagged PDF, `None` when not tagging.
    pub(crate) tags: Option<super::tags::StructTree>,
    /// Cuts the section's items into pages as a long table comes
    /// ([`Flow::flush`]); `None` where items are laid out apart (a cell).
    pub(crate) pager: Option<Pager<'a>>,
}

/// Context of a run of blocks.
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    /// Size of paragraphs that set none, pt.
    pub(crate) size: f32,
    /// Available width, mm.
    pub(crate) width: f32,
    /// Height between the page's top and bottom margins, mm: a table row
    /// taller than this is split.
    pub(crate) page_height: f32,
    /// The page's top margin, mm: a coat of arms is placed from the
    /// page's top edge.
    pub(crate) top_margin: f32,
    /// Inside a table cell: no widow or orphan control.
    pub(crate) in_cell: bool,
    /// Lines belong to a header row.
    pub(crate) header: bool,
}

/// A paragraph ready for breaking.
struct Para<'p> {
    p: &'p Paragraph,
    label: Option<&'p str>,
    shift: f32,
    /// No hyphenation (requisites, signatures).
    no_hyphen: bool,
}

impl<'a> Flow<'a> {
    /// Paginates the section's items laid out so far (`out`), so that a
    /// streaming pager hands on the pages they close.
    pub(crate) fn flush(&mut self, out: &mut [Item]) {
        // Only a streaming pager places items early: the whole layout
        // places them once they are all known (a merged cell's last row
        // is marked only after it is laid out).
        if let Some(pager) = &mut self.pager
            && pager.sink.is_some()
        {
            pager.flush(out, &self.headers, &self.merged, &self.growing);
        }
    }

    /// The line's content, without its [`PlacedLine`] unless recorded.
    fn recorded(&self, mut content: Content) -> Content {
        if !self.record_lines {
            content.lines = Vec::new();
        }
        content
    }

    /// Turns blocks into items, appended to `out`.
    pub(crate) fn blocks(&mut self, blocks: &[Block], ctx: Ctx, out: &mut Vec<Item>) {
        // Space after the previous block, carried into the next one's gap.
        let mut after = 0.0;
        // The previous block asked to stay with this one.
        let mut keep = false;
        for (k, block) in blocks.iter().enumerate() {
            match block {
                Block::Paragraph(p) => {
                    let para = Para {
                        p,
                        label: None,
                        shift: 0.0,
                        no_hyphen: !p.hyphenated(),
                    };
                    self.paragraph(&para, ctx, &mut after, &mut keep, out);
                }
                Block::List(list) => {
                    self.tag_open(super::tags::Role::L);
                    for item in &list.items {
                        self.tag_list_item(true);
                        for (i, p) in item.paragraphs.iter().enumerate() {
                            let para = Para {
                                p,
                                label: (i == 0).then_some(item.label.as_str()),
                                shift: 0.0,
                                no_hyphen: !p.hyphenated(),
                            };
                            self.paragraph(&para, ctx, &mut after, &mut keep, out);
                        }
                        self.tag_list_item(false);
                    }
                    self.tag_close();
                }
                Block::RequisiteBox(b) => {
                    let shift = (ctx.width - b.width_mm.min(ctx.width)).max(0.0);
                    for p in &b.paragraphs {
                        // Requisites are never hyphenated (LAYOUT.md §4).
                        let para = Para {
                            p,
                            label: None,
                            shift,
                            no_hyphen: true,
                        };
                        self.paragraph(&para, ctx, &mut after, &mut keep, out);
                    }
                }
                Block::Signature(s) => self.signature(s, ctx, &mut after, &mut keep, out),
                Block::Spread(s) => self.spread(s, ctx, &mut after, &mut keep, out),
                Block::Table(t) => {
                    let table = self.tables;
                    self.tables += 1;
                    tables::table(self, t, table, ctx, (after, keep), out);
                    after = 0.0;
                    keep = false;
                }
                Block::PageBreak => {
                    out.push(Item {
                        gap: 0.0,
                        height: 0.0,
                        keep_prev: false,
                        kind: Kind::PageBreak,
                        content: Content::default(),
                    });
                    after = 0.0;
                    keep = false;
                }
                Block::Qr(q) => out.push(super::requisites::qr_item(q)),
                Block::Image(img) => {
                    if let ImagePlacement::PageTop { top_mm, gap_mm } = img.placement {
                        self.emblem(img, top_mm, gap_mm, ctx, out);
                        // The DOCX anchors the picture in the paragraph
                        // that follows; with none, in an empty one.
                        let anchor = matches!(
                            blocks.get(k + 1),
                            Some(Block::Paragraph(_) | Block::Signature(_) | Block::Image(_))
                        ) || matches!(blocks.get(k + 1), Some(Block::List(l)) if l.items.first().is_some_and(|i| !i.paragraphs.is_empty()))
                            || matches!(blocks.get(k + 1), Some(Block::RequisiteBox(b)) if !b.paragraphs.is_empty())
                            || matches!(blocks.get(k + 1), Some(Block::Spread(s)) if s.parts().iter().any(|p| !p.is_empty()));
                        if !anchor {
                            out.push(Item {
                                gap: 0.0,
                                height: line_height(self.fonts, ctx.size),
                                keep_prev: true,
                                kind: Kind::Line,
                                content: Content::default(),
                            });
                        }
                        after = 0.0;
                        keep = true;
                        continue;
                    }
                    let index = self.images.len();
                    self.images.push(img.clone());
                    // Too wide a picture shrinks to the measure, keeping
                    // its proportions.
                    let scale = if img.width_mm > ctx.width && img.width_mm > 0.0 {
                        ctx.width / img.width_mm
                    } else {
                        1.0
                    };
                    let (w, h) = (img.width_mm * scale, img.height_mm * scale);
                    let x = match img.align {
                        Align::Center => (ctx.width - w) / 2.0,
                        Align::Right => ctx.width - w,
                        Align::Left | Align::Justify => 0.0,
                    };
                    // The DOCX puts the picture in a paragraph: it sits on the
                    // baseline of a line as tall as the picture plus the descent.
                    let line = line_height(self.fonts, ctx.size);
                    let desc = line - ascent(self.fonts, ctx.size);
                    let mut content = Content {
                        draws: vec![Draw::Image {
                            index,
                            x,
                            y: 0.0,
                            w,
                            h,
                        }],
                        ..Content::default()
                    };
                    self.tag_figure(&mut content, img);
                    out.push(Item {
                        gap: after,
                        height: h + desc,
                        keep_prev: keep,
                        kind: Kind::Line,
                        content,
                    });
                    after = 0.0;
                    keep = false;
                }
            }
        }
        // Trailing space after the last block still separates it from what follows.
        if after > 0.0 {
            out.push(Item {
                gap: after,
                height: 0.0,
                keep_prev: true,
                kind: Kind::Line,
                content: Content::default(),
            });
        }
    }

    /// The coat of arms at the top of a section's first page: an item as
    /// tall as the space from the top margin down to the text below the
    /// picture, which it draws above itself, from the page's top edge.
    fn emblem(&mut self, img: &Image, top_mm: f32, gap_mm: f32, ctx: Ctx, out: &mut Vec<Item>) {
        let index = self.images.len();
        self.images.push(img.clone());
        let scale = if img.width_mm > ctx.width && img.width_mm > 0.0 {
            ctx.width / img.width_mm
        } else {
            1.0
        };
        let (w, h) = (img.width_mm * scale, img.height_mm * scale);
        let mut content = Content {
            draws: vec![Draw::Image {
                index,
                x: (ctx.width - w) / 2.0,
                y: top_mm - ctx.top_margin,
                w,
                h,
            }],
            ..Content::default()
        };
        self.tag_figure(&mut content, img);
        out.push(Item {
            gap: 0.0,
            height: (top_mm + h + gap_mm - ctx.top_margin).max(0.0),
            keep_prev: false,
            kind: Kind::Line,
            content,
        });
    }

    /// Flattens a paragraph's runs into measured characters.
    fn chars(&mut self, runs: &[Inline], label: Option<&str>, size: f32) -> Vec<Ch> {
        let mut chars = Vec::new();
        if let Some(label) = label {
            let text = format!("{label} ");
            linebreak::measure_chars(self.fonts, &text, 0, size, &mut chars, &mut self.missing);
        }
        for run in runs {
            match run {
                Inline::Text { text, style } => {
                    let mut s = face_index(style.bold, style.italic);
                    if style.spaced {
                        s |= SPACED;
                    }
                    if style.underline {
                        s |= UNDERLINE;
                    }
                    if style.nohyphen {
                        s |= NO_HYPHEN;
                    }
                    linebreak::measure_chars(
                        self.fonts,
                        text,
                        s,
                        size,
                        &mut chars,
                        &mut self.missing,
                    );
                }
                Inline::LineBreak => chars.push(Ch {
                    c: '\n',
                    style: 0,
                    w: 0.0,
                }),
            }
        }
        chars
    }

    fn paragraph(
        &mut self,
        para: &Para<'_>,
        ctx: Ctx,
        after: &mut f32,
        keep: &mut bool,
        out: &mut Vec<Item>,
    ) {
        let p = para.p;
        let size = p.size_pt.unwrap_or(ctx.size);
        let mut chars = self.chars(&p.runs, para.label, size);
        let label_chars = self.tag_paragraph(p, para.label);
        self.tag_label_chars(&mut chars, label_chars);
        let left = p.left_mm + para.shift;
        // `width` narrows the lines from the right (the DOCX's right indent).
        let rest = ctx.width - left - p.right_mm(ctx.width - para.shift);
        let measure = Measure {
            first: rest - p.first_line_mm,
            rest,
            hyphenate: !para.no_hyphen,
            hyphenate_wide: ctx.in_cell,
        };
        let hyphen_w = self.fonts.face(0).advance('-').unwrap_or(0.33) * size * PT;
        let lines = linebreak::break_lines(&chars, measure, hyphen_w, &mut self.hyphens);
        // The label («1.1. ») is laid out with the text but is not in it.
        let label_chars = para.label.map_or(0, |l| l.chars().count() + 1);
        self.keep_whole.extend(
            lines
                .iter()
                .filter_map(|l| l.refused)
                .map(|(a, b)| KeepWhole {
                    paragraph: KeepWhole::key(p),
                    chars: a.saturating_sub(label_chars)..b.saturating_sub(label_chars),
                }),
        );
        let lh = line_height(self.fonts, size);
        let asc = ascent(self.fonts, size);
        let n = lines.len();
        let start = out.len();
        for (k, line) in lines.iter().enumerate() {
            let (x0, avail) = if k == 0 {
                (left + p.first_line_mm, measure.first)
            } else {
                (left, measure.rest)
            };
            let mut content = self.recorded(set_line_as(
                self.record_lines,
                &chars,
                line,
                p.align,
                x0,
                avail,
                asc,
                size,
                ctx.header,
            ));
            self.tag_line(&mut content, &chars, line);
            // Orphans and widows: a page may not end after the first line
            // or before the last one of a body paragraph.
            let widow_orphan = !ctx.in_cell && n >= 2 && (k == 1 || k == n - 1);
            // A paragraph kept with the next one (a decision above the
            // signature) moves to the next page whole, as LibreOffice
            // does with the DOCX, rather than leaving part of it behind.
            let kept_whole = !ctx.in_cell && p.keep_with_next;
            out.push(Item {
                gap: if k == 0 {
                    between(*after, p.space_before_pt * PT)
                } else {
                    0.0
                },
                height: lh,
                keep_prev: if k == 0 {
                    *keep
                } else {
                    widow_orphan || kept_whole
                },
                kind: Kind::Line,
                content,
            });
        }
        debug_assert!(out.len() > start);
        if p.rule_below
            && let Some(last) = out.last_mut()
        {
            // The rule is part of the paragraph's last line, as in
            // LibreOffice: the gap and the rule's width make it taller.
            let (gap, width) = (RULE_GAP_PT * PT, RULE_WIDTH_PT * PT);
            let y = last.height + gap + width / 2.0;
            last.content.draws.push(Draw::Rule {
                x1: left,
                y1: y,
                x2: left + rest,
                y2: y,
                width_pt: RULE_WIDTH_PT,
            });
            last.height += gap + width;
        }
        *after = p.space_after_pt * PT;
        *keep = p.keep_with_next;
    }

    fn signature(
        &mut self,
        s: &Signature,
        ctx: Ctx,
        after: &mut f32,
        keep: &mut bool,
        out: &mut Vec<Item>,
    ) {
        let start = out.len();
        let size = ctx.size;
        let lh = line_height(self.fonts, size);
        let asc = ascent(self.fonts, size);
        let empty: Vec<Inline> = Vec::new();
        let lines: Vec<&Vec<Inline>> = if s.position.is_empty() {
            vec![&empty]
        } else {
            s.position.iter().collect()
        };
        let count = lines.len();
        let name_chars = self.chars(
            &[Inline::Text {
                text: s.name.clone(),
                style: RunStyle::default(),
            }],
            None,
            size,
        );
        let name_w: f32 = name_chars.iter().map(|c| c.w).sum();
        let mut first = true;
        for (i, runs) in lines.into_iter().enumerate() {
            let chars = self.chars(runs, None, size);
            let last = i + 1 == count;
            self.tag_leaf();
            let measure = Measure {
                first: ctx.width,
                rest: ctx.width,
                hyphenate: false,
                hyphenate_wide: false,
            };
            let broken = linebreak::break_lines(&chars, measure, 0.0, &mut self.hyphens);
            let nb = broken.len();
            for (k, line) in broken.iter().enumerate() {
                let mut content = self.recorded(set_line_as(
                    self.record_lines,
                    &chars,
                    line,
                    Align::Left,
                    0.0,
                    ctx.width,
                    asc,
                    size,
                    false,
                ));
                self.tag_line(&mut content, &chars, line);
                if last && k + 1 == nb {
                    self.tag_space_after(&mut content);
                    let name_line = linebreak::Line {
                        start: 0,
                        end: name_chars.len(),
                        hyphen: false,
                        last: true,
                        width: name_w,
                        refused: None,
                    };
                    let name = self.recorded(set_line_as(
                        self.record_lines,
                        &name_chars,
                        &name_line,
                        Align::Right,
                        0.0,
                        ctx.width,
                        asc,
                        size,
                        false,
                    ));
                    content.append(&name, 0.0, 0.0);
                }
                out.push(Item {
                    gap: if first {
                        between(*after, s.space_before_pt * PT)
                    } else {
                        0.0
                    },
                    // The signature stays with the lines above it (widow
                    // control keeps two of them) and its own lines together.
                    keep_prev: true,
                    height: lh,
                    kind: Kind::Line,
                    content,
                });
                first = false;
            }
        }
        super::requisites::attach_mark(self.fonts, s, ctx.width, size, &mut out[start..]);
        *after = 0.0;
        *keep = s.keep_with_next;
    }

    /// A spread line ([`Spread::rows`]): parts that fit on one line are
    /// set where the DOCX's tab stops put them, the left part at the
    /// margin, the centre one centred on the text area, the right one
    /// flush with the right margin; a part set alone is a paragraph
    /// aligned as its place says, never hyphenated.
    fn spread(
        &mut self,
        s: &Spread,
        ctx: Ctx,
        after: &mut f32,
        keep: &mut bool,
        out: &mut Vec<Item>,
    ) {
        let size = ctx.size;
        let lh = line_height(self.fonts, size);
        let asc = ascent(self.fonts, size);
        let parts = s.parts().map(|runs| self.chars(runs, None, size));
        let widths = parts
            .each_ref()
            .map(|chars| chars.iter().map(|c| c.w).sum::<f32>());
        let rows = s.rows(widths, ctx.width);
        let count = rows.len();
        for (i, row) in rows.into_iter().enumerate() {
            let before = if i == 0 { s.space_before_pt } else { 0.0 };
            let after_pt = if i + 1 == count {
                s.space_after_pt
            } else {
                0.0
            };
            // The lines of one spread stay on one page.
            let keep_next = i + 1 < count;
            let on_line = match row {
                SpreadRow::Alone(part) => {
                    let p = s.alone(part, before, after_pt, keep_next);
                    let para = Para {
                        p: &p,
                        label: None,
                        shift: 0.0,
                        no_hyphen: true,
                    };
                    self.paragraph(&para, ctx, after, keep, out);
                    continue;
                }
                SpreadRow::Tabbed {
                    left,
                    center,
                    right,
                } => [left, center, right],
            };
            let xs = [0.0, (ctx.width - widths[1]) / 2.0, ctx.width - widths[2]];
            let mut content = Content::default();
            self.tag_leaf();
            self.tag_mark(&mut content);
            for k in (0..3).filter(|&k| on_line[k] && !parts[k].is_empty()) {
                self.tag_space_after(&mut content);
                let line = linebreak::Line {
                    start: 0,
                    end: parts[k].len(),
                    hyphen: false,
                    last: true,
                    width: widths[k],
                    refused: None,
                };
                let set = self.recorded(set_line_as(
                    self.record_lines,
                    &parts[k],
                    &line,
                    Align::Left,
                    xs[k],
                    ctx.width - xs[k],
                    asc,
                    size,
                    false,
                ));
                content.append_owned(set, 0.0, 0.0);
            }
            out.push(Item {
                gap: between(*after, before * PT),
                height: lh,
                keep_prev: *keep,
                kind: Kind::Line,
                content,
            });
            *after = after_pt * PT;
            *keep = keep_next;
        }
    }
}

/// The space between a block and the paragraph or signature after it, mm:
/// the larger of the one's space after and the other's space before, not
/// their sum. LibreOffice lays out our DOCX so (16 pt after a title and
/// 12 pt before a heading make 16 pt, measured in
/// `tests/backend2_layout.rs`), and so must the PDF. A table takes the
/// space after the paragraph above it whole: it has no space before.
fn between(after: f32, before: f32) -> f32 {
    after.max(before)
}

/// Sets one broken line: groups characters into text draws, positions them
/// for the alignment and justifies by widening the spaces.
#[allow(clippy::too_many_arguments)]
pub(crate) fn set_line(
    chars: &[Ch],
    line: &linebreak::Line,
    align: Align,
    x0: f32,
    avail: f32,
    asc: f32,
    size: f32,
    header: bool,
) -> Content {
    set_line_as(true, chars, line, align, x0, avail, asc, size, header)
}

/// [`set_line`], with its [`PlacedLine`] only when `record`: the text of
/// every line a second time is what a PDF writer never reads.
#[allow(clippy::too_many_arguments)]
fn set_line_as(
    record: bool,
    chars: &[Ch],
    line: &linebreak::Line,
    align: Align,
    x0: f32,
    avail: f32,
    asc: f32,
    size: f32,
    header: bool,
) -> Content {
    let slice = &chars[line.start..line.end];
    // Only a justified line that is not a paragraph's last needs its spaces.
    let spaces = if align == Align::Justify && !line.last {
        slice.iter().filter(|c| c.c == ' ').count()
    } else {
        0
    };
    let slack = avail - line.width;
    let (mut x, extra) = match align {
        Align::Left => (x0, 0.0),
        Align::Center => (x0 + slack / 2.0, 0.0),
        Align::Right => (x0 + slack, 0.0),
        Align::Justify if !line.last && spaces > 0 && slack > 0.0 => (x0, slack / spaces as f32),
        Align::Justify => (x0, 0.0),
    };
    let start_x = x;
    // Nearly every line is one run of one style: one draw, and one string
    // made at its exact length that becomes the run's text without a copy
    // (a run cut off by a change of style is copied out at its length).
    let mut draws = Vec::with_capacity(1);
    let bytes = slice.iter().map(|c| c.c.len_utf8()).sum::<usize>() + usize::from(line.hyphen);
    let mut text = String::with_capacity(bytes);
    let mut run_x = x;
    let mut style = slice.first().map_or(0, |c| c.style & !NO_HYPHEN);
    let flush = |draws: &mut Vec<Draw>, text: String, style: u8, run_x: f32, end_x: f32| {
        if !text.is_empty() {
            draws.push(Draw::Text {
                x: run_x,
                y: asc,
                style,
                size,
                text: Run::new(text, extra),
            });
            if style & UNDERLINE != 0 {
                let y = asc + 0.1 * size * PT;
                draws.push(Draw::Rule {
                    x1: run_x,
                    y1: y,
                    x2: end_x,
                    y2: y,
                    width_pt: 0.05 * size,
                });
            }
        }
    };
    for ch in slice {
        // Hyphenation is no matter of drawing: a name in `<nh>` is
        // drawn in one piece with the text around it.
        if ch.style & !NO_HYPHEN != style {
            flush(&mut draws, text.clone(), style, run_x, x);
            text.clear();
            style = ch.style & !NO_HYPHEN;
            run_x = x;
        }
        text.push(ch.c);
        x += ch.w;
        if ch.c == ' ' && extra > 0.0 {
            x += extra;
        }
    }
    if line.hyphen {
        text.push('-');
        x += line.width - slice.iter().map(|c| c.w).sum::<f32>();
    }
    flush(&mut draws, text, style, run_x, x);
    draws.shrink_to_fit();
    let lines = if record {
        let plain: String =
            slice.iter().map(|c| c.c).collect::<String>() + if line.hyphen { "-" } else { "" };
        vec![PlacedLine {
            text: plain,
            x_mm: start_x,
            y_mm: asc,
            width_mm: line.width,
            measure_mm: avail - (start_x - x0),
            in_header_row: header,
        }]
    } else {
        Vec::new()
    };
    Content {
        draws,
        lines,
        cells: Vec::new(),
    }
}

/// A page being filled.
struct PageState {
    geo: Geometry,
    /// Placed items: index and top, mm from the page's top edge.
    placed: Vec<(usize, f32)>,
    /// Items placed, counted from this index, may move to the next page.
    first_item: usize,
    /// The page started after a forced break or a section start.
    forced: bool,
}

/// Cuts the items into pages, as they come: the pages a long document
/// closes go to its [`Streamer`](super::write::Streamer) at once, so that
/// their lines are encoded and freed while the layout goes on; otherwise
/// they are assembled when the last item is placed ([`Pager::finish`]).
pub(crate) struct Pager<'a> {
    /// Geometry of each section, pushed as the sections come.
    pub(crate) geometries: Vec<Geometry>,
    numbered: bool,
    fonts: &'a FontSet,
    body_pt: f32,
    tagged: bool,
    done: Vec<PageState>,
    page: PageState,
    y: f32,
    /// The next item to place.
    i: usize,
    section_started: bool,
    /// QR codes: the first page of the item's section, and the item.
    floating: Vec<(usize, usize)>,
    section_page: usize,
    /// Pages handed to the sink so far.
    sent: usize,
    /// Where closed pages go; `None` keeps every page to the end.
    pub(crate) sink: Option<super::write::Streamer<'a>>,
}

/// A long document's pages are handed on from this many closed pages: a
/// shorter one is assembled whole, as before.
pub(crate) const PAGES_TO_STREAM: usize = 16;

impl<'a> Pager<'a> {
    pub(crate) fn new(numbered: bool, fonts: &'a FontSet, body_pt: f32, tagged: bool) -> Self {
        let (width, height) = Orientation::Portrait.page_mm();
        let page = PageState {
            geo: Geometry {
                width,
                height,
                margins: Margins::PORTRAIT,
            },
            placed: Vec::new(),
            first_item: 0,
            forced: true,
        };
        Pager {
            geometries: Vec::new(),
            numbered,
            fonts,
            body_pt,
            tagged,
            y: page.geo.margins.top,
            done: Vec::new(),
            page,
            i: 0,
            section_started: false,
            floating: Vec::new(),
            section_page: 0,
            sent: 0,
            sink: None,
        }
    }

    /// Places the items not placed yet; a page may end before the last
    /// of them, never after.
    fn place(
        &mut self,
        items: &mut [Item],
        headers: &[Vec<usize>],
        merged: &[tables::Merged],
        growing: &[tables::GrowingRow],
    ) {
        if self.i == 0
            && self.done.is_empty()
            && let Some(&geo) = self.geometries.first()
        {
            self.page.geo = geo;
            self.y = geo.margins.top;
        }
        while self.i < items.len() {
            let i = self.i;
            let item = &items[i];
            match item.kind {
                Kind::Qr { .. } => {
                    self.floating.retain(|&(_, k)| k != i);
                    self.floating.push((self.section_page, i));
                    self.i += 1;
                    continue;
                }
                Kind::Section(s) => {
                    let geo = self.geometries[s];
                    if self.section_started || !self.page.placed.is_empty() {
                        let next = new_page(geo, i + 1, true);
                        self.done.push(std::mem::replace(&mut self.page, next));
                    } else {
                        self.page.geo = geo;
                    }
                    self.section_started = true;
                    self.section_page = self.done.len();
                    self.y = self.page.geo.margins.top;
                    self.i += 1;
                    continue;
                }
                Kind::PageBreak => {
                    let next = new_page(self.page.geo, i + 1, true);
                    self.done.push(std::mem::replace(&mut self.page, next));
                    self.y = self.page.geo.margins.top;
                    self.i += 1;
                    continue;
                }
                _ => {}
            }
            let page = &self.page;
            let bottom = page.geo.height - page.geo.margins.bottom;
            let at_top = page.placed.is_empty();
            let gap = if at_top && !page.forced {
                0.0
            } else {
                item.gap
            };
            if let Ok(g) = growing.binary_search_by_key(&i, |g| g.item) {
                let height =
                    grown_height(&growing[g], merged, items, &self.done, page, self.y + gap);
                items[i].height = height;
            }
            let item = &items[i];
            if self.y + gap + item.height <= bottom + 0.01 || at_top {
                self.page.placed.push((i, self.y + gap));
                self.y += gap + item.height;
                self.i += 1;
                continue;
            }
            // Back up to the last item a page may end before.
            let mut j = i;
            while j > self.page.first_item && items[j].keep_prev {
                j -= 1;
            }
            if j == self.page.first_item {
                // Nothing on this page may be separated: break where it overflows.
                j = i;
            }
            let keep = self.page.placed.iter().take_while(|(k, _)| *k < j).count();
            self.page.placed.truncate(keep);
            let next = new_page(self.page.geo, j, false);
            self.done.push(std::mem::replace(&mut self.page, next));
            self.y = self.page.geo.margins.top;
            // Repeat the header rows of a table continued on this page.
            if let Kind::Row {
                table,
                header: false,
            } = items[j].kind
            {
                for &h in &headers[table] {
                    self.page.placed.push((h, self.y));
                    self.y += items[h].height;
                }
            }
            self.i = j;
        }
    }

    /// Places the items that came since the last call and, streaming,
    /// hands on the pages closed since.
    pub(crate) fn flush(
        &mut self,
        items: &mut [Item],
        headers: &[Vec<usize>],
        merged: &[tables::Merged],
        growing: &[tables::GrowingRow],
    ) {
        self.place(items, headers, merged, growing);
        if self.sink.is_some() && self.done.len() >= PAGES_TO_STREAM {
            self.send(items, self.done.len());
        }
    }

    /// Assembles the closed pages from `self.sent` up to `to` and hands
    /// them to the sink: each item's content moves into its page, a
    /// header row's is copied (it repeats on the pages to come).
    fn send(&mut self, items: &mut [Item], to: usize) {
        let Some(sink) = self.sink.as_mut() else {
            return;
        };
        let mut take = |_: usize, item: &Item| !matches!(item.kind, Kind::Row { header: true, .. });
        for n in self.sent..to {
            let page = assemble(
                n,
                &self.done[n],
                items,
                &mut take,
                Vec::new(),
                &mut [],
                self.numbered && n > 0,
                &[],
                self.fonts,
                self.body_pt,
                false,
            );
            // Its items are gone; only the count of pages is still read.
            self.done[n].placed = Vec::new();
            sink.page(page);
        }
        self.sent = to;
    }

    /// Places the last items and closes the last page. Streaming, the
    /// remaining pages go to the sink, and the layout returned has no
    /// pages; otherwise it holds them all.
    pub(crate) fn finish(
        mut self,
        mut items: Vec<Item>,
        headers: &[Vec<usize>],
        merged: &mut [tables::Merged],
        growing: &[tables::GrowingRow],
    ) -> (Layout, Option<super::write::Streamer<'a>>) {
        self.place(&mut items, headers, merged, growing);
        let geo = self.page.geo;
        let page = std::mem::replace(&mut self.page, new_page(geo, 0, false));
        self.done.push(page);
        // Drop a trailing empty page left by a final page break.
        if self.done.len() > 1 && self.done.last().is_some_and(|p| p.placed.is_empty()) {
            self.done.pop();
        }
        let empty = Layout {
            pages: Vec::new(),
            images: Vec::new(),
            keep_whole: Vec::new(),
        };
        if self.sent > 0 {
            self.send(&mut items, self.done.len());
            return (empty, self.sink.take());
        }
        let done = &self.done;
        // How many more times each item is placed: its last placement takes
        // the content instead of copying it.
        let mut uses = vec![0u32; items.len()];
        for page in done {
            for &(k, _) in &page.placed {
                uses[k] += 1;
            }
        }
        let mut extra = merged_content(&mut items, done, merged, growing);
        // Tagged PDF: which items were placed already (header rows repeat).
        let mut placed_before = vec![false; if self.tagged { items.len() } else { 0 }];
        let mut take = |k: usize, _: &Item| {
            uses[k] -= 1;
            uses[k] == 0
        };
        let mut pages = Vec::with_capacity(done.len());
        for (n, page) in done.iter().enumerate() {
            let extras = extra.get_mut(n).map(std::mem::take).unwrap_or_default();
            pages.push(assemble(
                n,
                page,
                &mut items,
                &mut take,
                extras,
                &mut placed_before,
                self.numbered && n > 0,
                &self.floating,
                self.fonts,
                self.body_pt,
                self.tagged,
            ));
        }
        (Layout { pages, ..empty }, self.sink.take())
    }
}

/// Page `n` of the document from its placed items. `take` says whether an
/// item's content moves into the page (its last placement) or is copied.
#[allow(clippy::too_many_arguments)]
fn assemble(
    n: usize,
    page: &PageState,
    items: &mut [Item],
    take: &mut dyn FnMut(usize, &Item) -> bool,
    mut extras: Vec<Placed>,
    placed_before: &mut [bool],
    numbered: bool,
    floating: &[(usize, usize)],
    fonts: &FontSet,
    body_pt: f32,
    tagged: bool,
) -> PageLayout {
    let mut content = Content::default();
    // Inserted last first, so that the earlier places stay where
    // they are.
    extras.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).reverse());
    for &(k, top) in &page.placed {
        let base = (content.draws.len(), content.lines.len());
        if take(k, &items[k]) {
            let taken = std::mem::take(&mut items[k].content);
            content.append_owned(taken, page.geo.margins.left, top);
        } else {
            content.append(&items[k].content, page.geo.margins.left, top);
        }
        // A merged cell's text goes among the row's cells, in reading
        // order, as the DOCX holds it.
        if !extras.is_empty() {
            for (_, at, e) in extras.iter_mut().filter(|(key, _, _)| *key == k) {
                let mut e = std::mem::take(e);
                e.shift_all(page.geo.margins.left);
                content.insert(
                    e,
                    (base.0.saturating_add(at.0), base.1.saturating_add(at.1)),
                );
            }
        }
        // A header row's text belongs to its first place; its copies
        // on later pages are artifacts.
        if tagged && std::mem::replace(&mut placed_before[k], true) {
            super::tags::as_artifacts(&mut content.draws[base.0..]);
        }
    }
    if numbered {
        let number = (n + 1).to_string();
        let mut chars = Vec::new();
        let mut missing = Vec::new();
        linebreak::measure_chars(fonts, &number, 0, body_pt, &mut chars, &mut missing);
        let w: f32 = chars.iter().map(|c| c.w).sum();
        let width = page.geo.text_width();
        let line = linebreak::Line {
            start: 0,
            end: chars.len(),
            hyphen: false,
            last: true,
            width: w,
            refused: None,
        };
        let set = set_line(
            &chars,
            &line,
            Align::Center,
            0.0,
            width,
            ascent(fonts, body_pt),
            body_pt,
            false,
        );
        if tagged {
            let artifact = super::tags::Mark::Node(super::tags::ARTIFACT);
            content.draws.push(Draw::Mark(artifact));
        }
        content.append(&set, page.geo.margins.left, HEADER_DISTANCE_MM);
    }
    for &(_, k) in floating.iter().filter(|(p, _)| *p == n) {
        if let Kind::Qr { size_mm, place } = items[k].kind {
            let at = super::requisites::qr_origin(fonts, size_mm, place, &content.draws, &page.geo);
            if tagged {
                // A picture of the registration data, not text to read.
                let artifact = super::tags::Mark::Node(super::tags::ARTIFACT);
                content.draws.push(Draw::Mark(artifact));
            }
            content.append_owned(std::mem::take(&mut items[k].content), at.0, at.1);
        }
    }
    // Every page is held until the writer takes it: no spare room.
    content.draws.shrink_to_fit();
    PageLayout {
        width_mm: page.geo.width,
        height_mm: page.geo.height,
        lines: content.lines,
        cells: content.cells,
        draws: content.draws,
    }
}

/// Something drawn with a row item of a page: the item, where among its
/// draws and lines, and the content.
type Placed = (usize, (usize, usize), Content);

/// The height of the last row of merged cells placed at `top` on `page`:
/// its own, or more when a merged cell's text, flowing beside the group's
/// rows on this page and the pages before, needs more room.
fn grown_height(
    g: &tables::GrowingRow,
    merged: &[tables::Merged],
    items: &[Item],
    done: &[PageState],
    page: &PageState,
    top: f32,
) -> f32 {
    let rule_mm = RULE_PT * PT;
    let mut height = g.natural;
    for m in merged.iter().filter(|m| m.last == g.item && !m.header) {
        let in_group = |k: usize| (m.first..g.item).contains(&k);
        // The group's rows on the pages before, then on this one.
        let mut parts = Vec::new();
        for p in done.iter().rev() {
            match part_of(p, items, &in_group) {
                Some(part) => parts.push(part),
                None if p.placed.iter().any(|&(k, _)| k < m.first) => break,
                None => {}
            }
        }
        parts.reverse();
        let here = part_of(page, items, &in_group).map_or(top, |(t, _)| t);
        parts.push((here, f32::INFINITY));
        let (placed, end) = tables::fill(&m.items, &parts, rule_mm);
        if placed.last().is_some_and(|&(k, _)| k + 1 == parts.len()) {
            height = height.max(here + end + rule_mm - top);
        }
    }
    height
}

/// The top and bottom of the items of a page that `in_group` selects.
fn part_of(
    page: &PageState,
    items: &[Item],
    in_group: &impl Fn(usize) -> bool,
) -> Option<(f32, f32)> {
    let mut part: Option<(f32, f32)> = None;
    for &(k, top) in page.placed.iter().filter(|(k, _)| in_group(*k)) {
        let bottom = top + items[k].height;
        part = Some(part.map_or((top, bottom), |(t, b)| (t.min(top), b.max(bottom))));
    }
    part
}

/// What each page draws of the cells merged across rows, relative to the
/// left margin and the page's top edge: their lines, spread over the
/// group's rows page by page, the rules where a page cuts a group, and
/// the borders of the rows that grew for them.
fn merged_content(
    items: &mut [Item],
    done: &[PageState],
    merged: &mut [tables::Merged],
    growing: &[tables::GrowingRow],
) -> Vec<Vec<Placed>> {
    if merged.is_empty() {
        return Vec::new();
    }
    let rule_mm = RULE_PT * PT;
    // Per page: (the item among whose content to draw, where in it, what).
    let mut out: Vec<Vec<Placed>> = vec![Vec::new(); done.len()];
    // Where each item was placed last (page, top): body rows are placed
    // once. One pass, so a long roadmap with many groups stays linear.
    let mut at: Vec<(usize, f32)> = vec![(usize::MAX, 0.0); items.len()];
    for (n, page) in done.iter().enumerate() {
        for &(k, top) in &page.placed {
            at[k] = (n, top);
        }
    }
    for m in merged.iter_mut() {
        // (page, top, bottom, first item) of each part.
        let mut parts: Vec<(usize, f32, f32, usize)> = Vec::new();
        if m.header {
            // Every copy of the header rows draws the cell whole.
            let height: f32 = items[m.first..=m.last].iter().map(|i| i.height).sum();
            for (n, page) in done.iter().enumerate() {
                for &(_, top) in page.placed.iter().filter(|(k, _)| *k == m.first) {
                    parts.push((n, top, top + height, m.first));
                }
            }
        } else {
            for k in m.first..=m.last {
                let (n, top) = at[k];
                if n == usize::MAX {
                    continue;
                }
                let bottom = top + items[k].height;
                match parts.last_mut() {
                    Some(p) if p.0 == n => {
                        p.1 = p.1.min(top);
                        p.2 = p.2.max(bottom);
                    }
                    _ => parts.push((n, top, bottom, k)),
                }
            }
        }
        // What each part draws, drawn after the part's first row.
        let mut drawn: Vec<Content> = vec![Content::default(); parts.len()];
        let count = parts.len();
        for (k, &(_, top, bottom, _)) in parts.iter().enumerate() {
            let c = &mut drawn[k];
            c.cells.push(PlacedCell {
                row: m.row,
                header: m.header,
                x_mm: m.x,
                y_mm: top,
                width_mm: m.width,
                height_mm: bottom - top,
            });
            // A page that cuts the group closes and opens the cell.
            if !m.header && k > 0 {
                c.draws.push(h_rule(m.x, m.x + m.width, top));
            }
            if !m.header && k + 1 < count {
                c.draws.push(h_rule(m.x, m.x + m.width, bottom));
            }
        }
        if m.header {
            for (k, &(_, top, _, _)) in parts.iter().enumerate() {
                let mut y = 0.0;
                for item in &m.items {
                    let x = m.x + tables::CELL_PADDING_MM;
                    drawn[k].append(&item.content, x, top + y + item.gap);
                    y += item.gap + item.height;
                }
            }
        } else {
            let bounds: Vec<(f32, f32)> = parts.iter().map(|&(_, t, b, _)| (t, b)).collect();
            let (placed, _) = tables::fill(&m.items, &bounds, rule_mm);
            for (item, (k, y)) in m.items.iter_mut().zip(placed) {
                let Some(&(_, top, _, _)) = parts.get(k) else {
                    continue;
                };
                let moved = std::mem::take(&mut item.content);
                drawn[k].append_owned(moved, m.x + tables::CELL_PADDING_MM, top + y);
            }
        }
        for (&(n, _, _, key), content) in parts.iter().zip(drawn) {
            let at = m
                .anchors
                .iter()
                .find(|(k, _)| *k == key)
                .map_or((usize::MAX, usize::MAX), |&(_, at)| at);
            out[n].push((key, at, content));
        }
    }
    for g in growing {
        let (n, top) = at[g.item];
        if n == usize::MAX {
            continue;
        }
        let mut frame = Content::default();
        tables::frame(
            &mut frame,
            &g.cells,
            g.row,
            false,
            g.total,
            items[g.item].height,
        );
        let mut placed = Content::default();
        placed.append_owned(frame, 0.0, top);
        out[n].push((g.item, (usize::MAX, usize::MAX), placed));
    }
    out
}

fn h_rule(x1: f32, x2: f32, y: f32) -> Draw {
    Draw::Rule {
        x1,
        y1: y,
        x2,
        y2: y,
        width_pt: RULE_PT,
    }
}

fn new_page(geo: Geometry, first_item: usize, forced: bool) -> PageState {
    PageState {
        geo,
        placed: Vec::new(),
        first_item,
        forced,
    }
}
