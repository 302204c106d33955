//! Makes a font subset smaller before it is embedded: what no PDF reader
//! uses goes, the outlines stay exactly as they are.
//!
//! - The TrueType hinting: the `fpgm`, `prep` and `cvt ` programs and each
//!   glyph's instructions. They snap outlines to the pixel grid of a screen
//!   at small sizes. PDF viewers mostly render unhinted anyway (pdf.js,
//!   poppler by default, macOS and iOS, Acrobat's own rasteriser) and a
//!   printer's resolution makes them pointless; in Liberation Serif they are
//!   about half the bytes of a subset, and the bytes a protocol's PDF spends
//!   most on (and deflates, which costs most of the writer's time).
//! - The `post` table's glyph names (version 3: none), which a CID font
//!   never uses.
//! - The `name` records a viewer never shows ([`KEPT_NAMES`] stay:
//!   copyright, names, licence).
//!
//! typst's `subsetter` does the subsetting itself; none of the maintained
//! Rust crates removes hinting, hence the little table surgery here.

/// Name records kept (Windows platform only): copyright, family, style,
/// PostScript name, licence and its URL. The rest (unique and full names,
/// version, the trademark notice, descriptions, designer and vendor URLs)
/// no PDF reader shows.
const KEPT_NAMES: [u16; 6] = [0, 1, 2, 6, 13, 14];

/// Tables that only hint.
const HINTING: [&[u8; 4]; 3] = [b"fpgm", b"prep", b"cvt "];

/// The font without hinting, glyph names and the names no one reads; `None`
/// when it cannot be read (the caller embeds it as it is).
pub(crate) fn slim(font: &[u8]) -> Option<Vec<u8>> {
    let tables = table_directory(font)?;
    let table = |tag: &[u8; 4]| {
        tables
            .iter()
            .find(|(t, ..)| t == tag)
            .map(|&(_, off, len)| &font[off..off + len])
    };
    let head = table(b"head")?;
    let long_loca = read_u16(head, 50)? != 0;
    let glyf_loca = match (table(b"glyf"), table(b"loca")) {
        (Some(glyf), Some(loca)) => Some(strip_instructions(glyf, loca, long_loca)?),
        _ => None,
    };
    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(tables.len());
    for &(tag, off, len) in &tables {
        let data = &font[off..off + len];
        let new = match &tag {
            t if HINTING.contains(&t) && glyf_loca.is_some() => continue,
            b"glyf" => glyf_loca.as_ref().map(|g| g.0.clone())?,
            b"loca" => glyf_loca.as_ref().map(|g| g.1.clone())?,
            b"maxp" if glyf_loca.is_some() => without_instruction_limits(data),
            b"head" if glyf_loca.is_some() => {
                let mut h = data.to_vec();
                // Bit 4 of the flags: "instructions may alter advance
                // widths"; there are none now.
                if let Some(flags) = read_u16(&h, 16) {
                    h[16..18].copy_from_slice(&(flags & !0x10).to_be_bytes());
                }
                h
            }
            b"post" if data.len() >= 32 => {
                let mut p = data[..32].to_vec();
                p[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
                p
            }
            b"name" => trim_names(data).unwrap_or_else(|| data.to_vec()),
            _ => data.to_vec(),
        };
        out_tables.push((tag, new));
    }
    let refs: Vec<([u8; 4], &[u8])> = out_tables.iter().map(|(t, d)| (*t, &d[..])).collect();
    Some(assemble(font[..4].try_into().ok()?, &refs))
}

/// `maxp` with no instructions to make room for.
fn without_instruction_limits(maxp: &[u8]) -> Vec<u8> {
    let mut m = maxp.to_vec();
    // Version 1.0: maxSizeOfInstructions at 26.
    if read_u32(&m, 0) == Some(0x0001_0000) && m.len() >= 28 {
        m[26..28].fill(0);
    }
    m
}

/// `glyf` and `loca` with every glyph's instructions left out, `loca` in
/// the format it had.
fn strip_instructions(glyf: &[u8], loca: &[u8], long: bool) -> Option<(Vec<u8>, Vec<u8>)> {
    let count = if long { loca.len() / 4 } else { loca.len() / 2 };
    let offset = |i: usize| -> Option<usize> {
        if long {
            read_u32(loca, 4 * i).map(|v| v as usize)
        } else {
            read_u16(loca, 2 * i).map(|v| 2 * usize::from(v))
        }
    };
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity(loca.len());
    let push_offset = |loca: &mut Vec<u8>, at: usize| -> Option<()> {
        if long {
            loca.extend_from_slice(&u32::try_from(at).ok()?.to_be_bytes());
        } else {
            loca.extend_from_slice(&u16::try_from(at / 2).ok()?.to_be_bytes());
        }
        Some(())
    };
    for i in 0..count.saturating_sub(1) {
        push_offset(&mut new_loca, new_glyf.len())?;
        let (from, to) = (offset(i)?, offset(i + 1)?);
        let glyph = glyf.get(from..to)?;
        if !glyph.is_empty() {
            new_glyf.extend_from_slice(&glyph_without_instructions(glyph)?);
            // Glyphs start on an even offset (the short format needs it)
            // and, as fonts usually do, on four bytes.
            new_glyf.resize(new_glyf.len().next_multiple_of(4), 0);
        }
    }
    push_offset(&mut new_loca, new_glyf.len())?;
    Some((new_glyf, new_loca))
}

/// One glyph's description without its instructions.
fn glyph_without_instructions(glyph: &[u8]) -> Option<Vec<u8>> {
    let contours = read_u16(glyph, 0)? as i16;
    if contours >= 0 {
        // Header (10 bytes), endPtsOfContours, instructionLength,
        // instructions, then flags and coordinates.
        let at = 10 + 2 * contours as usize;
        let length = usize::from(read_u16(glyph, at)?);
        let rest = glyph.get(at + 2 + length..)?;
        let mut out = Vec::with_capacity(at + 2 + rest.len());
        out.extend_from_slice(glyph.get(..at)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(rest);
        return Some(out);
    }
    // A composite: components until one without MORE_COMPONENTS; the
    // instructions, if WE_HAVE_INSTRUCTIONS, follow the last.
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAVE_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAVE_X_AND_Y_SCALE: u16 = 0x0040;
    const HAVE_TWO_BY_TWO: u16 = 0x0080;
    const HAVE_INSTRUCTIONS: u16 = 0x0100;
    let mut out = glyph.get(..10)?.to_vec();
    let mut at = 10;
    loop {
        let flags = read_u16(glyph, at)?;
        let mut size = 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        if flags & HAVE_SCALE != 0 {
            size += 2;
        } else if flags & HAVE_X_AND_Y_SCALE != 0 {
            size += 4;
        } else if flags & HAVE_TWO_BY_TWO != 0 {
            size += 8;
        }
        let start = out.len();
        out.extend_from_slice(glyph.get(at..at + size)?);
        out[start..start + 2].copy_from_slice(&(flags & !HAVE_INSTRUCTIONS).to_be_bytes());
        at += size;
        if flags & MORE_COMPONENTS == 0 {
            return Some(out);
        }
    }
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

/// `numGlyphs` of a font's `maxp` table.
pub(crate) fn glyph_count(font: &[u8]) -> Option<u16> {
    let (_, offset, _) = *table_directory(font)?
        .iter()
        .find(|(tag, ..)| tag == b"maxp")?;
    read_u16(font, offset + 4)
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

#[cfg(test)]
mod tests {
    use super::*;

    const REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf");

    #[test]
    fn the_slim_font_keeps_every_outline_and_advance() {
        let slim = slim(REGULAR).expect("Liberation reads");
        assert!(slim.len() < REGULAR.len() * 3 / 4, "{}", slim.len());
        let before = ttf_parser::Face::parse(REGULAR, 0).unwrap();
        let after = ttf_parser::Face::parse(&slim, 0).unwrap();
        assert_eq!(before.number_of_glyphs(), after.number_of_glyphs());
        struct Path(String);
        impl ttf_parser::OutlineBuilder for Path {
            fn move_to(&mut self, x: f32, y: f32) {
                self.0 += &format!("M{x},{y}");
            }
            fn line_to(&mut self, x: f32, y: f32) {
                self.0 += &format!("L{x},{y}");
            }
            fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
                self.0 += &format!("Q{a},{b},{x},{y}");
            }
            fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
                self.0 += &format!("C{a},{b},{c},{d},{x},{y}");
            }
            fn close(&mut self) {
                self.0 += "Z";
            }
        }
        for g in 0..before.number_of_glyphs() {
            let g = ttf_parser::GlyphId(g);
            let (mut a, mut b) = (Path(String::new()), Path(String::new()));
            let box_a = before.outline_glyph(g, &mut a);
            let box_b = after.outline_glyph(g, &mut b);
            assert_eq!(box_a, box_b, "{g:?}");
            assert_eq!(a.0, b.0, "{g:?}");
            assert_eq!(before.glyph_hor_advance(g), after.glyph_hor_advance(g));
        }
        let tables = table_directory(&slim).unwrap();
        let tags: Vec<&[u8]> = tables.iter().map(|t| &t.0[..]).collect();
        for gone in [&b"fpgm"[..], b"prep", b"cvt "] {
            assert!(!tags.contains(&gone));
        }
        // The whole file sums to the magic number, as the spec requires.
        assert_eq!(checksum(&slim), 0xB1B0_AFBA);
        assert_eq!(glyph_count(&slim), Some(before.number_of_glyphs()));
    }

    #[test]
    fn names_no_one_reads_go() {
        let tables = table_directory(REGULAR).unwrap();
        let (_, off, len) = *tables.iter().find(|t| &t.0 == b"name").unwrap();
        let trimmed = trim_names(&REGULAR[off..off + len]).unwrap();
        assert!(trimmed.len() < len);
        assert_eq!(trim_names(&trimmed), Some(trimmed.clone()));
    }
}
