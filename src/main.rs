//! The `gostdoc` command line: parses arguments, runs the build, prints
//! the report and sets the exit code. All the work is in the library.

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use gostdoc::build::{self, BuildOptions, Format, Report};
use gostdoc::diagnostic::Diagnostics;
use gostdoc::diagnostic::system::reason;
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
    /// Цвета в сообщениях: auto (на терминале, если не задана переменная
    /// NO_COLOR), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "КОГДА")]
    color: ColorArg,
    /// Печатать только ошибки и предупреждения.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Печатать подробнее: все записанные файлы, даже если их много.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Вид сообщений: human (для человека) или json (строка JSON на
    /// сообщение и итог последней строкой: для редакторов и CI).
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human, value_name = "ВИД")]
    message_format: MessageFormat,
}

/// `--color`.
#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    /// На терминале, если не задана переменная NO_COLOR.
    Auto,
    /// Всегда.
    Always,
    /// Никогда.
    Never,
}

/// `--message-format`.
#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum MessageFormat {
    /// Для человека, по-русски.
    Human,
    /// Строка JSON на сообщение.
    Json,
}

/// How much to print and in what form: the global options.
#[derive(Clone, Copy)]
struct Out {
    format: MessageFormat,
    quiet: bool,
    verbose: bool,
}

impl Out {
    /// A progress bar is for a person who asked for messages.
    fn shows_progress(self) -> bool {
        !self.quiet && self.format == MessageFormat::Human
    }
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
        #[arg(value_name = "ПУТИ")]
        paths: Vec<PathBuf>,
        /// Папка с шаблонами, заменяющими встроенные.
        #[arg(long, value_name = "ПАПКА")]
        templates: Option<PathBuf>,
        /// Сколько документов проверять одновременно (по умолчанию: по числу ядер).
        #[arg(short, long, value_name = "ЧИСЛО")]
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
        #[arg(value_name = "ФАЙЛ")]
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
        #[arg(short, long, default_value = "output", value_name = "ПАПКА")]
        output: PathBuf,
        /// Форматы через запятую: docx, pdf, html.
        #[arg(long, value_delimiter = ',', default_values = ["docx", "pdf"], value_name = "ФОРМАТЫ")]
        format: Vec<Format>,
        /// PDF/A-2u со структурой PDF/UA, как у build (и без этого ключа,
        /// если в [options] протокола написано pdfa = true).
        #[arg(long)]
        pdfa: bool,
        /// Дата заверения (17.05.2024). По умолчанию: сегодня.
        #[arg(long, value_parser = gostdoc::extract::parse_date, value_name = "ДАТА")]
        date: Option<chrono::NaiveDate>,
        /// Должность заверяющего. По умолчанию: «Секретарь» (или как
        /// подписан секретарь в протоколе).
        #[arg(long, value_name = "ДОЛЖНОСТЬ")]
        position: Option<String>,
        /// Кто заверяет («И.О. Фамилия»). По умолчанию: секретарь протокола.
        #[arg(long, value_name = "ИМЯ")]
        signer: Option<String>,
        /// Папка с шаблонами, заменяющими встроенные (extract.xml и другие).
        #[arg(long, value_name = "ПАПКА")]
        templates: Option<PathBuf>,
        /// Папка со шрифтом для PDF вместо встроенного (как у build).
        #[arg(long, value_name = "ПАПКА")]
        fonts: Option<PathBuf>,
    },
    /// Реестр поручений: пункты решений протоколов, пункты актов и строки
    /// «дорожных карт» со сроками, их состояние на дату (просрочено, срок
    /// подходит, позже, периодически, без срока). Код выхода 3, если
    /// что-то из показанного просрочено.
    Assignments {
        /// Файлы и папки с документами. По умолчанию: data/
        #[arg(value_name = "ПУТИ")]
        paths: Vec<PathBuf>,
        /// Состояние на эту дату (2021-09-02 или 02.09.2021). По умолчанию: сегодня.
        #[arg(long, value_parser = gostdoc::extract::parse_date, value_name = "ДАТА")]
        as_of: Option<chrono::NaiveDate>,
        /// «Срок подходит», если до последнего дня осталось не больше стольких дней.
        #[arg(long, default_value_t = 14, value_name = "ДНЕЙ")]
        due_within: u32,
        /// Только поручения этому органу или лицу (в любом падеже: «Отдел
        /// образования» найдёт «Отделу образования …»).
        #[arg(long, value_name = "КОМУ")]
        to: Option<String>,
        /// Только с этим состоянием (через запятую): overdue (просрочено),
        /// due (срок подходит), later (позже), periodic (периодически),
        /// none (без срока).
        #[arg(long, value_enum, value_delimiter = ',', value_name = "СОСТОЯНИЕ")]
        status: Vec<StatusArg>,
        /// Только с последним днём срока не раньше этой даты.
        #[arg(long, value_parser = gostdoc::extract::parse_date, value_name = "ДАТА")]
        from: Option<chrono::NaiveDate>,
        /// Только с последним днём срока не позже этой даты.
        #[arg(long, value_parser = gostdoc::extract::parse_date, value_name = "ДАТА")]
        until: Option<chrono::NaiveDate>,
        /// Вид вывода: table (таблица), csv, json, xlsx (таблица Excel, нужен
        /// --output), ics (календарь: событие на последний день каждого срока).
        #[arg(long, value_enum, default_value_t = RegisterFormat::Table, value_name = "ВИД")]
        format: RegisterFormat,
        /// Записать в этот файл вместо вывода на экран (для xlsx обязательно).
        #[arg(short, long, value_name = "ФАЙЛ")]
        output: Option<PathBuf>,
    },
    /// Журнал регистрации документов: вид, номер, дата, заголовок, кто
    /// подписал и файлы, которые пишет build.
    Register {
        /// Файлы и папки с документами. По умолчанию: data/
        #[arg(value_name = "ПУТИ")]
        paths: Vec<PathBuf>,
        /// Вид вывода: table (таблица), csv, json, xlsx (таблица Excel, нужен --output).
        #[arg(long, value_enum, default_value_t = JournalFormat::Table, value_name = "ВИД")]
        format: JournalFormat,
        /// Записать в этот файл вместо вывода на экран (для xlsx обязательно).
        #[arg(short, long, value_name = "ФАЙЛ")]
        output: Option<PathBuf>,
        /// Папка готовых документов, как у build: по ней названы файлы.
        #[arg(long, default_value = "output", value_name = "ПАПКА")]
        output_dir: PathBuf,
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
        #[arg(value_name = "ПАПКА")]
        dir: Option<PathBuf>,
    },
    /// Напечатать дополнение команд для оболочки: bash, zsh, fish,
    /// powershell, elvish (например: gostdoc completions bash >
    /// ~/.local/share/bash-completion/completions/gostdoc).
    Completions {
        /// Оболочка.
        #[arg(value_name = "ОБОЛОЧКА")]
        shell: clap_complete::Shell,
    },
    /// Напечатать страницу справки man (например: gostdoc man > gostdoc.1).
    Man,
    /// Создать заготовку документа с пояснениями.
    New {
        /// Вид документа: protocol (протокол), resolution (постановление),
        /// rasporyazhenie (распоряжение), prikaz (приказ), reshenie (решение),
        /// plan (утверждаемый план или положение).
        #[arg(value_parser = parse_kind, value_name = "ВИД")]
        kind: DocKind,
        /// Файл, который нужно создать.
        #[arg(value_name = "ФАЙЛ")]
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

/// `assignments --status`.
#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    /// Просрочено.
    Overdue,
    /// Срок подходит.
    Due,
    /// Позже.
    Later,
    /// Периодически.
    Periodic,
    /// Без срока.
    None,
    /// Исполнено (по файлу контроля _контроль.toml).
    Done,
}

/// `assignments --format`.
#[derive(Clone, Copy, ValueEnum)]
enum RegisterFormat {
    /// Таблица на экране.
    Table,
    /// CSV.
    Csv,
    /// JSON: один массив.
    Json,
    /// XLSX: таблица Excel.
    Xlsx,
    /// ICS: календарь.
    Ics,
}

/// `register --format`.
#[derive(Clone, Copy, ValueEnum)]
enum JournalFormat {
    /// Таблица на экране.
    Table,
    /// CSV.
    Csv,
    /// JSON: один массив.
    Json,
    /// XLSX: таблица Excel.
    Xlsx,
}

/// What `build` and `watch` share.
#[derive(clap::Args)]
struct BuildArgs {
    /// Файлы и папки с документами (папки просматриваются рекурсивно).
    /// По умолчанию: data/
    #[arg(value_name = "ПУТИ")]
    paths: Vec<PathBuf>,
    /// Папка для готовых документов.
    #[arg(short, long, default_value = "output", value_name = "ПАПКА")]
    output: PathBuf,
    /// Папка с шаблонами, заменяющими встроенные (по имени файла).
    #[arg(long, value_name = "ПАПКА")]
    templates: Option<PathBuf>,
    /// Форматы через запятую: docx, pdf, html (html пишет и оглавление
    /// папки index.html). По умолчанию: docx и pdf, и html для
    /// документов, у которых в [options] написано html = true.
    #[arg(long, value_delimiter = ',', value_name = "ФОРМАТЫ")]
    format: Vec<Format>,
    /// Папка со шрифтом для PDF вместо встроенного Liberation Serif:
    /// четыре файла TTF с Regular, Bold, Italic и BoldItalic в имени
    /// (например, PT Astra Serif).
    #[arg(long, value_name = "ПАПКА")]
    fonts: Option<PathBuf>,
    /// PDF для архива и для программ экранного доступа: PDF/A-2u
    /// (метаданные XMP, цветовой профиль sRGB, текст извлекается как
    /// написан) со структурой PDF/UA (заголовки, абзацы, списки, таблицы).
    #[arg(long)]
    pdfa: bool,
    /// Сколько документов собирать одновременно (по умолчанию: по числу ядер).
    #[arg(short, long, value_name = "ЧИСЛО")]
    jobs: Option<usize>,
    /// Разрешить читать профили, изображения и шаблоны из этой папки,
    /// даже если она вне папок с документами (можно указать несколько раз).
    #[arg(long, value_name = "ПАПКА")]
    allow_outside: Vec<PathBuf>,
}

impl BuildArgs {
    fn options(mut self) -> Result<BuildOptions, String> {
        let fonts = self.fonts.take();
        let mut options = self.options_but_fonts();
        options.pdf.fonts = font_set(fonts.as_deref())?;
        Ok(options)
    }

    /// The options with the bundled fonts: `--fonts` is left to the caller
    /// ([`font_set`]).
    fn options_but_fonts(self) -> BuildOptions {
        let asked = !self.format.is_empty();
        let mut formats = self.format;
        formats.sort();
        formats.dedup();
        let mut options = BuildOptions::new(default_inputs(self.paths), self.output);
        if asked {
            options.formats = formats;
        }
        options.documents_add_formats = !asked;
        options.pdf.pdfa = self.pdfa;
        options.templates_dir = self.templates;
        options.jobs = self.jobs;
        options.allow_outside = self.allow_outside;
        options.progress = std::io::stderr().is_terminal();
        options
    }
}

fn main() -> ExitCode {
    gostdoc::memory::program_starts();
    // A build of one document will want a second thread (its templates
    // parsed beside the reading of its data): started now, while the
    // other core is still awake, it waits there for that job
    // (`threads::stand_by`), and is let go once the build knows it has
    // none. Only for `gostdoc build …` as most write it: a build written
    // otherwise merely starts its helper later.
    if std::env::args_os().nth(1).is_some_and(|a| a == "build") {
        gostdoc::threads::stand_by();
    }
    console::use_utf8();
    let cli = match parse_cli() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    anstream::ColorChoice::write_global(match cli.color {
        ColorArg::Auto => anstream::ColorChoice::Auto,
        ColorArg::Always => anstream::ColorChoice::Always,
        ColorArg::Never => anstream::ColorChoice::Never,
    });
    let out = Out {
        format: cli.message_format,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
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
            mut build,
            force,
            prune,
        } => {
            let fonts = build.fonts.take();
            let mut options = build.options_but_fonts();
            options.force = force;
            options.prune = prune;
            options.progress &= out.shows_progress();
            // The templates first: with `--fonts`, reading and checking
            // the four files takes 0.4 ms, which their parse can use.
            options.parsing_ahead = build::parse_ahead(&options);
            options.pdf.fonts = match font_set(fonts.as_deref()) {
                Ok(fonts) => fonts,
                Err(message) => {
                    eprintln!("{message}");
                    return ExitCode::FAILURE;
                }
            };
            finish(&build::run(&options), "собрано", out)
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
            options.progress = std::io::stderr().is_terminal() && out.shows_progress();
            finish(&build::check(&options), "проверено", out)
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
            // The failures shown so far, by file: a standing error is not
            // shown again when an unrelated file is saved (the summary
            // line still counts it).
            let mut shown: BTreeMap<PathBuf, String> = BTreeMap::new();
            let result = gostdoc::watch::watch(&options, |report| {
                if first {
                    print_notes(report, out);
                    first = false;
                }
                let seen = |file: &Path, d: &Diagnostics| {
                    shown.get(file).is_some_and(|text| *text == d.to_string())
                };
                let fresh = report.failed.iter().any(|(f, d)| !seen(f, d));
                if report.documents_built > 0 || fresh {
                    finish_without_notes(report, "собрано", out, &seen);
                }
                shown = report
                    .failed
                    .iter()
                    .map(|(f, d)| (f.clone(), d.to_string()))
                    .collect();
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
        Command::Completions { shell } => completions(shell),
        Command::Man => man_page(),
        Command::Serve { paths, port, open } => serve(paths, port, open),
        Command::Assignments {
            paths,
            as_of,
            due_within,
            to,
            status,
            from,
            until,
            format,
            output,
        } => {
            let clock = gostdoc::assignments::Clock {
                as_of: as_of.unwrap_or_else(gostdoc::extract::today),
                due_within: i64::from(due_within),
            };
            let filter = gostdoc::assignments::Filter {
                to,
                status: status.into_iter().map(StatusArg::kind).collect(),
                from,
                until,
            };
            assignments(
                &default_inputs(paths),
                &clock,
                &filter,
                (format, output.as_deref()),
                out,
            )
        }
        Command::Register {
            paths,
            format,
            output,
            output_dir,
        } => register(
            &default_inputs(paths),
            &output_dir,
            format,
            output.as_deref(),
            out,
        ),
        Command::Extract {
            file,
            item,
            point,
            to,
            output,
            format,
            pdfa,
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
                pdfa,
                templates,
                fonts.as_deref(),
            )
        }
    }
}

impl StatusArg {
    fn kind(self) -> gostdoc::assignments::StatusKind {
        use gostdoc::assignments::StatusKind;
        match self {
            StatusArg::Overdue => StatusKind::Overdue,
            StatusArg::Due => StatusKind::Due,
            StatusArg::Later => StatusKind::Later,
            StatusArg::Periodic => StatusKind::Periodic,
            StatusArg::None => StatusKind::None,
            StatusArg::Done => StatusKind::Done,
        }
    }
}

/// `gostdoc assignments`: the register on stdout, unreadable documents on
/// stderr. Exit 1 when a document could not be read (the register is
/// incomplete), else 3 when anything listed is overdue, else 0.
fn assignments(
    inputs: &[PathBuf],
    clock: &gostdoc::assignments::Clock,
    filter: &gostdoc::assignments::Filter,
    (format, output): (RegisterFormat, Option<&Path>),
    out: Out,
) -> ExitCode {
    use gostdoc::assignments::{self as register, StatusKind};
    let found = register::register(inputs, clock, filter);
    let groups: Vec<(&Path, &Diagnostics)> = found
        .failed
        .iter()
        .chain(&found.warnings)
        .map(|(f, d)| (f.as_path(), d))
        .collect();
    print_diagnostics(&groups, out);
    let list = &found.assignments;
    let code = match format {
        RegisterFormat::Csv => match register::to_csv(list) {
            Ok(bytes) => write_to(&bytes, output),
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        },
        RegisterFormat::Json => {
            write_to(format!("{}\n", register::to_json(list)).as_bytes(), output)
        }
        RegisterFormat::Xlsx => write_xlsx(
            &gostdoc::export::assignments_sheet(list),
            clock.as_of,
            output,
        ),
        RegisterFormat::Ics => write_to(gostdoc::export::ics::to_ics(list).as_bytes(), output),
        RegisterFormat::Table => {
            let overdue = anstyle::AnsiColor::Red.on_default().bold();
            anstream::print!("{}", register::to_table(list, overdue));
            if !out.quiet {
                anstream::eprintln!("{}", register::summary(list));
            }
            ExitCode::SUCCESS
        }
    };
    if code != ExitCode::SUCCESS || !found.failed.is_empty() {
        ExitCode::FAILURE
    } else if list.iter().any(|a| a.status.kind() == StatusKind::Overdue) {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

/// `gostdoc extract`: renders the выписки of one protocol and writes them.
fn extract(
    file: &Path,
    request: &gostdoc::extract::Request,
    output: &Path,
    format: &[Format],
    pdfa: bool,
    templates: Option<PathBuf>,
    fonts: Option<&Path>,
) -> ExitCode {
    let fail = |diags: &Diagnostics| {
        eprintln!("{diags}");
        ExitCode::FAILURE
    };
    let pdf = match font_set(fonts) {
        Ok(fonts) => PdfOptions { fonts, pdfa },
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let mut formats = format.to_vec();
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

/// The fonts of `--fonts DIR`: the four faces found by their names; the
/// bundled ones without it.
fn font_set(fonts: Option<&std::path::Path>) -> Result<FontSet, String> {
    let Some(dir) = fonts else {
        return Ok(FontSet::liberation());
    };
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| {
            format!(
                "{}: не удалось открыть папку со шрифтами: {}",
                dir.display(),
                reason(&e)
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
    FontSet::from_files(
        &find("regular")?,
        &find("bold")?,
        &find("italic")?,
        &find("bolditalic")?,
    )
    .map_err(|e| format!("{}: {e}", dir.display()))
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
fn finish(report: &Report, done_word: &str, out: Out) -> ExitCode {
    print_notes(report, out);
    finish_without_notes(report, done_word, out, &|_, _| false)
}

/// Notes about the build as a whole: where the templates came from, fewer
/// threads than asked.
fn print_notes(report: &Report, out: Out) {
    if out.quiet || out.format == MessageFormat::Json {
        return;
    }
    for note in &report.notes {
        anstream::eprintln!("примечание: {note}");
    }
}

/// Diagnostics for a person: grouped by file, coloured where the terminal
/// shows colours; or one JSON line each, on stdout, for a program.
fn print_diagnostics(groups: &[(&Path, &Diagnostics)], out: Out) {
    let mut by_file: BTreeMap<&Path, Vec<&Diagnostics>> = BTreeMap::new();
    for (file, diags) in groups {
        by_file.entry(file).or_default().push(diags);
    }
    for (file, groups) in by_file {
        if out.format == MessageFormat::Json {
            for d in groups.iter().flat_map(|g| &g.0) {
                println!("{}", gostdoc::report::json_line(d));
            }
            continue;
        }
        anstream::eprintln!("{}", gostdoc::report::file_header(file));
        for d in groups.iter().flat_map(|g| &g.0) {
            anstream::eprintln!("{}", gostdoc::report::styled(d));
        }
        anstream::eprintln!();
    }
}

/// [`finish`] for the rebuilds of `watch`, whose notes were printed once
/// at the first build; failures for which `shown` holds were printed
/// before and are only counted.
fn finish_without_notes(
    report: &Report,
    done_word: &str,
    out: Out,
    shown: &dyn Fn(&Path, &Diagnostics) -> bool,
) -> ExitCode {
    let groups: Vec<(&Path, &Diagnostics)> = report
        .failed
        .iter()
        .filter(|(f, d)| !shown(f, d))
        .chain(&report.warnings)
        .map(|(f, d)| (f.as_path(), d))
        .collect();
    print_diagnostics(&groups, out);
    let done = report.documents_built + report.checked.len();
    if out.format == MessageFormat::Json {
        let outputs: Vec<&Path> = report.built.iter().map(PathBuf::as_path).collect();
        let command = if done_word == "проверено" {
            "check"
        } else {
            "build"
        };
        println!(
            "{}",
            gostdoc::report::json_summary(
                command,
                done,
                report.up_to_date,
                report.failed.len(),
                &outputs
            )
        );
    } else if !out.quiet {
        if out.verbose || report.built.len() <= LIST_OUTPUTS_UP_TO {
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
        if report.up_to_date > 0 {
            println!(
                "{done_word}: {done}, без изменений: {}, с ошибками: {}",
                report.up_to_date,
                report.failed.len()
            );
        } else {
            println!("{done_word}: {done}, с ошибками: {}", report.failed.len());
        }
    }
    if report.has_failures() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Parses the command line. Help and version go to stdout with clap's
/// English words in Russian; a mistake is said in Russian
/// ([`gostdoc::cli::error_message`]) on stderr, with exit code 2.
fn parse_cli() -> Result<Cli, ExitCode> {
    use clap::error::ErrorKind;
    Cli::try_parse().map_err(|e| match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let text = gostdoc::cli::russian_help(&e.render().ansi().to_string());
            anstream::print!("{text}");
            ExitCode::SUCCESS
        }
        _ => {
            anstream::eprint!("{}", gostdoc::cli::error_message(&e, "gostdoc"));
            ExitCode::from(2)
        }
    })
}

/// The shell completions of `gostdoc completions SHELL`, on stdout.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = Cli::command();
    // Into memory first: clap_complete panics on a write error (a closed
    // pipe, `| head`).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "gostdoc", &mut script);
    write_stdout(&script)
}

/// `gostdoc register`: the journal of documents on stdout or in a file,
/// unreadable documents on stderr (exit 1).
fn register(
    inputs: &[PathBuf],
    output_dir: &Path,
    format: JournalFormat,
    output: Option<&Path>,
    out: Out,
) -> ExitCode {
    use gostdoc::register as journal;
    let found = journal::journal(inputs, output_dir);
    let groups: Vec<(&Path, &Diagnostics)> =
        found.failed.iter().map(|(f, d)| (f.as_path(), d)).collect();
    print_diagnostics(&groups, out);
    let entries = &found.entries;
    let code = match format {
        JournalFormat::Table => write_to(journal::to_table(entries).as_bytes(), output),
        JournalFormat::Csv => match journal::to_csv(entries) {
            Ok(bytes) => write_to(&bytes, output),
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        },
        JournalFormat::Json => write_to(
            format!("{}\n", journal::to_json(entries)).as_bytes(),
            output,
        ),
        JournalFormat::Xlsx => {
            // The latest document's date, not today: the same documents,
            // the same bytes.
            let created = journal::latest_date(entries).unwrap_or_default();
            write_xlsx(&journal::to_sheet(entries), created, output)
        }
    };
    if code != ExitCode::SUCCESS || !found.failed.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A workbook into `output`; without a file it is refused (binary bytes on
/// a terminal help nobody).
fn write_xlsx(
    sheet: &gostdoc::export::xlsx::Sheet,
    created: chrono::NaiveDate,
    output: Option<&Path>,
) -> ExitCode {
    let Some(file) = output else {
        eprintln!("для --format xlsx укажите файл: --output реестр.xlsx");
        return ExitCode::FAILURE;
    };
    match gostdoc::export::xlsx::to_xlsx(sheet, created) {
        Ok(bytes) => write_to(&bytes, Some(file)),
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes `bytes` to the file (atomically: a reader never sees half of
/// it), or to stdout without one.
fn write_to(bytes: &[u8], output: Option<&Path>) -> ExitCode {
    let Some(file) = output else {
        return write_stdout(bytes);
    };
    match build::write_atomically(file, bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "не удалось записать «{}»: {}; проверьте, что папка существует и доступна для записи",
                file.display(),
                reason(&e)
            );
            ExitCode::FAILURE
        }
    }
}

/// Writes `bytes` to stdout; a closed pipe or a full disk is a message,
/// not a panic.
fn write_stdout(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("не удалось вывести текст: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The man page of `gostdoc man` (roff), on stdout.
fn man_page() -> ExitCode {
    let page = clap_mangen::Man::new(Cli::command());
    let mut roff = Vec::new();
    match page.render(&mut roff) {
        Ok(()) => write_stdout(&roff),
        Err(e) => {
            eprintln!("не удалось составить страницу справки: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Russian in the Windows console: the console is told the program writes
/// UTF-8 (code page 65001), or it shows Russian as garbage.
mod console {
    #[cfg(windows)]
    pub(crate) fn use_utf8() {
        use windows_sys::Win32::System::Console::{SetConsoleCP, SetConsoleOutputCP};
        const CP_UTF8: u32 = 65001;
        // SAFETY: plain Win32 calls with a constant; a failure (no console)
        // changes nothing.
        unsafe {
            SetConsoleOutputCP(CP_UTF8);
            SetConsoleCP(CP_UTF8);
        }
    }

    #[cfg(not(windows))]
    pub(crate) fn use_utf8() {}
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
            eprintln!(
                "{}: не удалось записать файл: {}",
                file.display(),
                reason(&e)
            );
            ExitCode::FAILURE
        }
    }
}
