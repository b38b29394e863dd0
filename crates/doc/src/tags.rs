//! Part-of-speech tags and dependency relations (Universal Dependencies v2).

use serde::{Deserialize, Serialize};

macro_rules! closed_set {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[repr(u8)]
        pub enum $name { #[default] $($var),* }

        impl $name {
            /// Every value, in declaration order (`ALL[v as usize] == v`).
            pub const ALL: &'static [$name] = &[$($name::$var),*];
            pub const COUNT: usize = Self::ALL.len();

            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),* }
            }

            /// Parses the CoNLL-U spelling; `None` for anything unknown.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$var),)* _ => None }
            }

            pub fn from_index(i: usize) -> Option<Self> {
                Self::ALL.get(i).copied()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown {}: {s}", stringify!($name))))
            }
        }
    };
}

closed_set! {
    /// Universal POS tag. `X` is the default (unknown / not yet tagged).
    Upos {
        X = "X", Adj = "ADJ", Adp = "ADP", Adv = "ADV", Aux = "AUX", Cconj = "CCONJ",
        Det = "DET", Intj = "INTJ", Noun = "NOUN", Num = "NUM", Part = "PART",
        Pron = "PRON", Propn = "PROPN", Punct = "PUNCT", Sconj = "SCONJ", Sym = "SYM",
        Verb = "VERB",
    }
}

impl Upos {
    pub fn is_nominal(self) -> bool {
        matches!(self, Upos::Noun | Upos::Propn | Upos::Pron | Upos::Num)
    }
    pub fn is_verbal(self) -> bool {
        matches!(self, Upos::Verb | Upos::Aux)
    }
}

closed_set! {
    /// Dependency relation: the UD v2 universal relations plus the subtypes used by
    /// English EWT. `Dep` (unspecified) is the default.
    DepRel {
        Dep = "dep", Root = "root", Punct = "punct", Case = "case", Nsubj = "nsubj",
        Det = "det", Advmod = "advmod", Obj = "obj", Amod = "amod", Obl = "obl",
        Conj = "conj", Compound = "compound", Mark = "mark", Nmod = "nmod", Cc = "cc",
        Aux = "aux", Cop = "cop", Advcl = "advcl", NmodPoss = "nmod:poss", Xcomp = "xcomp",
        Ccomp = "ccomp", Flat = "flat", AclRelcl = "acl:relcl", Parataxis = "parataxis",
        Appos = "appos", Nummod = "nummod", Acl = "acl", AuxPass = "aux:pass",
        NsubjPass = "nsubj:pass", OblUnmarked = "obl:unmarked", NmodUnmarked = "nmod:unmarked",
        Discourse = "discourse", List = "list", CompoundPrt = "compound:prt", Iobj = "iobj",
        Expl = "expl", Fixed = "fixed", NmodDesc = "nmod:desc", OblAgent = "obl:agent",
        Csubj = "csubj", NsubjOuter = "nsubj:outer", DetPredet = "det:predet",
        Vocative = "vocative", Goeswith = "goeswith", AdvclRelcl = "advcl:relcl",
        CcPreconj = "cc:preconj", Reparandum = "reparandum", Orphan = "orphan",
        CsubjPass = "csubj:pass", Dislocated = "dislocated", CsubjOuter = "csubj:outer",
        OblTmod = "obl:tmod", OblNpmod = "obl:npmod", NmodTmod = "nmod:tmod",
        NmodNpmod = "nmod:npmod", ExplPv = "expl:pv", Clf = "clf", FlatName = "flat:name",
        FlatForeign = "flat:foreign",
    }
}

impl DepRel {
    /// The universal part before the colon (`nsubj:pass` -> `nsubj`).
    pub fn universal(self) -> &'static str {
        let s = self.as_str();
        s.split_once(':').map_or(s, |(u, _)| u)
    }

    /// Parses a label, falling back to its universal part for unknown subtypes and
    /// to `dep` for anything else, so foreign treebanks never fail to load.
    pub fn parse_lenient(s: &str) -> Self {
        Self::parse(s)
            .or_else(|| s.split_once(':').and_then(|(u, _)| Self::parse(u)))
            .unwrap_or(DepRel::Dep)
    }

    pub fn is_subject(self) -> bool {
        matches!(
            self,
            DepRel::Nsubj
                | DepRel::NsubjPass
                | DepRel::NsubjOuter
                | DepRel::Csubj
                | DepRel::CsubjPass
        )
    }
}

closed_set! {
    /// Penn Treebank tag as used in EWT's XPOS column. `Xx` (unknown) is the default.
    Xpos {
        Xx = "XX",
        Nn = "NN",
        In = "IN",
        Dt = "DT",
        Nnp = "NNP",
        Prp = "PRP",
        Jj = "JJ",
        Period = ".",
        Rb = "RB",
        Vb = "VB",
        Nns = "NNS",
        Comma = ",",
        Cc = "CC",
        Vbp = "VBP",
        Vbd = "VBD",
        Vbz = "VBZ",
        Cd = "CD",
        Vbn = "VBN",
        Vbg = "VBG",
        Md = "MD",
        To = "TO",
        PrpPoss = "PRP$",
        Rrb = "-RRB-",
        Lrb = "-LRB-",
        Wdt = "WDT",
        Colon = ":",
        Wrb = "WRB",
        OpenQuote = "``",
        Wp = "WP",
        CloseQuote = "''",
        Rp = "RP",
        Uh = "UH",
        Hyph = "HYPH",
        Pos = "POS",
        Nnps = "NNPS",
        Jjs = "JJS",
        Jjr = "JJR",
        Nfp = "NFP",
        Add = "ADD",
        Ex = "EX",
        Rbr = "RBR",
        Gw = "GW",
        Dollar = "$",
        Sym = "SYM",
        Pdt = "PDT",
        Fw = "FW",
        Rbs = "RBS",
        Ls = "LS",
        Afx = "AFX",
        WpPoss = "WP$",
    }
}

impl Xpos {
    pub fn is_verb(self) -> bool {
        matches!(
            self,
            Xpos::Vb | Xpos::Vbd | Xpos::Vbg | Xpos::Vbn | Xpos::Vbp | Xpos::Vbz
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for &u in Upos::ALL {
            assert_eq!(Upos::parse(u.as_str()), Some(u));
            assert_eq!(Upos::from_index(u as usize), Some(u));
        }
        for &d in DepRel::ALL {
            assert_eq!(DepRel::parse(d.as_str()), Some(d));
            assert_eq!(DepRel::from_index(d as usize), Some(d));
        }
        assert_eq!(DepRel::parse_lenient("obl:foo"), DepRel::Obl);
        assert_eq!(DepRel::parse_lenient("weird"), DepRel::Dep);
        assert_eq!(DepRel::NsubjPass.universal(), "nsubj");
    }
}
