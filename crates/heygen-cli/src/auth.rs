//! `heygen auth`: an OAuth login kept in a file only the user can read, and the credential
//! every API command uses.
//!
//! Which credential an API command sends, first match wins:
//! 1. `--api-key` or `HEYGEN_API_KEY` (`X-Api-Key`);
//! 2. `HEYGEN_ACCESS_TOKEN` (a fixed `Authorization: Bearer` token, never refreshed);
//! 3. the login stored by `heygen auth login` (refreshed before it expires and after a 401; the
//!    refreshed tokens are written back to the file).
//!
//! The login file is `oauth-tokens.json` in `$HEYGEN_CONFIG_DIR` when set, else in the
//! platform's config directory under `heygen/` (`$XDG_CONFIG_HOME` or `~/.config` on Linux,
//! `~/Library/Application Support` on macOS, `%APPDATA%` on Windows). It is created with mode
//! 0600 (its directory 0700) on Unix. No token is ever printed.
//!
//! Several `heygen` processes may share the login. HeyGen rotates refresh tokens, so a refresh
//! by one process makes the others' refresh token invalid; the file is their meeting point
//! ([`FileStore`], the session's `CredentialStore`): a refresh holds an advisory lock on
//! `oauth-tokens.json.lock` and first reads the file again (another process may have renewed
//! the login already), a refresh refused with 400/401 reads it again and carries on with a
//! refresh token another process stored, and every write goes to a temporary file of its own
//! in the same directory, renamed over the login file.
#![allow(
    clippy::doc_markdown,
    rustdoc::bare_urls,
    reason = "doc comments of the clap types are the --help text shown in a terminal"
)]

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use heygen_core::oauth::{
    AccessToken, AuthorizationCode, AuthorizeDevice, CredentialStore, DeviceLogin, ExchangeCode,
    OAuthApp, OAuthCredential, OAuthSession, Pkce, RefreshToken, RevokeToken, parse_redirect,
    state_from_entropy,
};
use heygen_core::{Call, Config, ConfigBuilder};
use serde::{Deserialize, Serialize};

use crate::backend::Backend;
use crate::cli::{GlobalArgs, parse_seconds};
use crate::failure::{EXIT_API, EXIT_AUTH, EXIT_TIMEOUT, Failure};
use crate::output::Output;

/// The environment variable holding a fixed OAuth access token.
pub(crate) const ACCESS_TOKEN_ENV: &str = "HEYGEN_ACCESS_TOKEN";

/// The environment variable naming the directory of the login file.
const CONFIG_DIR_ENV: &str = "HEYGEN_CONFIG_DIR";

/// The login file's name.
const TOKEN_FILE: &str = "oauth-tokens.json";

/// The advisory lock file beside the login file, held while a process refreshes.
const LOCK_FILE: &str = "oauth-tokens.json.lock";

/// How long a refresh waits for another process's refresh to end before going ahead anyway.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// The path of the loopback redirect.
const CALLBACK_PATH: &str = "/oauth/callback";

/// `heygen auth …`.
#[derive(Debug, Subcommand)]
pub(crate) enum AuthCommand {
    /// Log in with OAuth in a browser (loopback redirect, PKCE) or with a device code, and
    /// store the tokens. API commands then use them when neither --api-key, HEYGEN_API_KEY nor
    /// HEYGEN_ACCESS_TOKEN is set (in that order of precedence).
    Login(LoginArgs),
    /// Show which credential API commands use and the stored login's state (no network, no
    /// token shown).
    Status,
    /// Revoke the stored login (best effort) and delete it.
    Logout,
}

/// `heygen auth login` options.
#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    /// Your app's OAuth client id, issued by HeyGen [env: HEYGEN_CLIENT_ID].
    #[arg(long, env = "HEYGEN_CLIENT_ID", hide_env = true, value_name = "ID")]
    client_id: String,
    /// Use the device flow: print a code and a page to enter it on, then wait.
    #[arg(long)]
    device_code: bool,
    /// Do not open a browser; only print the URL.
    #[arg(long)]
    no_browser: bool,
    /// Scopes to ask for, space-separated.
    #[arg(long, default_value = "openid profile email", value_name = "SCOPES")]
    scope: String,
    /// How long to wait for the browser's redirect, in seconds.
    #[arg(long, default_value = "300", value_name = "SECS", value_parser = parse_seconds)]
    timeout: f64,
    /// Origin of the token, revoke and device endpoints (default https://api2.heygen.com); its
    /// /oauth/authorize is the authorize page unless --authorize-url is given
    /// [env: HEYGEN_OAUTH_BASE].
    #[arg(long, env = "HEYGEN_OAUTH_BASE", hide_env = true, value_name = "URL")]
    oauth_base_url: Option<String>,
    /// The authorize page (default https://app.heygen.com/oauth/authorize)
    /// [env: HEYGEN_OAUTH_AUTHORIZE_URL].
    #[arg(
        long,
        env = "HEYGEN_OAUTH_AUTHORIZE_URL",
        hide_env = true,
        value_name = "URL"
    )]
    authorize_url: Option<String>,
}

/// The login file's contents. Not `Debug`: it holds the tokens.
#[derive(Serialize, Deserialize, Clone)]
struct StoredLogin {
    client_id: String,
    authorize_url: String,
    oauth_base_url: String,
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    /// Unix time, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    /// When the access token was obtained: Unix time, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issued_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
}

impl StoredLogin {
    fn app(&self) -> Result<OAuthApp, Failure> {
        Ok(OAuthApp::new(&self.client_id)
            .with_authorize_url(&self.authorize_url)?
            .with_base_url(&self.oauth_base_url)?)
    }

    fn credential(&self) -> OAuthCredential {
        let mut credential = OAuthCredential::new(AccessToken::new(&self.access_token));
        if let Some(refresh) = &self.refresh_token {
            credential = credential.with_refresh_token(RefreshToken::new(refresh));
        }
        if let Some(at) = self.expires_at {
            credential = credential.with_expires_at(Duration::from_secs(at));
        }
        if let Some(at) = self.issued_at {
            credential = credential.with_issued_at(Duration::from_secs(at));
        }
        credential
    }

    /// This login with the tokens of `credential`.
    fn with_credential(&self, credential: &OAuthCredential) -> Self {
        Self {
            access_token: credential.access_token.expose_secret().to_owned(),
            refresh_token: credential
                .refresh_token
                .as_ref()
                .map(|t| t.expose_secret().to_owned()),
            expires_at: credential.expires_at.map(|d| d.as_secs()),
            issued_at: credential.issued_at.map(|d| d.as_secs()),
            ..self.clone()
        }
    }
}

/// The credential API commands send.
pub(crate) enum ApiCredential {
    ApiKey(String),
    AccessToken(String),
    Login(OAuthSession),
}

impl ApiCredential {
    /// Sets this credential on a configuration builder.
    pub(crate) fn apply(self, builder: ConfigBuilder) -> ConfigBuilder {
        match self {
            Self::ApiKey(key) => builder.api_key(key),
            Self::AccessToken(token) => builder.access_token(token),
            Self::Login(session) => builder.oauth(session),
        }
    }
}

fn non_blank(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// The credential for an API command, in the documented order.
///
/// # Errors
/// `cli_missing_api_key` (exit 3) when there is none; a stored login that cannot be read.
pub(crate) fn api_credential(global: &GlobalArgs) -> Result<ApiCredential, Failure> {
    if let Some(key) = non_blank(global.api_key.clone()) {
        return Ok(ApiCredential::ApiKey(key));
    }
    if let Some(token) = non_blank(std::env::var(ACCESS_TOKEN_ENV).ok()) {
        return Ok(ApiCredential::AccessToken(token.trim().to_owned()));
    }
    let path = token_path()?;
    let Some(login) = load(&path)? else {
        return Err(Failure::missing_api_key());
    };
    let template = login.clone();
    let store = FileStore {
        path: path.clone(),
        login: login.clone(),
        held: std::sync::Mutex::new(None),
    };
    let session = OAuthSession::new(login.app()?, login.credential())
        .store(store)
        .on_refresh(move |credential: &OAuthCredential| {
            // Best effort: a refresh that cannot be saved still serves this process.
            let _ = save(&path, &template.with_credential(credential));
        });
    Ok(ApiCredential::Login(session))
}

/// The login file as the session's [`CredentialStore`], shared with other `heygen` processes.
struct FileStore {
    path: PathBuf,
    /// The login this process started from: a stored login of another app or server is not
    /// taken.
    login: StoredLogin,
    /// The lock file while this process refreshes.
    held: std::sync::Mutex<Option<std::fs::File>>,
}

impl FileStore {
    /// Takes the advisory lock, waiting up to [`LOCK_WAIT`] for another process's refresh;
    /// `None` when the lock file cannot be opened or the wait ran out (the refresh then goes
    /// ahead unlocked, and a refused refresh token is still read again from the file).
    fn lock(&self) -> Option<std::fs::File> {
        let path = self.path.with_file_name(LOCK_FILE);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path).ok()?;
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => return Some(file),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(_) => return None,
            }
        }
    }
}

impl CredentialStore for FileStore {
    fn acquire(&self) -> Option<OAuthCredential> {
        let file = self.lock();
        *self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = file;
        self.load()
    }

    fn load(&self) -> Option<OAuthCredential> {
        let stored = load(&self.path).ok().flatten()?;
        (stored.client_id == self.login.client_id
            && stored.oauth_base_url == self.login.oauth_base_url)
            .then(|| stored.credential())
    }

    fn release(&self) {
        // Closing the file releases the lock.
        drop(
            self.held
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take(),
        );
    }
}

/// The stored tokens, so the output can scrub them whatever happens.
pub(crate) fn stored_secrets() -> Vec<String> {
    let Ok(path) = token_path() else {
        return Vec::new();
    };
    match load(&path) {
        Ok(Some(login)) => [Some(login.access_token), login.refresh_token]
            .into_iter()
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}

/// Runs `heygen auth …`.
pub(crate) fn run(out: &Output, global: &GlobalArgs, command: AuthCommand) -> Result<(), Failure> {
    match command {
        AuthCommand::Login(args) => login(out, global, &args),
        AuthCommand::Status => status(out, global),
        AuthCommand::Logout => logout(out, global),
    }
}

/// A client for the authorization server. Its configuration needs a credential to build, but
/// the OAuth operations never send one (they are form posts with the client id), so a
/// placeholder that is never put on the wire stands in.
fn oauth_backend(global: &GlobalArgs) -> Result<Backend, Failure> {
    let mut builder = Config::builder()
        .access_token("heygen-cli-oauth-placeholder")
        .user_agent(concat!("heygen-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(secs) = global.request_timeout {
        let each = Duration::from_secs_f64(secs);
        builder = builder.timeouts(
            heygen_core::Timeouts::new()
                .read(each)
                .write(each)
                .connect(each.min(Duration::from_secs(10))),
        );
    }
    Ok(Backend::connect(global.transport, builder.build()?)?)
}

fn unix_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

fn random<const N: usize>() -> Result<[u8; N], Failure> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| {
        Failure::new(
            EXIT_API,
            "cli_login_failed",
            format!("no random source: {e}"),
        )
    })?;
    Ok(bytes)
}

fn login_failure(message: impl Into<String>) -> Failure {
    Failure::new(EXIT_AUTH, "cli_login_failed", message)
}

fn login(out: &Output, global: &GlobalArgs, args: &LoginArgs) -> Result<(), Failure> {
    if args.client_id.trim().is_empty() {
        return Err(Failure::usage("--client-id must not be empty"));
    }
    let mut app = OAuthApp::new(args.client_id.trim());
    if let Some(base) = non_blank(args.oauth_base_url.clone()) {
        app = app.with_base_url(&base)?;
        let page = format!("{}/oauth/authorize", app.base_url());
        app = app.with_authorize_url(&page)?;
    }
    if let Some(page) = non_blank(args.authorize_url.clone()) {
        app = app.with_authorize_url(&page)?;
    }
    let backend = oauth_backend(global)?;
    let scope = non_blank(Some(args.scope.clone()));
    let credential = if args.device_code {
        device_login(out, &backend, &app, scope.clone(), args.no_browser)?
    } else {
        browser_login(out, &backend, &app, scope.as_deref(), args)?
    };
    let login = StoredLogin {
        client_id: app.client_id().as_str().to_owned(),
        authorize_url: app.authorize_endpoint().to_owned(),
        oauth_base_url: app.base_url().to_owned(),
        access_token: String::new(),
        refresh_token: None,
        expires_at: None,
        issued_at: None,
        scope,
    }
    .with_credential(&credential);
    let path = token_path()?;
    save(&path, &login)?;
    out.data(&serde_json::json!({
        "logged_in": true,
        "client_id": login.client_id,
        "expires_at": login.expires_at,
        "refreshable": login.refresh_token.is_some(),
        "scope": login.scope,
        "token_file": path.display().to_string(),
    }))
}

/// The authorization-code flow: a one-shot loopback listener on an ephemeral port, the
/// authorize URL (printed, and opened in a browser unless `--no-browser`), the redirect's
/// `state` checked once, then the code exchanged with the PKCE verifier.
fn browser_login(
    out: &Output,
    backend: &Backend,
    app: &OAuthApp,
    scope: Option<&str>,
    args: &LoginArgs,
) -> Result<OAuthCredential, Failure> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| login_failure(format!("could not listen on 127.0.0.1: {e}")))?;
    let port = listener
        .local_addr()
        .map_err(|e| login_failure(e.to_string()))?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");
    let pkce = Pkce::from_entropy(&random::<32>()?);
    let state = state_from_entropy(&random::<16>()?);
    let url = app.authorization_url(&redirect_uri, scope, &state, &pkce);
    out.log(&format!("to log in, open this page in a browser:\n{url}"));
    if !args.no_browser {
        open_browser(&url);
    }
    let deadline = Instant::now() + Duration::from_secs_f64(args.timeout);
    let code = wait_for_redirect(&listener, deadline, &state)?;
    let sent_at = unix_now();
    let response = backend.run(Call::lazy(ExchangeCode::new(
        app.clone(),
        code,
        redirect_uri,
        &pkce,
    )))?;
    Ok(OAuthCredential::from_response(response, Some(sent_at)))
}

/// Accepts connections until the callback arrives (other paths get a 404) or `deadline`;
/// checks the callback's `state` and answers it with a short page saying whether the login
/// went through. One callback only: a wrong `state` ends the login.
fn wait_for_redirect(
    listener: &TcpListener,
    deadline: Instant,
    state: &str,
) -> Result<AuthorizationCode, Failure> {
    listener
        .set_nonblocking(true)
        .map_err(|e| login_failure(e.to_string()))?;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                if let Some(code) = serve_one(stream, state) {
                    return code.map_err(|e| login_failure(e.to_string()));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    return Err(Failure::new(
                        EXIT_TIMEOUT,
                        "cli_login_timeout",
                        "no redirect from the browser before the timeout",
                    ));
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(e) => return Err(login_failure(format!("the loopback listener failed: {e}"))),
        }
    }
}

/// Reads one request; for the callback, the code or why there is none.
fn serve_one(
    mut stream: TcpStream,
    state: &str,
) -> Option<Result<AuthorizationCode, heygen_core::Error>> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let target = text
        .lines()
        .next()
        .and_then(|line| {
            let mut parts = line.split(' ');
            (parts.next() == Some("GET")).then(|| parts.next())?
        })
        .unwrap_or_default()
        .to_owned();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    if path != CALLBACK_PATH {
        respond(&mut stream, "404 Not Found", "Not found.");
        return None;
    }
    let code = parse_redirect(query, state);
    if code.is_ok() {
        respond(
            &mut stream,
            "200 OK",
            "Login received. You can close this page and return to the terminal.",
        );
    } else {
        respond(
            &mut stream,
            "400 Bad Request",
            "The login was not completed. Return to the terminal.",
        );
    }
    Some(code)
}

fn respond(stream: &mut TcpStream, status: &str, text: &str) {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>heygen</title></head><body><p>{text}</p></body></html>"
    );
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
}

/// Opens `url` in the desktop's browser, best effort.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// The device flow: prints the code and the page, then polls until the person approves.
fn device_login(
    out: &Output,
    backend: &Backend,
    app: &OAuthApp,
    scope: Option<String>,
    no_browser: bool,
) -> Result<OAuthCredential, Failure> {
    let device = backend.run(Call::lazy(AuthorizeDevice::new(app.clone(), scope)))?;
    out.log(&format!(
        "to log in, open {} and enter the code {}",
        device.verification_uri, device.user_code
    ));
    if let Some(complete) = &device.verification_uri_complete {
        out.log(&format!("or open {complete}"));
        if !no_browser {
            open_browser(complete);
        }
    }
    let tokens = backend.run(DeviceLogin::new(app.clone(), &device))?;
    Ok(tokens.credential())
}

fn status(out: &Output, global: &GlobalArgs) -> Result<(), Failure> {
    let path = token_path()?;
    let login = load(&path)?;
    let source = if non_blank(global.api_key.clone()).is_some() {
        "api_key"
    } else if non_blank(std::env::var(ACCESS_TOKEN_ENV).ok()).is_some() {
        "access_token"
    } else if login.is_some() {
        "login"
    } else {
        "none"
    };
    let now = unix_now().as_secs();
    let mut value = serde_json::json!({
        "credential": source,
        "logged_in": login.is_some(),
        "token_file": path.display().to_string(),
    });
    if let Some(login) = &login {
        value["client_id"] = login.client_id.clone().into();
        value["expires_at"] = login.expires_at.into();
        value["expired"] = login.expires_at.is_some_and(|at| at <= now).into();
        value["refreshable"] = login.refresh_token.is_some().into();
        value["scope"] = login.scope.clone().into();
    }
    out.data(&value)
}

fn logout(out: &Output, global: &GlobalArgs) -> Result<(), Failure> {
    let path = token_path()?;
    let login = match load(&path) {
        Ok(Some(login)) => login,
        Ok(None) => {
            return out.data(&serde_json::json!({
                "logged_out": false,
                "revoked": false,
                "token_file": path.display().to_string(),
            }));
        }
        Err(failure) => {
            // A file that cannot be read or is no login holds nothing to revoke: delete it,
            // so a corrupt file does not lock every command out.
            out.log(&format!(
                "{} is not a readable heygen login ({}); deleting it",
                path.display(),
                failure.code
            ));
            remove_login(&path)?;
            return out.data(&serde_json::json!({
                "logged_out": true,
                "revoked": false,
                "token_file": path.display().to_string(),
            }));
        }
    };
    // Best effort: a server that cannot be reached does not keep the tokens on disk.
    let revoked = login
        .app()
        .ok()
        .zip(oauth_backend(global).ok())
        .is_some_and(|(app, backend)| {
            let refresh = login.refresh_token.as_ref().map(|token| {
                backend.run(Call::lazy(RevokeToken::refresh_token(
                    app.clone(),
                    &RefreshToken::new(token),
                )))
            });
            let access = backend.run(Call::lazy(RevokeToken::access_token(
                app,
                &AccessToken::new(&login.access_token),
            )));
            access.is_ok() && refresh.is_none_or(|r| r.is_ok())
        });
    remove_login(&path)?;
    out.data(&serde_json::json!({
        "logged_out": true,
        "revoked": revoked,
        "token_file": path.display().to_string(),
    }))
}

/// Deletes the login file (and, best effort, its lock file).
fn remove_login(path: &Path) -> Result<(), Failure> {
    std::fs::remove_file(path).map_err(|e| {
        Failure::new(
            EXIT_API,
            "cli_logout_failed",
            format!("could not delete {}: {e}", path.display()),
        )
    })?;
    let _ = std::fs::remove_file(path.with_file_name(LOCK_FILE));
    Ok(())
}

/// The login file's path (see the module docs).
fn token_path() -> Result<PathBuf, Failure> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join(TOKEN_FILE));
    }
    let env_dir = |name: &str| {
        std::env::var_os(name)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(windows) {
        env_dir("APPDATA")
    } else if cfg!(target_os = "macos") {
        env_dir("HOME").map(|h| h.join("Library").join("Application Support"))
    } else {
        env_dir("XDG_CONFIG_HOME").or_else(|| env_dir("HOME").map(|h| h.join(".config")))
    };
    base.map(|dir| dir.join("heygen").join(TOKEN_FILE))
        .ok_or_else(|| {
            Failure::new(
                EXIT_API,
                "cli_no_config_dir",
                "no config directory: set HEYGEN_CONFIG_DIR",
            )
        })
}

/// The stored login, `None` when there is no file.
///
/// # Errors
/// `cli_login_unreadable` (exit 3) naming the file (`token_file`), never its content, when it
/// cannot be read or is not a login.
fn load(path: &Path) -> Result<Option<StoredLogin>, Failure> {
    let unreadable = |message: String| {
        Failure::new(EXIT_AUTH, "cli_login_unreadable", message)
            .with_id("token_file", path.display().to_string())
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(unreadable(format!(
                "could not read {}: {e}; `heygen auth logout` deletes it",
                path.display()
            )));
        }
    };
    serde_json::from_str(&text).map(Some).map_err(|_| {
        unreadable(format!(
            "{} is not a heygen login; run `heygen auth logout` to delete it, then `heygen auth login`",
            path.display()
        ))
    })
}

/// Writes the login: to a temporary file of this write's own (a random name in the same
/// directory, created new with mode 0600 on Unix), then renamed over the old one, so a reader
/// never sees half a file, two processes never write the same temporary file, and the tokens
/// are never readable by others.
fn save(path: &Path, login: &StoredLogin) -> Result<(), Failure> {
    let fail = |e: &dyn std::fmt::Display| {
        Failure::new(
            EXIT_API,
            "cli_login_not_saved",
            format!("could not write {}: {e}", path.display()),
        )
    };
    if let Some(dir) = path.parent() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| fail(&e))?;
    }
    let json = serde_json::to_vec_pretty(login).map_err(|e| fail(&e))?;
    let tag = u64::from_le_bytes(random::<8>()?);
    let tmp = path.with_file_name(format!(
        ".{TOKEN_FILE}.{}.{tag:016x}.tmp",
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(|e| fail(&e))?;
    let written = write_private(&mut file, &json).and_then(|()| {
        drop(file);
        std::fs::rename(&tmp, path)
    });
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(&e)
    })
}

/// Makes `file` readable by its owner only (Unix) and writes `bytes` to disk.
fn write_private(file: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}
