//! The committed model against UD English EWT dev, plus training determinism
//! and model-file robustness. Reads the treebank from `../shared`.

use dyad_doc::conllu::{Sentence, read_file};
use dyad_doc::{DepRel, Doc, Document, SentenceSpan, Upos};
use dyad_nlp::train::{TrainOptions, train, train_with_clusters};
use dyad_nlp::{Clusters, Model, ModelError};
use std::path::PathBuf;

fn treebank(split: &str) -> Vec<Sentence> {
    let p = PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
    )
    .join(format!(
        "../../../shared/data/treebank/ud_english_ewt/en_ewt-ud-{split}.conllu"
    ));
    read_file(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Accuracy floors of the committed model on EWT dev (gold tokenization,
/// predicted tags; CoNLL 2018 scoring). See ACCURACY.md for the figures.
#[test]
fn builtin_model_meets_dev_floors() {
    let s = dyad_nlp::eval::evaluate(Model::builtin(), &treebank("dev"));
    let report = format!(
        "UPOS {:.2} XPOS {:.2} lemma {:.2} UAS {:.2} LAS {:.2}",
        s.upos_pct(),
        s.xpos_pct(),
        s.lemma_pct(),
        s.uas_pct(),
        s.las_pct()
    );
    assert_eq!(s.sentences, 2001, "{report}");
    assert!(s.upos_pct() >= UPOS_FLOOR, "{report}");
    assert!(s.xpos_pct() >= XPOS_FLOOR, "{report}");
    assert!(s.lemma_pct() >= LEMMA_FLOOR, "{report}");
    assert!(s.uas_pct() >= UAS_FLOOR, "{report}");
    assert!(s.las_pct() >= LAS_FLOOR, "{report}");
}

/// The accurate model (`--accurate`) on EWT dev: a beam-search parser and
/// members voting with it, clearly above the greedy model (see ACCURACY.md).
#[test]
fn builtin_accurate_model_meets_dev_floors() {
    let model = Model::builtin_accurate();
    assert_eq!(model.beam(), 4);
    assert!(model.parsers() >= 3, "{}", model.description());
    assert!(model.stats().clusters > 150_000);
    let bytes = model.to_bytes();
    assert!(bytes.len() < 30_000_000, "model file {} bytes", bytes.len());
    let s = dyad_nlp::eval::evaluate(model, &treebank("dev"));
    let report = format!(
        "UPOS {:.2} UAS {:.2} LAS {:.2}",
        s.upos_pct(),
        s.uas_pct(),
        s.las_pct()
    );
    assert!(s.upos_pct() >= UPOS_FLOOR, "{report}");
    assert!(s.uas_pct() >= ACCURATE_UAS_FLOOR, "{report}");
    assert!(s.las_pct() >= ACCURATE_LAS_FLOOR, "{report}");
}

const ACCURATE_UAS_FLOOR: f64 = 87.2;
const ACCURATE_LAS_FLOOR: f64 = 84.0;
const UPOS_FLOOR: f64 = 95.0;
const XPOS_FLOOR: f64 = 94.3;
const LEMMA_FLOOR: f64 = 96.8;
const UAS_FLOOR: f64 = 85.0;
const LAS_FLOOR: f64 = 81.7;

#[test]
fn training_is_deterministic_and_round_trips() {
    let sents: Vec<Sentence> = treebank("train").into_iter().take(300).collect();
    let opts = TrainOptions {
        tagger_epochs: 2,
        parser_epochs: 2,
        folds: 2,
        seed: 7,
        tagger_prune: 0,
        parser_prune: 0,
        beam: 1,
        joint_labels: false,
        right_to_left: false,
    };
    let a = train(&sents, &opts, &mut |_| {}).to_bytes();
    let b = train(&sents, &opts, &mut |_| {}).to_bytes();
    assert!(a == b, "two trainings on the same data differ");
    let back = Model::from_bytes(&a).unwrap();
    assert!(back.to_bytes() == a, "decode/encode is not the identity");
    let other = TrainOptions { seed: 8, ..opts };
    assert!(
        train(&sents, &other, &mut |_| {}).to_bytes() != a,
        "the seed has no effect"
    );
}

/// Beam training (global max-violation updates) is as deterministic as the
/// greedy trainer, and its model file (format version 2: it records the beam
/// width) round-trips and parses with that width.
#[test]
fn beam_training_is_deterministic_and_round_trips() {
    let sents: Vec<Sentence> = treebank("train").into_iter().take(300).collect();
    let opts = TrainOptions {
        tagger_epochs: 2,
        parser_epochs: 2,
        folds: 0,
        seed: 7,
        tagger_prune: 0,
        parser_prune: 0,
        beam: 3,
        joint_labels: false,
        right_to_left: false,
    };
    let model = train(&sents, &opts, &mut |_| {});
    let a = model.to_bytes();
    assert!(a == train(&sents, &opts, &mut |_| {}).to_bytes());
    assert_eq!(
        a[8..12],
        2u32.to_le_bytes(),
        "a beam model is format version 2"
    );
    assert!(
        model.description().contains("beam 3"),
        "{}",
        model.description()
    );
    let back = Model::from_bytes(&a).unwrap();
    assert!(back.to_bytes() == a, "decode/encode is not the identity");
    let greedy = TrainOptions { beam: 1, ..opts };
    let g = train(&sents, &greedy, &mut |_| {}).to_bytes();
    assert_eq!(
        g[8..12],
        1u32.to_le_bytes(),
        "a greedy model stays version 1"
    );
    let held_out: Vec<Sentence> = treebank("dev").into_iter().take(200).collect();
    let s = dyad_nlp::eval::evaluate(&back, &held_out);
    assert!(s.uas_pct() > 50.0, "beam model UAS {:.2}", s.uas_pct());
    // Labels scored in the beam with their moves: a flag in the file.
    let joint = TrainOptions {
        joint_labels: true,
        ..opts
    };
    let j = train(&sents, &joint, &mut |_| {});
    assert!(j.description().contains("over moves and labels"));
    let jb = j.to_bytes();
    assert!(jb != a);
    let back = Model::from_bytes(&jb).unwrap();
    assert!(back.to_bytes() == jb);
    let s = dyad_nlp::eval::evaluate(&back, &held_out);
    assert!(
        s.las_pct() > 40.0,
        "joint-label beam model LAS {:.2}",
        s.las_pct()
    );
}

fn repo_clusters() -> Clusters {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/clusters/en_brown_reddit.tsv");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    Clusters::from_tsv(&text).unwrap()
}

/// A parser trained right to left reads the sentence backwards but reports
/// heads in sentence order (if the mapping were off, attachment would be near
/// chance); its file (format 3, with the word clusters) round-trips; and an
/// ensemble of differently trained parsers gives well-formed trees at least
/// as good as its weakest member.
#[test]
fn right_to_left_parsers_and_ensembles() {
    let sents: Vec<Sentence> = treebank("train").into_iter().take(600).collect();
    let held_out: Vec<Sentence> = treebank("dev").into_iter().take(300).collect();
    let clusters = repo_clusters();
    assert!(clusters.len() > 150_000);
    let opts = TrainOptions {
        tagger_epochs: 3,
        parser_epochs: 3,
        folds: 0,
        seed: 7,
        parser_prune: 0,
        ..TrainOptions::default()
    };
    let rtl_opts = TrainOptions {
        right_to_left: true,
        ..opts.clone()
    };
    let ltr = train_with_clusters(&sents, &opts, clusters.clone(), &mut |_| {});
    let rtl = train_with_clusters(&sents, &rtl_opts, clusters.clone(), &mut |_| {});
    let other = train_with_clusters(
        &sents,
        &TrainOptions {
            seed: 8,
            ..opts.clone()
        },
        clusters.clone(),
        &mut |_| {},
    );
    let bytes = rtl.to_bytes();
    assert_eq!(bytes[8..12], 3u32.to_le_bytes());
    assert!(
        rtl.description().contains("right to left"),
        "{}",
        rtl.description()
    );
    let rtl = Model::from_bytes(&bytes).unwrap();
    assert!(rtl.to_bytes() == bytes);
    assert_eq!(rtl.stats().clusters, clusters.len());
    let uas = |m: &Model| dyad_nlp::eval::evaluate(m, &held_out).uas_pct();
    let (u_ltr, u_rtl, u_other) = (uas(&ltr), uas(&rtl), uas(&other));
    assert!(u_rtl > 60.0, "right-to-left UAS {u_rtl:.2}");

    let mut ens = ltr;
    ens.add_parser(rtl, 1.0).unwrap();
    ens.add_parser(other, 1.0).unwrap();
    let docs: Vec<Doc> = held_out
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut d = dyad_doc::conllu::doc_from_sentence(&i.to_string(), s);
            ens.annotate(&mut d);
            d
        })
        .collect();
    for d in &docs {
        d.validate().unwrap();
        assert_eq!(
            d.head.iter().filter(|&&h| h == dyad_doc::NO_HEAD).count(),
            1
        );
    }
    let u_ens = uas(&ens);
    let weakest = u_ltr.min(u_rtl).min(u_other);
    assert!(
        u_ens >= weakest,
        "ensemble {u_ens:.2}, members {u_ltr:.2} / {u_rtl:.2} / {u_other:.2}"
    );
    // An ensemble cannot join another, and it round-trips through its file.
    let bytes = ens.to_bytes();
    let back = Model::from_bytes(&bytes).unwrap();
    assert_eq!(back.parsers(), 3);
    assert!(back.to_bytes() == bytes);
    assert!(matches!(
        Model::from_bytes(&bytes).unwrap().add_parser(back, 1.0),
        Err(ModelError::Mismatch(_))
    ));
    // Parsers trained with other word clusters cannot join.
    let plain = train(&sents[..100], &opts, &mut |_| {});
    assert!(matches!(
        ens.add_parser(plain, 1.0),
        Err(ModelError::Mismatch(_))
    ));
}

#[test]
fn bad_model_files_give_clear_errors() {
    let good = Model::builtin().to_bytes();
    assert!(matches!(
        Model::from_bytes(b"not a model"),
        Err(ModelError::BadMagic)
    ));
    let mut v = good.clone();
    v[8] = 99;
    let e = Model::from_bytes(&v).err().unwrap();
    assert!(matches!(e, ModelError::Version { found: 99 }), "{e}");
    assert!(e.to_string().contains("dyad train"));
    let e = Model::from_bytes(&good[..good.len() / 2]).err().unwrap();
    assert!(matches!(e, ModelError::Checksum), "{e}");
    let mut v = good.clone();
    let last = v.len() - 1;
    v[last] ^= 0x55;
    assert!(matches!(Model::from_bytes(&v), Err(ModelError::Checksum)));
    let e = Model::load("/nonexistent/model.dyadnlp").err().unwrap();
    assert!(e.to_string().contains("/nonexistent/model.dyadnlp"), "{e}");
}

fn doc(text: &str, tokens: &[&str]) -> Doc {
    let mut d = Doc::from_document(Document {
        id: "t".into(),
        text: text.into(),
        ..Default::default()
    });
    let mut at = 0;
    for t in tokens {
        let s = at + text[at..].find(t).unwrap();
        d.push_token(s, s + t.len(), text[s + t.len()..].starts_with(' '));
        at = s + t.len();
    }
    d.sentences.push(SentenceSpan {
        first_token: 0,
        end_token: tokens.len() as u32,
        start: 0,
        end: text.len() as u32,
    });
    d
}

#[test]
fn annotates_a_news_sentence() {
    let text = "Russian forces attacked the city of Kharkiv on Monday.";
    let mut d = doc(
        text,
        &[
            "Russian", "forces", "attacked", "the", "city", "of", "Kharkiv", "on", "Monday", ".",
        ],
    );
    Model::builtin().annotate(&mut d);
    d.validate().unwrap();
    use Upos::*;
    assert_eq!(
        d.upos,
        [Adj, Noun, Verb, Det, Noun, Adp, Propn, Adp, Propn, Punct]
    );
    let lemmas: Vec<&str> = (0..d.len()).map(|i| d.lemma(i)).collect();
    assert_eq!(
        lemmas,
        [
            "Russian", "force", "attack", "the", "city", "of", "Kharkiv", "on", "Monday", "."
        ]
    );
    assert_eq!(d.head_of(2), None, "the verb is the root");
    assert_eq!(d.deprel[2], DepRel::Root);
    assert_eq!((d.head_of(1), d.deprel[1]), (Some(2), DepRel::Nsubj));
    assert_eq!((d.head_of(4), d.deprel[4]), (Some(2), DepRel::Obj));
    assert_eq!(d.head_of(6), Some(4));
}

#[test]
fn every_sentence_gets_one_root_and_odd_input_is_safe() {
    // Two sentences, a one-token sentence, non-ASCII and junk tokens.
    let text = "Zelensky met Biden . ¿Qué ? @@@ ### 12,000,000";
    let toks = [
        "Zelensky",
        "met",
        "Biden",
        ".",
        "¿Qué",
        "?",
        "@@@",
        "###",
        "12,000,000",
    ];
    let mut d = doc(text, &toks);
    d.sentences = vec![
        SentenceSpan {
            first_token: 0,
            end_token: 4,
            start: 0,
            end: 19,
        },
        SentenceSpan {
            first_token: 4,
            end_token: 6,
            start: 20,
            end: 27,
        },
        SentenceSpan {
            first_token: 6,
            end_token: 9,
            start: 28,
            end: text.len() as u32,
        },
    ];
    let model = Model::builtin();
    model.annotate(&mut d);
    d.validate().unwrap();
    for sp in &d.sentences {
        let roots = sp.tokens().filter(|&i| d.head_of(i).is_none()).count();
        assert_eq!(roots, 1, "{sp:?}");
        for i in sp.tokens() {
            assert_eq!(d.head_of(i).is_none(), d.deprel[i] == DepRel::Root);
        }
    }
    // Annotating twice gives the same result; an empty doc is fine.
    let first = (d.upos.clone(), d.head.clone(), d.lemma_buf.clone());
    model.annotate(&mut d);
    assert_eq!(first, (d.upos.clone(), d.head.clone(), d.lemma_buf.clone()));
    let mut empty = Doc::default();
    model.annotate(&mut empty);
    assert!(empty.upos.is_empty());
}

#[test]
fn one_model_serves_many_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Model>();
    let gold: Vec<Sentence> = treebank("dev").into_iter().take(200).collect();
    let docs: Vec<Doc> = gold
        .iter()
        .enumerate()
        .map(|(i, s)| dyad_doc::conllu::doc_from_sentence(&i.to_string(), s))
        .collect();
    let model = Model::builtin();
    let run = |mut docs: Vec<Doc>| {
        for d in &mut docs {
            model.annotate(d);
        }
        docs.iter()
            .map(|d| {
                (
                    d.upos.clone(),
                    d.head.clone(),
                    d.deprel.clone(),
                    d.lemma_buf.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let alone = run(docs.clone());
    let together: Vec<_> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..3).map(|_| s.spawn(|| run(docs.clone()))).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for t in together {
        assert!(t == alone, "threads disagree with a single-threaded run");
    }
}
