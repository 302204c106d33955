//! Batch builds (issue 5): incremental rebuilds, determinism, stale
//! outputs, a kill in the middle of a build, and watch mode. Each test
//! runs the real `gostdoc` binary on a generated batch of documents:
//! variants of the five seeds, sharing the seeds' two profiles.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Writes `n` documents into `dir/data` (seed `i % 5`, made unique by a
/// comment) with the seeds' profiles; returns their paths.
fn make_batch(dir: &Path, n: usize) -> Vec<PathBuf> {
    let profiles = root().join("data/profiles");
    for entry in std::fs::read_dir(&profiles).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        write_temp(
            dir,
            &format!("data/profiles/{name}"),
            &std::fs::read(&path).unwrap(),
        );
    }
    (0..n)
        .map(|i| {
            let seed = SEEDS[i % SEEDS.len()];
            let text = std::fs::read_to_string(seed_input(seed)).unwrap();
            write_temp(
                dir,
                &format!("data/{i:04}_{seed}.toml"),
                format!("{text}\n# вариант {i}\n").as_bytes(),
            )
        })
        .collect()
}

/// Gives a document a new title: its output changes.
fn edit(path: &Path, what: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let edited = text.replacen("title = \"", &format!("title = \"{what} "), 1);
    assert_ne!(text, edited);
    std::fs::write(path, edited).unwrap();
}

/// `gostdoc build` in `dir` with extra arguments; returns its stdout,
/// asserting success.
fn build(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let out = gostdoc(dir, &all);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The summary line: «собрано: N, без изменений: M, с ошибками: K».
fn summary(stdout: &str) -> &str {
    stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("собрано:"))
        .unwrap_or("")
}

/// Every output file in a folder (recursively) with its bytes.
fn outputs(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "docx" || e == "pdf") {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn a_rebuild_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    make_batch(dir.path(), 10);
    build(dir.path(), &[]);
    let first = outputs(&dir.path().join("output"));
    assert_eq!(first.len(), 20);
    assert_eq!(
        summary(&build(dir.path(), &["--force"])),
        "собрано: 10, с ошибками: 0"
    );
    assert!(first == outputs(&dir.path().join("output")));
    // And in another folder, by a single thread.
    build(dir.path(), &["data", "-o", "again", "-j", "1"]);
    assert!(first == outputs(&dir.path().join("again")));
}

#[test]
fn editing_one_file_of_fifty_rebuilds_exactly_that_one() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = make_batch(dir.path(), 50);
    assert_eq!(
        summary(&build(dir.path(), &[])),
        "собрано: 50, с ошибками: 0"
    );
    let before = outputs(&dir.path().join("output"));

    edit(&inputs[17], "Изменённое");
    let stdout = build(dir.path(), &[]);
    assert_eq!(
        summary(&stdout),
        "собрано: 1, без изменений: 49, с ошибками: 0"
    );
    assert!(stdout.contains("0017_"), "{stdout}");
    let after = outputs(&dir.path().join("output"));
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        changed,
        [Path::new("0017_002.docx"), Path::new("0017_002.pdf")]
    );

    // Saved without a change: nothing to do.
    let text = std::fs::read(&inputs[3]).unwrap();
    std::fs::write(&inputs[3], text).unwrap();
    assert_eq!(
        summary(&build(dir.path(), &[])),
        "собрано: 0, без изменений: 50, с ошибками: 0"
    );
    // A deleted output is built again.
    std::fs::remove_file(dir.path().join("output/0008_003.pdf")).unwrap();
    assert_eq!(
        summary(&build(dir.path(), &[])),
        "собрано: 1, без изменений: 49, с ошибками: 0"
    );
    // So is one whose size is no longer the one written (cut short, or
    // replaced by another file): the build puts back what the input says.
    let docx = dir.path().join("output/0009_004.docx");
    let written = std::fs::read(&docx).unwrap();
    std::fs::write(&docx, &written[..written.len() / 2]).unwrap();
    let stdout = build(dir.path(), &[]);
    assert_eq!(
        summary(&stdout),
        "собрано: 1, без изменений: 49, с ошибками: 0"
    );
    assert_eq!(std::fs::read(&docx).unwrap(), written);
    // And a folder of outputs deleted whole: every document in it.
    std::fs::remove_dir_all(dir.path().join("output")).unwrap();
    assert_eq!(
        summary(&build(dir.path(), &[])),
        "собрано: 50, с ошибками: 0"
    );
    // Other options (one format) rebuild everything.
    assert_eq!(
        summary(&build(dir.path(), &["--format", "docx"])),
        "собрано: 50, с ошибками: 0"
    );
}

/// The manifest keeps each input's size and times (its stamp) so that a
/// build with nothing to do reads no input; any change of the file is
/// still seen. A stamp is trusted only for a file last changed well
/// before it was taken (3 s), hence the wait.
#[test]
fn stamps_spare_reading_unchanged_inputs_but_never_miss_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = make_batch(dir.path(), 3);
    std::thread::sleep(Duration::from_millis(3500));
    assert_eq!(
        summary(&build(dir.path(), &[])),
        "собрано: 3, с ошибками: 0"
    );
    let bytes = std::fs::read(dir.path().join("output/.gostdoc-manifest")).unwrap();
    let manifest = gostdoc::build::manifest::Manifest::parse(&bytes);
    assert_eq!(manifest.documents.len(), 3);
    assert!(manifest.files.len() >= 3, "{manifest:?}");
    let set_modified = |path: &Path, time: std::time::SystemTime| {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(time)
            .unwrap();
    };

    // Touched, not changed: read again, found the same, not rebuilt.
    set_modified(&inputs[0], std::time::SystemTime::now());
    assert_eq!(
        summary(&build(dir.path(), &[])),
        "собрано: 0, без изменений: 3, с ошибками: 0"
    );

    // Changed with the same size and its modification time set back: its
    // change time (which no program sets back) gives it away.
    let modified = std::fs::metadata(&inputs[1]).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&inputs[1]).unwrap();
    let edited = text.replacen("# вариант 1", "# вариант 7", 1);
    assert_eq!(edited.len(), text.len());
    assert_ne!(edited, text);
    std::fs::write(&inputs[1], &edited).unwrap();
    set_modified(&inputs[1], modified);
    let stdout = build(dir.path(), &[]);
    assert_eq!(
        summary(&stdout),
        "собрано: 1, без изменений: 2, с ошибками: 0"
    );
    assert!(stdout.contains("0001_"), "{stdout}");

    // And once more: nothing to do.
    assert_eq!(
        summary(&build(dir.path(), &[])),
        "собрано: 0, без изменений: 3, с ошибками: 0"
    );
}

/// Overrides a built-in template with an edited copy (a comment added).
fn override_template(dir: &Path, name: &str) {
    let (_, builtin) = gostdoc::template::BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap();
    write_temp(
        dir,
        &format!("templates/{name}"),
        format!("{builtin}{{# изменён #}}").as_bytes(),
    );
}

/// Asserts that a build of 50 rebuilt `count` documents, all of one seed.
fn assert_rebuilt_only_seed(stdout: &str, seed: &str, count: usize) {
    assert_eq!(
        summary(stdout),
        format!(
            "собрано: {count}, без изменений: {}, с ошибками: 0",
            50 - count
        )
    );
    assert!(
        stdout
            .lines()
            .filter(|l| l.ends_with(".pdf"))
            .all(|l| l.contains(&format!("_{seed}.pdf"))),
        "{stdout}"
    );
}

#[test]
fn editing_a_profile_or_a_template_rebuilds_exactly_the_documents_that_use_it() {
    let dir = tempfile::tempdir().unwrap();
    make_batch(dir.path(), 50);
    build(dir.path(), &[]);

    // Seed 000 uses profiles/elnya.toml: every fifth document, 10 of 50.
    let profile = dir.path().join("data/profiles/elnya.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(&profile, format!("{text}\n# новый руководитель\n")).unwrap();
    assert_rebuilt_only_seed(&build(dir.path(), &[]), "000", 10);

    // A template override for постановления: seed 004, 10 of 50.
    override_template(dir.path(), "resolution.xml");
    assert_rebuilt_only_seed(&build(dir.path(), &[]), "004", 10);
    // The shared components are used by both kinds: all 50.
    override_template(dir.path(), "components.xml");
    assert_eq!(
        summary(&build(dir.path(), &[])),
        "собрано: 50, с ошибками: 0"
    );
}

#[test]
fn outputs_of_a_deleted_input_are_reported_then_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = make_batch(dir.path(), 5);
    build(dir.path(), &[]);
    std::fs::remove_file(&inputs[2]).unwrap();
    let stdout = build(dir.path(), &[]);
    assert!(stdout.contains("исходных файлов этих документов больше нет"));
    assert!(stdout.contains("0002_002.pdf"), "{stdout}");
    assert!(
        dir.path().join("output/0002_002.pdf").exists(),
        "kept without --prune"
    );

    let stdout = build(dir.path(), &["--prune"]);
    assert!(stdout.contains("удалён"), "{stdout}");
    assert!(!dir.path().join("output/0002_002.pdf").exists());
    assert!(!dir.path().join("output/0002_002.docx").exists());
    assert!(dir.path().join("output/0003_003.pdf").exists());
    // Reported once: nothing is stale any more.
    assert!(!build(dir.path(), &[]).contains("больше нет"));
}

#[test]
fn a_kill_in_the_middle_of_a_build_leaves_every_output_old_or_new_and_whole() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = make_batch(dir.path(), 60);
    build(dir.path(), &[]);
    let old = outputs(&dir.path().join("output"));
    for input in &inputs {
        edit(input, "Новая редакция:");
    }
    // What the new outputs are, built elsewhere.
    build(dir.path(), &["data", "-o", "new"]);
    let new = outputs(&dir.path().join("new"));

    let mut child = Command::new(env!("CARGO_BIN_EXE_gostdoc"))
        .args(["build", "-j", "1"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the first new file is in place.
    let started = Instant::now();
    loop {
        let now = outputs(&dir.path().join("output"));
        if now.iter().any(|(path, bytes)| new.get(path) == Some(bytes)) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build finished before the kill: make the batch larger"
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let after = outputs(&dir.path().join("output"));
    assert_eq!(after.len(), old.len());
    let (mut olds, mut news) = (0, 0);
    for (path, bytes) in &after {
        // Parsed as a reader would.
        if path.extension().unwrap() == "docx" {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            assert!(zip.by_name("word/document.xml").is_ok(), "{path:?}");
        } else {
            let pdf = lopdf::Document::load_mem(bytes).unwrap();
            assert!(!pdf.get_pages().is_empty(), "{path:?}");
        }
        if old.get(path) == Some(bytes) {
            olds += 1;
        } else if new.get(path) == Some(bytes) {
            news += 1;
        } else {
            panic!("{path:?} is neither the old file nor the new one");
        }
    }
    assert!(olds > 0 && news > 0, "old {olds}, new {news}");

    // The next build finishes the job and leaves no temporary files.
    let stdout = build(dir.path(), &[]);
    assert!(outputs(&dir.path().join("output")) == new, "{stdout}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn watch_rebuilds_a_document_when_it_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = make_batch(dir.path(), 3);
    let log = std::fs::File::create(dir.path().join("watch.log")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gostdoc"))
        .args(["watch", "data"])
        .current_dir(dir.path())
        .stdout(log)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let builds = || {
        std::fs::read_to_string(dir.path().join("watch.log"))
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("собрано:"))
            .count()
    };
    let pdf = dir.path().join("output/0001_001.pdf");
    let wait_for = |what: &dyn Fn() -> bool| {
        let started = Instant::now();
        while !what() {
            if started.elapsed() > Duration::from_secs(30) {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    };
    let first_built = wait_for(&|| pdf.exists());
    let before = std::fs::read(&pdf).unwrap_or_default();
    // Give the watcher time to start after its first build.
    std::thread::sleep(Duration::from_millis(500));

    // An editor that writes a new file and renames it over the old one.
    let text = std::fs::read_to_string(&inputs[1]).unwrap();
    let edited = text.replacen("title = \"", "title = \"Изменённое ", 1);
    let tmp = dir.path().join("data/.0001_001.toml.swp");
    std::fs::write(&tmp, edited).unwrap();
    std::fs::rename(&tmp, &inputs[1]).unwrap();
    let rebuilt = wait_for(&|| std::fs::read(&pdf).is_ok_and(|b| b != before));
    let rebuilt_pdf = std::fs::read(&pdf).unwrap_or_default();

    // A bad save: reported once, the last good output kept.
    let bad = std::fs::read_to_string(&inputs[1])
        .unwrap()
        .replacen("date = 20", "date = 19999", 1);
    std::fs::write(&inputs[1], bad).unwrap();
    let reported = wait_for(&|| builds() >= 3);
    // Its own reads and writes must not start another build.
    std::thread::sleep(Duration::from_millis(1500));
    let builds_after_quiet = builds();

    child.kill().unwrap();
    child.wait().unwrap();
    let log = std::fs::read_to_string(dir.path().join("watch.log")).unwrap();
    assert!(first_built, "watch did not build at start");
    assert!(rebuilt, "watch did not rebuild after the save");
    assert!(reported, "watch did not report the bad save:\n{log}");
    assert!(log.contains("с ошибками: 1"), "{log}");
    assert_eq!(builds_after_quiet, 3, "one build per save, no more:\n{log}");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        rebuilt_pdf,
        "the last good output is kept"
    );
}

/// The manifest of an older gostdoc (JSON, format 2) is still read: a
/// folder it describes is not rebuilt, and the binary manifest replaces
/// it. A damaged manifest only costs a full rebuild.
#[test]
fn an_older_json_manifest_is_read_and_replaced_and_a_damaged_one_rebuilds() {
    use gostdoc::build::manifest::{Dep, Manifest};
    let dir = tempfile::tempdir().unwrap();
    make_batch(dir.path(), 4);
    build(dir.path(), &[]);
    let binary = dir.path().join("output/.gostdoc-manifest");
    let json = dir.path().join("output/.gostdoc-manifest.json");
    let bytes = std::fs::read(&binary).unwrap();
    let manifest = Manifest::parse(&bytes);
    assert_eq!(manifest.documents.len(), 4);
    // The same manifest as format 2 wrote it.
    let hex = |h: u128| format!("{h:032x}");
    let documents: serde_json::Map<String, serde_json::Value> = manifest
        .documents
        .iter()
        .map(|(name, e)| {
            let deps: Vec<serde_json::Value> = e
                .deps
                .iter()
                .map(|d| match d {
                    Dep::File(p) => serde_json::json!({ "file": p }),
                    Dep::Template(t) => serde_json::json!({ "template": t }),
                })
                .collect();
            let outputs: Vec<serde_json::Value> = e
                .outputs
                .iter()
                .map(|o| serde_json::json!({ "path": o.path, "size": o.size, "hash": hex(o.hash) }))
                .collect();
            let entry = serde_json::json!({
                "key": hex(e.key.unwrap()),
                "deps": deps,
                "outputs": outputs,
            });
            (name.to_string(), entry)
        })
        .collect();
    let files: serde_json::Map<String, serde_json::Value> = manifest
        .files
        .iter()
        .map(|(name, s)| {
            let row = serde_json::json!([
                s.size,
                s.modified,
                s.changed,
                s.device,
                s.inode,
                hex(s.hash),
                s.auto
            ]);
            (name.to_string(), row)
        })
        .collect();
    let old = serde_json::json!({ "format": 2, "documents": documents, "files": files });
    std::fs::write(&json, serde_json::to_vec(&old).unwrap()).unwrap();
    std::fs::remove_file(&binary).unwrap();

    assert_eq!(
        summary(&build(dir.path(), &[])),
        "собрано: 0, без изменений: 4, с ошибками: 0"
    );
    assert!(!json.exists(), "the JSON manifest is replaced");
    assert_eq!(std::fs::read(&binary).unwrap(), bytes);

    // Damaged: read as no manifest, every document built again, and a
    // whole manifest written.
    std::fs::write(&binary, &bytes[..bytes.len() / 3]).unwrap();
    assert_eq!(
        summary(&build(dir.path(), &[])),
        "собрано: 4, с ошибками: 0"
    );
    assert_eq!(std::fs::read(&binary).unwrap(), bytes);
}
