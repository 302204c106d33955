//! Tera templates: one per document kind, built into the binary and
//! overridable by a file of the same name in a `templates/` folder.
//!
//! Templates are named `*.xml`, so Tera escapes every value they print:
//! user text can never become markup, and since Tera never re-renders its
//! output, never template code either.
//!
//! A template is a program a user may write, so a render is bounded
//! ([`Limits`]): its output in bytes, and its time. Tera renders into a
//! [`Write`]; ours refuses to grow past the size limit and, now and then,
//! checks the clock. Our filters and our `range` check the clock too, so a
//! loop that prints nothing but calls `range` or a filter stops in time,
//! with the template's line. A loop that does neither (over a list stored
//! in a variable) has no hook Tera offers: the render runs on a thread of
//! its own (one kept for each calling thread), and past the time limit
//! (plus a second's grace) the build reports the error and leaves that
//! thread behind; it dies with the process. Output captured into a variable (`{% set x %}…{% endset %}`)
//! bypasses the writer, so only the time limit bounds it.
//!
//! Markup errors are found after the render, at a line of the markup;
//! [`Templates::locate`] maps such a position back to the template's own
//! line by rendering once more with markers in the template's text.

use crate::input::{self, Access, FileKind};
use crate::view::{BlockView, People, PersonEntry, TableRowView, View};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

mod context;
mod pieces;
pub use pieces::InPieces;

/// The built-in templates, by name.
/// `components.xml` comes first: the others use its components.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "components.xml",
        include_str!("../templates/components.xml"),
    ),
    ("protocol.xml", include_str!("../templates/protocol.xml")),
    (
        "resolution.xml",
        include_str!("../templates/resolution.xml"),
    ),
    (
        "rasporyazhenie.xml",
        include_str!("../templates/rasporyazhenie.xml"),
    ),
    ("prikaz.xml", include_str!("../templates/prikaz.xml")),
    ("reshenie.xml", include_str!("../templates/reshenie.xml")),
    ("plan.xml", include_str!("../templates/plan.xml")),
    ("extract.xml", include_str!("../templates/extract.xml")),
];

/// A template failed to load or to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// Where the template came from: «встроенный шаблон protocol.xml» or a path.
    pub origin: String,
    /// Tera's message with its code frame, and our explanation.
    pub message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ошибка в шаблоне {}: {}", self.origin, self.message)
    }
}

impl std::error::Error for TemplateError {}

/// Bounds on one render of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes of markup a render may write.
    pub output_bytes: usize,
    /// Longest a render may run.
    pub time: Duration,
}

impl Default for Limits {
    /// 32 MB and 10 s: the 1002-page roadmap writes about 3 MB of markup
    /// in milliseconds, a 5000-page one about 15 MB. 32, not more: tiny
    /// elements cost far more to parse and lay out than their bytes (the
    /// markup also caps its elements, `markup::MAX_ELEMENTS`).
    fn default() -> Limits {
        Limits {
            output_bytes: 32 << 20,
            time: Duration::from_secs(10),
        }
    }
}

/// How long past the time limit the build waits for a render that checks
/// no clock (a silent loop) before it gives up on it.
const GRACE: Duration = Duration::from_secs(1);

/// One template as loaded.
struct Source {
    /// `protocol.xml`.
    name: String,
    /// Its text.
    text: String,
    /// The file it came from, or none for the built-in one.
    file: Option<PathBuf>,
}

/// The set of templates used by a build: the built-ins, with any overrides.
pub struct Templates {
    /// The sources and their parsed forms.
    parsed: Parsed,
    /// Template name → XXH3 of its source, for incremental builds.
    hashes: Vec<(String, u128)>,
    limits: Limits,
    /// A long table of at least this many rows has its body rows stored
    /// compressed as they are parsed ([`crate::document::StoredRows`]).
    stored_from: usize,
    /// The same templates with position markers, for [`Templates::locate`];
    /// built the first time a markup error needs it. `None` when they do
    /// not compile (a marker landed where Tera does not expect text).
    traced: OnceLock<Option<Arc<tera::Tera>>>,
}

/// The templates' sources and the slots they are parsed into.
struct Parsed {
    /// The parsed templates, one slot per document kind's template (in
    /// [`Parsed::sources`] order): the built-in ones are parsed only
    /// when a document of that kind is first rendered, with the shared
    /// components, or taken from [`BUILT_IN`] (parsing
    /// them all is a tenth of a one-document process, and a build with
    /// nothing to do renders nothing). Overrides are parsed at once, so
    /// that an error in one is reported before any document, as it always
    /// was.
    compiled: Vec<OnceLock<Result<Arc<tera::Tera>, TemplateError>>>,
    /// Every template, in [`BUILTIN`] order.
    sources: Vec<Source>,
}

impl Parsed {
    /// The parsed templates that render `name`: for a built-in kind, its
    /// own template with the shared components, parsed on first use (a
    /// second caller meanwhile waits for the first one's result).
    fn tera_for(&self, name: &str) -> Result<Arc<tera::Tera>, TemplateError> {
        let index = self.sources.iter().position(|s| s.name == name);
        // An unknown name: Tera itself says it has no such template.
        let Some(index) = index else {
            return parse(&self.sources.iter().collect::<Vec<_>>()).map(Arc::new);
        };
        let built_in = |name: &str| {
            self.sources
                .iter()
                .find(|s| s.name == name)
                .is_some_and(|s| s.file.is_none())
        };
        self.compiled[index]
            .get_or_init(|| {
                if built_in(name) && built_in(COMPONENTS) {
                    // The thread parsing ahead is still at it: this
                    // thread has nothing to do until it is done, so it
                    // does now what it would do later anyway.
                    let ahead = BUILTIN.iter().position(|(n, _)| *n == name);
                    let parsing = || {
                        PARSING_AHEAD.load(Ordering::Acquire)
                            && ahead.is_some_and(|i| BUILT_IN[i].get().is_none())
                    };
                    if parsing() {
                        crate::format::warm_up_while_waiting();
                        // Then awake until it is done (a few hundred
                        // microseconds), and asleep only past that.
                        crate::threads::wait_awake(|| !parsing());
                    }
                    if let Some(parsed) = parsed_built_in(name) {
                        return parsed;
                    }
                }
                let mut wanted: Vec<&Source> = self
                    .sources
                    .iter()
                    .filter(|s| s.name == COMPONENTS && s.name != name)
                    .collect();
                wanted.push(&self.sources[index]);
                parse(&wanted).map(Arc::new)
            })
            .clone()
    }
}

/// The built-in template of each document kind parsed with the built-in
/// components (in [`BUILTIN`] order), for the whole process: parsed once
/// whichever [`Templates`] asks first, possibly ahead of any
/// ([`parse_built_in_ahead`]), never freed (a build's end does not spend a
/// tenth of a protocol's instructions taking them apart, and `watch`
/// parses them once).
static BUILT_IN: [OnceLock<Result<Arc<tera::Tera>, TemplateError>>; BUILTIN.len()] =
    [const { OnceLock::new() }; BUILTIN.len()];

/// The built-in template `name` parsed with the built-in components, from
/// [`BUILT_IN`]; `None` for a name that is not a built-in one.
fn parsed_built_in(name: &str) -> Option<Result<Arc<tera::Tera>, TemplateError>> {
    let index = BUILTIN.iter().position(|(n, _)| *n == name)?;
    let parsed = BUILT_IN[index].get_or_init(|| {
        let source = |(name, text): &(&str, &str)| Source {
            name: (*name).to_string(),
            text: (*text).to_string(),
            file: None,
        };
        let mut wanted: Vec<Source> = BUILTIN
            .iter()
            .filter(|(n, _)| *n == COMPONENTS && *n != name)
            .map(source)
            .collect();
        wanted.push(source(&BUILTIN[index]));
        // Only the components this kind calls: a sixth less to parse for
        // a protocol. Should the search below ever miss a call, Tera
        // refuses the set and the whole file is parsed.
        if let [components, own] = &wanted[..] {
            let pruned = Source {
                text: components_called(&components.text, &own.text),
                ..source(&BUILTIN[0])
            };
            if let Ok(tera) = parse(&[&pruned, own]) {
                return Ok(Arc::new(tera));
            }
        }
        parse(&wanted.iter().collect::<Vec<_>>()).map(Arc::new)
    });
    Some(parsed.clone())
}

/// `components` with the definitions `template` does not call, directly
/// or through another component, blanked: each kept as its line breaks
/// only, so that the lines of the others stay where they are. A call is
/// `<name` followed by anything but a letter, digit or underscore: text
/// that merely looks like one keeps a component it need not.
fn components_called(components: &str, template: &str) -> String {
    const OPEN: &str = "component ";
    // Each definition: its name and the bytes from its opening tag's
    // `{%` to its closing tag's `%}`.
    let mut defs: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    let mut at = 0;
    while let Some(found) = components[at..].find(OPEN) {
        let name_start = at + found + OPEN.len();
        let name_len = components[name_start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(0);
        let name = &components[name_start..name_start + name_len];
        let tag_start = components[..at + found].rfind("{%");
        let end_tag = format!("endcomponent {name}");
        let closed = components[name_start..]
            .find(&end_tag)
            .map(|e| name_start + e + end_tag.len())
            .and_then(|e| components[e..].find("%}").map(|c| e + c + 2));
        match (name.is_empty(), tag_start, closed) {
            (false, Some(start), Some(end)) => {
                defs.push((name, start..end));
                at = end;
            }
            // Not a definition this search understands: nothing blanked.
            _ => return components.to_string(),
        }
    }
    // The definitions each text calls, found in one pass over its `<`s.
    let called = |text: &str| -> Vec<usize> {
        let mut found: Vec<usize> = memchr::memchr_iter(b'<', text.as_bytes())
            .filter_map(|i| {
                let rest = &text[i + 1..];
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                defs.iter().position(|(name, _)| *name == &rest[..end])
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    };
    let mut needed = vec![false; defs.len()];
    let mut queue = called(template);
    while let Some(i) = queue.pop() {
        if std::mem::replace(&mut needed[i], true) {
            continue;
        }
        queue.extend(called(&components[defs[i].1.clone()]));
    }
    let mut out = String::with_capacity(components.len());
    let mut copied = 0;
    for ((_, range), needed) in defs.iter().zip(needed) {
        if needed {
            continue;
        }
        out.push_str(&components[copied..range.start]);
        out.extend(components[range.clone()].chars().filter(|&c| c == '\n'));
        copied = range.end;
    }
    out.push_str(&components[copied..]);
    out
}

/// Set from the start of [`parse_built_in_ahead`] to the end of its
/// thread.
static PARSING_AHEAD: AtomicBool = AtomicBool::new(false);

/// Parses the built-in templates of the document kinds `kinds` gives
/// (keys, `protocol`) on a thread of their own, so that they are ready
/// when the first document of each kind reaches its template: for a build
/// of a few documents, on a core that would otherwise wait. `kinds` runs
/// on that thread too (it may read files). A kind already parsed, or
/// unknown, costs nothing; a render meanwhile waits for the parse under
/// way rather than starting its own, and an error is the same either way.
/// The thread is not waited for: a process that ends first leaves it to
/// its end.
pub fn parse_built_in_ahead(kinds: impl FnOnce() -> Vec<&'static str> + Send + 'static) {
    // Set before the thread starts: a render that comes first still
    // finds the thread's work under way (or about to be).
    PARSING_AHEAD.store(true, Ordering::Relaxed);
    let work = move || {
        for kind in kinds() {
            let _ = parsed_built_in(&format!("{kind}.xml"));
        }
        PARSING_AHEAD.store(false, Ordering::Release);
    };
    // The thread standing by since the process started, if any: it is
    // awake already.
    let Err(work) = crate::threads::hand_to_standby(Box::new(work)) else {
        return;
    };
    let spawned =
        crate::threads::spawn_elsewhere(std::thread::Builder::new().name("templates".into()), work);
    if spawned.is_err() {
        PARSING_AHEAD.store(false, Ordering::Relaxed);
    }
}

/// A new Tera with our filters, our `range` and our escaping.
fn new_tera() -> tera::Tera {
    let mut tera = tera::Tera::new();
    crate::filters::register(&mut tera);
    tera.register_function("range", range);
    tera.set_escape_fn(escape_xml);
    tera
}

/// Tera's `escape_html`, byte for byte the same output, written a run at
/// a time: Tera's writes every byte of a value by itself, and a `check`
/// spent a tenth of its instructions there.
fn escape_xml(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    // A long value (a paragraph) is searched with memchr's vector search,
    // each search kept until passed, so that it is searched once: most
    // have none of the five bytes, and a byte at a time was 2 % of a
    // `check`. A short one is looked at a byte at a time, faster for it.
    let mut amp_lt_gt = None;
    let mut quotes = None;
    let mut next_special = |from: usize| -> Option<usize> {
        if bytes.len() < 32 {
            return bytes[from..]
                .iter()
                .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
                .map(|at| from + at);
        }
        if amp_lt_gt.is_none_or(|at| at < from) {
            amp_lt_gt = Some(
                memchr::memchr3(b'&', b'<', b'>', &bytes[from..])
                    .map_or(usize::MAX, |at| from + at),
            );
        }
        if quotes.is_none_or(|at| at < from) {
            quotes = Some(
                memchr::memchr2(b'"', b'\'', &bytes[from..]).map_or(usize::MAX, |at| from + at),
            );
        }
        let at = amp_lt_gt
            .unwrap_or(usize::MAX)
            .min(quotes.unwrap_or(usize::MAX));
        (at != usize::MAX).then_some(at)
    };
    let mut copied = 0;
    while let Some(at) = next_special(copied) {
        let entity: &[u8] = match bytes[at] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            _ => b"&#39;",
        };
        if copied < at {
            out.write_all(&bytes[copied..at])?;
        }
        out.write_all(entity)?;
        copied = at + 1;
    }
    if copied < bytes.len() {
        out.write_all(&bytes[copied..])?;
    }
    Ok(())
}

/// The template every other one uses: the shared components.
const COMPONENTS: &str = "components.xml";

/// Parses `sources` into one Tera. All at once: Tera finalises (checks and
/// links) every template it holds after each call, so adding them one by
/// one costs the square of their number. Only when that fails are they
/// added one by one, to name the template at fault.
fn parse(sources: &[&Source]) -> Result<tera::Tera, TemplateError> {
    let mut tera = new_tera();
    if tera
        .add_raw_templates(sources.iter().map(|s| (s.name.as_str(), s.text.as_str())))
        .is_ok()
    {
        return Ok(tera);
    }
    let mut one_by_one = new_tera();
    for source in sources {
        one_by_one
            .add_raw_template(&source.name, &source.text)
            .map_err(|e| TemplateError {
                origin: source.origin(),
                message: tera_message(&e),
            })?;
    }
    Ok(one_by_one)
}

/// Templates only `gostdoc extract` renders: a build does not parse them
/// (parsing is an eighth of a one-document process).
const EXTRACT_ONLY: &[&str] = &["extract.xml"];

impl Templates {
    /// Built-in templates, overridden by same-named files in `dir` if given.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        Self::load_where(dir, |_| true)?.parsed_now()
    }

    /// The templates of the document kinds, for `build`, `check` and
    /// `watch`: what [`Templates::load`] gives, without the выписка's.
    /// Built-in ones are parsed when first used; overrides at once.
    pub fn load_for_documents(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let templates = Self::load_where(dir, |name| !EXTRACT_ONLY.contains(&name))?;
        if templates.parsed.sources.iter().any(|s| s.file.is_some()) {
            templates.parsed_now()
        } else {
            Ok(templates)
        }
    }

    /// Every template parsed into one Tera now, its error returned.
    fn parsed_now(self) -> Result<Templates, TemplateError> {
        let all = Arc::new(parse(&self.parsed.sources.iter().collect::<Vec<_>>())?);
        for slot in &self.parsed.compiled {
            let _ = slot.set(Ok(all.clone()));
        }
        Ok(self)
    }

    fn load_where(
        dir: Option<&Path>,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Templates, TemplateError> {
        let mut sources = Vec::new();
        let mut hashes = Vec::new();
        // An override is read only from inside its folder (a link out of
        // it is refused), and only a regular file of a bounded size: a
        // template's text is echoed in code frames.
        let access = Access::new(dir.map(Path::to_path_buf));
        for (name, builtin) in BUILTIN.iter().filter(|(name, _)| wanted(name)) {
            let found = dir
                .map(|d| d.join(name))
                .filter(|p| p.symlink_metadata().is_ok());
            let (text, file) = match found {
                Some(path) => {
                    let fail = |message: String| TemplateError {
                        origin: path.display().to_string(),
                        message,
                    };
                    let bytes = input::read(&path, FileKind::Template, &access)
                        .map_err(|e| fail(format!("{}; {}", e.message, e.hint)))?;
                    let text = String::from_utf8(bytes).map_err(|_| {
                        fail("файл не в кодировке UTF-8: сохраните шаблон в UTF-8".into())
                    })?;
                    (text, Some(path))
                }
                None => (builtin.to_string(), None),
            };
            hashes.push((
                name.to_string(),
                xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
            ));
            sources.push(Source {
                name: name.to_string(),
                text,
                file,
            });
        }
        Ok(Templates {
            parsed: Parsed {
                compiled: sources.iter().map(|_| OnceLock::new()).collect(),
                sources,
            },
            hashes,
            limits: Limits::default(),
            stored_from: pieces::STORED_FROM,
            traced: OnceLock::new(),
        })
    }

    /// The parsed templates that render `name` ([`Parsed::tera_for`]).
    fn tera_for(&self, name: &str) -> Result<Arc<tera::Tera>, TemplateError> {
        self.parsed.tera_for(name)
    }

    /// Where renders run: a render thread as soon as any template is the
    /// user's (the built-in ones import none of the user's, but an
    /// override of the components is imported by them all).
    fn thread(&self) -> Thread {
        if self.parsed.sources.iter().any(|s| s.file.is_some()) {
            Thread::Render
        } else {
            Thread::Calling
        }
    }

    /// The same templates with other bounds on each render (tests use
    /// small ones).
    pub fn with_limits(mut self, limits: Limits) -> Templates {
        self.limits = limits;
        self
    }

    /// The same templates, storing the body rows of a long table of at
    /// least `rows` rows ([`crate::document::StoredRows`]); by default,
    /// of the tables too long for their tree to be worth its memory.
    pub fn storing_rows_from(mut self, rows: usize) -> Templates {
        self.stored_from = rows;
        self
    }

    /// The templates a document kind is rendered with: its own and the
    /// shared components it imports.
    pub fn used_by(kind: &str) -> [String; 2] {
        ["components.xml".to_string(), format!("{kind}.xml")]
    }

    /// XXH3 of a template's source as loaded (built-in or overridden).
    pub fn source_hash(&self, name: &str) -> Option<u128> {
        self.hashes.iter().find(|(n, _)| n == name).map(|(_, h)| *h)
    }

    /// Where a template came from, for messages.
    pub fn origin(&self, name: &str) -> String {
        match self.parsed.sources.iter().find(|s| s.name == name) {
            Some(s) => s.origin(),
            None => format!("встроенный шаблон {name}"),
        }
    }

    /// Files the templates were read from (for fingerprints).
    pub fn override_files(&self) -> impl Iterator<Item = &Path> {
        self.parsed.sources.iter().filter_map(|s| s.file.as_deref())
    }

    /// Renders the template of the view's document kind into markup,
    /// within the [`Limits`].
    pub fn render(&self, view: &View) -> Result<String, TemplateError> {
        let (name, tera) = self.template_of(view.kind)?;
        let context = context_of(view).map_err(|message| self.fail(&name, message))?;
        self.render_context(&name, tera, context, view.people.clone())
    }

    /// [`Templates::render`] of a view the caller is done with: the view
    /// is dropped as soon as the context is made from it, before the
    /// render, and the context as soon as the render ends. A 1000-page
    /// roadmap's context is about 29 MB and its view several more: alive
    /// with the markup being written, they made the peak of the build.
    pub fn render_view(&self, view: View) -> Result<String, TemplateError> {
        let (name, tera) = self.template_of(view.kind)?;
        let people = view.people.clone();
        let context = context_consuming(view).map_err(|message| self.fail(&name, message))?;
        self.render_context(&name, tera, context, people)
    }

    /// The template's name for a document kind, and the Tera that renders it.
    fn template_of(&self, kind: &str) -> Result<(String, Arc<tera::Tera>), TemplateError> {
        let name = format!("{kind}.xml");
        let tera = self.tera_for(&name)?;
        Ok((name, tera))
    }

    fn fail(&self, name: &str, message: String) -> TemplateError {
        TemplateError {
            origin: self.origin(name),
            message,
        }
    }

    /// Renders `name` with `context` within the [`Limits`]; the context is
    /// dropped before the markup is returned.
    fn render_context(
        &self,
        name: &str,
        tera: Arc<tera::Tera>,
        context: tera::Context,
        people: People,
    ) -> Result<String, TemplateError> {
        bounded_render(tera, name, context, people, self.limits, self.thread())
            .map_err(|message| self.fail(name, message))
    }

    /// Where in the templates a position of the markup comes from: the
    /// template and its line (and column, when the text there is the
    /// template's own). `markup` is what [`Templates::render`] returned
    /// for `view`; `line` and `column` are 1-based, column in characters,
    /// as a markup error gives them.
    ///
    /// Renders the view once more with markers before the text of each
    /// template line and maps the position to the marker before it. Only
    /// for errors, so a build pays nothing for it. `None` when the marked
    /// render does not give exactly `markup` once the markers are taken
    /// out (a template that measures its own output, say), so a mapping
    /// returned is never a guess.
    pub fn locate(
        &self,
        view: &View,
        markup: &str,
        line: u32,
        column: u32,
    ) -> Option<TemplateLine> {
        let traced = self
            .traced
            .get_or_init(|| {
                let mut tera = new_tera();
                for (i, s) in self.parsed.sources.iter().enumerate() {
                    tera.add_raw_template(&s.name, &instrument(&s.text, i))
                        .ok()?;
                }
                Some(Arc::new(tera))
            })
            .clone()?;
        let name = format!("{}.xml", view.kind);
        let context = context_of(view).ok()?;
        let marked = bounded_render(
            traced,
            &name,
            context,
            view.people.clone(),
            self.limits,
            self.thread(),
        )
        .ok()?;
        let (clean, marks) = strip_marks(&marked);
        if clean != markup {
            return None;
        }
        let at = offset_of(&clean, line, column)?;
        let mark = marks.iter().rev().find(|m| m.at <= at)?;
        let source = self.parsed.sources.get(mark.template)?;
        let text = &source.text;
        let before = text.get(..mark.offset)?;
        let line_no = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_text = text[line_start..].lines().next().unwrap_or_default();
        // The column is exact when the output from the marker to the
        // position is the template's own text, with no value in between.
        let printed = &clean[mark.at..at];
        let column = text[mark.offset..].starts_with(printed).then(|| {
            (text[line_start..mark.offset].chars().count() + printed.chars().count() + 1) as u32
        });
        Some(TemplateLine {
            origin: source.origin(),
            name: source.name.clone(),
            line: line_no as u32,
            column,
            text: line_text.to_owned(),
        })
    }
}

impl Source {
    fn origin(&self) -> String {
        match &self.file {
            Some(path) => path.display().to_string(),
            None => format!("встроенный шаблон {}", self.name),
        }
    }
}

/// A line of a template that a markup position came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateLine {
    /// Where the template came from: a path, or «встроенный шаблон protocol.xml».
    pub origin: String,
    /// The template's name, `protocol.xml`.
    pub name: String,
    /// 1-based line in the template.
    pub line: u32,
    /// 1-based column in characters, when known exactly.
    pub column: Option<u32>,
    /// The template's text on that line.
    pub text: String,
}

impl TemplateLine {
    /// The line as a code frame, as Tera shows its own errors:
    /// ` --> protocol.xml:57:33`, the line, and a caret under the column.
    pub fn frame(&self) -> String {
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        let text = self.text.replace('\t', " ");
        let mut out = match self.column {
            Some(c) => format!("{pad}--> {}:{}:{c}\n", self.name, self.line),
            None => format!("{pad}--> {}:{}\n", self.name, self.line),
        };
        out.push_str(&format!("{pad} |\n{number} | {text}\n{pad} |"));
        if let Some(c) = self.column {
            out.push_str(&format!(" {}^", " ".repeat(c.saturating_sub(1) as usize)));
        }
        out
    }
}

impl std::fmt::Display for TemplateLine {
    /// «templates/protocol.xml, строка 57, столбец 33».
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, строка {}", self.origin, self.line)?;
        if let Some(c) = self.column {
            write!(f, ", столбец {c}")?;
        }
        Ok(())
    }
}

use context::context_of;

/// [`context_of`] a view it consumes. The rows of its tables, most of a
/// long document's view, are taken out first and converted a slice at a
/// time, each slice freed once converted: the whole view and the whole
/// context are never alive together (a 7000-row roadmap's context is
/// about 32 MB, its view 8 MB). The context is the same as
/// [`context_of`]'s.
fn context_consuming(mut view: View) -> Result<tera::Context, String> {
    let appendices = (view.protocol.iter_mut()).flat_map(|p| p.appendices.iter_mut());
    let appendices = appendices.chain(view.act.iter_mut().flat_map(|a| a.appendices.iter_mut()));
    let mut tables: Vec<Vec<TableRowView>> = Vec::new();
    for appendix in appendices {
        for block in &mut appendix.body {
            if let BlockView::Table(table) = block {
                tables.push(std::mem::take(&mut table.rows));
            }
        }
    }
    let mut context = context_of(&view)?;
    drop(view);
    if tables.iter().any(|rows| !rows.is_empty()) {
        // Put back in the order taken: the protocol's appendices, then the act's.
        let mut tables = tables.into_iter();
        for family in ["protocol", "act"] {
            let Some(doc) = context.remove(family) else {
                continue;
            };
            let doc = with_map(doc, |doc| {
                with_key(doc, "appendices", |appendices| {
                    with_array(appendices, |appendix| {
                        with_map(appendix, |appendix| {
                            with_key(appendix, "body", |body| {
                                with_array(body, |block| put_rows(block, &mut tables))
                            })
                        })
                    })
                })
            })?;
            context.insert_value(family, doc);
        }
    }
    Ok(context)
}

/// Rows converted together: the cells they repeat are shared.
const ROWS_AT_A_TIME: usize = 256;

/// A block of the context with its table's rows put back, converted a
/// slice at a time; any other block as it is.
fn put_rows(
    block: tera::Value,
    tables: &mut impl Iterator<Item = Vec<TableRowView>>,
) -> Result<tera::Value, String> {
    let kind = block
        .as_map()
        .and_then(|b| b.get(&tera::value::Key::from("kind")))
        .and_then(tera::Value::as_str);
    if kind != Some("table") {
        return Ok(block);
    }
    let rows = tables.next().unwrap_or_default();
    with_map(block, |table| {
        let mut converted = Vec::with_capacity(rows.len());
        let mut rows = rows.into_iter();
        loop {
            let slice: Vec<TableRowView> = rows.by_ref().take(ROWS_AT_A_TIME).collect();
            if slice.is_empty() {
                break;
            }
            context::rows_into(&slice, &mut converted)?;
        }
        table.insert(tera::value::Key::from("rows"), tera::Value::from(converted));
        Ok(())
    })
}

/// `value` changed by `change`, when a map; as it is otherwise.
fn with_map(
    value: tera::Value,
    change: impl FnOnce(&mut tera::Map) -> Result<(), String>,
) -> Result<tera::Value, String> {
    if !value.is_map() {
        return Ok(value);
    }
    let mut map = value.into_map().unwrap_or_default();
    change(&mut map)?;
    Ok(tera::Value::from(map))
}

/// `value` with each item changed by `change`, when an array; as it is
/// otherwise.
fn with_array(
    value: tera::Value,
    change: impl FnMut(tera::Value) -> Result<tera::Value, String>,
) -> Result<tera::Value, String> {
    let Some(items) = value.as_array().map(<[tera::Value]>::to_vec) else {
        return Ok(value);
    };
    // Dropped first, so that each item is held once and changed in place.
    drop(value);
    let items = items
        .into_iter()
        .map(change)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(tera::Value::from(items))
}

/// The value at `key` of `map` changed by `change`, when there is one.
fn with_key(
    map: &mut tera::Map,
    key: &'static str,
    change: impl FnOnce(tera::Value) -> Result<tera::Value, String>,
) -> Result<(), String> {
    let key = tera::value::Key::from(key);
    if let Some(value) = map.remove(&key) {
        map.insert(key, change(value)?);
    }
    Ok(())
}

/// Tera's message with its whole cause chain (Tera 2 puts the code frame
/// with file, line and column in the chain).
fn tera_message(e: &tera::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str("\n  ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

// ---------------------------------------------------------------------------
// Bounds.

/// The clock and the stop flag of the render running on this thread.
#[derive(Clone)]
struct Budget {
    deadline: Instant,
    limit: Duration,
    cancelled: Arc<AtomicBool>,
}

impl Budget {
    fn exhausted(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed) || Instant::now() > self.deadline
    }
}

thread_local! {
    static BUDGET: std::cell::RefCell<Option<Budget>> = const { std::cell::RefCell::new(None) };
    /// The people of the view being rendered on this thread.
    static PEOPLE: std::cell::RefCell<Option<People>> = const { std::cell::RefCell::new(None) };
}

/// The person a handle of the view being rendered names, for the `name`
/// and `position` filters; `None` for an unknown handle, or outside a
/// render of [`Templates`].
pub(crate) fn with_person<R>(id: u64, f: impl FnOnce(&PersonEntry) -> R) -> Option<R> {
    PEOPLE.with(|p| p.borrow().as_ref().and_then(|people| people.get(id)).map(f))
}

fn time_message(limit: Duration) -> String {
    // «10 с», «0,3 с»: a decimal comma, as Russian writes it.
    let seconds = format!("{}", limit.as_secs_f32()).replace('.', ",");
    format!(
        "шаблон выполняется дольше {seconds} с и остановлен: вероятно, в нём слишком большой \
         или бесконечный цикл; проверьте вложенные {{% for %}} и range(end=…)"
    )
}

/// Fails once the render on this thread is out of time. Filters and
/// functions call it, so that a loop calling them stops in time, with the
/// template's line. Outside a bounded render it never fails.
pub(crate) fn check_budget() -> tera::TeraResult<()> {
    BUDGET.with(|b| match &*b.borrow() {
        Some(budget) if budget.exhausted() => Err(tera::Error::message(time_message(budget.limit))),
        _ => Ok(()),
    })
}

/// Why a bounded writer refused to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tripped {
    Size,
    Time,
}

/// The markup being written, refused past the size limit or the clock.
struct BoundedWriter {
    buf: Vec<u8>,
    limit: usize,
    budget: Budget,
    /// Bytes written since the clock was last read: reading it on every
    /// write would cost more than the writing.
    unchecked: usize,
    tripped: Option<Tripped>,
}

impl BoundedWriter {
    /// Takes all of `data` or refuses it. Tera writes markup in thousands
    /// of small pieces: `write_all` calls this once per piece, where the
    /// default `write_all` loop around `write` cost 6 % of a `check`.
    #[inline]
    fn take(&mut self, data: &[u8]) -> std::io::Result<()> {
        if self.buf.len().saturating_add(data.len()) > self.limit {
            self.tripped = Some(Tripped::Size);
            return Err(std::io::Error::other("template output limit"));
        }
        self.unchecked += data.len() + 64;
        if self.unchecked > 64 << 10 {
            self.unchecked = 0;
            if self.budget.exhausted() {
                self.tripped = Some(Tripped::Time);
                return Err(std::io::Error::other("template time limit"));
            }
        }
        // Tera escapes a value one byte at a time: a byte pushed, not
        // copied by a call to memcpy.
        match data {
            [byte] => self.buf.push(*byte),
            _ => self.buf.extend_from_slice(data),
        }
        Ok(())
    }
}

impl Write for BoundedWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.take(data).map(|()| data.len())
    }

    #[inline]
    fn write_all(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.take(data)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a render thread sends back: Tera's result, the bytes written, and
/// whether the writer refused to go on.
type Outcome = (tera::TeraResult<()>, Vec<u8>, Option<Tripped>);

/// One render for a render thread.
struct Job {
    tera: Arc<tera::Tera>,
    name: String,
    context: tera::Context,
    people: People,
    output_bytes: usize,
    budget: Budget,
    reply: std::sync::mpsc::Sender<Outcome>,
}

impl Job {
    fn run(self) {
        let outcome = render_here(
            &self.tera,
            &self.name,
            &self.context,
            self.people,
            self.output_bytes,
            self.budget,
        );
        // The caller may have given up waiting: nothing to do then.
        let _ = self.reply.send(outcome);
    }
}

/// Renders `name` on this thread, within the size limit and checking the
/// clock as it writes (the time limit holds for everything but a loop
/// that checks no clock: only a render thread can be left behind).
fn render_here(
    tera: &tera::Tera,
    name: &str,
    context: &tera::Context,
    people: People,
    output_bytes: usize,
    budget: Budget,
) -> Outcome {
    BUDGET.with(|b| *b.borrow_mut() = Some(budget.clone()));
    PEOPLE.with(|p| *p.borrow_mut() = Some(people));
    let mut out = BoundedWriter {
        buf: Vec::with_capacity(16 << 10),
        limit: output_bytes,
        budget,
        unchecked: 0,
        tripped: None,
    };
    let result = tera.render_to(name, context, &mut out);
    BUDGET.with(|b| *b.borrow_mut() = None);
    PEOPLE.with(|p| *p.borrow_mut() = None);
    (result, out.buf, out.tripped)
}

thread_local! {
    /// The render thread that serves this thread. Kept from one render to
    /// the next: a new thread for each would cost more than the render
    /// (a fresh stack and allocator arena, cold caches). It ends when this
    /// thread ends and drops the sender.
    static WORKER: std::cell::RefCell<Option<std::sync::mpsc::Sender<Job>>> =
        const { std::cell::RefCell::new(None) };
}

/// Hands a job to this thread's render thread, starting one if there is
/// none or the last one is gone (stuck in a loop, or dead of a panic).
fn dispatch(job: Job) -> std::io::Result<()> {
    let mut job = job;
    for _ in 0..2 {
        let sender = WORKER.with(|w| w.borrow().clone());
        let sender = match sender {
            Some(s) => s,
            None => {
                let (send, receive) = std::sync::mpsc::channel::<Job>();
                std::thread::Builder::new()
                    .name("gostdoc: шаблоны".into())
                    .spawn(move || receive.into_iter().for_each(Job::run))?;
                WORKER.with(|w| *w.borrow_mut() = Some(send.clone()));
                send
            }
        };
        match sender.send(job) {
            Ok(()) => return Ok(()),
            Err(std::sync::mpsc::SendError(back)) => {
                forget_worker();
                job = back;
            }
        }
    }
    Err(std::io::Error::other("поток шаблонов не принимает работу"))
}

/// Lets the render thread go: the next render starts a new one.
fn forget_worker() {
    WORKER.with(|w| *w.borrow_mut() = None);
}

/// Where a render runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Thread {
    /// On the calling thread: the built-in templates, whose loops all
    /// end (a render thread would cost a thread start, its stack and a
    /// fresh allocator arena in every one-document process).
    Calling,
    /// On a render thread, abandoned if it outruns the time limit: a
    /// user's template may loop without end.
    Render,
}

/// Renders `name` within `limits`, on the calling thread or a render
/// thread; the error is a Russian message (with Tera's code frame when
/// Tera has one).
fn bounded_render(
    tera: Arc<tera::Tera>,
    name: &str,
    context: tera::Context,
    people: People,
    limits: Limits,
    thread: Thread,
) -> Result<String, String> {
    let budget = Budget {
        deadline: Instant::now() + limits.time,
        limit: limits.time,
        cancelled: Arc::new(AtomicBool::new(false)),
    };
    let outcome = match thread {
        Thread::Calling => {
            let outcome = render_here(
                &tera,
                name,
                &context,
                people,
                limits.output_bytes,
                budget.clone(),
            );
            // Freed before the markup is checked and handed on.
            drop(context);
            Ok(outcome)
        }
        Thread::Render => {
            let (reply, receive) = std::sync::mpsc::channel();
            dispatch(Job {
                tera,
                name: name.to_owned(),
                context,
                people,
                output_bytes: limits.output_bytes,
                budget: budget.clone(),
                reply,
            })
            .map_err(|e| format!("не удалось запустить шаблон: {e}"))?;
            receive.recv_timeout(limits.time + GRACE)
        }
    };
    match outcome {
        Ok((_, _, Some(Tripped::Size))) => Err(format!(
            "вывод превысил {} МБ и остановлен: шаблон, вероятно, повторяет текст в цикле \
             без конца; проверьте циклы {{% for %}} и range(end=…)",
            limits.output_bytes >> 20
        )),
        Ok((_, _, Some(Tripped::Time))) => Err(time_message(limits.time)),
        Ok((Err(e), _, None)) => Err(tera_message(&e)),
        Ok((Ok(()), buf, None)) => crate::model::text::string_from_utf8(buf)
            .map_err(|_| "шаблон вывел текст не в UTF-8".to_owned()),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            // A loop that checks no clock: stop it at its next check, if
            // any, and leave it; the next render gets a new thread.
            budget.cancelled.store(true, Ordering::Relaxed);
            forget_worker();
            Err(time_message(limits.time))
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            forget_worker();
            Err(
                "внутренняя ошибка gostdoc при выполнении шаблона (сообщение о ней выше); \
                 сообщите о ней разработчикам вместе с шаблоном"
                    .to_owned(),
            )
        }
    }
}

/// Longest list `range` makes, as Tera's own.
const MAX_RANGE_LEN: i128 = 100_000;

/// Tera's `range(start=0, end, step_by=1)`, which also checks the clock:
/// nested loops over `range` stop in time even when they print nothing.
fn range(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<Vec<i128>> {
    check_budget()?;
    let int = |key: &str| -> tera::TeraResult<Option<i128>> {
        match kwargs.get::<&tera::Value>(key)? {
            None => Ok(None),
            Some(v) => v.as_i128().map(Some).ok_or_else(|| {
                tera::Error::message(format!(
                    "параметр {key} функции range должен быть целым числом, а получено: {v}"
                ))
            }),
        }
    };
    let start = int("start")?.unwrap_or(0);
    let end =
        int("end")?.ok_or_else(|| tera::Error::message("функции range нужен параметр end=…"))?;
    let step = int("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "шаг step_by функции range не может быть 0",
        ));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message(
            "у функции range начало start больше конца end",
        ));
    }
    let span = if step > 0 {
        end.checked_sub(start)
    } else {
        start.checked_sub(end)
    };
    let too_big = || {
        tera::Error::message(format!(
            "функция range дала бы больше {MAX_RANGE_LEN} чисел"
        ))
    };
    let span = span.ok_or_else(too_big)?.max(0);
    let step_abs = step.checked_abs().ok_or_else(too_big)?;
    let len = span / step_abs + i128::from(span % step_abs != 0);
    if len > MAX_RANGE_LEN {
        return Err(too_big());
    }
    Ok((0..len).map(|i| start + i * step).collect())
}

// ---------------------------------------------------------------------------
// Markers, for `locate`.

/// A marker: `MARK`, the template's index in hex digits, `MARK_SEP`, the
/// byte offset in its source in hex digits, `MARK_END`. Private-use
/// characters: not whitespace, so Tera's `{%-` trimming treats a marked
/// template as the plain one, and no document text holds them in this
/// order (if one did, `locate` would see its output differ and give up).
const MARK: char = '\u{E000}';
const MARK_SEP: char = '\u{E001}';
const MARK_END: char = '\u{E002}';
/// Hex digit 0; digits run to `HEX0 + 15`.
const HEX0: u32 = 0xE010;

fn push_hex(out: &mut String, mut n: usize) {
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_u32(HEX0 + (n % 16) as u32).unwrap_or(MARK_END));
        n /= 16;
        if n == 0 {
            break;
        }
    }
    out.extend(digits.into_iter().rev());
}

fn read_hex(chars: &mut std::str::Chars<'_>, end: char) -> Option<usize> {
    let mut n: usize = 0;
    let mut any = false;
    loop {
        let c = chars.next()?;
        if c == end && any {
            return Some(n);
        }
        let digit = (c as u32).checked_sub(HEX0).filter(|d| *d < 16)?;
        n = n.checked_mul(16)?.checked_add(digit as usize)?;
        any = true;
    }
}

/// The template with a marker before the first visible character of every
/// line of its literal text (and of every literal run after a tag). Tags,
/// comments and raw blocks are copied as they are: a marker there would
/// change the program.
fn instrument(source: &str, template: usize) -> String {
    let mut out = String::with_capacity(source.len() * 2);
    let mut i = 0;
    let mut fresh = true;
    while i < source.len() {
        let rest = &source[i..];
        let tag_end = if rest.starts_with("{{") {
            Some("}}")
        } else if rest.starts_with("{%") {
            Some("%}")
        } else if rest.starts_with("{#") {
            Some("#}")
        } else {
            None
        };
        if let Some(end) = tag_end {
            let len = if end == "%}" {
                raw_block_len(rest).unwrap_or_else(|| tag_len(rest, end))
            } else if end == "#}" {
                rest.find(end).map_or(rest.len(), |p| p + 2)
            } else {
                tag_len(rest, end)
            };
            out.push_str(&rest[..len]);
            i += len;
            fresh = true;
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        if c == '\n' {
            fresh = true;
        } else if !c.is_whitespace() && fresh {
            out.push(MARK);
            push_hex(&mut out, template);
            out.push(MARK_SEP);
            push_hex(&mut out, i);
            out.push(MARK_END);
            fresh = false;
        }
        out.push(c);
        i += c.len_utf8().max(1);
    }
    out
}

/// Length of a `{{ … }}` or `{% … %}` tag at the start of `rest`, strings
/// inside it skipped the way Tera's lexer skips them.
fn tag_len(rest: &str, end: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 2;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ if rest[i..].starts_with(end) => return i + 2,
            _ => i += 1,
        }
    }
    rest.len()
}

/// Length of a whole `{% raw %}…{% endraw %}` block at the start of `rest`.
fn raw_block_len(rest: &str) -> Option<usize> {
    let open = tag_len(rest, "%}");
    let words = |tag: &str| -> String {
        tag.trim_start_matches("{%")
            .trim_end_matches("%}")
            .trim_matches(|c: char| c == '-' || c.is_whitespace())
            .to_owned()
    };
    if words(&rest[..open]) != "raw" {
        return None;
    }
    let mut at = open;
    while let Some(p) = rest[at..].find("{%") {
        let start = at + p;
        let len = tag_len(&rest[start..], "%}");
        if words(&rest[start..start + len]) == "endraw" {
            return Some(start + len);
        }
        at = start + 2;
    }
    None
}

/// A marker found in rendered output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    /// Byte offset in the output without markers.
    at: usize,
    /// Index of the template in [`Parsed::sources`].
    template: usize,
    /// Byte offset in that template's source.
    offset: usize,
}

/// The output without its markers, and where each marker was.
fn strip_marks(marked: &str) -> (String, Vec<Mark>) {
    let mut clean = String::with_capacity(marked.len());
    let mut marks = Vec::new();
    let mut chars = marked.chars();
    while let Some(c) = chars.next() {
        if c == MARK {
            let mut ahead = chars.clone();
            if let Some(template) = read_hex(&mut ahead, MARK_SEP)
                && let Some(offset) = read_hex(&mut ahead, MARK_END)
            {
                marks.push(Mark {
                    at: clean.len(),
                    template,
                    offset,
                });
                chars = ahead;
                continue;
            }
        }
        clean.push(c);
    }
    (clean, marks)
}

/// Byte offset of a 1-based line and character column in `text`; a column
/// past the end of its line is the line's end.
fn offset_of(text: &str, line: u32, column: u32) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line.max(1) {
        start += text[start..].find('\n')? + 1;
    }
    let line_text = text[start..].split('\n').next().unwrap_or_default();
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line_text.len(), |(i, _)| i);
    Some(start + within)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The context made by consuming a view, its tables' rows converted
    /// a row at a time, renders the same markup as the one serialized
    /// whole, for every starter (the plan's has a table with section rows
    /// and a cell spanning rows).
    #[test]
    fn a_consumed_view_renders_as_the_whole_one() {
        let templates = Templates::load_for_documents(None).unwrap();
        let access = Access::new(None);
        for (name, text) in [
            ("plan.toml", include_str!("starters/plan.toml")),
            ("protocol.toml", include_str!("starters/protocol.toml")),
            ("prikaz.toml", include_str!("starters/prikaz.toml")),
            ("resolution.toml", include_str!("starters/resolution.toml")),
        ] {
            let model = crate::model::load_text(Path::new(name), text, &access).unwrap();
            let whole = templates.render(&crate::view::build(&model)).unwrap();
            let consumed = templates.render_view(crate::view::build(&model)).unwrap();
            assert_eq!(whole, consumed, "{name}");
            if name == "plan.toml" {
                assert!(whole.contains("<row"), "the plan's table is rendered");
            }
        }
    }

    /// A kind is a row of the kind table, a template and a starter: this
    /// says which line to add when the template is forgotten here.
    #[test]
    fn every_kind_has_its_built_in_template() {
        let mut want = vec!["components.xml".to_owned()];
        want.extend(
            crate::model::kind::KINDS
                .iter()
                .map(|k| format!("{}.xml", k.key)),
        );
        // The выписка is rendered from a protocol, not a kind of its own.
        want.push("extract.xml".to_owned());
        let have: Vec<String> = BUILTIN.iter().map(|(n, _)| (*n).to_owned()).collect();
        assert_eq!(have, want, "add (\"KEY.xml\", include_str!(…)) to BUILTIN");
    }

    /// A build parses only the templates of the kinds it renders, and each
    /// kind's template parses with the components alone (no kind uses
    /// another kind's template).
    #[test]
    fn built_in_templates_are_parsed_only_for_the_kinds_rendered() {
        let templates = Templates::load_for_documents(None).unwrap();
        assert!(
            templates
                .parsed
                .compiled
                .iter()
                .all(|slot| slot.get().is_none())
        );
        templates.tera_for("protocol.xml").unwrap();
        let parsed: Vec<&str> = templates
            .parsed
            .sources
            .iter()
            .zip(&templates.parsed.compiled)
            .filter(|(_, slot)| slot.get().is_some())
            .map(|(s, _)| s.name.as_str())
            .collect();
        assert_eq!(parsed, ["protocol.xml"]);
        for source in &templates.parsed.sources {
            let tera = templates.tera_for(&source.name).unwrap();
            assert!(
                tera.get_template_names().any(|n| n == source.name),
                "{}",
                source.name
            );
        }
    }

    /// Each kind's template parses with only the components it calls
    /// (no fallback to the whole file), whose lines stay where they were;
    /// the protocol does without the act's component.
    #[test]
    fn each_kind_parses_with_only_the_components_it_calls() {
        let components = BUILTIN[0].1;
        for (name, text) in &BUILTIN[1..] {
            let pruned = components_called(components, text);
            assert_eq!(pruned.lines().count(), components.lines().count(), "{name}");
            let mut tera = new_tera();
            tera.add_raw_templates([(COMPONENTS, pruned.as_str()), (*name, *text)])
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            if *name == "protocol.xml" {
                assert!(pruned.len() < components.len());
                assert!(!pruned.contains("component act("));
                assert!(pruned.contains("component votes("));
            }
        }
        // A text this search does not understand is kept whole.
        let odd = "{%- component broken(x) -%}no end";
        assert_eq!(components_called(odd, ""), odd);
    }

    fn tera_with(name: &str, source: &str) -> Arc<tera::Tera> {
        let mut tera = new_tera();
        tera.add_raw_template(name, source).unwrap();
        Arc::new(tera)
    }

    fn small(bytes: usize, millis: u64) -> Limits {
        Limits {
            output_bytes: bytes,
            time: Duration::from_millis(millis),
        }
    }

    #[test]
    fn output_past_the_limit_is_an_error_not_an_abort() {
        let tera = tera_with(
            "t.xml",
            "{% for a in range(end=100000) %}{% for b in range(end=100000) %}<p>строка</p>\n{% endfor %}{% endfor %}",
        );
        // The same bound wherever the render runs.
        for thread in [Thread::Calling, Thread::Render] {
            let start = Instant::now();
            let err = bounded_render(
                tera.clone(),
                "t.xml",
                tera::Context::new(),
                People::default(),
                small(1 << 20, 60_000),
                thread,
            )
            .unwrap_err();
            assert!(err.starts_with("вывод превысил 1 МБ и остановлен"), "{err}");
            assert!(start.elapsed() < Duration::from_secs(5));
        }
    }

    #[test]
    fn a_silent_loop_over_range_stops_at_the_time_limit_with_its_line() {
        let tera = tera_with(
            "t.xml",
            "<p>\n{%- for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor -%}\n</p>",
        );
        let start = Instant::now();
        let err = bounded_render(
            tera,
            "t.xml",
            tera::Context::new(),
            People::default(),
            small(1 << 20, 300),
            Thread::Render,
        )
        .unwrap_err();
        assert!(
            err.contains("шаблон выполняется дольше 0,3 с и остановлен"),
            "{err}"
        );
        // Tera's frame: the template and the line of the call.
        assert!(err.contains("t.xml:2:"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn a_loop_that_checks_no_clock_is_abandoned_after_the_grace() {
        // One `range` call, stored: the loops call nothing and print
        // nothing, so no check runs inside them.
        let tera = tera_with(
            "t.xml",
            "{% set r = range(end=100000) %}{% for a in r %}{% for b in r %}{% for c in r %}{% endfor %}{% endfor %}{% endfor %}",
        );
        let start = Instant::now();
        let err = bounded_render(
            tera,
            "t.xml",
            tera::Context::new(),
            People::default(),
            small(1 << 20, 200),
            Thread::Render,
        )
        .unwrap_err();
        assert!(err.contains("дольше 0,2 с"), "{err}");
        let took = start.elapsed();
        assert!(
            took < Duration::from_millis(200) + GRACE + Duration::from_secs(1),
            "{took:?}"
        );
        // The stuck thread is left; the next render gets a new one.
        let tera = tera_with("t.xml", "{{ 1 + 1 }}");
        assert_eq!(
            bounded_render(
                tera,
                "t.xml",
                tera::Context::new(),
                People::default(),
                small(1 << 20, 200),
                Thread::Render,
            ),
            Ok("2".to_owned())
        );
    }

    #[test]
    fn escaping_is_teras_byte_for_byte() {
        for text in [
            "",
            "обычный текст",
            "<b>&amp;\"кавычки\" 'и' > всё</b>",
            "&",
            "a<",
            ">b",
            "длинный текст без особых знаков, длиннее тридцати двух байт",
            "длинный <текст> & \"кавычки\" и 'апострофы' && << >> '' \"\" в конце&",
            "&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&'\"",
        ] {
            let mut ours = Vec::new();
            let mut teras = Vec::new();
            escape_xml(text, &mut ours).unwrap();
            tera::escape_html(text, &mut teras).unwrap();
            assert_eq!(ours, teras, "{text}");
        }
    }

    #[test]
    fn range_behaves_as_teras_and_refuses_in_russian() {
        let tera = tera_with(
            "t.xml",
            "{{ range(end=5) | join(sep=',') }} {{ range(start=5, end=0, step_by=-2) | join(sep=',') }} {{ range(start=1, end=10, step_by=3) | join(sep=',') }}",
        );
        assert_eq!(
            bounded_render(
                tera,
                "t.xml",
                tera::Context::new(),
                People::default(),
                Limits::default(),
                Thread::Calling,
            )
            .unwrap(),
            "0,1,2,3,4 5,3,1 1,4,7"
        );
        for (call, want) in [
            ("range(end=1000000)", "больше 100000 чисел"),
            ("range(end=5, step_by=0)", "не может быть 0"),
            ("range(start=5, end=0)", "начало start больше конца end"),
            ("range(end=\"x\")", "должен быть целым числом"),
            ("range()", "нужен параметр end"),
        ] {
            let tera = tera_with("t.xml", &format!("{{{{ {call} }}}}"));
            let err = bounded_render(
                tera,
                "t.xml",
                tera::Context::new(),
                People::default(),
                Limits::default(),
                Thread::Calling,
            )
            .unwrap_err();
            assert!(err.contains(want), "{call}: {err}");
        }
    }

    #[test]
    fn markers_leave_the_output_as_it_was() {
        let source = "{#- c -#}\n{%- for x in xs %}\n  <p>{{ x }}</p>\n{%- endfor %}\n{% raw %}{{ \"}}\" }}{% endraw %}\n{{ \"%}\" ~ '}}' }} text {{- \" a \" -}} more\n";
        let marked = instrument(source, 3);
        assert_ne!(marked, source);
        let mut context = tera::Context::new();
        context.insert("xs", &["a", "b"]);
        let plain = tera_with("t.xml", source);
        let traced = tera_with("t.xml", &marked);
        let want = plain.render("t.xml", &context).unwrap();
        let got = traced.render("t.xml", &context).unwrap();
        let (clean, marks) = strip_marks(&got);
        assert_eq!(clean, want);
        assert!(marks.iter().all(|m| m.template == 3));
        // «<p>» of line 3 is marked with its offset in the source.
        let p = clean.find("<p>").unwrap();
        let mark = marks.iter().rev().find(|m| m.at <= p).unwrap();
        assert_eq!(&source[mark.offset..mark.offset + 3], "<p>");
    }
}
