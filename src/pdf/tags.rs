//! The structure of a tagged PDF (PDF/UA-1), built while the blocks are
//! laid out and written with the pages (`--pdfa`).
//!
//! The layout knows what each line belongs to (a paragraph, a list
//! item's label, a table cell); the content stream knows only draws. So,
//! when tagging, the layout puts a [`Mark`] before the draws of each
//! structure element, and the writer turns each run of draws after one
//! into a marked-content sequence with its MCID. Without tagging no mark
//! is made and nothing here runs: the default PDF stays as it was.
//!
//! Content sits in leaf elements only (`P`, `H1`, `Lbl`, `LBody`,
//! `Figure`); `Document`, `L`, `LI`, `Table`, `TR`, `TH` and `TD` hold
//! elements. What a page draws that is no part of the text (page numbers,
//! rules, table borders, header rows repeated on a later page) is an
//! artifact.

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use crate::document::{Image, ImagePlacement, Paragraph, Role as ParagraphRole};

use super::layout::{Content, Draw, Flow};
use super::linebreak::{Ch, Line};

/// The element id that means "an artifact": the root, `Document`, never
/// holds content itself.
pub(crate) const ARTIFACT: u32 = 0;

/// Style bit of a list label's characters while tagging: the line is cut
/// into a draw of its own where the label ends, for `Lbl`.
pub(crate) const LABEL: u8 = 32;

/// A mark among a page's draws (tagged PDF only).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Mark {
    /// The draws that follow belong to this element ([`ARTIFACT`]: are
    /// artifacts).
    Node(u32),
    /// The draws that follow, up to the next [`Mark::Node`], belong to
    /// the element when their style has [`LABEL`], to the other otherwise.
    Label { label: u32, body: u32 },
    /// The next text draw ends with a hyphen the line breaker added.
    Hyphen,
}

/// Standard structure types used.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Role {
    Document,
    Heading(u8),
    P,
    L,
    LI,
    Lbl,
    LBody,
    Table,
    TR,
    TH,
    TD,
    Figure,
}

impl Role {
    pub(crate) fn name(self) -> &'static [u8] {
        match self {
            Role::Document => b"Document",
            Role::Heading(1) => b"H1",
            Role::Heading(2) => b"H2",
            Role::Heading(3) => b"H3",
            Role::Heading(4) => b"H4",
            Role::Heading(5) => b"H5",
            Role::Heading(_) => b"H6",
            Role::P => b"P",
            Role::L => b"L",
            Role::LI => b"LI",
            Role::Lbl => b"Lbl",
            Role::LBody => b"LBody",
            Role::Table => b"Table",
            Role::TR => b"TR",
            Role::TH => b"TH",
            Role::TD => b"TD",
            Role::Figure => b"Figure",
        }
    }
}

/// One structure element.
#[derive(Debug)]
pub(crate) struct Element {
    pub(crate) role: Role,
    pub(crate) parent: u32,
    /// Child elements, in reading order.
    pub(crate) kids: Vec<u32>,
    /// Alternate text of a figure; row and column span of a cell.
    pub(crate) alt: Option<String>,
    pub(crate) span: (usize, usize),
}

/// The structure tree being built, and where the layout is in it.
#[derive(Debug)]
pub(crate) struct StructTree {
    pub(crate) elements: Vec<Element>,
    /// Open elements, innermost last.
    stack: Vec<u32>,
    /// The list of numbered points open at this level, if any.
    points: Option<u32>,
    /// Where the text of a paragraph goes now: its leaf, and the leaf of
    /// its label.
    text: u32,
    label: Option<u32>,
    /// In an item of a [`crate::document::List`]: its paragraphs go to
    /// its `LBody`.
    in_item: bool,
}

impl Default for StructTree {
    fn default() -> Self {
        StructTree {
            elements: vec![Element {
                role: Role::Document,
                parent: 0,
                kids: Vec::new(),
                alt: None,
                span: (1, 1),
            }],
            stack: vec![0],
            points: None,
            text: ARTIFACT,
            label: None,
            in_item: false,
        }
    }
}

impl StructTree {
    fn top(&self) -> u32 {
        self.stack.last().copied().unwrap_or(0)
    }

    fn add(&mut self, role: Role) -> u32 {
        let id = self.elements.len() as u32;
        let parent = self.top();
        self.elements.push(Element {
            role,
            parent,
            kids: Vec::new(),
            alt: None,
            span: (1, 1),
        });
        self.elements[parent as usize].kids.push(id);
        id
    }

    fn open(&mut self, role: Role) -> u32 {
        let id = self.add(role);
        self.stack.push(id);
        id
    }

    fn close(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// Closes an open list of numbered points.
    fn end_points(&mut self) {
        if let Some(list) = self.points.take() {
            while self.stack.len() > 1 && self.top() != list {
                self.stack.pop();
            }
            self.close();
        }
    }
}

impl Flow<'_> {
    /// Opens a container element (a list, a table, a row, a cell).
    pub(crate) fn tag_open(&mut self, role: Role) {
        if let Some(t) = &mut self.tags {
            t.end_points();
            t.open(role);
        }
    }

    /// Opens a table cell spanning `rows` × `columns`.
    pub(crate) fn tag_cell(&mut self, header: bool, rows: usize, columns: usize) {
        if let Some(t) = &mut self.tags {
            t.end_points();
            let id = t.open(if header { Role::TH } else { Role::TD });
            t.elements[id as usize].span = (rows, columns);
        }
    }

    /// Closes what [`Flow::tag_open`] or [`Flow::tag_cell`] opened.
    pub(crate) fn tag_close(&mut self) {
        if let Some(t) = &mut self.tags {
            t.end_points();
            t.close();
        }
    }

    /// Starts a leaf for a paragraph of text: `P`, a heading, or a
    /// numbered point (`LI` with `Lbl` and `LBody`, in an `L` shared with
    /// the points next to it). Returns the number of characters of the
    /// label at the paragraph's start.
    pub(crate) fn tag_paragraph(&mut self, p: &Paragraph, list_label: Option<&str>) -> usize {
        let Some(t) = &mut self.tags else {
            return 0;
        };
        if t.in_item {
            // The label and the space the layout puts after it.
            return list_label.map_or(0, |l| l.chars().count() + 1);
        }
        match &p.role {
            ParagraphRole::Point { label } => {
                if t.points.is_none() {
                    t.points = Some(t.open(Role::L));
                }
                t.open(Role::LI);
                let lbl = t.add(Role::Lbl);
                let body = t.add(Role::LBody);
                t.close();
                t.text = body;
                t.label = Some(lbl);
                let n = label.chars().count();
                // The label and the space after it, when the text has them.
                let text: String = p
                    .runs
                    .iter()
                    .filter_map(|r| match r {
                        crate::document::Inline::Text { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect();
                if text.starts_with(label.as_str()) {
                    n + usize::from(text[label.len()..].starts_with(' '))
                } else {
                    0
                }
            }
            role => {
                t.end_points();
                let role = match role {
                    ParagraphRole::Heading(level) => Role::Heading(*level),
                    _ => Role::P,
                };
                t.text = t.add(role);
                t.label = None;
                0
            }
        }
    }

    /// Starts (`start`) or ends an item of a [`crate::document::List`]
    /// (its label is laid out before its first paragraph's text).
    pub(crate) fn tag_list_item(&mut self, start: bool) {
        if let Some(t) = &mut self.tags {
            t.in_item = start;
            if start {
                t.open(Role::LI);
                let lbl = t.add(Role::Lbl);
                let body = t.add(Role::LBody);
                t.close();
                t.text = body;
                t.label = Some(lbl);
            }
        }
    }

    /// Starts a leaf `P` for text that is no paragraph of the tree (a
    /// line of a signature, a spread line).
    pub(crate) fn tag_leaf(&mut self) {
        if let Some(t) = &mut self.tags {
            t.end_points();
            t.text = t.add(Role::P);
            t.label = None;
        }
    }

    /// Sets the label bit on the first `n` characters, so that the label
    /// is drawn apart from the text after it.
    pub(crate) fn tag_label_chars(&self, chars: &mut [Ch], n: usize) {
        if self.tags.is_some() {
            for c in chars.iter_mut().take(n) {
                c.style |= LABEL;
            }
        }
    }

    /// Marks a set line: whose it is, a hyphen the breaker added, and the
    /// space it broke at (drawn after the last word, where nothing shows
    /// it, so that the text reads with it).
    pub(crate) fn tag_line(&mut self, content: &mut Content, chars: &[Ch], line: &Line) {
        if self.tags.is_none() {
            return;
        }
        self.tag_mark(content);
        let last = content
            .draws
            .iter()
            .rposition(|d| matches!(d, Draw::Text { .. }));
        let Some(last) = last else {
            return;
        };
        if line.hyphen {
            content.draws.insert(last, Draw::Mark(Mark::Hyphen));
        } else if chars
            .get(line.end)
            .is_some_and(|c| c.c == ' ' || c.c == '\n')
            && let Draw::Text { text, .. } = &mut content.draws[last]
        {
            // The line's last run: it ends in a character, not a gap
            // (trailing spaces are not set), so the space goes at its end.
            text.push(' ');
        }
    }

    /// Puts the mark of the current leaf before a content's draws.
    pub(crate) fn tag_mark(&mut self, content: &mut Content) {
        if let Some(t) = &self.tags {
            let mark = match t.label {
                Some(label) => Mark::Label {
                    label,
                    body: t.text,
                },
                None => Mark::Node(t.text),
            };
            content.draws.insert(0, Draw::Mark(mark));
        }
    }

    /// Draws a space after a content's last word: the tab between a
    /// signature's position and name, or between the parts of a spread
    /// line, reads as one.
    pub(crate) fn tag_space_after(&mut self, content: &mut Content) {
        if self.tags.is_none() {
            return;
        }
        let last = content.draws.iter_mut().rev().find_map(|d| match d {
            Draw::Text { text, .. } => Some(text),
            _ => None,
        });
        if let Some(text) = last
            && !text.text().ends_with(' ')
        {
            text.push(' ');
        }
    }

    /// Marks a picture as a figure with its alternate text.
    pub(crate) fn tag_figure(&mut self, content: &mut Content, image: &Image) {
        if let Some(t) = &mut self.tags {
            t.end_points();
            let id = t.add(Role::Figure);
            // The file gives the only description there is; a picture at
            // the top of the page is the coat of arms (LAYOUT.md §4).
            let alt = match image.placement {
                ImagePlacement::PageTop { .. } => "Герб".to_string(),
                ImagePlacement::Inline => {
                    let name = std::path::Path::new(&image.source)
                        .file_stem()
                        .map_or(image.source.clone(), |s| s.to_string_lossy().into_owned());
                    format!("Изображение «{name}»")
                }
            };
            t.elements[id as usize].alt = Some(alt);
            content.draws.insert(0, Draw::Mark(Mark::Node(id)));
        }
    }
}

/// Turns the marks of draws placed a second time (header rows repeated on
/// a later page) into artifacts: the text belongs to its first place.
pub(crate) fn as_artifacts(draws: &mut [Draw]) {
    for d in draws {
        if let Draw::Mark(m @ (Mark::Node(_) | Mark::Label { .. })) = d {
            *m = Mark::Node(ARTIFACT);
        }
    }
}

/// Where each element's content is: per page, the element of each MCID.
pub(crate) type PageMcids = Vec<u32>;

/// Writes the structure tree into the document: `StructTreeRoot` with
/// its `ParentTree`, the pages' `StructParents` and `/Tabs /S`. Elements
/// with no content (an empty paragraph) are left out.
pub(crate) fn write_tree(
    lo: &mut lopdf::Document,
    tree: &StructTree,
    pages: &[ObjectId],
    mcids: &[PageMcids],
) -> ObjectId {
    let n = tree.elements.len();
    // Each element's content: (page, mcid) in reading order.
    let mut content: Vec<Vec<(usize, u32)>> = vec![Vec::new(); n];
    for (page, list) in mcids.iter().enumerate() {
        for (mcid, &node) in list.iter().enumerate() {
            if let Some(c) = content.get_mut(node as usize) {
                c.push((page, mcid as u32));
            }
        }
    }
    // An element is kept when it or an element below it has content
    // (children come after their parents, so one pass backwards).
    let mut keep: Vec<bool> = content.iter().map(|c| !c.is_empty()).collect();
    for i in (1..n).rev() {
        if keep[i] {
            let parent = tree.elements[i].parent as usize;
            keep[parent] = true;
        }
    }
    keep[0] = true;
    let ids: Vec<ObjectId> = (0..n).map(|_| lo.new_object_id()).collect();
    let root_id = lo.new_object_id();
    for (i, e) in tree.elements.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"StructElem".to_vec()));
        dict.set("S", Object::Name(e.role.name().to_vec()));
        let parent = if i == 0 {
            root_id
        } else {
            ids[e.parent as usize]
        };
        dict.set("P", Object::Reference(parent));
        let mut kids: Vec<Object> = Vec::new();
        let first_page = content[i].first().map(|&(p, _)| p);
        if let Some(p) = first_page
            && let Some(&page) = pages.get(p)
        {
            dict.set("Pg", Object::Reference(page));
        }
        for &(p, mcid) in &content[i] {
            if Some(p) == first_page {
                kids.push(Object::Integer(i64::from(mcid)));
            } else if let Some(&page) = pages.get(p) {
                let mut mcr = Dictionary::new();
                mcr.set("Type", Object::Name(b"MCR".to_vec()));
                mcr.set("Pg", Object::Reference(page));
                mcr.set("MCID", Object::Integer(i64::from(mcid)));
                kids.push(Object::Dictionary(mcr));
            }
        }
        kids.extend(
            e.kids
                .iter()
                .filter(|&&k| keep[k as usize])
                .map(|&k| Object::Reference(ids[k as usize])),
        );
        dict.set("K", Object::Array(kids));
        if let Some(alt) = &e.alt {
            dict.set("Alt", text_string(alt));
        }
        if matches!(e.role, Role::TH | Role::TD) {
            let mut a = Dictionary::new();
            a.set("O", Object::Name(b"Table".to_vec()));
            if e.role == Role::TH {
                a.set("Scope", Object::Name(b"Column".to_vec()));
            }
            if e.span.0 > 1 {
                a.set("RowSpan", Object::Integer(e.span.0 as i64));
            }
            if e.span.1 > 1 {
                a.set("ColSpan", Object::Integer(e.span.1 as i64));
            }
            dict.set("A", Object::Dictionary(a));
        }
        lo.objects.insert(ids[i], Object::Dictionary(dict));
    }
    // The parent tree: page i's StructParents is i, its array gives the
    // element of each MCID.
    let mut nums: Vec<Object> = Vec::new();
    for (p, list) in mcids.iter().enumerate() {
        nums.push(Object::Integer(p as i64));
        let refs = list
            .iter()
            .map(|&node| Object::Reference(ids[node as usize]))
            .collect();
        nums.push(Object::Array(refs));
    }
    let mut parent_tree = Dictionary::new();
    parent_tree.set("Nums", Object::Array(nums));
    let parent_tree = lo.add_object(Object::Dictionary(parent_tree));
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"StructTreeRoot".to_vec()));
    root.set("K", Object::Reference(ids[0]));
    root.set("ParentTree", Object::Reference(parent_tree));
    root.set("ParentTreeNextKey", Object::Integer(pages.len() as i64));
    lo.objects.insert(root_id, Object::Dictionary(root));
    for (p, &page) in pages.iter().enumerate() {
        if let Ok(dict) = lo.get_object_mut(page).and_then(Object::as_dict_mut) {
            dict.set("StructParents", Object::Integer(p as i64));
            dict.set("Tabs", Object::Name(b"S".to_vec()));
        }
    }
    root_id
}

/// A text string: literal PDFDocEncoding-free UTF-16BE with a BOM.
pub(crate) fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Literal)
}
