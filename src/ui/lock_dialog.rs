//! The lock dialog (scope, reason, duration) and the confirmation before a lock is lifted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::Ctx;
use crate::present::{format, layout};
use crate::state::{LockField, LockForm, UnlockForm};
use crate::theme::Role;

const CURSOR: &str = "▏";

fn field_label<'a>(ctx: &Ctx, text: &'a str, focused: bool) -> Span<'a> {
    let style = if focused {
        ctx.theme.style(Role::Accent).add_modifier(Modifier::BOLD)
    } else {
        ctx.theme.style(Role::Muted)
    };
    Span::styled(
        format!("{} {text:<8}", if focused { "›" } else { " " }),
        style,
    )
}

fn error_line(ctx: &Ctx, error: &Option<String>) -> Option<Line<'static>> {
    error.as_ref().map(|e| {
        Line::from(Span::styled(
            format!("  {} {e}", ctx.theme.glyphs.failed),
            ctx.theme.style(Role::Error).add_modifier(Modifier::BOLD),
        ))
    })
}

/// The lock dialog's lines.
pub fn lock_lines(ctx: &Ctx, form: &LockForm) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    let radio = |on: bool| if on { "(•)" } else { "( )" };
    let mut scope = vec![field_label(ctx, "Scope", form.field == LockField::Scope)];
    if let Some(service) = &form.service {
        scope.push(Span::styled(
            format!(
                "{} {service} in {}   ",
                radio(!form.whole_environment),
                form.environment
            ),
            theme.style(if form.whole_environment {
                Role::Muted
            } else {
                Role::Text
            }),
        ));
    }
    scope.push(Span::styled(
        format!(
            "{} all of {}",
            radio(form.whole_environment),
            form.environment
        ),
        theme.style(if form.whole_environment {
            Role::Text
        } else {
            Role::Muted
        }),
    ));
    let cursor = |f: LockField| if form.field == f { CURSOR } else { "" };
    let mut lines = vec![
        Line::from(scope),
        Line::from(vec![
            field_label(ctx, "Reason", form.field == LockField::Reason),
            Span::styled(
                format!("{}{}", form.reason, cursor(LockField::Reason)),
                theme.style(Role::Text),
            ),
        ]),
        Line::from(vec![
            field_label(ctx, "For", form.field == LockField::Duration),
            Span::styled(
                format!("{}{}", form.duration, cursor(LockField::Duration)),
                theme.style(Role::Text),
            ),
            Span::styled(
                "   optional: 30m, 2h, 1d — empty: until lifted",
                theme.style(Role::Muted),
            ),
        ]),
        Line::raw(""),
    ];
    let target = match (&form.service, form.whole_environment) {
        (Some(s), false) => format!("deploys of {s} to {}", form.environment),
        _ => format!("every deploy to {}", form.environment),
    };
    lines.push(Line::from(Span::styled(
        format!(
            "  by {} · stops {target} · tab: next field, ←/→: scope",
            ctx.model.settings.identity
        ),
        theme.style(Role::Muted),
    )));
    lines.extend(error_line(ctx, &form.error));
    lines
}

/// The unlock confirmation's lines.
pub fn unlock_lines(ctx: &Ctx, form: &UnlockForm) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    let lock = &form.lock;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("  {} {}", theme.glyphs.lock, lock.scope.label()),
                theme.style(Role::Locked),
            ),
            Span::styled(format!(" — \"{}\"", lock.reason), theme.style(Role::Text)),
        ]),
        Line::from(Span::styled(
            format!(
                "    by {} since {}, {}",
                lock.by,
                format::timestamp(lock.since, ctx.offset),
                format::lifts_at(lock.until, ctx.model.now, ctx.offset)
            ),
            theme.style(Role::Muted),
        )),
        Line::raw(""),
    ];
    if form.force {
        lines.push(Line::from(Span::styled(
            format!(
                "  {} held by {}, not you: lifting it is forced, and recorded as such",
                theme.glyphs.ailing, lock.by
            ),
            theme.style(Role::Warning).add_modifier(Modifier::BOLD),
        )));
    }
    if form.confirm_by_typing {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  type `{}` to confirm: ", lock.scope.environment()),
                theme.style(Role::Text),
            ),
            Span::styled(
                format!("{}{CURSOR}", form.typed),
                theme.style(Role::Accent).add_modifier(Modifier::BOLD),
            ),
        ]));
    } else {
        lines.push(Line::from(Span::styled(
            "  enter lifts it, esc keeps it",
            theme.style(Role::Text),
        )));
    }
    lines.extend(error_line(ctx, &form.error));
    lines
}

/// Draws the lock dialog over `area`.
pub fn render_lock(ctx: &Ctx, form: &LockForm, area: Rect, buf: &mut Buffer) -> u16 {
    let lines = lock_lines(ctx, form);
    let rect = layout::centered(area, 84, lines.len() as u16 + 2);
    super::render_overlay(ctx, "Lock — enter locks, esc cancels", lines, rect, buf)
}

/// Draws the unlock confirmation over `area`.
pub fn render_unlock(ctx: &Ctx, form: &UnlockForm, area: Rect, buf: &mut Buffer) -> u16 {
    let lines = unlock_lines(ctx, form);
    let rect = layout::centered(area, 84, lines.len() as u16 + 2);
    super::render_overlay(
        ctx,
        &format!("Unlock {}?", form.lock.scope.label()),
        lines,
        rect,
        buf,
    )
}
