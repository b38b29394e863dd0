//! Scoring against the RealNews gold (`dyad eval realnews`): real news
//! documents coded whole, scored on the sentences two annotators coded.
//!
//! The protocol is the gold set's own (its README), applied as written so
//! that figures compare:
//!
//! * documents are coded whole; an event belongs to the gold sentence whose
//!   byte range `[start, end)` holds its trigger's start, and events in other
//!   sentences are not scored;
//! * an event is compared at country level: the first three letters of the
//!   source and target codes and the CAMEO root, which must be the gold root
//!   or the root of one of its `alt` codes; `---` in gold (country unknown)
//!   matches any system actor, or none;
//! * a gold event with a missing side (`monadic`) matches a system event with
//!   the same root whose source or target has the present side's country;
//! * duplicates of one (source country, target country, root) in a sentence
//!   count once, and each system event matches at most one gold event (a
//!   maximum matching, so the order events are listed in does not matter).
//!
//! Reported: precision, recall and F1 of those triples, the same with the
//! root alone, and the share of no-event sentences given any event. Each
//! miss and each false event gets a cause, so failures can be read by class.
//! The 90 documents were drawn in two rounds of 45 (the gold's README), which
//! makes the two fixed halves: [`Half::A`] the first round, [`Half::B`] the
//! second. Develop on one, watch the other.

use super::{Prf, ratio};
use dyad_doc::Event;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One gold sentence of `realnews_dev.jsonl`.
#[derive(Clone, Debug, Deserialize)]
pub struct GoldSentence {
    pub id: String,
    pub doc_id: String,
    pub start: u32,
    pub end: u32,
    pub text: String,
    #[serde(default)]
    pub events: Vec<GoldEvent>,
    #[serde(default)]
    pub no_event: bool,
    #[serde(default)]
    pub notes: Option<String>,
}

/// One annotated event.
#[derive(Clone, Debug, Deserialize)]
pub struct GoldEvent {
    pub source: Option<String>,
    pub target: Option<String>,
    pub cameo: String,
    pub root: String,
    #[serde(default)]
    pub alt: Vec<String>,
    #[serde(default)]
    pub trigger: Option<String>,
    #[serde(default)]
    pub monadic: bool,
}

/// One of the two sampling rounds of the gold's documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Half {
    /// Documents 1-45 of the documents file.
    A,
    /// Documents 46-90.
    B,
}

impl Half {
    /// The half of the document at 0-based position `i` of `n` documents.
    pub fn of(i: usize, n: usize) -> Half {
        if i < n.div_ceil(2) { Half::A } else { Half::B }
    }
}

/// Reads the gold sentences; bad lines are reported as `file:line: why` and skipped.
pub fn read_gold(path: &std::path::Path) -> std::io::Result<(Vec<GoldSentence>, Vec<String>)> {
    let text = std::fs::read_to_string(path)?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<GoldSentence>(line) {
            Ok(g) => out.push(g),
            Err(e) => problems.push(format!("{}:{}: {e}", path.display(), i + 1)),
        }
    }
    Ok((out, problems))
}

/// An event at country level: source country, target country (`None`: no
/// actor on that side) and root.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Triple {
    pub source: Option<String>,
    pub target: Option<String>,
    pub root: String,
}

impl Triple {
    fn of_event(e: &Event) -> Triple {
        let country = |a: &Option<dyad_doc::event::ActorRef>| {
            a.as_ref()
                .map(|a| a.code.get(..3).unwrap_or(&a.code).to_string())
        };
        Triple {
            source: country(&e.source),
            target: country(&e.target),
            root: e.root.clone(),
        }
    }
}

impl GoldEvent {
    fn roots(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.root.as_str()).chain(self.alt.iter().filter_map(|a| a.get(..2)))
    }

    fn has_root(&self, root: &str) -> bool {
        self.roots().any(|r| r == root)
    }

    fn country(side: &Option<String>) -> Option<&str> {
        side.as_deref().map(|c| c.get(..3).unwrap_or(c))
    }

    /// Whether a system triple matches this gold event at country level.
    fn matches(&self, t: &Triple) -> bool {
        if !self.has_root(&t.root) {
            return false;
        }
        let (gs, gt) = (Self::country(&self.source), Self::country(&self.target));
        let side = |gold: Option<&str>, sys: &Option<String>| {
            gold == Some("---") || gold == sys.as_deref()
        };
        match (gs, gt) {
            (Some(s), Some(t2)) => side(Some(s), &t.source) && side(Some(t2), &t.target),
            // One-actor gold: the present side's country, in either role.
            (Some(c), None) | (None, Some(c)) => {
                c == "---" || t.source.as_deref() == Some(c) || t.target.as_deref() == Some(c)
            }
            (None, None) => true,
        }
    }

    fn show(&self) -> String {
        let alt = if self.alt.is_empty() {
            String::new()
        } else {
            format!(" (alt {})", self.alt.join(","))
        };
        format!(
            "{} {} {}{alt}",
            self.source.as_deref().unwrap_or("-"),
            self.target.as_deref().unwrap_or("-"),
            self.cameo
        )
    }
}

/// Maximum one-to-one matching between gold events and system triples
/// (augmenting paths; both sides have a handful of items). Returns, for each
/// system triple, the gold event it is matched to.
fn max_matching(
    gold: &[GoldEvent],
    sys: &[Triple],
    ok: impl Fn(&GoldEvent, &Triple) -> bool,
) -> Vec<Option<usize>> {
    let mut sys_of_gold: Vec<Option<usize>> = vec![None; gold.len()];
    let mut gold_of_sys: Vec<Option<usize>> = vec![None; sys.len()];
    fn augment(
        g: usize,
        seen: &mut [bool],
        edges: &[Vec<usize>],
        sys_of_gold: &mut [Option<usize>],
        gold_of_sys: &mut [Option<usize>],
    ) -> bool {
        for &s in &edges[g] {
            if seen[s] {
                continue;
            }
            seen[s] = true;
            let free = match gold_of_sys[s] {
                None => true,
                Some(g2) => augment(g2, seen, edges, sys_of_gold, gold_of_sys),
            };
            if free {
                gold_of_sys[s] = Some(g);
                sys_of_gold[g] = Some(s);
                return true;
            }
        }
        false
    }
    let edges: Vec<Vec<usize>> = gold
        .iter()
        .map(|g| (0..sys.len()).filter(|&s| ok(g, &sys[s])).collect())
        .collect();
    for g in 0..gold.len() {
        let mut seen = vec![false; sys.len()];
        augment(g, &mut seen, &edges, &mut sys_of_gold, &mut gold_of_sys);
    }
    gold_of_sys
}

/// A system event as scored, with what the developer needs to see why.
#[derive(Clone, Debug, Serialize)]
pub struct Scored {
    pub triple: Triple,
    pub cameo: String,
    pub source: Option<String>,
    pub target: Option<String>,
    pub trigger: String,
    pub pattern: String,
    pub rules: Vec<String>,
    /// The event's confidence, when the coder gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    pub matched: bool,
    /// Why a false event is false (empty when matched).
    pub cause: String,
}

/// A gold event with the outcome.
#[derive(Clone, Debug, Serialize)]
pub struct Expected {
    pub event: String,
    pub trigger: String,
    pub matched: bool,
    pub cause: String,
}

/// One gold sentence the coder got wrong in any way.
#[derive(Clone, Debug, Serialize)]
pub struct SentenceFailure {
    pub id: String,
    pub half: Half,
    pub text: String,
    pub expected: Vec<Expected>,
    pub got: Vec<Scored>,
}

/// The figures for one set of gold sentences.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Figures {
    pub sentences: u64,
    pub gold_events: u64,
    pub triple: Prf,
    pub root: Prf,
    pub no_event_sentences: u64,
    pub no_event_sentences_with_events: u64,
    pub false_event_share: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub all: Figures,
    pub half_a: Figures,
    pub half_b: Figures,
    /// Misses and false events by cause, over the halves scored.
    pub by_cause: BTreeMap<String, u64>,
    pub failures: Vec<SentenceFailure>,
}

/// Scores `events` (the output of coding the gold's documents whole) against
/// `gold`. `docs` lists the documents file's ids in file order (it fixes the
/// halves); `only` restricts failures and causes to one half.
pub fn score(
    gold: &[GoldSentence],
    docs: &[String],
    events: &[Event],
    only: Option<Half>,
) -> Report {
    let position: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.as_str(), i))
        .collect();
    let mut by_doc: HashMap<&str, Vec<&Event>> = HashMap::new();
    for e in events {
        by_doc.entry(e.doc_id.as_str()).or_default().push(e);
    }
    let mut figs: [Figures; 2] = Default::default();
    let mut by_cause = BTreeMap::new();
    let mut failures = Vec::new();
    for g in gold {
        let half = Half::of(
            position.get(g.doc_id.as_str()).copied().unwrap_or(0),
            docs.len(),
        );
        let f = &mut figs[half as usize];
        let (sys, scored, expected) =
            score_sentence(g, by_doc.get(g.doc_id.as_str()).map_or(&[][..], |v| v));
        f.sentences += 1;
        f.gold_events += g.events.len() as u64;
        let tp = expected.iter().filter(|x| x.matched).count() as u64;
        f.triple.tp += tp;
        f.triple.fp += sys.len() as u64 - tp;
        f.triple.fn_ += g.events.len() as u64 - tp;
        let root_tp = max_matching(&g.events, &sys, |ge, t| ge.has_root(&t.root))
            .iter()
            .filter(|m| m.is_some())
            .count() as u64;
        f.root.tp += root_tp;
        f.root.fp += sys.len() as u64 - root_tp;
        f.root.fn_ += g.events.len() as u64 - root_tp;
        if g.events.is_empty() {
            f.no_event_sentences += 1;
            f.no_event_sentences_with_events += u64::from(!sys.is_empty());
        }
        if only.is_some_and(|h| h != half) {
            continue;
        }
        for c in expected.iter().filter(|x| !x.matched).map(|x| &x.cause) {
            *by_cause.entry(c.clone()).or_insert(0) += 1;
        }
        for c in scored.iter().filter(|x| !x.matched).map(|x| &x.cause) {
            *by_cause.entry(c.clone()).or_insert(0) += 1;
        }
        if expected.iter().any(|x| !x.matched) || scored.iter().any(|x| !x.matched) {
            failures.push(SentenceFailure {
                id: g.id.clone(),
                half,
                text: g.text.clone(),
                expected,
                got: scored,
            });
        }
    }
    let [a, b] = figs;
    let all = Figures {
        sentences: a.sentences + b.sentences,
        gold_events: a.gold_events + b.gold_events,
        triple: add(a.triple, b.triple),
        root: add(a.root, b.root),
        no_event_sentences: a.no_event_sentences + b.no_event_sentences,
        no_event_sentences_with_events: a.no_event_sentences_with_events
            + b.no_event_sentences_with_events,
        false_event_share: 0.0,
    };
    Report {
        all: finish(all),
        half_a: finish(a),
        half_b: finish(b),
        by_cause,
        failures,
    }
}

fn add(a: Prf, b: Prf) -> Prf {
    Prf {
        tp: a.tp + b.tp,
        fp: a.fp + b.fp,
        fn_: a.fn_ + b.fn_,
        ..Prf::default()
    }
}

fn finish(mut f: Figures) -> Figures {
    f.triple = f.triple.finish();
    f.root = f.root.finish();
    f.false_event_share = ratio(f.no_event_sentences_with_events, f.no_event_sentences);
    f
}

/// The sentence's system triples (deduplicated), each with its outcome, and
/// each gold event with its outcome.
fn score_sentence(
    g: &GoldSentence,
    doc_events: &[&Event],
) -> (Vec<Triple>, Vec<Scored>, Vec<Expected>) {
    let mut sys: Vec<Triple> = Vec::new();
    let mut shown: Vec<&Event> = Vec::new();
    for e in doc_events {
        let at = e.provenance.trigger.start;
        if at < g.start || at >= g.end {
            continue;
        }
        let t = Triple::of_event(e);
        if !sys.contains(&t) {
            sys.push(t);
            shown.push(e);
        }
    }
    let matched = max_matching(&g.events, &sys, |ge, t| ge.matches(t));
    let scored = sys
        .iter()
        .zip(&shown)
        .zip(&matched)
        .map(|((t, e), m)| Scored {
            triple: t.clone(),
            cameo: e.cameo.clone(),
            source: e
                .source
                .as_ref()
                .map(|a| format!("{} \"{}\"", a.code, a.text)),
            target: e
                .target
                .as_ref()
                .map(|a| format!("{} \"{}\"", a.code, a.text)),
            trigger: e.provenance.trigger.text.clone(),
            pattern: format!("{} ({})", e.provenance.pattern, e.provenance.pattern_source),
            rules: e.provenance.rules.clone(),
            confidence: None,
            matched: m.is_some(),
            cause: if m.is_some() {
                String::new()
            } else {
                false_cause(g, t)
            },
        })
        .collect();
    let expected = g
        .events
        .iter()
        .enumerate()
        .map(|(i, ge)| {
            let hit = matched.contains(&Some(i));
            Expected {
                event: ge.show(),
                trigger: ge.trigger.clone().unwrap_or_default(),
                matched: hit,
                cause: if hit {
                    String::new()
                } else {
                    miss_cause(ge, &sys)
                },
            }
        })
        .collect();
    (sys, scored, expected)
}

/// Why a gold event found no system event: its kind (one-actor, domestic
/// when both sides have one country, else international) and what was wrong.
fn miss_cause(ge: &GoldEvent, sys: &[Triple]) -> String {
    let (gs, gt) = (
        GoldEvent::country(&ge.source),
        GoldEvent::country(&ge.target),
    );
    let kind = match (gs, gt) {
        (None, _) | (_, None) => "one-actor",
        (Some(s), Some(t)) if s == t && s != "---" => "domestic",
        _ => "international",
    };
    let why = if sys.is_empty() {
        "nothing coded in the sentence".to_string()
    } else {
        let same_root: Vec<&Triple> = sys.iter().filter(|t| ge.has_root(&t.root)).collect();
        if same_root.is_empty() {
            "no event with its root".to_string()
        } else if kind == "one-actor" {
            "root right, actor's country wrong".to_string()
        } else {
            let ok = |g: Option<&str>, s: &Option<String>| g == Some("---") || g == s.as_deref();
            let src = same_root.iter().any(|t| ok(gs, &t.source));
            let tgt = same_root.iter().any(|t| ok(gt, &t.target));
            let which = match (src, tgt) {
                (true, _) => "target country wrong",
                (_, true) => "source country wrong",
                _ => "both countries wrong",
            };
            let missing = if same_root.iter().all(|t| t.target.is_none()) {
                " (no target coded)"
            } else if same_root.iter().all(|t| t.source.is_none()) {
                " (no source coded)"
            } else {
                ""
            };
            format!("root right, {which}{missing}")
        }
    };
    format!("missed {kind}: {why}")
}

/// Why a system triple matched no gold event.
fn false_cause(g: &GoldSentence, t: &Triple) -> String {
    if g.events.is_empty() {
        return "false: event in a no-event sentence".into();
    }
    if !g.events.iter().any(|ge| ge.has_root(&t.root)) {
        return "false: root not in the gold".into();
    }
    "false: root right, countries differ (or the gold event went to another)".into()
}

/// Plain-text rendering, with up to `failures` failed sentences.
pub fn render(r: &Report, failures: usize) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "RealNews gold: {} sentences, {} events",
        r.all.sentences, r.all.gold_events
    );
    let _ = writeln!(
        out,
        "  {:<8} {:>9} {:>7} {:>7}   {:>9} {:>7} {:>7}   {:>12}",
        "", "precision", "recall", "F1", "root P", "root R", "root F1", "false events"
    );
    for (name, f) in [
        ("all", &r.all),
        ("half a", &r.half_a),
        ("half b", &r.half_b),
    ] {
        let _ = writeln!(
            out,
            "  {:<8} {:>9.3} {:>7.3} {:>7.3}   {:>9.3} {:>7.3} {:>7.3}   {:>5.1}% of {:<3}  (tp/fp/fn {}/{}/{})",
            name,
            f.triple.precision,
            f.triple.recall,
            f.triple.f1,
            f.root.precision,
            f.root.recall,
            f.root.f1,
            100.0 * f.false_event_share,
            f.no_event_sentences,
            f.triple.tp,
            f.triple.fp,
            f.triple.fn_
        );
    }
    if !r.by_cause.is_empty() {
        let _ = writeln!(out, "  misses and false events by cause:");
        let mut causes: Vec<_> = r.by_cause.iter().collect();
        causes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (c, n) in causes {
            let _ = writeln!(out, "    {n:>4}  {c}");
        }
    }
    for f in r.failures.iter().take(failures) {
        let _ = writeln!(out, "\n  {} [{:?}] {}", f.id, f.half, one_line(&f.text));
        for x in &f.expected {
            let mark = if x.matched { "ok  " } else { "MISS" };
            let _ = writeln!(
                out,
                "    {mark} gold {:<28} \"{}\"  {}",
                x.event, x.trigger, x.cause
            );
        }
        for s in &f.got {
            let mark = if s.matched { "ok  " } else { "FALSE" };
            let conf = s
                .confidence
                .map(|c| format!(" conf {c:.2}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    {mark} got  {} {} {} \"{}\"{conf}  {}",
                s.source.as_deref().unwrap_or("-"),
                s.target.as_deref().unwrap_or("-"),
                s.cameo,
                s.trigger,
                s.cause
            );
            let _ = writeln!(
                out,
                "           {} rules [{}]",
                s.pattern,
                s.rules.join(", ")
            );
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(s: Option<&str>, t: Option<&str>, cameo: &str, alt: &[&str]) -> GoldEvent {
        GoldEvent {
            source: s.map(str::to_string),
            target: t.map(str::to_string),
            cameo: cameo.into(),
            root: cameo[..2].into(),
            alt: alt.iter().map(|a| a.to_string()).collect(),
            trigger: None,
            monadic: s.is_none() || t.is_none(),
        }
    }

    fn triple(s: Option<&str>, t: Option<&str>, root: &str) -> Triple {
        Triple {
            source: s.map(str::to_string),
            target: t.map(str::to_string),
            root: root.into(),
        }
    }

    #[test]
    fn country_level_with_alt_roots_and_wildcards() {
        let g = gold(Some("SYRREB"), Some("---REB"), "190", &["150", "192"]);
        assert!(g.matches(&triple(Some("SYR"), Some("IMG"), "19")));
        assert!(g.matches(&triple(Some("SYR"), None, "15")));
        assert!(!g.matches(&triple(Some("TUR"), Some("IMG"), "19")));
        assert!(!g.matches(&triple(Some("SYR"), Some("IMG"), "18")));
    }

    #[test]
    fn one_actor_gold_matches_its_country_in_either_role() {
        let g = gold(None, Some("PAKCVL"), "180", &["190"]);
        assert!(g.matches(&triple(None, Some("PAK"), "19")));
        assert!(g.matches(&triple(Some("PAK"), None, "18")));
        assert!(g.matches(&triple(Some("IND"), Some("PAK"), "18")));
        assert!(!g.matches(&triple(None, Some("IND"), "18")));
    }

    #[test]
    fn matching_is_one_to_one_and_maximal() {
        // Greedy in order would give the first triple to the first gold event
        // and leave the second gold event unmatched.
        let golds = [
            gold(Some("GBR"), Some("---"), "111", &[]),
            gold(Some("GBR"), Some("FRA"), "111", &[]),
        ];
        let sys = [
            triple(Some("GBR"), Some("FRA"), "11"),
            triple(Some("GBR"), Some("DEU"), "11"),
        ];
        let m = max_matching(&golds, &sys, |g, t| g.matches(t));
        assert_eq!(m, vec![Some(1), Some(0)]);
    }

    #[test]
    fn halves_are_the_two_sampling_rounds() {
        assert_eq!(Half::of(0, 90), Half::A);
        assert_eq!(Half::of(44, 90), Half::A);
        assert_eq!(Half::of(45, 90), Half::B);
        assert_eq!(Half::of(89, 90), Half::B);
    }
}
