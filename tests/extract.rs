//! `gostdoc extract`: a выписка из протокола holds the protocol's own text
//! for the item, paragraph for paragraph and in order, and ends with the
//! certification «Выписка верна / должность / подпись / дата».

mod common;

use chrono::NaiveDate;
use common::*;
use gostdoc::build::Format;
use gostdoc::extract::{self, Request, Selection};
use gostdoc::input::Access;
use gostdoc::model::text::TextBlock;
use gostdoc::model::{self, Course};
use gostdoc::view::{self, PointView, SpeechView};
use std::path::Path;

/// How a paragraph of the item is recognised in a document's text.
#[derive(Debug)]
enum Key {
    /// The paragraph starts with this (a point: its number, addressee and
    /// text).
    Starts(String),
    /// The paragraph contains this (a speech, an agenda title).
    Contains(String),
}

impl Key {
    fn matches(&self, paragraph: &str) -> bool {
        match self {
            Key::Starts(s) => paragraph.starts_with(s.as_str()),
            Key::Contains(s) => paragraph.contains(s.as_str()),
        }
    }
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, 17).unwrap()
}

/// The extract of one item of a seed, certified on 17.05.2024, as DOCX.
fn extract_docx(input: &Path, request: &Request) -> Result<Vec<u8>, String> {
    let out = extract::render(
        input,
        request,
        &templates(),
        &[Format::Docx],
        &Default::default(),
        &Access::for_document(input),
    )
    .map_err(|d| d.to_string())?;
    assert_eq!(out.extracts.len(), 1);
    Ok(out.extracts[0].files[0].1.clone())
}

fn request(item: usize) -> Request {
    Request {
        selection: Selection::Item(item),
        point: None,
        date: date(),
        position: None,
        signer: None,
    }
}

fn blocks(blocks: &[TextBlock], keys: &mut Vec<Key>) {
    for b in blocks {
        match b {
            TextBlock::Paragraph(p) => keys.push(Key::Contains(p.clone())),
            TextBlock::Bullets(items) => keys.extend(items.iter().cloned().map(Key::Contains)),
        }
    }
}

fn speeches<'a>(list: impl IntoIterator<Item = &'a SpeechView>, keys: &mut Vec<Key>) {
    for s in list {
        if !s.text.is_empty() {
            keys.push(Key::Contains(s.text.clone()));
        }
        blocks(&s.rest, keys);
    }
}

fn points<'a>(list: impl IntoIterator<Item = &'a PointView>, keys: &mut Vec<Key>) {
    for pt in list {
        if pt.closing {
            if let Some(g) = &pt.group_deadline {
                keys.push(Key::Starts(format!("{}: {}", pt.group_label, g.text)));
            }
            continue;
        }
        keys.push(Key::Starts(format!(
            "{} {}{}",
            pt.number,
            pt.to.as_deref().unwrap_or_default(),
            pt.text
        )));
        blocks(&pt.rest, keys);
    }
}

/// The paragraphs of item `item` as the full protocol prints them, in the
/// extract's order: the agenda title, СЛУШАЛИ, ВЫСТУПИЛИ, РЕШИЛИ. What is
/// tied to no item belongs to every item.
fn item_keys(input: &Path, item: usize) -> Vec<Key> {
    let model = model::load(input).unwrap();
    let by_question = model.options.course == Course::ByQuestion;
    let v = view::build(&model);
    let p = v.protocol.as_ref().unwrap();
    let mine = |q: Option<usize>| q.is_none_or(|q| q == item);
    let mut keys = vec![Key::Contains(p.agenda[item - 1].title.clone())];
    if by_question {
        let part = &p.parts[item - 1];
        speeches(part.heard.iter().chain(&p.heard), &mut keys);
        speeches(part.spoke.iter().chain(&p.spoke), &mut keys);
        points(part.decisions.iter().chain(&p.decisions), &mut keys);
    } else {
        let heard: Vec<&SpeechView> = if model.options.heard_label == model::LabelPlacement::Once {
            p.heard_groups
                .iter()
                .filter(|g| mine(g.question))
                .flat_map(|g| &g.speeches)
                .collect()
        } else {
            p.heard.iter().filter(|s| mine(s.question)).collect()
        };
        speeches(heard, &mut keys);
        speeches(p.spoke.iter().filter(|s| mine(s.question)), &mut keys);
        // A sub-point belongs to the item of its top-level point.
        let mut top = None;
        let decided: Vec<&PointView> = p
            .decisions
            .iter()
            .filter(|pt| {
                if pt.depth == 0 && !pt.closing {
                    top = pt.question;
                }
                mine(top)
            })
            .collect();
        points(decided, &mut keys);
    }
    keys
}

/// A paragraph without its list number («2. ») and its label
/// («СЛУШАЛИ: »), which the protocol and the extract place differently.
fn body<'a>(paragraph: &'a str, labels: &[&str]) -> &'a str {
    let mut s = paragraph;
    if let Some((n, rest)) = s.split_once(". ")
        && !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
    {
        s = rest;
    }
    for label in labels {
        if let Some(rest) = s.strip_prefix(&format!("{label}: ")) {
            s = rest;
        }
    }
    s
}

/// Checks that the extract holds every paragraph of the item as the
/// protocol prints it, in order, then the certification block.
fn assert_extract(id: &str, item: usize, text: &str, protocol: &str, certified: [&str; 4]) {
    let input = seed_input(id);
    let model = model::load(&input).unwrap();
    let labels = [model.labels.heard.as_str(), model.labels.spoke.as_str()];
    let proto: Vec<&str> = protocol.lines().collect();
    let ext: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let keys = item_keys(&input, item);
    assert!(keys.len() > 1, "{id} item {item}: nothing to compare");
    let (mut pi, mut ei) = (0, 0);
    for key in &keys {
        let Some(p) = proto[pi..].iter().position(|l| key.matches(l)) else {
            panic!("{id}: the protocol lacks {key:?} after its paragraph {pi}");
        };
        pi += p;
        let Some(e) = ext[ei..].iter().position(|l| key.matches(l)) else {
            panic!(
                "{id}, вопрос {item}: в выписке нет (или не по порядку) {key:?}\nвыписка:\n{text}"
            );
        };
        ei += e;
        assert_eq!(
            body(ext[ei], &labels),
            body(proto[pi], &labels),
            "{id}, вопрос {item}: абзац выписки отличается от протокола"
        );
        pi += 1;
        ei += 1;
    }
    let tail: Vec<&str> = ext[ext.len() - 4..].to_vec();
    assert_eq!(
        tail, certified,
        "{id}, вопрос {item}: заверительная надпись"
    );
    assert!(
        ei <= ext.len() - 4,
        "{id}, вопрос {item}: заверительная надпись не в конце"
    );
}

#[test]
fn every_item_of_every_seed_protocol_is_its_protocol_text_then_certified() {
    let seeds: [(&str, usize, Option<&str>, [&str; 2]); 4] = [
        (
            "000",
            1,
            None,
            ["Секретарь совещания", "____________ О.Н.\u{a0}Климова"],
        ),
        (
            "001",
            2,
            None,
            ["Секретарь", "____________ Ю.В.\u{a0}Макарова"],
        ),
        (
            "002",
            2,
            None,
            ["Секретарь", "____________ Р.И.\u{a0}Сулейманова"],
        ),
        // No secretary in 003: whoever certifies is named.
        (
            "003",
            3,
            Some("Севостьянова"),
            ["Секретарь", "____________ Ю.Н.\u{a0}Севостьянова"],
        ),
    ];
    for (id, items, signer, [position, signature]) in seeds {
        let input = seed_input(id);
        let protocol = docx_text(&render(&input));
        for item in 1..=items {
            let mut r = request(item);
            r.signer = signer.map(str::to_owned);
            let docx = extract_docx(&input, &r).unwrap_or_else(|e| panic!("{id}: {e}"));
            let text = docx_text(&docx);
            assert!(
                text.contains("ВЫПИСКА ИЗ ПРОТОКОЛА"),
                "{id}: no heading:\n{text}"
            );
            assert_extract(
                id,
                item,
                &text,
                &protocol,
                ["Выписка верна", position, signature, "17.05.2024"],
            );
        }
    }
}

#[test]
fn an_item_past_the_agenda_is_a_russian_error() {
    let input = seed_input("003");
    let err = extract_docx(&input, &request(5)).unwrap_err();
    assert!(
        err.contains("003_astrakhan_500plus.toml: ошибка: в повестке 3 вопроса, а указан № 5"),
        "{err}"
    );
    assert!(err.contains("укажите номер вопроса от 1 до 3"), "{err}");
    let one = extract_docx(&seed_input("000"), &request(2)).unwrap_err();
    assert!(one.contains("в повестке 1 вопрос, а указан № 2"), "{one}");
}

#[test]
fn an_act_is_not_a_protocol() {
    let err = extract_docx(&seed_input("004"), &request(1)).unwrap_err();
    assert!(
        err.contains(
            "ошибка: это не протокол, а постановление: выписку делают только из протокола"
        ),
        "{err}"
    );
}

#[test]
fn a_protocol_without_a_secretary_asks_who_certifies() {
    let err = extract_docx(&seed_input("003"), &request(1)).unwrap_err();
    assert!(err.contains("в протоколе не указан секретарь"), "{err}");
    assert!(err.contains("--signer"), "{err}");
}

#[test]
fn one_point_comes_with_the_points_above_and_below_it_and_its_deadline() {
    let mut r = request(1);
    r.point = Some("2.3".into());
    let text = docx_text(&extract_docx(&seed_input("000"), &r).unwrap());
    let decided: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "РЕШИЛИ:")
        .skip(1)
        .take_while(|l| *l != "Выписка верна")
        .filter(|l| !l.trim().is_empty())
        .collect();
    let numbers: Vec<&str> = decided
        .iter()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    // 2. is the addressee («Отделу образования …:»), 2.3. the point, and
    // «Срок: …» the deadline point 2 gives its sub-points.
    assert_eq!(numbers, ["2.", "2.3.", "Срок:"], "{text}");
    let mut bad = request(1);
    bad.point = Some("7.1".into());
    let err = extract_docx(&seed_input("000"), &bad).unwrap_err();
    assert!(
        err.contains("в решениях по вопросу № 1 нет пункта 7.1"),
        "{err}"
    );
    assert!(
        err.contains("пункты решений по этому вопросу: 1, 2, 2.1"),
        "{err}"
    );
}

#[test]
fn the_command_writes_both_files_under_the_protocols_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = seed_input("002");
    let out = gostdoc(
        dir.path(),
        &[
            "extract",
            input.to_str().unwrap(),
            "--item",
            "2",
            "-o",
            "out",
            "--date",
            "17.05.2024",
            "--templates",
            root().join("templates").to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for ext in ["docx", "pdf"] {
        let path = dir
            .path()
            .join(format!("out/002_rabochaya_gruppa_4_vypiska_2.{ext}"));
        assert!(path.is_file(), "{} not written", path.display());
    }
    let pdf = std::fs::read(dir.path().join("out/002_rabochaya_gruppa_4_vypiska_2.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));

    let bad = gostdoc(
        dir.path(),
        &["extract", input.to_str().unwrap(), "--item", "5"],
    );
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("ошибка: в повестке 2 вопроса, а указан № 5"),
        "{stderr}"
    );
}

#[test]
fn to_finds_the_items_addressed_to_a_body_in_any_case() {
    let input = seed_input("000");
    let mut r = request(1);
    r.selection = Selection::To("Муниципальный образовательный центр".into());
    let out = extract::render(
        &input,
        &r,
        &templates(),
        &[Format::Docx],
        &Default::default(),
        &Access::for_document(&input),
    )
    .unwrap();
    let items: Vec<usize> = out.extracts.iter().map(|e| e.item).collect();
    assert_eq!(items, [1]);
    r.selection = Selection::To("Управление культуры".into());
    let err = extract::render(
        &input,
        &r,
        &templates(),
        &[Format::Docx],
        &Default::default(),
        &Access::for_document(&input),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("ни одно решение не адресовано «Управление культуры»"),
        "{err}"
    );
    assert!(
        err.contains("Муниципальному образовательному центру"),
        "{err}"
    );
}

/// A council that ties everything to its items, by question, with votes.
const COUNCIL: &str = r#"
kind = "protocol"

[options]
course = "by_question"

[[people]]
name = "Иванова Мария Петровна"
position = "директор школы"

[[people]]
name = "Петров С.Н."
position = "заместитель директора"

[[people]]
name = "Сидорова А.А."

[meeting]
title = "педагогического совета"
number = "3"
date = 2024-03-28
city = "г. Заречный"
chair = "Иванова"
secretary = "Сидорова"

[[agenda]]
title = "Об итогах третьей четверти."
speaker = "Петров"

[[agenda]]
title = "О подготовке к экзаменам."
speaker = "Иванова"
votes = { for = 18, against = 0, abstained = 0 }

[[heard]]
question = 1
speaker = "Петров"
text = "об итогах третьей четверти."

[[heard]]
question = 2
speaker = "Иванова"
text = "о подготовке к экзаменам."

[[spoke]]
question = 2
speaker = "Петров"
text = "Предложил провести пробные экзамены в апреле."

[[decision]]
question = 1
text = "Итоги четверти принять к сведению."
votes = { for = 17, against = 0, abstained = 1 }

[[decision]]
question = 2
to = "Учителям-предметникам"

[[decision.point]]
text = "Провести пробные экзамены."
deadline = "до 20.04.2024"

[[decision.point]]
text = "Составить графики консультаций."
deadline = "до 05.04.2024"
"#;

#[test]
fn an_item_by_question_keeps_its_numbers_and_its_votes_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_temp(dir.path(), "sovet.toml", COUNCIL.as_bytes());
    let protocol = docx_text(&render(&input));
    let one = docx_text(&extract_docx(&input, &request(1)).unwrap());
    let two = docx_text(&extract_docx(&input, &request(2)).unwrap());
    let lines = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect()
    };
    let one = lines(&one);
    let two = lines(&two);
    // The vote on decision 1.1 prints as in the protocol, right after it.
    let vote = protocol
        .lines()
        .find(|l| l.starts_with("ГОЛОСОВАЛИ:") && l.contains("17"))
        .expect("the protocol prints the vote on 1.1")
        .to_owned();
    let at = one
        .iter()
        .position(|l| l.starts_with("1.1. Итоги четверти"))
        .unwrap();
    assert_eq!(one[at + 1], vote, "{one:#?}");
    assert!(!one.iter().any(|l| l.contains("экзамен")), "{one:#?}");
    // Item 2: its number and title, its speeches, its points «2.1.»,
    // «2.1.1.» as the protocol numbers them, and the vote on the item.
    assert!(
        one[0..3].iter().any(|l| l == "ВЫПИСКА ИЗ ПРОТОКОЛА"),
        "{one:#?}"
    );
    assert!(
        two.contains(&"2. О\u{a0}подготовке к\u{a0}экзаменам.".to_owned()),
        "{two:#?}"
    );
    for line in [
        "ВЫСТУПИЛИ:",
        "2.1. Учителям-предметникам:",
        "2.1.1. Провести пробные экзамены\u{a0}— срок до 20.04.2024.",
    ] {
        assert!(
            protocol.lines().any(|l| l == line),
            "the protocol lacks {line:?}:\n{protocol}"
        );
        assert!(two.iter().any(|l| l == line), "{line:?} missing:\n{two:#?}");
    }
    let item_vote = protocol
        .lines()
        .find(|l| l.contains("18"))
        .expect("the protocol prints the vote on item 2")
        .to_owned();
    assert!(two.contains(&item_vote), "{two:#?}");
    assert!(!two.iter().any(|l| l.contains("четверти")), "{two:#?}");
    assert_eq!(
        &two[two.len() - 4..],
        [
            "Выписка верна",
            "Секретарь",
            "____________ А.А.\u{a0}Сидорова",
            "17.05.2024"
        ]
    );
}

/// A templates folder that overrides protocol.xml (a documented thing to
/// do) must not break the extract, nor, through it, every build: the
/// extract's components are its own. It did, when extract.xml used the
/// components of protocol.xml («Unknown component `speeches`»).
#[test]
fn an_overridden_protocol_template_breaks_no_extract() {
    let dir = tempfile::tempdir().unwrap();
    write_temp(
        dir.path(),
        "templates/protocol.xml",
        b"<document title=\"x\"><section><p>{{ protocol.title }}</p></section></document>\n",
    );
    let templates = gostdoc::template::Templates::load(Some(&dir.path().join("templates")))
        .unwrap_or_else(|e| panic!("{e}"));
    let input = seed_input("000");
    let out = extract::render(
        &input,
        &request(1),
        &templates,
        &[Format::Docx],
        &Default::default(),
        &Access::for_document(&input),
    )
    .unwrap();
    let text = docx_text(&out.extracts[0].files[0].1);
    assert!(text.contains("Выписка верна"), "{text}");
}

/// Decisions addressed to the body but tied to no item of a protocol of
/// several: which item to extract is unknown, and an error says so rather
/// than writing nothing and succeeding (which it did).
#[test]
fn to_with_untied_decisions_in_a_protocol_of_several_items_is_an_error() {
    let input = seed_input("001");
    let mut r = request(1);
    r.selection = Selection::To("Отдел образования".into());
    let err = extract::render(
        &input,
        &r,
        &templates(),
        &[Format::Docx],
        &Default::default(),
        &Access::for_document(&input),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("ошибка: решения, адресованные «Отдел образования», не отнесены ни к одному вопросу повестки"),
        "{err}"
    );
    assert!(err.contains("question = 2"), "{err}");
}

/// A выписка says who held the meeting and how many were there, as a real
/// one does, before the agenda item: the chair, the secretary and the
/// count (here 18, whose names the protocol lists in its appendix).
#[test]
fn the_extract_names_the_chair_the_secretary_and_the_count_present() {
    let input = root().join("data/009_shkola_pedsovet_2.toml");
    let text = docx_text(&extract_docx(&input, &request(1)).unwrap()).replace('\u{a0}', " ");
    assert!(
        text.contains(
            "г. Заречный\n\
             Председатель: Е.В. Кузнецова, директор\n\
             Секретарь: С.А. Сидорова, заместитель директора по учебной работе\n\
             Присутствовали: 18 человек\n\
             ПОВЕСТКА ДНЯ:\n"
        ),
        "{text}"
    );
}

/// An item with no decision makes a выписка without «РЕШИЛИ»: made, as
/// asked, with a warning that names the item (a wrong `--item`, or a
/// decision not tied to its item, is the likely slip).
#[test]
fn an_item_without_a_decision_is_extracted_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seed_input("001")).unwrap();
    let questions = text.matches("[[agenda]]").count();
    assert!(questions > 1, "seed 001 has several items");
    // Every decision tied to item 1: item 2 has none.
    let mut tied = String::new();
    for line in text.lines() {
        tied.push_str(line);
        tied.push('\n');
        if line.trim() == "[[decision]]" {
            tied.push_str("question = 1\n");
        }
    }
    let tied = tied.replace("question = 1\nquestion =", "question =");
    let input = write_temp(dir.path(), "p.toml", tied.as_bytes());
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    for entry in std::fs::read_dir(root().join("data/profiles")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            dir.path().join("profiles").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let render = |item| {
        extract::render(
            &input,
            &request(item),
            &templates(),
            &[Format::Docx],
            &Default::default(),
            &Access::for_document(&input),
        )
        .unwrap()
    };
    let extracts = render(2);
    assert_eq!(extracts.extracts.len(), 1);
    let said: Vec<&str> = extracts
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(
        said.contains(&"по вопросу № 2 повестки нет решений: выписка выйдет без раздела «РЕШИЛИ»"),
        "{said:?}"
    );
    assert!(
        render(1)
            .warnings
            .iter()
            .all(|w| !w.message.contains("нет решений")),
        "item 1 has its decisions"
    );
}
