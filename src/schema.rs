//! The JSON Schema of the input files, for editors: Even Better TOML
//! (Taplo) reads it through a `#:schema ./gostdoc.schema.json` first line
//! and then completes keys, lists the allowed values of options, shows the
//! Russian description of each key on hover and underlines a misspelt key.
//!
//! The schema is derived from the serde types of [`crate::model::raw`]
//! (`#[derive(JsonSchema)]`), so a key the parser accepts is a key the
//! schema knows, and `deny_unknown_fields` becomes `additionalProperties:
//! false`. What serde cannot tell, this module adds: the types with a
//! hand-written `Deserialize` (a string or a list of lines, a person by
//! name or as a table, a date), and the fixed sets of values of options
//! ([`Choice`]). `tests/schema.rs` checks that those sets equal what the
//! validator accepts, and that every file we ship validates.
//!
//! Draft 7, with `definitions`: what Taplo reads (it validates TOML dates
//! as strings, so a date is `type: string`).

use crate::diagnostic::system::reason;
use crate::model::kind::{Family, KINDS};
use crate::model::raw::{Lines, RawCell, RawDate, RawDocument, RawPersonRef, RawProfile};
use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings, json_schema};
use serde_json::Value;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The document schema's file name, next to the documents: the starters'
/// first line `#:schema ./gostdoc.schema.json` names it.
pub const DOCUMENT_FILE: &str = "gostdoc.schema.json";
/// The profile schema's file name, next to the document schema: a profile
/// in `profiles/` names it `#:schema ../gostdoc-profile.schema.json`.
pub const PROFILE_FILE: &str = "gostdoc-profile.schema.json";
/// The key of the schema that records which gostdoc wrote it, so that an
/// older gostdoc never replaces the schema of a newer one.
const VERSION_KEY: &str = "x-gostdoc-version";

/// Which file the schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A document (протокол, постановление, …).
    Document,
    /// An organisation profile (`profile = "profiles/….toml"`).
    Profile,
}

impl Target {
    /// The file name the schema is written under.
    pub fn file_name(self) -> &'static str {
        match self {
            Target::Document => DOCUMENT_FILE,
            Target::Profile => PROFILE_FILE,
        }
    }
}

/// The schema as a JSON value.
pub fn schema(target: Target) -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let (root, title) = match target {
        Target::Document => (
            generator.into_root_schema_for::<RawDocument>(),
            "Документ gostdoc (протокол, постановление, распоряжение, приказ, решение, план)",
        ),
        Target::Profile => (
            generator.into_root_schema_for::<RawProfile>(),
            "Профиль организации gostdoc",
        ),
    };
    let mut value = root.to_value();
    drop_null(&mut value);
    if let Value::Object(map) = &mut value {
        map.insert("title".into(), title.into());
        map.insert(
            "description".into(),
            "Схема создана командой «gostdoc schema»; не редактируйте её: \
             «gostdoc new» и «gostdoc init» обновляют её сами. Описание формата: docs/FORMAT.md."
                .into(),
        );
        map.insert(VERSION_KEY.into(), env!("CARGO_PKG_VERSION").into());
    }
    value
}

/// The schema as the text of its file: pretty JSON ending with a newline.
pub fn text(target: Target) -> String {
    let mut out = serde_json::to_string_pretty(&schema(target)).unwrap_or_default();
    out.push('\n');
    out
}

/// TOML has no null: schemars allows one for every `Option`, which an
/// editor would offer as a value. Removed everywhere.
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
                if any.len() == 1 {
                    let only = any.remove(0);
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (k, v) in inner {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            for v in map.values_mut() {
                drop_null(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// What [`write_beside`] did with one schema file.
#[derive(Debug, PartialEq, Eq)]
pub enum Placed {
    /// Written (it was missing or from an older gostdoc).
    Written(PathBuf),
    /// Already the same.
    Current(PathBuf),
    /// Left as it is: a newer gostdoc wrote it.
    KeptNewer(PathBuf, String),
}

/// Writes the schema file of `target` into `dir`, unless the one there is
/// the same or was written by a newer gostdoc. `Err` is a Russian message
/// naming the file.
pub fn write_beside(dir: &Path, target: Target) -> Result<Placed, String> {
    let path = dir.join(target.file_name());
    let ours = text(target);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if existing == ours {
            return Ok(Placed::Current(path));
        }
        if let Some(theirs) = written_by(&existing)
            && version_tuple(&theirs) > version_tuple(env!("CARGO_PKG_VERSION"))
        {
            return Ok(Placed::KeptNewer(path, theirs));
        }
    }
    crate::build::write_atomically(&path, ours.as_bytes()).map_err(|e| {
        format!(
            "{}: не удалось записать схему: {}",
            path.display(),
            reason(&e)
        )
    })?;
    Ok(Placed::Written(path))
}

/// The gostdoc version recorded in a schema file's text.
fn written_by(text: &str) -> Option<String> {
    let value: Value = serde_json::from_str(text).ok()?;
    value.get(VERSION_KEY)?.as_str().map(str::to_owned)
}

fn version_tuple(version: &str) -> Vec<u64> {
    version
        .split(['.', '-', '+'])
        .map_while(|part| part.parse().ok())
        .collect()
}

/// `gostdoc schema [--profile] [--output FILE]`: prints the schema, or
/// writes it to `FILE`.
pub fn command(target: Target, output: Option<&Path>) -> std::process::ExitCode {
    let text = text(target);
    let Some(path) = output else {
        print!("{text}");
        return std::process::ExitCode::SUCCESS;
    };
    match crate::build::write_atomically(path, text.as_bytes()) {
        Ok(()) => {
            println!("записана схема {}", path.display());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: не удалось записать схему: {e}", path.display());
            std::process::ExitCode::FAILURE
        }
    }
}

/// After `gostdoc new FILE`: the document schema next to `FILE`, where the
/// starter's `#:schema ./gostdoc.schema.json` looks for it. A failure is
/// only a note: the document itself was written.
pub fn place_beside_document(file: &Path) {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match write_beside(dir, Target::Document) {
        Ok(Placed::Written(path)) => println!(
            "записана схема {} для подсказок в редакторе (VS Code с Even Better TOML)",
            path.display()
        ),
        Ok(Placed::Current(_)) => {}
        Ok(Placed::KeptNewer(path, version)) => eprintln!(
            "примечание: {} оставлена: её записал более новый gostdoc {version}",
            path.display()
        ),
        Err(message) => eprintln!("примечание: {message}"),
    }
}

/// A string option with a fixed set of values, each with a Russian note
/// that the editor shows next to it.
pub trait Choice {
    /// The values and their notes, in the order the editor lists them.
    const VALUES: &'static [(&'static str, &'static str)];
}

/// The schema of a [`Choice`]: a string from its values.
fn choice_schema(values: &[(&str, &str)]) -> Schema {
    let names: Vec<&str> = values.iter().map(|(v, _)| *v).collect();
    let notes: Vec<&str> = values.iter().map(|(_, n)| *n).collect();
    json_schema!({
        "type": "string",
        "enum": names,
        "x-taplo": { "docs": { "enumValues": notes } },
    })
}

macro_rules! choices {
    ($($(#[$doc:meta])* $name:ident = [$($value:literal => $note:literal),+ $(,)?];)+) => {$(
        $(#[$doc])*
        pub struct $name;
        impl Choice for $name {
            const VALUES: &'static [(&'static str, &'static str)] = &[$(($value, $note)),+];
        }
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                choice_schema(Self::VALUES)
            }
        }
    )+};
}

choices! {
    /// `options.form`.
    Form = ["full" => "полная: СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ", "short" => "краткая: повестка и решения"];
    /// `options.course`.
    Course = [
        "by_question" => "по вопросам: СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ под каждым вопросом",
        "together" => "одним разделом СЛУШАЛИ, затем одним разделом РЕШИЛИ",
    ];
    /// `options.heard_label`.
    HeardLabel = ["once" => "«СЛУШАЛИ:» один раз", "each" => "«СЛУШАЛИ:» перед каждым выступающим"];
    /// `options.names`.
    Names = ["initials_first" => "О.Н. Климова", "surname_first" => "Климова О.Н."];
    /// `options.present_list` and `options.agenda_list`.
    ListStyle = ["lines" => "по одному на строке", "numbered" => "«1. …;»", "bulleted" => "«– …;»"];
    /// `options.date_style`.
    DateStyle = [
        "numeric" => "24.06.2021",
        "words" => "24 июня 2021 г.",
        "quoted" => "« 5 » марта 2024 г.",
    ];
    /// `options.date_line`.
    DateLine = [
        "from" => "«от 10.02.2021 № 227» по центру",
        "plain" => "«10.02.2021 № 227» по центру",
        "split" => "дата у левого поля, номер у правого",
    ];
    /// `options.place`.
    Place = [
        "below" => "место составления под строкой даты, по центру",
        "between" => "место составления между датой и номером",
    ];
    /// `options.votes`.
    Votes = [
        "counts" => "«ГОЛОСОВАЛИ: «за» — 17, «против» — 0, «воздержались» — 1.»",
        "unanimous" => "«Решение принято единогласно.», если никто не против и не воздержался",
    ];
    /// `options.present_order`.
    PresentOrder = ["as_written" => "в порядке записи", "alphabetical" => "по алфавиту фамилий"];
    /// `options.keywords`.
    Keywords = ["capitals" => "СЛУШАЛИ, РЕШИЛИ", "sentence" => "Слушали, Решили"];
    /// `options.enacting_form`.
    EnactingForm = [
        "inline" => "в конце преамбулы",
        "line" => "отдельной строкой по центру",
        "none" => "не печатать",
    ];
    /// `options.title_align`.
    TitleAlign = ["center" => "по центру", "left" => "у левого поля (угловой бланк)"];
    /// `options.control_form`.
    ControlForm = [
        "inline" => "«… (И.И. Иванова) — срок 01.09.2021.»",
        "line" => "«Отв.: … Срок — 31.01.2024.» отдельной строкой",
    ];
    /// `appendix.grif`.
    Grif = [
        "appendix" => "«Приложение № 1 к постановлению …»",
        "approved" => "«УТВЕРЖДЕН постановлением …»",
        "approve" => "«УТВЕРЖДАЮ» с подписью",
        "none" => "без грифа",
    ];
    /// `appendix.orientation`.
    Orientation = ["portrait" => "книжная страница", "landscape" => "альбомная страница"];
    /// `columns.align`.
    Align = ["left" => "по левому краю", "center" => "по центру"];
    /// `people.gender`.
    Gender = ["м" => "мужской", "ж" => "женский", "m" => "мужской", "f" => "женский"];
}

/// `kind`: every key and alias of [`KINDS`], the names the parser accepts.
pub struct KindName;

impl JsonSchema for KindName {
    fn schema_name() -> Cow<'static, str> {
        "KindName".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        kind_schema(|_| true)
    }
}

/// `basis.kind`: the kinds of acts, which approve a document.
pub struct ActKindName;

impl JsonSchema for ActKindName {
    fn schema_name() -> Cow<'static, str> {
        "ActKindName".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        kind_schema(|family| family == Family::Act)
    }
}

fn kind_schema(keep: impl Fn(Family) -> bool) -> Schema {
    let mut names = Vec::new();
    let mut notes = Vec::new();
    for kind in KINDS.iter().filter(|k| keep(k.family)) {
        for name in std::iter::once(&kind.key).chain(kind.aliases) {
            names.push(*name);
            notes.push(kind.nominative);
        }
    }
    json_schema!({
        "type": "string",
        "enum": names,
        "x-taplo": { "docs": { "enumValues": notes } },
    })
}

impl JsonSchema for Lines {
    fn schema_name() -> Cow<'static, str> {
        "Lines".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Строка или список строк, по одной на каждую печатаемую строку.",
            "oneOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" } },
            ],
        })
    }
}

impl JsonSchema for RawPersonRef {
    fn schema_name() -> Cow<'static, str> {
        "PersonRef".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let person = generator.subschema_for::<crate::model::raw::RawPerson>();
        json_schema!({
            "description": "Человек: фамилия из [[people]] («Климова»), «Фамилия И.О.» или таблица { name = \"…\", position = \"…\" }.",
            "oneOf": [
                { "type": "string", "examples": ["Климова", "Климова О.Н."] },
                person,
            ],
        })
    }
}

impl JsonSchema for RawDate {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // A TOML date (2021-06-24, without quotes) reaches the validator as
        // a string; so does «24.06.2021» in quotes. Both are accepted.
        json_schema!({
            "type": "string",
            "examples": ["2021-06-24", "24.06.2021"],
        })
    }
}

/// `options.edition`: the editions of ГОСТ Р 7.0.97, numbers.
pub struct Edition;

impl JsonSchema for Edition {
    fn schema_name() -> Cow<'static, str> {
        "Edition".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "integer",
            "enum": [2016, 2025],
            "x-taplo": { "docs": { "enumValues": [
                "ГОСТ Р 7.0.97-2016 (по умолчанию)",
                "ГОСТ Р 7.0.97-2025: гриф шириной 8 см, реквизит «QR-код»",
            ] } },
        })
    }
}

/// `qr`: a link, or `true` for the registration data.
pub struct Qr;

impl JsonSchema for Qr {
    fn schema_name() -> Cow<'static, str> {
        "Qr".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "oneOf": [
                { "type": "string", "examples": ["https://zarechny.ru/docs/2024/45-r"] },
                { "type": "boolean" },
            ],
        })
    }
}

/// A deadline: the same TOML type as a date, with the words of a deadline.
pub struct Deadline;

impl JsonSchema for Deadline {
    fn schema_name() -> Cow<'static, str> {
        "Deadline".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "examples": ["до 01.09.2021", "01.09.2021", "март 2021 г.", "январь–март 2021 г.", "постоянно", "в течение учебного года"],
        })
    }
}

impl JsonSchema for RawCell {
    fn schema_name() -> Cow<'static, str> {
        "Cell".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let spanning = generator.subschema_for::<crate::model::raw::RawSpanningCell>();
        json_schema!({
            "description": "Ячейка: текст, список строк (по абзацу на строку) или { text = \"…\", rows = 2 } — ячейка на несколько строк.",
            "oneOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" } },
                spanning,
            ],
        })
    }
}

/// The values of every [`Choice`], by the dotted key of the option, for
/// tests and documentation.
pub fn choices() -> Vec<(&'static str, Vec<&'static str>)> {
    fn names<C: Choice>() -> Vec<&'static str> {
        C::VALUES.iter().map(|(v, _)| *v).collect()
    }
    vec![
        ("options.form", names::<Form>()),
        ("options.course", names::<Course>()),
        ("options.heard_label", names::<HeardLabel>()),
        ("options.names", names::<Names>()),
        ("options.present_list", names::<ListStyle>()),
        ("options.agenda_list", names::<ListStyle>()),
        ("options.date_style", names::<DateStyle>()),
        ("options.date_line", names::<DateLine>()),
        ("options.place", names::<Place>()),
        ("options.votes", names::<Votes>()),
        ("options.present_order", names::<PresentOrder>()),
        ("options.keywords", names::<Keywords>()),
        ("options.enacting_form", names::<EnactingForm>()),
        ("options.title_align", names::<TitleAlign>()),
        ("options.control_form", names::<ControlForm>()),
        ("appendix.grif", names::<Grif>()),
        ("appendix.orientation", names::<Orientation>()),
        ("appendix.table.columns.align", names::<Align>()),
        ("people.gender", names::<Gender>()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_number() {
        assert!(version_tuple("0.10.0") > version_tuple("0.9.3"));
        assert!(version_tuple("1.0.0-beta") == version_tuple("1.0.0"));
        assert_eq!(
            written_by(&text(Target::Document)).as_deref(),
            Some(env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn no_null_is_left() {
        let text = text(Target::Document);
        assert!(!text.contains("null"), "{text}");
    }
}
