//! The demo as a kind of source: registered as `demo`, polled every second, simulated (the
//! board says DEMO), and it reports locks of its own (its change window).

use chrono::{DateTime, Utc};

use super::settings::DemoSettings;
use super::source::DemoSource;
use crate::model::ActionResult;
use crate::sources::{
    ActionRequest, BoxFuture, BuildContext, CheckLine, Kind, PollOutcome, Reading, Source,
    SourceSpec,
};
use crate::span::Span;

/// The `demo` kind.
pub struct Demo;

impl Kind for Demo {
    const NAME: &'static str = "demo";
    const DEFAULT_INTERVAL: Span = Span::seconds(1);
    const REPORTS_LOCKS: bool = true;
    const SIMULATED: bool = true;
    type Settings = DemoSettings;

    fn build(
        settings: &DemoSettings,
        spec: &SourceSpec,
        context: &BuildContext,
    ) -> Box<dyn Source> {
        let source = DemoSource::new(settings, &spec.name, spec.catalog.clone(), context.now);
        Box::new(source.with_locks_in_force(context.locks.clone()))
    }
}

/// The simulated fleet is read as one target: its cells are as fresh as the source.
impl Source for DemoSource {
    fn poll(&mut self, now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        let result = DemoSource::poll(self, now).map(Reading::whole);
        Box::pin(async move { PollOutcome::of(result) })
    }

    fn check(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        Box::pin(async { Vec::new() })
    }

    fn act(&mut self, request: ActionRequest) -> BoxFuture<'_, ActionResult> {
        let result = DemoSource::act(self, &request.action, &request.by, request.now);
        Box::pin(async move { result })
    }
}

impl DemoSource {
    /// The demo source `spec` describes; `None` when it is not a demo source.
    pub fn from_spec(spec: &SourceSpec, now: DateTime<Utc>) -> Option<DemoSource> {
        let settings = spec.settings.get::<Demo>()?;
        Some(DemoSource::new(
            settings,
            &spec.name,
            spec.catalog.clone(),
            now,
        ))
    }
}
