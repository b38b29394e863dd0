//! Finds the prebuilt DuckDB library installed by `scripts/install-duckdb` and
//! makes every binary that links this crate able to load it at run time.
//!
//! `libduckdb-sys` only asks the linker for `-lduckdb`; it does not know where
//! the library lives. We add the link search path, and an rpath for this
//! crate's own tests, benches and binaries. Link arguments do not propagate to
//! dependents, so the directory is also published as `DEP_DYAD_DUCKDB_LIBDIR`
//! (the `links` key) for dependents' build scripts to put in their own rpath
//! (see `crates/dyad/build.rs`). Besides that, the library is symlinked into
//! `OUT_DIR`: Cargo (and nextest) add link-search paths that lie inside the
//! target directory to the library path of `cargo run`/`cargo test`, so tests
//! of any dependent crate run without an rpath of their own.

use std::path::PathBuf;

/// DuckDB release matching the `duckdb` crate version in Cargo.toml.
const DUCKDB_VERSION: &str = "1.5.6";

fn main() {
    println!("cargo:rerun-if-env-changed=DUCKDB_LIB_DIR");
    println!("cargo:rerun-if-env-changed=HOME");
    let dir = match std::env::var_os("DUCKDB_LIB_DIR") {
        Some(d) => PathBuf::from(d),
        None => {
            let home = std::env::var_os("HOME").unwrap_or_default();
            PathBuf::from(home).join(format!(".local/share/dyad/duckdb/{DUCKDB_VERSION}"))
        }
    };
    let lib = dir.join("libduckdb.so");
    println!("cargo:rerun-if-changed={}", lib.display());
    if !lib.is_file() {
        eprintln!(
            "\nerror: DuckDB {DUCKDB_VERSION} library not found at {}\n\
             Run `scripts/install-duckdb` from the repository root first (it fetches the\n\
             prebuilt libduckdb.so), or set DUCKDB_LIB_DIR to a directory holding it.\n",
            lib.display()
        );
        std::process::exit(1);
    }
    let dir = dir.canonicalize().unwrap_or(dir);

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let local = out.join("duckdb");
    std::fs::create_dir_all(&local).expect("create OUT_DIR/duckdb");
    let link = local.join("libduckdb.so");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(dir.join("libduckdb.so"), &link).expect("symlink libduckdb.so");

    println!("cargo:rustc-link-search=native={}", local.display());
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
    println!("cargo:libdir={}", dir.display());
}
