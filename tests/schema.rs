//! The JSON Schema an editor reads (`gostdoc schema`): every file we ship
//! validates against it, a misspelt key and a wrong option value fail it
//! with a message naming them, its sets of option values are the sets the
//! validator accepts, and Taplo (Even Better TOML's engine) reads it as
//! the editor would.

mod common;
use common::*;
use gostdoc::schema::{self, Target};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A TOML file as Taplo hands it to a JSON Schema validator: tables are
/// objects, dates are strings (`2021-06-24`).
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn read_toml(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The schema's complaints about a TOML table, one line each.
fn errors(target: Target, table: toml::Table) -> Vec<String> {
    let validator = jsonschema::draft7::new(&schema::schema(target)).expect("the schema compiles");
    let instance = toml_to_json(toml::Value::Table(table));
    validator
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_document_starter_and_profile_validates() {
    let root = root();
    let mut checked = 0;
    let mut documents = toml_files(&root.join("data"));
    documents.extend(toml_files(&root.join("src/starters")));
    documents.push(root.join("src/starters/init/protocol.toml"));
    documents.push(root.join("src/starters/init/resolution.toml"));
    for file in &documents {
        let found = errors(Target::Document, read_toml(file));
        assert!(
            found.is_empty(),
            "{}:\n{}",
            file.display(),
            found.join("\n")
        );
        checked += 1;
    }
    let mut profiles = toml_files(&root.join("data/profiles"));
    profiles.push(root.join("src/starters/init/profile.toml"));
    for file in &profiles {
        let found = errors(Target::Profile, read_toml(file));
        assert!(
            found.is_empty(),
            "{}:\n{}",
            file.display(),
            found.join("\n")
        );
        checked += 1;
    }
    assert!(checked >= 11 + 6 + 2 + 4, "only {checked} files checked");
    // A profile is not a document: its `[signature]` is one table.
    let profile = read_toml(&root.join("data/profiles/zarechny.toml"));
    assert!(!errors(Target::Document, profile).is_empty());
}

/// The starter protocol with `edit` applied.
fn starter_protocol(edit: impl FnOnce(&mut toml::Table)) -> toml::Table {
    let mut table = read_toml(&root().join("src/starters/protocol.toml"));
    edit(&mut table);
    table
}

fn table_mut<'a>(table: &'a mut toml::Table, key: &str) -> &'a mut toml::Table {
    table
        .entry(key)
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .unwrap()
}

#[test]
fn a_misspelt_key_fails_naming_the_key() {
    let table = starter_protocol(|t| {
        let meeting = table_mut(t, "meeting");
        let title = meeting.remove("title").unwrap();
        meeting.insert("titel".into(), title);
    });
    let found = errors(Target::Document, table).join("\n");
    assert!(found.contains("'titel' was unexpected"), "{found}");
    assert!(found.contains("/meeting"), "{found}");
    // At the top level and deep inside a list of tables too.
    let table = starter_protocol(|t| {
        t.insert("profil".into(), "p.toml".into());
        let decision = t["decision"].as_array_mut().unwrap()[0]
            .as_table_mut()
            .unwrap();
        decision.insert("deadlin".into(), "постоянно".into());
    });
    let found = errors(Target::Document, table).join("\n");
    assert!(found.contains("'profil' was unexpected"), "{found}");
    assert!(found.contains("'deadlin' was unexpected"), "{found}");
}

#[test]
fn a_wrong_option_value_or_kind_fails_naming_the_value() {
    let table = starter_protocol(|t| {
        table_mut(t, "options").insert("form".into(), "fulll".into());
    });
    let found = errors(Target::Document, table).join("\n");
    assert!(found.contains("\"fulll\" is not one of"), "{found}");
    assert!(found.contains("/options/form"), "{found}");
    let table = starter_protocol(|t| {
        t.insert("kind".into(), "указ".into());
    });
    let found = errors(Target::Document, table).join("\n");
    assert!(found.contains("\"указ\" is not one of"), "{found}");
    // A string where a number belongs fails too.
    let table = starter_protocol(|t| {
        table_mut(t, "meeting").insert("present_count".into(), "сорок".into());
    });
    assert!(!errors(Target::Document, table).is_empty());
}

/// The node of the schema that describes the value at a dotted path,
/// following references and going into list items.
fn schema_at<'a>(root: &'a Value, path: &str) -> &'a Value {
    fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
        loop {
            if let Some(r) = node.get("$ref").and_then(Value::as_str) {
                node = root.pointer(r.trim_start_matches('#')).unwrap();
            } else if let Some(all) = node.get("allOf").and_then(Value::as_array) {
                node = &all[0];
            } else if let Some(one) = node
                .get("oneOf")
                .or_else(|| node.get("anyOf"))
                .and_then(Value::as_array)
            {
                // A person or a cell: the table among the shapes.
                node = one
                    .iter()
                    .map(|n| resolve(root, n))
                    .find(|n| n.get("properties").is_some())
                    .unwrap_or(&one[0]);
            } else if node.get("type").and_then(Value::as_str) == Some("array") {
                node = &node["items"];
            } else {
                return node;
            }
        }
    }
    let mut node = resolve(root, root);
    for key in path.split('.') {
        node = resolve(root, &node["properties"][key]);
    }
    node
}

fn enum_at(root: &Value, path: &str) -> Vec<String> {
    schema_at(root, path)["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{path}: no enum in the schema"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Where each option with a fixed set of values lives in a file we can
/// build: the starter to edit and how to reach the key's table.
fn document_with(path: &str, value: &str) -> (String, toml::Table) {
    let (starter, holder): (&str, fn(&mut toml::Table) -> &mut toml::Table) = match path {
        p if p.starts_with("options.") => ("protocol", |t| table_mut(t, "options")),
        "people.gender" => ("protocol", |t| {
            t["people"].as_array_mut().unwrap()[0]
                .as_table_mut()
                .unwrap()
        }),
        "appendix.grif" | "appendix.orientation" => ("resolution", |t| {
            t["appendix"].as_array_mut().unwrap()[0]
                .as_table_mut()
                .unwrap()
        }),
        "appendix.table.columns.align" => ("resolution", |t| {
            let appendix = t["appendix"].as_array_mut().unwrap()[0]
                .as_table_mut()
                .unwrap();
            appendix["table"]["columns"].as_array_mut().unwrap()[1]
                .as_table_mut()
                .unwrap()
        }),
        other => panic!("{other}: say where this option goes"),
    };
    let mut table = read_toml(&root().join(format!("src/starters/{starter}.toml")));
    let key = path.rsplit('.').next().unwrap();
    holder(&mut table).insert(key.into(), value.into());
    (key.to_owned(), table)
}

/// The model's diagnostics for a TOML table, as the user reads them.
fn diagnostics(table: &toml::Table) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = write_temp(
        dir.path(),
        "doc.toml",
        toml::to_string(table).unwrap().as_bytes(),
    );
    match gostdoc::model::load(&file) {
        Ok(_) => String::new(),
        Err(d) => d.to_string(),
    }
}

#[test]
fn option_values_in_the_schema_are_the_values_the_validator_accepts() {
    let root = schema::schema(Target::Document);
    for (path, values) in schema::choices() {
        assert_eq!(enum_at(&root, path), values, "{path}");
        // Every value of the schema is accepted…
        for value in &values {
            let (key, table) = document_with(path, value);
            let said = diagnostics(&table);
            assert!(
                !said.contains(&format!(".{key}»")) && !said.contains(&format!("«{key}»")),
                "{path} = {value:?} is refused:\n{said}"
            );
        }
        // …and a value outside it is refused; where the validator lists
        // what it accepts, the list is the schema's.
        let (_, table) = document_with(path, "zzzz");
        let said = diagnostics(&table);
        assert!(said.contains("«zzzz»"), "{path} accepts anything:\n{said}");
        if let Some(listed) = said.split("допустимые значения: ").nth(1) {
            let listed: Vec<&str> = listed
                .lines()
                .next()
                .unwrap()
                .split(", ")
                .map(|v| v.split(' ').next().unwrap())
                .collect();
            assert_eq!(listed, values, "{path}");
        }
    }
    // The kinds come from the kind table itself.
    let mut kinds = enum_at(&root, "kind");
    let mut names = gostdoc::model::DocKind::names();
    kinds.sort();
    names.sort();
    assert_eq!(kinds, names);
    for kind in enum_at(&root, "basis.kind") {
        let family = gostdoc::model::DocKind::from_name(&kind)
            .unwrap()
            .info()
            .family;
        assert_eq!(family, gostdoc::model::kind::Family::Act, "{kind}");
    }
}

/// Every object of the schema, with the path that leads to it.
fn objects<'a>(node: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    match node {
        Value::Object(map) => {
            if map.contains_key("properties") {
                out.push((at.clone(), node));
            }
            for (k, v) in map {
                objects(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                objects(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_table_is_closed_and_every_key_described_in_russian() {
    for target in [Target::Document, Target::Profile] {
        let root = schema::schema(target);
        let mut found = Vec::new();
        objects(&root, String::new(), &mut found);
        // Every table of the model: 24 in a document, 6 in a profile.
        let tables = if target == Target::Document { 24 } else { 6 };
        assert!(found.len() >= tables, "{}", found.len());
        for (at, object) in found {
            assert_eq!(object["additionalProperties"], Value::Bool(false), "{at}");
            for (key, property) in object["properties"].as_object().unwrap() {
                let description = property["description"].as_str().unwrap_or("");
                assert!(
                    description
                        .chars()
                        .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap())),
                    "{at}/{key}: no Russian description: {property}"
                );
            }
        }
    }
}

#[test]
fn the_command_prints_and_writes_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = gostdoc(dir.path(), &["schema"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        schema::text(Target::Document)
    );
    let out = gostdoc(dir.path(), &["schema", "--profile", "--output", "p.json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(dir.path().join("p.json")).unwrap();
    assert_eq!(written, schema::text(Target::Profile));
    assert!(written.contains("\"additionalProperties\": false"));
}

#[test]
fn new_writes_the_schema_its_first_line_names_and_keeps_a_newer_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = gostdoc(dir.path(), &["new", "протокол", "docs/p.toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("docs/p.toml")).unwrap();
    assert_eq!(text.lines().next(), Some("#:schema ./gostdoc.schema.json"));
    let schema_file = dir.path().join("docs/gostdoc.schema.json");
    assert_eq!(
        std::fs::read_to_string(&schema_file).unwrap(),
        schema::text(Target::Document)
    );
    // A schema a newer gostdoc wrote stays; an older one is replaced.
    let newer = r#"{ "x-gostdoc-version": "999.0.0" }"#;
    std::fs::write(&schema_file, newer).unwrap();
    let out = gostdoc(dir.path(), &["new", "приказ", "docs/q.toml"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("более новый gostdoc 999.0.0"));
    assert_eq!(std::fs::read_to_string(&schema_file).unwrap(), newer);
    std::fs::write(&schema_file, r#"{ "x-gostdoc-version": "0.0.1" }"#).unwrap();
    let out = gostdoc(dir.path(), &["new", "решение", "docs/r.toml"]);
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(&schema_file).unwrap(),
        schema::text(Target::Document)
    );
}

/// Taplo, the engine of Even Better TOML, checks our files against the
/// schema as the editor does: `taplo check --schema file://…` over data/,
/// and a file's own `#:schema` line in a folder made by `gostdoc init`.
#[test]
fn taplo_accepts_our_files_and_refuses_a_misspelt_key() {
    let dir = tempfile::tempdir().unwrap();
    let schema_file = write_temp(
        dir.path(),
        "gostdoc.schema.json",
        schema::text(Target::Document).as_bytes(),
    );
    let url = format!("file://{}", schema_file.display());
    let mut files: Vec<String> = toml_files(&root().join("data"))
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["check".to_owned(), "--schema".to_owned(), url.clone()];
    args.extend(files);
    let out = std::process::Command::new("taplo")
        .args(&args)
        .current_dir(dir.path())
        .output()
        .expect("taplo is installed by scripts/test.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let project = dir.path().join("project");
    let out = gostdoc(dir.path(), &["init", "project"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = std::process::Command::new("taplo")
        .args([
            "check",
            "data/protokol.toml",
            "data/postanovlenie.toml",
            "data/profiles/organizaciya.toml",
        ])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(project.join("data/protokol.toml")).unwrap();
    std::fs::write(
        project.join("data/protokol.toml"),
        text.replace("\nvenue = ", "\nvenu = "),
    )
    .unwrap();
    let out = std::process::Command::new("taplo")
        .args(["check", "data/protokol.toml"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("'venu' was unexpected"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The repository's own examples carry the `#:schema` line, and the schema
/// files it names are committed beside them and equal what `gostdoc schema`
/// prints, so an editor opening data/ validates it offline and the files
/// cannot drift; Taplo, following the lines alone, accepts every file.
#[test]
fn data_names_its_committed_schema_which_is_the_current_one() {
    let data = root().join("data");
    for (target, file) in [
        (Target::Document, "gostdoc.schema.json"),
        (Target::Profile, "gostdoc-profile.schema.json"),
    ] {
        let committed = std::fs::read_to_string(data.join(file)).unwrap();
        assert!(
            committed == schema::text(target),
            "data/{file} is out of date: gostdoc schema{} --output data/{file}",
            if target == Target::Profile {
                " --profile"
            } else {
                ""
            }
        );
    }
    let mut files = Vec::new();
    for path in toml_files(&data) {
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = if path.parent().unwrap().ends_with("profiles") {
            "#:schema ../gostdoc-profile.schema.json\n"
        } else {
            "#:schema ./gostdoc.schema.json\n"
        };
        assert!(text.starts_with(expected), "{}", path.display());
        files.push(path.display().to_string());
    }
    let out = std::process::Command::new("taplo")
        .arg("check")
        .args(&files)
        .current_dir(&data)
        .output()
        .expect("taplo is installed by scripts/test.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
