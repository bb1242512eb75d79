//! Configuration: every shipped file parses, and each kind of bad input is reported with the
//! file, line, column, the field and what was expected — before the terminal is touched.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use std::path::Path;
use std::process::Command;

use shiproom::config::{self, Config, ConfigError, ConfigOrigin};
use shiproom::theme::Theme;

fn parse(yaml: &str) -> Result<Config, ConfigError> {
    config::parse(yaml, ConfigOrigin::File("bad.yaml".into()))
}

fn error_of(yaml: &str) -> ConfigError {
    match parse(yaml) {
        Ok(_) => panic!("expected an error for:\n{yaml}"),
        Err(e) => e,
    }
}

#[test]
fn every_file_in_config_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
            count += 1;
        }
    }
    assert!(count >= 2, "config/ holds example.yaml and demo.yaml");
}

#[test]
fn every_file_in_themes_parses_as_a_theme() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        Theme::parse(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn the_embedded_demo_is_labelled_demo_and_has_a_dozen_services_in_five_environments() {
    let demo = Config::demo().unwrap();
    assert!(demo.is_demo());
    assert_eq!(demo.catalog.services.len(), 12);
    assert_eq!(demo.catalog.environments.len(), 5);
    assert!(demo.catalog.environments.iter().any(|e| e.ephemeral));
}

const GOOD: &str = "environments:\n  - name: staging\n  - name: production\nservices:\n  - name: api\nsources:\n  - name: demo\n    kind: demo\n";

#[test]
fn an_unknown_key_names_its_line_and_the_keys_expected() {
    let e = error_of(&GOOD.replace("  - name: api\n", "  - name: api\n    tem: x\n"));
    assert_eq!((e.line, e.column), (6, 5), "{e}");
    assert!(
        e.message.contains("services[0]: unknown field `tem`"),
        "{e}"
    );
    assert!(e.message.contains("expected one of `name`, `team`"), "{e}");
    assert!(e.to_string().starts_with("bad.yaml:6:5: "), "{e}");
}

#[test]
fn a_wrong_type_names_the_field_and_the_type_expected() {
    let e = error_of(&GOOD.replace(
        "  - name: production\n",
        "  - name: production\n    protected: maybe\n",
    ));
    assert_eq!(e.line, 4, "{e}");
    assert!(e.message.contains("environments[1].protected"), "{e}");
    assert!(e.message.contains("expected a boolean"), "{e}");
}

#[test]
fn a_bad_duration_says_what_a_duration_looks_like() {
    let e = error_of(&(GOOD.to_string() + "    interval: soon\n"));
    assert_eq!(e.line, 9, "{e}");
    assert!(e.message.contains("sources[0].interval"), "{e}");
    assert!(e.message.contains("expected e.g. `30s`"), "{e}");
}

#[test]
fn an_unknown_source_kind_lists_the_kinds() {
    let e = error_of(&GOOD.replace("kind: demo", "kind: githib"));
    assert_eq!(e.line, 8, "{e}");
    assert!(
        e.message
            .contains("unknown variant `githib`, expected one of `demo`, `github`, `prometheus`"),
        "{e}"
    );
}

#[test]
fn a_bad_key_binding_is_located_and_explained() {
    let e = error_of(&(GOOD.to_string() + "keys:\n  refresh: ctrl-\n"));
    assert_eq!(e.line, 10, "{e}");
    assert!(
        e.message.contains("keys.refresh") && e.message.contains("is not a key"),
        "{e}"
    );
    let e = error_of(&(GOOD.to_string() + "keys:\n  refrsh: r\n"));
    assert!(e.message.contains("unknown variant `refrsh`"), "{e}");
    let e = error_of(&(GOOD.to_string() + "keys:\n  refresh: q\n"));
    assert!(e.message.contains("bound to both"), "{e}");
}

#[test]
fn a_reference_to_an_unknown_environment_points_at_it() {
    let yaml = GOOD.replace(
        "  - name: api\n",
        "  - name: api\n    environments:\n      prod: {}\n",
    );
    let e = error_of(&yaml);
    assert_eq!((e.line, e.column), (7, 7), "{e}");
    assert!(
        e.message.contains(
            "`prod` is not a configured environment (expected one of: production, staging)"
        ),
        "{e}"
    );
}

#[test]
fn a_duplicate_name_and_a_bad_follows_are_errors() {
    let e = error_of(&GOOD.replace("  - name: production\n", "  - name: staging\n"));
    assert!(e.message.contains("`staging` is listed twice"), "{e}");
    assert_eq!(e.line, 2);
    let e = error_of(&GOOD.replace(
        "  - name: production\n",
        "  - name: production\n    follows: qa\n",
    ));
    assert!(
        e.message
            .contains("follows: `qa` is not an environment listed before"),
        "{e}"
    );
}

#[test]
fn a_missing_section_is_named() {
    let e = error_of("environments: []\nservices: []\n");
    assert!(e.message.contains("missing field `sources`"), "{e}");
    let e = error_of("environments: []\nservices: []\nsources: []\n");
    assert!(e.message.contains("`environments` is empty"), "{e}");
}

#[test]
fn a_demo_source_refuses_credentials() {
    let e = error_of(&(GOOD.to_string() + "    token_env: GITHUB_TOKEN\n"));
    assert!(
        e.message.contains("a `demo` source takes no `token_env`"),
        "{e}"
    );
    let e = error_of(&(GOOD.to_string() + "    token_command: gh auth token\n"));
    assert!(e.message.contains("takes no `token_command`"), "{e}");
}

#[test]
fn the_configuration_is_found_by_flag_then_environment_then_user_directory() {
    let dir = std::env::temp_dir().join(format!("shiproom-find-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let flag = Path::new("/from/flag.yaml");
    let env = std::ffi::OsStr::new("/from/env.yaml");
    assert_eq!(
        config::find_config_file(Some(flag), Some(env), Some(&dir)).unwrap(),
        flag
    );
    assert_eq!(
        config::find_config_file(None, Some(env), Some(&dir)).unwrap(),
        Path::new(env)
    );
    assert_eq!(
        config::find_config_file(None, None, Some(&dir)),
        None,
        "no file: the demo"
    );
    std::fs::write(dir.join("config.yaml"), GOOD).unwrap();
    assert_eq!(
        config::find_config_file(None, None, Some(&dir)).unwrap(),
        dir.join("config.yaml")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn shiproom() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shiproom"));
    cmd.env_remove("SHIPROOM_CONFIG")
        .env("HOME", std::env::temp_dir())
        .env("XDG_STATE_HOME", std::env::temp_dir());
    cmd
}

#[test]
fn the_program_exits_2_with_the_location_before_touching_the_terminal() {
    let dir = std::env::temp_dir().join(format!("shiproom-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.yaml");
    std::fs::write(&path, GOOD.replace("kind: demo", "kind: githib")).unwrap();
    let out = shiproom().arg("--config").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}:8:11: sources[0].kind: unknown variant `githib`",
            path.display()
        )),
        "{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "no escape sequence reached the terminal"
    );

    let out = shiproom()
        .arg("--config")
        .arg(dir.join("missing.yaml"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the configuration"));

    std::fs::write(&path, GOOD.to_string() + "theme: neon\n").unwrap();
    let out = shiproom()
        .arg("--config")
        .arg(&path)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(":9:8:") && stderr.contains("neon"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_deploy_hours_time_zones_and_freezes_are_located_configuration_errors() {
    let hours = GOOD.replace(
        "  - name: production\n",
        "  - name: production\n    deploy_hours: \"Mon-Fry 09:00-15:30\"\n",
    );
    let e = error_of(&hours);
    assert_eq!((e.line, e.column), (4, 19), "{e}");
    assert!(
        e.message
            .contains("environments[1].deploy_hours: `Fry` is not a day"),
        "{e}"
    );

    let backwards = GOOD.replace(
        "  - name: production\n",
        "  - name: production\n    deploy_hours: \"Mon-Fri 17:00-09:00\"\n",
    );
    assert!(
        error_of(&backwards)
            .message
            .contains("ends before it starts")
    );

    let zone = format!("timezone: Mars/Olympus\n{GOOD}");
    let e = error_of(&zone);
    assert_eq!((e.line, e.column), (1, 11), "{e}");
    assert!(
        e.message
            .contains("timezone: `Mars/Olympus` is not a time zone"),
        "{e}"
    );

    let freeze =
        format!("{GOOD}freezes:\n  - name: holidays\n    from: 2027-01-04\n    to: 2026-12-20\n");
    let e = error_of(&freeze);
    assert_eq!(e.line, 10, "{e}");
    assert!(
        e.message.contains(
            "freeze `holidays` ends (2026-12-20 00:00) before it starts (2027-01-04 00:00)"
        ),
        "{e}"
    );

    let unknown_env = format!(
        "{GOOD}freezes:\n  - {{name: f, from: 2026-12-20, to: 2027-01-04, environments: [prod]}}\n"
    );
    let e = error_of(&unknown_env);
    assert!(
        e.message
            .contains("freezes[0].environments: `prod` is not a configured environment"),
        "{e}"
    );
    assert_eq!(e.line, 10, "{e}");
}

#[test]
fn an_etcd_store_needs_an_endpoint_and_a_file_store_refuses_one() {
    let e = error_of(&format!("locks:\n  store: etcd\n{GOOD}"));
    assert!(
        e.message.contains("an `etcd` store needs `endpoint:`"),
        "{e}"
    );
    assert_eq!(e.line, 2, "{e}");
    let e = error_of(&format!(
        "locks:\n  endpoint: http://127.0.0.1:2379\n{GOOD}"
    ));
    assert!(e.message.contains("are for `store: etcd`"), "{e}");
    let e = error_of(&format!("locks:\n  store: consul\n{GOOD}"));
    assert!(
        e.message
            .contains("unknown variant `consul`, expected `file` or `etcd`"),
        "{e}"
    );
}
