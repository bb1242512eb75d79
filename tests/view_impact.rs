//! The impact as the board shows it, from analyses the real engine made of made-up samples:
//! the detail's charts with their deploy marker (80×24, 160×48, monochrome, ascii), the recent
//! panel's verdict and worst change, and the header's inconclusive count.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;
mod evidence;

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

use common::{draw, press};
use shiproom::state::{Mode, Model, Ui};
use shiproom::theme::Theme;
use shiproom::ui;

fn theme(name: &str) -> Theme {
    Theme::builtin(name).expect("a built-in theme")
}

fn screen(model: &Model, ui_state: &Ui, theme_name: &str, width: u16, height: u16) -> String {
    ui::buffer_text(&draw(model, ui_state, &theme(theme_name), width, height))
}

fn keys(model: &mut Model, ui: &mut Ui, keys: &[KeyCode]) {
    for key in keys {
        press(model, ui, *key);
    }
}

/// The detail of checkout's unhealthy production deploy (07:00–07:04), the fourth of the
/// recent deploys.
fn unhealthy_deploy_detail() -> (Model, Ui) {
    let (mut model, mut ui) = evidence::judged_state();
    let j = KeyCode::Char('j');
    keys(
        &mut model,
        &mut ui,
        &[KeyCode::Char('3'), j, j, j, KeyCode::Enter],
    );
    (model, ui)
}

/// The columns of `text`'s lines where `glyph` stands, per line.
fn columns_of(text: &str, glyph: char) -> Vec<Vec<usize>> {
    text.lines()
        .map(|l| {
            l.chars()
                .enumerate()
                .filter(|(_, c)| *c == glyph)
                .map(|(i, _)| i)
                .collect()
        })
        .collect()
}

/// The first chart, under the error ratio's words: its plot rows (from the top value's tick,
/// `tick`) and its time axis (the line with `pointer`).
fn first_chart(text: &str, tick: &str, pointer: &str) -> (Vec<String>, String) {
    let lines: Vec<&str> = text.lines().collect();
    let words = lines
        .iter()
        .position(|l| l.contains("error ratio 0.49%"))
        .expect("the words of the error ratio");
    let top = (words..lines.len())
        .find(|i| lines[*i].contains(&format!("% {tick}")))
        .expect("the chart's top row");
    let axis = (top..lines.len())
        .find(|i| lines[*i].contains(&format!("{pointer} deploy 07:00")))
        .expect("the chart's time axis");
    let plot = lines[top..axis].iter().map(|l| l.to_string()).collect();
    (plot, lines[axis].to_string())
}

/// Where the pointer under the marker stands.
fn pointer_column(axis: &str, pointer: char) -> usize {
    axis.chars()
        .position(|c| c == pointer)
        .expect("the pointer")
}

#[test]
fn the_detail_of_a_deploy_charts_each_metric_with_its_marker_at_80_by_24() {
    let (model, ui) = unhealthy_deploy_detail();
    let text = screen(&model, &ui, "default", 80, 24);
    insta::assert_snapshot!(text);
    // Both metrics, each with its words, its plot and its time axis, on the first screen.
    assert!(text.contains("✖ error ratio 0.49% → 5.77%"), "{text}");
    assert!(text.contains("● p95 latency"), "{text}");
    assert_eq!(text.matches("↑ deploy 07:00").count(), 2, "{text}");
}

#[test]
fn the_detail_of_a_deploy_charts_each_metric_with_its_marker_at_160_by_48() {
    let (model, ui) = unhealthy_deploy_detail();
    let text = screen(&model, &ui, "default", 160, 48);
    insta::assert_snapshot!(text);
    assert!(
        text.contains(
            "✖ error ratio 0.49% → 5.77% (+5.3 pp, 95% CI +4.9 … +5.7, p < 0.001, n 60/40): \
             unhealthy"
        ),
        "the issue's sentence on one line:\n{text}"
    );
}

#[test]
fn the_marker_is_one_column_of_its_own_glyph_with_the_deploy_time_under_it() {
    let (model, ui) = unhealthy_deploy_detail();
    let text = screen(&model, &ui, "default", 160, 48);
    let (plot, axis) = first_chart(&text, "┤", "↑");
    let pointer = pointer_column(&axis, '↑');
    assert!(plot.len() >= 3, "{plot:#?}");
    for (row, columns) in columns_of(&plot.join("\n"), '┃').iter().enumerate() {
        assert!(
            columns.contains(&pointer),
            "plot row {row} has no marker above the pointer (column {pointer}):\n{}",
            plot.join("\n")
        );
    }
    // Braille dots on both sides of the marker: the before and the after window.
    let dots = |range: std::ops::Range<usize>| {
        plot.iter().any(|l| {
            l.chars()
                .skip(range.start)
                .take(range.len())
                .any(|c| ('\u{2801}'..='\u{28ff}').contains(&c))
        })
    };
    assert!(dots(0..pointer) && dots(pointer + 1..200), "{plot:#?}");
}

#[test]
fn the_cell_detail_charts_the_impact_of_its_newest_deploy() {
    let (mut model, mut ui) = evidence::judged_state();
    keys(
        &mut model,
        &mut ui,
        &[KeyCode::Right, KeyCode::Right, KeyCode::Enter],
    );
    let text = screen(&model, &ui, "default", 160, 48);
    assert!(text.contains("checkout in production"), "{text}");
    assert!(text.contains("(+5.3 pp, 95% CI +4.9 … +5.7"), "{text}");
    assert_eq!(text.matches("↑ deploy 07:00").count(), 2, "{text}");
}

#[test]
fn the_chart_in_monochrome_has_no_colour_and_keeps_its_marker() {
    let (model, ui) = unhealthy_deploy_detail();
    let buf = draw(&model, &ui, &theme("monochrome"), 80, 24);
    for cell in buf.content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "{:?} has colour {:?} on {:?}",
            cell.symbol(),
            cell.fg,
            cell.bg
        );
    }
    let text = ui::buffer_text(&buf);
    let (plot, axis) = first_chart(&text, "┤", "↑");
    let pointer = pointer_column(&axis, '↑');
    assert!(
        plot.iter().all(|l| l.chars().nth(pointer) == Some('┃')),
        "{text}"
    );
}

#[test]
fn the_chart_in_the_ascii_theme_is_drawn_in_ascii_marks_not_rewritten_to_question_marks() {
    let (model, ui) = unhealthy_deploy_detail();
    for (w, h) in [(80, 24), (160, 48)] {
        let buf: Buffer = draw(&model, &ui, &theme("ascii"), w, h);
        assert!(buf.content().iter().all(|c| c.symbol().is_ascii()));
        let text = ui::buffer_text(&buf);
        assert!(
            text.contains("X error ratio 0.49% -> 5.77% (+5.3 pp, 95% CI +4.9 .. +5.7"),
            "{text}"
        );
        let (plot, axis) = first_chart(&text, "+", "^");
        let pointer = pointer_column(&axis, '^');
        for line in &plot {
            assert!(
                !line.contains('?'),
                "a mark became `?`:\n{}",
                plot.join("\n")
            );
            assert_eq!(line.chars().nth(pointer), Some('|'), "{}", plot.join("\n"));
        }
        assert!(plot.iter().any(|l| l.contains('*')), "no samples drawn");
    }
}

#[test]
fn a_chart_draws_only_ascii_itself_in_the_ascii_theme() {
    let impact = evidence::jump();
    for name in ["ascii", "default"] {
        let theme = theme(name);
        let offset = chrono::FixedOffset::east_opt(0).unwrap();
        let lines = ui::chart::chart_lines(&theme, offset, &impact.metrics[0], None, 70, 5);
        assert_eq!(lines.len(), 6, "five lines of plot and the time axis");
        let text: String = lines
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.content.to_string()))
            .collect();
        assert_eq!(text.is_ascii(), name == "ascii", "{name}: {text}");
    }
}

#[test]
fn the_recent_panel_shows_each_deploys_verdict_and_its_worst_change() {
    let (mut model, mut ui) = evidence::judged_state();
    keys(&mut model, &mut ui, &[KeyCode::Char('3')]);
    let text = screen(&model, &ui, "default", 80, 24);
    insta::assert_snapshot!(text);
    let row = |what: &str| {
        text.lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no row of {what}:\n{text}"))
            .to_string()
    };
    let checkout = row("checkout       production");
    assert!(
        checkout.contains("✖ unhealthy    +5.3pp error ratio"),
        "{checkout}"
    );
    let search = row("search         production");
    assert!(
        search.contains("▲ improved     -33% p95 latency"),
        "{search}"
    );
    let ledger = row("ledger         dev");
    assert!(ledger.contains("◇ inconclusive +"), "{ledger}");
    assert!(ledger.contains("pp error ratio"), "{ledger}");
}

#[test]
fn a_narrow_recent_panel_keeps_the_worst_change_and_the_verdicts_mark() {
    let (model, ui) = evidence::judged_state();
    let text = screen(&model, &ui, "default", 200, 50);
    assert!(text.contains("✖ +5.3pp error ratio"), "{text}");
    assert!(text.contains("▲ -33% p95 latency"), "{text}");
}

#[test]
fn the_header_counts_inconclusive_deploys_beside_unhealthy_ones() {
    let (model, ui) = evidence::judged_state();
    let text = screen(&model, &ui, "default", 160, 48);
    let header = text.lines().next().unwrap();
    assert!(
        header.contains("✖ 1 unhealthy │ ◇ 1 inconclusive"),
        "{header}"
    );
    // Without an inconclusive deploy the header says nothing of them.
    let (model, ui) = common::small_state(Mode::default());
    let header = screen(&model, &ui, "default", 160, 48);
    assert!(!header.lines().next().unwrap().contains("inconclusive"));
}

#[test]
fn the_wall_display_counts_inconclusive_deploys_in_large() {
    let (mut model, ui) = evidence::judged_state();
    model.settings.mode = Mode {
        wall: true,
        read_only: true,
        demo: false,
    };
    let text = screen(&model, &ui, "default", 160, 48);
    assert!(text.contains("◇ INCONCLUSIVE"), "{text}");
}
