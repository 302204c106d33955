//! User text comes out literally: it can never become markup or template
//! code.

mod common;
use common::*;

const NASTY: &[&str] = &[
    "<b>не жирный</b>",
    "Рога & копыта",
    "\"в кавычках\"",
    "{{ x }}",
    "{% if %}",
    "</p></section><section orientation=\"landscape\">",
    "&amp; &#160;",
];

/// A protocol with every nasty text in a title, venue, agenda item,
/// decisions, deadlines and a signature.
fn nasty_protocol(options: &str) -> String {
    let mut toml = format!("kind = \"protocol\"\n{options}\n[meeting]\ntitle = '''");
    toml.push_str(NASTY[0]);
    toml.push_str("'''\ndate = 2021-06-24\nvenue = '''");
    toml.push_str(NASTY[1]);
    toml.push_str("'''\n\n[[agenda]]\ntitle = '''");
    toml.push_str(NASTY[2]);
    toml.push_str("'''\n\n");
    for (i, text) in NASTY.iter().enumerate() {
        toml.push_str(&format!(
            "[[decision]]\ntext = '''{text}'''\ndeadline = '''в течение {i} дня {text}'''\n\n"
        ));
    }
    toml.push_str(
        "[[signature]]\nposition = '''{{ position }} <i>'''\nperson = \"Климова О.Н.\"\n",
    );
    toml
}

#[test]
fn markup_and_template_code_in_user_text_print_as_typed() {
    // Without the typographic pass, which turns "…" into «…».
    let toml = nasty_protocol("\n[options]\ntypography = false\n");
    let dir = tempfile::tempdir().unwrap();
    let input = write_temp(dir.path(), "x.toml", toml.as_bytes());
    let docx = render(&input);
    let text = docx_text(&docx);
    for nasty in NASTY {
        assert!(
            text.contains(nasty),
            "«{nasty}» is not in the DOCX text:\n{text}"
        );
    }
    assert!(text.contains("{{ position }} <i>"));
    // Still one portrait section: the injected </section> did nothing.
    let xml = part(&docx, "word/document.xml");
    assert_eq!(xml.matches("<w:sectPr").count(), 1);
    assert!(!xml.contains("w:orient=\"landscape\""));
    // The injected <b> produced no bold run around its text.
    assert!(!text.contains("\nне жирный"));
}

#[test]
fn the_typographic_pass_changes_quotes_but_injects_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_temp(dir.path(), "x.toml", nasty_protocol("").as_bytes());
    let docx = render(&input);
    let text = docx_text(&docx);
    assert!(text.contains("«в\u{a0}кавычках»"), "{text}");
    assert!(!text.contains("\"в кавычках\""), "{text}");
    for literal in ["<b>не жирный</b>", "Рога & копыта", "{{ x }}", "{% if %}"] {
        assert!(text.contains(literal), "«{literal}» is not in:\n{text}");
    }
    let xml = part(&docx, "word/document.xml");
    assert_eq!(xml.matches("<w:sectPr").count(), 1);
}
