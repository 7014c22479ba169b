//! The file origin: presigned links to rendered videos, signed afresh on every read, that
//! expire and refuse tampering; deterministic bytes; a log of what reached it.

use serde_json::json;

use crate::{Emu, assert_schema};

/// A completed video (created with `body`), read once: `(id, video JSON)`.
fn completed(emu: &Emu, body: &serde_json::Value) -> (String, serde_json::Value) {
    let v = emu.post("/v3/videos", body);
    let id = v["data"]["video_id"].as_str().unwrap().to_owned();
    emu.advance(70);
    let video = emu.get(&format!("/v3/videos/{id}"));
    (id, video["data"].clone())
}

fn plain() -> serde_json::Value {
    json!({"type": "avatar", "avatar_id": "Abigail_office_front_public", "script": "Hi"})
}

#[test]
fn a_signed_link_serves_the_rendered_bytes_on_another_origin() {
    let emu = Emu::start();
    let (id, video) = completed(&emu, &plain());
    let url = video["video_url"].as_str().unwrap();
    let files = emu.h.files_origin_url();
    assert!(
        url.starts_with(&format!("{files}/files/videos/{id}.mp4?")),
        "{url}"
    );
    assert_ne!(files, emu.h.base_url());
    assert!(url.contains("Expires=") && url.contains("X-Amz-Signature="));
    assert!(video["captioned_video_url"].is_null());
    let r = emu.raw("GET", url, &[], None);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type").as_deref(), Some("video/mp4"));
    let expected = emu.h.rendered_video(&id, false).unwrap();
    assert_eq!(r.header("content-length"), Some(expected.len().to_string()));
    assert!(r.body == expected);
    assert_eq!(&r.body[4..8], b"ftyp");
    // Logged with its headers; the signature masked; no credential carried.
    let log = emu.h.file_requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, 200);
    assert!(!log[0].credentials_rejected);
    assert!(
        log[0]
            .query
            .as_deref()
            .unwrap()
            .contains("X-Amz-Signature=<redacted>")
    );
    let admin = emu
        .raw("GET", "/_emulator/files/requests", &[], None)
        .json();
    assert_eq!(admin["requests"].as_array().unwrap().len(), 1);
    assert_eq!(admin["base_url"], files.as_str());
}

#[test]
fn links_expire_are_re_signed_on_every_read_and_refuse_tampering() {
    let emu = Emu::start();
    let (id, video) = completed(&emu, &plain());
    let old = video["video_url"].as_str().unwrap().to_owned();
    emu.advance(heygen_emulator::DEFAULT_FILE_LINK_SECS + 1);
    let r = emu.raw("GET", &old, &[], None);
    assert_eq!(r.status, 403);
    assert!(
        r.text().contains("<Code>ExpiredToken</Code>"),
        "{}",
        r.text()
    );
    let fresh = emu.get(&format!("/v3/videos/{id}"))["data"]["video_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(fresh, old);
    assert_eq!(emu.raw("GET", &fresh, &[], None).status, 200);
    let tampered = fresh.replace(&format!("{id}.mp4"), &format!("{id}.webm"));
    let r = emu.raw("GET", &tampered, &[], None);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("SignatureDoesNotMatch"), "{}", r.text());
    let unsigned = fresh.split('?').next().unwrap();
    assert_eq!(emu.raw("GET", unsigned, &[], None).status, 403);
}

#[test]
fn a_credential_sent_to_the_file_origin_is_recorded() {
    let emu = Emu::start();
    let (_, video) = completed(&emu, &plain());
    let url = video["video_url"].as_str().unwrap();
    let key = emu.h.api_key().to_owned();
    let r = emu.raw("GET", url, &[("X-Api-Key", &key)], None);
    assert_eq!(r.status, 200);
    let log = emu.h.file_requests();
    assert!(log[0].credentials_rejected);
    assert_eq!(
        log[0].headers.get("x-api-key").map(String::as_str),
        Some("<redacted>")
    );
}

#[test]
fn burned_in_captions_and_webm_get_their_own_files() {
    let emu = Emu::start();
    let mut body = plain();
    body["caption"] = json!({"style": "default"});
    body["output_format"] = json!("webm");
    let (id, video) = completed(&emu, &body);
    check_captioned(&emu, &id, &video, "webm");
    // Sidecar-only captions (no style) burn nothing in: no captioned file.
    let mut body = plain();
    body["caption"] = json!({"file_format": "srt"});
    let (_, video) = completed(&emu, &body);
    assert!(video["captioned_video_url"].is_null());
}

fn check_captioned(emu: &Emu, id: &str, video: &serde_json::Value, ext: &str) {
    assert_schema("GET", "/v3/videos/{video_id}", &json!({ "data": video }));
    let url = video["captioned_video_url"].as_str().unwrap();
    assert!(
        url.contains(&format!("/files/videos/{id}.captioned.{ext}?")),
        "{url}"
    );
    let r = emu.raw("GET", url, &[], None);
    assert_eq!(r.status, 200);
    assert!(r.body == emu.h.rendered_video(id, true).unwrap());
    assert!(r.body != emu.h.rendered_video(id, false).unwrap());
}

#[test]
fn a_video_still_rendering_has_no_link_and_an_unsigned_request_is_refused() {
    let emu = Emu::start();
    let v = emu.post("/v3/videos", &plain());
    let id = v["data"]["video_id"].as_str().unwrap().to_owned();
    let video = emu.get(&format!("/v3/videos/{id}"));
    assert!(video["data"]["video_url"].is_null());
    let files = emu.h.files_origin_url();
    let r = emu.raw("GET", &format!("{files}/files/videos/{id}.mp4"), &[], None);
    assert_eq!(r.status, 403, "unsigned");
}
