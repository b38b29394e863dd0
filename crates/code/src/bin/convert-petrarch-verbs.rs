//! Converts a PETRARCH verb dictionary (`CAMEO.2.0.txt`) into Dyad's verb
//! format (`dict/verbs/cameo.verbs`), line by line, keeping each pattern's
//! comment (the verb it was written for, the coder's initials and date).
//!
//! ```text
//! cargo run -p dyad-code --bin convert-petrarch-verbs -- \
//!     ../shared/data/dictionaries/petrarch2/CAMEO.2.0.txt dict/verbs/cameo.verbs
//! ```
//!
//! The translation is mechanical: `&SET` + `+MEMBER` lines become one
//! `@set = ...` line, `--- NAME [code] ---` becomes `== name [code]`, verb lines
//! become `verb` lines (irregular forms listed as further words), pattern lines
//! keep their shape in lower case with `@set` for `&SET`. The transformation
//! rules at the end of the file are not converted: Dyad handles reported speech
//! and intent with rules over the parse instead. Curated additions and
//! overrides go in `dict/verbs/curated.verbs`, which is loaded first.

use std::fmt::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: convert-petrarch-verbs CAMEO.2.0.txt OUT.verbs");
        return ExitCode::from(2);
    }
    let text = match std::fs::read_to_string(&args[1]) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("convert-petrarch-verbs: {}: {e}", args[1]);
            return ExitCode::FAILURE;
        }
    };
    let (out, stats) = convert(&text);
    if let Err(e) = std::fs::write(&args[2], out) {
        eprintln!("convert-petrarch-verbs: {}: {e}", args[2]);
        return ExitCode::FAILURE;
    }
    eprintln!(
        "wrote {}: {} synonym sets, {} groups, {} verb lines, {} patterns",
        args[2], stats.sets, stats.groups, stats.verbs, stats.patterns
    );
    ExitCode::SUCCESS
}

#[derive(Default)]
struct Stats {
    sets: usize,
    groups: usize,
    verbs: usize,
    patterns: usize,
}

fn convert(text: &str) -> (String, Stats) {
    let mut out = String::from(
        "# Dyad verb dictionary converted from PETRARCH2's CAMEO.2.0.txt\n\
         # (Open Event Data Alliance, MIT licence; see NOTICE). Regenerate with\n\
         #   cargo run -p dyad-code --bin convert-petrarch-verbs -- \\\n\
         #       ../shared/data/dictionaries/petrarch2/CAMEO.2.0.txt dict/verbs/cameo.verbs\n\
         # Edit dict/verbs/curated.verbs instead of this file. Format: dict/README.md.\n",
    );
    let mut st = Stats::default();
    let mut set: Option<(String, Vec<String>)> = None;
    let mut in_verbs = false;
    let flush = |out: &mut String, set: &mut Option<(String, Vec<String>)>, st: &mut Stats| {
        if let Some((name, members)) = set.take() {
            let _ = writeln!(out, "@{} = {}", name, members.join(" "));
            st.sets += 1;
        }
    };
    for raw in text.lines() {
        let t = raw.trim();
        if t.contains("TRANSFORMATIONS") {
            break;
        }
        if t.contains("VERB PATTERNS") {
            flush(&mut out, &mut set, &mut st);
            in_verbs = true;
            out.push('\n');
            continue;
        }
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (body, comment) = match t.find('#') {
            Some(i) if !t[..i].ends_with('[') => (t[..i].trim(), t[i + 1..].trim()),
            _ => (t, ""),
        };
        let comment = if comment.is_empty() {
            String::new()
        } else {
            format!("  # {}", comment.to_lowercase())
        };
        if !in_verbs {
            if let Some(name) = body.strip_prefix('&') {
                flush(&mut out, &mut set, &mut st);
                set = Some((name.trim().to_lowercase(), Vec::new()));
            } else if let (Some(m), Some((_, members))) = (body.strip_prefix('+'), set.as_mut()) {
                let w: Vec<String> = m
                    .split_whitespace()
                    .map(|x| x.trim_end_matches('_').to_lowercase())
                    .collect();
                if !w.is_empty() {
                    members.push(w.join("_"));
                }
            }
            continue;
        }
        if body.starts_with("---") {
            let inner = body.trim_matches('-').trim();
            let (name, code) = match inner.rfind('[') {
                Some(i) => (inner[..i].trim(), inner[i..].trim()),
                None => (inner, "[---]"),
            };
            let _ = writeln!(out, "\n== {} {}", name.to_lowercase(), code);
            st.groups += 1;
        } else if let Some(p) = body.strip_prefix('-') {
            let (words, code) = match p.rfind('[') {
                Some(i) => (p[..i].trim(), p[i..].trim()),
                None => (p.trim(), ""),
            };
            let words: Vec<String> = words
                .split_whitespace()
                .map(|w| {
                    let w = w.to_lowercase().replace('&', "@");
                    // `WORD_` (exact form) is the same word for Dyad.
                    if w.len() > 1 && w.ends_with('_') {
                        w.trim_end_matches('_').to_string()
                    } else {
                        w
                    }
                })
                .collect();
            let _ = writeln!(out, "- {:<48} {}{}", words.join(" "), code, comment);
            st.patterns += 1;
        } else {
            // A verb line: `WORD {FORMS} [code]`.
            // `;` starts an old TABARI-style comment; commas separate forms.
            let body = body.split(';').next().unwrap_or("").trim();
            let (words, code) = match body.rfind('[') {
                Some(i) => (body[..i].trim(), format!(" {}", body[i..].trim())),
                None => (body, String::new()),
            };
            let spellings: Vec<String> = words
                .split(|c: char| c.is_whitespace() || matches!(c, '{' | '}' | ','))
                .filter(|w| !w.is_empty())
                .map(|w| w.to_lowercase())
                .collect();
            if spellings.is_empty() {
                continue;
            }
            let _ = writeln!(out, "verb {}{}{}", spellings.join(" "), code, comment);
            st.verbs += 1;
        }
    }
    (out, st)
}
