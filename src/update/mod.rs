//! The pure state transition: a message in, the state changed, effects out. No I/O here.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

mod locks;
mod selection;

use crate::action::Action;
use crate::msg::{Effect, Msg};
use crate::state::{DetailTarget, Model, Overlay, Panel, Ui};
use crate::ui::layout;
use crate::ui::rows::{RowItem, row_items, visible_services};

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
        Msg::SourceReport { index, at, result } => {
            model.now = model.now.max(at);
            let Some(source) = model.sources.get_mut(index) else {
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
            // The same data from a source in the same health changes nothing on the board.
            if !snapshot_changed && !health_changed {
                return Outcome::default();
            }
            let board_changed = rebuild(model, ui);
            Outcome {
                redraw: board_changed || health_changed,
                effects: breach_audits(model),
            }
        }
        Msg::SourceStats { index, stats } => match model.sources.get_mut(index) {
            // Only the status bar shows it: redraw when it changed.
            Some(source) if source.stats != Some(stats) => {
                source.stats = Some(stats);
                Outcome::redraw()
            }
            _ => Outcome::default(),
        },
        Msg::SourceNextPoll { index, at, paced } => match model.sources.get_mut(index) {
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
        },
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
                effects: breach_audits(model),
            }
        }
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
        Msg::Shutdown => Outcome::effect(Effect::Quit),
    }
}

fn on_tick(model: &mut Model, ui: &mut Ui, now: DateTime<Utc>) -> Outcome {
    model.now = model.now.max(now);
    if ui.notice.as_ref().is_some_and(|(_, until)| *until <= now) {
        ui.notice = None;
    }
    if model.mode.wall {
        let rotate = model.wall_rotate.0.as_secs().max(1) as i64;
        ui.wall_page = (now.timestamp().div_euclid(rotate) % 3) as usize;
    }
    rebuild(model, ui);
    // Ages shown on screen move with the clock; the terminal diff writes nothing when no
    // character changed, so drawing here costs a render and no output.
    Outcome {
        redraw: true,
        effects: breach_audits(model),
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

/// One audit entry for each lock breach the board has newly found.
fn breach_audits(model: &mut Model) -> Vec<Effect> {
    std::mem::take(&mut model.unaudited_breaches)
        .into_iter()
        .map(|b| {
            let d = &b.deployment;
            Effect::AuditBreach(crate::locks::AuditEntry {
                time: d.started_at,
                who: d.author.clone(),
                action: crate::locks::audit::BREACH.to_string(),
                scope: crate::model::LockScope::Service {
                    environment: d.environment.clone(),
                    service: d.service.clone(),
                }
                .label(),
                reason: format!(
                    "{} ({}) started while locked: {} by {} ({}): {}",
                    crate::state::breach_tag(&b.key()),
                    d.version,
                    b.lock.scope.label(),
                    b.lock.by,
                    b.lock.origin.label(),
                    b.lock.reason
                ),
                result: "breach".to_string(),
            })
        })
        .collect()
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
    let Some(action) = model.keymap.action_for(&key) else {
        return Outcome::default();
    };
    if model.mode.wall && !action.allowed_on_wall() {
        let quit = model.keymap.label(Action::Quit);
        let why = format!("wall display is read-only: only {quit} (quit) works");
        if action.changes_the_world() {
            return locks::refuse(model, ui, action, &why);
        }
        notice(model, ui, why);
        return Outcome::redraw();
    }
    if model.mode.read_only && action.changes_the_world() {
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
        Some(Overlay::Help) => match action {
            Action::Help | Action::Back => close_overlay(ui),
            Action::Quit => Outcome::effect(Effect::Quit),
            _ => Outcome::default(),
        },
        Some(Overlay::Lock(_) | Overlay::Unlock(_)) => Outcome::default(),
        Some(Overlay::Detail(_)) => match action {
            Action::Back => close_overlay(ui),
            Action::Help => {
                ui.overlay = Some(Overlay::Help);
                ui.overlay_scroll = 0;
                Outcome::redraw()
            }
            Action::Quit => Outcome::effect(Effect::Quit),
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
            if ui.filter.is_empty() {
                return Outcome::default();
            }
            ui.filter.clear();
        }
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
        Action::Refresh => {
            notice(model, ui, "polling every source now");
            return Outcome {
                redraw: true,
                effects: vec![Effect::RefreshSources, Effect::RefreshLocks],
            };
        }
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

/// How many entries the focused list has.
fn list_len(model: &Model, ui: &Ui, panel: Panel) -> usize {
    match panel {
        Panel::Board => visible_services(&model.board, ui).len(),
        Panel::InFlight => model.board.in_flight.len(),
        Panel::Recent => model.board.recent.len(),
        Panel::Locks if ui.lock_history => model.manual_locks.history.len(),
        Panel::Locks => model.board.locks.len(),
    }
}

fn selection_mut(ui: &mut Ui, panel: Panel) -> &mut usize {
    match panel {
        Panel::Board => &mut ui.row,
        Panel::InFlight => &mut ui.in_flight_selected,
        Panel::Recent => &mut ui.recent_selected,
        Panel::Locks => &mut ui.locks_selected,
    }
}

fn move_selection(model: &Model, ui: &mut Ui, by: isize) {
    let len = list_len(model, ui, ui.focus);
    let selected = selection_mut(ui, ui.focus);
    let last = len.saturating_sub(1) as isize;
    *selected = (*selected as isize).saturating_add(by).clamp(0, last) as usize;
}

/// Keeps every selection inside its list after the board changed.
fn clamp_selections(model: &Model, ui: &mut Ui) {
    for panel in Panel::ALL {
        let last = list_len(model, ui, panel).saturating_sub(1);
        let selected = selection_mut(ui, panel);
        *selected = (*selected).min(last);
    }
    ui.column = ui
        .column
        .min(model.board.environments.len().saturating_sub(1));
}

/// How many rows of the board show at once.
fn board_page(model: &Model, ui: &Ui) -> usize {
    let services = visible_services(&model.board, ui);
    let rows = row_items(&model.board, &services, ui).len();
    layout::board_body_height(ui.width, ui.height, model.mode.wall, rows).max(1)
}

/// Scrolls the board so the selected row is in view.
fn follow_cursor(model: &Model, ui: &mut Ui) {
    let services = visible_services(&model.board, ui);
    let items = row_items(&model.board, &services, ui);
    let body = layout::board_body_height(ui.width, ui.height, model.mode.wall, items.len()).max(1);
    let cursor = services
        .get(ui.row)
        .and_then(|s| items.iter().position(|i| *i == RowItem::Service(*s)))
        .unwrap_or(0);
    // Show the team heading above the first row of a group too.
    let top = if cursor > 0 && matches!(items[cursor - 1], RowItem::Team(_)) {
        cursor - 1
    } else {
        cursor
    };
    if top < ui.scroll {
        ui.scroll = top;
    } else if cursor >= ui.scroll + body {
        ui.scroll = cursor + 1 - body;
    }
    ui.scroll = ui.scroll.min(items.len().saturating_sub(body));
}

/// What `open` shows for the focused panel's selection.
fn selected_target(model: &Model, ui: &Ui) -> Option<DetailTarget> {
    let board = &model.board;
    match ui.focus {
        Panel::Board => {
            let services = visible_services(board, ui);
            let row = &board.rows[*services.get(ui.row)?];
            let env = board.environments.get(ui.column)?;
            Some(DetailTarget::Cell {
                service: row.service.name.clone(),
                environment: env.name.clone(),
            })
        }
        Panel::InFlight => {
            board
                .in_flight
                .get(ui.in_flight_selected)
                .map(|d| DetailTarget::Deploy {
                    source: d.source.clone(),
                    id: d.id.clone(),
                })
        }
        Panel::Recent => board
            .recent
            .get(ui.recent_selected)
            .map(|(d, _)| DetailTarget::Deploy {
                source: d.source.clone(),
                id: d.id.clone(),
            }),
        Panel::Locks if ui.lock_history => None,
        Panel::Locks => board
            .locks
            .get(ui.locks_selected)
            .map(|l| DetailTarget::Lock {
                scope: l.scope.label(),
            }),
    }
}
