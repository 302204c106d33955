//! Issue 11, the backends (third round): `<spread>`, one line in up to
//! three parts, the act's date at the left margin, the place centred and
//! the number flush right (ГОСТ Р 7.0.97, LAYOUT.md §6). Each case is
//! written in the markup, rendered to DOCX and PDF, and our PDF is
//! compared with LibreOffice's PDF of our DOCX word for word.
//!
//! Set `LO_KEEP=DIR` to keep every file in DIR for a look
//! (`pdftoppm -r 50 -png`).

mod common;
use common::lo::*;
use common::*;
use gostdoc::document::*;
use gostdoc::pdf::{self, PdfOptions};
use gostdoc::{docx, markup};
use std::path::Path;

fn no_files(name: &str) -> std::io::Result<Vec<u8>> {
    Err(std::io::Error::new(std::io::ErrorKind::NotFound, name))
}

/// Parses markup and renders both files.
fn render(markup_text: &str) -> (Document, Vec<u8>, Vec<u8>) {
    let doc = markup::parse(markup_text, &no_files).unwrap_or_else(|e| panic!("{e}"));
    let docx = docx::render(&doc).unwrap_or_else(|e| panic!("{e}"));
    let pdf = pdf::render(&doc, &PdfOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .bytes;
    (doc, docx, pdf)
}

/// The lines our PDF sets on the first page, as the layout records them
/// (each part of a spread line is a line of its own here).
fn our_lines(doc: &Document) -> Vec<pdf::PlacedLine> {
    pdf::layout(doc, &PdfOptions::default())
        .unwrap()
        .pages
        .remove(0)
        .lines
}

/// A word on a PDF's first page: its text, left and right ends and top,
/// mm from the page's left and top edges, as `pdftotext -bbox` finds it.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x_min: f32,
    x_max: f32,
    y_min: f32,
}

fn words(pdf: &Path) -> Vec<Word> {
    let bbox = run(
        "pdftotext",
        &[
            "-bbox".as_ref(),
            "-l".as_ref(),
            "1".as_ref(),
            pdf.as_os_str(),
            "-".as_ref(),
        ],
    );
    let mm = 25.4 / 72.0;
    bbox.split("<word ")
        .skip(1)
        .filter_map(|w| {
            let num = |key: &str| -> Option<f32> {
                w.split(&format!("{key}=\""))
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse()
                    .ok()
            };
            Some(Word {
                text: w.split('>').nth(1)?.split("</word").next()?.to_owned(),
                x_min: num("xMin")? * mm,
                x_max: num("xMax")? * mm,
                y_min: num("yMin")? * mm,
            })
        })
        .collect()
}

/// Every word of our PDF stands where LibreOffice puts it in its PDF of
/// our DOCX, within 1 mm, and the two have the same words.
fn assert_words_as_libreoffice(name: &str, ours: &Path, theirs: &Path) {
    let key = |w: &Word| {
        (
            (w.y_min * 10.0).round() as i32,
            (w.x_min * 10.0).round() as i32,
        )
    };
    let (mut a, mut b) = (words(ours), words(theirs));
    a.sort_by_key(key);
    b.sort_by_key(key);
    let text = |ws: &[Word]| ws.iter().map(|w| w.text.clone()).collect::<Vec<_>>();
    assert_eq!(text(&a), text(&b), "{name}: our words and LibreOffice's");
    for (x, y) in a.iter().zip(&b) {
        assert!(
            (x.x_min - y.x_min).abs() < 1.0
                && (x.x_max - y.x_max).abs() < 1.0
                && (x.y_min - y.y_min).abs() < 1.0,
            "{name}: «{}» at {:.1}–{:.1} mm, {:.1} mm from the top in our PDF, \
             at {:.1}–{:.1} mm, {:.1} mm in LibreOffice's",
            x.text,
            x.x_min,
            x.x_max,
            x.y_min,
            y.x_min,
            y.x_max,
            y.y_min
        );
    }
}

/// A document with a paragraph above and below the spread line.
fn with_spread(spread: &str) -> String {
    format!(
        r#"<document title="Т"><section>
<p align="center"><b>РАСПОРЯЖЕНИЕ</b></p>
{spread}
<p>Текст распоряжения.</p>
</section></document>"#
    )
}

const DATE_LINE: &str = r#"<spread before="12" after="12"><left>05.03.2024</left><center>г.&#160;Заречный</center><right>№&#160;45-р</right></spread>"#;

/// The `w:p` elements of the DOCX body that hold `text`.
fn paragraphs_with(docx: &[u8], text: &str) -> Vec<String> {
    part(docx, "word/document.xml")
        .split("<w:p>")
        .filter(|p| p.contains(text))
        .map(|p| p.split("</w:p>").next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_spread_line_sets_the_date_left_the_place_centred_and_the_number_right_in_both_backends() {
    let (doc, docx, pdf) = render(&with_spread(DATE_LINE));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);

    // The DOCX: one paragraph, a centre tab stop at half the text width
    // (170 mm = 9638 twips) and a right one at the text width, «left ⇥
    // centre ⇥ right», never hyphenated, single spacing.
    let paras = paragraphs_with(&docx, "05.03.2024");
    assert_eq!(paras.len(), 1, "{paras:?}");
    let p = &paras[0];
    assert!(
        p.contains(r#"<w:tabs><w:tab w:val="center" w:pos="4819"/><w:tab w:val="right" w:pos="9638"/></w:tabs>"#),
        "{p}"
    );
    assert!(p.contains(r#"<w:pStyle w:val="Requisite"/>"#), "{p}");
    assert!(
        p.contains(r#"<w:spacing w:before="240" w:after="240" w:line="240" w:lineRule="auto"/>"#),
        "{p}"
    );
    let text: String = p
        .split('<')
        .filter_map(|tag| {
            if tag.starts_with("w:tab/") {
                Some("\t")
            } else if tag.starts_with("w:t ") || tag.starts_with("w:t>") {
                tag.split('>').nth(1)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(text, "05.03.2024\tг.\u{a0}Заречный\t№\u{a0}45-р");
    assert_schema_valid("spread", &docx);

    // Our PDF: the three parts on one baseline, the date from the left
    // margin (30 mm), the place centred on the text area (115 mm), the
    // number ending at the right margin (200 mm).
    let lines = our_lines(&doc);
    let at = |t: &str| {
        lines
            .iter()
            .find(|l| l.text == t)
            .unwrap_or_else(|| panic!("{t}: {lines:?}"))
    };
    let (date, place, number) = (at("05.03.2024"), at("г.\u{a0}Заречный"), at("№\u{a0}45-р"));
    assert!((date.x_mm - 30.0).abs() < 0.01, "{date:?}");
    let middle = place.x_mm + place.width_mm / 2.0;
    assert!(
        (middle - 115.0).abs() < 0.01,
        "the place centred at {middle} mm"
    );
    let end = number.x_mm + number.width_mm;
    assert!((end - 200.0).abs() < 0.01, "the number ends at {end} mm");
    assert!(date.y_mm == place.y_mm && place.y_mm == number.y_mm);

    // LibreOffice's PDF of our DOCX: the same words where ours are.
    let c = convert(&[("spread", &docx, &pdf)]);
    assert_words_as_libreoffice("spread", &c.ours[0], &c.theirs[0]);
    let theirs = words(&c.theirs[0]);
    let word = |t: &str| theirs.iter().find(|w| w.text == t).unwrap().clone();
    let (date, zar, num) = (word("05.03.2024"), word("Заречный"), word("45-р"));
    let g = theirs.iter().find(|w| w.text.starts_with("г.")).unwrap();
    assert!((date.x_min - 30.0).abs() < 1.0, "{date:?}");
    assert!(
        ((g.x_min + zar.x_max) / 2.0 - 115.0).abs() < 1.0,
        "{g:?} {zar:?}"
    );
    assert!((num.x_max - 200.0).abs() < 1.0, "{num:?}");
    assert!((date.y_min - zar.y_min).abs() < 0.1 && (zar.y_min - num.y_min).abs() < 0.1);
}

#[test]
fn parts_of_a_spread_line_that_run_into_each_other_are_a_warning_and_lines_of_their_own_in_both_backends()
 {
    // (case, spread, what the warning says, how many lines it takes).
    let cases: &[(&str, &str, &str, usize)] = &[
        (
            "left-long",
            "<left>05.03.2024 длинная левая часть текста</left><center>г. Заречный</center><right>№&#160;45-р</right>",
            "части строки «05.03.2024 длинная левая часть текста», «г. Заречный» и «№ 45-р» \
             не помещаются на одной строке шириной 170 мм (им нужно 191 мм): «05.03.2024 \
             длинная левая часть текста» заходит на «г. Заречный»; место «г. Заречный» \
             перенесено на следующую строку; сократите части или поставьте место отдельной \
             строкой под датой и номером",
            2,
        ),
        (
            "right-long",
            "<left>05.03.2024</left><center><b>г. Заречный</b></center><right>№&#160;45-р длинный правый номер документа</right>",
            "«г. Заречный» заходит на «№ 45-р длинный правый номер документа»; место «г. Заречный» перенесено на следующую строку",
            2,
        ),
        (
            "left-right",
            "<left>05.03.2024 длинная левая часть текста очень длинная</left><right>№&#160;45-р длинный правый номер документа</right>",
            "каждая часть поставлена на свою строку; сократите их",
            2,
        ),
        (
            "all-apart",
            "<left>05.03.2024 длинная левая часть текста очень длинная и ещё длиннее</left><center>г. Заречный</center><right>№&#160;45-р длинный правый номер документа</right>",
            "каждая часть поставлена на свою строку",
            3,
        ),
        (
            "wider-than-the-line",
            "<left>05.03.2024 длинная левая часть текста очень длинная и ещё длиннее, чем вся строка шириной сто семьдесят миллиметров</left><right>№&#160;45-р</right>",
            "каждая часть поставлена на свою строку",
            3,
        ),
    ];
    let mut files = Vec::new();
    for (name, body, warning, count) in cases {
        let (doc, docx, pdf) = render(&with_spread(&format!("<spread>{body}</spread>")));
        assert_eq!(doc.warnings.len(), 1, "{name}: {:?}", doc.warnings);
        assert!(
            doc.warnings[0].contains(warning),
            "{name}: the warning\n  {}\nshould say\n  {warning}",
            doc.warnings[0]
        );
        // The lines between the heading and the text.
        let lines = our_lines(&doc);
        let mut baselines: Vec<i32> = lines
            .iter()
            .filter(|l| l.text != "РАСПОРЯЖЕНИЕ" && !l.text.starts_with("Текст"))
            .map(|l| (l.y_mm * 100.0).round() as i32)
            .collect();
        baselines.dedup();
        assert_eq!(baselines.len(), *count, "{name}: {lines:?}");
        // Every line stays within the margins.
        for l in &lines {
            assert!(
                l.x_mm >= 30.0 - 0.01 && l.x_mm + l.width_mm <= 200.0 + 0.01,
                "{name}: {l:?}"
            );
        }
        assert_schema_valid(name, &docx);
        files.push((name.to_string(), docx, pdf));
    }
    let named: Vec<(&str, &[u8], &[u8])> = files
        .iter()
        .map(|(n, d, p)| (n.as_str(), &d[..], &p[..]))
        .collect();
    let c = convert(&named);
    for (k, (name, _, _)) in files.iter().enumerate() {
        assert_words_as_libreoffice(name, &c.ours[k], &c.theirs[k]);
    }

    // The place moved under the date and the number is centred, and the
    // number still ends at the right margin.
    let (doc, _, _) = render(&with_spread(&format!("<spread>{}</spread>", cases[0].1)));
    let lines = our_lines(&doc);
    let place = lines.iter().find(|l| l.text == "г. Заречный").unwrap();
    let number = lines.iter().find(|l| l.text == "№\u{a0}45-р").unwrap();
    let date = lines
        .iter()
        .find(|l| l.text.starts_with("05.03.2024"))
        .unwrap();
    assert!((place.x_mm + place.width_mm / 2.0 - 115.0).abs() < 0.01);
    assert!((number.x_mm + number.width_mm - 200.0).abs() < 0.01);
    assert!(date.y_mm == number.y_mm && place.y_mm > number.y_mm);
}

#[test]
fn parts_alone_and_inline_markup_in_a_spread_line() {
    // A part may be left out; the others keep their places.
    let (doc, docx, _) = render(&with_spread(
        "<spread><left><b>05.03.2024</b></left><right>№&#160;<u>45-р</u></right></spread>",
    ));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let Block::Spread(s) = &doc.sections[0].blocks[1] else {
        panic!("{:?}", doc.sections[0].blocks[1])
    };
    assert!(s.center.is_empty());
    assert!(matches!(&s.left[..], [Inline::Text { style, .. }] if style.bold));
    let p = &paragraphs_with(&docx, "05.03.2024")[0];
    assert!(
        p.contains(r#"<w:tabs><w:tab w:val="right" w:pos="9638"/></w:tabs>"#),
        "only the right stop: {p}"
    );
    assert_eq!(p.matches("<w:tab/>").count(), 1, "{p}");
    let lines = our_lines(&doc);
    let number = lines.iter().find(|l| l.text == "№\u{a0}45-р").unwrap();
    assert!((number.x_mm + number.width_mm - 200.0).abs() < 0.01);

    // A place alone is centred; a number alone flush right.
    let (doc, _, _) = render(&with_spread(
        "<spread><center>г. Заречный</center></spread><spread><right>№ 45-р</right></spread>",
    ));
    let lines = our_lines(&doc);
    let place = lines.iter().find(|l| l.text == "г. Заречный").unwrap();
    assert!((place.x_mm + place.width_mm / 2.0 - 115.0).abs() < 0.01);
    let number = lines.iter().find(|l| l.text == "№ 45-р").unwrap();
    assert!((number.x_mm + number.width_mm - 200.0).abs() < 0.01);
    assert!(number.y_mm > place.y_mm);
}

#[test]
fn a_spread_line_with_an_unknown_part_or_a_line_break_is_a_markup_error_naming_the_line() {
    // (spread, message).
    let cases = [
        (
            "<spread><left>05.03.2024</left><middle>г. Заречный</middle></spread>",
            "элемент <middle> не допускается в <spread>; допустимы: left, center, right",
        ),
        (
            "<spread><left>05.03.2024</left><left>06.03.2024</left></spread>",
            "в <spread> второй <left>: каждая часть строки бывает один раз",
        ),
        (
            "<spread>05.03.2024<right>№ 45-р</right></spread>",
            "текст в <spread> вне частей: оберните его в <left>, <center> или <right>",
        ),
        (
            "<spread><center>г. Заречный<br/>ул. Ленина</center></spread>",
            "<br/> в <center>: <spread> — одна строка; следующую строку пишите отдельным абзацем <p>",
        ),
        (
            "<spread><left>05.03.2024<p>абзац</p></left></spread>",
            "элемент <p> не допускается в тексте; допустимы: b, i, u, sp, nh, br",
        ),
        (
            r#"<spread before="-1"><left>05.03.2024</left></spread>"#,
            "before=\"-1\": ожидалось число от 0 до 200 пт",
        ),
    ];
    for (spread, message) in cases {
        let e = markup::parse(&with_spread(spread), &no_files).unwrap_err();
        assert_eq!(e.message, message, "{spread}");
        assert_eq!(e.line, 3, "{spread}");
    }
    // A spread is a block of a section, not of a table cell.
    let e = markup::parse(
        &with_spread(
            r#"<table widths="50"><row><cell><spread><left>1</left></spread></cell></row></table>"#,
        ),
        &no_files,
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "элемент <spread> здесь не допускается; допустимы: p, list"
    );
}
