//! Page content streams, encoded by gostdoc itself.
//!
//! The operators are written straight into bytes, page by page, and
//! compressed at once, so a page's drawing list is freed as soon as its
//! stream exists (printpdf printed each glyph byte through `format!`; on a
//! 1000-page roadmap that was a third of the whole build).
//!
//! The text is drawn with the codes of the embedded fonts
//! ([`super::embed`]): each character's glyph id in its subset.

use std::collections::BTreeMap;
use std::io::Write;

use super::PageLayout;
use super::fonts::{FACES, Face, FontSet};
use super::layout::{Draw, Piece, Run};
use super::linebreak::{PT, SPACED, SPACED_PT};
use super::tags::{ARTIFACT, LABEL, Mark, StructTree};
use crate::document::charset::CharSet;

/// Characters below this code point are looked up in a table.
const TABLE_END: usize = 0x2200;

/// The characters each face draws (only those the face has a glyph for:
/// the others are drawn as glyph 0).
pub(crate) struct UsedChars([CharSet; FACES]);

impl UsedChars {
    /// Collects the characters of every page.
    pub(crate) fn of(pages: &[PageLayout], fonts: &FontSet) -> UsedChars {
        let mut used = UsedChars(Default::default());
        for page in pages {
            used.add_page(page, fonts);
        }
        used
    }

    /// Adds the characters of one page.
    pub(crate) fn add_page(&mut self, page: &PageLayout, fonts: &FontSet) {
        for d in &page.draws {
            let Draw::Text { style, text, .. } = d else {
                continue;
            };
            self.add(fonts, style & 3, text.text());
        }
    }

    /// Adds the characters of `text` that face `face_index` has.
    fn add(&mut self, fonts: &FontSet, face_index: u8, text: &str) {
        self.add_chars(fonts, face_index, text.chars());
    }

    /// [`UsedChars::add`] of characters as they come, without a string.
    fn add_chars(&mut self, fonts: &FontSet, face_index: u8, chars: impl Iterator<Item = char>) {
        let face = fonts.face(face_index);
        let set = &mut self.0[usize::from(face_index & 3)];
        for c in chars {
            // Seen before: the face was asked then.
            if !set.contains(c) && face.advance(c).is_some() {
                set.insert(c);
            }
        }
    }

    /// The characters a document's pages will draw, guessed from its tree
    /// before the layout, for a long document whose pages are encoded as
    /// soon as they are laid out: each run's characters in its face (a
    /// line break, a tab as the space it becomes, a soft hyphen as
    /// nothing), the hyphen in the regular face and the digits of the
    /// page numbers. The layout checks the guess against what the pages
    /// drew ([`UsedChars::within`]) and lays a document out again whole
    /// when a page drew more (a hyphen in a bold word, say).
    pub(crate) fn guessed(
        doc: &crate::document::Document,
        fonts: &FontSet,
        numbered: bool,
    ) -> Self {
        let mut used = UsedChars(Default::default());
        // Each piece's characters straight into its face's set: a long
        // table's text is not copied into a string first.
        doc.styled_text(&mut |piece, bold, italic| {
            let drawn = piece.chars().filter_map(|c| match c {
                '\t' => Some(' '),
                '\u{ad}' => None,
                c if c.is_control() => None,
                c => Some(c),
            });
            used.add_chars(fonts, super::fonts::face_index(bold, italic), drawn);
        });
        // The regular face sets the body, which hyphenates; a bold or
        // italic word broken at a line's end is rare, and is caught.
        if used.uses(0) {
            used.add(fonts, 0, "-");
        }
        if numbered {
            used.add(fonts, 0, "0123456789");
        }
        used
    }

    /// True when every character `self` holds `other` holds too, in the
    /// same face.
    pub(crate) fn within(&self, other: &UsedChars) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a.is_subset(b))
    }

    /// True when the face draws any text.
    pub(crate) fn uses(&self, face: usize) -> bool {
        !self.0[face].is_empty()
    }

    /// The characters a face draws, each once, ascending.
    pub(crate) fn chars(&self, face: usize) -> impl Iterator<Item = char> + '_ {
        self.0[face].iter()
    }
}

/// Character → glyph code in one embedded font.
pub(crate) struct GlyphCodes {
    table: Vec<u16>,
    other: BTreeMap<char, u16>,
}

impl GlyphCodes {
    /// Codes of the characters a face draws.
    pub(crate) fn new(pairs: Vec<(char, u16)>) -> Self {
        let mut codes = GlyphCodes {
            table: vec![0; TABLE_END],
            other: BTreeMap::new(),
        };
        for (c, code) in pairs {
            if (c as usize) < TABLE_END {
                codes.table[c as usize] = code;
            } else {
                codes.other.insert(c, code);
            }
        }
        codes
    }

    /// No codes: for a face that draws nothing.
    pub(crate) fn none() -> Self {
        GlyphCodes {
            table: Vec::new(),
            other: BTreeMap::new(),
        }
    }

    fn code(&self, c: char) -> u16 {
        match self.table.get(c as usize) {
            Some(&code) => code,
            None => self.other.get(&c).copied().unwrap_or(0),
        }
    }
}

/// What a page's stream refers to by name.
pub(crate) struct Resources<'a> {
    /// Font resource names per face.
    pub(crate) font_names: &'a [&'a str; FACES],
    /// Glyph codes per face.
    pub(crate) codes: &'a [GlyphCodes; FACES],
    /// The fonts, to tell which characters a face lacks.
    pub(crate) fonts: &'a FontSet,
    /// The resource name of each picture, `None` when it could not be read.
    pub(crate) images: &'a [Option<String>],
    /// The structure tree of a tagged PDF: the content is marked for it.
    pub(crate) tags: Option<&'a StructTree>,
}

/// The marked-content sequence open in a tagged page's stream.
#[derive(Clone, Copy, PartialEq)]
struct Open {
    /// The element, or [`ARTIFACT`].
    node: u32,
    /// Opened inside a text object (and so closed before its `ET`).
    in_text: bool,
}

/// Marked content of a tagged page: what is open, what the marks ask
/// for, and the element of each MCID so far.
struct Marking<'a> {
    tree: &'a StructTree,
    open: Option<Open>,
    want: Mark,
    hyphen: bool,
    /// Characters of the next text draw that belong to the `/ActualText`
    /// span a letter-spaced run left open.
    carry: usize,
    mcids: Vec<u32>,
}

impl Marking<'_> {
    /// The element a draw of this style belongs to.
    fn node(&self, style: u8) -> u32 {
        match self.want {
            Mark::Node(n) => n,
            Mark::Label { label, body } => {
                if style & LABEL != 0 {
                    label
                } else {
                    body
                }
            }
            Mark::Hyphen => ARTIFACT,
        }
    }

    /// Closes the open sequence.
    fn close(&mut self, out: &mut Vec<u8>) {
        if self.open.take().is_some() {
            out.extend_from_slice(b"EMC\n");
        }
    }

    /// Makes `node` the open sequence, opening a new one when it is not.
    fn enter(&mut self, out: &mut Vec<u8>, node: u32, in_text: bool) {
        let want = Open { node, in_text };
        if self.open == Some(want) {
            return;
        }
        self.close(out);
        if node == ARTIFACT {
            out.extend_from_slice(b"/Artifact BMC\n");
        } else {
            let role = self
                .tree
                .elements
                .get(node as usize)
                .map_or(&b"Span"[..], |e| e.role.name());
            out.push(b'/');
            out.extend_from_slice(role);
            let _ = writeln!(out, " <</MCID {}>> BDC", self.mcids.len());
            self.mcids.push(node);
        }
        self.open = Some(want);
    }
}

/// The content stream of one page, and for a tagged PDF the element of
/// each MCID it marks. Graphics state is set only when it changes.
pub(crate) fn page_stream(page: PageLayout, res: &Resources) -> (Vec<u8>, Vec<u32>) {
    let h = page.height_mm;
    let mut out = Vec::with_capacity(page.draws.len() * 48);
    let mut marking = res.tags.map(|tree| Marking {
        tree,
        open: None,
        want: Mark::Node(ARTIFACT),
        hyphen: false,
        carry: 0,
        mcids: Vec::new(),
    });
    let mut in_text = false;
    let mut font: Option<(u8, f32)> = None;
    let mut spacing = 0.0f32;
    let mut stroke = false;
    let mut thickness = None;
    let mut draws = page.draws;
    for i in 0..draws.len() {
        // Taken out, so that a tagged page can still look ahead.
        let d = std::mem::replace(&mut draws[i], Draw::Mark(Mark::Hyphen));
        match d {
            Draw::Text {
                x,
                y,
                style,
                size,
                mut text,
            } => {
                if let Some(m) = &mut marking
                    && !in_text
                {
                    m.close(&mut out);
                }
                if !in_text {
                    out.extend_from_slice(b"BT\n");
                    in_text = true;
                }
                let mut hyphen = false;
                if let Some(m) = &mut marking {
                    m.enter(&mut out, m.node(style), true);
                    hyphen = std::mem::take(&mut m.hyphen);
                }
                let face = style & 3;
                if font != Some((face, size)) {
                    out.push(b'/');
                    out.extend_from_slice(res.font_names[usize::from(face)].as_bytes());
                    out.push(b' ');
                    real(&mut out, size);
                    out.extend_from_slice(b" Tf\n");
                    font = Some((face, size));
                }
                let want = if style & SPACED != 0 { SPACED_PT } else { 0.0 };
                if want != spacing {
                    real(&mut out, want);
                    out.extend_from_slice(b" Tc\n");
                    spacing = want;
                }
                out.extend_from_slice(b"1 0 0 1 ");
                real(&mut out, x / PT);
                out.push(b' ');
                real(&mut out, (h - y) / PT);
                out.extend_from_slice(b" Tm\n");
                let face_index = usize::from(face);
                let (face, codes) = (res.fonts.face(face), &res.codes[face_index]);
                if let Some(m) = &mut marking {
                    let carry = std::mem::take(&mut m.carry);
                    if carry > 0 {
                        // The end of a letter-spaced word («постановляе|т»):
                        // inside the span the spaced part opened.
                        let head = text.split_head(carry);
                        show_text(&mut out, [Piece::Str(&head)], face, codes, size);
                        out.extend_from_slice(b"EMC\n");
                    }
                    let next = if style & SPACED != 0 {
                        word_continues(&text, &draws[i + 1..])
                    } else {
                        String::new()
                    };
                    m.carry = next.chars().count();
                    show_marked_text(&mut out, &mut text, face, codes, size, style, hyphen, &next);
                } else {
                    show_text(&mut out, text.pieces(), face, codes, size);
                }
            }
            Draw::Rule {
                x1,
                y1,
                x2,
                y2,
                width_pt,
            } => {
                if in_text {
                    if let Some(m) = &mut marking {
                        m.close(&mut out);
                    }
                    out.extend_from_slice(b"ET\n");
                    in_text = false;
                }
                // Rules and borders are no part of the text.
                if let Some(m) = &mut marking {
                    m.enter(&mut out, ARTIFACT, false);
                }
                if !stroke {
                    out.extend_from_slice(b"0 0 0 RG\n");
                    stroke = true;
                }
                if thickness != Some(width_pt) {
                    real(&mut out, width_pt);
                    out.extend_from_slice(b" w\n");
                    thickness = Some(width_pt);
                }
                for (x, y, op) in [(x1, y1, b'm'), (x2, y2, b'l')] {
                    real(&mut out, x / PT);
                    out.push(b' ');
                    real(&mut out, (h - y) / PT);
                    out.push(b' ');
                    out.push(op);
                    out.push(b' ');
                }
                out.extend_from_slice(b"S\n");
            }
            Draw::Image {
                index,
                x,
                y,
                w,
                h: height,
            } => {
                // A picture that could not be read keeps its space empty.
                let Some(Some(name)) = res.images.get(index) else {
                    continue;
                };
                if in_text {
                    if let Some(m) = &mut marking {
                        m.close(&mut out);
                    }
                    out.extend_from_slice(b"ET\n");
                    in_text = false;
                }
                if let Some(m) = &mut marking {
                    m.close(&mut out);
                    m.enter(&mut out, m.node(0), false);
                }
                // The image space is the unit square: scale it to the box
                // and move it to the box's bottom left corner.
                out.extend_from_slice(b"q ");
                real(&mut out, w / PT);
                out.extend_from_slice(b" 0 0 ");
                real(&mut out, height / PT);
                out.push(b' ');
                real(&mut out, x / PT);
                out.push(b' ');
                real(&mut out, (h - y - height) / PT);
                let _ = writeln!(out, " cm /{name} Do Q");
                if let Some(m) = &mut marking {
                    m.close(&mut out);
                }
            }
            Draw::Mark(mark) => {
                if let Some(m) = &mut marking {
                    match mark {
                        Mark::Hyphen => m.hyphen = true,
                        other => m.want = other,
                    }
                }
            }
        }
    }
    if let Some(m) = &mut marking {
        m.close(&mut out);
    }
    if in_text {
        out.extend_from_slice(b"ET\n");
    }
    (out, marking.map(|m| m.mcids).unwrap_or_default())
}

/// [`show_text`] for a tagged PDF/A, so that the text extracts as it
/// reads: a letter-spaced run («П О С Т А Н О В Л Е Н И Е») is one word
/// through `/ActualText`, and the hyphen the line breaker added at the
/// line's end is a soft hyphen (U+00AD), so the word extracts whole.
#[allow(clippy::too_many_arguments)]
fn show_marked_text(
    out: &mut Vec<u8>,
    run: &mut Run,
    face: &Face,
    codes: &GlyphCodes,
    size: f32,
    style: u8,
    hyphen: bool,
    continued: &str,
) {
    let hyphen = hyphen && run.pop_if('-');
    if style & SPACED != 0 {
        let mut text = run.text().to_owned();
        if hyphen {
            text.push('\u{ad}');
        }
        text.push_str(continued);
        actual_text(out, &text);
        show_text(out, run.pieces(), face, codes, size);
        if hyphen {
            show_text(out, [Piece::Str("-")], face, codes, size);
        }
        // A word that goes on in the next draw closes the span there.
        if continued.is_empty() {
            out.extend_from_slice(b"EMC\n");
        }
        return;
    }
    show_text(out, run.pieces(), face, codes, size);
    if hyphen {
        actual_text(out, "\u{ad}");
        show_text(out, [Piece::Str("-")], face, codes, size);
        out.extend_from_slice(b"EMC\n");
    }
}

/// The letters that continue the word a letter-spaced run ends with, at
/// the start of the next text draw: the markup sets a spaced word's last
/// letter unspaced («п о с т а н о в л я е т:»), and the span that makes
/// it one word must take that letter in.
fn word_continues(run: &Run, after: &[Draw]) -> String {
    if !run
        .text()
        .chars()
        .next_back()
        .is_some_and(char::is_alphabetic)
    {
        return String::new();
    }
    let next = after.iter().find_map(|d| match d {
        Draw::Text { text, .. } => Some(Some(text)),
        Draw::Mark(Mark::Hyphen) => None,
        _ => Some(None),
    });
    match next.flatten().and_then(|t| t.pieces().next()) {
        Some(Piece::Str(s)) => s.chars().take_while(|c| c.is_alphabetic()).collect(),
        _ => String::new(),
    }
}

/// Opens a `/Span` whose `/ActualText` is `text` (UTF-16BE).
fn actual_text(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(b"/Span <</ActualText <FEFF");
    for unit in text.encode_utf16() {
        hex(out, unit);
    }
    out.extend_from_slice(b">>> BDC\n");
}

/// Shows a run of text as one `TJ` array. A character the face lacks is
/// drawn as glyph 0 (`.notdef`) inside a span whose `/ActualText` is the
/// character, so copying and searching still find it.
fn show_text<'a>(
    out: &mut Vec<u8>,
    pieces: impl IntoIterator<Item = Piece<'a>>,
    face: &Face,
    codes: &GlyphCodes,
    size: f32,
) {
    out.push(b'[');
    for p in pieces {
        match p {
            // TJ offsets are thousandths of an em, negative to the right.
            Piece::Gap(mm) => {
                out.push(b' ');
                real(out, -(mm / PT) / size * 1000.0);
                out.push(b' ');
            }
            Piece::Str(s) => {
                out.push(b'<');
                for c in s.chars() {
                    // Only characters the face has were given a code.
                    let code = codes.code(c);
                    if code != 0 || face.advance(c).is_some() {
                        hex(out, code);
                        continue;
                    }
                    out.extend_from_slice(b">] TJ\n/Span <</ActualText <FEFF");
                    let mut units = [0u16; 2];
                    for &unit in c.encode_utf16(&mut units).iter() {
                        hex(out, unit);
                    }
                    out.extend_from_slice(b">>> BDC <0000> Tj EMC\n[<");
                }
                out.push(b'>');
            }
        }
    }
    out.extend_from_slice(b"] TJ\n");
}

/// Four upper-case hex digits.
fn hex(out: &mut Vec<u8>, v: u16) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(&[
        DIGITS[usize::from(v >> 12)],
        DIGITS[usize::from((v >> 8) & 15)],
        DIGITS[usize::from((v >> 4) & 15)],
        DIGITS[usize::from(v & 15)],
    ]);
}

/// A number with at most three decimals, without trailing zeros: a
/// thousandth of a point is far below what a printer resolves.
fn real(out: &mut Vec<u8>, v: f32) {
    let scaled = (f64::from(v) * 1000.0).round() as i64;
    if scaled < 0 {
        out.push(b'-');
    }
    let abs = scaled.unsigned_abs();
    let (int, frac) = (abs / 1000, abs % 1000);
    // itoa, not `write!`: formatting costs more than the rest of the stream.
    out.extend_from_slice(itoa::Buffer::new().format(int).as_bytes());
    if frac != 0 {
        let decimals = [
            b'.',
            b'0' + (frac / 100) as u8,
            b'0' + (frac / 10 % 10) as u8,
            b'0' + (frac % 10) as u8,
        ];
        let zeros = if frac % 100 == 0 {
            2
        } else if frac % 10 == 0 {
            1
        } else {
            0
        };
        out.extend_from_slice(&decimals[..4 - zeros]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real_str(v: f32) -> String {
        let mut out = Vec::new();
        real(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_have_at_most_three_decimals_and_no_trailing_zeros() {
        assert_eq!(real_str(0.0), "0");
        assert_eq!(real_str(12.0), "12");
        assert_eq!(real_str(12.5), "12.5");
        assert_eq!(real_str(-0.0504), "-0.05");
        assert_eq!(real_str(841.8898), "841.89");
        assert_eq!(real_str(0.001), "0.001");
        assert_eq!(real_str(-3.0), "-3");
        assert_eq!(real_str(0.1), "0.1");
        assert_eq!(real_str(1.05), "1.05");
        assert_eq!(real_str(-1234.5678), "-1234.568");
        assert_eq!(real_str(1000.0), "1000");
        assert_eq!(real_str(0.01), "0.01");
    }
}
