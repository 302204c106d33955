//! The build: find input files, run each through the pipeline in parallel,
//! and write the outputs atomically, carrying on past a bad document and
//! reporting every failure at the end (ripgrep's «keep going, then
//! report»).
//!
//! - [`plan`] finds the documents and names their outputs;
//! - [`manifest`] remembers what each output was built from, so a rebuild
//!   redoes only what changed;
//! - [`write`] writes files atomically.
//!
//! This is the only module that writes files.

mod ahead;
pub mod manifest;
mod pictures;
mod plan;
mod site;
mod write;

use crate::diagnostic::system::{reason, write_hint};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::document::Document;
use crate::input::Access;
use crate::template::{InPieces, Templates};
use crate::{docx, markup, model, pdf, view};
use manifest::{Dep, Entry, Hasher, Manifest, Output};
pub(crate) use pictures::Pictures;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub(crate) use plan::is_document_name;
pub use plan::{Plan, plan, templates_dir};
pub use write::{remove_orphaned_temporaries, replace_advice, write_atomically, write_together};

/// A progress bar is shown from this many documents: a short batch is
/// over before one could be read.
const PROGRESS_FROM: usize = 20;

/// Folder names that hold shared files, not documents.
const NOT_DOCUMENTS: &[&str] = &["profiles", "templates"];

pub use crate::format::Format;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Formats to write (`docx` and `pdf` by default).
    pub formats: Vec<Format>,
    /// Fonts and other PDF settings.
    pub pdf: pdf::PdfOptions,
    /// Files and folders given on the command line (`data/` by default).
    pub inputs: Vec<PathBuf>,
    /// Output folder (`output/` by default).
    pub output_dir: PathBuf,
    /// Folder of template overrides, when given with `--templates`.
    pub templates_dir: Option<PathBuf>,
    /// Documents rendered at once; `None` uses every core.
    pub jobs: Option<usize>,
    /// Rebuild every document, changed or not.
    pub force: bool,
    /// Delete the outputs of input files that no longer exist.
    pub prune: bool,
    /// Show a progress bar (the command line decides: on a terminal, for
    /// a long batch).
    pub progress: bool,
    /// Folders outside the documents' own from which profiles, pictures
    /// and templates may be read (`--allow-outside`).
    pub allow_outside: Vec<PathBuf>,
    /// No format was asked for: a document whose options say `html =
    /// true` gets its web page as well as `formats`.
    pub documents_add_formats: bool,
    /// The caller has started the built-in templates' parse already
    /// ([`parse_ahead`], before reading the fonts): [`run`] does not.
    pub parsing_ahead: bool,
}

impl BuildOptions {
    /// Options with the defaults of `gostdoc build` for these inputs.
    pub fn new(inputs: Vec<PathBuf>, output_dir: impl Into<PathBuf>) -> Self {
        BuildOptions {
            formats: Format::defaults(),
            pdf: pdf::PdfOptions::default(),
            inputs,
            output_dir: output_dir.into(),
            templates_dir: None,
            jobs: None,
            force: false,
            prune: false,
            progress: false,
            allow_outside: Vec::new(),
            documents_add_formats: false,
            parsing_ahead: false,
        }
    }

    /// The folders documents may read profiles, pictures and templates
    /// from: their own, the current one, `--templates` and
    /// `--allow-outside`.
    pub fn access(&self) -> Access {
        let mut allowed = self.allow_outside.clone();
        allowed.extend(templates_dir(self));
        Access::for_inputs(&self.inputs, &allowed)
    }

    /// Everything besides the files that decides the bytes written:
    /// gostdoc's version, the formats and the fonts.
    fn setup_hash(&self) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        for f in &self.formats {
            h.update(f.extension().as_bytes());
        }
        h.update(&self.pdf.fonts.fingerprint().to_le_bytes());
        // Only when asked, so that the default's manifests stay valid.
        if self.pdf.pdfa {
            h.update(b"pdfa");
        }
        h.digest128()
    }
}

/// One input document and the output files it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The TOML file.
    pub input: PathBuf,
    /// The DOCX file, relative sub-folders kept; other formats change the
    /// extension ([`Job::output_for`]).
    pub output: PathBuf,
}

impl Job {
    /// The output file of one format.
    pub fn output_for(&self, format: Format) -> PathBuf {
        self.output.with_extension(format.extension())
    }
}

/// The files one document renders to, before anything is written.
#[derive(Debug)]
pub struct Rendered {
    /// Bytes per format: DOCX first, then PDF.
    pub files: Vec<(Format, Vec<u8>)>,
    /// Warnings (a character missing from the font, …).
    pub warnings: Vec<Diagnostic>,
    /// What the document was built from.
    pub deps: Vec<Dep<'static>>,
}

/// The outcome of a build or a check.
#[derive(Debug, Default)]
pub struct Report {
    /// Outputs written.
    pub built: Vec<PathBuf>,
    /// Documents built.
    pub documents_built: usize,
    /// Documents whose outputs were already up to date.
    pub up_to_date: usize,
    /// Documents checked without writing.
    pub checked: Vec<PathBuf>,
    /// Diagnostics of failed documents, grouped by input file.
    pub failed: Vec<(PathBuf, Diagnostics)>,
    /// Warnings, grouped by input file.
    pub warnings: Vec<(PathBuf, Diagnostics)>,
    /// Outputs whose input file no longer exists (kept without `--prune`).
    pub stale: Vec<PathBuf>,
    /// Outputs deleted by `--prune`.
    pub pruned: Vec<PathBuf>,
    /// Things the user should know about the build as a whole (templates
    /// taken from a folder, fewer threads than asked), in Russian.
    pub notes: Vec<String>,
}

impl Report {
    /// True when any document failed.
    pub fn has_failures(&self) -> bool {
        !self.failed.is_empty()
    }

    /// Every warning, in file order.
    pub fn all_warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.warnings.iter().flat_map(|(_, d)| &d.0)
    }
}

/// The first stages for one input file: its markup, as the template
/// wrote it. Tests snapshot it; template authors debug with it.
pub fn markup(input: &Path, templates: &Templates) -> Result<(&'static str, String), Diagnostics> {
    markup_of(&model::load(input)?, templates)
}

fn markup_of(
    model: &model::Model,
    templates: &Templates,
) -> Result<(&'static str, String), Diagnostics> {
    let view = view::build(model);
    let markup = render_template(model, &view, templates)?;
    Ok((view.kind, markup))
}

fn render_template(
    model: &model::Model,
    view: &view::View,
    templates: &Templates,
) -> Result<String, Diagnostics> {
    templates
        .render(view)
        .map_err(|e| Diagnostic::error(&model.source, e.to_string()).into())
}

/// The whole pipeline for one input file to DOCX, without writing
/// anything, with the tree the DOCX was made from (as the PDF's layout
/// left it: [`Document::keep_whole`]), for tests and tools that look at
/// both.
pub fn render(input: &Path, templates: &Templates) -> Result<(Document, Vec<u8>), Diagnostics> {
    let mut document = self::document(input, templates)?;
    let prepared = pdf::prepare(&document, &pdf::PdfOptions::default())
        .map_err(|e| Diagnostic::error(input, format!("не удалось собрать PDF: {e}")))?;
    document.keep_whole(prepared.keep_whole());
    let bytes = docx::render(&document)
        .map_err(|e| Diagnostic::error(input, format!("не удалось собрать DOCX: {e}")))?;
    Ok((document, bytes))
}

/// Each format rendered with its bytes.
pub(crate) type Files = Vec<(Format, Vec<u8>)>;

/// The backends ([`crate::format`]): a document tree to the bytes of
/// each requested format, with their warnings about this input.
pub(crate) fn render_tree(
    input: &Path,
    document: Document,
    formats: &[Format],
    pdf_options: &pdf::PdfOptions,
) -> Result<(Files, Vec<Diagnostic>), Diagnostics> {
    let rendered = crate::format::render(document, formats, pdf_options)
        .map_err(|e| Diagnostic::error(input, e.to_string()))?;
    let mut files = Vec::with_capacity(rendered.len());
    let mut warnings = Vec::new();
    for (format, output) in rendered {
        warnings.extend(
            output
                .warnings
                .into_iter()
                .map(|w| Diagnostic::error(input, w).warning()),
        );
        files.push((format, output.bytes));
    }
    Ok((files, warnings))
}

/// The stages up to the document tree, which every backend shares.
pub fn document(input: &Path, templates: &Templates) -> Result<Document, Diagnostics> {
    Ok(read_document(input, templates, &Access::for_document(input))?.document)
}

/// A document tree with what it was made from.
struct Read {
    document: Document,
    deps: Vec<Dep<'static>>,
    /// Warnings about the content (`gostdoc check`).
    warnings: Vec<Diagnostic>,
    /// Warnings of the markup about the layout (a table narrowed to fit),
    /// which the build prints too.
    layout_warnings: Vec<Diagnostic>,
    /// The document's own output options (`html`, `pdfa` in `[options]`,
    /// its own or its profile's).
    html: bool,
    pdfa: bool,
}

fn read_document(
    input: &Path,
    templates: &Templates,
    access: &Access,
) -> Result<Read, Diagnostics> {
    read_model(
        input,
        model::load_with(input, access)?,
        templates,
        access,
        markup::Purpose::Layout,
        &|| model::load_with(input, access).ok(),
    )
}

/// [`read_document`] from a model already read. `reload` reads the same
/// model again, only to say at which template line a markup error comes
/// from: the model and its view are dropped before the render, as a long
/// document's would otherwise stay alive with its markup and the tree
/// parsed from it.
fn read_model(
    input: &Path,
    mut model: model::Model,
    templates: &Templates,
    access: &Access,
    purpose: markup::Purpose,
    reload: &dyn Fn() -> Option<model::Model>,
) -> Result<Read, Diagnostics> {
    let (html, pdfa) = (model.options.html, model.options.pdfa);
    let source = model.source.clone();
    let inputs = std::mem::take(&mut model.inputs);
    let warnings = std::mem::take(&mut model.warnings);
    let layout_warnings = std::mem::take(&mut model.layout_warnings);
    let emblem = (model.organization.emblem.clone()).zip(model.organization.emblem_named_at.take());
    // The model's table rows go as their views are made.
    let view = view::build_consuming(model);
    let kind = view.kind;
    let pictures = Pictures::of(input, access);
    let read = |name: &str| pictures.read(name);
    // The document rendered and parsed whole: any template but the
    // built-in ones, a document without a long table, or whatever the
    // render in pieces below found wrong, which this render reports.
    let whole = |view: view::View| -> Result<Document, Diagnostics> {
        let markup = templates
            .render_view(view)
            .map_err(|e| Diagnostic::error(&source, e.to_string()))?;
        let document = markup::parse_for(&markup, &read, purpose).map_err(|e| {
            let emblem = emblem.as_ref().map(|(name, at)| (name.as_str(), &**at));
            if let Some(at) = pictures.error_where_named(emblem, input) {
                return at;
            }
            let hint = pictures.hint().unwrap_or(
                "исправьте шаблон: он выдаёт разметку, которую gostdoc не понимает (см. docs/MARKUP.md)",
            );
            // Said at the template's own line when it can be found: the line
            // of the generated markup means nothing to the template's author.
            // The view is made again for it (errors only).
            let at = reload().and_then(|model| {
                templates.locate(&view::build(&model), &markup, e.line, e.column)
            });
            let message = match at {
                Some(at) => format!(
                    "шаблон {}, строка {}{}: {}\n{}",
                    at.origin,
                    at.line,
                    at.column.map(|c| format!(", столбец {c}")).unwrap_or_default(),
                    e.message,
                    at.frame()
                ),
                None => format!("шаблон {}: {e}", templates.origin(&format!("{kind}.xml"))),
            };
            Diagnostic::error(input, message).with_hint(hint)
        })?;
        drop(markup);
        Ok(document)
    };
    // A long table's rows are rendered and parsed a slice at a time.
    // A slice of a long table's rows names no picture (its cells are
    // paragraphs and lists): one that did would fail here and be
    // reported by the whole render.
    let no_pictures = |_: &str| Err(std::io::Error::other("в строках таблицы нет рисунков"));
    let parse_rows = |m: &str| markup::parse_for(m, &no_pictures, purpose);
    let document = match templates.render_in_pieces(
        view,
        &|m| markup::parse_for(m, &read, purpose),
        &parse_rows,
    ) {
        InPieces::Document(document) => document,
        InPieces::Whole(view) => whole(*view)?,
        InPieces::Again => match reload() {
            Some(model) => whole(view::build(&model))?,
            None => {
                return Err(Diagnostic::error(
                    input,
                    "файл изменился во время сборки: соберите его ещё раз",
                )
                .into());
            }
        },
    };
    let mut deps: Vec<Dep> = inputs.iter().map(|p| Dep::file(p)).collect();
    deps.extend(pictures.asked().iter().map(|p| Dep::file(p)));
    deps.extend(Templates::used_by(kind).into_iter().map(Dep::template));
    deps.sort();
    deps.dedup();
    let layout_warnings = layout_warnings
        .into_iter()
        .chain(
            document
                .warnings
                .iter()
                .map(|w| Diagnostic::error(input, w.as_str()).warning()),
        )
        .collect();
    Ok(Read {
        document,
        deps,
        warnings,
        layout_warnings,
        html,
        pdfa,
    })
}

/// Renders one input to every requested format, without writing anything.
pub fn render_formats(
    input: &Path,
    templates: &Templates,
    formats: &[Format],
    pdf_options: &pdf::PdfOptions,
) -> Result<Rendered, Diagnostics> {
    let access = Access::for_document(input);
    render_formats_with(input, templates, formats, pdf_options, &access)
}

/// [`render_formats`], reading profiles and pictures only from the
/// folders `access` allows.
pub fn render_formats_with(
    input: &Path,
    templates: &Templates,
    formats: &[Format],
    pdf_options: &pdf::PdfOptions,
    access: &Access,
) -> Result<Rendered, Diagnostics> {
    render_job(input, templates, formats, false, pdf_options, access)
}

/// [`render_formats_with`]; with `documents_add`, a document whose
/// options ask for `html` gets its web page too (a build given no
/// `--format`). A document asking for `pdfa` always gets PDF/A.
fn render_job(
    input: &Path,
    templates: &Templates,
    formats: &[Format],
    documents_add: bool,
    pdf_options: &pdf::PdfOptions,
    access: &Access,
) -> Result<Rendered, Diagnostics> {
    // Content warnings are `check`'s; what changed the layout (a narrowed
    // table) the build says as well.
    let Read {
        document,
        deps,
        warnings: _,
        layout_warnings: mut warnings,
        html,
        pdfa,
    } = read_document(input, templates, access)?;
    let mut formats = formats.to_vec();
    if documents_add && html && !formats.contains(&Format::Html) {
        formats.push(Format::Html);
    }
    let archival;
    let pdf_options = if pdfa && !pdf_options.pdfa {
        archival = pdf::PdfOptions {
            pdfa: true,
            ..pdf_options.clone()
        };
        &archival
    } else {
        pdf_options
    };
    let (files, backend_warnings) = render_tree(input, document, &formats, pdf_options)?;
    warnings.extend(backend_warnings);
    Ok(Rendered {
        files,
        warnings,
        deps,
    })
}

/// What happened to one document.
enum Outcome {
    /// Written; its new manifest entry.
    Built {
        outputs: Vec<PathBuf>,
        entry: Entry<'static>,
        warnings: Vec<Diagnostic>,
    },
    /// Its outputs were up to date; its entry is unchanged.
    UpToDate,
    /// Checked without writing.
    Checked { warnings: Vec<Diagnostic> },
    /// It could not be built; previous outputs are left as they were.
    Failed(Diagnostics),
}

/// A file and what is wrong with it.
type FileDiagnostics = (PathBuf, Diagnostics);

/// What a build works with, found before anything is rendered.
struct Setup {
    templates: Templates,
    plan: Plan,
    access: Access,
    /// For the report: where the templates came from, threads clamped.
    notes: Vec<String>,
    /// Threads to render on (`None`: every core).
    jobs: Option<usize>,
}

/// The most documents rendered at once: rendering is CPU work, so more
/// threads than cores only add memory; `-j 100000` would ask the system
/// for a hundred thousand threads.
fn max_jobs() -> usize {
    crate::threads::cores().unwrap_or(4)
}

/// The threads `-j` asks for, as the build uses them: at most
/// [`max_jobs`], and `-j 0` (like none) for every core.
fn jobs_used(asked: Option<usize>) -> Option<usize> {
    match asked {
        Some(0) => None,
        Some(n) => Some(n.min(max_jobs())),
        None => None,
    }
}

/// The templates and the documents of a build, or why there are none:
/// the file at fault and what is wrong with it.
fn setup(options: &BuildOptions) -> Result<Setup, FileDiagnostics> {
    let mut notes = Vec::new();
    if let Some(dir) = &options.templates_dir
        && !dir.is_dir()
    {
        return Err((
            dir.clone(),
            Diagnostic::error(dir, "папка с шаблонами не найдена")
                .with_hint("проверьте путь в --templates; без него используются встроенные шаблоны")
                .into(),
        ));
    }
    let dir = templates_dir(options);
    if options.templates_dir.is_none()
        && let Some(found) = &dir
    {
        // Found by itself next to the documents, perhaps in a folder
        // someone sent: the user should know the built-in ones are not used.
        notes.push(format!(
            "используются шаблоны из папки «{}» (вместо встроенных там, где имена совпадают)",
            found.display()
        ));
    }
    let templates = Templates::load_for_documents(dir.as_deref()).map_err(|e| {
        let at = dir.unwrap_or_else(|| PathBuf::from("templates"));
        let diags = Diagnostic::error(&at, e.to_string()).into();
        (at, diags)
    })?;
    let plan = plan(&options.inputs, &options.output_dir);
    let most = max_jobs();
    if let Some(n) = options.jobs.filter(|&n| n > most) {
        notes.push(format!(
            "-j {n}: больше, чем ядер процессора ({most}); документы собираются в {most} потока"
        ));
    }
    let jobs = jobs_used(options.jobs);
    Ok(Setup {
        templates,
        plan,
        access: options.access(),
        notes,
        jobs,
    })
}

/// A manifest from this size on (a few hundred documents) is read and
/// parsed on a second thread while this one loads the templates and
/// searches the inputs: with nothing to build, parsing the manifest of
/// 1000 documents (400 KB) and the search took 1.5 and 1.3 ms, one after
/// the other, of the 10 ms. Below it a thread costs more than it saves.
const MANIFEST_PARSED_BESIDE: u64 = 64 << 10;

/// The build's setup, and the last build's manifest from the output
/// folder (its strings borrowed from `bytes`, filled here; empty when
/// there is none), each made at the same time when the manifest is large.
fn setup_beside_manifest<'b>(
    options: &BuildOptions,
    bytes: &'b OnceLock<Option<Vec<u8>>>,
) -> (Result<Setup, FileDiagnostics>, Manifest<'b>) {
    let parse = || {
        bytes
            .get_or_init(|| Manifest::read(&options.output_dir))
            .as_deref()
            .map(Manifest::parse)
            .unwrap_or_default()
    };
    let large = std::fs::metadata(options.output_dir.join(manifest::FILE_NAME))
        .is_ok_and(|m| m.len() >= MANIFEST_PARSED_BESIDE);
    if !large {
        return (setup(options), parse());
    }
    std::thread::scope(|s| {
        let parsing = std::thread::Builder::new().spawn_scoped(s, parse).ok();
        let setup = setup(options);
        // A thread that could not start or failed leaves the parse to
        // this one (the bytes are read once either way).
        let manifest = match parsing.map(|thread| thread.join()) {
            Some(Ok(manifest)) => manifest,
            _ => parse(),
        };
        (setup, manifest)
    })
}

/// Whether each document's outputs are still as the last build wrote
/// them, asked by any number of threads, a few documents at a time.
struct OutputsCheck<'p, 'm> {
    previous: &'p [(&'p Job, Option<&'p Entry<'m>>)],
    /// The first document no thread has taken yet.
    next: std::sync::atomic::AtomicUsize,
    /// Per document; false until asked, so a document no thread got to
    /// (one panicked) is rebuilt.
    intact: Vec<std::sync::atomic::AtomicBool>,
}

impl<'p, 'm> OutputsCheck<'p, 'm> {
    /// Documents taken at a time: about 60 µs of system calls, small
    /// enough for the two threads to finish together.
    const STEP: usize = 32;

    fn new(previous: &'p [(&'p Job, Option<&'p Entry<'m>>)]) -> Self {
        OutputsCheck {
            previous,
            next: 0.into(),
            intact: previous.iter().map(|_| false.into()).collect(),
        }
    }

    /// Asks about documents until none is left.
    fn run(&self) {
        use std::sync::atomic::Ordering::Relaxed;
        loop {
            let start = self.next.fetch_add(Self::STEP, Relaxed);
            let Some(taken) = self.previous.get(start..) else {
                return;
            };
            for (i, (_, entry)) in taken.iter().take(Self::STEP).enumerate() {
                let intact = entry.is_some_and(|e| e.key.is_some() && e.outputs_intact());
                self.intact[start + i].store(intact, Relaxed);
            }
        }
    }

    /// The answers, once every thread asking is done.
    fn intact(self) -> Vec<bool> {
        self.intact.into_iter().map(|b| b.into_inner()).collect()
    }
}

/// The report of a build that could not start.
fn failed_to_start(failure: FileDiagnostics) -> Report {
    Report {
        failed: vec![failure],
        ..Report::default()
    }
}

/// Runs `work` on every job on `options.jobs` threads, with a progress
/// bar when asked for; results in job order.
fn in_parallel<T: Send>(
    options: &BuildOptions,
    threads: Option<usize>,
    jobs: &[Job],
    work: impl Fn(&Job) -> T + Sync,
) -> Vec<T> {
    let bar = if options.progress && jobs.len() >= PROGRESS_FROM {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} документов, осталось {eta}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let step = |job: &Job| {
        let result = work(job);
        bar.inc(1);
        result
    };
    let workers = threads.unwrap_or_else(max_jobs).min(jobs.len());
    // One document is rendered on this thread: starting a thread costs
    // more than a protocol, and a long document keeps the main heap.
    let results = if workers <= 1 {
        let _busy = crate::threads::Busy::enter();
        jobs.iter().map(step).collect()
    } else {
        shared_out(jobs, workers, &step)
    };
    bar.finish_and_clear();
    results
}

/// `work` over every job on `workers` threads (this one among them), the
/// results in the order of the jobs. Each thread takes the next job not
/// taken yet and, when none is left, ends: a thread pool's workers would
/// spin looking for work between jobs, a third more CPU than the work
/// itself for a batch of small documents on two cores.
fn shared_out<T: Send>(jobs: &[Job], workers: usize, work: &(impl Fn(&Job) -> T + Sync)) -> Vec<T> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        // Counted while it has documents: a document's backends take a
        // second thread only from a core no worker uses.
        let _busy = crate::threads::Busy::enter();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(job) = jobs.get(i) else {
                return done;
            };
            done.push((i, work(job)));
        }
    };
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(jobs.len()).collect();
    std::thread::scope(|scope| {
        // A thread that cannot be started leaves its share to the others:
        // this thread alone still does every job.
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, take).ok())
            .collect();
        let mut parts = vec![take()];
        for helper in helpers {
            match helper.join() {
                Ok(part) => parts.push(part),
                // A document that panicked: as the pool would, pass the
                // panic on.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (i, result) in parts.into_iter().flatten() {
            slots[i] = Some(result);
        }
    });
    // Every index was taken exactly once, so every slot is full.
    slots.into_iter().flatten().collect()
}

/// Starts parsing the built-in templates of the documents `options`
/// surely renders, on a second thread, before the build itself starts
/// ([`ahead::start_early`] says which builds): for a caller that has more
/// to do first (reading the font files of `--fonts`). True when started;
/// the caller then sets [`BuildOptions::parsing_ahead`].
pub fn parse_ahead(options: &BuildOptions) -> bool {
    ahead::start_early(options)
}

/// Builds every document that changed since the last build (every one
/// with `force`), in parallel, and records what each was built from.
pub fn run(options: &BuildOptions) -> Report {
    let parsing_ahead = options.parsing_ahead || ahead::start_early(options);
    let manifest_bytes = OnceLock::new();
    let (setup, mut manifest) = setup_beside_manifest(options, &manifest_bytes);
    let Setup {
        templates,
        plan,
        access,
        notes,
        jobs: threads,
    } = match setup {
        Ok(found) => found,
        Err(failure) => return failed_to_start(failure),
    };
    let _limit = crate::threads::ThreadLimit::set(threads);
    let previous_files = std::mem::take(&mut manifest.files);
    let jobs = plan.jobs;
    let entries_before = manifest.documents.len();
    let previous: Vec<(&Job, Option<&Entry>)> = jobs
        .iter()
        .map(|job| {
            let entry = manifest
                .documents
                .get(manifest::text_of(&job.input).as_ref());
            (job, entry.filter(|_| !options.force))
        })
        .collect();
    let known_documents = previous.iter().filter(|(_, e)| e.is_some()).count();
    // Documents that will surely render (new or forced): when they are
    // fewer than the threads a build may use, and none is long, a second
    // thread works beside this one (their built-in templates parsed
    // ahead, their backends side by side in `format::render`), and both
    // heaps grow in large steps (set before that thread starts).
    let unbuilt: Vec<PathBuf> = previous
        .iter()
        .filter(|(_, entry)| entry.is_none())
        .map(|(job, _)| job.input.clone())
        .collect();
    if ahead::few_short(&unbuilt, crate::threads::threads_allowed()) {
        crate::memory::few_documents_ahead();
        // Overrides were parsed with the templates, and would not use the
        // built-in ones.
        if !parsing_ahead && templates.override_files().next().is_none() {
            crate::template::parse_built_in_ahead(move || ahead::kinds_of(&unbuilt));
        }
    }
    // No job for the thread standing by since the start, if there is one.
    crate::threads::dismiss_standby();
    let hasher = Hasher::new(options.setup_hash(), &templates, &previous_files);
    // Each document and its profile, pictures.
    hasher.expect(jobs.len() + 16);
    // What the system is asked about each document is most of a build
    // with nothing to do, so it is asked on two threads: another one
    // asks whether each document's outputs are there with the sizes
    // written, while this one takes each document's stamp (the numbering
    // pass and the keys below then find it known) and numbers them, then
    // helps with the outputs left (the two halves took turns being the
    // longer one by a millisecond).
    let outputs = OutputsCheck::new(&previous);
    let numbering_failed = std::thread::scope(|s| {
        let helper = match previous.len() {
            0..64 => None,
            _ => std::thread::Builder::new()
                .spawn_scoped(s, || outputs.run())
                .ok(),
        };
        for job in &jobs {
            hasher.look_at(&job.input);
        }
        // Numbers for `number = "auto"`, assigned over every folder of the
        // run before any document renders: the render reads them. Whether a
        // document mentions `"auto"` is known from its stamp in the manifest
        // while it is unchanged, so a build with nothing to do reads none.
        let numbering_folders = match options.inputs.as_slice() {
            [folder] if folder.is_dir() => crate::numbering::folders_of_jobs(&jobs),
            inputs => crate::numbering::folders(inputs),
        };
        let numbering_failed =
            crate::numbering::prepare_in(numbering_folders, &access, &|path: &Path| {
                hasher.file_mentions_auto(path)
            });
        outputs.run();
        // A helper that failed left its entries not intact: rebuilt.
        if let Some(helper) = helper {
            let _ = helper.join();
        }
        numbering_failed
    });
    let intact = outputs.intact();
    // Which documents are up to date, decided before any thread pool
    // starts: with nothing to build, none does. The keys are taken after
    // the numbering pass, which may have changed a numbers file.
    let up_to_date: Vec<bool> = previous
        .iter()
        .zip(intact)
        .map(|((_, entry), intact)| intact && entry.is_some_and(|e| hasher.key(&e.deps) == e.key))
        .collect();
    drop(previous);
    let to_build: Vec<Job> = jobs
        .iter()
        .zip(&up_to_date)
        .filter(|(_, fresh)| !**fresh)
        .map(|(job, _)| job.clone())
        .collect();
    // Left by a killed build: removed before this one writes beside them.
    let mut folders: Vec<&Path> = to_build.iter().filter_map(|j| j.output.parent()).collect();
    folders.dedup();
    for folder in folders {
        remove_orphaned_temporaries(folder);
    }
    let built = in_parallel(options, threads, &to_build, |job| {
        let outcome = build_one(job, options, &templates, &hasher, &access);
        crate::memory::batch_document_done();
        outcome
    });
    let mut built = built.into_iter();
    let outcomes = up_to_date.iter().map(|&fresh| {
        if fresh {
            Outcome::UpToDate
        } else {
            built.next().unwrap_or(Outcome::UpToDate)
        }
    });

    let mut report = Report {
        notes,
        failed: plan.rejected,
        ..Report::default()
    };
    report.failed.extend(numbering_failed);
    // Whether the manifest may have changed: serialising it to compare
    // cost as much as the rest of a build with nothing to do.
    let mut changed = false;
    for (job, outcome) in jobs.iter().zip(outcomes) {
        match outcome {
            Outcome::Built {
                outputs,
                entry,
                warnings,
            } => {
                report.documents_built += 1;
                changed = true;
                report.built.extend(outputs);
                if !warnings.is_empty() {
                    report
                        .warnings
                        .push((job.input.clone(), Diagnostics(warnings)));
                }
                manifest.documents.insert(key_of(&job.input).into(), entry);
            }
            Outcome::UpToDate => report.up_to_date += 1,
            Outcome::Checked { .. } => {}
            Outcome::Failed(diags) => {
                // Retried next time, whatever changed or not.
                if let Some(entry) = manifest
                    .documents
                    .get_mut(manifest::text_of(&job.input).as_ref())
                {
                    changed |= entry.key.take().is_some();
                }
                report.failed.push((job.input.clone(), diags));
            }
        }
    }
    // Every document of the manifest is one of this build's: none is gone.
    if known_documents < entries_before {
        stale_outputs(options, &jobs, &mut manifest, &mut report);
    }
    changed |= manifest.documents.len() != entries_before;
    site::write_index(options, &mut report);
    // With nothing built and every stamp as it was, the stamps are the
    // last ones: not gathered again.
    let stamps = (changed || !hasher.every_stamp_held()).then(|| {
        hasher.stamps(
            manifest.documents.values().flat_map(|e| &e.deps),
            &previous_files,
        )
    });
    drop(hasher);
    manifest.files = match stamps {
        Some(stamps) => {
            changed |= stamps != previous_files;
            stamps
        }
        None => previous_files,
    };
    let path = options.output_dir.join(manifest::FILE_NAME);
    // Nothing built, failed or pruned, every stamp as it was, and the
    // manifest there: nothing to write, and nothing to compare.
    if !changed && path.is_file() {
        return report;
    }
    let bytes = manifest.to_bytes();
    // Unchanged (a forced rebuild of the same files): not rewritten.
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return report;
    }
    if let Err(e) = write_atomically(&path, &bytes) {
        let at = options.output_dir.join(manifest::FILE_NAME);
        report.failed.push((
            at.clone(),
            Diagnostic::error(&at, format!("не удалось записать файл: {}", reason(&e)))
                .with_hint(write_hint(&e).unwrap_or("проверьте права на папку с результатами"))
                .into(),
        ));
    } else {
        // The JSON manifest of an older gostdoc, replaced by this one.
        let _ = std::fs::remove_file(options.output_dir.join(manifest::JSON_FILE_NAME));
    }
    report
}

/// The manifest's name for an input file.
fn key_of(input: &Path) -> String {
    input.to_string_lossy().into_owned()
}

/// Renders one document and writes its files.
fn build_one(
    job: &Job,
    options: &BuildOptions,
    templates: &Templates,
    hasher: &Hasher,
    access: &Access,
) -> Outcome {
    let rendered = match render_job(
        &job.input,
        templates,
        &options.formats,
        options.documents_add_formats,
        &options.pdf,
        access,
    ) {
        Ok(r) => r,
        Err(d) => return Outcome::Failed(d),
    };
    let outputs: Vec<PathBuf> = rendered
        .files
        .iter()
        .map(|(format, _)| job.output_for(*format))
        .collect();
    let files: Vec<(&Path, &[u8])> = outputs
        .iter()
        .zip(&rendered.files)
        .map(|(path, (_, bytes))| (path.as_path(), bytes.as_slice()))
        .collect();
    // The DOCX and the PDF are replaced together: never a new DOCX beside
    // an old PDF after a full disk.
    if let Err((path, e)) = write_together(&files) {
        return Outcome::Failed(
            Diagnostic::error(&path, format!("не удалось записать файл: {}", reason(&e)))
                .with_hint(format!(
                    "{}; прежние файлы документа остались как были",
                    replace_advice(&e)
                ))
                .into(),
        );
    }
    let written: Vec<Output> = files
        .iter()
        .map(|(path, bytes)| Output::new(path, bytes))
        .collect();
    // The key is taken from the files as they are now: if one changed while
    // the document rendered, the next build sees a different key and
    // renders again.
    let key = hasher.key(&rendered.deps);
    Outcome::Built {
        outputs,
        entry: Entry {
            key,
            deps: rendered.deps,
            outputs: written,
        },
        warnings: rendered.warnings,
    }
}

/// Finds manifest entries whose input file is gone, within the inputs of
/// this build; reports their outputs, and with `prune` deletes them.
fn stale_outputs(
    options: &BuildOptions,
    jobs: &[Job],
    manifest: &mut Manifest,
    report: &mut Report,
) {
    // Each input asked once whether it is a folder, not once per document.
    let given: Vec<(&PathBuf, bool)> = options.inputs.iter().map(|g| (g, g.is_dir())).collect();
    let covered = |input: &Path| {
        given
            .iter()
            .any(|(given, dir)| input == *given || (*dir && input.starts_with(given)))
    };
    // A document of this build exists: only the others are looked for.
    // Compared as the bytes the manifest keeps (`text_of`): hashing a
    // `Path` takes it apart, a third of a build with nothing to do once a
    // document of 1000 was deleted.
    let found: rustc_hash::FxHashSet<std::borrow::Cow<str>> =
        jobs.iter().map(|j| manifest::text_of(&j.input)).collect();
    let gone: Vec<String> = manifest
        .documents
        .keys()
        .filter(|name| {
            let input = Path::new(name.as_ref());
            !found.contains(name.as_ref()) && covered(input) && !input.exists()
        })
        .map(|name| name.to_string())
        .collect();
    for name in gone {
        let name = name.as_str();
        let outputs: Vec<PathBuf> = manifest.documents[name]
            .outputs
            .iter()
            .map(|o| o.path().to_path_buf())
            .filter(|p| p.exists())
            .collect();
        if options.prune {
            for output in &manifest.documents[name].outputs {
                let path = &output.path().to_path_buf();
                if !path.exists() {
                    continue;
                }
                if !output.safe_to_delete(&options.output_dir) {
                    report.failed.push((
                        path.clone(),
                        Diagnostic::error(
                            path,
                            "не удалён: это не тот файл, который записал gostdoc (он изменён, это ссылка или он лежит вне папки с результатами)",
                        )
                        .with_hint("если файл не нужен, удалите его сами")
                        .into(),
                    ));
                    continue;
                }
                match std::fs::remove_file(path) {
                    Ok(()) => report.pruned.push(path.clone()),
                    Err(e) => report.failed.push((
                        path.clone(),
                        Diagnostic::error(path, format!("не удалось удалить файл: {}", reason(&e)))
                            .into(),
                    )),
                }
            }
            manifest.documents.remove(name);
        } else if outputs.is_empty() {
            // Deleted by hand: nothing left to report.
            manifest.documents.remove(name);
        } else {
            report.stale.extend(outputs);
        }
    }
}

/// Checks every document without writing anything: the same errors as a
/// build, plus warnings about content that looks wrong.
pub fn check(options: &BuildOptions) -> Report {
    let Setup {
        templates,
        plan,
        access,
        notes,
        jobs: threads,
    } = match setup(options) {
        Ok(found) => found,
        Err(failure) => return failed_to_start(failure),
    };
    let jobs = plan.jobs;
    let outcomes = in_parallel(options, threads, &jobs, |job| {
        let model = model::load_with(&job.input, &access);
        // What the numbering of the folder needs, kept so that it does
        // not read the document again.
        let numbered = match &model {
            Ok(m) => Ok(crate::numbering::Numbered::of(m)),
            Err(_) => Err(()),
        };
        let outcome = match model
            // Parsed for its messages only: `check` lays nothing out.
            .and_then(|m| {
                let reload = || model::load_with(&job.input, &access).ok();
                read_model(
                    &job.input,
                    m,
                    &templates,
                    &access,
                    markup::Purpose::Check,
                    &reload,
                )
            })
            .and_then(|read| checked(&job.input, read, options))
        {
            Ok(checked) => Outcome::Checked {
                warnings: checked.warnings,
            },
            Err(d) => Outcome::Failed(d),
        };
        (outcome, numbered)
    });
    let mut report = Report {
        notes,
        failed: plan.rejected,
        ..Report::default()
    };
    // The folders of the documents, from the jobs when one folder was given
    // (as the build does), not by searching it again.
    let numbering_folders = match options.inputs.as_slice() {
        [folder] if folder.is_dir() => crate::numbering::folders_of_jobs(&jobs),
        inputs => crate::numbering::folders(inputs),
    };
    let mut known = crate::numbering::Known::with_capacity(jobs.len());
    for (job, (outcome, numbered)) in jobs.into_iter().zip(outcomes) {
        known.insert(job.input.clone(), numbered);
        match outcome {
            Outcome::Checked { warnings } => {
                if !warnings.is_empty() {
                    report
                        .warnings
                        .push((job.input.clone(), Diagnostics(warnings)));
                }
                report.checked.push(job.input);
            }
            Outcome::Failed(d) => report.failed.push((job.input, d)),
            Outcome::Built { .. } | Outcome::UpToDate => {}
        }
    }
    // The control files of the folders (`_контроль.toml`): one that cannot
    // be read fails the check, as the register would miss its marks; a
    // mark for a missing point is a warning, as the documents are sound.
    let numbering = crate::numbering::check_known(numbering_folders, &access, &known);
    for (file, diagnostics) in crate::control::check(&options.inputs)
        .into_iter()
        .chain(numbering)
    {
        if diagnostics.has_errors() {
            report.failed.push((file, diagnostics));
        } else {
            report.warnings.push((file, diagnostics));
        }
    }
    report
}

/// A document `check` passed: its tree and its warnings.
pub struct Checked {
    /// The document tree, for a preview.
    pub document: Document,
    /// Warnings about the content and the layout, in file order.
    pub warnings: Vec<Diagnostic>,
}

/// What `check` says of one document read.
fn checked(input: &Path, read: Read, options: &BuildOptions) -> Result<Checked, Diagnostics> {
    let mut warnings = read.warnings;
    warnings.extend(read.layout_warnings);
    if options.formats.contains(&Format::Pdf) {
        warnings.extend(
            pdf::missing_characters(&read.document, &options.pdf)
                .into_iter()
                .map(|w| Diagnostic::error(input, w).warning()),
        );
    }
    if read.document.sections.is_empty() {
        return Err(Diagnostic::error(
            input,
            format!("не удалось собрать PDF: {}", pdf::PdfError::NoSections),
        )
        .into());
    }
    Ok(Checked {
        document: read.document,
        warnings,
    })
}

/// [`check`] of one document's text not saved yet (the editor of
/// `gostdoc serve`), as if it were the content of `input`: the same
/// errors and warnings, and the document tree for a preview. Nothing is
/// written, and `input` itself is not read.
pub fn check_text(
    input: &Path,
    text: &str,
    templates: &Templates,
    options: &BuildOptions,
    access: &Access,
) -> Result<Checked, Diagnostics> {
    let model = model::load_text(input, text, access)?;
    // The preview of `gostdoc serve` lays the document out.
    let reload = || model::load_text(input, text, access).ok();
    let read = read_model(
        input,
        model,
        templates,
        access,
        markup::Purpose::Layout,
        &reload,
    )?;
    checked(input, read, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The manifest of `documents` entries, as a build of them writes it.
    fn manifest_bytes(documents: usize) -> Vec<u8> {
        let mut manifest = Manifest::default();
        for i in 0..documents {
            let input = format!("data/{i:04}_протокол.toml");
            let entry = Entry {
                key: Some(i as u128),
                deps: vec![
                    Dep::file(Path::new(&input)),
                    Dep::template("protocol.xml".into()),
                ],
                outputs: vec![Output::new(Path::new(&format!("out/{i:04}.pdf")), b"%PDF")],
            };
            manifest.documents.insert(input.into(), entry);
        }
        manifest.to_bytes()
    }

    /// A large manifest is parsed on a second thread while the setup is
    /// made: what comes out is the manifest read in line, with the setup.
    #[test]
    fn a_large_manifest_is_parsed_beside_the_setup() {
        let dir = tempfile::tempdir().unwrap();
        let (data, out) = (dir.path().join("data"), dir.path().join("out"));
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(data.join("a.toml"), "").unwrap();
        for documents in [3, 1000] {
            let bytes = manifest_bytes(documents);
            assert_eq!(
                bytes.len() as u64 >= MANIFEST_PARSED_BESIDE,
                documents == 1000,
                "{} bytes",
                bytes.len()
            );
            std::fs::write(out.join(manifest::FILE_NAME), &bytes).unwrap();
            let options = BuildOptions::new(vec![data.clone()], &out);
            let cell = OnceLock::new();
            let (setup, manifest) = setup_beside_manifest(&options, &cell);
            assert_eq!(manifest, Manifest::parse(&bytes));
            assert_eq!(manifest.documents.len(), documents);
            let jobs = setup.map(|s| s.plan.jobs).unwrap();
            assert_eq!(jobs.len(), 1);
            assert!(jobs[0].input.ends_with("a.toml"));
        }
    }

    /// Two threads asking about the outputs together answer for every
    /// document, each in its place: a missing output, a changed size or
    /// an entry without a key (a failed build) is not intact.
    #[test]
    fn outputs_asked_on_two_threads_answer_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let jobs: Vec<Job> = (0..150)
            .map(|i| Job {
                input: dir.path().join(format!("{i}.toml")),
                output: dir.path().join(format!("{i}.docx")),
            })
            .collect();
        let entries: Vec<Entry> = jobs
            .iter()
            .enumerate()
            .map(|(i, job)| {
                if i % 3 != 0 {
                    std::fs::write(&job.output, b"PK").unwrap();
                }
                let size = if i % 5 == 0 { b"PK!".as_slice() } else { b"PK" };
                Entry {
                    key: (i % 7 != 0).then_some(1),
                    deps: Vec::new(),
                    outputs: vec![Output::new(&job.output, size)],
                }
            })
            .collect();
        let previous: Vec<(&Job, Option<&Entry>)> = jobs
            .iter()
            .zip(&entries)
            .map(|(job, entry)| (job, Some(entry)))
            .collect();
        let outputs = OutputsCheck::new(&previous);
        std::thread::scope(|s| {
            s.spawn(|| outputs.run());
            outputs.run();
        });
        let intact = outputs.intact();
        let expected: Vec<bool> = (0..150)
            .map(|i| i % 3 != 0 && i % 5 != 0 && i % 7 != 0)
            .collect();
        assert_eq!(intact, expected);
        assert_eq!(intact.iter().filter(|&&b| b).count(), 69);
    }
}
