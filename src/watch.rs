//! `gostdoc watch`: rebuild on save.
//!
//! The watcher only decides *when* to build; *what* to build is the
//! incremental build's business ([`build::run`] and its manifest). So a
//! template or a profile that changed rebuilds exactly the documents that
//! use it, a file saved unchanged rebuilds nothing, and a bad save leaves
//! the last good output in place, as in any build.
//!
//! Events come through a debouncer (notify-debouncer-full), which also
//! folds an editor's «write a new file, rename it over the old one» into
//! one change. Events under the output folder, and on hidden or temporary
//! files, are ignored, so gostdoc never reacts to its own writes.

use crate::build::{self, BuildOptions, Report};
use notify::RecursiveMode;
use notify::event::{EventKind, ModifyKind};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// How long the files must be quiet before a build starts.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Why watching could not start or go on.
#[derive(Debug)]
pub struct WatchError(pub String);

impl std::fmt::Display for WatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WatchError {}

/// Builds once, then again after every change, forever. `on_build` gets
/// each build's report (to print it).
pub fn watch(options: &BuildOptions, mut on_build: impl FnMut(&Report)) -> Result<(), WatchError> {
    // A mistyped path would be watched for ever with nothing to build.
    let missing: Vec<String> = options
        .inputs
        .iter()
        .filter(|p| !p.exists())
        .map(|p| format!("«{}»", p.display()))
        .collect();
    if !missing.is_empty() {
        return Err(WatchError(format!(
            "не найдено: {}; проверьте имя папки или файла (наблюдать можно только за существующими)",
            missing.join(", ")
        )));
    }
    on_build(&build::run(options));

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)
        .map_err(|e| WatchError(format!("не удалось начать наблюдение за файлами: {e}")))?;
    let output_dir = absolute(&options.output_dir);
    let mut watched = BTreeSet::new();
    let watch_more = |debouncer: &mut notify_debouncer_full::Debouncer<_, _>,
                      watched: &mut BTreeSet<PathBuf>| {
        for (path, mode) in roots(options) {
            let key = absolute(&path);
            if watched.contains(&key) {
                continue;
            }
            if debouncer.watch(&path, mode).is_ok() {
                watched.insert(key);
            }
        }
    };
    watch_more(&mut debouncer, &mut watched);
    if watched.is_empty() {
        return Err(WatchError(
            "нечего наблюдать: ни одного из указанных файлов и папок нет".into(),
        ));
    }

    for result in rx {
        let Ok(events) = result else {
            continue;
        };
        let relevant = events
            .iter()
            .filter(|e| changes_content(&e.kind))
            .flat_map(|e| &e.paths)
            .any(|p| is_source_change(p, &output_dir));
        if relevant {
            on_build(&build::run(options));
            // A document may have gained a profile or a picture elsewhere.
            watch_more(&mut debouncer, &mut watched);
        }
    }
    Ok(())
}

/// What to watch: the inputs (folders recursively), the template folder,
/// and the folders of every file the documents were built from (a
/// profile or a coat of arms outside the data folder).
fn roots(options: &BuildOptions) -> Vec<(PathBuf, RecursiveMode)> {
    let mut roots: Vec<(PathBuf, RecursiveMode)> = Vec::new();
    for input in &options.inputs {
        if input.is_dir() {
            roots.push((input.clone(), RecursiveMode::Recursive));
        } else {
            // The folder, not the file: an editor that renames a new file
            // over the old one would leave a watch on a deleted file.
            let dir = input.parent().filter(|p| !p.as_os_str().is_empty());
            roots.push((
                dir.unwrap_or(Path::new(".")).to_path_buf(),
                RecursiveMode::NonRecursive,
            ));
        }
    }
    if let Some(dir) = build::templates_dir(options) {
        roots.push((dir, RecursiveMode::NonRecursive));
    }
    let manifest = build::manifest::Manifest::load(&options.output_dir);
    for entry in manifest.documents.values() {
        for dep in &entry.deps {
            if let Some(path) = dep.path()
                && let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty())
            {
                roots.push((dir.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
    }
    roots.sort();
    roots.dedup();
    roots
}

/// True for events that can change a file's contents: creating, writing,
/// renaming, deleting. Not reading: the build itself reads every input,
/// and reacting to that would rebuild forever. Not metadata (times,
/// permissions) either.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// True for a change that may matter: not in the output folder, not a
/// hidden file (our temporary files, the manifest, editors' swap files),
/// not an editor's backup (`~`).
fn is_source_change(path: &Path, output_dir: &Path) -> bool {
    if absolute(path).starts_with(output_dir) {
        return false;
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    !(name.starts_with('.') || name.ends_with('~'))
}

/// An absolute path without resolving links (the output folder may not
/// exist yet).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, MetadataKind};
        assert!(!changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!changes_content(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(changes_content(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn own_outputs_and_temporary_files_are_not_changes() {
        let out = absolute(Path::new("output"));
        assert!(!is_source_change(Path::new("output/a.pdf"), &out));
        assert!(!is_source_change(Path::new("data/.a.docx.123.tmp"), &out));
        assert!(!is_source_change(Path::new("data/a.toml~"), &out));
        assert!(is_source_change(Path::new("data/a.toml"), &out));
        assert!(is_source_change(Path::new("templates/protocol.xml"), &out));
    }
}
