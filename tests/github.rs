//! The GitHub source against a local server on 127.0.0.1 that answers with the shapes of the
//! official examples (copied to `tests/fixtures/github`): the board it builds, conditional requests,
//! pagination, every failure the status bar must explain, backoff and rate-limit waits, the
//! quota pacing, and a token that never shows anywhere.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::FixedOffset;
use serde_json::json;

use shiproom::config::{self, Config, ConfigOrigin};
use shiproom::model::{CheckStatus, DeployStatus};
use shiproom::msg::Msg;
use shiproom::sources::{PollOutcome, SourceRunner, Wait, catalog_for, targets_for};
use shiproom::state::{Mode, Model, Ui};
use shiproom::theme::Theme;
use shiproom::update::update;

use support::github::*;
use support::{Reply, Server};

/// A token nobody could mistake: every output is searched for it.
const TOKEN: &str = "ghp_SHIPROOMtestTOKEN0123456789abcdefXYZ";

struct Setup {
    server: Server,
    runner: SourceRunner,
    model: Model,
    ui: Ui,
    token_file: PathBuf,
}

fn token_file(token: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "shiproom-github-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("token");
    std::fs::write(&path, format!("{token}\n")).unwrap();
    path
}

fn config_for(url: &str, token_file: &std::path::Path) -> Config {
    let yaml = config_yaml(
        url,
        &format!("token_command: \"cat {}\"", token_file.display()),
    );
    config::parse(&yaml, ConfigOrigin::File("github.yaml".into())).unwrap()
}

async fn setup() -> Setup {
    let server = Server::start().await;
    serve_fleet(&server);
    setup_on(server)
}

fn setup_on(server: Server) -> Setup {
    let token_file = token_file(TOKEN);
    let config = config_for(&server.url, &token_file);
    let runner = SourceRunner::new(
        &config.sources[0],
        catalog_for(&config, "github"),
        &targets_for(&config, "github"),
        t0(),
    );
    let model = Model::new(&config, Mode::default(), t0());
    Setup {
        server,
        runner,
        model,
        ui: Ui::default(),
        token_file,
    }
}

impl Setup {
    /// One poll cycle at `t0 + minutes`, applied to the model as the loop would.
    async fn cycle(&mut self, minutes: i64) -> PollOutcome {
        let at = t0() + chrono::Duration::minutes(minutes);
        let outcome = self.runner.poll(at).await;
        if let Some(stats) = outcome.stats {
            update(
                &mut self.model,
                &mut self.ui,
                Msg::SourceStats { index: 0, stats },
            );
        }
        update(
            &mut self.model,
            &mut self.ui,
            Msg::SourceReport {
                index: 0,
                at,
                result: outcome.result.clone(),
            },
        );
        outcome
    }

    fn cell(&self, environment: &str) -> &shiproom::model::Cell {
        let e = self.model.catalog.environment_index(environment).unwrap();
        &self.model.board.rows[0].cells[e]
    }

    fn status_bar(&self) -> String {
        let theme = Theme::builtin("default").unwrap();
        let ctx = shiproom::ui::Ctx {
            model: &self.model,
            ui: &self.ui,
            theme: &theme,
            offset: FixedOffset::east_opt(0).unwrap(),
        };
        shiproom::ui::status_bar::source_entry(&ctx, 0).0
    }

    fn parsed(&mut self) -> u32 {
        match &mut self.runner {
            SourceRunner::Github(g) => g.http().unwrap().counts().parsed,
            SourceRunner::Demo(_) => 0,
        }
    }

    /// Every text the board and the commands would show, for the token search.
    fn all_output(&self, outcome: &PollOutcome) -> String {
        let theme = Theme::builtin("default").unwrap();
        let ctx = shiproom::ui::Ctx {
            model: &self.model,
            ui: &self.ui,
            theme: &theme,
            offset: FixedOffset::east_opt(0).unwrap(),
        };
        [
            format!("{outcome:?}"),
            format!("{:?}", self.model),
            serde_json::to_string(&shiproom::commands::status_json::status_json(&self.model))
                .unwrap(),
            shiproom::commands::status::status_text(
                &self.model,
                theme.glyphs,
                FixedOffset::east_opt(0).unwrap(),
            ),
            shiproom::ui::snapshot_text(&ctx, 160, 48),
        ]
        .join("\n")
    }
}

fn assert_no_token(text: &str) {
    assert!(!text.contains(TOKEN), "the token leaked into:\n{text}");
    assert!(
        !text.contains("SHIPROOMtestTOKEN"),
        "part of the token leaked into:\n{text}"
    );
}

#[tokio::test]
async fn a_board_is_built_from_deployments_statuses_runs_and_compare() {
    let mut s = setup().await;
    let outcome = s.cycle(0).await;
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);

    let staging = s.cell("staging").clone();
    let running = staging.running.as_ref().expect("staging runs something");
    assert_eq!(running.version, "v1.5.0");
    assert_eq!(running.author, "kemal");
    assert_eq!(staging.behind, None, "the first environment follows none");
    let flying = staging
        .in_flight
        .as_ref()
        .expect("the deploy workflow to staging");
    assert_eq!(flying.status, DeployStatus::InProgress);
    assert_eq!(flying.commit, deploy_run_sha());
    assert_eq!(flying.stage.as_deref(), Some("Deploy"));

    let production = s.cell("production").clone();
    assert_eq!(production.running.as_ref().unwrap().version, "v1.4.0");
    let last = production.last.as_ref().unwrap();
    assert_eq!(
        (last.version.as_str(), last.status),
        ("v1.4.1", DeployStatus::Failed)
    );
    assert_eq!(last.author, "chen");
    let flying = production.in_flight.as_ref().expect("v1.5.0 on its way");
    assert_eq!(
        (flying.version.as_str(), flying.status),
        ("v1.5.0", DeployStatus::InProgress)
    );
    assert_eq!(flying.stage.as_deref(), Some("canary 10%"));
    assert_eq!(production.behind, Some(3));
    let commits: Vec<(&str, &str)> = production
        .drift_commits
        .iter()
        .map(|c| (c.author.as_str(), c.message.as_str()))
        .collect();
    assert_eq!(
        commits,
        [
            ("kemal", "Release v1.5.0"),
            ("dara", "Fix rounding in totals"),
            ("carol", "Add idempotency keys"),
        ],
        "newest first, first line only"
    );

    let snapshot = s.model.sources[0].snapshot.as_ref().unwrap();
    assert_eq!(
        snapshot.check(&staging_sha()).unwrap().status,
        CheckStatus::Passed
    );
    assert_eq!(
        snapshot.check(&production_sha()).unwrap().status,
        CheckStatus::Failed
    );

    // The detail of production shows the drift commits and the CI of what runs and what waits.
    s.ui.overlay = Some(shiproom::state::Overlay::Detail(
        shiproom::state::DetailTarget::Cell {
            service: "checkout".into(),
            environment: "production".into(),
        },
    ));
    let detail = {
        let theme = Theme::builtin("default").unwrap();
        let ctx = shiproom::ui::Ctx {
            model: &s.model,
            ui: &s.ui,
            theme: &theme,
            offset: FixedOffset::east_opt(0).unwrap(),
        };
        shiproom::ui::snapshot_text(&ctx, 160, 48)
    };
    assert!(detail.contains("3 commits behind staging"), "{detail}");
    assert!(detail.contains("carol"), "{detail}");
    assert!(detail.contains("v1.4.0 failed  Build"), "{detail}");
    assert!(
        detail.contains("CI in flight v1.5.0 passed  Build"),
        "{detail}"
    );
    s.ui.overlay = None;

    let stats = s.model.sources[0].stats.unwrap();
    assert_eq!((stats.not_modified, stats.errors), (0, 0));
    assert_eq!(stats.sent as usize, s.server.requests().len());
    assert_eq!(stats.rate_limit, Some(5000));
    assert!(
        s.status_bar().contains("github ok · 4,9"),
        "{}",
        s.status_bar()
    );

    for request in s.server.requests() {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(
            request.header("accept"),
            Some("application/vnd.github+json")
        );
        assert_eq!(request.header("x-github-api-version"), Some("2022-11-28"));
        assert!(
            request
                .header("user-agent")
                .unwrap()
                .starts_with("shiproom/")
        );
    }
    assert_no_token(&s.all_output(&outcome));
}

#[tokio::test]
async fn the_second_cycle_sends_if_none_match_and_a_304_is_not_parsed() {
    let mut s = setup().await;
    s.cycle(0).await;
    let first = s.model.sources[0].snapshot.clone();
    s.server.clear_requests();

    let outcome = s.cycle(1).await;
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    assert_eq!(
        s.model.sources[0].snapshot, first,
        "the same board from the kept answers"
    );
    let requests = s.server.requests();
    assert!(!requests.is_empty());
    for r in &requests {
        assert!(
            r.header("if-none-match").is_some(),
            "{} without If-None-Match",
            r.target
        );
    }
    let stats = outcome.stats.unwrap();
    assert_eq!(stats.sent as usize, requests.len());
    assert_eq!(stats.not_modified, stats.sent, "every answer was a 304");
    assert_eq!(s.parsed(), 0, "a 304 parses nothing");
    // Finished deployments and fixed comparisons are not asked for again at all.
    assert_eq!(
        s.server.count(&format!("{REPO}/deployments/30/statuses")),
        0
    );
    assert_eq!(
        s.server.count(&format!("{REPO}/deployments/21/statuses")),
        0
    );
    assert_eq!(
        s.server.count(&format!(
            "{REPO}/compare/{}...{}",
            production_sha(),
            staging_sha()
        )),
        0
    );
    // Only the lists and the deploy still in flight are asked for.
    let paths: std::collections::BTreeSet<&str> = requests.iter().map(|r| r.path()).collect();
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        [
            "/repos/acme/checkout/actions/runs",
            "/repos/acme/checkout/deployments",
            "/repos/acme/checkout/deployments/32/statuses",
        ]
    );

    // When the deploy moves on, only what changed is parsed.
    s.server.on(
        &format!("{REPO}/deployments/32/statuses"),
        None,
        json_etag(&json!([
            status(323, "success", &at(9, 0), "done"),
            status(322, "in_progress", &at(8, 56), "canary 10%"),
        ])),
    );
    let outcome = s.cycle(2).await;
    assert_eq!(
        outcome.stats.unwrap().not_modified + 1,
        outcome.stats.unwrap().sent
    );
    let production = s.cell("production");
    assert_eq!(production.running.as_ref().unwrap().version, "v1.5.0");
    assert_eq!(
        production.behind,
        Some(0),
        "production caught up with staging"
    );
}

#[tokio::test]
async fn deployments_are_followed_over_several_pages_by_link() {
    let server = Server::start().await;
    serve_fleet(&server);
    // Production's first page holds only the deploy in flight and the failed one; the one that
    // runs is on the second page, at a URL only the Link header knows.
    let next = format!(
        "{}/repositories/42/deployments?environment=prod&per_page=2&page=2",
        server.url
    );
    let last = format!(
        "{}/repositories/42/deployments?environment=prod&per_page=2&page=2",
        server.url
    );
    server.on(
        &format!("{REPO}/deployments"),
        Some("environment=prod"),
        json_etag(&json!([
            deployment(32, &staging_sha(), "v1.5.0", "prod", &at(8, 55), "dara"),
            deployment(31, &failed_sha(), "v1.4.1", "prod", &at(8, 0), "chen"),
        ]))
        .header(
            "link",
            format!(r#"<{next}>; rel="next", <{last}>; rel="last""#),
        ),
    );
    server.on(
        "/repositories/42/deployments",
        Some("page=2"),
        json_etag(&json!([deployment(
            30,
            &production_sha(),
            "v1.4.0",
            "prod",
            &at(7, 0),
            "emeka"
        )])),
    );
    let mut s = setup_on(server);
    let outcome = s.cycle(0).await;
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    assert_eq!(s.server.count("/repositories/42/deployments"), 1);
    assert_eq!(
        s.cell("production").running.as_ref().unwrap().version,
        "v1.4.0"
    );
    assert_eq!(s.cell("production").behind, Some(3));
}

#[tokio::test]
async fn a_history_of_endless_pages_is_cut_at_the_page_bound() {
    let server = Server::start().await;
    serve_fleet(&server);
    let url = server.url.clone();
    // Every page holds one failed deploy and links to another page.
    server.on_fn(
        &format!("{REPO}/deployments"),
        Some("environment=prod"),
        move |r| {
            let page: u64 = r
                .target
                .split("page=")
                .nth(1)
                .and_then(|p| p.split('&').next())
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let next = format!(
                "{url}{REPO}/deployments?environment=prod&cursor=x&page={}",
                page + 1
            );
            Reply::json(&json!([deployment(
                1000 + page,
                &failed_sha(),
                "v0.1",
                "prod",
                &at(6, 0),
                "bot"
            )]))
            .header("link", format!(r#"<{next}>; rel="next""#))
        },
    );
    for page in 1..=20u64 {
        s_failed_status(&server, 1000 + page);
    }
    let mut s = setup_on(server);
    let outcome = s.cycle(0).await;
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    let lists = s
        .server
        .requests()
        .iter()
        .filter(|r| {
            r.path() == format!("{REPO}/deployments") && r.target.contains("environment=prod")
        })
        .count();
    assert_eq!(lists, 5, "five pages at most");
    assert_eq!(
        s.cell("production").running,
        None,
        "nothing ran within the bound"
    );
}

fn s_failed_status(server: &Server, id: u64) {
    server.on(
        &format!("{REPO}/deployments/{id}/statuses"),
        None,
        Reply::json(&json!([status(id * 10, "failure", &at(6, 5), "boom")])),
    );
}

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

/// The failing cycle kept the last good data, marked stale, and the status bar says why.
fn assert_stale_with_reason(s: &Setup, outcome: &PollOutcome, reason: &str) {
    let error = outcome.result.as_ref().expect_err("the cycle fails");
    assert!(
        error.reason.contains(reason),
        "{} (expected {reason})",
        error.reason
    );
    let production = s.cell("production");
    assert_eq!(
        production.running.as_ref().unwrap().version,
        "v1.4.0",
        "last good data kept"
    );
    assert!(production.freshness.is_stale(), "marked stale");
    let bar = s.status_bar();
    assert!(bar.contains(&format!("github failing: {reason}")), "{bar}");
    assert!(bar.contains("(data 1m old)"), "{bar}");
    assert_no_token(&s.all_output(outcome));
}

fn assert_backoff(wait: Option<Wait>, nominal: u64) {
    let wait = wait.expect("a wait");
    assert!(!wait.firm, "a backoff, which a refresh may cut short");
    let n = Duration::from_secs(nominal);
    assert!(
        wait.after >= n.mul_f64(0.8) && wait.after <= n.mul_f64(1.2),
        "{:?} is not {nominal}s ± 20%",
        wait.after
    );
}

#[tokio::test]
async fn a_401_reads_the_token_again_then_says_bad_token_and_backs_off() {
    let (s, outcome) = failing(Reply::raw(
        401,
        r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#,
    ))
    .await;
    let name = format!("401 bad token: check `cat {}`", s.token_file.display());
    assert_stale_with_reason(&s, &outcome, &name);
    assert_backoff(outcome.wait, 5);
    assert_eq!(outcome.stats.unwrap().errors, 1);
}

#[tokio::test]
async fn a_new_token_after_a_401_is_used_at_once() {
    let mut s = setup().await;
    assert!(s.cycle(0).await.result.is_ok());
    let fresh = "ghp_SHIPROOMtestTOKENrotated";
    s.server.on_fn(
        &format!("{REPO}/deployments"),
        Some("environment=prod"),
        move |r| {
            if r.header("authorization") == Some(&format!("Bearer {fresh}")) {
                json_etag(&json!([deployment(
                    30,
                    &production_sha(),
                    "v1.4.0",
                    "prod",
                    &at(7, 0),
                    "emeka"
                )]))
            } else {
                Reply::raw(401, r#"{"message":"Bad credentials"}"#)
            }
        },
    );
    std::fs::write(&s.token_file, fresh).unwrap();
    let outcome = s.cycle(1).await;
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    assert_eq!(
        outcome.stats.unwrap().errors,
        1,
        "one 401, then the retry worked"
    );
}

#[tokio::test]
async fn a_403_with_the_quota_spent_waits_until_the_reset() {
    let (s, outcome) = failing(
        Reply::raw(403, r#"{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}"#)
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", reset_epoch().to_string()),
    )
    .await;
    assert_stale_with_reason(&s, &outcome, "rate limited: waiting 60m");
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
    assert_stale_with_reason(&s, &outcome, "rate limited: waiting 30s");
    assert_eq!(outcome.wait, Some(Wait::firm(Duration::from_secs(30))));
}

#[tokio::test]
async fn a_500_backs_off_exponentially_and_a_success_starts_over() {
    let (mut s, outcome) = failing(Reply::raw(500, r#"{"message":"Server Error"}"#)).await;
    assert_stale_with_reason(&s, &outcome, "500 server error");
    assert_backoff(outcome.wait, 5);
    assert_backoff(s.cycle(2).await.wait, 10);
    assert_backoff(s.cycle(3).await.wait, 20);
    serve_fleet(&s.server);
    let ok = s.cycle(4).await;
    assert!(ok.result.is_ok());
    assert_eq!(ok.wait, None, "back to the interval");
    assert!(!s.cell("production").freshness.is_stale());
    s.server.on(
        &format!("{REPO}/deployments"),
        Some("environment=prod"),
        Reply::raw(502, "<html>Bad Gateway</html>"),
    );
    let again = s.cycle(5).await;
    assert!(
        again
            .result
            .unwrap_err()
            .reason
            .contains("502 server error")
    );
    assert_backoff(again.wait, 5);
}

#[tokio::test]
async fn a_timeout_is_named_with_its_limit() {
    let (s, outcome) = failing(json_etag(&json!([])).delay(Duration::from_secs(3))).await;
    assert_stale_with_reason(&s, &outcome, "timeout after 1s");
    assert_backoff(outcome.wait, 5);
}

#[tokio::test]
async fn malformed_json_names_the_field_that_failed() {
    let mut broken = deployment(33, &staging_sha(), "v1.5.0", "prod", &at(8, 59), "dara");
    broken["sha"] = json!(null);
    let (s, outcome) = failing(json_etag(&json!([broken]))).await;
    assert_stale_with_reason(
        &s,
        &outcome,
        "malformed JSON at deployments[0].sha: invalid type: null, expected a string",
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
    assert_stale_with_reason(&s, &outcome, "404 wrong repository acme/checkout");
}

#[tokio::test]
async fn a_403_that_is_no_rate_limit_is_forbidden() {
    let (s, outcome) = failing(Reply::raw(
        403,
        r#"{"message":"Resource not accessible by integration"}"#,
    ))
    .await;
    assert_stale_with_reason(
        &s,
        &outcome,
        "403 forbidden on acme/checkout: Resource not accessible by integration",
    );
    assert_backoff(outcome.wait, 5);
}

#[tokio::test]
async fn a_refused_connection_is_named() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let token_file = token_file(TOKEN);
    let config = config_for(&format!("http://127.0.0.1:{port}"), &token_file);
    let mut runner = SourceRunner::new(
        &config.sources[0],
        catalog_for(&config, "github"),
        &targets_for(&config, "github"),
        t0(),
    );
    let outcome = runner.poll(t0()).await;
    let reason = outcome.result.unwrap_err().reason;
    assert_eq!(
        reason,
        format!("connection refused by 127.0.0.1:{port} (is the url right and the server up?)")
    );
    assert_backoff(outcome.wait, 5);
}

#[tokio::test]
async fn a_source_slows_down_before_its_share_of_the_quota_is_spent() {
    let mut s = setup().await;
    // Others have used the quota: a dozen requests left, about what one cycle costs.
    s.server.set_remaining(12);
    let outcome = s.cycle(0).await;
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    let wait = outcome.wait.expect("a paced wait");
    assert!(wait.firm);
    // Seen at t0: the reset is an hour away.
    assert_eq!(wait.after, Duration::from_secs(3600));
}
