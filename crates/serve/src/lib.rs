//! `dyad serve`: a JSON API and an analyst dashboard over a Dyad event database.
//!
//! ```text
//!  browser / script ──HTTP──▶ axum router ──▶ handler: strict params → Filter
//!                                                  │ spawn_blocking, semaphore, timeout
//!                                                  ▼
//!                                   dyad_store::query on a pooled DuckDB connection
//! ```
//!
//! Design choices:
//! * **Local first.** The server binds 127.0.0.1 unless told otherwise, is read-only
//!   unless started with `--allow-ingest` and a bearer token, and serves a dashboard
//!   whose every file is compiled into the binary ([`assets`]): no CDN, no network.
//! * **The async runtime never blocks.** DuckDB calls are synchronous; each runs on
//!   tokio's blocking pool behind a semaphore sized to the connection pool, with a
//!   timeout, so a heavy aggregation cannot starve the accept loop ([`api`]).
//! * **Strict input, bounded output.** Unknown query parameters, malformed dates,
//!   codes with punctuation and page sizes over the cap are 400s with a message
//!   naming the parameter ([`params`]); bodies are size-limited; values reach SQL
//!   only as bound parameters. Errors are JSON `{"error", "status"}` and never
//!   include server paths or SQL ([`error`]).
//! * **A stable contract.** Responses are the types in [`model`] (events are the
//!   `dyad code` JSON objects), described by a hand-written OpenAPI document that
//!   the tests check against the router.

pub mod api;
pub mod assets;
pub mod cache;
pub mod error;
pub mod explain;
pub mod model;
pub mod params;
pub mod periods;
pub mod pool;

pub use api::Ingest;
use api::{AppState, IngestGate, Shared};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use error::ApiError;
pub use pool::StorePool;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The example article of `dyad demo` (Putin's May 2024 visit to China, 13 sentences),
/// as one JSON line `{"id","date","source","title","text"}`.
pub const EXAMPLE_ARTICLE: &str = include_str!("../demo/russia-china-2024-05.jsonl");

/// The OpenAPI 3.1 description served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Caps on what one request may ask for or send.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest `limit` for event pages and dyad lists (400 beyond).
    pub max_page: u32,
    /// Largest `offset`: deep paging is a scan; narrow the filters instead.
    pub max_offset: u64,
    /// Longest a read query may take, waiting for a connection included (503 beyond).
    pub query_timeout: Duration,
    /// Largest request body (413 beyond); only `POST /api/ingest` has one.
    pub max_body_bytes: usize,
    /// Most documents in one ingest request.
    pub max_ingest_docs: usize,
    pub ingest_timeout: Duration,
    /// Bytes of JSON answers kept by the read-only response cache ([`cache`]);
    /// 0 turns it off. Always off when ingest is open.
    pub cache_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_page: 500,
            max_offset: 1_000_000,
            query_timeout: Duration::from_secs(30),
            max_body_bytes: 16 * 1024 * 1024,
            max_ingest_docs: 10_000,
            ingest_timeout: Duration::from_secs(600),
            cache_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Everything the server needs.
pub struct Server {
    pub pool: Arc<StorePool>,
    /// `Some((token, pipeline))` to open `POST /api/ingest`.
    pub ingest: Option<(String, Arc<dyn Ingest>)>,
    pub limits: Limits,
}

impl Server {
    pub fn new(pool: Arc<StorePool>) -> Server {
        Server {
            pool,
            ingest: None,
            limits: Limits::default(),
        }
    }

    /// The complete application: API, dashboard, limits and headers.
    pub fn router(self) -> Router {
        let read_only = self.ingest.is_none();
        let state: Shared = Arc::new(AppState {
            permits: tokio::sync::Semaphore::new(self.pool.size()),
            ingest_lock: tokio::sync::Semaphore::new(1),
            pool: self.pool,
            ingest: self.ingest.map(|(token, sink)| IngestGate { token, sink }),
            limits: self.limits.clone(),
        });
        let api = Router::new()
            .route("/api/health", get(api::health))
            .route("/api/stats", get(api::stats))
            .route("/api/events", get(api::events))
            .route("/api/events/{id}", get(api::event))
            .route("/api/dyads", get(api::dyads))
            .route("/api/actors", get(api::actors))
            .route("/api/timeline", get(api::timeline))
            .route("/api/network", get(api::network))
            .route("/api/places", get(api::places))
            .route("/api/openapi.json", get(api::openapi))
            .route(
                "/api/ingest",
                post(api::ingest).layer(DefaultBodyLimit::max(self.limits.max_body_bytes)),
            )
            .method_not_allowed_fallback(method_not_allowed)
            .with_state(state);
        let api = if read_only && self.limits.cache_bytes > 0 {
            let cache = Arc::new(cache::ResponseCache::new(self.limits.cache_bytes));
            api.layer(middleware::from_fn_with_state(cache, cache::layer))
        } else {
            api
        };
        Router::new()
            .merge(api)
            .fallback(static_or_404)
            .layer(DefaultBodyLimit::max(self.limits.max_body_bytes))
            .layer(middleware::from_fn(security_headers))
            .layer(tower_http::compression::CompressionLayer::new())
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                panic_to_500,
            ))
    }
}

/// Routes that are not the API: the embedded dashboard files, else a JSON 404.
async fn static_or_404(method: Method, req: Request) -> Response {
    let path = req.uri().path();
    if path.starts_with("/api/") || path == "/api" {
        return api::api_not_found().await.into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed().await.into_response();
    }
    let Some(asset) = assets::find(path) else {
        return ApiError::not_found("not found").into_response();
    };
    let etag = assets::etag(asset);
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let headers = [
        (header::CONTENT_TYPE, asset.content_type.to_string()),
        (header::ETAG, etag),
        (header::CACHE_CONTROL, "no-cache".to_string()),
    ];
    if fresh {
        (StatusCode::NOT_MODIFIED, headers).into_response()
    } else {
        (headers, asset.body).into_response()
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
}

/// Same-origin only: the dashboard loads nothing from elsewhere, so the browser is
/// told to refuse anything else.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
             script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

fn panic_to_500(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("a request handler panicked").into_response()
}

/// Serves `router` on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Binds `addr` and serves until interrupted, on a runtime of its own; calls
/// `ready` with the bound address (port 0 picks a free one) before accepting.
pub fn run(
    server: Server,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("dyad-serve")
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        serve(listener, server.router()).await
    })
}
