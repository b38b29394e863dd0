//! Puts the directory of `libduckdb.so` in the `dyad` binary's rpath, so the
//! installed binary runs without `LD_LIBRARY_PATH`. The directory comes from
//! dyad-store's build script (which finds the library installed by
//! `scripts/install-duckdb`) through the `links` metadata: link arguments of a
//! dependency's build script do not reach this crate's binaries by themselves.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=DEP_DYAD_DUCKDB_LIBDIR");
    if let Some(dir) = std::env::var_os("DEP_DYAD_DUCKDB_LIBDIR") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.to_string_lossy());
    }
}
