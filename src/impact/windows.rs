//! The windows a deploy is judged over: before, a stretch ending at its start (earlier bad
//! deploys cut out, so a bad deploy never becomes the next one's baseline); after, from its end,
//! first judged once it is long enough and refined until it is full. And the query step that
//! gives every window enough points without passing Prometheus's limit per series.

use chrono::{DateTime, Duration, Utc};

/// How the windows are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowRules {
    /// How much time before the deploy makes its baseline (default 60 min).
    pub before: Duration,
    /// The after window is judged first once it is this long (default 10 min)…
    pub after_first: Duration,
    /// …and refined until it is this long (default 60 min).
    pub after_full: Duration,
    /// Every window gets at least this many points (default 30).
    pub min_points: i64,
    /// And a query never asks for more than this many (Prometheus: 11,000 per series).
    pub max_points: i64,
    /// How far back a baseline may reach to make up for the time cut out (default 3 × before).
    pub reach: Duration,
}

impl Default for WindowRules {
    fn default() -> Self {
        WindowRules {
            before: Duration::minutes(60),
            after_first: Duration::minutes(10),
            after_full: Duration::minutes(60),
            min_points: 30,
            max_points: 11_000,
            reach: Duration::minutes(180),
        }
    }
}

/// A stretch of time, start included, end excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stretch {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Stretch {
    pub fn length(&self) -> Duration {
        self.end - self.start
    }

    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }
}

/// One window and how to query it: one range query over `span` at `step`, keeping only the
/// samples inside `keep`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub span: Stretch,
    pub keep: Vec<Stretch>,
    pub step: Duration,
}

impl Window {
    /// Whether a sample at `t` belongs to the window.
    pub fn keeps(&self, t: DateTime<Utc>) -> bool {
        self.keep.iter().any(|s| s.contains(t))
    }
}

/// A deploy's windows, or why it cannot be judged yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The after window is not long enough yet: judge at `at`.
    Pending { at: DateTime<Utc> },
    /// Both windows; `full`: the after window is complete, the judgement is final.
    Ready {
        before: Window,
        after: Window,
        full: bool,
    },
}

/// The windows of a deploy that ran from `started` to `finished`, at `now`. `bad` are the
/// stretches during which earlier deploys judged unhealthy or rolled back were running: they
/// are cut out of the baseline, which reaches further back (up to `rules.reach`) to keep its
/// length.
pub fn plan(
    started: DateTime<Utc>,
    finished: DateTime<Utc>,
    bad: &[Stretch],
    rules: &WindowRules,
    now: DateTime<Utc>,
) -> Plan {
    plan_until(started, finished, None, bad, rules, now)
}

/// [`plan`] for a deploy followed by another that started at `next`: its after window ends
/// there at the latest, so the next deploy's effect is never counted as this one's (and it is
/// final once it reached `next`).
pub fn plan_until(
    started: DateTime<Utc>,
    finished: DateTime<Utc>,
    next: Option<DateTime<Utc>>,
    bad: &[Stretch],
    rules: &WindowRules,
    now: DateTime<Utc>,
) -> Plan {
    let first_judgement = later(finished, rules.after_first);
    let full_at = next.map_or(later(finished, rules.after_full), |n| {
        n.max(finished).min(later(finished, rules.after_full))
    });
    if now < first_judgement && full_at > now {
        return Plan::Pending {
            at: first_judgement,
        };
    }
    let after_end = now.min(full_at);
    let after = Stretch {
        start: finished,
        end: after_end,
    };
    let keep = baseline(started, bad, rules);
    let span = Stretch {
        start: keep.first().map_or(started, |s| s.start),
        end: started,
    };
    let kept: Duration = keep.iter().map(Stretch::length).sum();
    Plan::Ready {
        before: Window {
            span,
            step: step_for(kept.min(span.length()), span.length(), rules),
            keep,
        },
        after: Window {
            span: after,
            keep: vec![after],
            step: step_for(after.length(), after.length(), rules),
        },
        full: after_end >= full_at,
    }
}

/// The stretches before `started` that make the baseline: `rules.before` of time in all,
/// newest first taken, with every bad stretch cut out, reaching back no further than
/// `rules.reach`. Oldest first.
fn baseline(started: DateTime<Utc>, bad: &[Stretch], rules: &WindowRules) -> Vec<Stretch> {
    let limit = earlier(started, rules.reach.max(rules.before));
    let mut bad: Vec<Stretch> = bad
        .iter()
        .filter(|b| b.end > limit && b.start < started)
        .copied()
        .collect();
    bad.sort_by_key(|b| std::cmp::Reverse(b.end));
    let mut keep = Vec::new();
    let mut need = rules.before;
    let mut end = started;
    for b in bad.iter().chain(std::iter::once(&Stretch {
        start: limit,
        end: limit,
    })) {
        if need <= Duration::zero() || end <= limit {
            break;
        }
        // The clean stretch between this bad one's end and `end`.
        let clean_start = b.end.max(limit).min(end);
        let take_from = clean_start.max(end - need);
        if take_from < end {
            keep.push(Stretch {
                start: take_from,
                end,
            });
            need -= end - take_from;
        }
        end = end.min(b.start.max(limit));
    }
    keep.reverse();
    keep
}

/// `t + d`, or the last moment there is when that is past it (times come from outside).
fn later(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `t − d`, or the first moment there is.
fn earlier(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_sub_signed(d).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// A step for a window of `covered` time queried over `span`: 60 points over what is kept
/// when that allows, at least `min_points` there, and never more than `max_points` over the
/// span. Whole seconds, at least one.
fn step_for(covered: Duration, span: Duration, rules: &WindowRules) -> Duration {
    let covered = covered.num_seconds().max(1);
    let span = span.num_seconds().max(1);
    let most = (covered / rules.min_points.max(1)).max(1);
    let least = (span + rules.max_points - 1) / rules.max_points.max(1);
    Duration::seconds((covered / 60).clamp(1, most).max(least).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn stretch(a: i64, b: i64) -> Stretch {
        Stretch {
            start: t(a),
            end: t(b),
        }
    }

    #[test]
    fn a_deploy_is_pending_until_its_after_window_is_ten_minutes_long() {
        let rules = WindowRules::default();
        assert_eq!(
            plan(t(0), t(5), &[], &rules, t(14)),
            Plan::Pending { at: t(15) }
        );
        let Plan::Ready { after, full, .. } = plan(t(0), t(5), &[], &rules, t(15)) else {
            panic!("ready at 15");
        };
        assert_eq!(after.span, stretch(5, 15));
        assert!(!full, "refined until an hour");
        let Plan::Ready { after, full, .. } = plan(t(0), t(5), &[], &rules, t(200)) else {
            panic!("ready");
        };
        assert_eq!(after.span, stretch(5, 65), "an hour at most");
        assert!(full);
    }

    #[test]
    fn the_baseline_is_the_hour_before_the_start() {
        let Plan::Ready { before, .. } = plan(t(0), t(5), &[], &WindowRules::default(), t(70))
        else {
            panic!("ready");
        };
        assert_eq!(before.span, stretch(-60, 0));
        assert_eq!(before.keep, [stretch(-60, 0)]);
        assert!(before.keeps(t(-30)) && !before.keeps(t(0)));
    }

    #[test]
    fn an_earlier_bad_deploy_is_cut_out_of_the_baseline_which_reaches_back_to_keep_an_hour() {
        // A bad version ran from -40 to -25 (until the rollback).
        let bad = [stretch(-40, -25)];
        let Plan::Ready { before, .. } = plan(t(0), t(5), &bad, &WindowRules::default(), t(70))
        else {
            panic!("ready");
        };
        assert_eq!(before.keep, [stretch(-75, -40), stretch(-25, 0)]);
        let kept: Duration = before.keep.iter().map(Stretch::length).sum();
        assert_eq!(kept, Duration::minutes(60));
        assert!(!before.keeps(t(-30)), "nothing of the bad deploy");
        assert_eq!(
            before.span,
            stretch(-75, 0),
            "one query over the whole stretch"
        );
    }

    #[test]
    fn the_baseline_reaches_back_no_further_than_three_hours() {
        let bad = [stretch(-170, -5)];
        let Plan::Ready { before, .. } = plan(t(0), t(5), &bad, &WindowRules::default(), t(70))
        else {
            panic!("ready");
        };
        assert_eq!(before.keep, [stretch(-180, -170), stretch(-5, 0)]);
    }

    #[test]
    fn the_after_window_ends_where_the_next_deploy_starts() {
        let rules = WindowRules::default();
        let Plan::Ready { after, full, .. } =
            plan_until(t(0), t(5), Some(t(30)), &[], &rules, t(100))
        else {
            panic!("ready");
        };
        assert_eq!(
            after.span,
            stretch(5, 30),
            "nothing of the next deploy's effect"
        );
        assert!(full, "final once the next deploy started");
        // A next deploy within the first ten minutes: judged on what there is, at once.
        let Plan::Ready { after, full, .. } = plan_until(t(0), t(5), Some(t(8)), &[], &rules, t(9))
        else {
            panic!("ready: there will be no more of its own");
        };
        assert_eq!(after.span, stretch(5, 8));
        assert!(full);
    }

    #[test]
    fn absurd_times_from_outside_neither_panic_nor_wrap() {
        let rules = WindowRules::default();
        let far = DateTime::<Utc>::MAX_UTC;
        assert!(matches!(
            plan(far, far, &[], &rules, far),
            Plan::Pending { .. } | Plan::Ready { .. }
        ));
        let first = DateTime::<Utc>::MIN_UTC;
        let _ = plan(first, first, &[], &rules, t(0));
    }

    #[test]
    fn the_step_gives_every_window_thirty_points_at_least_and_never_passes_the_limit() {
        let rules = WindowRules::default();
        for (covered, span) in [(600, 600), (3_600, 3_600), (3_600, 10_800), (30, 30)] {
            let step = step_for(Duration::seconds(covered), Duration::seconds(span), &rules);
            let s = step.num_seconds();
            assert!(s >= 1);
            assert!(covered / s >= 30 || s == 1, "{covered}s at {s}s");
            assert!(span / s <= 11_000, "{span}s at {s}s");
        }
        assert_eq!(
            step_for(Duration::hours(1), Duration::hours(1), &rules),
            Duration::seconds(60)
        );
        let huge = step_for(Duration::days(30), Duration::days(30), &rules);
        assert!(Duration::days(30).num_seconds() / huge.num_seconds() <= 11_000);
    }
}
