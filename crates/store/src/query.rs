//! Typed queries over the deduplicated `events` table, shared by `dyad query`
//! and `dyad serve`.
//!
//! A [`Filter`] is plain data (serde for the HTTP API, clap for the CLI). It is
//! turned into a `WHERE` clause whose values are always bound as parameters,
//! never spliced into the SQL text, so a filter value like `'; DROP TABLE
//! events; --` is just a code prefix that matches nothing. Results are plain
//! serde-serialisable structs, ready to print as a table, CSV or JSON.
//!
//! Actor filters are code prefixes: `RUS` matches `RUS`, `RUSGOV`, `RUSMIL`;
//! `code` is a CAMEO prefix (`19` is the whole "fight" family, `190` one code).
//! `country` matches the event's location country or, for events without a
//! location country, either actor's country.

use crate::detail::{MENTION_SELECT, rebuild};
use crate::{Error, Result, Store};
use duckdb::types::Value;
use serde::{Deserialize, Serialize};

/// Which events to look at. Every field is optional; set fields are ANDed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(default)]
pub struct Filter {
    /// Source actor code prefix (RUS, RUSGOV, IGOUNO ...).
    #[arg(long)]
    pub source: Option<String>,
    /// Target actor code prefix.
    #[arg(long)]
    pub target: Option<String>,
    /// Actor code prefix on either side.
    #[arg(long)]
    pub actor: Option<String>,
    /// CAMEO code prefix: 19 (root), 190, 0311 ...
    #[arg(long)]
    pub code: Option<String>,
    /// QuadClass: 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict.
    #[arg(long)]
    pub quad_class: Option<u8>,
    /// PLOVER category (e.g. ASSAULT, CONSULT).
    #[arg(long)]
    pub plover: Option<String>,
    /// ISO 3166 alpha-3 of the event's location (or actors when no location).
    #[arg(long)]
    pub country: Option<String>,
    /// First day, YYYY-MM-DD (inclusive).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (inclusive).
    #[arg(long)]
    pub to: Option<String>,
    /// Only events with a mention in this document.
    #[arg(long)]
    pub doc: Option<String>,
    /// Case-insensitive words in the actor texts or place name.
    #[arg(long)]
    pub search: Option<String>,
}

impl Filter {
    /// The `WHERE` clause (always non-empty) and its bound values.
    pub fn to_sql(&self) -> Result<(String, Vec<Value>)> {
        let mut clauses: Vec<&str> = vec!["true"];
        let mut params: Vec<Value> = Vec::new();
        let text = |s: &str| Value::Text(s.trim().to_string());
        if let Some(s) = nonempty(&self.source) {
            clauses.push("starts_with(source_code, ?)");
            params.push(text(&s.to_ascii_uppercase()));
        }
        if let Some(s) = nonempty(&self.target) {
            clauses.push("starts_with(target_code, ?)");
            params.push(text(&s.to_ascii_uppercase()));
        }
        if let Some(s) = nonempty(&self.actor) {
            clauses.push("(starts_with(source_code, ?) OR starts_with(target_code, ?))");
            params.push(text(&s.to_ascii_uppercase()));
            params.push(text(&s.to_ascii_uppercase()));
        }
        if let Some(s) = nonempty(&self.code) {
            if !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 4 {
                return Err(Error::Invalid(format!(
                    "--code {s:?}: a CAMEO code or prefix is 1 to 4 digits (e.g. 19, 190, 0311)"
                )));
            }
            clauses.push("starts_with(cameo, ?)");
            params.push(text(s));
        }
        if let Some(q) = self.quad_class {
            if !(1..=4).contains(&q) {
                return Err(Error::Invalid(format!(
                    "--quad-class {q}: QuadClass is 1, 2, 3 or 4"
                )));
            }
            clauses.push("quad_class = ?");
            params.push(Value::UTinyInt(q));
        }
        if let Some(s) = nonempty(&self.plover) {
            clauses.push("upper(plover_category) = ?");
            params.push(text(&s.to_ascii_uppercase()));
        }
        if let Some(s) = nonempty(&self.country) {
            clauses.push(
                "(location_country = ? OR (location_country IS NULL \
                 AND (source_country = ? OR target_country = ?)))",
            );
            for _ in 0..3 {
                params.push(text(&s.to_ascii_uppercase()));
            }
        }
        for (name, value, op) in [("from", &self.from, ">="), ("to", &self.to, "<=")] {
            if let Some(s) = nonempty(value) {
                let Some(d) = crate::write::parse_date(s).filter(|_| s.len() == 10) else {
                    return Err(Error::Invalid(format!(
                        "--{name} {s:?}: expected a date YYYY-MM-DD"
                    )));
                };
                clauses.push(if op == ">=" {
                    "date >= ?::DATE"
                } else {
                    "date <= ?::DATE"
                });
                params.push(Value::Text(d.format("%Y-%m-%d").to_string()));
            }
        }
        if let Some(s) = nonempty(&self.doc) {
            clauses.push("global_id IN (SELECT global_id FROM event_mentions WHERE doc_id = ?)");
            params.push(text(s));
        }
        if let Some(s) = nonempty(&self.search) {
            clauses.push(
                "(contains(lower(source_text), lower(?)) OR contains(lower(target_text), lower(?)) \
                 OR contains(lower(location_name), lower(?)))",
            );
            for _ in 0..3 {
                params.push(text(s));
            }
        }
        Ok((clauses.join(" AND "), params))
    }
}

fn nonempty(o: &Option<String>) -> Option<&str> {
    o.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Paging for event lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Page {
    pub limit: u32,
    pub offset: u64,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            limit: 50,
            offset: 0,
        }
    }
}

/// Event list order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Newest first.
    #[default]
    Newest,
    Oldest,
    /// Most mentioned first.
    Mentions,
}

impl Order {
    fn sql(self) -> &'static str {
        match self {
            Order::Newest => "date DESC NULLS LAST, global_id",
            Order::Oldest => "date ASC NULLS LAST, global_id",
            Order::Mentions => "num_mentions DESC, date DESC NULLS LAST, global_id",
        }
    }

    /// The leading sort key, whose histogram locates a page (see [`Store::events`]).
    fn seek_key(self) -> SeekKey {
        match self {
            Order::Newest => SeekKey {
                column: "date",
                sql_type: "DATE",
                direction: "DESC",
            },
            Order::Oldest => SeekKey {
                column: "date",
                sql_type: "DATE",
                direction: "ASC",
            },
            // One integer ordered like (num_mentions DESC, date DESC NULLS
            // LAST): most events have one mention, so num_mentions alone would
            // leave a page inside a run of nearly every row. Undated events
            // get 0, below every dated one.
            Order::Mentions => SeekKey {
                column: "(CAST(num_mentions AS BIGINT) * 1000000 \
                         + coalesce(date - DATE '1970-01-01' + 500000, 0))",
                sql_type: "BIGINT",
                direction: "DESC",
            },
        }
    }
}

#[derive(Clone, Copy)]
struct SeekKey {
    column: &'static str,
    sql_type: &'static str,
    direction: &'static str,
}

/// The run of leading-key values that holds one page, from the key's histogram
/// (values in sort order, NULL last, as text).
#[derive(Debug, PartialEq)]
struct KeyRange {
    /// First and last non-NULL key values of the run, in sort order.
    keys: Option<(String, String)>,
    /// The run reaches into the NULL keys (sorted last).
    null: bool,
    /// Matching rows before the page inside the run.
    skip: u64,
}

impl KeyRange {
    /// `None` when the page starts at or after the last row.
    fn covering(histogram: &[(Option<String>, u64)], offset: u64, limit: u64) -> Option<KeyRange> {
        let end = offset.saturating_add(limit.max(1));
        let mut before = 0u64;
        let mut range: Option<KeyRange> = None;
        for (key, n) in histogram {
            let after = before + n;
            if after > offset {
                // Only the first key of the run sets `skip` (later ones start
                // after `offset`).
                let r = range.get_or_insert_with(|| KeyRange {
                    keys: None,
                    null: false,
                    skip: offset - before,
                });
                match key {
                    Some(k) => match &mut r.keys {
                        None => r.keys = Some((k.clone(), k.clone())),
                        Some((_, last)) => *last = k.clone(),
                    },
                    None => r.null = true,
                }
                if after >= end {
                    break;
                }
            }
            before = after;
        }
        range
    }

    /// The condition on the key column, with one `?` per [`KeyRange::values`].
    fn sql(&self, key: SeekKey) -> String {
        let (col, ty) = (key.column, key.sql_type);
        let keys = self
            .keys
            .as_ref()
            .map(|_| format!("{col} BETWEEN CAST(? AS {ty}) AND CAST(? AS {ty})"));
        match (keys, self.null) {
            (Some(k), true) => format!("({k} OR {col} IS NULL)"),
            (Some(k), false) => format!("({k})"),
            (None, _) => format!("({col} IS NULL)"),
        }
    }

    /// The run's bounds, smaller first (a descending run starts high).
    fn values(&self, key: SeekKey) -> Vec<Value> {
        match &self.keys {
            Some((first, last)) => {
                let (lo, hi) = if key.direction == "DESC" {
                    (last, first)
                } else {
                    (first, last)
                };
                vec![Value::Text(lo.clone()), Value::Text(hi.clone())]
            }
            None => Vec::new(),
        }
    }
}

/// Time bucket of a timeline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Day,
    /// ISO weeks, labelled by their Monday.
    Week,
    #[default]
    Month,
    Year,
}

impl Interval {
    /// The bucket key to group by, and the SQL that turns a key `p` into the
    /// bucket's first day. Integer keys instead of `date_trunc` matter: over ten
    /// million events, truncating every date costs more than the aggregation.
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            Interval::Day => ("date", "strftime(p, '%Y-%m-%d')"),
            Interval::Week => (
                "date - CAST(isodow(date) - 1 AS INTEGER)",
                "strftime(p, '%Y-%m-%d')",
            ),
            Interval::Month => (
                "year(date) * 100 + month(date)",
                "printf('%04d-%02d-01', p // 100, p % 100)",
            ),
            Interval::Year => ("year(date)", "printf('%04d-01-01', p)"),
        }
    }
}

/// Whether actors are grouped by full code (`RUSGOV`) or by country (`RUS`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ActorLevel {
    #[default]
    Code,
    /// The actor's country, or the first three letters of its code (IGO, NGO ...).
    Country,
}

impl ActorLevel {
    fn sql(self, side: &str) -> String {
        match self {
            ActorLevel::Code => format!("coalesce({side}_code, '')"),
            ActorLevel::Country => {
                format!("coalesce({side}_country, substr({side}_code, 1, 3), '')")
            }
        }
    }
}

/// One deduplicated event, as listed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub global_id: i64,
    /// Dyad id (`doc:sentence:n`) of the earliest mention, whose fields these are.
    pub event_id: String,
    pub doc_id: String,
    pub sentence: u32,
    pub date: Option<String>,
    pub source_code: Option<String>,
    pub source_country: Option<String>,
    pub source_text: Option<String>,
    pub target_code: Option<String>,
    pub target_country: Option<String>,
    pub target_text: Option<String>,
    pub cameo: String,
    pub root: String,
    pub quad_class: u8,
    pub goldstein: f32,
    pub plover_category: Option<String>,
    pub plover_mode: Option<String>,
    pub location_name: Option<String>,
    pub location_admin1: Option<String>,
    pub location_country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub killed: Option<u64>,
    pub wounded: Option<u64>,
    pub num_mentions: u32,
    pub num_sources: u32,
    pub num_articles: u32,
}

const EVENT_ROW_COLUMNS: &str = "global_id, event_id, doc_id, sentence, strftime(date, '%Y-%m-%d'), \
    source_code, source_country, source_text, target_code, target_country, target_text, \
    cameo, root, quad_class, goldstein, plover_category, plover_mode, \
    location_name, location_admin1, location_country, lat, lon, killed, wounded, \
    num_mentions, num_sources, num_articles";

fn event_row(r: &duckdb::Row<'_>) -> duckdb::Result<EventRow> {
    Ok(EventRow {
        global_id: r.get(0)?,
        event_id: r.get(1)?,
        doc_id: r.get(2)?,
        sentence: r.get::<_, i32>(3)? as u32,
        date: r.get(4)?,
        source_code: r.get(5)?,
        source_country: r.get(6)?,
        source_text: r.get(7)?,
        target_code: r.get(8)?,
        target_country: r.get(9)?,
        target_text: r.get(10)?,
        cameo: r.get(11)?,
        root: r.get(12)?,
        quad_class: r.get(13)?,
        goldstein: r.get(14)?,
        plover_category: r.get(15)?,
        plover_mode: r.get(16)?,
        location_name: r.get(17)?,
        location_admin1: r.get(18)?,
        location_country: r.get(19)?,
        lat: r.get(20)?,
        lon: r.get(21)?,
        killed: r.get(22)?,
        wounded: r.get(23)?,
        num_mentions: r.get::<_, i32>(24)? as u32,
        num_sources: r.get::<_, i32>(25)? as u32,
        num_articles: r.get::<_, i32>(26)? as u32,
    })
}

/// A page of events and how many match in all.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub total: u64,
    pub offset: u64,
    pub limit: u32,
    pub events: Vec<EventRow>,
}

/// Events between one source and one target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DyadCount {
    pub source: String,
    pub target: String,
    pub events: u64,
    pub mentions: u64,
    pub goldstein_mean: f64,
    /// Events per QuadClass 1..4.
    pub quad: [u64; 4],
}

/// Events of one dyad in one time bucket.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DyadPeriod {
    /// First day of the bucket, YYYY-MM-DD.
    pub period: String,
    /// The dyad's counts in the bucket (flattened: the JSON has one level).
    #[serde(flatten)]
    pub dyad: DyadCount,
}

/// One time bucket of a timeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelinePoint {
    /// First day of the bucket, YYYY-MM-DD.
    pub period: String,
    pub events: u64,
    pub mentions: u64,
    /// Events per QuadClass 1..4.
    pub quad: [u64; 4],
    pub goldstein_mean: f64,
}

/// An actor and how often it acts and is acted upon.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActorCount {
    pub code: String,
    pub country: Option<String>,
    pub as_source: u64,
    pub as_target: u64,
    pub events: u64,
}

/// An edge of the actor network: all events from `source` to `target`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub source: String,
    pub target: String,
    pub events: u64,
    /// QuadClass 1 + 2.
    pub cooperation: u64,
    /// QuadClass 3 + 4.
    pub conflict: u64,
    pub goldstein_mean: f64,
}

/// Events at one place.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlaceCount {
    pub name: String,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub events: u64,
}

/// Events per location country.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountryCount {
    pub country: String,
    pub events: u64,
}

/// One mention of an event: the article sentence it was coded from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub doc_id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// 1-based sentence number.
    pub sentence: u32,
    pub sentence_text: String,
    /// The event exactly as `dyad code` emitted it (with provenance).
    pub coded: dyad_doc::Event,
}

/// An event with every mention, sentence and provenance (`--explain`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub event: EventRow,
    /// Earliest first.
    pub mentions: Vec<Mention>,
}

/// Database overview for `dyad query stats` and the API's health endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub documents: u64,
    pub sentences: u64,
    pub mentions: u64,
    pub events: u64,
    pub actors: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub schema_version: u32,
    pub duckdb_version: String,
}

impl Store {
    fn rows<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnMut(&duckdb::Row<'_>) -> duckdb::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map(duckdb::params_from_iter(params.iter()), f)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Matching events, one page.
    ///
    /// Deep pages are the slow case of `ORDER BY .. LIMIT .. OFFSET`: DuckDB
    /// sorts every matching row's wide columns to skip the first `offset`. So
    /// the page is found in three cheap steps instead: (1) a histogram of the
    /// leading sort key (a few thousand dates, or mention counts) under the
    /// filter, which also gives the total; (2) from its running sum, the key
    /// range holding rows `offset..offset + limit`; (3) within that range only,
    /// the page's row ids sorted on the narrow key columns, then the wide
    /// columns fetched for those rows alone. Results are identical to the plain
    /// query (same order, same ties broken by `global_id`).
    pub fn events(&self, filter: &Filter, order: Order, page: Page) -> Result<EventPage> {
        let (w, params) = filter.to_sql()?;
        let seek = order.seek_key();
        let histogram = self.rows(
            &format!(
                "SELECT CAST(k AS VARCHAR), n FROM (SELECT {key} AS k, count(*) AS n \
                 FROM events WHERE {w} GROUP BY k) ORDER BY k {dir} NULLS LAST",
                key = seek.column,
                dir = seek.direction,
            ),
            &params,
            |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)? as u64)),
        )?;
        let total: u64 = histogram.iter().map(|(_, n)| n).sum();
        let mut out = EventPage {
            total,
            offset: page.offset,
            limit: page.limit,
            events: Vec::new(),
        };
        let Some(range) = KeyRange::covering(&histogram, page.offset, u64::from(page.limit)) else {
            return Ok(out);
        };
        let range_sql = range.sql(seek);
        let order_sql = order.sql();
        // Bound in placeholder order: filter, range, limit, offset, range again.
        let mut bound = params;
        bound.extend(range.values(seek));
        bound.push(Value::UInt(page.limit));
        bound.push(Value::UBigInt(range.skip));
        bound.extend(range.values(seek));
        out.events = self.rows(
            &format!(
                "WITH page AS (SELECT rowid AS r FROM events WHERE ({w}) AND {range_sql} \
                 ORDER BY {order_sql} LIMIT ? OFFSET ?) \
                 SELECT {EVENT_ROW_COLUMNS} FROM events \
                 WHERE {range_sql} AND rowid IN (SELECT r FROM page) ORDER BY {order_sql}"
            ),
            &bound,
            event_row,
        )?;
        Ok(out)
    }

    /// Event counts per (source, target), most frequent first.
    pub fn dyads(&self, filter: &Filter, level: ActorLevel, limit: u32) -> Result<Vec<DyadCount>> {
        let (w, mut params) = filter.to_sql()?;
        params.push(Value::UInt(limit));
        let (s, t) = (level.sql("source"), level.sql("target"));
        self.rows(
            &format!(
                "SELECT {s} AS s, {t} AS t, count(*), sum(num_mentions), avg(goldstein),
                        count(*) FILTER (quad_class = 1), count(*) FILTER (quad_class = 2),
                        count(*) FILTER (quad_class = 3), count(*) FILTER (quad_class = 4)
                 FROM events WHERE {w} GROUP BY s, t ORDER BY 3 DESC, s, t LIMIT ?"
            ),
            &params,
            |r| dyad_count(r, 0),
        )
    }

    /// Event counts per (period, source, target): the dyad-by-month table that
    /// event-data analyses start from. Dated events only; oldest period first,
    /// then the busiest dyads.
    pub fn dyad_timeline(
        &self,
        filter: &Filter,
        level: ActorLevel,
        by: Interval,
    ) -> Result<Vec<DyadPeriod>> {
        let (w, params) = filter.to_sql()?;
        let (s, t) = (level.sql("source"), level.sql("target"));
        let (key, label) = by.sql();
        self.rows(
            &format!(
                "SELECT {label}, s, t, n, m, g, q1, q2, q3, q4 FROM (
                     SELECT {key} AS p, {s} AS s, {t} AS t, count(*) AS n,
                            sum(num_mentions) AS m, avg(goldstein) AS g,
                            count(*) FILTER (quad_class = 1) AS q1, count(*) FILTER (quad_class = 2) AS q2,
                            count(*) FILTER (quad_class = 3) AS q3, count(*) FILTER (quad_class = 4) AS q4
                     FROM events WHERE {w} AND date IS NOT NULL GROUP BY ALL)
                 ORDER BY p, n DESC, s, t"
            ),
            &params,
            |r| {
                Ok(DyadPeriod {
                    period: r.get(0)?,
                    dyad: dyad_count(r, 1)?,
                })
            },
        )
    }

    /// Events per time bucket (dated events only), oldest first.
    pub fn timeline(&self, filter: &Filter, by: Interval) -> Result<Vec<TimelinePoint>> {
        let (w, params) = filter.to_sql()?;
        let (key, label) = by.sql();
        self.rows(
            &format!(
                "SELECT {label}, n, m, g, q1, q2, q3, q4 FROM (
                 SELECT {key} AS p, count(*) AS n, sum(num_mentions) AS m, avg(goldstein) AS g,
                        count(*) FILTER (quad_class = 1) AS q1, count(*) FILTER (quad_class = 2) AS q2,
                        count(*) FILTER (quad_class = 3) AS q3, count(*) FILTER (quad_class = 4) AS q4
                 FROM events WHERE {w} AND date IS NOT NULL GROUP BY p) ORDER BY p"
            ),
            &params,
            |r| {
                Ok(TimelinePoint {
                    period: r.get(0)?,
                    events: r.get::<_, i64>(1)? as u64,
                    mentions: r.get::<_, i128>(2)? as u64,
                    goldstein_mean: r.get(3)?,
                    quad: quad_counts(r, 4)?,
                })
            },
        )
    }

    /// Actors by number of events they take part in.
    pub fn actors(&self, filter: &Filter, limit: u32) -> Result<Vec<ActorCount>> {
        let (w, mut params) = filter.to_sql()?;
        params.push(Value::UInt(limit));
        self.rows(
            &format!(
                "WITH e AS (SELECT * FROM events WHERE {w}),
                 a AS (SELECT source_code AS code, source_country AS country, 1 AS src, 0 AS tgt
                       FROM e WHERE source_code IS NOT NULL
                       UNION ALL
                       SELECT target_code, target_country, 0, 1 FROM e WHERE target_code IS NOT NULL)
                 SELECT code, any_value(country), sum(src), sum(tgt), count(*)
                 FROM a GROUP BY code ORDER BY 5 DESC, code LIMIT ?"
            ),
            &params,
            |r| {
                Ok(ActorCount {
                    code: r.get(0)?,
                    country: r.get(1)?,
                    as_source: r.get::<_, i128>(2)? as u64,
                    as_target: r.get::<_, i128>(3)? as u64,
                    events: r.get::<_, i64>(4)? as u64,
                })
            },
        )
    }

    /// Directed actor network edges, heaviest first.
    pub fn network(&self, filter: &Filter, level: ActorLevel, limit: u32) -> Result<Vec<Edge>> {
        // Edges need both ends: over-fetch, then drop one-sided dyads.
        Ok(self
            .dyads(filter, level, limit.saturating_mul(2))?
            .into_iter()
            .filter(|d| !d.source.is_empty() && !d.target.is_empty())
            .take(limit as usize)
            .map(|d| Edge {
                cooperation: d.quad[0] + d.quad[1],
                conflict: d.quad[2] + d.quad[3],
                source: d.source,
                target: d.target,
                events: d.events,
                goldstein_mean: d.goldstein_mean,
            })
            .collect())
    }

    /// Events per named place (with coordinates for a map).
    pub fn places(&self, filter: &Filter, limit: u32) -> Result<Vec<PlaceCount>> {
        let (w, mut params) = filter.to_sql()?;
        params.push(Value::UInt(limit));
        self.rows(
            &format!(
                "SELECT location_name, location_admin1, location_country, any_value(lat),
                        any_value(lon), count(*)
                 FROM events WHERE {w} AND location_name IS NOT NULL
                 GROUP BY location_name, location_admin1, location_country
                 ORDER BY 6 DESC, 1 LIMIT ?"
            ),
            &params,
            |r| {
                Ok(PlaceCount {
                    name: r.get(0)?,
                    admin1: r.get(1)?,
                    country: r.get(2)?,
                    lat: r.get(3)?,
                    lon: r.get(4)?,
                    events: r.get::<_, i64>(5)? as u64,
                })
            },
        )
    }

    /// Events per location country.
    pub fn countries(&self, filter: &Filter) -> Result<Vec<CountryCount>> {
        let (w, params) = filter.to_sql()?;
        self.rows(
            &format!(
                "SELECT location_country, count(*) FROM events
                 WHERE {w} AND location_country IS NOT NULL
                 GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
            &params,
            |r| {
                Ok(CountryCount {
                    country: r.get(0)?,
                    events: r.get::<_, i64>(1)? as u64,
                })
            },
        )
    }

    /// One event by `global_id`, or by the Dyad id of any of its mentions.
    pub fn event(&self, id: &str) -> Result<Option<EventDetail>> {
        let id = id.trim();
        let global: Option<i64> = match id.parse::<i64>() {
            Ok(g) => Some(g),
            Err(_) => self
                .rows(
                    "SELECT global_id FROM event_mentions WHERE event_id = ?",
                    &[Value::Text(id.to_string())],
                    |r| r.get(0),
                )?
                .into_iter()
                .next(),
        };
        let Some(global) = global else {
            return Ok(None);
        };
        let gid = [Value::BigInt(global)];
        let Some(event) = self
            .rows(
                &format!("SELECT {EVENT_ROW_COLUMNS} FROM events WHERE global_id = ?"),
                &gid,
                event_row,
            )?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        // Find the mentions and their documents first, then join only those rows:
        // a join over whole tables would hash ten million mentions and sentences
        // to fetch a handful. Ids are bound as parameters (one `?` each).
        let links = self.rows(
            "SELECT event_id, doc_id FROM event_mentions WHERE global_id = ?",
            &gid,
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )?;
        if links.is_empty() {
            return Ok(Some(EventDetail {
                event,
                mentions: Vec::new(),
            }));
        }
        let mut docs: Vec<&str> = links.iter().map(|(_, d)| d.as_str()).collect();
        docs.sort_unstable();
        docs.dedup();
        let marks = |n: usize| vec!["?"; n].join(", ");
        let (em, dm) = (marks(links.len()), marks(docs.len()));
        let sql = format!(
            "SELECT d.title, m.outlet, m.url, coalesce(s.text, ''), {MENTION_SELECT}
             FROM (SELECT * FROM mentions WHERE doc_id IN ({dm}) AND event_id IN ({em})) m
             LEFT JOIN (SELECT doc_id, title FROM documents WHERE doc_id IN ({dm})) d
                 ON d.doc_id = m.doc_id
             LEFT JOIN (SELECT doc_id, sentence, text FROM sentences WHERE doc_id IN ({dm})) s
                 ON s.doc_id = m.doc_id AND s.sentence = m.sentence
             ORDER BY m.date NULLS LAST, m.event_id"
        );
        let text = |x: &str| Value::Text(x.to_string());
        let mut params: Vec<Value> = docs.iter().map(|d| text(d)).collect();
        params.extend(links.iter().map(|(e, _)| text(e)));
        params.extend(docs.iter().map(|d| text(d)));
        params.extend(docs.iter().map(|d| text(d)));
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(duckdb::params_from_iter(params.iter()))?;
        let mut mentions = Vec::new();
        while let Some(r) = rows.next()? {
            let text: String = r.get(3)?;
            let coded = rebuild(r, 4, text.clone())?;
            mentions.push(Mention {
                doc_id: coded.doc_id.clone(),
                title: r.get(0)?,
                outlet: r.get(1)?,
                url: r.get(2)?,
                sentence: coded.sentence,
                sentence_text: text,
                coded,
            });
        }
        Ok(Some(EventDetail { event, mentions }))
    }

    /// Row counts and date range.
    pub fn stats(&self) -> Result<Stats> {
        let c = &self.conn;
        let count = |t: &str| -> Result<u64> {
            Ok(c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| {
                r.get::<_, i64>(0)
            })? as u64)
        };
        let (first_date, last_date) = c.query_row(
            "SELECT strftime(min(date), '%Y-%m-%d'), strftime(max(date), '%Y-%m-%d') FROM events",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Stats {
            documents: count("documents")?,
            sentences: count("sentences")?,
            mentions: count("mentions")?,
            events: count("events")?,
            actors: count("actors")?,
            first_date,
            last_date,
            schema_version: crate::schema::SCHEMA_VERSION,
            duckdb_version: c.query_row("SELECT version()", [], |r| r.get(0))?,
        })
    }
}

/// A dyad row: source, target, events, mentions, mean Goldstein and the four
/// QuadClass counts, from column `first` on.
fn dyad_count(r: &duckdb::Row<'_>, first: usize) -> duckdb::Result<DyadCount> {
    Ok(DyadCount {
        source: r.get(first)?,
        target: r.get(first + 1)?,
        events: r.get::<_, i64>(first + 2)? as u64,
        mentions: r.get::<_, i128>(first + 3)? as u64,
        goldstein_mean: r.get(first + 4)?,
        quad: quad_counts(r, first + 5)?,
    })
}

/// The four QuadClass counts a query selects in consecutive columns from `first`.
fn quad_counts(r: &duckdb::Row<'_>, first: usize) -> duckdb::Result<[u64; 4]> {
    let mut q = [0u64; 4];
    for (k, v) in q.iter_mut().enumerate() {
        *v = r.get::<_, i64>(first + k)? as u64;
    }
    Ok(q)
}
