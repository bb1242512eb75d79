//! One second of the fleet: commits land on main, deploys start, move through their
//! stages and finish, first impact verdicts arrive, rollbacks follow, locks come and go.

use std::sync::Arc;

use std::cmp::Reverse;
use std::mem;

use super::cells::{Analysed, Flight, Outcome, Release, Rollback, Verdicting, deployment_id};
use super::fleet::DemoFleet;
use super::impact::{self, Effect};
use super::locks::{self, at};
use super::names;
use super::pipeline::{Feed, Kind};
use super::rng::hash;
use super::series::{Figures, Run};
use crate::model::{DeployStatus, Deployment, StatusChange, Verdict, short_sha};

/// Odds per second that someone tries to start a deploy somewhere.
const START_CHANCE: f64 = 1.0 / 20.0;
/// How long the simulation remembers each cell's releases: the longest baseline reach and
/// an after window past a deploy's start.
const TIMELINE_MEMORY: i64 = 5 * 3600;
/// Finished deployments kept across the fleet, besides each cell's own.
pub(super) const RECENT: usize = 200;
/// How often finished deployments nobody shows any more are dropped.
const PRUNE_EVERY: i64 = 300;
/// One in this many tries to deploy into a locked cell goes ahead anyway: a lock breach.
const BREACH_ODDS: u64 = 12;
/// Keeps breach rolls apart from the other values derived from the seed.
const BREACH_SALT: u64 = 0x6272_6561_6368;

fn change(d: &mut Deployment, t: i64, status: DeployStatus, note: String) {
    d.status = status;
    d.history.push(StatusChange {
        at: at(t),
        status,
        note,
    });
}

/// The stage reached after `share` of the rollout.
fn stage_at(stages: &[&'static str], share: f64) -> &'static str {
    let i = (share * stages.len() as f64) as usize;
    stages
        .get(i.min(stages.len().saturating_sub(1)))
        .copied()
        .unwrap_or("deploy")
}

impl DemoFleet {
    /// Simulates second `t`; the order of the parts is part of the determinism.
    pub(super) fn step(&mut self, t: i64) {
        let (services, envs, lockable) = (&self.services, &self.env_names, &self.lockable);
        self.manual.step(t, &mut self.rng, services, envs, lockable);
        while let Some(&Reverse((due, s))) = self.next_commit.peek() {
            if due > t {
                break;
            }
            self.next_commit.pop();
            self.heads[s] += 1;
            let next = t + self.rng.between(90, 420);
            self.next_commit.push(Reverse((next, s)));
        }
        for flight in mem::take(&mut self.flights) {
            if let Some(flight) = self.fly(flight, t) {
                self.flights.push(flight);
            }
        }
        for pending in mem::take(&mut self.verdicts) {
            if pending.due <= t {
                self.first_verdict(pending.id, t);
            } else {
                self.verdicts.push(pending);
            }
        }
        for rollback in mem::take(&mut self.rollbacks) {
            let cell = &self.cells[rollback.service][rollback.env];
            if cell.in_flight.is_none() && !self.locked(rollback.service, rollback.env, t) {
                self.roll_back(rollback, t);
            } else {
                self.rollbacks.push(rollback);
            }
        }
        self.maybe_start(t);
        if t.rem_euclid(PRUNE_EVERY) == 0 {
            let keep = self.kept();
            self.records.retain(|id, _| keep.contains(id));
            self.impacts.retain(|id, _| keep.contains(id));
            self.analysed.retain(|id, _| keep.contains(id));
            for cell in self.cells.iter_mut().flatten() {
                cell.timeline
                    .forget_before(t.saturating_sub(TIMELINE_MEMORY));
            }
        }
    }

    /// Whether an active lock covers the cell at `t`: the demo's own (its change window and
    /// its simulated operators') and every other lock in force (the lock store, schedules).
    pub(super) fn locked(&self, service: usize, env: usize, t: i64) -> bool {
        let (service, env_name) = (&self.services[service], &self.env_names[env]);
        (self.windowed == Some(env) && locks::window_closed(t))
            || self.manual.covers(service, env_name)
            || (self.locks_in_force.iter()).any(|l| {
                l.scope.covers(service, env_name)
                    && l.since.timestamp() <= t
                    && l.until.is_none_or(|u| u.timestamp() > t)
            })
    }

    /// Whether someone deploys past the lock on this cell at `t`: rare on purpose, so the
    /// board's breach alarm can be seen (about once an hour across the demo fleet).
    fn breaks_lock(&self, service: usize, env: usize, t: i64) -> bool {
        hash(&[self.seed, BREACH_SALT, service as u64, env as u64, t as u64])
            .is_multiple_of(BREACH_ODDS)
    }

    /// Commit `number` of main as a release, and its author.
    pub(super) fn main_release(&self, service: usize, number: u32) -> (Release, &'static str) {
        let c = names::commit(self.seed, service, number);
        let release = Release {
            id: 0,
            version: names::version(service, number, &c.sha),
            commit: c.sha,
            number,
            description: c.message.to_string(),
        };
        (release, c.author)
    }

    /// A build of a fresh branch off main commit `base`, and its author.
    pub(super) fn branch_build(&mut self, base: u32) -> (Release, &'static str) {
        let commit = self.rng.sha();
        let release = Release {
            id: 0,
            version: short_sha(&commit).to_string(),
            commit,
            number: base,
            description: self.rng.pick(names::MESSAGES).to_string(),
        };
        (release, self.rng.pick(names::PEOPLE))
    }

    /// A deployment of `release` just queued at `t`.
    pub(super) fn queued(&self, s: usize, e: usize, r: &Release, by: &str, t: i64) -> Deployment {
        Deployment {
            id: deployment_id(r.id),
            service: self.services[s].clone(),
            environment: self.env_names[e].clone(),
            version: r.version.clone(),
            commit: r.commit.clone(),
            author: by.to_string(),
            description: r.description.clone(),
            started_at: at(t),
            finished_at: None,
            status: DeployStatus::Queued,
            stage: None,
            progress: Some(0.0),
            history: vec![StatusChange {
                at: at(t),
                status: DeployStatus::Queued,
                note: format!("queued by {by}"),
            }],
            url: None,
            source: self.source.clone(),
        }
    }

    /// Sometimes starts a deploy into a free, unlocked cell that has something new.
    fn maybe_start(&mut self, t: i64) {
        let total: u64 = self.envs.iter().map(|e| e.weight).sum();
        if total == 0 || self.services.is_empty() || !self.rng.chance(START_CHANCE) {
            return;
        }
        for _ in 0..3 {
            let mut pick = self.rng.below(total);
            let mut e = 0;
            while e + 1 < self.envs.len() && pick >= self.envs[e].weight {
                pick -= self.envs[e].weight;
                e += 1;
            }
            let s = self.rng.index(self.services.len());
            if let Some((release, by)) = self.candidate(s, e, t) {
                self.start(s, e, release, by, None, t);
                return;
            }
        }
    }

    /// What a deploy to the cell would ship now, if anything.
    fn candidate(&mut self, s: usize, e: usize, t: i64) -> Option<(Release, &'static str)> {
        let cell = &self.cells[s][e];
        if cell.in_flight.is_some() || cell.rollback_pending || t < cell.free_at {
            return None;
        }
        if self.locked(s, e, t) && !self.breaks_lock(s, e, t) {
            return None;
        }
        let (running, head) = (cell.running.number, self.heads[s]);
        match self.envs[e].feed {
            Feed::Main => (head > running).then(|| self.main_release(s, head)),
            Feed::Promote(p) => {
                let from = &self.cells[s][p].running;
                let release = (from.number > running).then(|| from.clone())?;
                Some((release, self.rng.pick(names::PEOPLE)))
            }
            Feed::Branches if head != running && self.rng.chance(0.5) => {
                Some(self.main_release(s, head))
            }
            Feed::Branches => Some(self.branch_build(head)),
        }
    }

    /// Queues a deploy (or, with `rollback`, the rollback of one) and plans how it goes.
    pub(super) fn start(
        &mut self,
        s: usize,
        e: usize,
        mut release: Release,
        by: &str,
        rollback: Option<Figures>,
        t: i64,
    ) {
        let id = self.next_id;
        self.next_id += 1;
        release.id = id;
        let kind = self.envs[e].kind;
        let stages: &'static [&'static str] = match (rollback, kind) {
            (Some(_), _) => &["rollback"],
            (None, Kind::Ephemeral) => &["build", "deploy"],
            (None, Kind::Staging) => &["build", "rollout", "smoke tests"],
            (None, Kind::Production) => &["build", "canary 10%", "canary 50%", "rollout"],
        };
        let queued_until = t + self.rng.between(1, 5);
        let took = match (rollback, kind) {
            (Some(_), _) => self.rng.between(15, 30),
            (None, Kind::Ephemeral) => self.rng.between(20, 45),
            (None, Kind::Staging) => self.rng.between(30, 60),
            (None, Kind::Production) => self.rng.between(45, 90),
        };
        let roll = self.rng.next_f64();
        let at = queued_until + self.rng.between(took / 10, took * 9 / 10);
        let outcome = match roll {
            _ if rollback.is_some() => Outcome::Succeed,
            x if x < 0.82 => Outcome::Succeed,
            x if x < 0.97 => {
                let canary = stage_at(stages, (at - queued_until) as f64 / took as f64);
                let reasons = match canary.starts_with("canary") {
                    true => names::CANARY_FAILURES,
                    false => names::FAILURES,
                };
                let reason = self.rng.pick(reasons);
                Outcome::Fail { at, reason }
            }
            _ => {
                let by = self.rng.pick(names::PEOPLE);
                let reason = self.rng.pick(names::CANCELS);
                Outcome::Cancel { at, by, reason }
            }
        };
        let deployment = self.queued(s, e, &release, by, t);
        self.records.insert(id, Arc::new(deployment));
        let replaced = self.cells[s][e].running.id;
        self.cut(replaced, t);
        self.cells[s][e].in_flight = Some(id);
        self.flights.push(Flight {
            id,
            service: s,
            env: e,
            release,
            queued_until,
            end: queued_until + took,
            stages,
            outcome,
            restores: rollback,
        });
    }

    /// Moves one deploy on by a second; `None` once it has finished.
    fn fly(&mut self, flight: Flight, t: i64) -> Option<Flight> {
        let d = Arc::make_mut(self.records.get_mut(&flight.id)?);
        if t < flight.queued_until {
            return Some(flight);
        }
        if d.status == DeployStatus::Queued {
            let note = format!("{} started", flight.stages.first().unwrap_or(&"deploy"));
            change(d, t, DeployStatus::InProgress, note);
        }
        let took = (flight.end - flight.queued_until).max(1);
        let share = ((t - flight.queued_until) as f64 / took as f64).clamp(0.0, 1.0);
        let stage = stage_at(flight.stages, share);
        let ends_at = match flight.outcome {
            Outcome::Succeed => flight.end,
            Outcome::Fail { at, .. } | Outcome::Cancel { at, .. } => at,
        };
        if t < ends_at {
            d.stage = Some(stage.to_string());
            d.progress = Some(share as f32);
            return Some(flight);
        }
        d.finished_at = Some(at(t));
        d.stage = None;
        d.progress = None;
        let cell = &mut self.cells[flight.service][flight.env];
        cell.in_flight = None;
        cell.last_finished = flight.id;
        self.finished.push_back(flight.id);
        if self.finished.len() > RECENT {
            self.finished.pop_front();
        }
        match flight.outcome {
            Outcome::Succeed => {
                change(d, t, DeployStatus::Succeeded, format!("{stage} complete"));
                let started = d.started_at.timestamp();
                let first = t.saturating_add(impact::first_verdict_after());
                let ephemeral = self.envs[flight.env].kind == Kind::Ephemeral;
                // The bake time: no new deploy into the cell before this one's first verdict.
                cell.free_at = first;
                cell.previous = Some(mem::replace(&mut cell.running, flight.release));
                let (current, baseline) = (cell.timeline.current(), self.baselines[flight.service]);
                let effect = match flight.restores {
                    Some(figures) => Effect::Restore(figures),
                    None => impact::roll_effect(self.seed, flight.id, ephemeral, current, baseline),
                };
                cell.timeline.push(Run {
                    id: flight.id,
                    from: t,
                    level: impact::apply(effect, self.seed, flight.id, current, baseline),
                    scraped: effect != Effect::Unscraped,
                    bad: false,
                });
                let pending = impact::without_figures(Verdict::Pending);
                self.impacts.insert(flight.id, pending);
                self.analysed.insert(
                    flight.id,
                    Analysed {
                        service: flight.service,
                        env: flight.env,
                        started,
                        finished: t,
                        cut: None,
                        judged_minutes: None,
                        last: false,
                        rollback: flight.restores.is_some(),
                    },
                );
                self.verdicts.push(Verdicting {
                    id: flight.id,
                    due: first,
                });
            }
            Outcome::Fail { reason, .. } => {
                change(
                    d,
                    t,
                    DeployStatus::Failed,
                    format!("failed at {stage}: {reason}"),
                );
                let canary = stage.starts_with("canary");
                if canary && self.envs[flight.env].kind == Kind::Production && self.rng.chance(0.6)
                {
                    cell.rollback_pending = true;
                    self.rollbacks.push(Rollback {
                        of: flight.id,
                        service: flight.service,
                        env: flight.env,
                        to: cell.running.clone(),
                        restores: cell.timeline.current(),
                    });
                }
            }
            Outcome::Cancel { by, reason, .. } => {
                let note = format!("cancelled by {by} at {stage}: {reason}");
                change(d, t, DeployStatus::Cancelled, note);
            }
        }
        None
    }

    /// Marks the deployment rolled back and queues the deploy of the version before it.
    fn roll_back(&mut self, rollback: Rollback, t: i64) {
        let Rollback {
            of,
            service,
            env,
            to,
            restores,
        } = rollback;
        self.cells[service][env].rollback_pending = false;
        let version = short_sha(&to.version).to_string();
        let next = deployment_id(self.next_id);
        if let Some(record) = self.records.get_mut(&of).map(Arc::make_mut) {
            let note = format!("rolled back to {version} by {next}");
            change(record, t, DeployStatus::RolledBack, note);
        }
        let release = Release {
            description: format!("Roll back {} to {version}", deployment_id(of)),
            ..to
        };
        self.start(service, env, release, "auto-rollback", Some(restores), t);
    }
}
