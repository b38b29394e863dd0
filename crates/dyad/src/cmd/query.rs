//! `dyad query`: the store's typed queries on the command line. Tables for
//! people (long text cut to fit), `--json` (the same structs `dyad serve`
//! returns) and `--csv` for scripts.

use crate::Global;
use anyhow::Context;
use dyad_store::query::{ActorLevel, DyadCount, Interval, Order, Page};
use dyad_store::{Filter, Store};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The database file.
    #[arg(long, default_value = "dyad.duckdb", global = true)]
    db: PathBuf,
    /// JSON output (one document).
    #[arg(long, global = true, conflicts_with = "csv")]
    json: bool,
    /// CSV output with a header.
    #[arg(long, global = true)]
    csv: bool,
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Event counts per (source, target) actor pair.
    Dyads {
        #[command(flatten)]
        filter: Filter,
        /// Group actors by full code or by country.
        #[arg(long, value_enum, default_value = "code")]
        level: ActorLevel,
        #[arg(long, default_value_t = 25)]
        limit: u32,
        /// One row per dyad per day/week/month/year instead (no limit).
        #[arg(long, value_enum)]
        by: Option<Interval>,
    },
    /// Events per day, week, month or year, by QuadClass, with mean Goldstein.
    Timeline {
        #[command(flatten)]
        filter: Filter,
        #[arg(long, value_enum, default_value = "month")]
        by: Interval,
    },
    /// Actors by number of events.
    Actors {
        #[command(flatten)]
        filter: Filter,
        #[arg(long, default_value_t = 25)]
        limit: u32,
    },
    /// Matching events, newest first.
    Events {
        #[command(flatten)]
        filter: Filter,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u64,
        #[arg(long, value_enum, default_value = "newest")]
        order: Order,
    },
    /// One event by global id or by the id of one of its mentions (doc:sentence:n).
    Event {
        id: String,
        /// Show every mention's sentence and how it was coded.
        #[arg(long)]
        explain: bool,
    },
    /// Events per place.
    Places {
        #[command(flatten)]
        filter: Filter,
        #[arg(long, default_value_t = 25)]
        limit: u32,
    },
    /// Events per location country.
    Countries {
        #[command(flatten)]
        filter: Filter,
    },
    /// Row counts and date range of the database.
    Stats,
}

/// Rows ready to print: a header and string cells.
struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

/// Columns of a dyad row, with or without a period before them.
const DYAD_HEADER: [&str; 9] = [
    "source",
    "target",
    "events",
    "mentions",
    "goldstein",
    "q1",
    "q2",
    "q3",
    "q4",
];

fn dyad_cells(d: &DyadCount) -> Vec<String> {
    let mut row = vec![
        d.source.clone(),
        d.target.clone(),
        d.events.to_string(),
        d.mentions.to_string(),
        format!("{:.2}", d.goldstein_mean),
    ];
    row.extend(d.quad.iter().map(u64::to_string));
    row
}

fn opt<T: ToString>(o: &Option<T>) -> String {
    o.as_ref().map(ToString::to_string).unwrap_or_default()
}

pub fn run(_g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&a.db)
        .with_context(|| format!("opening database {}", a.db.display()))?;
    // Block-buffered: the standard lock flushes every line, which for a
    // 60,000-row dyad-by-month table costs more than the query.
    let out = &mut std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let emit =
        |out: &mut dyn Write, value: &dyn erased::Json, table: Table| -> anyhow::Result<()> {
            if a.json {
                value.write_json(out)?;
                writeln!(out)?;
            } else if a.csv {
                print_csv(out, &table)?;
            } else {
                print_table(out, &table)?;
            }
            Ok(())
        };
    match a.what {
        What::Dyads {
            filter,
            level,
            by: Some(by),
            ..
        } => {
            let r = store.dyad_timeline(&filter, level, by)?;
            let rows = r
                .iter()
                .map(|d| {
                    let mut row = vec![d.period.clone()];
                    row.extend(dyad_cells(&d.dyad));
                    row
                })
                .collect();
            let mut header = vec!["period"];
            header.extend(DYAD_HEADER);
            emit(out, &r, Table { header, rows })?;
        }
        What::Dyads {
            filter,
            level,
            limit,
            by: None,
        } => {
            let r = store.dyads(&filter, level, limit)?;
            let rows = r.iter().map(dyad_cells).collect();
            let header = DYAD_HEADER.to_vec();
            emit(out, &r, Table { header, rows })?;
        }
        What::Timeline { filter, by } => {
            let r = store.timeline(&filter, by)?;
            let rows = r
                .iter()
                .map(|p| {
                    vec![
                        p.period.clone(),
                        p.events.to_string(),
                        p.mentions.to_string(),
                        p.quad[0].to_string(),
                        p.quad[1].to_string(),
                        p.quad[2].to_string(),
                        p.quad[3].to_string(),
                        format!("{:.2}", p.goldstein_mean),
                    ]
                })
                .collect();
            let header = vec![
                "period",
                "events",
                "mentions",
                "q1",
                "q2",
                "q3",
                "q4",
                "goldstein",
            ];
            emit(out, &r, Table { header, rows })?;
        }
        What::Actors { filter, limit } => {
            let r = store.actors(&filter, limit)?;
            let rows = r
                .iter()
                .map(|x| {
                    vec![
                        x.code.clone(),
                        opt(&x.country),
                        x.as_source.to_string(),
                        x.as_target.to_string(),
                        x.events.to_string(),
                    ]
                })
                .collect();
            let header = vec!["code", "country", "as_source", "as_target", "events"];
            emit(out, &r, Table { header, rows })?;
        }
        What::Events {
            filter,
            limit,
            offset,
            order,
        } => {
            let r = store.events(&filter, order, Page { limit, offset })?;
            let rows = r
                .events
                .iter()
                .map(|e| {
                    vec![
                        e.global_id.to_string(),
                        opt(&e.date),
                        opt(&e.source_code),
                        e.cameo.clone(),
                        opt(&e.target_code),
                        opt(&e.location_name),
                        opt(&e.location_country),
                        e.num_mentions.to_string(),
                        e.num_sources.to_string(),
                        e.event_id.clone(),
                    ]
                })
                .collect();
            let header = vec![
                "global_id",
                "date",
                "source",
                "cameo",
                "target",
                "place",
                "country",
                "mentions",
                "sources",
                "first_mention",
            ];
            emit(out, &r, Table { header, rows })?;
            if !a.json && !a.csv && r.total > r.events.len() as u64 {
                eprintln!(
                    "{} of {} events shown (--limit, --offset)",
                    r.events.len(),
                    r.total
                );
            }
        }
        What::Event { id, explain } => {
            let Some(d) = store.event(&id)? else {
                anyhow::bail!("no event {id:?} in {}", a.db.display());
            };
            if a.json {
                serde_json::to_writer_pretty(&mut *out, &d)?;
                writeln!(out)?;
            } else {
                let e = &d.event;
                writeln!(
                    out,
                    "event {}  {}  {} {} {}  (CAMEO {}, QuadClass {}, Goldstein {:.1}, PLOVER {})",
                    e.global_id,
                    opt(&e.date),
                    opt(&e.source_code),
                    e.cameo,
                    opt(&e.target_code),
                    e.cameo,
                    e.quad_class,
                    e.goldstein,
                    opt(&e.plover_category)
                )?;
                if let Some(place) = &e.location_name {
                    writeln!(out, "  where: {place}, {}", opt(&e.location_country))?;
                }
                writeln!(
                    out,
                    "  {} mentions in {} articles from {} sources",
                    e.num_mentions, e.num_articles, e.num_sources
                )?;
                for m in &d.mentions {
                    writeln!(
                        out,
                        "\n  {} sentence {}{}",
                        m.doc_id,
                        m.sentence,
                        m.outlet
                            .as_ref()
                            .map_or(String::new(), |o| format!(" ({o})"))
                    )?;
                    writeln!(out, "    \"{}\"", m.sentence_text)?;
                    if explain {
                        let c = &m.coded;
                        let p = &c.provenance;
                        writeln!(
                            out,
                            "    {} = {}  {} = {}",
                            c.source.as_ref().map_or("-", |s| s.text.as_str()),
                            c.source.as_ref().map_or("-", |s| s.code.as_str()),
                            c.target.as_ref().map_or("-", |s| s.text.as_str()),
                            c.target.as_ref().map_or("-", |s| s.code.as_str()),
                        )?;
                        writeln!(
                            out,
                            "    trigger \"{}\", pattern {} ({})",
                            p.trigger.text, p.pattern, p.pattern_source
                        )?;
                        for (role, entry) in
                            [("source", &p.source_entry), ("target", &p.target_entry)]
                        {
                            if let Some(en) = entry {
                                writeln!(out, "    {role} entry {} ({})", en.name, en.source)?;
                            }
                        }
                        if !p.rules.is_empty() {
                            writeln!(out, "    rules: {}", p.rules.join(", "))?;
                        }
                    }
                }
            }
        }
        What::Places { filter, limit } => {
            let r = store.places(&filter, limit)?;
            let rows = r
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        opt(&p.admin1),
                        opt(&p.country),
                        opt(&p.lat),
                        opt(&p.lon),
                        p.events.to_string(),
                    ]
                })
                .collect();
            let header = vec!["place", "admin1", "country", "lat", "lon", "events"];
            emit(out, &r, Table { header, rows })?;
        }
        What::Countries { filter } => {
            let r = store.countries(&filter)?;
            let rows = r
                .iter()
                .map(|c| vec![c.country.clone(), c.events.to_string()])
                .collect();
            emit(
                out,
                &r,
                Table {
                    header: vec!["country", "events"],
                    rows,
                },
            )?;
        }
        What::Stats => {
            let s = store.stats()?;
            let rows = vec![
                vec!["documents".into(), s.documents.to_string()],
                vec!["sentences".into(), s.sentences.to_string()],
                vec!["mentions".into(), s.mentions.to_string()],
                vec!["events".into(), s.events.to_string()],
                vec!["actors".into(), s.actors.to_string()],
                vec!["first_date".into(), opt(&s.first_date)],
                vec!["last_date".into(), opt(&s.last_date)],
                vec!["schema_version".into(), s.schema_version.to_string()],
                vec!["duckdb".into(), s.duckdb_version.clone()],
            ];
            emit(
                out,
                &s,
                Table {
                    header: vec!["what", "value"],
                    rows,
                },
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Object-safe JSON writing, so `emit` can take any result type.
mod erased {
    pub trait Json {
        fn write_json(&self, out: &mut dyn std::io::Write) -> anyhow::Result<()>;
    }
    impl<T: serde::Serialize> Json for T {
        fn write_json(&self, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
            serde_json::to_writer_pretty(out, self)?;
            Ok(())
        }
    }
}

/// Widest a table cell gets before it is cut (with `…`).
const MAX_CELL: usize = 40;

fn print_table(out: &mut dyn Write, t: &Table) -> std::io::Result<()> {
    let cut = |s: &str| -> String {
        if s.chars().count() > MAX_CELL {
            let mut c: String = s.chars().take(MAX_CELL - 1).collect();
            c.push('…');
            c
        } else {
            s.to_string()
        }
    };
    let cells: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| cut(c)).collect())
        .collect();
    let mut width: Vec<usize> = t.header.iter().map(|h| h.len()).collect();
    for r in &cells {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |out: &mut dyn Write, row: &[&str]| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, (c, w)) in row.iter().zip(&width).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            // Numbers right-aligned, text left-aligned.
            let numeric = !c.is_empty() && c.parse::<f64>().is_ok();
            let pad = w.saturating_sub(c.chars().count());
            if numeric {
                s.extend(std::iter::repeat_n(' ', pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                s.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(out, &t.header)?;
    for r in &cells {
        line(out, &r.iter().map(String::as_str).collect::<Vec<_>>())?;
    }
    if cells.is_empty() {
        writeln!(out, "(no events match)")?;
    }
    Ok(())
}

fn print_csv(out: &mut dyn Write, t: &Table) -> std::io::Result<()> {
    writeln!(out, "{}", t.header.join(","))?;
    for r in &t.rows {
        let fields: Vec<String> = r
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}
