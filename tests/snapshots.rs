//! Snapshots of each seed's markup, so that any change to the templates or
//! the model shows up as a readable diff (review with `cargo insta review`).

mod common;
use common::*;

#[test]
fn seed_markup() {
    let templates = templates();
    for id in SEEDS {
        let (_, markup) = gostdoc::build::markup(&seed_input(id), &templates)
            .unwrap_or_else(|d| panic!("seed {id}: {d}"));
        insta::assert_snapshot!(format!("markup_{id}"), markup);
    }
}

#[test]
fn seed_document_tree_text() {
    let templates = templates();
    for id in SEEDS {
        let (document, _) = gostdoc::build::render(&seed_input(id), &templates)
            .unwrap_or_else(|d| panic!("seed {id}: {d}"));
        insta::assert_snapshot!(format!("text_{id}"), document.plain_text());
    }
}
