//! Multipart uploads and direct uploads.

use serde_json::json;

use crate::flows::multipart_body;
use crate::{Emu, png_bytes, sha256_hex};

fn direct(emu: &Emu, data: &[u8], checksum: Option<String>) -> (String, String) {
    let mut body =
        json!({"filename": "clip.mp4", "content_type": "video/mp4", "size_bytes": data.len()});
    if let Some(c) = checksum {
        body["checksum_sha256"] = json!(c);
    }
    let v = emu.post("/v3/assets/direct-uploads", &body);
    let d = &v["data"];
    assert_eq!(d["status"], "pending_upload");
    assert_eq!(d["upload_headers"]["Content-Type"], "video/mp4");
    let url = d["upload_url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{}/_storage/", emu.h.base_url())));
    assert!(
        url.contains("%2F"),
        "the signature carries an encoded slash: {url}"
    );
    (d["asset_id"].as_str().unwrap().to_owned(), url)
}

fn mp4(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    b[4..8].copy_from_slice(b"ftyp");
    for (i, x) in b.iter_mut().enumerate().skip(8) {
        *x = u8::try_from(i % 251).unwrap();
    }
    b
}

#[test]
fn direct_upload_with_checksum_then_complete() {
    let emu = Emu::start();
    let data = mp4(300_000);
    let (id, url) = direct(&emu, &data, Some(sha256_hex(&data)));
    // Not uploaded yet: complete answers 409, and the asset cannot be used.
    emu.call(
        "POST",
        &format!("/v3/assets/{id}/complete"),
        Some(&json!({})),
    )
    .assert_error(409, "conflict", None);
    emu.call(
        "POST",
        "/v3/avatars",
        Some(&json!({"type": "digital_twin", "name": "T", "file": {"type": "asset_id", "asset_id": id}})),
    )
    .assert_error(400, "asset_not_available", Some("file.asset_id"));
    let put = emu.raw(
        "PUT",
        &url,
        &[("Content-Type", "video/mp4")],
        Some(data.clone()),
    );
    assert_eq!(put.status, 200, "{}", put.text());
    let done = emu.post(
        &format!("/v3/assets/{id}/complete"),
        &json!({"checksum_sha256": sha256_hex(&data)}),
    );
    assert_eq!(done["data"]["size_bytes"], 300_000);
    assert_eq!(done["data"]["mime_type"], "video/mp4");
    // complete is idempotent
    emu.post(&format!("/v3/assets/{id}/complete"), &json!({}));
    emu.post(
        "/v3/avatars",
        &json!({"type": "digital_twin", "name": "T", "file": {"type": "asset_id", "asset_id": id}}),
    );
}

#[test]
fn direct_upload_wrong_checksum_rejected() {
    let emu = Emu::start();
    let data = mp4(1000);
    let (id, url) = direct(&emu, &data, Some(sha256_hex(b"something else")));
    let put = emu.raw("PUT", &url, &[("Content-Type", "video/mp4")], Some(data));
    assert_eq!(put.status, 400);
    assert!(put.text().contains("BadDigest"));
    emu.call(
        "POST",
        &format!("/v3/assets/{id}/complete"),
        Some(&json!({})),
    )
    .assert_error(409, "conflict", None);
}

#[test]
fn direct_upload_with_credentials_rejected_and_logged() {
    let emu = Emu::start();
    let data = mp4(1000);
    let (_, url) = direct(&emu, &data, None);
    let key = emu.h.api_key().to_owned();
    let put = emu.raw(
        "PUT",
        &url,
        &[("Content-Type", "video/mp4"), ("X-Api-Key", &key)],
        Some(data.clone()),
    );
    assert_eq!(put.status, 403);
    let bearer = emu.raw(
        "PUT",
        &url,
        &[
            ("Content-Type", "video/mp4"),
            ("Authorization", "Bearer abc"),
        ],
        Some(data),
    );
    assert_eq!(bearer.status, 403);
    let log = emu.h.requests();
    let puts: Vec<_> = log.iter().filter(|r| r.method == "PUT").collect();
    assert_eq!(puts.len(), 2);
    assert!(
        puts.iter()
            .all(|r| r.credentials_rejected && r.status == 403)
    );
    assert_eq!(puts[0].headers["x-api-key"], "<redacted>");
    assert_eq!(puts[1].headers["authorization"], "<redacted>");
    assert_eq!(puts[0].body_bytes, 1000);
    assert!(
        puts[0]
            .query
            .as_deref()
            .unwrap()
            .contains("X-Amz-Signature=<redacted>")
    );
    assert!(
        !format!("{log:?}").contains(&key),
        "the key never appears in the log"
    );
}

#[test]
fn direct_upload_url_must_be_kept_byte_for_byte() {
    let emu = Emu::start();
    let data = mp4(100);
    let (_, url) = direct(&emu, &data, None);
    let decoded = url.replace("%2F", "/");
    let r = emu.raw(
        "PUT",
        &decoded,
        &[("Content-Type", "video/mp4")],
        Some(data.clone()),
    );
    assert_eq!(r.status, 403);
    assert!(r.text().contains("SignatureDoesNotMatch"));
    let wrong_ct = emu.raw(
        "PUT",
        &url,
        &[("Content-Type", "application/octet-stream")],
        Some(data.clone()),
    );
    assert_eq!(wrong_ct.status, 403);
    let short = emu.raw(
        "PUT",
        &url,
        &[("Content-Type", "video/mp4")],
        Some(data[..50].to_vec()),
    );
    assert_eq!(short.status, 400);
    assert!(short.text().contains("IncompleteBody"));
    let ok = emu.raw("PUT", &url, &[("Content-Type", "video/mp4")], Some(data));
    assert_eq!(ok.status, 200);
}

#[test]
fn direct_upload_url_expires_on_the_emulated_clock() {
    let emu = Emu::start();
    let data = mp4(100);
    let (_, url) = direct(&emu, &data, None);
    emu.advance(3601);
    let r = emu.raw("PUT", &url, &[("Content-Type", "video/mp4")], Some(data));
    assert_eq!(r.status, 403);
    assert!(r.text().contains("expired"));
}

#[test]
fn multipart_upload_detects_type() {
    let emu = Emu::start();
    let key = emu.h.api_key().to_owned();
    // The part says octet-stream; the magic bytes say PNG.
    let (ct, body) = multipart_body(
        "file",
        "photo.bin",
        "application/octet-stream",
        &png_bytes(),
    );
    let r = emu.raw(
        "POST",
        "/v3/assets",
        &[("X-Api-Key", &key), ("Content-Type", &ct)],
        Some(body),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["data"]["mime_type"], "image/png");
    assert_eq!(v["data"]["size_bytes"], 72);
    let srt = b"1\n00:00:01,000 --> 00:00:02,000\nHello\n";
    let (ct, body) = multipart_body("file", "subs.srt", "text/plain", srt);
    let r = emu.raw(
        "POST",
        "/v3/assets",
        &[("X-Api-Key", &key), ("Content-Type", &ct)],
        Some(body),
    );
    assert_eq!(r.json()["data"]["mime_type"], "application/x-subrip");
    let (ct, body) = multipart_body("upload", "x.png", "image/png", &png_bytes());
    emu.raw(
        "POST",
        "/v3/assets",
        &[("X-Api-Key", &key), ("Content-Type", &ct)],
        Some(body),
    )
    .assert_error(400, "invalid_parameter", Some("file"));
    let (ct, body) = multipart_body("file", "x.exe", "application/x-msdownload", b"MZ\x90\x00");
    emu.raw(
        "POST",
        "/v3/assets",
        &[("X-Api-Key", &key), ("Content-Type", &ct)],
        Some(body),
    )
    .assert_error(400, "invalid_parameter", Some("file"));
}

/// A file above the multipart limit streams through the presigned PUT. 40 MiB by default
/// so the suite stays fast in debug builds; set `HEYGEN_EMULATOR_BIG_UPLOAD_MIB=512` for the
/// full-size run (`cargo xtask bench` measures the 512 MiB case with peak RSS).
#[test]
fn direct_upload_above_multipart_limit_streams() {
    use std::io::Read as _;
    let emu = Emu::start();
    let mib: u64 = std::env::var("HEYGEN_EMULATOR_BIG_UPLOAD_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let size: u64 = mib * 1024 * 1024;
    let v = emu.post(
        "/v3/assets/direct-uploads",
        &json!({"filename": "big.mp4", "content_type": "video/mp4", "size_bytes": size}),
    );
    let url = v["data"]["upload_url"].as_str().unwrap().to_owned();
    let reader = std::io::repeat(7).take(size);
    let req = ureq::http::Request::builder()
        .method("PUT")
        .uri(&url)
        .header("Content-Type", "video/mp4")
        .header("Content-Length", size.to_string())
        .body(ureq::SendBody::from_owned_reader(reader))
        .unwrap();
    let patient: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let r = patient.run(req).unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let id = v["data"]["asset_id"].as_str().unwrap();
    let done = emu.post(&format!("/v3/assets/{id}/complete"), &json!({}));
    assert_eq!(done["data"]["size_bytes"], size);
}
