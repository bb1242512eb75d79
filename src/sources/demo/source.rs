//! The demo source: the simulated fleet behind the same interface as every real source.

use chrono::{DateTime, Utc};

use super::DemoFleet;
use crate::config::SourceConfig;
use crate::model::{Catalog, SourceError, SourceSnapshot};

/// The seed used when the configuration names none.
pub const DEFAULT_SEED: u64 = 7;

/// A configured demo source.
pub struct DemoSource {
    fleet: DemoFleet,
    paused: bool,
    outages: bool,
}

impl DemoSource {
    /// A fleet over `catalog`, with three hours of history up to `now`.
    pub fn new(config: &SourceConfig, catalog: Catalog, now: DateTime<Utc>) -> DemoSource {
        let seed = config.seed.unwrap_or(DEFAULT_SEED);
        DemoSource {
            fleet: DemoFleet::new(&catalog, seed, &config.name, now).with_outages(config.outages),
            paused: config.paused,
            outages: config.outages,
        }
    }

    /// Moves the simulation to `now` (unless paused) and reports it, or a simulated outage.
    pub fn poll(&mut self, now: DateTime<Utc>) -> Result<SourceSnapshot, SourceError> {
        if !self.paused {
            self.fleet.advance_to(now);
        }
        if self.outages
            && let Some(reason) = self.fleet.outage(now)
        {
            return Err(SourceError { reason });
        }
        Ok(self.fleet.snapshot())
    }
}
