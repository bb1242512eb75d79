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

    if ctx.model.mode.wall && area.height >= 6 {
        return render_wall(ctx, &s, &clock, area, buf);
    }
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

/// The wall display's header: large counts of deploys in flight and unhealthy deploys, the
/// locked environments by name, and a large clock, readable across a room.
fn render_wall(ctx: &Ctx, s: &Summary, clock: &str, area: Rect, buf: &mut Buffer) {
    let theme = ctx.theme;
    let g = theme.glyphs;
    let block = Block::default()
        .borders(Borders::TOP | Borders::BOTTOM)
        .border_style(theme.style(Role::Border));
    let inner = block.inner(area);
    block.render(area, buf);
    let bold = |r: Role| theme.style(r).add_modifier(Modifier::BOLD);
    let (y, right) = (inner.y, inner.right());
    let mut x = inner.x + 1;
    let counts = [
        (
            format!("{} IN FLIGHT", g.in_progress),
            s.in_flight,
            Role::InProgress,
        ),
        (
            format!("{} UNHEALTHY", g.unhealthy),
            s.unhealthy,
            Role::Unhealthy,
        ),
    ];
    for (label, count, role) in counts {
        let role = if count > 0 { role } else { Role::Muted };
        let digits = super::big::big(&count.to_string());
        let width = (label.width().max(digits[0].width()) + 4) as u16;
        if x + width >= right {
            break;
        }
        put(buf, x, y, width, &label, bold(role));
        for (row, text) in digits
            .iter()
            .enumerate()
            .take(inner.height.saturating_sub(1) as usize)
        {
            put(buf, x, y + 1 + row as u16, width, text, bold(role));
        }
        x += width;
    }
    // Locked environments by name, one per line.
    let big_clock = super::big::big(clock);
    let clock_w = big_clock[0].width() as u16;
    let locked_w = right.saturating_sub(x + clock_w + 2);
    if let Some(why) = &ctx.model.board.locks_unknown {
        put(
            buf,
            x,
            y,
            locked_w,
            &format!("{} LOCKS UNKNOWN", g.lock),
            bold(Role::Error),
        );
        put(buf, x, y + 1, locked_w, why, theme.style(Role::Error));
    } else if s.locked.is_empty() {
        put(
            buf,
            x,
            y,
            locked_w,
            &format!("{} LOCKED", g.lock),
            bold(Role::Muted),
        );
        put(
            buf,
            x,
            y + 1,
            locked_w,
            "no environment",
            theme.style(Role::Muted),
        );
    } else {
        put(
            buf,
            x,
            y,
            locked_w,
            &format!("{} LOCKED", g.lock),
            bold(Role::Locked),
        );
        for (i, env) in s
            .locked
            .iter()
            .take(inner.height.saturating_sub(1) as usize)
            .enumerate()
        {
            put(buf, x, y + 1 + i as u16, locked_w, env, bold(Role::Locked));
        }
    }
    if right > x + clock_w + 1 {
        put(buf, right - 6, y, 5, "TIME", theme.style(Role::Muted));
        for (row, text) in big_clock
            .iter()
            .enumerate()
            .take(inner.height.saturating_sub(1) as usize)
        {
            put(
                buf,
                right - clock_w - 1,
                y + 1 + row as u16,
                clock_w,
                text,
                bold(Role::Text),
            );
        }
    }
}
