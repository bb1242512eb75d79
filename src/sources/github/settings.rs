//! A GitHub source's own fields in `sources[]`, and what can never be right in them.

use serde::Deserialize;

use crate::sources::http::origin::http_host;
use crate::span::Span;

/// What a `github` source may say beside `name`, `kind` and `interval`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GithubSettings {
    /// The API's base URL (default `https://api.github.com`; GitHub Enterprise:
    /// `https://github.example.com/api/v3`).
    pub url: Option<String>,
    /// Whether the token may go over plain `http://` to a host that is not loopback
    /// (default false: such a source is refused; 127.0.0.1, ::1 and localhost need no leave).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Name of the environment variable that holds the token (never the token itself).
    pub token_env: Option<String>,
    /// A command that prints the token (`gh auth token`), run through `sh -c` when the token
    /// is first needed and again after a 401. Its output is never logged.
    pub token_command: Option<String>,
    /// Actions workflows (name or file, e.g. `Deploy` or `deploy.yml`) whose runs are deploys.
    /// Default: workflows with "deploy" in their name or file.
    pub deploy_workflows: Option<Vec<String>>,
    /// The share of the API's hourly quota this source may spend (default 0.25); polls slow
    /// down before it is spent.
    pub quota_share: Option<f64>,
    /// How long one request may take (default 10s).
    pub timeout: Option<Span>,
}

impl GithubSettings {
    /// Refuses what can never work: a url without a host, no token or two, a token written
    /// where its variable's name belongs, a share out of range, a timeout under a second.
    pub fn check(&self) -> Result<(), String> {
        if let Some(url) = &self.url
            && http_host(url).is_none()
        {
            return Err(format!(
                "url `{url}` is not an http(s) URL with a host (expected e.g. `https://api.github.com` or `https://github.example.com/api/v3`)"
            ));
        }
        match (&self.token_env, &self.token_command) {
            (None, None) => {
                return Err("a `github` source needs `token_env: GITHUB_TOKEN` (the name of the variable holding the token) or `token_command: \"gh auth token\"`".into());
            }
            (Some(_), Some(_)) => {
                return Err("give either `token_env` or `token_command`, not both".into());
            }
            (Some(name), None) if !is_env_name(name) => {
                return Err(format!(
                    "token_env `{}` is not an environment variable name (name the variable, e.g. GITHUB_TOKEN; never write the token itself here)",
                    if name.len() > 8 { "…" } else { name.as_str() }
                ));
            }
            (None, Some(command)) if command.trim().is_empty() => {
                return Err("token_command is empty (e.g. `gh auth token`)".into());
            }
            _ => {}
        }
        if let Some(share) = self.quota_share
            && !(share > 0.0 && share <= 1.0)
        {
            return Err(format!(
                "quota_share `{share}` is out of range (expected a share above 0 and at most 1, e.g. 0.25)"
            ));
        }
        if let Some(timeout) = self.timeout
            && timeout < Span::seconds(1)
        {
            return Err(format!(
                "timeout `{timeout}` is too short (expected at least 1s)"
            ));
        }
        Ok(())
    }
}

/// Whether `name` looks like an environment variable's name (and so not like a token).
fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit()
        && !name.starts_with("ghp_")
        && !name.starts_with("github_pat_")
}

/// `owner/name`, both parts non-empty, nothing else.
pub fn is_repository(text: &str) -> bool {
    let mut parts = text.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(owner), Some(name), None)
            if !owner.is_empty() && !name.is_empty() && !text.contains(char::is_whitespace)
    )
}
