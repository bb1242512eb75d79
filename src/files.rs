//! Files shiproom creates, with modes that keep them to their owner: directories 700, files
//! 600. A file in a directory its group may write to (a lock store shared by the operators of
//! a bastion host) is created 660 instead, so the group can still use it.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;

/// Mode of files only their owner may read and write.
pub const PRIVATE_FILE: u32 = 0o600;
/// Mode of files shared with a group that may write to their directory.
pub const GROUP_FILE: u32 = 0o660;
/// Mode of directories shiproom creates.
pub const PRIVATE_DIR: u32 = 0o700;

/// Creates `dir` and any missing parents as 700; narrows `dir` itself to 700 when it exists
/// readable by others (it is shiproom's own: the state or data directory).
pub fn private_dir_all(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        fs::DirBuilder::new()
            .recursive(true)
            .mode(PRIVATE_DIR)
            .create(dir)?;
        let mode = fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0 {
            fs::set_permissions(dir, fs::Permissions::from_mode(PRIVATE_DIR))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(dir)
    }
}

/// The mode for a new file in `dir`: 660 when the directory is group-writable (set up to be
/// shared), else 600.
pub fn mode_for_new_file_in(dir: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match fs::metadata(dir) {
            Ok(m) if m.permissions().mode() & 0o020 != 0 => GROUP_FILE,
            _ => PRIVATE_FILE,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        PRIVATE_FILE
    }
}

/// Options that create a file with `mode` (the umask may narrow it further).
pub fn with_mode(options: &mut OpenOptions, mode: u32) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        options
    }
}

/// Opens `path` for appending, creating it 600; narrows an existing file to 600 when others
/// may read it (shiproom's own files: the log).
pub fn open_private_append(path: &Path) -> io::Result<File> {
    let file = with_mode(OpenOptions::new().create(true).append(true), PRIVATE_FILE).open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(fs::Permissions::from_mode(PRIVATE_FILE))?;
        }
    }
    Ok(file)
}

/// The permission bits of `path`, when it exists (for keeping a replaced file's mode).
pub fn mode_of(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Gives `file` the permission bits `mode` (after creation, so the umask does not narrow a
/// replaced file's mode).
pub fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (file, mode);
        Ok(())
    }
}
