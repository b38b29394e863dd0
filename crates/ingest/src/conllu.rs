//! Pre-tokenized CoNLL-U input, grouped into documents.
//!
//! `# newdoc id = X` starts document `X`; its sentences are collected until the
//! next `# newdoc` or the end of the input. A file without `# newdoc` lines has no
//! document structure, so each sentence is a document of its own (named by its
//! `# sent_id`). The gold tokens are kept exactly: the document text is their forms
//! joined as `SpaceAfter` says, sentences separated by a line break (a blank line
//! at `# newpar`), and nothing is re-segmented. Only tokenization is taken from
//! the file; annotation columns are left for the tagger and parser to fill, so
//! output can be scored against the same file. Multi-word token lines (`3-4`) and
//! empty nodes (`5.1`) are skipped: Dyad works on syntactic words.

use crate::diag::Reason;
use dyad_doc::{Doc, SentenceSpan};

/// What the reader knows about the current line.
pub struct Context<'a> {
    pub stem: &'a str,
    /// 1-based number of the line being fed.
    pub line: u64,
    pub date: Option<&'a str>,
    pub max_doc_bytes: usize,
}

/// A problem at a line.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub reason: Reason,
    pub message: String,
    pub skip: bool,
}

/// The result of feeding one line: maybe a finished document, maybe problems.
#[derive(Debug, Default)]
pub struct Step {
    pub doc: Option<Doc>,
    pub problems: Vec<Problem>,
}

/// Parser state for one input.
#[derive(Default)]
pub struct State {
    doc: Option<Doc>,
    doc_line: u64,
    next_id: Option<String>,
    grouped: bool,
    sent_id: Option<String>,
    /// The current sentence: its forms live in `forms` back to back.
    forms: String,
    words: Vec<(u32, u32, bool)>,
    sent_line: u64,
    broken: bool,
    too_big: bool,
    newpar: bool,
    docs: u64,
}

impl State {
    /// Feeds one line (`None` at the end of the input).
    pub fn feed(&mut self, line: Option<&str>, ctx: &Context) -> Step {
        let mut step = Step::default();
        let Some(line) = line else {
            self.end_sentence(ctx, &mut step);
            step.doc = self.end_doc();
            return step;
        };
        let line = line.trim_end_matches(['\r', '\n']);
        if let Some(comment) = line.strip_prefix('#') {
            let c = comment.trim();
            if let Some(rest) = c.strip_prefix("newdoc") {
                self.end_sentence(ctx, &mut step);
                step.doc = self.end_doc();
                self.grouped = true;
                let id = rest
                    .trim_start()
                    .strip_prefix("id")
                    .map(|r| r.trim_start().trim_start_matches('=').trim());
                self.next_id = id.filter(|i| !i.is_empty()).map(str::to_string);
                self.doc_line = ctx.line;
            } else if c.starts_with("newpar") {
                self.newpar = true;
            } else if let Some(id) = c.strip_prefix("sent_id") {
                self.sent_id = Some(id.trim_start().trim_start_matches('=').trim().to_string());
            }
            return step;
        }
        if line.trim().is_empty() {
            self.end_sentence(ctx, &mut step);
            if !self.grouped {
                step.doc = self.end_doc();
            }
            return step;
        }
        if self.broken || self.too_big {
            return step;
        }
        if self.words.is_empty() {
            self.sent_line = ctx.line;
        }
        if let Err(message) = self.push_word(line) {
            step.problems.push(Problem {
                line: ctx.line,
                reason: Reason::MalformedConllu,
                message: format!("{message}; sentence skipped"),
                skip: false,
            });
            self.broken = true;
        }
        step
    }

    fn push_word(&mut self, line: &str) -> Result<(), String> {
        let mut cols = line.split('\t');
        let id = cols.next().unwrap_or("");
        let form = cols.next().unwrap_or("");
        let rest: Vec<&str> = cols.collect();
        if rest.len() != 8 {
            return Err(format!(
                "expected 10 tab-separated columns, found {}",
                rest.len() + 2
            ));
        }
        if id.contains(['-', '.']) {
            return Ok(());
        }
        let n: usize = id.parse().map_err(|_| format!("bad ID {id:?}"))?;
        if n != self.words.len() + 1 {
            return Err(format!("ID {n} out of sequence"));
        }
        if form.is_empty() {
            return Err("empty FORM".into());
        }
        let space = !rest[7].split('|').any(|m| m == "SpaceAfter=No");
        let s = self.forms.len() as u32;
        self.forms.push_str(form);
        self.words.push((s, self.forms.len() as u32, space));
        Ok(())
    }

    fn end_sentence(&mut self, ctx: &Context, step: &mut Step) {
        let broken = std::mem::take(&mut self.broken);
        let sent_id = self.sent_id.take();
        if broken || self.words.is_empty() || self.too_big {
            self.forms.clear();
            self.words.clear();
            return;
        }
        let docs = &mut self.docs;
        let next_id = &mut self.next_id;
        let doc = self.doc.get_or_insert_with(|| {
            *docs += 1;
            let id = next_id
                .take()
                .or_else(|| sent_id.clone())
                .unwrap_or_else(|| format!("{}-{docs}", ctx.stem));
            Doc {
                id,
                date: ctx.date.map(str::to_string),
                ..Doc::default()
            }
        });
        if !self.grouped {
            self.doc_line = self.sent_line;
        }
        if !doc.text.is_empty() {
            doc.text.push_str(if self.newpar { "\n\n" } else { "\n" });
        }
        self.newpar = false;
        let first = doc.len() as u32;
        let start = doc.text.len() as u32;
        let last = self.words.len() - 1;
        for (k, &(a, b, space)) in self.words.iter().enumerate() {
            let s = doc.text.len();
            doc.text.push_str(&self.forms[a as usize..b as usize]);
            doc.push_token(s, doc.text.len(), space);
            if space && k < last {
                doc.text.push(' ');
            }
        }
        doc.sentences.push(SentenceSpan {
            first_token: first,
            end_token: doc.len() as u32,
            start,
            end: doc.text.len() as u32,
        });
        self.forms.clear();
        self.words.clear();
        if doc.text.len() > ctx.max_doc_bytes {
            self.too_big = true;
            step.problems.push(Problem {
                line: self.doc_line.max(1),
                reason: Reason::TooLarge,
                message: format!(
                    "document {:?} is over the {}-byte limit (--max-doc-bytes)",
                    doc.id, ctx.max_doc_bytes
                ),
                skip: true,
            });
            self.doc = None;
        }
    }

    fn end_doc(&mut self) -> Option<Doc> {
        self.too_big = false;
        self.newpar = false;
        self.doc.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, max: usize) -> (Vec<Doc>, Vec<Problem>) {
        let mut st = State::default();
        let (mut docs, mut problems) = (Vec::new(), Vec::new());
        let lines: Vec<&str> = text.lines().collect();
        for k in 0..=lines.len() {
            let ctx = Context {
                stem: "f",
                line: k as u64 + 1,
                date: Some("2024-01-01"),
                max_doc_bytes: max,
            };
            let step = st.feed(lines.get(k).copied(), &ctx);
            docs.extend(step.doc);
            problems.extend(step.problems);
        }
        (docs, problems)
    }

    const TWO_DOCS: &str = "# newdoc id = a\n# sent_id = a-1\n1\tRussia\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n2\t's\t_\t_\t_\t_\t_\t_\t_\t_\n3\tarmy\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n4\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n1\tIt\t_\t_\t_\t_\t_\t_\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n3\tn't\t_\t_\t_\t_\t_\t_\t_\t_\n4\tgo\t_\t_\t_\t_\t_\t_\t_\t_\n\n# newdoc id = b\n1\tB\t_\t_\t_\t_\t_\t_\t_\t_\n\n";

    #[test]
    fn groups_sentences_by_newdoc_and_keeps_gold_tokens() {
        let (docs, problems) = run(TWO_DOCS, 1000);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(docs.len(), 2);
        let a = &docs[0];
        assert_eq!(a.id, "a");
        assert_eq!(a.date.as_deref(), Some("2024-01-01"));
        assert_eq!(a.text, "Russia's army.\nIt don't go");
        a.validate().unwrap();
        let forms: Vec<&str> = (0..a.len()).map(|i| a.form(i)).collect();
        assert_eq!(
            forms,
            ["Russia", "'s", "army", ".", "It", "do", "n't", "go"]
        );
        assert_eq!(a.sentences.len(), 2);
        assert_eq!(a.sentence_text(1), "It don't go");
        assert_eq!(docs[1].id, "b");
    }

    #[test]
    fn without_newdoc_every_sentence_is_a_document() {
        let text = "# sent_id = s1\n1\tA\t_\t_\t_\t_\t_\t_\t_\t_\n\n1\tB\t_\t_\t_\t_\t_\t_\t_\t_\n";
        let (docs, _) = run(text, 1000);
        assert_eq!(
            docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["s1", "f-2"]
        );
    }

    #[test]
    fn malformed_lines_skip_their_sentence_only() {
        let text = "# newdoc id = a\n1\tA\t_\n\n1\tB\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
        let (docs, problems) = run(text, 1000);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 2);
        assert_eq!(problems[0].reason, Reason::MalformedConllu);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "B");
    }

    #[test]
    fn oversized_documents_are_skipped() {
        let (docs, problems) = run(TWO_DOCS, 12);
        assert_eq!(
            docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].reason, Reason::TooLarge);
        assert_eq!(problems[0].line, 1);
    }
}
