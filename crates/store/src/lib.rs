//! Event store: embedded DuckDB database, deduplication, exports and queries
