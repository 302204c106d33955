//! Numbers: plural agreement («5 участников») and numbers in words in any
//! case («на трёх листах», «в двух экземплярах»).

use super::Case;

/// Which of the three forms goes with `n`: 1 участник, 2 участника,
/// 5 участников; 11–14 take the third form, 21 the first.
pub fn plural_index(n: i64) -> usize {
    let n = n.unsigned_abs();
    let (last, last_two) = (n % 10, n % 100);
    if (11..=14).contains(&last_two) {
        2
    } else if last == 1 {
        0
    } else if (2..=4).contains(&last) {
        1
    } else {
        2
    }
}

/// The form that agrees with `n`: `forms` are for 1, 2 and 5.
pub fn plural(n: i64, forms: [&str; 3]) -> &str {
    forms[plural_index(n)]
}

/// Grammatical gender of the counted noun, for 1 and 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberGender {
    /// один, два (лист, экземпляр).
    Masculine,
    /// одна, две (копия).
    Feminine,
    /// одно, два (письмо).
    Neuter,
}

impl NumberGender {
    /// `m`, `f` or `n` (also `м`, `ж`, `с`).
    pub fn parse(s: &str) -> Option<NumberGender> {
        match s {
            "m" | "м" | "masculine" => Some(NumberGender::Masculine),
            "f" | "ж" | "feminine" => Some(NumberGender::Feminine),
            "n" | "с" | "neuter" => Some(NumberGender::Neuter),
            _ => None,
        }
    }
}

/// Case index into the tables: nominative, genitive, dative, accusative,
/// instrumental, prepositional.
fn idx(case: Case) -> usize {
    Case::ALL.iter().position(|c| *c == case).unwrap_or(0)
}

/// 1–4 by case (the accusative is the inanimate one: «на два листа»).
const TWO: [&str; 6] = ["два", "двух", "двум", "два", "двумя", "двух"];
const THREE: [&str; 6] = ["три", "трёх", "трём", "три", "тремя", "трёх"];
const FOUR: [&str; 6] = [
    "четыре",
    "четырёх",
    "четырём",
    "четыре",
    "четырьмя",
    "четырёх",
];

fn one(case: Case, gender: NumberGender) -> &'static str {
    use NumberGender::*;
    match (case, gender) {
        (Case::Nominative, Masculine) | (Case::Accusative, Masculine) => "один",
        (Case::Nominative, Feminine) => "одна",
        (Case::Nominative, Neuter) | (Case::Accusative, Neuter) => "одно",
        (Case::Accusative, Feminine) => "одну",
        (Case::Genitive, Feminine)
        | (Case::Dative, Feminine)
        | (Case::Instrumental, Feminine)
        | (Case::Prepositional, Feminine) => "одной",
        (Case::Genitive, _) => "одного",
        (Case::Dative, _) => "одному",
        (Case::Instrumental, _) => "одним",
        (Case::Prepositional, _) => "одном",
    }
}

/// 5–20 and 30 decline like «пять»: пяти, пятью.
fn like_five(nominative: &str, case: Case) -> String {
    match case {
        Case::Nominative | Case::Accusative => nominative.to_owned(),
        Case::Instrumental if nominative == "восемь" => "восемью".into(),
        Case::Instrumental => format!("{nominative}ю"),
        _ if nominative == "восемь" => "восьми".into(),
        _ => format!("{}и", nominative.trim_end_matches('ь')),
    }
}

const UNITS: [&str; 20] = [
    "ноль",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
];

fn unit(n: u64, case: Case, gender: NumberGender) -> String {
    match n {
        1 => one(case, gender).into(),
        2 if gender == NumberGender::Feminine
            && matches!(case, Case::Nominative | Case::Accusative) =>
        {
            "две".into()
        }
        2 => TWO[idx(case)].into(),
        3 => THREE[idx(case)].into(),
        4 => FOUR[idx(case)].into(),
        0 => match case {
            Case::Nominative | Case::Accusative => "ноль".into(),
            Case::Instrumental => "нолём".into(),
            Case::Dative => "нолю".into(),
            Case::Prepositional => "ноле".into(),
            Case::Genitive => "ноля".into(),
        },
        n => like_five(UNITS[n as usize], case),
    }
}

fn tens(t: u64, case: Case) -> String {
    let i = idx(case);
    match t {
        2 | 3 => like_five(
            if t == 2 {
                "двадцать"
            } else {
                "тридцать"
            },
            case,
        ),
        4 => ["сорок", "сорока", "сорока", "сорок", "сорока", "сорока"][i].into(),
        5..=8 => {
            let head = ["пять", "шесть", "семь", "восемь"][(t - 5) as usize];
            match case {
                Case::Nominative | Case::Accusative => format!("{head}десят"),
                Case::Instrumental => format!("{head}юдесятью"),
                _ => format!("{}десяти", like_five(head, Case::Genitive)),
            }
        }
        9 => [
            "девяносто",
            "девяноста",
            "девяноста",
            "девяносто",
            "девяноста",
            "девяноста",
        ][i]
            .into(),
        _ => String::new(),
    }
}

fn hundreds(h: u64, case: Case) -> String {
    let i = idx(case);
    match h {
        1 => ["сто", "ста", "ста", "сто", "ста", "ста"][i].into(),
        2 => [
            "двести",
            "двухсот",
            "двумстам",
            "двести",
            "двумястами",
            "двухстах",
        ][i]
            .into(),
        3 => [
            "триста",
            "трёхсот",
            "трёмстам",
            "триста",
            "тремястами",
            "трёхстах",
        ][i]
            .into(),
        4 => [
            "четыреста",
            "четырёхсот",
            "четырёмстам",
            "четыреста",
            "четырьмястами",
            "четырёхстах",
        ][i]
            .into(),
        5..=9 => {
            let head = ["пять", "шесть", "семь", "восемь", "девять"][(h - 5) as usize];
            let genitive = like_five(head, Case::Genitive);
            match case {
                Case::Nominative | Case::Accusative => format!("{head}сот"),
                Case::Genitive => format!("{genitive}сот"),
                Case::Dative => format!("{genitive}стам"),
                Case::Instrumental => format!("{}стами", like_five(head, Case::Instrumental)),
                Case::Prepositional => format!("{genitive}стах"),
            }
        }
        _ => String::new(),
    }
}

/// `n` (0–999) in words, in `case`, agreeing in gender with the noun
/// counted. Larger numbers are left in figures.
pub fn words(n: i64, case: Case, gender: NumberGender) -> String {
    if !(0..=999).contains(&n) {
        return n.to_string();
    }
    let n = n as u64;
    if n == 0 {
        return unit(0, case, gender);
    }
    let mut parts = Vec::new();
    if n >= 100 {
        parts.push(hundreds(n / 100, case));
    }
    let rest = n % 100;
    if rest >= 20 {
        parts.push(tens(rest / 10, case));
        if !rest.is_multiple_of(10) {
            parts.push(unit(rest % 10, case, gender));
        }
    } else if rest > 0 {
        parts.push(unit(rest, case, gender));
    }
    parts.join(" ")
}
