//! The pure state transition: a message in, the state changed, effects out. No I/O here.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub mod actions;
mod follow_up;
mod locks;
mod navigate;
pub mod pointers;
mod selection;

use crate::action::Action;
use crate::model::{SourceId, source_mut};
use crate::msg::{Effect, Msg};
use crate::present::format;
use crate::present::words::plural;
use crate::state::{Model, Overlay, Panel, Ui};
use navigate::{board_page, clamp_selections, follow_cursor, move_selection, selected_target};

/// What one message did: whether the screen must be drawn again, and what to do outside.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub redraw: bool,
    pub effects: Vec<Effect>,
}

impl Outcome {
    fn redraw() -> Outcome {
        Outcome {
            redraw: true,
            effects: vec![],
        }
    }

    fn effect(effect: Effect) -> Outcome {
        Outcome {
            redraw: true,
            effects: vec![effect],
        }
    }
}

/// How long a notice stays in the status bar.
const NOTICE_FOR: Duration = Duration::seconds(6);

/// Applies one message to the state.
pub fn update(model: &mut Model, ui: &mut Ui, msg: Msg) -> Outcome {
    match msg {
        Msg::Key(key) => on_key(model, ui, key),
        Msg::Resize(width, height) => {
            ui.width = width;
            ui.height = height;
            follow_cursor(model, ui);
            Outcome::redraw()
        }
        Msg::Tick(now) => on_tick(model, ui, now),
        Msg::SourceReport {
            source: id,
            at,
            result,
        } => {
            model.now = model.now.max(at);
            let Some(source) = source_mut(&mut model.sources, &id) else {
                return Outcome::default();
            };
            let before = (source.health(at), source.last_success);
            let snapshot_changed = match result {
                Ok(snapshot) => {
                    let changed = source.snapshot.as_ref() != Some(&snapshot);
                    if changed {
                        source.snapshot = Some(snapshot);
                    }
                    source.last_success = Some(at);
                    source.error = None;
                    changed
                }
                Err(error) => {
                    tracing::warn!(source = %source.name, %error, "poll failed");
                    source.error = Some(error);
                    false
                }
            };
            let health_changed = before.0 != source.health(at) || before.1.is_none();
            let was_pending = ui.refresh_pending.contains(&id);
            note_refreshed(model, ui, &id);
            // The same data from a source in the same health changes nothing on the board.
            if !snapshot_changed && !health_changed {
                return Outcome {
                    redraw: was_pending,
                    effects: vec![],
                };
            }
            let board_changed = rebuild(model, ui);
            Outcome {
                redraw: board_changed || health_changed,
                effects: follow_up::effects(model),
            }
        }
        Msg::SourceStats { source, stats } => match source_mut(&mut model.sources, &source) {
            // Only the status bar shows it: redraw when it changed.
            Some(source) if source.stats != Some(stats) => {
                source.stats = Some(stats);
                Outcome::redraw()
            }
            _ => Outcome::default(),
        },
        Msg::SourceNextPoll { source, at, paced } => {
            match source_mut(&mut model.sources, &source) {
                Some(source) => {
                    let shown = source.error.is_some() || paced || source.paced;
                    source.next_poll = Some(at);
                    source.paced = paced;
                    // Only a failing or paced source shows when it polls next.
                    Outcome {
                        redraw: shown,
                        effects: vec![],
                    }
                }
                None => Outcome::default(),
            }
        }
        Msg::LocksReport {
            at,
            result,
            history,
        } => {
            model.now = model.now.max(at);
            let changed = locks::on_locks_report(model, result, history, at) && {
                rebuild(model, ui);
                true
            };
            Outcome {
                redraw: changed,
                effects: follow_up::effects(model),
            }
        }
        Msg::ActionDone { id, source, result } => actions::on_done(model, ui, id, source, result),
        Msg::LockActionDone { message, ok } => {
            if ok {
                notice(model, ui, message);
            } else {
                notice_error(model, ui, message);
            }
            Outcome::effect(Effect::RefreshLocks)
        }
        Msg::Drawn(drawn) => {
            ui.overlay_max_scroll = drawn.overlay_max_scroll;
            ui.overlay_scroll = ui.overlay_scroll.min(drawn.overlay_max_scroll);
            Outcome::default()
        }
        Msg::Notice { text, ok } => {
            if ok {
                notice(model, ui, text);
            } else {
                notice_error(model, ui, text);
            }
            Outcome::redraw()
        }
        Msg::Shutdown => Outcome::effect(Effect::Quit),
    }
}

fn on_tick(model: &mut Model, ui: &mut Ui, now: DateTime<Utc>) -> Outcome {
    model.now = model.now.max(now);
    if ui.notice.as_ref().is_some_and(|(_, until)| *until <= now) {
        ui.notice = None;
    }
    rebuild(model, ui);
    if model.settings.mode.wall {
        let rotate = model.settings.wall_rotate.0.as_secs().max(1) as i64;
        let turn = now.timestamp().div_euclid(rotate).max(0) as usize;
        ui.wall_page = turn % 3;
        navigate::page_the_wall(model, ui, turn);
    }
    // Ages shown on screen move with the clock; the terminal diff writes nothing when no
    // character changed, so drawing here costs a render and no output.
    Outcome {
        redraw: true,
        effects: follow_up::effects(model),
    }
}

/// `r`: asks every source to poll now, says which cannot (waiting for their API's rate limit
/// or quota), and remembers which to wait for, so the end of the poll can be told.
fn refresh(model: &Model, ui: &mut Ui) -> Outcome {
    let now = model.now;
    let (paced, polled): (Vec<&crate::model::SourceState>, Vec<_>) =
        (model.sources.iter()).partition(|s| s.paced && s.next_poll.is_some_and(|next| next > now));
    ui.refresh_pending = polled.iter().map(|s| s.id.clone()).collect();
    let waiting: Vec<String> = paced
        .iter()
        .map(|s| {
            let left = s.next_poll.map_or(chrono::Duration::zero(), |n| n - now);
            format!(
                "{} waits for its API's rate limit (next poll in {})",
                s.name,
                format::span(left)
            )
        })
        .collect();
    let text = match (polled.len(), waiting.is_empty()) {
        (0, _) => format!("cannot poll now: {}", waiting.join("; ")),
        (n, true) => format!("polling {} now", plural(n, "source", "sources")),
        (n, false) => format!(
            "polling {} now; {}",
            plural(n, "source", "sources"),
            waiting.join("; ")
        ),
    };
    notice(model, ui, text);
    Outcome {
        redraw: true,
        effects: vec![Effect::RefreshSources, Effect::RefreshLocks],
    }
}

/// After `r`, a source's report: once every source asked has answered, says how it went.
fn note_refreshed(model: &Model, ui: &mut Ui, source: &SourceId) {
    let before = ui.refresh_pending.len();
    ui.refresh_pending.retain(|id| id != source);
    if before == 0 || !ui.refresh_pending.is_empty() {
        return;
    }
    let failing: Vec<String> = (model.sources.iter())
        .filter_map(|s| s.error.as_ref().map(|e| format!("{}: {e}", s.name)))
        .collect();
    if failing.is_empty() {
        notice(model, ui, "poll finished: every source answered");
    } else {
        notice_error(
            model,
            ui,
            format!("poll finished; failing: {}", failing.join("; ")),
        );
    }
}

/// Rebuilds the board, keeping every selection on its item; says whether the board changed.
fn rebuild(model: &mut Model, ui: &mut Ui) -> bool {
    let was = selection::remember(model, ui);
    let changed = model.rebuild(model.now);
    if changed {
        selection::restore(model, ui, &was);
        clamp_selections(model, ui);
        follow_cursor(model, ui);
    }
    changed
}

fn notice(model: &Model, ui: &mut Ui, text: impl Into<String>) {
    ui.notice = Some((text.into(), model.now + NOTICE_FOR));
    ui.notice_error = false;
}

/// A notice that says something went wrong or was refused; it stays a little longer.
fn notice_error(model: &Model, ui: &mut Ui, text: impl Into<String>) {
    ui.notice = Some((text.into(), model.now + NOTICE_FOR * 2));
    ui.notice_error = true;
}

fn on_key(model: &mut Model, ui: &mut Ui, key: KeyEvent) -> Outcome {
    if key.kind == KeyEventKind::Release {
        return Outcome::default();
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return Outcome::effect(Effect::Quit);
    }
    if ui.filter_editing {
        return on_filter_key(model, ui, key);
    }
    match &ui.overlay {
        Some(Overlay::Lock(_)) => return locks::on_lock_form_key(model, ui, key),
        Some(Overlay::Unlock(_)) => return locks::on_unlock_form_key(model, ui, key),
        _ => {}
    }
    let Some(action) = model.settings.keymap.action_for(&key) else {
        return Outcome::default();
    };
    if model.settings.mode.wall && !action.allowed_on_wall() {
        let quit = model.settings.keymap.label(Action::Quit);
        let why = format!("wall display is read-only: only {quit} (quit) works");
        if action.changes_the_world() {
            return locks::refuse(model, ui, action, &why);
        }
        notice(model, ui, why);
        return Outcome::redraw();
    }
    if model.settings.mode.read_only && action.changes_the_world() {
        return locks::refuse(
            model,
            ui,
            action,
            "read-only mode (started with --read-only)",
        );
    }
    if ui.overlay.is_some()
        && let Some(outcome) = scroll_overlay(ui, action)
    {
        return outcome;
    }
    match &ui.overlay {
        // `q` closes an overlay, as in k9s and lazygit; ctrl-c still quits from anywhere.
        Some(Overlay::Help) => match action {
            Action::Help | Action::Back | Action::Quit => close_overlay(ui),
            _ => Outcome::default(),
        },
        Some(Overlay::Lock(_) | Overlay::Unlock(_)) => Outcome::default(),
        Some(Overlay::Detail(_)) => match action {
            Action::Back | Action::Quit => close_overlay(ui),
            Action::Help => {
                ui.overlay = Some(Overlay::Help);
                ui.overlay_scroll = 0;
                Outcome::redraw()
            }
            _ => Outcome::default(),
        },
        None => {
            let outcome = on_action(model, ui, action);
            if ui.overlay.is_some() {
                ui.overlay_scroll = 0;
            }
            outcome
        }
    }
}

/// Up, down and paging scroll the help or detail; the view clamps to its length.
fn scroll_overlay(ui: &mut Ui, action: Action) -> Option<Outcome> {
    let page = ui.height.saturating_sub(4).max(1);
    let max = ui.overlay_max_scroll;
    let scroll = &mut ui.overlay_scroll;
    *scroll = match action {
        Action::Up => scroll.saturating_sub(1),
        Action::Down => scroll.saturating_add(1).min(max),
        Action::PageUp => scroll.saturating_sub(page),
        Action::PageDown => scroll.saturating_add(page).min(max),
        Action::Top => 0,
        Action::Bottom => max,
        _ => return None,
    };
    Some(Outcome::redraw())
}

fn close_overlay(ui: &mut Ui) -> Outcome {
    ui.overlay = None;
    Outcome::redraw()
}

fn on_filter_key(model: &Model, ui: &mut Ui, key: KeyEvent) -> Outcome {
    match key.code {
        KeyCode::Esc => {
            ui.filter.clear();
            ui.filter_editing = false;
        }
        KeyCode::Enter => ui.filter_editing = false,
        KeyCode::Backspace => {
            ui.filter.pop();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => ui.filter.push(c),
        _ => return Outcome::default(),
    }
    ui.row = 0;
    ui.scroll = 0;
    follow_cursor(model, ui);
    Outcome::redraw()
}

fn on_action(model: &mut Model, ui: &mut Ui, action: Action) -> Outcome {
    let page = board_page(model, ui) as isize;
    match action {
        Action::Quit => return Outcome::effect(Effect::Quit),
        Action::Help => ui.overlay = Some(Overlay::Help),
        Action::Back => {
            if !ui.filter.is_empty() {
                ui.filter.clear();
            } else if ui.focus != Panel::Board {
                ui.focus = Panel::Board;
            } else {
                return Outcome::default();
            }
        }
        Action::FocusBoard => ui.focus = Panel::Board,
        Action::FocusInFlight => ui.focus = Panel::InFlight,
        Action::FocusRecent => ui.focus = Panel::Recent,
        Action::FocusLocks => ui.focus = Panel::Locks,
        Action::NextAttention | Action::PrevAttention => {
            let forward = action == Action::NextAttention;
            if !pointers::jump_to_attention(model, ui, forward) {
                notice(model, ui, "no cell needs attention");
            }
        }
        Action::OpenUrl => match pointers::url_of_selection(model, ui) {
            Some(url) => return Outcome::effect(Effect::OpenUrl(url)),
            None => notice(model, ui, "no page to open: the selection has no link"),
        },
        Action::Copy => match pointers::copy_of_selection(model, ui) {
            Some(text) => {
                notice(model, ui, format!("copied {text}"));
                return Outcome::effect(Effect::Copy(text));
            }
            None => notice(model, ui, "nothing to copy: select a cell or a deploy"),
        },
        Action::Up => move_selection(model, ui, -1),
        Action::Down => move_selection(model, ui, 1),
        Action::PageUp => move_selection(model, ui, -page),
        Action::PageDown => move_selection(model, ui, page),
        Action::Top => move_selection(model, ui, isize::MIN / 2),
        Action::Bottom => move_selection(model, ui, isize::MAX / 2),
        Action::Left if ui.focus == Panel::Board => ui.column = ui.column.saturating_sub(1),
        Action::Right if ui.focus == Panel::Board => {
            let last = model.board.environments.len().saturating_sub(1);
            ui.column = (ui.column + 1).min(last);
        }
        Action::Left | Action::Right => return Outcome::default(),
        Action::NextPanel => ui.focus = ui.focus.next(),
        Action::PrevPanel => ui.focus = ui.focus.prev(),
        Action::Open => match selected_target(model, ui) {
            Some(target) => ui.overlay = Some(Overlay::Detail(target)),
            None => return Outcome::default(),
        },
        Action::Filter => ui.filter_editing = true,
        Action::Sort => {
            let was = selection::remember(model, ui);
            ui.sort = ui.sort.next();
            selection::restore(model, ui, &was);
            notice(model, ui, format!("sorted by {}", ui.sort.label()));
        }
        Action::Group => {
            let was = selection::remember(model, ui);
            ui.group_by_team = !ui.group_by_team;
            selection::restore(model, ui, &was);
            let state = if ui.group_by_team { "on" } else { "off" };
            notice(model, ui, format!("grouping by team {state}"));
        }
        Action::Refresh => return refresh(model, ui),
        Action::Lock => return locks::open_lock_dialog(model, ui),
        Action::Unlock => return locks::open_unlock(model, ui),
        Action::LockHistory => {
            ui.lock_history = !ui.lock_history;
            ui.focus = Panel::Locks;
        }
    }
    follow_cursor(model, ui);
    Outcome::redraw()
}
