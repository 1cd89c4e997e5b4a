//! `Json<T>`: the request-body extractor every handler uses. Unlike actix's, it names the field
//! that failed (`amount` in `{"amount": "ten"}`) so the SPA can show the error beside it, and
//! every string in the body passes [`crate::text::clean_body`] first: no control characters
//! (422 naming the field, the same on SQLite and PostgreSQL), NFC.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use domain::{ErrorCode, FieldErrors};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

fn is_json(req: &HttpRequest) -> bool {
    req.mime_type()
        .ok()
        .flatten()
        .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
}

/// Turns a deserialization failure into the API error: broken JSON → 400, a valid document of
/// the wrong shape → 422 naming the field.
pub fn classify(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    if inner.is_syntax() || inner.is_eof() || inner.is_io() {
        return ApiError::Code(ErrorCode::InvalidJson);
    }
    let text = inner.to_string();
    // For a missing or unknown field serde names it in the message, not in the path.
    let named = text
        .split('`')
        .nth(1)
        .filter(|f| !f.is_empty() && f.len() < 64);
    let (field, message) = if text.starts_with("missing field") {
        (join(&path, named.unwrap_or("body")), "هذا الحقل مطلوب.")
    } else if text.starts_with("unknown field") {
        (join(&path, named.unwrap_or("body")), "حقل غير معروف.")
    } else if text.starts_with("unknown variant") {
        (non_root(&path), "قيمة غير مسموحة لهذا الحقل.")
    } else {
        (non_root(&path), "قيمة الحقل من نوع غير صحيح.")
    };
    let mut fields = FieldErrors::new();
    fields.insert(field, message.to_owned());
    ApiError::Validation(fields)
}

fn non_root(path: &str) -> String {
    if path == "." || path.is_empty() {
        "body".to_owned()
    } else {
        path.to_owned()
    }
}

fn join(path: &str, field: &str) -> String {
    if path == "." || path.is_empty() {
        field.to_owned()
    } else if path == field || path.ends_with(&format!(".{field}")) {
        // serde_path_to_error already put an unknown key into the path.
        path.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// Reads a body: strings are checked for control characters and put in NFC
/// ([`crate::text::clean_body`]) before `T` sees them. A body of printable ASCII without
/// escapes cannot need either and is read directly.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if !crate::text::may_need_cleaning(bytes) {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(classify)?;
        de.end()
            .map_err(|_| ApiError::Code(ErrorCode::InvalidJson))?;
        return Ok(value);
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| ApiError::Code(ErrorCode::InvalidJson))?;
    crate::text::clean_body(&mut value)?;
    serde_path_to_error::deserialize(value).map_err(classify)
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if !is_json(req) {
            return Box::pin(async { Err(ApiError::Code(ErrorCode::UnsupportedMediaType)) });
        }
        // The Bytes extractor enforces the PayloadConfig size limit.
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    ApiError::Code(ErrorCode::PayloadTooLarge)
                } else {
                    ApiError::Code(ErrorCode::InvalidJson)
                }
            })?;
            parse(&bytes).map(Json)
        })
    }
}

/// A JSON body that may be left out: an empty body gives `T::default()`; a non-empty one is read
/// exactly like [`Json`] (content type checked, failing field named).
pub struct OptionalJson<T>(pub T);

impl<T> OptionalJson<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let bytes = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    ApiError::Code(ErrorCode::PayloadTooLarge)
                } else {
                    ApiError::Code(ErrorCode::InvalidJson)
                }
            })?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(T::default()));
            }
            if !is_json(&req) {
                return Err(ApiError::Code(ErrorCode::UnsupportedMediaType));
            }
            parse(&bytes).map(OptionalJson)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        amount: i64,
        inner: Option<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        score: i64,
    }

    fn fields(json: &str) -> (u16, FieldErrors) {
        let mut de = serde_json::Deserializer::from_str(json);
        let err = classify(serde_path_to_error::deserialize::<_, Body>(&mut de).unwrap_err());
        let body = err.body();
        (err.code().http_status(), body.error.fields)
    }

    #[test]
    fn names_the_failing_field() {
        assert!(fields(r#"{"amount": "ten"}"#).1.contains_key("amount"));
        assert!(fields(r#"{}"#).1.contains_key("amount"));
        assert!(fields(r#"{"amount": 1, "inner": {"score": "x"}}"#)
            .1
            .contains_key("inner.score"));
        assert!(fields(r#"{"amount": 1, "extra": 2}"#)
            .1
            .contains_key("extra"));
        assert_eq!(fields(r#"{"amount": "#).0, 400);
    }

    #[test]
    fn both_paths_read_the_same_bodies_the_same_way() {
        let field = |body: &str| -> (ErrorCode, Vec<String>) {
            let err = parse::<Body>(body.as_bytes()).unwrap_err();
            (err.code(), err.body().error.fields.into_keys().collect())
        };
        // Each pair: printable ASCII (read directly), then a body that takes the cleaning path.
        for (direct, cleaned) in [
            (r#"{"amount": "ten"}"#, r#"{"amount": "عشرة"}"#),
            (
                r#"{"amount": 1, "extra": 2}"#,
                r#"{"amount": 1, "extra": "é"}"#,
            ),
            (
                r#"{"amount": 1, "inner": {"score": "x"}}"#,
                r#"{"amount": 1, "inner": {"score": "س"}}"#,
            ),
            (r#"{"amount": "#, r#"{"amount": "é"#),
            (r#"{"amount": 1} x"#, r#"{"amount": 1} é"#),
        ] {
            assert_eq!(field(direct), field(cleaned), "{direct} / {cleaned}");
        }
        assert!(parse::<Body>(br#"{"\u0061mount": 1, "inner": {"score": 2}}"#).is_ok());
    }
}
