//! `dyad serve`: the HTTP API and dashboard over a database (see `dyad_serve`).
//!
//! Read-only unless `--allow-ingest` is given with a token: a dashboard on a
//! laptop should not become a write endpoint by accident. The database is then
//! opened read-only, so `dyad serve` can run while analysts read the same file
//! from Python or R.
use crate::Global;
use crate::engine::{Engine, EngineOptions};
use anyhow::Context;
use dyad_doc::Document;
use dyad_serve::{Limits, Server, StorePool};
use dyad_store::write::document_hash;
use dyad_store::{Article, Store};
use rayon::prelude::*;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// The database to serve (built with `dyad ingest` or `dyad demo`).
    #[arg(long, default_value = "dyad.duckdb")]
    pub db: PathBuf,
    /// Address to listen on. The default is this machine only; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Open `POST /api/ingest` (needs --token or DYAD_TOKEN).
    #[arg(long)]
    pub allow_ingest: bool,
    /// Bearer token for `POST /api/ingest` (default: the DYAD_TOKEN environment
    /// variable, which keeps it out of the process list).
    #[arg(long)]
    pub token: Option<String>,
    /// Database connections, which is also how many queries run at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub connections: u16,
    /// Largest page size a request may ask for (`limit`); larger is a 400.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_page: u32,
    /// Seconds a query may take before the request is answered 503.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Do not keep answers in memory (the read-only cache; see `dyad_serve::cache`).
    #[arg(long)]
    pub no_cache: bool,
}

pub fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let ingest = if a.allow_ingest {
        let token = a
            .token
            .clone()
            .or_else(|| std::env::var("DYAD_TOKEN").ok())
            .filter(|t| t.trim().len() >= 8)
            .context("--allow-ingest needs a bearer token of at least 8 characters: --token or DYAD_TOKEN")?;
        Some((token, ingest_pipeline()?))
    } else {
        None
    };
    let store = if ingest.is_some() {
        Store::open(&a.db)
    } else {
        Store::open_read_only(&a.db)
    }
    .with_context(|| format!("opening database {}", a.db.display()))?;
    serve(g, store, &a, ingest)
}

/// The coding pipeline behind `POST /api/ingest`: the same engine and store
/// calls as `dyad ingest`, so an uploaded document is coded and deduplicated
/// exactly as a file would be. Documents already stored with the same content
/// are not coded again.
struct PipelineIngest {
    engine: Engine,
}

impl dyad_serve::Ingest for PipelineIngest {
    fn ingest(
        &self,
        pool: &StorePool,
        documents: Vec<Document>,
    ) -> Result<dyad_serve::model::IngestReport, Box<dyn std::error::Error + Send + Sync>> {
        let known = pool.with(|store| store.known_documents())?;
        let before = documents.len();
        let articles: Vec<Article> = documents
            .into_par_iter()
            .filter_map(|d| {
                let hash = document_hash(&d);
                if known.get(&d.id) == Some(&hash) {
                    return None;
                }
                let coded = self.engine.process(d);
                Some(Article::from_coded(&coded.doc, coded.events, hash))
            })
            .collect();
        let unchanged = (before - articles.len()) as u64;
        let r = pool.with(|store| store.ingest(&articles))?;
        Ok(dyad_serve::model::IngestReport {
            stored: r.stored,
            replaced: r.replaced,
            unchanged: r.unchanged + unchanged,
            events: r.mentions,
            skipped: Vec::new(),
        })
    }
}

fn ingest_pipeline() -> anyhow::Result<Arc<dyn dyad_serve::Ingest>> {
    let engine = Engine::new(EngineOptions::default()).context("loading the coding engine")?;
    Ok(Arc::new(PipelineIngest { engine }))
}

/// Serves `store` until Ctrl-C; shared with `dyad demo`.
pub fn serve(
    g: &Global,
    store: Store,
    a: &Args,
    ingest: Option<(String, Arc<dyn dyad_serve::Ingest>)>,
) -> anyhow::Result<ExitCode> {
    let pool = StorePool::new(store, usize::from(a.connections)).context("opening connections")?;
    let read_only = ingest.is_none();
    let server = Server {
        pool: Arc::new(pool),
        ingest,
        limits: Limits {
            max_page: a.max_page,
            query_timeout: Duration::from_secs(a.timeout),
            cache_bytes: if a.no_cache {
                0
            } else {
                Limits::default().cache_bytes
            },
            ..Limits::default()
        },
    };
    let quiet = g.quiet;
    let db = a.db.display().to_string();
    dyad_serve::run(server, a.addr, |addr| {
        // The URL goes to stdout (scripts read it, e.g. with port 0); the rest to stderr.
        println!("http://{addr}/");
        if !quiet {
            eprintln!(
                "dyad serve: dashboard at http://{addr}/ , API at http://{addr}/api/openapi.json ; \
                 database {db}, {}; Ctrl-C to stop",
                if read_only {
                    "read-only"
                } else {
                    "POST /api/ingest open with the bearer token"
                }
            );
            if !addr.ip().is_loopback() {
                eprintln!(
                    "dyad serve: warning: listening on {addr}, reachable from other machines"
                );
            }
        }
    })
    .with_context(|| format!("serving on {}", a.addr))?;
    Ok(ExitCode::SUCCESS)
}
