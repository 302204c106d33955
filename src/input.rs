//! Reading the user's files safely: regular files only, of a bounded size,
//! and, for what a document names (a profile, a picture, a template), only
//! from the folders the user works in.
//!
//! A document is text someone may have sent us. Without these rules a
//! profile path such as `/etc/shadow` or `../../секреты.toml`, or a
//! symbolic link to one, would put that file's content into the output; a
//! named pipe called `x.toml` or `/dev/zero` would hang the build or eat
//! the memory.

use crate::diagnostic::system::reason;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// What a file is to gostdoc: it decides the size limit and the words of
/// a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A document's TOML file, given on the command line or found in a folder.
    Document,
    /// A profile (`profile = "…"`): the organisation shared by documents.
    Profile,
    /// A picture named by a template (a coat of arms).
    Image,
    /// A template override.
    Template,
}

impl FileKind {
    /// The largest file accepted. A roadmap of 7000 rows (1000 pages) is
    /// about 4 MB of TOML, one of 5000 pages 21.6 MB; a coat of arms a few
    /// hundred KB.
    pub fn limit(self) -> u64 {
        match self {
            FileKind::Document => 32 << 20,
            FileKind::Profile | FileKind::Template => 1 << 20,
            FileKind::Image => 20 << 20,
        }
    }

    /// The ending of a short adjective agreeing with [`FileKind::noun`]:
    /// «файл … не найден», «изображение … не найдено».
    fn agree(self) -> &'static str {
        match self {
            FileKind::Image => "о",
            _ => "",
        }
    }

    /// The Russian name of such a file, for messages.
    fn noun(self) -> &'static str {
        match self {
            FileKind::Document => "файл документа",
            FileKind::Profile => "файл профиля",
            FileKind::Image => "изображение",
            FileKind::Template => "шаблон",
        }
    }
}

/// The folders files named by documents may be read from.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// Canonical folders; a file inside any of them may be read.
    roots: Vec<PathBuf>,
}

impl Access {
    /// Allows the given folders (and everything under them). Folders that
    /// do not exist are left out: nothing can be read from them anyway.
    pub fn new(folders: impl IntoIterator<Item = PathBuf>) -> Self {
        let mut roots: Vec<PathBuf> = folders
            .into_iter()
            .filter_map(|f| std::fs::canonicalize(f).ok())
            .filter(|f| f.is_dir())
            .collect();
        roots.sort();
        roots.dedup();
        Access { roots }
    }

    /// The folders a build may read from: every input's folder tree (a
    /// folder given, or the folder of a file given), the current folder,
    /// where the user runs gostdoc (unless it is the file system's root),
    /// and the folders the user allowed explicitly.
    pub fn for_inputs(inputs: &[PathBuf], allowed: &[PathBuf]) -> Self {
        let mut folders: Vec<PathBuf> = inputs.iter().map(|i| input_tree(i)).collect();
        if let Ok(cwd) = std::env::current_dir()
            && cwd.parent().is_some()
        {
            folders.push(cwd);
        }
        folders.extend(allowed.iter().cloned());
        Access::new(folders)
    }

    /// The folders one document alone may read from (its folder tree and
    /// the current folder), for the library's single-file entry points.
    pub fn for_document(document: &Path) -> Self {
        Access::for_inputs(&[document.to_path_buf()], &[])
    }

    /// True when a canonical path lies inside an allowed folder.
    fn allows(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|root| canonical.starts_with(root))
    }

    /// The allowed folders, for a message.
    fn describe(&self) -> String {
        self.roots
            .iter()
            .map(|r| format!("«{}»", r.display()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The folder tree an input stands for: a folder itself, a file's folder.
fn input_tree(input: &Path) -> PathBuf {
    if input.is_dir() {
        input.to_path_buf()
    } else {
        match input.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }
}

/// Why a file was not read, in words a secretary can act on.
#[derive(Debug)]
pub struct ReadError {
    /// What is wrong, in Russian.
    pub message: String,
    /// What to do about it, in Russian.
    pub hint: &'static str,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReadError {}

/// Reads a whole file of the given kind. Documents are read wherever they
/// are (the user named them); anything else only inside `access`.
pub fn read(path: &Path, kind: FileKind, access: &Access) -> Result<Vec<u8>, ReadError> {
    read_checked(path, kind, (kind != FileKind::Document).then_some(access))
}

/// Reads a file the build itself recorded (a dependency listed in the
/// manifest) to hash it: anywhere, but still only a regular file of at
/// most the largest size any input may have. The manifest is a file
/// anyone can edit; it must not make the build read `/dev/zero`.
pub fn read_recorded(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_checked(path, FileKind::Image, None)
}

fn read_checked(
    path: &Path,
    kind: FileKind,
    access: Option<&Access>,
) -> Result<Vec<u8>, ReadError> {
    let noun = kind.noun();
    let shown = path.display();
    let canonical = std::fs::canonicalize(path).map_err(|e| ReadError {
        message: if is_symlink_loop(&e) {
            format!("{noun} «{shown}»: символические ссылки образуют цикл")
        } else {
            format!("{noun} «{shown}» не найден{}", kind.agree())
        },
        hint: "проверьте путь: он пишется относительно файла документа",
    })?;
    if let Some(access) = access
        && !access.allows(&canonical)
    {
        return Err(ReadError {
            message: format!(
                "{noun} «{shown}» лежит вне папок документов ({}), gostdoc его не читает",
                access.describe()
            ),
            hint: "положите файл в папку с документами или разрешите его папку: gostdoc build --allow-outside ПАПКА",
        });
    }
    let meta = std::fs::metadata(&canonical).map_err(|e| io_error(kind, path, &e))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "это папка, а не файл"
        } else {
            "это не обычный файл (канал или устройство)"
        };
        return Err(ReadError {
            message: format!("{noun} «{shown}»: {what}"),
            hint: "укажите обычный файл",
        });
    }
    let limit = kind.limit();
    let too_large = || ReadError {
        message: format!(
            "{noun} «{shown}» слишком велик{}: больше {} МБ",
            kind.agree(),
            limit >> 20
        ),
        hint: "проверьте, тот ли это файл; такой большой файл не бывает документом",
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    if kind == FileKind::Document && meta.len() >= crate::format::LONG_DOCUMENT_BYTES {
        crate::memory::long_document_ahead();
    }
    let file = open_without_blocking(&canonical).map_err(|e| io_error(kind, path, &e))?;
    // The size may change between the check and the read (a growing file,
    // a file swapped for a device): never read more than the limit.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(kind, path, &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// True when a path could not be resolved because its symbolic links
/// lead back to themselves (`ELOOP`; the standard library has no stable
/// kind for it).
fn is_symlink_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Opens a file for reading; on Unix without waiting for a writer, so a
/// named pipe swapped in after the check cannot hang the build.
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("это не обычный файл"));
    }
    Ok(file)
}

fn io_error(kind: FileKind, path: &Path, e: &std::io::Error) -> ReadError {
    let noun = kind.noun();
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => format!("не найден{}", kind.agree()),
        std::io::ErrorKind::PermissionDenied => "нет прав на чтение".to_string(),
        _ => format!("не удалось прочитать: {}", reason(e)),
    };
    ReadError {
        message: format!("{noun} «{}»: {why}", path.display()),
        hint: "проверьте файл и права на него",
    }
}

/// True when a relative path stays where it starts: no `..`, no root, no
/// drive. Used for paths read from a file gostdoc does not trust (the
/// manifest).
pub fn is_plain_relative(path: &Path) -> bool {
    path.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.toml"), "secret").unwrap();
        std::fs::write(data.join("org.toml"), "ok").unwrap();
        (dir, data, outside)
    }

    #[test]
    fn reads_inside_and_refuses_outside_by_dots_absolute_and_symlink() {
        let (_dir, data, outside) = setup();
        let access = Access::new([data.clone()]);
        assert_eq!(
            read(&data.join("org.toml"), FileKind::Profile, &access).unwrap(),
            b"ok"
        );
        for path in [
            data.join("../outside/secret.toml"),
            outside.join("secret.toml"),
        ] {
            let e = read(&path, FileKind::Profile, &access).unwrap_err();
            assert!(e.message.contains("лежит вне папок документов"), "{e}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.join("secret.toml"), data.join("link.toml"))
                .unwrap();
            let e = read(&data.join("link.toml"), FileKind::Profile, &access).unwrap_err();
            assert!(e.message.contains("лежит вне папок документов"), "{e}");
        }
        // Allowed explicitly, it is read.
        let access = Access::new([data, outside.clone()]);
        assert!(read(&outside.join("secret.toml"), FileKind::Profile, &access).is_ok());
    }

    #[test]
    fn refuses_folders_oversized_files_and_loops() {
        let (_dir, data, _) = setup();
        let access = Access::new([data.clone()]);
        let e = read(&data, FileKind::Profile, &access).unwrap_err();
        assert!(e.message.ends_with("это папка, а не файл"), "{e}");
        let big = data.join("big.toml");
        std::fs::write(&big, vec![b'a'; (1 << 20) + 1]).unwrap();
        let e = read(&big, FileKind::Profile, &access).unwrap_err();
        assert!(e.message.contains("слишком велик: больше 1 МБ"), "{e}");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(data.join("b"), data.join("a")).unwrap();
            std::os::unix::fs::symlink(data.join("a"), data.join("b")).unwrap();
            let e = read(&data.join("a"), FileKind::Profile, &access).unwrap_err();
            assert!(e.message.contains("образуют цикл"), "{e}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_named_pipe_without_waiting_for_a_writer() {
        let (_dir, data, _) = setup();
        let fifo = data.join("x.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads a NUL-terminated path and creates a file.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let e = read(&fifo, FileKind::Document, &Access::default()).unwrap_err();
        assert!(e.message.contains("не обычный файл"), "{e}");
    }

    #[test]
    fn plain_relative_paths() {
        assert!(is_plain_relative(Path::new("a/b.docx")));
        assert!(!is_plain_relative(Path::new("../b.docx")));
        assert!(!is_plain_relative(Path::new("/etc/passwd")));
    }
}
