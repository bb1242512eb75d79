//! The semantic roles a theme assigns styles to.

/// A semantic role: what a piece of the screen *means*, not what colour it is.
///
/// Widgets ask [`super::Theme::style`] for a role; the theme decides how it looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Ordinary body text.
    Text,
    /// Secondary, less important text (timestamps, hints).
    Muted,
    /// Something to draw the eye to (links, the active tab).
    Accent,
    /// Pane and dialog titles.
    Title,
    /// Borders of unfocused panes.
    Border,
    /// The border of the focused pane.
    BorderFocused,
    /// The selected row or item.
    Selection,
    /// Table and section headers.
    Header,
    /// Success (a deploy succeeded).
    Ok,
    /// Needs attention but is not broken.
    Warning,
    /// Failure.
    Error,
    /// Waiting to start (queued).
    Pending,
    /// Running now.
    InProgress,
    /// Deploys to this target are locked.
    Locked,
    /// Impact: metrics got better after the deploy.
    Improved,
    /// Impact: metrics are normal.
    Healthy,
    /// Impact: metrics got somewhat worse.
    Ailing,
    /// Impact: metrics are bad.
    Unhealthy,
    /// Data that is out of date.
    Stale,
    /// Nothing is known: the source or target that reports it fails or has not answered.
    Unknown,
    /// A deploy started while its target was locked.
    Breach,
    /// A production environment.
    Production,
    /// A short-lived (preview, review-app) environment.
    Ephemeral,
    /// The badge shown when running on demo data.
    DemoBadge,
    /// The badge shown in wall (big-screen, read-only) mode.
    WallBadge,
    /// Key names in the key-hint bar.
    KeyHint,
}

impl Role {
    /// How many roles there are.
    pub const COUNT: usize = 26;

    /// Every role, in declaration order (the order of [`Role::index`]).
    pub const ALL: [Role; Role::COUNT] = [
        Role::Text,
        Role::Muted,
        Role::Accent,
        Role::Title,
        Role::Border,
        Role::BorderFocused,
        Role::Selection,
        Role::Header,
        Role::Ok,
        Role::Warning,
        Role::Error,
        Role::Pending,
        Role::InProgress,
        Role::Locked,
        Role::Improved,
        Role::Healthy,
        Role::Ailing,
        Role::Unhealthy,
        Role::Stale,
        Role::Unknown,
        Role::Breach,
        Role::Production,
        Role::Ephemeral,
        Role::DemoBadge,
        Role::WallBadge,
        Role::KeyHint,
    ];

    /// The role's key in a theme file, e.g. `border_focused`.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Muted => "muted",
            Role::Accent => "accent",
            Role::Title => "title",
            Role::Border => "border",
            Role::BorderFocused => "border_focused",
            Role::Selection => "selection",
            Role::Header => "header",
            Role::Ok => "ok",
            Role::Warning => "warning",
            Role::Error => "error",
            Role::Pending => "pending",
            Role::InProgress => "in_progress",
            Role::Locked => "locked",
            Role::Improved => "improved",
            Role::Healthy => "healthy",
            Role::Ailing => "ailing",
            Role::Unhealthy => "unhealthy",
            Role::Stale => "stale",
            Role::Unknown => "unknown",
            Role::Breach => "breach",
            Role::Production => "production",
            Role::Ephemeral => "ephemeral",
            Role::DemoBadge => "demo_badge",
            Role::WallBadge => "wall_badge",
            Role::KeyHint => "key_hint",
        }
    }

    /// The role whose theme-file key is `name` (exact match).
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == name)
    }

    /// The role's position in [`Role::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// All role names joined with `, ` (for error messages).
    pub fn known_list() -> String {
        Role::ALL.map(Role::name).join(", ")
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
