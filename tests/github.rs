//! The GitHub source against a local server on 127.0.0.1 that answers with the shapes of the
//! official examples (copied to `tests/fixtures/github`): the board it builds, conditional
//! requests, pagination, a rotated token, a refused connection, and a token that never shows
//! anywhere. Failures of one repository, backoff, rate limits and pacing: `github_faults.rs`.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use chrono::FixedOffset;
use serde_json::json;

use shiproom::model::{CheckStatus, DeployStatus};
use shiproom::sources::{BuildContext, Source, build};
use shiproom::theme::Theme;

use support::github::*;
use support::harness::*;
use support::{Reply, Server};

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
    let board = |s: &Setup| {
        let snapshot = s.model.sources[0].snapshot.clone().unwrap();
        (snapshot.deployments, snapshot.drift, snapshot.checks)
    };
    let first = board(&s);
    s.server.clear_requests();

    let outcome = s.cycle(1).await;
    assert!(outcome.result.is_ok(), "{:?}", outcome.result);
    assert_eq!(board(&s), first, "the same board from the kept answers");
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
async fn a_refused_connection_is_named() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let token_file = token_file(TOKEN);
    let config = config_for(&format!("http://127.0.0.1:{port}"), &token_file);
    let mut runner = build(&config.spec_of("github").unwrap(), &BuildContext::at(t0()));
    let outcome = runner.poll(t0()).await;
    let reason = outcome.result.unwrap_err().reason;
    assert_eq!(
        reason,
        format!("connection refused by 127.0.0.1:{port} (is the url right and the server up?)")
    );
    assert_backoff(outcome.wait, 5);
}
