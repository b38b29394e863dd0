//! `dyad ingest`: code documents and store them, or store already-coded events,
//! in a DuckDB database (see `dyad_store` for the schema and the guarantees).
//!
//! Writes go in transactions of `--batch` documents, each document's rows
//! together with its `documents` row, so a run killed at any point leaves a
//! consistent database and re-running the same command stores exactly what is
//! missing: documents already stored with the same content are skipped before
//! any coding work, changed ones are replaced.

use crate::Global;
use crate::engine::{DictSpec, Engine, EngineOptions};
use crate::pipeline::{self, Progress};
use anyhow::Context;
use dyad_doc::{Doc, Event};
use dyad_ingest::{Input, Options, Reader};
use dyad_store::write::{content_hash, document_hash};
use dyad_store::{Article, IngestReport, Store};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 done (bad input lines are reported and skipped), \
1 with --strict if any line was skipped, 2 on an error that stopped the run."
)]
pub struct Args {
    /// Documents to code and store (the formats of `dyad code`).
    #[arg(value_name = "INPUT", required_unless_present = "events")]
    inputs: Vec<PathBuf>,
    /// Store already-coded events instead: JSON lines as `dyad code` writes them
    /// (one event per line, a document's events on consecutive lines); `-` is stdin.
    #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
    events: Vec<PathBuf>,
    /// The database file (created if missing).
    #[arg(long, default_value = "dyad.duckdb")]
    db: PathBuf,
    /// Documents per transaction.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    batch: u32,
    /// Re-derive every event from the stored mentions at the end (full dedup pass).
    #[arg(long)]
    rebuild: bool,
    /// Exit with status 1 if any input line was skipped.
    #[arg(long)]
    strict: bool,
    /// Use imported dictionaries: petrarch:DIR, tabari:DIR or dyad:DIR.
    #[arg(long, value_name = "KIND:DIR")]
    dict: Option<DictSpec>,
    #[command(flatten)]
    doc: pipeline::DocumentArgs,
}

pub fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut store =
        Store::open(&a.db).with_context(|| format!("opening database {}", a.db.display()))?;
    let progress = Progress::new(g, "documents");
    let (report, skipped) = if a.events.is_empty() {
        ingest_documents(&mut store, &a, &progress)?
    } else {
        ingest_events(&mut store, &a, &progress)?
    };
    if a.rebuild {
        store.rebuild_events().context("rebuilding events")?;
    }
    progress.finish();
    let secs = started.elapsed().as_secs_f64();
    progress.summary(&format!(
        "dyad ingest: {} documents stored, {} replaced, {} unchanged; {} events ({:.0}/s); \
         {} lines skipped; {:.1}s; {}",
        report.stored,
        report.replaced,
        report.unchanged,
        report.mentions,
        report.mentions as f64 / secs.max(1e-9),
        skipped,
        secs,
        a.db.display()
    ));
    Ok(if a.strict && skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Codes documents on the pipeline's threads and stores them in batches;
/// returns the report and the number of input documents skipped as unreadable.
fn ingest_documents(
    store: &mut Store,
    a: &Args,
    progress: &Progress,
) -> anyhow::Result<(IngestReport, u64)> {
    let date = a.doc.date()?;
    let engine = Engine::new(EngineOptions {
        dict: a.dict.clone(),
        model: a.doc.model.clone(),
        accurate: a.doc.accurate,
        ..EngineOptions::default()
    })?;
    for w in engine.warnings.iter().take(20) {
        progress.println(&format!("dyad: warning: {w}"));
    }
    // Documents stored by an earlier (possibly interrupted) run with the same
    // content are skipped before any coding work.
    let known = store
        .known_documents()
        .context("reading stored documents")?;
    let unchanged = AtomicU64::new(0);
    let opts = Options {
        format: None,
        date,
        max_doc_bytes: a.doc.max_doc_bytes,
    };
    let mut reader = Reader::new(a.inputs.iter().cloned(), opts)
        .with_diagnostics(pipeline::diagnostics_printer(progress, 20));
    let source = (&mut reader).filter_map(|input| {
        let hash = match &input {
            Input::Document(d) => document_hash(d),
            Input::Tokenized(d) => content_hash(
                d.date.as_deref(),
                d.title.as_deref(),
                d.source.as_deref(),
                d.url.as_deref(),
                &d.text,
            ),
        };
        if known.get(input.id()) == Some(&hash) {
            unchanged.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        Some((input, hash))
    });
    let mut report = IngestReport::default();
    let mut batch: Vec<Article> = Vec::with_capacity(a.batch as usize);
    let stats = pipeline::run(
        progress,
        source.map(Hashed),
        |Hashed((input, hash))| {
            let doc = match input {
                Input::Document(d) => {
                    let mut doc = Doc::from_document(d);
                    dyad_text::segment(&mut doc);
                    doc
                }
                Input::Tokenized(doc) => *doc,
            };
            let coded = engine.process_doc(doc);
            Article::from_coded(&coded.doc, coded.events, hash)
        },
        |article| {
            batch.push(article);
            if batch.len() == a.batch as usize {
                report.add(store.ingest(&batch).context("writing a batch")?);
                batch.clear();
            }
            Ok(())
        },
    )?;
    report.add(store.ingest(&batch).context("writing a batch")?);
    report.unchanged += unchanged.load(Ordering::Relaxed);
    for id in &stats.failed {
        progress.println(&format!(
            "dyad: {id}: not stored (internal error while coding)"
        ));
    }
    let summary = reader.summary();
    Ok((report, summary.skipped_total() + stats.failed.len() as u64))
}

/// An input with its content hash, as the pipeline's work item.
struct Hashed((Input, u64));

impl pipeline::Item for Hashed {
    fn weight(&self) -> usize {
        self.0.0.weight()
    }
    fn id(&self) -> &str {
        self.0.0.id()
    }
}

/// Stores `dyad code` output; returns the report and the number of skipped lines.
///
/// Events are grouped into documents by `doc_id` within a batch window of
/// `--batch` documents (so interleaved lines of nearby documents are fine); a
/// document whose events reappear after its batch was written is reported.
fn ingest_events(
    store: &mut Store,
    a: &Args,
    progress: &Progress,
) -> anyhow::Result<(IngestReport, u64)> {
    let mut report = IngestReport::default();
    let mut skipped = 0u64;
    // The open batch: documents in first-seen order, and where each one is.
    let mut open: Vec<(String, Vec<Event>)> = Vec::with_capacity(a.batch as usize);
    let mut slot: HashMap<String, usize> = HashMap::new();
    // Documents already written by this run.
    let mut written: HashSet<String> = HashSet::new();

    let mut flush = |open: &mut Vec<(String, Vec<Event>)>,
                     slot: &mut HashMap<String, usize>,
                     written: &mut HashSet<String>,
                     store: &mut Store|
     -> anyhow::Result<()> {
        if open.is_empty() {
            return Ok(());
        }
        let articles: Vec<Article> = open
            .drain(..)
            .map(|(id, evs)| {
                written.insert(id.clone());
                Article::from_events(id, evs)
            })
            .collect();
        slot.clear();
        report.add(store.ingest(&articles).context("writing a batch")?);
        progress.inc(articles.len() as u64);
        Ok(())
    };

    for path in &a.events {
        let name = path.display().to_string();
        let reader: Box<dyn BufRead> = if path == Path::new("-") {
            Box::new(BufReader::new(std::io::stdin().lock()))
        } else {
            let f = std::fs::File::open(path).with_context(|| format!("opening {name}"))?;
            Box::new(BufReader::with_capacity(1 << 20, f))
        };
        for (i, line) in reader.lines().enumerate() {
            let line = line.with_context(|| format!("{name}:{}: reading", i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let event: Event = match serde_json::from_str(&line) {
                Ok(e) => e,
                Err(e) => {
                    progress.println(&format!(
                        "dyad: {name}:{}: not an event: {e}; skipped",
                        i + 1
                    ));
                    skipped += 1;
                    continue;
                }
            };
            if event.doc_id.is_empty() {
                progress.println(&format!(
                    "dyad: {name}:{}: event without doc_id; skipped",
                    i + 1
                ));
                skipped += 1;
                continue;
            }
            if let Some(&k) = slot.get(&event.doc_id) {
                open[k].1.push(event);
                continue;
            }
            if written.contains(&event.doc_id) {
                progress.println(&format!(
                    "dyad: {name}:{}: document {} was already stored earlier in this run \
                     (keep a document's events together); skipped",
                    i + 1,
                    event.doc_id
                ));
                skipped += 1;
                continue;
            }
            if open.len() == a.batch as usize {
                flush(&mut open, &mut slot, &mut written, store)?;
            }
            slot.insert(event.doc_id.clone(), open.len());
            open.push((event.doc_id.clone(), vec![event]));
        }
    }
    flush(&mut open, &mut slot, &mut written, store)?;
    Ok((report, skipped))
}
