//! The catalog: the environments and services a board is made of, from the configuration.

use std::collections::BTreeMap;

use serde::Serialize;

/// One stage of the deploy pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Environment {
    pub name: String,
    /// Actions here ask the operator to type the environment's name.
    pub protected: bool,
    /// On-demand dev or review environment: many, short-lived.
    pub ephemeral: bool,
    /// The environment this one takes its versions from; drift is counted against it.
    /// `None`: see [`Catalog::previous_environment`].
    pub follows: Option<String>,
}

/// A deployable unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub name: String,
    pub team: String,
    /// "owner/name" in the SCM, when known.
    pub repository: Option<String>,
}

/// The environments in pipeline order and the services, as configured.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalog {
    pub environments: Vec<Environment>,
    pub services: Vec<Service>,
    /// The source that reports each (service, environment) the configuration maps. A service
    /// with no mapping at all is reported by every source (the demo's way); a cell of a mapped
    /// service that is not mapped itself is tracked by no source.
    pub placements: BTreeMap<(String, String), String>,
}

/// The placements indexed for lookups without allocating: built once per board.
pub struct Placements<'a> {
    by_cell: std::collections::HashMap<(&'a str, &'a str), &'a str>,
    mapped: std::collections::HashSet<&'a str>,
}

impl<'a> Placements<'a> {
    pub fn of(catalog: &'a Catalog) -> Placements<'a> {
        let by_cell = (catalog.placements.iter())
            .map(|((s, e), source)| ((s.as_str(), e.as_str()), source.as_str()))
            .collect();
        let mapped = catalog.placements.keys().map(|(s, _)| s.as_str()).collect();
        Placements { by_cell, mapped }
    }

    /// The sources that report `service` in `environment`.
    pub fn coverage(&self, service: &str, environment: &str) -> Coverage<'a> {
        match self.by_cell.get(&(service, environment)) {
            Some(source) => Coverage::One(source),
            None if self.mapped.contains(service) => Coverage::Untracked,
            None => Coverage::Every,
        }
    }
}

/// Which sources report one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage<'a> {
    /// Every source (the service maps none of its environments).
    Every,
    /// The one source named.
    One(&'a str),
    /// None: the configuration maps other environments of the service, not this one.
    Untracked,
}

impl Catalog {
    pub fn environment_index(&self, name: &str) -> Option<usize> {
        self.environments.iter().position(|e| e.name == name)
    }

    pub fn service_index(&self, name: &str) -> Option<usize> {
        self.services.iter().position(|s| s.name == name)
    }

    /// The sources that report `service` in `environment`.
    pub fn coverage(&self, service: &str, environment: &str) -> Coverage<'_> {
        Placements::of(self).coverage(service, environment)
    }

    /// The environment `name` follows, which its drift is counted against: its `follows`, else
    /// the nearest steady (not ephemeral) environment before it. Ephemeral environments follow
    /// none unless configured to: they take branch builds, not promotions.
    pub fn previous_environment(&self, name: &str) -> Option<&Environment> {
        let index = self.environment_index(name)?;
        let env = &self.environments[index];
        match &env.follows {
            Some(follows) => self.environments.iter().find(|e| &e.name == follows),
            None if env.ephemeral => None,
            None => self.environments[..index]
                .iter()
                .rev()
                .find(|e| !e.ephemeral),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str, ephemeral: bool, follows: Option<&str>) -> Environment {
        Environment {
            name: name.into(),
            protected: false,
            ephemeral,
            follows: follows.map(str::to_string),
        }
    }

    #[test]
    fn drift_is_counted_against_the_nearest_steady_environment_before() {
        let catalog = Catalog {
            environments: vec![
                env("dev-1", true, None),
                env("dev-2", true, None),
                env("staging", false, None),
                env("canary", false, None),
                env("production", false, Some("staging")),
            ],
            ..Catalog::default()
        };
        let prev = |n: &str| catalog.previous_environment(n).map(|e| e.name.as_str());
        assert_eq!(prev("dev-1"), None);
        assert_eq!(prev("dev-2"), None, "ephemeral environments follow none");
        assert_eq!(
            prev("staging"),
            None,
            "the first steady environment follows none"
        );
        assert_eq!(prev("canary"), Some("staging"));
        assert_eq!(
            prev("production"),
            Some("staging"),
            "an explicit follows wins"
        );
    }
}
