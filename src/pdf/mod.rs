//! PDF backend: placeholder until the typesetter lands (issue 3).
#![allow(missing_docs, unreachable_pub)]

use crate::document::Document;

/// The fonts a PDF embeds.
#[derive(Debug, Clone, Default)]
pub struct FontSet;

impl FontSet {
    /// Liberation Serif, bundled.
    pub fn liberation() -> FontSet {
        FontSet
    }
    /// Four TTF files.
    pub fn from_files(
        _regular: &std::path::Path,
        _bold: &std::path::Path,
        _italic: &std::path::Path,
        _bold_italic: &std::path::Path,
    ) -> Result<FontSet, PdfError> {
        Ok(FontSet)
    }
}

/// Options.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    pub fonts: FontSet,
}

/// Output.
pub struct PdfOutput {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

/// Error.
#[derive(Debug)]
pub struct PdfError(pub String);

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PdfError {}

/// Renders a document.
pub fn render(_doc: &Document, _opts: &PdfOptions) -> Result<PdfOutput, PdfError> {
    Err(PdfError("PDF пока не поддерживается".into()))
}
