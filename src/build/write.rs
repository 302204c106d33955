//! Writing output files: atomically, so that nothing is ever half-written.

use std::io::Write;
use std::path::Path;

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

/// Deletes temporary files that a killed gostdoc left in a folder
/// (`.NAME.PID.tmp` of a process that no longer runs). They are hidden
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
        let Some(pid) = stem.rsplit('.').next().and_then(|p| p.parse::<u32>().ok()) else {
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
