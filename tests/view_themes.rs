//! The themes for basic terminals keep their promise on every screen: `ascii` draws nothing
//! but ASCII (borders, bars, marks, names from outside), and `monochrome` no colour at all.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

use common::{demo_state, draw};
use shiproom::msg::Msg;
use shiproom::state::{Mode, Model, Ui};
use shiproom::theme::Theme;
use shiproom::update::update;

fn press(model: &mut Model, ui: &mut Ui, key: KeyCode) {
    update(model, ui, Msg::Key(KeyEvent::new(key, KeyModifiers::NONE)));
}

/// The screens an operator sees: the board, each panel focused, help, a detail, the lock
/// dialog, and the wall display.
fn every_screen() -> Vec<(&'static str, Model, Ui)> {
    let (model, ui) = demo_state();
    let mut screens = vec![("board", model.clone(), ui.clone())];
    for (name, keys) in [
        ("in flight", vec![KeyCode::Tab]),
        ("recent", vec![KeyCode::Tab, KeyCode::Tab]),
        ("locks", vec![KeyCode::BackTab]),
        ("help", vec![KeyCode::Char('?')]),
        ("detail", vec![KeyCode::Enter]),
        ("lock dialog", vec![KeyCode::Char('L')]),
        ("grouped", vec![KeyCode::Char('t')]),
    ] {
        let (mut m, mut u) = (model.clone(), ui.clone());
        for key in keys {
            press(&mut m, &mut u, key);
        }
        screens.push((name, m, u));
    }
    let mut wall = model.clone();
    wall.settings.mode = Mode {
        wall: true,
        read_only: true,
        demo: true,
    };
    screens.push(("wall", wall, ui));
    screens
}

#[test]
fn the_ascii_theme_draws_only_ascii_on_every_screen_and_size() {
    let theme = Theme::builtin("ascii").expect("the ascii theme");
    for (name, model, ui) in every_screen() {
        for (w, h) in [(80, 24), (200, 50)] {
            let buf = draw(&model, &ui, &theme, w, h);
            for cell in buf.content() {
                assert!(
                    cell.symbol().is_ascii(),
                    "{name} at {w}x{h} draws {:?}:\n{}",
                    cell.symbol(),
                    shiproom::ui::buffer_text(&buf)
                );
            }
        }
    }
}

#[test]
fn the_monochrome_theme_sets_no_colour_on_any_screen() {
    let theme = Theme::builtin("monochrome").expect("the monochrome theme");
    for (name, model, ui) in every_screen() {
        let buf = draw(&model, &ui, &theme, 120, 40);
        for cell in buf.content() {
            assert!(
                matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                "{name}: {:?} has colour {:?} on {:?}",
                cell.symbol(),
                cell.fg,
                cell.bg
            );
        }
    }
}
