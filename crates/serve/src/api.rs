//! The JSON API handlers.
//!
//! Each handler does three things: parse and check its query string strictly
//! ([`crate::params`]), run the database call on the blocking pool under the
//! server's concurrency limit and timeout ([`AppState::query`]), and shape the
//! answer ([`crate::model`]). Anything that goes wrong becomes an
//! [`ApiError`] with a status code, so no request can crash the server.

use crate::backend::{Backend, Ingest};
use crate::error::{ApiError, ApiResult};
use crate::model::{
    Dyads, EventDetail, EventPage, Filter, Interval, Network, Places, Stats, Timeline,
};
use crate::params::Params;
use crate::{Limits, explain, periods};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Shared by every request.
pub struct AppState {
    pub backend: Arc<dyn Backend>,
    /// Present only with `--allow-ingest`: the pipeline and the bearer token.
    pub ingest: Option<IngestGate>,
    pub limits: Limits,
    /// Bounds the database calls in flight (and so the blocking threads in use).
    pub permits: Semaphore,
}

/// `POST /api/ingest` is open only through this: a token and the pipeline to run.
pub struct IngestGate {
    pub token: String,
    pub sink: Arc<dyn Ingest>,
}

pub type Shared = Arc<AppState>;

impl AppState {
    /// Runs `f` against the backend on the blocking pool, waiting at most the
    /// query timeout for a free slot and the answer together.
    pub async fn query<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Backend) -> Result<T, ApiError> + Send + 'static,
    {
        let timeout = self.limits.query_timeout;
        let backend = Arc::clone(&self.backend);
        let work = async {
            let _permit = self
                .permits
                .acquire()
                .await
                .map_err(|_| ApiError::internal("semaphore closed"))?;
            tokio::task::spawn_blocking(move || f(backend.as_ref()))
                .await
                .map_err(|e| ApiError::internal(format!("query task failed: {e}")))?
        };
        match tokio::time::timeout(timeout, work).await {
            Ok(result) => result,
            Err(_) => Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the query took longer than {} s; narrow the filters and retry",
                    timeout.as_secs_f32()
                ),
            )),
        }
    }
}

/// Query parameters every view takes.
pub const FILTER_KEYS: [&str; 9] = [
    "from", "to", "source", "target", "actor", "country", "code", "quad", "q",
];

/// `FILTER_KEYS` plus `extra`.
fn keys(extra: &[&'static str]) -> Vec<&'static str> {
    FILTER_KEYS.iter().chain(extra).copied().collect()
}

/// The accepted query parameters of each endpoint, by route. The OpenAPI document
/// is checked against this table in the tests.
pub fn accepted_params(route: &str) -> Vec<&'static str> {
    match route {
        "/api/events" => keys(&["limit", "offset"]),
        "/api/dyads" | "/api/network" | "/api/places" => keys(&["limit"]),
        "/api/timeline" => keys(&["by"]),
        _ => Vec::new(),
    }
}

fn params(uri: &Uri, route: &str) -> ApiResult<Params> {
    Params::parse(uri.query(), &accepted_params(route))
}

/// Reads the shared filters from `p`.
pub fn filter(p: &Params) -> ApiResult<Filter> {
    let f = Filter {
        from: p.date("from")?,
        to: p.date("to")?,
        source: p.code("source")?,
        target: p.code("target")?,
        actor: p.code("actor")?,
        country: p.code("country")?,
        code: p.cameo("code")?,
        quad: match p.str("quad") {
            None => None,
            Some(_) => Some(p.int_in("quad", 1, 4, 0)? as u8),
        },
        q: p.string("q"),
    };
    if let (Some(from), Some(to)) = (&f.from, &f.to)
        && from > to
    {
        return Err(ApiError::bad_request(format!(
            "`from` ({from}) is after `to` ({to})"
        )));
    }
    Ok(f)
}

fn internal(e: crate::backend::BackendError) -> ApiError {
    ApiError::internal(e)
}

#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub ingest: bool,
}

pub async fn health(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Health>> {
    params(&uri, "/api/health")?;
    // A trivial query proves the database answers, not just the HTTP layer.
    s.query(|b| b.stats().map(|_| ()).map_err(internal)).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        ingest: s.ingest.is_some(),
    }))
}

pub async fn stats(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Stats>> {
    params(&uri, "/api/stats")?;
    Ok(Json(s.query(|b| b.stats().map_err(internal)).await?))
}

pub async fn events(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<EventPage>> {
    let p = params(&uri, "/api/events")?;
    let f = filter(&p)?;
    let limit = p.int_in("limit", 1, u64::from(s.limits.max_page), 50)? as u32;
    let offset = p.int_in("offset", 0, s.limits.max_offset, 0)?;
    Ok(Json(
        s.query(move |b| b.events(&f, limit, offset).map_err(internal))
            .await?,
    ))
}

pub async fn event(
    State(s): State<Shared>,
    uri: Uri,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> ApiResult<Json<EventDetail>> {
    params(&uri, "/api/events/{id}")?;
    let Path(id) = id.map_err(|_| ApiError::bad_request("the event id is not valid UTF-8"))?;
    if id.is_empty() || id.len() > 300 {
        return Err(ApiError::bad_request("the event id must be 1 to 300 bytes"));
    }
    let lookup = id.clone();
    let record = s
        .query(move |b| b.event(&lookup).map_err(internal))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no event with id `{id}`")))?;
    Ok(Json(EventDetail {
        sentence: explain::sentence_view(&record),
        explanation: explain::explanation(&record.event),
        mentions: record.mentions,
        event: record.event,
        document: record.document,
    }))
}

pub async fn dyads(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Dyads>> {
    let p = params(&uri, "/api/dyads")?;
    let f = filter(&p)?;
    let limit = p.int_in("limit", 1, u64::from(s.limits.max_page), 50)? as u32;
    let dyads = s
        .query(move |b| b.dyads(&f, limit).map_err(internal))
        .await?;
    Ok(Json(Dyads { dyads }))
}

pub async fn network(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Network>> {
    let p = params(&uri, "/api/network")?;
    let f = filter(&p)?;
    let limit = p.int_in("limit", 1, u64::from(s.limits.max_page), 60)? as u32;
    Ok(Json(
        s.query(move |b| b.network(&f, limit).map_err(internal))
            .await?,
    ))
}

pub async fn timeline(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Timeline>> {
    let p = params(&uri, "/api/timeline")?;
    let f = filter(&p)?;
    let by = Interval::parse(p.choice("by", &Interval::NAMES, "month")?)
        .expect("choice() returns one of Interval::NAMES");
    let raw = s
        .query(move |b| b.timeline(&f, by).map_err(internal))
        .await?;
    let buckets = periods::fill(raw, by).map_err(ApiError::bad_request)?;
    Ok(Json(Timeline { by, buckets }))
}

pub async fn places(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Places>> {
    let p = params(&uri, "/api/places")?;
    let f = filter(&p)?;
    let limit = p.int_in("limit", 1, 5000, 300)? as u32;
    Ok(Json(
        s.query(move |b| b.places(&f, limit).map_err(internal))
            .await?,
    ))
}

/// `POST /api/ingest`: JSON Lines of documents (`{"id","date","text",...}`), coded
/// and stored. Lines that do not parse are reported, the rest are ingested.
pub async fn ingest(
    State(s): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    match ingest_inner(&s, &uri, &headers, body).await {
        Ok(report) => (StatusCode::OK, Json(report)).into_response(),
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            let mut r = e.into_response();
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            r
        }
        Err(e) => e.into_response(),
    }
}

async fn ingest_inner(
    s: &Shared,
    uri: &Uri,
    headers: &HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<crate::model::IngestReport> {
    let Some(gate) = &s.ingest else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "ingest is disabled: start `dyad serve` with --allow-ingest and a token",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(t) if constant_time_eq(t.as_bytes(), gate.token.as_bytes()) => {}
        Some(_) => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "wrong bearer token",
            ));
        }
        None => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing `Authorization: Bearer <token>` header",
            ));
        }
    }
    params(uri, "/api/ingest")?;
    let body = body.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    let text = std::str::from_utf8(&body).map_err(|e| {
        ApiError::bad_request(format!("the body is not UTF-8 (byte {})", e.valid_up_to()))
    })?;
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<dyad_doc::Document>(line) {
            Ok(d) if d.id.trim().is_empty() => {
                skipped.push(format!("line {}: empty \"id\"", n + 1))
            }
            Ok(d) => documents.push(d),
            Err(e) => skipped.push(format!("line {}: {e}", n + 1)),
        }
    }
    if documents.len() > s.limits.max_ingest_docs {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "at most {} documents per request; split the upload",
                s.limits.max_ingest_docs
            ),
        ));
    }
    let sink = Arc::clone(&gate.sink);
    let mut report = if documents.is_empty() {
        crate::model::IngestReport::default()
    } else {
        // Coding is heavy: give it the ingest timeout, not the query timeout.
        let work = tokio::task::spawn_blocking(move || sink.ingest(documents));
        match tokio::time::timeout(s.limits.ingest_timeout, work).await {
            Ok(Ok(Ok(r))) => r,
            Ok(Ok(Err(e))) => return Err(ApiError::internal(e)),
            Ok(Err(e)) => return Err(ApiError::internal(format!("ingest task failed: {e}"))),
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "ingest is taking longer than the timeout; it continues in the background",
                ));
            }
        }
    };
    skipped.append(&mut report.skipped);
    report.skipped = skipped;
    Ok(report)
}

/// Compares secrets without an early exit, so timing does not reveal a prefix.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `GET /api/openapi.json`: the hand-written description, checked against the
/// router and the parameter tables by the tests.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::OPENAPI).into_response()
}

/// Any other `/api/...` path.
pub async fn api_not_found() -> ApiError {
    ApiError::not_found("no such API endpoint; see /api/openapi.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_and_check_ranges() {
        let p = Params::parse(
            Some("from=2024-05-01&to=2024-05-31&source=rus&quad=4&code=19"),
            &FILTER_KEYS,
        )
        .unwrap();
        let f = filter(&p).unwrap();
        assert_eq!(f.source.as_deref(), Some("RUS"));
        assert_eq!(f.quad, Some(4));
        assert_eq!(f.code.as_deref(), Some("19"));
        let p = Params::parse(Some("from=2024-06-01&to=2024-05-31"), &FILTER_KEYS).unwrap();
        assert!(filter(&p).unwrap_err().message.contains("after"));
        let p = Params::parse(Some("quad=5"), &FILTER_KEYS).unwrap();
        assert_eq!(filter(&p).unwrap_err().status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
    }
}
