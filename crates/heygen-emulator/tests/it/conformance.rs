//! The emulator behaves as HeyGen's reference documents it: variant pinning from the schema's
//! discriminator mapping, lenient defaults, list filters, 405s, the shared multipart limit.

use heygen_emulator::EmulatorOptions;
use heygen_model::validate::MAX_MULTIPART_UPLOAD_BYTES;
use serde_json::{Value, json};

use crate::flows::multipart_body;
use crate::{Emu, png_bytes};

const STUDIO_LOOK: &str = "Abigail_office_front_public";

fn avatar_video(engine: &Value) -> Value {
    json!({"type": "avatar", "avatar_id": STUDIO_LOOK, "script": "Hi", "engine": engine})
}

fn studio_video(engine: &Value) -> Value {
    json!({"type": "studio", "scenes": [{"type": "avatar_video", "input": {
        "type": "avatar", "avatar_id": STUDIO_LOOK, "script": "Hi", "engine": engine,
    }}]})
}

/// Every engine variant is pinned to the value the discriminator mapping gives it: only the
/// Avatar V variant declares `reference_look_id` (a string); the others take extra fields as
/// HeyGen does (no `additionalProperties: false`).
#[test]
fn engine_variants_follow_the_discriminator_mapping() {
    let emu = Emu::start();
    for make in [avatar_video, studio_video] {
        for engine in [
            json!({"type": "avatar_iii", "reference_look_id": "x"}),
            json!({"type": "avatar_iv", "reference_look_id": 5}),
            json!({"type": "avatar_v", "reference_look_id": "x"}),
            json!({"type": "avatar_v", "reference_look_id": null}),
            json!({"type": "avatar_v"}),
        ] {
            let body = make(&engine);
            let r = emu.call("POST", "/v3/videos", Some(&body));
            assert_eq!(r.status, 200, "{body}: {}", r.text());
        }
        let bad_ref = make(&json!({"type": "avatar_v", "reference_look_id": 5}));
        let r = emu.call("POST", "/v3/videos", Some(&bad_ref));
        assert_eq!(r.status, 400, "{bad_ref}: {}", r.text());
        let param = r.json()["error"]["param"].as_str().unwrap().to_owned();
        assert!(param.ends_with("engine.reference_look_id"), "{param}");
        let unknown = make(&json!({"type": "avatar_vi"}));
        let r = emu.call("POST", "/v3/videos", Some(&unknown));
        assert_eq!(r.status, 400, "{unknown}: {}", r.text());
        let param = r.json()["error"]["param"].as_str().unwrap().to_owned();
        assert!(param.ends_with("engine.type"), "{param}");
    }
}

fn direct_upload(emu: &Emu, filename: &str, content_type: &str, data: &[u8]) -> String {
    let v = emu.post(
        "/v3/assets/direct-uploads",
        &json!({"filename": filename, "content_type": content_type, "size_bytes": data.len()}),
    );
    assert_eq!(v["data"]["upload_headers"]["Content-Type"], content_type);
    let url = v["data"]["upload_url"].as_str().unwrap();
    let put = emu.raw(
        "PUT",
        url,
        &[("Content-Type", content_type)],
        Some(data.to_vec()),
    );
    assert_eq!(put.status, 200, "{}", put.text());
    v["data"]["asset_id"].as_str().unwrap().to_owned()
}

fn zip_bytes() -> Vec<u8> {
    let mut b = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    b.extend_from_slice(&[0u8; 54]);
    b
}

/// HeyGen names `application/zip` as an example `content_type` and checks the declared type
/// against the stored bytes when the upload completes, not when it is created.
#[test]
fn direct_upload_type_is_checked_at_completion() {
    let emu = Emu::start();
    let zip = direct_upload(&emu, "bundle.zip", "application/zip", &zip_bytes());
    let done = emu.post(&format!("/v3/assets/{zip}/complete"), &json!({}));
    assert_eq!(done["data"]["mime_type"], "application/zip");

    // Declared as a video, uploaded a PNG: refused at completion, and the asset stays unusable.
    let png = direct_upload(&emu, "clip.mp4", "video/mp4", &png_bytes());
    emu.call(
        "POST",
        &format!("/v3/assets/{png}/complete"),
        Some(&json!({})),
    )
    .assert_error(400, "invalid_parameter", Some("content_type"));
    emu.call(
        "POST",
        "/v3/avatars",
        Some(&json!({"type": "digital_twin", "name": "T", "file": {"type": "asset_id", "asset_id": png}})),
    )
    .assert_error(400, "asset_not_available", Some("file.asset_id"));

    // Bytes no signature identifies keep the declared type.
    let opaque = direct_upload(&emu, "notes.bin", "application/octet-stream", b"opaque");
    let done = emu.post(&format!("/v3/assets/{opaque}/complete"), &json!({}));
    assert_eq!(done["data"]["mime_type"], "application/octet-stream");

    // A value that is not a MIME type at all is still refused at create.
    emu.call(
        "POST",
        "/v3/assets/direct-uploads",
        Some(&json!({"filename": "a", "content_type": "zip", "size_bytes": 3})),
    )
    .assert_error(400, "invalid_parameter", Some("content_type"));
}

/// A prompt avatar's `avatar_id` must name a look that exists and is usable; the new look joins
/// that look's group (or `avatar_group_id`, which must then hold the look).
#[test]
fn prompt_avatar_reference_look_must_exist() {
    let emu = Emu::start();
    let prompt = |extra: Value| {
        let mut b = json!({"type": "prompt", "name": "P", "prompt": "a friendly presenter"});
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    emu.call(
        "POST",
        "/v3/avatars",
        Some(&prompt(json!({"avatar_id": "no_such_look"}))),
    )
    .assert_error(404, "avatar_not_found", Some("avatar_id"));

    let (gid, lid) = emu.photo("Base");
    // Still training: no usable image yet.
    emu.call(
        "POST",
        "/v3/avatars",
        Some(&prompt(json!({"avatar_id": lid}))),
    )
    .assert_error(400, "invalid_parameter", Some("avatar_id"));
    emu.advance(31);
    let v = emu.post("/v3/avatars", &prompt(json!({"avatar_id": lid})));
    assert_eq!(v["data"]["avatar_group"]["id"], gid.as_str());
    assert_eq!(v["data"]["avatar_item"]["group_id"], gid.as_str());

    let (other_gid, _) = emu.photo("Other");
    emu.call(
        "POST",
        "/v3/avatars",
        Some(&prompt(
            json!({"avatar_id": lid, "avatar_group_id": other_gid}),
        )),
    )
    .assert_error(400, "invalid_parameter", Some("avatar_id"));
    // A group id is not a look id.
    emu.call(
        "POST",
        "/v3/avatars",
        Some(&prompt(json!({"avatar_id": gid}))),
    )
    .assert_error(400, "invalid_parameter", Some("avatar_id"));
}

fn ids(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn video_list_filters_by_title_and_folder() {
    let emu = Emu::start();
    let create = |title: &str| {
        emu.post(
            "/v3/videos",
            &json!({"type": "avatar", "avatar_id": STUDIO_LOOK, "script": "Hi", "title": title}),
        )["data"]["video_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let quarterly = create("Quarterly Report");
    let _welcome = create("Welcome");
    let report = create("report draft");
    assert_eq!(ids(&emu.get("/v3/videos")).len(), 3);
    assert_eq!(
        ids(&emu.get("/v3/videos?title=REPORT")),
        vec![report.clone(), quarterly.clone()]
    );
    assert_eq!(
        ids(&emu.get("/v3/videos?title=Quarterly%20Report")),
        vec![quarterly]
    );
    // No emulated video is filed in a folder: a folder filter matches none of them.
    assert_eq!(
        ids(&emu.get("/v3/videos?folder_id=fld_0001")),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&emu.get("/v3/videos?folder_id=fld_0001&title=report")),
        Vec::<String>::new()
    );
}

#[test]
fn known_path_with_another_method_is_405_with_allow() {
    let emu = Emu::start();
    for (method, path, allow) in [
        ("PUT", "/v3/videos", "GET, POST"),
        ("POST", "/v3/users/me", "GET"),
        ("PATCH", "/v3/videos/abc", "DELETE, GET"),
        ("PUT", "/v3/avatars/looks/abc", "DELETE, GET, PATCH"),
        ("GET", "/v3/assets/abc/complete", "POST"),
        ("DELETE", "/v3/assets", "GET, POST"),
    ] {
        let r = emu.call(method, path, None);
        r.assert_error(405, "method_not_allowed", None);
        assert_eq!(r.header("allow").as_deref(), Some(allow), "{method} {path}");
    }
    // An unknown path stays a 404.
    emu.call("GET", "/v3/no-such-thing", None)
        .assert_error(404, "not_found", None);
}

/// By default the emulator accepts what HeyGen's reference allows; `strict` turns on the
/// extra checks (https everywhere, blank names, the short list of media types, 5 GiB).
#[test]
fn lenient_by_default_strict_on_request() {
    let lenient = Emu::start();
    let strict = Emu::with(EmulatorOptions::default().seed(7).strict(true));
    let (_, lid) = lenient.photo("L");
    let (_, strict_lid) = strict.photo("L");
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    let gif64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &gif);
    // (method, path with `{look}` for a private look of that emulator, body, param in strict)
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        (
            "POST",
            "/v3/videos",
            json!({"type": "avatar", "avatar_id": STUDIO_LOOK, "audio_url": "http://example.com/a.mp3"}),
            "audio_url",
        ),
        (
            "POST",
            "/v3/videos",
            json!({"type": "avatar", "avatar_id": STUDIO_LOOK, "script": "Hi", "callback_url": "http://example.com/hook"}),
            "callback_url",
        ),
        (
            "POST",
            "/v3/videos",
            json!({"type": "avatar", "avatar_id": STUDIO_LOOK, "script": "Hi", "background": {"type": "image", "url": "http://example.com/bg.png"}}),
            "background.url",
        ),
        (
            "POST",
            "/v3/avatars",
            json!({"type": "photo", "name": "  ", "file": {"type": "url", "url": "https://example.com/p.png"}}),
            "name",
        ),
        (
            "POST",
            "/v3/avatars",
            json!({"type": "photo", "name": "", "file": {"type": "url", "url": "https://example.com/p.png"}}),
            "name",
        ),
        (
            "POST",
            "/v3/avatars",
            json!({"type": "prompt", "name": "P", "prompt": "   "}),
            "prompt",
        ),
        (
            "POST",
            "/v3/avatars",
            json!({"type": "photo", "name": "G", "file": {"type": "base64", "media_type": "image/gif", "data": gif64}}),
            "file.media_type",
        ),
        (
            "PATCH",
            "/v3/avatars/looks/{look}",
            json!({"name": ""}),
            "name",
        ),
        (
            "POST",
            "/v3/assets/direct-uploads",
            json!({"filename": " ", "content_type": "video/mp4", "size_bytes": 10}),
            "filename",
        ),
        (
            "POST",
            "/v3/assets/direct-uploads",
            json!({"filename": "a.zip", "content_type": "application/zip", "size_bytes": 10}),
            "content_type",
        ),
        (
            "POST",
            "/v3/assets/direct-uploads",
            json!({"filename": "a.exe", "content_type": "application/x-msdownload", "size_bytes": 10}),
            "content_type",
        ),
        (
            "POST",
            "/v3/assets/direct-uploads",
            json!({"filename": "empty.mp4", "content_type": "video/mp4", "size_bytes": 0}),
            "size_bytes",
        ),
        (
            "POST",
            "/v3/assets/direct-uploads",
            json!({"filename": "huge.mp4", "content_type": "video/mp4", "size_bytes": 6_i64 << 30}),
            "size_bytes",
        ),
    ];
    for (method, path, body, param) in &cases {
        let r = lenient.call(method, &path.replace("{look}", &lid), Some(body));
        assert_eq!(r.status, 200, "lenient {method} {body}: {}", r.text());
        let r = strict.call(method, &path.replace("{look}", &strict_lid), Some(body));
        assert!(
            r.status == 400 || r.status == 413,
            "strict {method} {body}: {}",
            r.text()
        );
        assert_eq!(r.json()["error"]["param"], *param, "strict {body}");
    }
    // Rules the reference states hold in both modes.
    for emu in [&lenient, &strict] {
        emu.call(
            "POST",
            "/v3/avatars",
            Some(&json!({"type": "photo", "name": "U", "file": {"type": "url", "url": "http://example.com/p.png"}})),
        )
        .assert_error(400, "invalid_parameter", Some("file.url"));
        emu.call(
            "POST",
            "/v3/avatars",
            Some(&json!({"type": "prompt", "name": "P", "prompt": "x".repeat(1001)})),
        )
        .assert_error(400, "invalid_parameter", Some("prompt"));
        emu.call(
            "POST",
            "/v3/videos",
            Some(&json!({"type": "avatar", "avatar_id": STUDIO_LOOK, "audio_url": "ftp://example.com/a.mp3"})),
        )
        .assert_error(400, "invalid_parameter", Some("audio_url"));
        emu.call(
            "POST",
            "/v3/assets/direct-uploads",
            Some(&json!({"filename": "a.mp4", "content_type": "video/mp4", "size_bytes": -1})),
        )
        .assert_error(400, "invalid_parameter", Some("size_bytes"));
    }
}

/// The multipart limit is the SDK model's constant (HeyGen's "32 MB"), whatever its value.
#[test]
fn multipart_limit_is_the_shared_constant() {
    let emu = Emu::start();
    let key = emu.h.api_key().to_owned();
    let limit = usize::try_from(MAX_MULTIPART_UPLOAD_BYTES).unwrap();
    let mut data = png_bytes();
    data.resize(limit + 1, 0);
    let (ct, body) = multipart_body("file", "big.png", "image/png", &data);
    emu.raw(
        "POST",
        "/v3/assets",
        &[("X-Api-Key", &key), ("Content-Type", &ct)],
        Some(body),
    )
    .assert_error(413, "payload_too_large", Some("file"));
    data.truncate(limit);
    let (ct, body) = multipart_body("file", "big.png", "image/png", &data);
    let r = emu.raw(
        "POST",
        "/v3/assets",
        &[("X-Api-Key", &key), ("Content-Type", &ct)],
        Some(body),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["data"]["size_bytes"], MAX_MULTIPART_UPLOAD_BYTES);
}
