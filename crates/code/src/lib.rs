//! Event coding: actor dictionaries, verb patterns, CAMEO and PLOVER events with provenance
