//! Actor dictionary load time and matching speed.
//!
//! ```sh
//! cargo bench -p dyad-actors --bench actors -- [DOCS]
//! ```
//!
//! Load: parsing the built-in files and building the automaton, as `builtin()`
//! does on first use. Matching: `mentions()` over the first DOCS (default 3000)
//! documents of `../shared/data/corpus/news_mix_real.jsonl`, segmented beforehand
//! (segmentation is not timed), on one thread.

use dyad_actors::{ActorDict, BUILTIN_FILES, DictBuilder, format};
use dyad_doc::{Doc, Document};
use std::io::BufRead;
use std::time::Instant;

fn main() {
    let n_docs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3000);

    let mut loads = Vec::new();
    let mut names = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let mut b = DictBuilder::new();
        for (name, text) in BUILTIN_FILES {
            format::read_dyad(&mut b, name, text);
        }
        let parsed = t.elapsed().as_secs_f64() * 1000.0;
        let d = b.build();
        eprintln!(
            "  parse {parsed:.1} ms, build {:.1} ms",
            t.elapsed().as_secs_f64() * 1000.0 - parsed
        );
        loads.push(t.elapsed().as_secs_f64() * 1000.0);
        names = d.name_count();
    }
    loads.sort_by(f64::total_cmp);
    let bytes: usize = BUILTIN_FILES.iter().map(|(_, t)| t.len()).sum();
    println!(
        "load: {names} names from {:.2} MB of dictionary text, median {:.1} ms (min {:.1}, max {:.1}) over 5 builds",
        bytes as f64 / 1e6,
        loads[2],
        loads[0],
        loads[4]
    );

    let path = &format!(
        "{}/../../../shared/data/corpus/news_mix_real.jsonl",
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests")
    );
    let Ok(f) = std::fs::File::open(path) else {
        println!("{path} not present: matching not measured");
        return;
    };
    let docs: Vec<Doc> = std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<Document>(&l).ok())
        .take(n_docs)
        .map(|d| {
            let mut doc = Doc::from_document(d);
            dyad_text::segment(&mut doc);
            doc
        })
        .collect();
    let sentences: usize = docs.iter().map(|d| d.sentences.len()).sum();
    let tokens: usize = docs.iter().map(|d| d.len()).sum();
    let dict = ActorDict::builtin();
    let mut mentions = 0;
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        mentions = docs.iter().map(|d| dict.mentions(d).len()).sum::<usize>();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "match: {} docs, {sentences} sentences, {tokens} tokens, {mentions} mentions in {:.3} s (best of 3): {:.1} µs/sentence, {:.0} sentences/s, {:.1} M tokens/s on one thread",
        docs.len(),
        best,
        best * 1e6 / sentences as f64,
        sentences as f64 / best,
        tokens as f64 / best / 1e6
    );
}
