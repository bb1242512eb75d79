//! The locks panel: every lock in force, with scope, when it lifts, who, since when and why;
//! or the audit history of locking.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use unicode_width::UnicodeWidthStr;

use super::widgets::columns;
use super::{Ctx, list_panel};
use crate::present::rows::visible_entries;
use crate::present::{format, words};
use crate::state::Panel;
use crate::theme::Role;

/// Draws the list inside `inner`: the locks in force, or the audit history.
pub fn render(ctx: &Ctx, inner: Rect, buf: &mut Buffer) {
    if ctx.ui.lock_history {
        return render_history(ctx, inner, buf);
    }
    let board = &ctx.model.board;
    let shown = visible_entries(board, &ctx.model.manual_locks.history, ctx.ui, Panel::Locks);
    let locks: Vec<&crate::model::Lock> = shown.iter().map(|&i| &board.locks[i]).collect();
    let theme = ctx.theme;
    let shape = (locks.len(), ctx.ui.locks_selected);
    let empty = match &board.locks_unknown {
        Some(why) => format!("locks unknown: {why}"),
        None if ctx.ui.filter.is_empty() => "no locks: every environment is open".to_string(),
        None => "no lock matches the filter".to_string(),
    };
    let step = ctx.model.settings.age_step_secs();
    let rows: Vec<[String; 4]> = locks
        .iter()
        .map(|lock| {
            let who = words::holder(lock);
            [
                lock.scope.label(),
                format::lifts_at(lock.until, ctx.model.now, ctx.offset),
                who,
                format::age(format::since(ctx.model.now, lock.since), step),
            ]
        })
        .collect();
    // Columns as wide as what they hold (up to a cap): the rest goes to the reason.
    let width = |i: usize, cap: u16| {
        let widest = rows.iter().map(|r| r[i].width()).max().unwrap_or(0);
        (widest as u16 + 2).min(cap)
    };
    let mut widths = [width(0, 24), width(1, 26), width(2, 24), width(3, 6)];
    // The reason is what an operator reads first: when the longest would get less than
    // this, the age goes, then the holder (the board's edge and the detail still give both).
    const REASON_AT_LEAST: usize = 32;
    let longest = locks.iter().map(|l| l.reason.width()).max().unwrap_or(0);
    let wanted = longest.min(REASON_AT_LEAST) as u16;
    let fixed = |w: &[u16; 4]| 2 + w.iter().sum::<u16>();
    for drop in [3, 2] {
        if inner.width.saturating_sub(fixed(&widths)) < wanted {
            widths[drop] = 0;
        }
    }
    list_panel(
        ctx,
        Panel::Locks,
        inner,
        buf,
        shape,
        &empty,
        |buf, i, y, row_style| {
            let [scope, lifts, who, since] = &rows[i];
            columns(
                buf,
                inner,
                y,
                &[
                    (theme.glyphs.lock, 2, theme.style(Role::Locked)),
                    (scope, widths[0], theme.style(Role::Locked)),
                    (lifts, widths[1], theme.style(Role::Warning)),
                    (who, widths[2], theme.style(Role::Muted)),
                    (since, widths[3], theme.style(Role::Muted)),
                    (&locks[i].reason, 0, theme.style(Role::Text)),
                ],
                row_style,
            );
        },
    );
}

/// The newest audit entries: who locked, unlocked or was refused what, and why.
fn render_history(ctx: &Ctx, inner: Rect, buf: &mut Buffer) {
    let all = &ctx.model.manual_locks.history;
    let shown = visible_entries(&ctx.model.board, all, ctx.ui, Panel::Locks);
    let history: Vec<&crate::locks::AuditEntry> = shown.iter().map(|&i| &all[i]).collect();
    let theme = ctx.theme;
    let step = ctx.model.settings.age_step_secs();
    let shape = (history.len(), ctx.ui.locks_selected);
    let empty = "no lock history yet";
    list_panel(
        ctx,
        Panel::Locks,
        inner,
        buf,
        shape,
        empty,
        |buf, i, y, row_style| {
            let e = history[i];
            let age = format!(
                "{} ago",
                format::age(format::since(ctx.model.now, e.time), step)
            );
            let ok = e.result == "ok";
            let result_role = if ok { Role::Ok } else { Role::Error };
            let detail = if e.reason.is_empty() {
                e.result.clone()
            } else {
                format!("{} — {}", e.result, e.reason)
            };
            columns(
                buf,
                inner,
                y,
                &[
                    (&age, 9, theme.style(Role::Muted)),
                    (&e.who, 10, theme.style(Role::Text)),
                    (&e.action, 9, theme.style(Role::Accent)),
                    (&e.scope, 18, theme.style(Role::Locked)),
                    (&detail, 0, theme.style(result_role)),
                ],
                row_style,
            );
        },
    );
}
