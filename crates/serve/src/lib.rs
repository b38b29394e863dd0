//! HTTP API and analyst dashboard over a Dyad event database
