//! Tests of the PDF backend: seeds, long tables, determinism, speed.

use std::path::{Path, PathBuf};

use super::*;

fn seeds() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("data folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let n = p.file_name().unwrap_or_default().to_string_lossy();
            n.starts_with("00") && n.ends_with(".toml")
        })
        .collect();
    out.sort();
    out
}

fn seed_docs() -> Vec<(String, Document)> {
    let templates = crate::template::Templates::load(None).expect("templates");
    seeds()
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy()[..3].to_string();
            let (doc, _) = crate::build::render(&p, &templates).expect("seed renders");
            (name, doc)
        })
        .collect()
}

/// Text with whitespace normalised, lines broken after a hyphen or dash
/// joined, and hyphens dropped (an added hyphen and a hyphen in the text
/// cannot be told apart in the extracted lines).
fn normalise(lines: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.replace('\u{a0}', " ");
        let mut tail = out.chars().rev();
        let joined = matches!(tail.next(), Some('-' | '–' | '—'))
            && tail.next().is_some_and(|c| !c.is_whitespace());
        if !joined && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line.trim());
    }
    out.replace('-', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn seeds_page_counts_match_libreoffice() {
    // LibreOffice 7.4's PDF of our DOCX, counted by hand (see the report).
    let expected = [("000", 2), ("001", 3), ("002", 3), ("003", 2), ("004", 3)];
    for (name, doc) in seed_docs() {
        let layout = layout(&doc, &PdfOptions::default()).expect("layout");
        if let Some((_, pages)) = expected.iter().find(|(n, _)| *n == name) {
            assert_eq!(layout.pages.len(), *pages, "seed {name}");
        }
    }
}

#[test]
fn seeds_have_no_overfull_lines() {
    for (name, doc) in seed_docs() {
        let layout = layout(&doc, &PdfOptions::default()).expect("layout");
        let over = layout.overfull_lines();
        assert!(over.is_empty(), "seed {name}: {over:#?}");
    }
}

#[test]
fn seeds_keep_the_text_in_order() {
    for (name, doc) in seed_docs() {
        let layout = layout(&doc, &PdfOptions::default()).expect("layout");
        // The page number is the last line of every page but the first.
        // Header rows repeated from the previous page are not new text.
        let laid = layout.pages.iter().enumerate().flat_map(|(i, p)| {
            let numbered = i > 0 && doc.page_numbers != PageNumbers::None;
            let repeated = i > 0 && layout.pages[i - 1].lines.iter().any(|l| l.in_header_row);
            p.lines[..p.lines.len() - usize::from(numbered)]
                .iter()
                .filter(move |l| !(repeated && l.in_header_row))
                .map(|l| l.text.clone())
        });
        let expected = doc
            .plain_text()
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>();
        let want = normalise(expected.into_iter());
        let got = normalise(laid);
        assert_eq!(got, want, "seed {name}");
    }
}

#[test]
fn seed_000_is_small_and_deterministic() {
    let docs = seed_docs();
    for (name, doc) in &docs {
        let a = render(doc, &PdfOptions::default()).expect("pdf");
        let b = render(doc, &PdfOptions::default()).expect("pdf");
        assert!(
            a.bytes == b.bytes,
            "seed {name}: output differs between runs"
        );
        assert!(a.warnings.is_empty(), "seed {name}: {:?}", a.warnings);
        assert!(a.bytes.starts_with(b"%PDF-"));
        if name == "000" {
            assert!(a.bytes.len() <= 40_000, "{} bytes", a.bytes.len());
        }
    }
}

#[test]
fn metadata_and_language_are_written() {
    let (_, doc) = seed_docs().remove(0);
    let bytes = render(&doc, &PdfOptions::default()).expect("pdf").bytes;
    // The dictionaries sit in compressed object streams: read them back
    // and write them out plain.
    let mut lo = lopdf::Document::load_mem(&bytes).expect("the PDF parses");
    lo.decompress();
    let mut plain = Vec::new();
    lo.save_to(&mut plain).expect("saved");
    let text = String::from_utf8_lossy(&plain);
    assert!(text.contains("/Lang(ru-RU)"), "no /Lang");
    assert!(text.contains("+LiberationSerif"), "font not subset-named");
    // The meeting's date (24.06.2021), never the clock's.
    assert!(
        text.contains("D:20210624000000"),
        "the document's date is the file's date"
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let today = chrono::DateTime::from_timestamp(now, 0)
        .unwrap()
        .format("D:%Y%m%d")
        .to_string();
    assert!(!text.contains(&today), "a date from the clock slipped in");
}

fn para(text: &str) -> Paragraph {
    Paragraph::from_text(text)
}

fn cell(text: &str) -> Cell {
    Cell::from_text(text)
}

fn meta(title: &str) -> Meta {
    Meta {
        title: title.into(),
        author: "Администрация".into(),
        subject: "Проверка".into(),
        date: "2021-02-10".into(),
        language: "ru-RU".into(),
    }
}

/// A roadmap appendix: a landscape section with a long four-column table.
pub(super) fn roadmap(rows: usize) -> Document {
    let mut table_rows = vec![Row {
        header: true,
        cells: ["№ п/п", "Мероприятия", "Срок исполнения", "Ответственные"]
            .iter()
            .map(|t| cell(t))
            .collect(),
    }];
    for i in 0..rows {
        if i % 25 == 0 {
            table_rows.push(Row {
                header: false,
                cells: vec![Cell {
                    colspan: 4,
                    rowspan: 1,
                    blocks: vec![Block::Paragraph(para(&format!("Раздел {}", i / 25 + 1)))],
                }],
            });
        }
        let long = "Проведение мониторинга образовательных результатов обучающихся \
                    и анализ эффективности принимаемых управленческих решений"
            .repeat(1 + i % 3);
        table_rows.push(Row {
            header: false,
            cells: vec![
                cell(&format!("{}.", i + 1)),
                cell(&long),
                cell("до 01.09.2021"),
                cell("Управление образования, руководители общеобразовательных организаций"),
            ],
        });
    }
    Document::single_section(
        meta("Дорожная карта"),
        Orientation::Landscape,
        vec![Block::Table(Table {
            stored: None,
            columns_mm: vec![15.0, 130.0, 40.0, 72.0],
            rows: table_rows,
        })],
    )
}

/// Checks every page of a table that fills a landscape section: the
/// header row first, no cell below the bottom margin, every line of text
/// inside a cell of its page (page numbers aside).
fn check_table_pages(layout: &Layout) {
    for (n, page) in layout.pages.iter().enumerate() {
        assert!(
            page.cells.first().is_some_and(|c| c.header && c.row == 0),
            "page {} does not start with the header row",
            n + 1
        );
        let bottom = page.height_mm - Margins::LANDSCAPE.bottom;
        for c in &page.cells {
            assert!(
                c.y_mm + c.height_mm <= bottom + 0.01,
                "page {}: cell below the margin: {c:?}",
                n + 1
            );
        }
        for l in page
            .lines
            .iter()
            .filter(|l| l.y_mm > Margins::LANDSCAPE.top)
        {
            let inside = page.cells.iter().any(|c| {
                l.x_mm >= c.x_mm
                    && l.x_mm + l.width_mm <= c.x_mm + c.width_mm + 0.01
                    && l.y_mm > c.y_mm
                    && l.y_mm < c.y_mm + c.height_mm
            });
            assert!(inside, "page {}: line outside its cell: {l:?}", n + 1);
        }
    }
    assert!(layout.overfull_lines().is_empty());
}

#[test]
fn long_roadmap_repeats_the_header_and_never_splits_a_row() {
    let doc = roadmap(300);
    let layout = layout(&doc, &PdfOptions::default()).expect("layout");
    assert!(layout.pages.len() > 5, "{} pages", layout.pages.len());
    check_table_pages(&layout);
    let mut seen = std::collections::HashSet::new();
    for page in &layout.pages {
        let rows_here: std::collections::HashSet<usize> = page
            .cells
            .iter()
            .filter(|c| !c.header)
            .map(|c| c.row)
            .collect();
        for r in rows_here {
            assert!(seen.insert(r), "row {r} appears on two pages");
        }
    }
}

#[test]
fn a_row_taller_than_a_page_is_split_under_the_repeated_header() {
    let mut doc = roadmap(3);
    let Block::Table(table) = &mut doc.sections[0].blocks[0] else {
        unreachable!("the roadmap is a table")
    };
    let tall = Cell {
        colspan: 1,
        rowspan: 1,
        blocks: (1..=200)
            .map(|i| Block::Paragraph(para(&format!("Строка {i}"))))
            .collect(),
    };
    table.rows.push(Row {
        header: false,
        cells: vec![cell("4."), tall, cell("постоянно"), cell("Управление")],
    });
    table.rows.push(Row {
        header: false,
        cells: vec![
            cell("5."),
            cell("После"),
            cell("до 01.09.2021"),
            cell("Школы"),
        ],
    });
    let tall_row = table.rows.len() - 2;
    let layout = layout(&doc, &PdfOptions::default()).expect("layout");
    check_table_pages(&layout);

    let with_tall: Vec<usize> = (0..layout.pages.len())
        .filter(|&n| layout.pages[n].cells.iter().any(|c| c.row == tall_row))
        .collect();
    assert!(with_tall.len() >= 5, "on pages {with_tall:?}");
    assert!(
        with_tall.windows(2).all(|w| w[1] == w[0] + 1),
        "the parts are on consecutive pages: {with_tall:?}"
    );
    // It does not fit below the short rows, so it starts a page, and the
    // next row follows its last part.
    let first = &layout.pages[with_tall[0]];
    assert_eq!(
        first.cells.iter().find(|c| !c.header).map(|c| c.row),
        Some(tall_row)
    );
    assert!(with_tall[0] > 0, "the short rows stay on the first page");
    let last = &layout.pages[*with_tall.last().unwrap()];
    assert!(last.cells.iter().any(|c| c.row == tall_row + 1));

    // Every line of the tall cell is set once, in order.
    let lines: Vec<String> = layout
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| l.text.starts_with("Строка "))
        .map(|l| l.text.clone())
        .collect();
    let want: Vec<String> = (1..=200).map(|i| format!("Строка {i}")).collect();
    assert_eq!(lines, want);
}

#[test]
#[ignore = "timing; run with --release -- --ignored --nocapture"]
fn speed() {
    use std::time::Instant;
    let templates = crate::template::Templates::load(None).expect("templates");
    let seed = seeds().remove(0);
    let opts = PdfOptions::default();
    // The first render loads the fonts and the hyphenation dictionary.
    let (doc, _) = crate::build::render(&seed, &templates).expect("seed");
    render(&doc, &opts).expect("pdf");
    let mut both = Vec::new();
    let mut pdf_only = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let (doc, _docx) = crate::build::render(&seed, &templates).expect("seed");
        let t1 = Instant::now();
        let out = render(&doc, &opts).expect("pdf");
        assert!(!out.bytes.is_empty());
        both.push(t.elapsed().as_secs_f64() * 1000.0);
        pdf_only.push(t1.elapsed().as_secs_f64() * 1000.0);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "seed 000: DOCX+PDF {:.2} ms, PDF {:.2} ms (median of 200)",
        median(&mut both),
        median(&mut pdf_only)
    );
}

/// One 5000-row roadmap to PDF, alone in its process so that
/// `/usr/bin/time -f "%e %M"` on the test binary measures it.
#[test]
#[ignore = "timing; run with --release -- --ignored --exact pdf::tests::speed_roadmap_5000"]
fn speed_roadmap_5000() {
    use std::time::Instant;
    let doc = roadmap(5000);
    let t = Instant::now();
    let out = render(&doc, &PdfOptions::default()).expect("pdf");
    let elapsed = t.elapsed();
    let size = out.bytes.len();
    drop(out);
    // Counted afterwards, so the peak memory is the render's alone.
    let pages = layout(&doc, &PdfOptions::default())
        .expect("layout")
        .pages
        .len();
    println!(
        "roadmap 5000 rows: {pages} pages, PDF {:.0} ms, {} KB",
        elapsed.as_secs_f64() * 1000.0,
        size / 1024
    );
}

/// A 1 × 1 PNG, red at half opacity (made with Pillow): exercises the
/// soft mask.
pub(super) const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xD0,
    0x00, 0x00, 0x04, 0x81, 0x01, 0x80, 0x2C, 0x55, 0xCE, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// A 1 × 1 grey baseline JPEG (Pillow, quality 50): small enough to inline.
pub(super) const TINY_JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xFF, 0xDB, 0x00, 0x43, 0x00, 0x10, 0x0B, 0x0C, 0x0E, 0x0C, 0x0A, 0x10,
    0x0E, 0x0D, 0x0E, 0x12, 0x11, 0x10, 0x13, 0x18, 0x28, 0x1A, 0x18, 0x16, 0x16, 0x18, 0x31, 0x23,
    0x25, 0x1D, 0x28, 0x3A, 0x33, 0x3D, 0x3C, 0x39, 0x33, 0x38, 0x37, 0x40, 0x48, 0x5C, 0x4E, 0x40,
    0x44, 0x57, 0x45, 0x37, 0x38, 0x50, 0x6D, 0x51, 0x57, 0x5F, 0x62, 0x67, 0x68, 0x67, 0x3E, 0x4D,
    0x71, 0x79, 0x70, 0x64, 0x78, 0x5C, 0x65, 0x67, 0x63, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01,
    0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xC4, 0x00, 0x1F, 0x00, 0x00, 0x01, 0x05, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04,
    0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0xFF, 0xC4, 0x00, 0xB5, 0x10, 0x00, 0x02, 0x01, 0x03,
    0x03, 0x02, 0x04, 0x03, 0x05, 0x05, 0x04, 0x04, 0x00, 0x00, 0x01, 0x7D, 0x01, 0x02, 0x03, 0x00,
    0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32,
    0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72,
    0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x34, 0x35,
    0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55,
    0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75,
    0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x92, 0x93, 0x94,
    0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2,
    0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9,
    0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6,
    0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFF, 0xDA,
    0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0xCC, 0xAF, 0xFF, 0xD9,
];

fn picture(data: &[u8], source: &str, width_mm: f32, height_mm: f32, align: Align) -> Block {
    Block::Image(Image {
        data: data.to_vec(),
        source: source.into(),
        width_mm,
        height_mm,
        align,
        placement: ImagePlacement::Inline,
    })
}

fn one_section(blocks: Vec<Block>) -> Document {
    Document::single_section(meta("Проверка"), Orientation::Portrait, blocks)
}

/// The image boxes of a page, in mm from its top left corner.
fn image_boxes(page: &PageLayout) -> Vec<(usize, f32, f32, f32, f32)> {
    page.draws
        .iter()
        .filter_map(|d| match d {
            layout::Draw::Image { index, x, y, w, h } => Some((*index, *x, *y, *w, *h)),
            _ => None,
        })
        .collect()
}

#[test]
fn png_and_jpeg_images_are_drawn_in_their_boxes() {
    let doc = one_section(vec![
        picture(TINY_PNG, "герб.png", 14.0, 17.0, Align::Center),
        Block::Paragraph(para("Текст между рисунками.")),
        picture(TINY_JPEG, "печать.jpg", 30.0, 20.0, Align::Right),
        picture(TINY_PNG, "герб.png", 14.0, 17.0, Align::Left),
    ]);
    let out = render(&doc, &PdfOptions::default()).expect("pdf");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_eq!(
        out.bytes,
        render(&doc, &PdfOptions::default()).unwrap().bytes
    );

    // Boxes: centred, flush right, flush left, at the requested size.
    let layout = layout(&doc, &PdfOptions::default()).expect("layout");
    let boxes = image_boxes(&layout.pages[0]);
    let m = Margins::PORTRAIT;
    let measure = 210.0 - m.left - m.right;
    assert_eq!(boxes.len(), 3);
    let near = |a: f32, b: f32| (a - b).abs() < 0.01;
    assert!(near(boxes[0].1, m.left + (measure - 14.0) / 2.0) && near(boxes[0].2, m.top));
    assert!(near(boxes[0].3, 14.0) && near(boxes[0].4, 17.0));
    assert!(near(boxes[1].1, m.left + measure - 30.0) && boxes[1].2 > boxes[0].2 + 17.0);
    assert!(near(boxes[2].1, m.left) && boxes[2].2 > boxes[1].2 + 20.0);

    // In the file: the PNG once (with its soft mask), the JPEG as it is.
    let pdf = lopdf::Document::load_mem(&out.bytes).expect("the PDF parses");
    let streams: Vec<&lopdf::Stream> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image"))
        .collect();
    assert_eq!(streams.len(), 3, "PNG, its alpha mask and the JPEG");
    let jpeg = streams
        .iter()
        .find(|s| s.dict.get(b"Filter").and_then(|v| v.as_name()).ok() == Some(b"DCTDecode"))
        .expect("the JPEG is passed through");
    assert_eq!(jpeg.content, TINY_JPEG);
    assert!(
        streams.iter().any(|s| s.dict.has(b"SMask")),
        "PNG alpha kept"
    );

    // The content stream scales the unit square to the box, in points,
    // with the box's bottom left corner at the translation.
    let page = *pdf.get_pages().values().next().expect("a page");
    let content = lopdf::content::Content::decode(&pdf.get_page_content(page)).expect("content");
    let ops = &content.operations;
    let placed: Vec<Vec<f32>> = ops
        .windows(2)
        .filter(|w| w[0].operator == "cm" && w[1].operator == "Do")
        .map(|w| {
            w[0].operands
                .iter()
                .map(|o| o.as_float().unwrap_or(f32::NAN))
                .collect()
        })
        .collect();
    assert_eq!(placed.len(), 3, "{ops:?}");
    let (_, x, y, w, h) = boxes[0];
    let pt = |mm: f32| mm / linebreak::PT;
    let want = [pt(w), 0.0, 0.0, pt(h), pt(x), pt(297.0 - y - h)];
    for (got, want) in placed[0].iter().zip(want) {
        assert!((got - want).abs() < 0.01, "{:?} != {want:?}", placed[0]);
    }
}

#[test]
fn an_unreadable_image_is_a_warning_and_keeps_its_space() {
    let doc = one_section(vec![picture(
        b"GIF89a",
        "герб.gif",
        14.0,
        17.0,
        Align::Center,
    )]);
    let out = render(&doc, &PdfOptions::default()).expect("pdf");
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(out.warnings[0].contains("герб.gif"), "{}", out.warnings[0]);
    let layout = layout(&doc, &PdfOptions::default()).expect("layout");
    assert_eq!(image_boxes(&layout.pages[0]).len(), 1);
}

#[test]
fn a_missing_character_is_reported_once_and_still_drawn() {
    let bold = Paragraph {
        runs: vec![Inline::Text {
            text: "Жирный 😀 и 漢".into(),
            style: RunStyle {
                bold: true,
                ..RunStyle::default()
            },
        }],
        ..Paragraph::plain()
    };
    let doc = one_section(vec![
        Block::Paragraph(para("Знак 漢 и ещё 漢.")),
        Block::Paragraph(bold),
    ]);
    let out = render(&doc, &PdfOptions::default()).expect("pdf");
    assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
    assert!(
        out.warnings[0]
            .starts_with("символ «漢» (U+6F22) отсутствует в шрифте LiberationSerif-Regular:"),
        "{}",
        out.warnings[0]
    );
    assert!(
        out.warnings[1]
            .starts_with("символ «😀» (U+1F600) отсутствует в шрифте LiberationSerif-Bold:"),
        "{}",
        out.warnings[1]
    );

    // Laid out in place, one em wide, as the viewer advances over .notdef.
    let layout = layout(&doc, &PdfOptions::default()).expect("layout");
    let line = &layout.pages[0].lines[0];
    assert_eq!(line.text, "Знак 漢 и ещё 漢.");
    let without = layout_width("Знак  и ещё .");
    assert!((line.width_mm - without - 2.0 * 14.0 * linebreak::PT).abs() < 0.01);

    // Drawn as glyph 0 inside a span that gives the character back.
    let pdf = lopdf::Document::load_mem(&out.bytes).expect("the PDF parses");
    let page = *pdf.get_pages().values().next().expect("a page");
    let content = lopdf::content::Content::decode(&pdf.get_page_content(page)).expect("content");
    let spans: Vec<(Vec<u8>, Vec<u8>)> = content
        .operations
        .windows(3)
        .filter(|w| w[0].operator == "BDC" && w[2].operator == "EMC")
        .map(|w| {
            let actual = w[0].operands[1]
                .as_dict()
                .and_then(|d| d.get(b"ActualText"))
                .and_then(lopdf::Object::as_str)
                .expect("ActualText")
                .to_vec();
            let shown = w[1].operands[0].as_str().expect("a string").to_vec();
            (actual, shown)
        })
        .collect();
    let han = vec![0xFE, 0xFF, 0x6F, 0x22];
    let smile = vec![0xFE, 0xFF, 0xD8, 0x3D, 0xDE, 0x00];
    let notdef = vec![0, 0];
    assert_eq!(
        spans,
        [
            (han.clone(), notdef.clone()),
            (han.clone(), notdef.clone()),
            (smile, notdef.clone()),
            (han, notdef)
        ]
    );
}

/// Natural width of a line of body text, mm.
fn layout_width(text: &str) -> f32 {
    let doc = one_section(vec![Block::Paragraph(para(text))]);
    layout(&doc, &PdfOptions::default()).expect("layout").pages[0].lines[0].width_mm
}

#[test]
fn text_width_mm_is_the_width_the_layout_sets() {
    // The model warns with this function; it must agree with the line the
    // PDF sets, in the regular and the bold face.
    let text = "Единица измерения «Ханты-Мансийского» № 5";
    let laid = layout_width(text);
    assert!((text_width_mm(text, 14.0, false) - laid).abs() < 0.001);
    let mut p = para(text);
    p.runs = vec![Inline::Text {
        text: text.into(),
        style: RunStyle {
            bold: true,
            ..RunStyle::default()
        },
    }];
    let doc = one_section(vec![Block::Paragraph(p)]);
    let bold = layout(&doc, &PdfOptions::default()).expect("layout").pages[0].lines[0].width_mm;
    assert!((text_width_mm(text, 14.0, true) - bold).abs() < 0.001);
    assert!(bold > laid);
    // Scales with the size; an empty text is 0.
    assert!((text_width_mm(text, 7.0, false) * 2.0 - laid).abs() < 0.001);
    assert_eq!(text_width_mm("", 12.0, false), 0.0);
}

/// The characters the face lacks, each once, in the order of the text, as
/// a plain `chars()` scan finds them: the pass looks each character below
/// U+0800 up only once, and this text has characters of one to four
/// bytes, missing and present, some repeated, controls among them.
#[test]
fn missing_characters_are_those_chars_finds() {
    let text = "a\tЖ ё\u{a0}«Ա»\u{0800}☃ Ա😀—№\u{7ff}ž\u{85}ԲЖ☃\u{10FFFF}";
    let doc = Document::single_section(
        meta("Знаки"),
        Orientation::Portrait,
        vec![Block::Paragraph(para(text)), Block::Paragraph(para("ԱԳ"))],
    );
    let opts = PdfOptions::default();
    let face = opts.fonts.face(0);
    let mut expected: Vec<char> = Vec::new();
    for c in text.chars().chain("ԱԳ".chars()) {
        if !c.is_control() && face.advance(c).is_none() && !expected.contains(&c) {
            expected.push(c);
        }
    }
    assert!(expected.len() >= 5, "{expected:?}");
    assert!(expected.contains(&'Ա') && expected.contains(&'☃') && expected.contains(&'😀'));
    let found = super::missing_characters(&doc, &opts);
    let expected: Vec<String> = expected
        .into_iter()
        .map(|c| missing_warning(c, face.label()))
        .collect();
    assert_eq!(found, expected);
}
