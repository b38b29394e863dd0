//! Scoring segmentation against a UD treebank, the way the CoNLL 2018 shared task
//! scores it: a token or sentence counts as correct when its character span
//! matches a gold span exactly, and precision, recall and F1 are taken over spans.
//!
//! The raw text is rebuilt from the treebank's `# text` comments: sentences of one
//! paragraph (`# newpar`) joined by a space, paragraphs by a blank line, one text
//! per `# newdoc`. Gold tokens are syntactic words (`do` + `n't`, as Dyad's
//! tokenizer produces); where a multi-word token's words do not spell its surface
//! form (EWT's `gonna` is spelled `gon` + `na`, but a few typos are not), the
//! surface token is the gold unit instead.

use crate::segment_text;
use std::collections::HashSet;
use std::io::BufRead;
use std::ops::Range;

/// One gold document: its rebuilt text with gold token and sentence spans (bytes).
#[derive(Clone, Debug, Default)]
pub struct GoldDoc {
    pub id: String,
    pub text: String,
    pub tokens: Vec<Range<usize>>,
    pub sentences: Vec<Range<usize>>,
}

/// Precision, recall and F1 of one kind of span.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        ratio(2 * self.correct, self.gold + self.predicted)
    }
    fn add(&mut self, gold: &[Range<usize>], predicted: &[Range<usize>]) {
        let g: HashSet<(usize, usize)> = gold.iter().map(|r| (r.start, r.end)).collect();
        self.gold += gold.len();
        self.predicted += predicted.len();
        self.correct += predicted
            .iter()
            .filter(|r| g.contains(&(r.start, r.end)))
            .count();
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Token and sentence scores over a set of documents.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    pub documents: usize,
    pub tokens: Prf,
    pub sentences: Prf,
}

/// Segments every gold document's text and scores the result.
pub fn score(docs: &[GoldDoc]) -> Scores {
    let mut s = Scores::default();
    for d in docs {
        let (toks, sents) = segment_text(&d.text);
        let pt: Vec<Range<usize>> = toks
            .iter()
            .map(|t| t.start as usize..t.end as usize)
            .collect();
        let ps: Vec<Range<usize>> = sents
            .iter()
            .map(|x| x.start as usize..x.end as usize)
            .collect();
        s.documents += 1;
        s.tokens.add(&d.tokens, &pt);
        s.sentences.add(&d.sentences, &ps);
    }
    s
}

#[derive(Default)]
struct Pending {
    text: String,
    /// Surface tokens: (form, word forms if a multi-word token).
    tokens: Vec<(String, Vec<String>)>,
    newpar: bool,
}

/// Reads gold documents from CoNLL-U. Errors name the line.
pub fn read_gold(input: impl BufRead) -> Result<Vec<GoldDoc>, String> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut cur = Pending::default();
    let mut mwt_end = 0usize;
    for (n, line) in input.lines().enumerate() {
        let line = line.map_err(|e| format!("line {}: {e}", n + 1))?;
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            if let Some(id) = c.strip_prefix("newdoc id =") {
                docs.push(GoldDoc {
                    id: id.trim().to_string(),
                    ..GoldDoc::default()
                });
            } else if c.starts_with("newpar") {
                cur.newpar = true;
            } else if let Some(t) = c.strip_prefix("text =") {
                cur.text = t.trim().to_string();
            }
            continue;
        }
        if line.trim().is_empty() {
            if !cur.tokens.is_empty() {
                if docs.is_empty() {
                    docs.push(GoldDoc::default());
                }
                let doc = docs.last_mut().expect("pushed above");
                add_sentence(doc, &cur).map_err(|e| format!("line {}: {e}", n + 1))?;
            }
            cur = Pending::default();
            mwt_end = 0;
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(format!("line {}: expected 10 columns", n + 1));
        }
        let id = cols[0];
        if id.contains('.') {
            continue;
        }
        if let Some((a, b)) = id.split_once('-') {
            let a: usize = a.parse().map_err(|_| format!("line {}: bad id", n + 1))?;
            mwt_end = b.parse().map_err(|_| format!("line {}: bad id", n + 1))?;
            let _ = a;
            cur.tokens.push((cols[1].to_string(), Vec::new()));
            continue;
        }
        let k: usize = id.parse().map_err(|_| format!("line {}: bad id", n + 1))?;
        if k <= mwt_end {
            if let Some(last) = cur.tokens.last_mut() {
                last.1.push(cols[1].to_string());
            }
        } else {
            cur.tokens.push((cols[1].to_string(), Vec::new()));
        }
    }
    Ok(docs)
}

fn add_sentence(doc: &mut GoldDoc, s: &Pending) -> Result<(), String> {
    if !doc.text.is_empty() {
        doc.text.push_str(if s.newpar { "\n\n" } else { " " });
    }
    let base = doc.text.len();
    doc.text.push_str(&s.text);
    let mut at = base;
    let first = doc.tokens.len();
    for (form, words) in &s.tokens {
        while doc.text[at..].starts_with(char::is_whitespace) {
            at += doc.text[at..].chars().next().map_or(1, char::len_utf8);
        }
        if !doc.text[at..].starts_with(form.as_str()) {
            return Err(format!("token {form:?} not found in the sentence text"));
        }
        let end = at + form.len();
        if !words.is_empty() && words.concat() == *form {
            let mut w = at;
            for word in words {
                doc.tokens.push(w..w + word.len());
                w += word.len();
            }
        } else {
            doc.tokens.push(at..end);
        }
        at = end;
    }
    if doc.tokens.len() > first {
        doc.sentences
            .push(doc.tokens[first].start..doc.tokens[doc.tokens.len() - 1].end);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# newpar\n# text = I don't know.\n1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n# text = Me neither.\n1\tMe\tI\tPRON\tPRP\t_\t0\troot\t_\t_\n2\tneither\tneither\tADV\tRB\t_\t1\tadvmod\t_\tSpaceAfter=No\n3\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n";

    #[test]
    fn rebuilds_text_and_scores_a_perfect_split() {
        let docs = read_gold(SAMPLE.as_bytes()).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "I don't know. Me neither.");
        assert_eq!(docs[0].tokens.len(), 8);
        assert_eq!(docs[0].sentences, vec![0..13, 14..25]);
        let s = score(&docs);
        assert_eq!(s.tokens.correct, 8);
        assert_eq!(s.sentences.correct, 2);
        assert!((s.tokens.f1() - 1.0).abs() < 1e-12);
    }
}
