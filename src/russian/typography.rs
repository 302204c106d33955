//! The typographic pass over user text (LAYOUT.md §7):
//! - straight quotes become «ёлочки», with „лапки“ inside;
//! - a dash between spaces becomes an em dash with a no-break space before
//!   it; a hyphen between two numbers becomes an en dash («2020–2021»);
//! - a no-break space goes after «№», after one-letter and short
//!   prepositions and conjunctions (в, на, с, к, о, и, а, не), between
//!   initials and surname, in «г. Славск», «2021 г.» and «5 чел.»;
//! - «О.Н.Климова» and «О. Н. Климова» become «О.Н. Климова».
//!
//! The pass is idempotent: text that is already right stays as it is.

use std::sync::LazyLock;

use regex::{Captures, Regex};

const NBSP: &str = "\u{a0}";

/// Regexes compiled once per process.
struct Rules {
    spaced_dash: Regex,
    number_range: Regex,
    numero: Regex,
    short_words: Regex,
    initials_before: Regex,
    initials_after: Regex,
    city: Regex,
    unit_after_number: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let re = |s: &str| Regex::new(s).expect("typography regex");
    Rules {
        // « - », « -- », « — » (any spaces) between words.
        spaced_dash: re(r"[ \u{a0}]+(?:--?|—|–)[ \u{a0}]+"),
        // 2020-2021, 6-7: two numbers only, not a date or a phone number.
        number_range: re(r"(^|[^\d.\-–])(\d{1,4})-(\d{1,4})($|[^\d\-–.])"),
        // Before a number only: «№ п/п» in a narrow header may break.
        numero: re(r"№[ \u{a0}]*(\d)"),
        // A short word, then a space.
        short_words: re(
            r"(?i)(^|[\s(«„\u{a0}])(в|во|на|с|со|к|ко|о|об|и|а|не|но|по|до|от|за|из|у)( )",
        ),
        // «О.Н. Климова», «О. Н.Климова», «О.Климова».
        initials_before: re(
            r"\b([А-ЯЁ])\.[ \u{a0}]?(?:([А-ЯЁ])\.)?[ \u{a0}]?([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)",
        ),
        // «Климова О.Н.», «Климова О. Н.».
        initials_after: re(
            r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)[ \u{a0}]([А-ЯЁ])\.[ \u{a0}]?(?:([А-ЯЁ])\.)?",
        ),
        city: re(r"\b(г|п|с|д|ул|пос|пгт|ст)\.[ \u{a0}]?([А-ЯЁ])"),
        unit_after_number: re(r"(\d)[ \u{a0}](г\.|гг\.|года?\b|чел\.|руб\.|тыс\.|млн|%)"),
    }
});

/// Applies every rule of the pass.
pub fn apply(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let r = &*RULES;
    let mut s = quotes(text);
    s = r.spaced_dash.replace_all(&s, "\u{a0}— ").into_owned();
    // Twice: «1-2-3» is not a range, but «6-7, 8-9» holds two.
    s = r
        .number_range
        .replace_all(&s, "${1}${2}–${3}${4}")
        .into_owned();
    s = r.numero.replace_all(&s, "№\u{a0}${1}").into_owned();
    s = r
        .initials_before
        .replace_all(&s, |c: &Captures| {
            let second = c
                .get(2)
                .map_or(String::new(), |m| format!("{}.", m.as_str()));
            format!("{}.{second}{NBSP}{}", &c[1], &c[3])
        })
        .into_owned();
    s = r
        .initials_after
        .replace_all(&s, |c: &Captures| {
            let second = c
                .get(3)
                .map_or(String::new(), |m| format!("{}.", m.as_str()));
            format!("{}{NBSP}{}.{second}", &c[1], &c[2])
        })
        .into_owned();
    s = r.city.replace_all(&s, "${1}.\u{a0}${2}").into_owned();
    s = r
        .unit_after_number
        .replace_all(&s, "${1}\u{a0}${2}")
        .into_owned();
    // Twice, because a match consumes the space another one starts with
    // («и в школе»).
    for _ in 0..2 {
        s = r.short_words.replace_all(&s, "${1}${2}\u{a0}").into_owned();
    }
    s
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
