//! `parse_operation`: one response through one operation's `parse`, with the invariants every
//! parse keeps.
//!
//! Input: one selector byte, then a response as [`Response::split`] reads it. The selector's
//! low bits pick the operation from [`OPERATIONS`] (every `heygen_core::ops` operation, the
//! `heygen_core::oauth` token operations, and `RawJson` in both its modes); its high bit picks
//! a 64-byte body limit instead of the default.
//! New operations go at the end of the list, so the seeds keep their operation.
//!
//! Invariants:
//! - nothing panics, and errors format (`Display`, `Debug`) and classify;
//! - only a 2xx status parses to a value;
//! - an error that names a status names the response's;
//! - a raw body over the limit is refused as `BodyTooLarge` (except a direct-upload `PUT`,
//!   whose 2xx needs no body);
//! - the `Retry-After` an error carries is `parse_retry_after` of the headers;
//! - no error text leaks a secret query parameter from the body, and the `Location` of a
//!   refused redirect is redacted;
//! - a parsed value's `Debug` never shows a webhook signing secret from the body.

use core::fmt::Debug;

use heygen_core::error::Error;
use heygen_core::oauth;
use heygen_core::ops::{CloneVoice, CreateSpeech, DeleteVoice, DesignVoice, GetVoice, ListVoices};
use heygen_core::ops::{
    CompleteUpload, CreateAvatar, CreateConsent, CreateDirectUpload, CreateVideo,
    DeleteAvatarGroup, DeleteLook, DeleteVideo, DirectUploadPut, GetAvatarGroup, GetCurrentUser,
    GetLook, GetVideo, ListAvatarGroups, ListLooks, ListVideos, RawJson, UpdateLook, UploadAsset,
};
use heygen_core::ops::{
    CompleteUploadBatch, CreateUploadBatch, DeleteAsset, GetAsset, GetAssetBatch, GetAssetStatuses,
    ListAssets,
};
use heygen_core::ops::{CreateVideoBatch, GetVideoBatch, GetVideoStatuses};
use heygen_core::ops::{
    CreateWebhookEndpoint, DeleteWebhookEndpoint, ListWebhookEndpoints, ListWebhookEventTypes,
    ListWebhookEvents, RotateWebhookSecret, UpdateWebhookEndpoint,
};
use heygen_core::response::parse_retry_after;
use heygen_core::{Operation, ResponseLimits, Source};
use heygen_model::webhook::{
    CreateWebhookEndpointRequest, ListWebhookEndpointsQuery, ListWebhookEventsQuery,
    UpdateWebhookEndpointRequest, WebhookEndpointId,
};
use heygen_model::{
    AssetId, AvatarGroupId, CompleteUploadRequest, CreateConsentRequest, CreateDirectUploadRequest,
    ListAvatarGroupsQuery, ListLooksQuery, ListVideosQuery, LookId, UpdateLookRequest, VideoId,
};

use heygen_model::{
    AssetInput, CloneVoiceRequest, DesignVoiceRequest, ListVoicesQuery, SpeechRequest, VoiceId,
};
use heygen_model::{
    AssetStatusesQuery, BatchId, CompleteUploadBatchRequest, CreateUploadBatchRequest,
    ListAssetsQuery,
};

use crate::input::Response;
use crate::secrets::{SECRET_PARAMS, assert_no_leak};

/// The operations, by selector value (`selector % len`).
pub const OPERATIONS: &[&str] = &[
    "CreateAvatar",
    "CreateConsent",
    "GetAvatarGroup",
    "ListAvatarGroups",
    "DeleteAvatarGroup",
    "ListLooks",
    "GetLook",
    "UpdateLook",
    "DeleteLook",
    "UploadAsset",
    "CreateDirectUpload",
    "CompleteUpload",
    "DirectUploadPut",
    "CreateVideo",
    "GetVideo",
    "ListVideos",
    "DeleteVideo",
    "GetCurrentUser",
    "RawJson",
    "RawJson::whole_body",
    "ListWebhookEndpoints",
    "CreateWebhookEndpoint",
    "UpdateWebhookEndpoint",
    "DeleteWebhookEndpoint",
    "RotateWebhookSecret",
    "ListWebhookEventTypes",
    "ListWebhookEvents",
    "ListVoices",
    "GetVoice",
    "DesignVoice",
    "CloneVoice",
    "CreateSpeech",
    "DeleteVoice",
    "ListAssets",
    "GetAsset",
    "DeleteAsset",
    "GetAssetStatuses",
    "CreateUploadBatch",
    "CompleteUploadBatch",
    "GetAssetBatch",
    "CreateVideoBatch",
    "GetVideoBatch",
    "GetVideoStatuses",
    "ExchangeCode",
    "RefreshAccessToken",
    "RevokeToken",
    "AuthorizeDevice",
    "PollDeviceToken",
];

/// Runs one response through the operation the first byte picks.
///
/// # Panics
/// When an invariant above does not hold.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per operation reads best as one match"
)]
pub fn parse_operation(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let input = Response::split(rest);
    let limits = if selector & 0x80 == 0 {
        ResponseLimits::default()
    } else {
        ResponseLimits::new(64)
    };
    let Ok(group) = AvatarGroupId::new("grp_0001") else {
        return;
    };
    let Ok(look) = LookId::new("look_0001") else {
        return;
    };
    let Ok(video) = VideoId::new("vid_0001") else {
        return;
    };
    let Ok(asset) = AssetId::new("asset_0001") else {
        return;
    };
    let Ok(endpoint) = WebhookEndpointId::new("ep_0001") else {
        return;
    };
    let Ok(voice) = VoiceId::new("voice_0001") else {
        return;
    };
    let check = Check {
        input: &input,
        limits: &limits,
    };
    match usize::from(selector & 0x7f) % OPERATIONS.len() {
        0 => {
            let json = serde_json::json!({
                "type": "photo", "name": "A",
                "file": {"type": "url", "url": "https://example.com/a.png"}
            });
            if let Ok(request) = serde_json::from_value::<heygen_model::CreateAvatarRequest>(json) {
                check.run(&CreateAvatar::new(request), false);
            }
        }
        1 => check.run(
            &CreateConsent::new(group, CreateConsentRequest::new()),
            false,
        ),
        2 => check.run(&GetAvatarGroup::new(group), false),
        3 => check.run(
            &ListAvatarGroups::new(ListAvatarGroupsQuery::default()),
            false,
        ),
        4 => check.run(&DeleteAvatarGroup::new(group), false),
        5 => check.run(&ListLooks::new(ListLooksQuery::new()), false),
        6 => check.run(&GetLook::new(look), false),
        7 => check.run(&UpdateLook::new(look, UpdateLookRequest::new()), false),
        8 => check.run(&DeleteLook::new(look), false),
        9 => check.run(
            &UploadAsset::new(Source::Reader, "a.png", "image/png", 10, [0; 16]),
            false,
        ),
        10 => check.run(
            &CreateDirectUpload::new(CreateDirectUploadRequest::new("a.mp4", "video/mp4", 10)),
            false,
        ),
        11 => check.run(
            &CompleteUpload::new(asset, CompleteUploadRequest::new()),
            false,
        ),
        12 => check.run(
            &DirectUploadPut::new(
                "https://storage.example.com/k?X-Amz-Signature=abc",
                [("Content-Type", "video/mp4")],
                Source::Reader,
                10,
            ),
            true,
        ),
        13 => {
            let json = serde_json::json!({
                "type": "avatar", "avatar_id": "look_0001", "script": "Hello"
            });
            if let Ok(request) = serde_json::from_value::<heygen_model::CreateVideoRequest>(json) {
                check.run(&CreateVideo::new(request), false);
            }
        }
        14 => check.run(&GetVideo::new(video), false),
        15 => check.run(&ListVideos::new(ListVideosQuery::new()), false),
        16 => check.run(&DeleteVideo::new(video), false),
        17 => check.run(&GetCurrentUser::new(), false),
        18 => check.run(&RawJson::new(http::Method::GET, "/v3/x"), false),
        19 => check.run(
            &RawJson::new(http::Method::GET, "/v3/x").whole_body(),
            false,
        ),
        20 => check.run(
            &ListWebhookEndpoints::new(ListWebhookEndpointsQuery::new()),
            false,
        ),
        21 => check.run(
            &CreateWebhookEndpoint::new(CreateWebhookEndpointRequest::new(
                "https://example.com/hook",
            )),
            false,
        ),
        22 => check.run(
            &UpdateWebhookEndpoint::new(endpoint, UpdateWebhookEndpointRequest::new()),
            false,
        ),
        23 => check.run(&DeleteWebhookEndpoint::new(endpoint), false),
        24 => check.run(&RotateWebhookSecret::new(endpoint), false),
        25 => check.run(&ListWebhookEventTypes::new(), false),
        26 => check.run(
            &ListWebhookEvents::new(ListWebhookEventsQuery::new()),
            false,
        ),
        27 => check.run(&ListVoices::new(ListVoicesQuery::new()), false),
        28 => check.run(&GetVoice::new(voice), false),
        29 => check.run(&DesignVoice::new(DesignVoiceRequest::new("calm")), false),
        30 => check.run(
            &CloneVoice::new(CloneVoiceRequest::new(
                "A",
                AssetInput::url("https://example.com/a.mp3"),
            )),
            false,
        ),
        31 => check.run(&CreateSpeech::new(SpeechRequest::new(voice, "Hi")), false),
        32 => check.run(&DeleteVoice::new(voice), false),
        33 => check.run(&ListAssets::new(ListAssetsQuery::new("ada")), false),
        34 => check.run(&GetAsset::new(asset), false),
        35 => check.run(&DeleteAsset::new(asset), false),
        36 => check.run(
            &GetAssetStatuses::new(AssetStatusesQuery::assets([asset])),
            false,
        ),
        37 => check.run(
            &CreateUploadBatch::new(CreateUploadBatchRequest::new(vec![
                CreateDirectUploadRequest::new("a.mp4", "video/mp4", 10),
            ])),
            false,
        ),
        38 => {
            if let Ok(batch) = BatchId::new("batch_0001") {
                check.run(
                    &CompleteUploadBatch::new(CompleteUploadBatchRequest::new(batch)),
                    false,
                );
            }
        }
        39 => {
            if let Ok(batch) = BatchId::new("batch_0001") {
                check.run(&GetAssetBatch::new(batch), false);
            }
        }
        40 => check.run(
            &CreateVideoBatch::new(heygen_model::CreateVideoBatchRequest::new([
                heygen_model::CreateAvatarVideo::new(look)
                    .script("Hi")
                    .into(),
            ])),
            false,
        ),
        41 => {
            if let Ok(batch) = BatchId::new("batch_0001") {
                check.run(&GetVideoBatch::new(batch), false);
            }
        }
        42 => check.run(
            &GetVideoStatuses::new(heygen_model::VideoStatusesQuery::new().video(video)),
            false,
        ),
        43 => check.run(
            &oauth::ExchangeCode::new(
                oauth_app(),
                oauth::AuthorizationCode::new("code_0001"),
                "http://127.0.0.1:1/oauth/callback",
                &oauth::Pkce::from_entropy(&[0; 32]),
            ),
            false,
        ),
        44 => check.run(
            &oauth::RefreshAccessToken::new(oauth_app(), oauth::RefreshToken::new("rt_0001")),
            false,
        ),
        45 => check.run(
            &oauth::RevokeToken::refresh_token(oauth_app(), &oauth::RefreshToken::new("rt_0001")),
            true,
        ),
        46 => check.run(&oauth::AuthorizeDevice::new(oauth_app(), None), false),
        _ => check.run(
            &oauth::PollDeviceToken::new(oauth_app(), oauth::DeviceCode::new("dc_0001")),
            false,
        ),
    }
}

/// The app of the OAuth operations.
fn oauth_app() -> oauth::OAuthApp {
    oauth::OAuthApp::new("app_0001")
}

struct Check<'a> {
    input: &'a Response<'a>,
    limits: &'a ResponseLimits,
}

impl Check<'_> {
    /// `success_needs_no_body`: a 2xx is accepted before the body is looked at.
    fn run<O>(&self, op: &O, success_needs_no_body: bool)
    where
        O: Operation,
        O::Output: Debug,
    {
        let status = self.input.status;
        let result = op.parse(self.input.to_http(), self.limits);
        let too_large = self.input.body.len() > self.limits.max_body_bytes
            && !(success_needs_no_body && status.is_success());
        match result {
            Ok(value) => {
                let shown = format!("{value:?}");
                if let Some(secret) = self.secret_in_body() {
                    assert!(!shown.contains(&secret), "Debug shows the secret: {shown}");
                }
                assert!(status.is_success(), "status {status} parsed to a value");
                assert!(!too_large, "a body over the limit parsed to a value");
            }
            Err(error) => {
                if too_large {
                    assert!(
                        matches!(error, Error::BodyTooLarge(_)),
                        "a body over the limit gave {error:?}"
                    );
                }
                self.check_error(&error);
            }
        }
    }

    /// The `data.secret` string of the body (a webhook signing secret), when it is long enough
    /// to look for and appears nowhere else in the body.
    fn secret_in_body(&self) -> Option<String> {
        let value: serde_json::Value = serde_json::from_slice(self.input.body).ok()?;
        let secret = value.pointer("/data/secret")?.as_str()?;
        let text = core::str::from_utf8(self.input.body).ok()?;
        (secret.len() >= 8 && text.matches(secret).count() == 1).then(|| secret.to_owned())
    }

    fn check_error(&self, error: &Error) {
        let display = error.to_string();
        let _ = format!("{error:?}");
        let _ = (
            error.api_code(),
            error.request_id(),
            error.class(),
            error.is_retryable(),
            error.is_timeout(),
            error.transport_kind(),
        );
        if let Some(status) = error.status() {
            assert_eq!(status, self.input.status, "the error names another status");
        }
        if matches!(error, Error::Api(_) | Error::UnexpectedResponse(_)) {
            assert_eq!(
                error.retry_after(),
                parse_retry_after(self.input.to_http().headers()),
                "the error's Retry-After is not the header's"
            );
        }
        // What comes from the body is redacted, always.
        match error {
            Error::Api(e) => {
                for (what, text) in [
                    ("code", &e.code),
                    ("message", &e.message),
                    ("param", &e.param),
                    ("doc_url", &e.doc_url),
                ] {
                    if let Some(text) = text {
                        assert_no_leak(what, text, SECRET_PARAMS);
                    }
                }
            }
            Error::UnexpectedResponse(e) => assert_no_leak("snippet", &e.snippet, SECRET_PARAMS),
            Error::UnexpectedRedirect(e) => {
                if let Some(location) = &e.location {
                    assert_no_leak("location", location, SECRET_PARAMS);
                }
            }
            Error::Decode(e) => {
                assert_no_leak("snippet", &e.snippet, SECRET_PARAMS);
                assert_no_leak("message", &e.message, SECRET_PARAMS);
                assert_no_leak("json path", &e.json_path, SECRET_PARAMS);
            }
            _ => {}
        }
        // The whole text too, unless a header (the request id, the content type) carried the
        // secret: headers are shown as the server sent them.
        let headers_carry_secret = self.input.headers.iter().any(|(name, value)| {
            let text = format!("{}:{}", name, String::from_utf8_lossy(value.as_bytes()));
            let lower = text.to_ascii_lowercase();
            SECRET_PARAMS.iter().any(|p| lower.contains(p))
        });
        // (`Debug` shows the same fields, escaped: `\t` before `oken=` reads as `token=`.)
        if !headers_carry_secret {
            assert_no_leak("the error's Display", &display, SECRET_PARAMS);
        }
    }
}
