//! The HTTP machinery every real source shares: one client, credentials, conditional requests,
//! pagination, rate limits, backoff and request accounting; reads, and writes for actions.

pub mod accounting;
pub mod backoff;
mod batch;
mod body;
pub mod cache;
pub mod client;
pub mod credentials;
pub mod error;
mod exchange;
pub mod origin;
pub mod pagination;
pub mod rate_limit;
mod write;

pub use accounting::RequestCounts;
pub use backoff::Backoff;
pub use batch::{Answer, Ask};
pub use client::{DEFAULT_MAX_BODY, HttpCore, HttpSettings, Page, USER_AGENT};
pub use credentials::{CredentialSource, Credentials, Token};
pub use error::HttpError;
pub use origin::Origin;
pub use rate_limit::{Pacer, RateLimit};
pub use write::{Write, Written};
