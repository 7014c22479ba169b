//! `heygen webhook listen` and `heygen webhook verify` with deliveries signed here (BR-19): the
//! raw bytes verify, anything else is refused with the verifier's code, and no secret or
//! signature is ever printed.

use std::time::Duration;

use serde_json::{Value, json};

use crate::listen_support::{
    BR19_BODY, BR19_SECRET, Framing, listen, post, post_signed, request, signature, unix_now,
};
use crate::support::{heygen, heygen_with_stdin};

/// The BR-19 body parsed and serialized again: same data, other bytes.
fn reserialized() -> Vec<u8> {
    let value: Value = serde_json::from_str(BR19_BODY).unwrap();
    let bytes = serde_json::to_vec(&value).unwrap();
    assert_ne!(bytes, BR19_BODY.as_bytes());
    bytes
}

/// The BR-19 body with one byte changed (`vid_0001` → `vid_0002`).
fn flipped() -> Vec<u8> {
    let bytes = BR19_BODY.replace("vid_0001", "vid_0002").into_bytes();
    assert_eq!(bytes.len(), BR19_BODY.len());
    bytes
}

#[test]
fn listen_prints_the_br19_delivery_verified_over_its_raw_bytes() {
    let hook = listen(BR19_SECRET, &["--max-events", "1"]);
    let sig = signature(BR19_BODY.as_bytes(), BR19_SECRET);
    let signed = [("heygen-signature", sig.as_str())];
    // The same signature over re-serialized bytes, or one changed byte, is refused.
    assert_eq!(post(&hook.url, &signed, &reserialized()), 401);
    assert_eq!(post(&hook.url, &signed, &flipped()), 401);
    // The bytes as sent verify.
    assert_eq!(post(&hook.url, &signed, BR19_BODY.as_bytes()), 200);
    let done = hook.finish();
    assert_eq!(done.code, 0, "{done:?}");
    assert_eq!(done.stdout.len(), 1, "{done:?}");
    // event_data is printed as sent: members in their order, only inter-token spaces dropped.
    assert_eq!(
        done.stdout[0],
        r#"{"event_type":"avatar_video.success","event_data":{"video_id":"vid_0001","url":"https://files.example.com/v.mp4","callback_id":"cb_1"}}"#
    );
    let errors = done.errors();
    assert_eq!(errors.len(), 2, "{done:?}");
    for error in &errors {
        assert_eq!(error["code"], "signature_mismatch", "{done:?}");
        assert_eq!(error["status"], 401, "{done:?}");
    }
    assert!(
        done.stderr
            .last()
            .unwrap()
            .contains("stopped after 1 verified event")
    );
    done.assert_never_printed(&[BR19_SECRET, &sig]);
}

#[test]
fn listen_accepts_the_plain_signature_header_and_every_configured_secret() {
    // Two secrets, as during a rotation; blanks around the commas are ignored.
    let hook = listen(" whsec_old_0001 , whsec_new_0002 ", &["--max-events", "2"]);
    let body = br#"{"event_id":"evt_a","event_type":"avatar_video.fail","event_data":{"video_id":"vid_7","msg":"Render failed","callback_id":null}}"#;
    let sig = signature(body, "whsec_new_0002");
    assert_eq!(post(&hook.url, &[("signature", sig.as_str())], body), 200);
    let other = br#"{"event_type":"brand_new.event","event_data":{"foo":1}}"#;
    assert_eq!(
        post_signed(&hook.url, other, "whsec_old_0001", Some("evt_b")),
        200
    );
    let done = hook.finish();
    assert_eq!(done.code, 0, "{done:?}");
    let events = done.events();
    assert_eq!(
        events,
        [
            json!({"event_id": "evt_a", "event_type": "avatar_video.fail",
                   "event_data": {"video_id": "vid_7", "msg": "Render failed", "callback_id": null}}),
            json!({"event_id": "evt_b", "event_type": "brand_new.event", "event_data": {"foo": 1}}),
        ]
    );
    assert!(done.errors().is_empty(), "{done:?}");
    done.assert_never_printed(&["whsec_old_0001", "whsec_new_0002", &sig]);
}

#[test]
fn listen_refuses_missing_and_malformed_signatures_and_stale_or_future_timestamps() {
    let hook = listen(BR19_SECRET, &["--max-events", "1"]);
    let body = BR19_BODY.as_bytes();
    let sig = signature(body, BR19_SECRET);
    let stale = (unix_now() - 600).to_string();
    let future = (unix_now() + 600).to_string();
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[], "missing_signature"),
        (&[("heygen-signature", "not-hex")], "malformed_signature"),
        (
            &[("heygen-signature", &sig), ("heygen-timestamp", &stale)],
            "stale_timestamp",
        ),
        (
            &[("heygen-signature", &sig), ("heygen-timestamp", &future)],
            "future_timestamp",
        ),
        (
            &[
                ("heygen-signature", &sig),
                ("heygen-timestamp", "yesterday"),
            ],
            "malformed_timestamp",
        ),
    ];
    for (headers, _) in cases {
        assert_eq!(post(&hook.url, headers, body), 401, "{headers:?}");
    }
    // A signed body that is not an event is a 400, not a 401.
    let not_event = br#"{"hello":"world"}"#;
    let not_event_sig = signature(not_event, BR19_SECRET);
    assert_eq!(
        post(
            &hook.url,
            &[("heygen-signature", &not_event_sig)],
            not_event
        ),
        400
    );
    assert_eq!(
        post_signed(&hook.url, body, BR19_SECRET, Some("evt_fresh")),
        200
    );
    let done = hook.finish();
    assert_eq!(done.code, 0, "{done:?}");
    assert_eq!(done.events().len(), 1);
    assert_eq!(done.events()[0]["event_id"], "evt_fresh");
    let codes: Vec<Value> = done.errors().iter().map(|e| e["code"].clone()).collect();
    let mut want: Vec<Value> = cases.iter().map(|(_, code)| json!(code)).collect();
    want.push(json!("invalid_payload"));
    assert_eq!(codes, want, "{done:?}");
    assert_eq!(done.errors()[5]["status"], 400);
    done.assert_never_printed(&[BR19_SECRET, &sig]);
}

#[test]
fn listen_prints_a_redelivered_event_once() {
    let hook = listen(BR19_SECRET, &["--max-events", "3"]);
    let body = BR19_BODY.as_bytes();
    // No id in the body: the one from Heygen-Event-Id names it; three deliveries, one line.
    for _ in 0..3 {
        assert_eq!(
            post_signed(&hook.url, body, BR19_SECRET, Some("evt_1")),
            200
        );
    }
    // The id from the (signed) body.
    let with_id = br#"{"event_id":"evt_body","event_type":"avatar_video.success","event_data":{"video_id":"vid_2"}}"#;
    for _ in 0..2 {
        assert_eq!(post_signed(&hook.url, with_id, BR19_SECRET, None), 200);
    }
    // The same bytes under a fresh header id are a replay (the header is not signed): the
    // body's digest keys them, so they are not printed again.
    assert_eq!(
        post_signed(&hook.url, body, BR19_SECRET, Some("evt_forged")),
        200
    );
    let other = br#"{"event_type":"avatar_video.success","event_data":{"video_id":"vid_3"}}"#;
    assert_eq!(
        post_signed(&hook.url, other, BR19_SECRET, Some("evt_2")),
        200
    );
    let done = hook.finish();
    assert_eq!(done.code, 0, "{done:?}");
    let ids: Vec<Value> = done
        .events()
        .iter()
        .map(|e| e["event_id"].clone())
        .collect();
    assert_eq!(ids, [json!("evt_1"), json!("evt_body"), json!("evt_2")]);
}

#[test]
fn listen_answers_413_above_one_mib_200_to_probes_and_exits_0_on_sigterm() {
    let hook = listen(BR19_SECRET, &["--path", "/hooks/heygen"]);
    assert!(hook.url.ends_with("/hooks/heygen"), "{}", hook.url);
    let origin = hook.origin();
    for (method, url) in [
        ("GET", origin.as_str()),
        ("GET", hook.url.as_str()),
        ("OPTIONS", hook.url.as_str()),
        ("HEAD", hook.url.as_str()),
    ] {
        let (status, _) = request(method, url, &[], b"", Framing::Length);
        assert_eq!(status, 200, "{method} {url}");
    }
    let (status, _) = request("DELETE", &hook.url, &[], b"", Framing::Length);
    assert_eq!(status, 405);
    let sig = signature(BR19_BODY.as_bytes(), BR19_SECRET);
    let signed = [("heygen-signature", sig.as_str())];
    assert_eq!(
        post(
            &format!("{origin}/elsewhere"),
            &signed,
            BR19_BODY.as_bytes()
        ),
        404
    );
    // 1 MiB is read and checked; one byte more is refused before the signature, however it is
    // framed.
    let mib = vec![b' '; 1024 * 1024];
    assert_eq!(post(&hook.url, &signed, &mib), 401);
    let over = vec![b' '; 1024 * 1024 + 1];
    for framing in [Framing::Length, Framing::Chunked] {
        let (status, _) = request("POST", &hook.url, &signed, &over, framing);
        assert_eq!(status, 413, "{framing:?}");
    }
    // Still serving after all that.
    assert_eq!(post(&hook.url, &signed, BR19_BODY.as_bytes()), 200);
    assert!(hook.next_event(Duration::from_secs(10)).is_some());
    let done = hook.terminate();
    assert_eq!(done.code, 0, "{done:?}");
    let codes: Vec<Value> = done.errors().iter().map(|e| e["code"].clone()).collect();
    assert_eq!(
        codes,
        [
            json!("signature_mismatch"),
            json!("payload_too_large"),
            json!("payload_too_large")
        ],
        "{done:?}"
    );
    assert_eq!(done.errors()[1]["status"], 413);
    assert!(done.stdout.is_empty(), "printed before SIGTERM: {done:?}");
}

#[test]
fn listen_and_verify_without_a_secret_are_usage_errors() {
    for env in [&[][..], &[("HEYGEN_WEBHOOK_SECRET", " , ")][..]] {
        let run = heygen(&["webhook", "listen", "--port", "0"], env);
        run.failed(2, "cli_missing_webhook_secret");
        let run = heygen_with_stdin(
            &["webhook", "verify", "--signature", &"0".repeat(64)],
            env,
            Some(BR19_BODY),
        );
        run.failed(2, "cli_missing_webhook_secret");
    }
    // The secret is never an argument.
    let run = heygen(
        &["webhook", "listen", "--secret", "whsec_on_the_command_line"],
        &[],
    );
    let error = run.failed(2, "cli_usage_error");
    assert!(!run.stderr.contains("whsec_on_the_command_line"), "{error}");
}

#[test]
fn listen_reports_a_port_in_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = heygen(
        &["webhook", "listen", "--port", &port],
        &[("HEYGEN_WEBHOOK_SECRET", BR19_SECRET)],
    );
    run.failed(1, "cli_listen_failed");
}

/// Runs `heygen webhook verify` with `args` and `body` on stdin, under the BR-19 secret.
fn verify(args: &[&str], body: &[u8]) -> crate::support::Run {
    let mut all = vec!["webhook", "verify"];
    all.extend_from_slice(args);
    let run = heygen_with_stdin(
        &all,
        &[("HEYGEN_WEBHOOK_SECRET", BR19_SECRET)],
        Some(std::str::from_utf8(body).unwrap()),
    );
    assert!(!run.stdout.contains(BR19_SECRET) && !run.stderr.contains(BR19_SECRET));
    run
}

#[test]
fn verify_checks_a_saved_delivery() {
    let body = BR19_BODY.as_bytes();
    let sig = signature(body, BR19_SECRET);
    let run = verify(&["--signature", &sig], body);
    let out = run.ok();
    assert_eq!(
        out,
        json!({"data": {"event_type": "avatar_video.success", "event_data": {
            "video_id": "vid_0001", "url": "https://files.example.com/v.mp4", "callback_id": "cb_1"}}})
    );
    assert!(!run.stdout.contains(&sig));
    let now = unix_now().to_string();
    let run = verify(
        &[
            "--signature",
            &sig,
            "--timestamp",
            &now,
            "--event-id",
            "evt_9",
        ],
        body,
    );
    assert_eq!(run.ok()["data"]["event_id"], "evt_9");

    let refused = |args: &[&str], body: &[u8], code: &str| {
        let run = verify(args, body);
        let error = run.failed(1, code);
        assert!(error.get("status").is_none(), "{run:?}");
        assert!(!run.stderr.contains(&sig), "{run:?}");
    };
    refused(
        &["--signature", &sig],
        &reserialized(),
        "signature_mismatch",
    );
    refused(&["--signature", &sig], &flipped(), "signature_mismatch");
    refused(&["--signature", "abc"], body, "malformed_signature");
    let stale = (unix_now() - 3600).to_string();
    refused(
        &["--signature", &sig, "--timestamp", &stale],
        body,
        "stale_timestamp",
    );
    refused(
        &["--signature", &sig, "--timestamp", "soon"],
        body,
        "malformed_timestamp",
    );
    let not_event = br#"{"hello":"world"}"#;
    refused(
        &["--signature", &signature(not_event, BR19_SECRET)],
        not_event,
        "invalid_payload",
    );
    // A signature under another secret.
    refused(
        &["--signature", &signature(body, "whsec_other")],
        body,
        "signature_mismatch",
    );
}
