//! `shiproom check`: is the configuration valid, and is every source reachable and authorised?

use crate::config::Config;
use crate::model::TargetReport;
use crate::sources::CheckLine;
use crate::state::Model;

/// One line per source, then its details (per GitHub repository: reachable, authorised, the
/// environments found, and why polling it failed if it did), and whether all of them
/// answered. `details` is in source order and may be shorter than the sources.
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
                    (
                        "✗",
                        format!(
                            "{} of {} repositories failing",
                            failing.len(),
                            targets.len()
                        ),
                    )
                };
                out.push_str(&format!(
                    "{mark} {} ({}): {state} — {} deployments of {} services\n",
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
