//! What a kind of source is to the rest of shiproom: its name, its own configuration fields,
//! its default interval, whether it reports locks, and how to build one. Each kind implements
//! [`Kind`] in its own folder; the registry (`registry.rs`) lists them.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use super::{BoxFuture, CheckLine, LocksInForce, PollOutcome, Source};
use crate::model::{ActionError, ActionResult, Catalog, SourceError, SourceId};
use crate::span::Span;

/// A kind of source, implemented once per folder under `src/sources/`.
pub trait Kind: 'static {
    /// As written in `kind:`.
    const NAME: &'static str;
    /// How often a source of this kind polls when its configuration does not say.
    const DEFAULT_INTERVAL: Span;
    /// Whether it reports locks of its own (provider windows), so that `locks` and `gate`
    /// must ask it; the others are not polled for those commands.
    const REPORTS_LOCKS: bool = false;
    /// Whether it is simulated: the board is then labelled DEMO.
    const SIMULATED: bool = false;
    /// Whether it judges deploys' impact: update then asks it to analyse each deploy that
    /// finishes, whichever source reported the deploy.
    const ANALYSES_IMPACT: bool = false;
    /// What its targets are called in messages: "repositories", "projects", "applications".
    const TARGETS: &'static str = "targets";
    /// Its own fields in `sources[]`, beside `name`, `kind` and `interval`. Read with
    /// `deny_unknown_fields`; a field of another kind is refused by name.
    type Settings: DeserializeOwned + fmt::Debug + Send + Sync + 'static;

    /// What can never be right in its fields, whatever the rest says (`Err`: what is wrong
    /// and what to write instead).
    fn check(_settings: &Self::Settings) -> Result<(), String> {
        Ok(())
    }

    /// Whether it can report `service`'s deploys in one environment (a GitHub source needs
    /// the service's repository).
    fn check_service(_service: &ServiceUse<'_>) -> Result<(), Refusal> {
        Ok(())
    }

    /// What cannot be right in its fields given the configured `services` (a field naming a
    /// service the configuration lacks): `Err((text to point at, what is wrong))`.
    fn check_services(
        _settings: &Self::Settings,
        _services: &[&str],
    ) -> Result<(), (String, String)> {
        Ok(())
    }

    /// A source of this kind, ready to poll.
    fn build(
        settings: &Self::Settings,
        spec: &SourceSpec,
        context: &BuildContext,
    ) -> Box<dyn Source>;
}

/// A service mapped to a source in one environment, for [`Kind::check_service`].
#[derive(Debug, Clone, Copy)]
pub struct ServiceUse<'a> {
    pub service: &'a str,
    pub repository: Option<&'a str>,
    pub environment: &'a str,
    pub source: &'a str,
}

/// Why a kind cannot report a service, and which value of the service to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The service's `repository` is wrong: the message follows `services[i].repository: `.
    Repository(String),
    /// Something the service lacks: the message follows `services[i] (`name`): `.
    Service(String),
}

/// A kind as the registry holds it: its constants and its functions, with its settings
/// type erased.
#[derive(Debug)]
pub struct KindEntry {
    pub name: &'static str,
    pub default_interval: Span,
    pub reports_locks: bool,
    pub simulated: bool,
    pub analyses_impact: bool,
    /// What its targets are called in messages.
    pub targets: &'static str,
    check: fn(&SourceSettings) -> Result<(), String>,
    check_service: fn(&ServiceUse<'_>) -> Result<(), Refusal>,
    check_services: CheckServices,
    build: fn(&SourceSpec, &BuildContext) -> Box<dyn Source>,
    fields: fn() -> &'static [&'static str],
}

impl KindEntry {
    /// The entry of kind `K`.
    pub const fn of<K: Kind>() -> KindEntry {
        KindEntry {
            name: K::NAME,
            default_interval: K::DEFAULT_INTERVAL,
            reports_locks: K::REPORTS_LOCKS,
            simulated: K::SIMULATED,
            analyses_impact: K::ANALYSES_IMPACT,
            targets: K::TARGETS,
            check: check_of::<K>,
            check_service: K::check_service,
            check_services: check_services_of::<K>,
            build: build_of::<K>,
            fields: super::probe::fields_of::<K::Settings>,
        }
    }

    /// [`Kind::check`] of `settings`.
    pub fn check(&self, settings: &SourceSettings) -> Result<(), String> {
        (self.check)(settings)
    }

    /// [`Kind::check_service`].
    pub fn check_service(&self, service: &ServiceUse<'_>) -> Result<(), Refusal> {
        (self.check_service)(service)
    }

    /// [`Kind::check_services`] of `settings`.
    pub fn check_services(
        &self,
        settings: &SourceSettings,
        services: &[&str],
    ) -> Result<(), (String, String)> {
        (self.check_services)(settings, services)
    }

    /// [`Kind::build`] of `spec`.
    pub fn build(&self, spec: &SourceSpec, context: &BuildContext) -> Box<dyn Source> {
        (self.build)(spec, context)
    }

    /// Its own fields, as its settings declare them.
    pub fn fields(&self) -> &'static [&'static str] {
        (self.fields)()
    }
}

fn check_of<K: Kind>(settings: &SourceSettings) -> Result<(), String> {
    match settings.get::<K>() {
        Some(settings) => K::check(settings),
        None => Err(format!(
            "these are not the fields of a `{}` source",
            K::NAME
        )),
    }
}

/// [`Kind::check_services`] with its settings type erased.
type CheckServices = fn(&SourceSettings, &[&str]) -> Result<(), (String, String)>;

fn check_services_of<K: Kind>(
    settings: &SourceSettings,
    services: &[&str],
) -> Result<(), (String, String)> {
    settings
        .get::<K>()
        .map_or(Ok(()), |settings| K::check_services(settings, services))
}

fn build_of<K: Kind>(spec: &SourceSpec, context: &BuildContext) -> Box<dyn Source> {
    match spec.settings.get::<K>() {
        Some(settings) => K::build(settings, spec, context),
        None => Box::new(Unbuilt(format!(
            "source `{}` was given the fields of a `{}` source, not of a `{}` one",
            spec.name,
            spec.settings.kind().name,
            K::NAME
        ))),
    }
}

/// The settings of one source as its kind parsed them, type erased; only that kind reads
/// them back ([`SourceSettings::get`]).
#[derive(Clone)]
pub struct SourceSettings {
    kind: &'static KindEntry,
    value: Arc<dyn AnySettings>,
}

/// A kind's settings, behind `Any` for the kind to get back.
trait AnySettings: Any + fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> AnySettings for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl SourceSettings {
    /// The settings `value` of a source of kind `kind` (the entry of `K`).
    pub fn new<K: Kind>(kind: &'static KindEntry, value: K::Settings) -> SourceSettings {
        SourceSettings {
            kind,
            value: Arc::new(value),
        }
    }

    /// The kind they belong to.
    pub fn kind(&self) -> &'static KindEntry {
        self.kind
    }

    /// The settings, when they are `K`'s.
    pub fn get<K: Kind>(&self) -> Option<&K::Settings> {
        if self.kind.name != K::NAME {
            return None;
        }
        (*self.value).as_any().downcast_ref::<K::Settings>()
    }
}

impl fmt::Debug for SourceSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.kind.name, self.value)
    }
}

/// Everything needed to build one source: who it is, how often it polls, its kind's
/// settings, and the cells it reports.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    pub id: SourceId,
    pub name: String,
    /// Resolved once, while the configuration was read: the configured one or the kind's.
    pub interval: Duration,
    pub settings: SourceSettings,
    /// The services it reports and the environments.
    pub catalog: Catalog,
    /// (service, environment, name in the source) for every cell it reports.
    pub targets: Vec<(String, String, String)>,
}

impl SourceSpec {
    /// Its kind's entry.
    pub fn kind(&self) -> &'static KindEntry {
        self.settings.kind()
    }
}

/// What the running program hands a source when it is built.
#[derive(Debug, Clone)]
pub struct BuildContext {
    /// The moment it starts (a simulation fills its history up to it).
    pub now: DateTime<Utc>,
    /// Every lock in force on the board: a source that simulates a deploy tool respects them.
    pub locks: LocksInForce,
}

impl BuildContext {
    /// At `now`, with no lock in force (the one-shot commands pass theirs).
    pub fn at(now: DateTime<Utc>) -> BuildContext {
        let (_, locks) = tokio::sync::watch::channel(Vec::new());
        BuildContext { now, locks }
    }
}

/// A source that could not be built: every poll says why.
struct Unbuilt(String);

impl Source for Unbuilt {
    fn poll(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, PollOutcome> {
        let error = SourceError {
            reason: self.0.clone(),
        };
        Box::pin(async move { PollOutcome::of(Err(error)) })
    }

    fn check(&mut self, _now: DateTime<Utc>) -> BoxFuture<'_, Vec<CheckLine>> {
        let line = CheckLine {
            ok: false,
            text: self.0.clone(),
            target: None,
        };
        Box::pin(async move { vec![line] })
    }

    fn act(&mut self, _request: super::ActionRequest) -> BoxFuture<'_, ActionResult> {
        let error = ActionError::Refused(self.0.clone());
        Box::pin(async move { Err(error) })
    }
}
