//! HTML backend (stub by the lead so the format table builds; the HTML
//! helper replaces this file).

use crate::document::Document;

/// The document as one self-contained HTML page.
pub fn render(doc: &Document) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html lang=\"ru\"><title>{}</title></html>",
        doc.meta.title
    )
    .into_bytes()
}
