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
            assert!(a.bytes.len() <= 40 * 1024, "{} bytes", a.bytes.len());
        }
    }
}

#[test]
fn metadata_and_language_are_written() {
    let (_, doc) = seed_docs().remove(0);
    let bytes = render(&doc, &PdfOptions::default()).expect("pdf").bytes;
    let text = String::from_utf8_lossy(&bytes);
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
    Paragraph {
        runs: vec![Inline::Text {
            text: text.into(),
            style: RunStyle::default(),
        }],
        ..Paragraph::plain()
    }
}

fn cell(text: &str) -> Cell {
    Cell {
        colspan: 1,
        blocks: vec![Block::Paragraph(para(text))],
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
    Document {
        meta: Meta {
            title: "Дорожная карта".into(),
            author: "Администрация".into(),
            subject: "Проверка".into(),
            date: "2021-02-10".into(),
            language: "ru-RU".into(),
        },
        style: TextStyle::default(),
        page_numbers: PageNumbers::TopCenterFromSecond,
        sections: vec![Section {
            orientation: Orientation::Landscape,
            margins: Margins::LANDSCAPE,
            blocks: vec![Block::Table(Table {
                columns_mm: vec![15.0, 130.0, 40.0, 72.0],
                rows: table_rows,
            })],
        }],
    }
}

#[test]
fn long_roadmap_repeats_the_header_and_never_splits_a_row() {
    let doc = roadmap(300);
    let layout = layout(&doc, &PdfOptions::default()).expect("layout");
    assert!(layout.pages.len() > 5, "{} pages", layout.pages.len());
    let mut seen = std::collections::HashSet::new();
    for (n, page) in layout.pages.iter().enumerate() {
        assert!(
            page.cells.first().is_some_and(|c| c.header && c.row == 0),
            "page {} does not start with the header row",
            n + 1
        );
        let bottom = page.height_mm - Margins::LANDSCAPE.bottom;
        let mut rows_here = std::collections::HashSet::new();
        for c in &page.cells {
            assert!(
                c.y_mm + c.height_mm <= bottom + 0.01,
                "cell below the margin"
            );
            if !c.header {
                rows_here.insert(c.row);
            }
        }
        for r in rows_here {
            assert!(seen.insert(r), "row {r} appears on two pages");
        }
        // Every line of text lies inside some cell of its page (page numbers aside).
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
            assert!(inside, "line outside its cell: {l:?}");
        }
    }
    assert!(layout.overfull_lines().is_empty());
}

#[test]
#[ignore = "timing; run with --release -- --ignored --nocapture"]
fn speed() {
    use std::time::Instant;
    let templates = crate::template::Templates::load(None).expect("templates");
    let seed = seeds().remove(0);
    let opts = PdfOptions::default();
    let mut both = Vec::new();
    let mut pdf_only = Vec::new();
    for _ in 0..50 {
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
        "seed 000: DOCX+PDF {:.2} ms, PDF {:.2} ms (median of 50)",
        median(&mut both),
        median(&mut pdf_only)
    );
    let doc = roadmap(5000);
    let t = Instant::now();
    let out = render(&doc, &opts).expect("pdf");
    let pages = layout(&doc, &opts).expect("layout").pages.len();
    println!(
        "roadmap 5000 rows: {pages} pages, {:.0} ms, {} KB",
        t.elapsed().as_secs_f64() * 1000.0,
        out.bytes.len() / 1024
    );
}
