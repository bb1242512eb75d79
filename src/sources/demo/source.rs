//! The demo source: the simulated fleet behind the same interface as every real source.

use chrono::{DateTime, Duration, Utc};

use super::DemoFleet;
use super::settings::DemoSettings;
use crate::model::{ActionError, ActionResult, Catalog, SourceAction, SourceError, SourceSnapshot};
use crate::sources::LocksInForce;

/// The seed used when the configuration names none.
pub const DEFAULT_SEED: u64 = 7;

/// A configured demo source.
pub struct DemoSource {
    name: String,
    fleet: DemoFleet,
    paused: bool,
    outages: bool,
    simulate_locks: bool,
    /// Every lock in force on the board (the lock store, schedules, providers): the
    /// simulated deploy tool respects them, as a real one behind a `gate` would.
    locks_in_force: Option<LocksInForce>,
}

impl DemoSource {
    /// A fleet over `catalog`, with three hours of history up to `now`, named `name` in the
    /// deployments it reports. A paused fleet is the board after a quiet hour: frozen at the
    /// last moment, one to three hours before `now`, when nothing was in flight.
    pub fn new(
        settings: &DemoSettings,
        name: &str,
        catalog: Catalog,
        now: DateTime<Utc>,
    ) -> DemoSource {
        let seed = settings.seed.unwrap_or(DEFAULT_SEED);
        let fleet = if settings.paused {
            settled_fleet(&catalog, seed, name, now)
        } else {
            DemoFleet::new(&catalog, seed, name, now)
        };
        DemoSource {
            name: name.to_string(),
            fleet: fleet.with_outages(settings.outages),
            paused: settings.paused,
            outages: settings.outages,
            simulate_locks: settings.simulate_locks,
            locks_in_force: None,
        }
    }

    /// Makes the simulation respect the locks `locks` says are in force.
    pub fn with_locks_in_force(mut self, locks: LocksInForce) -> DemoSource {
        self.locks_in_force = Some(locks);
        self
    }

    /// Moves the simulation to `now` (unless paused) and reports it, or a simulated outage.
    pub fn poll(&mut self, now: DateTime<Utc>) -> Result<SourceSnapshot, SourceError> {
        self.catch_up(now);
        if self.outages
            && let Some(reason) = self.fleet.outage(now)
        {
            return Err(SourceError { reason });
        }
        let mut snapshot = self.fleet.snapshot();
        if !self.simulate_locks {
            snapshot.locks.clear();
        }
        Ok(snapshot)
    }

    /// Runs an action on the simulated deploy tool at `now`: a promotion queues a deploy
    /// (refused, changing nothing, when the cell is locked, busy or has nothing new; or
    /// while the demo API is out or the fleet paused). It cannot do the other actions.
    pub fn act(&mut self, action: &SourceAction, by: &str, now: DateTime<Utc>) -> ActionResult {
        self.catch_up(now);
        let SourceAction::Promote {
            service,
            environment,
            version,
        } = action
        else {
            return Err(ActionError::NotSupported {
                source: self.name.clone(),
                verb: action.verb(),
            });
        };
        if let Some(reason) = self.fleet.outage(now) {
            return Err(ActionError::Refused(format!("{reason}: try again later")));
        }
        if self.paused {
            return Err(ActionError::Refused(format!(
                "the {} fleet is paused (`paused: true`): nothing moves in it",
                self.name
            )));
        }
        (self.fleet)
            .promote(service, environment, version.as_deref(), by)
            .map_err(ActionError::Refused)
    }

    /// Brings the simulation to `now` (unless paused), respecting the locks in force.
    fn catch_up(&mut self, now: DateTime<Utc>) {
        if let Some(locks) = &self.locks_in_force {
            self.fleet.set_locks_in_force(locks.borrow().clone());
        }
        if !self.paused {
            self.fleet.advance_to(now);
        }
    }
}

/// The fleet at the latest moment between three hours and one hour before `now` with no
/// deploy in flight (or at one hour before, when there is none): the same story, stopped then.
fn settled_fleet(catalog: &Catalog, seed: u64, name: &str, now: DateTime<Utc>) -> DemoFleet {
    let start = now - Duration::hours(3);
    let end = now - Duration::hours(1);
    let mut fleet = DemoFleet::simulated(catalog, seed, name, start);
    let mut quiet = None;
    let mut t = start;
    while t <= end {
        fleet.simulate_to(t);
        if !fleet.busy() {
            quiet = Some(t);
        }
        t += Duration::seconds(10);
    }
    // Told again from its start (the same seed, the same story), up to that moment.
    let mut fleet = DemoFleet::simulated(catalog, seed, name, start);
    fleet.advance_to(quiet.unwrap_or(end));
    fleet
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Environment, Service};
    use chrono::TimeZone;

    #[test]
    fn a_paused_demo_settles_with_nothing_in_flight_and_never_moves() {
        let catalog = Catalog {
            environments: ["staging", "production"]
                .map(|n| Environment {
                    name: n.into(),
                    protected: false,
                    ephemeral: false,
                    follows: None,
                })
                .to_vec(),
            services: (0..6)
                .map(|i| Service {
                    name: format!("s{i}"),
                    team: "t".into(),
                    repository: None,
                })
                .collect(),
            ..Catalog::default()
        };
        let settings: DemoSettings = serde_yaml::from_str("{paused: true}").unwrap();
        let now = Utc
            .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .unwrap();
        let mut source = DemoSource::new(&settings, "demo", catalog, now);
        let first = source.poll(now).unwrap();
        let flying: Vec<_> = first
            .deployments
            .iter()
            .filter(|d| d.status.is_in_flight())
            .map(|d| (d.started_at, d.status))
            .collect();
        assert!(flying.is_empty(), "{flying:?}");
        let judged = source.fleet.judgements();
        let later = source.poll(now + Duration::minutes(10)).unwrap();
        assert_eq!(first, later);
        assert_eq!(
            source.fleet.judgements(),
            judged,
            "a quiet board judges nothing"
        );
        assert!(first.impacts.iter().any(|r| !r.impact.metrics.is_empty()));
    }
}
