//! What the server needs from an event database, as two small traits.
//!
//! [`Backend`] answers the read queries; [`Ingest`] codes and stores new documents.
//! Both are synchronous on purpose: database calls are blocking work, and the server
//! runs every call on tokio's blocking pool (`spawn_blocking`) behind a semaphore, so
//! a slow query can never stall the async runtime that accepts connections. The
//! implementation over `dyad-store` is [`crate::store::StoreBackend`]; ingest is
//! provided by the `dyad` binary, which owns the coding pipeline.

use crate::model::{
    Dyad, EventPage, EventRecord, Filter, IngestReport, Interval, Network, Places, Stats,
};
use dyad_doc::Document;

/// Errors from the database. Never shown to API callers (they get a generic 500);
/// logged in full on the server.
pub type BackendError = Box<dyn std::error::Error + Send + Sync>;
pub type BackendResult<T> = Result<T, BackendError>;

/// Timeline bucket as the database returns it: the start day of the period and
/// its counts. The server labels periods and fills the gaps.
#[derive(Clone, Debug, PartialEq)]
pub struct RawBucket {
    /// `YYYY-MM-DD`: the day, the Monday of the ISO week, or the 1st of the month.
    pub start: String,
    pub events: u64,
    pub quad: [u64; 4],
    pub goldstein_mean: Option<f64>,
}

/// The read side of an event database. Calls may come from several threads at once.
pub trait Backend: Send + Sync + 'static {
    fn stats(&self) -> BackendResult<Stats>;
    /// One page of matching events, newest first, with the total count.
    fn events(&self, filter: &Filter, limit: u32, offset: u64) -> BackendResult<EventPage>;
    /// One event with its document and sentence, or `None` if no such id.
    fn event(&self, id: &str) -> BackendResult<Option<EventRecord>>;
    /// The `limit` busiest source → target pairs, busiest first.
    fn dyads(&self, filter: &Filter, limit: u32) -> BackendResult<Vec<Dyad>>;
    /// Matching events per period, in time order; periods with no events may be absent.
    fn timeline(&self, filter: &Filter, by: Interval) -> BackendResult<Vec<RawBucket>>;
    /// Events by country of location and the `limit` busiest geocoded places.
    fn places(&self, filter: &Filter, limit: u32) -> BackendResult<Places>;

    /// The actor network: the busiest `limit` dyads as edges; nodes are their actors
    /// with counts and mean Goldstein weighted over those edges.
    fn network(&self, filter: &Filter, limit: u32) -> BackendResult<Network> {
        let edges = self.dyads(filter, limit)?;
        Ok(network_of(edges))
    }
}

/// Builds nodes from edges: each actor's events and event-weighted mean Goldstein
/// over the edges it is on. Nodes are ordered busiest first, then by code, so the
/// layout is deterministic.
pub fn network_of(edges: Vec<Dyad>) -> Network {
    use std::collections::BTreeMap;
    // (events, goldstein sum weighted by events, events with a goldstein)
    let mut acc: BTreeMap<&str, (u64, f64, u64)> = BTreeMap::new();
    for e in &edges {
        let sides: &[&str] = if e.source == e.target {
            &[e.source.as_str()]
        } else {
            &[e.source.as_str(), e.target.as_str()]
        };
        for &id in sides {
            let a = acc.entry(id).or_default();
            a.0 += e.events;
            if let Some(g) = e.goldstein_mean {
                a.1 += g * e.events as f64;
                a.2 += e.events;
            }
        }
    }
    let mut nodes: Vec<crate::model::Node> = acc
        .into_iter()
        .map(|(id, (events, gsum, gn))| crate::model::Node {
            id: id.to_string(),
            events,
            goldstein_mean: (gn > 0).then(|| gsum / gn as f64),
        })
        .collect();
    nodes.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.id.cmp(&b.id)));
    Network { nodes, edges }
}

/// Codes and stores documents (`POST /api/ingest`). Implemented by the `dyad`
/// binary, which owns the coding pipeline.
pub trait Ingest: Send + Sync + 'static {
    fn ingest(&self, documents: Vec<Document>) -> BackendResult<IngestReport>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dyad(s: &str, t: &str, n: u64, g: f64) -> Dyad {
        Dyad {
            source: s.into(),
            target: t.into(),
            events: n,
            quad: [n, 0, 0, 0],
            goldstein_mean: Some(g),
        }
    }

    #[test]
    fn nodes_weight_goldstein_by_events() {
        let net = network_of(vec![
            dyad("RUS", "UKR", 30, -8.0),
            dyad("RUS", "CHN", 10, 4.0),
            dyad("UKR", "UKR", 5, -2.0),
        ]);
        let ids: Vec<_> = net.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["RUS", "UKR", "CHN"]);
        assert_eq!(net.nodes[0].events, 40);
        assert!((net.nodes[0].goldstein_mean.unwrap() - (-5.0)).abs() < 1e-9);
        // A self-loop counts once for its actor.
        assert_eq!(net.nodes[1].events, 35);
    }
}
