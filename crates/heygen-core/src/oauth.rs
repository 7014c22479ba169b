//! OAuth 2.0 for public clients (no client secret), sans-IO like the rest of the core.
//!
//! - [`Pkce`]: the code verifier and its S256 challenge, from 32 random bytes the caller draws.
//! - [`OAuthApp`]: the app's client id and the authorization server's URLs (HeyGen's by
//!   default; configurable so a local server such as the emulator can stand in), and
//!   [`OAuthApp::authorization_url`] for the browser step.
//! - Operations on the authorization server's own base URL, form-encoded, with no API
//!   credential: [`ExchangeCode`], [`RefreshAccessToken`], [`RevokeToken`],
//!   [`AuthorizeDevice`], [`PollDeviceToken`]; and [`DeviceLogin`], the workflow that polls the
//!   token endpoint at the server's interval until the person approves.
//! - [`OAuthCredential`] (access token, refresh token, expiry) and [`OAuthSession`], the shared,
//!   refreshing credential a [`crate::Config`] can hold. A [`crate::Call`] against such a config
//!   refreshes the token before a call when it expires within the skew (60 s by default), and
//!   after a 401 refreshes once and sends the same request (same idempotency key) once more.
//!   Refreshes are serialised across every call sharing the session: one call holds the
//!   [`RefreshLease`], the others sleep for [`REFRESH_WAIT`] and look again, and a call that saw
//!   its token rejected at generation `N` asks for a refresh only if the session is still at
//!   `N`. Only a 400 or 401 from the token endpoint (whatever its body) means the refresh
//!   token is dead ([`crate::Error::LoginRequired`]); any other failure is transient.
//! - [`CredentialStore`]: where a login shared by several processes lives (the CLI's token
//!   file). With one, a session takes the stored credential when another process renewed it
//!   before refreshing, or rotated the refresh token the server just refused.
//!
//! Time is an argument: expiries are Unix times (durations since the epoch), and the clients
//! pass the wall-clock time in [`crate::Cx::unix_time`].
//!
//! ```
//! use std::time::Duration;
//! use heygen_core::Config;
//! use heygen_core::oauth::{
//!     AccessToken, OAuthApp, OAuthCredential, OAuthSession, Pkce, RefreshToken,
//! };
//!
//! // The browser step of a login: the authorize URL with PKCE and `state`.
//! let app = OAuthApp::new("my_app");
//! let pkce = Pkce::from_entropy(&[7; 32]); // draw these bytes from the OS random source
//! let redirect = "http://127.0.0.1:53682/oauth/callback";
//! let url = app.authorization_url(redirect, Some("openid"), "st_1", &pkce);
//! assert!(url.starts_with("https://app.heygen.com/oauth/authorize?response_type=code&"));
//!
//! // A stored login as a refreshing credential: every call through `config` renews it.
//! let credential = OAuthCredential::new(AccessToken::new("at_…"))
//!     .with_refresh_token(RefreshToken::new("rt_…"))
//!     .with_expires_at(Duration::from_secs(1_900_000_000));
//! let session = OAuthSession::new(app, credential).on_refresh(|new| {
//!     // store `new` (access token, refresh token, expiry) for the next run
//!     let _ = new;
//! });
//! let config = Config::builder().oauth(session).build()?;
//! assert!(config.oauth().is_some());
//! # Ok::<(), heygen_core::Error>(())
//! ```

use core::fmt;
use core::time::Duration;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use base64::Engine as _;
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use http::{Method, Request, Response, StatusCode};
use sha2::{Digest as _, Sha256};

pub use heygen_model::oauth::{
    AccessToken, AuthorizationCode, ClientId, DeviceAuthorization, DeviceCode, OAuthErrorBody,
    RefreshToken, TokenResponse,
};

use crate::body::Body;
use crate::call::Call;
use crate::config::{Config, normalize_base_url, secret_forms};
use crate::error::{ApiError, Error, LoginRequired};
use crate::operation::{Operation, encode_query};
use crate::response::{Meta, ResponseLimits, Target, decode_body, parse_response, request_id};
use crate::workflow::{Cx, Event, Next, Workflow, delegate, over};

/// HeyGen's authorize page.
pub const DEFAULT_AUTHORIZE_URL: &str = "https://app.heygen.com/oauth/authorize";

/// The origin of HeyGen's token, revoke and device authorization endpoints.
pub const DEFAULT_OAUTH_BASE_URL: &str = "https://api2.heygen.com";

/// The token endpoint's path (every grant).
pub const TOKEN_PATH: &str = "/v1/oauth/token";

/// The revocation endpoint's path.
pub const REVOKE_PATH: &str = "/v1/oauth/revoke";

/// The device authorization endpoint's path.
pub const DEVICE_AUTHORIZATION_PATH: &str = "/v1/oauth/device_authorization";

/// The grant type of the device flow's token requests.
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// How long before its expiry an access token is refreshed by default (60 s).
pub const DEFAULT_REFRESH_SKEW: Duration = Duration::from_mins(1);

/// How long a call sleeps before looking again while another call refreshes the token (20 ms).
pub const REFRESH_WAIT: Duration = Duration::from_millis(20);

/// The device flow's poll interval when the server gives none (5 s).
pub const DEFAULT_DEVICE_INTERVAL: Duration = Duration::from_secs(5);

/// What a `slow_down` answer adds to the device flow's poll interval (5 s).
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// Base64url without padding (RFC 7636 appendix A).
fn base64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The S256 code challenge of a verifier: base64url (no padding) of its SHA-256.
pub fn challenge_s256(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

/// A `state` value for the authorize URL: 16 random bytes as base64url (22 characters).
pub fn state_from_entropy(entropy: &[u8; 16]) -> String {
    base64url(entropy)
}

/// A PKCE code verifier (RFC 7636). `Debug` shows `PkceVerifier(<redacted>)`.
#[derive(Clone, PartialEq, Eq)]
pub struct PkceVerifier(String);

impl PkceVerifier {
    /// The verifier text, sent once in the code exchange.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PkceVerifier(<redacted>)")
    }
}

/// A PKCE pair: the verifier kept by the client, and the S256 challenge sent in the
/// authorize URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pkce {
    verifier: PkceVerifier,
    challenge: String,
}

impl Pkce {
    /// The challenge method this SDK uses.
    pub const METHOD: &'static str = "S256";

    /// A verifier made from 32 random bytes (base64url without padding: 43 characters) and its
    /// challenge. Draw the bytes from a cryptographic random source.
    pub fn from_entropy(entropy: &[u8; 32]) -> Self {
        let verifier = base64url(entropy);
        let challenge = challenge_s256(&verifier);
        Self {
            verifier: PkceVerifier(verifier),
            challenge,
        }
    }

    /// A pair from an existing verifier.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] unless the verifier is 43 to 128 characters of
    /// `[A-Za-z0-9-._~]`.
    pub fn from_verifier(verifier: impl Into<String>) -> Result<Self, Error> {
        let verifier = verifier.into();
        let valid = (43..=128).contains(&verifier.len())
            && verifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
        if !valid {
            return Err(Error::invalid_request(
                Some("code_verifier"),
                "must be 43 to 128 characters of letters, digits, `-`, `.`, `_` or `~`",
            ));
        }
        let challenge = challenge_s256(&verifier);
        Ok(Self {
            verifier: PkceVerifier(verifier),
            challenge,
        })
    }

    /// The verifier.
    pub fn verifier(&self) -> &PkceVerifier {
        &self.verifier
    }

    /// The S256 challenge.
    pub fn challenge(&self) -> &str {
        &self.challenge
    }
}

/// An OAuth app: its client id (issued to the app by HeyGen; the SDK has none of its own) and
/// the authorization server's URLs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthApp {
    client_id: ClientId,
    authorize_url: String,
    base_url: String,
}

impl OAuthApp {
    /// An app with HeyGen's authorize page and token server.
    pub fn new(client_id: impl Into<String>) -> Self {
        Self {
            client_id: ClientId::new(client_id),
            authorize_url: DEFAULT_AUTHORIZE_URL.to_owned(),
            base_url: DEFAULT_OAUTH_BASE_URL.to_owned(),
        }
    }

    /// This app with another authorize page (a full URL; `http` only for loopback hosts).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for a URL [`crate::ConfigBuilder::base_url`] would refuse.
    pub fn with_authorize_url(mut self, url: &str) -> Result<Self, Error> {
        self.authorize_url = normalize_base_url(url)?;
        Ok(self)
    }

    /// This app with another origin for the token, revoke and device endpoints (`http` only
    /// for loopback hosts).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for a URL [`crate::ConfigBuilder::base_url`] would refuse.
    pub fn with_base_url(mut self, url: &str) -> Result<Self, Error> {
        self.base_url = normalize_base_url(url)?;
        Ok(self)
    }

    /// The client id.
    pub fn client_id(&self) -> &ClientId {
        &self.client_id
    }

    /// The authorize page.
    pub fn authorize_endpoint(&self) -> &str {
        &self.authorize_url
    }

    /// The origin of the token, revoke and device endpoints, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URL the person opens to approve the app: `response_type=code`, the client id, the
    /// redirect URI, the scopes (space-separated) when given, `state`, and the PKCE S256
    /// challenge, each percent-encoded.
    pub fn authorization_url(
        &self,
        redirect_uri: &str,
        scope: Option<&str>,
        state: &str,
        pkce: &Pkce,
    ) -> String {
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", redirect_uri),
        ];
        if let Some(scope) = scope {
            pairs.push(("scope", scope));
        }
        pairs.push(("state", state));
        pairs.push(("code_challenge", pkce.challenge()));
        pairs.push(("code_challenge_method", Pkce::METHOD));
        let mut url = self.authorize_url.clone();
        let query = encode_query(&pairs);
        if url.contains('?') {
            url.push('&');
            url.push_str(&query[1..]);
        } else {
            url.push_str(&query);
        }
        url
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// Reads the query of the redirect back from the authorize page (`code=…&state=…`, or
/// `error=…`), checking `state` against the one sent.
///
/// # Errors
/// [`Error::InvalidRequest`] when the state is missing or differs (the redirect did not come
/// from this login), when the server answered with an `error` (named in the message), or when
/// there is no code.
pub fn parse_redirect(query: &str, expected_state: &str) -> Result<AuthorizationCode, Error> {
    let mut code = None;
    let mut state = None;
    let mut error = None;
    for pair in query.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = form_decode(value);
        match key {
            "code" => code = Some(value),
            "state" => state = Some(value),
            "error" => error = Some(value),
            _ => {}
        }
    }
    if state.as_deref() != Some(expected_state) {
        return Err(Error::invalid_request(
            Some("state"),
            "the redirect's state does not match the one sent",
        ));
    }
    if let Some(error) = error {
        let error: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(64)
            .collect();
        return Err(Error::invalid_request(
            None,
            format!("the authorization server refused: {error}"),
        ));
    }
    match code {
        Some(code) if !code.is_empty() => Ok(AuthorizationCode::new(code)),
        _ => Err(Error::invalid_request(
            Some("code"),
            "the redirect carries no code",
        )),
    }
}

/// Decodes one `application/x-www-form-urlencoded` value.
fn form_decode(value: &str) -> String {
    let plus = value.replace('+', " ");
    percent_encoding::percent_decode_str(&plus)
        .decode_utf8_lossy()
        .into_owned()
}

/// A form-encoded `POST` to the authorization server: `Accept: application/json`, the user
/// agent, no API credential.
fn form_request(
    app: &OAuthApp,
    config: &Config,
    path: &str,
    pairs: &[(&str, &str)],
) -> Result<Request<Body>, Error> {
    let uri = http::Uri::try_from(app.url(path))
        .map_err(|_| Error::invalid_request(None, "the oauth url is invalid"))?;
    let query = encode_query(pairs);
    let body = query.get(1..).unwrap_or_default().as_bytes().to_vec();
    let mut request = Request::new(Body::Bytes(Bytes::from(body)));
    *request.method_mut() = Method::POST;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(USER_AGENT, config.user_agent().clone());
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    Ok(request)
}

/// Reads an answer of the authorization server: the typed body on a 2xx, an OAuth error body
/// (`{"error": "invalid_grant", …}`) as [`Error::Api`] with the code, and anything else the way
/// API responses are read.
fn parse_oauth<T: serde::de::DeserializeOwned>(
    path: &'static str,
    response: &Response<&[u8]>,
    limits: &ResponseLimits,
) -> Result<T, Error> {
    let meta = Meta {
        method: &Method::POST,
        path,
    };
    if let Some(error) = oauth_error(path, response, limits) {
        return Err(error);
    }
    parse_response(meta, Target::Whole, response, limits)
}

fn oauth_error(
    path: &'static str,
    response: &Response<&[u8]>,
    limits: &ResponseLimits,
) -> Option<Error> {
    let status = response.status();
    let headers = response.headers();
    let body = decode_body(status, headers, response.body(), limits).ok()?;
    let body: OAuthErrorBody = serde_json::from_slice(&body).ok()?;
    if body.error.trim().is_empty() {
        return None;
    }
    let text = |s: &str| crate::redact::redact_secrets(&s.chars().take(512).collect::<String>());
    Some(Error::Api(Box::new(ApiError {
        method: Method::POST,
        path,
        status,
        code: Some(text(&body.error)),
        message: body.error_description.as_deref().map(text),
        param: None,
        doc_url: body.error_uri.as_deref().map(text),
        request_id: request_id(headers),
        retry_after: crate::response::parse_retry_after(headers),
    })))
}

macro_rules! oauth_operation {
    ($ty:ty, $output:ty, $path:expr, idempotent: $idem:expr, |$s:ident, $config:ident| $build:expr, |$response:ident, $limits:ident| $parse:expr) => {
        impl Operation for $ty {
            type Output = $output;

            fn method(&self) -> Method {
                Method::POST
            }

            fn path_template(&self) -> &'static str {
                $path
            }

            fn accepts_idempotency_key(&self) -> bool {
                false
            }

            fn is_idempotent(&self) -> bool {
                $idem
            }

            fn sends_credentials(&self) -> bool {
                false
            }

            fn build(&self, $config: &Config) -> Result<Request<Body>, Error> {
                let $s = self;
                $build
            }

            fn parse(
                &self,
                $response: Response<&[u8]>,
                $limits: &ResponseLimits,
            ) -> Result<$output, Error> {
                $parse
            }
        }
    };
}

/// Trades the code from the redirect for tokens (`grant_type=authorization_code`):
/// `POST /v1/oauth/token` with the code, the same redirect URI, the client id and the PKCE
/// verifier.
#[derive(Clone, Debug)]
pub struct ExchangeCode {
    app: OAuthApp,
    code: AuthorizationCode,
    redirect_uri: String,
    verifier: PkceVerifier,
}

impl ExchangeCode {
    /// The exchange of `code`, sent with the redirect URI of the authorize URL and the verifier
    /// of its challenge.
    pub fn new(
        app: OAuthApp,
        code: AuthorizationCode,
        redirect_uri: impl Into<String>,
        pkce: &Pkce,
    ) -> Self {
        Self {
            app,
            code,
            redirect_uri: redirect_uri.into(),
            verifier: pkce.verifier().clone(),
        }
    }
}

oauth_operation!(ExchangeCode, TokenResponse, TOKEN_PATH, idempotent: false,
    |op, config| form_request(&op.app, config, TOKEN_PATH, &[
        ("grant_type", "authorization_code"),
        ("code", op.code.expose_secret()),
        ("redirect_uri", &op.redirect_uri),
        ("client_id", op.app.client_id().as_str()),
        ("code_verifier", op.verifier.expose_secret()),
    ]),
    |response, limits| parse_oauth(TOKEN_PATH, &response, limits));

/// Trades a refresh token for a new access token (`grant_type=refresh_token`):
/// `POST /v1/oauth/token` with the refresh token and the client id. Retried like an idempotent
/// request (on 5xx and lost connections).
#[derive(Clone, Debug)]
pub struct RefreshAccessToken {
    app: OAuthApp,
    refresh_token: RefreshToken,
}

impl RefreshAccessToken {
    /// The refresh of `refresh_token`.
    pub fn new(app: OAuthApp, refresh_token: RefreshToken) -> Self {
        Self { app, refresh_token }
    }
}

oauth_operation!(RefreshAccessToken, TokenResponse, TOKEN_PATH, idempotent: true,
    |op, config| form_request(&op.app, config, TOKEN_PATH, &[
        ("grant_type", "refresh_token"),
        ("refresh_token", op.refresh_token.expose_secret()),
        ("client_id", op.app.client_id().as_str()),
    ]),
    |response, limits| parse_oauth(TOKEN_PATH, &response, limits));

/// Revokes an access or refresh token: `POST /v1/oauth/revoke` with the token and the client
/// id. Best effort: any 2xx is success, whatever the body.
#[derive(Clone)]
pub struct RevokeToken {
    app: OAuthApp,
    token: String,
}

impl fmt::Debug for RevokeToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RevokeToken")
            .field("app", &self.app)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl RevokeToken {
    /// Revokes a refresh token (and, on most servers, the access tokens issued from it).
    pub fn refresh_token(app: OAuthApp, token: &RefreshToken) -> Self {
        Self {
            app,
            token: token.expose_secret().to_owned(),
        }
    }

    /// Revokes an access token.
    pub fn access_token(app: OAuthApp, token: &AccessToken) -> Self {
        Self {
            app,
            token: token.expose_secret().to_owned(),
        }
    }
}

oauth_operation!(RevokeToken, (), REVOKE_PATH, idempotent: true,
|op, config| form_request(&op.app, config, REVOKE_PATH, &[
    ("token", &op.token),
    ("client_id", op.app.client_id().as_str()),
]),
|response, limits| {
    if response.status().is_success() {
        Ok(())
    } else {
        parse_oauth::<serde_json::Value>(REVOKE_PATH, &response, limits).map(|_| ())
    }
});

/// Starts the device flow: `POST /v1/oauth/device_authorization` with the client id and the
/// scopes. The answer holds the code and page to show the person, and the device code to poll
/// with ([`DeviceLogin`]).
#[derive(Clone, Debug)]
pub struct AuthorizeDevice {
    app: OAuthApp,
    scope: Option<String>,
}

impl AuthorizeDevice {
    /// A device authorization for `app`, asking for `scope` (space-separated) when given.
    pub fn new(app: OAuthApp, scope: Option<String>) -> Self {
        Self { app, scope }
    }
}

oauth_operation!(AuthorizeDevice, DeviceAuthorization, DEVICE_AUTHORIZATION_PATH, idempotent: false,
    |op, config| {
        let mut pairs = vec![("client_id", op.app.client_id().as_str())];
        if let Some(scope) = &op.scope {
            pairs.push(("scope", scope));
        }
        form_request(&op.app, config, DEVICE_AUTHORIZATION_PATH, &pairs)
    },
    |response, limits| parse_oauth(DEVICE_AUTHORIZATION_PATH, &response, limits));

/// One poll of the device flow: `POST /v1/oauth/token` with
/// `grant_type=urn:ietf:params:oauth:grant-type:device_code`, the device code and the client
/// id. Until the person approves, the server answers 400 `authorization_pending` (or
/// `slow_down`); [`DeviceLogin`] runs the polls.
#[derive(Clone, Debug)]
pub struct PollDeviceToken {
    app: OAuthApp,
    device_code: DeviceCode,
}

impl PollDeviceToken {
    /// A poll with `device_code`.
    pub fn new(app: OAuthApp, device_code: DeviceCode) -> Self {
        Self { app, device_code }
    }
}

oauth_operation!(PollDeviceToken, TokenResponse, TOKEN_PATH, idempotent: true,
    |op, config| form_request(&op.app, config, TOKEN_PATH, &[
        ("grant_type", DEVICE_CODE_GRANT),
        ("device_code", op.device_code.expose_secret()),
        ("client_id", op.app.client_id().as_str()),
    ]),
    |response, limits| parse_oauth(TOKEN_PATH, &response, limits));

/// Tokens obtained, with the Unix time (seconds since the epoch) the request that got them was
/// sent: what a login ends with.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tokens {
    /// The server's answer.
    pub response: TokenResponse,
    /// When the request was sent (Unix time), when the client told the workflow.
    pub sent_at: Option<Duration>,
}

impl Tokens {
    /// The credential these tokens make (see [`OAuthCredential::from_response`]).
    pub fn credential(&self) -> OAuthCredential {
        OAuthCredential::from_response(self.response.clone(), self.sent_at)
    }
}

/// The device flow after [`AuthorizeDevice`]: polls the token endpoint every `interval`
/// seconds (5 s when the server gave none), adds 5 s on `slow_down`, keeps polling on
/// `authorization_pending`, and ends with the tokens, or with the server's error on
/// `access_denied`, `expired_token` or anything else, or with a timeout error once the device
/// code's `expires_in` has passed. Each poll is a [`Call`] with the usual retries.
#[derive(Debug)]
pub struct DeviceLogin {
    app: OAuthApp,
    device_code: DeviceCode,
    interval: Duration,
    expires_in: Option<Duration>,
    started: Option<Duration>,
    state: DeviceState,
}

#[derive(Debug)]
enum DeviceState {
    Poll,
    Calling {
        call: Box<Call<PollDeviceToken>>,
        sent_at: Option<Duration>,
    },
    Sleep,
    Done(Result<Tokens, Error>),
    Over,
}

impl DeviceLogin {
    /// The polls for the device authorization `device`.
    pub fn new(app: OAuthApp, device: &DeviceAuthorization) -> Self {
        Self {
            app,
            device_code: device.device_code.clone(),
            interval: device
                .interval
                .filter(|s| *s > 0)
                .map_or(DEFAULT_DEVICE_INTERVAL, Duration::from_secs),
            expires_in: device.expires_in.map(Duration::from_secs),
            started: None,
            state: DeviceState::Poll,
        }
    }

    /// The interval between polls now (after any `slow_down`).
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

impl Workflow for DeviceLogin {
    type Output = Tokens;
    type Item = core::convert::Infallible;

    fn next(&mut self, cx: &Cx<'_>) -> Next<Tokens> {
        let started = *self.started.get_or_insert(cx.now);
        loop {
            match core::mem::replace(&mut self.state, DeviceState::Over) {
                DeviceState::Poll => {
                    if let Some(expires) = self.expires_in
                        && cx.now.saturating_sub(started) >= expires
                    {
                        self.state = DeviceState::Done(Err(Error::invalid_request(
                            Some("device_code"),
                            "the device code expired before the login was approved",
                        )));
                        continue;
                    }
                    let op = PollDeviceToken::new(self.app.clone(), self.device_code.clone());
                    match Call::new(op, cx.config, cx.entropy) {
                        Ok(call) => {
                            self.state = DeviceState::Calling {
                                call: Box::new(call),
                                sent_at: None,
                            };
                        }
                        Err(error) => self.state = DeviceState::Done(Err(error)),
                    }
                }
                DeviceState::Calling { mut call, sent_at } => match delegate(&mut *call, cx) {
                    Ok(next) => {
                        let sent_at = if matches!(next, Next::Send(_)) {
                            cx.unix_time()
                        } else {
                            sent_at
                        };
                        self.state = DeviceState::Calling { call, sent_at };
                        return next;
                    }
                    Err(Ok(response)) => {
                        self.state = DeviceState::Done(Ok(Tokens { response, sent_at }));
                    }
                    Err(Err(error)) => match error.api_code() {
                        Some("authorization_pending") => self.state = DeviceState::Sleep,
                        Some("slow_down") => {
                            self.interval = self.interval.saturating_add(SLOW_DOWN_STEP);
                            self.state = DeviceState::Sleep;
                        }
                        _ => self.state = DeviceState::Done(Err(error)),
                    },
                },
                DeviceState::Sleep => {
                    self.state = DeviceState::Poll;
                    return Next::Sleep(self.interval);
                }
                DeviceState::Done(result) => return Next::Done(result),
                DeviceState::Over => return Next::Done(Err(over())),
            }
        }
    }

    fn handle(&mut self, event: Event<'_>, cx: &Cx<'_>) {
        if let DeviceState::Calling { call, .. } = &mut self.state {
            call.handle(event, cx);
        }
    }
}

/// An OAuth credential: the access token, the refresh token when there is one, and the Unix
/// time the access token expires when known.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthCredential {
    /// The access token sent as `Authorization: Bearer`.
    pub access_token: AccessToken,
    /// The refresh token; without one the credential cannot be renewed.
    pub refresh_token: Option<RefreshToken>,
    /// When the access token expires: Unix time (since the epoch), when known.
    pub expires_at: Option<Duration>,
    /// When the access token was obtained (the Unix time its request was sent), when known:
    /// with the expiry it gives the token's lifetime, and the refresh skew is at most half of
    /// it, so a token that lives less than the skew is not refreshed on every call.
    pub issued_at: Option<Duration>,
}

impl OAuthCredential {
    /// A credential with only an access token (no refresh, no known expiry).
    pub fn new(access_token: AccessToken) -> Self {
        Self {
            access_token,
            refresh_token: None,
            expires_at: None,
            issued_at: None,
        }
    }

    /// This credential with a refresh token.
    #[must_use]
    pub fn with_refresh_token(mut self, token: RefreshToken) -> Self {
        self.refresh_token = Some(token);
        self
    }

    /// This credential with an expiry (Unix time).
    #[must_use]
    pub fn with_expires_at(mut self, unix_time: Duration) -> Self {
        self.expires_at = Some(unix_time);
        self
    }

    /// This credential with the time its access token was obtained (Unix time).
    #[must_use]
    pub fn with_issued_at(mut self, unix_time: Duration) -> Self {
        self.issued_at = Some(unix_time);
        self
    }

    /// The access token's lifetime, when both its expiry and its issue time are known.
    pub fn lifetime(&self) -> Option<Duration> {
        self.expires_at
            .zip(self.issued_at)
            .map(|(at, issued)| at.saturating_sub(issued))
    }

    /// The credential of a token answer: the expiry is `sent_at` (the Unix time the request
    /// was sent) plus `expires_in`, and unknown when either is.
    pub fn from_response(response: TokenResponse, sent_at: Option<Duration>) -> Self {
        let expires_at = match (sent_at, response.expires_in) {
            (Some(sent), Some(secs)) => Some(sent.saturating_add(Duration::from_secs(secs))),
            _ => None,
        };
        Self {
            access_token: response.access_token,
            refresh_token: response.refresh_token,
            expires_at,
            issued_at: sent_at,
        }
    }

    /// This credential after a refresh answered `response`: the new access token and expiry,
    /// and the new refresh token, or the old one when the server did not rotate it.
    #[must_use]
    pub fn refreshed(&self, response: TokenResponse, sent_at: Option<Duration>) -> Self {
        let mut next = Self::from_response(response, sent_at);
        if next.refresh_token.is_none() {
            next.refresh_token.clone_from(&self.refresh_token);
        }
        next
    }

    /// Whether the access token should be refreshed before a call at `now` (Unix time): it
    /// expires at or before `now + skew`. An unknown expiry never asks for a refresh (a 401
    /// will).
    pub fn needs_refresh(&self, now: Duration, skew: Duration) -> bool {
        self.expires_at
            .is_some_and(|at| now.saturating_add(skew) >= at)
    }

    /// Whether the access token has expired at `now` (Unix time).
    pub fn is_expired(&self, now: Duration) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }
}

/// The callback told about every new credential (see [`OAuthSession::on_refresh`]).
type Observer = Arc<dyn Fn(&OAuthCredential) + Send + Sync>;

/// A shared, refreshing OAuth credential: put it in a [`crate::Config`] with
/// [`crate::ConfigBuilder::oauth`], and every call through that configuration (on any clone,
/// any thread or task) uses and renews it; see the [module docs](self).
///
/// Cloning shares the same state. `Debug` shows no token.
#[derive(Clone)]
pub struct OAuthSession {
    inner: Arc<Inner>,
}

struct Inner {
    app: OAuthApp,
    state: Mutex<SessionState>,
}

struct SessionState {
    credential: OAuthCredential,
    generation: u64,
    refreshing: bool,
    refreshes: u64,
    dead: Option<LoginRequired>,
    skew: Duration,
    observer: Option<Observer>,
    store: Option<Arc<dyn CredentialStore>>,
    /// The texts of the current and previous tokens, scrubbed from errors.
    forms: Vec<String>,
}

/// Where a login lives outside this session, when several processes share it (the CLI's token
/// file): with rotating refresh tokens, a refresh by one process makes every other process's
/// refresh token invalid, so a session asks its store for the credential it holds before
/// refreshing and before giving the login up. See [`OAuthSession::store`].
///
/// The store does the I/O (the core never touches files); its methods run on the calling
/// thread or task, outside the session's lock, so a store that waits for a lock blocks that
/// thread (an async client's worker too): keep the wait bounded.
pub trait CredentialStore: Send + Sync {
    /// A refresh is due: the credential the store holds now, or `None` when it holds none or
    /// cannot be read. The store may keep other processes from refreshing (an advisory file
    /// lock) until [`CredentialStore::release`]. When the stored credential differs from the
    /// session's (another process refreshed first), the session takes it instead of
    /// refreshing.
    fn acquire(&self) -> Option<OAuthCredential>;

    /// The token endpoint refused the session's refresh token (400 or 401): the credential the
    /// store holds now. One with another refresh token is taken and the call goes on; the same
    /// refresh token (or `None`) means the login is dead.
    fn load(&self) -> Option<OAuthCredential>;

    /// The refresh that [`CredentialStore::acquire`] began is over, however it ended (after the
    /// [observer](OAuthSession::on_refresh) saw a new credential).
    fn release(&self);
}

impl fmt::Debug for OAuthSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("OAuthSession")
            .field("app", &self.inner.app)
            .field("credential", &state.credential)
            .field("generation", &state.generation)
            .finish_non_exhaustive()
    }
}

impl PartialEq for OAuthSession {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for OAuthSession {}

/// What a call does about authentication before sending (see [`OAuthSession::decide`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthDecision {
    /// Send with this `Authorization` value (marked sensitive); the credential is at
    /// `generation`.
    Use {
        /// `Bearer <access token>`.
        header: HeaderValue,
        /// The generation of the credential the header comes from.
        generation: u64,
    },
    /// Refresh first: this call holds the lease (run [`RefreshLease::operation`] and report
    /// with [`RefreshLease::complete`]).
    Refresh(RefreshLease),
    /// Another call is refreshing: sleep [`REFRESH_WAIT`] and decide again.
    Wait,
    /// The refresh token is dead (or there is none and the token was refused): log in again.
    LoginRequired(Error),
}

impl OAuthSession {
    /// A session for `app` starting from `credential`, refreshing 60 s before expiry.
    pub fn new(app: OAuthApp, credential: OAuthCredential) -> Self {
        let forms = credential_forms(&credential);
        Self {
            inner: Arc::new(Inner {
                app,
                state: Mutex::new(SessionState {
                    credential,
                    generation: 0,
                    refreshing: false,
                    refreshes: 0,
                    dead: None,
                    skew: DEFAULT_REFRESH_SKEW,
                    observer: None,
                    store: None,
                    forms,
                }),
            }),
        }
    }

    /// This session refreshing `skew` before expiry instead of 60 s.
    #[must_use]
    pub fn refresh_skew(self, skew: Duration) -> Self {
        self.lock().skew = skew;
        self
    }

    /// This session calling `observer` with every new credential (after a refresh, or
    /// [`OAuthSession::set_credential`]), to persist it. It runs on the calling thread or task,
    /// outside the session's lock; keep it short.
    #[must_use]
    pub fn on_refresh(self, observer: impl Fn(&OAuthCredential) + Send + Sync + 'static) -> Self {
        self.lock().observer = Some(Arc::new(observer));
        self
    }

    /// This session sharing its login through `store` (see [`CredentialStore`]): before a
    /// refresh it takes the stored credential when another process renewed it, and when the
    /// token endpoint refuses its refresh token it takes a stored credential with another
    /// refresh token instead of failing with [`Error::LoginRequired`]. Saving new credentials
    /// stays with the [observer](OAuthSession::on_refresh).
    #[must_use]
    pub fn store(self, store: impl CredentialStore + 'static) -> Self {
        self.lock().store = Some(Arc::new(store));
        self
    }

    /// Takes `stored` in place of the credential of `generation` (still the current one) when
    /// it differs: in its refresh token, or, unless `new_refresh_token_only`, in its access
    /// token. Tells no observer: the credential came from the store.
    fn adopt(
        &self,
        generation: u64,
        stored: OAuthCredential,
        new_refresh_token_only: bool,
    ) -> bool {
        let mut state = self.lock();
        let current = &state.credential;
        let new_refresh =
            stored.refresh_token.is_some() && stored.refresh_token != current.refresh_token;
        let new_access = stored.access_token != current.access_token;
        let newer = new_refresh || (!new_refresh_token_only && new_access);
        if state.generation != generation || !newer {
            return false;
        }
        state.forms.extend(credential_forms(&stored));
        state.credential = stored;
        state.generation += 1;
        state.dead = None;
        true
    }

    fn lock(&self) -> MutexGuard<'_, SessionState> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The app.
    pub fn app(&self) -> &OAuthApp {
        &self.inner.app
    }

    /// The current credential.
    pub fn credential(&self) -> OAuthCredential {
        self.lock().credential.clone()
    }

    /// The credential's generation: 0 at the start, one more after each refresh or
    /// [`OAuthSession::set_credential`].
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Refreshes that succeeded so far.
    pub fn refreshes(&self) -> u64 {
        self.lock().refreshes
    }

    /// The refresh skew.
    pub fn skew(&self) -> Duration {
        self.lock().skew
    }

    /// Whether the refresh token was found dead: every call fails with
    /// [`Error::LoginRequired`] until [`OAuthSession::set_credential`].
    pub fn login_required(&self) -> bool {
        self.lock().dead.is_some()
    }

    /// Replaces the credential (a new login), clearing a dead state; tells the observer.
    pub fn set_credential(&self, credential: OAuthCredential) {
        let (credential, observer) = {
            let mut state = self.lock();
            state.forms.extend(credential_forms(&credential));
            state.credential = credential;
            state.generation += 1;
            state.dead = None;
            (state.credential.clone(), state.observer.clone())
        };
        if let Some(observer) = observer {
            observer(&credential);
        }
    }

    /// The texts of the tokens this session has held, scrubbed from errors.
    pub(crate) fn secret_forms(&self) -> Vec<String> {
        self.lock().forms.clone()
    }

    /// What a call does before sending, at `now` (Unix time, when the client knows it):
    /// refresh when the token expires within the skew (at most half the token's lifetime, when
    /// known: [`OAuthCredential::lifetime`]), or when `rejected` (the generation whose
    /// token the API refused with a 401) is still the current one; use the token otherwise.
    /// Only one call at a time gets [`AuthDecision::Refresh`]; the others get
    /// [`AuthDecision::Wait`] until it is over.
    pub fn decide(&self, now: Option<Duration>, rejected: Option<u64>) -> AuthDecision {
        let mut state = self.lock();
        if let Some(dead) = &state.dead {
            return AuthDecision::LoginRequired(Error::LoginRequired(Box::new(dead.clone())));
        }
        let refused = rejected == Some(state.generation);
        let skew = state
            .credential
            .lifetime()
            .map_or(state.skew, |lifetime| state.skew.min(lifetime / 2));
        let due = now.is_some_and(|now| state.credential.needs_refresh(now, skew));
        if refused || due {
            if state.credential.refresh_token.is_none() {
                if refused {
                    return AuthDecision::LoginRequired(login_required(
                        Some(StatusCode::UNAUTHORIZED),
                        None,
                        Some("the access token was refused and there is no refresh token".into()),
                        None,
                    ));
                }
            } else if state.refreshing {
                return AuthDecision::Wait;
            } else {
                state.refreshing = true;
                return AuthDecision::Refresh(RefreshLease {
                    session: self.clone(),
                    generation: state.generation,
                    done: false,
                    acquired: None,
                });
            }
        }
        match bearer(&state.credential.access_token) {
            Ok(header) => AuthDecision::Use {
                header,
                generation: state.generation,
            },
            Err(error) => AuthDecision::LoginRequired(error),
        }
    }

    /// Whether a call whose token was refused should refresh and try once more: there is a
    /// refresh token, or the credential changed since the call sent it.
    pub fn can_retry_after_refusal(&self, generation: u64) -> bool {
        let state = self.lock();
        state.dead.is_none()
            && (state.credential.refresh_token.is_some() || state.generation != generation)
    }
}

fn credential_forms(credential: &OAuthCredential) -> Vec<String> {
    let mut forms = secret_forms(credential.access_token.expose_secret());
    if let Some(refresh) = &credential.refresh_token {
        forms.extend(secret_forms(refresh.expose_secret()));
    }
    forms
}

fn bearer(token: &AccessToken) -> Result<HeaderValue, Error> {
    let mut value =
        HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).map_err(|_| {
            Error::invalid_config("the access token contains characters that cannot be sent")
        })?;
    value.set_sensitive(true);
    Ok(value)
}

fn login_required(
    status: Option<StatusCode>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
) -> Error {
    Error::LoginRequired(Box::new(LoginRequired {
        status,
        code,
        message,
        request_id,
    }))
}

/// The right to refresh a session's credential, held by one call at a time. Dropping it
/// without [`RefreshLease::complete`] (a call abandoned mid-refresh) lets another call refresh.
pub struct RefreshLease {
    session: OAuthSession,
    generation: u64,
    done: bool,
    /// The store [`RefreshLease::check_store`] acquired, released when the lease ends.
    acquired: Option<Arc<dyn CredentialStore>>,
}

impl fmt::Debug for RefreshLease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshLease")
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl RefreshLease {
    /// The generation being replaced.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Asks the session's [`CredentialStore`], if it has one, for the credential it holds
    /// (the store may lock other processes out until this lease ends). True when it differs
    /// from the session's and the session took it: no refresh is needed; drop the lease and
    /// decide again. False otherwise (no store, nothing stored, or the same credential): run
    /// the refresh.
    pub fn check_store(&mut self) -> bool {
        let Some(store) = self.session.lock().store.clone() else {
            return false;
        };
        let stored = store.acquire();
        self.acquired = Some(store);
        stored.is_some_and(|stored| self.session.adopt(self.generation, stored, false))
    }

    /// The refresh request to run (with the normal retries).
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when the credential has no refresh token.
    pub fn operation(&self) -> Result<RefreshAccessToken, Error> {
        let state = self.session.lock();
        match &state.credential.refresh_token {
            Some(token) => Ok(RefreshAccessToken::new(
                self.session.inner.app.clone(),
                token.clone(),
            )),
            None => Err(login_required(
                None,
                None,
                Some("there is no refresh token".into()),
                None,
            )),
        }
    }

    /// Reports how the refresh ended; `sent_at` is the Unix time its request was sent. Tokens
    /// replace the credential (one generation more) and are handed to the observer. A 400 or
    /// 401 from the token endpoint, whatever its body (an OAuth error, HTML, nothing), means
    /// the refresh token is dead: unless the session's [`CredentialStore`] now holds another
    /// refresh token (another process rotated it), which the session takes (`Ok`, one
    /// generation more), the session is marked dead and this gives [`Error::LoginRequired`].
    /// Any other error is returned as it is (transient: the credential stays, and the next
    /// call tries again).
    ///
    /// # Errors
    /// As above.
    pub fn complete(
        mut self,
        result: Result<TokenResponse, Error>,
        sent_at: Option<Duration>,
    ) -> Result<(), Error> {
        self.done = true;
        let session = self.session.clone();
        match result {
            Ok(response) => {
                let (credential, observer) = {
                    let mut state = session.lock();
                    let credential = state.credential.refreshed(response, sent_at);
                    let forms = credential_forms(&credential);
                    // The previous generation's texts stay scrubbed; older ones go.
                    let keep = credential_forms(&state.credential);
                    state.forms = keep;
                    state.forms.extend(forms);
                    state.credential = credential.clone();
                    state.generation += 1;
                    state.refreshes += 1;
                    state.refreshing = false;
                    (credential, state.observer.clone())
                };
                if let Some(observer) = observer {
                    observer(&credential);
                }
                Ok(())
            }
            Err(error) => {
                let dead = matches!(error.status().map(|s| s.as_u16()), Some(400 | 401));
                let store = session.lock().store.clone();
                if dead
                    && let Some(stored) = store.and_then(|store| store.load())
                    && session.adopt(self.generation, stored, true)
                {
                    session.lock().refreshing = false;
                    return Ok(());
                }
                let mut state = session.lock();
                state.refreshing = false;
                if dead {
                    let details = LoginRequired {
                        status: error.status(),
                        code: error.api_code().map(str::to_owned),
                        message: match &error {
                            Error::Api(api) => api.message.clone(),
                            _ => None,
                        },
                        request_id: error.request_id().map(str::to_owned),
                    };
                    state.dead = Some(details.clone());
                    return Err(Error::LoginRequired(Box::new(details)));
                }
                Err(error)
            }
        }
    }
}

impl Drop for RefreshLease {
    fn drop(&mut self) {
        if !self.done {
            self.session.lock().refreshing = false;
        }
        if let Some(store) = self.acquired.take() {
            store.release();
        }
    }
}

/// A call's authentication with an [`OAuthSession`]: which generation it sent, whether its
/// one retry after a 401 is used, and the refresh it runs.
pub(crate) struct CallAuth {
    session: OAuthSession,
    generation: u64,
    rejected: Option<u64>,
    retried: bool,
    /// Whether this call already refreshed: it then uses what it got, even a token that
    /// lives less than the skew.
    renewed: bool,
    refresh: Option<Refreshing>,
}

struct Refreshing {
    call: Box<Call<RefreshAccessToken>>,
    lease: RefreshLease,
    sent_at: Option<Duration>,
}

/// What a call does after asking its [`CallAuth`].
#[allow(
    clippy::large_enum_variant,
    reason = "returned once per step and unpacked at once, like `Next` itself"
)]
pub(crate) enum AuthStep<T> {
    /// Send the request (its `Authorization` is set).
    Send,
    /// Pass this effect on (the refresh's request, or a sleep while another call refreshes).
    Effect(Next<T>),
    /// End the call with this error.
    Fail(Error),
}

impl CallAuth {
    pub(crate) fn new(session: OAuthSession) -> Self {
        Self {
            session,
            generation: 0,
            rejected: None,
            retried: false,
            renewed: false,
            refresh: None,
        }
    }

    /// Whether a refresh is running (events go to it).
    pub(crate) fn refreshing(&mut self) -> Option<&mut Call<RefreshAccessToken>> {
        self.refresh.as_mut().map(|r| &mut *r.call)
    }

    /// Prepares the next attempt: runs a refresh if one is due, then sets the header.
    pub(crate) fn step<T>(&mut self, cx: &Cx<'_>, request: &mut Request<Body>) -> AuthStep<T> {
        loop {
            if let Some(refreshing) = &mut self.refresh {
                match delegate(&mut *refreshing.call, cx) {
                    Ok(next) => {
                        if matches!(next, Next::Send(_)) {
                            refreshing.sent_at = cx.unix_time();
                        }
                        return AuthStep::Effect(next);
                    }
                    Err(result) => {
                        if let Some(refreshing) = self.refresh.take()
                            && let Err(error) =
                                refreshing.lease.complete(result, refreshing.sent_at)
                        {
                            return AuthStep::Fail(error);
                        }
                        self.renewed = true;
                        continue;
                    }
                }
            }
            let now = if self.renewed { None } else { cx.unix_time() };
            match self.session.decide(now, self.rejected) {
                AuthDecision::Use { header, generation } => {
                    request.headers_mut().insert(AUTHORIZATION, header);
                    self.generation = generation;
                    return AuthStep::Send;
                }
                AuthDecision::Refresh(mut lease) => {
                    if lease.check_store() {
                        // Another process renewed the login: use its credential.
                        continue;
                    }
                    let call = lease
                        .operation()
                        .and_then(|op| Call::new(op, cx.config, cx.entropy));
                    match call {
                        Ok(call) => {
                            self.refresh = Some(Refreshing {
                                call: Box::new(call),
                                lease,
                                sent_at: None,
                            });
                        }
                        Err(error) => return AuthStep::Fail(error),
                    }
                }
                AuthDecision::Wait => return AuthStep::Effect(Next::Sleep(REFRESH_WAIT)),
                AuthDecision::LoginRequired(error) => return AuthStep::Fail(error),
            }
        }
    }

    /// After a 401 from the API: whether the call refreshes (when still needed) and sends the
    /// same request once more. Only the first 401 of a call does.
    pub(crate) fn refused(&mut self) -> bool {
        if self.retried || !self.session.can_retry_after_refusal(self.generation) {
            return false;
        }
        self.retried = true;
        self.rejected = Some(self.generation);
        true
    }
}
