//! Shrinks the file printpdf builds: a protocol must stay under 40 KB
//! (issue 3), and most of its bytes are font programs.
//!
//! Each step removes only what no reader uses: name records a viewer never
//! shows, empty resource dictionaries, page boxes equal to the media box,
//! entries that state the default. Glyph outlines and hinting are left as
//! they are, so the fonts render exactly as before. The file is then saved
//! with object streams (PDF 1.5), which compress the dictionaries too.

use lopdf::{Dictionary, Object, ObjectId};

/// Name records kept in an embedded font (Windows platform only): copyright,
/// family, style, unique and full name, version, PostScript name, trademark,
/// licence and its URL. Descriptions, designer and vendor URLs go.
const KEPT_NAMES: [u16; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 13, 14];

/// Applies every step to a document before it is compressed and saved.
pub(crate) fn compact(lo: &mut lopdf::Document) {
    trim_font_programs(lo);
    share_page_resources(lo);
    drop_default_entries(lo);
    prune_and_renumber(lo);
}

/// lopdf's `prune_objects` then `renumber_objects`, in time linear in the
/// number of objects: lopdf looks each reference up in a list of those
/// seen, which a tagged 1000-page roadmap (one object per structure
/// element, 50,000 of them) made 97 G instructions instead of 8 G. The
/// same objects are kept and get the same numbers, so the bytes are
/// lopdf's. When the page tree lists pages out of their numbers' order
/// (printpdf never does), lopdf's own functions run, which reorder them.
fn prune_and_renumber(lo: &mut lopdf::Document) {
    let pages: Vec<ObjectId> = lo.page_iter().collect();
    if pages.windows(2).any(|w| w[0] > w[1]) {
        lo.prune_objects();
        lo.renumber_objects();
        return;
    }
    // Every object reachable from the trailer.
    let mut seen: std::collections::HashSet<ObjectId> = std::collections::HashSet::new();
    let mut queue: Vec<ObjectId> = Vec::new();
    let mut note = |o: &Object, queue: &mut Vec<ObjectId>| {
        collect_references(o, &mut |id| {
            if seen.insert(id) {
                queue.push(id);
            }
        });
    };
    for (_, v) in lo.trailer.iter() {
        note(v, &mut queue);
    }
    while let Some(id) = queue.pop() {
        if let Some(object) = lo.objects.get(&id) {
            note(object, &mut queue);
        }
    }
    lo.objects.retain(|id, _| seen.contains(id));
    // Numbered from 1 in the order of the old numbers, generations kept.
    let renumbered: std::collections::HashMap<ObjectId, ObjectId> = lo
        .objects
        .keys()
        .enumerate()
        .map(|(i, &old)| (old, (i as u32 + 1, old.1)))
        .collect();
    let objects = std::mem::take(&mut lo.objects);
    lo.objects = objects
        .into_iter()
        .map(|(old, mut object)| {
            rewrite_references(&mut object, &renumbered);
            (renumbered[&old], object)
        })
        .collect();
    for (_, v) in lo.trailer.iter_mut() {
        rewrite_references(v, &renumbered);
    }
    lo.max_id = lo.objects.len() as u32;
}

/// Calls `f` with every reference inside `o`.
fn collect_references(o: &Object, f: &mut impl FnMut(ObjectId)) {
    match o {
        Object::Reference(id) => f(*id),
        Object::Array(items) => items.iter().for_each(|i| collect_references(i, f)),
        Object::Dictionary(d) => d.iter().for_each(|(_, v)| collect_references(v, f)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, v)| collect_references(v, f)),
        _ => {}
    }
}

/// Replaces every reference inside `o` by its new number; one to an
/// object that is gone stays as it was (lopdf leaves it too).
fn rewrite_references(o: &mut Object, renumbered: &std::collections::HashMap<ObjectId, ObjectId>) {
    match o {
        Object::Reference(id) => {
            if let Some(new) = renumbered.get(id) {
                *id = *new;
            }
        }
        Object::Array(items) => items
            .iter_mut()
            .for_each(|i| rewrite_references(i, renumbered)),
        Object::Dictionary(d) => d
            .iter_mut()
            .for_each(|(_, v)| rewrite_references(v, renumbered)),
        Object::Stream(s) => s
            .dict
            .iter_mut()
            .for_each(|(_, v)| rewrite_references(v, renumbered)),
        _ => {}
    }
}

/// Rewrites each embedded TrueType program with a smaller `name` table.
fn trim_font_programs(lo: &mut lopdf::Document) {
    let programs: Vec<ObjectId> = lo
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor"))
        .filter_map(|d| d.get(b"FontFile2").and_then(Object::as_reference).ok())
        .collect();
    for id in programs {
        let Ok(stream) = lo.get_object_mut(id).and_then(Object::as_stream_mut) else {
            continue;
        };
        let bytes = if stream.dict.has(b"Filter") {
            match stream.decompressed_content() {
                Ok(b) => b,
                Err(_) => continue,
            }
        } else {
            stream.content.clone()
        };
        if let Some(smaller) = trim_name_table(&bytes) {
            stream.dict.remove(b"Filter");
            stream
                .dict
                .set("Length1", Object::Integer(smaller.len() as i64));
            stream.set_content(smaller);
            stream.allows_compression = true;
        }
    }
}

/// The font with its `name` table cut to [`KEPT_NAMES`], or `None` when
/// the font cannot be read or there is nothing to cut.
fn trim_name_table(font: &[u8]) -> Option<Vec<u8>> {
    let tables = table_directory(font)?;
    let (_, offset, length) = *tables.iter().find(|(tag, ..)| tag == b"name")?;
    let name = font.get(offset..offset + length)?;
    let trimmed = trim_names(name)?;
    if trimmed.len() >= name.len() {
        return None;
    }
    let replaced: Vec<([u8; 4], &[u8])> = tables
        .iter()
        .map(|&(tag, off, len)| {
            let data = if &tag == b"name" {
                &trimmed[..]
            } else {
                &font[off..off + len]
            };
            (tag, data)
        })
        .collect();
    Some(assemble(font[..4].try_into().ok()?, &replaced))
}

/// The table directory: tag, offset and length of each table.
fn table_directory(font: &[u8]) -> Option<Vec<([u8; 4], usize, usize)>> {
    let count = usize::from(read_u16(font, 4)?);
    let mut tables = Vec::with_capacity(count);
    for i in 0..count {
        let record = font.get(12 + 16 * i..28 + 16 * i)?;
        let tag: [u8; 4] = record[..4].try_into().ok()?;
        let offset = read_u32(record, 8)? as usize;
        let length = read_u32(record, 12)? as usize;
        font.get(offset..offset.checked_add(length)?)?;
        tables.push((tag, offset, length));
    }
    Some(tables)
}

/// A format 0 `name` table with only the Windows records in
/// [`KEPT_NAMES`]; `None` when there are none (a Mac-only font keeps all).
fn trim_names(name: &[u8]) -> Option<Vec<u8>> {
    if read_u16(name, 0)? != 0 {
        return None;
    }
    let count = usize::from(read_u16(name, 2)?);
    let storage = usize::from(read_u16(name, 4)?);
    let mut kept = Vec::new();
    for i in 0..count {
        let r = name.get(6 + 12 * i..18 + 12 * i)?;
        let platform = read_u16(r, 0)?;
        let id = read_u16(r, 6)?;
        if platform == 3 && KEPT_NAMES.contains(&id) {
            let len = usize::from(read_u16(r, 8)?);
            let off = storage + usize::from(read_u16(r, 10)?);
            kept.push((&r[..8], name.get(off..off + len)?));
        }
    }
    if kept.is_empty() {
        return None;
    }
    let storage = 6 + 12 * kept.len();
    let mut out = Vec::with_capacity(storage + kept.iter().map(|k| k.1.len()).sum::<usize>());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(kept.len() as u16).to_be_bytes());
    out.extend_from_slice(&(storage as u16).to_be_bytes());
    let mut offset = 0usize;
    for (ids, text) in &kept {
        out.extend_from_slice(ids);
        out.extend_from_slice(&(text.len() as u16).to_be_bytes());
        out.extend_from_slice(&(offset as u16).to_be_bytes());
        offset += text.len();
    }
    for (_, text) in &kept {
        out.extend_from_slice(text);
    }
    Some(out)
}

/// Builds a font file from its tables (in the given order, which is the
/// original's, sorted by tag), with fresh checksums.
fn assemble(version: [u8; 4], tables: &[([u8; 4], &[u8])]) -> Vec<u8> {
    let n = tables.len() as u16;
    // searchRange and friends from the largest power of two <= n.
    let mut power = 1u16;
    let mut log = 0u16;
    while power * 2 <= n {
        power *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&version);
    for v in [n, power * 16, log, n * 16 - power * 16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        let mut sum_data = data.to_vec();
        if tag == b"head" && sum_data.len() >= 12 {
            // The head checksum is taken with checkSumAdjustment zeroed.
            sum_data[8..12].fill(0);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(&sum_data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (tag, data) in tables {
        if tag == b"head" {
            head_at = Some(out.len());
        }
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at.filter(|at| out.len() >= at + 12) {
        out[at + 8..at + 12].fill(0);
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

/// The TrueType checksum: the sum of big-endian words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// printpdf gives every page its own resource dictionary pointing to four
/// global ones, three of them empty. One shared dictionary, with the font
/// map inline and the empty entries gone, says the same.
fn share_page_resources(lo: &mut lopdf::Document) {
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let mut shared: Option<(Dictionary, ObjectId)> = None;
    for page in pages {
        let Some(resources) = page_resources(lo, page) else {
            continue;
        };
        let resources = inline_resources(lo, &resources);
        let id = match &shared {
            Some((dict, id)) if *dict == resources => *id,
            _ => {
                let id = lo.add_object(Object::Dictionary(resources.clone()));
                shared = Some((resources, id));
                id
            }
        };
        if let Ok(dict) = lo.get_object_mut(page).and_then(Object::as_dict_mut) {
            dict.set("Resources", Object::Reference(id));
        }
    }
}

/// A page's resource dictionary, following a reference.
fn page_resources(lo: &lopdf::Document, page: ObjectId) -> Option<Dictionary> {
    let dict = lo.get_dictionary(page).ok()?;
    match dict.get(b"Resources").ok()? {
        Object::Reference(id) => lo.get_dictionary(*id).ok().cloned(),
        Object::Dictionary(d) => Some(d.clone()),
        _ => None,
    }
}

/// The resource dictionary with each category's map inline, empty ones left out.
fn inline_resources(lo: &lopdf::Document, resources: &Dictionary) -> Dictionary {
    let mut out = Dictionary::new();
    for (key, value) in resources.iter() {
        let map = match value {
            Object::Reference(id) => lo.get_object(*id).ok().cloned(),
            other => Some(other.clone()),
        };
        match map {
            Some(Object::Dictionary(d)) if d.is_empty() => {}
            Some(Object::Dictionary(d)) => out.set(key.clone(), Object::Dictionary(d)),
            // Anything else stays as it was.
            _ => out.set(key.clone(), value.clone()),
        }
    }
    out
}

/// Removes entries that only restate a default: `/PageMode /UseNone`, an
/// empty annotation list, crop and trim boxes equal to the media box.
fn drop_default_entries(lo: &mut lopdf::Document) {
    if let Ok(root) = lo.trailer.get(b"Root").and_then(Object::as_reference)
        && let Ok(catalog) = lo.get_object_mut(root).and_then(Object::as_dict_mut)
        && catalog.get(b"PageMode").and_then(Object::as_name).ok() == Some(b"UseNone")
    {
        catalog.remove(b"PageMode");
    }
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    for page in pages {
        if let Ok(dict) = lo.get_object_mut(page).and_then(Object::as_dict_mut) {
            if dict
                .get(b"Annots")
                .and_then(Object::as_array)
                .is_ok_and(|a| a.is_empty())
            {
                dict.remove(b"Annots");
            }
            let media = dict.get(b"MediaBox").ok().cloned();
            for key in [&b"CropBox"[..], b"TrimBox"] {
                if media.is_some() && dict.get(key).ok() == media.as_ref() {
                    dict.remove(key);
                }
            }
        }
    }
}

/// Compresses every stream not compressed yet, at zlib's default level:
/// lopdf's level 9 spent a tenth of the time of a 1000-page document in
/// zlib for about 1 % smaller page contents.
pub(crate) fn compress_streams(lo: &mut lopdf::Document) {
    for object in lo.objects.values_mut() {
        let Ok(stream) = object.as_stream_mut() else {
            continue;
        };
        if stream.dict.has(b"Filter") || !stream.allows_compression {
            continue;
        }
        let compressed = deflate(&stream.content);
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// zlib-compresses bytes at the default level (6). The compressor is kept
/// per thread and reset between streams: setting one up costs a 256 KB
/// allocation and clearing it, which for a protocol's dozen streams was a
/// twentieth of the whole build.
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    use std::cell::RefCell;
    thread_local! {
        static COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::default(), true));
    }
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let consumed = c.total_in() as usize;
            // Compressing into a Vec with spare room cannot fail.
            let status = c
                .compress_vec(&data[consumed..], &mut out, FlushCompress::Finish)
                .unwrap_or(Status::StreamEnd);
            if status == Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trimmed_font_keeps_its_tables_and_valid_checksums() {
        let font = include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf");
        let trimmed = trim_name_table(font).expect("Liberation has names to trim");
        assert!(trimmed.len() < font.len());
        let before = table_directory(font).unwrap();
        let after = table_directory(&trimmed).unwrap();
        assert_eq!(
            before.iter().map(|t| t.0).collect::<Vec<_>>(),
            after.iter().map(|t| t.0).collect::<Vec<_>>()
        );
        for (tag, off, len) in &after {
            // head differs in its checksum adjustment only.
            if tag != b"name" && tag != b"head" {
                let (_, o, l) = before.iter().find(|t| t.0 == *tag).unwrap();
                assert_eq!(&trimmed[*off..off + len], &font[*o..o + l], "{tag:?}");
            }
        }
        let head = |f: &[u8], d: &[([u8; 4], usize, usize)]| {
            let (_, o, l) = *d.iter().find(|t| &t.0 == b"head").unwrap();
            let mut h = f[o..o + l].to_vec();
            h[8..12].fill(0);
            h
        };
        assert_eq!(head(&trimmed, &after), head(font, &before));
        // The whole file sums to the magic number, as the spec requires.
        assert_eq!(checksum(&trimmed), 0xB1B0_AFBA);
        // The trimmed font still parses, under the same PostScript name.
        let mut warnings = Vec::new();
        let parsed = printpdf::ParsedFont::from_bytes(&trimmed, 0, &mut warnings).expect("parses");
        let original = printpdf::ParsedFont::from_bytes(font, 0, &mut warnings).expect("parses");
        assert_eq!(parsed.font_name, original.font_name);
        // Nothing more to cut the second time.
        assert_eq!(trim_name_table(&trimmed), None);
    }

    #[test]
    fn pruning_and_renumbering_keep_what_lopdf_keeps_with_its_numbers() {
        use lopdf::{Dictionary, Object, Stream};
        // A catalog reaching objects 3 and 7 (7 through a stream's
        // dictionary, 3 twice, one loop back), an unreachable 5, a gap at
        // 2 and 4, and a dangling reference to 9.
        let mut lo = lopdf::Document::with_version("1.5");
        let dict = |pairs: Vec<(&str, Object)>| {
            let mut d = Dictionary::new();
            for (k, v) in pairs {
                d.set(k, v);
            }
            d
        };
        lo.objects.insert(
            (1, 0),
            Object::Dictionary(dict(vec![
                ("A", Object::Reference((3, 0))),
                (
                    "B",
                    Object::Array(vec![Object::Reference((3, 0)), Object::Reference((6, 0))]),
                ),
                ("C", Object::Reference((9, 0))),
            ])),
        );
        lo.objects.insert(
            (3, 0),
            Object::Dictionary(dict(vec![("P", Object::Reference((1, 0)))])),
        );
        lo.objects.insert((5, 0), Object::Integer(5));
        lo.objects.insert(
            (6, 0),
            Object::Stream(Stream::new(
                dict(vec![("R", Object::Reference((7, 0)))]),
                vec![1, 2],
            )),
        );
        lo.objects.insert((7, 0), Object::Integer(7));
        lo.trailer.set("Root", Object::Reference((1, 0)));
        lo.max_id = 7;
        let mut theirs = lo.clone();
        theirs.prune_objects();
        theirs.renumber_objects();
        prune_and_renumber(&mut lo);
        assert_eq!(format!("{:?}", lo.objects), format!("{:?}", theirs.objects));
        assert_eq!(format!("{:?}", lo.trailer), format!("{:?}", theirs.trailer));
        assert_eq!(lo.max_id, theirs.max_id);
        assert_eq!(lo.objects.len(), 4, "5 is gone: {:?}", lo.objects.keys());
    }
}
