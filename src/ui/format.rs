//! Text for times and figures, the same everywhere on screen.

use chrono::{DateTime, Duration, FixedOffset, Utc};

use crate::model::{DeployStatus, Verdict};
use crate::theme::{Glyphs, Role};

/// The time from `then` to `now` as the screen counts it: in whole `step_secs` steps below a
/// minute and in whole clock minutes above. Every age on screen then turns over at the same
/// instant, so a quiet board changes once per step at most, and mostly once a minute.
pub fn since(now: DateTime<Utc>, then: DateTime<Utc>, step_secs: i64) -> Duration {
    let (n, t) = (now.timestamp(), then.timestamp());
    let unit = if n - t < 60 {
        step_secs.clamp(1, 60)
    } else {
        60
    };
    steps_between(n, t, unit)
}

/// The time from `then` to `now` in whole `step_secs` steps, for elapsed times that show seconds.
pub fn since_in_steps(now: DateTime<Utc>, then: DateTime<Utc>, step_secs: i64) -> Duration {
    steps_between(now.timestamp(), then.timestamp(), step_secs.clamp(1, 60))
}

/// Whole `unit`s from the first `unit` boundary at or after `then` to the last at or before
/// `now`: it changes only when `now` crosses a boundary, and never says more than the truth.
fn steps_between(now: i64, then: i64, unit: i64) -> Duration {
    let steps = now.div_euclid(unit) - (then + unit - 1).div_euclid(unit);
    Duration::seconds((steps * unit).max(0))
}

/// A relative age: "40s", "3m", "2h", "5d". Seconds move in steps of `step_secs`, so a quiet
/// board changes no more often than that.
pub fn age(age: Duration, step_secs: i64) -> String {
    let s = age.num_seconds().max(0);
    match s {
        0..60 => {
            let step = step_secs.clamp(1, 60);
            format!("{}s", s - s % step)
        }
        60..3_600 => format!("{}m", s / 60),
        3_600..172_800 => format!("{}h", s / 3_600),
        _ => format!("{}d", s / 86_400),
    }
}

/// A span to come or gone, in the two largest units: "2h13m", "4m", "45s", "3d2h".
pub fn span(d: Duration) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m", s / 60),
        3_600..86_400 => format!("{}h{:02}m", s / 3_600, s % 3_600 / 60),
        _ => format!("{}d{}h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// An elapsed time for deploys in flight: "45s", "2m10s", "1h05m". Moves in `step_secs` steps.
pub fn elapsed(d: Duration, step_secs: i64) -> String {
    let s = d.num_seconds().max(0);
    let s = s - s % step_secs.clamp(1, 60);
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3_600, s % 3_600 / 60),
    }
}

/// When a lock lifts, from `now`: "opens in 2h13m", or "until lifted". The time left is
/// rounded up (to 10 s below a minute, to the minute above): a lock never says "0s" early.
pub fn lifts(until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match until {
        Some(until) if until > now => {
            let left = (until - now).num_seconds();
            let unit = if left <= 60 { 10 } else { 60 };
            let rounded = (left + unit - 1) / unit * unit;
            format!("opens in {}", span(Duration::seconds(rounded)))
        }
        Some(_) => "lifting".to_string(),
        None => "until lifted".to_string(),
    }
}

/// When a lock lifts, as the board shows it: a countdown while it is near ("opens in 2h13m"),
/// the day and time in the operator's zone when it is half a day or more away ("until Mon
/// 09:00"), "until lifted" without an end.
pub fn lifts_at(until: Option<DateTime<Utc>>, now: DateTime<Utc>, offset: FixedOffset) -> String {
    match until {
        Some(until) if until - now >= Duration::hours(12) => {
            format!("until {}", until.with_timezone(&offset).format("%a %H:%M"))
        }
        _ => lifts(until, now),
    }
}

/// A wall-clock time in the operator's zone: "14:03".
pub fn clock(t: DateTime<Utc>, offset: FixedOffset) -> String {
    t.with_timezone(&offset).format("%H:%M").to_string()
}

/// A date and time in the operator's zone: "2026-11-24 14:03:22".
pub fn timestamp(t: DateTime<Utc>, offset: FixedOffset) -> String {
    t.with_timezone(&offset)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The glyph and theme role of a deploy status.
pub fn status_mark(status: DeployStatus, glyphs: &Glyphs) -> (&'static str, Role) {
    match status {
        DeployStatus::Queued => (glyphs.queued, Role::Pending),
        DeployStatus::InProgress => (glyphs.in_progress, Role::InProgress),
        DeployStatus::Succeeded => (glyphs.succeeded, Role::Ok),
        DeployStatus::Failed => (glyphs.failed, Role::Error),
        DeployStatus::Cancelled => (glyphs.cancelled, Role::Muted),
        DeployStatus::RolledBack => (glyphs.rolled_back, Role::Warning),
    }
}

/// The glyph and theme role of an impact verdict.
pub fn verdict_mark(verdict: Verdict, glyphs: &Glyphs) -> (&'static str, Role) {
    match verdict {
        Verdict::Improved => (glyphs.improved, Role::Improved),
        Verdict::Healthy => (glyphs.healthy, Role::Healthy),
        Verdict::Ailing => (glyphs.ailing, Role::Ailing),
        Verdict::Unhealthy => (glyphs.unhealthy, Role::Unhealthy),
        Verdict::Pending => (glyphs.pending, Role::Pending),
        Verdict::NoData => (glyphs.no_data, Role::Muted),
    }
}

/// A figure with its unit: "0.42%", "183ms".
pub fn figure(value: f64, unit: &str) -> String {
    match unit {
        "%" => format!("{value:.2}%"),
        "ms" => format!("{value:.0}ms"),
        _ => format!("{value:.2}{unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_move_in_steps_and_grow_units() {
        assert_eq!(age(Duration::seconds(47), 10), "40s");
        assert_eq!(age(Duration::seconds(47), 1), "47s");
        assert_eq!(age(Duration::seconds(185), 10), "3m");
        assert_eq!(age(Duration::hours(5), 10), "5h");
        assert_eq!(age(Duration::days(3), 10), "3d");
        assert_eq!(age(Duration::seconds(-5), 10), "0s");
    }

    #[test]
    fn every_age_turns_over_at_the_same_minute_boundary() {
        // 01:00:05, with events at 00:58:00 and 00:57:35.
        let now = DateTime::<Utc>::UNIX_EPOCH + Duration::seconds(3_605);
        let a = now - Duration::seconds(125);
        let b = now - Duration::seconds(150);
        let shown = |at: DateTime<Utc>, then| age(since(at, then, 10), 10);
        assert_eq!((shown(now, a), shown(now, b)), ("2m".into(), "2m".into()));
        let before_the_minute = now + Duration::seconds(54);
        assert_eq!(
            (shown(before_the_minute, a), shown(before_the_minute, b)),
            ("2m".into(), "2m".into()),
            "b is 3m20s old but turns over with the clock, never early"
        );
        let at_the_minute = now + Duration::seconds(55);
        assert_eq!(
            (shown(at_the_minute, a), shown(at_the_minute, b)),
            ("3m".into(), "3m".into()),
            "both turn over together"
        );
        // Seconds count as of the last 10 s boundary (01:00:00): 29 s, shown as 20s.
        assert_eq!(age(since(now, now - Duration::seconds(34), 10), 10), "20s");
        assert_eq!(
            elapsed(since_in_steps(now, now - Duration::seconds(75), 10), 10),
            "1m10s"
        );
    }

    #[test]
    fn lock_countdowns_say_when_they_open() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(
            lifts(Some(now + Duration::minutes(133)), now),
            "opens in 2h13m"
        );
        assert_eq!(lifts(None, now), "until lifted");
        assert_eq!(
            lifts(Some(now + Duration::seconds(60)), now),
            "opens in 1m",
            "never 0s early"
        );
        assert_eq!(
            lifts(Some(now + Duration::seconds(61)), now),
            "opens in 2m",
            "rounded up"
        );
        assert_eq!(lifts(Some(now + Duration::seconds(3)), now), "opens in 10s");
        assert_eq!(lifts(Some(now), now), "lifting");
        let utc = FixedOffset::east_opt(0).unwrap();
        // 1970-01-01 was a Thursday.
        assert_eq!(
            lifts_at(Some(now + Duration::hours(81)), now, utc),
            "until Sun 09:00"
        );
        assert_eq!(
            lifts_at(Some(now + Duration::hours(2)), now, utc),
            "opens in 2h00m"
        );
        assert_eq!(elapsed(Duration::seconds(134), 10), "2m10s");
    }
}
