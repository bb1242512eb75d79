//! The words of an impact's evidence, the same in the detail view, the recent-deploys panel
//! and the text commands: "error ratio 0.49% → 5.77% (+5.3 pp, 95% CI +4.9 … +5.7, p < 0.001,
//! n 60/40): unhealthy", and a deploy's worst change ("+5.3pp error ratio").
//!
//! A shift is said in percentage points for a metric shown in "%", as a share of the median
//! before for a latency (a time unit), and in the metric's own unit otherwise.

use super::format;
use crate::model::{Evidence, Impact, MetricChange, MetricVerdict, Verdict};
use crate::theme::{Glyphs, Role};

/// Units of time: a latency's shift is said relative to its median before.
const TIME_UNITS: [&str; 6] = ["ms", "s", "us", "µs", "ns", "min"];

/// How a metric's shift is said.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scale {
    /// Percentage points: the metric is a ratio shown in "%".
    Points,
    /// Percent of the median before (a latency): the value is that median.
    Relative(f64),
    /// In the metric's own unit.
    Unit,
}

fn scale_of(m: &MetricChange) -> Scale {
    if m.unit == "%" {
        Scale::Points
    } else if TIME_UNITS.contains(&m.unit.as_str()) && m.before.is_finite() && m.before != 0.0 {
        Scale::Relative(m.before.abs())
    } else {
        Scale::Unit
    }
}

/// The arrow and the range dots, in Unicode or plain ASCII.
fn marks(ascii: bool) -> (&'static str, &'static str) {
    if ascii { ("->", "..") } else { ("→", "…") }
}

/// A signed figure at `decimals`: "+5.3", "-0.4", and "0.0" for what rounds to nothing; "?"
/// for a value that is not a number.
fn signed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "?".to_string();
    }
    let shown = format!("{value:+.decimals$}");
    if shown[1..].chars().all(|c| c == '0' || c == '.') {
        format!("{:.decimals$}", 0.0)
    } else {
        shown
    }
}

/// Decimals that give the largest of `values` two significant digits (none from 10 up).
fn decimals_for(values: &[f64]) -> usize {
    let largest = values
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, |a, v| a.max(v.abs()));
    match largest {
        l if l >= 10.0 => 0,
        l if l >= 1.0 => 1,
        l if l >= 0.1 => 2,
        _ => 3,
    }
}

/// The shift and its interval's ends as said, with the unit after the shift (`compact`: no
/// space before "pp"): ("+5.3 pp", "+4.9", "+5.7"), ("+33%", "+28%", "+39%").
fn shift_parts(m: &MetricChange, e: &Evidence, compact: bool) -> (String, String, String) {
    match scale_of(m) {
        Scale::Relative(before) => {
            let [c, lo, hi] = [e.change, e.ci_low, e.ci_high].map(|v| v / before * 100.0);
            let d = usize::from(decimals_for(&[c, lo, hi]) > 0);
            let pc = |v: f64| match signed(v, d) {
                s if s == "?" => s,
                s => format!("{s}%"),
            };
            (pc(c), pc(lo), pc(hi))
        }
        scale => {
            let d = decimals_for(&[e.change, e.ci_low, e.ci_high]);
            let unit = match (scale, compact) {
                (Scale::Points, true) => "pp".to_string(),
                (Scale::Points, false) => " pp".to_string(),
                _ if m.unit.is_empty() => String::new(),
                _ => format!(" {}", m.unit),
            };
            (
                format!("{}{unit}", signed(e.change, d)),
                signed(e.ci_low, d),
                signed(e.ci_high, d),
            )
        }
    }
}

/// The p-value as said: "p < 0.001" below a thousandth, else "p = 0.004", "p = 0.34".
pub fn p_value(p: f64) -> String {
    match p {
        p if !p.is_finite() => "p ?".to_string(),
        p if p < 0.001 => "p < 0.001".to_string(),
        p if p < 0.01 => format!("p = {p:.3}"),
        p => format!("p = {p:.2}"),
    }
}

/// The interval's confidence as said: "95%", "99.5%".
fn confidence(c: f64) -> String {
    let pct = c * 100.0;
    if !(pct > 0.0 && pct < 100.0) {
        return String::new();
    }
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0}% ")
    } else {
        format!("{pct:.1}% ")
    }
}

/// What a metric's judgement means, in words.
pub fn verdict_words(verdict: MetricVerdict) -> &'static str {
    match verdict {
        MetricVerdict::Unhealthy => "unhealthy",
        MetricVerdict::Worse => "worse",
        MetricVerdict::Better => "better",
        MetricVerdict::Pass => "within the allowed band",
        MetricVerdict::Inconclusive => {
            "inconclusive: the interval reaches across the allowed band's edge, or a window has \
             too few points"
        }
        MetricVerdict::NoData => "no data",
    }
}

/// A figure with its unit, or "no data" for a window with none.
fn figure(value: f64, unit: &str) -> String {
    if value.is_finite() {
        format::figure(value, unit)
    } else {
        "no data".to_string()
    }
}

/// One metric in words: its medians, the shift with its interval, p, the sample sizes and
/// the judgement. Without evidence (a source that only reports figures): the medians and the
/// relative change. `ascii`: with "->" and ".." instead of "→" and "…".
pub fn metric_words(m: &MetricChange, ascii: bool) -> String {
    let (arrow, dots) = marks(ascii);
    let (before, after) = (figure(m.before, &m.unit), figure(m.after, &m.unit));
    let Some(e) = &m.evidence else {
        if !m.before.is_finite() && !m.after.is_finite() {
            return format!("{}: no data", m.name);
        }
        let change = m
            .change_percent()
            .filter(|c| c.is_finite() && m.after.is_finite())
            .map_or(String::new(), |c| format!(" ({c:+.0}%)"));
        return format!("{} {before} {arrow} {after}{change}", m.name);
    };
    let (shift, low, high) = shift_parts(m, e, false);
    format!(
        "{} {before} {arrow} {after} ({shift}, {}CI {low} {dots} {high}, {}, n {}/{}): {}",
        m.name,
        confidence(e.confidence),
        p_value(e.p_value),
        e.n_before,
        e.n_after,
        verdict_words(e.verdict)
    )
}

/// The glyph and role of a metric's judgement, from the deploy verdict it stands for.
pub fn metric_mark(verdict: MetricVerdict, glyphs: &Glyphs) -> (&'static str, Role) {
    format::verdict_mark(
        match verdict {
            MetricVerdict::Unhealthy => Verdict::Unhealthy,
            MetricVerdict::Worse => Verdict::Ailing,
            MetricVerdict::Better => Verdict::Improved,
            MetricVerdict::Pass => Verdict::Healthy,
            MetricVerdict::Inconclusive => Verdict::Inconclusive,
            MetricVerdict::NoData => Verdict::NoData,
        },
        glyphs,
    )
}

/// How telling a metric is of its deploy's verdict: worse beyond the unhealthy band first,
/// then worse, inconclusive, no data, better, pass; figures without a judgement last.
fn rank(m: &MetricChange) -> u8 {
    match &m.evidence {
        Some(e) => match e.verdict {
            MetricVerdict::Unhealthy => 0,
            MetricVerdict::Worse => 1,
            MetricVerdict::Inconclusive => 2,
            MetricVerdict::NoData => 3,
            MetricVerdict::Better => 4,
            MetricVerdict::Pass => 5,
        },
        None if !m.before.is_finite() || !m.after.is_finite() => 3,
        None => 6,
    }
}

/// How large a metric's change is, against its median before, to choose between equals.
fn size(m: &MetricChange) -> f64 {
    let change = m.evidence.as_ref().map_or(m.after - m.before, |e| e.change);
    let relative = if m.before.is_finite() && m.before != 0.0 {
        change / m.before
    } else {
        change
    };
    if relative.is_finite() {
        relative.abs()
    } else {
        0.0
    }
}

/// The metric that tells most of a deploy's verdict: the worst judged (the best one for an
/// improved deploy), the largest change between equals, the first of those.
pub fn worst(impact: &Impact) -> Option<&MetricChange> {
    impact
        .metrics
        .iter()
        .enumerate()
        .min_by(|(i, a), (j, b)| {
            (rank(a).cmp(&rank(b)))
                .then(size(b).total_cmp(&size(a)))
                .then(i.cmp(j))
        })
        .map(|(_, m)| m)
}

/// A deploy's worst change, short: "+5.3pp error ratio", "-18% p95 latency", "no data:
/// error ratio"; `None` without metrics.
pub fn worst_change(impact: &Impact) -> Option<String> {
    let m = worst(impact)?;
    if rank(m) == 3 {
        return Some(format!("no data: {}", m.name));
    }
    let shift = match &m.evidence {
        Some(e) => shift_parts(m, e, true).0,
        None => m
            .change_percent()
            .map_or("?".to_string(), |c| format!("{c:+.0}%")),
    };
    Some(format!("{shift} {}", m.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(unit: &str, before: f64, after: f64, e: Option<(f64, f64, f64)>) -> MetricChange {
        MetricChange {
            name: "m".into(),
            unit: unit.into(),
            before,
            after,
            evidence: e.map(|(change, ci_low, ci_high)| Evidence {
                change,
                ci_low,
                ci_high,
                confidence: 0.95,
                p_value: 0.2,
                n_before: 60,
                n_after: 40,
                verdict: MetricVerdict::Pass,
                critical: false,
                before_samples: vec![],
                after_samples: vec![],
            }),
        }
    }

    #[test]
    fn figures_get_two_significant_digits_and_no_signed_zero() {
        assert_eq!(signed(5.28, decimals_for(&[5.28, 4.9, 5.7])), "+5.3");
        assert_eq!(signed(-0.0004, 1), "0.0");
        assert_eq!(signed(-0.04, decimals_for(&[0.04])), "-0.040");
        assert_eq!(signed(f64::NAN, 1), "?");
        assert_eq!(decimals_for(&[12.0, -3.0]), 0);
    }

    #[test]
    fn a_latency_shifts_relative_to_its_median_before_and_other_units_in_their_own() {
        let latency = metric("ms", 200.0, 260.0, Some((60.0, 50.0, 70.0)));
        let e = latency.evidence.as_ref().unwrap();
        assert_eq!(
            shift_parts(&latency, e, true),
            ("+30%".into(), "+25%".into(), "+35%".into())
        );
        let rate = metric("req/s", 0.0, 12.0, Some((12.0, 8.0, 15.0)));
        let e = rate.evidence.as_ref().unwrap();
        assert_eq!(shift_parts(&rate, e, false).0, "+12 req/s");
        // A latency of zero before has nothing to be relative to: its own unit.
        let zero = metric("ms", 0.0, 5.0, Some((5.0, 4.0, 6.0)));
        let e = zero.evidence.as_ref().unwrap();
        assert_eq!(shift_parts(&zero, e, false).0, "+5.0 ms");
    }

    #[test]
    fn p_values_under_a_thousandth_are_said_as_such() {
        assert_eq!(p_value(0.0002), "p < 0.001");
        assert_eq!(p_value(0.0042), "p = 0.004");
        assert_eq!(p_value(0.341), "p = 0.34");
        assert_eq!(p_value(f64::NAN), "p ?");
        assert_eq!(confidence(0.95), "95% ");
        assert_eq!(confidence(0.995), "99.5% ");
    }
}
