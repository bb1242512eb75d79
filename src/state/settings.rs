//! What the board runs with, from the configuration and the command line, fixed while it runs:
//! the mode, who acts from here, the key map, the age step, the wall's rotation, the guard.

use crate::config::{Config, KeyMap, Span};
use crate::locks::Guard;

/// How the board may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mode {
    /// Data comes from the simulated demo fleet.
    pub demo: bool,
    /// Read-only wall display: rotating panels, only quit works.
    pub wall: bool,
    /// No action that changes the world can be taken.
    pub read_only: bool,
}

/// The settings of one run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    /// Who takes and lifts locks from here.
    pub identity: String,
    /// Ages move in steps of this; a quiet board draws only then.
    pub age_step: Span,
    /// How long the wall display shows each panel.
    pub wall_rotate: Span,
    pub keymap: KeyMap,
    /// What the configuration forbids: a read-only configuration, view-only environments.
    pub guard: Guard,
    /// The sources that judge deploys' impact: each finished deploy is sent to them.
    pub analysers: Vec<crate::model::SourceId>,
}

impl Settings {
    /// The settings of `config` in `mode`; a read-only configuration makes the mode read-only.
    pub fn new(config: &Config, mode: Mode) -> Settings {
        Settings {
            mode: Mode {
                read_only: mode.read_only || config.read_only,
                ..mode
            },
            identity: config.identity.clone(),
            age_step: config.age_step,
            wall_rotate: config.wall_rotate,
            keymap: config.keymap.clone(),
            guard: Guard {
                read_only: config
                    .read_only
                    .then(|| "read-only configuration (`read_only: true`)".to_string()),
                view_only: config.view_only.clone(),
            },
            analysers: (config.sources.iter())
                .filter(|s| s.analyses_impact())
                .map(|s| s.id.clone())
                .collect(),
        }
    }

    /// The age step in whole seconds, as the formats take it.
    pub fn age_step_secs(&self) -> i64 {
        self.age_step.0.as_secs().max(1) as i64
    }
}
