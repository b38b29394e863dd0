//! Reading PETRARCH and TABARI dictionaries as they are, so researchers keep their
//! existing work (`--dict petrarch:DIR`, `--dict tabari:DIR`).
//!
//! Both formats share one grammar, read here by one line-oriented parser with two
//! dialects:
//!
//! * actors: `NAME [CODE]`, or a `NAME` line followed by `+SYNONYM` lines and
//!   indented `[CODE DATES]` lines; `_` is a space; dates are `YYMMDD` or
//!   `YYYYMMDD`, as `<D` (before), `>D` (after), `D1-D2` or none (default);
//!   `[A/B]` is a compound actor; `[---]` (and `###`, `+++`) a null actor that
//!   swallows its words;
//! * agents: `NAME {PLURAL} [~CODE]` (suffix) or `[CODE~]` (prefix), `{}` for no
//!   plural, `!SET! = A, B` substitution sets used as `FOREIGN_!MINIST!`;
//! * discards: one phrase a line, `+` for a story-level discard.
//!
//! PETRARCH comments start with `#` and blocks of `<!-- -->`; TABARI's with `;`,
//! it marks stems by leaving off the final `_` ("ARGENTIN" matches "Argentine"),
//! has `<NOUN>`/`<ADJECTIVE>` sections (word classes for its parser, skipped here)
//! and ends at `~~FINISH`. PETRARCH forms regular plurals of agents itself; so do we.

use crate::dict::{
    ActorEntry, AgentEntry, Day, DictBuilder, DiscardEntry, DiscardScope, Kind, OPEN_END,
    OPEN_START, Role, Source,
};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Dialect {
    Petrarch,
    Tabari,
}

/// Cuts the comment off a line.
fn strip_comment(line: &str, d: Dialect) -> &str {
    let cut = match d {
        Dialect::Petrarch => line.find('#'),
        Dialect::Tabari => {
            if line.trim_start().starts_with('#') {
                Some(0)
            } else {
                line.find(';')
            }
        }
    };
    cut.map_or(line, |i| &line[..i])
}

/// A date in a PETRARCH code block: `YYMMDD` (years ≤ 30 are 20YY) or `YYYYMMDD`.
fn parse_date(s: &str) -> Result<Day, String> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("bad date {s:?}"));
    }
    let d: Day = match s.len() {
        6 => {
            let v: Day = s.parse().map_err(|_| format!("bad date {s:?}"))?;
            let yy = v / 10000;
            v + if yy <= 30 { 20_000_000 } else { 19_000_000 }
        }
        8 => s.parse().map_err(|_| format!("bad date {s:?}"))?,
        _ => return Err(format!("bad date {s:?} (expected YYMMDD or YYYYMMDD)")),
    };
    let (m, day) = (d / 100 % 100, d % 100);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return Err(format!("bad date {s:?}: month or day out of range"));
    }
    Ok(d)
}

/// One `[...]` block of an actor: `CODE`, `CODE <D`, `CODE >D`, `CODE D1-D2`.
fn parse_code_block(body: &str) -> Result<Role, String> {
    let body = body.trim();
    let code_end = body
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>')
        .unwrap_or(body.len());
    let code = body[..code_end].to_ascii_uppercase();
    let rest: String = body[code_end..]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if code.is_empty() || code.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return Err(format!("code block [{body}] has no code"));
    }
    let (from, to) = if rest.is_empty() {
        (OPEN_START, OPEN_END)
    } else if let Some(d) = rest.strip_prefix('<') {
        // Strictly before and strictly after.
        (OPEN_START, prev_day(parse_date(d)?))
    } else if let Some(d) = rest.strip_prefix('>') {
        (next_day(parse_date(d)?), OPEN_END)
    } else if let Some((a, b)) = rest.split_once('-') {
        (parse_date(a)?, parse_date(b)?)
    } else {
        return Err(format!(
            "code block [{body}]: expected <DATE, >DATE or DATE-DATE"
        ));
    };
    if from > to {
        return Err(format!("code block [{body}] ends before it starts"));
    }
    Ok(Role { code, from, to })
}

fn days_in_month(y: Day, m: Day) -> Day {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn prev_day(d: Day) -> Day {
    let (y, m, day) = (d / 10000, d / 100 % 100, d % 100);
    match (m, day) {
        (1, 1) => (y - 1) * 10000 + 1231,
        (_, 1) => y * 10000 + (m - 1) * 100 + days_in_month(y, m - 1),
        _ => d - 1,
    }
}

fn next_day(d: Day) -> Day {
    let (y, m, day) = (d / 10000, d / 100 % 100, d % 100);
    if day < days_in_month(y, m) {
        d + 1
    } else if m < 12 {
        y * 10000 + (m + 1) * 100 + 1
    } else {
        (y + 1) * 10000 + 101
    }
}

/// Splits a line into the text before the first `[` and the bodies of its `[...]` blocks.
fn split_blocks(line: &str) -> Result<(&str, Vec<&str>), String> {
    let Some(first) = line.find('[') else {
        return Ok((line, Vec::new()));
    };
    let mut blocks = Vec::new();
    let mut rest = &line[first..];
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']').ok_or("unclosed `[`")? + open;
        blocks.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    Ok((&line[..first], blocks))
}

/// A name as written: `_` for spaces; in TABARI no final `_` means a stem.
fn name_of(raw: &str, d: Dialect) -> Option<(String, bool)> {
    let raw = raw
        .trim()
        .trim_start_matches('+')
        .trim_end_matches('=')
        .trim();
    if raw.is_empty() {
        return None;
    }
    let stem = d == Dialect::Tabari && !raw.ends_with('_');
    let name = raw.replace('_', " ").trim().to_string();
    (!name.is_empty()).then_some((name, stem))
}

/// Three-letter codes that are sectors, not countries (`[IGO 1985-1994]` is a person).
const SECTOR_CODES: &[&str] = &[
    "IGO", "NGO", "NGM", "IMG", "MNC", "UIS", "UAF", "INT", "ELI", "REB", "MIL", "GOV", "OPP",
    "BUS", "MED", "CVL", "LEG", "JUD", "COP",
];

fn kind_of(roles: &[Role]) -> Kind {
    if roles
        .iter()
        .all(|r| r.code.len() == 3 && !SECTOR_CODES.contains(&r.code.as_str()))
    {
        Kind::Country
    } else if roles.iter().any(|r| r.is_dated()) {
        Kind::Person
    } else {
        Kind::Group
    }
}

struct PendingActor {
    line: u32,
    names: Vec<(String, bool)>,
    roles: Vec<Role>,
}

fn flush_actor(b: &mut DictBuilder, file: u16, p: Option<PendingActor>) {
    let Some(p) = p else { return };
    if p.roles.is_empty() {
        b.warn(
            file,
            p.line,
            format!("actor {:?} has no code", p.names[0].0),
        );
        return;
    }
    let entry = ActorEntry {
        name: p.names[0].0.clone(),
        kind: kind_of(&p.roles),
        roles: p.roles,
        source: Source { file, line: p.line },
    };
    b.add_actor(entry, &p.names);
}

/// Reads an actors file.
pub(crate) fn read_actors(b: &mut DictBuilder, name: &str, text: &str, d: Dialect) {
    let file = b.file(name);
    let mut pending: Option<PendingActor> = None;
    let mut in_section = false;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n as u32 + 1;
        let trimmed = raw.trim();
        if trimmed.starts_with("~~") {
            break;
        }
        if trimmed.starts_with('<') {
            // `<!-- -->` comments; TABARI `<NOUN>` ... `</NOUN>` word-class sections.
            let tag = trimmed.trim_start_matches('<').trim_end_matches('>');
            if matches!(tag, "NOUN" | "ADJECTIVE" | "ADVERB" | "VERB") {
                in_section = true;
            } else if tag.starts_with('/') {
                in_section = false;
            }
            continue;
        }
        if in_section {
            continue;
        }
        let line = strip_comment(raw, d);
        if line.trim().is_empty() {
            continue;
        }
        let (name_part, blocks) = match split_blocks(line) {
            Ok(x) => x,
            Err(e) => {
                b.warn(file, line_no, e);
                continue;
            }
        };
        let mut roles = Vec::new();
        let mut bad = false;
        for blk in blocks {
            match parse_code_block(blk) {
                Ok(r) => roles.push(r),
                Err(e) => {
                    b.warn(file, line_no, e);
                    bad = true;
                }
            }
        }
        let name_text = name_part.trim();
        if name_text.is_empty() {
            // A code line for the current entry.
            match pending.as_mut() {
                Some(p) => p.roles.extend(roles),
                None if !bad => b.warn(file, line_no, "code block outside an entry"),
                None => {}
            }
            continue;
        }
        if name_text.starts_with('+') {
            match pending.as_mut() {
                Some(p) => {
                    p.names.extend(name_of(name_text, d));
                    p.roles.extend(roles);
                }
                None => b.warn(file, line_no, "synonym `+` outside an entry"),
            }
            continue;
        }
        let Some(first) = name_of(name_text, d) else {
            continue;
        };
        // Root lines without codes share the codes that follow them (PETRARCH lists
        // "BORIS_YELTSIN", "PRESIDENT_YELTSIN", ... then one code block).
        if let Some(p) = pending.as_mut()
            && p.roles.is_empty()
        {
            p.names.push(first);
            p.roles.extend(roles);
            continue;
        }
        flush_actor(b, file, pending.take());
        if bad && roles.is_empty() {
            continue;
        }
        pending = Some(PendingActor {
            line: line_no,
            names: vec![first],
            roles,
        });
    }
    flush_actor(b, file, pending);
}

/// Expands `!SET!` markers: every combination of the sets' words.
fn expand_sets(name: &str, sets: &[(String, Vec<String>)]) -> Vec<String> {
    let mut out = vec![name.to_string()];
    for (key, words) in sets {
        if !name.contains(key.as_str()) {
            continue;
        }
        out = out
            .iter()
            .flat_map(|n| words.iter().map(move |w| n.replace(key.as_str(), w)))
            .collect();
    }
    out
}

/// Reads an agents file.
pub(crate) fn read_agents(b: &mut DictBuilder, name: &str, text: &str, d: Dialect) {
    let file = b.file(name);
    let mut sets: Vec<(String, Vec<String>)> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n as u32 + 1;
        let trimmed = raw.trim();
        if trimmed.starts_with('<') || trimmed.starts_with("~~") {
            continue;
        }
        let line = strip_comment(raw, d).trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('!')
            && let Some((key, words)) = line.split_once('=')
        {
            let words = words
                .split(',')
                .map(|w| w.trim().to_string())
                .filter(|w| !w.is_empty())
                .collect();
            sets.push((key.trim().to_string(), words));
            continue;
        }
        let (head, blocks) = match split_blocks(line) {
            Ok(x) => x,
            Err(e) => {
                b.warn(file, line_no, e);
                continue;
            }
        };
        let [block] = blocks.as_slice() else {
            b.warn(file, line_no, "agent needs one [~CODE] block");
            continue;
        };
        let code = block.trim().replace(' ', "");
        let (code, prefix) = if let Some(c) = code.strip_prefix('~') {
            (c.to_string(), false)
        } else if let Some(c) = code.strip_suffix('~') {
            (c.to_string(), true)
        } else {
            b.warn(
                file,
                line_no,
                format!("agent code [{code}] has no `~` (expected [~CODE] or [CODE~])"),
            );
            continue;
        };
        if code.is_empty() || !code.bytes().all(|c| c.is_ascii_alphanumeric()) {
            b.warn(file, line_no, format!("bad agent code {code:?}"));
            continue;
        }
        // `NAME {PLURAL}`: explicit plural, `{}` for none.
        let (name_raw, plural) = match head.split_once('{') {
            Some((n, p)) => (n, Some(p.trim_end().trim_end_matches('}').trim())),
            None => (head, None),
        };
        let names = expand_sets(name_raw.trim(), &sets);
        let mut all: Vec<String> = names
            .iter()
            .filter_map(|n| name_of(n, Dialect::Petrarch))
            .map(|(n, _)| n)
            .collect();
        if let Some(p) = plural.filter(|p| !p.is_empty()) {
            all.extend(
                expand_sets(p, &sets)
                    .iter()
                    .filter_map(|n| name_of(n, Dialect::Petrarch))
                    .map(|(n, _)| n),
            );
        }
        if all.is_empty() {
            b.warn(file, line_no, "agent has no name");
            continue;
        }
        let entry = AgentEntry {
            name: all[0].clone(),
            code: code.to_ascii_uppercase(),
            prefix,
            source: Source {
                file,
                line: line_no,
            },
        };
        let auto_plural = d == Dialect::Petrarch && plural.is_none();
        b.add_agent(entry, &all, auto_plural);
    }
}

/// Reads a discards file (`+` = story level).
pub(crate) fn read_discards(b: &mut DictBuilder, name: &str, text: &str, d: Dialect) {
    let file = b.file(name);
    for (n, raw) in text.lines().enumerate() {
        let line = strip_comment(raw, d).trim();
        if line.is_empty() || line.starts_with('<') {
            continue;
        }
        let (scope, phrase) = match line.strip_prefix('+') {
            Some(p) => (DiscardScope::Story, p.trim()),
            None => (DiscardScope::Sentence, line),
        };
        if phrase.is_empty() {
            continue;
        }
        b.add_discard(DiscardEntry {
            name: phrase.replace('_', " "),
            scope,
            source: Source {
                file,
                line: n as u32 + 1,
            },
        });
    }
}

/// Which role a dictionary file plays, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileRole {
    Actors,
    Agents,
    Discards,
}

pub(crate) fn role_of_file(path: &Path) -> Option<FileRole> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.contains("actor") {
        Some(FileRole::Actors)
    } else if name.contains("agent") {
        Some(FileRole::Agents)
    } else if name.contains("discard") {
        Some(FileRole::Discards)
    } else {
        None
    }
}

/// The dictionary files of a TABARI project: from its `.project` file
/// (`<actorsfile>`, `<agentsfile>`) when there is one, else by file name.
pub(crate) fn tabari_files(dir: &Path) -> std::io::Result<Vec<(FileRole, PathBuf)>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in &entries {
        if p.extension().is_some_and(|e| e == "project") {
            let text = String::from_utf8_lossy(&std::fs::read(p)?).into_owned();
            let mut files = Vec::new();
            for line in text.lines() {
                let mut it = line.split_whitespace();
                let role = match it.next() {
                    Some("<actorsfile>") => FileRole::Actors,
                    Some("<agentsfile>") => FileRole::Agents,
                    _ => continue,
                };
                if let Some(f) = it.next() {
                    files.push((role, dir.join(f)));
                }
            }
            if !files.is_empty() {
                return Ok(files);
            }
        }
    }
    Ok(entries
        .into_iter()
        .filter_map(|p| {
            let ext = p.extension()?.to_string_lossy().to_ascii_lowercase();
            let role = match ext.as_str() {
                "actors" => FileRole::Actors,
                "agents" => FileRole::Agents,
                _ => role_of_file(&p).filter(|_| ext == "txt")?,
            };
            Some((role, p))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks() {
        let r = parse_code_block("USAGOV >090120").unwrap();
        assert_eq!(
            (r.code.as_str(), r.from, r.to),
            ("USAGOV", 20090121, OPEN_END)
        );
        let r = parse_code_block("HOBGOV 19950601 - 19990815").unwrap();
        assert_eq!((r.from, r.to), (19950601, 19990815));
        let r = parse_code_block("HOB < 950601").unwrap();
        assert_eq!(r.to, 19950531);
        assert_eq!(parse_code_block("X >20081231").unwrap().from, 20090101);
        assert_eq!(parse_code_block("X <20080301").unwrap().to, 20080229);
        assert_eq!(parse_code_block("X <20070101").unwrap().to, 20061231);
        assert!(parse_code_block("X 20121207-20120802").is_err());
        let r = parse_code_block("AFGELI 19270101-730717").unwrap();
        assert_eq!((r.from, r.to), (19270101, 19730717));
        assert_eq!(parse_code_block(" pse ").unwrap().code, "PSE");
        assert!(parse_code_block("950601-990815").is_err());
        assert!(parse_code_block("KORGOVBUS 2004017-20061201").is_err());
    }

    #[test]
    fn substitution_sets() {
        let sets = vec![(
            "!MINIST!".to_string(),
            vec!["MINISTER".to_string(), "MINISTRY".to_string()],
        )];
        assert_eq!(
            expand_sets("FOREIGN_!MINIST!", &sets),
            ["FOREIGN_MINISTER", "FOREIGN_MINISTRY"]
        );
    }
}
