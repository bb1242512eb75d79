//! One failing repository costs only its own cells: a GitHub source of three repositories,
//! the middle one answering 404, 403, 500, a timeout or malformed JSON. The other two are read
//! and shown as usual, the failing one keeps its last good data (or has none) and its report
//! names it and the reason; it is retried after its own backoff while the others keep their
//! interval; a rate limit stops the cycle for everyone, keeping what was read.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::time::Duration;

use serde_json::json;

use shiproom::sources::{Source, Wait};

use support::github::*;
use support::harness::*;
use support::{Reply, Server};

const REPOS: [&str; 3] = ["acme/checkout", "acme/payments", "acme/ledger"];
const PAYMENTS: &str = "/repos/acme/payments";
const LEDGER: &str = "/repos/acme/ledger";

fn seconds(s: i64) -> chrono::DateTime<chrono::Utc> {
    t0() + chrono::Duration::seconds(s)
}

/// How a fault is set up on the server.
type Fault = Box<dyn Fn(&Server)>;

/// The faults of the issue, each with the reason its report must give.
fn faults() -> Vec<(&'static str, Fault, &'static str)> {
    vec![
        (
            "404 (renamed)",
            Box::new(|s: &Server| {
                s.on_prefix(PAYMENTS, Reply::raw(404, r#"{"message":"Not Found"}"#))
            }),
            "404 wrong repository acme/payments",
        ),
        (
            "403, no rate limit",
            Box::new(|s: &Server| {
                s.on_prefix(
                    PAYMENTS,
                    Reply::raw(
                        403,
                        r#"{"message":"Resource not accessible by integration"}"#,
                    ),
                )
            }),
            "403 forbidden on acme/payments: Resource not accessible by integration",
        ),
        (
            "500",
            Box::new(|s: &Server| {
                s.on_prefix(PAYMENTS, Reply::raw(500, r#"{"message":"Server Error"}"#))
            }),
            "500 server error on acme/payments",
        ),
        (
            "timeout",
            Box::new(|s: &Server| {
                s.on_prefix(
                    PAYMENTS,
                    json_etag(&json!([])).delay(Duration::from_secs(3)),
                )
            }),
            "timeout after 1s on acme/payments",
        ),
        (
            "malformed JSON",
            Box::new(|s: &Server| {
                let mut broken =
                    deployment(33, &staging_sha(), "v1.5.0", "prod", &at(8, 59), "dara");
                broken["sha"] = json!(null);
                s.on(
                    &format!("{PAYMENTS}/deployments"),
                    None,
                    json_etag(&json!([broken])),
                )
            }),
            "malformed JSON from acme/payments at deployments[0].sha: invalid type: null, expected a string",
        ),
    ]
}

#[tokio::test]
async fn a_failing_repository_costs_only_its_own_cells_and_recovers_on_its_own() {
    for (fault, apply, reason) in faults() {
        let mut s = setup_repos(&REPOS, "").await;
        apply(&s.server);
        let outcome = s.cycle(0).await;
        assert!(outcome.result.is_ok(), "{fault}: {:?}", outcome.result);

        for service in ["checkout", "ledger"] {
            assert_eq!(
                s.running(service, "production").as_deref(),
                Some("v1.4.0"),
                "{fault}: {service}"
            );
            assert_eq!(s.running(service, "staging").as_deref(), Some("v1.5.0"));
            assert!(
                s.model.board.in_flight.iter().any(|d| d.service == service),
                "{fault}: {service}'s deploys in flight are shown"
            );
        }
        assert_eq!(s.running("payments", "production"), None, "{fault}");
        assert!(
            s.server.count_under(&format!("{LEDGER}/")) > 0,
            "{fault}: read after it"
        );

        for ok in ["acme/checkout", "acme/ledger"] {
            let report = Setup::target(&outcome, ok);
            assert_eq!(report.error, None, "{fault}: {ok}");
            assert_eq!(report.last_success, Some(t0()));
        }
        let payments = Setup::target(&outcome, "acme/payments");
        let error = payments.error.as_deref().expect("it failed");
        assert!(error.starts_with(reason), "{fault}: {error}");
        assert_eq!(payments.last_success, None, "never read");
        assert_eq!(
            payments.cells,
            [
                ("payments".to_string(), "staging".to_string()),
                ("payments".to_string(), "production".to_string())
            ]
        );

        let doc = s.status_json();
        let targets = &doc["sources"][0]["targets"];
        assert_eq!(targets[1]["name"], "acme/payments");
        assert_eq!(targets[1]["ok"], false);
        assert_eq!(targets[1]["error"], error);
        assert_eq!(targets[1]["last_success"], serde_json::Value::Null);
        assert_eq!(targets[0]["ok"], true, "{fault}");
        assert_eq!(
            doc["services"][0]["cells"]["production"]["version"],
            "v1.4.0"
        );
        assert_no_token(&s.all_output(&outcome));
        // The board: the failing repository's cells are unknown, with the reason on the
        // status bar; the others are fresh.
        let cell = s.cell_of("payments", "production");
        assert!(cell.freshness.is_unknown(), "{fault}: {:?}", cell.freshness);
        assert!(
            !s.cell_of("ledger", "production").freshness.is_stale(),
            "{fault}"
        );
        let bar = s.status_bar();
        assert!(
            bar.contains(&format!("github ok │ 1 of 3 failing: {error}")),
            "{fault}: {bar}"
        );
        assert_eq!(doc["unknown_cells"], 2, "{fault}");

        // It recovers: the next cycle (after its backoff) reads it like the others.
        s.server.off_prefix(PAYMENTS);
        serve_fleet_of(&s.server, "acme/payments");
        let outcome = s.cycle(1).await;
        let payments = Setup::target(&outcome, "acme/payments");
        assert_eq!(payments.error, None, "{fault}");
        assert_eq!(
            payments.last_success,
            Some(t0() + chrono::Duration::minutes(1))
        );
        assert_eq!(
            s.running("payments", "production").as_deref(),
            Some("v1.4.0")
        );
    }
}

#[tokio::test]
async fn a_failing_repository_keeps_its_last_good_deployments_while_the_others_move_on() {
    let mut s = setup_repos(&REPOS, "").await;
    assert!(s.cycle(0).await.result.is_ok());
    s.server
        .on_prefix(PAYMENTS, Reply::raw(500, r#"{"message":"Server Error"}"#));
    // Meanwhile v1.5.0 reached production in the ledger, after the failing repository.
    s.server.on(
        &format!("{LEDGER}/deployments"),
        Some("environment=prod"),
        json_etag(&json!([deployment(
            40,
            &staging_sha(),
            "v1.5.0",
            "prod",
            &at(8, 59),
            "dara"
        )])),
    );
    s.server.on(
        &format!("{LEDGER}/deployments/40/statuses"),
        None,
        json_etag(&json!([status(401, "success", &at(9, 0), "done")])),
    );
    let outcome = s.cycle(1).await;
    let payments = Setup::target(&outcome, "acme/payments");
    assert_eq!(
        payments.error.as_deref(),
        Some("500 server error on acme/payments")
    );
    assert_eq!(payments.last_success, Some(t0()), "its data is of t0");
    assert_eq!(
        s.running("payments", "production").as_deref(),
        Some("v1.4.0"),
        "kept across the failure"
    );
    assert!(
        s.cell_of("payments", "production").in_flight.is_some(),
        "its deploy in flight is kept too"
    );
    assert_eq!(
        s.cell_of("payments", "production").freshness,
        shiproom::model::Freshness::Stale {
            as_of: Some(t0()),
            reason: "github: 500 server error on acme/payments".into()
        },
        "stale with its age and the reason"
    );
    assert_eq!(
        s.running("ledger", "production").as_deref(),
        Some("v1.5.0"),
        "the new deployment after the failing repository shows at once"
    );
    assert!(Setup::target(&outcome, "acme/ledger").is_ok());
}

#[tokio::test]
async fn a_failing_repository_waits_out_its_own_backoff_while_the_others_are_polled_every_cycle() {
    let mut s = setup_repos(&REPOS, "interval: 1s").await;
    assert!(s.cycle_at(t0()).await.result.is_ok());
    s.server
        .on_prefix(PAYMENTS, Reply::raw(500, r#"{"message":"Server Error"}"#));
    let mut asked = Vec::new();
    for n in 1..=12 {
        let before = (
            s.server.count_under(&format!("{PAYMENTS}/")),
            s.server.count_under("/repos/acme/checkout/"),
            s.server.count_under(&format!("{LEDGER}/")),
        );
        let outcome = s.cycle_at(seconds(n)).await;
        assert!(outcome.result.is_ok());
        assert!(
            s.server.count_under("/repos/acme/checkout/") > before.1,
            "checkout is polled in cycle {n}"
        );
        assert!(
            s.server.count_under(&format!("{LEDGER}/")) > before.2,
            "ledger is polled in cycle {n}"
        );
        if s.server.count_under(&format!("{PAYMENTS}/")) > before.0 {
            asked.push(n);
        }
    }
    // Failed at 1 s; retried after 5 s ± 20 % (so at 5, 6 or 7 s); then after 10 s ± 20 %,
    // which is past 12 s.
    assert_eq!(asked.len(), 2, "payments asked at {asked:?}");
    assert_eq!(asked[0], 1);
    assert!((5..=7).contains(&asked[1]), "payments asked at {asked:?}");
}

#[tokio::test]
async fn a_refresh_asks_a_repository_waiting_out_its_backoff_at_once() {
    let mut s = setup_repos(&REPOS, "interval: 1s").await;
    assert!(s.cycle_at(t0()).await.result.is_ok());
    s.server
        .on_prefix(PAYMENTS, Reply::raw(500, r#"{"message":"Server Error"}"#));
    s.cycle_at(seconds(1)).await;
    let before = s.server.count_under(&format!("{PAYMENTS}/"));
    s.cycle_at(seconds(2)).await;
    assert_eq!(
        s.server.count_under(&format!("{PAYMENTS}/")),
        before,
        "in backoff"
    );
    s.runner.refresh();
    s.cycle_at(seconds(3)).await;
    assert!(
        s.server.count_under(&format!("{PAYMENTS}/")) > before,
        "`r` asks it now"
    );
}

#[tokio::test]
async fn a_rate_limit_stops_the_cycle_keeps_what_was_read_and_reports_the_rest_unread() {
    let mut s = setup_repos(&REPOS, "").await;
    assert!(s.cycle(0).await.result.is_ok());
    s.server.clear_requests();
    s.server.on_prefix(
        PAYMENTS,
        Reply::raw(
            403,
            r#"{"message":"API rate limit exceeded for user ID 1."}"#,
        )
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-reset", reset_epoch().to_string()),
    );
    let outcome = s.cycle(1).await;
    assert_eq!(
        outcome.wait,
        Some(Wait::firm(Duration::from_secs(59 * 60 + 1))),
        "the quota is the token's: the whole source waits for the reset"
    );
    assert_eq!(s.server.count_under(&format!("{LEDGER}/")), 0, "not asked");
    let checkout = Setup::target(&outcome, "acme/checkout");
    assert_eq!(checkout.error, None, "read before the limit");
    assert_eq!(
        checkout.last_success,
        Some(t0() + chrono::Duration::minutes(1))
    );
    assert_eq!(
        Setup::target(&outcome, "acme/payments").error.as_deref(),
        Some("rate limited on acme/payments: waiting 60m, until 10:00 UTC")
    );
    let ledger = Setup::target(&outcome, "acme/ledger");
    assert_eq!(
        ledger.error.as_deref(),
        Some("not read: rate limited, retrying at 10:00 UTC")
    );
    assert_eq!(ledger.last_success, Some(t0()));
    assert_eq!(s.running("ledger", "production").as_deref(), Some("v1.4.0"));
}

#[tokio::test]
async fn a_bad_token_stops_the_first_cycle_at_the_first_repository_and_nothing_is_shown() {
    let mut s = setup_repos(&REPOS, "").await;
    s.server.on_prefix(
        "/repos/",
        Reply::raw(401, r#"{"message":"Bad credentials"}"#),
    );
    let outcome = s.cycle(0).await;
    let error = outcome.result.expect_err("nothing read, nothing kept");
    assert_eq!(
        error.reason,
        format!("401 bad token: check `cat {}`", s.token_file.display())
    );
    assert_eq!(s.server.requests().len(), 1, "one 401 says it for all");
    assert_backoff(outcome.wait, 5);
}

#[tokio::test]
async fn check_names_each_failing_repository_with_its_reason_and_goes_on_to_the_next() {
    let mut s = setup_repos(&REPOS, "").await;
    s.server
        .on_prefix(PAYMENTS, Reply::raw(500, r#"{"message":"Server Error"}"#));
    s.cycle(0).await;
    let details = vec![s.runner.check(t0()).await];
    let data = tempfile_dir();
    let locks = s.config.lock_setup(Some(&data)).expect("a lock setup");
    let (text, ok) = shiproom::commands::check::report(&s.config, &s.model, &details, &locks);
    assert!(!ok, "{text}");
    assert!(
        text.contains("✗ github (github): 1 of 3 repositories failing — "),
        "{text}"
    );
    assert!(
        text.contains("    ✓ acme/checkout: reachable, authorised; environments: staging, prod"),
        "{text}"
    );
    assert!(
        text.contains("    ✗ acme/payments: 500 server error\n"),
        "{text}"
    );
    assert!(
        text.contains("    ✓ acme/ledger: reachable, authorised; environments: staging, prod"),
        "{text}"
    );
    assert_no_token(&text);
}

/// A fresh directory for the lock store of a `check` report.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("shiproom-targets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    dir
}
