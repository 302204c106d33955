//! `gostdoc assignments --format xlsx|ics`: the workbook opens in
//! LibreOffice with the same rows as our CSV, and the calendar parses with
//! Python's `icalendar` with UIDs that do not change between runs, folders
//! or when another document is added (so importing twice duplicates
//! nothing). scripts/test.sh installs LibreOffice and `icalendar`.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const AS_OF: &str = "2021-09-02";

fn run_ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = gostdoc(dir, args);
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn xlsx_opens_in_libreoffice_with_the_rows_of_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("реестр.xlsx");
    let xlsx_arg = xlsx.to_string_lossy().into_owned();
    let base = ["assignments", "data", "--as-of", AS_OF];
    let ours = run_ok(&root(), &[&base[..], &["--format", "csv"]].concat());
    run_ok(
        &root(),
        &[&base[..], &["--format", "xlsx", "-o", &xlsx_arg]].concat(),
    );
    let first = std::fs::read(&xlsx).unwrap();
    run_ok(
        &root(),
        &[&base[..], &["--format", "xlsx", "-o", &xlsx_arg]].concat(),
    );
    assert_eq!(first, std::fs::read(&xlsx).unwrap(), "the same bytes twice");

    // CSV filter options: comma, double quotes, UTF-8 (76); cells as shown,
    // so date cells come out as 01.09.2021 through their format.
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("lo-profile").display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
        ])
        .arg(dir.path().join("lo"))
        .arg(&xlsx)
        .output()
        .expect("soffice: run scripts/test.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = std::fs::read(dir.path().join("lo/реестр.csv")).expect("LibreOffice wrote a CSV");
    let (ours, theirs) = (records(&ours), records(&theirs));
    assert_eq!(ours[0][3], "дата");
    assert_eq!(ours.len(), 70, "69 assignments and the header");
    assert_eq!(theirs.len(), ours.len());
    for (o, t) in ours.iter().zip(&theirs) {
        assert_eq!(o, t);
    }
}

/// The UIDs and start dates of an ICS file, read by Python's `icalendar`.
fn parsed_events(ics: &[u8]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let file = write_temp(dir.path(), "a.ics", ics);
    let script = "import sys, icalendar\n\
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
        for e in cal.walk('VEVENT'):\n\
        \x20   print(str(e['UID']) + ' ' + e.decoded('DTSTART').isoformat())\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (uid, day) = l.split_once(' ').unwrap();
            (uid.to_owned(), day.to_owned())
        })
        .collect()
}

#[test]
fn ics_parses_and_its_uids_are_stable() {
    let args = ["assignments", "data", "--as-of", AS_OF, "--format", "ics"];
    let first = run_ok(&root(), &args);
    let again = run_ok(&root(), &args);
    assert_eq!(first, again, "the same bytes twice");
    let events = parsed_events(&first);
    // One event per assignment with a last day, on that day.
    let csv = records(&run_ok(
        &root(),
        &["assignments", "data", "--as-of", AS_OF, "--format", "csv"],
    ));
    let dated: Vec<&Vec<String>> = csv[1..].iter().filter(|r| !r[10].is_empty()).collect();
    assert_eq!(events.len(), dated.len());
    assert_eq!(events.len(), 47);
    let uids: BTreeSet<&str> = events.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(uids.len(), events.len(), "every UID differs");
    let (_, day) = &events[0];
    assert_eq!(day, "2021-09-01", "000's point 2.1: до 01.09.2021");

    // Another folder, another as-of date and one more document: the old
    // UIDs all stay.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("папка");
    for entry in std::fs::read_dir(root().join("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::create_dir_all(&data).unwrap();
            std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::create_dir_all(data.join("profiles")).unwrap();
    for entry in std::fs::read_dir(root().join("data/profiles")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join("profiles").join(path.file_name().unwrap())).unwrap();
    }
    std::fs::copy(
        root().join("data/004_slavsk_postanovlenie_227.toml"),
        data.join("099_novyi.toml"),
    )
    .unwrap();
    let more = parsed_events(&run_ok(
        dir.path(),
        &[
            "assignments",
            "папка",
            "--as-of",
            "2022-01-01",
            "--format",
            "ics",
        ],
    ));
    let more_uids: BTreeSet<&str> = more.iter().map(|(u, _)| u.as_str()).collect();
    assert!(more_uids.is_superset(&uids));
    assert!(
        more_uids.len() > uids.len(),
        "the new document's events are there"
    );
}
