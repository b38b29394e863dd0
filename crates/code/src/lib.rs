//! Event coding: from a parsed sentence and its actor mentions to CAMEO/PLOVER
//! events with provenance.
//!
//! ```text
//! Doc (tokens, lemmas, dependency parse) + actor mentions (dyad-actors)
//!   ─▶ triggers: verbs and event nouns found in the verb dictionary (`verbs`)
//!   ─▶ pattern: the most specific dictionary pattern matching the words of the
//!      trigger's phrase, else the trigger's default code
//!   ─▶ roles: source and target from the parse (subject/object, passive agent,
//!      xcomp controllers, possessors of event nouns, prepositional arguments)
//!   ─▶ modality: negation, modal auxiliaries, "plans to", "threatened to",
//!      "agreed to" (which turn the code into a threat or an intent)
//!   ─▶ Event { cameo, root, quad_class, goldstein, plover, provenance }  (`cameo`)
//! ```
//!
//! Why patterns over the dependency parse rather than over word order (as TABARI
//! and PETRARCH did): the parse gives the roles directly ("was attacked by",
//! "X said Y attacked Z", "Russia and China" as one subject), so the dictionary
//! only has to say *which words* select a code, and the same PETRARCH-style
//! dictionary lines keep working. Every decision is recorded: each event carries
//! the pattern and dictionary line that fired and the named rules applied, and
//! [`Coder::explain`] also reports the candidates that were rejected and why.

pub mod cameo;
pub mod coder;
pub mod eval;
pub mod explain;
pub mod verbs;

pub use cameo::{CameoCode, CameoTable};
pub use coder::{Candidate, Coder, CoderOptions, Discard, Mention, Outcome};
pub use verbs::{CodeSpec, VerbDict};
