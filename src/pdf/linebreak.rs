//! Line breaking: first fit, as Word and LibreOffice do, with Russian
//! hyphenation only for a word that does not fit.
//!
//! A paragraph is flattened into characters with their widths; a line is a
//! range of those characters. Breaking greedily (rather than Knuth–Plass)
//! is deliberate: the PDF must break where LibreOffice breaks our DOCX.

use std::collections::HashMap;
use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

use super::fonts::{FontSet, NOTDEF_ADVANCE_EM};
// Without the cap the rest of an 80,000-letter word went through the
// dictionary again at every line it spans: cubic time, minutes per word.
use crate::document::HYPHENATE_MAX_LETTERS;

/// Points to millimetres.
pub(crate) const PT: f32 = 25.4 / 72.0;

/// Extra advance after each character of a letter-spaced run, points.
pub(crate) use crate::document::LETTER_SPACING_PT as SPACED_PT;

/// Style bits of a character besides the face index (bits 0–1).
pub(crate) const SPACED: u8 = 4;
/// Underlined.
pub(crate) const UNDERLINE: u8 = 8;
/// Never hyphenated (the markup's `<nh>`): a break only at a space.
pub(crate) const NO_HYPHEN: u8 = 16;

/// Minimum characters before a hyphen (LibreOffice's default for DOCX).
const HYPHEN_MIN: usize = 2;
/// Minimum characters after a hyphen.
const HYPHEN_MIN_AFTER: usize = 2;

/// Minimum letters between a hyphenation point and the hyphen of a
/// compound word («сани-тарно-», «эпидемио-логическими», never «учеб-но-»
/// or «ме-тодический»): libhyphen hyphenates each part of a word with a
/// hyphen on its own, and, since the Russian dictionary sets no
/// `COMPOUNDLEFTHYPHENMIN`/`COMPOUNDRIGHTHYPHENMIN` (nor
/// `LEFTHYPHENMIN`/`RIGHTHYPHENMIN`), keeps its default of 3 letters on
/// either side of the hyphen (hyphen.c, `hnj_hyphen_load_file`);
/// LibreOffice passes max(3, 2 + leading − 2) = 3 (hyphenimp.cxx).
const COMPOUND_MIN: usize = 3;

/// A hyphenated line must leave this much room: LibreOffice measures in
/// twips and rounds each advance, so a hyphen that fits by a hair here
/// (seed 004: «работающих в\u{a0}слож-», 0.05 mm to spare) does not
/// fit there.
const HYPHEN_SLACK_MM: f32 = 0.1;

/// How far past the overflowing character the end of a word is looked for.
/// A word that runs further is longer than [`HYPHENATE_MAX_LETTERS`] (or
/// trails that much punctuation) and is cut, so its end is never needed;
/// scanning to it at every line made breaking quadratic in its length.
const WORD_END_SCAN: usize = 4 * HYPHENATE_MAX_LETTERS;

/// The hyphenation zone (compared with LibreOffice on the seeds).
use crate::document::HYPHENATION_ZONE_MM as HYPHEN_ZONE_MM;

/// One character of a paragraph, with its style and advance.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ch {
    /// The character; `'\n'` is a forced line break.
    pub(crate) c: char,
    /// Face index (bits 0–1) plus [`SPACED`] and [`UNDERLINE`].
    pub(crate) style: u8,
    /// Advance, mm, letter spacing included.
    pub(crate) w: f32,
}

/// A broken line: characters `start..end` of the paragraph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Line {
    /// First character.
    pub(crate) start: usize,
    /// One past the last character, trailing spaces excluded.
    pub(crate) end: usize,
    /// The line ends in a hyphen that is not in the text.
    pub(crate) hyphen: bool,
    /// The line ends the paragraph or at a forced break: never justified.
    pub(crate) last: bool,
    /// Natural width, mm, hyphen included.
    pub(crate) width: f32,
    /// The word (character range) the line would have ended hyphenated in
    /// but for the limit of hyphenated lines in a row: the DOCX must keep
    /// it whole too, since LibreOffice knows no such limit.
    pub(crate) refused: Option<(usize, usize)>,
}

/// How to break a paragraph.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Measure {
    /// Width of the first line, mm.
    pub(crate) first: f32,
    /// Width of the other lines, mm.
    pub(crate) rest: f32,
    /// Hyphenate words that do not fit.
    pub(crate) hyphenate: bool,
    /// When not hyphenating, still hyphenate a word wider than a whole
    /// line (`rest`) rather than cut it (a header word in a narrow column):
    /// the DOCX gives such a word soft hyphens at the same points.
    pub(crate) hyphenate_wide: bool,
}

/// The Russian dictionary, loaded once from the embedded bytes.
fn dictionary() -> Option<&'static Standard> {
    static DICT: OnceLock<Option<Standard>> = OnceLock::new();
    DICT.get_or_init(|| {
        let bytes: &[u8] = include_bytes!("../../assets/hyphenation/ru_RU.libreoffice.bincode");
        Standard::from_reader(Language::Russian, &mut &bytes[..]).ok()
    })
    .as_ref()
}

/// Hyphenation points of the words met so far on this thread, as
/// character offsets: a long table repeats the same words thousands of
/// times, a batch's documents share most of their words, and the
/// dictionary lookup is the costliest step of breaking a line (a batch of
/// protocols: 4 % of all instructions, with points kept a document at a
/// time). The points are the dictionary's for the word alone, so keeping
/// them longer changes no output.
pub(crate) struct Hyphens {
    known: HashMap<String, Box<[u16]>>,
    /// The word being looked up, reused to spare an allocation per lookup.
    word: String,
}

/// Words whose points a thread keeps between documents; past it the
/// map starts again (a few megabytes at most, for `watch` and `serve`,
/// which live long).
const KNOWN_WORDS_KEPT: usize = 1 << 16;

thread_local! {
    /// The points of the documents this thread laid out before, lent to
    /// the next [`Hyphens`] and given back when it is dropped.
    static THREAD_KNOWN: std::cell::RefCell<HashMap<String, Box<[u16]>>> =
        std::cell::RefCell::new(HashMap::new());
}

impl Default for Hyphens {
    fn default() -> Self {
        // A second `Hyphens` alive at once on the thread starts empty.
        let known = THREAD_KNOWN
            .try_with(|k| std::mem::take(&mut *k.borrow_mut()))
            .unwrap_or_default();
        Hyphens {
            known,
            word: String::new(),
        }
    }
}

impl Drop for Hyphens {
    fn drop(&mut self) {
        if self.known.len() > KNOWN_WORDS_KEPT {
            return;
        }
        let _ = THREAD_KNOWN.try_with(|k| {
            let mut kept = k.borrow_mut();
            if kept.len() < self.known.len() {
                *kept = std::mem::take(&mut self.known);
            }
        });
    }
}

impl Hyphens {
    /// Character offsets inside `letters` (lowercased) where a hyphen may go.
    fn points(&mut self, letters: &[Ch]) -> Option<&[u16]> {
        self.word.clear();
        let mut count = 0;
        for c in letters {
            // Russian and Latin letters without Unicode's case tables.
            let lower = match c.c {
                'A'..='Z' | 'А'..='Я' => char::from_u32(c.c as u32 + 0x20),
                'Ё' => Some('ё'),
                'a'..='z' | 'а'..='я' | 'ё' => Some(c.c),
                _ => None,
            };
            match lower {
                Some(l) => {
                    self.word.push(l);
                    count += 1;
                }
                None => {
                    for l in c.c.to_lowercase() {
                        self.word.push(l);
                        count += 1;
                    }
                }
            }
        }
        if count != letters.len() {
            return None;
        }
        if !self.known.contains_key(self.word.as_str()) {
            let dict = dictionary()?;
            let word = self.word.as_str();
            // Byte offsets to character offsets in one pass: the breaks come
            // in ascending order.
            let (mut chars, mut byte) = (0, 0);
            let offsets = dict
                .hyphenate(word)
                .breaks
                .into_iter()
                .map(|b| {
                    chars += word[byte..b].chars().count();
                    byte = b;
                    chars as u16
                })
                .collect();
            self.known.insert(self.word.clone(), offsets);
        }
        self.known.get(self.word.as_str()).map(|b| &b[..])
    }
}

/// `c.is_alphabetic()`, answered without Unicode's tables for the Latin
/// and Russian letters that make up nearly every word: the breaker asks
/// it of each letter of each word that overflows a line.
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | 'А'..='я' | 'Ё' | 'ё' => true,
        _ if c.is_ascii() => false,
        _ => c.is_alphabetic(),
    }
}

/// Is `c` a space a line may break at? No-break spaces are not.
fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// May a line break after `chars[i]` though no space follows? After a
/// hyphen or dash inside a word, as LibreOffice does; never after the en
/// dash of a number range («2020–2021», «1–4») nor after a hyphen next to
/// a digit («273-ФЗ», «ГИА-9», «3-12-45»): the DOCX follows both with a
/// word joiner ([`crate::document::bound_dash`]).
fn break_after(chars: &[Ch], i: usize) -> bool {
    matches!(chars[i].c, '-' | '–' | '—')
        && i > 0
        && !crate::document::bound_dash(chars[i - 1].c, chars[i].c, chars.get(i + 1).map(|n| n.c))
        && !is_space(chars[i - 1].c)
        && chars[i - 1].c != '\u{a0}'
        && chars
            .get(i + 1)
            .is_some_and(|n| !is_space(n.c) && n.c != '\n' && n.c.is_alphanumeric())
}

/// Have the last lines reached the limit of hyphenated lines in a row
/// ([`crate::document::HYPHENATED_LINES_IN_A_ROW`])? Then the next line
/// ends at a space.
fn ladder_full(lines: &[Line]) -> bool {
    let limit = crate::document::HYPHENATED_LINES_IN_A_ROW;
    lines.len() >= limit && lines[lines.len() - limit..].iter().all(|l| l.hyphen)
}

/// Breaks `chars` into lines. `hyphen_w` is the width of a hyphen in the
/// paragraph's regular face.
pub(crate) fn break_lines(
    chars: &[Ch],
    m: Measure,
    hyphen_w: f32,
    hyphens: &mut Hyphens,
) -> Vec<Line> {
    let mut cum = Vec::with_capacity(chars.len() + 1);
    let mut acc = 0.0f32;
    cum.push(0.0);
    for ch in chars {
        acc += ch.w;
        cum.push(acc);
    }
    let width = |a: usize, b: usize| cum[b] - cum[a];
    let mut lines = Vec::new();
    let mut start = 0;
    let n = chars.len();
    loop {
        let avail = if lines.is_empty() { m.first } else { m.rest };
        // Where the line may end: (end of text kept, start of the next line).
        let mut last_break: Option<(usize, usize)> = None;
        let mut i = start;
        let mut done = None;
        let mut refused = None;
        while i < n {
            let c = chars[i].c;
            if c == '\n' {
                done = Some((i, i + 1, true, false));
                break;
            }
            if is_space(c) {
                let mut j = i;
                while j < n && is_space(chars[j].c) {
                    j += 1;
                }
                last_break = Some((i, j));
                i = j;
                continue;
            }
            if width(start, i + 1) > avail + 0.001 {
                // The word containing `i` does not fit.
                let word_start = last_break.map_or(start, |b| b.1);
                let mut word_end = i;
                // Only a hyphen point before `i` can fit, so the word's end
                // matters only to tell a short word from a long one.
                let scan_end = n.min(i + WORD_END_SCAN);
                let mut whole = true;
                while word_end < n && !is_space(chars[word_end].c) && chars[word_end].c != '\n' {
                    if word_end == scan_end {
                        whole = false;
                        break;
                    }
                    word_end += 1;
                    if break_after(chars, word_end - 1) {
                        break;
                    }
                }
                // A part of a compound: after or before a hyphen or dash.
                let after_dash = word_start > 0 && break_after(chars, word_start - 1);
                let before_dash = word_end > word_start && break_after(chars, word_end - 1);
                let compound = after_dash || before_dash;
                // Parts joined by a hyphen-minus («санитарно-эпидемиологическими»)
                // are hyphenated each on its own, as libhyphen does, with
                // three letters at least next to the hyphen; parts joined
                // by a dash are not (the KOI8-R dictionary has no dash).
                let hyphen_joined = (!after_dash || chars[word_start - 1].c == '-')
                    && (!before_dash || chars[word_end - 1].c == '-');
                let mins = (
                    if after_dash { COMPOUND_MIN } else { HYPHEN_MIN },
                    if before_dash {
                        COMPOUND_MIN
                    } else {
                        HYPHEN_MIN_AFTER
                    },
                );
                let hyph = if !m.hyphenate && m.hyphenate_wide && !compound && whole {
                    // A soft hyphen is a character of the text to
                    // LibreOffice: it fits as the others do, without the
                    // slack automatic hyphens need («полните-» in 17.19
                    // mm with 0.013 mm to spare, measured).
                    wide_word_point(
                        chars,
                        start,
                        word_start,
                        word_end,
                        m.rest,
                        hyphens,
                        &width,
                        |p| width(start, p) + hyphen_w <= avail + 0.001,
                    )
                } else if m.hyphenate && hyphen_joined {
                    let point = hyphen_point(
                        chars,
                        word_start,
                        word_end,
                        whole,
                        mins,
                        hyphens,
                        // The zone is measured from the start of the whole
                        // unit («и\u{a0}повышения»), as in LibreOffice.
                        |_| avail - width(start, word_start),
                        |p| width(start, p) + hyphen_w <= avail - HYPHEN_SLACK_MM,
                    );
                    if point.is_some() && ladder_full(&lines) {
                        refused = Some((word_start, word_end));
                        None
                    } else {
                        point
                    }
                } else {
                    None
                };
                done = Some(match (hyph, last_break) {
                    (Some(p), _) => (p, p, false, true),
                    (None, Some((e, s))) => (e, s, false, false),
                    // A word longer than the line: cut it where it overflows.
                    (None, None) => {
                        let cut = i.max(start + 1);
                        (cut, cut, false, false)
                    }
                });
                break;
            }
            i += 1;
            if i < n && break_after(chars, i - 1) {
                last_break = Some((i, i));
            }
        }
        let (end, next, forced, hyphen) = done.unwrap_or((n, n, true, false));
        let mut e = end;
        while e > start && is_space(chars[e - 1].c) {
            e -= 1;
        }
        lines.push(Line {
            start,
            end: e,
            hyphen,
            last: forced,
            width: width(start, e) + if hyphen { hyphen_w } else { 0.0 },
            refused,
        });
        if done.is_none() {
            break;
        }
        start = next;
        // A line never starts with a breaking space.
        while start < n && is_space(chars[start].c) {
            start += 1;
        }
        if start >= n {
            if forced && next == n && end < n {
                // A forced break at the very end leaves an empty last line.
                lines.push(Line {
                    start: n,
                    end: n,
                    hyphen: false,
                    last: true,
                    width: 0.0,
                    refused: None,
                });
            } else if let Some(l) = lines.last_mut() {
                l.last = true;
            }
            break;
        }
    }
    lines
}

/// The last hyphenation point of `chars[from..to]` for which `fits` holds,
/// as the index of the first character after the hyphen. Parts joined by a
/// no-break space («Севостьянова\u{a0}Ю.Н.», «и\u{a0}повышения») are
/// hyphenated each on its own, as LibreOffice does, when the space left at
/// the end of the line (`gap_at` the part's start) is wider than the
/// hyphenation zone. When the word goes on past `to` (`whole` is false),
/// its last part is too long to hyphenate and is skipped. `mins` are the
/// fewest letters before the first point and after the last one.
#[allow(clippy::too_many_arguments)]
fn hyphen_point(
    chars: &[Ch],
    from: usize,
    to: usize,
    whole: bool,
    mins: (usize, usize),
    hyphens: &mut Hyphens,
    gap_at: impl Fn(usize) -> f32,
    fits: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut best = None;
    let mut start = from;
    for i in from..=to {
        if (i == to && whole) || (i < to && chars[i].c == '\u{a0}') {
            let min = (
                if start == from { mins.0 } else { HYPHEN_MIN },
                if i == to { mins.1 } else { HYPHEN_MIN_AFTER },
            );
            if gap_at(start) > HYPHEN_ZONE_MM
                && let Some(p) = segment_hyphen_point(chars, start, i, min, hyphens, &fits)
            {
                best = Some(p);
            }
            start = i + 1;
        }
    }
    best
}

/// Where a word wider than a whole line breaks in a paragraph that is
/// not hyphenated: the last of [`wide_word_points`] after the line's
/// start `start` for which `fits` holds. The word is taken whole, with
/// its letters on the lines above when the line starts inside it, so
/// that its points are the soft hyphens the DOCX gives it.
#[allow(clippy::too_many_arguments)]
fn wide_word_point(
    chars: &[Ch],
    start: usize,
    from: usize,
    to: usize,
    rest: f32,
    hyphens: &mut Hyphens,
    width: &impl Fn(usize, usize) -> f32,
    fits: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut a = from;
    if from == start {
        // Bounded: a longer word is cut anyway.
        while a > 0 && from - a <= HYPHENATE_MAX_LETTERS && is_letter(chars[a - 1].c) {
            a -= 1;
        }
    }
    while a < to && !is_letter(chars[a].c) {
        a += 1;
    }
    let mut b = to;
    while b > a && !is_letter(chars[b - 1].c) {
        b -= 1;
    }
    let letters = &chars[a..b];
    if letters.len() < HYPHEN_MIN + HYPHEN_MIN_AFTER
        || letters.len() > HYPHENATE_MAX_LETTERS
        || !letters.iter().all(|c| is_letter(c.c))
        || letters.iter().any(|c| c.style & NO_HYPHEN != 0)
        || width(a, b) <= rest + 0.001
    {
        return None;
    }
    let n = letters.len();
    let mut best = None;
    for &k in hyphens.points(letters)? {
        let k = usize::from(k);
        if k < HYPHEN_MIN || n - k < HYPHEN_MIN_AFTER || a + k <= start {
            continue;
        }
        if fits(a + k) {
            best = Some(a + k);
        }
    }
    best
}

/// Where a word wider than its line may break when its paragraph is not
/// hyphenated (a centred header word in a narrow column): its dictionary
/// points, as character offsets, two letters at least on either side.
/// The DOCX puts soft hyphens there, the PDF breaks there
/// ([`Measure::hyphenate_wide`]); the caps and zone rules of automatic
/// hyphenation do not apply to soft hyphens.
pub(crate) fn wide_word_points(word: &str) -> Vec<usize> {
    let letters: Vec<Ch> = word
        .chars()
        .map(|c| Ch {
            c,
            style: 0,
            w: 0.0,
        })
        .collect();
    let n = letters.len();
    let mut hyphens = Hyphens::default();
    hyphens
        .points(&letters)
        .map(|p| {
            p.iter()
                .map(|&k| usize::from(k))
                .filter(|&k| k >= HYPHEN_MIN && n - k >= HYPHEN_MIN_AFTER)
                .collect()
        })
        .unwrap_or_default()
}

/// [`hyphen_point`] within one part with no no-break space.
fn segment_hyphen_point(
    chars: &[Ch],
    from: usize,
    to: usize,
    (min_before, min_after): (usize, usize),
    hyphens: &mut Hyphens,
    fits: &impl Fn(usize) -> bool,
) -> Option<usize> {
    // The letters of the word, without surrounding quotes and punctuation.
    let mut a = from;
    while a < to && !is_letter(chars[a].c) {
        a += 1;
    }
    let mut b = to;
    while b > a && !is_letter(chars[b - 1].c) {
        b -= 1;
    }
    // A line that starts inside a word (the line above cut or hyphenated
    // it) counts the word's letters up there too: the tail of a word too
    // long to hyphenate is cut like its head.
    let before = if a == from {
        chars[..from]
            .iter()
            .rev()
            .take(HYPHENATE_MAX_LETTERS + 1)
            .take_while(|c| is_letter(c.c))
            .count()
    } else {
        0
    };
    if b - a < min_before + min_after
        || before + (b - a) > HYPHENATE_MAX_LETTERS
        || !chars[a..b].iter().all(|c| is_letter(c.c))
        || chars[a..b].iter().any(|c| c.style & NO_HYPHEN != 0)
        || ((3..=8).contains(&(b - a))
            && crate::document::never_hyphenated(
                &chars[a..b].iter().map(|c| c.c).collect::<String>(),
            ))
    {
        return None;
    }
    // Words in capitals are not hyphenated (doNotHyphenateCaps).
    if chars[a..b].iter().all(|c| c.c.is_uppercase()) {
        return None;
    }
    let mut best = None;
    for &k in hyphens.points(&chars[a..b])? {
        let k = usize::from(k);
        if k < min_before || (b - a) - k < min_after {
            continue;
        }
        if fits(a + k) {
            best = Some(a + k);
        }
    }
    best
}

/// Flattens styled text into characters with widths, appended to `out`.
/// A character the face lacks is kept (the PDF draws it as `.notdef`) and
/// noted once in `missing` with the face it was missing from.
pub(crate) fn measure_chars(
    fonts: &FontSet,
    text: &str,
    style: u8,
    size_pt: f32,
    out: &mut Vec<Ch>,
    missing: &mut Vec<(char, u8)>,
) {
    let face = fonts.face(style & 3);
    let extra = if style & SPACED != 0 {
        SPACED_PT * PT
    } else {
        0.0
    };
    let scale = size_pt * PT;
    // At most one character a byte: one allocation for the run.
    out.reserve(text.len());
    // The width of `c`, and whether the face has it.
    let mut measure = |c: char| match face.advance(c) {
        Some(adv) => (adv * scale + extra, true),
        None => {
            if !missing.iter().any(|m| m.0 == c) {
                missing.push((c, style & 3));
            }
            (NOTDEF_ADVANCE_EM * scale + extra, false)
        }
    };
    if text.len() < SEEN_FROM_BYTES {
        each_char(text, style, out, |c| measure(c).0);
        return;
    }
    // The widths met in this run: a run of Russian text uses a few dozen
    // letters over and over, and this table answers faster than the face.
    // ASCII has a slot each, the Cyrillic block too; other characters
    // share them, the key telling whose width a slot holds.
    let mut seen = [(u32::MAX, 0.0f32); 256];
    each_char(text, style, out, |c| {
        let cp = c as u32;
        let slot = if cp < 0x80 { cp } else { 0x80 | (cp & 0x7F) } as usize;
        if seen[slot].0 == cp {
            return seen[slot].1;
        }
        let (w, found) = measure(c);
        if found {
            seen[slot] = (cp, w);
        }
        w
    });
}

/// Shorter runs are measured without [`measure_chars`]'s table of widths
/// met: setting it up would cost more than it saves.
const SEEN_FROM_BYTES: usize = 32;

/// The characters of `text` with their widths (`width`), appended to
/// `out`: a tab is a space, a line feed a forced break of no width, other
/// control characters are dropped.
fn each_char(text: &str, style: u8, out: &mut Vec<Ch>, mut width: impl FnMut(char) -> f32) {
    for c in text.chars() {
        if c == '\n' {
            out.push(Ch { c, style, w: 0.0 });
            continue;
        }
        let c = if c == '\t' { ' ' } else { c };
        if c.is_control() {
            continue;
        }
        out.push(Ch {
            c,
            style,
            w: width(c),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<Ch> {
        text.chars()
            .map(|c| Ch {
                c,
                style: 0,
                w: 1.0,
            })
            .collect()
    }

    fn texts(text: &str, m: Measure) -> Vec<String> {
        let cs = chars(text);
        break_lines(&cs, m, 1.0, &mut Hyphens::default())
            .iter()
            .map(|l| {
                let mut s: String = cs[l.start..l.end].iter().map(|c| c.c).collect();
                if l.hyphen {
                    s.push('-');
                }
                s
            })
            .collect()
    }

    const M: Measure = Measure {
        first: 10.0,
        rest: 10.0,
        hyphenate: true,
        hyphenate_wide: false,
    };

    #[test]
    fn is_letter_agrees_with_unicode() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn first_fit() {
        assert_eq!(texts("ab cd ef gh ij", M), ["ab cd ef", "gh ij"]);
    }

    #[test]
    fn no_break_at_nbsp() {
        assert_eq!(texts("abcd efgh\u{a0}ij", M), ["abcd", "efgh\u{a0}ij"]);
    }

    #[test]
    fn hyphenates_only_when_needed() {
        let lines = texts("оч образования", M);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with('-'), "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 10));
    }

    #[test]
    fn a_word_too_long_to_hyphenate_is_cut_at_the_margin() {
        // 65 letters of a real word pattern: the dictionary would find
        // points in it, but a word that long is cut like LibreOffice does.
        let word = "образования".repeat(6);
        let lines = texts(&word, M);
        assert!(lines.iter().all(|l| !l.ends_with('-')), "{lines:?}");
        assert!(
            lines[..lines.len() - 1]
                .iter()
                .all(|l| l.chars().count() == 10)
        );
        assert_eq!(lines.concat(), word);
        // A part joined by a no-break space is still hyphenated on its own.
        let lines = texts(&format!("о\u{a0}образования\u{a0}{word}"), M);
        assert!(lines[0].ends_with('-'), "{lines:?}");
    }

    #[test]
    fn compound_parts_keep_three_letters_next_to_their_hyphen() {
        let m = |first| Measure { first, ..M };
        // «санитар-но-» would fit, but leaves two letters before the hyphen.
        assert_eq!(texts("санитарно-эпидемиологическими", m(9.5))[0], "сани-");
        // The second part is hyphenated on its own.
        assert_eq!(texts("учебно-методический", m(15.0))[0], "учебно-методи-");
        // A dash joins parts that are not hyphenated.
        assert_eq!(texts("учебно–методический", m(15.0))[0], "учебно–");
    }

    #[test]
    fn forced_break_and_long_word() {
        assert_eq!(texts("ab\ncd", M), ["ab", "cd"]);
        assert_eq!(texts("1234567890123", M), ["1234567890", "123"]);
    }
}
