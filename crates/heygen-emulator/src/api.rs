//! The v3 JSON endpoints: each handler runs under the state lock and returns a JSON reply.

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::reply::{ApiError, Reply};
use crate::rules;
use crate::schema::Endpoint;
use crate::state::{
    Asset, AssetState, CONSENT_VIDEO_REVIEW_SECS, Consent, FAIL_MARKER, Group, Kind, Look,
    PHOTO_SECS, PROMPT_SECS, State, Training, Video,
};
use crate::webhook::{EVENT_TYPES, WebhookEndpoint};

/// Upload URLs stay valid this many emulated seconds.
pub(crate) const UPLOAD_EXPIRES_SECS: i64 = 3600;

/// Decoded query string, in order.
pub(crate) fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    q.unwrap_or("")
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    out.push(v);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks query parameters against the endpoint's declared limits; returns them with defaults.
pub(crate) fn check_query(
    ep: &Endpoint,
    q: &[(String, String)],
) -> Result<HashMap<String, String>, ApiError> {
    let mut out = HashMap::new();
    for p in &ep.query_params {
        if let Some(d) = &p.default {
            out.insert(p.name.clone(), d.clone());
        }
    }
    for (k, v) in q {
        let Some(p) = ep.query_params.iter().find(|p| &p.name == k) else {
            continue;
        };
        let mut v = v.clone();
        if p.name == "avatar_type" && (v == "video_avatar" || v == "video") {
            v = "digital_twin".into();
        }
        if p.is_int {
            let n: i64 = v
                .parse()
                .map_err(|_| ApiError::invalid(k, format!("`{k}` must be an integer")))?;
            if p.min.is_some_and(|m| n < m) || p.max.is_some_and(|m| n > m) {
                return Err(ApiError::invalid(
                    k,
                    format!(
                        "`{k}` must be between {} and {}",
                        p.min.unwrap_or(i64::MIN),
                        p.max.unwrap_or(i64::MAX)
                    ),
                ));
            }
        }
        if let Some(allowed) = &p.allowed
            && !allowed.contains(&v)
        {
            return Err(ApiError::invalid(
                k,
                format!("`{k}` must be one of {}", allowed.join(", ")),
            ));
        }
        out.insert(k.clone(), v);
    }
    Ok(out)
}

fn encode_token(kind: &str, seq: u64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("emu1:{kind}:{seq}"))
}

fn decode_token(kind: &str, t: &str) -> Result<u64, ApiError> {
    let bad = || ApiError::invalid("token", "pagination token is invalid or expired");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(t)
        .map_err(|_| bad())?;
    let s = String::from_utf8(raw).map_err(|_| bad())?;
    let mut parts = s.split(':');
    if parts.next() != Some("emu1") || parts.next() != Some(kind) {
        return Err(bad());
    }
    parts.next().and_then(|n| n.parse().ok()).ok_or_else(bad)
}

/// One page of `items` (newest first by sequence number) as `{data, has_more, next_token}`.
pub(crate) fn page(
    kind: &str,
    mut items: Vec<(u64, Value)>,
    q: &HashMap<String, String>,
) -> Result<Value, ApiError> {
    items.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(20);
    if let Some(t) = q.get("token").filter(|t| !t.is_empty()) {
        let after = decode_token(kind, t)?;
        items.retain(|(s, _)| *s < after);
    }
    let has_more = items.len() > limit;
    items.truncate(limit);
    let next = if has_more {
        items
            .last()
            .map_or(Value::Null, |(s, _)| Value::String(encode_token(kind, *s)))
    } else {
        Value::Null
    };
    Ok(json!({
        "data": items.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "has_more": has_more,
        "next_token": next,
    }))
}

#[allow(
    clippy::needless_pass_by_value,
    reason = "call sites build the value inline"
)]
fn ok(data: Value) -> Reply {
    Reply::json(200, json!({ "data": data }))
}

fn group_not_found(id: &str) -> ApiError {
    ApiError::new(
        404,
        "avatar_not_found",
        format!("avatar group `{id}` not found"),
    )
}

fn look_not_found(id: &str) -> ApiError {
    ApiError::new(404, "avatar_not_found", format!("look `{id}` not found"))
}

fn has_fail_marker(s: &str) -> bool {
    s.to_ascii_lowercase().contains(FAIL_MARKER)
}

#[allow(
    clippy::too_many_lines,
    reason = "one flat match over the endpoints reads best"
)]
/// Calls the handler for a JSON endpoint. `params` are the path parameters in order.
pub(crate) fn handle(
    st: &mut State,
    method: &str,
    template: &str,
    params: &[String],
    q: &HashMap<String, String>,
    body: &Value,
) -> Result<Reply, ApiError> {
    let p0 = params.first().map_or("", String::as_str);
    match (method, template) {
        ("GET", "/v3/users/me") => Ok(ok(json!({
            "username": "emulator",
            "email": "emulator@example.com",
            "first_name": "Emu",
            "last_name": "Lator",
            "billing_type": "wallet",
            "wallet": {"currency": "usd", "remaining_balance": 100.0, "auto_reload": {"enabled": false, "amount_usd": null, "threshold_usd": null}},
            "subscription": null,
            "usage_based": null,
        }))),
        ("POST", "/v3/avatars") => create_avatar(st, body),
        ("GET", "/v3/avatars") => {
            let ownership = q.get("ownership").map(String::as_str);
            let items = st
                .groups
                .values()
                .filter(|g| match ownership {
                    Some("public") => g.public,
                    Some("private") => !g.public,
                    _ => true,
                })
                .map(|g| (g.seq, st.group_json(g)))
                .collect();
            Ok(Reply::json(200, page("groups", items, q)?))
        }
        ("GET", "/v3/avatars/{group_id}") => {
            let g = st.groups.get(p0).ok_or_else(|| group_not_found(p0))?;
            Ok(ok(st.group_json(g)))
        }
        ("DELETE", "/v3/avatars/{group_id}") => {
            let g = st.groups.get(p0).ok_or_else(|| group_not_found(p0))?;
            if g.public {
                return Err(ApiError::new(
                    403,
                    "forbidden",
                    "public avatars cannot be deleted",
                ));
            }
            st.groups.remove(p0);
            st.looks.retain(|_, l| l.group_id != p0);
            Ok(ok(json!({ "id": p0 })))
        }
        ("POST", "/v3/avatars/{group_id}/consent") => create_consent(st, p0, body),
        ("GET", "/v3/avatars/looks") => {
            let ownership = q.get("ownership").map(String::as_str);
            let group = q.get("group_id");
            let ty = q.get("avatar_type");
            let items = st
                .looks
                .values()
                .filter(|l| match ownership {
                    Some("public") => l.public,
                    Some("private") => !l.public,
                    _ => true,
                })
                .filter(|l| group.is_none_or(|g| &l.group_id == g))
                .filter(|l| ty.is_none_or(|t| l.kind.look_type() == t))
                .map(|l| (l.seq, st.look_json(l)))
                .collect();
            Ok(Reply::json(200, page("looks", items, q)?))
        }
        ("GET", "/v3/avatars/looks/{look_id}") => {
            let l = st.looks.get(p0).ok_or_else(|| look_not_found(p0))?;
            Ok(ok(st.look_json(l)))
        }
        ("PATCH", "/v3/avatars/looks/{look_id}") => {
            let l = st.looks.get_mut(p0).ok_or_else(|| look_not_found(p0))?;
            if l.public {
                return Err(ApiError::new(
                    403,
                    "forbidden",
                    "public looks cannot be renamed",
                ));
            }
            if let Some(n) = body.get("name").and_then(Value::as_str) {
                n.trim().clone_into(&mut l.name);
            }
            let l = st.looks.get(p0).ok_or_else(|| look_not_found(p0))?;
            Ok(ok(st.look_json(l)))
        }
        ("DELETE", "/v3/avatars/looks/{look_id}") => {
            let l = st.looks.get(p0).ok_or_else(|| look_not_found(p0))?;
            if l.public {
                return Err(ApiError::new(
                    403,
                    "forbidden",
                    "public looks cannot be deleted",
                ));
            }
            let gid = l.group_id.clone();
            st.looks.remove(p0);
            if !st.looks.values().any(|l| l.group_id == gid) {
                st.groups.remove(&gid);
            }
            Ok(ok(json!({ "id": p0 })))
        }
        ("POST", "/v3/assets/direct-uploads") => create_direct_upload(st, body),
        ("POST", "/v3/assets/{asset_id}/complete") => complete_upload(st, p0, body),
        ("POST", "/v3/videos") => create_video(st, body),
        ("GET", "/v3/videos") => {
            let title = q.get("title").map(|t| t.to_lowercase());
            // An empty `folder_id` means the root: videos filed in no folder.
            let folder = q.get("folder_id").map(String::as_str);
            let items = st
                .videos
                .values()
                .filter(|v| {
                    title.as_ref().is_none_or(|t| {
                        v.title
                            .as_ref()
                            .is_some_and(|vt| vt.to_lowercase().contains(t.as_str()))
                    })
                })
                .filter(|v| folder.is_none_or(|f| v.folder_id.as_deref().unwrap_or("") == f))
                .map(|v| (v.seq, st.video_json(v)))
                .collect();
            Ok(Reply::json(200, page("videos", items, q)?))
        }
        ("GET", "/v3/videos/{video_id}") => {
            let v = st.videos.get(p0).ok_or_else(|| video_not_found(p0))?;
            Ok(ok(st.video_json(v)))
        }
        ("DELETE", "/v3/videos/{video_id}") => {
            st.videos.remove(p0).ok_or_else(|| video_not_found(p0))?;
            Ok(ok(json!({ "id": p0, "deleted": true })))
        }
        ("POST", "/v3/webhooks/endpoints") => Ok(create_endpoint(st, body)),
        ("GET", "/v3/webhooks/endpoints") => {
            let items = st
                .endpoints
                .values()
                .map(|e| (e.seq, e.json(false)))
                .collect();
            Ok(Reply::json(200, page("webhook_endpoints", items, q)?))
        }
        ("PATCH", "/v3/webhooks/endpoints/{endpoint_id}") => {
            let e = st
                .endpoints
                .get_mut(p0)
                .ok_or_else(|| endpoint_not_found(p0))?;
            if let Some(url) = body.get("url").and_then(Value::as_str) {
                url.clone_into(&mut e.url);
            }
            if let Some(events) = body.get("events") {
                e.events = event_list(events);
            }
            Ok(ok(e.json(false)))
        }
        ("DELETE", "/v3/webhooks/endpoints/{endpoint_id}") => {
            st.endpoints
                .remove(p0)
                .ok_or_else(|| endpoint_not_found(p0))?;
            Ok(ok(json!({})))
        }
        ("POST", "/v3/webhooks/endpoints/{endpoint_id}/rotate-secret") => {
            if !st.endpoints.contains_key(p0) {
                return Err(endpoint_not_found(p0));
            }
            let secret = st.new_secret();
            if let Some(e) = st.endpoints.get_mut(p0) {
                e.secret.clone_from(&secret);
            }
            Ok(ok(json!({ "endpoint_id": p0, "secret": secret })))
        }
        ("GET", "/v3/webhooks/event-types") => {
            let types: Vec<Value> = EVENT_TYPES
                .iter()
                .map(|(t, d)| json!({ "event_type": t, "description": d }))
                .collect();
            Ok(Reply::json(
                200,
                json!({ "data": types, "has_more": false, "next_token": null }),
            ))
        }
        ("GET", "/v3/webhooks/events") => {
            let ty = q.get("event_type");
            let entity = q.get("entity_id").filter(|e| !e.is_empty());
            let items = st
                .events
                .iter()
                .filter(|e| ty.is_none_or(|t| e.kind == t))
                .filter(|e| entity.is_none_or(|id| e.is_about(id)))
                .map(|e| (e.seq, e.json()))
                .collect();
            Ok(Reply::json(200, page("webhook_events", items, q)?))
        }
        _ => crate::voices::handle(st, method, template, params, q, body).unwrap_or_else(|| {
            Err(ApiError::new(
                404,
                "not_found",
                format!("no route for {method} {template}"),
            ))
        }),
    }
}

fn endpoint_not_found(id: &str) -> ApiError {
    ApiError::new(
        404,
        "not_found",
        format!("webhook endpoint `{id}` not found"),
    )
}

/// `events` of an endpoint request: `null` means every event type.
fn event_list(v: &Value) -> Option<Vec<String>> {
    v.as_array().map(|a| {
        a.iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect()
    })
}

/// `POST /v3/webhooks/endpoints` (the URL passed the loopback rule): the only reply that shows
/// the secret besides rotate-secret.
fn create_endpoint(st: &mut State, body: &Value) -> Reply {
    let id = st.new_id();
    let seq = st.seq();
    let secret = st.new_secret();
    let e = WebhookEndpoint {
        id: id.clone(),
        seq,
        url: body["url"].as_str().unwrap_or_default().to_owned(),
        events: body.get("events").and_then(event_list),
        entity_id: body
            .get("entity_id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        enabled: true,
        secret,
        created_at: st.now(),
    };
    let v = e.json(true);
    st.endpoints.insert(id, e);
    ok(v)
}

fn video_not_found(id: &str) -> ApiError {
    ApiError::new(404, "video_not_found", format!("video `{id}` not found"))
}

fn create_avatar(st: &mut State, body: &Value) -> Result<Reply, ApiError> {
    let now = st.now();
    let name = body["name"].as_str().unwrap_or_default().trim().to_owned();
    let kind = match body["type"].as_str() {
        Some("prompt") => Kind::Prompt,
        Some("digital_twin" | "video") => Kind::DigitalTwin,
        _ => Kind::Photo,
    };
    let named_group = body.get("avatar_group_id").and_then(Value::as_str);
    let reference_group = match (kind, body.get("avatar_id").and_then(Value::as_str)) {
        (Kind::Prompt, Some(lid)) => reference_look_group(st, lid, named_group)?,
        _ => None,
    };
    let gid = if let Some(gid) = named_group {
        let g = st
            .groups
            .get(gid)
            .ok_or_else(|| group_not_found(gid).param("avatar_group_id"))?;
        if g.public {
            return Err(ApiError::invalid(
                "avatar_group_id",
                "looks can only be added to your own avatar groups",
            ));
        }
        if kind == Kind::DigitalTwin && g.kind != Kind::DigitalTwin {
            return Err(ApiError::invalid(
                "avatar_group_id",
                "a digital twin look needs a digital twin group",
            ));
        }
        gid.to_owned()
    } else if let Some(gid) = reference_group {
        gid
    } else {
        let gid = st.new_id();
        let seq = st.seq();
        st.groups.insert(
            gid.clone(),
            Group {
                id: gid.clone(),
                seq,
                name: name.clone(),
                kind,
                public: false,
                created_at: now,
                gender: None,
                consent: if kind == Kind::DigitalTwin {
                    Consent::Pending
                } else {
                    Consent::NotRequired
                },
                consent_token: None,
                reroute_url: None,
                consent_text: None,
            },
        );
        gid
    };
    let consent_ok = st
        .groups
        .get(&gid)
        .is_some_and(|g| g.consent == Consent::Approved);
    let training = match kind {
        Kind::DigitalTwin if consent_ok => Training::Processing {
            until: now + crate::state::TWIN_SECS,
        },
        Kind::DigitalTwin => Training::PendingConsent,
        Kind::Prompt => Training::Processing {
            until: now + PROMPT_SECS,
        },
        Kind::Photo | Kind::Studio => Training::Processing {
            until: now + PHOTO_SECS,
        },
    };
    let id = st.new_id();
    let seq = st.seq();
    let look = Look {
        id: id.clone(),
        seq,
        group_id: gid.clone(),
        name: name.clone(),
        kind,
        public: false,
        training,
        fail: has_fail_marker(&name),
        gender: None,
        tags: Vec::new(),
    };
    st.looks.insert(id.clone(), look);
    let item = st.looks.get(&id).map_or(Value::Null, |l| st.look_json(l));
    let group = st
        .groups
        .get(&gid)
        .map_or(Value::Null, |g| st.group_json(g));
    Ok(ok(json!({ "avatar_item": item, "avatar_group": group })))
}

/// A prompt avatar's `avatar_id`: a look that exists and has a usable image (public or
/// completed), inside `avatar_group_id` when that is given. Returns the group the new look joins
/// when none is named: the look's own group, unless the look is public.
fn reference_look_group(
    st: &State,
    lid: &str,
    named_group: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let Some(l) = st.looks.get(lid) else {
        if st.groups.contains_key(lid) {
            return Err(ApiError::invalid(
                "avatar_id",
                format!("`{lid}` is an avatar group id; pass a look id"),
            ));
        }
        return Err(look_not_found(lid).param("avatar_id"));
    };
    if !matches!(l.training, Training::Public | Training::Completed) {
        return Err(ApiError::invalid(
            "avatar_id",
            format!(
                "look `{lid}` has no usable image yet (status {})",
                st.look_json(l)["status"].as_str().unwrap_or("?")
            ),
        ));
    }
    if let Some(gid) = named_group
        && l.group_id != gid
    {
        return Err(ApiError::invalid(
            "avatar_id",
            format!("look `{lid}` does not belong to avatar group `{gid}`"),
        ));
    }
    Ok((!l.public).then(|| l.group_id.clone()))
}

fn create_consent(st: &mut State, gid: &str, body: &Value) -> Result<Reply, ApiError> {
    let now = st.now();
    let token = st.new_token();
    let base = st.base_url.clone();
    let g = st.groups.get_mut(gid).ok_or_else(|| group_not_found(gid))?;
    if g.public || g.kind != Kind::DigitalTwin {
        return Err(ApiError::invalid(
            "group_id",
            "consent applies to digital twin groups only",
        ));
    }
    let mut url = Value::Null;
    let video = body.get("consent_video").filter(|v| !v.is_null());
    let mut revive = false;
    match &g.consent {
        Consent::Approved => {}
        _ if video.is_some() => {
            revive = g.consent == Consent::Declined;
            g.consent = Consent::Review {
                until: now + CONSENT_VIDEO_REVIEW_SECS,
            };
        }
        _ => {
            revive = g.consent == Consent::Declined;
            g.consent = Consent::Pending;
            g.reroute_url = body
                .get("reroute_url")
                .and_then(Value::as_str)
                .map(str::to_owned);
            g.consent_text = body
                .get("consent_text")
                .and_then(Value::as_str)
                .map(str::to_owned);
            url = Value::String(format!("{base}/consent/{token}"));
            g.consent_token = Some(token);
        }
    }
    if revive {
        for l in st.looks.values_mut() {
            if l.group_id == gid
                && matches!(&l.training, Training::Failed { code, .. } if code == "consent_declined")
            {
                l.training = Training::PendingConsent;
            }
        }
    }
    let g = st.groups.get(gid).ok_or_else(|| group_not_found(gid))?;
    Ok(ok(json!({ "avatar_group": st.group_json(g), "url": url })))
}

#[allow(clippy::unnecessary_wraps, reason = "same shape as the other handlers")]
fn create_direct_upload(st: &mut State, body: &Value) -> Result<Reply, ApiError> {
    let id = st.new_id();
    let sig = format!("{}%2F{}", st.new_token(), st.new_token());
    let size = body["size_bytes"].as_u64().unwrap_or(0);
    let mime = rules::canonical_mime(body["content_type"].as_str().unwrap_or_default());
    let content_type = body["content_type"].as_str().unwrap_or_default().to_owned();
    let now_ms = st.clock.now_ms();
    st.assets.insert(
        id.clone(),
        Asset {
            id: id.clone(),
            name: body["filename"].as_str().unwrap_or_default().to_owned(),
            mime,
            size,
            uploaded_at: st.now(),
            state: AssetState::Pending {
                signature: sig.clone(),
                expires_at_ms: now_ms + UPLOAD_EXPIRES_SECS * 1000,
                checksum: body
                    .get("checksum_sha256")
                    .and_then(Value::as_str)
                    .map(str::to_ascii_lowercase),
                received: None,
                content_type: content_type.clone(),
            },
        },
    );
    let url = format!(
        "{}/_storage/{id}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires={UPLOAD_EXPIRES_SECS}&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature={sig}",
        st.base_url
    );
    Ok(ok(json!({
        "asset_id": id,
        "upload_url": url,
        "upload_headers": { "Content-Type": content_type },
        "max_bytes": size,
        "expires_in_seconds": UPLOAD_EXPIRES_SECS,
        "status": "pending_upload",
    })))
}

fn complete_upload(st: &mut State, id: &str, body: &Value) -> Result<Reply, ApiError> {
    let url = st.asset_url(id);
    let a = st
        .assets
        .get_mut(id)
        .ok_or_else(|| ApiError::new(404, "not_found", format!("asset `{id}` not found")))?;
    if let AssetState::Pending { received, .. } = &a.state {
        let Some(got) = received.clone() else {
            return Err(ApiError::new(
                409,
                "conflict",
                "Uploaded object not found yet",
            ));
        };
        if let Some(c) = body.get("checksum_sha256").and_then(Value::as_str)
            && !c.eq_ignore_ascii_case(&got.sha256)
        {
            return Err(ApiError::invalid(
                "checksum_sha256",
                "checksum_sha256 does not match the uploaded bytes",
            ));
        }
        // HeyGen checks the declared content_type against the stored bytes here.
        if let Some(found) = got.detected
            && !rules::same_media(found, &a.mime)
        {
            return Err(ApiError::invalid(
                "content_type",
                format!(
                    "the uploaded bytes are {found}, but the upload was created with content_type {}",
                    a.mime
                ),
            ));
        }
        a.state = AssetState::Complete;
    }
    Ok(ok(json!({
        "asset_id": a.id,
        "url": url,
        "mime_type": a.mime,
        "size_bytes": a.size,
        "status": "completed",
    })))
}

fn create_video(st: &mut State, body: &Value) -> Result<Reply, ApiError> {
    let now = st.now();
    let (id, output_format) = insert_video(st, body, now)?;
    Ok(ok(
        json!({ "video_id": id, "status": "waiting", "output_format": output_format }),
    ))
}

/// The looks a video request names: `avatar_id` (a string, or the list of a cinematic video)
/// and each studio scene's `input.avatar_id`, with the parameter to blame.
fn video_look_ids(body: &Value) -> Vec<(String, String)> {
    let mut look_ids: Vec<(String, String)> = Vec::new();
    match body.get("avatar_id") {
        Some(Value::String(s)) => look_ids.push(("avatar_id".into(), s.clone())),
        Some(Value::Array(a)) => {
            for (i, v) in a.iter().enumerate() {
                if let Some(s) = v.as_str() {
                    look_ids.push((format!("avatar_id[{i}]"), s.to_owned()));
                }
            }
        }
        _ => {}
    }
    if let Some(Value::Array(scenes)) = body.get("scenes") {
        for (i, scene) in scenes.iter().enumerate() {
            if let Some(s) = scene.pointer("/input/avatar_id").and_then(Value::as_str) {
                look_ids.push((format!("scenes[{i}].input.avatar_id"), s.to_owned()));
            }
        }
    }
    look_ids
}

/// Whether a video request asks to fail: its title, script, prompt or any scene's script holds
/// [`FAIL_MARKER`].
fn video_wants_failure(body: &Value) -> bool {
    let marked = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .is_some_and(has_fail_marker)
    };
    ["title", "script", "prompt"]
        .iter()
        .any(|k| marked(body, k))
        || body
            .get("scenes")
            .and_then(Value::as_array)
            .is_some_and(|scenes| {
                scenes.iter().any(|s| {
                    marked(s, "script") || s.get("input").is_some_and(|i| marked(i, "script"))
                })
            })
}

/// Creates the video job of a `POST /v3/videos` body (already checked against the schema and
/// the rules) as created at `created_at` (emulated Unix seconds): its looks must exist and be
/// ready. Returns the video id and its output format. Video batches create their items with it.
pub(crate) fn insert_video(
    st: &mut State,
    body: &Value,
    created_at: i64,
) -> Result<(String, String), ApiError> {
    let look_ids = video_look_ids(body);
    for (param, id) in &look_ids {
        let Some(l) = st.looks.get(id) else {
            if st.groups.contains_key(id) {
                return Err(ApiError::invalid(
                    param,
                    format!("`{id}` is an avatar group id; pass a look id"),
                ));
            }
            return Err(
                ApiError::new(404, "avatar_not_found", format!("look `{id}` not found"))
                    .param(param),
            );
        };
        if !matches!(l.training, Training::Public | Training::Completed) {
            return Err(ApiError::invalid(
                param,
                format!(
                    "look `{id}` is not ready (status {})",
                    st.look_json(l)["status"].as_str().unwrap_or("?")
                ),
            ));
        }
    }
    let id = st.new_id();
    let seq = st.seq();
    let title = body.get("title").and_then(Value::as_str).map(str::to_owned);
    let fail = video_wants_failure(body);
    let output_format = body
        .get("output_format")
        .and_then(Value::as_str)
        .unwrap_or("mp4")
        .to_owned();
    st.videos.insert(
        id.clone(),
        Video {
            id: id.clone(),
            seq,
            title,
            created_at,
            fail,
            output_format: output_format.clone(),
            folder_id: None,
            callback_id: body
                .get("callback_id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            callback_url: body
                .get("callback_url")
                .and_then(Value::as_str)
                .map(str::to_owned),
            notified: false,
        },
    );
    // Burned-in captions (`caption.style`) give the video a `captioned_video_url`.
    if body
        .get("caption")
        .and_then(|c| c.get("style"))
        .is_some_and(|s| !s.is_null())
    {
        st.files.captioned.insert(id.clone());
    }
    Ok((id, output_format))
}
