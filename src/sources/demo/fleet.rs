//! The simulated fleet: commits land, deploys queue, roll out, fail, get rolled back and
//! lock, one whole second at a time, all from one seeded PRNG.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::cells::{Analysed, Cell, Flight, Release, Rollback, Verdicting, deployment_id};
use super::locks::{self, ManualLocks, at};
use super::names;
use super::pipeline::{self, Env, Feed, Kind};
use super::rng::{SplitMix64, hash};
use super::series::{Figures, Timeline};
use crate::model::{
    Catalog, DeployStatus, Deployment, DeploymentRef, Drift, Impact, ImpactReport, SourceSnapshot,
    StatusChange,
};

/// How much history [`DemoFleet::new`] simulates before `now`.
pub const WARMUP: Duration = Duration::hours(3);
/// Drift lists at most this many commits.
const DRIFT_COMMITS: usize = 20;
/// Outage windows: one of `OUTAGE_FOR` seconds somewhere in every `OUTAGE_EVERY`.
const OUTAGE_EVERY: i64 = 600;
const OUTAGE_FOR: i64 = 40;
/// Keeps outage windows apart from the other values derived from the seed.
const OUTAGE_SALT: u64 = 0x6F75_7461_6765;

/// The built-in simulated fleet: a source that deploys, fails, recovers and locks by itself.
#[derive(Debug, Clone)]
pub struct DemoFleet {
    pub(super) seed: u64,
    pub(super) source: String,
    pub(super) services: Vec<String>,
    pub(super) env_names: Vec<String>,
    pub(super) envs: Vec<Env>,
    /// Environments a manual environment lock may take.
    pub(super) lockable: Vec<usize>,
    /// The production-like environment with the change window.
    pub(super) windowed: Option<usize>,
    pub(super) rng: SplitMix64,
    /// The last simulated second.
    pub(super) clock: i64,
    pub(super) next_id: u64,
    pub(super) heads: Vec<u32>,
    pub(super) next_commit: BinaryHeap<Reverse<(i64, usize)>>,
    pub(super) baselines: Vec<Figures>,
    /// `cells[service][environment]`.
    pub(super) cells: Vec<Vec<Cell>>,
    /// Shared with the snapshots handed out; changed copy-on-write (`Arc::make_mut`).
    pub(super) records: BTreeMap<u64, Arc<Deployment>>,
    /// What the impact module said of each deploy, as last judged.
    pub(super) impacts: BTreeMap<u64, Impact>,
    pub(super) finished: VecDeque<u64>,
    pub(super) flights: Vec<Flight>,
    /// Succeeded deploys waiting for their first verdict.
    pub(super) verdicts: Vec<Verdicting>,
    /// Succeeded deploys under analysis (until they are reported no more).
    pub(super) analysed: BTreeMap<u64, Analysed>,
    /// How many times the impact module judged a deploy: what the analysis costs.
    pub(super) judgements: u64,
    pub(super) rollbacks: Vec<Rollback>,
    pub(super) manual: ManualLocks,
    pub(super) outages: bool,
    /// Locks in force from outside the demo (the lock store, schedules): it respects them.
    pub(super) locks_in_force: Vec<crate::model::Lock>,
}

impl DemoFleet {
    /// A fleet over the catalog's services and environments, with history simulated from
    /// [`WARMUP`] before `now` up to `now`. Same (catalog, seed, now) ⇒ same fleet.
    pub fn new(catalog: &Catalog, seed: u64, source_name: &str, now: DateTime<Utc>) -> DemoFleet {
        let mut fleet = DemoFleet::simulated(catalog, seed, source_name, now);
        fleet.refine();
        fleet
    }

    /// The fleet of [`DemoFleet::new`] before its reported analyses are refined at `now`.
    pub(super) fn simulated(
        catalog: &Catalog,
        seed: u64,
        name: &str,
        now: DateTime<Utc>,
    ) -> DemoFleet {
        let start = now.timestamp() - WARMUP.num_seconds();
        let mut fleet = DemoFleet::empty(catalog, seed, name, start);
        fleet.populate(start);
        fleet.simulate_to(now);
        fleet
    }

    /// Turns simulated outages of the demo API on or off (off by default).
    pub fn with_outages(mut self, on: bool) -> DemoFleet {
        self.outages = on;
        self
    }

    /// The locks in force from outside the demo, which its deploys respect from now on.
    pub fn set_locks_in_force(&mut self, locks: Vec<crate::model::Lock>) {
        self.locks_in_force = locks;
    }

    /// The last simulated second: the time the snapshot describes.
    pub fn now(&self) -> DateTime<Utc> {
        at(self.clock)
    }

    /// Simulates every whole step (1 s, aligned to whole UTC seconds) up to `now`, then
    /// refines the analyses reported whose after window has grown by a sample since they were
    /// last judged. Calling it with t1 then t2 gives the same snapshot as calling it once
    /// with t2. Never goes backwards.
    pub fn advance_to(&mut self, now: DateTime<Utc>) {
        self.simulate_to(now);
        self.refine();
    }

    /// Simulates every whole step up to `now`, refining nothing: first verdicts (and the
    /// rollbacks they call for) happen on their second all the same.
    pub(super) fn simulate_to(&mut self, now: DateTime<Utc>) {
        let target = now.timestamp();
        while self.clock < target {
            self.clock += 1;
            self.step(self.clock);
        }
    }

    /// Whether a deploy is in flight now.
    pub(super) fn busy(&self) -> bool {
        !self.flights.is_empty()
    }

    /// How many times the impact module has judged a deploy of this fleet so far.
    pub fn judgements(&self) -> u64 {
        self.judgements
    }

    /// Everything the fleet knows now: deployments in flight and finished (the last
    /// 200 across the fleet, plus what each cell runs, ran before and did last),
    /// active locks, drift per (service, environment), impacts by deployment id.
    pub fn snapshot(&self) -> SourceSnapshot {
        let keep = self.kept();
        let records = keep.iter().filter_map(|id| self.records.get(id));
        let mut snapshot = SourceSnapshot {
            deployments: records.cloned().collect(),
            ..SourceSnapshot::default()
        };
        for id in &keep {
            if let (Some(impact), Some(d)) = (self.impacts.get(id), self.records.get(id)) {
                snapshot.impacts.push(ImpactReport {
                    service: d.service.clone(),
                    environment: d.environment.clone(),
                    deployment: DeploymentRef::Id {
                        source: self.source.clone(),
                        id: deployment_id(*id),
                    },
                    impact: impact.clone(),
                });
            }
        }
        if let Some(e) = self.windowed {
            snapshot
                .locks
                .extend(locks::schedule_lock(&self.env_names[e], self.clock));
        }
        snapshot.locks.extend(self.manual.locks().cloned());
        for (s, row) in self.cells.iter().enumerate() {
            for (e, env) in self.envs.iter().enumerate() {
                let Some(p) = env.follows else { continue };
                let (mine, theirs) = (row[e].running.number, row[p].running.number);
                snapshot.drift.push(Drift {
                    service: self.services[s].clone(),
                    environment: env.name.clone(),
                    behind: theirs.saturating_sub(mine),
                    commits: (mine.saturating_add(1)..=theirs)
                        .rev()
                        .take(DRIFT_COMMITS)
                        .map(|n| names::summary(self.seed, s, n))
                        .collect(),
                });
            }
        }
        snapshot
    }

    /// When simulated outages are on, a reason like "simulated outage: HTTP 503 from demo
    /// API" during an outage window (40 s somewhere in every 10 minutes, seeded), else None.
    pub fn outage(&self, now: DateTime<Utc>) -> Option<String> {
        if !self.outages {
            return None;
        }
        let t = now.timestamp();
        let window = t.div_euclid(OUTAGE_EVERY);
        let h = hash(&[self.seed, OUTAGE_SALT, window as u64]);
        let start = (h % (OUTAGE_EVERY - OUTAGE_FOR) as u64) as i64;
        let into = t - window * OUTAGE_EVERY;
        let reason = names::OUTAGES[(h >> 32) as usize % names::OUTAGES.len()];
        (start..start + OUTAGE_FOR)
            .contains(&into)
            .then(|| reason.to_string())
    }

    fn empty(catalog: &Catalog, seed: u64, source_name: &str, start: i64) -> DemoFleet {
        let envs = pipeline::plan(catalog);
        let count = envs.len();
        let steady: Vec<usize> = (0..count)
            .filter(|&i| envs[i].kind != Kind::Ephemeral)
            .collect();
        DemoFleet {
            seed,
            source: source_name.to_string(),
            services: catalog.services.iter().map(|s| s.name.clone()).collect(),
            env_names: envs.iter().map(|e| e.name.clone()).collect(),
            lockable: if steady.is_empty() {
                (0..count).collect()
            } else {
                steady
            },
            windowed: envs
                .last()
                .filter(|e| e.kind != Kind::Ephemeral)
                .map(|_| count - 1),
            envs,
            rng: SplitMix64::new(hash(&[seed])),
            clock: start,
            next_id: 1,
            heads: Vec::new(),
            next_commit: BinaryHeap::new(),
            baselines: Vec::new(),
            cells: Vec::new(),
            records: BTreeMap::new(),
            impacts: BTreeMap::new(),
            finished: VecDeque::new(),
            flights: Vec::new(),
            verdicts: Vec::new(),
            analysed: BTreeMap::new(),
            judgements: 0,
            rollbacks: Vec::new(),
            manual: ManualLocks::default(),
            outages: false,
            locks_in_force: Vec::new(),
        }
    }
}

impl DemoFleet {
    /// Gives every service a main head and every cell a running version, deployed before
    /// `start`, each with its own figures. Those deploys are older than anything the demo
    /// judges: they have no impact.
    fn populate(&mut self, start: i64) {
        for s in 0..self.services.len() {
            let head = 30 + self.rng.below(200) as u32;
            self.heads.push(head);
            let due = start + self.rng.between(1, 300);
            self.next_commit.push(Reverse((due, s)));
            let baseline = Figures::baseline(&mut self.rng);
            self.baselines.push(baseline);
            let mut row: Vec<Cell> = Vec::with_capacity(self.envs.len());
            for e in 0..self.envs.len() {
                let (feed, lag) = (self.envs[e].feed, self.rng.between(0, 3) as u32);
                let number = match feed {
                    Feed::Promote(p) if p < e => row[p].running.number.saturating_sub(lag),
                    Feed::Branches => head.saturating_sub(2 * lag),
                    _ => head.saturating_sub(lag / 2),
                };
                let (mut release, by) = match feed {
                    Feed::Branches if self.rng.chance(0.3) => self.branch_build(number),
                    _ => self.main_release(s, number),
                };
                release.id = self.next_id;
                self.next_id += 1;
                let began = start - self.rng.between(600, 2 * 86_400);
                let ended = began + self.rng.between(40, 120);
                let mut d = self.queued(s, e, &release, by, began);
                let (status, note) = (DeployStatus::InProgress, "build started".to_string());
                d.history.push(StatusChange {
                    at: at(began + 2),
                    status,
                    note,
                });
                let (status, note) = (DeployStatus::Succeeded, "rollout complete".to_string());
                d.history.push(StatusChange {
                    at: at(ended),
                    status,
                    note,
                });
                (d.status, d.finished_at, d.progress) = (status, Some(at(ended)), None);
                let figures = baseline.scaled(&mut self.rng, (0.9, 1.1), (0.95, 1.05));
                let id = release.id;
                self.records.insert(id, Arc::new(d));
                row.push(Cell {
                    running: release,
                    previous: None,
                    in_flight: None,
                    free_at: start,
                    rollback_pending: false,
                    last_finished: id,
                    timeline: Timeline::starting_at(id, figures),
                });
            }
            self.cells.push(row);
        }
    }

    /// The deployments worth reporting: in flight, the last `RECENT` finished, what each
    /// cell runs, ran before and did last, and whatever a verdict or rollback still needs.
    pub(super) fn kept(&self) -> BTreeSet<u64> {
        let mut keep: BTreeSet<u64> = self.finished.iter().copied().collect();
        keep.extend(self.flights.iter().map(|f| f.id));
        keep.extend(self.verdicts.iter().map(|v| v.id));
        keep.extend(self.rollbacks.iter().map(|r| r.of));
        for cell in self.cells.iter().flatten() {
            keep.insert(cell.running.id);
            keep.insert(cell.last_finished);
            keep.extend(cell.previous.as_ref().map(|p: &Release| p.id));
        }
        keep
    }
}

#[cfg(test)]
#[path = "fleet_tests.rs"]
mod tests;
