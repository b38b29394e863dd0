//! Ordered parallel processing of a document stream, shared by `dyad parse`,
//! `dyad code` and `dyad ingest`.
//!
//! ```text
//!  reader thread            calling thread                    rayon pool
//!  source.next() ─batch─▶ [bounded channel, 2 batches] ─▶ work(item) in parallel
//!                                                          │ results in input order
//!                         sink(result) ◀───────────────────┘
//! ```
//!
//! * **Bounded memory.** Items are read in batches of at most [`BATCH_ITEMS`] items
//!   or [`BATCH_BYTES`] bytes of text (whichever comes first), and at most two
//!   batches wait in the channel, so memory depends on the batch bounds, not on
//!   the input size.
//! * **Deterministic order.** Each batch is mapped with rayon's indexed `collect`,
//!   which keeps positions, and batches are sunk in the order they were read: the
//!   output is the same for any `--threads`.
//! * **Reading overlaps work.** The source runs on its own thread, so decoding JSON
//!   and reading files happen while the pool annotates the previous batch. The sink
//!   runs on the calling thread between batches; it should only format/write.
//! * **One bad document does not end a long run.** A panic inside `work` is caught
//!   for that item, reported with its id, counted in [`Stats::failed`], and the run
//!   goes on. (The panic hook still prints the panic message: it is a bug to fix.)
//! * **Progress** goes to stderr through [`Progress`], which draws nothing when
//!   stderr is not a terminal or `--quiet` is given; diagnostics printed through it
//!   appear above the bar instead of tearing it.

use crate::Global;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// Most items in one batch.
pub const BATCH_ITEMS: usize = 256;
/// Most bytes of text in one batch (a batch always holds at least one item).
pub const BATCH_BYTES: usize = 8 << 20;

/// What the pipeline needs to know about an item: its size, for batching, and a
/// name, for reporting a failure.
pub trait Item {
    /// Approximate bytes of text.
    fn weight(&self) -> usize;
    /// Document id.
    fn id(&self) -> &str;
}

impl Item for dyad_ingest::Input {
    fn weight(&self) -> usize {
        match self {
            dyad_ingest::Input::Document(d) => d.text.len(),
            dyad_ingest::Input::Tokenized(d) => d.text.len(),
        }
    }
    fn id(&self) -> &str {
        dyad_ingest::Input::id(self)
    }
}

impl Item for dyad_doc::Document {
    fn weight(&self) -> usize {
        self.text.len()
    }
    fn id(&self) -> &str {
        &self.id
    }
}

/// A progress indicator on stderr (hidden when stderr is not a terminal or with
/// `--quiet`). Cheap to clone; clones share the bar.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
    quiet: bool,
}

impl Progress {
    /// A progress counter of `what` (e.g. "documents").
    pub fn new(g: &Global, what: &str) -> Progress {
        let visible = !g.quiet && std::io::stderr().is_terminal();
        let bar = if visible {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4))
        } else {
            ProgressBar::hidden()
        };
        let template =
            format!("{{spinner}} {{human_pos}} {what} ({{per_sec}}) {{elapsed}} {{msg}}");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        if visible {
            bar.enable_steady_tick(Duration::from_millis(250));
        }
        Progress {
            bar,
            quiet: g.quiet,
        }
    }

    /// Prints a line on stderr above the bar (always, even with `--quiet`:
    /// diagnostics are not progress).
    pub fn println(&self, line: &str) {
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else {
            self.bar.suspend(|| eprintln!("{line}"));
        }
    }

    /// Prints an end-of-run summary line unless `--quiet`.
    pub fn summary(&self, line: &str) {
        if !self.quiet {
            self.println(line);
        }
    }

    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A diagnostic printer for [`dyad_ingest::Reader::with_diagnostics`]: prints
/// through `progress`, at most `per_reason` lines for each reason, then one line
/// saying that further ones are only counted.
pub fn diagnostics_printer(
    progress: &Progress,
    per_reason: u64,
) -> impl FnMut(&dyad_ingest::Diagnostic) + Send + 'static {
    let progress = progress.clone();
    let mut seen = std::collections::HashMap::<dyad_ingest::Reason, u64>::new();
    move |d| {
        let n = seen.entry(d.reason).or_default();
        *n += 1;
        if *n <= per_reason {
            progress.println(&format!("dyad: {d}"));
        }
        if *n == per_reason + 1 {
            progress.println(&format!(
                "dyad: further \"{}\" problems are counted in the summary but not shown",
                d.reason
            ));
        }
    }
}

/// Options of every command that reads documents (`parse`, `code`, `ingest`),
/// declared once so they mean the same everywhere.
#[derive(clap::Args, Debug, Clone)]
pub struct DocumentArgs {
    /// Publication date (YYYY-MM-DD) for documents that have none.
    #[arg(long)]
    pub date: Option<String>,
    /// Skip (with a warning) documents with more bytes of text than this.
    #[arg(long, default_value_t = dyad_ingest::DEFAULT_MAX_DOC_BYTES, value_name = "BYTES")]
    pub max_doc_bytes: usize,
    /// Tagger/parser model file (from `dyad train`) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub model: Option<std::path::PathBuf>,
    /// Parse with the built-in accurate model (word clusters; beam-search and
    /// greedy parsers voting on each tree): about 2 points better attachment
    /// (UAS/LAS on UD English EWT), about 0.15× the speed.
    #[arg(long, conflicts_with = "model")]
    pub accurate: bool,
}

impl DocumentArgs {
    /// `--date` as `YYYY-MM-DD`.
    pub fn date(&self) -> anyhow::Result<Option<String>> {
        date_option(self.date.as_deref())
    }
}

/// Reads a `--date` option (any format [`dyad_ingest::date::normalize`] knows) as
/// `YYYY-MM-DD`; an unreadable date is an error naming the option.
pub fn date_option(date: Option<&str>) -> anyhow::Result<Option<String>> {
    date.map(|d| {
        dyad_ingest::date::normalize(d)
            .ok_or_else(|| anyhow::anyhow!("--date {d:?}: expected a date such as 2024-05-17"))
    })
    .transpose()
}

/// Whether `e` is the reader of our output going away (`dyad code | head`), which
/// ends a run quietly rather than as an error.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The exit status of a completed run: 1 under `--strict` when any document was
/// skipped or failed, else 0 (skips are warnings, already reported).
pub fn exit_code(
    strict: bool,
    summary: &dyad_ingest::Summary,
    stats: &Stats,
) -> std::process::ExitCode {
    let incomplete = summary.skipped_total() > 0 || !stats.failed.is_empty();
    if strict && incomplete {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}

/// What [`run`] did.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Items taken from the source.
    pub items: u64,
    /// Ids of items whose `work` panicked (their results are missing from the sink).
    pub failed: Vec<String>,
    pub elapsed: Duration,
}

/// Runs `work` over every item of `source` in parallel on the global rayon pool
/// (sized by `--threads`), and hands each result to `sink` **in input order**.
///
/// * `source` is consumed on a separate thread, in batches (see the module docs),
///   so it must be `Send`; it should not block forever.
/// * `work` runs on pool threads, many items at once: it must be `Sync`, and should
///   do all the heavy lifting, including formatting output, so that `sink` only
///   writes.
/// * `sink` runs on the calling thread, one result at a time, in input order. If it
///   returns an error, reading stops, the error is returned, and no further results
///   are sunk.
/// * A panic in `work` for one item is caught: the item is reported through
///   `progress` with its id and listed in [`Stats::failed`]; the run continues.
///
/// `progress` advances by one per item; [`Progress::finish`] is called at the end.
pub fn run<I, T>(
    progress: &Progress,
    source: impl Iterator<Item = I> + Send,
    work: impl Fn(I) -> T + Sync,
    mut sink: impl FnMut(T) -> anyhow::Result<()>,
) -> anyhow::Result<Stats>
where
    I: Item + Send,
    T: Send,
{
    let started = Instant::now();
    let mut stats = Stats::default();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<I>>(2);
    let result = std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut source = source;
            loop {
                let mut batch = Vec::with_capacity(BATCH_ITEMS);
                let mut bytes = 0;
                while batch.len() < BATCH_ITEMS && bytes < BATCH_BYTES {
                    match source.next() {
                        Some(item) => {
                            bytes += item.weight();
                            batch.push(item);
                        }
                        None => break,
                    }
                }
                let last = batch.len() < BATCH_ITEMS && bytes < BATCH_BYTES;
                if batch.is_empty() || tx.send(batch).is_err() || last {
                    return;
                }
            }
        });
        for batch in rx {
            stats.items += batch.len() as u64;
            let results: Vec<Result<T, String>> = batch
                .into_par_iter()
                .map(|item| {
                    let id = item.id().to_string();
                    catch_unwind(AssertUnwindSafe(|| work(item))).map_err(|_| id)
                })
                .collect();
            for r in results {
                progress.inc(1);
                match r {
                    Ok(t) => sink(t)?,
                    Err(id) => {
                        progress.println(&format!(
                            "dyad: {id}: internal error while processing this document; skipped (please report it)"
                        ));
                        stats.failed.push(id);
                    }
                }
            }
        }
        Ok(())
    });
    // On a sink error the loop above returns early and drops the receiver, so the
    // reader thread's next send fails and it ends; the scope then joins it.
    progress.finish();
    stats.elapsed = started.elapsed();
    result.map(|()| stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Num(usize);
    impl Item for Num {
        fn weight(&self) -> usize {
            1
        }
        fn id(&self) -> &str {
            "n"
        }
    }

    fn quiet() -> Global {
        Global {
            threads: None,
            quiet: true,
        }
    }

    #[test]
    fn results_come_out_in_input_order() {
        let p = Progress::new(&quiet(), "items");
        let mut out = Vec::new();
        let n = 3 * BATCH_ITEMS + 17;
        let stats = run(
            &p,
            (0..n).map(Num),
            |Num(i)| {
                // Uneven work so that threads finish out of order.
                let spin = (i * 7919) % 5000;
                (0..spin).fold(i, |a, b| a ^ b) ^ (0..spin).fold(0, |a, b| a ^ b)
            },
            |x| {
                out.push(x);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(stats.items, n as u64);
        assert_eq!(out, (0..n).collect::<Vec<_>>());
    }

    #[test]
    fn a_panicking_item_is_skipped_and_named() {
        let p = Progress::new(&quiet(), "items");
        let mut out = Vec::new();
        let stats = run(
            &p,
            (0..10).map(Num),
            |Num(i)| {
                assert!(i != 4, "bug triggered by item 4");
                i
            },
            |x| {
                out.push(x);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(out, [0, 1, 2, 3, 5, 6, 7, 8, 9]);
        assert_eq!(stats.failed, ["n"]);
    }

    #[test]
    fn a_sink_error_stops_the_run() {
        let p = Progress::new(&quiet(), "items");
        let mut seen = 0;
        let err = run(
            &p,
            (0..100_000).map(Num),
            |Num(i)| i,
            |_| {
                seen += 1;
                if seen == 3 {
                    anyhow::bail!("disk full")
                }
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(seen, 3);
    }
}
