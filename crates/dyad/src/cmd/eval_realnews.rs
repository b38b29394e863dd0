//! `dyad eval realnews GOLD.jsonl`: code the RealNews gold's documents whole,
//! exactly as `dyad code` does (same reader, same engine options, same
//! per-document call), and score the events on the annotated sentences by
//! the gold's protocol (`dyad_code::eval::realnews`).
//!
//! The documents file is `--docs`, else the gold file's sibling named
//! `<stem>_docs.jsonl`. `--events FILE` scores a saved `dyad code` output
//! instead of coding: the two give the same report for the same options.

use crate::Global;
use crate::engine::{Engine, EngineOptions};
use anyhow::{Context, bail};
use dyad_code::eval::realnews::{self, Half};
use dyad_doc::Event;
use dyad_ingest::{Options, Reader};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(_g: &Global, a: &super::eval::Args) -> anyhow::Result<ExitCode> {
    let only = match a.half {
        None => None,
        Some(super::eval::Half::A) => Some(Half::A),
        Some(super::eval::Half::B) => Some(Half::B),
        Some(h) => bail!(
            "--half {h:?}: the RealNews gold is split by sampling round: use --half a or --half b"
        ),
    };
    let (gold, problems) = realnews::read_gold(&a.file)
        .with_context(|| format!("cannot read {}", a.file.display()))?;
    for p in &problems {
        eprintln!("dyad: warning: {p} (gold sentence skipped)");
    }
    let docs_path = match &a.docs {
        Some(p) => p.clone(),
        None => sibling_docs(&a.file)?,
    };
    let documents = read_documents(&docs_path)?;
    let ids: Vec<String> = documents.iter().map(|d| d.id().to_string()).collect();
    let events: Vec<Event> = match &a.events {
        Some(path) => read_events(path)?,
        None => {
            let engine = Engine::new(EngineOptions {
                dict: a.dict.clone(),
                model: a.model.clone(),
                accurate: a.accurate,
                keep_modal: a.keep_modal,
                monadic: a.monadic,
                no_attributes: false,
            })?;
            documents
                .into_par_iter()
                .map(|d| engine.process_input(d).events)
                .collect::<Vec<_>>()
                .into_iter()
                .flatten()
                .collect()
        }
    };
    let report = realnews::score(&gold, &ids, &events, only);
    if a.json {
        let mut v = serde_json::to_value(&report)?;
        if let Some(f) = v.get_mut("failures").and_then(|f| f.as_array_mut()) {
            f.truncate(a.failures);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", realnews::render(&report, a.failures));
    }
    Ok(ExitCode::SUCCESS)
}

/// `realnews_dev.jsonl` → `realnews_dev_docs.jsonl` beside it.
fn sibling_docs(gold: &Path) -> anyhow::Result<PathBuf> {
    let stem = gold
        .file_stem()
        .and_then(|s| s.to_str())
        .with_context(|| format!("{}: not a file name", gold.display()))?;
    let p = gold.with_file_name(format!("{stem}_docs.jsonl"));
    if !p.exists() {
        bail!(
            "{}: the documents file is not beside the gold file; give it with --docs",
            p.display()
        );
    }
    Ok(p)
}

/// The documents, read as `dyad code` reads them (dates normalised, bad
/// lines reported and skipped).
fn read_documents(path: &Path) -> anyhow::Result<Vec<dyad_ingest::Input>> {
    let mut reader = Reader::new(
        std::iter::once(path.to_path_buf()),
        Options {
            format: None,
            date: None,
            max_doc_bytes: dyad_ingest::DEFAULT_MAX_DOC_BYTES,
        },
    );
    let docs: Vec<_> = reader.by_ref().collect();
    let summary = reader.summary();
    if docs.is_empty() {
        bail!("{}: no documents read ({summary})", path.display());
    }
    Ok(docs)
}

/// Events of a `dyad code` output file.
fn read_events(path: &Path) -> anyhow::Result<Vec<Event>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}:{}: not a dyad code event", path.display(), i + 1))
        })
        .collect()
}
