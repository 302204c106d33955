//! `gostdoc serve`: the editor's server, in-process on an ephemeral port,
//! spoken to over plain HTTP as a browser would. Each test works on a copy
//! of `data/` in a temporary folder and checks what a secretary would: the
//! list, the errors at their lines, the preview's text, a save on disk, a
//! conflict that writes nothing, and requests that must touch nothing.

mod common;

use gostdoc::serve::{ServeOptions, Server, start};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

const SEED_000: &str = "000_elnya_rabochee_soveshchanie.toml";

/// A copy of `data/` (documents and profiles) in a temporary folder.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&common::root().join("data"), &data);
    (dir, data)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn serve(data: &Path) -> Server {
    start(&ServeOptions {
        paths: vec![data.to_path_buf()],
        port: 0,
    })
    .expect("the server starts")
}

/// An HTTP answer.
struct Answer {
    status: u16,
    body: String,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One request over a fresh connection, as raw HTTP/1.1.
fn request(server: &Server, method: &str, target: &str, body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        server.addr(),
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading a large body and close.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let body = if head.to_lowercase().contains("transfer-encoding: chunked") {
        unchunk(body)
    } else {
        body.to_string()
    };
    Answer { status, body }
}

fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

fn get(server: &Server, target: &str) -> Answer {
    request(server, "GET", target, b"")
}

fn post(server: &Server, target: &str, body: &[u8]) -> Answer {
    request(server, "POST", target, body)
}

/// `doc=` for a name.
fn doc(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    format!("doc={out}")
}

#[test]
fn listens_on_the_loopback_address_only() {
    let (_dir, data) = workspace();
    let server = serve(&data);
    assert!(server.addr().ip().is_loopback(), "{}", server.addr());
    assert!(server.url().starts_with("http://127.0.0.1:"));
}

#[test]
fn the_list_shows_every_document_and_a_new_one_from_each_starter() {
    let (_dir, data) = workspace();
    let server = serve(&data);
    let page = get(&server, "/");
    assert_eq!(page.status, 200);
    for entry in std::fs::read_dir(&data).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            assert!(page.body.contains(&name), "{name} not listed");
        }
    }
    // Profiles are not documents.
    assert!(!page.body.contains("profiles/"), "{}", page.body);
    assert!(page.body.contains("Новый документ"));
    for kind in ["Протокол", "Постановление", "Приказ", "Распоряжение"]
    {
        assert!(page.body.contains(kind), "no starter «{kind}»");
    }

    let created = post(
        &server,
        "/api/new?kind=prikaz&name=%D0%BF%D1%80%D0%B8%D0%BA%D0%B0%D0%B7-7",
        b"",
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let written = std::fs::read_to_string(data.join("приказ-7.toml")).unwrap();
    assert!(written.contains("kind = \"prikaz\""), "{written}");
    assert!(get(&server, "/").body.contains("приказ-7.toml"));
    // The same name again: refused, the file kept.
    let again = post(
        &server,
        "/api/new?kind=protocol&name=%D0%BF%D1%80%D0%B8%D0%BA%D0%B0%D0%B7-7.toml",
        b"",
    );
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.json()["error"].as_str().unwrap().contains("уже есть"));
    assert_eq!(
        std::fs::read_to_string(data.join("приказ-7.toml")).unwrap(),
        written
    );
}

#[test]
fn the_editor_page_and_its_assets_are_served_from_the_binary() {
    let (_dir, data) = workspace();
    let server = serve(&data);
    let page = get(&server, &format!("/edit?{}", doc(SEED_000)));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Сохранить") && page.body.contains("/assets/codemirror.js"));
    for asset in [
        "codemirror.js",
        "codemirror.css",
        "toml.js",
        "editor.js",
        "style.css",
        "codemirror-LICENSE.txt",
        "fonts/LiberationSerif-Regular.ttf",
    ] {
        let answer = get(&server, &format!("/assets/{asset}"));
        assert_eq!(answer.status, 200, "{asset}");
        assert!(!answer.body.is_empty(), "{asset}");
    }
    assert!(
        get(&server, "/assets/codemirror-LICENSE.txt")
            .body
            .contains("MIT")
    );
    assert!(
        !page.body.contains("http://") && !page.body.contains("https://"),
        "a CDN in the page"
    );
    assert_eq!(get(&server, "/assets/../Cargo.toml").status, 404);
}

#[test]
fn check_reports_errors_at_their_line_and_keeps_the_file() {
    let (_dir, data) = workspace();
    let server = serve(&data);
    let path = data.join(SEED_000);
    let original = std::fs::read_to_string(&path).unwrap();
    let loaded = get(&server, &format!("/api/document?{}", doc(SEED_000))).json();
    assert_eq!(loaded["text"].as_str().unwrap(), original);

    // An unknown field on line 3: said there, in Russian, with no pages.
    let mut lines: Vec<&str> = original.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("[meeting]"))
        .unwrap();
    lines.insert(at + 1, "daet = 2021-06-24");
    let broken = lines.join("\n");
    let answer = post(
        &server,
        &format!("/api/check?{}", doc(SEED_000)),
        broken.as_bytes(),
    )
    .json();
    assert_eq!(answer["ok"], false);
    assert!(answer["pages"].is_null());
    let errors: Vec<&serde_json::Value> = answer["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{answer}");
    assert_eq!(errors[0]["line"], at + 2);
    assert_eq!(errors[0]["here"], true);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("неизвестное поле «daet»")
    );

    // Invalid TOML: the line of the syntax error.
    let answer = post(
        &server,
        &format!("/api/check?{}", doc(SEED_000)),
        format!("{original}\n[meeting\n").as_bytes(),
    )
    .json();
    let line = original.lines().count() + 2;
    assert_eq!(answer["diagnostics"][0]["line"], line, "{answer}");

    // Nothing checked was written.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
}

#[test]
fn the_preview_is_the_pdf_layout_with_the_text_as_typed() {
    let (_dir, data) = workspace();
    let server = serve(&data);
    let path = data.join(SEED_000);
    let original = std::fs::read_to_string(&path).unwrap();
    let answer = post(
        &server,
        &format!("/api/check?{}", doc(SEED_000)),
        original.as_bytes(),
    )
    .json();
    assert_eq!(answer["ok"], true, "{answer}");
    let pages = answer["pages"].as_array().unwrap();
    let layout = {
        let document = gostdoc::build::document(&path, &common::templates()).unwrap();
        gostdoc::pdf::layout(&document, &Default::default()).unwrap()
    };
    assert_eq!(pages.len(), layout.pages.len());
    assert!(pages[0].as_str().unwrap().starts_with("<svg"));

    // A word typed into the title appears in the preview, unsaved.
    let edited = original.replacen(
        "Обеспечить поддержку ШНРО",
        "Обеспечить Щегловой поддержку ШНРО",
        1,
    );
    assert_ne!(edited, original);
    let answer = post(
        &server,
        &format!("/api/check?{}", doc(SEED_000)),
        edited.as_bytes(),
    )
    .json();
    let svg: String = answer["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        svg.contains("Щегловой"),
        "the typed word is not in the preview"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
}

#[test]
fn the_svg_pages_hold_every_line_the_pdf_sets() {
    for seed in ["000", "004"] {
        let input = common::seed_input(seed);
        let document = gostdoc::build::document(&input, &common::templates()).unwrap();
        let fonts = gostdoc::pdf::FontSet::liberation();
        let layout = gostdoc::pdf::layout(&document, &Default::default()).unwrap();
        let pages = gostdoc::pdf::svg::pages(&layout, &fonts);
        assert_eq!(pages.len(), layout.pages.len());
        for (page, svg) in layout.pages.iter().zip(&pages) {
            // Runs of one word may be drawn apart (a letter-spaced word and
            // its tight colon): compared without spaces.
            let text: String = svg_text(svg).split_whitespace().collect();
            for line in &page.lines {
                for word in line.text.split_whitespace() {
                    let word = word
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('"', "&quot;");
                    assert!(
                        text.contains(&word),
                        "seed {seed}: «{word}» of «{}» missing",
                        line.text
                    );
                }
            }
        }
    }
}

/// The character data of an SVG (tags dropped).
fn svg_text(svg: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in svg.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn save_writes_the_file_and_refuses_a_stale_version() {
    let (_dir, data) = workspace();
    let server = serve(&data);
    let path = data.join(SEED_000);
    let loaded = get(&server, &format!("/api/document?{}", doc(SEED_000))).json();
    let version = loaded["version"].as_str().unwrap().to_string();
    let text = loaded["text"]
        .as_str()
        .unwrap()
        .replacen("рабочего", "РАБОЧЕГО", 1);

    let saved = post(
        &server,
        &format!("/api/save?{}&version={version}", doc(SEED_000)),
        text.as_bytes(),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let new_version = saved.json()["version"].as_str().unwrap().to_string();
    assert_ne!(new_version, version);
    // No temporary file is left beside it.
    let leftovers: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Someone else changes the file: a save from the old version is refused
    // with 409 and the version on disk, and the file is theirs.
    std::fs::write(&path, "# изменено в Блокноте\n").unwrap();
    let mine = format!("{text}\n# моя правка\n");
    let refused = post(
        &server,
        &format!("/api/save?{}&version={new_version}", doc(SEED_000)),
        mine.as_bytes(),
    );
    assert_eq!(refused.status, 409, "{}", refused.body);
    let answer = refused.json();
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("изменён на диске")
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# изменено в Блокноте\n"
    );
    // Overwriting is a choice: sent with the version on disk, it saves.
    let disk = answer["version"].as_str().unwrap();
    let forced = post(
        &server,
        &format!("/api/save?{}&version={disk}", doc(SEED_000)),
        mine.as_bytes(),
    );
    assert_eq!(forced.status, 200, "{}", forced.body);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), mine);
}

#[test]
fn names_leading_out_of_the_folder_are_refused_and_nothing_is_touched() {
    let (dir, data) = workspace();
    let secret = dir.path().join("секрет.toml");
    std::fs::write(&secret, "пароль = \"12345\"\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, data.join("ссылка.toml")).unwrap();
    let server = serve(&data);
    for (name, status) in [
        ("../секрет.toml", 400),
        ("profiles/../../секрет.toml", 400),
        (secret.to_str().unwrap(), 400),
        ("..%2F..%2Fetc%2Fpasswd", 400),
        #[cfg(unix)]
        ("ссылка.toml", 403),
    ] {
        let query = if name.contains('%') {
            format!("doc={name}")
        } else {
            doc(name)
        };
        for (method, route) in [
            ("GET", "/api/document"),
            ("POST", "/api/check"),
            ("POST", "/api/save"),
            ("GET", "/edit"),
        ] {
            let answer = request(
                &server,
                method,
                &format!("{route}?{query}&version=x"),
                b"x = 1\n",
            );
            assert_eq!(
                answer.status, status,
                "{method} {route} {name}: {}",
                answer.body
            );
            assert!(
                !answer.body.contains("12345"),
                "{name}: the secret was read"
            );
            if route != "/edit" {
                let error = answer.json()["error"].as_str().unwrap().to_string();
                assert!(
                    error.contains("..") || error.contains("путём") || error.contains("за пределы"),
                    "{name}: {error}"
                );
            }
        }
        let created = post(
            &server,
            &format!("/api/new?kind=protocol&name={}", &doc(name)[4..]),
            b"",
        );
        assert!(created.status >= 400, "{name}: {}", created.body);
    }
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "пароль = \"12345\"\n"
    );
    assert!(!dir.path().join("etc").exists());
}

#[test]
fn a_huge_body_is_refused_with_413_and_nothing_is_written() {
    let (_dir, data) = workspace();
    let server = serve(&data);
    let path = data.join(SEED_000);
    let original = std::fs::read(&path).unwrap();
    let loaded = get(&server, &format!("/api/document?{}", doc(SEED_000))).json();
    let version = loaded["version"].as_str().unwrap();
    let huge = vec![b'#'; 3 << 20];
    for route in ["check", "save"] {
        let answer = post(
            &server,
            &format!("/api/{route}?{}&version={version}", doc(SEED_000)),
            &huge,
        );
        assert_eq!(answer.status, 413, "{route}: {}", answer.body);
        assert!(
            answer.json()["error"]
                .as_str()
                .unwrap()
                .contains("слишком велик")
        );
    }
    assert_eq!(std::fs::read(&path).unwrap(), original);
}

#[test]
fn a_body_that_is_not_utf8_is_refused_with_400_and_nothing_is_written() {
    let (_dir, data) = workspace();
    let server = serve(&data);
    let path = data.join(SEED_000);
    let original = std::fs::read(&path).unwrap();
    let loaded = get(&server, &format!("/api/document?{}", doc(SEED_000))).json();
    let version = loaded["version"].as_str().unwrap();
    // «Протокол» in Windows-1251, as Notepad used to save it.
    let cp1251 = b"title = \"\xcf\xf0\xee\xf2\xee\xea\xee\xeb\"\n";
    for route in ["check", "save"] {
        let answer = post(
            &server,
            &format!("/api/{route}?{}&version={version}", doc(SEED_000)),
            cp1251,
        );
        assert_eq!(answer.status, 400, "{route}: {}", answer.body);
        assert!(answer.json()["error"].as_str().unwrap().contains("UTF-8"));
    }
    assert_eq!(std::fs::read(&path).unwrap(), original);
}

#[test]
fn the_decision_point_form_adds_a_point_to_the_last_decision() {
    let (_dir, data) = workspace();
    let server = serve(&data);
    let original = std::fs::read_to_string(data.join(SEED_000)).unwrap();
    let request_body = serde_json::json!({
        "text": original,
        "fields": { "text": "Подготовить «отчёт» к 1 сентября", "deadline": "до 01.09.2021" },
    });
    let answer = post(
        &server,
        "/api/snippet?form=decision_point",
        request_body.to_string().as_bytes(),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let answer = answer.json();
    // Applied as the editor applies it (CodeMirror's replaceRange).
    let line = answer["line"].as_u64().unwrap() as usize;
    let ch = answer["ch"].as_u64().unwrap() as usize;
    let mut lines: Vec<String> = original.split('\n').map(String::from).collect();
    let (head, tail) = {
        let l = &lines[line];
        let at = l.char_indices().nth(ch).map_or(l.len(), |(b, _)| b);
        (l[..at].to_string(), l[at..].to_string())
    };
    lines[line] = format!("{head}{}{tail}", answer["insert"].as_str().unwrap());
    let edited = lines.join("\n");
    let parsed: toml::Table = edited.parse().unwrap();
    let decisions = parsed["decision"].as_array().unwrap();
    let last = decisions.last().unwrap()["point"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    assert_eq!(
        last["text"].as_str().unwrap(),
        "Подготовить «отчёт» к 1 сентября"
    );
    // The document stays valid and the point is printed.
    let checked = post(
        &server,
        &format!("/api/check?{}", doc(SEED_000)),
        edited.as_bytes(),
    )
    .json();
    assert_eq!(checked["ok"], true, "{checked}");
    let svg: String = checked["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        svg.contains("«отчёт»"),
        "the new point is not in the preview"
    );
    // A required field left empty is said by its label.
    let empty = serde_json::json!({ "text": original, "fields": { "text": "  " } });
    let answer = post(
        &server,
        "/api/snippet?form=decision_point",
        empty.to_string().as_bytes(),
    );
    assert_eq!(answer.status, 400);
    assert!(
        answer.json()["error"]
            .as_str()
            .unwrap()
            .contains("«Текст пункта»")
    );
}

#[test]
fn requests_another_site_makes_the_browser_send_are_refused() {
    let (_dir, data) = workspace();
    let server = serve(&data);
    let send = |head: &str| {
        let mut stream = TcpStream::connect(server.addr()).unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        let mut raw = String::new();
        let _ = stream.read_to_string(&mut raw);
        raw
    };
    // DNS rebinding: another site's name resolved to 127.0.0.1.
    let rebound = send(
        "GET /api/document?doc=000_elnya_rabochee_soveshchanie.toml HTTP/1.1\r\nHost: evil.example:8470\r\nConnection: close\r\n\r\n",
    );
    assert!(rebound.starts_with("HTTP/1.1 403"), "{rebound}");
    assert!(!rebound.contains("[meeting]"));
    // A form on another site posting to the editor.
    let posted = send(&format!(
        "POST /api/new?kind=protocol&name=x.toml HTTP/1.1\r\nHost: {}\r\nOrigin: http://evil.example\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.addr()
    ));
    assert!(posted.starts_with("HTTP/1.1 403"), "{posted}");
    assert!(!data.join("x.toml").exists());
    // The editor's own page posting: allowed.
    let own = send(&format!(
        "POST /api/new?kind=protocol&name=x.toml HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.addr()
    ));
    assert!(own.starts_with("HTTP/1.1 201"), "{own}");
    assert!(data.join("x.toml").exists());
}

#[test]
fn a_notepad_file_keeps_its_crlf_and_bom_when_saved() {
    let (_dir, data) = workspace();
    let path = data.join(SEED_000);
    let original = std::fs::read_to_string(&path).unwrap();
    let windows = format!("\u{feff}{}", original.replace('\n', "\r\n"));
    std::fs::write(&path, &windows).unwrap();
    let server = serve(&data);
    let loaded = get(&server, &format!("/api/document?{}", doc(SEED_000))).json();
    // The editor gets the text as it shows it: no mark, LF line ends.
    let text = loaded["text"].as_str().unwrap();
    assert_eq!(text, original);
    let edited = text.replacen("рабочего", "РАБОЧЕГО", 1);
    let version = loaded["version"].as_str().unwrap();
    let saved = post(
        &server,
        &format!("/api/save?{}&version={version}", doc(SEED_000)),
        edited.as_bytes(),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    let expected = format!("\u{feff}{}", edited.replace('\n', "\r\n"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
    // The version returned is the file's: the next save is accepted.
    let again = post(
        &server,
        &format!(
            "/api/save?{}&version={}",
            doc(SEED_000),
            saved.json()["version"].as_str().unwrap()
        ),
        edited.as_bytes(),
    );
    assert_eq!(again.status, 200, "{}", again.body);
}
