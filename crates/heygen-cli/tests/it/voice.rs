//! `heygen voice …` against the embedded emulator, on both transports: design, every page of
//! the library, a clone from a local MP3 (inline and uploaded) with `--wait`, speech, delete,
//! a failed clone, and the limits checked before anything is sent.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{TRANSPORTS, api, count, emulator, temp_dir, write_file};

/// An MP3 of `size` bytes: an ID3 header, then silence.
fn mp3(dir: &Path, name: &str, size: usize) -> PathBuf {
    let mut bytes = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    bytes.resize(size, 0);
    write_file(dir, name, &bytes)
}

fn ids(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["voice_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn design_list_clone_wait_speak_and_delete() {
    // 200 emulated seconds per real second: a clone trains in about 150 ms.
    let emu = emulator(200.0);
    let dir = temp_dir("voice-flow");
    let file = mp3(&dir, "me.mp3", 3000);
    let file = file.to_str().unwrap();
    for transport in TRANSPORTS {
        let designed = api(
            &emu,
            transport,
            &[
                "voice",
                "design",
                "--prompt",
                "calm narrator",
                "--gender",
                "female",
            ],
        )
        .ok();
        let voices = designed["data"]["voices"].as_array().unwrap();
        assert_eq!(voices.len(), 3);
        assert!(voices.iter().all(|v| v["gender"] == "female"));

        let all = api(
            &emu,
            transport,
            &[
                "voice", "list", "--engine", "starfish", "--limit", "2", "--all",
            ],
        )
        .ok();
        let one_page = api(
            &emu,
            transport,
            &["voice", "list", "--engine", "starfish", "--limit", "100"],
        )
        .ok();
        assert_eq!(ids(&all), ids(&one_page));
        assert_eq!(all["has_more"], false);

        let assets_before = count(&emu, "POST", "/v3/assets");
        let cloned = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.05",
                "voice",
                "clone",
                "--name",
                "My voice",
                "--file",
                file,
                "--wait",
                "--timeout",
                "30",
            ],
        )
        .ok();
        assert_eq!(cloned["data"]["status"], "complete", "{cloned}");
        assert_eq!(cloned["data"]["name"], "My voice");
        assert_eq!(
            count(&emu, "POST", "/v3/assets"),
            assets_before,
            "a small file goes inline"
        );
        let id = cloned["data"]["voice_id"].as_str().unwrap().to_owned();

        let private = api(&emu, transport, &["voice", "list", "--type", "private"]).ok();
        assert!(ids(&private).contains(&id));
        // `--human` lists voices by id and name.
        let table = api(
            &emu,
            transport,
            &["--human", "voice", "list", "--type", "private"],
        );
        assert_eq!(table.code, 0, "{table:?}");
        let header: Vec<&str> = table
            .stdout
            .lines()
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        assert_eq!(header, ["VOICE_ID", "NAME"]);
        assert!(table.stdout.contains(&id), "{table:?}");

        let spoken = api(
            &emu,
            transport,
            &[
                "voice",
                "speech",
                "--voice-id",
                &id,
                "--text",
                "Hello there",
                "--speed",
                "1.5",
            ],
        )
        .ok();
        assert!(
            spoken["data"]["audio_url"]
                .as_str()
                .unwrap()
                .starts_with(&emu.base_url())
        );
        assert!(spoken["data"]["duration"].as_f64().unwrap() > 0.0);

        let got = api(&emu, transport, &["voice", "get", &id]).ok();
        assert_eq!(got["data"]["voice_id"], id.as_str());
        let deleted = api(&emu, transport, &["voice", "delete", &id]).ok();
        assert_eq!(deleted["data"]["voice_id"], id.as_str());
        let error = api(&emu, transport, &["voice", "delete", &id]).failed_with_status(
            1,
            "voice_not_found",
            404,
        );
        assert!(error["message"].as_str().is_some());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_larger_recording_is_uploaded_first() {
    let emu = emulator(1.0);
    let dir = temp_dir("voice-upload");
    // Above the 4 MiB inline threshold.
    let file = mp3(&dir, "long.mp3", 4 * 1024 * 1024 + 10);
    for transport in TRANSPORTS {
        let before = count(&emu, "POST", "/v3/assets");
        let out = api(
            &emu,
            transport,
            &[
                "voice",
                "clone",
                "--name",
                "Long",
                "--file",
                file.to_str().unwrap(),
                "--remove-background-noise",
                "false",
            ],
        )
        .ok();
        assert!(out["data"]["voice_clone_id"].is_string(), "{out}");
        assert_eq!(count(&emu, "POST", "/v3/assets"), before + 1);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_clone_exits_1_with_the_voice_id() {
    let emu = emulator(200.0);
    for transport in TRANSPORTS {
        let error = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.05",
                "voice",
                "clone",
                "--name",
                "Broken [fail]",
                "--file",
                "https://example.com/me.mp3",
                "--wait",
            ],
        )
        .failed(1, "cli_job_failed");
        assert!(error["voice_id"].is_string(), "{error}");
        assert!(error.get("group_id").is_none(), "{error}");
    }
}

#[test]
fn waiting_on_a_shared_voice_ends_at_the_first_read() {
    // Real time: a wait that polled would reach its deadline (exit 4) after three seconds.
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let started = std::time::Instant::now();
        let out = api(
            &emu,
            transport,
            &["voice", "wait", "emu_voice_female_01", "--timeout", "3"],
        )
        .ok();
        assert_eq!(
            out["data"]["voice_id"], "emu_voice_female_01",
            "{transport}"
        );
        assert!(started.elapsed().as_secs() < 3, "{transport}");
    }
    assert_eq!(count(&emu, "GET", "/v3/voices/emu_voice_female_01"), 2);
}

#[test]
fn limits_are_checked_before_anything_is_sent() {
    let emu = emulator(1.0);
    let long = "x".repeat(5001);
    let cases: [(&[&str], &str); 5] = [
        (
            &["voice", "speech", "--voice-id", "v", "--text", &long],
            "text",
        ),
        (
            &["voice", "speech", "--voice-id", "v", "--text", ""],
            "text",
        ),
        (
            &[
                "voice",
                "speech",
                "--voice-id",
                "v",
                "--text",
                "hi",
                "--speed",
                "2.5",
            ],
            "speed",
        ),
        (&["voice", "list", "--limit", "101"], "limit"),
        (&["voice", "get", ".."], "voice_id"),
    ];
    for transport in TRANSPORTS {
        for (args, param) in cases {
            let error = api(&emu, transport, args).failed(2, "cli_validation_error");
            assert_eq!(error["param"], param, "{args:?}: {error}");
        }
        // An http:// recording is refused like an avatar's file.
        let error = api(
            &emu,
            transport,
            &[
                "voice",
                "clone",
                "--name",
                "A",
                "--file",
                "http://example.com/a.mp3",
            ],
        )
        .failed(2, "cli_validation_error");
        assert_eq!(error["param"], "audio.url", "{error}");
    }
    assert!(emu.requests().is_empty(), "nothing was sent");
}
