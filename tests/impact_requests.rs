//! A deploy that finishes is sent for analysis to every source that judges impact, once,
//! whichever source reported it; the request reaches that source's actor, and a source that
//! judges nothing is never asked.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use common::{deploy, minutes, small_snapshot, small_state};
use shiproom::model::{
    ActionResult, AnalysisRequest, DeployStatus, DeploymentRef, SourceId, SourceSnapshot,
};
use shiproom::msg::{Effect, Msg};
use shiproom::sources::{
    ActionRequest, Actors, BoxFuture, CheckLine, PollOutcome, Reading, Source,
};
use shiproom::state::Mode;
use shiproom::update::update;

fn requests(effects: &[Effect]) -> Vec<(SourceId, AnalysisRequest)> {
    (effects.iter())
        .filter_map(|e| match e {
            Effect::Analyse { source, request } => Some((source.clone(), request.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn each_deploy_finished_within_two_hours_is_sent_once_to_every_source_that_judges_impact() {
    let (mut model, mut ui) = small_state(Mode::default());
    let prom = SourceId::new("prom");
    model.settings.analysers = vec![prom.clone()];
    let mut snapshot = small_snapshot();
    snapshot.deployments.push(deploy(
        "new",
        "ledger",
        "staging",
        "v2.0",
        -6,
        DeployStatus::Succeeded,
    ));
    let report = |snapshot: SourceSnapshot, at| Msg::SourceReport {
        source: SourceId::new("fleet"),
        at: minutes(at),
        result: Ok(snapshot),
    };
    let first = update(&mut model, &mut ui, report(snapshot.clone(), 1)).effects;
    let asked = requests(&first);
    let ids: Vec<String> = asked
        .iter()
        .map(|(_, r)| match &r.deployment {
            DeploymentRef::Id { id, .. } => id.clone(),
            DeploymentRef::Commit(c) => c.clone(),
        })
        .collect();
    assert!(ids.contains(&"new".to_string()), "{ids:?}");
    assert!(asked.iter().all(|(source, _)| *source == prom));
    let new = &asked
        .iter()
        .find(|(_, r)| r.service == "ledger" && r.environment == "staging")
        .unwrap()
        .1;
    assert_eq!(
        new.finished_at,
        minutes(-2),
        "the fixture's deploys take four minutes"
    );
    // search@production's deploy finished five hours ago: its after window closed long since.
    assert!(
        !asked
            .iter()
            .any(|(_, r)| r.service == "search" && r.environment == "production"),
        "{ids:?}"
    );
    let mut later = snapshot;
    later.deployments.push(deploy(
        "newer",
        "checkout",
        "dev",
        "v9",
        -1,
        DeployStatus::Failed,
    ));
    let second = requests(&update(&mut model, &mut ui, report(later, 2)).effects);
    assert_eq!(
        second.len(),
        1,
        "only the deploy not asked about yet: {second:?}"
    );
}

#[test]
fn no_source_judges_impact_so_nothing_is_asked() {
    let (mut model, mut ui) = small_state(Mode::default());
    let mut snapshot = small_snapshot();
    snapshot.deployments.push(deploy(
        "new",
        "ledger",
        "staging",
        "v2.0",
        -6,
        DeployStatus::Succeeded,
    ));
    let out = update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: SourceId::new("fleet"),
            at: minutes(1),
            result: Ok(snapshot),
        },
    );
    assert!(requests(&out.effects).is_empty());
}

/// A source that judges impact: it writes down every deploy it is asked about.
struct Judge {
    asked: Arc<Mutex<Vec<AnalysisRequest>>>,
}

impl Source for Judge {
    fn poll(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        Box::pin(async { PollOutcome::of(Ok(Reading::whole(SourceSnapshot::default()))) })
    }

    fn check(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        Box::pin(async { Vec::new() })
    }

    fn act(&mut self, _request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        Box::pin(async { Ok(String::new()) })
    }

    fn analyse(&mut self, request: AnalysisRequest) -> bool {
        self.asked.lock().unwrap().push(request);
        true
    }
}

#[tokio::test(start_paused = true)]
async fn an_analysis_request_reaches_the_actor_of_the_source_it_names() {
    let (inbox, mut messages) = mpsc::channel(64);
    tokio::spawn(async move { while messages.recv().await.is_some() {} });
    let asked = Arc::new(Mutex::new(Vec::new()));
    let mut actors = Actors::default();
    let id = SourceId::new("prom");
    actors.start(
        id.clone(),
        Duration::from_secs(60),
        Judge {
            asked: asked.clone(),
        },
        inbox,
    );
    let request = AnalysisRequest {
        service: "checkout".into(),
        environment: "production".into(),
        deployment: DeploymentRef::Commit("abc".into()),
        commit: "abc".into(),
        status: DeployStatus::Succeeded,
        started_at: minutes(-10),
        finished_at: minutes(-5),
    };
    assert!(actors.analyse(&id, request.clone()));
    assert!(!actors.analyse(&SourceId::new("nobody"), request.clone()));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(*asked.lock().unwrap(), [request]);
}
