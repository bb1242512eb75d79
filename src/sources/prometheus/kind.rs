//! Prometheus as a kind of source: registered as `prometheus`, polled every 30 s by default,
//! it judges the impact of every finished deploy, whichever source reported it. It reports no
//! deploys itself, so no service's environment may be mapped to it.

use chrono::{DateTime, Utc};

use super::settings::PrometheusSettings;
use super::source::PrometheusSource;
use crate::model::{ActionError, ActionResult, AnalysisRequest};
use crate::sources::{
    ActionRequest, BoxFuture, BuildContext, CheckLine, Kind, PollOutcome, Refusal, ServiceUse,
    Source, SourceSpec,
};
use crate::span::Span;

/// The `prometheus` kind.
pub struct Prometheus;

impl Kind for Prometheus {
    const NAME: &'static str = "prometheus";
    // A deploy's first judgement is due ten minutes after it finished; a poll that finds
    // nothing due sends nothing.
    const DEFAULT_INTERVAL: Span = Span::seconds(30);
    const ANALYSES_IMPACT: bool = true;
    const TARGETS: &'static str = "cells";
    type Settings = PrometheusSettings;

    fn check(settings: &PrometheusSettings) -> Result<(), String> {
        settings.check()
    }

    fn check_service(service: &ServiceUse<'_>) -> Result<(), Refusal> {
        Err(Refusal::Service(format!(
            "its {} deploys cannot come from `{}`: a prometheus source judges the impact of every deploy but reports none (name the source of its deploys, e.g. a github source)",
            service.environment, service.source
        )))
    }

    fn check_services(
        settings: &PrometheusSettings,
        services: &[&str],
    ) -> Result<(), (String, String)> {
        match settings.unknown_service(services) {
            Some(name) => Err((
                name.to_string(),
                format!(
                    "services.{name}: `{name}` is not a configured service (expected one of: {})",
                    services.join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    fn build(
        settings: &PrometheusSettings,
        spec: &SourceSpec,
        _context: &BuildContext,
    ) -> Box<dyn Source> {
        Box::new(PrometheusSource::new(settings, spec))
    }
}

impl Source for PrometheusSource {
    fn poll(&mut self, now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        Box::pin(PrometheusSource::poll(self, now))
    }

    fn refresh(&mut self) {
        PrometheusSource::refresh(self);
    }

    fn check(&mut self, now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        Box::pin(super::check::check(self, now))
    }

    /// Prometheus changes nothing in the world.
    fn act(&mut self, request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        let error = ActionError::NotSupported {
            source: self.name().to_string(),
            verb: request.action.verb(),
        };
        Box::pin(async move { Err(error) })
    }

    fn analyse(&mut self, request: AnalysisRequest) -> bool {
        PrometheusSource::analyse(self, request)
    }
}

impl PrometheusSource {
    /// The source `spec` describes; `None` when it is not a Prometheus source.
    pub fn from_spec(spec: &SourceSpec) -> Option<PrometheusSource> {
        let settings = spec.settings.get::<Prometheus>()?;
        Some(PrometheusSource::new(settings, spec))
    }
}
