//! `dyad code INPUT...`: read documents, code events, write one JSON object per
//! event per line (the `dyad_doc::Event` contract) to stdout or `--out FILE`.
//!
//! Coding runs on the pipeline's worker threads through the shared
//! [`Engine`](crate::engine::Engine), and each document's output lines are
//! formatted there too, so the writer only copies bytes. With `--explain` the
//! account of every candidate event (coded or rejected, and why) goes to
//! stderr, or to `--explain-out FILE`.

use crate::Global;
use crate::engine::{DictSpec, Engine, EngineOptions};
use crate::pipeline::{self, Progress};
use anyhow::Context;
use dyad_doc::Doc;
use dyad_ingest::{Input, Options, Reader};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 done (problems in the input are warnings), \
1 with --strict if any document was skipped, 2 on an error that stopped the run."
)]
pub struct Args {
    /// Input files; `-` reads stdin. .jsonl/.ndjson/.json are JSON Lines
    /// ({"id","date","text",...}), .conllu is CoNLL-U, anything else is one text document.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Write events to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Use imported dictionaries: petrarch:DIR, tabari:DIR or dyad:DIR.
    #[arg(long, value_name = "KIND:DIR")]
    dict: Option<DictSpec>,
    /// Explain each candidate event (coded or rejected, and why) on stderr.
    #[arg(long)]
    explain: bool,
    /// Write the explanation to FILE instead of stderr.
    #[arg(long, value_name = "FILE")]
    explain_out: Option<PathBuf>,
    /// Keep negated and hypothetical events, with `modality` set.
    #[arg(long)]
    keep_modal: bool,
    /// Also code one-actor events (no target), as PLOVER allows.
    #[arg(long)]
    monadic: bool,
    #[command(flatten)]
    doc: pipeline::DocumentArgs,
    /// Do not add locations, dates and counts to events.
    #[arg(long)]
    no_attributes: bool,
    /// Exit with status 1 if any document was skipped or failed.
    #[arg(long)]
    strict: bool,
}

struct Out {
    lines: Vec<u8>,
    explain: String,
    sentences: u64,
    events: u64,
}

pub fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let date = a.doc.date()?;
    let engine = Engine::new(EngineOptions {
        dict: a.dict.clone(),
        model: a.doc.model.clone(),
        accurate: a.doc.accurate,
        keep_modal: a.keep_modal,
        monadic: a.monadic,
        no_attributes: a.no_attributes,
    })?;
    let progress = Progress::new(g, "documents");
    for w in engine.warnings.iter().take(20) {
        progress.println(&format!("dyad: warning: {w}"));
    }
    if engine.warnings.len() > 20 {
        progress.println(&format!(
            "dyad: warning: ... and {} more dictionary warnings",
            engine.warnings.len() - 20
        ));
    }
    let mut out: Box<dyn Write> = match &a.out {
        Some(path) => Box::new(BufWriter::with_capacity(
            1 << 16,
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
    };
    let explain = a.explain || a.explain_out.is_some();
    let mut explain_out: Box<dyn Write> = match &a.explain_out {
        Some(path) => Box::new(BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::stderr()),
    };
    let opts = Options {
        format: None,
        date,
        max_doc_bytes: a.doc.max_doc_bytes,
    };
    let mut reader = Reader::new(a.inputs.iter().cloned(), opts)
        .with_diagnostics(pipeline::diagnostics_printer(&progress, 20));
    let (mut sentences, mut events) = (0u64, 0u64);
    let result = pipeline::run(
        &progress,
        &mut reader,
        |input| {
            let doc = match input {
                Input::Document(d) => {
                    let mut doc = Doc::from_document(d);
                    dyad_text::segment(&mut doc);
                    doc
                }
                Input::Tokenized(doc) => *doc,
            };
            let (coded, text) = if explain {
                let (coded, _, text) = engine.explain_doc(doc);
                (coded, text)
            } else {
                (engine.process_doc(doc), String::new())
            };
            let mut lines = Vec::with_capacity(coded.events.len() * 1024);
            for e in &coded.events {
                serde_json::to_writer(&mut lines, e).expect("events serialize");
                lines.push(b'\n');
            }
            Out {
                lines,
                explain: text,
                sentences: coded.doc.sentences.len() as u64,
                events: coded.events.len() as u64,
            }
        },
        |o| {
            sentences += o.sentences;
            events += o.events;
            out.write_all(&o.lines)?;
            if !o.explain.is_empty() {
                explain_out.write_all(o.explain.as_bytes())?;
            }
            Ok(())
        },
    );
    let stats = match result.and_then(|s| out.flush().map(|()| s).map_err(Into::into)) {
        Ok(s) => s,
        Err(e) if pipeline::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e),
    };
    explain_out.flush()?;
    let summary = reader.summary();
    let secs = stats.elapsed.as_secs_f64().max(1e-9);
    let failed = match stats.failed.len() {
        0 => String::new(),
        n => format!(", {n} failed"),
    };
    progress.summary(&format!(
        "dyad code: {summary}{failed}; {sentences} sentences, {events} events in {secs:.2} s \
         ({:.0} sentences/s)",
        sentences as f64 / secs,
    ));
    Ok(pipeline::exit_code(a.strict, summary, &stats))
}
