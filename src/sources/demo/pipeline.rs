//! The pipeline as the demo plays it: what each environment is for and where its new
//! versions come from.

use crate::model::Catalog;

/// What an environment is for, which sets its stages and how failures are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ephemeral,
    Staging,
    Production,
}

/// Where an environment's new versions come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    /// Fresh main commits and branch builds.
    Branches,
    /// The head of main.
    Main,
    /// Whatever runs in that environment.
    Promote(usize),
}

/// One environment as the simulation plays it.
#[derive(Debug, Clone)]
pub struct Env {
    pub name: String,
    pub kind: Kind,
    pub feed: Feed,
    /// The environment drift is counted against.
    pub follows: Option<usize>,
    /// How often deploys pick it.
    pub weight: u64,
}

/// Plans the catalog's environments, in pipeline order: ephemeral ones take fresh commits
/// and branch builds, the first steady one takes the head of main, and every later steady one
/// promotes what runs in the environment it follows (or main, when that one is ephemeral).
pub fn plan(catalog: &Catalog) -> Vec<Env> {
    let first_steady = catalog.environments.iter().position(|e| !e.ephemeral);
    let count = catalog.environments.len();
    (catalog.environments.iter().enumerate())
        .map(|(i, e)| {
            let follows = catalog
                .previous_environment(&e.name)
                .and_then(|p| catalog.environment_index(&p.name))
                .filter(|&p| p != i);
            let feed = match follows {
                _ if e.ephemeral => Feed::Branches,
                _ if first_steady == Some(i) => Feed::Main,
                Some(p) if !catalog.environments[p].ephemeral => Feed::Promote(p),
                _ => Feed::Main,
            };
            let kind = match e.ephemeral {
                true => Kind::Ephemeral,
                false if e.protected || (i + 1 == count && i > 0) => Kind::Production,
                false => Kind::Staging,
            };
            let weight = if let Feed::Promote(_) = feed { 2 } else { 3 };
            let name = e.name.clone();
            Env {
                name,
                kind,
                feed,
                follows,
                weight,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Environment;

    fn env(name: &str, ephemeral: bool, follows: Option<&str>) -> Environment {
        Environment {
            name: name.into(),
            protected: false,
            ephemeral,
            follows: follows.map(str::to_string),
        }
    }

    fn planned(environments: Vec<Environment>) -> Vec<(Kind, Feed, Option<usize>)> {
        let catalog = Catalog {
            environments,
            ..Catalog::default()
        };
        plan(&catalog)
            .iter()
            .map(|e| (e.kind, e.feed, e.follows))
            .collect()
    }

    #[test]
    fn staging_takes_main_and_production_promotes_staging() {
        let envs = vec![
            env("dev-1", true, None),
            env("dev-2", true, None),
            env("staging", false, None),
            env("production", false, None),
        ];
        assert_eq!(
            planned(envs),
            vec![
                (Kind::Ephemeral, Feed::Branches, None),
                (Kind::Ephemeral, Feed::Branches, None),
                (Kind::Staging, Feed::Main, None),
                (Kind::Production, Feed::Promote(2), Some(2)),
            ]
        );
    }

    #[test]
    fn follows_picks_the_source_and_an_ephemeral_source_means_main() {
        let envs = vec![
            env("staging", false, None),
            env("pr", true, None),
            env("canary", false, Some("pr")),
            env("production", false, Some("staging")),
            env("self", false, Some("self")),
        ];
        assert_eq!(
            planned(envs),
            vec![
                (Kind::Staging, Feed::Main, None),
                (Kind::Ephemeral, Feed::Branches, None),
                (Kind::Staging, Feed::Main, Some(1)),
                (Kind::Staging, Feed::Promote(0), Some(0)),
                (Kind::Production, Feed::Main, None),
            ]
        );
    }
}
