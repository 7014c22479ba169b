//! Shared helpers.

use std::io::Write as _;

use heygen_core::Config;
use http::Response;
use serde_json::Value;

/// The canary API key; it must never appear in formatted output.
pub(crate) const KEY: &str = "hg_test_KEY";

pub(crate) fn config() -> Config {
    Config::builder().api_key(KEY).build().unwrap()
}

pub(crate) fn resp<'a>(
    status: u16,
    headers: &[(&str, &str)],
    body: &'a [u8],
) -> Response<&'a [u8]> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body).unwrap()
}

pub(crate) fn json_resp(status: u16, body: &str) -> Response<&[u8]> {
    resp(
        status,
        &[
            ("content-type", "application/json"),
            ("x-request-id", "req_0001"),
        ],
        body.as_bytes(),
    )
}

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

pub(crate) fn body_json(request: &http::Request<bytes::Bytes>) -> Value {
    serde_json::from_slice(request.body()).unwrap()
}

pub(crate) fn group() -> heygen_model::AvatarGroupId {
    heygen_model::AvatarGroupId::new("grp_0001").unwrap()
}

pub(crate) fn look() -> heygen_model::LookId {
    heygen_model::LookId::new("look_0001").unwrap()
}

pub(crate) fn video() -> heygen_model::VideoId {
    heygen_model::VideoId::new("vid_0001").unwrap()
}

pub(crate) fn asset() -> heygen_model::AssetId {
    heygen_model::AssetId::new("asset_0001").unwrap()
}

pub(crate) const GROUP_JSON: &str =
    r#"{"id":"grp_0001","name":"G","created_at":1764400000,"looks_count":2,"consent_status":null}"#;
pub(crate) const LOOK_JSON: &str = r#"{"id":"look_0001","name":"A","avatar_type":"photo_avatar"}"#;
pub(crate) const VIDEO_JSON: &str =
    r#"{"id":"vid_0001","status":"completed","video_url":"https://files.example.com/v.mp4"}"#;
