//! Scoring coded events against gold suites (`dyad eval petrarch|tabari|plover|conflibert`;
//! the RealNews gold, scored on whole documents, is [`realnews`]).
//!
//! All suites are read from the shared `.normalized.jsonl` schema: one record
//! per line with `id`, `date`, `text`, `expect_no_events` and gold `events`
//! (`source`, `target`, `cameo`, `plover`), plus `labels.penta_class` for the
//! ConfliBERT 5-class set. Scoring is micro-averaged over records: each
//! record's predicted items are matched one-to-one with its gold items, where
//! an item is, per level,
//!
//! * **type**: the CAMEO root (PETRARCH, TABARI) or the PLOVER category (PLOVER);
//! * **code**: the full CAMEO code (PLOVER: the category, the gold has no codes);
//! * **triple**: source code, target code, type;
//! * **country triple**: first three letters of source and target (country or
//!   IGO/NGO prefix) and type.
//!
//! PETRARCH's `---` ("no country": `---GOV`; alone, no actor) is read as Dyad
//! writes the same: a bare agent code (`GOV`), no target.
//! PLOVER's gold codes some countries with CAMEO's older, non-ISO codes (`JAP`,
//! `ITL`, `VTN`) where Dyad writes ISO 3166 alpha-3 (`JPN`, `ITA`, `VNM`): they
//! are read as the ISO code of the same country (`CAMEO_LEGACY_COUNTRIES`), at
//! every level.
//! A gold item without a target (PLOVER's one-actor events) matches any
//! predicted target. A record is **exact** when its predicted and gold triples
//! (at code level) are the same sets. Failures keep both sides and a cause, so
//! they can be read and grouped (`by_cause`).

pub mod realnews;

use crate::cameo::CameoTable;
use dyad_doc::Event;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One gold record of a `.normalized.jsonl` file.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct GoldRecord {
    pub id: String,
    #[serde(default)]
    pub date: Option<String>,
    pub text: String,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub expect_no_events: bool,
    #[serde(default)]
    pub events: Vec<GoldEvent>,
    #[serde(default)]
    pub labels: Labels,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct GoldEvent {
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub cameo: Option<String>,
    #[serde(default)]
    pub plover: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Labels {
    #[serde(default)]
    pub penta_class: Option<u8>,
}

/// Reads a `.normalized.jsonl` file; bad lines are reported as `file:line: why`
/// and skipped.
pub fn read_records(path: &std::path::Path) -> std::io::Result<(Vec<GoldRecord>, Vec<String>)> {
    let text = std::fs::read_to_string(path)?;
    let mut recs = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<GoldRecord>(line) {
            Ok(r) => recs.push(r),
            Err(e) => problems.push(format!("{}:{}: {e}", path.display(), i + 1)),
        }
    }
    Ok((recs, problems))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Suite {
    Petrarch,
    Tabari,
    Plover,
    Conflibert,
}

/// Precision, recall and F1 from counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn finish(mut self) -> Prf {
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        self.precision = p;
        self.recall = r;
        self.f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        self
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// One record the coder got wrong.
#[derive(Clone, Debug, Serialize)]
pub struct Failure {
    pub id: String,
    pub text: String,
    pub expected: Vec<String>,
    pub got: Vec<String>,
    pub cause: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub suite: Suite,
    pub records: u64,
    pub event_type: Prf,
    pub code: Prf,
    pub triple: Prf,
    pub country_triple: Prf,
    /// Records whose coded events are exactly the gold events.
    pub exact: f64,
    pub no_event_records: u64,
    /// Share of no-event records where something was coded.
    pub false_event_share: f64,
    /// ConfliBERT only: 5-class accuracy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<f64>,
    pub by_cause: BTreeMap<String, u64>,
    pub failures: Vec<Failure>,
}

/// What a record was predicted to be: its events, and for the sentence-level
/// 5-class suite the code of its main event.
pub struct Prediction<'a> {
    pub events: &'a [Event],
    /// CAMEO code of the sentence's main event: the trigger highest in the parse
    /// among those coded or rejected only for a missing actor (a framing verb
    /// that yielded to the event it introduces is not one). `None`: the first
    /// event decides.
    pub main_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Item {
    source: String,
    /// `None` matches any target.
    target: Option<String>,
    kind: String,
}

impl Item {
    fn matches(&self, other: &Item) -> bool {
        self.source == other.source
            && self.kind == other.kind
            && (self.target.is_none() || other.target.is_none() || self.target == other.target)
    }
    fn show(&self) -> String {
        format!(
            "{} {} {}",
            self.source,
            self.target.as_deref().unwrap_or("-"),
            self.kind
        )
    }
}

/// Accumulates scores record by record.
pub struct Scorer {
    suite: Suite,
    records: u64,
    levels: [Prf; 4],
    exact: u64,
    no_event: u64,
    no_event_false: u64,
    classified: u64,
    class_correct: u64,
    failures: Vec<Failure>,
    cameo: &'static CameoTable,
}

impl Scorer {
    pub fn new(suite: Suite) -> Scorer {
        Scorer {
            suite,
            records: 0,
            levels: [Prf::default(); 4],
            exact: 0,
            no_event: 0,
            no_event_false: 0,
            classified: 0,
            class_correct: 0,
            failures: Vec::new(),
            cameo: CameoTable::builtin(),
        }
    }

    /// The type of an event at this suite's level (`None`: not an event here).
    fn kind(&self, cameo: &str) -> Option<String> {
        match self.suite {
            Suite::Plover => gsr_category(self.cameo, cameo).map(str::to_string),
            _ => cameo.get(..2).map(str::to_string),
        }
    }

    pub fn add(&mut self, rec: &GoldRecord, pred: &Prediction) {
        self.records += 1;
        if self.suite == Suite::Conflibert {
            self.add_class(rec, pred);
            return;
        }
        // Items at each level: type, code, triple, country triple.
        let mut gold: [Vec<Item>; 4] = Default::default();
        for g in &rec.events {
            let kind = match self.suite {
                Suite::Plover => g.plover.clone(),
                _ => g
                    .cameo
                    .as_ref()
                    .and_then(|c| c.get(..2))
                    .map(str::to_string),
            };
            let Some(kind) = kind else { continue };
            let code = match self.suite {
                Suite::Plover => kind.clone(),
                _ => g.cameo.clone().unwrap_or_default(),
            };
            let sources: Vec<String> = g
                .source
                .as_deref()
                .unwrap_or("")
                .split('|')
                .map(|s| s.trim().to_string())
                .collect();
            for s in sources {
                let t = g
                    .target
                    .as_ref()
                    .map(|t| t.split('|').next().unwrap_or("").to_string());
                let (s, t) = match self.suite {
                    Suite::Petrarch => (
                        petrarch_unknown(&s).to_string(),
                        t.as_deref().map(petrarch_unknown).map(str::to_string),
                    ),
                    Suite::Plover => (iso_country(&s), t.as_deref().map(iso_country)),
                    _ => (s, t),
                };
                let t = t.as_deref();
                // PETRARCH writes a missing actor as `---`: the event has no target.
                let t = t.filter(|t| !t.is_empty());
                push_levels(&mut gold, &s, t, &kind, &code);
            }
        }
        let mut got: [Vec<Item>; 4] = Default::default();
        // PLOVER's records code one event per sentence, its main one: only the
        // coder's main events are compared (every clause's event otherwise).
        let one_per_sentence = self.suite == Suite::Plover;
        for e in pred
            .events
            .iter()
            .filter(|e| !one_per_sentence || e.main_event)
        {
            let Some(kind) = self.kind(&e.cameo) else {
                continue;
            };
            let code = match self.suite {
                Suite::Plover => kind.clone(),
                _ => e.cameo.clone(),
            };
            let s = e.source.as_ref().map_or("", |a| a.code.as_str());
            let t = e.target.as_ref().map(|a| a.code.as_str());
            push_levels(&mut got, s, t, &kind, &code);
        }
        for (level, (g, p)) in gold.iter_mut().zip(got.iter_mut()).enumerate() {
            g.sort();
            g.dedup();
            p.sort();
            p.dedup();
            let (tp, fp, fn_) = match_items(g, p);
            self.levels[level].tp += tp;
            self.levels[level].fp += fp;
            self.levels[level].fn_ += fn_;
        }
        let no_event = gold[0].is_empty();
        if no_event {
            self.no_event += 1;
            if !got[0].is_empty() {
                self.no_event_false += 1;
            }
        }
        let (g3, p3) = (&gold[2], &got[2]);
        let (tp, fp, fn_) = match_items(g3, p3);
        if fp == 0 && fn_ == 0 {
            self.exact += 1;
        } else {
            let _ = tp;
            self.failures.push(Failure {
                id: rec.id.clone(),
                text: rec.text.clone(),
                expected: g3.iter().map(Item::show).collect(),
                got: p3.iter().map(Item::show).collect(),
                cause: cause(g3, p3),
            });
        }
    }

    fn add_class(&mut self, rec: &GoldRecord, pred: &Prediction) {
        let Some(gold) = rec.labels.penta_class else {
            return;
        };
        self.classified += 1;
        let code = pred
            .main_code
            .clone()
            .or_else(|| pred.events.first().map(|e| e.cameo.clone()));
        let class = code.as_deref().map_or(0, penta_class);
        if class == gold {
            self.class_correct += 1;
        } else {
            self.failures.push(Failure {
                id: rec.id.clone(),
                text: rec.text.clone(),
                expected: vec![PENTA[gold as usize % 5].to_string()],
                got: vec![format!(
                    "{} ({})",
                    PENTA[class as usize],
                    code.as_deref().unwrap_or("no event")
                )],
                cause: if code.is_none() {
                    "no event coded".into()
                } else {
                    format!(
                        "{} coded as {}",
                        PENTA[gold as usize % 5],
                        PENTA[class as usize]
                    )
                },
            });
        }
    }

    pub fn report(&self) -> Report {
        let mut by_cause = BTreeMap::new();
        for f in &self.failures {
            *by_cause.entry(f.cause.clone()).or_insert(0) += 1;
        }
        Report {
            suite: self.suite,
            records: self.records,
            event_type: self.levels[0].finish(),
            code: self.levels[1].finish(),
            triple: self.levels[2].finish(),
            country_triple: self.levels[3].finish(),
            exact: ratio(self.exact, self.records),
            no_event_records: self.no_event,
            false_event_share: ratio(self.no_event_false, self.no_event),
            accuracy: (self.suite == Suite::Conflibert)
                .then(|| ratio(self.class_correct, self.classified)),
            by_cause,
            failures: self.failures.clone(),
        }
    }
}

const PENTA: [&str; 5] = [
    "make_statement",
    "verbal_cooperation",
    "material_cooperation",
    "verbal_conflict",
    "material_conflict",
];

/// ConfliBERT's five classes from a CAMEO code, by the Phoenix quad conversion
/// its labels follow (column `phoenix_quad_conversion` of
/// `../shared/data/cameo/cameo_codes_merged.csv`): 01-02 statements (appeals
/// are neutral there), 03-05 verbal cooperation, 06-08 material cooperation,
/// 09-13 and 16 (reducing relations) verbal conflict, 14-15 and 17-20 material
/// conflict.
pub fn penta_class(cameo: &str) -> u8 {
    match cameo.get(..2).and_then(|r| r.parse::<u8>().ok()) {
        Some(1..=2) | None => 0,
        Some(3..=5) => 1,
        Some(6..=8) => 2,
        Some(9..=13) | Some(16) => 3,
        Some(_) => 4,
    }
}

/// The PLOVER category a CAMEO code maps to, in the category names of the PLOVER
/// gold-standard records (which predate the 2021 table: DEMAND for REQUEST,
/// DISAPPROVE and INVESTIGATE for ACCUSE, FIGHT for conventional military force).
pub fn gsr_category(table: &CameoTable, cameo: &str) -> Option<&'static str> {
    let c = table.get(cameo)?;
    let root = &cameo[..2.min(cameo.len())];
    Some(match c.plover_category.as_str() {
        "" => return None,
        "REQUEST" => "DEMAND",
        "ACCUSE" if root == "09" => "INVESTIGATE",
        "ACCUSE" => "DISAPPROVE",
        "ASSAULT" if root == "19" => "FIGHT",
        "AGREE" => "AGREE",
        "CONSULT" => "CONSULT",
        "SUPPORT" => "SUPPORT",
        "COOPERATE" => "COOPERATE",
        "AID" => "AID",
        "CONCEDE" => "CONCEDE",
        "RETREAT" => "RETREAT",
        "REJECT" => "REJECT",
        "THREATEN" => "THREATEN",
        "PROTEST" => "PROTEST",
        "MOBILIZE" => "MOBILIZE",
        "SANCTION" => "SANCTION",
        "COERCE" => "COERCE",
        "ASSAULT" => "ASSAULT",
        _ => return None,
    })
}

/// CAMEO country codes that are not ISO 3166 alpha-3, with the ISO code of the
/// same country: CAMEO's older (KEDS-era) spellings that the PLOVER gold
/// still uses (`JAP` Japan, `ITL` Italy, `VTN` Vietnam), and ISO codes
/// withdrawn since the older records were coded (`ROM` Romania → `ROU` and
/// `TMP` East Timor → `TLS` in 2002, `ZAR` Zaire → `COD` in 1997, `BUR` Burma
/// → `MMR` in 1989).
const CAMEO_LEGACY_COUNTRIES: &[(&str, &str)] = &[
    ("JAP", "JPN"),
    ("ITL", "ITA"),
    ("VTN", "VNM"),
    ("ROM", "ROU"),
    ("TMP", "TLS"),
    ("ZAR", "COD"),
    ("BUR", "MMR"),
];

/// A gold actor code with its country in ISO 3166 alpha-3, Dyad's contract:
/// `JAPGOV` → `JPNGOV`. The countries are compared, not their spellings.
fn iso_country(code: &str) -> String {
    match CAMEO_LEGACY_COUNTRIES
        .iter()
        .find(|(old, _)| code.get(..3) == Some(*old))
    {
        Some((_, iso)) => format!("{iso}{}", &code[3..]),
        None => code.to_string(),
    }
}

/// A PETRARCH actor code without its `---` "no country" prefix: PETRARCH writes
/// an agent found without a country as `---GOV` and a missing actor as `---`,
/// where Dyad's coder (with `bare_agents`) writes `GOV` and no actor.
fn petrarch_unknown(code: &str) -> &str {
    code.strip_prefix("---").unwrap_or(code)
}

fn push_levels(
    items: &mut [Vec<Item>; 4],
    source: &str,
    target: Option<&str>,
    kind: &str,
    code: &str,
) {
    let prefix = |s: &str| s.get(..3).unwrap_or(s).to_string();
    items[0].push(Item {
        source: String::new(),
        target: Some(String::new()),
        kind: kind.to_string(),
    });
    items[1].push(Item {
        source: String::new(),
        target: Some(String::new()),
        kind: code.to_string(),
    });
    items[2].push(Item {
        source: source.to_string(),
        target: target.map(str::to_string),
        kind: code.to_string(),
    });
    items[3].push(Item {
        source: prefix(source),
        target: target.map(prefix),
        kind: kind.to_string(),
    });
}

/// One-to-one matching (gold items in order, first matching prediction).
fn match_items(gold: &[Item], pred: &[Item]) -> (u64, u64, u64) {
    let mut used = vec![false; pred.len()];
    let mut tp = 0;
    for g in gold {
        if let Some(k) = (0..pred.len()).find(|&k| !used[k] && g.matches(&pred[k])) {
            used[k] = true;
            tp += 1;
        }
    }
    (tp, pred.len() as u64 - tp, gold.len() as u64 - tp)
}

/// Why a record failed, for grouping.
fn cause(gold: &[Item], pred: &[Item]) -> String {
    if pred.is_empty() {
        return "no event coded".into();
    }
    if gold.is_empty() {
        return "event coded where none expected".into();
    }
    let same_dyad = |g: &Item| {
        pred.iter()
            .any(|p| p.source == g.source && (g.target.is_none() || p.target == g.target))
    };
    let same_code = |g: &Item| pred.iter().any(|p| p.kind == g.kind);
    let missed: Vec<&Item> = gold
        .iter()
        .filter(|g| !pred.iter().any(|p| g.matches(p)))
        .collect();
    if missed.is_empty() {
        return "extra events besides the expected ones".into();
    }
    if missed.iter().all(|g| same_dyad(g)) {
        let same_root = missed.iter().all(|g| {
            pred.iter()
                .any(|p| p.source == g.source && p.kind.get(..2) == g.kind.get(..2))
        });
        return if same_root {
            "right actors, code differs within the root".into()
        } else {
            "right actors, wrong event type".into()
        };
    }
    if missed.iter().all(|g| same_code(g)) {
        return "right code, wrong actors".into();
    }
    "wrong actors and code".into()
}

/// Plain-text rendering of a report, with up to `failures` failures.
pub fn render(r: &Report, failures: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:?} gold suite: {} records", r.suite, r.records);
    if let Some(a) = r.accuracy {
        let _ = writeln!(out, "  5-class accuracy       {:.3}", a);
    } else {
        let _ = writeln!(
            out,
            "  level                  precision  recall     F1   (tp/fp/fn)"
        );
        for (name, p) in [
            ("event type", &r.event_type),
            ("full code", &r.code),
            ("source-target-code", &r.triple),
            ("country-level triple", &r.country_triple),
        ] {
            let _ = writeln!(
                out,
                "  {:<22} {:>8.3} {:>8.3} {:>7.3}   ({}/{}/{})",
                name, p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
            );
        }
        let _ = writeln!(out, "  records coded exactly  {:.1}%", 100.0 * r.exact);
        let _ = writeln!(
            out,
            "  no-event records with a false event  {:.1}% of {}",
            100.0 * r.false_event_share,
            r.no_event_records
        );
    }
    if !r.by_cause.is_empty() {
        let _ = writeln!(out, "  failures by cause:");
        let mut causes: Vec<_> = r.by_cause.iter().collect();
        causes.sort_by(|a, b| b.1.cmp(a.1));
        for (c, n) in causes {
            let _ = writeln!(out, "    {n:>4}  {c}");
        }
    }
    for f in r.failures.iter().take(failures) {
        let _ = writeln!(out, "  FAIL {} [{}]: {}", f.id, f.cause, f.text.trim());
        let _ = writeln!(out, "       expected: {}", list(&f.expected));
        let _ = writeln!(out, "       got:      {}", list(&f.got));
    }
    out
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "(nothing)".into()
    } else {
        v.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_doc::event::ActorRef;

    fn ev(s: &str, t: &str, code: &str) -> Event {
        Event {
            source: Some(ActorRef {
                code: s.into(),
                ..Default::default()
            }),
            target: Some(ActorRef {
                code: t.into(),
                ..Default::default()
            }),
            cameo: code.into(),
            ..Default::default()
        }
    }

    fn rec(events: &[(&str, Option<&str>, &str)]) -> GoldRecord {
        GoldRecord {
            id: "r".into(),
            text: "t".into(),
            events: events
                .iter()
                .map(|(s, t, c)| GoldEvent {
                    source: Some(s.to_string()),
                    target: t.map(str::to_string),
                    cameo: Some(c.to_string()),
                    plover: None,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn petrarch_unknown_country_is_a_bare_agent_and_no_actor_no_target() {
        let mut one_actor = ev("GOV", "", "023");
        one_actor.target = None;
        let got = [ev("GOV", "GON", "160"), one_actor];
        let gold = rec(&[
            ("---GOV", Some("GON"), "160"),
            ("---GOV", Some("---"), "023"),
        ]);
        let mut s = Scorer::new(Suite::Petrarch);
        s.add(
            &gold,
            &Prediction {
                events: &got,
                main_code: None,
            },
        );
        assert_eq!(s.report().exact, 1.0);
        // Only PETRARCH writes `---` for "no country".
        let mut s = Scorer::new(Suite::Tabari);
        s.add(
            &gold,
            &Prediction {
                events: &got,
                main_code: None,
            },
        );
        assert_eq!(s.report().exact, 0.0);
    }

    #[test]
    fn exact_partial_and_empty_records() {
        let mut s = Scorer::new(Suite::Petrarch);
        let e1 = [ev("ARN", "GON", "064")];
        s.add(
            &rec(&[("ARN", Some("GON"), "064")]),
            &Prediction {
                events: &e1,
                main_code: None,
            },
        );
        let e2 = [ev("ARN", "GON", "061")];
        s.add(
            &rec(&[("ARN", Some("GON"), "064")]),
            &Prediction {
                events: &e2,
                main_code: None,
            },
        );
        s.add(
            &rec(&[]),
            &Prediction {
                events: &e2,
                main_code: None,
            },
        );
        let r = s.report();
        assert_eq!(r.records, 3);
        assert!((r.exact - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(
            (r.event_type.tp, r.event_type.fp, r.event_type.fn_),
            (2, 1, 0)
        );
        assert_eq!((r.code.tp, r.code.fp, r.code.fn_), (1, 2, 1));
        assert_eq!(r.false_event_share, 1.0);
        assert_eq!(r.by_cause["right actors, code differs within the root"], 1);
        assert_eq!(r.by_cause["event coded where none expected"], 1);
    }

    #[test]
    fn one_actor_gold_matches_any_target_and_compounds_split() {
        let mut s = Scorer::new(Suite::Plover);
        let mut g = rec(&[("HUNGOV|ROUGOV", None, "")]);
        g.events[0].plover = Some("AGREE".into());
        g.events[0].cameo = None;
        // Both from the main predicate; a subordinate clause's event is not scored.
        let root = |mut e: Event| {
            e.main_event = true;
            e
        };
        let e = [
            root(ev("HUNGOV", "ROUGOV", "030")),
            root(ev("ROUGOV", "HUNGOV", "030")),
            ev("HUNGOV", "SRB", "190"),
        ];
        s.add(
            &g,
            &Prediction {
                events: &e,
                main_code: None,
            },
        );
        let r = s.report();
        assert_eq!(r.triple.f1, 1.0, "{r:?}");
        assert_eq!(r.country_triple.tp, 2);
    }

    #[test]
    fn plover_legacy_cameo_countries_read_as_iso() {
        let mut g = rec(&[("JAPGOV", Some("ITL"), "")]);
        g.events[0].plover = Some("CONSULT".into());
        let mut e = ev("JPNGOV", "ITA", "040");
        e.main_event = true;
        let got = [e];
        let pred = Prediction {
            events: &got,
            main_code: None,
        };
        let mut s = Scorer::new(Suite::Plover);
        s.add(&g, &pred);
        assert_eq!(s.report().triple.f1, 1.0);
        // Other suites keep the gold's codes: their dictionaries write them.
        let mut g = rec(&[("JAPGOV", Some("ITL"), "040")]);
        g.events[0].plover = None;
        let mut s = Scorer::new(Suite::Tabari);
        s.add(&g, &pred);
        assert_eq!(s.report().triple.f1, 0.0);
        assert_eq!(iso_country("VTNMIL"), "VNMMIL");
        assert_eq!(iso_country("IGOUNO"), "IGOUNO");
    }

    /// The classes follow the Phoenix quad conversion of the shared CAMEO table,
    /// code by code (the root is the first field of each row past the code).
    #[test]
    fn penta_classes_are_phoenix_quads() {
        let path = std::path::Path::new(
            &std::env::var("CARGO_MANIFEST_DIR")
                .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
        )
        .join("../../../shared/data/cameo/cameo_codes_merged.csv");
        let text = std::fs::read_to_string(&path).expect("shared CAMEO table");
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = header
            .iter()
            .position(|h| *h == "phoenix_quad_conversion")
            .unwrap();
        let mut checked = 0;
        for line in lines {
            // Names may hold quoted commas: count the phoenix column from the end.
            let f: Vec<&str> = line.split(',').collect();
            let code = f[0];
            let quad = f[f.len() - (header.len() - col)];
            if let (Ok(q), true) = (quad.parse::<u8>(), code.len() >= 2) {
                assert_eq!(penta_class(code), q, "{code}");
                checked += 1;
            }
        }
        assert!(checked > 300, "{checked}");
    }

    #[test]
    fn penta_classes_and_gsr_names() {
        assert_eq!(penta_class("010"), 0);
        assert_eq!(penta_class("020"), 0);
        assert_eq!(penta_class("051"), 1);
        assert_eq!(penta_class("161"), 3);
        assert_eq!(penta_class("145"), 4);
        assert_eq!(penta_class("073"), 2);
        assert_eq!(penta_class("112"), 3);
        assert_eq!(penta_class("190"), 4);
        let t = CameoTable::builtin();
        assert_eq!(gsr_category(t, "100"), Some("DEMAND"));
        assert_eq!(gsr_category(t, "111"), Some("DISAPPROVE"));
        assert_eq!(gsr_category(t, "090"), Some("INVESTIGATE"));
        assert_eq!(gsr_category(t, "193"), Some("FIGHT"));
        assert_eq!(gsr_category(t, "180"), Some("ASSAULT"));
        assert_eq!(gsr_category(t, "010"), None);
    }
}
