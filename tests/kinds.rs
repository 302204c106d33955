//! Every kind of act from the kind table, as a secretary meets it: the
//! messages that name the kind, drafts, an appendix published on its own,
//! responsible persons printed, and the checks of tables (widths, header
//! words, merged cells, deadline columns) with their exact Russian
//! messages, file and line.

mod common;
use common::*;
use std::path::Path;

/// `gostdoc check` on one document written to `data/d.toml`: (exit code,
/// stderr).
fn check(dir: &Path, text: &str) -> (i32, String) {
    write_temp(dir, "data/d.toml", text.as_bytes());
    let out = gostdoc(dir, &["check", "data/d.toml"]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The text of the DOCX built from `text`, no-break spaces as spaces.
fn built_text(dir: &Path, text: &str) -> String {
    let file = write_temp(dir, "data/d.toml", text.as_bytes());
    docx_text(&render(&file)).replace('\u{a0}', " ")
}

const PRIKAZ: &str = r#"kind = "приказ"

[organization]
header = ["МБОУ «СРЕДНЯЯ ШКОЛА № 1»"]
issuer_genitive = "МБОУ «СШ № 1»"

[act]
date = 2024-08-30
number = "112"
title = "Об организации питания"

[[point]]
text = "Назначить ответственным за питание завхоза."
responsible = "И.И. Иванова"

[[point]]
text = "Организовать дежурство в столовой."
responsible = ["Петров А.Л.", "Сидорова С.А."]
deadline = "до 01.09.2024"

[[signature]]
position = "Директор"
person = "Кузнецова Е.В."
"#;

#[test]
fn a_prikaz_prints_its_own_words_and_every_responsible() {
    let dir = tempfile::tempdir().unwrap();
    let text = built_text(dir.path(), PRIKAZ);
    for expected in [
        "ПРИКАЗ",
        "от 30.08.2024 № 112",
        "ПРИКАЗЫВАЮ:",
        "1. Назначить ответственным за питание завхоза (И.И. Иванова).",
        "2. Организовать дежурство в столовой (Петров А.Л., Сидорова С.А.) — срок до 01.09.2024.",
    ] {
        assert!(text.contains(expected), "no «{expected}» in:\n{text}");
    }
    assert!(!text.contains("постановля"), "{text}");
    // On a line of their own when the document asks for it.
    let line = PRIKAZ.replace("[act]", "[options]\ncontrol_form = \"line\"\n\n[act]");
    let text = built_text(dir.path(), &line);
    for expected in [
        "1. Назначить ответственным за питание завхоза.\nОтв.: И.И. Иванова.",
        "2. Организовать дежурство в столовой.\nОтв.: Петров А.Л., Сидорова С.А. Срок — до 01.09.2024.",
    ] {
        assert!(text.contains(expected), "no «{expected}» in:\n{text}");
    }
}

#[test]
fn messages_speak_of_the_documents_own_kind() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = check(
        dir.path(),
        "kind = \"rasporyazhenie\"\n\n[[point]]\ntext = \"Провести.\"\n",
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("data/d.toml, строка 1, столбец 1: ошибка в поле «act»: не заполнен раздел [act]: дата, номер и заголовок распоряжения"),
        "{err}"
    );
    let (_, err) = check(
        dir.path(),
        "kind = \"reshenie\"\n\n[meeting]\ntitle = \"совета\"\ndate = 2024-04-25\n",
    );
    assert!(
        err.contains("data/d.toml, строка 3, столбец 1: ошибка в поле «meeting»: раздел [meeting] не относится к документу вида «решение»"),
        "{err}"
    );
    assert!(
        err.contains("в решении дата, номер и заголовок пишутся в разделе [act]; если это протокол, напишите в начале файла kind = \"protocol\""),
        "{err}"
    );
    let (_, err) = check(dir.path(), "kind = \"указ\"\n");
    assert!(
        err.contains("data/d.toml, строка 1, столбец 8: ошибка в поле «kind»: неизвестный вид документа «указ»"),
        "{err}"
    );
    let no_points = PRIKAZ.split("[[point]]").next().unwrap().to_owned()
        + "[[signature]]\nposition = \"Директор\"\nperson = \"Кузнецова Е.В.\"\n";
    let (code, err) = check(dir.path(), &no_points);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("data/d.toml: предупреждение в поле «point»: в приказе нет ни одного пункта"),
        "{err}"
    );
}

#[test]
fn a_draft_prints_blanks_and_check_says_it_is_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let draft = PRIKAZ.replace("date = 2024-08-30\nnumber = \"112\"\n", "");
    let text = built_text(dir.path(), &draft);
    assert!(text.contains("от ____________ № ______"), "{text}");
    // The warning quotes the line as it prints, in the document's form.
    let quoted = draft.replace(
        "[act]",
        "[options]\ndate_line = \"plain\"\ndate_style = \"quoted\"\n\n[act]",
    );
    let (_, err) = check(dir.path(), &quoted);
    assert!(
        err.contains(
            "приказ печатается как проект, с пустыми местами \
             (««\u{a0}___\u{a0}»\u{a0}____________ 20__\u{a0}г. №\u{a0}______»)"
        ),
        "{err}"
    );
    let (code, err) = check(dir.path(), &draft);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("data/d.toml, строка 7, столбец 1: предупреждение в поле «act»: дата и номер не заполнены: приказ печатается как проект, с пустыми местами («от ____________ №\u{a0}______»)"),
        "{err}"
    );
}

#[test]
fn an_appendix_published_on_its_own_has_no_act_page() {
    let dir = tempfile::tempdir().unwrap();
    let alone = PRIKAZ.replace(
        "title = \"Об организации питания\"",
        "title = \"Об организации питания\"\nappendices_only = true",
    ) + "\n[[appendix]]\nnumber = 2\ntitle = \"График дежурства\"\n\n[[appendix.body]]\ntext = \"Дежурят учителя по очереди.\"\n";
    let text = built_text(dir.path(), &alone);
    assert!(
        text.starts_with("Приложение № 2\nк приказу МБОУ «СШ № 1»\nот 30.08.2024 № 112\nГрафик дежурства\nДежурят учителя по очереди."),
        "{text}"
    );
    assert!(!text.contains("ПРИКАЗЫВАЮ"), "{text}");
}

/// A plan with one table; `columns` and `rows` are spliced in.
fn plan(columns: &str, rows: &str) -> String {
    format!(
        r#"kind = "plan"

[[appendix]]
grif = "none"
title = "План"

[appendix.table]
columns = [
{columns}
]
{rows}"#
    )
}

#[test]
fn a_header_word_wider_than_its_column_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = plan(
        "  { title = \"Мероприятие\", width = 120 },\n  { title = \"Единица измерения\", width = 20 },",
        "[[appendix.table.row]]\ncells = [\"Уборка\", \"м²\"]\n",
    );
    let (code, err) = check(dir.path(), &text);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("data/d.toml, строка 8, столбец 11: предупреждение в поле «appendix[0].table.columns[1]»: слово «измерения» в заголовке столбца 2 («Единица измерения») шире столбца: ему нужно 20,3 мм, а в столбце шириной 20 мм для текста есть 16,2 мм"),
        "{err}"
    );
    assert!(
        err.contains("подсказка: расширьте столбец до 25 мм или сократите слово («Ед. изм.»)"),
        "{err}"
    );
    // The build shows it too: the header will not print as written.
    write_temp(dir.path(), "data/d.toml", text.as_bytes());
    let out = gostdoc(dir.path(), &["build", "data/d.toml", "-o", "out"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("слово «измерения»"));
}

/// A numbered column set for fewer rows: «999» fits 12 mm, «1000» would
/// break inside the number; the warning names the last number and the
/// width that fits it, and a table that fits says nothing.
#[test]
fn a_row_number_wider_than_its_column_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let columns = "  { title = \"№ п/п\", width = 12, numbered = true },\n  { title = \"Мероприятие\", width = 120 },";
    let rows = |n: usize| "[[appendix.table.row]]\ncells = [\"Уборка\"]\n".repeat(n);
    let (code, err) = check(dir.path(), &plan(columns, &rows(999)));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("номер строки"), "{err}");
    let (code, err) = check(dir.path(), &plan(columns, &rows(1000)));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("data/d.toml, строка 8, столбец 11: предупреждение в поле «appendix[0].table.columns[0]»: номер строки 1000 шире столбца 1 («№ п/п»): ему нужно 8,5 мм, а в столбце шириной 12 мм для текста есть 8,2 мм, и номер разорвётся на две строки"),
        "{err}"
    );
    assert!(
        err.contains("подсказка: расширьте столбец до 13 мм (width = 13), взяв эти миллиметры у самого широкого столбца"),
        "{err}"
    );
    // Wide enough: nothing to say.
    let wider = columns.replace("width = 12", "width = 13");
    let (code, err) = check(dir.path(), &plan(&wider, &rows(1000)));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("номер строки"), "{err}");
}

#[test]
fn a_landscape_table_may_be_wider_than_a_portrait_one() {
    let dir = tempfile::tempdir().unwrap();
    let wide = plan(
        "  { title = \"Мероприятие\", width = 150 },\n  { title = \"Срок\", width = 100 },",
        "[[appendix.table.row]]\ncells = [\"Уборка\", \"май\"]\n",
    );
    let (_, err) = check(dir.path(), &wide);
    assert!(
        err.contains("data/d.toml, строка 8, столбец 11: предупреждение в поле «appendix[0].table.columns»: столбцы таблицы шире текста: 150 + 100 = 250 мм, а ширина текста на книжной странице 170 мм; столбцы сужены пропорционально (но не уже 5 мм): 102, 68 мм"),
        "{err}"
    );
    let landscape = wide.replace(
        "title = \"План\"",
        "title = \"План\"\norientation = \"landscape\"",
    );
    let (code, err) = check(dir.path(), &landscape);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("шире текста"), "{err}");
}

#[test]
fn merged_cells_and_deadline_columns_are_checked_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let columns = "  { title = \"Мероприятие\", width = 90 },\n  { title = \"Срок\", width = 35, deadline = true },\n  { title = \"Ответственные\", width = 45 },";
    // A merged cell over more rows than the table has.
    let (code, err) = check(
        dir.path(),
        &plan(
            columns,
            "[[appendix.table.row]]\ncells = [\"Уборка\", \"май 2024 г.\", { text = \"Отдел\", rows = 3 }]\n[[appendix.table.row]]\ncells = [\"Покраска\", \"июнь 2024 г.\"]\n",
        ),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("data/d.toml, строка 14, столбец 9: ошибка в поле «appendix[0].table.row[0].cells[2].rows»: ячейка объединяет 3 строки (rows = 3), а до конца таблицы или строки-раздела остаются 2, считая её собственную"),
        "{err}"
    );
    // A covered cell written all the same.
    let (_, err) = check(
        dir.path(),
        &plan(
            columns,
            "[[appendix.table.row]]\ncells = [\"Уборка\", \"май 2024 г.\", { text = \"Отдел\", rows = 2 }]\n[[appendix.table.row]]\ncells = [\"Покраска\", \"июнь 2024 г.\", \"Отдел\"]\n",
        ),
    );
    assert!(
        err.contains("data/d.toml, строка 16, столбец 9: ошибка в поле «appendix[0].table.row[1].cells»: в строке 3 ячеек, а нужно 2"),
        "{err}"
    );
    assert!(
        err.contains(
            "ячейку, которую закрывает объединённая ячейка строки выше (rows = …), не пишут"
        ),
        "{err}"
    );
    // A deadline the parser cannot read.
    let (_, err) = check(
        dir.path(),
        &plan(
            columns,
            "[[appendix.table.row]]\ncells = [\"Уборка\", \"31.02.2024\", \"Отдел\"]\n",
        ),
    );
    assert!(
        err.contains("data/d.toml, строка 14, столбец 9: ошибка в поле «appendix[0].table.row[0].cells[1]»: в столбце сроков «Срок»: «31.02.2024»"),
        "{err}"
    );
}

#[test]
fn a_grif_wider_than_nine_centimetres_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = PRIKAZ.replace("[act]", "[options]\ngrif_width = 120\n\n[act]");
    let (code, err) = check(dir.path(), &text);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("data/d.toml, строка 8, столбец 14: ошибка в поле «options.grif_width»: ширина отметки и грифа 120 мм вне допустимых пределов"),
        "{err}"
    );
}

#[test]
fn a_deadline_column_is_checked_against_the_acts_date() {
    let dir = tempfile::tempdir().unwrap();
    let text = PRIKAZ.to_owned()
        + r#"
[[appendix]]
title = "План"

[appendix.table]
columns = [
  { title = "Мероприятие", width = 110 },
  { title = "Срок", width = 60, deadline = true },
]
[[appendix.table.row]]
cells = ["Закупка посуды", "до 15.08.2024"]
[[appendix.table.row]]
cells = ["Проверка пищеблока", "сентябрь 2024 г."]
"#;
    let (code, err) = check(dir.path(), &text);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("data/d.toml, строка 34, столбец 9: предупреждение в поле «appendix[0].table.row[0].cells[1]»: срок «до 15.08.2024» в столбце «Срок» раньше даты акта 30.08.2024"),
        "{err}"
    );
    assert_eq!(err.matches("раньше даты акта").count(), 1, "{err}");
}

/// The angular бланк: a title at the left is a block at most 90 mm wide
/// (a right indent of 170 − 90 = 80 mm = 4536 twips in the DOCX), never
/// hyphenated; a centred one spans the text.
#[test]
fn a_title_at_the_left_is_a_block_90_mm_wide() {
    let dir = tempfile::tempdir().unwrap();
    let left = PRIKAZ.replace("[act]", "[options]\ntitle_align = \"left\"\n\n[act]");
    let file = write_temp(dir.path(), "data/d.toml", left.as_bytes());
    let xml = part(&render(&file), "word/document.xml");
    let title = xml
        .split("<w:p>")
        .chain(xml.split("<w:p "))
        .find(|p| p.contains("организации питания"))
        .unwrap()
        .to_owned();
    assert!(title.contains("w:right=\"4536\""), "{title}");
    assert!(title.contains("<w:jc w:val=\"left\"/>"), "{title}");
    let file = write_temp(dir.path(), "data/d.toml", PRIKAZ.as_bytes());
    let xml = part(&render(&file), "word/document.xml");
    assert!(!xml.contains("w:right=\"4536\""));
}

/// `place = "between"`: the date, the place and the number on one line
/// (a `<spread>`: tab stops at the centre and the right of the text),
/// and the place not printed again below.
#[test]
fn the_place_may_stand_between_the_date_and_the_number() {
    let dir = tempfile::tempdir().unwrap();
    let between = PRIKAZ
        .replace(
            "[act]",
            "[options]\ndate_line = \"split\"\nplace = \"between\"\n\n[act]",
        )
        .replace(
            "issuer_genitive = \"МБОУ «СШ № 1»\"",
            "issuer_genitive = \"МБОУ «СШ № 1»\"\ncity = \"г. Заречный\"",
        );
    let file = write_temp(dir.path(), "data/d.toml", between.as_bytes());
    let xml = part(&render(&file), "word/document.xml");
    let line = xml
        .split("</w:p>")
        .find(|p| p.contains("112"))
        .unwrap()
        .to_owned();
    assert!(line.contains("30.08.2024"), "{line}");
    assert!(line.contains("Заречный"), "{line}");
    assert_eq!(line.matches("<w:tab/>").count(), 2, "{line}");
    assert_eq!(xml.matches("Заречный").count(), 1, "the place prints once");
    // Below the line otherwise.
    let below = between.replace("place = \"between\"\n", "");
    let file = write_temp(dir.path(), "data/d.toml", below.as_bytes());
    let xml = part(&render(&file), "word/document.xml");
    let line = xml.split("</w:p>").find(|p| p.contains("112")).unwrap();
    assert!(!line.contains("Заречный"), "{line}");
    assert_eq!(xml.matches("Заречный").count(), 1);
}
