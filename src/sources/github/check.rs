//! `shiproom check` for GitHub: per repository, is it reachable, is the token authorised, and
//! which environments does it have (the configured targets it lacks are named). One failing
//! repository never stops the others; the token is read once for all of them.

use chrono::{DateTime, Utc};

use super::dto::EnvironmentsDto;
use super::source::GithubSource;
use crate::sources::CheckLine;
use crate::sources::http::HttpError;

/// A warning line first when the token goes over plain http (allowed), then one line per
/// repository.
pub async fn check(source: &mut GithubSource, now: DateTime<Utc>) -> Vec<CheckLine> {
    let base = source.base_url().to_string();
    let plan = source.plan().to_vec();
    let http = match source.http() {
        Ok(http) => http,
        Err(e) => {
            return vec![CheckLine {
                ok: false,
                text: e,
                target: None,
            }];
        }
    };
    let credential = http.credential_name();
    let mut lines = Vec::new();
    if http.origin().is_insecure() {
        lines.push(CheckLine {
            ok: true,
            text: format!(
                "warning: the token goes over plain http:// to {} unencrypted (allow_insecure_http: true)",
                http.origin().host_port()
            ),
            target: None,
        });
    }
    http.begin_cycle();
    for repo in &plan {
        let repository = &repo.repository;
        let url = format!("{base}/repos/{repository}/environments?per_page=100");
        let mut names = Vec::new();
        let mut next = Some(url);
        let mut failed = None;
        let mut pages = 0;
        while let Some(url) = next.take() {
            if pages >= http.max_pages() {
                break;
            }
            pages += 1;
            let page = http.get::<EnvironmentsDto>(&url, "environments", now).await;
            match page.and_then(|page| {
                names.extend(page.value.environments.iter().map(|e| e.name.clone()));
                page.follow()
            }) {
                Ok(more) => next = more,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if let Some(error) = failed {
            let hint = match &error {
                HttpError::NotFound { .. } => {
                    " (check services[].repository, and that the token can see it)"
                }
                _ => "",
            };
            lines.push(CheckLine {
                ok: false,
                text: format!("{repository}: {}{hint}", error.detail(&credential)),
                target: Some(repository.clone()),
            });
            continue;
        }
        let wanted: Vec<&str> = repo
            .services
            .iter()
            .flat_map(|s| s.environments.iter().map(|(_, target)| target.as_str()))
            .collect();
        let missing: Vec<&str> = wanted
            .iter()
            .copied()
            .filter(|t| !names.iter().any(|n| n == t))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let found = if names.is_empty() {
            "no environments".to_string()
        } else {
            format!("environments: {}", names.join(", "))
        };
        let mut text = format!("{repository}: reachable, authorised; {found}");
        if !missing.is_empty() {
            text.push_str(&format!(
                "; not found: {} (deployments to them will not show; check `target:`)",
                missing.join(", ")
            ));
        }
        lines.push(CheckLine {
            ok: missing.is_empty(),
            text,
            target: Some(repository.clone()),
        });
    }
    http.end_cycle(false);
    lines
}
