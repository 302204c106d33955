//! The table of issue 4 (`tests/fixtures/russian.tsv`): names in every
//! case, positions, dates, deadlines, plural agreement, numbers in words
//! and the typographic pass, each through the Tera filter a template uses.

use gostdoc::filters;

const TABLE: &str = include_str!("fixtures/russian.tsv");

fn render(expression: &str) -> Result<String, String> {
    let mut tera = tera::Tera::new();
    filters::register(&mut tera);
    tera.add_raw_template("case", expression)
        .map_err(|e| format!("{e:?}"))?;
    tera.render("case", &tera::Context::new())
        .map_err(|e| format!("{e:?}"))
}

/// The cases of the table: expression and expected text, with «~» read as
/// a no-break space and «\n» as a line break.
fn cases() -> Vec<(usize, String, String)> {
    TABLE
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let (expr, expected) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("line {}: no tab in {l:?}", i + 1));
            let expr = expr.replace("\\n", "\n");
            let expected = expected.replace('~', "\u{a0}").replace("\\n", "\n");
            (i + 1, expr, expected)
        })
        .collect()
}

#[test]
fn every_case_of_the_table_prints_as_expected() {
    let cases = cases();
    assert!(cases.len() >= 150, "the table has {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(line, expr, expected)| match render(expr) {
            Ok(got) if &got == expected => None,
            Ok(got) => Some(format!(
                "line {line}: {expr}\n   want {:?}\n   got  {:?}",
                expected.replace('\u{a0}', "~"),
                got.replace('\u{a0}', "~")
            )),
            Err(e) => Some(format!("line {line}: {expr}\n   error {e}")),
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn a_wrong_expectation_fails() {
    // The comparison is exact: a plain space is not a no-break space.
    let got = render(r#"{{ "Климова О.Н." | name(case="accusative") }}"#).unwrap();
    assert_ne!(got, "Климову О.Н.");
    assert_eq!(got, "Климову\u{a0}О.Н.");
}

#[test]
fn bad_arguments_are_explained_in_russian() {
    let e = render(r#"{{ "Климова О.Н." | name(case="звательный") }}"#).unwrap_err();
    assert!(e.contains("неизвестный падеж «звательный»"), "{e}");
    let e = render(r#"{{ "2021-02-30" | date }}"#).unwrap_err();
    assert!(e.contains("нужна дата"), "{e}");
    let e = render(r#"{{ "2021-02-10" | date(form="weekday") }}"#).unwrap_err();
    assert!(e.contains("неизвестная форма даты"), "{e}");
}

#[test]
fn every_example_in_the_template_docs_prints_what_the_docs_say() {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/TEMPLATES.md")).unwrap();
    let mut checked = 0;
    for line in docs.lines() {
        // | `{{ … }}` | prints |
        let Some(rest) = line.strip_prefix("| `") else {
            continue;
        };
        let Some((expr, tail)) = rest.split_once("` | ") else {
            continue;
        };
        let expected = tail.trim_end_matches(" |").trim();
        let expr = expr.replace("\\|", "|");
        let got = render(&expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        // The docs show no-break spaces as plain ones.
        assert_eq!(got.replace('\u{a0}', " "), expected, "{expr}");
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} examples found");
}
