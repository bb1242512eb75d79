//! The view: a pure function of the state, the theme and the time. One file per panel.

pub mod ascii;
pub mod big;
pub mod board;
pub mod cell;
pub mod chart;
pub mod detail;
pub mod header;
pub mod help;
pub mod in_flight;
pub mod lock_dialog;
pub mod locks;
pub mod recent;
pub mod status_bar;
pub mod widgets;
pub mod wrap;

use chrono::FixedOffset;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::present::{layout, rows};
use crate::state::{Drawn, Model, Overlay, Panel, Ui};
use crate::theme::{Role, Theme};
use widgets::{draw_block, panel};

/// Everything a panel needs to draw itself.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub ui: &'a Ui,
    pub theme: &'a Theme,
    /// The operator's time zone offset for clock times.
    pub offset: FixedOffset,
}

/// Draws one frame.
pub fn view(frame: &mut Frame, ctx: &Ctx) -> Drawn {
    let area = frame.area();
    render(ctx, area, frame.buffer_mut())
}

/// Draws the whole screen into `buf` (also used by `shiproom snapshot` and the benchmarks).
pub fn render(ctx: &Ctx, area: Rect, buf: &mut Buffer) -> Drawn {
    buf.set_style(area, ctx.theme.style(Role::Text));
    // The visible rows are filtered and sorted once per frame: for the layout and the board.
    let services = rows::visible_services(&ctx.model.board, ctx.ui);
    let items = rows::row_items(&ctx.model.board, &services, ctx.ui);
    let areas = layout::areas(area, ctx.model.settings.mode.wall, items.len());
    header::render(ctx, areas.header, buf);
    board::render(ctx, &services, &items, areas.board, buf);
    render_panels(ctx, areas.panels, areas.side_by_side, buf);
    status_bar::render(ctx, areas.status, buf);
    // Overlays cover everything but the status bar, which keeps its hints.
    let above_status = Rect::new(
        area.x,
        area.y,
        area.width,
        area.height - areas.status.height,
    );
    let overlay_max_scroll = match &ctx.ui.overlay {
        Some(Overlay::Help) => help::render(ctx, above_status, buf),
        Some(Overlay::Detail(target)) => detail::render(ctx, target, above_status, buf),
        Some(Overlay::Lock(form)) => lock_dialog::render_lock(ctx, form, above_status, buf),
        Some(Overlay::Unlock(form)) => lock_dialog::render_unlock(ctx, form, above_status, buf),
        None => 0,
    };
    if ctx.theme.glyphs.is_ascii() {
        ascii::to_ascii(buf);
    }
    Drawn { overlay_max_scroll }
}

/// Draws `lines` in a bordered overlay, scrolled by the UI's overlay scroll; returns how far
/// it can scroll. The title says when there is more below.
fn render_overlay(
    ctx: &Ctx,
    title: &str,
    lines: Vec<Line<'static>>,
    rect: Rect,
    buf: &mut Buffer,
) -> u16 {
    use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};
    Clear.render(rect, buf);
    let inner_width = rect.width.saturating_sub(2);
    let inner_height = rect.height.saturating_sub(2);
    let paragraph = Paragraph::new(wrap::wrap_hanging(lines, inner_width))
        .wrap(Wrap { trim: false })
        .style(ctx.theme.style(Role::Text));
    let total = u16::try_from(paragraph.line_count(inner_width)).unwrap_or(u16::MAX);
    let max_scroll = total.saturating_sub(inner_height);
    let scroll = ctx.ui.overlay_scroll.min(max_scroll);
    let more = if scroll < max_scroll {
        " — ↓ more"
    } else {
        ""
    };
    let title = format!(" {title}{more} ");
    let inner = draw_block(panel(&title, true, ctx.theme), rect, buf);
    paragraph.scroll((scroll, 0)).render(inner, buf);
    max_scroll
}

/// The panels below the board: side by side, or the focused one (the rotating one on a wall).
fn render_panels(ctx: &Ctx, area: Rect, side_by_side: bool, buf: &mut Buffer) {
    if area.height < 3 {
        return;
    }
    const LISTS: [Panel; 3] = [Panel::InFlight, Panel::Recent, Panel::Locks];
    if side_by_side && !ctx.model.settings.mode.wall {
        for (panel_kind, rect) in LISTS.into_iter().zip(layout::three_columns(area)) {
            let title = format!(" {} ", panel_title(ctx, panel_kind));
            let inner = draw_block(
                panel(&title, ctx.ui.focus == panel_kind, ctx.theme),
                rect,
                buf,
            );
            render_list(ctx, panel_kind, inner, buf);
        }
        return;
    }
    let shown = if ctx.model.settings.mode.wall {
        LISTS[ctx.ui.wall_page % LISTS.len()]
    } else if ctx.ui.focus == Panel::Board {
        Panel::InFlight
    } else {
        ctx.ui.focus
    };
    // With the board focused, deploys in flight take the lines they need and the recent
    // deploys the rest, rather than one list stretched over empty lines.
    if shown == Panel::InFlight && !ctx.model.settings.mode.wall {
        let flying = rows::visible_entries(
            &ctx.model.board,
            &ctx.model.manual_locks.history,
            ctx.ui,
            Panel::InFlight,
        )
        .len();
        let wanted = (flying.max(1) as u16).saturating_add(2).max(3);
        if area.height >= wanted + 5 {
            let (top, below) = (
                Rect::new(area.x, area.y, area.width, wanted),
                Rect::new(area.x, area.y + wanted, area.width, area.height - wanted),
            );
            for (panel_kind, rect) in [(Panel::InFlight, top), (Panel::Recent, below)] {
                let title = format!(" {} ", panel_title(ctx, panel_kind));
                let inner = draw_block(panel(&title, false, ctx.theme), rect, buf);
                render_list(ctx, panel_kind, inner, buf);
            }
            return;
        }
    }
    // Tabs in the title name the panels not shown, so the operator knows tab reaches them.
    let mut spans = vec![Span::raw(" ")];
    for (i, p) in LISTS.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(
                format!(" {} ", ctx.theme.glyphs.separator),
                ctx.theme.style(Role::Muted),
            ));
        }
        let style = if *p == shown {
            ctx.theme.style(Role::Title)
        } else {
            ctx.theme.style(Role::Muted)
        };
        spans.push(Span::styled(panel_title(ctx, *p), style));
    }
    spans.push(Span::raw(" "));
    let block = panel("", ctx.ui.focus == shown, ctx.theme).title(Line::from(spans));
    let inner = draw_block(block, area, buf);
    render_list(ctx, shown, inner, buf);
}

fn panel_title(ctx: &Ctx, panel: Panel) -> String {
    let board = &ctx.model.board;
    let count = match panel {
        Panel::Board => board.rows.len(),
        Panel::InFlight => board.in_flight.len(),
        Panel::Recent => board.recent.len(),
        Panel::Locks => board.locks.len(),
    };
    if panel == Panel::Locks && ctx.ui.lock_history {
        return format!("Lock history ({})", ctx.model.manual_locks.history.len());
    }
    format!("{} ({count})", panel.title())
}

fn render_list(ctx: &Ctx, panel: Panel, inner: Rect, buf: &mut Buffer) {
    match panel {
        Panel::InFlight => in_flight::render(ctx, inner, buf),
        Panel::Recent => recent::render(ctx, inner, buf),
        Panel::Locks => locks::render(ctx, inner, buf),
        Panel::Board => {}
    }
}

/// What an empty list says: `normal`, or `filtered` while a filter hides entries — and never
/// "nothing" as a fact while cells are unknown.
pub fn empty_list(ctx: &Ctx, normal: &str, filtered: &str) -> String {
    let (unknown, _) = ctx.model.board.unknown_cells();
    match (unknown, ctx.ui.filter.is_empty()) {
        (0, true) => normal.to_string(),
        (0, false) => filtered.to_string(),
        (n, _) => format!("none known: {n} cells are unknown (see the status bar)"),
    }
}

/// The first entry to show and how many, so that `selected` is always in view.
pub fn list_window(selected: usize, len: usize, height: u16) -> (usize, usize) {
    let height = height as usize;
    let first = selected
        .saturating_sub(height.saturating_sub(1))
        .min(len.saturating_sub(height.max(1)));
    (first, height.min(len - first.min(len)))
}

/// One of the list panels (in flight, recent, locks): says `empty` when there is nothing,
/// else draws the entries around the selection, one per line. `row` draws one entry: its
/// index, its line, and the selection style when it is the selected one.
pub fn list_panel(
    ctx: &Ctx,
    panel: Panel,
    inner: Rect,
    buf: &mut Buffer,
    (len, selected): (usize, usize),
    empty: &str,
    mut row: impl FnMut(&mut Buffer, usize, u16, Option<Style>),
) {
    if len == 0 {
        let muted = ctx.theme.style(Role::Muted);
        widgets::columns(buf, inner, inner.y, &[(empty, 0, muted)], None);
        return;
    }
    let (first, rows) = list_window(selected, len, inner.height);
    for i in first..first + rows {
        let y = inner.y + (i - first) as u16;
        row(buf, i, y, selection_style(ctx, panel, i == selected));
    }
}

/// The highlight of the selected entry, only in the focused panel.
pub fn selection_style(ctx: &Ctx, panel: Panel, selected: bool) -> Option<Style> {
    (selected && ctx.ui.focus == panel && !ctx.model.settings.mode.wall)
        .then(|| ctx.theme.style(Role::Selection))
}

/// The characters of a buffer, one line per row, trailing spaces trimmed.
pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::with_capacity((area.width as usize + 1) * area.height as usize);
    for y in area.top()..area.bottom() {
        let mut line = String::with_capacity(area.width as usize);
        let mut skip = 0;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One frame of the board as plain text, `width` × `height`.
pub fn snapshot_text(ctx: &Ctx, width: u16, height: u16) -> String {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    render(ctx, area, &mut buf);
    buffer_text(&buf)
}
