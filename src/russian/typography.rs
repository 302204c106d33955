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

use std::borrow::Cow;
use std::sync::LazyLock;

use regex_lite::Regex;

const NBSP: &str = "\u{a0}";

/// Regexes compiled once per process.
struct Rules {
    number_range: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let re = |s: &str| Regex::new(s).expect("typography regex");
    Rules {
        // 2020-2021, 6-7: two numbers only, not a date or a phone number.
        number_range: re(
            r#"(^|[ \t\n\u{a0}(«„"/])([0-9]{1,4})-([0-9]{1,4})($|[ \t\n\u{a0})»“",;:.!?])"#,
        ),
    }
});

/// The rules about initials and place abbreviations, as the regexes they
/// were first written as (the tests check the hand-written matchers below
/// against them, which are several times faster than regex-lite's
/// search: a protocol names a person in most paragraphs).
#[cfg(test)]
mod as_regexes {
    /// «О.Н. Климова», «О. Н.Климова», «О.Климова».
    pub(super) const INITIALS_BEFORE: &str = r#"(^|[ \t\n\u{a0}(«„"'—–\-/,;:])([А-ЯЁ])\.[ \u{a0}]?(?:([А-ЯЁ])\.)?[ \u{a0}]?([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"#;
    /// «Климова О.Н.», «Климова О. Н.»; the space after a lone initial is
    /// not the rule's («Климова О. сказала»).
    pub(super) const INITIALS_AFTER: &str =
        r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)[ \u{a0}]([А-ЯЁ])\.(?:[ \u{a0}]?([А-ЯЁ])\.)?";
    /// « - », « -- », « — » (any spaces) between words.
    pub(super) const SPACED_DASH: &str = r"[ \u{a0}]+(?:--?|—|–)[ \u{a0}]+";
    /// «г. Славск», «ул.Ленина».
    pub(super) const CITY: &str =
        r#"(^|[ \t\n\u{a0}(«„"'—–\-/,;:])(г|п|с|д|ул|пос|пгт|ст)\.[ \u{a0}]?([А-ЯЁ])"#;
}

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
    // The text is borrowed until a rule changes it: most rules change
    // nothing, and a copy for each was a third of the pass.
    let mut s = quoted(text);
    let found = Triggers::of(&s);
    if found.spaced_dash
        && let Some(changed) = replace_each(&s, spaced_dash_at)
    {
        s = Cow::Owned(changed);
    }
    // The regexes (regex-lite: compiled in microseconds, but slower to
    // search) run only where a scan finds the place one of them would
    // match: each scan below is a necessary condition of its regex, so
    // the text comes out the same, and most texts skip every regex.
    if digit_hyphen_digit(&s) {
        s = Cow::Owned(replaced(
            &r.number_range,
            s.into_owned(),
            "${1}${2}–${3}${4}",
        ));
    }
    if found.numero {
        s = Cow::Owned(bind_numero(&s));
    }
    if initial_after_delimiter(&s)
        && let Some(changed) = replace_each(&s, initials_before_at)
    {
        s = Cow::Owned(changed);
    }
    if initial_after_word(&s)
        && let Some(changed) = replace_each(&s, initials_after_at)
    {
        s = Cow::Owned(changed);
    }
    if abbreviation_before_capital(&s)
        && let Some(changed) = replace_each(&s, city_at)
    {
        s = Cow::Owned(changed);
    }
    if found.space
        && let Some(changed) = bind_spaces(&s)
    {
        s = Cow::Owned(changed);
    }
    s.into_owned()
}

/// What the cheap rules look for, found in the text after the quotes; no
/// later rule makes a trigger of another appear (they only bind spaces
/// and dashes), so each flag stays a necessary condition of its rule.
struct Triggers {
    /// « -», « —», « –», «\u{a0}-»: where `spaced_dash` can match.
    spaced_dash: bool,
    /// «№».
    numero: bool,
    /// A space: where `bind_spaces` can change the text (it passes over
    /// the spaces itself, and changes nothing where it finds nothing to
    /// bind).
    space: bool,
}

impl Triggers {
    fn of(s: &str) -> Self {
        let b = s.as_bytes();
        let mut found = Triggers {
            spaced_dash: false,
            numero: false,
            space: memchr::memchr(b' ', b).is_some(),
        };
        // The dashes and «№» found from their first bytes: a hyphen, or
        // E2 (the lead byte of «—» E2 80 94, «–» E2 80 93 and «№» E2 84
        // 96), which few texts have, rather than at each of the many
        // spaces before them (a long table has thousands of texts).
        for i in memchr::memchr2_iter(b'-', 0xE2, b) {
            let before = &b[..i];
            if b[i] == b'-' {
                // « -», «\u{a0}-» (C2 A0).
                found.spaced_dash |= before.ends_with(b" ") || before.ends_with(&[0xC2, 0xA0]);
                continue;
            }
            let after = &b[i + 1..];
            if after.starts_with(&[0x84, 0x96]) {
                found.numero = true;
            } else if after.starts_with(&[0x80, 0x94]) || after.starts_with(&[0x80, 0x93]) {
                // « —», « –».
                found.spaced_dash |= before.ends_with(b" ");
            }
        }
        found
    }
}

/// A capital Russian letter, as the rules' `[А-ЯЁ]`.
fn is_russian_capital(c: char) -> bool {
    matches!(c, 'А'..='Я' | 'Ё')
}

/// The character before byte `at`, if any.
fn char_before(s: &str, at: usize) -> Option<char> {
    s.get(..at).and_then(|b| b.chars().next_back())
}

/// Byte offsets of every `.` in `s`.
fn dots(s: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'.', s.as_bytes())
}

/// Where `number_range` can match: a digit, a hyphen, a digit.
fn digit_hyphen_digit(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'-', b)
        .any(|i| i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit))
}

/// The characters before an initial or an abbreviation in the rules
/// `initials_before` and `city`.
fn opens_word(c: Option<char>) -> bool {
    c.is_none_or(|c| {
        matches!(
            c,
            ' ' | '\t'
                | '\n'
                | '\u{a0}'
                | '('
                | '«'
                | '„'
                | '"'
                | '\''
                | '—'
                | '–'
                | '-'
                | '/'
                | ','
                | ';'
                | ':'
        )
    })
}

/// Where `initials_before` can match: a capital and a dot, at the start
/// or after a space, a bracket, a quote, a dash or a punctuation mark.
fn initial_after_delimiter(s: &str) -> bool {
    dots(s).any(|i| match char_before(s, i) {
        Some(c) if is_russian_capital(c) => opens_word(char_before(s, i - c.len_utf8())),
        _ => false,
    })
}

/// Where `initials_after` can match: a small letter, a space, a capital
/// and a dot («Климова О.»).
fn initial_after_word(s: &str) -> bool {
    dots(s).any(|i| {
        let Some(capital) = char_before(s, i).filter(|&c| is_russian_capital(c)) else {
            return false;
        };
        let at = i - capital.len_utf8();
        let Some(space) = char_before(s, at).filter(|&c| c == ' ' || c == '\u{a0}') else {
            return false;
        };
        char_before(s, at - space.len_utf8()).is_some_and(|c| matches!(c, 'а'..='я' | 'ё'))
    })
}

/// The abbreviations of the rule `city`.
const PLACE_ABBREVIATIONS: [&str; 8] = ["г", "п", "с", "д", "ул", "пос", "пгт", "ст"];

/// Where `city` can match: an abbreviation that starts a word, its dot,
/// perhaps a space, and a capital («г. Славск», «ул.Ленина»).
fn abbreviation_before_capital(s: &str) -> bool {
    dots(s).any(|i| {
        let after = &s[i + 1..];
        let after = after.strip_prefix([' ', '\u{a0}']).unwrap_or(after);
        if !after.starts_with(is_russian_capital) {
            return false;
        }
        let before = &s[..i];
        PLACE_ABBREVIATIONS
            .iter()
            .any(|abbr| before.ends_with(abbr) && opens_word(char_before(s, i - abbr.len())))
    })
}

/// Replaces every match of a rule, left to right and not overlapping, as
/// a regex's `replace_all` does: `at(s, i)` says whether a match starts at
/// byte `i`, and if so where it ends and what replaces it. `None` when
/// nothing matched.
fn replace_each(s: &str, at: impl Fn(&str, usize) -> Option<(usize, String)>) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    let mut matched = false;
    let mut i = 0;
    while i < s.len() {
        if let Some((end, replacement)) = at(s, i) {
            matched = true;
            out.push_str(&s[copied..i]);
            out.push_str(&replacement);
            copied = end;
            i = end;
            continue;
        }
        i += s[i..].chars().next().map_or(1, char::len_utf8);
    }
    if !matched {
        return None;
    }
    out.push_str(&s[copied..]);
    Some(out)
}

/// A small Russian letter, as the rules' `[а-яё]`.
fn is_russian_small(c: char) -> bool {
    matches!(c, 'а'..='я' | 'ё')
}

/// The character at byte `i` of `s`.
fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|r| r.chars().next())
}

/// The length of a space or a no-break space at byte `i` (`[ \u{a0}]`).
fn space_at(s: &str, i: usize) -> Option<usize> {
    char_at(s, i)
        .filter(|&c| c == ' ' || c == '\u{a0}')
        .map(char::len_utf8)
}

/// A capital and a dot at byte `i` (`([А-ЯЁ])\.`): the capital and where
/// the dot ends.
fn initial_at(s: &str, i: usize) -> Option<(char, usize)> {
    let c = char_at(s, i).filter(|&c| is_russian_capital(c))?;
    let dot = i + c.len_utf8();
    (char_at(s, dot) == Some('.')).then_some((c, dot + 1))
}

/// Where a surname at byte `i` ends: `[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?`,
/// as long as it goes (nothing follows it in the rules that could make a
/// shorter one match instead).
fn surname_end(s: &str, i: usize) -> Option<usize> {
    let part = |from: usize| -> Option<usize> {
        let first = char_at(s, from).filter(|&c| is_russian_capital(c))?;
        let mut end = from + first.len_utf8();
        let start = end;
        while let Some(c) = char_at(s, end).filter(|&c| is_russian_small(c)) {
            end += c.len_utf8();
        }
        (end > start).then_some(end)
    };
    let first = part(i)?;
    if char_at(s, first) == Some('-')
        && let Some(end) = part(first + 1)
    {
        return Some(end);
    }
    Some(first)
}

/// The starts of the rules `initials_before` and `city`, `(^|[…])`, in the
/// order a regex tries them: the start of the text, then a character that
/// opens a word. Each: the text of the group and where it ends.
fn word_openings(s: &str, i: usize) -> impl Iterator<Item = (&str, usize)> {
    let start = (i == 0).then_some(("", 0));
    let opener = char_at(s, i)
        .filter(|&c| opens_word(Some(c)))
        .map(|c| (&s[i..i + c.len_utf8()], i + c.len_utf8()));
    start.into_iter().chain(opener)
}

/// `initials_before` at byte `i`: «О. Н. Климова» → «О.Н.\u{a0}Климова».
/// The optional parts are tried taken first, then left out, as a regex
/// backtracks.
fn initials_before_at(s: &str, i: usize) -> Option<(usize, String)> {
    for (opening, from) in word_openings(s, i) {
        let Some((first, after_first)) = initial_at(s, from) else {
            continue;
        };
        let spaces = |at: usize| space_at(s, at).map(|n| at + n).into_iter().chain([at]);
        for after_space in spaces(after_first) {
            let second = initial_at(s, after_space);
            let seconds = second
                .map(|(c, end)| (Some(c), end))
                .into_iter()
                .chain([(None, after_space)]);
            for (second, after_second) in seconds {
                for before_surname in spaces(after_second) {
                    if let Some(end) = surname_end(s, before_surname) {
                        let mut out = format!("{opening}{first}.");
                        if let Some(c) = second {
                            out.push(c);
                            out.push('.');
                        }
                        out.push_str(NBSP);
                        out.push_str(&s[before_surname..end]);
                        return Some((end, out));
                    }
                }
            }
        }
    }
    None
}

/// `spaced_dash` at byte `i`: « - », « -- », « – », « — » (a run of spaces
/// or no-break spaces on each side) → «\u{a0}— ». The run before is taken
/// whole, as the regex's greedy `[ \u{a0}]+`; `--?` tries two hyphens,
/// then one.
fn spaced_dash_at(s: &str, i: usize) -> Option<(usize, String)> {
    let spaces_end = |mut at: usize| {
        while let Some(n) = space_at(s, at) {
            at += n;
        }
        at
    };
    let dash = spaces_end(i);
    if dash == i {
        return None;
    }
    let rest = &s[dash..];
    let lengths: &[usize] = if rest.starts_with("--") {
        &[2, 1]
    } else if rest.starts_with('-') {
        &[1]
    } else if rest.starts_with(['—', '–']) {
        &[3]
    } else {
        &[]
    };
    lengths.iter().find_map(|&len| {
        let end = spaces_end(dash + len);
        (end > dash + len).then(|| (end, "\u{a0}— ".to_owned()))
    })
}

/// `initials_after` at byte `i`: «Климова О. Н.» → «Климова\u{a0}О.Н.».
/// After the first initial the rule takes a second initial if there is
/// one, with the space before it: the space after a lone initial
/// («Климова О. сказала») is the next word's and stays as it is.
fn initials_after_at(s: &str, i: usize) -> Option<(usize, String)> {
    let surname = surname_end(s, i)?;
    let space = space_at(s, surname)?;
    let (first, mut end) = initial_at(s, surname + space)?;
    let mut out = format!("{}{NBSP}{first}.", &s[i..surname]);
    let second_at = end + space_at(s, end).unwrap_or(0);
    if let Some((second, after)) = initial_at(s, second_at) {
        out.push(second);
        out.push('.');
        end = after;
    }
    Some((end, out))
}

/// `city` at byte `i`: «г. Славск», «ул.Ленина» → «г.\u{a0}Славск».
fn city_at(s: &str, i: usize) -> Option<(usize, String)> {
    for (opening, from) in word_openings(s, i) {
        for abbr in PLACE_ABBREVIATIONS {
            if !s[from..].starts_with(abbr) || char_at(s, from + abbr.len()) != Some('.') {
                continue;
            }
            let dot_end = from + abbr.len() + 1;
            let capital_at = |at: usize| char_at(s, at).filter(|&c| is_russian_capital(c));
            let taken = space_at(s, dot_end)
                .and_then(|n| capital_at(dot_end + n).map(|c| (c, dot_end + n)))
                .or_else(|| capital_at(dot_end).map(|c| (c, dot_end)));
            if let Some((capital, at)) = taken {
                return Some((
                    at + capital.len_utf8(),
                    format!("{opening}{abbr}.{NBSP}{capital}"),
                ));
            }
        }
    }
    None
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

/// Is the space at byte `space` one between a number and its unit
/// («2021 г.», «5 чел.»)?
fn unit_after(text: &str, space: usize) -> bool {
    if space == 0 || !text.as_bytes()[space - 1].is_ascii_digit() {
        return false;
    }
    let next = &text[space + 1..];
    UNITS.iter().any(|u| {
        next.starts_with(u)
            && !next[u.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic())
    })
}

/// Short prepositions and conjunctions that a line must not end with.
const SHORT_WORDS: [&str; 19] = [
    "в", "во", "на", "с", "со", "к", "ко", "о", "об", "и", "а", "не", "но", "по", "до", "от", "за",
    "из", "у",
];

/// A no-break space between a number and its unit («2021\u{a0}г.») and
/// after each short word («и в школе» → «и\u{a0}в\u{a0}школе»), in one
/// pass over the spaces. Only those spaces change: the text between them
/// is copied a piece at a time, and a text with nothing to bind is left
/// as it is (`None`).
///
/// The same as binding the units first and then the short words (the
/// tests check it against both passes as they were): binding a unit
/// changes a space after a digit, and the word a short word is read from
/// ends at a no-break space anyway. The spaces are found a byte at a
/// time, not with memchr: a text has one every seven bytes or so, and a
/// search started at each cost more than the bytes it skipped (two such
/// passes were a twentieth of a `check`).
fn bind_spaces(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    let mut word_start = 0;
    for space in memchr::arch::all::memchr::One::new(b' ').iter(text.as_bytes()) {
        let word = &text[word_start..space];
        word_start = space + 1;
        if unit_after(text, space) || (!word.is_empty() && ends_with_short_word(word)) {
            if copied == 0 {
                out.reserve(text.len() + 16);
            }
            out.push_str(&text[copied..space]);
            out.push('\u{a0}');
            copied = space + 1;
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// Does `word` (a piece between spaces) end with a short word: the part
/// after its last no-break space, opening bracket or quote, slash, or
/// line break or tab (the markup collapses a line break to a space, so
/// «строка\nВ школе» would leave «В» free at a line's end)? Read from the
/// end, three characters at most: a long table has hundreds of thousands
/// of words, and only a short tail matters.
fn ends_with_short_word(word: &str) -> bool {
    let mut start = word.len();
    let mut letters = 0;
    for (i, c) in word.char_indices().rev() {
        if matches!(c, '\u{a0}' | '(' | '«' | '„' | '/' | '\n' | '\t') {
            break;
        }
        letters += 1;
        if letters > 2 {
            return false;
        }
        start = i;
    }
    let last = &word[start..];
    !last.is_empty() && is_short_word(last)
}

/// Is `word` (two characters at most) one of [`SHORT_WORDS`], in any
/// case? Lowered by hand: the short words are Russian letters only, so a
/// word with any other character is not one of them.
fn is_short_word(word: &str) -> bool {
    let mut lower = [0u8; 8];
    let mut len = 0;
    for c in word.chars() {
        let small = match c {
            'а'..='я' | 'ё' => c,
            'А'..='Я' => char::from_u32(c as u32 + 32).unwrap_or(c),
            'Ё' => 'ё',
            _ => return false,
        };
        if len + small.len_utf8() > lower.len() {
            return false;
        }
        len += small.encode_utf8(&mut lower[len..]).len();
    }
    std::str::from_utf8(&lower[..len]).is_ok_and(|w| SHORT_WORDS.contains(&w))
}

/// Straight double quotes to «ёлочки» outside and „лапки“ inside. A quote
/// opens at the start, after a space, a bracket, a dash or another
/// opening quote; otherwise it closes the innermost open quote.
pub fn quotes(text: &str) -> String {
    quoted(text).into_owned()
}

/// [`quotes`], borrowing the text when it has no quote to change.
fn quoted(text: &str) -> Cow<'_, str> {
    // '"', or «'s first byte C2 followed by AB (C2 is also the lead byte
    // of the no-break space): one search for both.
    let bytes = text.as_bytes();
    let has_quote = memchr::memchr2_iter(b'"', 0xC2, bytes)
        .any(|i| bytes[i] == b'"' || bytes.get(i + 1) == Some(&0xAB));
    if !has_quote {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    // Open quotes: true for «, false for „.
    let mut open: Vec<bool> = Vec::new();
    // Only the quote characters change: the text between them is copied
    // a piece at a time. They are found by their first byte, '"' or 0xC2
    // (the lead byte of « and », also of the no-break space).
    let bytes = text.as_bytes();
    let mut copied = 0;
    for i in memchr::memchr2_iter(b'"', 0xC2, bytes) {
        let c = match (bytes[i], bytes.get(i + 1)) {
            (b'"', _) => '"',
            (_, Some(0xAB)) => '«',
            (_, Some(0xBB)) => '»',
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        copied = i + c.len_utf8();
        match c {
            '"' => {
                let opens = match char_before(text, i) {
                    None => true,
                    Some(p) => {
                        p.is_whitespace()
                            || matches!(p, '(' | '[' | '{' | '«' | '„' | '—' | '–' | '-' | '/')
                    }
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
            _ => match open.pop() {
                Some(false) => out.push('“'),
                _ => out.push('»'),
            },
        }
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
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
    // Russian and ASCII characters are told from their bytes (a
    // character at a time through `char_indices` was 4 % of a 1000-page
    // roadmap's instructions).
    let mut word: Option<(usize, usize, usize)> = None; // start, letters, capitals
    let mut i = 0;
    while i < text.len() {
        let c = WordChar::at(text, i);
        let inner_hyphen = text.as_bytes()[i] == b'-'
            && word.is_some()
            && i + 1 < text.len()
            && WordChar::at(text, i + 1).flags & IN_WORD != 0;
        if c.flags & IN_WORD != 0 || inner_hyphen {
            let (_, letters, capitals) = word.get_or_insert((i, 0, 0));
            *letters += usize::from(c.flags & COUNTS_AS_LETTER != 0);
            *capitals += usize::from(c.flags & CAPITAL != 0);
            i += usize::from(c.len);
            // The small Russian letters that follow, most of the text,
            // counted without a look at anything else.
            let lower = lowercase_russian_run(&text.as_bytes()[i..]);
            *letters += lower / 2;
            i += lower;
            continue;
        } else if let Some(w) = word.take() {
            protect_word(text, w, i, initials, &mut spans);
        }
        i += usize::from(c.len);
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

/// What the character at a byte offset is to the word scan of
/// [`unhyphenated_spans`]: its length in bytes and these flags.
#[derive(Clone, Copy)]
struct WordChar {
    len: u8,
    flags: u8,
}

/// A letter or a digit ([`is_letter_or_digit`]).
const IN_WORD: u8 = 1;
/// Counted among a word's letters: in a word and not an ASCII digit.
const COUNTS_AS_LETTER: u8 = 2;
/// A capital ([`is_capital`]).
const CAPITAL: u8 = 4;

impl WordChar {
    /// The character starting at byte `i` of `text` (a character
    /// boundary): ASCII and the Russian alphabet from their bytes (А–Я and
    /// Ё are 0xD0 0x90–0xAF and 0xD0 0x81, а–п 0xD0 0xB0–0xBF, р–я 0xD1
    /// 0x80–0x8F, ё 0xD1 0x91), anything else through the character.
    #[inline(always)]
    fn at(text: &str, i: usize) -> WordChar {
        let bytes = text.as_bytes();
        let (len, flags) = match (bytes[i], bytes.get(i + 1).copied().unwrap_or(0)) {
            (b'0'..=b'9', _) => (1, IN_WORD),
            (b'a'..=b'z', _) => (1, IN_WORD | COUNTS_AS_LETTER),
            (b'A'..=b'Z', _) => (1, IN_WORD | COUNTS_AS_LETTER | CAPITAL),
            (0..=0x7F, _) => (1, 0),
            (0xD0, 0x90..=0xAF | 0x81) => (2, IN_WORD | COUNTS_AS_LETTER | CAPITAL),
            (0xD0, 0xB0..=0xBF) | (0xD1, 0x80..=0x8F | 0x91) => (2, IN_WORD | COUNTS_AS_LETTER),
            _ => Self::other(text, i),
        };
        WordChar { len, flags }
    }

    /// Any other character, through Unicode's tables.
    #[cold]
    fn other(text: &str, i: usize) -> (u8, u8) {
        let c = text[i..].chars().next().unwrap_or_default();
        let flags = if is_letter_or_digit(c) {
            IN_WORD | COUNTS_AS_LETTER
        } else {
            0
        } | if is_capital(c) { CAPITAL } else { 0 };
        (c.len_utf8() as u8, flags)
    }
}

/// The length in bytes of the run of small Russian letters (а–я, ё: 0xD0
/// 0xB0–0xBF, 0xD1 0x80–0x8F and 0xD1 0x91) `bytes` begins with.
fn lowercase_russian_run(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let [lead, next, ..] = bytes[i..] {
        if !matches!(
            (lead, next),
            (0xD0, 0xB0..=0xBF) | (0xD1, 0x80..=0x8F | 0x91)
        ) {
            break;
        }
        i += 2;
    }
    i
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
        || (!c.is_ascii() && !is_common_mark(c) && c.is_alphanumeric())
}

/// The non-ASCII characters of running text that are neither letters
/// nor digits (spaces, quotes, dashes, №): told without Unicode's
/// tables, which are slow and which they fill every paragraph with.
fn is_common_mark(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '«' | '»' | '„' | '“' | '—' | '–' | '№' | '…' | '\u{202f}'
    )
}

/// A letter (`char::is_alphabetic`); Russian and ASCII are looked up
/// without Unicode's tables.
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, 'А'..='я' | 'Ё' | 'ё')
        || (!c.is_ascii() && !is_common_mark(c) && c.is_alphabetic())
}

/// A capital letter; Russian and ASCII are looked up directly.
fn is_capital(c: char) -> bool {
    c.is_ascii_uppercase()
        || matches!(c, 'А'..='Я' | 'Ё')
        || (!c.is_ascii()
            && !matches!(c, 'а'..='я' | 'ё')
            && !is_common_mark(c)
            && c.is_uppercase())
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
                        && inside
                            .chars()
                            .filter(|&c| is_letter(c))
                            .take(PROTECT_MIN_LETTERS)
                            .count()
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

#[cfg(test)]
mod hand_written_rules_tests {
    use super::*;
    use regex_lite::Captures;

    /// The regex's `replace_all` with the rule's replacement.
    fn by_regex(pattern: &str, replacement: &str, s: &str) -> String {
        let re = Regex::new(pattern).unwrap();
        re.replace_all(s, |c: &Captures| {
            let second = c
                .get(3)
                .map_or(String::new(), |m| format!("{}.", m.as_str()));
            replacement
                .replace("{1}", c.get(1).map_or("", |m| m.as_str()))
                .replace("{2}", c.get(2).map_or("", |m| m.as_str()))
                .replace("{second}", &second)
                .replace("{3}", c.get(3).map_or("", |m| m.as_str()))
                .replace("{4}", c.get(4).map_or("", |m| m.as_str()))
        })
        .into_owned()
    }

    /// Many texts made of the characters the rules look at, each run
    /// through the regex and the hand-written rule: the same every time.
    #[test]
    fn hand_written_rules_do_what_the_regexes_did() {
        let alphabet: Vec<char> = "АОНКЁгпсдулостаяё. \u{a0}.-«\"(,Б\tx1—– ".chars().collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        type Rule = fn(&str, usize) -> Option<(usize, String)>;
        let rules: [(&str, &str, Rule); 4] = [
            (as_regexes::SPACED_DASH, "\u{a0}— ", spaced_dash_at),
            (
                as_regexes::INITIALS_BEFORE,
                "{1}{2}.{second}\u{a0}{4}",
                initials_before_at,
            ),
            (
                as_regexes::INITIALS_AFTER,
                "{1}\u{a0}{2}.{second}",
                initials_after_at,
            ),
            (as_regexes::CITY, "{1}{2}.\u{a0}{3}", city_at),
        ];
        let mut texts: Vec<String> = vec![
            "О.Н. Климова".into(),
            "О. Н.Климова и А.Петров-Водкин".into(),
            "Климова О. Н., Иванов-Петров А.".into(),
            "Климова О. сказала".into(),
            "г. Славск, ул.Ленина, пос. Южный, 2021 г. Решили".into(),
            "«А.Б.В» и А.Б.Вова".into(),
            "слово - слово -- слово — слово\u{a0}–\u{a0}слово --x - -".into(),
        ];
        for _ in 0..20_000 {
            let len = (next() % 14) as usize;
            texts.push(
                (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect(),
            );
        }
        for text in &texts {
            for (pattern, replacement, at) in &rules {
                let want = by_regex(pattern, replacement, text);
                let got = replace_each(text, at).unwrap_or_else(|| text.clone());
                assert_eq!(got, want, "{pattern} on {text:?}");
            }
        }
    }
}

#[cfg(test)]
mod initials_tests {
    use super::apply;

    /// The space after a lone initial belongs to the next word: it stays
    /// (a normal space stays normal), only the surname is bound.
    #[test]
    fn the_space_after_a_lone_initial_stays() {
        assert_eq!(apply("Климова О. сказала"), "Климова\u{a0}О. сказала");
        assert_eq!(
            apply("Климова О.\u{a0}сказала"),
            "Климова\u{a0}О.\u{a0}сказала"
        );
        assert_eq!(apply("Климова О. Н. сказала"), "Климова\u{a0}О.Н. сказала");
        assert_eq!(apply("Климова О. Н."), "Климова\u{a0}О.Н.");
        assert_eq!(apply("Климова О."), "Климова\u{a0}О.");
    }

    /// The other rules keep the spaces that are not theirs.
    #[test]
    fn the_other_rules_keep_the_next_words_space() {
        assert_eq!(apply("О. Н. Климова сказала"), "О.Н.\u{a0}Климова сказала");
        assert_eq!(apply("О. Климова сказала"), "О.\u{a0}Климова сказала");
        assert_eq!(apply("г. Славск большой"), "г.\u{a0}Славск большой");
        assert_eq!(apply("ул.Ленина дом"), "ул.\u{a0}Ленина дом");
        assert_eq!(apply("№ 227 от"), "№\u{a0}227 от");
        assert_eq!(apply("в 2021 г. было"), "в\u{a0}2021\u{a0}г. было");
        assert_eq!(apply("2020-2021 годы"), "2020–2021 годы");
        assert_eq!(apply("итоги - хорошие"), "итоги\u{a0}— хорошие");
    }
}

#[cfg(test)]
mod quotes_tests {
    use super::quotes;

    /// The first `quotes`, a character at a time: the reference.
    fn quotes_char_by_char(text: &str) -> String {
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

    /// The piecewise `quotes` gives what the first one gave.
    #[test]
    fn quotes_by_pieces_as_char_by_char() {
        let alphabet: Vec<char> = "\"«»„“ \u{a0}(-—аБx.".chars().collect();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut n = seed;
            let text: String = (0..(n % 12))
                .map(|_| {
                    n /= 7;
                    n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    alphabet[((n >> 33) % alphabet.len() as u64) as usize]
                })
                .collect();
            assert_eq!(quotes(&text), quotes_char_by_char(&text), "{text:?}");
        }
    }
}

#[cfg(test)]
mod spans_tests {
    use super::*;

    /// The first `unhyphenated_spans`, through `char_indices`: the
    /// reference.
    fn spans_char_by_char(text: &str) -> Vec<std::ops::Range<usize>> {
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
            let inner_hyphen = c == '-'
                && word.is_some()
                && chars.peek().is_some_and(|&(_, n)| is_letter_or_digit(n));
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

    /// `unhyphenated_spans` finds what the first did (the common marks
    /// now skip Unicode's tables).
    #[test]
    fn spans_as_char_by_char() {
        let alphabet: Vec<char> = "АБОКаоя ёЁ\u{a0}.-«»ÄäΩω١Ab1 №—ЯпрZz9Ѐі".chars().collect();
        let mut n: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..30_000 {
            n = n
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (n >> 59) as usize + 4;
            let text: String = (0..len)
                .map(|_| {
                    n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    alphabet[((n >> 33) % alphabet.len() as u64) as usize]
                })
                .collect();
            assert_eq!(
                unhyphenated_spans(&text),
                spans_char_by_char(&text),
                "{text:?}"
            );
        }
    }
}

/// The number-and-unit pass this pass had before, kept to check the one
/// pass over the spaces against.
#[cfg(test)]
fn bind_units_alone(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut copied = 0;
    for i in memchr::memchr_iter(b' ', text.as_bytes()) {
        if unit_after(text, i) {
            out.push_str(&text[copied..i]);
            out.push('\u{a0}');
            copied = i + 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The word-by-word short word pass this pass had before, kept to check
/// the one pass over the spaces against.
#[cfg(test)]
fn bind_short_words_by_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        out.push_str(word);
        if words.peek().is_none() {
            break;
        }
        let mut start = word.len();
        let mut letters = 0;
        for (i, c) in word.char_indices().rev() {
            if matches!(c, '\u{a0}' | '(' | '«' | '„' | '/' | '\n' | '\t') {
                break;
            }
            letters += 1;
            if letters > 2 {
                break;
            }
            start = i;
        }
        let last = &word[start..];
        let short = letters <= 2 && !last.is_empty() && is_short_word(last);
        out.push(if short && !word.is_empty() {
            '\u{a0}'
        } else {
            ' '
        });
    }
    out
}

#[cfg(test)]
mod piecewise {
    use super::*;

    #[test]
    fn spaces_bound_as_units_then_word_by_word() {
        let mut texts: Vec<String> = [
            "",
            " ",
            "  ",
            "и в школе",
            "И В ШКОЛЕ",
            " в начале и в конце в",
            "два  пробела и  ещё",
            "(в скобках) «и кавычках» „а тут“ /с чертой",
            "строка\nВ школе\tи на\u{a0}к доске",
            "слово без коротких",
            "во-первых, по плану до 2021 от нас за ними из дома у окна",
            "ab cd в",
            "ёё ЁЁ ё Ё",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for w in SHORT_WORDS {
            texts.push(format!("{w} слово"));
            texts.push(format!("x{w} слово"));
            texts.push(format!("«{w} слово"));
            texts.push(format!("{} слово {w}", w.to_uppercase()));
        }
        for u in UNITS {
            texts.push(format!("в 2021 {u} и 5 {u}"));
            texts.push(format!("2021 {u}о в 3 {u}"));
            texts.push(format!("с 1 {u} по 2 {u}. к 7  {u} и"));
        }
        for t in &texts {
            assert_eq!(
                bind_spaces(t).unwrap_or_else(|| t.clone()),
                bind_short_words_by_words(&bind_units_alone(t)),
                "{t:?}"
            );
        }
    }
}
