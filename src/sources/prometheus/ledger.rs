//! The deploys a Prometheus source judges, per service@environment (a cell): each one's
//! request, its last judgement, when it is to be judged again, and the baseline samples read
//! for it. A cell also knows which of its deploys were bad — rolled back, failed, or judged
//! unhealthy here — so that a bad deploy's stretch (its start to the next deploy's start) is
//! cut out of every later deploy's baseline.

use chrono::{DateTime, Duration, Utc};

use crate::impact::windows::Stretch;
use crate::model::{AnalysisRequest, DeployStatus, Impact, ImpactReport, Verdict};
use crate::sources::targets::TargetState;

/// A cell keeps at most this many deploys; the oldest finished analyses go first.
pub const MAX_DEPLOYS_PER_CELL: usize = 50;

/// One metric's baseline as read: the window's span and step, and its samples (in the unit
/// shown). Read once per deploy, again only if the baseline changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub span: Stretch,
    pub step: Duration,
    pub samples: Vec<(DateTime<Utc>, f64)>,
}

/// One deploy under analysis, or analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct Deploy {
    pub request: AnalysisRequest,
    /// The impact last judged, kept through failures.
    pub impact: Option<Impact>,
    /// The verdict of the last analysis, also while the impact shows it as pending: a deploy
    /// judged unhealthy is cut out of later baselines.
    pub judged: Option<Verdict>,
    /// Final: the after window was full and the baseline settled. Never asked again.
    pub done: bool,
    /// Not judged again before this (`None`: at the next poll).
    pub next: Option<DateTime<Utc>>,
    /// Per metric (in the service's order), its baseline, once read.
    pub baselines: Vec<Option<Baseline>>,
}

impl Deploy {
    fn new(request: AnalysisRequest) -> Deploy {
        Deploy {
            request,
            impact: None,
            judged: None,
            done: false,
            next: None,
            baselines: Vec::new(),
        }
    }

    /// Whether it ended badly (rolled back or failed) or was judged unhealthy.
    pub fn is_bad(&self) -> bool {
        self.ended_badly() || self.judged == Some(Verdict::Unhealthy)
    }

    fn ended_badly(&self) -> bool {
        matches!(
            self.request.status,
            DeployStatus::RolledBack | DeployStatus::Failed
        )
    }

    /// Whether it is to be judged at `now`.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        !self.done && self.next.is_none_or(|next| next <= now)
    }
}

/// One service in one environment: its deploys in the order they started, and how its last
/// queries went.
#[derive(Debug, Clone)]
pub struct Cell {
    pub service: String,
    pub environment: String,
    /// The service's name in this environment's source, for `{target}`.
    pub target: String,
    pub deploys: Vec<Deploy>,
    pub state: TargetState<()>,
}

impl Cell {
    pub fn new(service: &str, environment: &str, target: &str, seed: u64) -> Cell {
        Cell {
            service: service.to_string(),
            environment: environment.to_string(),
            target: target.to_string(),
            deploys: Vec::new(),
            state: TargetState::new(seed),
        }
    }

    /// "checkout@production": how messages and its target report name it.
    pub fn name(&self) -> String {
        format!("{}@{}", self.service, self.environment)
    }

    /// Takes `request`, in start order; one already known is kept as it is. A cell that grew
    /// past its bound forgets its oldest finished analysis.
    pub fn add(&mut self, request: AnalysisRequest) {
        if (self.deploys.iter()).any(|d| d.request.deployment == request.deployment) {
            return;
        }
        let at = (self.deploys.iter())
            .position(|d| d.request.started_at > request.started_at)
            .unwrap_or(self.deploys.len());
        // The deploy before it now ends where this one starts: judged again, at once, so the
        // new one's effect is not counted as its.
        if let Some(previous) = at.checked_sub(1).and_then(|i| self.deploys.get_mut(i))
            && previous.request.finished_at < request.started_at
        {
            previous.done = false;
            previous.next = None;
        }
        self.deploys.insert(at, Deploy::new(request));
        while self.deploys.len() > MAX_DEPLOYS_PER_CELL {
            match self.deploys.iter().position(|d| d.done) {
                Some(oldest) => {
                    self.deploys.remove(oldest);
                }
                None => {
                    self.deploys.remove(0);
                }
            }
        }
    }

    /// When the deploy after `index` started, if one did: `index`'s after window ends there.
    pub fn next_start(&self, index: usize) -> Option<DateTime<Utc>> {
        self.deploys.get(index + 1).map(|d| d.request.started_at)
    }

    /// The deploys due at `now`, by their place, oldest first.
    pub fn due(&self, now: DateTime<Utc>) -> Vec<usize> {
        (self.deploys.iter().enumerate())
            .filter(|(_, d)| d.is_due(now))
            .map(|(i, _)| i)
            .collect()
    }

    /// The stretches cut out of deploy `index`'s baseline: from each earlier bad deploy's
    /// start to the next deploy's start. And whether the baseline is settled: every earlier
    /// deploy within `reach` of its start ended badly or has its final judgement.
    pub fn bad_stretches(&self, index: usize, reach: Duration) -> (Vec<Stretch>, bool) {
        let Some(deploy) = self.deploys.get(index) else {
            return (Vec::new(), true);
        };
        let started = deploy.request.started_at;
        let limit = started.checked_sub_signed(reach).unwrap_or(started);
        let mut bad = Vec::new();
        let mut settled = true;
        for (j, earlier) in self.deploys[..index].iter().enumerate() {
            let start = earlier.request.started_at;
            let end = (self.deploys.get(j + 1))
                .map_or(started, |next| next.request.started_at)
                .min(started);
            if end <= limit || start >= started {
                continue;
            }
            if earlier.is_bad() {
                bad.push(Stretch { start, end });
            }
            settled &= earlier.ended_badly() || earlier.done;
        }
        (bad, settled)
    }

    /// The impact reports of its deploys that have one.
    pub fn reports(&self) -> impl Iterator<Item = ImpactReport> + '_ {
        (self.deploys.iter()).filter_map(|d| {
            Some(ImpactReport {
                service: self.service.clone(),
                environment: self.environment.clone(),
                deployment: d.request.deployment.clone(),
                impact: d.impact.clone()?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeploymentRef;
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn request(id: &str, start: i64, status: DeployStatus) -> AnalysisRequest {
        AnalysisRequest {
            service: "checkout".into(),
            environment: "production".into(),
            deployment: DeploymentRef::Id {
                source: "github".into(),
                id: id.into(),
            },
            commit: id.into(),
            status,
            started_at: t(start),
            finished_at: t(start + 5),
        }
    }

    #[test]
    fn a_final_verdict_is_judged_again_when_a_next_deploy_starts_inside_its_after_window() {
        let mut cell = Cell::new("checkout", "production", "production", 1);
        cell.add(request("a", -100, DeployStatus::Succeeded));
        cell.deploys[0].done = true;
        cell.deploys[0].next = None;
        cell.add(request("b", -70, DeployStatus::Succeeded));
        assert!(
            !cell.deploys[0].done,
            "its after window ends at b's start now"
        );
        assert_eq!(cell.due(t(0)), [0, 1]);
        assert_eq!(cell.next_start(0), Some(t(-70)));
        assert_eq!(cell.next_start(1), None);
    }

    #[test]
    fn a_bad_deploys_stretch_runs_from_its_start_to_the_next_deploys_start() {
        let mut cell = Cell::new("checkout", "production", "production", 1);
        cell.add(request("c", -10, DeployStatus::Succeeded));
        cell.add(request("a", -100, DeployStatus::RolledBack));
        cell.add(request("b", -60, DeployStatus::Succeeded));
        cell.add(request("b", -60, DeployStatus::Succeeded));
        assert_eq!(cell.deploys.len(), 3, "one request taken once");
        let order: Vec<i64> = (cell.deploys.iter())
            .map(|d| (d.request.started_at - t(0)).num_minutes())
            .collect();
        assert_eq!(order, [-100, -60, -10], "in start order");
        let reach = Duration::minutes(180);
        let (bad, settled) = cell.bad_stretches(2, reach);
        assert_eq!(
            bad,
            [Stretch {
                start: t(-100),
                end: t(-60)
            }]
        );
        assert!(!settled, "b is not judged yet");
        cell.deploys[1].judged = Some(Verdict::Unhealthy);
        cell.deploys[1].done = true;
        let (bad, settled) = cell.bad_stretches(2, reach);
        assert_eq!(bad.len(), 2, "b was judged unhealthy: {bad:?}");
        assert_eq!(
            bad[1],
            Stretch {
                start: t(-60),
                end: t(-10)
            }
        );
        assert!(settled);
        let (bad, _) = cell.bad_stretches(2, Duration::minutes(30));
        assert_eq!(bad.len(), 1, "a lies beyond the reach");
    }

    #[test]
    fn a_cell_keeps_a_bounded_number_of_deploys_dropping_finished_ones_first() {
        let mut cell = Cell::new("checkout", "production", "production", 1);
        for i in 0..MAX_DEPLOYS_PER_CELL as i64 {
            cell.add(request(&format!("d{i}"), i * 10, DeployStatus::Succeeded));
        }
        cell.deploys[3].done = true;
        cell.add(request("new", 10_000, DeployStatus::Succeeded));
        assert_eq!(cell.deploys.len(), MAX_DEPLOYS_PER_CELL);
        assert!(!cell.deploys.iter().any(|d| d.request.commit == "d3"));
        assert!(cell.deploys.iter().any(|d| d.request.commit == "d0"));
    }
}
