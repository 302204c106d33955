//! The build manifest: what each output was built from, so that a rebuild
//! redoes only documents whose inputs changed (cargo's fingerprints, in
//! small).
//!
//! It lives in the output folder as `.gostdoc-manifest`. For each
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
//!
//! The file is binary ([postcard], after a magic line and the format
//! number), and its strings are read in place, not copied: parsing the
//! JSON it used to be was most of the instructions of a build with
//! nothing to do (17.9 M of a 1000 documents' manifest, against 4 M). Only
//! gostdoc reads it; a manifest of the JSON days
//! (`.gostdoc-manifest.json`) is still read, and replaced by the next
//! manifest written.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use crate::template::Templates;

/// The manifest's file name in the output folder.
pub const FILE_NAME: &str = ".gostdoc-manifest";

/// The manifest's name when it was JSON (format 2): read when there is
/// no [`FILE_NAME`], deleted when one is written.
pub const JSON_FILE_NAME: &str = ".gostdoc-manifest.json";

/// The first bytes of the file: what it is, for a person who opens it,
/// and so that no other file is taken for a manifest.
const MAGIC: &[u8] = b"gostdoc build manifest\n";

/// Bumped when the manifest's meaning changes: an old one is then ignored.
/// 2: outputs carry the hash of their bytes, which `--prune` checks.
/// 3: binary (postcard), hashes as numbers.
const FORMAT: u32 = 3;

/// What every output was built from. Its strings borrow from the bytes
/// it was read from ([`Manifest::parse`]) or own what a build added.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest<'a> {
    /// Input file (as found by the build) → its entry.
    #[serde(borrow, deserialize_with = "sorted_map")]
    pub documents: BTreeMap<Cow<'a, str>, Entry<'a>>,
    /// Every file the documents depend on (its path as text: compared as
    /// bytes, much faster than paths) → how it looked when hashed.
    #[serde(borrow, deserialize_with = "sorted_map")]
    pub files: BTreeMap<Cow<'a, str>, Stamp>,
}

/// A map read as the list of pairs it is written as (postcard writes a
/// map and a list of pairs alike), then built at once: the keys come
/// sorted, and inserting them one by one cost a search each.
fn sorted_map<'de, D, V>(d: D) -> Result<BTreeMap<Cow<'de, str>, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    #[derive(Deserialize)]
    struct Pair<'a, V>(#[serde(borrow)] Cow<'a, str>, V);
    let pairs = Vec::<Pair<'de, V>>::deserialize(d)?;
    Ok(pairs.into_iter().map(|Pair(k, v)| (k, v)).collect())
}

/// How a file looked when it was hashed: while all of it is the same, its
/// contents are taken to be too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// XXH3-128 of the contents.
    pub hash: u128,
    /// The contents hold `"auto"` (a number for the folder's numbering to
    /// assign), so that the numbering pass need not read the file either.
    pub auto: bool,
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

/// A path as the manifest writes it: its text, with any bytes that are
/// not UTF-8 replaced. Checked with `to_str` first, whose test of plain
/// ASCII is many times quicker than the lossy conversion's.
pub fn text_of(path: &Path) -> Cow<'_, str> {
    match path.to_str() {
        Some(text) => Cow::Borrowed(text),
        None => path.to_string_lossy(),
    }
}

/// One input document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry<'a> {
    /// XXH3 of the setup and of every dependency's contents; none after a
    /// failed build, so that the document is always retried.
    pub key: Option<u128>,
    /// What the document was built from.
    #[serde(borrow)]
    pub deps: Vec<Dep<'a>>,
    /// The files written, with their sizes.
    #[serde(borrow)]
    pub outputs: Vec<Output<'a>>,
}

/// Something a document depends on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Dep<'a> {
    /// A file read: the document, its profile, a picture (its path as
    /// text, as the manifest keeps it).
    File(#[serde(borrow)] Cow<'a, str>),
    /// A template by name, built-in or overridden.
    Template(#[serde(borrow)] Cow<'a, str>),
}

impl Dep<'_> {
    /// A file read.
    pub fn file(path: &Path) -> Dep<'static> {
        Dep::File(path.to_string_lossy().into_owned().into())
    }

    /// A template used.
    pub fn template(name: String) -> Dep<'static> {
        Dep::Template(name.into())
    }

    /// The file's path, for a file.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Dep::File(path) => Some(Path::new(path.as_ref())),
            Dep::Template(_) => None,
        }
    }

    /// The same, owning its text.
    pub fn into_owned(self) -> Dep<'static> {
        match self {
            Dep::File(p) => Dep::File(p.into_owned().into()),
            Dep::Template(t) => Dep::Template(t.into_owned().into()),
        }
    }
}

/// A file written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output<'a> {
    /// Where.
    #[serde(borrow)]
    pub path: Cow<'a, str>,
    /// Its size in bytes.
    pub size: u64,
    /// XXH3-128 of its bytes: `--prune` deletes only a file that is still
    /// exactly what gostdoc wrote.
    pub hash: u128,
}

impl Output<'_> {
    /// The record of bytes written to `path`.
    pub fn new(path: &Path, bytes: &[u8]) -> Output<'static> {
        Output {
            path: path.to_string_lossy().into_owned().into(),
            size: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
        }
    }

    /// Where, as a path.
    pub fn path(&self) -> &Path {
        Path::new(self.path.as_ref())
    }

    /// True when this output may be deleted by `--prune`: it lies inside
    /// the output folder (checked on the real path, so a symbolic link or
    /// `..` cannot lead out), it is a regular file and not a link, and its
    /// bytes are still the ones gostdoc wrote. The manifest is a file
    /// anyone can edit; without these checks, an edited one could make
    /// `--prune` delete an input document or a file elsewhere.
    pub fn safe_to_delete(&self, output_dir: &Path) -> bool {
        let path = self.path();
        let Ok(relative) = path.strip_prefix(output_dir) else {
            return false;
        };
        if !crate::input::is_plain_relative(relative) {
            return false;
        }
        let (Ok(root), Some(Ok(parent))) = (
            std::fs::canonicalize(output_dir),
            path.parent().map(std::fs::canonicalize),
        ) else {
            return false;
        };
        if !parent.starts_with(&root) {
            return false;
        }
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return false;
        };
        meta.is_file()
            && meta.len() == self.size
            && std::fs::read(path)
                .is_ok_and(|bytes| xxhash_rust::xxh3::xxh3_128(&bytes) == self.hash)
    }

    /// The same, owning its text.
    pub fn into_owned(self) -> Output<'static> {
        Output {
            path: self.path.into_owned().into(),
            ..self
        }
    }
}

impl<'a> Manifest<'a> {
    /// The bytes of the manifest of an output folder: the binary one, or
    /// else one of the JSON days (see [`Manifest::parse`]); none when
    /// there is neither.
    pub fn read(output_dir: &Path) -> Option<Vec<u8>> {
        std::fs::read(output_dir.join(FILE_NAME))
            .or_else(|_| std::fs::read(output_dir.join(JSON_FILE_NAME)))
            .ok()
    }

    /// The manifest in `bytes`, borrowing its strings from them; an empty
    /// one when they are no manifest of this format (everything is then
    /// rebuilt, nothing is lost).
    pub fn parse(bytes: &'a [u8]) -> Manifest<'a> {
        if let Some(body) = bytes.strip_prefix(MAGIC) {
            return body
                .split_first_chunk::<4>()
                .filter(|(format, _)| u32::from_le_bytes(**format) == FORMAT)
                .and_then(|(_, body)| postcard::from_bytes(body).ok())
                .unwrap_or_default();
        }
        json::parse(bytes).unwrap_or_default()
    }

    /// The manifest of an output folder, owning its strings; an empty one
    /// when there is none or it cannot be read.
    pub fn load(output_dir: &Path) -> Manifest<'static> {
        Manifest::read(output_dir)
            .map(|bytes| Manifest::parse(&bytes).into_owned())
            .unwrap_or_default()
    }

    /// The same, owning its text.
    pub fn into_owned(self) -> Manifest<'static> {
        Manifest {
            documents: self
                .documents
                .into_iter()
                .map(|(name, entry)| (Cow::Owned(name.into_owned()), entry.into_owned()))
                .collect(),
            files: self
                .files
                .into_iter()
                .map(|(name, stamp)| (Cow::Owned(name.into_owned()), stamp))
                .collect(),
        }
    }

    /// The manifest as bytes, ready to be written atomically.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&FORMAT.to_le_bytes());
        // Only a failing writer fails; a Vec does not.
        postcard::to_extend(self, out).unwrap_or_default()
    }
}

impl Entry<'_> {
    /// True when every output is still there with the size it was written with.
    pub fn outputs_intact(&self) -> bool {
        !self.outputs.is_empty()
            && self.outputs.iter().all(|o| {
                std::fs::metadata(o.path()).is_ok_and(|m| m.is_file() && m.len() == o.size)
            })
    }

    /// The same, owning its text.
    pub fn into_owned(self) -> Entry<'static> {
        Entry {
            key: self.key,
            deps: self.deps.into_iter().map(Dep::into_owned).collect(),
            outputs: self.outputs.into_iter().map(Output::into_owned).collect(),
        }
    }
}

/// The manifest as it was written before format 3: JSON, hashes in hex.
/// Read so that a folder built by an older gostdoc keeps what it knows
/// (which outputs `--prune` may delete); the next write replaces it.
mod json {
    use super::{Dep, Entry, Manifest, Output, Stamp};
    use serde::Deserialize;
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    #[derive(Deserialize)]
    struct Old {
        format: u32,
        documents: BTreeMap<String, OldEntry>,
        #[serde(default)]
        files: BTreeMap<String, OldStamp>,
    }

    /// Size, modification and change times, device, inode, hash, `auto`.
    type OldStamp = (u64, i128, i128, u64, u64, String, bool);

    #[derive(Deserialize)]
    struct OldEntry {
        key: String,
        deps: Vec<OldDep>,
        outputs: Vec<OldOutput>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum OldDep {
        File(String),
        Template(String),
    }

    #[derive(Deserialize)]
    struct OldOutput {
        path: String,
        size: u64,
        hash: String,
    }

    fn hex(text: &str) -> Option<u128> {
        u128::from_str_radix(text, 16).ok()
    }

    /// The manifest in `bytes`, if they are one of format 2.
    pub(super) fn parse(bytes: &[u8]) -> Option<Manifest<'static>> {
        let old: Old = serde_json::from_slice(bytes).ok()?;
        if old.format != 2 {
            return None;
        }
        let documents = old
            .documents
            .into_iter()
            .map(|(name, e)| {
                let entry = Entry {
                    key: hex(&e.key),
                    deps: e
                        .deps
                        .into_iter()
                        .map(|d| match d {
                            OldDep::File(p) => Dep::File(p.into()),
                            OldDep::Template(t) => Dep::Template(t.into()),
                        })
                        .collect(),
                    outputs: e
                        .outputs
                        .into_iter()
                        .map(|o| {
                            Some(Output {
                                path: o.path.into(),
                                size: o.size,
                                hash: hex(&o.hash)?,
                            })
                        })
                        .collect::<Option<_>>()?,
                };
                Some((Cow::Owned(name), entry))
            })
            .collect::<Option<_>>()?;
        let files = old
            .files
            .into_iter()
            .map(
                |(name, (size, modified, changed, device, inode, hash, auto))| {
                    let stamp = Stamp {
                        size,
                        modified,
                        changed,
                        device,
                        inode,
                        hash: hex(&hash)?,
                        auto,
                    };
                    Some((Cow::Owned(name), stamp))
                },
            )
            .collect::<Option<_>>()?;
        Some(Manifest { documents, files })
    }
}

/// Hashes of dependencies, each file read once per build even when a
/// hundred documents share it (a profile), and not at all when its
/// [`Stamp`] in the last manifest still holds. Shared between threads.
pub struct Hasher<'a> {
    setup: u128,
    templates: &'a Templates,
    /// The stamps of the last manifest.
    known: &'a BTreeMap<Cow<'a, str>, Stamp>,
    /// When this build began: stamps of files changed after
    /// `started - SETTLED` are not trusted next time.
    started: std::time::SystemTime,
    /// Files looked at, by their path's bytes: hashing a `Path` walks its
    /// components, and was a tenth of a build with nothing to do.
    files: Mutex<rustc_hash::FxHashMap<Box<[u8]>, Option<Seen>>>,
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
    pub fn new(
        setup: u128,
        templates: &'a Templates,
        known: &'a BTreeMap<Cow<'a, str>, Stamp>,
    ) -> Self {
        Hasher {
            setup,
            templates,
            known,
            started: std::time::SystemTime::now(),
            files: Mutex::default(),
            stale: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The key of a set of dependencies as they are now; `None` when a
    /// file cannot be read (the build will then report why).
    pub fn key(&self, deps: &[Dep]) -> Option<u128> {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&self.setup.to_le_bytes());
        for dep in deps {
            let (kind, name, hash) = match dep {
                Dep::File(path) => (0u8, path, self.file(Path::new(path.as_ref()))?.hash),
                Dep::Template(name) => (1u8, name, self.templates.source_hash(name)?),
            };
            h.update(&[kind]);
            h.update(name.as_bytes());
            h.update(&hash.to_le_bytes());
        }
        Some(h.digest128())
    }

    /// Whether the file at `path` mentions `"auto"`: read only when its
    /// stamp in the last manifest no longer holds (and then hashed once
    /// for the whole build). `None` when it cannot be read.
    pub fn file_mentions_auto(&self, path: &Path) -> Option<bool> {
        self.file(path).map(|seen| seen.auto)
    }

    /// Looks at the file at `path` now (its stamp, or else its
    /// contents), so that it is known when asked for.
    pub fn look_at(&self, path: &Path) {
        self.file(path);
    }

    /// Makes room for `files` more files at once: growing the table step
    /// by step copied it each time, into pages the system had to give.
    pub fn expect(&self, files: usize) {
        if let Ok(mut seen) = self.files.lock() {
            seen.reserve(files);
        }
    }

    /// The stamps of the files this build hashed or found unchanged, with
    /// those of `previous` for files it did not look at, for the files
    /// `deps` lists (the manifest's next `files`).
    pub fn stamps<'d, 'p>(
        &self,
        deps: impl Iterator<Item = &'d Dep<'d>>,
        previous: &BTreeMap<Cow<'p, str>, Stamp>,
    ) -> BTreeMap<Cow<'static, str>, Stamp> {
        let Ok(seen) = self.files.lock() else {
            return BTreeMap::new();
        };
        let mut out = BTreeMap::new();
        for dep in deps {
            let Dep::File(path) = dep else { continue };
            let key = path.as_ref();
            if out.contains_key(key) {
                continue;
            }
            let stamp = match seen.get(key.as_bytes()) {
                Some(Some(found)) => found.stamp,
                Some(None) => None,
                None => previous.get(key).copied(),
            };
            if let Some(stamp) = stamp {
                out.insert(Cow::Owned(key.to_owned()), stamp);
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
        let name = path.as_os_str().as_encoded_bytes();
        if let Some(known) = self.files.lock().ok()?.get(name) {
            return *known;
        }
        let seen = self.look(path);
        self.files.lock().ok()?.insert(name.into(), seen);
        seen
    }

    /// The file's hash: its stamp's when the stamp still holds, else its
    /// contents'.
    fn look(&self, path: &Path) -> Option<Seen> {
        // Taken before the read: a change during the read changes the
        // times, and the next build reads the file again.
        let before = std::fs::metadata(path).ok().filter(|m| m.is_file());
        let mut stamp = before.as_ref().map(stamp_of);
        if let (Some(now), Some(known)) = (&stamp, self.known.get(text_of(path).as_ref()))
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
