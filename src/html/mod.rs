//! The HTML backend: a [`Document`] as one self-contained HTML5 file, for
//! a website (Russian public bodies publish their acts, accessibly) and for
//! reading on a phone.
//!
//! The page keeps the document's structure rather than its pages: the kind
//! and the title are one `<h1>`, appendix and item titles `<h2>`, numbered
//! points an `<ol>` nested by the depth of their numbers, which stay the
//! printed ones («2.1.»), tables have a `<thead>` with `scope`, the grif and
//! the signature are marked blocks with a name for screen readers. The
//! typography is the tree's (no-break spaces, «» quotes, the letter-spaced
//! word kept as one word). The style sheet is embedded; so are pictures,
//! as `data:` URIs, so the file works alone. Its print rules give A4 pages
//! with the margins of each section, generated from the tree.
//!
//! [`site`] writes the folder's `index.html`.

pub mod site;

use crate::document::{
    Align, Block, CELL_PADDING_MM, Cell, Document, ImageFormat, ImagePlacement, Inline,
    LETTER_SPACING_PT, List, ListKind, Margins, Orientation, Paragraph, RULE_GAP_PT, RULE_WIDTH_PT,
    RequisiteBox, Role, RunStyle, Section, Signature, Spread, TABLE_RULE_PT, Table,
};
use base64::Engine as _;
use std::fmt::Write as _;

/// The style sheet both the documents and the index share.
const COMMON_CSS: &str = include_str!("common.css");
/// The documents' own rules.
const DOCUMENT_CSS: &str = include_str!("document.css");

/// The document as an HTML5 page, UTF-8. The same tree gives the same
/// bytes.
pub fn render(doc: &Document) -> Vec<u8> {
    let mut out = String::with_capacity(16 * 1024);
    let title = if doc.meta.title.trim().is_empty() {
        "Документ"
    } else {
        doc.meta.title.as_str()
    };
    out.push_str("<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    for (name, value) in [
        ("author", &doc.meta.author),
        ("description", &doc.meta.subject),
        ("dcterms.date", &doc.meta.date),
    ] {
        if !value.trim().is_empty() {
            let _ = writeln!(out, "<meta name=\"{name}\" content=\"{}\">", escape(value));
        }
    }
    out.push_str("<style>\n");
    out.push_str(COMMON_CSS);
    out.push_str(DOCUMENT_CSS);
    out.push_str(&generated_css(doc));
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    // The page's outline starts at <h1>: an approved plan, whose title is
    // an appendix's (level 2), has it as its <h1>.
    let shift = top_heading(doc).map_or(0, |top| top - 1);
    for (k, section) in doc.sections.iter().enumerate() {
        let _ = writeln!(out, "<section class=\"sheet sheet-{k}\">");
        Writer {
            out: &mut out,
            shift,
        }
        .blocks(&section.blocks);
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out.into_bytes()
}

/// Text for HTML, in content or in a quoted attribute: `& < > " '`
/// escaped; control characters other than a tab or a line feed, which
/// HTML does not allow, dropped.
pub(crate) fn escape(text: &str) -> String {
    let clean: std::borrow::Cow<str> = if text
        .chars()
        .any(|c| c.is_control() && c != '\t' && c != '\n')
    {
        text.chars()
            .filter(|&c| !c.is_control() || c == '\t' || c == '\n')
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    quick_xml::escape::escape(clean).into_owned()
}

/// A number for CSS: at most two decimals, no trailing zeros.
fn num(x: f32) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The page box of a section: `size` and `margin` of an `@page` rule.
fn page_box(orientation: Orientation, m: &Margins) -> String {
    let size = match orientation {
        Orientation::Portrait => "A4 portrait",
        Orientation::Landscape => "A4 landscape",
    };
    format!(
        "size: {size}; margin: {}mm {}mm {}mm {}mm;",
        num(m.top),
        num(m.right),
        num(m.bottom),
        num(m.left)
    )
}

/// The rules that depend on the document: the font and sizes of its text
/// style, the letter-spacing, and for each section its width on screen and
/// its page in print (A4, upright or turned, with the section's margins;
/// the house portrait page is the default `@page`).
fn generated_css(doc: &Document) -> String {
    let mut css = String::new();
    // A family name from a profile goes into a CSS string: only letters,
    // digits, spaces and hyphens, so it can never end the string or the
    // style element.
    let font: String = doc
        .style
        .font
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-')
        .collect();
    let _ = writeln!(
        css,
        "body {{ font-family: \"{font}\", \"Liberation Serif\", \"Times New Roman\", Times, serif; font-size: {}pt; }}",
        num(doc.style.body_pt)
    );
    // The page facts both page backends share (document.rs).
    let _ = writeln!(
        css,
        "td, th {{ font-size: {}pt; padding-left: {pad}mm; padding-right: {pad}mm; }}\n\
         .spaced {{ letter-spacing: {}pt; }}\n\
         .rule {{ border-bottom: {}pt solid currentColor; padding-bottom: {}pt; }}\n\
         @media print {{ th, td {{ border: {}pt solid #000; }} }}",
        num(doc.style.table_pt),
        num(LETTER_SPACING_PT),
        num(RULE_WIDTH_PT),
        num(RULE_GAP_PT),
        num(TABLE_RULE_PT),
        pad = num(CELL_PADDING_MM)
    );
    let _ = writeln!(
        css,
        "@page {{ {} }}",
        page_box(Orientation::Portrait, &Margins::PORTRAIT)
    );
    for (k, section) in doc.sections.iter().enumerate() {
        let _ = writeln!(
            css,
            ".sheet-{k} {{ max-width: {}mm; }}",
            num(section.text_width_mm())
        );
        if !is_default_page(section) {
            let _ = writeln!(
                css,
                "@page sheet-{k} {{ {} }}\n@media print {{ .sheet-{k} {{ page: sheet-{k}; }} }}",
                page_box(section.orientation, &section.margins)
            );
        }
    }
    css
}

fn is_default_page(section: &Section) -> bool {
    section.orientation == Orientation::Portrait && section.margins == Margins::PORTRAIT
}

/// The CSS class of an alignment.
fn align_class(align: Align) -> &'static str {
    match align {
        Align::Left => "l",
        Align::Center => "c",
        Align::Right => "r",
        Align::Justify => "j",
    }
}

/// The depth of a point's number: «1.» is 1, «2.1.» 2, «3.2.1.» 3; a
/// label without digits («а)») is 1.
fn depth(label: &str) -> usize {
    label
        .split(['.', ')'])
        .filter(|part| !part.trim().is_empty())
        .count()
        .max(1)
}

/// `runs` without their first `chars` characters (a point's printed
/// number and its space, which the page shows in a label of its own).
fn strip_chars(runs: &[Inline], mut chars: usize) -> Vec<Inline> {
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        match run {
            Inline::Text { text, style } if chars > 0 => {
                let len = text.chars().count();
                if len <= chars {
                    chars -= len;
                } else {
                    let rest: String = text.chars().skip(chars).collect();
                    chars = 0;
                    out.push(Inline::Text {
                        text: rest,
                        style: *style,
                    });
                }
            }
            _ => out.push(run.clone()),
        }
    }
    out
}

/// The runs of a point without its number, when they start with it (the
/// markup prints `label` and one space before the text).
fn point_body(p: &Paragraph, label: &str) -> Vec<Inline> {
    let text = p.text();
    let Some(rest) = text.strip_prefix(label) else {
        return p.runs.clone();
    };
    let space = rest.starts_with([' ', '\u{a0}']) as usize;
    strip_chars(&p.runs, label.chars().count() + space)
}

/// The highest level (the smallest number) of a heading in the document.
fn top_heading(doc: &Document) -> Option<u8> {
    fn walk(blocks: &[Block], top: &mut Option<u8>) {
        for block in blocks {
            match block {
                Block::Paragraph(Paragraph {
                    role: Role::Heading(level),
                    ..
                }) => *top = Some(top.map_or(*level, |t| t.min(*level))),
                Block::Table(t) => {
                    for (_, rows) in t.row_slices() {
                        for cell in rows.iter().flat_map(|r| &r.cells) {
                            walk(&cell.blocks, top);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut top = None;
    for section in &doc.sections {
        walk(&section.blocks, &mut top);
    }
    top.map(|t| t.max(1))
}

struct Writer<'a> {
    out: &'a mut String,
    /// Levels to raise every heading by, so that the first is an <h1>.
    shift: u8,
}

impl Writer<'_> {
    fn blocks(&mut self, blocks: &[Block]) {
        let mut i = 0;
        while i < blocks.len() {
            match &blocks[i] {
                Block::Paragraph(p) => match &p.role {
                    Role::Heading(level) => {
                        let level = *level;
                        let run = consecutive(&blocks[i..], |p| p.role == Role::Heading(level));
                        self.heading((level - self.shift.min(level - 1)).clamp(1, 6), &run);
                        i += run.len();
                    }
                    Role::Point { .. } => {
                        let run =
                            consecutive(&blocks[i..], |p| matches!(p.role, Role::Point { .. }));
                        self.points(&run);
                        i += run.len();
                    }
                    Role::Text => {
                        self.paragraph(p, "p", "");
                        i += 1;
                    }
                },
                Block::List(list) => {
                    self.list(list);
                    i += 1;
                }
                Block::Table(table) => {
                    self.table(table);
                    i += 1;
                }
                Block::Signature(s) => {
                    self.signature(s);
                    i += 1;
                }
                Block::Spread(s) => {
                    self.spread(s);
                    i += 1;
                }
                Block::RequisiteBox(b) => {
                    self.requisite_box(b);
                    i += 1;
                }
                Block::PageBreak => {
                    self.out.push_str("<hr class=\"page-break\">\n");
                    i += 1;
                }
                Block::Image(image) => {
                    self.image(image);
                    i += 1;
                }
                Block::Qr(qr) => {
                    self.qr(qr);
                    i += 1;
                }
            }
        }
    }

    /// The paragraph's box: alignment class and the spacing, indents and
    /// size the tree gives, as a `class` and a `style` attribute.
    fn paragraph_attrs(&mut self, p: &Paragraph, extra_class: &str) {
        let mut class = String::from(align_class(p.align));
        if p.hyphenated() {
            class.push_str(" hy");
        }
        if p.keep_with_next {
            class.push_str(" keep");
        }
        if p.rule_below {
            class.push_str(" rule");
        }
        if !extra_class.is_empty() {
            class.push(' ');
            class.push_str(extra_class);
        }
        let _ = write!(self.out, " class=\"{class}\"");
        let mut style = String::new();
        if p.first_line_mm != 0.0 {
            let _ = write!(style, "text-indent:{}mm;", num(p.first_line_mm));
        }
        if p.left_mm != 0.0 {
            let _ = write!(style, "margin-left:{}mm;", num(p.left_mm));
        }
        if p.space_before_pt != 0.0 {
            let _ = write!(style, "margin-top:{}pt;", num(p.space_before_pt));
        }
        if p.space_after_pt != 0.0 {
            let _ = write!(style, "margin-bottom:{}pt;", num(p.space_after_pt));
        }
        if let Some(size) = p.size_pt {
            let _ = write!(style, "font-size:{}pt;", num(size));
        }
        if let Some(width) = p.width_mm {
            let _ = write!(style, "max-width:{}mm;", num(width));
        }
        if !style.is_empty() {
            let _ = write!(self.out, " style=\"{style}\"");
        }
    }

    /// One paragraph as the element `tag`.
    fn paragraph(&mut self, p: &Paragraph, tag: &str, extra_class: &str) {
        let _ = write!(self.out, "<{tag}");
        self.paragraph_attrs(p, extra_class);
        self.out.push('>');
        if p.runs.is_empty() {
            // An empty paragraph is a blank line on the page.
            self.out.push_str("<br>");
        } else {
            self.runs(&p.runs);
        }
        let _ = writeln!(self.out, "</{tag}>");
    }

    /// Consecutive heading paragraphs of one level: one heading, a line
    /// each («ПРОТОКОЛ» / «рабочего совещания»), so that it reads as the
    /// one title it is.
    fn heading(&mut self, level: u8, paragraphs: &[&Paragraph]) {
        let _ = writeln!(self.out, "<h{level}>");
        for p in paragraphs {
            self.paragraph(p, "span", "line");
        }
        let _ = writeln!(self.out, "</h{level}>");
    }

    /// Consecutive numbered points as nested ordered lists, each item
    /// showing its printed number.
    fn points(&mut self, paragraphs: &[&Paragraph]) {
        // The depth of each open list.
        let mut open: Vec<usize> = Vec::new();
        for p in paragraphs {
            let Role::Point { label } = &p.role else {
                continue;
            };
            let d = depth(label);
            while open.last().is_some_and(|&top| top > d) {
                self.out.push_str("</li>\n</ol>\n");
                open.pop();
            }
            match open.last() {
                Some(&top) if top == d => self.out.push_str("</li>\n"),
                // Deeper: a list inside the open item (or the first list).
                _ => {
                    self.out.push_str("<ol class=\"points\">\n");
                    open.push(d);
                }
            }
            self.out.push_str("<li>");
            let body = Paragraph {
                runs: point_body(p, label),
                ..(*p).clone()
            };
            let _ = write!(self.out, "<p");
            self.paragraph_attrs(&body, "");
            let _ = write!(self.out, "><span class=\"label\">{}</span> ", escape(label));
            self.runs(&body.runs);
            self.out.push_str("</p>");
        }
        for _ in open {
            self.out.push_str("</li>\n</ol>\n");
        }
    }

    fn list(&mut self, list: &List) {
        let tag = match list.kind {
            ListKind::Bullet => "ul",
            ListKind::Numbered => "ol",
        };
        let _ = writeln!(self.out, "<{tag} class=\"items\">");
        for item in &list.items {
            self.out.push_str("<li>");
            for (k, p) in item.paragraphs.iter().enumerate() {
                let _ = write!(self.out, "<p");
                self.paragraph_attrs(p, "");
                self.out.push('>');
                if k == 0 {
                    // A dash says nothing to a screen reader; a number does.
                    let hidden = if list.kind == ListKind::Bullet {
                        " aria-hidden=\"true\""
                    } else {
                        ""
                    };
                    let _ = write!(
                        self.out,
                        "<span class=\"label\"{hidden}>{}</span> ",
                        escape(&item.label)
                    );
                }
                self.runs(&p.runs);
                self.out.push_str("</p>");
            }
            self.out.push_str("</li>\n");
        }
        let _ = writeln!(self.out, "</{tag}>");
    }

    fn table(&mut self, table: &Table) {
        let total: f32 = table.columns_mm.iter().sum();
        // Wide tables scroll sideways on a phone; a region that scrolls
        // must be reachable from the keyboard and named.
        self.out.push_str(
            "<div class=\"table-wrap\" role=\"region\" aria-label=\"Таблица\" tabindex=\"0\">\n<table>\n<colgroup>",
        );
        for w in &table.columns_mm {
            let share = if total > 0.0 { w / total * 100.0 } else { 0.0 };
            let _ = write!(self.out, "<col style=\"width:{}%\">", num(share));
        }
        self.out.push_str("</colgroup>\n");
        let mut placer = table.slot_placer();
        // Header rows come first, and stored rows are never header rows.
        let head_rows = table.rows.iter().take_while(|r| r.header).count();
        let row_count = table.row_count();
        for (first, rows) in table.row_slices() {
            for (i, row) in rows.iter().enumerate() {
                let r = first + i;
                let slots = placer.place(r, row);
                if r == 0 && head_rows > 0 {
                    self.out.push_str("<thead>\n");
                }
                if r == head_rows {
                    self.out.push_str("<tbody>\n");
                }
                self.out.push_str("<tr>");
                for slot in slots.iter().filter(|s| !s.continued) {
                    let Some(cell) = row.cells.get(slot.cell) else {
                        continue;
                    };
                    let rowspan = cell.rowspan.max(1).min(row_count - r);
                    self.cell(cell, row.header, slot.colspan, rowspan);
                }
                self.out.push_str("</tr>\n");
                if r + 1 == head_rows {
                    self.out.push_str("</thead>\n");
                }
            }
        }
        if head_rows < row_count {
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n</div>\n");
    }

    fn cell(&mut self, cell: &Cell, header: bool, colspan: usize, rowspan: usize) {
        let tag = if header { "th" } else { "td" };
        let _ = write!(self.out, "<{tag}");
        if header {
            let scope = if colspan > 1 { "colgroup" } else { "col" };
            let _ = write!(self.out, " scope=\"{scope}\"");
        }
        if colspan > 1 {
            let _ = write!(self.out, " colspan=\"{colspan}\"");
        }
        if rowspan > 1 {
            let _ = write!(self.out, " rowspan=\"{rowspan}\"");
        }
        self.out.push('>');
        self.blocks(&cell.blocks);
        let _ = writeln!(self.out, "</{tag}>");
    }

    fn signature(&mut self, s: &Signature) {
        self.out
            .push_str("<div class=\"signature\" role=\"group\" aria-label=\"Подпись\"");
        if s.space_before_pt != 0.0 {
            let _ = write!(
                self.out,
                " style=\"margin-top:{}pt\"",
                num(s.space_before_pt)
            );
        }
        self.out.push_str(">\n<p class=\"position\">");
        for (k, line) in s.position.iter().enumerate() {
            if k > 0 {
                self.out.push_str("<br>");
            }
            self.runs(line);
        }
        self.out.push_str("</p>\n");
        if let Some(mark) = &s.electronic {
            // In the place of the handwritten signature, as on paper.
            self.out.push_str(
                "<div class=\"esign\" role=\"note\" aria-label=\"Отметка об электронной подписи\">\n",
            );
            for line in &mark.heading {
                let _ = writeln!(self.out, "<p class=\"c\"><b>{}</b></p>", escape(line));
            }
            for line in &mark.lines {
                let _ = writeln!(self.out, "<p>{}</p>", escape(line));
            }
            self.out.push_str("</div>\n");
        }
        let _ = writeln!(
            self.out,
            "<p class=\"name\">{}</p>\n</div>",
            escape(&s.name)
        );
    }

    fn spread(&mut self, s: &Spread) {
        self.out.push_str("<p class=\"spread\"");
        let mut style = String::new();
        if s.space_before_pt != 0.0 {
            let _ = write!(style, "margin-top:{}pt;", num(s.space_before_pt));
        }
        if s.space_after_pt != 0.0 {
            let _ = write!(style, "margin-bottom:{}pt;", num(s.space_after_pt));
        }
        if !style.is_empty() {
            let _ = write!(self.out, " style=\"{style}\"");
        }
        self.out.push('>');
        for (part, class) in s.parts().into_iter().zip(["left", "center", "right"]) {
            let _ = write!(self.out, "<span class=\"{class}\">");
            self.runs(part);
            // A space between the parts, for reading them as text.
            self.out.push_str("</span> ");
        }
        self.out.push_str("</p>\n");
    }

    fn requisite_box(&mut self, b: &RequisiteBox) {
        let first = b.paragraphs.first().map(|p| p.text()).unwrap_or_default();
        let label = if first.trim_start().to_lowercase().starts_with("приложение") {
            "Отметка о приложении"
        } else {
            "Гриф"
        };
        let _ = writeln!(
            self.out,
            "<div class=\"grif\" role=\"note\" aria-label=\"{label}\" style=\"width:{}mm\">",
            num(b.width_mm)
        );
        for p in &b.paragraphs {
            self.paragraph(p, "p", "");
        }
        self.out.push_str("</div>\n");
    }

    fn image(&mut self, image: &crate::document::Image) {
        let mime = match ImageFormat::sniff(&image.data) {
            Some(ImageFormat::Png) => "image/png",
            Some(ImageFormat::Jpeg) => "image/jpeg",
            // The markup takes PNG and JPEG only; anything else shows
            // nothing rather than a broken picture.
            None => return,
        };
        let alt = match image.placement {
            ImagePlacement::PageTop { .. } => "Герб",
            ImagePlacement::Inline => "Изображение",
        };
        let _ = writeln!(
            self.out,
            "<p class=\"figure {}\"><img src=\"data:{mime};base64,{}\" alt=\"{alt}\" style=\"width:{}mm;height:{}mm\"></p>",
            align_class(image.align),
            base64::engine::general_purpose::STANDARD.encode(&image.data),
            num(image.width_mm),
            num(image.height_mm)
        );
    }

    /// The QR-code requisite: the same symbol as on paper, as a picture
    /// whose text alternative is what it encodes; a web address is also
    /// a link, which on a screen is what the code is for.
    fn qr(&mut self, qr: &crate::document::QrCode) {
        let Ok(symbol) = crate::qr::encode(&qr.text) else {
            return;
        };
        let png = crate::qr::png(&symbol);
        let _ = write!(
            self.out,
            "<p class=\"qr\"><img src=\"data:image/png;base64,{}\" alt=\"QR-код: {}\" style=\"width:{size}mm;height:{size}mm\">",
            base64::engine::general_purpose::STANDARD.encode(&png),
            escape(&qr.text),
            size = num(qr.size_mm)
        );
        let lower = qr.text.trim().to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            let _ = write!(
                self.out,
                "<br><a href=\"{0}\">{0}</a>",
                escape(qr.text.trim())
            );
        }
        self.out.push_str("</p>\n");
    }

    /// Inline runs: bold, italic and underline as `<b>`, `<i>`, `<u>` (they
    /// are the document's typography, not emphasis), the letter-spaced
    /// word in a span that keeps it one word.
    fn runs(&mut self, runs: &[Inline]) {
        for run in runs {
            match run {
                Inline::LineBreak => self.out.push_str("<br>"),
                Inline::Text { text, style } => self.text(text, *style),
            }
        }
    }

    fn text(&mut self, text: &str, style: RunStyle) {
        let mut close = Vec::new();
        for (on, open, end) in [
            (style.bold, "<b>", "</b>"),
            (style.italic, "<i>", "</i>"),
            (style.underline, "<u>", "</u>"),
            (style.spaced, "<span class=\"spaced\">", "</span>"),
            (style.nohyphen, "<span class=\"nh\">", "</span>"),
        ] {
            if on {
                self.out.push_str(open);
                close.push(end);
            }
        }
        self.out.push_str(&escape(text));
        for end in close.into_iter().rev() {
            self.out.push_str(end);
        }
    }
}

/// The paragraphs at the start of `blocks` that `matches` accepts.
fn consecutive(blocks: &[Block], matches: impl Fn(&Paragraph) -> bool) -> Vec<&Paragraph> {
    blocks
        .iter()
        .map_while(|b| match b {
            Block::Paragraph(p) if matches(p) => Some(p),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Meta;

    fn point(label: &str, text: &str) -> Block {
        Block::Paragraph(Paragraph {
            role: Role::Point {
                label: label.into(),
            },
            ..Paragraph::from_text(&format!("{label} {text}"))
        })
    }

    fn html(blocks: Vec<Block>) -> String {
        let doc = Document::single_section(Meta::default(), Orientation::Portrait, blocks);
        String::from_utf8(render(&doc)).unwrap()
    }

    #[test]
    fn points_nest_by_the_depth_of_their_numbers_and_keep_them() {
        let page = html(vec![
            point("1.", "Первый."),
            point("2.", "Второй:"),
            point("2.1.", "его первый;"),
            point("2.2.", "его второй."),
            point("3.", "Третий."),
        ]);
        let body = &page[page.find("<main>").unwrap()..];
        assert_eq!(body.matches("<ol class=\"points\">").count(), 2, "{body}");
        assert!(body.contains("<span class=\"label\">2.1.</span> его первый;"));
        // The number is shown once, not again in the text.
        assert!(!body.contains("2.1. его"), "{body}");
        // «2.» holds the inner list; «3.» follows it at the top level.
        let inner = body.find("2.1.").unwrap();
        let outer_item = body.find("<span class=\"label\">2.</span>").unwrap();
        let third = body.find("<span class=\"label\">3.</span>").unwrap();
        assert!(outer_item < inner && inner < third);
        assert!(body[inner..third].contains("</ol>\n</li>\n<li>"), "{body}");
        assert_eq!(depth("3.2.1."), 3);
        assert_eq!(depth("а)"), 1);
    }

    #[test]
    fn consecutive_headings_are_one_heading() {
        let heading = |text: &str| {
            Block::Paragraph(Paragraph {
                role: Role::Heading(1),
                ..Paragraph::from_text(text)
            })
        };
        let page = html(vec![
            heading("ПРОТОКОЛ"),
            heading("рабочего совещания"),
            Block::Paragraph(Paragraph::from_text("Текст.")),
        ]);
        assert_eq!(page.matches("<h1>").count(), 1);
        let h1 = &page[page.find("<h1>").unwrap()..page.find("</h1>").unwrap()];
        assert!(h1.contains("ПРОТОКОЛ") && h1.contains("рабочего совещания"));
        assert!(!h1.contains("Текст"));
    }

    #[test]
    fn the_print_pages_come_from_the_sections_margins() {
        let mut doc = Document::single_section(Meta::default(), Orientation::Portrait, vec![]);
        doc.sections.push(Section {
            orientation: Orientation::Landscape,
            margins: Margins::LANDSCAPE,
            blocks: vec![],
        });
        let css = generated_css(&doc);
        let m = Margins::PORTRAIT;
        assert!(css.contains(&format!(
            "@page {{ size: A4 portrait; margin: {}mm {}mm {}mm {}mm; }}",
            num(m.top),
            num(m.right),
            num(m.bottom),
            num(m.left)
        )));
        let m = Margins::LANDSCAPE;
        assert!(css.contains(&format!(
            "@page sheet-1 {{ size: A4 landscape; margin: {}mm {}mm {}mm {}mm; }}",
            num(m.top),
            num(m.right),
            num(m.bottom),
            num(m.left)
        )));
        assert!(!css.contains("@page sheet-0"));
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(20.0), "20");
    }

    #[test]
    fn escaping_covers_markup_and_quotes_and_drops_control_characters() {
        assert_eq!(
            escape("<a href='x' title=\"y\">&\u{7}"),
            "&lt;a href=&apos;x&apos; title=&quot;y&quot;&gt;&amp;"
        );
    }
}
