//! Which documents a build covers, and where each one's outputs go.

use super::{Job, NOT_DOCUMENTS};
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};

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
pub fn templates_dir(options: &super::BuildOptions) -> Option<PathBuf> {
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
}
