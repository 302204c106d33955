//! What every route shares: errors as Russian JSON with the right status,
//! the query string, and a request body read as bounded UTF-8 text.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

/// The largest request body: a document being edited, with room to spare.
/// A seed document is 5–20 KB; the 7000-row roadmap is 4 MB and is edited
/// in a text editor, not in the browser.
pub(crate) const BODY_LIMIT: usize = 2 << 20;

/// A refused request: its status and what to tell the user, in Russian.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    /// Extra JSON fields (the version on disk, for a conflict).
    pub(crate) extra: Vec<(&'static str, serde_json::Value)>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    pub(crate) fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// Adds a field to the JSON answer.
    pub(crate) fn with(mut self, key: &'static str, value: serde_json::Value) -> Self {
        self.extra.push((key, value));
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::Map::new();
        body.insert("error".into(), self.message.into());
        for (key, value) in self.extra {
            body.insert(key.into(), value);
        }
        json(self.status, serde_json::Value::Object(body))
    }
}

/// A JSON answer.
pub(crate) fn json(status: StatusCode, value: serde_json::Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        value.to_string(),
    )
        .into_response()
}

/// The parameters of a query string, decoded.
pub(crate) struct Query(BTreeMap<String, String>);

impl Query {
    /// Parses `a=1&b=%D0%BF`; a parameter that is not UTF-8 once decoded
    /// is an error.
    pub(crate) fn parse(query: Option<&str>) -> Result<Query, ApiError> {
        let mut map = BTreeMap::new();
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_decode(s).ok_or_else(|| {
                    ApiError::bad_request("адрес запроса испорчен: параметр не в кодировке UTF-8")
                })
            };
            map.insert(decode(key)?, decode(value)?);
        }
        Ok(Query(map))
    }

    /// A parameter, or an error naming it.
    pub(crate) fn required(&self, key: &str) -> Result<&str, ApiError> {
        self.0
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| ApiError::bad_request(format!("в запросе нет параметра «{key}»")))
    }

    /// A parameter, if given.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The folder index (`folder`, 0 when absent).
    pub(crate) fn folder(&self) -> Result<usize, ApiError> {
        match self.get("folder") {
            None | Some("") => Ok(0),
            Some(n) => n
                .parse()
                .map_err(|_| ApiError::bad_request(format!("номер папки «{n}» — не число"))),
        }
    }
}

/// `%XX` and `+` decoded; `None` when the bytes are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The request body as text: at most [`BODY_LIMIT`] bytes (413 past it,
/// before reading it when the length is declared) and UTF-8 (400).
pub(crate) async fn body_text(headers: &HeaderMap, body: Body) -> Result<String, ApiError> {
    let too_large = || {
        ApiError::too_large(format!(
            "текст слишком велик: больше {} МБ; такой документ правьте в текстовом редакторе",
            BODY_LIMIT >> 20
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
        // axum wraps http-body-util's error; a body cut short is another error.
        let limit = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            || e.to_string().contains("length limit");
        if limit {
            too_large()
        } else {
            ApiError::bad_request(format!("запрос оборван: {e}"))
        }
    })?;
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        ApiError::bad_request(format!(
            "текст не в кодировке UTF-8 (испорченный байт на позиции {}): сохраните его в UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_decoded() {
        let q = Query::parse(Some(
            "doc=%D0%BF%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB.toml&folder=1&x=a+b",
        ))
        .unwrap();
        assert_eq!(q.required("doc").unwrap(), "протокол.toml");
        assert_eq!(q.folder().unwrap(), 1);
        assert_eq!(q.get("x"), Some("a b"));
        assert!(Query::parse(Some("doc=%FF")).is_err());
        assert_eq!(Query::parse(Some("a=%4")).unwrap().get("a"), Some("%4"));
    }
}
