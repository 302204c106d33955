//! Writes laid-out pages as PDF bytes: printpdf builds the document and
//! embeds the font subsets; [`content`] writes the page streams.
//!
//! printpdf names resources and the trailer ID from a process-wide counter,
//! so the fonts get fixed ids here and the trailer is rewritten through
//! lopdf: the same document always gives the same bytes.

use printpdf::{
    FontId, Mm, Op, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem,
    XObjectId,
};

use crate::document::{Document, Image, Meta};

use super::content::{self, GlyphCodes, UsedChars};
use super::fonts::{FACES, FontSet};
use super::tags::StructTree;
use super::{Layout, compact, images, pdfa, tags};

/// Font resource ids; printpdf uses the first six letters as the subset tag.
const FONT_IDS: [&str; FACES] = ["GDAAAA", "GDAAAB", "GDAAAC", "GDAAAD"];

/// Builds the PDF; a picture that cannot be read adds a warning. The
/// layout is consumed page by page, so a long document does not hold its
/// layout, printpdf's operations and lopdf's objects all at once. With a
/// structure tree the file is tagged PDF/A-2u ([`pdfa`]).
pub(crate) fn write(
    meta: &Meta,
    id: String,
    layout: Layout,
    fonts: &FontSet,
    structure: Option<StructTree>,
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
    let used = UsedChars::of(&layout.pages, fonts);
    for (i, id) in FONT_IDS.iter().enumerate() {
        if used.uses(i) {
            pdf.resources.fonts.map.insert(
                FontId((*id).to_string()),
                PdfFont::new(fonts.face(i as u8).parsed.clone()),
            );
        }
    }

    let image_ids = add_images(&mut pdf, &layout.images, structure.is_some(), warnings);
    // printpdf gets empty pages and, on the first, every character once:
    // it subsets and embeds exactly the glyphs used. The pages' own streams
    // are written below.
    let mut sample = Vec::new();
    for (i, id) in FONT_IDS.iter().enumerate() {
        if used.uses(i) {
            sample.push(Op::StartTextSection);
            sample.push(Op::SetFont {
                font: PdfFontHandle::External(FontId((*id).to_string())),
                size: Pt(10.0),
            });
            sample.push(Op::ShowText {
                items: vec![TextItem::Text(used.sample(i))],
            });
            sample.push(Op::EndTextSection);
        }
    }
    let pages = layout
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let ops = if i == 0 {
                std::mem::take(&mut sample)
            } else {
                Vec::new()
            };
            PdfPage::new(Mm(page.width_mm), Mm(page.height_mm), ops)
        })
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
    drop(pdf);

    let codes: [GlyphCodes; FACES] = std::array::from_fn(|i| match to_unicode(&lo, FONT_IDS[i]) {
        Some(cmap) if used.uses(i) => GlyphCodes::read(fonts.face(i as u8), &used, i, &cmap),
        _ => GlyphCodes::none(),
    });
    let image_names: Vec<Option<String>> = image_ids
        .iter()
        .map(|id| id.as_ref().map(|id| id.0.clone()))
        .collect();
    let resources = content::Resources {
        font_names: &FONT_IDS,
        codes: &codes,
        fonts,
        images: &image_names,
        tags: structure.as_ref(),
    };
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    let mut mcids = Vec::new();
    for (&page_id, page) in page_ids.iter().zip(layout.pages) {
        let (stream, page_mcids) = content::page_stream(page, &resources);
        set_page_content(&mut lo, page_id, stream);
        mcids.push(page_mcids);
    }

    finish(&mut lo, meta, id);
    if let Some(tree) = &structure {
        let root = tags::write_tree(&mut lo, tree, &page_ids, &mcids);
        pdfa::conform(&mut lo, meta, root);
    }
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

/// The `/ToUnicode` map printpdf wrote for a font resource.
fn to_unicode(lo: &lopdf::Document, name: &str) -> Option<Vec<u8>> {
    use lopdf::Object;
    let first = *lo.get_pages().values().next()?;
    let page = lo.get_dictionary(first).ok()?;
    let resources = match page.get(b"Resources").ok()? {
        Object::Reference(id) => lo.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    let fonts = match resources.get(b"Font").ok()? {
        Object::Reference(id) => lo.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    let font = lo
        .get_dictionary(fonts.get(name.as_bytes()).ok()?.as_reference().ok()?)
        .ok()?;
    let cmap = font.get(b"ToUnicode").ok()?.as_reference().ok()?;
    let stream = lo.get_object(cmap).ok()?.as_stream().ok()?;
    if stream.dict.has(b"Filter") {
        stream.decompressed_content().ok()
    } else {
        Some(stream.content.clone())
    }
}

/// Replaces a page's content stream with ours, compressed at once so the
/// page's uncompressed operators are not kept.
fn set_page_content(lo: &mut lopdf::Document, page: lopdf::ObjectId, stream: Vec<u8>) {
    use lopdf::{Dictionary, Object, Stream};
    let compressed = compact::deflate(&stream);
    let mut dict = Dictionary::new();
    dict.set("Filter", "FlateDecode");
    let mut object = Stream::new(dict, compressed);
    object.allows_compression = false;
    let contents = lo
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Contents").ok())
        .and_then(|c| c.as_reference().ok());
    match contents {
        Some(id) => {
            lo.objects.insert(id, Object::Stream(object));
        }
        None => {
            let id = lo.add_object(object);
            if let Ok(dict) = lo.get_object_mut(page).and_then(Object::as_dict_mut) {
                dict.set("Contents", Object::Reference(id));
            }
        }
    }
}

/// Registers each picture once under a fixed name (`Im1`, `Im2`, …: the
/// bytes must not depend on printpdf's random ids); the same file used
/// twice, like a coat of arms on two documents, is embedded once. Returns
/// the name of each picture, `None` for one that cannot be read.
fn add_images(
    pdf: &mut PdfDocument,
    list: &[Image],
    opaque: bool,
    warnings: &mut Vec<String>,
) -> Vec<Option<XObjectId>> {
    let mut ids: Vec<Option<XObjectId>> = Vec::with_capacity(list.len());
    for (i, img) in list.iter().enumerate() {
        if let Some(j) = list[..i].iter().position(|o| o.data == img.data) {
            let same = ids[j].clone();
            ids.push(same);
            continue;
        }
        match images::xobject(&img.data, opaque) {
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
