//! The PDF gostdoc typesets itself: the same text as the DOCX, subset
//! embedded fonts, a valid file, the same page count as LibreOffice's PDF of
//! our DOCX, no overfull line, and long tables paginated properly. Every
//! document in `data/` is checked, so a new example is covered as soon as
//! it is added.

mod common;
use common::*;
use gostdoc::build::{self, Format};
use gostdoc::document::*;
use gostdoc::pdf::{self, PdfOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every example document, `data/*.toml`, by file name: found, not listed,
/// so that adding an example extends every test that iterates over them.
fn documents() -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    found.sort();
    // The five seeds and the four examples of issue 11 at least: a broken
    // discovery must not pass by checking nothing.
    assert!(found.len() >= 9, "data/: {found:?}");
    found
}

fn both(input: &Path) -> (Document, Vec<u8>, Vec<u8>) {
    let r = build::render_formats(
        input,
        &templates(),
        &[Format::Docx, Format::Pdf],
        &PdfOptions::default(),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    assert!(
        r.warnings.is_empty(),
        "{}: {:?}",
        input.display(),
        r.warnings
    );
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

/// The text of every cell merged across rows (`rowspan` > 1), in document
/// order.
fn merged_cells(document: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for section in &document.sections {
        for block in &section.blocks {
            if let Block::Table(t) = block {
                for cell in t.rows.iter().flat_map(|r| &r.cells) {
                    if cell.rowspan > 1 {
                        let mut text = String::new();
                        for b in &cell.blocks {
                            match b {
                                Block::Paragraph(p) => text.push_str(&p.text()),
                                Block::List(l) => {
                                    for item in &l.items {
                                        text.push_str(&item.label);
                                        text.push(' ');
                                        for p in &item.paragraphs {
                                            text.push_str(&p.text());
                                            text.push(' ');
                                        }
                                    }
                                }
                                _ => {}
                            }
                            text.push(' ');
                        }
                        out.push(text);
                    }
                }
            }
        }
    }
    out
}

/// Where `needle` first occurs in `words` at or after `from`, words
/// compared as [`same_word`] does.
fn find_words(words: &[String], needle: &[String], from: usize) -> Option<usize> {
    (from..=words.len().saturating_sub(needle.len())).find(|&i| {
        words[i..i + needle.len()]
            .iter()
            .zip(needle)
            .all(|(w, n)| same_word(w, n))
    })
}

#[test]
fn pdf_text_equals_docx_text_for_every_document() {
    let dir = tempfile::tempdir().unwrap();
    for (id, input) in documents() {
        let (document, docx, pdf) = both(&input);
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
        let (mut a, mut b) = (reading(&text), reading(&docx_text(&docx)));
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
        // A cell merged across rows is in the DOCX with its first row; the
        // PDF draws its text once the rows beside it are set, so it may come
        // later in the PDF's reading order. The readings are equal up to the
        // first difference; when the DOCX has a merged cell's text there,
        // that text is taken out of the DOCX there and out of the PDF at
        // its first occurrence from there on, and must be in both, whole.
        let mut merged = merged_cells(&document)
            .iter()
            .map(|m| reading(m))
            .collect::<Vec<_>>()
            .into_iter();
        while let Some(at) = a.iter().zip(&b).position(|(x, y)| !same_word(x, y)) {
            let Some(m) = merged.find(|m| find_words(&b, m, at) == Some(at)) else {
                break;
            };
            let pdf_at = find_words(&a, &m, at).unwrap_or_else(|| {
                panic!(
                    "{id}: the merged cell «{}» is not in the PDF, whole, after word {at}",
                    m.join(" ")
                )
            });
            b.drain(at..at + m.len());
            a.drain(pdf_at..pdf_at + m.len());
        }
        let differ = a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| !same_word(x, y));
        if differ {
            let at = a
                .iter()
                .zip(&b)
                .position(|(x, y)| !same_word(x, y))
                .unwrap_or(a.len().min(b.len()));
            panic!(
                "{id}: the PDF text differs from the DOCX text at word {at}:\n  PDF:  …{}…\n  DOCX: …{}…",
                a[at.saturating_sub(5)..(at + 8).min(a.len())].join(" "),
                b[at.saturating_sub(5)..(at + 8).min(b.len())].join(" ")
            );
        }
    }
}

#[test]
fn fonts_are_embedded_subsets_and_the_file_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    for (id, input) in documents() {
        let (_, _, pdf) = both(&input);
        let path = write_temp(dir.path(), &format!("{id}.pdf"), &pdf);
        let fonts = run("pdffonts", &[path.as_os_str()]);
        let rows: Vec<&str> = fonts
            .lines()
            .skip(2)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(!rows.is_empty(), "{id}: no fonts?\n{fonts}");
        for row in rows {
            let name = row.split_whitespace().next().unwrap();
            assert!(
                name.len() > 7 && name.as_bytes()[6] == b'+',
                "{id}: not a subset: {row}"
            );
            assert!(row.contains(" yes "), "{id}: not embedded: {row}");
        }
        let check = run("qpdf", &["--check".as_ref(), path.as_os_str()]);
        assert!(
            check.contains("No syntax or stream encoding errors found"),
            "{id}:\n{check}"
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
    let cases: Vec<_> = documents()
        .into_iter()
        .map(|(id, input)| {
            let (_, docx, pdf) = both(&input);
            (id, docx, pdf)
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
        // Page for page and line for line: the same words on the same
        // lines, in the same order, on the same pages (every line break and
        // page break), and every line at LibreOffice's height.
        let ours_pages = visual_lines(pdf);
        let theirs_pages = visual_lines(&lo_pdf);
        for (page, (a, b)) in ours_pages.iter().zip(&theirs_pages).enumerate() {
            let texts = |p: &[VisualLine]| p.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
            let (ta, tb) = (texts(a), texts(b));
            let first_diff = ta.iter().zip(&tb).position(|(x, y)| x != y);
            assert!(
                ta.len() == tb.len() && first_diff.is_none(),
                "{id}, page {}: line {} differs from LibreOffice's:\n  ours: {:?}\n  LO:   {:?}",
                page + 1,
                first_diff.unwrap_or(ta.len().min(tb.len())) + 1,
                ta.get(first_diff.unwrap_or(ta.len().min(tb.len()))),
                tb.get(first_diff.unwrap_or(ta.len().min(tb.len()))),
            );
            for (n, (x, y)) in a.iter().zip(b).enumerate() {
                assert!(
                    (x.top_mm - y.top_mm).abs() <= 1.0,
                    "{id}, page {}, line {} «{}»: {:.1} mm from the top of the page, \
                     in LibreOffice's PDF {:.1} mm",
                    page + 1,
                    n + 1,
                    x.text,
                    x.top_mm,
                    y.top_mm
                );
            }
        }
    }
}

/// A line as the page shows it: the words that stand side by side, left
/// to right, and how far from the page's top they stand.
struct VisualLine {
    text: String,
    /// The top of the line's first word's box, mm from the page's top.
    top_mm: f32,
}

/// The lines of every page of a PDF, from the words' boxes
/// (`pdftotext -bbox`): words whose tops are within 1 mm of each other
/// make one line (a line is 4 mm apart from the next at the least).
/// pdftotext's own reading order is not used: it groups the words of a
/// line into columns by their boxes, and the fonts LibreOffice embeds have
/// taller boxes than ours, so the same words at the same places (a date
/// at the left, a number at the right, the place centred below) came out
/// in different orders.
fn visual_lines(pdf: &Path) -> Vec<Vec<VisualLine>> {
    let xml = run(
        "pdftotext",
        &["-bbox".as_ref(), pdf.as_os_str(), "-".as_ref()],
    );
    let mm = |v: &str| v.parse::<f32>().unwrap() * 25.4 / 72.0;
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        mm(&tag[at..at + tag[at..].find('"').unwrap()])
    };
    xml.split("<page ")
        .skip(1)
        .map(|page| {
            let mut words: Vec<(f32, f32, String)> = page
                .split("<word ")
                .skip(1)
                .map(|w| {
                    let (tag, rest) = w.split_once('>').unwrap();
                    let text = rest.split("</word>").next().unwrap();
                    let text = text
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&apos;", "'")
                        .replace("&amp;", "&");
                    (attr(tag, "yMin"), attr(tag, "xMin"), text)
                })
                .collect();
            words.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            let mut lines: Vec<(f32, Vec<(f32, String)>)> = Vec::new();
            for (y, x, text) in words {
                match lines.last_mut() {
                    Some((top, line)) if y - *top < 1.0 => line.push((x, text)),
                    _ => lines.push((y, vec![(x, text)])),
                }
            }
            lines
                .into_iter()
                .map(|(top_mm, mut line)| {
                    line.sort_by(|a, b| a.0.total_cmp(&b.0));
                    VisualLine {
                        text: line.into_iter().map(|w| w.1).collect::<Vec<_>>().join(" "),
                        top_mm,
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn no_line_of_any_document_is_wider_than_its_measure() {
    for (id, input) in documents() {
        let (document, _, _) = both(&input);
        let layout = pdf::layout(&document, &PdfOptions::default()).unwrap();
        let overfull: Vec<String> = layout
            .overfull_lines()
            .iter()
            .map(|l| format!("{:?}", l.text))
            .collect();
        assert!(overfull.is_empty(), "{id}: overfull lines: {overfull:?}");
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
            stored: None,
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
    for (id, input) in documents() {
        let (_, _, a) = both(&input);
        let (_, _, b) = both(&input);
        assert!(a == b, "{id}: two builds differ");
    }
}
