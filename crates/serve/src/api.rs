//! The JSON API handlers.
//!
//! Each handler does three things: parse and check its query string strictly
//! ([`crate::params`]), run the database call on the blocking pool under the
//! server's concurrency limit and timeout ([`AppState::query`]), and shape the
//! answer ([`crate::model`]). Anything that goes wrong becomes an
//! [`ApiError`] with a status code, so no request can crash the server.

use crate::error::{ApiError, ApiResult};
use crate::model::{Dyads, EventDetail, IngestReport, MentionView, Network, Places, Timeline};
use crate::params::Params;
use crate::pool::StorePool;
use crate::{Limits, explain, periods};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use dyad_doc::Document;
use dyad_store::query::{ActorLevel, EventPage, Filter, Interval, Order, Page, Stats};
use dyad_store::{Store, query};
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Codes and stores documents for `POST /api/ingest`. Implemented by the `dyad`
/// binary, which owns the coding pipeline. Called on a blocking thread, one ingest
/// at a time, with the server's connection pool: an implementation should borrow a
/// connection only to read what is stored and to write, not while coding, so the
/// dashboard keeps its connections during a long upload. Readers see the new
/// events as soon as the write commits.
pub trait Ingest: Send + Sync + 'static {
    fn ingest(
        &self,
        pool: &StorePool,
        documents: Vec<Document>,
    ) -> Result<IngestReport, Box<dyn std::error::Error + Send + Sync>>;
}

/// Shared by every request.
pub struct AppState {
    pub pool: Arc<StorePool>,
    /// Present only with `--allow-ingest`: the pipeline and the bearer token.
    pub ingest: Option<IngestGate>,
    pub limits: Limits,
    /// Bounds the database calls in flight (and so the blocking threads in use)
    /// to the pool size, so waiting happens here, where it can time out.
    pub permits: Semaphore,
    /// One ingest at a time (DuckDB has one writer; a second upload waits).
    pub ingest_lock: Semaphore,
}

/// `POST /api/ingest` is open only through this: a token and the pipeline to run.
pub struct IngestGate {
    pub token: String,
    pub sink: Arc<dyn Ingest>,
}

pub type Shared = Arc<AppState>;

impl AppState {
    /// Runs `f` with a pooled connection on the blocking pool, waiting at most
    /// `timeout` for a free connection and the answer together.
    pub async fn run<T, F>(&self, timeout: std::time::Duration, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> ApiResult<T> + Send + 'static,
    {
        let pool = Arc::clone(&self.pool);
        let work = async {
            let _permit = self
                .permits
                .acquire()
                .await
                .map_err(|_| ApiError::internal("semaphore closed"))?;
            tokio::task::spawn_blocking(move || pool.with(f))
                .await
                .map_err(|e| ApiError::internal(format!("database task failed: {e}")))?
        };
        match tokio::time::timeout(timeout, work).await {
            Ok(result) => result,
            Err(_) => Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the request took longer than {} s; narrow the filters and retry",
                    timeout.as_secs_f32()
                ),
            )),
        }
    }

    /// A read query under the query timeout.
    pub async fn query<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> dyad_store::Result<T> + Send + 'static,
    {
        self.run(self.limits.query_timeout, move |s| {
            f(s).map_err(store_error)
        })
        .await
    }
}

/// A store error as an API error: invalid input is the caller's (400, the
/// store's message names the filter); anything else is logged and a bare 500.
fn store_error(e: dyad_store::Error) -> ApiError {
    match e {
        dyad_store::Error::Invalid(m) => ApiError::bad_request(m),
        other => ApiError::internal(other),
    }
}

/// Query parameters every view takes: the flags of `dyad query`, same names
/// (`--quad-class` is `quad_class`).
pub const FILTER_KEYS: [&str; 11] = [
    "from",
    "to",
    "source",
    "target",
    "actor",
    "country",
    "code",
    "quad_class",
    "plover",
    "doc",
    "search",
];

/// `FILTER_KEYS` plus `extra`.
fn keys(extra: &[&'static str]) -> Vec<&'static str> {
    FILTER_KEYS.iter().chain(extra).copied().collect()
}

/// The accepted query parameters of each endpoint, by route. The OpenAPI document
/// is checked against this table in the tests.
pub fn accepted_params(route: &str) -> Vec<&'static str> {
    match route {
        "/api/events" => keys(&["limit", "offset", "order"]),
        "/api/dyads" | "/api/network" => keys(&["limit", "level"]),
        "/api/places" | "/api/actors" => keys(&["limit"]),
        "/api/timeline" => keys(&["by"]),
        _ => Vec::new(),
    }
}

fn params(uri: &Uri, route: &str) -> ApiResult<Params> {
    Params::parse(uri.query(), &accepted_params(route))
}

/// Reads the shared filters from `p`, checking each value's form.
pub fn filter(p: &Params) -> ApiResult<Filter> {
    let f = Filter {
        from: p.date("from")?,
        to: p.date("to")?,
        source: p.code("source")?,
        target: p.code("target")?,
        actor: p.code("actor")?,
        country: p.code("country")?,
        code: p.cameo("code")?,
        quad_class: match p.str("quad_class") {
            None => None,
            Some(_) => Some(p.int_in("quad_class", 1, 4, 0)? as u8),
        },
        plover: p.code("plover")?,
        doc: p.string("doc"),
        search: p.string("search"),
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

fn level(p: &Params) -> ApiResult<ActorLevel> {
    Ok(match p.choice("level", &["code", "country"], "code")? {
        "country" => ActorLevel::Country,
        _ => ActorLevel::Code,
    })
}

#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    /// Whether `POST /api/ingest` is open.
    pub ingest: bool,
}

pub async fn health(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Health>> {
    params(&uri, "/api/health")?;
    // A trivial query proves the database answers, not just the HTTP layer.
    s.query(|st| {
        st.connection()
            .query_row("SELECT 1", [], |r| r.get::<_, i32>(0))
            .map_err(dyad_store::Error::from)
    })
    .await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        ingest: s.ingest.is_some(),
    }))
}

pub async fn stats(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Stats>> {
    params(&uri, "/api/stats")?;
    Ok(Json(s.query(|st| st.stats()).await?))
}

pub async fn events(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<EventPage>> {
    let p = params(&uri, "/api/events")?;
    let f = filter(&p)?;
    let page = Page {
        limit: p.int_in("limit", 1, u64::from(s.limits.max_page), 50)? as u32,
        offset: p.int_in("offset", 0, s.limits.max_offset, 0)?,
    };
    let order = match p.choice("order", &["newest", "oldest", "mentions"], "newest")? {
        "oldest" => Order::Oldest,
        "mentions" => Order::Mentions,
        _ => Order::Newest,
    };
    Ok(Json(s.query(move |st| st.events(&f, order, page)).await?))
}

pub async fn event(
    State(s): State<Shared>,
    uri: Uri,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> ApiResult<Json<EventDetail>> {
    params(&uri, "/api/events/{id}")?;
    let Path(id) = id.map_err(|_| ApiError::bad_request("the event id is not valid UTF-8"))?;
    if id.trim().is_empty() || id.len() > 300 {
        return Err(ApiError::bad_request("the event id must be 1 to 300 bytes"));
    }
    let detail = s
        .query(move |st| st.event(&id))
        .await?
        .ok_or_else(|| ApiError::not_found("no event with this id"))?;
    let mentions = detail
        .mentions
        .into_iter()
        .map(|m| MentionView {
            highlighted: explain::sentence_view(&m.sentence_text, None, &m.coded),
            explanation: explain::explanation(&m.coded),
            doc_id: m.doc_id,
            title: m.title,
            outlet: m.outlet,
            url: m.url,
            sentence: m.sentence,
            coded: m.coded,
        })
        .collect();
    Ok(Json(EventDetail {
        event: detail.event,
        mentions,
    }))
}

pub async fn dyads(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Dyads>> {
    let p = params(&uri, "/api/dyads")?;
    let f = filter(&p)?;
    let level = level(&p)?;
    let limit = p.int_in("limit", 1, u64::from(s.limits.max_page), 50)? as u32;
    let dyads = s.query(move |st| st.dyads(&f, level, limit)).await?;
    Ok(Json(Dyads { dyads }))
}

pub async fn actors(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Vec<query::ActorCount>>> {
    let p = params(&uri, "/api/actors")?;
    let f = filter(&p)?;
    let limit = p.int_in("limit", 1, u64::from(s.limits.max_page), 50)? as u32;
    Ok(Json(s.query(move |st| st.actors(&f, limit)).await?))
}

pub async fn network(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Network>> {
    let p = params(&uri, "/api/network")?;
    let f = filter(&p)?;
    let level = level(&p)?;
    let limit = p.int_in("limit", 1, u64::from(s.limits.max_page), 60)? as u32;
    let edges = s.query(move |st| st.network(&f, level, limit)).await?;
    Ok(Json(crate::model::network_of(edges)))
}

pub async fn timeline(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Timeline>> {
    let p = params(&uri, "/api/timeline")?;
    let f = filter(&p)?;
    let by = match p.choice("by", &["day", "week", "month", "year"], "month")? {
        "day" => Interval::Day,
        "week" => Interval::Week,
        "year" => Interval::Year,
        _ => Interval::Month,
    };
    let raw = s.query(move |st| st.timeline(&f, by)).await?;
    let buckets = periods::fill(raw, by).map_err(ApiError::bad_request)?;
    Ok(Json(Timeline { by, buckets }))
}

pub async fn places(State(s): State<Shared>, uri: Uri) -> ApiResult<Json<Places>> {
    let p = params(&uri, "/api/places")?;
    let f = filter(&p)?;
    let limit = p.int_in("limit", 1, 5000, 300)? as u32;
    Ok(Json(
        s.query(move |st| {
            let countries = st.countries(&f)?;
            let total = st
                .events(
                    &f,
                    Order::Newest,
                    Page {
                        limit: 0,
                        offset: 0,
                    },
                )?
                .total;
            let located: u64 = countries.iter().map(|c| c.events).sum();
            let points = st
                .places(&f, limit)?
                .into_iter()
                .filter(|p| p.lat.is_some() && p.lon.is_some())
                .collect();
            Ok(Places {
                countries,
                points,
                unlocated: total.saturating_sub(located),
            })
        })
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
) -> ApiResult<IngestReport> {
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
        match serde_json::from_str::<Document>(line) {
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
    let mut report = if documents.is_empty() {
        IngestReport::default()
    } else {
        let sink = Arc::clone(&gate.sink);
        let pool = Arc::clone(&s.pool);
        // Coding is heavy: it gets the ingest timeout, not the query timeout, and
        // does not take a query slot.
        let work = async {
            let _one_at_a_time = s
                .ingest_lock
                .acquire()
                .await
                .map_err(|_| ApiError::internal("semaphore closed"))?;
            tokio::task::spawn_blocking(move || sink.ingest(&pool, documents))
                .await
                .map_err(|e| ApiError::internal(format!("ingest task failed: {e}")))?
                .map_err(ApiError::internal)
        };
        tokio::time::timeout(s.limits.ingest_timeout, work)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the ingest is taking longer than the timeout; it goes on in the background",
                )
            })??
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
            Some("from=2024-05-01&to=2024-05-31&source=rus&quad_class=4&code=19"),
            &FILTER_KEYS,
        )
        .unwrap();
        let f = filter(&p).unwrap();
        assert_eq!(f.source.as_deref(), Some("RUS"));
        assert_eq!(f.quad_class, Some(4));
        assert_eq!(f.code.as_deref(), Some("19"));
        let p = Params::parse(Some("from=2024-06-01&to=2024-05-31"), &FILTER_KEYS).unwrap();
        assert!(filter(&p).unwrap_err().message.contains("after"));
        let p = Params::parse(Some("quad_class=5"), &FILTER_KEYS).unwrap();
        assert_eq!(filter(&p).unwrap_err().status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
    }
}
