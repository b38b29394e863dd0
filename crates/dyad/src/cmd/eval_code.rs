//! `dyad eval petrarch|tabari|plover|conflibert FILE`: code every record of a
//! gold `.normalized.jsonl` file through the full [`Engine`] and score the
//! events (see `dyad_code::eval` for the levels and matching).
//!
//! Dictionaries: PETRARCH and TABARI records are coded with their own test
//! dictionaries, read through the PETRARCH and TABARI importers from the gold
//! file's directory (`--dict` overrides); PLOVER and ConfliBERT records with
//! Dyad's built-in dictionaries and one-actor events allowed, since those gold
//! sets label events without a recipient. Records are coded in parallel; the report is
//! the same for any thread count.

use crate::Global;
use crate::engine::{DictSpec, Engine, EngineOptions};
use anyhow::Context;
use dyad_code::eval::{Prediction, Scorer, Suite, read_records, render};
use dyad_code::{Candidate, Outcome};
use dyad_doc::{Doc, Document};
use rayon::prelude::*;
use std::process::ExitCode;

pub fn run(_g: &Global, a: &super::eval::Args) -> anyhow::Result<ExitCode> {
    use super::eval::Format;
    let suite = match a.format {
        Format::Petrarch => Suite::Petrarch,
        Format::Tabari => Suite::Tabari,
        Format::Plover => Suite::Plover,
        Format::Conflibert => Suite::Conflibert,
        Format::Parse => unreachable!("`dyad eval parse` is handled by eval_parse"),
    };
    let dir = a
        .file
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                std::path::Path::new(".")
            } else {
                p
            }
        })
        .unwrap_or(std::path::Path::new("."));
    let dict = match (&a.dict, suite) {
        (Some(d), _) => Some(d.clone()),
        (None, Suite::Petrarch) => Some(DictSpec::Petrarch(dir.to_path_buf())),
        (None, Suite::Tabari) => Some(DictSpec::Tabari(dir.to_path_buf())),
        (None, _) => None,
    };
    let engine = Engine::new(EngineOptions {
        dict,
        model: a.model.clone(),
        keep_modal: false,
        // PLOVER and ConfliBERT label one-actor events too.
        monadic: matches!(suite, Suite::Plover | Suite::Conflibert),
        no_attributes: true,
    })?;
    let (records, problems) =
        read_records(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
    for p in &problems {
        eprintln!("dyad: warning: {p} (record skipped)");
    }
    let records: Vec<_> = match a.half {
        None => records,
        Some(h) => records
            .into_iter()
            .enumerate()
            .filter(|(i, _)| (i % 2 == 1) == (h == super::eval::Half::Odd))
            .map(|(_, r)| r)
            .collect(),
    };
    let coded: Vec<(Vec<dyad_doc::Event>, Option<String>)> = records
        .par_iter()
        .map(|r| {
            let mut doc = Doc::from_document(Document {
                id: r.id.clone(),
                date: r.date.clone(),
                text: r.text.clone(),
                ..Default::default()
            });
            dyad_text::segment(&mut doc);
            let (coded, cands, _) = engine.explain_doc(doc);
            let main = main_code(&coded.doc, &cands);
            (coded.events, main)
        })
        .collect();
    let mut scorer = Scorer::new(suite);
    for (r, (events, fallback)) in records.iter().zip(&coded) {
        scorer.add(
            r,
            &Prediction {
                events,
                main_code: fallback.clone(),
            },
        );
    }
    let report = scorer.report();
    if a.json {
        let mut v = serde_json::to_value(&report)?;
        if let Some(f) = v.get_mut("failures").and_then(|f| f.as_array_mut()) {
            f.truncate(a.failures);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", render(&report, a.failures));
    }
    Ok(ExitCode::SUCCESS)
}

/// The code of the sentence's main event (see `Prediction::main_code`): among
/// coded candidates and candidates rejected only for want of an actor, the one
/// whose trigger is highest in the dependency tree.
fn main_code(doc: &Doc, cands: &[Candidate]) -> Option<String> {
    let depth = |start: u32| -> usize {
        let Some(t) = doc.start.iter().position(|&s| s == start) else {
            return usize::MAX;
        };
        let mut d = 0;
        let mut cur = t;
        while let Some(h) = doc.head_of(cur) {
            cur = h;
            d += 1;
            if d > doc.len() {
                break;
            }
        }
        d
    };
    let digits = |c: &str| -> String {
        c.trim_start_matches('[')
            .chars()
            .take_while(|ch| ch.is_ascii_digit())
            .collect()
    };
    let pick = |ok: &dyn Fn(&Candidate) -> bool| {
        cands
            .iter()
            .filter(|c| ok(c))
            .map(|c| (depth(c.trigger.start), digits(&c.code)))
            .filter(|(_, code)| code.len() >= 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, code)| code)
    };
    // A framing verb ("said", "agreed") that yielded to the event it introduces
    // is not the main event; a trigger whose actors were not found still says
    // what kind of event the sentence reports.
    pick(&|c| {
        matches!(c.outcome, Outcome::Coded(_))
            || matches!(&c.outcome, Outcome::Rejected(why)
                if why.starts_with("no target") || why.starts_with("no source"))
    })
}
