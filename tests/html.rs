//! The HTML backend and the folder's index, as a reader and a screen
//! reader meet them: every document of `data/` and the index opened from
//! the folder in Debian's Chromium (headless, Playwright) and checked with
//! axe-core against WCAG 2.1 AA (tests/browser/axe_pages.py); the text of
//! each page equals the document's; links resolve; the print style sheet
//! gives A4 pages with the document's margins (Chromium's own print to
//! PDF, measured with poppler); and text typed into any field of a
//! document becomes text, never an element or a script.

mod common;

use common::*;
use gostdoc::document::{Block, Document, Margins, Role};
use gostdoc::html::{self, site::SiteEntry};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `data/*.toml`, the documents (profiles and `_` files left out).
fn data_documents(data: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "toml")
                && !p.file_name().unwrap().to_string_lossy().starts_with('_')
        })
        .collect();
    found.sort();
    found
}

fn document(input: &Path) -> Document {
    gostdoc::build::document(input, &templates())
        .unwrap_or_else(|d| panic!("{} did not build:\n{d}", input.display()))
}

/// axe.min.js of the npm package axe-core, installed globally by
/// scripts/test.sh.
fn axe_js() -> PathBuf {
    let out = Command::new("npm")
        .args(["root", "--global"])
        .output()
        .expect("npm runs (scripts/test.sh installs it)");
    let root = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let path = Path::new(&root).join("axe-core/axe.min.js");
    assert!(
        path.is_file(),
        "{} is missing: run scripts/test.sh (npm install --global axe-core)",
        path.display()
    );
    path
}

/// Runs tests/browser/axe_pages.py on `folder` (with `extra` arguments)
/// and returns its report, one JSON object per page, by page name.
fn browse(folder: &Path, extra: &[&str]) -> Vec<Value> {
    let script = root().join("tests/browser/axe_pages.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg(axe_js())
        .arg(folder)
        .args(extra)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs (scripts/test.sh installs it, Playwright and Chromium)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{} failed:\n{stdout}\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Text without any whitespace: what must be equal whatever the line
/// breaks and indentation of the markup.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Renders every document of `data` to `out/NAME.html`, writes empty
/// stand-ins for the PDF and DOCX files `gostdoc build -o out` writes (so
/// that the index's links can be checked), and `out/index.html` from the
/// register of the folder. Returns each page's document.
fn site(data: &Path, out: &Path) -> Vec<(String, Document)> {
    let mut pages = Vec::new();
    for input in data_documents(data) {
        let doc = document(&input);
        // The same tree gives the same bytes (a site rebuilt unchanged
        // stays unchanged).
        assert_eq!(html::render(&doc), html::render(&document(&input)));
        let name = format!("{}.html", input.file_stem().unwrap().to_string_lossy());
        std::fs::write(out.join(&name), html::render(&doc)).unwrap();
        pages.push((name, doc));
    }
    let journal = gostdoc::register::journal(&[data.to_path_buf()], out);
    assert!(journal.failed.is_empty(), "documents not read");
    let entries: Vec<SiteEntry> = journal
        .entries
        .iter()
        .map(|e| {
            for f in &e.outputs {
                std::fs::write(f, b"").unwrap();
            }
            let mut entry = SiteEntry::from_register(e, out);
            // What the lead's build writes beside the PDF and the DOCX.
            let stem = e.file.file_stem().unwrap().to_string_lossy();
            entry
                .html
                .get_or_insert_with(|| PathBuf::from(format!("{stem}.html")));
            entry
        })
        .collect();
    assert_eq!(entries.len(), pages.len());
    std::fs::write(
        out.join("index.html"),
        html::site::index(&entries, "Документы организации"),
    )
    .unwrap();
    pages
}

/// The lines of every electronic-signature mark and every web address a
/// QR code holds: text the page shows beyond the tree's plain text.
fn marks_and_links(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for block in doc.sections.iter().flat_map(|s| &s.blocks) {
        match block {
            Block::Signature(s) => {
                if let Some(mark) = &s.electronic {
                    out.extend(mark.heading.iter().chain(&mark.lines).cloned());
                }
            }
            Block::Qr(qr) if qr.text.starts_with("http") => out.push(qr.text.clone()),
            _ => {}
        }
    }
    out
}

fn report_of<'a>(report: &'a [Value], page: &str) -> &'a Value {
    report
        .iter()
        .find(|r| r["page"] == page)
        .unwrap_or_else(|| panic!("no report for {page}"))
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name}: {e} (scripts/test.sh installs it)"));
    assert!(out.status.success(), "{name} {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Word boxes of a PDF page, as `pdftotext -bbox` gives them: (xMin,
/// yMin, xMax, yMax) in points from the top left.
fn word_boxes(pdf: &Path, page: usize) -> Vec<(f32, f32, f32, f32)> {
    let page = page.to_string();
    let html = tool(
        "pdftotext",
        &[
            "-bbox",
            "-f",
            &page,
            "-l",
            &page,
            &pdf.to_string_lossy(),
            "-",
        ],
    );
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let attr = |name: &str| -> f32 {
                let at = l.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                l[at..at + l[at..].find('"').unwrap()].parse().unwrap()
            };
            (attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"))
        })
        .collect()
}

const MM: f32 = 72.0 / 25.4;

/// The text block of a page lies within the margins, and touches the left
/// and top ones: Chromium used our @page rule.
fn assert_within_margins(pdf: &Path, page: usize, size_pt: (f32, f32), m: Margins) {
    let info = tool(
        "pdfinfo",
        &[
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            &pdf.to_string_lossy(),
        ],
    );
    let line = info
        .lines()
        .find(|l| l.starts_with(&format!("Page {page:>4} size:")))
        .unwrap_or_else(|| panic!("no size of page {page} in:\n{info}"));
    let dims: Vec<f32> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        (dims[1] - size_pt.0).abs() < 1.0 && (dims[2] - size_pt.1).abs() < 1.0,
        "page {page} is {line}, not {size_pt:?}"
    );
    let boxes = word_boxes(pdf, page);
    assert!(!boxes.is_empty(), "no text on page {page}");
    let left = boxes.iter().map(|b| b.0).fold(f32::MAX, f32::min);
    let top = boxes.iter().map(|b| b.1).fold(f32::MAX, f32::min);
    let right = boxes.iter().map(|b| b.2).fold(0.0, f32::max);
    let bottom = boxes.iter().map(|b| b.3).fold(0.0, f32::max);
    // Glyph boxes sit a little inside the line box, and text in a table
    // inside the cell's padding: from 1 mm before the margin to 4 mm
    // after it (Chromium's own default margin is 10 mm, ours 20 and 30).
    let near = |a: f32, b: f32| a > b - MM && a < b + 4.0 * MM;
    assert!(
        near(left, m.left * MM),
        "page {page}: text starts {:.1} mm from the left edge, margin {} mm",
        left / MM,
        m.left
    );
    assert!(
        near(top, m.top * MM),
        "page {page}: text starts {:.1} mm from the top, margin {} mm",
        top / MM,
        m.top
    );
    assert!(
        right <= size_pt.0 - m.right * MM + 1.0,
        "page {page}: text reaches {:.1} mm of {:.1}",
        right / MM,
        size_pt.0 / MM
    );
    assert!(
        bottom <= size_pt.1 - m.bottom * MM + 1.0,
        "page {page}: text reaches {:.1} mm down of {:.1}",
        bottom / MM,
        size_pt.1 / MM
    );
}

#[test]
fn every_document_and_the_index_pass_axe_and_print_on_a4_with_the_margins() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let pages = site(&root().join("data"), out);
    let protocol = "009_shkola_pedsovet_2.html";
    let landscape = "008_zarechny_dorozhnaya_karta.html";
    let (protocol_pdf, landscape_pdf) = (out.join("protocol.pdf"), out.join("landscape.pdf"));
    let report = browse(
        out,
        &[
            "--pdf",
            protocol,
            &protocol_pdf.to_string_lossy(),
            "--pdf",
            landscape,
            &landscape_pdf.to_string_lossy(),
        ],
    );
    assert_eq!(report.len(), pages.len() + 1, "{report:?}");
    let mut failures = Vec::new();
    for r in &report {
        let name = r["page"].as_str().unwrap();
        println!(
            "{name}: {} violations, {} rules passed, {} bytes",
            r["violations"].as_array().unwrap().len(),
            r["passes"],
            std::fs::metadata(out.join(name)).unwrap().len()
        );
        if !r["violations"].as_array().unwrap().is_empty() {
            failures.push(format!("{name}: {}", r["violations"]));
        }
        if r["scripts"] != 0 || !r["handlers"].as_array().unwrap().is_empty() {
            failures.push(format!("{name}: a script or a handler: {r}"));
        }
        // Reflow (WCAG 1.4.10): read on a phone without scrolling sideways.
        if r["overflow_320"].as_i64().unwrap() > 0 {
            failures.push(format!(
                "{name}: {} px wider than a 320 px window",
                r["overflow_320"]
            ));
        }
        if !r["links_broken"].as_array().unwrap().is_empty() {
            failures.push(format!("{name}: broken links {}", r["links_broken"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // axe ran: a page with no rule passed would say nothing.
    assert!(report.iter().all(|r| r["passes"].as_u64().unwrap() > 10));

    let mut no_heading = Vec::new();
    for (name, doc) in &pages {
        let r = report_of(&report, name);
        // The page says what the document says, in the same order (the
        // electronic-signature mark and the QR code's link aside: the
        // tree's plain text leaves them out).
        assert_eq!(
            squeezed(r["text_unmarked"].as_str().unwrap()),
            squeezed(&doc.plain_text()),
            "{name}: the text of <main> differs from the document's"
        );
        let text = squeezed(r["text"].as_str().unwrap());
        for line in marks_and_links(doc) {
            assert!(
                text.contains(&squeezed(&line)),
                "{name}: «{line}» is not shown"
            );
        }
        // The first <h1> opens with the tree's first level-1 heading: the
        // kind in capitals («ПРОТОКОЛ»), or the title of an approved plan,
        // its top heading; every document has one.
        let h1 = r["h1"].as_array().unwrap();
        let first = h1.first().and_then(|h| h.as_str()).unwrap_or("");
        let heading = doc
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .find_map(|b| match b {
                Block::Paragraph(p) if p.role == Role::Heading(1) => Some(p.text()),
                _ => None,
            })
            .unwrap_or_default();
        if heading.trim().is_empty() || !squeezed(first).starts_with(&squeezed(&heading)) {
            no_heading.push(format!("{name}: {h1:?}, the tree's: {heading:?}"));
        }
    }
    assert!(
        no_heading.is_empty(),
        "pages without an <h1> of the kind (the template marks no heading=\"1\"):\n{}",
        no_heading.join("\n")
    );
    // The index lists every document, by title, with its links.
    let index = report_of(&report, "index.html");
    let text = index["text"].as_str().unwrap();
    for (name, doc) in &pages {
        let date = &doc.meta.date;
        if date.len() == 10 {
            let (y, m, d) = (&date[..4], &date[5..7], &date[8..10]);
            assert!(text.contains(&format!("{d}.{m}.{y}")), "{name}: {date}");
        }
    }
    assert!(text.contains(&format!("{}\u{a0}документов", pages.len())));

    // Print: A4 with the house margins, the landscape appendix turned.
    let a4 = (595.28, 841.89);
    assert_within_margins(&protocol_pdf, 1, a4, Margins::PORTRAIT);
    let turned = (a4.1, a4.0);
    let landscape_doc = &pages.iter().find(|(n, _)| n == landscape).unwrap().1;
    let sections: Vec<_> = landscape_doc
        .sections
        .iter()
        .map(|s| s.orientation)
        .collect();
    assert_eq!(
        sections.last(),
        Some(&gostdoc::document::Orientation::Landscape),
        "{sections:?}"
    );
    let info = tool("pdfinfo", &[&landscape_pdf.to_string_lossy()]);
    let last = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse::<usize>()
        .unwrap();
    assert_within_margins(&landscape_pdf, last, turned, Margins::LANDSCAPE);
}

/// Appended to every string of a document and its profile.
const PAYLOAD: &str =
    " <script>alert(1)</script>\"><img src=x onerror=alert(2)>'><svg onload=alert(3)>&amp;";

/// The payload in every string `value` holds that `accepts` lets stay: all
/// at once first, then field by field. Returns how many took.
fn inject(value: &mut toml::Value, accepts: &dyn Fn(&toml::Value) -> bool) -> usize {
    fn paths(v: &toml::Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            toml::Value::String(_) => out.push(at.clone()),
            toml::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    at.push(i.to_string());
                    paths(x, at, out);
                    at.pop();
                }
            }
            toml::Value::Table(t) => {
                for (k, x) in t {
                    at.push(k.clone());
                    paths(x, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    fn at<'v>(v: &'v mut toml::Value, path: &[String]) -> &'v mut toml::Value {
        path.iter().fold(v, |v, k| match v {
            toml::Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
            toml::Value::Table(t) => t.get_mut(k).unwrap(),
            _ => unreachable!(),
        })
    }
    let mut all = Vec::new();
    paths(value, &mut Vec::new(), &mut all);
    let with = |v: &mut toml::Value, path: &[String]| {
        if let toml::Value::String(s) = at(v, path) {
            s.push_str(PAYLOAD);
        }
    };
    let mut everything = value.clone();
    for p in &all {
        with(&mut everything, p);
    }
    if accepts(&everything) {
        *value = everything;
        return all.len();
    }
    let mut taken = 0;
    for p in &all {
        let mut trial = value.clone();
        with(&mut trial, p);
        if accepts(&trial) {
            *value = trial;
            taken += 1;
        }
    }
    taken
}

#[test]
fn text_typed_into_any_field_stays_text_in_the_pages_and_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("site");
    std::fs::create_dir_all(data.join("profiles")).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    // Profiles first: documents are tried with the poisoned profiles.
    let mut profiles: Vec<PathBuf> = std::fs::read_dir(root().join("data/profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    profiles.sort();
    // The profiles' pictures (coats of arms) too.
    for f in std::fs::read_dir(root().join("data/profiles")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, data.join("profiles").join(f.file_name().unwrap())).unwrap();
    }
    let documents = data_documents(&root().join("data"));
    for f in std::fs::read_dir(root().join("data")).unwrap() {
        let f = f.unwrap().path();
        if f.is_file() {
            std::fs::copy(&f, data.join(f.file_name().unwrap())).unwrap();
        }
    }
    let builds_all = || {
        data_documents(&data)
            .iter()
            .all(|d| gostdoc::build::document(d, &templates()).is_ok())
    };
    let mut injected = 0;
    for (file, is_profile) in profiles
        .iter()
        .map(|p| (data.join("profiles").join(p.file_name().unwrap()), true))
        .chain(
            documents
                .iter()
                .map(|d| (data.join(d.file_name().unwrap()), false)),
        )
    {
        let mut value: toml::Value =
            toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let accepts = |v: &toml::Value| {
            std::fs::write(&file, toml::to_string(v).unwrap()).unwrap();
            if is_profile {
                builds_all()
            } else {
                gostdoc::build::document(&file, &templates()).is_ok()
            }
        };
        let n = inject(&mut value, &accepts);
        std::fs::write(&file, toml::to_string(&value).unwrap()).unwrap();
        println!("{}: the payload in {n} fields", file.display());
        injected += n;
    }
    assert!(injected > 200, "only {injected} fields took the payload");

    let pages = site(&data, &out);
    for (name, _) in &pages {
        let html = std::fs::read_to_string(out.join(name)).unwrap();
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{name}: a <script> element");
        assert!(!lower.contains("<img src=x"), "{name}: an injected <img>");
        assert!(!lower.contains("<svg"), "{name}: an injected <svg>");
    }
    let report = browse(&out, &[]);
    let mut shown = 0;
    for r in &report {
        let name = r["page"].as_str().unwrap();
        assert_eq!(r["scripts"], 0, "{name}: {r}");
        assert!(
            r["handlers"].as_array().unwrap().is_empty(),
            "{name}: {}",
            r["handlers"]
        );
        assert!(
            r["violations"].as_array().unwrap().is_empty(),
            "{name}: {}",
            r["violations"]
        );
        let text = r["text"].as_str().unwrap();
        // The payload is on the page as the characters typed.
        // (The typographic pass may turn its quotes into «».)
        if text.contains("<script>alert(1)</script>")
            && text.contains("<img src=x onerror=alert(2)>")
            && text.contains("<svg onload=alert(3)>&amp;")
        {
            shown += 1;
        }
    }
    assert_eq!(
        shown,
        report.len(),
        "the payload is not shown as text on every page"
    );
}

/// The README's pictures: the index and protocol 009 as Chromium shows
/// them, 1000 px wide, written to docs/img/. The site stays in
/// target/html-site/ to look at. Run by hand:
/// `cargo test --test html -- --ignored screenshots`.
#[test]
#[ignore]
fn screenshots_for_the_readme() {
    let out = root().join("target/html-site");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    site(&root().join("data"), &out);
    let img = root().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    let (index, protocol) = (img.join("site-index.png"), img.join("site-protocol.png"));
    let print = out.join("009.pdf");
    browse(
        &out,
        &[
            "--shot",
            "index.html",
            &index.to_string_lossy(),
            "--shot",
            "009_shkola_pedsovet_2.html",
            &protocol.to_string_lossy(),
            "--pdf",
            "009_shkola_pedsovet_2.html",
            &print.to_string_lossy(),
        ],
    );
    for f in [&index, &protocol] {
        println!(
            "{}: {} bytes",
            f.display(),
            std::fs::metadata(f).unwrap().len()
        );
    }
}
