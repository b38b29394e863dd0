//! Bulk loading: many articles into a new (or quiet) database, on every core.
//!
//! DuckDB's appender converts and stores rows on the calling thread, and the
//! expensive part of storing is compressing each full row group's columns
//! (dictionary and FSST analysis of every string). One appender therefore
//! uses one core. A parallel `INSERT INTO t SELECT * FROM scan` uses all of
//! them, if the scan can hand out its rows to several threads. DuckDB's own
//! Arrow scan cannot be reached through the Rust bindings, and the bindings'
//! Arrow table function declares itself single-threaded, so this module has
//! its own minimal one, [`BatchScan`]: it serves registered Arrow record
//! batches one vector (2,048 rows) at a time to however many threads DuckDB
//! runs, using the bindings' own Arrow-to-vector conversion.
//!
//! Flow of [`Store::bulk_load`]: articles are cut into chunks; worker threads
//! turn chunks into Arrow record batches (documents, sentences, mentions);
//! each group of batches is registered under a fresh id and inserted with
//! three parallel `INSERT .. SELECT` statements; all of it in one transaction,
//! so a failed load leaves the database as it was.

use crate::write::Article;
use crate::{Result, Store};
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::core::{DataChunkHandle, LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::{
    BindInfo, InitInfo, TableFunctionInfo, VTab, record_batch_to_duckdb_data_chunk,
    to_duckdb_logical_type_for_field,
};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Name of the table function, registered on the loading connection.
const SCAN: &str = "dyad_bulk_batches";

/// Record batches waiting to be inserted, by load id. The table function
/// receives only the id (a plain integer parameter), never a pointer.
fn registry() -> &'static Mutex<HashMap<u64, Arc<Vec<RecordBatch>>>> {
    static REGISTRY: OnceLock<Mutex<HashMap<u64, Arc<Vec<RecordBatch>>>>> = OnceLock::new();
    REGISTRY.get_or_init(Default::default)
}

/// Batches stay registered while the guard lives.
struct Registered(u64);

impl Registered {
    fn new(batches: Vec<RecordBatch>) -> Registered {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        registry()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, Arc::new(batches));
        Registered(id)
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        registry()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.0);
    }
}

/// `dyad_bulk_batches(id)`: the rows of the batches registered under `id`.
pub(crate) struct BatchScan;

pub(crate) struct ScanBind {
    batches: Arc<Vec<RecordBatch>>,
    /// (batch, first row, rows) of each vector-sized slice, in order.
    slices: Vec<(usize, usize, usize)>,
}

pub(crate) struct ScanInit {
    next: AtomicUsize,
}

impl VTab for BatchScan {
    type BindData = ScanBind;
    type InitData = ScanInit;

    fn bind(bind: &BindInfo) -> Result<ScanBind, Box<dyn std::error::Error>> {
        let id = bind.get_parameter(0).to_uint64();
        let batches = registry()
            .lock()
            .map_err(|_| "bulk load registry poisoned")?
            .get(&id)
            .cloned()
            .ok_or_else(|| format!("{SCAN}: no batches registered under id {id}"))?;
        let first = batches.first().ok_or("bulk load with no batches")?;
        for f in first.schema().fields() {
            bind.add_result_column(f.name(), to_duckdb_logical_type_for_field(f)?);
        }
        let vector = unsafe { duckdb::ffi::duckdb_vector_size() } as usize;
        let mut slices = Vec::new();
        for (b, rb) in batches.iter().enumerate() {
            let mut at = 0;
            while at < rb.num_rows() {
                let len = vector.min(rb.num_rows() - at);
                slices.push((b, at, len));
                at += len;
            }
        }
        Ok(ScanBind { batches, slices })
    }

    fn init(init: &InitInfo) -> Result<ScanInit, Box<dyn std::error::Error>> {
        // Every DuckDB worker may pull slices; the default for a table
        // function is one thread.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        init.set_max_threads(threads as u64);
        Ok(ScanInit {
            next: AtomicUsize::new(0),
        })
    }

    fn func(
        info: &TableFunctionInfo<Self>,
        output: &mut DataChunkHandle,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let bind = info.get_bind_data();
        let k = info.get_init_data().next.fetch_add(1, Ordering::Relaxed);
        match bind.slices.get(k) {
            Some(&(b, at, len)) => {
                record_batch_to_duckdb_data_chunk(&bind.batches[b].slice(at, len), output)?
            }
            None => output.set_len(0),
        }
        Ok(())
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(vec![LogicalTypeHandle::from(LogicalTypeId::UBigint)])
    }
}

/// Chunks per insert round: a chunk is the unit of work of one Arrow-building
/// thread.
const CHUNKS_PER_ROUND: usize = 64;

/// Articles per insert round: bounds memory (a round of 128,000 synthetic
/// articles is ~400k mentions of Arrow data) while keeping each `INSERT`
/// large enough to fill whole row groups on every thread.
const ROUND_ARTICLES: usize = 128_000;

impl Store {
    /// Stores a stream of articles (documents, sentences, mentions) as fast as
    /// the machine allows, in one transaction, with `threads` threads building
    /// Arrow batches and DuckDB inserting on all its threads. No per-batch
    /// deduplication: call [`Store::rebuild_events`] afterwards. For loading a
    /// new database (`gen-events`, benchmarks); incremental, idempotent ingest
    /// is [`Store::ingest`]. Returns the number of mentions stored.
    pub fn bulk_load(
        &mut self,
        articles: impl Iterator<Item = Article>,
        threads: usize,
    ) -> Result<u64> {
        self.bulk_load_in_rounds(articles, threads, ROUND_ARTICLES)
    }

    /// [`Store::bulk_load`] with rounds of `round_articles` articles (tests
    /// use small rounds to cover several on little data).
    #[doc(hidden)]
    pub fn bulk_load_in_rounds(
        &mut self,
        articles: impl Iterator<Item = Article>,
        threads: usize,
        round_articles: usize,
    ) -> Result<u64> {
        self.register_bulk_scan()?;
        self.conn
            .execute_batch("BEGIN TRANSACTION; SET preserve_insertion_order = false;")?;
        let result = self.bulk_rounds(articles, threads.max(1), round_articles.max(1));
        let end = match &result {
            Ok(_) => "COMMIT; RESET preserve_insertion_order;",
            Err(_) => "ROLLBACK; RESET preserve_insertion_order;",
        };
        self.conn.execute_batch(end)?;
        result
    }

    fn register_bulk_scan(&self) -> Result<()> {
        let exists: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM duckdb_functions() WHERE function_name = ?",
            [SCAN],
            |r| r.get(0),
        )?;
        if !exists {
            self.conn.register_table_function::<BatchScan>(SCAN)?;
        }
        Ok(())
    }

    fn bulk_rounds(
        &self,
        articles: impl Iterator<Item = Article>,
        threads: usize,
        round_articles: usize,
    ) -> Result<u64> {
        let chunk = round_articles.div_ceil(CHUNKS_PER_ROUND);
        let mut articles = articles.peekable();
        let mut total = 0;
        while articles.peek().is_some() {
            let round: Vec<Vec<Article>> = (0..CHUNKS_PER_ROUND)
                .map(|_| articles.by_ref().take(chunk).collect::<Vec<_>>())
                .filter(|c| !c.is_empty())
                .collect();
            let built = build_in_parallel(round, threads)?;
            let mut docs = Vec::with_capacity(built.len());
            let mut sents = Vec::with_capacity(built.len());
            let mut ments = Vec::with_capacity(built.len());
            for b in built {
                total += b.mentions;
                docs.push(b.documents);
                sents.push(b.sentences);
                ments.push(b.mention_rows);
            }
            for (table, batches) in [
                ("documents", docs),
                ("sentences", sents),
                ("mentions", ments),
            ] {
                self.insert_batches(table, batches)?;
            }
        }
        Ok(total)
    }

    fn insert_batches(&self, table: &str, batches: Vec<RecordBatch>) -> Result<()> {
        let batches: Vec<RecordBatch> = batches.into_iter().filter(|b| b.num_rows() > 0).collect();
        if !batches.is_empty() {
            let reg = Registered::new(batches);
            self.conn.execute(
                &format!("INSERT INTO {table} SELECT * FROM {SCAN}(?)"),
                [reg.0],
            )?;
        }
        Ok(())
    }
}

/// One chunk of articles as Arrow record batches.
pub(crate) struct Built {
    pub documents: RecordBatch,
    pub sentences: RecordBatch,
    pub mention_rows: RecordBatch,
    pub mentions: u64,
}

/// Builds the chunks' batches on `threads` threads, each taking a contiguous
/// run of chunks (chunks are the same size), in chunk order. The threads own
/// their chunks and free them once built: freeing millions of small strings
/// is a sizeable share of a load, and this way it runs in parallel and before
/// DuckDB's inserts, not interleaved with DuckDB's own allocations.
fn build_in_parallel(mut chunks: Vec<Vec<Article>>, threads: usize) -> Result<Vec<Built>> {
    let per_thread = chunks.len().div_ceil(threads).max(1);
    let mut runs = Vec::new();
    while !chunks.is_empty() {
        let rest = chunks.split_off(per_thread.min(chunks.len()));
        runs.push(std::mem::replace(&mut chunks, rest));
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|run| {
                scope.spawn(move || {
                    run.into_iter()
                        .map(|chunk| {
                            let refs: Vec<&Article> = chunk.iter().collect();
                            crate::write::build_batches(&refs, None)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
