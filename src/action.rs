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
    FocusBoard,
    FocusInFlight,
    FocusRecent,
    FocusLocks,
    NextAttention,
    PrevAttention,
    OpenUrl,
    Copy,
}

/// The help's sections, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpGroup {
    Navigation,
    Board,
    Locks,
    Global,
}

impl HelpGroup {
    pub const ALL: [HelpGroup; 4] = [
        HelpGroup::Navigation,
        HelpGroup::Board,
        HelpGroup::Locks,
        HelpGroup::Global,
    ];

    pub fn title(self) -> &'static str {
        match self {
            HelpGroup::Navigation => "Navigation",
            HelpGroup::Board => "Board",
            HelpGroup::Locks => "Locks",
            HelpGroup::Global => "Global",
        }
    }
}

impl Action {
    /// Every action, in the order the help lists them.
    pub const ALL: [Action; 29] = [
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
        Action::FocusBoard,
        Action::FocusInFlight,
        Action::FocusRecent,
        Action::FocusLocks,
        Action::Open,
        Action::Back,
        Action::NextAttention,
        Action::PrevAttention,
        Action::Filter,
        Action::Sort,
        Action::Group,
        Action::OpenUrl,
        Action::Copy,
        Action::Lock,
        Action::Unlock,
        Action::LockHistory,
        Action::Refresh,
        Action::Help,
        Action::Quit,
    ];

    /// The help section the action is listed in.
    pub fn help_group(self) -> HelpGroup {
        use Action::*;
        match self {
            Up | Down | Left | Right | PageUp | PageDown | Top | Bottom | NextPanel | PrevPanel
            | FocusBoard | FocusInFlight | FocusRecent | FocusLocks | Open | Back => {
                HelpGroup::Navigation
            }
            NextAttention | PrevAttention | Filter | Sort | Group | OpenUrl | Copy => {
                HelpGroup::Board
            }
            Lock | Unlock | LockHistory => HelpGroup::Locks,
            Refresh | Help | Quit => HelpGroup::Global,
        }
    }

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
            Action::FocusBoard => "focus_board",
            Action::FocusInFlight => "focus_in_flight",
            Action::FocusRecent => "focus_recent",
            Action::FocusLocks => "focus_locks",
            Action::NextAttention => "next_attention",
            Action::PrevAttention => "prev_attention",
            Action::OpenUrl => "open_url",
            Action::Copy => "copy",
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
            Action::Back => "back: close the detail or help, clear the filter, focus the board",
            Action::FocusBoard => "focus the board",
            Action::FocusInFlight => "focus the deploys in flight",
            Action::FocusRecent => "focus the recent deploys",
            Action::FocusLocks => "focus the locks",
            Action::NextAttention => {
                "next cell that needs attention (failed, unhealthy, breached, unknown)"
            }
            Action::PrevAttention => "previous cell that needs attention",
            Action::OpenUrl => "open the deploy's, commit's or CI run's page (prints it over ssh)",
            Action::Copy => "copy the full sha or URL to the clipboard (OSC 52, works over ssh)",
            Action::Filter => "filter services by name, and the panels with them",
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
