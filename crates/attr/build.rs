//! Builds the place-name automaton of the embedded gazetteer at compile time and
//! serialises it, with the name → places table and the decompressed file, into
//! OUT_DIR: building them costs most of a second, loading the serialised form a
//! few milliseconds, and the gazetteer is loaded at every `dyad` start.

use std::io::Read;

#[path = "src/names.rs"]
mod names;

fn main() {
    let src = "../../data/gazetteer/places.tsv.gz";
    println!("cargo::rerun-if-changed={src}");
    println!("cargo::rerun-if-changed=src/names.rs");
    let gz = std::fs::read(src).expect("read data/gazetteer/places.tsv.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .expect("decompress data/gazetteer/places.tsv.gz");
    let (patterns, refs) = names::name_table(&text);
    let automaton = daachorse::DoubleArrayAhoCorasick::<u32>::with_values(
        patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i as u32)),
    )
    .expect("build the place-name automaton");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("names.daac"), automaton.serialize()).expect("write names.daac");
    std::fs::write(out.join("names.refs"), names::encode_refs(&refs)).expect("write names.refs");
    // embedded decompressed: gunzip would add ~25 ms to every start for 3 MB saved
    std::fs::write(out.join("places.tsv"), &text).expect("write places.tsv");
}
