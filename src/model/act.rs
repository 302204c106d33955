//! Acts (постановления, распоряжения, приказы, решения) and approved
//! documents (plans, положения): the act's requisites, its points and
//! signature, and its appendices with their grifs and bodies.

use super::date::{self, Deadline};
use super::kind::{DocKind, Family};
use super::raw::*;
use super::table::Table;
use super::text::{TextBlock, parse_blocks};
use super::{Options, Organization, Person, Point, Signature, Validator};
use crate::document::Orientation;
use chrono::NaiveDate;
use serde::Serialize;
use toml::Spanned;

/// The act's requisites.
#[derive(Debug, Clone, Serialize)]
pub struct Act {
    /// The kind word: «ПОСТАНОВЛЕНИЕ».
    pub word: String,
    /// Date; `None` in a draft.
    pub date: Option<NaiveDate>,
    /// Number; `None` in a draft.
    pub number: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Title, line by line as written.
    pub title: Vec<String>,
    /// Preamble paragraphs.
    pub preamble: Vec<TextBlock>,
    /// The enacting formula («постановляет:»); empty for none.
    pub enacting: String,
    /// Only the appendices print (an appendix published on its own).
    pub appendices_only: bool,
    /// The text of the QR code (ГОСТ Р 7.0.97-2025), when there is one.
    pub qr: Option<String>,
}

/// Blanks for a date not yet known: «от ____________ № ______».
const BLANK_DATE: &str = "____________";
const BLANK_NUMBER: &str = "______";
/// «« ___ » ____________ 20__ г.», for a date to be written by hand.
pub(crate) const BLANK_QUOTED_DATE: &str = "«\u{a0}___\u{a0}»\u{a0}____________ 20__\u{a0}г.";

impl Act {
    /// A draft: the date or the number is left blank.
    pub fn is_draft(&self) -> bool {
        self.date.is_none() || self.number.is_none()
    }

    /// The date as the date line prints it, or blanks in a draft.
    pub fn printed_date(&self, o: &Options) -> String {
        match self.date {
            Some(d) => date::format(d, o.date_style, o.year_word),
            None if o.date_style == date::DateStyle::Quoted => BLANK_QUOTED_DATE.into(),
            None => BLANK_DATE.into(),
        }
    }

    /// The number, or blanks in a draft.
    pub fn printed_number(&self) -> String {
        self.number.clone().unwrap_or_else(|| BLANK_NUMBER.into())
    }

    /// The date line as one text, for messages: «от ____________ № ______».
    pub fn date_line_text(&self, o: &Options) -> String {
        let (date, number) = (self.printed_date(o), self.printed_number());
        match o.date_line {
            super::DateLine::From => format!("от {date} №\u{a0}{number}"),
            super::DateLine::Plain | super::DateLine::Split => {
                format!("{date} №\u{a0}{number}")
            }
        }
    }
}

/// «СОГЛАСОВАНО» or «УТВЕРЖДАЮ»: a position, a person and a date.
#[derive(Debug, Clone, Serialize)]
pub struct Endorsement {
    /// Position lines.
    pub position: Vec<String>,
    /// Who.
    pub person: Person,
    /// The date; blank lines print when absent.
    pub date: Option<NaiveDate>,
}

/// The grif at the top right of an appendix or an approved document.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Grif {
    /// No grif.
    None,
    /// Lines built from the act or written by the user: «Приложение № 1 /
    /// к постановлению … / от … № …», «УТВЕРЖДЕН / постановлением …».
    Lines {
        /// The lines.
        lines: Vec<String>,
        /// The user broke them (`label`, or an issuer written on several
        /// lines): a line wider than the box is a warning. Lines gostdoc
        /// composed wrap quietly.
        as_written: bool,
    },
    /// «УТВЕРЖДАЮ / должность / ______ И.О. Фамилия / дата».
    Approve {
        /// Who approves.
        by: Endorsement,
    },
}

/// A block of an appendix's body.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    /// A heading, bold and centred.
    Heading {
        /// Its text.
        text: String,
    },
    /// Paragraphs and bulleted lists.
    Text {
        /// The blocks.
        blocks: Vec<TextBlock>,
    },
    /// A list.
    List {
        /// Numbered «1.» or bulleted «–».
        numbered: bool,
        /// Items.
        items: Vec<String>,
    },
    /// A table.
    Table {
        /// The table.
        table: Table,
    },
    /// A signature row.
    Signature {
        /// The signature.
        signature: Signature,
    },
}

/// An appendix, or a page of an approved document.
#[derive(Debug, Clone, Serialize)]
pub struct Appendix {
    /// Number, 1-based.
    pub number: usize,
    /// The grif.
    pub grif: Grif,
    /// Title, line by line as written.
    pub title: Vec<String>,
    /// Orientation.
    pub orientation: Orientation,
    /// The body in order.
    pub body: Vec<Block>,
    /// «СОГЛАСОВАНО» blocks at its end.
    pub agreed: Vec<Endorsement>,
}

impl Appendix {
    /// The tables of the body.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.body.iter().filter_map(|b| match b {
            Block::Table { table } => Some(table),
            _ => None,
        })
    }
}

/// An act or an approved document.
#[derive(Debug, Clone, Serialize)]
pub struct ActDocument {
    /// The act's requisites; for an approved document, the act it is
    /// approved by or attached to, if any ([basis]).
    pub act: Option<Act>,
    /// Points.
    pub points: Vec<Point>,
    /// Signature.
    pub signature: Option<Signature>,
    /// «СОГЛАСОВАНО» blocks after the signature.
    pub agreed: Vec<Endorsement>,
    /// Appendices, or the pages of an approved document.
    pub appendices: Vec<Appendix>,
}

/// The act (or protocol) an appendix or an approved document refers to
/// in its grif.
pub(super) struct Reference {
    kind: DocKind,
    issuer: String,
    date: Option<NaiveDate>,
    number: Option<String>,
}

impl Reference {
    /// «к протоколу заседания педагогического совета от 05.11.2024 № 3».
    pub(super) fn for_protocol(meeting: &super::Meeting) -> Reference {
        Reference {
            kind: DocKind::Protocol,
            issuer: meeting.title.clone(),
            date: Some(meeting.date),
            number: meeting.number.clone(),
        }
    }

    /// «от 10.02.2021 № 227», or blanks in a draft.
    fn date_line(&self) -> String {
        // A protocol may have no number: its date alone, no blanks.
        if self.kind == DocKind::Protocol && self.number.is_none() {
            return format!("от {}", self.date.map(date::numeric).unwrap_or_default());
        }
        format!(
            "от {} №\u{a0}{}",
            self.date
                .map(date::numeric)
                .unwrap_or_else(|| "____________".into()),
            self.number.as_deref().unwrap_or("______")
        )
    }
}

impl Validator {
    pub(super) fn act_document(
        &mut self,
        raw: &mut RawDocument,
        profile: &RawProfile,
        org: &Organization,
        (options, labels): (&Options, &super::Labels),
        kind: DocKind,
    ) -> ActDocument {
        let info = kind.info();
        let act = match (&raw.act, info.family) {
            (Some(a), _) => {
                let mut act = self.act(a.get_ref(), org, labels, kind);
                self.signed_on = act.date;
                let registration =
                    super::registration_text(&act.word, act.number.as_deref(), act.date, &org.name);
                act.qr = self.qr(a.get_ref().qr.as_ref(), "act.qr", options.edition, || {
                    registration
                });
                if act.qr.is_some() && act.appendices_only {
                    // The code belongs on the act's first page, which is not printed.
                    self.qr_not_printed(a.get_ref().qr.as_ref(), "act.qr");
                }
                Some(act)
            }
            (None, Family::Act) => {
                self.diagnostics.push(
                    self.source
                        .diagnostic(
                            &self.file,
                            0..0,
                            format!(
                                "не заполнен раздел [act]: дата, номер и заголовок {}",
                                info.genitive
                            ),
                        )
                        .with_field("act")
                        .with_hint("добавьте раздел [act] с полями date, number и title"),
                );
                None
            }
            (None, _) => None,
        };
        let points = self.points(&raw.point, "", "point", 0);
        let signature = match info.family {
            Family::Act => match (raw.signature.first(), profile.signature.as_ref()) {
                (Some(s), _) => self.signature(s, "signature"),
                // The profile's own: its lines are the profile's.
                (None, Some(s)) => self.in_profile(|v| v.signature(s, "signature")),
                (None, None) => None,
            },
            _ => None,
        };
        let agreed = self.endorsements(&raw.agreed, "agreed");
        let reference = self.reference(raw, org, kind, act.as_ref());
        self.act_date = reference.as_ref().and_then(|r| r.date);
        let appendices =
            self.appendix_list(&mut raw.appendix, kind, reference.as_ref(), options, 0);
        if act.as_ref().is_some_and(|a| a.appendices_only) && appendices.is_empty() {
            self.error(
                0..0,
                "act.appendices_only",
                "appendices_only = true, а приложений нет: печатать нечего".into(),
                Some("добавьте раздел [[appendix]] или уберите appendices_only"),
            );
        }
        if info.family == Family::Approved && appendices.is_empty() {
            self.diagnostics.push(
                self.source.diagnostic(&self.file, 0..0, "в документе нет ни одной страницы [[appendix]]")
                    .with_field("appendix")
                    .with_hint("утверждаемый документ пишется разделами [[appendix]]: гриф, заголовок, текст и таблицы"),
            );
        }
        ActDocument {
            act,
            points,
            signature,
            agreed,
            appendices,
        }
    }

    fn act(
        &mut self,
        a: &RawAct,
        org: &Organization,
        labels: &super::Labels,
        kind: DocKind,
    ) -> Act {
        let info = kind.info();
        Act {
            // `[act] kind`, else `[labels] kind`, whose default is the
            // kind's own word.
            word: a.kind.clone().unwrap_or_else(|| labels.kind.clone()),
            date: a.date.as_ref().and_then(|d| self.date(d, "act.date")),
            number: self.number(a.number.as_ref()),
            city: a.city.clone().or_else(|| org.city.clone()),
            title: title_lines(a.title.get_ref()),
            preamble: a.preamble.as_deref().map(parse_blocks).unwrap_or_default(),
            enacting: a.enacting.clone().unwrap_or_else(|| info.enacting.into()),
            appendices_only: a.appendices_only,
            qr: None,
        }
    }

    /// What grifs refer to: the act itself, or an approved document's
    /// `[basis]`.
    fn reference(
        &mut self,
        raw: &RawDocument,
        org: &Organization,
        kind: DocKind,
        act: Option<&Act>,
    ) -> Option<Reference> {
        let default_issuer = || {
            org.issuer_genitive
                .clone()
                .unwrap_or_else(|| "администрации".into())
        };
        if let Some(b) = &raw.basis {
            let basis = b.get_ref();
            let kind = match DocKind::from_name(basis.kind.get_ref()) {
                Some(k) if k.info().family == Family::Act => k,
                _ => {
                    self.error(
                        basis.kind.span(),
                        "basis.kind",
                        format!("«{}» — не вид акта", basis.kind.get_ref()),
                        Some("пишите kind = \"постановление\", \"распоряжение\", \"приказ\" или \"решение\""),
                    );
                    DocKind::Postanovlenie
                }
            };
            return Some(Reference {
                kind,
                issuer: basis.issuer.clone().unwrap_or_else(default_issuer),
                date: basis.date.as_ref().and_then(|d| self.date(d, "basis.date")),
                number: basis.number.clone(),
            });
        }
        let act = act?;
        (kind.info().family == Family::Act).then(|| Reference {
            kind,
            issuer: default_issuer(),
            date: act.date,
            number: act.number.clone(),
        })
    }

    /// The user's appendices, numbered after `before` built ones.
    pub(super) fn appendix_list(
        &mut self,
        raw: &mut [Spanned<RawAppendix>],
        kind: DocKind,
        reference: Option<&Reference>,
        options: &Options,
        before: usize,
    ) -> Vec<Appendix> {
        let single = raw.len() + before == 1 && !options.number_single_appendix;
        raw.iter_mut()
            .enumerate()
            .map(|(i, a)| self.appendix(a, i, before, kind, reference, single))
            .collect()
    }

    fn appendix(
        &mut self,
        entry: &mut Spanned<RawAppendix>,
        i: usize,
        before: usize,
        kind: DocKind,
        reference: Option<&Reference>,
        single: bool,
    ) -> Appendix {
        let entry_span = entry.span();
        let a = entry.get_mut();
        let f = format!("appendix[{i}]");
        let orientation = self.choice(
            &a.orientation,
            &format!("{f}.orientation"),
            &[
                ("portrait", Orientation::Portrait),
                ("landscape", Orientation::Landscape),
            ],
            Orientation::Portrait,
        );
        let number = match &a.number {
            Some(n) if (1..=999).contains(n.get_ref()) => *n.get_ref() as usize,
            Some(n) => {
                self.error(
                    n.span(),
                    &format!("{f}.number"),
                    format!("номер приложения {} вне пределов 1–999", n.get_ref()),
                    None,
                );
                before + i + 1
            }
            None => before + i + 1,
        };
        let approved_form = a
            .approved
            .clone()
            .unwrap_or_else(|| approved_word(a.title.as_deref().unwrap_or_default()).to_owned());
        let default_grif = match kind.info().family {
            Family::Approved if a.approver.is_some() => "approve",
            Family::Approved if reference.is_some() => "approved",
            Family::Approved => "none",
            _ => "appendix",
        };
        let grif_name = a
            .grif
            .as_ref()
            .map(|g| g.get_ref().as_str())
            .unwrap_or(default_grif);
        let grif = if let Some(lines) = &a.label {
            Grif::Lines {
                lines: lines.0.clone(),
                as_written: true,
            }
        } else {
            match grif_name {
                "appendix" | "approved" => match reference {
                    Some(r) => {
                        let first = if grif_name == "approved" {
                            approved_form
                        } else if single {
                            "Приложение".to_owned()
                        } else {
                            format!("Приложение №\u{a0}{number}")
                        };
                        let info = r.kind.info();
                        let to = if grif_name == "approved" {
                            info.instrumental.to_owned()
                        } else {
                            info.dative.to_owned()
                        };
                        // The issuer breaks where the user broke it
                        // («к приказу МБОУ\n«Средняя школа № 3»»): a grif
                        // line is never wrapped for the user.
                        let mut lines = vec![first];
                        lines.extend(
                            format!("{to} {}", r.issuer)
                                .lines()
                                .map(str::trim)
                                .filter(|l| !l.is_empty())
                                .map(str::to_owned),
                        );
                        lines.push(r.date_line());
                        Grif::Lines {
                            lines,
                            as_written: r.issuer.contains('\n'),
                        }
                    }
                    None => {
                        self.error(
                            a.grif.as_ref().map(|g| g.span()).unwrap_or(entry_span.clone()),
                            &format!("{f}.grif"),
                            "гриф ссылается на акт, а акт не указан".into(),
                            Some("добавьте раздел [basis] с видом, датой и номером акта (kind, date, number) или напишите строки грифа сами: label = [\"…\", \"…\"]"),
                        );
                        Grif::None
                    }
                },
                "approve" => match &a.approver {
                    Some(ap) => {
                        let by = self.endorsement(
                            &ap.position,
                            &ap.person,
                            &ap.date,
                            &format!("{f}.approver"),
                        );
                        by.map(|by| Grif::Approve { by }).unwrap_or(Grif::None)
                    }
                    None => {
                        self.error(
                            a.grif.as_ref().map(|g| g.span()).unwrap_or(entry_span.clone()),
                            &format!("{f}.approver"),
                            "для грифа «УТВЕРЖДАЮ» не указано, кто утверждает".into(),
                            Some("добавьте approver = { position = \"Директор\", person = \"Иванов И.И.\" }"),
                        );
                        Grif::None
                    }
                },
                "none" => Grif::None,
                other => {
                    let names = ["appendix", "approved", "approve", "none"];
                    let hint = match super::errors::suggest(other, &names) {
                        Some(s) => format!("возможно, имелось в виду «{s}»"),
                        None => "допустимые значения: appendix (приложение), approved (УТВЕРЖДЕН …), approve (УТВЕРЖДАЮ), none".into(),
                    };
                    let span = a
                        .grif
                        .as_ref()
                        .map(|g| g.span())
                        .unwrap_or(entry_span.clone());
                    self.error(
                        span,
                        &format!("{f}.grif"),
                        format!("недопустимое значение «{other}»"),
                        Some(&hint),
                    );
                    Grif::None
                }
            }
        };
        let mut body = Vec::new();
        if let Some(text) = &a.text {
            body.push(Block::Text {
                blocks: parse_blocks(text.get_ref()),
            });
        }
        if let Some(t) = &mut a.table {
            body.push(Block::Table {
                table: self.table(t, &format!("{f}.table"), orientation),
            });
        }
        for (j, b) in a.body.iter_mut().enumerate() {
            if let Some(block) = self.block(b, &format!("{f}.body[{j}]"), orientation) {
                body.push(block);
            }
        }
        Appendix {
            number,
            grif,
            title: a.title.as_deref().map(title_lines).unwrap_or_default(),
            orientation,
            body,
            agreed: self.endorsements(&a.agreed, &format!("{f}.agreed")),
        }
    }

    fn block(
        &mut self,
        entry: &mut Spanned<RawBlock>,
        field: &str,
        orientation: Orientation,
    ) -> Option<Block> {
        let entry_span = entry.span();
        let b = entry.get_mut();
        let given = [
            b.heading.is_some(),
            b.text.is_some(),
            b.items.is_some(),
            b.table.is_some(),
            b.signature.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if given != 1 {
            self.error(
                entry_span.clone(),
                field,
                "часть приложения должна содержать ровно одно из полей: heading (заголовок), text (текст), items (список), table (таблица) или signature (подпись)".into(),
                Some("каждую часть пишите отдельным разделом [[appendix.body]]"),
            );
            return None;
        }
        if b.numbered.is_some() && b.items.is_none() {
            self.error(
                entry_span.clone(),
                &format!("{field}.numbered"),
                "numbered относится только к списку (items)".into(),
                Some("уберите numbered или добавьте items = [\"…\", \"…\"]"),
            );
        }
        if let Some(h) = &b.heading {
            return Some(Block::Heading { text: h.clone() });
        }
        if let Some(t) = &b.text {
            return Some(Block::Text {
                blocks: parse_blocks(t),
            });
        }
        if let Some(items) = &b.items {
            return Some(Block::List {
                numbered: b.numbered.unwrap_or(true),
                items: items.clone(),
            });
        }
        if let Some(t) = &mut b.table {
            return Some(Block::Table {
                table: self.table(t, &format!("{field}.table"), orientation),
            });
        }
        let s = b.signature.as_ref()?;
        self.signature(s, &format!("{field}.signature"))
            .map(|signature| Block::Signature { signature })
    }

    fn endorsements(&mut self, list: &[Spanned<RawAgreed>], field: &str) -> Vec<Endorsement> {
        list.iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let e = e.get_ref();
                self.endorsement(&e.position, &e.person, &e.date, &format!("{field}[{i}]"))
            })
            .collect()
    }

    fn endorsement(
        &mut self,
        position: &Option<Lines>,
        person: &Spanned<RawPersonRef>,
        date: &Option<Spanned<RawDate>>,
        field: &str,
    ) -> Option<Endorsement> {
        let person = self.person_ref(person, &format!("{field}.person"))?;
        let position = match position {
            Some(l) => l.0.clone(),
            None => person
                .position
                .clone()
                .map(|p| vec![super::capitalize(&p)])
                .unwrap_or_default(),
        };
        let date = date
            .as_ref()
            .and_then(|d| self.date(d, &format!("{field}.date")));
        Some(Endorsement {
            position,
            person,
            date,
        })
    }
}

/// The attendance list of a protocol with many present (LAYOUT.md §5):
/// «Приложение № 1 к протоколу … / Список присутствующих», one numbered
/// line per person, «Фамилия И.О., должность».
pub(super) fn attendance_list(p: &super::Protocol, reference: &Reference) -> Appendix {
    let mut items = Vec::new();
    let line = |person: &Person| match &person.position {
        Some(pos) => format!("{}, {pos}", person.name.surname_first()),
        None => person.name.surname_first(),
    };
    for a in &p.present {
        match a {
            super::Attendee::Person { person, .. } => items.push(line(person)),
            super::Attendee::Group {
                title,
                members,
                counts,
            } => {
                items.extend(members.iter().map(|m| format!("{}, {title}", line(m))));
                items.extend(counts.iter().map(|(n, who)| format!("{title}: {n} {who}")));
            }
            super::Attendee::Text { text } => items.push(text.clone()),
        }
    }
    let info = reference.kind.info();
    Appendix {
        number: 1,
        grif: Grif::Lines {
            lines: vec![
                "Приложение №\u{a0}1".to_owned(),
                format!("{} {}", info.dative, reference.issuer),
                reference.date_line(),
            ],
            as_written: false,
        },
        title: vec!["Список присутствующих".to_owned()],
        orientation: Orientation::Portrait,
        body: vec![Block::List {
            numbered: true,
            items,
        }],
        agreed: Vec::new(),
    }
}

/// A title as the user broke it: each line trimmed, empty lines dropped.
fn title_lines(title: &str) -> Vec<String> {
    title
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// «УТВЕРЖДЕН», «УТВЕРЖДЕНА», «УТВЕРЖДЕНО» or «УТВЕРЖДЕНЫ», agreeing with
/// the title's first word: a noun («План», «Программа», «Положение»,
/// «Правила») or an adjective, which agrees with its noun
/// («Муниципальная программа», «Методические рекомендации»).
fn approved_word(title: &str) -> &'static str {
    let first: String = title
        .trim_start_matches(|c: char| !c.is_alphabetic())
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let w = first.as_str();
    /// Plural nouns that end like singular ones.
    const PLURAL: &[&str] = &[
        "правила",
        "изменения",
        "требования",
        "сведения",
        "мероприятия",
        "положения",
        "условия",
        "дополнения",
        "направления",
    ];
    // «-ие» ends plural adjectives («методические», «общие») and neuter
    // nouns («положение», «развитие»); the nouns have these before it.
    let neuter_noun = ["ние", "тие", "вие", "дие", "лие", "рие", "сие"]
        .iter()
        .any(|e| w.ends_with(e));
    if PLURAL.contains(&w)
        || w.ends_with("ые")
        || (w.ends_with("ие") && !neuter_noun)
        || w.ends_with('ы')
        || w.ends_with("ии")
    {
        "УТВЕРЖДЕНЫ"
    } else if w.ends_with('а') || w.ends_with('я') || w.ends_with("ость") {
        "УТВЕРЖДЕНА"
    } else if w.ends_with('е') || w.ends_with('о') {
        "УТВЕРЖДЕНО"
    } else {
        "УТВЕРЖДЕН"
    }
}

/// Every deadline an act or approved document gives: its points' and its
/// deadline columns', for the checks.
pub fn table_deadlines(doc: &ActDocument) -> impl Iterator<Item = &Deadline> {
    doc.appendices
        .iter()
        .flat_map(|a| a.tables())
        .flat_map(|t| &t.rows)
        .flat_map(|r| match r {
            super::table::TableRow::Cells { cells, .. } => cells.as_slice(),
            super::table::TableRow::Section { .. } => &[],
        })
        .flat_map(|c| &c.deadlines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approved_agrees_with_the_title() {
        assert_eq!(approved_word("План мероприятий"), "УТВЕРЖДЕН");
        assert_eq!(approved_word("«Дорожная карта»"), "УТВЕРЖДЕНА");
        assert_eq!(approved_word("Программа развития"), "УТВЕРЖДЕНА");
        assert_eq!(approved_word("Положение о конкурсе"), "УТВЕРЖДЕНО");
        assert_eq!(approved_word("Правила приёма"), "УТВЕРЖДЕНЫ");
        assert_eq!(approved_word("Состав комиссии"), "УТВЕРЖДЕН");
        assert_eq!(approved_word("Методические рекомендации"), "УТВЕРЖДЕНЫ");
        assert_eq!(approved_word("Основные направления развития"), "УТВЕРЖДЕНЫ");
        assert_eq!(approved_word("Сведения о численности"), "УТВЕРЖДЕНЫ");
        assert_eq!(approved_word("Рекомендации по заполнению"), "УТВЕРЖДЕНЫ");
        assert_eq!(approved_word("Единый календарный план"), "УТВЕРЖДЕН");
        assert_eq!(approved_word("Муниципальная программа"), "УТВЕРЖДЕНА");
        assert_eq!(approved_word("Должностная инструкция"), "УТВЕРЖДЕНА");
        assert_eq!(approved_word("Перечень мероприятий"), "УТВЕРЖДЕН");
        assert_eq!(approved_word("Порядок предоставления"), "УТВЕРЖДЕН");
    }

    #[test]
    fn title_keeps_the_users_line_breaks() {
        assert_eq!(
            title_lines("Об утверждении плана\n  мероприятий\n"),
            ["Об утверждении плана", "мероприятий"]
        );
    }
}
