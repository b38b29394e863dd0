//! `dyad demo`.
use crate::Global;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_g: &Global, _a: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`dyad demo` is not built yet")
}
