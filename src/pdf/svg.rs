//! The pages of a [`Layout`] as SVG, for the preview of `gostdoc serve`.
//!
//! The SVG draws what the PDF writer draws, at the same places: every
//! text run where the layout set it, each piece of a justified line at
//! its own x (so the browser's own spacing never moves a word), the rules
//! and the pictures. Its text is real `<text>`, so the page can be read,
//! searched and tested in the browser.
//!
//! Units are millimetres (the `viewBox` is the page in mm). Faces are CSS
//! classes `f0`–`f3` (regular, bold, italic, bold italic): the page that
//! shows the SVG declares them with the fonts the PDF embeds, so the
//! glyphs and their advances are the PDF's. Kerning and ligatures must be
//! off there, as in the PDF.

use std::fmt::Write;

use super::Layout;
use super::fonts::{FontSet, NOTDEF_ADVANCE_EM};
use super::layout::{Draw, Piece, Run};
use super::linebreak::{PT, SPACED, SPACED_PT};
use crate::document::ImageFormat;

/// One `<svg>` element per page, in order. `fonts` must be the set the
/// document was laid out with: pieces are placed with its advances.
pub fn pages(layout: &Layout, fonts: &FontSet) -> Vec<String> {
    layout
        .pages
        .iter()
        .enumerate()
        .map(|(index, page)| {
            let mut out = String::with_capacity(page.draws.len() * 80 + 256);
            let (w, h) = (page.width_mm, page.height_mm);
            let _ = write!(
                out,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"page\" \
                 viewBox=\"0 0 {w} {h}\" data-page=\"{n}\" \
                 aria-label=\"Страница {n}\">\
                 <rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>",
                w = num(w),
                h = num(h),
                n = index + 1,
            );
            for draw in &page.draws {
                match draw {
                    Draw::Text {
                        x,
                        y,
                        style,
                        size,
                        text: run,
                    } => text(&mut out, fonts, *x, *y, *style, *size, run),
                    Draw::Rule {
                        x1,
                        y1,
                        x2,
                        y2,
                        width_pt,
                    } => {
                        let _ = write!(
                            out,
                            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#000\" stroke-width=\"{}\"/>",
                            num(*x1),
                            num(*y1),
                            num(*x2),
                            num(*y2),
                            num(width_pt * PT)
                        );
                    }
                    Draw::Image { index, x, y, w, h } => {
                        if let Some(image) = layout.images.get(*index) {
                            image_element(&mut out, &image.data, *x, *y, *w, *h);
                        }
                    }
                    // Marks of a tagged PDF draw nothing.
                    Draw::Mark(_) => {}
                }
            }
            out.push_str("</svg>");
            out
        })
        .collect()
}

/// One text run: a `<text>` of the run's face and size, a `<tspan>` per
/// piece of characters at the x the layout gives it.
fn text(out: &mut String, fonts: &FontSet, x: f32, y: f32, style: u8, size: f32, run: &Run) {
    let face_index = style & 3;
    let face = fonts.face(face_index);
    let spacing = if style & SPACED != 0 {
        SPACED_PT * PT
    } else {
        0.0
    };
    let _ = write!(
        out,
        "<text class=\"f{face_index}\" y=\"{}\" font-size=\"{}\"",
        num(y),
        num(size * PT)
    );
    if spacing > 0.0 {
        let _ = write!(out, " letter-spacing=\"{}\"", num(spacing));
    }
    out.push('>');
    let mut at = x;
    for piece in run.pieces() {
        match piece {
            Piece::Gap(mm) => at += mm,
            Piece::Str(s) => {
                if s.is_empty() {
                    continue;
                }
                let _ = write!(out, "<tspan x=\"{}\">", num(at));
                escape_into(out, s);
                out.push_str("</tspan>");
                let ems: f32 = s
                    .chars()
                    .map(|c| face.advance(c).unwrap_or(NOTDEF_ADVANCE_EM))
                    .sum();
                at += ems * size * PT + spacing * s.chars().count() as f32;
            }
        }
    }
    out.push_str("</text>");
}

/// A picture as a data URL in its box.
fn image_element(out: &mut String, data: &[u8], x: f32, y: f32, w: f32, h: f32) {
    let mime = match ImageFormat::sniff(data) {
        Some(ImageFormat::Png) => "image/png",
        Some(ImageFormat::Jpeg) => "image/jpeg",
        // Refused when the document was read; never drawn.
        None => return,
    };
    let _ = write!(
        out,
        "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" href=\"data:{mime};base64,",
        num(x),
        num(y),
        num(w),
        num(h)
    );
    base64_into(out, data);
    out.push_str("\"/>");
}

/// A coordinate in mm with at most three decimals: a micrometre is far
/// below a screen's pixel.
fn num(v: f32) -> String {
    let rounded = (f64::from(v) * 1000.0).round() / 1000.0;
    if rounded == 0.0 {
        return "0".into();
    }
    format!("{rounded}")
}

/// Text as XML character data: markup characters escaped, and the
/// characters XML forbids (C0 controls) shown as U+FFFD.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// Standard base64 with padding.
fn base64_into(out: &mut String, data: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_as_the_standard_says() {
        let encode = |data: &[u8]| {
            let mut s = String::new();
            base64_into(&mut s, data);
            s
        };
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg==");
        assert_eq!(encode(b"fo"), "Zm8=");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn markup_and_control_characters_never_reach_the_svg_raw() {
        let mut s = String::new();
        escape_into(&mut s, "a<b>&\"c\u{1}");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c\u{fffd}");
    }

    #[test]
    fn numbers_keep_three_decimals_at_most() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(297.0004), "297");
        assert_eq!(num(1.23456), "1.235");
    }
}
