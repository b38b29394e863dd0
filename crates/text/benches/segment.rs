//! Segmentation throughput on the real news corpus (../shared, research use only,
//! read at bench time, never committed).
//!
//! `cargo bench -p dyad-text` — prints MB/s, documents/s, tokens/s and sentences/s
//! for one thread, best of several passes over the whole corpus.

use dyad_doc::Doc;
use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

fn main() {
    let path = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
    )
    .join("../../../shared/data/corpus/news_mix_real.jsonl");
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("segment bench: {}: {e}; skipped", path.display());
            return;
        }
    };
    let texts: Vec<String> = std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut doc = Doc::default();
    let mut best = f64::INFINITY;
    let (mut tokens, mut sentences) = (0usize, 0usize);
    for _ in 0..5 {
        let t = Instant::now();
        tokens = 0;
        sentences = 0;
        for text in &texts {
            doc.text.clear();
            doc.text.push_str(text);
            dyad_text::segment(&mut doc);
            tokens += doc.len();
            sentences += doc.sentences.len();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "segment: {} documents, {:.1} MB, {tokens} tokens, {sentences} sentences in {best:.3} s (1 thread, best of 5): \
         {:.1} MB/s, {:.0} documents/s, {:.0} tokens/s, {:.0} sentences/s",
        texts.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / best,
        texts.len() as f64 / best,
        tokens as f64 / best,
        sentences as f64 / best,
    );
}
