//! What a rebuilt board asks of the world: an audit line for each lock breach newly found,
//! and an analysis of each deploy newly finished, from every source that judges impact.

use chrono::Duration;

use crate::model::{AnalysisRequest, DeploymentRef};
use crate::msg::Effect;
use crate::state::Model;

/// Deploys that finished longer ago than this are not sent for analysis: their after window
/// (an hour by default) has long closed without them.
const ANALYSE_WITHIN: Duration = Duration::hours(2);

/// The effects the last rebuilds call for.
pub(super) fn effects(model: &mut Model) -> Vec<Effect> {
    let mut out = breach_audits(model);
    out.extend(analyses(model));
    out
}

/// One audit entry for each lock breach the board has newly found.
fn breach_audits(model: &mut Model) -> Vec<Effect> {
    std::mem::take(&mut model.unaudited_breaches)
        .into_iter()
        .map(|b| {
            let d = &b.deployment;
            Effect::AuditBreach(crate::locks::AuditEntry {
                time: d.started_at,
                who: d.author.clone(),
                action: crate::locks::audit::BREACH.to_string(),
                scope: crate::model::LockScope::Service {
                    environment: d.environment.clone(),
                    service: d.service.clone(),
                }
                .label(),
                reason: format!(
                    "{} ({}) started while locked: {} by {} ({}): {}",
                    crate::state::breach_tag(&b.key()),
                    d.version,
                    b.lock.scope.label(),
                    b.lock.by,
                    b.lock.origin.label(),
                    b.lock.reason
                ),
                result: "breach".to_string(),
            })
        })
        .collect()
}

/// One analysis request per analysing source for each deploy on the board that finished
/// within [`ANALYSE_WITHIN`] and was not asked about yet; the deploys asked about are
/// remembered while they stay on the board.
fn analyses(model: &mut Model) -> Vec<Effect> {
    if model.settings.analysers.is_empty() {
        return Vec::new();
    }
    let now = model.now;
    let mut out = Vec::new();
    let on_board: std::collections::BTreeSet<(String, String)> = (model.board.recent.iter())
        .map(|(d, _)| (d.source.clone(), d.id.clone()))
        .collect();
    for (d, _) in &model.board.recent {
        let Some(finished) = d.finished_at else {
            continue;
        };
        let key = (d.source.clone(), d.id.clone());
        if now - finished > ANALYSE_WITHIN || model.analyses_asked.contains(&key) {
            continue;
        }
        let request = AnalysisRequest {
            service: d.service.clone(),
            environment: d.environment.clone(),
            deployment: DeploymentRef::Id {
                source: d.source.clone(),
                id: d.id.clone(),
            },
            commit: d.commit.clone(),
            status: d.status,
            started_at: d.started_at,
            finished_at: finished,
        };
        for source in &model.settings.analysers {
            out.push(Effect::Analyse {
                source: source.clone(),
                request: request.clone(),
            });
        }
        model.analyses_asked.insert(key);
    }
    model.analyses_asked.retain(|k| on_board.contains(k));
    out
}
