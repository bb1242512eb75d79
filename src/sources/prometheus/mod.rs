//! Prometheus: the range queries behind each deploy's impact analysis. This folder holds the
//! answers' shapes and the query templates; the source kind that runs them on the HTTP core
//! arrives with the impact issue.

pub mod dto;
pub mod promql;
