//! What the simulation keeps per cell and per deploy: the releases that run, the deploys in
//! flight and how they will go, the deploys under analysis and the rollbacks due. Plain data,
//! shared by the fleet (`fleet.rs`), its second-by-second steps (`deploys.rs`) and its
//! judgements (`judging.rs`).

use super::series::{Figures, Timeline};

/// A version as it runs in a cell, with the deployment that brought it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Release {
    pub(super) id: u64,
    pub(super) version: String,
    pub(super) commit: String,
    /// Main-branch commit number (the base, for a branch build): what drift counts.
    pub(super) number: u32,
    pub(super) description: String,
}

/// One service in one environment.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    pub(super) running: Release,
    pub(super) previous: Option<Release>,
    pub(super) in_flight: Option<u64>,
    /// No new deploy before this (bake time).
    pub(super) free_at: i64,
    pub(super) rollback_pending: bool,
    pub(super) last_finished: u64,
    /// The releases that ran here and at what level: what the cell's series follow.
    pub(super) timeline: Timeline,
}

/// How a deploy in flight will end.
#[derive(Debug, Clone)]
pub(super) enum Outcome {
    Succeed,
    Fail {
        at: i64,
        reason: &'static str,
    },
    Cancel {
        at: i64,
        by: &'static str,
        reason: &'static str,
    },
}

/// A deploy in flight and how it will go.
#[derive(Debug, Clone)]
pub(super) struct Flight {
    pub(super) id: u64,
    pub(super) service: usize,
    pub(super) env: usize,
    pub(super) release: Release,
    pub(super) queued_until: i64,
    pub(super) end: i64,
    pub(super) stages: &'static [&'static str],
    pub(super) outcome: Outcome,
    /// For a rollback: the figures it brings back.
    pub(super) restores: Option<Figures>,
}

/// A succeeded deploy waiting for its first verdict, due at `due`.
#[derive(Debug, Clone)]
pub(super) struct Verdicting {
    pub(super) id: u64,
    pub(super) due: i64,
}

/// A succeeded deploy under analysis: when it ran, where its after window ends, and how far
/// that window had grown when it was last judged.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Analysed {
    pub(super) service: usize,
    pub(super) env: usize,
    pub(super) started: i64,
    pub(super) finished: i64,
    /// When the next deploy in its cell started: its after window ends there.
    pub(super) cut: Option<i64>,
    /// The samples (one a minute) its after window held at the last judgement; `None` before
    /// the first.
    pub(super) judged_minutes: Option<i64>,
    /// The judgement is final: nothing more to refine.
    pub(super) last: bool,
    /// A rollback (never rolled back itself).
    pub(super) rollback: bool,
}

/// A rollback decided but not started yet (the cell may be busy or locked).
#[derive(Debug, Clone)]
pub(super) struct Rollback {
    pub(super) of: u64,
    pub(super) service: usize,
    pub(super) env: usize,
    pub(super) to: Release,
    pub(super) restores: Figures,
}

/// The id a deployment is reported under.
pub(super) fn deployment_id(id: u64) -> String {
    format!("demo-{id}")
}
