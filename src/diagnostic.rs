//! Diagnostics: what went wrong, where in the user's file, and what to do.
//!
//! Every message the user sees is in Russian and names the file, the line,
//! the column and the field (typst's `SourceDiagnostic`, mdBook's «line,
//! column»). Positions are computed from byte offsets into the source text,
//! so any stage that knows a span can report one.

pub mod system;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The document cannot be built.
    Error,
    /// The document is built, but something looks wrong.
    Warning,
}

/// A message about one place in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the message is about.
    pub file: PathBuf,
    /// 1-based line and column, when the place is known.
    pub position: Option<(usize, usize)>,
    /// The dotted path of the TOML field («meeting.date»), when known.
    pub field: Option<String>,
    /// What is wrong, in Russian.
    pub message: String,
    /// What to do about it, in Russian.
    pub hint: Option<String>,
    /// The source line, for a code frame under the message.
    pub line_text: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file, with no position.
    pub fn error(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            position: None,
            field: None,
            message: message.into(),
            hint: None,
            line_text: None,
        }
    }

    /// An error at a byte span of `source`.
    pub fn at(file: &Path, source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let mut d = Diagnostic::error(file, message);
        d.set_span(source, span);
        d
    }

    /// An error at a byte span of a file of which `part` is the text from
    /// byte `from` on, `from` being the start of a line after `line_ends`
    /// line ends: a long file's slice kept apart from the rest
    /// ([`crate::model`]'s compressed rows). The same as [`Diagnostic::at`]
    /// with the whole text.
    pub fn at_part(
        file: &Path,
        part: &str,
        from: usize,
        line_ends: usize,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let mut d = Diagnostic::error(file, message);
        d.set_span_in(part, from, line_ends, span);
        d
    }

    /// Turns this error into a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Sets the position from a span of `source`, the text of `self.file`,
    /// and the line shown under the message. The line is shown only when
    /// the file is a TOML input (see [`is_toml_file`]): a path in a
    /// document may name any file, and its content must not be echoed.
    pub fn set_span(&mut self, source: &str, span: Range<usize>) {
        self.set_span_in(source, 0, 0, span);
    }

    /// [`Diagnostic::set_span`] from a part of the text (see
    /// [`Diagnostic::at_part`]).
    fn set_span_in(&mut self, part: &str, from: usize, line_ends: usize, span: Range<usize>) {
        let (line, col, start) = locate(part, span.start.saturating_sub(from));
        self.position = Some((line_ends + line, col));
        self.line_text = is_toml_file(&self.file).then(|| frame_text(part, start, col));
    }

    /// Names the field the message is about.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        if !field.is_empty() {
            self.field = Some(field);
        }
        self
    }

    /// Adds advice on what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors, false for warnings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True for a file gostdoc reads as TOML (`*.toml`): the only files whose
/// lines a diagnostic may quote.
pub fn is_toml_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// 1-based line and column (in characters) of a byte offset. A line ends
/// at LF, CRLF or a lone CR (old Mac editors), so that a file with any of
/// them gets the lines its editor shows.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let (line, col, _) = locate(source, offset);
    (line, col)
}

/// How many lines end in `text`, by the rule of [`line_col`].
pub fn line_ends(text: &str) -> usize {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count()
}

/// Line, column and the byte offset where the line starts.
fn locate(source: &str, offset: usize) -> (usize, usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let bytes = source.as_bytes();
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in bytes[..offset].iter().enumerate() {
        let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if ends {
            line += 1;
            line_start = i + 1;
        }
    }
    let col = source[line_start..offset].chars().count() + 1;
    (line, col, line_start)
}

/// Longest code-frame line kept: enough to show the column with context.
const FRAME_CONTEXT: usize = 80;

/// The line starting at `start`, made safe to print: control characters
/// shown as their symbols (a raw ESC would drive the terminal, a tab
/// would shift the caret), direction overrides replaced, and the line cut
/// after the column (a file with one huge line would be printed whole).
fn frame_text(source: &str, start: usize, col: usize) -> String {
    let rest = &source[start..];
    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    rest[..end]
        .chars()
        .take(col + FRAME_CONTEXT)
        .map(printable)
        .collect()
}

fn printable(c: char) -> char {
    match c {
        '\t' => ' ',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
        c => c,
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The part of a long frame line around `col`, and the caret's column in it.
fn frame_window(text: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let width = 2 * FRAME_CONTEXT;
    if chars.len() <= width {
        return (text.to_owned(), col);
    }
    let start = col.saturating_sub(1 + FRAME_CONTEXT / 2);
    let end = (start + width).min(chars.len());
    let mut out = String::new();
    let mut caret = col - start;
    if start > 0 {
        out.push('…');
        caret += 1;
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    (out, caret)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "ошибка",
            Severity::Warning => "предупреждение",
        };
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.position {
            write!(f, ", строка {line}, столбец {col}")?;
        }
        write!(f, ": {kind}")?;
        if let Some(field) = &self.field {
            write!(f, " в поле «{field}»")?;
        }
        write!(f, ": {}", self.message)?;
        if let (Some(text), Some((line, col))) = (&self.line_text, self.position) {
            let (text, col) = frame_window(text, col);
            // A caret past the line's end (a position set by hand) would
            // also be a format width beyond what `fmt` accepts: a panic.
            let col = col.min(text.chars().count() + 1);
            let gutter = line.to_string().len();
            write!(
                f,
                "\n{:gutter$} |\n{line} | {text}\n{:gutter$} | {:>col$}",
                "", "", "^"
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  подсказка: {hint}")?;
        }
        Ok(())
    }
}

/// Several diagnostics, printed one after another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let src = "а = 1\nдата = x\n";
        let off = src.find('x').unwrap();
        assert_eq!(line_col(src, off), (2, 8));
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        let src = "a = 1\rb = 2\r\nc = x\n";
        assert_eq!(line_col(src, src.find('x').unwrap()), (3, 5));
        let b = src.find('b').unwrap();
        let d = Diagnostic::at(Path::new("a.toml"), src, b..b, "m");
        assert_eq!(d.position, Some((2, 1)));
        assert_eq!(d.line_text.as_deref(), Some("b = 2"));
    }

    #[test]
    fn only_a_toml_file_gets_a_code_frame() {
        let src = "root:x:0:0\n";
        let d = Diagnostic::at(Path::new("/etc/shadow"), src, 0..1, "m");
        assert_eq!(d.position, Some((1, 1)));
        assert_eq!(d.line_text, None);
        assert!(!d.to_string().contains("root"));
        let d = Diagnostic::at(Path::new("a.TOML"), src, 0..1, "m");
        assert_eq!(d.line_text.as_deref(), Some("root:x:0:0"));
    }

    #[test]
    fn a_frame_shows_control_characters_and_cuts_long_lines() {
        let src = format!("a = \"\u{1b}[2J{}x\"\n", "я".repeat(500));
        let at = src.find('x').unwrap();
        let d = Diagnostic::at(Path::new("a.toml"), &src, at..at, "m");
        let text = d.to_string();
        assert!(text.contains("␛[2J") || !text.contains('\u{1b}'), "{text}");
        let frame: Vec<&str> = text.lines().collect();
        // The caret stays under the «x».
        let line = frame[2].split_once(" | ").unwrap().1;
        let caret = frame[3].split_once(" | ").unwrap().1;
        assert_eq!(line.chars().nth(caret.chars().count() - 1), Some('x'));
        assert!(line.chars().count() <= 2 * FRAME_CONTEXT + 2, "{line}");
    }

    #[test]
    fn a_caret_far_beyond_the_line_does_not_panic() {
        let mut d = Diagnostic::error(Path::new("a.toml"), "m");
        d.position = Some((1, 100_000));
        d.line_text = Some("short".into());
        assert!(d.to_string().ends_with("     ^"));
    }

    #[test]
    fn display_names_file_line_field_and_hint() {
        let src = "kind = \"protocol\"\ndaet = 1\n";
        let d = Diagnostic::at(
            Path::new("data/a.toml"),
            src,
            18..22,
            "неизвестное поле «daet»",
        )
        .with_field("daet")
        .with_hint("возможно, имелось в виду «date»");
        let text = d.to_string();
        assert!(text.starts_with("data/a.toml, строка 2, столбец 1: ошибка в поле «daet»"));
        assert!(text.contains("2 | daet = 1"));
        assert!(text.contains("подсказка: возможно, имелось в виду «date»"));
    }
}
