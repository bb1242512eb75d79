//! The locks panel: every lock in force, with scope, reason, who, since and when it lifts.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::widgets::columns;
use super::{Ctx, format, list_window, selection_style};
use crate::state::Panel;
use crate::theme::Role;

/// Draws the list inside `inner`.
pub fn render(ctx: &Ctx, inner: Rect, buf: &mut Buffer) {
    let locks = &ctx.model.board.locks;
    let theme = ctx.theme;
    if locks.is_empty() {
        columns(
            buf,
            inner,
            inner.y,
            &[(
                "no locks: every environment is open",
                0,
                theme.style(Role::Muted),
            )],
            None,
        );
        return;
    }
    let (first, rows) = list_window(ctx.ui.locks_selected, locks.len(), inner.height);
    for (i, lock) in locks.iter().enumerate().skip(first).take(rows) {
        let y = inner.y + (i - first) as u16;
        let scope = lock.scope.label();
        let lifts = format::lifts(lock.until, ctx.model.now);
        let who = if lock.by == lock.origin.label() {
            lock.by.clone()
        } else {
            format!("{} ({})", lock.by, lock.origin.label())
        };
        let row_style = selection_style(ctx, Panel::Locks, i == ctx.ui.locks_selected);
        columns(
            buf,
            inner,
            y,
            &[
                (theme.glyphs.lock, 2, theme.style(Role::Locked)),
                (&scope, 18, theme.style(Role::Locked)),
                (&lifts, 15, theme.style(Role::Warning)),
                (&who, 15, theme.style(Role::Muted)),
                (&lock.reason, 0, theme.style(Role::Text)),
            ],
            row_style,
        );
    }
}
