//! The data that flows between Dyad's pipeline stages.
//!
//! ```text
//! text ─ingest─▶ Document ─segment─▶ Doc (sentences, tokens) ─tag/parse─▶ Doc (upos, lemma, head, deprel)
//!      ─code─▶ Vec<Event> ─attr─▶ Event{location, when, counts} ─store─▶ database
//! ```
//!
//! * [`Document`] is one input record as read: id, date, text and optional metadata.
//! * [`Doc`] is the annotated form, built once per document and filled in by each
//!   stage. Like spaCy's `Doc` it keeps token attributes in parallel columns
//!   (`Vec<u32>`, `Vec<Upos>`, ...) rather than one allocated object per token, so
//!   stages stay cache-friendly and allocation-free in their hot loops.
//! * [`Event`] is the coded record and the JSON contract of `dyad code`.
//!
//! Invariants (checked by [`Doc::validate`]):
//! * token `i` covers `doc.text[start[i]..end[i]]`, offsets are byte offsets on char
//!   boundaries, strictly increasing and non-overlapping;
//! * sentences partition the tokens in order, each non-empty;
//! * `head[i]` is either [`NO_HEAD`] (root of its sentence) or a token index inside
//!   the same sentence; all annotation columns are either empty (stage not run) or
//!   exactly `len()` long.

pub mod calendar;
pub mod conllu;
pub mod doc;
pub mod event;
pub mod tags;

pub use doc::{Doc, Document, NO_HEAD, SentenceSpan};
pub use event::Event;
pub use tags::{DepRel, Upos, Xpos};
