//! GitHub (and GitHub Enterprise): DTOs shaped after the official API description, their
//! conversion into deployments, drift and CI results, the poller, and `check`.

pub mod check;
pub mod ci;
pub mod convert;
pub mod dto;
pub mod fetch;
mod kind;
mod plan;
mod repo;
mod settings;
pub mod source;

pub use kind::Github;
pub use plan::{RepoPlan, ServicePlan};
pub use settings::{GithubSettings, is_repository};
pub use source::{DEFAULT_URL, GithubSource};
