//! Tagging, lemmatization and dependency parsing for English, in pure Rust.
//!
//! One [`Model`] holds three trained components, applied sentence by sentence:
//!
//! ```text
//! forms ─▶ Tok (hashed spelling features) ─▶ tagger (UPOS + XPOS)
//!        ─▶ lemmatizer (lexicon, learned suffix rules) ─▶ parser (head, deprel)
//! ```
//!
//! * The **tagger** (`tagger`) is a greedy averaged perceptron with one weight
//!   row per feature scoring both UPOS and PTB XPOS, decoded as a consistent
//!   pair.
//! * The **lemmatizer** (`lemma`) looks words up in a lexicon learned from the
//!   treebank and falls back to suffix rules learned from the same data.
//! * The **parser** (`parser`) is a greedy arc-eager transition parser with the
//!   Zhang & Nivre feature set, trained with a dynamic oracle and exploration on
//!   jackknifed tags; or, in [`Model::builtin_accurate`], an ensemble of
//!   beam-search parsers reading both ways and greedy ones (`ensemble`), with
//!   Brown word clusters as features (`clusters`).
//!
//! Why this design: it is the fastest family of models that reaches useful
//! accuracy on English news (no matrix algebra, no GPU, over 100,000 tokens
//! per second per core, see BENCHMARKS.md), it is trained from the treebank in minutes with
//! one thread, and the whole model is small enough to be compiled into the
//! binary. Features are hashed to `u64` keys (`hash`), so no vocabulary or
//! string is built at run time and annotation allocates only a few reusable
//! buffers per document. The model is immutable after loading, so one
//! [`Model`] serves any number of threads.
//!
//! The model file is a small versioned binary format (see [`Model::to_bytes`]);
//! `dyad train` rebuilds `models/en_ewt.dyadnlp` deterministically from UD
//! English EWT ([`train::train`]) and [`eval::evaluate`] scores a model against
//! a gold CoNLL-U file.

mod clusters;
mod codec;
mod ensemble;
pub mod eval;
mod hash;
mod lemma;
mod parser;
mod perceptron;
mod tagger;
mod tok;
pub mod train;

pub use clusters::{ClusterError, Clusters};
use codec::{Reader, Writer};
use dyad_doc::{DepRel, Doc, NO_HEAD, Upos, Xpos};
use std::path::Path;
use std::sync::OnceLock;

/// Magic bytes opening every model file.
pub const MAGIC: &[u8; 8] = b"DYADNLP\0";
/// Newest model format version this build reads and writes; newer files are
/// refused. Version 2 adds the parser's beam width; version 3 the Brown
/// cluster table (after the description), the parsing direction, and an
/// optional ensemble section at the end (vote weights and member parsers). A
/// model is written with the lowest version that holds it, so older models'
/// bytes do not change.
pub const FORMAT_VERSION: u32 = 3;

/// The model shipped in the binary (`models/en_ewt.dyadnlp`, built by `dyad train`).
static BUILTIN: &[u8] = include_bytes!("../../../models/en_ewt.dyadnlp");
/// The accurate model shipped alongside (`models/en_ewt_accurate.dyadnlp`,
/// built by `dyad train` and `dyad ensemble`, see models/README.md): tagger and
/// parsers with word clusters, and parsers voting on each tree.
static BUILTIN_ACCURATE: &[u8] = include_bytes!("../../../models/en_ewt_accurate.dyadnlp");

/// Why a model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    // Causes are reported through `Error::source` (not repeated in the
    // message), so `anyhow`'s `{:#}` prints each part once.
    #[error("{path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("not a Dyad NLP model (bad magic bytes)")]
    BadMagic,
    #[error(
        "model format version {found} is not supported (this build reads versions 1 to {FORMAT_VERSION}); rebuild it with `dyad train`"
    )]
    Version { found: u32 },
    #[error("model checksum mismatch: the file is damaged or truncated")]
    Checksum,
    #[error("model data is corrupt at byte {offset}: {msg}")]
    Corrupt { offset: usize, msg: String },
    #[error("models cannot be combined: {0}")]
    Mismatch(String),
    #[error("{path}")]
    InFile {
        path: String,
        #[source]
        source: Box<ModelError>,
    },
}

/// Tagger, lemmatizer and parser for one language.
pub struct Model {
    description: String,
    clusters: Clusters,
    tagger: tagger::Tagger,
    lemmatizer: lemma::Lemmatizer,
    parser: parser::Parser,
    /// Further parsers voting with `parser` on every tree (see `ensemble`);
    /// empty for a single model.
    ensemble: Vec<parser::Parser>,
    /// Vote weight of each parser: `votes[0]` is `parser`'s, `votes[k]` that
    /// of `ensemble[k - 1]`.
    votes: Vec<f32>,
}

/// Buffers reused across the sentences of one document.
#[derive(Default)]
struct Scratch {
    builder: tok::TokBuilder,
    toks: Vec<tok::Tok>,
    tags: Vec<tagger::Tag>,
    tag: tagger::TagScratch,
    input: parser::Input,
    parse: parser::ParseScratch,
    lemma: String,
    votes: ensemble::Votes,
    chart: ensemble::Chart,
    head: Vec<u32>,
    label: Vec<u8>,
}

fn checksum(bytes: &[u8]) -> u64 {
    hash::hash_bytes(bytes)
}

impl Model {
    /// The built-in English model, decoded once on first use.
    pub fn builtin() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| {
            Model::from_bytes(BUILTIN)
                .expect("the embedded model is valid (checked by the crate's tests)")
        })
    }

    /// The built-in accurate model, decoded once on first use: about 2 points
    /// more accurate attachment than [`Model::builtin`] (a tagger with word
    /// clusters, and beam-search and greedy parsers reading both ways that
    /// vote on every tree) at a fraction of its speed (ACCURACY.md,
    /// BENCHMARKS.md).
    pub fn builtin_accurate() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| {
            Model::from_bytes(BUILTIN_ACCURATE)
                .expect("the embedded accurate model is valid (checked by the crate's tests)")
        })
    }

    /// Loads a model file written by [`Model::save`] / `dyad train`.
    pub fn load(path: impl AsRef<Path>) -> Result<Model, ModelError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Model::from_bytes(&bytes).map_err(|e| ModelError::InFile {
            path: path.display().to_string(),
            source: Box::new(e),
        })
    }

    /// Writes the model to `path`.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), ModelError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_bytes()).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Decodes a model: `MAGIC`, format version (u32), payload length (u64),
    /// payload checksum (u64), then the payload (description, tagger,
    /// lemmatizer, parser), all little-endian.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let mut r = Reader::new(&bytes[8..]);
        let found = r.u32()?;
        if !(1..=FORMAT_VERSION).contains(&found) {
            return Err(ModelError::Version { found });
        }
        let len = r.u64()? as usize;
        let sum = r.u64()?;
        let payload = &bytes[28..];
        if payload.len() != len || checksum(payload) != sum {
            return Err(ModelError::Checksum);
        }
        let mut r = Reader::new(payload);
        let description = r.str()?.to_string();
        let clusters = if found >= 3 {
            Clusters::read(&mut r)?
        } else {
            Clusters::default()
        };
        let tagger = tagger::Tagger::read(&mut r)?;
        let lemmatizer = lemma::Lemmatizer::read(&mut r)?;
        let parser = parser::Parser::read(&mut r, found)?;
        let (mut votes, mut ensemble) = (vec![1.0], Vec::new());
        // Version 3: an ensemble section may follow the parser.
        if found >= 3 && !r.at_end() {
            votes[0] = f32::from_bits(r.u32()?);
            for _ in 0..r.len()? {
                votes.push(f32::from_bits(r.u32()?));
                ensemble.push(parser::Parser::read(&mut r, found)?);
            }
            if votes.iter().any(|w| !w.is_finite() || *w < 0.0) {
                return Err(r.bad("ensemble vote weights must be finite and not negative"));
            }
        }
        if !r.at_end() {
            return Err(r.bad("trailing data after the parser"));
        }
        Ok(Model {
            description,
            clusters,
            tagger,
            lemmatizer,
            parser,
            ensemble,
            votes,
        })
    }

    /// Encodes the model (see [`Model::from_bytes`] for the layout). The
    /// encoding is canonical: equal models give identical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut p = Writer::default();
        p.str(&self.description);
        let version = if !self.clusters.is_empty()
            || self.parser.right_to_left
            || !self.ensemble.is_empty()
        {
            3
        } else if self.parser.beam() > 1 {
            2
        } else {
            1
        };
        if version >= 3 {
            self.clusters.write(&mut p);
        }
        self.tagger.write(&mut p);
        self.lemmatizer.write(&mut p);
        self.parser.write(&mut p, version);
        if !self.ensemble.is_empty() {
            p.u32(self.votes[0].to_bits());
            p.len(self.ensemble.len());
            for (parser, w) in self.ensemble.iter().zip(&self.votes[1..]) {
                p.u32(w.to_bits());
                parser.write(&mut p, version);
            }
        }
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        w.u32(version);
        w.u64(p.buf.len() as u64);
        w.u64(checksum(&p.buf));
        w.buf.extend_from_slice(&p.buf);
        w.buf
    }

    /// What the model is and how it was trained.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Beam width of the parser (1: greedy; more for a model trained with
    /// `dyad train --beam K`).
    pub fn beam(&self) -> usize {
        self.parser.beam()
    }

    /// Makes the parser decode with beam width `k` (1: greedy, at most 64).
    /// A model is most accurate at the width it was trained with; other
    /// widths are for measuring the speed/accuracy trade-off. A greedy model
    /// saved after this call is written as a beam model.
    pub fn set_beam(&mut self, k: usize) {
        self.parser.set_beam(k);
    }

    /// Sizes of the components, for reports.
    pub fn stats(&self) -> ModelStats {
        let (lexicon, rules) = self.lemmatizer.entries();
        ModelStats {
            tagger_features: self.tagger.weights().rows(),
            tagger_weights: self.tagger.weights().entries(),
            parser_features: self.parser.weights().rows(),
            parser_weights: self.parser.weights().entries(),
            lexicon,
            lemma_rules: rules,
            clusters: self.clusters.len(),
        }
    }

    /// Fills `upos`, `xpos`, lemmas, `head` and `deprel` for every token of a
    /// segmented `doc`, sentence by sentence (a doc with tokens but no
    /// sentences is treated as one sentence). Existing annotation is replaced.
    pub fn annotate(&self, doc: &mut Doc) {
        let n = doc.len();
        doc.upos.clear();
        doc.upos.resize(n, Upos::X);
        doc.xpos.clear();
        doc.xpos.resize(n, Xpos::Xx);
        doc.head.clear();
        doc.head.resize(n, NO_HEAD);
        doc.deprel.clear();
        doc.deprel.resize(n, DepRel::Dep);
        doc.lemma_buf.clear();
        doc.lemma_span.clear();
        doc.lemma_span.resize(n, (0, 0));
        thread_local! {
            // Per-thread buffers, reused across documents: annotating allocates
            // nothing once they have grown to the longest sentence seen.
            static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
        }
        SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            if doc.sentences.is_empty() {
                self.annotate_range(doc, 0..n, s);
            } else {
                for k in 0..doc.sentences.len() {
                    let r = doc.sentences[k].tokens();
                    self.annotate_range(doc, r.start.min(n)..r.end.min(n), s);
                }
            }
        });
    }

    fn annotate_range(&self, doc: &mut Doc, range: std::ops::Range<usize>, s: &mut Scratch) {
        if range.is_empty() {
            return;
        }
        let (first, n) = (range.start, range.len());
        s.toks.clear();
        for i in range.clone() {
            s.toks.push(self.clusters.tok(&mut s.builder, doc.form(i)));
        }
        self.tagger
            .tag(&s.toks, !self.clusters.is_empty(), &mut s.tags, &mut s.tag);
        for (i, tag) in range.clone().zip(&s.tags) {
            doc.upos[i] = tag.upos;
            doc.xpos[i] = tag.xpos;
            self.lemmatizer
                .lemma(doc.form(i), tag.upos, tag.xpos, &mut s.lemma);
            let a = doc.lemma_buf.len() as u32;
            doc.lemma_buf.push_str(&s.lemma);
            doc.lemma_span[i] = (a, doc.lemma_buf.len() as u32);
        }
        s.votes.heads.resize_with(self.votes.len(), Vec::new);
        s.votes.labels.resize_with(self.votes.len(), Vec::new);
        let parsers = std::iter::once(&self.parser).chain(&self.ensemble);
        for (k, p) in parsers.enumerate() {
            parse_sentence(p, !self.clusters.is_empty(), s, k);
        }
        // A single parser's tree is the answer; only an ensemble votes.
        let (head, label) = if self.ensemble.is_empty() {
            (&s.votes.heads[0], &s.votes.labels[0])
        } else {
            ensemble::combine(
                &s.votes,
                &self.votes,
                n,
                &mut s.chart,
                &mut s.head,
                &mut s.label,
            );
            (&s.head, &s.label)
        };
        for (k, i) in range.enumerate() {
            let h = head[k + 1];
            doc.head[i] = if h == 0 {
                NO_HEAD
            } else {
                (first + h as usize - 1) as u32
            };
            doc.deprel[i] = DepRel::ALL
                .get(usize::from(label[k + 1]).wrapping_sub(1))
                .copied()
                .unwrap_or(DepRel::Dep);
        }
    }

    /// Makes this model an ensemble: `other`'s parser joins this model's
    /// parser, and each word's head and label are chosen by weighted vote
    /// over their trees (`ensemble`), the tagger and lemmatizer staying this
    /// model's. `weight` is `other`'s vote; [`Model::set_weight`] sets this
    /// model's own. The two must have been trained with the same word
    /// clusters, as the parsers read the tokens' clusters.
    pub fn add_parser(&mut self, other: Model, weight: f32) -> Result<(), ModelError> {
        if other.clusters != self.clusters {
            return Err(ModelError::Mismatch(
                "the models were trained with different word clusters".into(),
            ));
        }
        if !other.ensemble.is_empty() {
            // Its members' votes are relative to its own leader: ask for the
            // parts instead of guessing how to rescale them.
            return Err(ModelError::Mismatch(
                "a model that is itself an ensemble cannot join one; add its parts".into(),
            ));
        }
        self.description.push_str(&format!(
            "\n+ ensemble member (vote {weight}): {}",
            other.description
        ));
        self.ensemble.push(other.parser);
        self.votes.push(weight);
        Ok(())
    }

    /// Drops the ensemble members' weights below `min` in quantized magnitude
    /// (of 32767), as `dyad train --parser-prune` would have: smaller members
    /// for a small loss each, which voting largely absorbs.
    pub fn prune_members(&mut self, min: i16) {
        for p in &mut self.ensemble {
            p.prune(min);
        }
    }

    /// Drops this model's own parser weights below `min` (see
    /// [`Model::prune_members`]).
    pub fn prune_parser(&mut self, min: i16) {
        self.parser.prune(min);
    }

    /// Parsers voting on each tree: 1 for a single model.
    pub fn parsers(&self) -> usize {
        1 + self.ensemble.len()
    }

    /// This model's own parser's vote in an ensemble (default 1).
    pub fn set_weight(&mut self, weight: f32) {
        self.votes[0] = weight;
    }
}

/// Runs parser `p` (member `k`) over the sentence in `s.toks`/`s.tags` and
/// stores its tree, in sentence order, as vote `k`.
fn parse_sentence(p: &parser::Parser, clusters: bool, s: &mut Scratch, k: usize) {
    let n = s.toks.len();
    s.input
        .fill(&s.toks, &s.tags, &s.tag.amb, clusters, p.right_to_left);
    p.parse(&s.input, &mut s.parse);
    let st = &s.parse.state;
    let (heads, labels) = (&mut s.votes.heads[k], &mut s.votes.labels[k]);
    heads.clear();
    heads.resize(n + 1, 0);
    labels.clear();
    labels.resize(n + 1, 0);
    for j in 1..=n {
        let (node, h) = if p.right_to_left {
            (
                parser::mirror(j as u32, n) as usize,
                parser::mirror(st.head[j], n),
            )
        } else {
            (j, st.head[j])
        };
        heads[node] = h;
        labels[node] = st.label[j];
    }
}

/// Component sizes (see [`Model::stats`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelStats {
    pub tagger_features: usize,
    pub tagger_weights: usize,
    pub parser_features: usize,
    pub parser_weights: usize,
    pub lexicon: usize,
    pub lemma_rules: usize,
    /// Words in the Brown cluster table.
    pub clusters: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_doc::conllu::read_file;

    /// A beam of width 1 keeps only the best extension at every step, which is
    /// the greedy parser's choice (ties broken the same way): on real
    /// sentences with the built-in model the two decoders give the same trees.
    #[test]
    fn beam_of_one_is_the_greedy_parser() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/treebank/ud_english_ewt/en_ewt-ud-dev.conllu");
        let sents = read_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let model = Model::builtin();
        let mut s = Scratch::default();
        let mut greedy = parser::ParseScratch::default();
        let mut words = 0;
        for sent in sents.iter().take(400) {
            s.toks.clear();
            for f in &sent.form {
                s.toks.push(model.clusters.tok(&mut s.builder, f));
            }
            let clusters = !model.clusters.is_empty();
            model.tagger.tag(&s.toks, clusters, &mut s.tags, &mut s.tag);
            s.input.fill(&s.toks, &s.tags, &s.tag.amb, clusters, false);
            model.parser.parse(&s.input, &mut greedy);
            model.parser.parse_beam(&s.input, &mut s.parse, 1);
            assert_eq!(greedy.state.head, s.parse.state.head, "{:?}", sent.form);
            assert_eq!(greedy.state.label, s.parse.state.label, "{:?}", sent.form);
            words += sent.len();
        }
        assert!(words > 5000);
    }
}
