//! Event attributes: gazetteer and locations, event dates, casualty/displacement/crowd counts

pub mod gazetteer;
mod names;
pub mod number;
pub mod when;
