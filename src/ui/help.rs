//! The help: every key and what it does, built from the live key map so rebinding shows here.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::Ctx;
use crate::action::{Action, HelpGroup};
use crate::present::layout;
use crate::theme::Role;

/// Why an action is refused in this mode, if it is.
fn refused(ctx: &Ctx, action: Action) -> Option<&'static str> {
    let mode = ctx.model.settings.mode;
    if mode.wall && !action.allowed_on_wall() {
        Some("refused on a wall display")
    } else if mode.read_only && action.changes_the_world() {
        Some("refused: read-only")
    } else {
        None
    }
}

/// The help's lines: the actions in sections (navigation, board, locks, global), each with
/// its keys from the live key map, refused ones marked; then what the marks mean.
pub fn lines(ctx: &Ctx) -> Vec<Line<'static>> {
    let keymap = &ctx.model.settings.keymap;
    let theme = ctx.theme;
    let heading = |text: &str| {
        Line::from(Span::styled(
            format!(" {text}"),
            theme.style(Role::Title).add_modifier(Modifier::BOLD),
        ))
    };
    let key_line = |keys: String, text: String, usable: bool| {
        let (key_role, text_role) = if usable {
            (Role::KeyHint, Role::Text)
        } else {
            (Role::Muted, Role::Muted)
        };
        Line::from(vec![
            Span::styled(
                format!("   {keys:<16} "),
                theme.style(key_role).add_modifier(Modifier::BOLD),
            ),
            Span::styled(text, theme.style(text_role)),
        ])
    };
    let mut lines = Vec::with_capacity(Action::ALL.len() + 16);
    for group in HelpGroup::ALL {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(heading(group.title()));
        for action in Action::ALL.into_iter().filter(|a| a.help_group() == group) {
            let mut text = action.description().to_string();
            let why = refused(ctx, action);
            if let Some(why) = why {
                text.push_str(&format!(" ({why})"));
            }
            lines.push(key_line(keymap.label(action), text, why.is_none()));
        }
        if group == HelpGroup::Global {
            lines.push(key_line("ctrl-c".into(), "quit, always".into(), true));
        }
    }
    lines.push(Line::raw(""));
    lines.push(heading("Marks"));
    let g = theme.glyphs;
    for text in [
        format!(
            "{} succeeded  {} failed  {} in progress  {} queued  {} rolled back  {} cancelled",
            g.succeeded, g.failed, g.in_progress, g.queued, g.rolled_back, g.cancelled
        ),
        format!(
            "impact: {} improved  {} healthy  {} ailing  {} unhealthy  {} inconclusive  {} pending  \
             {} no data",
            g.improved, g.healthy, g.ailing, g.unhealthy, g.inconclusive, g.pending, g.no_data
        ),
        format!(
            "{} locked  {}? locks unknown  {} lock breach  {}N commits behind  {} protected",
            g.lock, g.lock, g.breach, g.drift, g.protected
        ),
        format!(
            "{} stale: last known data  {} unknown: nothing read  none: nothing deployed  \
             n/a: not tracked",
            g.stale, g.unknown
        ),
        format!(
            "v1.4 {}v1.5: v1.5 failed, v1.4 runs   v1.4 {} v1.5 45%: v1.5 on its way",
            g.failed, g.heading_to
        ),
    ] {
        lines.push(Line::styled(format!("   {text}"), theme.style(Role::Text)));
    }
    lines
}

/// Draws the help over `area`; returns how far it can scroll.
pub fn render(ctx: &Ctx, area: Rect, buf: &mut Buffer) -> u16 {
    let lines = lines(ctx);
    let rect = layout::centered(area, 78, lines.len() as u16 + 2);
    super::render_overlay(ctx, "Help — esc, ? or q to close", lines, rect, buf)
}
