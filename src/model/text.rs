//! Running text as a secretary types it in a TOML string: paragraphs
//! separated by blank lines, list items on lines starting with «- ».

use serde::Serialize;

/// `String::from_utf8`, the bytes checked with SIMD first (std checks
/// Cyrillic a character at a time: a tenth of a `check` went there);
/// std's own check only for bytes that are not UTF-8, for its error.
pub(crate) fn string_from_utf8(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: the bytes were just checked to be UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

/// A block of running text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "content", rename_all = "lowercase")]
pub enum TextBlock {
    /// A paragraph; single newlines inside were joined with a space.
    Paragraph(String),
    /// A bulleted list, one string per item.
    Bullets(Vec<String>),
}

/// Splits text into paragraphs and bulleted lists.
pub fn parse_blocks(text: &str) -> Vec<TextBlock> {
    // Most texts (a table cell) are one paragraph: room for it alone, not
    // the four blocks a first push makes room for (13 MB for the 105,000
    // cells of a 35,000-row roadmap).
    let mut blocks = Vec::with_capacity(1);
    let mut paragraph: Vec<&str> = Vec::new();
    let mut bullets: Vec<String> = Vec::new();

    fn flush_paragraph(p: &mut Vec<&str>, out: &mut Vec<TextBlock>) {
        if !p.is_empty() {
            out.push(TextBlock::Paragraph(p.join(" ")));
            p.clear();
        }
    }
    fn flush_bullets(b: &mut Vec<String>, out: &mut Vec<TextBlock>) {
        if !b.is_empty() {
            out.push(TextBlock::Bullets(std::mem::take(b)));
        }
    }

    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_bullets(&mut bullets, &mut blocks);
        } else if let Some(item) = bullet_item(line) {
            flush_paragraph(&mut paragraph, &mut blocks);
            bullets.push(item.to_owned());
        } else if let Some(last) = bullets.last_mut() {
            // A wrapped continuation line of a list item.
            last.push(' ');
            last.push_str(line);
        } else {
            paragraph.push(line);
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    flush_bullets(&mut bullets, &mut blocks);
    blocks
}

/// [`parse_blocks`] of a text it may keep: one line with nothing to trim
/// and no bullet, as nearly every table cell is, becomes its paragraph
/// without a copy.
pub fn parse_blocks_owned(text: String) -> Vec<TextBlock> {
    if !text.is_empty()
        && !text.contains('\n')
        && text.trim().len() == text.len()
        && bullet_item(&text).is_none()
    {
        vec![TextBlock::Paragraph(text)]
    } else {
        parse_blocks(&text)
    }
}

fn bullet_item(line: &str) -> Option<&str> {
    ["- ", "– ", "— ", "• "]
        .iter()
        .find_map(|m| line.strip_prefix(m))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_kept_whole_reads_as_the_same_blocks() {
        for text in [
            "Отдел образования",
            " Отдел образования",
            "Отдел образования ",
            "Отдел\rобразования\r",
            "",
            "   ",
            "- пункт",
            "– пункт",
            "— пункт",
            "• пункт",
            "-пункт",
            "первая строка\nвторая",
            "первая\r\n\r\nвторая",
            "\u{a0}неразрывный\u{a0}",
            "текст\u{2003}",
        ] {
            assert_eq!(
                parse_blocks_owned(text.to_owned()),
                parse_blocks(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn paragraphs_and_lists() {
        let blocks = parse_blocks(
            "Первая строка\nпродолжение.\n\nВторой абзац, а именно:\n- один;\n- два\n  длинный.\n\nИтог.",
        );
        assert_eq!(
            blocks,
            vec![
                TextBlock::Paragraph("Первая строка продолжение.".into()),
                TextBlock::Paragraph("Второй абзац, а именно:".into()),
                TextBlock::Bullets(vec!["один;".into(), "два длинный.".into()]),
                TextBlock::Paragraph("Итог.".into()),
            ]
        );
    }

    #[test]
    fn empty_text_has_no_blocks() {
        assert!(parse_blocks("  \n\n").is_empty());
    }
}
