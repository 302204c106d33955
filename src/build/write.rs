//! Writing output files: atomically, so that nothing is ever half-written.

use crate::diagnostic::system::write_hint;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes a file so that it is never seen half-written: into a temporary
/// file in the same folder, then renamed over the target. A rename is
/// atomic, so a crash, Ctrl-C or kill leaves the old file or the new one.
/// The data is not forced to disk (fsync) first: that would only guard
/// against a power cut, and it costs about 8 ms a file, more than
/// rendering the document; ext4 and XFS flush a file that replaces another
/// by rename before the rename itself reaches the disk.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_together(&[(path, bytes)]).map_err(|(_, e)| e)
}

/// What to do when a document's files could not be replaced: the
/// reason's own advice ([`write_hint`]), or what usually stands in the
/// way (the file open in Word or a PDF viewer, a full disk, the rights).
pub fn replace_advice(e: &std::io::Error) -> &'static str {
    write_hint(e).unwrap_or(
        "закройте файл, если он открыт в Word или в программе просмотра PDF, проверьте место на диске и права на папку",
    )
}

/// Writes several files (one document's DOCX and PDF) so that they are
/// replaced together or not at all: every temporary file is written first,
/// and only when all are complete are they renamed over the targets. A
/// full disk or a read-only folder thus fails before any target changes,
/// and the document keeps its previous outputs side by side. On failure,
/// the path that failed and why.
pub fn write_together(files: &[(&Path, &[u8])]) -> Result<(), (PathBuf, std::io::Error)> {
    let mut temporaries: Vec<PathBuf> = Vec::with_capacity(files.len());
    let cleanup = |temporaries: &[PathBuf]| {
        for tmp in temporaries {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (path, bytes) in files {
        let tmp = temporary_name(path);
        let written = (|| {
            make_folder(tmp.parent().unwrap_or(Path::new(".")))?;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)
        })();
        temporaries.push(tmp);
        if let Err(e) = written {
            cleanup(&temporaries);
            return Err((path.to_path_buf(), e));
        }
    }
    // A folder where a file should go would fail its rename after the
    // others succeeded: refused before any of them.
    if let Some((path, _)) = files.iter().find(|(path, _)| path.is_dir()) {
        cleanup(&temporaries);
        return Err((
            path.to_path_buf(),
            std::io::Error::other("на месте файла лежит папка с тем же именем"),
        ));
    }
    for (i, ((path, _), tmp)) in files.iter().zip(&temporaries).enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            // Renames in one folder need no space; this is a file locked
            // by another program (Windows) or a target that is a folder.
            cleanup(&temporaries[i..]);
            return Err((path.to_path_buf(), e));
        }
    }
    Ok(())
}

/// Makes the folder `dir` and those above it. A file standing where one
/// of them should be (`-o` naming a file) is named, where the system only
/// says that something exists, is no folder (Linux) or is not found
/// (Windows).
fn make_folder(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        if !matches!(
            e.kind(),
            std::io::ErrorKind::AlreadyExists
                | std::io::ErrorKind::NotADirectory
                | std::io::ErrorKind::NotFound
        ) {
            return e;
        }
        match dir.ancestors().find(|a| a.is_file()) {
            Some(file) => std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                format!("«{}» — файл, а на его месте нужна папка", file.display()),
            ),
            None => e,
        }
    })
}

/// Temporary files of this process, numbered so that no two writes share
/// one, whatever their targets.
static NEXT_TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// Bytes of the target's name kept in the temporary name, so a person can
/// tell whose it is; the whole stays far below the usual 255-byte limit on
/// a name, which 122 Cyrillic letters already reach.
const NAME_PREFIX_BYTES: usize = 48;

/// `.NAME.PID-N.tmp` in the target's folder: hidden, unique per write,
/// and naming the process so a later build can remove it if that process
/// was killed.
fn temporary_name(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let mut end = name.len().min(NAME_PREFIX_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let n = NEXT_TEMPORARY.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{}.{}-{n}.tmp", &name[..end], std::process::id()))
}

/// Deletes temporary files that a killed gostdoc left in a folder
/// (`.NAME.PID-N.tmp` of a process that no longer runs). They are hidden
/// and never read, but they should not pile up.
pub fn remove_orphaned_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
            continue;
        };
        // `PID-N` (or `PID` from older versions) after the last dot.
        let Some(pid) = stem
            .rsplit('.')
            .next()
            .and_then(|p| p.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        // A process that still runs may be writing it (Linux: /proc/PID).
        let running = pid == std::process::id()
            || (Path::new("/proc/self").exists()
                && Path::new("/proc").join(pid.to_string()).exists());
        if !running {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

#[cfg(test)]
mod together_tests {
    use super::*;

    #[test]
    fn temporary_names_are_unique_and_short() {
        let long = "п".repeat(122) + ".docx";
        let a = temporary_name(Path::new(&long));
        let b = temporary_name(Path::new(&long));
        assert_ne!(a, b);
        assert!(a.file_name().unwrap().len() < 100, "{a:?}");
    }

    #[test]
    fn a_failed_write_leaves_every_target_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("a.docx");
        write_atomically(&docx, b"old").unwrap();
        // The PDF's target folder cannot be created: a file stands there.
        std::fs::write(dir.path().join("blocked"), b"").unwrap();
        let pdf = dir.path().join("blocked/a.pdf");
        let e = write_together(&[(&docx, b"new"), (&pdf, b"new")]).unwrap_err();
        assert_eq!(e.0, pdf);
        assert_eq!(std::fs::read(&docx).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
