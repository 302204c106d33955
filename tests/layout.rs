//! The layout measures of LAYOUT.md, read from the DOCX parts: page size
//! and margins, fonts and sizes, indents, language and hyphenation, page
//! numbers, the appendix box and landscape sections.

mod common;
use common::*;

/// mm → twentieths of a point, as Word stores lengths.
fn twips(mm: f32) -> i64 {
    (mm / 25.4 * 1440.0).round() as i64
}

#[test]
fn a4_with_the_house_margins() {
    for id in SEEDS {
        let xml = part(&render(&seed_input(id)), "word/document.xml");
        assert!(
            xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
            "seed {id}: A4"
        );
        let mar = format!(
            r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}""#,
            twips(20.0),
            twips(10.0),
            twips(20.0),
            twips(30.0)
        );
        assert!(xml.contains(&mar), "seed {id}: margins 20/10/20/30 mm");
    }
}

#[test]
fn times_new_roman_14_pt_russian_with_hyphenation() {
    let docx = render(&seed_input("000"));
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains(r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman""#));
    assert!(
        styles.contains(r#"<w:sz w:val="28"/>"#),
        "14 pt is 28 half-points"
    );
    assert!(styles.contains(r#"<w:lang w:val="ru-RU""#));
    assert!(styles.contains(r#"w:styleId="Requisite"><w:name w:val="Реквизит"/>"#));
    assert!(styles.contains("<w:suppressAutoHyphens/>"));
    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains(r#"<w:autoHyphenation w:val="true"/>"#));
}

#[test]
fn body_is_justified_with_a_first_line_indent_and_requisites_are_centred() {
    let xml = part(&render(&seed_input("004")), "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let paragraph = |starts: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name("p"))
            .find(|p| {
                let text: String = p
                    .descendants()
                    .filter(|n| n.has_tag_name("t"))
                    .filter_map(|n| n.text())
                    .collect();
                // The typographic pass puts no-break spaces after short words.
                text.replace('\u{a0}', " ").starts_with(starts)
            })
            .unwrap_or_else(|| panic!("no paragraph starting «{starts}»"))
    };
    let attr = |p: roxmltree::Node, tag: &str, name: &str| {
        p.descendants()
            .find(|n| n.has_tag_name(tag) && n.parent().is_some_and(|q| q.has_tag_name("pPr")))
            .and_then(|n| {
                n.attributes()
                    .find(|a| a.name() == name)
                    .map(|a| a.value().to_owned())
            })
    };
    let body = paragraph("В соответствии с приказом");
    assert_eq!(attr(body, "jc", "val").as_deref(), Some("both"));
    assert_eq!(
        attr(body, "ind", "firstLine"),
        Some(twips(12.5).to_string())
    );
    for requisite in ["РОССИЙСКАЯ ФЕДЕРАЦИЯ", "ПОСТАНОВЛЕНИЕ", "Об утверждении"]
    {
        let p = paragraph(requisite);
        assert_eq!(
            attr(p, "jc", "val").as_deref(),
            Some("center"),
            "{requisite}"
        );
        assert_eq!(
            attr(p, "ind", "firstLine"),
            None,
            "{requisite} has no indent"
        );
    }
    // Table text is 12 pt.
    let cell = paragraph("Проведение собеседования");
    let sizes: Vec<&str> = cell
        .descendants()
        .filter(|n| n.has_tag_name("sz"))
        .filter_map(|n| {
            n.attribute((
                "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                "val",
            ))
        })
        .collect();
    assert!(
        !sizes.is_empty() && sizes.iter().all(|s| *s == "24"),
        "{sizes:?}"
    );
}

#[test]
fn page_numbers_from_page_two_centred_at_the_top() {
    let docx = render(&seed_input("001"));
    let xml = part(&docx, "word/document.xml");
    assert!(
        xml.contains("<w:titlePg/>"),
        "page 1 has its own (empty) header"
    );
    let header = part(&docx, "word/header1.xml");
    assert!(header.contains("PAGE"), "a PAGE field");
    assert!(header.contains(r#"<w:jc w:val="center"/>"#));
    let first = part(&docx, "word/header2.xml");
    assert!(!first.contains("PAGE"), "no number on page 1");
}

#[test]
fn signature_name_is_flush_right_on_the_last_position_line() {
    let xml = part(&render(&seed_input("004")), "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let p = doc
        .descendants()
        .filter(|n| n.has_tag_name("p"))
        .find(|p| {
            p.descendants()
                .any(|n| n.text() == Some("Э.В.\u{a0}Кондратов"))
        })
        .expect("the signature paragraph");
    let text: String = p
        .descendants()
        .filter(|n| n.has_tag_name("t"))
        .filter_map(|n| n.text())
        .collect();
    assert!(text.starts_with("МО «Славский городской округ»"), "{text}");
    let tab = p
        .descendants()
        .find(|n| n.has_tag_name("tab") && n.parent().is_some_and(|t| t.has_tag_name("tabs")))
        .unwrap();
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    assert_eq!(tab.attribute((w, "val")), Some("right"));
    assert_eq!(
        tab.attribute((w, "pos")),
        Some(twips(170.0).to_string().as_str()),
        "at the right margin"
    );
}

#[test]
fn appendix_starts_a_new_section_with_the_label_box_at_the_right() {
    let xml = part(&render(&seed_input("004")), "word/document.xml");
    assert_eq!(
        xml.matches("<w:sectPr").count(),
        2,
        "the appendix is its own section"
    );
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let label = doc
        .descendants()
        .filter(|n| n.has_tag_name("p"))
        .find(|p| {
            p.descendants()
                .any(|n| n.text().is_some_and(|t| t.starts_with("Приложение")))
        })
        .unwrap();
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let ind = label.descendants().find(|n| n.has_tag_name("ind")).unwrap();
    // A 7.5 cm box flush with the right margin: indented by 170 − 75 mm.
    assert_eq!(
        ind.attribute((w, "left")),
        Some(twips(95.0).to_string().as_str())
    );
}

#[test]
fn landscape_appendix_gets_a_landscape_section() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        gostdoc(dir.path(), &["new", "resolution", "r.toml"])
            .status
            .success()
    );
    let path = dir.path().join("r.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("orientation = \"portrait\"", "orientation = \"landscape\"");
    std::fs::write(&path, text).unwrap();
    let xml = part(&render(&path), "word/document.xml");
    assert!(
        xml.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#),
        "{xml}"
    );
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>"#));
}

#[test]
fn file_properties_name_the_document_and_the_organisation() {
    let core = part(&render(&seed_input("004")), "docProps/core.xml").replace('\u{a0}', " ");
    assert!(
        core.contains("<dc:title>Постановление от 10.02.2021 № 227</dc:title>"),
        "{core}"
    );
    assert!(core.contains("<dc:creator>Администрация муниципального образования «Славский городской округ»</dc:creator>"), "{core}");
    assert!(core.contains("<dc:language>ru-RU</dc:language>"), "{core}");
    // The act's own date, never the clock's (tests/requisites_2025.rs
    // checks every example).
    assert!(
        core.contains(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">2021-02-10T00:00:00Z</dcterms:created>"#
        ),
        "{core}"
    );
}
