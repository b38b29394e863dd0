//! Gazetteer load time and annotation throughput: `cargo bench -p dyad-attr`.
//!
//! Throughput is measured on real news (`../shared/data/corpus/news_mix_real.jsonl`,
//! first `DYAD_BENCH_DOCS` documents, default 3000) with one event per sentence,
//! triggered at the sentence's root verb: more events than the coder produces, so
//! the figure is a worst case. The same documents are segmented and parsed with
//! the real stages, and attr's time is reported as a share of theirs: the coder
//! only adds to the denominator, so the share bounds attr's cost in `dyad code`.

use dyad_attr::Attributes;
use dyad_attr::gazetteer::Gazetteer;
use dyad_doc::event::{Provenance, Span};
use dyad_doc::{Doc, Document, Event};
use std::time::{Duration, Instant};

fn main() {
    // 1. load time (fresh parse each run; `Attributes::builtin` does this once)
    let mut loads: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            let g = Gazetteer::builtin_data().expect("embedded gazetteer");
            let d = t.elapsed();
            assert!(g.places.len() > 30_000);
            d
        })
        .collect();
    loads.sort();
    let g = Gazetteer::builtin_data().expect("embedded gazetteer");
    println!(
        "gazetteer load: median {:.1} ms, min {:.1} ms ({} places, {} names)",
        ms(loads[loads.len() / 2]),
        ms(loads[0]),
        g.places.len(),
        g.pattern_count()
    );

    // 2. throughput on real news
    let path = &format!(
        "{}/../../../shared/data/corpus/news_mix_real.jsonl",
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests")
    );
    let Ok(corpus) = std::fs::read_to_string(path) else {
        println!("{path} not found: throughput skipped");
        return;
    };
    let n_docs: usize = std::env::var("DYAD_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let docs: Vec<Document> = corpus
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .take(n_docs)
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();

    let t = Instant::now();
    let mut docs: Vec<Doc> = docs
        .into_iter()
        .map(|d| {
            let mut doc = Doc::from_document(d);
            dyad_text::segment(&mut doc);
            doc
        })
        .collect();
    let t_segment = t.elapsed();
    // the NLP model is rebuilt by its own engineer; a broken one should not hide
    // attr's figures, so its absence is reported rather than fatal
    let model = std::panic::catch_unwind(dyad_nlp::Model::builtin).ok();
    let t = Instant::now();
    if let Some(model) = model {
        for doc in &mut docs {
            model.annotate(doc);
        }
    } else {
        println!("dyad-nlp model unavailable: tag+parse skipped (attr runs on tokens only)");
    }
    let t_parse = t.elapsed();
    let sentences: usize = docs.iter().map(|d| d.sentences.len()).sum();

    let mut events: Vec<Vec<Event>> = docs.iter().map(events_for).collect();
    let attrs = Attributes::builtin();
    let t = Instant::now();
    for (doc, ev) in docs.iter().zip(events.iter_mut()) {
        attrs.annotate(doc, ev);
    }
    let t_attr = t.elapsed();
    let n_events: usize = events.iter().map(Vec::len).sum();
    let located = events
        .iter()
        .flatten()
        .filter(|e| e.location.is_some())
        .count();
    let counted = events
        .iter()
        .flatten()
        .filter(|e| !e.counts.is_empty())
        .count();
    println!(
        "corpus: {} docs, {:.1} MB, {sentences} sentences, {n_events} events",
        docs.len(),
        bytes as f64 / 1e6
    );
    println!(
        "segment {:.0} ms, tag+parse {:.0} ms, attr {:.0} ms ({:.0} sentences/s, {:.0} events/s)",
        ms(t_segment),
        ms(t_parse),
        ms(t_attr),
        sentences as f64 / t_attr.as_secs_f64(),
        n_events as f64 / t_attr.as_secs_f64()
    );
    println!(
        "attr / (segment + tag + parse) = {:.1}%; located {:.1}% of events, counts on {:.1}%",
        100.0 * t_attr.as_secs_f64() / (t_segment + t_parse).as_secs_f64(),
        100.0 * located as f64 / n_events.max(1) as f64,
        100.0 * counted as f64 / n_events.max(1) as f64
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// One event per sentence, triggered at its root (or first) token.
fn events_for(doc: &Doc) -> Vec<Event> {
    doc.sentences
        .iter()
        .enumerate()
        .map(|(k, sp)| {
            let root = sp
                .tokens()
                .find(|&i| doc.head_of(i).is_none())
                .unwrap_or(sp.first_token as usize);
            Event {
                doc_id: doc.id.clone(),
                sentence: k as u32 + 1,
                provenance: Provenance {
                    trigger: Span {
                        text: doc.form(root).to_string(),
                        start: doc.start[root],
                        end: doc.end[root],
                    },
                    ..Default::default()
                },
                ..Default::default()
            }
        })
        .collect()
}
