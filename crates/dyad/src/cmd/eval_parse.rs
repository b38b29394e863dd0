//! `dyad eval parse FILE.conllu`: tag, lemmatize and parse the gold tokens of a
//! treebank and score UPOS, XPOS, lemma, UAS and LAS (CoNLL 2018 conventions:
//! punctuation included, LAS on universal relations), plus speed.
use crate::Global;
use dyad_nlp::Model;
use std::process::ExitCode;

pub fn run(g: &Global, a: &super::eval::Args) -> anyhow::Result<ExitCode> {
    let loaded;
    let model = match &a.model {
        Some(p) => {
            let mut m = Model::load(p)?;
            if let Some(w) = a.weight {
                m.set_weight(w);
            }
            super::ensemble::add_members(&mut m, &a.ensemble)?;
            loaded = m;
            &loaded
        }
        None => crate::engine::builtin_model(a.accurate),
    };
    let gold = super::train::read_treebank(&a.file, g.quiet)?;
    let s = dyad_nlp::eval::evaluate(model, &gold);
    if a.json {
        let v = serde_json::json!({
            "file": a.file.display().to_string(),
            "sentences": s.sentences,
            "tokens": s.tokens,
            "upos": s.upos_pct(),
            "xpos": s.xpos_pct(),
            "lemma": s.lemma_pct(),
            "uas": s.uas_pct(),
            "las": s.las_pct(),
            "las_full_labels": s.las_full_pct(),
            "uas_no_punct": s.uas_no_punct_pct(),
            "las_no_punct": s.las_no_punct_pct(),
            "seconds": s.seconds,
            "tokens_per_second": s.tokens_per_second(),
        });
        println!("{v}");
    } else {
        println!("file        {}", a.file.display());
        println!("sentences   {}", s.sentences);
        println!("tokens      {}", s.tokens);
        println!("UPOS        {:.2}%", s.upos_pct());
        println!("XPOS        {:.2}%", s.xpos_pct());
        println!("lemma       {:.2}%", s.lemma_pct());
        println!("UAS         {:.2}%", s.uas_pct());
        println!(
            "LAS         {:.2}%  (universal relations, CoNLL 2018)",
            s.las_pct()
        );
        println!("LAS full    {:.2}%  (with subtypes)", s.las_full_pct());
        println!(
            "UAS/LAS w/o punctuation  {:.2}% / {:.2}%",
            s.uas_no_punct_pct(),
            s.las_no_punct_pct()
        );
        println!(
            "speed       {:.0} tokens/s ({:.3} s, 1 thread)",
            s.tokens_per_second(),
            s.seconds
        );
    }
    Ok(ExitCode::SUCCESS)
}
