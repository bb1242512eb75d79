//! The command line: the TUI's flags and the subcommands for scripts and pipelines.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// shiproom: a live control room for your deploys. Without a configuration it runs a
/// simulated demo fleet, so every feature can be seen without credentials.
#[derive(Debug, Parser)]
#[command(
    name = "shiproom",
    version,
    about,
    long_about = None,
    after_help = "SHIPROOM_NOW=2026-11-24T09:00:00Z sets the moment `status` and `snapshot` report at, for reproducible output; no other command reads it (gate, lock and check always use the real time)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Read-only wall display: rotating panels, a large summary, only `q` works. Lock
    /// commands refuse to run with it (exit 2).
    #[arg(long)]
    pub wall: bool,
    /// No action that changes the world: the board refuses L and U, and `lock` and `unlock`
    /// refuse to run (exit 2). Both are recorded in the audit log.
    #[arg(long)]
    pub read_only: bool,
    /// The board's theme: default, light, high-contrast, 16-colour, monochrome, or a file in
    /// the user's themes directory.
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
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
    /// Log level for the log file (error, warn, info, debug, trace).
    #[arg(long, global = true, value_name = "LEVEL", default_value = "info")]
    pub log_level: String,
}

/// Subcommands for scripts, chat-ops and CI.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Poll every source once, print the board and exit. Reports at $SHIPROOM_NOW when set.
    Status {
        /// Print JSON (a stable contract: see the README) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Render one frame of the board as plain text to stdout. Reports at $SHIPROOM_NOW when set.
    Snapshot {
        /// Columns of the frame.
        #[arg(long, default_value_t = 160)]
        width: u16,
        /// Rows of the frame.
        #[arg(long, default_value_t = 48)]
        height: u16,
        /// Theme of the frame (its glyphs: unicode or ascii); as the board's --theme.
        #[arg(long, value_name = "NAME")]
        theme: Option<String>,
    },
    /// Check the configuration, whether every source is reachable and authorised, and the
    /// lock store (its file, audit log, and whether other configurations share them).
    Check {
        /// Only create the lock store if it does not exist yet (an empty document; a vanished
        /// one is started again), report it, and check nothing else.
        #[arg(long)]
        init_store: bool,
    },
    /// Lock an environment (or one service in it) with a reason. Exit 3 if someone holds it.
    Lock {
        /// The environment to lock, as named in the configuration.
        #[arg(value_name = "ENVIRONMENT")]
        environment: String,
        /// Lock only this service in the environment (else the whole environment).
        #[arg(long, short, value_name = "SERVICE")]
        service: Option<String>,
        /// Why, in plain text (at most 500 characters): shown on every board and to every
        /// pipeline that asks the gate.
        #[arg(long, short, value_name = "TEXT")]
        reason: String,
        /// Lift by itself after this long, at most a year: 30m, 2h, 1d.
        #[arg(long = "for", value_name = "DURATION", conflicts_with = "until")]
        duration: Option<String>,
        /// Lift by itself at this time, within a year: 2026-12-20 18:00 (team time zone) or
        /// RFC 3339.
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
    },
    /// Lift a lock you took. Exit 1 if there was no manual lock, 3 if someone else holds it.
    Unlock {
        /// The environment whose lock to lift.
        #[arg(value_name = "ENVIRONMENT")]
        environment: String,
        /// Lift the lock on this one service (else the whole environment's lock).
        #[arg(long, short, value_name = "SERVICE")]
        service: Option<String>,
        /// Lift it even though someone else took it (recorded in the audit log).
        #[arg(long)]
        force: bool,
    },
    /// List every lock in force: manual, schedule and provider, with reason, who and until.
    /// Exit 1, with nothing on stdout, when the lock store cannot be read.
    Locks {
        /// Print a JSON array of locks (the `locks` of `status --json`) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// For CI: exit 0 when deploys to ENVIRONMENT are allowed now, 3 when locked (the locks on
    /// stderr), 1 when it cannot be told (lock store missing or unreadable: fail closed), 2 on
    /// bad usage.
    Gate {
        /// The environment to deploy to.
        #[arg(value_name = "ENVIRONMENT")]
        environment: String,
        /// The service to deploy: its own locks count too (else only the environment's).
        #[arg(long, short, value_name = "SERVICE")]
        service: Option<String>,
    },
}

impl Command {
    /// Whether the command reads `SHIPROOM_NOW` (only what reports a moment of the board).
    pub fn reads_shiproom_now(&self) -> bool {
        matches!(self, Command::Status { .. } | Command::Snapshot { .. })
    }
}
