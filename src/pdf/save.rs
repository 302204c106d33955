//! Writes the finished lopdf document as the very bytes lopdf 0.44's
//! `save_with_options` writes with object streams, a cross-reference
//! stream and compression level 6, without what that costs.
//!
//! lopdf clones every dictionary into its object streams and keeps the
//! clones until the last stream is written, serializes each of them three
//! times, and sets a new zlib compressor up for each stream of a hundred
//! objects (allocating it and clearing its 128 KB hash table). Here each
//! object is serialized once, straight from the document, which is
//! consumed as it is written, so a page's stream is freed once it is
//! copied; the object streams go through the thread's one compressor, fed
//! as flate2's encoder feeds lopdf's
//! ([`crate::deflate::zlib_as_encoder`]), so the data is the same. Seed
//! 000: 23.90 -> 22.83 M instructions, 888 -> 796 page faults; the
//! 35,000-row roadmap no longer rises from 113 to 129 MB while its file is
//! written, the tagged 7000-row one peaks at 208 MB instead of 324.
//!
//! The rules are lopdf 0.44's (its version is pinned in Cargo.toml):
//! `Document::save_with_object_streams` and `write_cross_reference_stream`
//! in `writer.rs`, `ObjectStream::can_be_compressed` and
//! `to_stream_object` in `object_stream.rs`, `Writer::write_object` (not
//! public, so written out again below for every kind of object). The tests
//! compare the bytes with lopdf's on documents with every kind of object
//! and every rule. A document lopdf would refuse (a binary mark with a byte
//! under 128) or with object numbers far apart is saved by lopdf itself.

use std::io::Write;

use lopdf::{Dictionary, Object, StringFormat};

/// Objects in one object stream: lopdf's default.
const PER_STREAM: usize = 100;

/// The zlib level of the object streams.
const LEVEL: u32 = 6;

/// The options the bytes are lopdf's with.
fn options() -> lopdf::SaveOptions {
    lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .compression_level(LEVEL)
        .build()
}

/// The file's bytes: the objects lopdf would write as they are (streams,
/// for instance), then the object streams holding the others a hundred at
/// a time, then the cross-reference stream with the trailer's entries.
pub(crate) fn save(mut lo: lopdf::Document) -> Vec<u8> {
    if !lo.binary_mark.iter().all(|&b| b >= 128) || sparse(&lo) {
        let mut bytes = Vec::new();
        // Writing to a Vec cannot fail; a refused mark leaves the header,
        // as it did.
        let _ = lo.save_with_options(&mut bytes, options());
        return bytes;
    }
    let mut out = Vec::with_capacity(estimate(&lo));
    let version = if lo.version.as_str() < "1.5" {
        "1.5"
    } else {
        lo.version.as_str()
    };
    out.extend_from_slice(b"%PDF-");
    out.extend_from_slice(version.as_bytes());
    out.extend_from_slice(b"\n%");
    out.extend_from_slice(&lo.binary_mark);
    out.push(b'\n');

    let rules = Rules::of(&lo);
    let mut xref = Xref::new(lo.max_id + 1);
    let mut packs: Vec<Packed> = Vec::new();
    let mut pack = Pack::default();
    for ((id, generation), object) in std::mem::take(&mut lo.objects) {
        // lopdf writes new object streams in place of any there were.
        if let Object::Stream(stream) = &object
            && stream.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"ObjStm")
        {
            continue;
        }
        if generation == 0 && rules.compressible(id, &object) {
            pack.add(id, &object);
            if pack.ids.len() >= PER_STREAM {
                packs.push(pack.finish());
            }
        } else {
            write_indirect(&mut out, &mut xref, id, generation, &object);
        }
    }
    if !pack.ids.is_empty() {
        packs.push(pack.finish());
    }
    let stream_count = packs.len() as u32;
    for (k, packed) in packs.into_iter().enumerate() {
        let stream_id = lo.max_id + 1 + k as u32;
        for (index, &id) in packed.ids.iter().enumerate() {
            xref.insert(
                id,
                Entry::Compressed {
                    container: stream_id,
                    index: index as u16,
                },
            );
        }
        xref.insert(
            stream_id,
            Entry::Normal {
                offset: out.len() as u32,
                generation: 0,
            },
        );
        let _ = write!(
            out,
            "{stream_id} 0 obj\n<</Type/ObjStm/N {}/First {}/Length {}/Filter/FlateDecode>>stream\n",
            packed.ids.len(),
            packed.first,
            packed.data.len()
        );
        out.extend_from_slice(&packed.data);
        out.extend_from_slice(b"\nendstream \nendobj\n");
    }
    let max_id = lo.max_id + stream_count;

    // The cross-reference stream, its dictionary the trailer's.
    let xref_start = out.len();
    let xref_id = max_id + 1;
    xref.insert(
        xref_id,
        Entry::Normal {
            offset: xref_start as u32,
            generation: 0,
        },
    );
    let mut trailer = std::mem::take(&mut lo.trailer);
    trailer.set("Type", Object::Name(b"XRef".to_vec()));
    trailer.set("Size", i64::from(xref_id + 1));
    trailer.set(
        "W",
        Object::Array(vec![
            Object::Integer(1),
            Object::Integer(4),
            Object::Integer(2),
        ]),
    );
    let (content, index) = xref.stream();
    trailer.set("Index", index);
    trailer.remove(b"Filter");
    trailer.set("Length", content.len() as i64);
    let _ = writeln!(out, "{xref_id} 0 obj");
    write_dictionary(&mut out, &trailer);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&content);
    out.extend_from_slice(b"\nendstream \nendobj\n");
    let _ = write!(out, "\nstartxref\n{xref_start}\n%%EOF");
    out
}

/// Object numbers so far apart that a table indexed by them would be
/// mostly empty (lopdf's renumbering never leaves such gaps).
fn sparse(lo: &lopdf::Document) -> bool {
    let last = lo.objects.keys().next_back().map_or(0, |id| id.0);
    last.max(lo.max_id) as usize > 4 * lo.objects.len() + 1024
}

/// Room for the whole file, so the buffer is not copied as it grows: the
/// streams' contents and a generous share for everything else (pages not
/// written to are never touched).
fn estimate(lo: &lopdf::Document) -> usize {
    let streams: usize = lo
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .map(|s| s.content.len() + 256)
        .sum();
    streams + 128 * lo.objects.len() + 4096
}

/// lopdf's `ObjectStream::can_be_compressed`, with what it looks up in the
/// document taken once.
struct Rules {
    /// The object the trailer's `/Encrypt` refers to.
    encrypt: Option<lopdf::ObjectId>,
    /// Whether a dictionary has a `/Linearized` entry (then the catalog
    /// stays out of the object streams).
    linearized: bool,
}

impl Rules {
    fn of(lo: &lopdf::Document) -> Self {
        Rules {
            encrypt: match lo.trailer.get(b"Encrypt") {
                Ok(Object::Reference(id)) => Some(*id),
                _ => None,
            },
            linearized: lo
                .objects
                .values()
                .any(|o| matches!(o, Object::Dictionary(d) if d.has(b"Linearized"))),
        }
    }

    /// Whether object `id` (generation 0) goes into an object stream.
    fn compressible(&self, id: u32, object: &Object) -> bool {
        if matches!(object, Object::Stream(_)) || self.encrypt == Some((id, 0)) {
            return false;
        }
        if let Object::Dictionary(dict) = object
            && let Ok(name) = dict.get(b"Type").and_then(Object::as_name)
        {
            return match name {
                b"XRef" | b"ObjStm" => false,
                b"Catalog" => !self.linearized,
                _ => true,
            };
        }
        true
    }
}

/// An object stream being filled: its objects' numbers and offsets, and
/// their bytes, each followed by a space.
#[derive(Default)]
struct Pack {
    ids: Vec<u32>,
    offsets: Vec<usize>,
    body: Vec<u8>,
}

/// An object stream compressed: its objects' numbers, where the first
/// object starts, the zlib data.
struct Packed {
    ids: Vec<u32>,
    first: usize,
    data: Vec<u8>,
}

impl Pack {
    fn add(&mut self, id: u32, object: &Object) {
        self.ids.push(id);
        self.offsets.push(self.body.len());
        write_object(&mut self.body, object);
        self.body.push(b' ');
    }

    /// Compresses the stream: "number offset " pairs, then the objects.
    /// The pack is left empty with its buffers.
    fn finish(&mut self) -> Packed {
        let mut content = Vec::with_capacity(self.ids.len() * 12 + self.body.len());
        let mut number = itoa::Buffer::new();
        for (&id, &offset) in self.ids.iter().zip(&self.offsets) {
            content.extend_from_slice(number.format(id).as_bytes());
            content.push(b' ');
            content.extend_from_slice(number.format(offset).as_bytes());
            content.push(b' ');
        }
        let first = content.len();
        content.extend_from_slice(&self.body);
        self.offsets.clear();
        self.body.clear();
        Packed {
            ids: std::mem::take(&mut self.ids),
            first,
            data: crate::deflate::zlib_as_encoder(&content, LEVEL),
        }
    }
}

/// A cross-reference entry.
#[derive(Clone, Copy)]
enum Entry {
    None,
    Normal { offset: u32, generation: u16 },
    Compressed { container: u32, index: u16 },
}

/// The entries by object number, and lopdf's size: one past the highest
/// number, or past its `max_id` if that is higher.
struct Xref {
    entries: Vec<Entry>,
    size: u32,
}

impl Xref {
    fn new(size: u32) -> Self {
        Xref {
            entries: Vec::with_capacity(size as usize + 8),
            size,
        }
    }

    fn insert(&mut self, id: u32, entry: Entry) {
        let i = id as usize;
        if self.entries.len() <= i {
            self.entries.resize(i + 1, Entry::None);
        }
        self.entries[i] = entry;
        self.size = self.size.max(id.saturating_add(1));
    }

    /// The stream's bytes (`/W [1 4 2]`) and its `/Index`: numbers 1 to
    /// size − 1 in sections of consecutive entries, as lopdf's
    /// `create_xref_steam` cuts them (object 0 is not listed).
    fn stream(&self) -> (Vec<u8>, Object) {
        let mut bytes = Vec::with_capacity(self.size as usize * 7);
        let mut index = Vec::new();
        let mut start: Option<u32> = None;
        let mut close = |start: &mut Option<u32>, end: u32| {
            if let Some(s) = start.take() {
                index.push(Object::Integer(i64::from(s)));
                index.push(Object::Integer(i64::from(end - s)));
            }
        };
        for id in 1..self.size {
            let entry = self
                .entries
                .get(id as usize)
                .copied()
                .unwrap_or(Entry::None);
            let (kind, field, second) = match entry {
                Entry::None => {
                    close(&mut start, id);
                    continue;
                }
                Entry::Normal { offset, generation } => (1u8, offset, generation),
                Entry::Compressed { container, index } => (2u8, container, index),
            };
            start.get_or_insert(id);
            bytes.push(kind);
            bytes.extend_from_slice(&field.to_be_bytes());
            bytes.extend_from_slice(&second.to_be_bytes());
        }
        close(&mut start, self.size.max(1));
        (bytes, Object::Array(index))
    }
}

/// lopdf's `Writer::write_indirect_object`.
fn write_indirect(out: &mut Vec<u8>, xref: &mut Xref, id: u32, generation: u16, object: &Object) {
    xref.insert(
        id,
        Entry::Normal {
            offset: out.len() as u32,
            generation,
        },
    );
    let mut number = itoa::Buffer::new();
    out.extend_from_slice(number.format(id).as_bytes());
    out.push(b' ');
    out.extend_from_slice(number.format(generation).as_bytes());
    out.extend_from_slice(b" obj\n");
    if needs_separator(object) {
        out.push(b' ');
    }
    write_object(out, object);
    if needs_separator(object) || matches!(object, Object::Name(_) | Object::Stream(_)) {
        out.push(b' ');
    }
    out.extend_from_slice(b"\nendobj\n");
}

/// Objects lopdf separates from what comes before them by a space.
fn needs_separator(object: &Object) -> bool {
    matches!(
        object,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
    )
}

/// lopdf's `Writer::write_object`.
fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(true) => out.extend_from_slice(b"true"),
        Object::Boolean(false) => out.extend_from_slice(b"false"),
        Object::Integer(value) => {
            out.extend_from_slice(itoa::Buffer::new().format(*value).as_bytes())
        }
        Object::Real(value) => {
            let _ = write!(out, "{value}");
        }
        Object::Name(name) => write_name(out, name),
        Object::String(text, StringFormat::Literal) => write_literal(out, text),
        Object::String(text, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for &byte in text {
                let _ = write!(out, "{byte:02X}");
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && needs_separator(item) {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict),
        Object::Stream(stream) => {
            write_dictionary(out, &stream.dict);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((id, generation)) => {
            let mut number = itoa::Buffer::new();
            out.extend_from_slice(number.format(*id).as_bytes());
            out.push(b' ');
            out.extend_from_slice(number.format(*generation).as_bytes());
            out.extend_from_slice(b" R");
        }
    }
}

fn write_dictionary(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict {
        write_name(out, key);
        if needs_separator(value) {
            out.push(b' ');
        }
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

/// A name, white space, delimiters, `#` and bytes outside `!`–`~` as `#XX`.
fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &byte in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&byte) || !(33..=126).contains(&byte) {
            let _ = write!(out, "#{byte:02X}");
        } else {
            out.push(byte);
        }
    }
}

/// A literal string as lopdf escapes it: a backslash, a carriage return
/// (as `\r`), a `)` without its `(` and a `(` left open.
fn write_literal(out: &mut Vec<u8>, text: &[u8]) {
    out.push(b'(');
    if !text
        .iter()
        .any(|b| matches!(b, b'(' | b')' | b'\\' | b'\r'))
    {
        out.extend_from_slice(text);
        out.push(b')');
        return;
    }
    let mut escaped = vec![false; text.len()];
    let mut open = Vec::new();
    for (i, &byte) in text.iter().enumerate() {
        match byte {
            b'(' => open.push(i),
            // A `)` closes the last `(` still open, or is escaped.
            b')' => escaped[i] = open.pop().is_none(),
            b'\\' | b'\r' => escaped[i] = true,
            _ => {}
        }
    }
    for i in open {
        escaped[i] = true;
    }
    for (&byte, escape) in text.iter().zip(escaped) {
        if escape {
            out.push(b'\\');
            out.push(if byte == b'\r' { b'r' } else { byte });
        } else {
            out.push(byte);
        }
    }
    out.push(b')');
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Document, Stream};

    fn lopdfs(lo: &Document) -> Vec<u8> {
        let mut bytes = Vec::new();
        lo.clone()
            .save_with_options(&mut bytes, options())
            .expect("lopdf saves");
        bytes
    }

    fn dict(pairs: Vec<(&str, Object)>) -> Dictionary {
        let mut d = Dictionary::new();
        for (k, v) in pairs {
            d.set(k, v);
        }
        d
    }

    /// Every kind of object, escapes, a stream, a generation other than
    /// 0, a gap in the numbers, and enough objects for three object
    /// streams.
    fn sample(version: &str) -> Document {
        let mut lo = Document::with_version(version);
        let literal = |t: &[u8]| Object::String(t.to_vec(), StringFormat::Literal);
        lo.objects.insert(
            (1, 0),
            Object::Dictionary(dict(vec![
                ("Type", Object::Name(b"Catalog".to_vec())),
                ("Pages", Object::Reference((2, 0))),
                ("Lang", literal(b"ru-RU")),
            ])),
        );
        lo.objects.insert(
            (2, 0),
            Object::Dictionary(dict(vec![
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Kids", Object::Array(vec![Object::Reference((3, 0))])),
                ("Count", Object::Integer(1)),
            ])),
        );
        lo.objects.insert(
            (3, 0),
            Object::Dictionary(dict(vec![
                ("Type", Object::Name(b"Page".to_vec())),
                (
                    "MediaBox",
                    Object::Array(vec![
                        Object::Integer(0),
                        Object::Real(0.5),
                        Object::Real(595.2756),
                        Object::Real(-1e-7),
                        Object::Null,
                        Object::Boolean(true),
                        Object::Boolean(false),
                        Object::Name(b"a b#(/)\x80".to_vec()),
                        literal(b"x"),
                        Object::Array(vec![]),
                        Object::Dictionary(Dictionary::new()),
                    ]),
                ),
                ("Contents", Object::Reference((4, 0))),
            ])),
        );
        lo.objects.insert(
            (4, 0),
            Object::Stream(Stream::new(
                dict(vec![("Filter", Object::Name(b"FlateDecode".to_vec()))]),
                vec![0, 1, 2, 255, b'\n'],
            )),
        );
        lo.objects.insert((5, 0), literal(b"a(b)c) \\ \r ((d"));
        lo.objects.insert((6, 0), literal(b"plain"));
        lo.objects.insert(
            (7, 0),
            Object::String(vec![0, 0xAB, b'('], StringFormat::Hexadecimal),
        );
        lo.objects.insert((8, 2), Object::Integer(-42));
        lo.objects.insert((9, 0), Object::Name(b"N".to_vec()));
        lo.objects.insert((10, 0), Object::Real(3.25));
        lo.objects.insert((12, 0), Object::Reference((1, 0)));
        lo.objects.insert(
            (13, 0),
            Object::Dictionary(dict(vec![("Type", Object::Name(b"XRef".to_vec()))])),
        );
        lo.objects.insert(
            (14, 0),
            Object::Stream(Stream::new(
                dict(vec![("Type", Object::Name(b"ObjStm".to_vec()))]),
                vec![1, 2, 3],
            )),
        );
        for id in 20..240 {
            let text = format!("объект {id} ").repeat(id as usize % 7).into_bytes();
            lo.objects.insert(
                (id, 0),
                Object::Dictionary(dict(vec![
                    ("T", Object::String(text, StringFormat::Literal)),
                    ("N", Object::Integer(i64::from(id))),
                    ("P", Object::Reference((3, 0))),
                ])),
            );
        }
        lo.objects.insert(
            (240, 1),
            Object::Stream(Stream::new(Dictionary::new(), b"q Q".to_vec())),
        );
        lo.max_id = 240;
        lo.trailer.set("Root", Object::Reference((1, 0)));
        lo.trailer.set(
            "ID",
            Object::Array(vec![literal(b"0123"), literal(b"0123")]),
        );
        lo
    }

    #[test]
    fn the_bytes_are_lopdfs() {
        for version in ["1.3", "1.5", "1.7"] {
            let lo = sample(version);
            assert_eq!(save(lo.clone()), lopdfs(&lo), "version {version}");
        }
    }

    #[test]
    fn object_streams_over_32_kb_compressed_are_lopdfs() {
        // flate2's encoder compresses them in several calls (see
        // `crate::deflate::zlib_as_encoder`).
        let mut lo = sample("1.5");
        let mut x: u32 = 5;
        for id in 241..500 {
            let noise: Vec<u8> = (0..900)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (x >> 16) as u8
                })
                .collect();
            lo.objects.insert(
                (id, 0),
                Object::Array(vec![
                    Object::String(noise, StringFormat::Hexadecimal),
                    Object::Reference((id - 1, 0)),
                ]),
            );
        }
        lo.max_id = 499;
        assert_eq!(save(lo.clone()), lopdfs(&lo));
    }

    #[test]
    fn the_rules_for_object_streams_are_lopdfs() {
        // An encryption dictionary and a linearized file keep the
        // dictionary and the catalog out; a trailer with a filter loses it.
        let mut lo = sample("1.7");
        lo.trailer.set("Encrypt", Object::Reference((20, 0)));
        lo.trailer
            .set("Filter", Object::Name(b"FlateDecode".to_vec()));
        lo.objects.insert(
            (11, 0),
            Object::Dictionary(dict(vec![("Linearized", Object::Integer(1))])),
        );
        assert_eq!(save(lo.clone()), lopdfs(&lo));
        // max_id below the highest number, and above it.
        let mut lo = sample("1.7");
        lo.max_id = 100;
        assert_eq!(save(lo.clone()), lopdfs(&lo));
        lo.max_id = 300;
        assert_eq!(save(lo.clone()), lopdfs(&lo));
        // Exactly one object stream, full.
        let mut lo = Document::with_version("1.5");
        for id in 1..=100 {
            lo.objects.insert((id, 0), Object::Integer(i64::from(id)));
        }
        lo.max_id = 100;
        assert_eq!(save(lo.clone()), lopdfs(&lo));
        // Nothing at all.
        let lo = Document::with_version("1.5");
        assert_eq!(save(lo.clone()), lopdfs(&lo));
    }

    #[test]
    fn what_lopdf_refuses_or_sparse_numbers_are_left_to_lopdf() {
        let mut lo = sample("1.5");
        lo.binary_mark = b"abcd".to_vec();
        let mut theirs = Vec::new();
        assert!(
            lo.clone()
                .save_with_options(&mut theirs, options())
                .is_err()
        );
        assert_eq!(save(lo), theirs);
        let mut lo = sample("1.5");
        lo.objects.insert((1_000_000, 0), Object::Integer(1));
        lo.max_id = 1_000_000;
        assert_eq!(save(lo.clone()), lopdfs(&lo));
    }
}
