//! Store behaviour on a crafted multi-article story (`tests/data/story_events.jsonl`):
//! deduplication, idempotent re-ingest, replacement, queries and hostile filters.

use dyad_doc::Event;
use dyad_store::query::{ActorLevel, Filter, Interval, Order, Page};
use dyad_store::{Article, IngestReport, Store};
use std::collections::BTreeMap;

fn story() -> Vec<Event> {
    let text = include_str!("data/story_events.jsonl");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("fixture line parses"))
        .collect()
}

fn outlet(doc: &str) -> &'static str {
    match doc.split('-').next().unwrap() {
        "reuters" => "Reuters",
        "bbc" => "BBC",
        _ => "Guardian",
    }
}

/// The story as articles, one per document, in first-seen order.
fn articles(events: Vec<Event>) -> Vec<Article> {
    let mut by_doc: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for e in events {
        by_doc.entry(e.doc_id.clone()).or_default().push(e);
    }
    by_doc
        .into_iter()
        .map(|(id, evs)| {
            let mut a = Article::from_events(id.clone(), evs);
            a.outlet = Some(outlet(&id).to_string());
            a
        })
        .collect()
}

fn counts(s: &Store) -> (i64, i64, i64, i64) {
    s.connection()
        .query_row(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM sentences),
                    (SELECT count(*) FROM mentions), (SELECT count(*) FROM events)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
}

/// (num_mentions, num_articles, num_sources, first mention id) of every event, sorted.
fn clusters(s: &Store) -> Vec<(i32, i32, i32, String)> {
    let mut st = s
        .connection()
        .prepare("SELECT num_mentions, num_articles, num_sources, event_id FROM events ORDER BY event_id")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn one_strike_reported_by_three_outlets_is_one_event() {
    let mut s = Store::open_in_memory().unwrap();
    let r = s.ingest(&articles(story())).unwrap();
    assert_eq!(
        r,
        IngestReport {
            stored: 5,
            replaced: 0,
            unchanged: 0,
            mentions: 9
        }
    );
    assert_eq!(
        clusters(&s),
        vec![
            // 10-12 May, Kharkiv: 5 mentions in 4 articles from 3 outlets.
            (5, 4, 3, "reuters-1:1:1".to_string()),
            // 21 May: a gap of nine days starts a new event.
            (1, 1, 1, "bbc-9:1:1".to_string()),
            // Odesa (other place), talks (other code family), Ukraine firing back (other direction).
            (1, 1, 1, "bbc-7:3:1".to_string()),
            (1, 1, 1, "guardian-3:2:1".to_string()),
            (1, 1, 1, "guardian-3:3:1".to_string()),
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    // Every mention links to its event; the event's id comes from its first mention.
    let linked: i64 = s
        .connection()
        .query_row(
            "SELECT count(*) FROM mentions m JOIN event_mentions l USING (event_id) JOIN events e USING (global_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(linked, 9);
    let detail = s
        .event("bbc-7:2:1")
        .unwrap()
        .expect("found by a mention id");
    assert_eq!(detail.event.event_id, "reuters-1:1:1");
    assert_eq!(detail.event.killed, Some(7));
    assert_eq!(detail.mentions.len(), 5);
    assert_eq!(
        detail.mentions[0].sentence_text,
        "Russian forces shelled Kharkiv on Friday, killing 7 people."
    );
    assert_eq!(detail.mentions[0].coded.provenance.pattern, "* SHELL");
    let by_global = s
        .event(&detail.event.global_id.to_string())
        .unwrap()
        .unwrap();
    assert_eq!(by_global, detail);
}

#[test]
fn dedup_does_not_depend_on_ingest_order_or_batching() {
    let mut all_at_once = Store::open_in_memory().unwrap();
    all_at_once.ingest(&articles(story())).unwrap();
    let expected = clusters(&all_at_once);
    let ids = |s: &Store| -> Vec<i64> {
        let mut st = s
            .connection()
            .prepare("SELECT global_id FROM events ORDER BY global_id")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };

    let mut one_by_one = Store::open_in_memory().unwrap();
    for a in articles(story()).into_iter().rev() {
        one_by_one.ingest(&[a]).unwrap();
    }
    assert_eq!(clusters(&one_by_one), expected);
    assert_eq!(ids(&one_by_one), ids(&all_at_once));

    one_by_one.rebuild_events().unwrap();
    assert_eq!(clusters(&one_by_one), expected);
    assert_eq!(ids(&one_by_one), ids(&all_at_once));
}

#[test]
fn reingesting_is_idempotent_and_changed_documents_replace_old_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("story.duckdb");
    {
        let mut s = Store::open(&path).unwrap();
        s.ingest(&articles(story())).unwrap();
        assert_eq!(counts(&s), (5, 9, 9, 5));
    }
    let mut s = Store::open(&path).unwrap();
    let again = s.ingest(&articles(story())).unwrap();
    assert_eq!(again.unchanged, 5);
    assert_eq!(again.mentions, 0);
    assert_eq!(counts(&s), (5, 9, 9, 5));
    assert_eq!(s.known_documents().unwrap().len(), 5);

    // Guardian corrects its story: the attack sentence is gone.
    let mut story2: Vec<Event> = story()
        .into_iter()
        .filter(|e| e.event_id != "guardian-3:1:1")
        .collect();
    story2.retain(|e| e.doc_id == "guardian-3");
    let mut corrected = Article::from_events("guardian-3".into(), story2);
    corrected.outlet = Some("Guardian".into());
    let r = s.ingest(&[corrected]).unwrap();
    assert_eq!((r.replaced, r.mentions), (1, 2));
    assert_eq!(counts(&s), (5, 8, 8, 5));
    let big = s.event("reuters-1:1:1").unwrap().unwrap();
    assert_eq!(
        (
            big.event.num_mentions,
            big.event.num_articles,
            big.event.num_sources
        ),
        (4, 3, 2),
        "the Guardian mention left the Kharkiv event"
    );
}

#[test]
fn repeated_id_in_one_batch_keeps_the_last_version() {
    let mut s = Store::open_in_memory().unwrap();
    let evs = story();
    let first = Article::from_events("bbc-9".into(), vec![evs[5].clone()]);
    let empty = Article::from_events("bbc-9".into(), vec![]);
    let r = s.ingest(&[first, empty]).unwrap();
    assert_eq!((r.stored, r.mentions), (1, 0));
    assert_eq!(counts(&s), (1, 0, 0, 0));
}

#[test]
fn queries_slice_by_dyad_time_code_and_place() {
    let mut s = Store::open_in_memory().unwrap();
    s.ingest(&articles(story())).unwrap();

    let rus_ukr = Filter {
        source: Some("rus".into()),
        target: Some("UKR".into()),
        ..Filter::default()
    };
    let tl = s.timeline(&rus_ukr, Interval::Month).unwrap();
    assert_eq!(tl.len(), 1);
    assert_eq!(tl[0].period, "2024-05-01");
    assert_eq!(tl[0].events, 4);
    assert_eq!(tl[0].quad, [1, 0, 0, 3]);
    let days = s.timeline(&rus_ukr, Interval::Day).unwrap();
    let days: Vec<(&str, u64)> = days.iter().map(|p| (p.period.as_str(), p.events)).collect();
    assert_eq!(
        days,
        [("2024-05-10", 1), ("2024-05-11", 2), ("2024-05-21", 1)]
    );

    let dyads = s
        .dyads(&Filter::default(), ActorLevel::Country, 10)
        .unwrap();
    assert_eq!(
        (dyads[0].source.as_str(), dyads[0].target.as_str()),
        ("RUS", "UKR")
    );
    assert_eq!((dyads[0].events, dyads[0].mentions), (4, 8));

    let by_month = s
        .dyad_timeline(&Filter::default(), ActorLevel::Country, Interval::Month)
        .unwrap();
    assert_eq!(by_month.len(), 2);
    assert_eq!(
        (
            by_month[0].period.as_str(),
            by_month[0].dyad.source.as_str(),
            by_month[0].dyad.target.as_str()
        ),
        ("2024-05-01", "RUS", "UKR")
    );
    assert_eq!((by_month[0].dyad.events, by_month[1].dyad.events), (4, 1));

    let fights_in_may = Filter {
        code: Some("19".into()),
        country: Some("UKR".into()),
        from: Some("2024-05-01".into()),
        to: Some("2024-05-15".into()),
        ..Filter::default()
    };
    let page = s
        .events(
            &fights_in_may,
            Order::Oldest,
            Page {
                limit: 2,
                offset: 0,
            },
        )
        .unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(page.events.len(), 2);
    assert_eq!(page.events[0].event_id, "reuters-1:1:1");

    let places = s.places(&Filter::default(), 10).unwrap();
    assert_eq!((places[0].name.as_str(), places[0].events), ("Kharkiv", 4));
    let actors = s.actors(&Filter::default(), 3).unwrap();
    assert_eq!(actors[0].code, "RUSMIL");
    let stats = s.stats().unwrap();
    assert_eq!((stats.documents, stats.mentions, stats.events), (5, 9, 5));
    assert_eq!(stats.first_date.as_deref(), Some("2024-05-10"));
}

#[test]
fn hostile_filter_values_are_data_not_sql() {
    let mut s = Store::open_in_memory().unwrap();
    s.ingest(&articles(story())).unwrap();
    for evil in [
        "RUS' OR '1'='1",
        "'; DROP TABLE events; --",
        "RUS%",
        "\" OR 1=1 --",
        "RUS) OR (true",
    ] {
        let f = Filter {
            source: Some(evil.into()),
            country: Some(evil.into()),
            search: Some(evil.into()),
            doc: Some(evil.into()),
            plover: Some(evil.into()),
            ..Filter::default()
        };
        let page = s.events(&f, Order::Newest, Page::default()).unwrap();
        assert_eq!(page.total, 0, "{evil}");
        assert!(s.dyads(&f, ActorLevel::Code, 10).unwrap().is_empty());
        assert!(s.event(evil).unwrap().is_none());
    }
    assert_eq!(counts(&s), (5, 9, 9, 5), "tables intact");
    // Values that are not valid for their field are refused with a clear message.
    let bad = Filter {
        code: Some("19; DELETE".into()),
        ..Filter::default()
    };
    let err = s.events(&bad, Order::Newest, Page::default()).unwrap_err();
    assert!(err.to_string().contains("--code"), "{err}");
    let bad = Filter {
        from: Some("May 2024".into()),
        ..Filter::default()
    };
    assert!(s.timeline(&bad, Interval::Month).is_err());
}

/// `Store::events` finds deep pages through a histogram of the leading sort
/// key; every page must equal the plain `ORDER BY .. LIMIT .. OFFSET` answer,
/// including pages that straddle key values, the NULL dates sorted last, and
/// offsets at or past the end.
#[test]
fn paging_equals_plain_order_by_limit_offset() {
    let mut s = Store::open_in_memory().unwrap();
    let mut batch: Vec<Article> = dyad_store::synth::articles(7, 1500).collect();
    for (i, a) in batch.iter_mut().enumerate() {
        if i % 9 == 0 {
            for e in &mut a.events {
                e.date = None;
            }
        }
    }
    s.append_mentions_bulk(&batch).unwrap();
    s.rebuild_events().unwrap();
    let filters = [
        Filter::default(),
        Filter {
            source: Some("RUS".into()),
            ..Filter::default()
        },
        Filter {
            quad_class: Some(4),
            from: Some("2016-01-01".into()),
            ..Filter::default()
        },
        Filter {
            source: Some("NO-SUCH-ACTOR".into()),
            ..Filter::default()
        },
    ];
    for f in &filters {
        let (w, params) = f.to_sql().unwrap();
        for (order, order_sql) in [
            (Order::Newest, "date DESC NULLS LAST, global_id"),
            (Order::Oldest, "date ASC NULLS LAST, global_id"),
            (
                Order::Mentions,
                "num_mentions DESC, date DESC NULLS LAST, global_id",
            ),
        ] {
            let all: Vec<i64> = {
                let mut stmt = s
                    .connection()
                    .prepare(&format!(
                        "SELECT global_id FROM events WHERE {w} ORDER BY {order_sql}"
                    ))
                    .unwrap();
                stmt.query_map(duckdb::params_from_iter(params.iter()), |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            };
            let n = all.len() as u64;
            for (offset, limit) in [
                (0, 50),
                (1, 1),
                (49, 3),
                (777, 50),
                (n.saturating_sub(5), 50),
                (n, 10),
                (n + 3, 10),
                (0, 5000),
            ] {
                let page = s.events(f, order, Page { limit, offset }).unwrap();
                let got: Vec<i64> = page.events.iter().map(|e| e.global_id).collect();
                let start = (offset as usize).min(all.len());
                let end = (start + limit as usize).min(all.len());
                assert_eq!(page.total, n, "{f:?} {order:?}");
                assert_eq!(
                    got,
                    all[start..end],
                    "{f:?} {order:?} offset {offset} limit {limit}"
                );
            }
        }
    }
}

/// Every row of every table, as text, in a stable order.
fn dump(s: &Store, table: &str, order: &str) -> Vec<String> {
    let mut stmt = s
        .connection()
        .prepare(&format!(
            "SELECT CAST(t AS VARCHAR) FROM (SELECT * EXCLUDE (ingested_at) FROM {table}) t ORDER BY {order}"
        ))
        .or_else(|_| {
            s.connection().prepare(&format!(
                "SELECT CAST(t AS VARCHAR) FROM {table} t ORDER BY {order}"
            ))
        })
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// `bulk_load` (parallel Arrow scan into `INSERT .. SELECT`) stores exactly
/// what the appender path stores, over several insert rounds.
#[test]
fn bulk_load_stores_what_the_appender_stores() {
    let articles: Vec<Article> = dyad_store::synth::articles(11, 5_000).collect();
    let mut a = Store::open_in_memory().unwrap();
    a.connection().execute_batch("BEGIN").unwrap();
    let n_a = a.append_mentions_bulk(&articles).unwrap();
    a.connection().execute_batch("COMMIT").unwrap();
    let mut b = Store::open_in_memory().unwrap();
    let n_b = b
        .bulk_load_in_rounds(articles.into_iter(), 2, 1_500)
        .unwrap();
    assert_eq!(n_a, n_b);
    assert!(n_a > 10_000, "{n_a} mentions");
    for (table, order) in [
        ("documents", "doc_id"),
        ("sentences", "doc_id, sentence"),
        ("mentions", "event_id"),
    ] {
        let (da, db) = (dump(&a, table, order), dump(&b, table, order));
        assert_eq!(da.len(), db.len(), "{table}");
        assert!(da == db, "{table} differs");
    }
    a.rebuild_events().unwrap();
    b.rebuild_events().unwrap();
    assert_eq!(
        dump(&a, "events", "global_id"),
        dump(&b, "events", "global_id")
    );
}
