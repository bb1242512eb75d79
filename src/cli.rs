//! The command line: the TUI's flags and the subcommands for scripts and pipelines.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// shiproom: a live control room for your deploys. Without a configuration it runs a
/// simulated demo fleet, so every feature can be seen without credentials.
#[derive(Debug, Parser)]
#[command(name = "shiproom", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Read-only wall display: rotating panels, a large summary, only `q` works.
    #[arg(long)]
    pub wall: bool,
    /// Show the board without allowing any action that changes the world.
    #[arg(long)]
    pub read_only: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command understands.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The configuration file (else $SHIPROOM_CONFIG, else config.yaml in the user's config directory).
    #[arg(long, short = 'c', global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run the built-in demo fleet, whatever configuration exists.
    #[arg(long, global = true, conflicts_with = "config")]
    pub demo: bool,
    /// Theme: default, light, high-contrast, 16-colour, monochrome, or a file in the user's themes directory.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Log level for the log file (error, warn, info, debug, trace).
    #[arg(long, global = true, value_name = "LEVEL", default_value = "info")]
    pub log_level: String,
}

/// Subcommands for scripts, chat-ops and CI.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Poll every source once (a moment of the demo), print the board and exit.
    Status {
        /// Print JSON (a stable contract: see the README) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Render one frame of the board as plain text to stdout.
    Snapshot {
        #[arg(long, default_value_t = 160)]
        width: u16,
        #[arg(long, default_value_t = 48)]
        height: u16,
    },
    /// Check the configuration and whether every source is reachable and authorised.
    Check,
    /// Lock an environment (or one service in it) with a reason. Exit 3 if someone holds it.
    Lock {
        /// The environment to lock.
        environment: String,
        /// Lock only this service in the environment.
        #[arg(long, short)]
        service: Option<String>,
        /// Why: shown on every board and to every pipeline that asks the gate.
        #[arg(long, short)]
        reason: String,
        /// Lift by itself after this long: 30m, 2h, 1d.
        #[arg(long = "for", value_name = "DURATION", conflicts_with = "until")]
        duration: Option<String>,
        /// Lift by itself at this time: 2026-12-20 18:00 (team time zone) or RFC 3339.
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
    },
    /// Lift a lock you took. Exit 1 if there was no manual lock, 3 if someone else holds it.
    Unlock {
        environment: String,
        #[arg(long, short)]
        service: Option<String>,
        /// Lift it even though someone else took it (recorded in the audit log).
        #[arg(long)]
        force: bool,
    },
    /// List every lock in force: manual, schedule and provider, with reason, who and until.
    Locks {
        #[arg(long)]
        json: bool,
    },
    /// For CI: exit 0 when deploys to ENVIRONMENT are allowed now, 3 when locked (the locks on
    /// stderr), 1 when it cannot be told (lock store unreachable: fail closed), 2 on bad usage.
    Gate {
        environment: String,
        #[arg(long, short)]
        service: Option<String>,
    },
}
