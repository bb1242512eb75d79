//! The loop: one inbox of messages, drained then drawn once; effects run as tasks.

use std::sync::Arc;
use std::time::Duration;

use chrono::{FixedOffset, Utc};
use color_eyre::eyre::{Result, WrapErr};
use crossterm::event::Event;
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

use crate::config::Config;
use crate::effects::{Effects, spawn_lock_poller};
use crate::locks::LockSetup;
use crate::msg::{Effect, Msg};
use crate::sources::Actors;
use crate::state::{Drawn, Mode, Model, Ui};
use crate::theme::Theme;
use crate::tui::Tui;
use crate::ui::{self, Ctx};
use crate::update::update;

/// The shortest time between two frames: at most ~30 frames a second.
const FRAME_GAP: Duration = Duration::from_millis(33);

/// Runs the full-screen board until the operator quits.
pub async fn run(
    config: Config,
    mode: Mode,
    theme: Theme,
    offset: FixedOffset,
    locks: LockSetup,
) -> Result<()> {
    let (inbox, mut messages) = mpsc::channel::<Msg>(1024);
    let mut tui =
        Tui::enter().wrap_err("cannot set up the terminal (is this an interactive terminal?)")?;
    let (width, height) = tui.size().unwrap_or((80, 24));
    let mut model = Model::new(&config, mode, Utc::now());
    let mut ui = Ui {
        width,
        height,
        ..Ui::default()
    };
    // Draws a frame and tells update what the frame learned about the layout.
    let draw = |tui: &mut Tui, model: &mut Model, ui: &mut Ui| -> std::io::Result<()> {
        let ctx = Ctx {
            model,
            ui,
            theme: &theme,
            offset,
        };
        let mut drawn = Drawn::default();
        tui.draw(|frame| drawn = ui::view(frame, &ctx))?;
        update(model, ui, Msg::Drawn(drawn));
        Ok(())
    };
    draw(&mut tui, &mut model, &mut ui).wrap_err("cannot draw the first frame")?;

    spawn_input(inbox.clone());
    spawn_signals(inbox.clone());
    spawn_ticker(inbox.clone(), &model);
    model.manual_locks.store = locks.store.describe();
    let (publish_locks, locks_in_force) = tokio::sync::watch::channel(Vec::new());
    // One actor per source, each built by its kind's registry entry.
    let sources = Actors::spawn(config.specs(), inbox.clone(), locks_in_force);
    let effects = Effects {
        inbox: inbox.clone(),
        sources,
        refresh_locks: Arc::new(Notify::new()),
        locks: Arc::new(locks),
        identity: model.settings.identity.clone(),
    };
    spawn_lock_poller(
        effects.locks.clone(),
        inbox.clone(),
        effects.refresh_locks.clone(),
    );
    drop(inbox);

    let mut dirty = false;
    let mut last_draw = Instant::now();
    'run: loop {
        let first = if dirty {
            tokio::select! {
                msg = messages.recv() => msg,
                _ = tokio::time::sleep_until(last_draw + FRAME_GAP) => None,
            }
        } else {
            match messages.recv().await {
                Some(msg) => Some(msg),
                None => break,
            }
        };
        // One message, then whatever is already queued, then one draw.
        let mut next = first;
        while let Some(msg) = next {
            let resized = match msg {
                Msg::Resize(width, height) => Some((width, height)),
                _ => None,
            };
            let outcome = update(&mut model, &mut ui, msg);
            if let Some((width, height)) = resized {
                tui.resize(width, height)
                    .wrap_err("cannot take the terminal's new size")?;
            }
            dirty |= outcome.redraw;
            for effect in outcome.effects {
                if effect == Effect::Quit {
                    break 'run;
                }
                effects.run(effect);
            }
            next = messages.try_recv().ok();
        }
        // Sources that simulate a deploy tool respect every lock in force.
        publish_locks.send_if_modified(|locks| {
            let changed = *locks != model.board.locks;
            if changed {
                locks.clone_from(&model.board.locks);
            }
            changed
        });
        if dirty && last_draw.elapsed() >= FRAME_GAP {
            draw(&mut tui, &mut model, &mut ui).wrap_err("cannot draw")?;
            dirty = false;
            last_draw = Instant::now();
        }
    }
    effects.sources.stop_all();
    tracing::info!(
        frames = tui.frames_written,
        bytes = tui.bytes_written,
        "leaving the board"
    );
    Ok(())
}

/// Reads keys and resizes on a thread of its own (the read blocks) and sends them in.
fn spawn_input(inbox: mpsc::Sender<Msg>) {
    std::thread::spawn(move || {
        loop {
            let msg = match crossterm::event::read() {
                Ok(Event::Key(key)) => Msg::Key(key),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!(%e, "cannot read the terminal");
                    let _ = inbox.blocking_send(Msg::Shutdown);
                    return;
                }
            };
            if inbox.blocking_send(msg).is_err() {
                return;
            }
        }
    });
}

/// SIGTERM, SIGHUP, SIGINT and SIGQUIT leave the board cleanly, the terminal restored
/// (Ctrl-C and Ctrl-\\ arrive as keys in raw mode; these come from `kill` or a closed ssh).
fn spawn_signals(inbox: mpsc::Sender<Msg>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup), Ok(mut int), Ok(mut quit)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
            signal(SignalKind::quit()),
        ) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
            _ = int.recv() => {}
            _ = quit.recv() => {}
        }
        let _ = inbox.send(Msg::Shutdown).await;
    });
}

/// The clock: a tick at every whole multiple of the age step (and of the wall rotation), so
/// relative ages move together and an idle board wakes rarely.
fn spawn_ticker(inbox: mpsc::Sender<Msg>, model: &Model) {
    let mut period = model.settings.age_step.0.as_millis().max(1000) as i64;
    if model.settings.mode.wall {
        period = period.min(model.settings.wall_rotate.0.as_millis().max(1000) as i64);
    }
    tokio::spawn(async move {
        loop {
            let now_ms = Utc::now().timestamp_millis();
            let wait = period - now_ms.rem_euclid(period);
            tokio::time::sleep(Duration::from_millis(wait as u64 + 5)).await;
            if inbox.send(Msg::Tick(Utc::now())).await.is_err() {
                return;
            }
        }
    });
}
