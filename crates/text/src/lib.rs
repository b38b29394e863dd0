//! Segmentation: sentence splitting and tokenization of English news text, with
//! byte offsets into the original text for every token.
//!
//! # Design
//!
//! Segmentation is a short chain of stages over one token type ([`Token`]: a byte
//! range plus the shape of the whitespace before it), each stage a plain function
//! that can be tested and replaced on its own:
//!
//! ```text
//! text ─scan─▶ chunks ─split─▶ tokens ─sentences (+datelines)─▶ Doc columns
//! ```
//!
//! 1. [`scan`] cuts at whitespace (byte-level, Unicode spaces included) and notes
//!    line breaks, indentation and blank lines;
//! 2. [`split`] peels punctuation, clitics and infixes off each chunk following
//!    UD English EWT conventions (`Russia 's`, `do n't`, `U.S.`, `8,000`,
//!    `larger - than - expected`, `e-mail`), because the tagger and parser are
//!    trained on EWT and do best on the token boundaries they learnt;
//! 3. [`sentence`] groups tokens into sentences from punctuation, case, the
//!    abbreviation lists in [`lexicon`], paragraph breaks and [`dateline`]s,
//!    adapting to ALL-CAPS and all-lower-case text ([`Casing`]).
//!
//! Tokens never own text and the stages write into vectors that grow once per
//! document, so segmentation does no allocation per token. It is a pure function of
//! the text: the same bytes always give the same tokens, whatever the thread.
//!
//! Everything is rule-based and the rules are short enough to read; the accuracy
//! against EWT gold is in ACCURACY.md (`## Segmentation`).

pub mod dateline;
pub mod eval;
pub mod lexicon;
pub mod scan;
pub mod sentence;
pub mod split;
pub mod token;

pub use dateline::{Dateline, dateline};
pub use sentence::Casing;
pub use token::{Gap, Token};

use dyad_doc::{Doc, SentenceSpan};

/// Tokens of `text` (stages 1 and 2), appended to `out`.
pub fn tokenize_into(text: &str, out: &mut Vec<Token>) {
    for chunk in scan::chunks(text) {
        split::split_chunk(text, chunk, out);
    }
}

/// Tokens of `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, &mut out);
    out
}

/// Tokens and sentences of `text`.
pub fn segment_text(text: &str) -> (Vec<Token>, Vec<SentenceSpan>) {
    let toks = tokenize(text);
    let mut sentences = Vec::with_capacity(toks.len() / 20 + 1);
    sentence::split_sentences(text, &toks, Casing::detect(text), &mut sentences);
    (toks, sentences)
}

/// Fills `start`, `end`, `space_after` and `sentences` of `doc` from `doc.text`,
/// replacing whatever segmentation it had. Annotation columns are cleared, since
/// they would no longer line up with the tokens.
pub fn segment(doc: &mut Doc) {
    let (toks, sentences) = segment_text(&doc.text);
    let n = toks.len();
    doc.start.clear();
    doc.end.clear();
    doc.space_after.clear();
    doc.start.reserve(n);
    doc.end.reserve(n);
    doc.space_after.reserve(n);
    for (k, t) in toks.iter().enumerate() {
        let space = match toks.get(k + 1) {
            Some(next) => next.gap != Gap::None,
            None => scan::space_at(&doc.text, t.end as usize),
        };
        doc.push_token(t.start as usize, t.end as usize, space);
    }
    doc.sentences = sentences;
    doc.upos.clear();
    doc.xpos.clear();
    doc.lemma_buf.clear();
    doc.lemma_span.clear();
    doc.head.clear();
    doc.deprel.clear();
}

#[cfg(test)]
mod tests;
