//! The pictures a document's markup names (the coat of arms): read
//! relative to the document's folder, only from the user's folders, and
//! decoded before layout, so that `check` refuses what the build would (an
//! SVG, a damaged PNG).
//!
//! A picture that fails is the user's, not the template's: when the model
//! knows the line that named it
//! ([`crate::model::Organization::emblem_named_at`]), the
//! error is said there, with the field, rather than at the template line
//! that draws it, which a secretary never wrote.

use crate::diagnostic::Diagnostic;
use crate::input::{self, Access, FileKind};
use crate::pdf;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// The pictures of one document's markup, read as the markup asks.
pub(crate) struct Pictures<'a> {
    base: PathBuf,
    access: &'a Access,
    /// Every picture asked for: each is a dependency of the document.
    asked: RefCell<Vec<PathBuf>>,
    /// The first picture that could not be read or decoded.
    failed: RefCell<Option<Failed>>,
}

/// A picture that could not be read or decoded.
struct Failed {
    /// As the markup names it.
    name: String,
    /// Why, in Russian, naming the file.
    message: String,
    /// What to do.
    hint: &'static str,
    /// Not found or not readable (else: read, but no picture gostdoc draws).
    unreadable: bool,
}

impl<'a> Pictures<'a> {
    /// The pictures of the document `input`.
    pub(crate) fn of(input: &Path, access: &'a Access) -> Pictures<'a> {
        Pictures {
            base: input.parent().unwrap_or(Path::new(".")).to_path_buf(),
            access,
            asked: RefCell::new(Vec::new()),
            failed: RefCell::new(None),
        }
    }

    /// The bytes of the picture `name`, checked to decode; the markup
    /// reader's way to files.
    pub(crate) fn read(&self, name: &str) -> std::io::Result<Vec<u8>> {
        let path = self.base.join(name);
        self.asked.borrow_mut().push(path.clone());
        let checked = match input::read(&path, FileKind::Image, self.access) {
            Err(e) => Err((e.message, e.hint, true)),
            Ok(bytes) => match pdf::check_image(&bytes) {
                Ok(()) => Ok(bytes),
                Err(why) => Err((why, "замените файл изображения", false)),
            },
        };
        checked.map_err(|(message, hint, unreadable)| {
            let error = std::io::Error::other(message.clone());
            self.failed.borrow_mut().get_or_insert(Failed {
                name: name.to_string(),
                message,
                hint,
                unreadable,
            });
            error
        })
    }

    /// What to do about the picture that failed, if one did.
    pub(crate) fn hint(&self) -> Option<&'static str> {
        self.failed.borrow().as_ref().map(|f| f.hint)
    }

    /// The error for the picture that failed, at the line that named it
    /// when it is `emblem` (its name, and where the document or its
    /// profile wrote it: [`crate::model::Organization::emblem_named_at`]); `None` when
    /// none failed or it is another picture (a user's template's).
    pub(crate) fn error_where_named(
        &self,
        emblem: Option<(&str, &Diagnostic)>,
        input: &Path,
    ) -> Option<Diagnostic> {
        let failed = self.failed.borrow();
        let failed = failed.as_ref()?;
        let (name, named_at) = emblem?;
        if name != failed.name {
            return None;
        }
        let mut at = named_at.clone();
        at.message = failed.message.clone();
        // A profile's path is relative to the profile, which input's
        // advice (relative to the document) would not say.
        let hint = if failed.unreadable && at.file != input {
            "проверьте путь: в профиле он пишется относительно файла профиля"
        } else {
            failed.hint
        };
        Some(at.with_hint(hint))
    }

    /// Every picture asked for.
    pub(crate) fn asked(self) -> Vec<PathBuf> {
        self.asked.into_inner()
    }
}
