//! Bulk insert into a new database file: `cargo bench -p dyad-store`.
//!
//! Synthetic events (the generator behind `gen-events`: 3 mentions per
//! document, each with its sentence) are generated first, outside the timing;
//! then `Store::bulk_load` stores documents, sentences and mentions and
//! commits. Printed per round: wall time and events/s, and the process's CPU
//! time (all threads, DuckDB's included), which is what to compare on a
//! machine shared with other work. Issue #5's target: ≥ 200,000 events/s.

use dyad_store::synth::{self, process_cpu_seconds};
use dyad_store::{Article, Store};
use std::time::Instant;

const DOCS: u64 = 100_000;
const ROUNDS: usize = 3;

fn main() {
    // `cargo bench` passes `--bench`; a name filter from the command line
    // (as for libtest benches) is ignored: there is one benchmark.
    let dir = tempfile::tempdir().expect("temporary directory");
    println!("| path | round | events | wall s | events/s | CPU s | events per CPU-s |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    // Path 0 is the appender on one connection in the caller's transaction
    // (`append_mentions_bulk`; `Store::ingest` appends the same way); 1 and 2
    // are `Store::bulk_load` with that many Arrow-building threads.
    for threads in [0, 1, 2] {
        for round in 1..=ROUNDS {
            let articles: Vec<Article> = synth::articles(42, DOCS).collect();
            let path = dir.path().join(format!("bulk-{threads}-{round}.duckdb"));
            let mut store = Store::open(&path).expect("new database");
            let (t, cpu) = (Instant::now(), process_cpu_seconds());
            let n = if threads == 0 {
                store.connection().execute_batch("BEGIN").unwrap();
                let mut n = 0;
                for c in articles.chunks(10_000) {
                    n += store.append_mentions_bulk(c).unwrap();
                }
                store.connection().execute_batch("COMMIT").unwrap();
                n
            } else {
                store
                    .bulk_load(articles.into_iter(), threads)
                    .expect("bulk load")
            };
            let wall = t.elapsed().as_secs_f64();
            let cpu = process_cpu_seconds() - cpu;
            let label = match threads {
                0 => "appender".to_string(),
                1 => "bulk_load, 1 thread".to_string(),
                t => format!("bulk_load, {t} threads"),
            };
            println!(
                "| {label} | {round} | {n} | {wall:.2} | {:.0} | {cpu:.2} | {:.0} |",
                n as f64 / wall,
                n as f64 / cpu
            );
            drop(store);
            let _ = std::fs::remove_file(&path);
        }
    }
}
