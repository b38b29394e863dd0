//! Which strings of the gazetteer file become automaton patterns, their ids, and
//! the places each one names.
//!
//! Shared by `build.rs` (which precomputes all of this for the embedded gazetteer
//! at compile time and serialises it) and the loader (which does it at run time
//! for a user-supplied gazetteer), so the two can never disagree.

use std::collections::HashMap;

/// One name of one place, packed: `place << 2 | primary << 1 | typed`.
pub type PackedRef = u32;

pub fn pack(place: u32, primary: bool, typed: bool) -> PackedRef {
    (place << 2) | (u32::from(primary) << 1) | u32::from(typed)
}

/// Region-type words: a name ending in one of them names the region, not a
/// homonymous city ("Kharkiv region" vs "Kharkiv").
const TYPE_SUFFIXES: [&str; 6] = [
    " region",
    " province",
    " oblast",
    " governorate",
    " state",
    " oblast’",
];

/// Patterns (distinct ASCII-lower-cased names, in order of first appearance; index
/// = pattern id) and, per pattern, the places it names. Places are numbered in
/// file order over `C`, `A` and `P` lines.
pub fn name_table(text: &str) -> (Vec<String>, Vec<Vec<PackedRef>>) {
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut patterns = Vec::new();
    let mut refs: Vec<Vec<PackedRef>> = Vec::new();
    let mut place = 0u32;
    for line in text.lines() {
        let kind = match line.as_bytes().first() {
            Some(b'C' | b'A' | b'P') => line.as_bytes()[0],
            _ => continue,
        };
        let mut cols = line.split('\t');
        let primary = cols.nth(4).unwrap_or("");
        let names = cols.nth(4).unwrap_or("");
        for name in names.split('|').filter(|s| !s.is_empty()) {
            let lower = name.to_ascii_lowercase();
            let typed = kind == b'A' && TYPE_SUFFIXES.iter().any(|s| lower.ends_with(s));
            let id = match ids.get(&lower) {
                Some(&id) => id,
                None => {
                    ids.insert(lower.clone(), patterns.len());
                    patterns.push(lower);
                    refs.push(Vec::new());
                    patterns.len() - 1
                }
            };
            refs[id].push(pack(place, name == primary, typed));
        }
        place += 1;
    }
    (patterns, refs)
}

/// Flattens per-pattern refs into `[n_patterns, (start, end)*, refs*]` as
/// little-endian u32s, the layout `build.rs` writes.
#[allow(dead_code)] // called by build.rs, which includes this file
pub fn encode_refs(refs: &[Vec<PackedRef>]) -> Vec<u8> {
    let mut ranges = Vec::with_capacity(refs.len() * 2 + 1);
    let mut flat = Vec::new();
    ranges.push(refs.len() as u32);
    for r in refs {
        ranges.push(flat.len() as u32);
        flat.extend_from_slice(r);
        ranges.push(flat.len() as u32);
    }
    ranges
        .iter()
        .chain(flat.iter())
        .flat_map(|v| v.to_le_bytes())
        .collect()
}
