//! Logs go through `tracing` to a file in the user's state directory, never to the screen.

use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Where the log file goes: the state directory (Linux), else the local data directory.
pub fn log_path(dirs: Option<&directories::ProjectDirs>) -> Option<PathBuf> {
    let dirs = dirs?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("shiproom.log"))
}

/// Starts logging to `path` at `level`. If the file cannot be opened, logs go nowhere (the
/// screen belongs to the board); the reason is returned so the caller can mention it.
pub fn init(path: Option<PathBuf>, level: &str) -> Result<Option<PathBuf>, String> {
    let Some(path) = path else {
        return Ok(None);
    };
    let filter = EnvFilter::try_new(format!("shiproom={level}")).map_err(|e| {
        format!("--log-level `{level}`: {e} (expected error, warn, info, debug or trace)")
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| format!("cannot open the log file {}: {e}", path.display()))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .init();
    Ok(Some(path))
}
