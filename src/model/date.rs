//! Dates and deadlines: typed values, parsed from what a secretary writes.
//!
//! Every year a document may hold is in [`YEAR_MIN`]–[`YEAR_MAX`]: a year
//! of five digits is a typo, and chrono would print it as «+99999». These
//! types are only serialised (for the view), never read back from a
//! template, so a value outside the range can only come from the parsers
//! here, which refuse it.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::russian::dates::{self, DateForm, MONTHS_GENITIVE, MONTHS_NOMINATIVE};

/// How a date prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DateStyle {
    /// 24.06.2021
    Numeric,
    /// 24 июня 2021 г.
    Words,
    /// « 5 » марта 2024 г.
    Quoted,
}

/// Formats a date as 24.06.2021.
pub fn numeric(d: NaiveDate) -> String {
    dates::format(d, DateForm::Numeric)
}

/// Formats a date as «24 июня 2021 г.» (or «… года»), with no leading zero
/// and no-break spaces inside (LAYOUT.md §4, §7).
pub fn words(d: NaiveDate, year_word: bool) -> String {
    dates::format(
        d,
        if year_word {
            DateForm::WordsYear
        } else {
            DateForm::Words
        },
    )
}

/// Formats a date in the given style.
pub fn format(d: NaiveDate, style: DateStyle, year_word: bool) -> String {
    match style {
        DateStyle::Numeric => numeric(d),
        DateStyle::Words => words(d, year_word),
        DateStyle::Quoted => dates::format(d, DateForm::QuotedSpaced),
    }
}

/// Parses «24.06.2021», «24.06.2021 г.», «2021-06-24» or «24 июня 2021 г.».
/// Returns the date and the style it was written in; `Err` carries a
/// Russian explanation for an impossible date.
pub fn parse(text: &str) -> Result<Option<(NaiveDate, DateStyle)>, String> {
    let t = text.replace('\u{a0}', " ");
    let t = t
        .trim()
        .trim_end_matches("года")
        .trim_end_matches("г.")
        .trim();
    let t = t.trim_end_matches('г').trim();
    let numeric_parts: Vec<&str> = t.split('.').collect();
    if numeric_parts.len() == 3 && numeric_parts.iter().all(|p| is_digits(p)) {
        let (d, m, y) = (numeric_parts[0], numeric_parts[1], numeric_parts[2]);
        return checked(y, m, d).map(|d| Some((d, DateStyle::Numeric)));
    }
    let iso: Vec<&str> = t.split('-').collect();
    if iso.len() == 3 && iso.iter().all(|p| is_digits(p)) && iso[0].len() >= 4 {
        return checked(iso[0], iso[1], iso[2]).map(|d| Some((d, DateStyle::Numeric)));
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() == 3
        && is_digits(words[0])
        && is_digits(words[2])
        && let Some(m) = MONTHS_GENITIVE
            .iter()
            .position(|m| *m == words[1].to_lowercase())
    {
        let month = (m + 1).to_string();
        return checked(words[2], &month, words[0]).map(|d| Some((d, DateStyle::Words)));
    }
    Ok(None)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// The first year a document may name.
pub const YEAR_MIN: i32 = 1900;
/// The last year a document may name.
pub const YEAR_MAX: i32 = 2200;

/// A year written in digits, checked against [`YEAR_MIN`]–[`YEAR_MAX`].
/// The text is any run of ASCII digits, however long: «99999» and
/// «99999999999» are both out of range, not «не число».
pub fn year(digits: &str) -> Result<i32, String> {
    let digits = digits.trim();
    if !is_digits(digits) {
        return Err(format!(
            "год «{digits}» не число: пишите год цифрами, например 2021"
        ));
    }
    let significant = digits.trim_start_matches('0');
    // Up to four significant digits fit an i32; more are out of range anyway.
    let value: i64 = if significant.len() > 9 {
        i64::MAX
    } else {
        significant.parse().unwrap_or(0)
    };
    if value < 100 {
        return Err(format!("год «{digits}» нужно писать четырьмя цифрами"));
    }
    check_year(value)
}

/// Checks a year against [`YEAR_MIN`]–[`YEAR_MAX`], with a message that
/// says what to do.
pub fn check_year(year: i64) -> Result<i32, String> {
    match i32::try_from(year) {
        Ok(y) if (YEAR_MIN..=YEAR_MAX).contains(&y) => Ok(y),
        _ => Err(format!(
            "год {year} вне допустимого диапазона {YEAR_MIN}–{YEAR_MAX}: \
             проверьте год (четыре цифры, например 2021)"
        )),
    }
}

/// A calendar date from its numbers, with the year in
/// [`YEAR_MIN`]–[`YEAR_MAX`]; `Err` says in Russian what is wrong. For
/// dates that arrive as numbers (a TOML date such as `2021-06-24`).
pub fn from_ymd(y: i64, m: u32, d: u32) -> Result<NaiveDate, String> {
    let y = check_year(y)?;
    if !(1..=12).contains(&m) {
        return Err(format!("месяца {m} не существует"));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        format!(
            "такой даты нет: в месяце «{}» {y} года нет {d}-го числа",
            MONTHS_NOMINATIVE[m as usize - 1]
        )
    })
}

/// Checks a date that is already a `NaiveDate` (a TOML date) against
/// [`YEAR_MIN`]–[`YEAR_MAX`].
pub fn check_date(d: NaiveDate) -> Result<NaiveDate, String> {
    check_year(i64::from(d.year())).map(|_| d)
}

fn checked(y: &str, m: &str, d: &str) -> Result<NaiveDate, String> {
    let y = year(y)?;
    // A month or a day of many digits is out of range, not «не число»:
    // anything over 9999 reads as 9999, which no month or day has.
    let number = |s: &str| -> u32 {
        let significant = s.trim_start_matches('0');
        if significant.len() > 4 {
            9999
        } else {
            significant.parse().unwrap_or(0)
        }
    };
    let (m, d) = (number(m), number(d));
    if !(1..=12).contains(&m) {
        return Err(format!("месяца {m} не существует"));
    }
    from_ymd(i64::from(y), m, d)
}

/// A deadline, typed so that later checks can compare it with dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind")]
pub enum Deadline {
    /// On a date: «01.09.2021».
    On {
        /// The date.
        date: NaiveDate,
        /// As written.
        style: DateStyle,
    },
    /// Before a date: «до 01.09.2021».
    Before {
        /// The date.
        date: NaiveDate,
        /// As written.
        style: DateStyle,
    },
    /// A month or a span of months: «январь 2021 г.», «январь–март 2021 г.».
    Months {
        /// First month, 1–12.
        from: u32,
        /// Last month, 1–12 (equal to `from` for one month).
        to: u32,
        /// The year.
        year: i32,
    },
    /// A span of days: «02.11.–06.11.2021 г.».
    Range {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// A recurring or open term: «постоянно», «ежегодно».
    Term {
        /// Which one.
        term: Term,
    },
    /// Several deadlines in one cell: «Октябрь 2020 г.» and «Октябрь 2021 г.».
    Several {
        /// Each, in order.
        items: Vec<Deadline>,
    },
    /// Anything else, printed as written.
    Words {
        /// The words.
        text: String,
    },
}

/// The terms documents use instead of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Term {
    /// постоянно
    Permanent,
    /// ежегодно
    Annually,
    /// ежеквартально
    Quarterly,
    /// ежемесячно
    Monthly,
    /// в течение учебного года
    SchoolYear,
    /// в течение года
    Year,
    /// весь период
    WholePeriod,
}

impl Term {
    const ALL: [(Term, &'static str); 7] = [
        (Term::Permanent, "постоянно"),
        (Term::Annually, "ежегодно"),
        (Term::Quarterly, "ежеквартально"),
        (Term::Monthly, "ежемесячно"),
        (Term::SchoolYear, "в течение учебного года"),
        (Term::Year, "в течение года"),
        (Term::WholePeriod, "весь период"),
    ];

    fn parse(lower: &str) -> Option<Term> {
        let words: Vec<&str> = lower.split_whitespace().collect();
        let joined = words.join(" ");
        Term::ALL
            .iter()
            .find(|(_, text)| *text == joined.trim_end_matches('.'))
            .map(|(t, _)| *t)
    }

    /// The words, with a no-break space after a short preposition.
    pub fn text(self) -> String {
        let plain = Term::ALL
            .iter()
            .find(|(t, _)| *t == self)
            .map_or("", |(_, text)| text);
        crate::russian::typography::apply(plain)
    }
}

impl Deadline {
    /// Reads a deadline as a secretary writes it. Several deadlines in
    /// one text are separated by line breaks.
    pub fn parse(text: &str) -> Result<Deadline, String> {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.len() > 1 {
            let items = lines
                .iter()
                .map(|l| Deadline::parse_one(l))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Deadline::Several { items });
        }
        Deadline::parse_one(text)
    }

    fn parse_one(text: &str) -> Result<Deadline, String> {
        let t = text.trim();
        let lower = t.to_lowercase();
        if let Some(rest) = lower.strip_prefix("до ") {
            return match parse(rest)? {
                Some((date, style)) => Ok(Deadline::Before { date, style }),
                None => Err(format!(
                    "после «до» ожидалась дата, например «до 01.09.2021», а написано «{}»",
                    t.chars().skip(3).collect::<String>().trim()
                )),
            };
        }
        if let Some((date, style)) = parse(t)? {
            return Ok(Deadline::On { date, style });
        }
        if let Some(range) = parse_range(&lower)? {
            return Ok(range);
        }
        if let Some(months) = parse_months(&lower)? {
            return Ok(months);
        }
        if let Some(term) = Term::parse(&lower) {
            return Ok(Deadline::Term { term });
        }
        if t.chars().next().is_some_and(|c| c.is_ascii_digit()) && !t.contains(' ') {
            return Err(format!(
                "«{t}» не похоже на дату: пишите ДД.ММ.ГГГГ, например 01.09.2021"
            ));
        }
        Ok(Deadline::Words { text: t.to_owned() })
    }

    /// The printed form: «01.09.2021», «до 1 сентября 2021 г.»,
    /// «январь–март 2021 г.», «02.11.–06.11.2021 г.»; several deadlines
    /// one per line.
    pub fn display(&self) -> String {
        match self {
            Deadline::On { date, style } => format(*date, *style, false),
            Deadline::Before { date, style } => format!("до {}", format(*date, *style, false)),
            Deadline::Months { from, to, year } => {
                // `parse_months` only makes months 1–12; a checked lookup
                // all the same, so that no value can index out of bounds.
                let month = |m: u32| {
                    m.checked_sub(1)
                        .and_then(|i| MONTHS_NOMINATIVE.get(i as usize))
                        .copied()
                        .unwrap_or("?")
                };
                if from == to {
                    format!("{} {year}\u{a0}г.", month(*from))
                } else {
                    format!("{}–{} {year}\u{a0}г.", month(*from), month(*to))
                }
            }
            Deadline::Range { from, to } if from.year() == to.year() => format!(
                "{}–{}\u{a0}г.",
                from.format("%d.%m."),
                to.format("%d.%m.%Y")
            ),
            Deadline::Range { from, to } => {
                format!("{}–{}", from.format("%d.%m.%Y"), to.format("%d.%m.%Y"))
            }
            Deadline::Term { term } => term.text(),
            Deadline::Several { items } => items
                .iter()
                .map(Deadline::display)
                .collect::<Vec<_>>()
                .join("\n"),
            Deadline::Words { text } => crate::russian::typography::apply(text),
        }
    }

    /// True for a date, «до» a date, a month or a span: printed after
    /// «срок» («срок до 01.09.2021»); terms («постоянно») stand alone.
    pub fn is_dated(&self) -> bool {
        match self {
            Deadline::Term { .. } | Deadline::Words { .. } => false,
            Deadline::Several { items } => items.iter().all(Deadline::is_dated),
            _ => true,
        }
    }
}

/// «02.11.–06.11.2021 г.» or «16.04.2021–20.04.2021»: the first date may
/// leave out the year it shares with the second.
fn parse_range(lower: &str) -> Result<Option<Deadline>, String> {
    let t = lower.trim_end_matches("года").trim_end_matches("г.").trim();
    let Some((a, b)) = t.split_once(['–', '—']).or_else(|| {
        // A hyphen only between two dates, not inside one.
        t.split_once(".-").map(|(a, b)| (&t[..a.len() + 1], b))
    }) else {
        return Ok(None);
    };
    let (a, b) = (a.trim(), b.trim());
    let Some((to, _)) = parse(b)? else {
        return Ok(None);
    };
    let a_full = if a.trim_end_matches('.').matches('.').count() == 1 {
        format!("{}.{}", a.trim_end_matches('.'), to.year())
    } else {
        a.to_owned()
    };
    let Some((from, _)) = parse(&a_full)? else {
        return Ok(None);
    };
    if from > to {
        return Err(format!(
            "в сроке «{lower}» начало позже конца: пишите сначала раннюю дату"
        ));
    }
    Ok(Some(Deadline::Range { from, to }))
}

/// «январь 2021 г.», «январь–март 2021 г.»: `Ok(None)` when the text is
/// not months and a year; an error when it is but the year is impossible.
fn parse_months(lower: &str) -> Result<Option<Deadline>, String> {
    let t = lower
        .trim_end_matches("года")
        .trim_end_matches("г.")
        .trim_end_matches('г')
        .trim();
    let Some((months, year_text)) = t.rsplit_once(' ') else {
        return Ok(None);
    };
    let month_no = |m: &str| {
        MONTHS_NOMINATIVE
            .iter()
            .position(|n| *n == m.trim())
            .map(|i| i as u32 + 1)
    };
    let (from, to) = match months.split_once(['–', '-', '—']) {
        Some((a, b)) => (month_no(a), month_no(b)),
        None => (month_no(months), month_no(months)),
    };
    let (Some(from), Some(to)) = (from, to) else {
        return Ok(None);
    };
    if !is_digits(year_text.trim()) {
        return Ok(None);
    }
    let year = year(year_text)?;
    Ok(Some(Deadline::Months { from, to, year }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_print_numeric_and_in_words() {
        assert_eq!(numeric(d(2021, 6, 24)), "24.06.2021");
        assert_eq!(words(d(2021, 2, 10), false), "10\u{a0}февраля 2021\u{a0}г.");
        assert_eq!(
            words(d(2021, 2, 10), true),
            "10\u{a0}февраля 2021\u{a0}года"
        );
    }

    #[test]
    fn dates_parse_in_every_written_form() {
        assert_eq!(
            parse("24.06.2021").unwrap(),
            Some((d(2021, 6, 24), DateStyle::Numeric))
        );
        assert_eq!(
            parse("01.09.2021 г.").unwrap(),
            Some((d(2021, 9, 1), DateStyle::Numeric))
        );
        assert_eq!(
            parse("27 декабря 2020 г.").unwrap(),
            Some((d(2020, 12, 27), DateStyle::Words))
        );
        assert_eq!(
            parse("2021-02-10").unwrap(),
            Some((d(2021, 2, 10), DateStyle::Numeric))
        );
        assert_eq!(parse("постоянно").unwrap(), None);
    }

    #[test]
    fn impossible_dates_are_explained() {
        let err = parse("30.02.2021").unwrap_err();
        assert!(err.contains("нет 30-го числа"), "{err}");
        assert!(parse("01.13.2021").unwrap_err().contains("месяца 13"));
    }

    #[test]
    fn deadlines_are_typed() {
        assert_eq!(
            Deadline::parse("до 01.09.2021").unwrap(),
            Deadline::Before {
                date: d(2021, 9, 1),
                style: DateStyle::Numeric
            }
        );
        assert_eq!(
            Deadline::parse("январь–март 2021 г.").unwrap(),
            Deadline::Months {
                from: 1,
                to: 3,
                year: 2021
            }
        );
        assert_eq!(
            Deadline::parse("март 2021 г.").unwrap().display(),
            "март 2021\u{a0}г."
        );
        assert_eq!(
            Deadline::parse("Постоянно").unwrap(),
            Deadline::Term {
                term: Term::Permanent
            }
        );
        assert_eq!(
            Deadline::parse("по мере поступления").unwrap(),
            Deadline::Words {
                text: "по мере поступления".into()
            }
        );
        assert_eq!(
            Deadline::parse("02.11.–06.11.2021 г.").unwrap(),
            Deadline::Range {
                from: d(2021, 11, 2),
                to: d(2021, 11, 6)
            }
        );
        assert!(Deadline::parse("06.11.–02.11.2021").is_err());
        assert!(matches!(
            Deadline::parse("Октябрь 2020 г.\n\nОктябрь 2021 г.").unwrap(),
            Deadline::Several { items } if items.len() == 2
        ));
        assert!(Deadline::parse("до завтра").is_err());
        assert!(Deadline::parse("31.02.2021").is_err());
    }

    #[test]
    fn years_outside_1900_2200_are_refused_with_what_to_do() {
        let want = "год 99999 вне допустимого диапазона 1900–2200: проверьте год (четыре цифры, например 2021)";
        assert_eq!(parse("01.09.99999").unwrap_err(), want);
        assert_eq!(parse("99999-09-01").unwrap_err(), want);
        assert_eq!(Deadline::parse("до 15.09.99999").unwrap_err(), want);
        assert_eq!(Deadline::parse("январь 99999 г.").unwrap_err(), want);
        assert_eq!(Deadline::parse("январь–март 99999 г.").unwrap_err(), want);
        assert_eq!(Deadline::parse("01.11.–02.11.99999").unwrap_err(), want);
        assert!(
            parse("01.09.1899")
                .unwrap_err()
                .starts_with("год 1899 вне допустимого диапазона")
        );
        // Digits beyond any integer type are out of range too, not «не число».
        assert!(
            parse("01.09.99999999999999999999999")
                .unwrap_err()
                .contains("вне допустимого диапазона 1900–2200"),
        );
        assert!(
            parse("99999999999999999999.09.2021")
                .unwrap_err()
                .contains("нет 9999-го числа")
        );
        assert_eq!(
            parse("01.99999999999999999999.2021").unwrap_err(),
            "месяца 9999 не существует"
        );
        assert_eq!(
            from_ymd(2201, 1, 1).unwrap_err().split(':').next(),
            Some("год 2201 вне допустимого диапазона 1900–2200")
        );
        assert_eq!(from_ymd(2200, 12, 31).unwrap(), d(2200, 12, 31));
        assert_eq!(from_ymd(1900, 1, 1).unwrap(), d(1900, 1, 1));
        assert!(check_date(d(9999, 1, 1)).is_err());
    }

    #[test]
    fn any_deadline_prints_without_panicking() {
        // Values `parse` never makes: the display still must not index out
        // of the month table or overflow.
        for (from, to) in [(0, 0), (13, 99), (u32::MAX, 1)] {
            let text = Deadline::Months {
                from,
                to,
                year: 2021,
            }
            .display();
            assert!(text.contains('?'), "{text}");
        }
    }
}
