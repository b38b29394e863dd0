//! Event attributes: gazetteer and locations, event dates, casualty/displacement/crowd counts
