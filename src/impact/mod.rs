//! Impact analysis: what a deploy did to its service's error rate and latency, judged from
//! the samples before and after it. Pure: the statistics, the judgement of each metric, and
//! the verdict; the sources fetch the samples, the board joins the verdicts to deployments.

pub mod analysis;
pub mod judge;
pub mod stats;
pub mod windows;

#[cfg(test)]
mod stats_tests;
