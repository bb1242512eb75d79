//! The header: the title, what is happening in one line, and the clock. On a wall display,
//! a large summary: deploys in flight, locked environments, unhealthy (and inconclusive)
//! deploys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::widgets::{Block, Borders, Widget};
use unicode_width::UnicodeWidthStr;

use super::Ctx;
use super::widgets::put;
use crate::model::Verdict;
use crate::present::format;
use crate::present::words::plural;
use crate::theme::Role;

/// The counts the header shows. While cells are unknown, a count of what is known is only a
/// lower bound, and says so ("≥3"); with every cell unknown it is "?".
struct Summary {
    in_flight: usize,
    unhealthy: usize,
    /// Cells whose newest deploy's impact cannot be told: never counted as healthy.
    inconclusive: usize,
    /// Every lock in force, by scope label, environment locks first.
    locks: Vec<String>,
    breaches: usize,
    /// Unknown cells, of the cells a source tracks.
    unknown: usize,
    tracked: usize,
    /// The sources that fail now.
    failing: Vec<String>,
}

impl Summary {
    /// A count as the header can vouch for it.
    fn count(&self, n: usize, g: &crate::theme::Glyphs) -> String {
        match (self.unknown, self.tracked) {
            (0, _) => n.to_string(),
            (u, t) if u >= t => "?".to_string(),
            _ => format!("{}{n}", g.at_least),
        }
    }
}

fn summary(ctx: &Ctx) -> Summary {
    let board = &ctx.model.board;
    let (unknown, tracked) = board.unknown_cells();
    Summary {
        in_flight: board.in_flight.len(),
        unhealthy: board.unhealthy_count(),
        inconclusive: (board.rows.iter())
            .flat_map(|r| &r.cells)
            .filter(|c| (c.impact.as_ref()).is_some_and(|i| i.verdict == Verdict::Inconclusive))
            .count(),
        locks: board.locks.iter().map(|l| l.scope.label()).collect(),
        breaches: board.breaches.len(),
        unknown,
        tracked,
        failing: (ctx.model.sources.iter())
            .filter(|s| s.error.is_some())
            .map(|s| s.name.clone())
            .collect(),
    }
}

/// The header's parts, most urgent first: what is unknown, breaches, deploys in flight,
/// locks, unhealthy deploys, and inconclusive ones when there are any.
/// `short`: the narrow form, without the lists of names.
fn parts(ctx: &Ctx, s: &Summary, short: bool) -> Vec<(String, Role)> {
    let g = ctx.theme.glyphs;
    let board = &ctx.model.board;
    let mut parts = Vec::new();
    if s.unknown > 0 || !s.failing.is_empty() {
        let failing = match s.failing.as_slice() {
            [] => String::new(),
            [one] => format!(": {one} failing"),
            many => format!(": {} sources failing", many.len()),
        };
        let cells = if s.unknown > 0 {
            format!("{} of {} cells unknown", s.unknown, s.tracked)
        } else {
            "data stale".to_string()
        };
        let text = if short {
            format!("{} {} unknown", g.unknown, s.unknown)
        } else {
            format!("{} {cells}{failing}", g.unknown)
        };
        parts.push((text, Role::Unknown));
    }
    if s.breaches > 0 {
        let text = plural(s.breaches, "lock breach", "lock breaches");
        parts.push((format!("{} {text}", g.breach), Role::Breach));
    }
    parts.push((
        format!("{} {} in flight", g.in_progress, s.count(s.in_flight, g)),
        if s.in_flight > 0 {
            Role::InProgress
        } else {
            Role::Muted
        },
    ));
    parts.push(if let Some(why) = &board.locks_unknown {
        (format!("{} LOCKS UNKNOWN: {why}", g.lock), Role::Error)
    } else if s.locks.is_empty() {
        ("no locks".to_string(), Role::Muted)
    } else {
        let text = plural(s.locks.len(), "lock", "locks");
        let text = if short {
            format!("{} {text}", g.lock)
        } else {
            format!("{} {text}: {}", g.lock, s.locks.join(", "))
        };
        (text, Role::Locked)
    });
    parts.push((
        format!("{} {} unhealthy", g.unhealthy, s.count(s.unhealthy, g)),
        if s.unhealthy > 0 {
            Role::Unhealthy
        } else {
            Role::Muted
        },
    ));
    if s.inconclusive > 0 {
        parts.push((
            format!(
                "{} {} inconclusive",
                g.inconclusive,
                s.count(s.inconclusive, g)
            ),
            Role::Warning,
        ));
    }
    parts
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
    // The long form when it fits beside the title and the clock, else the short one.
    let long = parts(ctx, &s, false);
    let width: usize = long.iter().map(|(t, _)| t.width() + 3).sum();
    let room = usize::from(area.width).saturating_sub("shiproom ".len() + clock.width() + 1);
    let parts = if width <= room {
        long
    } else {
        parts(ctx, &s, true)
    };

    if ctx.model.settings.mode.wall && area.height >= 6 {
        return render_wall(ctx, &s, &clock, area, buf);
    }
    let (line, y) = if ctx.model.settings.mode.wall && area.height >= 3 {
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
        let style = if ctx.model.settings.mode.wall {
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

/// The wall display's header: large counts of deploys in flight and unhealthy deploys (and of
/// unknown cells, lock breaches and inconclusive deploys when there are any), every lock by scope, and a large
/// clock, readable across a room.
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
    let vouched = |n: usize| match s.count(n, g) {
        text if text.starts_with(g.at_least) => (n.to_string(), " (AT LEAST)"),
        text => (text, ""),
    };
    let mut counts = Vec::new();
    if s.unknown > 0 {
        counts.push((
            "? UNKNOWN".to_string(),
            s.unknown.to_string(),
            Role::Unknown,
        ));
    }
    if s.breaches > 0 {
        let label = format!("{} BREACHES", g.breach);
        counts.push((label, s.breaches.to_string(), Role::Breach));
    }
    for (label, n, role) in [
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
    ] {
        let (digits, note) = vouched(n);
        let role = if n > 0 { role } else { Role::Muted };
        counts.push((format!("{label}{note}"), digits, role));
    }
    if s.inconclusive > 0 {
        let (digits, note) = vouched(s.inconclusive);
        let label = format!("{} INCONCLUSIVE{note}", g.inconclusive);
        counts.push((label, digits, Role::Warning));
    }
    for (label, count, role) in counts {
        let digits = super::big::big(&count);
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
    // Every lock by scope, one per line.
    let big_clock = super::big::big(clock);
    let clock_w = big_clock[0].width() as u16;
    let locked_w = right.saturating_sub(x + clock_w + 2);
    let rows = inner.height.saturating_sub(1) as usize;
    if let Some(why) = &ctx.model.board.locks_unknown {
        let title = format!("{} LOCKS UNKNOWN", g.lock);
        put(buf, x, y, locked_w, &title, bold(Role::Error));
        put(buf, x, y + 1, locked_w, why, theme.style(Role::Error));
    } else if s.locks.is_empty() {
        let title = format!("{} LOCKS", g.lock);
        put(buf, x, y, locked_w, &title, bold(Role::Muted));
        put(buf, x, y + 1, locked_w, "none", theme.style(Role::Muted));
    } else {
        let title = format!("{} {}", g.lock, plural(s.locks.len(), "LOCK", "LOCKS"));
        put(buf, x, y, locked_w, &title, bold(Role::Locked));
        let shown = if s.locks.len() > rows {
            rows.saturating_sub(1)
        } else {
            rows
        };
        for (i, scope) in s.locks.iter().take(shown).enumerate() {
            put(
                buf,
                x,
                y + 1 + i as u16,
                locked_w,
                scope,
                bold(Role::Locked),
            );
        }
        if s.locks.len() > shown {
            let more = format!("+{} more", s.locks.len() - shown);
            put(
                buf,
                x,
                y + 1 + shown as u16,
                locked_w,
                &more,
                bold(Role::Locked),
            );
        }
    }
    if right > x + clock_w + 1 {
        put(buf, right - 6, y, 5, "TIME", theme.style(Role::Muted));
        for (row, text) in big_clock.iter().enumerate().take(rows) {
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
