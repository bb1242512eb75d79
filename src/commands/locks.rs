//! `shiproom lock`, `unlock`, `locks` and `gate`: locks for scripts, chat-ops and CI pipelines.

use std::io::Write;

use chrono::{DateTime, Utc};

use super::status_json::lock_json;
use crate::config::{Config, Span};
use crate::locks::{LocalTime, LockOutcome, LockSetup, actions};
use crate::model::{Lock, LockScope};
use crate::state::Model;
use crate::ui::format;

/// Exit statuses shared by the lock commands.
pub mod exit {
    pub const OK: u8 = 0;
    /// Cannot be told or done (store unreachable), or nothing to unlock.
    pub const FAILED: u8 = 1;
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
            "unknown environment `{environment}` (expected one of: {})",
            names(&mut config.catalog.environments.iter().map(|e| e.name.as_str()))
        ));
    }
    Ok(match service {
        Some(service) if config.catalog.service_index(service).is_none() => {
            return Err(format!(
                "unknown service `{service}` (expected one of: {})",
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

/// When a lock asked for with `--for` or `--until` lifts.
pub fn until(
    config: &Config,
    duration: Option<&str>,
    until: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, String> {
    if let Some(text) = duration {
        let span: Span = text.parse().map_err(|e| format!("--for: {e}"))?;
        return Ok(Some(now + span.as_chrono()));
    }
    let Some(text) = until else {
        return Ok(None);
    };
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
                        "--until: `{text}` does not exist in {}",
                        config.schedules.timezone
                    )
                })?
        }
    };
    if at <= now {
        return Err(format!("--until: `{text}` is in the past"));
    }
    Ok(Some(at))
}

/// `lock`: takes the lock; prints what happened.
pub async fn lock(setup: &LockSetup, lock: Lock, now: DateTime<Utc>) -> u8 {
    let scope = lock.scope.clone();
    let outcome = actions::take(setup, lock, now).await;
    report(&outcome, "lock", &scope, now)
}

/// `unlock`: lifts the lock; prints what happened.
pub async fn unlock(
    setup: &LockSetup,
    scope: &LockScope,
    who: &str,
    force: bool,
    now: DateTime<Utc>,
) -> u8 {
    let outcome = actions::lift(setup, scope, who, force, now).await;
    report(&outcome, "unlock", scope, now)
}

fn report(outcome: &LockOutcome, verb: &str, scope: &LockScope, now: DateTime<Utc>) -> u8 {
    let message = outcome.message(verb, scope, now);
    match outcome {
        LockOutcome::Done(_) => {
            println!("{message}");
            exit::OK
        }
        LockOutcome::Held(_) => {
            eprintln!("shiproom: {message}");
            exit::LOCKED
        }
        LockOutcome::NotLocked | LockOutcome::Failed(_) => {
            eprintln!("shiproom: {message}");
            exit::FAILED
        }
    }
}

fn describe(lock: &Lock, now: DateTime<Utc>) -> String {
    format!(
        "{}  {}  by {} since {}  {}  \"{}\"",
        lock.scope.label(),
        lock.origin.label(),
        lock.by,
        lock.since.format("%Y-%m-%d %H:%M UTC"),
        format::lifts(lock.until, now),
        lock.reason
    )
}

/// `locks`: every lock in force on the board built by `poll_once` (store, schedules,
/// sources). Exit 1 when the store cannot be read (the list would be incomplete).
pub fn list(model: &Model, json: bool) -> u8 {
    let locks = &model.board.locks;
    let mut out = std::io::stdout().lock();
    if json {
        let doc: Vec<_> = locks.iter().map(lock_json).collect();
        let _ = serde_json::to_writer_pretty(&mut out, &doc);
        let _ = writeln!(out);
    } else if locks.is_empty() {
        let _ = writeln!(out, "no locks in force");
    } else {
        for lock in locks {
            let _ = writeln!(out, "{}", describe(lock, model.now));
        }
    }
    match &model.manual_locks.error {
        Some(e) => {
            eprintln!("shiproom: the lock store cannot be read, so manual locks are unknown: {e}");
            exit::FAILED
        }
        None => exit::OK,
    }
}

/// `gate`: may `scope` be deployed to now? Fails closed when the store cannot be read.
pub fn gate(model: &Model, scope: &LockScope) -> u8 {
    let service = scope.service().unwrap_or("");
    let environment = scope.environment();
    if let Some(e) = &model.manual_locks.error {
        eprintln!(
            "shiproom gate: {}: cannot tell whether deploys are allowed (failing closed): {e}",
            scope.label()
        );
        return exit::FAILED;
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
        println!("{}: open, deploys allowed", scope.label());
        return exit::OK;
    }
    eprintln!(
        "shiproom gate: {} is locked ({}):",
        scope.label(),
        locks.len()
    );
    for lock in locks {
        eprintln!("  {}", describe(lock, model.now));
    }
    exit::LOCKED
}
