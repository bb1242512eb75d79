//! `shiproom status`: the board once, as text for people or JSON for scripts.

use std::fmt::Write;

use chrono::FixedOffset;
use unicode_width::UnicodeWidthStr;

use crate::present::{cell, format};
use crate::state::Model;
use crate::text::one_line;
use crate::theme::Glyphs;

/// The widest a cell's text gets in `status`: room for every mark.
const CELL_MAX: usize = 48;

fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// The board as plain text: a table of cells, then deploys in flight, locks and sources.
/// Every name, version, reason and error from outside is kept to one line.
pub fn status_text(model: &Model, glyphs: &Glyphs, offset: FixedOffset) -> String {
    let board = &model.board;
    let step = model.settings.age_step_secs();
    let mut out = String::new();
    let mode = if model.settings.mode.demo {
        " (DEMO)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "shiproom{mode} at {}",
        format::timestamp(model.now, offset)
    );
    let _ = writeln!(out);

    let (unknown, tracked) = board.unknown_cells();
    if unknown > 0 {
        let _ = writeln!(
            out,
            "{} {unknown} of {tracked} cells unknown: nothing could be read for them",
            glyphs.unknown
        );
    }
    let failing: Vec<&crate::model::SourceState> =
        model.sources.iter().filter(|s| s.error.is_some()).collect();
    if !failing.is_empty() {
        let _ = writeln!(
            out,
            "{} {} of {} sources failing: the board is incomplete",
            glyphs.stale,
            failing.len(),
            model.sources.len()
        );
    }
    if unknown > 0 || !failing.is_empty() {
        let _ = writeln!(out);
    }

    // The same cell text as the board's, given room for all of it.
    let cells: Vec<Vec<String>> = board
        .rows
        .iter()
        .map(|row| {
            (row.cells.iter())
                .map(|cell| {
                    one_line(&cell::text(cell, glyphs, model.now, step, CELL_MAX)).into_owned()
                })
                .collect()
        })
        .collect();
    let name_w = board
        .rows
        .iter()
        .map(|r| one_line(&r.service.name).width())
        .max()
        .unwrap_or(7)
        .max(7)
        + 2;
    let col_w: Vec<usize> = board
        .environments
        .iter()
        .enumerate()
        .map(|(i, e)| {
            cells
                .iter()
                .map(|r| r[i].width())
                .max()
                .unwrap_or(0)
                .max(one_line(&e.name).width())
                + 2
        })
        .collect();
    let mut line = pad("SERVICE", name_w);
    for (env, w) in board.environments.iter().zip(&col_w) {
        line.push_str(&pad(&one_line(&env.name).to_uppercase(), *w));
    }
    let _ = writeln!(out, "{}", line.trim_end());
    for (row, texts) in board.rows.iter().zip(&cells) {
        let mut line = pad(&one_line(&row.service.name), name_w);
        for (text, w) in texts.iter().zip(&col_w) {
            line.push_str(&pad(text, *w));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }

    let partial = if unknown > 0 {
        format!(", at least: {unknown} cells unknown")
    } else {
        String::new()
    };
    let _ = writeln!(out, "\nIn flight ({}{partial}):", board.in_flight.len());
    for d in &board.in_flight {
        let stage = one_line(d.stage_label());
        let progress = d
            .progress
            .map_or(String::new(), |p| format!(" {:.0}%", p * 100.0));
        let breach = board.breach_of(d).map_or(String::new(), |l| {
            format!(
                "  {} LOCK BREACH: started while {} was locked ({})",
                glyphs.breach,
                one_line(&l.scope.label()),
                one_line(&l.reason)
            )
        });
        let _ = writeln!(
            out,
            "  {} -> {}  {}  by {}  {}{progress}  for {}{breach}",
            one_line(&d.service),
            one_line(&d.environment),
            one_line(d.short_version()),
            one_line(&d.author),
            stage,
            format::elapsed(format::since_in_steps(model.now, d.started_at, step), step)
        );
    }
    let _ = writeln!(out, "\nLocks ({}):", board.locks.len());
    if let Some(why) = &board.locks_unknown {
        let _ = writeln!(
            out,
            "  {} LOCKS UNKNOWN (manual locks cannot be read): {}",
            glyphs.lock,
            one_line(why)
        );
    }
    for l in &board.locks {
        let _ = writeln!(
            out,
            "  {} {}  \"{}\"  by {} ({})  {}",
            glyphs.lock,
            one_line(&l.scope.label()),
            one_line(&l.reason),
            one_line(&l.by),
            l.origin.label(),
            format::lifts(l.until, model.now)
        );
    }
    let _ = writeln!(out, "\nSources:");
    for s in &model.sources {
        let state = match &s.error {
            Some(e) => format!("failing: {}", one_line(&e.to_string())),
            None if s.last_success.is_some() => "ok".to_string(),
            None => "no answer".to_string(),
        };
        let _ = writeln!(out, "  {} ({}): {state}", one_line(&s.name), s.kind.label());
        for target in s.snapshot.iter().flat_map(|snap| &snap.targets) {
            if let Some(error) = &target.error {
                let _ = writeln!(
                    out,
                    "    {} failing: {}",
                    one_line(&target.name),
                    one_line(error)
                );
            }
        }
    }
    out
}
