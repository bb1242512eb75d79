//! The locks panel: every lock in force, with scope, reason, who, since and when it lifts.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::widgets::columns;
use super::{Ctx, format, list_panel};
use crate::state::Panel;
use crate::theme::Role;

/// Draws the list inside `inner`.
pub fn render(ctx: &Ctx, inner: Rect, buf: &mut Buffer) {
    let locks = &ctx.model.board.locks;
    let theme = ctx.theme;
    let shape = (locks.len(), ctx.ui.locks_selected);
    let empty = "no locks: every environment is open";
    list_panel(
        ctx,
        Panel::Locks,
        inner,
        buf,
        shape,
        empty,
        |buf, i, y, row_style| {
            let lock = &locks[i];
            let scope = lock.scope.label();
            let lifts = format::lifts(lock.until, ctx.model.now);
            let who = if lock.by == lock.origin.label() {
                lock.by.clone()
            } else {
                format!("{} ({})", lock.by, lock.origin.label())
            };
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
        },
    );
}
