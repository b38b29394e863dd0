//! The API's response types that are not the store's own.
//!
//! List endpoints answer with `dyad_store::query` types unchanged (`EventRow`,
//! `DyadCount`, `Edge`, `PlaceCount`, `Stats`), so `dyad query ... --json` and the API
//! give scripts the same objects. The types here add what a browser needs on top:
//! labelled and gap-filled timeline periods, network nodes, the map's two layers,
//! and an event's sentence cut into highlighted segments with its explanation.

use dyad_store::query::{CountryCount, DyadCount, Edge, EventRow, PlaceCount};
use serde::{Deserialize, Serialize};

/// Events per QuadClass: `[verbal coop, material coop, verbal conflict, material conflict]`.
pub type QuadCounts = [u64; 4];

/// One period of a timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// `2024-05-17` (day), `2024-W20` (ISO week), `2024-05` (month), `2024` (year).
    pub period: String,
    /// First day of the period, `YYYY-MM-DD`.
    pub start: String,
    pub events: u64,
    /// Articles reporting these events (deduplicated events count once in `events`).
    pub mentions: u64,
    pub quad: QuadCounts,
    /// `None` for a period without events.
    pub goldstein_mean: Option<f64>,
}

/// `GET /api/timeline`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub by: dyad_store::query::Interval,
    /// In time order; periods without events are included as zero so time is even.
    pub buckets: Vec<Bucket>,
}

/// `GET /api/dyads`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dyads {
    pub dyads: Vec<DyadCount>,
}

/// An actor in the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    /// Events on the network's edges that involve this actor, on either side.
    pub events: u64,
    /// Event-weighted mean Goldstein over those edges.
    pub goldstein_mean: Option<f64>,
}

/// `GET /api/network`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    /// Busiest first, then by code.
    pub nodes: Vec<Node>,
    /// The busiest directed dyads, at most `limit`.
    pub edges: Vec<Edge>,
}

/// Builds nodes from edges: each actor's events and event-weighted mean Goldstein
/// over the edges it is on. Nodes are ordered busiest first, then by code, so the
/// dashboard's layout is deterministic.
pub fn network_of(edges: Vec<Edge>) -> Network {
    use std::collections::BTreeMap;
    // (events, goldstein sum weighted by events)
    let mut acc: BTreeMap<&str, (u64, f64)> = BTreeMap::new();
    for e in &edges {
        let sides: &[&str] = if e.source == e.target {
            &[e.source.as_str()]
        } else {
            &[e.source.as_str(), e.target.as_str()]
        };
        for &id in sides {
            let a = acc.entry(id).or_default();
            a.0 += e.events;
            a.1 += e.goldstein_mean * e.events as f64;
        }
    }
    let mut nodes: Vec<Node> = acc
        .into_iter()
        .map(|(id, (events, gsum))| Node {
            id: id.to_string(),
            events,
            goldstein_mean: (events > 0).then(|| gsum / events as f64),
        })
        .collect();
    nodes.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.id.cmp(&b.id)));
    Network { nodes, edges }
}

/// `GET /api/places`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Places {
    /// Events per location country (ISO alpha-3), busiest first.
    pub countries: Vec<CountryCount>,
    /// The busiest named places with coordinates, at most `limit`.
    pub points: Vec<PlaceCount>,
    /// Matching events with no location country.
    pub unlocated: u64,
}

/// A piece of a sentence; `role` is `source`, `target`, `verb` or `location` for
/// highlighted words and absent for the text between them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A sentence and its highlights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentenceView {
    pub text: String,
    /// `text` cut at the highlighted words; joined they give `text` back.
    pub segments: Vec<Segment>,
}

/// One article's report of the event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionView {
    pub doc_id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// 1-based sentence number in the document.
    pub sentence: u32,
    pub highlighted: SentenceView,
    /// Why this mention was coded this way, one step per line.
    pub explanation: Vec<String>,
    /// The event as `dyad code` emitted it for this mention, with provenance.
    pub coded: dyad_doc::Event,
}

/// `GET /api/events/{id}`: a deduplicated event and every article mention of it,
/// earliest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub event: EventRow,
    pub mentions: Vec<MentionView>,
}

/// `POST /api/ingest` answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestReport {
    /// Documents stored for the first time.
    pub stored: u64,
    /// Documents whose content changed and were replaced.
    pub replaced: u64,
    /// Documents already stored with the same content.
    pub unchanged: u64,
    /// Coded events (mentions) written.
    pub events: u64,
    /// Input lines not stored, with the reason (`line 3: missing field `text``).
    pub skipped: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(s: &str, t: &str, n: u64, g: f64) -> Edge {
        Edge {
            source: s.into(),
            target: t.into(),
            events: n,
            cooperation: 0,
            conflict: n,
            goldstein_mean: g,
        }
    }

    #[test]
    fn nodes_weight_goldstein_by_events() {
        let net = network_of(vec![
            edge("RUS", "UKR", 30, -8.0),
            edge("RUS", "CHN", 10, 4.0),
            edge("UKR", "UKR", 5, -2.0),
        ]);
        let ids: Vec<_> = net.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["RUS", "UKR", "CHN"]);
        assert_eq!(net.nodes[0].events, 40);
        assert!((net.nodes[0].goldstein_mean.unwrap() - (-5.0)).abs() < 1e-9);
        // A self-loop counts once for its actor.
        assert_eq!(net.nodes[1].events, 35);
    }
}
