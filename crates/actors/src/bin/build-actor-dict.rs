//! Rebuilds Dyad's converted actor dictionaries from PETRARCH2's.
//!
//! ```sh
//! cargo run -p dyad-actors --bin build-actor-dict -- [PETRARCH2_DIR] [PLOVER_COUNTRIES_CSV] [OUT_DIR] [GAZETTEER]
//! ```
//!
//! Defaults: `../shared/data/dictionaries/petrarch2`, `../shared/data/plover/countries.csv`,
//! `dict/actors`, `data/gazetteer/places.tsv.gz` (run from the repository root). The
//! gazetteer tells which of PETRARCH's country synonyms are places. `OUT_DIR/curated.actors` is read,
//! never written: it supersedes converted people and wins name by name at load time.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        eprintln!("usage: build-actor-dict [PETRARCH2_DIR] [PLOVER_COUNTRIES_CSV] [OUT_DIR]");
        return ExitCode::SUCCESS;
    }
    let arg = |i: usize, default: &str| PathBuf::from(args.get(i).map_or(default, String::as_str));
    let src = arg(0, "../shared/data/dictionaries/petrarch2");
    let csv = arg(1, "../shared/data/plover/countries.csv");
    let out = arg(2, "dict/actors");
    let gaz_path = arg(3, "data/gazetteer/places.tsv.gz");
    let curated = out.join("curated.actors");
    let gazetteer = match read_gz(&gaz_path) {
        Ok(text) => dyad_actors::convert::Gazetteer::from_tsv(&text),
        Err(e) => {
            eprintln!("error: {}: {e}", gaz_path.display());
            return ExitCode::FAILURE;
        }
    };
    match dyad_actors::convert::convert(
        &src,
        csv.exists().then_some(csv.as_path()),
        &curated,
        &out,
        Some(&gazetteer),
    ) {
        Ok(r) => {
            for w in &r.warnings {
                eprintln!("warning: {w}");
            }
            eprintln!(
                "wrote {}: {} countries ({} place names), {} actors ({} people superseded by curated.actors), {} agents, {} discards; {} warnings",
                out.display(),
                r.countries,
                r.places,
                r.actors,
                r.superseded,
                r.agents,
                r.discards,
                r.warnings.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn read_gz(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path)?).read_to_string(&mut text)?;
    Ok(text)
}
