//! The header: the title, what is happening in one line, and the clock. On a wall display,
//! a large summary: deploys in flight, locked environments, unhealthy deploys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::widgets::{Block, Borders, Widget};
use unicode_width::UnicodeWidthStr;

use super::widgets::put;
use super::{Ctx, format};
use crate::theme::Role;

/// The counts the header shows.
struct Summary {
    in_flight: usize,
    locked: Vec<String>,
    unhealthy: usize,
}

fn summary(ctx: &Ctx) -> Summary {
    let board = &ctx.model.board;
    Summary {
        in_flight: board.in_flight.len(),
        locked: board
            .locked_environments()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        unhealthy: board.unhealthy_count(),
    }
}

/// Draws the header in `area`: one line, or a boxed summary on a wall display.
pub fn render(ctx: &Ctx, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let theme = ctx.theme;
    let g = theme.glyphs;
    let s = summary(ctx);
    let clock = format::clock(ctx.model.now, ctx.offset);
    let locked = if let Some(why) = &ctx.model.board.locks_unknown {
        format!("{} LOCKS UNKNOWN: {why}", g.lock)
    } else if s.locked.is_empty() {
        "no environment locked".to_string()
    } else {
        format!("{} locked: {}", g.lock, s.locked.join(", "))
    };
    let parts = [
        (
            format!("{} {} in flight", g.in_progress, s.in_flight),
            if s.in_flight > 0 {
                Role::InProgress
            } else {
                Role::Muted
            },
        ),
        (
            locked,
            if ctx.model.board.locks_unknown.is_some() {
                Role::Error
            } else if s.locked.is_empty() {
                Role::Muted
            } else {
                Role::Locked
            },
        ),
        (
            format!("{} {} unhealthy", g.unhealthy, s.unhealthy),
            if s.unhealthy > 0 {
                Role::Unhealthy
            } else {
                Role::Muted
            },
        ),
    ];

    let (line, y) = if ctx.model.mode.wall && area.height >= 3 {
        let block = Block::default()
            .borders(Borders::TOP | Borders::BOTTOM)
            .border_style(theme.style(Role::Border));
        let inner = block.inner(area);
        block.render(area, buf);
        (inner, inner.y)
    } else {
        (area, area.y)
    };
    let mut x = line.x;
    let right = line.right();
    let bold = |r: Role| theme.style(r).add_modifier(Modifier::BOLD);
    x += put(buf, x, y, right - x, "shiproom ", bold(Role::Title));
    for (text, role) in &parts {
        if x >= right {
            break;
        }
        x += put(
            buf,
            x,
            y,
            right - x,
            &format!(" {} ", g.separator),
            theme.style(Role::Muted),
        );
        let style = if ctx.model.mode.wall {
            bold(*role)
        } else {
            theme.style(*role)
        };
        x += put(buf, x, y, right.saturating_sub(x), text, style);
    }
    let cw = clock.width() as u16;
    if right > x + cw {
        put(buf, right - cw, y, cw, &clock, bold(Role::Text));
    }
}
