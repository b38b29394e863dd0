//! The API's request and response types: the JSON contract of `dyad serve`.
//!
//! They are kept apart from the store's row types on purpose: the HTTP API is a
//! public contract for users' scripts (documented in `/api/openapi.json`) and must
//! not change shape when the database schema does. Events themselves are returned as
//! [`dyad_doc::Event`], the same objects `dyad code` writes, so a script can treat
//! API answers and `dyad code` output alike.

use dyad_doc::Event;
use serde::{Deserialize, Serialize};

/// Which events a view covers. The same filters as `dyad query`; every field is
/// optional and they combine with AND.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// First day, inclusive, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Source actor code or code prefix (`RUS` matches `RUSGOV`).
    pub source: Option<String>,
    /// Target actor code or code prefix.
    pub target: Option<String>,
    /// An actor on either side (code or prefix).
    pub actor: Option<String>,
    /// ISO 3166 alpha-3 of the event's location.
    pub country: Option<String>,
    /// CAMEO code or prefix (`19` = all of root 19, `190`, `0311`).
    pub code: Option<String>,
    /// QuadClass 1-4.
    pub quad: Option<u8>,
    /// Words that must occur in the sentence (case-insensitive).
    pub q: Option<String>,
}

/// Time bucket of a timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Day,
    Week,
    Month,
}

impl Interval {
    pub const NAMES: [&'static str; 3] = ["day", "week", "month"];

    pub fn parse(s: &str) -> Option<Interval> {
        match s {
            "day" => Some(Interval::Day),
            "week" => Some(Interval::Week),
            "month" => Some(Interval::Month),
            _ => None,
        }
    }
}

/// One page of events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    /// All events matching the filter (not just this page).
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
    /// Newest first, then by event id.
    pub events: Vec<Event>,
}

/// Events per QuadClass: `[verbal coop, material coop, verbal conflict, material conflict]`.
pub type QuadCounts = [u64; 4];

/// One period of a timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// `2024-05-17` (day), `2024-W20` (ISO week), `2024-05` (month).
    pub period: String,
    /// First day of the period, `YYYY-MM-DD`.
    pub start: String,
    pub events: u64,
    pub quad: QuadCounts,
    pub goldstein_mean: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub by: Interval,
    /// In time order, periods without events included as zero so the series is even.
    pub buckets: Vec<Bucket>,
}

/// Events from one actor to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dyad {
    pub source: String,
    pub target: String,
    pub events: u64,
    pub quad: QuadCounts,
    pub goldstein_mean: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dyads {
    pub dyads: Vec<Dyad>,
}

/// An actor in the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    /// Events in the network's edges that involve this actor, on either side.
    pub events: u64,
    pub goldstein_mean: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub nodes: Vec<Node>,
    /// The busiest dyads, at most `limit`.
    pub edges: Vec<Dyad>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountryCount {
    /// ISO 3166 alpha-3.
    pub country: String,
    pub events: u64,
    pub goldstein_mean: Option<f64>,
}

/// A geocoded place and its events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub name: String,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub events: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Places {
    pub countries: Vec<CountryCount>,
    /// The busiest geocoded places, at most `limit`.
    pub points: Vec<Point>,
    /// Matching events with no location.
    pub unlocated: u64,
}

/// The article an event came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
}

/// What the store keeps about one event: the event, its article and sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRecord {
    pub event: Event,
    pub document: DocumentInfo,
    /// The sentence and the byte offset of its start in the document, so the
    /// provenance spans (document offsets) can be placed in it.
    pub sentence_text: String,
    pub sentence_start: Option<u32>,
    /// How many articles reported this event (dedup), 1 when not merged.
    pub mentions: u64,
}

/// A piece of the sentence; `role` is `source`, `target`, `verb` or `location`
/// for highlighted words and absent for the text between them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentenceView {
    pub text: String,
    /// `text` cut at the highlighted spans; joined they give `text` back.
    pub segments: Vec<Segment>,
}

/// `GET /api/events/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub event: Event,
    pub document: DocumentInfo,
    pub sentence: SentenceView,
    /// Why the event was coded this way, one step per line.
    pub explanation: Vec<String>,
    pub mentions: u64,
}

/// `GET /api/stats`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub documents: u64,
    pub events: u64,
    /// Distinct actor codes on either side.
    pub actors: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

/// `POST /api/ingest` answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestReport {
    pub documents: u64,
    pub events: u64,
    /// Documents not stored, with the reason (`line 3: missing "text"`).
    pub skipped: Vec<String>,
}
