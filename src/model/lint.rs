//! Warnings about content that is valid but looks wrong (`gostdoc check`):
//! a deadline before the meeting, more votes than people present, a
//! number typed into a text that gostdoc numbers itself, an agenda item
//! with no decision, an empty section (a speech or a point with nothing
//! in it, no agenda, no decisions, a table without rows), no one to sign.
//!
//! They never stop a build: the secretary may mean it. Each names the
//! file, line and field like an error does.

use super::date::Deadline;
use super::raw::{RawDocument, RawPoint, RawSpeech};
use super::{ActDocument, Attendee, Body, Course, DocKind, Family, Point, Protocol, Validator};
use crate::diagnostic::Diagnostic;
use chrono::NaiveDate;
use std::ops::Range;
use toml::Spanned;

impl Validator {
    fn warn(&mut self, span: Range<usize>, field: &str, message: String, hint: &str) {
        let d = self
            .source
            .diagnostic(&self.file, span, message)
            .with_field(field)
            .with_hint(hint)
            .warning();
        self.diagnostics.push(d);
    }

    /// A warning about the whole file: something is missing, and there is
    /// no line to point at (line 1 would blame `kind = …`).
    fn warn_file(&mut self, field: &str, message: String, hint: &str) {
        let d = Diagnostic::error(&self.file, message)
            .with_field(field)
            .with_hint(hint)
            .warning();
        self.diagnostics.push(d);
    }

    /// Runs every check on a validated document.
    pub(super) fn lint(
        &mut self,
        raw: &RawDocument,
        body: &Body,
        kind: DocKind,
        options: &super::Options,
    ) {
        let course = options.course;
        match body {
            Body::Protocol(p) => self.lint_protocol(raw, p, course, options.votes_required),
            Body::Act(a) => self.lint_act(raw, a, kind, options),
        }
    }

    fn lint_protocol(
        &mut self,
        raw: &RawDocument,
        p: &Protocol,
        course: Course,
        votes_required: bool,
    ) {
        let date = p.meeting.date;
        self.lint_points(
            &raw.decision,
            &p.decisions,
            "decision",
            Some(date),
            "заседания",
        );
        // The number written in `present_count`, else those listed.
        if let Some(present) = p.present_count {
            self.lint_votes(&raw.decision, &p.decisions, "decision", present);
            for (i, (item, raw_item)) in p.agenda.iter().zip(&raw.agenda).enumerate() {
                if let (Some(v), Some(span)) = (
                    item.votes,
                    raw_item.get_ref().votes.as_ref().map(|v| v.span()),
                ) {
                    self.warn_votes(v, present, span, || format!("agenda[{i}].votes"));
                }
            }
        }
        if votes_required {
            // A decision is voted on itself, or with its agenda item.
            for (i, (d, rd)) in p.decisions.iter().zip(&raw.decision).enumerate() {
                let item_voted = d
                    .question
                    .and_then(|q| p.agenda.get(q - 1))
                    .is_some_and(|a| a.votes.is_some());
                if d.votes.is_none() && !item_voted {
                    self.warn(
                        rd.span(),
                        &format!("decision[{i}].votes"),
                        "решение принято без голосования: итогов голосования нет".to_owned(),
                        "добавьте votes = { for = …, against = …, abstained = … } к решению или к его вопросу в [[agenda]]; если голосования не было, уберите votes_required из [options]",
                    );
                }
            }
        }
        for (i, item) in raw.agenda.iter().enumerate() {
            let title = &item.get_ref().title;
            if let Some(number) = leading_number(title.get_ref()) {
                self.warn(
                    title.span(),
                    &format!("agenda[{i}].title"),
                    format!("название вопроса начинается с номера «{number}»: gostdoc нумерует повестку сам, номер напечатается дважды"),
                    "уберите номер из начала текста",
                );
            }
        }
        // By question, every agenda item should have its decision.
        if course == Course::ByQuestion && p.decisions.iter().any(|d| d.question.is_some()) {
            for item in &p.agenda {
                if !p.decisions.iter().any(|d| d.question == Some(item.number))
                    && let Some(entry) = raw.agenda.get(item.number - 1)
                {
                    self.warn(
                        entry.span(),
                        &format!("agenda[{}]", item.number - 1),
                        format!("по вопросу № {} повестки нет решения: номер пропущен в полях question раздела [[decision]]", item.number),
                        "добавьте решение с question = номер вопроса или проверьте номера вопросов у решений",
                    );
                }
            }
        }
        let sections = [
            ("agenda", "повестка дня пуста", p.agenda.is_empty()),
            (
                "decision",
                "в протоколе нет ни одного решения",
                p.decisions.is_empty(),
            ),
        ];
        for (field, message, empty) in sections {
            if empty {
                self.warn_file(
                    field,
                    message.into(),
                    &format!("добавьте записи [[{field}]] или проверьте имя раздела"),
                );
            }
        }
        for (list, field) in [(&raw.heard, "heard"), (&raw.spoke, "spoke")] {
            for (i, speech) in list.iter().enumerate() {
                if let Some(at) = empty_text(speech) {
                    self.warn(
                        at,
                        &format!("{field}[{i}].text"),
                        "у выступления нет текста".into(),
                        "добавьте text = \"…\": о чём говорил выступающий",
                    );
                }
            }
        }
        if p.signatures.is_empty() {
            let message =
                "протокол некому подписать: нет ни председателя, ни секретаря, ни [[signature]]";
            let hint = "укажите chair и secretary в [meeting] или добавьте [[signature]]";
            // At [meeting], where the chair and the secretary are written.
            match &raw.meeting {
                Some(m) => self.warn(m.span(), "signature", message.into(), hint),
                None => self.warn_file("signature", message.into(), hint),
            }
        }
    }

    fn lint_act(
        &mut self,
        raw: &RawDocument,
        doc: &ActDocument,
        kind: DocKind,
        options: &super::Options,
    ) {
        let info = kind.info();
        let date = doc.act.as_ref().and_then(|a| a.date);
        self.lint_points(&raw.point, &doc.points, "point", date, info.genitive);
        if let (Some(act), Some(raw_act)) = (&doc.act, &raw.act)
            && act.is_draft()
            && info.family == Family::Act
        {
            // number = "auto" with no number yet (a `check` before the
            // first build, or a numbers file that cannot be read, said on
            // its own) is not the user's to write in.
            let auto = matches!(self.number_written, super::NumberWritten::Auto(_));
            let (blank, hint) = match (act.date, &act.number, auto) {
                (None, None, false) => (
                    "дата и номер не заполнены",
                    "после регистрации впишите date и number в раздел [act]",
                ),
                (None, None, true) => (
                    "дата не заполнена, номер ещё не присвоен",
                    "после регистрации впишите date в раздел [act]; номер (number = \"auto\") присвоит gostdoc build",
                ),
                (None, Some(_), _) => (
                    "дата не заполнена",
                    "после регистрации впишите date и number в раздел [act]",
                ),
                (Some(_), _, false) => (
                    "номер не заполнен",
                    "после регистрации впишите date и number в раздел [act]",
                ),
                (Some(_), _, true) => (
                    "номер ещё не присвоен",
                    "номер (number = \"auto\") присвоит gostdoc build",
                ),
            };
            let blank_date_line = act.date_line_text(options);
            self.warn(
                raw_act.span(),
                "act",
                format!(
                    "{blank}: {} печатается как проект, с пустыми местами («{}»)",
                    info.nominative, blank_date_line
                ),
                hint,
            );
        }
        let only_appendices = doc.act.as_ref().is_some_and(|a| a.appendices_only);
        if info.family == Family::Act && !only_appendices {
            if doc.points.is_empty() {
                self.warn_file(
                    "point",
                    format!("в {} нет ни одного пункта", info.prepositional),
                    "добавьте пункты [[point]] с полем text",
                );
            }
            if doc.signature.is_none() {
                self.warn_file(
                    "signature",
                    format!(
                        "{} некому подписать: нет [[signature]] ни в документе, ни в профиле",
                        info.nominative
                    ),
                    "добавьте [[signature]] с полями position и person",
                );
            }
        }
        for (i, (appendix, ra)) in doc.appendices.iter().zip(&raw.appendix).enumerate() {
            let ra = ra.get_ref();
            let raw_tables = ra
                .table
                .iter()
                .map(|t| (t, format!("appendix[{i}].table")))
                .chain(ra.body.iter().enumerate().filter_map(|(j, b)| {
                    b.get_ref()
                        .table
                        .as_ref()
                        .map(|t| (t, format!("appendix[{i}].body[{j}].table")))
                }));
            for (table, (raw_table, field)) in appendix.tables().zip(raw_tables) {
                if table.rows.is_empty() {
                    self.warn(
                        raw_table.span(),
                        &field,
                        "в таблице приложения нет ни одной строки".into(),
                        &format!(
                            "добавьте строки [[{}.row]] с полем cells",
                            super::raw::schema_path(&field)
                        ),
                    );
                }
            }
        }
    }

    /// Deadlines before the document's date, and numbers typed into texts.
    fn lint_points(
        &mut self,
        raw: &[Spanned<RawPoint>],
        points: &[Point],
        field: &str,
        date: Option<NaiveDate>,
        of_what: &str,
    ) {
        for (i, (entry, p)) in raw.iter().zip(points).enumerate() {
            let rp = entry.get_ref();
            // Formatted only where a warning says it: most points have none.
            let f = || format!("{field}[{i}]");
            for (deadline, span, name) in [
                (
                    &p.deadline,
                    rp.deadline.as_ref().map(|d| d.span()),
                    "deadline",
                ),
                (
                    &p.group_deadline,
                    rp.group_deadline.as_ref().map(|d| d.span()),
                    "group_deadline",
                ),
            ] {
                let (Some(deadline), Some(span)) = (deadline, span) else {
                    continue;
                };
                if let Some(last) = last_day(deadline)
                    && let Some(date) = date
                    && last < date
                {
                    self.warn(
                        span,
                        &format!("{}.{name}", f()),
                        format!(
                            "срок {} раньше даты {of_what} {}",
                            last.format("%d.%m.%Y"),
                            date.format("%d.%m.%Y")
                        ),
                        "проверьте год и месяц срока",
                    );
                }
            }
            if p.text.is_empty() && p.points.is_empty() {
                let at = rp.text.as_ref().map_or(entry.span(), Spanned::span);
                self.warn(
                    at,
                    &f(),
                    format!(
                        "пункт {} пуст: у него нет ни текста, ни подпунктов",
                        p.number
                    ),
                    "добавьте text = \"…\" или подпункты [[….point]]",
                );
            }
            if let Some(text) = &rp.text
                && let Some(number) = leading_number(text.get_ref())
            {
                self.warn(
                    text.span(),
                    &format!("{}.text", f()),
                    format!("текст пункта {} начинается с номера «{number}»: gostdoc нумерует пункты сам, номер напечатается дважды", p.number),
                    "уберите номер из начала текста",
                );
            }
            if !rp.point.is_empty() {
                let sub = format!("{}.point", f());
                self.lint_points(&rp.point, &p.points, &sub, date, of_what);
            }
        }
    }

    /// More votes than people present (the chair and the secretary
    /// counted once).
    fn warn_votes(
        &mut self,
        (yes, against, abstained): (u32, u32, u32),
        present: u32,
        span: Range<usize>,
        field: impl FnOnce() -> String,
    ) {
        // Each count is bounded by validation; u64 keeps the sum exact.
        let total = u64::from(yes) + u64::from(against) + u64::from(abstained);
        if total > u64::from(present) {
            self.warn(
                span,
                &field(),
                format!("голосов {total}, а присутствовало {present}"),
                "проверьте числа «за», «против», «воздержались» и список присутствовавших (председатель и секретарь считаются один раз, даже если названы и в списке)",
            );
        }
    }

    fn lint_votes(
        &mut self,
        raw: &[Spanned<RawPoint>],
        points: &[Point],
        field: &str,
        present: u32,
    ) {
        for (i, (rp, p)) in raw.iter().zip(points).enumerate() {
            let rp = rp.get_ref();
            // The field's path is formatted only where it is said: most
            // points have nothing to warn about.
            if let (Some(v), Some(votes)) = (p.votes, &rp.votes) {
                self.warn_votes(v, present, votes.span(), || format!("{field}[{i}].votes"));
            }
            if !rp.point.is_empty() {
                let sub = format!("{field}[{i}].point");
                self.lint_votes(&rp.point, &p.points, &sub, present);
            }
        }
    }
}

/// Where a speech has no text: at its empty `text`, or at its header
/// when it has none.
fn empty_text(speech: &Spanned<RawSpeech>) -> Option<Range<usize>> {
    match &speech.get_ref().text {
        Some(t) if t.get_ref().trim().is_empty() => Some(t.span()),
        Some(_) => None,
        None => Some(speech.span()),
    }
}

/// How many people were present, when the protocol says: the chair, the
/// secretary and everyone listed. `None` when an entry has no count
/// («Руководители образовательных учреждений»).
pub(super) fn people_present(p: &Protocol) -> Option<u32> {
    // The chair and the secretary count once, also when the list of those
    // present names them again (as most protocols do).
    let officers: Vec<&super::person::PersonName> = p
        .chair
        .iter()
        .chain(&p.secretary)
        .map(|x| &x.name)
        .collect();
    let is_officer = |person: &super::Person| {
        officers.iter().any(|o| {
            o.surname == person.name.surname
                && (o.initials.is_empty()
                    || person.name.initials.is_empty()
                    || o.initials == person.name.initials)
        })
    };
    // Saturating: many groups of bounded counts must not overflow.
    let mut n = officers.len() as u32;
    for a in &p.present {
        let more = match a {
            Attendee::Person { person, .. } => u32::from(!is_officer(person)),
            Attendee::Group {
                members, counts, ..
            } if !members.is_empty() || !counts.is_empty() => counts.iter().fold(
                members.iter().filter(|m| !is_officer(m)).count() as u32,
                |s, c| s.saturating_add(c.0),
            ),
            _ => return None,
        };
        n = n.saturating_add(more);
    }
    Some(n)
}

/// The last day a deadline allows, when it names dates.
pub(super) fn last_day(d: &Deadline) -> Option<NaiveDate> {
    match d {
        Deadline::On { date, .. } | Deadline::Before { date, .. } => Some(*date),
        Deadline::Range { to, .. } => Some(*to),
        Deadline::Months { to, year, .. } => {
            let (y, m) = if *to == 12 {
                (year + 1, 1)
            } else {
                (*year, to + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
        }
        Deadline::Several { items } => items.iter().filter_map(last_day).max(),
        _ => None,
    }
}

/// A number typed at the start of a text: «1.», «2.1.», «3)».
fn leading_number(text: &str) -> Option<&str> {
    let t = text.trim_start();
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ')'))
        .map_or(t.len(), |(i, _)| i);
    let number = &t[..end];
    let starts_with_digit = number.starts_with(|c: char| c.is_ascii_digit());
    let ends_as_number = number.ends_with('.') || number.ends_with(')');
    let followed_by_space = t[end..].starts_with(char::is_whitespace);
    (starts_with_digit && ends_as_number && followed_by_space).then_some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_numbers_are_found_and_dates_are_not() {
        assert_eq!(leading_number("1. Провести"), Some("1."));
        assert_eq!(leading_number(" 2.1. Провести"), Some("2.1."));
        assert_eq!(leading_number("3) Провести"), Some("3)"));
        assert_eq!(leading_number("01.09.2021 провести"), None);
        assert_eq!(leading_number("2021 год"), None);
        assert_eq!(leading_number("Провести 1. этап"), None);
    }

    #[test]
    fn the_last_day_of_a_month_span() {
        let d = Deadline::Months {
            from: 1,
            to: 12,
            year: 2021,
        };
        assert_eq!(last_day(&d), NaiveDate::from_ymd_opt(2021, 12, 31));
        let d = Deadline::Months {
            from: 2,
            to: 2,
            year: 2024,
        };
        assert_eq!(last_day(&d), NaiveDate::from_ymd_opt(2024, 2, 29));
    }
}
