//! gostdoc: Russian administrative documents (протоколы, постановления)
//! from TOML, in the ГОСТ Р 7.0.97 layout.
//!
//! The pipeline, one module per stage:
//!
//! | stage | module | produces |
//! |---|---|---|
//! | read and validate the TOML file (and its profile) | [`model`] | [`model::Model`] |
//! | present the model to a template | [`view`] | a Tera context |
//! | render the Tera template of the document kind | [`template`] | markup text |
//! | parse the markup | [`markup`] | [`document::Document`] |
//! | lay the document out, one backend per format, all through one table | [`format`]: [`docx`], [`pdf`], [`html`] | DOCX, PDF and HTML bytes |
//! | find inputs, render in parallel, write files atomically, skip what is up to date | [`build`] | files in `output/` |
//! | rebuild on save | [`watch`] | |
//! | выписка из протокола: one agenda item, certified | [`extract`] | files in `output/` |
//! | the register of assignments: decisions, points and roadmap rows with deadlines, their status on a date | [`assignments`] | [`assignments::Assignment`]s |
//! | execution marks outside the signed text (`_контроль.toml`: done, notes, new deadlines), merged into the register and checked | [`control`] | [`control::Mark`]s |
//! | numbering across a year: `number = "auto"` gets the next number of its series, kept in `_номера.toml`; duplicates and gaps checked | [`numbering`] | [`numbering::Numbers`] |
//! | the register of documents (журнал регистрации): kind, number, date, title, signer, output files | [`register`] | [`register::Entry`]s |
//! | spreadsheet and calendar files of a register | [`export`] | XLSX and ICS bytes |
//! | the editor in the browser: check and preview as you type, save safely | [`serve`] | a local web page |
//! | show diagnostics to a person (colours) or a program (JSON lines) | [`report`] | terminal text |
//! | the command line's own words (help, errors) in Russian | [`cli`] | |
//! | the JSON Schema of the input, for editors; a ready folder (`gostdoc init`) | [`schema`], [`init`] | `gostdoc.schema.json`, a project folder |
//! | the QR code of ГОСТ Р 7.0.97-2025: the symbol and its PNG (placed on the page by `pdf::requisites`, for both backends) | [`qr`] | a QR symbol |
//! | deflate for both backends (zip entries, PDF streams): one compressor per thread | [`deflate`] | compressed bytes |
//! | how many threads render now and whether a core is free for a document's second thread (`-j` in force) | [`threads`] | |
//! | the memory allocator (mimalloc) and what the build tells it between documents and stages | [`memory`] | |
//!
//! [`russian`] holds the language: cases of names and positions, dates in
//! words, plural agreement, typography. Templates use it through Tera
//! filters ([`filters`]), registered in every [`template`] set.
//!
//! Diagnostics for the user, in Russian with file, line and field, are
//! [`diagnostic::Diagnostic`]s. Every file the user gives or a document
//! names is read through [`input`]: regular files of a bounded size, and
//! only from the user's folders. Only [`model`] parses documents and
//! profiles, [`control`] the control file and [`numbering`] the numbers
//! file `_номера.toml`; only [`build`] writes output files (the editor of
//! [`serve`] and [`init`] write the user's own files, and [`numbering`]
//! the numbers file, atomically, through it).
#![warn(missing_docs, unreachable_pub)]

pub mod assignments;
pub mod build;
pub mod cli;
pub mod control;
pub mod deflate;
pub mod diagnostic;
pub mod document;
pub mod docx;
pub mod export;
pub mod extract;
pub mod filters;
pub mod format;
pub mod html;
pub mod init;
pub mod input;
pub mod markup;
pub mod memory;
pub mod model;
pub mod numbering;
pub mod pdf;
pub mod qr;
pub mod register;
pub mod report;
pub mod russian;
pub mod schema;
pub mod serve;
pub mod template;
pub mod threads;
pub mod view;
pub mod watch;
