//! The build: find input files, run each through the pipeline, and write
//! the outputs atomically, carrying on past a bad document and reporting
//! every failure at the end (ripgrep's «keep going, then report»).
//!
//! This is the only module that writes files.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::document::Document;
use crate::template::Templates;
use crate::{docx, markup, model, pdf, view};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Folder names that hold shared files, not documents.
const NOT_DOCUMENTS: &[&str] = &["profiles", "templates"];

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Word document, for editing and for LibreOffice.
    Docx,
    /// PDF typeset by gostdoc, for printing and publishing.
    Pdf,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Formats to write (`docx` and `pdf` by default).
    pub formats: Vec<Format>,
    /// Fonts and other PDF settings.
    pub pdf: pdf::PdfOptions,
    /// Files and folders given on the command line (`data/` by default).
    pub inputs: Vec<PathBuf>,
    /// Output folder (`output/` by default).
    pub output_dir: PathBuf,
    /// Folder of template overrides, when given with `--templates`.
    pub templates_dir: Option<PathBuf>,
}

/// One input document and the output files it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The TOML file.
    pub input: PathBuf,
    /// The DOCX file, relative sub-folders kept; other formats change the
    /// extension ([`Job::output_for`]).
    pub output: PathBuf,
}

impl Job {
    /// The output file of one format.
    pub fn output_for(&self, format: Format) -> PathBuf {
        self.output.with_extension(format.extension())
    }
}

/// The files one document renders to, before anything is written.
#[derive(Debug)]
pub struct Rendered {
    /// Bytes per format: DOCX first, then PDF.
    pub files: Vec<(Format, Vec<u8>)>,
    /// Warnings (a character missing from the font, …).
    pub warnings: Vec<Diagnostic>,
}

/// The outcome of a build or a check.
#[derive(Debug, Default)]
pub struct Report {
    /// Outputs written.
    pub built: Vec<PathBuf>,
    /// Documents checked without writing.
    pub checked: Vec<PathBuf>,
    /// Diagnostics of failed documents, grouped by input file.
    pub failed: Vec<(PathBuf, Diagnostics)>,
    /// Warnings of documents that were built.
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// True when any document failed.
    pub fn has_failures(&self) -> bool {
        !self.failed.is_empty()
    }
}

/// Finds the documents among the inputs: `X.toml` → `DIR/X.docx`, a folder
/// searched recursively, sub-folders kept, `profiles/` and `templates/`
/// skipped. Sorted, so builds and messages come in a stable order.
pub fn plan(inputs: &[PathBuf], output_dir: &Path) -> Result<Vec<Job>, Diagnostics> {
    let mut jobs = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut files = Vec::new();
            walk(input, &mut files).map_err(|e| {
                Diagnostics::from(Diagnostic::error(
                    input,
                    format!("не удалось прочитать папку: {e}"),
                ))
            })?;
            files.sort();
            for file in files {
                let rel = file
                    .strip_prefix(input)
                    .unwrap_or(&file)
                    .with_extension("docx");
                jobs.push(Job {
                    output: output_dir.join(rel),
                    input: file,
                });
            }
        } else if input.is_file() {
            let name = input.file_name().map(PathBuf::from).unwrap_or_default();
            jobs.push(Job {
                output: output_dir.join(name.with_extension("docx")),
                input: input.clone(),
            });
        } else {
            errors.push(
                Diagnostic::error(input, "файл или папка не найдены")
                    .with_hint("проверьте путь; без аргументов собирается папка data/"),
            );
        }
    }
    if errors.is_empty() {
        Ok(jobs)
    } else {
        Err(Diagnostics(errors))
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        if path.is_dir() {
            if !NOT_DOCUMENTS.contains(&name) {
                walk(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// The template folder: `--templates`, else a `templates/` folder next to
/// the first input folder (or inside it).
pub fn templates_dir(options: &BuildOptions) -> Option<PathBuf> {
    if let Some(dir) = &options.templates_dir {
        return Some(dir.clone());
    }
    let first = options.inputs.first()?;
    let base = if first.is_dir() {
        first.clone()
    } else {
        first.parent()?.to_path_buf()
    };
    [
        base.join("templates"),
        base.parent().unwrap_or(Path::new(".")).join("templates"),
    ]
    .into_iter()
    .find(|d| d.is_dir())
}

/// The first stages for one input file: its markup, as the template
/// wrote it. Tests snapshot it; template authors debug with it.
pub fn markup(input: &Path, templates: &Templates) -> Result<(&'static str, String), Diagnostics> {
    let model = model::load(input)?;
    let view = view::build(&model);
    let markup = templates
        .render(&view)
        .map_err(|e| Diagnostic::error(input, e.to_string()))?;
    Ok((view.kind, markup))
}

/// The whole pipeline for one input file to DOCX, without writing anything.
pub fn render(input: &Path, templates: &Templates) -> Result<(Document, Vec<u8>), Diagnostics> {
    let document = self::document(input, templates)?;
    let bytes = docx_bytes(input, &document)?;
    Ok((document, bytes))
}

fn docx_bytes(input: &Path, document: &Document) -> Result<Vec<u8>, Diagnostics> {
    docx::render(document)
        .map_err(|e| Diagnostic::error(input, format!("не удалось собрать DOCX: {e}")).into())
}

/// The stages up to the document tree, which every backend shares.
pub fn document(input: &Path, templates: &Templates) -> Result<Document, Diagnostics> {
    let (kind, markup) = self::markup(input, templates)?;
    // Images named in the markup are read relative to the document's folder
    // (a coat of arms next to the data or its profile).
    let base = input.parent().unwrap_or(Path::new(".")).to_path_buf();
    let read = move |name: &str| std::fs::read(base.join(name));
    let document = markup::parse(&markup, &read).map_err(|e| {
        Diagnostic::error(input, format!("шаблон {}: {e}", templates.origin(&format!("{kind}.xml"))))
            .with_hint("исправьте шаблон: он выдаёт разметку, которую gostdoc не понимает (см. docs/MARKUP.md)")
    })?;
    Ok(document)
}

/// Renders one input to every requested format, without writing anything.
pub fn render_formats(
    input: &Path,
    templates: &Templates,
    formats: &[Format],
    pdf_options: &pdf::PdfOptions,
) -> Result<Rendered, Diagnostics> {
    let document = self::document(input, templates)?;
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    if formats.contains(&Format::Docx) {
        files.push((Format::Docx, docx_bytes(input, &document)?));
    }
    if formats.contains(&Format::Pdf) {
        let prepared = pdf::prepare(&document, pdf_options)
            .map_err(|e| Diagnostic::error(input, format!("не удалось собрать PDF: {e}")))?;
        // The tree is not needed any more: freed before the writer's peak.
        drop(document);
        let out = prepared.write();
        warnings.extend(
            out.warnings
                .into_iter()
                .map(|w| Diagnostic::error(input, w).warning()),
        );
        files.push((Format::Pdf, out.bytes));
    }
    Ok(Rendered { files, warnings })
}

/// Builds (or, with `write == false`, checks) every document.
pub fn run(options: &BuildOptions, write: bool) -> Report {
    let mut report = Report::default();
    let templates_dir = templates_dir(options);
    let templates = match Templates::load(templates_dir.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            let at = templates_dir.unwrap_or_else(|| PathBuf::from("templates"));
            report
                .failed
                .push((at.clone(), Diagnostic::error(&at, e.to_string()).into()));
            return report;
        }
    };
    let jobs = match plan(&options.inputs, &options.output_dir) {
        Ok(j) => j,
        Err(d) => {
            report.failed.push((PathBuf::from("."), d));
            return report;
        }
    };
    for job in jobs {
        match render_formats(&job.input, &templates, &options.formats, &options.pdf) {
            Ok(rendered) => {
                report.warnings.extend(rendered.warnings);
                if !write {
                    report.checked.push(job.input);
                    continue;
                }
                for (format, bytes) in rendered.files {
                    let path = job.output_for(format);
                    match write_atomically(&path, &bytes) {
                        Ok(()) => report.built.push(path),
                        Err(e) => report.failed.push((
                            job.input.clone(),
                            Diagnostic::error(&path, format!("не удалось записать файл: {e}"))
                                .with_hint("закройте файл, если он открыт в Word или в программе просмотра PDF, и проверьте права на папку")
                                .into(),
                        )),
                    }
                }
            }
            Err(d) => report.failed.push((job.input, d)),
        }
    }
    report
}

/// Writes a file so that it is never seen half-written: into a temporary
/// file in the same folder, then renamed over the target. A rename is
/// atomic, so a crash, Ctrl-C or kill leaves the old file or the new one.
/// The data is not forced to disk (fsync) first: that would only guard
/// against a power cut, and it costs about 8 ms a file, more than
/// rendering the document; ext4 and XFS flush a file that replaces another
/// by rename before the rename itself reaches the disk.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_keeps_subfolders_and_skips_profiles() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("школа/2021")).unwrap();
        std::fs::create_dir_all(data.join("profiles")).unwrap();
        std::fs::write(data.join("a.toml"), "").unwrap();
        std::fs::write(data.join("школа/2021/b.toml"), "").unwrap();
        std::fs::write(data.join("profiles/org.toml"), "").unwrap();
        std::fs::write(data.join("notes.txt"), "").unwrap();
        let jobs = plan(std::slice::from_ref(&data), Path::new("out")).unwrap();
        let outs: Vec<_> = jobs.iter().map(|j| j.output.clone()).collect();
        assert_eq!(
            outs,
            vec![
                PathBuf::from("out/a.docx"),
                PathBuf::from("out/школа/2021/b.docx")
            ]
        );
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.docx");
        write_atomically(&target, b"old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
