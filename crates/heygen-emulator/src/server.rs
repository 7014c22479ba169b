//! The HTTP side: connections, dispatch, auth, idempotency, the request log and faults.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State as AxState};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use crate::fault::{Fault, RetryAfter};
use crate::reply::{ApiError, Payload, Reply};
use crate::shared::{Meta, Shared};
use crate::state::{Idem, LoggedRequest};
use crate::{admin, api, rules, schema, upload};

/// Largest JSON request body, in bytes.
const MAX_JSON_BODY: usize = 48 * 1024 * 1024;

/// Per-connection control: closing the socket without an answer.
#[derive(Clone)]
pub(crate) struct ConnCtl {
    kill: Arc<Notify>,
    pub(crate) peer: SocketAddr,
}

impl ConnCtl {
    /// Closes the connection without an answer (or in the middle of one).
    pub(crate) fn close(&self) {
        self.kill.notify_one();
    }
}

/// Serves `router` on `listener` until `shutdown` flips, one task per connection.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = shutdown.changed() => return,
        };
        let Ok((stream, peer)) = accepted else {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut sd = shutdown.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let ctl = ConnCtl {
                kill: kill.clone(),
                peer,
            };
            let tower = TowerToHyperService::new(router);
            let svc = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ctl.clone());
                tower.call(req)
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                () = kill.notified() => {}
                _ = sd.changed() => {}
            }
        });
    }
}

/// The router of the main origin.
pub(crate) fn main_router(sh: Arc<Shared>) -> Router {
    Router::new()
        .fallback(main_handler)
        .layer(DefaultBodyLimit::disable())
        .with_state(sh)
}

/// The router of the second origin that redirects point to: it records what arrives.
pub(crate) fn other_router(sh: Arc<Shared>) -> Router {
    Router::new()
        .fallback(other_handler)
        .layer(DefaultBodyLimit::disable())
        .with_state(sh)
}

pub(crate) fn mask_headers(h: &HeaderMap) -> BTreeMap<String, String> {
    h.iter()
        .map(|(k, v)| {
            let name = k.as_str().to_ascii_lowercase();
            let value = if matches!(
                name.as_str(),
                "x-api-key" | "authorization" | "cookie" | "proxy-authorization"
            ) {
                "<redacted>".to_owned()
            } else {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            };
            (name, value)
        })
        .collect()
}

pub(crate) fn mask_query(q: Option<&str>) -> Option<String> {
    q.map(|q| {
        q.split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("X-Amz-Signature") => {
                    format!("{k}=<redacted>")
                }
                _ => kv.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    })
}

pub(crate) fn content_length(h: &HeaderMap) -> u64 {
    h.get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

async fn other_handler(AxState(sh): AxState<Arc<Shared>>, req: Request) -> Response<Body> {
    let entry = LoggedRequest {
        request_id: String::new(),
        method: req.method().as_str().to_owned(),
        path: req.uri().path().to_owned(),
        query: mask_query(req.uri().query()),
        headers: mask_headers(req.headers()),
        body_bytes: content_length(req.headers()),
        status: 401,
        credentials_rejected: false,
        fault: None,
    };
    let carried_key =
        req.headers().contains_key("x-api-key") || req.headers().contains_key("authorization");
    let request_id = {
        let mut st = sh.lock();
        let id = st.next_request_id();
        let mut e = entry;
        e.request_id.clone_from(&id);
        e.credentials_rejected = carried_key;
        st.other_origin_log.push(e);
        id
    };
    let reply = ApiError::new(
        401,
        "unauthorized",
        "this is the emulator's second origin: HeyGen credentials must never be sent here",
    )
    .into_reply();
    render(reply, &request_id, None, None)
}

async fn main_handler(AxState(sh): AxState<Arc<Shared>>, req: Request) -> Response<Body> {
    let ctl = req.extensions().get::<ConnCtl>().cloned();
    let path = req.uri().path().to_owned();
    if path == "/_emulator" || path.starts_with("/_emulator/") {
        let loopback = ctl.as_ref().is_none_or(|c| c.peer.ip().is_loopback());
        let request_id = sh.lock().next_request_id();
        let reply = if loopback {
            let r = admin::handle(&sh, req).await;
            // The clock, consent or state may have moved: the webhook ticker looks again.
            sh.wake.notify_one();
            r
        } else {
            ApiError::new(
                403,
                "forbidden",
                "the admin API answers loopback clients only",
            )
            .into_reply()
        };
        return render(reply, &request_id, None, None);
    }
    let method = req.method().as_str().to_owned();
    let (request_id, fault) = {
        let fault = crate::fault::pick(&mut sh.lock_faults(), &method, &path);
        let mut st = sh.lock();
        let request_id = st.next_request_id();
        st.log.push(LoggedRequest {
            request_id: request_id.clone(),
            method: method.clone(),
            path: path.clone(),
            query: mask_query(req.uri().query()),
            headers: mask_headers(req.headers()),
            body_bytes: content_length(req.headers()),
            status: 0,
            credentials_rejected: false,
            fault: fault.as_ref().map(|f| f.kind().to_owned()),
        });
        (request_id, fault)
    };
    let mut meta = Meta {
        body_bytes: content_length(req.headers()),
        credentials_rejected: false,
    };
    let pre = match &fault {
        Some(Fault::Close) => {
            if let Some(c) = &ctl {
                c.kill.notify_one();
            }
            std::future::pending::<()>().await;
            None
        }
        Some(f) => pre_fault(&sh, f, &req),
        None => None,
    };
    let reply = if let Some(r) = pre {
        // Read the request body before answering, so closing the connection does not reset
        // it under a client that is still sending (the client would lose the answer).
        drain_request(req).await;
        r
    } else {
        let delay = match &fault {
            Some(Fault::Delay { ms }) => Some(Duration::from_millis(*ms)),
            _ => None,
        };
        route(&sh, req, &mut meta, delay).await
    };
    if method != "GET" {
        // A new video, avatar, consent or endpoint may change what the webhook ticker waits for.
        sh.wake.notify_one();
    }
    let reply = if sh.check_responses && path.starts_with("/v3/") && body_untouched(fault.as_ref())
    {
        self_check(&sh, &method, &path, reply)
    } else {
        reply
    };
    let status = reply.status;
    {
        let mut st = sh.lock();
        if let Some(e) = st.log.iter_mut().rev().find(|e| e.request_id == request_id) {
            e.status = status;
            e.body_bytes = meta.body_bytes;
            e.credentials_rejected = meta.credentials_rejected;
        }
    }
    render(reply, &request_id, fault.as_ref(), ctl.as_ref())
}

/// Whether a fault leaves the reply's JSON as the emulator made it (only then is it checked).
fn body_untouched(fault: Option<&Fault>) -> bool {
    matches!(
        fault,
        None | Some(
            Fault::Delay { .. }
                | Fault::Gzip
                | Fault::Truncate { .. }
                | Fault::StallBody { .. }
                | Fault::Trickle { .. }
        )
    )
}

/// Checks a `/v3/` JSON reply against the schema for its endpoint and status. A reply that
/// breaks it is an emulator bug: it is logged to stderr, recorded (the handle's `Drop` panics on
/// it) and replaced by a 500 `emulator_schema_violation` envelope that names the problem.
pub(crate) fn self_check(sh: &Shared, method: &str, path: &str, reply: Reply) -> Reply {
    let Payload::Json(body) = &reply.payload else {
        return reply;
    };
    let Ok(schemas) = schema::schemas() else {
        return reply;
    };
    let Err(errs) = schemas.check_reply(method, path, reply.status, body) else {
        return reply;
    };
    let message = format!(
        "emulator bug: its {} reply to {method} {path} breaks the schema: {}",
        reply.status,
        errs.join("; ")
    );
    report_violation(&message);
    sh.lock_violations().push(message.clone());
    ApiError::new(500, "emulator_schema_violation", message).into_reply()
}

#[allow(
    clippy::print_stderr,
    reason = "a schema violation is an emulator bug that must be seen even where no test reads the reply"
)]
fn report_violation(message: &str) {
    eprintln!("heygen-emulator: {message}");
}

fn default_code(status: u16) -> &'static str {
    match status {
        400 => "invalid_parameter",
        401 => "unauthorized",
        402 => "insufficient_credit",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        413 => "payload_too_large",
        429 => "rate_limit_exceeded",
        504 => "timeout",
        _ => "internal_error",
    }
}

fn retry_after_value(r: RetryAfter) -> String {
    match r {
        RetryAfter::Seconds(s) => s.to_string(),
        RetryAfter::HttpDate(s) => {
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(s))
        }
    }
}

/// Faults that answer instead of the emulator (the request never reaches the account).
fn pre_fault(sh: &Shared, f: &Fault, req: &Request) -> Option<Reply> {
    Some(match f {
        Fault::Status {
            status,
            code,
            message,
            retry_after,
        } => {
            let mut r = ApiError::new(
                *status,
                code.as_deref().unwrap_or(default_code(*status)),
                message
                    .clone()
                    .unwrap_or_else(|| format!("emulated failure with status {status}")),
            )
            .into_reply();
            if let Some(ra) = retry_after {
                r = r.header("Retry-After", retry_after_value(*ra));
            }
            r
        }
        Fault::Html {
            status,
            retry_after,
        } => {
            let reason = StatusCode::from_u16(*status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Error");
            let mut r = Reply::html(
                *status,
                format!(
                    "<html><head><title>{status} {reason}</title></head><body><center><h1>{status} {reason}</h1></center><hr><center>nginx</center></body></html>\n"
                ),
            );
            if let Some(ra) = retry_after {
                r = r.header("Retry-After", retry_after_value(*ra));
            }
            r
        }
        Fault::ErrorIn200 { code, message } => Reply::json(
            200,
            json!({"data": null, "error": {
                "code": code.as_deref().unwrap_or("invalid_parameter"),
                "message": message.as_deref().unwrap_or("the request could not be served"),
            }}),
        ),
        Fault::Redirect { status, host } => {
            let status = if matches!(status, 301 | 302 | 303 | 307 | 308) {
                *status
            } else {
                302
            };
            let host = host.as_deref().unwrap_or("127.0.0.1");
            let pq = req.uri().path_and_query().map_or("/", |p| p.as_str());
            let location = format!("http://{host}:{}{pq}", sh.other_origin_port);
            Reply::raw(
                status,
                "text/plain; charset=utf-8",
                format!("Redirecting to {location}\n"),
            )
            .header("Location", location)
        }
        Fault::Oversized { bytes } => {
            let n = bytes.unwrap_or(20 * 1024 * 1024).max(32);
            let prefix = Bytes::from_static(b"{\"data\":{\"padding\":\"");
            let suffix = Bytes::from_static(b"\"}}");
            let fill = n - prefix.len() - suffix.len();
            let chunk = Bytes::from(vec![b'a'; 64 * 1024]);
            let mut parts = vec![prefix];
            let mut left = fill;
            while left > 0 {
                let take = left.min(chunk.len());
                parts.push(chunk.slice(..take));
                left -= take;
            }
            parts.push(suffix);
            let stream = futures_util::stream::iter(parts.into_iter().map(Ok::<_, Infallible>));
            Reply {
                status: 200,
                headers: Vec::new(),
                payload: Payload::Stream {
                    content_type: "application/json".into(),
                    body: Body::from_stream(stream),
                    len: Some(n as u64),
                },
            }
        }
        Fault::Close
        | Fault::Delay { .. }
        | Fault::StallBody { .. }
        | Fault::Trickle { .. }
        | Fault::Truncate { .. }
        | Fault::Gzip
        | Fault::UnknownEnums
        | Fault::ExtraFields => return None,
    })
}

async fn route(sh: &Arc<Shared>, req: Request, meta: &mut Meta, delay: Option<Duration>) -> Reply {
    let path = req.uri().path().to_owned();
    let method = req.method().as_str().to_owned();
    if let Some(d) = delay
        && !path.starts_with("/v3/")
    {
        tokio::time::sleep(d).await;
    }
    if path.starts_with("/_storage/") && method == "PUT" {
        return upload::put(sh, req, meta).await;
    }
    if path.starts_with("/v3/") {
        return match v3(sh, req, meta, delay).await {
            Ok(r) | Err(r) => r,
        };
    }
    if path.starts_with("/v1/oauth/") || path.starts_with("/oauth/") {
        match crate::oauth::handle(sh, req).await {
            Some(reply) => return reply,
            None => {
                return ApiError::new(404, "not_found", format!("no route for {method} {path}"))
                    .into_reply();
            }
        }
    }
    // The routes below take no body: read whatever came, so the connection stays usable.
    drain_request(req).await;
    if path.starts_with("/consent/") {
        return admin::consent_page(sh, &method, &path);
    }
    if path.starts_with("/_storage/") {
        return Reply::raw(
            405,
            "application/xml",
            "<Error><Code>MethodNotAllowed</Code></Error>",
        );
    }
    if path.starts_with("/_files/speech/") {
        return crate::voices::file(&sh.lock(), &path);
    }
    if path.starts_with("/_files/") {
        return admin::files(sh, &path);
    }
    ApiError::new(404, "not_found", format!("no route for {method} {path}")).into_reply()
}

fn check_auth(sh: &Shared, h: &HeaderMap) -> Result<(), ApiError> {
    let key = h
        .get("x-api-key")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let auth = h
        .get("authorization")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let unauthorized = |m: &str| ApiError::new(401, "unauthorized", m);
    match (key, auth) {
        (Some(_), Some(_)) => Err(unauthorized(
            "send exactly one of X-Api-Key or Authorization, not both",
        )),
        (Some(k), None) if k == sh.api_key => Ok(()),
        (Some(_), None) => Err(unauthorized("invalid API key")),
        (None, Some(a)) => {
            let (scheme, token) = a.split_once(' ').unwrap_or((a.as_str(), ""));
            let token = token.trim();
            if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
                Err(unauthorized(
                    "Authorization must be `Bearer <access token>`",
                ))
            } else if token == sh.access_token || token == sh.api_key {
                Ok(())
            } else {
                // A token the OAuth server issued: valid until it expires or is revoked.
                let now = sh.lock().clock.now_ms();
                match sh.lock_oauth().check_bearer(token, now) {
                    Some(Ok(())) => Ok(()),
                    Some(Err(why)) => Err(unauthorized(why)),
                    None => Err(unauthorized("invalid or expired access token")),
                }
            }
        }
        (None, None) => Err(unauthorized(
            "missing API key: send X-Api-Key or Authorization: Bearer",
        )),
    }
}

fn path_params(template: &str, path: &str) -> Vec<String> {
    template
        .split('/')
        .zip(path.split('/'))
        .filter(|(t, _)| t.starts_with('{'))
        .map(|(_, s)| api::percent_decode(s))
        .collect()
}

/// What the checks before the body found: the endpoint and its inputs.
struct Head {
    method: String,
    path: String,
    ep: &'static schema::Endpoint,
    template: String,
    q: std::collections::HashMap<String, String>,
    params: Vec<String>,
    idem_key: Option<String>,
}

/// The checks that need no body: auth, route, query and `Idempotency-Key`.
fn v3_head(sh: &Shared, req: &Request) -> Result<Head, Reply> {
    let err = ApiError::into_reply;
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().trim_end_matches('/').to_owned();
    check_auth(sh, req.headers()).map_err(err)?;
    let schemas =
        schema::schemas().map_err(|e| ApiError::new(500, "internal_error", e).into_reply())?;
    let Some(ep) = schemas.find(&method, &path) else {
        let allowed = schemas.methods_at(&path);
        if allowed.is_empty() {
            return Err(
                ApiError::new(404, "not_found", format!("no route for {method} {path}"))
                    .into_reply(),
            );
        }
        let allow = allowed.join(", ");
        return Err(ApiError::new(
            405,
            "method_not_allowed",
            format!("{method} is not allowed on {path}; use {allow}"),
        )
        .into_reply()
        .header("Allow", allow));
    };
    let template = ep.path.clone();
    let q = api::check_query(ep, &api::parse_query(req.uri().query())).map_err(err)?;
    let params = path_params(&template, &path);
    let mutation = matches!(method.as_str(), "POST" | "PATCH" | "PUT" | "DELETE");
    let idem_key = match req.headers().get("idempotency-key") {
        Some(v) if mutation => {
            let k = String::from_utf8_lossy(v.as_bytes()).into_owned();
            if !rules::valid_idempotency_key(&k) {
                return Err(ApiError::invalid(
                    "Idempotency-Key",
                    "Idempotency-Key must be 1 to 255 characters of A-Z a-z 0-9 _ : . -",
                )
                .into_reply());
            }
            Some(k)
        }
        _ => None,
    };
    Ok(Head {
        method,
        path,
        ep,
        template,
        q,
        params,
        idem_key,
    })
}

#[allow(
    clippy::too_many_lines,
    reason = "the request pipeline reads top to bottom"
)]
async fn v3(
    sh: &Arc<Shared>,
    req: Request,
    meta: &mut Meta,
    delay: Option<Duration>,
) -> Result<Reply, Reply> {
    let Head {
        method,
        path,
        ep,
        template,
        q,
        params,
        idem_key,
    } = match v3_head(sh, &req) {
        Ok(head) => head,
        Err(reply) => {
            // Read the unread body first, so the connection stays usable for the next request
            // (a reply before the body makes the server close it, racing a client's reuse).
            drain_request(req).await;
            return Err(reply);
        }
    };
    let is_multipart = method == "POST" && template == "/v3/assets";
    let mut body_value = Value::Null;
    let mut fingerprint = format!("{method} {path}");
    let mut pending_req = None;
    if is_multipart {
        {
            use std::fmt::Write as _;
            let _ = write!(fingerprint, " len={}", meta.body_bytes);
        }
        pending_req = Some(req);
    } else if ep.json_body {
        let ct = req
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let bytes = axum::body::to_bytes(req.into_body(), MAX_JSON_BODY)
            .await
            .map_err(|_| {
                ApiError::new(
                    413,
                    "payload_too_large",
                    format!("JSON bodies are limited to {MAX_JSON_BODY} bytes"),
                )
                .into_reply()
            })?;
        meta.body_bytes = bytes.len() as u64;
        let mime = ct.split(';').next().unwrap_or("").trim();
        if mime != "application/json" {
            return Err(ApiError::invalid(
                "Content-Type",
                "JSON bodies need Content-Type: application/json",
            )
            .into_reply());
        }
        if bytes.is_empty() {
            return Err(ApiError::invalid(
                "body",
                "the body is empty: send {} when there are no options",
            )
            .into_reply());
        }
        body_value = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::invalid("body", format!("the body is not valid JSON: {e}")).into_reply()
        })?;
        if !body_value.is_object() {
            return Err(ApiError::invalid("body", "the body must be a JSON object").into_reply());
        }
        let digest = Sha256::digest(&bytes);
        {
            use std::fmt::Write as _;
            let _ = write!(fingerprint, " {digest:x}");
        }
    } else {
        drop(req);
    }
    if let Some(k) = &idem_key {
        let mut st = sh.lock();
        st.refresh();
        let now = st.now();
        match st.idem.get(k) {
            Some(Idem::InFlight { .. }) => {
                return Err(ApiError::new(
                    409,
                    "request_in_progress",
                    "a request with this Idempotency-Key is still in progress",
                )
                .into_reply());
            }
            Some(Idem::Done {
                fingerprint: fp,
                status,
                body,
                content_type,
                ..
            }) => {
                if fp == &fingerprint {
                    return Ok(Reply::raw(*status, content_type, body.clone())
                        .header("Idempotent-Replayed", "true"));
                }
                return Err(ApiError::new(
                    409,
                    "conflict",
                    "this Idempotency-Key was already used for a different request",
                )
                .param("Idempotency-Key")
                .into_reply());
            }
            None => {
                st.idem.insert(k.clone(), Idem::InFlight { at: now });
            }
        }
    }
    // If the client goes away mid-request (a timeout), the handler is dropped; the request
    // still "finishes" server-side after the delay, so a retry sees 409 until then, not forever.
    let mut in_flight = InFlightGuard {
        sh: Arc::clone(sh),
        key: idem_key.clone(),
        release_after: delay.unwrap_or_default(),
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let reply = if let Some(req) = pending_req {
        match upload::multipart(sh, req, meta).await {
            Ok(r) => r,
            Err(e) => e.into_reply(),
        }
    } else {
        let mut st = sh.lock();
        st.refresh();
        crate::assets::settle(&mut st);
        crate::video_batches::settle(&mut st);
        let checked = ep
            .check_request(&body_value)
            .map_err(|v| ApiError::invalid(&v.param, v.message))
            .and_then(|()| {
                if ep.json_body {
                    rules::check(&method, &template, &body_value, &st, sh.strict)
                } else {
                    Ok(())
                }
            });
        match checked.and_then(|()| {
            crate::assets::handle(
                &mut st,
                &method,
                &template,
                &params,
                &q,
                &body_value,
                sh.strict,
            )
            .or_else(|| {
                crate::video_batches::handle(
                    &mut st,
                    &method,
                    &template,
                    &params,
                    &q,
                    &body_value,
                    sh.strict,
                )
            })
            .unwrap_or_else(|| api::handle(&mut st, &method, &template, &params, &q, &body_value))
        }) {
            Ok(r) => r,
            Err(e) => e.into_reply(),
        }
    };
    in_flight.key = None;
    if let Some(k) = idem_key {
        let mut st = sh.lock();
        let now = st.now();
        match (&reply.payload, reply.status < 500) {
            (Payload::Json(v), true) => {
                let body = serde_json::to_vec(v).unwrap_or_default();
                st.idem.insert(
                    k,
                    Idem::Done {
                        fingerprint,
                        at: now,
                        status: reply.status,
                        body,
                        content_type: "application/json".into(),
                    },
                );
            }
            _ => {
                st.idem.remove(&k);
            }
        }
    }
    Ok(reply)
}

/// Renames enum-like values to names the client has never seen.
fn unknown_enums(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                match (k.as_str(), &child) {
                    ("status", Value::String(_)) => {
                        *child = Value::String("emulator_future_status".into());
                    }
                    (
                        "avatar_type"
                        | "consent_status"
                        | "preferred_orientation"
                        | "billing_type"
                        | "type",
                        Value::String(_),
                    ) => *child = Value::String(format!("emulator_future_{k}")),
                    _ => unknown_enums(child),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(unknown_enums),
        _ => {}
    }
}

/// Adds fields the schema does not know to every object.
fn extra_fields(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.values_mut().for_each(extra_fields);
            m.insert(
                "emulator_extra_field".into(),
                json!({"nested": [1, "two", null], "flag": true}),
            );
        }
        Value::Array(a) => a.iter_mut().for_each(extra_fields),
        _ => {}
    }
}

fn build(
    status: u16,
    headers: &[(String, String)],
    content_type: Option<&str>,
    body: Body,
) -> Response<Body> {
    let mut resp = Response::new(body);
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    if let Some(ct) = content_type
        && let Ok(v) = HeaderValue::from_str(ct)
    {
        h.insert("content-type", v);
    }
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            h.append(k, v);
        }
    }
    resp
}

/// Frames a reply, applying body-level faults.
pub(crate) fn render(
    reply: Reply,
    request_id: &str,
    fault: Option<&Fault>,
    ctl: Option<&ConnCtl>,
) -> Response<Body> {
    let mut headers = reply.headers;
    headers.push(("X-Request-Id".into(), request_id.to_owned()));
    let (content_type, bytes) = match reply.payload {
        Payload::Json(mut v) => {
            match fault {
                Some(Fault::UnknownEnums) => unknown_enums(&mut v),
                Some(Fault::ExtraFields) => extra_fields(&mut v),
                _ => {}
            }
            (
                "application/json".to_owned(),
                Bytes::from(serde_json::to_vec(&v).unwrap_or_default()),
            )
        }
        Payload::Raw {
            content_type,
            bytes,
        } => (content_type, bytes),
        Payload::Empty => (String::new(), Bytes::new()),
        Payload::Stream {
            content_type,
            body,
            len,
        } => {
            if let Some(n) = len {
                headers.push(("Content-Length".into(), n.to_string()));
            }
            return build(reply.status, &headers, Some(&content_type), body);
        }
    };
    let ct = if content_type.is_empty() {
        None
    } else {
        Some(content_type.as_str())
    };
    match fault {
        Some(Fault::Gzip) => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            let _ = enc.write_all(&bytes);
            let gz = enc.finish().unwrap_or_default();
            headers.push(("Content-Encoding".into(), "gzip".into()));
            headers.push(("Vary".into(), "Accept-Encoding".into()));
            build(reply.status, &headers, ct, Body::from(gz))
        }
        Some(Fault::Truncate { keep_bytes }) => {
            let keep = keep_bytes
                .unwrap_or(bytes.len() / 2)
                .min(bytes.len().saturating_sub(1));
            headers.push(("Content-Length".into(), bytes.len().to_string()));
            let first = bytes.slice(..keep);
            let kill = ctl.map(|c| c.kill.clone());
            let stream = futures_util::stream::unfold(0u8, move |step| {
                let first = first.clone();
                let kill = kill.clone();
                async move {
                    if step == 0 {
                        return Some((Ok::<Bytes, std::io::Error>(first), 1));
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    if let Some(k) = kill {
                        k.notify_one();
                    }
                    std::future::pending::<()>().await;
                    None
                }
            });
            build(reply.status, &headers, ct, Body::from_stream(stream))
        }
        Some(Fault::StallBody { after_bytes, ms }) => {
            let cut = (*after_bytes).min(bytes.len());
            headers.push(("Content-Length".into(), bytes.len().to_string()));
            let (a, b) = (bytes.slice(..cut), bytes.slice(cut..));
            let ms = *ms;
            let stream = futures_util::stream::unfold(0u8, move |step| {
                let (a, b) = (a.clone(), b.clone());
                async move {
                    match step {
                        0 => Some((Ok::<Bytes, std::io::Error>(a), 1)),
                        1 => {
                            tokio::time::sleep(Duration::from_millis(ms)).await;
                            Some((Ok(b), 2))
                        }
                        _ => None,
                    }
                }
            });
            build(reply.status, &headers, ct, Body::from_stream(stream))
        }
        Some(Fault::Trickle {
            chunk_bytes,
            every_ms,
        }) => {
            headers.push(("Content-Length".into(), bytes.len().to_string()));
            let body = trickle(bytes, *chunk_bytes, Duration::from_millis(*every_ms));
            build(reply.status, &headers, ct, body)
        }
        _ => build(reply.status, &headers, ct, Body::from(bytes)),
    }
}

/// `bytes` as a body of `size`-byte chunks, one every `every` (the `trickle` fault).
fn trickle(bytes: Bytes, size: usize, every: Duration) -> Body {
    let size = size.max(1);
    let stream = futures_util::stream::unfold(0usize, move |at| {
        let bytes = bytes.clone();
        async move {
            if at >= bytes.len() {
                return None;
            }
            if at > 0 {
                tokio::time::sleep(every).await;
            }
            let end = (at + size).min(bytes.len());
            Some((Ok::<Bytes, std::io::Error>(bytes.slice(at..end)), end))
        }
    });
    Body::from_stream(stream)
}

/// Reads and discards a request body.
async fn drain_request(req: Request) {
    use futures_util::StreamExt as _;
    let mut stream = req.into_body().into_data_stream();
    while let Some(Ok(_)) = stream.next().await {}
}

/// Releases an `Idempotency-Key` left in flight by a handler that was dropped (the client
/// disconnected), after the time the request would have taken.
struct InFlightGuard {
    sh: Arc<Shared>,
    key: Option<String>,
    release_after: Duration,
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else { return };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let sh = Arc::clone(&self.sh);
        let after = self.release_after;
        runtime.spawn(async move {
            tokio::time::sleep(after).await;
            let mut st = sh.lock();
            if matches!(st.idem.get(&key), Some(Idem::InFlight { .. })) {
                st.idem.remove(&key);
            }
        });
    }
}
