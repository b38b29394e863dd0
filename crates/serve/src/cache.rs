//! A response cache for read-only serving.
//!
//! Without `--allow-ingest` the database is opened read-only, so the answer to a
//! given API URL cannot change while the server runs. Dashboards ask the same
//! questions over and over (every page load draws the default timeline, network,
//! map and first page of events), and an aggregation over millions of events costs
//! hundreds of milliseconds on a laptop; serving the stored JSON costs microseconds.
//! The cache keeps successful JSON answers by exact path and query, bounded in
//! total bytes, evicting the oldest entries first. It is off when ingest is on
//! (answers could go stale) and with `--no-cache` (to measure the database).

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

/// Largest single answer worth keeping.
const MAX_ENTRY: usize = 2 * 1024 * 1024;

#[derive(Default)]
struct Entries {
    map: HashMap<String, Bytes>,
    order: VecDeque<String>,
    bytes: usize,
}

pub struct ResponseCache {
    entries: Mutex<Entries>,
    max_bytes: usize,
}

impl ResponseCache {
    pub fn new(max_bytes: usize) -> ResponseCache {
        ResponseCache {
            entries: Mutex::new(Entries::default()),
            max_bytes,
        }
    }

    pub fn get(&self, key: &str) -> Option<Bytes> {
        let e = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        e.map.get(key).cloned()
    }

    pub fn put(&self, key: String, body: Bytes) {
        if body.len() > MAX_ENTRY || body.len() > self.max_bytes {
            return;
        }
        let mut e = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if e.map.contains_key(&key) {
            return;
        }
        while e.bytes + body.len() > self.max_bytes {
            let Some(old) = e.order.pop_front() else {
                break;
            };
            if let Some(b) = e.map.remove(&old) {
                e.bytes -= b.len();
            }
        }
        e.bytes += body.len();
        e.order.push_back(key.clone());
        e.map.insert(key, body);
    }
}

/// Whether an answer to this request may be cached: API reads that depend only
/// on the URL. Health checks must reach the database, so they are never cached.
fn cacheable(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::GET
        && path.starts_with("/api/")
        && path != "/api/health"
        && path != "/api/openapi.json"
}

/// The middleware: answers from the cache, or runs the handler and keeps a
/// successful JSON answer.
pub async fn layer(State(cache): State<Arc<ResponseCache>>, req: Request, next: Next) -> Response {
    if !cacheable(&req) {
        return next.run(req).await;
    }
    let key = req
        .uri()
        .path_and_query()
        .map_or_else(String::new, |p| p.as_str().to_string());
    if let Some(body) = cache.get(&key) {
        return json(body, "hit");
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            cache.put(key, bytes.clone());
            parts
                .headers
                .insert("x-dyad-cache", HeaderValue::from_static("miss"));
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            crate::error::ApiError::internal(format!("reading an answer: {e}")).into_response()
        }
    }
}

fn json(body: Bytes, state: &'static str) -> Response {
    let mut res = Response::new(Body::from(body));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert("x-dyad-cache", HeaderValue::from_static(state));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_oldest_first_within_the_byte_bound() {
        let c = ResponseCache::new(10);
        c.put("a".into(), Bytes::from_static(b"12345"));
        c.put("b".into(), Bytes::from_static(b"12345"));
        assert!(c.get("a").is_some() && c.get("b").is_some());
        c.put("c".into(), Bytes::from_static(b"123"));
        assert!(c.get("a").is_none());
        assert_eq!(c.get("b").as_deref(), Some(&b"12345"[..]));
        assert_eq!(c.get("c").as_deref(), Some(&b"123"[..]));
        // Larger than the whole cache: not kept, nothing evicted.
        c.put("d".into(), Bytes::from(vec![0u8; 11]));
        assert!(c.get("d").is_none() && c.get("b").is_some());
    }
}
