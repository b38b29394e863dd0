//! Prints the actor mentions Dyad's built-in dictionary finds in some text.
//!
//! ```sh
//! cargo run -p dyad-actors --example mentions -- [--date YYYY-MM-DD] [--no-parse] "Russian forces shelled Kharkiv."
//! ```

use dyad_actors::ActorDict;
use dyad_doc::{Doc, Document};

fn main() {
    let mut date = None;
    let mut parse = true;
    let mut text = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--date" => date = args.next(),
            "--no-parse" => parse = false,
            _ => text.push(a),
        }
    }
    let mut d = Doc::from_document(Document {
        id: "cli".into(),
        date,
        text: text.join(" "),
        ..Document::default()
    });
    dyad_text::segment(&mut d);
    if parse {
        dyad_nlp::Model::builtin().annotate(&mut d);
    }
    for m in ActorDict::builtin().mentions(&d) {
        println!(
            "s{} {:?} {:<8} {:?} via {} ({}){}",
            m.sentence + 1,
            m.text,
            m.code,
            m.how,
            m.entry.name,
            m.entry.source,
            m.entry
                .role
                .as_deref()
                .map(|r| format!(" role {r}"))
                .unwrap_or_default()
        );
        for x in &m.members {
            println!("    member {:?} {} {:?}", x.text, x.code, x.how);
        }
    }
}
