//! The verb dictionary: which words trigger events and which code they get.
//!
//! One model serves three formats. Dyad's own format (`dict/verbs/*.verbs`,
//! documented in `dict/README.md`) is a lower-case, lemma-based rewrite of
//! PETRARCH's: PETRARCH users can read it at once and the converter
//! (`convert-petrarch-verbs`) is a line-by-line translation. PETRARCH
//! (`CAMEO.2.0.txt`, `PETR.Validate.verbs.txt`) and TABARI (`*.verbs`)
//! dictionaries are read directly, so users keep their existing work.
//!
//! A dictionary is a list of **groups**. A group has a name, a default code and
//! a set of trigger words: verbs (matched on the lemma of a VERB token) and, in
//! Dyad's format, event nouns ("attack", "visit", "talks"), matched on NOUN
//! tokens. A group's **patterns** refine the code from the words around the
//! trigger: `- * (with +) [040]` means "the trigger, then later in its phrase the
//! word *with* followed by the target". Pattern words are compared with both the
//! lemma and the lower-cased form of a token, so `exercises` and `exercise` both
//! work. `@name` (PETRARCH `&NAME`) stands for any member of a synonym set.
//!
//! Where the words are looked for is the coder's business (the dependency
//! subtree of the trigger, see `coder`): the dictionary only says which words,
//! in which order, and where the source (`$`) and target (`+`) sit.

use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;
use std::path::Path;

/// An event code as written in a dictionary: `[190]`, `[042:043]` (the second
/// code is for the reverse event, target → source), `[:043]`, or `[---]` (the
/// pattern or group deliberately codes nothing).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CodeSpec {
    pub forward: Option<String>,
    pub reverse: Option<String>,
}

impl CodeSpec {
    pub fn none() -> CodeSpec {
        CodeSpec::default()
    }

    pub fn is_none(&self) -> bool {
        self.forward.is_none() && self.reverse.is_none()
    }

    /// Parses the text between the brackets. Suffix letters PETRARCH used for
    /// private markers (`[120A]`, `[011!]`) are dropped; anything else that is not
    /// a 2-4 digit code is an error.
    pub fn parse(s: &str) -> Result<CodeSpec, String> {
        let s = s.trim();
        if s.is_empty() || s.chars().all(|c| c == '-' || c == '#' || c == '+') {
            return Ok(CodeSpec::none());
        }
        let one = |p: &str| -> Result<Option<String>, String> {
            let p = p.trim();
            if p.is_empty() || p.chars().all(|c| c == '-') {
                return Ok(None);
            }
            let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
            let rest = &p[digits.len()..];
            if !(2..=4).contains(&digits.len()) || rest.chars().any(|c| c.is_ascii_digit()) {
                return Err(format!("bad event code {p:?}"));
            }
            if !rest
                .chars()
                .all(|c| c.is_ascii_alphabetic() || "!?".contains(c))
            {
                return Err(format!("bad event code {p:?}"));
            }
            Ok(Some(digits))
        };
        match s.split_once(':') {
            Some((a, b)) => Ok(CodeSpec {
                forward: one(a)?,
                reverse: one(b)?,
            }),
            None => Ok(CodeSpec {
                forward: one(s)?,
                reverse: None,
            }),
        }
    }
}

impl fmt::Display for CodeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.forward, &self.reverse) {
            (None, None) => f.write_str("[---]"),
            (Some(a), None) => write!(f, "[{a}]"),
            (a, Some(b)) => write!(f, "[{}:{b}]", a.as_deref().unwrap_or("")),
        }
    }
}

/// One element of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Elem {
    /// A word (lower case); matches a token's lemma or form.
    Word(String),
    /// A word joined to the one before it by `_` (`REAL_PLEASANT`): it must
    /// be the very next token of the sentence.
    Next(String),
    /// Any member of a synonym set (index into [`VerbDict::sets`]).
    Set(u32),
    /// A set joined to the word before it by `_` (`NEW_&TIETYPES`): its
    /// member must start at the very next token.
    NextSet(u32),
    /// Where the source actor is (`$`).
    Source,
    /// Where the target actor is (`+`).
    Target,
    /// PETRARCH's `%` (compound actor): no constraint on the words, but a
    /// compound source matched by such a pattern acts among its own members
    /// ("Gondor and Osgiliath have delayed ..." = GON ↔ OSG).
    Compound,
    /// PETRARCH's `^` (skip a phrase): kept for display, no constraint.
    Marker,
}

impl Elem {
    /// Whether the element constrains which tokens match.
    pub fn is_word(&self) -> bool {
        matches!(
            self,
            Elem::Word(_) | Elem::Next(_) | Elem::Set(_) | Elem::NextSet(_)
        )
    }
}

/// Where a dictionary line came from: file index into [`VerbDict::files`] and 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Loc {
    pub file: u16,
    pub line: u32,
}

/// A pattern line: words before the trigger, words after it, and the code.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub pre: Vec<Elem>,
    pub post: Vec<Elem>,
    pub code: CodeSpec,
    /// The pattern as written (without its code), for provenance.
    pub text: String,
    pub loc: Loc,
    /// `RECENTLY_*` / `*_OUT`: the word next to `*` is joined to the trigger
    /// and must be the token right before / after it.
    pub joined_before: bool,
    pub joined_after: bool,
}

impl Pattern {
    /// How many words the pattern requires: more specific patterns win.
    pub fn specificity(&self) -> usize {
        self.pre
            .iter()
            .chain(&self.post)
            .filter(|e| e.is_word())
            .count()
    }
}

/// A trigger word of a group: a verb lemma (with the extra words of a phrasal
/// verb such as "carry out") or an event noun.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub group: u32,
    /// Words that must come before / after it ("out" in "carry out").
    pub pre: Vec<Elem>,
    pub post: Vec<Elem>,
    /// The trigger's own default code, overriding the group's.
    pub code: Option<CodeSpec>,
    pub text: String,
    pub loc: Loc,
}

/// A set of triggers sharing patterns and a default code.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub name: String,
    pub code: CodeSpec,
    pub patterns: Vec<Pattern>,
    pub loc: Loc,
}

/// A problem found while reading a dictionary; the line is skipped and reading goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: u32,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// A dictionary could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}: no verb dictionary file found (expected *.verbs, or PETRARCH/TABARI verb files)")]
    NotFound(String),
}

/// The whole verb dictionary, indexed for lookup by lemma.
#[derive(Clone, Debug, Default)]
pub struct VerbDict {
    pub groups: Vec<Group>,
    /// Synonym sets: name and members (each member a word sequence).
    pub sets: Vec<(String, Vec<Vec<String>>)>,
    pub files: Vec<String>,
    verbs: FxHashMap<String, Vec<Trigger>>,
    nouns: FxHashMap<String, Vec<Trigger>>,
    set_index: FxHashMap<String, u32>,
    /// TABARI verbs written without a final `_`: stems ("RESTOR" matches
    /// "restore", "restored").
    verb_stems: FxHashSet<String>,
    pub warnings: Vec<Warning>,
}

impl VerbDict {
    /// Triggers for a verb lemma (lower case).
    pub fn verb(&self, lemma: &str) -> &[Trigger] {
        if let Some(ts) = self.verbs.get(lemma) {
            return ts;
        }
        // The longest stem the word starts with (TABARI dictionaries only).
        if !self.verb_stems.is_empty() {
            for (i, _) in lemma.char_indices().rev() {
                if i < 3 {
                    break;
                }
                if self.verb_stems.contains(&lemma[..i]) {
                    return self.verbs.get(&lemma[..i]).map_or(&[], Vec::as_slice);
                }
            }
        }
        &[]
    }

    /// Triggers for an event noun lemma (lower case).
    pub fn noun(&self, lemma: &str) -> &[Trigger] {
        self.nouns.get(lemma).map_or(&[], Vec::as_slice)
    }

    pub fn verb_count(&self) -> usize {
        self.verbs.len()
    }

    pub fn noun_count(&self) -> usize {
        self.nouns.len()
    }

    pub fn pattern_count(&self) -> usize {
        self.groups.iter().map(|g| g.patterns.len()).sum()
    }

    /// `file:line` of a location.
    pub fn loc_label(&self, loc: Loc) -> String {
        format!(
            "{}:{}",
            self.files
                .get(loc.file as usize)
                .map_or("?", String::as_str),
            loc.line
        )
    }

    /// Members of a synonym set.
    pub fn set_members(&self, set: u32) -> &[Vec<String>] {
        &self.sets[set as usize].1
    }

    fn add_file(&mut self, name: &str) -> u16 {
        self.files.push(name.to_string());
        (self.files.len() - 1) as u16
    }

    fn warn(&mut self, file: u16, line: u32, message: impl Into<String>) {
        self.warnings.push(Warning {
            file: self.files[file as usize].clone(),
            line,
            message: message.into(),
        });
    }

    fn set_id(&mut self, name: &str) -> u32 {
        let key = name.trim().trim_end_matches('_').to_ascii_lowercase();
        if let Some(&i) = self.set_index.get(&key) {
            return i;
        }
        self.sets.push((key.clone(), Vec::new()));
        let i = (self.sets.len() - 1) as u32;
        self.set_index.insert(key, i);
        i
    }

    /// One `_`-separated part of a pattern word: a synonym set (`&NAME`), else
    /// a word, joined to the part before it when `joined`.
    fn elem_part(&mut self, part: &str, joined: bool) -> Elem {
        if let Some(name) = part.strip_prefix('&').or_else(|| part.strip_prefix('@')) {
            let id = self.set_id(name);
            return if joined {
                Elem::NextSet(id)
            } else {
                Elem::Set(id)
            };
        }
        let part = part.to_ascii_lowercase();
        if joined {
            Elem::Next(part)
        } else {
            Elem::Word(part)
        }
    }

    /// Parses a pattern's word list (either side of `*`).
    fn elems(&mut self, text: &str) -> Vec<Elem> {
        let mut out = Vec::new();
        for raw in text.split_whitespace() {
            let w = raw.trim_matches(|c| matches!(c, '(' | ')' | '{' | '}' | '|'));
            if w.is_empty() {
                continue;
            }
            match w {
                "$" => out.push(Elem::Source),
                "+" => out.push(Elem::Target),
                "%" => out.push(Elem::Compound),
                "^" => out.push(Elem::Marker),
                _ if w.starts_with('&')
                    || w.starts_with('@')
                    || w.contains("_&")
                    || w.contains("_@") =>
                {
                    // `_` joins a set to the words around it as it joins words
                    // (`&TIETYPES_MEMOS`: a member of &TIETYPES, then "memos").
                    // So do `MEMOS_ON_&TIETYPES`, `MOST_CERTAINLY_&NEGATVAUXVRB_EVER`.
                    for (i, part) in w.split('_').filter(|p| !p.is_empty()).enumerate() {
                        out.push(self.elem_part(part, i > 0));
                    }
                }
                _ => {
                    for (i, part) in w.split('_').filter(|p| !p.is_empty()).enumerate() {
                        let part = part.to_ascii_lowercase();
                        out.push(if i == 0 {
                            Elem::Word(part)
                        } else {
                            Elem::Next(part)
                        });
                    }
                }
            }
        }
        out
    }

    /// Adds a pattern line `pre * post [code]` to group `g`.
    fn add_pattern(&mut self, g: usize, body: &str, loc: Loc) {
        let Some((words, code)) = split_code(body) else {
            self.warn(loc.file, loc.line, "pattern has no [code]");
            return;
        };
        let code = match CodeSpec::parse(code) {
            Ok(c) => c,
            Err(e) => {
                self.warn(loc.file, loc.line, e);
                return;
            }
        };
        let Some((pre, post)) = words.split_once('*') else {
            self.warn(loc.file, loc.line, "pattern has no `*` for the verb");
            return;
        };
        let joined_before = pre.trim_end().ends_with('_');
        let joined_after = post.trim_start().starts_with('_');
        let (pre, post) = (self.elems(pre), self.elems(post));
        let text = normalize_space(words);
        self.groups[g].patterns.push(Pattern {
            pre,
            post,
            code,
            text,
            loc,
            joined_before,
            joined_after,
        });
    }

    /// Adds trigger words from a verb line: `word [code]`, `carry_out`,
    /// PETRARCH's `+CARRY_OUT {forms}` or `KLM_NOP_+RST`.
    fn add_triggers(&mut self, g: usize, body: &str, noun: bool, loc: Loc) {
        let (words, code) = match split_code(body) {
            Some((w, c)) => match CodeSpec::parse(c) {
                Ok(c) => (w, Some(c)),
                Err(e) => {
                    self.warn(loc.file, loc.line, e);
                    return;
                }
            },
            None => (body, None),
        };
        // Irregular forms in braces are indexed too (the lemmatizer may miss them).
        let (main, forms) = match words.split_once('{') {
            Some((m, rest)) => (m, rest.split('}').next().unwrap_or("")),
            None => (words, ""),
        };
        let split = |s: &'_ str| -> Vec<String> {
            s.split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        };
        let main = main.split(';').next().unwrap_or("");
        for spelling in split(main).iter().chain(split(forms).iter()) {
            let parts: Vec<&str> = spelling.split('_').filter(|p| !p.is_empty()).collect();
            if parts.is_empty() {
                continue;
            }
            let verb_at = parts.iter().position(|p| p.starts_with('+')).unwrap_or(0);
            let word = |p: &str| Elem::Word(p.trim_start_matches('+').to_ascii_lowercase());
            let key = parts[verb_at].trim_start_matches('+').to_ascii_lowercase();
            if key.is_empty() || !key.chars().any(|c| c.is_alphabetic()) {
                self.warn(loc.file, loc.line, format!("bad trigger word {spelling:?}"));
                continue;
            }
            let t = Trigger {
                group: g as u32,
                pre: parts[..verb_at].iter().map(|p| word(p)).collect(),
                post: parts[verb_at + 1..].iter().map(|p| word(p)).collect(),
                code: code.clone(),
                text: spelling.trim_start_matches('+').to_ascii_lowercase(),
                loc,
            };
            let map = if noun {
                &mut self.nouns
            } else {
                &mut self.verbs
            };
            let list = map.entry(key).or_default();
            if !list.iter().any(|x| x.group == t.group && x.text == t.text) {
                list.push(t);
            }
        }
    }

    fn new_group(&mut self, name: &str, code: CodeSpec, loc: Loc) -> usize {
        self.groups.push(Group {
            name: name.to_string(),
            code,
            patterns: Vec::new(),
            loc,
        });
        self.groups.len() - 1
    }

    // ----- Dyad format -------------------------------------------------------

    /// Reads Dyad's own format (see `dict/README.md`). `name` labels provenance.
    pub fn read_dyad(&mut self, name: &str, text: &str) {
        let file = self.add_file(name);
        let mut group: Option<usize> = None;
        let mut pending_set: Option<u32> = None;
        for (i, raw) in text.lines().enumerate() {
            let loc = Loc {
                file,
                line: i as u32 + 1,
            };
            let line = strip_comment(raw).trim();
            if line.is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix('@') {
                // `@set = a b c_d` (members may continue on `+ word` lines).
                let Some((name, members)) = rest.split_once('=') else {
                    self.warn(file, loc.line, "synonym set needs `@name = members`");
                    continue;
                };
                let id = self.set_id(name.trim());
                for m in members.split_whitespace() {
                    self.sets[id as usize].1.push(member_words(m));
                }
                pending_set = Some(id);
            } else if let Some(m) = line.strip_prefix("+ ") {
                match pending_set {
                    Some(id) => self.sets[id as usize].1.push(member_words(m.trim())),
                    None => self.warn(file, loc.line, "`+` member outside a synonym set"),
                }
            } else if let Some(rest) = line.strip_prefix("==") {
                pending_set = None;
                let rest = rest.trim().trim_end_matches('=').trim();
                let (name, code) = match split_code(rest) {
                    Some((n, c)) => (n.trim(), CodeSpec::parse(c)),
                    None => (rest, Ok(CodeSpec::none())),
                };
                match code {
                    Ok(c) => group = Some(self.new_group(name, c, loc)),
                    Err(e) => {
                        self.warn(file, loc.line, e);
                        group = None;
                    }
                }
            } else if let Some(rest) = line.strip_prefix("verb ") {
                match group {
                    Some(g) => self.add_trigger_line(g, rest, false, loc),
                    None => self.warn(file, loc.line, "`verb` line before any `==` group"),
                }
            } else if let Some(rest) = line.strip_prefix("noun ") {
                match group {
                    Some(g) => self.add_trigger_line(g, rest, true, loc),
                    None => self.warn(file, loc.line, "`noun` line before any `==` group"),
                }
            } else if let Some(rest) = line.strip_prefix('-') {
                match group {
                    Some(g) => self.add_pattern(g, rest, loc),
                    None => self.warn(file, loc.line, "pattern before any `==` group"),
                }
            } else {
                self.warn(file, loc.line, format!("unrecognised line {line:?}"));
            }
        }
    }

    /// A `verb`/`noun` line lists several words; a trailing `[code]` applies to all.
    fn add_trigger_line(&mut self, g: usize, rest: &str, noun: bool, loc: Loc) {
        let (words, code) = match split_code(rest) {
            Some((w, c)) => (w, Some(c)),
            None => (rest, None),
        };
        for w in words.split_whitespace() {
            match code {
                Some(c) => self.add_triggers(g, &format!("{w} [{c}]"), noun, loc),
                None => self.add_triggers(g, w, noun, loc),
            }
        }
    }

    // ----- PETRARCH format ---------------------------------------------------

    /// Reads a PETRARCH verb dictionary (`CAMEO.2.0.txt`, `PETR.Validate.verbs.txt`).
    pub fn read_petrarch(&mut self, name: &str, text: &str) {
        let file = self.add_file(name);
        let mut group: Option<usize> = None;
        let mut in_set: Option<u32> = None;
        let mut in_transformations = false;
        for (i, raw) in text.lines().enumerate() {
            let loc = Loc {
                file,
                line: i as u32 + 1,
            };
            let t = raw.trim();
            if t.starts_with("<!--") || t.starts_with('#') && !t.starts_with("###") {
                continue;
            }
            if t.contains("TRANSFORMATIONS") {
                in_transformations = true;
                continue;
            }
            if t.starts_with("####") || t.starts_with('~') || in_transformations {
                continue;
            }
            let line = strip_comment(t).trim();
            if line.is_empty() {
                in_set = None;
                continue;
            }
            if let Some(rest) = line.strip_prefix('&') {
                in_set = Some(self.set_id(rest.trim()));
                group = None;
            } else if let (Some(id), Some(m)) = (in_set, line.strip_prefix('+'))
                && !line.contains('[')
                && group.is_none()
            {
                self.sets[id as usize].1.push(member_words(m.trim()));
            } else if line.starts_with("---") {
                in_set = None;
                let inner = line.trim_matches('-').trim();
                let (name, code) = match split_code(inner) {
                    Some((n, c)) => (n.trim(), CodeSpec::parse(c)),
                    None => (inner, Ok(CodeSpec::none())),
                };
                match code {
                    Ok(c) => group = Some(self.new_group(name, c, loc)),
                    Err(e) => {
                        self.warn(file, loc.line, e);
                        group = None;
                    }
                }
            } else if let Some(rest) = line.strip_prefix('-') {
                match group {
                    Some(g) => self.add_pattern(g, rest, loc),
                    None => self.warn(file, loc.line, "pattern outside a verb block"),
                }
            } else {
                match group {
                    Some(g) => self.add_triggers(g, line, false, loc),
                    None => self.warn(
                        file,
                        loc.line,
                        format!("line outside a verb block: {line:?}"),
                    ),
                }
            }
        }
    }

    // ----- TABARI format -----------------------------------------------------

    /// Reads a TABARI `.verbs` file: `VERB [code]` lines start a block, `- pattern
    /// [code]` lines refine it; `_` joins words of a phrase and `*` marks the verb.
    pub fn read_tabari(&mut self, name: &str, text: &str) {
        let file = self.add_file(name);
        let mut group: Option<usize> = None;
        let mut section = String::new();
        let mut in_set: Option<u32> = None;
        for (i, raw) in text.lines().enumerate() {
            let loc = Loc {
                file,
                line: i as u32 + 1,
            };
            let raw = raw.trim_start_matches('\u{feff}');
            let line = raw.split(';').next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
                continue;
            }
            if let Some(tag) = line.strip_prefix('<') {
                let tag = tag.trim_end_matches('>').to_ascii_uppercase();
                section = if tag.starts_with('/') {
                    String::new()
                } else {
                    tag
                };
                in_set = None;
                continue;
            }
            match section.as_str() {
                "" => {}
                "SYNSETS" => {
                    if let Some(rest) = line.strip_prefix('&') {
                        in_set = Some(self.set_id(rest.trim()));
                    } else if let (Some(id), Some(m)) = (in_set, line.strip_prefix('+')) {
                        self.sets[id as usize].1.push(member_words(m.trim()));
                    }
                    continue;
                }
                // TIME shifts and other sections are not verb patterns.
                _ => continue,
            }
            if let Some(rest) = line.strip_prefix('-') {
                match group {
                    Some(g) => self.add_pattern(g, &tabari_pattern(rest), loc),
                    None => self.warn(file, loc.line, "pattern before any verb"),
                }
            } else {
                let (words, code) = match split_code(line) {
                    Some((w, c)) => (w.trim(), CodeSpec::parse(c)),
                    None => (line, Ok(CodeSpec::none())),
                };
                let code = match code {
                    Ok(c) => c,
                    Err(e) => {
                        self.warn(file, loc.line, e);
                        group = None;
                        continue;
                    }
                };
                let verb = words.split_whitespace().next().unwrap_or("");
                if verb.is_empty() {
                    continue;
                }
                // TABARI lists forms as separate blocks; each is indexed under its
                // own spelling and the coder also looks tokens up by form. A
                // single word without a final `_` is a stem.
                if !verb.contains('_') && verb.chars().all(char::is_alphabetic) {
                    self.verb_stems.insert(verb.to_ascii_lowercase());
                }
                let g = self.new_group(verb, code, loc);
                self.add_triggers(g, verb, false, loc);
                group = Some(g);
            }
        }
    }

    /// Reports synonym sets used but never defined (call after the last file).
    pub fn check_sets(&mut self) {
        let file = self.files.len().saturating_sub(1) as u16;
        let empty: Vec<String> = self
            .sets
            .iter()
            .filter(|(_, m)| m.is_empty())
            .map(|(n, _)| n.clone())
            .collect();
        for n in empty {
            let w = format!("synonym set &{n} is used but never defined");
            if !self.warnings.iter().any(|x| x.message == w) {
                self.warn(file, 0, w);
            }
        }
    }

    /// Reads a dictionary file, choosing the format from its name and content:
    /// `*.verbs` starting with `==`/`@` lines is Dyad's, PETRARCH files have
    /// `--- NAME [code] ---` blocks, anything else is read as TABARI.
    pub fn read_file(&mut self, path: &Path) -> Result<(), DictError> {
        let text = std::fs::read_to_string(path).map_err(|e| DictError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let name = path.display().to_string();
        match sniff(&text) {
            Format::Dyad => self.read_dyad(&name, &text),
            Format::Petrarch => self.read_petrarch(&name, &text),
            Format::Tabari => self.read_tabari(&name, &text),
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Dyad,
    Petrarch,
    Tabari,
}

fn sniff(text: &str) -> Format {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("<!--"));
    if text.lines().any(|l| l.trim_start().starts_with("==")) {
        return Format::Dyad;
    }
    if lines.any(|l| l.starts_with("---") && l.trim_end().ends_with("---")) {
        return Format::Petrarch;
    }
    Format::Tabari
}

/// Rewrites a TABARI pattern (`* ATTACK_ON +` style, `_` joining words) into the
/// shared pattern syntax (words separated by spaces).
fn tabari_pattern(rest: &str) -> String {
    let (words, code) = match rest.rfind('[') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut w = words.replace('_', " ");
    if !w.contains('*') {
        w = format!("* {w}");
    }
    format!("{w} {code}")
}

/// Splits `words [code]` at the last bracket pair.
fn split_code(s: &str) -> Option<(&str, &str)> {
    let open = s.rfind('[')?;
    let close = s[open..].find(']')? + open;
    Some((&s[..open], &s[open + 1..close]))
}

fn strip_comment(s: &str) -> &str {
    match s.find('#') {
        // `[###]` is a PETRARCH code placeholder, not a comment.
        Some(i) if !s[..i].ends_with('[') => &s[..i],
        _ => s,
    }
}

fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn member_words(m: &str) -> Vec<String> {
    m.split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect()
}

/// The dictionary built into the binary (`dict/verbs/*.verbs`).
pub mod builtin {
    /// Each file's name (as shown in provenance) and text.
    pub static FILES: &[(&str, &str)] = &[
        (
            "dict/verbs/curated.verbs",
            include_str!("../../../dict/verbs/curated.verbs"),
        ),
        (
            "dict/verbs/cameo.verbs",
            include_str!("../../../dict/verbs/cameo.verbs"),
        ),
    ];
}

impl VerbDict {
    /// Dyad's own dictionary, as compiled in.
    pub fn builtin() -> VerbDict {
        let mut d = VerbDict::default();
        for (name, text) in builtin::FILES {
            d.read_dyad(name, text);
        }
        d.check_sets();
        d
    }

    /// Loads every verb dictionary in `dir` (or the one file `dir` names).
    pub fn load_dir(dir: &Path) -> Result<VerbDict, DictError> {
        let mut d = VerbDict::default();
        if dir.is_file() {
            d.read_file(dir)?;
            d.check_sets();
            return Ok(d);
        }
        let entries = std::fs::read_dir(dir).map_err(|e| DictError::Io {
            path: dir.display().to_string(),
            source: e,
        })?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let n = p
                    .file_name()
                    .map(|n| n.to_string_lossy().to_ascii_lowercase())
                    .unwrap_or_default();
                n.ends_with(".verbs")
                    || n.contains("verbs")
                    || n.starts_with("cameo.") && n.ends_with(".txt")
            })
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(DictError::NotFound(dir.display().to_string()));
        }
        for p in paths {
            d.read_file(&p)?;
        }
        d.check_sets();
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabari_verbs_without_final_underscore_are_stems() {
        let mut d = VerbDict::default();
        d.read_tabari("t.verbs", "RESTOR  [064]\n- * TIES  [064]\nACT_  [010]\n");
        assert!(!d.verb("restore").is_empty());
        assert!(!d.verb("restoring").is_empty());
        assert!(!d.verb("act").is_empty());
        // `ACT_` is the word itself, not a stem.
        assert!(d.verb("acting").is_empty());
        assert!(d.verb("res").is_empty());
    }

    #[test]
    fn code_specs() {
        assert_eq!(
            CodeSpec::parse("190").unwrap().forward.as_deref(),
            Some("190")
        );
        let v = CodeSpec::parse("042:043").unwrap();
        assert_eq!(
            (v.forward.as_deref(), v.reverse.as_deref()),
            (Some("042"), Some("043"))
        );
        assert!(CodeSpec::parse("---").unwrap().is_none());
        assert_eq!(CodeSpec::parse(":043").unwrap().forward, None);
        assert_eq!(
            CodeSpec::parse("120A").unwrap().forward.as_deref(),
            Some("120")
        );
        assert!(CodeSpec::parse("abc").is_err());
        assert_eq!(v.to_string(), "[042:043]");
    }

    #[test]
    fn reads_petrarch_blocks_sets_and_multiword_verbs() {
        let text = "&WEAPON\n+MISSILE\n+ROCKET_LAUNCHER\n\n####### VERB PATTERNS #######\n\
                    ---  RUSH   [---]  ---\nRUSH\nSPEED {SPEEDING SPED }\n\
                    - * AID  [070]  # RUSH\n- * &WEAPON [194]\n- $ TROOP * (TO +) [154]\n\
                    ---  ASK   [020]  ---\n+ASK_FOR {+ASKED_FOR} [020]\nKLM_NOP_+RST [002]\n\
                    - * bogus\n";
        let mut d = VerbDict::default();
        d.read_petrarch("t.txt", text);
        assert_eq!(d.groups.len(), 2);
        assert_eq!(
            d.set_members(0),
            [
                vec!["missile".to_string()],
                vec!["rocket".into(), "launcher".into()]
            ]
        );
        assert_eq!(d.verb("sped").len(), 1);
        let g = &d.groups[0];
        assert_eq!(g.patterns.len(), 3);
        assert_eq!(g.patterns[1].post, vec![Elem::Set(0)]);
        assert_eq!(
            g.patterns[2].pre,
            vec![Elem::Source, Elem::Word("troop".into())]
        );
        assert_eq!(
            g.patterns[2].post,
            vec![Elem::Word("to".into()), Elem::Target]
        );
        let ask = &d.verb("ask")[0];
        assert_eq!(ask.post, vec![Elem::Word("for".into())]);
        assert_eq!(ask.code.as_ref().unwrap().forward.as_deref(), Some("020"));
        let rst = &d.verb("rst")[0];
        assert_eq!(rst.pre.len(), 2);
        // The broken pattern is reported with its line and skipped.
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        assert_eq!(d.warnings[0].line, 15);
    }

    #[test]
    fn reads_dyad_format() {
        let text = "@weapon = missile rocket\n+ mortar_shell\n\
                    == attack [190]\nverb attack assault\nverb shell [194]\nnoun attack offensive\n\
                    - * @weapon [195]  # comment\n- * (with +) [190]\nnonsense line\n";
        let mut d = VerbDict::default();
        d.read_dyad("x.verbs", text);
        assert_eq!(d.set_members(0).len(), 3);
        assert_eq!(d.verb("assault").len(), 1);
        assert_eq!(d.noun("offensive").len(), 1);
        assert_eq!(
            d.verb("shell")[0].code.as_ref().unwrap().forward.as_deref(),
            Some("194")
        );
        assert_eq!(d.pattern_count(), 2);
        assert_eq!(d.warnings.len(), 1);
        assert_eq!(d.loc_label(d.groups[0].patterns[0].loc), "x.verbs:7");
    }

    #[test]
    fn builtin_dictionary_loads_cleanly() {
        let d = VerbDict::builtin();
        assert!(
            d.warnings.is_empty(),
            "{:?}",
            &d.warnings[..d.warnings.len().min(5)]
        );
        assert!(d.pattern_count() > 3000);
        for w in [
            "attack", "meet", "accuse", "threaten", "praise", "visit", "sanction",
        ] {
            assert!(!d.verb(w).is_empty(), "{w}");
        }
        for w in ["attack", "visit", "talks", "sanctions", "assistance"] {
            assert!(!d.noun(w).is_empty(), "{w}");
        }
    }
}
