//! Actor recall on the PLOVER gold-standard records, with Dyad's own dictionary.
//!
//! ```sh
//! cargo test -p dyad-actors --test plover -- --nocapture
//! ```
//!
//! For every gold source/target actor (`actorText`, ISO3 `code`, `sector`): is
//! there a mention overlapping its words, does its country agree, and does its
//! country + sector agree. The records' dates are placeholders (2000-01-01), so
//! documents are coded without a date (each person's most recent role). The
//! figures are recorded in ACCURACY.md; the floors below keep them from
//! silently regressing.

mod common;

use dyad_actors::{ActorDict, Mention};
use serde_json::Value;

#[derive(Default)]
struct Score {
    gold: usize,
    found: usize,
    country_ok: usize,
    with_sector: usize,
    code_ok: usize,
}

fn agrees_country(m: &Mention, code: &str) -> bool {
    if code == "IGO" {
        m.code.starts_with("IGO")
    } else {
        m.country.as_deref() == Some(code)
    }
}

/// The first whole-word occurrence of `w` in `s`.
fn find_word(s: &str, w: &str) -> Option<usize> {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    s.match_indices(w)
        .map(|(i, _)| i)
        .find(|&i| !word(s[..i].chars().next_back()) && !word(s[i + w.len()..].chars().next()))
}

#[test]
fn plover_gold_actor_recall() {
    let path = &format!(
        "{}/../../../shared/data/gold/plover_gsr/plover_gsr.normalized.jsonl",
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests")
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("{path} not present: skipping");
        return;
    };
    let dict = ActorDict::builtin();
    let mut s = Score::default();
    let mut misses = Vec::new();
    let mut wrong = Vec::new();
    for line in text.lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        let sentence = r["text"].as_str().unwrap();
        let mut d = dyad_doc::Doc::from_document(dyad_doc::Document {
            id: "p".into(),
            text: sentence.into(),
            ..Default::default()
        });
        dyad_text::segment(&mut d);
        common::annotate(&mut d);
        let mentions: Vec<Mention> = dict
            .mentions(&d)
            .iter()
            .flat_map(|m| m.actors().to_vec())
            .collect();
        let lower = sentence.to_lowercase();
        for ev in r["events"].as_array().unwrap() {
            for side in ["source_actors", "target_actors"] {
                for a in ev[side].as_array().into_iter().flatten() {
                    let (Some(t), Some(code)) = (a["actorText"].as_str(), a["code"].as_str())
                    else {
                        continue;
                    };
                    let Some(at) = find_word(&lower, &t.to_lowercase()) else {
                        continue;
                    };
                    let span = (at as u32, (at + t.len()) as u32);
                    s.gold += 1;
                    let hit = mentions.iter().find(|m| {
                        let (ms, me) = (
                            d.start[m.tokens.start as usize],
                            d.end[m.tokens.end as usize - 1],
                        );
                        ms < span.1 && span.0 < me
                    });
                    let Some(m) = hit else {
                        misses.push(format!("{t} [{code}]  in: {sentence}"));
                        continue;
                    };
                    s.found += 1;
                    if agrees_country(m, code) {
                        s.country_ok += 1;
                    } else {
                        wrong.push(format!(
                            "{t} [{code}] read as {:?} {}  in: {sentence}",
                            m.text, m.code
                        ));
                    }
                    if let Some(sector) = a["sector"].as_str() {
                        s.with_sector += 1;
                        if agrees_country(m, code) && m.agent.as_deref() == Some(sector) {
                            s.code_ok += 1;
                        }
                    }
                }
            }
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!(
        "PLOVER gold actors: {} | found {} ({:.1}%) | country agrees {} ({:.1}% of found) | country+sector agrees {} of {} with a sector ({:.1}%)",
        s.gold,
        s.found,
        pct(s.found, s.gold),
        s.country_ok,
        pct(s.country_ok, s.found),
        s.code_ok,
        s.with_sector,
        pct(s.code_ok, s.with_sector)
    );
    for m in &misses {
        println!("  missed: {m}");
    }
    for m in &wrong {
        println!("  country differs: {m}");
    }
    assert!(
        pct(s.found, s.gold) >= 90.0,
        "actor recall fell below its floor"
    );
    assert!(
        pct(s.country_ok, s.found) >= 80.0,
        "country agreement fell below its floor"
    );
}
