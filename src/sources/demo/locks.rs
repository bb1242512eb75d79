//! The demo's locks: a change window on the production-like environment that opens and
//! closes with the clock, and manual locks people take and lift from time to time.

use chrono::{DateTime, Timelike, Utc};

use super::names;
use super::rng::SplitMix64;
use crate::model::{Lock, LockOrigin, LockScope};

/// The change window cycle, in seconds: closed for the last [`CLOSED`] of every [`CYCLE`],
/// counted from the top of the hour (12 divides 60, so every hour looks the same).
pub const CYCLE: i64 = 12 * 60;
/// How long the window stays closed in each cycle.
pub const CLOSED: i64 = 4 * 60;

/// Odds per second of someone locking one service, and of locking a whole environment.
const SERVICE_LOCK_CHANCE: f64 = 1.0 / 420.0;
const ENVIRONMENT_LOCK_CHANCE: f64 = 1.0 / 3600.0;
/// At most this many manual service locks at once.
const MAX_SERVICE_LOCKS: usize = 3;

/// Converts whole UTC seconds to a time.
pub fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// Whether the change window is closed at `t`.
pub fn window_closed(t: i64) -> bool {
    t.rem_euclid(CYCLE) >= CYCLE - CLOSED
}

/// The schedule lock on `environment` in force at `t`, if the window is closed.
pub fn schedule_lock(environment: &str, t: i64) -> Option<Lock> {
    if !window_closed(t) {
        return None;
    }
    let into = t.rem_euclid(CYCLE);
    let since = t - into + CYCLE - CLOSED;
    let until = t - into + CYCLE;
    let reopen = at(until);
    let when = if reopen.minute() == 0 {
        "at the top of the hour".to_string()
    } else {
        format!("at {:02}:{:02} UTC", reopen.hour(), reopen.minute())
    };
    Some(Lock {
        scope: LockScope::Environment {
            environment: environment.to_string(),
        },
        reason: format!("change window closed: deploys reopen {when}"),
        by: "schedule".to_string(),
        origin: LockOrigin::Schedule,
        since: at(since),
        until: Some(reopen),
    })
}

/// A manual lock and when it goes away (an environment lock has no `until`: someone lifts it).
#[derive(Debug, Clone, PartialEq)]
struct Held {
    lock: Lock,
    lifted_at: i64,
}

/// The manual locks currently held.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ManualLocks {
    held: Vec<Held>,
}

impl ManualLocks {
    /// One second of people: lift what is due, sometimes take a new lock. `services` and
    /// `environments` are names; `lockable` are the indexes of environments worth locking whole.
    pub fn step(
        &mut self,
        t: i64,
        rng: &mut SplitMix64,
        services: &[String],
        environments: &[String],
        lockable: &[usize],
    ) {
        self.held.retain(|h| h.lifted_at > t);
        if services.is_empty() || environments.is_empty() {
            return;
        }
        let service_locks = self
            .held
            .iter()
            .filter(|h| h.lock.scope.service().is_some());
        if service_locks.count() < MAX_SERVICE_LOCKS && rng.chance(SERVICE_LOCK_CHANCE) {
            let service = &services[rng.index(services.len())];
            let environment = &environments[rng.index(environments.len())];
            let until = t + rng.between(3 * 60, 8 * 60);
            let scope = LockScope::Service {
                environment: environment.clone(),
                service: service.clone(),
            };
            if !self.held.iter().any(|h| h.lock.scope == scope) {
                let reason = rng.pick(names::SERVICE_LOCKS);
                self.take(
                    scope,
                    reason,
                    rng.pick(names::PEOPLE),
                    t,
                    Some(until),
                    until,
                );
            }
        }
        let environment_locked = self.held.iter().any(|h| h.lock.scope.service().is_none());
        if !environment_locked && !lockable.is_empty() && rng.chance(ENVIRONMENT_LOCK_CHANCE) {
            let environment = &environments[lockable[rng.index(lockable.len())]];
            let scope = LockScope::Environment {
                environment: environment.clone(),
            };
            let lifted_at = t + rng.between(4 * 60, 10 * 60);
            let reason = rng.pick(names::ENVIRONMENT_LOCKS);
            self.take(scope, reason, rng.pick(names::PEOPLE), t, None, lifted_at);
        }
    }

    fn take(
        &mut self,
        scope: LockScope,
        reason: &str,
        by: &str,
        t: i64,
        until: Option<i64>,
        lifted_at: i64,
    ) {
        // Taken by a simulated operator in the simulated deploy tool: a lock the source
        // reports (provider), not one in shiproom's lock store, so `U` and `unlock` name it so.
        let lock = Lock {
            scope,
            reason: reason.to_string(),
            by: by.to_string(),
            origin: LockOrigin::Provider,
            since: at(t),
            until: until.map(at),
        };
        self.held.push(Held { lock, lifted_at });
    }

    /// Whether a manual lock covers `service` in `environment` (both held locks are in force).
    pub fn covers(&self, service: &str, environment: &str) -> bool {
        self.held
            .iter()
            .any(|h| h.lock.scope.covers(service, environment))
    }

    /// The locks held now.
    pub fn locks(&self) -> impl Iterator<Item = &Lock> {
        self.held.iter().map(|h| &h.lock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_change_window_closes_four_minutes_in_twelve_on_whole_minutes() {
        let top = 500_000 * 3600;
        assert!(schedule_lock("production", top).is_none());
        assert!(schedule_lock("production", top + 8 * 60 - 1).is_none());
        let lock = schedule_lock("production", top + 8 * 60).unwrap();
        assert_eq!(lock.since, at(top + 8 * 60));
        assert_eq!(lock.until, Some(at(top + 12 * 60)));
        assert!(
            lock.reason
                .ends_with(&format!("at {:02}:12 UTC", at(top).hour()))
        );
        let last = schedule_lock("production", top + 3600 - 1).unwrap();
        assert!(last.reason.ends_with("at the top of the hour"));
        assert!(schedule_lock("production", top + 12 * 60).is_none());
    }

    #[test]
    fn manual_locks_come_and_go() {
        let mut locks = ManualLocks::default();
        let mut rng = SplitMix64::new(5);
        let services = vec!["checkout".to_string(), "search".to_string()];
        let envs = vec!["staging".to_string(), "production".to_string()];
        let (mut most, mut env_locks) = (0, 0);
        for t in 0..20_000 {
            locks.step(t, &mut rng, &services, &envs, &[0, 1]);
            most = most.max(locks.locks().count());
            env_locks += locks
                .locks()
                .filter(|l| l.scope.service().is_none())
                .count();
            assert!(locks.locks().all(|l| l.is_active(at(t))));
        }
        assert!(most >= 1 && env_locks > 0);
    }
}
