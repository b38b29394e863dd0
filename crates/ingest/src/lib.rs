//! Reading documents: plain text, JSON Lines, CoNLL-U and stdin, streaming, with diagnostics
