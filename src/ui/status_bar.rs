//! The status bar: the mode (DEMO, WALL, READ-ONLY), each source's health and data age,
//! a notice when there is one, and the key hints for the focused panel.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

use super::Ctx;
use super::widgets::put;
use crate::action::Action;
use crate::model::SourceHealth;
use crate::present::format;
use crate::state::{Overlay, Panel};
use crate::theme::Role;

/// The text and role of one source's entry: "demo ok", "github stale 40s", "gitlab failing:
/// timeout (data 2m old)", followed by the API quota left when the source reports one
/// ("github ok · 4,812/5,000").
pub fn source_entry(ctx: &Ctx, index: usize) -> (String, Role) {
    let (mut text, role) = health_entry(ctx, index);
    if let Some(quota) = ctx.model.sources[index].stats.and_then(|s| {
        Some(format!(
            " {} {}/{}",
            // The middle dot ("." in ASCII themes), as in "github ok · 4,812/5,000".
            ctx.theme.glyphs.no_data,
            thousands(s.rate_remaining?),
            thousands(s.rate_limit?)
        ))
    }) {
        text.push_str(&quota);
    }
    (text, role)
}

/// 4812 → "4,812".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn health_entry(ctx: &Ctx, index: usize) -> (String, Role) {
    let source = &ctx.model.sources[index];
    let step = ctx.model.settings.age_step_secs();
    let g = ctx.theme.glyphs;
    let now = ctx.model.now;
    let shown_age = || {
        source
            .last_success
            .map_or_else(String::new, |t| format::age(format::since(now, t), step))
    };
    let entry = match source.health(now) {
        SourceHealth::Waiting => (
            format!("{} {} waiting", g.queued, source.name),
            Role::Pending,
        ),
        SourceHealth::Ok => {
            let age = source.age(now).unwrap_or_default();
            if age.num_seconds() >= step.max(10) {
                (
                    format!("{} {} ok {}", g.succeeded, source.name, shown_age()),
                    Role::Ok,
                )
            } else {
                (format!("{} {} ok", g.succeeded, source.name), Role::Ok)
            }
        }
        SourceHealth::Stale { .. } => (
            format!("{} {} stale {}", g.stale, source.name, shown_age()),
            Role::Warning,
        ),
        SourceHealth::Paced { next } => (
            format!(
                "{} {} paced, next poll in {}",
                g.queued,
                source.name,
                format::span(next - now)
            ),
            Role::Pending,
        ),
        SourceHealth::Failing { reason, age } => {
            let data = match age {
                Some(_) => format!("data {} old", shown_age()),
                None => "no data yet".to_string(),
            };
            (
                format!(
                    "{} {} failing: {reason} ({data}{})",
                    g.failed,
                    source.name,
                    retry(ctx, index)
                ),
                Role::Error,
            )
        }
    };
    with_failing_targets(ctx, index, entry)
}

/// ", retry in 20s" when the source's poller said when it tries again.
fn retry(ctx: &Ctx, index: usize) -> String {
    let now = ctx.model.now;
    match ctx.model.sources[index].next_poll {
        Some(next) if next > now => format!(", retry in {}", format::span(next - now)),
        Some(_) => ", retrying now".to_string(),
        None => String::new(),
    }
}

/// A source that answers while some of its targets fail says which: "github ok · 1 of 3
/// failing: acme/payments 500 server error".
fn with_failing_targets(ctx: &Ctx, index: usize, (text, role): (String, Role)) -> (String, Role) {
    let source = &ctx.model.sources[index];
    let Some(snapshot) = &source.snapshot else {
        return (text, role);
    };
    if source.error.is_some() {
        return (text, role);
    }
    let failing: Vec<&crate::model::TargetReport> =
        snapshot.targets.iter().filter(|t| !t.is_ok()).collect();
    let Some(first) = failing.first() else {
        return (text, role);
    };
    let reason = first.error.as_deref().unwrap_or_default();
    (
        format!(
            "{text} {} {} of {} failing: {reason}",
            ctx.theme.glyphs.separator,
            failing.len(),
            snapshot.targets.len()
        ),
        Role::Warning,
    )
}

/// The key hints for what has the keyboard now.
fn hints(ctx: &Ctx) -> Vec<(String, &'static str)> {
    let k = |a: Action| ctx.model.settings.keymap.label(a);
    if ctx.model.settings.mode.wall {
        return vec![(k(Action::Quit), "quit")];
    }
    if ctx.ui.filter_editing {
        return vec![("enter".into(), "keep filter"), ("esc".into(), "clear")];
    }
    let actions: &[(Action, &'static str)] = match (&ctx.ui.overlay, ctx.ui.focus) {
        (Some(Overlay::Help), _) => &[(Action::Back, "close"), (Action::Down, "scroll")],
        (Some(Overlay::Lock(_)), _) => {
            return vec![
                ("enter".into(), "lock"),
                ("tab".into(), "next field"),
                ("esc".into(), "cancel"),
            ];
        }
        (Some(Overlay::Unlock(_)), _) => {
            return vec![("enter".into(), "lift"), ("esc".into(), "keep")];
        }
        (Some(Overlay::Detail(_)), _) => &[(Action::Back, "back"), (Action::Help, "help")],
        (None, Panel::Board) => &[
            (Action::Open, "detail"),
            (Action::Lock, "lock"),
            (Action::Unlock, "unlock"),
            (Action::NextAttention, "next alert"),
            (Action::Filter, "filter"),
            (Action::NextPanel, "panel"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        (None, Panel::Locks) => &[
            (Action::Open, "detail"),
            (Action::Unlock, "unlock"),
            (Action::LockHistory, "history"),
            (Action::NextPanel, "panel"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        (None, _) => &[
            (Action::Open, "detail"),
            (Action::Lock, "lock"),
            (Action::NextPanel, "panel"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
    };
    // Read-only boards do not offer what they would refuse (the help lists it, marked).
    let read_only = ctx.model.settings.mode.read_only;
    actions
        .iter()
        .filter(|(action, _)| !(read_only && action.changes_the_world()))
        .map(|(action, what)| (k(*action), *what))
        .collect()
}

/// Draws the bar in `area` (one line).
pub fn render(ctx: &Ctx, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let theme = ctx.theme;
    let mut x = area.x;
    let right = area.right();
    let mode = ctx.model.settings.mode;
    let mut badges = Vec::new();
    if mode.demo {
        badges.push((" DEMO ", Role::DemoBadge));
    }
    if mode.wall {
        badges.push((" WALL ", Role::WallBadge));
    }
    if mode.read_only && !mode.wall {
        badges.push((" READ-ONLY ", Role::WallBadge));
    }
    for (text, role) in badges {
        x += put(
            buf,
            x,
            area.y,
            right.saturating_sub(x),
            text,
            theme.style(role).add_modifier(Modifier::BOLD),
        );
        x += put(
            buf,
            x,
            area.y,
            right.saturating_sub(x),
            " ",
            theme.style(Role::Text),
        );
    }
    let sep = format!(" {} ", theme.glyphs.separator);
    for i in 0..ctx.model.sources.len() {
        let (text, role) = source_entry(ctx, i);
        x += put(
            buf,
            x,
            area.y,
            right.saturating_sub(x),
            &text,
            theme.style(role),
        );
        x += put(
            buf,
            x,
            area.y,
            right.saturating_sub(x),
            &sep,
            theme.style(Role::Muted),
        );
    }
    if let Some(error) = &ctx.model.manual_locks.error {
        let text = format!("{} locks unknown: {error}", theme.glyphs.failed);
        x += put(
            buf,
            x,
            area.y,
            right.saturating_sub(x),
            &text,
            theme.style(Role::Error).add_modifier(Modifier::BOLD),
        );
        x += put(
            buf,
            x,
            area.y,
            right.saturating_sub(x),
            &sep,
            theme.style(Role::Muted),
        );
    }
    if let Some((notice, _)) = &ctx.ui.notice {
        x += put(
            buf,
            x,
            area.y,
            right.saturating_sub(x),
            notice,
            if ctx.ui.notice_error {
                theme.style(Role::Error).add_modifier(Modifier::BOLD)
            } else {
                theme.style(Role::Accent)
            },
        );
        x += put(
            buf,
            x,
            area.y,
            right.saturating_sub(x),
            &sep,
            theme.style(Role::Muted),
        );
    }
    // Hints, right-aligned, as many as fit; help and quit (the last two) are the last to go.
    let mut pieces: Vec<String> = (hints(ctx).into_iter())
        .map(|(key, what)| format!(" {key} {what}"))
        .collect();
    let room = usize::from(right.saturating_sub(x)).saturating_sub(1);
    while pieces.iter().map(|p| p.width()).sum::<usize>() > room && !pieces.is_empty() {
        let at = pieces.len().saturating_sub(3);
        pieces.remove(at);
    }
    let text = pieces.concat();
    let hx = right.saturating_sub(text.width() as u16 + 1);
    if hx >= x {
        put(
            buf,
            hx,
            area.y,
            right - hx,
            &text,
            theme.style(Role::KeyHint),
        );
    }
}
