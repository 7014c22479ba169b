//! `request_inputs`: text from outside that ends up in a request: ids and page tokens (from
//! earlier responses or the command line), data URIs, URLs, media types, base64 and
//! idempotency keys given by a user.
//!
//! Input: any bytes, as lossy UTF-8 text.
//!
//! Invariants:
//! - an id is accepted exactly when `validate_id` accepts it, and a request built with it goes
//!   to the configured host, with the id as exactly one path segment that decodes back to it;
//! - a page token is one query value that decodes back to it, next to the query's other pairs;
//! - a `RawJson` path never changes the host;
//! - `AssetInput::from_data_uri` accepts only valid base64 data URIs, and what it accepts
//!   validates, round-trips through JSON and spells the input again;
//! - `validate_https_url`, `validate_media_type` and `validate_base64` accept only what they
//!   promise, and the model's media-type rule agrees with the core's on bare types;
//! - an idempotency key is accepted exactly when it is valid, and a call sends it unchanged.

use heygen_core::Call;
use heygen_core::Operation;
use heygen_core::operation::{IDEMPOTENCY_KEY_HEADER, is_valid_idempotency_key};
use heygen_core::ops::{
    CompleteUpload, CreateConsent, DeleteAvatarGroup, DeleteLook, DeleteVideo, GetAvatarGroup,
    GetLook, GetVideo, ListVideos, RawJson,
};
use heygen_core::ops::{DeleteWebhookEndpoint, RotateWebhookSecret};
use heygen_core::upload::is_valid_media_type;
use heygen_model::validate::{
    validate_base64, validate_https_url, validate_id, validate_idempotency_key, validate_media_type,
};
use heygen_model::webhook::WebhookEndpointId;
use heygen_model::{
    AssetId, AssetInput, AvatarGroupId, Base64Data, CompleteUploadRequest, CreateConsentRequest,
    IdempotencyKey, ListVideosQuery, LookId, VideoId,
};

use base64::Engine as _;

use crate::upload::config;

/// Percent-decodes `text`; `None` when an escape is malformed or the bytes are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = core::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Builds `op` and checks that it goes to the configured host at `prefix`, then one segment
/// that decodes to `id`, then `suffix`.
fn check_path<O: Operation>(op: &O, prefix: &str, id: &str, suffix: &str) {
    let request = match op.build(config()) {
        Ok(request) => request,
        Err(error) => panic!("a valid id {id:?} did not build: {error}"),
    };
    let uri = request.uri();
    assert_eq!(uri.scheme_str(), Some("https"));
    assert_eq!(uri.host(), Some("api.heygen.com"), "the id moved the host");
    assert_eq!(uri.query(), None, "the id added a query: {uri}");
    let path = uri.path();
    let Some(segment) = path
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(suffix))
    else {
        panic!("path {path:?} for id {id:?}");
    };
    assert!(
        !segment.contains('/') && !segment.is_empty() && segment != "." && segment != "..",
        "the id is not one segment: {path:?}"
    );
    assert_eq!(percent_decode(segment).as_deref(), Some(id), "{path:?}");
}

/// Checks everything that takes the input as request text.
///
/// # Panics
/// When an invariant in the module docs does not hold.
pub fn request_inputs(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    ids(text);
    page_token(text);
    raw_path(text);
    data_uri(text);
    validators(text);
    idempotency_key(text);
}

fn ids(text: &str) {
    let valid = validate_id("id", text).is_ok();
    assert_eq!(VideoId::new(text).is_ok(), valid, "VideoId::new({text:?})");
    let (Ok(video), Ok(look), Ok(group), Ok(asset)) = (
        VideoId::new(text),
        LookId::new(text),
        AvatarGroupId::new(text),
        AssetId::new(text),
    ) else {
        return;
    };
    check_path(&GetVideo::new(video.clone()), "/v3/videos/", text, "");
    check_path(&DeleteVideo::new(video), "/v3/videos/", text, "");
    check_path(&GetLook::new(look.clone()), "/v3/avatars/looks/", text, "");
    check_path(&DeleteLook::new(look), "/v3/avatars/looks/", text, "");
    check_path(
        &GetAvatarGroup::new(group.clone()),
        "/v3/avatars/",
        text,
        "",
    );
    check_path(
        &DeleteAvatarGroup::new(group.clone()),
        "/v3/avatars/",
        text,
        "",
    );
    check_path(
        &CreateConsent::new(group, CreateConsentRequest::new()),
        "/v3/avatars/",
        text,
        "/consent",
    );
    check_path(
        &CompleteUpload::new(asset, CompleteUploadRequest::new()),
        "/v3/assets/",
        text,
        "/complete",
    );
    if let Ok(endpoint) = WebhookEndpointId::new(text) {
        check_path(
            &DeleteWebhookEndpoint::new(endpoint.clone()),
            "/v3/webhooks/endpoints/",
            text,
            "",
        );
        check_path(
            &RotateWebhookSecret::new(endpoint),
            "/v3/webhooks/endpoints/",
            text,
            "/rotate-secret",
        );
    }
}

fn page_token(text: &str) {
    let query = ListVideosQuery::new().with_token(text);
    let pairs = query.to_query_pairs();
    let Ok(request) = ListVideos::new(query).build(config()) else {
        return;
    };
    let uri = request.uri();
    assert_eq!(
        uri.host(),
        Some("api.heygen.com"),
        "the token moved the host"
    );
    assert_eq!(uri.path(), "/v3/videos", "the token changed the path");
    let sent: Vec<(String, String)> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect();
    let want: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    assert_eq!(sent, want, "the query of {uri}");
}

fn raw_path(text: &str) {
    let Ok(request) = RawJson::new(http::Method::GET, text).build(config()) else {
        return;
    };
    assert!(text.starts_with('/') && !text.contains(['?', '#']));
    assert_eq!(
        request.uri().host(),
        Some("api.heygen.com"),
        "the path moved the host"
    );
}

fn data_uri(text: &str) {
    let Ok(input) = AssetInput::from_data_uri(text) else {
        return;
    };
    assert_eq!(
        input.validate(),
        Ok(()),
        "from_data_uri accepted an invalid {text:?}"
    );
    let AssetInput::Base64 { media_type, data } = &input else {
        panic!("a data uri gave {input:?}");
    };
    assert!(
        text.get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
    );
    assert_eq!(
        &text[5..],
        format!("{media_type};base64,{}", data.as_str()),
        "the parts do not spell the uri"
    );
    let json = serde_json::to_string(&input).unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<AssetInput>(&json).ok().as_ref(),
        Some(&input),
        "round-trip through {json}"
    );
}

fn validators(text: &str) {
    if validate_https_url("url", text).is_ok() {
        assert!(
            text.get(..8)
                .is_some_and(|p| p.eq_ignore_ascii_case("https://")),
            "not https: {text:?}"
        );
        assert!(!text.chars().any(|c| c.is_whitespace() || c.is_control()));
    }
    assert_eq!(
        AssetInput::url(text).validate().is_ok(),
        validate_https_url("url", text).is_ok()
    );

    let model = validate_media_type("media_type", text).is_ok();
    if !text.contains(';') && text.trim() == text {
        assert_eq!(
            model,
            is_valid_media_type(text),
            "the model and the core disagree on the media type {text:?}"
        );
    }

    if validate_base64("data", text).is_ok() {
        let decoded = base64::engine::general_purpose::STANDARD.decode(text);
        let Ok(decoded) = decoded else {
            panic!("validate_base64 accepted {text:?}");
        };
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(&decoded),
            text,
            "base64 that is not canonical"
        );
        assert!(Base64Data::from_base64(text).is_ok());
    } else {
        assert!(Base64Data::from_base64(text).is_err());
    }
}

fn idempotency_key(text: &str) {
    let valid = is_valid_idempotency_key(text);
    assert_eq!(validate_idempotency_key(text).is_ok(), valid, "{text:?}");
    let Ok(key) = IdempotencyKey::new(text) else {
        assert!(!valid, "IdempotencyKey::new refused {text:?}");
        return;
    };
    assert!(valid, "IdempotencyKey::new accepted {text:?}");
    let Ok(group) = AvatarGroupId::new("grp_0001") else {
        return;
    };
    let op = CreateConsent::new(group, CreateConsentRequest::new()).idempotency_key(key);
    let call = match Call::new(op, config(), [7; 16]) {
        Ok(call) => call,
        Err(error) => panic!("a valid key {text:?} did not build: {error}"),
    };
    let sent = call
        .request()
        .headers()
        .get(IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok());
    assert_eq!(sent, Some(text), "the call sent another key");
}
