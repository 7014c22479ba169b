//! An OAuth 2.0 authorization server beside the API, for public clients (no client secret):
//! the authorize page (`GET /oauth/authorize`, approve or deny), the token endpoint
//! (`POST /v1/oauth/token`: authorization code with PKCE S256, refresh token with rotation,
//! device code), revocation (`POST /v1/oauth/revoke`), the device flow
//! (`POST /v1/oauth/device_authorization` and the verification page `GET /oauth/device`), and
//! the check of the bearer tokens it issued on API calls.
//!
//! Tokens live on the emulated clock for [`EmulatorOptions::oauth_token_secs`]; every grant,
//! refusal and revocation is recorded as an [`OAuthEvent`]. Errors of the token endpoints use
//! the OAuth shape (`{"error": "invalid_grant", "error_description": …}`, RFC 6749 §5.2).
//!
//! Depends on `reply`, `shared` and `state` (the clock).
//!
//! [`EmulatorOptions::oauth_token_secs`]: crate::EmulatorOptions::oauth_token_secs

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::Request;
use base64::Engine as _;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::reply::Reply;
use crate::shared::Shared;

/// Lifetime of an authorization code, in emulated milliseconds (10 minutes).
const CODE_LIFETIME_MS: i64 = 600_000;

/// Lifetime of a device code, in emulated seconds (10 minutes).
const DEVICE_LIFETIME_SECS: i64 = 600;

/// One thing the authorization server did, for tests: a grant, a refusal, a revocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OAuthEvent {
    /// `authorization_code`, `refresh_token`, `device_code`, `revoke`, `authorize` (approved
    /// or denied on the page) or `device_approval`.
    pub kind: String,
    /// The client id the request named.
    pub client_id: String,
    /// Whether it succeeded.
    pub ok: bool,
    /// The OAuth error code when it did not (`invalid_grant`, `authorization_pending`, …).
    pub error: Option<String>,
    /// Emulated Unix time, in milliseconds.
    pub at_ms: i64,
}

struct PendingAuthorize {
    client_id: String,
    redirect_uri: String,
    scope: String,
    state: Option<String>,
    challenge: String,
}

struct Code {
    client_id: String,
    redirect_uri: String,
    scope: String,
    challenge: String,
    expires_ms: i64,
}

struct Access {
    expires_ms: i64,
    revoked: bool,
    /// The refresh token it was issued with.
    family: String,
}

struct Refresh {
    client_id: String,
    scope: String,
    /// False once used (rotation) or revoked.
    live: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DeviceStatus {
    Pending,
    Approved,
    Denied,
    Used,
}

struct Device {
    client_id: String,
    user_code: String,
    scope: String,
    expires_ms: i64,
    status: DeviceStatus,
    last_poll_ms: Option<i64>,
}

/// The authorization server's state.
pub(crate) struct OAuthServer {
    seed: u64,
    counter: u64,
    token_ms: i64,
    interval_secs: u64,
    pending: HashMap<String, PendingAuthorize>,
    codes: HashMap<String, Code>,
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    devices: HashMap<String, Device>,
    pub(crate) events: Vec<OAuthEvent>,
}

/// An error answer of the token endpoints.
struct OAuthError {
    status: u16,
    error: &'static str,
    description: String,
}

fn oauth_error(status: u16, error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError {
        status,
        error,
        description: description.into(),
    }
}

impl OAuthError {
    fn into_reply(self) -> Reply {
        Reply::json(
            self.status,
            json!({"error": self.error, "error_description": self.description}),
        )
        .header("Cache-Control", "no-store")
    }
}

impl OAuthServer {
    pub(crate) fn new(seed: u64, token_secs: u64, interval_secs: u64) -> Self {
        Self {
            seed,
            counter: 0,
            token_ms: i64::try_from(token_secs.saturating_mul(1000)).unwrap_or(i64::MAX),
            interval_secs,
            pending: HashMap::new(),
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            devices: HashMap::new(),
            events: Vec::new(),
        }
    }

    /// Forgets every token, code and event (keeps the options).
    pub(crate) fn reset(&mut self) {
        let interval = self.interval_secs;
        let token_secs = u64::try_from(self.token_ms / 1000).unwrap_or(0);
        let mut fresh = Self::new(self.seed, token_secs, interval);
        fresh.token_ms = self.token_ms;
        fresh.counter = self.counter;
        *self = fresh;
    }

    pub(crate) fn set_token_ms(&mut self, ms: i64) {
        self.token_ms = ms.max(0);
    }

    /// A fresh opaque value: `prefix` and 32 hex digits, deterministic for the seed.
    fn token(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let digest = Sha256::digest(format!("{}:{}:{prefix}", self.seed, self.counter));
        let hex = digest[..16]
            .iter()
            .fold(String::with_capacity(32), |mut out, b| {
                use std::fmt::Write as _;
                let _ = write!(out, "{b:02x}");
                out
            });
        format!("{prefix}{hex}")
    }

    fn event(&mut self, kind: &str, client_id: &str, error: Option<&str>, now_ms: i64) {
        self.events.push(OAuthEvent {
            kind: kind.to_owned(),
            client_id: client_id.to_owned(),
            ok: error.is_none(),
            error: error.map(str::to_owned),
            at_ms: now_ms,
        });
    }

    /// A new access token and refresh token pair, as the token endpoint answers it.
    fn issue(&mut self, client_id: &str, scope: &str, now_ms: i64) -> serde_json::Value {
        let access = self.token("hgo_at_");
        let refresh = self.token("hgo_rt_");
        self.access.insert(
            access.clone(),
            Access {
                expires_ms: now_ms.saturating_add(self.token_ms),
                revoked: false,
                family: refresh.clone(),
            },
        );
        self.refresh.insert(
            refresh.clone(),
            Refresh {
                client_id: client_id.to_owned(),
                scope: scope.to_owned(),
                live: true,
            },
        );
        json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.token_ms / 1000,
            "refresh_token": refresh,
            "scope": scope,
        })
    }

    /// Whether `token` is one this server issued: `Some(Ok)` while valid, `Some(Err(why))` once
    /// expired or revoked, `None` for a token it never issued.
    pub(crate) fn check_bearer(
        &self,
        token: &str,
        now_ms: i64,
    ) -> Option<Result<(), &'static str>> {
        let access = self.access.get(token)?;
        Some(if access.revoked {
            Err("the access token was revoked")
        } else if now_ms >= access.expires_ms {
            Err("the access token expired")
        } else {
            Ok(())
        })
    }

    /// Approves or denies a device authorization by its user code, as the person would on the
    /// verification page. False when the code is unknown, used or expired.
    pub(crate) fn decide_device(&mut self, user_code: &str, approve: bool, now_ms: i64) -> bool {
        let Some((client_id, done)) = self
            .devices
            .values_mut()
            .find(|d| d.user_code.eq_ignore_ascii_case(user_code))
            .map(|d| {
                let open = d.status == DeviceStatus::Pending && now_ms < d.expires_ms;
                if open {
                    d.status = if approve {
                        DeviceStatus::Approved
                    } else {
                        DeviceStatus::Denied
                    };
                }
                (d.client_id.clone(), open)
            })
        else {
            return false;
        };
        if done {
            let error = (!approve).then_some("access_denied");
            self.event("device_approval", &client_id, error, now_ms);
        }
        done
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{t}</title></head>\n<body>\n<h1>{t}</h1>\n{body}\n</body></html>\n",
        t = html_escape(title)
    )
}

/// Decodes `application/x-www-form-urlencoded` (also a query string).
fn parse_form(text: &str) -> HashMap<String, String> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus)
        .decode_utf8_lossy()
        .into_owned()
}

/// Everything but the unreserved characters (RFC 3986) is encoded in a redirect's query.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// A redirect URI the emulator sends codes to: `http` on a loopback host, or any `https`.
fn redirect_allowed(uri: &str) -> bool {
    let lower = uri.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return true;
    }
    let Some(rest) = lower.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match host.rsplit_once(':') {
        Some((h, _)) if !h.ends_with(']') || h.starts_with('[') => h,
        _ => host,
    };
    host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = uri.to_owned();
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push(if i == 0 && !uri.contains('?') {
            '?'
        } else {
            '&'
        });
        out.push_str(k);
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn now_ms(sh: &Shared) -> i64 {
    sh.lock().clock.now_ms()
}

/// Every route of the authorization server; `None` when `path` is not one of them.
pub(crate) async fn handle(sh: &Arc<Shared>, req: Request) -> Option<Reply> {
    let path = req.uri().path().trim_end_matches('/').to_owned();
    let method = req.method().as_str().to_owned();
    let query = parse_form(req.uri().query().unwrap_or_default());
    let ours = path.starts_with("/v1/oauth/")
        || path == "/oauth/authorize"
        || path.starts_with("/oauth/authorize/")
        || path == "/oauth/device"
        || path.starts_with("/oauth/device/");
    if !ours {
        return None;
    }
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let body = axum::body::to_bytes(req.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let now = now_ms(sh);
    let base_url = sh.lock().base_url.clone();
    let mut server = sh.lock_oauth();
    let reply = match (method.as_str(), path.as_str()) {
        ("POST", "/v1/oauth/token" | "/v1/oauth/revoke" | "/v1/oauth/device_authorization")
            if !content_type.starts_with("application/x-www-form-urlencoded") =>
        {
            oauth_error(
                400,
                "invalid_request",
                "the body must be application/x-www-form-urlencoded",
            )
            .into_reply()
        }
        ("POST", "/v1/oauth/token") => {
            let form = parse_form(&String::from_utf8_lossy(&body));
            token(&mut server, &form, now).unwrap_or_else(OAuthError::into_reply)
        }
        ("POST", "/v1/oauth/revoke") => {
            let form = parse_form(&String::from_utf8_lossy(&body));
            revoke(&mut server, &form, now)
        }
        ("POST", "/v1/oauth/device_authorization") => {
            let form = parse_form(&String::from_utf8_lossy(&body));
            device_authorization(&mut server, &form, now, &base_url)
                .unwrap_or_else(OAuthError::into_reply)
        }
        ("GET", "/oauth/authorize") => authorize_page(&mut server, &query),
        ("POST", p) if p.starts_with("/oauth/authorize/") => {
            let rest = p.trim_start_matches("/oauth/authorize/");
            let (id, action) = rest.split_once('/').unwrap_or((rest, ""));
            authorize_decide(&mut server, id, action, now)
        }
        ("GET", "/oauth/device") => device_page(&server, &query),
        ("POST", p) if p.starts_with("/oauth/device/") => {
            let rest = p.trim_start_matches("/oauth/device/");
            let (code, action) = rest.split_once('/').unwrap_or((rest, ""));
            let approve = action == "approve";
            if matches!(action, "approve" | "deny") && server.decide_device(code, approve, now) {
                Reply::html(
                    200,
                    page(
                        if approve {
                            "Device approved"
                        } else {
                            "Device denied"
                        },
                        "<p>You can close this page and return to your device.</p>",
                    ),
                )
            } else {
                Reply::html(
                    404,
                    page(
                        "Code not found",
                        "<p>This code is unknown, expired or already used.</p>",
                    ),
                )
            }
        }
        _ if path.starts_with("/v1/oauth/") => oauth_error(
            404,
            "invalid_request",
            format!("no route for {method} {path}"),
        )
        .into_reply(),
        _ => Reply::html(
            405,
            page("Method not allowed", "<p>Use the buttons on the page.</p>"),
        ),
    };
    Some(reply)
}

fn require<'a>(form: &'a HashMap<String, String>, name: &str) -> Result<&'a str, OAuthError> {
    form.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| oauth_error(400, "invalid_request", format!("`{name}` is required")))
}

fn token(
    server: &mut OAuthServer,
    form: &HashMap<String, String>,
    now: i64,
) -> Result<Reply, OAuthError> {
    let grant = require(form, "grant_type")?.to_owned();
    let client_id = require(form, "client_id")?.to_owned();
    let result = match grant.as_str() {
        "authorization_code" => code_grant(server, form, &client_id, now),
        "refresh_token" => refresh_grant(server, form, &client_id, now),
        "urn:ietf:params:oauth:grant-type:device_code" => {
            device_grant(server, form, &client_id, now)
        }
        _ => Err(oauth_error(
            400,
            "unsupported_grant_type",
            format!("grant_type `{grant}` is not supported"),
        )),
    };
    let kind = match grant.as_str() {
        "urn:ietf:params:oauth:grant-type:device_code" => "device_code",
        "authorization_code" => "authorization_code",
        "refresh_token" => "refresh_token",
        _ => "token",
    };
    match result {
        Ok(body) => {
            server.event(kind, &client_id, None, now);
            Ok(Reply::json(200, body).header("Cache-Control", "no-store"))
        }
        Err(error) => {
            server.event(kind, &client_id, Some(error.error), now);
            Err(error)
        }
    }
}

fn code_grant(
    server: &mut OAuthServer,
    form: &HashMap<String, String>,
    client_id: &str,
    now: i64,
) -> Result<serde_json::Value, OAuthError> {
    let code = require(form, "code")?;
    let redirect_uri = require(form, "redirect_uri")?;
    let verifier = require(form, "code_verifier")?;
    // A code is single-use, whatever the outcome.
    let Some(grant) = server.codes.remove(code) else {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "the code is unknown or was used",
        ));
    };
    if now >= grant.expires_ms {
        return Err(oauth_error(400, "invalid_grant", "the code expired"));
    }
    if grant.client_id != client_id {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "the code was issued to another client",
        ));
    }
    if grant.redirect_uri != redirect_uri {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "redirect_uri differs from the one in the authorize request",
        ));
    }
    if s256(verifier) != grant.challenge {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "the code_verifier does not match the code_challenge",
        ));
    }
    Ok(server.issue(client_id, &grant.scope, now))
}

fn refresh_grant(
    server: &mut OAuthServer,
    form: &HashMap<String, String>,
    client_id: &str,
    now: i64,
) -> Result<serde_json::Value, OAuthError> {
    let token = require(form, "refresh_token")?;
    let Some(refresh) = server.refresh.get_mut(token) else {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "the refresh token is unknown",
        ));
    };
    if !refresh.live {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "the refresh token was already used or revoked",
        ));
    }
    if refresh.client_id != client_id {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "the refresh token was issued to another client",
        ));
    }
    // Rotation: the old refresh token is spent; access tokens issued before stay valid until
    // they expire.
    refresh.live = false;
    let scope = refresh.scope.clone();
    Ok(server.issue(client_id, &scope, now))
}

fn device_grant(
    server: &mut OAuthServer,
    form: &HashMap<String, String>,
    client_id: &str,
    now: i64,
) -> Result<serde_json::Value, OAuthError> {
    let code = require(form, "device_code")?;
    let interval_ms = i64::try_from(server.interval_secs.saturating_mul(1000)).unwrap_or(0);
    let Some(device) = server.devices.get_mut(code) else {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "the device code is unknown",
        ));
    };
    if device.client_id != client_id {
        return Err(oauth_error(
            400,
            "invalid_grant",
            "the device code belongs to another client",
        ));
    }
    if now >= device.expires_ms {
        return Err(oauth_error(400, "expired_token", "the device code expired"));
    }
    let too_soon = device
        .last_poll_ms
        .is_some_and(|last| now - last < interval_ms);
    device.last_poll_ms = Some(now);
    match device.status {
        DeviceStatus::Denied => Err(oauth_error(
            400,
            "access_denied",
            "the person denied access",
        )),
        DeviceStatus::Used => Err(oauth_error(
            400,
            "invalid_grant",
            "the device code was used",
        )),
        DeviceStatus::Pending if too_soon => Err(oauth_error(
            400,
            "slow_down",
            "polling faster than the interval",
        )),
        DeviceStatus::Pending => Err(oauth_error(
            400,
            "authorization_pending",
            "the person has not approved yet",
        )),
        DeviceStatus::Approved => {
            device.status = DeviceStatus::Used;
            let scope = device.scope.clone();
            Ok(server.issue(client_id, &scope, now))
        }
    }
}

fn revoke(server: &mut OAuthServer, form: &HashMap<String, String>, now: i64) -> Reply {
    let client_id = form.get("client_id").cloned().unwrap_or_default();
    let Some(token) = form.get("token").filter(|t| !t.is_empty()).cloned() else {
        return oauth_error(400, "invalid_request", "`token` is required").into_reply();
    };
    if let Some(refresh) = server.refresh.get_mut(&token) {
        refresh.live = false;
        // Revoking a refresh token revokes the access tokens issued with it.
        for access in server.access.values_mut() {
            if access.family == token {
                access.revoked = true;
            }
        }
    } else if let Some(access) = server.access.get_mut(&token) {
        access.revoked = true;
    }
    // RFC 7009: an unknown token is not an error.
    server.event("revoke", &client_id, None, now);
    Reply::json(200, json!({}))
}

fn device_authorization(
    server: &mut OAuthServer,
    form: &HashMap<String, String>,
    now: i64,
    base_url: &str,
) -> Result<Reply, OAuthError> {
    let client_id = require(form, "client_id")?.to_owned();
    let scope = form.get("scope").cloned().unwrap_or_default();
    let device_code = server.token("hgo_dc_");
    let raw = server.token("");
    let letters: String = raw
        .bytes()
        .take(8)
        .map(|b| char::from(b'A' + (b % 26)))
        .collect();
    let user_code = format!("{}-{}", &letters[..4], &letters[4..]);
    server.devices.insert(
        device_code.clone(),
        Device {
            client_id,
            user_code: user_code.clone(),
            scope,
            expires_ms: now + DEVICE_LIFETIME_SECS * 1000,
            status: DeviceStatus::Pending,
            last_poll_ms: None,
        },
    );
    Ok(Reply::json(
        200,
        json!({
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": format!("{base_url}/oauth/device"),
            "verification_uri_complete": format!("{base_url}/oauth/device?user_code={user_code}"),
            "expires_in": DEVICE_LIFETIME_SECS,
            "interval": server.interval_secs,
        }),
    ))
}

fn authorize_page(server: &mut OAuthServer, query: &HashMap<String, String>) -> Reply {
    let bad = |message: &str| {
        Reply::html(
            400,
            page(
                "Invalid authorization request",
                &format!("<p>{}</p>", html_escape(message)),
            ),
        )
    };
    let get = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
    let (client_id, redirect_uri) = (get("client_id"), get("redirect_uri"));
    if client_id.is_empty() {
        return bad("client_id is required");
    }
    // Without a usable redirect URI the error cannot be sent back: it is shown here.
    if !redirect_allowed(redirect_uri) {
        return bad("redirect_uri must be https, or http on a loopback host");
    }
    let state = query.get("state").cloned();
    let back = |error: &str, description: &str| {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if let Some(state) = &state {
            pairs.push(("state", state));
        }
        let location = with_query(redirect_uri, &pairs);
        Reply::raw(
            303,
            "text/plain; charset=utf-8",
            format!("See {location}\n"),
        )
        .header("Location", location)
    };
    if get("response_type") != "code" {
        return back("unsupported_response_type", "response_type must be code");
    }
    if get("code_challenge_method") != "S256" || get("code_challenge").len() < 43 {
        return back(
            "invalid_request",
            "PKCE is required: code_challenge with code_challenge_method=S256",
        );
    }
    let id = server.token("req_");
    let scope = get("scope").to_owned();
    server.pending.insert(
        id.clone(),
        PendingAuthorize {
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            scope: scope.clone(),
            state,
            challenge: get("code_challenge").to_owned(),
        },
    );
    Reply::html(
        200,
        page(
            "Authorize app",
            &format!(
                "<p>The app <code>{}</code> asks for access to your HeyGen account (scopes: {}).</p>\n<form method=\"post\" action=\"/oauth/authorize/{id}/approve\"><button type=\"submit\">Approve</button></form>\n<form method=\"post\" action=\"/oauth/authorize/{id}/deny\"><button type=\"submit\">Deny</button></form>",
                html_escape(client_id),
                html_escape(if scope.is_empty() { "none" } else { &scope }),
            ),
        ),
    )
}

fn authorize_decide(server: &mut OAuthServer, id: &str, action: &str, now: i64) -> Reply {
    if !matches!(action, "approve" | "deny") {
        return Reply::html(404, page("Not found", "<p>Unknown action.</p>"));
    }
    // One decision per request.
    let Some(pending) = server.pending.remove(id) else {
        return Reply::html(
            404,
            page(
                "Request not found",
                "<p>This authorization request is unknown or was already answered.</p>",
            ),
        );
    };
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if action == "approve" {
        let code = server.token("hgo_code_");
        server.codes.insert(
            code.clone(),
            Code {
                client_id: pending.client_id.clone(),
                redirect_uri: pending.redirect_uri.clone(),
                scope: pending.scope.clone(),
                challenge: pending.challenge.clone(),
                expires_ms: now + CODE_LIFETIME_MS,
            },
        );
        pairs.push(("code", code));
        server.event("authorize", &pending.client_id, None, now);
    } else {
        pairs.push(("error", "access_denied".to_owned()));
        server.event("authorize", &pending.client_id, Some("access_denied"), now);
    }
    if let Some(state) = &pending.state {
        pairs.push(("state", state.clone()));
    }
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let location = with_query(&pending.redirect_uri, &borrowed);
    Reply::raw(
        303,
        "text/plain; charset=utf-8",
        format!("See {location}\n"),
    )
    .header("Location", location)
}

fn device_page(server: &OAuthServer, query: &HashMap<String, String>) -> Reply {
    let code = query.get("user_code").cloned().unwrap_or_default();
    let known = server
        .devices
        .values()
        .any(|d| d.user_code.eq_ignore_ascii_case(&code) && d.status == DeviceStatus::Pending);
    if !known {
        return Reply::html(
            200,
            page(
                "Connect a device",
                "<form method=\"get\" action=\"/oauth/device\"><label>Code <input name=\"user_code\"></label><button type=\"submit\">Continue</button></form>",
            ),
        );
    }
    let code = html_escape(&code);
    Reply::html(
        200,
        page(
            "Connect a device",
            &format!(
                "<p>Approve the device showing the code <strong>{code}</strong>?</p>\n<form method=\"post\" action=\"/oauth/device/{code}/approve\"><button type=\"submit\">Approve</button></form>\n<form method=\"post\" action=\"/oauth/device/{code}/deny\"><button type=\"submit\">Deny</button></form>"
            ),
        ),
    )
}
