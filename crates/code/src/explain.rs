//! Human-readable account of a coding run (`dyad code --explain`): for each
//! sentence with a candidate trigger, the events coded with the pattern, the
//! dictionary line and the rules that produced them, and the candidates that
//! were rejected with the reason.

use crate::coder::{Candidate, Outcome};
use dyad_doc::{Doc, Event};
use std::fmt::Write;

/// Renders the candidates of one document (as returned by `Coder::explain`).
pub fn render(doc: &Doc, events: &[Event], candidates: &[Candidate]) -> String {
    let mut out = String::new();
    let mut last_sentence = None;
    for c in candidates {
        if last_sentence != Some(c.sentence) {
            last_sentence = Some(c.sentence);
            let text = doc.sentence_text(c.sentence as usize);
            let _ = writeln!(
                out,
                "{} sentence {}: {}",
                doc.id,
                c.sentence + 1,
                one_line(text)
            );
        }
        let _ = write!(
            out,
            "  trigger \"{}\" [{}..{}]",
            c.trigger.text, c.trigger.start, c.trigger.end
        );
        if !c.pattern.is_empty() {
            let _ = write!(out, " pattern {} ({})", c.pattern, c.pattern_source);
        }
        out.push('\n');
        match &c.outcome {
            Outcome::Coded(idx) => {
                for &k in idx {
                    let Some(e) = events.get(k) else { continue };
                    let actor = |a: &Option<dyad_doc::event::ActorRef>| {
                        a.as_ref()
                            .map(|a| format!("{} \"{}\"", a.code, a.text))
                            .unwrap_or_else(|| "-".into())
                    };
                    let entry = |x: &Option<dyad_doc::event::Entry>| {
                        x.as_ref()
                            .map(|x| format!("{} ({})", x.name, x.source))
                            .unwrap_or_default()
                    };
                    let _ = writeln!(
                        out,
                        "    CODED {} {} -> {} {} ({}, {}, quad {}, goldstein {})",
                        e.event_id,
                        actor(&e.source),
                        actor(&e.target),
                        e.cameo,
                        if e.plover.category.is_empty() {
                            "no PLOVER category"
                        } else {
                            &e.plover.category
                        },
                        e.modality_label(),
                        e.quad_class,
                        e.goldstein
                    );
                    let _ = writeln!(
                        out,
                        "      source entry {}; target entry {}",
                        entry(&e.provenance.source_entry),
                        entry(&e.provenance.target_entry)
                    );
                    if !e.provenance.rules.is_empty() {
                        let _ = writeln!(out, "      rules: {}", e.provenance.rules.join(", "));
                    }
                }
            }
            Outcome::Rejected(why) => {
                let _ = write!(out, "    rejected: {why}");
                if !c.rules.is_empty() {
                    let _ = write!(out, " [rules: {}]", c.rules.join(", "));
                }
                out.push('\n');
            }
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

trait ModalityLabel {
    fn modality_label(&self) -> &'static str;
}

impl ModalityLabel for Event {
    fn modality_label(&self) -> &'static str {
        match self.modality {
            dyad_doc::event::Modality::Factual => "factual",
            dyad_doc::event::Modality::Negated => "negated",
            dyad_doc::event::Modality::Hypothetical => "hypothetical",
        }
    }
}
