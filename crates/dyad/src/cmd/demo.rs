//! `dyad demo`: from nothing to a dashboard in one command.
//!
//! Builds a database from the example article (built into the binary) and the first
//! `--docs` documents of the news corpus, with exactly the code path of
//! `dyad ingest` (the same coding, dedup and idempotence: re-running adds only what
//! is missing), then serves it like `dyad serve`.
use crate::Global;
use anyhow::Context;
use clap::Parser;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Documents to take from the start of the corpus (0: the example article only).
    #[arg(long, default_value_t = 500)]
    docs: usize,
    /// The news corpus, JSON lines `{id, date, text, ...}`.
    #[arg(long, default_value = "../shared/data/corpus/news_mix_real.jsonl")]
    corpus: PathBuf,
    /// The database to build (added to if it exists).
    #[arg(long, default_value = "dyad-demo.duckdb")]
    db: PathBuf,
    /// Address for the dashboard; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Build the database and stop.
    #[arg(long)]
    no_serve: bool,
}

/// `dyad ingest`'s arguments, parsed exactly as on the command line.
#[derive(Parser)]
struct IngestCli {
    #[command(flatten)]
    args: crate::cmd::ingest::Args,
}

pub fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let input = demo_input(&a)?;
    let ingest = IngestCli::try_parse_from([
        "dyad ingest".as_ref(),
        "--db".as_ref(),
        a.db.as_os_str(),
        input.path().as_os_str(),
    ])
    .context("preparing the ingest")?;
    let status = crate::cmd::ingest::run(g, ingest.args)?;
    if status != ExitCode::SUCCESS {
        return Ok(status);
    }
    if a.no_serve {
        if !g.quiet {
            eprintln!("dyad demo: database ready: {}", a.db.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let store = dyad_store::Store::open_read_only(&a.db)
        .with_context(|| format!("opening database {}", a.db.display()))?;
    let serve = crate::cmd::serve::Args {
        db: a.db.clone(),
        addr: a.addr,
        allow_ingest: false,
        token: None,
        connections: 4,
        max_page: 500,
        timeout: 30,
        no_cache: false,
    };
    crate::cmd::serve::serve(g, store, &serve, None)
}

/// A temporary JSON-lines file: the example article, then the first `--docs`
/// corpus lines. Deleted when dropped.
struct TempInput(PathBuf);

impl TempInput {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempInput {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn demo_input(a: &Args) -> anyhow::Result<TempInput> {
    let path = std::env::temp_dir().join(format!("dyad-demo-{}.jsonl", std::process::id()));
    let input = TempInput(path);
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(input.path())
            .with_context(|| format!("creating {}", input.path().display()))?,
    );
    out.write_all(dyad_serve::EXAMPLE_ARTICLE.trim_end().as_bytes())?;
    out.write_all(b"\n")?;
    if a.docs > 0 {
        let corpus = std::fs::File::open(&a.corpus).with_context(|| {
            format!(
                "opening the corpus {} (pass --corpus PATH, or --docs 0 for the example article only)",
                a.corpus.display()
            )
        })?;
        let mut taken = 0;
        for line in BufReader::new(corpus).lines() {
            if taken == a.docs {
                break;
            }
            let line = line.with_context(|| format!("reading {}", a.corpus.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
            taken += 1;
        }
    }
    out.flush()?;
    Ok(input)
}
