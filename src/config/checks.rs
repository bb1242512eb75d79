//! Checks of what can never be right in a configuration, whatever the rest says: names and
//! the identity in plain text (no control characters: they are printed on every board and in
//! CI logs), no empty names or targets, and an etcd endpoint that is an http(s) URL with a
//! host. Each refusal is located like the parse errors.

use super::error::{ConfigError, locate, locate_text};
use super::schema::ConfigFile;
use crate::locks::LockStoreKind;
use crate::sources::http::origin::http_host;
use crate::text::{has_control, is_control_char, one_line};

/// Runs every check over the file as written.
pub fn check(raw: &ConfigFile, text: &str, file: &str) -> Result<(), ConfigError> {
    let at = |section: &str, value: &str, message: String| {
        // A value with control characters is not written as such in the file (YAML escapes
        // it): point at the line that holds its first plain part.
        let plain: String = value.chars().take_while(|c| !is_control_char(*c)).collect();
        let place = if has_control(value) {
            locate_text(text, section, plain.trim())
        } else {
            locate(text, section, value)
        };
        ConfigError::at(file, place, message)
    };
    let plain = |section: &str, field: &str, value: &str, what: &str| {
        if has_control(value) {
            return Err(at(
                section,
                value,
                format!(
                    "{field}: `{}` holds a control character (a line break, tab, escape or direction override): {what} is shown on every board and in CI logs, so write it in plain text",
                    one_line(value)
                ),
            ));
        }
        Ok(())
    };
    let named = |section: &str, field: &str, value: &str, what: &str| {
        if value.trim().is_empty() {
            return Err(at(
                section,
                "name",
                format!("{field} is empty: give {what} a name"),
            ));
        }
        plain(section, field, value, what)
    };

    if let Some(identity) = &raw.identity {
        plain("identity", "identity", identity, "who you are")?;
    }
    for (i, env) in raw.environments.iter().enumerate() {
        named(
            "environments",
            &format!("environments[{i}].name"),
            &env.name,
            "an environment",
        )?;
    }
    for (i, service) in raw.services.iter().enumerate() {
        named(
            "services",
            &format!("services[{i}].name"),
            &service.name,
            "a service",
        )?;
        plain(
            "services",
            &format!("services[{i}].team"),
            &service.team,
            "a team",
        )?;
        if let Some(repository) = &service.repository {
            plain(
                "services",
                &format!("services[{i}].repository"),
                repository,
                "a repository",
            )?;
        }
        for (env, target) in &service.environments {
            let field = format!("services[{i}].environments.{env}");
            plain("services", &field, env, "an environment")?;
            if let Some(name) = &target.target {
                if name.trim().is_empty() {
                    return Err(at(
                        "services",
                        "target",
                        format!(
                            "{field}.target is empty (leave it out to use the environment's name, `{env}`)"
                        ),
                    ));
                }
                plain("services", &format!("{field}.target"), name, "a target")?;
            }
        }
    }
    for (i, source) in raw.sources.iter().enumerate() {
        named(
            "sources",
            &format!("sources[{i}].name"),
            &source.name,
            "a source",
        )?;
    }
    for (i, freeze) in raw.freezes.iter().enumerate() {
        plain(
            "freezes",
            &format!("freezes[{i}].name"),
            &freeze.name,
            "a freeze",
        )?;
        plain(
            "freezes",
            &format!("freezes[{i}].reason"),
            &freeze.reason,
            "its reason",
        )?;
    }
    if raw.locks.store == LockStoreKind::Etcd
        && let Some(endpoint) = &raw.locks.endpoint
        && http_host(endpoint).is_none()
    {
        return Err(at(
            "locks",
            endpoint,
            format!(
                "locks.endpoint: `{}` is not an http(s) URL with a host (expected e.g. `http://127.0.0.1:2379` or `https://etcd.internal:2379`)",
                one_line(endpoint)
            ),
        ));
    }
    Ok(())
}
