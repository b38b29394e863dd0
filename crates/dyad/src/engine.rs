//! The one place the whole coding pipeline is assembled:
//!
//! ```text
//! Document ─segment (dyad-text)─▶ Doc ─annotate (dyad-nlp)─▶ parsed Doc
//!   ─mentions, discards (dyad-actors)─▶ ─code (dyad-code)─▶ events ─attributes (dyad-attr)─▶ Coded
//! ```
//!
//! `dyad code`, `dyad eval`, `dyad ingest` and `dyad demo` all build an [`Engine`]
//! and call [`Engine::process`] per document, so every command codes the same
//! way. An engine is immutable after construction and `Sync`: one engine serves
//! every pipeline thread. By default it uses the resources compiled into the
//! binary (model, dictionaries, gazetteer); [`EngineOptions`] swaps in imported
//! PETRARCH/TABARI dictionaries or a model file.

use anyhow::Context;
use dyad_actors::ActorDict;
use dyad_code::{Candidate, Coder, CoderOptions, Discard, Mention, VerbDict};
use dyad_doc::{Doc, Document, Event};
use dyad_nlp::Model;
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// Where dictionaries come from, as given to `--dict`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DictSpec {
    /// Actors, agents, discards and verbs in PETRARCH format, from one directory.
    Petrarch(PathBuf),
    /// A TABARI project directory (actors, agents, verbs).
    Tabari(PathBuf),
    /// Dyad-format actor (`*.actors`) and verb (`*.verbs`) files in one directory.
    Dyad(PathBuf),
}

impl std::str::FromStr for DictSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<DictSpec, String> {
        match s.split_once(':') {
            Some(("petrarch", d)) => Ok(DictSpec::Petrarch(d.into())),
            Some(("tabari", d)) => Ok(DictSpec::Tabari(d.into())),
            Some(("dyad", d)) => Ok(DictSpec::Dyad(d.into())),
            _ => Err(format!(
                "{s:?}: expected petrarch:DIR, tabari:DIR or dyad:DIR"
            )),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    /// Dictionaries to use instead of the built-in ones.
    pub dict: Option<DictSpec>,
    /// Tagger/parser model file instead of the built-in model.
    pub model: Option<PathBuf>,
    /// Without `model`: the built-in beam-search model instead of the greedy one.
    pub accurate: bool,
    /// Keep negated and hypothetical events, flagged.
    pub keep_modal: bool,
    /// Code one-actor events (no target).
    pub monadic: bool,
    /// Skip location, date and count attributes.
    pub no_attributes: bool,
}

/// The built-in tagger/parser model: greedy (fast, the default) or the
/// ensemble (`--accurate`: about 2 points better attachment at about 0.15×
/// the speed).
pub fn builtin_model(accurate: bool) -> &'static Model {
    if accurate {
        Model::builtin_accurate()
    } else {
        Model::builtin()
    }
}

/// A built-in resource or one loaded for this run.
enum Res<T: 'static> {
    Builtin(&'static T),
    Owned(T),
}

impl<T> Deref for Res<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self {
            Res::Builtin(t) => t,
            Res::Owned(t) => t,
        }
    }
}

/// The assembled pipeline.
pub struct Engine {
    model: Res<Model>,
    actors: Res<ActorDict>,
    coder: Res<Coder>,
    attributes: Option<&'static dyad_attr::Attributes>,
    /// Problems found while loading dictionaries (file:line: message).
    pub warnings: Vec<String>,
}

/// One processed document.
pub struct Coded {
    pub doc: Doc,
    pub events: Vec<Event>,
}

impl Engine {
    /// Builds the engine, loading whatever `options` asks for.
    pub fn new(options: EngineOptions) -> anyhow::Result<Engine> {
        let model = match &options.model {
            Some(p) => Res::Owned(Model::load(p)?),
            None => Res::Builtin(builtin_model(options.accurate)),
        };
        let mut warnings = Vec::new();
        // PETRARCH and TABARI dictionaries are run with their own semantics.
        let petrarch_style = matches!(
            options.dict,
            Some(DictSpec::Petrarch(_) | DictSpec::Tabari(_))
        );
        let coder_opts = CoderOptions {
            keep_modal: options.keep_modal,
            monadic: options.monadic,
            literal_future: petrarch_style,
            verb_phrase_patterns: petrarch_style,
            bare_agents: petrarch_style,
            exact_verb_forms: petrarch_style,
        };
        let (actors, coder) = match &options.dict {
            None if !options.keep_modal && !options.monadic => (
                Res::Builtin(ActorDict::builtin()),
                Res::Builtin(Coder::builtin()),
            ),
            None => (
                Res::Builtin(ActorDict::builtin()),
                Res::Owned(Coder::new(VerbDict::builtin(), coder_opts)),
            ),
            Some(spec) => {
                let (actors, verbs) = load_dicts(spec)?;
                warnings.extend(actors.warnings().iter().map(|w| w.to_string()));
                warnings.extend(verbs.warnings.iter().map(|w| w.to_string()));
                (
                    Res::Owned(actors),
                    Res::Owned(Coder::new(verbs, coder_opts)),
                )
            }
        };
        Ok(Engine {
            model,
            actors,
            coder,
            attributes: (!options.no_attributes).then(dyad_attr::Attributes::builtin),
            warnings,
        })
    }

    /// Segments, parses and codes one document.
    pub fn process(&self, document: Document) -> Coded {
        let mut doc = Doc::from_document(document);
        dyad_text::segment(&mut doc);
        self.process_doc(doc)
    }

    /// Codes one input as `dyad code` does: a document is segmented first, a
    /// CoNLL-U document keeps its tokens.
    pub fn process_input(&self, input: dyad_ingest::Input) -> Coded {
        match input {
            dyad_ingest::Input::Document(d) => self.process(d),
            dyad_ingest::Input::Tokenized(doc) => self.process_doc(*doc),
        }
    }

    /// Codes a document that is already segmented (CoNLL-U input keeps its tokens).
    pub fn process_doc(&self, mut doc: Doc) -> Coded {
        self.model.annotate(&mut doc);
        let (mentions, discards) = self.actors_of(&doc);
        let mut events = self.coder.code(&doc, &mentions, &discards);
        self.attach_attributes(&doc, &mut events);
        Coded { doc, events }
    }

    /// Like [`Engine::process_doc`], also returning the human-readable account
    /// of every candidate (`--explain`).
    pub fn explain_doc(&self, mut doc: Doc) -> (Coded, Vec<Candidate>, String) {
        self.model.annotate(&mut doc);
        let (mentions, discards) = self.actors_of(&doc);
        let (mut events, cands) = self.coder.explain(&doc, &mentions, &discards);
        self.attach_attributes(&doc, &mut events);
        let mut text = dyad_code::explain::render(&doc, &events, &cands);
        // Where, when and how many: each attribute says how it was found.
        if let Some(a) = self.attributes {
            for e in &events {
                for line in a.explain(e) {
                    text.push_str(&format!("  {} {line}\n", e.event_id));
                }
            }
        }
        if !mentions.is_empty() {
            text.push_str("  actors:");
            for m in &mentions {
                text.push_str(&format!(
                    " [s{} {} \"{}\" {}]",
                    m.sentence + 1,
                    m.code,
                    m.text,
                    m.how
                ));
            }
            text.push('\n');
        }
        (Coded { doc, events }, cands, text)
    }

    fn attach_attributes(&self, doc: &Doc, events: &mut [Event]) {
        if let Some(a) = self.attributes {
            a.annotate(doc, events);
        }
    }

    /// Actor mentions and discarded sentences, in the coder's terms.
    fn actors_of(&self, doc: &Doc) -> (Vec<Mention>, Vec<Discard>) {
        let mentions: Vec<Mention> = self.actors.mentions(doc);
        let mut discards = Vec::new();
        for d in self.actors.discards(doc) {
            let reason = format!("\"{}\" ({})", d.text, d.entry.source);
            match d.scope {
                dyad_actors::DiscardScope::Sentence => discards.push(Discard {
                    sentence: d.sentence,
                    reason,
                }),
                dyad_actors::DiscardScope::Story => {
                    discards.extend((0..doc.sentences.len() as u32).map(|s| Discard {
                        sentence: s,
                        reason: format!("story discard {reason}"),
                    }))
                }
            }
        }
        (mentions, discards)
    }
}

/// Actor and verb dictionaries for a `--dict` spec.
fn load_dicts(spec: &DictSpec) -> anyhow::Result<(ActorDict, VerbDict)> {
    let verbs_in = |dir: &Path| -> anyhow::Result<VerbDict> {
        VerbDict::load_dir(dir).with_context(|| format!("verb dictionary in {}", dir.display()))
    };
    Ok(match spec {
        DictSpec::Petrarch(dir) => (
            ActorDict::load_petrarch(dir)
                .with_context(|| format!("PETRARCH actor dictionaries in {}", dir.display()))?,
            verbs_in(dir)?,
        ),
        DictSpec::Tabari(dir) => (
            ActorDict::load_tabari(dir)
                .with_context(|| format!("TABARI actor dictionaries in {}", dir.display()))?,
            verbs_in(dir)?,
        ),
        DictSpec::Dyad(dir) => (
            ActorDict::load_dyad(dir)
                .with_context(|| format!("Dyad actor dictionaries in {}", dir.display()))?,
            verbs_in(dir)?,
        ),
    })
}
