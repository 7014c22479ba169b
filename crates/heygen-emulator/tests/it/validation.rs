//! Requests that break the API's rules get 4xx envelopes naming the parameter. These rules hold
//! in every mode; the strict-only ones are in `conformance`.

use base64::Engine as _;
use serde_json::{Value, json};

use crate::{Emu, png_bytes};

fn photo_with(file: &Value) -> Value {
    json!({"type": "photo", "name": "V", "file": file})
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

#[test]
fn json_body_rules_table() {
    let emu = Emu::start();
    let twin = emu.post(
        "/v3/avatars",
        &json!({"type": "digital_twin", "name": "T", "file": {"type": "url", "url": "https://example.com/f.mp4"}}),
    );
    let gid = twin["data"]["avatar_group"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let consent = format!("/v3/avatars/{gid}/consent");
    let (_, lid) = emu.photo("L");
    let look = format!("/v3/avatars/looks/{lid}");
    let png = png_bytes();
    let mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00".to_vec();
    let long_prompt = "x".repeat(1001);
    let img = json!({"type": "url", "url": "https://example.com/r.png"});
    let cases: Vec<(&str, &str, Value, u16, &str, &str)> = vec![
        (
            "POST",
            "/v3/avatars",
            json!({"type": "prompt", "name": "P", "prompt": long_prompt}),
            400,
            "invalid_parameter",
            "prompt",
        ),
        (
            "POST",
            "/v3/avatars",
            json!({"type": "prompt", "name": "P", "prompt": "p", "reference_images": [img, img, img, img]}),
            400,
            "invalid_parameter",
            "reference_images",
        ),
        (
            "POST",
            "/v3/avatars",
            json!({"type": "prompt", "name": "P", "prompt": "p", "reference_images": [{"type": "url", "url": "http://example.com/r.png"}]}),
            400,
            "invalid_parameter",
            "reference_images[0].url",
        ),
        (
            "POST",
            "/v3/avatars",
            photo_with(&json!({"type": "url", "url": "http://example.com/a.png"})),
            400,
            "invalid_parameter",
            "file.url",
        ),
        (
            "POST",
            "/v3/avatars",
            photo_with(&json!({"type": "url", "url": "example.com/a.png"})),
            400,
            "invalid_parameter",
            "file.url",
        ),
        (
            "POST",
            "/v3/avatars",
            photo_with(
                &json!({"type": "base64", "media_type": "image/png", "data": format!("data:image/png;base64,{}", b64(&png))}),
            ),
            400,
            "invalid_parameter",
            "file.data",
        ),
        (
            "POST",
            "/v3/avatars",
            photo_with(
                &json!({"type": "base64", "media_type": "image/png", "data": format!("{}\n{}", &b64(&png)[..20], &b64(&png)[20..])}),
            ),
            400,
            "invalid_parameter",
            "file.data",
        ),
        (
            "POST",
            "/v3/avatars",
            photo_with(
                &json!({"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo"}),
            ),
            400,
            "invalid_parameter",
            "file.data",
        ),
        (
            "POST",
            "/v3/avatars",
            photo_with(&json!({"type": "base64", "media_type": "image/jpeg", "data": b64(&png)})),
            400,
            "invalid_parameter",
            "file.media_type",
        ),
        (
            "POST",
            "/v3/avatars",
            photo_with(&json!({"type": "base64", "media_type": "image/gif", "data": b64(&png)})),
            400,
            "invalid_parameter",
            "file.media_type",
        ),
        (
            "POST",
            "/v3/avatars",
            photo_with(&json!({"type": "base64", "media_type": "video/mp4", "data": b64(&mp4)})),
            400,
            "invalid_parameter",
            "file.media_type",
        ),
        (
            "POST",
            "/v3/avatars",
            photo_with(&json!({"type": "base64", "content_type": "image/png", "data": b64(&png)})),
            400,
            "invalid_parameter",
            "file.media_type",
        ),
        (
            "POST",
            "/v3/avatars",
            photo_with(&json!({"type": "asset_id", "asset_id": "missing"})),
            400,
            "invalid_parameter",
            "file.asset_id",
        ),
        (
            "POST",
            "/v3/avatars",
            json!({"type": "photo", "file": img}),
            400,
            "invalid_parameter",
            "name",
        ),
        (
            "POST",
            "/v3/avatars",
            json!({"name": "N", "file": img}),
            400,
            "invalid_parameter",
            "type",
        ),
        (
            "POST",
            "/v3/avatars",
            json!({"type": "hologram", "name": "N", "file": img}),
            400,
            "invalid_parameter",
            "type",
        ),
        (
            "POST",
            "/v3/avatars",
            json!({"type": "photo", "name": "N", "file": img, "avatar_group_id": "nope"}),
            404,
            "avatar_not_found",
            "avatar_group_id",
        ),
        (
            "POST",
            &consent,
            json!({"consent_text": "I <b>agree</b>"}),
            400,
            "invalid_parameter",
            "consent_text",
        ),
        (
            "POST",
            &consent,
            json!({"consent_video": {"type": "url", "url": "https://example.com/c.mp4"}, "reroute_url": "https://example.com/"}),
            400,
            "invalid_parameter",
            "consent_video",
        ),
        (
            "POST",
            &consent,
            json!({"consent_video": {"type": "url", "url": "https://example.com/c.mp4"}, "consent_text": "ok"}),
            400,
            "invalid_parameter",
            "consent_video",
        ),
        (
            "POST",
            &consent,
            json!({"reroute_url": "not a url"}),
            400,
            "invalid_parameter",
            "reroute_url",
        ),
        (
            "PATCH",
            &look,
            json!({"name": 5}),
            400,
            "invalid_parameter",
            "name",
        ),
        (
            "POST",
            "/v3/assets/direct-uploads",
            json!({"filename": "a.mp4", "content_type": "video/mp4", "size_bytes": 10, "checksum_sha256": "abc"}),
            400,
            "invalid_parameter",
            "checksum_sha256",
        ),
        (
            "POST",
            "/v3/assets/direct-uploads",
            json!({"filename": "a.mp4", "content_type": "video/mp4"}),
            400,
            "invalid_parameter",
            "size_bytes",
        ),
        (
            "POST",
            "/v3/videos",
            json!({"type": "avatar", "avatar_id": "Abigail_office_front_public"}),
            400,
            "invalid_parameter",
            "script",
        ),
        (
            "POST",
            "/v3/videos",
            json!({"type": "avatar", "avatar_id": "Abigail_office_front_public", "audio_asset_id": "missing"}),
            400,
            "invalid_parameter",
            "audio_asset_id",
        ),
        (
            "POST",
            "/v3/videos",
            json!({"type": "avatar", "avatar_id": "nope", "script": "x"}),
            404,
            "avatar_not_found",
            "avatar_id",
        ),
        (
            "POST",
            "/v3/videos",
            json!({"type": "image", "image": {"type": "url", "url": "ftp://example.com/i.png"}, "script": "x"}),
            400,
            "invalid_parameter",
            "image.url",
        ),
        (
            "POST",
            "/v3/videos",
            json!({"type": "avatar", "avatar_id": "Abigail_office_front_public", "script": "x", "aspect_ratio": "3:2"}),
            400,
            "invalid_parameter",
            "aspect_ratio",
        ),
    ];
    for (method, path, body, status, code, param) in cases {
        let r = emu.call(method, path, Some(&body));
        assert_eq!(r.status, status, "{method} {path} {body}: {}", r.text());
        let v = r.json();
        assert_eq!(v["error"]["code"], code, "{method} {path} {body}: {v}");
        assert_eq!(v["error"]["param"], param, "{method} {path} {body}: {v}");
    }
}

#[test]
fn query_rules_table() {
    let emu = Emu::start();
    for (path, param) in [
        ("/v3/avatars/looks?limit=0", "limit"),
        ("/v3/avatars/looks?limit=51", "limit"),
        ("/v3/avatars/looks?limit=ten", "limit"),
        ("/v3/avatars?limit=51", "limit"),
        ("/v3/avatars/looks?ownership=everyone", "ownership"),
        ("/v3/avatars/looks?avatar_type=hologram", "avatar_type"),
        ("/v3/avatars/looks?token=garbage", "token"),
        ("/v3/avatars?token=ZW11MTpsb29rczo3MQ", "token"),
        ("/v3/videos?limit=101", "limit"),
    ] {
        emu.call("GET", path, None)
            .assert_error(400, "invalid_parameter", Some(param));
    }
    assert_eq!(emu.get("/v3/videos?limit=100")["data"], json!([]));
    assert_eq!(
        emu.get("/v3/avatars/looks?limit=50")["data"]
            .as_array()
            .unwrap()
            .len(),
        50
    );
}

#[test]
fn framing_rules() {
    let emu = Emu::start();
    let key = emu.h.api_key().to_owned();
    let body = serde_json::to_vec(&json!({"type": "photo", "name": "N", "file": {"type": "url", "url": "https://example.com/a.png"}})).unwrap();
    emu.raw(
        "POST",
        "/v3/avatars",
        &[("X-Api-Key", &key), ("Content-Type", "text/plain")],
        Some(body.clone()),
    )
    .assert_error(400, "invalid_parameter", Some("Content-Type"));
    emu.raw(
        "POST",
        "/v3/avatars",
        &[("X-Api-Key", &key)],
        Some(body.clone()),
    )
    .assert_error(400, "invalid_parameter", Some("Content-Type"));
    let ok = emu.raw(
        "POST",
        "/v3/avatars",
        &[
            ("X-Api-Key", &key),
            ("Content-Type", "application/json; charset=utf-8"),
        ],
        Some(body.clone()),
    );
    assert_eq!(ok.status, 200);
    let json_ct = [
        ("X-Api-Key", key.as_str()),
        ("Content-Type", "application/json"),
    ];
    emu.raw("POST", "/v3/assets/x/complete", &json_ct, Some(Vec::new()))
        .assert_error(400, "invalid_parameter", Some("body"));
    emu.raw("POST", "/v3/avatars", &json_ct, Some(b"{not json".to_vec()))
        .assert_error(400, "invalid_parameter", Some("body"));
    emu.raw("POST", "/v3/avatars", &json_ct, Some(b"[]".to_vec()))
        .assert_error(400, "invalid_parameter", Some("body"));
    let long = "k".repeat(256);
    for bad in ["has space", "semi;colon", long.as_str()] {
        let mut h = json_ct.to_vec();
        h.push(("Idempotency-Key", bad));
        emu.raw("POST", "/v3/avatars", &h, Some(body.clone()))
            .assert_error(400, "invalid_parameter", Some("Idempotency-Key"));
    }
    // Multipart needs multipart.
    emu.raw("POST", "/v3/assets", &json_ct, Some(b"{}".to_vec()))
        .assert_error(400, "invalid_parameter", Some("Content-Type"));
}

/// Reads one HTTP/1.1 response with a `Content-Length` body; `None` when the server closed the
/// connection instead.
fn read_response(s: &mut std::net::TcpStream) -> Option<(u16, String)> {
    use std::io::Read as _;
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    Some((status, String::from_utf8_lossy(&body).into_owned()))
}

/// A reply sent before the request body was read (a refused key, an admin call that ignores
/// its body) still reads that body, so the client can send its next request on the same
/// connection instead of racing the server's close.
#[test]
fn a_reply_before_the_body_keeps_the_connection_open() {
    use std::io::Write as _;
    use std::time::Duration;
    let emu = Emu::start();
    let addr = emu.h.addr();
    let key = emu.h.api_key().to_owned();
    let json =
        r#"{"type":"photo","name":"N","file":{"type":"url","url":"https://example.com/a.png"}}"#;
    let len = json.len();
    // (head, body): the body follows its head a moment later, as a client may write them.
    let first_requests = [
        (
            format!(
                "POST /v3/avatars HTTP/1.1\r\nHost: x\r\nX-Api-Key: {key}\r\n\
                 Content-Type: application/json\r\nIdempotency-Key: has space\r\n\
                 Content-Length: {len}\r\n\r\n"
            ),
            json,
        ),
        (
            format!(
                "POST /v3/avatars HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                 Content-Length: {len}\r\n\r\n"
            ),
            json,
        ),
        (
            format!(
                "PUT /v3/videos HTTP/1.1\r\nHost: x\r\nX-Api-Key: {key}\r\n\
                 Content-Length: {len}\r\n\r\n"
            ),
            json,
        ),
        (
            "POST /_emulator/reset HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                .to_owned(),
            "0\r\n\r\n",
        ),
        (
            "POST /consent/unknown/approve HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n"
                .to_owned(),
            "ok=sure",
        ),
    ];
    for (head, body) in first_requests {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        s.write_all(body.as_bytes()).unwrap();
        let (status, _) = read_response(&mut s).unwrap();
        assert!(status >= 200, "{head}");
        // Give a closing server time to close, so a reuse would fail every time.
        std::thread::sleep(Duration::from_millis(50));
        let second = format!("GET /v3/users/me HTTP/1.1\r\nHost: x\r\nX-Api-Key: {key}\r\n\r\n");
        s.write_all(second.as_bytes()).unwrap();
        let reply = read_response(&mut s);
        assert_eq!(
            reply.as_ref().map(|r| r.0),
            Some(200),
            "the connection closed after: {head}"
        );
    }
}
