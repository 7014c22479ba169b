//! Golden requests: method, URI, every header but auth, and the body as JSON, per operation.

use std::collections::BTreeMap;

use bytes::Bytes;
use heygen_core::ops::{
    CompleteUpload, CreateAvatar, CreateConsent, CreateDirectUpload, CreateVideo,
    DeleteAvatarGroup, DeleteLook, DeleteVideo, GetAvatarGroup, GetCurrentUser, GetLook, GetVideo,
    ListAvatarGroups, ListLooks, ListVideos, RawJson, UpdateLook, UploadAsset,
};
use heygen_core::upload::MultipartFraming;
use heygen_core::{Body, Call, Error, Operation, Source};
use heygen_model::{
    AssetInput, AvatarType, CompleteUploadRequest, CreateAvatarVideo, CreateConsentRequest,
    CreateDigitalTwin, CreateDirectUploadRequest, CreatePhotoAvatar, CreatePromptAvatar,
    IdempotencyKey, ListAvatarGroupsQuery, ListLooksQuery, ListVideosQuery, Ownership,
    UpdateLookRequest,
};
use http::Request;
use serde_json::{Value, json};

use crate::support::{ENTROPY, GENERATED_KEY, built};
use crate::support::{asset, body_json, config, group, look, video};

fn headers(request: &Request<Body>) -> BTreeMap<String, String> {
    request
        .headers()
        .iter()
        .filter(|(name, _)| *name != "x-api-key")
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect()
}

fn expect(
    request: &Request<Body>,
    method: &str,
    uri: &str,
    key: Option<&str>,
    body: Option<Value>,
) {
    assert_eq!(request.method().as_str(), method);
    assert_eq!(request.uri().to_string(), uri);
    let mut want = BTreeMap::new();
    want.insert("accept".to_owned(), "application/json".to_owned());
    want.insert("accept-encoding".to_owned(), "gzip".to_owned());
    want.insert(
        "user-agent".to_owned(),
        format!("heygen-rs/{}", env!("CARGO_PKG_VERSION")),
    );
    if let Some(key) = key {
        want.insert("idempotency-key".to_owned(), key.to_owned());
    }
    if body.is_some() {
        want.insert("content-type".to_owned(), "application/json".to_owned());
    }
    assert_eq!(headers(request), want);
    let auth = request.headers().get("x-api-key").unwrap();
    assert!(auth.is_sensitive());
    assert!(request.headers().get("authorization").is_none());
    match body {
        Some(body) => assert_eq!(body_json(request), body),
        None => assert_eq!(request.body(), &Body::Bytes(Bytes::new())),
    }
}

#[test]
fn create_avatar_photo() {
    let op = CreateAvatar::new(CreatePhotoAvatar::new(
        "Photo A",
        AssetInput::url("https://example.com/a.png"),
    ));
    expect(
        &built(op),
        "POST",
        "https://api.heygen.com/v3/avatars",
        Some(GENERATED_KEY),
        Some(
            json!({"type":"photo","name":"Photo A","file":{"type":"url","url":"https://example.com/a.png"}}),
        ),
    );
}

#[test]
fn create_avatar_digital_twin_with_caller_key() {
    let op = CreateAvatar::new(CreateDigitalTwin::new(
        "Twin A",
        AssetInput::url("https://example.com/footage.mp4"),
    ))
    .idempotency_key(IdempotencyKey::new("idem-0001").unwrap());
    expect(
        &built(op),
        "POST",
        "https://api.heygen.com/v3/avatars",
        Some("idem-0001"),
        Some(
            json!({"type":"digital_twin","name":"Twin A","file":{"type":"url","url":"https://example.com/footage.mp4"}}),
        ),
    );
}

#[test]
fn create_avatar_prompt() {
    let op = CreateAvatar::new(CreatePromptAvatar::new("P", "a friendly teacher"));
    expect(
        &built(op),
        "POST",
        "https://api.heygen.com/v3/avatars",
        Some(GENERATED_KEY),
        Some(json!({"type":"prompt","name":"P","prompt":"a friendly teacher"})),
    );
}

#[test]
fn create_consent_empty_and_with_options() {
    expect(
        &built(CreateConsent::new(group(), CreateConsentRequest::new())),
        "POST",
        "https://api.heygen.com/v3/avatars/grp_0001/consent",
        Some(GENERATED_KEY),
        Some(json!({})),
    );
    expect(
        &built(CreateConsent::new(
            group(),
            CreateConsentRequest::new().reroute_url("https://example.com/done"),
        )),
        "POST",
        "https://api.heygen.com/v3/avatars/grp_0001/consent",
        Some(GENERATED_KEY),
        Some(json!({"reroute_url":"https://example.com/done"})),
    );
}

#[test]
fn get_avatar_group() {
    expect(
        &built(GetAvatarGroup::new(group())),
        "GET",
        "https://api.heygen.com/v3/avatars/grp_0001",
        None,
        None,
    );
}

#[test]
fn list_avatar_groups() {
    expect(
        &built(ListAvatarGroups::new(ListAvatarGroupsQuery::default())),
        "GET",
        "https://api.heygen.com/v3/avatars",
        None,
        None,
    );
    let query = ListAvatarGroupsQuery::default()
        .ownership(Ownership::Private)
        .limit(50)
        .token("tok 2/3");
    expect(
        &built(ListAvatarGroups::new(query)),
        "GET",
        "https://api.heygen.com/v3/avatars?ownership=private&limit=50&token=tok%202%2F3",
        None,
        None,
    );
}

#[test]
fn delete_avatar_group() {
    expect(
        &built(DeleteAvatarGroup::new(group())),
        "DELETE",
        "https://api.heygen.com/v3/avatars/grp_0001",
        Some(GENERATED_KEY),
        None,
    );
}

#[test]
fn list_looks() {
    let query = ListLooksQuery::new()
        .group_id(group())
        .avatar_type(AvatarType::PhotoAvatar)
        .ownership(Ownership::Public)
        .limit(50);
    expect(
        &built(ListLooks::new(query)),
        "GET",
        "https://api.heygen.com/v3/avatars/looks?group_id=grp_0001&avatar_type=photo_avatar&ownership=public&limit=50",
        None,
        None,
    );
}

#[test]
fn get_look() {
    expect(
        &built(GetLook::new(look())),
        "GET",
        "https://api.heygen.com/v3/avatars/looks/look_0001",
        None,
        None,
    );
}

#[test]
fn update_look() {
    expect(
        &built(UpdateLook::new(
            look(),
            UpdateLookRequest::new().name("New"),
        )),
        "PATCH",
        "https://api.heygen.com/v3/avatars/looks/look_0001",
        Some(GENERATED_KEY),
        Some(json!({"name":"New"})),
    );
    expect(
        &built(UpdateLook::new(look(), UpdateLookRequest::new())),
        "PATCH",
        "https://api.heygen.com/v3/avatars/looks/look_0001",
        Some(GENERATED_KEY),
        Some(json!({})),
    );
}

#[test]
fn delete_look() {
    expect(
        &built(DeleteLook::new(look())),
        "DELETE",
        "https://api.heygen.com/v3/avatars/looks/look_0001",
        Some(GENERATED_KEY),
        None,
    );
}

#[test]
fn upload_asset_head() {
    let op = UploadAsset::new(
        Source::File("/photos/portrait.png".into()),
        "portrait.png",
        "image/png",
        1000,
        [0x11; 16],
    );
    let framing = MultipartFraming::new("portrait.png", "image/png", 1000, [0x11; 16]).unwrap();
    let request = built(op);
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri(), "https://api.heygen.com/v3/assets");
    let h = headers(&request);
    assert_eq!(
        h["content-type"],
        "multipart/form-data; boundary=heygen-rs-11111111111111111111111111111111"
    );
    assert_eq!(h["content-length"], framing.content_length().to_string());
    assert_eq!(h["idempotency-key"], GENERATED_KEY);
    assert_eq!(h["accept"], "application/json");
    assert_eq!(h["accept-encoding"], "gzip");
    assert_eq!(
        h["user-agent"],
        format!("heygen-rs/{}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(h.len(), 6, "{h:?}");
    assert!(request.headers()["x-api-key"].is_sensitive());
    // The body is a plan: part header, the file's 1000 bytes, closing boundary.
    let Body::Stream(plan) = request.body() else {
        panic!("{:?}", request.body())
    };
    assert_eq!(&plan.prefix, framing.prefix());
    assert_eq!(&plan.suffix, framing.suffix());
    assert_eq!(plan.len, 1000);
    assert_eq!(plan.source, Source::File("/photos/portrait.png".into()));
    assert!(!plan.sha256);
    assert_eq!(plan.content_length(), framing.content_length());
}

#[test]
fn create_direct_upload() {
    let hex = "a".repeat(64);
    let op = CreateDirectUpload::new(
        CreateDirectUploadRequest::new("big.mp4", "video/mp4", 536_870_912).checksum_sha256(&hex),
    );
    expect(
        &built(op),
        "POST",
        "https://api.heygen.com/v3/assets/direct-uploads",
        Some(GENERATED_KEY),
        Some(
            json!({"filename":"big.mp4","content_type":"video/mp4","size_bytes":536_870_912u64,"checksum_sha256":hex}),
        ),
    );
}

#[test]
fn complete_upload() {
    expect(
        &built(CompleteUpload::new(asset(), CompleteUploadRequest::new())),
        "POST",
        "https://api.heygen.com/v3/assets/asset_0001/complete",
        Some(GENERATED_KEY),
        Some(json!({})),
    );
}

#[test]
fn create_video() {
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"));
    expect(
        &built(op),
        "POST",
        "https://api.heygen.com/v3/videos",
        Some(GENERATED_KEY),
        Some(json!({"type":"avatar","avatar_id":"look_0001","script":"Hello"})),
    );
}

#[test]
fn get_video() {
    expect(
        &built(GetVideo::new(video())),
        "GET",
        "https://api.heygen.com/v3/videos/vid_0001",
        None,
        None,
    );
}

#[test]
fn list_videos() {
    expect(
        &built(ListVideos::new(
            ListVideosQuery::new().limit(100).token("t"),
        )),
        "GET",
        "https://api.heygen.com/v3/videos?limit=100&token=t",
        None,
        None,
    );
}

#[test]
fn delete_video() {
    expect(
        &built(DeleteVideo::new(video())),
        "DELETE",
        "https://api.heygen.com/v3/videos/vid_0001",
        Some(GENERATED_KEY),
        None,
    );
}

#[test]
fn get_current_user() {
    expect(
        &built(GetCurrentUser::new()),
        "GET",
        "https://api.heygen.com/v3/users/me",
        None,
        None,
    );
}

#[test]
fn raw_json() {
    expect(
        &built(RawJson::new(http::Method::POST, "/v3/things").query("a", "b c")),
        "POST",
        "https://api.heygen.com/v3/things?a=b%20c",
        Some(GENERATED_KEY),
        Some(json!({})),
    );
}

#[test]
fn bearer_token_replaces_api_key() {
    let cfg = heygen_core::Config::builder()
        .access_token("tok_secret")
        .build()
        .unwrap();
    let request = Call::new(GetCurrentUser::new(), &cfg, ENTROPY)
        .unwrap()
        .request()
        .clone();
    assert!(request.headers().get("x-api-key").is_none());
    let auth = request.headers().get("authorization").unwrap();
    assert!(auth.is_sensitive());
    assert_eq!(auth, "Bearer tok_secret");
}

#[test]
fn base_url_with_prefix_and_loopback() {
    let cfg = heygen_core::Config::builder()
        .api_key("k")
        .base_url("http://127.0.0.1:8080/")
        .build()
        .unwrap();
    let request = GetVideo::new(video()).build(&cfg).unwrap();
    assert_eq!(request.uri(), "http://127.0.0.1:8080/v3/videos/vid_0001");
}

#[test]
fn operation_build_sends_no_key_only_the_call_does() {
    let request = DeleteVideo::new(video()).build(&config()).unwrap();
    assert!(request.headers().get("idempotency-key").is_none());
    // Not even the caller's own key: `Call::new` validates and inserts it.
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"))
        .idempotency_key(IdempotencyKey::new("idem-0001").unwrap());
    assert!(
        op.build(&config())
            .unwrap()
            .headers()
            .get("idempotency-key")
            .is_none()
    );
    assert_eq!(built(op).headers()["idempotency-key"], "idem-0001");
}

#[test]
fn path_params_never_change_the_route() {
    for raw in [
        "a/b",
        "a?b=c",
        "a#frag",
        "a b",
        "../../v3/users/me",
        "%2F",
        "..%2F",
    ] {
        let id = heygen_model::VideoId::new(raw).unwrap();
        let request = GetVideo::new(id).build(&config()).unwrap();
        let path = request.uri().path();
        let rest = path.strip_prefix("/v3/videos/").unwrap();
        assert!(!rest.contains('/'), "{raw} -> {path}");
        assert!(request.uri().query().is_none(), "{raw}");
        assert_ne!(rest, "..");
        let decoded = percent_decode(rest);
        assert_eq!(decoded, raw);
    }
}

#[test]
fn dot_ids_are_rejected_before_sending() {
    // The model refuses them; an id decoded from a response could still carry them.
    let id: heygen_model::VideoId = serde_json::from_str("\"..\"").unwrap();
    let err = GetVideo::new(id).build(&config()).unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
}

#[test]
fn list_limit_over_fifty_is_rejected() {
    let err = ListLooks::new(ListLooksQuery::new().limit(51))
        .build(&config())
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    let err = Call::new(
        ListLooks::new(ListLooksQuery::new().limit(0)),
        &config(),
        ENTROPY,
    )
    .unwrap_err();
    assert!(err.to_string().contains("GET /v3/avatars/looks"), "{err}");
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
