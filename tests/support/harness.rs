//! A GitHub source against the local server, driven cycle by cycle as the poll loop would
//! drive it, with the model the board is built from and every text it would show.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset, Utc};

use shiproom::config::{self, Config, ConfigOrigin};
use shiproom::model::{Cell, TargetReport};
use shiproom::msg::Msg;
use shiproom::sources::github::GithubSource;
use shiproom::sources::{PollOutcome, Reading, Wait};
use shiproom::state::{Mode, Model, Ui};
use shiproom::theme::Theme;
use shiproom::update::update;

use super::Server;
use super::github::{config_yaml, fleet_yaml, serve_fleet, serve_fleet_of, t0};

/// A token nobody could mistake: every output is searched for it.
pub const TOKEN: &str = "ghp_SHIPROOMtestTOKEN0123456789abcdefXYZ";

pub struct Setup {
    pub server: Server,
    pub config: Config,
    pub runner: GithubSource,
    pub model: Model,
    pub ui: Ui,
    pub token_file: PathBuf,
}

/// A fresh file holding `token`, for `token_command: cat FILE`.
pub fn token_file(token: &str) -> PathBuf {
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

pub fn token_line(token_file: &std::path::Path) -> String {
    format!("token_command: \"cat {}\"", token_file.display())
}

pub fn config_for(url: &str, token_file: &std::path::Path) -> Config {
    let yaml = config_yaml(url, &token_line(token_file));
    config::parse(&yaml, ConfigOrigin::File("github.yaml".into())).unwrap()
}

/// The small fleet of `acme/checkout`.
pub async fn setup() -> Setup {
    let server = Server::start().await;
    serve_fleet(&server);
    setup_on(server)
}

pub fn setup_on(server: Server) -> Setup {
    let token_file = token_file(TOKEN);
    let config = config_for(&server.url, &token_file);
    setup_with(server, config, token_file)
}

/// The small fleet served for each of `repositories`, one service each; `extra` is added to
/// the source's configuration.
pub async fn setup_repos(repositories: &[&str], extra: &str) -> Setup {
    let server = Server::start().await;
    for repository in repositories {
        serve_fleet_of(&server, repository);
    }
    let token_file = token_file(TOKEN);
    let yaml = fleet_yaml(&server.url, &token_line(&token_file), repositories, extra);
    let config = config::parse(&yaml, ConfigOrigin::File("github.yaml".into())).unwrap();
    setup_with(server, config, token_file)
}

pub fn setup_with(server: Server, config: Config, token_file: PathBuf) -> Setup {
    let spec = config.spec_of("github").unwrap();
    let runner = GithubSource::from_spec(&spec).expect("a github source");
    let model = Model::new(&config, Mode::default(), t0());
    Setup {
        server,
        config,
        runner,
        model,
        ui: Ui::default(),
        token_file,
    }
}

impl Setup {
    /// One poll cycle at `t0 + minutes`, applied to the model as the loop would.
    pub async fn cycle(&mut self, minutes: i64) -> PollOutcome {
        self.cycle_at(t0() + chrono::Duration::minutes(minutes))
            .await
    }

    /// One poll cycle at `at`, applied to the model as the loop would.
    pub async fn cycle_at(&mut self, at: DateTime<Utc>) -> PollOutcome {
        let outcome = self.runner.poll(at).await;
        if let Some(stats) = outcome.stats {
            update(
                &mut self.model,
                &mut self.ui,
                Msg::SourceStats {
                    source: "github".into(),
                    stats,
                },
            );
        }
        update(
            &mut self.model,
            &mut self.ui,
            Msg::SourceReport {
                source: "github".into(),
                at,
                result: outcome.result.clone().map(Reading::into_snapshot),
            },
        );
        outcome
    }

    /// The cell of the first service.
    pub fn cell(&self, environment: &str) -> &Cell {
        let e = self.model.catalog.environment_index(environment).unwrap();
        &self.model.board.rows[0].cells[e]
    }

    /// The cell of `service`.
    pub fn cell_of(&self, service: &str, environment: &str) -> &Cell {
        let e = self.model.catalog.environment_index(environment).unwrap();
        let row = self
            .model
            .board
            .rows
            .iter()
            .find(|r| r.service.name == service)
            .unwrap();
        &row.cells[e]
    }

    /// The version running in `service`'s `environment`, if any.
    pub fn running(&self, service: &str, environment: &str) -> Option<String> {
        self.cell_of(service, environment)
            .running
            .as_ref()
            .map(|d| d.version.clone())
    }

    /// The report of `repository` in the outcome's snapshot.
    pub fn target<'a>(outcome: &'a PollOutcome, repository: &str) -> &'a TargetReport {
        let snapshot = outcome.result.as_ref().expect("a snapshot");
        snapshot
            .targets
            .iter()
            .find(|t| t.name == repository)
            .unwrap_or_else(|| panic!("no report of {repository}: {:?}", snapshot.targets))
    }

    pub fn status_bar(&self) -> String {
        let theme = Theme::builtin("default").unwrap();
        let ctx = shiproom::ui::Ctx {
            model: &self.model,
            ui: &self.ui,
            theme: &theme,
            offset: FixedOffset::east_opt(0).unwrap(),
        };
        shiproom::ui::status_bar::source_entry(&ctx, 0).0
    }

    pub fn parsed(&mut self) -> u32 {
        self.runner.http().unwrap().counts().parsed
    }

    /// The `status --json` document of the model.
    pub fn status_json(&self) -> serde_json::Value {
        serde_json::to_value(shiproom::commands::status_json::status_json(&self.model)).unwrap()
    }

    /// Every text the board and the commands would show, for the token search.
    pub fn all_output(&self, outcome: &PollOutcome) -> String {
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

pub fn assert_no_token(text: &str) {
    assert!(!text.contains(TOKEN), "the token leaked into:\n{text}");
    assert!(
        !text.contains("SHIPROOMtestTOKEN"),
        "part of the token leaked into:\n{text}"
    );
}

/// A backoff of about `nominal` seconds (± the 20 % jitter), which a refresh may cut short.
pub fn assert_backoff(wait: Option<Wait>, nominal: u64) {
    let wait = wait.expect("a wait");
    assert!(!wait.firm, "a backoff, which a refresh may cut short");
    let n = std::time::Duration::from_secs(nominal);
    assert!(
        wait.after >= n.mul_f64(0.8) && wait.after <= n.mul_f64(1.2),
        "{:?} is not {nominal}s ± 20%",
        wait.after
    );
}
