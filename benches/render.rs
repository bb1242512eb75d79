//! Render and update cost of a large board: 500 services × 6 environments from the demo
//! simulation, drawn at 200×50 and 420×120, and the board rebuilt from a source report.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::hint::black_box;

use chrono::{FixedOffset, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use shiproom::config::{self, ConfigOrigin};
use shiproom::msg::Msg;
use shiproom::sources::demo::DemoSource;
use shiproom::state::{Mode, Model, Ui};
use shiproom::theme::Theme;
use shiproom::ui::{self, Ctx};
use shiproom::update::update;

/// A configuration of `services` services over six environments.
fn large_config(services: usize) -> config::Config {
    let mut yaml = String::from(
        "environments:\n  - {name: dev-1, ephemeral: true}\n  - {name: dev-2, ephemeral: true}\n  - {name: qa}\n  - {name: staging}\n  - {name: canary, protected: true}\n  - {name: production, protected: true}\nservices:\n",
    );
    for i in 0..services {
        yaml.push_str(&format!(
            "  - {{name: service-{i:03}, team: team-{}}}\n",
            i % 17
        ));
    }
    yaml.push_str("sources:\n  - {name: demo, kind: demo, seed: 7}\n");
    config::parse(&yaml, ConfigOrigin::File("bench.yaml".into()))
        .expect("the bench configuration parses")
}

fn large_state() -> (Model, Ui, Msg) {
    let config = large_config(500);
    let now = Utc
        .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .unwrap();
    let spec = config.spec_of("demo").expect("the demo source");
    let mut source = DemoSource::from_spec(&spec, now).expect("a demo source");
    let report = Msg::SourceReport {
        source: "demo".into(),
        at: now,
        result: source.poll(now),
    };
    let mut model = Model::new(
        &config,
        Mode {
            demo: true,
            ..Mode::default()
        },
        now,
    );
    let mut ui_state = Ui::default();
    update(&mut model, &mut ui_state, report.clone());
    (model, ui_state, report)
}

fn render_board(c: &mut Criterion) {
    let (model, mut ui_state, _) = large_state();
    let theme = Theme::builtin("default").unwrap();
    let offset = FixedOffset::east_opt(0).unwrap();
    for (w, h) in [(200u16, 50u16), (420, 120)] {
        ui_state.width = w;
        ui_state.height = h;
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        let ctx = Ctx {
            model: &model,
            ui: &ui_state,
            theme: &theme,
            offset,
        };
        c.bench_function(&format!("render 500x6 board at {w}x{h}"), |b| {
            b.iter(|| {
                buf.reset();
                black_box(ui::render(&ctx, area, &mut buf));
            })
        });
    }
}

fn rebuild_board(c: &mut Criterion) {
    let (mut model, mut ui_state, report) = large_state();
    c.bench_function("update: unchanged 500x6 source report", |b| {
        b.iter(|| black_box(update(&mut model, &mut ui_state, report.clone())))
    });
    // A report with a change: the board is rebuilt from every source and compared.
    let sources = model.sources.clone();
    c.bench_function("Board::build of 500x6 from a source snapshot", |b| {
        b.iter(|| {
            black_box(shiproom::model::Board::build(
                &model.catalog,
                &sources,
                shiproom::model::OtherLocks::default(),
                model.now,
            ))
        })
    });
}

criterion_group!(benches, render_board, rebuild_board);
criterion_main!(benches);
