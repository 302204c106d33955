//! Dates as documents print them (LAYOUT.md §4, §7): «24.06.2021»,
//! «24 июня 2021 г.», «„24“ июня 2021 г.», «июнь 2021 г.», «в июне 2021 г.»,
//! «I квартал 2021 г.», «2020–2021 учебный год», «2021–2022 годы».
//! No-break spaces keep the day with its month and the year with «г.».

use chrono::{Datelike, NaiveDate};

const NBSP: char = '\u{a0}';

/// Month names in the genitive, for «24 июня 2021 г.».
pub const MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// Month names in the nominative, for «январь 2021 г.».
pub const MONTHS_NOMINATIVE: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// Month names in the prepositional, for «в июне 2021 г.».
pub const MONTHS_PREPOSITIONAL: [&str; 12] = [
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
];

/// How a date prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// 24.06.2021
    Numeric,
    /// 24 июня 2021 г.
    Words,
    /// 24 июня 2021 года
    WordsYear,
    /// «24» июня 2021 г.
    Quoted,
    /// « 5 » марта 2024 г. (the quoted form of municipal бланки)
    QuotedSpaced,
    /// июнь 2021 г.
    Month,
    /// в июне 2021 г.
    InMonth,
    /// II квартал 2021 г.
    Quarter,
    /// 2021 г.
    Year,
}

impl DateForm {
    /// Reads a form name: `numeric`, `words`, `words_year`, `quoted`,
    /// `month`, `in_month`, `quarter`, `year`.
    pub fn parse(name: &str) -> Option<DateForm> {
        Some(match name {
            "numeric" => DateForm::Numeric,
            "words" => DateForm::Words,
            "words_year" => DateForm::WordsYear,
            "quoted" => DateForm::Quoted,
            "quoted_spaced" => DateForm::QuotedSpaced,
            "month" => DateForm::Month,
            "in_month" => DateForm::InMonth,
            "quarter" => DateForm::Quarter,
            "year" => DateForm::Year,
            _ => return None,
        })
    }

    /// Every form name [`DateForm::parse`] accepts, for error messages.
    pub const NAMES: &'static str =
        "numeric, words, words_year, quoted, quoted_spaced, month, in_month, quarter, year";
}

/// Formats a date.
pub fn format(d: NaiveDate, form: DateForm) -> String {
    let month = d.month0() as usize;
    let year = d.year();
    match form {
        DateForm::Numeric => d.format("%d.%m.%Y").to_string(),
        DateForm::Words => format!("{}{NBSP}{} {year}{NBSP}г.", d.day(), MONTHS_GENITIVE[month]),
        DateForm::WordsYear => {
            format!(
                "{}{NBSP}{} {year}{NBSP}года",
                d.day(),
                MONTHS_GENITIVE[month]
            )
        }
        DateForm::Quoted => format!(
            "«{:02}»{NBSP}{} {year}{NBSP}г.",
            d.day(),
            MONTHS_GENITIVE[month]
        ),
        DateForm::QuotedSpaced => format!(
            "«{NBSP}{}{NBSP}»{NBSP}{} {year}{NBSP}г.",
            d.day(),
            MONTHS_GENITIVE[month]
        ),
        DateForm::Month => format!("{} {year}{NBSP}г.", MONTHS_NOMINATIVE[month]),
        DateForm::InMonth => format!("в{NBSP}{} {year}{NBSP}г.", MONTHS_PREPOSITIONAL[month]),
        DateForm::Quarter => format!("{} квартал {year}{NBSP}г.", roman(d.month0() / 3 + 1)),
        DateForm::Year => format!("{year}{NBSP}г."),
    }
}

/// I, II, III, IV (quarters and half-years).
pub fn roman(n: u32) -> &'static str {
    ["", "I", "II", "III", "IV"]
        .get(n as usize)
        .copied()
        .unwrap_or("")
}

/// «2020–2021 учебный год»: the school year that starts in `start`.
pub fn school_year(start: i32) -> String {
    // Widened: `i32::MAX + 1` must not overflow, whatever a caller passes.
    format!("{start}–{} учебный год", i64::from(start) + 1)
}

/// «2021–2022 годы», or «2021 год» when both years are the same.
pub fn years(from: i32, to: i32) -> String {
    if from == to {
        format!("{from} год")
    } else {
        format!("{from}–{to} годы")
    }
}
