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
//!
//! A template can hand a filter any value: a number of 10²⁰, a forged map,
//! `none`. A filter never trusts it: a deadline from the view carries its
//! printed text ([`crate::view::DeadlineView`]), a person a handle into the
//! view's typed people ([`crate::view::People`]), and text is parsed the
//! way the TOML is parsed, with the same bounds. Anything else
//! is a Russian error, which Tera shows with the template's line. Each
//! filter first checks the render's clock ([`crate::template`]), so a loop
//! that calls filters stops at the time limit.

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use crate::model::date::{self, Deadline};
use crate::model::person::{NBSP, PersonName};
use crate::russian::dates::{self as dates_ru, DateForm};
use crate::russian::numbers::{self, NumberGender};
use crate::russian::{Case, names, positions, typography};
use crate::view::PersonForms;

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

/// A value as a message quotes it: its kind in Russian and at most a line
/// of it, so that a forged megabyte never floods the terminal.
fn shown(v: &Value) -> String {
    let kind = match v.name() {
        "undefined" => return "неопределённое значение".into(),
        "none" => return "none (пустое значение)".into(),
        "bool" => "логическое значение",
        "u64" | "i64" | "u128" | "i128" => "целое число",
        "f64" => "дробное число",
        "string" => "строка",
        "array" => "список",
        "bytes" => "байты",
        _ => "таблица",
    };
    let text = v.to_string();
    const MAX: usize = 60;
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX).collect();
    let tail = if chars.next().is_some() { "…" } else { "" };
    format!("{kind} «{head}{tail}»")
}

/// Refuses keyword arguments the filter does not have: a typo such as
/// `name(cse="genitive")` would otherwise print the nominative silently.
fn known_kwargs(kwargs: &Kwargs, filter: &str, known: &[&str]) -> TeraResult<()> {
    for (key, _) in kwargs.iter() {
        let key = key.to_string();
        if !known.contains(&key.as_str()) {
            let allowed = if known.is_empty() {
                "у него нет параметров".to_owned()
            } else {
                format!("допустимы: {}", known.join(", "))
            };
            return Err(err(format!(
                "у фильтра {filter} нет параметра «{key}»: {allowed}"
            )));
        }
    }
    Ok(())
}

/// A text keyword argument, or a Russian error naming it.
fn kw_str<'k>(kwargs: &'k Kwargs, key: &'k str, filter: &str) -> TeraResult<Option<&'k str>> {
    match kwargs.get::<&Value>(key)? {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => v.as_str().map(Some).ok_or_else(|| {
            err(format!(
                "параметр {key} фильтра {filter} должен быть строкой, а получено: {}",
                shown(v)
            ))
        }),
    }
}

/// A required text keyword argument.
fn kw_must_str<'k>(kwargs: &'k Kwargs, key: &'k str, filter: &str) -> TeraResult<&'k str> {
    kw_str(kwargs, key, filter)?
        .ok_or_else(|| err(format!("фильтру {filter} нужен параметр {key}=\"…\"")))
}

fn case_arg(kwargs: &Kwargs, filter: &str) -> TeraResult<Case> {
    match kw_str(kwargs, "case", filter)? {
        None => Ok(Case::Nominative),
        Some(c) => Case::parse(c).ok_or_else(|| {
            err(format!(
                "неизвестный падеж «{c}»: nominative, genitive, dative, accusative, instrumental или prepositional"
            ))
        }),
    }
}

fn str_of<'v>(v: &'v Value, what: &str) -> TeraResult<&'v str> {
    v.as_str().ok_or_else(|| {
        err(format!(
            "фильтру {what} нужна строка, а получено: {}",
            shown(v)
        ))
    })
}

/// An integer of any size Tera has (i128), or a text of digits.
fn int_of(v: &Value, what: &str) -> TeraResult<i128> {
    if let Some(n) = v.as_i128() {
        return Ok(n);
    }
    if let Some(n) = v.as_str().and_then(|s| s.trim().parse::<i128>().ok()) {
        return Ok(n);
    }
    let why = if v.name() == "u128" {
        ": число слишком велико".to_owned()
    } else {
        String::new()
    };
    Err(err(format!(
        "фильтру {what} нужно целое число, а получено: {}{why}",
        shown(v)
    )))
}

/// A year for `school_year` and `years`, in the range documents allow.
fn year_of(v: &Value, what: &str) -> TeraResult<i32> {
    let n = int_of(v, what)?;
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    date::check_year(n).map_err(|e| err(format!("фильтр {what}: {e}")))
}

/// `{{ "2021-06-24" | date(form="words") }}` → «24 июня 2021 г.».
fn date(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "date", &["form"])?;
    let text = str_of(value, "date")?;
    let day = match date::parse(text) {
        Ok(Some((day, _))) => day,
        Ok(None) => {
            return Err(err(format!(
                "фильтру date нужна дата ГГГГ-ММ-ДД, а получено «{}»",
                text.chars().take(60).collect::<String>()
            )));
        }
        Err(why) => {
            return Err(err(format!(
                "фильтру date нужна дата ГГГГ-ММ-ДД, а получено «{}»: {why}",
                text.chars().take(60).collect::<String>()
            )));
        }
    };
    let form = match kw_str(&kwargs, "form", "date")? {
        None => DateForm::Numeric,
        Some(f) => DateForm::parse(f)
            .ok_or_else(|| err(format!("неизвестная форма даты «{f}»: {}", DateForm::NAMES)))?,
    };
    Ok(dates_ru::format(day, form))
}

/// `{{ 2020 | school_year }}` → «2020–2021 учебный год».
fn school_year(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "school_year", &[])?;
    Ok(dates_ru::school_year(year_of(value, "school_year")?))
}

/// `{{ 2021 | years(to=2022) }}` → «2021–2022 годы».
fn years(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "years", &["to"])?;
    let from = year_of(value, "years")?;
    let to = match kwargs.get::<&Value>("to")? {
        None => from,
        Some(v) => year_of(v, "years")?,
    };
    if to < from {
        return Err(err(format!(
            "фильтр years: конечный год {to} раньше начального {from}; пишите {{{{ {to} | years(to={from}) }}}}"
        )));
    }
    Ok(dates_ru::years(from, to))
}

/// `{{ pt.deadline | deadline }}`: a deadline of the view (its ready
/// `text`), or deadline text read the way the TOML reads it.
fn deadline(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "deadline", &[])?;
    if let Some(text) = value.as_str() {
        return Deadline::parse(text)
            .map(|d| d.display())
            .map_err(|e| err(format!("фильтр deadline: {e}")));
    }
    match value.get_from_path("text").and_then(Value::as_str) {
        Some(text) if value.is_map() => Ok(text.to_owned()),
        _ => Err(err(format!(
            "фильтру deadline нужен срок из данных шаблона (pt.deadline) или текст срока \
             («до 01.09.2021»), а получено: {}",
            shown(value)
        ))),
    }
}

/// The forms `name(form=…)` knows.
const NAME_FORMS: [&str; 4] = ["initials_first", "surname_first", "full", "surname"];

fn name_form(kwargs: &Kwargs) -> TeraResult<Option<&str>> {
    match kw_str(kwargs, "form", "name")? {
        Some(f) if !NAME_FORMS.contains(&f) => Err(err(format!(
            "неизвестная форма имени «{f}»: initials_first, surname_first, full или surname"
        ))),
        other => Ok(other),
    }
}

/// A person of the view in `case`: its handle (`id`) resolved to the
/// typed person and declined. An error says what the filter expected when
/// the value is no handle of this render.
fn person_forms(value: &Value, case: Case, filter: &str) -> TeraResult<PersonForms> {
    let id = value
        .get_from_path("id")
        .filter(|_| value.is_map())
        .and_then(Value::as_u64);
    id.and_then(|id| crate::template::with_person(id, |p| p.forms(case)))
        .ok_or_else(|| {
            err(format!(
                "фильтру {filter} нужен человек из данных шаблона (например, s.speaker) или имя \
                 текстом, а получено: {}",
                shown(value)
            ))
        })
}

/// `{{ person | name(case="accusative", form="initials_first") }}`.
/// Forms: `initials_first` («О.Н. Климову»), `surname_first` («Климову
/// О.Н.»), `full` («Климову Ольгу Николаевну»), `surname`. By default a
/// person prints in the document's name order, a text name surname first.
fn name(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "name", &["case", "form"])?;
    let case = case_arg(&kwargs, "name")?;
    let form = name_form(&kwargs)?;
    if let Some(text) = value.as_str() {
        let parsed = PersonName::parse(text).map_err(|e| err(format!("фильтр name: {}", e.0)))?;
        let declined = names::decline(&parsed, names::gender_of(&parsed), case);
        return Ok(match form.unwrap_or("surname_first") {
            "initials_first" => declined.initials_first(),
            "full" => declined.full(),
            "surname" => declined.surname,
            _ => declined.surname_first(),
        });
    }
    let forms = person_forms(value, case, "name")?;
    // No form asked: the document's own order.
    Ok(match form {
        Some("initials_first") => forms.initials_first,
        Some("surname_first") => forms.surname_first,
        Some("full") => forms.full,
        Some("surname") => forms.surname,
        _ => forms.name,
    })
}

/// `{{ person | position(case="genitive") }}`, or on a text.
fn position(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "position", &["case"])?;
    let case = case_arg(&kwargs, "position")?;
    if let Some(text) = value.as_str() {
        return Ok(positions::decline(text, case));
    }
    // A person without a position prints nothing.
    Ok(person_forms(value, case, "position")?
        .position
        .unwrap_or_default())
}

/// `{{ 15 | plural(one="директор", few="директора", many="директоров") }}`
/// → «15 директоров»; `bare=true` leaves the number out. Any integer Tera
/// holds agrees: only its last two digits matter.
fn plural(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "plural", &["one", "few", "many", "bare"])?;
    let n = int_of(value, "plural")?;
    let one = kw_must_str(&kwargs, "one", "plural")?;
    let few = kw_must_str(&kwargs, "few", "plural")?;
    let many = kw_must_str(&kwargs, "many", "plural")?;
    let last_two = (n.unsigned_abs() % 100) as i64;
    let word = numbers::plural(last_two, [one, few, many]);
    let bare = match kwargs.get::<&Value>("bare")? {
        None => false,
        Some(v) => v.as_bool().ok_or_else(|| {
            err(format!(
                "параметр bare фильтра plural должен быть true или false, а получено: {}",
                shown(v)
            ))
        })?,
    };
    if bare {
        Ok(word.to_owned())
    } else {
        Ok(format!("{n}{NBSP}{word}"))
    }
}

/// `{{ 3 | number_words(case="prepositional") }}` → «трёх». Numbers
/// outside 0–999 stay in figures.
fn number_words(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "number_words", &["case", "gender"])?;
    let n = int_of(value, "number_words")?;
    let case = case_arg(&kwargs, "number_words")?;
    let gender = match kw_str(&kwargs, "gender", "number_words")? {
        None => NumberGender::Masculine,
        Some(g) => NumberGender::parse(g)
            .ok_or_else(|| err(format!("неизвестный род «{g}»: m, f или n")))?,
    };
    Ok(match i64::try_from(n) {
        Ok(n) => numbers::words(n, case, gender),
        Err(_) => n.to_string(),
    })
}

/// `{{ text | typo }}`: the typographic pass.
fn typo(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "typo", &[])?;
    Ok(typography::apply(str_of(value, "typo")?))
}

/// `{{ "постановляет" | spaced }}` → «п о с т а н о в л я е т».
fn spaced(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "spaced", &[])?;
    let text = str_of(value, "spaced")?;
    let letters: Vec<String> = text
        .split(' ')
        .map(|w| w.chars().map(String::from).collect::<Vec<_>>().join(" "))
        .collect();
    Ok(letters.join("   "))
}

/// `{{ "ёлка" | caps }}` → «ЁЛКА»: capitals that keep «ё».
fn caps(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    crate::template::check_budget()?;
    known_kwargs(&kwargs, "caps", &[])?;
    Ok(str_of(value, "caps")?.to_uppercase())
}
