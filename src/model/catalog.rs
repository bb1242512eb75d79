//! The catalog: the environments and services a board is made of, from the configuration.

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
}

impl Catalog {
    pub fn environment_index(&self, name: &str) -> Option<usize> {
        self.environments.iter().position(|e| e.name == name)
    }

    pub fn service_index(&self, name: &str) -> Option<usize> {
        self.services.iter().position(|s| s.name == name)
    }

    /// The environment `name` follows, if any: its `follows`, else the one before it.
    pub fn previous_environment(&self, name: &str) -> Option<&Environment> {
        let index = self.environment_index(name)?;
        match &self.environments[index].follows {
            Some(follows) => self.environments.iter().find(|e| &e.name == follows),
            None => index.checked_sub(1).map(|i| &self.environments[i]),
        }
    }
}
