//! `dyad train`: rebuild the tagger/lemmatizer/parser model from a UD treebank.
//!
//! Reads `*-train.conllu` from `--treebank`, trains deterministically (one
//! thread, fixed seed: the same treebank gives a byte-identical file), writes
//! the model, then scores it on the treebank's `*-dev.conllu` if there is one.
use crate::Global;
use anyhow::Context;
use dyad_nlp::Clusters;
use dyad_nlp::train::{TrainOptions, train_with_clusters};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Directory holding the UD treebank (`*-train.conllu`, optionally `*-dev.conllu`).
    #[arg(long, default_value = "../shared/data/treebank/ud_english_ewt")]
    pub treebank: PathBuf,
    /// Where to write the model [default: models/en_ewt.dyadnlp, for the
    /// default settings only; the accurate model's parts are combined with
    /// `dyad ensemble`, see models/README.md].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Tagger training epochs.
    #[arg(long, default_value_t = TrainOptions::default().tagger_epochs)]
    pub tagger_epochs: usize,
    /// Parser training epochs.
    #[arg(long, default_value_t = TrainOptions::default().parser_epochs)]
    pub parser_epochs: usize,
    /// Jackknifing folds for the parser's training tags (0: train on gold tags).
    #[arg(long, default_value_t = TrainOptions::default().folds)]
    pub folds: usize,
    /// Random seed for shuffling and exploration.
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    pub seed: u64,
    /// Drop tagger weights below this quantized magnitude (of 32767).
    #[arg(long, default_value_t = TrainOptions::default().tagger_prune)]
    pub tagger_prune: i16,
    /// Drop parser weights below this quantized magnitude (of 32767): smaller, faster model.
    #[arg(long, default_value_t = TrainOptions::default().parser_prune)]
    pub parser_prune: i16,
    /// Parser beam width: 1 is the greedy parser; more trains a beam parser
    /// (global max-violation training) that decodes with this width.
    #[arg(long, default_value_t = TrainOptions::default().beam)]
    pub beam: usize,
    /// With --beam: score each arc's label in the beam together with its move.
    #[arg(long)]
    pub joint_labels: bool,
    /// Brown word clusters (`bits<TAB>word` lines, Liang's `wcluster`
    /// format) to use as tagger and parser features; stored in the model.
    /// The accurate models use models/clusters/en_brown_reddit.tsv.
    #[arg(long, value_name = "FILE")]
    pub clusters: Option<PathBuf>,
    /// Train the parser to read sentences from the last word to the first
    /// (an ensemble member for `--accurate`).
    #[arg(long)]
    pub right_to_left: bool,
    /// Train on the first N sentences only (quick experiments).
    #[arg(long)]
    pub limit: Option<usize>,
}

/// The treebank file whose name ends in `suffix` (e.g. `-train.conllu`).
fn find(dir: &Path, suffix: &str) -> anyhow::Result<Option<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read treebank directory {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(suffix))
        })
        .collect();
    found.sort();
    Ok(found.into_iter().next())
}

/// Reads a CoNLL-U file, reporting (and skipping) malformed sentences.
pub fn read_treebank(path: &Path, quiet: bool) -> anyhow::Result<Vec<dyad_doc::conllu::Sentence>> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = Vec::new();
    for s in dyad_doc::conllu::Reader::new(std::io::BufReader::new(f)) {
        match s {
            Ok(s) => out.push(s),
            Err(e @ dyad_doc::conllu::ConlluError::Malformed { .. }) => {
                if !quiet {
                    eprintln!("dyad: warning: {}: {e}; sentence skipped", path.display());
                }
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }
    Ok(out)
}

pub fn run(g: &Global, a: Args) -> anyhow::Result<ExitCode> {
    let train_path = find(&a.treebank, "-train.conllu")?
        .with_context(|| format!("no *-train.conllu in {}", a.treebank.display()))?;
    let mut sents = read_treebank(&train_path, g.quiet)?;
    if let Some(n) = a.limit {
        sents.truncate(n);
    }
    let opts = TrainOptions {
        tagger_epochs: a.tagger_epochs,
        parser_epochs: a.parser_epochs,
        folds: a.folds,
        seed: a.seed,
        tagger_prune: a.tagger_prune,
        parser_prune: a.parser_prune,
        beam: a.beam,
        joint_labels: a.joint_labels,
        right_to_left: a.right_to_left,
    };
    let clusters = match &a.clusters {
        None => Clusters::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read word clusters {}", path.display()))?;
            Clusters::from_tsv(&text).with_context(|| format!("in {}", path.display()))?
        }
    };
    eprintln!(
        "training on {} sentences from {}",
        sents.len(),
        train_path.display()
    );
    // Only the default settings rebuild the default model in place; the
    // accurate model's parts are combined by `dyad ensemble` afterwards.
    let plain = a.beam <= 1 && !a.right_to_left && a.clusters.is_none() && a.limit.is_none();
    let out = match a.out.clone() {
        Some(out) => out,
        None if plain => PathBuf::from("models/en_ewt.dyadnlp"),
        None => anyhow::bail!(
            "--out is required unless training the default model (no --beam, --right-to-left, --clusters or --limit)"
        ),
    };
    let model = train_with_clusters(&sents, &opts, clusters, &mut |line| eprintln!("  {line}"));
    let bytes = model.to_bytes();
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    let st = model.stats();
    eprintln!(
        "tagger {} features / {} weights; parser {} features / {} weights; lemmatizer {} lexicon entries / {} suffix rules; {} word clusters",
        st.tagger_features,
        st.tagger_weights,
        st.parser_features,
        st.parser_weights,
        st.lexicon,
        st.lemma_rules,
        st.clusters
    );
    if let Some(dev) = find(&a.treebank, "-dev.conllu")? {
        let gold = read_treebank(&dev, g.quiet)?;
        let s = dyad_nlp::eval::evaluate(&model, &gold);
        eprintln!(
            "{}: UPOS {:.2}  XPOS {:.2}  lemma {:.2}  UAS {:.2}  LAS {:.2}",
            dev.display(),
            s.upos_pct(),
            s.xpos_pct(),
            s.lemma_pct(),
            s.uas_pct(),
            s.las_pct()
        );
    }
    Ok(ExitCode::SUCCESS)
}
