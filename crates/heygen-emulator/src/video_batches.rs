//! Video batches (`POST /v3/videos/batches`, `GET /v3/videos/batches/{batch_id}`) and bulk
//! statuses (`GET /v3/videos/statuses`).
//!
//! A batch's items wait `queued` on the emulated clock (item `i` for
//! [`ITEM_QUEUE_SECS`]` + i` seconds), then each becomes an ordinary video, created as
//! `POST /v3/videos` would create it (so it renders and can be listed, read and downloaded like
//! any other), and the item follows that video: `processing`, then `completed` or `failed`. An
//! item fails the way a video does: a title, script or prompt holding [`FAIL_MARKER`] renders to
//! `failed`; an item whose look is unknown or not ready fails when it starts, with the error
//! `POST /v3/videos` would have answered. Each item's payload is checked against the rules of
//! `POST /v3/videos` when the batch is submitted, so a malformed item refuses the whole batch.
//!
//! A batch reads one page of items at a time (`limit` 1 to 100, default 100), with the cursor
//! of the next page inside `data`. Its aggregate status is `processing` while any item is not
//! final, then `failed` when every item failed and `completed` otherwise.
//!
//! [`FAIL_MARKER`]: crate::FAIL_MARKER

use std::collections::{BTreeMap, HashMap};

use base64::Engine as _;
use serde_json::{Value, json};

use crate::reply::{ApiError, Reply};
use crate::rules;
use crate::state::State;

/// Emulated seconds the first item of a batch waits in `queued`; each later item waits one
/// second more.
pub(crate) const ITEM_QUEUE_SECS: i64 = 2;
/// Most videos one batch takes, and most ids one status lookup takes.
pub(crate) const MAX_BATCH_VIDEOS: usize = 100;
/// Items per page when the request gives no `limit`.
const DEFAULT_PAGE_ITEMS: usize = 100;

/// Every video batch of the account.
#[derive(Debug, Clone, Default)]
pub(crate) struct VideoBatches {
    batches: HashMap<String, VideoBatch>,
}

#[derive(Debug, Clone)]
struct VideoBatch {
    id: String,
    seq: u64,
    title: Option<String>,
    created_at: i64,
    items: Vec<Item>,
}

#[derive(Debug, Clone)]
struct Item {
    /// The item's `POST /v3/videos` body.
    body: Value,
    /// When it leaves the queue (emulated Unix seconds).
    starts_at: i64,
    started: bool,
    video_id: Option<String>,
    /// Why creating its video was refused: (code, message).
    refused: Option<(String, String)>,
}

/// What an item shows now: status, video id and error.
struct View {
    status: &'static str,
    video_id: Option<String>,
    error: Option<Value>,
}

/// Starts every queued item whose time has come, oldest first, creating its video as of its
/// start time. Runs before every request.
pub(crate) fn settle(st: &mut State) {
    let now = st.now();
    let mut due: Vec<(i64, u64, usize, String, Value)> = Vec::new();
    for b in st.video_batches.batches.values() {
        for (i, item) in b.items.iter().enumerate() {
            if !item.started && now >= item.starts_at {
                due.push((item.starts_at, b.seq, i, b.id.clone(), item.body.clone()));
            }
        }
    }
    due.sort_by_key(|d| (d.0, d.1, d.2));
    for (at, _, i, batch_id, body) in due {
        let created = crate::api::insert_video(st, &body, at);
        let Some(item) = st
            .video_batches
            .batches
            .get_mut(&batch_id)
            .and_then(|b| b.items.get_mut(i))
        else {
            continue;
        };
        item.started = true;
        match created {
            Ok((video_id, _)) => item.video_id = Some(video_id),
            Err(e) => item.refused = Some((e.code, e.message)),
        }
    }
}

/// Serves the video batch endpoints and bulk statuses; `None` for any other route. `strict`
/// applies strict mode's rules to each video of a batch, as to a single video.
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
        ("POST", "/v3/videos/batches") => create(st, body, strict),
        ("GET", "/v3/videos/batches/{batch_id}") => get(st, p0, q),
        ("GET", "/v3/videos/statuses") => statuses(st, q),
        _ => return None,
    })
}

fn batch_not_found(id: &str) -> ApiError {
    ApiError::new(404, "not_found", format!("video batch `{id}` not found"))
}

fn create(st: &mut State, body: &Value, strict: bool) -> Result<Reply, ApiError> {
    let videos = body
        .get("videos")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if videos.len() > MAX_BATCH_VIDEOS {
        return Err(ApiError::invalid(
            "videos",
            format!(
                "a batch takes at most {MAX_BATCH_VIDEOS} videos, got {}",
                videos.len()
            ),
        ));
    }
    for (i, video) in videos.iter().enumerate() {
        rules::check("POST", "/v3/videos", video, st, strict).map_err(|mut e| {
            let inner = e.param.take().unwrap_or_default();
            let param = if inner.is_empty() {
                format!("videos[{i}]")
            } else {
                format!("videos[{i}].{inner}")
            };
            e.message = format!("videos[{i}]: {}", e.message);
            e.param(&param)
        })?;
    }
    let id = st.new_id();
    let seq = st.seq();
    let created_at = st.now();
    let items: Vec<Item> = videos
        .into_iter()
        .zip(0i64..)
        .map(|(body, i)| Item {
            body,
            starts_at: created_at + ITEM_QUEUE_SECS + i,
            started: false,
            video_id: None,
            refused: None,
        })
        .collect();
    let title = body.get("title").and_then(Value::as_str).map(str::to_owned);
    let reply = json!({
        "batch_id": id,
        "status": if items.is_empty() { "completed" } else { "processing" },
        "total_items": items.len(),
        "created_at": created_at,
        "title": title,
    });
    st.video_batches.batches.insert(
        id.clone(),
        VideoBatch {
            id,
            seq,
            title,
            created_at,
            items,
        },
    );
    Ok(Reply::json(200, json!({ "data": reply })))
}

/// What `item` shows now.
fn view(st: &State, item: &Item) -> View {
    if !item.started {
        return View {
            status: "queued",
            video_id: None,
            error: None,
        };
    }
    if let Some((code, message)) = &item.refused {
        return View {
            status: "failed",
            video_id: None,
            error: Some(json!({ "code": code, "message": message })),
        };
    }
    let video = item.video_id.as_ref().and_then(|id| st.videos.get(id));
    let Some(video) = video else {
        return View {
            status: "failed",
            video_id: item.video_id.clone(),
            error: Some(
                json!({ "code": "video_not_found", "message": "the item's video was deleted" }),
            ),
        };
    };
    let (status, error) = match st.video_status(video) {
        "completed" => ("completed", None),
        "failed" => {
            let v = st.video_json(video);
            (
                "failed",
                Some(json!({ "code": v["failure_code"], "message": v["failure_message"] })),
            )
        }
        _ => ("processing", None),
    };
    View {
        status,
        video_id: item.video_id.clone(),
        error,
    }
}

fn aggregate(views: &[View]) -> &'static str {
    if views
        .iter()
        .any(|v| !matches!(v.status, "completed" | "failed"))
    {
        "processing"
    } else if !views.is_empty() && views.iter().all(|v| v.status == "failed") {
        "failed"
    } else {
        "completed"
    }
}

fn encode_cursor(batch_id: &str, offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("emu1:batch:{batch_id}:{offset}"))
}

fn decode_cursor(batch_id: &str, token: &str) -> Result<usize, ApiError> {
    let bad = || ApiError::invalid("token", "pagination token is invalid or expired");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let rest = text
        .strip_prefix("emu1:batch:")
        .and_then(|r| r.strip_prefix(batch_id))
        .and_then(|r| r.strip_prefix(':'))
        .ok_or_else(bad)?;
    rest.parse().map_err(|_| bad())
}

fn get(st: &State, batch_id: &str, q: &HashMap<String, String>) -> Result<Reply, ApiError> {
    let b = st
        .video_batches
        .batches
        .get(batch_id)
        .ok_or_else(|| batch_not_found(batch_id))?;
    let limit = match q.get("limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_BATCH_VIDEOS).contains(n))
            .ok_or_else(|| ApiError::invalid("limit", "limit must be from 1 to 100"))?,
        None => DEFAULT_PAGE_ITEMS,
    };
    let offset = match q.get("token").filter(|t| !t.is_empty()) {
        Some(t) => decode_cursor(batch_id, t)?,
        None => 0,
    };
    let views: Vec<View> = b.items.iter().map(|item| view(st, item)).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in &views {
        *counts.entry(v.status).or_default() += 1;
    }
    let status = aggregate(&views);
    let end = offset.saturating_add(limit).min(views.len());
    let items: Vec<Value> = views
        .into_iter()
        .enumerate()
        .skip(offset)
        .take(end.saturating_sub(offset))
        .map(|(i, v)| {
            json!({
                "item_index": i,
                "status": v.status,
                "video_id": v.video_id,
                "error": v.error,
            })
        })
        .collect();
    let has_more = end < b.items.len();
    Ok(Reply::json(
        200,
        json!({ "data": {
            "batch_id": b.id,
            "status": status,
            "total_items": b.items.len(),
            "counts_by_status": counts,
            "created_at": b.created_at,
            "title": b.title,
            "items": items,
            "has_more": has_more,
            "next_token": if has_more { Value::String(encode_cursor(batch_id, end)) } else { Value::Null },
        }}),
    ))
}

/// Comma-separated ids of a query parameter, blanks dropped.
fn id_list(q: &HashMap<String, String>, name: &str) -> Vec<String> {
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

fn statuses(st: &State, q: &HashMap<String, String>) -> Result<Reply, ApiError> {
    let video_ids = id_list(q, "video_ids");
    let batch_ids = id_list(q, "batch_ids");
    if video_ids.is_empty() && batch_ids.is_empty() {
        return Err(ApiError::invalid(
            "video_ids",
            "name at least one video in `video_ids` or batch in `batch_ids`",
        ));
    }
    let mut entries = Vec::new();
    for id in &video_ids {
        entries.push(match st.videos.get(id) {
            Some(v) => {
                let status = st.video_status(v);
                let error = (status == "failed").then(|| {
                    let j = st.video_json(v);
                    json!({ "code": j["failure_code"], "message": j["failure_message"] })
                });
                json!({ "video_id": id, "status": status, "error": error })
            }
            None => json!({ "video_id": id, "status": "not_found" }),
        });
    }
    for id in &batch_ids {
        let Some(b) = st.video_batches.batches.get(id) else {
            entries.push(json!({ "batch_id": id, "status": "not_found" }));
            continue;
        };
        for (i, item) in b.items.iter().enumerate() {
            let v = view(st, item);
            entries.push(json!({
                "batch_id": id,
                "item_index": i,
                "video_id": v.video_id,
                "status": v.status,
                "error": v.error,
            }));
        }
    }
    if entries.len() > MAX_BATCH_VIDEOS {
        return Err(ApiError::invalid(
            "video_ids",
            format!(
                "at most {MAX_BATCH_VIDEOS} videos per lookup, these ids name {}",
                entries.len()
            ),
        ));
    }
    Ok(Reply::json(
        200,
        json!({ "data": entries, "has_more": false, "next_token": null }),
    ))
}
