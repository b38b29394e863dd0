//! Column builders for bulk appends through DuckDB's Arrow appender.
//!
//! DuckDB's row appender costs a C call and a value conversion per cell; with
//! 42 columns per mention that caps ingest far below 200,000 events/s. Filling
//! Arrow arrays column by column and handing DuckDB a whole `RecordBatch` lets
//! it copy vectors instead of cells. A [`Columns`] is built from a table's
//! layout; rows are pushed cell by cell in table order through [`Row`], which
//! checks (in debug builds and tests) that every row fills every column.

use duckdb::arrow::array::{
    ArrayBuilder, ArrayRef, Date32Builder, Float32Builder, Float64Builder, Int32Builder,
    StringBuilder, TimestampMicrosecondBuilder, UInt8Builder, UInt64Builder,
};
use duckdb::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use duckdb::arrow::record_batch::RecordBatch;
use std::sync::Arc;

/// The type of a column, as DuckDB declares it.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Text,
    Int,
    Date,
    UTiny,
    Float,
    Double,
    UBig,
    Timestamp,
}

enum Builder {
    Text(StringBuilder),
    Int(Int32Builder),
    Date(Date32Builder),
    UTiny(UInt8Builder),
    Float(Float32Builder),
    Double(Float64Builder),
    UBig(UInt64Builder),
    Timestamp(TimestampMicrosecondBuilder),
}

/// Arrow arrays for one table, filled row by row.
pub struct Columns {
    names: Vec<&'static str>,
    builders: Vec<Builder>,
    rows: usize,
}

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const UNIX_EPOCH_DAYS_CE: i32 = 719_163;

impl Columns {
    /// Empty columns for `layout`, with room for `rows` rows (about 16 bytes
    /// per text cell) so the builders do not regrow while filling.
    pub fn with_capacity(layout: &[(&'static str, Kind)], rows: usize) -> Columns {
        let builders = layout
            .iter()
            .map(|(_, k)| match k {
                Kind::Text => Builder::Text(StringBuilder::with_capacity(rows, rows * 16)),
                Kind::Int => Builder::Int(Int32Builder::with_capacity(rows)),
                Kind::Date => Builder::Date(Date32Builder::with_capacity(rows)),
                Kind::UTiny => Builder::UTiny(UInt8Builder::with_capacity(rows)),
                Kind::Float => Builder::Float(Float32Builder::with_capacity(rows)),
                Kind::Double => Builder::Double(Float64Builder::with_capacity(rows)),
                Kind::UBig => Builder::UBig(UInt64Builder::with_capacity(rows)),
                Kind::Timestamp => {
                    Builder::Timestamp(TimestampMicrosecondBuilder::with_capacity(rows))
                }
            })
            .collect();
        Columns {
            names: layout.iter().map(|(n, _)| *n).collect(),
            builders,
            rows: 0,
        }
    }

    /// Starts a row; push exactly one value per column, in order.
    pub fn row(&mut self) -> Row<'_> {
        self.rows += 1;
        Row { cols: self, at: 0 }
    }

    /// The rows so far as one record batch; the builders start empty again.
    pub fn finish(&mut self) -> RecordBatch {
        let mut fields = Vec::with_capacity(self.names.len());
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(self.names.len());
        for (name, b) in self.names.iter().zip(&mut self.builders) {
            let array: ArrayRef = match b {
                Builder::Text(b) => Arc::new(b.finish()),
                Builder::Int(b) => Arc::new(b.finish()),
                Builder::Date(b) => Arc::new(b.finish()),
                Builder::UTiny(b) => Arc::new(b.finish()),
                Builder::Float(b) => Arc::new(b.finish()),
                Builder::Double(b) => Arc::new(b.finish()),
                Builder::UBig(b) => Arc::new(b.finish()),
                Builder::Timestamp(b) => Arc::new(b.finish()),
            };
            let ty = match array.data_type() {
                DataType::Timestamp(_, _) => DataType::Timestamp(TimeUnit::Microsecond, None),
                t => t.clone(),
            };
            fields.push(Field::new(*name, ty, true));
            arrays.push(array);
        }
        self.rows = 0;
        RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
            .expect("every row filled every column (checked by Row)")
    }
}

/// One row being filled; each method fills the next column.
pub struct Row<'a> {
    cols: &'a mut Columns,
    at: usize,
}

impl Row<'_> {
    fn next(&mut self) -> &mut Builder {
        let b = &mut self.cols.builders[self.at];
        self.at += 1;
        b
    }

    pub fn text(&mut self, v: Option<&str>) -> &mut Self {
        match self.next() {
            Builder::Text(b) => b.append_option(v),
            _ => panic!("column {} is not text", self.at - 1),
        }
        self
    }
    pub fn int(&mut self, v: Option<i32>) -> &mut Self {
        match self.next() {
            Builder::Int(b) => b.append_option(v),
            _ => panic!("column {} is not INTEGER", self.at - 1),
        }
        self
    }
    pub fn date(&mut self, v: Option<chrono::NaiveDate>) -> &mut Self {
        use chrono::Datelike;
        match self.next() {
            Builder::Date(b) => {
                b.append_option(v.map(|d| d.num_days_from_ce() - UNIX_EPOCH_DAYS_CE))
            }
            _ => panic!("column {} is not DATE", self.at - 1),
        }
        self
    }
    pub fn utiny(&mut self, v: Option<u8>) -> &mut Self {
        match self.next() {
            Builder::UTiny(b) => b.append_option(v),
            _ => panic!("column {} is not UTINYINT", self.at - 1),
        }
        self
    }
    pub fn float(&mut self, v: Option<f32>) -> &mut Self {
        match self.next() {
            Builder::Float(b) => b.append_option(v),
            _ => panic!("column {} is not FLOAT", self.at - 1),
        }
        self
    }
    pub fn double(&mut self, v: Option<f64>) -> &mut Self {
        match self.next() {
            Builder::Double(b) => b.append_option(v),
            _ => panic!("column {} is not DOUBLE", self.at - 1),
        }
        self
    }
    pub fn ubig(&mut self, v: Option<u64>) -> &mut Self {
        match self.next() {
            Builder::UBig(b) => b.append_option(v),
            _ => panic!("column {} is not UBIGINT", self.at - 1),
        }
        self
    }
    pub fn timestamp(&mut self, v: chrono::NaiveDateTime) -> &mut Self {
        match self.next() {
            Builder::Timestamp(b) => b.append_value(v.and_utc().timestamp_micros()),
            _ => panic!("column {} is not TIMESTAMP", self.at - 1),
        }
        self
    }
}

impl Drop for Row<'_> {
    fn drop(&mut self) {
        // A short row would misalign every later row: catch it where it happens.
        if std::thread::panicking() {
            return;
        }
        assert_eq!(
            self.at,
            self.cols.builders.len(),
            "a row filled {} of {} columns",
            self.at,
            self.cols.builders.len()
        );
        debug_assert!(self.cols.builders.iter().all(|b| match b {
            Builder::Text(b) => b.len() == self.cols.rows,
            Builder::Int(b) => b.len() == self.cols.rows,
            Builder::Date(b) => b.len() == self.cols.rows,
            Builder::UTiny(b) => b.len() == self.cols.rows,
            Builder::Float(b) => b.len() == self.cols.rows,
            Builder::Double(b) => b.len() == self.cols.rows,
            Builder::UBig(b) => b.len() == self.cols.rows,
            Builder::Timestamp(b) => b.len() == self.cols.rows,
        }));
    }
}
