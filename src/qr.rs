//! The QR-code requisite of ГОСТ Р 7.0.97-2025 («Штрих-код (QR-код)
//! документа», the 31st requisite): the symbol, its size, and a PNG of it
//! for the DOCX. The PDF draws the same modules as filled squares
//! ([`crate::pdf::requisites`]), so both show one symbol.
//!
//! The standard places the code bottom right of the first page, or top
//! right (or elsewhere free) when there is no room; it gives no size
//! (sources: klerk.ru/user/2473698/658473, delo-press.ru «ГОСТ Р 7.0.97 на
//! оформление документов: изменения в 2025 году»). The size and the quiet
//! zone here are a **house default**: the quiet zone of ISO/IEC 18004 (4
//! modules), a square of at least 20 mm, larger when a module would be
//! smaller than 0.4 mm (what a phone camera reads off paper printed at
//! 300 dpi), error correction level M (15 %).

use qrcode::{EcLevel, QrCode};

/// Light modules around the symbol on each side (ISO/IEC 18004, 4 modules).
pub const QUIET_MODULES: usize = 4;
/// The smallest side of the square with its quiet zone, mm (house default).
pub const MIN_SIZE_MM: f32 = 20.0;
/// The smallest module, mm (house default): larger texts get a larger square.
pub const MIN_MODULE_MM: f32 = 0.4;
/// The longest text gostdoc encodes, bytes of UTF-8: a link or the
/// registration data fit in far less, and a longer text would need a
/// square too large for a corner of the page.
pub const MAX_BYTES: usize = 400;

/// A QR symbol: dark modules row by row, without the quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// Modules per side.
    pub width: usize,
    dark: Vec<bool>,
}

impl Symbol {
    /// True when the module at column `x`, row `y` is dark.
    pub fn dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Modules per side with the quiet zone on both sides.
    pub fn width_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_MODULES
    }

    /// The side of the square (quiet zone included) gostdoc prints when
    /// none is asked for, mm.
    pub fn default_size_mm(&self) -> f32 {
        let by_module = self.width_with_quiet_zone() as f32 * MIN_MODULE_MM;
        // Whole tenths of a millimetre, so that both backends round alike.
        (MIN_SIZE_MM.max(by_module) * 10.0).ceil() / 10.0
    }
}

/// Encodes `text` (UTF-8 bytes, error correction M). The error is in
/// Russian, for the user.
pub fn encode(text: &str) -> Result<Symbol, String> {
    if text.trim().is_empty() {
        return Err("текст QR-кода пуст".into());
    }
    if text.len() > MAX_BYTES {
        return Err(format!(
            "текст QR-кода слишком длинный: {} байт, а помещается не больше {MAX_BYTES}; дайте короткую ссылку",
            text.len()
        ));
    }
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| format!("не удалось построить QR-код: {e}"))?;
    Ok(Symbol {
        width: code.width(),
        dark: code
            .into_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    })
}

/// Pixels per module in the PNG: enough that a picture scaled to the page
/// stays sharp at 300 dpi without smoothing.
const PNG_MODULE_PX: usize = 8;

/// The symbol with its quiet zone as a greyscale PNG (1 bit per pixel,
/// no transparency: fine for PDF/A and for Word).
pub fn png(symbol: &Symbol) -> Vec<u8> {
    let modules = symbol.width_with_quiet_zone();
    let side = modules * PNG_MODULE_PX;
    let row_bytes = side.div_ceil(8);
    let mut data = vec![0u8; row_bytes * side];
    for py in 0..side {
        for px in 0..side {
            let mx = (px / PNG_MODULE_PX).wrapping_sub(QUIET_MODULES);
            let my = (py / PNG_MODULE_PX).wrapping_sub(QUIET_MODULES);
            // 1 is white in a greyscale PNG.
            if !symbol.dark(mx, my) {
                data[py * row_bytes + px / 8] |= 0x80 >> (px % 8);
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        // Writing into a Vec cannot fail; an empty result would be caught
        // by the DOCX writer's format check.
        if let Ok(mut writer) = encoder.write_header() {
            let _ = writer.write_image_data(&data);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_encodes_with_a_20_mm_square() {
        let s = encode("https://zarechny.ru/docs/45-r").unwrap();
        assert_eq!(s.width, 29);
        assert_eq!(s.default_size_mm(), 20.0);
        // The finder pattern's corner is dark, its inside ring light.
        assert!(s.dark(0, 0) && !s.dark(1, 1));
    }

    #[test]
    fn long_text_gets_a_larger_square_and_too_long_is_refused() {
        let s = encode(&"Распоряжение № 45-р ".repeat(10)).unwrap();
        assert!(s.default_size_mm() > 20.0, "{}", s.default_size_mm());
        assert!((s.default_size_mm() / s.width_with_quiet_zone() as f32) >= MIN_MODULE_MM);
        assert!(
            encode(&"я".repeat(300))
                .unwrap_err()
                .contains("слишком длинный")
        );
        assert!(encode(" ").is_err());
    }

    #[test]
    fn the_png_is_a_png_of_the_right_size() {
        let s = encode("x").unwrap();
        let png = png(&s);
        assert!(png.starts_with(b"\x89PNG"));
        let decoder = ::png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        let side = (s.width_with_quiet_zone() * PNG_MODULE_PX) as u32;
        assert_eq!((reader.info().width, reader.info().height), (side, side));
    }
}
