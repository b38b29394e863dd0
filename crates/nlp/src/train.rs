//! Training a [`Model`] from a UD treebank, deterministically.
//!
//! Steps: (1) tagger on all training sentences; (2) *jackknifing*: the
//! sentences are split into `folds` parts and each part is tagged by a tagger
//! trained on the others, so the parser trains on tags as noisy as the ones it
//! will see in use; (3) lemmatizer from the gold lemmas; (4) parser on the
//! jackknifed tags and projectivized gold trees.
//!
//! Determinism: every random choice (shuffling, exploration) comes from a
//! seeded SplitMix64, all maps that reach the output are ordered or sorted
//! before writing, and training is single-threaded. The same treebank and
//! options therefore give a byte-identical model file.

use crate::parser::{self, Gold, Input};
use crate::tagger::{self, Tag};
use crate::tok::{Tok, TokBuilder};
use crate::{Clusters, Model, lemma};
use dyad_doc::DepRel;
use dyad_doc::conllu::Sentence;
use std::time::Instant;

/// Training settings. The defaults built the shipped model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainOptions {
    pub tagger_epochs: usize,
    pub parser_epochs: usize,
    /// Jackknifing folds for the parser's training tags (0 or 1: gold tags).
    pub folds: usize,
    pub seed: u64,
    /// Tagger weights below this quantized magnitude (of 32767) are dropped.
    pub tagger_prune: i16,
    /// Parser weights below this quantized magnitude (of 32767) are dropped.
    pub parser_prune: i16,
    /// Parser beam width: 1 trains the greedy parser (dynamic oracle), more
    /// a beam parser with global max-violation training that decodes with
    /// this width.
    pub beam: usize,
    /// Beam parsers: score each arc's label in the beam together with its
    /// move (else labels are chosen after the move, as in greedy parsing).
    pub joint_labels: bool,
    /// Train the parser on reversed sentences, to parse from the last word
    /// to the first (an ensemble member; tagger and lemmatizer unchanged).
    pub right_to_left: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            tagger_epochs: 10,
            parser_epochs: 15,
            folds: 4,
            seed: 2018,
            tagger_prune: 256,
            parser_prune: 512,
            beam: 1,
            joint_labels: false,
            right_to_left: false,
        }
    }
}

/// Checks that `head` (1-based, 0 = root) is a tree over `1..=n`.
pub(crate) fn is_tree(head: &[u32]) -> bool {
    let n = head.len();
    head.iter().all(|&h| h as usize <= n)
        && (0..n).all(|start| {
            let mut k = start + 1;
            for _ in 0..=n {
                if k == 0 {
                    return true;
                }
                k = head[k - 1] as usize;
            }
            false
        })
}

/// Trains a model on `sents` (the training split). `log` receives one line per
/// step with its duration.
pub fn train(sents: &[Sentence], opts: &TrainOptions, log: &mut dyn FnMut(&str)) -> Model {
    train_with_clusters(sents, opts, Clusters::default(), log)
}

/// [`train`] with Brown word clusters as tagger and parser features; the
/// table is stored in the model.
pub fn train_with_clusters(
    sents: &[Sentence],
    opts: &TrainOptions,
    clusters: Clusters,
    log: &mut dyn FnMut(&str),
) -> Model {
    let t0 = Instant::now();
    let mut builder = TokBuilder::default();
    let usable: Vec<&Sentence> = sents
        .iter()
        .filter(|s| !s.is_empty() && is_tree(&s.head))
        .collect();
    if usable.len() < sents.len() {
        log(&format!(
            "skipped {} sentences that are empty or not trees",
            sents.len() - usable.len()
        ));
    }
    let toks: Vec<Vec<Tok>> = usable
        .iter()
        .map(|s| {
            s.form
                .iter()
                .map(|f| clusters.tok(&mut builder, f))
                .collect()
        })
        .collect();
    let gold: Vec<Vec<Tag>> = usable
        .iter()
        .map(|s| {
            s.upos
                .iter()
                .zip(&s.xpos)
                .map(|(&upos, &xpos)| Tag { upos, xpos })
                .collect()
        })
        .collect();
    let pairs = |keep: &dyn Fn(usize) -> bool| -> Vec<(&[Tok], &[Tag])> {
        (0..usable.len())
            .filter(|&i| keep(i))
            .map(|i| (toks[i].as_slice(), gold[i].as_slice()))
            .collect()
    };

    let t = Instant::now();
    let with = !clusters.is_empty();
    let tagger = tagger::train(
        &pairs(&|_| true),
        with,
        opts.tagger_epochs,
        opts.seed,
        opts.tagger_prune,
    );
    log(&format!("tagger: {:.1}s", t.elapsed().as_secs_f64()));

    let t = Instant::now();
    let mut predicted: Vec<Vec<Tag>> = gold.clone();
    if opts.folds >= 2 {
        let mut scratch = tagger::TagScratch::default();
        for f in 0..opts.folds {
            let part = tagger::train(
                &pairs(&|i| i % opts.folds != f),
                with,
                opts.tagger_epochs,
                opts.seed + 1 + f as u64,
                opts.tagger_prune,
            );
            for i in (f..usable.len()).step_by(opts.folds) {
                part.tag(&toks[i], with, &mut predicted[i], &mut scratch);
            }
        }
        log(&format!(
            "jackknifed tags ({} folds): {:.1}s",
            opts.folds,
            t.elapsed().as_secs_f64()
        ));
    }

    let lemmatizer = lemma::Lemmatizer::train(usable.iter().flat_map(|s| {
        (0..s.len()).map(|i| {
            (
                s.form[i].as_str(),
                s.upos[i],
                s.xpos[i],
                s.lemma[i].as_str(),
            )
        })
    }));

    let t = Instant::now();
    let mut amb = Vec::new();
    let golds: Vec<Gold> = usable
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut input = Input::default();
            tagger.dict().classes(&toks[i], &mut amb);
            let rtl = opts.right_to_left;
            input.fill(&toks[i], &predicted[i], &amb, with, rtl);
            let n = s.len();
            // Node k of the parser's input is word `order(k)` of the sentence.
            let order = |k: usize| if rtl { n - 1 - k } else { k };
            let mut head: Vec<u32> = std::iter::once(u32::MAX)
                .chain((0..n).map(|k| {
                    let h = s.head[order(k)];
                    if rtl { parser::mirror(h, n) } else { h }
                }))
                .collect();
            parser::projectivize(&mut head);
            let label = std::iter::once(DepRel::Root as u8)
                .chain((0..n).map(|k| s.deprel[order(k)] as u8))
                .collect();
            Gold { input, head, label }
        })
        .collect();
    let mut parser = if opts.beam > 1 {
        parser::train_beam(
            &golds,
            opts.parser_epochs,
            opts.seed,
            opts.parser_prune,
            opts.beam,
            opts.joint_labels,
            log,
        )
    } else {
        parser::train(&golds, opts.parser_epochs, opts.seed, opts.parser_prune)
    };
    parser.right_to_left = opts.right_to_left;
    log(&format!("parser: {:.1}s", t.elapsed().as_secs_f64()));

    let decoding = if opts.beam > 1 {
        format!(
            ", beam {}{} (global max-violation training)",
            opts.beam.min(parser::MAX_BEAM),
            if opts.joint_labels {
                " over moves and labels"
            } else {
                ""
            }
        )
    } else {
        String::new()
    };
    let decoding = if opts.right_to_left {
        format!("{decoding}, right to left")
    } else {
        decoding
    };
    let with_clusters = if clusters.is_empty() {
        String::new()
    } else {
        format!(
            "; {} Brown word clusters (spaCy lookups data, MIT licence)",
            clusters.len()
        )
    };
    let description = format!(
        "Dyad English tagger, lemmatizer and parser trained on Universal Dependencies English EWT \
         (CC BY-SA 4.0), {} sentences; tagger {} epochs, parser {} epochs on {}-fold jackknifed tags, seed {}, weights pruned below {}/{}{}{}",
        usable.len(),
        opts.tagger_epochs,
        opts.parser_epochs,
        opts.folds,
        opts.seed,
        opts.tagger_prune,
        opts.parser_prune,
        decoding,
        with_clusters
    );
    log(&format!("total: {:.1}s", t0.elapsed().as_secs_f64()));
    Model {
        description,
        clusters,
        tagger,
        lemmatizer,
        parser,
        ensemble: Vec::new(),
        votes: vec![1.0],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_check() {
        assert!(is_tree(&[2, 0, 2]));
        assert!(!is_tree(&[2, 1, 0]));
        assert!(!is_tree(&[5, 0]));
    }
}
