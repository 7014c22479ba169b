//! Every fault kind, injected through the Rust API and through the admin HTTP API.

use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

use heygen_emulator::{Fault, FaultRule, RetryAfter};
use serde_json::{Value, json};

use crate::{Emu, assert_schema};

fn me(emu: &Emu) -> crate::Resp {
    emu.call("GET", "/v3/users/me", None)
}

/// Sends a raw HTTP/1.1 request and returns every byte until the server closes.
fn raw_tcp(emu: &Emu, path: &str) -> Vec<u8> {
    let mut s = std::net::TcpStream::connect(emu.h.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {}\r\nConnection: close\r\n\r\n",
        emu.h.api_key()
    )
    .unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    out
}

#[test]
fn status_with_envelope_for_the_next_two_attempts() {
    let emu = Emu::start();
    emu.h.inject(
        FaultRule::new(
            "/v3/users/*",
            Fault::Status {
                status: 503,
                code: None,
                message: None,
                retry_after: Some(RetryAfter::Seconds(2)),
            },
        )
        .method("GET")
        .times(2),
    );
    for _ in 0..2 {
        let r = me(&emu);
        r.assert_error(503, "internal_error", None);
        assert_eq!(r.header("retry-after").as_deref(), Some("2"));
    }
    assert_eq!(me(&emu).status, 200);
    let log = emu.h.requests();
    assert_eq!(
        log.iter()
            .filter(|r| r.fault.as_deref() == Some("status"))
            .count(),
        2
    );
}

#[test]
fn retry_after_as_http_date_and_custom_code() {
    let emu = Emu::start();
    emu.h.inject(
        FaultRule::new(
            "/v3/users/me",
            Fault::Status {
                status: 429,
                code: Some("rate_limit_exceeded".into()),
                message: Some("slow down".into()),
                retry_after: Some(RetryAfter::HttpDate(3)),
            },
        )
        .times(1),
    );
    let r = me(&emu);
    r.assert_error(429, "rate_limit_exceeded", None);
    let when = httpdate::parse_http_date(&r.header("retry-after").unwrap()).unwrap();
    let secs = when
        .duration_since(std::time::SystemTime::now())
        .unwrap_or_default()
        .as_secs();
    assert!((1..=3).contains(&secs), "{secs}");
}

#[test]
fn html_status_page() {
    let emu = Emu::start();
    emu.h.inject(
        FaultRule::new(
            "/v3/**",
            Fault::Html {
                status: 502,
                retry_after: None,
            },
        )
        .times(1),
    );
    let r = me(&emu);
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("<html>"));
    assert!(r.header("x-request-id").is_some());
}

#[test]
fn error_object_in_a_200() {
    let emu = Emu::start();
    emu.h.inject(
        FaultRule::new(
            "/v3/videos/*",
            Fault::ErrorIn200 {
                code: None,
                message: Some("video_id is invalid or expired".into()),
            },
        )
        .times(1),
    );
    let r = emu.call("GET", "/v3/videos/vid_0001", None);
    assert_eq!(r.status, 200);
    let v = r.json();
    assert!(v["data"].is_null());
    assert_eq!(v["error"]["code"], "invalid_parameter");
}

#[test]
fn delay_before_headers() {
    let emu = Emu::start();
    emu.h
        .inject(FaultRule::new("/v3/users/me", Fault::Delay { ms: 300 }).times(1));
    let t = Instant::now();
    assert_eq!(me(&emu).status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
}

#[test]
fn stall_mid_body() {
    let emu = Emu::start();
    emu.h.inject(
        FaultRule::new(
            "/v3/users/me",
            Fault::StallBody {
                after_bytes: 10,
                ms: 400,
            },
        )
        .times(2),
    );
    let t = Instant::now();
    let r = me(&emu);
    assert_eq!(r.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(400));
    assert_schema("GET", "/v3/users/me", &r.json());
    // A client with a short body timeout gives up in the stall.
    let impatient: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_recv_body(Some(Duration::from_millis(100)))
        .build()
        .into();
    let resp = impatient
        .get(emu.url("/v3/users/me"))
        .header("X-Api-Key", emu.h.api_key())
        .call()
        .unwrap();
    assert!(resp.into_body().read_to_vec().is_err());
}

#[test]
fn close_before_any_byte() {
    let emu = Emu::start();
    emu.h
        .inject(FaultRule::new("/v3/users/me", Fault::Close).times(2));
    assert!(
        emu.try_raw(
            "GET",
            "/v3/users/me",
            &[("X-Api-Key", emu.h.api_key())],
            None
        )
        .is_err()
    );
    assert!(
        raw_tcp(&emu, "/v3/users/me").is_empty(),
        "not a single byte"
    );
    assert_eq!(me(&emu).status, 200);
    assert_eq!(
        emu.h
            .requests()
            .iter()
            .filter(|r| r.fault.as_deref() == Some("close"))
            .count(),
        2
    );
}

#[test]
fn truncate_against_content_length() {
    let emu = Emu::start();
    emu.h.inject(
        FaultRule::new(
            "/v3/users/me",
            Fault::Truncate {
                keep_bytes: Some(40),
            },
        )
        .times(2),
    );
    assert!(
        emu.try_raw(
            "GET",
            "/v3/users/me",
            &[("X-Api-Key", emu.h.api_key())],
            None
        )
        .is_err()
    );
    let bytes = raw_tcp(&emu, "/v3/users/me");
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap();
    assert_eq!(body.len(), 40);
    assert!(len > 40);
}

#[test]
fn gzip_encoded_body() {
    let emu = Emu::start();
    emu.h
        .inject(FaultRule::new("/v3/avatars/looks", Fault::Gzip).times(1));
    let r = emu.call("GET", "/v3/avatars/looks?limit=3", None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding").as_deref(), Some("gzip"));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&r.body[..])
        .read_to_end(&mut out)
        .unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_schema("GET", "/v3/avatars/looks", &v);
    assert_eq!(v["data"].as_array().unwrap().len(), 3);
}

#[test]
fn redirect_to_another_origin_records_what_arrives() {
    let emu = Emu::start();
    for status in [301u16, 302, 307] {
        emu.h.inject(
            FaultRule::new("/v3/videos/*", Fault::Redirect { status, host: None }).times(1),
        );
        let r = emu.call("GET", "/v3/videos/abc?x=1", None);
        assert_eq!(r.status, status);
        let loc = r.header("location").unwrap();
        assert_eq!(
            loc,
            format!("{}/v3/videos/abc?x=1", emu.h.other_origin_url())
        );
        // A well-behaved client follows without the key; a leaky one sends it.
        let clean = emu.raw("GET", &loc, &[], None);
        clean.assert_error(401, "unauthorized", None);
    }
    let key = emu.h.api_key().to_owned();
    emu.raw(
        "GET",
        &format!("{}/v3/videos/abc", emu.h.other_origin_url()),
        &[("X-Api-Key", &key)],
        None,
    );
    let seen = emu.h.other_origin_requests();
    assert_eq!(seen.len(), 4);
    assert!(
        seen[..3]
            .iter()
            .all(|r| !r.headers.contains_key("x-api-key") && !r.credentials_rejected)
    );
    assert!(seen[3].credentials_rejected);
    assert_eq!(seen[3].headers["x-api-key"], "<redacted>");
    // Also visible through the admin API.
    let v = emu
        .raw("GET", "/_emulator/other-origin/requests", &[], None)
        .json();
    assert_eq!(v["requests"].as_array().unwrap().len(), 4);
}

#[test]
fn oversized_body() {
    let emu = Emu::start();
    emu.h
        .inject(FaultRule::new("/v3/users/me", Fault::Oversized { bytes: None }).times(1));
    let r = me(&emu);
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 20 * 1024 * 1024);
    assert_eq!(
        r.header("content-length").unwrap(),
        (20 * 1024 * 1024).to_string()
    );
    assert!(r.body.starts_with(b"{\"data\":{\"padding\":\""));
}

#[test]
fn unknown_enum_values() {
    let emu = Emu::start();
    let (gid, _) = emu.photo("E");
    emu.h
        .inject(FaultRule::new("/v3/avatars/*", Fault::UnknownEnums).times(1));
    let v = emu.call("GET", &format!("/v3/avatars/{gid}"), None).json();
    assert_eq!(v["data"]["status"], "emulator_future_status");
    assert!(heygen_emulator::validate_response("GET", "/v3/avatars/{group_id}", &v).is_err());
    emu.h
        .inject(FaultRule::new("/v3/avatars/looks", Fault::UnknownEnums).times(1));
    let l = emu.call("GET", "/v3/avatars/looks?limit=2", None).json();
    assert_eq!(l["data"][0]["avatar_type"], "emulator_future_avatar_type");
}

#[test]
fn extra_fields_still_validate() {
    let emu = Emu::start();
    emu.h
        .inject(FaultRule::new("/v3/avatars/looks", Fault::ExtraFields).times(1));
    let v = emu.call("GET", "/v3/avatars/looks?limit=2", None).json();
    assert!(v["emulator_extra_field"].is_object());
    assert!(v["data"][0]["emulator_extra_field"].is_object());
    assert_schema("GET", "/v3/avatars/looks", &v);
}

#[test]
fn sequencing_with_after_and_admin_json() {
    let emu = Emu::start();
    let rules = json!([
        {"method": "GET", "path": "/v3/users/me", "after": 1, "times": 1, "fault": {"kind": "status", "status": 500}},
        {"path": "/v3/users/me", "times": 1, "fault": {"kind": "html", "status": 504, "retry_after": {"seconds": 1}}}
    ]);
    let r = emu.raw(
        "POST",
        "/_emulator/faults",
        &[("Content-Type", "application/json")],
        Some(serde_json::to_vec(&rules).unwrap()),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["rules"], 2);
    // 1st: the first rule lets it through (after=1) but the second fires (html 504).
    assert_eq!(me(&emu).status, 504);
    // 2nd: the first rule fires.
    me(&emu).assert_error(500, "internal_error", None);
    // Then both are spent.
    assert_eq!(me(&emu).status, 200);
    let listed = emu.raw("GET", "/_emulator/faults", &[], None).json();
    assert_eq!(listed["rules"][0]["fired"], 1);
    assert_eq!(
        emu.raw("DELETE", "/_emulator/faults", &[], None).status,
        200
    );
    let bad = emu.raw(
        "POST",
        "/_emulator/faults",
        &[],
        Some(b"{\"path\":\"/x\",\"fault\":{\"kind\":\"nope\"}}".to_vec()),
    );
    bad.assert_error(400, "invalid_parameter", Some("body"));
    // Faults apply to the storage PUT as well.
    emu.h.inject(
        FaultRule::new(
            "/_storage/*",
            Fault::Status {
                status: 503,
                code: None,
                message: None,
                retry_after: None,
            },
        )
        .method("PUT")
        .times(1),
    );
    let du = emu.post(
        "/v3/assets/direct-uploads",
        &json!({"filename": "a.png", "content_type": "image/png", "size_bytes": 72}),
    );
    let url = du["data"]["upload_url"].as_str().unwrap().to_owned();
    assert_eq!(
        emu.raw(
            "PUT",
            &url,
            &[("Content-Type", "image/png")],
            Some(crate::png_bytes())
        )
        .status,
        503
    );
    assert_eq!(
        emu.raw(
            "PUT",
            &url,
            &[("Content-Type", "image/png")],
            Some(crate::png_bytes())
        )
        .status,
        200
    );
}
