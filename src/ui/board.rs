//! The board panel: one row per service, one column per environment, each cell the version
//! running there with its status, age, impact, lock and drift.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

use super::Ctx;
use super::widgets::{draw_block, panel, put};
use crate::model::Environment;
use crate::present::rows::RowItem;
use crate::present::{format, words};
use crate::state::Panel;
use crate::theme::Role;

/// Widest the service-name column gets.
const NAME_MAX: u16 = 22;

/// Draws the board in `area`: `services` are the rows that pass the filter, in order, and
/// `items` the lines they make (with team headings); only the lines in view are drawn.
pub fn render(ctx: &Ctx, services: &[usize], items: &[RowItem], area: Rect, buf: &mut Buffer) {
    let board = &ctx.model.board;
    let ui = ctx.ui;
    let title = board_title(ctx, services.len());
    let inner = draw_block(
        panel(&title, ui.focus == Panel::Board, ctx.theme),
        area,
        buf,
    );
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let envs = board.environments.len().max(1) as u16;
    let longest = board
        .rows
        .iter()
        .map(|r| r.service.name.width())
        .max()
        .unwrap_or(7)
        .max(7) as u16;
    let name_w = (longest + 2).min(NAME_MAX).min(inner.width / 4).max(4);
    let cell_w = (inner.width - name_w) / envs;
    // The columns' remainder widens the names, so the grid reaches the right border.
    let name_w = inner.width - cell_w * envs;

    // Column headings.
    let heading = ctx.theme.style(Role::Header);
    put(buf, inner.x, inner.y, name_w, "SERVICE", heading);
    for (i, env) in board.environments.iter().enumerate() {
        let x = inner.x + name_w + i as u16 * cell_w;
        environment_heading(ctx, env, x, inner.y, cell_w, buf);
    }

    let body = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    if items.is_empty() {
        let text = if ui.filter.is_empty() {
            "no services configured".to_string()
        } else {
            format!("no service matches “{}” (esc clears the filter)", ui.filter)
        };
        put(
            buf,
            body.x + 1,
            body.y,
            body.width.saturating_sub(1),
            &text,
            ctx.theme.style(Role::Muted),
        );
        return;
    }
    // A wall display has no cursor.
    let selected_service = services
        .get(ui.row)
        .copied()
        .filter(|_| !ctx.model.settings.mode.wall);
    let scroll = ui.scroll.min(items.len().saturating_sub(1));
    for (line, item) in items
        .iter()
        .skip(scroll)
        .take(body.height as usize)
        .enumerate()
    {
        let y = body.y + line as u16;
        match item {
            RowItem::Team(team) => {
                let count = services
                    .iter()
                    .filter(|&&s| board.rows[s].service.team == *team)
                    .count();
                let text = format!("▸ {team} ({count})");
                put(
                    buf,
                    body.x,
                    y,
                    body.width,
                    &text,
                    ctx.theme.style(Role::Accent).add_modifier(Modifier::BOLD),
                );
            }
            RowItem::Service(index) => {
                let row = &board.rows[*index];
                let is_selected = selected_service == Some(*index);
                let name_style = if is_selected {
                    ctx.theme.style(Role::Text).add_modifier(Modifier::BOLD)
                } else {
                    ctx.theme.style(Role::Text)
                };
                let marker = if is_selected { "›" } else { " " };
                put(buf, body.x, y, 1, marker, ctx.theme.style(Role::Accent));
                put(
                    buf,
                    body.x + 1,
                    y,
                    name_w - 1,
                    &row.service.name,
                    name_style,
                );
                for (col, cell) in row.cells.iter().enumerate() {
                    let x = body.x + name_w + col as u16 * cell_w;
                    let cursor = is_selected && col == ui.column;
                    super::cell::render(
                        ctx,
                        cell,
                        Rect::new(x, y, cell_w.saturating_sub(1), 1),
                        cursor,
                        buf,
                    );
                }
            }
        }
    }
    // A scroll hint when rows are cut off.
    let hidden_below = items.len().saturating_sub(scroll + body.height as usize);
    let mut hint_x = area.right().saturating_sub(1);
    if body.height > 0 && (scroll > 0 || hidden_below > 0) {
        let text = format!(
            " {}–{} of {} ",
            scroll + 1,
            (scroll + body.height as usize).min(items.len()),
            items.len()
        );
        hint_x = area.right().saturating_sub(text.width() as u16 + 2);
        put(
            buf,
            hint_x,
            area.bottom() - 1,
            text.width() as u16,
            &text,
            ctx.theme.style(Role::Muted),
        );
    }
    // What the selected cell's marks mean, without opening it: its lock, breach, staleness.
    let selected = selected_service.map(|s| (&board.rows[s], ui.column));
    if let Some((row, column)) = selected
        && let (Some(cell), Some(env)) = (row.cells.get(column), board.environments.get(column))
        && let Some((text, role)) =
            cell_strip(ctx, cell, &format!("{}@{}", row.service.name, env.name))
    {
        let x = area.x + 2;
        let width = hint_x.saturating_sub(x + 1);
        put(
            buf,
            x,
            area.bottom() - 1,
            width,
            &text,
            ctx.theme.style(role),
        );
    }
}

/// One line about the selected cell's most urgent mark: a breach, an unknown or stale state,
/// the effective lock with its reason, holder and when it lifts.
fn cell_strip(ctx: &Ctx, cell: &crate::model::Cell, scope: &str) -> Option<(String, Role)> {
    let g = ctx.theme.glyphs;
    let now = ctx.model.now;
    if let Some(lock) = &cell.breach {
        return Some((
            format!(
                " {} {scope}: deploy started while locked by {} — {} ",
                g.breach, lock.by, lock.reason
            ),
            Role::Breach,
        ));
    }
    match &cell.freshness {
        crate::model::Freshness::Unknown { reason } => {
            return Some((
                format!(" {} {scope} unknown: {reason} ", g.unknown),
                Role::Unknown,
            ));
        }
        crate::model::Freshness::Stale { as_of, reason } => {
            let age = as_of.map_or("?".to_string(), |t| {
                let step = ctx.model.settings.age_step_secs();
                format::age(format::since(now, t), step)
            });
            return Some((
                format!(" {} {scope} as of {age} ago: {reason} ", g.stale),
                Role::Stale,
            ));
        }
        _ => {}
    }
    if let Some(reason) = &cell.impact_trouble {
        let what = if cell.impact.is_some() {
            "impact: the last verdict, not refreshed"
        } else {
            "impact unknown"
        };
        return Some((
            format!(" {} {scope} {what}: {reason} ", g.stale),
            Role::Stale,
        ));
    }
    if let Some(why) = &ctx.model.board.locks_unknown {
        return Some((
            format!(" {}? {scope}: locks unknown: {why} ", g.lock),
            Role::Error,
        ));
    }
    let lock = cell.locks.first()?;
    let more = match cell.locks.len() {
        1 => String::new(),
        n => format!(" (+{} more)", n - 1),
    };
    Some((
        format!(
            " {} {}: {} — {}, {}{more} ",
            g.lock,
            lock.scope.label(),
            lock.reason,
            words::holder(lock),
            format::lifts_at(lock.until, now, ctx.offset)
        ),
        Role::Locked,
    ))
}

fn board_title(ctx: &Ctx, shown: usize) -> String {
    let ui = ctx.ui;
    let services = if shown == 1 { "service" } else { "services" };
    let mut title = format!(" Board · {shown} {services} · sort: {}", ui.sort.label());
    if ui.group_by_team {
        title.push_str(" · by team");
    }
    if ui.filter_editing {
        title.push_str(&format!(" · filter: {}▏", ui.filter));
    } else if !ui.filter.is_empty() {
        title.push_str(&format!(" · filter: {}", ui.filter));
    }
    title.push(' ');
    title
}

fn environment_heading(ctx: &Ctx, env: &Environment, x: u16, y: u16, width: u16, buf: &mut Buffer) {
    let glyphs = ctx.theme.glyphs;
    let locked = ctx
        .model
        .board
        .environment_locks(&env.name)
        .next()
        .is_some();
    let role = if env.protected {
        Role::Production
    } else if env.ephemeral {
        Role::Ephemeral
    } else {
        Role::Header
    };
    let mut used = put(
        buf,
        x,
        y,
        width.saturating_sub(1),
        &env.name.to_uppercase(),
        ctx.theme.style(role),
    );
    if locked && used + 2 < width {
        used += put(
            buf,
            x + used,
            y,
            2,
            &format!(" {}", glyphs.lock),
            ctx.theme.style(Role::Locked),
        );
    }
    if env.protected && used + 2 < width {
        put(buf, x + used, y, 2, " !", ctx.theme.style(Role::Production));
    }
}
