//! The view a template sees: the validated model with every name and date
//! already in the forms a document prints, and point trees flattened with
//! their numbers, so that templates stay simple loops.
//!
//! Templates never see raw TOML (zola's `SerializingPage`). Text fields are
//! plain strings here; Tera escapes them when the template prints them.
//!
//! Filters get what they print from here, never from template values a
//! template could forge: a deadline comes with its printed text, and a
//! person with a handle (`id`) into the view's [`People`], typed model data
//! kept on the Rust side, which the `name` and `position` filters decline
//! ([`crate::filters`]). Declining on demand keeps the view as cheap as
//! the cases a template uses.

use crate::model::date::{self, DateStyle, Deadline};
use crate::model::kind::EnactingForm;
use crate::model::person::{Gender, NBSP, PersonName};
use crate::model::text::TextBlock;
use crate::model::*;
use crate::russian::{Case, names, positions};
use serde::Serialize;
use std::cell::RefCell;
use std::sync::{Arc, Mutex};

/// The whole template context.
#[derive(Debug, Serialize)]
pub struct View {
    /// The kind's key (`protocol`, `resolution`, `prikaz`, …): its
    /// template is `{kind}.xml`.
    pub kind: &'static str,
    /// Document properties.
    pub meta: MetaView,
    /// The organisation.
    pub org: Organization,
    /// Options, as strings (`options.course == "together"`).
    pub options: Options,
    /// Heading words.
    pub labels: Labels,
    /// Protocol content, when a protocol.
    pub protocol: Option<ProtocolView>,
    /// Act content, for every kind but the protocol.
    pub act: Option<ActView>,
    /// Every person of the view, by [`PersonView::id`]: what the `name`
    /// and `position` filters decline. Not part of the template context.
    #[serde(skip)]
    pub people: People,
}

/// The people of a view, for the `name` and `position` filters.
#[derive(Debug, Clone, Default)]
pub struct People(Arc<Vec<PersonEntry>>);

impl People {
    /// The person a handle names; `None` for a handle no person has (a
    /// template may forge any number).
    pub(crate) fn get(&self, id: u64) -> Option<&PersonEntry> {
        self.0.get(usize::try_from(id).ok()?)
    }
}

/// A person as the filters decline it: the model's typed person and the
/// document options that shape its forms.
#[derive(Debug, Clone)]
pub(crate) struct PersonEntry {
    person: Person,
    names: NameOrder,
    typography: bool,
    /// The forms already made: a template declines the chair and the
    /// speakers again at every mention, and the documents of a folder
    /// name the same people.
    made: Arc<Made>,
}

/// What is made of one person with one name order and typography: the
/// same in every document that names them (see [`made_for`]).
#[derive(Debug)]
struct Made {
    /// The nominative forms of [`PersonView`] (its `id` aside).
    view: PersonView,
    /// The declined forms, by case, each made when first asked for.
    declined: [std::sync::OnceLock<PersonForms>; Case::ALL.len()],
}

type MadeKey = (Person, NameOrder, bool);

/// The forms of `p` as `o` writes them, made once in a process for each
/// person, name order and typography: a batch of a folder's documents
/// names the same people again and again, and their forms (the position
/// declined by rules, typography applied) were a tenth of `check`.
/// Bounded: a long `serve` that sees many people starts again.
fn made_for(p: &Person, o: &Options) -> Arc<Made> {
    static MADE: Mutex<Option<rustc_hash::FxHashMap<MadeKey, Arc<Made>>>> = Mutex::new(None);
    let key: MadeKey = (p.clone(), o.names, o.typography);
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    let made = made.get_or_insert_with(Default::default);
    if let Some(found) = made.get(&key) {
        return Arc::clone(found);
    }
    if made.len() >= 4096 {
        made.clear();
    }
    let n = &p.name;
    let (name, order) = match o.names {
        NameOrder::InitialsFirst => (n.initials_first(), "initials_first"),
        NameOrder::SurnameFirst => (n.surname_first(), "surname_first"),
    };
    let found = Arc::new(Made {
        view: PersonView {
            name,
            initials_first: n.initials_first(),
            surname_first: n.surname_first(),
            full: n.full(),
            surname: n.surname.clone(),
            first_name: n.first_name.clone(),
            patronymic: n.patronymic.clone(),
            initials: n.initials.clone(),
            gender: p.gender,
            order,
            position: tx_opt(o, &p.position),
            id: 0,
        },
        declined: Default::default(),
    });
    made.insert(key, Arc::clone(&found));
    found
}

impl PersonEntry {
    /// The name and position in `case`. The TOML's `cases` (checked by
    /// the model to be a name) win over the rules, and so does its
    /// `position_cases`.
    pub(crate) fn forms(&self, case: Case) -> PersonForms {
        match self.made.declined.get(case as usize) {
            Some(slot) => slot.get_or_init(|| self.decline(case)).clone(),
            None => self.decline(case),
        }
    }

    fn decline(&self, case: Case) -> PersonForms {
        let p = &self.person;
        let tx = |s: &str| {
            if self.typography {
                crate::russian::typography::apply(s)
            } else {
                s.to_owned()
            }
        };
        let declined = p
            .name_cases
            .get(case.name())
            .and_then(|text| PersonName::parse(text).ok())
            .unwrap_or_else(|| names::decline(&p.name, p.gender, case));
        let position = match p.position_cases.get(case.name()) {
            Some(text) => Some(tx(text)),
            None => p
                .position
                .as_deref()
                .map(|pos| positions::decline(&tx(pos), case)),
        };
        PersonForms {
            name: match self.names {
                NameOrder::InitialsFirst => declined.initials_first(),
                NameOrder::SurnameFirst => declined.surname_first(),
            },
            initials_first: declined.initials_first(),
            surname_first: declined.surname_first(),
            full: declined.full(),
            surname: declined.surname,
            position,
        }
    }
}

/// What the view is built with: the document's options, and the people
/// met so far.
struct Ctx<'a> {
    options: &'a Options,
    people: RefCell<Vec<PersonEntry>>,
}

impl std::ops::Deref for Ctx<'_> {
    type Target = Options;

    fn deref(&self) -> &Options {
        self.options
    }
}

/// Document properties.
#[derive(Debug, Serialize)]
pub struct MetaView {
    /// Title.
    pub title: String,
    /// Author: the organisation.
    pub author: String,
    /// Subject.
    pub subject: String,
    /// The document's date, `YYYY-MM-DD`.
    pub date: String,
}

/// A person's name and position in one case: what the `name` and
/// `position` filters print for a person of the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonForms {
    /// As the document's name order says: «Климову О.Н.» or «О.Н. Климову».
    pub name: String,
    /// «О.Н. Климову».
    pub initials_first: String,
    /// «Климову О.Н.».
    pub surname_first: String,
    /// «Климову Ольгу Николаевну».
    pub full: String,
    /// «Климову».
    pub surname: String,
    /// «муниципального координатора МОЦ», when the person has a position.
    pub position: Option<String>,
}

/// A deadline, ready to print: the `deadline` filter prints `text`.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct DeadlineView {
    /// «до 01.09.2021», «январь–март 2021 г.», «постоянно»; several
    /// deadlines one per line.
    pub text: String,
    /// A date (printed after «срок»), not a term.
    pub dated: bool,
}

impl DeadlineView {
    fn of(d: &Deadline) -> DeadlineView {
        DeadlineView {
            text: d.display(),
            dated: d.is_dated(),
        }
    }
}

/// A person: the nominative forms ready to print, and a handle for the
/// `name` and `position` filters, which decline it.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct PersonView {
    /// As the document's name order says: «Климова О.Н.» or «О.Н. Климова».
    pub name: String,
    /// «О.Н. Климова», for signatures.
    pub initials_first: String,
    /// «Климова О.Н.».
    pub surname_first: String,
    /// «Климова Ольга Николаевна».
    pub full: String,
    /// «Климова».
    pub surname: String,
    /// «Ольга», when written in full.
    pub first_name: Option<String>,
    /// «Николаевна», when written in full.
    pub patronymic: Option<String>,
    /// «О.Н.».
    pub initials: String,
    /// `Male`, `Female` or `Unknown`.
    pub gender: Gender,
    /// The document's name order: `initials_first` or `surname_first`.
    pub order: &'static str,
    /// Position, nominative.
    pub position: Option<String>,
    /// The handle the `name` and `position` filters decline: an index
    /// into [`View::people`].
    pub id: usize,
}

/// An attendee entry.
#[derive(Debug, Serialize)]
pub struct AttendeeView {
    /// `person`, `group` or `text`.
    pub kind: &'static str,
    /// The person.
    pub person: Option<PersonView>,
    /// Role in the meeting.
    pub role: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Group title or free text.
    pub title: Option<String>,
    /// Group members.
    pub members: Vec<PersonView>,
    /// «15 директоров … и 15 кураторов».
    pub counts: Option<String>,
}

/// An agenda item.
#[derive(Debug, Serialize)]
pub struct AgendaView {
    /// Number.
    pub number: usize,
    /// Title.
    pub title: String,
    /// Speaker.
    pub speaker: Option<PersonView>,
}

/// A speech. The template introduces the speaker: СЛУШАЛИ takes the
/// accusative («Климову О.Н., муниципального координатора МОЦ»),
/// ВЫСТУПИЛИ the nominative; `sep` then joins the first paragraph.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct SpeechView {
    /// `heard` or `spoke`.
    pub kind: &'static str,
    /// Agenda item.
    pub question: Option<usize>,
    /// The speaker.
    pub speaker: PersonView,
    /// The speaker's role in this speech, after the position.
    pub role: Option<String>,
    /// What joins the introduction to `text`: «, » when the text goes on
    /// the sentence («о результатах …»), «. » when it starts a new one,
    /// « — » after a nominative speaker, «.» when there is no text.
    pub sep: String,
    /// The first paragraph.
    pub text: String,
    /// The remaining paragraphs and lists.
    pub rest: Vec<TextBlock>,
}

/// One line of a flattened point tree.
#[derive(Debug, Serialize)]
pub struct PointView {
    /// «2.1.».
    pub number: String,
    /// 0 for «1.», 1 for «1.1.».
    pub depth: usize,
    /// Agenda item.
    pub question: Option<usize>,
    /// Addressee, with its colon.
    pub to: Option<String>,
    /// First paragraph.
    pub text: String,
    /// Further paragraphs and lists.
    pub rest: Vec<TextBlock>,
    /// The deadline; the template prints it with the `deadline` filter.
    pub deadline: Option<DeadlineView>,
    /// The deadline is a date (printed after «срок»), not a term.
    pub deadline_dated: bool,
    /// Responsible.
    pub responsible: Option<String>,
    /// The deadline shared by the sub-points, printed after them.
    pub group_deadline: Option<DeadlineView>,
    /// Its label: «Срок».
    pub group_label: String,
    /// The vote, on a closing line after the point and its sub-points.
    pub votes: Option<VotesView>,
    /// Marks a closing line: the group's deadline or the vote (only
    /// `group_deadline` or `votes` is set).
    pub closing: bool,
}

/// A signature.
#[derive(Debug, Serialize)]
pub struct SignatureView {
    /// Position lines.
    pub position: Vec<String>,
    /// The signer.
    pub person: PersonView,
    /// Signed electronically: what the mark prints.
    pub electronic: Option<Box<ElectronicView>>,
}

/// The certificate of an electronic signature, as its mark prints it
/// (the template writes the words around it).
#[derive(Debug, Serialize)]
pub struct ElectronicView {
    /// The serial number, hexadecimal capitals.
    pub certificate: String,
    /// The owner.
    pub owner: String,
    /// «15.01.2024».
    pub valid_from: String,
    /// «15.04.2025».
    pub valid_to: String,
}

/// Speeches under one agenda item.
#[derive(Debug, Serialize)]
pub struct QuestionGroup {
    /// Agenda item number, or none for speeches not tied to one.
    pub question: Option<usize>,
    /// The speeches.
    pub speeches: Vec<SpeechView>,
}

/// One agenda item's part of a protocol laid out by question.
#[derive(Debug, Serialize)]
pub struct PartView {
    /// Agenda item number.
    pub number: usize,
    /// Agenda item title.
    pub title: String,
    /// СЛУШАЛИ.
    pub heard: Vec<SpeechView>,
    /// ВЫСТУПИЛИ.
    pub spoke: Vec<SpeechView>,
    /// РЕШИЛИ.
    pub decisions: Vec<PointView>,
    /// The vote on the item as a whole, after its decisions.
    pub votes: Option<VotesView>,
}

/// A protocol.
#[derive(Debug, Serialize)]
pub struct ProtocolView {
    /// Meeting title.
    pub title: String,
    /// Number.
    pub number: Option<String>,
    /// The date, `YYYY-MM-DD`, for the `date` filter.
    pub date: String,
    /// The document's date form for the `date` filter: `numeric`,
    /// `words` or `words_year`.
    pub date_form: &'static str,
    /// Time.
    pub time: Option<String>,
    /// Venue.
    pub venue: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Form of the meeting.
    pub format: Option<String>,
    /// Chair.
    pub chair: Option<PersonView>,
    /// Secretary.
    pub secretary: Option<PersonView>,
    /// Present, listed here (empty when the list is the first appendix).
    pub present: Vec<AttendeeView>,
    /// «46 человек», or «18 человек (список прилагается)» when the list is
    /// an appendix; `None` prints the list under the heading.
    pub present_summary: Option<String>,
    /// «18 человек»: how many were present, written or counted (the chair
    /// and the secretary once), whatever `present_summary` says; the
    /// выписка prints it instead of the names.
    pub present_count: Option<String>,
    /// «13 человек», when the number of those absent is written.
    pub absent_summary: Option<String>,
    /// Appendices: the attendance list, then the user's.
    pub appendices: Vec<AppendixView>,
    /// Width of the grif boxes, mm.
    pub grif_width: f64,
    /// Absent; `None` means no heading at all.
    pub absent: Option<Vec<AttendeeView>>,
    /// Invited.
    pub invited: Vec<AttendeeView>,
    /// Agenda.
    pub agenda: Vec<AgendaView>,
    /// СЛУШАЛИ, grouped by question in order of first appearance.
    pub heard_groups: Vec<QuestionGroup>,
    /// СЛУШАЛИ, all.
    pub heard: Vec<SpeechView>,
    /// ВЫСТУПИЛИ, all.
    pub spoke: Vec<SpeechView>,
    /// РЕШИЛИ, flattened.
    pub decisions: Vec<PointView>,
    /// Parts by question (for `course = "by_question"`).
    pub parts: Vec<PartView>,
    /// Signatures.
    pub signatures: Vec<SignatureView>,
    /// The text of the QR code (ГОСТ Р 7.0.97-2025), when there is one.
    pub qr: Option<String>,
}

/// A table row.
#[derive(Debug, Serialize)]
pub struct TableRowView {
    /// Section row text, when a section row.
    pub section: Option<String>,
    /// Cells (the row number first when numbered), without those a cell
    /// above covers.
    pub cells: Vec<CellView>,
}

/// A table cell.
#[derive(Debug, Serialize)]
pub struct CellView {
    /// Paragraphs and lists.
    pub blocks: Vec<TextBlock>,
    /// Rows it spans.
    pub rows: usize,
    /// Centred (row numbers, numeric and date columns).
    pub center: bool,
}

/// A table.
#[derive(Debug, Serialize)]
pub struct TableView {
    /// Column widths, mm.
    pub widths: Vec<f64>,
    /// Whether the first column holds automatic row numbers.
    pub numbered: bool,
    /// Header rows.
    pub header: Vec<Vec<String>>,
    /// Rows.
    pub rows: Vec<TableRowView>,
}

/// A block of an appendix's body.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BlockView {
    /// A heading.
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
        /// Numbered or bulleted.
        numbered: bool,
        /// Items.
        items: Vec<String>,
    },
    /// A table.
    Table(TableView),
    /// A signature.
    Signature(SignatureView),
}

/// An appendix, or a page of an approved document.
#[derive(Debug, Serialize)]
pub struct AppendixView {
    /// Number.
    pub number: usize,
    /// Lines of the grif box at the top right; none for no grif.
    pub grif: Vec<String>,
    /// The user broke the grif's lines: each must fit the box.
    pub grif_as_written: bool,
    /// Title lines.
    pub title: Vec<String>,
    /// `portrait` or `landscape`.
    pub orientation: &'static str,
    /// The body in order.
    pub body: Vec<BlockView>,
    /// «СОГЛАСОВАНО» blocks, each as its lines.
    pub agreed: Vec<Vec<String>>,
}

/// An act (постановление, распоряжение, приказ, решение) or an approved
/// document.
#[derive(Debug, Serialize)]
pub struct ActView {
    /// Whether the act itself prints (its header, text and signature);
    /// false for an approved document or an appendix published alone.
    pub printed: bool,
    /// «ПОСТАНОВЛЕНИЕ».
    pub kind: String,
    /// The date as the date line prints it, or blanks in a draft.
    pub date: String,
    /// The number, or blanks in a draft.
    pub number: String,
    /// `from`, `plain` or `split`.
    pub date_line: &'static str,
    /// With `split`: the place on the date line, between the date and the
    /// number (else centred below it).
    pub place_between: bool,
    /// City.
    pub city: Option<String>,
    /// Title lines.
    pub title: Vec<String>,
    /// `center` or `left`.
    pub title_align: &'static str,
    /// Preamble: every paragraph, but the last when the formula ends it.
    pub preamble: Vec<TextBlock>,
    /// The last preamble paragraph, which an inline formula ends.
    pub preamble_last: String,
    /// The enacting formula; empty for none.
    pub enacting: String,
    /// The letter-spaced part of the formula: all but its last letter and
    /// colon. Letter-spacing adds space after every letter it covers, so
    /// the last letter and the colon stay out of it: «п о с т а н о в л я
    /// е т:», not «… е т :».
    pub enacting_word: String,
    /// The formula's last letter and its colon («т:»), set unspaced.
    pub enacting_colon: String,
    /// `inline`, `line` or `none`.
    pub enacting_form: &'static str,
    /// `inline` or `line`.
    pub control_form: &'static str,
    /// Points, flattened.
    pub points: Vec<PointView>,
    /// Signature.
    pub signature: Option<SignatureView>,
    /// The text of the QR code (ГОСТ Р 7.0.97-2025), when there is one.
    pub qr: Option<String>,
    /// «СОГЛАСОВАНО» blocks after the signature, each as its lines.
    pub agreed: Vec<Vec<String>>,
    /// Width of the grif boxes, mm.
    pub grif_width: f64,
    /// Appendices.
    pub appendices: Vec<AppendixView>,
}

/// Text as the document prints it: with the typographic pass
/// (`russian::typography`: «ёлочки», dashes, no-break spaces) unless the
/// document switches it off (`options.typography = false`). Applied here,
/// to user text only, as the view is built.
fn tx(o: &Options, s: &str) -> String {
    if o.typography {
        crate::russian::typography::apply(s)
    } else {
        s.to_owned()
    }
}

fn tx_opt(o: &Options, s: &Option<String>) -> Option<String> {
    s.as_deref().map(|s| tx(o, s))
}

fn tx_lines(o: &Options, lines: &[String]) -> Vec<String> {
    lines.iter().map(|l| tx(o, l)).collect()
}

fn tx_blocks(o: &Options, blocks: &[TextBlock]) -> Vec<TextBlock> {
    blocks
        .iter()
        .map(|b| match b {
            TextBlock::Paragraph(p) => TextBlock::Paragraph(tx(o, p)),
            TextBlock::Bullets(items) => TextBlock::Bullets(tx_lines(o, items)),
        })
        .collect()
}

/// Builds the view of a model.
pub fn build(model: &Model) -> View {
    let o = &Ctx {
        options: &model.options,
        people: RefCell::new(Vec::new()),
    };
    let date = match &model.body {
        Body::Protocol(p) => Some(p.meeting.date),
        Body::Act(a) => a.act.as_ref().and_then(|a| a.date),
    }
    .map(|d| d.format("%Y-%m-%d").to_string())
    .unwrap_or_default();
    let (protocol, resolution, title, subject) = match &model.body {
        Body::Protocol(p) => {
            let v = protocol(p, o, &model.labels);
            let mut title = format!(
                "{} {}",
                capitalize_word(&model.labels.kind),
                p.meeting.title
            );
            if let Some(n) = &p.meeting.number {
                title = format!(
                    "{} №{NBSP}{n} {}",
                    capitalize_word(&model.labels.kind),
                    p.meeting.title
                );
            }
            let subject = p
                .agenda
                .iter()
                .map(|a| a.title.trim_end_matches('.').to_owned())
                .collect::<Vec<_>>()
                .join("; ");
            (Some(v), None, title, subject)
        }
        Body::Act(doc) => {
            let v = act(doc, o, &model.labels);
            let (title, subject) = match &doc.act {
                Some(a) => {
                    let mut title = capitalize_word(&a.word);
                    if let Some(d) = a.date {
                        title = format!("{title} от {}", date::numeric(d));
                    }
                    if let Some(n) = &a.number {
                        title = format!("{title} №{NBSP}{n}");
                    }
                    (title, a.title.join(" "))
                }
                None => {
                    let first = doc.appendices.first();
                    let title = first.map(|a| a.title.join(" ")).unwrap_or_default();
                    (title.clone(), title)
                }
            };
            (None, Some(v), title, subject)
        }
    };
    View {
        kind: model.kind.template(),
        meta: MetaView {
            title,
            // The organisation for every kind: its name, else its header
            // lines (a бланк without `name`); nothing when the file names
            // no organisation at all.
            author: if model.organization.name.trim().is_empty() {
                model.organization.header.join(" ")
            } else {
                model.organization.name.clone()
            },
            subject,
            date,
        },
        org: Organization {
            header: tx_lines(o, &model.organization.header),
            city: tx_opt(o, &model.organization.city),
            issuer_genitive: tx_opt(o, &model.organization.issuer_genitive),
            ..model.organization.clone()
        },
        options: model.options.clone(),
        labels: model.labels.clone(),
        protocol,
        act: resolution,
        people: People(Arc::new(o.people.take())),
    }
}

fn capitalize_word(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn person(p: &Person, o: &Ctx) -> PersonView {
    let mut people = o.people.borrow_mut();
    // One handle for each person however often named: the filters then
    // decline each person once in each case.
    let (id, made) = match people.iter().position(|e| e.person == *p) {
        Some(id) => (id, Arc::clone(&people[id].made)),
        None => {
            let made = made_for(p, o.options);
            people.push(PersonEntry {
                person: p.clone(),
                names: o.names,
                typography: o.typography,
                made: Arc::clone(&made),
            });
            (people.len() - 1, made)
        }
    };
    PersonView {
        id,
        ..made.view.clone()
    }
}

fn attendee(a: &Attendee, o: &Ctx) -> AttendeeView {
    let mut v = AttendeeView {
        kind: "text",
        person: None,
        role: None,
        note: None,
        title: None,
        members: Vec::new(),
        counts: None,
    };
    match a {
        Attendee::Person {
            person: p,
            role,
            note,
        } => {
            v.kind = "person";
            v.person = Some(person(p, o));
            v.role = tx_opt(o, role);
            v.note = tx_opt(o, note);
        }
        Attendee::Group {
            title,
            members,
            counts,
        } => {
            v.kind = "group";
            v.title = Some(tx(o, title));
            v.members = members.iter().map(|m| person(m, o)).collect();
            if !counts.is_empty() {
                let parts: Vec<String> = counts
                    .iter()
                    .map(|(n, who)| format!("{n}{NBSP}{}", tx(o, who)))
                    .collect();
                v.counts = Some(join_and(&parts));
            }
        }
        Attendee::Text { text } => v.title = Some(tx(o, text)),
    }
    v
}

/// «а, б и в».
fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} и {last}", init.join(", ")),
    }
}

/// СЛУШАЛИ or ВЫСТУПИЛИ (LAYOUT.md §5).
#[derive(Clone, Copy, PartialEq, Eq)]
enum SpeechKind {
    Heard,
    Spoke,
}

fn speech(s: &Speech, o: &Ctx, kind: SpeechKind) -> SpeechView {
    let mut rest = tx_blocks(o, &s.text);
    let (sep, text) = match rest.first() {
        Some(TextBlock::Paragraph(p)) => {
            let sep = match kind {
                SpeechKind::Spoke => format!("{NBSP}— "),
                // «…, о результатах» continues the sentence; «Она
                // ознакомила …» starts a new one.
                SpeechKind::Heard if p.chars().next().is_some_and(char::is_uppercase) => {
                    ". ".into()
                }
                SpeechKind::Heard => ", ".into(),
            };
            let text = p.clone();
            rest.remove(0);
            (sep, text)
        }
        _ if kind == SpeechKind::Heard => (".".into(), String::new()),
        _ => (String::new(), String::new()),
    };
    SpeechView {
        kind: match kind {
            SpeechKind::Heard => "heard",
            SpeechKind::Spoke => "spoke",
        },
        question: s.question,
        speaker: person(&s.speaker, o),
        role: tx_opt(o, &s.role),
        sep,
        text,
        rest,
    }
}

fn flatten_points<'p>(
    o: &Options,
    points: impl IntoIterator<Item = &'p Point>,
    depth: usize,
    labels_deadline: &str,
    deadline_ends_text: bool,
    out: &mut Vec<PointView>,
) {
    for p in points {
        let (mut text, rest) = match p.text.split_first() {
            Some((TextBlock::Paragraph(first), rest)) => (tx(o, first), tx_blocks(o, rest)),
            _ => (String::new(), tx_blocks(o, &p.text)),
        };
        if (p.deadline.is_some() || !p.responsible.is_empty()) && deadline_ends_text {
            // «…в школе — срок 01.09.2021.», «… олимпиады (ответственный —
            // Комаров Д.О.).»: the sentence ends after the deadline or the
            // responsible person, not before.
            text = text.trim_end_matches('.').to_owned();
        }
        out.push(PointView {
            number: p.number.clone(),
            depth,
            question: p.question,
            to: p.to.as_ref().map(|t| {
                let t = tx(o, t.trim_end());
                if t.ends_with(':') { t } else { format!("{t}:") }
            }),
            text,
            rest,
            deadline: p.deadline.as_ref().map(DeadlineView::of),
            deadline_dated: p.deadline.as_ref().is_some_and(Deadline::is_dated),
            responsible: (!p.responsible.is_empty()).then(|| tx(o, &p.responsible.join(", "))),
            group_deadline: None,
            group_label: String::new(),
            votes: None,
            closing: false,
        });
        flatten_points(
            o,
            &p.points,
            depth + 1,
            labels_deadline,
            deadline_ends_text,
            out,
        );
        if let Some(g) = &p.group_deadline {
            out.push(PointView {
                number: String::new(),
                depth,
                question: p.question,
                to: None,
                text: String::new(),
                rest: Vec::new(),
                deadline: None,
                deadline_dated: false,
                responsible: None,
                group_deadline: Some(DeadlineView::of(g)),
                group_label: labels_deadline.to_owned(),
                votes: None,
                closing: true,
            });
        }
        // The vote ends the point: after its sub-points and their deadline,
        // never between the point's heading and its sub-points.
        if let Some(v) = p.votes {
            out.push(PointView {
                number: String::new(),
                depth,
                question: p.question,
                to: None,
                text: String::new(),
                rest: Vec::new(),
                deadline: None,
                deadline_dated: false,
                responsible: None,
                group_deadline: None,
                group_label: String::new(),
                votes: Some(VotesView::of(v, o.votes)),
                closing: true,
            });
        }
    }
}

/// A vote as it prints: the counts after «ГОЛОСОВАЛИ:», or a sentence.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VotesView {
    /// «за», «против», «воздержались».
    pub yes: u32,
    /// Against.
    pub against: u32,
    /// Abstained.
    pub abstained: u32,
    /// «Решение принято единогласно.» instead of the counts.
    pub unanimous: bool,
    /// «„за“ — 17, „против“ — 0, „воздержались“ — 1.», or the sentence.
    pub text: String,
}

impl VotesView {
    fn of((yes, against, abstained): (u32, u32, u32), form: VotesForm) -> VotesView {
        let unanimous = form == VotesForm::Unanimous && against == 0 && abstained == 0;
        VotesView {
            yes,
            against,
            abstained,
            unanimous,
            text: if unanimous {
                "Решение принято единогласно.".to_owned()
            } else {
                format!(
                    "«за»{NBSP}— {yes}, «против»{NBSP}— {against}, «воздержались»{NBSP}— {abstained}."
                )
            },
        }
    }
}

/// «1 человек», «22 человека», «46 человек».
fn people_count(n: u32) -> String {
    let word = crate::russian::numbers::plural(i64::from(n), ["человек", "человека", "человек"]);
    format!("{n}{NBSP}{word}")
}

fn protocol(p: &Protocol, o: &Ctx, labels: &Labels) -> ProtocolView {
    // By question, the parts take what is tied to a question; whatever is
    // not tied to one is laid out after them, as in `together`, so that
    // nothing the secretary wrote is ever dropped.
    let by_question = o.course == Course::ByQuestion;
    let loose = |q: Option<usize>| !by_question || q.is_none();
    // Each speech made once: the lists below repeat them.
    let heard_views: Vec<SpeechView> = p
        .heard
        .iter()
        .map(|s| speech(s, o, SpeechKind::Heard))
        .collect();
    let spoke_views: Vec<SpeechView> = p
        .spoke
        .iter()
        .map(|s| speech(s, o, SpeechKind::Spoke))
        .collect();
    let heard: Vec<SpeechView> = heard_views
        .iter()
        .filter(|s| loose(s.question))
        .cloned()
        .collect();
    let mut heard_groups: Vec<QuestionGroup> = Vec::new();
    for s in &heard {
        match heard_groups.iter_mut().find(|g| g.question == s.question) {
            Some(g) => g.speeches.push(s.clone()),
            None => heard_groups.push(QuestionGroup {
                question: s.question,
                speeches: vec![s.clone()],
            }),
        }
    }
    let mut decisions = Vec::new();
    // Borrowed, not copied: the view takes what it prints from them.
    let loose_decisions = p.decisions.iter().filter(|d| loose(d.question));
    flatten_points(
        o,
        loose_decisions,
        0,
        &labels.deadline,
        true,
        &mut decisions,
    );
    let parts = p
        .agenda
        .iter()
        .map(|a| {
            let q = Some(a.number);
            let mut ds = Vec::new();
            // Numbered within their item («1.1.») by the model.
            let mine = p.decisions.iter().filter(|d| d.question == q);
            flatten_points(o, mine, 0, &labels.deadline, true, &mut ds);
            PartView {
                number: a.number,
                title: tx(o, &a.title),
                heard: heard_views
                    .iter()
                    .filter(|s| s.question == q)
                    .cloned()
                    .collect(),
                spoke: spoke_views
                    .iter()
                    .filter(|s| s.question == q)
                    .cloned()
                    .collect(),
                decisions: ds,
                votes: a.votes.map(|v| VotesView::of(v, o.votes)),
            }
        })
        .collect();
    ProtocolView {
        title: tx(o, &p.meeting.title),
        number: p.meeting.number.clone(),
        date: p.meeting.date.format("%Y-%m-%d").to_string(),
        date_form: date_form(o),
        time: p.meeting.time.clone(),
        venue: tx_opt(o, &p.meeting.venue),
        city: tx_opt(o, &p.meeting.city),
        format: tx_opt(o, &p.meeting.format),
        chair: p.chair.as_ref().map(|c| person(c, o)),
        secretary: p.secretary.as_ref().map(|c| person(c, o)),
        present: if p.present_in_appendix {
            Vec::new()
        } else {
            p.present.iter().map(|a| attendee(a, o)).collect()
        },
        present_summary: match p.present_count {
            Some(n) if p.present_in_appendix => {
                Some(format!("{} (список прилагается)", people_count(n)))
            }
            Some(n) if p.present_count_written => Some(people_count(n)),
            _ => None,
        },
        present_count: p.present_count.map(people_count),
        absent_summary: p.absent_count.map(people_count),
        appendices: p.appendices.iter().map(|a| appendix(a, o)).collect(),
        grif_width: tenths(o.grif_width),
        absent: p
            .absent
            .as_ref()
            .map(|l| l.iter().map(|a| attendee(a, o)).collect()),
        invited: p.invited.iter().map(|a| attendee(a, o)).collect(),
        agenda: p
            .agenda
            .iter()
            .map(|a| AgendaView {
                number: a.number,
                title: tx(o, &a.title),
                speaker: a.speaker.as_ref().map(|s| person(s, o)),
            })
            .collect(),
        heard_groups,
        heard,
        spoke: spoke_views
            .into_iter()
            .filter(|s| loose(s.question))
            .collect(),
        decisions,
        parts,
        signatures: p.signatures.iter().map(|s| signature(s, o)).collect(),
        qr: p.meeting.qr.clone(),
    }
}

fn signature(s: &Signature, o: &Ctx) -> SignatureView {
    SignatureView {
        position: tx_lines(o, &s.position),
        person: person(&s.person, o),
        electronic: s.electronic.as_ref().map(|e| {
            Box::new(ElectronicView {
                certificate: e.certificate.clone(),
                owner: tx(o, &e.owner),
                valid_from: date::numeric(e.valid_from),
                valid_to: date::numeric(e.valid_to),
            })
        }),
    }
}

/// The `date` filter's form for the document's date style.
fn date_form(o: &Options) -> &'static str {
    match (o.date_style, o.year_word) {
        (DateStyle::Numeric, _) => "numeric",
        (DateStyle::Words, false) => "words",
        (DateStyle::Words, true) => "words_year",
        (DateStyle::Quoted, _) => "quoted_spaced",
    }
}

fn act(doc: &ActDocument, o: &Ctx, labels: &Labels) -> ActView {
    let (inline, form) = match o.enacting_form {
        EnactingForm::Inline => (true, "inline"),
        EnactingForm::Line => (false, "line"),
        EnactingForm::None => (false, "none"),
    };
    let a = doc.act.as_ref();
    let mut preamble = a.map(|a| tx_blocks(o, &a.preamble)).unwrap_or_default();
    let enacting = a
        .map(|a| a.enacting.trim().to_owned())
        .filter(|_| o.enacting_form != EnactingForm::None)
        .unwrap_or_default();
    let preamble_last = match preamble.last() {
        Some(TextBlock::Paragraph(_)) if inline && !enacting.is_empty() => match preamble.pop() {
            Some(TextBlock::Paragraph(p)) => p,
            _ => String::new(),
        },
        _ => String::new(),
    };
    let control_line = o.control_form == ControlForm::Line;
    let mut points = Vec::new();
    flatten_points(
        o,
        &doc.points,
        0,
        &labels.deadline,
        !control_line,
        &mut points,
    );
    ActView {
        qr: a.and_then(|a| a.qr.clone()),
        printed: a.is_some_and(|a| !a.appendices_only),
        kind: a.map(|a| a.word.clone()).unwrap_or_default(),
        date: a.map(|a| a.printed_date(o)).unwrap_or_default(),
        number: a.map(Act::printed_number).unwrap_or_default(),
        date_line: match o.date_line {
            DateLine::From => "from",
            DateLine::Plain => "plain",
            DateLine::Split => "split",
        },
        place_between: o.date_line == DateLine::Split && o.place == PlacePosition::Between,
        city: a.and_then(|a| tx_opt(o, &a.city)),
        title: a.map(|a| tx_lines(o, &a.title)).unwrap_or_default(),
        title_align: match o.title_align {
            TitleAlign::Center => "center",
            TitleAlign::Left => "left",
        },
        preamble,
        preamble_last,
        enacting_word: spaced_part(&enacting).0.to_owned(),
        enacting_colon: spaced_part(&enacting).1.to_owned(),
        enacting,
        enacting_form: form,
        control_form: if control_line { "line" } else { "inline" },
        points,
        signature: doc.signature.as_ref().map(|s| signature(s, o)),
        agreed: doc
            .agreed
            .iter()
            .map(|e| endorsement("СОГЛАСОВАНО", e, o))
            .collect(),
        grif_width: tenths(o.grif_width),
        appendices: doc.appendices.iter().map(|a| appendix(a, o)).collect(),
    }
}

/// «постановляет:» → («постановляе», «т:»):
/// the letter-spaced part and the unspaced end (the last letter and the
/// colon). A formula without a colon is spaced whole but for its last
/// letter, for the same reason.
fn spaced_part(formula: &str) -> (&str, &str) {
    let body = formula.strip_suffix(':').unwrap_or(formula);
    match body.char_indices().last() {
        Some((i, _)) => (&formula[..i], &formula[i..]),
        None => (formula, ""),
    }
}

/// «СОГЛАСОВАНО» or «УТВЕРЖДАЮ», the position, «____________ И.О. Фамилия»
/// and the date (or blanks for it).
fn endorsement(word: &str, e: &Endorsement, o: &Ctx) -> Vec<String> {
    let mut lines = vec![word.to_owned()];
    lines.extend(tx_lines(o, &e.position));
    lines.push(format!("____________ {}", e.person.name.initials_first()));
    lines.push(match e.date {
        Some(d) => date::format(d, DateStyle::Quoted, false),
        None => crate::model::act::BLANK_QUOTED_DATE.into(),
    });
    lines
}

fn appendix(a: &Appendix, o: &Ctx) -> AppendixView {
    AppendixView {
        number: a.number,
        grif: match &a.grif {
            Grif::None => Vec::new(),
            Grif::Lines { lines, .. } => tx_lines(o, lines),
            Grif::Approve { by } => endorsement("УТВЕРЖДАЮ", by, o),
        },
        grif_as_written: match &a.grif {
            Grif::Lines { as_written, .. } => *as_written,
            Grif::Approve { .. } => true,
            Grif::None => false,
        },
        title: tx_lines(o, &a.title),
        orientation: match a.orientation {
            Orientation::Portrait => "portrait",
            Orientation::Landscape => "landscape",
        },
        body: a.body.iter().map(|b| block(b, o)).collect(),
        agreed: a
            .agreed
            .iter()
            .map(|e| endorsement("СОГЛАСОВАНО", e, o))
            .collect(),
    }
}

/// Millimetres to a tenth, as f64: an f32 printed through the template
/// context would show its binary error («0.4000000059604645»).
fn tenths(mm: f32) -> f64 {
    (f64::from(mm) * 10.0).round() / 10.0
}

fn block(b: &Block, o: &Ctx) -> BlockView {
    match b {
        Block::Heading { text } => BlockView::Heading { text: tx(o, text) },
        Block::Text { blocks } => BlockView::Text {
            blocks: tx_blocks(o, blocks),
        },
        Block::List { numbered, items } => BlockView::List {
            numbered: *numbered,
            items: tx_lines(o, items),
        },
        Block::Table { table: t } => BlockView::Table(table(t, o)),
        Block::Signature { signature: s } => BlockView::Signature(signature(s, o)),
    }
}

fn table(t: &Table, o: &Ctx) -> TableView {
    TableView {
        widths: t.widths().into_iter().map(tenths).collect(),
        numbered: t.numbered,
        header: t.header.iter().map(|r| tx_lines(o, r)).collect(),
        rows: t.rows.iter().map(|row| row_view(row, t, o)).collect(),
    }
}

/// The view of `row`, a row of `t`.
fn row_view(row: &TableRow, t: &Table, o: &Options) -> TableRowView {
    match row {
        TableRow::Cells { number, cells } => TableRowView {
            section: None,
            cells: number
                .map(|n| CellView {
                    blocks: vec![TextBlock::Paragraph(n.to_string())],
                    rows: 1,
                    center: true,
                })
                .into_iter()
                .chain(cells.iter().map(|c| CellView {
                    blocks: tx_blocks(o, &c.blocks),
                    rows: c.rows,
                    center: t.columns.get(c.column).is_some_and(|col| col.centered),
                }))
                .collect(),
        },
        TableRow::Section { text } => TableRowView {
            section: Some(tx(o, text)),
            cells: Vec::new(),
        },
    }
}

/// [`build`] of a model it consumes: each table row of the model is
/// dropped as soon as its view is made, so that a long table's rows are
/// never held twice (a 35,000-row roadmap's model rows and their view
/// are about 30 MB each). The view is [`build`]'s.
pub fn build_consuming(mut model: Model) -> View {
    // The rows out first; the view is built without them (nothing but
    // `table` reads a table's rows), then given each table's rows.
    let taken: Vec<Vec<TableRow>> = model_tables(&mut model.body)
        .map(|t| std::mem::take(&mut t.rows))
        .collect();
    let mut view = build(&model);
    let Model { options, body, .. } = &mut model;
    let model_tables = model_tables(body);
    for (((view_table, _), rows), t) in view_tables(&mut view).zip(taken).zip(model_tables) {
        let mut given_back = crate::memory::RowsGivenBack::for_table(rows.len());
        view_table.rows = rows
            .into_iter()
            .map(|row| {
                let view = row_view(&row, t, options);
                // Freed before the memory is given back.
                drop(row);
                if let Some(given_back) = &mut given_back {
                    given_back.converted(1);
                }
                view
            })
            .collect();
    }
    view
}

/// The tables of a model's appendices, in the order [`build`] gives
/// their views ([`view_tables`]).
fn model_tables(body: &mut Body) -> impl Iterator<Item = &mut Table> {
    let appendices = match body {
        Body::Protocol(p) => p.appendices.iter_mut(),
        Body::Act(a) => a.appendices.iter_mut(),
    };
    appendices.flat_map(|a| {
        a.body.iter_mut().filter_map(|b| match b {
            Block::Table { table } => Some(table),
            _ => None,
        })
    })
}

/// The tables of a view's appendices, each with its appendix's
/// orientation, in the order the templates print them: a protocol's
/// appendices, then an act's.
pub fn view_tables(view: &mut View) -> impl Iterator<Item = (&mut TableView, &'static str)> {
    let appendices = (view.protocol.iter_mut()).flat_map(|p| p.appendices.iter_mut());
    let appendices = appendices.chain(view.act.iter_mut().flat_map(|a| a.appendices.iter_mut()));
    appendices.flat_map(|appendix| {
        let orientation = appendix.orientation;
        appendix
            .body
            .iter_mut()
            .filter_map(move |block| match block {
                BlockView::Table(t) => Some((t, orientation)),
                _ => None,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Access;
    use std::path::Path;

    /// A view built consuming the model is the view built from it: the
    /// starters with tables (a plan of measures with cells spanning rows,
    /// an order and a resolution with appendices), and a protocol whose
    /// attendance list is an appendix table.
    #[test]
    fn a_view_built_consuming_the_model_is_the_same() {
        let starters = [
            include_str!("starters/plan.toml"),
            include_str!("starters/prikaz.toml"),
            include_str!("starters/resolution.toml"),
            include_str!("starters/protocol.toml"),
        ];
        let mut rows = 0;
        for text in starters {
            let read = || {
                crate::model::load_text(Path::new("doc.toml"), text, &Access::new(None))
                    .unwrap_or_else(|e| panic!("{e:?}"))
            };
            let mut model = read();
            rows += model_tables(&mut model.body)
                .map(|t| t.rows.len())
                .sum::<usize>();
            let whole = format!("{:?}", build(&model));
            assert_eq!(format!("{:?}", build_consuming(read())), whole);
        }
        assert!(rows >= 10, "the starters' tables have {rows} rows");
    }
}
