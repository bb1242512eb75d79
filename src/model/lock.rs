//! Locks: what stops changes from reaching an environment, and why.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a lock covers. Written out whole (`{"kind": "service", "environment", "service"}`),
/// so a snapshot on disk reads back exactly, whatever the names hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LockScope {
    /// Every service in one environment.
    Environment { environment: String },
    /// One service in one environment.
    Service {
        environment: String,
        service: String,
    },
}

impl LockScope {
    pub fn environment(&self) -> &str {
        match self {
            LockScope::Environment { environment } | LockScope::Service { environment, .. } => {
                environment
            }
        }
    }

    /// The service, for a service-scoped lock.
    pub fn service(&self) -> Option<&str> {
        match self {
            LockScope::Environment { .. } => None,
            LockScope::Service { service, .. } => Some(service),
        }
    }

    /// Whether this lock blocks deploys of `service` to `environment`.
    pub fn covers(&self, service: &str, environment: &str) -> bool {
        self.environment() == environment && self.service().is_none_or(|s| s == service)
    }

    /// "production" or "checkout@production".
    pub fn label(&self) -> String {
        match self {
            LockScope::Environment { environment } => environment.clone(),
            LockScope::Service {
                environment,
                service,
            } => format!("{service}@{environment}"),
        }
    }
}

/// Where a lock comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockOrigin {
    /// Taken by an operator, with a reason.
    Manual,
    /// Deploy hours or a freeze calendar from the configuration.
    Schedule,
    /// A window owned by a deploy tool (Argo CD sync windows, GitLab freeze periods).
    Provider,
}

impl LockOrigin {
    pub fn label(self) -> &'static str {
        match self {
            LockOrigin::Manual => "manual",
            LockOrigin::Schedule => "schedule",
            LockOrigin::Provider => "provider",
        }
    }
}

/// One lock with its reason, holder and lifetime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lock {
    pub scope: LockScope,
    pub reason: String,
    pub by: String,
    pub origin: LockOrigin,
    pub since: DateTime<Utc>,
    /// When it lifts by itself; `None` until someone lifts it.
    pub until: Option<DateTime<Utc>>,
}

impl Lock {
    /// Whether the lock is in force at `now`.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.since <= now && self.until.is_none_or(|until| now < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0)
            .single()
            .unwrap()
    }

    #[test]
    fn an_environment_lock_covers_every_service_and_a_service_lock_only_its_own() {
        let env = LockScope::Environment {
            environment: "production".into(),
        };
        let svc = LockScope::Service {
            environment: "production".into(),
            service: "checkout".into(),
        };
        assert!(env.covers("checkout", "production"));
        assert!(env.covers("search", "production"));
        assert!(!env.covers("checkout", "staging"));
        assert!(svc.covers("checkout", "production"));
        assert!(!svc.covers("search", "production"));
        assert_eq!(svc.label(), "checkout@production");
    }

    #[test]
    fn a_timed_lock_lifts_at_its_end() {
        let lock = Lock {
            scope: LockScope::Environment {
                environment: "production".into(),
            },
            reason: "incident".into(),
            by: "alice".into(),
            origin: LockOrigin::Manual,
            since: at(9),
            until: Some(at(11)),
        };
        assert!(!lock.is_active(at(8)));
        assert!(lock.is_active(at(10)));
        assert!(!lock.is_active(at(11)));
    }
}
