//! What the simulation keeps per cell and per deploy: the releases that run, the deploys in
//! flight and how they will go, the verdicts and rollbacks due. Plain data, shared by the
//! fleet (`fleet.rs`) and its second-by-second steps (`deploys.rs`).

use super::impact::Figures;

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
    pub(super) figures: Figures,
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

/// A succeeded deploy waiting for its impact verdict.
#[derive(Debug, Clone)]
pub(super) struct Verdicting {
    pub(super) id: u64,
    pub(super) due: i64,
    pub(super) service: usize,
    pub(super) env: usize,
    pub(super) before: Figures,
    pub(super) restores: Option<Figures>,
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
