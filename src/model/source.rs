//! The text of the file being validated, as the validator keeps it.
//!
//! A long file's table rows ([`super::long_table`]) are the bulk of its
//! text (21 MB of the 35,000-row roadmap's 21.6), and the text is needed
//! only to parse each slice of rows once and to quote a line in a
//! message. So those slices are kept compressed (raw deflate at the
//! fastest level), and one is inflated when its rows are parsed or a
//! message points into it; the text before them is kept as it is. A
//! message says the same file, line, column and line either way.

use std::cell::RefCell;
use std::ops::Range;
use std::path::Path;
use std::rc::Rc;

use crate::diagnostic::{self, Diagnostic};

/// A file's text, whole or with its rows' slices compressed.
pub(super) struct Source {
    /// The text up to the first compressed slice: all of it, for a file
    /// kept whole.
    head: String,
    slices: Vec<Slice>,
    /// The slice inflated last, by index: a slice's rows are parsed, and
    /// the messages about them made, one after the other.
    inflated: RefCell<Option<(usize, Rc<str>)>>,
}

/// A compressed slice of the text.
struct Slice {
    /// Where it stands in the file.
    range: Range<usize>,
    /// The lines that end before it.
    line_ends_before: usize,
    deflated: Vec<u8>,
}

/// Raw deflate level of the slices: the fastest. The text is TOML, read
/// once more at most, and a slice's inflation is what a message costs.
const LEVEL: u32 = 1;

impl Source {
    /// The whole of `text`, kept as it is.
    pub(super) fn whole(text: String) -> Source {
        Source {
            head: text,
            slices: Vec::new(),
            inflated: RefCell::new(None),
        }
    }

    /// `text` with each of `ranges` compressed. The ranges must follow one
    /// another to the end of the text, each from a line's start (the
    /// slices of [`super::long_table::LaterRows`]); otherwise the text is
    /// kept whole.
    pub(super) fn sliced(mut text: String, ranges: &[Range<usize>]) -> Source {
        let Some(first) = ranges.first().map(|r| r.start) else {
            return Source::whole(text);
        };
        let follow = ranges.windows(2).all(|w| w[0].end == w[1].start);
        let at_line_starts = ranges
            .iter()
            .all(|r| r.start > 0 && text.as_bytes().get(r.start - 1) == Some(&b'\n'));
        if !follow || !at_line_starts || ranges.last().map(|r| r.end) != Some(text.len()) {
            return Source::whole(text);
        }
        let mut line_ends = diagnostic::line_ends(&text[..first]);
        let slices = ranges
            .iter()
            .map(|range| {
                let part = &text[range.clone()];
                let slice = Slice {
                    range: range.clone(),
                    line_ends_before: line_ends,
                    deflated: crate::deflate::raw_held(part.as_bytes(), LEVEL),
                };
                line_ends += diagnostic::line_ends(part);
                slice
            })
            .collect();
        text.truncate(first);
        text.shrink_to_fit();
        Source {
            head: text,
            slices,
            inflated: RefCell::new(None),
        }
    }

    /// The whole text again.
    pub(super) fn into_text(self) -> String {
        let mut text = self.head;
        for slice in &self.slices {
            text.push_str(&inflate(slice));
        }
        text
    }

    /// `f` of the text of `range` of the file: a range of the text kept
    /// as it is, or exactly one compressed slice; `None` otherwise.
    pub(super) fn with_text<R>(&self, range: Range<usize>, f: impl FnOnce(&str) -> R) -> Option<R> {
        if let Some(text) = self.head.get(range.clone()) {
            return Some(f(text));
        }
        let k = self.slices.iter().position(|s| s.range == range)?;
        Some(f(&self.slice_text(k)))
    }

    /// A message at a byte span of the file.
    pub(super) fn diagnostic(
        &self,
        file: &Path,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let k = self
            .slices
            .iter()
            .position(|s| s.range.contains(&span.start));
        match k {
            None => Diagnostic::at(file, &self.head, span, message),
            Some(k) => {
                let slice = &self.slices[k];
                let text = self.slice_text(k);
                Diagnostic::at_part(
                    file,
                    &text,
                    slice.range.start,
                    slice.line_ends_before,
                    span,
                    message,
                )
            }
        }
    }

    /// Slice `k`'s text, inflated once for the calls in a row that ask.
    fn slice_text(&self, k: usize) -> Rc<str> {
        let mut inflated = self.inflated.borrow_mut();
        match &*inflated {
            Some((at, text)) if *at == k => Rc::clone(text),
            _ => {
                let text: Rc<str> = inflate(&self.slices[k]).into();
                *inflated = Some((k, Rc::clone(&text)));
                text
            }
        }
    }
}

/// A slice's text. Compressed here from a `str`, it always inflates to
/// one; should it not, the bytes are read as UTF-8 with replacements.
fn inflate(slice: &Slice) -> String {
    let out = crate::deflate::inflate_raw(&slice.deflated, slice.range.len());
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines ending in LF, CRLF and a lone CR, cut into slices at line
    /// starts: every message and every slice's text is that of the text
    /// kept whole.
    #[test]
    fn a_sliced_text_says_what_the_whole_one_says() {
        let mut text = String::from("kind = \"x\"\r\nhead = 1\n");
        let mut ranges = Vec::new();
        for k in 0..5 {
            let start = text.len();
            text.push_str(&format!(
                "[[row]]\rcells = [\"ячейка {k}\"]\r\n\n# ещё {k}\n"
            ));
            ranges.push(start..text.len());
        }
        let file = Path::new("план.toml");
        let whole = Source::whole(text.clone());
        let sliced = Source::sliced(text.clone(), &ranges);
        assert_eq!(sliced.slices.len(), 5, "kept apart");
        assert!(sliced.head.len() < 30);
        for at in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let message = format!("место {at}");
            let expected = Diagnostic::at(file, &text, at..at + 1, message.clone());
            assert_eq!(
                whole.diagnostic(file, at..at + 1, message.clone()),
                expected
            );
            assert_eq!(
                sliced.diagnostic(file, at..at + 1, message),
                expected,
                "at {at}"
            );
        }
        for range in &ranges {
            assert_eq!(
                sliced.with_text(range.clone(), str::to_owned),
                Some(text[range.clone()].to_owned())
            );
        }
        assert_eq!(
            sliced.with_text(3..40, str::to_owned),
            None,
            "across the head"
        );
        assert_eq!(sliced.into_text(), text);
    }

    /// Ranges that are not a long table's slices leave the text whole.
    #[test]
    fn ranges_that_are_not_slices_keep_the_text_whole() {
        let text = "a = 1\nb = 2\nc = 3\n".to_owned();
        // (start, end) pairs: not at the end, not following, not at a
        // line's start, the whole text.
        let cases: [&[(usize, usize)]; 4] =
            [&[(6, 12)], &[(6, 12), (13, 18)], &[(7, 18)], &[(0, 18)]];
        for case in cases {
            let ranges: Vec<Range<usize>> = case.iter().map(|&(a, b)| a..b).collect();
            let source = Source::sliced(text.clone(), &ranges);
            assert!(source.slices.is_empty(), "{case:?}");
            assert_eq!(source.into_text(), text);
        }
    }
}
