//! `gen-events`: writes deterministic synthetic events, either straight into a
//! Dyad database (bulk append, then one dedup pass) or as `dyad code`-style JSON
//! lines for `dyad ingest --events`. Used by the benchmarks in BENCHMARKS.md
//! (`## Store`) and the interrupted-ingest test.
//!
//! ```sh
//! cargo run -p dyad-store --release --bin gen-events -- --events 10000000 --db /tmp/bench.duckdb
//! cargo run -p dyad-store --release --bin gen-events -- --events 300000 --jsonl /tmp/events.jsonl
//! ```

use clap::Parser;
use dyad_store::Store;
use dyad_store::synth::{self, process_cpu_seconds};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(about = "Generate synthetic coded events for benchmarks and tests")]
struct Args {
    /// About this many events (documents hold 3 on average).
    #[arg(long, default_value_t = 1_000_000)]
    events: u64,
    /// Random seed: the same seed gives the same events.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Append into this database (created if missing).
    #[arg(long, conflicts_with = "jsonl", required_unless_present = "jsonl")]
    db: Option<PathBuf>,
    /// Threads building Arrow batches (see `Store::bulk_load`).
    #[arg(long, default_value_t = std::thread::available_parallelism().map_or(1, |n| n.get()))]
    threads: usize,
    /// Write JSON lines (one event per line) to this file instead.
    #[arg(long)]
    jsonl: Option<PathBuf>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-events: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(a: Args) -> anyhow::Result<()> {
    let docs = a.events.div_ceil(3);
    let started = Instant::now();
    if let Some(path) = &a.jsonl {
        let file =
            std::fs::File::create(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let mut out = BufWriter::new(file);
        let mut n = 0u64;
        for art in synth::articles(a.seed, docs) {
            for e in &art.events {
                serde_json::to_writer(&mut out, e)?;
                out.write_all(b"\n")?;
                n += 1;
            }
        }
        out.flush()?;
        eprintln!(
            "gen-events: {n} events in {docs} documents written to {} in {:.1}s",
            path.display(),
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    let path = a.db.expect("clap requires --db or --jsonl");
    let mut store = Store::open(&path)?;
    if store.stats()?.documents > 0 {
        anyhow::bail!(
            "{}: database is not empty; generate into a new file",
            path.display()
        );
    }
    // Generation (this thread) overlaps the appends (worker threads), and
    // memory stays flat for ten million events; the figure printed covers
    // both. `cargo bench -p dyad-store` times the insert alone.
    let cpu = process_cpu_seconds();
    let n = store.bulk_load(synth::articles(a.seed, docs), a.threads)?;
    let appended = started.elapsed().as_secs_f64();
    let cpu = process_cpu_seconds() - cpu;
    eprintln!(
        "gen-events: {n} mentions generated and appended in {appended:.2}s wall \
         ({:.0} events/s), {cpu:.2}s CPU, {} threads",
        n as f64 / appended,
        a.threads
    );
    let t = Instant::now();
    store.rebuild_events()?;
    let stats = store.stats()?;
    eprintln!(
        "gen-events: deduplicated into {} events in {:.1}s; {}",
        stats.events,
        t.elapsed().as_secs_f64(),
        path.display()
    );
    Ok(())
}
