//! The demo's simulated deploy tool takes promotions through the source trait's `act`: a
//! promotion queues a deploy of what runs in the environment before, by whoever asked, shown
//! in flight by the next poll; a busy, locked or up-to-date cell is refused and nothing
//! changes; the actions it has no such thing for are not supported.
#![allow(clippy::expect_used, clippy::unwrap_used)]
mod common;

use std::collections::BTreeSet;

use chrono::Duration;

use shiproom::config::Config;
use shiproom::model::{ActionError, ActionId, DeployStatus, SourceAction};
use shiproom::sources::demo::DemoSource;
use shiproom::sources::{ActionRequest, BuildContext, Source, build};

fn demo() -> (Config, DemoSource) {
    let config = Config::demo().unwrap();
    let spec = config.spec_of("demo").unwrap();
    let source = DemoSource::from_spec(&spec, common::t0()).unwrap();
    (config, source)
}

fn promote(service: &str, environment: &str) -> SourceAction {
    SourceAction::Promote {
        service: service.into(),
        environment: environment.into(),
        version: None,
    }
}

/// The steady environments after the first: what a promotion deploys into.
fn promotable(config: &Config) -> Vec<String> {
    let steady: Vec<String> = (config.catalog.environments.iter())
        .filter(|e| !e.ephemeral)
        .map(|e| e.name.clone())
        .collect();
    steady[1..].to_vec()
}

#[test]
fn a_promotion_queues_a_deploy_by_who_asked_and_the_next_poll_shows_it_in_flight() {
    let (config, mut demo) = demo();
    let at = common::t0();
    let snapshot = demo.poll(at).unwrap();
    let busy: BTreeSet<(String, String)> = (snapshot.deployments.iter())
        .filter(|d| d.status.is_in_flight())
        .map(|d| (d.service.clone(), d.environment.clone()))
        .collect();
    let mut queued = None;
    'find: for service in &config.catalog.services {
        for environment in promotable(&config) {
            if busy.contains(&(service.name.clone(), environment.clone())) {
                continue;
            }
            if let Ok(done) = demo.act(&promote(&service.name, &environment), "alice", at) {
                queued = Some((service.name.clone(), environment, done));
                break 'find;
            }
        }
    }
    let (service, environment, done) = queued.expect("some cell has something to promote");
    assert!(done.starts_with("queued demo-"), "{done}");
    let id = done
        .trim_start_matches("queued ")
        .split(':')
        .next()
        .unwrap()
        .to_string();
    let after = demo.poll(at).unwrap();
    let deploy = (after.deployments.iter())
        .find(|d| d.id == id)
        .expect("the queued deploy is reported");
    assert_eq!(
        (&deploy.service, &deploy.environment),
        (&service, &environment)
    );
    assert_eq!(deploy.status, DeployStatus::Queued);
    assert_eq!(deploy.author, "alice");

    let again = demo.act(&promote(&service, &environment), "bob", at);
    assert!(
        matches!(&again, Err(ActionError::Refused(why)) if why.contains(&format!("{id} is deploying"))),
        "a busy cell: {again:?}"
    );
    let later = demo.poll(at + Duration::minutes(5)).unwrap();
    let finished = later.deployments.iter().find(|d| d.id == id).unwrap();
    assert!(
        !finished.status.is_in_flight(),
        "it went through the simulation"
    );
}

#[test]
fn a_promotion_into_a_locked_cell_is_refused_and_nothing_is_queued() {
    let (config, mut demo) = demo();
    let production = config.catalog.environments.last().unwrap().name.clone();
    // The demo's change window closes production for 4 minutes in every 12.
    let at = (0..12 * 60)
        .map(|s| common::t0() + Duration::seconds(s))
        .find(|t| {
            let snapshot = demo.poll(*t).unwrap_or_default();
            snapshot
                .locks
                .iter()
                .any(|l| l.scope.environment() == production && l.scope.service().is_none())
        })
        .expect("the change window closes");
    let before = demo.poll(at).unwrap().deployments.len();
    let mut locked = 0;
    for service in &config.catalog.services {
        let result = demo.act(&promote(&service.name, &production), "alice", at);
        assert!(result.is_err(), "{}: {result:?}", service.name);
        if let Err(ActionError::Refused(why)) = &result
            && why.contains("locked")
        {
            assert_eq!(why, &format!("{} in {production} is locked", service.name));
            locked += 1;
        }
    }
    assert!(locked > 0, "the lock refused the promotions it met");
    assert_eq!(demo.poll(at).unwrap().deployments.len(), before);
}

#[test]
fn the_demo_refuses_what_it_cannot_and_cannot_do_what_it_has_no_such_thing_for() {
    let (config, mut demo) = demo();
    let at = common::t0();
    let first = config.catalog.environments[0].name.clone();
    for (action, says) in [
        (
            promote("nobody", "staging"),
            "refused: the demo fleet has no service `nobody`",
        ),
        (
            promote("checkout", "moon"),
            "refused: the demo fleet has no environment `moon`",
        ),
        (
            promote("checkout", &first),
            "takes branch builds: nothing is promoted into it",
        ),
        (
            SourceAction::Rollback {
                service: "checkout".into(),
                environment: "production".into(),
                version: None,
            },
            "not supported by this source: demo cannot roll back",
        ),
        (
            SourceAction::Approve {
                service: "checkout".into(),
                environment: "production".into(),
                deployment: "demo-1".into(),
            },
            "not supported by this source: demo cannot approve",
        ),
    ] {
        let error = demo.act(&action, "alice", at).unwrap_err();
        assert!(error.to_string().contains(says), "{error}");
    }
}

#[tokio::test]
async fn the_demo_built_from_the_registry_acts_through_the_trait() {
    let config = Config::demo().unwrap();
    let spec = config.spec_of("demo").unwrap();
    let mut source = build(&spec, &BuildContext::at(common::t0()));
    let request = ActionRequest {
        id: ActionId(1),
        action: SourceAction::Sync {
            service: "checkout".into(),
            environment: "production".into(),
        },
        by: "alice".into(),
        now: common::t0(),
    };
    assert_eq!(
        source.act(request).await,
        Err(ActionError::NotSupported {
            source: "demo".into(),
            verb: "sync"
        })
    );
}
