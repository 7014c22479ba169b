//! `heygen video download` against the emulator's file origin, on both transports: the bytes
//! on disk, no credential on the file origin, the default path, `--wait`, an expired link
//! refreshed once, and failures that exit 1 with no file at the path.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use heygen_emulator::{DEFAULT_FILE_LINK_SECS, EmulatorHandle, Fault, FaultRule};

use crate::support::{CANARY, TRANSPORTS, api, count, emulator, owned, public_look, temp_dir};

/// Creates a video on `emu` and returns its id; `render` advances the clock past its render.
fn video(emu: &EmulatorHandle, look: &str, render: bool) -> String {
    let run = api(
        emu,
        "blocking",
        &["video", "create", "--avatar-id", look, "--script", "Hello"],
    );
    let id = owned(&run.ok()["data"]["video_id"]);
    if render {
        emu.advance(Duration::from_mins(2));
    }
    id
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn fresh_dir(tag: &str) -> std::path::PathBuf {
    let dir = temp_dir(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_file_is_what_the_emulator_rendered_and_no_credential_reached_the_file_origin() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        let id = video(&emu, &look, true);
        let dir = fresh_dir(&format!("download-{transport}"));
        let path = dir.join("out.mp4");
        let path_text = path.to_str().unwrap();
        let before = emu.file_requests().len();
        let run = api(
            &emu,
            transport,
            &["video", "download", &id, "--output", path_text],
        );
        let out = run.ok()["data"].clone();
        let expected = emu.rendered_video(&id, false).unwrap();
        assert_eq!(out["video_id"], id.as_str(), "{transport}");
        assert_eq!(out["path"], path_text);
        assert_eq!(out["bytes"], expected.len());
        assert_eq!(out["content_type"], "video/mp4");
        assert!(
            std::fs::read(&path).unwrap() == expected,
            "{transport}: bytes differ"
        );
        assert_eq!(listing(&dir), ["out.mp4"], "{transport}");
        let files = emu.file_requests();
        assert_eq!(files.len(), before + 1, "{transport}");
        let request = &files[before];
        assert!(!request.credentials_rejected, "{transport}");
        for header in [
            "x-api-key",
            "authorization",
            "idempotency-key",
            "user-agent",
        ] {
            assert!(
                !request.headers.contains_key(header),
                "{transport}: {header} reached the file origin: {:?}",
                request.headers
            );
        }
        assert!(
            request.headers.values().all(|v| !v.contains(CANARY)),
            "{transport}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn without_output_the_file_is_named_after_the_video() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        let id = video(&emu, &look, true);
        let dir = fresh_dir(&format!("download-default-{transport}"));
        let base = emu.base_url();
        let output = Command::new(env!("CARGO_BIN_EXE_heygen"))
            .args(["--base-url", &base, "--transport", transport])
            .args(["video", "download", &id])
            .env("HEYGEN_API_KEY", CANARY)
            .env_remove("HEYGEN_API_BASE")
            .env_remove("HEYGEN_TRANSPORT")
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "{transport}: {output:?}");
        let out: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let out = &out["data"];
        let name = format!("{id}.mp4");
        assert_eq!(out["path"], name.as_str());
        assert_eq!(listing(&dir), std::slice::from_ref(&name), "{transport}");
        assert_eq!(
            std::fs::read(dir.join(&name)).unwrap(),
            emu.rendered_video(&id, false).unwrap()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_video_still_rendering_exits_1_without_a_file_request() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        let id = video(&emu, &look, false);
        let dir = fresh_dir(&format!("download-pending-{transport}"));
        let path = dir.join("out.mp4");
        let run = api(
            &emu,
            transport,
            &["video", "download", &id, "--output", path.to_str().unwrap()],
        );
        let error = run.failed(1, "cli_video_not_completed");
        assert_eq!(error["video_id"], id.as_str());
        assert!(listing(&dir).is_empty(), "{transport}");
        assert!(emu.file_requests().is_empty(), "{transport}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn with_wait_the_render_is_awaited_then_downloaded() {
    // 100 emulated seconds per real second: the 65 s render takes under a second.
    let emu = emulator(100.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        let id = video(&emu, &look, false);
        let dir = fresh_dir(&format!("download-wait-{transport}"));
        let path = dir.join("out.mp4");
        let run = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.1",
                "video",
                "download",
                &id,
                "--wait",
                "--output",
                path.to_str().unwrap(),
            ],
        );
        let out = run.ok()["data"].clone();
        assert_eq!(
            out["bytes"],
            std::fs::metadata(&path).unwrap().len(),
            "{transport}"
        );
        assert!(count(&emu, "GET", &format!("/v3/videos/{id}")) >= 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn an_expired_link_is_refreshed_once() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        let id = video(&emu, &look, true);
        // The file request is held for a second; meanwhile the clock passes the link's expiry.
        emu.inject(
            FaultRule::new("/files/videos/*", Fault::Delay { ms: 1_000 })
                .method("GET")
                .times(1),
        );
        let dir = fresh_dir(&format!("download-expired-{transport}"));
        let path = dir.join("out.mp4");
        let before = emu.file_requests().len();
        let run = std::thread::scope(|scope| {
            let path = path.to_str().unwrap();
            let (emu, id) = (&emu, &id);
            let running = scope
                .spawn(move || api(emu, transport, &["video", "download", id, "--output", path]));
            let started = Instant::now();
            while emu.file_requests().len() == before {
                assert!(
                    started.elapsed() < Duration::from_secs(20),
                    "no file request"
                );
                std::thread::sleep(Duration::from_millis(5));
            }
            emu.advance(Duration::from_secs(2 * DEFAULT_FILE_LINK_SECS));
            running.join().unwrap()
        });
        run.ok();
        let statuses: Vec<u16> = emu.file_requests()[before..]
            .iter()
            .map(|r| r.status)
            .collect();
        assert_eq!(statuses, [403, 200], "{transport}");
        assert_eq!(
            count(&emu, "GET", &format!("/v3/videos/{id}")),
            2,
            "{transport}: one read, one refresh"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            emu.rendered_video(&id, false).unwrap()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_connection_cut_mid_file_exits_1_and_leaves_no_file() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    emu.inject(FaultRule::new(
        "/files/videos/*",
        Fault::Truncate {
            keep_bytes: Some(100_000),
        },
    ));
    for transport in TRANSPORTS {
        let id = video(&emu, &look, true);
        let dir = fresh_dir(&format!("download-cut-{transport}"));
        let path = dir.join("out.mp4");
        let run = api(
            &emu,
            transport,
            &["video", "download", &id, "--output", path.to_str().unwrap()],
        );
        let error = run.failed(1, "cli_download_failed");
        assert_eq!(error["video_id"], id.as_str());
        assert!(!path.exists(), "{transport}");
        assert!(listing(&dir).is_empty(), "{transport}: {:?}", listing(&dir));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
