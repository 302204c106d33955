//! The build manifest: what each output was built from, so that a rebuild
//! redoes only documents whose inputs changed (cargo's fingerprints, in
//! small).
//!
//! It lives in the output folder as `.gostdoc-manifest.json`. For each
//! input file it keeps the files the document read (itself, its profile,
//! its pictures), the templates it used, a key hashing all of them with
//! the setup (gostdoc's version and the build options), and the outputs
//! with their sizes. A document is up to date when the key computed from
//! the files as they are now equals the stored key and every output is
//! still there with its size. Hashes are XXH3 (128 bits) of the contents,
//! not modification times: a file saved unchanged rebuilds nothing, and a
//! copied folder is not rebuilt.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::template::Templates;

/// The manifest's file name in the output folder.
pub const FILE_NAME: &str = ".gostdoc-manifest.json";

/// Bumped when the manifest's meaning changes: an old one is then ignored.
/// 2: outputs carry the hash of their bytes, which `--prune` checks.
const FORMAT: u32 = 2;

/// What every output was built from.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest format version (`FORMAT`); another version is ignored.
    pub format: u32,
    /// Input file (as found by the build) → its entry.
    pub documents: BTreeMap<String, Entry>,
}

/// One input document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// XXH3 of the setup and of every dependency's contents, in hex; empty
    /// after a failed build, so that the document is always retried.
    pub key: String,
    /// What the document was built from.
    pub deps: Vec<Dep>,
    /// The files written, with their sizes.
    pub outputs: Vec<Output>,
}

/// Something a document depends on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dep {
    /// A file read: the document, its profile, a picture.
    File(PathBuf),
    /// A template by name, built-in or overridden.
    Template(String),
}

/// A file written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// Where.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// XXH3-128 of its bytes, in hex: `--prune` deletes only a file that
    /// is still exactly what gostdoc wrote.
    pub hash: String,
}

impl Output {
    /// The record of bytes written to `path`.
    pub fn new(path: PathBuf, bytes: &[u8]) -> Self {
        Output {
            path,
            size: bytes.len() as u64,
            hash: content_hash(bytes),
        }
    }

    /// True when this output may be deleted by `--prune`: it lies inside
    /// the output folder (checked on the real path, so a symbolic link or
    /// `..` cannot lead out), it is a regular file and not a link, and its
    /// bytes are still the ones gostdoc wrote. The manifest is a file
    /// anyone can edit; without these checks, an edited one could make
    /// `--prune` delete an input document or a file elsewhere.
    pub fn safe_to_delete(&self, output_dir: &Path) -> bool {
        let Ok(relative) = self.path.strip_prefix(output_dir) else {
            return false;
        };
        if !crate::input::is_plain_relative(relative) {
            return false;
        }
        let (Ok(root), Some(Ok(parent))) = (
            std::fs::canonicalize(output_dir),
            self.path.parent().map(std::fs::canonicalize),
        ) else {
            return false;
        };
        if !parent.starts_with(&root) {
            return false;
        }
        let Ok(meta) = std::fs::symlink_metadata(&self.path) else {
            return false;
        };
        meta.is_file()
            && meta.len() == self.size
            && std::fs::read(&self.path).is_ok_and(|bytes| content_hash(&bytes) == self.hash)
    }
}

/// The hash recorded for an output's bytes.
fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

impl Manifest {
    /// The manifest of an output folder; an empty one when there is none
    /// or it cannot be read (everything is then rebuilt, nothing is lost).
    pub fn load(output_dir: &Path) -> Manifest {
        std::fs::read(output_dir.join(FILE_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
            .filter(|m| m.format == FORMAT)
            .unwrap_or_default()
    }

    /// The manifest as bytes, ready to be written atomically.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(&Manifest {
            format: FORMAT,
            documents: self.documents.clone(),
        })
        .unwrap_or_default();
        out.push(b'\n');
        out
    }
}

impl Entry {
    /// True when every output is still there with the size it was written with.
    pub fn outputs_intact(&self) -> bool {
        !self.outputs.is_empty()
            && self
                .outputs
                .iter()
                .all(|o| std::fs::metadata(&o.path).is_ok_and(|m| m.is_file() && m.len() == o.size))
    }
}

/// Hashes of dependencies, each file read once per build even when a
/// hundred documents share it (a profile). Shared between threads.
pub struct Hasher<'a> {
    setup: u128,
    templates: &'a Templates,
    files: Mutex<HashMap<PathBuf, Option<u128>>>,
}

impl<'a> Hasher<'a> {
    /// `setup` stands for everything outside the files: gostdoc's version
    /// and the options (formats, fonts).
    pub fn new(setup: u128, templates: &'a Templates) -> Self {
        Hasher {
            setup,
            templates,
            files: Mutex::new(HashMap::new()),
        }
    }

    /// The key of a set of dependencies as they are now; `None` when a
    /// file cannot be read (the build will then report why).
    pub fn key(&self, deps: &[Dep]) -> Option<String> {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&self.setup.to_le_bytes());
        for dep in deps {
            let (kind, name, hash) = match dep {
                Dep::File(path) => (0u8, path.to_string_lossy(), self.file(path)?),
                Dep::Template(name) => {
                    (1u8, name.as_str().into(), self.templates.source_hash(name)?)
                }
            };
            h.update(&[kind]);
            h.update(name.as_bytes());
            h.update(&hash.to_le_bytes());
        }
        Some(format!("{:032x}", h.digest128()))
    }

    fn file(&self, path: &Path) -> Option<u128> {
        if let Some(known) = self.files.lock().ok()?.get(path) {
            return *known;
        }
        let hash = crate::input::read_recorded(path)
            .ok()
            .map(|bytes| xxhash_rust::xxh3::xxh3_128(&bytes));
        self.files.lock().ok()?.insert(path.to_path_buf(), hash);
        hash
    }
}
