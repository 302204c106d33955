//! Work a build of a few documents starts ahead, on a core that would
//! otherwise wait: parsing the built-in templates of its documents' kinds
//! (a tenth of a one-document process) while the first thread reads the
//! data and the profile.
//!
//! Which kinds those are is guessed from the `kind = "…"` line of each
//! file, without parsing it: a wrong guess only parses a template for
//! nothing, and a missed one leaves the parse to the render, as without
//! this. The kind the document is built as is always the model's.

use std::io::Read;
use std::path::PathBuf;

use crate::model::DocKind;

/// True for an input file that does not make a long document
/// ([`crate::format::LONG_DOCUMENT_BYTES`]): for a long one, a
/// millisecond is nothing, and a second heap and its pads add to its peak.
fn is_short(file: &std::path::Path) -> bool {
    file.metadata()
        .is_ok_and(|m| m.len() < crate::format::LONG_DOCUMENT_BYTES)
}

/// Starts the parse ahead at the very start of a build, before its setup
/// (the templates, the search for documents, the last build's manifest,
/// a quarter of a millisecond for one document), when the build surely
/// renders what it was given: forced, or with no manifest yet. The
/// documents are those named on the command line and the TOML files at
/// the top of a folder named, each short, fewer than the threads a build
/// may use; and no templates folder replaces the built-in ones. True
/// when started: the build then does not start it again, as it would
/// once it knows which documents it renders (a guess missed here, a
/// document in a subfolder, is parsed when it renders, as without a
/// parse ahead). The parse goes to the thread standing by since the
/// process started ([`crate::threads::stand_by`]), awake on the other
/// core: seed 000's templates were ready 0.35 ms sooner than when parsed
/// on a thread started after the setup.
pub(super) fn start_early(options: &super::BuildOptions) -> bool {
    // `-j`, which the build sets as its limit only after its setup.
    let allowed = super::jobs_used(options.jobs)
        .unwrap_or(usize::MAX)
        .min(crate::threads::threads_allowed());
    if allowed < 2 {
        // One thread only: no job will come for the thread standing by.
        crate::threads::dismiss_standby();
        return false;
    }
    let no_manifest = [super::manifest::FILE_NAME, super::manifest::JSON_FILE_NAME]
        .iter()
        .all(|name| !options.output_dir.join(name).exists());
    let renders_all = options.force || no_manifest;
    if !renders_all || super::plan::templates_dir(options).is_some() {
        return false;
    }
    let mut files = Vec::new();
    for input in &options.inputs {
        if input.is_dir() {
            let Ok(entries) = std::fs::read_dir(input) else {
                return false;
            };
            for entry in entries.flatten() {
                if super::plan::is_document_name(&entry.file_name())
                    && entry.file_type().is_ok_and(|t| t.is_file())
                {
                    files.push(entry.path());
                }
                if files.len() >= allowed {
                    return false;
                }
            }
        } else {
            files.push(input.clone());
        }
    }
    if !few_short(&files, allowed) {
        return false;
    }
    crate::memory::few_documents_ahead();
    crate::template::parse_built_in_ahead(move || kinds_of(&files));
    true
}

/// True for some documents, fewer than the `allowed` threads, none of
/// them long: a second thread works beside the first for them.
pub(super) fn few_short(files: &[PathBuf], allowed: usize) -> bool {
    (1..allowed).contains(&files.len()) && files.iter().all(|file| is_short(file))
}

/// Bytes of a file looked at for its kind: `kind` comes first in every
/// starter, after a few lines of comments.
const LOOK_AT: u64 = 16 << 10;

/// The template keys (`protocol`) of the kinds the files name, each once,
/// in the files' order.
pub(super) fn kinds_of(files: &[PathBuf]) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    for file in files {
        let mut head = Vec::new();
        let read = std::fs::File::open(file).and_then(|f| f.take(LOOK_AT).read_to_end(&mut head));
        if read.is_err() {
            continue;
        }
        let text = String::from_utf8_lossy(&head);
        if let Some(kind) = kind_named(&text)
            && !kinds.contains(&kind)
        {
            kinds.push(kind);
        }
    }
    kinds
}

/// The template key of the kind a TOML text names in a top-level
/// `kind = "…"` (before its first table), in any spelling the model
/// accepts; `None` when there is no such line or the kind is unknown.
fn kind_named(text: &str) -> Option<&'static str> {
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            return None;
        }
        let Some(rest) = line.strip_prefix("kind") else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let name = value[1..].split(quote).next()?;
        return DocKind::from_name(name).map(DocKind::template);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Early only for a build that surely renders a few short documents
    /// on more than one thread: `-j 1` keeps it to one.
    #[test]
    fn the_parse_starts_early_only_for_a_forced_build_of_a_few_documents() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        std::fs::write(&file, "kind = \"protocol\"\n").unwrap();
        let mut options = super::super::BuildOptions::new(vec![file], dir.path().join("out"));
        options.force = true;
        options.jobs = Some(1);
        assert!(!start_early(&options), "-j 1");
        if crate::threads::threads_allowed() > 1 {
            options.jobs = None;
            assert!(start_early(&options));
            options.jobs = Some(2);
            assert!(start_early(&options));
        }
        // Not forced, with a manifest: the build decides once it has read it.
        options.jobs = None;
        options.force = false;
        std::fs::create_dir(dir.path().join("out")).unwrap();
        std::fs::write(
            dir.path()
                .join("out")
                .join(super::super::manifest::FILE_NAME),
            b"",
        )
        .unwrap();
        assert!(!start_early(&options));
    }

    #[test]
    fn the_kind_line_names_the_template_in_any_accepted_spelling() {
        let text = "# Протокол\n\nkind = \"protocol\"\nprofile = \"p.toml\"\n";
        assert_eq!(kind_named(text), Some("protocol"));
        assert_eq!(kind_named("kind='prikaz'"), Some("prikaz"));
        assert_eq!(
            kind_named("kind = \"постановление\" # вид"),
            Some(DocKind::Postanovlenie.template())
        );
    }

    #[test]
    fn no_guess_without_a_top_level_kind_line() {
        assert_eq!(
            kind_named("title = \"x\"\n[options]\nkind = \"protocol\""),
            None
        );
        assert_eq!(kind_named("kind = \"протокол совещания?\""), None);
        assert_eq!(kind_named("kinds = 1\n"), None);
        assert_eq!(kind_named("kind = protocol"), None);
        assert_eq!(kind_named(""), None);
    }
}
