//! Lemmatizer: a lexicon learned from the treebank, then suffix rules.
//!
//! 1. **Lexicon.** `(form, UPOS, XPOS) → lemma`, the most frequent lemma in
//!    training, looked up with the form as written (which keeps `US → US`,
//!    `I → I`), then lower-cased (`Attacks → attack`), then by UPOS alone when
//!    the tag pair was never seen with the word. XPOS matters: `her/PRP → she`
//!    but `her/PRP$ → her`. This covers irregulars
//!    (`went → go`, `was → be`, `children → child`) exactly as the treebank
//!    lemmatizes them.
//! 2. **Suffix rules** for unseen words, learned from the same data rather than
//!    written by hand: every training word type gives an edit "strip *k*
//!    characters, append *s*" (`studies → study` = strip 3, append `y`), counted
//!    under its PTB tag and each of its suffixes of up to five characters. At
//!    run time the longest matching `(XPOS, suffix)` decides, so `-ies/NNS → -y`,
//!    `-ied/VBD → -y`, `-ves/NNS → -f`/`-fe`, doubled consonants
//!    (`planned/VBD → plan`), `-ing/VBG` and `-ed/VBD` all come out of the data
//!    with their exceptions ranked by frequency. Proper nouns keep their case;
//!    everything else is lower-cased, as in EWT.

use crate::ModelError;
use crate::codec::{Reader, Writer};
use crate::hash::{hash_bytes, mix};
use dyad_doc::{Upos, Xpos};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Longest suffix (in characters) a rule may key on.
const MAX_SUFFIX: usize = 5;
/// A suffix rule must be supported by at least this many word types.
const MIN_RULE_TYPES: u32 = 2;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    form: String,
    /// `upos << 8 | xpos`, or `upos << 8 | ANY_XPOS`.
    tag: u16,
    lemma: String,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rule {
    xpos: u8,
    suffix: String,
    strip: u8,
    append: String,
}

/// The trained lemmatizer.
pub(crate) struct Lemmatizer {
    /// Keyed by the form as written, tag = UPOS.
    exact: Vec<Entry>,
    /// Keyed by the lower-cased form, tag = UPOS.
    lower: Vec<Entry>,
    /// Keyed by XPOS and suffix.
    rules: Vec<Rule>,
    exact_ix: FxHashMap<u64, u32>,
    lower_ix: FxHashMap<u64, u32>,
    rules_ix: FxHashMap<u64, u32>,
}

/// Lexicon tag of an entry keyed by UPOS alone.
const ANY_XPOS: u16 = 0xFF;

fn pair(upos: Upos, xpos: Xpos) -> u16 {
    (upos as u16) << 8 | xpos as u16
}

fn key(s: &str, tag: u16) -> u64 {
    mix(hash_bytes(s.as_bytes()), u64::from(tag))
}

fn index<T>(items: &[T], k: impl Fn(&T) -> u64) -> FxHashMap<u64, u32> {
    items
        .iter()
        .enumerate()
        .map(|(i, e)| (k(e), i as u32))
        .collect()
}

/// The base a rule edits: proper nouns as written, anything else lower-cased.
fn base(form: &str, upos: Upos, buf: &mut String) {
    buf.clear();
    if upos == Upos::Propn {
        buf.push_str(form);
    } else {
        buf.extend(form.chars().flat_map(char::to_lowercase));
    }
}

/// The edit turning `base` into `lemma`: characters to strip, text to append.
fn edit(base: &str, lemma: &str) -> Option<(u8, String)> {
    let common: usize = base
        .chars()
        .zip(lemma.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let strip = base[common..].chars().count();
    u8::try_from(strip)
        .ok()
        .map(|s| (s, lemma[common..].to_string()))
}

/// Suffixes of `s` of 0..=MAX_SUFFIX characters, shortest first.
fn suffixes(s: &str) -> impl Iterator<Item = &str> {
    let starts = std::iter::once(s.len()).chain(s.char_indices().rev().map(|(i, _)| i));
    starts.take(MAX_SUFFIX + 1).map(move |i| &s[i..])
}

impl Lemmatizer {
    fn new(mut exact: Vec<Entry>, mut lower: Vec<Entry>, mut rules: Vec<Rule>) -> Self {
        exact.sort();
        lower.sort();
        rules.sort();
        let exact_ix = index(&exact, |e| key(&e.form, e.tag));
        let lower_ix = index(&lower, |e| key(&e.form, e.tag));
        let rules_ix = index(&rules, |r| key(&r.suffix, u16::from(r.xpos)));
        Lemmatizer {
            exact,
            lower,
            rules,
            exact_ix,
            lower_ix,
            rules_ix,
        }
    }

    /// Learns the lexicon and rules from `(form, upos, xpos, lemma)` tokens.
    pub(crate) fn train<'a>(tokens: impl Iterator<Item = (&'a str, Upos, Xpos, &'a str)>) -> Self {
        let mut exact: BTreeMap<(&str, u16), BTreeMap<&str, u32>> = BTreeMap::new();
        let mut lower: BTreeMap<(String, u16), BTreeMap<&str, u32>> = BTreeMap::new();
        let mut types: BTreeMap<(String, u8, u8), BTreeMap<&str, u32>> = BTreeMap::new();
        let mut buf = String::new();
        for (form, upos, xpos, lemma) in tokens {
            if lemma.is_empty() || lemma == "_" && form != "_" {
                continue;
            }
            let lc = form.to_lowercase();
            for tag in [pair(upos, xpos), (upos as u16) << 8 | ANY_XPOS] {
                *exact
                    .entry((form, tag))
                    .or_default()
                    .entry(lemma)
                    .or_default() += 1;
                *lower
                    .entry((lc.clone(), tag))
                    .or_default()
                    .entry(lemma)
                    .or_default() += 1;
            }
            base(form, upos, &mut buf);
            *types
                .entry((buf.clone(), upos as u8, xpos as u8))
                .or_default()
                .entry(lemma)
                .or_default() += 1;
        }
        // Most frequent lemma; ties go to the alphabetically first (deterministic).
        fn best<'a>(counts: &BTreeMap<&'a str, u32>) -> &'a str {
            let mut best = ("", 0);
            for (&l, &c) in counts {
                if c > best.1 {
                    best = (l, c);
                }
            }
            best.0
        }
        let exact: Vec<Entry> = exact
            .iter()
            .map(|(&(f, t), c)| Entry {
                form: f.to_string(),
                tag: t,
                lemma: best(c).to_string(),
            })
            .collect();
        let lower: Vec<Entry> = lower
            .iter()
            .map(|((f, t), c)| Entry {
                form: f.clone(),
                tag: *t,
                lemma: best(c).to_string(),
            })
            .collect();

        // Suffix rules: count edits per (xpos, suffix) over word types.
        // (xpos, suffix) -> edit (strip, append) -> number of word types.
        type EditCounts<'a> = BTreeMap<(u8, &'a str), BTreeMap<(u8, String), u32>>;
        let mut edits: EditCounts = BTreeMap::new();
        for ((b, _, xpos), c) in &types {
            let Some(e) = edit(b, best(c)) else { continue };
            for suf in suffixes(b) {
                *edits
                    .entry((*xpos, suf))
                    .or_default()
                    .entry(e.clone())
                    .or_default() += 1;
            }
        }
        let mut rules = Vec::new();
        for ((xpos, suffix), counts) in &edits {
            let mut top: Option<(&(u8, String), u32)> = None;
            for (e, &c) in counts {
                if top.is_none_or(|(_, n)| c > n) {
                    top = Some((e, c));
                }
            }
            let Some(((strip, append), n)) = top else {
                continue;
            };
            if n >= MIN_RULE_TYPES || suffix.is_empty() {
                rules.push(Rule {
                    xpos: *xpos,
                    suffix: suffix.to_string(),
                    strip: *strip,
                    append: append.clone(),
                });
            }
        }
        Lemmatizer::new(exact, lower, rules)
    }

    /// Writes the lemma of `form` (tagged `upos`/`xpos`) into `out` (cleared first).
    pub(crate) fn lemma(&self, form: &str, upos: Upos, xpos: Xpos, out: &mut String) {
        fn find<'e>(
            ix: &FxHashMap<u64, u32>,
            v: &'e [Entry],
            f: &str,
            tag: u16,
        ) -> Option<&'e Entry> {
            ix.get(&key(f, tag))
                .map(|&i| &v[i as usize])
                .filter(|e| e.form == f && e.tag == tag)
        }
        let (full, any) = (pair(upos, xpos), (upos as u16) << 8 | ANY_XPOS);
        base(form, upos, out);
        // Proper nouns keep their case: no lower-cased look-up for them.
        let lower = upos != Upos::Propn;
        let hit = find(&self.exact_ix, &self.exact, form, full)
            .or_else(|| {
                lower
                    .then(|| find(&self.lower_ix, &self.lower, out, full))
                    .flatten()
            })
            .or_else(|| find(&self.exact_ix, &self.exact, form, any))
            .or_else(|| {
                lower
                    .then(|| find(&self.lower_ix, &self.lower, out, any))
                    .flatten()
            });
        if let Some(e) = hit {
            out.clear();
            out.push_str(&e.lemma);
            return;
        }
        let rule = suffixes(out).collect::<SmallRev>().find_map(|s| {
            self.rules_ix
                .get(&key(s, u16::from(xpos as u8)))
                .map(|&i| &self.rules[i as usize])
                .filter(|r| r.suffix == s && r.xpos == xpos as u8)
        });
        if let Some(r) = rule {
            let n = out.chars().count();
            if (r.strip as usize) < n {
                let cut = out
                    .char_indices()
                    .nth(n - r.strip as usize)
                    .map_or(out.len(), |(i, _)| i);
                out.truncate(cut);
                out.push_str(&r.append);
            }
        }
    }

    pub(crate) fn entries(&self) -> (usize, usize) {
        (self.exact.len() + self.lower.len(), self.rules.len())
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        for list in [&self.exact, &self.lower] {
            w.len(list.len());
            for e in list {
                w.str(&e.form);
                w.u16(e.tag);
                w.str(&e.lemma);
            }
        }
        w.len(self.rules.len());
        for r in &self.rules {
            w.u8(r.xpos);
            w.str(&r.suffix);
            w.u8(r.strip);
            w.str(&r.append);
        }
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            for _ in 0..r.len()? {
                let form = r.str()?.to_string();
                let tag = r.u16()?;
                let lemma = r.str()?.to_string();
                let x = tag & 0xFF;
                if usize::from(tag >> 8) >= Upos::COUNT
                    || (x != ANY_XPOS && usize::from(x) >= Xpos::COUNT)
                {
                    return Err(r.bad("lexicon entry has an unknown UPOS"));
                }
                list.push(Entry { form, tag, lemma });
            }
        }
        let mut rules = Vec::new();
        for _ in 0..r.len()? {
            let xpos = r.u8()?;
            let suffix = r.str()?.to_string();
            let strip = r.u8()?;
            let append = r.str()?.to_string();
            if usize::from(xpos) >= Xpos::COUNT {
                return Err(r.bad("lemma rule has an unknown XPOS"));
            }
            rules.push(Rule {
                xpos,
                suffix,
                strip,
                append,
            });
        }
        let [exact, lower] = lists;
        Ok(Lemmatizer::new(exact, lower, rules))
    }
}

/// Up to `MAX_SUFFIX + 1` suffixes, iterated longest first, without allocating.
struct SmallRev<'a> {
    items: [&'a str; MAX_SUFFIX + 1],
    len: usize,
}

impl<'a> FromIterator<&'a str> for SmallRev<'a> {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut s = SmallRev {
            items: [""; MAX_SUFFIX + 1],
            len: 0,
        };
        for x in iter.into_iter().take(MAX_SUFFIX + 1) {
            s.items[s.len] = x;
            s.len += 1;
        }
        s
    }
}

impl<'a> Iterator for SmallRev<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        (self.len > 0).then(|| {
            self.len -= 1;
            self.items[self.len]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Upos::*;

    fn lem(l: &Lemmatizer, form: &str, u: Upos, x: &str) -> String {
        let mut s = String::new();
        l.lemma(form, u, Xpos::parse(x).unwrap(), &mut s);
        s
    }

    fn tiny() -> Lemmatizer {
        let data: &[(&str, Upos, &str, &str)] = &[
            ("went", Verb, "VBD", "go"),
            ("studies", Noun, "NNS", "study"),
            ("parties", Noun, "NNS", "party"),
            ("cities", Noun, "NNS", "city"),
            ("tried", Verb, "VBD", "try"),
            ("carried", Verb, "VBD", "carry"),
            ("planned", Verb, "VBD", "plan"),
            ("stopped", Verb, "VBD", "stop"),
            ("dropped", Verb, "VBD", "drop"),
            ("attacked", Verb, "VBD", "attack"),
            ("visited", Verb, "VBD", "visit"),
            ("talks", Noun, "NNS", "talk"),
            ("forces", Noun, "NNS", "force"),
            ("leaders", Noun, "NNS", "leader"),
            ("weapons", Noun, "NNS", "weapon"),
            ("killed", Verb, "VBD", "kill"),
            ("called", Verb, "VBD", "call"),
            ("troops", Noun, "NNS", "troop"),
            ("wolves", Noun, "NNS", "wolf"),
            ("halves", Noun, "NNS", "half"),
            ("meeting", Verb, "VBG", "meet"),
            ("sending", Verb, "VBG", "send"),
            ("US", Propn, "NNP", "US"),
            ("I", Pron, "PRP", "I"),
            ("her", Pron, "PRP", "she"),
            ("her", Pron, "PRP$", "her"),
            ("her", Pron, "PRP$", "her"),
            ("Talks", Noun, "NNS", "talk"),
            ("Americans", Propn, "NNPS", "American"),
            ("Europeans", Propn, "NNPS", "European"),
        ];
        Lemmatizer::train(
            data.iter()
                .map(|&(f, u, x, l)| (f, u, Xpos::parse(x).unwrap(), l)),
        )
    }

    #[test]
    fn lexicon_keeps_irregulars_and_case() {
        let l = tiny();
        assert_eq!(lem(&l, "went", Verb, "VBD"), "go");
        assert_eq!(lem(&l, "Went", Verb, "VBD"), "go");
        assert_eq!(lem(&l, "US", Propn, "NNP"), "US");
        assert_eq!(lem(&l, "I", Pron, "PRP"), "I");
        assert_eq!(lem(&l, "TALKS", Noun, "NNS"), "talk");
        // The XPOS separates readings; UPOS alone is the fallback.
        assert_eq!(lem(&l, "her", Pron, "PRP"), "she");
        assert_eq!(lem(&l, "Her", Pron, "PRP$"), "her");
        assert_eq!(lem(&l, "her", Pron, "WP"), "her");
        assert_eq!(lem(&l, "went", Verb, "VBN"), "go");
    }

    #[test]
    fn rules_generalize_to_unseen_words() {
        let l = tiny();
        assert_eq!(lem(&l, "militias", Noun, "NNS"), "militia");
        assert_eq!(lem(&l, "countries", Noun, "NNS"), "country");
        assert_eq!(lem(&l, "Allies", Noun, "NNS"), "ally");
        assert_eq!(lem(&l, "denied", Verb, "VBD"), "deny");
        assert_eq!(lem(&l, "shelled", Verb, "VBD"), "shell");
        assert_eq!(lem(&l, "shipped", Verb, "VBD"), "ship");
        assert_eq!(lem(&l, "shelves", Noun, "NNS"), "shelf");
        assert_eq!(lem(&l, "fighting", Verb, "VBG"), "fight");
        assert_eq!(lem(&l, "Russians", Propn, "NNPS"), "Russian");
        // Proper nouns keep their case; unknown tags leave the word as it is.
        assert_eq!(lem(&l, "Kyiv", Propn, "NNP"), "Kyiv");
        assert_eq!(lem(&l, "Ukraine's", Propn, "NNP"), "Ukraine's");
    }

    #[test]
    fn round_trips_through_bytes() {
        let l = tiny();
        let mut w = Writer::default();
        l.write(&mut w);
        let back = Lemmatizer::read(&mut Reader::new(&w.buf)).unwrap();
        assert_eq!(back.entries(), l.entries());
        assert_eq!(lem(&back, "countries", Noun, "NNS"), "country");
        assert!(Lemmatizer::read(&mut Reader::new(&w.buf[..10])).is_err());
    }
}
