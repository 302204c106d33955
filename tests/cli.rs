//! The command line: help for every command, starter files that build,
//! default paths, and sub-folders kept in the output.

mod common;
use common::*;

#[test]
fn every_command_has_russian_help() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expect) in [
        (vec!["--help"], "Собрать документы"),
        (vec!["build", "--help"], "Папка для готовых документов"),
        (vec!["check", "--help"], "Файлы и папки с документами"),
        (vec!["new", "--help"], "Вид документа"),
    ] {
        let out = gostdoc(dir.path(), &args);
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(expect), "{args:?}:\n{text}");
    }
}

#[test]
fn starter_files_build_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    // Every kind of the table, by its key and by its Russian name, builds
    // without a warning and prints its own words.
    for (kind, russian, expect) in [
        ("protocol", "протокол", "ПРОТОКОЛ"),
        ("resolution", "постановление", "ПОСТАНОВЛЕНИЕ"),
        ("rasporyazhenie", "распоряжение", "РАСПОРЯЖЕНИЕ"),
        ("prikaz", "приказ", "ПРИКАЗЫВАЮ:"),
        ("reshenie", "решение", "РЕШЕНИЕ"),
        ("plan", "план", "УТВЕРЖДАЮ"),
    ] {
        assert_eq!(
            gostdoc::model::DocKind::from_name(kind).unwrap().info().key,
            kind
        );
        for name in [kind, russian] {
            let file = format!("{name}.toml");
            let out = gostdoc(dir.path(), &["new", name, &file]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let out = gostdoc(dir.path(), &["build", &file, "-o", "out"]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{stderr}");
            assert!(!stderr.contains("предупреждение"), "{name}: {stderr}");
            let docx = std::fs::read(dir.path().join(format!("out/{name}.docx"))).unwrap();
            assert!(docx_text(&docx).contains(expect), "{name}");
        }
    }
    assert_eq!(
        gostdoc::model::kind::KINDS.len(),
        6,
        "a new kind needs a row above"
    );
    let out = gostdoc(dir.path(), &["new", "указ", "u.toml"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("неизвестный вид документа «указ»"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `new` never overwrites.
    let out = gostdoc(dir.path(), &["new", "protocol", "protocol.toml"]);
    assert!(!out.status.success());
}

#[test]
fn the_starter_protocol_is_laid_out_by_question() {
    let dir = tempfile::tempdir().unwrap();
    gostdoc(dir.path(), &["new", "protocol", "p.toml"]);
    // No-break spaces (initials, dashes) compared as plain spaces.
    let text = docx_text(&render(&dir.path().join("p.toml"))).replace('\u{a0}', " ");
    let order = [
        "ПОВЕСТКА ДНЯ:",
        "1. СЛУШАЛИ:",
        "Иванову И.П., начальника отдела образования, о готовности",
        "ВЫСТУПИЛИ:",
        "Петров С.Н., директор МБОУ «СОШ № 1» — Сообщил",
        "РЕШИЛИ:",
        "1.1. Информацию",
        "ГОЛОСОВАЛИ: «за» —",
        "1.2. Руководителям",
        "1.2.1. Провести проверку",
        "срок до 15.09.2021",
        "1.2.2.",
        "в течение учебного года",
        "Председатель",
    ];
    let mut at = 0;
    for piece in order {
        let found = text[at..]
            .find(piece)
            .unwrap_or_else(|| panic!("«{piece}» missing after byte {at}:\n{text}"));
        at += found + piece.len();
    }
}

#[test]
fn build_without_paths_builds_data_into_output_keeping_subfolders() {
    let dir = tempfile::tempdir().unwrap();
    gostdoc(dir.path(), &["new", "protocol", "p.toml"]);
    let starter = std::fs::read(dir.path().join("p.toml")).unwrap();
    write_temp(dir.path(), "data/школа/2021/протокол.toml", &starter);
    let out = gostdoc(dir.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("output/школа/2021/протокол.docx").is_file());
}

#[test]
fn check_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    gostdoc(dir.path(), &["new", "protocol", "p.toml"]);
    let out = gostdoc(dir.path(), &["check", "p.toml"]);
    assert!(out.status.success());
    assert!(!dir.path().join("output").exists());
}

#[test]
fn a_missing_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = gostdoc(dir.path(), &["build", "нет-такого.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("файл или папка не найдены"));
}

#[test]
fn two_builds_in_two_processes_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("data");
    let data = data.to_str().unwrap();
    assert!(
        gostdoc(dir.path(), &["build", data, "-o", "a"])
            .status
            .success()
    );
    assert!(
        gostdoc(dir.path(), &["build", data, "-o", "b"])
            .status
            .success()
    );
    for id in SEEDS {
        let name = seed_input(id).with_extension("docx");
        let name = name.file_name().unwrap();
        let a = std::fs::read(dir.path().join("a").join(name)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(name)).unwrap();
        assert!(a == b, "seed {id} differs between two runs");
    }
}

/// `--fonts DIR`: the four faces are found by the ends of their names and
/// used (here the bold file also stands for the regular one, so no
/// regular face is embedded); a folder that lacks a face, or holds a file
/// that is no font, is an error that names it, and nothing is written.
#[test]
fn fonts_from_a_folder_are_used_and_a_bad_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    gostdoc_ok(dir.path(), &["new", "protocol", "p.toml"]);
    let fonts = dir.path().join("шрифты");
    std::fs::create_dir(&fonts).unwrap();
    let bundled = |face: &str| root().join(format!("assets/fonts/LiberationSerif-{face}.ttf"));
    for (name, face) in [
        ("Serif-Regular.ttf", "Bold"),
        ("Serif-Bold.ttf", "Bold"),
        ("Serif_Italic.ttf", "Italic"),
        ("Serif BoldItalic.ttf", "BoldItalic"),
    ] {
        std::fs::copy(bundled(face), fonts.join(name)).unwrap();
    }
    gostdoc_ok(
        dir.path(),
        &[
            "build",
            "p.toml",
            "--format",
            "pdf",
            "--fonts",
            "шрифты",
            "-o",
            "out",
        ],
    );
    let listed = std::process::Command::new("pdffonts")
        .arg(dir.path().join("out/p.pdf"))
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    let names: Vec<&str> = listed
        .lines()
        .skip(2)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(!names.is_empty(), "{listed}");
    assert!(
        names
            .iter()
            .all(|n| n.ends_with("-Bold") || n.ends_with("Italic")),
        "the folder's regular face (a bold one) is drawn: {listed}"
    );

    let build_with_fonts = |folder: &str| {
        gostdoc(
            dir.path(),
            &["build", "p.toml", "--fonts", folder, "-o", "out2"],
        )
    };
    std::fs::remove_file(fonts.join("Serif BoldItalic.ttf")).unwrap();
    let out = build_with_fonts("шрифты");
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "шрифты: не найден файл начертания bolditalic; нужны четыре файла TTF, в именах которых есть Regular, Bold, Italic и BoldItalic"
    );
    assert!(!dir.path().join("out2").exists());

    std::fs::write(fonts.join("Serif-BoldItalic.ttf"), b"not a font").unwrap();
    let out = build_with_fonts("шрифты");
    assert!(!out.status.success());
    let file = std::path::Path::new("шрифты").join("Serif-BoldItalic.ttf");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        format!(
            "шрифты: шрифт «{}» не удалось разобрать: укажите файл TrueType (.ttf)",
            file.display()
        )
    );
    assert!(!dir.path().join("out2").exists());

    let out = build_with_fonts("нет такой");
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "нет такой: не удалось открыть папку со шрифтами: нет такого файла или папки"
    );
}

/// An output folder that cannot be made (a file stands where a folder of
/// its path should be) is named with the system's reason in Russian, not
/// in the system's English words, with advice for that reason.
#[test]
fn a_refused_write_is_explained_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    gostdoc_ok(dir.path(), &["new", "protocol", "p.toml"]);
    std::fs::write(dir.path().join("отчёт.txt"), b"").unwrap();
    let out = gostdoc(dir.path(), &["build", "p.toml", "-o", "отчёт.txt/out"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let docx = std::path::Path::new("отчёт.txt").join("out").join("p.docx");
    assert!(
        stderr.contains(&format!(
            "{}: ошибка: не удалось записать файл: «отчёт.txt» — файл, а на его месте нужна папка",
            docx.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "подсказка: проверьте путь: на месте одной из его папок лежит файл; прежние файлы документа остались как были"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("os error"), "{stderr}");
}
