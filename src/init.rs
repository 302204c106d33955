//! `gostdoc init [DIR]`: a ready folder to start from. A protocol and a
//! постановление in `data/` that share an organisation profile, the
//! editor schemas beside them, an empty `templates/` that says how to
//! override a template, and a README in Russian. The documents build with
//! no warning (`tests/init.rs`).
//!
//! The folder must be new or empty: nothing the user has is ever
//! overwritten, and a refusal changes nothing.

use crate::diagnostic::system::reason;
use crate::schema::{self, Target};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The files of a new folder: path relative to it, content. The schemas
/// are added by [`files`], generated from the model.
const FIXED: &[(&str, &str)] = &[
    ("README.md", include_str!("starters/init/README.md")),
    (
        "data/protokol.toml",
        include_str!("starters/init/protocol.toml"),
    ),
    (
        "data/postanovlenie.toml",
        include_str!("starters/init/resolution.toml"),
    ),
    (
        "data/profiles/organizaciya.toml",
        include_str!("starters/init/profile.toml"),
    ),
    (
        "templates/README.md",
        include_str!("starters/init/templates_README.md"),
    ),
];

/// Every file `init` writes: relative path and content.
pub fn files() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = FIXED
        .iter()
        .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
        .collect();
    for target in [Target::Document, Target::Profile] {
        out.push((format!("data/{}", target.file_name()), schema::text(target)));
    }
    out
}

/// Creates the folder's files in `dir`. `Err` is a Russian message; when
/// `dir` is not empty nothing is written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, String> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(format!(
                    "{}: папка не пуста, ничего не создаю; укажите новую или пустую папку: gostdoc init ПАПКА",
                    dir.display()
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(format!(
                "{}: не удалось открыть папку: {}",
                dir.display(),
                reason(&e)
            ));
        }
    }
    let mut written = Vec::new();
    for (relative, text) in files() {
        let path = dir.join(&relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                format!(
                    "{}: не удалось создать папку: {}",
                    parent.display(),
                    reason(&e)
                )
            })?;
        }
        crate::build::write_atomically(&path, text.as_bytes()).map_err(|e| {
            format!(
                "{}: не удалось записать файл: {}",
                path.display(),
                reason(&e)
            )
        })?;
        written.push(path);
    }
    Ok(written)
}

/// `gostdoc init [DIR]`: creates the folder and says what to do next.
pub fn command(dir: &Path) -> ExitCode {
    match init(dir) {
        Ok(written) => {
            for path in &written {
                println!("  {}", path.display());
            }
            let go = if dir == Path::new(".") {
                String::new()
            } else {
                format!("cd {} && ", dir.display())
            };
            println!(
                "готово: заполните профиль data/profiles/organizaciya.toml и документы в data/, затем {go}gostdoc build"
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
