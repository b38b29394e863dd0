//! [`Event`]: one coded event, the JSON line `dyad code` writes and the row the
//! store keeps. Field names are a contract with users' scripts (see issue #3/#4):
//! add fields freely, never rename.

use serde::{Deserialize, Serialize};

/// Who did what to whom, where, when and how many, and why it was coded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id: `{doc_id}:{sentence}:{n}` (n counts events within the sentence from 1).
    pub event_id: String,
    pub doc_id: String,
    /// 1-based index of the sentence in the document.
    pub sentence: u32,
    /// Event date `YYYY-MM-DD`: the document date unless the text says otherwise (see `when`).
    pub date: Option<String>,
    pub source: Option<ActorRef>,
    pub target: Option<ActorRef>,
    /// Full CAMEO code, 3 or 4 digits ("190", "0311").
    pub cameo: String,
    /// CAMEO root, 2 digits ("19").
    pub root: String,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    pub goldstein: f32,
    pub plover: Plover,
    /// The sentence the event was coded from.
    pub text: String,
    /// The event was stated as negated, hypothetical or intended (kept only on request).
    #[serde(default, skip_serializing_if = "Modality::is_factual")]
    pub modality: Modality,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
    #[serde(default, skip_serializing_if = "Counts::is_empty")]
    pub counts: Counts,
    pub provenance: Provenance,
    /// The event of the sentence's main predicate: its trigger is the coded
    /// trigger highest in the sentence's dependency tree. Gold sets that code one
    /// event per sentence are scored on these events only. (Not GDELT's
    /// IsRootEvent, which marks events of a document's lead sentence; the GDELT
    /// export keeps that meaning.)
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub main_event: bool,
}

/// An actor as it appears in the event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActorRef {
    /// CAMEO-style code: country + agent(s), e.g. `RUSGOV`, `UKRMIL`, `IGOUNO`.
    pub code: String,
    /// ISO 3166 alpha-3 of the actor's country, when it has one.
    pub country: Option<String>,
    /// The words in the sentence that name the actor.
    pub text: String,
    /// Sector / agent part of the code (`GOV`, `MIL`, ...), when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// Byte offsets of `text` in the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<(u32, u32)>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plover {
    pub category: String,
    pub mode: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    #[default]
    Factual,
    Negated,
    Hypothetical,
}

impl Modality {
    pub fn is_factual(&self) -> bool {
        *self == Modality::Factual
    }
}

/// Where the event happened.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub name: String,
    pub admin1: Option<String>,
    /// ISO 3166 alpha-3.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// `country`, `admin1` or `city`.
    pub feature: String,
    /// How it was found: `sentence`, `dateline`, `document`, `actor`, ...
    pub method: String,
    /// The words that named the place, and their byte offsets in the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<(u32, u32)>,
    /// Gazetteer id (GeoNames id where known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<u64>,
}

/// How the event date was found.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct When {
    /// The resolved date `YYYY-MM-DD`.
    pub date: String,
    /// The original expression ("on Tuesday", "last week"), if any.
    pub expression: Option<String>,
    /// `document`, `explicit`, `relative`, ...
    pub method: String,
}

/// A number attached to an event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub value: u64,
    /// `exact`, `approx`, `at_least`, `at_most`.
    pub qualifier: String,
    /// The words it was read from.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub killed: Option<Count>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wounded: Option<Count>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub displaced: Option<Count>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrested: Option<Count>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crowd: Option<Count>,
}

impl Counts {
    pub fn is_empty(&self) -> bool {
        self.killed.is_none()
            && self.wounded.is_none()
            && self.displaced.is_none()
            && self.arrested.is_none()
            && self.crowd.is_none()
    }
}

/// Why the event was coded: the dictionary entries and the pattern that fired.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The verb or event noun that triggered the event.
    pub trigger: Span,
    /// The verb pattern that matched, as written in its dictionary.
    pub pattern: String,
    /// Which dictionary (file and line) the pattern came from.
    pub pattern_source: String,
    /// The actor dictionary entries for source and target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_entry: Option<Entry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_entry: Option<Entry>,
    /// Named coding rules applied on the way (passive, reported speech, compound actor ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

/// Text with its byte offsets in the document and token indices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    pub start: u32,
    pub end: u32,
}

/// A dictionary entry that fired.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The entry's name or pattern as written.
    pub name: String,
    /// Dictionary file and line, e.g. `dict/actors/countries.toml:812`.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}
