//! `heygen video batch …`, `heygen video statuses` and `video create --file` against the
//! embedded emulator, on both transports: a batch of three videos (one made to fail) with each
//! outcome in order, pages of a batch, bulk statuses, the new kinds from a JSON file, and the
//! rules checked before anything is sent.

use serde_json::{Value, json};

use crate::support::{
    CANARY, TRANSPORTS, api, count, emulator, heygen_with_stdin, owned, temp_dir, write_file,
};

const LOOK: &str = "Abigail_office_front_public";

fn video(title: &str) -> Value {
    json!({"type": "avatar", "avatar_id": LOOK, "script": "Hello there", "title": title})
}

fn batch_file(tag: &str) -> String {
    let dir = temp_dir(tag);
    let body =
        json!({"title": "Launch", "videos": [video("one"), video("[fail] two"), video("three")]});
    let path = write_file(&dir, "batch.json", body.to_string().as_bytes());
    path.to_str().unwrap().to_owned()
}

fn item_statuses(outcome: &Value) -> Vec<(u64, String)> {
    outcome["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["index"].as_u64().unwrap(),
                i["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn batch_create_wait_prints_every_outcome_in_order_and_exits_1_on_a_failed_video() {
    // 200 emulated seconds per real second: a video renders in about a third of a second.
    let emu = emulator(200.0);
    let file = batch_file("video-batch-wait");
    for transport in TRANSPORTS {
        let run = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.05",
                "video",
                "batch",
                "create",
                "--file",
                &file,
                "--wait",
            ],
        );
        assert_eq!(run.code, 1, "{run:?}");
        let outcome = run.json();
        assert_eq!(
            item_statuses(&outcome),
            [
                (0, "completed".to_owned()),
                (1, "failed".to_owned()),
                (2, "completed".to_owned())
            ],
            "{transport}"
        );
        assert_eq!(
            outcome["data"]["items"][1]["error"]["code"],
            "video_render_failed"
        );
        let error = run.error();
        assert_eq!(error["code"], "batch_items_failed");
        assert_eq!(error["batch_id"], outcome["data"]["batch_id"]);
        // The completed videos are ordinary videos.
        let id = outcome["data"]["items"][2]["id"].as_str().unwrap();
        let got = api(&emu, transport, &["video", "get", id]).ok();
        assert_eq!(got["data"]["title"], "three");
        assert_eq!(got["data"]["status"], "completed");
    }
    assert_eq!(count(&emu, "POST", "/v3/videos/batches"), 2);
}

#[test]
fn batch_create_wait_at_its_deadline_prints_the_last_state_and_names_the_batch() {
    // Real time: a video takes far longer than the one-second wait.
    let emu = emulator(1.0);
    let file = batch_file("video-batch-deadline");
    for transport in TRANSPORTS {
        let run = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.2",
                "video",
                "batch",
                "create",
                "--file",
                &file,
                "--wait",
                "--timeout",
                "1",
            ],
        );
        assert_eq!(run.code, 4, "{transport}: {run:?}");
        let error = run.error();
        assert_eq!(error["code"], "cli_timeout");
        assert!(error.get("group_id").is_none(), "{transport}: {error}");
        let last = run.json();
        assert_eq!(last["data"]["batch_id"], error["batch_id"], "{transport}");
        assert_eq!(last["data"]["title"], "Launch", "{transport}");
        // `video batch wait` the same.
        let id = owned(&error["batch_id"]);
        let run = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.2",
                "video",
                "batch",
                "wait",
                &id,
                "--timeout",
                "1",
            ],
        );
        assert_eq!(run.code, 4, "{transport}: {run:?}");
        let error = run.error();
        assert_eq!(error["code"], "cli_timeout");
        assert_eq!(error["batch_id"], id.as_str(), "{transport}: {error}");
        assert!(error.get("group_id").is_none(), "{transport}: {error}");
        assert_eq!(run.json()["data"]["batch_id"], id.as_str(), "{transport}");
    }
}

#[test]
fn batch_create_after_the_create_a_failing_wait_names_the_batch() {
    let emu = emulator(1.0);
    let file = batch_file("video-batch-404");
    // The batch is created, then every read of it is a 404 page.
    emu.inject(
        heygen_emulator::FaultRule::new("/v3/videos/batches/*", crate::support::html_fault(404))
            .method("GET"),
    );
    for transport in TRANSPORTS {
        let run = api(
            &emu,
            transport,
            &["video", "batch", "create", "--file", &file, "--wait"],
        );
        assert_eq!(run.code, 1, "{transport}: {run:?}");
        let error = run.error();
        assert!(error["batch_id"].is_string(), "{transport}: {error}");
    }
}

#[test]
fn batch_create_prints_the_title_and_takes_a_file_with_a_byte_order_mark() {
    let emu = emulator(200.0);
    let dir = temp_dir("video-batch-bom");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(
        json!({"title": "Launch", "videos": [video("one")]})
            .to_string()
            .as_bytes(),
    );
    let path = write_file(&dir, "batch.json", &bytes);
    let mut single = "\u{feff}".as_bytes().to_vec();
    single.extend(video("solo").to_string().as_bytes());
    let single = write_file(&dir, "video.json", &single);
    for transport in TRANSPORTS {
        let created = api(
            &emu,
            transport,
            &["video", "batch", "create", "--file", path.to_str().unwrap()],
        )
        .ok();
        assert_eq!(created["data"]["title"], "Launch", "{transport}: {created}");
        let video = api(
            &emu,
            transport,
            &["video", "create", "--file", single.to_str().unwrap()],
        )
        .ok();
        assert!(
            video["data"]["video_id"].is_string(),
            "{transport}: {video}"
        );
    }
}

#[test]
fn a_field_the_request_does_not_have_is_named_and_nothing_is_sent() {
    let emu = emulator(200.0);
    let dir = temp_dir("video-unknown-field");
    let url = json!({"type": "url", "url": "https://example.com/a.png"});
    let singles = [
        (
            json!({"type": "avatar", "avatar_id": LOOK, "script": "Hi", "titel": "x"}),
            "titel",
        ),
        (
            json!({"type": "studio", "output_format": "webm",
                   "scenes": [{"type": "image", "source": url, "duration": 2}]}),
            "output_format",
        ),
        (
            json!({"type": "image", "image": url, "script": "Hi", "voice_id": "v",
                   "engine": {"type": "avatar_iii"}}),
            "engine",
        ),
        (
            json!({"type": "cinematic_avatar", "avatar_id": [LOOK], "prompt": "A walk",
                   "script": "Hi"}),
            "script",
        ),
    ];
    let batch = write_file(
        &dir,
        "batch.json",
        json!([video("one"), {"type": "avatar", "avatar_id": LOOK, "scirpt": "Hi"}])
            .to_string()
            .as_bytes(),
    );
    for transport in TRANSPORTS {
        for (i, (body, field)) in singles.iter().enumerate() {
            let file = write_file(&dir, &format!("{i}.json"), body.to_string().as_bytes());
            let error = api(
                &emu,
                transport,
                &["video", "create", "--file", file.to_str().unwrap()],
            )
            .failed(2, "cli_validation_error");
            assert_eq!(error["param"], *field, "{transport}: {error}");
            let message = error["message"].as_str().unwrap();
            assert!(message.contains(&format!("`{field}`")), "{error}");
        }
        let error = api(
            &emu,
            transport,
            &[
                "video",
                "batch",
                "create",
                "--file",
                batch.to_str().unwrap(),
            ],
        )
        .failed(2, "cli_validation_error");
        assert_eq!(error["param"], "videos[1].scirpt", "{transport}: {error}");
    }
    assert_eq!(count(&emu, "POST", "/v3/videos"), 0);
}

#[test]
fn batch_create_get_statuses_and_wait() {
    let emu = emulator(200.0);
    let file = batch_file("video-batch-steps");
    for transport in TRANSPORTS {
        let created = api(
            &emu,
            transport,
            &["video", "batch", "create", "--file", &file],
        )
        .ok();
        let id = created["data"]["batch_id"].as_str().unwrap().to_owned();
        assert_eq!(created["data"]["total_items"], 3);

        let first = api(
            &emu,
            transport,
            &["video", "batch", "get", &id, "--limit", "2"],
        )
        .ok();
        assert_eq!(first["data"]["items"].as_array().unwrap().len(), 2);
        let token = first["data"]["next_token"].as_str().unwrap().to_owned();
        let second = api(
            &emu,
            transport,
            &[
                "video", "batch", "get", &id, "--limit", "2", "--token", &token,
            ],
        )
        .ok();
        assert_eq!(second["data"]["items"][0]["item_index"], 2);
        assert_eq!(second["data"]["has_more"], false);

        let waited = api(
            &emu,
            transport,
            &["--poll-interval", "0.05", "video", "batch", "wait", &id],
        );
        assert_eq!(waited.code, 1, "{waited:?}");
        assert_eq!(item_statuses(&waited.json()).len(), 3);

        let statuses = api(&emu, transport, &["video", "statuses", "--batch-ids", &id]).ok();
        let seen: Vec<&str> = statuses["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["status"].as_str().unwrap())
            .collect();
        assert_eq!(seen, ["completed", "failed", "completed"]);
        assert_eq!(statuses["has_more"], false);
        let video = statuses["data"][0]["video_id"].as_str().unwrap().to_owned();
        let by_id = api(
            &emu,
            transport,
            &[
                "video",
                "statuses",
                "--video-ids",
                &format!("{video},unknown_video"),
            ],
        )
        .ok();
        assert_eq!(by_id["data"][0]["status"], "completed");
        assert_eq!(by_id["data"][1]["status"], "not_found");
    }
}

#[test]
fn video_create_takes_every_kind_from_a_file() {
    let emu = emulator(200.0);
    let dir = temp_dir("video-create-file");
    let cinematic = write_file(
        &dir,
        "cinematic.json",
        json!({"type": "cinematic_avatar", "avatar_id": [LOOK], "prompt": "A walk", "duration": 6,
               "title": "Cinematic walk"})
        .to_string()
        .as_bytes(),
    );
    let studio = write_file(
        &dir,
        "studio.json",
        json!({"type": "studio", "scenes": [
            {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}, "duration": 2}
        ]})
        .to_string()
        .as_bytes(),
    );
    for transport in TRANSPORTS {
        for file in [&cinematic, &studio] {
            let run = api(
                &emu,
                transport,
                &[
                    "--poll-interval",
                    "0.05",
                    "video",
                    "create",
                    "--file",
                    file.to_str().unwrap(),
                    "--wait",
                ],
            )
            .ok();
            assert_eq!(run["data"]["status"], "completed", "{transport} {file:?}");
        }
        let listed = api(&emu, transport, &["video", "list", "--title", "cinematic"]).ok();
        assert!(
            listed["data"]
                .as_array()
                .unwrap()
                .iter()
                .all(|v| v["title"] == "Cinematic walk")
        );
        assert!(!listed["data"].as_array().unwrap().is_empty());
    }
}

#[test]
fn rules_are_checked_before_anything_is_sent() {
    let emu = emulator(200.0);
    let dir = temp_dir("video-batch-rules");
    let no_voice = write_file(
        &dir,
        "image.json",
        json!({"type": "image", "image": {"type": "url", "url": "https://example.com/a.png"},
               "script": "Hi"})
        .to_string()
        .as_bytes(),
    );
    let webm = write_file(
        &dir,
        "webm.json",
        json!([{"type": "avatar", "avatar_id": LOOK, "script": "Hi", "output_format": "webm",
                "background": {"type": "color", "value": "#000000"}}])
        .to_string()
        .as_bytes(),
    );
    let many: Vec<Value> = (0..101).map(|i| video(&format!("v{i}"))).collect();
    let too_many = write_file(
        &dir,
        "many.json",
        json!({ "videos": many }).to_string().as_bytes(),
    );
    for transport in TRANSPORTS {
        let error = api(
            &emu,
            transport,
            &["video", "create", "--file", no_voice.to_str().unwrap()],
        )
        .failed(2, "cli_validation_error");
        assert_eq!(error["param"], "voice_id");
        let error = api(
            &emu,
            transport,
            &["video", "batch", "create", "--file", webm.to_str().unwrap()],
        )
        .failed(2, "cli_validation_error");
        assert_eq!(error["param"], "videos[0].background");
        let error = api(
            &emu,
            transport,
            &[
                "video",
                "batch",
                "create",
                "--file",
                too_many.to_str().unwrap(),
            ],
        )
        .failed(2, "cli_validation_error");
        assert_eq!(error["param"], "videos");
        api(&emu, transport, &["video", "statuses"]).failed(2, "cli_validation_error");
        api(
            &emu,
            transport,
            &[
                "video",
                "batch",
                "create",
                "--file",
                "/nonexistent/batch.json",
            ],
        )
        .failed(2, "cli_file_error");
    }
    assert_eq!(count(&emu, "POST", "/v3/videos"), 0);
    assert_eq!(count(&emu, "GET", "/v3/videos/statuses"), 0);
}

/// A member given twice at the top of a batch file is refused (not "last one wins", which would
/// submit an empty batch for `{"videos":[…],"videos":[]}`), and `--file -` reads the batch from
/// standard input.
#[test]
fn a_repeated_member_is_refused_and_a_batch_can_come_from_stdin() {
    let emu = emulator(200.0);
    let dir = temp_dir("video-batch-duplicate");
    let one = video("one").to_string();
    let repeated = [
        format!(r#"{{"videos":[{one}],"videos":[]}}"#),
        format!(r#"{{"title":"A","title":"B","videos":[{one}]}}"#),
    ];
    for transport in TRANSPORTS {
        for (i, text) in repeated.iter().enumerate() {
            let file = write_file(&dir, &format!("dup{i}.json"), text.as_bytes());
            let error = api(
                &emu,
                transport,
                &["video", "batch", "create", "--file", file.to_str().unwrap()],
            )
            .failed(2, "cli_validation_error");
            let message = error["message"].as_str().unwrap();
            assert!(message.contains("duplicate field"), "{transport}: {error}");
        }
    }
    assert_eq!(count(&emu, "POST", "/v3/videos/batches"), 0);
    let base = emu.base_url();
    let batch = format!(r#"{{"title":"From stdin","videos":[{one}]}}"#);
    let created = heygen_with_stdin(
        &[
            "--base-url",
            base.as_str(),
            "video",
            "batch",
            "create",
            "--file",
            "-",
        ],
        &[("HEYGEN_API_KEY", CANARY)],
        Some(&batch),
    )
    .ok();
    assert_eq!(created["data"]["title"], "From stdin", "{created}");
    assert_eq!(count(&emu, "POST", "/v3/videos/batches"), 1);
}
