//! The markup's own XML reader against roxmltree: on every markup the
//! reader takes, the document (with its warnings) is the one roxmltree's
//! tree gives; on every other one, and on every error, `parse` gives
//! what roxmltree gives, message, line and column. The markups: every
//! example's and starter's as the built-in templates write it (which the
//! reader must take: that is what it is for), the fuzz corpus, and
//! thousands of markups made from them and at random by a mutator with a
//! fixed seed.

mod common;
use common::*;

use gostdoc::markup::{Purpose, parse_fast, parse_for, parse_reference};
use std::path::PathBuf;

/// A picture by name, as the build's reader would give it, or an error.
fn files(name: &str) -> std::io::Result<Vec<u8>> {
    if name.contains("missing") || name.contains("нет") {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, "нет"))
    } else {
        Ok(name.as_bytes().to_vec())
    }
}

/// Parses `markup` every way and checks they agree; gives whether our
/// reader took it.
fn agree(markup: &str) -> bool {
    let mut read = false;
    for purpose in [Purpose::Layout, Purpose::Check] {
        let reference = parse_reference(markup, &files, purpose);
        if let Some(fast) = parse_fast(markup, &files, purpose) {
            assert!(
                reference.as_ref().ok() == Some(&fast),
                "our reader and roxmltree differ on {markup:?}:\n{:?}\n{:?}",
                reference,
                fast
            );
            read = true;
        }
        assert!(
            parse_for(markup, &files, purpose) == reference,
            "parse and roxmltree differ on {markup:?}"
        );
    }
    read
}

/// The markup of every example of `data/` and every starter, as the
/// built-in templates write it.
fn template_markups() -> Vec<(PathBuf, String)> {
    let templates = gostdoc::template::Templates::load_for_documents(None).unwrap();
    let mut inputs = example_documents();
    let starters = root().join("src/starters");
    for entry in std::fs::read_dir(&starters).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            inputs.push(p);
        }
    }
    inputs.sort();
    inputs
        .into_iter()
        .filter_map(|p| {
            let markup = gostdoc::build::markup(&p, &templates).ok()?.1;
            Some((p, markup))
        })
        .collect()
}

#[test]
fn every_template_markup_is_read_by_our_reader_as_by_roxmltree() {
    let markups = template_markups();
    assert!(markups.len() >= 15, "{}", markups.len());
    for (path, markup) in &markups {
        assert!(agree(markup), "our reader declined {}", path.display());
    }
}

/// `GOSTDOC_MARKUP_DIRS=dir1:dir2 cargo test --release --test markup_reader
/// -- --ignored`: every TOML document of those folders (a batch of
/// variants) the same way.
#[test]
#[ignore]
fn every_document_of_the_given_folders() {
    let templates = gostdoc::template::Templates::load_for_documents(None).unwrap();
    let dirs = std::env::var("GOSTDOC_MARKUP_DIRS").expect("GOSTDOC_MARKUP_DIRS");
    let mut count = 0;
    for dir in std::env::split_paths(&dirs) {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let Ok((_, markup)) = gostdoc::build::markup(&p, &templates) else {
                continue;
            };
            assert!(agree(&markup), "our reader declined {}", p.display());
            in_pieces(&p, &templates);
            count += 1;
        }
    }
    eprintln!("{count} documents agree");
}

/// A long table's rows are rendered and parsed a slice at a time: each
/// slice's markup the same way (the slices must all be read by our
/// reader, as the whole markups are).
/// Gives how many markups were parsed.
fn in_pieces(path: &std::path::Path, templates: &gostdoc::template::Templates) -> usize {
    let Ok(model) = gostdoc::model::load(path) else {
        return 0;
    };
    use std::sync::atomic::{AtomicUsize, Ordering};
    let parsed = AtomicUsize::new(0);
    // Shared with the thread that parses the slices.
    let parse = |m: &str| {
        assert!(
            agree(m),
            "our reader declined a slice of {}",
            path.display()
        );
        parsed.fetch_add(1, Ordering::Relaxed);
        parse_for(m, &files, Purpose::Check)
    };
    let _ = templates.render_in_pieces(gostdoc::view::build(&model), &parse, &parse);
    parsed.load(Ordering::Relaxed)
}

/// A plan with a table long enough to be rendered a slice at a time,
/// with merged cells and lists in cells.
#[test]
fn the_slices_of_a_long_table_agree() {
    let starter = std::fs::read_to_string(root().join("src/starters/plan.toml")).unwrap();
    let at = starter.find("[[appendix.table.row]]").unwrap();
    let (head, rows) = starter.split_at(at);
    let mut text = head.to_owned();
    text.push_str(&rows.repeat(200));
    let row = "[[appendix.table.row]]\ncells = [\"Сделать - и «проверить»:\\n- раз;\\n- два\", \
               \"май 2025 г.\", \"Иванов И.И.\"]\n";
    text.push_str(&row.repeat(600));
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(dir.path(), "plan.toml", text.as_bytes());
    let templates = gostdoc::template::Templates::load_for_documents(None).unwrap();
    let (_, markup) = gostdoc::build::markup(&path, &templates).unwrap();
    assert!(agree(&markup));
    assert!(in_pieces(&path, &templates) > 2);
}

#[test]
fn the_fuzz_corpus_agrees() {
    let dir = root().join("fuzz/corpus/markup");
    let mut read = 0;
    let mut all = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        read += usize::from(agree(&text));
        all += 1;
    }
    assert!(all > 20 && read > 0, "{read} of {all}");
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// What a mutation inserts: the markup's own pieces, and every kind of
/// XML our reader declines or must get right.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&apos;",
    "&#39;",
    "&#160;",
    "&#xA0;",
    "&#xa0;",
    "&#X41;",
    "&#65;",
    "&#0065;",
    "&#0;",
    "&#9;",
    "&#10;",
    "&#13;",
    "&#x20;",
    "&#xD800;",
    "&#xFFFE;",
    "&#x10FFFF;",
    "&#x110000;",
    "&#99999999999;",
    "&#x;",
    "&#;",
    "&nbsp;",
    "&amp",
    "&ampx;",
    "]]>",
    "]]",
    "]",
    "<!-- c -->",
    "<!---->",
    "<![CDATA[x < y]]>",
    "<?pi x?>",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE document>",
    "\r",
    "\r\n",
    "\t",
    "\n",
    " ",
    "  ",
    "'",
    "\"",
    "=",
    " = ",
    "/",
    "/>",
    "</p>",
    "<p>",
    "</ p>",
    "</p >",
    "<p >",
    "<p/>",
    "<b>",
    "</b>",
    "<i>x</i>",
    "<br/>",
    "<br />",
    " xmlns=\"urn:x\"",
    " xmlns:a=\"urn:x\"",
    "a:",
    ":",
    " a:b=\"1\"",
    " align=\"center\"",
    " align='left'",
    " align=\"c&#10;x\"",
    " title=\"a\tb\nc\"",
    " x=\"1\" x=\"2\"",
    " x=\"1\"x=\"2\"",
    " x='&lt;'",
    " x=\"<\"",
    " heading=\"1\"",
    " point=\"1.\"",
    " keep=\"next\"",
    " span=\"2\"",
    " rowspan=\"2\"",
    " widths=\"10 20\"",
    " lines=\"as-written\"",
    " width=\"30\"",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{1}",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
    "\u{feff}",
    "ё",
    "é",
    "p\u{e9}",
    "<\u{444}>",
    "\u{b7}",
    "-",
    ".",
    "_",
    "1",
    "<pagebreak/>",
    "<qr>x</qr>",
    "<image src=\"missing.png\"/>",
    "<image src=\"a.png\" place=\"page-top\"/>",
    "<spread><left>a</left><right>b</right></spread>",
    "<signature><line>Глава</line><name>А.Б. Иванов</name></signature>",
    "<box><p>x</p></box>",
    "<list><item><p>x</p></item></list>",
    "<table widths=\"10 20\"><row><cell><p>a</p></cell><cell><p>b</p></cell></row></table>",
    "</section><section orientation=\"landscape\">",
    "</cell>",
    "</row>",
    "</document>",
    "<document>",
];

/// A random markup of the vocabulary, mostly well formed.
fn random_markup(rng: &mut Rng) -> String {
    const TEXT: &[&str] = &[
        "Текст",
        " ",
        "\n  ",
        "слово&#160;слово",
        "А.Б.&#160;Иванов",
        "&quot;Ромашка&quot;",
        "a &amp; b",
        "&lt;тег&gt;",
        "РЕШИЛИ:",
        "1.",
        "«ёлка»",
        "x",
    ];
    const INLINE: &[&str] = &["b", "i", "u", "sp", "nh"];
    fn text(rng: &mut Rng, out: &mut String) {
        for _ in 0..rng.below(4) {
            out.push_str(rng.pick(TEXT));
        }
    }
    fn inline(rng: &mut Rng, out: &mut String, depth: usize) {
        for _ in 0..rng.below(4) {
            match rng.below(6) {
                0 if depth < 3 => {
                    let tag = rng.pick(INLINE);
                    out.push_str(&format!("<{tag}>"));
                    inline(rng, out, depth + 1);
                    out.push_str(&format!("</{tag}>"));
                }
                1 => out.push_str("<br/>"),
                _ => text(rng, out),
            }
        }
    }
    fn paragraph(rng: &mut Rng, out: &mut String) {
        const ATTRS: &[&str] = &[
            "",
            " align=\"center\"",
            " align='right'",
            " indent=\"0\"",
            " heading=\"1\"",
            " point=\"2.1.\"",
            " keep=\"next\"",
            " size=\"12\"",
            " before=\"6\" after=\"6\"",
            " hyphenate=\"no\"",
            " width=\"80\"",
            " rule=\"below\"",
            " left = '10' ",
        ];
        out.push_str(&format!("<p{}>", rng.pick(ATTRS)));
        inline(rng, out, 0);
        out.push_str("</p>");
    }
    fn block(rng: &mut Rng, out: &mut String) {
        match rng.below(8) {
            0 => {
                out.push_str("<list kind=\"numbered\">");
                for _ in 0..1 + rng.below(3) {
                    out.push_str("<item>");
                    paragraph(rng, out);
                    out.push_str("</item>");
                }
                out.push_str("</list>");
            }
            1 => {
                out.push_str("<table widths=\"20 30\">");
                for r in 0..1 + rng.below(3) {
                    out.push_str(if r == 0 {
                        "<row header=\"yes\">"
                    } else {
                        "<row>"
                    });
                    if rng.below(3) == 0 {
                        out.push_str("<cell span=\"2\">");
                        paragraph(rng, out);
                        out.push_str("</cell>");
                    } else {
                        for _ in 0..2 {
                            out.push_str("<cell>");
                            paragraph(rng, out);
                            out.push_str("</cell>");
                        }
                    }
                    out.push_str("</row>");
                }
                out.push_str("</table>");
            }
            2 => {
                out.push_str("<signature before=\"12\"><line>Глава</line>\n<line>");
                inline(rng, out, 0);
                out.push_str("</line><name>");
                text(rng, out);
                out.push_str("А.Б. Иванов</name></signature>");
            }
            3 => {
                out.push_str("<spread><left>");
                text(rng, out);
                out.push_str("</left><right>№&#160;1</right></spread>");
            }
            4 => {
                out.push_str("<box width=\"70\" lines=\"as-written\">");
                paragraph(rng, out);
                out.push_str("</box>");
            }
            5 => out.push_str("<pagebreak/>"),
            _ => paragraph(rng, out),
        }
        if rng.below(2) == 0 {
            out.push_str("\n  ");
        }
    }
    let mut out = String::new();
    if rng.below(4) == 0 {
        out.push_str("\n ");
    }
    out.push_str("<document title=\"Протокол &#8470; 1\" page-numbers=\"from-second\">");
    for _ in 0..1 + rng.below(2) {
        out.push_str("<section>\n");
        for _ in 0..rng.below(6) {
            block(rng, &mut out);
        }
        out.push_str("</section>");
    }
    out.push_str("</document>\n");
    out
}

/// `text` with 1 to 3 random edits at character boundaries: a token
/// inserted or put in place of a stretch, a stretch deleted or doubled.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s = text.to_owned();
    for _ in 0..1 + rng.below(3) {
        let bounds: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
        let a = bounds[rng.below(bounds.len())];
        let b = bounds[(bounds.partition_point(|&i| i < a) + rng.below(8)).min(bounds.len() - 1)];
        match rng.below(5) {
            0 | 1 => s.insert_str(a, rng.pick(TOKENS)),
            2 => s.replace_range(a..b, rng.pick(TOKENS)),
            3 => s.replace_range(a..b, ""),
            _ => {
                let piece = s[a..b].to_owned();
                s.insert_str(a, &piece);
            }
        }
    }
    s
}

#[test]
fn random_and_mutated_markups_agree() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut read = 0;
    let mut all = 0;
    for _ in 0..3000 {
        let markup = random_markup(&mut rng);
        read += usize::from(agree(&markup));
        all += 1;
        let mutated = mutate(&mut rng, &markup);
        read += usize::from(agree(&mutated));
        all += 1;
    }
    // The templates' markups, each mutated many times.
    let markups = template_markups();
    for (_, markup) in &markups {
        for _ in 0..150 {
            let mutated = mutate(&mut rng, markup);
            read += usize::from(agree(&mutated));
            all += 1;
        }
    }
    // Enough of them read by each, to compare something.
    assert!(read > all / 4 && read < all, "{read} of {all} read");
    eprintln!("{read} of {all} read by our reader");
}

/// The shapes our reader takes are those the templates print; each of
/// these it must decline (roxmltree reads some of them, the others are
/// errors whose message is roxmltree's).
#[test]
fn the_reader_declines_what_templates_never_print() {
    let body = |inner: &str| format!("<document><section>{inner}</section></document>");
    for odd in [
        body("<p>a<!-- c -->b</p>"),
        body("<p><![CDATA[x]]></p>"),
        body("<?pi x?><p>x</p>"),
        format!("<?xml version=\"1.0\"?>{}", body("<p>x</p>")),
        format!("\u{feff}{}", body("<p>x</p>")),
        body("<p>a\r\nb</p>"),
        body("<p>a&#13;b</p>"),
        body("<p>a&#9;b</p>"),
        body("<p>a]]>b</p>"),
        body("<p>a&nbsp;b</p>"),
        body("<p x:y=\"1\">x</p>"),
        body("<p xmlns=\"urn:x\">x</p>"),
        body("<a:p xmlns:a=\"urn:x\">x</a:p>"),
        body("<p align=\"left\" align=\"left\">x</p>"),
        body("<p\u{e9}>x</p\u{e9}>"),
        body("<p>x</b>"),
        body("<p>x"),
        body("<p>\u{1}</p>"),
        "x<document/>".to_owned(),
        "<document/>x".to_owned(),
        "<document/><document/>".to_owned(),
    ] {
        for purpose in [Purpose::Layout, Purpose::Check] {
            assert!(
                parse_fast(&odd, &files, purpose).is_none(),
                "our reader took {odd:?}"
            );
        }
        agree(&odd);
    }
    // And what they print, in every spelling XML allows.
    for plain in [
        body("<p>a&#160;b &#xa0; &#x41;&#65;&amp;&lt;&gt;&quot;&apos;</p>"),
        body("<p align = 'center'\n\tindent=\"0\" >x</p >"),
        body("<p>Иванов\n\tА.Б.</p><pagebreak />"),
        format!("\n  {}\n\n", body("<p/>")),
        "<document/>".to_owned(),
        "<document title=\"a\tb\nc &amp; d &#32;\"/>".to_owned(),
    ] {
        assert!(agree(&plain), "our reader declined {plain:?}");
    }
}

/// The markup tests of `src/markup` with our reader too: an error it
/// meets is said by roxmltree, at the same line and column.
#[test]
fn errors_are_said_at_their_place() {
    let e = gostdoc::markup::parse(
        "<document>\n<section>\n  <para/></section></document>",
        &files,
    )
    .unwrap_err();
    assert_eq!((e.line, e.column), (3, 3));
    assert!(
        parse_fast(
            "<document><section>\n<p>x</p></section></document>",
            &files,
            Purpose::Layout
        )
        .is_some()
    );
}
