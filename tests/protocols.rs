//! Protocols as real bodies keep them (issue 12): votes in the ГОСТ form
//! after the decision they belong to, the checks of votes against those
//! present (the chair and the secretary counted once), decisions without a
//! vote, and names that match nobody in `[[people]]`.

mod common;
use common::lo::*;
use common::*;
use std::path::Path;

fn check(dir: &Path, text: &str) -> (i32, String) {
    write_temp(dir, "data/p.toml", text.as_bytes());
    let out = gostdoc(dir, &["check", "data/p.toml"]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn built_text(dir: &Path, text: &str) -> String {
    let file = write_temp(dir, "data/p.toml", text.as_bytes());
    docx_text(&render(&file)).replace('\u{a0}', " ")
}

const COUNCIL: &str = r#"kind = "protocol"

[[people]]
name = "Лебедева Анна Сергеевна"
position = "директор"
[[people]]
name = "Соколова Мария Ивановна"
position = "заместитель директора"
[[people]]
name = "Орлов Пётр Ильич"
position = "учитель"

[meeting]
title = "педагогического совета"
number = "3"
date = 2024-11-05
chair = "Лебедева"
secretary = "Соколова"

[[present]]
name = "Лебедева"
[[present]]
name = "Соколова"
[[present]]
name = "Орлов"

[[agenda]]
title = "О переводе обучающихся"
speaker = "Лебедева"

[[decision]]
question = 1
to = "Классным руководителям"
votes = { for = 3, against = 0, abstained = 0 }
[[decision.point]]
text = "Подготовить списки."
[[decision.point]]
text = "Сообщить родителям."
"#;

#[test]
fn the_vote_follows_the_decision_and_its_sub_points() {
    let dir = tempfile::tempdir().unwrap();
    let text = built_text(dir.path(), COUNCIL);
    let order = [
        "1.1. Классным руководителям:",
        "1.1.1. Подготовить списки.",
        "1.1.2. Сообщить родителям.",
        "ГОЛОСОВАЛИ: «за» — 3, «против» — 0, «воздержались» — 0.",
    ];
    let mut at = 0;
    for line in order {
        let found = text[at..]
            .find(line)
            .unwrap_or_else(|| panic!("no «{line}» after the previous line in:\n{text}"));
        at += found + line.len();
    }
    let unanimous = COUNCIL.replace("[meeting]", "[options]\nvotes = \"unanimous\"\n\n[meeting]");
    let text = built_text(dir.path(), &unanimous);
    assert!(
        text.contains("1.1.2. Сообщить родителям.\nРешение принято единогласно."),
        "{text}"
    );
    assert!(!text.contains("ГОЛОСОВАЛИ"), "{text}");
    // Not unanimous: the counts, whatever the form.
    let split = unanimous.replace("abstained = 0", "abstained = 1");
    let text = built_text(dir.path(), &split);
    assert!(
        text.contains("ГОЛОСОВАЛИ: «за» — 3, «против» — 0, «воздержались» — 1."),
        "{text}"
    );
}

#[test]
fn a_vote_on_a_whole_agenda_item_follows_its_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let item = COUNCIL
        .replace("votes = { for = 3, against = 0, abstained = 0 }\n", "")
        .replace(
            "speaker = \"Лебедева\"\n",
            "speaker = \"Лебедева\"\nvotes = { for = 2, against = 1 }\n",
        );
    let text = built_text(dir.path(), &item);
    assert!(
        text.contains(
            "1.1.2. Сообщить родителям.\nГОЛОСОВАЛИ: «за» — 2, «против» — 1, «воздержались» — 0."
        ),
        "{text}"
    );
}

#[test]
fn votes_are_checked_against_those_present_counting_the_chair_and_secretary_once() {
    let dir = tempfile::tempdir().unwrap();
    // Three present, the chair and the secretary among them: three, not five.
    let (code, err) = check(dir.path(), COUNCIL);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("голосов"), "{err}");
    let four = COUNCIL.replace("for = 3,", "for = 4,");
    let (code, err) = check(dir.path(), &four);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("data/p.toml, строка 34, столбец 9: предупреждение в поле «decision[0].votes»: голосов 4, а присутствовало 3"),
        "{err}"
    );
    assert!(
        err.contains("председатель и секретарь считаются один раз"),
        "{err}"
    );
}

#[test]
fn a_decision_without_a_vote_is_a_warning_when_the_body_votes_on_everything() {
    let dir = tempfile::tempdir().unwrap();
    let unvoted = COUNCIL.replace("votes = { for = 3, against = 0, abstained = 0 }\n", "");
    let (_, err) = check(dir.path(), &unvoted);
    assert!(!err.contains("без голосования"), "{err}");
    let required = unvoted.replace("[meeting]", "[options]\nvotes_required = true\n\n[meeting]");
    let (code, err) = check(dir.path(), &required);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("предупреждение в поле «decision[0].votes»: решение принято без голосования: итогов голосования нет"),
        "{err}"
    );
}

#[test]
fn a_name_that_matches_nobody_is_a_warning_with_the_closest_name() {
    let dir = tempfile::tempdir().unwrap();
    let typo = COUNCIL.replace(
        "[[present]]\nname = \"Орлов\"",
        "[[present]]\nname = \"Орлова\"",
    );
    let (code, err) = check(dir.path(), &typo);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("data/p.toml, строка 25, столбец 8: предупреждение в поле «present[2].name»: «Орлова» нет среди [[people]]: напечатается без должности"),
        "{err}"
    );
    assert!(
        err.contains("подсказка: возможно, имелось в виду «Орлов»"),
        "{err}"
    );
    let initials = COUNCIL
        .replace("chair = \"Лебедева\"", "chair = \"Лебедева А.С.\"")
        .replace("secretary = \"Соколова\"", "secretary = \"Соколва М.И.\"");
    let (_, err) = check(dir.path(), &initials);
    assert!(
        err.contains("«Соколва М.И.» нет среди [[people]]")
            && err.contains("возможно, имелось в виду «Соколова М.И.»"),
        "{err}"
    );
}

#[test]
fn a_written_count_agrees_with_its_number() {
    let dir = tempfile::tempdir().unwrap();
    for (n, words) in [
        (1, "1 человек"),
        (2, "2 человека"),
        (5, "5 человек"),
        (11, "11 человек"),
        (21, "21 человек"),
        (22, "22 человека"),
        (46, "46 человек"),
    ] {
        let counted = COUNCIL
            .replace(
                "secretary = \"Соколова\"\n",
                &format!("secretary = \"Соколова\"\npresent_count = {n}\nabsent_count = {n}\n"),
            )
            .replace("votes = { for = 3, against = 0, abstained = 0 }\n", "");
        let text = built_text(dir.path(), &counted);
        assert!(
            text.contains(&format!("Присутствовали: {words}")),
            "{n}: {text}"
        );
        assert!(
            text.contains(&format!("Отсутствовали: {words}")),
            "{n}: {text}"
        );
    }
}

/// More than 15 named: the count with «(список прилагается)» and the list
/// as «Приложение № 1 … Список присутствующих»; 15 stay in the protocol.
#[test]
fn a_long_attendance_list_becomes_the_first_appendix() {
    let dir = tempfile::tempdir().unwrap();
    let with = |n: usize| {
        let mut text = COUNCIL.replace("[[present]]\nname = \"Орлов\"\n", "");
        for i in 0..n - 2 {
            // Surnames of letters only: «Учительб», «Учительв», …
            let letter = "бвгдежзиклмнопрстуф".chars().nth(i).unwrap();
            text.push_str(&format!("\n[[present]]\nname = \"Учитель{letter} А.А.\"\n"));
        }
        text.replacen(
            "[[people]]",
            "[options]\npresent_threshold = 15\n\n[[people]]",
            1,
        )
    };
    // 2 officers + 14 = 16 > 15.
    let text = built_text(dir.path(), &with(16));
    assert!(
        text.contains("Присутствовали: 16 человек (список прилагается)"),
        "{text}"
    );
    assert!(
        text.contains("Приложение № 1\nк протоколу педагогического совета\nот 05.11.2024 № 3\nСписок присутствующих\n"),
        "{text}"
    );
    assert!(text.contains("Лебедева А.С., директор"), "{text}");
    assert!(text.contains("Учительп А.А."), "{text}");
    // 15: listed in the protocol, no appendix.
    let text = built_text(dir.path(), &with(15));
    assert!(!text.contains("список прилагается"), "{text}");
    assert!(!text.contains("Список присутствующих"), "{text}");
    assert!(text.contains("Присутствовали:\n"), "{text}");
}

/// ГОСТ Р 7.0.97: the organisation's name above ПРОТОКОЛ, when the
/// document has no header lines of its own.
#[test]
fn the_organisation_name_stands_above_protokol() {
    let dir = tempfile::tempdir().unwrap();
    let named = COUNCIL.replacen(
        "[[people]]",
        "[organization]\nname = \"МБОУ «Средняя школа № 3»\"\n\n[[people]]",
        1,
    );
    let text = built_text(dir.path(), &named);
    assert!(
        text.starts_with("МБОУ «Средняя школа № 3»\nПРОТОКОЛ № 3\n")
            || text.starts_with("МБОУ «Средняя школа № 3»\nПРОТОКОЛ\n"),
        "{text}"
    );
    let without = named.replacen(
        "[organization]",
        "[options]\norganization_line = false\n\n[organization]",
        1,
    );
    let text = built_text(dir.path(), &without);
    assert!(text.starts_with("ПРОТОКОЛ"), "{text}");
}

#[test]
fn those_present_in_alphabetical_order_and_keywords_in_sentence_case_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let asked = COUNCIL.replacen(
        "[[people]]",
        "[options]\npresent_order = \"alphabetical\"\nkeywords = \"sentence\"\n\n[[people]]",
        1,
    );
    let text = built_text(dir.path(), &asked);
    let order = [
        "Присутствовали:",
        "Лебедева",
        "Орлов",
        "Соколова",
        "Повестка дня:",
    ];
    let mut at = 0;
    for piece in order {
        let found = text[at..]
            .find(piece)
            .unwrap_or_else(|| panic!("no «{piece}» in order in:\n{text}"));
        at += found + piece.len();
    }
    assert!(text.contains("Решили:"), "{text}");
    assert!(text.contains("Голосовали: «за» — 3"), "{text}");
    assert!(!text.contains("РЕШИЛИ"), "{text}");
    // As written, by default: Лебедева, Соколова, Орлов.
    let text = built_text(dir.path(), COUNCIL);
    let list = &text[text.find("Присутствовали:").unwrap()..];
    let soko = list.find("Соколова").unwrap();
    let orlov = list.find("Орлов").unwrap();
    assert!(soko < orlov, "{text}");
    assert!(text.contains("РЕШИЛИ:"), "{text}");
}

/// The vote block's place on the page: at the left margin (30 mm, no
/// indent, LAYOUT.md §5), on the line below the last sub-point.
#[test]
fn the_vote_block_stands_at_the_left_margin_below_the_last_sub_point() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_temp(dir.path(), "data/p.toml", COUNCIL.as_bytes());
    let built = gostdoc::build::render_formats(
        &file,
        &templates(),
        &[gostdoc::build::Format::Pdf],
        &gostdoc::pdf::PdfOptions::default(),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let pdf = write_temp(dir.path(), "p.pdf", &built.files[0].1);
    let out = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (scripts/test.sh installs poppler-utils)");
    let xml = String::from_utf8_lossy(&out.stdout);
    // (x, y) of a word's top-left corner, in mm.
    let word = |text: &str| {
        let at = xml
            .find(&format!(">{text}</word>"))
            .unwrap_or_else(|| panic!("no word «{text}»"));
        let tag = &xml[xml[..at].rfind("<word").unwrap()..at];
        let attr = |name: &str| -> f64 {
            let v = &tag[tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2..];
            v[..v.find('"').unwrap()].parse::<f64>().unwrap() * 25.4 / 72.0
        };
        (attr("xMin"), attr("yMin"))
    };
    let (x, y) = word("ГОЛОСОВАЛИ:");
    assert!((x - 30.0).abs() < 1.0, "the vote starts at {x:.1} mm");
    let (_, last) = word("родителям.");
    let (_, point) = word("1.1.2.");
    assert!(
        y > last && y > point,
        "the vote at {y:.1} mm, the last sub-point at {point:.1} mm"
    );
    assert!(
        y - point < 8.0,
        "on the next line: {:.1} mm below",
        y - point
    );
}

/// The responsible person closes the sentence: «… списки (ответственный —
/// Орлов П.И.).», not «… списки. (ответственный — Орлов П.И.)».
#[test]
fn the_responsible_person_stands_inside_the_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let with = COUNCIL.replace(
        "text = \"Подготовить списки.\"\n",
        "text = \"Подготовить списки.\"\nresponsible = \"Орлов П.И.\"\n",
    );
    let text = built_text(dir.path(), &with);
    assert!(
        text.contains("1.1.1. Подготовить списки (ответственный — Орлов П.И.)."),
        "{text}"
    );
}

/// The horizontal rules of a PDF's first page: (x1, x2, y), mm from the
/// page's top left corner, read from the content stream (`m`, `l`, `S`).
fn rules_on_first_page(pdf: &Path) -> Vec<[f32; 3]> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
    let num = |o: &lopdf::Object| o.as_float().unwrap_or(0.0);
    let mm = 25.4 / 72.0;
    let mut from = None;
    let mut out = Vec::new();
    for op in &content.operations {
        let xy = || (num(&op.operands[0]), num(&op.operands[1]));
        match op.operator.as_str() {
            "m" => from = Some(xy()),
            "l" => {
                let (x2, y2) = xy();
                if let Some((x1, y1)) = from.take()
                    && (y1 - y2).abs() < 0.01
                    && (x2 - x1).abs() > 100.0
                {
                    out.push([x1.min(x2) * mm, x1.max(x2) * mm, (841.89 - y1) * mm]);
                }
            }
            _ => {}
        }
    }
    out
}

/// The бланк: the parent body, the name, the reference data in 12 pt and a
/// rule under them, from margin to margin, where LibreOffice draws the
/// DOCX's bottom border.
#[test]
fn the_blank_has_parent_name_contacts_and_a_rule_where_libreoffice_draws_it() {
    let dir = tempfile::tempdir().unwrap();
    let blank = COUNCIL.replacen(
        "[[people]]",
        r#"[organization]
name = "МБОУ «Средняя школа № 3»"
parent = "Управление образования администрации Заречного муниципального округа"
header = ["МБОУ «СРЕДНЯЯ ШКОЛА № 3»"]
address = "ул. Школьная, д. 5, г. Заречный, 624250"
phone = "8 (34377) 3-12-45"
email = "school3@zarechny-edu.ru"

[[people]]"#,
        1,
    );
    let file = write_temp(dir.path(), "data/p.toml", blank.as_bytes());
    let built = gostdoc::build::render_formats(
        &file,
        &templates(),
        &[gostdoc::build::Format::Docx, gostdoc::build::Format::Pdf],
        &gostdoc::pdf::PdfOptions::default(),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let (docx, pdf) = (&built.files[0].1, &built.files[1].1);
    let text = docx_text(docx).replace('\u{a0}', " ");
    assert!(
        text.starts_with(
            "Управление образования администрации Заречного муниципального округа\n\
             МБОУ «СРЕДНЯЯ ШКОЛА № 3»\n\
             ул. Школьная, д. 5, г. Заречный, 624250\n\
             тел. 8 (34377) 3-12-45, e-mail: school3@zarechny-edu.ru\n\
             ПРОТОКОЛ\n"
        ),
        "{text}"
    );
    // The DOCX: one bottom border, on the last reference line, in 12 pt.
    let body = part(docx, "word/document.xml");
    assert_eq!(body.matches("<w:pBdr>").count(), 1, "{body}");
    let at = body.find("<w:pBdr>").unwrap();
    let para = &body[body[..at].rfind("<w:p>").unwrap()..];
    let para = &para[..para.find("</w:p>").unwrap()];
    assert!(
        para.contains(
            r#"<w:pBdr><w:bottom w:val="single" w:space="1" w:sz="6" w:color="000000"/></w:pBdr>"#
        ),
        "{para}"
    );
    assert!(
        para.contains("e-mail") && para.contains(r#"<w:sz w:val="24""#),
        "{para}"
    );
    let converted = convert(&[("blank", docx, pdf)]);
    let ours = rules_on_first_page(&converted.ours[0]);
    let theirs = rules_on_first_page(&converted.theirs[0]);
    assert_eq!(ours.len(), 1, "{ours:?}");
    assert!(!theirs.is_empty(), "LibreOffice draws no rule");
    let (o, t) = (ours[0], theirs[0]);
    assert!(
        (o[0] - 30.0).abs() < 0.1 && (o[1] - 200.0).abs() < 0.1,
        "{o:?}"
    );
    for k in 0..3 {
        assert!((o[k] - t[k]).abs() < 0.2, "ours {o:?}, LibreOffice's {t:?}");
    }
    assert_same_as_libreoffice("blank", &converted.ours[0], &converted.theirs[0]);
}
