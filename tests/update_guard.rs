//! The board's lock keys against what the configuration forbids and what the lock dialog
//! refuses: a read-only configuration refuses `L` and `U` as `--read-only` does (and says
//! why), a view-only environment refuses them on its cells only, each refusal recorded; the
//! dialog refuses a reason too long or with control characters, and a duration past a year
//! without overflowing.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use common::{SMALL_YAML, press, small_snapshot, t0, type_text};
use crossterm::event::KeyCode;
use shiproom::config::{self, ConfigOrigin};
use shiproom::msg::{Effect, Msg};
use shiproom::state::{Mode, Model, Overlay, Ui};
use shiproom::update::{Outcome, update};

/// The small fleet from `yaml`, after one good poll.
fn state(yaml: &str) -> (Model, Ui) {
    let config = config::parse(yaml, ConfigOrigin::File("small.yaml".into())).unwrap();
    let mut model = Model::new(&config, Mode::default(), t0());
    let mut ui = Ui {
        width: 120,
        height: 40,
        ..Ui::default()
    };
    update(
        &mut model,
        &mut ui,
        Msg::SourceReport {
            source: "fleet".into(),
            at: t0(),
            result: Ok(small_snapshot()),
        },
    );
    (model, ui)
}

fn refusal(outcome: &Outcome) -> String {
    let [Effect::AuditRefused(entry)] = outcome.effects.as_slice() else {
        panic!("not refused: {:?}", outcome.effects)
    };
    entry.result.clone()
}

#[test]
fn a_read_only_configuration_refuses_lock_and_unlock_and_says_why() {
    let (mut model, mut ui) = state(&format!("read_only: true\n{SMALL_YAML}"));
    assert!(model.settings.mode.read_only);
    for key in ['L', 'U'] {
        let outcome = press(&mut model, &mut ui, KeyCode::Char(key));
        assert_eq!(ui.overlay, None);
        assert_eq!(
            refusal(&outcome),
            "refused: read-only configuration (`read_only: true`)"
        );
        let (notice, _) = ui.notice.clone().unwrap();
        assert!(notice.contains("read-only configuration"), "{notice}");
    }
}

#[test]
fn a_view_only_environment_refuses_lock_and_unlock_on_its_cells_only() {
    let yaml = SMALL_YAML.replace(
        "  - name: production\n",
        "  - name: production\n    view_only: true\n",
    );
    let (mut model, mut ui) = state(&yaml);
    // checkout in production: the third column.
    press(&mut model, &mut ui, KeyCode::Char('l'));
    press(&mut model, &mut ui, KeyCode::Char('l'));
    for key in ['L', 'U'] {
        let outcome = press(&mut model, &mut ui, KeyCode::Char(key));
        assert_eq!(ui.overlay, None, "{key}");
        assert!(
            refusal(&outcome).starts_with("refused: production is view-only here"),
            "{key}: {outcome:?}"
        );
    }
    press(&mut model, &mut ui, KeyCode::Char('h')); // staging
    press(&mut model, &mut ui, KeyCode::Char('L'));
    assert!(
        matches!(ui.overlay, Some(Overlay::Lock(_))),
        "staging can be locked"
    );
}

/// Opens the dialog, types `reason` and `duration`, and presses enter: the dialog's error.
fn refused_by_dialog(reason: &str, duration: &str) -> String {
    let (mut model, mut ui) = state(SMALL_YAML);
    press(&mut model, &mut ui, KeyCode::Char('L'));
    type_text(&mut model, &mut ui, reason);
    press(&mut model, &mut ui, KeyCode::Tab);
    type_text(&mut model, &mut ui, duration);
    let outcome = press(&mut model, &mut ui, KeyCode::Enter);
    assert!(outcome.effects.is_empty(), "{outcome:?}");
    let Some(Overlay::Lock(form)) = &ui.overlay else {
        panic!("the dialog closed: {:?}", ui.overlay)
    };
    form.error.clone().expect("an error in the dialog")
}

#[test]
fn the_lock_dialog_refuses_long_or_controlled_reasons_and_durations_past_a_year() {
    let long = "y".repeat(501);
    assert!(refused_by_dialog(&long, "").contains("501 characters long"));
    assert!(refused_by_dialog("bell\u{7}", "").contains("holds a control character (`bell^G`)"));
    for huge in ["100000000d", "400d"] {
        let error = refused_by_dialog("incident", huge);
        assert!(error.contains("longer than"), "{huge}: {error}");
    }
}
