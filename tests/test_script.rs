//! `scripts/test.sh`, the README's test command, installs everything the
//! tests use from outside Rust. Every program a test or the crate starts and
//! every module run as `python3 -m MODULE` must have a `need` line in the
//! script, and so must the files and fonts those programs read (LibreOffice's
//! Russian hyphenation). A tool added to a test without its `need` line fails
//! here, on the machine that happens to have it, instead of on a fresh clone.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Files and fonts that programs the tests run read. No scan of our sources
/// can find them, so they are listed here: (kind, name as in the `need` line,
/// why the tests need it).
const DATA: &[(&str, &str, &str)] = &[
    (
        "file",
        "/usr/lib/libreoffice/program/libwriterfilterlo.so",
        "LibreOffice opens a DOCX with Writer's import filter; `soffice` alone \
         (libreoffice-common, or another LibreOffice program) converts nothing",
    ),
    (
        "file",
        "/usr/share/hyphen/hyph_ru_RU.dic",
        "LibreOffice hyphenates Russian only with it (Debian hyphen-ru); without it \
         tests/pdf.rs pages_and_lines_equal_libreoffices_pdf_of_our_docx sees other line breaks",
    ),
    (
        "font",
        "Liberation Serif",
        "LibreOffice sets the Times New Roman of our DOCX in it; another font breaks lines elsewhere",
    ),
];

/// Something a test runs from outside Rust.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Tool {
    /// A program started by name.
    Program(String),
    /// A module started as `python3 -m MODULE`.
    PythonModule(String),
}

impl Tool {
    /// The `need` kind and name that install it.
    fn need(&self) -> (&'static str, &str) {
        match self {
            Tool::Program(p) => ("cmd", p),
            Tool::PythonModule(m) => ("py", m),
        }
    }
}

/// A tool and where a source starts it.
#[derive(Debug)]
struct Use {
    tool: Tool,
    file: PathBuf,
    line: usize,
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// Byte offsets where `name(` is called as a function (not a method, not
/// the tail of a longer name), each with the offset just after the `(`.
fn calls<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    let pattern = format!("{name}(");
    text.match_indices(&pattern)
        .map(|(at, _)| at)
        .collect::<Vec<_>>()
        .into_iter()
        .filter(move |&at| {
            !text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| is_ident(c) || c == '.')
        })
        .map(move |at| (at, at + pattern.len()))
}

/// The string literal at the start of `rest` (after blanks), if any.
fn literal(rest: &str) -> Option<&str> {
    let rest = rest.trim_start().strip_prefix('"')?;
    rest.find('"').map(|end| &rest[..end])
}

/// The identifier at the start of `rest` (after blanks), if any.
fn ident(rest: &str) -> Option<&str> {
    let rest = rest.trim_start();
    let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// Functions of one source: name, names of parameters, body (up to the next
/// `fn`, which is enough to see what the function passes to what).
fn functions(text: &str) -> Vec<(&str, Vec<&str>, &str)> {
    let starts: Vec<usize> = text
        .match_indices("fn ")
        .map(|(at, _)| at)
        .filter(|&at| !text[..at].chars().next_back().is_some_and(is_ident))
        .collect();
    let mut out = Vec::new();
    for (i, &at) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let item = &text[at + 3..end];
        let Some(name) = ident(item) else { continue };
        let Some(open) = item.find('(') else { continue };
        let Some(close) = item[open..].find(')') else {
            continue;
        };
        let params = item[open + 1..open + close]
            .split(',')
            .filter_map(|p| {
                let p = p.trim_start();
                ident(p.strip_prefix("mut ").unwrap_or(p))
            })
            .collect();
        out.push((name, params, &item[open + close..]));
    }
    out
}

/// Every tool the sources start, and every start whose program the scan
/// cannot read (`Command::new(name)` with `name` computed): those are errors,
/// because a program the check cannot see might be installed nowhere.
fn tools_started(sources: &[(PathBuf, String)]) -> (Vec<Use>, Vec<String>) {
    // A helper that passes its first parameter to `Command::new` (or to
    // another such helper) starts the program its callers name, as
    // `tool("pdftotext")` and `run("qpdf", …)` do.
    let mut runners: BTreeSet<String> = BTreeSet::from(["Command::new".to_owned()]);
    loop {
        let before = runners.len();
        for (_, text) in sources {
            for (name, params, body) in functions(text) {
                let Some(first) = params.first() else {
                    continue;
                };
                let passes_first = runners.iter().any(|runner| {
                    calls(body, runner).any(|(_, arg)| ident(&body[arg..]) == Some(first))
                });
                if passes_first {
                    runners.insert(name.to_owned());
                }
            }
        }
        if runners.len() == before {
            break;
        }
    }
    let mut uses = Vec::new();
    let mut unreadable = Vec::new();
    for (file, text) in sources {
        let params: BTreeSet<&str> = functions(text)
            .into_iter()
            .filter(|(name, ..)| runners.contains(*name))
            .filter_map(|(_, params, _)| params.first().copied())
            .collect();
        for runner in &runners {
            for (at, arg) in calls(text, runner) {
                let rest = &text[arg..];
                let line = line_of(text, at);
                if let Some(program) = literal(rest) {
                    uses.push(Use {
                        tool: Tool::Program(program.to_owned()),
                        file: file.clone(),
                        line,
                    });
                } else if runner == "Command::new"
                    && !rest.trim_start().starts_with("env!(\"CARGO_BIN_EXE_")
                    && !ident(rest).is_some_and(|p| params.contains(p))
                {
                    unreadable.push(format!(
                        "{}:{line}: Command::new({}): name the program in a string literal, \
                         or as the first argument of a helper, so that this check sees it",
                        file.display(),
                        rest.split(')').next().unwrap_or(rest).trim()
                    ));
                }
            }
        }
        for (at, _) in text.match_indices("\"-m\"") {
            // Only as an argument of python3: the statement that started it
            // has not ended.
            let started_python = text[..at]
                .rfind("Command::new(\"python")
                .is_some_and(|start| !text[start..at].contains(';'));
            if !started_python {
                continue;
            }
            let rest = text[at + 4..].trim_start_matches(|c: char| c.is_whitespace() || c == ',');
            if let Some(module) = literal(rest) {
                uses.push(Use {
                    tool: Tool::PythonModule(module.to_owned()),
                    file: file.clone(),
                    line: line_of(text, at),
                });
            }
        }
    }
    (uses, unreadable)
}

/// The `need KIND NAME PACKAGE` lines of scripts/test.sh.
fn needs(script: &str) -> Vec<(String, String, String)> {
    script
        .lines()
        .filter_map(|line| line.trim().strip_prefix("need "))
        .filter_map(|rest| {
            let rest = rest.split(" #").next().unwrap_or(rest);
            let mut words = Vec::new();
            let mut rest = rest.trim();
            while !rest.is_empty() {
                let (word, tail) = match rest.strip_prefix('"') {
                    Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
                    None => rest.split_once(char::is_whitespace).unwrap_or((rest, "")),
                };
                words.push(word.to_owned());
                rest = tail.trim_start();
            }
            match <[String; 3]>::try_from(words) {
                Ok([kind, name, package]) => Some((kind, name, package)),
                Err(_) => None,
            }
        })
        .collect()
}

/// What the sources start or the tools read that the script installs
/// nowhere, one message each.
fn not_installed(sources: &[(PathBuf, String)], script: &str) -> Vec<String> {
    let needs = needs(script);
    let has = |kind: &str, name: &str| needs.iter().any(|(k, n, _)| k == kind && n == name);
    let (uses, mut errors) = tools_started(sources);
    for u in &uses {
        let (kind, name) = u.tool.need();
        if !has(kind, name) {
            errors.push(format!(
                "{}:{} runs `{name}`, which scripts/test.sh installs nowhere: \
                 add `need {kind} {name} PACKAGE` to its requirements()",
                u.file.display(),
                u.line
            ));
        }
    }
    for (kind, name, why) in DATA {
        if !has(kind, name) {
            errors.push(format!(
                "scripts/test.sh does not install {name}: {why}; add `need {kind} {name:?} PACKAGE`"
            ));
        }
    }
    errors
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Our sources that may start programs under `cargo test --all-targets`,
/// relative to the crate. This file is left out: its examples below name
/// programs nobody runs.
fn sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "examples"] {
        rust_files(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .filter(|f| !f.ends_with("tests/test_script.rs"))
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f.strip_prefix(root).unwrap().to_path_buf(), text)
        })
        .collect()
}

fn script() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/test.sh")).unwrap()
}

#[test]
fn scripts_test_sh_installs_every_program_the_tests_run() {
    let errors = not_installed(&sources(), &script());
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_scan_sees_the_tools_the_tests_use_today() {
    // If the scan went blind (a renamed helper, a new calling style), the
    // check above would pass with nothing to check.
    let (uses, _) = tools_started(&sources());
    let seen: BTreeSet<(&str, &str)> = uses.iter().map(|u| u.tool.need()).collect();
    for expected in [
        ("cmd", "soffice"),
        ("cmd", "pdftotext"),
        ("cmd", "pdffonts"),
        ("cmd", "pdfinfo"),
        ("cmd", "qpdf"),
        ("cmd", "python3"),
        ("cmd", "sh"),
        ("py", "openxml_audit"),
    ] {
        assert!(
            seen.contains(&expected),
            "{expected:?} not seen in {seen:?}"
        );
    }
}

#[test]
fn a_tool_without_its_need_line_is_reported_with_where_it_runs() {
    let script = script();
    let without = |line_start: &str| -> String {
        let kept: Vec<&str> = script
            .lines()
            .filter(|l| !l.trim_start().starts_with(line_start))
            .collect();
        assert!(
            kept.len() < script.lines().count(),
            "no line {line_start:?}"
        );
        kept.join("\n")
    };
    let errors = not_installed(&sources(), &without("need cmd qpdf "));
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("tests/pdf.rs:") && e.contains("runs `qpdf`")),
        "{errors:?}"
    );
    let errors = not_installed(&sources(), &without("need file /usr/share/hyphen/"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "scripts/test.sh does not install /usr/share/hyphen/hyph_ru_RU.dic: \
             LibreOffice hyphenates Russian only with it (Debian hyphen-ru)"
        ),
        "{errors:?}"
    );
    let errors = not_installed(&sources(), &without("need py openxml_audit"));
    assert!(
        errors.iter().any(
            |e| e.starts_with("tests/external_tools.rs:") && e.contains("runs `openxml_audit`")
        ),
        "{errors:?}"
    );
}

#[test]
fn the_scan_follows_helpers_and_refuses_programs_it_cannot_read() {
    let source = r#"
fn tool(name: &str) -> Command {
    Command::new(name)
}
fn run(cmd: &str, args: &[&str]) -> String {
    let out = tool(cmd).args(args).output();
}
fn t() {
    run(
        "pdfinfo",
        &[],
    );
    tool("gs").output();
    x.run("not-a-program");
    Command::new(env!("CARGO_BIN_EXE_gostdoc"));
    Command::new("python3").args(["-m", "some_module"]);
    let p = "hidden";
    Command::new(p);
    gostdoc(dir, &["-m", "not_a_module"]);
}
"#;
    let (uses, unreadable) = tools_started(&[(PathBuf::from("t.rs"), source.to_owned())]);
    let mut seen: Vec<(Tool, usize)> = uses.into_iter().map(|u| (u.tool, u.line)).collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (Tool::Program("gs".into()), 13),
            (Tool::Program("pdfinfo".into()), 9),
            (Tool::Program("python3".into()), 16),
            (Tool::PythonModule("some_module".into()), 16),
        ]
    );
    assert_eq!(
        unreadable,
        [
            "t.rs:18: Command::new(p): name the program in a string literal, \
          or as the first argument of a helper, so that this check sees it"
        ]
    );
}

#[test]
fn need_lines_are_read_with_quotes_and_comments() {
    let script = "  need cmd sh dash # a comment\n  need font \"Liberation Serif\" fonts-liberation2\n# need cmd x y\n";
    assert_eq!(
        needs(script),
        [
            ("cmd".into(), "sh".into(), "dash".into()),
            (
                "font".into(),
                "Liberation Serif".into(),
                "fonts-liberation2".into()
            ),
        ]
    );
}

/// Whether a `need` line is satisfied here, as scripts/test.sh checks it.
fn present(kind: &str, name: &str) -> bool {
    let succeeds = |cmd: &mut Command| cmd.output().is_ok_and(|o| o.status.success());
    match kind {
        "cmd" => succeeds(Command::new("sh").args(["-c", "command -v \"$0\"", name])),
        "file" => Path::new(name).is_file(),
        "font" => succeeds(Command::new("fc-list").args(["-q", name])),
        "py" => succeeds(Command::new("python3").args(["-c", &format!("import {name}")])),
        _ => panic!("scripts/test.sh: unknown need kind {kind:?}"),
    }
}

#[test]
fn everything_scripts_test_sh_installs_is_here() {
    // The other tests would fail one by one with a tool's own complaint (or,
    // for the hyphenation dictionary, with lines that differ); this names
    // what is missing and how to get it.
    let missing: Vec<String> = needs(&script())
        .into_iter()
        .filter(|(kind, name, _)| !present(kind, name))
        .map(|(kind, name, package)| format!("{kind} {name} (package {package})"))
        .collect();
    assert!(
        missing.is_empty(),
        "missing: {}; run scripts/test.sh, which installs them",
        missing.join(", ")
    );
}
