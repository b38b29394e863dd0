//! Gazetteer load time and annotation throughput (run: `cargo bench -p dyad-attr`).
use std::io::Read;
fn main() {
    let t = std::time::Instant::now();
    let mut s = String::new();
    flate2::read::GzDecoder::new(dyad_attr::gazetteer::BUILTIN_GZ)
        .read_to_string(&mut s)
        .unwrap();
    println!("gunzip: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = std::time::Instant::now();
    let g = dyad_attr::gazetteer::Gazetteer::builtin_data().unwrap();
    println!(
        "parse+build: {:.1} ms, {} places, {} names",
        t.elapsed().as_secs_f64() * 1e3,
        g.places.len(),
        g.pattern_count()
    );
}
