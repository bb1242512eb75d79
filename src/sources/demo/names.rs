//! The words of the demo: people, commit messages, failure and lock reasons, and the
//! commits of each service's main branch, derived from (seed, service, number).

use super::rng::{SplitMix64, hash};
use crate::model::{CommitSummary, short_sha};

/// People who commit, deploy and lock.
pub const PEOPLE: &[&str] = &[
    "alice", "bogdan", "chen", "dara", "emeka", "farah", "gustavo", "hana", "ines", "jonas",
    "kemal", "lucia",
];

/// First lines of commit messages.
pub const MESSAGES: &[&str] = &[
    "Fix retry on payment timeout",
    "Add cache for product lookups",
    "Bump tokio to 1.48",
    "Handle empty cart in checkout summary",
    "Reduce log noise in health checks",
    "Add p99 latency to dashboards",
    "Make search ranking weights configurable",
    "Fix race in session refresh",
    "Drop legacy v1 orders endpoint",
    "Paginate invoice export",
    "Tighten rate limits for anonymous users",
    "Fix off-by-one in inventory reservation",
    "Move feature flags to config service",
    "Add idempotency keys to refunds",
    "Upgrade base image to debian trixie",
    "Speed up cold start by lazy-loading models",
    "Fix timezone handling in delivery slots",
    "Add circuit breaker around tax service",
    "Batch notification sends",
    "Validate webhook signatures",
    "Fix memory leak in image resizer",
    "Rename customer_id column",
    "Add tracing spans to order pipeline",
    "Lower DB pool size per pod",
];

/// Why a deploy failed, by stage kind.
pub const FAILURES: &[&str] = &[
    "readiness probe failed on 2/6 pods",
    "image pull backoff: manifest unknown",
    "migration timed out after 300s",
    "smoke test checkout_flow failed",
    "pods crash-looping: OOMKilled",
    "health check returned 503",
];

/// Why a canary was stopped.
pub const CANARY_FAILURES: &[&str] = &[
    "canary analysis failed: error rate 3.4% > 1.0%",
    "canary analysis failed: p95 latency 870ms > 500ms",
    "canary pods restarting",
];

/// Why someone cancelled a deploy.
pub const CANCELS: &[&str] = &[
    "superseded by a newer commit",
    "wrong version picked",
    "holding for the release notes",
];

/// Reasons for a manual lock on one service.
pub const SERVICE_LOCKS: &[&str] = &[
    "investigating flaky checkout tests",
    "holding for a database migration",
    "waiting on security review",
    "debugging memory growth, please don't redeploy",
    "customer demo in progress, hands off",
];

/// Reasons for a manual lock on a whole environment.
pub const ENVIRONMENT_LOCKS: &[&str] = &[
    "incident INC-4821: elevated 5xx at the edge",
    "load test in progress",
    "cluster upgrade underway",
];

/// What a simulated outage of the demo API looks like.
pub const OUTAGES: &[&str] = &[
    "simulated outage: HTTP 503 from demo API",
    "simulated outage: connection reset by demo API",
    "simulated outage: demo API timed out after 10s",
];

/// One commit on a service's main branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub sha: String,
    pub author: &'static str,
    pub message: &'static str,
}

/// Commit `number` of service `service`'s main branch: the same for the same seed.
pub fn commit(seed: u64, service: usize, number: u32) -> Commit {
    let mut rng = SplitMix64::new(hash(&[seed, 0xC0, service as u64, u64::from(number)]));
    Commit {
        sha: rng.sha(),
        author: rng.pick(PEOPLE),
        message: rng.pick(MESSAGES),
    }
}

/// The commit as the board lists it.
pub fn summary(seed: u64, service: usize, number: u32) -> CommitSummary {
    let c = commit(seed, service, number);
    CommitSummary {
        sha: short_sha(&c.sha).to_string(),
        author: c.author.to_string(),
        message: c.message.to_string(),
    }
}

/// How a service names its versions: most use tags; every eighth (from the second) uses
/// full shas and every eighth (from the sixth) short shas, so every form appears.
pub fn version(service: usize, number: u32, sha: &str) -> String {
    match service % 8 {
        1 => sha.to_string(),
        5 => short_sha(sha).to_string(),
        _ => format!("v{}.{number}.0", 1 + service % 3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_are_stable_per_seed_and_versions_take_every_form() {
        assert_eq!(commit(1, 2, 3), commit(1, 2, 3));
        assert_ne!(commit(1, 2, 3).sha, commit(2, 2, 3).sha);
        assert_ne!(commit(1, 2, 3).sha, commit(1, 2, 4).sha);
        let sha = commit(1, 0, 42).sha;
        assert_eq!(version(0, 42, &sha), "v1.42.0");
        assert_eq!(version(1, 42, &sha), sha);
        assert_eq!(version(5, 42, &sha).len(), 7);
        assert_eq!(summary(1, 0, 42).sha, &sha[..7]);
    }
}
