//! Part-of-speech tagger: greedy left-to-right averaged perceptron with two
//! heads (UPOS and PTB XPOS) sharing one feature vector.
//!
//! Both tag sets are predicted from the same features in one pass, so the cost
//! of feature extraction and weight lookup is paid once; each head has its own
//! class block in the weight rows and its own perceptron update. The history
//! features use the previous two *predicted* tags (as at run time), which keeps
//! training and use consistent. Features follow the well-tested recipe for
//! English (word, lower-case, affixes, shape, a ±2 word window, tag history and
//! a few conjunctions).
//!
//! A greedy left-to-right tagger cannot see the tags to its right. The
//! *ambiguity classes* stand in for them: for every word seen at least
//! `MIN_AMBIGUITY_COUNT` times in training, the set of XPOS tags it took
//! (`the → {DT}`, `that → {DT, IN, WDT, RB}`). The classes of the current and
//! next two words are features, so "to" before a word that can only be a verb
//! reads differently from "to" before a noun, at the cost of one hash lookup
//! per token.

use crate::ModelError;
use crate::clusters::prefix;
use crate::codec::{Reader, Writer};
use crate::hash::{Rng, mix};
use crate::perceptron::{Row, TrainTable, Weights, freeze};
use crate::tok::Tok;
use dyad_doc::{Upos, Xpos};
use rustc_hash::FxHashMap;

pub(crate) const N_UPOS: usize = Upos::COUNT;
pub(crate) const N_XPOS: usize = Xpos::COUNT;
const CLASSES: usize = N_UPOS + N_XPOS;

/// A predicted (or gold) tag pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tag {
    pub upos: Upos,
    pub xpos: Xpos,
}

impl Tag {
    pub(crate) fn id(self) -> u64 {
        (self.upos as u64) << 8 | self.xpos as u64
    }
}

const BOS: u64 = 0xB0_5000;
/// Words rarer than this in training get no ambiguity class.
const MIN_AMBIGUITY_COUNT: u32 = 3;
const EOS: u64 = 0xE0_5000;
/// Id of the first cluster template. Keys are `mix`-folds of a template id and
/// values, and a small id shifted by `mix` can equal another small id XOR a
/// bit-set value (an ambiguity class), so templates added after a model was
/// trained take ids far from the small ones: the old model finds none of
/// their keys and tags exactly as before.
const CLUSTER_TEMPLATES: u64 = 0x5EED_C1A5_7E20_0000;

/// Pushes the feature keys of token `i` given the ambiguity classes of all
/// tokens and the tags already predicted for tokens `0..i` (`prev[..i]`).
/// `clusters`: whether the model has word clusters (else their templates are
/// left out, so a model without them is exactly what it was before them).
pub(crate) fn features(
    toks: &[Tok],
    amb: &[u64],
    i: usize,
    prev: &[Tag],
    clusters: bool,
    out: &mut Vec<u64>,
) {
    out.clear();
    let t = &toks[i];
    let at = |j: isize| -> Option<&Tok> { usize::try_from(j).ok().and_then(|j| toks.get(j)) };
    let i_ = i as isize;
    let lower = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |t| t.lower);
    let suf3 = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |t| t.suffix[2]);
    let shape = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |t| t.shape);
    let tag = |j: isize| usize::try_from(j).map_or(BOS, |j| prev[j].id());
    let class = |j: usize| amb.get(j).copied().unwrap_or(EOS);
    let (t1, t2) = (tag(i_ - 1), tag(i_ - 2));
    let first = u64::from(i == 0);

    let mut f = |id: u64, vals: &[u64]| out.push(vals.iter().fold(id, |h, &v| mix(h, v)));
    f(1, &[]);
    f(2, &[t.lower]);
    f(3, &[t.form]);
    for (k, &s) in t.suffix.iter().enumerate() {
        f(4 + k as u64, &[s]);
    }
    for (k, &p) in t.prefix.iter().enumerate() {
        f(8 + k as u64, &[p]);
    }
    f(11, &[t.shape]);
    f(12, &[t.flags, first]);
    f(13, &[t1]);
    f(14, &[t2, t1]);
    f(15, &[t1, t.lower]);
    f(16, &[lower(i_ - 1)]);
    f(17, &[suf3(i_ - 1)]);
    f(18, &[lower(i_ - 2)]);
    f(19, &[lower(i_ + 1)]);
    f(20, &[suf3(i_ + 1)]);
    f(21, &[lower(i_ + 2)]);
    f(22, &[lower(i_ - 1), t.lower]);
    f(23, &[t.lower, lower(i_ + 1)]);
    f(24, &[shape(i_ - 1), t.shape, shape(i_ + 1)]);
    f(25, &[t1, t.shape]);
    f(26, &[t1, t.suffix[2]]);
    f(27, &[first, t.shape]);
    f(28, &[t1, lower(i_ + 1)]);
    f(29, &[t.suffix[1], lower(i_ + 1)]);
    f(30, &[lower(i_ - 1), t.suffix[2]]);
    let (a0, a1, a2) = (class(i), class(i + 1), class(i + 2));
    f(31, &[a0]);
    f(32, &[a1]);
    f(33, &[a2]);
    f(34, &[a0, a1]);
    f(35, &[t1, a0, a1]);
    f(36, &[t.lower, a1]);
    f(37, &[t.suffix[2], a0]);
    if !clusters {
        return;
    }
    // Brown clusters: coarse prefixes act like tags, the full path like a
    // word known from far more text than the treebank.
    let c = |j: isize| at(j).map_or(if j < 0 { BOS } else { EOS }, |t| t.cluster);
    let (c0, cp, cn) = (t.cluster, c(i_ - 1), c(i_ + 1));
    f(CLUSTER_TEMPLATES, &[c0]);
    f(CLUSTER_TEMPLATES + 1, &[prefix(c0, 4)]);
    f(CLUSTER_TEMPLATES + 2, &[prefix(c0, 6)]);
    f(CLUSTER_TEMPLATES + 3, &[prefix(c0, 10)]);
    f(CLUSTER_TEMPLATES + 4, &[cp]);
    f(CLUSTER_TEMPLATES + 5, &[cn]);
    f(CLUSTER_TEMPLATES + 6, &[prefix(cn, 6)]);
    f(CLUSTER_TEMPLATES + 7, &[t1, prefix(c0, 6)]);
    f(CLUSTER_TEMPLATES + 8, &[prefix(c0, 6), t.suffix[2]]);
}

/// Word → set of XPOS tags seen in training (bit = `Xpos as usize`).
#[derive(Default)]
pub(crate) struct TagDict {
    map: FxHashMap<u64, u64>,
}

impl TagDict {
    fn build(sents: &[(&[Tok], &[Tag])]) -> Self {
        let mut counts: FxHashMap<u64, (u32, u64)> = FxHashMap::default();
        for (toks, tags) in sents {
            for (t, g) in toks.iter().zip(*tags) {
                let e = counts.entry(t.lower).or_default();
                e.0 += 1;
                e.1 |= 1u64 << (g.xpos as u64 % 64);
            }
        }
        TagDict {
            map: counts
                .into_iter()
                .filter(|&(_, (n, _))| n >= MIN_AMBIGUITY_COUNT)
                .map(|(k, (_, m))| (k, m))
                .collect(),
        }
    }

    /// The ambiguity class of each token (0 for rare or unknown words).
    pub(crate) fn classes(&self, toks: &[Tok], out: &mut Vec<u64>) {
        out.clear();
        out.extend(
            toks.iter()
                .map(|t| self.map.get(&t.lower).copied().unwrap_or(0)),
        );
    }

    fn write(&self, w: &mut Writer) {
        let mut v: Vec<(u64, u64)> = self.map.iter().map(|(&k, &m)| (k, m)).collect();
        v.sort_unstable();
        w.len(v.len());
        for (k, m) in v {
            w.u64(k);
            w.u64(m);
        }
    }

    fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let n = r.len()?;
        let mut map = FxHashMap::default();
        for _ in 0..n {
            let k = r.u64()?;
            map.insert(k, r.u64()?);
        }
        Ok(TagDict { map })
    }
}

/// For each UPOS, the XPOS tags it was seen with in training (bit = XPOS).
/// Decoding picks the best *consistent* pair, so the two heads never disagree
/// (no `PROPN`/`VBD`), which also keeps the parser's tag features clean.
pub(crate) type Pairs = [u64; N_UPOS];

fn learn_pairs(sents: &[(&[Tok], &[Tag])]) -> Pairs {
    let mut pairs = [0u64; N_UPOS];
    for (_, tags) in sents {
        for t in *tags {
            pairs[t.upos as usize] |= 1u64 << t.xpos as u64;
        }
    }
    pairs
}

/// The consistent `(UPOS, XPOS)` pair with the highest summed score; plain
/// per-head argmax when no pair is known.
fn decode<T: Copy + PartialOrd + std::ops::Add<Output = T>>(
    pairs: &Pairs,
    scores: &[T],
) -> (usize, usize) {
    let (su, sx) = scores.split_at(N_UPOS);
    let mut best: Option<(T, usize, usize)> = None;
    for (u, &mask) in pairs.iter().enumerate() {
        let mut m = mask;
        while m != 0 {
            let x = m.trailing_zeros() as usize;
            m &= m - 1;
            let v = su[u] + sx[x];
            if best.is_none_or(|(b, _, _)| v > b) {
                best = Some((v, u, x));
            }
        }
    }
    best.map_or((argmax(su), argmax(sx)), |(_, u, x)| (u, x))
}

fn argmax<T: PartialOrd + Copy>(s: &[T]) -> usize {
    let mut best = 0;
    for (j, &v) in s.iter().enumerate().skip(1) {
        if v > s[best] {
            best = j;
        }
    }
    best
}

/// The trained tagger.
pub(crate) struct Tagger {
    pairs: Pairs,
    dict: TagDict,
    weights: Weights,
}

/// Reusable buffers for tagging.
#[derive(Default)]
pub(crate) struct TagScratch {
    /// Ambiguity classes of the last tagged sentence (also parser features).
    pub(crate) amb: Vec<u64>,
    keys: Vec<u64>,
    rows: Vec<Row>,
}

impl Tagger {
    /// Tags `toks` into `out` (cleared first).
    /// `clusters`: the model has word clusters (see [`features`]).
    pub(crate) fn tag(&self, toks: &[Tok], clusters: bool, out: &mut Vec<Tag>, s: &mut TagScratch) {
        out.clear();
        self.dict.classes(toks, &mut s.amb);
        for i in 0..toks.len() {
            features(toks, &s.amb, i, out, clusters, &mut s.keys);
            s.rows.clear();
            self.weights.lookup(&s.keys, &mut s.rows);
            let mut scores = [0i32; CLASSES];
            self.weights.add(&s.rows, 0, CLASSES, &mut scores);
            let (u, x) = decode(&self.pairs, &scores);
            out.push(Tag {
                upos: Upos::ALL[u],
                xpos: Xpos::ALL[x],
            });
        }
    }

    pub(crate) fn weights(&self) -> &Weights {
        &self.weights
    }

    pub(crate) fn dict(&self) -> &TagDict {
        &self.dict
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        self.pairs.iter().for_each(|&m| w.u64(m));
        self.dict.write(w);
        self.weights.write(w);
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let mut pairs = [0u64; N_UPOS];
        for m in &mut pairs {
            *m = r.u64()?;
            if *m >> N_XPOS != 0 {
                return Err(r.bad("tag pair table names an unknown XPOS"));
            }
        }
        let dict = TagDict::read(r)?;
        let weights = Weights::read(r)?;
        if weights.classes() != CLASSES {
            return Err(r.bad("tagger has the wrong number of classes"));
        }
        Ok(Tagger {
            pairs,
            dict,
            weights,
        })
    }
}

/// Trains a tagger on `(tokens, gold tags)` sentences for `epochs` passes,
/// visiting sentences in an order shuffled by `seed`.
pub(crate) fn train(
    sents: &[(&[Tok], &[Tag])],
    clusters: bool,
    epochs: usize,
    seed: u64,
    prune: i16,
) -> Tagger {
    let mut table = TrainTable::new(CLASSES);
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..sents.len()).collect();
    let dict = TagDict::build(sents);
    let pairs = learn_pairs(sents);
    let (mut keys, mut pred, mut amb) = (Vec::new(), Vec::new(), Vec::new());
    let mut step: i64 = 1;
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for &s in &order {
            let (toks, gold) = sents[s];
            pred.clear();
            dict.classes(toks, &mut amb);
            for (i, &g) in gold.iter().enumerate() {
                features(toks, &amb, i, &pred, clusters, &mut keys);
                let mut scores = [0i64; CLASSES];
                table.score(&keys, &mut scores);
                let (u, x) = decode(&pairs, &scores);
                if u != g.upos as usize {
                    table.update(&keys, g.upos as usize, 1, step);
                    table.update(&keys, u, -1, step);
                }
                if x != g.xpos as usize {
                    table.update(&keys, N_UPOS + g.xpos as usize, 1, step);
                    table.update(&keys, N_UPOS + x, -1, step);
                }
                step += 1;
                pred.push(Tag {
                    upos: Upos::ALL[u],
                    xpos: Xpos::ALL[x],
                });
            }
        }
    }
    Tagger {
        pairs,
        dict,
        weights: freeze(&[(&table, 0)], step, prune, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tok::TokBuilder;

    fn toks(words: &[&str]) -> Vec<Tok> {
        let mut b = TokBuilder::default();
        words.iter().map(|w| b.tok(w)).collect()
    }

    #[test]
    fn features_see_the_window_and_the_history() {
        let a = toks(&["They", "want", "to", "talk"]);
        let b = toks(&["They", "went", "to", "talk"]);
        let amb = vec![0; 4];
        let hist = [Tag::default(); 4];
        let (mut fa, mut fb) = (Vec::new(), Vec::new());
        features(&a, &amb, 2, &hist, false, &mut fa);
        features(&a, &amb, 2, &hist, false, &mut fb);
        assert_eq!(fa, fb, "extraction is a pure function");
        assert_eq!(fa.len(), 37, "one key per template");
        // With word clusters, their templates follow and nothing else moves.
        let mut fc = Vec::new();
        features(&a, &amb, 2, &hist, true, &mut fc);
        assert_eq!(fc.len(), 46);
        assert_eq!(fc[..37], fa[..]);
        // A different previous word changes the window features but not the word's own.
        features(&b, &amb, 2, &hist, false, &mut fb);
        let differ = fa.iter().zip(&fb).filter(|(x, y)| x != y).count();
        assert!((3..10).contains(&differ), "{differ} features differ");
        assert_eq!(fa[1], fb[1], "the lower-cased word itself");
        // The predicted history and the ambiguity classes are features too.
        let mut other = hist;
        other[1].xpos = Xpos::Vbd;
        features(&a, &amb, 2, &other, false, &mut fb);
        assert_ne!(fa, fb);
        features(
            &a,
            &[0, 0, 0, 1 << Xpos::Vb as u64],
            2,
            &hist,
            false,
            &mut fb,
        );
        assert_ne!(fa, fb);
        // The first token sees sentence-start padding, the last one the end.
        features(&a, &amb, 0, &hist, true, &mut fb);
        features(&a, &amb, 3, &hist, true, &mut fb);
    }

    #[test]
    fn decoding_keeps_tag_pairs_consistent() {
        let mut pairs = [0u64; N_UPOS];
        pairs[Upos::Propn as usize] = 1 << Xpos::Nnp as u64;
        pairs[Upos::Verb as usize] = 1 << Xpos::Vbd as u64;
        let mut scores = [0i32; CLASSES];
        // UPOS prefers PROPN a little, XPOS prefers VBD a lot: the best
        // consistent pair is VERB/VBD, not PROPN/VBD.
        scores[Upos::Propn as usize] = 5;
        scores[Upos::Verb as usize] = 4;
        scores[N_UPOS + Xpos::Vbd as usize] = 10;
        scores[N_UPOS + Xpos::Nnp as usize] = 1;
        assert_eq!(
            decode(&pairs, &scores),
            (Upos::Verb as usize, Xpos::Vbd as usize)
        );
        // With no known pairs each head decides alone.
        assert_eq!(
            decode(&[0; N_UPOS], &scores),
            (Upos::Propn as usize, Xpos::Vbd as usize)
        );
    }
}
