//! Asset management and upload batches: listing with the required `username`, deleting,
//! statuses, and batches whose presigned slots take the direct-upload `PUT` and whose items move
//! through their states on the emulated clock.

use serde_json::{Value, json};

use heygen_emulator::EmulatorOptions;

use crate::{Emu, assert_schema, png_bytes};

fn mp4(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    b[4..8].copy_from_slice(b"ftyp");
    b
}

fn mp3(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    b[..3].copy_from_slice(b"ID3");
    b
}

/// Creates a batch of `files` (name, content type, bytes) and returns the response's `data`.
fn create(emu: &Emu, files: &[(&str, &str, &[u8])]) -> Value {
    let files: Vec<Value> = files
        .iter()
        .map(|(name, ty, b)| json!({"filename": name, "content_type": ty, "size_bytes": b.len()}))
        .collect();
    emu.post(
        "/v3/assets/direct-uploads/batches",
        &json!({"files": files, "title": "three"}),
    )["data"]
        .clone()
}

fn put(emu: &Emu, slot: &Value, bytes: &[u8]) -> u16 {
    let ct = slot["upload_headers"]["Content-Type"].as_str().unwrap();
    emu.raw(
        "PUT",
        slot["upload_url"].as_str().unwrap(),
        &[("Content-Type", ct)],
        Some(bytes.to_vec()),
    )
    .status
}

fn complete(emu: &Emu, batch: &str) -> Value {
    let r = emu.call(
        "POST",
        "/v3/assets/complete/batches",
        Some(&json!({"batch_id": batch})),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    r.json()
}

fn statuses(batch: &Value) -> Vec<String> {
    batch["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_batch_of_three_moves_through_its_states_and_a_mislabelled_file_fails() {
    // A slow clock, so only `advance` moves the items on a busy machine.
    let emu = Emu::with(EmulatorOptions::default().seed(7).speed(0.001));
    let (clip, image, fake_audio) = (mp4(1000), png_bytes(), mp4(500));
    // The third is declared as audio but its bytes are an MP4.
    let data = create(
        &emu,
        &[
            ("a.mp4", "video/mp4", &clip),
            ("b.png", "image/png", &image),
            ("c.mp3", "audio/mpeg", &fake_audio),
        ],
    );
    let batch = data["batch_id"].as_str().unwrap().to_owned();
    let slots = data["items"].as_array().unwrap();
    assert_eq!(slots.len(), 3);
    for (slot, size) in slots
        .iter()
        .zip([clip.len(), image.len(), fake_audio.len()])
    {
        assert_eq!(slot["status"], "pending_upload");
        assert_eq!(slot["max_bytes"], size);
        assert!(
            slot["upload_url"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{}/_storage/", emu.h.base_url()))
        );
    }
    // Before completion every item is queued, and the assets are not usable.
    let path = format!("/v3/assets/batches/{batch}");
    assert_eq!(statuses(&emu.get(&path)), ["queued"; 3]);
    let first = slots[0]["asset_id"].as_str().unwrap();
    assert!(emu.get(&format!("/v3/assets/{first}"))["data"]["url"].is_null());

    // The slots take the direct-upload PUT, and refuse credentials like any presigned URL.
    let key = emu.h.api_key().to_owned();
    let refused = emu.raw(
        "PUT",
        slots[0]["upload_url"].as_str().unwrap(),
        &[("Content-Type", "video/mp4"), ("X-Api-Key", &key)],
        Some(clip.clone()),
    );
    assert_eq!(refused.status, 403);
    for (slot, bytes) in slots.iter().zip([&clip, &image, &fake_audio]) {
        assert_eq!(put(&emu, slot, bytes), 200);
    }
    let done = complete(&emu, &batch);
    assert_eq!(done["data"]["batch_id"], batch.as_str());
    // Completing again re-drives the same batch.
    complete(&emu, &batch);

    let read = emu.get(&path);
    assert_eq!(statuses(&read), ["queued"; 3]);
    assert_eq!(read["data"]["status"], "processing");
    emu.advance(1);
    assert_eq!(statuses(&emu.get(&path)), ["processing"; 3]);
    emu.advance(2);
    assert_eq!(
        statuses(&emu.get(&path)),
        ["completed", "processing", "processing"]
    );
    emu.advance(2);
    let read = emu.get(&path);
    assert_eq!(statuses(&read), ["completed", "completed", "failed"]);
    let batch = &read["data"];
    assert_eq!(batch["status"], "completed");
    assert_eq!(batch["total_items"], 3);
    assert_eq!(batch["title"], "three");
    assert_eq!(
        batch["counts_by_status"],
        json!({"completed": 2, "failed": 1})
    );
    assert_eq!(batch["items"][2]["error"]["code"], "invalid_file");
    for (item, slot) in batch["items"].as_array().unwrap().iter().zip(slots) {
        assert_eq!(item["video_id"], slot["asset_id"]);
    }
    // The completed files are usable assets; the failed one is gone.
    assert!(emu.get(&format!("/v3/assets/{first}"))["data"]["url"].is_string());
    let third = slots[2]["asset_id"].as_str().unwrap();
    emu.call("GET", &format!("/v3/assets/{third}"), None)
        .assert_error(404, "not_found", None);
}

#[test]
fn a_file_never_put_fails_and_pages_of_items_follow_the_cursor() {
    let emu = Emu::start();
    let a = mp4(100);
    let data = create(
        &emu,
        &[("a.mp4", "video/mp4", &a), ("b.mp4", "video/mp4", &a)],
    );
    let batch = data["batch_id"].as_str().unwrap();
    assert_eq!(put(&emu, &data["items"][0], &a), 200);
    complete(&emu, batch);
    emu.advance(10);
    let page = emu.get(&format!("/v3/assets/batches/{batch}?limit=1"));
    assert_eq!(page["data"]["items"][0]["status"], "completed");
    assert_eq!(page["data"]["has_more"], true);
    let token = page["data"]["next_token"].as_str().unwrap();
    let next = emu.get(&format!("/v3/assets/batches/{batch}?limit=1&token={token}"));
    assert_eq!(next["data"]["items"][0]["item_index"], 1);
    assert_eq!(next["data"]["items"][0]["status"], "failed");
    assert_eq!(
        next["data"]["items"][0]["error"]["code"],
        "upload_not_found"
    );
    assert_eq!(next["data"]["has_more"], false);
}

#[test]
fn batch_requests_are_checked() {
    let emu = Emu::start();
    emu.call(
        "POST",
        "/v3/assets/direct-uploads/batches",
        Some(&json!({"files": []})),
    )
    .assert_error(400, "invalid_parameter", Some("files"));
    let many: Vec<Value> = (0..101)
        .map(|i| json!({"filename": format!("{i}.png"), "content_type": "image/png", "size_bytes": 1}))
        .collect();
    emu.call(
        "POST",
        "/v3/assets/direct-uploads/batches",
        Some(&json!({"files": many})),
    )
    .assert_error(400, "invalid_parameter", Some("files"));
    emu.call(
        "POST",
        "/v3/assets/direct-uploads/batches",
        Some(&json!({"files": [{"filename": "a", "content_type": "video/mp4"}]})),
    )
    .assert_error(400, "invalid_parameter", None);
    emu.call(
        "POST",
        "/v3/assets/complete/batches",
        Some(&json!({"batch_id": "nope"})),
    )
    .assert_error(404, "not_found", Some("batch_id"));
    emu.call("GET", "/v3/assets/batches/nope", None)
        .assert_error(404, "not_found", None);
}

#[test]
fn the_same_idempotency_key_returns_the_same_batch() {
    let emu = Emu::start();
    let key = emu.h.api_key().to_owned();
    let body = serde_json::to_vec(
        &json!({"files": [{"filename": "a.png", "content_type": "image/png", "size_bytes": 72}]}),
    )
    .unwrap();
    let send = || {
        emu.raw(
            "POST",
            "/v3/assets/direct-uploads/batches",
            &[
                ("X-Api-Key", &key),
                ("Content-Type", "application/json"),
                ("Idempotency-Key", "batch-run-1"),
            ],
            Some(body.clone()),
        )
    };
    let (first, again) = (send(), send());
    assert_eq!(first.status, 200);
    assert_eq!(
        first.json()["data"]["batch_id"],
        again.json()["data"]["batch_id"]
    );
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
}

#[test]
fn assets_are_listed_for_a_username_and_deleted() {
    let emu = Emu::start();
    // `username` is required while the endpoint is in beta.
    emu.call("GET", "/v3/assets", None)
        .assert_error(400, "invalid_parameter", Some("username"));
    emu.call("GET", "/v3/assets?username=", None).assert_error(
        400,
        "invalid_parameter",
        Some("username"),
    );
    let data = create(
        &emu,
        &[
            ("a.mp4", "video/mp4", &mp4(10)),
            ("b.png", "image/png", &png_bytes()),
            ("c.mp3", "audio/mpeg", &mp3(10)),
        ],
    );
    let slots = data["items"].as_array().unwrap();
    for (slot, bytes) in slots.iter().zip([mp4(10), png_bytes(), mp3(10)]) {
        assert_eq!(put(&emu, slot, &bytes), 200);
    }
    complete(&emu, data["batch_id"].as_str().unwrap());
    emu.advance(10);
    let me = emu.get("/v3/users/me")["data"]["username"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = emu.get(&format!("/v3/assets?username={me}&limit=2"));
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    assert_eq!(page["has_more"], true);
    assert_eq!(page["data"][0]["owner"], me.as_str());
    let token = page["next_token"].as_str().unwrap();
    let rest = emu.get(&format!("/v3/assets?username={me}&limit=2&token={token}"));
    let mut ids: Vec<String> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["data"].as_array().unwrap())
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    let mut want: Vec<String> = slots
        .iter()
        .map(|s| s["asset_id"].as_str().unwrap().to_owned())
        .collect();
    want.sort();
    assert_eq!(ids, want);
    // Another member has none; the root folder (empty folder_id) holds them all.
    assert!(
        emu.get("/v3/assets?username=someone_else")["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        emu.get(&format!("/v3/assets?username={me}&folder_id="))["data"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let gone = &want[0];
    let v = emu.ok("DELETE", &format!("/v3/assets/{gone}"), None);
    assert_eq!(v["data"]["id"], gone.as_str());
    emu.call("DELETE", &format!("/v3/assets/{gone}"), None)
        .assert_error(404, "not_found", None);
    emu.call("GET", &format!("/v3/assets/{gone}"), None)
        .assert_error(404, "not_found", None);
    assert_eq!(
        emu.get(&format!("/v3/assets?username={me}"))["data"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn statuses_by_asset_and_by_batch() {
    let emu = Emu::start();
    let a = mp4(10);
    let data = create(
        &emu,
        &[("a.mp4", "video/mp4", &a), ("b.mp4", "video/mp4", &a)],
    );
    let batch = data["batch_id"].as_str().unwrap();
    let first = data["items"][0]["asset_id"].as_str().unwrap();
    put(&emu, &data["items"][0], &a);
    complete(&emu, batch);
    emu.advance(10);
    let v = emu.get(&format!(
        "/v3/assets/statuses?asset_ids={first},unknown_id&batch_ids={batch}"
    ));
    assert_schema("GET", "/v3/assets/statuses", &v);
    let entries = v["data"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[0]["video_id"], first);
    assert_eq!(entries[0]["status"], "completed");
    assert_eq!(entries[1]["status"], "not_found");
    assert_eq!(entries[2]["batch_id"], batch);
    assert_eq!(entries[2]["item_index"], 0);
    assert_eq!(entries[3]["status"], "failed");
    emu.call("GET", "/v3/assets/statuses", None).assert_error(
        400,
        "invalid_parameter",
        Some("asset_ids"),
    );
    let many: Vec<String> = (0..101).map(|i| format!("a{i}")).collect();
    emu.call(
        "GET",
        &format!("/v3/assets/statuses?asset_ids={}", many.join(",")),
        None,
    )
    .assert_error(400, "invalid_parameter", Some("asset_ids"));
}

#[test]
fn strict_mode_checks_each_file_of_a_batch_like_a_single_upload() {
    let body = json!({"files": [
        {"filename": "a.png", "content_type": "image/png", "size_bytes": 10},
        {"filename": "b.png", "content_type": "image/png", "size_bytes": 0}
    ]});
    let lenient = Emu::start();
    let r = lenient.call("POST", "/v3/assets/direct-uploads/batches", Some(&body));
    assert_eq!(r.status, 200, "{}", r.text());
    let strict = Emu::with(EmulatorOptions::default().seed(7).strict(true));
    strict
        .call("POST", "/v3/assets/direct-uploads/batches", Some(&body))
        .assert_error(400, "invalid_parameter", Some("files[1].size_bytes"));
}
