//! `dyad eval` for eval_parse.
use crate::Global;
use std::process::ExitCode;

pub fn run(_g: &Global, a: &super::eval::Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`dyad eval {:?}` is not built yet", a.format)
}
