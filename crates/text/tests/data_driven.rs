//! Data-driven segmentation tests: every `tests/data/NAME.txt` is segmented and
//! compared with `tests/data/NAME.tokens` (one sentence per line, tokens separated
//! by ` | `). The expected files are written by hand-checked review, not trusted
//! blindly: regenerate with `UPDATE_EXPECT=1 cargo test -p dyad-text --test
//! data_driven` only to see a diff, then review every changed line.

use dyad_doc::Doc;
use std::path::Path;

fn render(text: &str) -> String {
    let mut doc = Doc {
        text: text.to_string(),
        ..Doc::default()
    };
    dyad_text::segment(&mut doc);
    doc.validate().expect("valid segmentation");
    let mut out = String::new();
    for sp in &doc.sentences {
        let forms: Vec<&str> = sp.tokens().map(|i| doc.form(i)).collect();
        out.push_str(&forms.join(" | "));
        out.push('\n');
    }
    out
}

#[test]
fn every_data_file_segments_as_expected() {
    let dir = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR when it runs tests"),
    )
    .join("tests/data");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 6,
        "test inputs missing in {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for input in &inputs {
        let text = std::fs::read_to_string(input).unwrap();
        let got = render(&text);
        let expected_path = input.with_extension("tokens");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        if got != expected {
            let mut diff = String::new();
            for (k, (g, e)) in got.lines().zip(expected.lines()).enumerate() {
                if g != e {
                    diff.push_str(&format!(
                        "  line {}:\n    got      {g}\n    expected {e}\n",
                        k + 1
                    ));
                }
            }
            let (g, e) = (got.lines().count(), expected.lines().count());
            if g != e {
                diff.push_str(&format!("  {g} sentences, expected {e}\n"));
            }
            failures.push(format!("{}:\n{diff}", input.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
