//! `dyad parse`: read documents, segment them (unless the input is pre-tokenized
//! CoNLL-U), tag, lemmatize and parse them, and write CoNLL-U or JSON.
//!
//! Output is formatted on the worker threads (each result is a finished chunk of
//! bytes), so the single writer only copies bytes and the run scales with
//! `--threads`. Output order is input order.

use crate::Global;
use crate::pipeline::{self, Progress};
use anyhow::Context;
use dyad_doc::{Doc, NO_HEAD};
use dyad_ingest::{Format, Input, Options, Reader};
use dyad_nlp::Model;
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum InputFormat {
    /// One document per file (the file stem is its id).
    Text,
    /// One JSON object per line: {"id", "date", "text", "title"?, "source"?, "url"?}.
    Jsonl,
    /// Pre-tokenized CoNLL-U; `# newdoc id` starts a document; tokens are kept.
    Conllu,
}

impl From<InputFormat> for Format {
    fn from(f: InputFormat) -> Format {
        match f {
            InputFormat::Text => Format::Text,
            InputFormat::Jsonl => Format::Jsonl,
            InputFormat::Conllu => Format::Conllu,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// CoNLL-U with `# newdoc id`, `# sent_id`, `# text`, and `TokenRange=start:end`
    /// byte offsets in MISC.
    Conllu,
    /// One JSON object per document per line: id, date, sentences with tokens.
    Json,
}

/// Exit status: 0 when the run completed (skipped documents are reported as
/// warnings), 1 with `--strict` when any document was skipped or failed, 2 on an
/// error that stopped the run (unreadable model, unwritable output, bad option).
#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 done (problems in the input are warnings), \
1 with --strict if any document was skipped, 2 on an error that stopped the run."
)]
pub struct Args {
    /// Input files or directories (read file by file, sorted); `-` reads stdin.
    /// Format by extension: .jsonl/.ndjson/.json are JSON Lines, .conllu is
    /// CoNLL-U, anything else is one text document per file.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Force the input format instead of going by extension.
    #[arg(long, value_enum)]
    input: Option<InputFormat>,
    /// Output format.
    #[arg(long, value_enum, default_value = "conllu")]
    output: OutputFormat,
    /// Write to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    doc: pipeline::DocumentArgs,
    /// Only split sentences and tokens: no tagging, lemmas or parsing.
    #[arg(long)]
    segment_only: bool,
    /// Exit with status 1 if any document was skipped or failed.
    #[arg(long)]
    strict: bool,
}

/// One processed document: its output bytes and counts.
struct Parsed {
    bytes: Vec<u8>,
    sentences: u64,
    tokens: u64,
}

pub fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let date = a.doc.date()?;
    let loaded;
    let model: Option<&Model> = match (&a.doc.model, a.segment_only) {
        (_, true) => None,
        (Some(path), false) => {
            loaded = Model::load(path)?;
            Some(&loaded)
        }
        (None, false) => Some(crate::engine::builtin_model(a.doc.accurate)),
    };
    let mut out: Box<dyn Write> = match &a.out {
        Some(path) => Box::new(BufWriter::with_capacity(
            1 << 16,
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
    };

    let progress = Progress::new(g, "documents");
    let opts = Options {
        format: a.input.map(Format::from),
        date,
        max_doc_bytes: a.doc.max_doc_bytes,
    };
    let mut reader = Reader::new(a.inputs.iter().cloned(), opts)
        .with_diagnostics(pipeline::diagnostics_printer(&progress, 20));
    let (mut sentences, mut tokens) = (0u64, 0u64);
    let output = a.output;
    let result = pipeline::run(
        &progress,
        &mut reader,
        |input| {
            let mut doc = match input {
                Input::Document(d) => {
                    let mut doc = Doc::from_document(d);
                    dyad_text::segment(&mut doc);
                    doc
                }
                Input::Tokenized(doc) => *doc,
            };
            if let Some(m) = model {
                m.annotate(&mut doc);
            }
            let mut bytes = Vec::with_capacity(doc.text.len() * 4 + 256);
            match output {
                OutputFormat::Conllu => dyad_doc::conllu::write_doc(&mut bytes, &doc),
                OutputFormat::Json => write_json(&mut bytes, &doc),
            }
            .expect("writing to memory cannot fail");
            Parsed {
                bytes,
                sentences: doc.sentences.len() as u64,
                tokens: doc.len() as u64,
            }
        },
        |p| {
            sentences += p.sentences;
            tokens += p.tokens;
            out.write_all(&p.bytes)?;
            Ok(())
        },
    );
    let stats = match result.and_then(|s| out.flush().map(|()| s).map_err(Into::into)) {
        Ok(s) => s,
        // `dyad parse ... | head` closes the pipe early: that is not an error.
        Err(e) if pipeline::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e),
    };
    let summary = reader.summary();
    let secs = stats.elapsed.as_secs_f64().max(1e-9);
    let failed = match stats.failed.len() {
        0 => String::new(),
        n => format!(", {n} failed"),
    };
    progress.summary(&format!(
        "dyad parse: {summary}{failed}; {sentences} sentences, {tokens} tokens in {secs:.2} s \
         ({:.0} documents/s, {:.0} tokens/s)",
        summary.read as f64 / secs,
        tokens as f64 / secs,
    ));
    Ok(pipeline::exit_code(a.strict, summary, &stats))
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    sentences: Vec<JsonSentence<'a>>,
}

#[derive(Serialize)]
struct JsonSentence<'a> {
    /// 1-based, as in `# sent_id = DOC-N`.
    id: usize,
    text: &'a str,
    start: u32,
    end: u32,
    tokens: Vec<JsonToken<'a>>,
}

/// One token; `head` is 1-based within the sentence with 0 for the root, as in
/// CoNLL-U; annotation fields are absent when not computed (`--segment-only`).
#[derive(Serialize)]
struct JsonToken<'a> {
    id: usize,
    text: &'a str,
    start: u32,
    end: u32,
    space_after: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    upos: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    xpos: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lemma: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    head: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deprel: Option<&'static str>,
}

fn write_json(out: &mut Vec<u8>, doc: &Doc) -> std::io::Result<()> {
    let sentences = doc
        .sentences
        .iter()
        .enumerate()
        .map(|(k, sp)| {
            let first = sp.first_token;
            JsonSentence {
                id: k + 1,
                text: doc.sentence_text(k),
                start: sp.start,
                end: sp.end,
                tokens: sp
                    .tokens()
                    .map(|i| JsonToken {
                        id: i - first as usize + 1,
                        text: doc.form(i),
                        start: doc.start[i],
                        end: doc.end[i],
                        space_after: doc.space_after[i],
                        upos: doc.upos.get(i).map(|u| u.as_str()),
                        xpos: doc.xpos.get(i).map(|x| x.as_str()),
                        lemma: (!doc.lemma_span.is_empty()).then(|| doc.lemma(i)),
                        head: doc
                            .head
                            .get(i)
                            .map(|&h| if h == NO_HEAD { 0 } else { h - first + 1 }),
                        deprel: doc.deprel.get(i).map(|r| r.as_str()),
                    })
                    .collect(),
            }
        })
        .collect();
    let j = JsonDoc {
        id: &doc.id,
        date: doc.date.as_deref(),
        title: doc.title.as_deref(),
        sentences,
    };
    serde_json::to_writer(&mut *out, &j)?;
    out.push(b'\n');
    Ok(())
}
