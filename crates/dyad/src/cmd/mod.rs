//! One module per subcommand.
pub mod code;
pub mod demo;
pub mod ensemble;
pub mod eval;
pub mod eval_code;
pub mod eval_parse;
pub mod eval_realnews;
pub mod export;
pub mod ingest;
pub mod parse;
pub mod query;
pub mod serve;
pub mod train;
