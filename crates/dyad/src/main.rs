//! The `dyad` command line: a thin layer over the pipeline crates.
//!
//! Each subcommand lives in its own module under `cmd/` with its `Args` and `run`.
//! Shared plumbing (input streaming, parallel ordered processing, progress) is in
//! `pipeline`.

mod cmd;
mod engine;
mod pipeline;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "Code political events (who did what to whom, where and when) from news text"
)]
struct Cli {
    /// Worker threads (default: all cores).
    #[arg(long, global = true)]
    threads: Option<usize>,
    /// No progress bar or summary on stderr.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tokenize, tag and parse documents; write CoNLL-U or JSON.
    Parse(cmd::parse::Args),
    /// Rebuild the tagger/parser model from a UD treebank.
    Train(cmd::train::Args),
    /// Combine trained models into one ensemble model (parsers vote on each tree).
    Ensemble(cmd::ensemble::Args),
    /// Score Dyad against a gold file: `parse` (CoNLL-U) or an event gold suite.
    Eval(cmd::eval::Args),
    /// Code events from documents; one JSON object per event per line.
    Code(cmd::code::Args),
    /// Code documents and store the events in a DuckDB database.
    Ingest(cmd::ingest::Args),
    /// Export stored events (gdelt, csv, jsonl, parquet).
    Export(cmd::export::Args),
    /// Query stored events: dyads, timeline, actors, events.
    Query(cmd::query::Args),
    /// Serve the HTTP API and dashboard over a database.
    Serve(cmd::serve::Args),
    /// Build a demo database from the example article and corpus, then serve it.
    Demo(cmd::demo::Args),
}

/// Options every command can read.
pub struct Global {
    pub threads: Option<usize>,
    pub quiet: bool,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let g = Global {
        threads: cli.threads,
        quiet: cli.quiet,
    };
    if let Some(n) = g.threads {
        // Only fails if a pool exists already, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let result = match cli.command {
        Command::Parse(a) => cmd::parse::run(&g, a),
        Command::Train(a) => cmd::train::run(&g, a),
        Command::Ensemble(a) => cmd::ensemble::run(&g, a),
        Command::Eval(a) => cmd::eval::run(&g, a),
        Command::Code(a) => cmd::code::run(&g, a),
        Command::Ingest(a) => cmd::ingest::run(&g, a),
        Command::Export(a) => cmd::export::run(&g, a),
        Command::Query(a) => cmd::query::run(&g, a),
        Command::Serve(a) => cmd::serve::run(&g, a),
        Command::Demo(a) => cmd::demo::run(&g, a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dyad: error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
