//! The JSON of `shiproom status --json`: a stable contract for scripts. Fields may be added;
//! none of these is ever renamed. Documented in the README.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::model::{
    Cell, CheckStatus, DeployStatus, Deployment, Freshness, Impact, Lock, LockOrigin,
    MetricVerdict, Verdict,
};
use crate::present::cell::{attempt, check_of};
use crate::state::Model;

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The whole document.
#[derive(Debug, Serialize)]
pub struct StatusJson {
    pub generated_at: String,
    pub demo: bool,
    pub environments: Vec<String>,
    pub services: Vec<ServiceJson>,
    pub deploys: Vec<DeployJson>,
    pub locks: Vec<LockJson>,
    /// Why the lock store cannot be read, when it cannot: manual locks are then unknown (the
    /// `locks` above are incomplete), never open.
    pub locks_unknown: Option<String>,
    /// Cells nothing is known of (their source or target fails or has not answered).
    pub unknown_cells: usize,
    /// Deploys in flight or recent that started while their cell was locked.
    pub lock_breaches: usize,
    pub sources: Vec<SourceJson>,
}

#[derive(Debug, Serialize)]
pub struct ServiceJson {
    pub name: String,
    pub team: String,
    pub cells: BTreeMap<String, CellJson>,
}

#[derive(Debug, Serialize)]
pub struct CellJson {
    pub version: Option<String>,
    pub commit: Option<String>,
    /// Status of the newest finished deploy (a failed deploy shows here while the previous version runs).
    pub status: Option<DeployStatus>,
    pub deployed_at: Option<String>,
    pub in_flight: Option<InFlightJson>,
    pub behind: Option<u32>,
    /// The effective lock: the first of `locks`, environment locks first.
    pub lock: Option<LockJson>,
    pub locks: Vec<LockJson>,
    pub impact: Option<ImpactJson>,
    /// Not fresh: its source or target fails or is late (the last known data), or nothing was
    /// read for it yet (`unknown`). A script must not read a stale cell as all clear.
    pub stale: bool,
    /// fresh, stale, unknown (nothing read: its source fails or has not answered), or
    /// untracked (no source reports this environment of the service).
    pub freshness: &'static str,
    /// Nothing is known of the cell: `version: null` then means unknown, not "nothing deployed".
    pub unknown: bool,
    /// Why it is stale or unknown: the source or target, and the reason.
    pub stale_reason: Option<String>,
    /// When the data shown was read, for a stale cell.
    pub as_of: Option<String>,
    /// The newest deploy when it did not take (failed, cancelled, rolled back) while `version`
    /// still runs: {"version", "commit", "status", "finished_at"}.
    pub attempt: Option<AttemptJson>,
    /// The deploy in flight (else the last one) started while this lock covered the cell.
    pub lock_breach: Option<LockJson>,
    /// Why `impact` is not fresh, or is missing: a source that judges this cell's impact fails
    /// for it (`impact` is then its last verdict, or null: unknown).
    pub impact_stale_reason: Option<String>,
    /// CI of the running commit, when a source reports it.
    pub ci: Option<CiJson>,
}

/// `services[].cells.<env>.attempt`.
#[derive(Debug, Serialize)]
pub struct AttemptJson {
    pub version: String,
    pub commit: String,
    pub status: DeployStatus,
    pub finished_at: Option<String>,
}

/// `services[].cells.<env>.ci`.
#[derive(Debug, Serialize)]
pub struct CiJson {
    /// running, passed, failed, cancelled.
    pub status: CheckStatus,
    pub workflows: String,
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct InFlightJson {
    pub version: String,
    pub status: DeployStatus,
    pub started_at: String,
    pub stage: Option<String>,
    pub progress: Option<f32>,
}

#[derive(Debug, Serialize)]
pub struct LockJson {
    pub scope: String,
    pub environment: String,
    pub service: Option<String>,
    pub reason: String,
    pub by: String,
    pub origin: LockOrigin,
    pub since: String,
    pub until: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ImpactJson {
    pub verdict: Verdict,
    pub metrics: Vec<MetricJson>,
}

/// `impact.metrics[]`: the medians, and the evidence of the judgement when an analysis made
/// one (each of those `null` for figures a source only reports). The samples stay out.
#[derive(Debug, Serialize)]
pub struct MetricJson {
    pub name: String,
    pub unit: String,
    /// The medians before and after the deploy, in `unit`; `null` for a window without data.
    pub before: f64,
    pub after: f64,
    /// The Hodges–Lehmann shift after − before and its interval's ends, in `unit` (percentage
    /// points for "%").
    pub change: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The interval's confidence, e.g. 0.95.
    pub confidence: Option<f64>,
    /// Mann–Whitney's two-sided p-value.
    pub p_value: Option<f64>,
    pub n_before: Option<usize>,
    pub n_after: Option<usize>,
    /// unhealthy, worse, better, pass, inconclusive, no_data.
    pub verdict: Option<MetricVerdict>,
    /// Worse beyond its unhealthy band, it makes the deploy unhealthy.
    pub critical: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct DeployJson {
    pub id: String,
    pub service: String,
    pub environment: String,
    pub version: String,
    pub commit: String,
    pub author: String,
    pub status: DeployStatus,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub impact: Option<ImpactJson>,
    pub source: String,
    /// It started while this lock covered its cell.
    pub lock_breach: Option<LockJson>,
}

#[derive(Debug, Serialize)]
pub struct SourceJson {
    pub name: String,
    pub kind: &'static str,
    pub ok: bool,
    pub stale: bool,
    pub last_success: Option<String>,
    pub error: Option<String>,
    /// When it polls next, as its poller said (a board only; `status` polls once).
    pub next_poll: Option<String>,
    /// The last poll cycle's requests and the API quota; `null` for sources that make none
    /// (the demo).
    pub requests: Option<RequestsJson>,
    /// Per target read on its own (a GitHub repository): how its last read went. Empty for a
    /// source read whole (the demo).
    pub targets: Vec<TargetJson>,
}

/// `sources[].targets[]`.
#[derive(Debug, Serialize)]
pub struct TargetJson {
    /// As the source names it: "acme/payments".
    pub name: String,
    /// Its last read succeeded.
    pub ok: bool,
    /// Why its last read failed, naming it; its cells keep the data of `last_success`.
    pub error: Option<String>,
    /// When it was last read whole; `null`: never.
    pub last_success: Option<String>,
}

/// `sources[].requests`.
#[derive(Debug, Serialize)]
pub struct RequestsJson {
    /// Requests sent in the last poll cycle.
    pub sent: u32,
    /// Of those, answered 304 Not Modified (free of quota, nothing parsed).
    pub not_modified: u32,
    /// Of those, failed or unanswered.
    pub errors: u32,
    /// The API quota as last reported; `null` when the API reports none.
    pub rate_remaining: Option<u64>,
    pub rate_limit: Option<u64>,
    pub rate_reset: Option<String>,
}

/// One lock as the contract shows it.
pub fn lock_json(lock: &Lock) -> LockJson {
    LockJson {
        scope: lock.scope.label(),
        environment: lock.scope.environment().to_string(),
        service: lock.scope.service().map(str::to_string),
        reason: lock.reason.clone(),
        by: lock.by.clone(),
        origin: lock.origin,
        since: rfc3339(lock.since),
        until: lock.until.map(rfc3339),
    }
}

fn impact_json(impact: &Impact) -> ImpactJson {
    ImpactJson {
        verdict: impact.verdict,
        metrics: impact
            .metrics
            .iter()
            .map(|m| {
                let e = m.evidence.as_ref();
                MetricJson {
                    name: m.name.clone(),
                    unit: m.unit.clone(),
                    before: m.before,
                    after: m.after,
                    change: e.map(|e| e.change),
                    ci_low: e.map(|e| e.ci_low),
                    ci_high: e.map(|e| e.ci_high),
                    confidence: e.map(|e| e.confidence),
                    p_value: e.map(|e| e.p_value),
                    n_before: e.map(|e| e.n_before),
                    n_after: e.map(|e| e.n_after),
                    verdict: e.map(|e| e.verdict),
                    critical: e.map(|e| e.critical),
                }
            })
            .collect(),
    }
}

fn deploy_json(d: &Deployment, impact: Option<&Impact>, model: &Model) -> DeployJson {
    let breach = model.board.breach_of(d);
    DeployJson {
        id: d.id.clone(),
        service: d.service.clone(),
        environment: d.environment.clone(),
        version: d.version.clone(),
        commit: d.commit.clone(),
        author: d.author.clone(),
        status: d.status,
        started_at: rfc3339(d.started_at),
        finished_at: d.finished_at.map(rfc3339),
        impact: impact.map(impact_json),
        source: d.source.clone(),
        lock_breach: breach.map(lock_json),
    }
}

fn cell_json(cell: &Cell, model: &Model) -> CellJson {
    let running = cell.running.as_ref();
    CellJson {
        version: running.map(|d| d.version.clone()),
        commit: running.map(|d| d.commit.clone()),
        status: cell.last.as_ref().map(|d| d.status),
        deployed_at: running.map(|d| rfc3339(d.finished_at.unwrap_or(d.started_at))),
        in_flight: cell.in_flight.as_ref().map(|d| InFlightJson {
            version: d.version.clone(),
            status: d.status,
            started_at: rfc3339(d.started_at),
            stage: d.stage.clone(),
            progress: d.progress,
        }),
        behind: cell.behind,
        lock: cell.locks.first().map(lock_json),
        locks: cell.locks.iter().map(lock_json).collect(),
        impact: cell.impact.as_ref().map(impact_json),
        stale: cell.freshness.is_stale(),
        freshness: cell.freshness.label(),
        unknown: cell.freshness.is_unknown(),
        stale_reason: cell.freshness.reason().map(str::to_string),
        as_of: match &cell.freshness {
            Freshness::Stale { as_of, .. } => as_of.map(rfc3339),
            _ => None,
        },
        attempt: attempt(cell).map(|d| AttemptJson {
            version: d.version.clone(),
            commit: d.commit.clone(),
            status: d.status,
            finished_at: d.finished_at.map(rfc3339),
        }),
        lock_breach: cell.breach.as_ref().map(lock_json),
        impact_stale_reason: cell.impact_trouble.clone(),
        ci: running
            .and_then(|d| check_of(model, &d.commit))
            .map(|c| CiJson {
                status: c.status,
                workflows: c.workflows.clone(),
                url: c.url.clone(),
            }),
    }
}

/// The document for the model at its `now`.
pub fn status_json(model: &Model) -> StatusJson {
    let board = &model.board;
    let now = model.now;
    StatusJson {
        generated_at: rfc3339(now),
        demo: model.settings.mode.demo,
        environments: board.environments.iter().map(|e| e.name.clone()).collect(),
        services: board
            .rows
            .iter()
            .map(|row| ServiceJson {
                name: row.service.name.clone(),
                team: row.service.team.clone(),
                cells: board
                    .environments
                    .iter()
                    .zip(&row.cells)
                    .map(|(env, cell)| (env.name.clone(), cell_json(cell, model)))
                    .collect(),
            })
            .collect(),
        deploys: board
            .in_flight
            .iter()
            .map(|d| deploy_json(d, None, model))
            .chain((board.recent.iter()).map(|(d, i)| deploy_json(d, i.as_ref(), model)))
            .collect(),
        locks: board.locks.iter().map(lock_json).collect(),
        locks_unknown: board.locks_unknown.clone(),
        unknown_cells: board.unknown_cells().0,
        lock_breaches: board.breaches.len(),
        sources: model
            .sources
            .iter()
            .map(|s| SourceJson {
                name: s.name.clone(),
                kind: s.kind.label(),
                ok: s.error.is_none() && s.last_success.is_some(),
                stale: s.is_stale(now),
                last_success: s.last_success.map(rfc3339),
                error: s.error.as_ref().map(|e| e.reason.clone()),
                next_poll: s.next_poll.map(rfc3339),
                requests: s.stats.map(|r| RequestsJson {
                    sent: r.sent,
                    not_modified: r.not_modified,
                    errors: r.errors,
                    rate_remaining: r.rate_remaining,
                    rate_limit: r.rate_limit,
                    rate_reset: r.rate_reset.map(rfc3339),
                }),
                targets: s
                    .snapshot
                    .iter()
                    .flat_map(|snapshot| &snapshot.targets)
                    .map(|t| TargetJson {
                        name: t.name.clone(),
                        ok: t.is_ok(),
                        error: t.error.clone(),
                        last_success: t.last_success.map(rfc3339),
                    })
                    .collect(),
            })
            .collect(),
    }
}
