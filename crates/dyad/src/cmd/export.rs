//! `dyad export`: write stored events as GDELT 2.0 (61 tab-separated columns),
//! CSV, JSON lines or Parquet (optionally one directory per month), filtered
//! like `dyad query events`. Formats and column choices: `dyad_store::export`.

use crate::Global;
use anyhow::Context;
use dyad_store::export::{Format, Partition};
use dyad_store::{Filter, Store};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The database file.
    #[arg(long, default_value = "dyad.duckdb")]
    db: PathBuf,
    #[arg(long, value_enum)]
    format: Format,
    /// Output file (a directory with --partition); stdout when omitted (not for parquet).
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Split a Parquet export into Hive-style directories (`month=2024-05/`).
    #[arg(long, value_enum)]
    partition: Option<Partition>,
    #[command(flatten)]
    filter: Filter,
}

pub fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&a.db)
        .with_context(|| format!("opening database {}", a.db.display()))?;
    if a.partition.is_some() && a.format != Format::Parquet {
        anyhow::bail!("--partition applies to --format parquet only");
    }
    let n = match (a.format, &a.out) {
        (Format::Parquet, Some(path)) => store
            .export_parquet(path, &a.filter, a.partition)
            .with_context(|| format!("writing {}", path.display()))?,
        (Format::Parquet, None) => anyhow::bail!("--format parquet needs --out PATH"),
        (format, Some(path)) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            let mut out = BufWriter::with_capacity(1 << 20, file);
            let n = store.export_to(format, &a.filter, &mut out)?;
            out.flush()
                .with_context(|| format!("writing {}", path.display()))?;
            n
        }
        (format, None) => {
            let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
            store.export_to(format, &a.filter, &mut out)?
        }
    };
    if !g.quiet {
        let to = a
            .out
            .as_ref()
            .map_or("stdout".to_string(), |p| p.display().to_string());
        eprintln!("dyad export: {n} events to {to}");
    }
    Ok(ExitCode::SUCCESS)
}
