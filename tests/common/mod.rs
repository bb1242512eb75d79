//! Shared fixtures for the integration tests: a fixed clock, a small hand-made fleet, and the
//! demo fleet at a fixed moment.
#![allow(dead_code, clippy::expect_used)]

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use shiproom::config::{self, Config, ConfigOrigin};
use shiproom::model::{
    CommitSummary, DeployStatus, Deployment, Drift, Impact, Lock, LockOrigin, LockScope,
    MetricChange, SourceSnapshot, StatusChange, Verdict,
};
use shiproom::msg::Msg;
use shiproom::state::{Mode, Model, Ui};
use shiproom::update::{Outcome, update};

/// The fixed moment every fixture is seen at: 2026-11-24 09:00:00 UTC.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .expect("valid time")
}

pub fn minutes(m: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(m)
}

/// A small configuration: three services, three environments, one demo source.
pub const SMALL_YAML: &str = "
environments:
  - name: dev
    ephemeral: true
  - name: staging
  - name: production
    protected: true
services:
  - { name: checkout, team: payments }
  - { name: search, team: discovery }
  - { name: ledger, team: payments }
sources:
  - { name: fleet, kind: demo, interval: 30s }
";

pub fn small_config() -> Config {
    config::parse(SMALL_YAML, ConfigOrigin::File("small.yaml".into())).expect("the fixture parses")
}

pub fn deploy(
    id: &str,
    service: &str,
    env: &str,
    version: &str,
    start: i64,
    status: DeployStatus,
) -> Arc<Deployment> {
    let finished = (!status.is_in_flight()).then(|| minutes(start + 4));
    let mut history = vec![StatusChange {
        at: minutes(start),
        status: DeployStatus::Queued,
        note: "queued".into(),
    }];
    if let Some(at) = finished {
        history.push(StatusChange {
            at,
            status,
            note: format!("{} after rollout", status.label()),
        });
    }
    Arc::new(Deployment {
        id: id.into(),
        service: service.into(),
        environment: env.into(),
        version: version.into(),
        commit: format!("{:0<40}", id.replace('-', "")),
        author: "alice".into(),
        description: "Fix retry on payment timeout".into(),
        started_at: minutes(start),
        finished_at: finished,
        status,
        stage: status.is_in_flight().then(|| "canary 50%".to_string()),
        progress: status.is_in_flight().then_some(0.45),
        history,
        url: None,
        source: "fleet".into(),
    })
}

/// An analysis of the fleet's deployment `id`.
pub fn analysis(
    service: &str,
    environment: &str,
    id: &str,
    impact: Impact,
) -> shiproom::model::ImpactReport {
    shiproom::model::ImpactReport {
        service: service.into(),
        environment: environment.into(),
        deployment: shiproom::model::DeploymentRef::Id {
            source: "fleet".into(),
            id: id.into(),
        },
        impact,
    }
}

/// A hand-made snapshot with one of everything: a failed deploy, one in flight, an unhealthy
/// impact, an environment lock, a service lock and drift.
pub fn small_snapshot() -> SourceSnapshot {
    let impact = |verdict, before: f64, after: f64| Impact {
        verdict,
        metrics: vec![
            MetricChange {
                name: "error rate".into(),
                unit: "%".into(),
                before,
                after,
                evidence: None,
            },
            MetricChange {
                name: "p95 latency".into(),
                unit: "ms".into(),
                before: 180.0,
                after: 190.0,
                evidence: None,
            },
        ],
    };
    SourceSnapshot {
        deployments: vec![
            deploy(
                "d1",
                "checkout",
                "production",
                "v1.4.0",
                -120,
                DeployStatus::Succeeded,
            ),
            deploy(
                "d2",
                "checkout",
                "staging",
                "v1.4.1",
                -90,
                DeployStatus::Succeeded,
            ),
            deploy(
                "d3",
                "checkout",
                "staging",
                "v1.5.0",
                -30,
                DeployStatus::Failed,
            ),
            deploy(
                "d4",
                "search",
                "staging",
                "v2.0.0",
                -2,
                DeployStatus::InProgress,
            ),
            deploy(
                "d5",
                "search",
                "production",
                "v1.9.3",
                -300,
                DeployStatus::Succeeded,
            ),
            deploy(
                "d6",
                "ledger",
                "dev",
                "4f9c2a1d8e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c",
                -10,
                DeployStatus::Succeeded,
            ),
        ],
        locks: vec![
            Lock {
                scope: LockScope::Environment {
                    environment: "production".into(),
                },
                reason: "change window closed".into(),
                by: "schedule".into(),
                origin: LockOrigin::Schedule,
                since: minutes(-15),
                until: Some(minutes(45)),
            },
            Lock {
                scope: LockScope::Service {
                    environment: "staging".into(),
                    service: "search".into(),
                },
                reason: "investigating flaky tests".into(),
                by: "bob".into(),
                origin: LockOrigin::Manual,
                // After the deploy in flight started: no breach.
                since: minutes(-1),
                until: None,
            },
        ],
        drift: vec![Drift {
            service: "checkout".into(),
            environment: "production".into(),
            behind: 3,
            commits: vec![CommitSummary {
                sha: "a1b2c3d".into(),
                author: "carol".into(),
                message: "Add idempotency keys".into(),
            }],
        }],
        impacts: vec![
            analysis(
                "checkout",
                "production",
                "d1",
                impact(Verdict::Unhealthy, 0.4, 2.1),
            ),
            analysis(
                "search",
                "production",
                "d5",
                impact(Verdict::Healthy, 0.3, 0.3),
            ),
        ],
        ..SourceSnapshot::default()
    }
}

/// The small fleet at `t0`, as the loop would hold it after one good poll.
pub fn small_state(mode: Mode) -> (Model, Ui) {
    let config = small_config();
    let mut model = Model::new(&config, mode, t0());
    let mut ui = Ui {
        width: 120,
        height: 40,
        ..Ui::default()
    };
    update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: "fleet".into(),
            at: t0(),
            result: Ok(small_snapshot()),
        },
    );
    (model, ui)
}

/// One key press through update.
pub fn press(model: &mut Model, ui: &mut Ui, code: KeyCode) -> Outcome {
    update(model, ui, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// Types `text` one character at a time.
pub fn type_text(model: &mut Model, ui: &mut Ui, text: &str) {
    for c in text.chars() {
        press(model, ui, KeyCode::Char(c));
    }
}

/// One frame of the board drawn into a buffer of `width` × `height` in `theme`, at UTC.
pub fn draw(
    model: &Model,
    ui_state: &Ui,
    theme: &shiproom::theme::Theme,
    width: u16,
    height: u16,
) -> ratatui::buffer::Buffer {
    let mut ui_state = ui_state.clone();
    ui_state.width = width;
    ui_state.height = height;
    let ctx = shiproom::ui::Ctx {
        model,
        ui: &ui_state,
        theme,
        offset: chrono::FixedOffset::east_opt(0).expect("UTC"),
    };
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    shiproom::ui::render(&ctx, area, &mut buf);
    buf
}

/// The built-in demo fleet (seed 7) at the fixed moment, after one poll.
pub fn demo_state() -> (Model, Ui) {
    let config = Config::demo().expect("the demo parses");
    let mode = Mode {
        demo: true,
        ..Mode::default()
    };
    let mut model = Model::new(&config, mode, t0());
    let mut ui_state = Ui::default();
    let spec = config.spec_of("demo").expect("the demo source");
    let mut source = shiproom::sources::demo::DemoSource::from_spec(&spec, t0()).expect("a demo");
    let result = source.poll(t0());
    update(
        &mut model,
        &mut ui_state,
        Msg::SourceReport {
            source: "demo".into(),
            at: t0(),
            result,
        },
    );
    (model, ui_state)
}
