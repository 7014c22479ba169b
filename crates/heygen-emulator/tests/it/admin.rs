//! The admin API and the handle's helpers.

use serde_json::json;

use crate::Emu;

#[test]
fn admin_clock_consent_log_reset() {
    let emu = Emu::start();
    let h = emu.raw("GET", "/_emulator/health", &[], None).json();
    assert_eq!(h["status"], "ok");
    let before = emu.raw("GET", "/_emulator/clock", &[], None).json()["now"]
        .as_i64()
        .unwrap();
    let adv = emu
        .raw(
            "POST",
            "/_emulator/clock/advance",
            &[],
            Some(b"{\"seconds\":3600}".to_vec()),
        )
        .json();
    assert!(adv["now"].as_i64().unwrap() >= before + 3600);

    let twin = emu.post(
        "/v3/avatars",
        &json!({"type": "digital_twin", "name": "T", "file": {"type": "url", "url": "https://example.com/f.mp4"}}),
    );
    let gid = twin["data"]["avatar_group"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = emu.raw(
        "POST",
        &format!("/_emulator/consent/{gid}/approve"),
        &[],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["consent_status"], "approved");
    emu.raw("POST", "/_emulator/consent/nope/approve", &[], None)
        .assert_error(404, "avatar_not_found", None);
    emu.raw(
        "POST",
        "/_emulator/clock/advance",
        &[],
        Some(b"{\"seconds\":120}".to_vec()),
    );
    assert_eq!(
        emu.get(&format!("/v3/avatars/{gid}"))["data"]["status"],
        "completed"
    );

    let log = emu.raw("GET", "/_emulator/requests", &[], None).json();
    let reqs = log["requests"].as_array().unwrap();
    assert!(
        reqs.iter()
            .all(|r| !r["path"].as_str().unwrap().starts_with("/_emulator"))
    );
    let post = reqs.iter().find(|r| r["method"] == "POST").unwrap();
    assert_eq!(post["headers"]["x-api-key"], "<redacted>");
    assert!(post["body_bytes"].as_u64().unwrap() > 10);
    assert_eq!(post["status"], 200);
    assert!(post["request_id"].as_str().unwrap().starts_with("req_"));

    assert_eq!(emu.raw("POST", "/_emulator/reset", &[], None).status, 200);
    emu.call("GET", &format!("/v3/avatars/{gid}"), None)
        .assert_error(404, "avatar_not_found", None);
    assert_eq!(emu.raw("GET", "/_emulator/nothing", &[], None).status, 404);
}

#[test]
fn same_seed_same_ids() {
    let a = Emu::start();
    let b = Emu::start();
    assert_eq!(a.photo("X"), b.photo("X"));
    let c = Emu::with(heygen_emulator::EmulatorOptions::default().seed(99));
    assert_ne!(a.photo("Y"), c.photo("Y"));
}

#[test]
fn speed_runs_the_clock_faster() {
    let emu = Emu::with(heygen_emulator::EmulatorOptions::default().speed(200.0));
    let (gid, _) = emu.photo("Fast");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        emu.get(&format!("/v3/avatars/{gid}"))["data"]["status"],
        "completed"
    );
}

#[test]
fn async_start_works_inside_a_runtime() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let h = heygen_emulator::Emulator::start_async(heygen_emulator::EmulatorOptions::default())
            .await
            .unwrap();
        let url = format!("{}/_emulator/health", h.base_url());
        let body = tokio::task::spawn_blocking(move || {
            crate::agent()
                .get(&url)
                .call()
                .unwrap()
                .into_body()
                .read_to_string()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(body.contains("\"ok\""));
    });
}
