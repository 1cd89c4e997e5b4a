//! Serves the built SPA: fingerprinted assets cached for a year, `index.html` never cached and
//! returned for every client-side route, with a CSP that admits exactly the inline bootstrap
//! script the build writes (by its SHA-256), nothing else inline.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use actix_files::NamedFile;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use domain::{ErrorBody, ErrorCode};
use sha2::{Digest, Sha256};

use super::spa_compressed::{self, CompressedAssets};
use crate::middleware::security_headers::CSP;

/// index.html as last read, with the CSP that admits its inline bootstrap script.
pub struct Index {
    /// `None` when the app has not been built.
    pub html: Option<String>,
    /// The base policy plus the hashes of index.html's inline scripts.
    pub csp: String,
    modified: Option<SystemTime>,
}

impl Index {
    fn read(dir: &Path) -> Self {
        let path = dir.join("index.html");
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        let html = std::fs::read_to_string(&path).ok();
        let hashes: Vec<String> = html
            .as_deref()
            .map(inline_script_hashes)
            .unwrap_or_default();
        let csp = if hashes.is_empty() {
            CSP.to_owned()
        } else {
            CSP.replacen(
                "script-src 'self' 'wasm-unsafe-eval'",
                &format!("script-src 'self' 'wasm-unsafe-eval' {}", hashes.join(" ")),
                1,
            )
        };
        Self {
            html,
            csp,
            modified,
        }
    }
}

/// The built SPA. index.html is re-read when its modification time changes, so rebuilding
/// `dist/` never leaves a running server pointing at asset names that no longer exist.
pub struct Spa {
    pub dir: PathBuf,
    index: RwLock<Arc<Index>>,
    /// Brotli copies of the fingerprinted code and styles (`spa_compressed`).
    pub compressed: Arc<CompressedAssets>,
}

impl Spa {
    pub fn load(dir: &Path) -> Self {
        let index = Index::read(dir);
        if index.html.is_none() {
            tracing::warn!(dir = %dir.display(), "no built SPA found (index.html missing); run `make run` to build it");
        }
        Self {
            dir: dir.to_owned(),
            index: RwLock::new(Arc::new(index)),
            compressed: Arc::default(),
        }
    }

    pub fn index(&self) -> Arc<Index> {
        let modified = std::fs::metadata(self.dir.join("index.html"))
            .and_then(|m| m.modified())
            .ok();
        if let Ok(current) = self.index.read() {
            if current.modified == modified {
                return Arc::clone(&current);
            }
        }
        let fresh = Arc::new(Index::read(&self.dir));
        if let Ok(mut slot) = self.index.write() {
            *slot = Arc::clone(&fresh);
        }
        fresh
    }
}

/// `'sha256-…'` for the body of every inline `<script>` (one without `src=`).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        let body = &after[body_start..body_start + close];
        if !tag.contains("src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            out.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_start + close..];
    }
    out
}

pub(crate) fn is_fingerprinted(name: &str) -> bool {
    // The build names assets `stem-<16 hex>.ext` (or `_bg.wasm`).
    name.split(['-', '_', '.'])
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn safe_join(dir: &Path, request_path: &str) -> Option<PathBuf> {
    let relative = Path::new(request_path.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    Some(dir.join(relative))
}

fn json_404() -> HttpResponse {
    HttpResponse::NotFound().json(ErrorBody::new(ErrorCode::NotFound))
}

fn index_response(req: &HttpRequest, spa: &Spa) -> HttpResponse {
    let index = spa.index();
    match &index.html {
        Some(html) => {
            let mut res = HttpResponse::Ok();
            // The device id the Friend Challenge abuse rules compare; set before any sign-up.
            if req.cookie(crate::auth::extractors::DEVICE_COOKIE).is_none() {
                if let Some(state) = req.app_data::<actix_web::web::Data<crate::state::AppState>>()
                {
                    res.cookie(crate::routes::auth::device_cookie(state));
                }
            }
            res.insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                .insert_header((header::CACHE_CONTROL, "no-cache"))
                .insert_header(("Content-Security-Policy", index.csp.as_str()))
                .body(html.clone())
        }
        None => HttpResponse::ServiceUnavailable().json(ErrorBody::with_message(
            ErrorCode::ServiceUnavailable,
            "واجهة التطبيق غير مبنية بعد؛ شغّل make run لبنائها.",
        )),
    }
}

/// The fallback for every path no API route matched.
pub async fn serve(req: HttpRequest, spa: actix_web::web::Data<Spa>) -> HttpResponse {
    let path = req.path();
    if path.starts_with("/api/")
        || path == "/api"
        || path.starts_with("/health")
        || path == "/metrics"
    {
        return json_404();
    }
    if req.method() != actix_web::http::Method::GET && req.method() != actix_web::http::Method::HEAD
    {
        return HttpResponse::MethodNotAllowed().json(ErrorBody::new(ErrorCode::MethodNotAllowed));
    }
    if path == "/" || path == "/index.html" {
        return index_response(&req, &spa);
    }
    let Some(file_path) = safe_join(&spa.dir, path) else {
        return json_404();
    };
    if file_path.is_file() {
        let name = file_path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if req.method() == actix_web::http::Method::GET
            && is_fingerprinted(name)
            && spa_compressed::content_type(name).is_some()
            && spa_compressed::accepts_brotli(&req)
        {
            let name = name.to_owned();
            if let Some(body) = Arc::clone(&spa.compressed).get(file_path.clone()).await {
                if let Some(res) = spa_compressed::response(&name, &body) {
                    return res;
                }
            }
        }
        return match NamedFile::open_async(&file_path).await {
            Ok(file) => {
                let name = file_path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_owned();
                let mut res = file
                    .use_etag(true)
                    .use_last_modified(true)
                    .into_response(&req);
                let cache = if is_fingerprinted(&name) {
                    "public, max-age=31536000, immutable"
                } else {
                    "public, max-age=86400"
                };
                res.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
                res
            }
            Err(_) => json_404(),
        };
    }
    // A path with a file extension that does not exist is a missing asset, not a page.
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return json_404();
    }
    index_response(&req, &spa)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script src="/a.js"></script><script type="module">init()</script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        assert!(hashes[0].starts_with("'sha256-"));
    }

    #[test]
    fn recognises_trunk_fingerprints_and_refuses_traversal() {
        assert!(is_fingerprinted("frontend-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_fingerprinted("style-0123456789abcdef.css"));
        assert!(!is_fingerprinted("cairo-arabic-400.woff2"));
        assert!(safe_join(Path::new("/srv"), "/../etc/passwd").is_none());
        assert!(safe_join(Path::new("/srv"), "/a/b.js").is_some());
    }
}
