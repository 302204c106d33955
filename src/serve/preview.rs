//! Checks a text the user has not saved and draws its pages: `check`'s
//! errors and warnings, and, when there is no error, the SVG pages of the
//! PDF's own layout. Nothing is written.

use super::State;
use crate::build;
use crate::diagnostic::{Diagnostic, Severity};
use crate::pdf;
use serde_json::{Value, json};
use std::path::Path;

/// The answer to the editor: `{"ok", "diagnostics": […], "pages": […] | null}`.
pub(crate) fn check(state: &State, path: &Path, text: &str) -> Value {
    match build::check_text(path, text, &state.templates, &state.check, &state.access) {
        Ok(checked) => match pdf::layout(&checked.document, &state.check.pdf) {
            Ok(layout) => json!({
                "ok": true,
                "diagnostics": diagnostics(path, &checked.warnings),
                "pages": pdf::svg::pages(&layout, &state.check.pdf.fonts),
            }),
            Err(e) => json!({
                "ok": false,
                "diagnostics": diagnostics(
                    path,
                    &[Diagnostic::error(path, format!("не удалось собрать PDF: {e}"))],
                ),
                "pages": Value::Null,
            }),
        },
        Err(diags) => json!({
            "ok": false,
            "diagnostics": diagnostics(path, &diags.0),
            "pages": Value::Null,
        }),
    }
}

/// Diagnostics as the editor shows them: those of this document at their
/// line, those of another file (its profile) with the file's name.
fn diagnostics(path: &Path, list: &[Diagnostic]) -> Vec<Value> {
    list.iter()
        .map(|d| {
            let (line, column) = d.position.map_or((Value::Null, Value::Null), |(l, c)| {
                (Value::from(l), Value::from(c))
            });
            json!({
                "severity": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "here": d.file == path,
                "file": d.file.display().to_string(),
                "line": line,
                "column": column,
                "field": d.field,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect()
}
