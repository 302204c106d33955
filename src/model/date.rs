//! Dates and deadlines: typed values, parsed from what a secretary writes.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::russian::dates::{self, DateForm, MONTHS_GENITIVE, MONTHS_NOMINATIVE};

/// How a date prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateStyle {
    /// 24.06.2021
    Numeric,
    /// 24 июня 2021 г.
    Words,
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
    if iso.len() == 3 && iso.iter().all(|p| is_digits(p)) && iso[0].len() == 4 {
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

fn checked(y: &str, m: &str, d: &str) -> Result<NaiveDate, String> {
    let (y, m, d): (i32, u32, u32) = (
        y.parse().map_err(|_| "год не число".to_string())?,
        m.parse().map_err(|_| "месяц не число".to_string())?,
        d.parse().map_err(|_| "день не число".to_string())?,
    );
    if y < 100 {
        return Err(format!("год «{y}» нужно писать четырьмя цифрами"));
    }
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

/// A deadline, typed so that later checks can compare it with dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
        if let Some(months) = parse_months(&lower) {
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
                let first = MONTHS_NOMINATIVE[*from as usize - 1];
                if from == to {
                    format!("{first} {year}\u{a0}г.")
                } else {
                    let last = MONTHS_NOMINATIVE[*to as usize - 1];
                    format!("{first}–{last} {year}\u{a0}г.")
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

fn parse_months(lower: &str) -> Option<Deadline> {
    let t = lower
        .trim_end_matches("года")
        .trim_end_matches("г.")
        .trim_end_matches('г')
        .trim();
    let (months, year) = t.rsplit_once(' ')?;
    let year: i32 = year.trim().parse().ok()?;
    let month_no = |m: &str| {
        MONTHS_NOMINATIVE
            .iter()
            .position(|n| *n == m.trim())
            .map(|i| i as u32 + 1)
    };
    let (from, to) = match months.split_once(['–', '-', '—']) {
        Some((a, b)) => (month_no(a)?, month_no(b)?),
        None => (month_no(months)?, month_no(months)?),
    };
    Some(Deadline::Months { from, to, year })
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
}
