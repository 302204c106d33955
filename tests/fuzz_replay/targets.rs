//! The bodies of the fuzz targets, shared by the libFuzzer targets in
//! `fuzz/fuzz_targets/*.rs` (nightly, `cargo fuzz run`) and by the bounded
//! stable run in CI, `tests/fuzz_replay.rs`: both include this file, so
//! what CI replays is exactly what the fuzzer ran.
//!
//! Each target takes arbitrary bytes. It may fail (a Russian diagnostic is
//! the right answer to a broken file), but it must not panic, hang or
//! exhaust memory. Errors are formatted to text, because printing a
//! diagnostic (its code frame, its line and column) is code a bad input
//! reaches too.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use gostdoc::build::{self, Format};
use gostdoc::pdf::PdfOptions;
use gostdoc::template::{Limits, Templates};

/// A target: its name (the folder of its corpus in `fuzz/corpus/`), its
/// body and the dictionary (`fuzz/dict/*.dict`) of tokens its inputs are
/// made of. `fuzz/run.sh` reads the dictionary's name from here.
pub struct Target {
    /// Name of the cargo-fuzz target and of its corpus folder.
    pub name: &'static str,
    /// The body: must return for every input, without panicking; true
    /// when the input went all the way through (not rejected with a
    /// diagnostic), so the replay can tell that the corpus still reaches
    /// the deep stages.
    pub run: fn(&[u8]) -> bool,
    /// The dictionary for libFuzzer's `-dict=` and the replay's mutator.
    pub dict: &'static str,
}

/// Every target, in the order the replay runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "toml_load",
        run: toml_load,
        dict: "toml.dict",
    },
    Target {
        name: "markup",
        run: markup,
        dict: "markup.dict",
    },
    Target {
        name: "typography",
        run: typography,
        dict: "typography.dict",
    },
    Target {
        name: "render",
        run: render,
        dict: "toml.dict",
    },
    Target {
        name: "render_template",
        run: render_template,
        dict: "template.dict",
    },
];

/// In a `toml_load` or `render` input, the line that starts the profile:
/// what precedes it is the document, what follows it is written as
/// `profiles/profile.toml` next to the document (a document includes it
/// with `profile = "profiles/profile.toml"`). A TOML comment, so a whole
/// input still reads as one TOML file when it is opened by hand.
pub const PROFILE_SEPARATOR: &str = "\n#%profile\n";

/// In a `render_template` input, the line after which the text is
/// `components.xml`; before it, `protocol.xml`. A Tera comment.
pub const COMPONENTS_SEPARATOR: &str = "\n{#%components#}\n";

/// A 1×1 PNG: the picture a template may name (`<image src="герб.png"/>`).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f,
    0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A file that claims to be a PNG and is not: `<image src="битый.png"/>`.
pub const CORRUPT_PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\xff\xff\xff\xff";

/// The protocol `render_template` renders with the fuzzed template, and
/// its profile: a real document, so every field of the view is filled.
const PROTOCOL: &str = include_str!("../../data/000_elnya_rabochee_soveshchanie.toml");
const PROTOCOL_PROFILE: &str = include_str!("../../data/profiles/elnya.toml");

fn templates() -> &'static Templates {
    static BUILTIN: OnceLock<Templates> = OnceLock::new();
    BUILTIN.get_or_init(|| Templates::load(None).expect("the built-in templates load"))
}

fn pdf_options() -> &'static PdfOptions {
    static OPTIONS: OnceLock<PdfOptions> = OnceLock::new();
    OPTIONS.get_or_init(PdfOptions::default)
}

/// A user's folder in a temporary directory: `data/документ.toml` with its
/// profile and pictures, as a document is built from in real life (the
/// library reads documents from files only). Removed when dropped.
struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    fn new() -> Folder {
        let dir = tempfile::Builder::new()
            .prefix("gostdoc-fuzz-")
            .tempdir()
            .expect("a temporary folder");
        let folder = Folder { dir };
        folder.write("data/герб.png", PNG);
        folder.write("data/битый.png", CORRUPT_PNG);
        folder
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().expect("a file in a folder"))
            .expect("a temporary folder");
        std::fs::write(path, bytes).expect("a temporary file");
    }

    /// Writes the document of an input (and its profile, after
    /// [`PROFILE_SEPARATOR`]); returns the document's path.
    fn document(&self, data: &[u8]) -> PathBuf {
        let (document, profile) = split(data, PROFILE_SEPARATOR.as_bytes());
        self.write("data/документ.toml", document);
        if let Some(profile) = profile {
            self.write("data/profiles/profile.toml", profile);
        }
        self.path("data/документ.toml")
    }
}

/// `data` before and after the first `separator`.
fn split<'a>(data: &'a [u8], separator: &[u8]) -> (&'a [u8], Option<&'a [u8]>) {
    match data.windows(separator.len()).position(|w| w == separator) {
        Some(at) => (&data[..at], Some(&data[at + separator.len()..])),
        None => (data, None),
    }
}

/// The markup's file reader: a picture, a broken picture or a missing
/// file, by name, as the build's reader would return them.
fn read_picture(name: &str) -> io::Result<Vec<u8>> {
    if name.contains("нет") || name.contains("missing") {
        Err(io::Error::new(io::ErrorKind::NotFound, "No such file"))
    } else if name.contains("бит") || name.contains("bad") {
        Ok(CORRUPT_PNG.to_vec())
    } else {
        Ok(PNG.to_vec())
    }
}

/// Bytes → a document file (and a profile) → `model::load`: the TOML
/// parser, the validator and the lint; a valid model goes on to the view
/// the templates see.
pub fn toml_load(data: &[u8]) -> bool {
    let folder = Folder::new();
    let path = folder.document(data);
    match gostdoc::model::load(&path) {
        Ok(model) => {
            for warning in &model.warnings {
                let _ = warning.to_string();
            }
            let _ = gostdoc::view::build(&model);
            true
        }
        Err(diagnostics) => {
            let _ = diagnostics.to_string();
            false
        }
    }
}

/// Bytes → `markup::parse` (pictures from [`read_picture`]) → the
/// document laid out in DOCX and PDF: the markup is what templates write,
/// so every attribute a template can get wrong reaches the layout.
pub fn markup(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    match gostdoc::markup::parse(&text, &read_picture) {
        Ok(document) => {
            let _ = document.plain_text();
            let docx = gostdoc::docx::render(&document).map_err(|e| e.to_string());
            let pdf = gostdoc::pdf::render(&document, pdf_options()).map_err(|e| e.to_string());
            docx.is_ok() && pdf.is_ok()
        }
        Err(e) => {
            let _ = e.to_string();
            false
        }
    }
}

/// Bytes → the Russian language functions: the first byte picks the case,
/// the gender and the date form; the rest is the text (and, read as
/// numbers, the number and the date).
pub fn typography(data: &[u8]) -> bool {
    use gostdoc::model::date::{self, Deadline};
    use gostdoc::model::person::{Gender, PersonName};
    use gostdoc::russian::dates::{self as dates_ru, DateForm};
    use gostdoc::russian::numbers::{self, NumberGender};
    use gostdoc::russian::{Case, names, positions, typography};

    let (selector, rest) = data.split_first().map_or((0, data), |(s, r)| (*s, r));
    let text = String::from_utf8_lossy(rest);
    let case = Case::ALL[usize::from(selector) % Case::ALL.len()];
    let gender = [Gender::Male, Gender::Female, Gender::Unknown][usize::from(selector >> 3) % 3];
    let number_gender = [
        NumberGender::Masculine,
        NumberGender::Feminine,
        NumberGender::Neuter,
    ][usize::from(selector >> 5) % 3];
    let form = [
        DateForm::Numeric,
        DateForm::Words,
        DateForm::WordsYear,
        DateForm::Quoted,
        DateForm::Month,
        DateForm::InMonth,
        DateForm::Quarter,
        DateForm::Year,
    ][usize::from(selector) % 8];

    // The typographic pass, as the view runs it on user text.
    let _ = typography::apply(&text);
    let _ = typography::quotes(&text);
    let _ = gostdoc::model::text::parse_blocks(&text);

    // Names and positions, as the view declines them.
    let _ = positions::decline(&text, case);
    let _ = names::surname(&text, gender, case);
    let _ = names::first_name(&text, gender, case);
    let _ = names::patronymic(&text, gender, case);
    if let Ok(name) = PersonName::parse(&text) {
        let _ = names::gender_of(&name);
        let declined = names::decline(&name, gender, case);
        let _ = (
            declined.full(),
            declined.surname_first(),
            declined.initials_first(),
        );
    }

    // Words the filters take as arguments.
    let _ = Case::parse(&text);
    let _ = DateForm::parse(&text);
    let _ = NumberGender::parse(&text);

    // Numbers: the text as a number, and the first eight bytes as one.
    let mut raw = [0u8; 8];
    let head = &rest[..rest.len().min(8)];
    raw[..head.len()].copy_from_slice(head);
    let from_bytes = i64::from_le_bytes(raw);
    for n in [text.trim().parse::<i64>().unwrap_or(0), from_bytes] {
        let _ = numbers::words(n, case, number_gender);
        let _ = numbers::plural(n, ["участник", "участника", "участников"]);
        let _ = dates_ru::roman(n as u32);
        let _ = dates_ru::school_year(n as i32);
        let _ = dates_ru::years(n as i32, (n >> 32) as i32);
    }

    // Dates and deadlines as a secretary writes them, and any date the
    // calendar has, in every form.
    if let Ok(Some((d, style))) = date::parse(&text) {
        let _ = date::format(d, style, selector & 1 == 1);
        let _ = dates_ru::format(d, form);
    }
    if let Ok(deadline) = Deadline::parse(&text) {
        let _ = deadline.display();
        let _ = deadline.is_dated();
    }
    if let Some(d) = chrono::NaiveDate::from_num_days_from_ce_opt(from_bytes as i32) {
        let _ = dates_ru::format(d, form);
        let _ = date::numeric(d);
    }
    true
}

/// Bytes as a document (and a profile) → the whole pipeline with the
/// built-in templates → DOCX and PDF bytes, nothing written.
pub fn render(data: &[u8]) -> bool {
    let folder = Folder::new();
    let path = folder.document(data);
    render_both(&path, templates())
}

/// Bytes as a template (`protocol.xml`, and `components.xml` after
/// [`COMPONENTS_SEPARATOR`]) in a `templates/` folder → a real protocol
/// rendered with it to DOCX and PDF: the filters, the template engine's
/// limits, the markup and the layout with whatever a template writes.
pub fn render_template(data: &[u8]) -> bool {
    let folder = Folder::new();
    let (protocol, components) = split(data, COMPONENTS_SEPARATOR.as_bytes());
    folder.write("templates/protocol.xml", protocol);
    if let Some(components) = components {
        folder.write("templates/components.xml", components);
    }
    folder.write("data/документ.toml", PROTOCOL.as_bytes());
    folder.write("data/profiles/elnya.toml", PROTOCOL_PROFILE.as_bytes());
    match Templates::load(Some(&folder.path("templates"))) {
        Ok(templates) => {
            // The render's own time bound (10 s by default) well inside the
            // harness's (10 s per input): a template that loops must be
            // stopped by gostdoc with its error, not by the harness. The
            // output bound stays the users' one: what a template may write,
            // the layout must take.
            let limits = Limits {
                time: Duration::from_secs(2),
                ..Limits::default()
            };
            render_both(
                &folder.path("data/документ.toml"),
                &templates.with_limits(limits),
            )
        }
        Err(e) => {
            let _ = e.to_string();
            false
        }
    }
}

fn render_both(path: &Path, templates: &Templates) -> bool {
    match build::render_formats(path, templates, &[Format::Docx, Format::Pdf], pdf_options()) {
        Ok(rendered) => {
            for warning in &rendered.warnings {
                let _ = warning.to_string();
            }
            true
        }
        Err(diagnostics) => {
            let _ = diagnostics.to_string();
            false
        }
    }
}
