//! User intents: what a key can be bound to. The serde names are the names used in the key map.

use serde::Deserialize;

/// Something the operator asks for. Bound to keys by [`crate::config::KeyMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextPanel,
    PrevPanel,
    Open,
    Back,
    Filter,
    Sort,
    Group,
    Refresh,
    Lock,
    Unlock,
    LockHistory,
}

impl Action {
    /// Every action, in the order the help lists them.
    pub const ALL: [Action; 21] = [
        Action::Up,
        Action::Down,
        Action::Left,
        Action::Right,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
        Action::NextPanel,
        Action::PrevPanel,
        Action::Open,
        Action::Back,
        Action::Filter,
        Action::Sort,
        Action::Group,
        Action::Refresh,
        Action::Lock,
        Action::Unlock,
        Action::LockHistory,
        Action::Help,
        Action::Quit,
    ];

    /// The name used in the configuration's `keys:` section.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Up => "up",
            Action::Down => "down",
            Action::Left => "left",
            Action::Right => "right",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::NextPanel => "next_panel",
            Action::PrevPanel => "prev_panel",
            Action::Open => "open",
            Action::Back => "back",
            Action::Filter => "filter",
            Action::Sort => "sort",
            Action::Group => "group",
            Action::Refresh => "refresh",
            Action::Lock => "lock",
            Action::Unlock => "unlock",
            Action::LockHistory => "lock_history",
        }
    }

    /// What the help says the action does.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit shiproom",
            Action::Help => "show or hide this help",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Left => "move to the previous environment",
            Action::Right => "move to the next environment",
            Action::PageUp => "move up one page",
            Action::PageDown => "move down one page",
            Action::Top => "go to the first row",
            Action::Bottom => "go to the last row",
            Action::NextPanel => "focus the next panel",
            Action::PrevPanel => "focus the previous panel",
            Action::Open => "open the detail of the selected cell or deploy",
            Action::Back => "close the detail, help or filter",
            Action::Filter => "filter services by name",
            Action::Sort => "cycle the sort order (configured, name, team, last deploy)",
            Action::Group => "group rows by team on or off",
            Action::Refresh => "poll every source now",
            Action::Lock => "lock the selected environment or service, with a reason",
            Action::Unlock => "lift a lock you took (asks first)",
            Action::LockHistory => {
                "locks panel: switch between locks in force and the audit history"
            }
        }
    }

    /// Whether the action may be used on a read-only wall display.
    pub fn allowed_on_wall(self) -> bool {
        matches!(self, Action::Quit)
    }

    /// Whether the action changes the world (and is refused in read-only mode).
    pub fn changes_the_world(self) -> bool {
        matches!(self, Action::Lock | Action::Unlock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_listed_once_and_its_name_parses_back() {
        let mut seen = std::collections::BTreeSet::new();
        for action in Action::ALL {
            assert!(seen.insert(action), "{action:?} listed twice");
            let parsed: Action = serde_yaml::from_str(action.name()).unwrap();
            assert_eq!(parsed, action);
        }
    }
}
