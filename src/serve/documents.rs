//! The documents the editor may open: the `.toml` files inside the folders
//! given to `gostdoc serve`, named by their path inside their folder.
//!
//! A name comes from the browser, so it is checked before it touches the
//! disk: relative, without `..`, no hidden part, ending in `.toml`, and,
//! once links are resolved, still inside its folder. A request that fails
//! any of these is refused with a message and reads or writes nothing.

use super::http::ApiError;
use crate::build;
use crate::diagnostic::system::reason;
use std::path::{Component, Path, PathBuf};

/// A folder of documents.
#[derive(Debug, Clone)]
pub(crate) struct Folder {
    /// As the user gave it (`data`): documents are shown under it.
    pub(crate) shown: PathBuf,
    /// Its canonical path, which every document must stay inside.
    canonical: PathBuf,
}

/// A document in the list.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    /// Index of its folder.
    pub(crate) folder: usize,
    /// Its path inside the folder, `/`-separated.
    pub(crate) name: String,
}

/// The folders of a server: each path given, a file standing for its folder.
pub(crate) fn folders(paths: &[PathBuf]) -> Result<Vec<Folder>, String> {
    let mut folders: Vec<Folder> = Vec::new();
    for path in paths {
        let folder = if path.is_file() {
            match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        } else {
            path.clone()
        };
        let canonical = std::fs::canonicalize(&folder).map_err(|_| {
            format!(
                "папка «{}» не найдена: укажите папку с документами (по умолчанию data/)",
                folder.display()
            )
        })?;
        if !canonical.is_dir() {
            return Err(format!("«{}» — не папка", folder.display()));
        }
        if !folders.iter().any(|f| f.canonical == canonical) {
            folders.push(Folder {
                shown: folder,
                canonical,
            });
        }
    }
    Ok(folders)
}

/// Every document in the folders, as `gostdoc check` finds them
/// (recursively, `profiles/` and `templates/` left out), sorted.
pub(crate) fn list(folders: &[Folder]) -> Vec<Listed> {
    let mut listed = Vec::new();
    for (index, folder) in folders.iter().enumerate() {
        let plan = build::plan(std::slice::from_ref(&folder.shown), Path::new("output"));
        for job in plan.jobs {
            let Ok(rel) = job.input.strip_prefix(&folder.shown) else {
                continue;
            };
            let name: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            listed.push(Listed {
                folder: index,
                name: name.join("/"),
            });
        }
    }
    listed
}

/// The largest document the editor opens or saves: what `build` reads.
pub(crate) const DOCUMENT_LIMIT: u64 = 16 << 20;

/// Whether the document must already exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Existing {
    /// Open, check, save: the file is there.
    Required,
    /// Create: the file must not be there yet.
    Forbidden,
    /// Save: there, or deleted since it was opened (the save says so).
    Any,
}

/// The path of document `name` in folder `folder`, once the name is known
/// to stay inside it. The path is the folder as given joined with the name,
/// so messages show `data/протокол.toml` as `check` does.
pub(crate) fn resolve(
    folders: &[Folder],
    folder: usize,
    name: &str,
    existing: Existing,
) -> Result<PathBuf, ApiError> {
    let Some(root) = folders.get(folder) else {
        return Err(ApiError::bad_request(format!(
            "папки с номером {folder} нет: откройте список документов заново"
        )));
    };
    check_name(name)?;
    let path = root.shown.join(name);
    match std::fs::symlink_metadata(&path) {
        Ok(_) if existing == Existing::Forbidden => {
            return Err(ApiError::conflict(format!(
                "документ «{name}» уже есть: выберите другое имя"
            )));
        }
        Ok(_) => {
            let canonical = std::fs::canonicalize(&path).map_err(|_| {
                ApiError::not_found(format!(
                    "документ «{name}» не открывается: ссылка ведёт в никуда"
                ))
            })?;
            if !canonical.starts_with(&root.canonical) {
                return Err(outside(name, root));
            }
            let meta = std::fs::metadata(&canonical)
                .map_err(|e| ApiError::not_found(format!("документ «{name}»: {}", reason(&e))))?;
            if !meta.is_file() {
                return Err(ApiError::bad_request(format!(
                    "«{name}» — не файл документа"
                )));
            }
            if meta.len() > DOCUMENT_LIMIT {
                return Err(ApiError::too_large(format!(
                    "документ «{name}» больше 16 МБ: редактор его не открывает"
                )));
            }
        }
        Err(_) if existing == Existing::Required => {
            return Err(ApiError::not_found(format!(
                "документ «{name}» не найден в папке «{}»: возможно, его удалили или переименовали",
                root.shown.display()
            )));
        }
        Err(_) => {
            // A new file: its folder must exist and lie inside the root.
            let parent = path.parent().unwrap_or(&root.shown);
            let canonical = std::fs::canonicalize(parent).map_err(|_| {
                ApiError::bad_request(format!(
                    "папки для «{name}» нет: создайте документ прямо в папке «{}»",
                    root.shown.display()
                ))
            })?;
            if !canonical.starts_with(&root.canonical) {
                return Err(outside(name, root));
            }
        }
    }
    Ok(path)
}

fn outside(name: &str, root: &Folder) -> ApiError {
    ApiError::forbidden(format!(
        "документ «{name}» ведёт за пределы папки «{}» (это ссылка): редактор открывает только документы в ней",
        root.shown.display()
    ))
}

/// Refuses a name that could leave the folder or is not a document.
fn check_name(name: &str) -> Result<(), ApiError> {
    let refuse = |why: &str| {
        Err(ApiError::bad_request(format!(
            "имя документа «{name}» {why}"
        )))
    };
    if name.is_empty() {
        return Err(ApiError::bad_request("не указано имя документа"));
    }
    if name.len() > 1000 || name.chars().any(char::is_control) {
        return refuse("недопустимо: слишком длинное или со служебными символами");
    }
    // Both separators, whatever the system: a name written on Windows
    // must be refused here too.
    if name.starts_with(['/', '\\']) || name.contains(':') || Path::new(name).is_absolute() {
        return refuse("не должно быть полным путём: укажите имя файла в папке документов");
    }
    for part in name.split(['/', '\\']) {
        if part == ".." {
            return refuse(
                "не должно содержать «..»: документы открываются только из папки документов",
            );
        }
        if part.is_empty() || part == "." || part.starts_with('.') {
            return refuse("недопустимо: части пути не могут быть пустыми или начинаться с точки");
        }
    }
    if Path::new(name)
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return refuse("недопустимо");
    }
    if !name.to_lowercase().ends_with(".toml") || name.len() == ".toml".len() {
        return refuse("должно оканчиваться на .toml");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        for bad in [
            "../x.toml",
            "a/../../x.toml",
            "/etc/passwd.toml",
            "\\x.toml",
            "C:x.toml",
            ".hidden.toml",
            "a//b.toml",
            "x.txt",
            ".toml",
            "",
        ] {
            assert!(check_name(bad).is_err(), "{bad} accepted");
        }
        for good in ["протокол.toml", "школа/приказ-112.toml", "A.TOML"] {
            assert!(check_name(good).is_ok(), "{good} refused");
        }
    }
}
