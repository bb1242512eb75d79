//! TEMPORARY shim until the simulation lands.
mod source;
pub use source::DemoSource;
use chrono::{DateTime, Utc};
use crate::model::{Catalog, SourceSnapshot};
pub struct DemoFleet;
impl DemoFleet {
    pub fn new(_c: &Catalog, _s: u64, _n: &str, _now: DateTime<Utc>) -> DemoFleet { DemoFleet }
    pub fn advance_to(&mut self, _now: DateTime<Utc>) {}
    pub fn snapshot(&self) -> SourceSnapshot { SourceSnapshot::default() }
    pub fn outage(&self, _now: DateTime<Utc>) -> Option<String> { None }
}
