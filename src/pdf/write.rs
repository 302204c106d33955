//! Writes laid-out pages as PDF bytes: printpdf builds the document
//! (pages, pictures, metadata), [`embed`] adds the font subsets and
//! [`content`] writes the page streams.
//!
//! printpdf names resources and the trailer ID from a process-wide counter,
//! so the fonts and pictures get fixed names here and the trailer is
//! rewritten through lopdf: the same document always gives the same bytes.

use printpdf::{PdfDocument, PdfSaveOptions, XObjectId};

use crate::document::{Document, Image, Meta};

use super::content::{self, GlyphCodes, UsedChars};
use super::fonts::{FACES, FontSet};
use super::tags::StructTree;
use super::{Layout, compact, embed, images, pages, pdfa, save, tags};

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
    streamed: Option<Box<Streamed>>,
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
    let (used, sizes, early) = match streamed {
        // The characters guessed for the pages' codes, which the pages'
        // own are within.
        Some(s) => {
            let s = *s;
            (s.guessed, s.sizes, Some(s.streams))
        }
        None => {
            let sizes: Vec<(f32, f32)> = layout
                .pages
                .iter()
                .map(|page| (page.width_mm, page.height_mm))
                .collect();
            (UsedChars::of(&layout.pages, fonts), sizes, None)
        }
    };
    // A long document laid out whole still has its pages compressed
    // before printpdf and lopdf build the page objects ([`early_streams`]);
    // a short one is not worth the second embedding. The bytes are the
    // same.
    let early = early.or_else(|| {
        (sizes.len() >= PAGES_FOR_TWO_THREADS)
            .then(|| early_streams(&mut layout, fonts, &used, &image_names, structure.as_ref()))
    });
    pdf.with_pages(pages::first_page(&sizes));

    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: Some(images::compression()),
    };
    let mut pdf_warnings = Vec::new();
    let mut lo = printpdf::serialize::to_lopdf_doc(&pdf, &opts, &mut pdf_warnings);
    drop(pdf);
    pages::add_pages(&mut lo, &sizes);
    drop(sizes);

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
    // Object streams and a cross-reference stream (PDF 1.5) compress the
    // dictionaries as well: lopdf's bytes, written by [`save`].
    save::save(lo)
}

/// A long document's streams, compressed before printpdf and lopdf
/// build the page objects (5 KB a page), so that the two are never held
/// together with the layout: its codes are taken from a scratch document
/// first (the font programs are cached, so embedding again only writes
/// the dictionaries). The bytes are those of a late compression.
fn early_streams(
    layout: &mut Layout,
    fonts: &FontSet,
    used: &UsedChars,
    image_names: &[Option<String>],
    structure: Option<&StructTree>,
) -> Vec<(Vec<u8>, Vec<u32>)> {
    let codes = scratch_codes(fonts, used);
    let resources = content::Resources {
        font_names: &FONT_IDS,
        codes: &codes,
        fonts,
        images: image_names,
        tags: structure,
    };
    compressed_streams(std::mem::take(&mut layout.pages), &resources)
}

/// The codes each face's subset of `used` gives, from a scratch embedding.
fn scratch_codes(fonts: &FontSet, used: &UsedChars) -> [GlyphCodes; FACES] {
    std::array::from_fn(|i| {
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
    })
}

/// Encodes a long document's pages as the layout closes them
/// ([`super::layout::Pager`]): each page's stream is written at once and
/// compressed on a second thread, and the page freed. The glyph codes
/// come from the characters guessed from the document's tree
/// ([`UsedChars::guessed`]), taken when the first page comes.
pub(crate) struct Streamer<'a> {
    doc: &'a Document,
    fonts: &'a FontSet,
    numbered: bool,
    started: Option<Started>,
}

/// A streamer's state once the first page came.
struct Started {
    guessed: UsedChars,
    codes: [GlyphCodes; FACES],
    /// What the pages drew, to check the guess with.
    drawn: UsedChars,
    sizes: Vec<(f32, f32)>,
    /// To the compressing thread; `None` when it could not start.
    to_worker: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    worker: Option<std::thread::JoinHandle<Vec<Vec<u8>>>>,
    /// Streams compressed here when there is no second thread.
    streams: Vec<Vec<u8>>,
}

/// A long document's pages, encoded and compressed.
pub(crate) struct Streamed {
    /// The characters embedded: those the codes were taken from.
    guessed: UsedChars,
    /// Each page's size, mm.
    sizes: Vec<(f32, f32)>,
    /// Each page's compressed stream (a plain PDF marks no content).
    streams: Vec<(Vec<u8>, Vec<u32>)>,
}

/// How the streaming ended.
pub(crate) enum Finished {
    /// No page came: the document is laid out whole.
    Short,
    /// Every page encoded, with codes for every character it drew.
    Streamed(Box<Streamed>),
    /// A page drew a character the guess did not have.
    Missed,
}

/// Compressed page streams, written but not yet taken, that a long
/// document's compressing thread may fall behind by.
const STREAMS_QUEUED: usize = 8;

impl<'a> Streamer<'a> {
    pub(crate) fn new(doc: &'a Document, fonts: &'a FontSet, numbered: bool) -> Self {
        Streamer {
            doc,
            fonts,
            numbered,
            started: None,
        }
    }

    /// Encodes the next page and hands its stream to the compressor.
    pub(crate) fn page(&mut self, page: super::PageLayout) {
        let fonts = self.fonts;
        let started = self.started.get_or_insert_with(|| {
            let guessed = UsedChars::guessed(self.doc, fonts, self.numbered);
            let codes = scratch_codes(fonts, &guessed);
            let (to_worker, from_main) = std::sync::mpsc::sync_channel::<Vec<u8>>(STREAMS_QUEUED);
            let worker = std::thread::Builder::new()
                .name("pdf-deflate".into())
                .spawn(move || from_main.into_iter().map(|s| compress(&s)).collect())
                .ok();
            Started {
                guessed,
                codes,
                drawn: UsedChars::of(&[], fonts),
                sizes: Vec::new(),
                to_worker: worker.is_some().then_some(to_worker),
                worker,
                streams: Vec::new(),
            }
        });
        started.drawn.add_page(&page, fonts);
        started.sizes.push((page.width_mm, page.height_mm));
        let resources = content::Resources {
            font_names: &FONT_IDS,
            codes: &started.codes,
            fonts,
            images: &[],
            tags: None,
        };
        let (stream, _) = content::page_stream(page, &resources);
        // A worker that stopped (it panicked) leaves the stream to be
        // compressed here; its panic is raised when it is joined.
        let stream = match &started.to_worker {
            Some(to) => match to.send(stream) {
                Ok(()) => return,
                Err(e) => e.0,
            },
            None => stream,
        };
        started.streams.push(compress(&stream));
    }

    /// The encoded pages, once the layout has handed on the last.
    pub(crate) fn finish(self) -> Finished {
        let Some(mut started) = self.started else {
            return Finished::Short;
        };
        drop(started.to_worker.take());
        if let Some(worker) = started.worker.take() {
            let mut streams = worker
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            streams.append(&mut started.streams);
            started.streams = streams;
        }
        if !started.drawn.within(&started.guessed) {
            return Finished::Missed;
        }
        Finished::Streamed(Box::new(Streamed {
            guessed: started.guessed,
            sizes: started.sizes,
            streams: started
                .streams
                .into_iter()
                .map(|s| (s, Vec::new()))
                .collect(),
        }))
    }
}

/// A page's stream compressed, at its own length: the compressor reserved
/// half the page's operators, and a long document holds every page's
/// stream until the file is written.
fn compress(stream: &[u8]) -> Vec<u8> {
    let mut compressed = compact::deflate(stream);
    compressed.shrink_to_fit();
    compressed
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
        (compress(&stream), mcids)
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

#[cfg(test)]
mod tests {
    use crate::document::*;
    use crate::pdf::tests::roadmap;
    use crate::pdf::{PdfOptions, Prepared, lay_out, prepare};

    /// The PDF of `doc` laid out whole, as a short document is.
    fn whole(doc: &Document, opts: &PdfOptions) -> Vec<u8> {
        let (layout, warnings, tags, streamed) = lay_out(doc, opts, false, false).expect("layout");
        assert!(streamed.is_none());
        Prepared {
            meta: doc.meta.clone(),
            id: super::document_id(doc),
            layout,
            fonts: opts.fonts.clone(),
            warnings,
            tags,
            streamed,
        }
        .write()
        .bytes
    }

    #[test]
    fn a_long_document_streamed_has_the_bytes_of_its_whole_layout() {
        let opts = PdfOptions::default();
        let doc = roadmap(200);
        let prepared = prepare(&doc, &opts).expect("layout");
        assert!(prepared.streamed.is_some(), "200 rows are streamed");
        assert!(prepared.layout.pages.is_empty());
        assert_eq!(prepared.write().bytes, whole(&doc, &opts));
    }

    #[test]
    fn a_character_the_guess_missed_lays_the_document_out_whole() {
        let opts = PdfOptions::default();
        let mut doc = roadmap(200);
        // A bold word too wide for its column breaks with a bold hyphen,
        // which the guess from the tree leaves out.
        let bold = RunStyle {
            bold: true,
            ..RunStyle::default()
        };
        let word = Paragraph {
            runs: vec![Inline::Text {
                text: "Делопроизводство".into(),
                style: bold,
            }],
            ..Paragraph::plain()
        };
        let Block::Table(table) = &mut doc.sections[0].blocks[0] else {
            panic!("the roadmap is a table");
        };
        let last = table.rows.len() - 1;
        table.rows[last].cells[0].blocks = vec![Block::Paragraph(word)];
        let prepared = prepare(&doc, &opts).expect("layout");
        assert!(prepared.streamed.is_none(), "laid out again whole");
        assert!(!prepared.layout.pages.is_empty());
        assert_eq!(prepared.write().bytes, whole(&doc, &opts));
    }

    #[test]
    fn sections_breaks_and_blocks_around_a_streamed_table_keep_their_bytes() {
        let opts = PdfOptions::default();
        let mut doc = roadmap(120);
        let second = roadmap(90).sections.remove(0);
        let text = |t: &str| Block::Paragraph(Paragraph::from_text(t));
        let first = &mut doc.sections[0].blocks;
        first.insert(0, text("Перед таблицей, с переносами: делопроизводство"));
        first.push(text("После таблицы"));
        first.push(Block::PageBreak);
        first.push(text("После разрыва страницы"));
        doc.sections.push(Section {
            orientation: Orientation::Portrait,
            margins: Margins::PORTRAIT,
            ..second
        });
        let prepared = prepare(&doc, &opts).expect("layout");
        assert!(prepared.streamed.is_some());
        assert_eq!(prepared.write().bytes, whole(&doc, &opts));
    }

    #[test]
    fn a_short_document_is_laid_out_whole() {
        let opts = PdfOptions::default();
        let prepared = prepare(&roadmap(10), &opts).expect("layout");
        assert!(prepared.streamed.is_none());
        assert!(!prepared.layout.pages.is_empty());
    }
}
