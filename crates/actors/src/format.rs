//! Dyad's own dictionary format (`*.actors`), documented for users in `dict/README.md`.
//!
//! One entry per paragraph-like block, one line per fact, so a diff shows exactly
//! which name or role changed:
//!
//! ```text
//! @kind person
//! Joe Biden | Joseph Biden | Biden
//!     USAGOV 2009-01-20..2017-01-20   # vice president
//!     USAGOV 2021-01-20..2025-01-20   # president
//!     USAELI
//! @kind country
//! Russia | Russian Federation | Russian | Russians = RUS
//! @kind agent
//! forces | troops | soldier = MIL
//! @kind discard
//! Manchester United = story
//! ```
//!
//! A line starting in column 0 lists names separated by `|` and optionally ends in
//! `= CODE`; indented lines give more names (`| name | name`) or roles
//! (`CODE [FROM..TO]`). `#` starts a comment. A name ending in `*` is a stem.
//! Errors name the file and line; the line (or entry) is skipped and reading goes on.

use crate::dict::{
    ActorEntry, AgentEntry, Day, DictBuilder, DiscardEntry, DiscardScope, Kind, OPEN_END,
    OPEN_START, Role, Source,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Actor(Kind),
    Agent,
    Discard,
}

/// An entry being read: names and roles, flushed at the next entry line.
struct Pending {
    line: u32,
    names: Vec<(String, bool)>,
    roles: Vec<Role>,
    section: Section,
}

/// Whether a code is well formed: 2-15 capitals or digits (`RUS`, `IGOUNO`, `USAGOV`),
/// with an optional `~` marking an agent's side, or `---` (the words name no actor).
fn valid_code(code: &str) -> bool {
    if code == "---" {
        return true;
    }
    let core = code.trim_matches('~');
    (2..=15).contains(&core.len())
        && core
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; the missing parts fill to the start or end of
/// the period.
fn parse_day(s: &str, end: bool) -> Result<Day, String> {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Result<u32, String> {
        if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("bad date {s:?} (expected YYYY-MM-DD)"));
        }
        Ok(p.parse().unwrap_or(0))
    };
    let (y, m, d) = match parts.as_slice() {
        [y] => (
            num(y, 4)?,
            if end { 12 } else { 1 },
            if end { 31 } else { 1 },
        ),
        [y, m] => (num(y, 4)?, num(m, 2)?, if end { 31 } else { 1 }),
        [y, m, d] => (num(y, 4)?, num(m, 2)?, num(d, 2)?),
        _ => return Err(format!("bad date {s:?} (expected YYYY-MM-DD)")),
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(format!("bad date {s:?}: month or day out of range"));
    }
    Ok(y * 10000 + m * 100 + d)
}

/// A role line: `CODE`, `CODE FROM..TO`, `CODE FROM..`, `CODE ..TO`.
fn parse_role(s: &str) -> Result<Role, String> {
    let mut it = s.split_whitespace();
    let code = it.next().ok_or("empty role")?;
    if !valid_code(code) {
        return Err(format!(
            "bad code {code:?} (expected capitals, e.g. RUSGOV)"
        ));
    }
    let range = it.next();
    if let Some(extra) = it.next() {
        return Err(format!("unexpected {extra:?} after the role's dates"));
    }
    let Some(range) = range else {
        return Ok(Role::undated(code));
    };
    let (a, b) = range
        .split_once("..")
        .ok_or_else(|| format!("bad dates {range:?} (expected FROM..TO, FROM.. or ..TO)"))?;
    let from = if a.is_empty() {
        OPEN_START
    } else {
        parse_day(a, false)?
    };
    let to = if b.is_empty() {
        OPEN_END
    } else {
        parse_day(b, true)?
    };
    if from > to {
        return Err(format!("dates {range:?} end before they start"));
    }
    Ok(Role {
        code: code.to_string(),
        from,
        to,
    })
}

fn split_names(s: &str) -> Vec<(String, bool)> {
    s.split('|')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| match n.strip_suffix('*') {
            Some(stem) => (stem.trim_end().to_string(), true),
            None => (n.to_string(), false),
        })
        .collect()
}

fn flush(b: &mut DictBuilder, file: u16, p: Option<Pending>) {
    let Some(p) = p else { return };
    let source = Source { file, line: p.line };
    if p.names.is_empty() {
        b.warn(file, p.line, "entry has no names");
        return;
    }
    match p.section {
        Section::Actor(kind) => {
            if p.roles.is_empty() {
                b.warn(
                    file,
                    p.line,
                    format!(
                        "entry {:?} has no code (add `= CODE` or a role line)",
                        p.names[0].0
                    ),
                );
                return;
            }
            if let Some(r) = p.roles.iter().find(|r| r.code.contains('~')) {
                b.warn(
                    file,
                    p.line,
                    format!("actor code {:?} has a `~` (only agents have one)", r.code),
                );
                return;
            }
            let entry = ActorEntry {
                name: p.names[0].0.clone(),
                kind,
                roles: p.roles,
                source,
            };
            b.add_actor(entry, &p.names);
        }
        Section::Agent => {
            let [role] = p.roles.as_slice() else {
                b.warn(
                    file,
                    p.line,
                    "an agent needs exactly one undated code (`= MIL`)",
                );
                return;
            };
            let prefix = role.code.ends_with('~') && !role.code.starts_with('~');
            let entry = AgentEntry {
                name: p.names[0].0.clone(),
                code: role.code.trim_matches('~').to_string(),
                prefix,
                source,
            };
            let names: Vec<String> = p.names.into_iter().map(|(n, _)| n).collect();
            b.add_agent(entry, &names, true);
        }
        Section::Discard => unreachable!("discards are added line by line"),
    }
}

/// Reads one file in Dyad's format into `b`. `name` is used in provenance and errors.
pub fn read_dyad(b: &mut DictBuilder, name: &str, text: &str) {
    let file = b.file(name);
    let mut section = Section::Actor(Kind::Group);
    let mut pending: Option<Pending> = None;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n as u32 + 1;
        let line = raw.split_once('#').map_or(raw, |(a, _)| a).trim_end();
        if line.trim().is_empty() {
            continue;
        }
        if let Some(k) = line.strip_prefix("@kind") {
            flush(b, file, pending.take());
            section = match k.trim() {
                "country" => Section::Actor(Kind::Country),
                "capital" => Section::Actor(Kind::Capital),
                "person" => Section::Actor(Kind::Person),
                "group" => Section::Actor(Kind::Group),
                "place" => Section::Actor(Kind::Place),
                "agent" => Section::Agent,
                "discard" => Section::Discard,
                other => {
                    b.warn(file, line_no, format!("unknown kind {other:?} (country, capital, place, person, group, agent, discard)"));
                    section
                }
            };
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if indented {
            let body = line.trim();
            let Some(p) = pending.as_mut() else {
                b.warn(file, line_no, "indented line outside an entry");
                continue;
            };
            if let Some(more) = body.strip_prefix('|') {
                p.names.extend(split_names(more));
                continue;
            }
            match parse_role(body) {
                Ok(r) => p.roles.push(r),
                Err(e) => b.warn(file, line_no, e),
            }
            continue;
        }
        flush(b, file, pending.take());
        let (names, code) = match line.rsplit_once('=') {
            Some((n, c)) => (n, Some(c.trim())),
            None => (line, None),
        };
        if section == Section::Discard {
            let scope = match code {
                None | Some("sentence") => DiscardScope::Sentence,
                Some("story") => DiscardScope::Story,
                Some(other) => {
                    b.warn(
                        file,
                        line_no,
                        format!("discard scope must be `sentence` or `story`, not {other:?}"),
                    );
                    continue;
                }
            };
            for (name, _) in split_names(names) {
                b.add_discard(DiscardEntry {
                    name,
                    scope,
                    source: Source {
                        file,
                        line: line_no,
                    },
                });
            }
            continue;
        }
        let mut p = Pending {
            line: line_no,
            names: split_names(names),
            roles: Vec::new(),
            section,
        };
        if let Some(c) = code {
            match parse_role(c) {
                Ok(r) => p.roles.push(r),
                Err(e) => {
                    b.warn(file, line_no, e);
                    continue;
                }
            }
        }
        pending = Some(p);
    }
    flush(b, file, pending);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_roles_and_reports_bad_lines() {
        let text = "\
@kind person
Joe Biden | Biden   # the 46th president
    USAGOV 2009-01-20..2017-01-20
    USAGOV 2021-01-20..2025-01-20
    USAELI
Nobody Without Code
@kind country
Russia | Russian | Russians = RUS
Narnia = narnia
@kind agent
forces | troops = MIL
rights group = NGO~
    | human rights group
@kind bogus
@kind group
Hamas = PSEREBHMS
    USAGOV 2020-13-01..
";
        let mut b = DictBuilder::new();
        read_dyad(&mut b, "test.actors", text);
        let d = b.build();
        let msgs: Vec<String> = d.warnings().iter().map(|w| w.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "test.actors:6: entry \"Nobody Without Code\" has no code (add `= CODE` or a role line)",
                "test.actors:9: bad code \"narnia\" (expected capitals, e.g. RUSGOV)",
                "test.actors:14: unknown kind \"bogus\" (country, capital, place, person, group, agent, discard)",
                "test.actors:17: bad date \"2020-13-01\": month or day out of range",
            ]
        );
        let biden = d.lookup("biden").unwrap();
        assert_eq!(biden.roles.len(), 3);
        assert_eq!(biden.role_on(Some(20100101)).unwrap().code, "USAGOV");
        assert_eq!(d.lookup("Russians").unwrap().roles[0].code, "RUS");
        assert_eq!(d.lookup("hamas").unwrap().kind, Kind::Group);
        assert_eq!(d.agents().len(), 2);
        assert!(d.agents()[1].prefix);
        assert_eq!(
            d.split_code("RUSMIL"),
            (Some("RUS".into()), Some("MIL".into()))
        );
        assert_eq!(d.split_code("IGOUNO"), (None, Some("IGO".into())));
    }
}
