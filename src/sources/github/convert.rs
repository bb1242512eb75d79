//! From GitHub's answers to the board's words: deployments with their status history, deploy
//! workflows in flight, drift between environments. Pure functions, tested on the official
//! example shapes.

use chrono::{DateTime, Duration, Utc};

use super::dto::{CompareDto, DeploymentDto, RunDto, StatusDto, StatusState};
use crate::model::{CommitSummary, DeployStatus, Deployment, Drift, StatusChange};

/// A deployment with no status at all after this long never started: shown as cancelled.
const NEVER_STARTED_AFTER: Duration = Duration::hours(1);

/// Whose deployment it is on the board.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub source: &'a str,
    pub repository: &'a str,
    pub service: &'a str,
    /// The board's environment name (not GitHub's).
    pub environment: &'a str,
}

/// The version a deployment shows: `payload.version` when the deploy names one, else its ref
/// when that looks like a version tag (`v1.42.0`, `2026.11.3`), else the commit sha.
pub fn version_of(d: &DeploymentDto) -> String {
    if let Some(v) = d.payload.get("version").and_then(|v| v.as_str())
        && !v.trim().is_empty()
    {
        return v.trim().to_string();
    }
    let r = d.git_ref.strip_prefix("refs/tags/").unwrap_or(&d.git_ref);
    let bare = r.strip_prefix('v').unwrap_or(r);
    if bare.starts_with(|c: char| c.is_ascii_digit()) && bare.contains('.') {
        return r.to_string();
    }
    d.sha.clone()
}

fn deploy_status(state: StatusState, succeeded_before: bool) -> DeployStatus {
    match state {
        StatusState::Queued | StatusState::Pending => DeployStatus::Queued,
        StatusState::InProgress => DeployStatus::InProgress,
        StatusState::Success => DeployStatus::Succeeded,
        StatusState::Failure | StatusState::Error => DeployStatus::Failed,
        // Inactive: superseded by a later deploy. It ran if it had succeeded; otherwise it
        // was dropped before it finished.
        StatusState::Inactive if succeeded_before => DeployStatus::Succeeded,
        StatusState::Inactive => DeployStatus::Cancelled,
    }
}

fn state_word(state: StatusState) -> &'static str {
    match state {
        StatusState::Error => "error",
        StatusState::Failure => "failure",
        StatusState::Inactive => "inactive (superseded)",
        StatusState::Pending => "pending",
        StatusState::Success => "success",
        StatusState::Queued => "queued",
        StatusState::InProgress => "in progress",
    }
}

/// One GitHub deployment and its statuses (newest first, as GitHub lists them) as the board
/// sees it: `queued`/`pending`/`in_progress` are in flight, `failure`/`error` failed,
/// `success` succeeded, and `inactive` marks a superseded one (succeeded if it ever did).
pub fn deployment(
    place: Place<'_>,
    d: &DeploymentDto,
    statuses: &[StatusDto],
    now: DateTime<Utc>,
) -> Deployment {
    let mut history = Vec::with_capacity(statuses.len());
    let mut succeeded = false;
    for s in statuses.iter().rev() {
        let status = deploy_status(s.state, succeeded);
        succeeded |= s.state == StatusState::Success;
        let note = match s.description.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => format!("{}: {text}", state_word(s.state)),
            _ => state_word(s.state).to_string(),
        };
        history.push(StatusChange {
            at: s.created_at,
            status,
            note,
        });
    }
    let latest = statuses.first();
    let (status, finished_at) = match latest {
        None if now - d.created_at > NEVER_STARTED_AFTER => {
            (DeployStatus::Cancelled, Some(d.created_at))
        }
        None => (DeployStatus::Queued, None),
        Some(s) => {
            let status = deploy_status(s.state, succeeded);
            let finished = match (s.state, status) {
                (_, st) if st.is_in_flight() => None,
                // A superseded deploy finished when it succeeded, not when it was replaced.
                (StatusState::Inactive, DeployStatus::Succeeded) => statuses
                    .iter()
                    .find(|x| x.state == StatusState::Success)
                    .map(|x| x.created_at),
                _ => Some(s.created_at),
            };
            (status, finished)
        }
    };
    let stage = latest
        .filter(|_| status.is_in_flight())
        .and_then(|s| s.description.as_deref())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(24).collect::<String>());
    let description = d
        .description
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(first_line)
        .unwrap_or_else(|| format!("{} {}", d.task, d.git_ref));
    Deployment {
        id: format!("{}#{}", place.repository, d.id),
        service: place.service.to_string(),
        environment: place.environment.to_string(),
        version: version_of(d),
        commit: d.sha.clone(),
        author: d
            .creator
            .as_ref()
            .map_or_else(|| "unknown".to_string(), |u| u.login.clone()),
        description,
        started_at: d.created_at,
        finished_at,
        status,
        stage,
        progress: None,
        history,
        url: latest.and_then(|s| s.log_url.clone().or_else(|| s.target_url.clone())),
        source: place.source.to_string(),
    }
}

/// Whether a run belongs to a deploy workflow: one named in `deploy_workflows` (by name or
/// file), or, when none is named, one with "deploy" in its name or file.
pub fn is_deploy_run(run: &RunDto, deploy_workflows: &[String]) -> bool {
    let name = run.name.as_deref().unwrap_or("");
    let file = run.workflow_file();
    if deploy_workflows.is_empty() {
        return name.to_lowercase().contains("deploy") || file.to_lowercase().contains("deploy");
    }
    deploy_workflows
        .iter()
        .any(|w| w.eq_ignore_ascii_case(name) || w.eq_ignore_ascii_case(file))
}

/// The environment a deploy run goes to: the one (board name or GitHub target) its title,
/// workflow name or branch names as a word; the longest name wins (`production` over `prod`).
pub fn run_environment<'a>(run: &RunDto, environments: &'a [(String, String)]) -> Option<&'a str> {
    let text = format!(
        "{} {} {}",
        run.display_title,
        run.name.as_deref().unwrap_or(""),
        run.head_branch.as_deref().unwrap_or("")
    )
    .to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    environments
        .iter()
        .flat_map(|(env, target)| [(env, env), (env, target)])
        .filter(|(_, name)| words.contains(&name.to_lowercase().as_str()))
        .max_by_key(|(_, name)| name.len())
        .map(|(env, _)| env.as_str())
}

/// A deploy workflow run still going, as a deployment in flight.
pub fn deploy_run(place: Place<'_>, run: &RunDto) -> Deployment {
    let status = match run.status.as_deref() {
        Some("in_progress") => DeployStatus::InProgress,
        _ => DeployStatus::Queued,
    };
    let started_at = run.run_started_at.unwrap_or(run.created_at);
    Deployment {
        id: format!("{}#run-{}", place.repository, run.id),
        service: place.service.to_string(),
        environment: place.environment.to_string(),
        version: run.head_sha.clone(),
        commit: run.head_sha.clone(),
        author: run
            .actor
            .as_ref()
            .map_or_else(|| "unknown".to_string(), |u| u.login.clone()),
        description: first_line(&run.display_title),
        started_at,
        finished_at: None,
        status,
        stage: Some(
            run.name
                .clone()
                .unwrap_or_else(|| run.workflow_file().to_string()),
        ),
        progress: None,
        history: vec![StatusChange {
            at: started_at,
            status,
            note: format!("workflow run #{}", run.run_number),
        }],
        url: Some(run.html_url.clone()),
        source: place.source.to_string(),
    }
}

/// How far `environment` (the comparison's base) lags the one it follows (the head): the
/// commits the head has that the base lacks, newest first.
pub fn drift(service: &str, environment: &str, compare: &CompareDto) -> Drift {
    Drift {
        service: service.to_string(),
        environment: environment.to_string(),
        behind: compare.ahead_by,
        commits: compare
            .commits
            .iter()
            .rev()
            .map(|c| CommitSummary {
                sha: c.sha.clone(),
                author: c
                    .author
                    .as_ref()
                    .and_then(|a| a.login.clone())
                    .or_else(|| c.commit.author.as_ref().map(|a| a.name.clone()))
                    .unwrap_or_else(|| "unknown".to_string()),
                message: first_line(&c.commit.message),
            })
            .collect(),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn example<T: serde::de::DeserializeOwned>(name: &str) -> T {
        let path = format!(
            "{}/tests/fixtures/github/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    const PLACE: Place<'static> = Place {
        source: "github",
        repository: "octocat/example",
        service: "example",
        environment: "production",
    };

    fn status(state: StatusState, minute: u32) -> StatusDto {
        let mut s: Vec<StatusDto> = example("get_deployments_deployment_id_statuses_200.json");
        let mut s = s.remove(0);
        s.state = state;
        s.created_at = Utc
            .with_ymd_and_hms(2012, 7, 20, 1, minute, 0)
            .single()
            .unwrap();
        s
    }

    #[test]
    fn the_official_deployment_with_a_success_status_is_a_succeeded_deploy_of_its_sha() {
        let d: Vec<DeploymentDto> = example("get_deployments_200.json");
        let s: Vec<StatusDto> = example("get_deployments_deployment_id_statuses_200.json");
        let now = Utc.with_ymd_and_hms(2012, 7, 21, 0, 0, 0).single().unwrap();
        let dep = deployment(PLACE, &d[0], &s, now);
        assert_eq!(dep.status, DeployStatus::Succeeded);
        assert_eq!(dep.version, "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d");
        assert_eq!(dep.author, "octocat");
        assert_eq!(dep.id, "octocat/example#1");
        assert_eq!(dep.description, "Deploy request from hubot");
        assert_eq!(dep.finished_at, Some(s[0].created_at));
        assert_eq!(
            dep.url.as_deref(),
            Some("https://example.com/deployment/42/output")
        );
    }

    #[test]
    fn queued_and_in_progress_are_in_flight_failure_and_error_failed_inactive_superseded() {
        let d: Vec<DeploymentDto> = example("get_deployments_200.json");
        let now = d[0].created_at + Duration::minutes(5);
        let of = |states: &[(StatusState, u32)]| {
            let statuses: Vec<StatusDto> = states.iter().map(|(s, m)| status(*s, *m)).collect();
            deployment(PLACE, &d[0], &statuses, now).status
        };
        use StatusState::*;
        assert_eq!(of(&[(Queued, 1)]), DeployStatus::Queued);
        assert_eq!(
            of(&[(InProgress, 2), (Queued, 1)]),
            DeployStatus::InProgress
        );
        assert_eq!(of(&[(Failure, 3), (InProgress, 2)]), DeployStatus::Failed);
        assert_eq!(of(&[(Error, 3)]), DeployStatus::Failed);
        assert_eq!(of(&[(Inactive, 9), (Success, 3)]), DeployStatus::Succeeded);
        assert_eq!(of(&[(Inactive, 9), (Queued, 1)]), DeployStatus::Cancelled);
        assert_eq!(of(&[]), DeployStatus::Queued, "just created");
        let later = deployment(PLACE, &d[0], &[], d[0].created_at + Duration::hours(2));
        assert_eq!(later.status, DeployStatus::Cancelled, "never started");
    }

    #[test]
    fn a_version_tag_or_payload_version_is_shown_instead_of_the_sha() {
        let mut d: Vec<DeploymentDto> = example("get_deployments_200.json");
        let d = &mut d[0];
        assert_eq!(version_of(d), d.sha, "topic-branch is no version");
        d.git_ref = "v1.42.0".into();
        assert_eq!(version_of(d), "v1.42.0");
        d.payload = serde_json::json!({"version": "2026.11.3"});
        assert_eq!(version_of(d), "2026.11.3");
    }

    #[test]
    fn the_official_comparison_gives_the_commits_behind_newest_first() {
        let c: CompareDto = example("get_compare_basehead_200.json");
        let drift = drift("example", "production", &c);
        assert_eq!(drift.behind, 1);
        assert_eq!(drift.commits[0].author, "octocat");
        assert_eq!(drift.commits[0].message, "Fix all the bugs");
    }

    #[test]
    fn deploy_runs_are_recognised_and_placed_by_the_environment_their_title_names() {
        let runs: super::super::dto::RunsDto = example("get_actions_runs_200.json");
        let mut run = runs.workflow_runs[0].clone();
        assert!(!is_deploy_run(&run, &[]), "Build is no deploy");
        assert!(is_deploy_run(&run, &["build.yml".into()]));
        run.name = Some("Deploy".into());
        run.display_title = "Deploy v1.2 to production".into();
        assert!(is_deploy_run(&run, &[]));
        let envs = vec![
            ("staging".to_string(), "stg".to_string()),
            ("production".to_string(), "prod".to_string()),
        ];
        assert_eq!(run_environment(&run, &envs), Some("production"));
        run.display_title = "Deploy to stg".into();
        assert_eq!(run_environment(&run, &envs), Some("staging"));
        run.display_title = "Deploy".into();
        run.head_branch = Some("main".into());
        assert_eq!(run_environment(&run, &envs), None);
        let d = deploy_run(PLACE, &runs.workflow_runs[0]);
        assert_eq!(d.status, DeployStatus::Queued);
        assert_eq!(d.stage.as_deref(), Some("Build"));
    }
}
