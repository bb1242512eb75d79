//! Locking from the board: the lock dialog, the unlock confirmation, refusals, and what the
//! lock store reports. Pure: the store is reached through effects.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Outcome, notice, notice_error};
use crate::action::Action;
use crate::config::Span;
use crate::locks::{AuditEntry, StoreError, limits};
use crate::model::{Lock, LockOrigin, LockScope};
use crate::msg::Effect;
use crate::present::format;
use crate::present::rows::visible_services;
use crate::state::{LockField, LockForm, Model, Overlay, Panel, Ui, UnlockForm};

/// Says no to `action` and records the refusal in the audit log. A board read-only by its
/// configuration says so rather than naming the flag.
pub(super) fn refuse(model: &Model, ui: &mut Ui, action: Action, why: &str) -> Outcome {
    let why = match &model.settings.guard.read_only {
        Some(cause) if model.settings.mode.read_only && !model.settings.mode.wall => cause.as_str(),
        _ => why,
    };
    notice_error(model, ui, format!("{}: {why}", action.name()));
    let (scope, _) = selected_scope(model, ui).unwrap_or_default();
    Outcome {
        redraw: true,
        effects: vec![Effect::AuditRefused(AuditEntry {
            time: model.now,
            who: model.settings.identity.clone(),
            action: action.name().to_string(),
            scope,
            reason: String::new(),
            result: format!("refused: {why}"),
        })],
    }
}

/// The environment and service the operator points at: the board's cell, the selected
/// deploy, or the selected lock. Returned as (scope label, (environment, service)).
fn selected_scope(model: &Model, ui: &Ui) -> Option<(String, (String, Option<String>))> {
    let board = &model.board;
    let (env, service) = match ui.focus {
        Panel::Board => {
            let row = *visible_services(board, ui).get(ui.row)?;
            let env = board.environments.get(ui.column)?.name.clone();
            (env, Some(board.rows[row].service.name.clone()))
        }
        Panel::InFlight | Panel::Recent => super::navigate::selected_deploy(model, ui)
            .map(|d| (d.environment.clone(), Some(d.service.clone())))?,
        Panel::Locks => super::navigate::selected_lock(model, ui).map(|l| {
            (
                l.scope.environment().to_string(),
                l.scope.service().map(str::to_string),
            )
        })?,
    };
    let label = match &service {
        Some(s) => format!("{s}@{env}"),
        None => env.clone(),
    };
    Some((label, (env, service)))
}

/// The refusal for an environment the configuration makes view-only, if `environment` is one.
fn view_only(model: &Model, ui: &mut Ui, action: Action, environment: &str) -> Option<Outcome> {
    let why = model.settings.guard.refusal(&LockScope::Environment {
        environment: environment.to_string(),
    })?;
    Some(refuse(model, ui, action, &why))
}

/// `L`: opens the lock dialog on what is selected (not on a view-only environment).
pub(super) fn open_lock_dialog(model: &Model, ui: &mut Ui) -> Outcome {
    let Some((_, (environment, service))) = selected_scope(model, ui) else {
        notice(
            model,
            ui,
            "select a cell, a deploy or a lock to lock its environment",
        );
        return Outcome::redraw();
    };
    if let Some(refused) = view_only(model, ui, Action::Lock, &environment) {
        return refused;
    }
    let whole_environment = service.is_none();
    ui.overlay = Some(Overlay::Lock(LockForm {
        environment,
        service,
        whole_environment,
        ..LockForm::default()
    }));
    Outcome::redraw()
}

/// The manual lock `U` would lift where the operator points, or why there is none.
fn lock_to_lift(model: &Model, ui: &Ui) -> Result<Lock, String> {
    let candidates: Vec<&Lock> = match ui.focus {
        Panel::Locks => super::navigate::selected_lock(model, ui)
            .into_iter()
            .collect(),
        _ => {
            let Some((_, (env, service))) = selected_scope(model, ui) else {
                return Err("select a cell or a lock first".into());
            };
            let service = service.unwrap_or_default();
            let mut on_cell: Vec<&Lock> = model
                .board
                .locks
                .iter()
                .filter(|l| l.scope.covers(&service, &env))
                .collect();
            // A lock on the one service before the whole environment's.
            on_cell.sort_by_key(|l| l.scope.service().is_none());
            on_cell
        }
    };
    // Only locks from the lock store can be lifted here; a source's own locks (a provider's
    // window, the demo's simulated operators) lift where they were taken.
    let in_store = |l: &Lock| model.manual_locks.locks.contains(l);
    if let Some(manual) = candidates.iter().find(|l| in_store(l)) {
        return Ok((*manual).clone());
    }
    match candidates.first() {
        Some(other) if other.origin == LockOrigin::Manual => Err(format!(
            "{} is locked by {} (\"{}\") in a source, not in shiproom's lock store: it lifts there, {}",
            other.scope.label(),
            other.by,
            other.reason,
            format::lifts(other.until, model.now)
        )),
        Some(other) => Err(format!(
            "{} is locked by {} ({}), which cannot be lifted here: {}",
            other.scope.label(),
            other.origin.label(),
            other.reason,
            format::lifts(other.until, model.now)
        )),
        None => Err("nothing to unlock here: no lock in force".into()),
    }
}

/// `U`: asks before lifting the manual lock where the operator points (not on a view-only
/// environment).
pub(super) fn open_unlock(model: &Model, ui: &mut Ui) -> Outcome {
    if let Some((_, (environment, _))) = selected_scope(model, ui)
        && let Some(refused) = view_only(model, ui, Action::Unlock, &environment)
    {
        return refused;
    }
    match lock_to_lift(model, ui) {
        Ok(lock) => {
            let force = lock.by != model.settings.identity;
            let protected = model
                .catalog
                .environments
                .iter()
                .any(|e| e.name == lock.scope.environment() && e.protected);
            ui.overlay = Some(Overlay::Unlock(UnlockForm {
                lock,
                force,
                confirm_by_typing: protected || force,
                typed: String::new(),
                error: None,
            }));
        }
        Err(why) => notice(model, ui, why),
    }
    Outcome::redraw()
}

/// Keys while the lock dialog is open: text goes into the focused field.
pub(super) fn on_lock_form_key(model: &Model, ui: &mut Ui, key: KeyEvent) -> Outcome {
    let Some(Overlay::Lock(form)) = &mut ui.overlay else {
        return Outcome::default();
    };
    let next = |f: LockField, forward: bool| match (f, forward) {
        (LockField::Scope, true) | (LockField::Duration, false) => LockField::Reason,
        (LockField::Reason, true) => LockField::Duration,
        (LockField::Reason, false) | (LockField::Duration, true) => LockField::Scope,
        (LockField::Scope, false) => LockField::Duration,
    };
    match key.code {
        KeyCode::Esc => {
            ui.overlay = None;
            return Outcome::redraw();
        }
        KeyCode::Tab | KeyCode::Down => form.field = next(form.field, true),
        KeyCode::BackTab | KeyCode::Up => form.field = next(form.field, false),
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if form.field == LockField::Scope => {
            if form.service.is_some() {
                form.whole_environment = !form.whole_environment;
            }
        }
        KeyCode::Backspace => {
            match form.field {
                LockField::Reason => form.reason.pop(),
                LockField::Duration => form.duration.pop(),
                LockField::Scope => None,
            };
        }
        KeyCode::Enter => return confirm_lock(model, ui),
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => match form.field {
            LockField::Reason => form.reason.push(c),
            LockField::Duration => form.duration.push(c),
            LockField::Scope => return Outcome::default(),
        },
        _ => return Outcome::default(),
    }
    form.error = None;
    Outcome::redraw()
}

fn confirm_lock(model: &Model, ui: &mut Ui) -> Outcome {
    let Some(Overlay::Lock(form)) = &mut ui.overlay else {
        return Outcome::default();
    };
    let reason = match limits::reason(&form.reason) {
        Ok(reason) => reason,
        Err(e) => {
            form.error = Some(e);
            form.field = LockField::Reason;
            return Outcome::redraw();
        }
    };
    let until = match form.duration.trim() {
        "" => None,
        text => match text
            .parse::<Span>()
            .and_then(|span| limits::until_after(model.now, span))
        {
            Ok(until) => Some(until),
            Err(e) => {
                form.error = Some(e);
                form.field = LockField::Duration;
                return Outcome::redraw();
            }
        },
    };
    let scope = match (&form.service, form.whole_environment) {
        (Some(service), false) => LockScope::Service {
            environment: form.environment.clone(),
            service: service.clone(),
        },
        _ => LockScope::Environment {
            environment: form.environment.clone(),
        },
    };
    let lock = Lock {
        scope,
        reason,
        by: model.settings.identity.clone(),
        origin: LockOrigin::Manual,
        since: model.now,
        until,
    };
    let label = lock.scope.label();
    ui.overlay = None;
    notice(model, ui, format!("locking {label}…"));
    Outcome {
        redraw: true,
        effects: vec![Effect::AcquireLock(lock)],
    }
}

/// Keys while the unlock confirmation is open.
pub(super) fn on_unlock_form_key(model: &Model, ui: &mut Ui, key: KeyEvent) -> Outcome {
    let Some(Overlay::Unlock(form)) = &mut ui.overlay else {
        return Outcome::default();
    };
    match key.code {
        KeyCode::Esc => {
            ui.overlay = None;
            return Outcome::redraw();
        }
        KeyCode::Backspace => {
            form.typed.pop();
        }
        KeyCode::Enter => {
            let expected = form.lock.scope.environment();
            if form.confirm_by_typing && form.typed.trim() != expected {
                form.error = Some(format!(
                    "type `{expected}` to confirm, or esc to keep the lock"
                ));
                return Outcome::redraw();
            }
            let (scope, force) = (form.lock.scope.clone(), form.force);
            let label = scope.label();
            ui.overlay = None;
            notice(model, ui, format!("unlocking {label}…"));
            return Outcome {
                redraw: true,
                effects: vec![Effect::ReleaseLock { scope, force }],
            };
        }
        KeyCode::Char(c)
            if form.confirm_by_typing && !key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            form.typed.push(c);
        }
        _ => return Outcome::default(),
    }
    form.error = None;
    Outcome::redraw()
}

/// What the lock store said: its manual locks (or why it could not say) and the history.
pub(super) fn on_locks_report(
    model: &mut Model,
    result: Result<Vec<Lock>, StoreError>,
    history: Vec<crate::locks::AuditEntry>,
    at: chrono::DateTime<chrono::Utc>,
) -> bool {
    let before = model.manual_locks.clone();
    let state = &mut model.manual_locks;
    match result {
        Ok(locks) => {
            state.locks = locks;
            state.last_success = Some(at);
            state.error = None;
        }
        Err(e) => {
            tracing::warn!(error = %e, "lock store read failed");
            state.error = Some(e.reason);
        }
    }
    state.history = history;
    (&before.locks, &before.error, &before.history) != (&state.locks, &state.error, &state.history)
}
