//! The words of the evidence for every judgement of a metric, from analyses the real engine
//! made of made-up samples: the shift in percentage points for a ratio in %, relative for a
//! latency, the interval, p ("< 0.001" below a thousandth), n, and the judgement; and which
//! change the recent panel calls a deploy's worst.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;
mod evidence;

use evidence::{error_ratio, judged, series, wobble};
use shiproom::model::{Impact, MetricChange, MetricVerdict, Verdict};
use shiproom::present::evidence::{metric_words, worst, worst_change};

fn words(m: &MetricChange) -> String {
    metric_words(m, false)
}

fn judgement(m: &MetricChange) -> MetricVerdict {
    m.evidence.as_ref().expect("judged with evidence").verdict
}

#[test]
fn an_unhealthy_error_ratio_reads_as_the_issue_says() {
    let impact = evidence::jump();
    assert_eq!(impact.verdict, Verdict::Unhealthy);
    assert_eq!(
        words(&impact.metrics[0]),
        "error ratio 0.49% → 5.77% (+5.3 pp, 95% CI +4.9 … +5.7, p < 0.001, n 60/40): unhealthy"
    );
    assert_eq!(
        metric_words(&impact.metrics[0], true),
        "error ratio 0.49% -> 5.77% (+5.3 pp, 95% CI +4.9 .. +5.7, p < 0.001, n 60/40): unhealthy",
        "the ASCII theme's words"
    );
}

#[test]
fn a_latency_within_its_band_passes_with_its_shift_relative_to_the_median_before() {
    let impact = evidence::jump();
    let m = &impact.metrics[1];
    assert_eq!(judgement(m), MetricVerdict::Pass);
    assert_eq!(
        words(m),
        "p95 latency 181ms → 185ms (+1.7%, 95% CI +1.1% … +2.6%, p < 0.001, n 60/40): within \
         the allowed band"
    );
}

#[test]
fn a_faster_latency_is_better() {
    let impact = evidence::faster();
    assert_eq!(impact.verdict, Verdict::Improved);
    let m = &impact.metrics[1];
    assert_eq!(judgement(m), MetricVerdict::Better);
    assert_eq!(
        words(m),
        "p95 latency 241ms → 161ms (-33%, 95% CI -34% … -33%, p < 0.001, n 60/40): better"
    );
}

#[test]
fn an_error_ratio_worse_within_the_unhealthy_band_is_worse() {
    let impact = judged(-120, -116, |b, a| {
        vec![error_ratio(
            series(b, 60, |i| 0.50 + 0.05 * wobble(i)),
            series(a, 40, |i| 2.00 + 0.05 * wobble(i + 3)),
        )]
    });
    assert_eq!(impact.verdict, Verdict::Ailing);
    assert_eq!(
        words(&impact.metrics[0]),
        "error ratio 0.51% → 2.01% (+1.5 pp, 95% CI +1.5 … +1.5, p < 0.001, n 60/40): worse"
    );
}

#[test]
fn an_interval_across_the_bands_edge_is_inconclusive_and_says_why() {
    let impact = evidence::straddling();
    assert_eq!(impact.verdict, Verdict::Inconclusive);
    let m = &impact.metrics[0];
    assert_eq!(judgement(m), MetricVerdict::Inconclusive);
    let e = m.evidence.as_ref().unwrap();
    assert!(e.ci_low < 1.0 && e.ci_high > 1.0, "{e:?}");
    let said = words(m);
    assert!(
        said.ends_with(
            "inconclusive: the interval reaches across the allowed band's edge, or a window has \
             too few points"
        ),
        "{said}"
    );
}

#[test]
fn too_few_points_after_the_deploy_are_inconclusive_and_the_n_says_so() {
    let impact = judged(-120, -116, |b, a| {
        vec![error_ratio(
            series(b, 60, |i| 0.50 + 0.05 * wobble(i)),
            series(a, 5, |i| 9.0 + 0.05 * wobble(i)),
        )]
    });
    assert_eq!(impact.verdict, Verdict::Inconclusive);
    let said = words(&impact.metrics[0]);
    assert!(said.contains(", n 60/5): inconclusive"), "{said}");
}

#[test]
fn a_metric_without_data_after_the_deploy_says_no_data_not_a_figure() {
    let impact = judged(-120, -116, |b, _| {
        vec![error_ratio(
            series(b, 60, |i| 0.50 + 0.05 * wobble(i)),
            vec![],
        )]
    });
    assert_eq!(impact.verdict, Verdict::NoData);
    assert_eq!(words(&impact.metrics[0]), "error ratio 0.51% → no data");
    let nothing = judged(-120, -116, |_, _| vec![error_ratio(vec![], vec![])]);
    assert_eq!(words(&nothing.metrics[0]), "error ratio: no data");
}

#[test]
fn p_is_said_as_under_a_thousandth_or_to_two_or_three_decimals() {
    let mut m = evidence::jump().metrics[0].clone();
    for (p, said) in [
        (0.0004, "p < 0.001"),
        (0.0042, "p = 0.004"),
        (0.341, "p = 0.34"),
    ] {
        m.evidence.as_mut().unwrap().p_value = p;
        assert!(
            words(&m).contains(&format!(", {said}, ")),
            "{p}: {}",
            words(&m)
        );
    }
}

#[test]
fn a_metric_in_another_unit_shifts_in_that_unit() {
    let mut m = evidence::jump().metrics[0].clone();
    m.name = "queue depth".into();
    m.unit = "jobs".into();
    m.before = 10.0;
    m.after = 22.0;
    let e = m.evidence.as_mut().unwrap();
    (e.change, e.ci_low, e.ci_high) = (12.0, 9.5, 14.0);
    assert!(
        words(&m).starts_with("queue depth 10.00jobs → 22.00jobs (+12 jobs, 95% CI +10 … +14,"),
        "{}",
        words(&m)
    );
}

#[test]
fn the_worst_change_is_the_worst_judged_metric_and_the_best_for_an_improved_deploy() {
    let jump = evidence::jump();
    assert_eq!(worst(&jump).unwrap().name, "error ratio");
    assert_eq!(worst_change(&jump).as_deref(), Some("+5.3pp error ratio"));
    // The latency was better, the error ratio passed: the latency tells the verdict.
    let faster = evidence::faster();
    assert_eq!(worst_change(&faster).as_deref(), Some("-33% p95 latency"));
    // With the metrics the other way round, the same one is chosen.
    let swapped = Impact {
        verdict: faster.verdict,
        metrics: faster.metrics.iter().rev().cloned().collect(),
    };
    assert_eq!(worst(&swapped).unwrap().name, "p95 latency");
    let none = Impact {
        verdict: Verdict::NoData,
        metrics: vec![],
    };
    assert_eq!(worst_change(&none), None);
}

#[test]
fn figures_without_a_judgement_are_chosen_by_their_largest_relative_change() {
    let figures = |name: &str, before: f64, after: f64| MetricChange {
        name: name.into(),
        unit: "%".into(),
        before,
        after,
        evidence: None,
    };
    let impact = Impact {
        verdict: Verdict::Healthy,
        metrics: vec![
            figures("error rate", 0.4, 0.41),
            figures("saturation", 50.0, 60.0),
        ],
    };
    assert_eq!(worst_change(&impact).as_deref(), Some("+20% saturation"));
    // A metric that has no data is worse news than any figure.
    let gone = Impact {
        verdict: Verdict::Inconclusive,
        metrics: vec![
            figures("saturation", 50.0, 60.0),
            figures("error rate", 0.4, f64::NAN),
        ],
    };
    assert_eq!(worst_change(&gone).as_deref(), Some("no data: error rate"));
}
