//! GitHub as a kind of source: registered as `github`, polled every minute by default, each
//! service mapped to it needs its repository; `check` asks every repository.

use chrono::{DateTime, Utc};

use super::settings::{GithubSettings, is_repository};
use super::source::GithubSource;
use crate::model::{ActionError, ActionResult};
use crate::sources::{
    ActionRequest, BoxFuture, BuildContext, CheckLine, Kind, PollOutcome, Refusal, ServiceUse,
    Source, SourceSpec,
};
use crate::span::Span;

/// The `github` kind.
pub struct Github;

impl Kind for Github {
    const NAME: &'static str = "github";
    // 50 repositories × 3 environments at 60 s stay well inside GitHub's limits: see the
    // README's request budget.
    const DEFAULT_INTERVAL: Span = Span::seconds(60);
    const TARGETS: &'static str = "repositories";
    type Settings = GithubSettings;

    fn check(settings: &GithubSettings) -> Result<(), String> {
        settings.check()
    }

    fn check_service(service: &ServiceUse<'_>) -> Result<(), Refusal> {
        match service.repository {
            Some(repo) if is_repository(repo) => Ok(()),
            Some(repo) => Err(Refusal::Repository(format!(
                "`{repo}` is not `owner/name` (the GitHub repository, e.g. acme/checkout)"
            ))),
            None => Err(Refusal::Service(format!(
                "its {} deploys come from the github source `{}`, so it needs `repository: owner/name`",
                service.environment, service.source
            ))),
        }
    }

    fn build(
        settings: &GithubSettings,
        spec: &SourceSpec,
        _context: &BuildContext,
    ) -> Box<dyn Source> {
        Box::new(GithubSource::new(settings, spec))
    }
}

impl Source for GithubSource {
    fn poll(&mut self, now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        Box::pin(GithubSource::poll(self, now))
    }

    fn refresh(&mut self) {
        GithubSource::refresh(self);
    }

    fn check(&mut self, now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        Box::pin(super::check::check(self, now))
    }

    /// No GitHub action exists yet: promotions through the Deployments API come with their
    /// own issue, over the HTTP core's writes.
    fn act(&mut self, request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        let error = ActionError::NotSupported {
            source: self.name().to_string(),
            verb: request.action.verb(),
        };
        Box::pin(async move { Err(error) })
    }
}

impl GithubSource {
    /// The source `spec` describes; `None` when it is not a GitHub source.
    pub fn from_spec(spec: &SourceSpec) -> Option<GithubSource> {
        let settings = spec.settings.get::<Github>()?;
        Some(GithubSource::new(settings, spec))
    }
}
