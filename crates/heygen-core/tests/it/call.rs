//! The `Call` workflow: one key per logical call, attempts, effects.

use std::time::Duration;

use heygen_core::ops::{CompleteUpload, CreateVideo, GetVideo, UploadAsset};
use heygen_core::workflow::Scripted;
use heygen_core::{Call, Error, Source, TransportError, TransportErrorKind};
use heygen_model::{CompleteUploadRequest, CreateAvatarVideo, IdempotencyKey};

use crate::support::{VIDEO_JSON, asset, config, key_of, look, play, video};

fn call_key<O: heygen_core::Operation>(call: &Call<O>) -> String {
    call.request().headers()["idempotency-key"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[test]
fn one_key_for_every_attempt() {
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"));
    let mut call = Call::new(op, &config(), [1; 16]).unwrap();
    let key = call_key(&call);
    assert_eq!(call.idempotency_key(), Some(key.as_str()));
    assert_eq!(key, "hgrs-01010101010101010101010101010101");
    assert!(call.is_idempotent());
    let run = play(
        &mut call,
        &config(),
        [
            Scripted::failed(TransportErrorKind::Timeout),
            Scripted::json(
                409,
                r#"{"error":{"code":"request_in_progress","message":"busy"}}"#,
            ),
            Scripted::json(
                200,
                r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#,
            ),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send POST /v3/videos",
            "sleep 750ms",
            "send POST /v3/videos",
            "sleep 1500ms",
            "send POST /v3/videos",
        ]
    );
    assert!(run.sent.iter().all(|out| key_of(out) == Some(key.as_str())));
    assert_eq!(run.result.unwrap().video_id.as_str(), "vid_0001");
    assert_eq!(call.attempts(), 3);
    assert_eq!(call.idempotency_key(), Some(key.as_str()));
}

/// An attempt hands its request to the client; a retry builds it again from the operation, and
/// the rebuilt request is the same request: method, URL, every header and the body.
#[test]
fn a_retry_sends_exactly_the_first_request_again() {
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"));
    let mut call = Call::new(op, &config(), [7; 16]).unwrap();
    let run = play(
        &mut call,
        &config(),
        [
            Scripted::json(503, r#"{"error":{"code":"unavailable","message":"x"}}"#),
            Scripted::failed(TransportErrorKind::Timeout),
            Scripted::json(
                200,
                r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#,
            ),
        ],
    );
    assert!(run.result.is_ok());
    assert_eq!(run.sent.len(), 3);
    let shape = |out: &heygen_core::workflow::Outgoing| {
        let r = &out.request;
        let mut headers: Vec<(String, Vec<u8>)> = r
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
            .collect();
        headers.sort();
        (
            r.method().clone(),
            r.uri().to_string(),
            headers,
            r.body().bytes().to_vec(),
        )
    };
    let first = shape(&run.sent[0]);
    assert!(first.3.starts_with(b"{"), "the JSON body is sent");
    assert!(first.2.iter().any(|(n, _)| n == "idempotency-key"));
    for retry in &run.sent[1..] {
        assert_eq!(shape(retry), first);
    }
}

#[test]
fn different_calls_get_different_keys() {
    let op = || CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"));
    let a = Call::new(op(), &config(), [1; 16]).unwrap();
    let b = Call::new(op(), &config(), [2; 16]).unwrap();
    assert_ne!(call_key(&a), call_key(&b));
}

#[test]
fn caller_key_wins() {
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"))
        .idempotency_key(IdempotencyKey::new("mine").unwrap());
    let call = Call::new(op, &config(), [1; 16]).unwrap();
    assert_eq!(call_key(&call), "mine");
}

#[test]
fn budget_ends_in_the_last_error() {
    let mut call = Call::new(GetVideo::new(video()), &config(), [0; 16]).unwrap();
    assert!(call.idempotency_key().is_none());
    let run = play(
        &mut call,
        &config(),
        [
            Scripted::json(503, "{}"),
            Scripted::json(503, "{}"),
            Scripted::json(503, "{}"),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send GET /v3/videos/vid_0001",
            "sleep 750ms",
            "send GET /v3/videos/vid_0001",
            "sleep 1500ms",
            "send GET /v3/videos/vid_0001",
        ]
    );
    assert!(run.sent.iter().all(|out| key_of(out).is_none()));
    assert_eq!(run.result.unwrap_err().status().unwrap(), 503);
    assert_eq!(call.attempts(), 3);
}

#[test]
fn transport_error_names_the_operation() {
    let call = Call::new(GetVideo::new(video()), &config(), [0; 16]).unwrap();
    let run = play(
        call,
        &config(),
        [Scripted::failed_with(TransportError::msg(
            TransportErrorKind::Tls,
            "handshake",
        ))],
    );
    // A TLS failure is never retried.
    assert_eq!(run.steps, ["send GET /v3/videos/vid_0001"]);
    let err = run.result.unwrap_err();
    assert_eq!(
        err.to_string(),
        "tls handshake failed (GET /v3/videos/{video_id})"
    );
    assert_eq!(err.transport_kind(), Some(TransportErrorKind::Tls));
}

#[test]
fn limits_and_timeouts_come_from_config() {
    let cfg = heygen_core::Config::builder()
        .api_key("k")
        .max_response_bytes(50)
        .build()
        .unwrap();
    let call = Call::new(GetVideo::new(video()), &cfg, [0; 16]).unwrap();
    assert_eq!(call.limits().read_limit(), 51);
    assert_eq!(call.timeout(), Duration::from_secs(30));
    let body = format!(r#"{{"data":{VIDEO_JSON}}}"#);
    assert!(body.len() > 50);
    let run = play(call, &cfg, [Scripted::json(200, &body)]);
    assert!(
        matches!(run.result, Err(Error::BodyTooLarge(_))),
        "{:?}",
        run.result
    );
    // Each attempt carries the call's limits.
    let options = run.sent[0].options;
    assert_eq!(options.read_limit, 51);
    assert_eq!(options.timeout, Duration::from_secs(30));
    assert_eq!(options.connect_timeout, cfg.connect_timeout());
    let upload = Call::new(
        UploadAsset::new(Source::Reader, "a.png", "image/png", 5, [0; 16]),
        &cfg,
        [0; 16],
    )
    .unwrap();
    assert_eq!(upload.timeout(), Duration::from_mins(10));
}

#[test]
fn complete_upload_retries_not_found_yet() {
    let call = Call::new(
        CompleteUpload::new(asset(), CompleteUploadRequest::new()),
        &config(),
        [0; 16],
    )
    .unwrap();
    let run = play(
        call,
        &config(),
        [
            Scripted::json(
                409,
                r#"{"error":{"code":"conflict","message":"Uploaded object not found yet"}}"#,
            ),
            Scripted::json(200, r#"{"data":{"asset_id":"asset_0001"}}"#),
        ],
    );
    assert_eq!(
        run.steps,
        [
            "send POST /v3/assets/asset_0001/complete",
            "sleep 750ms",
            "send POST /v3/assets/asset_0001/complete",
        ]
    );
    assert_eq!(run.result.unwrap().asset_id.as_str(), "asset_0001");
}

#[test]
fn streamed_upload_not_replayed_when_source_is_gone() {
    let call = Call::new(
        UploadAsset::new(Source::Reader, "a.png", "image/png", 5, [0; 16]),
        &config(),
        [0; 16],
    )
    .unwrap();
    assert!(!call.request().body().is_replayable());
    let run = play(call, &config(), [Scripted::json(429, "{}")]);
    assert_eq!(run.steps, ["send POST /v3/assets"]);
    assert_eq!(run.result.unwrap_err().status().unwrap(), 429);
}

#[test]
fn asked_again_after_done_is_an_error() {
    use heygen_core::{Cx, Event, Next, Workflow as _};
    let cfg = config();
    let mut call = Call::new(GetVideo::new(video()), &cfg, [0; 16]).unwrap();
    let cx = Cx::new(&cfg, Duration::ZERO, [0; 16]);
    assert!(matches!(call.next(&cx), Next::Send(_)));
    let body = format!(r#"{{"data":{VIDEO_JSON}}}"#);
    let response = http::Response::new(body.as_bytes());
    call.handle(
        Event::Response {
            response,
            sent: None,
        },
        &cx,
    );
    assert!(matches!(call.next(&cx), Next::Done(Ok(_))));
    assert!(matches!(
        call.next(&cx),
        Next::Done(Err(Error::InvalidRequest(_)))
    ));
}
