//! Asset management and upload batches: `GET /v3/assets` (its beta `username` required),
//! `DELETE /v3/assets/{asset_id}`, `GET /v3/assets/statuses`,
//! `POST /v3/assets/direct-uploads/batches`, `POST /v3/assets/complete/batches` and
//! `GET /v3/assets/batches/{batch_id}`.
//!
//! A batch's slots are ordinary direct uploads (the same presigned `PUT /_storage/{asset_id}`).
//! Completing the batch decides each file's fate from what its `PUT` stored (no bytes, or bytes
//! that are not the declared type, fail) and its items then move `queued` → `processing` → final
//! on the emulated clock ([`BATCH_QUEUED_SECS`], [`BATCH_PROCESS_SECS`]); [`settle`] applies the
//! final states to the assets (a completed file becomes usable, a failed one is removed).

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::api::UPLOAD_EXPIRES_SECS;
use crate::reply::{ApiError, Reply};
use crate::rules;
use crate::state::{Asset, AssetState, ItemFate, State, UploadBatch};

/// Emulated seconds a completed batch's items stay `queued`.
pub(crate) const BATCH_QUEUED_SECS: i64 = 1;
/// Emulated seconds after completion when the first item is final; each later item one more.
pub(crate) const BATCH_PROCESS_SECS: i64 = 3;
/// Most files in one batch, and most ids in one statuses call.
const MAX_BATCH: usize = 100;
/// The owner of every asset (the `username` of `GET /v3/users/me`).
const OWNER: &str = "emulator";

#[allow(
    clippy::needless_pass_by_value,
    reason = "call sites build the value inline"
)]
fn ok(data: Value) -> Reply {
    Reply::json(200, json!({ "data": data }))
}

fn asset_not_found(id: &str) -> ApiError {
    ApiError::new(404, "not_found", format!("asset `{id}` not found"))
}

fn batch_not_found(id: &str) -> ApiError {
    ApiError::new(404, "not_found", format!("asset batch `{id}` not found"))
}

/// Handles the asset endpoints this module owns; `None` for any other route. `strict` applies
/// the strict direct-upload rules to each file of a batch.
pub(crate) fn handle(
    st: &mut State,
    method: &str,
    template: &str,
    params: &[String],
    q: &HashMap<String, String>,
    body: &Value,
    strict: bool,
) -> Option<Result<Reply, ApiError>> {
    let p0 = params.first().map_or("", String::as_str);
    Some(match (method, template) {
        ("GET", "/v3/assets") => list(st, q),
        ("GET", "/v3/assets/{asset_id}") => match st.assets.get(p0) {
            Some(a) => Ok(ok(asset_json(st, a))),
            None => Err(asset_not_found(p0)),
        },
        ("DELETE", "/v3/assets/{asset_id}") => match st.assets.remove(p0) {
            Some(_) => Ok(ok(json!({ "id": p0 }))),
            None => Err(asset_not_found(p0)),
        },
        ("GET", "/v3/assets/statuses") => statuses(st, q),
        ("POST", "/v3/assets/direct-uploads/batches") => create_batch(st, body, strict),
        ("POST", "/v3/assets/complete/batches") => complete_batch(st, body),
        ("GET", "/v3/assets/batches/{batch_id}") => get_batch(st, p0, q),
        _ => return None,
    })
}

/// The `GET /v3/assets/{asset_id}` shape of an asset.
fn asset_json(st: &State, a: &Asset) -> Value {
    let kind = match a.mime.as_str() {
        "application/pdf" => "pdf",
        "application/x-subrip" => "subtitle",
        m => m.split('/').next().unwrap_or("file"),
    };
    json!({
        "id": a.id,
        "name": a.name,
        "type": kind,
        "owner": OWNER,
        "space_id": "emulator_space",
        "uploaded_at": a.uploaded_at,
        "url": if a.is_complete() { Value::String(st.asset_url(&a.id)) } else { Value::Null },
        "folder_id": null,
    })
}

fn cursor(kind: &str, key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("emu1:{kind}:{key}"))
}

fn read_cursor(kind: &str, token: &str) -> Result<String, ApiError> {
    let bad = || ApiError::invalid("token", "pagination token is invalid or expired");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    text.strip_prefix(&format!("emu1:{kind}:"))
        .map(str::to_owned)
        .ok_or_else(bad)
}

/// `GET /v3/assets`: the member's usable assets, newest first. The reference makes `username`
/// required while the endpoint is in beta; every emulated asset belongs to `emulator`.
fn list(st: &State, q: &HashMap<String, String>) -> Result<Reply, ApiError> {
    let username = q.get("username").map_or("", String::as_str);
    if username.trim().is_empty() {
        return Err(ApiError::invalid(
            "username",
            "`username` is required while this endpoint is in beta (the `owner` of the assets)",
        ));
    }
    // An empty `folder_id` asks for the root; the emulator files nothing in folders.
    let in_folder = q.get("folder_id").is_some_and(|f| !f.is_empty());
    let mut items: Vec<&Asset> = st
        .assets
        .values()
        .filter(|a| a.is_complete() && username == OWNER && !in_folder)
        .collect();
    // Newest first; the id breaks ties so the order is total.
    items.sort_by(|a, b| (b.uploaded_at, &b.id).cmp(&(a.uploaded_at, &a.id)));
    if let Some(token) = q.get("token").filter(|t| !t.is_empty()) {
        let after = read_cursor("assets", token)?;
        let (at, id) = after.split_once(':').unwrap_or(("", ""));
        let at: i64 = at
            .parse()
            .map_err(|_| ApiError::invalid("token", "pagination token is invalid or expired"))?;
        items.retain(|a| (a.uploaded_at, a.id.as_str()) < (at, id));
    }
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(20);
    let has_more = items.len() > limit;
    items.truncate(limit);
    let next = match items.last() {
        Some(a) if has_more => {
            Value::String(cursor("assets", &format!("{}:{}", a.uploaded_at, a.id)))
        }
        _ => Value::Null,
    };
    let data: Vec<Value> = items.iter().map(|a| asset_json(st, a)).collect();
    Ok(Reply::json(
        200,
        json!({ "data": data, "has_more": has_more, "next_token": next }),
    ))
}

/// Comma-separated ids of a query parameter.
fn ids(q: &HashMap<String, String>, name: &str) -> Vec<String> {
    q.get(name)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// An item's status and error at `now`.
fn item_state(b: &UploadBatch, index: usize, now: i64) -> (&'static str, Value) {
    let Some(done) = b.completed_at else {
        return ("queued", Value::Null);
    };
    if now < done + BATCH_QUEUED_SECS {
        return ("queued", Value::Null);
    }
    let index = i64::try_from(index).unwrap_or(i64::MAX);
    if now < done + BATCH_PROCESS_SECS + index {
        return ("processing", Value::Null);
    }
    match b.fates.get(usize::try_from(index).unwrap_or(usize::MAX)) {
        Some(ItemFate::Fail { code, message }) => {
            ("failed", json!({ "code": code, "message": message }))
        }
        _ => ("completed", Value::Null),
    }
}

/// `GET /v3/assets/statuses`: up to 100 ids, assets and batches together.
fn statuses(st: &State, q: &HashMap<String, String>) -> Result<Reply, ApiError> {
    let (asset_ids, batch_ids) = (ids(q, "asset_ids"), ids(q, "batch_ids"));
    if asset_ids.is_empty() && batch_ids.is_empty() {
        return Err(ApiError::invalid(
            "asset_ids",
            "give `asset_ids` or `batch_ids` (comma-separated)",
        ));
    }
    if asset_ids.len() + batch_ids.len() > MAX_BATCH {
        return Err(ApiError::invalid(
            "asset_ids",
            format!("at most {MAX_BATCH} ids in one request"),
        ));
    }
    let now = st.now();
    let mut data = Vec::new();
    for id in &asset_ids {
        let in_batch = st
            .upload_batches
            .values()
            .find_map(|b| b.assets.iter().position(|a| a == id).map(|i| (b, i)));
        let (status, error) = match (in_batch, st.assets.get(id)) {
            (Some((b, i)), _) => item_state(b, i, now),
            (None, Some(a)) if a.is_complete() => ("completed", Value::Null),
            (None, Some(_)) => ("queued", Value::Null),
            (None, None) => ("not_found", Value::Null),
        };
        data.push(json!({ "video_id": id, "status": status, "error": error }));
    }
    for id in &batch_ids {
        match st.upload_batches.get(id) {
            Some(b) => {
                for (i, asset) in b.assets.iter().enumerate() {
                    let (status, error) = item_state(b, i, now);
                    data.push(json!({
                        "video_id": asset, "status": status, "error": error,
                        "batch_id": id, "item_index": i,
                    }));
                }
            }
            None => data.push(json!({ "video_id": null, "status": "not_found", "batch_id": id })),
        }
    }
    Ok(Reply::json(
        200,
        json!({ "data": data, "has_more": false, "next_token": null }),
    ))
}

/// `POST /v3/assets/direct-uploads/batches`: 1 to 100 files, each checked as a single direct
/// upload (strict rules in strict mode), each given a presigned slot on the storage origin.
fn create_batch(st: &mut State, body: &Value, strict: bool) -> Result<Reply, ApiError> {
    let files = body["files"].as_array().map_or(&[][..], Vec::as_slice);
    if files.is_empty() || files.len() > MAX_BATCH {
        return Err(ApiError::invalid(
            "files",
            format!(
                "`files` must hold 1 to {MAX_BATCH} files, not {}",
                files.len()
            ),
        ));
    }
    for (i, file) in files.iter().enumerate() {
        rules::check("POST", "/v3/assets/direct-uploads", file, st, strict).map_err(|mut e| {
            e.param = Some(format!("files[{i}].{}", e.param.as_deref().unwrap_or("")));
            e
        })?;
    }
    let batch_id = st.new_id();
    let mut assets = Vec::with_capacity(files.len());
    let items: Vec<Value> = files
        .iter()
        .map(|file| {
            let (id, slot) = new_slot(st, file);
            assets.push(id);
            slot
        })
        .collect();
    let now = st.now();
    st.upload_batches.insert(
        batch_id.clone(),
        UploadBatch {
            id: batch_id.clone(),
            title: body.get("title").and_then(Value::as_str).map(str::to_owned),
            created_at: now,
            assets,
            completed_at: None,
            fates: Vec::new(),
            settled: Vec::new(),
        },
    );
    Ok(ok(json!({ "batch_id": batch_id, "items": items })))
}

/// A pending direct upload for one file of a batch, and its slot as the API shows it.
fn new_slot(st: &mut State, file: &Value) -> (String, Value) {
    let id = st.new_id();
    let sig = format!("{}%2F{}", st.new_token(), st.new_token());
    let size = file["size_bytes"].as_u64().unwrap_or(0);
    let content_type = file["content_type"].as_str().unwrap_or_default().to_owned();
    let expires_at_ms = st.clock.now_ms() + UPLOAD_EXPIRES_SECS * 1000;
    let now = st.now();
    st.assets.insert(
        id.clone(),
        Asset {
            id: id.clone(),
            name: file["filename"].as_str().unwrap_or_default().to_owned(),
            mime: rules::canonical_mime(&content_type),
            size,
            uploaded_at: now,
            state: AssetState::Pending {
                signature: sig.clone(),
                expires_at_ms,
                checksum: file
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
    let slot = json!({
        "asset_id": id,
        "upload_url": url,
        "upload_headers": { "Content-Type": content_type },
        "max_bytes": size,
        "expires_in_seconds": UPLOAD_EXPIRES_SECS,
        "status": "pending_upload",
    });
    (id, slot)
}

/// `POST /v3/assets/complete/batches`: decides every file from what its `PUT` stored and starts
/// the items on the clock; completing again re-drives nothing new and answers the same.
fn complete_batch(st: &mut State, body: &Value) -> Result<Reply, ApiError> {
    let id = body["batch_id"].as_str().unwrap_or_default().to_owned();
    let now = st.now();
    let fates: Vec<ItemFate> = {
        let b = st
            .upload_batches
            .get(&id)
            .ok_or_else(|| batch_not_found(&id).param("batch_id"))?;
        if b.completed_at.is_some() {
            return Ok(Reply::json(
                202,
                json!({ "data": { "batch_id": id, "status": "processing" } }),
            ));
        }
        b.assets.iter().map(|a| fate(st.assets.get(a))).collect()
    };
    if let Some(b) = st.upload_batches.get_mut(&id) {
        b.settled = vec![false; fates.len()];
        b.fates = fates;
        b.completed_at = Some(now);
    }
    Ok(Reply::json(
        202,
        json!({ "data": { "batch_id": id, "status": "processing" } }),
    ))
}

/// What becomes of a file of a batch when the batch is completed.
fn fate(asset: Option<&Asset>) -> ItemFate {
    let fail = |code: &str, message: String| ItemFate::Fail {
        code: code.to_owned(),
        message,
    };
    match asset {
        None => fail(
            "asset_not_found",
            "the asset was deleted before completion".into(),
        ),
        Some(Asset {
            state: AssetState::Complete,
            ..
        }) => ItemFate::Ok,
        Some(Asset {
            state: AssetState::Pending { received: None, .. },
            ..
        }) => fail(
            "upload_not_found",
            "no bytes were uploaded for this file".into(),
        ),
        Some(Asset {
            mime,
            state:
                AssetState::Pending {
                    received: Some(got),
                    ..
                },
            ..
        }) => match got.detected {
            Some(found) if !rules::same_media(found, mime) => fail(
                "invalid_file",
                format!("the uploaded bytes are {found}, but the file was declared as {mime}"),
            ),
            _ => ItemFate::Ok,
        },
    }
}

/// Applies every item that reached its final state by now to its asset: a completed file
/// becomes usable, a failed one is removed.
pub(crate) fn settle(st: &mut State) {
    let now = st.now();
    let mut ready = Vec::new();
    let mut failed = Vec::new();
    for b in st.upload_batches.values_mut() {
        let Some(done) = b.completed_at else { continue };
        for (i, asset) in b.assets.iter().enumerate() {
            let at = done + BATCH_PROCESS_SECS + i64::try_from(i).unwrap_or(i64::MAX);
            if now < at || b.settled.get(i).copied().unwrap_or(true) {
                continue;
            }
            if let Some(s) = b.settled.get_mut(i) {
                *s = true;
            }
            match b.fates.get(i) {
                Some(ItemFate::Fail { .. }) => failed.push(asset.clone()),
                _ => ready.push(asset.clone()),
            }
        }
    }
    for id in ready {
        if let Some(a) = st.assets.get_mut(&id) {
            a.state = AssetState::Complete;
        }
    }
    for id in failed {
        st.assets.remove(&id);
    }
}

/// `GET /v3/assets/batches/{batch_id}`: the aggregate status, counts and one page of items.
fn get_batch(st: &State, id: &str, q: &HashMap<String, String>) -> Result<Reply, ApiError> {
    let b = st
        .upload_batches
        .get(id)
        .ok_or_else(|| batch_not_found(id))?;
    let now = st.now();
    let items_now: Vec<(&'static str, Value)> =
        (0..b.assets.len()).map(|i| item_state(b, i, now)).collect();
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for (s, _) in &items_now {
        *counts.entry(s).or_default() += 1;
    }
    let finals =
        counts.get("completed").copied().unwrap_or(0) + counts.get("failed").copied().unwrap_or(0);
    let status = if finals < items_now.len() as u64 {
        "processing"
    } else if counts.contains_key("completed") {
        "completed"
    } else {
        "failed"
    };
    let start = match q.get("token").filter(|t| !t.is_empty()) {
        Some(t) => read_cursor(&format!("batch-{id}"), t)?
            .parse::<usize>()
            .map_err(|_| ApiError::invalid("token", "pagination token is invalid or expired"))?,
        None => 0,
    };
    let limit: usize = q
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(MAX_BATCH);
    let end = (start + limit).min(items_now.len());
    let items: Vec<Value> = (start.min(end)..end)
        .map(|i| {
            let (s, error) = &items_now[i];
            json!({ "item_index": i, "status": s, "video_id": b.assets[i], "error": error })
        })
        .collect();
    let has_more = end < items_now.len();
    Ok(ok(json!({
        "batch_id": b.id,
        "status": status,
        "total_items": b.assets.len(),
        "counts_by_status": counts,
        "created_at": b.created_at,
        "title": b.title,
        "items": items,
        "has_more": has_more,
        "next_token": if has_more { Value::String(cursor(&format!("batch-{id}"), &end.to_string())) } else { Value::Null },
    })))
}
