//! Every seed document builds, and its DOCX holds every sentence of the
//! seed, in order.
//!
//! The comparison reads the text back from `word/document.xml` and compares
//! words: whitespace, no-break spaces, quotes, dashes and other punctuation
//! (the typography of LAYOUT.md §7) and letter case are normalised away;
//! letter-spaced words («п о с т а н о в л я е т») are joined. Where the
//! seed is damaged or the layout rules differ from it, a fix in
//! `tests/fixtures/seeds/NNN.fixes` rewrites the seed first; each fix says
//! why, and a fix that no longer applies fails the test.

mod common;
use common::*;

/// Words of a text, lower-cased, «ё» as «е», letter-spaced runs joined.
fn words(text: &str) -> Vec<String> {
    let raw: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('ё', "е"))
        .collect();
    // «п о с т а н о в л я е т» → «постановляет»: four or more one-letter
    // words in a row are a letter-spaced word.
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let run = raw[i..]
            .iter()
            .take_while(|w| w.chars().count() == 1 && w.chars().all(char::is_alphabetic))
            .count();
        if run >= 4 {
            out.push(raw[i..i + run].concat());
            i += run;
        } else {
            out.push(raw[i].clone());
            i += 1;
        }
    }
    out
}

/// The seed's sentences: lines, table cells, and sentence ends.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.split(['\n', '\t']) {
        let mut current = String::new();
        let chars: Vec<char> = line.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            current.push(*c);
            let next_is_space = chars.get(i + 1).is_some_and(|n| n.is_whitespace());
            if matches!(c, '.' | ';' | '!' | '?') && next_is_space {
                out.push(std::mem::take(&mut current));
            }
        }
        out.push(current);
    }
    out.into_iter().filter(|s| !words(s).is_empty()).collect()
}

/// LAYOUT.md §4: a numeric date takes no «г.» («01.09.2021 г.» and
/// «24.11.2020г.» are «01.09.2021»); only verbal dates do.
fn drop_year_word_after_numeric_dates(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        out.push(chars[i]);
        let is_date_end = i >= 9
            && chars[i - 9..=i].iter().enumerate().all(|(k, c)| match k {
                2 | 5 => *c == '.',
                _ => c.is_ascii_digit(),
            });
        if is_date_end {
            let mut j = i + 1;
            while j < chars.len() && (chars[j] == ' ' || chars[j] == '\u{a0}') {
                j += 1;
            }
            if chars.get(j) == Some(&'г') && chars.get(j + 1) == Some(&'.') {
                i = j + 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Applies `NNN.fixes`: `seed text => our text` lines (`\\n` is a line
/// break, `\\t` a tab), `#` comments.
fn apply_fixes(id: &str, mut seed: String) -> String {
    let path = root().join(format!("tests/fixtures/seeds/{id}.fixes"));
    let Ok(fixes) = std::fs::read_to_string(&path) else {
        return seed;
    };
    for line in fixes
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (from, to) = line.split_once(" => ").unwrap_or_else(|| {
            panic!(
                "{}: a fix is «seed text => our text»: {line}",
                path.display()
            )
        });
        let unescape = |s: &str| s.replace("\\n", "\n").replace("\\t", "\t");
        let (from, to) = (unescape(from), unescape(to));
        let (from, to) = (from.as_str(), to.as_str());
        assert!(
            seed.contains(from),
            "{}: the fix «{from}» no longer applies",
            path.display()
        );
        seed = seed.replacen(from, to, 1);
    }
    seed
}

/// Sentences of `seed` that are not in `docx` in order, with where the
/// DOCX went on instead.
fn missing_sentences(id: &str, seed: &str, docx: &str) -> Vec<String> {
    let ours = words(docx);
    let mut cursor = 0;
    let mut missing = Vec::new();
    for sentence in sentences(seed) {
        let wanted = words(&sentence);
        let found = (cursor..=ours.len().saturating_sub(wanted.len()))
            .find(|&i| ours[i..i + wanted.len()] == wanted[..]);
        match found {
            Some(i) => cursor = i + wanted.len(),
            None => {
                let context = ours[cursor..ours.len().min(cursor + 30)].join(" ");
                missing.push(format!(
                    "seed {id}: «{}» is missing or out of order; the DOCX goes on with: {context}",
                    sentence.trim()
                ));
            }
        }
    }
    missing
}

fn assert_contains_in_order(id: &str, seed: &str, docx: &str) {
    let missing = missing_sentences(id, seed, docx);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_seed_docx_contains_every_sentence_in_order() {
    let mut missing = Vec::new();
    for id in SEEDS {
        let docx = render(&seed_input(id));
        let seed = drop_year_word_after_numeric_dates(&apply_fixes(id, seed_text(id)));
        missing.extend(missing_sentences(id, &seed, &docx_text(&docx)));
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_comparison_catches_a_missing_or_moved_sentence() {
    let docx = "Первое предложение. Второе предложение. Третье.";
    assert_contains_in_order("x", "Первое предложение.\nТретье.", docx);
    let missing = std::panic::catch_unwind(|| assert_contains_in_order("x", "Четвёртое.", docx));
    assert!(missing.is_err());
    let moved = std::panic::catch_unwind(|| {
        assert_contains_in_order("x", "Третье.\nПервое предложение.", docx)
    });
    assert!(moved.is_err());
}

#[test]
fn normalisation_is_the_typography_of_layout_section_7() {
    assert_eq!(words("О.Н.Климову"), words("О.Н.\u{a0}Климову"));
    assert_eq!(words("«учитель-учитель»"), words("\"учитель–учитель\""));
    assert_eq!(words("п о с т а н о в л я е т:"), vec!["постановляет"]);
    assert_eq!(
        drop_year_word_after_numeric_dates(
            "срок 01.09.2021 г. и От 24.11.2020г., 27 декабря 2020 г."
        ),
        "срок 01.09.2021 и От 24.11.2020, 27 декабря 2020 г."
    );
}

#[test]
fn seed_004_header_row_is_marked_to_repeat_and_rows_to_stay_whole() {
    let xml = part(&render(&seed_input("004")), "word/document.xml");
    assert_eq!(xml.matches("<w:tblHeader").count(), 1, "one header row");
    // 19 rows plus the header, none of which may split across pages.
    assert_eq!(xml.matches("<w:cantSplit").count(), 20);
}

#[test]
fn every_seed_is_deterministic() {
    for id in SEEDS {
        let input = seed_input(id);
        assert!(
            render(&input) == render(&input),
            "seed {id} differs between two builds"
        );
    }
}
