//! shiproom: a full-screen terminal control room for software deploys.
//!
//! The flow: sources and input send [`msg::Msg`]s into one loop ([`app`]), a pure
//! [`update`] changes the state and returns effects, and a pure [`ui::view`] draws it.

pub mod model;
