//! A long table's body rows stored compressed (`StoredRows`) give every
//! backend the bytes the same rows give as a tree: the layout reads them
//! a slice at a time, the DOCX decodes them again, with the layout's
//! marks of words never to hyphenate set on them, and the HTML, the text
//! and the check of the fonts' characters read them too.

use gostdoc::document::{
    Block, Cell, Document, Inline, List, ListItem, ListKind, Meta, Orientation, Paragraph, Row,
    RunStyle, StoredRows, Table,
};
use gostdoc::format::{self, Format};
use gostdoc::pdf::{self, PdfOptions};

fn text(text: &str) -> Cell {
    Cell::from_text(text)
}

/// A roadmap of `n` rows whose second column is too narrow for its long
/// words, so that the PDF refuses some a third hyphenated line in a row;
/// with section rows, lists, bold runs and cells spanning two rows.
fn roadmap(n: usize) -> Document {
    let mut rows = vec![Row {
        header: true,
        cells: ["№", "Мероприятие", "Срок", "Ответственные"]
            .map(text)
            .to_vec(),
    }];
    for i in 0..n {
        if i % 40 == 0 {
            rows.push(Row {
                header: false,
                cells: vec![Cell {
                    colspan: 4,
                    ..text(&format!("Раздел {}", i / 40 + 1))
                }],
            });
        }
        let words = "Межведомственное взаимодействие общеобразовательных организаций \
                     муниципального образования по совершенствованию преподавания";
        let bold = Paragraph {
            runs: vec![Inline::Text {
                text: format!("Этап {i}. "),
                style: RunStyle {
                    bold: true,
                    ..RunStyle::default()
                },
            }],
            ..Paragraph::from_text(words)
        };
        let mut second = Paragraph::from_text(words);
        second.runs.insert(0, bold.runs[0].clone());
        let list = List {
            kind: ListKind::Bullet,
            items: vec![ListItem {
                label: "–".into(),
                paragraphs: vec![Paragraph::from_text("отчёт")],
            }],
        };
        let mut cells = vec![
            text(&format!("{}.", i + 1)),
            Cell {
                colspan: 1,
                rowspan: 1,
                blocks: vec![Block::Paragraph(second), Block::List(list)],
            },
            text("до 01.09.2027"),
        ];
        // A cell for two rows, then a row without it.
        if i % 3 == 0 {
            cells.push(Cell {
                rowspan: 2,
                ..text("Управление образования")
            });
        } else if i % 3 == 2 {
            cells.push(text("Школы"));
        }
        rows.push(Row {
            header: false,
            cells,
        });
    }
    let table = Table::new(vec![12.0, 24.0, 40.0, 94.0], rows);
    let meta = Meta {
        title: "План".into(),
        ..Meta::default()
    };
    Document::single_section(
        meta,
        Orientation::Portrait,
        vec![
            Block::Paragraph(Paragraph::from_text("План мероприятий")),
            Block::Table(table),
            Block::Paragraph(Paragraph::from_text("Итог плана.")),
        ],
    )
}

/// `doc` with its table's body rows stored, `slice` rows at a time
/// (never ending between a cell spanning two rows and the row below).
fn stored(mut doc: Document, slice: usize) -> Document {
    let Block::Table(table) = &mut doc.sections[0].blocks[1] else {
        unreachable!()
    };
    let body = table.rows.split_off(1);
    let mut store = StoredRows::default();
    let mut start = 0;
    while start < body.len() {
        let mut end = (start + slice).min(body.len());
        while end < body.len() && body[end - 1].cells.iter().any(|c| c.rowspan > 1) {
            end += 1;
        }
        assert!(StoredRows::holds(&body[start..end]));
        store.push(&body[start..end]);
        start = end;
    }
    table.stored = Some(Box::new(store));
    doc
}

fn render(doc: &Document) -> Vec<(Format, Vec<u8>)> {
    format::render(
        doc.clone(),
        &[Format::Docx, Format::Pdf, Format::Html],
        &PdfOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .into_iter()
    .map(|(f, out)| (f, out.bytes))
    .collect()
}

/// Long enough to be laid out as a long document (its pages encoded as
/// they close), and short: the tree and the stored rows give the same
/// DOCX, PDF and HTML, byte for byte, marks of unhyphenated words and all.
#[test]
fn stored_rows_render_as_the_tree_does() {
    for rows in [2100, 60] {
        let tree = roadmap(rows);
        let marks = pdf::prepare(&tree, &PdfOptions::default())
            .expect("layout")
            .keep_whole()
            .len();
        assert!(marks > 0, "{rows} rows: no word kept whole");
        let stored = stored(tree.clone(), 97);
        let Block::Table(table) = &stored.sections[0].blocks[1] else {
            unreachable!()
        };
        assert_eq!((table.rows.len(), table.row_count()), (1, tree_rows(&tree)));
        for ((format, a), (_, b)) in render(&tree).into_iter().zip(render(&stored)) {
            assert!(a == b, "{rows} rows: the {format:?} differs");
        }
        assert_eq!(stored.plain_text(), tree.plain_text());
        let opts = PdfOptions::default();
        assert_eq!(
            pdf::missing_characters(&stored, &opts),
            pdf::missing_characters(&tree, &opts)
        );
    }
}

fn tree_rows(doc: &Document) -> usize {
    match &doc.sections[0].blocks[1] {
        Block::Table(t) => t.rows.len(),
        _ => unreachable!(),
    }
}
