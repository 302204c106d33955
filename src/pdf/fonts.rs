//! Fonts: the four faces a PDF embeds and their metrics.
//!
//! Widths come from the same TTF files that are embedded, so a line measured
//! here is exactly as wide as the one the viewer draws. The files are read
//! in place with ttf-parser (no copy of the ~390 KB bundled faces, no table
//! of every glyph): what layout asks for is looked up once per block of
//! characters, on first use.

use crate::diagnostic::system::reason;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use super::PdfError;

/// Face indices: regular, bold, italic, bold italic (bit 0 bold, bit 1 italic).
pub(crate) const FACES: usize = 4;

/// Characters below this code point have their glyph and advance cached,
/// a block of [`BLOCK`] characters at a time: Latin, Cyrillic and general
/// punctuation cover every seed.
const TABLE_END: u32 = 0x2200;

/// Characters per cached block: a document uses a few letters of many
/// blocks (digits, Cyrillic, dashes and quotes), each looked up once.
const BLOCK: u32 = 32;

/// Advance of a character the font lacks, in ems. The writer draws it as
/// glyph 0 (`.notdef`), leaves glyph 0 out of the `/W` widths and declares
/// `/DW 1000`, so a viewer advances one em: the layout must do the same.
pub(crate) const NOTDEF_ADVANCE_EM: f32 = 1.0;

/// A character's glyph in a face: its id (0 when the face lacks it) and
/// advance in font units.
#[derive(Clone, Copy, Default)]
pub(crate) struct Glyph {
    pub(crate) id: u16,
    pub(crate) advance: u16,
}

/// What the PDF's font descriptor says about a face, in thousandths of an em.
#[derive(Clone, Debug)]
pub(crate) struct Descriptor {
    /// The PostScript name, reduced to characters a PDF name keeps plain.
    pub(crate) postscript_name: String,
    pub(crate) ascent: i64,
    pub(crate) descent: i64,
    pub(crate) cap_height: i64,
    pub(crate) italic_angle: i64,
    pub(crate) stem_v: i64,
    pub(crate) bbox: [i64; 4],
    /// TrueType outlines (`glyf`); otherwise CFF.
    pub(crate) truetype: bool,
}

/// One face: the font file plus what layout and the writer read from it.
pub(crate) struct Face {
    /// The font file: bundled in the binary, or read from a file and kept
    /// for the rest of the process (fonts are given once, on the command
    /// line), so that the parsed face can borrow it.
    data: &'static [u8],
    /// The face, parsed in place (ttf-parser reads tables where they lie).
    font: ttf_parser::Face<'static>,
    /// Units per em.
    upem: f32,
    /// Ascender, in ems (hhea), where LibreOffice puts the baseline.
    pub(crate) ascent: f32,
    /// Ascender + descender + line gap, in ems: LibreOffice's single spacing.
    pub(crate) line: f32,
    /// Glyph and advance of the characters below [`TABLE_END`], by block.
    blocks: Vec<OnceLock<Box<[Glyph]>>>,
    /// The font descriptor's numbers.
    pub(crate) descriptor: Descriptor,
    /// Unique in the process: keys the cache of embedded subsets.
    pub(crate) id: u64,
    /// The file's name or path, for warnings.
    pub(crate) name: String,
}

/// The next face's [`Face::id`].
static NEXT_FACE_ID: AtomicU64 = AtomicU64::new(1);

impl Face {
    fn parse(data: &'static [u8], name: &str) -> Result<Face, PdfError> {
        let broken = || PdfError::Font(name.to_string());
        let font = ttf_parser::Face::parse(data, 0).map_err(|_| broken())?;
        let tables = font.tables();
        if tables.cmap.is_none()
            || tables.hmtx.is_none()
            || (tables.glyf.is_none() && tables.cff.is_none())
        {
            return Err(broken());
        }
        let units = tables.head.units_per_em;
        let upem = f32::from(units.max(1));
        let hhea = tables.hhea;
        let ascent = f32::from(hhea.ascender);
        let descent = f32::from(hhea.descender).abs();
        let line_gap = f32::from(hhea.line_gap);
        let descriptor = descriptor(&font, name);
        let blocks = (0..TABLE_END / BLOCK).map(|_| OnceLock::new()).collect();
        Ok(Face {
            upem,
            ascent: ascent / upem,
            line: (ascent + descent + line_gap) / upem,
            blocks,
            descriptor,
            id: NEXT_FACE_ID.fetch_add(1, Ordering::Relaxed),
            name: name.to_string(),
            data,
            font,
        })
    }

    /// The font file.
    pub(crate) fn data(&self) -> &[u8] {
        self.data
    }

    /// Units per em, as the writer scales widths.
    pub(crate) fn units_per_em(&self) -> f32 {
        self.upem
    }

    /// The font's name in messages: the file name without folder and
    /// extension («LiberationSerif-Regular»).
    pub(crate) fn label(&self) -> &str {
        std::path::Path::new(&self.name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(&self.name)
    }

    /// The glyph of `c`, id 0 when the face has none.
    pub(crate) fn glyph(&self, c: char) -> Glyph {
        let cp = c as u32;
        match self.blocks.get((cp / BLOCK) as usize) {
            Some(block) => {
                block.get_or_init(|| self.read_block(cp / BLOCK * BLOCK))[(cp % BLOCK) as usize]
            }
            None => self.read(&[c]).first().copied().unwrap_or_default(),
        }
    }

    /// Advance of `c` in ems, or `None` when the font has no glyph for it.
    pub(crate) fn advance(&self, c: char) -> Option<f32> {
        let g = self.glyph(c);
        (g.id != 0).then(|| f32::from(g.advance) / self.upem)
    }

    fn read_block(&self, first: u32) -> Box<[Glyph]> {
        let chars: Vec<char> = (first..first + BLOCK)
            .map(|cp| char::from_u32(cp).unwrap_or('\0'))
            .collect();
        self.read(&chars).into_boxed_slice()
    }

    /// Glyphs of some characters, read from the file.
    fn read(&self, chars: &[char]) -> Vec<Glyph> {
        let font = &self.font;
        chars
            .iter()
            .map(|&c| match font.glyph_index(c).filter(|g| g.0 != 0) {
                Some(g) => Glyph {
                    id: g.0,
                    advance: font.glyph_hor_advance(g).unwrap_or(0),
                },
                None => Glyph::default(),
            })
            .collect()
    }
}

/// The font descriptor's numbers, as PDF producers derive them: metrics
/// from hhea and head, the cap height from OS/2 (the ascent without it),
/// the slant from the caret, the stem from the weight.
fn descriptor(font: &ttf_parser::Face, file: &str) -> Descriptor {
    let tables = font.tables();
    let upem = f32::from(tables.head.units_per_em.max(1));
    let scale = |v: i16| (f32::from(v) * 1000.0 / upem).round() as i64;
    let hhea = tables.hhea;
    let ascent = scale(hhea.ascender);
    let cap_height = tables
        .os2
        .and_then(|os2| os2.capital_height())
        .map_or(ascent, scale);
    let italic_angle = tables.post.map_or(0.0, |p| p.italic_angle).round() as i64;
    let weight = tables.os2.map_or(0, |os2| os2.weight().to_number());
    let stem_v = if weight == 0 {
        80
    } else {
        50 + (f32::from(weight) / 65.0).powi(2).round() as i64
    };
    let b = tables.head.global_bbox;
    let postscript_name = font
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .map(|n| {
            n.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| {
            Path::new(file)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("Font")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        });
    Descriptor {
        postscript_name,
        ascent,
        descent: scale(hhea.descender),
        cap_height,
        italic_angle,
        stem_v,
        bbox: [
            scale(b.x_min),
            scale(b.y_min),
            scale(b.x_max),
            scale(b.y_max),
        ],
        truetype: tables.glyf.is_some(),
    }
}

/// One face, parsed when first used: a protocol rarely needs all four.
pub(crate) struct LazyFace {
    bytes: &'static [u8],
    name: &'static str,
    parsed: OnceLock<Face>,
}

impl LazyFace {
    fn get(&self) -> &Face {
        self.parsed
            .get_or_init(|| Face::parse(self.bytes, self.name).expect("a bundled face parses"))
    }
}

/// Where a set's faces come from.
enum Faces {
    /// Bundled, parsed on first use.
    Bundled([LazyFace; FACES]),
    /// Read from the user's files and parsed at once, so that a broken file
    /// is reported before anything is built.
    Files([Face; FACES]),
}

/// The four faces of one typeface. Cheap to clone.
#[derive(Clone)]
pub struct FontSet {
    faces: Arc<Faces>,
    /// XXH3 of the font files, 0 for the bundled fonts (they change only
    /// with gostdoc itself): part of an incremental build's setup.
    fingerprint: u128,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let regular = match &*self.faces {
            Faces::Bundled(faces) => faces[0].name.to_string(),
            Faces::Files(faces) => faces[0].name.clone(),
        };
        f.debug_struct("FontSet")
            .field("regular", &regular)
            .finish()
    }
}

impl Default for FontSet {
    fn default() -> Self {
        FontSet::liberation()
    }
}

/// Liberation Serif, shared by the whole process.
static LIBERATION: OnceLock<FontSet> = OnceLock::new();

impl FontSet {
    /// Liberation Serif, bundled in the binary (metric-compatible with Times New Roman).
    pub fn liberation() -> FontSet {
        LIBERATION
            .get_or_init(|| {
                let face = |bytes: &'static [u8], name: &'static str| LazyFace {
                    bytes,
                    name,
                    parsed: OnceLock::new(),
                };
                FontSet {
                    faces: Arc::new(Faces::Bundled([
                        face(
                            include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf"),
                            "LiberationSerif-Regular.ttf",
                        ),
                        face(
                            include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf"),
                            "LiberationSerif-Bold.ttf",
                        ),
                        face(
                            include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf"),
                            "LiberationSerif-Italic.ttf",
                        ),
                        face(
                            include_bytes!("../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
                            "LiberationSerif-BoldItalic.ttf",
                        ),
                    ])),
                    fingerprint: 0,
                }
            })
            .clone()
    }

    /// Four TTF files (regular, bold, italic, bold italic), e.g. PT Astra Serif.
    pub fn from_files(
        regular: &Path,
        bold: &Path,
        italic: &Path,
        bold_italic: &Path,
    ) -> Result<FontSet, PdfError> {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut load = |path: &Path| {
            let bytes = std::fs::read(path)
                .map_err(|e| PdfError::FontFile(path.display().to_string(), reason(&e)))?;
            hasher.update(&xxhash_rust::xxh3::xxh3_128(&bytes).to_le_bytes());
            let name = path.display().to_string();
            let face = Face::parse(Box::leak(bytes.into_boxed_slice()), &name)?;
            // A file that parses but cannot be subset would fail only when
            // a PDF is written: try it now.
            if !super::embed::can_subset(&face) {
                return Err(PdfError::Font(name));
            }
            Ok(face)
        };
        let faces = [
            load(regular)?,
            load(bold)?,
            load(italic)?,
            load(bold_italic)?,
        ];
        Ok(FontSet {
            faces: Arc::new(Faces::Files(faces)),
            fingerprint: hasher.digest128(),
        })
    }

    /// XXH3 of the font files, 0 for the bundled fonts.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// The face for a bold/italic combination.
    pub(crate) fn face(&self, index: u8) -> &Face {
        let i = usize::from(index) % FACES;
        match &*self.faces {
            Faces::Bundled(faces) => faces[i].get(),
            Faces::Files(faces) => &faces[i],
        }
    }
}

/// Face index of a run style.
pub(crate) fn face_index(bold: bool, italic: bool) -> u8 {
    u8::from(bold) | (u8::from(italic) << 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The widths layout reads are those printpdf (allsorts) read before:
    /// every character of the four bundled faces, glyph or none, same
    /// advance, and the same vertical metrics.
    #[test]
    fn advances_and_metrics_are_those_printpdf_read() {
        let fonts = FontSet::liberation();
        for i in 0..FACES as u8 {
            let face = fonts.face(i);
            let mut warnings = Vec::new();
            let old = printpdf::ParsedFont::from_bytes(face.data(), 0, &mut warnings).unwrap();
            let m = old.get_font_metrics();
            let upem = f32::from(m.units_per_em.max(1));
            assert_eq!(face.ascent, m.ascent / upem);
            assert_eq!(face.line, (m.ascent + m.descent + m.line_gap) / upem);
            for cp in (0..0x3_0000u32).filter_map(char::from_u32) {
                let want = old
                    .lookup_glyph_index(cp as u32)
                    .filter(|g| *g != 0)
                    .map(|g| f32::from(old.get_horizontal_advance(g)) / upem);
                assert_eq!(face.advance(cp), want, "{} U+{:04X}", face.name, cp as u32);
                if want.is_some() {
                    assert_eq!(
                        Some(face.glyph(cp).id),
                        old.lookup_glyph_index(cp as u32),
                        "{} U+{:04X}",
                        face.name,
                        cp as u32
                    );
                }
            }
        }
    }

    #[test]
    fn a_file_that_is_no_font_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let broken = dir.path().join("broken.ttf");
        std::fs::write(&broken, b"not a font at all").unwrap();
        let good = dir.path().join("good.ttf");
        std::fs::write(
            &good,
            include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf"),
        )
        .unwrap();
        assert!(FontSet::from_files(&good, &good, &good, &good).is_ok());
        assert!(matches!(
            FontSet::from_files(&good, &broken, &good, &good),
            Err(PdfError::Font(_))
        ));
    }
}
