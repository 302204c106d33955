//! DOCX backend: lays a [`Document`] out as a Word file (LAYOUT.md §1–4).
//!
//! docx-rs builds the body; [`normalize`] then fixes what docx-rs gets wrong
//! or cannot say (schema order, repeating header rows, one page-number
//! header shared by every section), and [`package`] writes the parts
//! docx-rs cannot configure (language, hyphenation, core properties) and a
//! deterministic zip. The result is bytes; writing files is the build's job.

mod normalize;
mod package;
mod requisites;
mod rows;

use std::borrow::Cow;
use std::fmt;

use docx_rs as dx;

use crate::document::*;

use normalize::{DocumentPlan, SectionHeaders};

/// Why a document could not be written as DOCX.
#[derive(Debug)]
pub enum DocxError {
    /// The document has no sections, so there is no page to put text on.
    NoSections,
    /// An image is neither PNG nor JPEG; the field is its source.
    UnsupportedImage(String),
    /// A table declares no columns or a cell spans past the last column.
    BadTable(String),
    /// docx-rs wrote XML the normaliser could not read (a bug here).
    Xml(String),
    /// The zip archive could not be written.
    Zip(String),
}

impl fmt::Display for DocxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocxError::NoSections => write!(
                f,
                "в документе нет ни одного раздела: добавьте в шаблон хотя бы один абзац"
            ),
            DocxError::UnsupportedImage(source) => write!(
                f,
                "изображение «{source}» не в формате PNG или JPEG: сохраните его как PNG"
            ),
            DocxError::BadTable(what) => write!(f, "таблица задана неверно: {what}"),
            DocxError::Xml(msg) => write!(
                f,
                "внутренняя ошибка при сборке DOCX (XML): {msg}; сообщите разработчикам"
            ),
            DocxError::Zip(msg) => write!(f, "не удалось упаковать DOCX: {msg}"),
        }
    }
}

impl std::error::Error for DocxError {}

/// Character spacing of letter-spaced runs, twips, so that
/// «постановляет» reads «п о с т а н о в л я е т».
const SPACED_TWIPS: i32 = (LETTER_SPACING_PT * 20.0) as i32;
/// Table rule width in eighths of a point.
const BORDER_EIGHTHS: usize = (TABLE_RULE_PT * 8.0) as usize;
/// Relationship ids docx-rs gives the two header parts, in the order they
/// are added: the page-number header first, the empty first-page header second.
const NUMBER_HEADER_RID: &str = "rIdHeader1";
const EMPTY_HEADER_RID: &str = "rIdHeader2";

/// The font a word joiner (`w:sym`, U+2060) names: the document's, though
/// the joiner has no glyph to draw.
const WORD_JOINER_FONT: &str = "Times New Roman";

/// A soft hyphen (U+00AD) in text, as UTF-8.
const SOFT_HYPHEN: &[u8] = "\u{ad}".as_bytes();

/// Writes each soft hyphen in the text of `xml` as Word's own element,
/// `w:softHyphen`, between two pieces of text: Word shows a bare U+00AD
/// as a character, LibreOffice reads either. docx-rs writes every text
/// as `<w:t xml:space="preserve">…</w:t>`, so the text can be closed and
/// reopened around it.
fn soft_hyphen_elements(xml: &mut Vec<u8>) {
    if !xml.windows(SOFT_HYPHEN.len()).any(|w| w == SOFT_HYPHEN) {
        return;
    }
    let text = String::from_utf8_lossy(xml).replace(
        '\u{ad}',
        r#"</w:t><w:softHyphen/><w:t xml:space="preserve">"#,
    );
    *xml = text.into_bytes();
}

/// How docx-rs wraps an anchored picture.
const WRAP_SQUARE: &[u8] = br#"<wp:wrapSquare wrapText="bothSides" />"#;

/// Millimetres to twips (1/1440 inch).
fn mm_to_twips(mm: f32) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// Points to twips.
fn pt_to_twips(pt: f32) -> u32 {
    (pt.max(0.0) * 20.0).round() as u32
}

/// Points to half-points, the unit of `w:sz`.
fn half_points(pt: f32) -> usize {
    (pt.max(1.0) * 2.0).round() as usize
}

/// Millimetres to EMU (English Metric Units, 36 000 per mm).
fn mm_to_emu(mm: f32) -> u32 {
    (mm.max(0.0) * 36000.0).round() as u32
}

/// Renders the document as DOCX bytes. The same document always gives the
/// same bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let (last, others) = doc.sections.split_last().ok_or(DocxError::NoSections)?;
    // The QR code is laid out only when there is one: LibreOffice must
    // find it at the corner our PDF chose.
    let qr_at = crate::pdf::requisites::qr_position(doc).map(|(_, at)| at);
    let mut builder = Builder::new(&doc.style, qr_at);

    let mut docx = dx::Docx::new();
    for section in others {
        let mut children = builder.section_children(section)?;
        let props = section_property(section);
        if let Some(last) = children.last_mut() {
            last.build(&mut builder.marks);
        }
        match children.last_mut() {
            // The section's properties go in its last paragraph, so no empty
            // paragraph is added that could spill onto a page of its own.
            Some(Child::Para(p)) => {
                let taken = std::mem::take(&mut **p);
                **p = taken.section_property(props);
            }
            _ => children.push(Child::Para(Box::new(
                empty_paragraph(doc.style.body_pt).section_property(props),
            ))),
        }
        docx = push_children(docx, children, &mut builder.tables, &mut builder.marks);
    }
    let children = builder.section_children(last)?;
    docx = push_children(docx, children, &mut builder.tables, &mut builder.marks);
    let (w, h, orient) = page_size(last.orientation);
    docx = docx
        .page_size(w, h)
        .page_orient(orient)
        .page_margin(page_margin(&last.margins));

    let numbered = doc.page_numbers == PageNumbers::TopCenterFromSecond;
    if numbered {
        // Added in this order so that docx-rs names them rIdHeader1 and 2.
        docx = docx
            .header(number_header(doc.style.body_pt))
            .first_header(dx::Header::new().add_paragraph(empty_paragraph(doc.style.body_pt)));
    }
    builder.plan.sections = (0..doc.sections.len())
        .map(|i| section_headers(numbered, i))
        .collect();

    let xml = docx.build();
    let marks = builder.marks;
    assemble(
        doc,
        xml,
        &builder.plan,
        builder.tables,
        marks,
        &builder.anchors,
    )
}

/// Headers of the `index`-th section: the number on every page but the
/// very first one of the document. Later sections start with a number too,
/// because numbering runs through the appendices (LAYOUT.md §3).
fn section_headers(numbered: bool, index: usize) -> SectionHeaders {
    if !numbered {
        return SectionHeaders::default();
    }
    SectionHeaders {
        default_rid: Some(NUMBER_HEADER_RID.into()),
        first_rid: (index == 0).then(|| EMPTY_HEADER_RID.into()),
        title_pg: index == 0,
    }
}

/// Normalises the XML parts, replaces the ones gostdoc writes itself, and
/// zips everything in a fixed order.
fn assemble<'d>(
    doc: &'d Document,
    xml: dx::XMLDocx,
    plan: &DocumentPlan,
    tables: Vec<Built<'d>>,
    marks: Marks,
    anchors: &requisites::Anchors,
) -> Result<Vec<u8>, DocxError> {
    let norm = |bytes: &[u8], plan: Option<&DocumentPlan>| {
        normalize::normalize_part(bytes, plan).map_err(DocxError::Xml)
    };
    let lang = package::language(&doc.meta);
    let whole = tables.iter().map(|t| match t {
        Built::Whole(xml) | Built::Ready(xml) => xml.len(),
        Built::Later(_) => 0,
    });
    let guess = xml.document.len() + whole.sum::<usize>();
    // Tables compress 30-fold, prose about 4-fold.
    let mut zip = package::Package::new((guess / 4).min(1 << 20) + 1024);
    let content_types =
        package::without_unused_parts(package::List::ContentTypes, &xml.content_type);
    let package_rels = package::without_unused_parts(package::List::PackageRels, &xml.rels);
    let zipped = |r: Result<(), String>| r.map_err(DocxError::Zip);
    zipped(zip.part("[Content_Types].xml", content_types.as_bytes()))?;
    zipped(zip.part("_rels/.rels", package_rels.as_bytes()))?;
    zipped(zip.part("docProps/app.xml", &xml.doc_props.app))?;
    zipped(zip.part(
        "docProps/core.xml",
        package::core_xml(&doc.meta, lang).as_bytes(),
    ))?;

    // docx-rs names every picture *.png; JPEG data gets its own extension so
    // that the content type matches the bytes.
    let mut document_rels =
        package::without_unused_parts(package::List::DocumentRels, &xml.document_rels);
    if !anchors.rels.is_empty() {
        package::insert_before_close(&mut document_rels, "</Relationships>", &anchors.rels);
    }
    let mut media = Vec::with_capacity(xml.media.len());
    for (id, data) in xml.media {
        let ext = match ImageFormat::sniff(&data) {
            Some(ImageFormat::Jpeg) => "jpeg",
            _ => "png",
        };
        if ext != "png" {
            document_rels =
                document_rels.replace(&format!("media/{id}.png\""), &format!("media/{id}.{ext}\""));
        }
        media.push((format!("word/media/{id}.{ext}"), data));
    }
    zipped(zip.part("word/_rels/document.xml.rels", document_rels.as_bytes()))?;
    // Scanned for only when the builder put them in: the seeds have none.
    let mut tables: Vec<normalize::Spliced<'d>> = tables
        .into_iter()
        .map(|table| match table {
            Built::Whole(mut xml) => {
                if marks.soft_hyphens {
                    soft_hyphen_elements(&mut xml);
                }
                normalize::Spliced::Whole(xml)
            }
            // In the body, where the marks would have been made.
            Built::Ready(mut xml) => {
                if marks.soft_hyphens {
                    soft_hyphen_elements(&mut xml);
                }
                normalize::Spliced::Ready(xml)
            }
            Built::Later(later) => later.pieces(&doc.style),
        })
        .collect();
    // docx-rs wraps every anchored picture square; ours (the coat of
    // arms) has text above and below it only.
    let mut body = if marks.anchors {
        String::from_utf8_lossy(&xml.document)
            .replace(
                std::str::from_utf8(WRAP_SQUARE).unwrap_or_default(),
                "<wp:wrapTopAndBottom />",
            )
            .into_bytes()
    } else {
        xml.document
    };
    if marks.soft_hyphens {
        soft_hyphen_elements(&mut body);
    }
    // The fixed body goes to the compressor piece by piece: a long
    // document's is megabytes. An anchored picture's run is inside one
    // paragraph, so it is never cut between two pieces.
    let mut failed = None;
    zip.streamed_part("word/document.xml", |part| {
        let mut out = |piece: &[u8]| {
            if anchors.is_empty() {
                part.write(piece)
            } else {
                part.write(&anchors.splice(piece.to_vec()))
            }
        };
        normalize::normalize_with_tables(&body, Some(plan), &mut tables, &mut out)
            .inspect_err(|e| failed = Some(DocxError::Xml(e.clone())))
    })
    .map_err(|e| failed.take().unwrap_or(DocxError::Zip(e)))?;
    drop(body);
    zipped(zip.part(
        "word/styles.xml",
        package::styles_xml(&doc.style, lang).as_bytes(),
    ))?;
    zipped(zip.part("word/settings.xml", package::settings_xml(lang).as_bytes()))?;
    zipped(zip.part("word/fontTable.xml", &xml.font_table))?;
    zipped(zip.part(
        "word/theme/theme1.xml",
        package::theme_xml(&doc.style).as_bytes(),
    ))?;
    for (i, header) in xml.headers.iter().enumerate() {
        zipped(zip.part(&format!("word/header{}.xml", i + 1), &norm(header, None)?))?;
        if let Some(rels) = xml.header_rels.get(i) {
            zipped(zip.part(&format!("word/_rels/header{}.xml.rels", i + 1), rels))?;
        }
    }
    for (name, data) in media.iter().chain(anchors.media.iter()) {
        zipped(zip.part(name, data))?;
    }
    zip.finish().map_err(DocxError::Zip)
}

/// A body element as docx-rs builds it, before it is added to the document.
enum Child<'d> {
    /// Boxed: docx-rs elements are large (a paragraph is over 2 KB).
    Para(Box<dx::Paragraph>),
    /// A table already written as XML, by its index in [`Builder::tables`];
    /// the document holds a placeholder paragraph in its place.
    Table(usize),
    /// A paragraph of the body to be written straight in its final XML
    /// ([`rows::paragraph`]), as [`paragraph`] would build it with these
    /// arguments; built by docx-rs instead when something must be added
    /// to it (the section's properties).
    Direct {
        p: &'d Paragraph,
        ctx: Ctx,
        label: Option<&'d str>,
    },
}

impl Child<'_> {
    /// Makes a direct paragraph a docx-rs one.
    fn build(&mut self, marks: &mut Marks) {
        if let Child::Direct { p, ctx, label } = *self {
            *self = Child::Para(Box::new(paragraph(p, ctx, label, 0, marks)));
        }
    }
}

/// Adds the children to the document. Direct paragraphs in a row are
/// written to one piece of XML, which a placeholder paragraph stands for
/// as a table does ([`Built::Ready`]).
fn push_children<'d>(
    mut docx: dx::Docx,
    children: Vec<Child<'d>>,
    tables: &mut Vec<Built<'d>>,
    marks: &mut Marks,
) -> dx::Docx {
    let mut ready: Vec<u8> = Vec::new();
    let flush = |docx: dx::Docx, ready: &mut Vec<u8>, tables: &mut Vec<Built<'d>>| {
        if ready.is_empty() {
            return docx;
        }
        tables.push(Built::Ready(std::mem::take(ready)));
        docx.add_paragraph(table_placeholder(tables.len() - 1))
    };
    for mut child in children {
        if let Child::Direct { p, ctx, label } = child {
            if rows::paragraph(p, ctx, label, &mut ready) {
                continue;
            }
            child.build(marks);
        }
        docx = flush(docx, &mut ready, tables);
        docx = match child {
            Child::Para(p) => docx.add_paragraph(*p),
            Child::Table(index) => docx.add_paragraph(table_placeholder(index)),
            Child::Direct { p, ctx, label } => {
                docx.add_paragraph(paragraph(p, ctx, label, 0, marks))
            }
        };
    }
    flush(docx, &mut ready, tables)
}

/// Tables are written to XML row by row as they are built, and the
/// normaliser splices them into the body (or into the cell of an outer
/// table) when it copies it: docx-rs holds a table cell's paragraph in 2.4 KB, so
/// a 1000-page roadmap kept as docx-rs elements took 170 MB, while its XML
/// is 10 MB. In the tree a table stands as a paragraph holding only this
/// marker. The marker is made of control characters, which [`add_text`]
/// drops from every text, so no user text can ever look like one.
const TABLE_MARK: char = '\u{1}';

fn table_placeholder(index: usize) -> dx::Paragraph {
    dx::Paragraph::new()
        .add_run(dx::Run::new().add_text(format!("{TABLE_MARK}{index}{TABLE_MARK}")))
}

/// The table a placeholder's text stands for.
fn table_index(text: &[u8]) -> Option<usize> {
    let mark = TABLE_MARK as u8;
    let digits = text.strip_prefix(&[mark])?.strip_suffix(&[mark])?;
    std::str::from_utf8(digits).ok()?.parse().ok()
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Page size in twips and orientation: landscape swaps the sides.
fn page_size(orientation: Orientation) -> (u32, u32, dx::PageOrientationType) {
    let kind = match orientation {
        Orientation::Portrait => dx::PageOrientationType::Portrait,
        Orientation::Landscape => dx::PageOrientationType::Landscape,
    };
    let (width, height) = orientation.page_mm();
    (mm_to_twips(width) as u32, mm_to_twips(height) as u32, kind)
}

fn page_margin(m: &Margins) -> dx::PageMargin {
    dx::PageMargin::new()
        .top(mm_to_twips(m.top))
        .right(mm_to_twips(m.right))
        .bottom(mm_to_twips(m.bottom))
        .left(mm_to_twips(m.left))
        .header(mm_to_twips(HEADER_DISTANCE_MM))
        .footer(mm_to_twips(HEADER_DISTANCE_MM))
        .gutter(0)
}

/// Properties of a section that is not the last one (those end up in the
/// section's last paragraph).
fn section_property(section: &Section) -> dx::SectionProperty {
    let (w, h, orient) = page_size(section.orientation);
    dx::SectionProperty::new()
        .page_size(dx::PageSize::new().size(w, h).orient(orient))
        .page_margin(page_margin(&section.margins))
}

/// Width between the margins, twips: where right tabs and boxes align.
fn text_width(section: &Section) -> i32 {
    let (w, _, _) = page_size(section.orientation);
    w as i32 - mm_to_twips(section.margins.left) - mm_to_twips(section.margins.right)
}

/// The page-number header: a centred PAGE field at body size.
fn number_header(body_pt: f32) -> dx::Header {
    let size = half_points(body_pt);
    dx::Header::new().add_paragraph(
        dx::Paragraph::new()
            .align(dx::AlignmentType::Center)
            .size(size)
            .add_run(
                dx::Run::new()
                    .size(size)
                    .add_field_char(dx::FieldCharType::Begin, false),
            )
            .add_run(
                dx::Run::new()
                    .size(size)
                    .add_instr_text(dx::InstrText::PAGE(dx::InstrPAGE::new())),
            )
            .add_run(
                dx::Run::new()
                    .size(size)
                    .add_field_char(dx::FieldCharType::Separate, false),
            )
            .add_run(dx::Run::new().size(size).add_text("2"))
            .add_run(
                dx::Run::new()
                    .size(size)
                    .add_field_char(dx::FieldCharType::End, false),
            ),
    )
}

fn empty_paragraph(size_pt: f32) -> dx::Paragraph {
    dx::Paragraph::new().size(half_points(size_pt))
}

/// Context of the blocks being laid out: the text size and width around them.
#[derive(Clone, Copy)]
struct Ctx {
    /// Size of paragraphs that do not set their own, points.
    size_pt: f32,
    /// Width between margins (or of the cell), twips.
    width: i32,
    /// In a table cell: its width, mm, as the PDF measures it (a word
    /// wider than the cell gets soft hyphens where the PDF breaks it).
    cell_mm: Option<f32>,
}

/// Walks the tree and records, alongside the docx-rs elements, what the
/// normaliser must add later.
struct Builder<'d> {
    style: &'d TextStyle,
    plan: DocumentPlan,
    images: usize,
    /// Each table, spliced in place of its placeholder.
    tables: Vec<Built<'d>>,
    /// What [`assemble`] must rewrite in the XML docx-rs writes.
    marks: Marks,
    /// The QR code and the electronic-signature marks, spliced in last.
    anchors: requisites::Anchors,
    /// Where the QR code goes on its page (mm from the top left corner).
    qr_at: Option<(f32, f32)>,
}

/// A table as the builder leaves it.
enum Built<'d> {
    /// Its XML.
    Whole(Vec<u8>),
    /// Paragraphs of the body in their final XML ([`Child::Direct`]).
    Ready(Vec<u8>),
    /// To be built as it is copied.
    Later(Later<'d>),
}

impl<'d> Builder<'d> {
    fn new(style: &'d TextStyle, qr_at: Option<(f32, f32)>) -> Builder<'d> {
        Builder {
            style,
            plan: DocumentPlan::default(),
            images: 0,
            tables: Vec::new(),
            marks: Marks::default(),
            anchors: requisites::Anchors::default(),
            qr_at,
        }
    }
}

/// What the builder put in that docx-rs cannot write as it should.
#[derive(Clone, Copy, Default)]
struct Marks {
    /// Soft hyphens in text, to be written as `w:softHyphen`.
    soft_hyphens: bool,
    /// Pictures anchored to the page, to be wrapped top and bottom.
    anchors: bool,
}

impl<'d> Builder<'d> {
    fn section_children(&mut self, section: &'d Section) -> Result<Vec<Child<'d>>, DocxError> {
        let ctx = Ctx {
            size_pt: self.style.body_pt,
            width: text_width(section),
            cell_mm: None,
        };
        self.blocks(&section.blocks, ctx)
    }

    /// Lays out blocks. A page break becomes `pageBreakBefore` on the next
    /// paragraph, so that no empty line is left at the top of the new page;
    /// before a table or at the end it becomes a paragraph with a page break.
    fn blocks(&mut self, blocks: &'d [Block], ctx: Ctx) -> Result<Vec<Child<'d>>, DocxError> {
        let mut out = Vec::with_capacity(blocks.len());
        // Paragraphs of the body are written straight to their XML unless
        // something goes into them: a QR code (into the first paragraph
        // of the blocks), a page break or the coat of arms (into the
        // paragraph after it). Table cells keep docx-rs.
        let direct = ctx.cell_mm.is_none() && !blocks.iter().any(|b| matches!(b, Block::Qr(_)));
        let mut break_pending = false;
        let mut anchor_pending: Option<dx::Run> = None;
        for block in blocks {
            let start = out.len();
            match block {
                Block::PageBreak => {
                    if break_pending {
                        out.push(Child::Para(Box::new(page_break_paragraph(ctx.size_pt))));
                    }
                    break_pending = true;
                    continue;
                }
                Block::Paragraph(p) => {
                    if direct && !break_pending && anchor_pending.is_none() {
                        out.push(Child::Direct {
                            p,
                            ctx,
                            label: None,
                        });
                    } else {
                        let para = paragraph(p, ctx, None, 0, &mut self.marks);
                        out.push(Child::Para(Box::new(para)))
                    }
                }
                Block::List(list) => {
                    let direct = direct && !break_pending && anchor_pending.is_none();
                    for item in &list.items {
                        for (i, p) in item.paragraphs.iter().enumerate() {
                            let label = (i == 0).then_some(item.label.as_str());
                            if direct {
                                out.push(Child::Direct { p, ctx, label });
                            } else {
                                let para = paragraph(p, ctx, label, 0, &mut self.marks);
                                out.push(Child::Para(Box::new(para)));
                            }
                        }
                    }
                }
                Block::Table(t) => {
                    let table = if text_only(t) {
                        Built::Later(self.table_later(t)?)
                    } else {
                        Built::Whole(self.table(t)?)
                    };
                    self.tables.push(table);
                    out.push(Child::Table(self.tables.len() - 1));
                }
                Block::Signature(s) => out.extend(
                    signature(s, ctx, &mut self.anchors)
                        .into_iter()
                        .map(|p| Child::Para(Box::new(p))),
                ),
                Block::Qr(q) => {
                    // On the section's first page: in its first paragraph.
                    if let Some(at) = self.qr_at {
                        let text = self.anchors.qr(q, at);
                        let run = dx::Run::new().add_text(text);
                        match out.iter_mut().find_map(|c| match c {
                            Child::Para(p) => Some(p),
                            Child::Table(_) | Child::Direct { .. } => None,
                        }) {
                            Some(p) => p.children.insert(0, dx::ParagraphChild::Run(Box::new(run))),
                            None => out.push(Child::Para(Box::new(
                                empty_paragraph(ctx.size_pt).add_run(run),
                            ))),
                        }
                    }
                    continue;
                }
                Block::Spread(sp) => out.extend(
                    spread(sp, ctx, &mut self.marks)
                        .into_iter()
                        .map(|p| Child::Para(Box::new(p))),
                ),
                Block::RequisiteBox(b) => {
                    let box_width = mm_to_twips(b.width_mm).min(ctx.width);
                    let shift = (ctx.width - box_width).max(0);
                    for p in &b.paragraphs {
                        // Requisites are never hyphenated (LAYOUT.md §4),
                        // whatever their alignment.
                        let para = paragraph(
                            p,
                            Ctx {
                                cell_mm: None,
                                ..ctx
                            },
                            None,
                            shift,
                            &mut self.marks,
                        )
                        .style(package::REQUISITE_STYLE);
                        out.push(Child::Para(Box::new(para)));
                    }
                }
                Block::Image(img) => {
                    if let ImagePlacement::PageTop { top_mm, gap_mm } = img.placement {
                        anchor_pending = Some(self.anchored(img, top_mm, gap_mm)?);
                        self.marks.anchors = true;
                        continue;
                    }
                    out.push(Child::Para(Box::new(self.image(img, ctx.size_pt)?)))
                }
            }
            if let Some(run) = anchor_pending.take() {
                // The coat of arms is anchored in the first paragraph after
                // it (the organisation's name), so no empty line is added;
                // before a table, in an empty paragraph of its own.
                match out.get_mut(start) {
                    Some(Child::Para(p)) => {
                        p.children.insert(0, dx::ParagraphChild::Run(Box::new(run)))
                    }
                    _ => out.insert(
                        start,
                        Child::Para(Box::new(empty_paragraph(ctx.size_pt).add_run(run))),
                    ),
                }
            }
            if break_pending {
                break_pending = false;
                match out.get_mut(start) {
                    Some(Child::Para(p)) => {
                        let taken = std::mem::take(&mut **p);
                        **p = taken.page_break_before(true);
                    }
                    _ => out.insert(
                        start,
                        Child::Para(Box::new(page_break_paragraph(ctx.size_pt))),
                    ),
                }
            }
        }
        if let Some(run) = anchor_pending {
            out.push(Child::Para(Box::new(
                empty_paragraph(ctx.size_pt).add_run(run),
            )));
        }
        if break_pending {
            out.push(Child::Para(Box::new(page_break_paragraph(ctx.size_pt))));
        }
        Ok(out)
    }

    /// The table's XML. Each row is written as soon as it is built, so only
    /// the XML is held, never the docx-rs elements of the whole table.
    fn table(&mut self, table: &'d Table) -> Result<Vec<u8>, DocxError> {
        let mut shell = self.shell(table)?;
        let mut xml = std::mem::take(&mut shell.head);
        // A table with stored rows holds text only: built later.
        debug_assert!(table.stored.is_none());
        for (r, (row, slots)) in table.rows.iter().zip(table.slots()).enumerate() {
            // Recorded before the cells so that the order matches the `w:tr`
            // start tags, nested tables included.
            self.plan.header_rows.push(row.header);
            check_spans(row, r, shell.grid.len())?;
            xml.extend_from_slice(&self.row(table, row, &shell, r, &slots)?);
        }
        xml.extend_from_slice(&shell.tail);
        // Held until the normaliser copies it: a long table's spare room
        // would be megabytes.
        xml.shrink_to_fit();
        Ok(xml)
    }

    /// A table whose cells hold text only, to be built row by row as the
    /// normaliser copies it ([`normalize::Spliced::Pieces`]): a 1000-page
    /// roadmap's table is 14.6 MB of XML, never held whole this way. Its
    /// rows are checked and its header rows recorded now, as [`Self::table`]
    /// does; building its cells changes nothing but [`Marks::soft_hyphens`],
    /// which the rows' builder looks after.
    fn table_later(&mut self, table: &'d Table) -> Result<Later<'d>, DocxError> {
        let shell = self.shell(table)?;
        for (r, row) in table.rows.iter().enumerate() {
            self.plan.header_rows.push(row.header);
            check_spans(row, r, shell.grid.len())?;
        }
        if let Some(stored) = &table.stored {
            // Body rows all; decoded only to name a row too wide.
            let rows = stored.len();
            self.plan
                .header_rows
                .extend(std::iter::repeat_n(false, rows));
            if stored.widest() > shell.grid.len() {
                let own = table.rows.len();
                for (first, rows) in table.row_slices().filter(|(first, _)| *first >= own) {
                    for (i, row) in rows.iter().enumerate() {
                        check_spans(row, first + i, shell.grid.len())?;
                    }
                }
            }
        }
        Ok(Later { table, shell })
    }

    /// The table's XML around its rows, and what every row needs.
    fn shell(&self, table: &Table) -> Result<Shell, DocxError> {
        if table.columns_mm.is_empty() {
            return Err(DocxError::BadTable("не заданы ширины столбцов".into()));
        }
        let grid: Vec<usize> = table
            .columns_mm
            .iter()
            .map(|mm| mm_to_twips(*mm).max(0) as usize)
            .collect();
        let total: usize = grid.iter().sum();
        let padding = mm_to_twips(CELL_PADDING_MM);
        // Header rows that end a merged header cell keep the height the
        // PDF gives them on every page they repeat on.
        let merged_header = table
            .rows
            .iter()
            .take_while(|r| r.header)
            .any(|r| r.cells.iter().any(|c| c.rowspan > 1));
        let header_heights = if merged_header {
            crate::pdf::merged_header_heights(table, self.style.table_pt)
        } else {
            Vec::new()
        };
        let border = |pos| {
            dx::TableBorder::new(pos)
                .border_type(dx::BorderType::Single)
                .size(BORDER_EIGHTHS)
                .color("000000")
        };
        let borders = dx::TableBorders::new()
            .set(border(dx::TableBorderPosition::Top))
            .set(border(dx::TableBorderPosition::Left))
            .set(border(dx::TableBorderPosition::Bottom))
            .set(border(dx::TableBorderPosition::Right))
            .set(border(dx::TableBorderPosition::InsideH))
            .set(border(dx::TableBorderPosition::InsideV));
        let shell = dx::Table::new(Vec::new())
            .set_grid(grid.clone())
            .layout(dx::TableLayoutType::Fixed)
            .width(total, dx::WidthType::Dxa)
            .set_borders(borders)
            .margins(
                dx::TableCellMargins::new()
                    .margin_left(padding as usize, dx::WidthType::Dxa)
                    .margin_right(padding as usize, dx::WidthType::Dxa),
            );
        // The rows go before the table's closing tag.
        let mut head = dx::BuildXML::build(&shell);
        let close = find_last(&head, b"</w:tbl>")
            .ok_or_else(|| DocxError::Xml("docx-rs не закрыл таблицу".into()))?;
        let tail = head.split_off(close);
        Ok(Shell {
            head,
            tail,
            grid,
            padding,
            header_heights,
        })
    }

    /// The XML of `row`, row `r` of `table`, its cells in `slots`.
    fn row(
        &mut self,
        table: &Table,
        row: &'d Row,
        shell: &Shell,
        r: usize,
        slots: &[Slot],
    ) -> Result<Vec<u8>, DocxError> {
        let grid = &shell.grid;
        let padding = shell.padding;
        let inner = Ctx {
            size_pt: self.style.table_pt,
            width: 0,
            cell_mm: None,
        };
        // The empty paragraphs the DOCX adds keep with the next row too.
        let keep = row.keeps_with_next();
        let mut cells = Vec::with_capacity(slots.len());
        for slot in slots {
            let span = slot.colspan;
            let width: usize = grid[slot.column..slot.column + span].iter().sum();
            let mut tc = dx::TableCell::new().width(width, dx::WidthType::Dxa);
            if span > 1 {
                tc = tc.grid_span(span);
            }
            if slot.continued {
                // A row below a merged cell holds its continuation:
                // an empty cell Word and LibreOffice join to it.
                tc = tc
                    .vertical_merge(dx::VMergeType::Continue)
                    .add_paragraph(empty_paragraph(self.style.table_pt).keep_next(keep));
                cells.push(tc);
                continue;
            }
            let cell = &row.cells[slot.cell];
            if !slot.last {
                tc = tc.vertical_merge(dx::VMergeType::Restart);
            }
            let to = (slot.column + span).min(table.columns_mm.len());
            let cell_ctx = Ctx {
                width: width as i32 - 2 * padding,
                cell_mm: Some(
                    table.columns_mm[slot.column.min(to)..to]
                        .iter()
                        .map(|w| w.max(0.0))
                        .sum(),
                ),
                ..inner
            };
            let children = self.blocks(&cell.blocks, cell_ctx)?;
            // A cell must end with a paragraph (Word refuses it otherwise).
            let ends_with_para =
                matches!(children.last(), Some(Child::Para(_) | Child::Direct { .. }));
            for mut child in children {
                child.build(&mut self.marks);
                tc = match child {
                    Child::Para(p) => tc.add_paragraph(*p),
                    Child::Table(index) => tc.add_paragraph(table_placeholder(index)),
                    Child::Direct { .. } => tc,
                };
            }
            if !ends_with_para {
                tc = tc.add_paragraph(empty_paragraph(self.style.table_pt).keep_next(keep));
            }
            cells.push(tc);
        }
        // A table nested in a cell stays a placeholder here; the
        // normaliser puts it in when it copies this table.
        let mut tr = dx::TableRow::new(cells).cant_split();
        if let Some(&(_, mm)) = shell.header_heights.iter().find(|(k, _)| *k == r) {
            tr = tr
                .row_height(mm_to_twips(mm) as f32)
                .height_rule(dx::HeightRule::AtLeast);
        }
        Ok(dx::BuildXML::build(&tr))
    }

    fn image(&mut self, img: &Image, size_pt: f32) -> Result<dx::Paragraph, DocxError> {
        if ImageFormat::sniff(&img.data).is_none() {
            return Err(DocxError::UnsupportedImage(img.source.clone()));
        }
        self.images += 1;
        // Our own id: docx-rs would take one from a process-wide counter,
        // and the output would depend on what was rendered before.
        let pic = dx::Pic::new_with_dimensions(img.data.clone(), 1, 1)
            .id(format!("rIdImage{}", self.images))
            .size(mm_to_emu(img.width_mm), mm_to_emu(img.height_mm));
        Ok(dx::Paragraph::new()
            .align(alignment(img.align))
            .size(half_points(size_pt))
            .add_run(dx::Run::new().add_image(pic)))
    }
}

impl Builder<'_> {
    /// The coat of arms as a run holding a drawing anchored to the page:
    /// `top_mm` from its top edge, centred between the margins, the text
    /// above and below it only (`wp:wrapTopAndBottom`, set in
    /// [`assemble`]), `gap_mm` from the text below.
    fn anchored(&mut self, img: &Image, top_mm: f32, gap_mm: f32) -> Result<dx::Run, DocxError> {
        if ImageFormat::sniff(&img.data).is_none() {
            return Err(DocxError::UnsupportedImage(img.source.clone()));
        }
        self.images += 1;
        let pic = dx::Pic::new_with_dimensions(img.data.clone(), 1, 1)
            .id(format!("rIdImage{}", self.images))
            .size(mm_to_emu(img.width_mm), mm_to_emu(img.height_mm))
            .floating()
            .relative_from_h(dx::RelativeFromHType::Margin)
            .position_h(dx::DrawingPosition::Align(dx::PicAlign::Center))
            .relative_from_v(dx::RelativeFromVType::Page)
            .position_v(dx::DrawingPosition::Offset(mm_to_emu(top_mm) as i32))
            .dist_b(mm_to_emu(gap_mm) as i32);
        Ok(dx::Run::new().add_image(pic))
    }
}

/// A row whose cells take more columns than the table has is refused.
fn check_spans(row: &Row, r: usize, columns: usize) -> Result<(), DocxError> {
    if row.cells.iter().map(|c| c.colspan.max(1)).sum::<usize>() > columns {
        return Err(DocxError::BadTable(format!(
            "в строке {} ячейки занимают больше {} столбцов",
            r + 1,
            columns
        )));
    }
    Ok(())
}

/// A table's XML around its rows, and what its rows need.
struct Shell {
    /// Up to the first row.
    head: Vec<u8>,
    /// After the last row: the end tag.
    tail: Vec<u8>,
    /// Column widths, twips.
    grid: Vec<usize>,
    /// Cell padding, twips.
    padding: i32,
    /// Header rows that end a merged header cell, with their height, mm.
    header_heights: Vec<(usize, f32)>,
}

/// A table built when the normaliser copies it ([`Builder::table_later`]).
struct Later<'d> {
    table: &'d Table,
    shell: Shell,
}

impl<'d> Later<'d> {
    /// The table's pieces for the normaliser: its start, then each row
    /// built as it is asked for, by a builder of its own.
    fn pieces(self, style: &'d TextStyle) -> normalize::Spliced<'d> {
        let Later { table, mut shell } = self;
        let head = std::mem::take(&mut shell.head);
        let tail = std::mem::take(&mut shell.tail);
        let mut marks = Marks::default();
        let mut placer = table.slot_placer();
        // A row at a time, as the normaliser asks: a table's stored rows
        // are decoded a slice at a time as it comes to them, and dropped
        // after.
        let mut slices = table.row_slices();
        let mut slice: Option<(usize, Cow<'d, [Row]>)> = None;
        let mut at = 0;
        let rows = std::iter::from_fn(move || {
            while slice.as_ref().is_none_or(|(_, rows)| at >= rows.len()) {
                slice = Some(slices.next()?);
                at = 0;
            }
            let (first, rows) = slice.as_ref()?;
            let (row, r) = (&rows[at], first + at);
            at += 1;
            let slots = placer.place(r, row);
            // Most rows are written in their final form at once; the
            // rest are built by docx-rs and normalised, by a builder that
            // borrows the row alone: all that building a row of text
            // changes is the marks, carried from one to the next.
            let mut xml = Vec::new();
            let ready = rows::write_row(table, row, &shell, r, &slots, style.table_pt, &mut xml);
            if !ready {
                let mut builder = Builder::new(style, None);
                builder.marks = marks;
                let built = builder.row(table, row, &shell, r, &slots);
                marks = builder.marks;
                match built {
                    Ok(built) => xml = built,
                    Err(e) => return Some(Err(e.to_string())),
                }
            }
            if marks.soft_hyphens {
                soft_hyphen_elements(&mut xml);
            }
            Some(Ok(if ready {
                normalize::Piece::Row(xml)
            } else {
                normalize::Piece::Raw(xml)
            }))
        });
        normalize::Spliced::Pieces {
            pieces: Box::new(std::iter::once(Ok(normalize::Piece::Raw(head))).chain(rows)),
            tail,
        }
    }
}

/// The table's cells hold only what changes no builder state but the
/// marks: no pictures, signatures, QR codes or nested tables. Its stored
/// rows, if any, hold paragraphs and lists only ([`Table::stored`]).
fn text_only(table: &Table) -> bool {
    table.rows.iter().flat_map(|r| &r.cells).all(|c| {
        c.blocks.iter().all(|b| {
            matches!(
                b,
                Block::Paragraph(_)
                    | Block::List(_)
                    | Block::Spread(_)
                    | Block::RequisiteBox(_)
                    | Block::PageBreak
            )
        })
    })
}

fn page_break_paragraph(size_pt: f32) -> dx::Paragraph {
    empty_paragraph(size_pt).add_run(dx::Run::new().add_break(dx::BreakType::Page))
}

fn alignment(align: Align) -> dx::AlignmentType {
    match align {
        Align::Left => dx::AlignmentType::Left,
        Align::Center => dx::AlignmentType::Center,
        Align::Right => dx::AlignmentType::Right,
        Align::Justify => dx::AlignmentType::Both,
    }
}

/// Single line spacing with the given space before and after, points.
fn spacing(before_pt: f32, after_pt: f32) -> dx::LineSpacing {
    dx::LineSpacing::new()
        .before(pt_to_twips(before_pt))
        .after(pt_to_twips(after_pt))
        .line(240)
        .line_rule(dx::LineSpacingType::Auto)
}

/// The rule under a paragraph (a бланк's last line), with the gap and the
/// thickness the PDF draws it with.
fn rule_below() -> dx::ParagraphBorders {
    dx::ParagraphBorders::with_empty().set(
        dx::ParagraphBorder::new(dx::ParagraphBorderPosition::Bottom)
            .val(dx::BorderType::Single)
            // `w:sz` counts eighths of a point, `w:space` points.
            .size((RULE_WIDTH_PT * 8.0).round() as usize)
            .space(RULE_GAP_PT.round() as usize)
            .color("000000"),
    )
}

/// A paragraph; `label` («1.1.», «–») starts it as plain text, `shift`
/// (twips) moves it right, for boxes at the right margin.
fn paragraph(
    p: &Paragraph,
    ctx: Ctx,
    label: Option<&str>,
    shift: i32,
    marks: &mut Marks,
) -> dx::Paragraph {
    let size_pt = p.size_pt.unwrap_or(ctx.size_pt);
    let size = half_points(size_pt);
    let first = mm_to_twips(p.first_line_mm);
    let special = match first {
        0 => None,
        f if f > 0 => Some(dx::SpecialIndentType::FirstLine(f)),
        f => Some(dx::SpecialIndentType::Hanging(-f)),
    };
    let left = mm_to_twips(p.left_mm) + shift;
    let mut out = dx::Paragraph::new()
        .align(alignment(p.align))
        .line_spacing(spacing(p.space_before_pt, p.space_after_pt))
        .keep_next(p.keep_with_next)
        .size(size);
    // Centred and right-aligned lines are requisites and headings, and a
    // title is marked `hyphenate="no"`: never hyphenated, by the style that
    // suppresses it. Left-aligned text (table cells in narrow columns)
    // keeps hyphenation, or a long word would be broken anywhere.
    if !p.hyphenated() {
        out = out.style(package::REQUISITE_STYLE);
    }
    // `width`: the lines end `width` mm from the paragraph's left edge.
    let right = p
        .width_mm
        .map_or(0, |w| (ctx.width - left - mm_to_twips(w)).max(0));
    if left != 0 || special.is_some() || right != 0 {
        out = out.indent(Some(left), special, (right != 0).then_some(right), None);
    }
    if p.rule_below {
        out = out.set_borders(rule_below());
    }
    if let Some(label) = label {
        out = out.add_run(add_text(dx::Run::new().size(size), &format!("{label} ")));
    }
    // A centred word wider than its cell breaks at soft hyphens where the
    // PDF hyphenates it, instead of being cut.
    if let Some(cell_mm) = ctx.cell_mm.filter(|_| !p.hyphenated()) {
        // Only the runs that change are copied: most cells have none.
        let soft: Vec<(usize, String)> = p
            .runs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match r {
                // A run never hyphenated gets no soft hyphens either: the
                // PDF cuts such a word at the cell's edge, as LibreOffice.
                Inline::Text { text, style } if !style.nohyphen => {
                    crate::pdf::soft_hyphens(text, *style, size_pt, cell_mm, p).map(|t| (i, t))
                }
                Inline::Text { .. } => None,
                Inline::LineBreak => None,
            })
            .collect();
        if !soft.is_empty() {
            marks.soft_hyphens = true;
            let mut runs = p.runs.clone();
            for (i, text) in soft {
                if let Inline::Text { text: t, .. } = &mut runs[i] {
                    *t = text;
                }
            }
            return add_inlines(out, &runs, size);
        }
    }
    add_inlines(out, &p.runs, size)
}

fn add_inlines(mut out: dx::Paragraph, runs: &[Inline], size: usize) -> dx::Paragraph {
    for run in runs {
        match run {
            Inline::Text { text, style } => {
                for (piece, long) in long_words(text) {
                    let mut run = styled_run(piece, *style, size);
                    // No language: LibreOffice hyphenates no word of it
                    // (verified: «Алсуфьеву А.Н.» at a line end moves whole).
                    if long || style.nohyphen {
                        run = run.style(package::LONG_WORD_STYLE);
                    }
                    out = out.add_run(run);
                }
            }
            Inline::LineBreak => {
                out = out.add_run(
                    dx::Run::new()
                        .size(size)
                        .add_break(dx::BreakType::TextWrapping),
                )
            }
        }
    }
    out
}

/// `text` in pieces, each flagged when it is a run of more than
/// [`HYPHENATE_MAX_LETTERS`] letters (the PDF cuts such a word at the
/// margin without hyphenating it, and so must LibreOffice) or a word
/// never hyphenated ([`crate::document::never_hyphenated`]: the month of
/// a date in words).
fn long_words(text: &str) -> Vec<(&str, bool)> {
    // A letter takes at least a byte, so a text with no stretch between
    // spaces longer than the limit in bytes has no long word: the usual
    // case, found without looking letters up in Unicode's tables.
    if longest_stretch(text) <= HYPHENATE_MAX_LETTERS && !has_month(text) {
        return vec![(text, false)];
    }
    let mut out = Vec::new();
    // Start of the piece not yet pushed, start of the current letter run
    // and its length in letters.
    let (mut piece, mut word, mut letters) = (0, 0, 0);
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if is_letter(c) {
            if letters == 0 {
                word = at;
            }
            letters += 1;
            continue;
        }
        if letters > HYPHENATE_MAX_LETTERS
            || (letters > 0 && crate::document::never_hyphenated(&text[word..at]))
        {
            if word > piece {
                out.push((&text[piece..word], false));
            }
            out.push((&text[word..at], true));
            piece = at;
        }
        letters = 0;
    }
    if piece < text.len() || out.is_empty() {
        out.push((&text[piece..], false));
    }
    out
}

/// `char::is_alphabetic`, with Latin and Russian letters answered
/// without Unicode's tables (every letter of a protocol asks).
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | 'А'..='я' | 'ё' | 'Ё' => true,
        c if c.is_ascii() => false,
        c => c.is_alphabetic(),
    }
}

/// The longest stretch of bytes between ASCII whitespace.
fn longest_stretch(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for b in text.bytes() {
        if b.is_ascii_whitespace() {
            run = 0;
        } else {
            run += 1;
            longest = longest.max(run);
        }
    }
    longest
}

/// A quick look for a month's name: every genitive month has one of
/// these letter pairs, so most runs are passed over without splitting.
fn has_month(text: &str) -> bool {
    use std::sync::LazyLock;
    static PAIRS: LazyLock<[memchr::memmem::Finder<'static>; 6]> =
        LazyLock::new(|| ["ря", "ля", "рта", "мая", "июн", "ста"].map(memchr::memmem::Finder::new));
    PAIRS.iter().any(|p| p.find(text.as_bytes()).is_some())
}

fn styled_run(text: &str, style: RunStyle, size: usize) -> dx::Run {
    let mut run = add_text(dx::Run::new().size(size), text);
    if style.bold {
        run = run.bold();
    }
    if style.italic {
        run = run.italic();
    }
    if style.underline {
        run = run.underline("single");
    }
    if style.spaced {
        run = run.character_spacing(SPACED_TWIPS);
    }
    run
}

/// Adds text to a run. docx-rs writes `\n` and `\t` as they are, which Word
/// shows as spaces, so they become `w:br` and `w:tab`; other control
/// characters are not allowed in XML at all and are dropped.
fn add_text(mut run: dx::Run, text: &str) -> dx::Run {
    if !text.chars().any(char::is_control) && !text.contains(['–', '-']) {
        return run.add_text(text);
    }
    let mut piece = String::new();
    let mut chars = text.chars().peekable();
    let mut prev = None;
    while let Some(c) = chars.next() {
        let bound = prev.is_some_and(|p| bound_dash(p, c, chars.peek().copied()));
        prev = Some(c);
        if bound {
            // «2020–2021», «273-ФЗ» never break at their dash: a word
            // joiner after it, which LibreOffice honours (verified: the
            // range moves whole to the next line), as the PDF's line
            // breaker does. A
            // `w:sym`, not a character of `w:t`: the text of the document
            // stays the text the user wrote, and LibreOffice's PDF has no
            // joiner in its text, as ours has none.
            piece.push(c);
            run = run
                .add_text(std::mem::take(&mut piece))
                .add_sym(dx::Sym::new(WORD_JOINER_FONT, "2060"));
            continue;
        }
        match c {
            '\n' | '\t' => {
                if !piece.is_empty() {
                    run = run.add_text(std::mem::take(&mut piece));
                }
                run = if c == '\n' {
                    run.add_break(dx::BreakType::TextWrapping)
                } else {
                    run.add_tab()
                };
            }
            c if c.is_control() => {}
            c => piece.push(c),
        }
    }
    if !piece.is_empty() {
        run = run.add_text(piece);
    }
    run
}

/// A signature: one paragraph per line of the position; the last one has a
/// right tab stop at the text width and the name after a tab, so the name
/// sits flush right on the level of the position's last line. All lines but
/// the last keep with the next so the signature is never split.
fn signature(s: &Signature, ctx: Ctx, anchors: &mut requisites::Anchors) -> Vec<dx::Paragraph> {
    let size = half_points(ctx.size_pt);
    let text_width_mm = ctx.width as f32 * 25.4 / 1440.0;
    let mark = s
        .electronic
        .as_ref()
        .zip(crate::pdf::requisites::mark_geometry(
            s,
            text_width_mm,
            ctx.size_pt,
        ));
    let lines: Vec<&[Inline]> = if s.position.is_empty() {
        vec![&[]]
    } else {
        s.position.iter().map(Vec::as_slice).collect()
    };
    let count = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let last = i + 1 == count;
            let before = match (i, &mark) {
                (0, Some((_, g))) => g.space_before_pt,
                (0, None) => s.space_before_pt,
                _ => 0.0,
            };
            let mut p = dx::Paragraph::new()
                .style(package::REQUISITE_STYLE)
                .align(dx::AlignmentType::Left)
                .line_spacing(spacing(before, 0.0))
                .keep_next(!last || s.keep_with_next)
                .size(size);
            p = add_inlines(p, line, size);
            if last {
                p = p
                    .add_tab(
                        dx::Tab::new()
                            .val(dx::TabValueType::Right)
                            .pos(ctx.width.max(0) as usize),
                    )
                    .add_run(add_text(dx::Run::new().size(size).add_tab(), &s.name));
                if let Some((m, g)) = &mark {
                    // LibreOffice measures a paragraph-relative offset from
                    // the top of the paragraph's space before, which only a
                    // one-line signature's last paragraph has.
                    let top = g.top_mm + before * 25.4 / 72.0;
                    let text = anchors.mark(m, g, top);
                    p = p.add_run(dx::Run::new().add_text(text));
                }
            }
            p
        })
        .collect()
}

/// A spread line ([`Spread::rows`]): parts that fit on one line make one
/// paragraph, «left\tcenter\tright», with a centre tab stop at half the
/// text width and a right one at the text width (as the signature's
/// name), never hyphenated; a part left out takes its tab and its stop
/// with it. A part set alone is a paragraph aligned as its place says.
/// Widths are measured as the PDF measures them, so both backends choose
/// the same lines.
fn spread(s: &Spread, ctx: Ctx, marks: &mut Marks) -> Vec<dx::Paragraph> {
    let size = half_points(ctx.size_pt);
    let width = ctx.width.max(0);
    let widths = s.parts().map(|r| crate::pdf::runs_width_mm(r, ctx.size_pt));
    // The text width in mm as the PDF has it (170, not the 170.003 of
    // 9638 twips), so that no width at the edge is chosen differently.
    let width_mm = (width as f32 * 25.4 / 1440.0 * 100.0).round() / 100.0;
    let rows = s.rows(widths, width_mm);
    let count = rows.len();
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let before = if i == 0 { s.space_before_pt } else { 0.0 };
            let after = if i + 1 == count {
                s.space_after_pt
            } else {
                0.0
            };
            // The lines of one spread stay on one page.
            let keep = i + 1 < count;
            let (left, center, right) = match row {
                SpreadRow::Alone(part) => {
                    let p = s.alone(part, before, after, keep);
                    return paragraph(
                        &p,
                        Ctx {
                            cell_mm: None,
                            ..ctx
                        },
                        None,
                        0,
                        marks,
                    );
                }
                SpreadRow::Tabbed {
                    left,
                    center,
                    right,
                } => (left, center, right),
            };
            let mut p = dx::Paragraph::new()
                .style(package::REQUISITE_STYLE)
                .align(dx::AlignmentType::Left)
                .line_spacing(spacing(before, after))
                .keep_next(keep)
                .size(size);
            if left {
                p = add_inlines(p, &s.left, size);
            }
            if center {
                p = p
                    .add_tab(
                        dx::Tab::new()
                            .val(dx::TabValueType::Center)
                            .pos((width / 2) as usize),
                    )
                    .add_run(dx::Run::new().size(size).add_tab());
                p = add_inlines(p, &s.center, size);
            }
            if right {
                p = p
                    .add_tab(
                        dx::Tab::new()
                            .val(dx::TabValueType::Right)
                            .pos(width as usize),
                    )
                    .add_run(dx::Run::new().size(size).add_tab());
                p = add_inlines(p, &s.right, size);
            }
            p
        })
        .collect()
}

#[cfg(test)]
mod tests;
