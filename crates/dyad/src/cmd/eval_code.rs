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
use std::collections::HashSet;
use std::process::ExitCode;

pub fn run(_g: &Global, a: &super::eval::Args) -> anyhow::Result<ExitCode> {
    use super::eval::Format;
    let suite = match a.format {
        Format::Petrarch => Suite::Petrarch,
        Format::Tabari => Suite::Tabari,
        Format::Plover => Suite::Plover,
        Format::Conflibert => Suite::Conflibert,
        Format::Parse | Format::Realnews => {
            unreachable!("`dyad eval parse` and `realnews` have their own modules")
        }
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
        dict: dict.clone(),
        model: a.model.clone(),
        accurate: a.accurate,
        keep_modal: false,
        // PLOVER and ConfliBERT label one-actor events too.
        monadic: matches!(suite, Suite::Plover | Suite::Conflibert),
        no_attributes: true,
    })?;
    // PETRARCH's records switch `require_dyad` off for some of them (its
    // `<Config>` tags in the records file): those are coded with one-actor events.
    let one_actor = if suite == Suite::Petrarch && a.dict.is_none() {
        petrarch_one_actor_records(dir)
    } else {
        HashSet::new()
    };
    let one_actor_engine = if one_actor.is_empty() {
        None
    } else {
        Some(Engine::new(EngineOptions {
            dict,
            model: a.model.clone(),
            accurate: a.accurate,
            keep_modal: false,
            monadic: true,
            no_attributes: true,
        })?)
    };
    let (records, problems) =
        read_records(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
    for p in &problems {
        eprintln!("dyad: warning: {p} (record skipped)");
    }
    use super::eval::Half;
    let records: Vec<_> = match a.half {
        None => records,
        Some(h @ (Half::A | Half::B)) => anyhow::bail!(
            "--half {h:?}: halves a and b are the RealNews sampling rounds; use even or odd"
        ),
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
            let engine = match &one_actor_engine {
                Some(e) if one_actor.contains(&r.id) => e,
                _ => &engine,
            };
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

/// Ids of the PETRARCH records coded with `require_dyad` off: PETRARCH's records
/// file (the `.xml` beside the normalized records) sets options with `<Config
/// option=".." value=".."/>` tags that hold for the `<Sentence>` records after
/// them. With `require_dyad` off PETRARCH codes events with a missing actor
/// too (written `---`). No records file: none.
fn petrarch_one_actor_records(dir: &std::path::Path) -> HashSet<String> {
    let mut ids = HashSet::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return ids;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "xml") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut require_dyad = true;
        for tag in text.split('<').skip(1) {
            if let Some(rest) = tag.strip_prefix("Config ") {
                if attr(rest, "option").as_deref() == Some("require_dyad") {
                    require_dyad =
                        !attr(rest, "value").is_some_and(|v| v.eq_ignore_ascii_case("false"));
                }
            } else if let Some(rest) = tag.strip_prefix("Sentence ")
                && !require_dyad
                && let Some(id) = attr(rest, "id")
            {
                ids.insert(id);
            }
        }
    }
    ids
}

/// The value of attribute `name` in the inside of an XML tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let after = &rest[i + name.len()..];
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        if before_ok && let Some(v) = after.trim_start().strip_prefix('=') {
            let v = v.trim_start().strip_prefix('"')?;
            return v.find('"').map(|j| v[..j].to_string());
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_dyad_holds_for_the_records_after_its_config_tag() {
        let dir = std::env::temp_dir().join(format!("dyad-petr-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("records.xml"),
            r#"<Sentence date="19950101" id="A-01" category="A">
<Config option="require_dyad" value="FALSE"></Config>
<Config option="comma_emax" value="0"></Config>
<Sentence date="19950101" id="A-02" category="A">
<!-- require_dyad = true in a comment is not a tag -->
<Sentence id="A-03" date="19950101">
<Config option="require_dyad" value="True"></Config>
<Sentence date="19950101" id="A-04" category="A">"#,
        )
        .unwrap();
        let ids = petrarch_one_actor_records(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        let mut ids: Vec<_> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["A-02", "A-03"]);
    }
}
