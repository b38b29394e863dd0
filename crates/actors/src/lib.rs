//! Actor recognition: who is named in a document, with which CAMEO-style code.
//!
//! Dyad codes events between actors such as `RUSGOV` (the Russian government) or
//! `UKRMIL` (Ukraine's military). This crate holds the dictionaries that say which
//! words name which actor, and finds those actors in a segmented [`dyad_doc::Doc`]
//! as [`Mention`]s for the event coder.
//!
//! Design:
//!
//! * **Dictionaries are data, readable and editable.** Dyad's own format
//!   ([`mod@format`], documented in `dict/README.md`) has one entry per actor with its
//!   names, a kind (country, capital, person, group), and codes that may be bounded
//!   by dates ("Joe Biden is `USAGOV` 2021-01-20..2025-01-20"), plus agents
//!   ("forces" = `MIL`) that combine with a country. The built-in dictionary is
//!   converted from PETRARCH2's (by `build-actor-dict`) and overridden by a curated
//!   file; it is compiled into the binary. PETRARCH and TABARI dictionaries load
//!   as they are ([`ActorDict::load_petrarch`], [`ActorDict::load_tabari`]).
//! * **One automaton, one pass.** Every name of a dictionary is a pattern in one
//!   Aho-Corasick automaton over folded token text (module `matcher`); a document is
//!   scanned once whatever the dictionary's size, then a left-to-right pass
//!   composes pieces and resolves references (see [`mentions`]).
//! * **Every mention says why.** A mention carries the entry (name, `file:line`,
//!   and the dated role that applied) and how it was found.
//! * **Bad dictionary lines never stop loading.** Each is reported with its file
//!   and line in [`ActorDict::warnings`]; the rest loads.

pub mod convert;
pub mod dict;
pub mod format;
mod matcher;
pub mod mentions;
mod normalize;
mod petrarch;

pub use dict::{
    ActorDict, ActorEntry, AgentEntry, DictBuilder, DiscardEntry, DiscardScope, Kind, Role,
    Warning, parse_doc_date,
};
pub use mentions::{DiscardHit, How, Mention};

use petrarch::{Dialect, FileRole};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The built-in dictionary files, in order of precedence (an earlier file wins a
/// name both spell): the hand-curated file, then the files converted from PETRARCH2.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "dict/actors/curated.actors",
        include_str!("../../../dict/actors/curated.actors"),
    ),
    (
        "dict/actors/countries.actors",
        include_str!("../../../dict/actors/countries.actors"),
    ),
    (
        "dict/actors/phoenix.actors",
        include_str!("../../../dict/actors/phoenix.actors"),
    ),
    (
        "dict/actors/agents.actors",
        include_str!("../../../dict/actors/agents.actors"),
    ),
    (
        "dict/actors/discards.actors",
        include_str!("../../../dict/actors/discards.actors"),
    ),
];

/// A dictionary could not be read at all (a bad line is a [`Warning`] instead).
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{0}: no dictionary files found (expected names containing actors, agents or discards)"
    )]
    NoFiles(PathBuf),
}

fn read(path: &Path) -> Result<String, DictError> {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|source| DictError::Io {
            path: path.to_path_buf(),
            source,
        })
}

fn list_dir(dir: &Path) -> Result<Vec<PathBuf>, DictError> {
    if dir.is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let io = |source| DictError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    Ok(v)
}

impl ActorDict {
    /// The dictionary built into the binary, compiled once on first use.
    pub fn builtin() -> &'static ActorDict {
        static DICT: OnceLock<ActorDict> = OnceLock::new();
        DICT.get_or_init(|| {
            let mut b = DictBuilder::new();
            for (name, text) in BUILTIN_FILES {
                format::read_dyad(&mut b, name, text);
            }
            b.build()
        })
    }

    /// Reads Dyad-format files: one `.actors` file, or every `.actors` file of a
    /// directory in name order (earlier files win).
    pub fn load_dyad(path: &Path) -> Result<ActorDict, DictError> {
        let mut b = DictBuilder::new();
        let files: Vec<PathBuf> = list_dir(path)?
            .into_iter()
            .filter(|p| path.is_file() || p.extension().is_some_and(|e| e == "actors"))
            .collect();
        if files.is_empty() {
            return Err(DictError::NoFiles(path.to_path_buf()));
        }
        for f in files {
            format::read_dyad(&mut b, &f.display().to_string(), &read(&f)?);
        }
        Ok(b.build())
    }

    /// Reads a directory of PETRARCH dictionaries: every file whose name contains
    /// `actors`, `agents` or `discards` (verbs and other files are left alone).
    pub fn load_petrarch(dir: &Path) -> Result<ActorDict, DictError> {
        let files: Vec<(FileRole, PathBuf)> = list_dir(dir)?
            .into_iter()
            .filter_map(|p| Some((petrarch::role_of_file(&p)?, p)))
            .collect();
        Self::load_files(dir, &files, Dialect::Petrarch)
    }

    /// Reads a TABARI project's actors and agents: the files its `.project` names,
    /// else `*.actors` and `*.agents`.
    pub fn load_tabari(dir: &Path) -> Result<ActorDict, DictError> {
        let files = if dir.is_file() {
            petrarch::role_of_file(dir)
                .map(|r| vec![(r, dir.to_path_buf())])
                .unwrap_or_default()
        } else {
            petrarch::tabari_files(dir).map_err(|source| DictError::Io {
                path: dir.to_path_buf(),
                source,
            })?
        };
        Self::load_files(dir, &files, Dialect::Tabari)
    }

    fn load_files(
        dir: &Path,
        files: &[(FileRole, PathBuf)],
        d: Dialect,
    ) -> Result<ActorDict, DictError> {
        if files.is_empty() {
            return Err(DictError::NoFiles(dir.to_path_buf()));
        }
        let mut b = DictBuilder::new();
        // Actors first: a name that is both an actor and an agent is the actor.
        for want in [FileRole::Actors, FileRole::Agents, FileRole::Discards] {
            for (role, path) in files.iter().filter(|(r, _)| *r == want) {
                let text = read(path)?;
                let name = path.display().to_string();
                match role {
                    FileRole::Actors => petrarch::read_actors(&mut b, &name, &text, d),
                    FileRole::Agents => petrarch::read_agents(&mut b, &name, &text, d),
                    FileRole::Discards => petrarch::read_discards(&mut b, &name, &text, d),
                }
            }
        }
        Ok(b.build())
    }
}
