//! Embeds a face in the PDF: the subset of the glyphs the document draws
//! (typst's `subsetter`, then [`sfnt::slim`]), as a Type0 font with
//! Identity-H codes that are the subset's glyph ids, its `/W` widths and a
//! `/ToUnicode` map, all written here straight as lopdf objects.
//!
//! A subset, slimmed and deflated, is kept for the process: a batch of
//! protocols draws the same glyphs again and again, and subsetting and
//! deflating the font program is most of what writing a PDF costs.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use super::content::GlyphCodes;
use super::fonts::Face;
use super::{compact, sfnt};

/// `/DW`: the width of a glyph `/W` does not list, which is only glyph 0,
/// drawn for a character the face lacks (see
/// [`super::fonts::NOTDEF_ADVANCE_EM`]).
const DEFAULT_WIDTH: i64 = 1000;

/// Font programs kept at most; the cache is emptied when it is full.
const CACHE_LIMIT: usize = 512;

/// A font program ready to embed.
struct Program {
    /// The program, deflated.
    deflated: Vec<u8>,
    /// Its length before deflating (`/Length1`).
    length: usize,
    /// Glyphs in the program, for the `/CIDSet` of PDF/A.
    glyph_count: u16,
    /// The code (CID = glyph id in the program) of each glyph asked for, in
    /// the order asked.
    cids: Vec<u16>,
    /// A subset (its name gets a subset tag); false when the face could
    /// not be subset and is embedded whole.
    subset: bool,
}

type Cache = Mutex<HashMap<(u64, Vec<u16>), Arc<Program>>>;

/// Programs by face and glyph set.
static PROGRAMS: OnceLock<Cache> = OnceLock::new();

/// One face embedded in a document.
pub(crate) struct Embedded {
    /// The Type0 font dictionary.
    pub(crate) font: ObjectId,
    /// Its font descriptor, and the glyphs of its program: PDF/A gives it
    /// a `/CIDSet`.
    pub(crate) descriptor: ObjectId,
    pub(crate) glyph_count: u16,
    /// The code of each character.
    pub(crate) codes: GlyphCodes,
}

/// True when the face can be subset: a font file passed by the user is
/// tried before anything is built.
pub(crate) fn can_subset(face: &Face) -> bool {
    let mut remapper = subsetter::GlyphRemapper::new();
    let space = face.glyph(' ').id;
    remapper.remap(space);
    subsetter::subset(face.data(), 0, &remapper).is_ok()
}

/// Adds a face to the document for the characters it draws (each once,
/// ascending; those the face lacks are drawn as glyph 0 and left out).
/// `tag` is the six capital letters naming the subset.
pub(crate) fn embed(
    lo: &mut lopdf::Document,
    face: &Face,
    tag: &str,
    chars: impl Iterator<Item = char>,
) -> Embedded {
    let glyphs: Vec<(char, u16, u16)> = chars
        .filter_map(|c| {
            let g = face.glyph(c);
            (g.id != 0).then_some((c, g.id, g.advance))
        })
        .collect();
    let mut gids: Vec<u16> = glyphs.iter().map(|g| g.1).collect();
    gids.sort_unstable();
    gids.dedup();
    let program = program(face, &gids);
    let cid = |gid: u16| {
        gids.binary_search(&gid)
            .ok()
            .and_then(|i| program.cids.get(i).copied())
            .unwrap_or(0)
    };

    // Per code: its width and its character (the first, which is the
    // lowest, of those sharing a glyph).
    let mut by_cid: Vec<(u16, u16, char)> = Vec::with_capacity(gids.len());
    let mut pairs = Vec::with_capacity(glyphs.len());
    for &(c, gid, advance) in &glyphs {
        let code = cid(gid);
        pairs.push((c, code));
        by_cid.push((code, advance, c));
    }
    by_cid.sort_by_key(|&(code, _, c)| (code, c));
    by_cid.dedup_by_key(|g| g.0);

    let d = &face.descriptor;
    let name = if program.subset {
        format!("{tag}+{}", d.postscript_name)
    } else {
        d.postscript_name.clone()
    };
    let mut file = Stream::new(Dictionary::new(), program.deflated.clone());
    file.dict.set("Filter", "FlateDecode");
    if d.truetype {
        file.dict
            .set("Length1", Object::Integer(program.length as i64));
    } else {
        file.dict.set("Subtype", "OpenType");
    }
    file.allows_compression = false;
    let file = lo.add_object(Object::Stream(file));

    let flags = 32 | if d.italic_angle != 0 { 64 } else { 0 };
    let mut descriptor = Dictionary::new();
    descriptor.set("Type", "FontDescriptor");
    descriptor.set("FontName", Object::Name(name.clone().into_bytes()));
    descriptor.set("Ascent", d.ascent);
    descriptor.set("Descent", d.descent);
    descriptor.set("CapHeight", d.cap_height);
    descriptor.set("ItalicAngle", d.italic_angle);
    descriptor.set("Flags", flags);
    descriptor.set("StemV", d.stem_v);
    descriptor.set(
        "FontBBox",
        Object::Array(d.bbox.iter().map(|&v| Object::Integer(v)).collect()),
    );
    descriptor.set(
        if d.truetype { "FontFile2" } else { "FontFile3" },
        Object::Reference(file),
    );
    let descriptor = lo.add_object(Object::Dictionary(descriptor));

    let scale = 1000.0 / face.units_per_em();
    let mut cid_font = Dictionary::new();
    cid_font.set("Type", "Font");
    cid_font.set(
        "Subtype",
        if d.truetype {
            "CIDFontType2"
        } else {
            "CIDFontType0"
        },
    );
    cid_font.set("BaseFont", Object::Name(name.clone().into_bytes()));
    let mut system = Dictionary::new();
    system.set(
        "Registry",
        Object::String(b"Adobe".to_vec(), StringFormat::Literal),
    );
    system.set(
        "Ordering",
        Object::String(b"Identity".to_vec(), StringFormat::Literal),
    );
    system.set("Supplement", 0);
    cid_font.set("CIDSystemInfo", Object::Dictionary(system));
    cid_font.set("FontDescriptor", Object::Reference(descriptor));
    cid_font.set("DW", DEFAULT_WIDTH);
    // Thousandths of an em, cut (not rounded) as printpdf did: the
    // positions LibreOffice's PDF is compared with were measured so.
    let widths: Vec<(u16, i64)> = by_cid
        .iter()
        .filter(|g| g.0 != 0)
        .map(|&(code, advance, _)| (code, (f32::from(advance) * scale) as i64))
        .collect();
    cid_font.set("W", Object::Array(width_array(&widths)));
    if d.truetype {
        cid_font.set("CIDToGIDMap", "Identity");
    }

    let to_unicode = to_unicode_cmap(by_cid.iter().filter(|g| g.0 != 0).map(|g| (g.0, g.2)));
    // Left uncompressed: a few hundred bytes, which deflate would halve
    // for the cost of setting up a compressor's tables again.
    let mut to_unicode = Stream::new(Dictionary::new(), to_unicode.into_bytes());
    to_unicode.allows_compression = false;
    let to_unicode = lo.add_object(Object::Stream(to_unicode));

    let mut font = Dictionary::new();
    font.set("Type", "Font");
    font.set("Subtype", "Type0");
    font.set("BaseFont", Object::Name(name.into_bytes()));
    font.set("Encoding", "Identity-H");
    font.set(
        "DescendantFonts",
        Object::Array(vec![Object::Dictionary(cid_font)]),
    );
    font.set("ToUnicode", Object::Reference(to_unicode));
    let font = lo.add_object(Object::Dictionary(font));
    Embedded {
        font,
        descriptor,
        glyph_count: program.glyph_count,
        codes: GlyphCodes::new(pairs),
    }
}

/// The program for a glyph set, from the cache or made now.
fn program(face: &Face, gids: &[u16]) -> Arc<Program> {
    let cache = PROGRAMS.get_or_init(Default::default);
    let key = (face.id, gids.to_vec());
    if let Some(p) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return p;
    }
    let program = Arc::new(make_program(face, gids));
    if let Ok(mut c) = cache.lock() {
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(key, program.clone());
    }
    program
}

/// Subsets, slims and deflates; a face that cannot be subset is embedded
/// whole, its codes the glyph ids.
fn make_program(face: &Face, gids: &[u16]) -> Program {
    let mut remapper = subsetter::GlyphRemapper::new();
    for &g in gids {
        remapper.remap(g);
    }
    let (bytes, cids, subset) = match subsetter::subset(face.data(), 0, &remapper) {
        Ok(bytes) => {
            let cids = gids.iter().map(|&g| remapper.get(g).unwrap_or(0)).collect();
            let bytes = if face.descriptor.truetype {
                sfnt::slim(&bytes).unwrap_or(bytes)
            } else {
                bytes
            };
            (bytes, cids, true)
        }
        Err(_) => (face.data().to_vec(), gids.to_vec(), false),
    };
    Program {
        deflated: compact::deflate_fast(&bytes),
        length: bytes.len(),
        glyph_count: sfnt::glyph_count(&bytes).unwrap_or(0),
        cids,
        subset,
    }
}

/// The `/W` array: runs of consecutive codes, `first [w1 w2 …]`.
fn width_array(widths: &[(u16, i64)]) -> Vec<Object> {
    let mut out = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut first = 0u16;
    let mut last = 0u16;
    for &(code, w) in widths {
        if !run.is_empty() && code != last.wrapping_add(1) {
            out.push(Object::Integer(i64::from(first)));
            out.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            first = code;
        }
        run.push(Object::Integer(w));
        last = code;
    }
    if !run.is_empty() {
        out.push(Object::Integer(i64::from(first)));
        out.push(Object::Array(run));
    }
    out
}

/// A `/ToUnicode` CMap for `(code, character)` pairs in ascending code
/// order: runs of consecutive codes for consecutive characters as
/// `bfrange`, the rest as `bfchar`, at most 100 to a block as the format
/// asks.
fn to_unicode_cmap(pairs: impl Iterator<Item = (u16, char)>) -> String {
    let mut ranges: Vec<(u16, u16, char)> = Vec::new();
    for (code, c) in pairs {
        if let Some(last) = ranges.last_mut() {
            let next_char = char::from_u32(last.2 as u32 + u32::from(last.1 - last.0) + 1);
            // A range stays inside one last byte of code and of character.
            if code == last.1.wrapping_add(1)
                && next_char == Some(c)
                && code & 0xFF != 0
                && (c as u32) & 0xFF != 0
                && (c as u32) < 0x1_0000
            {
                last.1 = code;
                continue;
            }
        }
        ranges.push((code, code, c));
    }
    let (singles, runs): (Vec<_>, Vec<_>) = ranges.into_iter().partition(|r| r.0 == r.1);
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         /CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n\
         /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n\
         1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
    );
    let utf16 = |out: &mut String, c: char| {
        let mut units = [0u16; 2];
        for u in c.encode_utf16(&mut units) {
            let _ = write!(out, "{u:04X}");
        }
    };
    for block in singles.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", block.len());
        for &(code, _, c) in block {
            let _ = write!(out, "<{code:04X}> <");
            utf16(&mut out, c);
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    for block in runs.chunks(100) {
        let _ = writeln!(out, "{} beginbfrange", block.len());
        for &(first, last, c) in block {
            let _ = write!(out, "<{first:04X}> <{last:04X}> <");
            utf16(&mut out, c);
            out.push_str(">\n");
        }
        out.push_str("endbfrange\n");
    }
    out.push_str("endcmap CMapName currentdict /CMap defineresource pop end end\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_codes_for_consecutive_characters_make_ranges() {
        let cmap = to_unicode_cmap(
            [(1, ' '), (2, 'А'), (3, 'Б'), (4, 'В'), (5, 'Д'), (6, '𝐀')].into_iter(),
        );
        assert!(cmap.contains("3 beginbfchar\n<0001> <0020>\n<0005> <0414>\n<0006> <D835DC00>\n"));
        assert!(cmap.contains("1 beginbfrange\n<0002> <0004> <0410>\n"));
    }

    #[test]
    fn widths_run_over_consecutive_codes() {
        let w = width_array(&[(1, 250), (2, 500), (4, 722)]);
        assert_eq!(
            w,
            vec![
                Object::Integer(1),
                Object::Array(vec![Object::Integer(250), Object::Integer(500)]),
                Object::Integer(4),
                Object::Array(vec![Object::Integer(722)]),
            ]
        );
    }
}
