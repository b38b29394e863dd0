//! Exports of the crafted story: GDELT column layout against GDELT's own column
//! list, Parquet (plain and month-partitioned) read back by DuckDB, JSON lines
//! and CSV round trips.

use dyad_doc::Event;
use dyad_store::export::{Format, GDELT_COLUMNS, Partition};
use dyad_store::{Article, Filter, Store};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn store() -> Store {
    let mut by_doc: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for l in include_str!("data/story_events.jsonl").lines() {
        let e: Event = serde_json::from_str(l).unwrap();
        by_doc.entry(e.doc_id.clone()).or_default().push(e);
    }
    let articles: Vec<Article> = by_doc
        .into_iter()
        .map(|(id, evs)| {
            let mut a = Article::from_events(id.clone(), evs);
            a.outlet = Some(id.split('-').next().unwrap().to_string());
            a.url = Some(format!("https://news.example/{id}"));
            a
        })
        .collect();
    let mut s = Store::open_in_memory().unwrap();
    s.ingest(&articles).unwrap();
    s
}

fn shared() -> PathBuf {
    PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
    )
    .join("../../../shared")
}

#[test]
fn gdelt_columns_match_gdelt_2_event_table_in_count_and_order() {
    let list = std::fs::read_to_string(shared().join("data/gdelt/gdeltPyR_events2.csv"))
        .expect("../shared/data/gdelt/gdeltPyR_events2.csv");
    // First field of each row after the header; descriptions may hold quoted commas
    // and newlines, so take names from lines that start a row (NAME,TYPE,...).
    let names: Vec<&str> = list
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.splitn(3, ',');
            let name = f.next()?;
            let ty = f.next()?;
            (["INTEGER", "STRING", "FLOAT"].contains(&ty)).then_some(name)
        })
        .collect();
    assert_eq!(names.len(), 61);
    assert_eq!(names, GDELT_COLUMNS);

    let s = store();
    let mut out = Vec::new();
    let n = s
        .export_to(Format::Gdelt, &Filter::default(), &mut out)
        .unwrap();
    assert_eq!(n, 5);
    let text = String::from_utf8(out).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r.len() == 61));
    let col = |name: &str| GDELT_COLUMNS.iter().position(|c| *c == name).unwrap();
    // The Kharkiv strike: first by date, 5 mentions in 4 articles from 3 outlets.
    let kharkiv = rows
        .iter()
        .find(|r| r[col("NumMentions")] == "5")
        .expect("deduplicated strike");
    assert_eq!(kharkiv[col("SQLDATE")], "20240510");
    assert_eq!(kharkiv[col("MonthYear")], "202405");
    assert_eq!(kharkiv[col("Year")], "2024");
    assert_eq!(kharkiv[col("FractionDate")], "2024.4384");
    assert_eq!(kharkiv[col("Actor1Code")], "RUSMIL");
    assert_eq!(kharkiv[col("Actor1CountryCode")], "RUS");
    assert_eq!(kharkiv[col("Actor1Type1Code")], "MIL");
    assert_eq!(kharkiv[col("Actor2Code")], "UKRCVL");
    assert_eq!(kharkiv[col("IsRootEvent")], "1");
    assert_eq!(kharkiv[col("EventCode")], "190");
    assert_eq!(kharkiv[col("EventBaseCode")], "190");
    assert_eq!(kharkiv[col("EventRootCode")], "19");
    assert_eq!(kharkiv[col("QuadClass")], "4");
    assert_eq!(kharkiv[col("GoldsteinScale")], "-10.0");
    assert_eq!(kharkiv[col("NumSources")], "3");
    assert_eq!(kharkiv[col("NumArticles")], "4");
    assert_eq!(kharkiv[col("AvgTone")], "0");
    assert_eq!(kharkiv[col("ActionGeo_Type")], "4");
    assert_eq!(
        kharkiv[col("ActionGeo_FullName")],
        "Kharkiv, Kharkivska, UKR"
    );
    assert_eq!(kharkiv[col("ActionGeo_CountryCode")], "UKR");
    assert_eq!(kharkiv[col("ActionGeo_Lat")], "49.9800");
    assert_eq!(kharkiv[col("ActionGeo_Long")], "36.2500");
    assert_eq!(kharkiv[col("DATEADDED")].len(), 14);
    assert_eq!(kharkiv[col("SOURCEURL")], "https://news.example/reuters-1");
}

#[test]
fn parquet_partitioned_by_month_reads_back() {
    let s = store();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events");
    let n = s
        .export_parquet(&out, &Filter::default(), Some(Partition::Month))
        .unwrap();
    assert_eq!(n, 5);
    assert!(out.join("month=2024-05").is_dir());
    let reader = duckdb::Connection::open_in_memory().unwrap();
    let glob = format!("{}/**/*.parquet", out.display());
    let (rows, mentions, month): (i64, i128, String) = reader
        .query_row(
            "SELECT count(*), sum(num_mentions), any_value(month)
             FROM read_parquet(?, hive_partitioning = true)",
            [glob],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((rows, mentions, month.as_str()), (5, 9, "2024-05"));

    let single = dir.path().join("ukr-fights.parquet");
    let fights = Filter {
        code: Some("19".into()),
        ..Filter::default()
    };
    assert_eq!(s.export_parquet(&single, &fights, None).unwrap(), 4);
    let codes: String = reader
        .query_row(
            "SELECT string_agg(DISTINCT root, ',') FROM read_parquet(?)",
            [single.to_string_lossy().to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(codes, "19");
}

#[test]
fn jsonl_export_is_dyad_code_output_plus_counts() {
    let s = store();
    let mut out = Vec::new();
    s.export_to(Format::Jsonl, &Filter::default(), &mut out)
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["num_mentions"], 5);
    assert_eq!(first["num_sources"], 3);
    let event: Event = serde_json::from_value(first).unwrap();
    let original: Event = serde_json::from_str(
        include_str!("data/story_events.jsonl")
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(event, original, "the stored event round-trips exactly");
}

#[test]
fn csv_export_has_a_header_and_one_line_per_event() {
    let s = store();
    let mut out = Vec::new();
    let n = s
        .export_to(Format::Csv, &Filter::default(), &mut out)
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[..2], ["global_id", "event_id"]);
    assert!(header.contains(&"num_articles"));
    assert!(!header.contains(&"event_json"));
    assert_eq!(lines.count() as u64, n);
    assert!(text.contains(",Kharkiv,Kharkivska,UKR,49.98,36.25,city,sentence,"));
}

#[test]
fn every_event_field_survives_storage() {
    use dyad_doc::event::{Count, Entry, Modality, When};
    let mut e: Event = serde_json::from_str(
        include_str!("data/story_events.jsonl")
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    e.doc_id = "rich".into();
    e.event_id = "rich:1:1".into();
    e.modality = Modality::Hypothetical;
    e.source.as_mut().unwrap().span = Some((0, 14));
    e.target = None;
    e.plover.mode = Some("shelling".into());
    let loc = e.location.as_mut().unwrap();
    loc.text = Some("Kharkiv".into());
    loc.span = Some((30, 37));
    loc.geonames_id = Some(706_483);
    e.when = Some(When {
        date: "2024-05-10".into(),
        expression: Some("on Friday".into()),
        method: "relative".into(),
    });
    e.counts.wounded = Some(Count {
        value: 12,
        qualifier: "at_least".into(),
        text: "at least 12".into(),
        unit: Some("people".into()),
    });
    e.provenance.source_entry = Some(Entry {
        name: "RUSSIAN FORCES".into(),
        source: "dict/actors/countries.toml:812".into(),
        role: Some("MIL".into()),
    });
    e.provenance.rules = vec!["passive".into(), "compound actor".into()];
    let mut s = Store::open_in_memory().unwrap();
    s.ingest(&[Article::from_events("rich".into(), vec![e.clone()])])
        .unwrap();
    let mut out = Vec::new();
    s.export_to(Format::Jsonl, &Filter::default(), &mut out)
        .unwrap();
    let back: Event = serde_json::from_slice(&out).unwrap();
    assert_eq!(back, e);
    let line = String::from_utf8(out).unwrap();
    assert!(line.contains("\"goldstein\":-10.0,"), "{line}");
    let detail = s.event("rich:1:1").unwrap().unwrap();
    assert_eq!(detail.mentions[0].coded, e);
}
