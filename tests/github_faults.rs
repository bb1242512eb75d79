//! Failures of a GitHub repository, each named with the repository and its reason: its last
//! good data is kept, its report says why, and it is retried after its own backoff; a failure
//! of the whole source (the token, a rate limit) waits as the source must. The token shows in
//! no output.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::time::Duration;

use serde_json::json;

use shiproom::sources::{PollOutcome, Wait};

use support::Reply;
use support::github::*;
use support::harness::*;

/// A good first cycle, then production's deployments answer `reply`: the outcome of the
/// failing cycle one minute later.
async fn failing(reply: Reply) -> (Setup, PollOutcome) {
    let mut s = setup().await;
    assert!(s.cycle(0).await.result.is_ok());
    s.server.on(
        &format!("{REPO}/deployments"),
        Some("environment=prod"),
        reply,
    );
    let outcome = s.cycle(1).await;
    (s, outcome)
}

/// The failing cycle kept the repository's last good data; its report and `status --json`
/// say why, naming it, and when it was last read.
fn assert_kept_with_reason(s: &Setup, outcome: &PollOutcome, reason: &str) {
    let report = Setup::target(outcome, "acme/checkout");
    let error = report.error.as_deref().expect("the repository failed");
    assert!(error.contains(reason), "{error} (expected {reason})");
    assert_eq!(report.last_success, Some(t0()), "read whole at t0");
    assert_eq!(
        report.cells,
        [
            ("checkout".to_string(), "staging".to_string()),
            ("checkout".to_string(), "production".to_string())
        ]
    );
    assert_eq!(
        s.running("checkout", "production").as_deref(),
        Some("v1.4.0"),
        "last good data kept"
    );
    let doc = s.status_json();
    let target = &doc["sources"][0]["targets"][0];
    assert_eq!(target["name"], "acme/checkout");
    assert_eq!(target["ok"], false);
    assert!(
        target["error"].as_str().unwrap().contains(reason),
        "{target}"
    );
    assert_eq!(target["last_success"], "2026-11-24T09:00:00Z");
    assert_no_token(&s.all_output(outcome));
}

#[tokio::test]
async fn a_401_reads_the_token_again_then_says_bad_token_and_backs_off() {
    let (s, outcome) = failing(Reply::raw(
        401,
        r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#,
    ))
    .await;
    let name = format!("401 bad token: check `cat {}`", s.token_file.display());
    assert_kept_with_reason(&s, &outcome, &name);
    assert_backoff(outcome.wait, 5);
    assert_eq!(outcome.stats.unwrap().errors, 1);
}

#[tokio::test]
async fn a_403_with_the_quota_spent_waits_until_the_reset() {
    let (s, outcome) = failing(
        Reply::raw(403, r#"{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}"#)
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", reset_epoch().to_string()),
    )
    .await;
    assert_kept_with_reason(
        &s,
        &outcome,
        "rate limited on acme/checkout: waiting 60m, until 10:00 UTC",
    );
    // Polled at t0 + 1 min; the reset is at t0 + 60 min: 59 minutes and a second.
    assert_eq!(
        outcome.wait,
        Some(Wait::firm(Duration::from_secs(59 * 60 + 1)))
    );
    assert_eq!(s.model.sources[0].stats.unwrap().rate_remaining, Some(0));
    assert!(s.status_bar().ends_with("· 0/5,000"), "{}", s.status_bar());
}

#[tokio::test]
async fn a_429_with_retry_after_waits_that_long() {
    let (s, outcome) = failing(
        Reply::raw(
            429,
            r#"{"message":"You have exceeded a secondary rate limit."}"#,
        )
        .header("retry-after", "30"),
    )
    .await;
    assert_kept_with_reason(&s, &outcome, "rate limited on acme/checkout: waiting 30s");
    assert_eq!(outcome.wait, Some(Wait::firm(Duration::from_secs(30))));
}

#[tokio::test]
async fn a_500_backs_off_exponentially_and_a_success_starts_over() {
    let (mut s, outcome) = failing(Reply::raw(500, r#"{"message":"Server Error"}"#)).await;
    assert_kept_with_reason(&s, &outcome, "500 server error on acme/checkout");
    assert_backoff(outcome.wait, 5);
    assert_backoff(s.cycle(2).await.wait, 10);
    assert_backoff(s.cycle(3).await.wait, 20);
    serve_fleet(&s.server);
    let ok = s.cycle(4).await;
    assert!(Setup::target(&ok, "acme/checkout").is_ok());
    assert_eq!(ok.wait, None, "back to the interval");
    s.server.on(
        &format!("{REPO}/deployments"),
        Some("environment=prod"),
        Reply::raw(502, "<html>Bad Gateway</html>"),
    );
    let again = s.cycle(5).await;
    assert_eq!(
        Setup::target(&again, "acme/checkout").error.as_deref(),
        Some("502 server error on acme/checkout")
    );
    assert_backoff(again.wait, 5);
}

#[tokio::test]
async fn a_timeout_is_named_with_its_limit_and_its_repository() {
    let (s, outcome) = failing(json_etag(&json!([])).delay(Duration::from_secs(3))).await;
    assert_kept_with_reason(&s, &outcome, "timeout after 1s on acme/checkout");
    assert_backoff(outcome.wait, 5);
}

#[tokio::test]
async fn malformed_json_names_the_repository_and_the_field_that_failed() {
    let mut broken = deployment(33, &staging_sha(), "v1.5.0", "prod", &at(8, 59), "dara");
    broken["sha"] = json!(null);
    let (s, outcome) = failing(json_etag(&json!([broken]))).await;
    assert_kept_with_reason(
        &s,
        &outcome,
        "malformed JSON from acme/checkout at deployments[0].sha: invalid type: null, expected a string",
    );
    assert_backoff(outcome.wait, 5);
}

#[tokio::test]
async fn a_404_names_the_wrong_repository() {
    let (s, outcome) = failing(Reply::raw(
        404,
        r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}"#,
    ))
    .await;
    assert_kept_with_reason(&s, &outcome, "404 wrong repository acme/checkout");
}

#[tokio::test]
async fn a_403_that_is_no_rate_limit_is_forbidden() {
    let (s, outcome) = failing(Reply::raw(
        403,
        r#"{"message":"Resource not accessible by integration"}"#,
    ))
    .await;
    assert_kept_with_reason(
        &s,
        &outcome,
        "403 forbidden on acme/checkout: Resource not accessible by integration",
    );
    assert_backoff(outcome.wait, 5);
}

#[tokio::test]
async fn a_source_never_read_reports_the_failure_as_its_own() {
    let mut s = setup().await;
    s.server
        .on_prefix(REPO, Reply::raw(500, r#"{"message":"Server Error"}"#));
    let outcome = s.cycle(0).await;
    let error = outcome.result.expect_err("nothing read, nothing kept");
    assert_eq!(error.reason, "500 server error on acme/checkout");
    assert_backoff(outcome.wait, 5);
}
