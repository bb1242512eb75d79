//! Per-target results are part of the source trait: every kind states them in its reading
//! (the demo as one target, GitHub one per repository, a new kind through the helper in
//! `sources::targets`), a failing target costs only its own cells, and each target backs off
//! on its own while the others keep their interval.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::time::Duration;

use chrono::{DateTime, Utc};

use shiproom::config::{self, ConfigOrigin};
use shiproom::model::{ActionError, ActionResult, Freshness, SourceSnapshot};
use shiproom::msg::Msg;
use shiproom::sources::targets::{self, TargetState};
use shiproom::sources::{
    ActionRequest, BoxFuture, BuildContext, CheckLine, PollOutcome, Reading, Source, build,
};
use shiproom::state::{Mode, Model, Ui};
use shiproom::update::update;

use support::Reply;
use support::github::t0;
use support::harness::setup_repos;

const REPOS: [&str; 3] = ["acme/checkout", "acme/payments", "acme/ledger"];

#[tokio::test]
async fn a_github_source_built_from_the_registry_reports_a_failing_repository_beside_fresh_ones() {
    let s = setup_repos(&REPOS, "").await;
    s.server.on_prefix(
        "/repos/acme/payments",
        Reply::raw(500, r#"{"message":"Server Error"}"#),
    );
    let spec = s.config.spec_of("github").unwrap();
    let mut source: Box<dyn Source> = build(&spec, &BuildContext::at(t0()));
    let reading = source.poll(t0()).await.result.expect("a reading");
    assert!(!reading.is_whole(), "read in parts");
    let report = |name: &str| reading.targets.iter().find(|t| t.name == name).unwrap();
    for ok in ["acme/checkout", "acme/ledger"] {
        assert_eq!(report(ok).error, None, "{ok}");
        assert_eq!(report(ok).last_success, Some(t0()));
    }
    let failing = report("acme/payments");
    assert_eq!(
        failing.error.as_deref(),
        Some("500 server error on acme/payments")
    );
    assert_eq!(failing.last_success, None);
    assert!(
        failing
            .cells
            .contains(&("payments".into(), "production".into())),
        "{:?}",
        failing.cells
    );
}

#[tokio::test]
async fn the_demo_built_from_the_registry_is_read_as_one_target() {
    let config = config::Config::demo().unwrap();
    let spec = config.spec_of("demo").unwrap();
    let mut source = build(&spec, &BuildContext::at(t0()));
    let reading = source
        .poll(t0())
        .await
        .result
        .expect("the demo answers at t0");
    assert!(reading.is_whole());
    assert!(
        reading.targets.is_empty(),
        "its cells are as fresh as the source"
    );
    assert!(!reading.deployments.is_empty());
}

/// A kind of source a new folder could hold: two applications, read one by one with the
/// per-target helper, one of them failing every time it is asked.
struct Applications {
    apps: Vec<(String, TargetState<u32>)>,
    failing: &'static str,
    interval: Duration,
    /// Which applications each poll asked.
    asked: Vec<Vec<String>>,
}

impl Applications {
    fn new(failing: &'static str) -> Applications {
        let apps = ["web", "api"]
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), TargetState::new(i as u64 + 11)))
            .collect();
        Applications {
            apps,
            failing,
            interval: Duration::from_secs(60),
            asked: Vec::new(),
        }
    }

    fn state(&self, name: &str) -> &TargetState<u32> {
        &self.apps.iter().find(|(n, _)| n == name).unwrap().1
    }
}

impl Source for Applications {
    fn poll(&mut self, now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        let interval = chrono::Duration::from_std(self.interval).unwrap();
        let mut asked = Vec::new();
        for (name, state) in &mut self.apps {
            if !state.is_due(now, chrono::Duration::zero()) {
                continue;
            }
            asked.push(name.clone());
            match name.as_str() == self.failing {
                true => state.failed(format!("500 server error on {name}"), now),
                false => state.read(1, now, interval),
            }
        }
        self.asked.push(asked);
        let reports = (self.apps.iter())
            .map(|(name, state)| state.report(name, vec![(name.clone(), "production".into())]))
            .collect();
        let states: Vec<TargetState<u32>> = self.apps.iter().map(|(_, s)| s.clone()).collect();
        let outcome = PollOutcome {
            result: Ok(Reading::parts(SourceSnapshot::default(), reports)),
            stats: None,
            wait: targets::next_due(&states, now, self.interval),
        };
        Box::pin(async move { outcome })
    }

    fn check(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        Box::pin(async { Vec::new() })
    }

    fn act(&mut self, request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        let error = ActionError::NotSupported {
            source: "apps".into(),
            verb: request.action.verb(),
        };
        Box::pin(async move { Err(error) })
    }
}

#[tokio::test]
async fn a_failing_target_backs_off_on_its_own_while_the_other_keeps_its_interval() {
    let mut source = Applications::new("api");
    let mut now = t0();
    let mut gaps = Vec::new();
    for _ in 0..4 {
        let outcome = source.poll(now).await;
        let wait = outcome.wait.expect("sooner than the interval: api is due");
        assert!(!wait.firm, "a backoff, which a refresh may cut short");
        let due = source.state("api").due().unwrap();
        gaps.push((due - now).num_milliseconds() as f64 / 1000.0);
        now = due;
    }
    for (gap, nominal) in gaps.iter().zip([5.0, 10.0, 20.0, 40.0]) {
        assert!(
            *gap >= nominal * 0.8 && *gap <= nominal * 1.2,
            "{gaps:?}: {gap} is not {nominal}s ± 20%"
        );
    }
    assert_eq!(source.state("api").failures(), 4);
    assert_eq!(source.asked[0], ["web", "api"]);
    assert!(
        source.asked[1..].iter().all(|asked| asked == &["api"]),
        "web waits for its interval: {:?}",
        source.asked
    );
    assert_eq!(source.state("web").last_success(), Some(t0()));
    assert_eq!(source.state("web").failures(), 0);
}

#[tokio::test]
async fn a_new_kinds_failing_target_is_unknown_on_the_board_and_the_other_fresh() {
    let yaml = "environments: [{name: production}]\nservices:\n  - name: web\n  - name: api\nsources:\n  - {name: apps, kind: demo}\n";
    let config = config::parse(yaml, ConfigOrigin::File("apps.yaml".into())).unwrap();
    let mut model = Model::new(&config, Mode::default(), t0());
    let mut ui = Ui::default();
    let mut source = Applications::new("api");
    let result = source.poll(t0()).await.result.map(Reading::into_snapshot);
    update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: "apps".into(),
            at: t0(),
            result,
        },
    );
    let freshness = |service: &str| {
        let row = (model.board.rows.iter())
            .find(|r| r.service.name == service)
            .unwrap();
        row.cells[0].freshness.clone()
    };
    assert_eq!(freshness("web"), Freshness::Fresh);
    match freshness("api") {
        Freshness::Unknown { reason } => {
            assert!(reason.contains("500 server error on api"), "{reason}")
        }
        other => panic!("api should be unknown: {other:?}"),
    }
}

#[tokio::test]
async fn a_registry_built_source_answers_check_and_act_through_the_trait() {
    let s = setup_repos(&["acme/checkout"], "").await;
    let spec = s.config.spec_of("github").unwrap();
    let mut source = build(&spec, &BuildContext::at(t0()));
    let lines = source.check(t0()).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].target.as_deref(), Some("acme/checkout"));
    let request = ActionRequest {
        id: shiproom::model::ActionId(1),
        action: shiproom::model::SourceAction::Sync {
            service: "checkout".into(),
            environment: "production".into(),
        },
        by: "alice".into(),
        now: t0(),
    };
    let answer = source.act(request).await.unwrap_err();
    assert_eq!(
        answer.to_string(),
        "not supported by this source: github cannot sync"
    );
}
