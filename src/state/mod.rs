//! The state the loop owns, all plain data that [`crate::update`] alone changes: the model
//! (what the sources and the lock store said, merged into a board), the settings it runs with,
//! and the UI state (what the operator is looking at).

mod model;
mod settings;
mod ui;

pub use model::{ManualLocks, Model, breach_tag};
pub use settings::{Mode, Settings};
pub use ui::{DetailTarget, Drawn, LockField, LockForm, Overlay, Panel, SortOrder, Ui, UnlockForm};
