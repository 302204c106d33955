//! Tera templates: one per document kind, built into the binary and
//! overridable by a file of the same name in a `templates/` folder.
//!
//! Templates are named `*.xml`, so Tera escapes every value they print:
//! user text can never become markup, and since Tera never re-renders its
//! output, never template code either.

use crate::view::View;
use std::path::{Path, PathBuf};

/// The built-in templates, by name.
/// `components.xml` comes first: the others use its components.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "components.xml",
        include_str!("../templates/components.xml"),
    ),
    ("protocol.xml", include_str!("../templates/protocol.xml")),
    (
        "resolution.xml",
        include_str!("../templates/resolution.xml"),
    ),
];

/// A template failed to load or to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// Where the template came from: «встроенный шаблон protocol.xml» or a path.
    pub origin: String,
    /// Tera's message with its code frame, and our explanation.
    pub message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ошибка в шаблоне {}: {}", self.origin, self.message)
    }
}

impl std::error::Error for TemplateError {}

/// The set of templates used by a build: the built-ins, with any overrides.
pub struct Templates {
    tera: tera::Tera,
    /// Template name → file it was read from, for overridden ones.
    overrides: Vec<(String, PathBuf)>,
    /// Template name → XXH3 of its source, for incremental builds.
    hashes: Vec<(String, u128)>,
}

impl Templates {
    /// Built-in templates, overridden by same-named files in `dir` if given.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut tera = tera::Tera::new();
        crate::filters::register(&mut tera);
        let mut overrides = Vec::new();
        let mut hashes = Vec::new();
        for (name, builtin) in BUILTIN {
            let (content, origin) = match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(path) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| TemplateError {
                        origin: path.display().to_string(),
                        message: format!("не удалось прочитать файл: {e}"),
                    })?;
                    overrides.push((name.to_string(), path.clone()));
                    (text, path.display().to_string())
                }
                None => (builtin.to_string(), format!("встроенный шаблон {name}")),
            };
            hashes.push((
                name.to_string(),
                xxhash_rust::xxh3::xxh3_128(content.as_bytes()),
            ));
            tera.add_raw_template(name, &content)
                .map_err(|e| TemplateError {
                    origin,
                    message: tera_message(&e),
                })?;
        }
        Ok(Templates {
            tera,
            overrides,
            hashes,
        })
    }

    /// The templates a document kind is rendered with: its own and the
    /// shared components it imports.
    pub fn used_by(kind: &str) -> [String; 2] {
        ["components.xml".to_string(), format!("{kind}.xml")]
    }

    /// XXH3 of a template's source as loaded (built-in or overridden).
    pub fn source_hash(&self, name: &str) -> Option<u128> {
        self.hashes.iter().find(|(n, _)| n == name).map(|(_, h)| *h)
    }

    /// Where a template came from, for messages.
    pub fn origin(&self, name: &str) -> String {
        match self.overrides.iter().find(|(n, _)| n == name) {
            Some((_, path)) => path.display().to_string(),
            None => format!("встроенный шаблон {name}"),
        }
    }

    /// Files the templates were read from (for fingerprints).
    pub fn override_files(&self) -> impl Iterator<Item = &Path> {
        self.overrides.iter().map(|(_, p)| p.as_path())
    }

    /// Renders the template of the view's document kind into markup.
    pub fn render(&self, view: &View) -> Result<String, TemplateError> {
        let name = format!("{}.xml", view.kind);
        let context = tera::Context::from_serialize(view).map_err(|e| TemplateError {
            origin: self.origin(&name),
            message: tera_message(&e),
        })?;
        self.tera
            .render(&name, &context)
            .map_err(|e| TemplateError {
                origin: self.origin(&name),
                message: tera_message(&e),
            })
    }
}

/// Tera's message with its whole cause chain (Tera 2 puts the code frame
/// with file, line and column in the chain).
fn tera_message(e: &tera::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str("\n  ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
