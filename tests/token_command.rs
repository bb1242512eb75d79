//! A `token_command` is run once per cycle and once per `check`, not once per repository; on
//! a time-out its whole process group is stopped, so nothing it started outlives it.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shiproom::config::{self, ConfigOrigin};
use shiproom::sources::http::{CredentialSource, Credentials};
use shiproom::sources::{BuildContext, Source, build};

use support::Server;
use support::github::*;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shiproom-token-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Whether process `pid` is still running (a zombie is not), from `/proc`.
fn running(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // pid (comm) state …; comm may hold spaces and parentheses.
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .is_some_and(|state| state != "Z")
}

/// The processes of group `group` still running, from `/proc`.
fn members(group: u32) -> Vec<u32> {
    let mut alive = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let fields: Vec<String> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        if fields.len() > 2 && fields[2] == group.to_string() && fields[0] != "Z" {
            alive.push(pid);
        }
    }
    alive
}

#[tokio::test]
async fn a_timed_out_token_command_leaves_no_process_of_its_group_alive() {
    let dir = scratch("group");
    let pids = dir.join("pids");
    // The shell, a shell it starts, and that one's two sleeps all note their pid.
    let command = format!(
        "echo $$ >> {p}; sh -c 'echo $$ >> {p}; sleep 30 & echo $! >> {p}; exec sleep 30'",
        p = pids.display()
    );
    let mut credentials = Credentials::new(CredentialSource::Command(command))
        .with_command_timeout(Duration::from_secs(1));
    let started = Instant::now();
    let error = credentials.token().await.unwrap_err();
    assert!(error.contains("did not finish within 1s"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let started: Vec<u32> = std::fs::read_to_string(&pids)
        .unwrap()
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    assert_eq!(started.len(), 3, "{started:?}");
    let group = started[0];
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let alive: Vec<u32> = started
            .iter()
            .copied()
            .filter(|pid| running(*pid))
            .chain(members(group))
            .collect();
        if alive.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still running after the time-out: {alive:?} (group {group})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn runs(file: &Path) -> usize {
    std::fs::read_to_string(file).map_or(0, |t| t.lines().count())
}

#[tokio::test]
async fn check_runs_a_failing_token_command_once_per_source_not_once_per_repository() {
    let server = Server::start().await;
    let repositories = ["acme/checkout", "acme/payments", "acme/ledger"];
    for repository in repositories {
        serve_fleet_of(&server, repository);
    }
    let dir = scratch("once");
    let count = dir.join("runs");
    let line = format!("token_command: \"echo run >> {}; exit 1\"", count.display());
    let yaml = fleet_yaml(&server.url, &line, &repositories, "");
    let config = config::parse(&yaml, ConfigOrigin::File("github.yaml".into())).unwrap();
    let mut runner = build(&config.spec_of("github").unwrap(), &BuildContext::at(t0()));
    let lines = runner.check(t0()).await;
    assert_eq!(lines.len(), 3);
    for (line, repository) in lines.iter().zip(repositories) {
        assert!(!line.ok);
        assert!(
            line.text
                .starts_with(&format!("{repository}: token_command `echo run")),
            "{}",
            line.text
        );
        assert!(
            line.text.contains("failed (exit status: 1)"),
            "{}",
            line.text
        );
    }
    assert_eq!(runs(&count), 1, "once for the three repositories");
    let outcome = runner.poll(t0()).await;
    assert!(
        outcome
            .result
            .unwrap_err()
            .reason
            .contains("failed (exit status: 1)")
    );
    assert_eq!(runs(&count), 2, "once more for the cycle");
    assert!(server.requests().is_empty(), "nothing sent without a token");
}
