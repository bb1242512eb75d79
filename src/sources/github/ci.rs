//! CI of one commit from its workflow runs: the latest run of each CI workflow (deploy
//! workflows left out) decides together: any failed → failed, any still going → running,
//! all cancelled → cancelled, else passed.

use super::convert::is_deploy_run;
use super::dto::RunDto;
use crate::model::{CheckStatus, CommitCheck};

/// The CI result of `commit` among `runs`, if any CI workflow ran on it.
pub fn check_of(commit: &str, runs: &[RunDto], deploy_workflows: &[String]) -> Option<CommitCheck> {
    let mut latest: Vec<&RunDto> = Vec::new();
    for run in runs
        .iter()
        .filter(|r| r.head_sha == commit && !is_deploy_run(r, deploy_workflows))
    {
        match latest.iter_mut().find(|l| l.workflow_id == run.workflow_id) {
            Some(l) if l.created_at < run.created_at => *l = run,
            Some(_) => {}
            None => latest.push(run),
        }
    }
    if latest.is_empty() {
        return None;
    }
    let status_of = |r: &RunDto| match (r.is_running(), r.conclusion.as_deref()) {
        (true, _) => CheckStatus::Running,
        (false, Some("success" | "skipped" | "neutral")) => CheckStatus::Passed,
        (false, Some("cancelled")) => CheckStatus::Cancelled,
        (false, _) => CheckStatus::Failed,
    };
    let deciding = latest
        .iter()
        .find(|r| status_of(r) == CheckStatus::Failed)
        .or_else(|| latest.iter().find(|r| status_of(r) == CheckStatus::Running))
        .or_else(|| latest.iter().find(|r| status_of(r) == CheckStatus::Passed))
        .or_else(|| latest.first())?;
    let mut names: Vec<String> = latest
        .iter()
        .map(|r| {
            r.name
                .clone()
                .unwrap_or_else(|| r.workflow_file().to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    Some(CommitCheck {
        commit: commit.to_string(),
        status: status_of(deciding),
        workflows: names.join(", "),
        url: Some(deciding.html_url.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::github::dto::RunsDto;

    #[test]
    fn a_failed_workflow_fails_the_commit_and_a_running_one_keeps_it_running() {
        let path = format!(
            "{}/tests/fixtures/github/get_actions_runs_200.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let runs: RunsDto = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let build = runs.workflow_runs[0].clone();
        let sha = build.head_sha.clone();
        assert_eq!(
            check_of(&sha, std::slice::from_ref(&build), &[])
                .unwrap()
                .status,
            CheckStatus::Running
        );
        let mut passed = build.clone();
        passed.status = Some("completed".into());
        passed.conclusion = Some("success".into());
        assert_eq!(
            check_of(&sha, &[passed.clone()], &[]).unwrap().status,
            CheckStatus::Passed
        );
        let mut lint = passed.clone();
        lint.workflow_id = 7;
        lint.name = Some("Lint".into());
        lint.conclusion = Some("failure".into());
        let check = check_of(&sha, &[passed, lint], &[]).unwrap();
        assert_eq!(check.status, CheckStatus::Failed);
        assert_eq!(check.workflows, "Build, Lint");
        assert!(check_of("0000", &[build], &[]).is_none());
    }
}
