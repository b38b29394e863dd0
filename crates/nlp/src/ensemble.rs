//! Parser ensembles by reparsing (Sagae & Lavie 2006): several parsers that
//! see a sentence differently (greedy and beam, left-to-right and
//! right-to-left) each vote for a head of every word with their weight, and
//! the tree with the largest total vote is found exactly with Eisner's
//! algorithm for projective trees. Errors of differently built parsers
//! overlap only in part, so the combined tree is more accurate than any one
//! of them; it costs the sum of the members' parsing time plus an `O(n³)`
//! search, which is why only the accurate mode uses it.
//!
//! Labels: each chosen arc takes the label with the largest vote among the
//! members that proposed that arc (the first member's label if none did).

/// Members' trees for one sentence: per member, `head[k]` and `label[k]` for
/// nodes `1..=n` (index 0 unused; head 0 = ROOT; label = index + 1).
#[derive(Default)]
pub(crate) struct Votes {
    pub heads: Vec<Vec<u32>>,
    pub labels: Vec<Vec<u8>>,
}

/// Sentences longer than this keep the first member's tree: the cubic search
/// would cost more than all the parsing (a 200-word "sentence" is a table
/// or a list, where voting gains nothing anyway).
pub(crate) const MAX_REPARSE: usize = 200;

/// Reusable tables for [`combine`].
#[derive(Default)]
pub(crate) struct Chart {
    score: Vec<f32>,
    // Complete / incomplete spans, left- and right-headed, and their splits.
    c: [Vec<f32>; 2],
    i: [Vec<f32>; 2],
    cb: [Vec<u32>; 2],
    ib: [Vec<u32>; 2],
}

const L: usize = 0;
const R: usize = 1;

/// Combines the members' trees (weights in `weights`, one per member) into
/// `head`/`label` (same layout as the votes).
pub(crate) fn combine(
    v: &Votes,
    weights: &[f32],
    n: usize,
    chart: &mut Chart,
    head: &mut Vec<u32>,
    label: &mut Vec<u8>,
) {
    head.clear();
    head.resize(n + 1, 0);
    label.clear();
    label.resize(n + 1, 0);
    if n == 0 {
        return;
    }
    if n > MAX_REPARSE {
        head.copy_from_slice(&v.heads[0][..=n]);
        label.copy_from_slice(&v.labels[0][..=n]);
        return;
    }
    let m = n + 1;
    chart.score.clear();
    chart.score.resize(m * m, 0.0);
    for (hs, &w) in v.heads.iter().zip(weights) {
        for (d, &h) in hs.iter().enumerate().take(n + 1).skip(1) {
            chart.score[h as usize * m + d] += w;
        }
    }
    eisner(chart, n, head);
    for d in 1..=n {
        let mut best = (0.0f32, v.labels[0][d]);
        for k in (0..weights.len()).filter(|&k| v.heads[k][d] == head[d]) {
            let l = v.labels[k][d];
            let total: f32 = (0..weights.len())
                .filter(|&j| v.heads[j][d] == head[d] && v.labels[j][d] == l)
                .map(|j| weights[j])
                .sum();
            if total > best.0 {
                best = (total, l);
            }
        }
        label[d] = best.1;
    }
}

/// Highest-scoring projective tree over nodes `1..=n` with exactly one word
/// attached to ROOT (node 0); `chart.score[h * (n + 1) + d]` scores arc h → d.
fn eisner(ch: &mut Chart, n: usize, head: &mut [u32]) {
    let m = n + 1;
    for t in [&mut ch.c, &mut ch.i] {
        for v in t.iter_mut() {
            v.clear();
            v.resize(m * m, 0.0);
        }
    }
    for t in [&mut ch.cb, &mut ch.ib] {
        for v in t.iter_mut() {
            v.clear();
            v.resize(m * m, 0);
        }
    }
    let at = |s: usize, t: usize| s * m + t;
    for len in 1..n {
        for s in 1..=n - len {
            let t = s + len;
            // Incomplete: an arc between s and t over two complete halves.
            let (mut best, mut arg) = (f32::NEG_INFINITY, s);
            for r in s..t {
                let v = ch.c[R][at(s, r)] + ch.c[L][at(r + 1, t)];
                if v > best {
                    (best, arg) = (v, r);
                }
            }
            ch.i[L][at(s, t)] = best + ch.score[at(t, s)];
            ch.i[R][at(s, t)] = best + ch.score[at(s, t)];
            ch.ib[L][at(s, t)] = arg as u32;
            ch.ib[R][at(s, t)] = arg as u32;
            // Complete, headed by t: s..r complete under r, r..t incomplete.
            let (mut best, mut arg) = (f32::NEG_INFINITY, s);
            for r in s..t {
                let v = ch.c[L][at(s, r)] + ch.i[L][at(r, t)];
                if v > best {
                    (best, arg) = (v, r);
                }
            }
            ch.c[L][at(s, t)] = best;
            ch.cb[L][at(s, t)] = arg as u32;
            // Complete, headed by s.
            let (mut best, mut arg) = (f32::NEG_INFINITY, t);
            for r in s + 1..=t {
                let v = ch.i[R][at(s, r)] + ch.c[R][at(r, t)];
                if v > best {
                    (best, arg) = (v, r);
                }
            }
            ch.c[R][at(s, t)] = best;
            ch.cb[R][at(s, t)] = arg as u32;
        }
    }
    let (mut best, mut root) = (f32::NEG_INFINITY, 1);
    for r in 1..=n {
        let v = ch.c[L][at(1, r)] + ch.c[R][at(r, n)] + ch.score[at(0, r)];
        if v > best {
            (best, root) = (v, r);
        }
    }
    head[root] = 0;
    let mut stack = vec![(1, root, L, true), (root, n, R, true)];
    while let Some((s, t, dir, complete)) = stack.pop() {
        if s == t {
            continue;
        }
        if complete {
            let r = ch.cb[dir][at(s, t)] as usize;
            if dir == L {
                stack.push((s, r, L, true));
                stack.push((r, t, L, false));
            } else {
                stack.push((s, r, R, false));
                stack.push((r, t, R, true));
            }
        } else {
            let r = ch.ib[dir][at(s, t)] as usize;
            if dir == L {
                head[s] = t as u32;
            } else {
                head[t] = s as u32;
            }
            stack.push((s, r, R, true));
            stack.push((r + 1, t, L, true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn votes(trees: &[&[u32]]) -> Votes {
        Votes {
            heads: trees.iter().map(|t| t.to_vec()).collect(),
            labels: trees.iter().map(|t| vec![1; t.len()]).collect(),
        }
    }

    /// The combined heads of `trees` voting with `weights`.
    fn vote(trees: &[&[u32]], weights: &[f32]) -> Vec<u32> {
        let (mut h, mut l) = (Vec::new(), Vec::new());
        let n = trees[0].len() - 1;
        combine(
            &votes(trees),
            weights,
            n,
            &mut Chart::default(),
            &mut h,
            &mut l,
        );
        h
    }

    #[test]
    fn majority_tree_wins_and_stays_a_tree() {
        // "Russia attacked Kharkiv ." : 0 unused, heads of 1..=4.
        let a: &[u32] = &[0, 2, 0, 2, 2];
        let b: &[u32] = &[0, 2, 0, 2, 3];
        let c: &[u32] = &[0, 3, 0, 2, 2];
        assert_eq!(vote(&[a, b, c], &[1.0, 1.0, 1.0]), a);
        // A heavier member outvotes two light ones on the arcs they disagree on.
        assert_eq!(vote(&[b, a, c], &[2.5, 1.0, 1.0]), b);
    }

    #[test]
    fn one_root_even_when_members_disagree() {
        let a: &[u32] = &[0, 0, 1, 2];
        let b: &[u32] = &[0, 2, 0, 2];
        let c: &[u32] = &[0, 3, 3, 0];
        let h = vote(&[a, b, c], &[1.0, 1.0, 1.0]);
        assert_eq!(h.iter().skip(1).filter(|&&x| x == 0).count(), 1, "{h:?}");
        assert!(crate::train::is_tree(&h[1..]), "{h:?}");
    }
}
