//! One module per subcommand.
pub mod code;
pub mod eval;
pub mod parse;
pub mod train;
