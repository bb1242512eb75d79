//! Domain types: services, environments, deployments, locks, impact; and the board built from them.

mod action;
mod board;
mod breach;
mod catalog;
mod deployment;
mod freshness;
mod impact;
mod impact_join;
mod lock;
mod snapshot;
mod source;
mod target;

pub use action::{
    ActionError, ActionId, ActionRecord, ActionResult, ActionState, Actions, SourceAction,
};
pub use board::{Board, Cell, OtherLocks, ServiceRow};
pub use breach::{Breach, BreachKey};
pub use catalog::{Catalog, Coverage, Environment, Service};
pub use deployment::{CommitSummary, DeployStatus, Deployment, StatusChange, short_sha};
pub use freshness::Freshness;
pub use impact::{
    AnalysisRequest, DeploymentRef, Evidence, Impact, ImpactReport, MetricChange, MetricVerdict,
    Verdict,
};
pub use lock::{Lock, LockOrigin, LockScope};
pub use snapshot::{CheckStatus, CommitCheck, Drift, SourceSnapshot};
pub use source::{
    SourceError, SourceHealth, SourceId, SourceKind, SourceState, SourceStats, source_mut,
};
pub use target::TargetReport;
