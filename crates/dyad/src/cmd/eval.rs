//! `dyad eval FORMAT FILE`: score against a gold file. `parse` is the NLP core
//! (see `eval_parse`); the other formats are event gold suites (see `eval_code`).
use crate::Global;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// CoNLL-U treebank: UPOS, lemma, UAS, LAS with gold tokenization.
    Parse,
    /// PETRARCH unit-test records (normalized JSONL), coded with their own dictionaries.
    Petrarch,
    /// TABARI validation suite (normalized JSONL), coded with its own dictionaries.
    Tabari,
    /// PLOVER gold-standard records (normalized JSONL), coded with Dyad's dictionaries.
    Plover,
    /// ConfliBERT CAMEO test split (normalized JSONL), 5-class accuracy.
    Conflibert,
    /// RealNews gold (`realnews_dev.jsonl`): real news documents coded whole
    /// as `dyad code` codes them, scored on the annotated sentences.
    Realnews,
}

#[derive(clap::Args)]
pub struct Args {
    pub format: Format,
    pub file: PathBuf,
    /// Print results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Tagger/parser model file (default: the built-in model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Use the built-in accurate model (parser ensemble: about 2 points better
    /// attachment, about 0.15× the speed).
    #[arg(long, conflicts_with = "model")]
    pub accurate: bool,
    /// `parse`: another model whose parser votes with --model's on every
    /// tree (ensemble by reparsing), with an optional vote weight
    /// (`FILE:WEIGHT`, default 1). Repeatable.
    #[arg(long, value_name = "FILE[:WEIGHT]", requires = "model")]
    pub ensemble: Vec<String>,
    /// `parse`: vote weight of --model's own parser in an ensemble.
    #[arg(long, requires = "ensemble")]
    pub weight: Option<f32>,
    /// Event suites: dictionaries to code with (petrarch:DIR, tabari:DIR, dyad:DIR).
    /// Default: the gold file's own directory for petrarch and tabari, Dyad's
    /// built-in dictionaries for plover and conflibert.
    #[arg(long, value_name = "KIND:DIR")]
    pub dict: Option<crate::engine::DictSpec>,
    /// Event suites: how many failed records to list.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub failures: usize,
    /// Event suites: score only the records at even or odd positions (0-based,
    /// file order), to develop on one half and check the other for overfitting.
    /// `realnews`: `a` or `b`, the documents of the first or second sampling
    /// round (both halves' figures are always printed; this picks the
    /// failures listed).
    #[arg(long, value_name = "HALF")]
    pub half: Option<Half>,
    /// `realnews`: the documents file (default: `<gold stem>_docs.jsonl` beside
    /// the gold file).
    #[arg(long, value_name = "FILE")]
    pub docs: Option<PathBuf>,
    /// `realnews`: score this `dyad code` output instead of coding the documents.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// `realnews`: code with one-actor events, as `dyad code --monadic`.
    #[arg(long)]
    pub monadic: bool,
    /// `realnews`: keep negated and hypothetical events, as `dyad code --keep-modal`.
    #[arg(long)]
    pub keep_modal: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Half {
    Even,
    Odd,
    A,
    B,
}

pub fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    match a.format {
        Format::Parse => super::eval_parse::run(g, &a),
        Format::Realnews => super::eval_realnews::run(g, &a),
        _ => super::eval_code::run(g, &a),
    }
}
