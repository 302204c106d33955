//! `gostdoc init`: a ready folder whose documents build with no warning,
//! run from inside it as a user would, and a refusal that changes nothing.

mod common;
use common::*;
use std::path::Path;

/// Every file under `dir`, relative, with its content.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn an_initialised_folder_builds_both_documents_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = gostdoc(tmp.path(), &["init", "x"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let project = tmp.path().join("x");
    for file in [
        "README.md",
        "data/protokol.toml",
        "data/postanovlenie.toml",
        "data/profiles/organizaciya.toml",
        "data/gostdoc.schema.json",
        "data/gostdoc-profile.schema.json",
        "templates/README.md",
    ] {
        assert!(project.join(file).is_file(), "{file} missing");
    }
    let readme = std::fs::read_to_string(project.join("README.md")).unwrap();
    assert!(readme.contains("gostdoc build") && readme.contains("gostdoc check"));

    // `gostdoc build` with no arguments, from inside the folder.
    let out = gostdoc(&project, &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stderr}{stdout}");
    assert!(!stderr.contains("предупреждение"), "{stderr}");
    assert!(!stderr.contains("ошибка"), "{stderr}");
    assert!(stdout.contains("собрано: 2, с ошибками: 0"), "{stdout}");
    let protocol = std::fs::read(project.join("output/protokol.docx")).unwrap();
    let text = docx_text(&protocol);
    assert!(text.contains("ПРОТОКОЛ"), "{text}");
    // The profile's header and secretary reached the protocol.
    assert!(text.contains("«ГОРОДСКОЙ ОКРУГ»"), "{text}");
    assert!(text.contains("Сидорова"), "{text}");
    let act = std::fs::read(project.join("output/postanovlenie.docx")).unwrap();
    let text = docx_text(&act);
    assert!(text.contains("ПОСТАНОВЛЕНИЕ"), "{text}");
    // The profile's signature signs the act (initials joined by a no-break space).
    assert!(text.contains("Глава администрации"), "{text}");
    assert!(text.contains("И.И.\u{a0}Иванов"), "{text}");
    assert!(project.join("output/postanovlenie.pdf").is_file());

    let out = gostdoc(&project, &["check"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("предупреждение"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    write_temp(tmp.path(), "notes.txt", b"my notes");
    let before = snapshot(tmp.path());
    let out = gostdoc(tmp.path(), &["init"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("папка не пуста, ничего не создаю"),
        "{stderr}"
    );
    assert_eq!(snapshot(tmp.path()), before);

    // The same for a folder named on the command line, and for a second
    // init over a first one.
    let out = gostdoc(tmp.path(), &["init", "new"]);
    assert!(out.status.success());
    let before = snapshot(tmp.path());
    let out = gostdoc(tmp.path(), &["init", "new"]);
    assert!(!out.status.success());
    assert_eq!(snapshot(tmp.path()), before);
}
