//! The demo's effects judged by the real impact module: each effect gets the verdict it was
//! made for, pending until ten minutes, a release judged unhealthy left out of the next
//! baseline, a deploy cut short judged on what it had, no NaN in what is reported.
use super::*;
use crate::model::MetricVerdict;
use crate::sources::demo::series::Run;

/// A whole UTC hour: 2027-01-15 08:00:00.
const T: i64 = 1_800_000_000;

/// A cell whose release 1 ran for hours at its baseline; deployment 2 (started a minute
/// before `finished`) has `effect` from then on.
fn deployed(seed: u64, effect: Effect, finished: i64) -> (Timeline, Subject) {
    let mut rng = SplitMix64::new(seed);
    let baseline = Figures::baseline(&mut rng);
    let mut timeline = Timeline::starting_at(1, baseline);
    timeline.push(Run {
        id: 2,
        from: finished,
        level: apply(effect, seed, 2, baseline, baseline),
        scraped: effect != Effect::Unscraped,
        bad: false,
    });
    let subject = Subject {
        key: SeriesKey {
            seed,
            service: 1,
            env: 2,
        },
        started: finished - 60,
        finished,
        end: finished + 3_600,
        cut: false,
    };
    (timeline, subject)
}

fn verdicts_of(effect: Effect, after: i64) -> Vec<Verdict> {
    (0..100)
        .map(|seed| {
            let (timeline, subject) = deployed(seed, effect, T + 7 * seed as i64);
            let end = subject.finished + after;
            judge(&timeline, Subject { end, ..subject }).impact.verdict
        })
        .collect()
}

fn count(verdicts: &[Verdict], verdict: Verdict) -> usize {
    verdicts.iter().filter(|v| **v == verdict).count()
}

#[test]
fn each_rolled_effect_gets_the_verdict_it_was_made_for_from_the_engine() {
    let clear = [
        (Effect::Improvement, Verdict::Improved),
        (Effect::Unchanged, Verdict::Healthy),
        (Effect::SmallDegradation, Verdict::Ailing),
        (Effect::LargeDegradation, Verdict::Unhealthy),
        (Effect::Unscraped, Verdict::NoData),
    ];
    for (effect, verdict) in clear {
        // An hour after: every one of a hundred deploys.
        let last = verdicts_of(effect, 3_600);
        assert_eq!(count(&last, verdict), 100, "{effect:?}: {last:?}");
        // At the first verdict, on ten samples: nearly all; the others cannot tell yet (a
        // gap left too few samples), never the wrong way.
        let first = verdicts_of(effect, 600);
        let sure = count(&first, verdict);
        assert!(sure >= 85, "{effect:?} first: {first:?}");
        assert_eq!(
            sure + count(&first, Verdict::Inconclusive),
            100,
            "{first:?}"
        );
    }
    // A change right on the band's edge: the interval straddles it, mostly.
    let edge = verdicts_of(Effect::WithinNoise, 3_600);
    assert!(count(&edge, Verdict::Inconclusive) >= 80, "{edge:?}");
}

#[test]
fn a_deploy_is_pending_until_its_after_window_is_ten_minutes_long_then_judged_on_ten_samples() {
    let (timeline, subject) = deployed(3, Effect::Unchanged, T + 1_234);
    let at = |after: i64| {
        judge(
            &timeline,
            Subject {
                end: subject.finished + after,
                ..subject
            },
        )
    };
    let early = at(599);
    assert_eq!(early.impact, without_figures(Verdict::Pending));
    assert!(!early.last);
    let first = at(600);
    assert_eq!(first.impact.verdict, Verdict::Healthy);
    assert!(!first.last, "refined until an hour");
    let evidence = |j: &Judged| {
        let e = j.impact.metrics.iter().map(|m| m.evidence.clone().unwrap());
        e.collect::<Vec<_>>()
    };
    // One sample a minute, at whole minutes, less the odd counter reset or gap.
    for e in evidence(&first) {
        assert!(
            (25..=30).contains(&e.n_before) && (8..=10).contains(&e.n_after),
            "{e:?}"
        );
        let times = e.after_samples.iter().map(|(t, _)| t.timestamp());
        let span = subject.finished..subject.finished + 600;
        assert!(times.clone().all(|t| t % 60 == 0 && span.contains(&t)));
    }
    let full = at(3_600);
    assert!(full.last);
    for e in evidence(&full) {
        assert!((50..=60).contains(&e.n_after), "{e:?}");
    }
    assert_eq!(at(5_000), full, "nothing past the hour counts");
    let (name, unit) = (&full.impact.metrics[0].name, &full.impact.metrics[0].unit);
    assert_eq!((name.as_str(), unit.as_str()), ("error ratio", "%"));
}

#[test]
fn an_earlier_unhealthy_release_is_cut_out_so_a_deploy_that_keeps_its_harm_is_unhealthy_too() {
    let (mut timeline, first) = deployed(5, Effect::LargeDegradation, T);
    assert_eq!(judge(&timeline, first).impact.verdict, Verdict::Unhealthy);
    // Release 3, forty minutes later, changes nothing: the harm of release 2 stays.
    let level = timeline.current();
    let from = T + 2_400;
    timeline.push(Run {
        id: 3,
        from,
        level,
        scraped: true,
        bad: false,
    });
    let next = Subject {
        started: from - 60,
        finished: from,
        end: from + 3_600,
        ..first
    };
    // Against a baseline that holds release 2, it looks healthy…
    assert_eq!(judge(&timeline, next).impact.verdict, Verdict::Healthy);
    // …but release 2 was judged unhealthy: cut out, the baseline reaches back before it.
    timeline.mark_bad(2);
    let judged = judge(&timeline, next).impact;
    assert_eq!(judged.verdict, Verdict::Unhealthy);
    for m in &judged.metrics {
        let e = m.evidence.as_ref().unwrap();
        assert!(e.n_before >= 25, "a full baseline all the same: {e:?}");
        assert!(
            e.before_samples.iter().all(|(t, _)| t.timestamp() < T),
            "nothing of release 2 in the baseline"
        );
    }
}

#[test]
fn a_deploy_cut_short_by_the_next_one_is_judged_on_what_it_had_for_good() {
    let (timeline, subject) = deployed(9, Effect::LargeDegradation, T);
    let cut = |after: i64| {
        judge(
            &timeline,
            Subject {
                end: subject.finished + after,
                cut: true,
                ..subject
            },
        )
    };
    let short = cut(240);
    assert_eq!(short.impact.verdict, Verdict::Inconclusive, "four samples");
    assert!(short.last);
    let half = cut(1_800);
    assert_eq!(half.impact.verdict, Verdict::Unhealthy);
    assert!(half.last);
    let e = half.impact.metrics[0].evidence.as_ref().unwrap();
    assert!(e.n_after <= 30 && e.verdict == MetricVerdict::Unhealthy);
}

#[test]
fn effects_are_seeded_by_the_deploy_and_a_degraded_release_is_usually_fixed() {
    let baseline = Figures {
        error_rate: 0.4,
        p95: 200.0,
    };
    let roll = |id, ephemeral, current| roll_effect(11, id, ephemeral, current, baseline);
    assert_eq!(roll(5, false, baseline), roll(5, false, baseline));
    let steady: Vec<Effect> = (0..2_000).map(|id| roll(id, false, baseline)).collect();
    let share = |e: Effect| steady.iter().filter(|x| **x == e).count() as f64 / 2_000.0;
    assert!((0.12..0.18).contains(&share(Effect::Improvement)));
    assert!((0.40..0.50).contains(&share(Effect::Unchanged)));
    assert!((0.09..0.15).contains(&share(Effect::WithinNoise)));
    assert!((0.14..0.20).contains(&share(Effect::SmallDegradation)));
    assert!((0.08..0.14).contains(&share(Effect::LargeDegradation)));
    assert_eq!(share(Effect::Unscraped) + share(Effect::Fix), 0.0);
    let dev = (0..2_000).filter(|&id| roll(id, true, baseline) == Effect::Unscraped);
    assert!(
        (250..350).contains(&dev.count()),
        "ephemeral: 15 % unscraped"
    );

    let degraded = Figures {
        error_rate: 4.0,
        ..baseline
    };
    let fixes = (0..1_000).filter(|&id| roll(id, false, degraded) == Effect::Fix);
    assert!((650..750).contains(&fixes.count()));
    assert_eq!(apply(Effect::Fix, 11, 1, degraded, baseline), baseline);
    let restored = apply(Effect::Restore(baseline), 11, 1, degraded, baseline);
    assert_eq!(restored, baseline, "a rollback brings back what ran");
}

#[test]
fn a_judgement_without_data_carries_no_nan_and_reads_back_from_json() {
    let (timeline, subject) = deployed(2, Effect::Unscraped, T);
    let impact = judge(&timeline, subject).impact;
    assert_eq!(impact.verdict, Verdict::NoData);
    assert!(impact.metrics.is_empty(), "no median after: no figures");
    let (timeline, subject) = deployed(2, Effect::SmallDegradation, T);
    for impact in [impact, judge(&timeline, subject).impact] {
        let json = serde_json::to_string(&impact).unwrap();
        let back: Impact = serde_json::from_str(&json).unwrap();
        assert_eq!(back, impact);
    }
    // A NaN median, should one come, is written as null and read back as NaN.
    let mut nan = judge(&timeline, subject).impact;
    nan.metrics[0].after = f64::NAN;
    let json = serde_json::to_string(&nan).unwrap();
    let back = serde_json::from_str::<Impact>(&json).expect("it reads back");
    assert!(back.metrics[0].after.is_nan());
}
