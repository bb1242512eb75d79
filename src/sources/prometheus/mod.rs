//! Prometheus: the source that judges each finished deploy's impact from range queries over
//! its windows. The answers' shapes (`dto`), the query templates (`promql`), the settings and
//! the metrics they resolve to, the queries and their answers (`query`), the deploys judged per
//! cell (`ledger`), one judgement (`judgement`), the poll cycle (`source`) and `check`.

mod check;
pub mod dto;
mod judgement;
mod kind;
pub mod ledger;
pub mod metrics;
pub mod promql;
pub mod query;
mod settings;
mod source;

pub use kind::Prometheus;
pub use settings::{
    BandSettings, DirectionName, MetricKind, MetricSettings, PrometheusSettings, Template,
    WindowSettings,
};
pub use source::{DEFAULT_TIMEOUT, PrometheusSource};
