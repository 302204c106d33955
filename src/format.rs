//! The output formats and their backends: one table, one way in.
//!
//! Every backend turns the same [`Document`] into the bytes of one file
//! and the warnings met on the way. The build, the выписка and the editor
//! ask for formats by [`Format`] and get files back from [`render`];
//! nothing outside this module knows which backend needs what. Adding a
//! format is a module of its own and one row of [`BACKENDS`].
//!
//! Layout facts that two backends must agree on (A4, margins, the header's
//! distance, cell padding, letter-spacing, rules) are defined once, in
//! [`crate::document`].

use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::document::Document;
use crate::{docx, html, pdf};
use std::sync::{Arc, Mutex, PoisonError};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Word document, for editing and for LibreOffice.
    Docx,
    /// PDF typeset by gostdoc, for printing and publishing.
    Pdf,
    /// A web page, for the organisation's site.
    Html,
}

/// One backend: what it is called and how it renders.
pub struct Backend {
    /// The format it writes.
    pub format: Format,
    /// The name on the command line and the file extension.
    pub name: &'static str,
    /// What the user gets, in Russian (the command line's help).
    pub description: &'static str,
    /// Its name in messages («не удалось собрать PDF»).
    pub label: &'static str,
    /// It needs the PDF's layout: the PDF writes it, and the DOCX keeps
    /// whole the words the PDF's line breaker kept whole (no third
    /// hyphenated line in a row), so that LibreOffice sets the PDF's lines.
    needs_layout: bool,
    /// It reads the document tree (the PDF writes from its layout only).
    reads_tree: bool,
    render: fn(&mut Laid) -> Result<Output, String>,
}

/// The backends, in the order their files are listed. They run in
/// another order ([`run_order`]).
pub const BACKENDS: [Backend; 3] = [
    Backend {
        format: Format::Docx,
        name: "docx",
        description: "Документ Word.",
        label: "DOCX",
        needs_layout: true,
        reads_tree: true,
        render: render_docx,
    },
    Backend {
        format: Format::Html,
        name: "html",
        description: "Веб-страница для сайта (и оглавление папки index.html).",
        label: "HTML",
        needs_layout: false,
        reads_tree: true,
        render: render_html,
    },
    Backend {
        format: Format::Pdf,
        name: "pdf",
        description: "PDF для печати и публикации.",
        label: "PDF",
        needs_layout: true,
        reads_tree: false,
        render: render_pdf,
    },
];

impl Format {
    /// This format's row of [`BACKENDS`].
    pub fn backend(self) -> &'static Backend {
        BACKENDS
            .iter()
            .find(|b| b.format == self)
            .expect("every format has a backend")
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        self.backend().name
    }

    /// The formats written when none is asked for.
    pub fn defaults() -> Vec<Format> {
        vec![Format::Docx, Format::Pdf]
    }
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Docx, Format::Pdf, Format::Html]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let b = self.backend();
        Some(PossibleValue::new(b.name).help(b.description))
    }
}

/// One rendered file.
#[derive(Debug, Clone)]
pub struct Output {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// What went wrong without stopping it, in Russian.
    pub warnings: Vec<String>,
}

/// What the backends render from: the tree, while a backend still reads
/// it, and the PDF's layout, when one needs it.
pub struct Laid {
    document: Option<Document>,
    pdf: Option<pdf::Prepared>,
}

/// Why a document could not be rendered: the backend's label and reason.
#[derive(Debug)]
pub struct Failed {
    /// «PDF», «DOCX».
    pub label: &'static str,
    /// The backend's message, in Russian.
    pub reason: String,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "не удалось собрать {}: {}", self.label, self.reason)
    }
}

/// Renders `document` to each of `formats`, in [`BACKENDS`] order.
pub fn render(
    document: Document,
    formats: &[Format],
    pdf_options: &pdf::PdfOptions,
) -> Result<Vec<(Format, Output)>, Failed> {
    let wanted: Vec<&'static Backend> = BACKENDS
        .iter()
        .filter(|b| formats.contains(&b.format))
        .collect();
    let long = is_long(&document);
    if long {
        crate::memory::long_document_ahead();
        // The view and the markup the tree was made from are gone, but
        // their pages were kept: the 35,000-row roadmap held 59 MB of
        // them, 16 MB once given back, for the layout to grow from.
        crate::memory::long_document_stage_done();
    }
    let mut document = document;
    let mut laid = Laid {
        document: None,
        pdf: None,
    };
    let mut layout_held = false;
    if wanted.iter().any(|b| b.needs_layout) {
        let prepared = pdf::prepare(&document, pdf_options).map_err(|e| Failed {
            label: Format::Pdf.backend().label,
            reason: e.to_string(),
        })?;
        document.keep_whole(prepared.keep_whole());
        layout_held = !prepared.is_streamed();
        laid.pdf = Some(prepared);
        if long {
            crate::memory::long_document_stage_done();
        }
    }
    let order = run_order(&wanted, layout_held);
    laid.document = Some(document);
    // Past the shared layout, the PDF writes from its layout alone and
    // the others read only the tree: two sets of backends with nothing in
    // common, which run side by side when a core is idle. Not for a long
    // document: run one after the other, the PDF writer frees the layout
    // before the DOCX holds its body twice ([`run_order`]).
    let (layout_only, tree_readers): (Vec<usize>, Vec<usize>) =
        order.iter().partition(|&&i| !wanted[i].reads_tree);
    let side_by_side =
        !long && !layout_only.is_empty() && !tree_readers.is_empty() && crate::threads::core_idle();
    let done = if side_by_side {
        let tree = Laid {
            document: laid.document.take(),
            pdf: None,
        };
        render_beside(&wanted, &layout_only, laid, &tree_readers, tree)?
    } else {
        run_backends(&wanted, &order, &mut laid, long)?
    };
    let mut outputs: Vec<Option<Output>> = vec![None; wanted.len()];
    for (i, output) in done {
        outputs[i] = Some(output);
    }
    Ok(wanted
        .iter()
        .zip(outputs)
        .filter_map(|(b, o)| o.map(|o| (b.format, o)))
        .collect())
}

/// The backends `order` (indices into `wanted`) one after the other on
/// this thread, each output with its index; the tree goes as soon as no
/// backend left reads it, and after each backend of a `long` document the
/// memory it freed goes back to the system.
fn run_backends(
    wanted: &[&Backend],
    order: &[usize],
    laid: &mut Laid,
    long: bool,
) -> Result<Vec<(usize, Output)>, Failed> {
    let mut done = Vec::with_capacity(order.len());
    for (k, &i) in order.iter().enumerate() {
        if !order[k..].iter().any(|&j| wanted[j].reads_tree) {
            laid.document = None;
        }
        let backend = wanted[i];
        let output = (backend.render)(laid).map_err(|reason| Failed {
            label: backend.label,
            reason,
        })?;
        done.push((i, output));
        if long {
            crate::memory::long_document_stage_done();
        }
    }
    Ok(done)
}

/// The backends that write from the layout on this thread, and those
/// that read the tree on another one at the same time; the result and
/// the error are those of [`run_backends`] over both in turn (the PDF's
/// error first). Without a thread to be had, one after the other here.
///
/// The other thread owns what it renders (not a scoped thread): only a
/// thread's own handle lets it be started on another core at once
/// ([`crate::threads::spawn_elsewhere`]).
fn render_beside(
    wanted: &[&'static Backend],
    layout_only: &[usize],
    mut laid: Laid,
    tree_readers: &[usize],
    tree: Laid,
) -> Result<Vec<(usize, Output)>, Failed> {
    // Taken by the thread that renders it: the other one, or this one
    // when no thread could be started.
    let tree = Arc::new(Mutex::new(Some(tree)));
    let render_tree = {
        let (wanted, tree_readers, tree) = (wanted.to_vec(), tree_readers.to_vec(), tree.clone());
        move || {
            let taken = tree.lock().unwrap_or_else(PoisonError::into_inner).take();
            match taken {
                Some(mut tree) => run_backends(&wanted, &tree_readers, &mut tree, false),
                None => Ok(Vec::new()),
            }
        }
    };
    let beside = crate::threads::spawn_elsewhere(std::thread::Builder::new(), {
        let render_tree = render_tree.clone();
        move || {
            let _busy = crate::threads::Busy::enter();
            render_tree()
        }
    });
    let mut done = run_backends(wanted, layout_only, &mut laid, false);
    let others = match beside {
        Ok(thread) => match finished(thread) {
            Ok(others) => others,
            // A backend that panicked: passed on, as on one thread.
            Err(panic) => std::panic::resume_unwind(panic),
        },
        Err(_) => render_tree(),
    };
    if let Ok(done) = &mut done {
        done.extend(others?);
    }
    done
}

/// The thread's result: waited for awake while the DOCX is finished on
/// the other core (as [`crate::threads::wait_awake`] says why), then
/// joined.
fn finished<T>(thread: std::thread::JoinHandle<T>) -> std::thread::Result<T> {
    crate::threads::wait_awake(|| thread.is_finished());
    thread.join()
}

/// Table rows and blocks from which a document counts as long (a
/// 1000-page roadmap has 7000 rows; a protocol a few dozen blocks).
const LONG_DOCUMENT_PARTS: usize = 2000;

/// True for a document of hundreds of pages.
fn is_long(document: &Document) -> bool {
    let parts: usize = document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .map(|b| match b {
            crate::document::Block::Table(t) => t.row_count(),
            _ => 1,
        })
        .sum();
    parts >= LONG_DOCUMENT_PARTS
}

/// Input files from which a document counts as long: a 1000-page roadmap
/// is 4.3 MB of TOML, a protocol a few KB. [`crate::input`] tells the
/// allocator as soon as it reads one, before the markup and the tree are
/// made.
pub const LONG_DOCUMENT_BYTES: u64 = 1 << 20;

/// What a thread that renders a document needs before long, done while
/// it waits for the templates another thread parses ([`crate::template`]):
/// on the main thread of a build of a few documents, a millisecond idle.
/// Its deflate compressor (380 KB of tables the PDF's streams and fonts
/// go through), the regular and bold faces and the hyphenation
/// dictionary. Once per process. (Touching ahead the heap pages the
/// thread will grow into saved nothing: seed 000's main heap hardly grows
/// past what reading the document left.)
pub(crate) fn warm_up_while_waiting() {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DONE.swap(true, std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    crate::deflate::warm_up();
    // Parses the faces, if the model's checks did not already.
    std::hint::black_box(
        pdf::text_width_mm("а", 12.0, false) + pdf::text_width_mm("а", 12.0, true),
    );
    // The hyphenation dictionary: a word too wide for a 1 mm cell is
    // hyphenated with it.
    std::hint::black_box(pdf::soft_hyphens(
        "делопроизводство",
        crate::document::RunStyle::default(),
        12.0,
        1.0,
        &crate::document::Paragraph::plain(),
    ));
}

/// Indices into `wanted` in the order the backends run.
///
/// With the PDF's layout held whole (`layout_held`: a short document, or
/// a long one whose pages could not be encoded as they were laid out,
/// with pictures or for PDF/A), those that write from the layout alone
/// run first: the PDF writer frees the layout page by page, while the
/// DOCX holds its body's XML twice (as docx-rs wrote it and as fixed), so
/// a 1000-page roadmap's peak is the DOCX's without the layout's 12 MB on
/// top (valgrind's massif: 65 MB of heap in all).
///
/// With the pages already encoded, the tree readers run first: the tree
/// (45 MB at 35,000 rows) is then freed before the PDF writer builds its
/// page objects (printpdf's and lopdf's dictionaries, 6 KB a page), which
/// otherwise joined it at the peak: 127 -> 105 MB for the 35,000-row
/// roadmap, the same bytes.
fn run_order(wanted: &[&Backend], layout_held: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by_key(|&i| wanted[i].reads_tree == layout_held);
    order
}

impl Laid {
    fn tree(&self) -> Result<&Document, String> {
        self.document
            .as_ref()
            .ok_or_else(|| "дерево документа уже освобождено".to_string())
    }
}

fn render_docx(laid: &mut Laid) -> Result<Output, String> {
    let bytes = docx::render(laid.tree()?).map_err(|e| e.to_string())?;
    Ok(Output {
        bytes,
        warnings: Vec::new(),
    })
}

fn render_html(laid: &mut Laid) -> Result<Output, String> {
    Ok(Output {
        bytes: html::render(laid.tree()?),
        warnings: Vec::new(),
    })
}

fn render_pdf(laid: &mut Laid) -> Result<Output, String> {
    let prepared = laid
        .pdf
        .take()
        .ok_or_else(|| "PDF не размечен".to_string())?;
    let out = prepared.write();
    Ok(Output {
        bytes: out.bytes,
        warnings: out.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_backend_and_a_distinct_extension() {
        for f in Format::value_variants() {
            assert_eq!(BACKENDS.iter().filter(|b| b.format == *f).count(), 1);
        }
        let mut names: Vec<&str> = BACKENDS.iter().map(|b| b.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), BACKENDS.len());
    }

    #[test]
    fn the_pdf_runs_first_and_the_tree_readers_after_it() {
        let all: Vec<&Backend> = BACKENDS.iter().collect();
        let order = run_order(&all, true);
        let formats: Vec<Format> = order.iter().map(|&i| all[i].format).collect();
        assert_eq!(formats, [Format::Pdf, Format::Docx, Format::Html]);
        // Once the first tree reader runs, every later one reads it too:
        // `render` frees the tree only after the last of them.
        let first_reader = order.iter().position(|&i| all[i].reads_tree).unwrap();
        assert!(order[first_reader..].iter().all(|&i| all[i].reads_tree));
    }

    #[test]
    fn pages_already_encoded_let_the_tree_readers_run_first() {
        let all: Vec<&Backend> = BACKENDS.iter().collect();
        let order = run_order(&all, false);
        let formats: Vec<Format> = order.iter().map(|&i| all[i].format).collect();
        // The tree is freed before the PDF writer runs.
        assert_eq!(formats, [Format::Docx, Format::Html, Format::Pdf]);
    }
}
