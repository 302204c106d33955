//! Протоколы: the meeting, who was present, the agenda, the course of the
//! meeting and the decisions, validated from the raw TOML.

use super::raw::*;
use super::text::{TextBlock, parse_blocks};
use super::{Organization, Person, Point, Signature, Validator};
use chrono::NaiveDate;
use serde::Serialize;
use toml::Spanned;

/// What met, when and where.
#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    /// What met, genitive.
    pub title: String,
    /// Number.
    pub number: Option<String>,
    /// Date.
    pub date: NaiveDate,
    /// Time.
    pub time: Option<String>,
    /// Venue.
    pub venue: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Form (ВКС).
    pub format: Option<String>,
    /// The text of the QR code (ГОСТ Р 7.0.97-2025), when there is one.
    pub qr: Option<String>,
}

/// An attendee entry.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Attendee {
    /// A person.
    Person {
        /// Who.
        person: Box<Person>,
        /// Role in the meeting.
        role: Option<String>,
        /// Note in brackets.
        note: Option<String>,
    },
    /// A group with members or counts.
    Group {
        /// The group's name.
        title: String,
        /// Members.
        members: Vec<Person>,
        /// Counts.
        counts: Vec<(u32, String)>,
    },
    /// Free text.
    Text {
        /// The text.
        text: String,
    },
}

/// An agenda item.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    /// Number, 1-based.
    pub number: usize,
    /// Title.
    pub title: String,
    /// Speaker.
    pub speaker: Option<Person>,
    /// The vote on the item: for, against, abstained.
    pub votes: Option<(u32, u32, u32)>,
}

/// A speech.
#[derive(Debug, Clone, Serialize)]
pub struct Speech {
    /// Agenda item, 1-based.
    pub question: Option<usize>,
    /// Who.
    pub speaker: Person,
    /// Role here.
    pub role: Option<String>,
    /// What was said.
    pub text: Vec<TextBlock>,
}

/// A protocol.
#[derive(Debug, Clone, Serialize)]
pub struct Protocol {
    /// Meeting.
    pub meeting: Meeting,
    /// Chair.
    pub chair: Option<Person>,
    /// Secretary.
    pub secretary: Option<Person>,
    /// Present.
    pub present: Vec<Attendee>,
    /// Absent; `Some(empty)` prints the heading with nothing after it.
    pub absent: Option<Vec<Attendee>>,
    /// Invited.
    pub invited: Vec<Attendee>,
    /// Agenda.
    pub agenda: Vec<AgendaItem>,
    /// СЛУШАЛИ.
    pub heard: Vec<Speech>,
    /// ВЫСТУПИЛИ.
    pub spoke: Vec<Speech>,
    /// РЕШИЛИ.
    pub decisions: Vec<Point>,
    /// Signatures.
    pub signatures: Vec<Signature>,
    /// How many were present: written (`present_count`) or counted from
    /// the list; `None` when the list has entries that cannot be counted.
    pub present_count: Option<u32>,
    /// `present_count` was written: the protocol prints the number.
    pub present_count_written: bool,
    /// How many were absent, when written (`absent_count`).
    pub absent_count: Option<u32>,
    /// The list of those present is long and printed as the first
    /// appendix; the protocol prints the count with «(список прилагается)».
    pub present_in_appendix: bool,
    /// Appendices: the attendance list when moved, then the user's.
    pub appendices: Vec<super::Appendix>,
}

impl Validator {
    pub(super) fn protocol(
        &mut self,
        raw: &mut RawDocument,
        org: &Organization,
        options: &super::Options,
    ) -> Protocol {
        let meeting = match raw.meeting.as_ref().map(Spanned::get_ref) {
            Some(m) => {
                let date = self.date(&m.date, "meeting.date").unwrap_or_default();
                self.signed_on = Some(date);
                let number = self.number(m.number.as_ref());
                let registration =
                    super::registration_text("протокол", number.as_deref(), Some(date), &org.name);
                Meeting {
                    title: m.title.clone(),
                    qr: self.qr(m.qr.as_ref(), "meeting.qr", options.edition, || {
                        registration
                    }),
                    number,
                    date,
                    time: m.time.clone(),
                    venue: m.venue.clone(),
                    city: m.city.clone().or_else(|| org.city.clone()),
                    format: m.format.clone(),
                }
            }
            None => {
                self.diagnostics.push(
                    self.source
                        .diagnostic(
                            &self.file,
                            0..0,
                            "не заполнен раздел [meeting]: что заседало, дата, время, место",
                        )
                        .with_field("meeting")
                        .with_hint("добавьте раздел [meeting] с полями title и date"),
                );
                Meeting {
                    title: String::new(),
                    number: None,
                    date: NaiveDate::default(),
                    time: None,
                    venue: None,
                    city: None,
                    format: None,
                    qr: None,
                }
            }
        };
        let meeting_raw = raw.meeting.as_ref().map(Spanned::get_ref);
        let chair = meeting_raw
            .and_then(|m| m.chair.as_ref())
            .and_then(|c| self.person_ref(c, "meeting.chair"));
        let secretary = meeting_raw
            .and_then(|m| m.secretary.as_ref())
            .and_then(|c| self.person_ref(c, "meeting.secretary"));
        let present = self.attendees(&raw.present, "present");
        let absent = raw.absent.as_ref().map(|a| self.attendees(a, "absent"));
        let invited = self.attendees(&raw.invited, "invited");
        let agenda: Vec<AgendaItem> = raw
            .agenda
            .iter()
            .enumerate()
            .map(|(i, a)| AgendaItem {
                number: i + 1,
                title: a.get_ref().title.get_ref().clone(),
                speaker: a
                    .get_ref()
                    .speaker
                    .as_ref()
                    .and_then(|s| self.person_ref(s, &format!("agenda[{i}].speaker"))),
                votes: a
                    .get_ref()
                    .votes
                    .as_ref()
                    .map(|v| self.votes(v, &format!("agenda[{i}].votes"))),
            })
            .collect();
        let heard = self.speeches(&raw.heard, "heard", agenda.len());
        let spoke = self.speeches(&raw.spoke, "spoke", agenda.len());
        let mut decisions = self.points(&raw.decision, "", "decision", agenda.len());
        if options.course == super::options::Course::ByQuestion {
            number_within_questions(&mut decisions);
        }
        let mut signatures: Vec<Signature> = raw
            .signature
            .iter()
            .enumerate()
            .filter_map(|(i, s)| self.signature(s, &format!("signature[{i}]")))
            .collect();
        if raw.signature.is_empty() {
            // House default: the chair and the secretary sign (LAYOUT.md §5).
            if let Some(c) = &chair {
                signatures.push(Signature {
                    position: vec!["Председатель".into()],
                    person: c.clone(),
                    electronic: None,
                });
            }
            if let Some(s) = &secretary {
                signatures.push(Signature {
                    position: vec!["Секретарь".into()],
                    person: s.clone(),
                    electronic: None,
                });
            }
        }
        let mut protocol = Protocol {
            meeting,
            chair,
            secretary,
            present,
            absent,
            invited,
            agenda,
            heard,
            spoke,
            decisions,
            signatures,
            present_count: None,
            present_count_written: false,
            absent_count: meeting_raw
                .and_then(|m| m.absent_count.as_ref())
                .map(|c| *c.get_ref()),
            present_in_appendix: false,
            appendices: Vec::new(),
        };
        if options.alphabetical {
            for list in [
                Some(&mut protocol.present),
                protocol.absent.as_mut(),
                Some(&mut protocol.invited),
            ]
            .into_iter()
            .flatten()
            {
                alphabetical(list);
            }
        }
        let written = meeting_raw.and_then(|m| m.present_count.as_ref());
        let listed = super::lint::people_present(&protocol);
        protocol.present_count = written.map(|c| *c.get_ref()).or(listed);
        protocol.present_count_written = written.is_some();
        // Names take the room, not counts («15 директоров»): the list moves
        // to an appendix when it names more people than the threshold.
        let names: usize = protocol
            .present
            .iter()
            .map(|a| match a {
                Attendee::Person { .. } => 1,
                Attendee::Group { members, .. } => members.len(),
                Attendee::Text { .. } => 0,
            })
            .sum();
        protocol.present_in_appendix =
            options.present_threshold > 0 && names > options.present_threshold as usize;
        let reference = super::act::Reference::for_protocol(&protocol.meeting);
        let mut appendices = Vec::new();
        if protocol.present_in_appendix {
            appendices.push(super::act::attendance_list(&protocol, &reference));
        }
        let first = appendices.len();
        let user = self.appendix_list(
            &mut raw.appendix,
            super::DocKind::Protocol,
            Some(&reference),
            options,
            first,
        );
        appendices.extend(user);
        protocol.appendices = appendices;
        protocol
    }

    pub(super) fn attendees(
        &mut self,
        list: &[Spanned<RawAttendee>],
        field: &str,
    ) -> Vec<Attendee> {
        let mut out = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let a = entry.get_ref();
            let f = format!("{field}[{i}]");
            let kinds = [a.name.is_some(), a.group.is_some(), a.text.is_some()]
                .iter()
                .filter(|b| **b)
                .count();
            if kinds != 1 {
                self.error(entry.span(), &f, "запись должна содержать ровно одно из полей: name (человек), group (группа) или text (текст)".into(), None);
                continue;
            }
            if let Some(name) = &a.name {
                let Some(mut person) =
                    self.person_named(name.get_ref(), name.span(), &format!("{f}.name"))
                else {
                    continue;
                };
                if a.position.is_some() {
                    person.position = a.position.clone();
                }
                out.push(Attendee::Person {
                    person: Box::new(person),
                    role: a.role.clone(),
                    note: a.note.clone(),
                });
            } else if let Some(group) = &a.group {
                let members = a
                    .members
                    .iter()
                    .enumerate()
                    .filter_map(|(j, m)| self.person_ref(m, &format!("{f}.members[{j}]")))
                    .collect();
                let counts = a
                    .counts
                    .iter()
                    .enumerate()
                    .map(|(j, c)| {
                        let n = *c.count.get_ref();
                        (
                            self.count(
                                n,
                                c.count.span(),
                                || format!("{f}.counts[{j}].count"),
                                "участников",
                            ),
                            c.who.clone(),
                        )
                    })
                    .collect();
                out.push(Attendee::Group {
                    title: group.clone(),
                    members,
                    counts,
                });
            } else if let Some(text) = &a.text {
                out.push(Attendee::Text { text: text.clone() });
            }
        }
        out
    }

    pub(super) fn question(
        &mut self,
        q: &Option<Spanned<i64>>,
        field: &str,
        agenda_len: usize,
    ) -> Option<usize> {
        let q = q.as_ref()?;
        let n = *q.get_ref();
        if n < 1 || n as usize > agenda_len {
            let hint = match agenda_len {
                0 => "повестки нет: добавьте вопросы разделами [[agenda]] с title = \"…\" или уберите question".to_owned(),
                1 => "в повестке один вопрос: question = 1".to_owned(),
                _ => format!("номер вопроса — от 1 до {agenda_len}, по порядку [[agenda]]"),
            };
            self.error(
                q.span(),
                field,
                format!("в повестке нет вопроса № {n}"),
                Some(&hint),
            );
            return None;
        }
        Some(n as usize)
    }

    pub(super) fn speeches(
        &mut self,
        list: &[Spanned<RawSpeech>],
        field: &str,
        agenda_len: usize,
    ) -> Vec<Speech> {
        list.iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let s = s.get_ref();
                let f = format!("{field}[{i}]");
                let question = self.question(&s.question, &format!("{f}.question"), agenda_len);
                let speaker = self.person_ref(&s.speaker, &format!("{f}.speaker"))?;
                Some(Speech {
                    question,
                    speaker,
                    role: s.role.clone(),
                    text: s
                        .text
                        .as_ref()
                        .map(|t| parse_blocks(t.get_ref()))
                        .unwrap_or_default(),
                })
            })
            .collect()
    }
}

/// People in alphabetical order of surname, then initials (ё as е, as
/// Russian lists sort); groups and lines of text keep their order after
/// them.
fn alphabetical(list: &mut [Attendee]) {
    let key = |a: &Attendee| match a {
        Attendee::Person { person, .. } => (
            0,
            format!("{} {}", person.name.surname, person.name.initials)
                .to_lowercase()
                .replace('ё', "е"),
        ),
        _ => (1, String::new()),
    };
    list.sort_by_key(key);
}

/// By question, a decision tied to an agenda item is numbered within it,
/// as the protocol prints it: the second decision on item 1 is «1.2.»,
/// its sub-points «1.2.1.», whatever its place among all the decisions.
/// The register of assignments, the control marks and the extracts then
/// name the points as the paper does. Decisions tied to no item keep
/// their place in the list.
fn number_within_questions(decisions: &mut [super::Point]) {
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for d in decisions {
        if let Some(q) = d.question {
            let k = counts.entry(q).or_default();
            *k += 1;
            set_number(d, format!("{q}.{k}."));
        }
    }
}

/// Numbers a point and, below it, its sub-points.
fn set_number(point: &mut super::Point, number: String) {
    for (i, sub) in point.points.iter_mut().enumerate() {
        set_number(sub, format!("{number}{}.", i + 1));
    }
    point.number = number;
}
