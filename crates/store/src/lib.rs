//! Dyad's event store: an embedded DuckDB database file holding documents,
//! sentences, every coded mention and the deduplicated events, with exports
//! and a typed query layer shared by `dyad query` and `dyad serve`.
//!
//! Why DuckDB: analysts slice event data by dyad, month, code and place, which
//! is columnar aggregation over millions of rows; DuckDB does that in tens of
//! milliseconds from a single file that Python, R and the `duckdb` shell open
//! directly, and it reads and writes Parquet natively for the exports. Dyad
//! links the prebuilt `libduckdb.so` (see `build.rs` and
//! `scripts/install-duckdb`) rather than compiling DuckDB from source.
//!
//! Layout:
//! * [`schema`]: the tables and views (documented in the README).
//! * [`write`]: idempotent, resumable ingest in batched transactions, and the
//!   deduplication of mentions into events.
//! * `bulk`: [`Store::bulk_load`], loading a new database on every core.
//! * [`query`]: typed filters → typed, serde-serialisable results.
//! * [`export`]: GDELT 2.0, CSV, JSON lines and (partitioned) Parquet.
//! * [`synth`]: deterministic synthetic events for benchmarks and crash tests.
//!
//! A [`Store`] wraps one DuckDB connection. A connection is `Send` but not
//! `Sync`: a server gives each worker its own with [`Store::try_clone`] (all
//! clones share one database instance and its cache).

mod bulk;
mod columns;
mod detail;
pub mod export;
pub mod query;
pub mod schema;
pub mod synth;
pub mod write;

use std::path::{Path, PathBuf};

pub use query::Filter;
pub use write::{Article, IngestReport};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Db(#[from] duckdb::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}: database schema version {found}, this dyad reads version {expected}; \
         re-ingest into a new database"
    )]
    SchemaVersion {
        path: PathBuf,
        found: String,
        expected: u32,
    },
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An open event database.
pub struct Store {
    conn: duckdb::Connection,
    path: Option<PathBuf>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` for reading and writing.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let conn = duckdb::Connection::open(path)?;
        let store = Store {
            conn,
            path: Some(path.to_path_buf()),
        };
        store.init()?;
        Ok(store)
    }

    /// Opens an existing database read-only (several processes may do so at once,
    /// but not while a writer has it open).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        if !path.exists() {
            return Err(Error::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such database (create it with `dyad ingest`)",
                ),
            });
        }
        let config = duckdb::Config::default().access_mode(duckdb::AccessMode::ReadOnly)?;
        let conn = duckdb::Connection::open_with_flags(path, config)?;
        let store = Store {
            conn,
            path: Some(path.to_path_buf()),
        };
        store.check_version()?;
        Ok(store)
    }

    /// A fresh in-memory database (tests, demos).
    pub fn open_in_memory() -> Result<Store> {
        let store = Store {
            conn: duckdb::Connection::open_in_memory()?,
            path: None,
        };
        store.init()?;
        Ok(store)
    }

    /// Another connection to the same database, for another thread.
    pub fn try_clone(&self) -> Result<Store> {
        Ok(Store {
            conn: self.conn.try_clone()?,
            path: self.path.clone(),
        })
    }

    /// The underlying connection, for ad-hoc SQL.
    pub fn connection(&self) -> &duckdb::Connection {
        &self.conn
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn init(&self) -> Result<()> {
        self.conn.execute_batch(&schema::create_sql())?;
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )?;
        if n == 0 {
            self.conn.execute(
                "INSERT INTO meta VALUES ('schema_version', ?)",
                [schema::SCHEMA_VERSION.to_string()],
            )?;
        }
        self.check_version()
    }

    fn check_version(&self) -> Result<()> {
        let found: Option<String> = self
            .conn
            .query_row(
                "SELECT max(value) FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .unwrap_or(None);
        match found {
            Some(v) if v == schema::SCHEMA_VERSION.to_string() => Ok(()),
            found => Err(Error::SchemaVersion {
                path: self.path.clone().unwrap_or_default(),
                found: found.unwrap_or_else(|| "none (not a Dyad database)".into()),
                expected: schema::SCHEMA_VERSION,
            }),
        }
    }
}

/// FNV-1a, 64 bits: a stable content hash (unlike `std`'s hasher it never
/// changes between Rust versions, and the value is stored in the database).
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator byte that cannot occur in UTF-8 keeps ("ab","c") != ("a","bc").
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_duckdb_1_5_6_and_creates_schema() {
        let s = Store::open_in_memory().unwrap();
        let v: String = s
            .connection()
            .query_row("SELECT version()", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, "v1.5.6");
        let n: i64 = s
            .connection()
            .query_row(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'mentions'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n as usize, schema::N_MENTION_COLUMNS);
    }

    #[test]
    fn reopening_keeps_data_and_rejects_other_schema_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.duckdb");
        {
            let s = Store::open(&path).unwrap();
            s.connection()
                .execute(
                    "UPDATE meta SET value = '999' WHERE key = 'schema_version'",
                    [],
                )
                .unwrap();
        }
        let err = Store::open(&path)
            .err()
            .expect("version mismatch must fail");
        assert!(err.to_string().contains("schema version 999"), "{err}");
    }

    #[test]
    fn fnv_separates_fields() {
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
        assert_eq!(fnv1a(&[b"x"]), fnv1a(&[b"x"]));
    }
}
