//! Fonts: the four faces a PDF embeds and their metrics.
//!
//! Widths come from the same TTF files that are embedded, so a line measured
//! here is exactly as wide as the one the viewer draws.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use printpdf::ParsedFont;

use super::PdfError;

/// Face indices: regular, bold, italic, bold italic (bit 0 bold, bit 1 italic).
pub(crate) const FACES: usize = 4;

/// Characters below this code point have their advance cached in a table:
/// Latin, Cyrillic and general punctuation cover every seed.
const TABLE_END: u32 = 0x2200;

/// Marks a character the font has no glyph for.
const MISSING: u16 = u16::MAX;

/// Advance of a character the font lacks, in ems. printpdf draws it as
/// glyph 0 (`.notdef`), leaves glyph 0 out of the `/W` widths and declares
/// `/DW 1000`, so a viewer advances one em: the layout must do the same.
pub(crate) const NOTDEF_ADVANCE_EM: f32 = 1.0;

/// One face: the parsed font for embedding plus a width table for layout.
pub(crate) struct Face {
    /// The parsed font, given to printpdf for subsetting.
    pub(crate) parsed: ParsedFont,
    /// Units per em.
    upem: f32,
    /// Ascender, in ems (hhea), where LibreOffice puts the baseline.
    pub(crate) ascent: f32,
    /// Ascender + descender + line gap, in ems: LibreOffice's single spacing.
    pub(crate) line: f32,
    /// Advance of every character below [`TABLE_END`], font units.
    table: Vec<u16>,
    /// The file's name or path, for warnings.
    pub(crate) name: String,
}

impl Face {
    fn parse(bytes: &[u8], name: &str) -> Result<Face, PdfError> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| PdfError::Font(name.to_string()))?;
        let m = parsed.get_font_metrics();
        let upem = f32::from(m.units_per_em.max(1));
        let mut table = vec![MISSING; TABLE_END as usize];
        // Only the ranges text actually uses; the rest stays MISSING and is
        // looked up on demand.
        for range in [0x20..0x250u32, 0x400..0x530, 0x2000..TABLE_END] {
            for cp in range {
                if let Some(gid) = parsed.lookup_glyph_index(cp).filter(|g| *g != 0) {
                    table[cp as usize] = parsed.get_horizontal_advance(gid);
                }
            }
        }
        Ok(Face {
            upem,
            ascent: m.ascent / upem,
            line: (m.ascent + m.descent + m.line_gap) / upem,
            table,
            name: name.to_string(),
            parsed,
        })
    }

    /// The font's name in messages: the file name without folder and
    /// extension («LiberationSerif-Regular»).
    pub(crate) fn label(&self) -> &str {
        std::path::Path::new(&self.name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(&self.name)
    }

    /// Advance of `c` in ems, or `None` when the font has no glyph for it.
    pub(crate) fn advance(&self, c: char) -> Option<f32> {
        let cp = c as u32;
        let units = match self.table.get(cp as usize) {
            Some(&MISSING) if (0x20..0x250).contains(&cp) || (0x400..TABLE_END).contains(&cp) => {
                return None;
            }
            Some(&w) if w != MISSING => w,
            _ => {
                let gid = self.parsed.lookup_glyph_index(cp).filter(|g| *g != 0)?;
                self.parsed.get_horizontal_advance(gid)
            }
        };
        Some(f32::from(units) / self.upem)
    }
}

/// One face, parsed when first used: a protocol rarely needs all four, and
/// parsing a face costs more than laying out a page.
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
                .map_err(|e| PdfError::FontFile(path.display().to_string(), e.to_string()))?;
            hasher.update(&xxhash_rust::xxh3::xxh3_128(&bytes).to_le_bytes());
            Face::parse(&bytes, &path.display().to_string())
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
