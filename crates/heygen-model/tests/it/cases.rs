//! The field cases from `shared/cases` that concern the model (BR-04, 05, 11, 13, 14, 26, 30).

use heygen_model::validate::Rule;
use heygen_model::*;
use serde_json::{Value, json};

fn data<T: serde::de::DeserializeOwned>(body: &str) -> T {
    let value: Value = serde_json::from_str(body).unwrap();
    serde_json::from_value(value["data"].clone()).unwrap()
}

#[test]
fn br_04_digital_twin_is_sent_as_digital_twin() {
    let request = CreateAvatarRequest::DigitalTwin(CreateDigitalTwin::new(
        "Twin A",
        AssetInput::url("https://example.com/footage.mp4"),
    ));
    request.validate().unwrap();
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"type":"digital_twin","name":"Twin A","file":{"type":"url","url":"https://example.com/footage.mp4"}}"#
    );
}

#[test]
fn br_04_legacy_video_discriminator_reads_as_digital_twin() {
    let request: CreateAvatarRequest = serde_json::from_str(
        r#"{"type":"video","name":"Twin A","file":{"type":"url","url":"https://example.com/footage.mp4"}}"#,
    )
    .unwrap();
    assert!(matches!(request, CreateAvatarRequest::DigitalTwin(_)));
    assert!(
        serde_json::to_string(&request)
            .unwrap()
            .starts_with(r#"{"type":"digital_twin""#)
    );
}

#[test]
fn br_04_nested_create_response() {
    let body = r#"{"data":{"avatar_item":{"id":"look_0001","group_id":"grp_0001","avatar_type":"digital_twin","name":"Twin A","extra":1},"avatar_group":{"id":"grp_0001","name":"Twin A","created_at":1764400000,"looks_count":1,"consent_status":"pending","surprise":{"x":1}}}}"#;
    let response: CreateAvatarResponse = data(body);
    let look = response.avatar_item.unwrap();
    let group = response.avatar_group.unwrap();
    let look_id: &LookId = &look.id;
    let group_id: &AvatarGroupId = &group.id;
    assert_eq!(look_id.as_str(), "look_0001");
    assert_eq!(group_id.as_str(), "grp_0001");
    assert_eq!(look.avatar_type, AvatarType::DigitalTwin);
    assert_eq!(group.consent_status, Some(ConsentStatus::Pending));
    assert_eq!(
        group.created_at,
        Some(Timestamp::from_unix_seconds(1_764_400_000))
    );
}

#[test]
fn br_04_case_body_without_look_name_still_exposes_ids() {
    // The case's literal body has no `name` on the look; the ids must still be reachable.
    let body = r#"{"data":{"avatar_item":{"id":"look_0001","group_id":"grp_0001","avatar_type":"digital_twin"},"avatar_group":{"id":"grp_0001","name":"Twin A","created_at":1764400000,"looks_count":1,"consent_status":"pending"}}}"#;
    let response: CreateAvatarResponse = data(body);
    assert_eq!(response.avatar_item.unwrap().id.as_str(), "look_0001");
    assert_eq!(response.avatar_group.unwrap().id.as_str(), "grp_0001");
}

#[test]
fn br_04_avatar_type_aliases() {
    for wire in ["\"video\"", "\"video_avatar\"", "\"digital_twin\""] {
        assert_eq!(
            serde_json::from_str::<AvatarType>(wire).unwrap(),
            AvatarType::DigitalTwin
        );
    }
    assert_eq!(
        serde_json::to_string(&AvatarType::DigitalTwin).unwrap(),
        "\"digital_twin\""
    );
    assert_eq!(
        serde_json::from_str::<AvatarType>("\"hologram\"").unwrap(),
        AvatarType::Unknown("hologram".into())
    );
}

const PNG: &[u8] = &[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

#[test]
fn br_05_photo_from_png_bytes() {
    let file = AssetInput::base64_from_bytes("image/png", PNG).unwrap();
    let request = CreateAvatarRequest::Photo(CreatePhotoAvatar::new("Photo A", file));
    request.validate().unwrap();
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["type"], "photo");
    assert_eq!(json["name"], "Photo A");
    assert_eq!(json["file"]["type"], "base64");
    assert_eq!(json["file"]["media_type"], "image/png");
    let data = json["file"]["data"].as_str().unwrap();
    assert!(data.starts_with("iVBORw0KGgo"));
    assert!(!data.contains(char::is_whitespace));
    assert!(json["file"].get("content_type").is_none());
}

#[test]
fn br_05_data_uri_is_split() {
    let input = AssetInput::from_data_uri("data:image/png;base64,iVBORw0KGgo=").unwrap();
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="})
    );
}

#[test]
fn br_05_data_uri_pasted_as_data_is_rejected() {
    let input = AssetInput::Base64 {
        media_type: "image/png".into(),
        data: serde_json::from_str("\"data:image/png;base64,iVBORw0KGgo=\"").unwrap(),
    };
    assert_eq!(
        input.validate(),
        Err(ValidationError::new("data", Rule::DataUriPrefix))
    );
}

#[test]
fn br_05_png_declared_as_jpeg_is_rejected() {
    assert_eq!(
        AssetInput::base64_from_bytes("image/jpeg", PNG),
        Err(ValidationError::new(
            "media_type",
            Rule::MediaTypeMismatch {
                declared: "image/jpeg".into(),
                detected: "image/png"
            }
        ))
    );
}

#[test]
fn br_11_empty_consent_is_empty_object() {
    let request = CreateConsentRequest::new();
    request.validate().unwrap();
    assert_eq!(serde_json::to_string(&request).unwrap(), "{}");
}

#[test]
fn br_11_unset_video_fields_are_omitted() {
    let request = CreateVideoRequest::Avatar(
        CreateAvatarVideo::new(LookId::new("look_0001").unwrap()).script("Hello"),
    );
    request.validate().unwrap();
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"type":"avatar","avatar_id":"look_0001","script":"Hello"}"#
    );
}

#[test]
fn br_13_video_takes_look_id_on_the_wire() {
    let request: CreateVideoRequest = CreateAvatarVideo::new(LookId::new("look_0001").unwrap())
        .script("Hi")
        .into();
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["type"], "avatar");
    assert_eq!(json["avatar_id"], "look_0001");
    // The mix-up itself is a compile error: see tests/ui/group_id_as_look_id.rs.
}

#[test]
fn br_14_null_optional_fields_in_list_items() {
    let page: ListPage<Look> = serde_json::from_str(r#"{"data":[{"id":"look_0001","name":"A","avatar_type":"photo_avatar","preview_image_url":null,"preview_video_url":null,"default_voice_id":null},{"id":"look_0002","name":"B","avatar_type":"studio_avatar"}],"has_more":false,"next_token":null}"#).unwrap();
    assert_eq!(page.data.len(), 2);
    assert!(!page.has_more());
    assert_eq!(page.next_token, None);
    for look in &page.data {
        assert_eq!(look.preview_image_url, None);
        assert_eq!(look.preview_video_url, None);
        assert_eq!(look.default_voice_id, None);
    }
    assert_eq!(page.data[0].avatar_type, AvatarType::PhotoAvatar);
    assert_eq!(page.data[1].avatar_type, AvatarType::StudioAvatar);
}

#[test]
fn br_14_null_consent_status_means_not_required() {
    let group: AvatarGroup = data(
        r#"{"data":{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":2,"consent_status":null}}"#,
    );
    assert_eq!(group.consent_status, None);
    assert_eq!(group.looks_count, Some(2));
    let pending: AvatarGroup = data(
        r#"{"data":{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":2,"consent_status":"pending"}}"#,
    );
    assert_eq!(pending.consent_status, Some(ConsentStatus::Pending));
    let approved: AvatarGroup = data(
        r#"{"data":{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":2,"consent_status":"approved"}}"#,
    );
    assert_eq!(approved.consent_status, Some(ConsentStatus::Approved));
}

#[test]
fn br_14_missing_has_more_is_false() {
    let page: ListPage<Look> = serde_json::from_str(r#"{"data":[]}"#).unwrap();
    assert!(!page.has_more());
    assert_eq!(page.next_token(), None);
}

#[test]
fn br_26_new_enum_values_do_not_break_the_page() {
    let body = r#"{"data":[{"id":"look_0001","name":"A","avatar_type":"hologram_avatar","supported_api_engines":["avatar_v","avatar_iv","avatar_vi"],"preferred_orientation":"diagonal"},{"id":"look_0002","name":"B","avatar_type":"photo_avatar"}],"has_more":false,"next_token":null}"#;
    let page: ListPage<Look> = serde_json::from_str(body).unwrap();
    let first = &page.data[0];
    assert_eq!(
        first.avatar_type,
        AvatarType::Unknown("hologram_avatar".into())
    );
    assert_eq!(
        first.supported_api_engines,
        vec![
            VideoEngine::AvatarV,
            VideoEngine::AvatarIv,
            VideoEngine::Unknown("avatar_vi".into())
        ]
    );
    assert_eq!(
        first.preferred_orientation,
        Some(Orientation::Unknown("diagonal".into()))
    );
    assert_eq!(page.data[1].avatar_type, AvatarType::PhotoAvatar);
    let again = serde_json::to_value(&page).unwrap();
    assert_eq!(again["data"][0]["avatar_type"], "hologram_avatar");
    assert_eq!(again["data"][0]["supported_api_engines"][2], "avatar_vi");
    assert_eq!(again["data"][0]["preferred_orientation"], "diagonal");
    assert_eq!(
        serde_json::from_value::<ListPage<Look>>(again).unwrap(),
        page
    );
}

#[test]
fn br_30_debug_hides_presigned_query_and_base64_payload() {
    let upload: DirectUpload = data(
        r#"{"data":{"asset_id":"asset_0001","upload_url":"https://storage.example.com/b/k?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED","upload_headers":{"Content-Type":"video/mp4"},"expires_in_seconds":900}}"#,
    );
    let debug = format!("{upload:?}");
    let display = upload.upload_url.to_string();
    for text in [&debug, &display] {
        assert!(
            !text.contains("SECRETSIG") && !text.contains("CRED"),
            "{text}"
        );
        assert!(text.contains("<redacted>"), "{text}");
    }
    assert!(
        upload
            .upload_url
            .as_str()
            .contains("X-Amz-Signature=SECRETSIG")
    );

    let big = vec![0u8; 5 * 1024 * 1024];
    let file = AssetInput::base64_from_bytes("application/octet-stream", &big).unwrap();
    let request = CreateAvatarRequest::Photo(CreatePhotoAvatar::new("Photo A", file));
    let debug = format!("{request:?}");
    assert!(debug.len() < 1000, "debug is {} bytes", debug.len());
    assert!(debug.contains("6990508 base64 chars"), "{debug}");
}

#[test]
fn br_15_upload_url_is_kept_byte_for_byte() {
    let upload: DirectUpload = data(
        r#"{"data":{"asset_id":"asset_0001","upload_url":"https://storage.example.com/b/k?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900","upload_headers":{"Content-Type":"video/mp4","x-amz-acl":"private"},"expires_in_seconds":900}}"#,
    );
    assert_eq!(
        upload.upload_url.as_str(),
        "https://storage.example.com/b/k?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900"
    );
    assert_eq!(
        upload.upload_headers.as_slice()[0],
        ("Content-Type".to_owned(), "video/mp4".to_owned())
    );
    assert_eq!(upload.upload_headers.get("content-type"), Some("video/mp4"));
    assert_eq!(upload.expires_in_seconds, Some(900));
    assert_eq!(upload.max_bytes, None);
}

#[test]
fn br_30_redact_url_queries_in_free_text() {
    let snippet = r#"{"message":"PUT https://storage.example.com/b/k?X-Amz-Signature=SECRETSIG&X-Amz-Credential=CRED failed","doc":"https://docs.example.com/x"}"#;
    let clean = secret::redact_url_queries(snippet);
    assert!(
        !clean.contains("SECRETSIG") && !clean.contains("CRED"),
        "{clean}"
    );
    assert!(
        clean.contains("https://storage.example.com/b/k?<redacted> failed"),
        "{clean}"
    );
    assert!(clean.contains("https://docs.example.com/x\""), "{clean}");
    assert_eq!(secret::redact_url_queries("no urls"), "no urls");
}
