//! A metric's chart for the detail view: its samples over the before and after windows, drawn
//! on ratatui's canvas in braille (`*` in the ASCII theme), each window's median as a dashed
//! line, and a vertical marker at the deploy that is a glyph (`┃`, `|`), not only a colour,
//! with the time under it. The chart comes as lines of text, so it scrolls with the detail.

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use ratatui::widgets::canvas::{Canvas, Context, Line as Segment, Points};
use unicode_width::UnicodeWidthStr;

use crate::model::MetricChange;
use crate::present::{evidence, format};
use crate::theme::{Role, Theme};

/// The narrowest plot worth drawing, in columns.
const MIN_PLOT: u16 = 16;

/// What each part of the chart is painted with on the canvas, told apart afterwards to take
/// its style from the theme (so monochrome gets modifiers, not colours).
const BEFORE: Color = Color::Rgb(1, 0, 0);
const AFTER: Color = Color::Rgb(2, 0, 0);
const MEDIAN: Color = Color::Rgb(3, 0, 0);
const DEPLOY: Color = Color::Rgb(4, 0, 0);

/// The characters of a chart: Unicode, or plain ASCII for the ASCII theme.
struct Strokes {
    data: Marker,
    median: char,
    deploy: char,
    /// The axis beside a labelled row, and beside the others.
    tick: &'static str,
    axis: &'static str,
    /// Under the marker, pointing at it.
    pointer: &'static str,
}

const UNICODE: Strokes = Strokes {
    data: Marker::Braille,
    median: '╌',
    deploy: '┃',
    tick: "┤",
    axis: "│",
    pointer: "↑",
};

const ASCII: Strokes = Strokes {
    data: Marker::Custom('*'),
    median: '-',
    deploy: '|',
    tick: "+",
    axis: "|",
    pointer: "^",
};

/// The chart of `metric` in `width` columns: `rows` lines of plot and one of times; nothing
/// when it has no samples or the width is too small. `deploy_at`: where the marker goes (else
/// between the two windows).
pub fn chart_lines(
    theme: &Theme,
    offset: FixedOffset,
    metric: &MetricChange,
    deploy_at: Option<DateTime<Utc>>,
    width: u16,
    rows: u16,
) -> Vec<Line<'static>> {
    let Some(e) = &metric.evidence else {
        return Vec::new();
    };
    let finite = |s: &[(DateTime<Utc>, f64)]| {
        s.iter()
            .filter(|(_, v)| v.is_finite())
            .copied()
            .collect::<Vec<_>>()
    };
    let (before, after) = (finite(&e.before_samples), finite(&e.after_samples));
    let times = || before.iter().chain(&after).map(|(t, _)| *t);
    let (Some(first), Some(last)) = (times().min(), times().max()) else {
        return Vec::new();
    };
    let deploy_at = deploy_at.unwrap_or_else(|| between(&before, &after, first));
    let (start, end) = (first.min(deploy_at), last.max(deploy_at));
    let secs = |t: DateTime<Utc>| t.signed_duration_since(start).num_milliseconds() as f64 / 1e3;
    let span = secs(end).max(1.0);

    let medians = [metric.before, metric.after];
    let (low, high) = bounds(before.iter().chain(&after).map(|(_, v)| *v), &medians);
    let labels = [
        format::figure(high, &metric.unit),
        format::figure(low, &metric.unit),
    ];
    let label_w = labels.iter().map(|l| l.width()).max().unwrap_or(0);
    let gutter = u16::try_from(label_w + 2).unwrap_or(u16::MAX);
    let plot_w = width.saturating_sub(gutter);
    if plot_w < MIN_PLOT || rows < 2 {
        return Vec::new();
    }
    let strokes = if theme.glyphs.is_ascii() {
        &ASCII
    } else {
        &UNICODE
    };

    let to_points = |s: &[(DateTime<Utc>, f64)]| {
        s.iter()
            .map(|(t, v)| (secs(*t), *v))
            .collect::<Vec<(f64, f64)>>()
    };
    let (before_pts, after_pts) = (to_points(&before), to_points(&after));
    let deploy_x = secs(deploy_at);
    let canvas = Canvas::default()
        .x_bounds([0.0, span])
        .y_bounds([low, high])
        .marker(Marker::Custom(strokes.median))
        .paint(|ctx| {
            for (pts, median) in [(&before_pts, metric.before), (&after_pts, metric.after)] {
                if let (Some(a), Some(b), true) = (pts.first(), pts.last(), median.is_finite()) {
                    ctx.draw(&Segment::new(a.0, median, b.0, median, MEDIAN));
                }
            }
            ctx.marker(strokes.data);
            trace(ctx, &before_pts, BEFORE);
            trace(ctx, &after_pts, AFTER);
            ctx.marker(Marker::Custom(strokes.deploy));
            ctx.draw(&Segment::new(deploy_x, low, deploy_x, high, DEPLOY));
        });
    let area = Rect::new(0, 0, plot_w, rows);
    let mut buf = Buffer::empty(area);
    canvas.render(area, &mut buf);

    let verdict_role = theme.style(evidence::metric_mark(e.verdict, theme.glyphs).1);
    let style_of = |fg: Color| match fg {
        BEFORE => theme.style(Role::Text),
        AFTER => verdict_role,
        MEDIAN => theme.style(Role::Muted),
        DEPLOY => theme.style(Role::Accent).add_modifier(Modifier::BOLD),
        _ => Style::default(),
    };
    let muted = theme.style(Role::Muted);
    let mut lines: Vec<Line<'static>> = (0..rows)
        .map(|y| {
            let (label, axis) = match y {
                0 => (labels[0].as_str(), strokes.tick),
                y if y + 1 == rows => (labels[1].as_str(), strokes.tick),
                _ => ("", strokes.axis),
            };
            let mut spans = vec![Span::styled(format!("{label:>label_w$} {axis}"), muted)];
            spans.extend(plot_row(&buf, y, &style_of));
            Line::from(spans)
        })
        .collect();
    let column = ((deploy_x * f64::from(plot_w - 1) / span).round() as u16).min(plot_w - 1);
    lines.push(time_axis(
        theme,
        strokes,
        (gutter, plot_w, column),
        [start, deploy_at, end].map(|t| format::clock(t, offset)),
    ));
    lines
}

/// A moment between the windows, for a marker without a known deploy time.
fn between(
    before: &[(DateTime<Utc>, f64)],
    after: &[(DateTime<Utc>, f64)],
    fallback: DateTime<Utc>,
) -> DateTime<Utc> {
    match (before.last(), after.first()) {
        (Some((b, _)), Some((a, _))) => b.checked_add_signed((*a - *b) / 2).unwrap_or(*b),
        (Some((b, _)), None) => *b,
        (None, Some((a, _))) => *a,
        (None, None) => fallback,
    }
}

/// The value range to draw, from every finite value and median, with a little room; a flat
/// series gets a band around its value. A range of values never below zero stays so.
fn bounds(values: impl Iterator<Item = f64>, medians: &[f64]) -> (f64, f64) {
    let (lo, hi) = values
        .chain(medians.iter().copied())
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo {
        (hi - lo) * 0.08
    } else {
        (hi.abs() * 0.1).max(0.01)
    };
    let low = if lo >= 0.0 {
        (lo - pad).max(0.0)
    } else {
        lo - pad
    };
    (low, hi + pad)
}

/// One window's samples: each as a point, joined to the next unless a gap (a cut-out
/// stretch, a missing scrape) lies between them.
fn trace(ctx: &mut Context, points: &[(f64, f64)], color: Color) {
    let mut steps: Vec<f64> = points.windows(2).map(|w| w[1].0 - w[0].0).collect();
    steps.sort_by(f64::total_cmp);
    let step = steps.get(steps.len() / 2).copied().unwrap_or(0.0);
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if b.0 - a.0 <= step * 2.5 {
            ctx.draw(&Segment::new(a.0, a.1, b.0, b.1, color));
        }
    }
    ctx.draw(&Points::new(points, color));
}

/// One row of the plot as spans, each run of one style in one span.
fn plot_row(buf: &Buffer, y: u16, style_of: &dyn Fn(Color) -> Style) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let (mut text, mut style) = (String::new(), None::<Style>);
    for x in 0..buf.area.width {
        let cell = &buf[(x, y)];
        let s = style_of(cell.fg);
        if style.is_some_and(|st| st != s) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                style.unwrap_or_default(),
            ));
        }
        style = Some(s);
        text.push_str(cell.symbol());
    }
    if !text.is_empty() {
        spans.push(Span::styled(text, style.unwrap_or_default()));
    }
    spans
}

/// The line under the plot: the first sample's time at the left, the last one's at the
/// right, and under the marker a pointer with the deploy's time ("↑ deploy 09:00"), turned
/// to end at the marker when there is no room after it.
fn time_axis(
    theme: &Theme,
    strokes: &Strokes,
    (gutter, plot_w, column): (u16, u16, u16),
    [start, deploy, end]: [String; 3],
) -> Line<'static> {
    let (gutter, plot_w, column) = (
        usize::from(gutter),
        usize::from(plot_w),
        usize::from(column),
    );
    let pointer = strokes.pointer;
    let right = format!("{pointer} deploy {deploy}");
    let left = format!("deploy {deploy} {pointer}");
    let (text, at) = if column + right.width() <= plot_w {
        (right, column)
    } else {
        let at = (column + 1).saturating_sub(left.width());
        (left, at)
    };
    let text_end = at + text.width();
    let mut spans = vec![Span::raw(" ".repeat(gutter))];
    let muted = theme.style(Role::Muted);
    let mut used = 0;
    if start.width() < at {
        spans.push(Span::styled(start.clone(), muted));
        used = start.width();
    }
    spans.push(Span::raw(" ".repeat(at - used)));
    spans.push(Span::styled(
        text,
        theme.style(Role::Accent).add_modifier(Modifier::BOLD),
    ));
    if text_end + 1 + end.width() <= plot_w {
        spans.push(Span::raw(" ".repeat(plot_w - text_end - end.width())));
        spans.push(Span::styled(end, muted));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_series_gets_a_band_and_values_never_below_zero_stay_so() {
        assert_eq!(bounds([0.0, 0.0].into_iter(), &[0.0]), (0.0, 0.01));
        let (lo, hi) = bounds([1.0, 2.0].into_iter(), &[1.5]);
        assert!((0.92..1.0).contains(&lo) && hi > 2.0, "{lo} {hi}");
        let (lo, _) = bounds([-1.0, 1.0].into_iter(), &[f64::NAN]);
        assert!(lo < -1.0);
        assert_eq!(bounds(std::iter::empty(), &[f64::NAN]), (0.0, 1.0));
    }
}
