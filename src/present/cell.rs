//! One board cell: what runs there, what is on its way, and the marks that qualify it, fitted
//! to the column. Every glyph qualifies the version right after it: `✓ v1.4.0 ✗v1.5.0 3m` is
//! v1.4.0 running after v1.5.0 failed; `v1.4.0 ▶ v1.5.0 45%` is v1.5.0 on its way. The board
//! draws these pieces (`crate::ui::cell`), `status` prints them, update reads a cell's attempt.

use chrono::{DateTime, Utc};
use unicode_width::UnicodeWidthStr;

use super::format;
use super::words::truncate;
use crate::model::{Cell, CommitCheck, DeployStatus, Freshness};
use crate::state::Model;
use crate::theme::{Glyphs, Role};

/// The narrowest a version gets before marks are dropped to make room.
const VERSION_MIN: usize = 6;

/// One piece of a cell's text. Pieces are dropped from the highest `drop_first` down until
/// the rest fits; the one `shrinks` piece (the version) takes what is left.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub text: String,
    pub role: Role,
    /// 0: never dropped; higher ones go first.
    pub drop_first: u8,
    /// Written right after the piece before it, without a space.
    pub joined: bool,
    pub shrinks: bool,
}

fn piece(text: impl Into<String>, role: Role, drop_first: u8) -> Piece {
    Piece {
        text: text.into(),
        role,
        drop_first,
        joined: false,
        shrinks: false,
    }
}

/// The pieces of a cell at `now` (ages in steps of `step` seconds), in the order drawn.
pub fn pieces(cell: &Cell, g: &Glyphs, now: DateTime<Utc>, step: i64) -> Vec<Piece> {
    match &cell.freshness {
        Freshness::Untracked => return vec![piece("n/a", Role::Muted, 0)],
        Freshness::Unknown { .. } => {
            return vec![
                piece(g.unknown, Role::Unknown, 0),
                piece("unknown", Role::Unknown, 1),
            ];
        }
        Freshness::Fresh | Freshness::Stale { .. } => {}
    }
    let stale = cell.freshness.is_stale();
    let text_role = |role: Role| if stale { Role::Stale } else { role };
    let version = |v: &str| Piece {
        shrinks: true,
        ..piece(v, text_role(Role::Text), 0)
    };
    let mut out = Vec::new();
    if let Some(flight) = &cell.in_flight {
        // What runs now, then where it goes: the rollback target stays in sight.
        if let Some(running) = &cell.running {
            out.push(piece(running.short_version(), Role::Muted, 5));
        }
        let (mark, role) = format::status_mark(flight.status, g);
        out.push(piece(mark, text_role(role), 0));
        out.push(Piece {
            role: text_role(Role::InProgress),
            ..version(flight.short_version())
        });
        if let Some(p) = flight.progress {
            out.push(piece(format!("{:.0}%", p * 100.0), Role::InProgress, 2));
        }
    } else {
        match &cell.running {
            Some(running) => {
                let (mark, role) = format::status_mark(running.status, g);
                out.push(piece(mark, text_role(role), 0));
                out.push(version(running.short_version()));
            }
            None => out.push(piece("none", Role::Muted, 0)),
        }
        // A judging source that fails for the cell: its last verdict, stale, or unknown.
        match (&cell.impact, &cell.impact_trouble) {
            (Some(impact), trouble) => {
                let (mark, role) = format::verdict_mark(impact.verdict, g);
                let role = if trouble.is_some() { Role::Stale } else { role };
                out.push(piece(mark, role, 1));
            }
            (None, Some(_)) => out.push(piece(g.unknown, Role::Unknown, 1)),
            (None, None) => {}
        }
    }
    if cell.breach.is_some() {
        out.push(piece(g.breach, Role::Breach, 0));
    }
    if cell.locks_unknown {
        // The lock store cannot be read: never shown as open.
        out.push(piece(format!("{}?", g.lock), Role::Error, 1));
    } else if !cell.locks.is_empty() {
        out.push(piece(g.lock, Role::Locked, 2));
    }
    if stale {
        out.push(piece(g.stale, Role::Stale, 1));
    }
    if cell.in_flight.is_none()
        && let Some(attempt) = attempt(cell)
    {
        // The newest deploy did not take: its mark stays, its version goes when narrow.
        let (mark, role) = format::status_mark(attempt.status, g);
        out.push(piece(mark, role, 1));
        out.push(Piece {
            joined: true,
            ..piece(attempt.short_version(), role, 4)
        });
    }
    if let Some(behind) = cell.behind.filter(|b| *b > 0) {
        out.push(piece(format!("{}{behind}", g.drift), Role::Warning, 6));
    }
    if cell.in_flight.is_none()
        && let Some(last) = &cell.last
    {
        let at = last.finished_at.unwrap_or(last.started_at);
        let age = format::age(format::since(now, at), step);
        out.push(piece(age, Role::Muted, 7));
    }
    out
}

/// The newest finished deploy when it did not take (failed, cancelled, rolled back) and is
/// newer than what runs: the attempt shown beside the running version.
pub fn attempt(cell: &Cell) -> Option<&crate::model::Deployment> {
    let last = cell.last.as_deref()?;
    let newer = cell
        .running
        .as_ref()
        .is_none_or(|r| r.started_at <= last.started_at && r.id != last.id);
    (last.status != DeployStatus::Succeeded && newer).then_some(last)
}

/// The CI result of `commit`, from whichever source knows it.
pub fn check_of<'a>(model: &'a Model, commit: &str) -> Option<&'a CommitCheck> {
    model
        .sources
        .iter()
        .filter_map(|s| s.snapshot.as_ref())
        .find_map(|s| s.check(commit))
}

/// Pieces at least this droppable go before the version is cut; the others (status marks,
/// progress, lock and stale marks) stay while the version shrinks to [`VERSION_MIN`].
const DROP_BEFORE_CUTTING: u8 = 3;

/// Drops pieces until they fit `width` columns and cuts the version to what is left.
pub fn fit(mut pieces: Vec<Piece>, width: usize) -> Vec<Piece> {
    let width_of = |ps: &[Piece], version_min: usize| -> usize {
        ps.iter()
            .enumerate()
            .map(|(i, p)| {
                let w = if p.shrinks {
                    p.text.width().min(version_min)
                } else {
                    p.text.width()
                };
                w + usize::from(i > 0 && !p.joined)
            })
            .sum()
    };
    for (least, version_min) in [(DROP_BEFORE_CUTTING, usize::MAX), (1, VERSION_MIN)] {
        while width_of(&pieces, version_min) > width {
            let Some((at, _)) = (pieces.iter().enumerate())
                .filter(|(_, p)| p.drop_first >= least)
                .max_by_key(|(i, p)| (p.drop_first, *i))
            else {
                break;
            };
            pieces.remove(at);
        }
    }
    let fixed: usize = width_of(&pieces, VERSION_MIN)
        - pieces
            .iter()
            .filter(|p| p.shrinks)
            .map(|p| p.text.width().min(VERSION_MIN))
            .sum::<usize>();
    let room = width.saturating_sub(fixed).max(1);
    for p in pieces.iter_mut().filter(|p| p.shrinks) {
        p.text = truncate(&p.text, room);
    }
    pieces
}

/// The cell as plain text at most `width` wide, for `status` and tests.
pub fn text(cell: &Cell, g: &Glyphs, now: DateTime<Utc>, step: i64, width: usize) -> String {
    let mut out = String::new();
    for (i, p) in fit(pieces(cell, g, now, step), width).iter().enumerate() {
        if i > 0 && !p.joined {
            out.push(' ');
        }
        out.push_str(&p.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, drop_first: u8) -> Piece {
        piece(text, Role::Text, drop_first)
    }

    #[test]
    fn narrow_cells_drop_the_least_important_marks_first_and_cut_the_version_last() {
        let parts = vec![
            p("✓", 0),
            Piece {
                shrinks: true,
                ..p("v1.114.0", 0)
            },
            p("●", 1),
            p("↓4", 6),
            p("3m", 7),
        ];
        let text = |w| {
            fit(parts.clone(), w)
                .iter()
                .map(|p| p.text.clone())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(text(40), "✓ v1.114.0 ● ↓4 3m");
        assert_eq!(text(15), "✓ v1.114.0 ● ↓4", "the age goes first");
        assert_eq!(text(12), "✓ v1.114.0 ●", "then the drift");
        assert_eq!(text(9), "✓ v1.114…");
        assert_eq!(text(4), "✓ v…");
    }
}
