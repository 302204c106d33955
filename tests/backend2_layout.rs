//! Issue 11, the backends (second round): paragraphs never hyphenated
//! (`hyphenate="no"`, the act's title), paragraphs narrower than the text
//! (`width`, the title block of the angular бланк), the space between
//! paragraphs as LibreOffice takes it, and hyphenated compound words.
//! Each case is written in the markup, rendered to DOCX and PDF, and our
//! PDF is compared with LibreOffice's PDF of our DOCX line for line.
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

/// The lines our PDF sets on each page, as the layout records them.
fn our_lines(doc: &Document) -> Vec<Vec<pdf::PlacedLine>> {
    pdf::layout(doc, &PdfOptions::default())
        .unwrap()
        .pages
        .into_iter()
        .map(|p| p.lines)
        .collect()
}

/// A long left-aligned title (the angular бланк) above a body paragraph.
fn title(attrs: &str) -> String {
    format!(
        r#"<document title="Т"><section>
<p align="center"><b>ПОСТАНОВЛЕНИЕ</b></p>
<p align="left" before="16" after="16" keep="next" {attrs}><b>О внесении изменений в постановление и.&#160;о. Главы Администрации муниципального образования «Ельнинский муниципальный округ» Смоленской области от 10.02.2021 № 227 «Об утверждении муниципальной программы «Развитие муниципальной службы в муниципальном образовании»»</b></p>
<p>В соответствии с Федеральным законом от 06.10.2003 № 131-ФЗ «Об общих принципах организации местного самоуправления в Российской Федерации» Администрация муниципального образования п о с т а н о в л я е т:</p>
</section></document>"#
    )
}

/// The lines of the title (bold, left-aligned) on the first page.
fn title_lines(doc: &Document) -> Vec<String> {
    our_lines(doc)[0]
        .iter()
        .skip(1)
        .take_while(|l| !l.text.starts_with("В соответствии"))
        .map(|l| l.text.clone())
        .collect()
}

#[test]
fn a_title_marked_hyphenate_no_wraps_at_spaces_only_in_both_backends() {
    // Without the mark the left-aligned title is hyphenated like body text.
    let (doc, _, _) = render(&title(""));
    let lines = title_lines(&doc);
    assert!(lines.iter().any(|l| l.ends_with('-')), "{lines:?}");

    let (doc, docx, pdf) = render(&title(r#"hyphenate="no""#));
    let lines = title_lines(&doc);
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(
        lines.iter().all(|l| !l.ends_with('-')),
        "a title is never hyphenated: {lines:?}"
    );
    let xml = part(&docx, "word/document.xml");
    let title_para = xml
        .split("<w:p>")
        .find(|p| p.contains("О внесении"))
        .unwrap();
    assert!(
        title_para.contains(r#"<w:pStyle w:val="Requisite"/>"#),
        "the DOCX suppresses hyphenation by the style: {title_para}"
    );
    let c = convert(&[("title", &docx, &pdf)]);
    assert_same_as_libreoffice("title", &c.ours[0], &c.theirs[0]);
    assert_schema_valid("title", &docx);

    let e = markup::parse(&title(r#"hyphenate="нет""#), &no_files).unwrap_err();
    assert_eq!(e.message, "hyphenate=\"нет\": ожидалось yes или no");
    assert_eq!(e.line, 3);
}

/// The words on a PDF's first page with their right ends and tops, mm
/// from the page's left and top edges, as `pdftotext -bbox` finds them.
fn word_boxes(pdf: &Path) -> Vec<(String, f32, f32)> {
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
            let word = w.split('>').nth(1)?.split("</word").next()?.to_owned();
            Some((word, num("xMax")? * 25.4 / 72.0, num("yMin")? * 25.4 / 72.0))
        })
        .collect()
}

#[test]
fn a_paragraph_with_width_ends_its_lines_there_in_both_backends() {
    // The angular бланк: the title at the left, its lines at most 100 mm.
    let marked = title(r#"hyphenate="no" width="100""#);
    let (doc, docx, pdf) = render(&marked);
    let lines = title_lines(&doc);
    assert!(lines.len() >= 5, "narrower, so more lines: {lines:?}");
    let placed = our_lines(&doc);
    for l in placed[0].iter().filter(|l| lines.contains(&l.text)) {
        assert!(
            (l.x_mm - 30.0).abs() < 0.01 && l.x_mm + l.width_mm <= 130.0 + 0.01,
            "«{}» from {} to {} mm",
            l.text,
            l.x_mm,
            l.x_mm + l.width_mm
        );
    }
    // One line of the 170 mm body goes on past 130 mm.
    assert!(placed[0].iter().any(|l| l.x_mm + l.width_mm > 150.0));
    let xml = part(&docx, "word/document.xml");
    let title_para = xml
        .split("<w:p>")
        .find(|p| p.contains("О внесении"))
        .unwrap();
    // 170 − 100 mm = 70 mm = 3969 twips at the right.
    assert!(
        title_para.contains(r#"w:right="3969""#),
        "the DOCX's right indent: {title_para}"
    );
    let c = convert(&[("width", &docx, &pdf)]);
    assert_same_as_libreoffice("width", &c.ours[0], &c.theirs[0]);
    // The title's words lie between «ПОСТАНОВЛЕНИЕ» and the body.
    let words = word_boxes(&c.theirs[0]);
    let top_of = |w: &str| words.iter().find(|b| b.0 == w).unwrap().2;
    let (from, to) = (top_of("ПОСТАНОВЛЕНИЕ") + 1.0, top_of("соответствии") - 1.0);
    let title_words: Vec<_> = words.iter().filter(|b| (from..to).contains(&b.2)).collect();
    assert!(title_words.len() > 20, "{title_words:?}");
    for (word, right, _) in title_words {
        assert!(*right <= 130.1, "LibreOffice ends «{word}» at {right} mm");
    }
    assert_schema_valid("width", &docx);

    // Centred in its 100 mm: the middle of each line at 80 mm.
    let centred = title(r#"hyphenate="no" width="100""#)
        .replace(r#"align="left" before"#, r#"align="center" before"#);
    let (doc, _, _) = render(&centred);
    let lines = title_lines(&doc);
    for l in our_lines(&doc)[0]
        .iter()
        .filter(|l| lines.contains(&l.text))
    {
        let middle = l.x_mm + l.width_mm / 2.0;
        assert!(
            (middle - 80.0).abs() < 0.01,
            "«{}» centred at {middle} mm",
            l.text
        );
    }

    for (bad, range) in [("10", "170"), ("171", "170"), ("NaN", "170")] {
        let e = markup::parse(&title(&format!(r#"width="{bad}""#)), &no_files).unwrap_err();
        assert_eq!(
            e.message,
            format!("width=\"{bad}\": ожидалось число от 20 до {range} мм")
        );
        assert_eq!(e.line, 3);
    }
    // A turned page's text is 257 mm wide.
    let landscape =
        title(r#"width="257""#).replace("<section>", r#"<section orientation="landscape">"#);
    assert!(markup::parse(&landscape, &no_files).is_ok());
    let e = markup::parse(&landscape.replace("257", "258"), &no_files).unwrap_err();
    assert_eq!(e.message, "width=\"258\": ожидалось число от 20 до 257 мм");
}

#[test]
fn the_space_between_paragraphs_is_the_larger_of_after_and_before_as_in_libreoffice() {
    // (case, blocks after «Начало», the space from «Альфа»'s baseline to
    // «Бета»'s as LibreOffice lays the DOCX out: one 14 pt line, 16.1 pt,
    // plus the larger of the space after and the space before).
    let cases: &[(&str, &str, f32)] = &[
        (
            "title-heading",
            r#"<p after="16">Альфа</p><p before="12">Бета</p>"#,
            16.0,
        ),
        (
            "more-before",
            r#"<p after="16">Альфа</p><p before="24">Бета</p>"#,
            24.0,
        ),
        ("after-only", r#"<p after="16">Альфа</p><p>Бета</p>"#, 16.0),
        (
            "before-only",
            r#"<p>Альфа</p><p before="12">Бета</p>"#,
            12.0,
        ),
        (
            "signature",
            r#"<p after="16">Альфа</p><signature before="32"><line>Бета</line><name>И.О.&#160;Фамилия</name></signature>"#,
            32.0,
        ),
        (
            "list",
            r#"<p after="16">Альфа</p><list kind="numbered"><item label="1."><p before="12">Бета</p></item></list>"#,
            16.0,
        ),
        (
            "box",
            r#"<p after="16">Альфа</p><box><p before="6">Бета</p></box>"#,
            16.0,
        ),
        (
            "after-box",
            r#"<box><p after="10">Альфа</p></box><p before="4">Бета</p>"#,
            10.0,
        ),
    ];
    let mut rendered = Vec::new();
    for (name, body, _) in cases {
        let m = format!(r#"<document title="Т"><section><p>Начало</p>{body}</section></document>"#);
        let (doc, docx, pdf) = render(&m);
        rendered.push((name.to_string(), doc, docx, pdf));
    }
    let files: Vec<(&str, &[u8], &[u8])> = rendered
        .iter()
        .map(|(n, _, d, p)| (n.as_str(), &d[..], &p[..]))
        .collect();
    let c = convert(&files);
    let pt = 25.4 / 72.0;
    for (k, ((name, doc, _, _), (_, _, space))) in rendered.iter().zip(cases).enumerate() {
        let lines = &our_lines(doc)[0];
        let ours = |w: &str| {
            lines
                .iter()
                .find(|l| l.text.starts_with(w) || l.text.starts_with(&format!("1. {w}")))
                .unwrap()
                .y_mm
        };
        let words = word_boxes(&c.theirs[k]);
        let theirs = |w: &str| words.iter().find(|b| b.0 == w).unwrap().2;
        let ours = (ours("Бета") - ours("Альфа")) / pt;
        let theirs = (theirs("Бета") - theirs("Альфа")) / pt;
        assert!(
            (theirs - 16.1 - space).abs() < 0.1,
            "{name}: LibreOffice puts {theirs} pt between the baselines"
        );
        assert!(
            (ours - theirs).abs() < 0.1,
            "{name}: {ours} pt between the baselines in our PDF, {theirs} in LibreOffice's"
        );
    }
}

/// One paragraph per page, each `left` mm narrower: `text` at the left
/// edge of the paragraph, so its first line ends where `left` makes it.
fn sweep(text: &str, lefts: &[f32]) -> String {
    let mut body = String::new();
    for left in lefts {
        body.push_str(&format!(
            r#"<p indent="0" left="{left}">{text} хвост строки второй.</p><pagebreak/>"#
        ));
    }
    format!(r#"<document title="Т" page-numbers="none"><section>{body}</section></document>"#)
}

/// The first line of each page, as `pdftotext -layout` reads it (the
/// plain text joins a word hyphenated across lines back).
fn first_lines(pdf: &Path) -> Vec<String> {
    run(
        "pdftotext",
        &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()],
    )
    .split('\u{c}')
    .filter_map(|page| {
        page.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|l| !l.is_empty())
    })
    .collect()
}

#[test]
fn a_compound_word_is_hyphenated_in_its_parts_three_letters_from_its_hyphen_as_in_libreoffice() {
    // (text, left indents, how each first line ends). LibreOffice
    // (libhyphen) hyphenates each part of «санитарно-эпидемиологическими»
    // on its own, but never closer than three letters to the hyphen:
    // «ме-тодический» and «учеб-но-» are refused, «сани-тарно-» is not.
    let cases: &[(&str, &[f32], &[&str])] = &[
        (
            "Об образовании в Российской Федерации, и ещё санитарно-эпидемиологическими",
            &[3.0, 9.0, 16.0, 30.0],
            &[
                "санитарно-эпидемиологиче-",
                "санитарно-эпидемиологи-",
                "санитарно-эпидемио-",
                "санитарно-",
            ],
        ),
        (
            "Отделу образования Жуковского района совместно с МУ «Учебно-методический",
            &[3.0, 9.0, 14.0, 19.0, 22.0],
            &[
                "«Учебно-методиче-",
                "«Учебно-методи-",
                "«Учебно-мето-",
                // «ме-» would fit here: two letters after the hyphen.
                "«Учебно-",
                "«Учебно-",
            ],
        ),
        (
            "Об образовании в Российской Федерации, и ещё вот такие слова, санитарно-эпидемиологическими",
            &[14.0, 22.0],
            &["сани-", "са-"],
        ),
    ];
    let mut files = Vec::new();
    for (k, (text, lefts, ends)) in cases.iter().enumerate() {
        let (doc, docx, pdf) = render(&sweep(text, lefts));
        let ours: Vec<String> = our_lines(&doc).iter().map(|p| p[0].text.clone()).collect();
        for ((line, want), left) in ours.iter().zip(*ends).zip(*lefts) {
            assert!(
                line.ends_with(&format!(" {want}")),
                "left {left} mm: our first line «{line}» should end in «{want}»"
            );
        }
        files.push((format!("compound{k}"), docx, pdf));
    }
    let named: Vec<(&str, &[u8], &[u8])> = files
        .iter()
        .map(|(n, d, p)| (n.as_str(), &d[..], &p[..]))
        .collect();
    let c = convert(&named);
    for (k, (name, _, _)) in files.iter().enumerate() {
        assert_eq!(
            first_lines(&c.ours[k]),
            first_lines(&c.theirs[k]),
            "{name}: our first lines and LibreOffice's"
        );
        assert_same_as_libreoffice(name, &c.ours[k], &c.theirs[k]);
    }
}
