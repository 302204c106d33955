//! The `gostdoc` command line: parses arguments, runs the build, prints
//! the report and sets the exit code. All the work is in the library.

use clap::{Parser, Subcommand, ValueEnum};
use gostdoc::build::{self, BuildOptions, Format, Report};
use gostdoc::pdf::{FontSet, PdfOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// Протоколы и постановления по ГОСТ Р 7.0.97 из файлов TOML: DOCX без Word.
#[derive(Parser)]
#[command(name = "gostdoc", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Собрать документы: каждый X.toml становится X.docx.
    Build {
        /// Файлы и папки с документами (папки просматриваются рекурсивно).
        /// По умолчанию: data/
        paths: Vec<PathBuf>,
        /// Папка для готовых документов.
        #[arg(short, long, default_value = "output")]
        output: PathBuf,
        /// Папка с шаблонами, заменяющими встроенные (по имени файла).
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Форматы через запятую: docx, pdf.
        #[arg(long, value_delimiter = ',', default_values = ["docx", "pdf"])]
        format: Vec<FormatArg>,
        /// Папка со шрифтом для PDF вместо встроенного Liberation Serif:
        /// четыре файла TTF с Regular, Bold, Italic и BoldItalic в имени
        /// (например, PT Astra Serif).
        #[arg(long)]
        fonts: Option<PathBuf>,
    },
    /// Проверить документы, ничего не записывая.
    Check {
        /// Файлы и папки с документами. По умолчанию: data/
        paths: Vec<PathBuf>,
        /// Папка с шаблонами, заменяющими встроенные.
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Создать заготовку документа с пояснениями.
    New {
        /// Вид документа.
        kind: Kind,
        /// Файл, который нужно создать.
        file: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Документ Word.
    Docx,
    /// PDF для печати и публикации.
    Pdf,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    /// Протокол совещания или заседания.
    Protocol,
    /// Постановление с приложением.
    Resolution,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            paths,
            output,
            templates,
            format,
            fonts,
        } => {
            let pdf = match pdf_options(fonts.as_deref()) {
                Ok(p) => p,
                Err(message) => {
                    eprintln!("{message}");
                    return ExitCode::FAILURE;
                }
            };
            let mut formats: Vec<Format> = format
                .iter()
                .map(|f| match f {
                    FormatArg::Docx => Format::Docx,
                    FormatArg::Pdf => Format::Pdf,
                })
                .collect();
            formats.sort();
            formats.dedup();
            let options = BuildOptions {
                formats,
                pdf,
                inputs: default_inputs(paths),
                output_dir: output,
                templates_dir: templates,
            };
            finish(&build::run(&options, true), "собрано")
        }
        Command::Check { paths, templates } => {
            let options = BuildOptions {
                formats: vec![Format::Docx, Format::Pdf],
                pdf: PdfOptions::default(),
                inputs: default_inputs(paths),
                output_dir: PathBuf::from("output"),
                templates_dir: templates,
            };
            finish(&build::run(&options, false), "проверено")
        }
        Command::New { kind, file } => new_file(kind, &file),
    }
}

/// PDF options from `--fonts DIR`: the four faces found by their names.
fn pdf_options(fonts: Option<&std::path::Path>) -> Result<PdfOptions, String> {
    let Some(dir) = fonts else {
        return Ok(PdfOptions::default());
    };
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| {
            format!(
                "{}: не удалось открыть папку со шрифтами: {e}",
                dir.display()
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ttf")))
        .collect();
    let find = |face: &str| {
        files
            .iter()
            .find(|p| {
                let name = p.file_stem().unwrap_or_default().to_string_lossy().to_lowercase();
                let name = name.replace(['-', '_', ' '], "");
                match face {
                    "bold" => name.ends_with("bold") && !name.ends_with("italicbold"),
                    "italic" => name.ends_with("italic") && !name.ends_with("bolditalic"),
                    other => name.ends_with(other),
                }
            })
            .cloned()
            .ok_or_else(|| {
                format!(
                    "{}: не найден файл начертания {face}; нужны четыре файла TTF, в именах которых есть Regular, Bold, Italic и BoldItalic",
                    dir.display()
                )
            })
    };
    let fonts = FontSet::from_files(
        &find("regular")?,
        &find("bold")?,
        &find("italic")?,
        &find("bolditalic")?,
    )
    .map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(PdfOptions { fonts })
}

fn default_inputs(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("data")]
    } else {
        paths
    }
}

/// Prints every diagnostic, grouped by file, then a one-line summary.
fn finish(report: &Report, done_word: &str) -> ExitCode {
    for w in &report.warnings {
        eprintln!("{w}\n");
    }
    for (_, diags) in &report.failed {
        eprintln!("{diags}\n");
    }
    for path in &report.built {
        println!("  {}", path.display());
    }
    let ok = report.built.len() + report.checked.len();
    println!("{done_word}: {ok}, с ошибками: {}", report.failed.len());
    if report.has_failures() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn new_file(kind: Kind, file: &std::path::Path) -> ExitCode {
    if file.exists() {
        eprintln!("{}: файл уже существует, не перезаписываю", file.display());
        return ExitCode::FAILURE;
    }
    let text = match kind {
        Kind::Protocol => include_str!("starters/protocol.toml"),
        Kind::Resolution => include_str!("starters/resolution.toml"),
    };
    match build::write_atomically(file, text.as_bytes()) {
        Ok(()) => {
            println!(
                "создан {}: заполните его и выполните «gostdoc build {}»",
                file.display(),
                file.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: не удалось записать файл: {e}", file.display());
            ExitCode::FAILURE
        }
    }
}
