//! Deploy hours and freezes across time zones and DST changes, with a fixed clock.

use super::*;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
}

fn zone(name: &str) -> Tz {
    name.parse().unwrap()
}

#[test]
fn deploy_hours_lock_outside_the_window_until_the_next_opening_in_the_team_zone() {
    let hours: DeployHours = "Mon-Fri 09:00-15:30".parse().unwrap();
    // (now UTC, zone, expected until UTC or None when open, expected since UTC)
    #[allow(clippy::type_complexity)]
    let cases: [(
        DateTime<Utc>,
        &str,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
    ); 8] = [
        // New York, EST (UTC-5): Tuesday 10:00 local is open.
        (utc(2026, 11, 24, 15, 0), "America/New_York", None, None),
        // Tuesday 16:00 local: closed until Wednesday 09:00 local, since 15:30 local.
        (
            utc(2026, 11, 24, 21, 0),
            "America/New_York",
            Some(utc(2026, 11, 25, 14, 0)),
            Some(utc(2026, 11, 24, 20, 30)),
        ),
        // Saturday: closed until Monday 09:00, since Friday 15:30.
        (
            utc(2026, 11, 28, 17, 0),
            "America/New_York",
            Some(utc(2026, 11, 30, 14, 0)),
            Some(utc(2026, 11, 27, 20, 30)),
        ),
        // Tuesday 08:59 local: closed for one more minute.
        (
            utc(2026, 11, 24, 13, 59),
            "America/New_York",
            Some(utc(2026, 11, 24, 14, 0)),
            Some(utc(2026, 11, 23, 20, 30)),
        ),
        // DST starts in New York on Sunday 2026-03-08: Saturday in EST, Monday opens in EDT (UTC-4).
        (
            utc(2026, 3, 7, 17, 0),
            "America/New_York",
            Some(utc(2026, 3, 9, 13, 0)),
            Some(utc(2026, 3, 6, 20, 30)),
        ),
        // DST ends in Berlin on Sunday 2026-10-25: Saturday in CEST (UTC+2), Monday opens in CET (UTC+1).
        (
            utc(2026, 10, 24, 12, 0),
            "Europe/Berlin",
            Some(utc(2026, 10, 26, 8, 0)),
            Some(utc(2026, 10, 23, 13, 30)),
        ),
        // Kolkata, UTC+5:30, no DST: Monday 08:00 local is closed until 09:00.
        (
            utc(2026, 11, 23, 2, 30),
            "Asia/Kolkata",
            Some(utc(2026, 11, 23, 3, 30)),
            Some(utc(2026, 11, 20, 10, 0)),
        ),
        // The same instant is open in UTC (Monday 09:00-15:30 UTC covers 10:00 UTC).
        (utc(2026, 11, 23, 10, 0), "UTC", None, None),
    ];
    for (now, tz, until, since) in cases {
        let lock = hours.lock_at("production", now, zone(tz));
        match until {
            None => assert!(lock.is_none(), "{now} {tz}: expected open, got {lock:?}"),
            Some(until) => {
                let lock = lock.unwrap_or_else(|| panic!("{now} {tz}: expected a lock"));
                assert_eq!(lock.until, Some(until), "{now} {tz}");
                assert_eq!(Some(lock.since), since, "{now} {tz}");
                assert_eq!(lock.origin, LockOrigin::Schedule);
                assert!(
                    lock.reason
                        .contains("outside deploy hours (Mon–Fri 09:00–15:30"),
                    "{}",
                    lock.reason
                );
                assert!(lock.reason.contains(tz), "{}", lock.reason);
            }
        }
    }
}

#[test]
fn several_windows_and_day_lists_are_understood() {
    let hours: DeployHours = "Mon-Thu 09:00-16:00, Fri 09:00-12:00".parse().unwrap();
    let tz = Tz::UTC;
    assert!(
        hours.lock_at("p", utc(2026, 11, 26, 15, 0), tz).is_none(),
        "Thursday 15:00"
    );
    let friday = hours.lock_at("p", utc(2026, 11, 27, 13, 0), tz).unwrap();
    assert_eq!(
        friday.until,
        Some(utc(2026, 11, 30, 9, 0)),
        "Friday afternoon waits for Monday"
    );
    let weekend: DeployHours = "Sat,Sun 10:00-11:00".parse().unwrap();
    assert!(
        weekend
            .lock_at("p", utc(2026, 11, 28, 10, 30), tz)
            .is_none()
    );
    let daily: DeployHours = "daily 00:00-23:59".parse().unwrap();
    assert!(daily.lock_at("p", utc(2026, 11, 28, 10, 30), tz).is_none());
}

#[test]
fn bad_deploy_hours_say_what_was_expected() {
    for (text, expected) in [
        ("Mon-Fry 09:00-15:30", "`Fry` is not a day"),
        ("Mon-Fri 15:30-09:00", "ends before it starts"),
        ("Mon-Fri 9-5", "is not a time of day"),
        ("Mon-Fri", "is not a deploy window"),
        ("Mon-Fri 09:00", "is not a time range"),
    ] {
        let err = text.parse::<DeployHours>().unwrap_err();
        assert!(err.contains(expected), "{text}: {err}");
    }
}

#[test]
fn a_freeze_locks_its_environments_for_its_period_in_the_team_zone() {
    let freeze: Freeze = serde_yaml::from_str(
        "{name: holiday freeze, from: 2026-12-20, to: '2027-01-04 09:00', environments: [production]}",
    )
    .unwrap();
    let tz = zone("America/New_York");
    let inside = freeze
        .lock_at("production", utc(2026, 12, 25, 12, 0), tz)
        .unwrap();
    assert_eq!(inside.reason, "holiday freeze");
    assert_eq!(inside.since, utc(2026, 12, 20, 5, 0));
    assert_eq!(inside.until, Some(utc(2027, 1, 4, 14, 0)));
    assert!(
        freeze
            .lock_at("staging", utc(2026, 12, 25, 12, 0), tz)
            .is_none(),
        "other environments stay open"
    );
    assert!(
        freeze
            .lock_at("production", utc(2027, 1, 4, 14, 0), tz)
            .is_none(),
        "lifts at its end"
    );
    assert!(
        freeze
            .lock_at("production", utc(2026, 12, 20, 4, 59), tz)
            .is_none(),
        "not before its start"
    );
}

#[test]
fn a_freeze_that_ends_before_it_starts_is_refused() {
    let err =
        serde_yaml::from_str::<Freeze>("{name: f, from: 2027-01-04, to: 2026-12-20}").unwrap_err();
    assert!(
        err.to_string()
            .contains("freeze `f` ends (2026-12-20 00:00) before it starts"),
        "{err}"
    );
}

#[test]
fn an_unknown_time_zone_is_refused_with_an_example() {
    let err = serde_yaml::from_str::<TimeZoneName>("Mars/Olympus").unwrap_err();
    assert!(
        err.to_string()
            .contains("`Mars/Olympus` is not a time zone"),
        "{err}"
    );
}

#[test]
fn schedules_combine_deploy_hours_and_freezes() {
    let schedules = Schedules {
        deploy_hours: vec![(
            "production".into(),
            "Mon-Fri 09:00-17:00".parse().unwrap(),
            Tz::UTC,
        )],
        freezes: vec![
            serde_yaml::from_str(
                "{name: freeze, reason: launch, from: 2026-11-24, to: 2026-11-25}",
            )
            .unwrap(),
        ],
        timezone: Tz::UTC,
        environments: vec!["staging".into(), "production".into()],
    };
    let locks = schedules.locks_at(utc(2026, 11, 24, 20, 0));
    let scopes: Vec<String> = locks
        .iter()
        .map(|l| format!("{} {}", l.scope.label(), l.reason))
        .collect();
    assert_eq!(
        scopes,
        [
            "production outside deploy hours (Mon–Fri 09:00–17:00 UTC)",
            "staging freeze: launch",
            "production freeze: launch"
        ]
    );
}
