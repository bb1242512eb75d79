//! A deploy's impact in the detail view: the verdict, and per metric its evidence in words
//! and its chart over the before and after windows with the deploy's marker.

use chrono::{DateTime, Utc};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::{Ctx, label};
use crate::model::{Impact, MetricChange};
use crate::present::{evidence, format};
use crate::theme::Role;
use crate::ui::chart::chart_lines;

/// The inside of the detail's box, in columns and lines: what the charts are sized to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Room {
    pub width: u16,
    pub height: u16,
}

/// Lines of plot per chart: the box's height shared between the charts beside the detail's
/// other lines, 3 to 10 each.
fn chart_rows(room: Room, charts: usize) -> u16 {
    let charts = u16::try_from(charts.max(1)).unwrap_or(u16::MAX);
    (room.height.saturating_sub(8) / charts)
        .saturating_sub(3)
        .clamp(3, 10)
}

/// The impact of a deploy that started at `deployed_at`: its verdict, each metric's words
/// and chart.
pub(super) fn impact_lines(
    ctx: &Ctx,
    room: Room,
    impact: Option<&Impact>,
    deployed_at: Option<DateTime<Utc>>,
    lines: &mut Vec<Line<'static>>,
) {
    let Some(impact) = impact else {
        lines.push(Line::from(vec![
            label(ctx, "Impact"),
            Span::styled(
                "no impact analysis for this deploy",
                ctx.theme.style(Role::Muted),
            ),
        ]));
        return;
    };
    let (glyph, role) = format::verdict_mark(impact.verdict, ctx.theme.glyphs);
    lines.push(Line::from(vec![
        label(ctx, "Impact"),
        Span::styled(
            format!("{glyph} {}", impact.verdict.label()),
            ctx.theme.style(role).add_modifier(Modifier::BOLD),
        ),
    ]));
    let charts = impact
        .metrics
        .iter()
        .filter(|m| m.evidence.is_some())
        .count();
    let rows = chart_rows(room, charts);
    for m in &impact.metrics {
        lines.push(metric_line(ctx, m));
        let chart = chart_lines(
            ctx.theme,
            ctx.offset,
            m,
            deployed_at,
            room.width.saturating_sub(2),
            rows,
        );
        lines.extend(chart.into_iter().map(|line| {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(line.spans);
            Line::from(spans)
        }));
    }
}

/// One metric in words: with evidence, its judgement's mark and the whole sentence; without
/// (figures a source only reports), the medians and the relative change.
fn metric_line(ctx: &Ctx, m: &MetricChange) -> Line<'static> {
    let Some(e) = &m.evidence else {
        let change = m
            .change_percent()
            .filter(|c| c.is_finite())
            .map_or(String::new(), |c| format!("  ({c:+.0}%)"));
        let figure = |v: f64| {
            if v.is_finite() {
                format::figure(v, &m.unit)
            } else {
                "no data".to_string()
            }
        };
        return Line::from(vec![
            Span::raw("  "),
            Span::styled(format!("{:<13}", m.name), ctx.theme.style(Role::Muted)),
            Span::styled(
                format!("{} → {}{change}", figure(m.before), figure(m.after)),
                ctx.theme.style(Role::Text),
            ),
        ]);
    };
    let (glyph, role) = evidence::metric_mark(e.verdict, ctx.theme.glyphs);
    Line::from(vec![
        Span::styled(format!("  {glyph} "), ctx.theme.style(role)),
        Span::styled(
            evidence::metric_words(m, ctx.theme.glyphs.is_ascii()),
            ctx.theme.style(Role::Text),
        ),
    ])
}
