//! Sources: one module per API. Each turns its API's answers into [`SourceSnapshot`]s; the
//! pollers here run each source as a task that reports into the app loop's inbox.

pub mod demo;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, mpsc};

use crate::config::{Config, SourceConfig, Span};
use crate::model::{Catalog, SourceError, SourceKind, SourceSnapshot};
use crate::msg::Msg;

/// How often a source of `kind` polls when its configuration does not say.
pub fn default_interval(kind: SourceKind) -> Span {
    match kind {
        SourceKind::Demo => Span::seconds(1),
    }
}

/// A configured source, ready to poll.
pub enum SourceRunner {
    Demo(demo::DemoSource),
}

impl SourceRunner {
    /// Builds the runner for one configured source. `catalog` holds the services it reports.
    pub fn new(config: &SourceConfig, catalog: Catalog, now: DateTime<Utc>) -> SourceRunner {
        match config.kind {
            SourceKind::Demo => SourceRunner::Demo(demo::DemoSource::new(config, catalog, now)),
        }
    }

    /// One poll: everything the source knows now, or why it could not say.
    pub async fn poll(&mut self, now: DateTime<Utc>) -> Result<SourceSnapshot, SourceError> {
        match self {
            SourceRunner::Demo(demo) => demo.poll(now),
        }
    }
}

/// The part of the catalog that source `name` reports: the services mapped to it, and the
/// services mapped to no source at all.
pub fn catalog_for(config: &Config, name: &str) -> Catalog {
    let services = config
        .catalog
        .services
        .iter()
        .filter(|s| {
            let mapped: Vec<&str> = config
                .targets
                .iter()
                .filter(|((service, _), _)| *service == s.name)
                .map(|(_, (source, _))| source.as_str())
                .collect();
            mapped.is_empty() || mapped.contains(&name)
        })
        .cloned()
        .collect();
    Catalog {
        environments: config.catalog.environments.clone(),
        services,
    }
}

/// Polls every configured source once, concurrently, and returns the reports in
/// configuration order. For `status` and `check`.
pub async fn poll_all_once(
    config: &Config,
    now: DateTime<Utc>,
) -> Vec<Result<SourceSnapshot, SourceError>> {
    let mut handles = Vec::new();
    for source in &config.sources {
        let catalog = catalog_for(config, &source.name);
        let source = source.clone();
        handles.push(tokio::task::spawn_blocking(move || {
            SourceRunner::new(&source, catalog, now)
        }));
    }
    let mut reports = Vec::new();
    for handle in handles {
        let report = match handle.await {
            Ok(mut runner) => runner.poll(now).await,
            Err(e) => Err(SourceError {
                reason: format!("source task failed: {e}"),
            }),
        };
        reports.push(report);
    }
    reports
}

/// Starts one polling task per source. Each polls, reports, then waits for its interval or
/// a refresh request, whichever comes first; it stops when the inbox closes.
pub fn spawn_pollers(config: &Config, inbox: mpsc::Sender<Msg>, refresh: Arc<Notify>) {
    for (index, source) in config.sources.iter().enumerate() {
        let catalog = catalog_for(config, &source.name);
        let source = source.clone();
        let inbox = inbox.clone();
        let refresh = refresh.clone();
        let interval = source.interval.unwrap_or(default_interval(source.kind)).0;
        tokio::spawn(async move {
            let built = tokio::task::spawn_blocking(move || {
                SourceRunner::new(&source, catalog, Utc::now())
            })
            .await;
            let Ok(mut runner) = built else {
                return;
            };
            loop {
                let at = Utc::now();
                let result = runner.poll(at).await;
                if inbox
                    .send(Msg::SourceReport { index, at, result })
                    .await
                    .is_err()
                {
                    return;
                }
                tokio::select! {
                    _ = tokio::time::sleep(interval.max(Duration::from_millis(200))) => {}
                    _ = refresh.notified() => {}
                }
            }
        });
    }
}
