//! One automaton over every name of a dictionary, run once over a whole document.
//!
//! The document's tokens are folded (see [`crate::normalize`]) into one string,
//! `" tok1 tok2 … "`, with the position where each token starts and ends. Each name
//! becomes the pattern `" name "` (a stem drops the trailing space), so a match
//! always starts at a piece boundary and the trailing space of one match is the
//! leading space of the next. Aho-Corasick in leftmost-longest mode then finds
//! "Russian Foreign Minister" before "Russian", in one pass whatever the number of
//! names. A match must also start and end on token boundaries (not inside
//! "pro-Russian"), stay within one sentence, and, for short acronyms, be written in
//! capitals; a rejected match resumes the search one byte further on.

use crate::dict::NameFlags;
use crate::normalize::{looks_like_acronym, push_token};
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use dyad_doc::Doc;

/// What a name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Actor(u32),
    Agent(u32),
    Discard(u32),
    Ref(RefWord),
}

/// Words that refer back to actors named earlier in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefWord {
    /// "he", "she", "him", "his", "her".
    Person,
    /// "it" (only as a subject).
    It,
    /// "they", "them".
    They,
    /// "the two countries", "both sides", ...
    TwoCountries,
    /// "the two leaders", "both presidents", ...
    TwoLeaders,
    /// "the country", "the nation".
    TheCountry,
}

/// English words and descriptions that refer back, matched by the same automaton
/// (added after every dictionary name, so a dictionary can override them).
pub(crate) const REF_WORDS: &[(&str, RefWord)] = &[
    ("he", RefWord::Person),
    ("she", RefWord::Person),
    ("him", RefWord::Person),
    ("his", RefWord::Person),
    ("her", RefWord::Person),
    ("it", RefWord::It),
    ("they", RefWord::They),
    ("them", RefWord::They),
    ("the two countries", RefWord::TwoCountries),
    ("both countries", RefWord::TwoCountries),
    ("the two nations", RefWord::TwoCountries),
    ("both nations", RefWord::TwoCountries),
    ("the two sides", RefWord::TwoCountries),
    ("both sides", RefWord::TwoCountries),
    ("the two governments", RefWord::TwoCountries),
    ("both governments", RefWord::TwoCountries),
    ("the two neighbours", RefWord::TwoCountries),
    ("the two neighbors", RefWord::TwoCountries),
    ("the two leaders", RefWord::TwoLeaders),
    ("both leaders", RefWord::TwoLeaders),
    ("the two presidents", RefWord::TwoLeaders),
    ("the country", RefWord::TheCountry),
    ("the nation", RefWord::TheCountry),
];

/// A name found in the text: tokens `first..end` (document-wide).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub first: u32,
    pub end: u32,
    pub target: Target,
}

/// The folded text of a document and where each token lies in it.
#[derive(Default)]
pub(crate) struct Haystack {
    text: String,
    /// (offset in `text`, token) where a name may start, increasing.
    starts: Vec<(u32, u32)>,
    /// (offset in `text`, token) where a name may end, increasing.
    ends: Vec<(u32, u32)>,
}

impl Haystack {
    fn fill(&mut self, doc: &Doc) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        self.text.push(' ');
        for i in 0..doc.len() {
            let at = self.text.len();
            let split = push_token(doc.form(i), &mut self.text);
            if self.text.len() == at {
                continue;
            }
            let i = i as u32;
            self.starts.push((at as u32, i));
            if let Some(p) = split {
                self.ends.push(((p - 1) as u32, i));
                self.starts.push((p as u32, i));
            }
            self.ends.push((self.text.len() as u32, i));
            self.text.push(' ');
        }
    }

    fn start_token(&self, pos: usize) -> Option<u32> {
        let k = self.starts.partition_point(|&(p, _)| (p as usize) < pos);
        self.starts
            .get(k)
            .filter(|&&(p, _)| p as usize == pos)
            .map(|&(_, t)| t)
    }

    /// The boundary at or after `pos`, if no space lies between (a stem ends inside it).
    fn end_at_or_after(&self, pos: usize) -> Option<(usize, u32)> {
        let k = self.ends.partition_point(|&(p, _)| (p as usize) < pos);
        let &(p, t) = self.ends.get(k)?;
        let p = p as usize;
        (!self.text[pos..p].contains(' ')).then_some((p, t))
    }
}

/// The compiled names of a dictionary.
pub(crate) struct Matcher {
    ac: AhoCorasick,
    targets: Vec<(Target, NameFlags)>,
}

impl Matcher {
    pub(crate) fn build(names: &[(String, NameFlags, Target)]) -> Matcher {
        let mut patterns: Vec<String> = Vec::with_capacity(names.len() + REF_WORDS.len());
        let mut targets = Vec::with_capacity(patterns.capacity());
        let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
        for (norm, flags, target) in names {
            seen.insert(norm.as_str());
            patterns.push(if flags.stem {
                format!(" {norm}")
            } else {
                format!(" {norm} ")
            });
            targets.push((*target, *flags));
        }
        for &(w, r) in REF_WORDS {
            if !seen.contains(w) {
                patterns.push(format!(" {w} "));
                targets.push((
                    Target::Ref(r),
                    NameFlags {
                        stem: false,
                        caps: false,
                    },
                ));
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .prefilter(false)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(&patterns)
            .expect("dictionary automaton is within aho-corasick's size limits");
        Matcher { ac, targets }
    }

    pub(crate) fn len(&self) -> usize {
        self.targets.len()
    }

    /// What a whole normalised name refers to, if it is in the dictionary.
    pub(crate) fn exact(&self, norm: &str) -> Option<Target> {
        let hay = format!(" {norm} ");
        let m = self.ac.find(&hay)?;
        (m.start() == 0 && m.end() == hay.len()).then(|| self.targets[m.pattern()].0)
    }

    /// Every name in `doc`, in text order, non-overlapping.
    pub(crate) fn scan(&self, doc: &Doc, hay: &mut Haystack, hits: &mut Vec<Hit>) {
        hits.clear();
        hay.fill(doc);
        let text = hay.text.as_str();
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = self.ac.find(Input::new(text).span(pos..text.len())) else {
                break;
            };
            let (target, flags) = self.targets[m.pattern()];
            let accepted = (|| {
                let first = hay.start_token(m.start() + 1)?;
                let (end_pos, last) = if flags.stem {
                    hay.end_at_or_after(m.end())?
                } else {
                    let e = m.end() - 1;
                    hay.end_at_or_after(e).filter(|&(p, _)| p == e)?
                };
                if doc.sentence_of(first as usize) != doc.sentence_of(last as usize) {
                    return None;
                }
                if flags.caps && !(first..=last).all(|t| looks_like_acronym(doc.form(t as usize))) {
                    return None;
                }
                Some((
                    end_pos,
                    Hit {
                        first,
                        end: last + 1,
                        target,
                    },
                ))
            })();
            match accepted {
                Some((end_pos, hit)) => {
                    hits.push(hit);
                    pos = end_pos;
                }
                None => pos = m.start() + 1,
            }
        }
    }
}
