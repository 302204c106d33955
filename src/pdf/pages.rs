//! The page objects, made in the form [`super::compact`] leaves them.
//!
//! printpdf makes each page a dictionary with three equal boxes, an empty
//! annotation list, a resource dictionary of its own and an empty content
//! stream: about 7 KB of lopdf objects a page, 35 MB for the 5000 pages of
//! a 35,000-row roadmap, all of it held until `compact` cuts it down to a
//! media box and one shared resource dictionary. So printpdf is given the
//! first page only, for its resource dictionary (which points to the
//! document's font and picture maps, the same for every page), and every
//! page is made here as `compact` would leave it, with numbers that order
//! the objects as printpdf's did: once pruned and renumbered, each object
//! has the number it had, and the file's bytes are the same.

use lopdf::{Dictionary, Object, ObjectId};
use printpdf::{Mm, PdfPage};

/// The page printpdf is given: the first of `sizes` (mm), if any.
pub(crate) fn first_page(sizes: &[(f32, f32)]) -> Vec<PdfPage> {
    sizes
        .first()
        .map(|&(width, height)| PdfPage::new(Mm(width), Mm(height), Vec::new()))
        .into_iter()
        .collect()
}

/// Replaces the page printpdf made from [`first_page`] by one page of each
/// size, in order. Each page's content stream gets a number but no object:
/// the streams come later ([`super::write`] sets them). Does nothing to a
/// document with no page or one shaped otherwise.
///
/// printpdf numbers the page objects first, then each page's resources and
/// contents in turn, then the catalog and the information dictionary. With
/// the resources pruned, what remains is ordered pages, contents, catalog,
/// information: so the first page keeps its number, the others and the
/// contents are numbered after everything printpdf made, and the catalog
/// and the information dictionary are moved after them.
pub(crate) fn add_pages(lo: &mut lopdf::Document, sizes: &[(f32, f32)]) {
    let Some(printed) = PrintedPage::find(lo) else {
        return;
    };
    // Objects the pages replace, or that must come after them.
    lo.objects.remove(&printed.contents);
    let catalog = lo.objects.remove(&printed.catalog);
    let info = printed.info.and_then(|id| lo.objects.remove(&id));

    let mut page_ids = Vec::with_capacity(sizes.len());
    page_ids.push(printed.page);
    page_ids.extend((1..sizes.len()).map(|_| lo.new_object_id()));
    for (&id, &(width, height)) in page_ids.iter().zip(sizes) {
        let contents = lo.new_object_id();
        let media_box = PdfPage::new(Mm(width), Mm(height), Vec::new())
            .media_box
            .to_array();
        // The order of the entries `compact` left printpdf's in.
        let mut page = Dictionary::new();
        page.set("Type", "Page");
        page.set("MediaBox", Object::Array(media_box));
        page.set("Resources", Object::Reference(printed.resources));
        page.set("Contents", Object::Reference(contents));
        page.set("Parent", Object::Reference(printed.tree));
        lo.objects.insert(id, Object::Dictionary(page));
    }
    if let Ok(tree) = lo
        .get_object_mut(printed.tree)
        .and_then(Object::as_dict_mut)
    {
        tree.set("Count", Object::Integer(page_ids.len() as i64));
        tree.set(
            "Kids",
            Object::Array(page_ids.into_iter().map(Object::Reference).collect()),
        );
    }

    if let Some(catalog) = catalog {
        let id = lo.add_object(catalog);
        lo.trailer.set("Root", Object::Reference(id));
    }
    if let Some(info) = info {
        let id = lo.add_object(info);
        lo.trailer.set("Info", Object::Reference(id));
    }
}

/// The objects around the one page printpdf made.
struct PrintedPage {
    catalog: ObjectId,
    info: Option<ObjectId>,
    /// The page tree.
    tree: ObjectId,
    page: ObjectId,
    resources: ObjectId,
    contents: ObjectId,
}

impl PrintedPage {
    fn find(lo: &lopdf::Document) -> Option<PrintedPage> {
        let reference =
            |dict: &Dictionary, key: &[u8]| dict.get(key).and_then(Object::as_reference).ok();
        let catalog = lo
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .ok()?;
        let info = lo.trailer.get(b"Info").and_then(Object::as_reference).ok();
        let tree = reference(lo.get_dictionary(catalog).ok()?, b"Pages")?;
        let kids = lo
            .get_dictionary(tree)
            .ok()?
            .get(b"Kids")
            .ok()?
            .as_array()
            .ok()?;
        let [Object::Reference(page)] = kids.as_slice() else {
            return None;
        };
        let page_dict = lo.get_dictionary(*page).ok()?;
        Some(PrintedPage {
            catalog,
            info,
            tree,
            page: *page,
            resources: reference(page_dict, b"Resources")?,
            contents: reference(page_dict, b"Contents")?,
        })
    }
}
