//! Shared helpers.

use std::collections::VecDeque;
use std::io::Write as _;
use std::time::Duration;

use heygen_core::workflow::{Scripted, script};
use heygen_core::{Body, Config, Error, Next, Outgoing, Workflow};
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

/// The JSON body of a built request; panics unless the body is plain bytes.
pub(crate) fn body_json(request: &http::Request<Body>) -> Value {
    let Body::Bytes(bytes) = request.body() else {
        panic!("not a JSON body: {:?}", request.body())
    };
    serde_json::from_slice(bytes).unwrap()
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

/// What a scripted client did: the result, every effect as text, and every request it sent.
pub(crate) struct Run<T> {
    pub(crate) result: Result<T, Error>,
    pub(crate) steps: Vec<String>,
    pub(crate) sent: Vec<Outgoing>,
}

/// Runs `workflow` the way a client does, answering each send or inspection with the next of
/// `answers` in order; panics when the script runs out or answers are left over.
pub(crate) fn play<W: Workflow>(
    workflow: W,
    config: &Config,
    answers: impl IntoIterator<Item = Scripted>,
) -> Run<W::Output> {
    let mut answers: VecDeque<Scripted> = answers.into_iter().collect();
    let run = play_with(workflow, config, |next, _now| match next {
        Next::Send(_) | Next::Inspect(_) => answers.pop_front().expect("the script ran out"),
        // Ignored by `script`.
        _ => Scripted::reader_consumed(),
    });
    assert!(answers.is_empty(), "{} answers left over", answers.len());
    run
}

/// Runs `workflow` the way a client does, with `respond` answering each effect (it sees the
/// time, and may check sleeps and requests; its answer to a sleep, a yield or the end is
/// ignored).
pub(crate) fn play_with<W: Workflow>(
    workflow: W,
    config: &Config,
    mut respond: impl FnMut(&Next<W::Output, W::Item>, Duration) -> Scripted,
) -> Run<W::Output> {
    let mut sent = Vec::new();
    let (result, steps) = script(workflow, config, |next, now| {
        if let Next::Send(outgoing) = next {
            sent.push(outgoing.clone());
        }
        respond(next, now)
    });
    Run {
        result,
        steps,
        sent,
    }
}

/// The idempotency key a request carries.
pub(crate) fn key_of(outgoing: &Outgoing) -> Option<&str> {
    outgoing
        .request
        .headers()
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap())
}

/// The entropy of golden-request tests, and the idempotency key it makes.
pub(crate) const ENTROPY: [u8; 16] = [0x07; 16];
/// The key [`ENTROPY`] makes.
pub(crate) const GENERATED_KEY: &str = "hgrs-07070707070707070707070707070707";

/// The request an operation builds, with the golden entropy.
pub(crate) fn built<O: heygen_core::Operation>(op: O) -> http::Request<Body> {
    heygen_core::Call::new(op, &config(), ENTROPY)
        .unwrap()
        .request()
        .clone()
}

/// Method, URI, the idempotency key and content type, and the JSON body (or none).
pub(crate) fn expect_request(
    request: &http::Request<Body>,
    method: &str,
    uri: &str,
    key: Option<&str>,
    body: Option<Value>,
) {
    assert_eq!(request.method().as_str(), method);
    assert_eq!(request.uri().to_string(), uri);
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(header("idempotency-key").as_deref(), key);
    assert_eq!(header("accept").as_deref(), Some("application/json"));
    assert!(request.headers().get("x-api-key").unwrap().is_sensitive());
    if let Some(body) = body {
        assert_eq!(header("content-type").as_deref(), Some("application/json"));
        assert_eq!(body_json(request), body);
    } else {
        assert!(header("content-type").is_none());
        assert_eq!(request.body(), &Body::Bytes(bytes::Bytes::new()));
    }
}
