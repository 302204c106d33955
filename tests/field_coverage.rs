//! Every key `docs/FORMAT.md` documents does something a user can see
//! (issue 11, point 3): changing its value changes the DOCX and the PDF, or
//! the key is listed in [`NOT_PRINTED`] with what it does instead (the
//! file's properties, the checks) and that effect is tested.
//!
//! The documented keys are read from the ```toml examples of FORMAT.md,
//! dotted by table (`appendix.table.columns.width`), each with the kind its
//! section is about (`## Приказ (`kind = "prikaz"`)`), «any» for sections
//! about every kind, and «profile» for an example that is a profile (its
//! first line is `# profiles/….toml`). A key of a kind's section needs a
//! case on a document of that kind; a profile's key, a case that edits the
//! profile.
//!
//! A case is a base document, a snippet of it and its replacement. Keys
//! accepted but not printed are bugs: their cases are in [`KNOWN_UNPRINTED`],
//! expected to fail until the coordinator fixes them (a fixed one fails the
//! test, so that it leaves the list).

mod common;
use common::*;
use gostdoc::build::{self, Format};
use gostdoc::pdf::PdfOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

// ---------------------------------------------------------------- FORMAT.md

/// (scope, dotted key): scope is a kind key, `any` or `profile`.
type Documented = BTreeSet<(String, String)>;

/// The ```toml blocks of a Markdown text, each with the kind of the `##`
/// section it stands in (`any` when the heading names none).
fn toml_blocks(md: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut scope = "any".to_owned();
    let mut block: Option<String> = None;
    for line in md.lines() {
        if let Some(b) = &mut block {
            if line.trim_start().starts_with("```") {
                out.push((scope.clone(), std::mem::take(b)));
                block = None;
            } else {
                b.push_str(line);
                b.push('\n');
            }
        } else if line.trim_start().starts_with("```toml") {
            block = Some(String::new());
        } else if let Some(h) = line.strip_prefix("## ") {
            scope = h
                .split_once("kind = \"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(k, _)| k.to_owned())
                .unwrap_or_else(|| "any".to_owned());
        }
    }
    out
}

/// Dotted keys of a TOML value: a key whose value is a table is walked
/// into; a list of tables is walked into each; anything else is a key.
fn walk(prefix: &str, value: &toml::Value, out: &mut BTreeSet<String>) {
    let toml::Value::Table(t) = value else {
        return;
    };
    for (k, v) in t {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(_) => walk(&path, v, out),
            toml::Value::Array(items) => {
                if items.is_empty() || items.iter().any(|i| !i.is_table()) {
                    out.insert(path.clone());
                }
                for i in items.iter().filter(|i| i.is_table()) {
                    walk(&path, i, out);
                }
            }
            _ => {
                out.insert(path);
            }
        }
    }
}

/// Every key FORMAT.md shows in an example, with its scope. Panics naming
/// an example that is not valid TOML.
fn documented(md: &str) -> Documented {
    let mut out = Documented::new();
    for (section, text) in toml_blocks(md) {
        let value: toml::Value = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("FORMAT.md: an example is not valid TOML: {e}\n{text}"));
        let scope = if text.trim_start().starts_with("# profiles/") {
            "profile".to_owned()
        } else if let Some(k) = value.get("kind").and_then(|k| k.as_str()) {
            k.to_owned()
        } else {
            section
        };
        let mut keys = BTreeSet::new();
        walk("", &value, &mut keys);
        out.extend(keys.into_iter().map(|k| (scope.clone(), k)));
    }
    out
}

fn format_md() -> String {
    std::fs::read_to_string(root().join("docs/FORMAT.md")).unwrap()
}

// ------------------------------------------------------------ base documents

/// The profile every base names, `profiles/org.toml`.
const PROFILE: &str = r#"[organization]
name = "Администрация Заречного муниципального округа"
header = ["АДМИНИСТРАЦИЯ", "ЗАРЕЧНОГО МУНИЦИПАЛЬНОГО ОКРУГА"]
city = "г. Заречный"
issuer_genitive = "администрации Заречного муниципального округа"
emblem = "gerb.png"
emblem_height = 17

[options]
date_line = "split"

[[people]]
name = "Белов Андрей Викторович"
position = "глава Заречного муниципального округа"

[signature]
position = ["Глава Заречного", "муниципального округа"]
person = "Белов"
"#;

/// A second profile, `profiles/alt.toml`, for the `profile` key.
const ALT_PROFILE: &str = r#"[organization]
name = "Администрация Заречного муниципального округа"
header = ["АДМИНИСТРАЦИЯ", "ЗАРЕЧЕНСКОГО СЕЛЬСКОГО ПОСЕЛЕНИЯ"]
city = "с. Заречье"
issuer_genitive = "администрации Зареченского сельского поселения"

[[people]]
name = "Белов Андрей Викторович"
position = "глава Зареченского сельского поселения"

[signature]
position = ["Глава поселения"]
person = "Белов"
"#;

/// The table of the first appendix of every act and of the plan.
const TABLE: &str = r#"
[appendix.table]
columns = [
  { title = "№ п/п", width = 15, numbered = true },
  { title = "Мероприятие", width = 75 },
  { title = "Срок", width = 35, deadline = true, align = "center" },
  { title = "Ответственный", width = 45 },
]
header = [["№ п/п", "Мероприятие", "Срок", "Ответственный"]]

[[appendix.table.row]]
section = "1. Уборка территории"
[[appendix.table.row]]
cells = ["Уборка дворов", "до 15.04.2024", { text = ["Мельников О.С.", "Гусева И.П."], rows = 2 }]
[[appendix.table.row]]
cells = ["Вывоз мусора", "до 30.04.2024"]
"#;

/// An act of `kind`: header from the profile, points of every form, a
/// signature, «СОГЛАСОВАНО» and four appendices with every grif and block.
fn act(kind: &str, signature: bool, count: usize) -> String {
    let mut s = format!(
        r#"kind = "{kind}"
profile = "profiles/org.toml"

[organization]
# всё из профиля

[options]
grif_width = 80

[[people]]
name = "Гусева Ирина Павловна"
position = "начальник юридического отдела"

[act]
date = 2024-03-05
number = "45-р"
title = """
О проведении месячника
по благоустройству"""
preamble = """
В целях улучшения санитарного состояния территории.

Руководствуясь Уставом округа, администрация"""

[[point]]
text = "Провести месячник по благоустройству."
responsible = "И.И. Иванова"
deadline = "до 30.04.2024"

[[point]]
to = "Управлению ЖКХ"
group_deadline = "до 30.04.2024"
[[point.point]]
text = "Обеспечить вывоз мусора."

[[point]]
text = "Контроль за исполнением оставляю за собой."
votes = {{ for = 9, against = 0, abstained = 1 }}
"#
    );
    if signature {
        s.push_str(
            r#"
[[signature]]
position = ["Глава округа"]
person = "Белов"
"#,
        );
    } else {
        // The profile's signature signs; the head's position prints from
        // the profile's [[people]] in a «СОГЛАСОВАНО» block.
        s.push_str("\n[[agreed]]\nperson = \"Белов\"\n");
    }
    s.push_str(
        r#"
[[agreed]]
position = ["Начальник отдела ЖКХ"]
person = "Мельников О.С."
date = 2024-03-04

[[agreed]]
person = "Гусева"
"#,
    );
    let appendices = [
        format!(
            r#"
[[appendix]]
grif = "appendix"
number = 1
title = """
План мероприятий
по проведению месячника"""
orientation = "portrait"
text = "Мероприятия проводятся ежегодно."
{TABLE}
[[appendix.agreed]]
position = ["Председатель комиссии"]
person = "Воронина Г.П."
date = 2024-03-01
"#
        ),
        r#"
[[appendix]]
grif = "approved"
approved = "УТВЕРЖДЕН"
title = "Состав комиссии"

[[appendix.body]]
heading = "1. Общие положения"
[[appendix.body]]
text = "1.1. Комиссия создаётся на время месячника."
[[appendix.body]]
items = ["председатель;", "секретарь."]
numbered = true
[[appendix.body]]
table = { columns = [{ title = "Класс", width = 40 }, { title = "Время", width = 40 }], row = [{ cells = ["1–4", "9:40"] }] }
[[appendix.body]]
signature = { position = ["Глава округа"], person = "Белов А.В." }
"#
        .to_owned(),
        r#"
[[appendix]]
grif = "approve"
approver = { position = ["Глава округа"], person = "Белов А.В.", date = 2024-03-05 }
title = "Положение о месячнике"
"#
        .to_owned(),
        r#"
[[appendix]]
label = ["Приложение", "к распоряжению главы", "от 05.03.2024 № 45-р"]
title = "Схема уборки"
"#
        .to_owned(),
    ];
    for a in appendices.iter().take(count) {
        s.push_str(a);
    }
    s
}

fn plan() -> String {
    format!(
        r#"kind = "plan"
profile = "profiles/org.toml"

[basis]
kind = "постановление"
issuer = "администрации Заречного муниципального округа"
date = 2024-01-22
number = "38"

[[appendix]]
grif = "approved"
title = """
«Дорожная карта»
по развитию дополнительного образования"""
{TABLE}"#
    )
}

const PROTOCOL: &str = r#"kind = "protocol"

[organization]
header = ["АДМИНИСТРАЦИЯ МУНИЦИПАЛЬНОГО ОБРАЗОВАНИЯ", "«ЕЛЬНИНСКИЙ РАЙОН»"]

[options]
names = "initials_first"

[[people]]
name = "Климова Ольга Николаевна"
position = "муниципальный координатор МОЦ"

[[people]]
name = "Николаенкова Е.П."
gender = "ж"
position = "начальник отдела образования"

[[people]]
name = "Кулик А.В."
gender = "м"
position = "директор школы-интерната"

[[people]]
name = "Сорока И.П."
position = "директор лицея"
cases = { accusative = "Сороку И.П.", genitive = "Сороки И.П.", dative = "Сороке И.П.", instrumental = "Сорокой И.П.", prepositional = "Сороке И.П." }
position_cases = { accusative = "директора лицея", genitive = "директора лицея", dative = "директору лицея", instrumental = "директором лицея", prepositional = "директоре лицея" }

[meeting]
title = "рабочего совещания"
number = "4"
date = 2021-06-24
time = "14:30"
venue = "Администрация района"
city = "г. Ельня"
format = "в режиме ВКС"
chair = "Николаенкова"
secretary = "Климова"

[[present]]
name = "Климова"
role = "секретарь"
note = "по приглашению"
[[present]]
name = "Петров С.Н."
position = "директор МБОУ СШ № 1"
[[present]]
group = "Отдел образования"
members = ["Берстенева Е.Г.", "Болотина В.Е."]
[[present]]
group = "участники проекта «500+»"
counts = [{ count = 15, who = "директоров" }, { count = 15, who = "кураторов" }]
[[present]]
text = "представители родительской общественности"

[[absent]]
name = "Болотина В.Е."

[[invited]]
name = "Сидоров А.А."
note = "по приглашению"

[[agenda]]
title = "О результатах мониторинга"
speaker = "Климова"

[[agenda]]
title = "О подготовке к учебному году"
speaker = "Кулик"

[[heard]]
question = 1
speaker = "Климова"
role = "члена рабочей группы"
text = "о результатах проведения мониторинга."

[[heard]]
question = 2
speaker = "Кулик"
text = "о подготовке к учебному году."

[[heard]]
question = 2
speaker = "Сорока"
text = "о ремонте лицея."

[[spoke]]
question = 1
speaker = "Петров С.Н."
text = "Предложил продолжить мониторинг."

[[decision]]
question = 1
text = "Информацию принять к сведению."
votes = { for = 7, against = 0, abstained = 1 }

[[decision]]
question = 2
to = "Отделу образования"
group_deadline = "до 01.09.2021"
[[decision.point]]
text = "Актуализировать муниципальную программу."
deadline = "постоянно"
responsible = "Климова О.Н."

[[signature]]
position = "Председатель совещания"
person = "Николаенкова"
"#;

/// Every base document by name. `bare` is a распоряжение signed by its
/// profile, for the profile's keys; `single` one with a single appendix.
fn base(name: &str) -> String {
    match name {
        "protocol" => PROTOCOL.to_owned(),
        "resolution" | "rasporyazhenie" | "prikaz" | "reshenie" => act(name, true, 4),
        "bare" => act("rasporyazhenie", false, 4),
        "single" => act("rasporyazhenie", true, 1),
        "plan" => plan(),
        other => panic!("no base document «{other}»"),
    }
}

/// The kind of a base (what a kind's section needs a case on).
fn base_kind(name: &str) -> &str {
    match name {
        "bare" | "single" => "rasporyazhenie",
        other => other,
    }
}

const ACTS: &[&str] = &["resolution", "rasporyazhenie", "prikaz", "reshenie"];

// -------------------------------------------------------------------- cases

/// Which file a case edits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Target {
    Document,
    Profile,
}

/// One change of one key.
#[derive(Clone, Debug)]
struct Case {
    key: &'static str,
    base: &'static str,
    target: Target,
    /// Applied to both sides first: a setting the key needs to matter
    /// (`heard_label` prints only with `course = "together"`).
    prep: Vec<(&'static str, &'static str)>,
    from: &'static str,
    to: &'static str,
    /// Further replacements the change needs to stay valid (a row that
    /// gains a cell when a merge ends).
    more: Vec<(&'static str, &'static str)>,
}

impl Case {
    fn label(&self) -> String {
        let file = match self.target {
            Target::Document => "",
            Target::Profile => " (в профиле)",
        };
        format!("{} @ {}{file}", self.key, self.base)
    }
}

fn on(
    bases: &[&'static str],
    key: &'static str,
    from: &'static str,
    to: &'static str,
) -> Vec<Case> {
    bases
        .iter()
        .map(|b| Case {
            key,
            base: b,
            target: Target::Document,
            prep: Vec::new(),
            from,
            to,
            more: Vec::new(),
        })
        .collect()
}

fn one(base: &'static str, key: &'static str, from: &'static str, to: &'static str) -> Vec<Case> {
    on(&[base], key, from, to)
}

fn in_profile(key: &'static str, from: &'static str, to: &'static str) -> Vec<Case> {
    vec![Case {
        key,
        base: "bare",
        target: Target::Profile,
        prep: Vec::new(),
        from,
        to,
        more: Vec::new(),
    }]
}

fn and(mut cases: Vec<Case>, more: &[(&'static str, &'static str)]) -> Vec<Case> {
    for c in &mut cases {
        c.more.extend_from_slice(more);
    }
    cases
}

fn with(mut cases: Vec<Case>, prep_from: &'static str, prep_to: &'static str) -> Vec<Case> {
    for c in &mut cases {
        c.prep.push((prep_from, prep_to));
    }
    cases
}

/// Inserts a line after a table's header line: `[options]` → `[options]
/// date_line = "plain"`. The case's value goes from the default (or the
/// profile's) to the one written.
macro_rules! insert {
    ($bases:expr, $key:expr, $table:literal, $line:literal) => {
        on(
            $bases,
            $key,
            concat!($table, "\n"),
            concat!($table, "\n", $line, "\n"),
        )
    };
}

/// Keys documented but not printed by design, with what they do instead;
/// their cases check that effect and that the printed document does not
/// change.
const NOT_PRINTED: &[(&str, Effect, &str)] = &[
    (
        "kind @ protocol",
        Effect::Check,
        "the kind decides which sections a file may have: a protocol's [meeting] is refused in any other kind, an error",
    ),
    (
        "kind @ plan",
        Effect::Check,
        "the kind decides which sections a file may have: a plan's [basis] is refused in any other kind, an error",
    ),
    (
        "organization.name",
        Effect::Properties,
        "the author in the file's properties (docProps/core.xml), for search and archives",
    ),
    (
        "appendix.table.columns.deadline",
        Effect::Check,
        "the column's cells are read as deadlines and a wrong one is an error; they print as written",
    ),
    (
        "agreed.position @ plan",
        Effect::Check,
        "an approved document is signed and agreed on its page ([[appendix.body]] signature, [[appendix.agreed]]): top-level [[agreed]] is refused, an error",
    ),
    (
        "signature.position @ plan",
        Effect::Check,
        "as agreed.position @ plan: top-level [[signature]] is refused in a plan, an error",
    ),
    (
        "options.html",
        Effect::None,
        "adds the web page (and the folder's index.html) to what gostdoc build writes when it is given no --format: tests/publish.rs",
    ),
    (
        "options.pdfa",
        Effect::Archival,
        "the PDF becomes PDF/A-2u with a tagged structure: the same pages in an archival file",
    ),
    (
        "options.votes_required",
        Effect::Check,
        "check warns about decisions with no vote; the document prints the same",
    ),
    (
        "organization.issuer_genitive @ protocol",
        Effect::None,
        "names the issuer in the grifs of an act's appendices; a protocol has none, and a profile shared with acts keeps it",
    ),
    (
        "organization.header @ plan",
        Effect::None,
        "an approved document prints no header block (its grif names the act); a profile shared with acts keeps it",
    ),
    (
        "organization.emblem @ plan",
        Effect::None,
        "as organization.header @ plan: no header block, so no coat of arms",
    ),
    (
        "people.cases.genitive",
        Effect::None,
        "for a user's template: the built-in ones decline into the accusative only",
    ),
    (
        "people.cases.dative",
        Effect::None,
        "as people.cases.genitive",
    ),
    (
        "people.cases.instrumental",
        Effect::None,
        "as people.cases.genitive",
    ),
    (
        "people.cases.prepositional",
        Effect::None,
        "as people.cases.genitive",
    ),
    (
        "people.position_cases.genitive",
        Effect::None,
        "as people.cases.genitive",
    ),
    (
        "people.position_cases.dative",
        Effect::None,
        "as people.cases.genitive",
    ),
    (
        "people.position_cases.instrumental",
        Effect::None,
        "as people.cases.genitive",
    ),
    (
        "people.position_cases.prepositional",
        Effect::None,
        "as people.cases.genitive",
    ),
];

/// Cases of keys that are accepted and not printed: bugs, each expected
/// to fail until it is fixed (`key @ base`, as [`Case::label`] names it).
const KNOWN_UNPRINTED: &[&str] = &[];

/// What a key not printed does instead.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Effect {
    /// Changes the file's properties only.
    Properties,
    /// Changes what `gostdoc check` says.
    Check,
    /// Nothing the built-in templates show.
    None,
    /// The PDF is written as PDF/A (its text extracts as it reads, so
    /// the extracted pages may change too).
    Archival,
}

fn cases() -> Vec<Case> {
    let mut c: Vec<Case> = Vec::new();
    let all_acts_and_plan = &["resolution", "rasporyazhenie", "prikaz", "reshenie", "plan"];

    // --- every act: its own keys on a document of each kind
    c.extend(one(
        "resolution",
        "kind",
        r#"kind = "resolution""#,
        r#"kind = "prikaz""#,
    ));
    c.extend(one(
        "rasporyazhenie",
        "kind",
        r#"kind = "rasporyazhenie""#,
        r#"kind = "resolution""#,
    ));
    c.extend(one(
        "prikaz",
        "kind",
        r#"kind = "prikaz""#,
        r#"kind = "reshenie""#,
    ));
    c.extend(one(
        "reshenie",
        "kind",
        r#"kind = "reshenie""#,
        r#"kind = "rasporyazhenie""#,
    ));
    // The kind decides which sections a file may have: a plan's [basis]
    // is refused in any other kind (see NOT_PRINTED).
    c.extend(one(
        "plan",
        "kind",
        r#"kind = "plan""#,
        r#"kind = "rasporyazhenie""#,
    ));
    c.extend(on(
        ACTS,
        "profile",
        "profiles/org.toml",
        "profiles/alt.toml",
    ));
    // A plan prints nothing of its profile but the issuer of its grif.
    c.extend(with(
        one("plan", "profile", "profiles/org.toml", "profiles/alt.toml"),
        "issuer = \"администрации Заречного муниципального округа\"\n",
        "",
    ));
    c.extend(on(
        ACTS,
        "act.date",
        "[act]\ndate = 2024-03-05",
        "[act]\ndate = 2024-03-06",
    ));
    c.extend(on(
        ACTS,
        "act.number",
        r#"number = "45-р""#,
        r#"number = "46-р""#,
    ));
    c.extend(on(
        ACTS,
        "act.title",
        "по благоустройству\"\"\"",
        "по озеленению\"\"\"",
    ));
    c.extend(on(
        ACTS,
        "act.preamble",
        "Руководствуясь Уставом",
        "На основании Устава",
    ));
    c.extend(insert!(
        ACTS,
        "act.enacting",
        "[act]",
        r#"enacting = "обязывает:""#
    ));
    c.extend(insert!(
        ACTS,
        "act.kind",
        "[act]",
        r#"kind = "РАСПОРЯЖЕНИЕ ГЛАВЫ""#
    ));
    c.extend(insert!(
        ACTS,
        "act.city",
        "[act]",
        r#"city = "пгт Заречье""#
    ));
    c.extend(insert!(
        ACTS,
        "act.appendices_only",
        "[act]",
        "appendices_only = true"
    ));
    c.extend(on(
        ACTS,
        "point.text",
        "Провести месячник",
        "Организовать месячник",
    ));
    c.extend(on(
        ACTS,
        "point.responsible",
        r#"responsible = "И.И. Иванова""#,
        r#"responsible = ["И.И. Иванова", "П.П. Петров"]"#,
    ));
    c.extend(on(
        ACTS,
        "point.deadline",
        "\ndeadline = \"до 30.04.2024\"",
        "\ndeadline = \"постоянно\"",
    ));
    c.extend(on(
        ACTS,
        "point.to",
        r#"to = "Управлению ЖКХ""#,
        r#"to = "Отделу благоустройства""#,
    ));
    c.extend(on(
        ACTS,
        "point.group_deadline",
        r#"group_deadline = "до 30.04.2024""#,
        r#"group_deadline = "до 15.05.2024""#,
    ));
    c.extend(on(
        ACTS,
        "point.point.text",
        "Обеспечить вывоз мусора.",
        "Обеспечить вывоз веток.",
    ));
    c.extend(on(ACTS, "point.votes.for", "for = 9", "for = 8"));
    c.extend(on(
        ACTS,
        "point.votes.against",
        "against = 0, abstained = 1 }",
        "against = 1, abstained = 1 }",
    ));
    c.extend(on(
        ACTS,
        "point.votes.abstained",
        "abstained = 1 }",
        "abstained = 0 }",
    ));
    c.extend(on(
        ACTS,
        "signature.position",
        r#"position = ["Глава округа"]
person = "Белов""#,
        r#"position = ["Глава муниципального округа"]
person = "Белов""#,
    ));
    c.extend(on(
        ACTS,
        "signature.person",
        "\nperson = \"Белов\"\n\n[[agreed]]",
        "\nperson = \"Гусева\"\n\n[[agreed]]",
    ));
    c.extend(on(
        ACTS,
        "people.name",
        "Гусева Ирина Павловна",
        "Гусева Анна Павловна",
    ));
    c.extend(on(
        ACTS,
        "people.position",
        "начальник юридического отдела",
        "начальник правового отдела",
    ));
    c.extend(on(
        ACTS,
        "agreed.position",
        "Начальник отдела ЖКХ",
        "Начальник управления ЖКХ",
    ));
    c.extend(on(
        ACTS,
        "agreed.person",
        r#"person = "Мельников О.С.""#,
        r#"person = "Мельникова О.С.""#,
    ));
    c.extend(on(
        ACTS,
        "agreed.date",
        "date = 2024-03-04",
        "date = 2024-03-03",
    ));
    for key in [
        "organization.header",
        "organization.city",
        "organization.issuer_genitive",
        "organization.emblem",
        "organization.emblem_height",
        "organization.name",
        "organization.parent",
        "organization.address",
        "organization.phone",
        "organization.email",
    ] {
        let line = match key {
            "organization.header" => r#"header = ["СОВЕТ ДЕПУТАТОВ"]"#,
            "organization.city" => r#"city = "пгт Заречье""#,
            "organization.issuer_genitive" => r#"issuer_genitive = "главы округа""#,
            "organization.emblem" => r#"emblem = "profiles/gerb2.png""#,
            "organization.emblem_height" => "emblem_height = 25",
            "organization.parent" => r#"parent = "Дума Заречного муниципального округа""#,
            "organization.address" => r#"address = "ул. Ленина, д. 1, г. Заречный""#,
            "organization.phone" => r#"phone = "8 (34377) 7-10-00""#,
            "organization.email" => r#"email = "adm@zarechny.ru""#,
            _ => r#"name = "Совет депутатов""#,
        };
        for b in ACTS {
            c.push(Case {
                key,
                base: b,
                target: Target::Document,
                prep: Vec::new(),
                more: Vec::new(),
                from: "[organization]\n",
                to: Box::leak(format!("[organization]\n{line}\n").into_boxed_str()),
            });
        }
    }

    // --- options of acts
    c.extend(insert!(
        ACTS,
        "options.date_line",
        "[options]",
        r#"date_line = "plain""#
    ));
    // The place between the date and the number, on a split date line.
    c.extend(with(
        insert!(ACTS, "options.place", "[options]", r#"place = "between""#),
        "[options]\n",
        "[options]\ndate_line = \"split\"\n",
    ));
    c.extend(insert!(
        ACTS,
        "options.date_style",
        "[options]",
        r#"date_style = "quoted""#
    ));
    // «года» is a word of a date in words: the постановление's default.
    c.extend(insert!(
        &["resolution"],
        "options.year_word",
        "[options]",
        "year_word = true"
    ));
    c.extend(insert!(
        ACTS,
        "options.title_align",
        "[options]",
        r#"title_align = "left""#
    ));
    c.extend(insert!(
        &["resolution", "prikaz"],
        "options.enacting_form",
        "[options]",
        r#"enacting_form = "none""#
    ));
    // On by default for a formula at the end of the preamble, off for one
    // on its own line.
    c.extend(insert!(
        &["prikaz"],
        "options.spaced_enacting",
        "[options]",
        "spaced_enacting = true"
    ));
    c.extend(insert!(
        &["resolution", "reshenie"],
        "options.spaced_enacting",
        "[options]",
        "spaced_enacting = false"
    ));
    c.extend(insert!(
        &["protocol"],
        "options.html",
        "[options]",
        "html = true"
    ));
    c.extend(insert!(
        &["resolution"],
        "options.pdfa",
        "[options]",
        "pdfa = true"
    ));
    c.extend(insert!(
        ACTS,
        "options.control_form",
        "[options]",
        r#"control_form = "line""#
    ));
    c.extend(on(
        ACTS,
        "options.grif_width",
        "grif_width = 80",
        "grif_width = 90",
    ));
    c.extend(insert!(
        &["single"],
        "options.number_single_appendix",
        "[options]",
        "number_single_appendix = false"
    ));
    c.extend(insert!(
        &["rasporyazhenie"],
        "options.page_numbers",
        "[options]",
        "page_numbers = false"
    ));
    c.extend(insert!(
        &["rasporyazhenie"],
        "options.typography",
        "[options]",
        "typography = false"
    ));

    // --- appendices: grifs, bodies
    c.extend(on(
        ACTS,
        "appendix.title",
        "по проведению месячника\"\"\"",
        "по проведению субботника\"\"\"",
    ));
    c.extend(on(
        &["plan"],
        "appendix.title",
        "по развитию дополнительного образования\"\"\"",
        "по развитию технического творчества\"\"\"",
    ));
    c.extend(on(
        ACTS,
        "appendix.grif",
        r#"grif = "appendix""#,
        r#"grif = "approved""#,
    ));
    c.extend(on(
        &["plan"],
        "appendix.grif",
        r#"grif = "approved""#,
        r#"grif = "none""#,
    ));
    c.extend(on(ACTS, "appendix.number", "number = 1\n", "number = 5\n"));
    c.extend(on(
        ACTS,
        "appendix.orientation",
        r#"orientation = "portrait""#,
        r#"orientation = "landscape""#,
    ));
    c.extend(on(
        ACTS,
        "appendix.text",
        "Мероприятия проводятся ежегодно.",
        "Мероприятия проводятся весной.",
    ));
    c.extend(on(
        ACTS,
        "appendix.approved",
        r#"approved = "УТВЕРЖДЕН""#,
        r#"approved = "УТВЕРЖДЁН""#,
    ));
    c.extend(on(
        ACTS,
        "appendix.approver.position",
        r#"approver = { position = ["Глава округа"]"#,
        r#"approver = { position = ["Глава муниципального округа"]"#,
    ));
    c.extend(on(
        ACTS,
        "appendix.approver.person",
        r#"person = "Белов А.В.", date"#,
        r#"person = "Гусева И.П.", date"#,
    ));
    c.extend(on(
        ACTS,
        "appendix.approver.date",
        "date = 2024-03-05 }",
        "date = 2024-03-07 }",
    ));
    c.extend(on(
        ACTS,
        "appendix.label",
        r#""к распоряжению главы""#,
        r#""к распоряжению главы округа""#,
    ));
    c.extend(on(
        ACTS,
        "appendix.agreed.position",
        "Председатель комиссии",
        "Секретарь комиссии",
    ));
    c.extend(on(
        ACTS,
        "appendix.agreed.person",
        r#"person = "Воронина Г.П.""#,
        r#"person = "Воронин Г.П.""#,
    ));
    c.extend(on(
        ACTS,
        "appendix.agreed.date",
        "date = 2024-03-01",
        "date = 2024-03-02",
    ));
    c.extend(on(
        ACTS,
        "appendix.body.heading",
        "1. Общие положения",
        "1. Общие вопросы",
    ));
    c.extend(on(
        ACTS,
        "appendix.body.text",
        "Комиссия создаётся",
        "Комиссия образуется",
    ));
    c.extend(on(
        ACTS,
        "appendix.body.items",
        r#""секретарь.""#,
        r#""члены комиссии.""#,
    ));
    c.extend(on(
        ACTS,
        "appendix.body.numbered",
        "numbered = true\n[[appendix.body]]",
        "numbered = false\n[[appendix.body]]",
    ));
    c.extend(on(
        ACTS,
        "appendix.body.table.columns.title",
        r#"title = "Класс""#,
        r#"title = "Классы""#,
    ));
    c.extend(on(
        ACTS,
        "appendix.body.table.columns.width",
        r#"title = "Время", width = 40"#,
        r#"title = "Время", width = 60"#,
    ));
    c.extend(on(
        ACTS,
        "appendix.body.table.row.cells",
        r#""9:40""#,
        r#""10:40""#,
    ));
    c.extend(on(
        ACTS,
        "appendix.body.signature.position",
        r#"signature = { position = ["Глава округа"]"#,
        r#"signature = { position = ["Глава муниципального округа"]"#,
    ));
    c.extend(on(
        ACTS,
        "appendix.body.signature.person",
        r#"person = "Белов А.В." }"#,
        r#"person = "Гусева И.П." }"#,
    ));

    // --- tables
    // Titles print when the table has no `header` rows of its own.
    c.extend(with(
        on(
            all_acts_and_plan,
            "appendix.table.columns.title",
            r#"title = "Мероприятие""#,
            r#"title = "Мероприятия""#,
        ),
        "header = [[\"№ п/п\", \"Мероприятие\", \"Срок\", \"Ответственный\"]]\n",
        "",
    ));
    c.extend(on(
        all_acts_and_plan,
        "appendix.table.columns.width",
        r#"title = "Мероприятие", width = 75"#,
        r#"title = "Мероприятие", width = 70"#,
    ));
    // Without automatic numbers the rows write the first cell themselves.
    c.extend(and(
        on(
            all_acts_and_plan,
            "appendix.table.columns.numbered",
            "width = 15, numbered = true",
            "width = 15, numbered = false",
        ),
        &[
            (
                r#"cells = ["Уборка дворов","#,
                r#"cells = ["1", "Уборка дворов","#,
            ),
            (
                r#"cells = ["Вывоз мусора","#,
                r#"cells = ["2", "Вывоз мусора","#,
            ),
        ],
    ));
    c.extend(on(
        all_acts_and_plan,
        "appendix.table.columns.align",
        r#"deadline = true, align = "center""#,
        r#"deadline = true, align = "left""#,
    ));
    // A date that does not exist is an error in a deadline column only
    // (any other words are kept as written).
    c.extend(with(
        with(
            on(
                all_acts_and_plan,
                "appendix.table.columns.deadline",
                "width = 35, deadline = false",
                "width = 35, deadline = true",
            ),
            "width = 35, deadline = true",
            "width = 35, deadline = false",
        ),
        r#""Вывоз мусора", "до 30.04.2024""#,
        r#""Вывоз мусора", "до 31.04.2024""#,
    ));
    c.extend(on(
        all_acts_and_plan,
        "appendix.table.header",
        r#"header = [["№ п/п","#,
        r#"header = [["№","#,
    ));
    c.extend(on(
        all_acts_and_plan,
        "appendix.table.row.section",
        "1. Уборка территории",
        "1. Уборка улиц",
    ));
    c.extend(on(
        all_acts_and_plan,
        "appendix.table.row.cells",
        "Вывоз мусора",
        "Вывоз веток",
    ));
    c.extend(on(
        all_acts_and_plan,
        "appendix.table.row.cells.text",
        r#"{ text = ["Мельников О.С.", "Гусева И.П."]"#,
        r#"{ text = ["Мельников О.С."]"#,
    ));
    // The row below gets its own cell when the merge ends.
    c.extend(and(
        on(
            all_acts_and_plan,
            "appendix.table.row.cells.rows",
            r#""Гусева И.П."], rows = 2 }]"#,
            r#""Гусева И.П."], rows = 1 }]"#,
        ),
        &[(
            r#"cells = ["Вывоз мусора", "до 30.04.2024"]"#,
            r#"cells = ["Вывоз мусора", "до 30.04.2024", "Гусева И.П."]"#,
        )],
    ));

    // --- the approved document's act
    c.extend(on(
        &["plan"],
        "basis.kind",
        r#"kind = "постановление""#,
        r#"kind = "распоряжение""#,
    ));
    c.extend(on(
        &["plan"],
        "basis.issuer",
        r#"issuer = "администрации Заречного"#,
        r#"issuer = "главы Заречного"#,
    ));
    c.extend(on(
        &["plan"],
        "basis.date",
        "date = 2024-01-22",
        "date = 2024-01-23",
    ));
    c.extend(on(
        &["plan"],
        "basis.number",
        r#"number = "38""#,
        r#"number = "39""#,
    ));

    // --- the profile
    c.extend(in_profile(
        "organization.name",
        r#"name = "Администрация Заречного"#,
        r#"name = "Совет Заречного"#,
    ));
    c.extend(in_profile(
        "organization.header",
        r#""АДМИНИСТРАЦИЯ", "#,
        r#""СОВЕТ ДЕПУТАТОВ", "#,
    ));
    c.extend(in_profile(
        "organization.city",
        r#"city = "г. Заречный""#,
        r#"city = "пгт Заречье""#,
    ));
    c.extend(in_profile(
        "organization.issuer_genitive",
        r#"issuer_genitive = "администрации"#,
        r#"issuer_genitive = "главы"#,
    ));
    c.extend(in_profile(
        "organization.emblem",
        r#"emblem = "gerb.png""#,
        r#"emblem = "gerb2.png""#,
    ));
    c.extend(in_profile(
        "organization.emblem_height",
        "emblem_height = 17",
        "emblem_height = 20",
    ));
    c.extend(in_profile(
        "options.date_line",
        r#"date_line = "split""#,
        r#"date_line = "from""#,
    ));
    c.extend(in_profile(
        "people.name",
        "Белов Андрей Викторович",
        "Белов Сергей Викторович",
    ));
    c.extend(in_profile(
        "people.position",
        "position = \"глава Заречного",
        "position = \"глава администрации Заречного",
    ));
    c.extend(in_profile(
        "signature.position",
        r#"["Глава Заречного", "#,
        r#"["Глава администрации Заречного", "#,
    ));
    c.extend(in_profile(
        "signature.person",
        "\nperson = \"Белов\"",
        "\nperson = \"Гусева И.П.\"",
    ));

    // --- the protocol
    let p = "protocol";
    // Another kind refuses the protocol's sections (see NOT_PRINTED).
    c.extend(one(p, "kind", r#"kind = "protocol""#, r#"kind = "prikaz""#));
    c.extend(with(
        one(p, "profile", "profiles/org.toml", "profiles/alt.toml"),
        "kind = \"protocol\"\n\n[organization]\nheader = [\"АДМИНИСТРАЦИЯ МУНИЦИПАЛЬНОГО ОБРАЗОВАНИЯ\", \"«ЕЛЬНИНСКИЙ РАЙОН»\"]\n",
        "kind = \"protocol\"\nprofile = \"profiles/org.toml\"\n",
    ));
    c.extend(on(
        &[p],
        "options.names",
        r#"names = "initials_first""#,
        r#"names = "surname_first""#,
    ));
    c.extend(insert!(
        &[p],
        "options.form",
        "[options]",
        r#"form = "short""#
    ));
    c.extend(insert!(
        &[p],
        "options.course",
        "[options]",
        r#"course = "together""#
    ));
    c.extend(with(
        insert!(
            &[p],
            "options.heard_label",
            "[options]",
            r#"heard_label = "each""#
        ),
        "[options]\n",
        "[options]\ncourse = \"together\"\n",
    ));
    c.extend(insert!(
        &[p],
        "options.present_list",
        "[options]",
        r#"present_list = "numbered""#
    ));
    // Unanimous only prints differently when nobody was against or abstained.
    c.extend(with(
        insert!(&[p], "options.votes", "[options]", r#"votes = "unanimous""#),
        "against = 0, abstained = 1 }",
        "against = 0, abstained = 0 }",
    ));
    c.extend(insert!(
        &[p],
        "options.votes_required",
        "[options]",
        r#"votes_required = true"#
    ));
    // A vote on the first agenda item, then each of its counts changed.
    for (key, to) in [
        ("agenda.votes.for", "votes = { for = 6, against = 1 }"),
        ("agenda.votes.against", "votes = { for = 5, against = 2 }"),
    ] {
        c.extend(with(
            on(&[p], key, "votes = { for = 5, against = 1 }", to),
            "speaker = \"Климова\"\n\n[[agenda]]",
            "speaker = \"Климова\"\nvotes = { for = 5, against = 1 }\n\n[[agenda]]",
        ));
    }
    c.extend(insert!(
        &[p],
        "options.agenda_list",
        "[options]",
        r#"agenda_list = "lines""#
    ));
    c.extend(insert!(
        &[p],
        "options.date_style",
        "[options]",
        r#"date_style = "words""#
    ));
    c.extend(insert!(
        &[p],
        "options.typography",
        "[options]",
        "typography = false"
    ));
    c.extend(insert!(
        &[p],
        "options.page_numbers",
        "[options]",
        "page_numbers = false"
    ));
    c.extend(on(
        &[p],
        "people.name",
        "Климова Ольга Николаевна",
        "Климова Ольга Петровна",
    ));
    c.extend(on(
        &[p],
        "people.position",
        "муниципальный координатор МОЦ",
        "региональный координатор МОЦ",
    ));
    c.extend(on(
        &[p],
        "people.gender",
        "gender = \"м\"",
        "gender = \"ж\"",
    ));
    c.extend(on(
        &[p],
        "people.cases.accusative",
        r#"accusative = "Сороку И.П.""#,
        r#"accusative = "Сорока И.П.""#,
    ));
    c.extend(on(
        &[p],
        "people.cases.genitive",
        r#"genitive = "Сороки И.П.""#,
        r#"genitive = "Сорока И.П.""#,
    ));
    c.extend(on(
        &[p],
        "people.cases.dative",
        r#"dative = "Сороке И.П.""#,
        r#"dative = "Сорока И.П.""#,
    ));
    c.extend(on(
        &[p],
        "people.cases.instrumental",
        r#"instrumental = "Сорокой И.П.""#,
        r#"instrumental = "Сорока И.П.""#,
    ));
    c.extend(on(
        &[p],
        "people.cases.prepositional",
        r#"prepositional = "Сороке И.П." }"#,
        r#"prepositional = "Сорока И.П." }"#,
    ));
    c.extend(on(
        &[p],
        "people.position_cases.accusative",
        r#"accusative = "директора лицея""#,
        r#"accusative = "директора лицея № 2""#,
    ));
    c.extend(on(
        &[p],
        "people.position_cases.genitive",
        r#"genitive = "директора лицея""#,
        r#"genitive = "директора лицея № 2""#,
    ));
    c.extend(on(
        &[p],
        "people.position_cases.dative",
        r#"dative = "директору лицея""#,
        r#"dative = "директору лицея № 2""#,
    ));
    c.extend(on(
        &[p],
        "people.position_cases.instrumental",
        r#"instrumental = "директором лицея""#,
        r#"instrumental = "директором лицея № 2""#,
    ));
    c.extend(on(
        &[p],
        "people.position_cases.prepositional",
        r#"prepositional = "директоре лицея""#,
        r#"prepositional = "директоре лицея № 2""#,
    ));
    c.extend(on(
        &[p],
        "meeting.title",
        r#"title = "рабочего совещания""#,
        r#"title = "заседания рабочей группы""#,
    ));
    c.extend(on(
        &[p],
        "meeting.number",
        r#"number = "4""#,
        r#"number = "5""#,
    ));
    c.extend(on(
        &[p],
        "meeting.date",
        "date = 2021-06-24",
        "date = 2021-06-25",
    ));
    c.extend(on(
        &[p],
        "meeting.time",
        r#"time = "14:30""#,
        r#"time = "15:00""#,
    ));
    c.extend(on(
        &[p],
        "meeting.venue",
        "Администрация района",
        "Отдел образования",
    ));
    c.extend(on(
        &[p],
        "meeting.city",
        r#"city = "г. Ельня""#,
        r#"city = "г. Смоленск""#,
    ));
    c.extend(on(&[p], "meeting.format", "в режиме ВКС", "очно"));
    for (key, line) in [
        ("meeting.present_count", "present_count = 46\n"),
        ("meeting.absent_count", "absent_count = 13\n"),
    ] {
        c.extend(on(
            &[p],
            key,
            "format = \"в режиме ВКС\"\n",
            Box::leak(format!("format = \"в режиме ВКС\"\n{line}").into_boxed_str()),
        ));
    }
    // Printed only where no header lines stand above ПРОТОКОЛ.
    c.extend(with(
        insert!(
            &[p],
            "options.organization_line",
            "[options]",
            r#"organization_line = false"#
        ),
        "header = [\"АДМИНИСТРАЦИЯ МУНИЦИПАЛЬНОГО ОБРАЗОВАНИЯ\", \"«ЕЛЬНИНСКИЙ РАЙОН»\"]\n",
        "name = \"Администрация района\"\n",
    ));
    c.extend(insert!(
        &[p],
        "options.keywords",
        "[options]",
        r#"keywords = "sentence""#
    ));
    // The base lists Климова before Петров: reversed, the order shows.
    c.extend(with(
        insert!(
            &[p],
            "options.present_order",
            "[options]",
            r#"present_order = "alphabetical""#
        ),
        "[[present]]\nname = \"Климова\"",
        "[[present]]\nname = \"Сорока\"\n\n[[present]]\nname = \"Климова\"",
    ));
    c.extend(insert!(
        &[p],
        "options.present_threshold",
        "[options]",
        r#"present_threshold = 2"#
    ));
    c.extend(on(
        &[p],
        "meeting.chair",
        r#"chair = "Николаенкова""#,
        r#"chair = "Кулик""#,
    ));
    c.extend(on(
        &[p],
        "meeting.secretary",
        r#"secretary = "Климова""#,
        r#"secretary = "Кулик""#,
    ));
    c.extend(on(
        &[p],
        "present.name",
        "[[present]]\nname = \"Климова\"",
        "[[present]]\nname = \"Кулик\"",
    ));
    c.extend(on(
        &[p],
        "present.role",
        r#"role = "секретарь""#,
        r#"role = "секретарь совещания""#,
    ));
    c.extend(on(
        &[p],
        "present.note",
        "note = \"по приглашению\"\n[[present]]",
        "note = \"по поручению\"\n[[present]]",
    ));
    c.extend(on(
        &[p],
        "present.position",
        "директор МБОУ СШ № 1",
        "директор МБОУ СШ № 2",
    ));
    c.extend(on(
        &[p],
        "present.group",
        r#"group = "Отдел образования""#,
        r#"group = "Отдел культуры""#,
    ));
    c.extend(on(
        &[p],
        "present.members",
        r#""Болотина В.Е."]"#,
        r#""Болотова В.Е."]"#,
    ));
    c.extend(on(
        &[p],
        "present.counts.count",
        "count = 15, who = \"директоров\"",
        "count = 14, who = \"директоров\"",
    ));
    c.extend(on(
        &[p],
        "present.counts.who",
        r#"who = "кураторов""#,
        r#"who = "наставников""#,
    ));
    c.extend(on(
        &[p],
        "present.text",
        "представители родительской",
        "представители педагогической",
    ));
    c.extend(on(
        &[p],
        "absent.name",
        "[[absent]]\nname = \"Болотина В.Е.\"",
        "[[absent]]\nname = \"Берстенева Е.Г.\"",
    ));
    c.extend(on(
        &[p],
        "invited.name",
        r#"name = "Сидоров А.А.""#,
        r#"name = "Сидорова А.А.""#,
    ));
    c.extend(on(
        &[p],
        "invited.note",
        "note = \"по приглашению\"\n\n[[agenda]]",
        "note = \"по вызову\"\n\n[[agenda]]",
    ));
    c.extend(on(
        &[p],
        "agenda.title",
        "О результатах мониторинга",
        "Об итогах мониторинга",
    ));
    c.extend(on(
        &[p],
        "agenda.speaker",
        "speaker = \"Климова\"\n\n[[agenda]]",
        "speaker = \"Сорока\"\n\n[[agenda]]",
    ));
    c.extend(on(
        &[p],
        "heard.question",
        "question = 2\nspeaker = \"Сорока\"",
        "question = 1\nspeaker = \"Сорока\"",
    ));
    c.extend(on(
        &[p],
        "heard.speaker",
        "speaker = \"Климова\"\nrole",
        "speaker = \"Кулик\"\nrole",
    ));
    c.extend(on(
        &[p],
        "heard.role",
        r#"role = "члена рабочей группы""#,
        r#"role = "члена комиссии""#,
    ));
    c.extend(on(
        &[p],
        "heard.text",
        "о ремонте лицея.",
        "о ремонте спортзала.",
    ));
    c.extend(on(
        &[p],
        "spoke.question",
        "question = 1\nspeaker = \"Петров С.Н.\"",
        "question = 2\nspeaker = \"Петров С.Н.\"",
    ));
    c.extend(on(
        &[p],
        "spoke.speaker",
        r#"speaker = "Петров С.Н.""#,
        r#"speaker = "Петрова С.Н.""#,
    ));
    c.extend(on(
        &[p],
        "spoke.text",
        "Предложил продолжить",
        "Предложил завершить",
    ));
    c.extend(on(
        &[p],
        "decision.question",
        "question = 1\ntext = \"Информацию",
        "question = 2\ntext = \"Информацию",
    ));
    c.extend(on(
        &[p],
        "decision.text",
        "Информацию принять к сведению.",
        "Информацию утвердить.",
    ));
    c.extend(on(&[p], "decision.votes.for", "for = 7", "for = 6"));
    c.extend(on(
        &[p],
        "decision.votes.against",
        "against = 0",
        "against = 2",
    ));
    c.extend(on(
        &[p],
        "decision.votes.abstained",
        "abstained = 1",
        "abstained = 3",
    ));
    c.extend(on(
        &[p],
        "decision.to",
        "Отделу образования\"\ngroup",
        "Отделу культуры\"\ngroup",
    ));
    c.extend(on(
        &[p],
        "decision.group_deadline",
        r#"group_deadline = "до 01.09.2021""#,
        r#"group_deadline = "до 01.10.2021""#,
    ));
    c.extend(on(
        &[p],
        "decision.point.text",
        "Актуализировать",
        "Разработать",
    ));
    c.extend(on(
        &[p],
        "decision.point.deadline",
        r#"deadline = "постоянно""#,
        r#"deadline = "ежегодно""#,
    ));
    c.extend(on(
        &[p],
        "decision.point.responsible",
        r#"responsible = "Климова О.Н.""#,
        r#"responsible = "Кулик А.В.""#,
    ));
    c.extend(on(
        &[p],
        "signature.position",
        "Председатель совещания",
        "Председательствующий",
    ));
    c.extend(on(
        &[p],
        "signature.person",
        "person = \"Николаенкова\"",
        "person = \"Кулик\"",
    ));
    c.extend(on(
        &[p],
        "organization.header",
        "«ЕЛЬНИНСКИЙ РАЙОН»",
        "«СМОЛЕНСКИЙ РАЙОН»",
    ));
    for (key, line) in [
        ("labels.kind", r#"kind = "ПРОТОКОЛ ЗАСЕДАНИЯ""#),
        ("labels.chair", r#"chair = "Председательствовал""#),
        ("labels.secretary", r#"secretary = "Секретарь заседания""#),
        ("labels.present", r#"present = "Принимали участие""#),
        ("labels.absent", r#"absent = "Не присутствовали""#),
        ("labels.invited", r#"invited = "Приглашённые""#),
        ("labels.agenda", r#"agenda = "Повестка совещания""#),
        ("labels.heard", r#"heard = "ЗАСЛУШАЛИ""#),
        ("labels.spoke", r#"spoke = "ВЫСТУПИЛ""#),
        ("labels.decided", r#"decided = "ПОСТАНОВИЛИ""#),
        ("labels.voted", r#"voted = "Голосовали""#),
        ("labels.deadline", r#"deadline = "Срок исполнения""#),
        ("labels.time", r#"time = "Время""#),
        ("labels.venue", r#"venue = "Место""#),
        ("labels.format", r#"format = "Форма""#),
        ("labels.date", r#"date = "Дата проведения""#),
    ] {
        c.push(Case {
            key,
            base: p,
            target: Target::Document,
            prep: Vec::new(),
            more: Vec::new(),
            from: "[options]\n",
            to: Box::leak(format!("[labels]\n{line}\n\n[options]\n").into_boxed_str()),
        });
    }
    // --- the requisites of ГОСТ Р 7.0.97-2025: QR code, electronic signature
    c.extend(with(
        on(
            &[p],
            "meeting.qr",
            r#"number = "4""#,
            r#"number = "4"
qr = "https://elnya.example.ru/protocols/4""#,
        ),
        "[options]\n",
        "[options]\nedition = 2025\n",
    ));
    c.extend(with(
        on(
            ACTS,
            "act.qr",
            "number = \"45-р\"\n",
            "number = \"45-р\"\nqr = true\n",
        ),
        "[options]\n",
        "[options]\nedition = 2025\n",
    ));
    // The grif box is 8 cm in the 2025 edition, 7.5 cm in 2016.
    c.extend(with(
        insert!(
            &["single"],
            "options.edition",
            "[options]",
            "edition = 2025"
        ),
        "grif_width = 80\n",
        "",
    ));
    for (key, from, to) in [
        (
            "signature.electronic.certificate",
            "01DA7C3B2E5F6071",
            "01DA7C3B2E5F6072",
        ),
        (
            "signature.electronic.owner",
            "owner = \"Белов Андрей Викторович\"",
            "owner = \"Белов А.В.\"",
        ),
        (
            "signature.electronic.valid_from",
            "valid_from = 2024-01-15",
            "valid_from = 2024-01-16",
        ),
        (
            "signature.electronic.valid_to",
            "valid_to = 2025-04-15",
            "valid_to = 2025-04-16",
        ),
    ] {
        c.extend(with(
            on(ACTS, key, from, to),
            "\nperson = \"Белов\"\n\n[[agreed]]",
            "\nperson = \"Белов\"\nelectronic = { certificate = \"01DA7C3B2E5F6071\", owner = \"Белов Андрей Викторович\", valid_from = 2024-01-15, valid_to = 2025-04-15 }\n\n[[agreed]]",
        ));
    }
    c.extend(probes());
    c
}

/// Keys written in a kind that accepts them but has no place for them:
/// each is a bug (printed nowhere, and `check` says nothing), listed in
/// [`KNOWN_UNPRINTED`]. Fixed by printing the key, or by refusing it or
/// warning about it in `check` (then it moves to [`NOT_PRINTED`] as
/// [`Effect::Check`]).
fn probes() -> Vec<Case> {
    let mut c = Vec::new();
    c.extend(on(
        &["rasporyazhenie"],
        "labels.kind",
        "[act]\n",
        "[labels]\nkind = \"РАСПОРЯЖЕНИЕ ГЛАВЫ\"\n\n[act]\n",
    ));
    c.extend(on(
        &["rasporyazhenie"],
        "labels.deadline",
        "[act]\n",
        "[labels]\ndeadline = \"Срок исполнения\"\n\n[act]\n",
    ));
    c.extend(on(
        &["plan"],
        "agreed.position",
        "[[appendix]]\n",
        "[[agreed]]\nposition = [\"Начальник отдела\"]\nperson = \"Белов\"\n\n[[appendix]]\n",
    ));
    c.extend(on(
        &["plan"],
        "signature.position",
        "[[appendix]]\n",
        "[[signature]]\nposition = [\"Глава\"]\nperson = \"Белов\"\n\n[[appendix]]\n",
    ));
    // Printed when the meeting names no city of its own.
    c.extend(with(
        on(
            &["protocol"],
            "organization.city",
            "[organization]\n",
            "[organization]\ncity = \"г. Смоленск\"\n",
        ),
        "city = \"г. Ельня\"\n",
        "",
    ));
    c.extend(on(
        &["protocol"],
        "organization.issuer_genitive",
        "[organization]\n",
        "[organization]\nissuer_genitive = \"главы района\"\n",
    ));
    c.extend(on(
        &["protocol"],
        "organization.emblem",
        "[organization]\n",
        "[organization]\nemblem = \"profiles/gerb.png\"\n",
    ));
    c.extend(on(
        &["plan"],
        "organization.header",
        "[basis]\n",
        "[organization]\nheader = [\"СОВЕТ\"]\n\n[basis]\n",
    ));
    c.extend(on(
        &["plan"],
        "organization.emblem",
        "[basis]\n",
        "[organization]\nemblem = \"profiles/gerb2.png\"\n\n[basis]\n",
    ));
    c
}

// ------------------------------------------------------------------ running

/// What a user gets from a document: the printed parts of the DOCX, its
/// properties, the PDF, and what `check` says.
#[derive(PartialEq, Eq, Debug)]
struct Outcome {
    docx: BTreeMap<String, Vec<u8>>,
    properties: BTreeMap<String, Vec<u8>>,
    pdf: Vec<u8>,
    /// The PDF claims PDF/A.
    pdfa: bool,
    check: String,
    /// The build's error, if it failed.
    error: Option<String>,
}

fn docx_parts(docx: &[u8]) -> BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.insert(f.name().to_owned(), bytes);
    }
    out
}

/// What a PDF shows: each page's size and drawing, and every stream it
/// draws with (fonts with their glyph maps, pictures); not its properties
/// (the Info dictionary and XMP metadata: author, title), which
/// `organization.name` and the act's title fill.
fn pdf_pages(pdf: &[u8]) -> Vec<u8> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut out = Vec::new();
    for (_, page) in doc.get_pages() {
        let size = doc
            .get_object(page)
            .and_then(|o| o.as_dict())
            .and_then(|d| d.get(b"MediaBox"))
            .map(|m| format!("{m:?}"))
            .unwrap_or_default();
        out.extend_from_slice(size.as_bytes());
        out.extend(doc.get_page_content(page));
    }
    for object in doc.objects.values() {
        if let lopdf::Object::Stream(stream) = object {
            // Object and cross-reference streams hold the Info dictionary
            // among other objects, which are read one by one anyway.
            let container = stream
                .dict
                .get(b"Type")
                .and_then(|s| s.as_name())
                .is_ok_and(|n| [&b"Metadata"[..], b"ObjStm", b"XRef"].contains(&n));
            if !container {
                out.extend_from_slice(&stream.content);
            }
        }
    }
    out
}

/// Writes the case's files into `dir` and renders them.
fn outcome(dir: &Path, document: &str, profile: &str) -> Outcome {
    write_temp(dir, "profiles/org.toml", profile.as_bytes());
    write_temp(dir, "profiles/alt.toml", ALT_PROFILE.as_bytes());
    for (name, from) in [
        ("gerb.png", "data/profiles/zarechny_gerb.png"),
        ("gerb2.png", "tests/fixtures/backend_layout/emblem.png"),
    ] {
        let to = dir.join("profiles").join(name);
        if !to.exists() {
            std::fs::copy(root().join(from), to).unwrap();
        }
    }
    let input = write_temp(dir, "doc.toml", document.as_bytes());
    let here = dir.to_string_lossy().into_owned();
    let check = match gostdoc::model::load(&input) {
        Ok(m) => m
            .warnings
            .iter()
            .chain(&m.layout_warnings)
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(d) => d.to_string(),
    }
    .replace(&here, "");
    match build::render_formats(
        &input,
        &templates(),
        &[Format::Docx, Format::Pdf],
        &PdfOptions::default(),
    ) {
        Ok(r) => {
            let mut files = r.files.into_iter();
            let docx = files.next().unwrap().1;
            let pdf_bytes = files.next().unwrap().1;
            let pdfa = pdf_bytes.windows(11).any(|w| w == b"pdfaid:part");
            let pdf = pdf_pages(&pdf_bytes);
            let (properties, docx) = docx_parts(&docx)
                .into_iter()
                .partition(|(name, _)| name.starts_with("docProps/"));
            Outcome {
                docx,
                properties,
                pdf,
                pdfa,
                check,
                error: None,
            }
        }
        Err(d) => Outcome {
            docx: BTreeMap::new(),
            properties: BTreeMap::new(),
            pdf: Vec::new(),
            pdfa: false,
            check,
            error: Some(d.to_string().replace(&here, "")),
        },
    }
}

/// `text` with `from` replaced by `to`, `from` standing exactly once.
fn replace_once(text: &str, from: &str, to: &str, what: &str) -> Result<String, String> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        n => Err(format!(
            "{what}: «{from}» стоит в основе {n} раз(а), а нужно ровно 1"
        )),
    }
}

/// Runs one case: `Ok(what changed)` or `Err(why it fails)`.
fn run(
    case: &Case,
    base_outcomes: &BTreeMap<String, Outcome>,
    dir: &Path,
) -> Result<String, String> {
    let label = case.label();
    if case.from == case.to {
        return Err(format!("{label}: замена совпадает с исходным текстом"));
    }
    let mut document = base(case.base);
    let mut profile = PROFILE.to_owned();
    for (f, t) in &case.prep {
        document = replace_once(&document, f, t, &label)?;
    }
    // A prepared base is its own base.
    let prepared;
    let before = if case.prep.is_empty() {
        &base_outcomes[case.base]
    } else {
        prepared = outcome(&dir.join("before"), &document, &profile);
        &prepared
    };
    if let Some(e) = &before.error {
        return Err(format!("{label}: основа не собирается:\n{e}"));
    }
    match case.target {
        Target::Document => document = replace_once(&document, case.from, case.to, &label)?,
        Target::Profile => profile = replace_once(&profile, case.from, case.to, &label)?,
    }
    for (f, t) in &case.more {
        document = replace_once(&document, f, t, &label)?;
    }
    let after = outcome(&dir.join("after"), &document, &profile);
    let effect = NOT_PRINTED
        .iter()
        .find(|(k, _, _)| *k == case.key || *k == label)
        .map(|(_, e, _)| *e);
    let printed_docx = before.docx != after.docx;
    let printed_pdf = before.pdf != after.pdf;
    match effect {
        Some(Effect::Check) if after.error.is_some() => Ok("проверка: ошибка".into()),
        _ if after.error.is_some() => Err(format!(
            "{label}: после замены документ не собирается:\n{}",
            after.error.as_deref().unwrap_or_default()
        )),
        None if printed_docx && printed_pdf => Ok("DOCX и PDF".into()),
        None => Err(format!(
            "{label}: значение изменено, а {} не изменился (ключ принят, но не печатается)",
            match (printed_docx, printed_pdf) {
                (false, false) => "ни DOCX, ни PDF",
                (true, false) => "PDF",
                _ => "DOCX",
            }
        )),
        Some(Effect::Archival) if !before.pdfa && after.pdfa && !printed_docx => Ok("PDF/A".into()),
        Some(_) if printed_docx || printed_pdf => Err(format!(
            "{label}: ключ записан в NOT_PRINTED, а его значение печатается: уберите его из списка"
        )),
        Some(Effect::Properties) if before.properties != after.properties => {
            Ok("свойства файла".into())
        }
        Some(Effect::Check) if before.check != after.check || before.error != after.error => {
            Ok("проверка".into())
        }
        Some(Effect::None) => Ok("ничего (по описанию)".into()),
        Some(e) => Err(format!("{label}: ожидалось изменение ({e:?}), а его нет")),
    }
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn base_outcomes(cases: &[Case], dir: &Path) -> BTreeMap<String, Outcome> {
    let names: BTreeSet<&str> = cases.iter().map(|c| c.base).collect();
    names
        .into_iter()
        .map(|n| (n.to_owned(), outcome(&dir.join(n), &base(n), PROFILE)))
        .collect()
}

/// Runs cases on every core: (label, result).
fn run_all(cases: &[Case]) -> Vec<(String, Result<String, String>)> {
    let dir = scratch();
    let bases = base_outcomes(cases, dir.path());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = cases.len().div_ceil(threads).max(1);
    let mut out = Vec::new();
    std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .enumerate()
            .map(|(t, part)| {
                let bases = &bases;
                let dir = dir.path().join(format!("t{t}"));
                s.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, c)| (c.label(), run(c, bases, &dir.join(i.to_string()))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            out.extend(h.join().unwrap());
        }
    });
    out
}

/// Documented keys no case covers, as «scope: key».
fn uncovered(documented: &Documented, cases: &[Case]) -> Vec<String> {
    documented
        .iter()
        .filter(|(scope, key)| {
            !cases.iter().any(|c| {
                c.key == key
                    && match scope.as_str() {
                        "any" => true,
                        "profile" => c.target == Target::Profile,
                        kind => base_kind(c.base) == kind && c.target == Target::Document,
                    }
            })
        })
        .map(|(scope, key)| format!("{scope}: {key}"))
        .collect()
}

// -------------------------------------------------------------------- tests

#[test]
fn every_documented_key_changes_the_document() {
    let documented = documented(&format_md());
    let cases = cases();
    let mut failures = Vec::new();
    for miss in uncovered(&documented, &cases) {
        failures.push(format!(
            "{miss}: описан в docs/FORMAT.md, но ни один случай его не меняет"
        ));
    }
    let keys: BTreeSet<&str> = documented.iter().map(|(_, k)| k.as_str()).collect();
    for c in &cases {
        if !keys.contains(c.key) {
            failures.push(format!(
                "{}: такого ключа нет в примерах docs/FORMAT.md",
                c.label()
            ));
        }
    }
    let mut known_failing = Vec::new();
    for (label, result) in run_all(&cases) {
        let known = KNOWN_UNPRINTED.contains(&label.as_str());
        match (result, known) {
            (Ok(_), false) => {}
            (Err(e), true) => known_failing.push(e),
            (Ok(what), true) => failures.push(format!(
                "{label}: теперь меняет {what}: уберите его из KNOWN_UNPRINTED"
            )),
            (Err(e), false) => failures.push(e),
        }
    }
    for label in KNOWN_UNPRINTED {
        if !cases.iter().any(|c| c.label() == *label) {
            failures.push(format!("{label}: в KNOWN_UNPRINTED, но такого случая нет"));
        }
    }
    eprintln!(
        "{} documented keys, {} cases, {} known unprinted:\n{}",
        documented.len(),
        cases.len(),
        known_failing.len(),
        known_failing.join("\n")
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Field names of the `Raw*` structs of `src/model/raw.rs`, as TOML keys
/// (`#[serde(rename = "for")]` and `#[serde(skip)]` honoured): every key
/// a file may contain.
fn raw_fields() -> BTreeMap<String, BTreeSet<String>> {
    let source = std::fs::read_to_string(root().join("src/model/raw.rs")).unwrap();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut rename: Option<String> = None;
    let mut skip = false;
    for line in source.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("pub struct Raw") {
            current = rest
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .filter(|_| t.ends_with('{'))
                .map(|n| format!("Raw{n}"));
        } else if t == "}" {
            current = None;
        } else if let Some(r) = t.strip_prefix("#[serde(rename = \"") {
            rename = r.split('"').next().map(str::to_owned);
        } else if t == "#[serde(skip)]" {
            // Not read from a file (the rows a long table parses later).
            skip = true;
        } else if let (Some(s), Some((name, _))) = (
            &current,
            t.strip_prefix("pub ").and_then(|r| r.split_once(':')),
        ) {
            let key = rename.take().unwrap_or_else(|| name.trim().to_owned());
            if !std::mem::take(&mut skip) {
                out.entry(s.clone()).or_default().insert(key);
            }
        }
    }
    out
}

#[test]
fn every_key_a_file_may_contain_is_in_an_example_of_format_md() {
    let fields = raw_fields();
    // A broken reading of raw.rs must not pass by finding nothing.
    assert!(fields.len() >= 25, "{fields:?}");
    assert!(
        fields["RawVotes"].contains("for"),
        "{:?}",
        fields["RawVotes"]
    );
    let segments: BTreeSet<String> = documented(&format_md())
        .into_iter()
        .flat_map(|(_, k)| k.split('.').map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let missing: Vec<String> = fields
        .iter()
        .flat_map(|(s, names)| {
            names
                .iter()
                .filter(|n| !segments.contains(*n))
                .map(move |n| format!("{s}.{n}"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "ключи, которых нет ни в одном примере docs/FORMAT.md: {missing:?}"
    );
}

#[test]
fn every_complete_example_of_format_md_builds() {
    let dir = scratch();
    let profiles = dir.path().join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    for e in std::fs::read_dir(root().join("data/profiles")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), profiles.join(e.file_name())).unwrap();
    }
    let mut built = 0;
    let mut failures = Vec::new();
    for (i, (_, text)) in toml_blocks(&format_md()).into_iter().enumerate() {
        if !text.starts_with("kind = ") {
            continue;
        }
        let input = write_temp(dir.path(), &format!("example_{i}.toml"), text.as_bytes());
        match build::render_formats(
            &input,
            &templates(),
            &[Format::Docx, Format::Pdf],
            &PdfOptions::default(),
        ) {
            Ok(r) if r.warnings.is_empty() => built += 1,
            Ok(r) => failures.push(format!("{text}\n{:?}", r.warnings)),
            Err(d) => failures.push(format!("{text}\n{d}")),
        }
    }
    // One full example per kind.
    assert!(built >= 6 || !failures.is_empty(), "{built} examples");
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// The test itself can fail: a change that prints nothing, a replacement
/// equal to its text, a snippet the base does not have, and a documented
/// key with no case are each named.
#[test]
fn the_coverage_test_names_what_it_cannot_see() {
    let dir = scratch();
    let nothing = one(
        "rasporyazhenie",
        "act.title",
        "# всё из профиля",
        "# всё из профиля, без исключений",
    );
    let same = one(
        "rasporyazhenie",
        "act.title",
        "О проведении",
        "О проведении",
    );
    let absent = one(
        "rasporyazhenie",
        "act.title",
        "Об отмене",
        "Об отмене приказа",
    );
    let all: Vec<Case> = [nothing, same, absent].concat();
    let bases = base_outcomes(&all, dir.path());
    let results: Vec<String> = all
        .iter()
        .enumerate()
        .map(|(i, c)| run(c, &bases, &dir.path().join(i.to_string())).unwrap_err())
        .collect();
    assert_eq!(
        results,
        [
            "act.title @ rasporyazhenie: значение изменено, а ни DOCX, ни PDF не изменился (ключ принят, но не печатается)",
            "act.title @ rasporyazhenie: замена совпадает с исходным текстом",
            "act.title @ rasporyazhenie: «Об отмене» стоит в основе 0 раз(а), а нужно ровно 1",
        ]
    );

    let md = "## Приказ (`kind = \"prikaz\"`)\n\n```toml\n[act]\nnumber = \"1\"\n```\n\n## Other\n\n```toml\n[options]\nfuture_option = true\n```\n";
    let documented = documented(md);
    // A case on a распоряжение does not cover a key of the приказ section.
    let cases = one("rasporyazhenie", "act.number", "45-р", "46-р");
    assert_eq!(
        uncovered(&documented, &cases),
        ["any: options.future_option", "prikaz: act.number"]
    );
}
