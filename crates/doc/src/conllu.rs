//! Reading and writing CoNLL-U (<https://universaldependencies.org/format.html>).
//!
//! Reading builds one [`Doc`] per sentence group: token text is rebuilt from the
//! FORM column joined by single spaces (or none where `SpaceAfter=No`), so gold
//! tokenization is kept exactly and offsets stay meaningful. Multi-word token
//! lines (`3-4`) and empty nodes (`5.1`) are skipped: Dyad works on syntactic words.

use crate::doc::{Doc, NO_HEAD, SentenceSpan};
use crate::tags::{DepRel, Upos, Xpos};
use std::io::{self, BufRead, Write};

#[derive(Debug, thiserror::Error)]
pub enum ConlluError {
    #[error("line {line}: {msg}")]
    Malformed { line: usize, msg: String },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// One gold sentence as read (syntactic words only).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sentence {
    pub sent_id: Option<String>,
    pub text: Option<String>,
    pub form: Vec<String>,
    pub lemma: Vec<String>,
    pub upos: Vec<Upos>,
    pub xpos: Vec<Xpos>,
    /// 0 = root, else 1-based index.
    pub head: Vec<u32>,
    pub deprel: Vec<DepRel>,
    pub space_after: Vec<bool>,
}

impl Sentence {
    pub fn len(&self) -> usize {
        self.form.len()
    }
    pub fn is_empty(&self) -> bool {
        self.form.is_empty()
    }
}

/// Streams sentences from a CoNLL-U reader.
pub struct Reader<R> {
    input: R,
    line_no: usize,
    buf: String,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R) -> Self {
        Reader {
            input,
            line_no: 0,
            buf: String::new(),
        }
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Sentence, ConlluError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut s = Sentence::default();
        loop {
            self.buf.clear();
            match self.input.read_line(&mut self.buf) {
                Err(e) => return Some(Err(e.into())),
                Ok(0) => return if s.is_empty() { None } else { Some(Ok(s)) },
                Ok(_) => {}
            }
            self.line_no += 1;
            let line = self.buf.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if s.is_empty() {
                    continue;
                }
                return Some(Ok(s));
            }
            if let Some(c) = line.strip_prefix('#') {
                let c = c.trim_start();
                if let Some(v) = c.strip_prefix("sent_id =") {
                    s.sent_id = Some(v.trim().to_string());
                } else if let Some(v) = c.strip_prefix("text =") {
                    s.text = Some(v.trim().to_string());
                }
                continue;
            }
            if let Err(msg) = push_word(&mut s, line) {
                let line = self.line_no;
                // Skip to the end of the broken sentence so the reader can continue.
                loop {
                    self.buf.clear();
                    match self.input.read_line(&mut self.buf) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => {
                            self.line_no += 1;
                            if self.buf.trim().is_empty() {
                                break;
                            }
                        }
                    }
                }
                return Some(Err(ConlluError::Malformed { line, msg }));
            }
        }
    }
}

fn push_word(s: &mut Sentence, line: &str) -> Result<(), String> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != 10 {
        return Err(format!(
            "expected 10 tab-separated columns, found {}",
            cols.len()
        ));
    }
    if cols[0].contains(['-', '.']) {
        return Ok(());
    }
    let id: usize = cols[0]
        .parse()
        .map_err(|_| format!("bad ID {:?}", cols[0]))?;
    if id != s.len() + 1 {
        return Err(format!("ID {id} out of sequence"));
    }
    s.form.push(cols[1].to_string());
    s.lemma.push(cols[2].to_string());
    s.upos.push(Upos::parse(cols[3]).unwrap_or(Upos::X));
    s.xpos.push(Xpos::parse(cols[4]).unwrap_or(Xpos::Xx));
    s.head.push(if cols[6] == "_" {
        0
    } else {
        cols[6]
            .parse()
            .map_err(|_| format!("bad HEAD {:?}", cols[6]))?
    });
    s.deprel.push(DepRel::parse_lenient(cols[7]));
    s.space_after
        .push(!cols[9].split('|').any(|m| m == "SpaceAfter=No"));
    Ok(())
}

/// Reads a whole CoNLL-U file.
pub fn read_file(path: &std::path::Path) -> Result<Vec<Sentence>, ConlluError> {
    let f = std::fs::File::open(path)?;
    Reader::new(io::BufReader::new(f)).collect()
}

/// Builds a one-sentence [`Doc`] holding the gold tokens (annotations left empty:
/// the caller decides whether to copy gold columns or predict them).
pub fn doc_from_sentence(id: &str, s: &Sentence) -> Doc {
    let mut d = Doc {
        id: id.to_string(),
        ..Doc::default()
    };
    for (i, f) in s.form.iter().enumerate() {
        let start = d.text.len();
        d.text.push_str(f);
        let sp = s.space_after[i] && i + 1 < s.len();
        d.push_token(start, d.text.len(), sp);
        if sp {
            d.text.push(' ');
        }
    }
    if !s.is_empty() {
        d.sentences.push(SentenceSpan {
            first_token: 0,
            end_token: s.len() as u32,
            start: 0,
            end: d.text.len() as u32,
        });
    }
    d
}

/// Copies the gold annotation of `s` into `d` (built by [`doc_from_sentence`]).
pub fn copy_gold(d: &mut Doc, s: &Sentence) {
    d.upos = s.upos.clone();
    d.xpos = s.xpos.clone();
    d.lemma_buf.clear();
    d.lemma_span.clear();
    for l in &s.lemma {
        d.push_lemma(l);
    }
    d.head = s
        .head
        .iter()
        .map(|&h| if h == 0 { NO_HEAD } else { h - 1 })
        .collect();
    d.deprel = s.deprel.clone();
}

/// Writes every sentence of `d` as CoNLL-U, with `# doc_id`, `# sent_id` and
/// `# text` comments and token byte offsets in MISC (`TokenRange=start:end`).
///
/// This runs once per token of every parsed document, so it writes straight to
/// `out` without building a `String` per field.
pub fn write_doc<W: Write>(out: &mut W, d: &Doc) -> io::Result<()> {
    writeln!(out, "# newdoc id = {}", d.id)?;
    for (k, sp) in d.sentences.iter().enumerate() {
        writeln!(out, "# sent_id = {}-{}", d.id, k + 1)?;
        out.write_all(b"# text = ")?;
        write_clean(out, d.sentence_text(k))?;
        out.write_all(b"\n")?;
        let first = sp.first_token as usize;
        for i in sp.tokens() {
            write!(out, "{}\t", i - first + 1)?;
            write_clean(out, d.form(i))?;
            out.write_all(b"\t")?;
            if d.lemma_span.is_empty() {
                out.write_all(b"_")?;
            } else {
                write_clean(out, d.lemma(i))?;
            }
            let upos = d.upos.get(i).map_or("_", |u| u.as_str());
            let xpos = d.xpos.get(i).map_or("_", |x| x.as_str());
            write!(out, "\t{upos}\t{xpos}\t_\t")?;
            match d.head.get(i) {
                None => out.write_all(b"_")?,
                Some(&h) if h == NO_HEAD => out.write_all(b"0")?,
                Some(&h) => write!(out, "{}", h as usize - first + 1)?,
            }
            let rel = d.deprel.get(i).map_or("_", |r| r.as_str());
            let sa = if d.space_after[i] {
                ""
            } else {
                "SpaceAfter=No|"
            };
            writeln!(
                out,
                "\t{rel}\t_\t{sa}TokenRange={}:{}",
                d.start[i], d.end[i]
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Writes `s` with tabs and line breaks (which would break the format) as spaces.
fn write_clean<W: Write>(out: &mut W, s: &str) -> io::Result<()> {
    if !s.contains(['\t', '\n', '\r']) {
        return out.write_all(s.as_bytes());
    }
    out.write_all(s.replace(['\t', '\n', '\r'], " ").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = a-1\n# text = Russia's forces attacked.\n1\tRussia\tRussia\tPROPN\tNNP\t_\t3\tnmod:poss\t_\tSpaceAfter=No\n2\t's\t's\tPART\tPOS\t_\t1\tcase\t_\t_\n3\tforces\tforce\tNOUN\tNNS\t_\t4\tnsubj\t_\t_\n4\tattacked\tattack\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_\n3\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n";

    #[test]
    fn reads_and_round_trips() {
        let sents: Vec<_> = Reader::new(SAMPLE.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(sents.len(), 2);
        assert_eq!(sents[1].form, ["do", "n't", "go"]);
        let mut d = doc_from_sentence("a", &sents[0]);
        assert_eq!(d.text, "Russia's forces attacked.");
        copy_gold(&mut d, &sents[0]);
        d.validate().unwrap();
        assert_eq!(d.head_of(0), Some(2));
        let mut out = Vec::new();
        write_doc(&mut out, &d).unwrap();
        let back: Vec<_> = Reader::new(&out[..]).collect::<Result<_, _>>().unwrap();
        assert_eq!(back[0].form, sents[0].form);
        assert_eq!(back[0].head, sents[0].head);
        assert_eq!(back[0].deprel, sents[0].deprel);
    }

    #[test]
    fn malformed_line_names_line_and_continues() {
        let text =
            "1\tA\ta\tNOUN\tNN\t_\t0\troot\t_\n2\tbroken\n\n1\tB\tb\tNOUN\tNN\t_\t0\troot\t_\t_\n";
        let items: Vec<_> = Reader::new(text.as_bytes()).collect();
        assert_eq!(items.len(), 2);
        assert!(
            matches!(&items[0], Err(ConlluError::Malformed { line: 1, .. })),
            "{items:?}"
        );
        assert_eq!(items[1].as_ref().unwrap().form, ["B"]);
    }
}
