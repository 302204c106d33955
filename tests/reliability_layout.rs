//! Layout under hostile input (issue 10): a word of tens of thousands of
//! letters, table widths that are zero, negative, not a number or wider
//! than the page, and other numbers of the markup out of range.

mod common;
use common::*;

use gostdoc::pdf::{self, PdfOptions};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// The point of seed 000 the long word goes into.
const POINT: &str = "text = \"о результатах проведения мониторинга системы работы со школами \
                     с низкими образовательными результатами.\"";

/// Seed 000 with the text of its first «СЛУШАЛИ» replaced by `text`, and
/// its profile beside it, in `dir`.
fn seed_with_point(dir: &Path, text: &str) -> PathBuf {
    let seed = std::fs::read_to_string(seed_input("000")).unwrap();
    assert!(seed.contains(POINT), "seed 000 changed: update POINT");
    let source = seed.replacen(POINT, &format!("text = \"{text}\""), 1);
    let profile = std::fs::read(root().join("data/profiles/elnya.toml")).unwrap();
    write_temp(dir, "profiles/elnya.toml", &profile);
    write_temp(dir, "t.toml", source.as_bytes())
}

/// `n` Russian letters with no space, no hyphen, no vowel-free stretch the
/// dictionary would refuse: a «word» the hyphenator finds points in.
fn long_word(n: usize) -> String {
    "абвгдежзиклмнопрстуфхцчшщэюя"
        .chars()
        .cycle()
        .take(n)
        .collect()
}

/// The PDF lines from the one the long word starts to the paragraph's last.
fn word_lines(layout: &pdf::Layout, word: &str) -> Vec<pdf::PlacedLine> {
    let head: String = word.chars().take(5).collect();
    // Page numbers (the word spans pages) are not text of the paragraph.
    let lines: Vec<_> = layout
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| !l.text.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let first = lines.iter().position(|l| l.text.starts_with(&head)).expect(
        "no line starts with the long word: it was hyphenated, not moved to a line of its own",
    );
    // The word ends with «конец.» on the paragraph's last line.
    let last = first
        + lines[first..]
            .iter()
            .position(|l| l.text.contains("конец."))
            .expect("the word's last line");
    lines[first..=last].iter().map(|&l| l.clone()).collect()
}

/// Asserts that `lines` hold `word` and «конец.» with no letter lost or
/// added, naming the first difference rather than printing 80,000 letters.
/// Spaces are left out: where the word ends at the margin, the space before
/// «конец.» is a line break.
fn assert_all_letters(lines: &[pdf::PlacedLine], word: &str) {
    let got: String = lines
        .iter()
        .flat_map(|l| l.text.chars())
        .filter(|c| *c != ' ')
        .collect();
    let want = format!("{word}конец.");
    if got != want {
        let at = got
            .chars()
            .zip(want.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let around = |s: &str| {
            s.chars()
                .skip(at.saturating_sub(20))
                .take(40)
                .collect::<String>()
        };
        panic!(
            "letters lost or added at letter {at}: the PDF has «{}», the text «{}» ({} and {} letters)",
            around(&got),
            around(&want),
            got.chars().count(),
            want.chars().count()
        );
    }
}

/// Builds DOCX and lays out the PDF of seed 000 with a word of `n`
/// letters; checks that every letter is on the page, in both files.
fn build_long_word(n: usize) -> (Vec<pdf::PlacedLine>, String) {
    let dir = tempfile::tempdir().unwrap();
    let word = long_word(n);
    let input = seed_with_point(dir.path(), &format!("о результатах {word} конец."));
    let (doc, docx) = match gostdoc::build::render(&input, &templates()) {
        Ok(built) => built,
        Err(d) => panic!("did not build:\n{d}"),
    };
    // The typographic pass binds «о» to the next word.
    assert!(
        docx_text(&docx).contains(&format!("о\u{a0}результатах {word} конец.")),
        "the DOCX keeps the word whole"
    );
    let layout = pdf::layout(&doc, &PdfOptions::default()).expect("layout");
    let over = layout.overfull_lines();
    assert!(over.is_empty(), "lines overflow the margin: {over:#?}");
    (word_lines(&layout, &word), word)
}

/// A word longer than a line is cut at the margin, as LibreOffice cuts it:
/// no hyphen is added (the old code hyphenated the rest of the word at
/// every line, looking the whole rest up in the dictionary each time, which
/// is what made breaking cubic), each line but the last is filled to the
/// margin, and no letter is lost.
#[test]
fn a_word_longer_than_a_line_is_cut_at_the_margin() {
    let (lines, word) = build_long_word(2_000);
    // The word does not fit after «результатах», so it starts a line.
    assert_all_letters(&lines, &word);
    // Every line that the word continues after (not the one before
    // «конец.», which breaks at a space).
    for pair in lines.windows(2).filter(|p| !p[1].text.starts_with("конец")) {
        let l = &pair[0];
        assert!(!l.text.ends_with('-'), "hyphenated: {l:?}");
        // Cut where the next letter would overflow: less than one letter
        // (at most 4 mm at 14 pt) short of the margin.
        assert!(
            l.measure_mm - l.width_mm < 4.0,
            "a cut line ends short of the margin: {l:?}"
        );
    }
}

/// An 80,000-letter word builds (DOCX and PDF layout). Before the fix it
/// took 87 s in a release build and over a minute in this test; now under
/// a second even in the debug build of the tests. The deadline leaves a
/// loaded machine sixty times that, and the old code cannot meet it.
#[test]
fn an_80000_letter_word_builds_in_bounded_time() {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(build_long_word(80_000));
    });
    let (lines, word) = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(built) => built,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("an 80,000-letter word took over a minute to build")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the build panicked (see above)"),
    };
    assert_all_letters(&lines, &word);
}
