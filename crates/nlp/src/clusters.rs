//! Brown word clusters: a hierarchical clustering of a large vocabulary by the
//! contexts words occur in (Brown et al. 1992), learned from far more text than
//! the treebank holds. Words in the same cluster behave alike ("Russia" and
//! "China", "attacked" and "bombed"), so a feature on a word's cluster carries
//! what the treebank taught about its cluster-mates to words it never saw or
//! saw rarely (Koo, Carreras & Collins 2008). A cluster is a path in a binary
//! tree; its prefixes are coarser clusters, from POS-like (4 bits) to
//! near-synonyms (the full path).
//!
//! The shipped table (`models/clusters/en_brown_reddit.tsv`, 190,129 words)
//! is the English `lexeme_cluster` table of spaCy's `spacy-lookups-data`
//! package (MIT licence, Explosion AI), clusters learned from Reddit comments;
//! `scripts/build-clusters` re-extracts it. It is copied into every model file
//! so that a model always carries the clusters it was trained with.

use crate::ModelError;
use crate::codec::{Reader, Writer};
use crate::hash::hash_bytes;
use crate::tok::{Tok, TokBuilder};
use rustc_hash::FxHashMap;

/// Word (hash of its exact form) → cluster path, stored as the path's bits
/// behind a leading 1 bit (`"0110"` → `0b1_0110`), so prefixes are shifts.
#[derive(Default, Clone, PartialEq, Eq, Debug)]
pub struct Clusters {
    map: FxHashMap<u64, u32>,
}

/// Why a cluster file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {msg}")]
pub struct ClusterError {
    pub line: usize,
    pub msg: String,
}

impl Clusters {
    /// Reads the `bits<TAB>word[<TAB>count]` lines written by Liang's
    /// `wcluster` (the usual Brown cluster format). Blank lines are skipped.
    pub fn from_tsv(text: &str) -> Result<Clusters, ClusterError> {
        let mut map = FxHashMap::default();
        for (i, line) in text.lines().enumerate() {
            if line.is_empty() {
                continue;
            }
            let bad = |msg: &str| ClusterError {
                line: i + 1,
                msg: msg.to_string(),
            };
            let mut cols = line.split('\t');
            let (Some(bits), Some(word)) = (cols.next(), cols.next()) else {
                return Err(bad("expected `bits<TAB>word`"));
            };
            if bits.len() > 30 || !bits.bytes().all(|b| b == b'0' || b == b'1') {
                return Err(bad("the cluster path must be at most 30 binary digits"));
            }
            if word.is_empty() {
                return Err(bad("empty word"));
            }
            let path = bits
                .bytes()
                .fold(1u32, |p, b| p << 1 | u32::from(b == b'1'));
            map.insert(hash_bytes(word.as_bytes()), path);
        }
        Ok(Clusters { map })
    }

    /// Number of words with a cluster.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The token's cluster path (with its leading 1 bit), looked up by its
    /// exact form and then lower-cased; 0 for a word without a cluster.
    pub(crate) fn of(&self, t: &Tok) -> u64 {
        self.map
            .get(&t.form)
            .or_else(|| self.map.get(&t.lower))
            .map_or(0, |&p| u64::from(p))
    }

    /// The atomic features of `form`, its cluster included.
    pub(crate) fn tok(&self, builder: &mut TokBuilder, form: &str) -> Tok {
        let mut t = builder.tok(form);
        t.cluster = self.of(&t);
        t
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        let mut v: Vec<(u64, u32)> = self.map.iter().map(|(&k, &p)| (k, p)).collect();
        v.sort_unstable();
        w.len(v.len());
        for (k, p) in v {
            w.u64(k);
            w.u32(p);
        }
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let n = r.len()?;
        let mut map = FxHashMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let k = r.u64()?;
            map.insert(k, r.u32()?);
        }
        Ok(Clusters { map })
    }
}

/// The first `bits` bits of a cluster path (the whole path if shorter); 0
/// stays 0 (no cluster).
#[inline]
pub(crate) fn prefix(path: u64, bits: u32) -> u64 {
    let len = 63u32.saturating_sub(path.leading_zeros());
    if path == 0 || len <= bits {
        path
    } else {
        path >> (len - bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_prefixes_and_case_fallback() {
        let c = Clusters::from_tsv("0110100110\tRussia\n0110100110\tChina\n011\tthe\n\n").unwrap();
        let mut b = TokBuilder::default();
        let russia = c.of(&b.tok("Russia"));
        assert_eq!(russia, 0b1_0110100110);
        assert_eq!(russia, c.of(&b.tok("China")));
        // No exact entry for "The": the lower-cased form's cluster.
        assert_eq!(c.of(&b.tok("The")), 0b1_011);
        assert_eq!(c.of(&b.tok("Kharkiv")), 0);
        assert_eq!(prefix(russia, 4), 0b1_0110);
        assert_eq!(prefix(0b1_011, 4), 0b1_011);
        assert_eq!(prefix(0, 4), 0);
        let err = Clusters::from_tsv("011\tthe\n01x\tbad\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(Clusters::from_tsv("011\n").is_err());
        let mut w = Writer::default();
        c.write(&mut w);
        let back = Clusters::read(&mut Reader::new(&w.buf)).unwrap();
        assert_eq!(back, c);
    }
}
