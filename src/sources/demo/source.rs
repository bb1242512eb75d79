//! The demo source: the simulated fleet behind the same interface as every real source.

use chrono::{DateTime, Duration, Utc};

use super::DemoFleet;
use crate::config::SourceConfig;
use crate::model::{Catalog, SourceError, SourceSnapshot};

/// The seed used when the configuration names none.
pub const DEFAULT_SEED: u64 = 7;

/// A configured demo source.
pub struct DemoSource {
    fleet: DemoFleet,
    paused: bool,
    outages: bool,
    simulate_locks: bool,
    /// Every lock in force on the board (the lock store, schedules, providers): the
    /// simulated deploy tool respects them, as a real one behind a `gate` would.
    locks_in_force: Option<crate::sources::LocksInForce>,
}

impl DemoSource {
    /// A fleet over `catalog`, with three hours of history up to `now`. A paused fleet is
    /// the board after a quiet hour: frozen at the last moment, one to three hours before
    /// `now`, when nothing was in flight.
    pub fn new(config: &SourceConfig, catalog: Catalog, now: DateTime<Utc>) -> DemoSource {
        let seed = config.seed.unwrap_or(DEFAULT_SEED);
        let fleet = if config.paused {
            settled_fleet(&catalog, seed, &config.name, now)
        } else {
            DemoFleet::new(&catalog, seed, &config.name, now)
        };
        DemoSource {
            fleet: fleet.with_outages(config.outages),
            paused: config.paused,
            outages: config.outages,
            simulate_locks: config.simulate_locks,
            locks_in_force: None,
        }
    }

    /// Makes the simulation respect the locks `locks` says are in force.
    pub fn with_locks_in_force(mut self, locks: crate::sources::LocksInForce) -> DemoSource {
        self.locks_in_force = Some(locks);
        self
    }

    /// Moves the simulation to `now` (unless paused) and reports it, or a simulated outage.
    pub fn poll(&mut self, now: DateTime<Utc>) -> Result<SourceSnapshot, SourceError> {
        if let Some(locks) = &self.locks_in_force {
            self.fleet.set_locks_in_force(locks.borrow().clone());
        }
        if !self.paused {
            self.fleet.advance_to(now);
        }
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
}

/// The fleet at the latest moment between three hours and one hour before `now` with no
/// deploy in flight (or at one hour before, when there is none).
fn settled_fleet(catalog: &Catalog, seed: u64, name: &str, now: DateTime<Utc>) -> DemoFleet {
    let start = now - Duration::hours(3);
    let now = now - Duration::hours(1);
    let mut fleet = DemoFleet::new(catalog, seed, name, start);
    let mut quiet = None;
    let mut t = start;
    while t <= now {
        fleet.advance_to(t);
        if fleet
            .snapshot()
            .deployments
            .iter()
            .all(|d| !d.status.is_in_flight())
        {
            quiet = Some(t);
        }
        t += Duration::seconds(10);
    }
    match quiet {
        Some(t) => DemoFleet::new(catalog, seed, name, t),
        None => fleet,
    }
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
        let config: SourceConfig =
            serde_yaml::from_str("{name: demo, kind: demo, paused: true}").unwrap();
        let now = Utc
            .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .unwrap();
        let mut source = DemoSource::new(&config, catalog, now);
        let first = source.poll(now).unwrap();
        let flying: Vec<_> = first
            .deployments
            .iter()
            .filter(|d| d.status.is_in_flight())
            .map(|d| (d.started_at, d.status))
            .collect();
        assert!(flying.is_empty(), "{flying:?}");
        let later = source.poll(now + Duration::minutes(10)).unwrap();
        assert_eq!(first, later);
    }
}
