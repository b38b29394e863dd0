//! The CAMEO code table: name, QuadClass, Goldstein value and PLOVER category and
//! mode for each of the 312 CAMEO codes.
//!
//! The table is a small TSV committed as `data/cameo/cameo.tsv` (built from the
//! facts in `../shared/data/cameo/` by the `build-cameo-table` tool) and compiled
//! into the binary, so an event's derived fields never depend on files at run
//! time. Lookups fall back from a 4-digit code to its 3-digit parent and then to
//! the root, so a dictionary may use a code the table lacks and still get a
//! QuadClass and a Goldstein value.

use std::sync::OnceLock;

static TABLE_TSV: &str = include_str!("../../../data/cameo/cameo.tsv");

/// One CAMEO code and what follows from it.
#[derive(Clone, Debug, PartialEq)]
pub struct CameoCode {
    pub code: String,
    pub name: String,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    pub goldstein: f32,
    /// PLOVER category (`AGREE`, `ASSAULT`, ...); empty for CAMEO 01 (statements),
    /// which PLOVER does not code; CAMEO 02 (appeals) is REQUEST.
    pub plover_category: String,
    pub plover_mode: Option<String>,
}

impl CameoCode {
    /// The two-digit root ("19" for "193").
    pub fn root(&self) -> &str {
        &self.code[..2]
    }
}

/// All codes, in table order (sorted by code).
pub struct CameoTable {
    codes: Vec<CameoCode>,
}

impl CameoTable {
    /// The table built into the binary.
    pub fn builtin() -> &'static CameoTable {
        static T: OnceLock<CameoTable> = OnceLock::new();
        T.get_or_init(|| {
            CameoTable::parse(TABLE_TSV).expect("the built-in CAMEO table is well-formed")
        })
    }

    /// Parses the TSV format written by `build-cameo-table`.
    pub fn parse(text: &str) -> Result<CameoTable, String> {
        let mut codes = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 6 {
                return Err(format!("cameo.tsv:{}: expected 6 columns", i + 1));
            }
            let bad = |what: &str| format!("cameo.tsv:{}: bad {what}", i + 1);
            codes.push(CameoCode {
                code: f[0].to_string(),
                quad_class: f[1].parse().map_err(|_| bad("QuadClass"))?,
                goldstein: f[2].parse().map_err(|_| bad("Goldstein value"))?,
                plover_category: f[3].to_string(),
                plover_mode: (!f[4].is_empty()).then(|| f[4].to_string()),
                name: f[5].to_string(),
            });
        }
        codes.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(CameoTable { codes })
    }

    /// The entry for `code`, exactly.
    pub fn exact(&self, code: &str) -> Option<&CameoCode> {
        self.codes
            .binary_search_by(|c| c.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.codes[i])
    }

    /// The entry for `code`, or for its nearest ancestor (`1831` → `183` → `18`).
    pub fn get(&self, code: &str) -> Option<&CameoCode> {
        (2..=code.len().min(4))
            .rev()
            .find_map(|n| code.get(..n).and_then(|c| self.exact(c)))
    }

    pub fn is_valid(&self, code: &str) -> bool {
        self.exact(code).is_some()
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &CameoCode> {
        self.codes.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_has_every_code_with_derived_fields() {
        let t = CameoTable::builtin();
        assert_eq!(t.len(), 312);
        let c = t.get("190").unwrap();
        assert_eq!((c.root(), c.quad_class, c.goldstein), ("19", 4, -10.0));
        assert_eq!(c.plover_category, "ASSAULT");
        let v = t.get("042").unwrap();
        assert_eq!(v.plover_mode.as_deref(), Some("visit"));
        assert_eq!(t.get("051").unwrap().quad_class, 1);
        assert_eq!(t.get("0871").unwrap().plover_category, "RETREAT");
        // The PLOVER manual over the 2021 table (build-cameo-table).
        assert_eq!(t.get("163").unwrap().plover_category, "SANCTION");
        assert_eq!(t.get("0831").unwrap().plover_category, "RETREAT");
        assert_eq!(t.get("0813").unwrap().plover_category, "CONCEDE");
        assert_eq!(t.get("0814").unwrap().plover_category, "CONCEDE");
        // Statements have no PLOVER category; appeals are requests.
        assert_eq!(t.get("010").unwrap().plover_category, "");
        assert_eq!(t.get("020").unwrap().plover_category, "REQUEST");
        // Root codes take the category of their x0 code.
        assert_eq!(t.get("19").unwrap().plover_category, "ASSAULT");
    }

    #[test]
    fn unknown_codes_fall_back_to_ancestors() {
        let t = CameoTable::builtin();
        assert_eq!(t.get("0599").unwrap().code, "05");
        assert!(t.get("99").is_none());
        assert!(!t.is_valid("0599"));
    }
}
