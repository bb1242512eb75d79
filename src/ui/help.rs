//! The help: every key and what it does, built from the live key map so rebinding shows here.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::{Ctx, layout};
use crate::action::Action;
use crate::theme::Role;

/// The help's lines: one per action with its keys.
pub fn lines(ctx: &Ctx) -> Vec<Line<'static>> {
    let keymap = &ctx.model.keymap;
    let mut lines = Vec::with_capacity(Action::ALL.len() + 6);
    for action in Action::ALL {
        let usable = !ctx.model.mode.wall || action.allowed_on_wall();
        let key_style = if usable {
            ctx.theme.style(Role::KeyHint).add_modifier(Modifier::BOLD)
        } else {
            ctx.theme.style(Role::Muted)
        };
        let mut text = action.description().to_string();
        if !usable {
            text.push_str(" (not on a wall display)");
        }
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<18}", keymap.label(action)), key_style),
            Span::styled(
                text,
                ctx.theme
                    .style(if usable { Role::Text } else { Role::Muted }),
            ),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled(
            format!(" {:<18}", "ctrl-c"),
            ctx.theme.style(Role::KeyHint).add_modifier(Modifier::BOLD),
        ),
        Span::styled("quit, always", ctx.theme.style(Role::Text)),
    ]));
    lines.push(Line::raw(""));
    let g = ctx.theme.glyphs;
    lines.push(Line::from(Span::styled(
        " Marks",
        ctx.theme.style(Role::Title).add_modifier(Modifier::BOLD),
    )));
    lines.push(Line::styled(
        format!(
            " {} succeeded  {} failed  {} in progress  {} queued  {} rolled back  {} cancelled",
            g.succeeded, g.failed, g.in_progress, g.queued, g.rolled_back, g.cancelled
        ),
        ctx.theme.style(Role::Text),
    ));
    lines.push(Line::styled(
        format!(
            " {} improved  {} healthy  {} ailing  {} unhealthy  {} pending  {} no data",
            g.improved, g.healthy, g.ailing, g.unhealthy, g.pending, g.no_data
        ),
        ctx.theme.style(Role::Text),
    ));
    lines.push(Line::styled(
        format!(
            " {} locked  {}? locks unknown  {}N commits behind  {} stale data  ! protected",
            g.lock, g.lock, g.drift, g.stale
        ),
        ctx.theme.style(Role::Text),
    ));
    lines
}

/// Draws the help over `area`; returns how far it can scroll.
pub fn render(ctx: &Ctx, area: Rect, buf: &mut Buffer) -> u16 {
    let lines = lines(ctx);
    let rect = layout::centered(area, 78, lines.len() as u16 + 2);
    super::render_overlay(ctx, "Help — esc or ? to close", lines, rect, buf)
}
