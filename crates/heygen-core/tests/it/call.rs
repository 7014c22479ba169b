//! The `Call` driver: one key per logical call, attempts, steps.

use std::time::Duration;

use heygen_core::ops::{CompleteUpload, CreateVideo, GetVideo, UploadAsset};
use heygen_core::{Call, Error, Step, TransportErrorKind};
use heygen_model::{CompleteUploadRequest, CreateAvatarVideo, IdempotencyKey};

use crate::support::{VIDEO_JSON, asset, config, json_resp, look, video};

fn key_of<O: heygen_core::Operation>(call: &Call<O>) -> String {
    call.request().headers()["idempotency-key"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[test]
fn one_key_for_every_attempt() {
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"));
    let mut call = Call::new(op, &config(), [1; 16]).unwrap();
    let key = key_of(&call);
    assert_eq!(call.idempotency_key(), Some(key.as_str()));
    assert!(call.is_idempotent());
    let step = call.on_transport_error(TransportErrorKind::Timeout, None, Duration::ZERO, 0.5);
    assert!(matches!(step, Step::RetryAfter(_)));
    assert_eq!(key_of(&call), key);
    let step = call.on_response(
        json_resp(
            409,
            r#"{"error":{"code":"request_in_progress","message":"busy"}}"#,
        ),
        Duration::from_secs(1),
        0.5,
    );
    assert!(matches!(step, Step::RetryAfter(_)));
    assert!(call.take_last_error().is_some());
    assert_eq!(key_of(&call), key);
    let step = call.on_response(
        json_resp(
            200,
            r#"{"data":{"video_id":"vid_0001","status":"waiting"}}"#,
        ),
        Duration::from_secs(3),
        0.5,
    );
    let Step::Done(Ok(out)) = step else {
        panic!("{step:?}")
    };
    assert_eq!(out.video_id.as_str(), "vid_0001");
    assert_eq!(call.attempts(), 3);
}

#[test]
fn different_calls_get_different_keys() {
    let op = || CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"));
    let a = Call::new(op(), &config(), [1; 16]).unwrap();
    let b = Call::new(op(), &config(), [2; 16]).unwrap();
    assert_ne!(key_of(&a), key_of(&b));
}

#[test]
fn caller_key_wins() {
    let op = CreateVideo::new(CreateAvatarVideo::new(look()).script("Hello"))
        .idempotency_key(IdempotencyKey::new("mine").unwrap());
    let call = Call::new(op, &config(), [1; 16]).unwrap();
    assert_eq!(key_of(&call), "mine");
}

#[test]
fn budget_ends_in_the_last_error() {
    let mut call = Call::new(GetVideo::new(video()), &config(), [0; 16]).unwrap();
    assert!(call.idempotency_key().is_none());
    for _ in 0..2 {
        let step = call.on_response(json_resp(503, "{}"), Duration::ZERO, 0.5);
        assert!(matches!(step, Step::RetryAfter(_)));
    }
    let step = call.on_response(json_resp(503, "{}"), Duration::ZERO, 0.5);
    let Step::Done(Err(err)) = step else { panic!() };
    assert_eq!(err.status().unwrap(), 503);
}

#[test]
fn transport_error_names_the_operation() {
    let mut call = Call::new(GetVideo::new(video()), &config(), [0; 16]).unwrap();
    call.on_transport_error(
        TransportErrorKind::Tls,
        Some("handshake".into()),
        Duration::ZERO,
        0.5,
    );
    let step = call.on_transport_error(TransportErrorKind::Tls, None, Duration::ZERO, 0.5);
    let Step::Done(Err(err)) = step else { panic!() };
    assert_eq!(
        err.to_string(),
        "tls handshake failed (GET /v3/videos/{video_id})"
    );
}

#[test]
fn limits_and_timeouts_come_from_config() {
    let cfg = heygen_core::Config::builder()
        .api_key("k")
        .max_response_bytes(50)
        .build()
        .unwrap();
    let mut call = Call::new(GetVideo::new(video()), &cfg, [0; 16]).unwrap();
    assert_eq!(call.limits().read_limit(), 51);
    assert_eq!(call.timeout(), Duration::from_secs(30));
    let body = format!(r#"{{"data":{VIDEO_JSON}}}"#);
    assert!(body.len() > 50);
    let step = call.on_response(json_resp(200, &body), Duration::ZERO, 0.5);
    assert!(matches!(step, Step::Done(Err(Error::BodyTooLarge(_)))));
    let upload = Call::new(
        UploadAsset::new("a.png", "image/png", 5, [0; 16]),
        &cfg,
        [0; 16],
    )
    .unwrap();
    assert_eq!(upload.timeout(), Duration::from_mins(10));
}

#[test]
fn complete_upload_retries_not_found_yet() {
    let mut call = Call::new(
        CompleteUpload::new(asset(), CompleteUploadRequest::new()),
        &config(),
        [0; 16],
    )
    .unwrap();
    let step = call.on_response(
        json_resp(
            409,
            r#"{"error":{"code":"conflict","message":"Uploaded object not found yet"}}"#,
        ),
        Duration::ZERO,
        0.5,
    );
    assert!(matches!(step, Step::RetryAfter(_)));
    let step = call.on_response(
        json_resp(200, r#"{"data":{"asset_id":"asset_0001"}}"#),
        Duration::from_secs(1),
        0.5,
    );
    assert!(matches!(step, Step::Done(Ok(_))));
}

#[test]
fn streamed_upload_not_replayed_when_source_is_gone() {
    let mut call = Call::new(
        UploadAsset::new("a.png", "image/png", 5, [0; 16]),
        &config(),
        [0; 16],
    )
    .unwrap();
    call.set_body_replayable(false);
    let step = call.on_response(json_resp(429, "{}"), Duration::ZERO, 0.5);
    assert!(matches!(step, Step::Done(Err(_))));
}
