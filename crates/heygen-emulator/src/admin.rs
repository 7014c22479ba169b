//! The admin API under `/_emulator/…`, the consent web page and the emulator's file URLs.

use std::sync::Arc;

use axum::extract::Request;
use serde_json::{Value, json};

use crate::fault::{ActiveRule, FaultRule};
use crate::reply::{ApiError, Reply};
use crate::shared::Shared;
use crate::state::Consent;

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

/// `GET /consent/{token}` shows the page; `POST /consent/{token}/approve|decline` decides.
pub(crate) fn consent_page(sh: &Shared, method: &str, path: &str) -> Reply {
    let rest = path.trim_start_matches("/consent/");
    let (token, action) = rest.split_once('/').unwrap_or((rest, ""));
    let mut st = sh.lock();
    let group = st
        .groups
        .values()
        .find(|g| g.consent_token.as_deref() == Some(token))
        .map(|g| {
            (
                g.id.clone(),
                g.name.clone(),
                g.consent.clone(),
                g.reroute_url.clone(),
                g.consent_text.clone(),
            )
        });
    let Some((gid, name, consent, reroute, text)) = group else {
        return Reply::html(
            404,
            page(
                "Consent link not found",
                "<p>This consent link is unknown or was replaced.</p>",
            ),
        );
    };
    match (method, action) {
        ("GET", "") => {
            let status = match consent {
                Consent::Approved => "<p>Consent was already given.</p>",
                Consent::Declined => "<p>Consent was declined.</p>",
                _ => "",
            };
            let text = text.unwrap_or_else(|| {
                format!(
                    "I agree that my likeness may be used to create the digital twin \"{name}\"."
                )
            });
            Reply::html(
                200,
                page(
                    &format!("Consent for digital twin \"{name}\""),
                    &format!(
                        "{status}<p>{}</p>\n<form method=\"post\" action=\"/consent/{token}/approve\"><button type=\"submit\">I consent</button></form>\n<form method=\"post\" action=\"/consent/{token}/decline\"><button type=\"submit\">I decline</button></form>",
                        html_escape(&text)
                    ),
                ),
            )
        }
        ("POST", "approve" | "decline") => {
            let approve = action == "approve";
            st.decide_consent(&gid, approve);
            match reroute {
                Some(url) => Reply::raw(303, "text/plain; charset=utf-8", format!("See {url}\n"))
                    .header("Location", url),
                None => Reply::html(
                    200,
                    page(
                        "Thank you",
                        if approve {
                            "<p>Your consent was recorded. You can close this page.</p>"
                        } else {
                            "<p>You declined. The digital twin will not be created.</p>"
                        },
                    ),
                ),
            }
        }
        _ => Reply::html(
            405,
            page(
                "Method not allowed",
                "<p>Use the buttons on the consent page.</p>",
            ),
        ),
    }
}

/// A tiny valid PNG (1×1 pixel).
const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f,
    0x00, 0x05, 0xfe, 0x02, 0xfe, 0xa7, 0x35, 0x81, 0x84, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

/// `GET /_files/…`: previews, rendered videos and uploaded assets (placeholder bytes).
pub(crate) fn files(sh: &Shared, path: &str) -> Reply {
    let rest = path.trim_start_matches("/_files/");
    let st = sh.lock();
    if let Some(name) = rest.strip_prefix("videos/") {
        let id = name.split(['.', '/']).next().unwrap_or_default();
        let Some(v) = st.videos.get(id) else {
            return Reply::raw(
                404,
                "application/xml",
                "<Error><Code>NoSuchKey</Code></Error>",
            );
        };
        if st.video_status(v) != "completed" {
            return Reply::raw(
                404,
                "application/xml",
                "<Error><Code>NoSuchKey</Code></Error>",
            );
        }
        if std::path::Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jpg"))
            || name.ends_with("/page")
        {
            return Reply::raw(200, "image/png", PNG_1X1);
        }
        let mut bytes = vec![0u8; 64 * 1024];
        bytes[..24].copy_from_slice(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom");
        let ct = if v.output_format == "webm" {
            "video/webm"
        } else {
            "video/mp4"
        };
        return Reply::raw(200, ct, bytes);
    }
    if rest.starts_with("previews/") {
        return Reply::raw(200, "image/png", PNG_1X1);
    }
    if let Some(id) = rest.strip_prefix("assets/") {
        return match st.assets.get(id) {
            Some(a) if a.is_complete() => Reply::raw(
                200,
                "text/plain; charset=utf-8",
                format!(
                    "emulated asset {} ({} bytes of {}; the emulator keeps no content)\n",
                    a.id, a.size, a.mime
                ),
            ),
            _ => Reply::raw(
                404,
                "application/xml",
                "<Error><Code>NoSuchKey</Code></Error>",
            ),
        };
    }
    Reply::raw(
        404,
        "application/xml",
        "<Error><Code>NoSuchKey</Code></Error>",
    )
}

fn not_found(path: &str) -> Reply {
    ApiError::new(404, "not_found", format!("no admin route {path}")).into_reply()
}

/// The admin body as JSON (`{}` when empty). `bytes` is the body as read (at most 1 MiB).
fn json_body(bytes: Result<bytes::Bytes, axum::Error>) -> Result<Value, Reply> {
    let bytes = bytes.map_err(|_| {
        ApiError::new(
            413,
            "payload_too_large",
            "admin bodies are limited to 1 MiB",
        )
        .into_reply()
    })?;
    if bytes.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::invalid("body", format!("invalid JSON: {e}")).into_reply())
}

/// Adds fault rules to the shared list.
pub(crate) fn add_rules(sh: &Shared, rules: Vec<FaultRule>) -> usize {
    let mut f = sh.lock_faults();
    f.extend(rules.into_iter().map(|rule| ActiveRule {
        rule,
        seen: 0,
        fired: 0,
    }));
    f.len()
}

/// Approves or declines a group's consent; false when the group is unknown or not a twin.
pub(crate) fn decide(sh: &Shared, group_id: &str, approve: bool) -> Result<Value, ApiError> {
    let mut st = sh.lock();
    st.refresh();
    let is_twin = st
        .groups
        .get(group_id)
        .map(|g| !g.public && g.kind == crate::state::Kind::DigitalTwin)
        .ok_or_else(|| {
            ApiError::new(
                404,
                "avatar_not_found",
                format!("avatar group `{group_id}` not found"),
            )
        })?;
    if !is_twin {
        return Err(ApiError::invalid(
            "group_id",
            "consent applies to digital twin groups only",
        ));
    }
    st.decide_consent(group_id, approve);
    let g = st
        .groups
        .get(group_id)
        .map_or(Value::Null, |g| st.group_json(g));
    Ok(json!({"group_id": group_id, "consent_status": g["consent_status"], "avatar_group": g}))
}

/// Enables or disables a webhook endpoint; false when it is unknown.
pub(crate) fn set_endpoint_enabled(sh: &Shared, endpoint_id: &str, enabled: bool) -> bool {
    let mut st = sh.lock();
    match st.endpoints.get_mut(endpoint_id) {
        Some(e) => {
            e.enabled = enabled;
            true
        }
        None => false,
    }
}

/// `/_emulator/webhooks/…`: the delivery log, and enabling or disabling an endpoint.
fn webhooks(sh: &Shared, method: &str, segs: &[&str]) -> Reply {
    match (method, segs) {
        ("GET", ["deliveries"]) => {
            let st = sh.lock();
            Reply::json(200, json!({"deliveries": st.deliveries}))
        }
        ("POST", ["endpoints", id, action @ ("enable" | "disable")]) => {
            if set_endpoint_enabled(sh, id, *action == "enable") {
                let st = sh.lock();
                let e = st.endpoints.get(*id).map_or(Value::Null, |e| e.json(false));
                Reply::json(200, json!({"endpoint": e}))
            } else {
                ApiError::new(
                    404,
                    "not_found",
                    format!("webhook endpoint `{id}` not found"),
                )
                .into_reply()
            }
        }
        _ => not_found(&format!("/_emulator/webhooks/{}", segs.join("/"))),
    }
}

/// Handles `/_emulator/…`.
pub(crate) async fn handle(sh: &Arc<Shared>, req: Request) -> Reply {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let rest = path
        .trim_start_matches("/_emulator")
        .trim_end_matches('/')
        .to_owned();
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    // Every call reads its whole body first (even the ones that ignore it), so the connection
    // stays usable: a reply before the body makes the server close it, racing a client's reuse.
    let body = axum::body::to_bytes(req.into_body(), 1024 * 1024).await;
    match (method.as_str(), segs.as_slice()) {
        ("GET", ["health"]) => {
            let violations = sh.lock_violations().len();
            let st = sh.lock();
            Reply::json(
                200,
                json!({
                    "status": "ok", "base_url": st.base_url, "now": st.now(), "seed": st.seed,
                    "strict": sh.strict, "check_responses": sh.check_responses,
                    "schema_violations": violations,
                }),
            )
        }
        ("GET", ["clock"]) => {
            let st = sh.lock();
            Reply::json(
                200,
                json!({"now": st.now(), "now_ms": st.clock.now_ms(), "speed": st.clock.speed()}),
            )
        }
        ("POST", ["clock", "advance"]) => {
            let body = match json_body(body) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let ms =
                body["ms"].as_i64().unwrap_or(0) + body["seconds"].as_i64().unwrap_or(0) * 1000;
            let mut st = sh.lock();
            st.clock.advance_ms(ms);
            st.refresh();
            Reply::json(200, json!({"now": st.now(), "advanced_ms": ms}))
        }
        ("POST", ["consent", gid, action @ ("approve" | "decline")]) => {
            match decide(sh, gid, *action == "approve") {
                Ok(v) => Reply::json(200, v),
                Err(e) => e.into_reply(),
            }
        }
        ("GET", ["oauth", "events"]) => Reply::json(200, json!({"events": sh.lock_oauth().events})),
        ("GET", ["requests"]) => {
            let st = sh.lock();
            Reply::json(200, json!({"requests": st.log}))
        }
        ("DELETE", ["requests"]) => {
            sh.lock().log.clear();
            Reply::json(200, json!({"requests": []}))
        }
        (m, ["webhooks", rest @ ..]) => webhooks(sh, m, rest),
        ("GET", ["files", "requests"]) => crate::files::requests(sh),
        ("GET", ["other-origin", "requests"]) => {
            let st = sh.lock();
            Reply::json(200, json!({"requests": st.other_origin_log}))
        }
        ("POST", ["reset"]) => {
            sh.lock().reset();
            sh.lock_faults().clear();
            Reply::json(200, json!({"status": "reset"}))
        }
        ("GET", ["faults"]) => {
            let f = sh.lock_faults();
            Reply::json(200, json!({"rules": *f}))
        }
        ("POST", ["faults"]) => {
            let body = match json_body(body) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let rules: Result<Vec<FaultRule>, _> = if body.is_array() {
                serde_json::from_value(body)
            } else {
                serde_json::from_value(body).map(|r| vec![r])
            };
            match rules {
                Ok(r) => Reply::json(200, json!({"rules": add_rules(sh, r)})),
                Err(e) => ApiError::invalid("body", format!("not a fault rule: {e}")).into_reply(),
            }
        }
        ("DELETE", ["faults"]) => {
            sh.lock_faults().clear();
            Reply::json(200, json!({"rules": 0}))
        }
        _ => not_found(&path),
    }
}
