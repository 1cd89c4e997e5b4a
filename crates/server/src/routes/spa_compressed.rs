//! Brotli copies of the SPA's fingerprinted code and styles (`.wasm`, `.js`, `.css`, `.svg`),
//! compressed once per process and kept in memory. The `Compress` middleware compressed these on
//! every request: ~0.2 s of CPU for the 0.8 MB main WASM on each cold load in a debug build,
//! which set the home page's largest contentful paint (issue 13, item 12). Fingerprinted files
//! never change under their name, so a copy never goes stale; a rebuilt `dist/` brings new names.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};

/// Brotli quality: 9 is within a few per cent of 11 on WASM at a fraction of the time.
const QUALITY: i32 = 9;

#[derive(Default)]
pub struct CompressedAssets {
    copies: RwLock<HashMap<PathBuf, Arc<Vec<u8>>>>,
}

/// The content type of the files kept compressed; `None` for the others (fonts are compressed
/// already, images are served as they are).
pub fn content_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit('.').next()?;
    Some(match ext {
        "wasm" => "application/wasm",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

/// Whether the request accepts `br` (and does not refuse it with `q=0`).
pub fn accepts_brotli(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts.next() == Some("br")
                && !parts
                    .any(|p| p.replace(' ', "").trim_start_matches("q=").parse::<f32>() == Ok(0.0))
        })
}

fn compress(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: QUALITY,
        size_hint: data.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(data.len() / 3);
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

impl CompressedAssets {
    fn cached(&self, path: &Path) -> Option<Arc<Vec<u8>>> {
        self.copies.read().ok()?.get(path).cloned()
    }

    /// The compressed copy of `path`, made now (off the async workers) when missing.
    pub async fn get(self: Arc<Self>, path: PathBuf) -> Option<Arc<Vec<u8>>> {
        if let Some(hit) = self.cached(&path) {
            return Some(hit);
        }
        actix_web::web::block(move || self.make(&path))
            .await
            .ok()
            .flatten()
    }

    fn make(&self, path: &Path) -> Option<Arc<Vec<u8>>> {
        let data = std::fs::read(path).ok()?;
        let copy = Arc::new(compress(&data).ok()?);
        if let Ok(mut map) = self.copies.write() {
            map.insert(path.to_owned(), Arc::clone(&copy));
        }
        Some(copy)
    }

    /// Compresses every fingerprinted asset under `dir` (the first visit then finds them ready).
    pub fn warm(&self, dir: &Path) {
        let mut stack = vec![dir.to_owned()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                if super::spa::is_fingerprinted(name)
                    && content_type(name).is_some()
                    && self.cached(&path).is_none()
                {
                    let _ = self.make(&path);
                }
            }
        }
    }
}

/// The response for a compressed copy: cached for a year like the file itself.
pub fn response(name: &str, body: &[u8]) -> Option<HttpResponse> {
    let kind = content_type(name)?;
    let res = HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, kind))
        .insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("br")))
        .insert_header((header::VARY, HeaderValue::from_static("accept-encoding")))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .body(body.to_vec());
    Some(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn brotli_is_accepted_unless_refused() {
        let with = |v: &str| {
            accepts_brotli(
                &TestRequest::default()
                    .insert_header((header::ACCEPT_ENCODING, v))
                    .to_http_request(),
            )
        };
        assert!(with("gzip, deflate, br, zstd"));
        assert!(with("br;q=0.8"));
        assert!(!with("gzip, deflate"));
        assert!(!with("br;q=0"));
        assert!(!with("brotli"));
    }

    #[test]
    fn compresses_and_round_trips() {
        let data = b"(module) ".repeat(2000);
        let packed = compress(&data).unwrap_or_default();
        assert!(!packed.is_empty() && packed.len() < data.len() / 10);
        let mut back = Vec::new();
        let _ = brotli::BrotliDecompress(&mut &packed[..], &mut back);
        assert_eq!(back, data);
        assert_eq!(
            content_type("frontend-0123456789abcdef_bg.wasm"),
            Some("application/wasm")
        );
        assert_eq!(content_type("cairo-arabic-400-normal.woff2"), None);
    }
}
