//! `shiproom lock`, `unlock`, `locks` and `gate`: locks for scripts, chat-ops and CI pipelines.
//! Each returns a [`Report`]; text from outside (reasons, names, errors) is kept to one line.

use chrono::{DateTime, Utc};

use super::Report;
use super::status_json::lock_json;
use crate::config::{Config, Span};
use crate::locks::{LocalTime, LockOutcome, LockSetup, actions, limits};
use crate::model::{Lock, LockScope};
use crate::present::format;
use crate::present::words::plural;
use crate::state::Model;
use crate::text::one_line;

/// Exit statuses shared by the lock commands.
pub mod exit {
    pub const OK: u8 = 0;
    /// Cannot be told or done (store unreachable), or nothing to unlock.
    pub const FAILED: u8 = 1;
    /// Bad usage, or refused here (read-only, wall display, view-only environment).
    pub const BAD_USAGE: u8 = 2;
    /// Locked (gate), or held by someone else (lock, unlock).
    pub const LOCKED: u8 = 3;
}

/// Checks that the environment and service exist; the scope they name.
pub fn scope(
    config: &Config,
    environment: &str,
    service: Option<&str>,
) -> Result<LockScope, String> {
    let names = |it: &mut dyn Iterator<Item = &str>| it.collect::<Vec<_>>().join(", ");
    if config.catalog.environment_index(environment).is_none() {
        return Err(format!(
            "unknown environment `{}` (expected one of: {})",
            one_line(environment),
            names(&mut config.catalog.environments.iter().map(|e| e.name.as_str()))
        ));
    }
    Ok(match service {
        Some(service) if config.catalog.service_index(service).is_none() => {
            return Err(format!(
                "unknown service `{}` (expected one of: {})",
                one_line(service),
                names(&mut config.catalog.services.iter().map(|s| s.name.as_str()))
            ));
        }
        Some(service) => LockScope::Service {
            environment: environment.to_string(),
            service: service.to_string(),
        },
        None => LockScope::Environment {
            environment: environment.to_string(),
        },
    })
}

/// When a lock asked for with `--for` or `--until` lifts: after `now`, within a year.
pub fn until(
    config: &Config,
    duration: Option<&str>,
    until: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, String> {
    if let Some(text) = duration {
        let span: Span = text.parse().map_err(|e| format!("--for: {e}"))?;
        return limits::until_after(now, span)
            .map(Some)
            .map_err(|e| format!("--for: {e}"));
    }
    let Some(text) = until else {
        return Ok(None);
    };
    let shown = one_line(text);
    let at = match DateTime::parse_from_rfc3339(text) {
        Ok(t) => t.with_timezone(&Utc),
        Err(_) => {
            let local: LocalTime = text.parse().map_err(|e| format!("--until: {e}"))?;
            use chrono::TimeZone;
            config
                .schedules
                .timezone
                .from_local_datetime(&local.0)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| {
                    format!(
                        "--until: `{shown}` does not exist in {}",
                        config.schedules.timezone
                    )
                })?
        }
    };
    limits::until_at(now, at, &shown)
        .map(Some)
        .map_err(|e| format!("--until: {e}"))
}

/// `lock`: takes the lock; says what happened.
pub async fn lock(setup: &LockSetup, lock: Lock, now: DateTime<Utc>) -> Report {
    let scope = lock.scope.clone();
    let outcome = actions::take(setup, lock, now).await;
    let mut report = report(&outcome, "lock", &scope, now);
    if matches!(outcome, LockOutcome::Created(_)) {
        report.say(format!(
            "created the lock store ({}): this was its first lock",
            setup.store.describe()
        ));
    }
    report
}

/// `unlock`: lifts the lock; says what happened.
pub async fn unlock(
    setup: &LockSetup,
    scope: &LockScope,
    who: &str,
    force: bool,
    now: DateTime<Utc>,
) -> Report {
    let outcome = actions::lift(setup, scope, who, force, now).await;
    report(&outcome, "unlock", scope, now)
}

fn report(outcome: &LockOutcome, verb: &str, scope: &LockScope, now: DateTime<Utc>) -> Report {
    let message = outcome.message(verb, scope, now);
    let code = match outcome {
        LockOutcome::Done(_) | LockOutcome::Created(_) => exit::OK,
        LockOutcome::Held(_) => exit::LOCKED,
        LockOutcome::Refused(_) => exit::BAD_USAGE,
        LockOutcome::NotLocked | LockOutcome::Failed(_) => exit::FAILED,
    };
    let mut report = Report::with_code(code);
    if code == exit::OK {
        report.say(message);
    } else {
        report.complain(message);
    }
    report
}

/// One lock on one line: scope, origin, holder, since, when it lifts, reason.
fn describe(lock: &Lock, now: DateTime<Utc>) -> String {
    format!(
        "{}  {}  by {} since {}  {}  \"{}\"",
        one_line(&lock.scope.label()),
        lock.origin.label(),
        one_line(&lock.by),
        lock.since.format("%Y-%m-%d %H:%M UTC"),
        format::lifts(lock.until, now),
        one_line(&lock.reason)
    )
}

/// `locks`: every lock in force on the board built by `poll_once` (store, schedules,
/// sources). When the store cannot be read, stdout stays empty (an empty list would read as
/// "no locks" to a script), the reason goes to stderr, and the exit status is 1.
pub fn list(model: &Model, json: bool) -> Report {
    if let Some(e) = &model.manual_locks.error {
        let mut report = Report::with_code(exit::FAILED);
        report.complain(format!(
            "the lock store cannot be read, so manual locks are unknown and nothing is listed: {}",
            one_line(e)
        ));
        return report;
    }
    let locks = &model.board.locks;
    let mut report = Report::with_code(exit::OK);
    if json {
        let doc: Vec<_> = locks.iter().map(lock_json).collect();
        match crate::text::json::to_string_pretty(&doc) {
            Ok(text) => report.out = text,
            Err(e) => {
                report.code = exit::FAILED;
                report.complain(format!("cannot encode the locks as JSON: {e}"));
            }
        }
    } else if locks.is_empty() {
        report.say("no locks in force");
    } else {
        for lock in locks {
            report.say(describe(lock, model.now));
        }
    }
    report
}

/// `gate`: may `scope` be deployed to now? Fails closed when the store cannot be read.
pub fn gate(model: &Model, scope: &LockScope) -> Report {
    let service = scope.service().unwrap_or("");
    let environment = scope.environment();
    let label = one_line(&scope.label()).into_owned();
    if let Some(e) = &model.manual_locks.error {
        let mut report = Report::with_code(exit::FAILED);
        report.complain_as(
            "shiproom gate",
            format!(
                "{label}: cannot tell whether deploys are allowed (failing closed): {}",
                one_line(e)
            ),
        );
        return report;
    }
    let locks: Vec<&Lock> = model
        .board
        .locks
        .iter()
        .filter(|l| match scope.service() {
            Some(_) => l.scope.covers(service, environment),
            None => l.scope.environment() == environment && l.scope.service().is_none(),
        })
        .collect();
    if locks.is_empty() {
        let mut report = Report::with_code(exit::OK);
        report.say(format!("{label}: open, deploys allowed"));
        return report;
    }
    let mut report = Report::with_code(exit::LOCKED);
    report.complain_as(
        "shiproom gate",
        format!(
            "{label} is locked ({}):",
            plural(locks.len(), "lock", "locks")
        ),
    );
    for lock in locks {
        report
            .err
            .push_str(&format!("  {}\n", describe(lock, model.now)));
    }
    report
}
