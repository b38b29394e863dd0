//! `dyad ensemble`: combine trained models into one ensemble model file.
//!
//! The first model keeps its tagger, lemmatizer, word clusters and parser; the
//! parsers of the others join it, and every tree is chosen by weighted vote
//! over their trees (see `dyad_nlp::Model::add_parser`). This is how
//! `models/en_ewt_accurate.dyadnlp` (`--accurate`) is built from models that
//! `dyad train` made; the steps are in models/README.md.
use crate::Global;
use anyhow::Context;
use dyad_nlp::Model;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The model whose tagger, lemmatizer and parser lead the ensemble.
    pub primary: PathBuf,
    /// Models whose parsers join it, each with its vote (`FILE:WEIGHT`, default 1).
    #[arg(required = true, value_name = "FILE[:WEIGHT]")]
    pub members: Vec<String>,
    /// The primary parser's vote.
    #[arg(long, default_value_t = 1.0)]
    pub weight: f32,
    /// Drop the members' parser weights below this quantized magnitude (of
    /// 32767), as `dyad train --parser-prune` would have: a smaller file.
    #[arg(long, value_name = "N")]
    pub member_prune: Option<i16>,
    /// The same for the primary model's parser.
    #[arg(long, value_name = "N")]
    pub primary_prune: Option<i16>,
    /// Where to write the ensemble.
    #[arg(long, default_value = "models/en_ewt_accurate.dyadnlp")]
    pub out: PathBuf,
}

/// `FILE[:WEIGHT]`: a model path with an optional vote weight.
pub fn member_spec(spec: &str) -> anyhow::Result<(PathBuf, f32)> {
    match spec.rsplit_once(':') {
        Some((path, w)) if w.parse::<f32>().is_ok() => {
            let w: f32 = w.parse()?;
            anyhow::ensure!(
                w.is_finite() && w >= 0.0,
                "{spec}: the vote weight must be a number ≥ 0"
            );
            Ok((PathBuf::from(path), w))
        }
        _ => Ok((PathBuf::from(spec), 1.0)),
    }
}

/// Loads each `FILE[:WEIGHT]` in `specs` and adds its parser to `model`.
pub fn add_members(model: &mut Model, specs: &[String]) -> anyhow::Result<()> {
    for spec in specs {
        let (path, weight) = member_spec(spec)?;
        model
            .add_parser(Model::load(&path)?, weight)
            .with_context(|| format!("adding {}", path.display()))?;
    }
    Ok(())
}

pub fn run(_g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let mut model = Model::load(&a.primary)?;
    model.set_weight(a.weight);
    add_members(&mut model, &a.members)?;
    if let Some(min) = a.primary_prune {
        model.prune_parser(min);
    }
    if let Some(min) = a.member_prune {
        model.prune_members(min);
    }
    model.save(&a.out)?;
    let bytes = std::fs::metadata(&a.out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "wrote {} ({} parsers, {bytes} bytes)",
        a.out.display(),
        model.parsers()
    );
    Ok(ExitCode::SUCCESS)
}
