//! Actions asked of the sources (promote, roll back, approve, sync): asked, the model keeps
//! them pending and an effect takes them to their source's actor; done or failed when the
//! actor answers with the action's id, and the status bar says so.

use super::{Outcome, notice, notice_error};
use crate::model::{ActionResult, ActionState, SourceAction, SourceId};
use crate::msg::Effect;
use crate::state::{Model, Ui};

/// Asks `source` to carry out `action`. Refused, with a notice and no effect, where nothing
/// may change the world (`--read-only`, `read_only: true`, the wall display).
pub fn ask(model: &mut Model, ui: &mut Ui, source: SourceId, action: SourceAction) -> Outcome {
    if model.settings.mode.read_only || model.settings.mode.wall {
        let text = format!("cannot {}: read-only here", action.describe());
        notice_error(model, ui, text);
        return Outcome::redraw();
    }
    notice(
        model,
        ui,
        format!("asked {source} to {}", action.describe()),
    );
    let id = model.actions.ask(source.clone(), action.clone(), model.now);
    Outcome::effect(Effect::Act { source, id, action })
}

/// Action `id` has finished: the model records how, the status bar says it.
pub(super) fn on_done(
    model: &mut Model,
    ui: &mut Ui,
    id: crate::model::ActionId,
    source: SourceId,
    result: ActionResult,
) -> Outcome {
    let Some(record) = model.actions.finish(id, result) else {
        tracing::warn!(action = %id, %source, "an answer to no pending action: ignored");
        return Outcome::default();
    };
    let what = record.action.describe();
    match record.state.clone() {
        ActionState::Done(done) => notice(model, ui, format!("{source}: {what}: {done}")),
        ActionState::Failed(error) => {
            notice_error(model, ui, format!("{source}: {what}: {error}"));
        }
        ActionState::Pending => return Outcome::default(),
    }
    Outcome::redraw()
}
