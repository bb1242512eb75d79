//! shiproom's entry point: parse the command line, load the configuration and theme, then run
//! the board or a subcommand. Every text the program prints goes through
//! [`shiproom::text::SafeOut`]: nothing from outside reaches a terminal raw.

use std::fmt::Write as _;
use std::process::ExitCode;

use chrono::{DateTime, Local, Offset, Utc};
use clap::Parser;
use color_eyre::eyre::Result;

use shiproom::cli::{Cli, Command};
use shiproom::commands::{self, Report, locks::exit};
use shiproom::config::{self, Config};
use shiproom::locks::{Init, LockSetup, limits};
use shiproom::model::{Lock, LockOrigin};
use shiproom::state::Mode;
use shiproom::text::{SafeOut, one_line};
use shiproom::theme::Theme;
use shiproom::{app, logging, tui, ui};

/// Exit status for a bad configuration or bad usage.
const EXIT_BAD_CONFIG: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = install_hooks() {
        complain(format!("cannot install the error report hooks: {e}"));
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            tui::restore();
            complain(format!("{e:?}"));
            ExitCode::FAILURE
        }
    }
}

/// color-eyre's reports, with the terminal restored before a panic report is printed. Their
/// theme is blank: reports are printed through `SafeOut`, which would show colour escapes.
fn install_hooks() -> Result<()> {
    let (panic_hook, eyre_hook) = color_eyre::config::HookBuilder::default()
        .theme(color_eyre::config::Theme::new())
        .into_hooks();
    eyre_hook.install()?;
    std::panic::set_hook(Box::new(move |info| {
        tui::restore();
        let report = panic_hook.panic_report(info);
        let mut err = SafeOut::stderr();
        let _ = writeln!(err, "{report}");
        let _ = err.finish();
    }));
    Ok(())
}

/// Prints `message` on stderr after `shiproom: `, control characters made visible.
fn complain(message: impl std::fmt::Display) {
    let mut err = SafeOut::stderr();
    let _ = writeln!(err, "shiproom: {message}");
    let _ = err.finish();
}

/// Prints a command's report (stdout, then stderr) safely; its exit status.
fn emit(report: Report) -> ExitCode {
    let mut out = SafeOut::stdout();
    out.text(&report.out);
    let _ = out.finish();
    let mut err = SafeOut::stderr();
    err.text(&report.err);
    let _ = err.finish();
    ExitCode::from(report.code)
}

fn fail_config(message: impl std::fmt::Display) -> ExitCode {
    complain(format!("bad configuration: {message}"));
    ExitCode::from(EXIT_BAD_CONFIG)
}

fn usage(message: String) -> Report {
    let mut report = Report::with_code(EXIT_BAD_CONFIG);
    report.complain(message);
    report
}

/// The theme asked for: `--theme` (the board's, or `snapshot`'s own), else `NO_COLOR`, else
/// the configuration's, else the default. A bad name from the configuration is a located
/// configuration error.
fn load_theme(
    cli: &Cli,
    config: &Config,
    config_dir: Option<&std::path::Path>,
) -> Result<Theme, ExitCode> {
    let flag = match &cli.command {
        Some(Command::Snapshot { theme, .. }) => theme.clone().or_else(|| cli.theme.clone()),
        Some(_) => None,
        None => cli.theme.clone(),
    };
    let no_color = std::env::var("NO_COLOR").ok();
    let theme_name = match (
        &flag,
        no_color.as_deref().filter(|v| !v.is_empty()),
        &config.theme,
    ) {
        (Some(name), _, _) => name.clone(),
        (None, Some(v), _) => Theme::default_name(Some(v)).to_string(),
        (None, None, Some(name)) => name.clone(),
        (None, None, None) => Theme::default_name(None).to_string(),
    };
    let theme_dir = config_dir.map(|d| d.join("themes"));
    Theme::load(&theme_name, theme_dir.as_deref()).map_err(|e| {
        if flag.is_none() && config.theme.as_deref() == Some(theme_name.as_str()) {
            fail_config(config.error_at("theme", &theme_name, e.to_string()))
        } else {
            complain(format!("--theme: {e}"));
            ExitCode::from(EXIT_BAD_CONFIG)
        }
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let dirs = directories::ProjectDirs::from("dev", "shiproom", "shiproom");
    if let Err(e) = logging::init(logging::log_path(dirs.as_ref()), &cli.global.log_level) {
        complain(e);
        return Ok(ExitCode::from(EXIT_BAD_CONFIG));
    }

    let config_dir = dirs.as_ref().map(|d| d.config_dir().to_path_buf());
    let loaded = if cli.global.demo {
        Config::demo()
    } else {
        let env = std::env::var_os("SHIPROOM_CONFIG");
        match config::find_config_file(
            cli.global.config.as_deref(),
            env.as_deref(),
            config_dir.as_deref(),
        ) {
            Some(path) => Config::load(&path),
            None => Config::demo(),
        }
    };
    let config = match loaded {
        Ok(config) => config,
        Err(e) => return Ok(fail_config(e)),
    };
    tracing::info!(origin = %one_line(&config.origin.label()), "configuration loaded");
    let theme = match load_theme(&cli, &config, config_dir.as_deref()) {
        Ok(theme) => theme,
        Err(code) => return Ok(code),
    };

    let mode = Mode {
        demo: config.is_demo(),
        wall: cli.wall,
        read_only: cli.read_only || cli.wall || config.read_only,
    };
    let offset = Local::now().offset().fix();
    let data_dir = dirs.as_ref().map(|d| d.data_dir().to_path_buf());
    let mut lock_setup = match config.lock_setup(data_dir.as_deref()) {
        Ok(setup) => setup,
        Err(e) => return Ok(fail_config(e)),
    };
    if cli.wall {
        lock_setup.guard.read_only = Some("wall display is read-only (--wall)".into());
    } else if cli.read_only {
        lock_setup.guard.read_only = Some("read-only mode (--read-only)".into());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    let Some(command) = cli.command else {
        runtime.block_on(lock_setup.store.prepare(&lock_setup.audit));
        runtime.block_on(app::run(config, mode, theme, offset, lock_setup))?;
        return Ok(ExitCode::SUCCESS);
    };
    let now = if command.reads_shiproom_now() {
        match commands::now_from_env() {
            Ok(now) => now,
            Err(e) => {
                complain(e);
                return Ok(ExitCode::from(EXIT_BAD_CONFIG));
            }
        }
    } else {
        if std::env::var_os("SHIPROOM_NOW").is_some() {
            tracing::info!("SHIPROOM_NOW is set but only status and snapshot read it");
        }
        Utc::now()
    };
    // The default store is created at its first use, except by a gate: a CI runner that
    // never had a store must not find an empty one and call it open.
    if !matches!(command, Command::Gate { .. }) {
        runtime.block_on(lock_setup.store.prepare(&lock_setup.audit));
    }
    if let Command::Check { init_store: true } = command {
        return Ok(emit(runtime.block_on(init_store(&lock_setup))));
    }
    if let Some(report) = runtime.block_on(lock_command(&command, &config, &lock_setup, now)) {
        return Ok(emit(report));
    }
    // `locks` and `gate` ask only the sources that report locks of their own: a CI
    // gate needs no GitHub token and spends none of its quota.
    let for_locks = matches!(command, Command::Locks { .. } | Command::Gate { .. });
    let pared;
    let polled = if for_locks {
        let mut only_locking = config.clone();
        only_locking.sources.retain(|s| s.reports_locks());
        pared = only_locking;
        &pared
    } else {
        &config
    };
    // `check` polls and checks each source with one runner: a token_command runs once.
    let checking = matches!(command, Command::Check { .. });
    let (model, mut details) = runtime.block_on(commands::poll_once_and_check(
        polled,
        mode,
        &lock_setup,
        now,
        checking,
    ));
    let report = match command {
        Command::Status { json } => {
            let out = if json {
                let doc = commands::status_json::status_json(&model);
                shiproom::text::json::to_string_pretty(&doc)?
            } else {
                commands::status::status_text(&model, theme.glyphs, offset)
            };
            // The board is incomplete when a source or one of its targets failed.
            let complete = model.sources.iter().all(|s| s.is_complete());
            Report {
                out,
                code: if complete { exit::OK } else { exit::FAILED },
                ..Report::default()
            }
        }
        Command::Snapshot { width, height, .. } => {
            let ui_state = shiproom::state::Ui {
                width,
                height,
                ..Default::default()
            };
            let ctx = ui::Ctx {
                model: &model,
                ui: &ui_state,
                theme: &theme,
                offset,
            };
            Report {
                out: ui::snapshot_text(&ctx, width, height),
                ..Report::default()
            }
        }
        Command::Locks { json } => commands::locks::list(&model, json),
        Command::Gate {
            environment,
            service,
        } => match commands::locks::scope(&config, &environment, service.as_deref()) {
            Ok(scope) => commands::locks::gate(&model, &scope),
            Err(e) => {
                let mut report = Report::with_code(EXIT_BAD_CONFIG);
                report.complain_as("shiproom gate", e);
                report
            }
        },
        Command::Lock { .. } | Command::Unlock { .. } => Report::default(),
        Command::Check { .. } => {
            // `details` came with the poll above, from the same runners.
            // Per-repository lines carry API answers: one line each.
            for line in details.iter_mut().flatten() {
                line.text = one_line(&line.text).into_owned();
            }
            let (out, ok) = commands::check::report(&config, &model, &details, &lock_setup);
            Report {
                out,
                err: String::new(),
                code: if ok { exit::OK } else { exit::FAILED },
            }
        }
    };
    Ok(emit(report))
}

/// `check --init-store`: creates the lock store when it does not exist (a configured path's
/// directory must exist), and checks nothing else.
async fn init_store(setup: &LockSetup) -> Report {
    let store = setup.store.describe();
    if let Some(why) = &setup.guard.read_only {
        return usage(format!("refused to create the lock store ({store}): {why}"));
    }
    let mut report = Report::default();
    match setup.store.init(&setup.audit).await {
        None => report.say(format!("lock store ({store}): etcd needs no creating")),
        Some(Ok(Init::Created)) => report.say(format!("created the lock store ({store}), empty")),
        Some(Ok(Init::Recreated)) => report.say(format!(
            "started the vanished lock store ({store}) again, empty: locks held in it before are gone (the audit log {} lists them)",
            setup.audit.path().display()
        )),
        Some(Ok(Init::AlreadyThere)) => {
            report.say(format!("lock store ({store}) exists already; nothing changed"));
        }
        Some(Err(e)) => {
            report.code = exit::FAILED;
            report.complain(format!("cannot create the lock store ({store}): {e}"));
        }
    }
    report
}

/// `lock` and `unlock` act without polling the sources; other commands return `None`.
async fn lock_command(
    command: &Command,
    config: &Config,
    setup: &LockSetup,
    now: DateTime<Utc>,
) -> Option<Report> {
    use commands::locks as cmd;
    match command {
        Command::Lock {
            environment,
            service,
            reason,
            duration,
            until,
        } => {
            let scope = match cmd::scope(config, environment, service.as_deref()) {
                Ok(scope) => scope,
                Err(e) => return Some(usage(e)),
            };
            let reason = match limits::reason(reason) {
                Ok(reason) => reason,
                Err(e) => return Some(usage(format!("--reason: {e}"))),
            };
            let until = match cmd::until(config, duration.as_deref(), until.as_deref(), now) {
                Ok(until) => until,
                Err(e) => return Some(usage(e)),
            };
            let lock = Lock {
                scope,
                reason,
                by: config.identity.clone(),
                origin: LockOrigin::Manual,
                since: now,
                until,
            };
            Some(cmd::lock(setup, lock, now).await)
        }
        Command::Unlock {
            environment,
            service,
            force,
        } => {
            let scope = match cmd::scope(config, environment, service.as_deref()) {
                Ok(scope) => scope,
                Err(e) => return Some(usage(e)),
            };
            Some(cmd::unlock(setup, &scope, &config.identity, *force, now).await)
        }
        _ => None,
    }
}
