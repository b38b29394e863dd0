//! Tagging + lemmatizing + parsing throughput on one core.
//!
//! `cargo bench -p dyad-nlp` annotates the UD English EWT test set (gold
//! tokenization, read from `../shared`) with the built-in model on the calling
//! thread and reports tokens per second, plus the time to decode the embedded
//! model. `DYAD_BENCH_MODEL=FILE` measures a model file instead and
//! `DYAD_BENCH_BEAM=K` decodes with beam width K. A plain harness keeps the
//! figure directly comparable to `dyad eval parse`.
//!
//! Two rates are printed per round: against wall time, and against the CPU
//! time of the annotating thread (Linux `/proc/thread-self/schedstat`, in
//! nanoseconds). On a shared machine the wall figure drops with the load
//! while the CPU figure is the per-core speed; the summary line reports the
//! best CPU-time round (wall time where schedstat is unavailable).

use dyad_doc::conllu::{doc_from_sentence, read_file};
use dyad_nlp::Model;
use std::path::Path;
use std::time::Instant;

/// Nanoseconds this thread has spent on a CPU, if the kernel tells us.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let path = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
    )
    .join("../../../shared/data/treebank/ud_english_ewt/en_ewt-ud-test.conllu");
    let t = Instant::now();
    // Another model file (a beam model from `dyad train --beam K`) can be
    // measured the same way.
    // `DYAD_BENCH_BEAM=K` decodes with another beam width.
    let loaded;
    let width = std::env::var("DYAD_BENCH_BEAM")
        .ok()
        .and_then(|k| k.parse().ok());
    let model = match (std::env::var_os("DYAD_BENCH_MODEL"), width) {
        (None, None) => Model::builtin(),
        (path, _) => {
            let mut m = match path {
                Some(p) => Model::load(&p).unwrap_or_else(|e| panic!("{e:#}")),
                None => Model::from_bytes(&Model::builtin().to_bytes()).unwrap(),
            };
            if let Some(k) = width {
                m.set_beam(k);
            }
            loaded = m;
            &loaded
        }
    };
    println!(
        "model decode: {:.1} ms ({}; decoding with beam {})",
        t.elapsed().as_secs_f64() * 1e3,
        model.description(),
        model.beam()
    );
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
    let (mut best_wall, mut best_cpu) = (f64::MAX, f64::MAX);
    for round in 0..10 {
        let mut work = docs.clone();
        let cpu0 = thread_cpu_ns();
        let t = Instant::now();
        for d in &mut work {
            model.annotate(d);
        }
        let wall = t.elapsed().as_secs_f64();
        let cpu = cpu0.zip(thread_cpu_ns()).map(|(a, b)| (b - a) as f64 / 1e9);
        best_wall = best_wall.min(wall);
        if let Some(c) = cpu {
            best_cpu = best_cpu.min(c);
        }
        println!(
            "round {round}: {tokens} tokens, wall {wall:.3} s = {:.0} tokens/s, cpu {} s = {} tokens/s",
            tokens as f64 / wall,
            cpu.map_or("?".into(), |c| format!("{c:.3}")),
            cpu.map_or("?".into(), |c| format!("{:.0}", tokens as f64 / c)),
        );
    }
    if best_cpu < f64::MAX {
        println!(
            "tag+lemma+parse, EWT test: {:.0} tokens per CPU-second (1 core); best wall {:.0} tokens/s",
            tokens as f64 / best_cpu,
            tokens as f64 / best_wall
        );
    } else {
        println!(
            "tag+lemma+parse, 1 thread, EWT test: best {:.0} tokens/s (wall)",
            tokens as f64 / best_wall
        );
    }
}
