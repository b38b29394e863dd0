//! Tagging + lemmatizing + parsing throughput on one core.
//!
//! `cargo bench -p dyad-nlp` annotates the UD English EWT test set (gold
//! tokenization, read from `../shared`) with the built-in model on the calling
//! thread and reports tokens per second, best of several rounds, plus the time
//! to decode the embedded model. A plain harness keeps the figure directly
//! comparable to `dyad eval parse`.

use dyad_doc::conllu::{doc_from_sentence, read_file};
use dyad_nlp::Model;
use std::path::Path;
use std::time::Instant;

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/treebank/ud_english_ewt/en_ewt-ud-test.conllu");
    let t = Instant::now();
    let model = Model::builtin();
    println!("model decode: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let gold = match read_file(&path) {
        Ok(g) => g,
        Err(e) => {
            eprintln!(
                "cannot read {}: {e}; skipping the benchmark",
                path.display()
            );
            return;
        }
    };
    let docs: Vec<_> = gold
        .iter()
        .enumerate()
        .map(|(i, s)| doc_from_sentence(&i.to_string(), s))
        .collect();
    let tokens: usize = docs.iter().map(|d| d.len()).sum();
    let mut best = f64::MAX;
    for round in 0..5 {
        let mut work = docs.clone();
        let t = Instant::now();
        for d in &mut work {
            model.annotate(d);
        }
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        println!(
            "round {round}: {tokens} tokens in {:.3} s = {:.0} tokens/s",
            s,
            tokens as f64 / s
        );
    }
    println!(
        "tag+lemma+parse, 1 thread, EWT test: best {:.0} tokens/s",
        tokens as f64 / best
    );
}
