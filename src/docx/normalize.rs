//! The fix-up pass over docx-rs output.
//!
//! docx-rs writes some property children out of the order the OOXML schema
//! demands (Word is strict about it), writes attributes the schema does not
//! declare, numbers paragraphs with a per-thread counter (so two renders
//! differ), and cannot mark repeating header rows or share one header
//! between sections. This pass streams each XML part once: property
//! elements (`w:pPr`, `w:rPr`, `w:sectPr`, …) are small, so only they are
//! buffered and reordered; everything else is copied event by event.

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

/// Schema child order (ECMA-376 transitional `CT_*` sequences) for each
/// property element the pass reorders. Children not listed keep their
/// relative order and go last.
const ORDER: &[(&str, &[&str])] = &[
    (
        // CT_PPr
        "w:pPr",
        &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
    ),
    (
        // CT_ParaRPr (a superset of CT_RPr with the same relative order)
        "w:rPr",
        &[
            "w:ins",
            "w:del",
            "w:moveFrom",
            "w:moveTo",
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
            "w:rPrChange",
        ],
    ),
    (
        // CT_SectPr
        "w:sectPr",
        &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
    ),
    (
        // CT_TblPr
        "w:tblPr",
        &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
            "w:tblPrChange",
        ],
    ),
    (
        // CT_TrPr
        "w:trPr",
        &[
            "w:cnfStyle",
            "w:divId",
            "w:gridBefore",
            "w:gridAfter",
            "w:wBefore",
            "w:wAfter",
            "w:trHeight",
            "w:hidden",
            "w:cantSplit",
            "w:tblHeader",
            "w:tblCellSpacing",
            "w:jc",
            "w:ins",
            "w:del",
            "w:trPrChange",
        ],
    ),
    (
        // CT_TcPr
        "w:tcPr",
        &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
            "w:cellIns",
            "w:cellDel",
            "w:cellMerge",
            "w:tcPrChange",
        ],
    ),
    (
        // CT_TblBorders / CT_TcBorders
        "w:tblBorders",
        &[
            "w:top",
            "w:left",
            "w:start",
            "w:bottom",
            "w:right",
            "w:end",
            "w:insideH",
            "w:insideV",
        ],
    ),
    (
        "w:tcBorders",
        &[
            "w:top",
            "w:left",
            "w:start",
            "w:bottom",
            "w:right",
            "w:end",
            "w:insideH",
            "w:insideV",
            "w:tl2br",
            "w:tr2bl",
        ],
    ),
    (
        // CT_TblCellMar / CT_TcMar
        "w:tblCellMar",
        &["w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"],
    ),
    (
        "w:tcMar",
        &["w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"],
    ),
    (
        // CT_Lvl
        "w:lvl",
        &[
            "w:start",
            "w:numFmt",
            "w:lvlRestart",
            "w:pStyle",
            "w:isLgl",
            "w:suff",
            "w:lvlText",
            "w:lvlPicBulletId",
            "w:legacy",
            "w:lvlJc",
            "w:pPr",
            "w:rPr",
        ],
    ),
];

/// Attributes the schema does not declare on an element, or that make the
/// output differ between renders; they are dropped.
const DROP_ATTRS: &[(&str, &str)] = &[
    // docx-rs writes `w:type="dxa"` on grid columns; CT_TblGridCol has only `w:w`.
    ("w:gridCol", "w:type"),
    // Paragraph ids come from a per-thread counter: they would make two
    // renders of one document differ. They are optional.
    ("w:p", "w14:paraId"),
    ("w:p", "w14:textId"),
];

/// Which header part a section shows, by relationship id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SectionHeaders {
    /// Header on every page (or every page but the first with `title_pg`).
    pub(crate) default_rid: Option<String>,
    /// Header on the first page of the section; used with `title_pg`.
    pub(crate) first_rid: Option<String>,
    /// Whether the section's first page takes the first-page header.
    pub(crate) title_pg: bool,
}

/// What the pass adds to `word/document.xml` that docx-rs cannot express.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocumentPlan {
    /// One flag per `w:tr`, in document order: is it a repeating header row?
    pub(crate) header_rows: Vec<bool>,
    /// One entry per `w:sectPr`, in document order. When empty, section
    /// headers are left as docx-rs wrote them.
    pub(crate) sections: Vec<SectionHeaders>,
}

/// A buffered element: its start tag and its children.
#[derive(Debug)]
struct Elem {
    start: BytesStart<'static>,
    children: Vec<Node>,
}

/// A child of a buffered element.
#[derive(Debug)]
enum Node {
    Elem(Elem),
    Other(Event<'static>),
}

impl Elem {
    fn name(&self) -> &[u8] {
        self.start.name().into_inner()
    }
}

/// Mutable state while one part streams through.
struct State<'p> {
    plan: Option<&'p DocumentPlan>,
    row: usize,
    section: usize,
    current_row_header: bool,
    doc_pr_id: u32,
}

/// Normalises one XML part. `plan` is given for `word/document.xml` only.
pub(crate) fn normalize_part(xml: &[u8], plan: Option<&DocumentPlan>) -> Result<Vec<u8>, String> {
    let mut writer = Writer::new(Vec::with_capacity(xml.len()));
    let mut state = State::new(plan);
    pump(xml, &mut writer, &mut state, &mut [], &mut |_| Ok(()))?;
    Ok(writer.into_inner())
}

/// What the normaliser has written and will not take back goes out in
/// pieces of about this size.
const PIECE_BYTES: usize = 64 << 10;

/// A table put in place of its placeholder paragraph (see
/// [`super::TABLE_MARK`]).
pub(crate) enum Spliced<'a> {
    /// Its XML, built whole.
    Whole(Vec<u8>),
    /// Paragraphs already in their final form (see `super::rows`),
    /// copied as they are.
    Ready(Vec<u8>),
    /// Built as it is copied, so that a long table is never held whole:
    /// its start (up to the first row), then one row at a time, then its
    /// end tag, copied as it is (alone it is no well-formed XML to read).
    Pieces {
        pieces: Box<dyn Iterator<Item = Result<Piece, String>> + 'a>,
        tail: Vec<u8>,
    },
}

/// A piece of a table built as it is copied.
pub(crate) enum Piece {
    /// XML as docx-rs writes it, to be normalised.
    Raw(Vec<u8>),
    /// One row already in its final form (see `super::rows`), copied as it is.
    Row(Vec<u8>),
}

/// Normalises `word/document.xml`, putting each table's XML (see
/// [`super::TABLE_MARK`]) in place of its placeholder paragraph, and hands
/// the result to `out` piece by piece, each ending where a paragraph
/// starts: the body is never held whole. The tables are normalised as
/// they are copied, and each is freed once copied.
pub(crate) fn normalize_with_tables(
    xml: &[u8],
    plan: Option<&DocumentPlan>,
    tables: &mut [Spliced<'_>],
    out: &mut dyn FnMut(&[u8]) -> Result<(), String>,
) -> Result<(), String> {
    let mut writer = Writer::new(Vec::with_capacity(PIECE_BYTES + PIECE_BYTES / 4));
    let mut state = State::new(plan);
    let mut hand_over = |buffer: &mut Vec<u8>| {
        out(buffer)?;
        buffer.clear();
        Ok(())
    };
    pump(xml, &mut writer, &mut state, tables, &mut hand_over)?;
    hand_over(writer.get_mut())
}

impl<'p> State<'p> {
    fn new(plan: Option<&'p DocumentPlan>) -> State<'p> {
        State {
            plan,
            row: 0,
            section: 0,
            current_row_header: false,
            doc_pr_id: 0,
        }
    }
}

/// Reads `xml` event by event and writes it fixed. Where a paragraph
/// starts and more than [`PIECE_BYTES`] are written, `hand_over` may take
/// them (and leave the buffer empty): a placeholder only ever cuts the
/// output back to the start of its own paragraph.
fn pump(
    xml: &[u8],
    writer: &mut Writer<Vec<u8>>,
    state: &mut State<'_>,
    tables: &mut [Spliced<'_>],
    hand_over: &mut dyn FnMut(&mut Vec<u8>) -> Result<(), String>,
) -> Result<(), String> {
    let mut reader = Reader::from_reader(xml);
    // Where the paragraph being copied starts in the output: a placeholder
    // paragraph is cut from there.
    let mut paragraph_at = 0;
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match event {
            Event::Eof => break,
            Event::Start(start) => {
                if start.name().into_inner() == b"w:p" {
                    if writer.get_ref().len() >= PIECE_BYTES {
                        hand_over(writer.get_mut())?;
                    }
                    paragraph_at = writer.get_ref().len();
                }
                // Owned only when buffered: most tags are copied as read.
                let start = state.fix_start(start);
                if order_for(start.name().into_inner()).is_some() {
                    let elem = capture(&mut reader, start.into_owned())?;
                    let elem = state.fix_elem(elem);
                    write_elem(writer, elem)?;
                } else {
                    writer
                        .write_event(Event::Start(start))
                        .map_err(|e| e.to_string())?;
                }
            }
            Event::Empty(start) => {
                let start = state.fix_start(start);
                if order_for(start.name().into_inner()).is_some() {
                    let elem = state.fix_elem(Elem {
                        start: start.into_owned(),
                        children: Vec::new(),
                    });
                    write_elem(writer, elem)?;
                } else {
                    writer
                        .write_event(Event::Empty(start))
                        .map_err(|e| e.to_string())?;
                }
            }
            Event::Text(text) if !tables.is_empty() => match super::table_index(&text) {
                Some(index) => {
                    let table = tables
                        .get_mut(index)
                        .map(|t| std::mem::replace(t, Spliced::Whole(Vec::new())))
                        .ok_or("placeholder of a missing table")?;
                    writer.get_mut().truncate(paragraph_at);
                    skip_to_paragraph_end(&mut reader)?;
                    match table {
                        Spliced::Whole(xml) => pump(&xml, writer, state, tables, hand_over)?,
                        Spliced::Ready(xml) => copy_row(&xml, writer.get_mut(), hand_over)?,
                        Spliced::Pieces { pieces, tail } => {
                            for piece in pieces {
                                match piece? {
                                    Piece::Raw(xml) => {
                                        pump(&xml, writer, state, tables, hand_over)?
                                    }
                                    Piece::Row(xml) => {
                                        copy_row(&xml, writer.get_mut(), hand_over)?;
                                        state.row += 1;
                                    }
                                }
                            }
                            writer.get_mut().extend_from_slice(&tail);
                        }
                    }
                }
                None => writer
                    .write_event(Event::Text(text))
                    .map_err(|e| e.to_string())?,
            },
            other => writer.write_event(other).map_err(|e| e.to_string())?,
        }
    }
    Ok(())
}

/// Copies a row written in its final form, handing the output over where
/// [`pump`] would have: at the first paragraph start past [`PIECE_BYTES`].
/// The compressor's blocks depend on where its input is cut, so the
/// pieces must be cut where they always were for the bytes to stay.
fn copy_row(
    row: &[u8],
    buffer: &mut Vec<u8>,
    hand_over: &mut dyn FnMut(&mut Vec<u8>) -> Result<(), String>,
) -> Result<(), String> {
    const PARAGRAPH: &[u8] = b"<w:p>";
    let mut done = 0;
    if buffer.len() + row.len() >= PIECE_BYTES {
        for at in memchr::memmem::find_iter(row, PARAGRAPH) {
            if buffer.len() + (at - done) >= PIECE_BYTES {
                buffer.extend_from_slice(&row[done..at]);
                done = at;
                hand_over(buffer)?;
            }
        }
    }
    buffer.extend_from_slice(&row[done..]);
    Ok(())
}

/// Skips what is left of the current paragraph, its end tag included.
fn skip_to_paragraph_end(reader: &mut Reader<&[u8]>) -> Result<(), String> {
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::End(end) if end.name().into_inner() == b"w:p" => return Ok(()),
            Event::Eof => return Err("unexpected end of XML".into()),
            _ => {}
        }
    }
}

impl State<'_> {
    /// Per-start-tag fixes: dropped attributes, row counting, drawing ids.
    fn fix_start<'a>(&mut self, start: BytesStart<'a>) -> BytesStart<'a> {
        let start = trim_tag(start);
        let name = start.name().into_inner();
        if name == b"w:tr" {
            self.current_row_header = self
                .plan
                .and_then(|p| p.header_rows.get(self.row).copied())
                .unwrap_or(false);
            self.row += 1;
        }
        if name == b"wp:docPr" {
            // docx-rs gives every drawing id 1; Word wants them unique.
            self.doc_pr_id += 1;
            let id = self.doc_pr_id.to_string();
            return set_attr(&start, b"id", &id);
        }
        if DROP_ATTRS.iter().any(|(el, _)| el.as_bytes() == name) {
            return rebuild(&start, |key| {
                !DROP_ATTRS
                    .iter()
                    .any(|(el, at)| el.as_bytes() == name && at.as_bytes() == key)
            });
        }
        start
    }

    /// Fixes to a buffered property element before it is reordered.
    fn fix_elem(&mut self, mut elem: Elem) -> Elem {
        match elem.name() {
            b"w:trPr"
                if self.current_row_header
                    && !elem
                        .children
                        .iter()
                        .any(|c| matches!(c, Node::Elem(e) if e.name() == b"w:tblHeader")) =>
            {
                elem.children.push(Node::Elem(Elem {
                    start: BytesStart::new("w:tblHeader"),
                    children: Vec::new(),
                }));
            }
            b"w:sectPr" => {
                let planned = self.plan.and_then(|p| p.sections.get(self.section));
                self.section += 1;
                if let Some(headers) = planned {
                    set_section_headers(&mut elem, headers);
                }
            }
            _ => {}
        }
        // Nested property elements (rPr in pPr, sectPr in pPr) get the same fixes.
        elem.children = std::mem::take(&mut elem.children)
            .into_iter()
            .map(|c| match c {
                Node::Elem(e) if order_for(e.name()).is_some() => Node::Elem(self.fix_elem(e)),
                other => other,
            })
            .collect();
        reorder(&mut elem);
        elem
    }
}

/// Replaces a section's header references and `w:titlePg` with the plan's.
fn set_section_headers(sect: &mut Elem, headers: &SectionHeaders) {
    sect.children.retain(|c| {
        !matches!(c, Node::Elem(e) if e.name() == b"w:headerReference" || e.name() == b"w:titlePg")
    });
    for (kind, rid) in [
        ("default", &headers.default_rid),
        ("first", &headers.first_rid),
    ] {
        if let Some(rid) = rid {
            let mut start = BytesStart::new("w:headerReference");
            start.push_attribute(("w:type", kind));
            start.push_attribute(("r:id", rid.as_str()));
            sect.children.push(Node::Elem(Elem {
                start,
                children: Vec::new(),
            }));
        }
    }
    if headers.title_pg {
        sect.children.push(Node::Elem(Elem {
            start: BytesStart::new("w:titlePg"),
            children: Vec::new(),
        }));
    }
}

/// Drops the space docx-rs leaves before `/>`, so that every tag in the
/// output has one spelling (snapshots and tests compare text).
fn trim_tag(start: BytesStart<'_>) -> BytesStart<'_> {
    let content: &[u8] = &start;
    if !content.last().is_some_and(u8::is_ascii_whitespace) {
        return start;
    }
    let name_len = start.name().into_inner().len();
    let trimmed = content.trim_ascii_end().to_vec();
    let text = String::from_utf8(trimmed)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    BytesStart::from_content(text, name_len)
}

/// The schema order for an element's children, if the pass reorders it.
fn order_for(name: &[u8]) -> Option<&'static [&'static str]> {
    ORDER
        .iter()
        .find(|(el, _)| el.as_bytes() == name)
        .map(|(_, order)| *order)
}

/// Sorts an element's children into schema order (stable, so repeated
/// children such as several `w:headerReference` keep their order).
fn reorder(elem: &mut Elem) {
    let Some(order) = order_for(elem.name()) else {
        return;
    };
    let rank = |node: &Node| match node {
        Node::Elem(e) => order
            .iter()
            .position(|n| n.as_bytes() == e.name())
            .unwrap_or(order.len()),
        // Whitespace or comments stay with the unknown tail.
        Node::Other(_) => order.len(),
    };
    elem.children.sort_by_key(rank);
}

/// Copies a start tag, keeping the attributes `keep` accepts.
fn rebuild(start: &BytesStart<'_>, keep: impl Fn(&[u8]) -> bool) -> BytesStart<'static> {
    let name = String::from_utf8_lossy(start.name().into_inner()).into_owned();
    let mut out = BytesStart::new(name);
    for attr in start.attributes().with_checks(false).flatten() {
        if keep(attr.key.into_inner()) {
            out.push_attribute(Attribute {
                key: attr.key,
                value: attr.value,
            });
        }
    }
    out
}

/// Copies a start tag with one attribute's value replaced in place.
fn set_attr(start: &BytesStart<'_>, key: &[u8], value: &str) -> BytesStart<'static> {
    let name = String::from_utf8_lossy(start.name().into_inner()).into_owned();
    let mut out = BytesStart::new(name);
    for attr in start.attributes().with_checks(false).flatten() {
        if attr.key.into_inner() == key {
            out.push_attribute(Attribute {
                key: attr.key,
                value: value.as_bytes().into(),
            });
        } else {
            out.push_attribute(attr);
        }
    }
    out
}

/// Reads the rest of an element whose start tag was just read.
fn capture(reader: &mut Reader<&[u8]>, start: BytesStart<'static>) -> Result<Elem, String> {
    let mut stack = vec![Elem {
        start,
        children: Vec::new(),
    }];
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match event {
            Event::Start(s) => stack.push(Elem {
                start: trim_tag(s.into_owned()),
                children: Vec::new(),
            }),
            Event::Empty(s) => {
                let elem = Elem {
                    start: trim_tag(s.into_owned()),
                    children: Vec::new(),
                };
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Elem(elem));
                }
            }
            Event::End(_) => {
                let done = stack.pop().ok_or("unbalanced XML")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Elem(done)),
                    None => return Ok(done),
                }
            }
            Event::Eof => return Err("unexpected end of XML".into()),
            other => {
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Other(other.into_owned()));
                }
            }
        }
    }
}

/// Writes a buffered element; childless elements become empty tags.
fn write_elem(writer: &mut Writer<Vec<u8>>, elem: Elem) -> Result<(), String> {
    if elem.children.is_empty() {
        return writer
            .write_event(Event::Empty(elem.start))
            .map_err(|e| e.to_string());
    }
    let end = elem.start.to_end().into_owned();
    writer
        .write_event(Event::Start(elem.start))
        .map_err(|e| e.to_string())?;
    for child in elem.children {
        match child {
            Node::Elem(e) => write_elem(writer, e)?,
            Node::Other(ev) => writer.write_event(ev).map_err(|e| e.to_string())?,
        }
    }
    writer
        .write_event(Event::End(end))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(xml: &str) -> String {
        String::from_utf8(normalize_part(xml.as_bytes(), None).unwrap()).unwrap()
    }

    #[test]
    fn reorders_paragraph_properties() {
        let out = norm(
            r#"<w:p><w:pPr><w:rPr/><w:jc w:val="both"/><w:ind w:left="0"/><w:spacing w:line="240"/><w:keepNext/></w:pPr></w:p>"#,
        );
        assert_eq!(
            out,
            r#"<w:p><w:pPr><w:keepNext/><w:spacing w:line="240"/><w:ind w:left="0"/><w:jc w:val="both"/><w:rPr/></w:pPr></w:p>"#
        );
    }

    #[test]
    fn reorders_run_properties() {
        let out = norm(
            r#"<w:r><w:rPr><w:sz w:val="28"/><w:b/><w:u w:val="single"/><w:spacing w:val="60"/></w:rPr><w:t>x</w:t></w:r>"#,
        );
        assert_eq!(
            out,
            r#"<w:r><w:rPr><w:b/><w:spacing w:val="60"/><w:sz w:val="28"/><w:u w:val="single"/></w:rPr><w:t>x</w:t></w:r>"#
        );
    }

    #[test]
    fn moves_header_references_first_in_sectpr() {
        let out = norm(
            r#"<w:sectPr><w:pgSz w:w="1"/><w:titlePg/><w:headerReference w:type="default" r:id="a"/><w:headerReference w:type="first" r:id="b"/></w:sectPr>"#,
        );
        assert_eq!(
            out,
            r#"<w:sectPr><w:headerReference w:type="default" r:id="a"/><w:headerReference w:type="first" r:id="b"/><w:pgSz w:w="1"/><w:titlePg/></w:sectPr>"#
        );
    }

    #[test]
    fn reorders_nested_section_in_paragraph() {
        let out =
            norm(r#"<w:pPr><w:sectPr><w:cols/><w:pgSz/></w:sectPr><w:jc w:val="left"/></w:pPr>"#);
        assert_eq!(
            out,
            r#"<w:pPr><w:jc w:val="left"/><w:sectPr><w:pgSz/><w:cols/></w:sectPr></w:pPr>"#
        );
    }

    #[test]
    fn reorders_table_properties_and_drops_grid_type() {
        let out = norm(
            r#"<w:tbl><w:tblPr><w:tblLayout w:type="fixed"/><w:tblW w:w="0"/></w:tblPr><w:tblGrid><w:gridCol w:w="100" w:type="dxa"/></w:tblGrid></w:tbl>"#,
        );
        assert_eq!(
            out,
            r#"<w:tbl><w:tblPr><w:tblW w:w="0"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid></w:tbl>"#
        );
    }

    #[test]
    fn marks_planned_header_rows_and_sections() {
        let plan = DocumentPlan {
            header_rows: vec![true, false],
            sections: vec![SectionHeaders {
                default_rid: Some("rIdHeader1".into()),
                first_rid: Some("rIdHeader2".into()),
                title_pg: true,
            }],
        };
        let xml = r#"<w:body><w:tbl><w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr></w:tbl><w:sectPr><w:pgSz/></w:sectPr></w:body>"#;
        let out = String::from_utf8(normalize_part(xml.as_bytes(), Some(&plan)).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<w:body><w:tbl><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr></w:tbl><w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/><w:headerReference w:type="first" r:id="rIdHeader2"/><w:pgSz/><w:titlePg/></w:sectPr></w:body>"#
        );
    }

    #[test]
    fn trims_space_before_empty_tag_end() {
        assert_eq!(
            norm(r#"<w:b /><w:sz w:val="2" />"#),
            r#"<w:b/><w:sz w:val="2"/>"#
        );
    }

    #[test]
    fn keeps_text_and_escapes_untouched() {
        let xml = "<w:p w14:paraId=\"00000001\"><w:r><w:t xml:space=\"preserve\"> a&lt;b &amp; &quot;c&quot;\u{a0}d </w:t></w:r></w:p>";
        assert_eq!(
            norm(xml),
            "<w:p><w:r><w:t xml:space=\"preserve\"> a&lt;b &amp; &quot;c&quot;\u{a0}d </w:t></w:r></w:p>"
        );
    }
}
