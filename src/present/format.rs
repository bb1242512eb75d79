//! Text for times and figures, the same everywhere: on screen, in the text commands, in the
//! lock actions' messages.

use chrono::{DateTime, Datelike, Duration, FixedOffset, Utc};

use crate::model::{DeployStatus, Verdict};
use crate::theme::{Glyphs, Role};

/// The time from `then` to `now` in whole seconds (never negative): what [`age`] shows, cut
/// down to its unit. Ages are true within their unit ("1m" is 60 to 119 seconds); a quiet
/// board draws only at the clock's ticks (every age step), so ages move only then.
pub fn since(now: DateTime<Utc>, then: DateTime<Utc>) -> Duration {
    Duration::seconds(now.timestamp().saturating_sub(then.timestamp()).max(0))
}

/// The time from `then` to `now` in whole `step_secs` steps, for elapsed times that show seconds.
pub fn since_in_steps(now: DateTime<Utc>, then: DateTime<Utc>, step_secs: i64) -> Duration {
    let step = step_secs.clamp(1, 60);
    let secs = since(now, then).num_seconds();
    Duration::seconds(secs - secs % step)
}

/// A relative age: "40s", "3m", "2h", "5d", always the true age cut down to its unit (seconds
/// in steps of `step_secs`), never more than the truth and never a unit less.
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
/// the day and time in the operator's zone within the week ("until Mon 09:00"), the date
/// beyond it ("until Sun 20 Dec 18:00", with the year when it is not this one), and "until
/// lifted" without an end.
pub fn lifts_at(until: Option<DateTime<Utc>>, now: DateTime<Utc>, offset: FixedOffset) -> String {
    match until {
        Some(until) if until - now >= Duration::days(6) => {
            let (local, today) = (until.with_timezone(&offset), now.with_timezone(&offset));
            let format = if local.year() == today.year() {
                "%a %-d %b %H:%M"
            } else {
                "%a %-d %b %Y %H:%M"
            };
            format!("until {}", local.format(format))
        }
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
        Verdict::Inconclusive => (glyphs.inconclusive, Role::Warning),
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
    fn every_age_is_true_within_its_unit_at_each_boundary() {
        let now = DateTime::<Utc>::UNIX_EPOCH + Duration::seconds(3 * 86_400 + 5);
        let shown = |secs: i64| age(since(now, now - Duration::seconds(secs)), 10);
        for (secs, want) in [
            (0, "0s"),
            (9, "0s"),
            (10, "10s"),
            (59, "50s"),
            (60, "1m"),
            (61, "1m"),
            (84, "1m"),
            (119, "1m"),
            (120, "2m"),
            (59 * 60, "59m"),
            (59 * 60 + 59, "59m"),
            (60 * 60, "1h"),
            (23 * 3_600, "23h"),
            (24 * 3_600, "24h"),
            (47 * 3_600 + 3_599, "47h"),
            (48 * 3_600, "2d"),
        ] {
            assert_eq!(shown(secs), want, "{secs} s");
        }
        assert_eq!(
            shown(-30),
            "0s",
            "a clock behind the source says 0s, not a negative age"
        );
        // Elapsed times of deploys in flight count whole steps.
        assert_eq!(
            elapsed(since_in_steps(now, now - Duration::seconds(84), 10), 10),
            "1m20s"
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
        assert_eq!(
            lifts_at(
                Some(now + Duration::days(24) + Duration::hours(18)),
                now,
                utc
            ),
            "until Sun 25 Jan 18:00",
            "weeks away: the date"
        );
        assert_eq!(
            lifts_at(Some(now + Duration::days(400)), now, utc),
            "until Fri 5 Feb 1971 00:00",
            "another year: the year too"
        );
        assert_eq!(elapsed(Duration::seconds(134), 10), "2m10s");
    }
}
