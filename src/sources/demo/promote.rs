//! Promotions asked of the simulated deploy tool: queue a deploy into a cell, as a real tool
//! behind a `gate` would, and refuse a locked or busy cell, or one with nothing new to get.

use super::cells::deployment_id;
use super::fleet::DemoFleet;
use super::pipeline::Feed;

impl DemoFleet {
    /// Queues, at the simulation's clock, the deploy to `environment` of what its pipeline
    /// promotes there (what runs in the environment it follows, or the head of main) by
    /// `by`; `version`, when given, must be that. Says what was queued, or why nothing was.
    pub fn promote(
        &mut self,
        service: &str,
        environment: &str,
        version: Option<&str>,
        by: &str,
    ) -> Result<String, String> {
        let t = self.clock;
        let s = (self.services.iter().position(|n| n == service))
            .ok_or_else(|| format!("the demo fleet has no service `{service}`"))?;
        let e = (self.env_names.iter().position(|n| n == environment))
            .ok_or_else(|| format!("the demo fleet has no environment `{environment}`"))?;
        let (release, from) = match self.envs[e].feed {
            Feed::Promote(p) => (self.cells[s][p].running.clone(), self.env_names[p].clone()),
            Feed::Main => {
                let head = self.heads[s];
                (self.main_release(s, head).0, "main".to_string())
            }
            Feed::Branches => {
                return Err(format!(
                    "{environment} takes branch builds: nothing is promoted into it"
                ));
            }
        };
        let cell = &self.cells[s][e];
        if let Some(id) = cell.in_flight {
            return Err(format!(
                "{} is deploying {service} to {environment} now",
                deployment_id(id)
            ));
        }
        if cell.rollback_pending {
            return Err(format!(
                "a rollback of {service} in {environment} is due first"
            ));
        }
        if self.locked(s, e, t) {
            return Err(format!("{service} in {environment} is locked"));
        }
        if let Some(wanted) = version
            && wanted != release.version
        {
            return Err(format!(
                "{from} has {} of {service}, not {wanted}",
                release.version
            ));
        }
        if release.commit == cell.running.commit {
            return Err(format!(
                "{environment} already runs {} of {service}",
                release.version
            ));
        }
        let id = deployment_id(self.next_id);
        let what = format!(
            "{} of {service} from {from} to {environment}",
            release.version
        );
        self.start(s, e, release, by, None, t);
        Ok(format!("queued {id}: {what}"))
    }
}
