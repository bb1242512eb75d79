//! shiproom's entry point: parse the command line, load the configuration and theme, then run
//! the board or a subcommand.

use std::io::Write;
use std::process::ExitCode;

use chrono::{Local, Offset};
use clap::Parser;
use color_eyre::eyre::Result;

use shiproom::cli::{Cli, Command};
use shiproom::config::{self, Config};
use shiproom::locks::LockSetup;
use shiproom::model::{Lock, LockOrigin};
use shiproom::state::Mode;
use shiproom::theme::Theme;
use shiproom::{app, commands, locks, logging, tui, ui};

/// Exit status for a bad configuration or bad usage.
const EXIT_BAD_CONFIG: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = install_hooks() {
        eprintln!("shiproom: cannot install the error report hooks: {e}");
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            tui::restore();
            eprintln!("shiproom: {e:?}");
            ExitCode::FAILURE
        }
    }
}

/// color-eyre's reports, with the terminal restored before a panic report is printed.
fn install_hooks() -> Result<()> {
    let (panic_hook, eyre_hook) = color_eyre::config::HookBuilder::default().into_hooks();
    eyre_hook.install()?;
    std::panic::set_hook(Box::new(move |info| {
        tui::restore();
        let report = panic_hook.panic_report(info);
        let _ = writeln!(std::io::stderr(), "{report}");
    }));
    Ok(())
}

fn fail_config(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("shiproom: bad configuration: {message}");
    ExitCode::from(EXIT_BAD_CONFIG)
}

fn run(cli: Cli) -> Result<ExitCode> {
    let dirs = directories::ProjectDirs::from("dev", "shiproom", "shiproom");
    if let Err(e) = logging::init(logging::log_path(dirs.as_ref()), &cli.global.log_level) {
        eprintln!("shiproom: {e}");
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
    tracing::info!(origin = %config.origin.label(), "configuration loaded");

    let no_color = std::env::var("NO_COLOR").ok();
    let theme_name = match (
        &cli.global.theme,
        no_color.as_deref().filter(|v| !v.is_empty()),
        &config.theme,
    ) {
        (Some(name), _, _) => name.clone(),
        (None, Some(v), _) => Theme::default_name(Some(v)).to_string(),
        (None, None, Some(name)) => name.clone(),
        (None, None, None) => Theme::default_name(None).to_string(),
    };
    let theme_dir = config_dir.as_ref().map(|d| d.join("themes"));
    let theme = match Theme::load(&theme_name, theme_dir.as_deref()) {
        Ok(theme) => theme,
        Err(e)
            if cli.global.theme.is_none()
                && config.theme.as_deref() == Some(theme_name.as_str()) =>
        {
            return Ok(fail_config(config.error_at(
                "theme",
                &theme_name,
                e.to_string(),
            )));
        }
        Err(e) => {
            eprintln!("shiproom: --theme: {e}");
            return Ok(ExitCode::from(EXIT_BAD_CONFIG));
        }
    };

    let mode = Mode {
        demo: config.is_demo(),
        wall: cli.wall,
        read_only: cli.read_only || cli.wall,
    };
    let offset = Local::now().offset().fix();
    let data_dir = dirs.as_ref().map(|d| d.data_dir().to_path_buf());
    let lock_setup = match locks::setup(&config, data_dir.as_deref()) {
        Ok(setup) => setup,
        Err(e) => return Ok(fail_config(e)),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    match cli.command {
        None => {
            runtime.block_on(app::run(config, mode, theme, offset, lock_setup))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(command) => {
            let now = match commands::now_from_env() {
                Ok(now) => now,
                Err(e) => {
                    eprintln!("shiproom: {e}");
                    return Ok(ExitCode::from(EXIT_BAD_CONFIG));
                }
            };
            if let Some(code) = runtime.block_on(lock_command(&command, &config, &lock_setup, now))
            {
                return Ok(ExitCode::from(code));
            }
            // `locks` and `gate` ask only the sources that report locks of their own: a CI
            // gate needs no GitHub token and spends none of its quota.
            let for_locks = matches!(command, Command::Locks { .. } | Command::Gate { .. });
            let pared;
            let polled = if for_locks {
                let mut only_locking = config.clone();
                only_locking.sources.retain(|s| s.kind.reports_locks());
                pared = only_locking;
                &pared
            } else {
                &config
            };
            let model = runtime.block_on(commands::poll_once(polled, mode, &lock_setup, now));
            let mut stdout = std::io::stdout().lock();
            match command {
                Command::Status { json } => {
                    if json {
                        let doc = commands::status_json::status_json(&model);
                        serde_json::to_writer_pretty(&mut stdout, &doc)?;
                        writeln!(stdout)?;
                    } else {
                        let text = commands::status::status_text(&model, theme.glyphs, offset);
                        write!(stdout, "{text}")?;
                    }
                    // The board is incomplete when a source or one of its targets failed.
                    if model.sources.iter().any(|s| !s.is_complete()) {
                        return Ok(ExitCode::FAILURE);
                    }
                }
                Command::Snapshot { width, height } => {
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
                    write!(stdout, "{}", ui::snapshot_text(&ctx, width, height))?;
                }
                Command::Locks { json } => {
                    drop(stdout);
                    return Ok(ExitCode::from(commands::locks::list(&model, json)));
                }
                Command::Gate {
                    environment,
                    service,
                } => {
                    drop(stdout);
                    let scope =
                        match commands::locks::scope(&config, &environment, service.as_deref()) {
                            Ok(scope) => scope,
                            Err(e) => {
                                eprintln!("shiproom gate: {e}");
                                return Ok(ExitCode::from(EXIT_BAD_CONFIG));
                            }
                        };
                    return Ok(ExitCode::from(commands::locks::gate(&model, &scope)));
                }
                Command::Lock { .. } | Command::Unlock { .. } => {}
                Command::Check => {
                    let details = runtime.block_on(shiproom::sources::check_all(&config, now));
                    let (report, ok) = commands::check::report(&config, &model, &details);
                    write!(stdout, "{report}")?;
                    return Ok(if ok {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    });
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `lock` and `unlock` act without polling the sources; other commands return `None`.
async fn lock_command(
    command: &Command,
    config: &Config,
    setup: &LockSetup,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<u8> {
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
            if reason.trim().is_empty() {
                return Some(usage(
                    "--reason is empty: say why the environment is locked".into(),
                ));
            }
            let until = match cmd::until(config, duration.as_deref(), until.as_deref(), now) {
                Ok(until) => until,
                Err(e) => return Some(usage(e)),
            };
            let lock = Lock {
                scope,
                reason: reason.trim().to_string(),
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

fn usage(message: String) -> u8 {
    eprintln!("shiproom: {message}");
    EXIT_BAD_CONFIG
}
