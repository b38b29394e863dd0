//! Test fixtures: documents run through the real segmenter and parser, so the
//! actor tests see what `dyad code` sees.

#![allow(dead_code)]

use dyad_actors::Mention;
use dyad_doc::{Doc, Document};

/// A document of `sentences` (joined by spaces), segmented, tagged and parsed.
/// Panics if the segmenter does not find exactly one sentence per item, since
/// the expectations are per sentence.
pub fn doc(sentences: &[&str], date: Option<&str>) -> Doc {
    let mut d = Doc::from_document(Document {
        id: "t".into(),
        date: date.map(str::to_string),
        text: sentences.join(" "),
        ..Document::default()
    });
    dyad_text::segment(&mut d);
    assert_eq!(
        d.sentences.len(),
        sentences.len(),
        "the segmenter split {:?} into {:?}",
        sentences,
        (0..d.sentences.len())
            .map(|k| d.sentence_text(k))
            .collect::<Vec<_>>()
    );
    annotate(&mut d);
    d
}

/// A mention as one comparable line: `text = CODE how`, compounds as
/// `text = CODE1+CODE2 how`.
pub fn describe(m: &Mention) -> String {
    let codes: Vec<&str> = m.actors().iter().map(|a| a.code.as_str()).collect();
    format!("{} = {} {:?}", m.text, codes.join("+"), m.how).to_lowercase()
}

/// Tags and parses `d` with the built-in model. With `DYAD_TEST_NO_PARSE` set the
/// documents stay untagged, to see what the matcher does without a parse (the
/// expectations assume one, so some then differ).
pub fn annotate(d: &mut Doc) {
    if std::env::var_os("DYAD_TEST_NO_PARSE").is_none() {
        dyad_nlp::Model::builtin().annotate(d);
    }
}
