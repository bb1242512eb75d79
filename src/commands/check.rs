//! `shiproom check`: is the configuration valid, and is every source reachable and authorised?

use super::count;
use crate::config::Config;
use crate::locks::LockSetup;
use crate::sources::CheckLine;
use crate::state::Model;
use crate::text::one_line;

/// One line per source, then its details (per GitHub repository: reachable, authorised, the
/// environments found), the lock store and audit log, and whether all of them answered.
/// `details` is in source order and may be shorter than the sources.
pub fn report(
    config: &Config,
    model: &Model,
    details: &[Vec<CheckLine>],
    locks: &LockSetup,
) -> (String, bool) {
    let mut out = format!(
        "configuration: {} — ok ({}, {}, {})\n",
        one_line(&config.origin.label()),
        count(
            config.catalog.environments.len(),
            "environment",
            "environments"
        ),
        count(config.catalog.services.len(), "service", "services"),
        count(config.sources.len(), "source", "sources")
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
                    "✓ {} ({}): reachable and authorised — {} of {}\n",
                    one_line(&source.name),
                    source.kind.label(),
                    count(snapshot.deployments.len(), "deployment", "deployments"),
                    count(services.len(), "service", "services")
                ));
            }
            (Some(error), _) => {
                all_ok = false;
                out.push_str(&format!(
                    "✗ {} ({}): {}\n",
                    one_line(&source.name),
                    source.kind.label(),
                    one_line(&error.to_string())
                ));
            }
            (None, None) => {
                all_ok = false;
                out.push_str(&format!(
                    "✗ {} ({}): no answer\n",
                    one_line(&source.name),
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
    all_ok &= lock_store(&mut out, model, locks);
    (out, all_ok)
}

/// The lock store's lines: readable or not, its file and audit log, and whether other
/// configurations share them. Whether it is readable.
fn lock_store(out: &mut String, model: &Model, locks: &LockSetup) -> bool {
    let store = one_line(&model.manual_locks.store);
    let ok = match &model.manual_locks.error {
        None => {
            out.push_str(&format!(
                "✓ lock store ({store}): readable, {}\n",
                count(
                    model.manual_locks.locks.len(),
                    "manual lock",
                    "manual locks"
                )
            ));
            true
        }
        Some(error) => {
            out.push_str(&format!("✗ lock store ({store}): {}\n", one_line(error)));
            false
        }
    };
    out.push_str(&format!(
        "    store: {} ({}); audit log: {}\n",
        one_line(&locks.store.describe()),
        locks.sharing.label(),
        one_line(&locks.audit.path().display().to_string())
    ));
    if let Some(former) = &locks.former_store {
        out.push_str(&format!(
            "    note: {} (the store every configuration shared before) still exists; its locks do not apply here (set `locks.path` to it to use it)\n",
            one_line(&former.display().to_string())
        ));
    }
    ok
}
