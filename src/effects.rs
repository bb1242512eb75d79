//! Effects run as tasks: what update asks of the outside world (poll now, run an action,
//! take or lift a lock, write the audit log), each reporting back into the inbox as a
//! message. Polls and actions are routed to their source's actor, by the source's id.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{Notify, mpsc};

use crate::locks::{HISTORY, LockSetup, actions};
use crate::msg::{Effect, Msg};
use crate::sources::Actors;

/// Everything effects need, shared by the tasks they start.
#[derive(Clone)]
pub struct Effects {
    pub inbox: mpsc::Sender<Msg>,
    /// The running sources: polls and actions go to their actors.
    pub sources: Actors,
    pub refresh_locks: Arc<Notify>,
    pub locks: Arc<LockSetup>,
    pub identity: String,
}

impl Effects {
    /// Starts one effect. `Quit` is the loop's own business and is ignored here.
    pub fn run(&self, effect: Effect) {
        match effect {
            Effect::Quit => {}
            Effect::RefreshSources => self.sources.poll_all(),
            Effect::PollSource(source) => {
                if !self.sources.poll(&source) {
                    tracing::warn!(%source, "poll asked of a source that is not running");
                }
            }
            Effect::Act { source, id, action } => {
                let by = self.identity.clone();
                if let Err(error) = self.sources.act(&source, id, action, by) {
                    // Nothing was sent: the answer comes from here, with the action's id.
                    let inbox = self.inbox.clone();
                    tokio::spawn(async move {
                        let result = Err(error);
                        let _ = inbox.send(Msg::ActionDone { id, source, result }).await;
                    });
                }
            }
            Effect::RefreshLocks => self.refresh_locks.notify_one(),
            Effect::Analyse { source, request } => {
                if !self.sources.analyse(&source, request) {
                    tracing::warn!(%source, "no such source runs to analyse a deploy");
                }
            }
            Effect::AcquireLock(_) | Effect::ReleaseLock { .. } => self.spawn_lock_action(effect),
            Effect::OpenUrl(url) => {
                let inbox = self.inbox.clone();
                tokio::spawn(async move {
                    let (text, ok) = open_url(&url).await;
                    let _ = inbox.send(Msg::Notice { text, ok }).await;
                });
            }
            Effect::Copy(text) => {
                if let Err(e) = copy_to_clipboard(&text) {
                    tracing::warn!(%e, "clipboard write failed");
                }
            }
            Effect::AuditRefused(entry) | Effect::AuditBreach(entry) => {
                let audit = self.locks.audit.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = audit.append(&entry) {
                        tracing::error!(%e, "audit log not written");
                    }
                });
            }
        }
    }
}

impl Effects {
    /// Takes or lifts a lock as a task, and tells the operator how it went.
    fn spawn_lock_action(&self, effect: Effect) {
        let this = self.clone();
        tokio::spawn(async move {
            let now = Utc::now();
            let (verb, scope, outcome) = match effect {
                Effect::AcquireLock(lock) => (
                    "lock",
                    lock.scope.clone(),
                    actions::take(&this.locks, lock, now).await,
                ),
                Effect::ReleaseLock { scope, force } => {
                    let outcome =
                        actions::lift(&this.locks, &scope, &this.identity, force, now).await;
                    ("unlock", scope, outcome)
                }
                _ => return,
            };
            let message = outcome.message(verb, &scope, now);
            let _ = this
                .inbox
                .send(Msg::LockActionDone {
                    message,
                    ok: outcome.ok(),
                })
                .await;
        });
    }
}

/// Reads the lock store (and the audit history) every interval, or at once when asked.
pub fn spawn_lock_poller(setup: Arc<LockSetup>, inbox: mpsc::Sender<Msg>, refresh: Arc<Notify>) {
    tokio::spawn(async move {
        // The audit history is read again only when the log has grown.
        let mut history = Vec::new();
        let mut audit_len = None;
        loop {
            let at = Utc::now();
            let result = setup.store.list(at).await;
            let audit = setup.audit.clone();
            let len = std::fs::metadata(audit.path()).map(|m| m.len()).ok();
            if len != audit_len {
                audit_len = len;
                history = tokio::task::spawn_blocking(move || audit.recent(HISTORY))
                    .await
                    .unwrap_or_default();
            }
            let report = Msg::LocksReport {
                at,
                result,
                history: history.clone(),
            };
            if inbox.send(report).await.is_err() {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(setup.interval) => {}
                _ = refresh.notified() => {}
            }
        }
    });
}

/// Opens `url` in the operator's browser: `$BROWSER`, else `xdg-open` (`open` on macOS). Over
/// ssh there is no browser to reach, so it says the address instead. Only http(s) pages are
/// opened: the address came from an API. Returns what to tell the operator.
async fn open_url(url: &str) -> (String, bool) {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return (
            format!("not opened: `{url}` is not an http(s) address"),
            false,
        );
    }
    let over_ssh = ["SSH_CONNECTION", "SSH_TTY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
    if over_ssh {
        return (
            format!("over ssh, open it where you are: {url} (y copies it)"),
            true,
        );
    }
    let browser = std::env::var("BROWSER").ok().and_then(|b| {
        b.split(':')
            .map(str::trim)
            .find(|b| !b.is_empty())
            .map(str::to_string)
    });
    let opener = browser.unwrap_or_else(|| {
        if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        }
        .to_string()
    });
    let child = tokio::process::Command::new(&opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(false)
        .spawn();
    match child {
        Ok(mut child) => {
            // Reap it in the background: browsers may stay in front of the terminal.
            tokio::spawn(async move {
                let _ = child.wait().await;
            });
            (format!("opened {url}"), true)
        }
        Err(e) => (
            format!("cannot run `{opener}` ({e}): open {url} yourself (y copies it)"),
            false,
        ),
    }
}

/// Puts `text` on the clipboard of the terminal the operator sits at, with OSC 52 (works
/// through ssh, and through tmux with `set-clipboard on`).
fn copy_to_clipboard(text: &str) -> std::io::Result<()> {
    use base64::Engine;
    use std::io::Write;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "\x1b]52;c;{encoded}\x07")?;
    stdout.flush()
}
