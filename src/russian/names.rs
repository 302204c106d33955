//! Names in every case. Genitive, dative and accusative come from
//! petrovich's rules; its instrumental and prepositional are wrong for some
//! female names in -ия («Марием» for «Марией»), which [`first_name`] fixes.
//! Surnames that do not decline (Ревяко, Черных, Кулик for a woman) are in
//! petrovich's rules too; double surnames decline part by part.

use super::Case;
use crate::model::person::{Gender, PersonName};

fn petrovich_case(case: Case) -> Option<petrovich::Case> {
    Some(match case {
        Case::Nominative => return None,
        Case::Genitive => petrovich::Case::Genitive,
        Case::Dative => petrovich::Case::Dative,
        Case::Accusative => petrovich::Case::Accusative,
        Case::Instrumental => petrovich::Case::Instrumental,
        Case::Prepositional => petrovich::Case::Prepositional,
    })
}

fn petrovich_gender(gender: Gender) -> petrovich::Gender {
    match gender {
        Gender::Female => petrovich::Gender::Female,
        Gender::Male => petrovich::Gender::Male,
        Gender::Unknown => petrovich::Gender::Androgynous,
    }
}

/// The gender of a name: from the patronymic, else from the surname's
/// ending (Климова, Петровская: female; Климов, Петровский: male).
pub fn gender_of(name: &PersonName) -> Gender {
    match name.gender_from_patronymic() {
        Gender::Unknown => {}
        known => return known,
    }
    let s = name.surname.to_lowercase();
    let last = s.rsplit('-').next().unwrap_or(&s);
    const FEMALE: [&str; 6] = ["ова", "ева", "ёва", "ина", "ына", "ая"];
    const MALE: [&str; 8] = ["ов", "ев", "ёв", "ин", "ын", "ий", "ый", "ой"];
    if FEMALE.iter().any(|e| last.ends_with(e)) {
        Gender::Female
    } else if MALE.iter().any(|e| last.ends_with(e)) {
        Gender::Male
    } else {
        Gender::Unknown
    }
}

/// A surname in `case`; each part of a double surname on its own.
pub fn surname(word: &str, gender: Gender, case: Case) -> String {
    let Some(c) = petrovich_case(case) else {
        return word.to_owned();
    };
    let g = petrovich_gender(gender);
    word.split('-')
        .map(|part| petrovich::lastname(g, part, c))
        .collect::<Vec<_>>()
        .join("-")
}

/// A first name in `case`.
pub fn first_name(word: &str, gender: Gender, case: Case) -> String {
    let Some(c) = petrovich_case(case) else {
        return word.to_owned();
    };
    let lower = word.to_lowercase();
    // petrovich gives «Марием» in both cases for some names in -ия.
    if gender != Gender::Male && lower.ends_with("ия") && lower.chars().count() > 2 {
        match case {
            Case::Instrumental => return super::replace_end(word, 1, "ей"),
            Case::Prepositional | Case::Genitive | Case::Dative => {
                return super::replace_end(word, 1, "и");
            }
            _ => {}
        }
    }
    petrovich::firstname(petrovich_gender(gender), word, c)
}

/// A patronymic in `case`.
pub fn patronymic(word: &str, gender: Gender, case: Case) -> String {
    match petrovich_case(case) {
        Some(c) => petrovich::middlename(petrovich_gender(gender), word, c),
        None => word.to_owned(),
    }
}

/// The name in `case`: surname, first name and patronymic declined,
/// initials unchanged. An unknown gender is guessed with [`gender_of`].
pub fn decline(name: &PersonName, gender: Gender, case: Case) -> PersonName {
    let gender = match gender {
        Gender::Unknown => gender_of(name),
        known => known,
    };
    PersonName {
        surname: surname(&name.surname, gender, case),
        first_name: name
            .first_name
            .as_deref()
            .map(|f| first_name(f, gender, case)),
        patronymic: name
            .patronymic
            .as_deref()
            .map(|p| patronymic(p, gender, case)),
        initials: name.initials.clone(),
    }
}
