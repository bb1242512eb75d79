//! shiproom: a full-screen terminal control room for software deploys.
//!
//! The flow: sources and input send [`msg::Msg`]s into one loop ([`app`]), a pure
//! [`update::update`] changes the [`state`] and returns effects, and a pure [`ui::view`]
//! draws it — only when something visible changed.

pub mod action;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod effects;
pub mod files;
pub mod impact;
pub mod locks;
pub mod logging;
pub mod model;
pub mod msg;
pub mod present;
pub mod sources;
pub mod span;
pub mod state;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod update;
