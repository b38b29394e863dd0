//! The reader on real files with every kind of damage: each problem is reported
//! with file and line, and every good document still comes through, in order.

use dyad_ingest::{Diagnostic, Format, Input, Options, Reader, Reason, Severity};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-ingest-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read_all(
    paths: &[PathBuf],
    opts: Options,
) -> (Vec<Input>, Vec<Diagnostic>, dyad_ingest::Summary) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let mut reader = Reader::new(paths.iter().cloned(), opts)
        .with_diagnostics(move |d| sink.lock().unwrap().push(d.clone()));
    let docs: Vec<Input> = reader.by_ref().collect();
    let summary = reader.summary().clone();
    let diags = seen.lock().unwrap().clone();
    (docs, diags, summary)
}

#[test]
fn damaged_json_lines_are_reported_and_the_rest_is_read() {
    let dir = temp_dir("jsonl");
    let path = dir.join("news.jsonl");
    let mut bytes = Vec::new();
    bytes.extend_from_slice(br#"{"id":"ok1","date":"2024-05-17","text":"Putin visited China."}"#);
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(br#"{"id":"broken","text":"no closing brace""#);
    bytes.extend_from_slice(b"\n\n");
    bytes.extend_from_slice(b"{\"id\":\"latin1\",\"text\":\"caf\xe9 bombing\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"nul\",\"text\":\"a\x00b\"}\n");
    bytes.extend_from_slice(br#"{"id":"notext"}"#);
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(br#"{"id":"empty","text":"   "}"#);
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(br#"{"id":7,"text":5}"#);
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(br#"{"text":"No id here.","date":"26-FEB-1987 15:03:27.51"}"#);
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(br#"{"id":"big","text":"0123456789012345678901234567890123456789"}"#);
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(br#"{"id":42,"date":"someday","text":"Last one."}"#);
    std::fs::write(&path, &bytes).unwrap();

    let opts = Options {
        max_doc_bytes: 30,
        ..Options::default()
    };
    let (docs, diags, summary) = read_all(std::slice::from_ref(&path), opts);
    let ids: Vec<&str> = docs.iter().map(Input::id).collect();
    assert_eq!(ids, ["ok1", "latin1", "news:9", "42"]);
    let Input::Document(latin) = &docs[1] else {
        panic!()
    };
    assert_eq!(latin.text, "caf\u{fffd} bombing");
    let Input::Document(noid) = &docs[2] else {
        panic!()
    };
    assert_eq!(noid.date.as_deref(), Some("1987-02-26"));

    let got: Vec<(Option<u64>, Severity, Reason)> = diags
        .iter()
        .map(|d| (d.line, d.severity, d.reason))
        .collect();
    assert_eq!(
        got,
        [
            (Some(2), Severity::Skipped, Reason::MalformedJson),
            (Some(4), Severity::Warning, Reason::InvalidUtf8),
            (Some(5), Severity::Skipped, Reason::Binary),
            (Some(6), Severity::Skipped, Reason::MissingText),
            (Some(7), Severity::Skipped, Reason::EmptyText),
            (Some(8), Severity::Skipped, Reason::WrongType),
            (Some(9), Severity::Warning, Reason::MissingId),
            (Some(10), Severity::Skipped, Reason::TooLarge),
            (Some(11), Severity::Warning, Reason::UnknownDate),
        ]
    );
    let shown = diags[0].to_string();
    assert!(
        shown.starts_with(&format!("{}:2: skipped: malformed JSON: ", path.display())),
        "{shown}"
    );
    assert_eq!(summary.read, 4);
    assert_eq!(summary.skipped_total(), 6);
    assert_eq!(summary.warnings_total(), 3);
    assert_eq!(summary.bytes, bytes.len() as u64);
    let line = summary.to_string();
    assert!(line.starts_with("4 documents read from 1 input"), "{line}");
    assert!(line.contains("6 skipped (1 malformed JSON, 1 wrong field type, 1 missing text, 1 empty text, 1 too large, 1 binary data)"), "{line}");
}

#[test]
fn text_files_conllu_and_missing_files_in_one_run() {
    let dir = temp_dir("mixed");
    let a = dir.join("kyiv-report.txt");
    std::fs::write(&a, "KYIV, May 17 (Reuters) - Russian forces attacked.\n").unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, " \n\n").unwrap();
    let binary = dir.join("scan.pdf");
    std::fs::write(&binary, b"%PDF-1.4\n\x00\x01\x02").unwrap();
    let gold = dir.join("gold.conllu");
    std::fs::write(&gold, "# newdoc id = g1\n1\tHello\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n2\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n").unwrap();
    let missing = dir.join("missing.jsonl");
    let big = dir.join("big.txt");
    std::fs::write(&big, "x".repeat(100)).unwrap();

    let opts = Options {
        date: Some("2024-05-17".into()),
        max_doc_bytes: 64,
        ..Options::default()
    };
    let (docs, diags, summary) = read_all(&[a, empty, binary, gold, missing, big], opts);
    assert_eq!(docs.len(), 2);
    let Input::Document(d) = &docs[0] else {
        panic!("text file is a raw document")
    };
    assert_eq!(d.id, "kyiv-report");
    assert_eq!(d.date.as_deref(), Some("2024-05-17"));
    let Input::Tokenized(g) = &docs[1] else {
        panic!("CoNLL-U is pre-tokenized")
    };
    assert_eq!(
        (g.id.as_str(), g.text.as_str(), g.len()),
        ("g1", "Hello.", 2)
    );
    let reasons: Vec<Reason> = diags.iter().map(|d| d.reason).collect();
    assert_eq!(
        reasons,
        [
            Reason::EmptyText,
            Reason::Binary,
            Reason::Unreadable,
            Reason::TooLarge
        ]
    );
    assert_eq!(diags[1].line, Some(2));
    assert_eq!(summary.files, 5);
}

#[test]
fn forced_format_and_extension_detection() {
    assert_eq!(Format::from_path("a/b.NDJSON".as_ref()), Format::Jsonl);
    assert_eq!(Format::from_path("b.conllu".as_ref()), Format::Conllu);
    assert_eq!(Format::from_path("b.txt".as_ref()), Format::Text);
    assert_eq!(Format::from_path("README".as_ref()), Format::Text);
    assert!("xml".parse::<Format>().is_err());

    let dir = temp_dir("forced");
    let p = dir.join("records.txt");
    std::fs::write(
        &p,
        "{\"id\":\"x\",\"text\":\"y\"}\n{\"id\":\"z\",\"text\":\"w\"}\n",
    )
    .unwrap();
    let opts = Options {
        format: Some(Format::Jsonl),
        ..Options::default()
    };
    let (docs, _, _) = read_all(std::slice::from_ref(&p), opts);
    assert_eq!(docs.iter().map(Input::id).collect::<Vec<_>>(), ["x", "z"]);
    let (docs, _, _) = read_all(&[p], Options::default());
    assert_eq!(docs.iter().map(Input::id).collect::<Vec<_>>(), ["records"]);
}

#[test]
fn a_json_array_is_explained() {
    let dir = temp_dir("array");
    let p = dir.join("export.json");
    std::fs::write(&p, "[\n{\"id\":\"x\",\"text\":\"y\"}\n]\n").unwrap();
    let (docs, diags, _) = read_all(&[p], Options::default());
    assert!(docs.is_empty());
    assert_eq!(diags.len(), 1);
    assert!(diags[0].message.contains("JSON array"), "{}", diags[0]);
}

#[test]
fn the_example_article_reads_cleanly() {
    let p = PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
    )
    .join("../../../shared/examples/russia-china-2024-05.jsonl");
    let (docs, diags, summary) = read_all(&[p], Options::default());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(summary.read, 1);
    let Input::Document(d) = &docs[0] else {
        panic!()
    };
    assert_eq!(
        (d.id.as_str(), d.date.as_deref(), d.title.as_deref()),
        (
            "russia-china-2024-05",
            Some("2024-05-17"),
            Some("Putin visits China")
        )
    );
}

#[test]
fn a_directory_is_read_file_by_file_in_name_order() {
    let dir = temp_dir("dir");
    let sub = dir.join("b-sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(dir.join("c.txt"), "Third.").unwrap();
    std::fs::write(dir.join("a.txt"), "First.").unwrap();
    std::fs::write(
        sub.join("x.jsonl"),
        "{\"id\":\"second\",\"text\":\"Second.\"}\n",
    )
    .unwrap();
    std::fs::write(dir.join(".hidden.txt"), "Never.").unwrap();
    let (docs, diags, summary) = read_all(&[dir], Options::default());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        docs.iter().map(Input::id).collect::<Vec<_>>(),
        ["a", "second", "c"]
    );
    assert_eq!(summary.files, 3);
}

#[test]
fn a_byte_order_mark_is_not_text() {
    let dir = temp_dir("bom");
    let t = dir.join("note.txt");
    std::fs::write(&t, b"\xef\xbb\xbfKYIV, May 17 (Reuters) - Text.").unwrap();
    let j = dir.join("records.jsonl");
    std::fs::write(&j, b"\xef\xbb\xbf{\"id\":\"a\",\"text\":\"Text.\"}\n").unwrap();
    let (docs, diags, _) = read_all(&[t, j], Options::default());
    assert!(diags.is_empty(), "{diags:?}");
    let Input::Document(d) = &docs[0] else {
        panic!()
    };
    assert!(d.text.starts_with("KYIV"));
    assert_eq!(docs[1].id(), "a");
}
