//! The configuration file as written: serde structs that refuse unknown keys.
//! See `config/example.yaml` for every field with comments.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::keymap::KeyList;
use crate::action::Action;
use crate::locks::{DeployHours, Freeze, LocksConfig, TimeZoneName};
use crate::model::SourceKind;
use crate::span::Span;

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Who the operator is, for locks and the audit log; defaults to `$USER`.
    pub identity: Option<String>,
    /// Theme name: a built-in or a file in the user's theme directory.
    pub theme: Option<String>,
    /// A read-only configuration: no lock is taken or lifted from it, by any command or key.
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub display: DisplayConfig,
    #[serde(default)]
    pub wall: WallConfig,
    /// The team's time zone (IANA name) for deploy hours and freezes; default UTC.
    #[serde(default)]
    pub timezone: TimeZoneName,
    #[serde(default)]
    pub locks: LocksConfig,
    pub environments: Vec<EnvironmentConfig>,
    /// Named periods in which environments are frozen.
    #[serde(default)]
    pub freezes: Vec<Freeze>,
    pub services: Vec<ServiceConfig>,
    pub sources: Vec<SourceConfig>,
    /// Key overrides: action name → key or list of keys.
    #[serde(default)]
    pub keys: BTreeMap<Action, KeyList>,
}

/// How the board shows time.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplayConfig {
    /// Relative ages ("40s ago") move in steps of this size; the board redraws no more often
    /// than this when nothing else changes.
    #[serde(default = "default_age_step")]
    pub age_step: Span,
}

impl Default for DisplayConfig {
    fn default() -> Self {
        DisplayConfig {
            age_step: default_age_step(),
        }
    }
}

fn default_age_step() -> Span {
    Span::seconds(10)
}

/// The read-only wall display.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WallConfig {
    /// How long each panel stays before the next one rotates in.
    #[serde(default = "default_rotate")]
    pub rotate: Span,
}

impl Default for WallConfig {
    fn default() -> Self {
        WallConfig {
            rotate: default_rotate(),
        }
    }
}

fn default_rotate() -> Span {
    Span::seconds(15)
}

/// One environment, in pipeline order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentConfig {
    pub name: String,
    #[serde(default)]
    pub protected: bool,
    #[serde(default)]
    pub ephemeral: bool,
    /// The environment this one takes its versions from (default: the nearest steady,
    /// not ephemeral, environment before it; none for ephemeral environments).
    pub follows: Option<String>,
    /// When deploys are allowed, e.g. "Mon-Fri 09:00-15:30"; locked by schedule outside.
    pub deploy_hours: Option<DeployHours>,
    /// The time zone of these deploy hours, when not the team's.
    pub timezone: Option<TimeZoneName>,
    /// Its locks are shown but not taken or lifted from here (`L`, `U`, `lock`, `unlock`).
    #[serde(default)]
    pub view_only: bool,
}

/// One service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    pub name: String,
    #[serde(default = "default_team")]
    pub team: String,
    /// "owner/name" in the SCM.
    pub repository: Option<String>,
    /// Per environment: which source reports it and under which name there.
    #[serde(default)]
    pub environments: BTreeMap<String, TargetConfig>,
}

fn default_team() -> String {
    "unassigned".to_string()
}

/// Where one service's deploys to one environment are found.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    /// The source's name; defaults to the only source when there is one.
    pub source: Option<String>,
    /// The name of the environment or application in that source (default: the environment's name).
    pub target: Option<String>,
}

/// One API endpoint and its credentials.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub name: String,
    pub kind: SourceKind,
    /// How often to poll.
    pub interval: Option<Span>,
    /// The API's base URL (`github`: default `https://api.github.com`; GitHub Enterprise:
    /// `https://github.example.com/api/v3`).
    pub url: Option<String>,
    /// Whether the token may go over plain `http://` to a host that is not loopback
    /// (default false: such a source is refused; 127.0.0.1, ::1 and localhost need no leave).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Name of the environment variable that holds the token (never the token itself).
    pub token_env: Option<String>,
    /// A command that prints the token (`gh auth token`), run through `sh -c` when the token
    /// is first needed and again after a 401. Its output is never logged.
    pub token_command: Option<String>,
    /// `github`: Actions workflows (name or file, e.g. `Deploy` or `deploy.yml`) whose runs are
    /// deploys. Default: workflows with "deploy" in their name or file.
    pub deploy_workflows: Option<Vec<String>>,
    /// The share of the API's hourly quota this source may spend (default 0.25); polls slow
    /// down before it is spent.
    pub quota_share: Option<f64>,
    /// How long one request may take (default 10s).
    pub timeout: Option<Span>,
    /// `demo`: the simulation's seed.
    pub seed: Option<u64>,
    /// `demo`: freeze the simulation after a quiet hour (nothing in flight, the same data every
    /// poll; for measuring what an idle board costs).
    #[serde(default)]
    pub paused: bool,
    /// `demo`: simulate a short outage of this source every ten minutes or so.
    #[serde(default)]
    pub outages: bool,
    /// `demo`: simulate locks too (a change window, operators' locks); default true.
    #[serde(default = "yes")]
    pub simulate_locks: bool,
}

fn yes() -> bool {
    true
}
