//! Video batches, bulk statuses and the four kinds of `POST /v3/videos`: items move through
//! queued → processing → completed/failed on the emulated clock, pages carry their cursor inside
//! `data`, and every reply validates against its schema.

use serde_json::{Value, json};

use heygen_emulator::EmulatorOptions;

use crate::Emu;

const LOOK: &str = "Abigail_office_front_public";
const LOOK_2: &str = "Brandon_casual_side_public";

/// An emulator whose clock only moves when told to.
fn frozen() -> Emu {
    Emu::with(EmulatorOptions::default().seed(7).speed(0.001))
}

fn avatar_video(title: &str) -> Value {
    json!({"type": "avatar", "avatar_id": LOOK, "script": "Hello there", "title": title})
}

fn three(emu: &Emu) -> String {
    let created = emu.post(
        "/v3/videos/batches",
        &json!({"title": "Launch", "videos": [
            avatar_video("one"), avatar_video("[fail] two"), avatar_video("three")
        ]}),
    );
    assert_eq!(created["data"]["status"], "processing");
    assert_eq!(created["data"]["total_items"], 3);
    created["data"]["batch_id"].as_str().unwrap().to_owned()
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
fn items_move_from_queued_through_processing_to_their_outcome() {
    let emu = frozen();
    let id = three(&emu);
    let path = format!("/v3/videos/batches/{id}");

    let queued = emu.get(&path);
    assert_eq!(statuses(&queued), ["queued", "queued", "queued"]);
    assert_eq!(queued["data"]["status"], "processing");
    assert_eq!(queued["data"]["counts_by_status"], json!({"queued": 3}));
    assert_eq!(queued["data"]["title"], "Launch");
    assert!(queued["data"]["items"][0]["video_id"].is_null());

    // Items leave the queue one second apart, each as a video of its own.
    emu.advance(3);
    let started = emu.get(&path);
    assert_eq!(statuses(&started), ["processing", "processing", "queued"]);
    let first = started["data"]["items"][0]["video_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        emu.get(&format!("/v3/videos/{first}"))["data"]["status"],
        "pending"
    );

    emu.advance(120);
    let done = emu.get(&path);
    assert_eq!(statuses(&done), ["completed", "failed", "completed"]);
    assert_eq!(done["data"]["status"], "completed");
    assert_eq!(
        done["data"]["counts_by_status"],
        json!({"completed": 2, "failed": 1})
    );
    assert_eq!(done["data"]["has_more"], false);
    assert!(done["data"]["next_token"].is_null());
    let failed = &done["data"]["items"][1];
    assert_eq!(failed["item_index"], 1);
    assert_eq!(failed["error"]["code"], "video_render_failed");
    // The failed item's video failed the same way.
    let video = failed["video_id"].as_str().unwrap();
    assert_eq!(
        emu.get(&format!("/v3/videos/{video}"))["data"]["status"],
        "failed"
    );
    let third = done["data"]["items"][2]["video_id"].as_str().unwrap();
    let rendered = emu.get(&format!("/v3/videos/{third}"));
    assert_eq!(rendered["data"]["status"], "completed");
    assert_eq!(rendered["data"]["title"], "three");
    assert!(rendered["data"]["video_url"].is_string());
}

#[test]
fn a_batch_where_every_item_fails_is_failed() {
    let emu = frozen();
    let created = emu.post(
        "/v3/videos/batches",
        &json!({"videos": [avatar_video("[fail] a"), avatar_video("[FAIL] b")]}),
    );
    let id = created["data"]["batch_id"].as_str().unwrap();
    emu.advance(200);
    let done = emu.get(&format!("/v3/videos/batches/{id}"));
    assert_eq!(statuses(&done), ["failed", "failed"]);
    assert_eq!(done["data"]["status"], "failed");
}

#[test]
fn item_pages_carry_their_cursor_inside_data() {
    let emu = frozen();
    let id = three(&emu);
    let first = emu.get(&format!("/v3/videos/batches/{id}?limit=2"));
    assert_eq!(first["data"]["items"].as_array().unwrap().len(), 2);
    assert_eq!(first["data"]["has_more"], true);
    assert_eq!(first["data"]["total_items"], 3);
    assert!(
        first.get("next_token").is_none(),
        "the cursor is not beside data"
    );
    let token = first["data"]["next_token"].as_str().unwrap();
    let second = emu.get(&format!("/v3/videos/batches/{id}?limit=2&token={token}"));
    assert_eq!(second["data"]["items"][0]["item_index"], 2);
    assert_eq!(second["data"]["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["data"]["has_more"], false);
    assert!(second["data"]["next_token"].is_null());

    emu.call(
        "GET",
        &format!("/v3/videos/batches/{id}?token=garbage"),
        None,
    )
    .assert_error(400, "invalid_parameter", Some("token"));
    // Another batch's cursor does not fit this one.
    let other = three(&emu);
    emu.call(
        "GET",
        &format!("/v3/videos/batches/{other}?limit=2&token={token}"),
        None,
    )
    .assert_error(400, "invalid_parameter", Some("token"));
    let over = emu.call("GET", &format!("/v3/videos/batches/{id}?limit=101"), None);
    assert_eq!(over.status, 400, "{}", over.text());
    emu.call("GET", "/v3/videos/batches/nope", None)
        .assert_error(404, "not_found", None);
}

#[test]
fn a_batch_is_checked_like_its_videos_and_holds_at_most_one_hundred() {
    let emu = frozen();
    let many: Vec<Value> = (0..101).map(|i| avatar_video(&format!("v{i}"))).collect();
    emu.call("POST", "/v3/videos/batches", Some(&json!({"videos": many})))
        .assert_error(400, "invalid_parameter", Some("videos"));
    let silent = json!({"type": "avatar", "avatar_id": LOOK});
    emu.call(
        "POST",
        "/v3/videos/batches",
        Some(&json!({"videos": [avatar_video("ok"), silent]})),
    )
    .assert_error(400, "invalid_parameter", Some("videos[1].script"));
    // A look that does not exist fails its item when the item starts, as `POST /v3/videos`
    // would have refused it.
    let created = emu.post(
        "/v3/videos/batches",
        &json!({"videos": [{"type": "avatar", "avatar_id": "missing_look", "script": "Hi"}]}),
    );
    let id = created["data"]["batch_id"].as_str().unwrap();
    emu.advance(5);
    let done = emu.get(&format!("/v3/videos/batches/{id}"));
    assert_eq!(statuses(&done), ["failed"]);
    assert_eq!(
        done["data"]["items"][0]["error"]["code"],
        "avatar_not_found"
    );
    assert!(done["data"]["items"][0]["video_id"].is_null());
}

#[test]
fn the_same_idempotency_key_replays_the_same_batch() {
    let emu = frozen();
    let key = emu.h.api_key().to_owned();
    let body = serde_json::to_vec(&json!({"videos": [avatar_video("once")]})).unwrap();
    let send = || {
        emu.raw(
            "POST",
            "/v3/videos/batches",
            &[
                ("X-Api-Key", &key),
                ("Content-Type", "application/json"),
                ("Idempotency-Key", "batch-key-1"),
            ],
            Some(body.clone()),
        )
    };
    let (a, b) = (send(), send());
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json()["data"]["batch_id"], b.json()["data"]["batch_id"]);
    assert_eq!(b.header("idempotent-replayed").as_deref(), Some("true"));
}

#[test]
fn statuses_by_video_and_by_batch() {
    let emu = frozen();
    let single = emu.post("/v3/videos", &avatar_video("solo"));
    let video = single["data"]["video_id"].as_str().unwrap().to_owned();
    let batch = three(&emu);
    emu.advance(3);
    let v = emu.get(&format!(
        "/v3/videos/statuses?video_ids={video},unknown_video&batch_ids={batch}"
    ));
    let entries = v["data"].as_array().unwrap();
    assert_eq!(entries.len(), 5);
    assert_eq!(entries[0]["video_id"], video.as_str());
    assert_eq!(entries[0]["status"], "pending");
    assert_eq!(entries[1]["status"], "not_found");
    assert_eq!(entries[2]["batch_id"], batch.as_str());
    assert_eq!(entries[2]["item_index"], 0);
    assert_eq!(entries[2]["status"], "processing");
    assert!(entries[2]["video_id"].is_string());
    assert_eq!(entries[4]["status"], "queued");
    assert!(entries[4]["video_id"].is_null());
    emu.advance(120);
    let v = emu.get(&format!("/v3/videos/statuses?batch_ids={batch}"));
    let after: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(after, ["completed", "failed", "completed"]);
    assert_eq!(v["data"][1]["error"]["code"], "video_render_failed");
    emu.call("GET", "/v3/videos/statuses", None).assert_error(
        400,
        "invalid_parameter",
        Some("video_ids"),
    );
}

#[test]
fn cinematic_and_studio_videos_render_like_the_others() {
    let emu = frozen();
    let cinematic = emu.post(
        "/v3/videos",
        &json!({"type": "cinematic_avatar", "avatar_id": [LOOK, LOOK_2],
                "prompt": "Two colleagues greet each other", "duration": 8,
                "aspect_ratio": "9:16", "resolution": "1080p", "title": "Greeting"}),
    );
    let studio = emu.post(
        "/v3/videos",
        &json!({"type": "studio", "title": "Tour", "scenes": [
            {"type": "avatar_video", "input": {"type": "avatar", "avatar_id": LOOK,
                "script": "Welcome", "background": {"type": "color", "color": "#1a2b3c"}}},
            {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"},
                "duration": 3},
            {"type": "video", "source": {"type": "url", "url": "https://example.com/c.mp4"},
                "playback": {"volume": 0.5}}
        ]}),
    );
    let failing = emu.post(
        "/v3/videos",
        &json!({"type": "studio", "scenes": [
            {"type": "avatar_video", "input": {"type": "avatar", "avatar_id": LOOK,
                "script": "[fail] please"}}
        ]}),
    );
    // A scene's look must exist like any other.
    emu.call(
        "POST",
        "/v3/videos",
        Some(&json!({"type": "studio", "scenes": [
            {"type": "avatar_video", "input": {"type": "avatar", "avatar_id": "nope", "script": "x"}}
        ]})),
    )
    .assert_error(404, "avatar_not_found", Some("scenes[0].input.avatar_id"));
    emu.advance(120);
    let status = |v: &Value| {
        let id = v["data"]["video_id"].as_str().unwrap();
        emu.get(&format!("/v3/videos/{id}"))["data"]["status"].clone()
    };
    assert_eq!(status(&cinematic), "completed");
    assert_eq!(status(&studio), "completed");
    assert_eq!(status(&failing), "failed");
    // The list filters: a title substring, case-insensitive.
    let listed = emu.get("/v3/videos?title=greet");
    let titles: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Greeting"]);
}

#[test]
fn cross_field_rules_name_the_parameter() {
    let emu = frozen();
    let png = json!({"type": "url", "url": "https://example.com/a.png"});
    let rows = [
        (
            json!({"type": "avatar", "avatar_id": LOOK, "script": "Hi", "output_format": "webm",
                   "background": {"type": "color", "value": "#000000"}}),
            "background",
        ),
        (
            json!({"type": "avatar", "avatar_id": LOOK, "script": "Hi",
                   "background": {"type": "color"}}),
            "background.value",
        ),
        (
            json!({"type": "avatar", "avatar_id": LOOK, "script": "Hi",
                   "background": {"type": "image", "url": "https://example.com/b.png", "asset_id": "a1"}}),
            "background.url",
        ),
        (
            json!({"type": "avatar", "avatar_id": LOOK, "script": "Hi", "expressiveness": "high",
                   "engine": {"type": "avatar_v"}}),
            "expressiveness",
        ),
        (
            json!({"type": "avatar", "avatar_id": LOOK, "script": "Hi",
                   "audio_url": "https://example.com/a.mp3"}),
            "audio_url",
        ),
        (
            json!({"type": "image", "image": png, "script": "Hi"}),
            "voice_id",
        ),
        (
            json!({"type": "cinematic_avatar", "avatar_id": [LOOK, LOOK, LOOK, LOOK], "prompt": "p"}),
            "avatar_id",
        ),
        (
            json!({"type": "cinematic_avatar", "avatar_id": [LOOK], "prompt": "p", "duration": 20}),
            "duration",
        ),
        (
            json!({"type": "cinematic_avatar", "avatar_id": [LOOK], "prompt": "p", "duration": 8,
                   "auto_duration": true}),
            "duration",
        ),
        (
            json!({"type": "cinematic_avatar", "avatar_id": [LOOK], "prompt": "p",
                   "aspect_ratio": "4:5"}),
            "aspect_ratio",
        ),
        (
            json!({"type": "cinematic_avatar", "avatar_id": [LOOK], "prompt": "p",
                   "references": [
                       {"type": "url", "url": "https://example.com/1.mp4"},
                       {"type": "url", "url": "https://example.com/2.mp4"},
                       {"type": "url", "url": "https://example.com/3.mp4"},
                       {"type": "url", "url": "https://example.com/4.mp4"}]}),
            "references",
        ),
        (json!({"type": "studio", "scenes": []}), "scenes"),
        (
            json!({"type": "studio", "scenes": [{"type": "image", "source": png, "duration": 2,
                   "script": "Hi", "voice_id": "v"}]}),
            "scenes[0].duration",
        ),
        (
            json!({"type": "studio", "scenes": [{"type": "image", "source": png, "script": "Hi"}]}),
            "scenes[0].voice_id",
        ),
        (
            json!({"type": "studio", "scenes": [{"type": "avatar_video",
                   "input": {"type": "image", "image": png, "script": "Hi"}}]}),
            "scenes[0].input.voice_id",
        ),
    ];
    for (body, param) in rows {
        emu.call("POST", "/v3/videos", Some(&body)).assert_error(
            400,
            "invalid_parameter",
            Some(param),
        );
    }
    // The same rules hold for each video of a batch.
    emu.call(
        "POST",
        "/v3/videos/batches",
        Some(&json!({"videos": [avatar_video("ok"),
            {"type": "image", "image": png, "script": "Hi"}]})),
    )
    .assert_error(400, "invalid_parameter", Some("videos[1].voice_id"));
    // And what the rules allow goes through.
    emu.post(
        "/v3/videos",
        &json!({"type": "avatar", "avatar_id": LOOK, "script": "Hi", "output_format": "webm",
                "engine": {"type": "avatar_v", "reference_look_id": LOOK_2}, "motion_prompt": "wave"}),
    );
}

#[test]
fn strict_mode_checks_each_video_of_a_batch_as_strictly_as_one_video() {
    let plain_http = json!({"videos": [{"type": "avatar", "avatar_id": LOOK,
        "audio_url": "http://example.com/a.mp3"}]});
    frozen().post("/v3/videos/batches", &plain_http);
    let strict = Emu::with(EmulatorOptions::default().seed(7).speed(0.001).strict(true));
    strict
        .call("POST", "/v3/videos/batches", Some(&plain_http))
        .assert_error(400, "invalid_parameter", Some("videos[0].audio_url"));
}
