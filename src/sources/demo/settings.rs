//! A demo source's own fields in `sources[]`.

use serde::Deserialize;

/// What a `demo` source may say beside `name`, `kind` and `interval`. It is simulated: it
/// takes no url and no credentials.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSettings {
    /// The simulation's seed (default [`super::DEFAULT_SEED`]).
    pub seed: Option<u64>,
    /// Freeze the simulation after a quiet hour (nothing in flight, the same data every
    /// poll; for measuring what an idle board costs).
    #[serde(default)]
    pub paused: bool,
    /// Simulate a short outage of this source every ten minutes or so.
    #[serde(default)]
    pub outages: bool,
    /// Simulate locks too (a change window, operators' locks); default true.
    #[serde(default = "yes")]
    pub simulate_locks: bool,
}

impl Default for DemoSettings {
    fn default() -> Self {
        DemoSettings {
            seed: None,
            paused: false,
            outages: false,
            simulate_locks: true,
        }
    }
}

fn yes() -> bool {
    true
}
