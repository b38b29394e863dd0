//! Averaged perceptron weights: a dense table for training, a sparse one for use.
//!
//! Training ([`TrainTable`]) keeps one dense row of integer weights per feature
//! key that has ever been updated, plus the running sum needed for averaging
//! (Daumé's trick: `avg = w - u / c` with `u += c·Δ` at update time `c`), so an
//! update touches only the rows of the current features and averaging costs
//! nothing until the end. Features that were seen but never updated get no row.
//!
//! For use ([`Weights`]) the averaged rows are quantized to `i16` and stored
//! sparsely (CSR: per row only the classes with a non-zero weight), which shrinks
//! the model by an order of magnitude: most features only ever matter to a few
//! classes. Rows are found through an open-addressing table of `(key, row)` pairs
//! built at load time, so scoring one feature is one probe plus a short run of
//! `(class, weight)` entries. Each group of classes (the tagger's UPOS and XPOS
//! heads, the parser's moves and labels) is quantized with its own scale; scores
//! are only ever compared within a group, so the scales never mix.

use crate::ModelError;
use crate::codec::{Reader, Writer};
use crate::hash::fmix;
use rustc_hash::FxHashMap;

/// Dense, updatable weights for training.
pub(crate) struct TrainTable {
    classes: usize,
    index: FxHashMap<u64, u32>,
    w: Vec<i32>,
    u: Vec<i64>,
}

impl TrainTable {
    pub(crate) fn new(classes: usize) -> Self {
        TrainTable {
            classes,
            index: FxHashMap::default(),
            w: Vec::new(),
            u: Vec::new(),
        }
    }

    /// Adds the current weights of `keys` to `scores` (`scores.len() == classes`).
    pub(crate) fn score(&self, keys: &[u64], scores: &mut [i64]) {
        for k in keys {
            if let Some(&r) = self.index.get(k) {
                let row = &self.w[r as usize * self.classes..][..self.classes];
                for (s, &w) in scores.iter_mut().zip(row) {
                    *s += i64::from(w);
                }
            }
        }
    }

    /// Adds `delta` to the weight of `class` for every key; `step` is the
    /// number of training instances seen so far (for averaging).
    pub(crate) fn update(&mut self, keys: &[u64], class: usize, delta: i32, step: i64) {
        for &k in keys {
            let next = self.index.len() as u32;
            let r = *self.index.entry(k).or_insert(next) as usize;
            if r == next as usize {
                self.w.resize(self.w.len() + self.classes, 0);
                self.u.resize(self.u.len() + self.classes, 0);
            }
            let i = r * self.classes + class;
            self.w[i] += delta;
            self.u[i] += step * i64::from(delta);
        }
    }

    /// Averaged weights at `step`, sorted by key: `(key, [(class, weight)])`.
    fn averaged(&self, step: i64) -> Vec<(u64, Vec<(usize, f64)>)> {
        let mut keys: Vec<(u64, u32)> = self.index.iter().map(|(&k, &r)| (k, r)).collect();
        keys.sort_unstable();
        let c = step.max(1) as f64;
        keys.into_iter()
            .map(|(k, r)| {
                let base = r as usize * self.classes;
                let row = (0..self.classes)
                    .filter_map(|j| {
                        let a = f64::from(self.w[base + j]) - self.u[base + j] as f64 / c;
                        (a != 0.0).then_some((j, a))
                    })
                    .collect();
                (k, row)
            })
            .collect()
    }
}

/// Freezes training tables into one sparse table. Each `(table, offset)` pair is
/// one class group: its classes are stored at `offset..offset + classes`.
/// Weights are quantized to `i16` (the group's largest magnitude maps to
/// 32767, or the largest of all groups with `one_scale`, for scores that add
/// weights of several groups) and those below `prune` in magnitude are dropped: a perceptron
/// leaves a long tail of tiny weights on rare features that cost model size
/// and cache misses but hardly change a decision.
pub(crate) fn freeze(
    groups: &[(&TrainTable, usize)],
    step: i64,
    prune: i16,
    one_scale: bool,
) -> Weights {
    let classes = groups.iter().map(|(t, o)| o + t.classes).max().unwrap_or(0);
    let mut merged: std::collections::BTreeMap<u64, Vec<(u8, i16)>> = Default::default();
    let averaged: Vec<_> = groups.iter().map(|(t, _)| t.averaged(step)).collect();
    let largest = |avg: &[(u64, Vec<(usize, f64)>)]| {
        avg.iter()
            .flat_map(|(_, r)| r.iter().map(|&(_, a)| a.abs()))
            .fold(0.0f64, f64::max)
    };
    let overall = averaged.iter().map(|a| largest(a)).fold(0.0f64, f64::max);
    for ((_, offset), avg) in groups.iter().zip(averaged) {
        let max = if one_scale { overall } else { largest(&avg) };
        if max == 0.0 {
            continue;
        }
        let scale = f64::from(i16::MAX) / max;
        for (k, row) in avg {
            for (j, a) in row {
                let q = (a * scale).round() as i16;
                if q != 0 && q.unsigned_abs() >= prune.unsigned_abs() {
                    merged.entry(k).or_default().push(((offset + j) as u8, q));
                }
            }
        }
    }
    let mut keys = Vec::with_capacity(merged.len());
    let mut offsets = vec![0u32];
    let mut class = Vec::new();
    let mut value = Vec::new();
    for (k, mut row) in merged {
        row.sort_unstable_by_key(|&(c, _)| c);
        keys.push(k);
        for (c, v) in row {
            class.push(c);
            value.push(v);
        }
        offsets.push(class.len() as u32);
    }
    Weights::new(classes, keys, offsets, class, value)
}

/// A row of [`Weights`]: its entries are `entries[start..end]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    start: u32,
    end: u32,
}

/// One open-addressing slot: a key and its row (`start == u32::MAX`: empty).
/// 16 bytes, so a probe touches one cache line and needs no second lookup.
#[derive(Clone, Copy)]
struct Slot {
    key: u64,
    row: Row,
}

const EMPTY: Slot = Slot {
    key: 0,
    row: Row {
        start: u32::MAX,
        end: 0,
    },
};

/// Hints the CPU to fetch `p`'s cache line; scoring issues all of a state's
/// lookups before using any, so the memory latencies overlap.
#[inline(always)]
fn prefetch<T>(p: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint with no architectural effect; SSE is baseline on x86_64.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (p as *const T).cast(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Asks Linux to back a large, not yet touched allocation with 2 MiB pages.
///
/// Scoring reads tens of megabytes at random: with 4 KiB pages nearly every
/// lookup also misses the TLB, and the page walk costs as much as the cache
/// miss. Transparent huge pages are commonly set to `madvise`, so the table
/// must ask. A hint only: without it everything works, just slower.
fn huge_pages<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let bytes = v.capacity() * std::mem::size_of::<T>();
        if bytes < 4 << 20 {
            return;
        }
        let start = v.as_ptr() as usize;
        let aligned = (start + PAGE - 1) & !(PAGE - 1);
        let len = (start + bytes - aligned) & !(PAGE - 1);
        // SAFETY: the range lies inside an allocation this Vec owns, and
        // MADV_HUGEPAGE only changes how the kernel backs it, not its contents.
        unsafe {
            libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}

/// Sparse, quantized, read-only weights.
///
/// Entries are packed `class << 16 | weight as u16` in one `u32`, rows are
/// contiguous runs of entries sorted by class, and scores are summed as `i32`.
pub(crate) struct Weights {
    classes: usize,
    rows: usize,
    slots: Vec<Slot>,
    mask: usize,
    entries: Vec<u32>,
}

#[inline]
fn unpack(e: u32) -> (usize, i32) {
    ((e >> 16) as usize, i32::from(e as u16 as i16))
}

impl Weights {
    fn new(
        classes: usize,
        keys: Vec<u64>,
        offsets: Vec<u32>,
        class: Vec<u8>,
        value: Vec<i16>,
    ) -> Self {
        // Load factor <= 0.5 keeps probe runs short.
        let size = (keys.len() * 2).next_power_of_two().max(16);
        let mask = size - 1;
        let mut slots = Vec::with_capacity(size);
        huge_pages(&slots);
        slots.resize(size, EMPTY);
        for (r, &k) in keys.iter().enumerate() {
            let mut s = fmix(k) as usize & mask;
            while slots[s].row.start != u32::MAX {
                s = (s + 1) & mask;
            }
            slots[s] = Slot {
                key: k,
                row: Row {
                    start: offsets[r],
                    end: offsets[r + 1],
                },
            };
        }
        let mut entries = Vec::with_capacity(class.len());
        huge_pages(&entries);
        entries.extend(
            class
                .iter()
                .zip(&value)
                .map(|(&c, &v)| u32::from(c) << 16 | u32::from(v as u16)),
        );
        Weights {
            classes,
            rows: keys.len(),
            slots,
            mask,
            entries,
        }
    }

    pub(crate) fn classes(&self) -> usize {
        self.classes
    }

    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    pub(crate) fn entries(&self) -> usize {
        self.entries.len()
    }

    /// The row of `key`, if it has any weight.
    #[inline]
    pub(crate) fn row(&self, key: u64) -> Option<Row> {
        let mut s = fmix(key) as usize & self.mask;
        loop {
            let slot = &self.slots[s];
            if slot.row.start == u32::MAX {
                return None;
            }
            if slot.key == key {
                return Some(slot.row);
            }
            s = (s + 1) & self.mask;
        }
    }

    /// Finds the rows of all `keys` (into `rows`, cleared first), prefetching
    /// every slot and then every row so the cache misses overlap.
    #[inline]
    pub(crate) fn lookup(&self, keys: &[u64], rows: &mut Vec<Row>) {
        for &k in keys {
            prefetch(&self.slots[fmix(k) as usize & self.mask]);
        }
        rows.clear();
        for &k in keys {
            if let Some(r) = self.row(k) {
                prefetch(&self.entries[r.start as usize]);
                rows.push(r);
            }
        }
    }

    /// Adds the weights of `rows` for classes `lo..hi` to `scores[class - lo]`.
    #[inline]
    pub(crate) fn add(&self, rows: &[Row], lo: usize, hi: usize, scores: &mut [i32]) {
        for r in rows {
            // Entries are sorted by class: stop at the end of the group.
            for &e in &self.entries[r.start as usize..r.end as usize] {
                let (c, w) = unpack(e);
                if c >= hi {
                    break;
                }
                if c >= lo {
                    scores[c - lo] += w;
                }
            }
        }
    }

    /// Looks up every key and adds their weights for classes `lo..hi`.
    #[cfg(test)]
    pub(crate) fn score(&self, keys: &[u64], lo: usize, hi: usize, scores: &mut [i32]) {
        let mut rows = Vec::new();
        self.lookup(keys, &mut rows);
        self.add(&rows, lo, hi, scores);
    }

    /// Rows sorted by key, as `(key, entries)`.
    fn sorted_rows(&self) -> Vec<(u64, &[u32])> {
        let mut v: Vec<(u64, &[u32])> = self
            .slots
            .iter()
            .filter(|s| s.row.start != u32::MAX)
            .map(|s| {
                (
                    s.key,
                    &self.entries[s.row.start as usize..s.row.end as usize],
                )
            })
            .collect();
        v.sort_unstable_by_key(|&(k, _)| k);
        v
    }

    /// The same table without the weights below `min` in quantized magnitude:
    /// exactly what training with `prune = min` would have kept, as the
    /// quantization scale is fixed before pruning. For shrinking ensemble
    /// members without retraining them.
    pub(crate) fn pruned(&self, min: i16) -> Weights {
        let mut keys = Vec::new();
        let mut offsets = vec![0u32];
        let (mut class, mut value) = (Vec::new(), Vec::new());
        for (k, entries) in self.sorted_rows() {
            let before = class.len();
            for &e in entries {
                let (c, v) = unpack(e);
                if v.unsigned_abs() >= u32::from(min.unsigned_abs()) {
                    class.push(c as u8);
                    value.push(v as i16);
                }
            }
            if class.len() > before {
                keys.push(k);
                offsets.push(class.len() as u32);
            }
        }
        Weights::new(self.classes, keys, offsets, class, value)
    }

    /// Compact encoding: keys delta-coded, row lengths and zigzag weights as
    /// varints (keys are sorted, most rows are short, most weights small).
    pub(crate) fn write(&self, w: &mut Writer) {
        let rows = self.sorted_rows();
        w.u16(self.classes as u16);
        w.len(rows.len());
        let mut prev = 0u64;
        for &(k, entries) in &rows {
            w.varint(k.wrapping_sub(prev));
            prev = k;
            w.varint(entries.len() as u64);
        }
        let class: Vec<u8> = rows
            .iter()
            .flat_map(|(_, e)| e.iter().map(|&e| unpack(e).0 as u8))
            .collect();
        w.bytes(&class);
        for (_, entries) in &rows {
            for &e in *entries {
                let v = unpack(e).1;
                w.varint(u64::from((v << 1 ^ (v >> 31)) as u32));
            }
        }
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let classes = r.u16()? as usize;
        let rows = r.len()?;
        let mut keys = Vec::with_capacity(rows.min(1 << 24));
        let mut offsets = Vec::with_capacity(rows.min(1 << 24) + 1);
        offsets.push(0u32);
        let mut prev = 0u64;
        for i in 0..rows {
            let delta = r.varint()?;
            if i > 0 && delta == 0 {
                return Err(r.bad("weight table keys are not strictly increasing"));
            }
            prev = prev.wrapping_add(delta);
            keys.push(prev);
            let len = u32::try_from(r.varint()?).map_err(|_| r.bad("row too long"))?;
            let end = offsets[i]
                .checked_add(len)
                .ok_or_else(|| r.bad("rows too long"))?;
            offsets.push(end);
        }
        let class = r.bytes()?.to_vec();
        if *offsets.last().unwrap() as usize != class.len() {
            return Err(r.bad("weight table rows do not match their entries"));
        }
        let sorted = offsets.windows(2).all(|w| {
            class[w[0] as usize..w[1] as usize]
                .windows(2)
                .all(|c| c[0] < c[1])
        });
        if !sorted {
            return Err(r.bad("weight table row classes are not increasing"));
        }
        if class.iter().any(|&c| c as usize >= classes) {
            return Err(r.bad("weight table class out of range"));
        }
        let mut value = Vec::with_capacity(class.len());
        for _ in 0..class.len() {
            let z = u32::try_from(r.varint()?).map_err(|_| r.bad("weight out of range"))?;
            let v = (z >> 1) as i32 ^ -((z & 1) as i32);
            value.push(i16::try_from(v).map_err(|_| r.bad("weight out of range"))?);
        }
        Ok(Weights::new(classes, keys, offsets, class, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averaging_quantizing_and_lookup() {
        let mut t = TrainTable::new(3);
        // Step 1: push class 2 up for features 10 and 11; step 3: push class 0 for 10.
        t.update(&[10, 11], 2, 1, 1);
        t.update(&[10], 0, 1, 3);
        t.update(&[10], 2, -1, 3);
        let mut s = [0i64; 3];
        t.score(&[10, 11, 99], &mut s);
        assert_eq!(s, [1, 0, 1]);
        let w = freeze(&[(&t, 0)], 4, 0, false);
        // Averages at c=4: key 10 -> [1-3/4, 0, 0-(1-3)/4] = [0.25, 0, 0.5]; key 11 -> [0, 0, 0.75].
        assert_eq!(w.rows(), 2);
        assert_eq!(w.entries(), 3);
        let mut f = [0i32; 3];
        w.score(&[10, 11, 12], 0, 3, &mut f);
        assert!(f[0] > 0 && f[1] == 0 && f[2] > f[0], "{f:?}");
        let mut only_last = [0i32; 1];
        w.score(&[10], 2, 3, &mut only_last);
        assert_eq!(
            only_last[0],
            (f64::from(i16::MAX) * 0.5 / 0.75).round() as i32
        );
        assert_eq!(w.row(12), None);

        let mut out = Writer::default();
        w.write(&mut out);
        let back = Weights::read(&mut Reader::new(&out.buf)).unwrap();
        let mut g = [0i32; 3];
        back.score(&[10, 11], 0, 3, &mut g);
        assert_eq!(f, g);
        assert!(Weights::read(&mut Reader::new(&out.buf[..out.buf.len() - 1])).is_err());
    }
}
