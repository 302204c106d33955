//! Shrinks the file printpdf builds (the font programs are slimmed where
//! they are made, [`super::sfnt`]).
//!
//! Each step removes only what no reader uses: empty resource
//! dictionaries, entries that state the default. The file is then saved
//! with object streams (PDF 1.5), which compress the dictionaries too.

use lopdf::{Dictionary, Object, ObjectId};

/// Applies every step to a document before it is compressed and saved.
pub(crate) fn compact(lo: &mut lopdf::Document) {
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

/// printpdf gives every page its own resource dictionary pointing to four
/// global ones, three of them empty. One shared dictionary, with the font
/// map inline and the empty entries gone, says the same.
fn share_page_resources(lo: &mut lopdf::Document) {
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let mut shared: Option<(Dictionary, ObjectId)> = None;
    // The pages all name one resource dictionary ([`super::pages`]): the
    // one the page before named, with what it was shared as, is not
    // inlined again.
    let mut named_before: Option<(ObjectId, ObjectId)> = None;
    for page in pages {
        let named = lo
            .get_dictionary(page)
            .and_then(|d| d.get(b"Resources"))
            .and_then(Object::as_reference)
            .ok();
        let id = match named_before {
            Some((before, id)) if named == Some(before) => id,
            _ => {
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
                named_before = named.map(|named| (named, id));
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

/// Removes entries that only restate a default: `/PageMode /UseNone`. (The
/// pages are made without printpdf's empty annotation list and crop and
/// trim boxes equal to the media box: [`super::pages`].)
fn drop_default_entries(lo: &mut lopdf::Document) {
    if let Ok(root) = lo.trailer.get(b"Root").and_then(Object::as_reference)
        && let Ok(catalog) = lo.get_object_mut(root).and_then(Object::as_dict_mut)
        && catalog.get(b"PageMode").and_then(Object::as_name).ok() == Some(b"UseNone")
    {
        catalog.remove(b"PageMode");
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

/// zlib-compresses bytes at the default level (6).
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    crate::deflate::zlib(data, 6)
}

/// zlib-compresses bytes at level 2: for font programs, which deflate to
/// about two thirds at any level (level 6 saves 2 % of their bytes for 40 %
/// more time; level 1, zlib-rs's "quick" with fixed codes, gives 14 % more).
pub(crate) fn deflate_fast(data: &[u8]) -> Vec<u8> {
    crate::deflate::zlib(data, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

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
