//! Writes laid-out pages as PDF bytes: printpdf builds the document
//! (pages, pictures, metadata), [`embed`] adds the font subsets and
//! [`content`] writes the page streams.
//!
//! printpdf names resources and the trailer ID from a process-wide counter,
//! so the fonts and pictures get fixed names here and the trailer is
//! rewritten through lopdf: the same document always gives the same bytes.

use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions, XObjectId};

use crate::document::{Document, Image, Meta};

use super::content::{self, GlyphCodes, UsedChars};
use super::fonts::{FACES, FontSet};
use super::tags::StructTree;
use super::{Layout, compact, embed, images, pdfa, tags};

/// Font resource names, also the subset tags of the embedded fonts.
const FONT_IDS: [&str; FACES] = ["GDAAAA", "GDAAAB", "GDAAAC", "GDAAAD"];

/// Builds the PDF; a picture that cannot be read adds a warning. The
/// layout is consumed page by page, so a long document does not hold its
/// layout, printpdf's operations and lopdf's objects all at once. With a
/// structure tree the file is tagged PDF/A-2u ([`pdfa`]).
pub(crate) fn write(
    meta: &Meta,
    id: String,
    mut layout: Layout,
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

    let image_ids = add_images(&mut pdf, &layout.images, structure.is_some(), warnings);
    let image_names: Vec<Option<String>> = image_ids
        .iter()
        .map(|id| id.as_ref().map(|id| id.0.clone()))
        .collect();
    // Only the faces that are used, so no empty subset is embedded.
    let used = UsedChars::of(&layout.pages, fonts);
    let sizes: Vec<(f32, f32)> = layout
        .pages
        .iter()
        .map(|page| (page.width_mm, page.height_mm))
        .collect();
    // A long document's pages become their compressed streams before
    // printpdf and lopdf build the page objects (5 KB a page), so that
    // the two are never held together with the layout: its codes are
    // taken from a scratch document first (the font programs are cached,
    // so embedding again below only writes the dictionaries). A short
    // one is not worth the second embedding. The bytes are the same.
    let early = (sizes.len() >= PAGES_FOR_TWO_THREADS).then(|| {
        let codes: [GlyphCodes; FACES] = std::array::from_fn(|i| {
            if !used.uses(i) {
                return GlyphCodes::none();
            }
            let mut scratch = lopdf::Document::new();
            embed::embed(
                &mut scratch,
                fonts.face(i as u8),
                FONT_IDS[i],
                used.chars(i),
            )
            .codes
        });
        let resources = content::Resources {
            font_names: &FONT_IDS,
            codes: &codes,
            fonts,
            images: &image_names,
            tags: structure.as_ref(),
        };
        compressed_streams(std::mem::take(&mut layout.pages), &resources)
    });
    let pages = sizes
        .iter()
        .map(|&(width, height)| PdfPage::new(Mm(width), Mm(height), Vec::new()))
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

    let mut font_map = lopdf::Dictionary::new();
    let mut programs = Vec::new();
    let codes: [GlyphCodes; FACES] = std::array::from_fn(|i| {
        if !used.uses(i) {
            return GlyphCodes::none();
        }
        let font = embed::embed(&mut lo, fonts.face(i as u8), FONT_IDS[i], used.chars(i));
        font_map.set(FONT_IDS[i], lopdf::Object::Reference(font.font));
        programs.push((font.descriptor, font.glyph_count));
        font.codes
    });
    drop(used);
    set_page_fonts(&mut lo, font_map);
    let streams = early.unwrap_or_else(|| {
        let resources = content::Resources {
            font_names: &FONT_IDS,
            codes: &codes,
            fonts,
            images: &image_names,
            tags: structure.as_ref(),
        };
        compressed_streams(layout.pages, &resources)
    });
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    let mut mcids = Vec::new();
    for (&page_id, (stream, page_mcids)) in page_ids.iter().zip(streams) {
        set_page_content(&mut lo, page_id, stream);
        mcids.push(page_mcids);
    }

    finish(&mut lo, meta, id);
    if let Some(tree) = &structure {
        let root = tags::write_tree(&mut lo, tree, &page_ids, &mcids);
        pdfa::conform(&mut lo, meta, root, &programs);
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
            .compression_level(6)
            .build(),
    );
    bytes
}

/// Puts the fonts in the font resources printpdf's pages share (its
/// document has none: the fonts are [`embed`]'s).
fn set_page_fonts(lo: &mut lopdf::Document, fonts: lopdf::Dictionary) {
    use lopdf::Object;
    let Some(&first) = lo.get_pages().values().next() else {
        return;
    };
    let resources = match lo.get_dictionary(first).and_then(|p| p.get(b"Resources")) {
        Ok(Object::Reference(id)) => *id,
        _ => return,
    };
    let font_ref = lo
        .get_dictionary(resources)
        .and_then(|r| r.get(b"Font"))
        .and_then(Object::as_reference);
    match font_ref {
        Ok(id) => {
            lo.objects.insert(id, Object::Dictionary(fonts));
        }
        Err(_) => {
            let id = lo.add_object(Object::Dictionary(fonts));
            let pages: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
            for page in pages {
                let resources = match lo.get_dictionary(page).and_then(|p| p.get(b"Resources")) {
                    Ok(Object::Reference(r)) => *r,
                    _ => continue,
                };
                if let Ok(r) = lo.get_object_mut(resources).and_then(Object::as_dict_mut) {
                    r.set("Font", Object::Reference(id));
                }
            }
        }
    }
}

/// A document of at least this many pages has the second half of its
/// content streams written and compressed by a second thread: on a
/// 1000-page roadmap compressing them is a quarter of the whole build.
/// A protocol of a few pages is done on its own thread, where a batch
/// already keeps every core busy.
const PAGES_FOR_TWO_THREADS: usize = 16;

/// Each page's content stream, compressed at once so the page's
/// uncompressed operators are not kept, with the marked-content ids of a
/// tagged page; in page order.
fn compressed_streams(
    mut pages: Vec<super::PageLayout>,
    resources: &content::Resources,
) -> Vec<(Vec<u8>, Vec<u32>)> {
    let stream = |page| {
        let (stream, mcids) = content::page_stream(page, resources);
        let mut compressed = compact::deflate(&stream);
        // The compressor reserved half the page's operators; a long
        // document holds every page's stream until the file is written.
        compressed.shrink_to_fit();
        (compressed, mcids)
    };
    if pages.len() < PAGES_FOR_TWO_THREADS {
        return pages.into_iter().map(stream).collect();
    }
    let second = pages.split_off(pages.len() / 2);
    std::thread::scope(|scope| {
        let later = scope.spawn(|| second.into_iter().map(stream).collect::<Vec<_>>());
        let mut streams: Vec<_> = pages.into_iter().map(stream).collect();
        // A panic there is what it would have been here.
        streams.extend(
            later
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        );
        streams
    })
}

/// Replaces a page's content stream with `compressed`.
fn set_page_content(lo: &mut lopdf::Document, page: lopdf::ObjectId, compressed: Vec<u8>) {
    use lopdf::{Dictionary, Object, Stream};
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
    // The same bytes as the whole text, fed piece by piece.
    doc.text_pieces(&mut |piece| hasher.update(piece.as_bytes()));
    format!("{:032x}", hasher.digest128())
}
