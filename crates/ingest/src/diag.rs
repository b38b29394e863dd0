//! Diagnostics and the end-of-run summary.

use std::collections::BTreeMap;
use std::fmt;

/// Why a document was skipped, or what a warning is about. The summary counts
/// per reason, so these are few and stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// A file or stdin could not be opened or read.
    Unreadable,
    /// The line is not valid JSON, or not a JSON object.
    MalformedJson,
    /// A CoNLL-U line does not have the expected columns.
    MalformedConllu,
    /// A field has the wrong JSON type (`"text": 5`).
    WrongType,
    /// No `text` field.
    MissingText,
    /// `text` is empty or only whitespace.
    EmptyText,
    /// No usable `id` (the document is kept under a made-up id).
    MissingId,
    /// Bigger than `--max-doc-bytes`.
    TooLarge,
    /// NUL bytes: binary data, not text.
    Binary,
    /// Invalid UTF-8, replaced by U+FFFD (the document is kept).
    InvalidUtf8,
    /// A date in an unknown format, kept as given.
    UnknownDate,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Unreadable => "unreadable input",
            Reason::MalformedJson => "malformed JSON",
            Reason::MalformedConllu => "malformed CoNLL-U",
            Reason::WrongType => "wrong field type",
            Reason::MissingText => "missing text",
            Reason::EmptyText => "empty text",
            Reason::MissingId => "missing id",
            Reason::TooLarge => "too large",
            Reason::Binary => "binary data",
            Reason::InvalidUtf8 => "invalid UTF-8",
            Reason::UnknownDate => "unknown date format",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether the document was dropped or kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Kept, possibly repaired (made-up id, replaced bytes, date kept as given).
    Warning,
    /// Dropped; the rest of the input goes on.
    Skipped,
}

/// One problem in the input, naming where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// File path as given on the command line, or `<stdin>`.
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<u64>,
    pub severity: Severity,
    pub reason: Reason,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    /// `data/news.jsonl:17: skipped: malformed JSON: expected `,` or `}` at column 40`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        let what = match self.severity {
            Severity::Warning => "warning",
            Severity::Skipped => "skipped",
        };
        write!(f, ": {what}: {}: {}", self.reason, self.message)
    }
}

/// What a reader did: documents yielded, skipped and warned about, per reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: u64,
    pub bytes: u64,
    /// Documents handed on.
    pub read: u64,
    pub skipped: BTreeMap<Reason, u64>,
    pub warnings: BTreeMap<Reason, u64>,
}

impl Summary {
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    pub fn warnings_total(&self) -> u64 {
        self.warnings.values().sum()
    }

    pub(crate) fn count(&mut self, d: &Diagnostic) {
        let map = match d.severity {
            Severity::Warning => &mut self.warnings,
            Severity::Skipped => &mut self.skipped,
        };
        *map.entry(d.reason).or_default() += 1;
    }
}

fn breakdown(f: &mut fmt::Formatter<'_>, map: &BTreeMap<Reason, u64>) -> fmt::Result {
    if map.is_empty() {
        return Ok(());
    }
    f.write_str(" (")?;
    for (k, (r, n)) in map.iter().enumerate() {
        if k > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{n} {r}")?;
    }
    f.write_str(")")
}

impl fmt::Display for Summary {
    /// `29656 documents read from 1 file (41.8 MB), 2 skipped (1 malformed JSON, 1 empty text), 0 warnings`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural =
            |n: u64, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        write!(
            f,
            "{} {} read from {} {} ({:.1} MB), {} skipped",
            self.read,
            plural(self.read, "document", "documents"),
            self.files,
            plural(self.files, "input", "inputs"),
            self.bytes as f64 / 1e6,
            self.skipped_total()
        )?;
        breakdown(f, &self.skipped)?;
        let w = self.warnings_total();
        write!(f, ", {w} {}", plural(w, "warning", "warnings"))?;
        breakdown(f, &self.warnings)
    }
}
