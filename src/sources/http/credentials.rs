//! Credentials: a token read from an environment variable or printed by a command, or a basic
//! auth password read from an environment variable, all named in the configuration (or none at
//! all, for an API that asks for none). Read once, read again after a 401, and never shown:
//! [`Token`] has no `Display` and its `Debug` prints stars.

use std::time::Duration;

use reqwest::header::HeaderValue;

use super::error::duration_words;

/// How long a `token_command` may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(15);

/// A secret. It can only become an HTTP header value (marked sensitive); it is never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// The `Authorization: Bearer …` value, marked sensitive so no debug output shows it.
    pub fn bearer(&self) -> Option<HeaderValue> {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", self.0)).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// The `Authorization: Basic …` value of `username` with this token as the password,
    /// marked sensitive.
    pub fn basic(&self, username: &str) -> Option<HeaderValue> {
        use base64::Engine as _;
        let pair =
            base64::engine::general_purpose::STANDARD.encode(format!("{username}:{}", self.0));
        let mut value = HeaderValue::from_str(&format!("Basic {pair}")).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// The token alone as a header value (for APIs such as GitLab's `PRIVATE-TOKEN`).
    pub fn header_value(&self) -> Option<HeaderValue> {
        let mut value = HeaderValue::from_str(&self.0).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(****)")
    }
}

/// Where the token comes from, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    /// `token_env`: the name of an environment variable.
    Env(String),
    /// `token_command`: a shell command that prints the token (`gh auth token`).
    Command(String),
    /// HTTP basic auth: `username`, and the password in the environment variable named
    /// `password_env`.
    Basic {
        username: String,
        password_env: String,
    },
    /// No credentials: no `Authorization` header is sent (a Prometheus inside the network).
    None,
}

impl CredentialSource {
    /// How the operator named it, for messages: `GITHUB_TOKEN` or `` `gh auth token` ``.
    pub fn describe(&self) -> String {
        match self {
            CredentialSource::Env(name) => name.clone(),
            CredentialSource::Command(command) => format!("`{command}`"),
            CredentialSource::Basic {
                username,
                password_env,
            } => format!("{password_env} (basic auth as {username})"),
            CredentialSource::None => "no credentials".to_string(),
        }
    }

    /// Whether anything secret goes with each request (not for [`CredentialSource::None`]).
    pub fn sends_secret(&self) -> bool {
        !matches!(self, CredentialSource::None)
    }
}

/// The token of one source: read when first needed, kept, and read again after a 401. A
/// failed read is remembered until the next cycle, so one cycle (or one `check`) runs a
/// `token_command` at most once, however many repositories it asks about.
#[derive(Debug)]
pub struct Credentials {
    source: CredentialSource,
    token: Option<Token>,
    failure: Option<String>,
    command_timeout: Duration,
}

impl Credentials {
    pub fn new(source: CredentialSource) -> Credentials {
        Credentials {
            source,
            token: None,
            failure: None,
            command_timeout: COMMAND_TIMEOUT,
        }
    }

    /// How long a `token_command` may run before its whole process group is killed
    /// (default 15 s).
    pub fn with_command_timeout(mut self, timeout: Duration) -> Credentials {
        self.command_timeout = timeout;
        self
    }

    pub fn source(&self) -> &CredentialSource {
        &self.source
    }

    /// Starts a new cycle: a read that failed in the last one may be tried again.
    pub fn begin_cycle(&mut self) {
        self.failure = None;
    }

    /// The token, read on first use. The error says what to fix and never holds the token,
    /// nor anything the command printed.
    pub async fn token(&mut self) -> Result<Token, String> {
        if let Some(token) = &self.token {
            return Ok(token.clone());
        }
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        let token = self.read().await?;
        self.token = Some(token.clone());
        Ok(token)
    }

    /// The `Authorization` header value, read on first use: a bearer token, a basic auth
    /// pair, or `None` when the source sends no credentials.
    pub async fn header(&mut self) -> Result<Option<HeaderValue>, String> {
        let username = match &self.source {
            CredentialSource::None => return Ok(None),
            CredentialSource::Basic { username, .. } => Some(username.clone()),
            CredentialSource::Env(_) | CredentialSource::Command(_) => None,
        };
        let token = self.token().await?;
        let value = match &username {
            Some(username) => token.basic(username),
            None => token.bearer(),
        };
        match value {
            Some(value) => Ok(Some(value)),
            None => Err(format!(
                "the token from {} is not a valid header value (printable ASCII only)",
                self.source.describe()
            )),
        }
    }

    /// After a 401: forget the token and read it again. `Ok(true)` if it changed (worth one
    /// more try), `Ok(false)` if it is the same one (or there is none to read).
    pub async fn refresh(&mut self) -> Result<bool, String> {
        if !self.source.sends_secret() {
            return Ok(false);
        }
        let old = self.token.take();
        let new = self.read().await?;
        let changed = old.as_ref() != Some(&new);
        self.token = Some(new);
        Ok(changed)
    }

    async fn read(&mut self) -> Result<Token, String> {
        let read = match &self.source {
            CredentialSource::Env(name) => from_env(name),
            CredentialSource::Command(command) => run_command(command, self.command_timeout).await,
            CredentialSource::Basic { password_env, .. } => password_from_env(password_env),
            CredentialSource::None => Err("this source sends no credentials".to_string()),
        };
        if let Err(e) = &read {
            self.failure = Some(e.clone());
        }
        read
    }
}

fn from_env(name: &str) -> Result<Token, String> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => checked(
            value.trim(),
            &format!("${name}"),
            "set it to the token alone",
        ),
        Ok(_) => Err(format!(
            "no token: ${name} is empty (export {name}=<token>, or set token_command)"
        )),
        Err(_) => Err(format!(
            "no token: ${name} is not set (export {name}=<token>, or set token_command)"
        )),
    }
}

/// A basic auth password from the variable `name`: never empty, never repeated in a message.
fn password_from_env(name: &str) -> Result<Token, String> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => {
            if !value.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
                return Err(format!(
                    "no password: ${name} holds characters a password cannot have here (printable ASCII only)"
                ));
            }
            Ok(Token(value))
        }
        Ok(_) => Err(format!(
            "no password: ${name} is empty (export {name}=<password>)"
        )),
        Err(_) => Err(format!(
            "no password: ${name} is not set (export {name}=<password>)"
        )),
    }
}

/// `text` as a token, if it can be one: no spaces (a warning or a prompt has them), printable
/// ASCII only (an HTTP header carries it). Errors never repeat the text.
fn checked(text: &str, from: &str, fix: &str) -> Result<Token, String> {
    if text.contains(char::is_whitespace) {
        return Err(format!(
            "no token: {from} gave a line with spaces, which is no token (a warning or a prompt?): {fix}"
        ));
    }
    if !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!(
            "no token: {from} gave characters a token cannot have (printable ASCII only): {fix}"
        ));
    }
    Ok(Token(text.to_string()))
}

/// Runs `command` through `sh -c` in a process group of its own and takes the first non-empty
/// line of its stdout as the token (trimmed; a line with spaces is refused). Nothing it prints
/// is ever repeated: a failure is told with the exit status alone, because its stderr may hold
/// the very token (`gh` prints it there on some errors) and the token cannot be known to
/// check against when the command failed. After `timeout` the whole group is killed, so
/// nothing it started outlives it.
async fn run_command(command: &str, timeout: Duration) -> Result<Token, String> {
    let mut child = tokio::process::Command::new("sh");
    child
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .kill_on_drop(true);
    let child = child
        .spawn()
        .map_err(|e| format!("token_command `{command}` cannot run: {e}"))?;
    let group = child.id();
    let output = match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Err(format!("token_command `{command}` cannot run: {e}")),
        Err(_) => {
            // The shell was killed when its future was dropped; now whatever it started.
            if let Some(group) = group {
                kill_group(group).await;
            }
            return Err(format!(
                "token_command `{command}` did not finish within {}: stopped, with everything it started",
                duration_words(timeout)
            ));
        }
    };
    if !output.status.success() {
        return Err(format!(
            "token_command `{command}` failed ({}); its output is not shown, as it may hold the token: run it yourself to see why",
            output.status
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    match stdout.lines().map(str::trim).find(|l| !l.is_empty()) {
        Some(line) => checked(
            line,
            &format!("token_command `{command}`"),
            "make it print the token alone, on its first line",
        ),
        None => Err(format!("token_command `{command}` printed no token")),
    }
}

/// Sends SIGKILL to every process of group `group`, through the shell's `kill` (std has no
/// killpg, and this crate forbids `unsafe`).
async fn kill_group(group: u32) {
    let killed = tokio::process::Command::new("sh")
        .arg("-c")
        .arg("kill -s KILL -- \"-$1\" 2>/dev/null")
        .arg("sh")
        .arg(group.to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .await;
    if let Err(e) = killed {
        tracing::warn!(group, error = %e, "cannot stop a timed-out token_command's processes");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_never_shows_in_debug_output_nor_in_its_header_debug() {
        let token = Token("ghp_SECRET123".into());
        assert_eq!(format!("{token:?}"), "Token(****)");
        let header = token.bearer().unwrap();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("SECRET"));
    }

    #[tokio::test]
    async fn a_command_token_is_read_once_and_again_on_refresh() {
        let mut creds = Credentials::new(CredentialSource::Command("echo ghp_FROMCMD".into()));
        assert_eq!(creds.token().await.unwrap(), Token("ghp_FROMCMD".into()));
        assert!(!creds.refresh().await.unwrap(), "the same token again");
    }

    #[tokio::test]
    async fn a_failing_command_is_told_with_its_exit_status_and_none_of_its_output() {
        let mut creds = Credentials::new(CredentialSource::Command(
            "printf 'ghp_%s' LEAK; printf 'ghp_%s\\n' STDERRLEAK >&2; exit 3".into(),
        ));
        let e = creds.token().await.unwrap_err();
        assert!(e.contains("exit status: 3"), "{e}");
        assert!(e.contains("run it yourself"), "{e}");
        assert!(!e.contains("ghp_LEAK"), "stdout: {e}");
        assert!(!e.contains("ghp_STDERRLEAK"), "stderr: {e}");
    }

    #[tokio::test]
    async fn the_token_is_the_first_non_empty_line_and_a_warning_there_is_refused_unrepeated() {
        let mut creds = Credentials::new(CredentialSource::Command(
            "echo; echo '  ghp_FIRSTLINE  '; echo second".into(),
        ));
        assert_eq!(creds.token().await.unwrap(), Token("ghp_FIRSTLINE".into()));
        let mut creds = Credentials::new(CredentialSource::Command(
            "printf 'warn%s soon\\n' ing:; printf 'ghp_%s\\n' AFTER".into(),
        ));
        let e = creds.token().await.unwrap_err();
        assert!(e.contains("a line with spaces, which is no token"), "{e}");
        assert!(
            e.contains("print the token alone, on its first line"),
            "{e}"
        );
        assert!(
            !e.contains("warning: soon"),
            "the line is not repeated: {e}"
        );
        assert!(!e.contains("ghp_AFTER"), "{e}");
    }

    #[tokio::test]
    async fn a_failed_read_is_not_tried_again_until_the_next_cycle() {
        let dir = std::env::temp_dir().join(format!("shiproom-creds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let runs = dir.join("runs");
        let _ = std::fs::remove_file(&runs);
        let mut creds = Credentials::new(CredentialSource::Command(format!(
            "echo run >> {}; exit 1",
            runs.display()
        )));
        for _ in 0..3 {
            assert!(creds.token().await.is_err());
        }
        let count = || std::fs::read_to_string(&runs).unwrap().lines().count();
        assert_eq!(count(), 1);
        creds.begin_cycle();
        assert!(creds.token().await.is_err());
        assert_eq!(count(), 2);
    }

    #[tokio::test]
    async fn basic_auth_sends_the_pair_and_no_credentials_send_no_header() {
        let name = "SHIPROOM_TEST_BASIC_PASSWORD";
        let mut creds = Credentials::new(CredentialSource::Basic {
            username: "alice".into(),
            password_env: name.into(),
        });
        let e = creds.header().await.unwrap_err();
        assert!(
            e.contains("$SHIPROOM_TEST_BASIC_PASSWORD is not set"),
            "{e}"
        );
        let token = Token("open sesame".into());
        let header = token.basic("alice").unwrap();
        // base64("alice:open sesame")
        assert_eq!(header.to_str().unwrap(), "Basic YWxpY2U6b3BlbiBzZXNhbWU=");
        assert!(header.is_sensitive());
        let mut none = Credentials::new(CredentialSource::None);
        assert_eq!(none.header().await.unwrap(), None);
        assert!(!none.refresh().await.unwrap(), "nothing to read again");
        assert!(!CredentialSource::None.sends_secret());
    }

    #[tokio::test]
    async fn a_missing_variable_says_which_and_what_to_do() {
        let mut creds = Credentials::new(CredentialSource::Env(
            "SHIPROOM_TEST_SURELY_UNSET_TOKEN".into(),
        ));
        let e = creds.token().await.unwrap_err();
        assert!(
            e.contains("$SHIPROOM_TEST_SURELY_UNSET_TOKEN is not set"),
            "{e}"
        );
    }
}
