//! Which documents a build covers, and where each one's outputs go.

use super::{Job, NOT_DOCUMENTS};
use crate::diagnostic::system::reason;
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The documents of a build, and the inputs that cannot be built, each
/// with why.
#[derive(Debug, Default)]
pub struct Plan {
    /// Documents to build, sorted.
    pub jobs: Vec<Job>,
    /// Inputs refused before anything is written: not found, not a regular
    /// file, or giving the same output file as another input.
    pub rejected: Vec<(PathBuf, Diagnostics)>,
}

/// Finds the documents among the inputs: `X.toml` → `DIR/X.docx`, a folder
/// searched recursively, sub-folders kept, `profiles/` and `templates/`
/// skipped. Names starting with `.` or `_` are not documents
/// (the control file `_контроль.toml` is one), and a control file given by
/// name is refused. Sorted, so builds and messages come in a stable order.
///
/// Each document is built once however many ways it is reached (a folder
/// and a file in it, a symbolic link to a folder); a link that leads back
/// to a folder already searched is not followed again, so a loop ends.
/// Two documents that would write the same file are both refused, naming
/// each other: one would silently replace the other.
pub fn plan(inputs: &[PathBuf], output_dir: &Path) -> Plan {
    let mut found = Found::default();
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(meta) if meta.is_dir() => {
                let mut files = Vec::new();
                let mut visited = HashSet::new();
                let canonical = std::fs::canonicalize(input).ok();
                if let Some(canonical) = &canonical {
                    visited.insert(canonical.clone());
                }
                walk(
                    (input, output_dir),
                    canonical.as_deref(),
                    &mut visited,
                    &mut files,
                    &mut found.rejected,
                );
                // Found in order (each folder's entries sorted, searched
                // depth first), each path made by joining a name to its
                // folder's: no sorting, no path taken apart again.
                for Walked {
                    input,
                    canonical,
                    output,
                } in files
                {
                    match canonical {
                        Some(canonical) => found.add_canonical(input, canonical, output),
                        None => found.add(input, output),
                    }
                }
            }
            Ok(meta) if meta.is_file() && crate::control::is_control_file(input) => {
                found.rejected.push((
                    input.clone(),
                    Diagnostic::error(
                        input,
                        "это файл контроля исполнения, а не документ: он не собирается",
                    )
                    .with_hint("его отметки учитывает gostdoc assignments; проверяет его gostdoc check с папкой документов")
                    .into(),
                ));
            }
            Ok(meta) if meta.is_file() => {
                let name = input.file_name().map(PathBuf::from).unwrap_or_default();
                found.add(input.clone(), output_dir.join(name.with_extension("docx")));
            }
            Ok(_) => found.rejected.push(not_a_regular_file(input)),
            Err(e) => found.rejected.push((
                input.clone(),
                Diagnostic::error(input, unreadable(&e, "файл или папка не найдены"))
                    .with_hint("проверьте путь; без аргументов собирается папка data/")
                    .into(),
            )),
        }
    }
    found.into_plan()
}

/// Documents found so far, each once.
#[derive(Default)]
struct Found {
    jobs: Vec<Job>,
    /// Canonical input paths already taken, as bytes: hashing a `Path`
    /// walks its components, and was a fifth of the search.
    seen: rustc_hash::FxHashSet<Vec<u8>>,
    rejected: Vec<(PathBuf, Diagnostics)>,
}

impl Found {
    fn add(&mut self, input: PathBuf, output: PathBuf) {
        let canonical = std::fs::canonicalize(&input).unwrap_or_else(|_| input.clone());
        self.add_canonical(input, canonical, output);
    }

    /// [`Found::add`] of a file whose canonical path is known.
    fn add_canonical(&mut self, input: PathBuf, canonical: PathBuf, output: PathBuf) {
        if self
            .seen
            .insert(canonical.into_os_string().into_encoded_bytes())
        {
            self.jobs.push(Job { input, output });
        }
    }

    /// Refuses every document whose output another one also writes. Names
    /// are compared without case: on Windows and macOS `Т.docx` and
    /// `т.docx` are one file.
    fn into_plan(mut self) -> Plan {
        let mut by_output: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        for (i, job) in self.jobs.iter().enumerate() {
            by_output
                .entry(super::manifest::text_of(&job.output).to_lowercase())
                .or_default()
                .push(i);
        }
        let mut refused = vec![false; self.jobs.len()];
        for group in by_output.values().filter(|g| g.len() > 1) {
            let names: Vec<String> = group
                .iter()
                .map(|&i| format!("«{}»", self.jobs[i].input.display()))
                .collect();
            for &i in group {
                refused[i] = true;
                let job = &self.jobs[i];
                self.rejected.push((
                    job.input.clone(),
                    Diagnostic::error(
                        &job.input,
                        format!(
                            "документы {} дают один и тот же файл «{}»: ни один из них не собран, чтобы один не затёр другой",
                            names.join(" и "),
                            job.output.display()
                        ),
                    )
                    .with_hint("переименуйте один из файлов или соберите их по отдельности в разные папки (-o)")
                    .into(),
                ));
            }
        }
        let mut jobs: Vec<Job> = self
            .jobs
            .into_iter()
            .zip(refused)
            .filter(|(_, r)| !r)
            .map(|(j, _)| j)
            .collect();
        if !jobs.is_sorted_by(|a, b| a.output <= b.output) {
            jobs.sort_by(|a, b| a.output.cmp(&b.output));
        }
        self.rejected.sort_by(|a, b| a.0.cmp(&b.0));
        Plan {
            jobs,
            rejected: self.rejected,
        }
    }
}

fn not_a_regular_file(path: &Path) -> (PathBuf, Diagnostics) {
    (
        path.to_path_buf(),
        Diagnostic::error(
            path,
            "это не обычный файл (именованный канал или устройство): такой файл не читается",
        )
        .with_hint("документ должен быть обычным файлом .toml")
        .into(),
    )
}

/// The words for a path that cannot be read: «not found» in the caller's
/// words, the system's other refusals (a loop of symbolic links, say) in
/// [`reason`]'s.
fn unreadable(e: &std::io::Error, not_found: &str) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => not_found.into(),
        std::io::ErrorKind::PermissionDenied => "нет прав на чтение".into(),
        _ => reason(e),
    }
}

/// A document found by [`walk`].
struct Walked {
    input: PathBuf,
    /// Its canonical path, when known without asking the system.
    canonical: Option<PathBuf>,
    /// Its DOCX.
    output: PathBuf,
}

/// Whether the search passes over a folder entry named `name`: hidden
/// (`.git`) or gostdoc's own (`_номера.toml`, `_контроль.toml`). Read
/// from the name's bytes, so that a name that is not UTF-8 is judged as
/// any other.
fn passed_over(name: &std::ffi::OsStr) -> bool {
    matches!(name.as_encoded_bytes().first(), Some(b'.' | b'_'))
}

/// Whether a file named `name` is a document: a `.toml` file the search
/// does not pass over. Read from the name's bytes (a name not starting
/// with `.` that ends with `.toml` has the extension `toml`), without
/// taking a path apart: most of a build with nothing to do was that.
pub(crate) fn is_document_name(name: &std::ffi::OsStr) -> bool {
    !passed_over(name) && name.as_encoded_bytes().ends_with(b".toml")
}

/// Searches `dir` (whose canonical path is `canonical`, when known) for
/// documents, each with its output in `out_dir`, sub-folders kept: each
/// with its canonical path when it is known without asking the system
/// (an entry that is not a symbolic link, in a folder whose canonical path
/// is known: resolving every file's path was most of the search).
fn walk(
    (dir, out_dir): (&Path, &Path),
    canonical: Option<&Path>,
    visited: &mut HashSet<PathBuf>,
    out: &mut Vec<Walked>,
    rejected: &mut Vec<(PathBuf, Diagnostics)>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            rejected.push((
                dir.to_path_buf(),
                Diagnostic::error(
                    dir,
                    format!(
                        "не удалось прочитать папку: {}",
                        unreadable(&e, "папка не найдена")
                    ),
                )
                .into(),
            ));
            return;
        }
    };
    let mut found: Vec<(std::ffi::OsString, Option<std::fs::FileType>)> = entries
        .flatten()
        .map(|e| (e.file_name(), e.file_type().ok()))
        .collect();
    // One folder: comparing the names is comparing the paths, and cheaper.
    found.sort_by(|a, b| a.0.cmp(&b.0));
    for (file_name, file_type) in found {
        if passed_over(&file_name) {
            continue;
        }
        let name = file_name.to_str().unwrap_or_default();
        let path = joined(dir, &file_name, "");
        let is_toml = is_document_name(&file_name);
        // Neither a link nor in a folder of unknown place: what the entry
        // says of itself is what the system would, and its canonical path
        // is its folder's with its name.
        let plain = file_type.filter(|t| !t.is_symlink()).and_then(|t| {
            let canonical = joined(canonical?, &file_name, "");
            Some((t.is_dir(), t.is_file(), canonical))
        });
        // Followed through symbolic links: a linked folder or document is
        // the user's choice; a loop shows here as an error.
        let (is_dir, is_file, known) = match plain {
            Some((is_dir, is_file, canonical)) => (is_dir, is_file, Some(canonical)),
            None => match std::fs::metadata(&path) {
                Ok(meta) => (meta.is_dir(), meta.is_file(), None),
                Err(e) => {
                    if is_toml || path.is_symlink() {
                        rejected.push((
                            path.clone(),
                            Diagnostic::error(
                                &path,
                                unreadable(&e, "ссылка ведёт на файл, которого нет"),
                            )
                            .into(),
                        ));
                    }
                    continue;
                }
            },
        };
        if is_dir {
            if NOT_DOCUMENTS.contains(&name) {
                continue;
            }
            // A folder reached again (a link to a parent, or two links to
            // one folder) is searched once.
            let canonical = known
                .unwrap_or_else(|| std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone()));
            if visited.insert(canonical.clone()) {
                let out_sub = joined(out_dir, &file_name, "");
                walk((&path, &out_sub), Some(&canonical), visited, out, rejected);
            }
        } else if is_toml {
            if is_file {
                let output = match name.strip_suffix(".toml") {
                    // The name is UTF-8 (all but the rarest): its stem with
                    // `.docx`, as `set_extension` would make it.
                    Some(stem) if !stem.is_empty() => {
                        let mut output =
                            PathBuf::with_capacity(out_dir.as_os_str().len() + stem.len() + 7);
                        output.push(out_dir);
                        output.push(stem);
                        output.as_mut_os_string().push(".docx");
                        output
                    }
                    _ => {
                        let mut output = joined(out_dir, &file_name, "docx");
                        output.set_extension("docx");
                        output
                    }
                };
                out.push(Walked {
                    input: path,
                    canonical: known,
                    output,
                });
            } else {
                rejected.push(not_a_regular_file(&path));
            }
        }
    }
}

/// `dir.join(name)`, its room taken at once: `join` copies the folder's
/// path and then grows it, and the paths of a thousand documents made
/// that way were a seventh of a build with nothing to do. `extra` is
/// room for an extension to be set.
fn joined(dir: &Path, name: &std::ffi::OsStr, extra: &str) -> PathBuf {
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + name.len() + extra.len() + 2);
    path.push(dir);
    path.push(name);
    path
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

    /// What the search and the numbering count as a document's file name.
    #[test]
    fn document_names_are_toml_files_neither_hidden_nor_our_own() {
        use std::ffi::OsStr;
        for name in ["протокол.toml", "a.b.toml", "x.toml"] {
            assert!(is_document_name(OsStr::new(name)), "{name}");
        }
        for name in [
            "_номера.toml",
            "_контроль.toml",
            ".toml",
            ".скрытый.toml",
            "протокол.docx",
            "протокол.toml~",
            "toml",
        ] {
            assert!(!is_document_name(OsStr::new(name)), "{name}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            // Not UTF-8: judged by its bytes all the same.
            assert!(is_document_name(OsStr::from_bytes(b"\xff\xfe.toml")));
            assert!(!is_document_name(OsStr::from_bytes(b".\xff.toml")));
            assert!(passed_over(OsStr::from_bytes(b"_\xff")));
        }
    }

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
        let jobs = plan(std::slice::from_ref(&data), Path::new("out")).jobs;
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
