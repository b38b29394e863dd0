//! Data-driven mention tests on real sentences: `tests/data/mentions.txt` holds
//! documents and, after each sentence, exactly the mentions expected in it.

mod common;

use dyad_actors::{ActorDict, How};

struct Case {
    date: Option<String>,
    sentences: Vec<String>,
    expected: Vec<Vec<String>>,
    line: usize,
}

fn cases(text: &str) -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    let mut date = None;
    let mut open = false;
    for (n, line) in text.lines().enumerate() {
        if let Some(d) = line.strip_prefix("@date ") {
            // `@date -`: documents without a date.
            date = Some(d.trim().to_string()).filter(|d| d != "-");
        } else if let Some(s) = line.strip_prefix("> ") {
            if !open {
                out.push(Case {
                    date: date.clone(),
                    sentences: vec![],
                    expected: vec![],
                    line: n + 1,
                });
                open = true;
            }
            let c = out.last_mut().unwrap();
            c.sentences.push(s.to_string());
            c.expected.push(vec![]);
        } else if let Some(m) = line.strip_prefix("- ") {
            out.last_mut()
                .unwrap()
                .expected
                .last_mut()
                .unwrap()
                .push(m.trim().to_lowercase());
        } else if line.trim().is_empty() {
            open = false;
        }
    }
    out
}

#[test]
fn mentions_on_real_sentences() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/data/mentions.txt",
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests")
    ))
    .unwrap();
    let dict = ActorDict::builtin();
    let mut failures = Vec::new();
    let all = cases(&text);
    assert!(all.len() >= 10);
    for case in &all {
        let sents: Vec<&str> = case.sentences.iter().map(String::as_str).collect();
        let doc = common::doc(&sents, case.date.as_deref());
        let mentions = dict.mentions(&doc);
        for (k, want) in case.expected.iter().enumerate() {
            // `- ? text = CODE how`: may or may not be found (depends on the tagger).
            let optional: Vec<&str> = want.iter().filter_map(|w| w.strip_prefix("? ")).collect();
            let want: Vec<String> = want
                .iter()
                .filter(|w| !w.starts_with("? "))
                .cloned()
                .collect();
            let got: Vec<String> = mentions
                .iter()
                .filter(|m| m.sentence as usize == k)
                .map(common::describe)
                .filter(|d| !optional.contains(&d.as_str()))
                .collect();
            if got != want {
                failures.push(format!(
                    "tests/data/mentions.txt:{} sentence {}: {}\n  expected: {want:#?}\n  got: {got:#?}",
                    case.line,
                    k + 1,
                    case.sentences[k]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn example_article_provenance() {
    let text = std::fs::read_to_string(format!(
        "{}/../../../shared/examples/russia-china-2024-05.txt",
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests")
    ));
    let Ok(text) = text else {
        eprintln!("../shared not present: skipping");
        return;
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let doc = common::doc(&lines, Some("2024-05-17"));
    let ms = ActorDict::builtin().mentions(&doc);
    let putin = ms.iter().find(|m| m.text == "Putin").unwrap();
    assert_eq!(putin.code, "RUSGOV");
    assert_eq!(putin.country.as_deref(), Some("RUS"));
    assert_eq!(putin.agent.as_deref(), Some("GOV"));
    assert!(
        putin
            .entry
            .source
            .starts_with("dict/actors/curated.actors:"),
        "{:?}",
        putin.entry
    );
    assert_eq!(putin.entry.role.as_deref(), Some("RUSGOV 1999-08-09.."));
    let forces = ms.iter().find(|m| m.text == "Russian forces").unwrap();
    assert_eq!(forces.how, How::Agent);
    assert_eq!(doc.form(forces.head as usize), "forces");
    assert_eq!(forces.agent_entry.as_ref().unwrap().name, "forces");
    let two = ms.iter().find(|m| m.text == "The two countries").unwrap();
    let codes: Vec<&str> = two.actors().iter().map(|m| m.code.as_str()).collect();
    assert_eq!(codes, ["RUS", "CHN"]);
    assert_eq!(two.sentence, 11);
}

#[test]
fn time_references_do_not_discard_a_sentence() {
    let doc = common::doc(
        &[
            "Uganda granted asylum to rebels who entered the country two years ago.",
            "Manchester United beat Arsenal.",
        ],
        Some("2024-05-17"),
    );
    let hits = ActorDict::builtin().discards(&doc);
    let sentences: Vec<u32> = hits.iter().map(|h| h.sentence).collect();
    assert_eq!(sentences, [1], "{hits:?}");
}
