//! `status --json` carries each metric's evidence: the shift, its interval, p, n and the
//! metric's judgement, beside every field the contract already had; `null` where a metric has
//! no evidence; the samples stay out of the document.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;
mod evidence;

use serde_json::Value;

use shiproom::commands::status_json::status_json;
use shiproom::state::{Mode, Model};

/// The document as `status --json` writes it (the same formatter), read back.
fn document(model: &Model) -> Value {
    let text = shiproom::text::json::to_string_pretty(&status_json(model)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A number as written, read back (serde_json reads the last digit loosely).
fn close(value: &Value, expected: f64) {
    let read = value
        .as_f64()
        .unwrap_or_else(|| panic!("{value} is not a number"));
    assert!(
        (read - expected).abs() <= expected.abs() * 1e-12,
        "{read} is not {expected}"
    );
}

const EVIDENCE: [&str; 9] = [
    "change",
    "ci_low",
    "ci_high",
    "confidence",
    "p_value",
    "n_before",
    "n_after",
    "verdict",
    "critical",
];

#[test]
fn each_metric_carries_its_evidence_beside_the_fields_it_had() {
    let (model, _) = evidence::judged_state();
    let doc = document(&model);
    let cell = &doc["services"][0]["cells"]["production"];
    assert_eq!(doc["services"][0]["name"], "checkout");
    let metric = &cell["impact"]["metrics"][0];
    let expected = evidence::jump();
    let m = &expected.metrics[0];
    let e = m.evidence.as_ref().unwrap();
    assert_eq!(metric["name"], "error ratio");
    assert_eq!(metric["unit"], "%");
    close(&metric["before"], m.before);
    close(&metric["after"], m.after);
    close(&metric["change"], e.change);
    close(&metric["ci_low"], e.ci_low);
    close(&metric["ci_high"], e.ci_high);
    close(&metric["confidence"], 0.95);
    close(&metric["p_value"], e.p_value);
    assert_eq!(metric["n_before"], 60);
    assert_eq!(metric["n_after"], 40);
    assert_eq!(metric["verdict"], "unhealthy");
    assert_eq!(metric["critical"], true);
    assert_eq!(cell["impact"]["verdict"], "unhealthy");
    assert_eq!(cell["impact"]["metrics"][1]["verdict"], "pass");
    // The deploy's own entry says the same.
    let deploy = (doc["deploys"].as_array().unwrap().iter())
        .find(|d| d["id"] == "d1")
        .unwrap();
    assert_eq!(deploy["impact"]["metrics"][0], *metric);
}

#[test]
fn every_metric_judgement_is_named_in_snake_case() {
    let (model, _) = evidence::judged_state();
    let doc = document(&model);
    let verdicts: Vec<(&str, &str)> = (doc["deploys"].as_array().unwrap().iter())
        .filter(|d| !d["impact"].is_null())
        .flat_map(|d| d["impact"]["metrics"].as_array().unwrap())
        .map(|m| (m["name"].as_str().unwrap(), m["verdict"].as_str().unwrap()))
        .collect();
    assert!(
        verdicts.contains(&("p95 latency", "better")),
        "{verdicts:?}"
    );
    assert!(
        verdicts.contains(&("error ratio", "inconclusive")),
        "{verdicts:?}"
    );
    assert!(
        verdicts.contains(&("error ratio", "unhealthy")),
        "{verdicts:?}"
    );
}

#[test]
fn a_metric_without_evidence_has_every_evidence_field_null() {
    let (model, _) = common::small_state(Mode::default());
    let doc = document(&model);
    let metric = &doc["services"][0]["cells"]["production"]["impact"]["metrics"][0];
    assert_eq!(metric["name"], "error rate");
    close(&metric["before"], 0.4);
    for field in EVIDENCE {
        let value = metric.get(field);
        assert_eq!(value, Some(&Value::Null), "{field} in {metric}");
    }
}

#[test]
fn the_samples_stay_out_of_the_document() {
    let (model, _) = evidence::judged_state();
    let doc = document(&model);
    let metric = doc["services"][0]["cells"]["production"]["impact"]["metrics"][0]
        .as_object()
        .unwrap()
        .clone();
    let mut fields: Vec<&str> = metric.keys().map(String::as_str).collect();
    fields.sort_unstable();
    let mut expected = vec!["name", "unit", "before", "after"];
    expected.extend(EVIDENCE);
    expected.sort_unstable();
    assert_eq!(fields, expected);
    let text = doc.to_string();
    assert!(!text.contains("samples"), "no samples anywhere");
}

#[test]
fn a_window_without_data_gives_a_null_median_not_a_number_that_is_not_one() {
    let (mut model, mut ui) = evidence::judged_state();
    let mut snapshot = common::small_snapshot();
    let gone = evidence::judged(-120, -116, |b, _| {
        vec![evidence::error_ratio(
            evidence::series(b, 60, |i| 0.5 + 0.05 * evidence::wobble(i)),
            vec![],
        )]
    });
    snapshot.impacts = vec![common::analysis("checkout", "production", "d1", gone)];
    shiproom::update::update(
        &mut model,
        &mut ui,
        shiproom::msg::Msg::SourceReport {
            source: "fleet".into(),
            at: common::t0(),
            result: Ok(snapshot),
        },
    );
    let doc = document(&model);
    let impact = &doc["services"][0]["cells"]["production"]["impact"];
    assert_eq!(impact["verdict"], "no_data");
    let metric = &impact["metrics"][0];
    assert!(metric["before"].as_f64().is_some());
    assert_eq!(metric["after"], Value::Null);
    assert_eq!(
        metric.get("verdict"),
        Some(&Value::Null),
        "no evidence without data, and the field says so"
    );
}
