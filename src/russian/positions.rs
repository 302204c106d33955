//! Positions in every case: «муниципальный координатор МОЦ» →
//! «муниципального координатора МОЦ».
//!
//! A position is a head noun with the adjectives before it, and whatever
//! follows (a genitive «МОЦ», «начальника управления», «по УВР») stays as
//! it is. The adjectives agree with the head, which in positions is
//! grammatically masculine even for a woman («директора» for both). A
//! position that does not follow these patterns is overridden in the TOML.

use super::{Case, replace_end};

/// Words after which nothing is declined: they start a dependent phrase.
const STOP_WORDS: [&str; 6] = ["по", "в", "на", "и", "при", "обязанности"];

/// The position in `case`.
pub fn decline(position: &str, case: Case) -> String {
    if case == Case::Nominative {
        return position.to_owned();
    }
    let mut out: Vec<String> = Vec::new();
    let mut declining = true;
    for word in position.split(' ') {
        if !declining || word.is_empty() {
            out.push(word.to_owned());
            continue;
        }
        match classify(word) {
            Word::Adjective => out.push(adjective(word, case)),
            Word::Noun => {
                out.push(noun_compound(word, case));
                declining = false;
            }
            Word::Other => {
                out.push(word.to_owned());
                declining = false;
            }
        }
    }
    out.join(" ")
}

enum Word {
    Adjective,
    Noun,
    Other,
}

fn classify(word: &str) -> Word {
    let lower = word.to_lowercase();
    let letters = lower.chars().all(|c| c.is_alphabetic() || c == '-');
    if !letters
        || word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().count() > 1
            && word.chars().skip(1).all(char::is_uppercase)
    {
        // «МОЦ», «№», «1»: not a word to decline.
        return Word::Other;
    }
    if STOP_WORDS.contains(&lower.as_str()) {
        return Word::Other;
    }
    if ["ый", "ий", "ой", "ая", "яя"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return Word::Adjective;
    }
    // Oblique endings: the head has already passed («отделом»).
    const OBLIQUE: [&str; 14] = [
        "ом", "ем", "ами", "ями", "ах", "ях", "ым", "им", "ого", "его", "ому", "ему", "ых", "их",
    ];
    if OBLIQUE.iter().any(|e| lower.ends_with(e)) && !["ном", "дом"].iter().any(|e| lower == *e)
    {
        return Word::Other;
    }
    Word::Noun
}

/// An adjective (or participle: «заведующий») in `case`; a masculine one
/// is animate, so its accusative is the genitive.
fn adjective(word: &str, case: Case) -> String {
    let lower = word.to_lowercase();
    if lower.ends_with("ая") || lower.ends_with("яя") {
        return feminine_adjective(word, case);
    }
    let stem_last = lower.chars().rev().nth(2).unwrap_or(' ');
    // After ж, ш, щ, ч and soft -ний the endings are soft (-его, -ему);
    // after г, к, х and for -ый/-ой they are hard.
    let soft = lower.ends_with("ий") && !"гкх".contains(stem_last);
    let ending = match (case, soft) {
        (Case::Nominative, _) => return word.to_owned(),
        (Case::Genitive | Case::Accusative, false) => "ого",
        (Case::Genitive | Case::Accusative, true) => "его",
        (Case::Dative, false) => "ому",
        (Case::Dative, true) => "ему",
        (Case::Instrumental, false) => {
            if "гкх".contains(stem_last) {
                "им"
            } else {
                "ым"
            }
        }
        (Case::Instrumental, true) => "им",
        (Case::Prepositional, false) => "ом",
        (Case::Prepositional, true) => "ем",
    };
    replace_end(word, 2, ending)
}

/// «заведующая», «медицинская»: -ой (-ей after a hushing sound or in
/// -яя), accusative -ую (-юю).
fn feminine_adjective(word: &str, case: Case) -> String {
    let lower = word.to_lowercase();
    let stem_last = lower.chars().rev().nth(2).unwrap_or(' ');
    let soft = lower.ends_with("яя") || "жшщчц".contains(stem_last);
    let ending = match (case, soft) {
        (Case::Nominative, _) => return word.to_owned(),
        (Case::Accusative, false) => "ую",
        (Case::Accusative, true) if lower.ends_with("яя") => "юю",
        (Case::Accusative, true) => "ую",
        (_, false) => "ой",
        (_, true) => "ей",
    };
    replace_end(word, 2, ending)
}

/// A noun, or each part of «педагог-психолог».
fn noun_compound(word: &str, case: Case) -> String {
    word.split('-')
        .map(|part| noun(part, case))
        .collect::<Vec<_>>()
        .join("-")
}

/// A masculine animate noun (or «глава», «судья» in -а/-я) in `case`.
fn noun(word: &str, case: Case) -> String {
    let lower = word.to_lowercase();
    let last = lower.chars().last().unwrap_or(' ');
    let before = lower.chars().rev().nth(1).unwrap_or(' ');
    match last {
        'а' => {
            // глава: главы, главе, главу, главой, главе
            let genitive = if "гкхжшщч".contains(before) {
                "и"
            } else {
                "ы"
            };
            let ending = match case {
                Case::Nominative => return word.to_owned(),
                Case::Genitive => genitive,
                Case::Dative | Case::Prepositional => "е",
                Case::Accusative => "у",
                Case::Instrumental => "ой",
            };
            replace_end(word, 1, ending)
        }
        'я' => {
            let ending = match case {
                Case::Nominative => return word.to_owned(),
                Case::Genitive => "и",
                Case::Dative | Case::Prepositional => "е",
                Case::Accusative => "ю",
                Case::Instrumental => "ей",
            };
            replace_end(word, 1, ending)
        }
        'ь' | 'й' => {
            // руководитель, секретарь; казначей
            let ending = match case {
                Case::Nominative => return word.to_owned(),
                Case::Genitive | Case::Accusative => "я",
                Case::Dative => "ю",
                Case::Instrumental => "ем",
                Case::Prepositional => "е",
            };
            replace_end(word, 1, ending)
        }
        c if c.is_alphabetic() && !"аеёиоуыэюя".contains(c) => {
            // директор, начальник, специалист. A noun in «-ец» loses its
            // fleeting «е» («певец» → «певца») and takes -ем.
            let fleeting = lower.ends_with("ец") && lower.chars().count() > 3;
            let (stem, instrumental) = if fleeting {
                (replace_end(word, 2, "ц"), "ем")
            } else if lower.ends_with("ец") {
                (word.to_owned(), "ем")
            } else {
                (word.to_owned(), "ом")
            };
            let ending = match case {
                Case::Nominative => return word.to_owned(),
                Case::Genitive | Case::Accusative => "а",
                Case::Dative => "у",
                Case::Instrumental => instrumental,
                Case::Prepositional => "е",
            };
            format!("{stem}{ending}")
        }
        // Indeclinable («атташе», «референт-консультант» parts aside).
        _ => word.to_owned(),
    }
}
