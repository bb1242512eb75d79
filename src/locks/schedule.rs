//! Schedules that lock environments by themselves: deploy hours ("Mon-Fri 09:00-15:30" in the
//! team's time zone) and freeze periods ("holiday freeze", 2026-12-20 to 2027-01-04).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::de::{self, Deserializer, Visitor};

use crate::model::{Lock, LockOrigin, LockScope};

/// How far ahead and back a schedule is searched for its next opening or last closing.
const SEARCH_DAYS: i64 = 14;

/// A time zone by its IANA name ("America/New_York"), as written in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZoneName(pub Tz);

impl Default for TimeZoneName {
    fn default() -> Self {
        TimeZoneName(Tz::UTC)
    }
}

impl<'de> serde::Deserialize<'de> for TimeZoneName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ZoneVisitor;
        impl Visitor<'_> for ZoneVisitor {
            type Value = TimeZoneName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an IANA time zone name such as `Europe/Berlin`")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<TimeZoneName, E> {
                name.parse::<Tz>().map(TimeZoneName).map_err(|_| {
                    E::custom(format!(
                        "`{name}` is not a time zone (expected an IANA name such as `Europe/Berlin`, `America/New_York` or `UTC`)"
                    ))
                })
            }
        }
        deserializer.deserialize_str(ZoneVisitor)
    }
}

/// One window of deploy hours: days of the week and a time range within each day.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Window {
    days: [bool; 7],
    start: NaiveTime,
    end: NaiveTime,
}

/// When deploys are allowed: one or more windows, e.g. "Mon-Thu 09:00-16:00, Fri 09:00-12:00".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployHours {
    windows: Vec<Window>,
    /// The text as written, for reasons shown to people.
    text: String,
}

const DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Monday = 0 from "Mon", "monday", "Thurs" (at least three letters).
fn day(name: &str) -> Option<usize> {
    let lower = name.trim().to_ascii_lowercase();
    DAY_NAMES
        .iter()
        .position(|full| lower.len() >= 3 && full.starts_with(&lower))
}

fn parse_days(text: &str) -> Result<[bool; 7], String> {
    let mut days = [false; 7];
    for part in text.split(',') {
        let part = part.trim();
        if matches!(
            part.to_ascii_lowercase().as_str(),
            "daily" | "every day" | "mon-sun"
        ) {
            days = [true; 7];
            continue;
        }
        let day = |name: &str| {
            day(name).ok_or_else(|| {
                format!("`{}` is not a day (expected Mon, Tue, Wed, Thu, Fri, Sat or Sun, a range such as `Mon-Fri`, a list such as `Mon,Wed`, or `daily`)", name.trim())
            })
        };
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (day(from)?, day(to)?);
                let mut d = from;
                loop {
                    days[d] = true;
                    if d == to {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => days[day(part)?] = true,
        }
    }
    Ok(days)
}

fn parse_time(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        format!(
            "`{}` is not a time of day (expected HH:MM, e.g. `09:00`)",
            text.trim()
        )
    })
}

impl FromStr for DeployHours {
    type Err = String;

    fn from_str(text: &str) -> Result<DeployHours, String> {
        let mut windows = Vec::new();
        // Windows are separated by ";" or by ", " before a new day name.
        for chunk in text.split(';').flat_map(split_windows) {
            let chunk = chunk.trim();
            let (days, times) = chunk.rsplit_once(' ').ok_or_else(|| {
                format!("`{chunk}` is not a deploy window (expected days then hours, e.g. `Mon-Fri 09:00-15:30`)")
            })?;
            let (start, end) = times.split_once('-').ok_or_else(|| {
                format!("`{times}` is not a time range (expected e.g. `09:00-15:30`)")
            })?;
            let (start, end) = (parse_time(start)?, parse_time(end)?);
            if end <= start {
                return Err(format!(
                    "`{times}` ends before it starts (deploy hours cannot span midnight; write two windows)"
                ));
            }
            windows.push(Window {
                days: parse_days(days)?,
                start,
                end,
            });
        }
        if windows.is_empty() {
            return Err("deploy hours are empty (expected e.g. `Mon-Fri 09:00-15:30`)".into());
        }
        Ok(DeployHours {
            windows,
            text: text.trim().to_string(),
        })
    }
}

/// Splits "Mon-Thu 09:00-16:00, Fri 09:00-12:00" at the commas that start a new window (a
/// comma followed by text that itself contains a time range).
fn split_windows(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b',' {
            let before = &text[start..i];
            if before.contains(':') {
                out.push(before);
                start = i + 1;
            }
        }
    }
    out.push(&text[start..]);
    out
}

impl fmt::Display for DeployHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text.replace('-', "–"))
    }
}

impl<'de> serde::Deserialize<'de> for DeployHours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HoursVisitor;
        impl Visitor<'_> for HoursVisitor {
            type Value = DeployHours;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("deploy hours such as `Mon-Fri 09:00-15:30`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DeployHours, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(HoursVisitor)
    }
}

/// A wall-clock time in a zone, resolving DST gaps forward and overlaps to the earlier instant.
fn at_local(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let mut probe = local;
    for _ in 0..4 {
        if let Some(t) = tz.from_local_datetime(&probe).earliest() {
            return t.with_timezone(&Utc);
        }
        // Checked: a time from the configuration may sit at the end of the calendar.
        match probe.checked_add_signed(Duration::minutes(30)) {
            Some(next) => probe = next,
            None => break,
        }
    }
    Utc.from_utc_datetime(&local)
}

impl DeployHours {
    /// The window open at `now`, as (opened, closes), if any.
    fn open_window(&self, now: DateTime<Utc>, tz: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let local = now.with_timezone(&tz).date_naive();
        self.windows_on(local, tz)
            .into_iter()
            .find(|(open, close)| *open <= now && now < *close)
    }

    /// Every window's (open, close) on one local date.
    fn windows_on(&self, date: NaiveDate, tz: Tz) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let weekday = date.weekday().num_days_from_monday() as usize;
        let mut out: Vec<_> = self
            .windows
            .iter()
            .filter(|w| w.days[weekday])
            .map(|w| {
                (
                    at_local(tz, date.and_time(w.start)),
                    at_local(tz, date.and_time(w.end)),
                )
            })
            .collect();
        out.sort();
        out
    }

    /// Whether deploys are allowed at `now`; if not, the lock that says so, from the last
    /// closing to the next opening.
    pub fn lock_at(&self, environment: &str, now: DateTime<Utc>, tz: Tz) -> Option<Lock> {
        if self.open_window(now, tz).is_some() {
            return None;
        }
        let today = now.with_timezone(&tz).date_naive();
        let mut since = None;
        for back in 0..SEARCH_DAYS {
            let Some(date) = today.checked_sub_signed(Duration::days(back)) else {
                break;
            };
            if let Some((_, close)) = self
                .windows_on(date, tz)
                .into_iter()
                .rev()
                .find(|(_, close)| *close <= now)
            {
                since = Some(close);
                break;
            }
        }
        let mut until = None;
        for ahead in 0..SEARCH_DAYS {
            let Some(date) = today.checked_add_signed(Duration::days(ahead)) else {
                break;
            };
            if let Some((open, _)) = self
                .windows_on(date, tz)
                .into_iter()
                .find(|(open, _)| *open > now)
            {
                until = Some(open);
                break;
            }
        }
        Some(Lock {
            scope: LockScope::Environment {
                environment: environment.to_string(),
            },
            reason: format!("outside deploy hours ({self} {tz})"),
            by: "schedule".to_string(),
            origin: LockOrigin::Schedule,
            since: since.unwrap_or(now),
            until,
        })
    }
}

/// A local date and time as written: "2026-12-20 18:00", "2026-12-20T18:00" or "2026-12-20".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime(pub NaiveDateTime);

impl FromStr for LocalTime {
    type Err = String;

    fn from_str(text: &str) -> Result<LocalTime, String> {
        let t = text.trim();
        for format in [
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
        ] {
            if let Ok(dt) = NaiveDateTime::parse_from_str(t, format) {
                return Ok(LocalTime(dt));
            }
        }
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(|d| LocalTime(d.and_time(NaiveTime::MIN)))
            .map_err(|_| format!("`{t}` is not a date and time (expected e.g. `2026-12-20 18:00` or `2026-12-20`)"))
    }
}

impl<'de> serde::Deserialize<'de> for LocalTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl Visitor<'_> for TimeVisitor {
            type Value = LocalTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date and time such as `2026-12-20 18:00`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LocalTime, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(TimeVisitor)
    }
}

/// A named period in which some or all environments are frozen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, try_from = "FreezeFile")]
pub struct Freeze {
    pub name: String,
    pub reason: String,
    pub from: LocalTime,
    pub to: LocalTime,
    /// Frozen environments; empty means all.
    pub environments: Vec<String>,
}

/// A freeze as written, checked into a [`Freeze`].
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FreezeFile {
    name: String,
    reason: Option<String>,
    from: LocalTime,
    to: LocalTime,
    #[serde(default)]
    environments: Vec<String>,
}

impl TryFrom<FreezeFile> for Freeze {
    type Error = String;

    fn try_from(f: FreezeFile) -> Result<Freeze, String> {
        if f.to <= f.from {
            return Err(format!(
                "freeze `{}` ends ({}) before it starts ({})",
                f.name,
                f.to.0.format("%Y-%m-%d %H:%M"),
                f.from.0.format("%Y-%m-%d %H:%M")
            ));
        }
        Ok(Freeze {
            reason: f.reason.unwrap_or_else(|| f.name.clone()),
            name: f.name,
            from: f.from,
            to: f.to,
            environments: f.environments,
        })
    }
}

impl Freeze {
    /// The lock on `environment` at `now`, if the freeze covers it then.
    pub fn lock_at(&self, environment: &str, now: DateTime<Utc>, tz: Tz) -> Option<Lock> {
        if !self.environments.is_empty() && !self.environments.iter().any(|e| e == environment) {
            return None;
        }
        let (from, to) = (at_local(tz, self.from.0), at_local(tz, self.to.0));
        (from <= now && now < to).then(|| Lock {
            scope: LockScope::Environment {
                environment: environment.to_string(),
            },
            reason: if self.reason == self.name {
                self.name.clone()
            } else {
                format!("{}: {}", self.name, self.reason)
            },
            by: "schedule".to_string(),
            origin: LockOrigin::Schedule,
            since: from,
            until: Some(to),
        })
    }
}

/// Every schedule of the configuration: deploy hours per environment and the freezes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schedules {
    /// (environment, its deploy hours, its time zone).
    pub deploy_hours: Vec<(String, DeployHours, Tz)>,
    pub freezes: Vec<Freeze>,
    /// The team's time zone, for freezes.
    pub timezone: Tz,
    /// Every environment, for freezes that name none.
    pub environments: Vec<String>,
}

impl Schedules {
    /// The schedule locks in force at `now`.
    pub fn locks_at(&self, now: DateTime<Utc>) -> Vec<Lock> {
        let mut locks: Vec<Lock> = self
            .deploy_hours
            .iter()
            .filter_map(|(env, hours, tz)| hours.lock_at(env, now, *tz))
            .collect();
        for freeze in &self.freezes {
            locks.extend(
                self.environments
                    .iter()
                    .filter_map(|env| freeze.lock_at(env, now, self.timezone)),
            );
        }
        locks
    }

    pub fn is_empty(&self) -> bool {
        self.deploy_hours.is_empty() && self.freezes.is_empty()
    }
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
