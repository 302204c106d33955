//! Writes laid-out pages as PDF bytes with printpdf.
//!
//! printpdf names resources and the trailer ID from a process-wide counter,
//! so the fonts get fixed ids here and the trailer is rewritten through
//! lopdf: the same document always gives the same bytes.

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem, TextMatrix,
};

use crate::document::Document;

use super::Layout;
use super::fonts::{FACES, FontSet};
use super::layout::{Draw, Piece};
use super::linebreak::{PT, SPACED, SPACED_PT};

/// Font resource ids; printpdf uses the first six letters as the subset tag.
const FONT_IDS: [&str; FACES] = ["GDAAAA", "GDAAAB", "GDAAAC", "GDAAAD"];

/// Millimetres to points.
fn pt(mm: f32) -> Pt {
    Pt(mm / PT)
}

/// Builds the PDF.
pub(crate) fn write(doc: &Document, layout: &Layout, fonts: &FontSet) -> Vec<u8> {
    let mut pdf = PdfDocument::new(&doc.meta.title);
    let info = &mut pdf.metadata.info;
    info.author = doc.meta.author.clone();
    info.subject = doc.meta.subject.clone();
    info.creator = "gostdoc".into();
    info.producer = "gostdoc".into();
    // The document's own date, never the clock's: rebuilds stay identical.
    if let Some(date) = document_date(&doc.meta.date) {
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }

    // Only the faces that are used, so no empty subset is embedded.
    let mut used = [false; FACES];
    for page in &layout.pages {
        for d in &page.draws {
            if let Draw::Text { style, .. } = d {
                used[usize::from(style & 3)] = true;
            }
        }
    }
    for (i, id) in FONT_IDS.iter().enumerate() {
        if used[i] {
            pdf.resources.fonts.map.insert(
                FontId((*id).to_string()),
                PdfFont::new(fonts.face(i as u8).parsed.clone()),
            );
        }
    }

    let pages = layout
        .pages
        .iter()
        .map(|page| {
            let h = page.height_mm;
            let mut ops = Vec::with_capacity(page.draws.len() * 3 + 8);
            let mut in_text = false;
            let mut font: Option<(u8, f32)> = None;
            let mut spacing = 0.0f32;
            let mut stroke = false;
            for d in &page.draws {
                match d {
                    Draw::Text {
                        x,
                        y,
                        style,
                        size,
                        pieces,
                    } => {
                        if !in_text {
                            ops.push(Op::StartTextSection);
                            in_text = true;
                        }
                        let face = style & 3;
                        if font != Some((face, *size)) {
                            ops.push(Op::SetFont {
                                font: PdfFontHandle::External(FontId(
                                    FONT_IDS[usize::from(face)].to_string(),
                                )),
                                size: Pt(*size),
                            });
                            font = Some((face, *size));
                        }
                        let want = if style & SPACED != 0 { SPACED_PT } else { 0.0 };
                        if want != spacing {
                            ops.push(Op::SetCharacterSpacing { multiplier: want });
                            spacing = want;
                        }
                        ops.push(Op::SetTextMatrix {
                            matrix: TextMatrix::Translate(pt(*x), pt(h - *y)),
                        });
                        let items = pieces
                            .iter()
                            .map(|p| match p {
                                Piece::Str(s) => TextItem::Text(s.clone()),
                                // TJ offsets are thousandths of an em, negative to the right.
                                Piece::Gap(mm) => TextItem::Offset(-(mm / PT) / size * 1000.0),
                            })
                            .collect();
                        ops.push(Op::ShowText { items });
                    }
                    Draw::Rule {
                        x1,
                        y1,
                        x2,
                        y2,
                        width_pt,
                    } => {
                        if in_text {
                            ops.push(Op::EndTextSection);
                            in_text = false;
                        }
                        if !stroke {
                            ops.push(Op::SetOutlineColor {
                                col: Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)),
                            });
                            stroke = true;
                        }
                        ops.push(Op::SetOutlineThickness { pt: Pt(*width_pt) });
                        ops.push(Op::DrawLine {
                            line: Line {
                                points: vec![
                                    LinePoint {
                                        p: Point {
                                            x: pt(*x1),
                                            y: pt(h - *y1),
                                        },
                                        bezier: false,
                                    },
                                    LinePoint {
                                        p: Point {
                                            x: pt(*x2),
                                            y: pt(h - *y2),
                                        },
                                        bezier: false,
                                    },
                                ],
                                is_closed: false,
                            },
                        });
                    }
                    // Images are reported by the caller and left out.
                    Draw::Image { .. } => {}
                }
            }
            if in_text {
                ops.push(Op::EndTextSection);
            }
            PdfPage::new(Mm(page.width_mm), Mm(page.height_mm), ops)
        })
        .collect();
    pdf.with_pages(pages);

    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = printpdf::serialize::to_lopdf_doc(&pdf, &opts, &mut warnings);
    finish(&mut lo, doc);
    lo.compress();
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = lo.save_to(&mut bytes);
    bytes
}

/// Midnight UTC of a `YYYY-MM-DD` date.
fn document_date(iso: &str) -> Option<printpdf::date::OffsetDateTime> {
    let day = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
    let seconds = day.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
    printpdf::date::OffsetDateTime::from_unix_timestamp(seconds).ok()
}

/// Sets the language and a trailer ID derived from the document itself.
fn finish(lo: &mut lopdf::Document, doc: &Document) {
    use lopdf::{Object, StringFormat};
    let id = document_id(doc);
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone().into_bytes(), StringFormat::Literal),
            Object::String(id.into_bytes(), StringFormat::Literal),
        ]),
    );
    let lang = if doc.meta.language.is_empty() {
        "ru-RU"
    } else {
        doc.meta.language.as_str()
    };
    // UTF-16 strings as literal rather than hex halve the Info dictionary;
    // empty entries say nothing.
    if let Ok(info) = lo.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(dict) = lo.get_object_mut(info).and_then(Object::as_dict_mut)
    {
        let keys: Vec<Vec<u8>> = dict.iter().map(|(k, _)| k.clone()).collect();
        for key in keys {
            if let Ok(Object::String(bytes, format)) = dict.get_mut(&key) {
                if bytes.is_empty() {
                    dict.remove(&key);
                } else {
                    *format = StringFormat::Literal;
                }
            }
        }
    }
    if let Ok(root) = lo.trailer.get(b"Root").and_then(Object::as_reference)
        && let Ok(catalog) = lo.get_object_mut(root).and_then(Object::as_dict_mut)
    {
        catalog.set(
            "Lang",
            Object::String(lang.as_bytes().to_vec(), StringFormat::Literal),
        );
    }
}

/// 32 hex digits from the document's metadata and text (FNV-1a, twice).
fn document_id(doc: &Document) -> String {
    let mut text = String::new();
    text.push_str(&doc.meta.title);
    text.push('\n');
    text.push_str(&doc.meta.author);
    text.push('\n');
    text.push_str(&doc.meta.subject);
    text.push('\n');
    text.push_str(&doc.plain_text());
    let fnv = |seed: u64| {
        let mut h = seed;
        for b in text.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    };
    format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x6c62_272e_07bb_0142)
    )
}
