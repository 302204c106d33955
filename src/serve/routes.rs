//! The server's answers. Pages are HTML; everything the script asks is
//! JSON, errors included (`{"error": "…"}` in Russian with the status that
//! fits). Rendering runs on the blocking pool, never on the threads that
//! accept connections.

use super::assets::{self, encode_query, escape_html};
use super::documents::{self, Existing};
use super::http::{ApiError, Query, body_text, json};
use super::{State, preview, snippets};
use crate::build;
use crate::diagnostic::system::reason;
use crate::model::DocKind;
use axum::Router;
use axum::body::Body;
use axum::extract::State as Shared;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The state every handler gets.
type AppState = Shared<Arc<State>>;

/// Every route of the application.
pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/edit", get(editor))
        .route("/assets/{*file}", get(asset))
        .route("/api/document", get(document))
        .route("/api/check", post(check))
        .route("/api/save", post(save))
        .route("/api/new", post(new_document))
        .route("/api/snippet", post(snippet))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(only_this_computer))
        .with_state(state)
}

/// Refuses what another web site could make the user's browser send: a
/// request for another host name (a DNS rebinding attack names its own
/// site, which it made resolve to 127.0.0.1), and a POST from a page of
/// another origin (a form or script on any site can post to 127.0.0.1).
/// Without this, any page open in the browser could create documents.
async fn only_this_computer(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let host_name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    let local = matches!(host_name, "127.0.0.1" | "localhost");
    let same_origin = headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_none_or(|origin| origin == format!("http://{host}"));
    if !local || (request.method() != axum::http::Method::GET && !same_origin) {
        return ApiError::forbidden(
            "запрос пришёл не со страницы редактора: gostdoc serve отвечает только своим страницам по адресу http://127.0.0.1",
        )
        .into_response();
    }
    next.run(request).await
}

/// The version of a file's bytes the editor sends back when it saves:
/// XXH3, so any change on disk, even one keeping the size and the time,
/// is seen.
fn version(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// The document a request names, checked (see [`documents::resolve`]).
fn named(state: &State, query: &Query, existing: Existing) -> Result<PathBuf, ApiError> {
    documents::resolve(
        &state.folders,
        query.folder()?,
        query.required("doc")?,
        existing,
    )
}

fn result(r: Result<Response, ApiError>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}

/// The list of documents and the «Новый документ» form.
async fn index(Shared(state): AppState) -> Response {
    let listed = documents::list(&state.folders);
    let mut list = String::new();
    if listed.is_empty() {
        list.push_str("<p>В папке пока нет документов. Создайте первый ниже.</p>");
    } else {
        let several = state.folders.len() > 1;
        list.push_str("<ul class=\"documents\">");
        for doc in &listed {
            let shown = if several {
                format!("{}/{}", state.folders[doc.folder].shown.display(), doc.name)
            } else {
                doc.name.clone()
            };
            list.push_str(&format!(
                "<li><a href=\"/edit?folder={}&amp;doc={}\">{}</a></li>",
                doc.folder,
                encode_query(&doc.name),
                escape_html(&shown)
            ));
        }
        list.push_str("</ul>");
    }
    let mut kinds = String::new();
    for name in DocKind::names() {
        let Some(kind) = DocKind::from_name(name) else {
            continue;
        };
        let info = kind.info();
        if info.key != name {
            continue; // an alias
        }
        kinds.push_str(&format!(
            "<option value=\"{}\">{}</option>",
            escape_html(info.key),
            escape_html(&capitalized(info.nominative))
        ));
    }
    let mut folders = String::new();
    for (i, folder) in state.folders.iter().enumerate() {
        folders.push_str(&format!(
            "<option value=\"{i}\">{}</option>",
            escape_html(&folder.shown.display().to_string())
        ));
    }
    let folder_names = state
        .folders
        .iter()
        .map(|f| format!("«{}»", f.shown.display()))
        .collect::<Vec<_>>()
        .join(", ");
    let page = assets::INDEX_HTML
        .replace("{{folders_shown}}", &escape_html(&folder_names))
        .replace("{{documents}}", &list)
        .replace("{{kinds}}", &kinds)
        .replace("{{folders}}", &folders)
        .replace(
            "{{folder_hidden}}",
            if state.folders.len() > 1 {
                ""
            } else {
                "hidden"
            },
        );
    page_response(StatusCode::OK, page)
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn page_response(status: StatusCode, page: String) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Html(page)).into_response()
}

/// A page saying what went wrong, with a way back.
fn error_page(error: ApiError) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Ошибка — gostdoc</title>\
         <link rel=\"stylesheet\" href=\"/assets/style.css\"></head><body><main class=\"narrow\">\
         <h1>Не получилось</h1><p role=\"alert\">{}</p><p><a href=\"/\">К списку документов</a></p></main></body></html>",
        escape_html(&error.message)
    );
    page_response(error.status, page)
}

/// The editor of one document.
async fn editor(Shared(state): AppState, uri: Uri) -> Response {
    let query = match Query::parse(uri.query()) {
        Ok(q) => q,
        Err(e) => return error_page(e),
    };
    let path = match named(&state, &query, Existing::Required) {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let folder = query.folder().unwrap_or(0);
    let name = query.get("doc").unwrap_or_default();
    let page = assets::EDITOR_HTML
        .replace("{{title}}", &escape_html(name))
        .replace("{{path}}", &escape_html(&path.display().to_string()))
        .replace("{{folder}}", &folder.to_string())
        .replace("{{doc}}", &escape_html(name));
    page_response(StatusCode::OK, page)
}

async fn asset(uri: Uri) -> Response {
    let name = uri.path().trim_start_matches("/assets/");
    match assets::get(name) {
        Some((bytes, content_type)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            bytes,
        )
            .into_response(),
        None => not_found().await,
    }
}

async fn not_found() -> Response {
    ApiError::not_found("такой страницы нет: откройте список документов, http://127.0.0.1:ПОРТ/")
        .into_response()
}

/// A document's text and version.
async fn document(Shared(state): AppState, uri: Uri) -> Response {
    result((|| {
        let query = Query::parse(uri.query())?;
        let path = named(&state, &query, Existing::Required)?;
        let bytes = std::fs::read(&path).map_err(|e| {
            ApiError::not_found(format!("не удалось прочитать документ: {}", reason(&e)))
        })?;
        let version = version(&bytes);
        let text = String::from_utf8(bytes).map_err(|_| {
            ApiError::bad_request(
                "файл не в кодировке UTF-8: откройте его в Блокноте и сохраните в UTF-8 («Сохранить как» → Кодировка UTF-8)",
            )
        })?;
        // The editor's lines end in LF; a save puts the file's own line
        // ends and mark back (see `as_the_file_was`).
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        Ok(json(
            StatusCode::OK,
            json!({ "text": text, "version": version, "path": path.display().to_string() }),
        ))
    })())
}

/// `check` of the unsaved text, with the preview's pages.
async fn check(Shared(state): AppState, uri: Uri, headers: HeaderMap, body: Body) -> Response {
    let prepared = async {
        let query = Query::parse(uri.query())?;
        let path = named(&state, &query, Existing::Any)?;
        let text = body_text(&headers, body).await?;
        Ok::<_, ApiError>((path, text))
    }
    .await;
    let (path, text) = match prepared {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let started = std::time::Instant::now();
    let checked = tokio::task::spawn_blocking(move || {
        let mut answer = preview::check(&state, &path, &text);
        answer["ms"] = json!(started.elapsed().as_millis() as u64);
        answer
    })
    .await;
    match checked {
        Ok(answer) => json(StatusCode::OK, answer),
        Err(_) => ApiError::internal(
            "проверка документа прервалась из-за ошибки в gostdoc; сохраните текст и сообщите о ней",
        )
        .into_response(),
    }
}

/// Saves the text if the file on disk is still the version the editor
/// loaded; otherwise 409 with the version on disk, and nothing written.
async fn save(Shared(state): AppState, uri: Uri, headers: HeaderMap, body: Body) -> Response {
    let prepared = async {
        let query = Query::parse(uri.query())?;
        let path = named(&state, &query, Existing::Any)?;
        let loaded = query.required("version")?.to_string();
        let text = body_text(&headers, body).await?;
        Ok::<_, ApiError>((path, loaded, text))
    }
    .await;
    let (path, loaded, text) = match prepared {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let saved =
        tokio::task::spawn_blocking(move || write_if_unchanged(&state, &path, &loaded, &text))
            .await;
    match saved {
        Ok(r) => result(r),
        Err(_) => ApiError::internal("сохранение прервалось из-за ошибки в gostdoc; текст в редакторе цел, попробуйте ещё раз").into_response(),
    }
}

fn write_if_unchanged(
    state: &State,
    path: &Path,
    loaded: &str,
    text: &str,
) -> Result<Response, ApiError> {
    let _one_at_a_time = state.saving.lock().unwrap_or_else(|p| p.into_inner());
    // A link inside the folder is written through: the link stays a link.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let previous = match std::fs::read(&target) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(ApiError::internal(format!(
                "не удалось прочитать файл перед сохранением: {}; ничего не записано",
                reason(&e)
            )));
        }
    };
    let on_disk = previous.as_deref().map(version).unwrap_or_default();
    if on_disk != loaded {
        let why = if on_disk.is_empty() {
            "файл удалён с диска после того, как вы его открыли"
        } else {
            "файл изменён на диске (другой программой или в другой вкладке) после того, как вы его открыли"
        };
        return Err(ApiError::conflict(format!("{why}: ничего не записано"))
            .with("version", json!(on_disk)));
    }
    let bytes = as_the_file_was(previous.as_deref(), text);
    build::write_atomically(&target, &bytes).map_err(|e| {
        ApiError::internal(format!(
            "не удалось записать файл: {}; проверьте место на диске и права на папку. Файл на диске остался прежним",
            reason(&e)
        ))
    })?;
    Ok(json(StatusCode::OK, json!({ "version": version(&bytes) })))
}

/// The editor's text (LF line ends, no byte-order mark) as the file had
/// it: a file written in Windows Notepad keeps its CRLF and its BOM, so a
/// save changes only what the user changed.
fn as_the_file_was(previous: Option<&[u8]>, text: &str) -> Vec<u8> {
    let previous = previous.unwrap_or_default();
    let mut out = Vec::with_capacity(text.len() + text.len() / 20 + 3);
    if previous.starts_with("\u{feff}".as_bytes()) && !text.starts_with('\u{feff}') {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    if previous.windows(2).any(|w| w == b"\r\n") {
        out.extend_from_slice(text.replace("\r\n", "\n").replace('\n', "\r\n").as_bytes());
    } else {
        out.extend_from_slice(text.as_bytes());
    }
    out
}

/// A new document from a kind's starter.
async fn new_document(Shared(state): AppState, uri: Uri) -> Response {
    result((|| {
        let query = Query::parse(uri.query())?;
        let kind_name = query.required("kind")?;
        let kind = DocKind::from_name(kind_name).ok_or_else(|| {
            ApiError::bad_request(format!(
                "неизвестный вид документа «{kind_name}»; виды: {}",
                DocKind::listing()
            ))
        })?;
        let mut name = query.required("name")?.trim().to_string();
        if !name.to_lowercase().ends_with(".toml") {
            name.push_str(".toml");
        }
        let folder = query.folder()?;
        let _one_at_a_time = state.saving.lock().unwrap_or_else(|p| p.into_inner());
        let path = documents::resolve(&state.folders, folder, &name, Existing::Forbidden)?;
        build::write_atomically(&path, kind.info().starter.as_bytes()).map_err(|e| {
            ApiError::internal(format!(
                "не удалось создать файл: {}; проверьте права на папку",
                reason(&e)
            ))
        })?;
        Ok(json(
            StatusCode::CREATED,
            json!({
                "folder": folder,
                "doc": name,
                "url": format!("/edit?folder={folder}&doc={}", encode_query(&name)),
            }),
        ))
    })())
}

/// A form's entry and where it goes: `{"line", "ch", "insert"}`.
async fn snippet(uri: Uri, headers: HeaderMap, body: Body) -> Response {
    let answer = async {
        let query = Query::parse(uri.query())?;
        let form_name = query.required("form")?;
        let form = snippets::Form::from_name(form_name)
            .ok_or_else(|| ApiError::bad_request(format!("неизвестная форма «{form_name}»")))?;
        let body = body_text(&headers, body).await?;
        let request: serde_json::Value = serde_json::from_str(&body)
            .map_err(|e| ApiError::bad_request(format!("запрос формы испорчен: {e}")))?;
        let text = request["text"].as_str().unwrap_or_default();
        let empty = serde_json::Map::new();
        let fields = request["fields"].as_object().unwrap_or(&empty);
        let insertion = snippets::insertion(form, text, fields)?;
        Ok::<_, ApiError>(json(
            StatusCode::OK,
            json!({
                "line": insertion.line,
                "ch": insertion.ch,
                "insert": insertion.text,
                "header_line": insertion.header_line,
            }),
        ))
    }
    .await;
    result(answer)
}
