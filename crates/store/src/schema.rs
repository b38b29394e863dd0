//! The database schema: plain tables an analyst can open from Python, R or the
//! `duckdb` shell without Dyad.
//!
//! * `documents`: one row per stored document, with the content hash that makes
//!   ingest idempotent. A document row is written in the same transaction as
//!   its sentences and mentions, so its presence is the "done" marker.
//! * `sentences`: the text of every sentence that produced an event (kept for
//!   provenance: `dyad query event ID --explain`).
//! * `mentions`: every coded event exactly as `dyad code` emitted it, flattened.
//!   Rows are never updated: a changed document deletes and re-appends its own.
//! * `event_mentions`: which event (`global_id`) each mention (`event_id`) was
//!   merged into, with its document. This small derived table is all that
//!   re-deduplication rewrites, so `mentions` stays append-only.
//! * `events`: one row per real-world event after deduplication across
//!   articles: the earliest mention's fields plus `num_mentions`,
//!   `num_sources`, `num_articles` (GDELT semantics) and the date range seen.
//! * `actors`, `locations`: views aggregated from `events`, so they can never
//!   disagree with it.
//!
//! No primary keys or indexes: DuckDB appends to index-free tables at full
//! speed and answers the analytical queries by scanning compressed columns
//! with zone maps. Uniqueness of `doc_id` is kept by the writer (delete then
//! append inside one transaction).

/// Bumped when the schema changes incompatibly; checked on open.
pub const SCHEMA_VERSION: u32 = 1;

/// Columns shared by `mentions` and `events`, in table order. The writer's
/// appender and the exporters rely on this order.
pub const EVENT_COLUMNS: &str = "
    event_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    sentence INTEGER NOT NULL,
    outlet VARCHAR,
    url VARCHAR,
    date DATE,
    source_code VARCHAR,
    source_country VARCHAR,
    source_agent VARCHAR,
    source_text VARCHAR,
    target_code VARCHAR,
    target_country VARCHAR,
    target_agent VARCHAR,
    target_text VARCHAR,
    cameo VARCHAR NOT NULL,
    root VARCHAR NOT NULL,
    quad_class UTINYINT NOT NULL,
    goldstein FLOAT NOT NULL,
    plover_category VARCHAR,
    plover_mode VARCHAR,
    modality VARCHAR NOT NULL,
    location_name VARCHAR,
    location_admin1 VARCHAR,
    location_country VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    location_feature VARCHAR,
    location_method VARCHAR,
    geonames_id UBIGINT,
    date_method VARCHAR,
    date_expression VARCHAR,
    killed UBIGINT,
    wounded UBIGINT,
    displaced UBIGINT,
    arrested UBIGINT,
    crowd UBIGINT,
    trigger VARCHAR,
    pattern VARCHAR,
    pattern_source VARCHAR,
    dedup_key VARCHAR NOT NULL";

/// `mentions` also keeps, as JSON, the parts of each coded event that have no
/// column (spans, entries, rules ...: see `detail`), so exports and `--explain`
/// reproduce `dyad code`'s output exactly.
pub const MENTION_EXTRA_COLUMNS: &str = "detail VARCHAR NOT NULL";

/// Number of columns in `mentions` ([`EVENT_COLUMNS`] + [`MENTION_EXTRA_COLUMNS`]).
pub const N_MENTION_COLUMNS: usize = 41;

pub fn create_sql() -> String {
    format!(
        "
CREATE TABLE IF NOT EXISTS meta (key VARCHAR NOT NULL, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR NOT NULL,
    content_hash UBIGINT NOT NULL,
    date DATE,
    title VARCHAR,
    outlet VARCHAR,
    url VARCHAR,
    n_sentences INTEGER NOT NULL,
    n_events INTEGER NOT NULL,
    ingested_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id VARCHAR NOT NULL,
    sentence INTEGER NOT NULL,
    start_byte INTEGER,
    end_byte INTEGER,
    text VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions ({EVENT_COLUMNS}, {MENTION_EXTRA_COLUMNS});
CREATE TABLE IF NOT EXISTS event_mentions (
    global_id BIGINT NOT NULL,
    event_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    global_id BIGINT NOT NULL,
    {EVENT_COLUMNS},
    num_mentions INTEGER NOT NULL,
    num_sources INTEGER NOT NULL,
    num_articles INTEGER NOT NULL,
    first_date DATE,
    last_date DATE
);
CREATE OR REPLACE VIEW actors AS
    SELECT code, any_value(country) AS country, any_value(agent) AS agent,
           count(*) FILTER (WHERE role = 'source') AS as_source,
           count(*) FILTER (WHERE role = 'target') AS as_target,
           count(*) AS events, min(date) AS first_date, max(date) AS last_date
    FROM (
        SELECT source_code AS code, source_country AS country, source_agent AS agent,
               'source' AS role, date FROM events WHERE source_code IS NOT NULL
        UNION ALL
        SELECT target_code, target_country, target_agent, 'target', date
        FROM events WHERE target_code IS NOT NULL
    ) GROUP BY code;
CREATE OR REPLACE VIEW locations AS
    SELECT location_name AS name, location_admin1 AS admin1, location_country AS country,
           any_value(lat) AS lat, any_value(lon) AS lon, any_value(location_feature) AS feature,
           any_value(geonames_id) AS geonames_id, count(*) AS events,
           min(date) AS first_date, max(date) AS last_date
    FROM events WHERE location_name IS NOT NULL
    GROUP BY location_name, location_admin1, location_country;
"
    )
}
