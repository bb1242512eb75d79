//! What can never be right in a configuration is refused, located like every configuration
//! error (file:line:column, the field, what was expected): control characters in names and
//! the identity, empty names and targets, an etcd endpoint that is not an http(s) URL with a
//! host. A refused file stops shiproom with status 2, and its message is plain text too.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod sandbox;

use shiproom::config::{self, ConfigError, ConfigOrigin};

use sandbox::*;

fn error_of(yaml: &str) -> ConfigError {
    match config::parse(yaml, ConfigOrigin::File("bad.yaml".into())) {
        Ok(_) => panic!("expected an error for:\n{yaml}"),
        Err(e) => e,
    }
}

const GOOD: &str = "identity: alice\nenvironments:\n  - name: staging\n  - name: production\nservices:\n  - name: api\n    team: core\n    environments: {staging: {target: stg}}\nsources:\n  - name: demo\n    kind: demo\n";

#[test]
fn control_characters_in_names_and_identity_are_refused_where_they_are_written() {
    for (from, to, line, column, field) in [
        (
            "identity: alice",
            "identity: \"ali\\e]0;x\\ace\"",
            1,
            11,
            "identity: `ali^[]0;x^Gce`",
        ),
        (
            "  - name: production",
            "  - name: \"prod\\u202Euction\"",
            4,
            11,
            "environments[1].name: `prod\\u{202e}uction`",
        ),
        (
            "  - name: api",
            "  - name: \"api\\nFORGED\"",
            6,
            11,
            "services[0].name: `api\\nFORGED`",
        ),
        (
            "    team: core",
            "    team: \"co\\tre\"",
            7,
            11,
            "services[0].team: `co\\tre`",
        ),
        (
            "{target: stg}",
            "{target: \"s\\x9btg\"}",
            8,
            38,
            "services[0].environments.staging.target: `s\\u{9b}tg`",
        ),
        (
            "  - name: demo",
            "  - name: \"de\\x07mo\"",
            10,
            11,
            "sources[0].name: `de^Gmo`",
        ),
    ] {
        let yaml = GOOD.replace(from, to);
        assert_ne!(yaml, GOOD, "{from}");
        let e = error_of(&yaml);
        assert_eq!((e.line, e.column), (line, column), "{e}");
        assert!(e.message.starts_with(field), "{e}");
        assert!(e.message.contains("holds a control character"), "{e}");
        assert!(e.message.contains("write it in plain text"), "{e}");
        assert!(
            !e.to_string().chars().any(|c| c.is_control()),
            "the message is plain: {e:?}"
        );
    }
}

#[test]
fn empty_names_and_targets_are_refused() {
    config::parse(GOOD, ConfigOrigin::File("good.yaml".into())).unwrap();
    for (from, to, says) in [
        (
            "  - name: api",
            "  - name: \"\"",
            "services[0].name is empty: give a service a name",
        ),
        (
            "  - name: demo",
            "  - name: \" \"",
            "sources[0].name is empty: give a source a name",
        ),
        (
            "{target: stg}",
            "{target: \"\"}",
            "services[0].environments.staging.target is empty (leave it out to use the environment's name, `staging`)",
        ),
    ] {
        let e = error_of(&GOOD.replace(from, to));
        assert!(e.message.contains(says), "{e}");
        assert!(e.line > 0, "located: {e}");
    }
}

#[test]
fn an_etcd_endpoint_must_be_an_http_url_with_a_host() {
    for endpoint in [
        "unix:///run/etcd.sock",
        "127.0.0.1:2379",
        "http://:2379",
        "https://",
    ] {
        let yaml = format!("locks:\n  store: etcd\n  endpoint: \"{endpoint}\"\n{GOOD}");
        let e = error_of(&yaml);
        assert_eq!(e.line, 3, "{e}");
        assert!(
            e.message.contains(&format!(
                "locks.endpoint: `{endpoint}` is not an http(s) URL with a host"
            )),
            "{e}"
        );
    }
    let ok = format!("locks:\n  store: etcd\n  endpoint: https://etcd.internal:2379\n{GOOD}");
    config::parse(&ok, ConfigOrigin::File("ok.yaml".into())).unwrap();
}

#[test]
fn read_only_and_view_only_are_read() {
    let yaml = GOOD
        .replace("identity: alice\n", "identity: alice\nread_only: true\n")
        .replace(
            "  - name: production\n",
            "  - name: production\n    view_only: true\n",
        );
    let config = config::parse(&yaml, ConfigOrigin::File("ro.yaml".into())).unwrap();
    assert!(config.read_only);
    assert_eq!(config.view_only.iter().collect::<Vec<_>>(), ["production"]);
}

#[test]
fn a_refused_name_stops_the_program_with_status_2_and_a_plain_message() {
    let s = Sandbox::new("refused");
    let config = s.config(
        "bad.yaml",
        &GOOD.replace("  - name: api", "  - name: \"api\\e[2J\""),
    );
    let out = s.run(&config, &["status"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(!out.stderr.contains(&0x1b), "{}", text(&out));
    assert!(
        stderr(&out)
            .contains("bad.yaml:6:11: services[0].name: `api^[[2J` holds a control character"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_github_url_must_be_an_http_url_with_a_host() {
    for url in [
        "https://",
        "http://:8080/api/v3",
        "github.example.com",
        "ftp://x",
    ] {
        let yaml = format!(
            "environments: [{{name: staging}}]\nservices: [{{name: api, repository: acme/api}}]\nsources:\n  - {{name: gh, kind: github, token_env: GITHUB_TOKEN, url: \"{url}\"}}\n"
        );
        let e = error_of(&yaml);
        assert!(
            e.message
                .contains(&format!("url `{url}` is not an http(s) URL with a host")),
            "{e}"
        );
        assert!(e.line > 0, "located: {e}");
    }
}
