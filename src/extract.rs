//! Выписка из протокола: one agenda item of a protocol (its title and
//! speaker, СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ and the votes), under the protocol's
//! header, certified «Выписка верна» by the secretary with the date of the
//! extract. A secretary is asked for one whenever a decision has to be
//! shown elsewhere, and used to cut it by hand in Word.
//!
//! The extract is the protocol's own model narrowed to the item, so every
//! paragraph prints exactly as in the full protocol (the same view, the
//! same components of `protocol.xml`); only the frame is the template
//! `extract.xml`, overridable like the others. Speeches and decisions not
//! tied to an agenda item (`question`) cannot be attributed: they go into
//! every item's extract, with a warning, so that nothing decided is lost.

use crate::build::{self, Format, Pictures};
use crate::diagnostic::system::reason;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::document::Document;
use crate::input::Access;
use crate::model::person::PersonName;
use crate::model::{self, Body, Course, LabelPlacement, Model, Person, Point, Protocol, Signature};
use crate::russian::{names, numbers};
use crate::template::Templates;
use crate::view::{self, PointView, View};
use crate::{markup, pdf};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The template kind of an extract: its template is `extract.xml`.
pub const KIND: &str = "extract";

/// The certifying position when none is given and the secretary's
/// signature names none.
pub const DEFAULT_POSITION: &str = "Секретарь";

/// Which items to extract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// One agenda item, 1-based (`--item N`).
    Item(usize),
    /// Every item with a decision addressed to this body (`--to`).
    To(String),
}

/// What to extract and how to certify it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The items.
    pub selection: Selection,
    /// Only this decision point of the item («2.3»), with the points above
    /// it and below it.
    pub point: Option<String>,
    /// The date of the certification.
    pub date: NaiveDate,
    /// The certifying position (`--position`); by default the secretary's.
    pub position: Option<String>,
    /// Who certifies (`--signer`); by default the protocol's secretary.
    pub signer: Option<String>,
}

impl Request {
    /// An extract of one item, certified today by the secretary.
    pub fn item(item: usize) -> Request {
        Request {
            selection: Selection::Item(item),
            point: None,
            date: today(),
            position: None,
            signer: None,
        }
    }
}

/// One extract, rendered.
#[derive(Debug)]
pub struct Extract {
    /// The agenda item.
    pub item: usize,
    /// Bytes per format, in the order asked.
    pub files: Vec<(Format, Vec<u8>)>,
}

/// The extracts of one protocol and what the user should know about them.
#[derive(Debug)]
pub struct Extracts {
    /// One per item.
    pub extracts: Vec<Extract>,
    /// Warnings: content not tied to an item, a character missing from
    /// the font.
    pub warnings: Vec<Diagnostic>,
}

/// The output file's name: `<protocol stem>_vypiska_<N>.<ext>`.
pub fn file_name(input: &Path, item: usize, format: Format) -> String {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "protokol".into());
    format!("{stem}_vypiska_{item}.{}", format.extension())
}

/// The local date today (the certification's default).
pub fn today() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let local = local_offset_secs(secs);
    let days = (secs as i64 + local).div_euclid(86_400);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.checked_add_signed(chrono::TimeDelta::days(days)))
        .unwrap_or_default()
}

/// The local time zone's offset from UTC, seconds: a secretary in
/// Владивосток at 8 a.m. dates the extract today, not yesterday (UTC).
fn local_offset_secs(secs: u64) -> i64 {
    #[cfg(unix)]
    {
        let t = secs as libc::time_t;
        // SAFETY: localtime_r writes only into `tm`, which we own.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
        if ok {
            return tm.tm_gmtoff;
        }
    }
    let _ = secs;
    0
}

/// A date given as `2024-05-17` or `17.05.2024`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d.%m.%Y"))
        .map_err(|_| {
            format!("дата «{text}» не распознана: напишите её как 17.05.2024 или 2024-05-17")
        })
}

/// Reads the protocol and renders the extracts the request asks for,
/// without writing anything.
pub fn render(
    input: &Path,
    request: &Request,
    templates: &Templates,
    formats: &[Format],
    pdf_options: &pdf::PdfOptions,
    access: &Access,
) -> Result<Extracts, Diagnostics> {
    let model = model::load_with(input, access)?;
    let protocol = protocol_of(&model)?;
    let mut warnings = Vec::new();
    let items = items(&model, protocol, &request.selection, &mut warnings)?;
    if protocol.agenda.len() > 1 && has_loose(protocol) {
        warnings.push(
            Diagnostic::error(
                input,
                format!(
                    "в протоколе {} вопрос{} повестки, а часть выступлений и решений не отнесена ни к одному из них: они включены в выписку по каждому вопросу",
                    protocol.agenda.len(),
                    numbers::plural(protocol.agenda.len() as i64, ["", "а", "ов"])
                ),
            )
            .warning()
            .with_hint(
                "чтобы в выписку попало только своё, укажите у [[heard]], [[spoke]] и [[decision]] номер вопроса: question = 2",
            ),
        );
    }
    // An extract is made for what was decided: one without a decision is
    // most likely a wrong item number, or a decision not tied to its item.
    for &item in &items {
        let decided = protocol
            .decisions
            .iter()
            .any(|d| d.question.is_none_or(|q| q == item));
        if !decided {
            warnings.push(
                Diagnostic::error(
                    input,
                    format!("по вопросу № {item} повестки нет решений: выписка выйдет без раздела «РЕШИЛИ»"),
                )
                .warning()
                .with_hint("проверьте номер вопроса в --item и поле question у [[decision]] этого вопроса"),
            );
        }
    }
    // An extract is archived as its protocol is: PDF/A when the
    // protocol's options ask for it.
    let archival = pdf::PdfOptions {
        pdfa: pdf_options.pdfa || model.options.pdfa,
        ..pdf_options.clone()
    };
    let mut extracts = Vec::new();
    for item in items {
        let view = view(&model, item, request)?;
        let document = document(input, &view, templates, access)?;
        let (files, backend_warnings) =
            crate::build::render_tree(input, document, formats, &archival)?;
        warnings.extend(backend_warnings);
        extracts.push(Extract { item, files });
    }
    Ok(Extracts { extracts, warnings })
}

/// Writes the extracts into `dir`, each one's files together and
/// atomically; the paths written.
pub fn write(input: &Path, extracts: &Extracts, dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut written = Vec::new();
    for e in &extracts.extracts {
        let paths: Vec<PathBuf> = e
            .files
            .iter()
            .map(|(f, _)| dir.join(file_name(input, e.item, *f)))
            .collect();
        let files: Vec<(&Path, &[u8])> = paths
            .iter()
            .zip(&e.files)
            .map(|(p, (_, b))| (p.as_path(), b.as_slice()))
            .collect();
        build::write_together(&files).map_err(|(path, err)| {
            Diagnostic::error(&path, format!("не удалось записать файл: {}", reason(&err)))
                .with_hint(build::replace_advice(&err))
        })?;
        written.extend(paths);
    }
    Ok(written)
}

/// One error as what the functions here return (a lone [`Diagnostic`]
/// is too large an `Err` to pass around).
fn fail(d: Diagnostic) -> Diagnostics {
    d.into()
}

/// The protocol of a model, or why there is none.
fn protocol_of(model: &Model) -> Result<&Protocol, Diagnostics> {
    match &model.body {
        Body::Protocol(p) => Ok(p),
        Body::Act(_) => Err(fail(
            Diagnostic::error(
                &model.source,
                format!(
                    "это не протокол, а {}: выписку делают только из протокола",
                    model.kind.info().nominative
                ),
            )
            .with_hint("укажите файл протокола (kind = \"protocol\")"),
        )),
    }
}

/// «3 вопроса».
fn questions(n: usize) -> String {
    format!(
        "{n} {}",
        numbers::plural(n as i64, ["вопрос", "вопроса", "вопросов"])
    )
}

/// The items a selection names, checked against the agenda.
fn items(
    model: &Model,
    p: &Protocol,
    selection: &Selection,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<usize>, Diagnostics> {
    let n = p.agenda.len();
    if n == 0 {
        return Err(fail(
            Diagnostic::error(
                &model.source,
                "в протоколе нет повестки дня: выписку делают по вопросу повестки",
            )
            .with_field("agenda")
            .with_hint("добавьте вопросы повестки: [[agenda]] с полем title"),
        ));
    }
    match selection {
        Selection::Item(i) if (1..=n).contains(i) => Ok(vec![*i]),
        Selection::Item(i) => Err(fail(
            Diagnostic::error(
                &model.source,
                format!("в повестке {}, а указан № {i}", questions(n)),
            )
            .with_hint(if n == 1 {
                "укажите --item 1".to_owned()
            } else {
                format!("укажите номер вопроса от 1 до {n}: --item 1")
            }),
        )),
        Selection::To(body) => {
            let mut found: Vec<usize> = Vec::new();
            let mut loose = false;
            for d in &p.decisions {
                if addressed(d, body) {
                    match d.question {
                        Some(q) => found.push(q),
                        None if n == 1 => found.push(1),
                        None => loose = true,
                    }
                }
            }
            found.sort_unstable();
            found.dedup();
            if loose {
                let untied = Diagnostic::error(
                    &model.source,
                    format!(
                        "решения, адресованные «{body}», не отнесены ни к одному вопросу повестки: по какому вопросу делать выписку, неизвестно"
                    ),
                )
                .with_hint(
                    "укажите у этих [[decision]] номер вопроса (question = 2) или сделайте выписку по номеру: --item 2",
                );
                // Nothing to extract is an error; some items found, the
                // rest is said.
                if found.is_empty() {
                    return Err(fail(untied));
                }
                warnings.push(untied.warning());
            }
            if found.is_empty() {
                let mut bodies: Vec<String> = Vec::new();
                collect_to(&p.decisions, &mut bodies);
                let hint = if bodies.is_empty() {
                    "у решений протокола нет адресатов (поле to)".to_owned()
                } else {
                    format!("адресаты решений в протоколе: {}", bodies.join("; "))
                };
                return Err(fail(
                    Diagnostic::error(
                        &model.source,
                        format!("ни одно решение не адресовано «{body}»"),
                    )
                    .with_hint(hint),
                ));
            }
            Ok(found)
        }
    }
}

/// Every `to` of the points, in order, once each.
fn collect_to(points: &[Point], out: &mut Vec<String>) {
    for p in points {
        if let Some(t) = &p.to {
            let t = t.trim().trim_end_matches(':').to_owned();
            if !out.contains(&t) {
                out.push(t);
            }
        }
        collect_to(&p.points, out);
    }
}

/// Whether a point or one of its sub-points is addressed to `body`.
fn addressed(p: &Point, body: &str) -> bool {
    p.to.as_deref().is_some_and(|to| names_body(to, body))
        || p.points.iter().any(|s| addressed(s, body))
}

/// Whether `to` («Отделу образования Администрации …») names `body`
/// («Отдел образования»): the body's words appear in it one after another,
/// each in any case (the addressee is in the dative, the user types the
/// nominative), so a word matches on its stem: all but its last three
/// letters at most, and at least four.
pub fn names_body(to: &str, body: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase().replace('ё', "е"))
            .collect()
    };
    let to = words(to);
    let body = words(body);
    if body.is_empty() {
        return false;
    }
    let same = |a: &str, b: &str| {
        if a == b {
            return true;
        }
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let longer = a.len().max(b.len());
        common >= 4 && common + 3 >= longer
    };
    to.windows(body.len())
        .any(|w| w.iter().zip(&body).all(|(t, b)| same(t, b)))
}

/// Whether any speech or decision is tied to no item.
fn has_loose(p: &Protocol) -> bool {
    p.heard.iter().chain(&p.spoke).any(|s| s.question.is_none())
        || p.decisions.iter().any(|d| d.question.is_none())
}

/// The view of the extract of one item: the protocol's view narrowed to
/// the item, with the certification as its only signature and the
/// extract's date as the document's date.
pub fn view(model: &Model, item: usize, request: &Request) -> Result<View, Diagnostics> {
    let protocol = protocol_of(model)?;
    let mut narrowed = model.clone();
    let mut p = protocol.clone();
    let keep = |q: Option<usize>| q.is_none_or(|q| q == item);
    p.agenda.retain(|a| a.number == item);
    p.heard.retain(|s| keep(s.question));
    p.spoke.retain(|s| keep(s.question));
    // Numbers stay as the protocol printed them: the model numbered the
    // points already, and by question the view numbers them within the
    // item, which is the item's own.
    p.decisions.retain(|d| keep(d.question));
    let (position, person) = certifier(model, protocol, request)?;
    p.signatures = vec![Signature {
        position,
        person,
        electronic: None,
    }];
    narrowed.body = Body::Protocol(Box::new(p));
    let mut view = view::build(&narrowed);
    view.kind = KIND;
    view.meta.date = request.date.format("%Y-%m-%d").to_string();
    let number = protocol
        .meeting
        .number
        .as_deref()
        .map(|n| format!(" № {n}"))
        .unwrap_or_default();
    view.meta.title = format!("Выписка из протокола{number} {}", protocol.meeting.title);
    let Some(pv) = view.protocol.as_mut() else {
        return Ok(view);
    };
    // Everything of the item in its part, whatever the course: the
    // template prints one part.
    let by_question = model.options.course == Course::ByQuestion;
    if let Some(part) = pv.parts.first_mut() {
        if by_question {
            part.heard.append(&mut pv.heard);
            part.spoke.append(&mut pv.spoke);
            part.decisions.append(&mut pv.decisions);
        } else {
            // Once labelled, the protocol prints them grouped by item
            // («По 2 вопросу»), in order of each group's first speech.
            part.heard = if model.options.heard_label == LabelPlacement::Once {
                std::mem::take(&mut pv.heard_groups)
                    .into_iter()
                    .flat_map(|g| g.speeches)
                    .collect()
            } else {
                std::mem::take(&mut pv.heard)
            };
            part.spoke = std::mem::take(&mut pv.spoke);
            part.decisions = std::mem::take(&mut pv.decisions);
        }
        pv.heard_groups.clear();
        if let Some(point) = &request.point {
            part.decisions =
                only_point(std::mem::take(&mut part.decisions), point).map_err(|numbers| {
                    Diagnostic::error(
                        &model.source,
                        format!("в решениях по вопросу № {item} нет пункта {point}"),
                    )
                    .with_hint(if numbers.is_empty() {
                        "по этому вопросу нет решений; уберите --point".to_owned()
                    } else {
                        format!("пункты решений по этому вопросу: {}", numbers.join(", "))
                    })
                })?;
        }
    }
    Ok(view)
}

/// The person who certifies the extract and their position lines.
fn certifier(
    model: &Model,
    p: &Protocol,
    request: &Request,
) -> Result<(Vec<String>, Person), Diagnostics> {
    let is_secretary = |s: &Signature| {
        s.position
            .first()
            .is_some_and(|l| l.trim().to_lowercase().starts_with("секретар"))
    };
    // «Секретарь совещания» as the protocol's signature has it.
    let signed = |person: &Person| {
        p.signatures
            .iter()
            .find(|s| is_secretary(s) && s.person.name == person.name)
            .map(|s| s.position.clone())
    };
    let (lines, person) = if let Some(text) = &request.signer {
        let person = match known_person(p, text) {
            Some(person) => person,
            None => {
                let name = PersonName::parse(text).map_err(|e| {
                    fail(
                        Diagnostic::error(
                            &model.source,
                            format!("--signer «{text}»: это не имя ({})", e.0),
                        )
                        .with_hint(
                            "напишите имя того, кто заверяет выписку: --signer \"И.О. Фамилия\"",
                        ),
                    )
                })?;
                Person {
                    gender: names::gender_of(&name),
                    name,
                    position: None,
                    name_cases: Default::default(),
                    position_cases: Default::default(),
                }
            }
        };
        (signed(&person), person)
    } else if let Some(s) = &p.secretary {
        (signed(s), s.clone())
    } else if let Some(s) = p.signatures.iter().find(|s| is_secretary(s)) {
        (Some(s.position.clone()), s.person.clone())
    } else {
        return Err(fail(Diagnostic::error(
            &model.source,
            "в протоколе не указан секретарь (ни [meeting] secretary, ни подписи «Секретарь»), а выписку заверяет он",
        )
        .with_hint(
            "укажите, кто заверяет выписку: --signer \"И.О. Фамилия\" и, если это не секретарь, --position \"должность\"",
        )));
    };
    let position = match &request.position {
        Some(pos) => vec![pos.trim().to_owned()],
        None => lines.unwrap_or_else(|| vec![DEFAULT_POSITION.to_owned()]),
    };
    Ok((position, person))
}

/// A person of the protocol a `--signer` names: by surname, and by
/// initials when given.
fn known_person(p: &Protocol, text: &str) -> Option<Person> {
    let given = PersonName::parse(text).ok()?;
    let mut people: Vec<&Person> = Vec::new();
    people.extend(&p.secretary);
    people.extend(&p.chair);
    people.extend(p.signatures.iter().map(|s| &s.person));
    people.extend(p.agenda.iter().filter_map(|a| a.speaker.as_ref()));
    people.extend(p.heard.iter().chain(&p.spoke).map(|s| &s.speaker));
    people
        .into_iter()
        .find(|person| {
            person.name.surname == given.surname
                && (given.initials.is_empty() || person.name.initials == given.initials)
        })
        .cloned()
}

/// The point numbered `wanted` («2.3» or «2.3.») with the points above it
/// (their headings give it its addressee) and below it, and their closing
/// lines (a shared deadline, a vote); or every number there is.
fn only_point(points: Vec<PointView>, wanted: &str) -> Result<Vec<PointView>, Vec<String>> {
    let norm = |s: &str| s.trim().trim_end_matches('.').to_owned();
    let wanted = norm(wanted);
    if !points
        .iter()
        .any(|p| !p.closing && norm(&p.number) == wanted)
    {
        return Err(points
            .iter()
            .filter(|p| !p.closing)
            .map(|p| norm(&p.number))
            .collect());
    }
    // Related: an ancestor («2» of «2.3»), the point, or a descendant.
    let related = |n: &str| {
        n == wanted || wanted.starts_with(&format!("{n}.")) || n.starts_with(&format!("{wanted}."))
    };
    // The number of the last point seen at each depth: a closing line
    // belongs to the point at its depth.
    let mut last: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for p in points {
        let owner = if p.closing {
            last.get(p.depth).cloned().unwrap_or_default()
        } else {
            let n = norm(&p.number);
            last.truncate(p.depth);
            last.resize(p.depth, String::new());
            last.push(n.clone());
            n
        };
        if related(&owner) {
            out.push(p);
        }
    }
    Ok(out)
}

/// The extract's document tree: the template, then the markup, reading
/// the emblem the profile names from the user's folders.
fn document(
    input: &Path,
    view: &View,
    templates: &Templates,
    access: &Access,
) -> Result<Document, Diagnostics> {
    let markup = templates
        .render(view)
        .map_err(|e| Diagnostic::error(input, e.to_string()))?;
    let pictures = Pictures::of(input, access);
    markup::parse(&markup, &|name: &str| pictures.read(name)).map_err(|e| {
        let emblem = (view.org.emblem.as_deref()).zip(view.org.emblem_named_at.as_deref());
        if let Some(at) = pictures.error_where_named(emblem, input) {
            return at.into();
        }
        let message = match templates.locate(view, &markup, e.line, e.column) {
            Some(at) => format!(
                "шаблон {}, строка {}: {}\n{}",
                at.origin,
                at.line,
                e.message,
                at.frame()
            ),
            None => format!("шаблон {}: {e}", templates.origin("extract.xml")),
        };
        Diagnostic::error(input, message)
            .with_hint(
                pictures
                    .hint()
                    .unwrap_or("исправьте шаблон extract.xml (см. docs/MARKUP.md)"),
            )
            .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_found_in_the_dative() {
        let to = "Отделу образования Администрации муниципального образования «Ельнинский район»";
        assert!(names_body(to, "Отдел образования"));
        assert!(names_body(to, "отдел образования администрации"));
        assert!(!names_body(to, "Управление образования"));
        assert!(names_body(
            "Руководителям общеобразовательных учреждений Жуковского района",
            "Руководители общеобразовательных учреждений"
        ));
        assert!(names_body(
            "Муниципальному образовательному центру",
            "Муниципальный образовательный центр"
        ));
        assert!(!names_body("Отделу образования", ""));
    }

    #[test]
    fn dates_in_both_forms() {
        let d = NaiveDate::from_ymd_opt(2024, 5, 17).unwrap();
        assert_eq!(parse_date("17.05.2024"), Ok(d));
        assert_eq!(parse_date("2024-05-17"), Ok(d));
        assert_eq!(
            parse_date("17 мая"),
            Err("дата «17 мая» не распознана: напишите её как 17.05.2024 или 2024-05-17".into())
        );
    }

    #[test]
    fn questions_agree_with_their_number() {
        assert_eq!(questions(1), "1 вопрос");
        assert_eq!(questions(3), "3 вопроса");
        assert_eq!(questions(5), "5 вопросов");
    }
}
