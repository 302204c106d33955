//! Issue 12, typography a secretary would not correct: names, initials
//! and dates in words are never hyphenated (`<nh>`), in our PDF and in
//! LibreOffice's PDF of our DOCX alike, and no document in `data/` has
//! three hyphenated lines in a row.
//!
//! Set `LO_KEEP=DIR` to keep every file in DIR for a look.

mod common;
use common::lo::*;
use common::*;
use gostdoc::build::{self, Format};
use gostdoc::document::*;
use gostdoc::pdf::{self, PdfOptions};
use gostdoc::{docx, markup};
use std::path::{Path, PathBuf};

fn no_files(name: &str) -> std::io::Result<Vec<u8>> {
    Err(std::io::Error::new(std::io::ErrorKind::NotFound, name))
}

/// Parses markup and renders both files.
fn render(markup_text: &str) -> (Vec<u8>, Vec<u8>) {
    let doc = markup::parse(markup_text, &no_files).unwrap_or_else(|e| panic!("{e}"));
    let docx = docx::render(&doc).unwrap_or_else(|e| panic!("{e}"));
    let pdf = pdf::render(&doc, &PdfOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .bytes;
    (docx, pdf)
}

/// [`convert`] for cases that own their name and bytes.
fn convert_owned(cases: &[(String, Vec<u8>, Vec<u8>)]) -> Converted {
    let cases: Vec<(&str, &[u8], &[u8])> = cases
        .iter()
        .map(|(n, d, p)| (n.as_str(), d.as_slice(), p.as_slice()))
        .collect();
    convert(&cases)
}

/// The lines of a PDF as the page shows them, page after page: words whose
/// tops are within 1 mm make one line, read left to right
/// (`pdftotext -bbox`, as in `tests/pdf.rs`).
fn visual_lines(pdf: &Path) -> Vec<String> {
    let xml = run(
        "pdftotext",
        &["-bbox".as_ref(), pdf.as_os_str(), "-".as_ref()],
    );
    let number = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
    };
    let mut out = Vec::new();
    for page in xml.split("<page ").skip(1) {
        let mut words: Vec<(f32, f32, String)> = page
            .split("<word ")
            .skip(1)
            .map(|w| {
                let (tag, rest) = w.split_once('>').unwrap();
                let text = rest.split("</word>").next().unwrap().replace("&amp;", "&");
                (number(tag, "yMin"), number(tag, "xMin"), text)
            })
            .collect();
        words.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut lines: Vec<(f32, Vec<(f32, String)>)> = Vec::new();
        for (y, x, text) in words {
            match lines.last_mut() {
                // 1 mm in points.
                Some((top, line)) if y - *top < 2.83 => line.push((x, text)),
                _ => lines.push((y, vec![(x, text)])),
            }
        }
        for (_, mut line) in lines {
            line.sort_by(|a, b| a.0.total_cmp(&b.0));
            out.push(line.into_iter().map(|w| w.1).collect::<Vec<_>>().join(" "));
        }
    }
    out
}

/// A line ends in a hyphen that splits a word: a letter, then «-», and
/// the next line starts with a small letter.
fn hyphenated(lines: &[String], k: usize) -> bool {
    let ends = lines[k]
        .strip_suffix('-')
        .and_then(|l| l.chars().last())
        .is_some_and(char::is_alphabetic);
    ends && lines
        .get(k + 1)
        .and_then(|n| n.chars().next())
        .is_some_and(char::is_lowercase)
}

/// The paragraphs of the name test: the same sentence shifted word by
/// word, so that the name, and then the date, come to each place near the
/// line's end.
/// How the name is written in [`name_paragraphs`].
#[derive(Clone, Copy, PartialEq, Debug)]
enum Name {
    /// «Алсуфьеву», the date as it is: nothing protects them.
    Bare,
    /// «<nh>Алсуфьеву</nh>», the date in `<nh>` too.
    Nh,
    /// «Алсуфьеву А.Н.»: the initials protect the surname by themselves.
    WithInitials,
}

fn name_paragraphs(how: Name) -> String {
    let (open, close) = if how == Name::Nh {
        ("<nh>", "</nh>")
    } else {
        ("", "")
    };
    let initials = if how == Name::WithInitials {
        "&#160;А.Н."
    } else {
        ""
    };
    (0..14)
        .map(|k| {
            format!(
                "<p>{}Поручить подготовку проекта решения по вопросу организации работы \
                 заместителю директора по учебной работе {open}Алсуфьеву{close}{initials}, \
                 срок — до {open}27&#160;декабря 2024&#160;г.{close}</p>\n",
                "ж ".repeat(k)
            )
        })
        .collect()
}

fn document(body: &str) -> String {
    format!("<document title=\"т\"><section>{body}</section></document>")
}

/// `<nh>`: «Алсуфьеву» and «27 декабря 2024 г.» are never hyphenated, in
/// our PDF and in LibreOffice's PDF of our DOCX, which set the same lines;
/// nor is a surname next to its initials, «Алсуфьеву А.Н.», with no
/// `<nh>` (the markup protects it: typography::unhyphenated_spans). The
/// bare surname is hyphenated «Алсуфье-/ву» somewhere among the same
/// paragraphs, so the case tests something. Before `<nh>` existed the
/// markup refused it («элемент <nh> не допускается в тексте»).
#[test]
fn a_name_and_a_date_in_nh_are_never_hyphenated_here_nor_by_libreoffice() {
    let cases: Vec<(String, Vec<u8>, Vec<u8>)> = [Name::Bare, Name::Nh, Name::WithInitials]
        .into_iter()
        .map(|how| {
            let (docx, pdf) = render(&document(&name_paragraphs(how)));
            (format!("{how:?}"), docx, pdf)
        })
        .collect();
    let converted = convert_owned(&cases);
    let broken = |lines: &[String]| -> Vec<String> {
        (0..lines.len())
            .filter(|&k| hyphenated(lines, k))
            .map(|k| lines[k].rsplit(' ').next().unwrap().to_owned())
            .filter(|w| w.starts_with("Алсу") || w.starts_with("де"))
            .collect()
    };
    for (k, (name, _, _)) in cases.iter().enumerate() {
        let ours = visual_lines(&converted.ours[k]);
        let theirs = visual_lines(&converted.theirs[k]);
        assert_eq!(ours, theirs, "{name}: our lines vs LibreOffice's");
        let names = broken(&ours);
        if name == "Bare" {
            // The name is hyphenated without <nh>; a month never is, with
            // or without it (document::never_hyphenated), here nor in
            // LibreOffice, which sets the same lines.
            assert!(
                names.iter().any(|w| w.starts_with("Алсу")),
                "the case no longer brings the name to a line end: {names:?}"
            );
            assert!(
                !names.iter().any(|w| w == "де-"),
                "a month hyphenated: {names:?}"
            );
        } else {
            assert!(names.is_empty(), "{name}: hyphenated {names:?}");
            // The name does reach a line end, whole.
            assert!(
                ours.iter().any(|l| l.ends_with("Алсуфьеву,")
                    || l.ends_with("Алсуфьеву")
                    || l.ends_with("А.Н.,")),
                "{name}: the name never ends a line"
            );
        }
    }
}

/// `<nh>` is a run property: bold inside it, and it inside bold, both
/// hold; in the DOCX its runs carry the character style «Слово без
/// переносов» (no language).
#[test]
fn nh_nests_with_other_styles_and_gives_its_runs_no_language() {
    let doc = markup::parse(
        &document(
            "<p>Слушали: <b><nh>Иванова&#160;И.И.</nh></b> и <nh>Петрова <i>П.П.</i></nh></p>",
        ),
        &no_files,
    )
    .unwrap();
    let Block::Paragraph(p) = &doc.sections[0].blocks[0] else {
        panic!("{doc:?}")
    };
    let styles: Vec<(String, RunStyle)> = p
        .runs
        .iter()
        .filter_map(|r| match r {
            Inline::Text { text, style } => Some((text.clone(), *style)),
            Inline::LineBreak => None,
        })
        .collect();
    let nh = |t: &str| styles.iter().find(|(x, _)| x.trim() == t).unwrap().1;
    assert!(nh("Иванова\u{a0}И.И.").nohyphen && nh("Иванова\u{a0}И.И.").bold);
    assert!(nh("П.П.").nohyphen && nh("П.П.").italic);
    assert!(!nh("Слушали:").nohyphen && !nh("и").nohyphen);
    let docx = docx::render(&doc).unwrap();
    let body = part(&docx, "word/document.xml");
    let with_style = body.matches(r#"<w:rStyle w:val="LongWord"/>"#).count();
    assert_eq!(with_style, 3, "{body}");
}

/// A number range never breaks at its dash: «2020–» / «2021» was a line
/// end in seed 000 and here, in our PDF and in LibreOffice's; now the
/// range moves whole to the next line in both (the DOCX follows the dash
/// with a word joiner, `w:sym` U+2060, and keeps it out of its text).
#[test]
fn a_number_range_never_breaks_at_its_dash_here_nor_in_libreoffice() {
    let body: String = (0..12)
        .map(|k| {
            format!(
                "<p>{}и школ, функционирующих в неблагоприятных социальных условиях за \
                 2020–2021 годы, в 1–4 классах</p>",
                "ж ".repeat(k)
            )
        })
        .collect();
    let (docx, pdf) = render(&document(&body));
    assert!(
        docx_text(&docx).contains("2020–2021") && !docx_text(&docx).contains('\u{2060}'),
        "the joiner is no text"
    );
    let converted = convert_owned(&[("ranges".to_owned(), docx, pdf)]);
    let ours = visual_lines(&converted.ours[0]);
    let theirs = visual_lines(&converted.theirs[0]);
    assert_eq!(ours, theirs, "our lines vs LibreOffice's");
    let at_dash: Vec<&String> = ours
        .iter()
        .filter(|l| l.ends_with("2020–") || l.ends_with("1–"))
        .collect();
    assert!(at_dash.is_empty(), "broken at the dash: {at_dash:?}");
    assert!(
        ours.iter().any(|l| l.starts_with("2020–2021")),
        "the case no longer brings the range to a line end: {ours:#?}"
    );
}

/// A hyphen next to a digit never ends a line: «273-» / «ФЗ» was a line
/// end in seed 003; now «273-ФЗ» moves whole to the next line, in our
/// PDF and in LibreOffice's (a word joiner after the hyphen in the DOCX).
#[test]
fn a_law_number_never_breaks_at_its_hyphen_here_nor_in_libreoffice() {
    let body: String = (0..14)
        .map(|k| {
            format!(
                "<p>{}в соответствии с Федеральным законом от 29.12.2012 №&#160;273-ФЗ \
                 и приказом по ГИА-9 обеспечить проведение</p>",
                "ж ".repeat(k)
            )
        })
        .collect();
    let (docx, pdf) = render(&document(&body));
    assert!(docx_text(&docx).contains("273-ФЗ"), "the text as written");
    let converted = convert_owned(&[("law".to_owned(), docx, pdf)]);
    let ours = visual_lines(&converted.ours[0]);
    let theirs = visual_lines(&converted.theirs[0]);
    assert_eq!(ours, theirs, "our lines vs LibreOffice's");
    let at_hyphen: Vec<&String> = ours
        .iter()
        .filter(|l| l.ends_with("273-") || l.ends_with("ГИА-"))
        .collect();
    assert!(at_hyphen.is_empty(), "broken at the hyphen: {at_hyphen:?}");
    assert!(
        ours.iter()
            .any(|l| l.replace('\u{a0}', " ").starts_with("№ 273-ФЗ")),
        "the case no longer brings the number to a line end: {ours:#?}"
    );
}

/// Every document in `data/`.
fn documents() -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    found.sort();
    assert!(found.len() >= 9, "data/: {found:?}");
    found
}

/// The words of a document no line may hyphenate, as its text shows
/// them: surnames (from its `[[people]]` and its profile's, and every
/// capitalised word next to initials) and the words of quoted names
/// («Средняя школа № 3»: at most five words, a capital first).
struct Protected {
    /// Surname stems: the surname less its last two letters, so that
    /// «Алсуфьев» also finds «Алсуфьеву».
    stems: Vec<String>,
    quoted: std::collections::BTreeSet<String>,
    /// The words of the text written with a hyphen («Учебно-методический»).
    hyphenated_words: std::collections::BTreeSet<String>,
}

impl Protected {
    fn of(input: &Path, docx_text: &str) -> Protected {
        let mut surnames: Vec<String> = Vec::new();
        let mut people = |file: &Path| {
            let Ok(text) = std::fs::read_to_string(file) else {
                return;
            };
            let value: toml::Value = toml::from_str(&text).unwrap();
            for p in value
                .get("people")
                .and_then(|p| p.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(name) = p.get("name").and_then(|n| n.as_str()) {
                    surnames.push(name.split_whitespace().next().unwrap_or("").to_owned());
                }
            }
            if let Some(profile) = value.get("profile").and_then(|p| p.as_str()) {
                let path = file.parent().unwrap().join(profile);
                if let Ok(text) = std::fs::read_to_string(path) {
                    let value: toml::Value = toml::from_str(&text).unwrap();
                    for p in value
                        .get("people")
                        .and_then(|p| p.as_array())
                        .into_iter()
                        .flatten()
                    {
                        if let Some(name) = p.get("name").and_then(|n| n.as_str()) {
                            surnames.push(name.split_whitespace().next().unwrap_or("").to_owned());
                        }
                    }
                }
            }
        };
        people(input);
        let text = docx_text.replace('\u{a0}', " ");
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let initials = |t: &str| {
            let t = t.trim_end_matches([',', ';', ')']);
            t.len() >= 3
                && t.ends_with('.')
                && t.starts_with(char::is_uppercase)
                && t.chars().filter(|c| *c == '.').count() <= 2
                && t.chars().filter(|c| c.is_alphabetic()).count() <= 2
        };
        for (k, t) in tokens.iter().enumerate() {
            let word: String = t
                .chars()
                .filter(|c| c.is_alphabetic() || *c == '-')
                .collect();
            let next_initials = tokens.get(k + 1).is_some_and(|n| initials(n));
            let prev_initials = k > 0 && initials(tokens[k - 1]);
            if word.chars().count() >= 5
                && word.starts_with(char::is_uppercase)
                && (next_initials || prev_initials)
            {
                surnames.push(word);
            }
        }
        let stems = surnames
            .into_iter()
            .filter(|s| s.chars().count() >= 5)
            .map(|s| s.chars().take(s.chars().count() - 2).collect())
            .collect();
        let mut quoted = std::collections::BTreeSet::new();
        for piece in text.split('«').skip(1) {
            let inside = piece.split('»').next().unwrap_or("");
            let words: Vec<&str> = inside.split_whitespace().collect();
            if inside.starts_with(char::is_uppercase) && words.len() <= 5 {
                for w in words {
                    let w: String = w.chars().filter(|c| c.is_alphabetic()).collect();
                    if w.chars().count() >= 5 {
                        quoted.insert(w);
                    }
                }
            }
        }
        let hyphenated_words = tokens
            .iter()
            .map(|t| {
                t.chars()
                    .filter(|c| c.is_alphabetic() || *c == '-')
                    .collect::<String>()
            })
            .filter(|w| w.trim_matches('-').contains('-'))
            .collect();
        Protected {
            stems,
            quoted,
            hyphenated_words,
        }
    }

    /// Why the word broken into `head`-/`tail` should not have been, if
    /// it should not.
    fn why(&self, head: &str, tail: &str) -> Option<&'static str> {
        let word: String = format!("{head}{tail}")
            .chars()
            .filter(|c| c.is_alphabetic())
            .collect();
        // A break at the word's own hyphen («Учебно-/методический») is
        // no hyphenation.
        let own: String = format!("{head}-{tail}")
            .chars()
            .filter(|c| c.is_alphabetic() || *c == '-')
            .collect();
        if self.hyphenated_words.contains(&own) {
            return None;
        }
        const MONTHS: [&str; 12] = [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ];
        if MONTHS.contains(&word.to_lowercase().as_str()) {
            Some("дата словами")
        } else if word.chars().filter(|c| c.is_uppercase()).count() >= 2 {
            Some("прописные")
        } else if word.starts_with(char::is_uppercase)
            && self.stems.iter().any(|s| {
                // The surname in any case: at most four letters of ending
                // («Алсуфь|евым»), not another word on the same stem
                // («Жуко|вского района» is no «Жукова»).
                word.starts_with(s.as_str()) && word.chars().count() <= s.chars().count() + 4
            })
        {
            Some("фамилия")
        } else if self.quoted.contains(&word) {
            Some("название в кавычках")
        } else {
            None
        }
    }
}

/// The audit of the test below finds what it looks for: a surname from
/// `[[people]]` in another case, one found next to initials, a month, a
/// word in capitals, a word of a quoted name; and not an ordinary word.
#[test]
fn the_hyphenation_audit_finds_each_kind_of_word() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_temp(
        dir.path(),
        "p.toml",
        "[[people]]\nname = \"Алсуфьев Андрей Николаевич\"\n".as_bytes(),
    );
    let p = Protected::of(
        &input,
        "заслушали С.А.\u{a0}Сидорову; МБОУ «Средняя школа № 3» и «Порядок \
         предоставления субсидий из бюджета округа на ремонт», МУ «Учебно-методический центр»",
    );
    assert_eq!(p.why("Алсу", "фьеву"), Some("фамилия"));
    assert_eq!(p.why("Сидо", "рову"), Some("фамилия"));
    assert_eq!(p.why("де", "кабря"), Some("дата словами"));
    assert_eq!(p.why("ОНД", "иПР"), Some("прописные"));
    assert_eq!(p.why("Сред", "няя"), Some("название в кавычках"));
    assert_eq!(p.why("пре", "доставления"), None);
    assert_eq!(p.why("органи", "зации"), None);
    assert_eq!(p.why("Сидо", "ровой"), Some("фамилия"));
    assert_eq!(p.why("«Учебно", "методический"), None, "its own hyphen");
    assert_eq!(p.why("Сидо", "ровскому"), None, "another word on the stem");
}

/// No document in `data/` hyphenates a surname, a month of a date in
/// words, a word in capitals or a word of a quoted name, and none has
/// three hyphenated lines in a row, in our PDF or in LibreOffice's PDF of
/// our DOCX (their lines as the pages show them). The words are counted,
/// and the count must be 0.
#[test]
fn no_document_hyphenates_names_dates_capitals_nor_three_lines_in_a_row() {
    let cases: Vec<(String, Vec<u8>, Vec<u8>)> = documents()
        .into_iter()
        .map(|(id, input)| {
            let r = build::render_formats(
                &input,
                &templates(),
                &[Format::Docx, Format::Pdf],
                &PdfOptions::default(),
            )
            .unwrap_or_else(|d| panic!("{d}"));
            let mut files = r.files.into_iter();
            let docx = files.next().unwrap().1;
            let pdf = files.next().unwrap().1;
            (id, docx, pdf)
        })
        .collect();
    // Word keeps to two (LibreOffice 7.4 ignores the setting).
    for (id, docx, _) in &cases {
        let settings = part(docx, "word/settings.xml");
        assert!(
            settings.contains(r#"<w:consecutiveHyphenLimit w:val="2"/>"#),
            "{id}: {settings}"
        );
    }
    let protected: Vec<Protected> = documents()
        .iter()
        .zip(&cases)
        .map(|((_, input), (_, docx, _))| Protected::of(input, &docx_text(docx)))
        .collect();
    assert!(
        protected
            .iter()
            .any(|p| p.why("Алсу", "фьеву").is_some() || !p.stems.is_empty()),
        "no surname found in data/"
    );
    let converted = convert_owned(&cases);
    let mut found = Vec::new();
    let mut counted = 0;
    for (k, (id, _, _)) in cases.iter().enumerate() {
        for (who, pdf) in [("ours", &converted.ours[k]), ("LO", &converted.theirs[k])] {
            // The lines as the page shows them: LibreOffice's PDF gives
            // pdftotext a paragraph as one line in its reading order.
            let lines = visual_lines(pdf);
            let mut streak = 0;
            for j in 0..lines.len() {
                streak = if hyphenated(&lines, j) { streak + 1 } else { 0 };
                if streak == 3 {
                    found.push(format!("{id} ({who}): {:?}", &lines[j - 2..=j]));
                }
            }
            let protected = &protected[k];
            for pair in lines.windows(2) {
                let Some(head) = pair[0].strip_suffix('-') else {
                    continue;
                };
                let head = head.rsplit(' ').next().unwrap_or("");
                let tail = pair[1].split(' ').next().unwrap_or("");
                let split_word = head.chars().last().is_some_and(char::is_alphabetic)
                    && tail.chars().next().is_some_and(char::is_alphabetic);
                if let Some(why) = protected.why(head, tail).filter(|_| split_word) {
                    found.push(format!("{id} ({who}): {head}-/{tail} ({why})"));
                    counted += 1;
                }
            }
        }
    }
    eprintln!("hyphenated names, dates, capitals, quoted names: {counted}");
    assert!(
        found.is_empty(),
        "hyphenated where a secretary would not, or three lines in a row: {found:#?}"
    );
}
