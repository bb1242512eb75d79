//! The configuration file as written: serde structs that refuse unknown keys.
//! See `config/example.yaml` for every field with comments.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::keymap::KeyList;
use super::sources::SourceHead;
use crate::action::Action;
use crate::locks::{DeployHours, Freeze, LocksConfig, TimeZoneName};
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
    /// Each source's `name`, `kind` and `interval`; its kind's own fields are read in a
    /// second pass (`super::sources`).
    pub sources: Vec<SourceHead>,
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
