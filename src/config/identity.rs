//! Who the operator is when the configuration does not say.

/// The operator's name when the configuration names none: `$USER` (or `$USERNAME`,
/// `$LOGNAME`), else the OS account of this process, else "unknown". Control characters in
/// it are made visible: it is printed on every board and in the audit log.
pub fn default_identity() -> String {
    let name = ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .or_else(os_user)
        .unwrap_or_else(|| "unknown".to_string());
    crate::text::one_line(&name).into_owned()
}

/// The name of the account that owns this process, from `/etc/passwd`.
#[cfg(unix)]
fn os_user() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid().to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_string())
    })
}

#[cfg(not(unix))]
fn os_user() -> Option<String> {
    None
}
