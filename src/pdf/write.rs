//! Writes laid-out pages as PDF bytes with printpdf.
//!
//! printpdf names resources and the trailer ID from a process-wide counter,
//! so the fonts get fixed ids here and the trailer is rewritten through
//! lopdf: the same document always gives the same bytes.

use printpdf::{
    Color, DictItem, FontId, Line, LinePoint, Mm, Op, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem, TextMatrix, XObjectId, XObjectTransform,
};

use crate::document::{Document, Image, Meta};

use super::compact;
use super::fonts::{FACES, Face, FontSet};
use super::images;
use super::layout::{Draw, Piece};
use super::linebreak::{PT, SPACED, SPACED_PT};
use super::{Layout, PageLayout};

/// Font resource ids; printpdf uses the first six letters as the subset tag.
const FONT_IDS: [&str; FACES] = ["GDAAAA", "GDAAAB", "GDAAAC", "GDAAAD"];

/// Millimetres to points.
fn pt(mm: f32) -> Pt {
    Pt(mm / PT)
}

/// Builds the PDF; a picture that cannot be read adds a warning. The
/// layout is consumed page by page, so a long document does not hold its
/// layout, printpdf's operations and lopdf's objects all at once.
pub(crate) fn write(
    meta: &Meta,
    id: String,
    layout: Layout,
    fonts: &FontSet,
    warnings: &mut Vec<String>,
) -> Vec<u8> {
    let mut pdf = PdfDocument::new(&meta.title);
    let info = &mut pdf.metadata.info;
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.creator = "gostdoc".into();
    info.producer = "gostdoc".into();
    // The document's own date, never the clock's: rebuilds stay identical.
    if let Some(date) = document_date(&meta.date) {
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

    let image_ids = add_images(&mut pdf, &layout.images, warnings);
    let pages = layout
        .pages
        .into_iter()
        .map(|page| page_ops(page, &image_ids, fonts))
        .collect();
    pdf.with_pages(pages);

    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: Some(images::compression()),
    };
    let mut pdf_warnings = Vec::new();
    let mut lo = printpdf::serialize::to_lopdf_doc(&pdf, &opts, &mut pdf_warnings);
    // The operations are in lopdf's content streams now.
    drop(pdf);
    finish(&mut lo, meta, id);
    compact::compact(&mut lo);
    compact::compress_streams(&mut lo);
    let mut bytes = Vec::new();
    // Object streams and a cross-reference stream (PDF 1.5) compress the
    // dictionaries as well; writing to a Vec cannot fail.
    let _ = lo.save_with_options(
        &mut bytes,
        lopdf::SaveOptions::builder()
            .use_object_streams(true)
            .use_xref_streams(true)
            .compression_level(9)
            .build(),
    );
    bytes
}

/// printpdf's operations for one page; graphics state is set only when it
/// changes.
fn page_ops(page: PageLayout, image_ids: &[Option<XObjectId>], fonts: &FontSet) -> PdfPage {
    let h = page.height_mm;
    let mut ops = Vec::new();
    let mut in_text = false;
    let mut font: Option<(u8, f32)> = None;
    let mut spacing = 0.0f32;
    let mut stroke = false;
    let mut thickness = None;
    for d in page.draws {
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
                if font != Some((face, size)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(FontId(
                            FONT_IDS[usize::from(face)].to_string(),
                        )),
                        size: Pt(size),
                    });
                    font = Some((face, size));
                }
                let want = if style & SPACED != 0 { SPACED_PT } else { 0.0 };
                if want != spacing {
                    ops.push(Op::SetCharacterSpacing { multiplier: want });
                    spacing = want;
                }
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(pt(x), pt(h - y)),
                });
                show_text(&mut ops, pieces, fonts.face(face), size);
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
                if thickness != Some(width_pt) {
                    ops.push(Op::SetOutlineThickness { pt: Pt(width_pt) });
                    thickness = Some(width_pt);
                }
                let point = |x: f32, y: f32| LinePoint {
                    p: Point {
                        x: pt(x),
                        y: pt(h - y),
                    },
                    bezier: false,
                };
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(x1, y1), point(x2, y2)],
                        is_closed: false,
                    },
                });
            }
            Draw::Image {
                index,
                x,
                y,
                w,
                h: height,
            } => {
                // A picture that could not be read keeps its space empty.
                let Some(Some(id)) = image_ids.get(index) else {
                    continue;
                };
                if in_text {
                    ops.push(Op::EndTextSection);
                    in_text = false;
                }
                // The image space is the unit square: scale it to the box,
                // then move it to the box's bottom left corner.
                ops.push(Op::UseXobject {
                    id: id.clone(),
                    transform: XObjectTransform {
                        translate_x: Some(pt(x)),
                        translate_y: Some(pt(h - y - height)),
                        scale_x: Some(w / PT),
                        scale_y: Some(height / PT),
                        no_auto_scale: true,
                        ..XObjectTransform::default()
                    },
                });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    ops.shrink_to_fit();
    PdfPage::new(Mm(page.width_mm), Mm(page.height_mm), ops)
}

/// Shows a run of text. A character the face lacks is drawn as `.notdef`
/// (printpdf encodes it as glyph 0) inside a span whose `/ActualText` is
/// the character, so copying and searching still find it.
fn show_text(ops: &mut Vec<Op>, pieces: Vec<Piece>, face: &Face, size: f32) {
    let mut items = Vec::with_capacity(pieces.len());
    for p in pieces {
        match p {
            // TJ offsets are thousandths of an em, negative to the right.
            Piece::Gap(mm) => items.push(TextItem::Offset(-(mm / PT) / size * 1000.0)),
            Piece::Str(s) if s.chars().all(|c| face.advance(c).is_some()) => {
                items.push(TextItem::Text(s));
            }
            Piece::Str(s) => {
                let mut run = String::new();
                for c in s.chars() {
                    if face.advance(c).is_some() {
                        run.push(c);
                        continue;
                    }
                    if !run.is_empty() {
                        items.push(TextItem::Text(std::mem::take(&mut run)));
                    }
                    if !items.is_empty() {
                        ops.push(Op::ShowText {
                            items: std::mem::take(&mut items),
                        });
                    }
                    ops.push(Op::BeginMarkedContentWithProperties {
                        tag: "Span".into(),
                        properties: actual_text(c),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(c.to_string())],
                    });
                    ops.push(Op::EndMarkedContent);
                }
                if !run.is_empty() {
                    items.push(TextItem::Text(run));
                }
            }
        }
    }
    if !items.is_empty() {
        ops.push(Op::ShowText { items });
    }
}

/// `<< /ActualText (c) >>`, the text as UTF-16BE with a byte order mark.
fn actual_text(c: char) -> DictItem {
    let mut data = vec![0xFE, 0xFF];
    let mut units = [0u16; 2];
    for unit in c.encode_utf16(&mut units) {
        data.extend_from_slice(&unit.to_be_bytes());
    }
    DictItem::Dict {
        map: std::collections::BTreeMap::from([(
            "ActualText".to_string(),
            DictItem::String {
                data,
                literal: false,
            },
        )]),
    }
}

/// Registers each picture once under a fixed name (`Im1`, `Im2`, …: the
/// bytes must not depend on printpdf's random ids); the same file used
/// twice, like a coat of arms on two documents, is embedded once. Returns
/// the name of each picture, `None` for one that cannot be read.
fn add_images(
    pdf: &mut PdfDocument,
    list: &[Image],
    warnings: &mut Vec<String>,
) -> Vec<Option<XObjectId>> {
    let mut ids: Vec<Option<XObjectId>> = Vec::with_capacity(list.len());
    for (i, img) in list.iter().enumerate() {
        if let Some(j) = list[..i].iter().position(|o| o.data == img.data) {
            let same = ids[j].clone();
            ids.push(same);
            continue;
        }
        match images::xobject(&img.data) {
            Ok(xobject) => {
                let id = XObjectId(format!("Im{}", i + 1));
                pdf.resources.xobjects.map.insert(id.clone(), xobject);
                ids.push(Some(id));
            }
            Err(_) => {
                warnings.push(format!(
                    "изображение «{}» не удалось прочитать как PNG или JPEG: \
                     место под него оставлено пустым",
                    img.source
                ));
                ids.push(None);
            }
        }
    }
    ids
}

/// Midnight UTC of a `YYYY-MM-DD` date.
fn document_date(iso: &str) -> Option<printpdf::date::OffsetDateTime> {
    let day = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
    let seconds = day.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
    printpdf::date::OffsetDateTime::from_unix_timestamp(seconds).ok()
}

/// Sets the language and the trailer ID derived from the document itself.
fn finish(lo: &mut lopdf::Document, meta: &Meta, id: String) {
    use lopdf::{Object, StringFormat};
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone().into_bytes(), StringFormat::Literal),
            Object::String(id.into_bytes(), StringFormat::Literal),
        ]),
    );
    let lang = if meta.language.is_empty() {
        "ru-RU"
    } else {
        meta.language.as_str()
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

/// 32 hex digits from the document's metadata and text (XXH3, 128 bits).
pub(crate) fn document_id(doc: &Document) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [&doc.meta.title, &doc.meta.author, &doc.meta.subject] {
        hasher.update(part.as_bytes());
        hasher.update(b"\n");
    }
    hasher.update(doc.plain_text().as_bytes());
    format!("{:032x}", hasher.digest128())
}
