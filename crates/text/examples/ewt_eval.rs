//! Scores segmentation against a UD CoNLL-U file (token and sentence span F1).
//!
//! `cargo run --release -p dyad-text --example ewt_eval -- ../shared/data/treebank/ud_english_ewt/en_ewt-ud-test.conllu [--errors N]`

use std::io::BufReader;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: ewt_eval FILE.conllu [--errors N]")?;
    let show: usize = match (args.next().as_deref(), args.next()) {
        (Some("--errors"), Some(n)) => n.parse().map_err(|_| "--errors takes a number")?,
        _ => 0,
    };
    let file = std::fs::File::open(&path).map_err(|e| format!("{path}: {e}"))?;
    let docs =
        dyad_text::eval::read_gold(BufReader::new(file)).map_err(|e| format!("{path}: {e}"))?;
    let s = dyad_text::eval::score(&docs);
    println!("{path}: {} documents", s.documents);
    for (name, p) in [("tokens", s.tokens), ("sentences", s.sentences)] {
        println!(
            "{name:>9}: gold {:>6}  predicted {:>6}  P {:.2}%  R {:.2}%  F1 {:.2}%",
            p.gold,
            p.predicted,
            100.0 * p.precision(),
            100.0 * p.recall(),
            100.0 * p.f1()
        );
    }
    // The first N token disagreements, with context, for tuning the rules.
    let mut shown = 0;
    for d in &docs {
        if shown >= show {
            break;
        }
        let (toks, _) = dyad_text::segment_text(&d.text);
        let gold: std::collections::HashSet<_> =
            d.tokens.iter().map(|r| (r.start, r.end)).collect();
        for t in &toks {
            let span = (t.start as usize, t.end as usize);
            if !gold.contains(&span) && shown < show {
                let a = d.text[..span.0]
                    .char_indices()
                    .rev()
                    .nth(30)
                    .map_or(0, |x| x.0);
                let z = d.text[span.1..]
                    .char_indices()
                    .nth(30)
                    .map_or(d.text.len(), |x| x.0 + span.1);
                let gold_here: Vec<&str> = d
                    .tokens
                    .iter()
                    .filter(|r| r.start < span.1 && r.end > span.0)
                    .map(|r| &d.text[r.clone()])
                    .collect();
                println!(
                    "{:?}  predicted {:?}  gold {:?}",
                    &d.text[a..z],
                    t.form(&d.text),
                    gold_here
                );
                shown += 1;
            }
        }
    }
    if std::env::var_os("SENT_ERRORS").is_some() {
        for d in &docs {
            let (_, sents) = dyad_text::segment_text(&d.text);
            let gold: std::collections::HashSet<_> =
                d.sentences.iter().map(|r| (r.start, r.end)).collect();
            for s in &sents {
                if !gold.contains(&(s.start as usize, s.end as usize)) {
                    println!("PRED {:?}", &d.text[s.start as usize..s.end as usize]);
                }
            }
        }
    }
    Ok(())
}
