//! `gostdoc serve`: the editor in the browser, for secretaries who would
//! rather not open a terminal (issue 13).
//!
//! A small web application on 127.0.0.1 only: the list of the documents
//! in the folder, «Новый документ» from each starter, and an editor for
//! one document's TOML with `check`'s errors and warnings at their lines,
//! the live preview of its pages as the PDF will print them, forms that
//! add people, agenda items and points without typing brackets, and a
//! save that never overwrites a file changed on disk since it was opened.
//! Everything works offline: the page, CodeMirror and the fonts are in the
//! binary.
//!
//! - `documents` names the documents and keeps requests inside the folder;
//! - `routes` answers the browser;
//! - `preview` checks an unsaved text and draws its pages;
//! - `snippets` turns the forms into TOML;
//! - `http` has the shared request and error handling;
//! - `assets` serves the page, its script and the vendored files.

mod assets;
mod documents;
mod http;
mod preview;
mod routes;
mod snippets;

use crate::build::{self, BuildOptions, Format};
use crate::diagnostic::system::reason;
use crate::input::Access;
use crate::template::Templates;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The port used when none is given.
pub const DEFAULT_PORT: u16 = 8470;

/// What `gostdoc serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Folders (or files, standing for their folder) of documents; `data/`
    /// when empty.
    pub paths: Vec<PathBuf>,
    /// The port on 127.0.0.1; 0 takes any free one (tests).
    pub port: u16,
}

/// What every request shares.
pub(crate) struct State {
    pub(crate) folders: Vec<documents::Folder>,
    pub(crate) templates: Templates,
    /// `check`'s options: the formats and fonts it warns about.
    pub(crate) check: BuildOptions,
    pub(crate) access: Access,
    /// One save at a time: the version compared is the one replaced.
    pub(crate) saving: Mutex<()>,
}

/// A running server. Dropping it stops the server.
pub struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// The address it listens on (127.0.0.1 and the port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/`, the address to open in the browser.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Serves until the process is stopped.
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts the server on a thread of its own and returns once it listens.
/// Errors (no such folder, port taken, bad templates) are in Russian.
pub fn start(options: &ServeOptions) -> Result<Server, String> {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from("data")]
    } else {
        options.paths.clone()
    };
    let folders = documents::folders(&paths)?;
    let mut check = BuildOptions::new(folders.iter().map(|f| f.shown.clone()).collect(), "output");
    check.formats = vec![Format::Docx, Format::Pdf];
    let dir = build::templates_dir(&check);
    let templates = Templates::load_for_documents(dir.as_deref()).map_err(|e| e.to_string())?;
    let access = check.access();
    let state = Arc::new(State {
        folders,
        templates,
        check,
        access,
        saving: Mutex::new(()),
    });

    // Only the loopback address: the documents are the user's, and the
    // editor writes files; nobody else on the network may reach it.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "порт {} уже занят (возможно, редактор уже запущен): укажите другой, например --port {}",
                options.port,
                options.port.wrapping_add(1).max(1024)
            )
        } else {
            format!("не удалось открыть порт {}: {}", options.port, reason(&e))
        }
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("не удалось настроить порт: {}", reason(&e)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("не удалось узнать адрес сервера: {}", reason(&e)))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .thread_name("gostdoc-serve")
        .build()
        .map_err(|e| format!("не удалось запустить сервер: {}", reason(&e)))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = routes::router(state);
    let thread = std::thread::Builder::new()
        .name("gostdoc-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    eprintln!("не удалось запустить сервер на {addr}");
                    return;
                };
                let served = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                    })
                    .await;
                if let Err(e) = served {
                    eprintln!("сервер остановился: {}", reason(&e));
                }
            });
        })
        .map_err(|e| format!("не удалось запустить сервер: {}", reason(&e)))?;
    Ok(Server {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// Opens `url` in the user's browser; `false` when no browser could be started.
pub fn open_browser(url: &str) -> bool {
    let (program, args) = OPENER;
    launch(program, args, url)
}

/// The desktop's «open this address» program and its arguments before the
/// address. Only `--open` starts it; no test does, so scripts/test.sh
/// need not install it.
const OPENER: (&str, &[&str]) = if cfg!(target_os = "windows") {
    ("cmd", &["/C", "start", ""])
} else if cfg!(target_os = "macos") {
    ("open", &[])
} else {
    ("xdg-open", &[])
};

fn launch(program: &str, args: &[&str], url: &str) -> bool {
    std::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}
