//! End to end: a deploy reported by one source is judged by a prometheus source and its cell
//! on the board shows the verdict. The configuration builds both through the registry, each
//! runs as an actor, the board's update asks for the analysis (`Effect::Analyse`), the effect
//! reaches the prometheus actor, whose snapshot's impacts join the deploy on the board — here
//! against a real Prometheus serving the last four hours.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod prometheus;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, mpsc};

use prometheus::fleet::{steady_latency, wobble};
use prometheus::{Prometheus, Traffic, openmetrics};
use shiproom::config::{self, Config, ConfigOrigin};
use shiproom::effects::Effects;
use shiproom::model::{
    ActionResult, DeployStatus, Deployment, SourceSnapshot, StatusChange, Verdict,
};
use shiproom::sources::{
    ActionRequest, Actors, BoxFuture, BuildContext, CheckLine, PollOutcome, Reading, Source,
};
use shiproom::state::{Mode, Model, Ui};
use shiproom::update::update;

/// A deploy source that reports the same finished deploys every poll.
struct Deploys(SourceSnapshot);

impl Source for Deploys {
    fn poll(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        let reading = Reading::whole(self.0.clone());
        Box::pin(async move { PollOutcome::of(Ok(reading)) })
    }

    fn check(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        Box::pin(async { Vec::new() })
    }

    fn act(&mut self, _request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        Box::pin(async { Ok(String::new()) })
    }
}

fn deployment(service: &str, started: i64, finished: i64) -> Arc<Deployment> {
    let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap();
    Arc::new(Deployment {
        id: format!("{service}-42"),
        service: service.into(),
        environment: "production".into(),
        version: "v2.0.0".into(),
        commit: format!("{service:0<40}"),
        author: "alice".into(),
        description: String::new(),
        started_at: at(started),
        finished_at: Some(at(finished)),
        status: DeployStatus::Succeeded,
        history: vec![StatusChange {
            at: at(finished),
            status: DeployStatus::Succeeded,
            note: "deployed".into(),
        }],
        stage: None,
        progress: None,
        url: None,
        source: "deploys".into(),
    })
}

fn board_config(url: &str) -> Config {
    let yaml = format!(
        "environments:\n  - name: production\nservices:\n  - name: checkout\n    environments: {{ production: {{ source: deploys }} }}\n  - name: search\n    environments: {{ production: {{ source: deploys }} }}\nsources:\n  - {{ name: deploys, kind: demo }}\n  - {{ name: prom, kind: prometheus, url: \"{url}\", interval: 1s }}\n"
    );
    config::parse(&yaml, ConfigOrigin::File("board.yaml".into())).unwrap()
}

fn verdict(model: &Model, service: &str) -> Option<Verdict> {
    let row = model
        .board
        .rows
        .iter()
        .find(|r| r.service.name == service)?;
    row.cells[0].impact.as_ref().map(|i| i.verdict)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deploy_reported_elsewhere_is_judged_by_prometheus_and_its_cell_shows_the_verdict() {
    // The last four hours; both services deployed 80 minutes ago, checkout's errors jumped.
    let now = Utc::now().timestamp();
    let t0 = now - 4 * 3_600;
    let (started, finished) = (now - 80 * 60, now - 75 * 60);
    let traffic = vec![
        Traffic {
            job: "checkout",
            environment: "production",
            requests_per_second: 20.0,
            error_share: Box::new(move |s| {
                (if t0 + s >= finished { 0.06 } else { 0.005 }) * (1.0 + 0.2 * wobble(s))
            }),
            latency_buckets: Box::new(steady_latency),
        },
        Traffic {
            job: "search",
            environment: "production",
            requests_per_second: 20.0,
            error_share: Box::new(|s| 0.005 * (1.0 + 0.2 * wobble(s))),
            latency_buckets: Box::new(steady_latency),
        },
    ];
    let history = openmetrics(&traffic, t0, now - t0, &[]);
    let Some(p) = Prometheus::start("board", &history) else {
        return;
    };
    let config = board_config(&p.url);
    let mut model = Model::new(&config, Mode::default(), Utc::now());
    let mut ui = Ui::default();
    let (inbox, mut messages) = mpsc::channel(256);

    let mut actors = Actors::default();
    let deploys = SourceSnapshot {
        deployments: vec![
            deployment("checkout", started, finished),
            deployment("search", started, finished),
        ],
        ..SourceSnapshot::default()
    };
    actors.start(
        "deploys".into(),
        Duration::from_secs(60),
        Deploys(deploys),
        inbox.clone(),
    );
    let spec = config.spec_of("prom").unwrap();
    let prom = shiproom::sources::build(&spec, &BuildContext::at(Utc::now()));
    actors.start("prom".into(), spec.interval, prom, inbox.clone());
    let data = std::env::temp_dir().join(format!("shiproom-prom-board-{}", std::process::id()));
    std::fs::create_dir_all(&data).unwrap();
    let effects = Effects {
        inbox,
        sources: actors.clone(),
        refresh_locks: Arc::new(Notify::new()),
        locks: Arc::new(config.lock_setup(Some(&data)).unwrap()),
        identity: "alice".into(),
    };

    let mut analyses = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while verdict(&model, "checkout") != Some(Verdict::Unhealthy)
        || verdict(&model, "search") != Some(Verdict::Healthy)
    {
        let msg = tokio::time::timeout_at(deadline, messages.recv())
            .await
            .unwrap_or_else(|_| panic!("no verdicts on the board: {:?}", model.board.rows))
            .unwrap();
        for effect in update(&mut model, &mut ui, msg).effects {
            analyses += usize::from(matches!(effect, shiproom::msg::Effect::Analyse { .. }));
            effects.run(effect);
        }
    }
    actors.stop_all();
    assert_eq!(analyses, 2, "each deploy asked about once");
    let recent = &model.board.recent;
    let checkout = recent
        .iter()
        .find(|(d, _)| d.service == "checkout")
        .unwrap();
    let impact = checkout.1.as_ref().unwrap();
    let errors = &impact.metrics[0];
    assert_eq!(errors.unit, "%");
    assert!(errors.after > 5.0 && errors.before < 1.0, "{errors:?}");
    let prom = model.sources.iter().find(|s| s.name == "prom").unwrap();
    let targets = &prom.snapshot.as_ref().unwrap().targets;
    let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["checkout@production", "search@production"]);
    assert!(
        targets
            .iter()
            .all(|t| t.is_ok() && t.last_success.is_some())
    );
    let _ = std::fs::remove_dir_all(&data);
}
