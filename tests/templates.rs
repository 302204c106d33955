//! Template overrides: a `templates/` folder next to `data/`, or
//! `--templates DIR`, replaces a built-in template by name; errors in a
//! user's template name its file, line and column.

mod common;
use common::*;

const BUILTIN_PROTOCOL: &str = include_str!("../templates/protocol.xml");

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        gostdoc(dir.path(), &["new", "protocol", "p.toml"])
            .status
            .success()
    );
    let starter = std::fs::read(dir.path().join("p.toml")).unwrap();
    write_temp(dir.path(), "data/p.toml", &starter);
    std::fs::remove_file(dir.path().join("p.toml")).unwrap();
    dir
}

#[test]
fn a_templates_folder_next_to_data_overrides_by_name() {
    let dir = project();
    let changed = BUILTIN_PROTOCOL.replace("{{ labels.kind }}", "{{ labels.kind }} (ПРОЕКТ)");
    write_temp(dir.path(), "templates/protocol.xml", changed.as_bytes());
    let out = gostdoc(dir.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = docx_text(&std::fs::read(dir.path().join("output/p.docx")).unwrap());
    assert!(text.contains("ПРОТОКОЛ (ПРОЕКТ)"), "{text}");
}

#[test]
fn templates_option_points_anywhere() {
    let dir = project();
    let changed = BUILTIN_PROTOCOL.replace("{{ labels.kind }}", "{{ labels.kind }} (КОПИЯ)");
    write_temp(dir.path(), "мои/protocol.xml", changed.as_bytes());
    let out = gostdoc(dir.path(), &["build", "--templates", "мои"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = docx_text(&std::fs::read(dir.path().join("output/p.docx")).unwrap());
    assert!(text.contains("ПРОТОКОЛ (КОПИЯ)"));
}

#[test]
fn an_error_in_a_user_template_names_its_file_and_line() {
    let dir = project();
    let broken = BUILTIN_PROTOCOL.replace("{{ labels.kind }}", "{{ labels.kind | nosuchfilter }}");
    write_temp(dir.path(), "templates/protocol.xml", broken.as_bytes());
    let out = gostdoc(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("templates/protocol.xml"), "{err}");
    assert!(
        err.contains("protocol.xml:"),
        "a file:line:column frame: {err}"
    );
    assert!(err.contains("nosuchfilter"), "{err}");
}

#[test]
fn a_template_writing_bad_markup_is_reported_with_a_hint() {
    let dir = project();
    let broken = BUILTIN_PROTOCOL.replace(
        "<section orientation=\"portrait\">",
        "<section orientation=\"portrait\"><para/>",
    );
    write_temp(dir.path(), "templates/protocol.xml", broken.as_bytes());
    let out = gostdoc(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("элемент <para> здесь не допускается"), "{err}");
    assert!(err.contains("docs/MARKUP.md"), "{err}");
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f,
    0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[test]
fn an_image_is_read_relative_to_the_document() {
    let dir = project();
    write_temp(dir.path(), "data/герб.png", PNG);
    let with_arms = BUILTIN_PROTOCOL.replace(
        "<section orientation=\"portrait\">",
        "<section orientation=\"portrait\"><image src=\"герб.png\" width=\"15\" height=\"17\"/>",
    );
    write_temp(dir.path(), "templates/protocol.xml", with_arms.as_bytes());
    let out = gostdoc(dir.path(), &["build", "--format", "docx"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docx = std::fs::read(dir.path().join("output/p.docx")).unwrap();
    assert!(
        part(&docx, "word/document.xml").contains("<wp:inline"),
        "the picture is in the document"
    );
    // A missing picture is an error naming it.
    std::fs::remove_file(dir.path().join("data/герб.png")).unwrap();
    let out = gostdoc(dir.path(), &["build", "--format", "docx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("не удалось прочитать изображение «герб.png»")
    );
}
