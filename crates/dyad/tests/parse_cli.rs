//! `dyad parse` end to end, through the built binary: the example article, broken
//! inputs, stdin, options and errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const DYAD: &str = env!("CARGO_BIN_EXE_dyad");

fn shared(rel: &str) -> PathBuf {
    Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
    )
    .join("../../../shared")
    .join(rel)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dyad-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn dyad(args: &[&str]) -> Output {
    Command::new(DYAD).args(args).output().expect("run dyad")
}

fn dyad_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(DYAD)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dyad");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("UTF-8 output")
}

#[test]
fn parses_the_example_article_to_conllu() {
    let input = shared("examples/russia-china-2024-05.jsonl");
    let out = dyad(&["parse", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let conllu = text(&out.stdout);
    assert!(
        conllu.starts_with("# newdoc id = russia-china-2024-05\n"),
        "{conllu}"
    );
    assert_eq!(conllu.matches("# sent_id = ").count(), 13);
    assert!(
        conllu
            .contains("# sent_id = russia-china-2024-05-3\n# text = During Putin’s two-day stay,")
    );
    // Every token line is complete: tagged, lemmatized, attached, with offsets.
    let mut roots = 0;
    for line in conllu
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 10, "{line}");
        assert!(
            cols[3] != "_" && cols[2] != "_" && cols[6] != "_" && cols[7] != "_",
            "{line}"
        );
        assert!(cols[9].contains("TokenRange="), "{line}");
        roots += (cols[6] == "0") as usize;
    }
    assert_eq!(roots, 13, "one root per sentence");
    // The offsets point into the original text.
    assert!(conllu.contains("\t8,000\t"));
    let stderr = text(&out.stderr);
    assert!(
        !stderr.contains(": warning:") && !stderr.contains(": skipped:"),
        "{stderr}"
    );
    assert!(stderr.contains("1 document read from 1 input"), "{stderr}");
}

#[test]
fn json_output_has_offsets_and_annotation() {
    let input = shared("examples/russia-china-2024-05.jsonl");
    let out = dyad(&[
        "parse",
        "--output",
        "json",
        "--quiet",
        input.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "--quiet: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1);
    let doc: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(doc["id"], "russia-china-2024-05");
    assert_eq!(doc["date"], "2024-05-17");
    let sentences = doc["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 13);
    let first = &sentences[0]["tokens"][0];
    assert_eq!(first["text"], "Putin");
    assert_eq!(
        (first["start"].as_u64(), first["end"].as_u64()),
        (Some(0), Some(5))
    );
    assert_eq!(first["upos"], "PROPN");
    let possessive = &sentences[0]["tokens"][1];
    assert_eq!(possessive["text"], "’s");
    assert_eq!(possessive["space_after"], true);
    for s in sentences {
        for t in s["tokens"].as_array().unwrap() {
            for key in ["upos", "xpos", "lemma", "head", "deprel"] {
                assert!(!t[key].is_null(), "{key} missing in {t}");
            }
        }
    }
}

#[test]
fn broken_inputs_warn_with_file_and_line_and_the_rest_is_parsed() {
    let dir = temp_dir("broken");
    let path = dir.join("broken.jsonl");
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"{\"id\":\"good1\",\"text\":\"Russia attacked Ukraine.\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"bad-json\",\"text\":\"oops\"\n");
    bytes.extend_from_slice(
        b"{\"id\":\"latin1\",\"text\":\"Protesters in S\xe3o Paulo marched.\"}\n",
    );
    bytes.extend_from_slice(b"{\"id\":\"nul\",\"text\":\"bin\x00ary\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"no-text\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"empty\",\"text\":\"\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"good2\",\"text\":\"China welcomed Putin.\"}\n");
    std::fs::write(&path, &bytes).unwrap();
    let p = path.to_str().unwrap();

    let out = dyad(&["parse", "--segment-only", p]);
    assert!(out.status.success(), "problems in the input are warnings");
    let stderr = text(&out.stderr);
    for (line, what) in [
        (2, "skipped: malformed JSON"),
        (3, "warning: invalid UTF-8"),
        (4, "skipped: binary data"),
        (5, "skipped: missing text"),
        (6, "skipped: empty text"),
    ] {
        let needle = format!("{p}:{line}: {what}");
        assert!(stderr.contains(&needle), "{needle:?} not in:\n{stderr}");
    }
    assert!(
        stderr.contains("3 documents read from 1 input") && stderr.contains("4 skipped"),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    let ids: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("# newdoc id = "))
        .collect();
    assert_eq!(ids, ["good1", "latin1", "good2"]);
    assert!(
        stdout.contains("S\u{fffd}o"),
        "invalid bytes are replaced, not dropped"
    );

    // --strict turns skipped documents into a failing status.
    let strict = dyad(&["parse", "--segment-only", "--strict", "--quiet", p]);
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(strict.stdout, out.stdout);
}

#[test]
fn stdin_is_sniffed_and_text_files_are_documents() {
    let out = dyad_stdin(
        &["parse", "--segment-only", "--quiet", "-"],
        b"{\"id\":7,\"text\":\"KYIV, May 17 (Reuters) - Russian forces attacked.\"}\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("# newdoc id = 7\n"), "{stdout}");
    assert!(
        stdout.contains("# text = KYIV, May 17 (Reuters) -\n"),
        "dateline is its own sentence:\n{stdout}"
    );

    let out = dyad_stdin(
        &[
            "parse",
            "--segment-only",
            "--quiet",
            "--date",
            "17 May 2024",
            "--output",
            "json",
            "-",
        ],
        b"Plain text. Two sentences.",
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], "stdin");
    assert_eq!(v["date"], "2024-05-17");
    assert_eq!(v["sentences"].as_array().unwrap().len(), 2);

    let dir = temp_dir("textfile");
    let f = dir.join("kharkiv-report.txt");
    std::fs::write(&f, "Russian forces advanced.\n\nThousands fled.").unwrap();
    let out = dyad(&["parse", "--segment-only", "--quiet", f.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("# newdoc id = kharkiv-report\n"));
    assert_eq!(stdout.matches("# sent_id").count(), 2);
}

#[test]
fn conllu_input_keeps_gold_tokens() {
    let dir = temp_dir("conllu");
    let f = dir.join("gold.conllu");
    std::fs::write(
        &f,
        "# newdoc id = g\n# text = New York-based firms don't.\n1\tNew\t_\t_\t_\t_\t_\t_\t_\t_\n2\tYork-based\t_\t_\t_\t_\t_\t_\t_\t_\n3\tfirms\t_\t_\t_\t_\t_\t_\t_\t_\n4-5\tdon't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n4\tdo\t_\t_\t_\t_\t_\t_\t_\t_\n5\tn't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n6\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n",
    )
    .unwrap();
    let out = dyad(&["parse", "--quiet", "--input", "conllu", f.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let forms: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').nth(1).unwrap())
        .collect();
    // Not re-segmented: `York-based` stays one token as in the gold file.
    assert_eq!(forms, ["New", "York-based", "firms", "do", "n't", "."]);
    assert!(
        stdout
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .all(|l| l.split('\t').nth(3) != Some("_"))
    );
}

#[test]
fn output_file_and_errors() {
    let dir = temp_dir("outfile");
    let target = dir.join("out.conllu");
    let input = shared("examples/russia-china-2024-05.txt");
    let out = dyad(&[
        "parse",
        "--segment-only",
        "--quiet",
        "--out",
        target.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("# newdoc id = russia-china-2024-05\n"));

    let unknown = dyad(&["parse", "--frobnicate", "x"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("unexpected argument '--frobnicate'"));

    let bad_date = dyad(&["parse", "--date", "soon", "x.txt"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(
        text(&bad_date.stderr).contains("--date \"soon\""),
        "{}",
        text(&bad_date.stderr)
    );

    let missing = dyad(&["parse", "--segment-only", "/nonexistent/news.jsonl"]);
    assert!(missing.status.success());
    assert!(text(&missing.stderr).contains("/nonexistent/news.jsonl: skipped: unreadable input"));

    let no_model = dyad(&[
        "parse",
        "--model",
        "/nonexistent/model.bin",
        input.to_str().unwrap(),
    ]);
    assert_eq!(no_model.status.code(), Some(2));
    assert!(text(&no_model.stderr).contains("/nonexistent/model.bin"));
}

#[test]
fn output_is_the_same_for_any_thread_count() {
    use std::io::BufRead;
    let corpus = std::fs::File::open(shared("data/corpus/news_mix_real.jsonl")).unwrap();
    let dir = temp_dir("threads");
    let sample = dir.join("sample.jsonl");
    // Every 50th document: all sources, in corpus order.
    let lines: Vec<String> = std::io::BufReader::new(corpus)
        .lines()
        .map_while(Result::ok)
        .step_by(50)
        .take(400)
        .collect();
    std::fs::write(&sample, lines.join("\n")).unwrap();
    let s = sample.to_str().unwrap();
    let one = dyad(&["--threads", "1", "parse", "--quiet", s]);
    let two = dyad(&["--threads", "2", "parse", "--quiet", s]);
    assert!(one.status.success() && two.status.success());
    assert_eq!(
        text(&one.stdout).matches("# newdoc id = ").count(),
        lines.len()
    );
    assert!(
        one.stdout == two.stdout,
        "output differs between --threads 1 and 2"
    );
}

#[test]
fn malformed_conllu_and_oversized_documents_are_reported() {
    let dir = temp_dir("conllu-bad");
    let f = dir.join("bad.conllu");
    std::fs::write(
        &f,
        "# newdoc id = a\n1\tBroken\tline\n\n1\tFine\t_\t_\t_\t_\t_\t_\t_\t_\n\n# newdoc id = b\n1\tAlso\t_\t_\t_\t_\t_\t_\t_\t_\n2\tfine\t_\t_\t_\t_\t_\t_\t_\t_\n\n",
    )
    .unwrap();
    let p = f.to_str().unwrap();
    let out = dyad(&["parse", "--segment-only", p]);
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{p}:2: warning: malformed CoNLL-U: expected 10 tab-separated columns, found 3"
        )),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches("# newdoc id = ").count(), 2);

    let big = dir.join("big.jsonl");
    std::fs::write(
        &big,
        format!(
            "{{\"id\":\"huge\",\"text\":\"{}\"}}\n{{\"id\":\"small\",\"text\":\"Fine.\"}}\n",
            "word ".repeat(100)
        ),
    )
    .unwrap();
    let b = big.to_str().unwrap();
    let out = dyad(&["parse", "--segment-only", "--max-doc-bytes", "100", b]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("{b}:1: skipped: too large")),
        "{stderr}"
    );
    assert!(text(&out.stdout).starts_with("# newdoc id = small\n"));
}

/// `dyad train` with word clusters and right to left, `dyad ensemble` over the
/// results, and the ensemble used by `eval parse` and `parse`: the way the
/// accurate model is built (models/README.md), on a small slice of EWT.
#[test]
fn train_and_ensemble_build_a_voting_model() {
    let dir = temp_dir("ensemble");
    let treebank = shared("data/treebank/ud_english_ewt");
    let clusters =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/clusters/en_brown_reddit.tsv");
    let (tb, cl) = (treebank.to_str().unwrap(), clusters.to_str().unwrap());
    let out = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let small = [
        "--treebank",
        tb,
        "--limit",
        "300",
        "--folds",
        "0",
        "--tagger-epochs",
        "2",
        "--parser-epochs",
        "2",
    ];
    let train = |extra: &[&str], file: &str| {
        let mut args = vec!["train"];
        args.extend_from_slice(&small);
        args.extend_from_slice(extra);
        let o = out(file);
        args.extend_from_slice(&["--out", &o]);
        let r = dyad(&args);
        assert!(r.status.success(), "{}", text(&r.stderr));
        text(&r.stderr)
    };
    let log = train(&["--clusters", cl], "ltr.dyadnlp");
    assert!(log.contains("190129 word clusters"), "{log}");
    train(&["--clusters", cl, "--right-to-left"], "rtl.dyadnlp");
    train(&["--clusters", cl, "--seed", "9"], "ltr9.dyadnlp");

    // Only the default settings may write the default model file.
    let mut args = vec!["train"];
    args.extend_from_slice(&small);
    let r = dyad(&args);
    assert!(!r.status.success());
    assert!(
        text(&r.stderr).contains("--out is required"),
        "{}",
        text(&r.stderr)
    );

    let (ens, ltr, rtl, ltr9) = (
        out("ens.dyadnlp"),
        out("ltr.dyadnlp"),
        out("rtl.dyadnlp"),
        out("ltr9.dyadnlp"),
    );
    let r = dyad(&[
        "ensemble",
        "--out",
        &ens,
        "--member-prune",
        "256",
        &ltr,
        &format!("{rtl}:0.8"),
        &format!("{ltr9}:0.6"),
    ]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    assert!(text(&r.stderr).contains("3 parsers"), "{}", text(&r.stderr));

    let dev = shared("data/treebank/ud_english_ewt/en_ewt-ud-dev.conllu");
    let r = dyad(&[
        "eval",
        "parse",
        "--json",
        "--model",
        &ens,
        dev.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert!(v["uas"].as_f64().unwrap() > 60.0, "{v}");
    let r = dyad(&[
        "parse",
        "--model",
        &ens,
        shared("examples/russia-china-2024-05.jsonl")
            .to_str()
            .unwrap(),
    ]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    assert!(text(&r.stdout).contains("\troot\t"));

    // Errors name the file or the problem, and write nothing.
    let bad = out("bad.dyadnlp");
    let missing = out("missing.dyadnlp");
    let r = dyad(&["ensemble", "--out", &bad, &ltr, &missing]);
    assert!(!r.status.success());
    assert!(
        text(&r.stderr).contains("missing.dyadnlp"),
        "{}",
        text(&r.stderr)
    );
    let default_model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/en_ewt.dyadnlp");
    let r = dyad(&[
        "ensemble",
        "--out",
        &bad,
        &ltr,
        default_model.to_str().unwrap(),
    ]);
    assert!(!r.status.success());
    assert!(
        text(&r.stderr).contains("different word clusters"),
        "{}",
        text(&r.stderr)
    );
    assert!(!Path::new(&bad).exists());
    let r = dyad(&["ensemble", "--out", &bad, &ltr, &format!("{rtl}:-1")]);
    assert!(!r.status.success());
    assert!(text(&r.stderr).contains("≥ 0"), "{}", text(&r.stderr));
    std::fs::remove_dir_all(&dir).ok();
}
