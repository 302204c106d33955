//! Tera filters for Russian documents, registered in every template set.
//! Template authors' reference, with an example for each, is
//! `docs/TEMPLATES.md`; every example there is a case of the table test
//! `tests/russian.rs`.
//!
//! | filter | input | example |
//! |---|---|---|
//! | `date(form=…)` | `YYYY-MM-DD` | `24 июня 2021 г.` |
//! | `school_year`, `years(to=…)` | a year | `2020–2021 учебный год` |
//! | `deadline` | a deadline or its text | `до 1 сентября 2021 г.` |
//! | `name(case=…, form=…)` | a person or a name | `Климову О.Н.` |
//! | `position(case=…)` | a person or a position | `муниципального координатора МОЦ` |
//! | `plural(one=…, few=…, many=…)` | a number | `15 директоров` |
//! | `number_words(case=…, gender=…)` | a number | `трёх` |
//! | `typo` | text | `«ёлочки», №&nbsp;227` |
//! | `spaced`, `caps` | text | `п о с т а н о в л я е т`, `ЁЛКА` |

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::model::date::Deadline;
use crate::model::person::{Gender, NBSP, PersonName};
use crate::russian::dates::{self, DateForm};
use crate::russian::numbers::{self, NumberGender};
use crate::russian::{Case, names, positions, typography};

/// Registers every filter of this module.
pub fn register(tera: &mut Tera) {
    tera.register_filter("date", date);
    tera.register_filter("school_year", school_year);
    tera.register_filter("years", years);
    tera.register_filter("deadline", deadline);
    tera.register_filter("name", name);
    tera.register_filter("position", position);
    tera.register_filter("plural", plural);
    tera.register_filter("number_words", number_words);
    tera.register_filter("typo", typo);
    tera.register_filter("spaced", spaced);
    tera.register_filter("caps", caps);
}

fn err(msg: impl ToString) -> Error {
    Error::message(msg)
}

fn case_arg(kwargs: &Kwargs) -> TeraResult<Case> {
    match kwargs.get::<&str>("case")? {
        None => Ok(Case::Nominative),
        Some(c) => Case::parse(c).ok_or_else(|| {
            err(format!(
                "неизвестный падеж «{c}»: nominative, genitive, dative, accusative, instrumental или prepositional"
            ))
        }),
    }
}

fn str_of<'v>(v: &'v Value, what: &str) -> TeraResult<&'v str> {
    v.as_str()
        .ok_or_else(|| err(format!("фильтру {what} нужна строка, а получено: {v}")))
}

fn int_of(v: &Value, what: &str) -> TeraResult<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .ok_or_else(|| err(format!("фильтру {what} нужно целое число, а получено: {v}")))
}

/// `{{ "2021-06-24" | date(form="words") }}` → «24 июня 2021 г.».
fn date(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let text = str_of(value, "date")?;
    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        err(format!(
            "фильтру date нужна дата ГГГГ-ММ-ДД, а получено «{text}»"
        ))
    })?;
    let form = match kwargs.get::<&str>("form")? {
        None => DateForm::Numeric,
        Some(f) => DateForm::parse(f)
            .ok_or_else(|| err(format!("неизвестная форма даты «{f}»: {}", DateForm::NAMES)))?,
    };
    Ok(dates::format(day, form))
}

/// `{{ 2020 | school_year }}` → «2020–2021 учебный год».
fn school_year(value: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    Ok(dates::school_year(int_of(value, "school_year")? as i32))
}

/// `{{ 2021 | years(to=2022) }}` → «2021–2022 годы».
fn years(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let from = int_of(value, "years")? as i32;
    let to = kwargs.get::<i64>("to")?.map_or(from, |t| t as i32);
    Ok(dates::years(from, to))
}

/// `{{ point.deadline | deadline }}`: a typed deadline from the view, or
/// deadline text read the way the TOML reads it.
fn deadline(value: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    let parsed = match value.as_str() {
        Some(text) => Deadline::parse(text).map_err(err)?,
        None => {
            let json = serde_json_value(value)?;
            serde_json::from_value::<Deadline>(json)
                .map_err(|e| err(format!("фильтру deadline нужен срок: {e}")))?
        }
    };
    Ok(parsed.display())
}

/// Tera value → serde_json value, to read a view structure back.
fn serde_json_value(value: &Value) -> TeraResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| err(e.to_string()))
}

/// A person from the view, or a name written as text.
struct PersonArg {
    name: PersonName,
    gender: Gender,
    /// The document's name order, when the person came from the view.
    order: Option<String>,
    position: Option<String>,
    /// Overrides from the TOML: case → text.
    name_cases: serde_json::Map<String, serde_json::Value>,
    position_cases: serde_json::Map<String, serde_json::Value>,
}

fn person_arg(value: &Value, what: &str) -> TeraResult<PersonArg> {
    if let Some(text) = value.as_str() {
        let name = PersonName::parse(text).map_err(|e| err(e.0))?;
        return Ok(PersonArg {
            gender: names::gender_of(&name),
            name,
            order: None,
            position: None,
            name_cases: Default::default(),
            position_cases: Default::default(),
        });
    }
    let json = serde_json_value(value)?;
    let field = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let surname = field("surname").ok_or_else(|| {
        err(format!(
            "фильтру {what} нужен человек или имя, а получено: {value}"
        ))
    })?;
    let map = |k: &str| {
        json.get(k)
            .and_then(|v| v.as_object())
            .cloned()
            .unwrap_or_default()
    };
    Ok(PersonArg {
        name: PersonName {
            surname,
            first_name: field("first_name"),
            patronymic: field("patronymic"),
            initials: field("initials").unwrap_or_default(),
        },
        gender: match field("gender").as_deref() {
            Some("Female") => Gender::Female,
            Some("Male") => Gender::Male,
            _ => Gender::Unknown,
        },
        order: field("order"),
        position: field("position"),
        name_cases: map("name_cases"),
        position_cases: map("position_cases"),
    })
}

/// `{{ person | name(case="accusative", form="initials_first") }}`.
/// Forms: `initials_first` («О.Н. Климову»), `surname_first` («Климову
/// О.Н.»), `full` («Климову Ольгу Николаевну»), `surname`. By default a
/// person prints in the document's name order, a text name surname first.
fn name(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let p = person_arg(value, "name")?;
    let case = case_arg(&kwargs)?;
    let form = kwargs
        .get::<&str>("form")?
        .map(str::to_owned)
        .or(p.order.clone())
        .unwrap_or_else(|| "surname_first".into());
    let declined = match p.name_cases.get(case.name()).and_then(|v| v.as_str()) {
        // The TOML's own form wins over the rules.
        Some(text) => PersonName::parse(text).map_err(|e| err(e.0))?,
        None => names::decline(&p.name, p.gender, case),
    };
    Ok(match form.as_str() {
        "initials_first" => declined.initials_first(),
        "surname_first" => declined.surname_first(),
        "full" => declined.full(),
        "surname" => declined.surname,
        other => {
            return Err(err(format!(
                "неизвестная форма имени «{other}»: initials_first, surname_first, full или surname"
            )));
        }
    })
}

/// `{{ person | position(case="genitive") }}`, or on a text.
fn position(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let case = case_arg(&kwargs)?;
    if let Some(text) = value.as_str() {
        return Ok(positions::decline(text, case));
    }
    let p = person_arg(value, "position")?;
    if let Some(text) = p.position_cases.get(case.name()).and_then(|v| v.as_str()) {
        return Ok(text.to_owned());
    }
    Ok(p.position
        .map(|pos| positions::decline(&pos, case))
        .unwrap_or_default())
}

/// `{{ 15 | plural(one="директор", few="директора", many="директоров") }}`
/// → «15 директоров»; `bare=true` leaves the number out.
fn plural(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let n = int_of(value, "plural")?;
    let one = kwargs.must_get::<&str>("one")?;
    let few = kwargs.must_get::<&str>("few")?;
    let many = kwargs.must_get::<&str>("many")?;
    let word = numbers::plural(n, [one, few, many]);
    if kwargs.get::<bool>("bare")?.unwrap_or(false) {
        Ok(word.to_owned())
    } else {
        Ok(format!("{n}{NBSP}{word}"))
    }
}

/// `{{ 3 | number_words(case="prepositional") }}` → «трёх».
fn number_words(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let n = int_of(value, "number_words")?;
    let case = case_arg(&kwargs)?;
    let gender = match kwargs.get::<&str>("gender")? {
        None => NumberGender::Masculine,
        Some(g) => NumberGender::parse(g)
            .ok_or_else(|| err(format!("неизвестный род «{g}»: m, f или n")))?,
    };
    Ok(numbers::words(n, case, gender))
}

/// `{{ text | typo }}`: the typographic pass.
fn typo(value: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    Ok(typography::apply(str_of(value, "typo")?))
}

/// `{{ "постановляет" | spaced }}` → «п о с т а н о в л я е т».
fn spaced(value: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    let text = str_of(value, "spaced")?;
    let letters: Vec<String> = text
        .split(' ')
        .map(|w| w.chars().map(String::from).collect::<Vec<_>>().join(" "))
        .collect();
    Ok(letters.join("   "))
}

/// `{{ "ёлка" | caps }}` → «ЁЛКА»: capitals that keep «ё».
fn caps(value: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    Ok(str_of(value, "caps")?.to_uppercase())
}
