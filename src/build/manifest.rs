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
//!
//! Reading every input to hash it was most of a build with nothing to do,
//! so the manifest also keeps each file's [`Stamp`]: its size, times and
//! inode with its hash (git's index, in small). A file whose stamp is
//! unchanged is not read again; any other is read and hashed, so a file
//! touched but not changed still rebuilds nothing. The change time is in
//! the stamp because no program can set it back: a file rewritten with
//! the same size and its old modification time restored still differs.
//! A stamp is trusted only when the file's times were well before the
//! moment it was taken: a file changed within the same tick of the file
//! system's clock right after it was hashed would otherwise keep a stale
//! stamp.

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
    /// Every file the documents depend on (its path as text: compared as
    /// bytes, much faster than paths) → how it looked when hashed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, Stamp>,
}

/// How a file looked when it was hashed: while all of it is the same, its
/// contents are taken to be too. Written as an array, not an object: a
/// build with nothing to do reads a thousand of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StampRow", into = "StampRow")]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since 1970.
    pub modified: i128,
    /// Status change time (Unix `ctime`), nanoseconds since 1970; 0 where
    /// the system has none.
    pub changed: i128,
    /// Device (with the inode: a file replaced by another one differs);
    /// 0 where the system has none.
    pub device: u64,
    /// Inode; 0 where the system has none.
    pub inode: u64,
    /// XXH3-128 of the contents (in hex in the file).
    pub hash: u128,
    /// The contents hold `"auto"` (a number for the folder's numbering to
    /// assign), so that the numbering pass need not read the file either.
    pub auto: bool,
}

/// A [`Stamp`] as the manifest writes it.
type StampRow = (u64, i128, i128, u64, u64, String, bool);

impl From<Stamp> for StampRow {
    fn from(s: Stamp) -> StampRow {
        (
            s.size,
            s.modified,
            s.changed,
            s.device,
            s.inode,
            format!("{:032x}", s.hash),
            s.auto,
        )
    }
}

impl TryFrom<StampRow> for Stamp {
    type Error = std::num::ParseIntError;

    fn try_from(
        (size, modified, changed, device, inode, hash, auto): StampRow,
    ) -> Result<Stamp, Self::Error> {
        Ok(Stamp {
            size,
            modified,
            changed,
            device,
            inode,
            hash: u128::from_str_radix(&hash, 16)?,
            auto,
        })
    }
}

/// How long before its stamp is taken a file must have been last changed
/// for the stamp to be trusted: well above the tick of any file system's
/// clock (FAT's is two seconds).
const SETTLED: std::time::Duration = std::time::Duration::from_secs(3);

/// Nanoseconds since 1970 of a time (negative before).
fn nanos(t: std::io::Result<std::time::SystemTime>) -> i128 {
    match t {
        Ok(t) => match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        },
        Err(_) => 0,
    }
}

/// A file's metadata as a stamp, with no hash yet.
fn stamp_of(meta: &std::fs::Metadata) -> Stamp {
    #[cfg(unix)]
    let (changed, device, inode) = {
        use std::os::unix::fs::MetadataExt;
        (
            i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            meta.dev(),
            meta.ino(),
        )
    };
    #[cfg(not(unix))]
    let (changed, device, inode) = (0, 0, 0);
    Stamp {
        size: meta.len(),
        modified: nanos(meta.modified()),
        changed,
        device,
        inode,
        hash: 0,
        auto: false,
    }
}

impl Stamp {
    /// The same file as `other` by its metadata (the hash aside).
    fn same_file(&self, other: &Stamp) -> bool {
        (
            self.size,
            self.modified,
            self.changed,
            self.device,
            self.inode,
        ) == (
            other.size,
            other.modified,
            other.changed,
            other.device,
            other.inode,
        )
    }
}

/// True when `bytes` hold `"auto"` or `'auto'`: a document that may ask
/// for a number ([`crate::numbering`]).
pub fn mentions_auto(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"\"auto\"").is_some()
        || memchr::memmem::find(bytes, b"'auto'").is_some()
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
        #[derive(Serialize)]
        struct Written<'a> {
            format: u32,
            documents: &'a BTreeMap<String, Entry>,
            #[serde(skip_serializing_if = "BTreeMap::is_empty")]
            files: &'a BTreeMap<String, Stamp>,
        }
        let mut out = serde_json::to_vec(&Written {
            format: FORMAT,
            documents: &self.documents,
            files: &self.files,
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
/// hundred documents share it (a profile), and not at all when its
/// [`Stamp`] in the last manifest still holds. Shared between threads.
pub struct Hasher<'a> {
    setup: u128,
    templates: &'a Templates,
    /// The stamps of the last manifest.
    known: &'a BTreeMap<String, Stamp>,
    /// When this build began: stamps of files changed after
    /// `started - SETTLED` are not trusted next time.
    started: std::time::SystemTime,
    files: Mutex<HashMap<PathBuf, Option<Seen>>>,
    /// Some file looked at had no stamp, or not the one it had.
    stale: std::sync::atomic::AtomicBool,
}

/// A file as this build found it.
#[derive(Clone, Copy)]
struct Seen {
    hash: u128,
    auto: bool,
    /// Its stamp, when it may be trusted next time.
    stamp: Option<Stamp>,
}

impl<'a> Hasher<'a> {
    /// `setup` stands for everything outside the files: gostdoc's version
    /// and the options (formats, fonts); `known`, the stamps of the last
    /// manifest.
    pub fn new(setup: u128, templates: &'a Templates, known: &'a BTreeMap<String, Stamp>) -> Self {
        Hasher {
            setup,
            templates,
            known,
            started: std::time::SystemTime::now(),
            files: Mutex::new(HashMap::new()),
            stale: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The key of a set of dependencies as they are now; `None` when a
    /// file cannot be read (the build will then report why).
    pub fn key(&self, deps: &[Dep]) -> Option<String> {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&self.setup.to_le_bytes());
        for dep in deps {
            let (kind, name, hash) = match dep {
                Dep::File(path) => (0u8, path.to_string_lossy(), self.file(path)?.hash),
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

    /// Whether the file at `path` mentions `"auto"`: read only when its
    /// stamp in the last manifest no longer holds (and then hashed once
    /// for the whole build). `None` when it cannot be read.
    pub fn file_mentions_auto(&self, path: &Path) -> Option<bool> {
        self.file(path).map(|seen| seen.auto)
    }

    /// The stamps of the files this build hashed or found unchanged, with
    /// those of `previous` for files it did not look at, for the files
    /// `deps` lists (the manifest's next `files`).
    pub fn stamps<'d>(
        &self,
        deps: impl Iterator<Item = &'d Dep>,
        previous: &BTreeMap<String, Stamp>,
    ) -> BTreeMap<String, Stamp> {
        let Ok(seen) = self.files.lock() else {
            return BTreeMap::new();
        };
        let mut out = BTreeMap::new();
        for dep in deps {
            let Dep::File(path) = dep else { continue };
            let key = path.to_string_lossy();
            if out.contains_key(key.as_ref()) {
                continue;
            }
            let stamp = match seen.get(path) {
                Some(Some(found)) => found.stamp,
                Some(None) => None,
                None => previous.get(key.as_ref()).copied(),
            };
            if let Some(stamp) = stamp {
                out.insert(key.into_owned(), stamp);
            }
        }
        out
    }

    /// True when every file this build looked at was as its stamp in the
    /// last manifest says: with no document built, the next manifest's
    /// stamps are then the last ones, and need not be gathered again.
    pub fn every_stamp_held(&self) -> bool {
        !self.stale.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn file(&self, path: &Path) -> Option<Seen> {
        if let Some(known) = self.files.lock().ok()?.get(path) {
            return *known;
        }
        let seen = self.look(path);
        self.files.lock().ok()?.insert(path.to_path_buf(), seen);
        seen
    }

    /// The file's hash: its stamp's when the stamp still holds, else its
    /// contents'.
    fn look(&self, path: &Path) -> Option<Seen> {
        // Taken before the read: a change during the read changes the
        // times, and the next build reads the file again.
        let before = std::fs::metadata(path).ok().filter(|m| m.is_file());
        let mut stamp = before.as_ref().map(stamp_of);
        if let (Some(now), Some(known)) = (&stamp, self.known.get(path.to_string_lossy().as_ref()))
            && now.same_file(known)
        {
            return Some(Seen {
                hash: known.hash,
                auto: known.auto,
                stamp: Some(*known),
            });
        }
        self.stale.store(true, std::sync::atomic::Ordering::Relaxed);
        let bytes = crate::input::read_recorded(path).ok()?;
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        let auto = mentions_auto(&bytes);
        let settled = self
            .started
            .checked_sub(SETTLED)
            .map(|t| nanos(Ok(t)))
            .unwrap_or(i128::MIN);
        stamp = stamp.filter(|s| s.modified < settled && s.changed < settled);
        Some(Seen {
            hash,
            auto,
            stamp: stamp.map(|s| Stamp { hash, auto, ..s }),
        })
    }
}
