//! The `gostdoc` command line: parses arguments, runs the build, prints
//! the report and sets the exit code. All the work is in the library.

use clap::{Parser, Subcommand, ValueEnum};
use gostdoc::build::{self, BuildOptions, Format, Report};
use gostdoc::diagnostic::Diagnostics;
use gostdoc::model::DocKind;
use gostdoc::pdf::{FontSet, PdfOptions};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
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
    /// Собрать документы: каждый X.toml становится X.docx и X.pdf.
    /// Собираются только документы, у которых что-то изменилось.
    Build {
        #[command(flatten)]
        build: BuildArgs,
        /// Собрать все документы заново, даже не изменившиеся.
        #[arg(long)]
        force: bool,
        /// Удалить готовые файлы документов, исходных файлов которых больше нет.
        #[arg(long)]
        prune: bool,
    },
    /// Проверить документы, ничего не записывая: те же ошибки, что при
    /// сборке, и предупреждения о подозрительном содержании.
    Check {
        /// Файлы и папки с документами. По умолчанию: data/
        paths: Vec<PathBuf>,
        /// Папка с шаблонами, заменяющими встроенные.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Сколько документов проверять одновременно (по умолчанию: по числу ядер).
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Разрешить читать профили, изображения и шаблоны из этой папки,
        /// даже если она вне папок с документами (можно указать несколько раз).
        #[arg(long, value_name = "ПАПКА")]
        allow_outside: Vec<PathBuf>,
    },
    /// Собрать документы и пересобирать их при каждом сохранении
    /// (остановка: Ctrl+C).
    Watch {
        #[command(flatten)]
        build: BuildArgs,
    },
    /// Выписка из протокола: один вопрос повестки (СЛУШАЛИ, ВЫСТУПИЛИ,
    /// РЕШИЛИ, голосование) с заверительной надписью «Выписка верна».
    /// Файлы: <имя протокола>_vypiska_<N>.docx и .pdf.
    Extract {
        /// Файл протокола.
        file: PathBuf,
        /// Номер вопроса повестки.
        #[arg(
            long,
            value_name = "N",
            required_unless_present = "to",
            conflicts_with = "to"
        )]
        item: Option<usize>,
        /// Только этот пункт решения (например, 2.3) с пунктами над ним и под ним.
        #[arg(long, value_name = "НОМЕР")]
        point: Option<String>,
        /// Все вопросы, решения по которым адресованы этому органу
        /// (по полю to: «Отдел образования»).
        #[arg(long, value_name = "КОМУ")]
        to: Option<String>,
        /// Папка для выписок.
        #[arg(short, long, default_value = "output")]
        output: PathBuf,
        /// Форматы через запятую: docx, pdf.
        #[arg(long, value_delimiter = ',', default_values = ["docx", "pdf"])]
        format: Vec<FormatArg>,
        /// Дата заверения (17.05.2024). По умолчанию: сегодня.
        #[arg(long, value_parser = gostdoc::extract::parse_date)]
        date: Option<chrono::NaiveDate>,
        /// Должность заверяющего. По умолчанию: «Секретарь» (или как
        /// подписан секретарь в протоколе).
        #[arg(long, value_name = "ДОЛЖНОСТЬ")]
        position: Option<String>,
        /// Кто заверяет («И.О. Фамилия»). По умолчанию: секретарь протокола.
        #[arg(long, value_name = "ИМЯ")]
        signer: Option<String>,
        /// Папка с шаблонами, заменяющими встроенные (extract.xml и другие).
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Папка со шрифтом для PDF вместо встроенного (как у build).
        #[arg(long)]
        fonts: Option<PathBuf>,
    },
    /// Напечатать JSON-схему входных файлов для редакторов (VS Code с
    /// Even Better TOML): подсказки ключей, допустимые значения, проверка.
    Schema {
        /// Схема профиля организации вместо схемы документа.
        #[arg(long)]
        profile: bool,
        /// Записать схему в этот файл вместо вывода на экран.
        #[arg(short, long, value_name = "ФАЙЛ")]
        output: Option<PathBuf>,
    },
    /// Создать готовую папку: протокол и постановление в data/, профиль
    /// организации, схему для редактора, templates/ и README.md.
    Init {
        /// Папка (по умолчанию: текущая); она должна быть пустой или отсутствовать.
        dir: Option<PathBuf>,
    },
    /// Создать заготовку документа с пояснениями.
    New {
        /// Вид документа: protocol (протокол), resolution (постановление),
        /// rasporyazhenie (распоряжение), prikaz (приказ), reshenie (решение),
        /// plan (утверждаемый план или положение).
        #[arg(value_parser = parse_kind)]
        kind: DocKind,
        /// Файл, который нужно создать.
        file: PathBuf,
    },
    /// Редактор в браузере: список документов, правка с проверкой и
    /// предпросмотром страниц по мере набора, сохранение (остановка: Ctrl+C).
    /// Открыт только на этом компьютере (127.0.0.1).
    Serve {
        /// Папки с документами. По умолчанию: data/
        #[arg(value_name = "ПУТИ")]
        paths: Vec<PathBuf>,
        /// Порт на 127.0.0.1.
        #[arg(long, default_value_t = gostdoc::serve::DEFAULT_PORT, value_name = "ПОРТ")]
        port: u16,
        /// Сразу открыть редактор в браузере.
        #[arg(long)]
        open: bool,
    },
}

/// What `build` and `watch` share.
#[derive(clap::Args)]
struct BuildArgs {
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
    /// Сколько документов собирать одновременно (по умолчанию: по числу ядер).
    #[arg(short, long)]
    jobs: Option<usize>,
    /// Разрешить читать профили, изображения и шаблоны из этой папки,
    /// даже если она вне папок с документами (можно указать несколько раз).
    #[arg(long, value_name = "ПАПКА")]
    allow_outside: Vec<PathBuf>,
}

impl BuildArgs {
    fn options(self) -> Result<BuildOptions, String> {
        let mut formats: Vec<Format> = self
            .format
            .iter()
            .map(|f| match f {
                FormatArg::Docx => Format::Docx,
                FormatArg::Pdf => Format::Pdf,
            })
            .collect();
        formats.sort();
        formats.dedup();
        let mut options = BuildOptions::new(default_inputs(self.paths), self.output);
        options.formats = formats;
        options.pdf = pdf_options(self.fonts.as_deref())?;
        options.templates_dir = self.templates;
        options.jobs = self.jobs;
        options.allow_outside = self.allow_outside;
        options.progress = std::io::stderr().is_terminal();
        Ok(options)
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Документ Word.
    Docx,
    /// PDF для печати и публикации.
    Pdf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema { profile, output } => gostdoc::schema::command(
            if profile {
                gostdoc::schema::Target::Profile
            } else {
                gostdoc::schema::Target::Document
            },
            output.as_deref(),
        ),
        Command::Init { dir } => gostdoc::init::command(dir.as_deref().unwrap_or(Path::new("."))),
        Command::Build {
            build,
            force,
            prune,
        } => {
            let mut options = match build.options() {
                Ok(o) => o,
                Err(message) => {
                    eprintln!("{message}");
                    return ExitCode::FAILURE;
                }
            };
            options.force = force;
            options.prune = prune;
            finish(&build::run(&options), "собрано")
        }
        Command::Check {
            paths,
            templates,
            jobs,
            allow_outside,
        } => {
            let mut options = BuildOptions::new(default_inputs(paths), "output");
            options.templates_dir = templates;
            options.jobs = jobs;
            options.allow_outside = allow_outside;
            options.progress = std::io::stderr().is_terminal();
            finish(&build::check(&options), "проверено")
        }
        Command::Watch { build } => {
            let options = match build.options() {
                Ok(o) => o,
                Err(message) => {
                    eprintln!("{message}");
                    return ExitCode::FAILURE;
                }
            };
            println!(
                "наблюдаю за {}; остановка: Ctrl+C",
                options
                    .inputs
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let mut first = true;
            let result = gostdoc::watch::watch(&options, |report| {
                if first {
                    print_notes(report);
                    first = false;
                }
                if report.documents_built > 0 || report.has_failures() {
                    finish_without_notes(report, "собрано");
                }
            });
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::New { kind, file } => new_file(kind, &file),
        Command::Serve { paths, port, open } => serve(paths, port, open),
        Command::Extract {
            file,
            item,
            point,
            to,
            output,
            format,
            date,
            position,
            signer,
            templates,
            fonts,
        } => {
            let selection = match (item, to) {
                (_, Some(body)) => gostdoc::extract::Selection::To(body),
                (Some(n), None) => gostdoc::extract::Selection::Item(n),
                // clap requires one of them; said anyway, never a silent failure.
                (None, None) => {
                    eprintln!(
                        "укажите номер вопроса повестки: --item N, или адресата: --to \"Отдел образования\""
                    );
                    return ExitCode::FAILURE;
                }
            };
            let request = gostdoc::extract::Request {
                selection,
                point,
                date: date.unwrap_or_else(gostdoc::extract::today),
                position,
                signer,
            };
            extract(
                &file,
                &request,
                &output,
                &format,
                templates,
                fonts.as_deref(),
            )
        }
    }
}

/// `gostdoc extract`: renders the выписки of one protocol and writes them.
fn extract(
    file: &Path,
    request: &gostdoc::extract::Request,
    output: &Path,
    format: &[FormatArg],
    templates: Option<PathBuf>,
    fonts: Option<&Path>,
) -> ExitCode {
    let fail = |diags: &Diagnostics| {
        eprintln!("{diags}");
        ExitCode::FAILURE
    };
    let pdf = match pdf_options(fonts) {
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
    let mut options = BuildOptions::new(vec![file.to_path_buf()], output);
    options.templates_dir = templates;
    let dir = build::templates_dir(&options);
    let templates = match gostdoc::template::Templates::load(dir.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            let at = dir.unwrap_or_else(|| PathBuf::from("templates"));
            return fail(&gostdoc::diagnostic::Diagnostic::error(&at, e.to_string()).into());
        }
    };
    if options.templates_dir.is_none()
        && let Some(found) = &dir
    {
        eprintln!(
            "примечание: используются шаблоны из папки «{}» (вместо встроенных там, где имена совпадают)",
            found.display()
        );
    }
    let access = options.access();
    let extracts =
        match gostdoc::extract::render(file, request, &templates, &formats, &pdf, &access) {
            Ok(e) => e,
            Err(d) => return fail(&d),
        };
    if !extracts.warnings.is_empty() {
        eprintln!("{}", Diagnostics(extracts.warnings.clone()));
    }
    match gostdoc::extract::write(file, &extracts, output) {
        Ok(paths) => {
            for path in paths {
                println!("  {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(d) => fail(&d),
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

/// Outputs listed one by one up to this many; a long batch prints counts.
const LIST_OUTPUTS_UP_TO: usize = 20;

/// Prints every diagnostic, grouped by file, then a one-line summary.
fn finish(report: &Report, done_word: &str) -> ExitCode {
    print_notes(report);
    finish_without_notes(report, done_word)
}

/// Notes about the build as a whole: where the templates came from, fewer
/// threads than asked.
fn print_notes(report: &Report) {
    for note in &report.notes {
        eprintln!("примечание: {note}");
    }
}

/// [`finish`] for the rebuilds of `watch`, whose notes were printed once
/// at the first build.
fn finish_without_notes(report: &Report, done_word: &str) -> ExitCode {
    let mut by_file: BTreeMap<&Path, Vec<&Diagnostics>> = BTreeMap::new();
    for (file, diags) in report.failed.iter().chain(&report.warnings) {
        by_file.entry(file).or_default().push(diags);
    }
    for (file, groups) in by_file {
        eprintln!("── {}", file.display());
        for diags in groups {
            eprintln!("{diags}");
        }
        eprintln!();
    }
    if report.built.len() <= LIST_OUTPUTS_UP_TO {
        for path in &report.built {
            println!("  {}", path.display());
        }
    }
    for path in &report.pruned {
        println!("  удалён {}", path.display());
    }
    if !report.stale.is_empty() {
        println!("исходных файлов этих документов больше нет:");
        for path in &report.stale {
            println!("  {}", path.display());
        }
        println!("удалить их: gostdoc build --prune");
    }
    let done = report.documents_built + report.checked.len();
    if report.up_to_date > 0 {
        println!(
            "{done_word}: {done}, без изменений: {}, с ошибками: {}",
            report.up_to_date,
            report.failed.len()
        );
    } else {
        println!("{done_word}: {done}, с ошибками: {}", report.failed.len());
    }
    if report.has_failures() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `gostdoc serve`: starts the editor and serves until Ctrl+C.
fn serve(paths: Vec<PathBuf>, port: u16, open: bool) -> ExitCode {
    let options = gostdoc::serve::ServeOptions { paths, port };
    match gostdoc::serve::start(&options) {
        Ok(server) => {
            let url = server.url();
            println!("редактор открыт: {url} (только на этом компьютере); остановка: Ctrl+C");
            if open && !gostdoc::serve::open_browser(&url) {
                eprintln!("не удалось открыть браузер: откройте адрес {url} сами");
            }
            server.wait();
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// A kind named by its key or a Russian alias, for `gostdoc new`.
fn parse_kind(name: &str) -> Result<DocKind, String> {
    DocKind::from_name(name).ok_or_else(|| {
        format!(
            "неизвестный вид документа «{name}»; виды: {}",
            DocKind::listing()
        )
    })
}

fn new_file(kind: DocKind, file: &std::path::Path) -> ExitCode {
    if file.exists() {
        eprintln!("{}: файл уже существует, не перезаписываю", file.display());
        return ExitCode::FAILURE;
    }
    let text = kind.info().starter;
    match build::write_atomically(file, text.as_bytes()) {
        Ok(()) => {
            println!(
                "создан {}: заполните его и выполните «gostdoc build {}»",
                file.display(),
                file.display()
            );
            gostdoc::schema::place_beside_document(file);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: не удалось записать файл: {e}", file.display());
            ExitCode::FAILURE
        }
    }
}
