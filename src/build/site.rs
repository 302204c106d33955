//! The site's front page: with `--format html`, the output folder gets an
//! `index.html` listing every document of the run, linking whichever of
//! its HTML, PDF and DOCX files are there ([`crate::html::site`]).

use crate::diagnostic::system::{reason, write_hint};
use std::path::{Path, PathBuf};

use super::write::write_atomically;
use super::{BuildOptions, Format, Report};
use crate::diagnostic::Diagnostic;
use crate::html::site::{self, SiteEntry};
use crate::register;

/// The index's file name in the output folder.
const INDEX: &str = "index.html";

/// Writes `index.html` into the output folder when HTML is among the
/// formats, or a document asked for its web page (`html = true`): every
/// document that can be read, linking the outputs it has on disk now.
/// When nothing was written or removed and the index is there, it is left
/// alone: a no-op build reads no document. Unchanged bytes are not
/// rewritten.
pub(super) fn write_index(options: &BuildOptions, report: &mut Report) {
    let path = options.output_dir.join(INDEX);
    let is_html = |p: &PathBuf| p.extension().is_some_and(|e| e == "html");
    let wanted = options.formats.contains(&Format::Html)
        || (options.documents_add_formats && (report.built.iter().any(is_html) || path.is_file()));
    let changed = !report.built.is_empty() || !report.pruned.is_empty() || !path.is_file();
    if !wanted || !changed {
        return;
    }
    let journal = register::journal(&options.inputs, &options.output_dir);
    let entries: Vec<SiteEntry> = journal
        .entries
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e.outputs = outputs_on_disk(&e.outputs);
            SiteEntry::from_register(&e, &options.output_dir)
        })
        .collect();
    let bytes = site::index(&entries, "Документы");
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return;
    }
    match write_atomically(&path, &bytes) {
        Ok(()) => report.built.push(path),
        Err(e) => report.failed.push((
            path.clone(),
            Diagnostic::error(&path, format!("не удалось записать файл: {}", reason(&e)))
                .with_hint(write_hint(&e).unwrap_or("проверьте права на папку с результатами"))
                .into(),
        )),
    }
}

/// Every format's file next to the first of `outputs` (they share a
/// stem), kept when it exists: the index links what was built in this run
/// or an earlier one, never a file that is not there.
fn outputs_on_disk(outputs: &[PathBuf]) -> Vec<PathBuf> {
    let Some(first) = outputs.first() else {
        return Vec::new();
    };
    crate::format::BACKENDS
        .iter()
        .map(|b| first.with_extension(b.name))
        .filter(|p| Path::is_file(p))
        .collect()
}
