//! Where the time of one document goes, stage by stage, in one process:
//! `cargo bench --bench stages`. Prints medians of repeated runs; the
//! first-use costs (templates, fonts) are timed once, cold.

use gostdoc::build;
use gostdoc::pdf::{self, PdfOptions};
use gostdoc::template::Templates;
use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..n)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = std::fs::read_dir(root.join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("000_"))
        .unwrap();

    let start = Instant::now();
    let templates = Templates::load(None).unwrap();
    println!("templates, cold:          {:>8.2?}", start.elapsed());
    let start = Instant::now();
    let options = PdfOptions::default();
    let _ = pdf::FontSet::liberation();
    println!("fonts, cold:              {:>8.2?}", start.elapsed());

    let (document, _) = build::render(&seed, &templates).unwrap();
    let start = Instant::now();
    pdf::render(&document, &options).unwrap();
    println!("first PDF (hyphenation):  {:>8.2?}", start.elapsed());

    let n = 200;
    println!(
        "model load:               {:>8.2?}",
        time(n, || gostdoc::model::load(&seed).unwrap())
    );
    println!(
        "markup (template):        {:>8.2?}",
        time(n, || build::markup(&seed, &templates).unwrap())
    );
    println!(
        "to DOCX (all stages):     {:>8.2?}",
        time(n, || build::render(&seed, &templates).unwrap())
    );
    println!(
        "PDF from the tree:        {:>8.2?}",
        time(n, || pdf::render(&document, &options).unwrap())
    );
    println!(
        "to DOCX + PDF:            {:>8.2?}",
        time(n, || {
            build::render_formats(
                &seed,
                &templates,
                &[build::Format::Docx, build::Format::Pdf],
                &options,
            )
            .unwrap()
        })
    );
}
