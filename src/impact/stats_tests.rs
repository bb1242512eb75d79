//! The statistics against reference values of R's `wilcox.test(after, before, conf.int =
//! TRUE)`, recorded in `tests/fixtures/impact/wilcox_reference.json` with their inputs: small
//! and large samples, exact and approximate, with and without ties.

use super::stats::compare;

#[derive(serde::Deserialize)]
struct Reference {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    before: Vec<f64>,
    after: Vec<f64>,
    w: f64,
    p_value: f64,
    ci_low: f64,
    ci_high: f64,
    r_estimate: f64,
    median_of_differences: f64,
    exact: bool,
}

fn cases() -> Vec<Case> {
    let text = include_str!("../../tests/fixtures/impact/wilcox_reference.json");
    let reference: Reference = serde_json::from_str(text).expect("the reference parses");
    reference.cases
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * b.abs().max(1.0)
}

#[test]
fn w_and_the_p_value_match_r_on_every_reference_case() {
    for case in cases() {
        let c = compare(&case.before, &case.after, 0.95).expect("a comparison");
        assert_eq!(c.w, case.w, "{}: W", case.name);
        assert_eq!(c.exact, case.exact, "{}: the method", case.name);
        assert!(
            (c.p_value - case.p_value).abs() <= 1e-9 * case.p_value.max(1e-300) + 1e-15,
            "{}: p {} against R's {}",
            case.name,
            c.p_value,
            case.p_value
        );
        assert_eq!(
            (c.n_before, c.n_after),
            (case.before.len(), case.after.len())
        );
    }
}

#[test]
fn the_shift_is_the_median_of_pairwise_differences_and_agrees_with_r() {
    for case in cases() {
        let c = compare(&case.before, &case.after, 0.95).expect("a comparison");
        assert!(
            close(c.shift, case.median_of_differences, 1e-12),
            "{}: shift {} against the median of differences {}",
            case.name,
            c.shift,
            case.median_of_differences
        );
        // R's approximate estimate is any point (found by uniroot) where half the pairwise
        // differences lie on each side: the same middle of the differences.
        let diffs: Vec<f64> = (case.after.iter())
            .flat_map(|a| case.before.iter().map(move |b| a - b))
            .collect();
        let half = diffs.len() as f64 / 2.0;
        let below = |v: f64, tol: f64| diffs.iter().filter(|d| **d < v - tol).count() as f64;
        let above = |v: f64, tol: f64| diffs.iter().filter(|d| **d > v + tol).count() as f64;
        // R's uniroot stops within 1e-4 of the point.
        for (what, v, tol) in [("ours", c.shift, 1e-12), ("R's", case.r_estimate, 1e-4)] {
            assert!(
                below(v, tol) <= half && above(v, tol) <= half,
                "{}: {what} estimate {v} is not in the middle of the differences",
                case.name
            );
        }
    }
}

#[test]
fn the_confidence_interval_matches_r_exactly_when_exact_and_to_uniroots_tolerance_else() {
    for case in cases() {
        let c = compare(&case.before, &case.after, 0.95).expect("a comparison");
        // R's approximate bounds come from uniroot with an absolute tolerance of 1e-4.
        let tolerance = if case.exact { 1e-12 } else { 1e-4 };
        assert!(
            (c.low - case.ci_low).abs() <= tolerance && (c.high - case.ci_high).abs() <= tolerance,
            "{}: [{}, {}] against R's [{}, {}]",
            case.name,
            c.low,
            c.high,
            case.ci_low,
            case.ci_high
        );
        assert!(
            c.low <= c.shift && c.shift <= c.high,
            "{}: the shift lies inside",
            case.name
        );
    }
}

#[test]
fn nan_and_infinities_are_left_out_and_an_empty_or_constant_side_gives_nothing() {
    let before = [1.0, f64::NAN, 2.0, 3.0, f64::INFINITY];
    let after = [4.0, 5.0, f64::NAN, 6.0];
    let c = compare(&before, &after, 0.95).expect("a comparison");
    assert_eq!((c.n_before, c.n_after), (3, 3));
    assert!(compare(&[], &after, 0.95).is_none());
    assert!(compare(&[f64::NAN], &after, 0.95).is_none());
    assert!(
        compare(&[0.5; 40], &[0.5; 40], 0.95).is_none(),
        "all tied: no rank carries information"
    );
}
