//! The command line's words: every argument of the subcommands says what it is, `--theme` is
//! offered only where something is drawn (the board and `snapshot`), and counts in the text
//! commands agree with their nouns.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod sandbox;

use sandbox::*;

fn help(s: &Sandbox, args: &[&str]) -> String {
    let out = s.command(args).arg("--help").output().unwrap();
    assert_eq!(code(&out), 0, "{}", text(&out));
    stdout(&out)
}

/// The help line of `flag` (or positional `name`): its text after the name.
fn described(help: &str, name: &str) -> String {
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with(name))
        .unwrap_or_else(|| panic!("no `{name}` in:\n{help}"));
    line.trim_start()
        .trim_start_matches(name)
        .trim()
        .to_string()
}

#[test]
fn every_argument_of_the_lock_commands_is_described() {
    let s = Sandbox::new("help");
    for (command, args) in [
        (
            "lock",
            &[
                "<ENVIRONMENT>",
                "-s, --service <SERVICE>",
                "-r, --reason <TEXT>",
            ][..],
        ),
        ("unlock", &["<ENVIRONMENT>", "-s, --service <SERVICE>"][..]),
        ("gate", &["<ENVIRONMENT>", "-s, --service <SERVICE>"][..]),
        ("locks", &["--json"][..]),
        ("status", &["--json"][..]),
        ("snapshot", &["--width <WIDTH>", "--height <HEIGHT>"][..]),
    ] {
        let text = help(&s, &[command]);
        for arg in args {
            let words = described(&text, arg);
            assert!(
                words.len() > 10,
                "`{command} {arg}` is not described:\n{text}"
            );
        }
    }
}

#[test]
fn the_theme_is_a_flag_of_the_board_and_snapshot_only() {
    let s = Sandbox::new("theme");
    assert!(help(&s, &[]).contains("--theme <NAME>"));
    assert!(help(&s, &["snapshot"]).contains("--theme <NAME>"));
    for command in ["status", "check", "lock", "unlock", "locks", "gate"] {
        assert!(
            !help(&s, &[command]).contains("--theme"),
            "{command} offers --theme"
        );
    }
    let out = s
        .command(&[
            "--demo",
            "snapshot",
            "--theme",
            "monochrome",
            "--width",
            "80",
            "--height",
            "24",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", text(&out));
    let out = s
        .command(&["--demo", "locks", "--theme", "light"])
        .output()
        .unwrap();
    assert_eq!(
        code(&out),
        2,
        "a command that draws nothing takes no theme: {}",
        text(&out)
    );
}

#[test]
fn counts_agree_with_their_nouns() {
    let s = Sandbox::new("plural");
    let config = s.config(
        "one.yaml",
        "environments: [{name: production}]\nservices: [{name: api}]\nsources: [{name: fleet, kind: demo, paused: true, simulate_locks: false}]\n",
    );
    assert_eq!(
        code(&s.run(&config, &["lock", "production", "--reason", "one"])),
        0
    );
    let out = stdout(&s.run(&config, &["check"]));
    assert!(
        out.contains("— ok (1 environment, 1 service, 1 source)"),
        "{out}"
    );
    assert!(out.contains("readable, 1 manual lock\n"), "{out}");
    assert!(out.contains(" of 1 service\n"), "{out}");
    let gate = s.run(&config, &["gate", "production"]);
    assert!(
        stderr(&gate).contains("production is locked (1 lock):"),
        "{}",
        text(&gate)
    );
}
