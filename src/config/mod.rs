//! Configuration: where it is found, how it is read and checked, and what it resolves to.

mod checks;
mod error;
mod identity;
mod keymap;
mod schema;
mod sources;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use crate::locks::{LockStoreKind, LocksConfig};
pub use crate::sources::http::origin::http_host;
pub use crate::span::Span;
pub use error::{ConfigError, locate};
pub use keymap::{KeyList, KeyMap, KeySpec};
pub use schema::ConfigFile;
pub use sources::{KindName, SourceConfig, SourceHead};

use crate::locks::{Guard, LockSetup, Schedules, StoreOwner};
use crate::model::{Catalog, Environment, Service};
use crate::sources::{Refusal, ServiceUse, SourceSpec};

/// The built-in demo configuration, used when no configuration file is found or with `--demo`.
pub const DEMO_YAML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/config/demo.yaml"));

/// Where the configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigOrigin {
    File(PathBuf),
    BuiltInDemo,
}

impl ConfigOrigin {
    pub fn label(&self) -> String {
        match self {
            ConfigOrigin::File(path) => path.display().to_string(),
            ConfigOrigin::BuiltInDemo => "built-in demo (config/demo.yaml)".to_string(),
        }
    }
}

/// A checked configuration, ready to run.
#[derive(Debug, Clone)]
pub struct Config {
    pub origin: ConfigOrigin,
    /// The text it was read from, to point at a line in later errors (the theme name).
    pub text: String,
    pub identity: String,
    pub theme: Option<String>,
    pub age_step: Span,
    pub wall_rotate: Span,
    pub catalog: Catalog,
    pub sources: Vec<SourceConfig>,
    /// Deploy hours and freezes.
    pub schedules: Schedules,
    pub locks: LocksConfig,
    /// Nothing may be changed from here (`read_only: true`): a read-only configuration.
    pub read_only: bool,
    /// Environments whose locks are shown but not taken or lifted from here.
    pub view_only: BTreeSet<String>,
    /// Per service and environment: the source that reports it and its name there.
    pub targets: BTreeMap<(String, String), (String, String)>,
    pub keymap: KeyMap,
}

impl Config {
    /// Whether any source is simulated (the demo fleet): the board is then labelled DEMO.
    pub fn is_demo(&self) -> bool {
        self.sources.iter().any(|s| s.entry().simulated)
    }

    /// The source named `name`.
    pub fn source(&self, name: &str) -> Option<&SourceConfig> {
        self.sources.iter().find(|s| s.name == name)
    }

    /// (service, environment, name in the source) for every cell source `name` reports.
    pub fn targets_for(&self, name: &str) -> Vec<(String, String, String)> {
        self.targets
            .iter()
            .filter(|(_, (source, _))| source == name)
            .map(|((service, env), (_, target))| (service.clone(), env.clone(), target.clone()))
            .collect()
    }

    /// The part of the catalog that source `name` reports: the services mapped to it, and
    /// the services mapped to no source at all.
    pub fn catalog_for(&self, name: &str) -> Catalog {
        let services = (self.catalog.services.iter())
            .filter(|s| {
                let mut mapped = (self.targets.iter())
                    .filter(|((service, _), _)| *service == s.name)
                    .map(|(_, (source, _))| source.as_str())
                    .peekable();
                mapped.peek().is_none() || mapped.any(|source| source == name)
            })
            .cloned()
            .collect();
        Catalog {
            environments: self.catalog.environments.clone(),
            services,
            placements: self.catalog.placements.clone(),
        }
    }

    /// Everything needed to build `source`: its settings, interval and cells. A source that
    /// judges impact judges every cell's deploys, whichever source reports them: it gets the
    /// whole catalog and every cell's target.
    pub fn spec(&self, source: &SourceConfig) -> SourceSpec {
        let every = source.analyses_impact();
        SourceSpec {
            id: source.id.clone(),
            name: source.name.clone(),
            interval: source.interval.0,
            settings: source.settings.clone(),
            catalog: match every {
                true => self.catalog.clone(),
                false => self.catalog_for(&source.name),
            },
            targets: match every {
                true => (self.targets.iter())
                    .map(|((service, env), (_, target))| {
                        (service.clone(), env.clone(), target.clone())
                    })
                    .collect(),
                false => self.targets_for(&source.name),
            },
        }
    }

    /// The spec of the source named `name`.
    pub fn spec_of(&self, name: &str) -> Option<SourceSpec> {
        self.source(name).map(|s| self.spec(s))
    }

    /// The specs of every source, in configuration order.
    pub fn specs(&self) -> Vec<SourceSpec> {
        self.sources.iter().map(|s| self.spec(s)).collect()
    }

    /// What this configuration forbids: everything (`read_only: true`), or changing the
    /// locks of its view-only environments.
    pub fn guard(&self) -> Guard {
        Guard {
            read_only: self
                .read_only
                .then(|| "read-only configuration (`read_only: true`)".to_string()),
            view_only: self.view_only.clone(),
        }
    }

    /// The lock store and audit log this configuration asks for; its own default ones go in
    /// `data_dir` (the user's data directory).
    pub fn lock_setup(&self, data_dir: Option<&Path>) -> Result<LockSetup, String> {
        let owner = match &self.origin {
            ConfigOrigin::BuiltInDemo => StoreOwner::BuiltInDemo,
            ConfigOrigin::File(path) => StoreOwner::File(path.clone()),
        };
        crate::locks::setup(&self.locks, &owner, self.guard(), data_dir)
    }

    /// A located error about `value` in `section`.
    pub fn error_at(&self, section: &str, value: &str, message: impl Into<String>) -> ConfigError {
        ConfigError::at(
            &self.origin.label(),
            locate(&self.text, section, value),
            message,
        )
    }

    /// The built-in demo.
    pub fn demo() -> Result<Config, ConfigError> {
        parse(DEMO_YAML, ConfigOrigin::BuiltInDemo)
    }

    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::at(
                &path.display().to_string(),
                (0, 0),
                format!("cannot read the configuration: {e} (check the path given by --config or SHIPROOM_CONFIG)"),
            )
        })?;
        parse(&text, ConfigOrigin::File(path.to_path_buf()))
    }
}

/// Where to look for the configuration: `--config`, else `SHIPROOM_CONFIG`, else
/// `config.yaml` in the user's config directory if it exists. `None` means the demo.
pub fn find_config_file(
    cli: Option<&Path>,
    env: Option<&std::ffi::OsStr>,
    user_config_dir: Option<&Path>,
) -> Option<PathBuf> {
    if let Some(path) = cli {
        return Some(path.to_path_buf());
    }
    if let Some(path) = env.filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    user_config_dir
        .map(|dir| dir.join("config.yaml"))
        .filter(|p| p.is_file())
}

/// Parses and checks a configuration text.
pub fn parse(text: &str, origin: ConfigOrigin) -> Result<Config, ConfigError> {
    let file = origin.label();
    let raw: ConfigFile =
        serde_yaml::from_str(text).map_err(|e| ConfigError::from_yaml(&file, &e))?;
    let settings = sources::kind_settings(text, &raw.sources)
        .map_err(|e| ConfigError::from_yaml(&file, &e))?;
    let err = |section: &str, value: &str, message: String| {
        ConfigError::at(&file, locate(text, section, value), message)
    };
    checks::check(&raw, text, &file)?;

    if raw.environments.is_empty() {
        return Err(err(
            "environments",
            "",
            "`environments` is empty: list at least one environment, in pipeline order".into(),
        ));
    }
    let mut env_names = BTreeSet::new();
    for (i, env) in raw.environments.iter().enumerate() {
        if env.name.trim().is_empty() {
            return Err(err(
                "environments",
                "name",
                format!("environments[{i}].name is empty"),
            ));
        }
        if !env_names.insert(env.name.as_str()) {
            return Err(err(
                "environments",
                &env.name,
                format!("environments[{i}].name: `{}` is listed twice", env.name),
            ));
        }
        if let Some(follows) = &env.follows {
            let earlier = raw.environments[..i].iter().any(|e| &e.name == follows);
            if !earlier {
                return Err(err(
                    "environments",
                    follows,
                    format!(
                        "environments[{i}].follows: `{follows}` is not an environment listed before `{}` (expected one of: {})",
                        env.name,
                        raw.environments[..i]
                            .iter()
                            .map(|e| e.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }

    let mut source_names = BTreeSet::new();
    let mut configured = Vec::with_capacity(raw.sources.len());
    for (i, (head, settings)) in raw.sources.iter().zip(settings).enumerate() {
        if !source_names.insert(head.name.as_str()) {
            return Err(err(
                "sources",
                &head.name,
                format!("sources[{i}].name: `{}` is listed twice", head.name),
            ));
        }
        let source = SourceConfig::resolve(head, settings);
        check_source(&source).map_err(|m| {
            err(
                "sources",
                &head.name,
                format!("sources[{i}] (`{}`): {m}", head.name),
            )
        })?;
        configured.push(source);
    }
    if raw.sources.is_empty() {
        return Err(err("sources", "", "`sources` is empty: add at least one source (for example `- {name: demo, kind: demo}`)".into()));
    }

    let mut service_names = BTreeSet::new();
    let mut targets = BTreeMap::new();
    for (i, service) in raw.services.iter().enumerate() {
        if !service_names.insert(service.name.as_str()) {
            return Err(err(
                "services",
                &service.name,
                format!("services[{i}].name: `{}` is listed twice", service.name),
            ));
        }
        for (env, target) in &service.environments {
            if !env_names.contains(env.as_str()) {
                return Err(err(
                    "services",
                    env,
                    format!(
                        "services[{i}].environments: `{env}` is not a configured environment (expected one of: {})",
                        env_names.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            let source = match (&target.source, raw.sources.as_slice()) {
                (Some(name), _) if source_names.contains(name.as_str()) => name.clone(),
                (Some(name), _) => {
                    return Err(err(
                        "services",
                        name,
                        format!(
                            "services[{i}].environments.{env}.source: `{name}` is not a configured source (expected one of: {})",
                            source_names.iter().copied().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
                (None, [only]) => only.name.clone(),
                (None, _) => {
                    return Err(err(
                        "services",
                        env,
                        format!(
                            "services[{i}].environments.{env}: name its `source:` (there are several sources)"
                        ),
                    ));
                }
            };
            let kind = configured
                .iter()
                .find(|s| s.name == source)
                .map(|s| s.entry());
            let using = ServiceUse {
                service: &service.name,
                repository: service.repository.as_deref(),
                environment: env,
                source: &source,
            };
            match kind.map(|k| k.check_service(&using)) {
                Some(Err(Refusal::Repository(m))) => {
                    let repo = service.repository.as_deref().unwrap_or(&service.name);
                    return Err(err(
                        "services",
                        repo,
                        format!("services[{i}].repository: {m}"),
                    ));
                }
                Some(Err(Refusal::Service(m))) => {
                    return Err(err(
                        "services",
                        &service.name,
                        format!("services[{i}] (`{}`): {m}", service.name),
                    ));
                }
                _ => {}
            }
            let name = target.target.clone().unwrap_or_else(|| env.clone());
            targets.insert((service.name.clone(), env.clone()), (source, name));
        }
    }

    let names: Vec<&str> = raw.services.iter().map(|s| s.name.as_str()).collect();
    for (i, source) in configured.iter().enumerate() {
        if let Err((value, m)) = source.entry().check_services(&source.settings, &names) {
            return Err(err(
                "sources",
                &value,
                format!("sources[{i}] (`{}`): {m}", source.name),
            ));
        }
    }

    for (i, freeze) in raw.freezes.iter().enumerate() {
        if let Some(env) = freeze
            .environments
            .iter()
            .find(|e| !env_names.contains(e.as_str()))
        {
            return Err(err(
                "freezes",
                env,
                format!(
                    "freezes[{i}].environments: `{env}` is not a configured environment (expected one of: {})",
                    env_names.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    match raw.locks.store {
        LockStoreKind::Etcd if raw.locks.endpoint.is_none() => {
            return Err(err(
                "locks",
                "etcd",
                "locks: an `etcd` store needs `endpoint:` (e.g. `http://127.0.0.1:2379`)".into(),
            ));
        }
        LockStoreKind::File if raw.locks.endpoint.is_some() || raw.locks.prefix.is_some() => {
            return Err(err(
                "locks",
                "endpoint",
                "locks: `endpoint` and `prefix` are for `store: etcd` (this store is a file)"
                    .into(),
            ));
        }
        _ => {}
    }
    let schedules = Schedules {
        deploy_hours: raw
            .environments
            .iter()
            .filter_map(|e| {
                let tz = e.timezone.unwrap_or(raw.timezone).0;
                e.deploy_hours.clone().map(|h| (e.name.clone(), h, tz))
            })
            .collect(),
        freezes: raw.freezes.clone(),
        timezone: raw.timezone.0,
        environments: raw.environments.iter().map(|e| e.name.clone()).collect(),
    };

    let keymap = KeyMap::new(&raw.keys).map_err(|m| {
        let first = raw.keys.keys().next().map_or("", |a| a.name());
        err("keys", first, format!("keys: {m}"))
    })?;

    let catalog = Catalog {
        environments: raw
            .environments
            .iter()
            .map(|e| Environment {
                name: e.name.clone(),
                protected: e.protected,
                ephemeral: e.ephemeral,
                follows: e.follows.clone(),
            })
            .collect(),
        services: raw
            .services
            .iter()
            .map(|s| Service {
                name: s.name.clone(),
                team: s.team.clone(),
                repository: s.repository.clone(),
            })
            .collect(),
        placements: targets
            .iter()
            .map(|(cell, (source, _))| (cell.clone(), source.clone()))
            .collect(),
    };

    Ok(Config {
        origin,
        text: text.to_string(),
        identity: raw
            .identity
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(identity::default_identity),
        theme: raw.theme.clone(),
        age_step: raw.display.age_step.max(Span::seconds(1)),
        wall_rotate: raw.wall.rotate.max(Span::seconds(1)),
        catalog,
        sources: configured,
        schedules,
        locks: raw.locks,
        read_only: raw.read_only,
        view_only: raw
            .environments
            .iter()
            .filter(|e| e.view_only)
            .map(|e| e.name.clone())
            .collect(),
        targets,
        keymap,
    })
}

/// The checks of a source: its kind's, and an interval of at least a second.
fn check_source(source: &SourceConfig) -> Result<(), String> {
    source.entry().check(&source.settings)?;
    if source.interval < Span::seconds(1) {
        return Err(format!(
            "interval `{}` is too short (expected at least 1s)",
            source.interval
        ));
    }
    Ok(())
}
