//! The built-in demo fleet: a seeded simulation that deploys, fails, rolls back, locks and
//! recovers by itself, reported through the same snapshots as every real source.

mod cells;
mod deploys;
mod fleet;
mod impact;
mod judging;
mod kind;
mod locks;
mod names;
mod pipeline;
mod promote;
mod rng;
mod series;
mod settings;
mod source;

pub use fleet::{DemoFleet, WARMUP};
pub use kind::Demo;
pub use rng::SplitMix64;
pub use settings::DemoSettings;
pub use source::{DEFAULT_SEED, DemoSource};
