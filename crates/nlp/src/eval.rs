//! Scoring a [`Model`] against a gold CoNLL-U treebank with gold tokenization.
//!
//! Attachment scores follow the CoNLL 2018 shared task: every word counts,
//! punctuation included, and LAS compares the universal part of the relation
//! (`nsubj:pass` matches `nsubj`). The stricter LAS on full labels and scores
//! without punctuation are reported too. Predicted tags feed the parser, as in
//! use; gold annotation is only read for scoring.

use crate::Model;
use dyad_doc::conllu::{Sentence, doc_from_sentence};
use dyad_doc::{Doc, Upos};
use std::time::Instant;

/// Counts of correct words; percentages via the methods.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scores {
    pub sentences: usize,
    pub tokens: usize,
    pub upos: usize,
    pub xpos: usize,
    pub lemma: usize,
    pub uas: usize,
    /// Universal relation (CoNLL 2018).
    pub las: usize,
    /// Full relation including subtype.
    pub las_full: usize,
    /// Words whose gold UPOS is not PUNCT.
    pub tokens_no_punct: usize,
    pub uas_no_punct: usize,
    pub las_no_punct: usize,
    /// Wall time spent annotating (tagging, lemmatizing, parsing).
    pub seconds: f64,
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

impl Scores {
    pub fn upos_pct(&self) -> f64 {
        pct(self.upos, self.tokens)
    }
    pub fn xpos_pct(&self) -> f64 {
        pct(self.xpos, self.tokens)
    }
    pub fn lemma_pct(&self) -> f64 {
        pct(self.lemma, self.tokens)
    }
    pub fn uas_pct(&self) -> f64 {
        pct(self.uas, self.tokens)
    }
    pub fn las_pct(&self) -> f64 {
        pct(self.las, self.tokens)
    }
    pub fn las_full_pct(&self) -> f64 {
        pct(self.las_full, self.tokens)
    }
    pub fn uas_no_punct_pct(&self) -> f64 {
        pct(self.uas_no_punct, self.tokens_no_punct)
    }
    pub fn las_no_punct_pct(&self) -> f64 {
        pct(self.las_no_punct, self.tokens_no_punct)
    }
    pub fn tokens_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.tokens as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// Adds the counts of one annotated sentence against its gold version.
    pub fn add(&mut self, d: &Doc, g: &Sentence) {
        self.sentences += 1;
        for i in 0..g.len().min(d.len()) {
            self.tokens += 1;
            self.upos += usize::from(d.upos[i] == g.upos[i]);
            self.xpos += usize::from(d.xpos[i] == g.xpos[i]);
            self.lemma += usize::from(d.lemma(i) == g.lemma[i]);
            let head = d.head_of(i).map_or(0, |h| h as u32 + 1);
            let attached = head == g.head[i];
            let universal = d.deprel[i].universal() == g.deprel[i].universal();
            self.uas += usize::from(attached);
            self.las += usize::from(attached && universal);
            self.las_full += usize::from(attached && d.deprel[i] == g.deprel[i]);
            if g.upos[i] != Upos::Punct {
                self.tokens_no_punct += 1;
                self.uas_no_punct += usize::from(attached);
                self.las_no_punct += usize::from(attached && universal);
            }
        }
    }
}

/// Annotates every gold sentence (gold tokens only) and scores the result.
pub fn evaluate(model: &Model, gold: &[Sentence]) -> Scores {
    let mut docs: Vec<Doc> = gold
        .iter()
        .enumerate()
        .map(|(i, s)| doc_from_sentence(&i.to_string(), s))
        .collect();
    let t = Instant::now();
    for d in &mut docs {
        model.annotate(d);
    }
    let seconds = t.elapsed().as_secs_f64();
    let mut scores = Scores {
        seconds,
        ..Scores::default()
    };
    for (d, g) in docs.iter().zip(gold) {
        scores.add(d, g);
    }
    scores
}
