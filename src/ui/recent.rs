//! The recent-deploys panel: finished deploys, newest first, with status, age, and the impact's
//! verdict with its worst metric change ("✖ unhealthy     +5.3pp error ratio").

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::widgets::columns;
use super::{Ctx, list_panel};
use crate::present::rows::visible_entries;
use crate::present::{evidence, format};
use crate::state::Panel;
use crate::theme::Role;

/// Draws the list inside `inner`.
pub fn render(ctx: &Ctx, inner: Rect, buf: &mut Buffer) {
    let board = &ctx.model.board;
    let shown = visible_entries(
        board,
        &ctx.model.manual_locks.history,
        ctx.ui,
        Panel::Recent,
    );
    let recent: Vec<&(
        std::sync::Arc<crate::model::Deployment>,
        Option<crate::model::Impact>,
    )> = shown.iter().map(|&i| &board.recent[i]).collect();
    let theme = ctx.theme;
    let step = ctx.model.settings.age_step_secs();
    // The verdicts line up in a column as wide as the longest one listed.
    let verdict_w = (recent.iter())
        .filter_map(|(_, i)| i.as_ref().map(|i| i.verdict.label().len()))
        .max()
        .unwrap_or(0);
    let shape = (recent.len(), ctx.ui.recent_selected);
    // A column for the breach mark only while a listed deploy has one.
    let breach_w = if recent.iter().any(|(d, _)| board.breach_of(d).is_some()) {
        2
    } else {
        0
    };
    list_panel(
        ctx,
        Panel::Recent,
        inner,
        buf,
        shape,
        &super::empty_list(ctx, "no deploys yet", "no deploy matches the filter"),
        |buf, i, y, row_style| {
            let (d, impact) = recent[i];
            let (glyph, role) = format::status_mark(d.status, theme.glyphs);
            let age = format::age(
                format::since(ctx.model.now, d.finished_at.unwrap_or(d.started_at)),
                step,
            );
            let fixed = 2 + breach_w + 15 + 11 + 10 + 6;
            let (impact_text, verdict_role) = impact_text(
                ctx,
                impact.as_ref(),
                verdict_w,
                inner.width.saturating_sub(fixed),
            );
            let breach = match board.breach_of(d) {
                Some(_) => theme.glyphs.breach,
                None => "",
            };
            columns(
                buf,
                inner,
                y,
                &[
                    (glyph, 2, theme.style(role)),
                    (breach, breach_w, theme.style(Role::Breach)),
                    (&d.service, 15, theme.style(Role::Text)),
                    (&d.environment, 11, theme.style(Role::Accent)),
                    (d.short_version(), 10, theme.style(Role::Text)),
                    (&age, 6, theme.style(Role::Muted)),
                    (&impact_text, 0, theme.style(verdict_role)),
                ],
                row_style,
            );
        },
    );
}

/// The impact's part of a line: the verdict's mark and word (padded to `verdict_w`) and the
/// worst metric change; without the word when that does not fit in `room` columns.
fn impact_text(
    ctx: &Ctx,
    impact: Option<&crate::model::Impact>,
    verdict_w: usize,
    room: u16,
) -> (String, Role) {
    let glyphs = ctx.theme.glyphs;
    let Some(impact) = impact else {
        return (glyphs.no_data.to_string(), Role::Muted);
    };
    let (glyph, role) = format::verdict_mark(impact.verdict, glyphs);
    let label = impact.verdict.label();
    let Some(change) = evidence::worst_change(impact) else {
        return (format!("{glyph} {label}"), role);
    };
    let full = format!("{glyph} {label:<verdict_w$} {change}");
    if full.width() <= usize::from(room) {
        (full, role)
    } else {
        (format!("{glyph} {change}"), role)
    }
}
