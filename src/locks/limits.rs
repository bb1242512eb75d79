//! What an operator may ask of a lock: a reason in plain text of bounded length, and an end at
//! most a year away. Shared by `shiproom lock` and the board's lock dialog, so both refuse
//! the same things in the same words.

use chrono::{DateTime, Duration, Utc};

use crate::span::Span;

/// The longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// The longest a timed lock may last: a year. Longer is "until lifted".
pub const MAX_LOCK_DAYS: i64 = 365;

/// The reason as stored (trimmed), or why it is refused.
pub fn reason(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("a reason is required: say why, for whoever reads it at 3 a.m.".into());
    }
    let chars = text.chars().count();
    if chars > MAX_REASON_CHARS {
        return Err(format!(
            "the reason is {chars} characters long: keep it to {MAX_REASON_CHARS} (link to the incident for the rest)"
        ));
    }
    if crate::text::has_control(text) {
        return Err(format!(
            "the reason holds a control character (`{}`): write it on one line, in plain text",
            crate::text::one_line(text)
        ));
    }
    Ok(text.to_string())
}

fn longest() -> Duration {
    Duration::days(MAX_LOCK_DAYS)
}

/// When a lock taken at `now` for `span` lifts, or why it cannot be that long.
pub fn until_after(now: DateTime<Utc>, span: Span) -> Result<DateTime<Utc>, String> {
    let too_long = || {
        format!(
            "`{span}` is longer than a lock may last ({MAX_LOCK_DAYS}d): give a shorter duration, or none to lock until lifted"
        )
    };
    let span = chrono::Duration::from_std(span.0).map_err(|_| too_long())?;
    if span > longest() {
        return Err(too_long());
    }
    if span <= Duration::zero() {
        return Err("a lock of no duration lifts at once: give e.g. `30m` or `2h`".into());
    }
    now.checked_add_signed(span).ok_or_else(too_long)
}

/// Checks that a lock asked to lift at `at` lifts after `now` and within a year; `text` is
/// what the operator wrote.
pub fn until_at(
    now: DateTime<Utc>,
    at: DateTime<Utc>,
    text: &str,
) -> Result<DateTime<Utc>, String> {
    if at <= now {
        return Err(format!("`{text}` is in the past"));
    }
    match now.checked_add_signed(longest()) {
        Some(latest) if at <= latest => Ok(at),
        _ => Err(format!(
            "`{text}` is more than {MAX_LOCK_DAYS} days away: a lock lifts within a year, or is taken until lifted"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .unwrap()
    }

    #[test]
    fn reasons_are_plain_bounded_single_lines() {
        assert_eq!(reason("  db migration ").unwrap(), "db migration");
        assert!(reason(" ").unwrap_err().contains("a reason is required"));
        assert!(
            reason(&"x".repeat(501))
                .unwrap_err()
                .contains("501 characters long")
        );
        assert!(reason(&"é".repeat(500)).is_ok(), "characters, not bytes");
        let err = reason("x\u{1b}]0;pwned\u{7}").unwrap_err();
        assert!(err.contains("control character (`x^[]0;pwned^G`)"), "{err}");
        assert!(reason("line one\nline two").is_err());
    }

    #[test]
    fn a_lock_lasts_at_most_a_year_and_huge_durations_do_not_overflow() {
        assert_eq!(
            until_after(now(), Span::seconds(7200)).unwrap(),
            now() + Duration::hours(2)
        );
        assert!(until_after(now(), Span::seconds(365 * 86_400)).is_ok());
        for huge in [366 * 86_400, 100_000_000 * 86_400, u64::MAX] {
            let err = until_after(now(), Span::seconds(huge)).unwrap_err();
            assert!(err.contains("longer than a lock may last (365d)"), "{err}");
        }
        assert!(until_after(now(), Span::seconds(0)).is_err());
        let far = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).single().unwrap();
        assert!(
            until_at(now(), far, "2030-01-01")
                .unwrap_err()
                .contains("more than 365 days")
        );
        assert!(
            until_at(now(), now(), "now")
                .unwrap_err()
                .contains("in the past")
        );
        assert_eq!(
            until_at(now(), now() + Duration::days(3), "x"),
            Ok(now() + Duration::days(3))
        );
    }
}
