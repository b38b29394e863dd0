//! `dyad eval FORMAT FILE`: score against a gold file. `parse` is the NLP core
//! (see `eval_parse`); the other formats are event gold suites (see `eval_code`).
use crate::Global;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// CoNLL-U treebank: UPOS, lemma, UAS, LAS with gold tokenization.
    Parse,
    /// PETRARCH unit-test records (XML or normalized JSONL).
    Petrarch,
    /// TABARI validation suite.
    Tabari,
    /// PLOVER gold-standard records.
    Plover,
    /// ConfliBERT CAMEO test split, 5-class.
    Conflibert,
}

#[derive(clap::Args)]
pub struct Args {
    pub format: Format,
    pub file: PathBuf,
    /// Print results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Tagger/parser model file for `parse` (default: the built-in model).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

pub fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    match a.format {
        Format::Parse => super::eval_parse::run(g, &a),
        _ => super::eval_code::run(g, &a),
    }
}
