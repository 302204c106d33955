//! Tests of the DOCX backend on a small протокол-like document.

use std::io::Read;

use super::*;

fn text(s: &str) -> Inline {
    Inline::Text {
        text: s.into(),
        style: RunStyle::default(),
    }
}

fn para(align: Align, s: &str) -> Paragraph {
    Paragraph {
        align,
        runs: vec![text(s)],
        ..Paragraph::plain()
    }
}

fn sample() -> Document {
    let body = Paragraph {
        first_line_mm: 12.5,
        ..para(
            Align::Justify,
            "Текст <со> знаками & и \"кавычками\", № 227.",
        )
    };
    let spaced = Paragraph {
        runs: vec![Inline::Text {
            text: "постановляет".into(),
            style: RunStyle {
                bold: true,
                spaced: true,
                ..RunStyle::default()
            },
        }],
        ..Paragraph::plain()
    };
    let list = List {
        kind: ListKind::Numbered,
        items: vec![ListItem {
            label: "2.1.".into(),
            paragraphs: vec![para(Align::Justify, "Пункт.")],
        }],
    };
    let signature = Signature {
        position: vec![vec![text("Глава администрации")], vec![text("округа")]],
        name: "И.О.\u{a0}Фамилия".into(),
        space_before_pt: 28.0,
        keep_with_next: false,
        electronic: None,
    };
    let table = Table {
        stored: None,
        columns_mm: vec![15.0, 120.0],
        rows: vec![
            Row {
                header: true,
                cells: vec![
                    Cell {
                        colspan: 1,
                        rowspan: 1,
                        blocks: vec![Block::Paragraph(para(Align::Center, "№"))],
                    },
                    Cell {
                        colspan: 1,
                        rowspan: 1,
                        blocks: vec![Block::Paragraph(para(Align::Center, "Мероприятие"))],
                    },
                ],
            },
            Row {
                header: false,
                cells: vec![Cell {
                    colspan: 2,
                    rowspan: 1,
                    blocks: vec![],
                }],
            },
        ],
    };
    Document {
        meta: Meta {
            title: "Протокол № 4".into(),
            author: "Администрация".into(),
            subject: "Заседание".into(),
            date: "2023-12-14".into(),
            language: "ru-RU".into(),
        },
        style: TextStyle::default(),
        page_numbers: PageNumbers::TopCenterFromSecond,
        sections: vec![
            Section {
                orientation: Orientation::Portrait,
                margins: Margins::PORTRAIT,
                blocks: vec![
                    Block::Paragraph(body),
                    Block::Paragraph(spaced),
                    Block::List(list),
                    Block::Signature(signature),
                ],
            },
            Section {
                orientation: Orientation::Landscape,
                margins: Margins::LANDSCAPE,
                blocks: vec![
                    Block::RequisiteBox(RequisiteBox {
                        width_mm: 75.0,
                        paragraphs: vec![para(Align::Left, "Приложение № 1")],
                    }),
                    Block::Table(table),
                ],
            },
        ],
        warnings: Vec::new(),
    }
}

/// Reads one part of the package as text.
fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut file = zip.by_name(name).unwrap();
    let mut out = String::new();
    file.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn output_is_deterministic() {
    let doc = sample();
    let a = render(&doc).unwrap();
    let b = render(&doc).unwrap();
    assert_eq!(a, b);
}

#[test]
fn text_is_escaped_and_nbsp_kept() {
    let xml = part(&render(&sample()).unwrap(), "word/document.xml");
    assert!(xml.contains("Текст &lt;со&gt; знаками &amp; и &quot;кавычками&quot;, № 227."));
    assert!(xml.contains("И.О.\u{a0}Фамилия"));
}

#[test]
fn table_rows_repeat_header_and_do_not_split() {
    let xml = part(&render(&sample()).unwrap(), "word/document.xml");
    assert_eq!(xml.matches("<w:tblHeader/>").count(), 1);
    assert_eq!(xml.matches("<w:cantSplit/>").count(), 2);
    assert!(xml.contains(r#"<w:tblLayout w:type="fixed"/>"#));
    assert!(xml.contains(r#"<w:gridSpan w:val="2"/>"#));
}

#[test]
fn sections_and_page_numbers() {
    let docx = render(&sample()).unwrap();
    let xml = part(&docx, "word/document.xml");
    assert_eq!(xml.matches("<w:sectPr>").count(), 2);
    // The first page has no number; the landscape appendix is numbered.
    assert_eq!(xml.matches("<w:titlePg/>").count(), 1);
    assert_eq!(
        xml.matches(r#"<w:headerReference w:type="default" r:id="rIdHeader1"/>"#)
            .count(),
        2
    );
    assert!(xml.contains(r#"w:orient="landscape""#));
    let header = part(&docx, "word/header1.xml");
    assert!(header.contains("PAGE"));
}

#[test]
fn language_and_hyphenation() {
    let docx = render(&sample()).unwrap();
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains(r#"<w:lang w:val="ru-RU" w:eastAsia="ru-RU" w:bidi="ar-SA"/>"#));
    assert!(styles.contains(r#"w:ascii="Times New Roman""#));
    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains("<w:autoHyphenation"));
    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains("<dc:title>Протокол № 4</dc:title>"));
    assert!(core.contains("<dc:language>ru-RU</dc:language>"));
    // The document's own date, never the clock's.
    assert!(core.contains(
        r#"<dcterms:created xsi:type="dcterms:W3CDTF">2023-12-14T00:00:00Z</dcterms:created>"#
    ));
}

#[test]
fn signature_name_after_right_tab() {
    let xml = part(&render(&sample()).unwrap(), "word/document.xml");
    // Portrait text width: 210 − 30 − 10 mm = 170 mm = 9638 twips.
    assert!(xml.contains(r#"<w:tab w:val="right" w:pos="9638"/>"#));
    assert!(xml.contains("<w:tab/><w:t xml:space=\"preserve\">И.О.\u{a0}Фамилия"));
}

#[test]
fn letter_spacing_and_labels() {
    let xml = part(&render(&sample()).unwrap(), "word/document.xml");
    assert!(xml.contains(r#"<w:spacing w:val="60"/>"#));
    assert!(xml.contains(">2.1. </w:t>"));
}

#[test]
fn unsupported_image_is_an_error() {
    let mut doc = sample();
    doc.sections[0].blocks.push(Block::Image(Image {
        data: b"GIF89a".to_vec(),
        source: "герб.gif".into(),
        width_mm: 10.0,
        height_mm: 10.0,
        align: Align::Center,
        placement: ImagePlacement::Inline,
    }));
    let err = render(&doc).unwrap_err();
    assert!(err.to_string().contains("герб.gif"));
}

#[test]
fn no_sections_is_an_error() {
    let mut doc = sample();
    doc.sections.clear();
    assert!(matches!(render(&doc), Err(DocxError::NoSections)));
}

/// A 1 × 1 grey PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b,
    0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x01, 0x48, 0xaf, 0xa4, 0x71, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn image(data: &[u8]) -> Block {
    Block::Image(Image {
        data: data.to_vec(),
        source: "герб".into(),
        width_mm: 15.0,
        height_mm: 17.0,
        align: Align::Center,
        placement: ImagePlacement::Inline,
    })
}

#[test]
fn images_are_embedded_with_their_type_and_size() {
    let mut doc = sample();
    let jpeg = [0xff, 0xd8, 0xff, 0xe0, 0, 0x10];
    doc.sections[0].blocks.insert(0, image(PNG));
    doc.sections[0].blocks.insert(1, image(&jpeg));
    let docx = render(&doc).unwrap();
    let xml = part(&docx, "word/document.xml");
    // 15 mm × 17 mm in EMU; unique drawing ids.
    assert!(
        xml.contains(r#"<wp:extent cx="540000" cy="612000"/>"#),
        "{xml}"
    );
    assert!(xml.contains(r#"<wp:docPr id="1""#) && xml.contains(r#"<wp:docPr id="2""#));
    let rels = part(&docx, "word/_rels/document.xml.rels");
    assert!(rels.contains(r#"Target="media/rIdImage1.png""#), "{rels}");
    assert!(rels.contains(r#"Target="media/rIdImage2.jpeg""#), "{rels}");
    let names: Vec<String> = zip::ZipArchive::new(std::io::Cursor::new(&docx))
        .unwrap()
        .file_names()
        .map(String::from)
        .collect();
    assert!(
        names.iter().any(|n| n == "word/media/rIdImage2.jpeg"),
        "{names:?}"
    );
    // Rendering again in the same process gives the same ids and bytes.
    assert_eq!(docx, render(&doc).unwrap());
}

#[test]
fn page_break_sets_page_break_before_or_emits_a_break() {
    let mut doc = sample();
    let blocks = &mut doc.sections[0].blocks;
    blocks.insert(1, Block::PageBreak);
    blocks.push(Block::PageBreak);
    blocks.push(Block::Table(Table {
        stored: None,
        columns_mm: vec![20.0],
        rows: vec![Row {
            header: false,
            cells: vec![Cell {
                colspan: 1,
                rowspan: 1,
                blocks: vec![],
            }],
        }],
    }));
    let xml = part(&render(&doc).unwrap(), "word/document.xml");
    assert_eq!(xml.matches("<w:pageBreakBefore/>").count(), 1);
    assert_eq!(xml.matches(r#"<w:br w:type="page"/>"#).count(), 1);
}

#[test]
fn tabs_newlines_and_control_characters_in_text() {
    let mut doc = sample();
    doc.sections[0]
        .blocks
        .push(Block::Paragraph(para(Align::Left, "а\tб\nв\u{1}г")));
    let xml = part(&render(&doc).unwrap(), "word/document.xml");
    assert!(xml.contains(
        r#"<w:t xml:space="preserve">а</w:t><w:tab/><w:t xml:space="preserve">б</w:t><w:br w:type="textWrapping"/><w:t xml:space="preserve">вг</w:t>"#
    ));
}

#[test]
fn cell_spanning_too_many_columns_is_an_error() {
    let mut doc = sample();
    if let Block::Table(t) = &mut doc.sections[1].blocks[1] {
        t.rows[1].cells[0].colspan = 3;
    }
    let err = render(&doc).unwrap_err();
    assert!(matches!(err, DocxError::BadTable(_)), "{err}");
}

#[test]
fn tables_nested_in_cells_are_spliced_in_order_and_markers_cannot_be_forged() {
    let inner = Table {
        stored: None,
        columns_mm: vec![40.0],
        rows: vec![Row {
            header: false,
            cells: vec![Cell::from_text("внутренняя")],
        }],
    };
    let outer = Table {
        stored: None,
        columns_mm: vec![60.0, 60.0],
        rows: vec![Row {
            header: false,
            cells: vec![
                Cell {
                    colspan: 1,
                    rowspan: 1,
                    blocks: vec![Block::Table(inner)],
                },
                Cell::from_text("наружная"),
            ],
        }],
    };
    // A text that spells a placeholder must stay text, not pull in a table.
    let forged = format!("до{TABLE_MARK}0{TABLE_MARK}после");
    let doc = Document::single_section(
        Meta::default(),
        Orientation::Portrait,
        vec![
            Block::Paragraph(Paragraph::from_text(&forged)),
            Block::Table(outer),
            Block::Paragraph(Paragraph::from_text("конец")),
        ],
    );
    let xml = part(&render(&doc).unwrap(), "word/document.xml");
    assert_eq!(xml.matches("<w:tbl>").count(), 2, "{xml}");
    let order: Vec<usize> = [
        "до0после",
        "<w:tbl>",
        "внутренняя",
        "</w:tbl>",
        "наружная",
        "конец",
    ]
    .iter()
    .map(|s| {
        xml.find(s)
            .unwrap_or_else(|| panic!("{s} missing in {xml}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // The cell that ends with the inner table gets a closing paragraph.
    let inner_end = xml.find("</w:tbl>").unwrap();
    assert!(xml[inner_end..].starts_with("</w:tbl><w:p"), "{xml}");
    assert!(!xml.contains('\u{1}'));
}

#[test]
fn a_word_too_long_to_hyphenate_has_no_language_so_libreoffice_cuts_it() {
    let long = "абв".repeat(22); // 66 letters
    let limit = "где".repeat(21) + "ж"; // 64 letters: hyphenated as usual
    assert_eq!(
        long_words(&format!("о {long}, {limit}")),
        [
            ("о ", false),
            (long.as_str(), true),
            (&*format!(", {limit}"), false)
        ]
    );
    assert_eq!(long_words(""), [("", false)]);
    assert_eq!(long_words(&long), [(long.as_str(), true)]);
    let mut doc = sample();
    doc.sections[0].blocks.push(Block::Paragraph(para(
        Align::Justify,
        &format!("о {long}."),
    )));
    let docx = render(&doc).unwrap();
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains(
        r#"w:styleId="LongWord"><w:name w:val="Слово без переносов"/><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:lang w:val="zxx""#
    ));
    let xml = part(&docx, "word/document.xml");
    assert!(xml.contains(&format!(
        r#"<w:rStyle w:val="LongWord"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr><w:t xml:space="preserve">{long}</w:t>"#
    )));
    assert_eq!(xml.matches("LongWord").count(), 1);
}

/// The package holds no part docx-rs writes that no document uses, every
/// XML part has its own content type (the footnotes docx-rs used to zip
/// had only the generic `application/xml`), and every relationship points
/// at a part that is there.
#[test]
fn every_part_is_typed_and_referenced_parts_exist() {
    let docx = render(&sample()).unwrap();
    let names: Vec<String> = zip::ZipArchive::new(std::io::Cursor::new(&docx))
        .unwrap()
        .file_names()
        .map(String::from)
        .collect();
    for unused in package::UNUSED_PARTS {
        assert!(!names.iter().any(|n| n == unused), "{unused}: {names:?}");
    }
    let types = part(&docx, "[Content_Types].xml");
    for name in names.iter().filter(|n| *n != "[Content_Types].xml") {
        let ext = name.rsplit('.').next().unwrap();
        let typed = if ext == "xml" {
            types.contains(&format!("PartName=\"/{name}\""))
        } else {
            types.contains(&format!("Extension=\"{ext}\""))
        };
        assert!(typed, "{name} has no content type of its own: {types}");
    }
    for unused in package::UNUSED_PARTS {
        assert!(!types.contains(&format!("/{unused}\"")), "{types}");
    }
    for (rels, folder) in [
        ("_rels/.rels", ""),
        ("word/_rels/document.xml.rels", "word/"),
    ] {
        let xml = part(&docx, rels);
        for target in xml.split("Target=\"").skip(1) {
            let target = &target[..target.find('"').unwrap()];
            let path = format!("{folder}{target}");
            assert!(names.contains(&path), "{rels} → {path}: {names:?}");
        }
    }
}

#[test]
fn a_body_longer_than_a_whole_part_is_compressed_in_pieces_and_reads_back() {
    // Rows enough for the body to pass the size held whole: it goes to the
    // compressor piece by piece, and the zip reader checks its CRC.
    let mut doc = sample();
    let row = |n: usize| Row {
        header: false,
        cells: vec![
            Cell::from_text(&n.to_string()),
            Cell::from_text(&format!("Мероприятие № {n} по плану работы")),
        ],
    };
    let rows: Vec<Row> = (0..3000).map(row).collect();
    doc.sections[0].blocks.push(Block::Table(Table {
        stored: None,
        columns_mm: vec![15.0, 120.0],
        rows,
    }));
    let docx = render(&doc).unwrap();
    let xml = part(&docx, "word/document.xml");
    assert!(xml.len() > super::package::WHOLE_PART_BYTES);
    assert!(xml.ends_with("</w:document>"));
    for n in [0, 1499, 2999] {
        assert!(xml.contains(&format!("Мероприятие № {n} по плану работы")));
    }
    assert_eq!(render(&doc).unwrap(), docx);
}

/// Rows written in their final form ([`rows`]) are byte for byte what
/// docx-rs and the normaliser make of them, for every feature the writer
/// takes on; rows it leaves to docx-rs are told apart.
#[test]
fn rows_written_directly_match_docx_rs() {
    let texts = [
        "Обычный текст",
        "2020–2021 273-ФЗ a&b<c>\"d'e\u{a0}f\tg\nh\u{1}i",
        "января Превысокомногорассмотрительствующий слово",
        "",
        "\u{2}",
        "конец-",
        "Весьма-весьма длинноесловокотороенепомещается",
    ];
    let styles = [
        RunStyle::default(),
        RunStyle {
            bold: true,
            italic: true,
            underline: true,
            spaced: true,
            nohyphen: false,
        },
        RunStyle {
            nohyphen: true,
            ..RunStyle::default()
        },
        RunStyle {
            italic: true,
            ..RunStyle::default()
        },
    ];
    let aligns = [Align::Left, Align::Center, Align::Right, Align::Justify];
    let mut paragraphs = Vec::new();
    for (k, t) in texts.iter().enumerate() {
        for (j, style) in styles.iter().enumerate() {
            let mut runs = vec![Inline::Text {
                text: t.to_string(),
                style: *style,
            }];
            if (k + j) % 3 == 0 {
                runs.push(Inline::LineBreak);
                runs.push(text("после"));
            }
            paragraphs.push(Paragraph {
                align: aligns[(k + j) % 4],
                first_line_mm: [0.0, 12.5, -5.0][(k + 2 * j) % 3],
                left_mm: [0.0, 3.0][j % 2],
                width_mm: [None, Some(20.0), Some(200.0)][k % 3],
                keep_with_next: (k + j) % 2 == 0,
                space_before_pt: [0.0, 6.0][k % 2],
                space_after_pt: [0.0, 3.0, 1.5][j % 3],
                size_pt: [None, Some(12.0), Some(10.5)][(k + j) % 3],
                hyphenate: k % 4 != 1,
                runs,
                ..Paragraph::plain()
            });
        }
    }
    let mut rows = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        let list = List {
            kind: ListKind::Numbered,
            items: vec![ListItem {
                label: ["1.", "–", "2-"][i % 3].into(),
                paragraphs: vec![p.clone(), para(Align::Left, "b")],
            }],
        };
        let cell = |blocks| Cell {
            colspan: 1,
            rowspan: 1,
            blocks,
        };
        rows.push(Row {
            header: i < 2,
            cells: match i % 4 {
                0 => vec![
                    Cell {
                        colspan: 2,
                        rowspan: 2,
                        blocks: vec![Block::Paragraph(p.clone())],
                    },
                    cell(vec![Block::List(list)]),
                ],
                1 => vec![cell(vec![])],
                2 => vec![
                    cell(vec![Block::Paragraph(p.clone()), Block::List(list)]),
                    cell(vec![Block::Paragraph(p.clone())]),
                    cell(vec![Block::Paragraph(Paragraph {
                        rule_below: true,
                        ..p.clone()
                    })]),
                ],
                _ => vec![
                    cell(vec![Block::Paragraph(p.clone())]),
                    Cell {
                        colspan: 2,
                        rowspan: 1,
                        blocks: vec![Block::Paragraph(p.clone())],
                    },
                ],
            },
        });
    }
    let table = Table {
        stored: None,
        columns_mm: vec![15.0, 20.0, 30.0],
        rows,
    };
    let style = TextStyle::default();
    let mut builder = Builder::new(&style, None);
    let shell = builder.shell(&table).unwrap();
    let (mut direct, mut left) = (0, 0);
    for (r, slots) in table.slots().iter().enumerate() {
        let mut fast = Vec::new();
        let row = &table.rows[r];
        let ready = rows::write_row(&table, row, &shell, r, slots, style.table_pt, &mut fast);
        let xml = builder.row(&table, row, &shell, r, slots).unwrap();
        if !ready {
            assert!(fast.is_empty());
            left += 1;
            continue;
        }
        direct += 1;
        let plan = normalize::DocumentPlan {
            header_rows: vec![table.rows[r].header],
            sections: vec![],
        };
        let slow = normalize::normalize_part(&xml, Some(&plan)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&slow),
            "row {r}"
        );
    }
    // Both ways are taken: the rule below and the soft hyphens of a
    // centred word too wide for its cell go to docx-rs.
    assert!(direct > 10 && left > 3, "{direct} written, {left} left");
}

/// The quick letter test answers as `char::is_alphabetic`.
#[test]
fn letters_are_told_as_unicode_tells_them() {
    for c in (0u32..0x3000).filter_map(char::from_u32) {
        assert_eq!(is_letter(c), c.is_alphabetic(), "U+{:04X}", c as u32);
    }
}
