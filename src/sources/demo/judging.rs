//! The fleet's impact analyses, by the real impact module over the demo's series: a deploy's
//! first verdict ten minutes after its end (the one the simulated operators roll back on, and
//! the one later baselines leave an unhealthy release out by), refined while it is reported
//! each time its after window has grown by a sample, final at an hour or when the next
//! deploy in its cell starts. A finished analysis is kept, never judged again.

use super::cells::{Analysed, Rollback};
use super::fleet::DemoFleet;
use super::impact::{self, Judged, Subject};
use super::pipeline::Kind;
use super::rng::{SplitMix64, hash};
use super::series::{SAMPLE_EVERY, SeriesKey};
use crate::model::Verdict;

/// Keeps rollback rolls apart from the other values derived from the seed.
const ROLLBACK_SALT: u64 = 0x726F_6C6C_6261_636B;

/// The samples (one a minute, at whole minutes) in `[from, to)`.
pub(super) fn minutes_between(from: i64, to: i64) -> i64 {
    let first = from.div_euclid(SAMPLE_EVERY) + i64::from(from.rem_euclid(SAMPLE_EVERY) != 0);
    let end = to.div_euclid(SAMPLE_EVERY) + i64::from(to.rem_euclid(SAMPLE_EVERY) != 0);
    end.saturating_sub(first).max(0)
}

impl DemoFleet {
    /// Judges deploy `a` (of id `id`) with its after window ending at `end` and keeps what
    /// the engine said.
    fn judge_at(&mut self, id: u64, a: &Analysed, end: i64) -> Judged {
        let subject = Subject {
            key: SeriesKey {
                seed: self.seed,
                service: a.service,
                env: a.env,
            },
            started: a.started,
            finished: a.finished,
            end,
            cut: a.cut.is_some(),
        };
        let timeline = &self.cells[a.service][a.env].timeline;
        let judged = impact::judge(timeline, subject);
        self.judgements = self.judgements.saturating_add(1);
        self.impacts.insert(id, judged.impact.clone());
        if let Some(kept) = self.analysed.get_mut(&id) {
            kept.judged_minutes = Some(minutes_between(a.finished, end));
            kept.last = judged.last;
        }
        judged
    }

    /// Judges deploy `id` for the first time, at `end`: an unhealthy release is left out of
    /// the baselines of the deploys after it. (Only the first verdict counts for that: it
    /// happens on its second whatever is reported, so the story never depends on polling.)
    fn judge_first(&mut self, id: u64, a: &Analysed, end: i64) -> Judged {
        let judged = self.judge_at(id, a, end);
        if judged.impact.verdict == Verdict::Unhealthy {
            self.cells[a.service][a.env].timeline.mark_bad(id);
        }
        judged
    }

    /// The first verdict on deploy `id`, at `t`: an unhealthy deploy that still runs may be
    /// rolled back (likely in production, sometimes in staging, never in an ephemeral
    /// environment; never a rollback itself).
    pub(super) fn first_verdict(&mut self, id: u64, t: i64) {
        let Some(a) = self.analysed.get(&id).cloned() else {
            return;
        };
        if a.judged_minutes.is_some() {
            return;
        }
        let judged = self.judge_first(id, &a, t);
        let cell = &self.cells[a.service][a.env];
        if judged.impact.verdict != Verdict::Unhealthy || a.rollback || cell.running.id != id {
            return;
        }
        let odds = match self.envs[a.env].kind {
            Kind::Production => 0.8,
            Kind::Staging => 0.4,
            Kind::Ephemeral => 0.0,
        };
        let mut roll = SplitMix64::new(hash(&[self.seed, ROLLBACK_SALT, id]));
        let restores = cell.timeline.level_before(id);
        if let (Some(to), Some(restores)) = (cell.previous.clone(), restores)
            && roll.chance(odds)
        {
            self.cells[a.service][a.env].rollback_pending = true;
            self.rollbacks.push(Rollback {
                of: id,
                service: a.service,
                env: a.env,
                to,
                restores,
            });
        }
    }

    /// Ends the after window of deploy `id` at `t`, when the next deploy in its cell starts;
    /// one not judged yet is judged now, on what it has.
    pub(super) fn cut(&mut self, id: u64, t: i64) {
        let Some(a) = self.analysed.get_mut(&id) else {
            return;
        };
        if a.cut.is_some() || a.last {
            return;
        }
        a.cut = Some(t);
        let a = a.clone();
        if a.judged_minutes.is_none() {
            self.verdicts.retain(|v| v.id != id);
            self.judge_first(id, &a, t);
        }
    }

    /// Judges again every reported analysis whose after window has grown by a sample since
    /// it was last judged (or was cut since); nothing else.
    pub(super) fn refine(&mut self) {
        let keep = self.kept();
        let growing: Vec<(u64, Analysed)> = (self.analysed.iter())
            .filter(|(id, a)| a.judged_minutes.is_some() && !a.last && keep.contains(id))
            .map(|(id, a)| (*id, a.clone()))
            .collect();
        let full = impact::final_verdict_after();
        for (id, a) in growing {
            let end = (a.cut.unwrap_or(i64::MAX))
                .min(self.clock)
                .min(a.finished.saturating_add(full));
            let grown = Some(minutes_between(a.finished, end)) > a.judged_minutes;
            let ended = a.cut.is_some() || end >= a.finished.saturating_add(full);
            if grown {
                self.judge_at(id, &a, end);
            } else if ended && let Some(kept) = self.analysed.get_mut(&id) {
                // Nothing new to judge: what was said stands, for good.
                kept.last = true;
            }
        }
    }
}

#[cfg(test)]
#[path = "judging_tests.rs"]
mod tests;
