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
//!   jackknifed tags; or, in [`Model::builtin_beam`], the same system decoded
//!   with a beam and trained globally.
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

mod codec;
pub mod eval;
mod hash;
mod lemma;
mod parser;
mod perceptron;
mod tagger;
mod tok;
pub mod train;

use codec::{Reader, Writer};
use dyad_doc::{DepRel, Doc, NO_HEAD, Upos, Xpos};
use std::path::Path;
use std::sync::OnceLock;

/// Magic bytes opening every model file.
pub const MAGIC: &[u8; 8] = b"DYADNLP\0";
/// Newest model format version this build reads and writes; newer files are
/// refused. Version 2 adds the parser's beam width; a greedy model is still
/// written as version 1, so its bytes do not change.
pub const FORMAT_VERSION: u32 = 2;

/// The model shipped in the binary (`models/en_ewt.dyadnlp`, built by `dyad train`).
static BUILTIN: &[u8] = include_bytes!("../../../models/en_ewt.dyadnlp");
/// The accurate model shipped alongside (`models/en_ewt_beam.dyadnlp`, built
/// by `dyad train --beam 4`): same tagger and lemmatizer, beam-search parser.
static BUILTIN_BEAM: &[u8] = include_bytes!("../../../models/en_ewt_beam.dyadnlp");

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
    tagger: tagger::Tagger,
    lemmatizer: lemma::Lemmatizer,
    parser: parser::Parser,
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

    /// The built-in beam-search model, decoded once on first use: about 1.5
    /// points more accurate attachment than [`Model::builtin`] at about half
    /// the annotation speed (ACCURACY.md, BENCHMARKS.md).
    pub fn builtin_beam() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| {
            Model::from_bytes(BUILTIN_BEAM)
                .expect("the embedded beam model is valid (checked by the crate's tests)")
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
        let tagger = tagger::Tagger::read(&mut r)?;
        let lemmatizer = lemma::Lemmatizer::read(&mut r)?;
        let parser = parser::Parser::read(&mut r, found)?;
        if !r.at_end() {
            return Err(r.bad("trailing data after the parser"));
        }
        Ok(Model {
            description,
            tagger,
            lemmatizer,
            parser,
        })
    }

    /// Encodes the model (see [`Model::from_bytes`] for the layout). The
    /// encoding is canonical: equal models give identical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut p = Writer::default();
        p.str(&self.description);
        self.tagger.write(&mut p);
        self.lemmatizer.write(&mut p);
        self.parser.write(&mut p);
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        w.u32(if self.parser.beam() > 1 { 2 } else { 1 });
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
        let first = range.start;
        s.toks.clear();
        for i in range.clone() {
            s.toks.push(s.builder.tok(doc.form(i)));
        }
        self.tagger.tag(&s.toks, &mut s.tags, &mut s.tag);
        s.input.clear();
        for (k, (i, (t, tag))) in range.clone().zip(s.toks.iter().zip(&s.tags)).enumerate() {
            doc.upos[i] = tag.upos;
            doc.xpos[i] = tag.xpos;
            s.input.push(t.lower, tag.id(), s.tag.amb[k]);
            self.lemmatizer
                .lemma(doc.form(i), tag.upos, tag.xpos, &mut s.lemma);
            let a = doc.lemma_buf.len() as u32;
            doc.lemma_buf.push_str(&s.lemma);
            doc.lemma_span[i] = (a, doc.lemma_buf.len() as u32);
        }
        self.parser.parse(&s.input, &mut s.parse);
        let st = &s.parse.state;
        for (k, i) in range.enumerate() {
            let h = st.head[k + 1];
            doc.head[i] = if h == 0 {
                NO_HEAD
            } else {
                (first + h as usize - 1) as u32
            };
            doc.deprel[i] = DepRel::ALL
                .get(usize::from(st.label[k + 1]).wrapping_sub(1))
                .copied()
                .unwrap_or(DepRel::Dep);
        }
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
                s.toks.push(s.builder.tok(f));
            }
            model.tagger.tag(&s.toks, &mut s.tags, &mut s.tag);
            s.input.clear();
            for (k, (t, tag)) in s.toks.iter().zip(&s.tags).enumerate() {
                s.input.push(t.lower, tag.id(), s.tag.amb[k]);
            }
            model.parser.parse(&s.input, &mut greedy);
            model.parser.parse_beam(&s.input, &mut s.parse, 1);
            assert_eq!(greedy.state.head, s.parse.state.head, "{:?}", sent.form);
            assert_eq!(greedy.state.label, s.parse.state.label, "{:?}", sent.form);
            words += sent.len();
        }
        assert!(words > 5000);
    }
}
