//! `shiproom check`: is the configuration valid, and is every source reachable and authorised?

use crate::config::Config;
use crate::sources::CheckLine;
use crate::state::Model;

/// One line per source, then its details (per GitHub repository: reachable, authorised, the
/// environments found), and whether all of them answered. `details` is in source order and
/// may be shorter than the sources.
pub fn report(config: &Config, model: &Model, details: &[Vec<CheckLine>]) -> (String, bool) {
    let mut out = format!(
        "configuration: {} — ok ({} environments, {} services, {} sources)\n",
        config.origin.label(),
        config.catalog.environments.len(),
        config.catalog.services.len(),
        config.sources.len()
    );
    let mut all_ok = true;
    for (index, source) in model.sources.iter().enumerate() {
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
        for line in details.get(index).into_iter().flatten() {
            all_ok &= line.ok;
            out.push_str(&format!(
                "    {} {}\n",
                if line.ok { "✓" } else { "✗" },
                line.text
            ));
        }
    }
    let store = &model.manual_locks.store;
    match &model.manual_locks.error {
        None => out.push_str(&format!(
            "✓ lock store ({store}): readable, {} manual locks\n",
            model.manual_locks.locks.len()
        )),
        Some(error) => {
            all_ok = false;
            out.push_str(&format!("✗ lock store ({store}): {error}\n"));
        }
    }
    (out, all_ok)
}
