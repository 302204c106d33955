//! Turns toml/serde errors into Russian diagnostics with a field path and,
//! for a misspelt key, a «возможно, имелось в виду …» suggestion.
//!
//! The toml crate reports syntax errors as «description, expected …»
//! (toml_parser's `ParseError`), datetime errors as «invalid date,
//! expected …», and type errors in serde's words. Every description those
//! crates can produce is translated here; one we do not know still gets a
//! Russian message, with the original in brackets for a bug report. Where
//! the parser's position is not where the user has to look (an unclosed
//! `"""` is noticed at the end of the file), the position is moved.
//!
//! Two checks run on the parsed tree before serde sees it, because serde
//! would blame the wrong thing: control characters in text (which would
//! otherwise surface as an error of the built-in template) and sections
//! of the other document kind (`[act]` in a protocol would report its
//! missing `date`).

use super::kind::{DocKind, Family};
use super::raw::Schema;
use crate::diagnostic::{Diagnostic, is_toml_file};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Translates a toml parse or deserialisation error into a diagnostic.
pub(super) fn from_toml_error<S: Schema>(
    file: &Path,
    source: &str,
    err: &toml::de::Error,
) -> Diagnostic {
    let raw = err.message().trim().to_owned();
    let ctx = Ctx {
        source,
        span: err.span(),
        // Quote the file back to the user only when it is a TOML input:
        // a profile path that names some other file must not leak it.
        echo: is_toml_file(file),
    };
    let mut field = field_path(err);
    let ru = translate::<S>(&raw, &ctx);
    if let Some(f) = ru.field {
        field = f;
    }
    let span = ru.at.or(ctx.span);
    if field.is_empty()
        && let Some(span) = &span
    {
        field = field_at(source, span.start);
    }
    let mut d = Diagnostic::error(file, ru.message).with_field(field);
    if let Some(span) = span {
        d.set_span(source, span);
    }
    if let Some(hint) = ru.hint {
        d = d.with_hint(hint);
    }
    d
}

/// A raw control character anywhere in the file (a NUL byte, a BEL): TOML
/// forbids them, and the parser would call it an unclosed string. Tab, line
/// feed and carriage return are line structure, not content; C1 characters
/// are valid TOML and are found in text by [`check_tree`].
pub(super) fn raw_control_char(file: &Path, source: &str) -> Option<Diagnostic> {
    // A byte scan: ASCII bytes never occur inside a multi-byte character,
    // so the byte found is the character, at a character boundary. A
    // char-by-char scan was 2 % of a `check`.
    let control = |b: u8| (b < b' ' || b == 0x7f) && !matches!(b, b'\t' | b'\n' | b'\r');
    // Blocks first, each tested without an early exit, which the compiler
    // turns into vector instructions: nearly every file has none.
    let block = source
        .as_bytes()
        .chunks(64)
        .position(|chunk| chunk.iter().fold(false, |any, &b| any | control(b)))?;
    let at = block * 64
        + source.as_bytes()[block * 64..]
            .iter()
            .position(|&b| control(b))?;
    let c = char::from(source.as_bytes()[at]);
    let d = Diagnostic::at(
        file,
        source,
        at..at + c.len_utf8(),
        format!("недопустимый управляющий символ {}", code(c)),
    )
    .with_field(field_at(source, at))
    .with_hint(
        "удалите его: этот символ не виден в редакторе и не печатается (обычно он попадает в файл при копировании из другой программы)",
    );
    Some(d)
}

/// Checks of the parsed tree that serde would get wrong: sections of the
/// other document kind, and control characters in text (written as escapes
/// such as `\u0007`, or C1 characters, which TOML allows unescaped).
pub(super) fn check_tree<S: Schema>(
    file: &Path,
    source: &str,
    root: &Spanned<DeTable<'_>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let root = root.get_ref();
    let kind = root
        .iter()
        .find(|(k, _)| k.get_ref() == "kind")
        .and_then(|(_, v)| v.get_ref().as_str());
    if let Some(kind) = kind.and_then(DocKind::from_name) {
        let family = kind.info().family;
        for (key, _) in root.iter() {
            let name = key.get_ref().as_ref();
            let Some((_, owners)) = S::KIND_SECTIONS.iter().find(|(s, _)| *s == name) else {
                continue;
            };
            if !owners.contains(&family) {
                out.push(misplaced_section::<S>(file, source, key.span(), name, kind));
            }
        }
    }
    // Only an escape (`\u0007`, `\b`) or a C1 character written as it is
    // can put a control character into a parsed string; most files have
    // neither, and the walk is 3 % of a `check`.
    if may_hide_control_characters(source) {
        for (key, value) in root.iter() {
            walk_strings(file, source, key.get_ref(), value, &mut out);
        }
    }
    out.sort_by_key(|d| d.position);
    out
}

fn misplaced_section<S: Schema>(
    file: &Path,
    source: &str,
    span: Range<usize>,
    name: &str,
    kind: DocKind,
) -> Diagnostic {
    let header = if S::is_table_array(name) {
        format!("[[{name}]]")
    } else {
        format!("[{name}]")
    };
    let info = kind.info();
    let place = info.prepositional;
    let instead = match (info.family, name) {
        (Family::Protocol, "act") => {
            "в протоколе дата, номер, время и место заседания пишутся в разделе [meeting]".to_owned()
        }
        (Family::Protocol, "point") => "в протоколе решения пишутся в разделах [[decision]]".into(),
        (Family::Protocol, "appendix") => {
            "приложения с таблицами бывают у постановлений, распоряжений, приказов и решений".into()
        }
        (Family::Act, "meeting") => {
            format!("в {place} дата, номер и заголовок пишутся в разделе [act]")
        }
        (Family::Act, "decision") => format!("в {place} пункты пишутся в разделах [[point]]"),
        (Family::Act, "basis") => format!(
            "в {place} гриф приложения составляется из раздела [act]; [basis] нужен только утверждаемому документу (kind = \"plan\")"
        ),
        (Family::Approved, "signature" | "agreed") => "утверждаемый документ подписывают и согласуют на его странице: подпись — [[appendix.body]] с signature = { position = …, person = … }, «СОГЛАСОВАНО» — [[appendix.agreed]]".into(),
        (Family::Protocol, "agreed") => "у протокола нет грифа «СОГЛАСОВАНО»; подписи пишутся в [[signature]]".into(),
        (Family::Approved, "act" | "point") => "утверждаемый документ (план, положение) пишется разделами [[appendix]]; акт, которым он утверждён, — в разделе [basis]".into(),
        _ => format!("такого раздела у вида «{}» нет", info.nominative),
    };
    // The kinds that do have this section, for «если это …».
    let owner = S::KIND_SECTIONS
        .iter()
        .find(|(s, _)| *s == name)
        .and_then(|(_, families)| {
            super::kind::KINDS
                .iter()
                .find(|k| families.contains(&k.family))
        });
    let span = header_span(source, span.start).unwrap_or(span);
    let d = Diagnostic::at(
        file,
        source,
        span,
        format!(
            "раздел {header} не относится к документу вида «{}»",
            info.nominative
        ),
    )
    .with_field(name);
    match owner {
        Some(o) => d.with_hint(format!(
            "{instead}; если это {}, напишите в начале файла kind = \"{}\"",
            o.nominative, o.key
        )),
        None => d.with_hint(instead),
    }
}

/// True when the source has a backslash or a C1 control character
/// (U+0080–U+009F, `C2 80`–`C2 9F` in UTF-8).
pub(super) fn may_hide_control_characters(source: &str) -> bool {
    // memchr's vector search: a pair of bytes at a time was 2 % of a
    // `check`. `C2` starts «», § and the no-break space too, a few times
    // a file, so each one found is looked at.
    let bytes = source.as_bytes();
    memchr::memchr(b'\\', bytes).is_some()
        || memchr::memchr_iter(0xc2, bytes)
            .any(|i| bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b)))
}

fn walk_strings(
    file: &Path,
    source: &str,
    path: &str,
    value: &Spanned<DeValue<'_>>,
    out: &mut Vec<Diagnostic>,
) {
    match value.get_ref() {
        DeValue::String(s) => {
            if has_control(s)
                && let Some(c) = s
                    .chars()
                    .find(|&c| is_control(c) && !matches!(c, '\t' | '\n'))
            {
                out.push(control_in_text(file, source, path, value.span(), c));
            }
        }
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_strings(file, source, &format!("{path}[{i}]"), item, out);
            }
        }
        DeValue::Table(table) => {
            for (key, item) in table.iter() {
                walk_strings(
                    file,
                    source,
                    &format!("{path}.{}", key.get_ref()),
                    item,
                    out,
                );
            }
        }
        _ => {}
    }
}

/// A control character inside a string value, pointed at where it is
/// written: the escape (`\u0007`, `\b`) or the character itself.
fn control_in_text(
    file: &Path,
    source: &str,
    path: &str,
    span: Range<usize>,
    c: char,
) -> Diagnostic {
    let literal = source.get(span.clone()).unwrap_or_default();
    let (at, hint) = match find_control(literal) {
        Some((i, len, true)) => (
            span.start + i..span.start + i + len,
            format!(
                "уберите из текста последовательность «{}»: этот символ не печатается",
                &literal[i..i + len]
            ),
        ),
        Some((i, len, false)) => (
            span.start + i..span.start + i + len,
            "удалите его: этот символ не виден в редакторе и не печатается (обычно он попадает в текст при копировании из другой программы)".to_owned(),
        ),
        None => (span, "удалите этот символ из текста".to_owned()),
    };
    Diagnostic::at(
        file,
        source,
        at,
        format!("недопустимый управляющий символ {} в тексте", code(c)),
    )
    .with_field(path)
    .with_hint(hint)
}

/// Offset, length and «is an escape» of the first control character in a
/// string literal as written (quotes included).
fn find_control(literal: &str) -> Option<(usize, usize, bool)> {
    let basic = literal.starts_with('"');
    let bytes = literal.as_bytes();
    let mut i = 0;
    while i < literal.len() {
        let c = literal[i..].chars().next()?;
        if basic && c == '\\' {
            let next = literal[i + 1..].chars().next();
            let (decoded, len) = match next {
                Some('b') => (Some('\u{8}'), 2),
                Some('e') => (Some('\u{1b}'), 2),
                Some('f') => (Some('\u{c}'), 2),
                Some('r') => (Some('\r'), 2),
                Some(k @ ('x' | 'u' | 'U')) => {
                    let digits = match k {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex = literal.get(i + 2..i + 2 + digits).unwrap_or("");
                    let ch = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
                    (ch, 2 + digits)
                }
                Some(other) => (None, 1 + other.len_utf8()),
                None => (None, 1),
            };
            if decoded.is_some_and(|d| is_control(d) && !matches!(d, '\t' | '\n')) {
                return Some((i, len.min(bytes.len() - i), true));
            }
            i += len;
            continue;
        }
        if is_control(c)
            && !matches!(c, '\t' | '\n')
            && !(c == '\r' && literal[i + 1..].starts_with('\n'))
        {
            return Some((i, c.len_utf8(), false));
        }
        i += c.len_utf8();
    }
    None
}

/// A quick byte test for [`is_control`] other than tab and line feed: C0
/// and DEL are single bytes, C1 is `C2 80`–`C2 9F` in UTF-8.
fn has_control(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &x)| {
        (x < b' ' && x != b'\t' && x != b'\n')
            || x == 0x7f
            || (x == 0xc2 && b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })
}

/// C0 and C1 control characters and DEL: nothing a document can print.
fn is_control(c: char) -> bool {
    c.is_control()
}

/// «U+0007».
fn code(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// The dotted key path serde reported («meeting.date»). toml only prints
/// it when it has no input to quote, so ask for exactly that.
fn field_path(err: &toml::de::Error) -> String {
    let mut bare = err.clone();
    bare.set_input(None);
    let text = bare.to_string();
    text.lines()
        .rev()
        .find_map(|l| l.strip_prefix("in `").and_then(|l| l.strip_suffix('`')))
        .unwrap_or_default()
        .to_owned()
}

/// The dotted key at a byte offset, read from the text itself: the key
/// of that line under the nearest `[table]` header above it, or the
/// header itself. Used for syntax errors, where serde has no field to
/// report.
fn field_at(source: &str, offset: usize) -> String {
    let offset = floor_boundary(source, offset);
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = source[line_start..].lines().next().unwrap_or_default();
    if let Some(header) = Header::parse(line) {
        return header.path;
    }
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim())
        .filter(|k| is_bare_key(k))
        .unwrap_or_default();
    let table = before[..line_start]
        .lines()
        .rev()
        .find_map(Header::parse)
        .map(|h| h.path)
        .unwrap_or_default();
    match (table.as_str(), key) {
        (_, "") => String::new(),
        ("", k) => k.to_owned(),
        (t, k) => format!("{t}.{k}"),
    }
}

fn is_bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
}

fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The opening bracket of the header on the line of `offset`, if that
/// line is a header: messages about a section point at its start, not at
/// the name inside the brackets.
fn header_span(source: &str, offset: usize) -> Option<Range<usize>> {
    let at = floor_boundary(source, offset);
    let start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = source[start..].lines().next().unwrap_or_default();
    Header::parse(line)?;
    let i = start + line.find('[')?;
    Some(i..i + 1)
}

/// A `[table]` or `[[array]]` header line.
struct Header {
    double: bool,
    path: String,
}

impl Header {
    fn parse(line: &str) -> Option<Header> {
        let t = line.trim();
        let t = t.split_once('#').map_or(t, |(h, _)| h).trim();
        let (double, inner) = if let Some(i) = t.strip_prefix("[[") {
            (true, i.strip_suffix("]]")?)
        } else {
            (false, t.strip_prefix('[')?.strip_suffix(']')?)
        };
        let path: Vec<&str> = inner
            .split('.')
            .map(|s| s.trim().trim_matches(['"', '\'']))
            .collect();
        if path.iter().any(|s| s.is_empty()) {
            return None;
        }
        Some(Header {
            double,
            path: path.join("."),
        })
    }
}

/// Where the message is and what it says.
struct Ctx<'a> {
    source: &'a str,
    span: Option<Range<usize>>,
    echo: bool,
}

impl Ctx<'_> {
    /// The text under the error's span, when it may be quoted.
    fn text(&self) -> &str {
        match (&self.span, self.echo) {
            (Some(s), true) => self.source.get(s.clone()).unwrap_or_default().trim(),
            _ => "",
        }
    }

    /// The whole line the error is on (never quoted back unless `echo`).
    fn line(&self) -> &str {
        let Some(span) = &self.span else { return "" };
        let at = floor_boundary(self.source, span.start);
        let start = self.source[..at].rfind('\n').map_or(0, |i| i + 1);
        self.source[start..].lines().next().unwrap_or_default()
    }

    /// The key of the error's line, when it may be quoted.
    fn key(&self) -> String {
        if !self.echo {
            return String::new();
        }
        self.line()
            .split_once('=')
            .map(|(k, _)| k.trim())
            .filter(|k| is_bare_key(k))
            .unwrap_or_default()
            .to_owned()
    }
}

/// A translated message.
struct Ru {
    message: String,
    hint: Option<String>,
    /// A better position than the parser's.
    at: Option<Range<usize>>,
    /// A better field than serde's.
    field: Option<String>,
}

impl Ru {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Ru {
        let hint = hint.into();
        Ru {
            message: message.into(),
            hint: (!hint.is_empty()).then_some(hint),
            at: None,
            field: None,
        }
    }

    fn at(mut self, at: Range<usize>) -> Ru {
        self.at = Some(at);
        self
    }

    fn field(mut self, field: impl Into<String>) -> Ru {
        self.field = Some(field.into());
        self
    }
}

const QUOTES_HINT: &str =
    "текст пишется в кавычках: \"…\", длинный, в несколько строк, — в тройных: \"\"\"…\"\"\"";
const NUMBER_HINT: &str = "число пишется цифрами без пробелов и ведущих нулей: 7, 12, 2.5; номер вроде «07» или «12-р» пишется в кавычках: \"07\"";
const KEY_HINT: &str = "имя поля пишется латинскими буквами, цифрами, «_» и «-», как в описании формата: title = \"…\"";

/// Russian message and hint for a toml or serde message.
fn translate<S: Schema>(raw: &str, c: &Ctx) -> Ru {
    // An error on a header that has the wrong brackets for the schema
    // (`[agenda]`, `[[meeting]]`): serde says «expected a sequence» or
    // fills the table's fields from a list; the brackets are the mistake.
    if raw != "duplicate key"
        && let Some(h) = Header::parse(c.line())
    {
        if !h.double && S::is_table_array(&h.path) {
            return bracket_message(&h.path, true).field(h.path);
        }
        if h.double && S::is_table(&h.path) {
            return bracket_message(&h.path, false).field(h.path);
        }
    }
    if let Some(ru) = serde_message(raw, c) {
        return ru;
    }
    let (desc, expected) = match raw.split_once(", expected ") {
        Some((d, e)) => (d, e),
        None => (raw, ""),
    };
    if let Some(ru) = syntax_message::<S>(desc, expected, c) {
        return ru;
    }
    Ru::new(
        "ошибка в записи TOML",
        format!(
            "проверьте кавычки, знак «=» и скобки в этой строке (сообщение разборщика: {})",
            raw.replace('\n', "; ")
        ),
    )
}

/// Messages of the parser (toml_parser), of toml's document checks, and
/// of toml_datetime.
fn syntax_message<S: Schema>(desc: &str, expected: &str, c: &Ctx) -> Option<Ru> {
    let key = c.key();
    let ru = match desc {
        "unclosed array table" => Ru::new(
            "заголовок раздела не закрыт: нет «]]»",
            "раздел-список пишется в двойных квадратных скобках: [[decision]]",
        ),
        "unclosed table" => Ru::new(
            "заголовок раздела не закрыт: нет «]»",
            "раздел пишется в квадратных скобках: [meeting]",
        ),
        "invalid key" | "invalid table" | "invalid unquoted key" => {
            Ru::new("недопустимое имя поля", KEY_HINT)
        }
        "unquoted keys cannot be empty" => Ru::new(
            "нет имени поля перед «=»",
            "пишите так: имя = значение, например title = \"…\"",
        ),
        "key with no value" | "missing value for key" | "invalid key-value pair" => Ru::new(
            "после имени поля нет знака «=» и значения",
            "пишите так: имя = значение, например title = \"…\"; текст без имени поля TOML не понимает — возможно, это продолжение текста и его нужно взять в тройные кавычки \"\"\"…\"\"\"",
        ),
        "missing value" | "string values must be quoted" if c.text().is_empty() => {
            let example = if key.is_empty() {
                "title".to_owned()
            } else {
                key
            };
            Ru::new(
                "после = нет значения: напишите значение в кавычках",
                format!(
                    "например: {example} = \"…\"; дата и число пишутся без кавычек: date = 2021-06-24"
                ),
            )
        }
        "missing value" => Ru::new("нет значения", "напишите значение после «=»"),
        "string values must be quoted" => {
            let text = c.text();
            let example = if key.is_empty() {
                "title".to_owned()
            } else {
                key
            };
            // Word turns " into “ ” as one types: those are the straight
            // quotes TOML wants, not quotes to print.
            if let Some(inner) = curly_quoted(text) {
                return Some(Ru::new(
                    "текст взят в типографские кавычки “…”, а нужны прямые \"…\"",
                    format!(
                        "пишите так: {example} = \"{inner}\" (Word заменяет прямые кавычки; в Блокноте они остаются прямыми)"
                    ),
                ));
            }
            Ru::new(
                "текст нужно взять в кавычки",
                if text.is_empty() || text.contains('"') {
                    format!("пишите так: {example} = \"…\"")
                } else {
                    format!("пишите так: {example} = \"{text}\"")
                },
            )
        }
        "extra `=`" => Ru::new(
            "лишний знак «=»",
            "между именем и значением ставится один «=»",
        ),
        "missing inline table opening" => Ru::new(
            "не хватает открывающей скобки «{»",
            "таблица в строке пишется в фигурных скобках: { name = \"…\", position = \"…\" }",
        ),
        "missing array opening" | "missing table open" => Ru::new(
            "не хватает открывающей скобки «[»",
            "список пишется в квадратных скобках: [\"…\", \"…\"]",
        ),
        "extra comma in array" => Ru::new(
            "лишняя запятая в списке",
            "между элементами списка ставится одна запятая: [\"…\", \"…\"]",
        ),
        "unexpected `=` in array" => Ru::new(
            "знак «=» внутри списка [ … ]",
            "в списке пишутся значения через запятую; поля с «=» пишутся в фигурных скобках: [{ name = \"…\" }]",
        ),
        "missing comma between array elements" => Ru::new(
            "между элементами списка нет запятой, или список не закрыт скобкой «]»",
            "элементы списка разделяются запятыми, список закрывается «]»: [\"…\", \"…\"]",
        ),
        "unclosed array" => Ru::new(
            "список не закрыт: нет «]»",
            "закройте список квадратной скобкой: [\"…\", \"…\"]",
        ),
        "extra comma in inline table" => Ru::new(
            "лишняя запятая в таблице { … }",
            "между полями ставится одна запятая, после последнего — ни одной",
        ),
        "extra assignment between key-value pairs" => Ru::new(
            "лишний знак «=» в таблице { … }",
            "пишите так: { name = \"…\", position = \"…\" }",
        ),
        "missing key for inline table element" | "invalid inline table element" => Ru::new(
            "в таблице { … } нет имени поля",
            "пишите так: { name = \"…\", position = \"…\" }",
        ),
        "missing assignment between key-value pairs" => Ru::new(
            "между именем поля и значением нет знака «=»",
            "пишите так: { name = \"…\", position = \"…\" }",
        ),
        "missing comma between key-value pairs" => Ru::new(
            "между полями таблицы { … } нет запятой, или таблица не закрыта скобкой «}»",
            "пишите так: { name = \"…\", position = \"…\" } — в одну строку",
        ),
        "unclosed inline table" => Ru::new(
            "таблица { … } не закрыта: нет «}»",
            "закройте таблицу фигурной скобкой: { name = \"…\" }",
        ),
        "unexpected key or value" => Ru::new(
            "после значения в строке ещё что-то написано",
            "на строке пишется одно поле: имя = значение; если внутри текста есть кавычки, пишите «ёлочки» или \\\" — иначе кавычка закрывает текст",
        ),
        "unexpected content between comment and newline" | "unexpected content" => Ru::new(
            "непонятный текст в этом месте",
            "проверьте кавычки, знак «=» и скобки в этой строке",
        ),
        "cannot recurse further; max recursion depth met" | "recursion limit" => Ru::new(
            "слишком глубокая вложенность скобок",
            "таблицы и списки вкладываются друг в друга не глубже нескольких уровней",
        ),
        "keys cannot be multi-line literal strings" | "keys cannot be multi-line basic strings" => {
            Ru::new("имя поля не может быть в тройных кавычках", KEY_HINT)
        }
        "redundant numeric sign" | "unexpected sign" => {
            Ru::new("лишний знак «+» или «-» у числа", NUMBER_HINT)
        }
        "integers with a radix cannot be signed"
        | "radix must be lowercase"
        | "redundant integer number prefix"
        | "invalid hexadecimal number"
        | "invalid octal number"
        | "invalid binary number"
        | "invalid integer number"
        | "invalid float"
        | "invalid mantissa"
        | "invalid fraction"
        | "invalid exponent"
        | "`_` may only go between digits" => match dotted_date(c.line()) {
            // 24.06.2021, the way dates are written by hand, reads to TOML
            // as a number with two points: the commonest slip of all.
            Some(iso) => Ru::new(
                "дата записана через точки",
                format!("дата пишется так: {iso} — год, месяц и день через дефис, без кавычек"),
            ),
            None => Ru::new("число записано с ошибкой", NUMBER_HINT),
        },
        "unexpected leading zero" => Ru::new(
            "число не может начинаться с нуля",
            "пишите число без ведущего нуля (7), а номер вроде «07» — в кавычках: \"07\"",
        ),
        "invalid boolean" => Ru::new(
            "логическое значение записано с ошибкой",
            "пишите true (да) или false (нет), строчными буквами и без кавычек",
        ),
        "missing opening quote" => Ru::new("нет открывающей кавычки", QUOTES_HINT),
        "invalid string" => Ru::new("текст записан с ошибкой", QUOTES_HINT),
        "missing comment start" | "invalid comment character" => Ru::new(
            "недопустимый символ в комментарии",
            "комментарий начинается с «#» и идёт до конца строки",
        ),
        "carriage return must be followed by newline" => Ru::new(
            "одиночный символ возврата каретки внутри строки",
            "сохраните файл с обычными концами строк (в Блокноте: «Сохранить как», Windows или Unix)",
        ),
        "missing escaped value" => Ru::new(
            "после обратной косой черты «\\» нет допустимого знака",
            "в тексте в кавычках «\\» начинает особую последовательность (\\n, \\t, \\\"); саму черту пишите дважды — «\\\\», или возьмите текст в одинарные кавычки: 'C:\\Документы'",
        ),
        "too few unicode value digits" => Ru::new(
            "после «\\u» нужны четыре шестнадцатеричные цифры кода символа",
            "«\\u» начинает код символа (\\u00AB — «); саму черту пишите дважды — «\\\\», или возьмите текст в одинарные кавычки: 'C:\\users'",
        ),
        "invalid value" => Ru::new(
            "такого кода символа нет в Юникоде",
            "проверьте цифры после «\\u» или напишите сам символ",
        ),
        "could not allocate for string" => Ru::new(
            "не хватает памяти, чтобы прочитать текст",
            "разделите файл на несколько",
        ),
        "invalid basic string"
        | "invalid literal string"
        | "invalid multi-line basic string"
        | "invalid multi-line literal string" => string_error(desc, expected, c),
        "duplicate key" => duplicate_key::<S>(c),
        d if d.starts_with("cannot extend value of type") => {
            let name = if c.echo { c.text() } else { "" };
            if name.is_empty() {
                Ru::new(
                    "поле уже задано значением, к нему нельзя добавить поля через точку",
                    "оставьте одно: поле = … или поле.имя = …",
                )
            } else {
                Ru::new(
                    format!(
                        "поле «{name}» уже задано значением, к нему нельзя добавить поля через точку"
                    ),
                    format!("оставьте одно: {name} = … или {name}.имя = …"),
                )
            }
        }
        d if d.starts_with("invalid date")
            || d.starts_with("invalid time")
            || d.starts_with("invalid offset")
            || d.starts_with("invalid datetime") =>
        {
            datetime_error(d, expected)
        }
        _ => return None,
    };
    Some(ru)
}

/// An unclosed string: a single-line one is reported on its own line;
/// an unclosed `"""` would be reported at the end of the file, so point
/// at where it opens.
/// The text between the typographic quotes Word puts for straight ones
/// (“…”, „…“, ‘…’), when `text` is so quoted and holds no straight quote.
fn curly_quoted(text: &str) -> Option<&str> {
    let inner = text
        .strip_prefix(['“', '„', '‘', '”'])?
        .strip_suffix(['”', '“', '’'])?;
    (!inner.contains('"') && !inner.is_empty()).then_some(inner)
}

/// A date written with points in `line` (24.06.2021, 1.9.2021,
/// 2021.09.01), as TOML's date (2021-06-24); `None` when there is none.
fn dotted_date(line: &str) -> Option<String> {
    let value = line.split_once('=').map_or(line, |(_, v)| v);
    value
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find_map(|word| {
            let parts: Vec<&str> = word.split('.').collect();
            let [a, b, c] = parts[..] else { return None };
            let number = |p: &str, digits: std::ops::RangeInclusive<usize>| {
                (digits.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.parse::<u32>().ok())
                    .flatten()
            };
            let (year, month, day) = match (number(a, 4..=4), number(c, 4..=4)) {
                (None, Some(year)) => (year, number(b, 1..=2)?, number(a, 1..=2)?),
                (Some(year), None) => (year, number(b, 1..=2)?, number(c, 1..=2)?),
                _ => return None,
            };
            Some(format!("{year:04}-{month:02}-{day:02}"))
        })
}

fn string_error(desc: &str, expected: &str, c: &Ctx) -> Ru {
    let unclosed = expected.contains("`\"`") || expected.contains("`'`");
    if desc.starts_with("invalid multi-line") && unclosed {
        let quote = if desc.contains("literal") {
            "'''"
        } else {
            "\"\"\""
        };
        let ru = Ru::new(
            format!("многострочный текст, начатый {quote}, не закрыт"),
            format!("закройте его такими же тремя кавычками {quote} в конце текста"),
        );
        return match unclosed_multiline(c.source) {
            Some(at) => ru.at(at..at + 3),
            None => ru,
        };
    }
    if unclosed {
        return Ru::new(
            "текст не закрыт: нет закрывающей кавычки в конце строки",
            QUOTES_HINT,
        );
    }
    Ru::new("текст записан с ошибкой", QUOTES_HINT)
}

/// The offset of a `"""` or `'''` that is never closed, found by a small
/// scanner that knows comments, strings and escapes.
fn unclosed_multiline(source: &str) -> Option<usize> {
    let b = source.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let triple = b[i..].starts_with(&[q, q, q]);
                let start = i;
                if triple {
                    i += 3;
                    loop {
                        if i >= b.len() {
                            return Some(start);
                        }
                        if q == b'"' && b[i] == b'\\' {
                            i += 2;
                        } else if b[i..].starts_with(&[q, q, q]) {
                            i += 3;
                            // Up to two more quotes belong to the text.
                            while i < b.len() && b[i] == q {
                                i += 1;
                            }
                            break;
                        } else {
                            i += 1;
                        }
                    }
                } else {
                    i += 1;
                    while i < b.len() && b[i] != q && b[i] != b'\n' {
                        if q == b'"' && b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// A key or table written twice, with its name; a `[a.b]` header for a
/// list of tables is the single-bracket mistake, not a repetition.
fn duplicate_key<S: Schema>(c: &Ctx) -> Ru {
    let name = if c.echo {
        c.text().trim_matches(['"', '\'']).to_owned()
    } else {
        String::new()
    };
    if let Some(h) = Header::parse(c.line())
        && c.echo
    {
        let path = h.path;
        if let Some(at) = c.span.as_ref().and_then(|s| header_span(c.source, s.start)) {
            return duplicate_header::<S>(path, h.double).at(at);
        }
        return duplicate_header::<S>(path, h.double);
    }
    if name.is_empty() {
        return Ru::new("поле записано дважды", "оставьте одно из них");
    }
    Ru::new(
        format!("поле «{name}» записано дважды"),
        "оставьте одно из них",
    )
}

/// A header that defines its table again.
fn duplicate_header<S: Schema>(path: String, double: bool) -> Ru {
    if !double && S::is_table_array(&path) {
        return bracket_message(&path, true).field(path);
    }
    if double {
        return Ru::new(
            format!("раздел [[{path}]] уже задан иначе выше"),
            format!("проверьте, что «{path}» везде пишется в двойных скобках [[{path}]]"),
        )
        .field(path);
    }
    Ru::new(
        format!("раздел [{path}] записан дважды"),
        format!("объедините поля в один раздел [{path}]"),
    )
    .field(path)
}

/// `[decision.point]` where `[[decision.point]]` is meant, or the inverse.
fn bracket_message(path: &str, want_double: bool) -> Ru {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    if want_double {
        let what = if path.contains('.') {
            "вложенная таблица"
        } else {
            "раздел"
        };
        Ru::new(
            format!("{what} пишется [[{path}]]"),
            format!(
                "«{leaf}» — список записей: каждая начинается заголовком в двойных квадратных скобках [[{path}]], даже если запись одна"
            ),
        )
    } else {
        Ru::new(
            format!("раздел пишется [{path}]"),
            format!(
                "«{leaf}» бывает один: его заголовок пишется в одинарных квадратных скобках [{path}]"
            ),
        )
    }
}

fn datetime_error(desc: &str, expected: &str) -> Ru {
    let what = desc.strip_prefix("invalid ").unwrap_or(desc);
    let detail = russian_datetime_expected(expected);
    let (message, hint) = match what {
        "date" => ("такой даты не бывает", "дата пишется так: 2021-06-24"),
        "time" => (
            "такого времени не бывает",
            "время пишется в кавычках: time = \"14:30\"",
        ),
        "offset" => (
            "часовой пояс в дате записан с ошибкой",
            "дата пишется без времени и пояса: 2021-06-24",
        ),
        _ => (
            "дата или время записаны с ошибкой",
            "дата пишется так: 2021-06-24",
        ),
    };
    match detail {
        Some(d) => Ru::new(format!("{message}: {d}"), hint),
        None => Ru::new(message, hint),
    }
}

/// toml_datetime's «expected …» parts.
fn russian_datetime_expected(e: &str) -> Option<String> {
    let e = e.trim();
    if e.is_empty() {
        return None;
    }
    if let Some((what, range)) = e.split_once(" between ")
        && range.starts_with(|c: char| c.is_ascii_digit())
    {
        let (from, to) = range.split_once(" and ").unwrap_or((range, ""));
        let what = match what {
            "day" => "число месяца должно",
            "month" => "месяц должен",
            "hour" | "hours" => "часы должны",
            "minute" | "minutes" => "минуты должны",
            "second" => "секунды должны",
            _ => "значение должно",
        };
        return Some(format!("{what} быть от {from} до {to}"));
    }
    let ru = match e {
        "a four-digit year (YYYY)" => "год пишется четырьмя цифрами",
        "a two-digit month (MM)" | "month" => "месяц пишется двумя цифрами",
        "a two-digit day (DD)" | "day" => "число пишется двумя цифрами",
        "`-` (MM-DD)" | "`-` (YYYY-MM) or `:` (HH:MM)" | "year or hour" => {
            "части даты разделяются дефисом: 2021-06-24"
        }
        "`T` between date and time" => "между датой и временем нужна буква T",
        "`:` (HH:MM)"
        | "a two-digit hour (HH)"
        | "a two-digit minute (MM)"
        | "a two-digit second (SS)" => "время пишется так: 14:30",
        _ => "проверьте запись",
    };
    Some(ru.to_owned())
}

/// Messages of serde (through toml's deserializer).
fn serde_message(raw: &str, c: &Ctx) -> Option<Ru> {
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return Some(Ru::new(
            format!("не заполнено обязательное поле «{name}»"),
            format!("добавьте строку `{name} = …` в эту таблицу"),
        ));
    }
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let expected: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .map(|e| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let hint = match suggest(name, &expected) {
            Some(s) => format!("возможно, имелось в виду «{s}»"),
            None if !expected.is_empty() => format!("допустимые поля: {}", expected.join(", ")),
            None => "уберите это поле".to_owned(),
        };
        return Some(Ru::new(format!("неизвестное поле «{name}»"), hint));
    }
    if let Some(rest) = raw.strip_prefix("duplicate field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return Some(Ru::new(
            format!("поле «{name}» записано дважды"),
            "оставьте одно из них",
        ));
    }
    if let Some(rest) = raw.strip_prefix("unknown variant `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let expected: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .map(|e| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        return Some(Ru::new(
            format!("недопустимое значение «{name}»"),
            format!("допустимые значения: {}", expected.join(", ")),
        ));
    }
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return Some(invalid_type(found, expected, c));
    }
    if let Some(rest) = raw.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        if let Some(ru) = number_range(found, expected) {
            return Some(ru);
        }
        return Some(Ru::new(
            format!(
                "недопустимое значение {}, а нужно: {}",
                russian_found(found, c),
                russian_expected(expected)
            ),
            "",
        ));
    }
    if let Some(rest) = raw.strip_prefix("invalid length ") {
        let (n, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return Some(Ru::new(
            format!(
                "неверное число элементов ({n}), а нужно: {}",
                russian_expected(expected)
            ),
            "",
        ));
    }
    let ru = match raw {
        "integer number overflowed" => Ru::new("число слишком большое", NUMBER_HINT),
        "floating-point number overflowed" => Ru::new("число слишком большое", NUMBER_HINT),
        "wanted string or table" => Ru::new("нужна строка в кавычках или таблица { … }", ""),
        "value is missing a span" => Ru::new(
            "внутренняя ошибка разбора: у значения нет места в файле",
            "",
        ),
        "datetime key not found" | "expected empty array" | "expected empty table" => Ru::new(
            "значение записано не так, как нужно",
            "сверьтесь с описанием формата",
        ),
        r if r.starts_with("wanted exactly 1 element")
            || r.starts_with("expected table with exactly 1 entry")
            || r.starts_with("expected table, found")
            || r.starts_with("expected tuple with length")
            || r.starts_with("expected table key")
            || r.starts_with("unexpected keys in table") =>
        {
            Ru::new(
                "значение записано не так, как нужно",
                "сверьтесь с описанием формата",
            )
        }
        _ => return None,
    };
    Some(ru)
}

/// A number that does not fit: negative or too large for a count.
fn number_range(found: &str, expected: &str) -> Option<Ru> {
    let n = found
        .strip_prefix("integer `")?
        .split('`')
        .next()?
        .to_owned();
    if !matches!(
        expected,
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64"
    ) {
        return None;
    }
    if n.starts_with('-') {
        Some(Ru::new(
            format!("число {n} меньше нуля"),
            "здесь нужно целое число от нуля",
        ))
    } else {
        Some(Ru::new(
            format!("число {n} слишком большое"),
            "проверьте, не лишние ли здесь цифры",
        ))
    }
}

fn invalid_type(found: &str, expected: &str, c: &Ctx) -> Ru {
    // Numbers too large for serde's i64 arrive as i128.
    if let Some(n) = found
        .strip_prefix("integer `")
        .and_then(|r| r.strip_suffix("` as i128"))
        && number_like(expected)
    {
        return Ru::new(
            format!("число {n} слишком большое"),
            "проверьте, не лишние ли здесь цифры",
        );
    }
    let found_ru = russian_found(found, c);
    let hint = match (expected, value_kind(c.text())) {
        ("a string", Some(_)) if c.echo => format!("возьмите значение в кавычки: \"{}\"", c.text()),
        ("a string", _) => "текст пишется в кавычках: \"…\"".to_owned(),
        _ => String::new(),
    };
    Ru::new(
        format!(
            "неверный тип значения: {found_ru}, а нужно: {}",
            russian_expected(expected)
        ),
        hint,
    )
}

fn number_like(expected: &str) -> bool {
    matches!(
        expected,
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64"
    )
}

/// What an unquoted value written in the file is, from its text: toml
/// hands a datetime to serde as a map, and serde would call it «map».
fn value_kind(text: &str) -> Option<&'static str> {
    let t = text.trim();
    let first = t.chars().next()?;
    if t == "true" || t == "false" {
        return Some("логическое значение");
    }
    if first.is_ascii_digit() || first == '+' || first == '-' {
        let b = t.as_bytes();
        if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
            return Some("дата");
        }
        if b.len() >= 5 && b[2] == b':' {
            return Some("время");
        }
        return Some("число");
    }
    None
}

fn russian_found(found: &str, c: &Ctx) -> String {
    let found = found.trim();
    if found == "map"
        && let Some(kind) = value_kind(c.text())
    {
        return format!("{kind} {}", c.text());
    }
    if let Some(v) = found.strip_prefix("string ") {
        return format!("строка {v}");
    }
    if let Some(v) = found
        .strip_prefix("integer `")
        .and_then(|r| r.strip_suffix("` as i128"))
    {
        return format!("целое число {v}");
    }
    for (en, ru) in [
        ("integer", "целое число"),
        ("floating point", "дробное число"),
        ("boolean", "логическое значение"),
        ("sequence", "список [ … ]"),
        ("map", "таблица"),
        ("datetime", "дата"),
        ("character", "символ"),
        ("unit value", "пустое значение"),
        ("byte array", "двоичные данные"),
    ] {
        if let Some(v) = found.strip_prefix(en) {
            return format!("{ru}{v}").replace('`', "");
        }
    }
    "значение другого типа".to_owned()
}

fn russian_expected(expected: &str) -> String {
    let e = expected.trim();
    match e {
        "a string" | "a string key" => "строка в кавычках".into(),
        "a boolean" => "true или false".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "целое число от нуля".into(),
        "i8" | "i16" | "i32" | "i64" => "целое число".into(),
        "f32" | "f64" => "число".into(),
        "a sequence" => "список [ … ]".into(),
        "a date"
        | "a TOML datetime"
        | "string containing a datetime"
        | "a valid datetime field" => "дата, например 2021-06-24".into(),
        "a string or an array of strings" => "строка или список строк [\"…\", \"…\"]".into(),
        "a string or a table" => "фамилия в кавычках или таблица { name = \"…\" }".into(),
        "a map" => "таблица".into(),
        _ if e.starts_with("struct") => "таблица".into(),
        _ => "значение другого типа".into(),
    }
}

/// The closest known key, if it is close enough to be a likely typo.
pub(super) fn suggest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::super::raw::RawDocument;
    use super::*;

    fn ctx(source: &str) -> Ctx<'_> {
        Ctx {
            source,
            span: None,
            echo: true,
        }
    }

    fn tr(raw: &str) -> (String, Option<String>) {
        let ru = translate::<RawDocument>(raw, &ctx(""));
        (ru.message, ru.hint)
    }

    #[test]
    fn unknown_field_gets_a_suggestion() {
        let (msg, hint) = tr("unknown field `daet`, expected one of `title`, `date`, `time`");
        assert_eq!(msg, "неизвестное поле «daet»");
        assert_eq!(hint.as_deref(), Some("возможно, имелось в виду «date»"));
    }

    #[test]
    fn wrong_type_is_in_russian() {
        let (msg, _) = tr("invalid type: integer `5`, expected a string");
        assert_eq!(
            msg,
            "неверный тип значения: целое число 5, а нужно: строка в кавычках"
        );
    }

    #[test]
    fn syntax_errors_name_the_key_of_their_line() {
        let src = "kind = 1\n[meeting]\ndate = 2021-02-30\n";
        assert_eq!(field_at(src, src.find("2021").unwrap()), "meeting.date");
        assert_eq!(field_at(src, 3), "kind");
        assert_eq!(field_at(src, src.find("meeting").unwrap()), "meeting");
    }

    #[test]
    fn words_quotes_are_named_and_the_hint_needs_no_second_try() {
        assert_eq!(curly_quoted("“Иванова”"), Some("Иванова"));
        assert_eq!(curly_quoted("„Иванова“"), Some("Иванова"));
        assert_eq!(curly_quoted("«Иванова»"), None);
        assert_eq!(curly_quoted("Иванова"), None);
        let source = "[meeting]\nchair = “Иванова”\n";
        let start = source.find('“').unwrap();
        let c = Ctx {
            source,
            span: Some(start..start + "“Иванова”".len()),
            echo: true,
        };
        let ru =
            translate::<RawDocument>("string values must be quoted, expected literal string", &c);
        assert_eq!(
            ru.message,
            "текст взят в типографские кавычки “…”, а нужны прямые \"…\""
        );
        assert!(
            ru.hint
                .as_deref()
                .unwrap()
                .starts_with("пишите так: chair = \"Иванова\""),
            "{:?}",
            ru.hint
        );
    }

    #[test]
    fn a_date_written_with_points_is_named_a_date_and_shown_as_toml_writes_it() {
        assert_eq!(
            dotted_date("date = 24.06.2021").as_deref(),
            Some("2021-06-24")
        );
        assert_eq!(
            dotted_date("date = 1.9.2021 # срок").as_deref(),
            Some("2021-09-01")
        );
        assert_eq!(
            dotted_date("done = 2021.09.01").as_deref(),
            Some("2021-09-01")
        );
        assert_eq!(
            dotted_date("mark = { done = 15.09.2021 }").as_deref(),
            Some("2021-09-15")
        );
        assert_eq!(dotted_date("width = 12.5.3"), None);
        assert_eq!(dotted_date("width = 1.2"), None);
        let source = "[meeting]\ndate = 24.06.2021\n";
        let c = Ctx {
            source,
            span: source.find("24").map(|i| i..i + 10),
            echo: true,
        };
        let ru = translate::<RawDocument>("invalid float, expected digits", &c);
        assert_eq!(ru.message, "дата записана через точки");
        assert_eq!(
            ru.hint.as_deref(),
            Some("дата пишется так: 2021-06-24 — год, месяц и день через дефис, без кавычек")
        );
    }

    #[test]
    fn missing_field_names_it() {
        let (msg, hint) = tr("missing field `date`");
        assert_eq!(msg, "не заполнено обязательное поле «date»");
        assert!(hint.unwrap().contains("date = "));
    }

    /// Every description toml_parser 1.1, toml 1.2 and toml_datetime 1.1
    /// can produce (read from their sources), as toml formats them.
    const PARSER_MESSAGES: &[&str] = &[
        "unclosed array table, expected `]]`",
        "unclosed table, expected `]`",
        "invalid key, expected key",
        "invalid table, expected key",
        "invalid unquoted key, expected letters, numbers, `-`, `_`",
        "unquoted keys cannot be empty, expected letters, numbers, `-`, `_`",
        "key with no value, expected `=`",
        "missing value for key, expected `=`",
        "missing value, expected value",
        "extra `=`, expected nothing",
        "missing inline table opening, expected `{`",
        "missing array opening, expected `[`",
        "extra comma in array, expected value",
        "unexpected `=` in array, expected value, `]`",
        "missing comma between array elements, expected `,`",
        "unclosed array, expected `]`",
        "extra comma in inline table, expected key",
        "extra assignment between key-value pairs, expected key",
        "missing key for inline table element, expected key",
        "missing assignment between key-value pairs, expected `=`",
        "invalid inline table element, expected key",
        "missing comma between key-value pairs, expected `,`",
        "unclosed inline table, expected `}`",
        "unexpected key or value, expected newline, `#`",
        "unexpected content between comment and newline, expected newline",
        "unexpected content, expected nothing",
        "invalid key-value pair, expected key",
        "missing table open, expected `[`",
        "cannot recurse further; max recursion depth met",
        "recursion limit",
        "keys cannot be multi-line literal strings, expected basic string, literal string",
        "keys cannot be multi-line basic strings, expected basic string, literal string",
        "redundant numeric sign, expected nothing",
        "invalid string",
        "invalid boolean, expected `true`",
        "invalid date-time",
        "invalid float",
        "invalid integer number",
        "invalid hexadecimal number",
        "invalid octal number",
        "invalid binary number",
        "integers with a radix cannot be signed, expected nothing",
        "radix must be lowercase, expected `0x`",
        "redundant integer number prefix, expected nothing",
        "invalid mantissa, expected digits",
        "invalid fraction, expected digits",
        "invalid exponent, expected digits",
        "unexpected leading zero, expected nothing",
        "unexpected sign, expected nothing",
        "missing opening quote, expected basic string",
        "string values must be quoted, expected literal string",
        "missing comment start, expected `#`",
        "invalid comment character, expected printable characters",
        "invalid literal string, expected `'`",
        "invalid multi-line literal string, expected `'`",
        "invalid basic string, expected `\"`",
        "invalid multi-line basic string, expected `\"`",
        "invalid basic string, expected non-double-quote visible characters, `\\`",
        "carriage return must be followed by newline, expected newline",
        "missing escaped value, expected `b`, `e`, `f`, `n`, `r`, `\\`, `\"`, `x`, `u`, `U`",
        "too few unicode value digits, expected unicode hexadecimal value",
        "invalid value, expected unicode hexadecimal value",
        "could not allocate for string",
        "`_` may only go between digits, expected nothing",
        "duplicate key",
        "cannot extend value of type array with a dotted key",
        "cannot extend value of type inline table with a dotted key",
        "cannot extend value of type integer with a dotted key",
        "invalid date, expected day between 01 and 28",
        "invalid date, expected a four-digit year (YYYY)",
        "invalid time, expected hour between 00 and 23",
        "invalid time, expected `:` (HH:MM)",
        "invalid offset, expected `Z`, +OFFSET, -OFFSET",
        "invalid datetime, expected year or hour",
        "invalid date-time, expected `T` between date and time",
        "integer number overflowed",
        "floating-point number overflowed",
        "wanted string or table",
        "wanted exactly 1 element, found 0 elements",
        "expected table with exactly 1 entry, found empty table",
        "expected empty array",
        "expected table, found integer",
        "expected tuple with length 2",
        "unexpected keys in table: x, available keys: y",
        "value is missing a span",
        "datetime key not found",
        "invalid type: boolean `true`, expected a string",
        "invalid type: floating point `1.5`, expected u32",
        "invalid type: sequence, expected a string or a table",
        "invalid type: string \"x\", expected a sequence",
        "invalid type: map, expected a boolean",
        "invalid value: integer `-1`, expected u32",
        "invalid length 3, expected a sequence",
        "unknown variant `x`, expected `a` or `b`",
        "duplicate field `name`",
        "missing field `date`",
        "unknown field `daet`, expected `date`",
    ];

    #[test]
    fn every_parser_message_has_a_russian_text() {
        for raw in PARSER_MESSAGES {
            let (msg, hint) = tr(raw);
            assert!(
                !msg.starts_with("ошибка в записи TOML"),
                "{raw:?} is not translated"
            );
            // Key names the user wrote are quoted «…», examples are in
            // brackets; true and false are TOML's own words.
            let mut plain = String::new();
            let mut depth = 0;
            for ch in msg.chars() {
                match ch {
                    '«' | '[' | '{' => depth += 1,
                    '»' | ']' | '}' => depth -= 1,
                    _ if depth == 0 => plain.push(ch),
                    _ => {}
                }
            }
            let latin: Vec<&str> = plain
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 2 && !matches!(*w, "true" | "false"))
                .collect();
            assert!(latin.is_empty(), "{raw:?} → {msg:?} has English {latin:?}");
            if let Some(h) = hint {
                assert!(h.chars().any(|c| matches!(c, 'а'..='я')), "{raw:?}: {h}");
            }
        }
    }

    #[test]
    fn an_unknown_message_keeps_the_original_in_brackets() {
        let (msg, hint) = tr("something new");
        assert_eq!(msg, "ошибка в записи TOML");
        assert!(
            hint.unwrap()
                .contains("(сообщение разборщика: something new)")
        );
    }

    #[test]
    fn an_unclosed_triple_quote_is_found_where_it_opens() {
        let src = "a = \"x\" # \"\"\"\nb = '''y'''\nc = \"\"\"\nz\n";
        assert_eq!(unclosed_multiline(src), Some(src.find("c = ").unwrap() + 4));
        assert_eq!(unclosed_multiline("a = \"\"\"x\\\"\"\"\"\"\"\n"), None);
    }

    #[test]
    fn control_characters_are_found_as_written() {
        assert_eq!(find_control(r#""a\u0007b""#), Some((2, 6, true)));
        assert_eq!(find_control(r#""a\\u0007b""#), None);
        assert_eq!(find_control("\"a\u{85}\""), Some((2, 2, false)));
        assert_eq!(find_control(r#""tab\tand\nnewline""#), None);
        assert_eq!(find_control(r#""\b""#), Some((1, 2, true)));
    }
}
