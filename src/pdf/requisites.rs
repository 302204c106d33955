//! The requisites ГОСТ Р 7.0.97-2025 adds to the page, placed once for
//! both backends: the QR code (a square at a corner of the first page,
//! outside the flow of the text) and the mark of an electronic signature
//! (a framed block in the place of the handwritten signature).
//!
//! The PDF layout calls the `pub(crate)` functions while it lays the page
//! out; the DOCX asks the `pub` ones where to anchor its drawings, so that
//! LibreOffice shows them where our PDF does.
//!
//! Sources. The QR code: «в правом нижнем углу первого листа документа;
//! если места недостаточно — в правом верхнем углу или на другом
//! свободном месте» (ГОСТ Р 7.0.97-2025, as quoted by klerk.ru,
//! 19.08.2025, www.klerk.ru/user/2473698/658473/, and tenchat.ru/rmay); no
//! source gives its size: see [`crate::qr`] for the house default. The
//! mark: its content (the phrase «Документ подписан электронной
//! подписью», the certificate's number, its owner, its term) is ГОСТ Р
//! 7.0.97-2025, 5.23 (cryptoarm.ru/news/difference-between-pades-and-visualization/);
//! its place, «соответствует месту размещения собственноручной подписи»,
//! visible and readable at natural size, overlapping nothing, is Правила
//! делопроизводства (приказ Росархива от 24.12.2020 № 199), п. 20
//! (consultant.ru/document/cons_doc_LAW_432519/). Its type size (8 pt),
//! padding and frame are a **house default**: the stamps of the usual
//! signing programs look so.

use super::fonts::{FontSet, face_index};
use super::layout::{Content, Draw, Geometry, Item, Kind, ascent, line_height, set_line};
use super::linebreak::{self, PT, SPACED, SPACED_PT};
use crate::document::{Block, Document, ElectronicMark, QrCode, QrPlace, Signature};

/// Type size of the electronic-signature mark, pt (house default).
pub const MARK_PT: f32 = 8.0;
/// Space between the frame and the text inside it, mm (house default).
pub const MARK_PAD_MM: f32 = 1.5;
/// The frame's line, pt.
pub const MARK_FRAME_PT: f32 = 0.75;
/// The least space between the mark and the position or the name beside
/// it, mm.
pub const MARK_SIDE_GAP_MM: f32 = 3.0;
/// The least space between the mark and the text above the signature, mm.
pub const MARK_TOP_GAP_MM: f32 = 2.0;
/// Room the box keeps beyond its longest line, mm, so that a word
/// processor measuring a hair wider does not wrap it.
const MARK_SLACK_MM: f32 = 1.0;

/// Where the mark of a signature goes, relative to the signature row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarkGeometry {
    /// From the left margin to the frame's left edge, mm.
    pub x_mm: f32,
    /// From the top of the signature's last line (the one with the name)
    /// to the frame's top edge, mm: negative, the box rises above it.
    pub top_mm: f32,
    /// The frame's width, mm.
    pub width_mm: f32,
    /// The frame's height, mm.
    pub height_mm: f32,
    /// The signature's space before, pt: its own, or more, so that the
    /// mark clears the text above.
    pub space_before_pt: f32,
    /// False when the mark does not fit between the position and the
    /// name: it then stands as far right as it can, before the name.
    pub fits: bool,
}

/// The mark's place for a signature row of a text `text_width_mm` wide
/// in `body_pt` type; `None` for a handwritten signature. Measured in
/// Liberation Serif, the metrics of the DOCX's Times New Roman, by both
/// backends alike.
pub fn mark_geometry(s: &Signature, text_width_mm: f32, body_pt: f32) -> Option<MarkGeometry> {
    let mark = s.electronic.as_ref()?;
    let fonts = FontSet::liberation();
    let (width_mm, height_mm) = mark_size(&fonts, mark);
    let widest = s
        .position
        .iter()
        .map(|line| super::runs_width_mm(line, body_pt))
        .fold(0.0f32, f32::max);
    let name = super::text_width_mm(&s.name, body_pt, false);
    let lh = line_height(&fonts, body_pt);
    let lines = s.position.len().max(1) as f32;
    // The box's bottom is the bottom of the name's line; it rises above
    // the position's lines, and the space before grows when it would
    // rise into the text above.
    let top_mm = lh - height_mm;
    let above_first = height_mm - lines * lh + MARK_TOP_GAP_MM;
    let space_before_pt = s.space_before_pt.max((above_first / PT).ceil());
    let left = widest + MARK_SIDE_GAP_MM;
    let right = text_width_mm - name - MARK_SIDE_GAP_MM;
    let fits = right - left >= width_mm;
    let x_mm = if fits {
        left + (right - left - width_mm) / 2.0
    } else {
        (right - width_mm).max(0.0)
    };
    Some(MarkGeometry {
        x_mm,
        top_mm,
        width_mm,
        height_mm,
        space_before_pt,
        fits,
    })
}

/// The frame's width and height, mm.
fn mark_size(fonts: &FontSet, mark: &ElectronicMark) -> (f32, f32) {
    let widest = mark
        .heading
        .iter()
        .map(|l| width(fonts, l, face_index(true, false)))
        .chain(
            mark.lines
                .iter()
                .map(|l| width(fonts, l, face_index(false, false))),
        )
        .fold(0.0f32, f32::max);
    let count = (mark.heading.len() + mark.lines.len()) as f32;
    (
        widest + MARK_SLACK_MM + 2.0 * MARK_PAD_MM,
        count * line_height(fonts, MARK_PT) + 2.0 * MARK_PAD_MM,
    )
}

fn width(fonts: &FontSet, text: &str, style: u8) -> f32 {
    let mut chars = Vec::new();
    let mut missing = Vec::new();
    linebreak::measure_chars(fonts, text, style, MARK_PT, &mut chars, &mut missing);
    chars.iter().map(|c| c.w).sum()
}

/// The mark's frame and lines, relative to the frame's top left corner:
/// the heading bold and centred, the other lines at the left.
pub(crate) fn mark_content(fonts: &FontSet, mark: &ElectronicMark, g: &MarkGeometry) -> Content {
    let mut content = Content::default();
    let (w, h) = (g.width_mm, g.height_mm);
    let half = MARK_FRAME_PT * PT / 2.0;
    // A plain rectangle: four rules meeting at the corners.
    for (x1, y1, x2, y2) in [
        (-half, 0.0, w + half, 0.0),
        (-half, h, w + half, h),
        (0.0, 0.0, 0.0, h),
        (w, 0.0, w, h),
    ] {
        content.draws.push(Draw::Rule {
            x1,
            y1,
            x2,
            y2,
            width_pt: MARK_FRAME_PT,
        });
    }
    let lh = line_height(fonts, MARK_PT);
    let asc = ascent(fonts, MARK_PT);
    let inner = w - 2.0 * MARK_PAD_MM;
    let lines = mark
        .heading
        .iter()
        .map(|l| (l, true))
        .chain(mark.lines.iter().map(|l| (l, false)));
    for (i, (text, bold)) in lines.enumerate() {
        let style = face_index(bold, false);
        let mut chars = Vec::new();
        let mut missing = Vec::new();
        linebreak::measure_chars(fonts, text, style, MARK_PT, &mut chars, &mut missing);
        let line = linebreak::Line {
            start: 0,
            end: chars.len(),
            hyphen: false,
            last: true,
            width: chars.iter().map(|c| c.w).sum(),
            refused: None,
        };
        let align = if bold {
            crate::document::Align::Center
        } else {
            crate::document::Align::Left
        };
        let set = set_line(&chars, &line, align, 0.0, inner, asc, MARK_PT, false);
        content.append_owned(set, MARK_PAD_MM, MARK_PAD_MM + i as f32 * lh);
    }
    content
}

/// Adds the mark to a signature's items (its first line's and its last
/// line's): the space above grows as [`MarkGeometry::space_before_pt`]
/// says, and the frame is drawn with the last line, so that it moves
/// with the signature to whatever page it lands on.
pub(crate) fn attach_mark(
    fonts: &FontSet,
    s: &Signature,
    text_width_mm: f32,
    body_pt: f32,
    items: &mut [Item],
) {
    let (Some(mark), Some(g)) = (
        s.electronic.as_ref(),
        mark_geometry(s, text_width_mm, body_pt),
    ) else {
        return;
    };
    if let Some(first) = items.first_mut() {
        first.gap = first.gap.max(g.space_before_pt * PT);
    }
    if let Some(last) = items.last_mut() {
        last.content
            .append_owned(mark_content(fonts, mark, &g), g.x_mm, g.top_mm);
    }
}

/// The QR code as an item outside the flow: its modules as filled
/// squares (rules as thick as a module), relative to the square's top
/// left corner, quiet zone included; pagination puts it at a corner of
/// the page it falls on ([`qr_origin`]).
pub(crate) fn qr_item(q: &QrCode) -> Item {
    let mut content = Content::default();
    if let Ok(symbol) = crate::qr::encode(&q.text) {
        let module = q.size_mm / symbol.width_with_quiet_zone() as f32;
        let quiet = crate::qr::QUIET_MODULES as f32 * module;
        for y in 0..symbol.width {
            let mut x = 0;
            while x < symbol.width {
                if !symbol.dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < symbol.width && symbol.dark(x, y) {
                    x += 1;
                }
                let cy = quiet + (y as f32 + 0.5) * module;
                content.draws.push(Draw::Rule {
                    x1: quiet + start as f32 * module,
                    y1: cy,
                    x2: quiet + x as f32 * module,
                    y2: cy,
                    width_pt: module / PT,
                });
            }
        }
    }
    Item {
        gap: 0.0,
        height: 0.0,
        keep_prev: true,
        kind: Kind::Qr {
            size_mm: q.size_mm,
            place: q.place,
        },
        content,
    }
}

/// The square's top left corner on a page holding `draws`, mm from the
/// page's top left corner: bottom right of the text area when nothing is
/// drawn there, else top right, else the lowest free place at the right
/// margin between them (ГОСТ Р 7.0.97-2025: «в правом нижнем углу…; если
/// места недостаточно — в правом верхнем углу или на другом свободном
/// месте»); with no free place at all, top right.
pub(crate) fn qr_origin(
    fonts: &FontSet,
    size_mm: f32,
    place: QrPlace,
    draws: &[Draw],
    geo: &Geometry,
) -> (f32, f32) {
    let x = geo.width - geo.margins.right - size_mm;
    let bottom = (x, geo.height - geo.margins.bottom - size_mm);
    let top = (x, geo.margins.top);
    match place {
        QrPlace::BottomRight => bottom,
        QrPlace::TopRight => top,
        QrPlace::Auto => {
            // Whole millimetres up from the bottom corner, so that both
            // backends (which ask the same function) land on one place.
            let steps = (bottom.1 - top.1).max(0.0).floor() as usize;
            std::iter::once(bottom)
                .chain(std::iter::once(top))
                .chain((1..=steps).map(|k| (x, bottom.1 - k as f32)))
                .find(|&at| free(fonts, draws, at, size_mm))
                .unwrap_or(top)
        }
    }
}

/// True when nothing of `draws` enters the square at `at`.
fn free(fonts: &FontSet, draws: &[Draw], at: (f32, f32), size: f32) -> bool {
    let (qx0, qy0, qx1, qy1) = (at.0, at.1, at.0 + size, at.1 + size);
    draws.iter().all(|d| {
        let Some((x0, y0, x1, y1)) = extent(fonts, d) else {
            return true;
        };
        x1 <= qx0 + 0.01 || x0 >= qx1 - 0.01 || y1 <= qy0 + 0.01 || y0 >= qy1 - 0.01
    })
}

/// The box a draw covers, mm: a text's from its ascent to its descent.
fn extent(fonts: &FontSet, d: &Draw) -> Option<(f32, f32, f32, f32)> {
    match d {
        Draw::Text {
            x,
            y,
            style,
            size,
            text,
        } => {
            let face = fonts.face(style & 3);
            let spacing = if style & SPACED != 0 {
                SPACED_PT * PT
            } else {
                0.0
            };
            let mut w = 0.0;
            for p in text.pieces() {
                match p {
                    super::layout::Piece::Str(s) => {
                        w += s
                            .chars()
                            .map(|c| face.advance(c).unwrap_or(1.0) * size * PT + spacing)
                            .sum::<f32>();
                    }
                    super::layout::Piece::Gap(g) => w += g,
                }
            }
            let asc = ascent(fonts, *size);
            let desc = line_height(fonts, *size) - asc;
            Some((*x, y - asc, x + w, y + desc))
        }
        Draw::Rule {
            x1,
            y1,
            x2,
            y2,
            width_pt,
        } => {
            let half = width_pt * PT / 2.0;
            Some((
                x1.min(*x2) - half,
                y1.min(*y2) - half,
                x1.max(*x2) + half,
                y1.max(*y2) + half,
            ))
        }
        Draw::Image { x, y, w, h, .. } => Some((*x, *y, x + w, y + h)),
        _ => None,
    }
}

/// Where the DOCX anchors the QR code of `doc`: the square's top left
/// corner on the first page of its section, mm from the page's top left
/// corner, as our PDF puts it. The page is laid out without the code,
/// as the PDF decides before drawing it.
pub fn qr_position(doc: &Document) -> Option<(usize, (f32, f32))> {
    let (section, q) = doc.sections.iter().enumerate().find_map(|(i, s)| {
        s.blocks.iter().find_map(|b| match b {
            Block::Qr(q) => Some((i, q.clone())),
            _ => None,
        })
    })?;
    let mut without = doc.clone();
    for s in &mut without.sections {
        s.blocks.retain(|b| !matches!(b, Block::Qr(_)));
    }
    let options = super::PdfOptions::default();
    let layout = super::layout(&without, &options).ok()?;
    // The first page of the code's section: sections start new pages.
    let page_index = first_page_of_section(&without, &layout, section);
    let page = layout.pages.get(page_index)?;
    let geo = Geometry::of(&doc.sections[section]);
    Some((
        section,
        qr_origin(&options.fonts, q.size_mm, q.place, &page.draws, &geo),
    ))
}

/// The index of the first page of section `section`: sections after the
/// first each start a page; counted by laying out the sections before.
fn first_page_of_section(doc: &Document, layout: &super::Layout, section: usize) -> usize {
    if section == 0 {
        return 0;
    }
    let before = Document {
        sections: doc.sections[..section].to_vec(),
        ..doc.clone()
    };
    super::layout(&before, &super::PdfOptions::default())
        .map(|l| l.pages.len())
        .unwrap_or(0)
        .min(layout.pages.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Margins;

    fn page() -> Geometry {
        Geometry {
            width: 210.0,
            height: 297.0,
            margins: Margins::PORTRAIT,
        }
    }

    /// A thick rule covering the text area's full width from `y0` to `y1`.
    fn band(y0: f32, y1: f32) -> Draw {
        let width_pt = (y1 - y0) / PT;
        let y = (y0 + y1) / 2.0;
        Draw::Rule {
            x1: 30.0,
            y1: y,
            x2: 200.0,
            y2: y,
            width_pt,
        }
    }

    #[test]
    fn the_qr_code_takes_the_bottom_then_the_top_then_the_lowest_free_place() {
        let fonts = FontSet::liberation();
        let geo = page();
        let at = |draws: &[Draw]| qr_origin(&fonts, 20.0, QrPlace::Auto, draws, &geo);
        assert_eq!(at(&[]), (180.0, 257.0));
        assert_eq!(at(&[band(200.0, 270.0)]), (180.0, 20.0));
        // Text at the top and the bottom, a gap from 150 to 180 mm.
        let (x, y) = at(&[band(20.0, 150.0), band(180.0, 277.0)]);
        assert_eq!(x, 180.0);
        assert!((159.0..=160.0).contains(&y), "{y}");
        // No room anywhere: top right.
        assert_eq!(at(&[band(20.0, 277.0)]), (180.0, 20.0));
        // Asked for a corner, it is that corner.
        let bottom = qr_origin(
            &fonts,
            20.0,
            QrPlace::BottomRight,
            &[band(20.0, 277.0)],
            &geo,
        );
        assert_eq!(bottom, (180.0, 257.0));
    }
}
