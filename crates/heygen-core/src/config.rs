//! Client configuration: base URL, credentials, timeouts, size limits and policies.

use core::fmt;
use core::net::IpAddr;
use core::time::Duration;

use http::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::error::Error;
use crate::upload::UploadOptions;

/// The production API origin.
pub const DEFAULT_BASE_URL: &str = "https://api.heygen.com";

/// Default cap on a response body, in bytes (16 MiB), applied to the raw and the decoded body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The `User-Agent` sent by default: `heygen-rs/<crate version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("heygen-rs/", env!("CARGO_PKG_VERSION"));

/// The header that carries an API key.
pub const API_KEY_HEADER: &str = "x-api-key";

/// The environment variable holding the API key (see [`Config::from_env_values`]).
pub const API_KEY_ENV: &str = "HEYGEN_API_KEY";

/// The environment variable overriding the base URL (see [`Config::from_env_values`]).
pub const API_BASE_ENV: &str = "HEYGEN_API_BASE";

/// A HeyGen API key, sent as `X-Api-Key`.
///
/// The value is never printed: `Debug` shows `ApiKey(<redacted>)`, and there is no `Display` or
/// `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The secret text; call it only to hand the key to something that needs it verbatim.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

pub use heygen_model::oauth::AccessToken;

use crate::oauth::OAuthSession;

/// Exactly one way to authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// `X-Api-Key: <key>`.
    ApiKey(ApiKey),
    /// `Authorization: Bearer <token>`, a fixed token.
    AccessToken(AccessToken),
    /// `Authorization: Bearer <token>` from a refreshing OAuth credential, shared by every
    /// clone of the configuration (see [`crate::oauth`]).
    OAuth(OAuthSession),
}

/// Which timeout applies to an operation; the transports look the duration up with
/// [`Config::timeout`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutClass {
    /// Reads (`GET`): 30 s by default.
    Read,
    /// Other JSON calls (`POST`, `PATCH`, `PUT`, `DELETE`): 120 s by default.
    Write,
    /// Streamed uploads (multipart asset upload, direct-upload `PUT`): 10 min by default.
    Upload,
}

/// Timeouts the transports apply; every value is a wall-clock duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Establishing a connection, TLS included (default 10 s).
    pub connect: Duration,
    /// Whole request for [`TimeoutClass::Read`] (default 30 s). A video download's file
    /// request uses it for the response head and as the longest wait for more body bytes, with
    /// no limit on the whole transfer.
    pub read: Duration,
    /// Whole request for [`TimeoutClass::Write`] (default 120 s).
    pub write: Duration,
    /// Whole request for [`TimeoutClass::Upload`] (default 600 s).
    pub upload: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            read: Duration::from_secs(30),
            write: Duration::from_mins(2),
            upload: Duration::from_mins(10),
        }
    }
}

impl Timeouts {
    /// The default timeouts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the connect timeout.
    #[must_use]
    pub fn connect(mut self, value: Duration) -> Self {
        self.connect = value;
        self
    }

    /// Sets the timeout for reads.
    #[must_use]
    pub fn read(mut self, value: Duration) -> Self {
        self.read = value;
        self
    }

    /// Sets the timeout for other JSON calls.
    #[must_use]
    pub fn write(mut self, value: Duration) -> Self {
        self.write = value;
        self
    }

    /// Sets the timeout for streamed uploads.
    #[must_use]
    pub fn upload(mut self, value: Duration) -> Self {
        self.upload = value;
        self
    }

    /// The duration for one class.
    pub fn for_class(&self, class: TimeoutClass) -> Duration {
        match class {
            TimeoutClass::Read => self.read,
            TimeoutClass::Write => self.write,
            TimeoutClass::Upload => self.upload,
        }
    }
}

/// How failed attempts are retried; see [`crate::retry::decide`].
///
/// The delay before retry `n` (1-based) is `base_delay * 2^(n-1)`, multiplied by a factor drawn
/// uniformly from `[jitter_min, jitter_max)` and capped at `max_delay`. A `Retry-After` from the
/// server replaces the computed delay and is capped at `max_delay` too.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2, so at most 3 attempts).
    pub max_retries: u32,
    /// Delay before the first retry, before jitter (default 1 s).
    pub base_delay: Duration,
    /// Upper bound for any delay, `Retry-After` included (default 30 s).
    pub max_delay: Duration,
    /// Lower jitter factor (default 0.75).
    pub jitter_min: f64,
    /// Upper jitter factor, exclusive (default 1.25).
    pub jitter_max: f64,
    /// Give up instead of retrying when the elapsed time plus the next delay would exceed this
    /// (default none).
    pub max_elapsed: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            jitter_min: 0.75,
            jitter_max: 1.25,
            max_elapsed: None,
        }
    }
}

impl RetryPolicy {
    /// The default policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Sets the number of retries after the first attempt.
    #[must_use]
    pub fn max_retries(mut self, value: u32) -> Self {
        self.max_retries = value;
        self
    }

    /// Sets the delay before the first retry.
    #[must_use]
    pub fn base_delay(mut self, value: Duration) -> Self {
        self.base_delay = value;
        self
    }

    /// Sets the cap on any delay.
    #[must_use]
    pub fn max_delay(mut self, value: Duration) -> Self {
        self.max_delay = value;
        self
    }

    /// Sets the jitter factor range `[min, max)`; values are clamped to be non-negative and
    /// ordered.
    #[must_use]
    pub fn jitter(mut self, min: f64, max: f64) -> Self {
        let min = if min.is_finite() { min.max(0.0) } else { 1.0 };
        let max = if max.is_finite() { max.max(min) } else { min };
        self.jitter_min = min;
        self.jitter_max = max;
        self
    }

    /// Sets the elapsed-time budget for the whole call.
    #[must_use]
    pub fn max_elapsed(mut self, value: Option<Duration>) -> Self {
        self.max_elapsed = value;
        self
    }
}

/// How waits poll a resource; see [`crate::poll::Poller`].
///
/// The first check happens at once; the interval between checks starts at `initial_interval`,
/// grows by half each time and stops growing at `max_interval`. The wait fails once `deadline`
/// has elapsed since it started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollPolicy {
    /// First interval between checks (default 2 s).
    pub initial_interval: Duration,
    /// Longest interval between checks (default 30 s).
    pub max_interval: Duration,
    /// Total time a wait may take (default 30 min).
    pub deadline: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            deadline: Duration::from_mins(30),
        }
    }
}

impl PollPolicy {
    /// The default policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the first interval.
    #[must_use]
    pub fn initial_interval(mut self, value: Duration) -> Self {
        self.initial_interval = value;
        self
    }

    /// Sets the longest interval.
    #[must_use]
    pub fn max_interval(mut self, value: Duration) -> Self {
        self.max_interval = value;
        self
    }

    /// Sets the deadline.
    #[must_use]
    pub fn deadline(mut self, value: Duration) -> Self {
        self.deadline = value;
        self
    }
}

/// Everything an operation needs to build a request, and every limit a transport applies.
///
/// Build one with [`Config::builder`]. `Debug` never shows the credentials.
#[derive(Clone)]
pub struct Config {
    base_url: String,
    credentials: Credentials,
    /// The forms of the credential scrubbed from every error (see [`Config::scrub`]).
    secret_forms: Vec<String>,
    auth_header: (HeaderName, HeaderValue),
    user_agent: HeaderValue,
    timeouts: Timeouts,
    max_response_bytes: usize,
    retry: RetryPolicy,
    poll: PollPolicy,
    uploads: UploadOptions,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("auth_header", &(&self.auth_header.0, "<redacted>"))
            .field("user_agent", &self.user_agent)
            .field("timeouts", &self.timeouts)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("poll", &self.poll)
            .field("uploads", &self.uploads)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// Starts a builder with every default set and no credentials.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A configuration with an API key and every other value at its default.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when the key cannot be sent as a header value.
    pub fn with_api_key(key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(key).build()
    }

    /// A configuration from the values of [`API_KEY_ENV`] and [`API_BASE_ENV`], as a transport
    /// read them from the environment (the core reads no environment): the trimmed key, and
    /// the trimmed base URL when set and not blank (`https://api.heygen.com` otherwise).
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when the key is missing or blank, or the key or base URL is
    /// refused by [`ConfigBuilder::build`].
    pub fn from_env_values(api_key: Option<&str>, base_url: Option<&str>) -> Result<Self, Error> {
        let key = api_key
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| Error::invalid_config(format!("{API_KEY_ENV} is not set")))?;
        let mut builder = Self::builder().api_key(key);
        if let Some(base) = base_url.map(str::trim).filter(|b| !b.is_empty()) {
            builder = builder.base_url(base);
        }
        builder.build()
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The refreshing OAuth credential, when the configuration authenticates with one.
    pub fn oauth(&self) -> Option<&OAuthSession> {
        match &self.credentials {
            Credentials::OAuth(session) => Some(session),
            _ => None,
        }
    }

    /// `error` with the configured API key or access token replaced by `<redacted>` wherever it
    /// appears (as written, JSON-escaped or percent-encoded): in messages, snippets, parameters
    /// and a transport's source. The core applies it to every error a call or a wait returns, so
    /// a server that echoes the credential cannot leak it through `Display` or `Debug`.
    /// Credentials shorter than 6 characters are not looked for.
    #[must_use]
    pub fn scrub(&self, error: Error) -> Error {
        let error = error.scrub(&self.secret_forms);
        match self.oauth() {
            // Every token the session has held recently, the refresh token included.
            Some(session) => error.scrub(&session.secret_forms()),
            None => error,
        }
    }

    /// The authentication header (name, value); the value is marked sensitive.
    pub fn auth_header(&self) -> (&HeaderName, &HeaderValue) {
        (&self.auth_header.0, &self.auth_header.1)
    }

    /// The `User-Agent` value.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }

    /// Every timeout.
    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.timeouts.connect
    }

    /// The whole-request timeout for one class of operation.
    pub fn timeout(&self, class: TimeoutClass) -> Duration {
        self.timeouts.for_class(class)
    }

    /// The largest response body accepted, in bytes; transports read at most one byte more.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The poll policy used by waits unless a call overrides it.
    pub fn poll_policy(&self) -> &PollPolicy {
        &self.poll
    }

    /// How local files are uploaded: the inline-base64 threshold and the progress callback.
    pub fn uploads(&self) -> &UploadOptions {
        &self.uploads
    }

    /// This configuration with another inline-base64 threshold, in bytes: files of at most
    /// this size (and not empty) go inside the JSON request (default 4 MiB).
    #[must_use]
    pub fn with_inline_threshold(mut self, bytes: u64) -> Self {
        self.uploads.inline_threshold = bytes;
        self
    }

    /// This configuration with a progress callback for streamed uploads: (bytes of the file
    /// sent so far, file size in bytes), called as the client reads the file; a retried attempt
    /// starts again from zero.
    #[must_use]
    pub fn with_progress(mut self, progress: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.uploads.progress = Some(std::sync::Arc::new(progress));
        self
    }

    /// Joins the base URL and an already encoded path-and-query (starting with `/`).
    pub(crate) fn url(&self, path_and_query: &str) -> String {
        let mut url = String::with_capacity(self.base_url.len() + path_and_query.len());
        url.push_str(&self.base_url);
        url.push_str(path_and_query);
        url
    }
}

/// Builder for [`Config`].
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    base_url: Option<String>,
    api_key: Option<ApiKey>,
    access_token: Option<AccessToken>,
    oauth: Option<OAuthSession>,
    user_agent: Option<String>,
    timeouts: Timeouts,
    max_response_bytes: Option<usize>,
    retry: RetryPolicy,
    poll: PollPolicy,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("access_token", &self.access_token)
            .field("oauth", &self.oauth)
            .field("user_agent", &self.user_agent)
            .field("timeouts", &self.timeouts)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("poll", &self.poll)
            .finish()
    }
}

impl ConfigBuilder {
    /// Sets the base URL (default `https://api.heygen.com`). `http://` is accepted only for
    /// loopback hosts (`127.0.0.0/8`, `::1`, `localhost`).
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Authenticates with an API key (`X-Api-Key`).
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey::new(key));
        self
    }

    /// Authenticates with an OAuth access token (`Authorization: Bearer`).
    #[must_use]
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(AccessToken::new(token));
        self
    }

    /// Authenticates with a refreshing OAuth credential (`Authorization: Bearer`, renewed before
    /// expiry and after a 401; see [`crate::oauth`]).
    #[must_use]
    pub fn oauth(mut self, session: OAuthSession) -> Self {
        self.oauth = Some(session);
        self
    }

    /// Sets the credentials, replacing any key or token set before.
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        match credentials {
            Credentials::ApiKey(key) => {
                self.api_key = Some(key);
                self.access_token = None;
                self.oauth = None;
            }
            Credentials::AccessToken(token) => {
                self.access_token = Some(token);
                self.api_key = None;
                self.oauth = None;
            }
            Credentials::OAuth(session) => {
                self.oauth = Some(session);
                self.api_key = None;
                self.access_token = None;
            }
        }
        self
    }

    /// Replaces the `User-Agent` (default `heygen-rs/<version>`).
    #[must_use]
    pub fn user_agent(mut self, value: impl Into<String>) -> Self {
        self.user_agent = Some(value.into());
        self
    }

    /// Sets every timeout.
    #[must_use]
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets the connect timeout.
    #[must_use]
    pub fn connect_timeout(mut self, value: Duration) -> Self {
        self.timeouts.connect = value;
        self
    }

    /// Sets the largest accepted response body, in bytes (default 16 MiB).
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Sets the retry policy.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the default poll policy for waits.
    #[must_use]
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.poll = policy;
        self
    }

    /// Checks everything and builds the configuration.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] when no credentials or both kinds are set, a credential cannot be
    /// sent as a header value, the base URL is not an absolute `https` URL (or `http` to a
    /// loopback host) without query, fragment or user info, or the user agent is not a valid
    /// header value.
    pub fn build(self) -> Result<Config, Error> {
        let base_url = normalize_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        if self.oauth.is_some() && (self.api_key.is_some() || self.access_token.is_some()) {
            return Err(Error::invalid_config(
                "set one of an api key, an access token or an oauth credential",
            ));
        }
        let (credentials, auth_header) = match (self.api_key, self.access_token, self.oauth) {
            (None, None, Some(session)) => {
                let token = session.credential().access_token;
                let value = secret_header_value(
                    &format!("Bearer {}", token.expose_secret()),
                    "access token",
                )?;
                (Credentials::OAuth(session), (AUTHORIZATION, value))
            }
            (Some(_), Some(_), _) => {
                return Err(Error::invalid_config(
                    "set either an api key or an access token, not both",
                ));
            }
            (None, None, None) => {
                return Err(Error::invalid_config(
                    "no credentials: set an api key or an access token",
                ));
            }
            (Some(key), None, _) => {
                let value = secret_header_value(key.expose_secret(), "api key")?;
                (
                    Credentials::ApiKey(key),
                    (HeaderName::from_static(API_KEY_HEADER), value),
                )
            }
            (None, Some(token), _) => {
                let value = secret_header_value(
                    &format!("Bearer {}", token.expose_secret()),
                    "access token",
                )?;
                (Credentials::AccessToken(token), (AUTHORIZATION, value))
            }
        };
        let user_agent = match self.user_agent {
            None => HeaderValue::from_static(DEFAULT_USER_AGENT),
            Some(value) => HeaderValue::from_str(&value)
                .map_err(|_| Error::invalid_config("the user agent is not a valid header value"))?,
        };
        let secret_forms = secret_forms(match &credentials {
            Credentials::ApiKey(key) => key.expose_secret(),
            Credentials::AccessToken(token) => token.expose_secret(),
            // The session's own texts are added by `Config::scrub`, as the tokens change.
            Credentials::OAuth(_) => "",
        });
        Ok(Config {
            base_url,
            secret_forms,
            credentials,
            auth_header,
            user_agent,
            timeouts: self.timeouts,
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            retry: self.retry,
            poll: self.poll,
            uploads: UploadOptions::default(),
        })
    }
}

/// Shortest credential scrubbed from errors: a shorter text cannot be told apart from ordinary
/// words (HeyGen's keys and tokens are far longer).
const MIN_SCRUBBED_SECRET: usize = 6;

/// The texts under which a credential can come back in a server's answer: as written, as inside
/// a JSON string, and percent-encoded (as in a query or a form body).
pub(crate) fn secret_forms(secret: &str) -> Vec<String> {
    let secret = secret.trim();
    if secret.chars().count() < MIN_SCRUBBED_SECRET {
        return Vec::new();
    }
    let mut forms = vec![secret.to_owned()];
    if let Ok(quoted) = serde_json::to_string(secret)
        && let Some(inner) = quoted.get(1..quoted.len().saturating_sub(1))
    {
        forms.push(inner.to_owned());
    }
    let encoded: String = secret
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    forms.push(encoded);
    forms.sort();
    forms.dedup();
    // Longest first, so a form that contains another is replaced whole.
    forms.sort_by_key(|form| core::cmp::Reverse(form.len()));
    forms
}

fn secret_header_value(text: &str, what: &str) -> Result<HeaderValue, Error> {
    if text.trim().is_empty() || text.ends_with(' ') {
        return Err(Error::invalid_config(format!("the {what} is empty")));
    }
    let mut value = HeaderValue::from_str(text).map_err(|_| {
        Error::invalid_config(format!(
            "the {what} contains characters that cannot be sent in a header"
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Validates a base URL and returns it without a trailing slash.
pub(crate) fn normalize_base_url(raw: &str) -> Result<String, Error> {
    let trimmed = raw.trim();
    let (scheme, rest) = trimmed
        .split_once("://")
        .ok_or_else(|| Error::invalid_config("the base url must start with https://"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(Error::invalid_config(
            "the base url must use https (or http for a loopback host)",
        ));
    }
    if rest.contains(['?', '#']) {
        return Err(Error::invalid_config(
            "the base url must not carry a query or a fragment",
        ));
    }
    let (authority, path) = match rest.find('/') {
        Some(index) => rest.split_at(index),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return Err(Error::invalid_config("the base url has no host"));
    }
    if authority.contains('@') {
        return Err(Error::invalid_config(
            "the base url must not carry user info",
        ));
    }
    let host = host_of(authority)
        .ok_or_else(|| Error::invalid_config("the base url has an invalid host or port"))?;
    if scheme == "http" && !is_loopback_host(host) {
        return Err(Error::invalid_config(
            "plain http is allowed only for loopback hosts; use https",
        ));
    }
    let path = path.trim_end_matches('/');
    let url = format!("{scheme}://{authority}{path}");
    // The URL must parse as a URI once a path is appended.
    format!("{url}/v3")
        .parse::<http::Uri>()
        .map_err(|_| Error::invalid_config("the base url is not a valid url"))?;
    Ok(url)
}

/// The host part of an authority (`host`, `host:port`, `[v6]`, `[v6]:port`).
fn host_of(authority: &str) -> Option<&str> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        if !(after.is_empty() || valid_port(after.strip_prefix(':')?)) {
            return None;
        }
        return Some(host);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => {
            if valid_port(port) && !host.is_empty() {
                Some(host)
            } else {
                None
            }
        }
        Some(_) => None,
        None => Some(authority),
    }
}

fn valid_port(port: &str) -> bool {
    !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
}

/// `localhost`, `127.0.0.0/8` or `::1`.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.octets()[0] == 127,
        Ok(IpAddr::V6(v6)) => v6.is_loopback(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn from_env_values_trims_and_needs_a_key() {
        let config =
            Config::from_env_values(Some(" hg_key \n"), Some(" http://127.0.0.1:9 ")).unwrap();
        assert_eq!(config.base_url(), "http://127.0.0.1:9");
        let default = Config::from_env_values(Some("hg_key"), Some("  ")).unwrap();
        assert_eq!(default.base_url(), DEFAULT_BASE_URL);
        for missing in [None, Some(""), Some("  ")] {
            let error = Config::from_env_values(missing, None).unwrap_err();
            assert!(error.to_string().contains("HEYGEN_API_KEY is not set"));
        }
    }
    use super::*;

    #[test]
    fn base_url_rules() {
        for ok in [
            "https://api.heygen.com",
            "https://api.heygen.com/",
            "http://127.0.0.1:8080",
            "http://127.5.6.7",
            "http://localhost:3000/",
            "http://[::1]:9000",
            "https://example.com:8443/prefix/",
        ] {
            assert!(normalize_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "api.heygen.com",
            "ftp://api.heygen.com",
            "http://api.heygen.com",
            "http://128.0.0.1",
            "http://localhost.evil.com",
            "https://user:pw@api.heygen.com",
            "https://api.heygen.com/?x=1",
            "https://api.heygen.com#f",
            "https://",
            "https://host:notaport",
            "http://[::2]:80",
        ] {
            assert!(normalize_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            normalize_base_url("https://example.com/prefix/").unwrap(),
            "https://example.com/prefix"
        );
    }

    #[test]
    fn credentials_exactly_one() {
        assert!(Config::builder().build().is_err());
        assert!(
            Config::builder()
                .api_key("a")
                .access_token("b")
                .build()
                .is_err()
        );
        assert!(Config::builder().api_key("bad\nkey").build().is_err());
        let cfg = Config::builder().access_token("tok").build().unwrap();
        assert_eq!(cfg.auth_header().0, AUTHORIZATION);
        assert!(cfg.auth_header().1.is_sensitive());
    }
}
