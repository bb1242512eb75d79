//! Credentials: a token read from an environment variable or printed by a command, both named
//! in the configuration. Read once, read again after a 401, and never shown: [`Token`] has no
//! `Display` and its `Debug` prints stars.

use std::time::Duration;

use reqwest::header::HeaderValue;

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
}

impl CredentialSource {
    /// How the operator named it, for messages: `GITHUB_TOKEN` or `` `gh auth token` ``.
    pub fn describe(&self) -> String {
        match self {
            CredentialSource::Env(name) => name.clone(),
            CredentialSource::Command(command) => format!("`{command}`"),
        }
    }
}

/// The token of one source: read when first needed, kept, and read again after a 401.
#[derive(Debug)]
pub struct Credentials {
    source: CredentialSource,
    token: Option<Token>,
}

impl Credentials {
    pub fn new(source: CredentialSource) -> Credentials {
        Credentials {
            source,
            token: None,
        }
    }

    pub fn source(&self) -> &CredentialSource {
        &self.source
    }

    /// The token, read on first use. The error says what to fix and never holds the token.
    pub async fn token(&mut self) -> Result<Token, String> {
        if let Some(token) = &self.token {
            return Ok(token.clone());
        }
        let token = read(&self.source).await?;
        self.token = Some(token.clone());
        Ok(token)
    }

    /// After a 401: forget the token and read it again. `Ok(true)` if it changed (worth one
    /// more try), `Ok(false)` if it is the same one.
    pub async fn refresh(&mut self) -> Result<bool, String> {
        let old = self.token.take();
        let new = read(&self.source).await?;
        let changed = old.as_ref() != Some(&new);
        self.token = Some(new);
        Ok(changed)
    }
}

async fn read(source: &CredentialSource) -> Result<Token, String> {
    match source {
        CredentialSource::Env(name) => match std::env::var(name) {
            Ok(value) if !value.trim().is_empty() => Ok(Token(value.trim().to_string())),
            Ok(_) => Err(format!(
                "no token: ${name} is empty (export {name}=<token>, or set token_command)"
            )),
            Err(_) => Err(format!(
                "no token: ${name} is not set (export {name}=<token>, or set token_command)"
            )),
        },
        CredentialSource::Command(command) => run_command(command).await,
    }
}

/// Runs `command` through `sh -c` and takes the first line it prints as the token. What goes
/// wrong is told with the exit status and the first line of stderr, never with stdout.
async fn run_command(command: &str) -> Result<Token, String> {
    let mut child = tokio::process::Command::new("sh");
    child
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let output = match tokio::time::timeout(COMMAND_TIMEOUT, child.output()).await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Err(format!("token_command `{command}` cannot run: {e}")),
        Err(_) => {
            return Err(format!(
                "token_command `{command}` did not finish within {}s",
                COMMAND_TIMEOUT.as_secs()
            ));
        }
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        let first: String = first.chars().take(200).collect();
        return Err(format!(
            "token_command `{command}` failed ({}){}",
            output.status,
            if first.is_empty() {
                String::new()
            } else {
                format!(": {first}")
            }
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    match stdout.lines().map(str::trim).find(|l| !l.is_empty()) {
        Some(token) => Ok(Token(token.to_string())),
        None => Err(format!("token_command `{command}` printed no token")),
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
    async fn a_failing_command_is_told_with_its_stderr_and_never_its_stdout() {
        let mut creds = Credentials::new(CredentialSource::Command(
            "printf 'ghp_%s' LEAK; echo 'not logged in' >&2; exit 3".into(),
        ));
        let e = creds.token().await.unwrap_err();
        assert!(e.contains("not logged in"), "{e}");
        assert!(e.contains("exit status: 3"), "{e}");
        assert!(!e.contains("ghp_LEAK"), "{e}");
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
