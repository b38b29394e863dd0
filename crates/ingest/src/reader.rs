//! The streaming reader: inputs in order, one record at a time.

use crate::diag::{Diagnostic, Reason, Severity, Summary};
use crate::{Format, Input, Options, conllu, jsonl};
use dyad_doc::Document;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The UTF-8 byte-order mark some Windows tools put at the start of a file.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Callback receiving every diagnostic as it happens.
pub type OnDiagnostic = Box<dyn FnMut(&Diagnostic) + Send>;

/// Reads documents from files and stdin, streaming, reporting problems as it goes.
///
/// An iterator of [`Input`]: documents come out in input order; problems never
/// stop it. Each [`Diagnostic`] goes to the callback given to
/// [`Reader::with_diagnostics`] (by default they are only counted) and into the
/// [`Summary`]. Memory is bounded by the largest single record (itself bounded by
/// [`Options::max_doc_bytes`]), whatever the total input size.
pub struct Reader {
    inputs: VecDeque<PathBuf>,
    opts: Options,
    current: Option<Current>,
    summary: Summary,
    on_diagnostic: OnDiagnostic,
    buf: Vec<u8>,
}

/// The input being read.
struct Current {
    /// As given (`-` is shown as `<stdin>`).
    name: String,
    /// File stem, for documents named after their file.
    stem: String,
    format: Format,
    input: Box<dyn BufRead + Send>,
    /// Lines read so far (the current line's number once one is read).
    line: u64,
    conllu: conllu::State,
}

impl Reader {
    /// A reader over `paths` (`-` is stdin), read in order.
    pub fn new(paths: impl IntoIterator<Item = impl Into<PathBuf>>, opts: Options) -> Reader {
        Reader {
            inputs: paths.into_iter().map(Into::into).collect(),
            opts,
            current: None,
            summary: Summary::default(),
            on_diagnostic: Box::new(|_| {}),
            buf: Vec::new(),
        }
    }

    /// Sends every diagnostic to `f` as well (print it, log it, collect it).
    pub fn with_diagnostics(mut self, f: impl FnMut(&Diagnostic) + Send + 'static) -> Reader {
        self.on_diagnostic = Box::new(f);
        self
    }

    /// Counts so far; complete once the iterator has returned `None`.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    fn report(
        &mut self,
        file: &str,
        line: Option<u64>,
        severity: Severity,
        reason: Reason,
        message: String,
    ) {
        let d = Diagnostic {
            file: file.to_string(),
            line,
            severity,
            reason,
            message,
        };
        self.summary.count(&d);
        (self.on_diagnostic)(&d);
    }

    /// Opens the next input; `false` when there is none left.
    fn open_next(&mut self) -> bool {
        while let Some(path) = self.inputs.pop_front() {
            let stdin = path.as_os_str() == "-";
            let name = if stdin {
                "<stdin>".to_string()
            } else {
                path.display().to_string()
            };
            if !stdin && path.is_dir() {
                match list_dir(&path) {
                    Ok(files) => {
                        for f in files.into_iter().rev() {
                            self.inputs.push_front(f);
                        }
                    }
                    Err(e) => self.report(
                        &name,
                        None,
                        Severity::Skipped,
                        Reason::Unreadable,
                        e.to_string(),
                    ),
                }
                continue;
            }
            let opened: io::Result<Box<dyn BufRead + Send>> = if stdin {
                Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())))
            } else {
                File::open(&path).map(|f| Box::new(BufReader::with_capacity(1 << 16, f)) as _)
            };
            let mut input = match opened {
                Ok(i) => i,
                Err(e) => {
                    self.report(
                        &name,
                        None,
                        Severity::Skipped,
                        Reason::Unreadable,
                        e.to_string(),
                    );
                    continue;
                }
            };
            let format = match self.opts.format {
                Some(f) => f,
                None if stdin => sniff(&mut input),
                None => Format::from_path(&path),
            };
            self.summary.files += 1;
            self.current = Some(Current {
                name,
                stem: stem(&path, stdin),
                format,
                input,
                line: 0,
                conllu: conllu::State::default(),
            });
            return true;
        }
        false
    }

    fn next_text(&mut self) -> Option<Input> {
        let mut cur = self.current.take()?;
        let limit = self.opts.max_doc_bytes;
        self.buf.clear();
        let read = (&mut cur.input)
            .take(limit as u64 + 1)
            .read_to_end(&mut self.buf);
        let name = cur.name.clone();
        if let Err(e) = read {
            self.report(
                &name,
                None,
                Severity::Skipped,
                Reason::Unreadable,
                e.to_string(),
            );
            return None;
        }
        self.summary.bytes += self.buf.len() as u64;
        if self.buf.len() > limit {
            self.report(
                &name,
                None,
                Severity::Skipped,
                Reason::TooLarge,
                format!("over the {limit}-byte limit (--max-doc-bytes)"),
            );
            return None;
        }
        if let Some(at) = memchr::memchr(0, &self.buf) {
            let line = line_of(&self.buf, at);
            self.report(
                &name,
                Some(line),
                Severity::Skipped,
                Reason::Binary,
                format!("NUL byte at offset {at}: not a text file"),
            );
            return None;
        }
        let text = match String::from_utf8(std::mem::take(&mut self.buf)) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let line = line_of(&bytes, at);
                self.report(
                    &name,
                    Some(line),
                    Severity::Warning,
                    Reason::InvalidUtf8,
                    format!("invalid UTF-8 at byte {at}; replaced with U+FFFD"),
                );
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        // A byte-order mark is an encoding marker, not text.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        if text.trim().is_empty() {
            self.report(
                &name,
                None,
                Severity::Skipped,
                Reason::EmptyText,
                "the file has no text".into(),
            );
            return None;
        }
        self.summary.read += 1;
        Some(Input::Document(Document {
            id: cur.stem,
            date: self.opts.date.clone(),
            text,
            ..Document::default()
        }))
    }

    /// Reads the next line of the current input into `self.buf` (without its line
    /// break), keeping at most `limit` bytes. Returns `None` at the end, else the
    /// line's full length.
    fn read_line(&mut self, limit: usize) -> Option<io::Result<usize>> {
        let cur = self.current.as_mut()?;
        self.buf.clear();
        let mut total = 0usize;
        let mut any = false;
        loop {
            let avail = match cur.input.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if avail.is_empty() {
                break;
            }
            any = true;
            let (part, used, done) = match memchr::memchr(b'\n', avail) {
                Some(i) => (&avail[..i], i + 1, true),
                None => (avail, avail.len(), false),
            };
            total += part.len();
            if total <= limit {
                self.buf.extend_from_slice(part);
            }
            cur.input.consume(used);
            self.summary.bytes += used as u64;
            if done {
                break;
            }
        }
        if !any {
            return None;
        }
        cur.line += 1;
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
            total -= 1;
        }
        Some(Ok(total))
    }

    fn next_jsonl(&mut self) -> Option<Input> {
        let max = self.opts.max_doc_bytes;
        // JSON escapes make a line longer than its text; this bound keeps memory
        // flat, and the exact text-size check happens after parsing.
        let line_limit = max.saturating_mul(2).saturating_add(1 << 16);
        loop {
            let total = match self.read_line(line_limit)? {
                Ok(n) => n,
                Err(e) => {
                    let cur = self.current.take()?;
                    self.report(
                        &cur.name,
                        Some(cur.line + 1),
                        Severity::Skipped,
                        Reason::Unreadable,
                        e.to_string(),
                    );
                    return None;
                }
            };
            let cur = self.current.as_ref()?;
            let (name, line) = (cur.name.clone(), cur.line);
            if total > line_limit {
                self.report(
                    &name,
                    Some(line),
                    Severity::Skipped,
                    Reason::TooLarge,
                    format!("line is {total} bytes, over the limit for a {max}-byte document (--max-doc-bytes)"),
                );
                continue;
            }
            if line == 1 && self.buf.starts_with(BOM) {
                self.buf.drain(..BOM.len());
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if line == 1 && self.buf.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
                self.report(
                    &name,
                    Some(line),
                    Severity::Skipped,
                    Reason::MalformedJson,
                    "this is a JSON array, not JSON Lines: write one object per line".into(),
                );
                self.current = None;
                return None;
            }
            if let Some(at) = memchr::memchr(0, &self.buf) {
                self.report(
                    &name,
                    Some(line),
                    Severity::Skipped,
                    Reason::Binary,
                    format!("NUL byte at column {}", at + 1),
                );
                continue;
            }
            if let Err(e) = std::str::from_utf8(&self.buf) {
                let msg = format!(
                    "invalid UTF-8 at column {}; replaced with U+FFFD",
                    e.valid_up_to() + 1
                );
                self.report(
                    &name,
                    Some(line),
                    Severity::Warning,
                    Reason::InvalidUtf8,
                    msg,
                );
            }
            let fallback = format!("{}:{line}", self.current.as_ref()?.stem);
            let parsed = {
                let text = String::from_utf8_lossy(&self.buf);
                jsonl::parse_line(&text, &fallback, self.opts.date.as_deref(), max)
            };
            match parsed {
                Ok((doc, warnings)) => {
                    for w in warnings {
                        self.report(&name, Some(line), Severity::Warning, w.reason, w.message);
                    }
                    self.summary.read += 1;
                    return Some(Input::Document(doc));
                }
                Err(p) => self.report(&name, Some(line), Severity::Skipped, p.reason, p.message),
            }
        }
    }

    fn next_conllu(&mut self) -> Option<Input> {
        let max = self.opts.max_doc_bytes;
        loop {
            let read = self.read_line(max.saturating_add(1 << 16));
            let at_end = match read {
                None => true,
                Some(Ok(_)) => false,
                Some(Err(e)) => {
                    let cur = self.current.take()?;
                    self.report(
                        &cur.name,
                        Some(cur.line + 1),
                        Severity::Skipped,
                        Reason::Unreadable,
                        e.to_string(),
                    );
                    return None;
                }
            };
            let cur = self.current.as_mut()?;
            let ctx = conllu::Context {
                stem: &cur.stem,
                line: cur.line,
                date: self.opts.date.as_deref(),
                max_doc_bytes: max,
            };
            let step = if at_end {
                cur.conllu.feed(None, &ctx)
            } else {
                cur.conllu
                    .feed(Some(&String::from_utf8_lossy(&self.buf)), &ctx)
            };
            let name = cur.name.clone();
            for p in step.problems {
                let severity = if p.skip {
                    Severity::Skipped
                } else {
                    Severity::Warning
                };
                self.report(&name, Some(p.line), severity, p.reason, p.message);
            }
            if let Some(doc) = step.doc {
                self.summary.read += 1;
                return Some(Input::Tokenized(Box::new(doc)));
            }
            if at_end {
                self.current = None;
                return None;
            }
        }
    }
}

impl Iterator for Reader {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if self.current.is_none() && !self.open_next() {
                return None;
            }
            let format = self.current.as_ref()?.format;
            let item = match format {
                Format::Text => self.next_text(),
                Format::Jsonl => self.next_jsonl(),
                Format::Conllu => self.next_conllu(),
            };
            if item.is_some() {
                return item;
            }
            // The input is exhausted (or unreadable): go on with the next one.
            self.current = None;
        }
    }
}

/// Guesses the format of stdin from its first bytes: `{` is JSON Lines, a
/// CoNLL-U comment or token line is CoNLL-U, anything else is one text document.
fn sniff(input: &mut Box<dyn BufRead + Send>) -> Format {
    let Ok(head) = input.fill_buf() else {
        return Format::Text;
    };
    let head = head.strip_prefix(BOM).unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    let first_line = &head[..memchr::memchr(b'\n', head).unwrap_or(head.len())];
    if head.first() == Some(&b'{') {
        Format::Jsonl
    } else if first_line.starts_with(b"# newdoc")
        || first_line.starts_with(b"# sent_id")
        || first_line.starts_with(b"# text")
        || (first_line.first().is_some_and(u8::is_ascii_digit)
            && first_line.iter().filter(|&&b| b == b'\t').count() == 9)
    {
        Format::Conllu
    } else {
        Format::Text
    }
}

/// The files and subdirectories of `dir`, sorted by name so runs are reproducible;
/// hidden entries (`.git`, `.DS_Store`) are left out.
fn list_dir(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if !hidden {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn stem(path: &Path, stdin: bool) -> String {
    if stdin {
        return "stdin".into();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// 1-based line number of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> u64 {
    memchr::memchr_iter(b'\n', &bytes[..at.min(bytes.len())]).count() as u64 + 1
}
