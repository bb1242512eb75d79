//! Rate limits: read the quota headers of every answer, wait as the API says when a limit is
//! hit, and pace the polls so a source spends at most its share of the hourly quota.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// The quota as the last answer reported it (`x-ratelimit-*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: u64,
    pub remaining: u64,
    /// When the window starts over.
    pub reset: DateTime<Utc>,
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

impl RateLimit {
    /// The quota headers of an answer, when it has them.
    pub fn from_headers(headers: &HeaderMap) -> Option<RateLimit> {
        let limit = header_u64(headers, "x-ratelimit-limit")?;
        let remaining = header_u64(headers, "x-ratelimit-remaining")?;
        let reset = header_u64(headers, "x-ratelimit-reset")?;
        let reset = Utc.timestamp_opt(i64::try_from(reset).ok()?, 0).single()?;
        Some(RateLimit {
            limit,
            remaining,
            reset,
        })
    }
}

/// The longest wait a rate-limit answer is trusted for (a reset far in the future is a clock
/// problem, not a reason to stop for a day).
const MAX_WAIT: Duration = Duration::from_secs(3600);
/// A secondary limit with neither `retry-after` nor an exhausted quota: wait at least this.
const SECONDARY_WAIT: Duration = Duration::from_secs(60);

/// Whether a 403 or 429 is a rate-limit answer, and how long to wait if so, as GitHub
/// documents it: `retry-after` seconds; else, with `x-ratelimit-remaining: 0`, until
/// `x-ratelimit-reset`; else, for a 429 or a message naming a secondary rate limit, 60 s.
/// `None`: not a rate-limit answer (a 403 is then "forbidden").
pub fn limited_wait(
    status: StatusCode,
    headers: &HeaderMap,
    message: &str,
    now: DateTime<Utc>,
) -> Option<Duration> {
    if status != StatusCode::FORBIDDEN && status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    if let Some(secs) = header_u64(headers, "retry-after") {
        return Some(Duration::from_secs(secs).min(MAX_WAIT));
    }
    if header_u64(headers, "x-ratelimit-remaining") == Some(0) {
        let wait = RateLimit::from_headers(headers)
            .map(|r| until(now, r.reset) + Duration::from_secs(1))
            .unwrap_or(SECONDARY_WAIT);
        return Some(wait.min(MAX_WAIT));
    }
    if status == StatusCode::TOO_MANY_REQUESTS || message.to_lowercase().contains("rate limit") {
        return Some(SECONDARY_WAIT);
    }
    None
}

/// The time from `now` to `then`, zero if it has passed.
pub fn until(now: DateTime<Utc>, then: DateTime<Utc>) -> Duration {
    (then - now).to_std().unwrap_or_default()
}

/// How many steady cycles the pacer remembers; it paces on the dearest of them.
const STEADY_CYCLES: usize = 3;

/// Spends at most `share` of the quota per window: counts the requests this source made that
/// the API charged for, and stretches the wait between polls when the pace would overrun.
///
/// It paces on what a cycle costs *now*: the dearest of the last three full cycles after the
/// first. The first cycle is cold (nothing cached: every answer is charged, 45 repositories
/// cost ~330 requests) and says nothing about the next ones, which are mostly free 304s;
/// pacing on it left a healthy board waiting half an hour. The dearest of three, not the last
/// one, so one quiet cycle in a busy hour does not let the pace run away; a burst of deploys
/// stops counting three cycles after it ends.
#[derive(Debug, Clone)]
pub struct Pacer {
    share: f64,
    /// The reset of the window being counted; a later reset starts a new window.
    window: Option<DateTime<Utc>>,
    spent: u64,
    last: Option<RateLimit>,
    /// Full cycles recorded so far (the first one is cold and not kept).
    cycles: u64,
    /// The charged requests of the last steady cycles, newest last.
    steady: Vec<u64>,
}

impl Pacer {
    pub fn new(share: f64) -> Pacer {
        Pacer {
            share: share.clamp(0.01, 1.0),
            window: None,
            spent: 0,
            last: None,
            cycles: 0,
            steady: Vec::with_capacity(STEADY_CYCLES),
        }
    }

    /// The quota as last seen.
    pub fn last(&self) -> Option<RateLimit> {
        self.last
    }

    /// Records one answer: its quota headers, and whether the API charged for it (a 304 is free).
    pub fn record(&mut self, rate: Option<RateLimit>, charged: bool) {
        if let Some(rate) = rate {
            if self.window != Some(rate.reset) {
                if self.window.is_some_and(|w| rate.reset > w) || self.window.is_none() {
                    self.spent = 0;
                }
                self.window = Some(rate.reset);
            }
            self.last = Some(rate);
        }
        if charged {
            self.spent = self.spent.saturating_add(1);
        }
    }

    /// Records what a full cycle (every target asked) was charged. The first is cold and only
    /// counted in `spent`; the later ones are the steady cost the pace is set by.
    pub fn record_cycle(&mut self, charged: u64) {
        self.cycles = self.cycles.saturating_add(1);
        if self.cycles == 1 {
            return;
        }
        if self.steady.len() == STEADY_CYCLES {
            self.steady.remove(0);
        }
        self.steady.push(charged);
    }

    /// What a cycle costs now: the dearest of the last steady cycles; `None` before the
    /// first steady cycle.
    pub fn steady_cost(&self) -> Option<u64> {
        self.steady.iter().copied().max()
    }

    /// Requests charged in the current window.
    pub fn spent(&self) -> u64 {
        self.spent
    }

    /// How long to wait before the next poll: the interval, or longer so that the cycles left
    /// before the reset, at the steady cost, fit in the budget (`share` × limit), or until the
    /// reset when the budget or the quota is spent. Before any steady cycle only a spent
    /// budget or quota slows it down.
    pub fn wait(&self, interval: Duration, now: DateTime<Utc>) -> Duration {
        let Some(rate) = self.last else {
            return interval;
        };
        let to_reset = until(now, rate.reset);
        if to_reset.is_zero() {
            return interval;
        }
        let until_reset = (to_reset + Duration::from_secs(1))
            .min(MAX_WAIT)
            .max(interval);
        let budget = (rate.limit as f64 * self.share).floor() as u64;
        let left = budget.saturating_sub(self.spent);
        let steady = self.steady_cost();
        let cost = steady.unwrap_or(0).max(1);
        if left < cost || rate.remaining < cost {
            return until_reset;
        }
        match steady {
            None | Some(0) => interval,
            Some(cost) => {
                let cycles = left / cost;
                to_reset.div_f64(cycles as f64).max(interval)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0).single().unwrap()
    }

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn retry_after_wins_then_the_reset_of_an_exhausted_quota_then_sixty_seconds() {
        let now = t(0);
        let h = headers(&[("retry-after", "30".into())]);
        assert_eq!(
            limited_wait(StatusCode::TOO_MANY_REQUESTS, &h, "", now),
            Some(Duration::from_secs(30))
        );
        let h = headers(&[
            ("x-ratelimit-limit", "5000".into()),
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", (1_800_000_000i64 + 600).to_string()),
        ]);
        assert_eq!(
            limited_wait(StatusCode::FORBIDDEN, &h, "API rate limit exceeded", now),
            Some(Duration::from_secs(601))
        );
        let h = headers(&[("x-ratelimit-remaining", "12".into())]);
        assert_eq!(
            limited_wait(
                StatusCode::FORBIDDEN,
                &h,
                "You have exceeded a secondary rate limit",
                now
            ),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            limited_wait(StatusCode::FORBIDDEN, &h, "Resource not accessible", now),
            None,
            "a plain 403 is forbidden, not a rate limit"
        );
    }

    fn rate(remaining: u64) -> RateLimit {
        RateLimit {
            limit: 5000,
            remaining,
            reset: t(3600),
        }
    }

    #[test]
    fn the_pacer_keeps_the_interval_while_the_share_lasts_and_stretches_it_before_the_limit() {
        let now = t(0);
        let interval = Duration::from_secs(60);
        let mut p = Pacer::new(0.25);
        p.record(Some(rate(4990)), true);
        p.record_cycle(1);
        // 10 charged requests a steady cycle, 1239 of 1250 left: 123 cycles in an hour is fine.
        for _ in 0..10 {
            p.record(None, true);
        }
        p.record_cycle(10);
        assert_eq!(p.wait(interval, now), interval);
        // 1200 spent: 50 left, 5 cycles of 10 in 3600 s: one every 720 s.
        for _ in 0..1189 {
            p.record(None, true);
        }
        assert_eq!(p.spent(), 1200);
        assert_eq!(p.wait(interval, now), Duration::from_secs(720));
        // The share is spent: wait for the reset.
        for _ in 0..50 {
            p.record(None, true);
        }
        assert_eq!(p.wait(interval, now), Duration::from_secs(3600));
        // Only 304s in the last cycles: cheap, but the share is still gone.
        for _ in 0..3 {
            p.record_cycle(0);
        }
        assert_eq!(p.wait(interval, now), Duration::from_secs(3600));
        // A new window starts the count over.
        p.record(
            Some(RateLimit {
                limit: 5000,
                remaining: 5000,
                reset: t(7200),
            }),
            false,
        );
        assert_eq!(p.spent(), 0);
        assert_eq!(p.wait(interval, t(3700)), interval);
    }

    #[test]
    fn the_cold_first_cycle_sets_no_pace_and_the_dearest_of_the_last_three_steady_ones_does() {
        let now = t(0);
        let interval = Duration::from_secs(60);
        let mut p = Pacer::new(0.25);
        // 45 repositories, nothing cached: 330 charged.
        p.record(Some(rate(4670)), true);
        for _ in 1..330 {
            p.record(None, true);
        }
        p.record_cycle(330);
        assert_eq!(p.steady_cost(), None);
        assert_eq!(
            p.wait(interval, now),
            interval,
            "not 30 minutes for a cycle that will not come again"
        );
        // Then all 304s.
        p.record_cycle(0);
        assert_eq!(p.wait(interval, now), interval);
        // A busy cycle counts for three cycles, then drops out.
        p.record_cycle(200);
        p.record_cycle(0);
        p.record_cycle(0);
        assert_eq!(p.steady_cost(), Some(200));
        // 920 left at 200 a cycle: 4 cycles in the hour, one every 900 s.
        assert_eq!(p.wait(interval, now), Duration::from_secs(900));
        p.record_cycle(0);
        assert_eq!(p.steady_cost(), Some(0));
        assert_eq!(p.wait(interval, now), interval);
    }

    #[test]
    fn a_quota_used_up_by_others_waits_for_the_reset_too() {
        let mut p = Pacer::new(0.25);
        p.record(
            Some(RateLimit {
                limit: 5000,
                remaining: 3,
                reset: t(120),
            }),
            true,
        );
        p.record_cycle(40);
        p.record_cycle(10);
        assert_eq!(
            p.wait(Duration::from_secs(60), t(0)),
            Duration::from_secs(121)
        );
        // Even before a steady cycle, a quota with nothing left waits for the reset.
        let mut p = Pacer::new(0.25);
        p.record(
            Some(RateLimit {
                limit: 5000,
                remaining: 0,
                reset: t(120),
            }),
            true,
        );
        p.record_cycle(40);
        assert_eq!(
            p.wait(Duration::from_secs(60), t(0)),
            Duration::from_secs(121)
        );
    }
}
