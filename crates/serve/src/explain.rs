//! Turning a stored event back into something a person can check: the sentence cut
//! into highlighted pieces, and the coding explained step by step.
//!
//! Highlighting is done here rather than in the browser because provenance spans
//! are byte offsets into the document, while JavaScript strings index UTF-16 code
//! units: the server cuts the sentence into text segments and the dashboard only
//! concatenates them, so a curly quote or an accented name can never shift a mark.
//!
//! The store keeps each mention's sentence text but the spans are offsets into the
//! whole document, so the sentence's own start offset is inferred: every span
//! whose words occur in the sentence proposes a start, and the start that puts the
//! most spans exactly on their words wins. When a span is missing or lands on the
//! wrong words anyway (an event imported from elsewhere, a changed document), its
//! words are looked up in the sentence instead, so a highlight degrades to "first
//! occurrence", never to a wrong cut.

use crate::model::{Segment, SentenceView};
use dyad_doc::Event;

/// One highlight: a byte range of the sentence and its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Mark {
    start: usize,
    end: usize,
    role: &'static str,
}

/// Places `words` (at document offsets `span`, if known) in `sentence`, which starts
/// at document offset `sentence_start`. Returns a byte range of `sentence`.
fn locate(
    sentence: &str,
    sentence_start: Option<u32>,
    words: &str,
    span: Option<(u32, u32)>,
) -> Option<(usize, usize)> {
    if let (Some(base), Some((s, e))) = (sentence_start, span)
        && s >= base
        && e > s
    {
        let (s, e) = ((s - base) as usize, (e - base) as usize);
        if sentence
            .get(s..e)
            .is_some_and(|t| t == words || words.is_empty())
        {
            return Some((s, e));
        }
    }
    if words.is_empty() {
        return None;
    }
    sentence.find(words).map(|s| (s, s + words.len()))
}

/// Words of an event to highlight: what they are, where the coder saw them (document
/// byte offsets) and their role.
#[derive(Clone, Copy)]
struct Wanted<'a> {
    words: &'a str,
    span: Option<(u32, u32)>,
    role: &'static str,
}

/// The words of `e` to highlight.
fn highlights(e: &Event) -> Vec<Wanted<'_>> {
    let mut out = Vec::new();
    for (actor, role) in [(&e.source, "source"), (&e.target, "target")] {
        if let Some(a) = actor {
            out.push(Wanted {
                words: &a.text,
                span: a.span,
                role,
            });
        }
    }
    let t = &e.provenance.trigger;
    out.push(Wanted {
        words: &t.text,
        span: (t.end > t.start).then_some((t.start, t.end)),
        role: "verb",
    });
    if let Some(l) = &e.location
        && let Some(words) = &l.text
    {
        out.push(Wanted {
            words,
            span: l.span,
            role: "location",
        });
    }
    out
}

/// The document offset at which `sentence` most plausibly starts, judged by how
/// many of the spans land exactly on their words.
fn infer_start(sentence: &str, wanted: &[Wanted<'_>]) -> Option<u32> {
    let lands = |base: u32, w: &Wanted<'_>| {
        w.span.is_some_and(|(s, e)| {
            s >= base && sentence.get((s - base) as usize..(e - base) as usize) == Some(w.words)
        })
    };
    let mut best: Option<(usize, u32)> = None;
    for w in wanted {
        let Some((start, _)) = w.span else { continue };
        if w.words.is_empty() {
            continue;
        }
        for (pos, _) in sentence.match_indices(w.words) {
            let Some(base) = start.checked_sub(pos as u32) else {
                continue;
            };
            let hits = wanted.iter().filter(|o| lands(base, o)).count();
            if best.is_none_or(|(h, _)| hits > h) {
                best = Some((hits, base));
            }
        }
    }
    best.map(|(_, base)| base)
}

/// `text`, the sentence of `e`, cut into plain and highlighted segments.
/// `sentence_start` is the sentence's offset in its document, inferred when `None`.
pub fn sentence_view(text: &str, sentence_start: Option<u32>, e: &Event) -> SentenceView {
    let wanted = highlights(e);
    let base = sentence_start.or_else(|| infer_start(text, &wanted));
    let mut marks: Vec<Mark> = Vec::new();
    for w in wanted {
        if let Some((start, end)) = locate(text, base, w.words, w.span) {
            marks.push(Mark {
                start,
                end,
                role: w.role,
            });
        }
    }
    SentenceView {
        text: text.to_string(),
        segments: segments(text, marks),
    }
}

/// Cuts `text` at `marks`. Overlapping marks keep the earlier-starting one (the
/// order added breaks ties: source, target, verb, location).
fn segments(text: &str, mut marks: Vec<Mark>) -> Vec<Segment> {
    marks.sort_by_key(|m| m.start);
    let mut out = Vec::new();
    let mut at = 0;
    for m in marks {
        if m.start < at || m.end > text.len() {
            continue;
        }
        if m.start > at {
            out.push(Segment {
                text: text[at..m.start].to_string(),
                role: None,
            });
        }
        out.push(Segment {
            text: text[m.start..m.end].to_string(),
            role: Some(m.role.to_string()),
        });
        at = m.end;
    }
    if at < text.len() || out.is_empty() {
        out.push(Segment {
            text: text[at..].to_string(),
            role: None,
        });
    }
    out
}

/// The coding of `e`, explained in steps: who, what verb pattern, which code and
/// scores, where and when, which rules.
pub fn explanation(e: &Event) -> Vec<String> {
    let mut steps = Vec::new();
    let p = &e.provenance;
    let actor_step =
        |role: &str, a: &dyad_doc::event::ActorRef, entry: Option<&dyad_doc::event::Entry>| {
            let mut s = format!("{role} “{}” was coded {}", a.text, a.code);
            if let Some(entry) = entry {
                s.push_str(&format!(
                    " by the actor entry “{}” ({})",
                    entry.name, entry.source
                ));
                if let Some(r) = &entry.role {
                    s.push_str(&format!(", role {r}"));
                }
            }
            if let Some(c) = &a.country {
                s.push_str(&format!("; country {c}"));
            }
            s.push('.');
            s
        };
    if let Some(a) = &e.source {
        steps.push(actor_step("Source", a, p.source_entry.as_ref()));
    }
    if let Some(a) = &e.target {
        steps.push(actor_step("Target", a, p.target_entry.as_ref()));
    }
    let mut verb = format!("The verb “{}”", p.trigger.text);
    if !p.pattern.is_empty() {
        verb.push_str(&format!(" matched the pattern “{}”", p.pattern));
        if !p.pattern_source.is_empty() {
            verb.push_str(&format!(" ({})", p.pattern_source));
        }
    }
    verb.push_str(&format!(", which gives CAMEO {}.", e.cameo));
    steps.push(verb);
    let quad = match e.quad_class {
        1 => "verbal cooperation",
        2 => "material cooperation",
        3 => "verbal conflict",
        4 => "material conflict",
        _ => "unknown",
    };
    let mut scores = format!(
        "CAMEO {} (root {}) is QuadClass {} ({quad}) with Goldstein {:+.1}",
        e.cameo, e.root, e.quad_class, e.goldstein
    );
    if !e.plover.category.is_empty() {
        scores.push_str(&format!("; PLOVER {}", e.plover.category));
        if let Some(m) = &e.plover.mode {
            scores.push_str(&format!(" / {m}"));
        }
    }
    scores.push('.');
    steps.push(scores);
    if !p.rules.is_empty() {
        steps.push(format!("Rules applied: {}.", p.rules.join(", ")));
    }
    if let Some(w) = &e.when {
        let mut s = format!("Date {} ({}", w.date, w.method);
        if let Some(x) = &w.expression {
            s.push_str(&format!(", from “{x}”"));
        }
        s.push_str(").");
        steps.push(s);
    }
    if let Some(l) = &e.location {
        let mut s = format!("Place {} ({}", l.name, l.feature);
        if let Some(c) = &l.country {
            s.push_str(&format!(", {c}"));
        }
        s.push_str(&format!("), found by {}", l.method));
        if let Some(t) = &l.text {
            s.push_str(&format!(" from “{t}”"));
        }
        s.push('.');
        steps.push(s);
    }
    if e.modality != dyad_doc::event::Modality::Factual {
        steps.push(format!(
            "The event is {:?}, not stated as fact.",
            e.modality
        ));
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_doc::event::{ActorRef, Provenance, Span};

    fn actor(code: &str, text: &str, span: Option<(u32, u32)>) -> Option<ActorRef> {
        Some(ActorRef {
            code: code.into(),
            text: text.into(),
            span,
            ..Default::default()
        })
    }

    #[test]
    fn spans_in_document_offsets_are_placed_in_the_sentence() {
        // The sentence starts at byte 100 of its document; "Putin’s" has a 3-byte quote.
        let text = "Putin’s envoy praised China’s plan.";
        let e = Event {
            source: actor("RUSGOV", "Putin’s envoy", Some((100, 116))),
            target: actor("CHN", "China", Some((124, 129))),
            provenance: Provenance {
                trigger: Span {
                    text: "praised".into(),
                    start: 117,
                    end: 124,
                },
                ..Default::default()
            },
            ..Default::default()
        };
        let v = sentence_view(text, Some(100), &e);
        let joined: String = v.segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
        let marked: Vec<(&str, &str)> = v
            .segments
            .iter()
            .filter_map(|s| s.role.as_deref().map(|r| (r, s.text.as_str())))
            .collect();
        assert_eq!(
            marked,
            [
                ("source", "Putin’s envoy"),
                ("verb", "praised"),
                ("target", "China")
            ]
        );
    }

    #[test]
    fn wrong_or_missing_spans_fall_back_to_the_words() {
        let text = "Ukraine accused Russia of shelling Kharkiv.";
        let e = Event {
            source: actor("UKR", "Ukraine", Some((5, 12))), // off by 5
            target: actor("RUS", "Russia", None),
            provenance: Provenance {
                trigger: Span {
                    text: "accused".into(),
                    start: 0,
                    end: 0,
                },
                ..Default::default()
            },
            ..Default::default()
        };
        let v = sentence_view(text, Some(0), &e);
        let roles: Vec<_> = v
            .segments
            .iter()
            .filter_map(|s| Some((s.role.clone()?, s.text.clone())))
            .collect();
        assert_eq!(
            roles,
            [
                ("source".to_string(), "Ukraine".to_string()),
                ("verb".to_string(), "accused".to_string()),
                ("target".to_string(), "Russia".to_string())
            ]
        );
    }

    #[test]
    fn overlapping_marks_never_duplicate_text() {
        let text = "Russian forces attacked Russian positions.";
        let marks = vec![
            Mark {
                start: 0,
                end: 14,
                role: "source",
            },
            Mark {
                start: 8,
                end: 23,
                role: "verb",
            },
        ];
        let segs = segments(text, marks);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(segs.iter().filter(|s| s.role.is_some()).count(), 1);
    }

    #[test]
    fn explanation_names_entries_pattern_and_scores() {
        let e = Event {
            cameo: "036".into(),
            root: "03".into(),
            quad_class: 1,
            goldstein: 4.0,
            source: actor("RUSGOV", "Putin", None),
            provenance: Provenance {
                trigger: Span {
                    text: "will discuss".into(),
                    ..Default::default()
                },
                pattern: "DISCUSS * WITH".into(),
                pattern_source: "dict/verbs/cameo.txt:120".into(),
                source_entry: Some(dyad_doc::event::Entry {
                    name: "PUTIN".into(),
                    source: "dict/actors/countries.txt:812".into(),
                    role: None,
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let steps = explanation(&e);
        assert_eq!(
            steps[0],
            "Source “Putin” was coded RUSGOV by the actor entry “PUTIN” (dict/actors/countries.txt:812)."
        );
        assert!(steps[1].contains("“DISCUSS * WITH” (dict/verbs/cameo.txt:120)"));
        assert!(steps[2].contains("QuadClass 1 (verbal cooperation) with Goldstein +4.0"));
    }
}
