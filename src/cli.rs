//! The command line's own words in Russian. clap writes its headings,
//! its help and version flags and its errors in English and has no
//! translations; our users read Russian. Help and version are clap's text
//! with the English words replaced ([`russian_help`]); an error is said
//! anew from its kind and context ([`error_message`]), with the usage line
//! and where to find the help.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// clap's English words in help and usage, and ours. Longer phrases come
/// before the words they contain.
const HELP_WORDS: [(&str, &str); 14] = [
    (
        "Print this message or the help of the given subcommand(s)",
        "Показать эту справку или справку по команде",
    ),
    (
        "Print help (see more with '--help')",
        "Показать справку (подробнее: --help)",
    ),
    (
        "Print help (see a summary with '-h')",
        "Показать справку (кратко: -h)",
    ),
    ("Print help", "Показать справку"),
    ("Print version", "Показать версию"),
    ("Usage:", "Использование:"),
    ("Commands:", "Команды:"),
    ("Arguments:", "Аргументы:"),
    ("Options:", "Параметры:"),
    ("Possible values:", "Возможные значения:"),
    ("[possible values: ", "[возможные значения: "),
    ("[default: ", "[по умолчанию: "),
    ("[OPTIONS]", "[ПАРАМЕТРЫ]"),
    ("<COMMAND>", "<КОМАНДА>"),
];

/// clap's help, usage or version text with its English words in Russian.
/// Styles (ANSI codes) around the words are kept.
pub fn russian_help(text: &str) -> String {
    HELP_WORDS
        .iter()
        .fold(text.to_owned(), |t, (en, ru)| t.replace(en, ru))
}

/// The text of a context value: one string, several joined by «, », or a
/// number.
fn value(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        ContextValue::None => None,
        _ => None,
    }
}

/// What went wrong with the command line, in Russian: the error, what the
/// user may have meant, the usage line and where to find the help. Help
/// and version requests are not errors: see [`russian_help`].
pub fn error_message(e: &clap::Error, program: &str) -> String {
    let arg = value(e, ContextKind::InvalidArg).unwrap_or_default();
    let given = value(e, ContextKind::InvalidValue).unwrap_or_default();
    let mut hints = Vec::new();
    let message = match e.kind() {
        ErrorKind::UnknownArgument => {
            if let Some(s) = value(e, ContextKind::SuggestedArg) {
                hints.push(format!("возможно, имелось в виду «{s}»"));
            }
            if arg.starts_with('-') {
                format!("неизвестный параметр «{arg}»")
            } else {
                format!("лишний аргумент «{arg}»")
            }
        }
        ErrorKind::InvalidSubcommand => {
            let sub = value(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            if let Some(s) = value(e, ContextKind::SuggestedSubcommand) {
                hints.push(format!("возможно, имелась в виду команда «{s}»"));
            }
            format!("неизвестная команда «{sub}»")
        }
        ErrorKind::InvalidValue => {
            if let Some(valid) = value(e, ContextKind::ValidValue) {
                hints.push(format!("возможные значения: {valid}"));
            }
            if given.is_empty() {
                format!("у параметра «{arg}» не указано значение")
            } else {
                format!("недопустимое значение «{given}» у «{arg}»")
            }
        }
        ErrorKind::ValueValidation => {
            // Our own parsers say why in Russian; clap keeps it as the source.
            let why = std::error::Error::source(e)
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            format!("недопустимое значение «{given}» у «{arg}»{why}")
        }
        ErrorKind::MissingRequiredArgument => {
            format!("не указано обязательное: {arg}")
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            hints.push(format!("команды: {program} --help"));
            "не указана команда".to_owned()
        }
        ErrorKind::ArgumentConflict => {
            let prior = value(e, ContextKind::PriorArg).unwrap_or_default();
            format!("«{arg}» нельзя указывать вместе с «{prior}»")
        }
        ErrorKind::NoEquals => format!("у «{arg}» значение пишется через «=»"),
        ErrorKind::TooManyValues => format!("слишком много значений у «{arg}»: «{given}»"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("не то число значений у «{arg}»")
        }
        ErrorKind::InvalidUtf8 => "в аргументах командной строки не UTF-8".to_owned(),
        ErrorKind::Io | ErrorKind::Format => "не удалось вывести текст".to_owned(),
        // Any other case: clap's own words, so nothing is hidden.
        _ => {
            let english = e.render().to_string();
            english
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_owned()
        }
    };
    let mut out = format!("ошибка: {message}\n");
    for hint in hints {
        out.push_str(&format!("  подсказка: {hint}\n"));
    }
    if let Some(usage) = value(e, ContextKind::Usage) {
        out.push('\n');
        out.push_str(&russian_help(usage.trim_end()));
        out.push('\n');
    }
    out.push_str(&format!("\nСправка: {program} --help\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    // Named apart from std::process::Command, which tests/test_script.rs
    // looks for to find the programs tests run.
    use clap::{Arg, Command as ClapCommand, value_parser};

    fn cli() -> ClapCommand {
        ClapCommand::new("gostdoc").subcommand(
            ClapCommand::new("build")
                .arg(Arg::new("force").long("force").num_args(0))
                .arg(
                    Arg::new("format")
                        .long("format")
                        .value_parser(["docx", "pdf"]),
                )
                .arg(
                    Arg::new("jobs")
                        .long("jobs")
                        .value_parser(value_parser!(usize)),
                ),
        )
    }

    fn error(args: &[&str]) -> String {
        let e = cli().try_get_matches_from(args).unwrap_err();
        error_message(&e, "gostdoc")
    }

    #[test]
    fn an_unknown_option_is_named_with_what_was_meant() {
        let text = error(&["gostdoc", "build", "--forse"]);
        assert!(
            text.starts_with(
                "ошибка: неизвестный параметр «--forse»\n  подсказка: возможно, имелось в виду «--force»\n"
            ),
            "{text}"
        );
        assert!(text.contains("\nИспользование: gostdoc build "), "{text}");
        assert!(text.ends_with("Справка: gostdoc --help\n"), "{text}");
    }

    #[test]
    fn an_unknown_command_and_a_wrong_value_are_said_in_russian() {
        let text = error(&["gostdoc", "biuld"]);
        assert!(
            text.starts_with("ошибка: неизвестная команда «biuld»\n  подсказка: возможно, имелась в виду команда «build»"),
            "{text}"
        );
        let text = error(&["gostdoc", "build", "--format", "odt"]);
        assert!(
            text.starts_with(
                "ошибка: недопустимое значение «odt» у «--format <format>»\n  подсказка: возможные значения: docx, pdf\n"
            ),
            "{text}"
        );
        let text = error(&["gostdoc", "build", "--jobs", "два"]);
        assert!(
            text.starts_with("ошибка: недопустимое значение «два» у «--jobs <jobs>»: "),
            "{text}"
        );
    }

    #[test]
    fn help_headings_and_flags_are_in_russian() {
        let help = cli()
            .find_subcommand_mut("build")
            .unwrap()
            .render_help()
            .to_string();
        let ru = russian_help(&help);
        assert!(ru.contains("Использование: build [ПАРАМЕТРЫ]"), "{ru}");
        assert!(ru.contains("Параметры:"), "{ru}");
        assert!(ru.contains("Показать справку"), "{ru}");
        assert!(
            !ru.contains("Usage") && !ru.contains("Options") && !ru.contains("Print"),
            "{ru}"
        );
    }
}
