//! `gostdoc assignments`: the register of assignments on the seeds, as a
//! secretary checks it against the signed protocols and the roadmap.

mod common;
use common::*;
use serde_json::Value;

const AS_OF: &str = "2021-09-02";

/// The register of these seed files as JSON, and the exit code.
fn register(seeds: &[&str], extra: &[&str]) -> (Vec<Value>, Option<i32>) {
    let files: Vec<String> = seeds
        .iter()
        .map(|id| seed_input(id).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["assignments", "--as-of", AS_OF, "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    args.extend(extra);
    let out = gostdoc(&root(), &args);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).expect("one JSON array");
    (list.as_array().unwrap().clone(), out.status.code())
}

fn of_seed<'a>(list: &'a [Value], id: &str) -> Vec<&'a Value> {
    list.iter()
        .filter(|a| a["file"].as_str().unwrap().contains(&format!("/{id}_")))
        .collect()
}

fn point<'a>(list: &'a [Value], id: &str, number: &str) -> &'a Value {
    of_seed(list, id)
        .into_iter()
        .find(|a| a["point"] == number)
        .unwrap_or_else(|| panic!("no point {number} in seed {id}"))
}

#[test]
fn seeds_list_every_deadline_bearing_point_with_its_status() {
    let (list, code) = register(&["000", "001", "004"], &[]);
    // Counted by hand in data/: 000 has two decisions with a shared
    // deadline over 5 and 3 sub-points (decision 1 has neither deadline nor
    // addressee); 001 has 11 + 8 points, each with a deadline; 004's
    // roadmap has 19 rows, each with a «Срок исполнения».
    assert_eq!(of_seed(&list, "000").len(), 8);
    assert_eq!(of_seed(&list, "001").len(), 19);
    assert_eq!(of_seed(&list, "004").len(), 19);
    assert_eq!(list.len(), 46);
    assert!(list.iter().all(|a| a["deadline"].is_object()));
    assert_eq!(code, Some(3), "something is overdue on {AS_OF}");

    // «до 01.09.2021», inherited from the decision's group_deadline.
    let a = point(&list, "000", "2.3.");
    assert_eq!(a["term"], "before");
    assert_eq!(a["last_day"], "2021-09-01");
    assert_eq!(a["status"]["status"], "overdue");
    assert_eq!(a["status"]["days"], 1);
    assert!(a["to"].as_str().unwrap().starts_with("Отделу образования"));
    assert!(a["text"].as_str().unwrap().starts_with("Повысить уровень"));
    // «постоянно».
    let a = point(&list, "001", "1.4.");
    assert_eq!(a["term"], "periodic");
    assert_eq!(a["status"]["status"], "periodic");
    assert!(a["last_day"].is_null());
    // A month range: «январь–март 2021 г.» ends on 31 March.
    let a = point(&list, "001", "2.1.");
    assert_eq!(a["term"], "months");
    assert_eq!(a["last_day"], "2021-03-31");
    assert_eq!(a["status"]["days"], 155);
    // Within the 14 days.
    let a = point(&list, "001", "1.3.");
    assert_eq!(a["status"]["status"], "due");
    assert_eq!(a["status"]["days"], 13);
    // A span of days in the roadmap: «02.11.–06.11.2021 г.», 65 days ahead.
    let a = point(&list, "004", "прил. 1, стр. 2");
    assert_eq!(a["term"], "range");
    assert_eq!(a["deadline_text"], "02.11.–06.11.2021 г.");
    assert_eq!(a["last_day"], "2021-11-06");
    assert_eq!(a["status"]["status"], "later");
    assert_eq!(a["status"]["days"], 65);
    assert_eq!(a["responsible"][0], "Общеобразовательные организации");
}

#[test]
fn addressee_matches_in_any_case() {
    // 000: 5 points to «Отделу образования …»; 001: 8 to «Отделу образования
    // Жуковского района …»; 004: 15 roadmap rows with «Отдел образования»
    // among the responsible.
    let mut lists = Vec::new();
    for form in [
        "Отдел образования",
        "Отделу образования",
        "отдела образования",
        "ОТДЕЛОМ ОБРАЗОВАНИЯ",
        "Отделе образования",
    ] {
        let (list, _) = register(&["000", "001", "004"], &["--to", form]);
        assert_eq!(
            [
                of_seed(&list, "000").len(),
                of_seed(&list, "001").len(),
                of_seed(&list, "004").len()
            ],
            [5, 8, 15],
            "{form}"
        );
        lists.push(list);
    }
    assert!(lists.windows(2).all(|w| w[0] == w[1]));
    // Another body is not matched by a shared word.
    let (list, _) = register(&["000"], &["--to", "Муниципальный образовательный центр"]);
    let points: Vec<&str> = list.iter().map(|a| a["point"].as_str().unwrap()).collect();
    assert_eq!(points, ["3.1.", "3.2.", "3.3."]);
}

#[test]
fn filters_by_status_and_last_day() {
    let (list, _) = register(&["001"], &["--status", "periodic"]);
    assert_eq!(
        list.len(),
        7,
        "six «постоянно», one «в течение учебного года»"
    );
    let (list, code) = register(&["001"], &["--from", "2021-09-02", "--until", "30.09.2021"]);
    let points: Vec<&str> = list.iter().map(|a| a["point"].as_str().unwrap()).collect();
    assert_eq!(points, ["1.3."]);
    assert_eq!(code, Some(0), "nothing listed is overdue");
}

#[test]
fn csv_has_a_header_and_one_row_per_assignment() {
    let out = gostdoc(
        &root(),
        &[
            "assignments",
            "data/000_elnya_rabochee_soveshchanie.toml",
            "--as-of",
            AS_OF,
            "--to",
            "Муниципальный образовательный центр",
            "--format",
            "csv",
        ],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0],
        "файл,вид,номер,дата,пункт,текст,кому,ответственные,срок,вид срока,\
         последний день,статус,дней,состояние"
    );
    assert_eq!(
        lines[1],
        "data/000_elnya_rabochee_soveshchanie.toml,протокол,,24.06.2021,3.1.,\
         Обеспечит реализацию комплекса организационно-методических мероприятий \
         для образовательных организаций зоны риска с целью предупреждения \
         перехода школ в кластер ШПРО.,Муниципальному образовательному центру,,\
         до 01.09.2021,до даты,01.09.2021,overdue,1,просрочено на 1 день"
    );
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn exit_code_is_3_only_when_something_listed_is_overdue() {
    // Not `run`: tests/test_script.rs reads `run(X)` as starting program X.
    let as_of_day = |as_of: &str| {
        gostdoc(
            &root(),
            &[
                "assignments",
                "data/000_elnya_rabochee_soveshchanie.toml",
                "--as-of",
                as_of,
            ],
        )
    };
    let out = as_of_day("2021-09-02");
    assert_eq!(out.status.code(), Some(3));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.starts_with("Документ"), "{table}");
    assert!(table.contains("просрочено на 1 день"), "{table}");
    let out = as_of_day("2021-08-20");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("срок через")
    );
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("поручений: 8; просрочено: 0")
    );
}

#[test]
fn an_unreadable_document_is_reported_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.toml"),
        "kind = \"protocol\"\n[meeting\n",
    )
    .unwrap();
    let out = gostdoc(dir.path(), &["assignments", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("broken.toml"), "{err}");
}
