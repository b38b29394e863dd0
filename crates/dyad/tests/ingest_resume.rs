//! `dyad ingest` killed with SIGKILL in the middle of a run leaves a consistent
//! database, and re-running the same command finishes the rest: every document
//! and event exactly once, and the same deduplicated events as an uninterrupted
//! run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const DOCS: u64 = 20_000;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-resume-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Synthetic `dyad code` output: DOCS documents, about 3 events each.
fn write_events(path: &Path) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut n = 0;
    for a in dyad_store::synth::articles(11, DOCS) {
        for e in &a.events {
            serde_json::to_writer(&mut out, e).unwrap();
            out.write_all(b"\n").unwrap();
            n += 1;
        }
    }
    out.flush().unwrap();
    n
}

fn ingest(events: &Path, db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dyad"));
    c.args(["--quiet", "ingest", "--batch", "250", "--events"])
        .arg(events)
        .arg("--db")
        .arg(db)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// (documents, sentences, mentions, distinct mention ids, events, sum of num_mentions, checksum of global ids)
fn census(db: &Path) -> (i64, i64, i64, i64, i64, i128, i128) {
    let s = dyad_store::Store::open(db).unwrap();
    s.connection()
        .query_row(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM sentences),
                (SELECT count(*) FROM mentions), (SELECT count(DISTINCT event_id) FROM mentions),
                (SELECT count(*) FROM events), (SELECT sum(num_mentions) FROM events),
                (SELECT sum(global_id % 1000003) FROM events)",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )
        .unwrap()
}

fn documents(db: &Path) -> i64 {
    let s = dyad_store::Store::open(db).unwrap();
    s.connection()
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn sigkill_mid_ingest_then_rerun_stores_everything_exactly_once() {
    let dir = scratch("kill");
    let events = dir.join("events.jsonl");
    let n_events = write_events(&events) as i64;

    // Reference: one uninterrupted run.
    let clean = dir.join("clean.duckdb");
    let t = Instant::now();
    let out = ingest(&events, &clean).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full_run = t.elapsed();
    let expected = census(&clean);
    assert_eq!(expected.0, DOCS as i64);
    assert_eq!((expected.2, expected.3), (n_events, n_events));
    assert_eq!(expected.5, n_events as i128);

    // Kill runs at several points, each resuming the previous one's database.
    let db = dir.join("killed.duckdb");
    let mut partial_seen = false;
    for fraction in [0.2, 0.45, 0.7] {
        let mut child = ingest(&events, &db).spawn().unwrap();
        std::thread::sleep(full_run.mul_f64(fraction));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let docs = documents(&db);
        assert!(docs <= DOCS as i64);
        if !finished && docs < DOCS as i64 {
            partial_seen = true;
        }
        // Whatever was committed is whole: every stored document has all its mentions.
        let s = dyad_store::Store::open(&db).unwrap();
        let torn: i64 = s
            .connection()
            .query_row(
                "SELECT count(*) FROM documents d
                 WHERE n_events <> (SELECT count(*) FROM mentions m WHERE m.doc_id = d.doc_id)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            torn, 0,
            "a document with missing mentions after kill at {fraction}"
        );
    }
    assert!(
        partial_seen,
        "no kill landed in the middle of a run (run took {full_run:?})"
    );

    let out = ingest(&events, &db).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        census(&db),
        expected,
        "resumed database equals the clean one"
    );

    // And once more: nothing changes.
    let out = ingest(&events, &db).output().unwrap();
    assert!(out.status.success());
    assert_eq!(census(&db), expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_event_lines_are_reported_with_file_and_line_and_skipped() {
    let dir = scratch("bad");
    let events = dir.join("mixed.jsonl");
    let good = std::fs::read_to_string(
        PathBuf::from(
            std::env::var("CARGO_MANIFEST_DIR")
                .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
        )
        .join("../store/tests/data/story_events.jsonl"),
    )
    .unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    lines.insert(2, "{not json");
    std::fs::write(&events, lines.join("\n")).unwrap();
    let db = dir.join("t.duckdb");
    let out = ingest(&events, &db).arg("--strict").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("mixed.jsonl:3: not an event"), "{stderr}");
    assert_eq!(census(&db).2, 9, "the nine good events are stored");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn coding_and_storing_documents_twice_stores_them_once() {
    let dir = scratch("docs");
    let db = dir.join("example.duckdb");
    let example = PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
    )
    .join("../../../shared/examples/russia-china-2024-05.jsonl");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_dyad"))
            .args(["ingest", "--db"])
            .arg(&db)
            .arg(&example)
            .output()
            .unwrap()
    };
    let first = run();
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    assert!(stderr.contains("1 documents stored"), "{stderr}");
    let after_first = census(&db);
    assert_eq!(
        (after_first.0, after_first.1),
        (1, 13),
        "one document, 13 sentences"
    );
    assert!(after_first.2 > 0, "the example article yields events");

    let second = run();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(
        stderr.contains("0 documents stored, 0 replaced, 1 unchanged"),
        "{stderr}"
    );
    assert_eq!(census(&db), after_first);
    let _ = std::fs::remove_dir_all(&dir);
}
