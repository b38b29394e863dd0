//! The HTTP API end to end: a real DuckDB store filled from `tests/data/events.jsonl`
//! (eight hand-coded events from three articles, with document-offset spans), the
//! real router, requests through `tower::ServiceExt::oneshot`. Expected numbers are
//! computed from the fixture file itself, not from the store, so a wrong query or a
//! wrong filter mapping shows up as a mismatch.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dyad_doc::{Document, Event};
use dyad_serve::model::IngestReport;
use dyad_serve::{Ingest, Limits, Server, StorePool};
use dyad_store::{Article, Store};
use http_body_util::BodyExt;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use tower::ServiceExt;

fn fixture() -> Vec<Event> {
    include_str!("data/events.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("fixture event"))
        .collect()
}

fn store_with_fixture() -> Store {
    let mut by_doc: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for e in fixture() {
        by_doc.entry(e.doc_id.clone()).or_default().push(e);
    }
    let articles: Vec<Article> = by_doc
        .into_iter()
        .map(|(id, events)| Article::from_events(id, events))
        .collect();
    let mut store = Store::open_in_memory().unwrap();
    store.ingest(&articles).unwrap();
    store
}

fn app_with(limits: Limits, ingest: Option<(String, Arc<dyn Ingest>)>) -> Router {
    let pool = StorePool::new(store_with_fixture(), 2).unwrap();
    Server {
        pool: Arc::new(pool),
        ingest,
        limits,
    }
    .router()
}

fn app() -> Router {
    app_with(Limits::default(), None)
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn send(app: &Router, req: Request<Body>) -> Answer {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// A 4xx/5xx answer in the API's error shape, naming no server path.
fn assert_error(a: &Answer, status: u16, needle: &str) {
    assert_eq!(a.status.as_u16(), status, "{}", a.text());
    let j = a.json();
    assert_eq!(j["status"], status);
    let msg = j["error"].as_str().unwrap();
    assert!(msg.contains(needle), "{msg:?} lacks {needle:?}");
    for leak in [
        "/work", "/tmp", "/home", "/root", "/etc", "src/", ".rs", "SELECT", "duckdb",
    ] {
        assert!(!msg.contains(leak), "error leaks {leak:?}: {msg}");
    }
}

#[tokio::test]
async fn health_and_stats_count_the_fixture() {
    let app = app();
    let h = get(&app, "/api/health").await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.json()["status"], "ok");
    assert_eq!(h.json()["ingest"], false);
    let s = get(&app, "/api/stats").await.json();
    let events = fixture();
    assert_eq!(s["events"], events.len());
    assert_eq!(s["documents"], 3);
    assert_eq!(s["first_date"], "2024-03-10");
    assert_eq!(s["last_date"], "2024-06-02");
}

#[tokio::test]
async fn events_page_and_filter_like_the_fixture_says() {
    let app = app();
    let all = fixture();
    let page = get(&app, "/api/events?limit=3").await.json();
    assert_eq!(page["total"], all.len());
    assert_eq!(page["events"].as_array().unwrap().len(), 3);
    // Newest first.
    assert_eq!(page["events"][0]["date"], "2024-06-02");
    let rest = get(&app, "/api/events?limit=3&offset=6").await.json();
    assert_eq!(rest["events"].as_array().unwrap().len(), all.len() - 6);

    let count = |f: &dyn Fn(&Event) -> bool| all.iter().filter(|e| f(e)).count();
    let cases: Vec<(&str, usize)> = vec![
        (
            "source=RUS",
            count(&|e| e.source.as_ref().is_some_and(|a| a.code.starts_with("RUS"))),
        ),
        (
            "source=rusgov",
            count(&|e| e.source.as_ref().is_some_and(|a| a.code == "RUSGOV")),
        ),
        (
            "target=CHN",
            count(&|e| e.target.as_ref().is_some_and(|a| a.code.starts_with("CHN"))),
        ),
        (
            "actor=ISR",
            count(&|e| {
                [&e.source, &e.target]
                    .iter()
                    .any(|a| a.as_ref().is_some_and(|a| a.code.starts_with("ISR")))
            }),
        ),
        ("quad_class=4", count(&|e| e.quad_class == 4)),
        ("code=19", count(&|e| e.cameo.starts_with("19"))),
        ("code=051", 1),
        (
            "from=2024-05-01&to=2024-05-31",
            count(&|e| e.date.as_deref().is_some_and(|d| d.starts_with("2024-05"))),
        ),
        ("country=PSE", 1),
        ("plover=assault", count(&|e| e.plover.category == "ASSAULT")),
        ("doc=gaza-wire-2024-03-10", 2),
        (
            "source=RUS&quad_class=1",
            count(&|e| {
                e.quad_class == 1 && e.source.as_ref().is_some_and(|a| a.code.starts_with("RUS"))
            }),
        ),
        ("source=ZZZ", 0),
    ];
    for (q, want) in cases {
        let page = get(&app, &format!("/api/events?{q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}: {}", page.text());
        assert_eq!(page.json()["total"], want, "{q}");
    }
}

#[tokio::test]
async fn one_event_has_its_highlighted_sentence_and_explanation() {
    let app = app();
    let id = "russia-china-2024-05:7:1";
    let d = get(&app, &format!("/api/events/{id}")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text());
    let d = d.json();
    assert_eq!(d["event"]["cameo"], "051");
    let m = &d["mentions"][0];
    assert_eq!(m["doc_id"], "russia-china-2024-05");
    let segs = m["highlighted"]["segments"].as_array().unwrap();
    let joined: String = segs.iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(joined, m["highlighted"]["text"].as_str().unwrap());
    let marks: Vec<(&str, &str)> = segs
        .iter()
        .filter_map(|s| Some((s["role"].as_str()?, s["text"].as_str()?)))
        .collect();
    assert_eq!(
        marks,
        [
            ("source", "Putin"),
            ("verb", "praised"),
            ("target", "China")
        ]
    );
    let steps: Vec<&str> = m["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        steps[0].starts_with("Source “Putin” was coded RUSGOV"),
        "{steps:?}"
    );
    assert!(
        steps.iter().any(|s| s.contains("gives CAMEO 051")),
        "{steps:?}"
    );

    // Curly quotes before the spans: byte offsets must still land on the words.
    let d = get(&app, "/api/events/russia-china-2024-05:3:1")
        .await
        .json();
    let marks: Vec<(String, String)> = d["mentions"][0]["highlighted"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some((s["role"].as_str()?.into(), s["text"].as_str()?.into())))
        .collect();
    assert!(
        marks.contains(&("source".into(), "Russian forces".into())),
        "{marks:?}"
    );
    assert!(
        marks.contains(&("location".into(), "Kharkiv".into())),
        "{marks:?}"
    );

    assert_error(
        &get(&app, "/api/events/no-such-doc:1:1").await,
        404,
        "no event",
    );
}

#[tokio::test]
async fn timeline_fills_gaps_and_sums_to_the_total() {
    let app = app();
    let t = get(&app, "/api/timeline?by=month").await.json();
    let periods: Vec<&str> = t["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2024-03", "2024-04", "2024-05", "2024-06"]);
    let counts: Vec<u64> = t["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["events"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [2, 0, 5, 1]);
    assert_eq!(t["buckets"][1]["goldstein_mean"], Value::Null);
    // May: four cooperation events (030, 051, 040, 036) and one assault.
    assert_eq!(t["buckets"][2]["quad"], serde_json::json!([4, 0, 0, 1]));
    let w = get(&app, "/api/timeline?by=week&source=RUS").await.json();
    let sum: u64 = w["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["events"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, 4);
    assert_eq!(w["buckets"][0]["period"], "2024-W20");
}

#[tokio::test]
async fn network_dyads_places_and_actors() {
    let app = app();
    let n = get(&app, "/api/network?level=country").await.json();
    let edges = n["edges"].as_array().unwrap();
    // ISRMIL → (no target) is one-sided: not an edge.
    assert!(edges.iter().all(|e| e["target"] != ""));
    let rus_ukr = edges
        .iter()
        .find(|e| e["source"] == "RUS" && e["target"] == "UKR")
        .unwrap();
    assert_eq!(rus_ukr["events"], 2);
    let rus = n["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "RUS")
        .unwrap();
    // RUS→UKR 2, RUS→CHN 2, UKR→RUS 2.
    assert_eq!(rus["events"], 6);

    let d = get(&app, "/api/dyads?limit=2").await.json();
    assert_eq!(d["dyads"].as_array().unwrap().len(), 2);

    let p = get(&app, "/api/places").await.json();
    let countries: BTreeMap<String, u64> = p["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["country"].as_str().unwrap().into(),
                c["events"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        countries,
        BTreeMap::from([("PSE".into(), 1), ("UKR".into(), 2)])
    );
    assert_eq!(p["unlocated"], 5);
    assert_eq!(p["points"][0]["name"], "Kharkiv");
    assert_eq!(p["points"][0]["events"], 2);

    let a = get(&app, "/api/actors?limit=1").await.json();
    assert_eq!(a[0]["code"], "RUSGOV");
    assert_eq!(a[0]["events"], 3);
}

#[tokio::test]
async fn bad_requests_are_4xx_with_a_clear_message() {
    let app = app();
    let cases: &[(&str, u16, &str)] = &[
        (
            "/api/events?soruce=RUS",
            400,
            "unknown query parameter `soruce`",
        ),
        (
            "/api/events?limit=100000",
            400,
            "`limit` must be between 1 and 500",
        ),
        ("/api/events?limit=0", 400, "`limit`"),
        ("/api/events?limit=-5", 400, "whole number"),
        ("/api/events?offset=99999999999", 400, "`offset`"),
        ("/api/events?from=2024-02-30", 400, "YYYY-MM-DD"),
        ("/api/events?to=yesterday", 400, "YYYY-MM-DD"),
        ("/api/events?from=2024-06-01&to=2024-05-01", 400, "after"),
        ("/api/events?quad_class=9", 400, "quad_class"),
        ("/api/events?code=19;DROP", 400, "CAMEO code"),
        (
            "/api/events?source=RUS%27%20OR%20%271%27=%271",
            400,
            "letters and digits",
        ),
        ("/api/events?source=RUS&source=UKR", 400, "more than once"),
        ("/api/timeline?by=decade", 400, "`by` must be one of"),
        ("/api/timeline?by=day&from=1900-01-01", 200, ""),
        ("/api/network?level=galaxy", 400, "`level`"),
        ("/api/places?limit=6000", 400, "`limit`"),
        ("/api/stats?x=1", 400, "accepted: none"),
        ("/api/nope", 404, "no such API endpoint"),
        ("/api/events/", 404, ""),
    ];
    for &(uri, status, needle) in cases {
        let a = get(&app, uri).await;
        if status == 200 {
            assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.text());
        } else {
            assert_eq!(a.status.as_u16(), status, "{uri}: {}", a.text());
            assert_error(&a, status, needle);
        }
    }
    // A value that is too long is refused before it reaches the store.
    let long = "a".repeat(500);
    assert_error(
        &get(&app, &format!("/api/events?search={long}")).await,
        400,
        "longer than",
    );
}

#[tokio::test]
async fn sql_in_free_text_is_just_text() {
    let app = app();
    for q in [
        "%27%3B%20DROP%20TABLE%20events%3B%20--",
        "%27%20OR%20%271%27%3D%271",
        "%25",
        "Putin%27%29%20UNION%20SELECT%201--",
    ] {
        let a = get(&app, &format!("/api/events?search={q}&doc={q}")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        assert_eq!(a.json()["total"], 0, "{q}");
        let a = get(&app, &format!("/api/events/{q}")).await;
        assert_error(&a, 404, "no event");
    }
    // The table is still there and whole.
    assert_eq!(
        get(&app, "/api/stats").await.json()["events"],
        fixture().len()
    );
}

#[tokio::test]
async fn paths_outside_the_assets_are_404_without_leaks() {
    let app = app();
    for uri in [
        "/../../etc/passwd",
        "/assets/../../etc/passwd",
        "/assets/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/assets/%2e%2e%2fCargo.toml",
        "/..%5c..%5cwindows%5cwin.ini",
        "/assets/app.js%00.png",
        "/src/lib.rs",
        "/Cargo.toml",
        "/assets/",
        "//etc/passwd",
    ] {
        let a = send(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert_error(&a, 404, "not found");
        assert!(!a.text().contains("root:"), "{uri}");
    }
}

#[tokio::test]
async fn dashboard_assets_are_served_with_types_and_headers() {
    let app = app();
    let index = get(&app, "/").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.text().contains("<title>Dyad"));
    let csp = index.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'"));
    assert_eq!(index.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    for a in dyad_serve::assets::ASSETS {
        let r = get(&app, a.path).await;
        assert_eq!(r.status, StatusCode::OK, "{}", a.path);
        assert_eq!(
            r.headers[header::CONTENT_TYPE],
            a.content_type,
            "{}",
            a.path
        );
        assert_eq!(r.body, a.body, "{}", a.path);
        // Revalidation with the ETag is a 304 without a body.
        let etag = r.headers[header::ETAG].clone();
        let again = send(
            &app,
            Request::get(a.path)
                .header(header::IF_NONE_MATCH, etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{}", a.path);
        assert!(again.body.is_empty());
    }
    // The world map is real Natural Earth data keyed by ISO alpha-3.
    let world: Value = serde_json::from_slice(&get(&app, "/assets/world.json").await.body).unwrap();
    let ids: Vec<&str> = world["objects"]["countries"]["geometries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    for c in ["UKR", "RUS", "CHN", "PSE", "USA", "XKX"] {
        assert!(ids.contains(&c), "{c}");
    }
}

#[tokio::test]
async fn wrong_methods_and_bodies() {
    let app = app();
    let a = send(
        &app,
        Request::post("/api/events").body(Body::empty()).unwrap(),
    )
    .await;
    assert_error(&a, 405, "method not allowed");
    let a = send(&app, Request::delete("/").body(Body::empty()).unwrap()).await;
    assert_error(&a, 405, "method not allowed");
    // Read-only by default: ingest is refused whatever the token.
    let a = send(
        &app,
        Request::post("/api/ingest")
            .header(header::AUTHORIZATION, "Bearer anything")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_error(&a, 403, "--allow-ingest");
}

/// Stores each document with its sentences and no events: enough to see the
/// endpoint's auth, parsing, limits and the store's idempotence.
struct StoreDocuments;

impl Ingest for StoreDocuments {
    fn ingest(
        &self,
        pool: &StorePool,
        documents: Vec<Document>,
    ) -> Result<IngestReport, Box<dyn std::error::Error + Send + Sync>> {
        let articles: Vec<Article> = documents
            .iter()
            .map(|d| Article {
                doc_id: d.id.clone(),
                date: d.date.clone(),
                content_hash: dyad_store::write::document_hash(d),
                ..Article::default()
            })
            .collect();
        let r = pool.with(|store| store.ingest(&articles))?;
        Ok(IngestReport {
            stored: r.stored,
            replaced: r.replaced,
            unchanged: r.unchanged,
            events: r.mentions,
            skipped: Vec::new(),
        })
    }
}

#[tokio::test]
async fn ingest_needs_the_token_and_reports_bad_lines() {
    let limits = Limits {
        max_body_bytes: 4096,
        ..Limits::default()
    };
    let app = app_with(
        limits,
        Some((
            "s3cret-token".into(),
            Arc::new(StoreDocuments) as Arc<dyn Ingest>,
        )),
    );
    assert_eq!(get(&app, "/api/health").await.json()["ingest"], true);
    let post = |auth: Option<&str>, body: String| {
        let mut r = Request::post("/api/ingest");
        if let Some(a) = auth {
            r = r.header(header::AUTHORIZATION, a);
        }
        r.body(Body::from(body)).unwrap()
    };
    let body = "{\"id\":\"new-1\",\"date\":\"2024-07-01\",\"text\":\"Talks resumed.\"}\n\
                not json\n\
                {\"id\":\"new-2\",\"text\":\"More talks.\"}\n\
                {\"date\":\"2024-07-02\",\"text\":\"no id\"}\n"
        .to_string();
    let a = send(&app, post(None, body.clone())).await;
    assert_error(&a, 401, "Authorization");
    assert_eq!(a.headers[header::WWW_AUTHENTICATE], "Bearer");
    assert_error(
        &send(&app, post(Some("Bearer wrong"), body.clone())).await,
        401,
        "wrong",
    );
    assert_error(
        &send(&app, post(Some("Basic s3cret-token"), body.clone())).await,
        401,
        "",
    );

    let a = send(&app, post(Some("Bearer s3cret-token"), body.clone())).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let r = a.json();
    assert_eq!(r["stored"], 2);
    let skipped: Vec<&str> = r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].starts_with("line 2:"), "{skipped:?}");
    assert!(skipped[1].starts_with("line 4:"), "{skipped:?}");
    assert_eq!(get(&app, "/api/stats").await.json()["documents"], 5);

    // The same upload again changes nothing.
    let r = send(&app, post(Some("Bearer s3cret-token"), body))
        .await
        .json();
    assert_eq!(
        (r["stored"].as_u64(), r["unchanged"].as_u64()),
        (Some(0), Some(2))
    );

    // Over the body limit: 413, as JSON.
    let big = format!("{{\"id\":\"x\",\"text\":\"{}\"}}", "a".repeat(5000));
    assert_error(
        &send(&app, post(Some("Bearer s3cret-token"), big)).await,
        413,
        "",
    );
}

#[tokio::test]
async fn openapi_matches_the_router_and_the_parameters() {
    let app = app();
    let spec = get(&app, "/api/openapi.json").await.json();
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();
    let documented: Vec<&str> = paths.keys().map(String::as_str).collect();
    let routes = [
        "/api/health",
        "/api/stats",
        "/api/events",
        "/api/events/{id}",
        "/api/dyads",
        "/api/actors",
        "/api/timeline",
        "/api/network",
        "/api/places",
        "/api/openapi.json",
        "/api/ingest",
    ];
    let mut sorted_doc = documented.clone();
    sorted_doc.sort_unstable();
    let mut sorted_routes = routes.to_vec();
    sorted_routes.sort_unstable();
    assert_eq!(sorted_doc, sorted_routes);
    for route in routes {
        let (method, op) = paths[route].as_object().unwrap().iter().next().unwrap();
        let mut params: Vec<&str> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["in"] == "query")
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        params.sort_unstable();
        let mut accepted = dyad_serve::api::accepted_params(route);
        accepted.sort_unstable();
        assert_eq!(params, accepted, "{method} {route}");
        // Every documented route answers (not 404/405) on its method.
        if method == "get" && !route.contains('{') {
            let a = get(&app, route).await;
            assert_eq!(a.status, StatusCode::OK, "{route}: {}", a.text());
        }
    }
}

#[tokio::test]
async fn a_slow_query_times_out_as_503() {
    let app = app_with(
        Limits {
            query_timeout: std::time::Duration::from_nanos(1),
            ..Limits::default()
        },
        None,
    );
    assert_error(&get(&app, "/api/stats").await, 503, "longer than");
}

#[tokio::test]
async fn synthetic_bulk_events_open_in_detail() {
    // The load-test database is made by the store's bulk path (`gen-events`);
    // its events must open like ingested ones.
    let mut store = Store::open_in_memory().unwrap();
    store
        .append_mentions_bulk(&dyad_store::synth::articles(7, 20).collect::<Vec<_>>())
        .unwrap();
    store.rebuild_events().unwrap();
    let app = Server::new(Arc::new(StorePool::new(store, 1).unwrap())).router();
    let page = get(&app, "/api/events?limit=5").await.json();
    for e in page["events"].as_array().unwrap() {
        let id = e["event_id"].as_str().unwrap();
        let d = get(&app, &format!("/api/events/{id}")).await;
        assert_eq!(d.status, StatusCode::OK, "{id}: {}", d.text());
    }
}

#[tokio::test]
async fn read_only_answers_are_cached_and_identical() {
    let app = app();
    let first = get(&app, "/api/timeline?by=week").await;
    assert_eq!(first.headers["x-dyad-cache"], "miss");
    let again = get(&app, "/api/timeline?by=week").await;
    assert_eq!(again.headers["x-dyad-cache"], "hit");
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers[header::CONTENT_TYPE], "application/json");
    // Errors are not kept; health always asks the database.
    let bad = get(&app, "/api/events?limit=0").await;
    assert!(!bad.headers.contains_key("x-dyad-cache"));
    assert!(
        !get(&app, "/api/health")
            .await
            .headers
            .contains_key("x-dyad-cache")
    );
    // With --no-cache (0 bytes) nothing is cached.
    let uncached = app_with(
        Limits {
            cache_bytes: 0,
            ..Limits::default()
        },
        None,
    );
    get(&uncached, "/api/stats").await;
    assert!(
        !get(&uncached, "/api/stats")
            .await
            .headers
            .contains_key("x-dyad-cache")
    );
}
