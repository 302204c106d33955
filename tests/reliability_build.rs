//! Reliability of the build (issue 10): no input or fault loses a
//! document, hangs, or reads outside the user's folders. One test per
//! class of defect found by the adversarial run; each runs the real
//! `gostdoc` binary, as a user would.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Seed 003, which needs no profile, as `rel` under `dir`.
fn plain(dir: &Path, rel: &str) -> PathBuf {
    write_temp(dir, rel, &std::fs::read(seed_input("003")).unwrap())
}

/// The built-in protocol template, for overrides that change one line.
fn builtin_protocol() -> &'static str {
    gostdoc::template::BUILTIN
        .iter()
        .find(|(n, _)| *n == "protocol.xml")
        .unwrap()
        .1
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs gostdoc and kills it if it has not finished in `limit`: a hang is
/// a failure, never a stuck test run.
fn gostdoc_within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gostdoc"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("gostdoc {args:?} did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A DOCX that opens: a zip with `word/document.xml`.
fn docx_is_whole(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| {
        zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .is_ok_and(|mut z| z.by_name("word/document.xml").is_ok())
    })
}

#[test]
fn two_inputs_with_one_output_name_are_refused_naming_both_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    plain(dir.path(), "a/t.toml");
    plain(dir.path(), "b/t.toml");
    plain(dir.path(), "c/other.toml");
    // A good earlier build of a/t.toml alone.
    let out = gostdoc(dir.path(), &["build", "a/t.toml", "-o", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = std::fs::read(dir.path().join("out/t.docx")).unwrap();
    let before_pdf = std::fs::read(dir.path().join("out/t.pdf")).unwrap();
    for _ in 0..50 {
        let out = gostdoc(
            dir.path(),
            &["build", "a/t.toml", "b/t.toml", "c/other.toml", "-o", "out"],
        );
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.contains("документы «a/t.toml» и «b/t.toml» дают один и тот же файл «out/t.docx»"),
            "{err}"
        );
        assert!(err.contains("переименуйте один из файлов"), "{err}");
        // The other document is still built; the colliding pair changes
        // nothing, and no temporary file is left.
        assert!(docx_is_whole(&dir.path().join("out/other.docx")));
        assert_eq!(
            std::fs::read(dir.path().join("out/t.docx")).unwrap(),
            before
        );
        assert_eq!(
            std::fs::read(dir.path().join("out/t.pdf")).unwrap(),
            before_pdf
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

#[test]
fn names_differing_only_in_case_collide_too() {
    let dir = tempfile::tempdir().unwrap();
    plain(dir.path(), "a/Протокол.toml");
    plain(dir.path(), "b/протокол.toml");
    let out = gostdoc(
        dir.path(),
        &["build", "a/Протокол.toml", "b/протокол.toml", "-o", "out"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("дают один и тот же файл"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_file_name_of_122_cyrillic_letters_builds() {
    let dir = tempfile::tempdir().unwrap();
    let name = "я".repeat(122);
    plain(dir.path(), &format!("data/{name}.toml"));
    let out = gostdoc(dir.path(), &["build", "data", "-o", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(docx_is_whole(&dir.path().join(format!("out/{name}.docx"))));
}

/// Builds `data/`, deletes `gone.toml`, points its manifest outputs at
/// `targets`, and runs `--prune`.
fn prune_with_forged_manifest(dir: &Path, targets: &[PathBuf]) -> Output {
    plain(dir, "data/gone.toml");
    plain(dir, "data/kept.toml");
    let out = gostdoc(dir, &["build", "data", "-o", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::remove_file(dir.join("data/gone.toml")).unwrap();
    let manifest_path = dir.join("out/.gostdoc-manifest");
    let bytes = std::fs::read(&manifest_path).unwrap();
    let mut manifest = gostdoc::build::manifest::Manifest::parse(&bytes);
    let outputs = &mut manifest
        .documents
        .get_mut("data/gone.toml")
        .unwrap()
        .outputs;
    let template = outputs[0].clone();
    outputs.clear();
    for target in targets {
        let mut forged = template.clone();
        forged.path = target.to_str().unwrap().to_owned().into();
        forged.size = std::fs::metadata(dir.join(target)).unwrap().len();
        outputs.push(forged);
    }
    std::fs::write(&manifest_path, manifest.to_bytes()).unwrap();
    gostdoc(dir, &["build", "data", "-o", "out", "--prune"])
}

#[test]
fn prune_never_deletes_what_gostdoc_did_not_write_inside_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_temp(d, "outside/important.docx", b"not ours");
    // An input document, a file outside through `..`, an absolute path,
    // and a link inside the output folder to a file outside it.
    let absolute = d.join("outside/important.docx");
    std::fs::create_dir_all(d.join("out")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&absolute, d.join("out/link.docx")).unwrap();
    let out = prune_with_forged_manifest(
        d,
        &[
            PathBuf::from("data/kept.toml"),
            PathBuf::from("out/../outside/important.docx"),
            absolute.clone(),
            PathBuf::from("out/link.docx"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(d.join("data/kept.toml").is_file());
    assert_eq!(std::fs::read(&absolute).unwrap(), b"not ours");
    #[cfg(unix)]
    assert!(d.join("out/link.docx").is_symlink());
    let err = stderr(&out);
    assert!(
        err.contains("не удалён: это не тот файл, который записал gostdoc"),
        "{err}"
    );
}

#[test]
fn prune_keeps_an_output_the_user_changed_and_deletes_an_untouched_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    plain(d, "data/a.toml");
    plain(d, "data/b.toml");
    assert!(gostdoc(d, &["build", "data", "-o", "out"]).status.success());
    std::fs::remove_file(d.join("data/a.toml")).unwrap();
    std::fs::remove_file(d.join("data/b.toml")).unwrap();
    // Same size, other bytes: only the hash can tell.
    let pdf = d.join("out/a.pdf");
    let mut bytes = std::fs::read(&pdf).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    std::fs::write(&pdf, &bytes).unwrap();
    let out = gostdoc(d, &["build", "data", "-o", "out", "--prune"]);
    assert!(pdf.is_file(), "{}", stdout(&out));
    assert!(!d.join("out/b.pdf").exists());
    assert!(!d.join("out/b.docx").exists());
    assert!(!d.join("out/a.docx").exists());
}

#[test]
fn when_one_output_cannot_be_written_the_document_keeps_both_previous_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let doc = plain(d, "data/a.toml");
    assert!(gostdoc(d, &["build", "data", "-o", "out"]).status.success());
    let old_docx = std::fs::read(d.join("out/a.docx")).unwrap();
    // The PDF's place is taken by a folder: its write fails.
    std::fs::remove_file(d.join("out/a.pdf")).unwrap();
    std::fs::create_dir(d.join("out/a.pdf")).unwrap();
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replacen("title = \"", "title = \"Новое ", 1)).unwrap();
    let out = gostdoc(d, &["build", "data", "-o", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("прежние файлы документа остались как были"));
    assert_eq!(std::fs::read(d.join("out/a.docx")).unwrap(), old_docx);
}

#[test]
fn a_templates_folder_that_does_not_exist_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    plain(dir.path(), "data/a.toml");
    let out = gostdoc(
        dir.path(),
        &["build", "data", "-o", "out", "--templates", "шаблны"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("шаблны: ошибка: папка с шаблонами не найдена"),
        "{err}"
    );
    assert!(!dir.path().join("out/a.docx").exists());
    let out = gostdoc(dir.path(), &["check", "data", "--templates", "шаблны"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn templates_found_next_to_the_data_are_announced() {
    let dir = tempfile::tempdir().unwrap();
    plain(dir.path(), "data/a.toml");
    let builtin = builtin_protocol();
    write_temp(
        dir.path(),
        "data/templates/protocol.xml",
        builtin.as_bytes(),
    );
    let out = gostdoc(dir.path(), &["build", "data", "-o", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(
        err.matches("примечание: используются шаблоны из папки «data/templates»")
            .count(),
        1,
        "{err}"
    );
}

#[test]
fn jobs_are_clamped_to_the_cores_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    plain(dir.path(), "data/a.toml");
    plain(dir.path(), "data/b.toml");
    let out = gostdoc_within(
        dir.path(),
        &["build", "data", "-o", "out", "-j", "100000"],
        Duration::from_secs(60),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("-j 100000: больше, чем ядер процессора"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_and_a_device_are_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    plain(dir.path(), "data/a.toml");
    let fifo = dir.path().join("data/x.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let out = gostdoc_within(
        dir.path(),
        &["build", "data", "-o", "out"],
        Duration::from_secs(30),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("это не обычный файл"),
        "{}",
        stderr(&out)
    );
    assert!(docx_is_whole(&dir.path().join("out/a.docx")));
    let out = gostdoc_within(
        dir.path(),
        &["build", "/dev/zero", "-o", "out"],
        Duration::from_secs(30),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("это не обычный файл"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_oversized_document_is_refused_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read(seed_input("003")).unwrap();
    text.extend(std::iter::repeat_n(b'#', 33 << 20));
    write_temp(dir.path(), "data/big.toml", &text);
    let out = gostdoc(dir.path(), &["check", "data"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("файл документа «data/big.toml» слишком велик: больше 32 МБ"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_and_a_linked_folder_build_each_document_once() {
    let dir = tempfile::tempdir().unwrap();
    plain(dir.path(), "data/a.toml");
    plain(dir.path(), "data/sub/b.toml");
    // A link back to the top (a loop) and a second name for `sub`.
    std::os::unix::fs::symlink("..", dir.path().join("data/sub/up")).unwrap();
    std::os::unix::fs::symlink("sub", dir.path().join("data/again")).unwrap();
    let out = gostdoc_within(
        dir.path(),
        &["build", "data", "-o", "out"],
        Duration::from_secs(60),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("собрано: 2, с ошибками: 0"),
        "{}",
        stdout(&out)
    );
}

/// A document whose profile is `profile`, in `dir/data`, with a secret
/// profile outside the data folder.
fn document_with_profile(dir: &Path, profile: &str) -> PathBuf {
    write_temp(
        dir,
        "secret/org.toml",
        &std::fs::read(root().join("data/profiles/elnya.toml")).unwrap(),
    );
    let text = std::fs::read_to_string(seed_input("000")).unwrap();
    let text = text.replace(
        "profile = \"profiles/elnya.toml\"",
        &format!("profile = {profile:?}"),
    );
    write_temp(dir, "work/data/doc.toml", text.as_bytes())
}

#[test]
fn a_profile_outside_the_users_folders_is_refused_by_dots_absolute_path_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let absolute = d.join("secret/org.toml");
    #[cfg(unix)]
    {
        std::fs::create_dir_all(d.join("work/data/profiles")).unwrap();
        std::os::unix::fs::symlink(&absolute, d.join("work/data/profiles/link.toml")).unwrap();
    }
    let mut cases = vec![
        "../../secret/org.toml".to_string(),
        absolute.display().to_string(),
    ];
    if cfg!(unix) {
        cases.push("profiles/link.toml".into());
    }
    for profile in cases {
        document_with_profile(d, &profile);
        // Run from `work`: the user's folder is `work`, the secret is not in it.
        let out = gostdoc(&d.join("work"), &["build", "data", "-o", "out"]);
        assert_eq!(out.status.code(), Some(1), "{profile}");
        let err = stderr(&out);
        assert!(
            err.contains("лежит вне папок документов"),
            "{profile}: {err}"
        );
        assert!(err.contains("--allow-outside"), "{err}");
        assert!(!d.join("work/out/doc.docx").exists());
    }
    // Allowed by the user, it is read.
    document_with_profile(d, "../../secret/org.toml");
    let out = gostdoc(
        &d.join("work"),
        &["build", "data", "-o", "out", "--allow-outside", "../secret"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_profile_that_is_a_folder_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    document_with_profile(d, "profiles");
    std::fs::create_dir_all(d.join("work/data/profiles")).unwrap();
    let out = gostdoc(&d.join("work"), &["check", "data"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("это папка, а не файл"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_image_outside_the_users_folders_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_temp(d, "secret/arms.png", b"\x89PNG not really");
    plain(d, "work/data/a.toml");
    let builtin = builtin_protocol();
    let with_image = builtin.replacen(
        "<section",
        "<section><image src=\"../../secret/arms.png\"/></section><section",
        1,
    );
    assert_ne!(with_image, builtin);
    write_temp(d, "work/t/protocol.xml", with_image.as_bytes());
    let out = gostdoc(&d.join("work"), &["check", "data", "--templates", "t"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("лежит вне папок документов"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_manifest_naming_dev_zero_as_a_dependency_does_not_hang_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    plain(d, "data/a.toml");
    assert!(gostdoc(d, &["build", "data", "-o", "out"]).status.success());
    let manifest_path = d.join("out/.gostdoc-manifest");
    let bytes = std::fs::read(&manifest_path).unwrap();
    let mut manifest = gostdoc::build::manifest::Manifest::parse(&bytes);
    manifest
        .documents
        .get_mut("data/a.toml")
        .unwrap()
        .deps
        .push(gostdoc::build::manifest::Dep::file(Path::new("/dev/zero")));
    std::fs::write(&manifest_path, manifest.to_bytes()).unwrap();
    let out = gostdoc_within(d, &["build", "data", "-o", "out"], Duration::from_secs(30));
    // The forged dependency cannot be hashed: the document is rebuilt.
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("собрано: 1"), "{}", stdout(&out));
}

#[test]
fn a_profile_not_in_utf8_is_reported_about_the_profile_itself() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    document_with_profile(d, "profiles/cp1251.toml");
    // «Школа» in Windows-1251, as Notepad once saved it.
    write_temp(
        d,
        "work/data/profiles/cp1251.toml",
        b"# \xd8\xea\xee\xeb\xe0\n",
    );
    let out = gostdoc(&d.join("work"), &["check", "data"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "data/profiles/cp1251.toml, строка 1, столбец 3: ошибка: файл не в кодировке UTF-8"
        ),
        "{err}"
    );
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0xd, 0xa, 0x1a, 0xa, 0x0, 0x0, 0x0, 0xd, 0x49, 0x48, 0x44, 0x52, 0x0,
    0x0, 0x0, 0x1, 0x0, 0x0, 0x0, 0x1, 0x8, 0x6, 0x0, 0x0, 0x0, 0x1f, 0x15, 0xc4, 0x89, 0x0, 0x0,
    0x0, 0xd, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0xf, 0x0, 0x2,
    0x87, 0x1, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x0, 0x0, 0x0, 0x0, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

#[test]
fn check_refuses_an_svg_a_damaged_png_and_a_missing_picture_as_build_does() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    plain(d, "data/a.toml");
    let builtin = builtin_protocol();
    let with_image = builtin.replacen(
        "<section",
        "<section><image src=\"герб.png\"/></section><section",
        1,
    );
    write_temp(d, "t/protocol.xml", with_image.as_bytes());
    let mut damaged = PNG.to_vec();
    damaged.truncate(40);
    let cases: [(&str, Option<&[u8]>, &str); 4] = [
        ("good", Some(PNG), ""),
        (
            "svg",
            Some(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            "это не PNG и не JPEG",
        ),
        ("damaged", Some(&damaged), "файл повреждён"),
        ("missing", None, "изображение «data/герб.png» не найдено"),
    ];
    for (case, bytes, message) in cases {
        let _ = std::fs::remove_file(d.join("data/герб.png"));
        if let Some(bytes) = bytes {
            write_temp(d, "data/герб.png", bytes);
        }
        for command in ["check", "build"] {
            let mut args = vec![command, "data", "--templates", "t"];
            if command == "build" {
                args.extend(["-o", "out"]);
            }
            let out = gostdoc(d, &args);
            if message.is_empty() {
                assert!(out.status.success(), "{case} {command}: {}", stderr(&out));
            } else {
                assert_eq!(out.status.code(), Some(1), "{case} {command}");
                assert!(
                    stderr(&out).contains(message),
                    "{case} {command}: {}",
                    stderr(&out)
                );
            }
        }
    }
}

/// The starter protocol with its commented `profile` line in force
/// (`profiles/org.toml`, next to the document).
fn using_profile(starter: &str) -> String {
    let with_profile = starter.replacen(
        "# profile = \"profiles/org.toml\"",
        "profile = \"profiles/org.toml\"",
        1,
    );
    assert_ne!(
        with_profile, starter,
        "the starter has a profile line to uncomment"
    );
    with_profile
}

/// A coat of arms that is missing or no PNG or JPEG is the user's slip:
/// said at the line that names it (the document's, or its profile's with
/// the profile's own advice), with the field, never at the line of the
/// built-in template that draws it; `check` says what `build` says.
#[test]
fn a_bad_emblem_is_said_at_the_line_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    gostdoc_ok(d, &["new", "protocol", "starter.toml"]);
    let starter = std::fs::read_to_string(d.join("starter.toml")).unwrap();
    let city = starter.find("\ncity = ").expect("the starter names a city") + 1;
    let city_end = city + starter[city..].find('\n').unwrap() + 1;
    let line = starter[..city_end].lines().count() + 1;
    let mut with_emblem = starter.clone();
    with_emblem.insert_str(city_end, "emblem = \"герб.png\"\n");
    write_temp(d, "data/a.toml", with_emblem.as_bytes());
    let expect = |out: &Output, first: &str, hint: &str| {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(first), "{err}");
        assert!(err.contains(&format!("  подсказка: {hint}\n")), "{err}");
        assert!(!err.contains("шаблон"), "{err}");
    };
    for command in [&["check", "data"][..], &["build", "data", "-o", "out"]] {
        let _ = std::fs::remove_file(d.join("data/герб.png"));
        expect(
            &gostdoc(d, command),
            &format!(
                "data/a.toml, строка {line}, столбец 10: ошибка в поле «organization.emblem»: изображение «data/герб.png» не найдено"
            ),
            "проверьте путь: он пишется относительно файла документа",
        );
        write_temp(
            d,
            "data/герб.png",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
        expect(
            &gostdoc(d, command),
            &format!(
                "data/a.toml, строка {line}, столбец 10: ошибка в поле «organization.emblem»: это не PNG и не JPEG"
            ),
            "замените файл изображения",
        );
        write_temp(d, "data/герб.png", PNG);
        assert!(gostdoc(d, command).status.success());
    }

    write_temp(d, "data/a.toml", using_profile(&starter).as_bytes());
    write_temp(
        d,
        "data/profiles/org.toml",
        "[organization]\nname = \"Школа\"\nemblem = \"нет.png\"\n".as_bytes(),
    );
    expect(
        &gostdoc(d, &["check", "data"]),
        "data/profiles/org.toml, строка 3, столбец 10: ошибка в поле «organization.emblem»: изображение «data/profiles/нет.png» не найдено",
        "проверьте путь: в профиле он пишется относительно файла профиля",
    );
}

/// A value the profile's `[options]` or `[organization]` gets wrong is
/// said at the profile's line (it was said at whatever line of the
/// document the profile's offset fell on, or, for the emblem's height,
/// not at all).
#[test]
fn a_profiles_bad_option_or_emblem_height_is_said_at_the_profiles_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    gostdoc_ok(d, &["new", "protocol", "starter.toml"]);
    let starter = std::fs::read_to_string(d.join("starter.toml")).unwrap();
    write_temp(d, "data/a.toml", using_profile(&starter).as_bytes());
    write_temp(
        d,
        "data/profiles/org.toml",
        "[organization]\nname = \"Школа\"\nemblem_height = 100\n\n[options]\ndate_line = \"splt\"\n"
            .as_bytes(),
    );
    let out = gostdoc(d, &["check", "data"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for line in [
        "data/profiles/org.toml, строка 3, столбец 17: ошибка в поле «organization.emblem_height»: высота герба 100 мм вне пределов 5–60 мм",
        "data/profiles/org.toml, строка 6, столбец 13: ошибка в поле «options.date_line»: недопустимое значение «splt»",
        "  подсказка: возможно, имелось в виду «split»",
    ] {
        assert!(err.contains(line), "{err}");
    }
    assert!(!err.contains("data/a.toml, строка"), "{err}");
}

/// Seed 004 (a постановление with a roadmap table) with the width of its
/// second column replaced.
fn resolution_with_width(dir: &Path, width: &str) -> PathBuf {
    let text = std::fs::read_to_string(seed_input("004")).unwrap();
    let text = text.replace(
        "{ title = \"Мероприятия\", width = 80 }",
        &format!("{{ title = \"Мероприятия\", width = {width} }}"),
    );
    let doc = write_temp(dir, "data/p.toml", text.as_bytes());
    write_temp(
        dir,
        "data/profiles/slavsk.toml",
        &std::fs::read(root().join("data/profiles/slavsk.toml")).unwrap(),
    );
    doc
}

#[test]
fn a_bad_column_width_is_an_error_at_its_toml_line_not_the_templates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for width in ["0", "-3", "nan", "inf", "20000"] {
        resolution_with_width(d, width);
        let out = gostdoc(d, &["check", "data"]);
        assert_eq!(out.status.code(), Some(1), "{width}");
        let err = stderr(&out);
        assert!(
            err.contains("data/p.toml, строка 64, столбец 36: ошибка в поле «appendix[0].table.columns[1].width»: ширина столбца 2 («Мероприятия») должна быть числом миллиметров от 5 до 10000"),
            "{width}: {err}"
        );
        assert!(!err.contains("шаблон"), "{width}: {err}");
    }
}

/// A header row with fewer or more titles than the table has columns is
/// the user's slip: said at the `header` line, for `check` and `build`
/// alike, never at the built-in template's table row.
#[test]
fn a_header_row_of_the_wrong_length_is_said_at_its_line_not_the_templates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (header, said) in [
        (
            "[[\"№\", \"Что\", \"Когда\"]]",
            "в строке 1 шапки 3 названия, а столбцов 4",
        ),
        (
            "[[\"№\", \"Что\", \"Когда\", \"Кто\"], [\"1\", \"2\"]]",
            "в строке 2 шапки 2 названия, а столбцов 4",
        ),
        ("[[]]", "в строке 1 шапки 0 названий, а столбцов 4"),
    ] {
        let doc = resolution_with_width(d, "80");
        let text = std::fs::read_to_string(&doc).unwrap();
        let columns_end = text.find("\n]\n").expect("the columns' closing bracket") + 3;
        let line = text[..columns_end].lines().count() + 1;
        let mut with_header = text.clone();
        with_header.insert_str(columns_end, &format!("header = {header}\n"));
        std::fs::write(&doc, with_header).unwrap();
        for command in [&["check", "data"][..], &["build", "data", "-o", "out"]] {
            let out = gostdoc(d, command);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{header}: {err}");
            assert!(
                err.contains(&format!(
                    "data/p.toml, строка {line}, столбец 10: ошибка в поле «appendix[0].table.header»: {said}"
                )),
                "{header}: {err}"
            );
            assert!(!err.contains("шаблон"), "{header}: {err}");
        }
    }
}

#[test]
fn a_table_wider_than_the_page_is_narrowed_and_the_build_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    resolution_with_width(d, "5000");
    let out = gostdoc(d, &["build", "data", "-o", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("data/p.toml, строка 62, столбец 11: предупреждение в поле «appendix[0].table.columns»: столбцы таблицы шире текста: 12 + 5000 + 35 + 43 = 5090 мм, а ширина текста на книжной странице 170 мм; столбцы сужены пропорционально (но не уже 5 мм): 5, 155, 5, 5 мм"),
        "{err}"
    );
    let out = gostdoc(d, &["check", "data"]);
    assert!(
        stderr(&out).contains("столбцы сужены пропорционально"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bad_markup_element_is_reported_at_the_templates_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    plain(d, "data/a.toml");
    let builtin = builtin_protocol();
    let line = builtin
        .lines()
        .position(|l| l.starts_with("<section"))
        .unwrap()
        + 1;
    let broken = builtin.replacen(
        "<section orientation=\"portrait\">",
        "<section orientation=\"portrait\"><bogus/>",
        1,
    );
    write_temp(d, "t/protocol.xml", broken.as_bytes());
    let out = gostdoc(d, &["check", "data", "--templates", "t"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "шаблон t/protocol.xml, строка {line}, столбец 33: элемент <bogus> здесь не допускается"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{line} | <section orientation=\"portrait\"><bogus/>"
        )),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_template_linked_to_a_file_outside_its_folder_is_refused_and_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    plain(d, "data/a.toml");
    write_temp(d, "secret.txt", b"{% secret line %}");
    std::fs::create_dir_all(d.join("t")).unwrap();
    std::os::unix::fs::symlink(d.join("secret.txt"), d.join("t/protocol.xml")).unwrap();
    let out = gostdoc(d, &["check", "data", "--templates", "t"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("шаблон «t/protocol.xml» лежит вне папок документов"),
        "{err}"
    );
    assert!(!err.contains("secret line"), "{err}");
}

#[test]
fn a_template_printing_a_million_paragraphs_is_stopped_before_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    plain(d, "data/a.toml");
    // 1000 × 1000 paragraphs: 15 MB of markup, within the output limit;
    // laid out, it asked for over 2 GB.
    write_temp(
        d,
        "t/protocol.xml",
        b"<document><section>{% for i in range(end=1000) %}{% for j in range(end=1000) %}<p>x</p>{% endfor %}{% endfor %}</section></document>",
    );
    let out = gostdoc_within(
        d,
        &["build", "data", "--templates", "t", "-o", "out"],
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("в разметке 1000002 элементов, а больше 500000 не бывает"),
        "{err}"
    );
}
