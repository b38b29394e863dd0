//! Exports of the deduplicated events: GDELT 2.0, CSV, JSON lines, Parquet.
//!
//! * **gdelt**: the 61 tab-separated columns of the GDELT 2.0 event table, in
//!   GDELT's order ([`GDELT_COLUMNS`]), no header, no quoting (tabs and
//!   newlines inside values become spaces), so scripts written for GDELT files
//!   read Dyad's unchanged. Where Dyad has no counterpart the column is empty
//!   (ethnic and religion codes, ADM2, actor geography) or neutral (`AvgTone`
//!   0). Country codes in the `*Geo_CountryCode` columns are ISO 3166 alpha-3,
//!   like every other country code Dyad writes, not GDELT's FIPS 10-4: Dyad's
//!   gazetteer is keyed by ISO codes, and a silent FIPS/ISO mix-up (e.g. `AU`
//!   is Australia in ISO but Austria in FIPS) would be worse than a documented
//!   difference. `FeatureID` is the GeoNames id.
//! * **csv**: every flat column of `events` (all but the raw JSON), with a header.
//! * **jsonl**: each event as `dyad code` emits it (from its earliest mention,
//!   with the sentence text), plus `global_id`, `num_mentions`, `num_sources`,
//!   `num_articles`.
//! * **parquet**: DuckDB's own writer; with [`Partition::Month`] a Hive-style
//!   directory tree `month=YYYY-MM/…` that Spark, Trino or DuckDB read in place.
//!
//! Text formats stream row by row to any `Write`, so exporting ten million
//! events needs no more memory than one row.

use crate::detail::{MENTION_SELECT, rebuild};
use crate::query::Filter;
use crate::{Error, Result, Store};
use std::io::Write;
use std::path::Path;

/// The GDELT 2.0 event table columns, in order.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// Export file format.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// GDELT 2.0 event table: 61 tab-separated columns, no header.
    Gdelt,
    Csv,
    Jsonl,
    Parquet,
}

/// How to split a Parquet export into files.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Partition {
    /// One directory per event month: `month=2024-05/`.
    Month,
}

/// One SQL expression per GDELT column, over `events e JOIN documents d`;
/// `{where}` is replaced by the filter clause.
fn gdelt_select() -> String {
    let actor = |side: &str| {
        format!(
            "coalesce(e.{side}_code, ''), upper(coalesce(e.{side}_text, '')), coalesce(e.{side}_country, ''),
             CASE WHEN e.{side}_country IS NULL AND substr(e.{side}_code, 1, 3) IN ('IGO', 'NGO', 'NGM', 'MNC')
                  THEN substr(e.{side}_code, 4, 3) ELSE '' END,
             '', '', '',
             substr(coalesce(e.{side}_agent, ''), 1, 3), substr(coalesce(e.{side}_agent, ''), 4, 3),
             substr(coalesce(e.{side}_agent, ''), 7, 3)"
        )
    };
    let empty_geo = "'0', '', '', '', '', '', '', ''";
    let geo_type = "CASE e.location_feature
            WHEN 'country' THEN '1'
            WHEN 'admin1' THEN CASE WHEN e.location_country = 'USA' THEN '2' ELSE '5' END
            WHEN 'city' THEN CASE WHEN e.location_country = 'USA' THEN '3' ELSE '4' END
            ELSE CASE WHEN e.location_name IS NULL THEN '0' ELSE '4' END END";
    format!(
        "SELECT e.global_id::VARCHAR,
            coalesce(strftime(e.date, '%Y%m%d'), ''),
            coalesce(strftime(e.date, '%Y%m'), ''),
            coalesce(strftime(e.date, '%Y'), ''),
            coalesce(printf('%.4f', year(e.date) + (month(e.date) * 30 + day(e.date)) / 365.0), ''),
            {a1},
            {a2},
            CASE WHEN e.sentence = 1 THEN '1' ELSE '0' END,
            e.cameo, substr(e.cameo, 1, 3), e.root,
            e.quad_class::VARCHAR, printf('%.1f', e.goldstein),
            e.num_mentions::VARCHAR, e.num_sources::VARCHAR, e.num_articles::VARCHAR, '0',
            {empty_geo},
            {empty_geo},
            {geo_type},
            coalesce(concat_ws(', ', e.location_name,
                CASE WHEN e.location_admin1 IS DISTINCT FROM e.location_name THEN e.location_admin1 END,
                CASE WHEN e.location_country IS DISTINCT FROM e.location_name THEN e.location_country END), ''),
            coalesce(e.location_country, ''),
            CASE WHEN e.location_feature = 'country' THEN coalesce(e.location_country, '') ELSE '' END,
            '',
            coalesce(printf('%.4f', e.lat), ''),
            coalesce(printf('%.4f', e.lon), ''),
            coalesce(e.geonames_id::VARCHAR,
                     CASE WHEN e.location_feature = 'country' THEN e.location_country END, ''),
            coalesce(strftime(d.ingested_at, '%Y%m%d%H%M%S'), ''),
            coalesce(e.url, d.url, e.doc_id)
         FROM (SELECT * FROM events WHERE {{where}}) e LEFT JOIN documents d ON d.doc_id = e.doc_id",
        a1 = actor("source"),
        a2 = actor("target"),
    )
}

/// Writes `s` with tabs and line breaks turned into spaces (GDELT has no quoting).
fn write_plain(out: &mut dyn Write, s: &str) -> std::io::Result<()> {
    if s.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
        out.write_all(s.replace(['\t', '\n', '\r'], " ").as_bytes())
    } else {
        out.write_all(s.as_bytes())
    }
}

/// Writes one CSV field, quoted only when it must be.
fn write_csv_field(out: &mut dyn Write, s: &str) -> std::io::Result<()> {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.write_all(b"\"")?;
        out.write_all(s.replace('"', "\"\"").as_bytes())?;
        out.write_all(b"\"")
    } else {
        out.write_all(s.as_bytes())
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A single-quoted SQL string literal (for file paths in `COPY`, which takes no parameters).
fn sql_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl Store {
    /// Streams the events matching `filter` as `format` (gdelt, csv or jsonl)
    /// to `out`; returns the number of events written.
    pub fn export_to(&self, format: Format, filter: &Filter, out: &mut dyn Write) -> Result<u64> {
        let stdout = Path::new("<output>");
        let (w, params) = filter.to_sql()?;
        let order = "ORDER BY e.date NULLS LAST, e.global_id";
        let mut n = 0u64;
        match format {
            Format::Gdelt => {
                let sql = format!("{} {order}", gdelt_select().replace("{where}", &w));
                let mut stmt = self.conn.prepare(&sql)?;
                let mut rows = stmt.query(duckdb::params_from_iter(params.iter()))?;
                while let Some(r) = rows.next()? {
                    for i in 0..GDELT_COLUMNS.len() {
                        if i > 0 {
                            out.write_all(b"\t").map_err(io(stdout))?;
                        }
                        let v: String = r.get(i)?;
                        write_plain(out, &v).map_err(io(stdout))?;
                    }
                    out.write_all(b"\n").map_err(io(stdout))?;
                    n += 1;
                }
            }
            Format::Csv => {
                let sql = format!(
                    "SELECT COLUMNS(*)::VARCHAR FROM (SELECT * EXCLUDE (dedup_key)
                     FROM events e WHERE {w} {order})"
                );
                let mut stmt = self.conn.prepare(&sql)?;
                let mut rows = stmt.query(duckdb::params_from_iter(params.iter()))?;
                let names = rows.as_ref().map(|s| s.column_names()).unwrap_or_default();
                out.write_all(names.join(",").as_bytes())
                    .map_err(io(stdout))?;
                out.write_all(b"\n").map_err(io(stdout))?;
                while let Some(r) = rows.next()? {
                    for i in 0..names.len() {
                        if i > 0 {
                            out.write_all(b",").map_err(io(stdout))?;
                        }
                        let v: Option<String> = r.get(i)?;
                        write_csv_field(out, v.as_deref().unwrap_or("")).map_err(io(stdout))?;
                    }
                    out.write_all(b"\n").map_err(io(stdout))?;
                    n += 1;
                }
            }
            Format::Jsonl => {
                let sql = format!(
                    "SELECT coalesce(s.text, ''), e.global_id, e.num_mentions, e.num_sources,
                            e.num_articles, {MENTION_SELECT}
                     FROM (SELECT * FROM events WHERE {w}) e
                     JOIN mentions m ON m.event_id = e.event_id
                     LEFT JOIN sentences s ON s.doc_id = e.doc_id AND s.sentence = e.sentence
                     {order}"
                );
                let mut stmt = self.conn.prepare(&sql)?;
                let mut rows = stmt.query(duckdb::params_from_iter(params.iter()))?;
                while let Some(r) = rows.next()? {
                    let event = rebuild(r, 5, r.get(0)?)?;
                    // The event as `dyad code` writes it, then the counts: spliced
                    // as text so floats keep their shortest f32 form.
                    let mut json = serde_json::to_string(&event)
                        .map_err(|e| Error::Invalid(format!("writing JSON: {e}")))?;
                    json.pop();
                    json.push_str(&format!(
                        ",\"global_id\":{},\"num_mentions\":{},\"num_sources\":{},\"num_articles\":{}}}\n",
                        r.get::<_, i64>(1)?,
                        r.get::<_, i32>(2)?,
                        r.get::<_, i32>(3)?,
                        r.get::<_, i32>(4)?
                    ));
                    out.write_all(json.as_bytes()).map_err(io(stdout))?;
                    n += 1;
                }
            }
            Format::Parquet => {
                return Err(Error::Invalid(
                    "parquet is written to a file or directory: give --out PATH".into(),
                ));
            }
        }
        out.flush().map_err(io(stdout))?;
        Ok(n)
    }

    /// Writes the events matching `filter` as Parquet to `path`: one file, or
    /// with `partition` a Hive-partitioned directory. Returns the event count.
    pub fn export_parquet(
        &self,
        path: &Path,
        filter: &Filter,
        partition: Option<Partition>,
    ) -> Result<u64> {
        let (w, params) = filter.to_sql()?;
        let target = sql_literal(&path.to_string_lossy());
        let select = format!(
            "SELECT * EXCLUDE (dedup_key), strftime(date, '%Y-%m') AS month
             FROM events WHERE {w} ORDER BY date NULLS LAST, global_id"
        );
        let options = match partition {
            Some(Partition::Month) => "FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE",
            None => "FORMAT parquet",
        };
        if partition.is_some() {
            std::fs::create_dir_all(path).map_err(io(path))?;
        }
        let n = self.conn.execute(
            &format!("COPY ({select}) TO {target} ({options})"),
            duckdb::params_from_iter(params.iter()),
        )?;
        Ok(n as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut out = Vec::new();
        for f in ["plain", "a, b", "say \"hi\"", "two\nlines"] {
            write_csv_field(&mut out, f).unwrap();
            out.push(b'|');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain|\"a, b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|"
        );
    }

    #[test]
    fn gdelt_values_never_break_the_tab_layout() {
        let mut out = Vec::new();
        write_plain(&mut out, "a\tb\nc\rd").unwrap();
        assert_eq!(out, b"a b c d");
    }

    #[test]
    fn paths_are_quoted_as_sql_literals() {
        assert_eq!(sql_literal("it's.parquet"), "'it''s.parquet'");
    }
}
