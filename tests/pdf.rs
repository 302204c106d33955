//! The PDF gostdoc typesets itself: the same text as the DOCX, subset
//! embedded fonts, a valid file, the same page count as LibreOffice's PDF of
//! our DOCX, no overfull line, and long tables paginated properly.

mod common;
use common::*;
use gostdoc::build::{self, Format};
use gostdoc::document::*;
use gostdoc::pdf::{self, PdfOptions};
use std::path::Path;
use std::process::Command;

fn both(input: &Path) -> (Document, Vec<u8>, Vec<u8>) {
    let r = build::render_formats(
        input,
        &templates(),
        &[Format::Docx, Format::Pdf],
        &PdfOptions::default(),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let mut files = r.files.into_iter();
    let docx = files.next().unwrap().1;
    let pdf = files.next().unwrap().1;
    let document = build::document(input, &templates()).unwrap_or_else(|d| panic!("{d}"));
    (document, docx, pdf)
}

fn run(cmd: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{cmd}` is not installed ({e}): run scripts/test.sh"));
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Words of a text, whitespace normalised. A line ending in a hyphen is
/// joined to the next, the join marked with U+0001: it was either a
/// hyphenation point or a real hyphen («учителей-» / «предметников»).
/// A break after an en dash in a range («2020–» / «2021») is joined as is.
fn reading(text: &str) -> Vec<String> {
    let joined = text
        .replace('\u{c}', "")
        .replace("-\n", "\u{1}")
        .replace("–\n", "–")
        .replace('\u{ad}', "")
        .replace('\u{a0}', " ");
    // Letter-spaced words («п о с т а н о в л я е т:») are set letter by
    // letter; join four or more one-letter tokens back into a word.
    let one_letter = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() == 1
            && w.chars().next().is_some_and(char::is_alphabetic)
    };
    let tokens: Vec<&str> = joined.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let run = tokens[i..].iter().take_while(|w| one_letter(w)).count();
        if run >= 4 {
            let mut word = tokens[i..i + run].concat();
            i += run;
            // Spaced punctuation after it («т :») belongs to it too.
            if let Some(p) = tokens
                .get(i)
                .filter(|t| !t.chars().any(char::is_alphanumeric))
            {
                word.push_str(p);
                i += 1;
            }
            out.push(word);
        } else {
            out.push(tokens[i].to_owned());
            i += 1;
        }
    }
    out
}

/// A PDF word matches a DOCX word if its joins are hyphenation points or
/// real hyphens.
fn same_word(pdf: &str, docx: &str) -> bool {
    pdf == docx
        || (pdf.contains('\u{1}')
            && (pdf.replace('\u{1}', "") == docx || pdf.replace('\u{1}', "-") == docx))
}

/// The text of every table header row of a document.
fn header_rows(document: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for section in &document.sections {
        for block in &section.blocks {
            if let Block::Table(t) = block {
                for row in t.rows.iter().filter(|r| r.header) {
                    let mut text = String::new();
                    for cell in &row.cells {
                        for b in &cell.blocks {
                            if let Block::Paragraph(p) = b {
                                text.push_str(&p.text());
                                text.push(' ');
                            }
                        }
                    }
                    out.push(text);
                }
            }
        }
    }
    out
}

#[test]
fn pdf_text_equals_docx_text_for_every_seed() {
    let dir = tempfile::tempdir().unwrap();
    for id in SEEDS {
        let (document, docx, pdf) = both(&seed_input(id));
        let path = write_temp(dir.path(), &format!("{id}.pdf"), &pdf);
        // `-raw`: in the order the content stream writes it, which is reading
        // order; the default groups a right-aligned name with the page column.
        let text = run(
            "pdftotext",
            &["-raw".as_ref(), path.as_os_str(), "-".as_ref()],
        );
        // Page numbers are in the PDF's text but in a header part of the DOCX.
        let text: String = text
            .lines()
            .filter(|l| !l.trim().chars().all(|c| c.is_ascii_digit()) || l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        let (mut a, b) = (reading(&text), reading(&docx_text(&docx)));
        // A table's header row is printed again on every page it spans;
        // the DOCX holds it once.
        for header in header_rows(&document) {
            let header = reading(&header);
            let mut seen = false;
            let mut i = 0;
            while i + header.len() <= a.len() {
                if a[i..i + header.len()] == header[..] {
                    if seen {
                        a.drain(i..i + header.len());
                        continue;
                    }
                    seen = true;
                }
                i += 1;
            }
        }
        let differ = a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| !same_word(x, y));
        if differ {
            let at = a
                .iter()
                .zip(&b)
                .position(|(x, y)| !same_word(x, y))
                .unwrap_or(a.len().min(b.len()));
            panic!(
                "seed {id}: the PDF text differs from the DOCX text at word {at}:\n  PDF:  …{}…\n  DOCX: …{}…",
                a[at.saturating_sub(5)..(at + 8).min(a.len())].join(" "),
                b[at.saturating_sub(5)..(at + 8).min(b.len())].join(" ")
            );
        }
    }
}

#[test]
fn fonts_are_embedded_subsets_and_the_file_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    for id in SEEDS {
        let (_, _, pdf) = both(&seed_input(id));
        let path = write_temp(dir.path(), &format!("{id}.pdf"), &pdf);
        let fonts = run("pdffonts", &[path.as_os_str()]);
        let rows: Vec<&str> = fonts
            .lines()
            .skip(2)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(!rows.is_empty(), "seed {id}: no fonts?\n{fonts}");
        for row in rows {
            let name = row.split_whitespace().next().unwrap();
            assert!(
                name.len() > 7 && name.as_bytes()[6] == b'+',
                "seed {id}: not a subset: {row}"
            );
            assert!(row.contains(" yes "), "seed {id}: not embedded: {row}");
        }
        let check = run("qpdf", &["--check".as_ref(), path.as_os_str()]);
        assert!(
            check.contains("No syntax or stream encoding errors found"),
            "seed {id}:\n{check}"
        );
    }
}

#[test]
fn seed_000_pdf_is_small() {
    let (_, _, pdf) = both(&seed_input("000"));
    assert!(pdf.len() <= 40_000, "seed 000 PDF is {} bytes", pdf.len());
}

#[test]
fn pages_and_lines_equal_libreoffices_pdf_of_our_docx() {
    let cases: Vec<_> = SEEDS
        .iter()
        .map(|id| {
            let (_, docx, pdf) = both(&seed_input(id));
            (format!("seed {id}"), docx, pdf)
        })
        .collect();
    assert_same_as_libreoffice(&cases);
}

/// A word longer than a line (2,000 letters in a point of seed 000): our
/// PDF cuts it at the margin, and the DOCX gives it no language, so
/// LibreOffice, which would hyphenate it, cuts it at the same letters.
#[test]
fn a_word_longer_than_a_line_breaks_where_libreoffice_breaks_it() {
    let dir = tempfile::tempdir().unwrap();
    let point = "text = \"о результатах проведения мониторинга системы работы со школами \
                 с низкими образовательными результатами.\"";
    let seed = std::fs::read_to_string(seed_input("000")).unwrap();
    assert!(seed.contains(point), "seed 000 changed");
    let word: String = "абвгдежзиклмнопрстуфхцчшщэюя"
        .chars()
        .cycle()
        .take(2_000)
        .collect();
    let source = seed.replacen(point, &format!("text = \"о результатах {word} конец.\""), 1);
    let profile = std::fs::read(root().join("data/profiles/elnya.toml")).unwrap();
    write_temp(dir.path(), "profiles/elnya.toml", &profile);
    let input = write_temp(dir.path(), "long.toml", source.as_bytes());
    let (_, docx, pdf) = both(&input);
    assert_same_as_libreoffice(&[("a 2,000-letter word".into(), docx, pdf)]);
}

/// Converts each case's DOCX with LibreOffice and asserts that its PDF has
/// our PDF's pages, and on each page our lines.
fn assert_same_as_libreoffice(cases: &[(String, Vec<u8>, Vec<u8>)]) {
    let dir = tempfile::tempdir().unwrap();
    let mut docx_files = Vec::new();
    let mut ours = Vec::new();
    for (i, (_, docx, pdf)) in cases.iter().enumerate() {
        docx_files.push(write_temp(dir.path(), &format!("lo/{i}.docx"), docx));
        ours.push(write_temp(dir.path(), &format!("ours/{i}.pdf"), pdf));
    }
    let profile = dir.path().join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path().join("lo"))
        .args(&docx_files)
        .output()
        .expect("soffice: run scripts/test.sh");
    assert!(out.status.success());
    let pages = |p: &Path| -> usize {
        run("pdfinfo", &[p.as_os_str()])
            .lines()
            .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
            .unwrap()
    };
    for (i, ((id, _, _), pdf)) in cases.iter().zip(&ours).enumerate() {
        let lo_pdf = dir.path().join(format!("lo/{i}.pdf"));
        assert_eq!(
            pages(pdf),
            pages(&lo_pdf),
            "{id}: our PDF vs LibreOffice's PDF of our DOCX"
        );
        // Page for page and line for line: the same lines, in the same
        // order, on the same pages (every line break and page break).
        let pages_lines = |p: &Path| -> Vec<Vec<String>> {
            run("pdftotext", &[p.as_os_str(), "-".as_ref()])
                .split('\u{c}')
                .map(|page| {
                    page.lines()
                        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                        .filter(|l| !l.is_empty())
                        .collect()
                })
                .collect()
        };
        let ours_pages = pages_lines(pdf);
        let theirs_pages = pages_lines(&lo_pdf);
        for (page, (a, b)) in ours_pages.iter().zip(&theirs_pages).enumerate() {
            let first_diff = a.iter().zip(b).position(|(x, y)| x != y);
            assert!(
                a.len() == b.len() && first_diff.is_none(),
                "{id}, page {}: line {} differs from LibreOffice's:\n  ours: {:?}\n  LO:   {:?}",
                page + 1,
                first_diff.unwrap_or(a.len().min(b.len())) + 1,
                a.get(first_diff.unwrap_or(a.len().min(b.len()))),
                b.get(first_diff.unwrap_or(a.len().min(b.len()))),
            );
        }
    }
}

#[test]
fn no_line_of_any_seed_is_wider_than_its_measure() {
    for id in SEEDS {
        let (document, _, _) = both(&seed_input(id));
        let layout = pdf::layout(&document, &PdfOptions::default()).unwrap();
        let overfull: Vec<String> = layout
            .overfull_lines()
            .iter()
            .map(|l| format!("{:?}", l.text))
            .collect();
        assert!(
            overfull.is_empty(),
            "seed {id}: overfull lines: {overfull:?}"
        );
    }
}

/// A roadmap of `n` rows, some of them tall, in one portrait section.
fn roadmap(n: usize) -> Document {
    let mut rows = vec![Row {
        header: true,
        cells: ["№ п/п", "Мероприятия", "Срок исполнения", "Ответственные"]
            .map(Cell::from_text)
            .to_vec(),
    }];
    for i in 1..=n {
        let measure =
            "Проведение мероприятия по повышению качества образования в школах. ".repeat(1 + i % 4);
        rows.push(Row {
            header: false,
            cells: vec![
                Cell::from_text(&i.to_string()),
                Cell::from_text(&measure),
                Cell::from_text("весь период"),
                Cell::from_text("Отдел образования"),
            ],
        });
    }
    Document::single_section(
        Meta::default(),
        Orientation::Portrait,
        vec![Block::Table(Table {
            columns_mm: vec![12.0, 80.0, 35.0, 43.0],
            rows,
        })],
    )
}

#[test]
fn a_300_row_roadmap_repeats_its_header_splits_no_row_and_keeps_text_in_cells() {
    let layout = pdf::layout(&roadmap(300), &PdfOptions::default()).unwrap();
    assert!(layout.pages.len() > 10, "{} pages", layout.pages.len());
    let mut seen_rows = std::collections::HashSet::new();
    for (n, page) in layout.pages.iter().enumerate() {
        let header: Vec<_> = page.cells.iter().filter(|c| c.header).collect();
        assert_eq!(header.len(), 4, "page {}: the header row", n + 1);
        let top = page.cells.iter().map(|c| c.y_mm).fold(f32::MAX, f32::min);
        assert!(
            header.iter().all(|c| (c.y_mm - top).abs() < 0.01),
            "page {}: header at the top",
            n + 1
        );
        for c in page.cells.iter().filter(|c| !c.header) {
            // A row is whole: it appears on one page only.
            assert!(
                seen_rows.insert((c.row, (c.x_mm * 100.0) as i64)),
                "row {} split across pages",
                c.row
            );
            assert!(
                c.y_mm + c.height_mm <= page.height_mm - 20.0 + 0.01,
                "page {}: row {} below the margin",
                n + 1,
                c.row
            );
        }
        for line in page
            .lines
            .iter()
            .filter(|l| !l.text.trim().chars().all(|ch| ch.is_ascii_digit()) || l.y_mm > 25.0)
        {
            let inside = page.cells.iter().any(|c| {
                line.x_mm >= c.x_mm - 0.01
                    && line.x_mm + line.width_mm <= c.x_mm + c.width_mm + 0.01
                    && line.y_mm >= c.y_mm
                    && line.y_mm <= c.y_mm + c.height_mm + 0.01
            });
            assert!(inside, "page {}: «{}» outside every cell", n + 1, line.text);
        }
    }
    assert_eq!(
        seen_rows.len(),
        300 * 4,
        "every cell of every row placed once"
    );
}

#[test]
fn pdf_is_deterministic() {
    let (_, _, a) = both(&seed_input("004"));
    let (_, _, b) = both(&seed_input("004"));
    assert!(a == b);
}
