//! Images: turns the document's PNG and JPEG files into PDF image XObjects.
//!
//! A baseline or progressive JPEG in grey or RGB goes into the PDF as it is
//! (`DCTDecode`): decoding and recompressing it would only lose quality and
//! add bytes. Anything else (PNG, CMYK or 12-bit JPEG) is decoded by
//! printpdf and stored losslessly with Flate, alpha as a soft mask.

use std::collections::BTreeMap;

use printpdf::{
    DictItem, ExternalStream, ExternalXObject, ImageCompression, ImageOptimizationOptions, Px,
    RawImage, RawImageData, RawImageFormat, XObject,
};

/// How printpdf stores decoded images: Flate, lossless. A fully opaque
/// alpha channel is dropped and an all-grey colour image is stored as grey,
/// which loses nothing either.
pub(crate) fn compression() -> ImageOptimizationOptions {
    ImageOptimizationOptions {
        quality: None,
        max_image_size: None,
        dither_greyscale: Some(false),
        convert_to_greyscale: Some(false),
        auto_optimize: Some(true),
        format: Some(ImageCompression::Flate),
    }
}

/// The XObject for an image file, or why it cannot be drawn. `opaque`
/// (PDF/A) lays a picture with an alpha channel on white first: PDF/A
/// forbids the soft mask that would carry its transparency.
pub(crate) fn xobject(data: &[u8], opaque: bool) -> Result<XObject, String> {
    if let Some(jpeg) = jpeg_header(data) {
        return Ok(jpeg_passthrough(data, jpeg));
    }
    let mut warnings = Vec::new();
    let mut image = RawImage::decode_from_bytes(data, &mut warnings)?;
    if opaque {
        on_white(&mut image);
    }
    Ok(XObject::Image(image))
}

/// Composites an 8-bit picture with alpha (grey or colour) onto white and
/// drops the alpha channel; other pictures are left as they are.
fn on_white(image: &mut RawImage) {
    let (channels, colours, bgr) = match image.data_format {
        RawImageFormat::RG8 => (2, 1, false),
        RawImageFormat::RGBA8 => (4, 3, false),
        RawImageFormat::BGRA8 => (4, 3, true),
        _ => return,
    };
    let RawImageData::U8(pixels) = &image.pixels else {
        return;
    };
    let mut out = Vec::with_capacity(pixels.len() / channels * colours);
    for px in pixels.chunks_exact(channels) {
        let alpha = u32::from(px[channels - 1]);
        let mut put = |c: u8| {
            // c·a + 255·(1 − a), rounded.
            out.push(((u32::from(c) * alpha + 255 * (255 - alpha) + 127) / 255) as u8);
        };
        if bgr {
            px[..3].iter().rev().for_each(|&c| put(c));
        } else {
            px[..colours].iter().for_each(|&c| put(c));
        }
    }
    image.pixels = RawImageData::U8(out);
    image.data_format = if colours == 1 {
        RawImageFormat::R8
    } else {
        RawImageFormat::RGB8
    };
}

/// What a PDF reader needs to know about a JPEG it decodes itself.
#[derive(Clone, Copy, Debug, PartialEq)]
struct JpegHeader {
    width: u16,
    height: u16,
    components: u8,
}

/// The frame header of a JPEG that PDF's `DCTDecode` reads as it is:
/// baseline, extended or progressive Huffman coding, 8 bits, grey or
/// YCbCr. `None` for anything else, which is then decoded instead.
fn jpeg_header(data: &[u8]) -> Option<JpegHeader> {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    while i + 4 <= data.len() {
        if data[i] != 0xFF {
            return None;
        }
        let marker = data[i + 1];
        // Fill bytes and markers without a length.
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        let body = data.get(i + 4..i + 2 + len)?;
        match marker {
            0xC0..=0xC2 => {
                let [precision, h1, h0, w1, w0, components, ..] = *body else {
                    return None;
                };
                let header = JpegHeader {
                    width: u16::from_be_bytes([w1, w0]),
                    height: u16::from_be_bytes([h1, h0]),
                    components,
                };
                let usable = precision == 8
                    && matches!(components, 1 | 3)
                    && header.width > 0
                    && header.height > 0;
                return usable.then_some(header);
            }
            // Other frame types (lossless, arithmetic, CMYK via Adobe): decode.
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return None,
            // Start of scan before any frame header: not a valid file.
            0xDA | 0xD9 => return None,
            _ => i += 2 + len,
        }
    }
    None
}

/// The JPEG's own bytes as an image XObject.
fn jpeg_passthrough(data: &[u8], h: JpegHeader) -> XObject {
    let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
    let colour = if h.components == 1 {
        "DeviceGray"
    } else {
        "DeviceRGB"
    };
    let dict = BTreeMap::from([
        ("Type".to_string(), name("XObject")),
        ("Subtype".to_string(), name("Image")),
        ("Width".to_string(), DictItem::Int(i64::from(h.width))),
        ("Height".to_string(), DictItem::Int(i64::from(h.height))),
        ("ColorSpace".to_string(), name(colour)),
        ("BitsPerComponent".to_string(), DictItem::Int(8)),
        ("Filter".to_string(), name("DCTDecode")),
    ]);
    XObject::External(ExternalXObject {
        stream: ExternalStream {
            dict,
            content: data.to_vec(),
            // Already compressed: Flate on top would only add bytes.
            compress: false,
        },
        width: Some(Px(usize::from(h.width))),
        height: Some(Px(usize::from(h.height))),
        dpi: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_frame_header_of_a_jpeg() {
        let jpeg = crate::pdf::tests::TINY_JPEG;
        assert_eq!(
            jpeg_header(jpeg),
            Some(JpegHeader {
                width: 1,
                height: 1,
                components: 1
            })
        );
        assert_eq!(jpeg_header(crate::pdf::tests::TINY_PNG), None);
        assert_eq!(jpeg_header(&jpeg[..20]), None);
    }

    #[test]
    fn rejects_what_is_not_an_image() {
        assert!(xobject(b"not an image", false).is_err());
        assert!(matches!(
            xobject(crate::pdf::tests::TINY_PNG, false),
            Ok(XObject::Image(_))
        ));
    }

    #[test]
    fn pdfa_lays_a_transparent_picture_on_white() {
        let mut image = RawImage {
            // Red, fully transparent; black, opaque; black, half covered.
            pixels: RawImageData::U8(vec![255, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128]),
            width: 3,
            height: 1,
            data_format: RawImageFormat::RGBA8,
            tag: Vec::new(),
        };
        on_white(&mut image);
        assert_eq!(image.data_format, RawImageFormat::RGB8);
        assert_eq!(
            image.pixels,
            RawImageData::U8(vec![255, 255, 255, 0, 0, 0, 127, 127, 127])
        );
        // Grey with alpha becomes grey; an opaque picture is left alone.
        let mut grey = RawImage {
            pixels: RawImageData::U8(vec![0, 0]),
            width: 1,
            height: 1,
            data_format: RawImageFormat::RG8,
            tag: Vec::new(),
        };
        on_white(&mut grey);
        assert_eq!(
            (grey.data_format, grey.pixels),
            (RawImageFormat::R8, RawImageData::U8(vec![255]))
        );
        let mut rgb = RawImage {
            pixels: RawImageData::U8(vec![1, 2, 3]),
            width: 1,
            height: 1,
            data_format: RawImageFormat::RGB8,
            tag: Vec::new(),
        };
        on_white(&mut rgb);
        assert_eq!(rgb.pixels, RawImageData::U8(vec![1, 2, 3]));
    }
}
