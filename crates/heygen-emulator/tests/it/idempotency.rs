//! `Idempotency-Key`: replay, in-flight conflict, expiry.

use heygen_emulator::{Fault, FaultRule};
use serde_json::{Value, json};

use crate::{Emu, Resp};

fn create(emu: &Emu, key: &str, name: &str) -> Resp {
    send(
        emu,
        key,
        &json!({"type": "photo", "name": name, "file": {"type": "url", "url": "https://example.com/p.png"}}),
    )
}

fn send(emu: &Emu, key: &str, body: &Value) -> Resp {
    let api_key = emu.h.api_key().to_owned();
    emu.raw(
        "POST",
        "/v3/avatars",
        &[
            ("X-Api-Key", &api_key),
            ("Content-Type", "application/json"),
            ("Idempotency-Key", key),
        ],
        Some(serde_json::to_vec(body).unwrap()),
    )
}

fn private_groups(emu: &Emu) -> usize {
    emu.get("/v3/avatars?ownership=private&limit=50")["data"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn replay_returns_the_first_response() {
    let emu = Emu::start();
    let a = create(&emu, "create-photo:1", "Once");
    assert_eq!(a.status, 200);
    let b = create(&emu, "create-photo:1", "Once");
    assert_eq!(b.status, 200);
    assert_eq!(a.json(), b.json());
    assert_eq!(b.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(private_groups(&emu), 1);
    // Same key, different body → conflict.
    create(&emu, "create-photo:1", "Other").assert_error(409, "conflict", Some("Idempotency-Key"));
    // After 24 h of emulated time the key is forgotten.
    emu.advance(24 * 3600 + 1);
    let c = create(&emu, "create-photo:1", "Once");
    assert_eq!(c.status, 200);
    assert_ne!(
        c.json()["data"]["avatar_group"]["id"],
        a.json()["data"]["avatar_group"]["id"]
    );
    assert_eq!(private_groups(&emu), 2);
}

#[test]
fn repeat_while_in_flight_is_409() {
    let emu = Emu::start();
    emu.h.inject(
        FaultRule::new("/v3/avatars", Fault::Delay { ms: 1500 })
            .method("POST")
            .times(1),
    );
    std::thread::scope(|s| {
        let first = s.spawn(|| create(&emu, "k-inflight", "Slow"));
        // Wait until the first request is inside its delay (logged, no status yet).
        while !emu
            .h
            .requests()
            .iter()
            .any(|r| r.fault.as_deref() == Some("delay"))
        {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        let second = create(&emu, "k-inflight", "Slow");
        second.assert_error(409, "request_in_progress", None);
        let first = first.join().unwrap();
        assert_eq!(first.status, 200);
        let third = create(&emu, "k-inflight", "Slow");
        assert_eq!(third.json(), first.json());
    });
    assert_eq!(private_groups(&emu), 1);
}

#[test]
fn errors_are_replayed_too_but_5xx_faults_are_not_stored() {
    let emu = Emu::start();
    emu.h.inject(
        FaultRule::new(
            "/v3/avatars",
            Fault::Status {
                status: 503,
                code: None,
                message: None,
                retry_after: None,
            },
        )
        .times(1),
    );
    let a = create(&emu, "k-retry", "Retry me");
    assert_eq!(a.status, 503);
    let b = create(&emu, "k-retry", "Retry me");
    assert_eq!(
        b.status, 200,
        "a retry after a gateway 503 runs the request"
    );
    let nameless =
        json!({"type": "photo", "file": {"type": "url", "url": "https://example.com/p.png"}});
    let bad = send(&emu, "k-bad", &nameless);
    bad.assert_error(400, "invalid_parameter", Some("name"));
    let again = send(&emu, "k-bad", &nameless);
    assert_eq!(again.json(), bad.json());
    let _: Value = again.json();
}
