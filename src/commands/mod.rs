//! The subcommands: one poll of every source, then print and exit.

pub mod check;
pub mod locks;
pub mod status;
pub mod status_json;

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::locks::LockSetup;
use crate::msg::Msg;
use crate::sources::{Reading, poll_and_check_all};
use crate::state::{Mode, Model, Ui};
use crate::update::update;

/// What a text command has to say: its stdout, its stderr and its exit status. `main` prints
/// both through [`crate::text::SafeOut`], so no command can print a control character.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub out: String,
    pub err: String,
    pub code: u8,
}

impl Report {
    /// A report that exits with `code`.
    pub fn with_code(code: u8) -> Report {
        Report {
            code,
            ..Report::default()
        }
    }

    /// Adds a line to stdout.
    pub fn say(&mut self, line: impl std::fmt::Display) {
        let _ = writeln!(self.out, "{line}");
    }

    /// Adds a line to stderr, after `shiproom: ` (or the `prefix` given to `complain_as`).
    pub fn complain(&mut self, line: impl std::fmt::Display) {
        self.complain_as("shiproom", line);
    }

    pub fn complain_as(&mut self, prefix: &str, line: impl std::fmt::Display) {
        let _ = writeln!(self.err, "{prefix}: {line}");
    }
}

/// The moment `status` and `snapshot` report at: `SHIPROOM_NOW` (RFC 3339) when set, for
/// reproducible output, else the clock. No other command reads it: a gate, a lock or a check
/// always acts at the real time.
pub fn now_from_env() -> Result<DateTime<Utc>, String> {
    match std::env::var("SHIPROOM_NOW") {
        Ok(text) if !text.is_empty() => DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                format!(
                    "SHIPROOM_NOW `{}`: {e} (expected RFC 3339, e.g. 2026-11-24T09:00:00Z)",
                    crate::text::one_line(&text)
                )
            }),
        _ => Ok(Utc::now()),
    }
}

/// Polls every source once, reads the lock store, and returns the model built from their
/// reports, through the same update the board uses.
pub async fn poll_once(
    config: &Config,
    mode: Mode,
    locks: &LockSetup,
    now: DateTime<Utc>,
) -> Model {
    poll_once_and_check(config, mode, locks, now, false).await.0
}

/// [`poll_once`], and with `check`, `shiproom check`'s details of every source, each source
/// polled and checked by one runner (so a `token_command` runs once for both).
pub async fn poll_once_and_check(
    config: &Config,
    mode: Mode,
    locks: &LockSetup,
    now: DateTime<Utc>,
    check: bool,
) -> (Model, Vec<Vec<crate::sources::CheckLine>>) {
    let mut model = Model::new(config, mode, now);
    model.manual_locks.store = locks.store.describe();
    let mut ui = Ui::default();
    // The lock store first: the demo's simulated deploys respect every lock in force.
    let locks_result = locks.store.list(now).await;
    let mut in_force = model.schedules.locks_at(now);
    in_force.extend(locks_result.iter().flatten().cloned());
    // Every source built through its kind's registry entry, polled once, in configuration
    // order; with `check`, each one's details from the same built source.
    let specs = config.specs();
    let mut details = Vec::new();
    for (source, outcome, lines) in poll_and_check_all(&specs, now, in_force, check).await {
        if let Some(stats) = outcome.stats {
            let source = source.clone();
            update(&mut model, &mut ui, Msg::SourceStats { source, stats });
        }
        let result = outcome.result.map(Reading::into_snapshot);
        update(
            &mut model,
            &mut ui,
            Msg::SourceReport {
                source,
                at: now,
                result,
            },
        );
        if check {
            details.push(lines);
        }
    }
    let history = Vec::new();
    update(
        &mut model,
        &mut ui,
        Msg::LocksReport {
            at: now,
            result: locks_result,
            history,
        },
    );
    (model, details)
}
