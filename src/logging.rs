//! Logs go through `tracing` to a file in the user's state directory, never to the screen.
//! The file is the operator's alone (600, in a 700 directory), and every record is one line:
//! fields from outside (error bodies, reasons) cannot forge a record or carry escapes.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::files;

/// Where the log file goes: the state directory (Linux), else the local data directory.
pub fn log_path(dirs: Option<&directories::ProjectDirs>) -> Option<PathBuf> {
    let dirs = dirs?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("shiproom.log"))
}

/// The log file, written one record at a time with control characters made visible and
/// every line break but the record's last shown as `\n`.
struct LogFile(File);

impl Write for LogFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0
            .write_all(crate::text::log_record(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Opens the log at `path` for appending: its directory created 700 and the file 600 (and
/// narrowed to those if an older shiproom left them readable by others).
fn open_log(path: &Path) -> Result<File, String> {
    if let Some(dir) = path.parent() {
        files::private_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    files::open_private_append(path)
        .map_err(|e| format!("cannot open the log file {}: {e}", path.display()))
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
    let file = open_log(&path)?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(LogFile(file)))
        .init();
    Ok(Some(path))
}
