//! Every header variant, grif form and enacting form of an act, as the
//! DOCX holds it (text, alignment, tabs, line breaks) and where our PDF
//! puts it (within 1 mm of `../shared/LAYOUT.md` §4 and §6).

mod common;
use common::*;
use gostdoc::build::{self, Format};
use gostdoc::pdf::PdfOptions;
use std::path::Path;
use std::process::Command;

/// The kind of the documents below, unless a test says otherwise.
const KIND: &str = "rasporyazhenie";

/// An act of `kind` with `options`, more `[act]` keys and more sections
/// (`tail`: points, appendices). Its title is two lines as written.
fn act(kind: &str, options: &str, act_keys: &str, tail: &str) -> String {
    format!(
        r#"kind = "{kind}"

[organization]
name = "Администрация Заречного муниципального округа"
header = ["АДМИНИСТРАЦИЯ", "ЗАРЕЧНОГО МУНИЦИПАЛЬНОГО ОКРУГА"]
city = "г. Заречный"
issuer_genitive = "администрации Заречного округа"

[options]
{options}

[act]
date = 2024-03-05
number = "45-р"
title = """
О проведении месячника
по благоустройству"""
preamble = "В целях улучшения санитарного состояния территории округа"
{act_keys}

[[point]]
text = "Провести месячник по благоустройству."

[[point]]
text = "Контроль за исполнением оставляю за собой."

[[signature]]
position = "Глава округа"
person = "Белов А.В."
{tail}"#
    )
}

/// A document built to DOCX (its paragraphs) and PDF (its lines).
struct Built {
    /// `word/document.xml`.
    xml: String,
    paragraphs: Vec<Para>,
    pages: Vec<Vec<Line>>,
}

impl Built {
    /// Builds `text` written to `dir/data/d.toml`; a build warning fails.
    fn new(dir: &Path, text: &str) -> Built {
        let input = write_temp(dir, "data/d.toml", text.as_bytes());
        let r = build::render_formats(
            &input,
            &templates(),
            &[Format::Docx, Format::Pdf],
            &PdfOptions::default(),
        )
        .unwrap_or_else(|d| panic!("{d}\n{text}"));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        let mut files = r.files.into_iter();
        let docx = files.next().unwrap().1;
        let pdf = write_temp(dir, "d.pdf", &files.next().unwrap().1);
        let xml = part(&docx, "word/document.xml");
        Built {
            paragraphs: paragraphs(&xml),
            xml,
            pages: lines(&pdf),
        }
    }

    /// The DOCX paragraph whose text (no-break spaces as spaces) is `text`.
    fn para(&self, text: &str) -> &Para {
        self.paragraphs
            .iter()
            .find(|p| p.text == text)
            .unwrap_or_else(|| panic!("no paragraph «{text}» in {:#?}", self.paragraphs))
    }

    /// The index of the paragraph `text`.
    fn index(&self, text: &str) -> usize {
        self.paragraphs
            .iter()
            .position(|p| p.text == text)
            .unwrap_or_else(|| panic!("no paragraph «{text}» in {:#?}", self.paragraphs))
    }

    /// The PDF line whose text is `text`, and its page (0-based).
    fn line(&self, text: &str) -> (usize, &Line) {
        self.pages
            .iter()
            .enumerate()
            .find_map(|(n, page)| page.iter().find(|l| l.text() == text).map(|l| (n, l)))
            .unwrap_or_else(|| panic!("no line «{text}» in {:#?}", self.texts()))
    }

    /// Every PDF line's text, page by page.
    fn texts(&self) -> Vec<Vec<String>> {
        self.pages
            .iter()
            .map(|p| p.iter().map(Line::text).collect())
            .collect()
    }
}

/// A DOCX paragraph: its text (a tab as `\t`, a line break as `\n`,
/// no-break spaces as spaces), alignment, left indent and tab stops.
#[derive(Debug)]
struct Para {
    text: String,
    /// The text as written, no-break spaces kept.
    raw: String,
    /// `w:jc`: `left`, `center`, `both`, `right`; `None` when not set.
    jc: Option<String>,
    /// `w:ind w:left`, twips.
    left: i64,
    /// `w:ind w:firstLine`, twips.
    first_line: i64,
    /// `w:tabs`: (`w:val`, `w:pos`).
    tabs: Vec<(String, i64)>,
    /// `w:pStyle`.
    style: Option<String>,
    /// Never hyphenated: the requisite style («Реквизит», which suppresses
    /// hyphenation) or `w:suppressAutoHyphens` of its own.
    unhyphenated: bool,
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Every paragraph of `word/document.xml`, in order.
fn paragraphs(xml: &str) -> Vec<Para> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            let mut text = String::new();
            for n in p.descendants() {
                match n.tag_name().name() {
                    "t" => text.push_str(n.text().unwrap_or_default()),
                    "tab" if n.parent().is_some_and(|r| r.has_tag_name((W, "r"))) => {
                        text.push('\t')
                    }
                    "br" => text.push('\n'),
                    _ => {}
                }
            }
            let ppr = p.children().find(|n| n.has_tag_name((W, "pPr")));
            let child =
                |name: &str| ppr.and_then(|r| r.children().find(|n| n.has_tag_name((W, name))));
            let num = |n: Option<roxmltree::Node>, a: &str| {
                n.and_then(|n| n.attribute((W, a)))
                    .map_or(0, |v| v.parse::<i64>().unwrap())
            };
            Para {
                text: text.replace('\u{a0}', " "),
                raw: text,
                jc: child("jc")
                    .and_then(|n| n.attribute((W, "val")))
                    .map(str::to_owned),
                left: num(child("ind"), "left"),
                first_line: num(child("ind"), "firstLine"),
                tabs: child("tabs")
                    .map(|t| {
                        t.children()
                            .filter(|n| n.has_tag_name((W, "tab")))
                            .map(|n| {
                                (
                                    n.attribute((W, "val")).unwrap().to_owned(),
                                    num(Some(n), "pos"),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                style: child("pStyle")
                    .and_then(|n| n.attribute((W, "val")))
                    .map(str::to_owned),
                unhyphenated: child("pStyle")
                    .and_then(|n| n.attribute((W, "val")))
                    .is_some_and(|s| s == "Requisite")
                    || child("suppressAutoHyphens").is_some(),
            }
        })
        .collect()
}

/// mm → twips.
fn twips(mm: f32) -> i64 {
    (mm / 25.4 * 1440.0).round() as i64
}

/// A word of the PDF and its box, mm from the page's top left corner.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f32,
    x1: f32,
    top: f32,
}

/// A line of the PDF: the words side by side, left to right.
#[derive(Debug)]
struct Line {
    words: Vec<Word>,
    /// The top of its first word's box, mm from the page's top edge.
    top_mm: f32,
}

impl Line {
    /// The words, one space between them.
    fn text(&self) -> String {
        self.words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Left edge of the first word, mm.
    fn left(&self) -> f32 {
        self.words[0].x0
    }

    /// Right edge of the last word, mm.
    fn right(&self) -> f32 {
        self.words[self.words.len() - 1].x1
    }

    /// The middle of the line, mm.
    fn centre(&self) -> f32 {
        (self.left() + self.right()) / 2.0
    }
}

/// The lines of every page of a PDF, from its words' boxes
/// (`pdftotext -bbox`): words whose tops are within 1 mm make a line.
fn lines(pdf: &Path) -> Vec<Vec<Line>> {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils): run scripts/test.sh");
    let xml = String::from_utf8_lossy(&out.stdout);
    let mm = |v: &str| v.parse::<f32>().unwrap() * 25.4 / 72.0;
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        mm(&tag[at..at + tag[at..].find('"').unwrap()])
    };
    xml.split("<page ")
        .skip(1)
        .map(|page| {
            let mut words: Vec<Word> = page
                .split("<word ")
                .skip(1)
                .map(|w| {
                    let (tag, rest) = w.split_once('>').unwrap();
                    let text = rest.split("</word>").next().unwrap();
                    Word {
                        text: text
                            .replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&quot;", "\"")
                            .replace("&apos;", "'")
                            .replace("&amp;", "&")
                            .replace('\u{a0}', " "),
                        x0: attr(tag, "xMin"),
                        x1: attr(tag, "xMax"),
                        top: attr(tag, "yMin"),
                    }
                })
                .collect();
            words.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.x0.total_cmp(&b.x0)));
            let mut lines: Vec<Line> = Vec::new();
            for w in words {
                match lines.last_mut() {
                    Some(l) if w.top - l.top_mm < 1.0 => l.words.push(w),
                    _ => lines.push(Line {
                        top_mm: w.top,
                        words: vec![w],
                    }),
                }
            }
            for l in &mut lines {
                l.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            }
            lines
        })
        .collect()
}

/// The text area of a portrait page (LAYOUT.md §1): 30 mm from the left
/// edge to 10 mm from the right one.
const LEFT: f32 = 30.0;
const RIGHT: f32 = 200.0;
const CENTRE: f32 = (LEFT + RIGHT) / 2.0;
/// The text area's left, right and top edges on a portrait and a turned
/// page (LAYOUT.md §1: a turned page has 30 mm at the top, its binding
/// side, and 20 mm at the others).
const PORTRAIT: (f32, f32, f32) = (LEFT, RIGHT, TOP);
const LANDSCAPE: (f32, f32, f32) = (20.0, 297.0 - 20.0, 30.0);
/// The top margin.
const TOP: f32 = 20.0;
/// One line of 14 pt body text at single spacing: 1.15 em of Liberation
/// Serif (Times New Roman's metrics).
const LINE: f32 = 14.0 * 1.15 * 25.4 / 72.0;
/// The house grif box, mm.
const GRIF: f32 = 75.0;

/// Asserts that `actual` mm is within 1 mm of `expected`.
fn near(actual: f32, expected: f32, what: &str) {
    assert!(
        (actual - expected).abs() <= 1.0,
        "{what}: {actual:.1} mm, LAYOUT.md asks for {expected:.1} mm"
    );
}

/// Asserts a DOCX paragraph's alignment and that it has no indent.
fn aligned(p: &Para, jc: &str) {
    assert_eq!(p.jc.as_deref(), Some(jc), "{p:?}");
    assert_eq!((p.left, p.first_line), (0, 0), "no indent: {p:?}");
}

/// Asserts that a PDF line is centred on the text area.
fn centred(b: &Built, text: &str) {
    let (_, l) = b.line(text);
    near(l.centre(), CENTRE, &format!("the middle of «{text}»"));
}

// ---- The date-and-number line (LAYOUT.md §4, §6) ----

#[test]
fn date_line_from_is_centred_one_blank_line_below_the_kind_word() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &act(KIND, "date_line = \"from\"", "", ""));
    let p = b.para("от 05.03.2024 № 45-р");
    aligned(p, "center");
    assert!(p.raw.contains("№\u{a0}45-р"), "«№» and the number: {p:?}");
    centred(&b, "от 05.03.2024 № 45-р");
    let (_, kind) = b.line("РАСПОРЯЖЕНИЕ");
    let (_, date) = b.line("от 05.03.2024 № 45-р");
    near(
        date.top_mm - kind.top_mm,
        2.0 * LINE,
        "kind word to date line",
    );
    // The place, centred on the next line.
    aligned(b.para("г. Заречный"), "center");
    centred(&b, "г. Заречный");
    let (_, city) = b.line("г. Заречный");
    near(city.top_mm - date.top_mm, LINE, "date line to place");
}

#[test]
fn date_line_plain_with_the_date_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(
        dir.path(),
        &act(
            KIND,
            "date_line = \"plain\"\ndate_style = \"words\"",
            "",
            "",
        ),
    );
    aligned(b.para("5 марта 2024 г. № 45-р"), "center");
    centred(&b, "5 марта 2024 г. № 45-р");
    // «года» in full when the document asks for it.
    let b = Built::new(
        dir.path(),
        &act(
            KIND,
            "date_line = \"plain\"\ndate_style = \"words\"\nyear_word = true",
            "",
            "",
        ),
    );
    aligned(b.para("5 марта 2024 года № 45-р"), "center");
    centred(&b, "5 марта 2024 года № 45-р");
}

#[test]
fn date_line_from_with_the_date_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &act(KIND, "date_style = \"words\"", "", ""));
    aligned(b.para("от 5 марта 2024 г. № 45-р"), "center");
    centred(&b, "от 5 марта 2024 г. № 45-р");
}

/// The split date line: the date's first word and the number's last.
fn split_line(b: &Built, date: &str, number: &str) {
    let p = b.para(&format!("{date}\t{number}"));
    assert_eq!(p.jc.as_deref(), Some("left"), "{p:?}");
    assert_eq!((p.left, p.first_line), (0, 0), "{p:?}");
    // The number is set against a right tab at the right margin.
    assert_eq!(p.tabs, [("right".to_owned(), twips(RIGHT - LEFT))], "{p:?}");
    let (_, l) = b.line(&format!("{date} {number}"));
    near(l.left(), LEFT, &format!("the left edge of «{date}»"));
    near(l.right(), RIGHT, &format!("the right edge of «{number}»"));
}

#[test]
fn date_line_split_puts_the_date_at_the_left_margin_and_the_number_flush_right() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &act(KIND, "date_line = \"split\"", "", ""));
    split_line(&b, "05.03.2024", "№ 45-р");
    // The place centred below them.
    centred(&b, "г. Заречный");
    let (_, date) = b.line("05.03.2024 № 45-р");
    let (_, city) = b.line("г. Заречный");
    near(city.top_mm - date.top_mm, LINE, "date line to place");
}

#[test]
fn quoted_date_at_the_left_of_a_split_line() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(
        dir.path(),
        &act(
            KIND,
            "date_line = \"split\"\ndate_style = \"quoted\"",
            "",
            "",
        ),
    );
    split_line(&b, "« 5 » марта 2024 г.", "№ 45-р");
    // No break inside the quoted date: its parts are joined by no-break
    // spaces (LAYOUT.md §2: never break the parts of a verbal date).
    let p = b.para("« 5 » марта 2024 г.\t№ 45-р");
    assert!(
        p.raw.starts_with("«\u{a0}5\u{a0}»\u{a0}марта 2024\u{a0}г."),
        "{:?}",
        p.raw
    );
}

#[test]
fn quoted_date_on_a_plain_centred_line() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(
        dir.path(),
        &act(
            KIND,
            "date_line = \"plain\"\ndate_style = \"quoted\"",
            "",
            "",
        ),
    );
    aligned(b.para("« 5 » марта 2024 г. № 45-р"), "center");
    centred(&b, "« 5 » марта 2024 г. № 45-р");
}

/// The act without its date and number.
fn draft(options: &str) -> String {
    act(KIND, options, "", "").replace("date = 2024-03-05\nnumber = \"45-р\"\n", "")
}

#[test]
fn a_draft_prints_blanks_centred() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &draft(""));
    aligned(b.para("от ____________ № ______"), "center");
    centred(&b, "от ____________ № ______");
    assert!(
        !b.paragraphs.iter().any(|p| p.text.contains("2024")),
        "no date is made up"
    );
}

#[test]
fn a_split_draft_prints_blanks_at_the_margins() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &draft("date_line = \"split\""));
    split_line(&b, "____________", "№ ______");
    let b = Built::new(
        dir.path(),
        &draft("date_line = \"split\"\ndate_style = \"quoted\""),
    );
    split_line(&b, "« ___ » ____________ 20__ г.", "№ ______");
}

#[test]
fn a_draft_with_a_number_prints_a_blank_date_only() {
    let dir = tempfile::tempdir().unwrap();
    let text = act(KIND, "", "", "").replace("date = 2024-03-05\n", "");
    let b = Built::new(dir.path(), &text);
    aligned(b.para("от ____________ № 45-р"), "center");
}

/// `gostdoc check data/d.toml` on `text`: (exit code, stderr).
fn check(dir: &Path, text: &str) -> (i32, String) {
    write_temp(dir, "data/d.toml", text.as_bytes());
    let out = gostdoc(dir, &["check", "data/d.toml"]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// «строка N, столбец 1»: the act's `[act]` header, where a draft is said.
fn title_at(text: &str) -> String {
    let line = text.lines().position(|l| l.trim() == "[act]").unwrap() + 1;
    format!("строка {line}, столбец 1")
}

#[test]
fn check_warns_that_a_draft_is_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let text = draft("");
    let (code, err) = check(dir.path(), &text);
    assert_eq!(code, 0, "a draft builds: {err}");
    let expected = format!(
        "data/d.toml, {}: предупреждение в поле «act»: дата и номер не заполнены: \
         распоряжение печатается как проект, с пустыми местами («от ____________ №\u{a0}______»)",
        title_at(&text)
    );
    assert!(err.contains(&expected), "{err}");
    assert!(
        err.contains("после регистрации впишите date и number в раздел [act]"),
        "{err}"
    );
    // Only the number missing.
    let text = act(KIND, "", "", "").replace("number = \"45-р\"\n", "");
    let (_, err) = check(dir.path(), &text);
    assert!(
        err.contains(&format!(
            "data/d.toml, {}: предупреждение в поле «act»: номер не заполнен: распоряжение печатается как проект",
            title_at(&text)
        )),
        "{err}"
    );
    // A приказ is a приказ in the message.
    let text = draft("").replace("kind = \"rasporyazhenie\"", "kind = \"prikaz\"");
    let (_, err) = check(dir.path(), &text);
    assert!(err.contains("приказ печатается как проект"), "{err}");
    // A dated act is not a draft.
    let (_, err) = check(dir.path(), &act(KIND, "", "", ""));
    assert!(!err.contains("проект"), "{err}");
}

// ---- The enacting formula (LAYOUT.md §6) ----

/// The act as a постановление whose preamble ends with its subject.
fn resolution(options: &str, act_keys: &str) -> String {
    act("resolution", options, act_keys, "").replace(
        "preamble = \"В целях улучшения санитарного состояния территории округа\"",
        "preamble = \"В целях улучшения санитарного состояния территории округа администрация\"",
    )
}

const PREAMBLE: &str = "В целях улучшения санитарного состояния территории округа администрация";

/// The DOCX runs of the paragraph containing `text`: (text, bold,
/// character spacing in twips).
fn runs(docx_xml: &str, text: &str) -> Vec<(String, bool, i64)> {
    let doc = roxmltree::Document::parse(docx_xml).unwrap();
    let p = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .find(|p| {
            p.descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .any(|t| {
                    t.text()
                        .is_some_and(|t| t.replace('\u{a0}', " ").contains(text))
                })
        })
        .unwrap_or_else(|| panic!("no paragraph with «{text}»"));
    p.children()
        .filter(|n| n.has_tag_name((W, "r")))
        .map(|r| {
            let rpr = r.children().find(|n| n.has_tag_name((W, "rPr")));
            let has =
                |name: &str| rpr.and_then(|p| p.children().find(|n| n.has_tag_name((W, name))));
            (
                r.descendants()
                    .filter(|n| n.has_tag_name((W, "t")))
                    .filter_map(|n| n.text())
                    .collect(),
                has("b").is_some(),
                has("spacing")
                    .and_then(|s| s.attribute((W, "val")))
                    .map_or(0, |v| v.parse().unwrap()),
            )
        })
        .collect()
}

/// Builds `text`, with the DOCX's `word/document.xml`.
fn built_xml(dir: &Path, text: &str) -> (Built, String) {
    let b = Built::new(dir, text);
    let xml = b.xml.clone();
    (b, xml)
}

#[test]
fn inline_formula_ends_the_preamble_letter_spaced_and_bold() {
    let dir = tempfile::tempdir().unwrap();
    let (b, xml) = built_xml(dir.path(), &resolution("", ""));
    let p = b.para(&format!("{PREAMBLE} постановляет:"));
    assert_eq!(p.jc.as_deref(), Some("both"), "{p:?}");
    assert_eq!(p.first_line, twips(12.5), "a body paragraph: {p:?}");
    let all = runs(&xml, "постановляе");
    let at = all
        .iter()
        .position(|r| r.0.contains("постановляе"))
        .unwrap();
    let formula = &all[at];
    assert!(formula.1, "bold: {formula:?}");
    assert!(formula.2 > 0, "letter-spaced: {formula:?}");
    // Its last letter and colon follow unspaced («… е т:»), bold: spacing
    // is added after every letter a run covers.
    let end = &all[at + 1];
    assert_eq!((end.0.as_str(), end.1, end.2), ("т:", true, 0), "{all:?}");
    // In the PDF, letter by letter at the end of the preamble's last line,
    // the colon right after the last letter.
    let (n, l) = b.line("нистрация п о с т а н о в л я е т:");
    let letters = &l.words[1..];
    for pair in letters.windows(2) {
        assert!(
            pair[1].x0 - pair[0].x1 >= 0.8,
            "«{}» and «{}» are {:.2} mm apart: not letter-spaced",
            pair[0].text,
            pair[1].text,
            pair[1].x0 - pair[0].x1
        );
    }
    // Point 1 follows on the next line.
    let (m, first) = b.line("1. Провести месячник по благоустройству.");
    assert_eq!(n, m);
    near(first.top_mm - l.top_mm, LINE, "formula to point 1");
}

#[test]
fn line_formula_is_centred_on_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let (b, xml) = built_xml(dir.path(), &act("prikaz", "", "", ""));
    let p = b.para("ПРИКАЗЫВАЮ:");
    aligned(p, "center");
    assert_eq!(
        runs(&xml, "ПРИКАЗЫВАЮ:"),
        [("ПРИКАЗЫВАЮ:".to_owned(), true, 0)]
    );
    let preamble = b.index("В целях улучшения санитарного состояния территории округа");
    assert_eq!(b.index("ПРИКАЗЫВАЮ:"), preamble + 1);
    assert_eq!(
        b.index("1. Провести месячник по благоустройству."),
        preamble + 2
    );
    centred(&b, "ПРИКАЗЫВАЮ:");
    let (_, pre) = b.line("В целях улучшения санитарного состояния территории округа");
    let (_, formula) = b.line("ПРИКАЗЫВАЮ:");
    let (_, first) = b.line("1. Провести месячник по благоустройству.");
    assert!(pre.top_mm < formula.top_mm && formula.top_mm < first.top_mm);
    // 12 pt before and after it.
    let gap = LINE + 12.0 * 25.4 / 72.0;
    near(formula.top_mm - pre.top_mm, gap, "preamble to ПРИКАЗЫВАЮ:");
    near(first.top_mm - formula.top_mm, gap, "ПРИКАЗЫВАЮ: to point 1");
}

#[test]
fn a_head_decrees_on_a_line_of_his_own() {
    // «ПОСТАНОВЛЯЮ:» of a head's постановление, on its own centred line.
    let dir = tempfile::tempdir().unwrap();
    let (b, xml) = built_xml(
        dir.path(),
        &resolution("enacting_form = \"line\"", "enacting = \"ПОСТАНОВЛЯЮ:\""),
    );
    aligned(b.para("ПОСТАНОВЛЯЮ:"), "center");
    assert_eq!(
        runs(&xml, "ПОСТАНОВЛЯЮ:"),
        [("ПОСТАНОВЛЯЮ:".to_owned(), true, 0)]
    );
    // The preamble is whole, without the formula.
    b.para(PREAMBLE);
    centred(&b, "ПОСТАНОВЛЯЮ:");
}

/// Asserts that no paragraph of the document is empty.
fn no_empty_paragraph(b: &Built) {
    assert!(
        !b.paragraphs.iter().any(|p| p.text.trim().is_empty()),
        "an empty paragraph: {:#?}",
        b.paragraphs
    );
}

#[test]
fn no_formula_leaves_no_empty_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &resolution("enacting_form = \"none\"", ""));
    assert!(
        !b.paragraphs.iter().any(|p| p.text.contains("постановля")),
        "{:#?}",
        b.paragraphs
    );
    no_empty_paragraph(&b);
    assert_eq!(
        b.index("1. Провести месячник по благоустройству."),
        b.index(PREAMBLE) + 1
    );
    // The preamble's last line («…адми-/нистрация»), then point 1.
    let (_, pre) = b.line("нистрация");
    let (_, first) = b.line("1. Провести месячник по благоустройству.");
    near(first.top_mm - pre.top_mm, LINE, "preamble to point 1");
    // A распоряжение has no formula at all, even asked to print it inline.
    for options in ["", "enacting_form = \"inline\"", "enacting_form = \"line\""] {
        let b = Built::new(dir.path(), &act(KIND, options, "", ""));
        no_empty_paragraph(&b);
        assert_eq!(
            b.index("1. Провести месячник по благоустройству."),
            b.index("В целях улучшения санитарного состояния территории округа") + 1,
            "{options}"
        );
    }
}

// ---- Grifs: the box at the top right (LAYOUT.md §4, §6) ----

/// Two appendices of the act, each with a title and a line of text.
const TWO_APPENDICES: &str = r#"
[[appendix]]
title = "План мероприятий"

[[appendix.body]]
text = "Текст первого приложения."

[[appendix]]
title = "Состав комиссии"

[[appendix.body]]
text = "Текст второго приложения."
"#;

/// One appendix of the act.
const ONE_APPENDIX: &str = r#"
[[appendix]]
title = "План мероприятий"

[[appendix.body]]
text = "Текст приложения."
"#;

/// Asserts the grif on page `page` (0-based): its paragraphs in the DOCX
/// (left-aligned in a box `width` mm wide flush with the right margin, the
/// style that is never hyphenated) and its lines in the PDF (starting
/// `width` mm left of the right margin, the first at the top margin).
fn grif(b: &Built, page: usize, lines: &[&str], width: f32, (left, right, top): (f32, f32, f32)) {
    let at = (0..b.paragraphs.len())
        .find(|&i| {
            b.paragraphs[i..]
                .iter()
                .map(|p| p.text.as_str())
                .take(lines.len())
                .eq(lines.iter().copied())
        })
        .unwrap_or_else(|| panic!("no paragraphs {lines:?} in {:#?}", b.paragraphs));
    for p in &b.paragraphs[at..at + lines.len()] {
        assert_eq!(p.jc.as_deref(), Some("left"), "{p:?}");
        assert_eq!(p.left, twips(right - left - width), "{p:?}");
        assert_eq!(p.first_line, 0, "{p:?}");
        assert_eq!(p.style.as_deref(), Some("Requisite"), "{p:?}");
    }
    // The page number stands in the top margin, above the box.
    let set: Vec<&Line> = b.pages[page]
        .iter()
        .filter(|l| !(l.top_mm < top && l.text().chars().all(|c| c.is_ascii_digit())))
        .collect();
    let written = lines.join(" ");
    let mut text = String::new();
    let mut n = 0;
    while text.len() < written.len() && n < set.len() {
        if n > 0 {
            text.push(' ');
        }
        text.push_str(&set[n].text());
        n += 1;
    }
    assert_eq!(text, written, "page {}: {:#?}", page + 1, b.texts()[page]);
    near(
        set[0].top_mm,
        top,
        &format!("the top of «{}»", set[0].text()),
    );
    for l in &set[..n] {
        near(
            l.left(),
            right - width,
            &format!("the left edge of «{}»", l.text()),
        );
        assert!(
            l.right() <= right + 0.1,
            "«{}» ends at {:.1} mm, past the margin",
            l.text(),
            l.right()
        );
    }
}

#[test]
fn numbered_appendices_carry_their_number_and_the_act() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &act(KIND, "", "", TWO_APPENDICES));
    for (page, n) in [(1, 1), (2, 2)] {
        grif(
            &b,
            page,
            &[
                &format!("Приложение № {n}"),
                "к распоряжению администрации Заречного округа",
                "от 05.03.2024 № 45-р",
            ],
            GRIF,
            PORTRAIT,
        );
    }
    // «№» and its number never part.
    assert!(b.para("Приложение № 1").raw.contains("№\u{a0}1"));
    assert!(b.para("от 05.03.2024 № 45-р").raw.contains("№\u{a0}45-р"));
    // The title centred below the box.
    centred(&b, "План мероприятий");
    centred(&b, "Состав комиссии");
}

#[test]
fn a_single_appendix_is_numbered_unless_asked_not_to() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &act(KIND, "", "", ONE_APPENDIX));
    grif(
        &b,
        1,
        &[
            "Приложение № 1",
            "к распоряжению администрации Заречного округа",
            "от 05.03.2024 № 45-р",
        ],
        GRIF,
        PORTRAIT,
    );
    let b = Built::new(
        dir.path(),
        &act(KIND, "number_single_appendix = false", "", ONE_APPENDIX),
    );
    grif(
        &b,
        1,
        &[
            "Приложение",
            "к распоряжению администрации Заречного округа",
            "от 05.03.2024 № 45-р",
        ],
        GRIF,
        PORTRAIT,
    );
}

#[test]
fn each_kind_names_itself_in_the_grif() {
    let dir = tempfile::tempdir().unwrap();
    for (kind, to) in [
        ("resolution", "к постановлению"),
        ("prikaz", "к приказу"),
        ("reshenie", "к решению"),
    ] {
        let b = Built::new(dir.path(), &act(kind, "", "", ONE_APPENDIX));
        grif(
            &b,
            1,
            &[
                "Приложение № 1",
                &format!("{to} администрации Заречного округа"),
                "от 05.03.2024 № 45-р",
            ],
            GRIF,
            PORTRAIT,
        );
    }
}

#[test]
fn a_drafts_appendix_prints_blanks_in_its_grif() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        act(KIND, "", "", ONE_APPENDIX).replace("date = 2024-03-05\nnumber = \"45-р\"\n", "");
    let b = Built::new(dir.path(), &text);
    grif(
        &b,
        1,
        &[
            "Приложение № 1",
            "к распоряжению администрации Заречного округа",
            "от ____________ № ______",
        ],
        GRIF,
        PORTRAIT,
    );
}

#[test]
fn a_wider_grif_box_starts_further_left() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &act(KIND, "grif_width = 85", "", ONE_APPENDIX));
    grif(
        &b,
        1,
        &[
            "Приложение № 1",
            "к распоряжению администрации Заречного округа",
            "от 05.03.2024 № 45-р",
        ],
        85.0,
        PORTRAIT,
    );
}

#[test]
fn a_landscape_appendix_has_its_grif_at_its_own_right_margin() {
    let dir = tempfile::tempdir().unwrap();
    let tail = ONE_APPENDIX.replace(
        "title = \"План мероприятий\"",
        "title = \"План мероприятий\"\norientation = \"landscape\"",
    );
    let b = Built::new(dir.path(), &act(KIND, "", "", &tail));
    // A turned page: 297 mm wide, 20 mm margins at either side (LAYOUT.md §1).
    grif(
        &b,
        1,
        &[
            "Приложение № 1",
            "к распоряжению администрации Заречного округа",
            "от 05.03.2024 № 45-р",
        ],
        GRIF,
        LANDSCAPE,
    );
    let (_, title) = b.line("План мероприятий");
    near(title.centre(), 297.0 / 2.0, "the middle of the title");
}

/// A plan approved by an act (`[basis]`), titled `title`.
fn approved_plan(title: &str) -> String {
    format!(
        r#"kind = "plan"

[organization]
name = "Администрация Заречного муниципального округа"
issuer_genitive = "администрации Заречного округа"

[basis]
kind = "постановление"
date = 2024-01-22
number = "38"

[[appendix]]
grif = "approved"
title = "{title}"

[[appendix.body]]
text = "Текст."
"#
    )
}

#[test]
fn approved_grif_agrees_with_the_title_and_names_the_act() {
    let dir = tempfile::tempdir().unwrap();
    for (title, word) in [
        ("План мероприятий", "УТВЕРЖДЕН"),
        ("«Дорожная карта» по развитию", "УТВЕРЖДЕНА"),
        ("Положение о конкурсе", "УТВЕРЖДЕНО"),
        ("Правила приёма", "УТВЕРЖДЕНЫ"),
    ] {
        let b = Built::new(dir.path(), &approved_plan(title));
        // An approved document has no act header and no stub page: the
        // grif is the first thing on page 1.
        assert_eq!(b.pages.len(), 1, "{title}: {:#?}", b.texts());
        grif(
            &b,
            0,
            &[
                word,
                "постановлением администрации Заречного округа",
                "от 22.01.2024 № 38",
            ],
            GRIF,
            PORTRAIT,
        );
        centred(&b, title);
    }
}

#[test]
fn approved_grif_agrees_with_plural_titles() {
    // Titles of approved documents that are plural: «УТВЕРЖДЕНЫ».
    let dir = tempfile::tempdir().unwrap();
    for title in [
        "Методические рекомендации по организации питания",
        "Основные направления бюджетной политики",
        "Сведения о численности",
    ] {
        let b = Built::new(dir.path(), &approved_plan(title));
        assert_eq!(b.paragraphs[0].text, "УТВЕРЖДЕНЫ", "«{title}»");
    }
}

#[test]
fn an_appendix_of_the_act_approved_by_it() {
    let dir = tempfile::tempdir().unwrap();
    let tail = ONE_APPENDIX.replace(
        "title = \"План мероприятий\"",
        "grif = \"approved\"\ntitle = \"Положение о месячнике\"",
    );
    let b = Built::new(dir.path(), &act(KIND, "", "", &tail));
    grif(
        &b,
        1,
        &[
            "УТВЕРЖДЕНО",
            "распоряжением администрации Заречного округа",
            "от 05.03.2024 № 45-р",
        ],
        GRIF,
        PORTRAIT,
    );
}

/// A plan approved by the head: «УТВЕРЖДАЮ», with `approver` and its
/// «СОГЛАСОВАНО».
fn approve_plan(approver: &str) -> String {
    format!(
        r#"kind = "plan"

[organization]
name = "МБОУ «Средняя школа № 3»"

[[people]]
name = "Кузнецова Елена Викторовна"
position = "директор"

[[people]]
name = "Воронина Галина Петровна"
position = "председатель управляющего совета"

[[appendix]]
grif = "approve"
approver = {approver}
title = """
План мероприятий
по подготовке к экзаменам"""

[[appendix.body]]
text = "Текст плана."

[[appendix.agreed]]
position = ["Председатель управляющего совета"]
person = "Воронина"
"#
    )
}

#[test]
fn approve_grif_with_the_heads_position_signature_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(
        dir.path(),
        &approve_plan(
            r#"{ position = ["Директор", "МБОУ «Средняя школа № 3»"], person = "Кузнецова", date = 2024-09-02 }"#,
        ),
    );
    assert_eq!(b.pages.len(), 1, "{:#?}", b.texts());
    grif(
        &b,
        0,
        &[
            "УТВЕРЖДАЮ",
            "Директор",
            "МБОУ «Средняя школа № 3»",
            "____________ Е.В. Кузнецова",
            "« 2 » сентября 2024 г.",
        ],
        GRIF,
        PORTRAIT,
    );
    // No break between the initials and the surname, nor inside the date
    // (LAYOUT.md §2, §7).
    assert!(
        b.para("____________ Е.В. Кузнецова")
            .raw
            .ends_with("Е.В.\u{a0}Кузнецова"),
        "{:?}",
        b.para("____________ Е.В. Кузнецова")
    );
    assert_eq!(
        b.para("« 2 » сентября 2024 г.").raw,
        "«\u{a0}2\u{a0}»\u{a0}сентября 2024\u{a0}г."
    );
    // The title below it, centred, as written.
    centred(&b, "План мероприятий");
    centred(&b, "по подготовке к экзаменам");
}

#[test]
fn approve_grif_without_a_date_leaves_it_blank() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &approve_plan(r#"{ person = "Кузнецова" }"#));
    // The position from the person's own, capitalised.
    grif(
        &b,
        0,
        &[
            "УТВЕРЖДАЮ",
            "Директор",
            "____________ Е.В. Кузнецова",
            "« ___ » ____________ 20__ г.",
        ],
        GRIF,
        PORTRAIT,
    );
}

/// Asserts a «СОГЛАСОВАНО» block: at the left margin, left-aligned, in
/// order, below `above`.
fn agreed(b: &Built, lines: &[&str], above: &str) {
    let first = b.index(lines[0]);
    for (k, line) in lines.iter().enumerate() {
        let p = b.para(line);
        aligned(p, "left");
        assert_eq!(b.index(line), first + k, "«{line}» in order");
        let (_, l) = b.line(line);
        near(l.left(), LEFT, &format!("the left edge of «{line}»"));
    }
    let (pa, a) = b.line(above);
    let (pf, f) = b.line(lines[0]);
    assert!(
        (pf, f.top_mm) > (pa, a.top_mm),
        "«{}» below «{above}»",
        lines[0]
    );
}

#[test]
fn agreed_blocks_at_the_left_margin_below_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(
        dir.path(),
        &approve_plan(r#"{ person = "Кузнецова", date = 2024-09-02 }"#),
    );
    agreed(
        &b,
        &[
            "СОГЛАСОВАНО",
            "Председатель управляющего совета",
            "____________ Г.П. Воронина",
            "« ___ » ____________ 20__ г.",
        ],
        "Текст плана.",
    );
    // And after the signature of an act.
    let tail = r#"
[[people]]
name = "Гусева Ирина Павловна"
position = "заместитель главы администрации"

[[agreed]]
person = "Гусева"
date = 2024-03-04
"#;
    let b = Built::new(dir.path(), &act(KIND, "", "", tail));
    agreed(
        &b,
        &[
            "СОГЛАСОВАНО",
            "Заместитель главы администрации",
            "____________ И.П. Гусева",
            "« 4 » марта 2024 г.",
        ],
        "Глава округа А.В. Белов",
    );
}

// ---- The title (LAYOUT.md §4, §6) ----

#[test]
fn title_keeps_its_line_breaks_centred_and_bold() {
    let dir = tempfile::tempdir().unwrap();
    let (b, xml) = built_xml(dir.path(), &act(KIND, "", "", ""));
    let p = b.para("О проведении месячника\nпо благоустройству");
    aligned(p, "center");
    // Never hyphenated: the requisite style suppresses hyphenation.
    assert_eq!(p.style.as_deref(), Some("Requisite"), "{p:?}");
    let runs = runs(&xml, "О проведении месячника");
    assert!(
        runs.iter().filter(|r| !r.0.is_empty()).all(|r| r.1),
        "bold: {runs:?}"
    );
    assert!(!p.text.ends_with('.'), "no final period");
    centred(&b, "О проведении месячника");
    centred(&b, "по благоустройству");
    let (_, first) = b.line("О проведении месячника");
    let (_, second) = b.line("по благоустройству");
    near(second.top_mm - first.top_mm, LINE, "the title's lines");
    // One blank line after it.
    let (_, text) = b.line("В целях улучшения санитарного состояния территории округа");
    near(text.top_mm - second.top_mm, 2.0 * LINE, "title to text");
}

#[test]
fn title_left_aligned_for_the_angular_blank() {
    let dir = tempfile::tempdir().unwrap();
    let b = Built::new(dir.path(), &act(KIND, "title_align = \"left\"", "", ""));
    aligned(b.para("О проведении месячника\nпо благоустройству"), "left");
    for line in ["О проведении месячника", "по благоустройству"]
    {
        let (_, l) = b.line(line);
        near(l.left(), LEFT, &format!("the left edge of «{line}»"));
    }
    // The rest of the header stays centred.
    centred(&b, "РАСПОРЯЖЕНИЕ");
    centred(&b, "от 05.03.2024 № 45-р");
}

#[test]
fn a_long_title_line_wraps_at_a_space_never_hyphenated() {
    let dir = tempfile::tempdir().unwrap();
    let long = "Об утверждении административного регламента предоставления \
                муниципальной услуги по выдаче разрешений на строительство \
                объектов капитального строительства";
    for align in ["center", "left"] {
        let text = act(KIND, &format!("title_align = \"{align}\""), "", "").replace(
            "\"\"\"\nО проведении месячника\nпо благоустройству\"\"\"",
            &format!("\"{long}\""),
        );
        let b = Built::new(dir.path(), &text);
        let p = b.para(long);
        aligned(p, align);
        assert!(p.unhyphenated, "{align}: hyphenation not suppressed: {p:?}");
        // Its lines in the PDF: from «Об утверждении» to «строительства».
        let page = &b.pages[0];
        let first = page
            .iter()
            .position(|l| l.text().starts_with("Об утверждении"))
            .unwrap();
        let last = page
            .iter()
            .position(|l| l.text().ends_with("строительства"))
            .unwrap_or_else(|| panic!("{:#?}", b.texts()));
        assert!(last > first, "wrapped: {:#?}", b.texts());
        let lines: Vec<String> = page[first..=last].iter().map(Line::text).collect();
        assert!(
            lines.iter().all(|l| !l.ends_with('-')),
            "{align}: hyphenated: {lines:#?}"
        );
        assert_eq!(lines.join(" "), long, "no word cut");
        for l in &page[first..=last] {
            let what = format!("«{}», {align}", l.text());
            match align {
                "center" => near(l.centre(), CENTRE, &format!("the middle of {what}")),
                _ => near(l.left(), LEFT, &format!("the left edge of {what}")),
            }
        }
    }
}
