//! `sources[]` is tagged by `kind`: each kind reads its own fields, refuses a field of another
//! kind by name and any other unknown field, where it is written (file:line:column, the
//! field, what was expected); the interval default is resolved once, while loading, and the
//! kind's settings reach the source it builds.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use shiproom::config::{self, Config, ConfigError, ConfigOrigin};
use shiproom::sources::demo::{Demo, DemoSettings};
use shiproom::sources::github::{Github, GithubSettings};

fn parse(yaml: &str) -> Result<Config, ConfigError> {
    config::parse(yaml, ConfigOrigin::File("kinds.yaml".into()))
}

fn error_of(yaml: &str) -> ConfigError {
    match parse(yaml) {
        Ok(_) => panic!("expected an error for:\n{yaml}"),
        Err(e) => e,
    }
}

/// A demo source and a github source, one field a line.
const TWO: &str = "environments:
  - name: staging
services:
  - name: api
    repository: acme/api
    environments:
      staging: {source: gh}
  - name: web
    environments:
      staging: {source: sim}
sources:
  - name: sim
    kind: demo
    seed: 3
  - name: gh
    kind: github
    token_env: GITHUB_TOKEN
";

#[test]
fn both_kinds_parse_with_their_own_fields_and_each_default_interval_is_resolved_once() {
    let config = parse(TWO).unwrap();
    let sim = config.source("sim").unwrap();
    let gh = config.source("gh").unwrap();
    assert_eq!((sim.kind.label(), gh.kind.label()), ("demo", "github"));
    assert_eq!(sim.interval, config::Span::seconds(1), "the demo's default");
    assert_eq!(gh.interval, config::Span::seconds(60), "GitHub's default");
    assert_eq!(sim.settings.get::<Demo>().unwrap().seed, Some(3));
    assert!(
        sim.settings.get::<Github>().is_none(),
        "only its own kind reads them"
    );
    let settings: &GithubSettings = gh.settings.get::<Github>().unwrap();
    assert_eq!(settings.token_env.as_deref(), Some("GITHUB_TOKEN"));
    assert!(sim.reports_locks() && !gh.reports_locks());
    assert!(config.is_demo());

    let model = shiproom::state::Model::new(&config, Default::default(), chrono::Utc::now());
    let intervals: Vec<i64> = model
        .sources
        .iter()
        .map(|s| s.interval.num_seconds())
        .collect();
    assert_eq!(intervals, [1, 60], "the model reads the resolved interval");
    let spec = config.spec_of("gh").unwrap();
    assert_eq!(spec.interval, std::time::Duration::from_secs(60));
    assert_eq!(spec.id.as_str(), "gh");

    let given = parse(&TWO.replace("    seed: 3\n", "    seed: 3\n    interval: 5s\n")).unwrap();
    assert_eq!(
        given.source("sim").unwrap().interval,
        config::Span::seconds(5)
    );
}

#[test]
fn a_field_of_another_kind_is_refused_by_name_where_it_is_written() {
    let e = error_of(&TWO.replace(
        "    token_env: GITHUB_TOKEN\n",
        "    token_env: GITHUB_TOKEN\n    seed: 4\n",
    ));
    assert_eq!((e.line, e.column), (18, 5), "{e}");
    assert!(
        e.message
            .starts_with("sources[1]: a `github` source takes no `seed`"),
        "{e}"
    );
    assert!(
        e.message
            .contains("`seed` is not a field of a github source but of a demo source"),
        "{e}"
    );
    assert!(
        e.message.contains("`deploy_workflows`"),
        "says what it takes: {e}"
    );

    let e = error_of(&TWO.replace(
        "    seed: 3\n",
        "    seed: 3\n    deploy_workflows: [Deploy]\n",
    ));
    assert_eq!((e.line, e.column), (15, 5), "{e}");
    assert!(
        e.message
            .starts_with("sources[0]: a `demo` source takes no `deploy_workflows`"),
        "{e}"
    );
}

#[test]
fn simulate_locks_on_a_github_source_is_no_longer_accepted_silently() {
    let e = error_of(&TWO.replace(
        "    token_env: GITHUB_TOKEN\n",
        "    token_env: GITHUB_TOKEN\n    simulate_locks: false\n",
    ));
    assert_eq!(e.line, 18, "{e}");
    assert!(
        e.message
            .contains("a `github` source takes no `simulate_locks`"),
        "{e}"
    );
}

#[test]
fn a_field_of_no_kind_is_an_unknown_field_with_the_kinds_own_fields_expected() {
    let e = error_of(&TWO.replace("    seed: 3\n", "    sed: 3\n"));
    assert_eq!((e.line, e.column), (14, 5), "{e}");
    assert!(
        e.message.starts_with(
            "sources[0]: unknown field `sed`, expected one of `name`, `kind`, `interval`, `seed`, `paused`, `outages`, `simulate_locks`"
        ),
        "{e}"
    );
}

#[test]
fn a_bad_value_of_a_kinds_own_field_is_located_and_says_what_was_expected() {
    let e = error_of(&TWO.replace(
        "    token_env: GITHUB_TOKEN\n",
        "    token_env: GITHUB_TOKEN\n    timeout: soon\n",
    ));
    assert_eq!((e.line, e.column), (18, 14), "{e}");
    assert!(
        e.message
            .starts_with("sources[1].timeout: `soon` is not a duration"),
        "{e}"
    );
    let e = error_of(&TWO.replace("    seed: 3\n", "    seed: three\n"));
    assert_eq!(e.line, 14, "{e}");
    assert!(
        e.message.starts_with("sources[0].seed: invalid type"),
        "{e}"
    );
    let e = error_of(&TWO.replace("    seed: 3\n", "    seed: 3\n    paused: maybe\n"));
    assert_eq!(e.line, 15, "{e}");
    assert!(e.message.contains("sources[0].paused"), "{e}");
}

#[test]
fn a_kinds_own_checks_name_the_source_and_point_at_it() {
    let e = error_of(&TWO.replace("    token_env: GITHUB_TOKEN\n", "    quota_share: 0.5\n"));
    assert_eq!(e.line, 15, "at the source's name: {e}");
    assert!(
        e.message
            .starts_with("sources[1] (`gh`): a `github` source needs `token_env: GITHUB_TOKEN`"),
        "{e}"
    );
    let e = error_of(&TWO.replace("    seed: 3\n", "    seed: 3\n    interval: 500ms\n"));
    assert!(
        e.message
            .contains("sources[0] (`sim`): interval `500ms` is too short"),
        "{e}"
    );
}

#[test]
fn a_service_a_kind_cannot_report_is_refused_by_that_kind() {
    let e = error_of(&TWO.replace("    repository: acme/api\n", ""));
    assert!(
        e.message.contains(
            "services[0] (`api`): its staging deploys come from the github source `gh`, so it needs `repository: owner/name`"
        ),
        "{e}"
    );
    let e = error_of(&TWO.replace("acme/api", "acme api"));
    assert!(
        e.message
            .contains("services[0].repository: `acme api` is not `owner/name`"),
        "{e}"
    );
    assert_eq!(e.line, 5, "{e}");
    let demo_only = TWO.replace(
        "  - name: web\n    environments:\n      staging: {source: sim}\n",
        "",
    );
    parse(&demo_only).unwrap();
    let no_repo_on_demo = TWO.replace("  - name: web\n", "  - name: web\n    team: t\n");
    parse(&no_repo_on_demo).expect("a demo source needs no repository");
}

#[test]
fn the_demo_settings_default_as_before() {
    let config = Config::demo().unwrap();
    let demo: &DemoSettings = config.sources[0].settings.get::<Demo>().unwrap();
    assert_eq!(demo.seed, Some(7));
    assert!(demo.outages && demo.simulate_locks && !demo.paused);
}
