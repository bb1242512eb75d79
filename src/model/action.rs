//! Actions an operator asks a source to carry out in the world (promote, roll back, approve,
//! sync), the id each one's result comes back with, and what the model keeps of them while
//! they run and after.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::SourceId;

/// One action the operator asked for, unique within a run: its result carries it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActionId(pub u64);

impl fmt::Display for ActionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// What a source can be asked to do to one cell (a service in an environment), with typed
/// fields: no command string in between.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum SourceAction {
    /// Deploy to `environment` what runs in the environment it follows, or `version` when
    /// given.
    Promote {
        service: String,
        environment: String,
        version: Option<String>,
    },
    /// Deploy again what ran in `environment` before what runs now, or `version` when given.
    Rollback {
        service: String,
        environment: String,
        version: Option<String>,
    },
    /// Let the deploy `deployment`, waiting for a reviewer, go ahead.
    Approve {
        service: String,
        environment: String,
        deployment: String,
    },
    /// Bring the cell in line with what its deploy tool says should run there (Argo CD's sync).
    Sync {
        service: String,
        environment: String,
    },
}

impl SourceAction {
    /// The verb, as messages say it: "promote", "roll back", "approve", "sync".
    pub fn verb(&self) -> &'static str {
        match self {
            SourceAction::Promote { .. } => "promote",
            SourceAction::Rollback { .. } => "roll back",
            SourceAction::Approve { .. } => "approve",
            SourceAction::Sync { .. } => "sync",
        }
    }

    /// The cell it acts on: (service, environment).
    pub fn cell(&self) -> (&str, &str) {
        match self {
            SourceAction::Promote {
                service,
                environment,
                ..
            }
            | SourceAction::Rollback {
                service,
                environment,
                ..
            }
            | SourceAction::Approve {
                service,
                environment,
                ..
            }
            | SourceAction::Sync {
                service,
                environment,
            } => (service, environment),
        }
    }

    /// "promote checkout in production", for notices and logs.
    pub fn describe(&self) -> String {
        let (service, environment) = self.cell();
        format!("{} {service} in {environment}", self.verb())
    }
}

/// Why an action did not happen, or may not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionError {
    /// This source cannot do this action (its kind has no such thing, or not yet).
    NotSupported { source: String, verb: &'static str },
    /// The source said no before doing anything: locked, busy, nothing to promote, no such
    /// source. Nothing changed.
    Refused(String),
    /// The request failed on its way or at the server: it may or may not have happened
    /// (look at the tool before asking again; it is never sent twice on its own).
    Failed(String),
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::NotSupported { source, verb } => {
                write!(f, "not supported by this source: {source} cannot {verb}")
            }
            ActionError::Refused(reason) => write!(f, "refused: {reason}"),
            ActionError::Failed(reason) => write!(
                f,
                "failed: {reason} (it may have happened: check before asking again)"
            ),
        }
    }
}

/// How an action went: what was done, or why not.
pub type ActionResult = Result<String, ActionError>;

/// Where an action stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionState {
    /// Sent to its source; no answer yet.
    Pending,
    /// Done: what the source did.
    Done(String),
    Failed(ActionError),
}

/// One action the model knows of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub source: SourceId,
    pub action: SourceAction,
    pub asked_at: DateTime<Utc>,
    pub state: ActionState,
}

/// The actions asked for in this run: every pending one, and the latest finished ones.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actions {
    next: u64,
    records: BTreeMap<ActionId, ActionRecord>,
}

/// Finished actions kept for the operator to look back on.
const FINISHED_KEPT: usize = 50;

impl Actions {
    /// Records `action` for `source` as pending and gives it a new id.
    pub fn ask(&mut self, source: SourceId, action: SourceAction, at: DateTime<Utc>) -> ActionId {
        self.next = self.next.saturating_add(1);
        let id = ActionId(self.next);
        self.records.insert(
            id,
            ActionRecord {
                source,
                action,
                asked_at: at,
                state: ActionState::Pending,
            },
        );
        id
    }

    /// Records how action `id` went; `None` when no pending action has that id (an answer
    /// to nothing asked, or a second answer), which changes nothing.
    pub fn finish(&mut self, id: ActionId, result: ActionResult) -> Option<&ActionRecord> {
        let record = self.records.get_mut(&id)?;
        if record.state != ActionState::Pending {
            return None;
        }
        record.state = match result {
            Ok(done) => ActionState::Done(done),
            Err(error) => ActionState::Failed(error),
        };
        self.forget_old();
        self.records.get(&id)
    }

    pub fn get(&self, id: ActionId) -> Option<&ActionRecord> {
        self.records.get(&id)
    }

    /// The actions still waiting for their source, oldest first.
    pub fn pending(&self) -> impl Iterator<Item = (ActionId, &ActionRecord)> {
        (self.records.iter())
            .filter(|(_, r)| r.state == ActionState::Pending)
            .map(|(id, r)| (*id, r))
    }

    /// Drops the oldest finished actions past [`FINISHED_KEPT`]; pending ones stay.
    fn forget_old(&mut self) {
        let finished: Vec<ActionId> = (self.records.iter())
            .filter(|(_, r)| r.state != ActionState::Pending)
            .map(|(id, _)| *id)
            .collect();
        let extra = finished.len().saturating_sub(FINISHED_KEPT);
        for id in finished.into_iter().take(extra) {
            self.records.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn promote() -> SourceAction {
        SourceAction::Promote {
            service: "checkout".into(),
            environment: "production".into(),
            version: None,
        }
    }

    #[test]
    fn an_action_is_pending_until_its_one_answer_and_later_answers_change_nothing() {
        let mut actions = Actions::default();
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let a = actions.ask("demo".into(), promote(), at);
        let b = actions.ask("demo".into(), promote(), at);
        assert_ne!(a, b);
        assert_eq!(actions.pending().count(), 2);
        let done = actions.finish(a, Ok("queued demo-9".into())).unwrap();
        assert_eq!(done.state, ActionState::Done("queued demo-9".into()));
        assert!(
            actions
                .finish(a, Err(ActionError::Failed("x".into())))
                .is_none()
        );
        assert!(actions.finish(ActionId(99), Ok(String::new())).is_none());
        assert_eq!(actions.pending().map(|(id, _)| id).collect::<Vec<_>>(), [b]);
        assert_eq!(promote().describe(), "promote checkout in production");
    }

    #[test]
    fn only_the_latest_finished_actions_are_kept_and_pending_ones_never_go() {
        let mut actions = Actions::default();
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let waiting = actions.ask("demo".into(), promote(), at);
        for _ in 0..(FINISHED_KEPT + 10) {
            let id = actions.ask("demo".into(), promote(), at);
            actions.finish(id, Ok(String::new()));
        }
        assert_eq!(actions.records.len(), FINISHED_KEPT + 1);
        assert_eq!(actions.get(waiting).unwrap().state, ActionState::Pending);
    }
}
