//! Segmentation accuracy on UD English EWT (dev), read from ../shared. The floors
//! sit a little under the measured figures (ACCURACY.md, `## Segmentation`), so a
//! rule change that costs accuracy fails here.

use std::io::BufReader;
use std::path::Path;

#[test]
fn ewt_dev_token_and_sentence_f1() {
    let path = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
    )
    .join("../../../shared/data/treebank/ud_english_ewt/en_ewt-ud-dev.conllu");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let docs = dyad_text::eval::read_gold(BufReader::new(file)).unwrap();
    assert!(docs.len() > 100, "{} documents", docs.len());
    let s = dyad_text::eval::score(&docs);
    eprintln!(
        "EWT dev: tokens F1 {:.4} (P {:.4} R {:.4}), sentences F1 {:.4} (P {:.4} R {:.4})",
        s.tokens.f1(),
        s.tokens.precision(),
        s.tokens.recall(),
        s.sentences.f1(),
        s.sentences.precision(),
        s.sentences.recall()
    );
    assert!(
        s.tokens.f1() >= TOKEN_F1_FLOOR,
        "token F1 {}",
        s.tokens.f1()
    );
    assert!(
        s.sentences.f1() >= SENTENCE_F1_FLOOR,
        "sentence F1 {}",
        s.sentences.f1()
    );
}

const TOKEN_F1_FLOOR: f64 = 0.985;
const SENTENCE_F1_FLOOR: f64 = 0.81;
