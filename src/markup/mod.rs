//! The document markup: a small XML vocabulary that templates write and
//! [`parse`] turns into a [`Document`]. Its reference for template authors
//! is `docs/MARKUP.md`.
//!
//! XML is parsed with roxmltree. Whitespace inside paragraphs is collapsed
//! as in HTML (templates are indented freely); a no-break space (`&#160;`)
//! is kept.

use crate::document::*;
use std::cell::RefCell;
use std::ops::RangeInclusive;

use crate::document::{MAX_COLUMN_MM, MIN_COLUMN_MM};
use crate::russian::typography;

mod reader;
use reader::XmlNode;

/// First-line indent, mm: negative for a hanging line, never more than
/// most of a page's text width.
const INDENT_MM: RangeInclusive<f32> = -100.0..=100.0;
/// Left indent of a paragraph, mm.
const LEFT_MM: RangeInclusive<f32> = 0.0..=100.0;
/// Space before and after a paragraph or signature, points (200 pt is
/// 70 mm, a quarter of a page).
const SPACE_PT: RangeInclusive<f32> = 0.0..=200.0;
/// Font size, points.
const SIZE_PT: RangeInclusive<f32> = 1.0..=100.0;
/// Width of a box or a picture and height of a picture, mm: an A4 page is
/// 297 mm long; the backends narrow a box or picture to the text.
const EXTENT_MM: RangeInclusive<f32> = 1.0..=300.0;

/// Narrowest a paragraph's `width` may be, mm; the widest is the
/// section's text width.
const PARA_WIDTH_MIN_MM: f32 = 20.0;

/// Where a coat of arms may sit: its top edge from the page's top edge, mm.
const EMBLEM_TOP_MM: RangeInclusive<f32> = 0.0..=100.0;
/// Side of the QR code with its quiet zone, mm: readable from 15 mm, and at
/// most a quarter of the page's width.
const QR_SIZE_MM: RangeInclusive<f32> = 15.0..=60.0;
/// From the coat of arms to the text below it, mm.
const EMBLEM_GAP_MM: RangeInclusive<f32> = 0.0..=50.0;

/// A markup error: what is wrong and where in the markup text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupError {
    /// 1-based line of the markup text.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong, in Russian.
    pub message: String,
}

impl std::fmt::Display for MarkupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "разметка, строка {}, столбец {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for MarkupError {}

type Result<T> = std::result::Result<T, MarkupError>;

/// Reads a file the markup names (an image), by the name written in `src`.
/// The build resolves it against the document's folder; the parser itself
/// never touches the disk.
pub type FileReader<'a> = &'a dyn Fn(&str) -> std::io::Result<Vec<u8>>;

/// What the document parsed is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// To be laid out: everything the backends need.
    Layout,
    /// Only for its errors and warnings (`gostdoc check`): the words no
    /// line may hyphenate are not marked, since marking splits runs and
    /// neither adds nor removes a character, an error or a warning.
    Check,
}

/// Parses markup text into a document; `files` reads images.
pub fn parse(markup: &str, files: FileReader) -> Result<Document> {
    parse_for(markup, files, Purpose::Layout)
}

/// [`parse`] for a [`Purpose`]. The markup is read by our own reader
/// ([`reader`]) when it is the plain XML templates write and reads
/// without an error; anything else, and any error, is read again by
/// roxmltree ([`parse_reference`]), which gives the message and its place.
pub fn parse_for(markup: &str, files: FileReader, purpose: Purpose) -> Result<Document> {
    parse_fast(markup, files, purpose).map_or_else(|| parse_reference(markup, files, purpose), Ok)
}

/// The document when our reader reads the markup and it has no error;
/// `None` otherwise. Only for [`parse_for`] and tests, which compare it
/// with [`parse_reference`].
#[doc(hidden)]
pub fn parse_fast(markup: &str, files: FileReader, purpose: Purpose) -> Option<Document> {
    let tree = reader::read(markup, MAX_ELEMENTS)?;
    // Never a message: an error is read again by roxmltree.
    let nowhere = |_| roxmltree::TextPos::new(0, 0);
    walk(tree.root(), &nowhere, files, purpose).ok()
}

/// [`parse_for`] with roxmltree alone, as every markup was read before
/// our reader.
#[doc(hidden)]
pub fn parse_reference(markup: &str, files: FileReader, purpose: Purpose) -> Result<Document> {
    let xml = roxmltree::Document::parse(markup).map_err(|e| {
        let pos = e.pos();
        MarkupError {
            line: pos.row,
            column: pos.col,
            message: format!("неверный XML: {e}"),
        }
    })?;
    // A template loop can print far more than any document: the layout
    // needs about 5 KB a paragraph, so 64 MB of tiny paragraphs would ask
    // for 9 GB. The largest real document (a 7000-row roadmap, 1002
    // pages) has about 80,000 elements.
    let elements = xml.descendants().filter(|n| n.is_element()).count();
    if elements > MAX_ELEMENTS {
        return Err(MarkupError {
            line: 1,
            column: 1,
            message: format!(
                "в разметке {elements} элементов, а больше {MAX_ELEMENTS} не бывает ни в одном документе (это тысячи страниц): вероятно, цикл в шаблоне повторяется лишний раз"
            ),
        });
    }
    let position = |node: roxmltree::Node| xml.text_pos_at(node.range().start);
    walk(xml.root_element(), &position, files, purpose)
}

/// The document of the markup's root element; `position` is where a
/// node begins, for messages.
fn walk<'a, N: XmlNode<'a>>(
    root: N,
    position: &dyn Fn(N) -> roxmltree::TextPos,
    files: FileReader,
    purpose: Purpose,
) -> Result<Document> {
    let p = Parser {
        position,
        files,
        warnings: RefCell::new(Vec::new()),
        text_width: std::cell::Cell::new(Orientation::Portrait.page_mm().0 - 40.0),
        purpose,
    };
    p.expect_name(root, "document")?;
    let page_numbers = match root.attribute("page-numbers").unwrap_or("from-second") {
        "from-second" => PageNumbers::TopCenterFromSecond,
        "none" => PageNumbers::None,
        other => {
            return Err(p.err(
                root,
                format!("page-numbers=\"{other}\": ожидалось from-second или none"),
            ));
        }
    };
    let mut sections = Vec::new();
    for child in root.children().filter(|n| n.is_element()) {
        p.expect_name(child, "section")?;
        sections.push(p.section(child)?);
    }
    Ok(Document {
        meta: Meta {
            title: root.attribute("title").unwrap_or_default().to_owned(),
            author: root.attribute("author").unwrap_or_default().to_owned(),
            subject: root.attribute("subject").unwrap_or_default().to_owned(),
            date: root.attribute("date").unwrap_or_default().to_owned(),
            language: "ru-RU".into(),
        },
        style: TextStyle::default(),
        page_numbers,
        sections,
        warnings: p.warnings.into_inner(),
    })
}

/// The most elements a document's markup may have: a 5000-page roadmap
/// has about 400,000, and this many tiny ones take about 2.5 GB to lay
/// out.
pub const MAX_ELEMENTS: usize = 500_000;

struct Parser<'a, 'p, N> {
    /// Where a node begins in the markup, for messages.
    position: &'p dyn Fn(N) -> roxmltree::TextPos,
    files: FileReader<'a>,
    /// What was adjusted to fit ([`Document::warnings`]).
    warnings: RefCell<Vec<String>>,
    /// The text width of the section being read, mm: the widest a
    /// paragraph's `width` may be.
    text_width: std::cell::Cell<f32>,
    purpose: Purpose,
}

impl<'a, N: XmlNode<'a>> Parser<'_, '_, N> {
    fn err(&self, node: N, message: String) -> MarkupError {
        let pos = (self.position)(node);
        MarkupError {
            line: pos.row,
            column: pos.col,
            message,
        }
    }

    fn expect_name(&self, node: N, name: &str) -> Result<()> {
        if node.name() == name {
            Ok(())
        } else {
            Err(self.err(
                node,
                format!("ожидался элемент <{name}>, а встретился <{}>", node.name()),
            ))
        }
    }

    /// A number attribute within `range` (`unit` names it in the message).
    /// Rust reads «NaN» and «inf» as numbers; the range keeps them out,
    /// with negative and absurd sizes that would garble the layout.
    fn number(
        &self,
        node: N,
        attr: &str,
        default: f32,
        range: RangeInclusive<f32>,
        unit: &str,
    ) -> Result<f32> {
        let Some(v) = node.attribute(attr) else {
            return Ok(default);
        };
        match parse_number(v) {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(self.err(
                node,
                format!(
                    "{attr}=\"{v}\": ожидалось число от {} до {} {unit}",
                    range.start(),
                    range.end()
                ),
            )),
        }
    }

    fn section(&self, node: N) -> Result<Section> {
        let orientation = match node.attribute("orientation").unwrap_or("portrait") {
            "portrait" => Orientation::Portrait,
            "landscape" => Orientation::Landscape,
            other => {
                return Err(self.err(
                    node,
                    format!("orientation=\"{other}\": ожидалось portrait или landscape"),
                ));
            }
        };
        let margins = match orientation {
            Orientation::Portrait => Margins::PORTRAIT,
            Orientation::Landscape => Margins::LANDSCAPE,
        };
        self.text_width
            .set(orientation.page_mm().0 - margins.left - margins.right);
        let blocks = self.blocks(
            node,
            &[
                "p",
                "list",
                "table",
                "signature",
                "spread",
                "box",
                "pagebreak",
                "image",
                "qr",
            ],
        )?;
        let mut section = Section {
            orientation,
            margins,
            blocks,
        };
        keep_together(&mut section.blocks);
        let text_width = section.text_width_mm();
        for block in &mut section.blocks {
            if let Block::Table(t) = block {
                self.fit(t, text_width);
            }
        }
        Ok(section)
    }

    /// Narrows a table wider than the text, all columns in proportion, as
    /// Word does with a table too wide for the page: a warning, not an
    /// error, since the document is still right, only narrower.
    fn fit(&self, table: &mut Table, text_width: f32) {
        let total: f32 = table.columns_mm.iter().sum();
        // Widths written to one decimal may sum a hair above the text.
        if total <= text_width + 0.05 {
            return;
        }
        let scale = text_width / total;
        for w in &mut table.columns_mm {
            *w *= scale;
        }
        let narrowed: Vec<String> = table.columns_mm.iter().map(|&w| mm(w)).collect();
        self.warnings.borrow_mut().push(format!(
            "ширина таблицы {} мм больше ширины текста {} мм: столбцы уменьшены \
             пропорционально, до {} мм; чтобы задать ширины самим, сделайте их сумму \
             не больше {} мм",
            mm(total),
            mm(text_width),
            narrowed.join(" + "),
            mm(text_width)
        ));
    }

    fn blocks(&self, node: N, allowed: &[&str]) -> Result<Vec<Block>> {
        // A block an element: room for them all at once, instead of a
        // vector grown and then shrunk (a table cell holds one).
        let mut out = Vec::with_capacity(node.children().filter(|n| n.is_element()).count());
        for child in node.children() {
            if child.is_text() {
                if child
                    .text()
                    .is_some_and(|t| !t.trim_matches(is_collapsible).is_empty())
                {
                    return Err(self.err(child, "текст вне абзаца: оберните его в <p>…</p>".into()));
                }
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let name = child.name();
            if !allowed.contains(&name) {
                return Err(self.err(
                    child,
                    format!(
                        "элемент <{name}> здесь не допускается; допустимы: {}",
                        allowed.join(", ")
                    ),
                ));
            }
            out.push(match name {
                "p" => Block::Paragraph(self.paragraph(child)?),
                "list" => Block::List(self.list(child)?),
                "table" => Block::Table(self.table(child)?),
                "signature" => Block::Signature(self.signature(child)?),
                "spread" => Block::Spread(self.spread(child)?),
                "box" => Block::RequisiteBox(self.requisite_box(child)?),
                "pagebreak" => Block::PageBreak,
                "qr" => {
                    // Drawn at a corner of the section's first page; last in
                    // the section, so that it is no block's neighbour (the
                    // coat of arms anchors in the block after it).
                    if child.next_sibling_element().is_some() {
                        return Err(self.err(
                            child,
                            "<qr> должен быть последним элементом раздела <section>: \
                             перенесите его в конец раздела"
                                .into(),
                        ));
                    }
                    Block::Qr(self.qr(child)?)
                }
                "image" => {
                    let image = self.image(child)?;
                    // Its place is fixed on the section's first page: text
                    // above it would run under it.
                    let first_of_section = out.is_empty() && node.has_tag_name("section");
                    if image.placement != ImagePlacement::Inline && !first_of_section {
                        return Err(self.err(
                            child,
                            "<image place=\"page-top\"> (герб) должен быть первым элементом \
                             раздела <section>: перенесите его в начало раздела"
                                .into(),
                        ));
                    }
                    Block::Image(image)
                }
                _ => unreachable!("checked against `allowed`"),
            });
        }
        // A table cell holds one block, most often: the tree of a long
        // table keeps no room for three more in each.
        out.shrink_to_fit();
        Ok(out)
    }

    /// A box; with `lines="as-written"` its lines are the user's, each
    /// meant to fit on one line, and one that does not is a warning.
    fn requisite_box(&self, node: N) -> Result<RequisiteBox> {
        let b = RequisiteBox {
            width_mm: self.number(node, "width", 75.0, EXTENT_MM, "мм")?,
            paragraphs: self.paragraphs(node)?,
        };
        match node.attribute("lines") {
            None | Some("wrap") => {}
            Some("as-written") => {
                for p in &b.paragraphs {
                    self.box_lines_fit(p, b.width_mm);
                }
            }
            Some(other) => {
                return Err(self.err(
                    node,
                    format!("lines=\"{other}\": ожидалось as-written или wrap"),
                ));
            }
        }
        Ok(b)
    }

    /// Warns about each line of a box paragraph wider than the box.
    fn box_lines_fit(&self, p: &Paragraph, width_mm: f32) {
        let size = p.size_pt.unwrap_or(TextStyle::default().body_pt);
        for (k, line) in p.runs.split(|r| matches!(r, Inline::LineBreak)).enumerate() {
            let indent = p.left_mm + if k == 0 { p.first_line_mm } else { 0.0 };
            // The PDF breaks a line 0.001 mm over its measure.
            let need = crate::pdf::runs_width_mm(line, size) + indent;
            if need <= width_mm + 0.001 {
                continue;
            }
            let text = Paragraph {
                runs: line.to_vec(),
                ..Paragraph::plain()
            }
            .text()
            .replace('\u{a0}', " ");
            // Whole millimetres, rounded up: a box that wide holds the line.
            let need = need.ceil();
            let what = if need <= BOX_MAX_MM {
                format!(
                    "ей нужно {need} мм; разбейте её на две строки или увеличьте ширину \
                     отметки до {need} мм (наибольшая ширина — {BOX_MAX_MM} мм)"
                )
            } else {
                format!(
                    "ей нужно {need} мм, а отметка бывает не шире {BOX_MAX_MM} мм; \
                     разбейте её на несколько строк"
                )
            };
            self.warnings.borrow_mut().push(format!(
                "строка «{text}» не помещается в отметку шириной {} мм: {what}",
                mm(width_mm)
            ));
        }
    }

    fn paragraphs(&self, node: N) -> Result<Vec<Paragraph>> {
        self.blocks(node, &["p"]).map(|bs| {
            bs.into_iter()
                .filter_map(|b| match b {
                    Block::Paragraph(p) => Some(p),
                    _ => None,
                })
                .collect()
        })
    }

    fn paragraph(&self, node: N) -> Result<Paragraph> {
        let align = match node.attribute("align").unwrap_or("justify") {
            "left" => Align::Left,
            "center" => Align::Center,
            "right" => Align::Right,
            "justify" => Align::Justify,
            other => {
                return Err(self.err(
                    node,
                    format!("align=\"{other}\": ожидалось left, center, right или justify"),
                ));
            }
        };
        // Body text (justified) gets the 1.25 cm first-line indent by
        // default; requisites (centred, right) get none.
        let default_indent = if align == Align::Justify { 12.5 } else { 0.0 };
        let size = match node.attribute("size") {
            Some(_) => Some(self.number(node, "size", 14.0, SIZE_PT, "пт")?),
            None => None,
        };
        let role = self.role(node)?;
        let mut runs = Vec::new();
        // A point's number is printed as the start of its text, so both
        // page backends set it as they set any text.
        if let Role::Point { label } = &role {
            runs.push(Inline::Text {
                text: format!("{label} "),
                style: RunStyle::default(),
            });
        }
        self.inline(node, RunStyle::default(), &mut runs)?;
        let paragraph = Paragraph {
            align,
            first_line_mm: self.number(node, "indent", default_indent, INDENT_MM, "мм")?,
            left_mm: self.number(node, "left", 0.0, LEFT_MM, "мм")?,
            space_before_pt: self.number(node, "before", 0.0, SPACE_PT, "пт")?,
            space_after_pt: self.number(node, "after", 0.0, SPACE_PT, "пт")?,
            size_pt: size,
            keep_with_next: node.attribute("keep") == Some("next"),
            hyphenate: match node.attribute("hyphenate") {
                None | Some("yes") => true,
                Some("no") => false,
                Some(other) => {
                    return Err(
                        self.err(node, format!("hyphenate=\"{other}\": ожидалось yes или no"))
                    );
                }
            },
            width_mm: match node.attribute("width") {
                // A title block narrower than 2 cm holds no word.
                Some(_) => Some(self.number(
                    node,
                    "width",
                    0.0,
                    PARA_WIDTH_MIN_MM..=self.text_width.get(),
                    "мм",
                )?),
                None => None,
            },
            rule_below: match node.attribute("rule") {
                None => false,
                Some("below") => true,
                Some(other) => {
                    return Err(self.err(node, format!("rule=\"{other}\": ожидалось below")));
                }
            },
            role,
            runs: collapse(runs),
        };
        Ok(match self.purpose {
            Purpose::Layout => protect_names(paragraph),
            Purpose::Check => paragraph,
        })
    }

    /// The paragraph's place in the structure: `heading="1"` or `"2"`, or
    /// `point="1.1."` (the number, which the markup prints before the
    /// text); not both.
    fn role(&self, node: N) -> Result<Role> {
        match (node.attribute("heading"), node.attribute("point")) {
            (Some(_), Some(_)) => Err(self.err(
                node,
                "heading и point вместе: абзац либо заголовок, либо пункт".to_string(),
            )),
            (Some("1"), None) => Ok(Role::Heading(1)),
            (Some("2"), None) => Ok(Role::Heading(2)),
            (Some(other), None) => {
                Err(self.err(node, format!("heading=\"{other}\": ожидалось 1 или 2")))
            }
            (None, Some(label)) => {
                let label = collapse_text(label);
                if label.is_empty() {
                    return Err(self.err(node, "point=\"\": номер пункта пуст".to_string()));
                }
                Ok(Role::Point { label })
            }
            (None, None) => Ok(Role::Text),
        }
    }

    fn inline(&self, node: N, style: RunStyle, out: &mut Vec<Inline>) -> Result<()> {
        for child in node.children() {
            if child.is_text() {
                let text = child.text().unwrap_or_default();
                out.push(Inline::Text {
                    text: text.to_owned(),
                    style,
                });
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let mut s = style;
            match child.name() {
                "b" => s.bold = true,
                "i" => s.italic = true,
                "u" => s.underline = true,
                "sp" => s.spaced = true,
                "nh" => s.nohyphen = true,
                "br" => {
                    out.push(Inline::LineBreak);
                    continue;
                }
                other => {
                    return Err(self.err(
                        child,
                        format!(
                            "элемент <{other}> не допускается в тексте; допустимы: b, i, u, sp, nh, br"
                        ),
                    ));
                }
            }
            self.inline(child, s, out)?;
        }
        Ok(())
    }

    fn list(&self, node: N) -> Result<List> {
        let kind = match node.attribute("kind").unwrap_or("bullet") {
            "bullet" => ListKind::Bullet,
            "numbered" => ListKind::Numbered,
            other => {
                return Err(self.err(
                    node,
                    format!("kind=\"{other}\": ожидалось bullet или numbered"),
                ));
            }
        };
        let mut items = Vec::new();
        for child in node.children().filter(|n| n.is_element()) {
            self.expect_name(child, "item")?;
            let label = match child.attribute("label") {
                Some(l) => l.to_owned(),
                None if kind == ListKind::Bullet => "–".to_owned(),
                None => format!("{}.", items.len() + 1),
            };
            items.push(ListItem {
                label,
                paragraphs: self.paragraphs(child)?,
            });
        }
        Ok(List { kind, items })
    }

    fn table(&self, node: N) -> Result<Table> {
        let widths = node.attribute("widths").unwrap_or_default();
        let mut columns_mm = Vec::new();
        for (k, w) in widths.split_whitespace().enumerate() {
            let column = k + 1;
            let why = match w.parse::<f32>() {
                Err(_) => format!("«{w}» — не число; ширины столбцов пишутся в мм через пробел"),
                Ok(n) if !n.is_finite() => {
                    format!("ширина столбца {column} «{w}» — не число миллиметров")
                }
                Ok(n) if n <= 0.0 => {
                    format!("ширина столбца {column} «{w}» должна быть больше нуля")
                }
                Ok(n) if n < MIN_COLUMN_MM => format!(
                    "ширина столбца {column} «{w}» мм меньше наименьшей, {MIN_COLUMN_MM} мм"
                ),
                Ok(n) if n > MAX_COLUMN_MM => format!(
                    "ширина столбца {column} «{w}» мм больше наибольшей, {MAX_COLUMN_MM} мм"
                ),
                Ok(n) => {
                    columns_mm.push(n);
                    continue;
                }
            };
            return Err(self.err(
                node,
                format!("widths=\"{widths}\": {why}; пример: widths=\"12 85 35 38\""),
            ));
        }
        if columns_mm.is_empty() {
            return Err(self.err(node, "у таблицы не указаны ширины столбцов (widths)".into()));
        }
        let columns = columns_mm.len();
        let row_nodes: Vec<N> = node.children().filter(|n| n.is_element()).collect();
        // The last row each grid column is covered to by a merged cell
        // from above (`rowspan`), and where that cell is written.
        let mut covered: Vec<Option<(usize, N)>> = vec![None; columns];
        let mut rows = Vec::with_capacity(row_nodes.len());
        for (r, &row) in row_nodes.iter().enumerate() {
            self.expect_name(row, "row")?;
            let header = row.attribute("header") == Some("yes");
            // Header rows come first: how many rows a header cell may join.
            let header_rows = row_nodes[r..]
                .iter()
                .take_while(|n| n.attribute("header") == Some("yes"))
                .count();
            let remaining = if header {
                header_rows
            } else {
                row_nodes.len() - r
            };
            let is_covered = |c: usize, covered: &[Option<(usize, N)>]| {
                covered[c].is_some_and(|(last, _)| last >= r)
            };
            let merged = (0..columns).filter(|&c| is_covered(c, &covered)).count();
            let mut cells = Vec::new();
            let mut col = 0;
            for cell in row.children().filter(|n| n.is_element()) {
                self.expect_name(cell, "cell")?;
                while col < columns && is_covered(col, &covered) {
                    col += 1;
                }
                let colspan = self.span(cell, columns)?;
                let rowspan = self.rowspan(cell, remaining, header)?;
                let end = col + colspan;
                if let Some(c) = (col..end.min(columns)).find(|&c| is_covered(c, &covered)) {
                    let above = covered[c].map(|(_, n)| n).unwrap_or(cell);
                    let line = (self.position)(above).row;
                    return Err(self.err(
                        cell,
                        format!(
                            "ячейка заходит на столбец {}, который занимает объединённая ячейка \
                             строки выше (rowspan, строка разметки {line}): в строках под \
                             ячейкой с rowspan её место пропускают",
                            c + 1
                        ),
                    ));
                }
                if rowspan > 1 && end <= columns {
                    for c in &mut covered[col..end] {
                        *c = Some((r + rowspan - 1, cell));
                    }
                }
                col = end;
                cells.push(Cell {
                    colspan,
                    rowspan,
                    blocks: self.blocks(cell, &["p", "list"])?,
                });
            }
            let spanned: usize = cells.iter().map(|c| c.colspan).sum();
            if spanned + merged != columns {
                let from_above = if merged > 0 {
                    format!(" и {merged} заняты объединёнными ячейками строк выше (rowspan)")
                } else {
                    String::new()
                };
                return Err(self.err(
                    row,
                    format!("в строке таблицы {spanned} ячеек{from_above}, а столбцов {columns}"),
                ));
            }
            if row.attribute("keep") == Some("next") {
                // A row is kept with the next one through its paragraphs,
                // as Word marks it (`w:keepNext` on each): see
                // [`Row::keeps_with_next`].
                for cell in &mut cells {
                    keep_with_next(&mut cell.blocks);
                }
            }
            rows.push(Row { header, cells });
        }
        Ok(Table::new(columns_mm, rows))
    }

    /// How many columns a cell spans: a whole number from 1 to the
    /// table's columns (a float cast would turn «1e30» into an overflow).
    fn span(&self, cell: N, columns: usize) -> Result<usize> {
        let Some(v) = cell.attribute("span") else {
            return Ok(1);
        };
        match v.trim().parse::<usize>() {
            Ok(n) if (1..=columns).contains(&n) => Ok(n),
            _ => Err(self.err(
                cell,
                format!(
                    "span=\"{v}\": ожидалось целое число от 1 до {columns} (столбцов в таблице)"
                ),
            )),
        }
    }

    /// How many rows a cell spans: a whole number from 1 to the rows left
    /// in the table, counting its own (in a header row, to the header rows
    /// left: a header is repeated on every page, the body is not).
    fn rowspan(&self, cell: N, remaining: usize, header: bool) -> Result<usize> {
        let Some(v) = cell.attribute("rowspan") else {
            return Ok(1);
        };
        match v.trim().parse::<usize>() {
            Ok(n) if (1..=remaining).contains(&n) => Ok(n),
            _ => {
                let rows = if header {
                    "строк заголовка, начиная с этой"
                } else {
                    "оставшихся строк таблицы, считая эту"
                };
                Err(self.err(
                    cell,
                    format!("rowspan=\"{v}\": ожидалось целое число от 1 до {remaining} ({rows})"),
                ))
            }
        }
    }

    fn signature(&self, node: N) -> Result<Signature> {
        let mut position = Vec::new();
        let mut name = None;
        let mut electronic = None;
        for child in node.children().filter(|n| n.is_element()) {
            match child.name() {
                "esign" => electronic = Some(self.electronic_mark(child)?),
                "line" => {
                    let mut runs = Vec::new();
                    self.inline(child, RunStyle::default(), &mut runs)?;
                    position.push(collapse(runs));
                }
                "name" => {
                    name = Some(collapse_text(
                        &child.text().unwrap_or_default().replace('\n', " "),
                    ))
                }
                other => {
                    return Err(self.err(
                        child,
                        format!(
                            "элемент <{other}> не допускается в <signature>; допустимы: line, name, esign"
                        ),
                    ));
                }
            }
        }
        let signature = Signature {
            position,
            name: name.ok_or_else(|| self.err(node, "в <signature> нет <name>".into()))?,
            space_before_pt: self.number(node, "before", 0.0, SPACE_PT, "пт")?,
            keep_with_next: false,
            electronic,
        };
        if let Some(g) = crate::pdf::requisites::mark_geometry(
            &signature,
            self.text_width.get(),
            crate::document::TextStyle::default().body_pt,
        ) && !g.fits
        {
            self.warnings.borrow_mut().push(format!(
                "отметка об электронной подписи шириной {:.0} мм не помещается между должностью \
                 и именем «{}»; она напечатана левее имени и заходит на должность: разбейте \
                 должность на строки покороче",
                g.width_mm, signature.name
            ));
        }
        Ok(signature)
    }

    /// `<esign>`: the mark of an electronic signature, `<head>` lines
    /// (bold, centred: «ДОКУМЕНТ ПОДПИСАН», «ЭЛЕКТРОННОЙ ПОДПИСЬЮ») and
    /// `<line>` lines (the certificate, its owner, its term), each a line
    /// of its own, never wrapped.
    fn electronic_mark(&self, node: N) -> Result<ElectronicMark> {
        let mut mark = ElectronicMark {
            heading: Vec::new(),
            lines: Vec::new(),
        };
        for child in node.children().filter(|n| n.is_element()) {
            let text = collapse_text(&child.text().unwrap_or_default().replace('\n', " "));
            match child.name() {
                "head" => mark.heading.push(text),
                "line" => mark.lines.push(text),
                other => {
                    return Err(self.err(
                        child,
                        format!(
                            "элемент <{other}> не допускается в <esign>; допустимы: head, line"
                        ),
                    ));
                }
            }
        }
        if mark.heading.is_empty() && mark.lines.is_empty() {
            return Err(self.err(node, "<esign> пуст: нужны строки <head> и <line>".into()));
        }
        Ok(mark)
    }

    /// `<qr size="20" place="auto|bottom-right|top-right">text</qr>` (or
    /// `text="…"`): the QR-code requisite; `size` (mm, the square with its quiet zone)
    /// defaults to [`crate::qr::Symbol::default_size_mm`].
    fn qr(&self, node: N) -> Result<QrCode> {
        // The content keeps line breaks (an attribute's would become spaces).
        let text = node
            .attribute("text")
            .or_else(|| node.text())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| self.err(node, "у <qr> нет текста".into()))?;
        let symbol = crate::qr::encode(text).map_err(|e| self.err(node, e))?;
        let size_mm = self.number(node, "size", symbol.default_size_mm(), QR_SIZE_MM, "мм")?;
        let place = match node.attribute("place").unwrap_or("auto") {
            "auto" => QrPlace::Auto,
            "bottom-right" => QrPlace::BottomRight,
            "top-right" => QrPlace::TopRight,
            other => {
                return Err(self.err(
                    node,
                    format!("place=\"{other}\": ожидалось auto, bottom-right или top-right"),
                ));
            }
        };
        Ok(QrCode {
            text: text.to_owned(),
            size_mm,
            place,
        })
    }

    /// `<spread>`: up to three parts of one line, each at most once.
    fn spread(&self, node: N) -> Result<Spread> {
        let mut parts: [Option<Vec<Inline>>; 3] = [None, None, None];
        for child in node.children() {
            if child.is_text() {
                if child
                    .text()
                    .is_some_and(|t| !t.trim_matches(is_collapsible).is_empty())
                {
                    return Err(self.err(
                        child,
                        "текст в <spread> вне частей: оберните его в <left>, <center> или <right>"
                            .into(),
                    ));
                }
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let name = child.name();
            let k = match name {
                "left" => 0,
                "center" => 1,
                "right" => 2,
                other => {
                    return Err(self.err(
                        child,
                        format!(
                            "элемент <{other}> не допускается в <spread>; допустимы: left, center, right"
                        ),
                    ));
                }
            };
            if parts[k].is_some() {
                return Err(self.err(
                    child,
                    format!("в <spread> второй <{name}>: каждая часть строки бывает один раз"),
                ));
            }
            let mut runs = Vec::new();
            self.inline(child, RunStyle::default(), &mut runs)?;
            // The parts stand on one line, held apart by tab stops.
            if runs.iter().any(|r| matches!(r, Inline::LineBreak)) {
                return Err(self.err(
                    child,
                    format!(
                        "<br/> в <{name}>: <spread> — одна строка; следующую строку пишите \
                         отдельным абзацем <p>"
                    ),
                ));
            }
            parts[k] = Some(collapse(runs));
        }
        let [left, center, right] = parts.map(Option::unwrap_or_default);
        let spread = Spread {
            left,
            center,
            right,
            space_before_pt: self.number(node, "before", 0.0, SPACE_PT, "пт")?,
            space_after_pt: self.number(node, "after", 0.0, SPACE_PT, "пт")?,
        };
        self.spread_fits(&spread);
        Ok(spread)
    }

    /// Warns when the parts of a spread line run into each other, saying
    /// what was moved to the next line (see [`Spread::rows`]).
    fn spread_fits(&self, s: &Spread) {
        let size = TextStyle::default().body_pt;
        let width = self.text_width.get();
        let widths = s.parts().map(|r| crate::pdf::runs_width_mm(r, size));
        let Some(overlap) = Spread::overlap(widths, width) else {
            return;
        };
        let [l, c, r] = s.parts().map(|runs| {
            Paragraph {
                runs: runs.to_vec(),
                ..Paragraph::plain()
            }
            .text()
            .replace('\u{a0}', " ")
        });
        let (first, second) = match overlap {
            SpreadOverlap::LeftCenter => (&l, &c),
            SpreadOverlap::CenterRight => (&c, &r),
            SpreadOverlap::LeftRight => (&l, &r),
        };
        let moved = if s.rows(widths, width).len() == 2 && !c.is_empty() {
            format!("место «{c}» перенесено на следующую строку")
        } else {
            "каждая часть поставлена на свою строку".to_owned()
        };
        // What the three parts would need to stand apart on one line: the
        // centre one centred, so the wider side counts twice.
        let [wl, wc, wr] = widths;
        let need = if wc > 0.0 {
            wc + 2.0 * (wl.max(wr) + SPREAD_GAP_MM)
        } else {
            wl + wr + SPREAD_GAP_MM
        };
        let advice = if c.is_empty() {
            "сократите их"
        } else {
            "сократите части или поставьте место отдельной строкой под датой и номером"
        };
        let quoted: Vec<String> = [&l, &c, &r]
            .into_iter()
            .filter(|t| !t.is_empty())
            .map(|t| format!("«{t}»"))
            .collect();
        let list = match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} и {last}", rest.join(", ")),
            _ => quoted.concat(),
        };
        self.warnings.borrow_mut().push(format!(
            "части строки {list} не помещаются на одной строке шириной {} мм (им нужно {} мм): \
             «{first}» заходит на «{second}»; {moved}; {advice}",
            mm(width),
            need.ceil()
        ));
    }

    fn image(&self, node: N) -> Result<Image> {
        let src = node
            .attribute("src")
            .ok_or_else(|| self.err(node, "у <image> нет src".into()))?;
        let data = (self.files)(src).map_err(|e| {
            self.err(
                node,
                format!("не удалось прочитать изображение «{src}»: {e}"),
            )
        })?;
        Ok(Image {
            data,
            source: src.to_owned(),
            width_mm: self.number(node, "width", 15.0, EXTENT_MM, "мм")?,
            height_mm: self.number(node, "height", 17.0, EXTENT_MM, "мм")?,
            align: Align::Center,
            placement: match node.attribute("place").unwrap_or("inline") {
                "inline" => ImagePlacement::Inline,
                "page-top" => ImagePlacement::PageTop {
                    top_mm: self.number(node, "top", 10.0, EMBLEM_TOP_MM, "мм")?,
                    gap_mm: self.number(node, "gap", 5.0, EMBLEM_GAP_MM, "мм")?,
                },
                other => {
                    return Err(self.err(
                        node,
                        format!("place=\"{other}\": ожидалось inline или page-top"),
                    ));
                }
            },
        })
    }
}

/// Layout rules every backend shares, applied once here: a paragraph
/// ending in a colon (a label: «РЕШИЛИ:», «Отделу образования:», «а
/// именно:») stays with what follows, and the text above a signature, and
/// signatures among themselves, are never parted by a page break.
fn keep_together(blocks: &mut [Block]) {
    for i in 0..blocks.len() {
        let next_is_signature = matches!(blocks.get(i + 1), Some(Block::Signature(_)));
        match &mut blocks[i] {
            Block::Paragraph(p) if next_is_signature || ends_with_colon(p) => {
                p.keep_with_next = true;
            }
            Block::List(list) => {
                for item in &mut list.items {
                    for p in &mut item.paragraphs {
                        if ends_with_colon(p) {
                            p.keep_with_next = true;
                        }
                    }
                }
                if next_is_signature
                    && let Some(p) = list
                        .items
                        .last_mut()
                        .and_then(|it| it.paragraphs.last_mut())
                {
                    p.keep_with_next = true;
                }
            }
            Block::Signature(s) => s.keep_with_next = next_is_signature,
            _ => {}
        }
    }
}

/// Whether a paragraph's text ends in a colon, whitespace after it
/// aside: `p.text().trim_end().ends_with(':')` without the text put
/// together (a tenth of a `check`'s walk of the markup).
fn ends_with_colon(p: &Paragraph) -> bool {
    for run in p.runs.iter().rev() {
        match run {
            Inline::Text { text, .. } => {
                let text = text.trim_end();
                if !text.is_empty() {
                    return text.ends_with(':');
                }
            }
            // `\n`, which `trim_end` takes away.
            Inline::LineBreak => {}
        }
    }
    false
}

/// Marks every paragraph of `blocks` to keep with the next block.
fn keep_with_next(blocks: &mut [Block]) {
    for block in blocks {
        match block {
            Block::Paragraph(p) => p.keep_with_next = true,
            Block::List(list) => {
                for p in list.items.iter_mut().flat_map(|i| &mut i.paragraphs) {
                    p.keep_with_next = true;
                }
            }
            _ => {}
        }
    }
}

/// Millimetres for a message: one decimal at most, as widths are written.
fn mm(x: f32) -> String {
    format!("{}", (x * 10.0).round() / 10.0)
}

fn is_collapsible(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\t' | '\r')
}

/// [`is_collapsible`] of a byte: the collapsible characters are ASCII, so
/// text is split at them byte by byte, without decoding a character.
fn is_collapsible_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r')
}

/// `text.split(…)` at the ASCII bytes `at` accepts: the same pieces as a
/// split at those characters (an ASCII byte is always a whole character).
#[cfg(test)]
fn ascii_split(text: &str, at: impl Fn(u8) -> bool) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut bytes = text.bytes().enumerate();
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        for (i, b) in bytes.by_ref() {
            if at(b) {
                let piece = text.get(start..i);
                start = i + 1;
                return piece;
            }
        }
        done = true;
        text.get(start..)
    })
}

fn collapse_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if is_collapsible(c) {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Marks the words of a hyphenated paragraph that no line may hyphenate
/// (capitals, surnames with initials, quoted names:
/// [`typography::unhyphenated_spans`]) as `<nh>` marks them, so that both
/// backends and LibreOffice keep them whole. Requisites and titles are
/// never hyphenated and are left alone.
fn protect_names(mut p: Paragraph) -> Paragraph {
    if !p.hyphenated() {
        return p;
    }
    let mut out: Vec<Inline> = Vec::with_capacity(p.runs.len());
    for run in std::mem::take(&mut p.runs) {
        let Inline::Text { text, style } = &run else {
            out.push(run);
            continue;
        };
        let spans = if style.nohyphen {
            Vec::new()
        } else {
            typography::unhyphenated_spans(text)
        };
        if spans.is_empty() {
            out.push(run);
            continue;
        }
        let mut at = 0;
        let mut piece = |range: std::ops::Range<usize>, nohyphen: bool| {
            if !range.is_empty() {
                out.push(Inline::Text {
                    text: text[range].to_owned(),
                    style: RunStyle { nohyphen, ..*style },
                });
            }
        };
        for span in spans {
            piece(at..span.start, false);
            at = span.end;
            piece(span, true);
        }
        piece(at..text.len(), false);
    }
    p.runs = out;
    p
}

/// Collapses whitespace across runs as HTML does: runs of spaces and
/// newlines become one space, none at the start or end of a line, and
/// adjacent runs of the same style merge.
fn collapse(mut runs: Vec<Inline>) -> Vec<Inline> {
    // In place: each run gives at most one, so the runs kept are written
    // over those already read (a new vector for each paragraph, grown a
    // run at a time, was a tenth of the markup's parse).
    let mut kept = 0;
    let mut pending_space = false;
    let mut at_line_start = true;
    for i in 0..runs.len() {
        match std::mem::replace(&mut runs[i], Inline::LineBreak) {
            Inline::LineBreak => {
                runs[kept] = Inline::LineBreak;
                kept += 1;
                pending_space = false;
                at_line_start = true;
            }
            Inline::Text { text, style } => {
                let Some(piece) = collapsed(text, &mut pending_space, &mut at_line_start) else {
                    continue;
                };
                match kept.checked_sub(1).map(|last| &mut runs[last]) {
                    Some(Inline::Text { text: t, style: s }) if *s == style => t.push_str(&piece),
                    _ => {
                        runs[kept] = Inline::Text { text: piece, style };
                        kept += 1;
                    }
                }
            }
        }
    }
    runs.truncate(kept);
    runs.shrink_to_fit();
    runs
}

/// Two spaces, searched for in every run of text: the searcher is built
/// once, as `memmem::find` builds one for each search.
static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));

/// One run's text with its whitespace collapsed, given the state the
/// runs before it left (a space pending, or the line just begun), which
/// it updates; `None` when it has no word. The text is copied a stretch
/// at a time between the places that change (a newline, a tab, two
/// spaces), and kept as it is, without a copy, when nothing changes:
/// most runs of a template's markup are words with single spaces.
fn collapsed(text: String, pending_space: &mut bool, at_line_start: &mut bool) -> Option<String> {
    let bytes = text.as_bytes();
    let Some(start) = bytes.iter().position(|&b| !is_collapsible_byte(b)) else {
        // No word: a space waits for the next one, if there was any.
        *pending_space |= !bytes.is_empty();
        return None;
    };
    let end = bytes
        .iter()
        .rposition(|&b| !is_collapsible_byte(b))
        .map_or(bytes.len(), |last| last + 1);
    let space_before = (*pending_space || start > 0) && !*at_line_start;
    *pending_space = end < bytes.len();
    *at_line_start = false;
    let inner = &bytes[start..end];
    // The places inside where whitespace is not a single space between
    // words: a newline, a tab or a carriage return, or two spaces, found
    // by memchr's vector search (a byte at a time was 2 % of a `check`),
    // each search kept until passed so that the text is searched once.
    let mut newline: Option<usize> = None;
    let mut double: Option<usize> = None;
    let mut changes = |from: usize| -> Option<(usize, usize)> {
        if newline.is_none_or(|at| at < from) {
            newline = memchr::memchr3(b'\n', b'\t', b'\r', &inner[from..])
                .map_or(Some(usize::MAX), |at| Some(from + at));
        }
        if double.is_none_or(|at| at < from) {
            double = DOUBLE_SPACE
                .find(&inner[from..])
                .map_or(Some(usize::MAX), |at| Some(from + at));
        }
        let at = newline
            .unwrap_or(usize::MAX)
            .min(double.unwrap_or(usize::MAX));
        if at == usize::MAX {
            return None;
        }
        // The whole stretch of whitespace around it: the stretch starts
        // after a word, as `from` is a word's first byte.
        let mut first = at;
        while first > from && is_collapsible_byte(inner[first - 1]) {
            first -= 1;
        }
        let mut past = at + 1;
        while past < inner.len() && is_collapsible_byte(inner[past]) {
            past += 1;
        }
        Some((first, past))
    };
    let first_change = if plain_spacing(inner) {
        None
    } else {
        changes(0)
    };
    if first_change.is_none() && !space_before && start == 0 && end == bytes.len() {
        return Some(text);
    }
    let mut out = String::with_capacity(end - start + 1);
    if space_before {
        out.push(' ');
    }
    // Cut only at ASCII whitespace, so every piece is whole UTF-8.
    let inner_text = &text[start..end];
    let mut copied = 0;
    let mut next = first_change;
    while let Some((from, to)) = next {
        out.push_str(&inner_text[copied..from]);
        out.push(' ');
        copied = to;
        next = changes(to);
    }
    out.push_str(&inner_text[copied..]);
    Some(out)
}

/// An attribute's number, as `str::parse::<f32>` reads it (spaces around
/// allowed). The templates' numbers are nearly all whole points or
/// millimetres of a few digits («16», «32»): those are read here digit by
/// digit, exactly (an integer below 10,000 is an exact `f32`); a
/// template's hundred thousand numbers in a `check` of 1000 protocols
/// took 9 M instructions through the float parser.
fn parse_number(v: &str) -> std::result::Result<f32, std::num::ParseFloatError> {
    let v = v.trim();
    if (1..=4).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(v.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')) as f32);
    }
    v.parse::<f32>()
}

/// True when `inner` has only single spaces for whitespace (no newline,
/// tab, carriage return or two spaces in a row), as nearly every run of
/// a template's markup: one pass without an early exit, which the
/// compiler turns into vector instructions, before the searches of
/// `collapsed` (each memchr call costs more than a short run's bytes).
fn plain_spacing(inner: &[u8]) -> bool {
    let breaks = inner
        .iter()
        .fold(false, |any, &b| any | matches!(b, b'\n' | b'\t' | b'\r'));
    let doubles = (inner.iter().zip(inner.iter().skip(1)))
        .fold(false, |any, (&a, &b)| any | ((a == b' ') & (b == b' ')));
    !breaks && !doubles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_files(name: &str) -> std::io::Result<Vec<u8>> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            name.to_owned(),
        ))
    }

    fn doc(body: &str) -> Document {
        parse(
            &format!("<document><section>{body}</section></document>"),
            &no_files,
        )
        .unwrap()
    }

    #[test]
    fn paragraph_whitespace_collapses_and_styles_split_runs() {
        let d = doc("<p>\n  Текст   <b>жирный</b>\n и&#160;далее </p>");
        let Block::Paragraph(p) = &d.sections[0].blocks[0] else {
            panic!()
        };
        assert_eq!(p.text(), "Текст жирный и\u{a0}далее");
        assert_eq!(p.runs.len(), 3);
        assert_eq!(p.align, Align::Justify);
        assert_eq!(p.first_line_mm, 12.5);
    }

    /// The collapse as it was written first, a word at a time: the
    /// stretch-at-a-time one must give the same runs.
    fn collapse_by_words(runs: Vec<Inline>) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        let mut pending_space = false;
        let mut at_line_start = true;
        for run in runs {
            match run {
                Inline::LineBreak => {
                    out.push(Inline::LineBreak);
                    pending_space = false;
                    at_line_start = true;
                }
                Inline::Text { text, style } => {
                    let mut buf = String::with_capacity(text.len());
                    for (k, word) in ascii_split(&text, is_collapsible_byte).enumerate() {
                        if k > 0 {
                            pending_space = true;
                        }
                        if word.is_empty() {
                            continue;
                        }
                        if pending_space && !at_line_start {
                            buf.push(' ');
                        }
                        pending_space = false;
                        at_line_start = false;
                        buf.push_str(word);
                    }
                    if buf.is_empty() {
                        continue;
                    }
                    match out.last_mut() {
                        Some(Inline::Text { text: t, style: s }) if *s == style => t.push_str(&buf),
                        _ => out.push(Inline::Text { text: buf, style }),
                    }
                }
            }
        }
        out.shrink_to_fit();
        out
    }

    #[test]
    fn numbers_read_by_digits_are_those_the_float_parser_reads() {
        let mut texts: Vec<String> = [
            "", " ", "0", "00", "0016", " 16 ", "1e3", "+5", "-5", "5.", ".5", "1 2", "١٢",
            "12345", "99999", "9999", "NaN", "inf",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        texts.extend((0..10_000).step_by(7).map(|n| n.to_string()));
        for t in &texts {
            assert_eq!(
                parse_number(t).map(f32::to_bits),
                t.trim().parse::<f32>().map(f32::to_bits),
                "{t:?}"
            );
        }
    }

    #[test]
    fn collapse_by_stretches_is_collapse_by_words() {
        let pieces = [
            "",
            " ",
            "  ",
            "\n",
            "\t",
            "\r\n  ",
            "а",
            "слово",
            "б в",
            "x  y",
            "z\nw",
            "ё\t \nж",
        ];
        let bold = RunStyle {
            bold: true,
            ..RunStyle::default()
        };
        let mut cases = 0;
        // Every sequence of up to three runs made of two pieces each, in
        // both styles, with and without a line break between.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in pieces {
                        for (k, e) in pieces.iter().enumerate() {
                            let second = format!("{c}{d}");
                            let mut runs = vec![
                                Inline::Text {
                                    text: format!("{a}{b}"),
                                    style: RunStyle::default(),
                                },
                                Inline::Text {
                                    text: second,
                                    style: if k % 2 == 0 {
                                        bold
                                    } else {
                                        RunStyle::default()
                                    },
                                },
                            ];
                            if k % 3 == 0 {
                                runs.push(Inline::LineBreak);
                            }
                            runs.push(Inline::Text {
                                text: format!("{e}{a}"),
                                style: RunStyle::default(),
                            });
                            assert_eq!(
                                collapse(runs.clone()),
                                collapse_by_words(runs.clone()),
                                "{runs:?}"
                            );
                            cases += 1;
                        }
                    }
                }
            }
        }
        assert!(cases > 10_000);
    }

    #[test]
    fn ascii_split_gives_the_pieces_of_a_split() {
        for text in ["", " ", "а  б\n\tв ", "  слово", "без пробелов", "\r\n"] {
            let ours: Vec<&str> = ascii_split(text, is_collapsible_byte).collect();
            let std: Vec<&str> = text.split(is_collapsible).collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn ends_with_colon_is_the_text_ending_in_a_colon() {
        let run = |t: &str| Inline::Text {
            text: t.to_owned(),
            style: RunStyle::default(),
        };
        let pieces = [
            "",
            " ",
            "РЕШИЛИ:",
            ":",
            ": ",
            "а",
            "\u{a0}",
            "x:\u{a0}",
            "\n",
        ];
        for a in pieces {
            for b in pieces {
                for br in [false, true] {
                    let mut runs = vec![run(a)];
                    if br {
                        runs.push(Inline::LineBreak);
                    }
                    runs.push(run(b));
                    let p = Paragraph {
                        runs,
                        ..Paragraph::plain()
                    };
                    assert_eq!(
                        ends_with_colon(&p),
                        p.text().trim_end().ends_with(':'),
                        "{:?}",
                        p.runs
                    );
                }
            }
        }
    }

    #[test]
    fn requisites_have_no_indent() {
        let d = doc(r#"<p align="center"><b>ПРОТОКОЛ</b></p>"#);
        let Block::Paragraph(p) = &d.sections[0].blocks[0] else {
            panic!()
        };
        assert_eq!(p.first_line_mm, 0.0);
        assert_eq!(p.align, Align::Center);
    }

    #[test]
    fn lists_tables_signatures_and_boxes() {
        let d = doc(concat!(
            r#"<list kind="numbered"><item label="2.1."><p>Пункт</p></item></list>"#,
            r#"<table widths="10 20"><row header="yes"><cell><p>№</p></cell><cell><p>Что</p></cell></row>"#,
            r#"<row><cell span="2"><p>Раздел</p></cell></row></table>"#,
            r#"<signature before="28"><line>Глава</line><line>округа</line><name>Э.В.&#160;Кондратов</name></signature>"#,
            r#"<box width="75"><p>Приложение</p></box><pagebreak/>"#,
        ));
        let b = &d.sections[0].blocks;
        let Block::List(l) = &b[0] else { panic!() };
        assert_eq!(l.items[0].label, "2.1.");
        let Block::Table(t) = &b[1] else { panic!() };
        assert!(t.rows[0].header);
        assert_eq!(t.rows[1].cells[0].colspan, 2);
        let Block::Signature(s) = &b[2] else { panic!() };
        assert_eq!(s.position.len(), 2);
        assert_eq!(s.name, "Э.В.\u{a0}Кондратов");
        assert!(matches!(b[3], Block::RequisiteBox(_)));
        assert!(matches!(b[4], Block::PageBreak));
    }

    #[test]
    fn labels_and_the_text_above_a_signature_keep_with_what_follows() {
        let d = doc(concat!(
            "<p>РЕШИЛИ:</p><p>Текст.</p><p>Последний абзац.</p>",
            "<signature><line>Председатель</line><name>А.Б. Иванов</name></signature>",
            "<signature><line>Секретарь</line><name>В.Г. Петрова</name></signature>",
        ));
        let b = &d.sections[0].blocks;
        let keeps: Vec<bool> = b
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.keep_with_next,
                Block::Signature(s) => s.keep_with_next,
                _ => false,
            })
            .collect();
        assert_eq!(keeps, vec![true, false, true, true, false]);
    }

    #[test]
    fn errors_name_the_line_and_what_is_allowed() {
        let e = parse(
            "<document>\n<section>\n<para/></section></document>",
            &no_files,
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("<para>"), "{}", e.message);
        let e = parse("<document><section><p>a<p>", &no_files).unwrap_err();
        assert!(e.message.contains("неверный XML"));
        let e = parse(r#"<document><section><table widths="10 20"><row><cell><p/></cell></row></table></section></document>"#, &no_files).unwrap_err();
        assert!(e.message.contains("1 ячеек, а столбцов 2"));
    }

    #[test]
    fn headings_and_points_are_marked_and_the_number_is_printed() {
        let d = doc(concat!(
            r#"<p align="center" heading="1"><b>ПОСТАНОВЛЕНИЕ</b></p>"#,
            r#"<p point="1.1."><i>Отделу:</i> подготовить план.</p>"#,
            r#"<p>Текст.</p>"#,
        ));
        let roles: Vec<&Role> = d.sections[0]
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => &p.role,
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            roles,
            [
                &Role::Heading(1),
                &Role::Point {
                    label: "1.1.".into()
                },
                &Role::Text
            ]
        );
        let Block::Paragraph(p) = &d.sections[0].blocks[1] else {
            panic!()
        };
        assert_eq!(p.text(), "1.1. Отделу: подготовить план.");
        // The number is plain text even before an italic addressee.
        assert!(
            matches!(&p.runs[0], Inline::Text { text, style } if text.starts_with("1.1.") && !style.italic)
        );
        for (bad, says) in [
            (
                r#"<p heading="3">x</p>"#,
                "heading=\"3\": ожидалось 1 или 2",
            ),
            (r#"<p point=" ">x</p>"#, "номер пункта пуст"),
            (
                r#"<p heading="1" point="1.">x</p>"#,
                "либо заголовок, либо пункт",
            ),
        ] {
            let e = parse(
                &format!("<document><section>{bad}</section></document>"),
                &no_files,
            )
            .unwrap_err();
            assert!(e.message.contains(says), "{}", e.message);
        }
    }
}
