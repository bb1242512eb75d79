//! `shiproom check`: is the configuration valid, and is every source reachable and authorised?

use crate::config::Config;
use crate::locks::LockSetup;
use crate::model::TargetReport;
use crate::present::words::plural;
use crate::sources::CheckLine;
use crate::state::Model;
use crate::text::one_line;

/// One line per source, then its details (per target, e.g. per GitHub repository: reachable,
/// authorised, the environments found, and why polling it failed if it did), the lock store
/// and audit log, and whether all of them answered. `details` is in source order and may be
/// shorter than the sources.
pub fn report(
    config: &Config,
    model: &Model,
    details: &[Vec<CheckLine>],
    locks: &LockSetup,
) -> (String, bool) {
    let mut out = format!(
        "configuration: {} — ok ({}, {}, {})\n",
        one_line(&config.origin.label()),
        plural(
            config.catalog.environments.len(),
            "environment",
            "environments"
        ),
        plural(config.catalog.services.len(), "service", "services"),
        plural(config.sources.len(), "source", "sources")
    );
    let mut all_ok = true;
    for (index, source) in model.sources.iter().enumerate() {
        let targets: &[TargetReport] = source
            .snapshot
            .as_ref()
            .map_or(&[], |s| s.targets.as_slice());
        let failing: Vec<&TargetReport> = targets.iter().filter(|t| !t.is_ok()).collect();
        match (&source.error, &source.snapshot) {
            (None, Some(snapshot)) => {
                let services: std::collections::BTreeSet<&str> = snapshot
                    .deployments
                    .iter()
                    .map(|d| d.service.as_str())
                    .collect();
                let (mark, state) = if failing.is_empty() {
                    ("✓", "reachable and authorised".to_string())
                } else {
                    all_ok = false;
                    // Its kind names its targets: repositories, projects, applications.
                    let noun =
                        (config.source(&source.name)).map_or("targets", |s| s.entry().targets);
                    (
                        "✗",
                        format!("{} of {} {noun} failing", failing.len(), targets.len()),
                    )
                };
                out.push_str(&format!(
                    "{mark} {} ({}): {state} — {} of {}\n",
                    one_line(&source.name),
                    source.kind.label(),
                    plural(snapshot.deployments.len(), "deployment", "deployments"),
                    plural(services.len(), "service", "services")
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
        let lines = details.get(index).map_or(&[][..], Vec::as_slice);
        for line in lines {
            let polled = line
                .target
                .as_deref()
                .and_then(|t| failing.iter().find(|f| f.name == t))
                .and_then(|f| f.error.as_deref());
            let (ok, text) = match polled {
                Some(reason) if line.ok => (
                    false,
                    format!("{}; but polling it failed: {reason}", line.text),
                ),
                _ => (line.ok, line.text.clone()),
            };
            all_ok &= ok;
            out.push_str(&format!("    {} {text}\n", if ok { "✓" } else { "✗" }));
        }
        // Failing repositories that no detail line is about.
        for target in &failing {
            if !lines
                .iter()
                .any(|l| l.target.as_deref() == Some(&target.name))
            {
                let reason = target.error.as_deref().unwrap_or("failing");
                out.push_str(&format!("    ✗ {}: {reason}\n", target.name));
            }
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
                plural(
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
