//! One judgement of one deploy: its windows planned (the baseline without earlier bad
//! deploys), the range queries it needs (the after window's every time, the baseline's once),
//! and, from their answers, the analysis that becomes its impact — pending while the after
//! window still grows, final once it is full and the baseline is settled.

use chrono::{DateTime, Utc};

use super::ledger::{Baseline, Cell};
use super::metrics::Judging;
use super::promql::{Placeholders, render};
use super::query::{self, Failure};
use crate::impact::analysis::{MetricSamples, analyse};
use crate::impact::windows::{self, Plan, Window};
use crate::model::{Impact, Verdict};
use crate::sources::http::{Answer, Ask, HttpCore, HttpError};

/// The queries of one judgement, by their place in the round's asks.
#[derive(Debug, Clone)]
pub struct Job {
    /// The deploy's place in its cell.
    pub index: usize,
    before: Window,
    after: Window,
    /// The judgement is final: the after window is full and the baseline settled.
    last: bool,
    /// Per metric: its after window's ask, and its baseline's when it is read this time.
    asks: Vec<(usize, Option<usize>)>,
}

/// Plans deploy `index` of `cell` at `now`. While its after window is too short it is
/// pending (no query; judged first at the plan's time); else its queries are added to `asks`.
pub fn plan(
    cell: &mut Cell,
    index: usize,
    judging: &Judging,
    base: &str,
    now: DateTime<Utc>,
    asks: &mut Vec<Ask>,
) -> Result<Option<Job>, Failure> {
    let (bad, settled) = cell.bad_stretches(index, judging.windows.reach);
    let next = cell.next_start(index);
    let name = cell.name();
    let values = Placeholders {
        service: &cell.service,
        environment: &cell.environment,
        target: &cell.target,
    };
    let Some(deploy) = cell.deploys.get_mut(index) else {
        return Ok(None);
    };
    let r = &deploy.request;
    let (before, after, full) = match windows::plan_until(
        r.started_at,
        r.finished_at,
        next,
        &bad,
        &judging.windows,
        now,
    ) {
        Plan::Pending { at } => {
            if deploy.impact.is_none() {
                deploy.impact = Some(Impact {
                    verdict: Verdict::Pending,
                    metrics: Vec::new(),
                });
            }
            deploy.next = Some(at);
            return Ok(None);
        }
        Plan::Ready {
            before,
            after,
            full,
        } => (before, after, full),
    };
    let metrics = judging.metrics_of(values.service);
    deploy.baselines.resize(metrics.len(), None);
    let mut job_asks = Vec::with_capacity(metrics.len());
    for (metric, baseline) in metrics.iter().zip(&deploy.baselines) {
        let promql = render(&metric.template, &values).map_err(|e| Failure {
            reason: format!("{name} {}: {e}", metric.name),
            source_wide: false,
        })?;
        asks.push(query::range(base, &promql, after.span, after.step));
        let after_ask = asks.len() - 1;
        let known = baseline
            .as_ref()
            .is_some_and(|b| b.span == before.span && b.step == before.step);
        let before_ask = (!known).then(|| {
            asks.push(query::range(base, &promql, before.span, before.step));
            asks.len() - 1
        });
        job_asks.push((after_ask, before_ask));
    }
    Ok(Some(Job {
        index,
        before,
        after,
        last: full && settled,
        asks: job_asks,
    }))
}

/// Judges `job`'s deploy of `cell` from the round's `answers` (each taken once): its impact,
/// the verdict later baselines read, and when it is judged next (after a step more of its
/// after window; never, once final). A failed query leaves the last judgement as it was.
pub fn judge(
    http: &mut HttpCore,
    cell: &mut Cell,
    job: &Job,
    answers: &mut [Option<Result<Answer, HttpError>>],
    judging: &Judging,
) -> Result<(), Failure> {
    let name = cell.name();
    let metrics = judging.metrics_of(&cell.service);
    let Some(deploy) = cell.deploys.get_mut(job.index) else {
        return Ok(());
    };
    let mut take = |i: usize| {
        (answers.get_mut(i).and_then(Option::take)).unwrap_or(Err(HttpError::Connect {
            host: "prometheus".into(),
            detail: "no answer for this query".into(),
        }))
    };
    let mut samples = Vec::with_capacity(metrics.len());
    for ((metric, (after_ask, before_ask)), baseline) in
        (metrics.iter().zip(&job.asks)).zip(deploy.baselines.iter_mut())
    {
        let what = format!("{name} {}", metric.name);
        let after = query::samples(http, take(*after_ask), &what, metric.scale)?;
        if let Some(i) = before_ask {
            *baseline = Some(Baseline {
                span: job.before.span,
                step: job.before.step,
                samples: query::samples(http, take(*i), &what, metric.scale)?,
            });
        }
        samples.push(MetricSamples {
            name: metric.name.clone(),
            unit: metric.unit.clone(),
            rules: metric.rules,
            before: (baseline.as_ref()).map_or_else(Vec::new, |b| b.samples.clone()),
            after,
        });
    }
    let analysis = analyse(&samples, &job.before, &job.after, judging.confidence);
    deploy.judged = Some(analysis.verdict);
    // Shown from the first judgement on (10 minutes after by default), refined until final.
    deploy.impact = Some(analysis.to_impact(false));
    deploy.done = job.last;
    deploy.next = match job.last {
        true => None,
        false => (job.after.span.end).checked_add_signed(job.after.step),
    };
    Ok(())
}
