//! What makes our PDF a PDF/A-2u file with a PDF/UA-1 structure
//! (`--pdfa`, docs/PDFA.md): the XMP metadata and the Info dictionary
//! saying the same, an sRGB output intent, a `CIDSet` for each embedded
//! font, and the catalog entries a tagged file needs. The structure itself
//! is [`super::tags`]'s; the text's `/ActualText` is [`super::content`]'s.

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use crate::document::Meta;

use super::tags::text_string;

/// The output intent's profile: sRGB from Debian's icc-profiles-free
/// (zlib licence, assets/icc/LICENSE.txt).
const SRGB_ICC: &[u8] = include_bytes!("../../assets/icc/sRGB.icc");

/// The name of the output condition the profile describes.
const SRGB_NAME: &str = "sRGB IEC61966-2.1";

/// Makes the document PDF/A-2u and PDF/UA-1: `structure` is the
/// `StructTreeRoot` [`super::tags::write_tree`] wrote; `fonts` lists each
/// embedded font's descriptor and the number of glyphs in its program.
pub(crate) fn conform(
    lo: &mut lopdf::Document,
    meta: &Meta,
    structure: ObjectId,
    fonts: &[(ObjectId, u16)],
) {
    let dates = Dates::of(&meta.date);
    let info = info_dictionary(meta, dates.as_ref());
    let info = lo.add_object(Object::Dictionary(info));
    lo.trailer.set("Info", Object::Reference(info));

    let mut xmp = Stream::new(Dictionary::new(), xmp(meta, dates.as_ref()).into_bytes());
    xmp.dict.set("Type", Object::Name(b"Metadata".to_vec()));
    xmp.dict.set("Subtype", Object::Name(b"XML".to_vec()));
    // Left uncompressed, so that any tool finds the PDF/A claim.
    xmp.allows_compression = false;
    let xmp = lo.add_object(Object::Stream(xmp));

    let mut icc = Stream::new(Dictionary::new(), SRGB_ICC.to_vec());
    icc.dict.set("N", Object::Integer(3));
    let icc = lo.add_object(Object::Stream(icc));
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    let name = Object::String(SRGB_NAME.as_bytes().to_vec(), StringFormat::Literal);
    intent.set("OutputConditionIdentifier", name.clone());
    intent.set("Info", name);
    intent.set("DestOutputProfile", Object::Reference(icc));

    add_cid_sets(lo, fonts);

    let Ok(root) = lo.trailer.get(b"Root").and_then(Object::as_reference) else {
        return;
    };
    if let Ok(catalog) = lo.get_object_mut(root).and_then(Object::as_dict_mut) {
        catalog.set("Metadata", Object::Reference(xmp));
        catalog.set(
            "OutputIntents",
            Object::Array(vec![Object::Dictionary(intent)]),
        );
        catalog.set("StructTreeRoot", Object::Reference(structure));
        let mut mark_info = Dictionary::new();
        mark_info.set("Marked", Object::Boolean(true));
        catalog.set("MarkInfo", Object::Dictionary(mark_info));
        let mut viewer = Dictionary::new();
        viewer.set("DisplayDocTitle", Object::Boolean(true));
        catalog.set("ViewerPreferences", Object::Dictionary(viewer));
    }
}

/// The document's date as the Info dictionary and XMP write it.
struct Dates {
    /// `D:20240305000000+00'00'`.
    info: String,
    /// `2024-03-05T00:00:00+00:00`.
    xmp: String,
}

impl Dates {
    /// Midnight UTC of the document's own date, as the plain PDF has it;
    /// none when the date is unknown (no clock: rebuilds stay identical).
    fn of(iso: &str) -> Option<Dates> {
        let day = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
        Some(Dates {
            info: day.format("D:%Y%m%d000000+00'00'").to_string(),
            xmp: day.format("%Y-%m-%dT00:00:00+00:00").to_string(),
        })
    }
}

/// The Info dictionary, entry for entry what the XMP says.
fn info_dictionary(meta: &Meta, dates: Option<&Dates>) -> Dictionary {
    let mut info = Dictionary::new();
    for (key, value) in [
        ("Title", &meta.title),
        ("Author", &meta.author),
        ("Subject", &meta.subject),
    ] {
        if !value.is_empty() {
            info.set(key, text_string(value));
        }
    }
    info.set("Creator", text_string("gostdoc"));
    info.set("Producer", text_string("gostdoc"));
    if let Some(d) = dates {
        let date = Object::String(d.info.as_bytes().to_vec(), StringFormat::Literal);
        info.set("CreationDate", date.clone());
        info.set("ModDate", date);
    }
    info
}

/// The XMP packet: PDF/A-2u and PDF/UA-1 identification (with the
/// extension schema PDF/A asks for `pdfuaid`, which it does not
/// predefine), and the Info dictionary's entries.
fn xmp(meta: &Meta, dates: Option<&Dates>) -> String {
    let mut out = String::with_capacity(2048);
    out.push_str(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" \
         xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
         xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
         xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n\
         <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n\
         <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n\
         <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n\
         <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n\
         <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n\
         <pdfaProperty:name>part</pdfaProperty:name>\n\
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n\
         <pdfaProperty:category>internal</pdfaProperty:category>\n\
         <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>\n\
         </rdf:li></rdf:Seq></pdfaSchema:property>\n\
         </rdf:li></rdf:Bag></pdfaExtension:schemas>\n\
         </rdf:Description>\n\
         <rdf:Description rdf:about=\"\" \
         xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" \
         xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
         <pdfaid:part>2</pdfaid:part>\n\
         <pdfaid:conformance>U</pdfaid:conformance>\n\
         <pdfuaid:part>1</pdfuaid:part>\n\
         <dc:format>application/pdf</dc:format>\n",
    );
    if !meta.title.is_empty() {
        out.push_str("<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
        escape(&mut out, &meta.title);
        out.push_str("</rdf:li></rdf:Alt></dc:title>\n");
    }
    if !meta.author.is_empty() {
        out.push_str("<dc:creator><rdf:Seq><rdf:li>");
        escape(&mut out, &meta.author);
        out.push_str("</rdf:li></rdf:Seq></dc:creator>\n");
    }
    if !meta.subject.is_empty() {
        out.push_str("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
        escape(&mut out, &meta.subject);
        out.push_str("</rdf:li></rdf:Alt></dc:description>\n");
    }
    out.push_str("<xmp:CreatorTool>gostdoc</xmp:CreatorTool>\n");
    if let Some(d) = dates {
        for key in ["CreateDate", "ModifyDate", "MetadataDate"] {
            out.push_str(&format!("<xmp:{key}>{}</xmp:{key}>\n", d.xmp));
        }
    }
    out.push_str(
        "<pdf:Producer>gostdoc</pdf:Producer>\n\
         </rdf:Description>\n\
         </rdf:RDF>\n\
         </x:xmpmeta>\n\
         <?xpacket end=\"w\"?>",
    );
    out
}

/// XML text: `&`, `<`, `>` and quotes escaped; characters XML 1.0 does
/// not allow are left out.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

/// Gives each embedded font a `CIDSet` naming every glyph of its
/// program: the subsets number their glyphs from 0, and CIDs are glyph ids
/// (`/CIDToGIDMap /Identity`).
fn add_cid_sets(lo: &mut lopdf::Document, fonts: &[(ObjectId, u16)]) {
    for &(descriptor, glyphs) in fonts {
        let mut bits = vec![0u8; usize::from(glyphs).div_ceil(8)];
        for g in 0..usize::from(glyphs) {
            bits[g / 8] |= 0x80 >> (g % 8);
        }
        let set = lo.add_object(Object::Stream(Stream::new(Dictionary::new(), bits)));
        if let Ok(d) = lo.get_object_mut(descriptor).and_then(Object::as_dict_mut) {
            d.set("CIDSet", Object::Reference(set));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta {
            title: "Протокол № 4 <заседания> & «группы»".into(),
            author: "Администрация".into(),
            subject: String::new(),
            date: "2024-03-05".into(),
            language: "ru-RU".into(),
        }
    }

    #[test]
    fn the_xmp_and_the_info_dictionary_say_the_same() {
        let m = meta();
        let dates = Dates::of(&m.date);
        let xmp = xmp(&m, dates.as_ref());
        assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"));
        assert!(xmp.contains("<pdfaid:conformance>U</pdfaid:conformance>"));
        assert!(xmp.contains("&lt;заседания&gt; &amp; «группы»</rdf:li>"));
        assert!(xmp.contains("<xmp:CreateDate>2024-03-05T00:00:00+00:00</xmp:CreateDate>"));
        assert!(
            !xmp.contains("dc:description"),
            "an empty subject says nothing"
        );
        let info = info_dictionary(&m, dates.as_ref());
        assert_eq!(
            info.get(b"CreationDate").unwrap(),
            &Object::String(b"D:20240305000000+00'00'".to_vec(), StringFormat::Literal)
        );
        assert!(info.get(b"Subject").is_err());
    }

    #[test]
    fn no_date_no_dates() {
        let mut m = meta();
        m.date = String::new();
        assert!(Dates::of(&m.date).is_none());
        assert!(!xmp(&m, None).contains("CreateDate"));
        assert!(info_dictionary(&m, None).get(b"CreationDate").is_err());
    }

    #[test]
    fn the_bundled_profile_is_an_rgb_display_profile() {
        // Device class "mntr" and colour space "RGB " (ICC header).
        assert_eq!(&SRGB_ICC[12..16], b"mntr");
        assert_eq!(&SRGB_ICC[16..20], b"RGB ");
        assert_eq!(
            u32::from_be_bytes(SRGB_ICC[..4].try_into().unwrap()) as usize,
            SRGB_ICC.len()
        );
    }
}
