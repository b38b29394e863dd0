//! Reading documents: plain text, JSON Lines, CoNLL-U and stdin, streaming, with
//! diagnostics that name the file and line.
//!
//! # Design
//!
//! A [`Reader`] is an iterator of [`Input`]s over a list of paths (`-` is stdin,
//! a directory stands for its files, recursively, sorted by name), read in order. Researchers point Dyad at corpora that are large, old and dirty,
//! so three rules shape it:
//!
//! * **Streaming.** JSON Lines and CoNLL-U are read line by line into one reused
//!   buffer; a text file is one document and is read up to the size limit only.
//!   Memory is bounded by the largest record, itself bounded by
//!   [`Options::max_doc_bytes`] (10 MB by default): a bigger document is skipped
//!   with a warning, never truncated, since a silently cut text would produce
//!   events from half a story.
//! * **Bad input never stops the run.** Every problem becomes a [`Diagnostic`]
//!   naming file, line and reason, and reading goes on with the next record. A
//!   record is *skipped* when nothing sensible can be made of it (malformed JSON,
//!   no text, wrong types, binary data, too large) and *kept with a warning* when it
//!   can be repaired without guessing at content: a missing id becomes
//!   `file-stem:line`, an unknown date format is kept as given, and invalid UTF-8
//!   is replaced by U+FFFD (legacy-encoded news is still worth coding; the
//!   replaced bytes are reported, and offsets stay consistent because they point
//!   into the repaired text).
//! * **Counted.** The [`Summary`] has documents read, skipped and warned about,
//!   per [`Reason`], for the end-of-run report.
//!
//! Formats are chosen by extension (`.jsonl`, `.ndjson`, `.json` → JSON Lines;
//! `.conllu` → CoNLL-U; anything else → text) unless [`Options::format`] forces
//! one; stdin is sniffed from its first bytes. JSON Lines records are
//! `{"id", "date", "text"}` plus optional `title`, `source`, `url` (numeric ids are
//! accepted, unknown fields ignored). Dates are normalised to `YYYY-MM-DD` when
//! recognised ([`date::normalize`]).

pub mod conllu;
pub mod date;
pub mod diag;
pub mod jsonl;
pub mod reader;

pub use diag::{Diagnostic, Reason, Severity, Summary};
pub use reader::Reader;

use dyad_doc::{Doc, Document};
use std::path::Path;

/// Default for [`Options::max_doc_bytes`]: 10 MB, far above any news story.
pub const DEFAULT_MAX_DOC_BYTES: usize = 10 * 1024 * 1024;

/// Input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One document per file.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// Pre-tokenized CoNLL-U, `# newdoc id` grouping sentences into documents.
    Conllu,
}

impl Format {
    /// The format a file's extension implies.
    pub fn from_path(path: &Path) -> Format {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("jsonl" | "ndjson" | "json") => Format::Jsonl,
            Some("conllu" | "conll") => Format::Conllu,
            _ => Format::Text,
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "text" | "txt" => Ok(Format::Text),
            "jsonl" | "json" | "ndjson" => Ok(Format::Jsonl),
            "conllu" => Ok(Format::Conllu),
            _ => Err(format!(
                "unknown input format {s:?} (expected text, jsonl or conllu)"
            )),
        }
    }
}

/// How to read.
#[derive(Clone, Debug)]
pub struct Options {
    /// Force a format instead of going by file extension.
    pub format: Option<Format>,
    /// Date for documents that have none (all text files; JSON records without `date`).
    pub date: Option<String>,
    /// Documents larger than this many bytes of text are skipped with a warning.
    pub max_doc_bytes: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            format: None,
            date: None,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
        }
    }
}

/// One document as read: raw text to be segmented, or gold-tokenized CoNLL-U.
#[derive(Clone, Debug)]
pub enum Input {
    Document(Document),
    /// Pre-tokenized: `start`, `end`, `space_after` and `sentences` are filled and
    /// must not be re-segmented.
    Tokenized(Box<Doc>),
}

impl Input {
    pub fn id(&self) -> &str {
        match self {
            Input::Document(d) => &d.id,
            Input::Tokenized(d) => &d.id,
        }
    }

    /// The raw document, for stages that start from text. For CoNLL-U input this is
    /// the text rebuilt from the gold tokens.
    pub fn into_document(self) -> Document {
        match self {
            Input::Document(d) => d,
            Input::Tokenized(d) => Document {
                id: d.id,
                date: d.date,
                text: d.text,
                title: d.title,
                source: d.source,
                url: d.url,
            },
        }
    }
}
