//! `heygen webhook …` against the emulator on both transports: the endpoint commands, event
//! types and events, and the emulator's signed deliveries reaching `heygen webhook listen` and
//! checked again by `heygen webhook verify`.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use heygen_emulator::EmulatorHandle;
use serde_json::{Value, json};

use crate::listen_support::listen;
use crate::support::{TRANSPORTS, api, count, emulator, heygen_with_stdin, owned, public_look};

/// A loopback URL nobody listens on (the emulator only posts to loopback URLs).
const NOWHERE: &str = "http://127.0.0.1:9/hook";

/// Creates a video from a public look with `transport`; returns its id.
fn create_video(emu: &EmulatorHandle, transport: &str) -> String {
    let look = public_look(emu);
    let run = api(
        emu,
        transport,
        &["video", "create", "--avatar-id", &look, "--script", "Hello"],
    );
    owned(&run.ok()["data"]["video_id"])
}

/// Runs `heygen webhook endpoints create` and returns the endpoint and its secret.
fn create_endpoint(emu: &EmulatorHandle, transport: &str, url: &str, events: &str) -> Value {
    let run = api(
        emu,
        transport,
        &[
            "webhook",
            "endpoints",
            "create",
            "--url",
            url,
            "--events",
            events,
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    // The secret is printed once, and stderr says so.
    assert!(
        run.stderr.contains("shown only in this response"),
        "{run:?}"
    );
    run.json()["data"].clone()
}

#[test]
fn endpoint_commands_create_list_update_rotate_and_delete_on_both_transports() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let created = create_endpoint(
            &emu,
            transport,
            NOWHERE,
            "avatar_video.success,avatar_video.fail",
        );
        let id = owned(&created["endpoint_id"]);
        let secret = owned(&created["secret"]);
        assert!(secret.starts_with("whsec_"), "{created}");
        assert_eq!(created["url"], NOWHERE);
        assert_eq!(created["status"], "enabled");
        assert_eq!(
            created["events"],
            json!(["avatar_video.success", "avatar_video.fail"])
        );

        // Listing never shows a secret.
        let run = api(
            &emu,
            transport,
            &["webhook", "endpoints", "list", "--limit", "10"],
        );
        let listed = run.ok();
        assert!(!run.stdout.contains(&secret), "{run:?}");
        let mine = listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["endpoint_id"] == id.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("{listed}"));
        assert!(mine.get("secret").is_none(), "{mine}");
        assert_eq!(listed["has_more"], false);
        let all = api(&emu, transport, &["webhook", "endpoints", "list", "--all"]).ok();
        assert_eq!(
            all["data"].as_array().unwrap().len(),
            listed["data"].as_array().unwrap().len()
        );

        // Update replaces the event list and the URL.
        let moved = "http://127.0.0.1:9/moved";
        let run = api(
            &emu,
            transport,
            &[
                "webhook",
                "endpoints",
                "update",
                &id,
                "--url",
                moved,
                "--events",
                "instant_avatar.success",
            ],
        );
        let updated = run.ok();
        assert_eq!(updated["data"]["url"], moved);
        assert_eq!(updated["data"]["events"], json!(["instant_avatar.success"]));
        assert!(updated["data"].get("secret").is_none());

        // Rotation prints a new secret, once.
        let run = api(
            &emu,
            transport,
            &["webhook", "endpoints", "rotate-secret", &id],
        );
        assert_eq!(run.code, 0, "{run:?}");
        assert!(
            run.stderr.contains("shown only in this response"),
            "{run:?}"
        );
        let rotated = run.json()["data"].clone();
        assert_eq!(rotated["endpoint_id"], id.as_str());
        let new_secret = owned(&rotated["secret"]);
        assert!(new_secret.starts_with("whsec_") && new_secret != secret);

        let deleted = api(&emu, transport, &["webhook", "endpoints", "delete", &id]).ok();
        assert_eq!(deleted["data"]["id"], id.as_str());
        let run = api(&emu, transport, &["webhook", "endpoints", "delete", &id]);
        let error = run.failed_with_status(1, "not_found", 404);
        assert!(error["request_id"].is_string(), "{run:?}");
        let run = api(
            &emu,
            transport,
            &["webhook", "endpoints", "rotate-secret", &id],
        );
        run.failed_with_status(1, "not_found", 404);
    }
}

#[test]
fn endpoint_commands_refuse_bad_input_before_sending() {
    let emu = emulator(1.0);
    for transport in TRANSPORTS {
        let before = emu.requests().len();
        // Not an http(s) URL, a blank event type, an update without a change, a bad limit.
        let run = api(
            &emu,
            transport,
            &[
                "webhook",
                "endpoints",
                "create",
                "--url",
                "ftp://127.0.0.1/x",
            ],
        );
        let error = run.failed(2, "cli_validation_error");
        assert_eq!(error["param"], "url");
        let run = api(
            &emu,
            transport,
            &[
                "webhook",
                "endpoints",
                "create",
                "--url",
                NOWHERE,
                "--events",
                "a,,b",
            ],
        );
        assert_eq!(run.failed(2, "cli_validation_error")["param"], "events");
        let run = api(&emu, transport, &["webhook", "endpoints", "update", "ep_1"]);
        run.failed(2, "cli_usage_error");
        for bad in ["", ".."] {
            let run = api(&emu, transport, &["webhook", "endpoints", "delete", bad]);
            assert_eq!(
                run.failed(2, "cli_validation_error")["param"],
                "endpoint_id"
            );
        }
        let run = api(
            &emu,
            transport,
            &["webhook", "endpoints", "list", "--limit", "101"],
        );
        assert_eq!(run.failed(2, "cli_validation_error")["param"], "limit");
        let run = api(
            &emu,
            transport,
            &["webhook", "events", "list", "--limit", "0"],
        );
        assert_eq!(run.failed(2, "cli_validation_error")["param"], "limit");
        assert_eq!(emu.requests().len(), before, "a request was sent");
        // The emulator refuses a URL that is not loopback: an API error, exit 1.
        let run = api(
            &emu,
            transport,
            &[
                "webhook",
                "endpoints",
                "create",
                "--url",
                "https://example.com/hook",
            ],
        );
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.error()["status"], 400, "{run:?}");
    }
}

#[test]
fn event_types_and_events_are_listed_and_filtered() {
    let emu = emulator(600.0);
    for transport in TRANSPORTS {
        let types = api(&emu, transport, &["webhook", "event-types", "list"]).ok();
        let names: Vec<&str> = types["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["event_type"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"avatar_video.success"), "{types}");
        assert!(names.contains(&"instant_avatar.fail"), "{types}");
        assert_eq!(types["has_more"], false);
    }
    // Two videos complete: two avatar_video.success events.
    let mut videos = Vec::new();
    for transport in TRANSPORTS {
        videos.push(create_video(&emu, transport));
    }
    emu.advance(Duration::from_hours(1));
    for transport in TRANSPORTS {
        let run = api(
            &emu,
            transport,
            &[
                "webhook",
                "events",
                "list",
                "--event-type",
                "avatar_video.success",
                "--all",
            ],
        );
        let all = run.ok();
        let ids: Vec<&str> = all["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event_data"]["video_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 2, "{all}");
        for video in &videos {
            assert!(ids.contains(&video.as_str()), "{all}");
        }
        let run = api(
            &emu,
            transport,
            &[
                "webhook",
                "events",
                "list",
                "--entity-id",
                &videos[0],
                "--limit",
                "1",
            ],
        );
        let one = run.ok();
        assert_eq!(
            one["data"][0]["event_data"]["video_id"],
            videos[0].as_str(),
            "{one}"
        );
        assert!(one["data"][0]["event_id"].is_string(), "{one}");
        let none = api(
            &emu,
            transport,
            &[
                "webhook",
                "events",
                "list",
                "--event-type",
                "avatar_video.fail",
            ],
        )
        .ok();
        assert_eq!(none["data"], json!([]), "{none}");
    }
    assert!(count(&emu, "GET", "/v3/webhooks/events") >= 6);
}

#[test]
fn listen_receives_the_emulators_signed_video_event_exactly_once() {
    let emu = emulator(600.0);
    for transport in TRANSPORTS {
        // Register first (the secret comes back), then point the endpoint at the receiver.
        let created = create_endpoint(&emu, transport, NOWHERE, "avatar_video.success");
        let id = owned(&created["endpoint_id"]);
        let secret = owned(&created["secret"]);
        let hook = listen(&secret, &[]);
        api(
            &emu,
            transport,
            &["webhook", "endpoints", "update", &id, "--url", &hook.url],
        )
        .ok();

        let video = create_video(&emu, transport);
        let event = hook
            .next_event(Duration::from_secs(20))
            .unwrap_or_else(|| panic!("no event: {:?}", emu.webhook_deliveries()));
        assert_eq!(event["event_type"], "avatar_video.success", "{event}");
        assert_eq!(event["event_data"]["video_id"], video.as_str(), "{event}");
        assert!(event["event_id"].is_string(), "{event}");
        assert!(event["created_at"].is_string(), "{event}");
        // Later emulated hours bring nothing more.
        emu.advance(Duration::from_hours(1));
        std::thread::sleep(Duration::from_millis(300));
        let done = hook.terminate();
        assert_eq!(done.code, 0, "{done:?}");
        assert!(
            done.stdout.is_empty(),
            "a second event was printed: {done:?}"
        );
        assert!(done.errors().is_empty(), "{done:?}");
        done.assert_never_printed(&[&secret]);
        let attempts: Vec<_> = emu
            .webhook_deliveries()
            .into_iter()
            .filter(|d| d.endpoint_id.as_deref() == Some(id.as_str()))
            .collect();
        assert_eq!(attempts.len(), 1, "{attempts:?}");
        assert!(attempts[0].delivered && attempts[0].signed, "{attempts:?}");
        api(&emu, transport, &["webhook", "endpoints", "delete", &id]).ok();
    }
}

/// One request a test receiver saw.
#[derive(Debug)]
struct Hit {
    event_id: Option<String>,
    signature: Option<String>,
    timestamp: Option<String>,
    body: Vec<u8>,
}

/// A receiver on a free loopback port that answers each request with the next status of
/// `script` (the last one repeats) and reports what it received.
fn scripted_receiver(script: &'static [u16]) -> (String, mpsc::Receiver<Hit>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
                }
            }
            let header = |name: &str| {
                headers
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            };
            let len: usize = header("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let status = script[n.min(script.len() - 1)];
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = stream.flush();
            let hit = Hit {
                event_id: header("heygen-event-id"),
                signature: header("heygen-signature"),
                timestamp: header("heygen-timestamp"),
                body,
            };
            if tx.send(hit).is_err() {
                return;
            }
        }
    });
    (url, rx)
}

#[test]
fn a_receiver_that_answers_500_first_gets_the_same_event_again() {
    let emu = emulator(600.0);
    let (url, hits) = scripted_receiver(&[500, 200]);
    let created = create_endpoint(&emu, "async", &url, "avatar_video.success");
    let secret = owned(&created["secret"]);
    let video = create_video(&emu, "blocking");

    let first = hits.recv_timeout(Duration::from_secs(20)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let second = loop {
        // The retry is due 5 emulated seconds later.
        emu.advance(Duration::from_secs(5));
        if let Ok(hit) = hits.recv_timeout(Duration::from_millis(200)) {
            break hit;
        }
        assert!(Instant::now() < deadline, "{:?}", emu.webhook_deliveries());
    };
    assert!(first.event_id.is_some(), "{first:?}");
    assert_eq!(first.event_id, second.event_id);
    assert_eq!(first.body, second.body, "a retry sends the same bytes");
    emu.advance(Duration::from_hours(1));
    assert!(
        hits.recv_timeout(Duration::from_millis(300)).is_err(),
        "delivered again after a 200"
    );

    // Each attempt verifies with `heygen webhook verify`, under the endpoint's secret.
    for hit in [&first, &second] {
        let mut args = vec![
            "webhook",
            "verify",
            "--signature",
            hit.signature.as_deref().unwrap(),
        ];
        if let Some(t) = &hit.timestamp {
            args.extend(["--timestamp", t.as_str()]);
        }
        let run = heygen_with_stdin(
            &args,
            &[("HEYGEN_WEBHOOK_SECRET", secret.as_str())],
            Some(std::str::from_utf8(&hit.body).unwrap()),
        );
        let out = run.ok();
        assert_eq!(out["data"]["event_type"], "avatar_video.success");
        assert_eq!(out["data"]["event_data"]["video_id"], video.as_str());
        assert_eq!(out["data"]["event_id"].as_str(), hit.event_id.as_deref());
        assert!(!run.stdout.contains(&secret));
    }
    let attempts = emu.webhook_deliveries();
    let statuses: Vec<Option<u16>> = attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(200)], "{attempts:?}");
    assert!(
        attempts[0].will_retry && attempts[1].delivered,
        "{attempts:?}"
    );
}
