//! The files the browser loads, all inside the binary (the editor works
//! offline): the page's script and style, CodeMirror 5 (vendored from npm
//! `codemirror@5.65.21`, with its licence) and the fonts the PDF embeds,
//! which the preview's SVG is set in.

/// A file under `/assets/`: its bytes and content type.
pub(crate) fn get(name: &str) -> Option<(&'static [u8], &'static str)> {
    const JS: &str = "text/javascript; charset=utf-8";
    const CSS: &str = "text/css; charset=utf-8";
    const TEXT: &str = "text/plain; charset=utf-8";
    const FONT: &str = "font/ttf";
    Some(match name {
        "editor.js" => (include_bytes!("assets/editor.js"), JS),
        "index.js" => (include_bytes!("assets/index.js"), JS),
        "style.css" => (include_bytes!("assets/style.css"), CSS),
        "codemirror.js" => (include_bytes!("assets/codemirror/codemirror.js"), JS),
        "codemirror.css" => (include_bytes!("assets/codemirror/codemirror.css"), CSS),
        "toml.js" => (include_bytes!("assets/codemirror/toml.js"), JS),
        "codemirror-LICENSE.txt" => (include_bytes!("assets/codemirror/LICENSE"), TEXT),
        "fonts/LiberationSerif-Regular.ttf" => (
            include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf"),
            FONT,
        ),
        "fonts/LiberationSerif-Bold.ttf" => (
            include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf"),
            FONT,
        ),
        "fonts/LiberationSerif-Italic.ttf" => (
            include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf"),
            FONT,
        ),
        "fonts/LiberationSerif-BoldItalic.ttf" => (
            include_bytes!("../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
            FONT,
        ),
        "fonts/LICENSE.txt" => (include_bytes!("../../assets/fonts/LICENSE"), TEXT),
        _ => return None,
    })
}

/// The page listing the documents (its list filled in by [`super::routes`]).
pub(crate) const INDEX_HTML: &str = include_str!("assets/index.html");

/// The editor's page.
pub(crate) const EDITOR_HTML: &str = include_str!("assets/editor.html");

/// Text for HTML: markup characters escaped.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A query parameter value for a link: everything but unreserved ASCII
/// percent-encoded.
pub(crate) fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
