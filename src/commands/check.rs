//! `shiproom check`: is the configuration valid, and is every source reachable and authorised?

use crate::config::Config;
use crate::state::Model;

/// One line per source, and whether all of them answered.
pub fn report(config: &Config, model: &Model) -> (String, bool) {
    let mut out = format!(
        "configuration: {} — ok ({} environments, {} services, {} sources)\n",
        config.origin.label(),
        config.catalog.environments.len(),
        config.catalog.services.len(),
        config.sources.len()
    );
    let mut all_ok = true;
    for source in &model.sources {
        match (&source.error, &source.snapshot) {
            (None, Some(snapshot)) => {
                let services: std::collections::BTreeSet<&str> = snapshot
                    .deployments
                    .iter()
                    .map(|d| d.service.as_str())
                    .collect();
                out.push_str(&format!(
                    "✓ {} ({}): reachable and authorised — {} deployments of {} services\n",
                    source.name,
                    source.kind.label(),
                    snapshot.deployments.len(),
                    services.len()
                ));
            }
            (Some(error), _) => {
                all_ok = false;
                out.push_str(&format!(
                    "✗ {} ({}): {error}\n",
                    source.name,
                    source.kind.label()
                ));
            }
            (None, None) => {
                all_ok = false;
                out.push_str(&format!(
                    "✗ {} ({}): no answer\n",
                    source.name,
                    source.kind.label()
                ));
            }
        }
    }
    (out, all_ok)
}
