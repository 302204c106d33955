//! Diagnostics: what went wrong, where in the user's file, and what to do.
//!
//! Every message the user sees is in Russian and names the file, the line,
//! the column and the field (typst's `SourceDiagnostic`, mdBook's «line,
//! column»). Positions are computed from byte offsets into the source text,
//! so any stage that knows a span can report one.

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

    /// Turns this error into a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Sets the position (and the line shown under the message) from a span.
    pub fn set_span(&mut self, source: &str, span: Range<usize>) {
        let (line, col) = line_col(source, span.start);
        self.position = Some((line, col));
        self.line_text = source.lines().nth(line - 1).map(str::to_owned);
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

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
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
