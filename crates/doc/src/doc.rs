//! [`Document`] (one input record) and [`Doc`] (its annotated, columnar form).

use crate::tags::{DepRel, Upos, Xpos};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// `head[i]` of a sentence root.
pub const NO_HEAD: u32 = u32::MAX;

/// One input document, as read by the ingest layer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    /// Publication date as given (normally `YYYY-MM-DD`); `None` when unknown.
    #[serde(default)]
    pub date: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A sentence: a contiguous range of token indices, and its byte span in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceSpan {
    pub first_token: u32,
    /// One past the last token.
    pub end_token: u32,
    pub start: u32,
    pub end: u32,
}

impl SentenceSpan {
    pub fn tokens(&self) -> Range<usize> {
        self.first_token as usize..self.end_token as usize
    }
    pub fn len(&self) -> usize {
        (self.end_token - self.first_token) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.end_token == self.first_token
    }
}

/// A document with its token-level annotation, stored column by column.
///
/// Each stage fills its columns: segmentation fills `start`, `end`, `sentences`;
/// tagging fills `upos`, `xpos` and lemmas; parsing fills `head` and `deprel`.
/// Token text is never copied: [`Doc::form`] slices `text`. Lemmas live in one
/// arena string (`lemma_buf`) addressed by `lemma_span`, so a document costs a
/// handful of allocations whatever its length.
#[derive(Clone, Debug, Default)]
pub struct Doc {
    pub id: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub text: String,

    pub start: Vec<u32>,
    pub end: Vec<u32>,
    /// Whether whitespace follows the token in `text` (CoNLL-U `SpaceAfter`).
    pub space_after: Vec<bool>,
    pub sentences: Vec<SentenceSpan>,

    pub upos: Vec<Upos>,
    /// Penn Treebank tag; empty if not predicted.
    pub xpos: Vec<Xpos>,
    pub lemma_buf: String,
    pub lemma_span: Vec<(u32, u32)>,

    /// Head token index (document-wide) or [`NO_HEAD`].
    pub head: Vec<u32>,
    pub deprel: Vec<DepRel>,
}

impl Doc {
    /// A doc with text and metadata but no annotation yet.
    pub fn from_document(d: Document) -> Doc {
        Doc {
            id: d.id,
            date: d.date,
            title: d.title,
            source: d.source,
            url: d.url,
            text: d.text,
            ..Doc::default()
        }
    }

    pub fn len(&self) -> usize {
        self.start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    /// The token's surface text.
    pub fn form(&self, i: usize) -> &str {
        &self.text[self.start[i] as usize..self.end[i] as usize]
    }

    /// The token's lemma, or its form when lemmas were not computed.
    pub fn lemma(&self, i: usize) -> &str {
        match self.lemma_span.get(i) {
            Some(&(s, e)) => &self.lemma_buf[s as usize..e as usize],
            None => self.form(i),
        }
    }

    pub fn push_lemma(&mut self, lemma: &str) {
        let s = self.lemma_buf.len() as u32;
        self.lemma_buf.push_str(lemma);
        self.lemma_span.push((s, self.lemma_buf.len() as u32));
    }

    pub fn head_of(&self, i: usize) -> Option<usize> {
        match self.head.get(i) {
            Some(&h) if h != NO_HEAD => Some(h as usize),
            _ => None,
        }
    }

    /// The text of sentence `s`.
    pub fn sentence_text(&self, s: usize) -> &str {
        let sp = &self.sentences[s];
        &self.text[sp.start as usize..sp.end as usize]
    }

    /// Index of the sentence holding token `i`.
    pub fn sentence_of(&self, i: usize) -> usize {
        self.sentences
            .partition_point(|s| s.end_token as usize <= i)
    }

    /// Dependents of token `h` in order (linear scan of its sentence: sentences are short).
    pub fn children(&self, h: usize) -> impl Iterator<Item = usize> + '_ {
        let sp = self.sentences[self.sentence_of(h)];
        sp.tokens()
            .filter(move |&i| self.head.get(i) == Some(&(h as u32)))
    }

    /// Adds a token; the caller keeps offsets increasing.
    pub fn push_token(&mut self, start: usize, end: usize, space_after: bool) {
        self.start.push(start as u32);
        self.end.push(end as u32);
        self.space_after.push(space_after);
    }

    /// Checks the invariants listed in the crate docs.
    pub fn validate(&self) -> Result<(), String> {
        let n = self.len();
        if self.end.len() != n || self.space_after.len() != n {
            return Err("offset columns differ in length".into());
        }
        let mut prev_end = 0u32;
        for i in 0..n {
            let (s, e) = (self.start[i], self.end[i]);
            if s < prev_end || e <= s || e as usize > self.text.len() {
                return Err(format!("token {i} has bad offsets {s}..{e}"));
            }
            if !self.text.is_char_boundary(s as usize) || !self.text.is_char_boundary(e as usize) {
                return Err(format!("token {i} offsets {s}..{e} split a character"));
            }
            prev_end = e;
        }
        let mut next = 0u32;
        for (k, sp) in self.sentences.iter().enumerate() {
            if sp.first_token != next || sp.end_token <= sp.first_token {
                return Err(format!("sentence {k} does not continue the partition"));
            }
            next = sp.end_token;
        }
        if n > 0 && next as usize != n {
            return Err("sentences do not cover all tokens".into());
        }
        for (name, len) in [
            ("upos", self.upos.len()),
            ("lemma", self.lemma_span.len()),
            ("head", self.head.len()),
            ("deprel", self.deprel.len()),
        ] {
            if len != 0 && len != n {
                return Err(format!("column {name} has {len} entries for {n} tokens"));
            }
        }
        if !self.head.is_empty() {
            for sp in &self.sentences {
                for i in sp.tokens() {
                    let h = self.head[i];
                    if h != NO_HEAD && !sp.tokens().contains(&(h as usize)) {
                        return Err(format!("token {i} has head {h} outside its sentence"));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_lookup() {
        let mut d = Doc::from_document(Document {
            id: "d".into(),
            text: "Russia attacked Ukraine.".into(),
            ..Default::default()
        });
        for (s, e) in [(0, 6), (7, 15), (16, 23), (23, 24)] {
            d.push_token(s, e, e != 23 && e != 24);
        }
        d.sentences.push(SentenceSpan {
            first_token: 0,
            end_token: 4,
            start: 0,
            end: 24,
        });
        for l in ["Russia", "attack", "Ukraine", "."] {
            d.push_lemma(l);
        }
        d.head = vec![1, NO_HEAD, 1, 1];
        d.deprel = vec![DepRel::Nsubj, DepRel::Root, DepRel::Obj, DepRel::Punct];
        d.validate().unwrap();
        assert_eq!(d.form(1), "attacked");
        assert_eq!(d.lemma(1), "attack");
        assert_eq!(d.children(1).collect::<Vec<_>>(), vec![0, 2, 3]);
        assert_eq!(d.sentence_of(3), 0);
        d.head[0] = 9;
        assert!(d.validate().is_err());
    }
}
