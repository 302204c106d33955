//! The typographic pass over user text (LAYOUT.md §7):
//! - straight quotes become «ёлочки», with „лапки“ inside;
//! - a dash between spaces becomes an em dash with a no-break space before
//!   it; a hyphen between two numbers becomes an en dash («2020–2021»);
//! - a no-break space goes after «№», after one-letter and short
//!   prepositions and conjunctions (в, на, с, к, о, и, а, не), in
//!   capitals too («В», «И», «О ПРОВЕДЕНИИ»), between
//!   initials and surname, in «г. Славск», «2021 г.» and «5 чел.»;
//! - «О.Н.Климова» and «О. Н. Климова» become «О.Н. Климова».
//!
//! The pass is idempotent: text that is already right stays as it is.

use std::sync::LazyLock;

use regex_lite::{Captures, Regex};

const NBSP: &str = "\u{a0}";

/// Regexes compiled once per process.
struct Rules {
    spaced_dash: Regex,
    number_range: Regex,
    initials_before: Regex,
    initials_after: Regex,
    city: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let re = |s: &str| Regex::new(s).expect("typography regex");
    Rules {
        // « - », « -- », « — » (any spaces) between words.
        spaced_dash: re(r"[ \u{a0}]+(?:--?|—|–)[ \u{a0}]+"),
        // 2020-2021, 6-7: two numbers only, not a date or a phone number.
        number_range: re(
            r#"(^|[ \t\n\u{a0}(«„"/])([0-9]{1,4})-([0-9]{1,4})($|[ \t\n\u{a0})»“",;:.!?])"#,
        ),
        // «О.Н. Климова», «О. Н.Климова», «О.Климова».
        initials_before: re(
            r#"(^|[ \t\n\u{a0}(«„"'—–\-/,;:])([А-ЯЁ])\.[ \u{a0}]?(?:([А-ЯЁ])\.)?[ \u{a0}]?([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"#,
        ),
        // «Климова О.Н.», «Климова О. Н.».
        initials_after: re(
            r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)[ \u{a0}]([А-ЯЁ])\.[ \u{a0}]?(?:([А-ЯЁ])\.)?",
        ),
        city: re(r#"(^|[ \t\n\u{a0}(«„"'—–\-/,;:])(г|п|с|д|ул|пос|пгт|ст)\.[ \u{a0}]?([А-ЯЁ])"#),
    }
});

/// `re` replaced in `s`; `s` itself, not a copy, when nothing matched.
fn replaced<R: regex_lite::Replacer>(re: &Regex, s: String, rep: R) -> String {
    match re.replace_all(&s, rep) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(changed) => changed,
    }
}

/// Applies every rule of the pass.
pub fn apply(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let r = &*RULES;
    // Each rule runs only when its trigger is in the text: most texts
    // need two or three of them, and a long table has thousands of texts.
    let mut s = quotes(text);
    if s.contains(" -") || s.contains(" —") || s.contains(" –") || s.contains("\u{a0}-") {
        s = replaced(&r.spaced_dash, s, "\u{a0}— ");
    }
    // The regexes (regex-lite: compiled in microseconds, but slower to
    // search) run only where a cheap scan finds a candidate.
    let pair = |s: &str, test: &dyn Fn(char, char) -> bool| {
        s.chars().zip(s.chars().skip(1)).any(|(a, b)| test(a, b))
    };
    if pair(&s, &|a, b| a.is_ascii_digit() && b == '-') {
        s = replaced(&r.number_range, s, "${1}${2}–${3}${4}");
    }
    if s.contains('№') {
        s = bind_numero(&s);
    }
    let capital_dot = |a: char, b: char| (('А'..='Я').contains(&a) || a == 'Ё') && b == '.';
    if pair(&s, &capital_dot) {
        s = replaced(&r.initials_before, s, |c: &Captures| {
            let second = c
                .get(3)
                .map_or(String::new(), |m| format!("{}.", m.as_str()));
            format!("{}{}.{second}{NBSP}{}", &c[1], &c[2], &c[4])
        });
        s = replaced(&r.initials_after, s, |c: &Captures| {
            let second = c
                .get(3)
                .map_or(String::new(), |m| format!("{}.", m.as_str()));
            format!("{}{NBSP}{}.{second}", &c[1], &c[2])
        });
    }
    if ["г.", "п.", "с.", "д.", "ул.", "пос.", "пгт.", "ст."]
        .iter()
        .any(|abbr| s.contains(abbr))
    {
        s = replaced(&r.city, s, "${1}${2}.\u{a0}${3}");
    }
    if pair(&s, &|a, b| a.is_ascii_digit() && b == ' ') {
        s = bind_units(&s);
    }
    if s.contains(' ') {
        s = bind_short_words(&s);
    }
    s
}

/// «№ 227», «№227» → «№\u{a0}227»; before a number only, since «№ п/п»
/// in a narrow table header must be free to break.
fn bind_numero(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut rest = text;
    while let Some(at) = rest.find('№') {
        out.push_str(&rest[..at + '№'.len_utf8()]);
        let after = &rest[at + '№'.len_utf8()..];
        let trimmed = after.trim_start_matches([' ', '\u{a0}']);
        if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
            out.push('\u{a0}');
            rest = trimmed;
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Units that stay on the line of their number: «2021 г.», «5 чел.».
const UNITS: [&str; 9] = [
    "г.", "гг.", "года", "год", "чел.", "руб.", "тыс.", "млн", "%",
];

/// A no-break space between a number and its unit.
fn bind_units(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev_digit = false;
    for (i, c) in text.char_indices() {
        if c == ' ' && prev_digit {
            let next = &text[i + 1..];
            let unit = UNITS.iter().any(|u| {
                next.starts_with(u)
                    && !next[u.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic())
            });
            out.push(if unit { '\u{a0}' } else { ' ' });
        } else {
            out.push(c);
        }
        prev_digit = c.is_ascii_digit();
    }
    out
}

/// Short prepositions and conjunctions that a line must not end with.
const SHORT_WORDS: [&str; 19] = [
    "в", "во", "на", "с", "со", "к", "ко", "о", "об", "и", "а", "не", "но", "по", "до", "от", "за",
    "из", "у",
];

/// Joins each short word to the next one with a no-break space, in one
/// pass («и в школе» → «и\u{a0}в\u{a0}школе»).
fn bind_short_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        out.push_str(word);
        if words.peek().is_none() {
            break;
        }
        // The word after the last no-break space, opening bracket or
        // quote, slash, or line break or tab: the markup collapses a line
        // break to a space, so «строка\nВ школе» would leave «В» free at
        // a line's end.
        let last = word
            .rsplit(['\u{a0}', '(', '«', '„', '/', '\n', '\t'])
            .next()
            .unwrap_or(word);
        let short = last.chars().count() <= 2 && {
            let lower = last.to_lowercase();
            SHORT_WORDS.contains(&lower.as_str())
        };
        out.push(if short && !word.is_empty() {
            '\u{a0}'
        } else {
            ' '
        });
    }
    out
}

/// Straight double quotes to «ёлочки» outside and „лапки“ inside. A quote
/// opens at the start, after a space, a bracket, a dash or another
/// opening quote; otherwise it closes the innermost open quote.
pub fn quotes(text: &str) -> String {
    if !text.contains('"') && !text.contains('«') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    // Open quotes: true for «, false for „.
    let mut open: Vec<bool> = Vec::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        match c {
            '"' => {
                let opens = match prev {
                    None => true,
                    Some(p) => p.is_whitespace() || "([{«„—–-/".contains(p),
                };
                if opens {
                    let outer = open.is_empty();
                    open.push(outer);
                    out.push(if outer { '«' } else { '„' });
                } else {
                    match open.pop() {
                        Some(true) | None => out.push('»'),
                        Some(false) => out.push('“'),
                    }
                }
            }
            '«' => {
                // Already typeset: an outer quote, or a nested one in „…“.
                if open.is_empty() {
                    open.push(true);
                    out.push('«');
                } else {
                    open.push(false);
                    out.push('„');
                }
            }
            '»' => match open.pop() {
                Some(false) => out.push('“'),
                _ => out.push('»'),
            },
            _ => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// Words shorter than this are never hyphenated anyway (two letters at
/// least on either side of a break, and a short word fits where a long
/// one would be broken), so they need no protection.
const PROTECT_MIN_LETTERS: usize = 5;

/// A quoted name of at most this many words is an institution's or a
/// document's name («Средняя школа № 3», «Славский городской округ») and
/// is never hyphenated; a longer quotation is running text.
const QUOTED_NAME_MAX_WORDS: usize = 5;

/// Where `text` must not be hyphenated (LAYOUT.md §7; issue 12): byte
/// ranges, in order, not overlapping. Three kinds of words:
/// - a word with two capitals or more («ОНДиПР», «МБОУ», «ГИА»);
/// - a surname next to its initials, on either side («С.А.\u{a0}Сидорову»,
///   «Климова\u{a0}О.Н.»: the pass binds them with a no-break space);
/// - the inside of «…» that begins with a capital and has at most five
///   words: the name of an institution, a district or a programme.
///
/// The markup marks them as it marks `<nh>`, so both backends and
/// LibreOffice keep them whole.
pub fn unhyphenated_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    // Cheap triggers first: most texts have none of these.
    let quoted = text.contains('«');
    let initials = text.contains('\u{a0}');
    if quoted {
        quoted_names(text, &mut spans);
    }
    // One pass over the words (letters and digits, with the hyphens inside
    // «Петрова-Водкина»), counting letters and capitals as it goes: a long
    // table calls this for every cell.
    let mut word: Option<(usize, usize, usize)> = None; // start, letters, capitals
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner_hyphen =
            c == '-' && word.is_some() && chars.peek().is_some_and(|&(_, n)| is_letter_or_digit(n));
        if is_letter_or_digit(c) || inner_hyphen {
            let (_, letters, capitals) = word.get_or_insert((i, 0, 0));
            if !c.is_ascii_digit() && c != '-' {
                *letters += 1;
            }
            if is_capital(c) {
                *capitals += 1;
            }
            continue;
        }
        if let Some(w) = word.take() {
            protect_word(text, w, i, initials, &mut spans);
        }
    }
    if let Some(w) = word {
        protect_word(text, w, text.len(), initials, &mut spans);
    }
    if spans.len() > 1 {
        spans.sort_by_key(|r| r.start);
    }
    // Merge overlapping ranges (a surname inside a quoted name).
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(spans.len());
    for r in spans {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Adds the word `start..end` to `spans` when it is never to be
/// hyphenated: two capitals or more, or a surname next to its initials.
fn protect_word(
    text: &str,
    (start, letters, capitals): (usize, usize, usize),
    end: usize,
    initials: bool,
    spans: &mut Vec<std::ops::Range<usize>>,
) {
    if letters < PROTECT_MIN_LETTERS || capitals == 0 {
        return;
    }
    let surname =
        initials && text[start..].starts_with(is_capital) && next_to_initials(text, start, end);
    if capitals >= 2 || surname {
        spans.push(start..end);
    }
}

/// A letter or a digit; Russian and ASCII are looked up without Unicode's
/// tables (they are most of the text, and the tables are slow).
fn is_letter_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, 'А'..='я' | 'Ё' | 'ё')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// A capital letter; Russian and ASCII are looked up directly.
fn is_capital(c: char) -> bool {
    c.is_ascii_uppercase()
        || matches!(c, 'А'..='Я' | 'Ё')
        || (!c.is_ascii() && !matches!(c, 'а'..='я' | 'ё') && c.is_uppercase())
}

/// Is the word at `start..end` a surname with its initials: «А.\u{a0}»,
/// «А.Б.\u{a0}» just before it, or «\u{a0}А.» just after it?
fn next_to_initials(text: &str, start: usize, end: usize) -> bool {
    let before: Vec<char> = text[..start].chars().rev().take(3).collect();
    let after: Vec<char> = text[end..].chars().take(3).collect();
    let capital = |c: Option<&char>| c.is_some_and(|c| c.is_uppercase());
    let initial_before =
        before.first() == Some(&'\u{a0}') && before.get(1) == Some(&'.') && capital(before.get(2));
    let initial_after =
        after.first() == Some(&'\u{a0}') && capital(after.get(1)) && after.get(2) == Some(&'.');
    initial_before || initial_after
}

/// The insides of «…» that are names: a capital first, at most
/// [`QUOTED_NAME_MAX_WORDS`] words. Nested „…“ are part of their quote.
fn quoted_names(text: &str, spans: &mut Vec<std::ops::Range<usize>>) {
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '«' if open.is_none() => open = Some(i + c.len_utf8()),
            '»' => {
                if let Some(from) = open.take() {
                    let inside = &text[from..i];
                    let words = inside
                        .split([' ', '\u{a0}'])
                        .filter(|w| !w.is_empty())
                        .count();
                    if inside.starts_with(char::is_uppercase)
                        && words <= QUOTED_NAME_MAX_WORDS
                        && inside.chars().filter(|c| c.is_alphabetic()).count()
                            >= PROTECT_MIN_LETTERS
                    {
                        spans.push(from..i);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod unhyphenated_tests {
    use super::unhyphenated_spans;

    fn protected(text: &str) -> Vec<&str> {
        unhyphenated_spans(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn capitals_surnames_with_initials_and_quoted_names_are_protected() {
        assert_eq!(
            protected("инспектор ОНДиПР и МБОУ «Средняя школа №\u{a0}3» г.\u{a0}Заречного"),
            ["ОНДиПР", "Средняя школа №\u{a0}3"]
        );
        assert_eq!(
            protected("заслушали С.А.\u{a0}Сидорову и Алсуфьеву\u{a0}А.Н., учителей"),
            ["Сидорову", "Алсуфьеву"]
        );
        assert_eq!(protected("Петрова-Водкина\u{a0}К.С."), ["Петрова-Водкина"]);
    }

    #[test]
    fn running_text_long_quotations_and_short_words_are_not() {
        assert!(protected("Обеспечить проведение мероприятий в срок").is_empty());
        assert!(
            protected("утвердить «Порядок предоставления субсидий из бюджета округа на ремонт»")
                .is_empty()
        );
        // Capitalised words without initials are ordinary words.
        assert!(protected("Отделу образования Заречного округа").is_empty());
        // Too short to be hyphenated anyway.
        assert!(protected("ГИА и ЕГЭ, «Мир»").is_empty());
    }
}
