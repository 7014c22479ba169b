//! End-to-end flows over HTTP.

use serde_json::json;

use crate::{Emu, assert_schema, png_bytes};

#[test]
fn photo_avatar_reaches_completed() {
    let emu = Emu::start();
    let (gid, lid) = emu.photo("Photo A");
    let g = emu.get(&format!("/v3/avatars/{gid}"));
    assert_eq!(g["data"]["status"], "processing");
    assert_eq!(g["data"]["consent_status"], serde_json::Value::Null);
    emu.advance(29);
    assert_eq!(
        emu.get(&format!("/v3/avatars/looks/{lid}"))["data"]["status"],
        "processing"
    );
    emu.advance(2);
    let l = emu.get(&format!("/v3/avatars/looks/{lid}"));
    assert_eq!(l["data"]["status"], "completed");
    assert_eq!(l["data"]["avatar_type"], "photo_avatar");
    assert_eq!(l["data"]["group_id"], gid.as_str());
    let g = emu.get(&format!("/v3/avatars/{gid}"));
    assert_eq!(g["data"]["status"], "completed");
    assert_eq!(g["data"]["looks_count"], 1);
}

#[test]
fn fail_marker_fails_the_avatar() {
    let emu = Emu::start();
    let (gid, _) = emu.photo("Broken [fail] one");
    emu.advance(60);
    let g = emu.get(&format!("/v3/avatars/{gid}"));
    assert_eq!(g["data"]["status"], "failed");
    assert_eq!(g["data"]["error"]["code"], "avatar_training_failed");
}

#[test]
fn digital_twin_consent_via_page_then_completed() {
    let emu = Emu::start();
    let v = emu.post(
        "/v3/avatars",
        &json!({"type": "digital_twin", "name": "Twin A", "file": {"type": "url", "url": "https://example.com/footage.mp4"}}),
    );
    let gid = v["data"]["avatar_group"]["id"].as_str().unwrap().to_owned();
    assert_eq!(v["data"]["avatar_item"]["status"], "pending_consent");
    assert_eq!(v["data"]["avatar_item"]["avatar_type"], "digital_twin");
    assert_eq!(v["data"]["avatar_group"]["consent_status"], "pending");
    emu.advance(1000);
    assert_eq!(
        emu.get(&format!("/v3/avatars/{gid}"))["data"]["status"],
        "pending_consent"
    );

    let c = emu.post(
        &format!("/v3/avatars/{gid}/consent"),
        &json!({"reroute_url": "https://example.com/thanks", "consent_text": "I agree"}),
    );
    assert_eq!(c["data"]["avatar_group"]["consent_status"], "pending");
    let url = c["data"]["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&emu.h.base_url()));

    let page = emu.raw("GET", &url, &[], None);
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text().contains("I agree"));
    assert!(page.text().contains("/approve\""));
    let approve = emu.raw("POST", &format!("{url}/approve"), &[], Some(Vec::new()));
    assert_eq!(approve.status, 303);
    assert_eq!(
        approve.header("location").unwrap(),
        "https://example.com/thanks"
    );

    let g = emu.get(&format!("/v3/avatars/{gid}"));
    assert_eq!(g["data"]["consent_status"], "approved");
    assert_eq!(g["data"]["status"], "processing");
    emu.advance(121);
    assert_eq!(
        emu.get(&format!("/v3/avatars/{gid}"))["data"]["status"],
        "completed"
    );
}

#[test]
fn old_video_type_and_admin_approval() {
    let emu = Emu::start();
    let v = emu.post(
        "/v3/avatars",
        &json!({"type": "video", "name": "Twin B", "file": {"type": "url", "url": "https://example.com/f.mp4"}}),
    );
    let gid = v["data"]["avatar_group"]["id"].as_str().unwrap().to_owned();
    assert_eq!(v["data"]["avatar_item"]["avatar_type"], "digital_twin");
    // A consent video: no URL comes back.
    let c = emu.post(
        &format!("/v3/avatars/{gid}/consent"),
        &json!({"consent_video": {"type": "url", "url": "https://example.com/consent.mp4"}}),
    );
    assert!(c["data"]["url"].is_null());
    assert!(emu.h.approve_consent(&gid));
    emu.advance(200);
    assert_eq!(
        emu.get(&format!("/v3/avatars/{gid}"))["data"]["status"],
        "completed"
    );
    // Filter by the old name.
    let l = emu.get("/v3/avatars/looks?avatar_type=video_avatar&ownership=private");
    assert_eq!(l["data"].as_array().unwrap().len(), 1);
}

#[test]
fn declined_consent_fails_the_twin() {
    let emu = Emu::start();
    let v = emu.post(
        "/v3/avatars",
        &json!({"type": "digital_twin", "name": "Twin C", "file": {"type": "url", "url": "https://example.com/f.mp4"}}),
    );
    let gid = v["data"]["avatar_group"]["id"].as_str().unwrap().to_owned();
    let c = emu.post(&format!("/v3/avatars/{gid}/consent"), &json!({}));
    let url = c["data"]["url"].as_str().unwrap().to_owned();
    let r = emu.raw("POST", &format!("{url}/decline"), &[], Some(Vec::new()));
    assert_eq!(r.status, 200);
    assert!(r.text().contains("declined"));
    let g = emu.get(&format!("/v3/avatars/{gid}"));
    assert_eq!(g["data"]["status"], "failed");
    assert_eq!(g["data"]["consent_status"], "declined");
}

#[test]
fn consent_only_for_digital_twins() {
    let emu = Emu::start();
    let (gid, _) = emu.photo("P");
    emu.call(
        "POST",
        &format!("/v3/avatars/{gid}/consent"),
        Some(&json!({})),
    )
    .assert_error(400, "invalid_parameter", Some("group_id"));
    emu.call("POST", "/v3/avatars/nope/consent", Some(&json!({})))
        .assert_error(404, "avatar_not_found", None);
}

#[test]
fn prompt_avatar_with_reference_images() {
    let emu = Emu::start();
    let asset = {
        let key = emu.h.api_key().to_owned();
        let (ct, body) = multipart_body("file", "ref.png", "image/png", &png_bytes());
        let r = emu.raw(
            "POST",
            "/v3/assets",
            &[("X-Api-Key", &key), ("Content-Type", &ct)],
            Some(body),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["data"]["asset_id"].as_str().unwrap().to_owned()
    };
    let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, png_bytes());
    let v = emu.post(
        "/v3/avatars",
        &json!({"type": "prompt", "name": "Prompted", "prompt": "A friendly presenter in a blue shirt",
            "reference_images": [
                {"type": "url", "url": "https://example.com/r1.jpg"},
                {"type": "asset_id", "asset_id": asset},
                {"type": "base64", "media_type": "image/png", "data": b64},
            ]}),
    );
    let lid = v["data"]["avatar_item"]["id"].as_str().unwrap().to_owned();
    assert_eq!(v["data"]["avatar_item"]["status"], "processing");
    emu.advance(46);
    assert_eq!(
        emu.get(&format!("/v3/avatars/looks/{lid}"))["data"]["status"],
        "completed"
    );
}

#[test]
fn looks_in_groups_rename_delete_cascade() {
    let emu = Emu::start();
    let (gid, l1) = emu.photo("Family");
    let v = emu.post(
        "/v3/avatars",
        &json!({"type": "photo", "name": "Second look", "avatar_group_id": gid, "file": {"type": "url", "url": "https://example.com/2.png"}}),
    );
    let l2 = v["data"]["avatar_item"]["id"].as_str().unwrap().to_owned();
    assert_eq!(v["data"]["avatar_group"]["looks_count"], 2);
    let by_group = emu.get(&format!("/v3/avatars/looks?group_id={gid}"));
    assert_eq!(by_group["data"].as_array().unwrap().len(), 2);
    let renamed = emu.ok(
        "PATCH",
        &format!("/v3/avatars/looks/{l1}"),
        Some(&json!({"name": "Renamed"})),
    );
    assert_eq!(renamed["data"]["name"], "Renamed");
    let d = emu.ok("DELETE", &format!("/v3/avatars/looks/{l1}"), None);
    assert_eq!(d["data"]["id"], l1.as_str());
    assert_eq!(
        emu.get(&format!("/v3/avatars/{gid}"))["data"]["looks_count"],
        1
    );
    emu.ok("DELETE", &format!("/v3/avatars/looks/{l2}"), None);
    emu.call("GET", &format!("/v3/avatars/{gid}"), None)
        .assert_error(404, "avatar_not_found", None);

    let (gid, lid) = emu.photo("Cascade");
    emu.ok("DELETE", &format!("/v3/avatars/{gid}"), None);
    emu.call("GET", &format!("/v3/avatars/looks/{lid}"), None)
        .assert_error(404, "avatar_not_found", None);
    emu.call(
        "DELETE",
        "/v3/avatars/looks/Abigail_office_front_public",
        None,
    )
    .assert_error(403, "forbidden", None);
}

#[test]
fn pagination_over_more_than_fifty_looks() {
    let emu = Emu::start();
    for i in 0..3 {
        emu.photo(&format!("Mine {i}"));
    }
    let mut seen = std::collections::HashSet::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &token {
            Some(t) => format!("/v3/avatars/looks?limit=50&token={t}"),
            None => "/v3/avatars/looks?limit=50".to_owned(),
        };
        let v = emu.get(&path);
        pages += 1;
        for l in v["data"].as_array().unwrap() {
            assert!(
                seen.insert(l["id"].as_str().unwrap().to_owned()),
                "duplicate across pages"
            );
        }
        if v["has_more"] == true {
            token = Some(v["next_token"].as_str().unwrap().to_owned());
        } else {
            assert!(v["next_token"].is_null());
            break;
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(seen.len(), 64 + 3);
    // Default page size is 20; private first; filters.
    let first = emu.get("/v3/avatars/looks");
    assert_eq!(first["data"].as_array().unwrap().len(), 20);
    assert_eq!(first["data"][0]["name"], "Mine 2");
    let public = emu.get("/v3/avatars/looks?ownership=public&avatar_type=studio_avatar&limit=50");
    assert_eq!(public["data"].as_array().unwrap().len(), 50);
    let groups = emu.get("/v3/avatars?ownership=public&limit=5");
    assert_eq!(groups["data"].as_array().unwrap().len(), 5);
    assert_eq!(groups["has_more"], true);
    let next = groups["next_token"].as_str().unwrap();
    let g2 = emu.get(&format!(
        "/v3/avatars?ownership=public&limit=5&token={next}"
    ));
    assert_eq!(g2["data"].as_array().unwrap().len(), 3);
    assert_eq!(g2["has_more"], false);
}

#[test]
fn video_from_a_completed_look() {
    let emu = Emu::start();
    let (_, lid) = emu.photo("Speaker");
    emu.call(
        "POST",
        "/v3/videos",
        Some(&json!({"type": "avatar", "avatar_id": lid, "script": "Hello"})),
    )
    .assert_error(400, "invalid_parameter", Some("avatar_id"));
    emu.advance(31);
    let v = emu.post(
        "/v3/videos",
        &json!({"type": "avatar", "avatar_id": lid, "script": "Hello", "title": "First"}),
    );
    assert_eq!(v["data"]["status"], "waiting");
    let id = v["data"]["video_id"].as_str().unwrap().to_owned();
    assert_eq!(
        emu.get(&format!("/v3/videos/{id}"))["data"]["status"],
        "pending"
    );
    emu.advance(10);
    assert_eq!(
        emu.get(&format!("/v3/videos/{id}"))["data"]["status"],
        "processing"
    );
    emu.advance(60);
    let done = emu.get(&format!("/v3/videos/{id}"));
    assert_eq!(done["data"]["status"], "completed");
    let url = done["data"]["video_url"].as_str().unwrap().to_owned();
    assert!(url.contains("X-Amz-Signature="));
    let file = emu.raw("GET", &url, &[], None);
    assert_eq!(file.status, 200);
    assert_eq!(&file.body[4..8], b"ftyp");

    let img = emu.post(
        "/v3/videos",
        &json!({"type": "image", "image": {"type": "url", "url": "https://example.com/i.png"}, "script": "Hi", "voice_id": "emu_voice_female_01", "title": "Broken [fail]"}),
    );
    let img_id = img["data"]["video_id"].as_str().unwrap().to_owned();
    emu.advance(100);
    let failed = emu.get(&format!("/v3/videos/{img_id}"));
    assert_eq!(failed["data"]["status"], "failed");
    assert_eq!(failed["data"]["failure_code"], "video_render_failed");

    let list = emu.get("/v3/videos?limit=1");
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(list["has_more"], true);
    let del = emu.ok("DELETE", &format!("/v3/videos/{id}"), None);
    assert_eq!(del["data"]["id"], id.as_str());
    emu.call("GET", &format!("/v3/videos/{id}"), None)
        .assert_error(404, "video_not_found", None);
    // A public studio look is usable at once; a group id is not a look id.
    emu.post(
        "/v3/videos",
        &json!({"type": "avatar", "avatar_id": "Abigail_office_front_public", "script": "Hi"}),
    );
    let gid = emu.get("/v3/avatars?ownership=public&limit=1")["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    emu.call(
        "POST",
        "/v3/videos",
        Some(&json!({"type": "avatar", "avatar_id": gid, "script": "Hi"})),
    )
    .assert_error(400, "invalid_parameter", Some("avatar_id"));
}

#[test]
fn users_me_and_every_endpoint_validates() {
    let emu = Emu::start();
    let me = emu.get("/v3/users/me");
    assert_eq!(me["data"]["username"], "emulator");
    // Touch all 18 endpoints once; `ok` checks each body against its schema.
    let (gid, lid) = emu.photo("All");
    emu.get("/v3/avatars");
    emu.get(&format!("/v3/avatars/{gid}"));
    emu.get("/v3/avatars/looks");
    emu.get(&format!("/v3/avatars/looks/{lid}"));
    emu.ok(
        "PATCH",
        &format!("/v3/avatars/looks/{lid}"),
        Some(&json!({})),
    );
    let twin = emu.post(
        "/v3/avatars",
        &json!({"type": "digital_twin", "name": "T", "file": {"type": "url", "url": "https://example.com/f.mp4"}}),
    );
    let tgid = twin["data"]["avatar_group"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    emu.post(&format!("/v3/avatars/{tgid}/consent"), &json!({}));
    emu.advance(40);
    let vid = emu.post(
        "/v3/videos",
        &json!({"type": "avatar", "avatar_id": lid, "script": "x"}),
    );
    let vid = vid["data"]["video_id"].as_str().unwrap().to_owned();
    emu.get("/v3/videos");
    emu.get(&format!("/v3/videos/{vid}"));
    emu.ok("DELETE", &format!("/v3/videos/{vid}"), None);
    let key = emu.h.api_key().to_owned();
    let (ct, body) = multipart_body("file", "a.png", "image/png", &png_bytes());
    let up = emu.raw(
        "POST",
        "/v3/assets",
        &[("X-Api-Key", &key), ("Content-Type", &ct)],
        Some(body),
    );
    assert_schema("POST", "/v3/assets", &up.json());
    let aid = up.json()["data"]["asset_id"].as_str().unwrap().to_owned();
    emu.get(&format!("/v3/assets/{aid}"));
    let du = emu.post(
        "/v3/assets/direct-uploads",
        &json!({"filename": "x.png", "content_type": "image/png", "size_bytes": 72}),
    );
    let daid = du["data"]["asset_id"].as_str().unwrap().to_owned();
    let put = emu.raw(
        "PUT",
        du["data"]["upload_url"].as_str().unwrap(),
        &[("Content-Type", "image/png")],
        Some(png_bytes()),
    );
    assert_eq!(put.status, 200, "{}", put.text());
    emu.post(&format!("/v3/assets/{daid}/complete"), &json!({}));
    emu.ok("DELETE", &format!("/v3/avatars/looks/{lid}"), None);
    emu.ok("DELETE", &format!("/v3/avatars/{tgid}"), None);
}

/// A one-part multipart body; returns `(content type, body)`.
pub fn multipart_body(name: &str, filename: &str, ct: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "emuBoundary7MA4YWxkTrZu0gW";
    let mut b = Vec::new();
    b.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {ct}\r\n\r\n"
        )
        .as_bytes(),
    );
    b.extend_from_slice(data);
    b.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}
