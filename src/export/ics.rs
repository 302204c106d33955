//! The dated assignments as an iCalendar file (through `icalendar`): one
//! all-day VEVENT on each assignment's last day. A VEVENT rather than a
//! VTODO because the common calendars (Google, Outlook, Яндекс) show
//! events and many ignore to-dos.
//!
//! Importing the file twice must not duplicate anything, so each UID is a
//! hash of what identifies the assignment — the document's file name
//! (without its folder, so the same data in another folder gives the same
//! UIDs), the point number and the text — never random or time-based. The
//! DTSTAMP is the document's date, not the clock: the same documents give
//! the same bytes.

use crate::assignments::{self, Assignment};
use chrono::NaiveTime;
use icalendar::{Calendar, Component, Event, EventLike};

/// The summary's text is cut to this many characters after the point.
const SUMMARY_CHARS: usize = 80;

/// The assignments that have a last day, as an iCalendar file.
pub fn to_ics(list: &[Assignment]) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//gostdoc//Поручения//RU"),
        ("CALSCALE", "GREGORIAN"),
        ("X-WR-CALNAME", "Поручения"),
    ] {
        calendar.append_property(icalendar::Property::new(key, value));
    }
    for a in list {
        if let Some(event) = event(a) {
            calendar.push(event);
        }
    }
    calendar.to_string()
}

/// The assignment's calendar UID: stable across runs, folders and as-of
/// dates; it changes only when the file name, the point or the text does.
pub fn uid(a: &Assignment) -> String {
    let name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [name.as_str(), a.point.as_str(), a.text.as_str()] {
        h.update(part.as_bytes());
        // A separator, so that («ab», «c») and («a», «bc») differ.
        h.update(&[0]);
    }
    format!("{:032x}@gostdoc", h.digest128())
}

fn event(a: &Assignment) -> Option<Event> {
    let last = a.last_day?;
    let stamp_day = a.date.unwrap_or(last);
    let stamp = stamp_day.and_time(NaiveTime::MIN).and_utc();
    let mut event = Event::new();
    event
        .uid(&uid(a))
        .timestamp(stamp)
        .summary(&summary(a))
        .description(&description(a))
        .starts(last)
        // DTEND of an all-day event is the day after (RFC 5545, 3.6.1).
        .ends(last.succ_opt().unwrap_or(last))
        .add_property("TRANSP", "TRANSPARENT");
    Some(event.done())
}

/// «3.1. Обеспечить условия для реализации …».
fn summary(a: &Assignment) -> String {
    let text: String = if a.text.chars().count() > SUMMARY_CHARS {
        let mut s: String = a.text.chars().take(SUMMARY_CHARS - 1).collect();
        s.push('…');
        s
    } else {
        a.text.clone()
    };
    format!("{} {text}", a.point).trim().to_owned()
}

/// The document, the file, to whom, the deadline as written and the text.
fn description(a: &Assignment) -> String {
    let mut lines = vec![format!(
        "{}, пункт {} ({})",
        assignments::document_words(a),
        a.point,
        a.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    )];
    let whom = assignments::whom(a);
    if !whom.is_empty() {
        lines.push(format!("Кому: {whom}"));
    }
    if !a.deadline_text.is_empty() {
        lines.push(format!("Срок: {}", a.deadline_text));
    }
    lines.push(String::new());
    lines.push(a.text.clone());
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn uid_ignores_the_folder_and_changes_with_the_text() {
        // A real one, so that this test follows the fields others add.
        let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/000_elnya_rabochee_soveshchanie.toml");
        let model = crate::model::load(&seed).unwrap();
        let clock = assignments::Clock {
            as_of: NaiveDate::from_ymd_opt(2021, 9, 2).unwrap(),
            due_within: 14,
        };
        let a = assignments::collect(&model, &clock)
            .into_iter()
            .find(|a| a.point == "2.1.")
            .unwrap();
        let moved = Assignment {
            file: "elsewhere/000_elnya_rabochee_soveshchanie.toml".into(),
            ..a.clone()
        };
        assert_eq!(uid(&a), uid(&moved));
        let changed = Assignment {
            text: "Обеспечить иначе".into(),
            ..a.clone()
        };
        assert_ne!(uid(&a), uid(&changed));
        let ics = to_ics(&[a]);
        assert!(ics.contains("DTSTART;VALUE=DATE:20210901"), "{ics}");
        assert!(ics.contains("DTEND;VALUE=DATE:20210902"), "{ics}");
        assert!(ics.contains("DTSTAMP:20210624T000000Z"), "{ics}");
    }
}
