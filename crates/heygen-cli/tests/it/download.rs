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
        assert_eq!(
            count(&emu, "GET", &format!("/v3/videos/{id}")),
            1,
            "{transport}: the video is read once"
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

#[test]
fn a_2xx_error_page_from_the_file_origin_exits_1_and_leaves_no_file() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    // The storage answers 200 with its XML error page instead of the video.
    let rule: FaultRule =
        serde_json::from_str(r#"{"path":"/files/videos/*","fault":{"kind":"html","status":200}}"#)
            .unwrap();
    emu.inject(rule);
    for transport in TRANSPORTS {
        let id = video(&emu, &look, true);
        let dir = fresh_dir(&format!("download-page-{transport}"));
        let path = dir.join("out.mp4");
        let before = emu.file_requests().len();
        let run = api(
            &emu,
            transport,
            &["video", "download", &id, "--output", path.to_str().unwrap()],
        );
        let error = run.failed(1, "cli_download_failed");
        assert_eq!(error["video_id"], id.as_str(), "{transport}");
        let message = owned(&error["message"]);
        assert!(
            message.contains("200") && message.contains("application/xml"),
            "{transport}: {message}"
        );
        assert!(
            !message.contains('?'),
            "{transport}: the link leaked: {message}"
        );
        assert!(!path.exists(), "{transport}");
        assert!(listing(&dir).is_empty(), "{transport}: {:?}", listing(&dir));
        let files = emu.file_requests();
        assert_eq!(files.len(), before + 1, "{transport}: not retried");
        assert_eq!(files[before].status, 200, "{transport}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_wait_that_reaches_its_deadline_prints_the_last_state_and_exits_4() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        // Rendering takes about a minute of emulated time: longer than the one-second wait.
        let id = video(&emu, &look, false);
        let dir = fresh_dir(&format!("download-deadline-{transport}"));
        let path = dir.join("out.mp4");
        let run = api(
            &emu,
            transport,
            &[
                "--poll-interval",
                "0.2",
                "video",
                "download",
                &id,
                "--wait",
                "--timeout",
                "1",
                "--output",
                path.to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, 4, "{transport}: {run:?}");
        let last = run.json();
        assert_eq!(last["data"]["id"], id.as_str(), "{transport}");
        assert!(
            matches!(
                last["data"]["status"].as_str(),
                Some("pending" | "waiting" | "processing")
            ),
            "{transport}: {run:?}"
        );
        let error = run.error();
        assert_eq!(error["code"], "cli_timeout", "{transport}");
        assert_eq!(error["video_id"], id.as_str(), "{transport}");
        assert!(emu.file_requests().is_empty(), "{transport}");
        assert!(listing(&dir).is_empty(), "{transport}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Creates a video on `emu` from a `video create --file` body and renders it.
fn video_from(emu: &EmulatorHandle, dir: &Path, body: &serde_json::Value) -> String {
    let file = dir.join("video.json");
    std::fs::write(&file, body.to_string()).unwrap();
    let run = api(
        emu,
        "blocking",
        &["video", "create", "--file", file.to_str().unwrap()],
    );
    std::fs::remove_file(&file).unwrap();
    let id = owned(&run.ok()["data"]["video_id"]);
    emu.advance(Duration::from_mins(2));
    id
}

#[test]
fn a_stalled_body_exits_4_with_the_bytes_received_and_a_slow_one_completes() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        let dir = fresh_dir(&format!("download-stall-{transport}"));
        let path = dir.join("out.mp4");
        let path = path.to_str().unwrap();
        emu.clear_faults();
        emu.inject(FaultRule::new(
            "/files/videos/*",
            Fault::StallBody {
                after_bytes: 1000,
                ms: 5_000,
            },
        ));
        let id = video(&emu, &look, true);
        let run = api(
            &emu,
            transport,
            &[
                "--request-timeout",
                "0.5",
                "video",
                "download",
                &id,
                "--output",
                path,
            ],
        );
        let error = run.failed(4, "cli_timeout");
        let message = owned(&error["message"]);
        assert!(
            message.contains("after 1000 bytes"),
            "{transport}: {message}"
        );
        assert_eq!(error["video_id"], id.as_str());
        assert!(listing(&dir).is_empty(), "{transport}");
        // 32 KiB every 100 ms: about a second, twice the request timeout, and never idle.
        emu.clear_faults();
        emu.inject(FaultRule::new(
            "/files/videos/*",
            Fault::Trickle {
                chunk_bytes: 32 * 1024,
                every_ms: 100,
            },
        ));
        let run = api(
            &emu,
            transport,
            &[
                "--request-timeout",
                "0.5",
                "video",
                "download",
                &id,
                "--output",
                path,
            ],
        );
        assert_eq!(
            run.ok()["data"]["bytes"],
            emu.rendered_video(&id, false).unwrap().len()
        );
        emu.clear_faults();
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_failed_video_exits_1_with_its_failure_code_without_wait() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        let run = api(
            &emu,
            "blocking",
            &[
                "video",
                "create",
                "--avatar-id",
                &look,
                "--script",
                "Hello",
                "--title",
                "[fail] demo",
            ],
        );
        let id = owned(&run.ok()["data"]["video_id"]);
        emu.advance(Duration::from_mins(2));
        let dir = fresh_dir(&format!("download-failed-{transport}"));
        let path = dir.join("out.mp4");
        let run = api(
            &emu,
            transport,
            &["video", "download", &id, "--output", path.to_str().unwrap()],
        );
        let error = run.failed(1, "video_render_failed");
        assert_eq!(error["video_id"], id.as_str());
        assert!(
            owned(&error["message"]).contains("on purpose"),
            "{transport}: {error}"
        );
        assert!(listing(&dir).is_empty(), "{transport}");
        assert!(emu.file_requests().is_empty(), "{transport}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_directory_output_gets_the_default_name_and_a_missing_one_fails_before_any_request() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        let id = video(&emu, &look, true);
        let dir = fresh_dir(&format!("download-dir-{transport}"));
        let run = api(
            &emu,
            transport,
            &["video", "download", &id, "--output", dir.to_str().unwrap()],
        );
        let name = format!("{id}.mp4");
        let out = run.ok()["data"].clone();
        assert_eq!(
            out["path"],
            dir.join(&name).to_str().unwrap(),
            "{transport}"
        );
        assert_eq!(listing(&dir), std::slice::from_ref(&name), "{transport}");
        let reads = count(&emu, "GET", &format!("/v3/videos/{id}"));
        for missing in [dir.join("nope").join("out.mp4"), dir.join("nodir/")] {
            let text = missing.to_str().unwrap();
            let run = api(&emu, transport, &["video", "download", &id, "-o", text]);
            let error = run.failed(1, "cli_download_failed");
            assert!(
                owned(&error["message"]).contains(text),
                "{transport}: {error}"
            );
        }
        assert_eq!(
            count(&emu, "GET", &format!("/v3/videos/{id}")),
            reads,
            "{transport}: nothing was sent"
        );
        assert_eq!(listing(&dir), [name], "{transport}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn without_output_the_captioned_file_has_its_own_name_and_the_video_is_read_once() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    for transport in TRANSPORTS {
        let dir = fresh_dir(&format!("download-captioned-{transport}"));
        let body = serde_json::json!({
            "type": "avatar",
            "avatar_id": look,
            "script": "Hello",
            "caption": {"style": "default"},
        });
        let id = video_from(&emu, &dir, &body);
        let base = emu.base_url();
        for captioned in [false, true] {
            let mut command = Command::new(env!("CARGO_BIN_EXE_heygen"));
            command
                .args(["--base-url", &base, "--transport", transport])
                .args(["video", "download", &id]);
            if captioned {
                command.arg("--captioned");
            }
            let output = command
                .env("HEYGEN_API_KEY", CANARY)
                .env_remove("HEYGEN_API_BASE")
                .env_remove("HEYGEN_TRANSPORT")
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(output.status.success(), "{transport}: {output:?}");
        }
        let plain = format!("{id}.mp4");
        let with_captions = format!("{id}.captioned.mp4");
        assert_eq!(
            listing(&dir),
            [with_captions.clone(), plain.clone()],
            "{transport}"
        );
        assert_eq!(
            std::fs::read(dir.join(&plain)).unwrap(),
            emu.rendered_video(&id, false).unwrap()
        );
        assert_eq!(
            std::fs::read(dir.join(&with_captions)).unwrap(),
            emu.rendered_video(&id, true).unwrap()
        );
        assert_eq!(
            count(&emu, "GET", &format!("/v3/videos/{id}")),
            2,
            "{transport}: one read per download"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[cfg(unix)]
#[test]
fn sigint_and_sigterm_remove_the_temporary_file() {
    let emu = emulator(1.0);
    let look = public_look(&emu);
    // 16 KiB every 200 ms: several seconds for the file.
    emu.inject(FaultRule::new(
        "/files/videos/*",
        Fault::Trickle {
            chunk_bytes: 16 * 1024,
            every_ms: 200,
        },
    ));
    let base = emu.base_url();
    for transport in TRANSPORTS {
        for signal in ["-INT", "-TERM"] {
            let id = video(&emu, &look, true);
            let dir = fresh_dir(&format!("download-signal-{transport}{signal}"));
            let path = dir.join("out.mp4");
            let child = Command::new(env!("CARGO_BIN_EXE_heygen"))
                .args(["--base-url", &base, "--transport", transport])
                .args(["video", "download", &id, "--output", path.to_str().unwrap()])
                .env("HEYGEN_API_KEY", CANARY)
                .env_remove("HEYGEN_API_BASE")
                .env_remove("HEYGEN_TRANSPORT")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let started = Instant::now();
            // Until the temporary file has bytes: the download is under way.
            while !std::fs::read_dir(&dir)
                .unwrap()
                .flatten()
                .any(|e| e.metadata().is_ok_and(|m| m.len() > 0))
            {
                assert!(started.elapsed() < Duration::from_secs(20), "no download");
                std::thread::sleep(Duration::from_millis(20));
            }
            let killed = Command::new("kill")
                .args([signal, &child.id().to_string()])
                .status()
                .unwrap();
            assert!(killed.success());
            let output = child.wait_with_output().unwrap();
            assert_eq!(
                output.status.code(),
                Some(130),
                "{transport} {signal}: {output:?}"
            );
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains("cli_interrupted"), "{stderr}");
            assert!(
                listing(&dir).is_empty(),
                "{transport} {signal}: {:?}",
                listing(&dir)
            );
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
