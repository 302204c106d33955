//! The 2025 requisites in the DOCX: the QR code as a picture anchored to
//! the page, and the electronic-signature mark as a framed text box
//! anchored in the signature's last paragraph. docx-rs writes neither as
//! needed (it wraps every anchored picture square, and has no text box
//! writer), so the builder leaves a placeholder run and [`splice`]
//! replaces it with the drawing's XML once the document part is written.
//! Where both go comes from [`crate::pdf::requisites`], so LibreOffice
//! puts them where our PDF does.

use crate::document::{ElectronicMark, QrCode};
use crate::pdf::requisites::{MARK_FRAME_PT, MARK_PAD_MM, MARK_PT, MarkGeometry};

use super::package::escape as escape_text;

/// Marks a placeholder run's text: a control character, which the
/// builder drops from every user text (as the tables' marker), so no user
/// text can ever look like a placeholder.
const PLACEHOLDER: char = '\u{2}';

const A_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const PIC_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";
const WPS_URI: &str = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape";

/// Drawings waiting for their placeholders, with the pictures they embed.
#[derive(Default)]
pub(super) struct Anchors {
    /// The `<w:r>` of each drawing, by placeholder number.
    runs: Vec<String>,
    /// Pictures: part name under word/ and bytes.
    pub(super) media: Vec<(String, Vec<u8>)>,
    /// Relationships of those pictures.
    pub(super) rels: String,
}

/// Text for XML the builder writes itself: escaped, and without control
/// characters (invalid in XML, and the placeholders' marker).
fn xml_text(text: &str) -> String {
    escape_text(&text.replace(char::is_control, " "))
}

fn emu(mm: f32) -> i64 {
    (f64::from(mm) * 36000.0).round() as i64
}

impl Anchors {
    /// True when nothing was anchored: the document part is left as it is.
    pub(super) fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The text of the placeholder run of the next drawing.
    fn placeholder(&self) -> String {
        format!("{PLACEHOLDER}{}{PLACEHOLDER}", self.runs.len())
    }

    /// A drawing's id, unique in the document (docx-rs numbers its own
    /// pictures from 1).
    fn id(&self) -> usize {
        9000 + self.runs.len()
    }

    /// The QR code at `at` (its top left corner, mm from the page's),
    /// in front of the text, which it never meets. Returns the
    /// placeholder's text.
    pub(super) fn qr(&mut self, q: &QrCode, at: (f32, f32)) -> String {
        let Ok(symbol) = crate::qr::encode(&q.text) else {
            return String::new();
        };
        let n = self.media.len() + 1;
        let rid = format!("rIdQr{n}");
        let target = format!("media/qr{n}.png");
        self.media
            .push((format!("word/{target}"), crate::qr::png(&symbol)));
        self.rels.push_str(&format!(
            r#"<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{target}" />"#
        ));
        let side = emu(q.size_mm);
        let id = self.id();
        let descr = xml_text(&format!("QR-код: {}", q.text));
        let run = format!(
            r#"<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{id}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH><wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV><wp:extent cx="{side}" cy="{side}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="{id}" name="QR-код" descr="{descr}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{A_NS}" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{PIC_NS}"><pic:pic xmlns:pic="{PIC_NS}"><pic:nvPicPr><pic:cNvPr id="{id}" name="qr{n}.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{side}" cy="{side}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"#,
            x = emu(at.0),
            y = emu(at.1),
        );
        let text = self.placeholder();
        self.runs.push(run);
        text
    }

    /// The mark of an electronic signature: a text box with a frame,
    /// `g.x_mm` from the left margin and `top_mm` below the top of the
    /// paragraph that holds it, in front of the text, which it clears.
    /// Returns the placeholder's text.
    pub(super) fn mark(&mut self, mark: &ElectronicMark, g: &MarkGeometry, top_mm: f32) -> String {
        let id = self.id();
        let (w, h) = (emu(g.width_mm), emu(g.height_mm));
        let pad = emu(MARK_PAD_MM);
        let frame = emu(MARK_FRAME_PT * 25.4 / 72.0);
        let size = (MARK_PT * 2.0).round() as u32;
        let mut paragraphs = String::new();
        let lines = mark
            .heading
            .iter()
            .map(|l| (l, true))
            .chain(mark.lines.iter().map(|l| (l, false)));
        for (text, bold) in lines {
            let (jc, b) = if bold {
                ("center", "<w:b/><w:bCs/>")
            } else {
                ("left", "")
            };
            let rpr =
                format!(r#"<w:rPr>{b}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>"#);
            paragraphs.push_str(&format!(
                r#"<w:p><w:pPr><w:pStyle w:val="{style}"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="{jc}"/>{rpr}</w:pPr><w:r>{rpr}<w:t xml:space="preserve">{t}</w:t></w:r></w:p>"#,
                style = super::package::REQUISITE_STYLE,
                t = xml_text(text),
            ));
        }
        let descr = xml_text(
            &mark
                .heading
                .iter()
                .chain(&mark.lines)
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
        );
        let run = format!(
            r#"<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{id}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:posOffset>{x}</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV><wp:extent cx="{w}" cy="{h}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="{id}" name="Отметка об электронной подписи" descr="{descr}"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{WPS_URI}"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{w}" cy="{h}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln w="{frame}"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="{pad}" tIns="{pad}" rIns="{pad}" bIns="{pad}" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"#,
            x = emu(g.x_mm),
            y = emu(top_mm),
        );
        let text = self.placeholder();
        self.runs.push(run);
        text
    }

    /// Replaces each placeholder run of the document part with its drawing.
    pub(super) fn splice(&self, xml: Vec<u8>) -> Vec<u8> {
        let mut text = String::from_utf8_lossy(&xml).into_owned();
        for (n, run) in self.runs.iter().enumerate() {
            let marker = format!("{PLACEHOLDER}{n}{PLACEHOLDER}");
            let Some(at) = text.find(&marker) else {
                continue;
            };
            // The run that holds the marker: the last one opened before it,
            // with or without attributes.
            let start = text[..at].rfind("<w:r>").max(text[..at].rfind("<w:r "));
            let end = text[at..].find("</w:r>").map(|e| at + e + "</w:r>".len());
            if let (Some(start), Some(end)) = (start, end) {
                text.replace_range(start..end, run);
            }
        }
        text.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::*;

    #[test]
    fn a_user_text_spelling_a_placeholder_stays_text() {
        let forged = format!("до{PLACEHOLDER}0{PLACEHOLDER}после");
        let doc = Document::single_section(
            Meta::default(),
            Orientation::Portrait,
            vec![
                Block::Paragraph(Paragraph::from_text(&forged)),
                Block::Qr(QrCode {
                    text: "https://example.ru/1".into(),
                    size_mm: 20.0,
                    place: QrPlace::Auto,
                }),
            ],
        );
        let docx = crate::docx::render(&doc).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        assert_eq!(xml.matches("name=\"QR-код\"").count(), 1, "{xml}");
        assert!(xml.contains("до0после"), "{xml}");
        assert!(!xml.contains(PLACEHOLDER), "{xml}");
    }

    #[test]
    fn splice_replaces_the_placeholder_run_only() {
        let mut anchors = Anchors::default();
        let marker = anchors.placeholder();
        anchors.runs.push("<w:r><w:drawing/></w:r>".into());
        let xml = format!(
            r#"<w:p><w:r><w:t>до</w:t></w:r><w:r w:rsidR="1"><w:rPr/><w:t xml:space="preserve">{marker}</w:t></w:r><w:r><w:t>после</w:t></w:r></w:p>"#
        );
        let out = String::from_utf8(anchors.splice(xml.into_bytes())).unwrap();
        assert_eq!(
            out,
            "<w:p><w:r><w:t>до</w:t></w:r><w:r><w:drawing/></w:r><w:r><w:t>после</w:t></w:r></w:p>"
        );
    }
}
