//! The package parts gostdoc writes itself, and the deterministic zip.
//!
//! docx-rs cannot set the document language, hyphenation or the title and
//! subject in core.xml, and its styles.xml and settings.xml are out of
//! schema order; these parts are small and fixed, so they are written here
//! whole. The zip is written with a fixed entry order and the 1980-01-01
//! DOS time so that one document always gives the same bytes.

use std::io::Write;

use crate::document::{
    CELL_PADDING_MM, HYPHENATED_LINES_IN_A_ROW, HYPHENATION_ZONE_MM, Meta, TextStyle,
};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Escapes text for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// The document language, `ru-RU` unless the metadata says otherwise.
pub(crate) fn language(meta: &Meta) -> &str {
    if meta.language.trim().is_empty() {
        "ru-RU"
    } else {
        meta.language.trim()
    }
}

/// Style of requisites (centred and right-aligned lines, signatures): no automatic hyphenation, which belongs to justified body
/// text only; a hyphenated title or name looks broken.
pub(crate) const REQUISITE_STYLE: &str = "Requisite";

/// Character style of a word too long to hyphenate
/// ([`HYPHENATE_MAX_LETTERS`](crate::document::HYPHENATE_MAX_LETTERS)):
/// no language, so LibreOffice and Word have no dictionary to hyphenate it
/// with and cut it at the margin, where the PDF cuts it.
pub(crate) const LONG_WORD_STYLE: &str = "LongWord";

/// word/styles.xml: Times New Roman (or the chosen font) for every script,
/// the body size, single spacing with no space after, and the language, so
/// that Word and LibreOffice hyphenate Russian text.
pub(crate) fn styles_xml(style: &TextStyle, lang: &str) -> String {
    let font = escape(&style.font);
    let lang = escape(lang);
    let half_points = super::half_points(style.body_pt);
    let pad = super::mm_to_twips(CELL_PADDING_MM);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/><w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="{REQUISITE_STYLE}"><w:name w:val="Реквизит"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:suppressAutoHyphens/></w:pPr></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style><w:style w:type="character" w:customStyle="1" w:styleId="{LONG_WORD_STYLE}"><w:name w:val="Слово без переносов"/><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:lang w:val="zxx" w:eastAsia="zxx" w:bidi="zxx"/></w:rPr></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#
    )
}

/// word/settings.xml: automatic hyphenation on (not for words in capitals,
/// at most [`HYPHENATED_LINES_IN_A_ROW`] hyphenated lines in a row: Word
/// and our PDF honour the limit; LibreOffice 7.4 reads no
/// `w:consecutiveHyphenLimit` from a DOCX, and no document in `data/` has
/// three in a row, see `tests/typo_hyphenation.rs`),
/// tab stops every 1.25 cm, Word 2013+ layout.
pub(crate) fn settings_xml(lang: &str) -> String {
    let lang = escape(lang);
    let zone = super::mm_to_twips(HYPHENATION_ZONE_MM);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/><w:autoHyphenation w:val="true"/><w:consecutiveHyphenLimit w:val="{HYPHENATED_LINES_IN_A_ROW}"/><w:hyphenationZone w:val="{zone}"/><w:doNotHyphenateCaps w:val="true"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="{lang}"/></w:settings>"#
    )
}

/// docProps/core.xml: title, subject, author and language; no dates, so
/// the output does not depend on when it was made.
pub(crate) fn core_xml(meta: &Meta, lang: &str) -> String {
    let mut body = String::new();
    let mut field = |tag: &str, value: &str| {
        if !value.trim().is_empty() {
            body.push_str(&format!("<{tag}>{}</{tag}>", escape(value)));
        }
    };
    field("dc:title", &meta.title);
    field("dc:subject", &meta.subject);
    field("dc:creator", &meta.author);
    field("dc:language", lang);
    field("cp:lastModifiedBy", &meta.author);
    // The document's own date (the meeting, the act), never the clock's:
    // the same input gives the same bytes, and an archive sorts by it.
    if is_iso_date(&meta.date) {
        for tag in ["dcterms:created", "dcterms:modified"] {
            body.push_str(&format!(
                r#"<{tag} xsi:type="dcterms:W3CDTF">{}T00:00:00Z</{tag}>"#,
                meta.date
            ));
        }
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{body}<cp:revision>1</cp:revision></cp:coreProperties>"#
    )
}

/// True for `YYYY-MM-DD`, the form [`Meta::date`] takes.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The theme relationship, added to word/_rels/document.xml.rels: Word
/// requires a theme part and docx-rs does not write one.
pub(crate) const THEME_REL: &str = r#"<Relationship Id="rIdTheme1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml" />"#;

/// The theme's content type, added to [Content_Types].xml.
pub(crate) const THEME_CONTENT_TYPE: &str = r#"<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml" />"#;

/// Parts docx-rs always writes that no gostdoc document uses: empty
/// comments, their extension, empty custom properties, footnotes (which
/// docx-rs zips with only the generic XML content type) and our empty
/// numbering, which nothing refers to. Leaving them out makes a fifth fewer parts to zip;
/// their content types and relationships go with them.
pub(crate) const UNUSED_PARTS: [&str; 5] = [
    "docProps/custom.xml",
    "word/comments.xml",
    "word/commentsExtended.xml",
    "word/footnotes.xml",
    "word/numbering.xml",
];

/// The package's lists of parts that docx-rs writes and
/// [`without_unused_parts`] fixes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum List {
    /// `[Content_Types].xml`: our theme's type added.
    ContentTypes,
    /// `_rels/.rels`.
    PackageRels,
    /// `word/_rels/document.xml.rels`: our theme added; the parts named
    /// without their `word/`.
    DocumentRels,
}

impl List {
    /// Adds our theme to the list and removes the [`UNUSED_PARTS`].
    fn fix(self, xml: &mut String) {
        match self {
            List::ContentTypes => insert_before_close(xml, "</Types>", THEME_CONTENT_TYPE),
            List::PackageRels => {}
            List::DocumentRels => insert_before_close(xml, "</Relationships>", THEME_REL),
        }
        for unused in UNUSED_PARTS {
            let named = match self {
                List::DocumentRels => unused.strip_prefix("word/").unwrap_or(unused),
                List::ContentTypes | List::PackageRels => unused,
            };
            remove_references(xml, named);
        }
    }
}

thread_local! {
    /// The last list of each kind docx-rs wrote on this thread, and fixed.
    static FIXED_LISTS: std::cell::RefCell<Vec<(List, Vec<u8>, String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// `xml`, a list of parts as docx-rs writes it, fixed ([`List::fix`]).
/// docx-rs writes the same lists for nearly every document of a batch,
/// and the searches of [`remove_references`] were 2 % of a batch's
/// instructions, so the last answer for each list is kept per thread and
/// given again for the same bytes.
pub(crate) fn without_unused_parts(list: List, xml: &[u8]) -> String {
    let known = FIXED_LISTS.try_with(|lists| {
        lists
            .borrow()
            .iter()
            .find(|(l, from, _)| *l == list && from == xml)
            .map(|(_, _, fixed)| fixed.clone())
    });
    if let Ok(Some(fixed)) = known {
        return fixed;
    }
    let mut fixed = String::from_utf8_lossy(xml).into_owned();
    list.fix(&mut fixed);
    let _ = FIXED_LISTS.try_with(|lists| {
        let mut lists = lists.borrow_mut();
        lists.retain(|(l, _, _)| *l != list);
        lists.push((list, xml.to_vec(), fixed.clone()));
    });
    fixed
}

/// Removes from a package XML part (content types, relationships) every
/// empty element that names `target` in an attribute, e.g. the
/// `<Override PartName="/word/comments.xml" … />` of a part left out.
fn remove_references(xml: &mut String, target: &str) {
    for quoted in [format!("\"/{target}\""), format!("\"{target}\"")] {
        while let Some(at) = xml.find(&quoted) {
            let (Some(open), Some(close)) = (xml[..at].rfind('<'), xml[at..].find("/>")) else {
                return;
            };
            xml.replace_range(open..at + close + 2, "");
        }
    }
}

/// Inserts `item` before the closing tag `close` of a package XML part.
pub(crate) fn insert_before_close(xml: &mut String, close: &str, item: &str) {
    if let Some(at) = xml.rfind(close) {
        xml.insert_str(at, item);
    }
}

/// word/theme/theme1.xml: the smallest complete Office theme, with the
/// document font as both theme fonts so that nothing falls back to Calibri.
pub(crate) fn theme_xml(style: &TextStyle) -> String {
    let font = escape(&style.font);
    let solid = |c: &str| format!(r#"<a:solidFill><a:srgbClr val="{c}"/></a:solidFill>"#);
    let fill = solid("FFFFFF");
    let fills = format!("{fill}{fill}{fill}");
    let line = format!(r#"<a:ln w="6350">{}</a:ln>"#, solid("000000"));
    let lines = format!("{line}{line}{line}");
    let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
    let effects = format!("{effect}{effect}{effect}");
    let colors = [
        ("dk1", "000000"),
        ("lt1", "FFFFFF"),
        ("dk2", "44546A"),
        ("lt2", "E7E6E6"),
        ("accent1", "4472C4"),
        ("accent2", "ED7D31"),
        ("accent3", "A5A5A5"),
        ("accent4", "FFC000"),
        ("accent5", "5B9BD5"),
        ("accent6", "70AD47"),
        ("hlink", "0563C1"),
        ("folHlink", "954F72"),
    ]
    .iter()
    .map(|(name, c)| format!(r#"<a:{name}><a:srgbClr val="{c}"/></a:{name}>"#))
    .collect::<String>();
    let fonts = format!(r#"<a:latin typeface="{font}"/><a:ea typeface=""/><a:cs typeface=""/>"#);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="gostdoc"><a:themeElements><a:clrScheme name="gostdoc">{colors}</a:clrScheme><a:fontScheme name="gostdoc"><a:majorFont>{fonts}</a:majorFont><a:minorFont>{fonts}</a:minorFont></a:fontScheme><a:fmtScheme name="gostdoc"><a:fillStyleLst>{fills}</a:fillStyleLst><a:lnStyleLst>{lines}</a:lnStyleLst><a:effectStyleLst>{effects}</a:effectStyleLst><a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"#
    )
}

/// The zip being written: parts are added in the order they are listed,
/// with fixed times and permissions.
///
/// Every part is deflated by one compressor per thread, reset between
/// parts: a new compressor per part (what the zip crate does) cost more
/// than the compression of a protocol's small parts, and its fresh
/// buffers a page fault per page in a one-document process. rawzip writes
/// the container around the bytes compressed here.
pub(crate) struct Package {
    archive: rawzip::ZipArchiveWriter<Vec<u8>>,
    compressed: Vec<u8>,
}

impl Package {
    /// An empty package; `capacity` is a guess of its size.
    pub(crate) fn new(capacity: usize) -> Package {
        Package {
            archive: rawzip::ZipArchiveWriter::new(Vec::with_capacity(capacity)),
            compressed: Vec::new(),
        }
    }

    /// Adds a part held whole.
    pub(crate) fn part(&mut self, name: &str, data: &[u8]) -> Result<(), String> {
        let crc = match cached_part(data, &mut self.compressed) {
            Some(crc) => crc,
            None => {
                deflate_part(data, &mut self.compressed)?;
                let crc = rawzip::crc32(data);
                remember_part(data, &self.compressed, crc);
                crc
            }
        };
        let mut entry = new_entry(&mut self.archive, name)?;
        entry
            .write_all(&self.compressed)
            .map_err(|e| e.to_string())?;
        entry
            .finish(rawzip::DataDescriptorOutput::new(crc, data.len() as u64))
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Adds a part that `fill` writes piece by piece, so that a long
    /// document's body is compressed as it is made instead of being held
    /// whole (14.6 MB for a 1000-page roadmap). Up to [`WHOLE_PART_BYTES`]
    /// it is still held and compressed at once, as [`Package::part`] does:
    /// the fast level's compressor starts its final block only when told
    /// the input ends, so a part compressed in pieces differs from the
    /// same part compressed whole by a block boundary. Documents of up to
    /// about a hundred pages keep the bytes they had.
    pub(crate) fn streamed_part(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut PartWriter<'_, '_>) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut entry = new_entry(&mut self.archive, name)?;
        let (crc, size) = crate::deflate::with_raw(1, |compressor| {
            let mut part = PartWriter {
                compressor,
                entry: &mut entry,
                held: Vec::new(),
                streaming: false,
                out: {
                    let mut out = std::mem::take(&mut self.compressed);
                    out.clear();
                    out
                },
                crc: rawzip::Crc32::new(),
                size: 0,
            };
            fill(&mut part)?;
            part.finish()
        })?;
        entry
            .finish(rawzip::DataDescriptorOutput::new(crc, size))
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// The bytes of the zip.
    pub(crate) fn finish(self) -> Result<Vec<u8>, String> {
        let mut bytes = self.archive.finish().map_err(|e| e.to_string())?;
        // The guess of the capacity is generous for long tables, which
        // compress 30-fold; the bytes are held until the PDF is written too.
        bytes.shrink_to_fit();
        Ok(bytes)
    }
}

/// A small part compressed before, with its CRC: most parts (styles,
/// settings, theme, relationships, headers) are the same in every
/// document of a batch, and deflate gives the same bytes for the same
/// input, so they are compressed once per thread.
struct CachedPart {
    data: Box<[u8]>,
    compressed: Box<[u8]>,
    crc: u32,
    /// Times it was found: a part met once (core.xml, which holds the
    /// title) is the first to make room.
    hits: u32,
}

/// Parts kept per thread, and the largest one kept.
const CACHED_PARTS: usize = 16;
const CACHED_PART_BYTES: usize = 16 << 10;

thread_local! {
    static PARTS: std::cell::RefCell<Vec<CachedPart>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The compressed bytes of `data` into `out` and its CRC, when a part
/// with the same bytes was compressed before on this thread.
fn cached_part(data: &[u8], out: &mut Vec<u8>) -> Option<u32> {
    if data.len() > CACHED_PART_BYTES {
        return None;
    }
    PARTS.with(|parts| {
        let mut parts = parts.try_borrow_mut().ok()?;
        let part = parts.iter_mut().find(|p| *p.data == *data)?;
        part.hits = part.hits.saturating_add(1);
        out.clear();
        out.extend_from_slice(&part.compressed);
        Some(part.crc)
    })
}

/// Keeps a small part's compressed bytes for the next document.
fn remember_part(data: &[u8], compressed: &[u8], crc: u32) {
    if data.len() > CACHED_PART_BYTES {
        return;
    }
    PARTS.with(|parts| {
        let Ok(mut parts) = parts.try_borrow_mut() else {
            return;
        };
        let part = CachedPart {
            data: data.into(),
            compressed: compressed.into(),
            crc,
            hits: 0,
        };
        if parts.len() < CACHED_PARTS {
            parts.push(part);
        } else if let Some(least) = parts.iter_mut().min_by_key(|p| p.hits) {
            *least = part;
        }
    })
}

/// Starts the entry of a part in `archive`.
fn new_entry<'z>(
    archive: &'z mut rawzip::ZipArchiveWriter<Vec<u8>>,
    name: &str,
) -> Result<rawzip::ZipEntryWriter<'z, Vec<u8>>, String> {
    let (entry, _) = archive
        .new_file(name)
        .compression_method(rawzip::CompressionMethod::DEFLATE)
        .last_modified(ZIP_TIME)
        .unix_permissions(0o100_644)
        .start()
        .map_err(|e| e.to_string())?;
    Ok(entry)
}

/// A part held whole up to this size and compressed in pieces beyond it
/// ([`Package::streamed_part`]): larger than the body of any document of
/// `data/` and `examples/`, whose bytes stay as they were.
pub(crate) const WHOLE_PART_BYTES: usize = 2 << 20;

/// Compressed bytes gathered before they go to the zip.
const OUT_CHUNK: usize = 64 << 10;

/// Writes one part of [`Package::streamed_part`].
pub(crate) struct PartWriter<'a, 'z> {
    compressor: &'a mut flate2::Compress,
    entry: &'a mut rawzip::ZipEntryWriter<'z, Vec<u8>>,
    /// The part so far, while it may still be compressed whole.
    held: Vec<u8>,
    /// The part outgrew [`WHOLE_PART_BYTES`]: pieces go to the compressor.
    streaming: bool,
    out: Vec<u8>,
    crc: rawzip::Crc32,
    size: u64,
}

impl PartWriter<'_, '_> {
    /// Appends `bytes` to the part.
    pub(crate) fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.crc.update(bytes);
        self.size += bytes.len() as u64;
        if self.streaming {
            return self.compress(bytes, flate2::FlushCompress::None);
        }
        self.held.extend_from_slice(bytes);
        if self.held.len() > WHOLE_PART_BYTES {
            self.streaming = true;
            let held = std::mem::take(&mut self.held);
            self.compress(&held, flate2::FlushCompress::None)?;
        }
        Ok(())
    }

    /// Compresses `data` into the entry.
    fn compress(&mut self, mut data: &[u8], flush: flate2::FlushCompress) -> Result<(), String> {
        let finish = flush == flate2::FlushCompress::Finish;
        loop {
            if self.out.capacity() - self.out.len() < 1024 {
                self.drain()?;
                self.out.reserve(OUT_CHUNK);
            }
            let before = self.compressor.total_in();
            let status = self
                .compressor
                .compress_vec(data, &mut self.out, flush)
                .map_err(|e| e.to_string())?;
            data = &data[(self.compressor.total_in() - before) as usize..];
            if finish && status == flate2::Status::StreamEnd {
                return self.drain();
            }
            if !finish && data.is_empty() {
                return Ok(());
            }
        }
    }

    fn drain(&mut self) -> Result<(), String> {
        self.entry.write_all(&self.out).map_err(|e| e.to_string())?;
        self.out.clear();
        Ok(())
    }

    /// Ends the part: its CRC and size.
    fn finish(mut self) -> Result<(u32, u64), String> {
        if self.streaming {
            self.compress(&[], flate2::FlushCompress::Finish)?;
        } else {
            self.compressor.reset();
            self.out.clear();
            self.out.reserve(self.held.len() / 2 + 64);
            crate::deflate::finish_into(self.compressor, &self.held, &mut self.out);
            self.drain()?;
        }
        Ok((self.crc.checksum(), self.size))
    }
}

/// The time of every entry: 1980-01-01, the first a zip can hold, so
/// that the bytes never depend on the clock.
const ZIP_TIME: rawzip::time::UtcDateTime =
    match rawzip::time::UtcDateTime::from_components(1980, 1, 1, 0, 0, 0, 0) {
        Some(t) => t,
        None => panic!("1980-01-01 is a date"),
    };

/// Raw deflate (the zip's method 8) of one part into `out`, at the fast
/// level: the parts are small, and rendering must be quick. The
/// compressor is the one the PDF's streams use (`crate::deflate`).
fn deflate_part(data: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
    crate::deflate::raw_into(data, 1, out);
    Ok(())
}
