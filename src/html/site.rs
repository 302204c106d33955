//! The folder's `index.html`: every document (kind, number, date, title)
//! grouped by year, newest first, with links to its HTML, PDF and DOCX
//! files. The links are relative, so the site works opened from the folder
//! (`file://`) and from any web server; the page needs no JavaScript.

use super::escape;
use crate::register;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

/// One document on the index.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteEntry {
    /// The kind, as the register names it: «протокол», «постановление».
    pub kind: String,
    /// The number, when it has one.
    pub number: Option<String>,
    /// The document's date, when it has one.
    pub date: Option<NaiveDate>,
    /// The title.
    pub title: String,
    /// Its HTML page, relative to the index's folder.
    pub html: Option<PathBuf>,
    /// Its PDF, relative to the index's folder.
    pub pdf: Option<PathBuf>,
    /// Its DOCX, relative to the index's folder.
    pub docx: Option<PathBuf>,
}

impl SiteEntry {
    /// The entry of a document of the register, its output files (those
    /// ending in .html, .pdf and .docx) made relative to `site_dir`, the
    /// folder `index.html` is written to.
    pub fn from_register(entry: &register::Entry, site_dir: &Path) -> SiteEntry {
        let find = |ext: &str| {
            entry
                .outputs
                .iter()
                .find(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
                .map(|p| relative(site_dir, p))
        };
        SiteEntry {
            kind: entry.kind.clone(),
            number: entry.number.clone(),
            date: entry.date,
            title: entry.title.clone(),
            html: find("html"),
            pdf: find("pdf"),
            docx: find("docx"),
        }
    }

    /// «Протокол № 4 от 24.06.2021»: the words a link to the document
    /// says.
    fn name(&self) -> String {
        let mut name = capitalized(&self.kind);
        if let Some(n) = &self.number {
            let _ = write!(name, " №\u{a0}{n}");
        }
        if let Some(d) = self.date {
            let _ = write!(name, " от {}", d.format("%d.%m.%Y"));
        }
        name
    }
}

/// `path` as seen from the folder `from`, lexically: their common start
/// dropped and `..` for every folder of `from` after it. Paths that share
/// no start (one absolute, the other not) come back as given.
pub fn relative(from: &Path, path: &Path) -> PathBuf {
    fn normal(p: &Path) -> Vec<Component<'_>> {
        p.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .collect()
    }
    let (from, to) = (normal(from), normal(path));
    if from
        .first()
        .map(|c| matches!(c, Component::RootDir | Component::Prefix(_)))
        != to
            .first()
            .map(|c| matches!(c, Component::RootDir | Component::Prefix(_)))
    {
        return path.to_path_buf();
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// A relative path as a URL path: its parts joined by `/`, every byte
/// but the unreserved ones percent-encoded (a Cyrillic or spaced file
/// name, a `#` in it), so that the browser asks for exactly that file.
fn href(path: &Path) -> String {
    let mut out = String::new();
    for (k, part) in path.components().enumerate() {
        if k > 0 {
            out.push('/');
        }
        let part = part.as_os_str().to_string_lossy();
        for b in part.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(b as char);
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A number's order among numbers of one day: by its leading digits
/// («10» after «9»), then as text.
fn number_key(n: &Option<String>) -> (u64, String) {
    let n = n.as_deref().unwrap_or("");
    let digits: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
    (digits.parse().unwrap_or(0), n.to_owned())
}

/// The index page of a folder: `title` as its heading, then the entries
/// by year, newest first (newest first within a year too; documents with
/// no date last). UTF-8; the same entries give the same bytes.
pub fn index(entries: &[SiteEntry], title: &str) -> Vec<u8> {
    let title = if title.trim().is_empty() {
        "Документы"
    } else {
        title
    };
    let mut sorted: Vec<&SiteEntry> = entries.iter().collect();
    sorted.sort_by(|a, b| {
        // Dated before undated, newer before older.
        (b.date.is_some(), b.date, number_key(&b.number))
            .cmp(&(a.date.is_some(), a.date, number_key(&a.number)))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.html.cmp(&b.html))
    });
    let mut out = String::with_capacity(4096 + 512 * entries.len());
    out.push_str("<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    out.push_str("<style>\n");
    out.push_str(super::COMMON_CSS);
    out.push_str(include_str!("site.css"));
    out.push_str("</style>\n</head>\n<body>\n<main class=\"sheet\">\n");
    let _ = writeln!(out, "<h1>{}</h1>", escape(title));
    let _ = writeln!(out, "<p class=\"count\">{}</p>", count_words(entries.len()));
    let mut k = 0;
    while k < sorted.len() {
        let year = sorted[k].date.map(|d| d.year());
        let group: Vec<&SiteEntry> = sorted[k..]
            .iter()
            .take_while(|e| e.date.map(|d| d.year()) == year)
            .copied()
            .collect();
        k += group.len();
        let (id, heading) = match year {
            Some(y) => (format!("y{y}"), format!("{y}\u{a0}год")),
            None => ("undated".to_owned(), "Без даты".to_owned()),
        };
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{heading}</h2>"
        );
        out.push_str(
            "<table>\n<colgroup><col class=\"c-date\"><col class=\"c-kind\"><col class=\"c-number\">\
             <col><col class=\"c-files\"></colgroup>\n<thead>\n<tr><th scope=\"col\">Дата</th><th scope=\"col\">Вид</th>\
             <th scope=\"col\">Номер</th><th scope=\"col\">Заголовок</th>\
             <th scope=\"col\">Файлы</th></tr>\n</thead>\n<tbody>\n",
        );
        for entry in group {
            row(&mut out, entry);
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out.into_bytes()
}

/// «11 документов», with the noun agreeing with the number.
fn count_words(n: usize) -> String {
    let word = match (n % 10, n % 100) {
        (_, 11..=14) => "документов",
        (1, _) => "документ",
        (2..=4, _) => "документа",
        _ => "документов",
    };
    format!("{n}\u{a0}{word}")
}

fn row(out: &mut String, entry: &SiteEntry) {
    out.push_str("<tr>");
    match entry.date {
        Some(d) => {
            let _ = write!(
                out,
                "<td class=\"date\"><time datetime=\"{}\">{}</time></td>",
                d.format("%Y-%m-%d"),
                d.format("%d.%m.%Y")
            );
        }
        None => out.push_str("<td class=\"date\">—</td>"),
    }
    let _ = write!(
        out,
        "<td class=\"kind\">{}</td>",
        escape(&capitalized(&entry.kind))
    );
    match &entry.number {
        Some(n) => {
            let _ = write!(out, "<td class=\"number\">{}</td>", escape(n));
        }
        // A dash in the column; on a phone, where the cells run on one
        // line, nothing.
        None => out.push_str("<td class=\"number none\">—</td>"),
    }
    let title = if entry.title.trim().is_empty() {
        entry.name()
    } else {
        entry.title.clone()
    };
    match &entry.html {
        Some(p) => {
            let _ = write!(
                out,
                "<td><a href=\"{}\">{}</a></td>",
                href(p),
                escape(&title)
            );
        }
        None => {
            let _ = write!(out, "<td>{}</td>", escape(&title));
        }
    }
    out.push_str("<td class=\"files\">");
    let name = escape(&entry.name());
    let mut first = true;
    for (label, path) in [
        ("HTML", &entry.html),
        ("PDF", &entry.pdf),
        ("DOCX", &entry.docx),
    ] {
        let Some(path) = path else { continue };
        if !first {
            out.push(' ');
        }
        first = false;
        // The visible «PDF» is the same in every row; the hidden words
        // say which document's PDF it is.
        let _ = write!(
            out,
            "<a href=\"{}\">{label}<span class=\"vh\">: {name}</span></a>",
            href(path)
        );
    }
    out.push_str("</td></tr>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(date: Option<&str>, number: &str, title: &str) -> SiteEntry {
        SiteEntry {
            kind: "протокол".into(),
            number: Some(number.into()),
            date: date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            title: title.into(),
            html: Some(PathBuf::from(format!("{title}.html"))),
            pdf: Some(PathBuf::from(format!("{title}.pdf"))),
            docx: None,
        }
    }

    #[test]
    fn years_newest_first_and_undated_last() {
        let page = String::from_utf8(index(
            &[
                entry(Some("2021-06-24"), "2", "b"),
                entry(None, "1", "c"),
                entry(Some("2024-01-10"), "9", "d"),
                entry(Some("2024-01-10"), "10", "e"),
                entry(Some("2021-12-01"), "3", "a"),
            ],
            "",
        ))
        .unwrap();
        let at = |s: &str| page.find(s).unwrap_or_else(|| panic!("{s} in {page}"));
        assert!(at("2024\u{a0}год") < at("2021\u{a0}год"));
        assert!(at("2021\u{a0}год") < at("Без даты"));
        // Within 2024: № 10 before № 9; within 2021: December first.
        assert!(at("href=\"e.html\"") < at("href=\"d.html\""));
        assert!(at("href=\"a.html\"") < at("href=\"b.html\""));
        assert!(page.contains("5\u{a0}документов"));
        assert!(!page.contains("DOCX"), "no DOCX given, no link");
    }

    #[test]
    fn links_are_relative_and_percent_encoded() {
        assert_eq!(
            relative(Path::new("/out"), Path::new("/out/a/протокол 1.pdf")),
            PathBuf::from("a/протокол 1.pdf")
        );
        assert_eq!(
            relative(Path::new("out/site"), Path::new("out/x.pdf")),
            PathBuf::from("../x.pdf")
        );
        assert_eq!(href(Path::new("a/п #1.pdf")), "a/%D0%BF%20%231.pdf");
        assert_eq!(count_words(1), "1\u{a0}документ");
        assert_eq!(count_words(22), "22\u{a0}документа");
        assert_eq!(count_words(12), "12\u{a0}документов");
    }
}
