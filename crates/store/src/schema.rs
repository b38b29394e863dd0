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
    event_id VARCHAR NOT NULL USING COMPRESSION fsst,
    doc_id VARCHAR NOT NULL USING COMPRESSION fsst,
    sentence INTEGER NOT NULL,
    outlet VARCHAR USING COMPRESSION dictionary,
    url VARCHAR USING COMPRESSION fsst,
    date DATE,
    source_code VARCHAR USING COMPRESSION dictionary,
    source_country VARCHAR USING COMPRESSION dictionary,
    source_agent VARCHAR USING COMPRESSION dictionary,
    source_text VARCHAR USING COMPRESSION dictionary,
    target_code VARCHAR USING COMPRESSION dictionary,
    target_country VARCHAR USING COMPRESSION dictionary,
    target_agent VARCHAR USING COMPRESSION dictionary,
    target_text VARCHAR USING COMPRESSION dictionary,
    cameo VARCHAR NOT NULL USING COMPRESSION dictionary,
    root VARCHAR NOT NULL USING COMPRESSION dictionary,
    quad_class UTINYINT NOT NULL,
    goldstein FLOAT NOT NULL,
    plover_category VARCHAR USING COMPRESSION dictionary,
    plover_mode VARCHAR USING COMPRESSION dictionary,
    modality VARCHAR NOT NULL USING COMPRESSION dictionary,
    location_name VARCHAR USING COMPRESSION dictionary,
    location_admin1 VARCHAR USING COMPRESSION dictionary,
    location_country VARCHAR USING COMPRESSION dictionary,
    lat DOUBLE,
    lon DOUBLE,
    location_feature VARCHAR USING COMPRESSION dictionary,
    location_method VARCHAR USING COMPRESSION dictionary,
    geonames_id UBIGINT,
    date_method VARCHAR USING COMPRESSION dictionary,
    date_expression VARCHAR USING COMPRESSION dictionary,
    killed UBIGINT,
    wounded UBIGINT,
    displaced UBIGINT,
    arrested UBIGINT,
    crowd UBIGINT,
    trigger VARCHAR USING COMPRESSION dictionary,
    pattern VARCHAR USING COMPRESSION dictionary,
    pattern_source VARCHAR USING COMPRESSION dictionary,
    dedup_key VARCHAR NOT NULL USING COMPRESSION fsst";

/// `mentions` also keeps, as JSON, the parts of each coded event that have no
/// column (spans, entries, rules ...: see `detail`), so exports and `--explain`
/// reproduce `dyad code`'s output exactly.
pub const MENTION_EXTRA_COLUMNS: &str = "detail VARCHAR NOT NULL USING COMPRESSION fsst";

/// Number of columns in `mentions` ([`EVENT_COLUMNS`] + [`MENTION_EXTRA_COLUMNS`]).
pub const N_MENTION_COLUMNS: usize = 41;

pub fn create_sql() -> String {
    format!(
        "
CREATE TABLE IF NOT EXISTS meta (key VARCHAR NOT NULL, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR NOT NULL USING COMPRESSION fsst,
    content_hash UBIGINT NOT NULL,
    date DATE,
    title VARCHAR USING COMPRESSION fsst,
    outlet VARCHAR USING COMPRESSION dictionary,
    url VARCHAR USING COMPRESSION fsst,
    n_sentences INTEGER NOT NULL,
    n_events INTEGER NOT NULL,
    ingested_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id VARCHAR NOT NULL USING COMPRESSION fsst,
    sentence INTEGER NOT NULL,
    start_byte INTEGER,
    end_byte INTEGER,
    text VARCHAR NOT NULL USING COMPRESSION fsst
);
CREATE TABLE IF NOT EXISTS mentions ({EVENT_COLUMNS}, {MENTION_EXTRA_COLUMNS});
CREATE TABLE IF NOT EXISTS event_mentions (
    global_id BIGINT NOT NULL,
    event_id VARCHAR NOT NULL USING COMPRESSION fsst,
    doc_id VARCHAR NOT NULL USING COMPRESSION fsst
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
