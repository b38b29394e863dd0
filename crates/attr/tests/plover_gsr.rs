//! Held-out check on the PLOVER gold-standard records (`../shared/data/gold/
//! plover_gsr`): 322 real news sentences annotated by others with event
//! locations (48) and counts (37). The rules were not tuned on them, so these are
//! the figures to trust more than `attrs.rs`'s. Run with `--nocapture` to print
//! the table quoted in ACCURACY.md.
//!
//! Gold `size` is PLOVER's generic event size (crowd, arrested, deported ...), so
//! it is matched against any of Dyad's crowd/arrested/displaced counts; `dead` and
//! `injured` against `killed` and `wounded`. Vague gold sizes ("Thousands") are
//! read with Dyad's own number reader, so only the category and the pairing are
//! tested for them. Documents go through the real segmenter, tagger and parser.

use dyad_attr::Attributes;
use dyad_attr::number::read_quantity;
use dyad_doc::event::{ActorRef, Provenance, Span};
use dyad_doc::{Doc, Document, Event};
use serde_json::Value;

fn word_at(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn gold_value(s: &str) -> Option<u64> {
    let lower = s.to_lowercase().replace(',', "");
    let words: Vec<&str> = lower.split_whitespace().collect();
    read_quantity(&words).map(|q| q.value)
}

fn actor(text: &str, names: &Value, country: Option<&str>) -> Option<ActorRef> {
    let name = names.as_array()?.first()?.as_str()?;
    let start = word_at(text, name)? as u32;
    Some(ActorRef {
        code: country.unwrap_or_default().to_string(),
        country: country.map(str::to_string),
        text: name.to_string(),
        agent: None,
        span: Some((start, start + name.len() as u32)),
    })
}

#[test]
fn plover_gold_locations_and_counts() {
    let path = &format!(
        "{}/../../../shared/data/gold/plover_gsr/plover_gsr.normalized.jsonl",
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests")
    );
    let data = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let attrs = Attributes::builtin();
    let (mut loc_gold, mut loc_pred, mut loc_pred_on_gold, mut loc_ok) = (0, 0, 0, 0);
    let (mut cnt_gold, mut cnt_pred, mut cnt_ok) = (0, 0, 0);
    let mut misses = Vec::new();
    for (n, line) in data.lines().enumerate() {
        let rec: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", n + 1));
        let text = rec["text"].as_str().unwrap_or_default();
        let mut doc = Doc::from_document(Document {
            id: rec["id"].as_str().unwrap_or_default().into(),
            date: rec["date"].as_str().map(str::to_string),
            text: text.into(),
            ..Default::default()
        });
        dyad_text::segment(&mut doc);
        dyad_nlp::Model::builtin().annotate(&mut doc);
        for ev in rec["events"].as_array().into_iter().flatten() {
            // the first word of the gold event text that occurs in the sentence
            let Some((t, word)) = ev["event_text"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .find_map(|w| word_at(text, w).map(|i| (i, w)))
            else {
                continue;
            };
            let tok = doc.end.partition_point(|&e| e as usize <= t);
            if tok >= doc.len() {
                continue;
            }
            let country = |k: &str| {
                ev[k].as_array()?.first()?["code"]
                    .as_str()
                    .map(|c| c.chars().take(3).collect::<String>())
            };
            let (sc, tc) = (country("source_actors"), country("target_actors"));
            let mut events = [Event {
                sentence: doc.sentence_of(tok) as u32 + 1,
                source: actor(text, &ev["source_text"], sc.as_deref()),
                target: actor(text, &ev["target_text"], tc.as_deref()),
                provenance: Provenance {
                    trigger: Span {
                        text: word.into(),
                        start: t as u32,
                        end: (t + word.len()) as u32,
                    },
                    ..Default::default()
                },
                ..Default::default()
            }];
            attrs.annotate(&doc, &mut events);
            let e = &events[0];
            // location
            let gold_loc = ev["location"].as_str();
            if gold_loc.is_some() {
                loc_gold += 1;
                if e.location.is_some() {
                    loc_pred_on_gold += 1;
                }
            }
            if let Some(l) = &e.location {
                loc_pred += 1;
                let ok = gold_loc.is_some_and(|g| {
                    l.text.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(g)) || l.name == g
                });
                loc_ok += usize::from(ok);
            }
            if gold_loc.is_some()
                && !e.location.as_ref().is_some_and(|l| {
                    gold_loc.is_some_and(|g| {
                        l.text.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(g)) || l.name == g
                    })
                })
            {
                misses.push(format!(
                    "location {:?} got {:?}: {text}",
                    gold_loc,
                    e.location.as_ref().map(|l| (&l.name, &l.method))
                ));
            }
            // counts
            let c = &e.counts;
            let ours: Vec<(&str, u64)> = [
                ("killed", &c.killed),
                ("wounded", &c.wounded),
                ("displaced", &c.displaced),
                ("arrested", &c.arrested),
                ("crowd", &c.crowd),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, v.value)))
            .collect();
            cnt_pred += ours.len();
            if let Some(gold) = ev["counts"].as_object() {
                for (k, v) in gold {
                    let Some(want) = v.as_str().and_then(gold_value) else {
                        continue;
                    };
                    cnt_gold += 1;
                    let kinds: &[&str] = match k.as_str() {
                        "dead" => &["killed"],
                        "injured" => &["wounded"],
                        _ => &["crowd", "arrested", "displaced"],
                    };
                    let hit = ours
                        .iter()
                        .any(|(ok, ov)| kinds.contains(ok) && *ov == want);
                    cnt_ok += usize::from(hit);
                    if !hit {
                        misses.push(format!("count {k}={want} got {ours:?}: {text}"));
                    }
                }
            }
        }
    }
    let p = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    println!("misses:");
    for m in &misses {
        println!("  {m}");
    }
    println!("| field | precision | recall | gold |");
    println!("|---|---|---|---|");
    println!(
        "| location (events with a gold location) | {:.3} | {:.3} | {loc_gold} |",
        p(loc_ok, loc_pred_on_gold),
        p(loc_ok, loc_gold)
    );
    println!(
        "| location (all events; gold leaves most unannotated) | {:.3} | | {loc_pred} predicted |",
        p(loc_ok, loc_pred)
    );
    println!(
        "| counts (category + value) | {:.3} | {:.3} | {cnt_gold} |",
        p(cnt_ok, cnt_pred),
        p(cnt_ok, cnt_gold)
    );
    // floors set below the measured figures (ACCURACY.md) to catch regressions
    assert!(
        p(loc_ok, loc_gold) >= 0.6,
        "location recall {:.3}",
        p(loc_ok, loc_gold)
    );
    assert!(
        p(loc_ok, loc_pred_on_gold) >= 0.7,
        "location precision {:.3}",
        p(loc_ok, loc_pred_on_gold)
    );
    assert!(
        p(cnt_ok, cnt_gold) >= 0.6,
        "count recall {:.3}",
        p(cnt_ok, cnt_gold)
    );
}
