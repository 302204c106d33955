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
